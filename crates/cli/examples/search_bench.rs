//! Search latency on a large store: builds a store of many articles (100,000 by default) from
//! the real texts the project ships, then times a set of realistic queries the way
//! `xabar search` runs them, and prints median and 95th-percentile latencies.
//!
//! The store is built from the sample corpus (`samples/`) and, when present, the seed
//! articles in `../shared/corpus/seeds/`, each analyzed once. Every stored article is one of
//! them with variations: its own URL (so its own identity), a published day spread over two
//! years, an outlet from a set of fifty, and a closing paragraph of 30 to 70 words drawn at
//! random from the vocabulary of the texts in its language, so that the terms' frequencies
//! and the ranking vary as in a real collection. The analysis (mentions, entity links) is the
//! real one; only the closing paragraph is new, and its words are indexed like any other.
//!
//! What a query costs here is what `xabar search` spends after start-up: building the query
//! parser (knowledge base plus the store's 200 most mentioned entities), parsing, the store's
//! search and the snippets of 20 hits. The one-time loading of the knowledge base is timed
//! apart. This is a benchmark, not a test: it prints figures and asserts nothing.
//!
//! ```sh
//! cargo run --release -p xabar-cli --example search_bench -- --articles 100000
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use xabar_annotate::kb::KnowledgeBase;
use xabar_annotate::link::Linker;
use xabar_annotate::{Annotations, Annotator};
use xabar_core::{Article, ArticleId, Language, LanguageIdentifier, Paragraph};
use xabar_engine::query::QueryParser;
use xabar_ingest::{Input, Reader, prepare};
use xabar_store::{
    ArticleFilter, EntityFilter, Page, Relations, SearchQuery, SqliteOptions, SqliteStore, Store,
};
use xabar_text::langid::Identifier;
use xabar_text::token::{TokenKind, tokenize};

struct Options {
    articles: usize,
    db: PathBuf,
    rounds: usize,
    limit: usize,
    window: Option<usize>,
    rebuild: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        articles: 100_000,
        db: std::env::temp_dir().join("xabar-search-bench.db"),
        rounds: 15,
        limit: 20,
        window: None,
        rebuild: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--articles" => {
                o.articles = value("--articles")?
                    .parse()
                    .map_err(|_| "--articles takes a number")?;
            }
            "--db" => o.db = PathBuf::from(value("--db")?),
            "--rounds" => {
                o.rounds = value("--rounds")?
                    .parse()
                    .map_err(|_| "--rounds takes a number")?;
            }
            "--limit" => {
                o.limit = value("--limit")?
                    .parse()
                    .map_err(|_| "--limit takes a number")?;
            }
            "--window" => {
                o.window = Some(
                    value("--window")?
                        .parse()
                        .map_err(|_| "--window takes a number")?,
                );
            }
            "--rebuild" => o.rebuild = true,
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: search_bench [--articles N] [--db PATH] \
                     [--rounds N] [--limit N] [--window N] [--rebuild]"
                ));
            }
        }
    }
    Ok(o)
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("search_bench: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&o) {
        eprintln!("search_bench: {e}");
        std::process::exit(1);
    }
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    // Timed first, before analysis loads it: what every `xabar search` process pays once.
    let started = Instant::now();
    let kb = KnowledgeBase::global();
    println!(
        "knowledge base loaded in {:.1} ms ({} entities): once per process",
        ms(started.elapsed()),
        kb.len()
    );
    let existing = if o.rebuild || !o.db.exists() {
        0
    } else {
        SqliteStore::open_read_only(&o.db, &SqliteOptions::default())?
            .stats()?
            .articles
    };
    if existing as usize != o.articles {
        for suffix in ["", "-wal", "-shm", "-writer"] {
            let mut p = o.db.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        build(o)?;
    } else {
        println!("reusing {} ({} articles)", o.db.display(), existing);
    }
    bench(o)
}

/// Analyzes the shipped texts once, in input order, as `xabar analyze` does.
fn analyzed() -> Result<Vec<(Article, Annotations)>, Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs = vec![
        Input::Path(root.join("samples/articles")),
        Input::Path(root.join("samples/articles.jsonl")),
    ];
    let seeds = root.join("../shared/corpus/seeds");
    if seeds.is_dir() {
        inputs.push(Input::Path(seeds));
    }
    let identifier = Identifier::new();
    let annotator = Annotator::new();
    let mut linker = Linker::new();
    let mut out = Vec::new();
    for raw in Reader::new(inputs) {
        let Ok(raw) = raw else { continue };
        let article = prepare(raw, &identifier as &dyn LanguageIdentifier)?;
        let mut mentions = annotator.recognize(&article);
        linker.link_article(
            &article.id.0,
            article.language,
            article.script,
            &mut mentions,
        );
        let annotations = annotator.finish(&article, mentions);
        out.push((article, annotations));
    }
    Ok(out)
}

/// A small, fast, reproducible generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn build(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let sources = analyzed()?;
    if sources.is_empty() {
        return Err("no articles could be read from samples/".into());
    }
    println!(
        "analyzed {} source articles in {:.1} s",
        sources.len(),
        started.elapsed().as_secs_f64()
    );
    // Words per language, to draw the closing paragraphs from.
    let mut vocabulary: Vec<(Language, Vec<String>)> = Vec::new();
    for (article, _) in &sources {
        let words: Vec<String> = tokenize(&article.text)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text.to_string())
            .collect();
        match vocabulary.iter_mut().find(|(l, _)| *l == article.language) {
            Some((_, list)) => list.extend(words),
            None => vocabulary.push((article.language, words)),
        }
    }
    let outlets: Vec<String> = (0..50)
        .map(|i| match i % 5 {
            0 => format!("Steppe Wire {i}"),
            1 => format!("Dala Aqparat {i}"),
            2 => format!("Евразия-Пресс {i}"),
            3 => format!("Ziyo Xabar {i}"),
            _ => format!("Oxus Brief {i}"),
        })
        .collect();
    let first_day = NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("bad date")?;
    let mut store = SqliteStore::open(&o.db, &SqliteOptions::default())?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut batch: Vec<(xabar_store::ArticleRecord, Relations)> = Vec::with_capacity(1000);
    let building = Instant::now();
    for i in 0..o.articles {
        let (base, annotations) = &sources[i % sources.len()];
        let mut article = base.clone();
        let words = vocabulary
            .iter()
            .find(|(l, _)| *l == article.language)
            .map(|(_, w)| w.as_slice())
            .unwrap_or_default();
        let n = 30 + rng.below(41);
        let closing: Vec<&str> = (0..n)
            .filter_map(|_| words.get(rng.below(words.len())).map(String::as_str))
            .collect();
        let start = article.text.len() + 1;
        article.text.push('\n');
        article.text.push_str(&closing.join(" "));
        article.paragraphs.push(Paragraph {
            start,
            end: article.text.len(),
            language: article.language,
            script: article.script,
        });
        let url = format!("https://bench.example.org/{}/{i}", article.language.code());
        article.id = ArticleId::derive(Some(&url), &article.text);
        article.url = Some(url);
        article.canonical_url = None;
        article.published = first_day.checked_add_days(Days::new(rng.below(730) as u64));
        if i % 2 == 1 {
            article.outlet = Some(outlets[rng.below(outlets.len())].clone());
        }
        batch.push((
            xabar_engine::record(&article, annotations),
            Relations::default(),
        ));
        if batch.len() == 1000 || i + 1 == o.articles {
            for put in store.put_articles(&batch)? {
                put?;
            }
            batch.clear();
            let done = i + 1;
            if done % 10_000 == 0 || done == o.articles {
                let s = building.elapsed().as_secs_f64();
                println!(
                    "stored {done} articles in {s:.0} s ({:.0} articles/s)",
                    done as f64 / s
                );
            }
        }
    }
    drop(store);
    let size = std::fs::metadata(&o.db)?.len();
    println!(
        "built {} in {:.0} s, {:.0} MB",
        o.db.display(),
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    Ok(())
}

/// One timed query: the words and the filter.
struct Case {
    label: &'static str,
    query: &'static str,
    filter: ArticleFilter,
}

fn cases() -> Vec<Case> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let plain = |label, query| Case {
        label,
        query,
        filter: ArticleFilter::default(),
    };
    vec![
        plain("name, Latin (en)", "Tokayev"),
        plain("name, Latin (de)", "Toqajew"),
        plain("name, Cyrillic (kk)", "Тоқаев"),
        plain("name, Cyrillic (uz)", "Тўқаев"),
        plain("full name, Latin", "Shavkat Mirziyoyev"),
        plain("place, Latin", "Astana"),
        plain("place, Cyrillic", "Ташкент"),
        plain("common word (ru)", "вода"),
        plain("common word (en)", "water"),
        plain("two words (ru)", "контейнерный поезд"),
        plain("name and word", "Mirziyoyev festival"),
        plain("rare word", "Чордара"),
        Case {
            label: "name, --lang ru",
            query: "Токаев",
            filter: ArticleFilter {
                language: Some(Language::Ru),
                ..ArticleFilter::default()
            },
        },
        Case {
            label: "word, --since/--until",
            query: "water",
            filter: ArticleFilter {
                since: day(2025, 3, 1),
                until: day(2025, 5, 31),
                ..ArticleFilter::default()
            },
        },
        Case {
            label: "name, --outlet",
            query: "Samarkand",
            filter: ArticleFilter {
                outlet: Some("Steppe Wire".into()),
                ..ArticleFilter::default()
            },
        },
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let mut options = SqliteOptions::default();
    if let Some(window) = o.window {
        options.search_window = window;
    }
    let store = SqliteStore::open_read_only(&o.db, &options)?;
    let stats = store.stats()?;
    println!(
        "store: {} articles, {} entities; {} rounds per query, at most {} hits each, \
         search window {}",
        stats.articles, stats.entities, o.rounds, o.limit, options.search_window
    );
    let t = Instant::now();
    let known = store.entities(
        &EntityFilter {
            kind: None,
            min_articles: 2,
        },
        Page::first(200),
    )?;
    println!(
        "the store's {} most mentioned entities (of at most 200) read in {:.2} ms",
        known.len(),
        ms(t.elapsed())
    );
    let mut all = Vec::new();
    println!(
        "{:<24} {:>5} {:>10} {:>9} {:>9} {:>9}",
        "query", "hits", "terms", "parse ms", "median ms", "p95 ms"
    );
    for case in cases() {
        let mut times = Vec::with_capacity(o.rounds);
        let mut parse_times = Vec::with_capacity(o.rounds);
        let mut hits = 0;
        let mut terms = String::new();
        for round in 0..=o.rounds {
            let t = Instant::now();
            let mut parser = QueryParser::new().language(case.filter.language);
            parser.add_entities(&store.entities(
                &EntityFilter {
                    kind: None,
                    min_articles: 2,
                },
                Page::first(200),
            )?);
            let parsed = parser.parse(case.query)?;
            let parsing = t.elapsed();
            let found = store.search(&SearchQuery {
                terms: parsed.terms(),
                filter: case.filter.clone(),
                page: Page::first(o.limit),
                ..SearchQuery::default()
            })?;
            let elapsed = t.elapsed();
            hits = found.len();
            terms = parsed
                .groups
                .iter()
                .map(|g| g.terms.len().to_string())
                .collect::<Vec<_>>()
                .join("+");
            // The first round warms the page cache for this query; it is not counted.
            if round > 0 {
                times.push(elapsed);
                parse_times.push(parsing);
            }
        }
        times.sort();
        parse_times.sort();
        println!(
            "{:<24} {:>5} {:>10} {:>9.1} {:>9.1} {:>9.1}",
            case.label,
            hits,
            terms,
            ms(percentile(&parse_times, 0.5)),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95))
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "all queries: median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} runs)",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95)),
        ms(percentile(&all, 1.0)),
        all.len()
    );
    Ok(())
}
