//! `xabar-eval dates`: date expressions. Scores the Kazakh DATE spans of KazNERD
//! (`ner/kaznerd/IOB2_valid.txt`) and checks the dates the seed articles must yield.
//!
//! KazNERD is CoNLL IOB2 (`token TAG`, a blank line between sentences). Each sentence's text
//! is rebuilt by joining its tokens with single spaces; a found date's byte span is mapped to
//! the tokens it touches, and it counts as right when those are exactly the tokens of a gold
//! DATE span. The sentences carry no date, so a nominal published date (`--published`) is
//! given; it changes values, not spans. The report lists the commonest misses and false
//! alarms, and is written into `docs/DATES.md` between the `eval` markers.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use xabar_annotate::dates::{NaiveDate, find_dates};
use xabar_core::Language;

/// Options of `xabar-eval dates`.
#[derive(clap::Args)]
pub struct Args {
    /// The KazNERD file, relative to the data folder.
    #[arg(long, default_value = "ner/kaznerd/IOB2_valid.txt")]
    pub file: PathBuf,
    /// The seed articles' folder; by default `corpus/seeds` beside the data folder.
    #[arg(long)]
    pub seeds: Option<PathBuf>,
    /// The published date given to the undated KazNERD sentences.
    #[arg(long, default_value = "2020-06-15")]
    pub published: String,
    /// How many of the commonest misses and false alarms to list.
    #[arg(long, default_value_t = 25)]
    pub show: usize,
    /// Print the report only; do not update docs/DATES.md.
    #[arg(long)]
    pub no_write: bool,
    /// Print sentences whose spans disagree, gold in [brackets] and found in {braces}, up to
    /// this many.
    #[arg(long, default_value_t = 0)]
    pub contexts: usize,
    /// With --contexts, only sentences where a disagreeing span contains this text.
    #[arg(long)]
    pub grep: Option<String>,
}

struct Sentence {
    text: String,
    /// Byte range of each token in `text`.
    tokens: Vec<(usize, usize)>,
    /// Gold DATE spans as token ranges `[first, last]`.
    gold: Vec<(usize, usize)>,
}

fn read_kaznerd(path: &Path) -> anyhow::Result<Vec<Sentence>> {
    let raw = std::fs::read_to_string(path)
        .with_context(|| format!("reading {} (is ../shared/eval there?)", path.display()))?;
    let mut out = Vec::new();
    let mut words: Vec<(String, String)> = Vec::new();
    let mut flush = |words: &mut Vec<(String, String)>| {
        if words.is_empty() {
            return;
        }
        let mut text = String::new();
        let mut tokens = Vec::with_capacity(words.len());
        let mut gold = Vec::new();
        let mut open: Option<usize> = None;
        for (i, (word, tag)) in words.iter().enumerate() {
            if !text.is_empty() {
                text.push(' ');
            }
            tokens.push((text.len(), text.len() + word.len()));
            text.push_str(word);
            let continues = tag == "I-DATE" && open.is_some();
            if !continues && let Some(start) = open.take() {
                gold.push((start, i - 1));
            }
            if tag == "B-DATE" || (tag == "I-DATE" && !continues) {
                open = Some(i);
            }
        }
        if let Some(start) = open {
            gold.push((start, words.len() - 1));
        }
        out.push(Sentence { text, tokens, gold });
        words.clear();
    };
    for line in raw.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut words);
            continue;
        }
        let Some((word, tag)) = line.rsplit_once(' ') else {
            continue;
        };
        words.push((word.to_string(), tag.to_string()));
    }
    flush(&mut words);
    if out.is_empty() {
        bail!("{} holds no sentences", path.display());
    }
    Ok(out)
}

/// The tokens a byte span touches, as `[first, last]`.
fn token_span(tokens: &[(usize, usize)], start: usize, end: usize) -> Option<(usize, usize)> {
    let first = tokens.iter().position(|&(s, e)| e > start && s < end)?;
    let last = tokens.iter().rposition(|&(s, e)| e > start && s < end)?;
    Some((first, last))
}

fn words_of(s: &Sentence, span: (usize, usize)) -> String {
    s.text[s.tokens[span.0].0..s.tokens[span.1].1].to_lowercase()
}

#[derive(Default)]
struct Counts {
    gold: usize,
    found: usize,
    right: usize,
    overlapping: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        ratio(self.right, self.found)
    }
    fn recall(&self) -> f64 {
        ratio(self.right, self.gold)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn top(map: &HashMap<String, usize>, n: usize) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = map.iter().map(|(k, &c)| (k.clone(), c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// What a seed article must yield: (file prefix, language, expression, value).
const SEED_DATES: &[(&str, Language, &str, &str)] = &[
    ("002", Language::Uz, "11-12 ноябрь", "2025-11-11/2025-11-12"),
    ("001", Language::Kk, "үш жыл бұрын", "2022"),
    ("004", Language::Ru, "25 октября 1990 года", "1990-10-25"),
    ("000", Language::Uz, "2024 йил ноябрь ойида", "2024-11"),
    ("003", Language::De, "November 2024", "2024-11"),
    ("000", Language::Uz, "11 ноябрда", "--11-11"),
    ("003", Language::De, "11. November", "--11-11"),
];

/// The published date a seed states on its first line (` date 2025-10-09 …`), if any.
pub fn seed_published(text: &str) -> Option<NaiveDate> {
    let rest = text.trim_start().strip_prefix("date ")?;
    NaiveDate::parse_from_str(rest.get(..10)?, "%Y-%m-%d").ok()
}

fn seed_report(folder: &Path, out: &mut String) -> anyhow::Result<usize> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| format!("reading {}", folder.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut failures = 0;
    writeln!(out, "| seed | expression | expected | found |")?;
    writeln!(out, "|---|---|---|---|")?;
    for &(prefix, lang, expression, expected) in SEED_DATES {
        let Some(path) = files.iter().find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        }) else {
            bail!("no seed {prefix}_* in {}", folder.display());
        };
        let text = std::fs::read_to_string(path)?;
        let found = find_dates(&text, lang, seed_published(&text));
        let hit = found
            .iter()
            .find(|d| d.text.contains(expression) || expression.contains(d.text.as_str()));
        let shown = hit.map_or("—".to_string(), |d| {
            format!("`{}` → `{}`", d.text, d.value)
        });
        if hit.is_none_or(|d| d.value != expected) {
            failures += 1;
        }
        writeln!(out, "| {prefix} | {expression} | `{expected}` | {shown} |")?;
    }
    Ok(failures)
}

/// Runs the evaluation.
pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let published = NaiveDate::parse_from_str(&args.published, "%Y-%m-%d")
        .with_context(|| format!("--published {:?} is not YYYY-MM-DD", args.published))?;
    let sentences = read_kaznerd(&data.join(&args.file))?;
    let mut counts = Counts::default();
    let mut misses: HashMap<String, usize> = HashMap::new();
    let mut false_alarms: HashMap<String, usize> = HashMap::new();
    let mut bytes = 0usize;
    let started = Instant::now();
    let found_all: Vec<_> = sentences
        .iter()
        .map(|s| {
            bytes += s.text.len();
            find_dates(&s.text, Language::Kk, Some(published))
        })
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    for (s, found) in sentences.iter().zip(&found_all) {
        counts.gold += s.gold.len();
        let predicted: Vec<(usize, usize)> = found
            .iter()
            .filter_map(|d| token_span(&s.tokens, d.start, d.end))
            .collect();
        counts.found += predicted.len();
        for p in &predicted {
            if s.gold.contains(p) {
                counts.right += 1;
            } else {
                if s.gold.iter().any(|g| g.0 <= p.1 && p.0 <= g.1) {
                    counts.overlapping += 1;
                }
                *false_alarms.entry(words_of(s, *p)).or_default() += 1;
            }
        }
        for g in &s.gold {
            if !predicted.contains(g) {
                *misses.entry(words_of(s, *g)).or_default() += 1;
            }
        }
    }
    let mut shown = 0;
    for (s, found) in sentences.iter().zip(&found_all) {
        if shown >= args.contexts {
            break;
        }
        let predicted: Vec<(usize, usize)> = found
            .iter()
            .filter_map(|d| token_span(&s.tokens, d.start, d.end))
            .collect();
        let wrong: Vec<(usize, usize)> = predicted
            .iter()
            .filter(|p| !s.gold.contains(p))
            .chain(s.gold.iter().filter(|g| !predicted.contains(g)))
            .copied()
            .collect();
        if wrong.is_empty() {
            continue;
        }
        if let Some(needle) = &args.grep
            && !wrong
                .iter()
                .any(|w| words_of(s, *w).contains(needle.as_str()))
        {
            continue;
        }
        shown += 1;
        let mut line = String::new();
        for (i, &(a, b)) in s.tokens.iter().enumerate() {
            let opens = |spans: &[(usize, usize)]| spans.iter().filter(|g| g.0 == i).count();
            let closes = |spans: &[(usize, usize)]| spans.iter().filter(|g| g.1 == i).count();
            line.extend(std::iter::repeat_n('[', opens(&s.gold)));
            line.extend(std::iter::repeat_n('{', opens(&predicted)));
            line.push_str(&s.text[a..b]);
            line.extend(std::iter::repeat_n('}', closes(&predicted)));
            line.extend(std::iter::repeat_n(']', closes(&s.gold)));
            line.push(' ');
        }
        let values: Vec<String> = found
            .iter()
            .map(|d| format!("{}={}", d.text, d.value))
            .collect();
        println!("{line}\n    {}", values.join("; "));
    }
    let mut report = String::new();
    writeln!(
        report,
        "KazNERD `{}` DATE spans (exact token match), {} sentences, nominal published date {}:\n",
        args.file.display(),
        sentences.len(),
        published
    )?;
    writeln!(report, "| gold | found | right | precision | recall | F1 |")?;
    writeln!(report, "|---:|---:|---:|---:|---:|---:|")?;
    writeln!(
        report,
        "| {} | {} | {} | {:.3} | {:.3} | {:.3} |\n",
        counts.gold,
        counts.found,
        counts.right,
        counts.precision(),
        counts.recall(),
        counts.f1()
    )?;
    writeln!(
        report,
        "Of the wrong spans, {} overlap a gold span (boundary disagreements). Speed of \
         `find_dates` over these short sentences, one thread: {:.1} MB/s.\n",
        counts.overlapping,
        bytes as f64 / 1e6 / elapsed.max(1e-9)
    )?;
    let seeds = args
        .seeds
        .clone()
        .unwrap_or_else(|| data.join("../corpus/seeds"));
    writeln!(report, "Seed articles (`{}`):\n", seeds.display())?;
    let failures = seed_report(&seeds, &mut report)?;
    println!("{report}");
    println!("Commonest misses (gold spans not found exactly):");
    for (text, n) in top(&misses, args.show) {
        println!("  {n:4}  {text}");
    }
    println!("Commonest false alarms (found spans not in the gold):");
    for (text, n) in top(&false_alarms, args.show) {
        println!("  {n:4}  {text}");
    }
    if !args.no_write {
        update_doc(&docs.join("DATES.md"), &report)?;
    }
    if failures > 0 {
        bail!("{failures} seed date(s) wrong");
    }
    Ok(())
}

const BEGIN: &str = "<!-- eval:begin (written by `xabar-eval dates`) -->";
const END: &str = "<!-- eval:end -->";

/// Replaces the text between the eval markers of the doc (or appends a section).
fn update_doc(path: &Path, report: &str) -> anyhow::Result<()> {
    let doc = std::fs::read_to_string(path).unwrap_or_default();
    let section = format!("{BEGIN}\n{report}{END}");
    let updated = match (doc.find(BEGIN), doc.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{}{}", &doc[..b], section, &doc[e + END.len()..]),
        _ => format!("{doc}\n## Evaluation\n\n{section}\n"),
    };
    std::fs::write(path, updated).with_context(|| format!("writing {}", path.display()))?;
    println!("updated {}", path.display());
    Ok(())
}
