//! `xabar`: the command-line tool. Each subcommand lives in its own module; this file only
//! parses arguments and reports errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod analyze;
mod entities;
mod pipeline;
mod quotes;
mod translit;

#[derive(Parser)]
#[command(
    name = "xabar",
    version,
    about = "Turns news articles in many languages into structured, cross-lingual knowledge"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles and print each, cleaned and analyzed, as one JSON object a line.
    Analyze(analyze::Args),
    /// Read articles and list the people, organisations and places they name, merged across
    /// languages and scripts.
    Entities(entities::Args),
    /// Read articles and list their quotations with speakers.
    Quotes(quotes::Args),
    /// Transliterate text between Cyrillic and Latin, or print matching keys.
    Translit(translit::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Entities(args) => entities::run(args),
        Command::Quotes(args) => quotes::run(args),
        Command::Translit(args) => translit::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xabar: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
