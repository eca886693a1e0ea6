//! Speed of relating at scale: `cargo bench -p xabar-relate [-- ARTICLES]`.
//!
//! Builds a stream of synthetic articles from the sample corpus (and, when `../shared` is
//! there, the seed articles and the BSNLP raw documents): each is two or three paragraphs
//! drawn from source articles of one language, with a third of its words swapped for other
//! words of that language, its numbers redrawn, and a date that advances about 300 articles a day; one in ten is a lightly edited
//! copy of a recent article, so that reprints are found along the way. It then profiles the
//! articles (in parallel, as `xabar ingest` would) and adds them to one `Relator` in order,
//! printing throughput for every tenth of the stream: the time per article must stay flat
//! once the time window is full, however many articles came before.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use xabar_core::{ArticleId, Language, Script};
use xabar_relate::{ArticleView, Profile, Relator};
use xabar_text::script::dominant_script;

/// A small deterministic generator (xorshift64*), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Source {
    language: Language,
    paragraphs: Vec<String>,
}

/// Reads `date`-headed sample files and plain seed files: the body's paragraphs and a
/// language guessed from the file name or script (good enough for a benchmark).
fn sources(root: &Path) -> Vec<Source> {
    let mut out = Vec::new();
    let mut add_dir = |dir: &Path| {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let language = ["kk", "ru", "en", "uz", "de"]
                .into_iter()
                .find(|code| name.contains(&format!("_{code}")))
                .and_then(|code| code.parse().ok())
                .unwrap_or(match dominant_script(&text) {
                    Script::Latn => Language::De,
                    _ => Language::Uz,
                });
            let paragraphs: Vec<String> = text
                .split('\n')
                .map(str::trim)
                .filter(|p| p.chars().count() > 60 && !p.starts_with("date "))
                .map(str::to_string)
                .collect();
            if !paragraphs.is_empty() {
                out.push(Source {
                    language,
                    paragraphs,
                });
            }
        }
    };
    add_dir(&root.join("samples/articles"));
    add_dir(&root.join("../shared/corpus/seeds"));
    // The BSNLP raw documents, when there: thousands of real news texts in six languages
    // give the stream a realistic vocabulary and cast of names.
    let bsnlp = root.join("../shared/eval/entities/bsnlp");
    for topic in std::fs::read_dir(&bsnlp).into_iter().flatten().flatten() {
        for language in std::fs::read_dir(topic.path().join("raw"))
            .into_iter()
            .flatten()
            .flatten()
        {
            for file in std::fs::read_dir(language.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let Ok(text) = std::fs::read_to_string(file.path()) else {
                    continue;
                };
                let mut lines = text.lines();
                let code = lines.nth(1).unwrap_or("").trim();
                let Ok(language) = code.parse::<Language>() else {
                    continue;
                };
                let paragraphs: Vec<String> = lines
                    .skip(3)
                    .map(str::trim)
                    .filter(|p| p.chars().count() > 60)
                    .map(str::to_string)
                    .collect();
                if !paragraphs.is_empty() {
                    out.push(Source {
                        language,
                        paragraphs,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (a.language, &a.paragraphs).cmp(&(b.language, &b.paragraphs)));
    out
}

fn synthesize(n: usize, sources: &[Source]) -> Vec<(ArticleId, Language, NaiveDate, String)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut vocabulary: HashMap<Language, Vec<String>> = HashMap::new();
    for source in sources {
        for p in &source.paragraphs {
            vocabulary
                .entry(source.language)
                .or_default()
                .extend(p.split_whitespace().map(str::to_string));
        }
    }
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let mut out: Vec<(ArticleId, Language, NaiveDate, String)> = Vec::with_capacity(n);
    for i in 0..n {
        let date = start
            .checked_add_days(Days::new((i / 300) as u64))
            .unwrap_or(start);
        let id = ArticleId(format!("{i:08x}"));
        if i > 10 && rng.below(10) == 0 {
            // A reprint of a recent article: a few words changed, a line of clutter added.
            let (_, language, _, text) = &out[i - 1 - rng.below(10.min(i - 1))];
            let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
            for _ in 0..3 {
                let k = rng.below(words.len());
                words[k] = format!("{}x", words[k]);
            }
            let text = format!("{}\nЧитайте также: новости дня", words.join(" "));
            out.push((id, *language, date, text));
            continue;
        }
        let first = &sources[rng.below(sources.len())];
        let language = first.language;
        let same: Vec<&Source> = sources.iter().filter(|s| s.language == language).collect();
        let words = &vocabulary[&language];
        let mut paragraphs = Vec::new();
        for _ in 0..2 + rng.below(2) {
            let source = same[rng.below(same.len())];
            let paragraph = &source.paragraphs[rng.below(source.paragraphs.len())];
            let varied: Vec<String> = paragraph
                .split_whitespace()
                .map(|w| {
                    if w.chars().any(|c| c.is_ascii_digit()) {
                        format!("{}", rng.below(100_000))
                    } else if rng.below(3) == 0 {
                        words[rng.below(words.len())].clone()
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            paragraphs.push(varied.join(" "));
        }
        out.push((id, language, date, paragraphs.join("\n")));
    }
    out
}

/// CPU seconds this thread has run (Linux), so that figures hold on a busy machine.
fn thread_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// CPU seconds the whole process has run (Linux; user and system time in 1/100 s ticks).
fn process_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let sources = sources(&root);
    if sources.is_empty() {
        eprintln!("no sample articles found under {}", root.display());
        return;
    }
    let articles = synthesize(n, &sources);
    let mb = articles.iter().map(|a| a.3.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{n} synthetic articles ({mb:.1} MB) from {} source articles; {} threads for profiling",
        sources.len(),
        rayon::current_num_threads()
    );

    // The caller knows each article's script (prepared articles carry it): not timed.
    let scripts: Vec<Script> = articles.iter().map(|a| dominant_script(&a.3)).collect();
    let started = Instant::now();
    let cpu_started = process_cpu();
    let profiles: Vec<Profile> = {
        use rayon::prelude::*;
        articles
            .par_iter()
            .zip(&scripts)
            .map(|((id, language, date, text), script)| {
                Profile::new(
                    &ArticleView::new(id, *language, *script, text).with_published(Some(*date)),
                )
            })
            .collect()
    };
    let profiling = started.elapsed().as_secs_f64();
    let profiling_cpu = match (cpu_started, process_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => profiling,
    };
    println!(
        "profiling: {:.0} articles/s wall on all threads; {:.0} articles/s ({:.1} MB/s) per \
         CPU-second",
        n as f64 / profiling,
        n as f64 / profiling_cpu,
        mb / profiling_cpu
    );

    let mut config = xabar_relate::Config::default();
    if let Some(cap) = std::env::var("RELATE_MAX_POSTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.max_postings = cap;
    }
    let mut relator = Relator::new(config).unwrap_or_default();
    let step = (n / 10).max(1);
    let mut links = 0usize;
    let mut stories = std::collections::HashSet::new();
    let mut lap = Instant::now();
    let mut lap_cpu = thread_cpu();
    let all = Instant::now();
    let all_cpu = thread_cpu();
    println!(
        "{:>9} {:>12} {:>12} {:>14} {:>8} {:>9}",
        "articles", "wall art/s", "CPU art/s", "CPU µs/article", "window", "links"
    );
    for (i, profile) in profiles.into_iter().enumerate() {
        let added = relator.add(profile);
        links += added.links.len();
        stories.insert(added.story);
        if (i + 1) % step == 0 {
            let seconds = lap.elapsed().as_secs_f64();
            let now_cpu = thread_cpu();
            let cpu = match (lap_cpu, now_cpu) {
                (Some(a), Some(b)) => b - a,
                _ => seconds,
            };
            println!(
                "{:>9} {:>12.0} {:>12.0} {:>14.1} {:>8} {:>9}",
                i + 1,
                step as f64 / seconds,
                step as f64 / cpu,
                cpu * 1e6 / step as f64,
                relator.len(),
                links
            );
            lap = Instant::now();
            lap_cpu = now_cpu;
        }
    }
    let relating = all.elapsed().as_secs_f64();
    let relating_cpu = match (all_cpu, thread_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => relating,
    };
    println!(
        "relating: {:.0} articles/s wall, {:.0} per CPU-second, on one thread; {} stories",
        n as f64 / relating,
        n as f64 / relating_cpu,
        stories.len(),
    );
    println!(
        "profiling + relating, CPU: {:.0} µs per article ({:.0} articles/s on one core)",
        (profiling_cpu + relating_cpu) * 1e6 / n as f64,
        n as f64 / (profiling_cpu + relating_cpu)
    );
}
