//! `xabar translit`: transliterate text between Cyrillic and Latin, or print matching keys.
//!
//! Text comes from the arguments (joined by spaces) or, when there are none, from standard
//! input, whole documents included; the output keeps lines, punctuation and digits.

use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use xabar_core::{Language, Script};
use xabar_text::token::{TokenKind, tokenize};
use xabar_text::translit::{Transliterator, key};

#[derive(clap::Args)]
pub struct Args {
    /// Language of the text: ru, uk, kk, uz, ky, tg (needed to transliterate, not for --key).
    #[arg(long)]
    lang: Option<Language>,
    /// Script to write: latn or cyrl.
    #[arg(long, default_value = "latn")]
    to: Script,
    /// Print the script-independent matching key of each word instead (one input line, one
    /// output line; keys separated by spaces).
    #[arg(long)]
    key: bool,
    /// Text to read; none reads standard input.
    text: Vec<String>,
}

fn input(args: &Args) -> anyhow::Result<String> {
    if !args.text.is_empty() {
        return Ok(args.text.join(" "));
    }
    if io::stdin().is_terminal() {
        anyhow::bail!(
            "give the text as arguments or on standard input (see `xabar translit --help`)"
        );
    }
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "standard input is not valid UTF-8 (at byte {}); convert it first",
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = input(&args)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.key {
        for line in text.lines() {
            let keys: Vec<String> = tokenize(line)
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| key(t.text))
                .filter(|k| !k.is_empty())
                .collect();
            writeln!(out, "{}", keys.join(" "))?;
        }
    } else {
        let Some(lang) = args.lang else {
            anyhow::bail!(
                "--lang is needed to transliterate (ru, uk, kk, uz, ky, tg); --key needs none"
            );
        };
        let transliterator = Transliterator::new(lang, args.to)?;
        let result = transliterator.transliterate(&text);
        out.write_all(result.as_bytes())?;
        if !result.ends_with('\n') {
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
