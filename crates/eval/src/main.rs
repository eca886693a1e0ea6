//! `xabar-eval`: scores xabar, and the peer tools people use today, on the public evaluation
//! sets in `../shared/eval/`, prints the tables, and writes them into `docs/`.
//!
//! Peers written in Python run from the virtual environment that `scripts/setup-peers.sh`
//! makes; each peer is a small script under `scripts/peers/` that reads inputs on stdin and
//! prints one answer a line, so that both sides see exactly the same inputs.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// mimalloc: analysis allocates many small, short-lived strings and vectors per word on
/// every thread, which the system allocator serves markedly slower (see docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod dates;
mod entities;
mod extraction;
mod langid;
mod links;
mod ner;
mod peers;
mod quotes;
mod similarity;
mod stories;
mod timing;
mod train_ner;
mod translit;

#[derive(Parser)]
#[command(
    name = "xabar-eval",
    about = "Evaluate xabar on ../shared/eval and write reports into docs/"
)]
struct Cli {
    /// Folder holding the evaluation sets.
    #[arg(long, global = true, default_value = "../shared/eval")]
    data: PathBuf,
    /// Folder the Markdown reports are written into.
    #[arg(long, global = true, default_value = "docs")]
    docs: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Language identification accuracy per language, side by side with lingua-py and CLD2.
    Langid(langid::Args),
    /// Speed of `analyze` (articles/s, MB/s) on one thread and on all cores.
    Bench(bench::Args),
    /// Date expressions: Kazakh DATE spans on KazNERD, and the seed articles' dates.
    Dates(dates::Args),
    /// HTML main-text extraction (precision, recall, F1, speed), side by side with trafilatura.
    Extraction(extraction::Args),
    /// Uzbek Cyrillic→Latin word accuracy.
    Translit(translit::Args),
    /// Person/organisation/place recognition on held-out documents, side by side with natasha.
    Ner(ner::Args),
    /// Quotations and their speakers on PolNeAR (English political news).
    Quotes(quotes::Args),
    /// Train the mention tagger and write crates/annotate/data/ner/model.bin.
    TrainNer(train_ner::Args),
    /// Cross-lingual entity merging (B-cubed on BSNLP), recognition end to end, seeds, speed.
    Entities(entities::Args),
    /// Article similarity: Pearson's r against SemEval-2022 Task 8 gold scores.
    Similarity(similarity::Args),
    /// Links: Uzbek script twins and WMT translations found in mixed pools.
    Links(links::Args),
    /// Stories: online clustering of the BSNLP documents, B-cubed against their topics.
    Stories(stories::Args),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Langid(args) => langid::run(&cli.data, &cli.docs, args),
        Command::Translit(args) => translit::run(&cli.data, &cli.docs, args),
        Command::Bench(args) => bench::run(&cli.data, &cli.docs, args),
        Command::Dates(args) => dates::run(&cli.data, &cli.docs, args),
        Command::Extraction(args) => extraction::run(&cli.data, &cli.docs, args),
        Command::Ner(args) => ner::run(&cli.data, &cli.docs, args),
        Command::Quotes(args) => quotes::run(&cli.data, &cli.docs, args),
        Command::TrainNer(args) => train_ner::run(&cli.data, &cli.docs, args),
        Command::Entities(args) => entities::run(&cli.data, &cli.docs, args),
        Command::Similarity(args) => similarity::run(&cli.data, &cli.docs, args),
        Command::Links(args) => links::run(&cli.data, &cli.docs, args),
        Command::Stories(args) => stories::run(&cli.data, &cli.docs, args),
    }
}
