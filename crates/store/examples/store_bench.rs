//! A quick measurement of the SQLite store: `put_article` throughput (per 10,000 articles, to
//! see that it stays flat) and search latency on the store it built. Not a test: run it in
//! release mode and read the numbers.
//!
//! ```text
//! cargo run --release -p xabar-store --example store_bench -- \
//!     [--articles 100000] [--texts samples/articles] [--db PATH] [--queries 300]
//! ```
//!
//! Articles are the `.txt` files of `--texts` repeated with variations (paragraphs rotated, a
//! numbered sentence added, outlet, language and date varied). Terms imitate what the analysis
//! produces: per word its lower-cased form, a six-letter stem and a key, and an entity id over
//! every capitalized word that is among the texts' most frequent names.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use xabar_core::{ArticleId, EntityId, EntityKind, Language, Mention, Paragraph, Script};
use xabar_store::*;

struct Args {
    articles: usize,
    texts: PathBuf,
    db: Option<PathBuf>,
    queries: usize,
    batch: usize,
    search_only: bool,
}

fn args() -> Args {
    let mut args = Args {
        articles: 20_000,
        texts: PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/articles"
        )),
        db: None,
        queries: 300,
        batch: 64,
        search_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--search-only" {
            args.search_only = true;
            continue;
        }
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--articles" => args.articles = value.parse().expect("--articles N"),
            "--texts" => args.texts = PathBuf::from(value),
            "--db" => args.db = Some(PathBuf::from(value)),
            "--queries" => args.queries = value.parse().expect("--queries N"),
            "--batch" => args.batch = value.parse().expect("--batch N"),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

/// Word spans of a text.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() || c == '\u{2bb}' {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    out
}

fn stem(word: &str) -> String {
    word.chars().take(6).collect()
}

struct Corpus {
    texts: Vec<String>,
    names: HashMap<String, String>,
}

fn load(dir: &PathBuf) -> Corpus {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("--texts folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| !t.trim().is_empty())
        .collect();
    assert!(!texts.is_empty(), "no .txt files in {}", dir.display());
    // The most frequent capitalized words stand in for linked names.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in &texts {
        for (s, e) in words(t) {
            let w = &t[s..e];
            if w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 3 {
                *counts.entry(w).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let names = ranked
        .iter()
        .take(60)
        .map(|(w, _)| (w.to_string(), format!("kb:x/{}", w.to_lowercase())))
        .collect();
    Corpus { texts, names }
}

fn article(corpus: &Corpus, i: usize) -> ArticleRecord {
    let base = &corpus.texts[i % corpus.texts.len()];
    let mut paragraphs: Vec<&str> = base.split('\n').filter(|p| !p.trim().is_empty()).collect();
    let rotate = (i / corpus.texts.len()) % paragraphs.len().max(1);
    paragraphs.rotate_left(rotate);
    let mut text = format!("Report number {i} ref{i}.");
    let mut spans = vec![(0, text.len())];
    for p in &paragraphs {
        text.push('\n');
        let start = text.len();
        text.push_str(p.trim());
        spans.push((start, text.len()));
    }
    let language = [
        Language::Ru,
        Language::Kk,
        Language::Uz,
        Language::De,
        Language::En,
    ][i % 5];
    let url = format!("https://bench.example/{i}");
    let mut terms = Vec::new();
    let mut mentions = Vec::new();
    for (s, e) in words(&text) {
        let w = &text[s..e];
        let lower = w.to_lowercase();
        terms.push(IndexedTerm {
            term: format!("k:{lower}"),
            start: s,
            end: e,
        });
        terms.push(IndexedTerm {
            term: stem(&lower),
            start: s,
            end: e,
        });
        if let Some(entity) = corpus.names.get(w) {
            terms.push(IndexedTerm {
                term: format!("e:{entity}"),
                start: s,
                end: e,
            });
            mentions.push(Mention {
                start: s,
                end: e,
                text: w.to_string(),
                kind: EntityKind::Person,
                entity: Some(EntityId(entity.clone())),
                name: Some(lower.clone()),
                role: None,
            });
        }
        terms.push(IndexedTerm {
            term: lower,
            start: s,
            end: e,
        });
    }
    let published = chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new((i / 30) as u64)));
    ArticleRecord {
        id: ArticleId::derive(Some(&url), &text),
        source: format!("bench/{i}"),
        url: Some(url),
        canonical_url: None,
        outlet: Some(format!("Outlet {}", i % 40)),
        title: Some(format!("Report number {i}")),
        published,
        modified: None,
        language,
        script: Script::Cyrl,
        paragraphs: spans
            .iter()
            .map(|&(start, end)| Paragraph {
                start,
                end,
                language,
                script: Script::Cyrl,
            })
            .collect(),
        authors: Vec::new(),
        dateline: None,
        text_hash: ArticleRecord::hash_text(&text),
        mentions,
        quotes: Vec::new(),
        dates: Vec::new(),
        events: Vec::new(),
        terms,
        text,
    }
}

/// A small deterministic generator for picking query words.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// This thread's CPU time in seconds (Linux), so that a busy machine does not skew the rate.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<f64>().ok())
        })
        .map_or(0.0, |ns| ns / 1e9)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args = args();
    let corpus = load(&args.texts);
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = args
        .db
        .clone()
        .unwrap_or_else(|| dir.path().join("bench.db"));
    if !args.search_only {
        build(&args, &corpus, &path);
    }
    search(&args, &corpus, &path);
}

fn build(args: &Args, corpus: &Corpus, path: &std::path::Path) {
    let mut store = SqliteStore::open(path, &SqliteOptions::default()).expect("open");
    println!(
        "{} texts from {}, {} articles into {}",
        corpus.texts.len(),
        args.texts.display(),
        args.articles,
        path.display()
    );

    let started = Instant::now();
    let cpu_started = cpu_secs();
    let mut chunk_start = Instant::now();
    let mut chunk_cpu = cpu_secs();
    let mut prepare_secs = 0.0;
    let mut prepare_cpu = 0.0;
    let mut bytes = 0usize;
    let mut terms = 0usize;
    let mut pending = Vec::with_capacity(args.batch);
    for i in 0..args.articles {
        let t = Instant::now();
        let c = cpu_secs();
        let record = article(corpus, i);
        prepare_secs += t.elapsed().as_secs_f64();
        prepare_cpu += cpu_secs() - c;
        bytes += record.text.len();
        terms += record.terms.len();
        if args.batch <= 1 {
            store.put_article(&record).expect("put");
        } else {
            pending.push((record, Relations::default()));
            if pending.len() == args.batch || i + 1 == args.articles {
                for r in store.put_articles(&pending).expect("put batch") {
                    r.expect("put");
                }
                pending.clear();
            }
        }
        if (i + 1) % 10_000 == 0 || i + 1 == args.articles {
            let n = (i % 10_000) + 1;
            println!(
                "  articles {:>7}: {:>6.0} put_article/s wall, {:>6.0}/s of CPU over the last {n}",
                i + 1,
                n as f64 / chunk_start.elapsed().as_secs_f64(),
                n as f64 / (cpu_secs() - chunk_cpu)
            );
            chunk_start = Instant::now();
            chunk_cpu = cpu_secs();
        }
    }
    let total = started.elapsed().as_secs_f64() - prepare_secs;
    let total_cpu = cpu_secs() - cpu_started - prepare_cpu;
    println!(
        "put_article (batches of {}): {:.0}/s of CPU time;\n  {:.0}/s overall ({:.2} ms each; {:.1} KB text and {:.0} terms an article)",
        args.batch,
        args.articles as f64 / total_cpu,
        args.articles as f64 / total,
        total * 1000.0 / args.articles as f64,
        bytes as f64 / args.articles as f64 / 1000.0,
        terms as f64 / args.articles as f64
    );
    let t = Instant::now();
    let c = cpu_secs();
    let record = article(corpus, 0);
    let reps = 2000.min(args.articles);
    for i in 0..reps {
        let r = if i == 0 {
            record.clone()
        } else {
            article(corpus, i)
        };
        assert_eq!(
            store.put_article(&r).expect("put").outcome,
            PutOutcome::Unchanged
        );
    }
    println!(
        "re-put of stored articles (Unchanged, article generation included): {:.0}/s wall, \
         {:.0}/s of CPU",
        reps as f64 / t.elapsed().as_secs_f64(),
        reps as f64 / (cpu_secs() - c)
    );
    drop(store);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!("store file: {:.1} MB", size as f64 / 1e6);
}

fn search(args: &Args, corpus: &Corpus, path: &std::path::Path) {
    let reader = SqliteStore::open_read_only(path, &SqliteOptions::default()).expect("reader");
    let mut rng = Lcg(7);
    let sample_word = |rng: &mut Lcg| -> String {
        let text = &corpus.texts[rng.next(corpus.texts.len())];
        let ws = words(text);
        let (s, e) = ws[rng.next(ws.len())];
        text[s..e].to_lowercase()
    };
    let names: Vec<(&String, &String)> = {
        let mut v: Vec<_> = corpus.names.iter().collect();
        v.sort();
        v
    };
    let group = |w: &str| vec![w.to_string(), format!("k:{w}"), stem(w)];
    let name_group = |rng: &mut Lcg| {
        let (surface, entity) = names[rng.next(names.len())];
        let mut g = group(&surface.to_lowercase());
        g.push(format!("e:{entity}"));
        g
    };
    let kinds = [
        "a name",
        "a word",
        "two words",
        "a name, language and since filters",
    ];
    for (kind, label) in kinds.iter().enumerate() {
        let mut times = Vec::with_capacity(args.queries);
        let mut hits = 0;
        for _ in 0..args.queries {
            let mut q = SearchQuery {
                page: Page::first(10),
                ..SearchQuery::default()
            };
            match kind {
                0 | 3 => q.terms.push(name_group(&mut rng)),
                1 => q.terms.push(group(&sample_word(&mut rng))),
                _ => {
                    q.terms.push(group(&sample_word(&mut rng)));
                    q.terms.push(group(&sample_word(&mut rng)));
                }
            }
            if kind == 3 {
                q.filter.language = Some(Language::Kk);
                q.filter.since = chrono::NaiveDate::from_ymd_opt(2021, 1, 1);
            }
            let t = Instant::now();
            hits += reader.search(&q).expect("search").len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "search, {label}: median {:.2} ms, p90 {:.2} ms, max {:.2} ms ({} queries, {:.1} hits each)",
            percentile(&times, 0.5),
            percentile(&times, 0.9),
            times[times.len() - 1],
            times.len(),
            hits as f64 / times.len() as f64
        );
    }
}
