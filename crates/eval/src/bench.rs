//! `xabar-eval bench`: speed of article preparation (`xabar analyze` minus printing) over a
//! multi-script corpus built from `../shared/`: the seed articles, the Uzbek transliteration
//! documents (Cyrillic and Latin), BSNLP news (bg, cs, pl, ru, sl, uk), factRuEval news (ru) and
//! WMT21 documents (de, en, ru). Prints articles/s and MB/s on one thread and on all cores.
//!
//! A figure, not a test: nothing here asserts a time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use xabar_annotate::Annotator;
use xabar_annotate::link::Linker;
use xabar_core::{Article, LanguageIdentifier, Mention, RawArticle};
use xabar_ingest::prepare;
use xabar_text::langid::Identifier;

#[derive(clap::Args)]
pub struct Args {
    /// How many times the corpus is run through, per setting (the best run counts).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, keep, out);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

/// The benchmark corpus: (group, article) pairs.
pub fn corpus(data: &Path) -> anyhow::Result<Vec<(String, RawArticle)>> {
    let shared = data.parent().unwrap_or(data);
    let mut articles = Vec::new();
    let mut push_file = |group: &str, path: &Path, body: String| {
        articles.push((
            group.to_string(),
            RawArticle::text(path.display().to_string(), body),
        ));
    };
    let mut paths = Vec::new();
    files_under(
        &shared.join("corpus/seeds"),
        &|p| p.extension().is_some_and(|e| e == "txt"),
        &mut paths,
    );
    for path in paths.drain(..) {
        push_file("seeds", &path, fs::read_to_string(&path)?);
    }
    files_under(
        &data.join("translit/uz"),
        &|p| p.extension().is_some_and(|e| e == "txt"),
        &mut paths,
    );
    for path in paths.drain(..) {
        push_file("uz translit", &path, fs::read_to_string(&path)?);
    }
    files_under(
        &data.join("entities/bsnlp"),
        &|p| p.components().any(|c| c.as_os_str() == "raw"),
        &mut paths,
    );
    for path in paths.drain(..) {
        // id, lang, date, url, title, then the body.
        let text = fs::read_to_string(&path)?;
        let body: String = text.lines().skip(5).collect::<Vec<_>>().join("\n");
        if !body.trim().is_empty() {
            push_file("bsnlp", &path, body);
        }
    }
    files_under(
        &data.join("ner/factrueval/devset"),
        &|p| p.extension().is_some_and(|e| e == "txt"),
        &mut paths,
    );
    for path in paths.drain(..) {
        push_file("factrueval", &path, fs::read_to_string(&path)?);
    }
    files_under(
        &data.join("translation/wmt21"),
        &|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains(".src.") || n.contains(".ref."))
        },
        &mut paths,
    );
    for path in paths.drain(..) {
        // Line-aligned sentences: 25 lines make an article.
        let text = fs::read_to_string(&path)?;
        let lines: Vec<&str> = text.lines().collect();
        for chunk in lines.chunks(25) {
            push_file("wmt21", &path, chunk.join("\n"));
        }
    }
    if articles.is_empty() {
        anyhow::bail!("no benchmark texts found under {}", shared.display());
    }
    Ok(articles)
}

/// What a run measures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stages {
    /// From read text to articles: normalization, cleaning, language and script.
    Prepare,
    /// All of `analyze`: preparation, mentions, linking in order, dates, quotes, events.
    Analyze,
}

/// Runs the stages once; returns wall seconds and, for a single-thread run, CPU seconds of
/// the thread (NaN for a parallel run).
fn run_once(
    articles: &[RawArticle],
    identifier: &Identifier,
    stages: Stages,
    parallel: bool,
) -> (f64, f64) {
    let annotator = Annotator::new();
    let started = Instant::now();
    let cpu_started = crate::timing::thread_cpu_seconds();
    let prepare_one = |raw: &RawArticle| {
        let article = prepare(raw.clone(), identifier as &dyn LanguageIdentifier).ok()?;
        let mentions = match stages {
            Stages::Prepare => Vec::new(),
            Stages::Analyze => annotator.recognize(&article),
        };
        Some((article, mentions))
    };
    let prepared: Vec<(Article, Vec<Mention>)> = if parallel {
        articles.par_iter().filter_map(prepare_one).collect()
    } else {
        articles.iter().filter_map(prepare_one).collect()
    };
    let mut total = prepared.len();
    if stages == Stages::Analyze {
        let mut linker = Linker::new();
        let mut linked = prepared;
        for (article, mentions) in &mut linked {
            linker.link_article(&article.id.0, article.language, article.script, mentions);
        }
        let finish = |(article, mentions): (Article, Vec<Mention>)| {
            let annotations = annotator.finish(&article, mentions);
            annotations.mentions.len() + annotations.quotes.len() + annotations.dates.len()
        };
        total += if parallel {
            linked.into_par_iter().map(finish).sum::<usize>()
        } else {
            linked.into_iter().map(finish).sum::<usize>()
        };
    }
    std::hint::black_box(total);
    let cpu = if parallel {
        f64::NAN
    } else {
        crate::timing::thread_cpu_seconds() - cpu_started
    };
    (started.elapsed().as_secs_f64(), cpu)
}

pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let corpus = corpus(data)
        .with_context(|| format!("reading the benchmark corpus from {}", data.display()))?;
    let articles: Vec<RawArticle> = corpus.iter().map(|(_, a)| a.clone()).collect();
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let mut groups: Vec<(String, usize, usize)> = Vec::new();
    for (group, article) in &corpus {
        match groups.iter_mut().find(|(g, _, _)| g == group) {
            Some((_, n, b)) => {
                *n += 1;
                *b += article.body.len();
            }
            None => groups.push((group.clone(), 1, article.body.len())),
        }
    }
    let identifier = Identifier::new();
    // Warm up: loads language models, the tagger and the tables.
    identifier.preload();
    run_once(
        &articles[..articles.len().min(50)],
        &identifier,
        Stages::Analyze,
        false,
    );
    let cores = rayon::current_num_threads();
    let mut report = String::new();
    report.push_str(&format!(
        "corpus: {} articles, {:.1} MB ({})\n",
        articles.len(),
        bytes as f64 / 1e6,
        groups
            .iter()
            .map(|(g, n, b)| format!("{g}: {n} articles, {:.1} MB", *b as f64 / 1e6))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    report.push_str(
        "\n| stages | threads | articles/s | MB/s (wall) | MB/s per core (wall) | MB/s of CPU time |\n|---|---|---|---|---|---|\n",
    );
    let settings = [
        (Stages::Prepare, "prepare (normalize, clean, language)"),
        (Stages::Analyze, "analyze (all stages)"),
    ];
    for (stages, name) in settings {
        for (parallel, threads) in [(false, 1), (true, cores)] {
            let runs: Vec<(f64, f64)> = (0..args.rounds.max(1))
                .map(|_| run_once(&articles, &identifier, stages, parallel))
                .collect();
            let best = runs.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
            let best_cpu = runs.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
            let mbs = bytes as f64 / 1e6 / best;
            let cpu = if best_cpu.is_finite() {
                format!("{:.1}", bytes as f64 / 1e6 / best_cpu)
            } else {
                "—".to_string()
            };
            report.push_str(&format!(
                "| {name} | {threads} | {:.0} | {:.1} | {:.1} | {cpu} |\n",
                articles.len() as f64 / best,
                mbs,
                mbs / threads as f64
            ));
        }
    }
    print!("{report}");
    let _ = docs;
    Ok(())
}
