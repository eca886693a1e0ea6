//! `xabar quotes PATH... [--speaker NAME]`: quotations with their speakers and articles.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;
use xabar_core::{Article, Quote};
use xabar_text::token::{TokenKind, tokenize};
use xabar_text::translit::{KEY_MATCH_THRESHOLD, key, key_similarity};

use crate::pipeline::{self, InputArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Only quotes of this speaker, in any script or spelling ("Tokayev", "Тоқаев"), or an
    /// entity id (kb:person/tokayev).
    #[arg(long)]
    speaker: Option<String>,
    /// One JSON object per quote and line.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    article: &'a str,
    source: &'a str,
    speaker_name: Option<&'a str>,
    #[serde(flatten)]
    quote: &'a Quote,
}

fn word_keys(text: &str) -> Vec<String> {
    tokenize(text)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| key(t.text))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Whether every word of the query names a word of one of the speaker's names.
fn speaker_matches(query: &str, query_keys: &[String], quote: &Quote, name: Option<&str>) -> bool {
    if quote.speaker.as_ref().is_some_and(|id| id.0 == query) {
        return true;
    }
    let mut names: Vec<String> = Vec::new();
    names.extend(name.map(word_keys).unwrap_or_default());
    names.extend(
        quote
            .speaker_text
            .as_deref()
            .map(word_keys)
            .unwrap_or_default(),
    );
    !query_keys.is_empty()
        && query_keys.iter().all(|q| {
            names
                .iter()
                .any(|n| key_similarity(q, n) >= KEY_MATCH_THRESHOLD)
        })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let query_keys = args.speaker.as_deref().map(word_keys).unwrap_or_default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (_, summary) = pipeline::run(&args.input, "quotes", |article: &Article, annotations| {
        for quote in &annotations.quotes {
            let name = quote.speaker.as_ref().and_then(|id| {
                annotations
                    .mentions
                    .iter()
                    .find(|m| m.entity.as_ref() == Some(id))
                    .and_then(|m| m.name.as_deref())
            });
            if let Some(query) = &args.speaker
                && !speaker_matches(query, &query_keys, quote, name)
            {
                continue;
            }
            if args.json {
                let line = QuoteOut {
                    article: &article.id.0,
                    source: &article.source,
                    speaker_name: name,
                    quote,
                };
                serde_json::to_writer(&mut out, &line)?;
                writeln!(out)?;
            } else {
                let who = match (name, quote.speaker_text.as_deref()) {
                    (Some(name), Some(text)) if name != text => format!("{name} ({text})"),
                    (Some(name), _) => name.to_string(),
                    (None, Some(text)) => text.to_string(),
                    (None, None) => "(speaker unknown)".to_string(),
                };
                let cue = quote
                    .cue
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default();
                let partial = if quote.partial { " [partial]" } else { "" };
                writeln!(
                    out,
                    "{}\t{who}{cue}{partial}\t«{}»\t{}",
                    article.id, quote.text, article.source
                )?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(summary.exit_code())
}
