//! `xabar-eval langid`: language identification accuracy per language, xabar side by side with
//! lingua-py and CLD2, with their speeds, written into `docs/LANGID.md`.
//!
//! Sets: `langid/lingua/<iso>.txt` (one sentence a line) and `langid/fitrat-dev.txt` (fastText
//! lines `__label__uz_cyr text`; malformed lines are skipped). A sentence counts as right when
//! the language matches and, for the Uzbek rows, the script too. The peers answer a language
//! only, so for them an Uzbek answer counts whatever the script.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::peers;
use xabar_core::{Identification, Language, LanguageIdentifier, Script};
use xabar_text::langid::Identifier;

/// Options of `xabar-eval langid`.
#[derive(clap::Args)]
pub struct Args {
    /// Score xabar only, without lingua-py and CLD2.
    #[arg(long)]
    no_peers: bool,
    /// Score only every other sentence of each set (`odd`: the 1st, 3rd, …; `even`: the 2nd,
    /// 4th, …), to keep the other half unseen while tuning. Nothing is written to docs/.
    #[arg(long, value_enum, default_value_t = Half::All)]
    half: Half,
    /// Print up to this many sentences per row that xabar gets wrong.
    #[arg(long, default_value_t = 0)]
    errors: usize,
    /// Print the table only; do not write docs/LANGID.md.
    #[arg(long)]
    no_write: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Half {
    All,
    Odd,
    Even,
}

/// One row of the table: the sentences of one language in one set.
struct Row {
    set: &'static str,
    label: String,
    language: Language,
    /// The script the answer must have too, for Uzbek.
    script: Option<Script>,
    /// The accuracy xabar is meant to reach, where one is set.
    target: Option<f64>,
    sentences: Vec<String>,
}

/// The lingua files, in table order, with their targets.
const LINGUA_SETS: &[(&str, Option<f64>)] = &[
    ("kk", Some(0.995)),
    ("ru", Some(0.995)),
    ("uk", Some(0.99)),
    ("de", Some(0.995)),
    ("en", Some(0.995)),
    ("be", None),
    ("bg", None),
    ("mk", None),
    ("sr", None),
    ("mn", None),
    ("tr", None),
    ("az", None),
];

/// The fitrat labels scored, in table order: label, language, script, target.
const FITRAT_SETS: &[(&str, Language, Option<Script>, Option<f64>)] = &[
    ("uz_cyr", Language::Uz, Some(Script::Cyrl), Some(0.985)),
    ("uz_lat", Language::Uz, Some(Script::Latn), Some(0.96)),
    ("rus", Language::Ru, None, None),
    ("deu", Language::De, None, None),
    ("eng", Language::En, None, None),
    ("tur", Language::Tr, None, None),
    ("ara", Language::Ar, None, None),
];

fn keep(half: Half, index: usize) -> bool {
    match half {
        Half::All => true,
        Half::Odd => index.is_multiple_of(2),
        Half::Even => !index.is_multiple_of(2),
    }
}

/// One line a sentence, as the peers read them.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn load_rows(data: &Path, half: Half) -> anyhow::Result<Vec<Row>> {
    let dir = data.join("langid");
    let mut rows = Vec::new();
    for &(iso, target) in LINGUA_SETS {
        let path = dir.join("lingua").join(format!("{iso}.txt"));
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "reading {} (the langid sets live in ../shared/eval; point --data at them)",
                path.display()
            )
        })?;
        let language: Language = iso.parse()?;
        let sentences = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
            .filter(|(i, _)| keep(half, *i))
            .map(|(_, l)| one_line(l))
            .collect();
        rows.push(Row {
            set: "lingua",
            label: iso.to_string(),
            language,
            script: None,
            target,
            sentences,
        });
    }

    let path = dir.join("fitrat-dev.txt");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut by_label: Vec<Vec<String>> = vec![Vec::new(); FITRAT_SETS.len()];
    let mut seen = vec![0usize; FITRAT_SETS.len()];
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("__label__") else {
            continue; // malformed: no label
        };
        let Some((label, sentence)) = rest.split_once(' ') else {
            continue; // malformed: no text
        };
        let sentence = sentence.trim();
        if sentence.is_empty() {
            continue;
        }
        if let Some(k) = FITRAT_SETS.iter().position(|s| s.0 == label) {
            if keep(half, seen[k]) {
                by_label[k].push(one_line(sentence));
            }
            seen[k] += 1;
        }
    }
    for (&(label, language, script, target), sentences) in FITRAT_SETS.iter().zip(by_label) {
        rows.push(Row {
            set: "fitrat",
            label: label.to_string(),
            language,
            script,
            target,
            sentences,
        });
    }
    Ok(rows)
}

/// A tool's answers for every row, and how fast it gave them.
struct Run {
    name: &'static str,
    /// Per row, the sentences it got right.
    right: Vec<usize>,
    seconds: f64,
}

fn xabar_run(rows: &[Row], errors: usize) -> (Run, Vec<Vec<(String, Identification)>>) {
    let identifier = Identifier::new();
    identifier.preload();
    let mut right = Vec::with_capacity(rows.len());
    let mut wrong = Vec::with_capacity(rows.len());
    let clock = Clock::start();
    for row in rows {
        let mut ok = 0;
        let mut misses = Vec::new();
        for sentence in &row.sentences {
            let got = identifier.identify(sentence);
            if got.language == row.language && row.script.is_none_or(|s| s == got.script) {
                ok += 1;
            } else if misses.len() < errors {
                misses.push((sentence.clone(), got));
            }
        }
        right.push(ok);
        wrong.push(misses);
    }
    let seconds = clock.seconds();
    (
        Run {
            name: "xabar",
            right,
            seconds,
        },
        wrong,
    )
}

/// Runs `scripts/peers/langid.py <tool>` on every sentence and scores its answers.
fn peer_run(
    python: &Path,
    tool: &'static str,
    name: &'static str,
    rows: &[Row],
) -> anyhow::Result<Run> {
    let mut input = String::new();
    for row in rows {
        for sentence in &row.sentences {
            input.push_str(sentence);
            input.push('\n');
        }
    }
    let out = peers::run(python, "langid.py", &[tool], input, &format!("peer {tool}"))?;
    let seconds = out.reported("detect_seconds=").with_context(|| {
        format!(
            "peer {tool} did not report detect_seconds: {}",
            out.stderr.trim()
        )
    })?;
    let stdout = out.stdout;
    let answers: Vec<&str> = stdout.lines().collect();
    let total: usize = rows.iter().map(|r| r.sentences.len()).sum();
    if answers.len() != total {
        bail!(
            "peer {tool} answered {} lines for {total} sentences",
            answers.len()
        );
    }
    let mut right = Vec::with_capacity(rows.len());
    let mut at = 0;
    for row in rows {
        let n = row.sentences.len();
        let ok = answers[at..at + n]
            .iter()
            .filter(|a| a.trim() == row.language.code())
            .count();
        right.push(ok);
        at += n;
    }
    Ok(Run {
        name,
        right,
        seconds,
    })
}

/// Throughput on article-shaped input, the way `xabar analyze` calls the identifier: once on
/// the whole article, then once per paragraph, either on its own (`identify`) or with the
/// article's answer as context (`identify_within`). Articles are built from the `lingua` sets'
/// sentences, five to a paragraph and six paragraphs to an article. Returns the article count
/// and MB/s for each way.
fn article_speed(rows: &[Row]) -> (usize, f64, f64) {
    let identifier = Identifier::new();
    let mut articles: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows.iter().filter(|r| r.set == "lingua") {
        let paragraphs: Vec<String> = row.sentences.chunks(5).map(|c| c.join(" ")).collect();
        for chunk in paragraphs.chunks(6) {
            articles.push((chunk.join("\n\n"), chunk.to_vec()));
        }
    }
    let bytes: usize = articles.iter().map(|(a, _)| a.len()).sum();
    let alone = throughput(bytes, || {
        let mut sink = 0usize;
        for (article, paragraphs) in &articles {
            sink += identifier.identify(article).language as usize;
            for paragraph in paragraphs {
                sink += identifier.identify(paragraph).language as usize;
            }
        }
        sink
    });
    let within = throughput(bytes, || {
        let mut sink = 0usize;
        for (article, paragraphs) in &articles {
            let context = identifier.identify(article);
            for paragraph in paragraphs {
                sink += identifier.identify_within(paragraph, &context).language as usize;
            }
        }
        sink
    });
    (articles.len(), alone, within)
}

/// The same two figures on real articles: the seed corpus (`../corpus/seeds/*.txt` beside the
/// evaluation sets, one article a file, one paragraph a line). Returns
/// (articles, bytes, MB/s alone, MB/s within), or `None` without the folder.
fn seed_speed(data: &Path) -> Option<(usize, usize, f64, f64)> {
    let dir = data.join("../corpus/seeds");
    let mut articles = Vec::new();
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            articles.push(text);
        }
    }
    if articles.is_empty() {
        return None;
    }
    let identifier = Identifier::new();
    let bytes: usize = articles.iter().map(String::len).sum();
    let paragraphs = |article: &String| {
        article
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let split: Vec<(String, Vec<String>)> = articles
        .iter()
        .map(|a| (a.clone(), paragraphs(a)))
        .collect();
    let alone = throughput(bytes, || {
        let mut sink = 0usize;
        for (article, paragraphs) in &split {
            sink += identifier.identify(article).language as usize;
            for paragraph in paragraphs {
                sink += identifier.identify(paragraph).language as usize;
            }
        }
        sink
    });
    let within = throughput(bytes, || {
        let mut sink = 0usize;
        for (article, paragraphs) in &split {
            let context = identifier.identify(article);
            for paragraph in paragraphs {
                sink += identifier.identify_within(paragraph, &context).language as usize;
            }
        }
        sink
    });
    Some((articles.len(), bytes, alone, within))
}

/// MB/s of `round`, which reads `bytes` bytes and returns something to keep the optimizer
/// from skipping it, run over and over for at least a second of CPU time.
fn throughput(bytes: usize, mut round: impl FnMut() -> usize) -> f64 {
    let clock = Clock::start();
    let mut rounds = 0usize;
    let mut sink = 0usize;
    while rounds < 3 || clock.seconds() < 1.0 {
        sink = sink.wrapping_add(round());
        rounds += 1;
    }
    std::hint::black_box(sink);
    (bytes * rounds) as f64 / clock.seconds() / 1e6
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
    // The machine may be shared: the load says how far to trust the timings.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .map_or(String::new(), |l| {
            format!(", load average {l} when measured")
        });
    format!("{cores} cores, {model}{load}")
}

/// A clock for timings: the CPU time of the calling thread where the system tells it, so that
/// other processes on a shared machine do not count; wall time elsewhere.
struct Clock {
    cpu: Option<f64>,
    wall: Instant,
}

/// The CPU seconds the calling thread has used, if the system says.
fn thread_cpu_seconds() -> Option<f64> {
    Some(crate::timing::thread_cpu_seconds()).filter(|s| s.is_finite())
}

impl Clock {
    fn start() -> Clock {
        Clock {
            cpu: thread_cpu_seconds(),
            wall: Instant::now(),
        }
    }

    fn seconds(&self) -> f64 {
        let seconds = match (self.cpu, thread_cpu_seconds()) {
            (Some(start), Some(now)) if now > start => now - start,
            _ => self.wall.elapsed().as_secs_f64(),
        };
        seconds.max(1e-9)
    }
}

fn accuracy(right: usize, total: usize) -> String {
    if total == 0 {
        "–".into()
    } else {
        format!("{:.3}", right as f64 / total as f64)
    }
}

pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let rows = load_rows(data, args.half)?;
    let total_sentences: usize = rows.iter().map(|r| r.sentences.len()).sum();
    let total_bytes: usize = rows
        .iter()
        .flat_map(|r| &r.sentences)
        .map(|s| s.len())
        .sum();

    let (xabar, wrong) = xabar_run(&rows, args.errors);
    let mut runs = vec![xabar];
    let mut notes = Vec::new();
    if args.no_peers {
        notes.push("Peers skipped (--no-peers).".to_string());
    } else if let Some(python) = peers::python() {
        for (tool, name) in [("lingua", "lingua-py"), ("cld2", "CLD2")] {
            eprintln!("langid: running {name}…");
            runs.push(peer_run(&python, tool, name, &rows)?);
        }
    } else {
        let note = "Peers not run: .venv-peers is missing; make it with \
                    `bash scripts/setup-peers.sh`."
            .to_string();
        eprintln!("langid: {note}");
        notes.push(note);
    }
    let (articles, alone_mb_s, within_mb_s) = article_speed(&rows);
    let seeds = seed_speed(data);
    let seed_line = match seeds {
        Some((n, bytes, alone, within)) => format!(
            "xabar on the {n} real articles of corpus/seeds ({bytes} bytes, many short \
             paragraphs: captions, bylines, \"Видео\"), same calls: {alone:.1} MB/s with \
             `identify`, {within:.1} MB/s with `identify_within` for the paragraphs."
        ),
        None => "corpus/seeds not found: no real-article speed figure.".to_string(),
    };

    let mut table = String::new();
    let _ = write!(table, "| set | language | sentences | target |");
    for run in &runs {
        let _ = write!(table, " {} |", run.name);
    }
    table.push('\n');
    table.push_str("|---|---|---:|---:|");
    for _ in &runs {
        table.push_str("---:|");
    }
    table.push('\n');
    let mut misses_below_target = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let label = match row.script {
            Some(script) => format!("{} ({}, {script})", row.label, row.language),
            None => row.label.clone(),
        };
        let target = row.target.map_or("".into(), |t| format!("{t:.3}"));
        let _ = write!(
            table,
            "| {} | {label} | {} | {target} |",
            row.set,
            row.sentences.len()
        );
        for run in &runs {
            let _ = write!(table, " {} |", accuracy(run.right[i], row.sentences.len()));
        }
        table.push('\n');
        if let Some(target) = row.target {
            let got = runs[0].right[i] as f64 / row.sentences.len().max(1) as f64;
            if got < target {
                misses_below_target.push(format!("{} {}", row.set, row.label));
            }
        }
    }

    let mut speed = String::from("| tool | sentences/s | MB/s |\n|---|---:|---:|\n");
    for run in &runs {
        let seconds = run.seconds.max(1e-9);
        let _ = writeln!(
            speed,
            "| {} | {:.0} | {:.2} |",
            run.name,
            total_sentences as f64 / seconds,
            total_bytes as f64 / seconds / 1e6
        );
    }

    println!("{table}");
    println!("{speed}");
    println!(
        "xabar on {articles} article-shaped texts, one call per article and one per paragraph, \
         single-threaded: {alone_mb_s:.1} MB/s with `identify`, {within_mb_s:.1} MB/s with \
         `identify_within` for the paragraphs"
    );
    println!("{seed_line}");
    if misses_below_target.is_empty() {
        println!("xabar meets every target.");
    } else {
        println!("xabar below target: {}", misses_below_target.join(", "));
    }
    for note in &notes {
        println!("{note}");
    }
    for (row, misses) in rows.iter().zip(&wrong) {
        for (sentence, got) in misses {
            println!(
                "miss {} {}: {}-{} {:.2} | {sentence}",
                row.set, row.label, got.language, got.script, got.confidence
            );
        }
    }

    if args.half != Half::All || args.no_write {
        return Ok(());
    }
    let report = format!(
        "# Language identification\n\n\
         Written by `cargo run --release -p xabar-eval -- langid` on {date}; machine: {machine}.\n\n\
         Accuracy per language: the share of sentences whose answer is right. For the Uzbek rows \
         xabar must also get the script right; lingua-py and CLD2 answer a language only, so for \
         them any Uzbek answer counts. An undetermined answer counts as wrong.\n\n\
         - `lingua` rows: `langid/lingua/<iso>.txt`, 500 sentences each (Leipzig corpora, as \
         shipped in lingua-rs's test data).\n\
         - `fitrat` rows: `langid/fitrat-dev.txt`, short sentences by label (malformed lines \
         skipped; the labels oth, fra, ita, spa are not scored: xabar does not model them).\n\
         - lingua-py: detector built from all its languages, high accuracy mode, models preloaded \
         (it has no Uzbek, Kyrgyz or Tajik). CLD2: pycld2 `detect`, top language. Both run by \
         `scripts/peers/langid.py` from `.venv-peers` (`bash scripts/setup-peers.sh`).\n\
         - xabar: `xabar_text::langid::Identifier` (letters, frequent words and endings first; \
         lingua-rs models for 12 languages when those leave the answer open).\n\n\
         {table}\n\
         Speed, single-threaded, on the same sentences ({total_sentences} sentences, \
         {mb:.2} MB), in CPU time of the measuring thread (process for the peers, timed inside \
         Python), model loading excluded:\n\n\
         {speed}\n\
         xabar on {articles} article-shaped texts built from the `lingua` sentences (five \
         sentences a paragraph, six paragraphs an article), one call per article and one per \
         paragraph, single-threaded: **{alone_mb_s:.1} MB/s** with `identify` for every call, \
         **{within_mb_s:.1} MB/s** with `identify_within(paragraph, &article_answer)` for the \
         paragraphs.\n\n\
         {seed_line}\n\n\
         Limits: a text in a language outside the set above (French, Polish …) gets the \
         nearest language of the set, not `und`; a text gets one answer, that of its first \
         2 KB.\n\
         {notes}",
        date = today(),
        machine = machine(),
        mb = total_bytes as f64 / 1e6,
        notes = if notes.is_empty() {
            String::new()
        } else {
            format!("\n{}\n", notes.join("\n"))
        },
    );
    std::fs::create_dir_all(docs)?;
    let path = docs.join("LANGID.md");
    std::fs::write(&path, report).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
