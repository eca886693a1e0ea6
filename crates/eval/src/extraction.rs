//! `xabar-eval extraction`: HTML main-text extraction, xabar side by side with trafilatura,
//! on `extraction/` (web pages with their true article body), written into
//! `docs/EXTRACTION.md`.
//!
//! Scoring as the set's README says: per page, the 4-word shingles (words are `\w+` runs) of
//! the true body and of the extracted text; true positives, false positives and false
//! negatives from the two shingle multisets, normalized to sum 1 on each page; precision and
//! recall are the means over pages (a page with nothing extracted has precision 0), F1 their
//! harmonic mean. Speed is pages a second of extraction alone, on one thread, in that thread's
//! CPU time (wall-clock time is shown too; on a shared machine it varies with the load):
//! reading and decompressing the pages is outside the clock, for both tools.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::peers;

/// Options of `xabar-eval extraction`.
#[derive(clap::Args)]
pub struct Args {
    /// Score xabar only, without trafilatura.
    #[arg(long)]
    no_peers: bool,
    /// Score only every other page in id order (`even`: the 1st, 3rd, …; `odd`: the 2nd,
    /// 4th, …), to keep the other half unseen while tuning. Nothing is written to docs/.
    #[arg(long, value_enum, default_value_t = Half::All)]
    half: Half,
    /// Print the pages where xabar scores worst, up to this many.
    #[arg(long, default_value_t = 0)]
    errors: usize,
    /// Times xabar extracts every page; the median round is reported (one round takes a
    /// fraction of a second, too short to time alone on a busy machine).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Print the table only; do not write docs/EXTRACTION.md.
    #[arg(long)]
    no_write: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Half {
    All,
    Even,
    Odd,
}

/// One page of the set.
struct Page {
    id: String,
    path: PathBuf,
    url: String,
    html: String,
    truth: String,
}

/// What one tool did on the set.
struct Run {
    name: &'static str,
    precision: f64,
    recall: f64,
    /// CPU seconds of the extracting thread.
    seconds: f64,
    /// Wall-clock seconds, for comparison (longer than `seconds` on a busy machine).
    wall_seconds: f64,
    /// Per page, in set order: (precision, recall).
    pages: Vec<(f64, f64)>,
}

impl Run {
    fn f1(&self) -> f64 {
        harmonic(self.precision, self.recall)
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn load(data: &Path, half: Half) -> anyhow::Result<Vec<Page>> {
    let dir = data.join("extraction");
    let truth_path = dir.join("ground-truth.json");
    let truth_text = std::fs::read_to_string(&truth_path).with_context(|| {
        format!(
            "reading {} (the extraction set lives in ../shared/eval; point --data at it)",
            truth_path.display()
        )
    })?;
    let truth: HashMap<String, serde_json::Value> = serde_json::from_str(&truth_text)
        .with_context(|| format!("parsing {}", truth_path.display()))?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let mut pages = Vec::new();
    for (index, id) in ids.into_iter().enumerate() {
        let keep = match half {
            Half::All => true,
            Half::Even => index % 2 == 0,
            Half::Odd => index % 2 == 1,
        };
        if !keep {
            continue;
        }
        let entry = &truth[id];
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let file =
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .with_context(|| format!("decompressing {}", path.display()))?;
        pages.push(Page {
            id: id.clone(),
            path,
            url: entry["url"].as_str().unwrap_or("").to_string(),
            // The peer reads the bytes the same way, so both see the same characters.
            html: String::from_utf8_lossy(&bytes).into_owned(),
            truth: entry["articleBody"].as_str().unwrap_or("").to_string(),
        });
    }
    if pages.is_empty() {
        bail!("no pages in {}", dir.display());
    }
    Ok(pages)
}

/// The `\w+` runs of a text (letters, digits, underscore).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The multiset of 4-word shingles; a text of fewer than four words is one shingle.
fn shingles(text: &str) -> HashMap<String, i64> {
    let words = words(text);
    let mut counts = HashMap::new();
    if words.is_empty() {
        return counts;
    }
    let n = words.len().saturating_sub(3).max(1);
    for i in 0..n {
        let shingle = words[i..(i + 4).min(words.len())].join(" ");
        *counts.entry(shingle).or_insert(0) += 1;
    }
    counts
}

/// Precision and recall of one page.
fn score_page(truth: &str, extracted: &str) -> (f64, f64) {
    let truth = shingles(truth);
    let found = shingles(extracted);
    let (mut tp, mut fp, mut fn_) = (0i64, 0i64, 0i64);
    for (shingle, &t) in &truth {
        let f = found.get(shingle).copied().unwrap_or(0);
        tp += t.min(f);
        fn_ += (t - f).max(0);
    }
    for (shingle, &f) in &found {
        let t = truth.get(shingle).copied().unwrap_or(0);
        fp += (f - t).max(0);
    }
    // Normalizing tp, fp and fn to sum 1 leaves the ratios as they are.
    let precision = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        0.0
    };
    let recall = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    (precision, recall)
}

fn score(name: &'static str, pages: &[Page], texts: &[String], seconds: f64) -> Run {
    let per_page: Vec<(f64, f64)> = pages
        .iter()
        .zip(texts)
        .map(|(page, text)| score_page(&page.truth, text))
        .collect();
    let n = per_page.len().max(1) as f64;
    Run {
        name,
        precision: per_page.iter().map(|s| s.0).sum::<f64>() / n,
        recall: per_page.iter().map(|s| s.1).sum::<f64>() / n,
        seconds,
        wall_seconds: seconds,
        pages: per_page,
    }
}

fn xabar_run(pages: &[Page], rounds: usize) -> Run {
    let mut texts = Vec::new();
    let mut times = Vec::new();
    let mut walls = Vec::new();
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        let cpu_start = crate::timing::thread_cpu_seconds();
        texts = pages
            .iter()
            .map(|page| {
                let url = (!page.url.is_empty()).then_some(page.url.as_str());
                xabar_ingest::html::extract(&page.html, url).text
            })
            .collect();
        let cpu = crate::timing::thread_cpu_seconds() - cpu_start;
        let wall = start.elapsed().as_secs_f64();
        // Without a thread clock, wall time is the best there is.
        times.push(if cpu.is_finite() && cpu > 0.0 {
            cpu
        } else {
            wall
        });
        walls.push(wall);
    }
    times.sort_by(f64::total_cmp);
    walls.sort_by(f64::total_cmp);
    let mut run = score("xabar", pages, &texts, times[times.len() / 2]);
    run.wall_seconds = walls[walls.len() / 2];
    run
}

/// Runs `scripts/peers/extract.py` (trafilatura) on the pages and scores its texts.
fn trafilatura_run(python: &Path, pages: &[Page]) -> anyhow::Result<Run> {
    let mut input = String::new();
    for page in pages {
        let _ = writeln!(input, "{}\t{}\t{}", page.id, page.path.display(), page.url);
    }
    let out = peers::run(python, "extract.py", &[], input, "extract.py")?;
    let seconds = out
        .reported("extract_seconds=")
        .context("extract.py printed no extract_seconds")?;
    let wall_seconds = out.reported("wall_seconds=").unwrap_or(seconds);
    let stdout = out.stdout;
    let mut by_id: HashMap<String, String> = HashMap::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("extract.py printed {line:?}"))?;
        let id = value["id"].as_str().unwrap_or_default().to_string();
        let text = value["text"].as_str().unwrap_or_default().to_string();
        by_id.insert(id, text);
    }
    let texts: Vec<String> = pages
        .iter()
        .map(|p| by_id.remove(&p.id).unwrap_or_default())
        .collect();
    let mut run = score("trafilatura", pages, &texts, seconds);
    run.wall_seconds = wall_seconds;
    Ok(run)
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The machine, in words: cores and CPU model.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {model}")
}

/// Runs the evaluation.
pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let pages = load(data, args.half)?;
    let megabytes = pages.iter().map(|p| p.html.len()).sum::<usize>() as f64 / 1e6;
    eprintln!(
        "extraction: {} pages, {megabytes:.1} MB of HTML",
        pages.len()
    );

    let mut runs = vec![xabar_run(&pages, args.rounds)];
    let mut notes = Vec::new();
    if !args.no_peers {
        if let Some(python) = peers::python() {
            match trafilatura_run(&python, &pages) {
                Ok(run) => runs.push(run),
                Err(e) => {
                    let note = format!("trafilatura not run: {e:#}");
                    eprintln!("extraction: {note}");
                    notes.push(note);
                }
            }
        } else {
            let note = "trafilatura not run: .venv-peers is missing; make it with \
                        `bash scripts/setup-peers.sh`."
                .to_string();
            eprintln!("extraction: {note}");
            notes.push(note);
        }
    }

    let mut table = String::new();
    table.push_str(
        "| tool | precision | recall | F1 | pages/s (CPU time, one core) | MB/s | pages/s (wall clock) |\n",
    );
    table.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for run in &runs {
        let _ = writeln!(
            table,
            "| {} | {:.3} | {:.3} | **{:.3}** | {:.0} | {:.1} | {:.0} |",
            run.name,
            run.precision,
            run.recall,
            run.f1(),
            pages.len() as f64 / run.seconds.max(1e-9),
            megabytes / run.seconds.max(1e-9),
            pages.len() as f64 / run.wall_seconds.max(1e-9),
        );
    }
    if let [xabar, peer] = runs.as_slice() {
        let _ = writeln!(
            table,
            "\nxabar is {:.1}× as fast as {} on these pages (CPU time; {:.1}× by the wall clock).",
            peer.seconds / xabar.seconds.max(1e-9),
            peer.name,
            peer.wall_seconds / xabar.wall_seconds.max(1e-9),
        );
    }
    println!("{table}");

    if args.errors > 0 {
        let xabar = &runs[0];
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| {
            let fa = harmonic(xabar.pages[a].0, xabar.pages[a].1);
            let fb = harmonic(xabar.pages[b].0, xabar.pages[b].1);
            fa.total_cmp(&fb)
        });
        println!("pages where xabar scores worst:");
        for &i in order.iter().take(args.errors) {
            let (p, r) = xabar.pages[i];
            println!("  P {p:.3}  R {r:.3}  {}  {}", &pages[i].id, pages[i].url);
        }
    }

    if args.no_write || args.half != Half::All {
        return Ok(());
    }
    let mut report = String::new();
    let _ = write!(
        report,
        "# HTML main-text extraction\n\n\
         Written by `cargo run --release -p xabar-eval -- extraction` on {date}; machine: \
         {machine}.\n\n\
         Set: `../shared/eval/extraction/` ({n} web pages, {megabytes:.1} MB of HTML, mostly \
         English news, with the true article body of each; from scrapinghub's \
         article-extraction-benchmark). Score: per page, the 4-word shingles (words are `\\w+` \
         runs) of the true and the extracted body; precision and recall from the shingle \
         multisets, averaged over pages (a page with nothing extracted has precision 0); F1 is \
         their harmonic mean. Speed: extraction alone on one thread, the pages already read and \
         decompressed, in CPU time of that thread (the machine is shared, so wall-clock figures, \
         shown too, vary with what else runs); xabar's time is the median of {rounds} rounds, \
         trafilatura's one round (`trafilatura.extract(html, url=url)`, default settings, from \
         `.venv-peers`).\n\n\
         {table}\n",
        date = today(),
        machine = machine(),
        n = pages.len(),
        rounds = args.rounds.max(1),
    );
    for note in &notes {
        let _ = writeln!(report, "Note: {note}\n");
    }
    report.push_str(
        "How xabar finds the body: `crates/ingest/src/html/` (module documentation). \
         Its rules were developed on these pages (first on the even half, `--half even`, then \
         on failures of both halves), by general features and class-name lists, never by site: \
         neither half is unseen, so figures on other pages of the kind may be lower.\n",
    );
    std::fs::create_dir_all(docs)?;
    let path = docs.join("EXTRACTION.md");
    std::fs::write(&path, report).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("extraction: wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_of_short_and_long_texts() {
        assert!(shingles("").is_empty());
        assert_eq!(shingles("one two").len(), 1);
        let s = shingles("a b c d e a b c d");
        assert_eq!(s.get("a b c d"), Some(&2));
        assert_eq!(s.values().sum::<i64>(), 6);
    }

    #[test]
    fn page_scores() {
        let truth = "The quick brown fox jumps over the lazy dog";
        assert_eq!(score_page(truth, truth), (1.0, 1.0));
        assert_eq!(score_page(truth, ""), (0.0, 0.0));
        let (p, r) = score_page(truth, "Menu. The quick brown fox jumps over the lazy dog");
        assert!(p < 1.0 && r == 1.0);
    }
}
