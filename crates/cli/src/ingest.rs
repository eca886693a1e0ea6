//! `xabar ingest`: reads articles, analyzes and relates them, and stores them in the knowledge
//! store (see `xabar_engine::ingest` for the stages and how a killed run resumes).
//!
//! Files are the unit of the ingest journal: a file whose size and modification time are
//! those of a run that stored all of it is not read again. Folders are walked here (in the
//! reader's order) so that each file gets its own journal entry.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::Context;
use xabar_core::RawArticle;
use xabar_engine::{IngestOptions, Ingester};
use xabar_ingest::{Input, Reader};
use xabar_store::{SourceState, SqliteOptions, SqliteStore, Store, default_store_path};

use crate::pipeline::{self, InputArgs, Progress};

/// Arguments of `xabar ingest`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The store to write (created when missing; default: $XABAR_DB, else xabar.db in the
    /// working folder).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Articles analyzed and written per batch (one transaction each).
    #[arg(long, default_value_t = 256, value_name = "N")]
    batch_size: usize,
    /// Read every file, also those stored whole by an earlier run and unchanged since (their
    /// articles are then counted as unchanged).
    #[arg(long)]
    reread: bool,
    /// New articles between two saves of the relate stage's state.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    checkpoint_every: usize,
}

/// One file of the input, with its journal entry.
struct Source {
    /// As the reader names it (the prefix of its articles' `source`).
    name: String,
    /// The journal key: the canonical path.
    key: String,
    /// Size and modification time.
    stamp: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let path = args.db.clone().unwrap_or_else(default_store_path);
    // The store's errors (not a store, newer schema, locked by another ingest, full disk)
    // name the file and say what to do; they are shown as they are.
    let store = SqliteStore::open(&path, &SqliteOptions::default())?;
    let quiet = args.input.quiet;
    let progress = Progress::new(quiet);
    let pool = pipeline::worker_pool(&args.input)?;
    let fetch = pipeline::fetch_options(&args.input)?;

    let mut inputs = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    let mut inputs_unchanged = 0usize;
    for input in pipeline::inputs(&args.input, "ingest")? {
        match input {
            Input::Path(p) => {
                for file in files(&p) {
                    let source = source_of(&file);
                    let done = !args.reread
                        && match &source {
                            Some(s) => store
                                .source_state(&s.key)?
                                .is_some_and(|st| st.complete && st.stamp == s.stamp),
                            None => false,
                        };
                    if done {
                        inputs_unchanged += 1;
                        continue;
                    }
                    sources.extend(source);
                    inputs.push(Input::Path(file));
                }
            }
            other => inputs.push(other),
        }
    }

    progress.show("reading the store", Duration::from_secs(2));
    let options = IngestOptions {
        checkpoint_every: args.checkpoint_every.max(1),
        ..IngestOptions::default()
    };
    let mut ingester = pool.install(|| Ingester::open(Box::new(store), options))?;
    let restored = ingester.restored();

    let mut reader = Reader::new(inputs).with_fetching(fetch, args.input.follow);
    let mut batch: Vec<RawArticle> = Vec::new();
    let mut read_errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut warnings = 0usize;
    // Files before `current` have all their articles in batches handed to the ingester.
    let mut current = 0usize;
    let mut journaled = 0usize;
    let batch_size = args.batch_size.max(1);
    loop {
        let next = reader.next();
        for warning in reader.take_warnings() {
            progress.println(&format!("warning: {warning}"));
            warnings += 1;
        }
        let done = next.is_none();
        match next {
            Some(Ok(raw)) => {
                while current < sources.len() && !raw.source.starts_with(&sources[current].name) {
                    current += 1;
                }
                batch.push(raw);
            }
            Some(Err(error)) => {
                let message = error.to_string();
                progress.println(&format!("skipped: {message}"));
                *read_errors
                    .entry(xabar_engine::ingest::reason_of(&message))
                    .or_default() += 1;
            }
            None => current = sources.len(),
        }
        if batch.len() >= batch_size || (done && !batch.is_empty()) {
            let raws = std::mem::take(&mut batch);
            let skips = pool.install(|| ingester.ingest(raws))?;
            for skip in skips {
                progress.println(&format!("skipped: {}", skip.message));
            }
            // Every file before the one being read now is stored whole.
            let finished = if done { sources.len() } else { current };
            journal(ingester.store_mut(), &sources[journaled..finished])?;
            journaled = finished;
            let c = ingester.counts();
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            progress.show(
                &format!(
                    "{} read, {} new, {} updated, {} unchanged, {:.0} articles/s",
                    c.read,
                    c.new,
                    c.updated,
                    c.unchanged,
                    c.read as f64 / secs
                ),
                started.elapsed(),
            );
        }
        if done {
            break;
        }
    }
    ingester.finish()?;
    journal(ingester.store_mut(), &sources[journaled..])?;
    progress.finish();

    let counts = ingester.counts().clone();
    if !quiet {
        let elapsed = started.elapsed().as_secs_f64();
        let mut skipped = counts.skipped.clone();
        for (reason, n) in &read_errors {
            *skipped.entry(reason.clone()).or_default() += n;
        }
        let total: u64 = skipped.values().sum();
        let mut line = format!(
            "xabar ingest: {} read, {} new, {} updated, {} unchanged, {} skipped",
            counts.read, counts.new, counts.updated, counts.unchanged, total
        );
        if total > 0 {
            let reasons: Vec<String> = skipped.iter().map(|(r, n)| format!("{n} {r}")).collect();
            line.push_str(&format!(" ({})", reasons.join(", ")));
        }
        line.push_str(&format!(
            "; {} links, {} stories added; {:.1} s ({:.0} articles/s)",
            counts.links,
            counts.stories,
            elapsed,
            counts.read as f64 / elapsed.max(1e-9)
        ));
        if inputs_unchanged > 0 {
            line.push_str(&format!(
                "; {inputs_unchanged} files unchanged since they were ingested, not read"
            ));
        }
        if warnings > 0 {
            line.push_str(&format!("; {warnings} warnings"));
        }
        if restored.related > 0 {
            line.push_str(&format!(
                "; resumed: {} stored articles related again",
                restored.related
            ));
        }
        eprintln!("{line} → {}", path.display());
    }
    let nothing_read = counts.read == 0 && inputs_unchanged == 0;
    Ok(if nothing_read {
        eprintln!("xabar: error: no article could be read");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Marks files as stored whole.
fn journal(store: &mut dyn Store, sources: &[Source]) -> anyhow::Result<()> {
    for s in sources {
        store
            .put_source_state(&SourceState {
                key: s.key.clone(),
                stamp: s.stamp.clone(),
                items: 0,
                complete: true,
            })
            .with_context(|| format!("cannot record that {} was ingested", s.name))?;
    }
    Ok(())
}

/// The files under a path, in the order the reader reads them (sorted, hidden ones left
/// out); a path that is not a folder is itself.
fn files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let Ok(entries) = xabar_ingest::read::folder_entries(path) else {
        // The reader reports the error.
        return vec![path.to_path_buf()];
    };
    entries.iter().flat_map(|p| files(p)).collect()
}

/// The journal entry of a file; `None` for what has no stable identity (not a regular file).
fn source_of(path: &Path) -> Option<Source> {
    let meta = fs::metadata(path).ok().filter(|m| m.is_file())?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let key = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Some(Source {
        name: path.display().to_string(),
        key: key.display().to_string(),
        stamp: format!("{}:{modified}", meta.len()),
    })
}
