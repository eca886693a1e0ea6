//! `xabar-eval train-ner`: trains the mention tagger on the public NER sets in
//! `../shared/eval/` and writes the model xabar ships, `crates/annotate/data/ner/model.bin`.
//!
//! The same documents and options always give the same file, byte for byte: the sets are read
//! in a fixed order, the visiting order comes from a fixed seed, and training is integer
//! arithmetic. By default it trains on every document of every set (the shipped model);
//! `--on train` leaves out the evaluation's held-out documents, which is what
//! `xabar-eval ner` does in memory to report honest figures.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use xabar_annotate::ner::data::{self, Corpus, Document};
use xabar_annotate::ner::train::{self, TrainConfig};

/// Options of `xabar-eval train-ner`.
#[derive(clap::Args)]
pub struct Args {
    /// Which documents to train on: `all` (the shipped model) or `train` (all but the
    /// evaluation's held-out documents).
    #[arg(long, value_enum, default_value_t = On::All)]
    on: On,
    /// Passes over the training set.
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    epochs: usize,
    /// The weight table has 2^bits rows.
    #[arg(long, default_value_t = TrainConfig::default().bits)]
    bits: u32,
    /// Where to write the model (relative paths from the repository root).
    #[arg(long, default_value = "crates/annotate/data/ner/model.bin")]
    out: PathBuf,
}

/// Which documents a model is trained on.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum On {
    /// Every document.
    All,
    /// Every document the evaluation does not hold out.
    Train,
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from("."))
}

/// Reads the four sets, with a clear error when the folder is missing.
pub fn read_sets(data: &Path) -> anyhow::Result<Vec<Document>> {
    if !data.is_dir() {
        anyhow::bail!(
            "{} is missing: the NER sets live in ../shared/eval (or pass --data)",
            data.display()
        );
    }
    data::read_all(data).with_context(|| format!("reading the NER sets in {}", data.display()))
}

/// Trains a model on `docs` with `config`, printing progress.
pub fn train_model(docs: &[&Document], config: &TrainConfig) -> xabar_annotate::ner::Model {
    let started = Instant::now();
    for corpus in [
        Corpus::KazNerd,
        Corpus::FactRuEval,
        Corpus::GermEval,
        Corpus::Bsnlp,
    ] {
        let of: Vec<&Document> = docs
            .iter()
            .copied()
            .filter(|d| d.corpus == corpus)
            .collect();
        let mentions: usize = of.iter().map(|d| d.spans.len()).sum();
        let bytes: usize = of.iter().map(|d| d.text.len()).sum();
        eprintln!(
            "train-ner: {corpus}: {} documents, {:.1} MB, {mentions} mentions",
            of.len(),
            bytes as f64 / 1e6
        );
    }
    let set = train::prepare(docs, config.bits);
    let s = set.stats;
    eprintln!(
        "train-ner: prepared {} segments, {} tokens, {} mentions ({} cut a token and are left \
         out) in {:.1} s",
        s.segments,
        s.tokens,
        s.mentions,
        s.unaligned,
        started.elapsed().as_secs_f64()
    );
    let model = train::train(&set, config, &mut |r| {
        eprintln!(
            "train-ner: epoch {}/{}: {} of {} tokens mistagged ({:.2}%), {:.1} s",
            r.epoch,
            r.epochs,
            r.token_errors,
            r.tokens,
            100.0 * r.token_errors as f64 / r.tokens.max(1) as f64,
            r.seconds
        );
    });
    eprintln!(
        "train-ner: trained in {:.1} s; {} of {} rows non-zero",
        started.elapsed().as_secs_f64(),
        model.nonzero_rows(),
        1usize << model.bits()
    );
    model
}

pub fn run(data: &Path, _docs: &Path, args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let docs = read_sets(data)?;
    let chosen: Vec<&Document> = docs
        .iter()
        .filter(|d| args.on == On::All || !d.held_out())
        .collect();
    let config = TrainConfig {
        epochs: args.epochs,
        bits: args.bits,
        ..TrainConfig::default()
    };
    let model = train_model(&chosen, &config);
    let bytes = model.to_bytes();
    let out = if args.out.is_absolute() {
        args.out.clone()
    } else {
        repo_root().join(&args.out)
    };
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {} ({:.1} MB, trained on {} documents: {}) in {:.1} s",
        out.display(),
        bytes.len() as f64 / 1e6,
        chosen.len(),
        match args.on {
            On::All => "all",
            On::Train => "all but the held-out ones",
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
