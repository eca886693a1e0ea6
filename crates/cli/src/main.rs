//! `xabar`: the command-line tool. Each subcommand lives in its own module; this file only
//! parses arguments and reports errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc: analysis allocates many small, short-lived strings and vectors per word on
/// every thread, which the system allocator serves markedly slower (see docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod analyze;
mod entities;
mod ingest;
mod pipeline;
mod quotes;
mod translit;
// The commands over the store (read side).
mod digest;
mod export;
mod links;
mod listing;
mod search;
mod store_args;
mod stories;

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
    /// Read articles, analyze and relate them, and store them in the knowledge store
    /// (resumable: run it again after an interruption).
    Ingest(ingest::Args),
    /// Search the store: words and names in any language and script, ranked, with filters.
    Search(search::Args),
    /// List the links between stored articles: duplicates, reprints, script twins,
    /// translations.
    Links(links::Args),
    /// List the stories (clusters of articles about one event, across languages).
    Stories(stories::ListArgs),
    /// Show one story: its articles, entities, links inside it and main quotes.
    Story(stories::ShowArgs),
    /// Export articles, entities, quotes, links or stories as JSON Lines or CSV.
    Export(export::Args),
    /// Summarize the store: the main stories with their languages, entities, quotes and
    /// translation/reprint pairs.
    Digest(digest::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Entities(args) => entities::run(args),
        Command::Quotes(args) => quotes::run(args),
        Command::Translit(args) => translit::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => listing::quiet_pipe(search::run(args)),
        Command::Links(args) => listing::quiet_pipe(links::run(args)),
        Command::Stories(args) => listing::quiet_pipe(stories::run_list(args)),
        Command::Story(args) => listing::quiet_pipe(stories::run_show(args)),
        Command::Export(args) => listing::quiet_pipe(export::run(args)),
        Command::Digest(args) => listing::quiet_pipe(digest::run(args)),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xabar: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
