//! Ingest benchmark: builds a stream of N distinct articles by repeating the real texts at
//! hand (samples/, ../shared/corpus/seeds, the Russian and Ukrainian BSNLP texts under
//! ../shared/eval/entities/bsnlp) with variations (digits shifted, a sentence with a counter
//! added, dates advancing 20 articles a day), ingests them into a fresh store in batches,
//! and prints articles/s end to end, the time per article for each slice (the curve), and
//! peak RSS.
//!
//! ```text
//! cargo run --release -p xabar-engine --example ingest_bench -- [N] [SLICE] [STORE]
//! ```
//! N defaults to 100,000 and SLICE to 10,000; the store defaults to a file in a temporary
//! folder that is removed afterwards.

/// The allocator the `xabar` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Days, NaiveDate};
use xabar_core::RawArticle;
use xabar_engine::{IngestOptions, Ingester};
use xabar_store::{SqliteOptions, SqliteStore};

/// Articles published per day: a round of the base texts spans over a month, beyond the
/// relate stage's link window (30 days), so a text's next variant is new coverage rather than
/// a reprint that joins (and grows) the old story for ever.
const PER_DAY: usize = 20;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let slice: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let texts = texts(&root);
    if texts.is_empty() {
        return Err("no texts found under samples/ or ../shared".into());
    }
    let scratch = std::env::temp_dir().join(format!("xabar-ingest-bench-{}", std::process::id()));
    fs::create_dir_all(&scratch)?;
    let db = args
        .next()
        .map_or_else(|| scratch.join("bench.db"), PathBuf::from);
    eprintln!(
        "{} base texts; {n} articles into {} (slices of {slice})",
        texts.len(),
        db.display()
    );

    let store = SqliteStore::open(&db, &SqliteOptions::default())?;
    let mut ingester = Ingester::open(Box::new(store), IngestOptions::default())?;
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).ok_or("date")?;
    let started = Instant::now();
    let mut slice_started = Instant::now();
    let mut batch = Vec::with_capacity(256);
    let mut bytes = 0usize;
    let mut slice_cpu = cpu_seconds();
    println!("slice\tarticles/s\tms/article\tCPU ms/article\tstored");
    for i in 0..n {
        let base = &texts[i % texts.len()];
        let round = i / texts.len();
        let body = vary(base, round, i);
        bytes += body.len();
        let mut raw = RawArticle::text(format!("bench:{i}"), body);
        raw.published = start.checked_add_days(Days::new((i / PER_DAY) as u64));
        batch.push(raw);
        if batch.len() == 256 || i + 1 == n {
            ingester.ingest(std::mem::take(&mut batch))?;
        }
        if (i + 1) % slice == 0 || i + 1 == n {
            let secs = slice_started.elapsed().as_secs_f64();
            let in_slice = (i % slice) + 1;
            let cpu = cpu_seconds();
            println!(
                "{}k\t{:.0}\t{:.2}\t{:.2}\t{}",
                (i + 1) / 1000,
                in_slice as f64 / secs,
                secs * 1000.0 / in_slice as f64,
                (cpu - slice_cpu) * 1000.0 / in_slice as f64,
                ingester.counts().new
            );
            slice_started = Instant::now();
            slice_cpu = cpu;
        }
    }
    ingester.finish()?;
    let secs = started.elapsed().as_secs_f64();
    let c = ingester.counts();
    println!(
        "total: {n} articles ({:.1} MB) in {secs:.1} s: {:.0} articles/s; {} new, {} unchanged, {} skipped, {} links, {} stories; peak RSS {} MB",
        bytes as f64 / 1e6,
        n as f64 / secs,
        c.new,
        c.unchanged,
        c.skipped_total(),
        c.links,
        c.stories,
        peak_rss_mb()
    );
    drop(ingester);
    // What a later run pays to start on this store: rebuilding the linker and the relator.
    let reopened = Instant::now();
    let store = SqliteStore::open(&db, &SqliteOptions::default())?;
    let ingester = Ingester::open(Box::new(store), IngestOptions::default())?;
    let restored = ingester.restored();
    println!(
        "reopen: {:.1} s ({} articles linked again, {} related again); peak RSS {} MB",
        reopened.elapsed().as_secs_f64(),
        restored.linked,
        restored.related,
        peak_rss_mb()
    );
    drop(ingester);
    let _ = fs::remove_dir_all(&scratch);
    Ok(())
}

/// The base texts: every sample and seed, and the BSNLP Russian and Ukrainian documents
/// (their four header lines dropped).
fn texts(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for dir in [
        root.join("samples/articles"),
        root.join("../shared/corpus/seeds"),
    ] {
        for f in sorted(&dir) {
            out.extend(fs::read_to_string(f).ok());
        }
    }
    let bsnlp = root.join("../shared/eval/entities/bsnlp");
    for topic in sorted(&bsnlp) {
        for lang in ["ru", "uk"] {
            for f in sorted(&topic.join("raw").join(lang)) {
                if let Ok(text) = fs::read_to_string(f) {
                    let body: Vec<&str> = text.lines().skip(4).collect();
                    if body.len() > 2 {
                        out.push(body.join("\n"));
                    }
                }
            }
        }
    }
    out
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// A distinct variant of a text: digits shifted by the round, and a closing sentence with the
/// article's number.
fn vary(text: &str, round: usize, i: usize) -> String {
    let shift = (round % 9) as u32;
    let mut out: String = text
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if shift > 0 => char::from_digit((d + shift) % 10, 10).unwrap_or(c),
            _ => c,
        })
        .collect();
    out.push_str(&format!("\n\nReport {i}, revision {round}."));
    out
}

/// CPU time (user and system, all threads) of this process so far, from /proc (clock ticks
/// of 1/100 s on Linux); the per-slice CPU time does not swing with other work on the machine.
fn cpu_seconds() -> f64 {
    fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which is in parentheses and may hold spaces).
            let rest = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Peak resident memory of this process, from /proc (0 where it cannot be read).
fn peak_rss_mb() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
