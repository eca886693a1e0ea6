//! `xabar-eval bench`: speed of article preparation (`xabar analyze` minus printing) over a
//! multi-script corpus built from `../shared/`: the seed articles, the Uzbek transliteration
//! documents (Cyrillic and Latin), BSNLP news (bg, cs, pl, ru, sl, uk), factRuEval news (ru) and
//! WMT21 documents (de, en, ru). Prints articles/s and MB/s on one thread and on all cores,
//! MB/s of the thread's CPU time (the figure the targets are stated in: it does not swing with
//! other work on the machine), preparation's CPU time per step and per corpus group, and one
//! summary line per measured stage set against its target.
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
use xabar_ingest::prepare::{PrepareStep, prepare_observed};
use xabar_text::langid::Identifier;

#[derive(clap::Args)]
pub struct Args {
    /// How many times the corpus is run through, per setting (the best run counts).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Which stages to measure.
    #[arg(long, value_enum, default_value_t = Selection::All)]
    stages: Selection,
    /// Measure on one thread only (the CPU-time figures), not also on all cores.
    #[arg(long)]
    single_thread: bool,
    /// Measure only the corpus groups of these names (seeds, "uz translit", bsnlp,
    /// factrueval, wmt21), e.g. to profile one kind of text.
    #[arg(long = "group", value_name = "NAME")]
    groups: Vec<String>,
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
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Stages {
    /// From read text to articles: normalization, cleaning, language and script.
    Prepare,
    /// All of `analyze`: preparation, mentions, linking in order, dates, quotes, events.
    Analyze,
}

impl Stages {
    fn name(self) -> &'static str {
        match self {
            Stages::Prepare => "prepare (normalize, clean, language)",
            Stages::Analyze => "analyze (all stages)",
        }
    }
}

/// What `--stages` selects.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Selection {
    /// Preparation only.
    Prepare,
    /// The full analysis only.
    Analyze,
    /// Both, preparation first.
    All,
}

/// CPU seconds of the calling thread per preparation step, summed over a run.
#[derive(Default, Clone)]
struct StepTimes {
    seconds: [f64; PrepareStep::ALL.len()],
}

impl StepTimes {
    fn total(&self) -> f64 {
        self.seconds.iter().sum()
    }
}

/// Prepares every article on this thread, timing each step with the thread's CPU clock.
/// The clock reads add a little to every step (a microsecond or so per article), so the
/// steps' sum is a little above an untimed run.
fn time_steps(articles: &[RawArticle], identifier: &Identifier) -> StepTimes {
    let mut times = StepTimes::default();
    for raw in articles {
        // The copy is made before the clock starts: it is the bench's, not preparation's.
        let raw = raw.clone();
        let mut last = crate::timing::thread_cpu_seconds();
        let mut done = |step: PrepareStep| {
            let now = crate::timing::thread_cpu_seconds();
            if let Some(i) = PrepareStep::ALL.iter().position(|s| *s == step) {
                times.seconds[i] += now - last;
            }
            last = now;
        };
        let prepared = prepare_observed(raw, identifier as &dyn LanguageIdentifier, &mut done);
        std::hint::black_box(prepared.ok());
    }
    times
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

/// Where preparation's time goes, as two tables: CPU time per step over the whole corpus, and
/// MB/s of CPU time per corpus group; the best of `rounds` runs each.
fn step_tables(
    articles: &[RawArticle],
    groups: &[(String, Vec<RawArticle>, usize)],
    identifier: &Identifier,
    rounds: usize,
) -> String {
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let mut report = String::new();
    // Where preparation's time goes: CPU time per step, the best of the rounds per step.
    let mut steps = StepTimes {
        seconds: [f64::INFINITY; PrepareStep::ALL.len()],
    };
    for _ in 0..rounds {
        let round = time_steps(articles, identifier);
        for (best, now) in steps.seconds.iter_mut().zip(round.seconds) {
            *best = best.min(now);
        }
    }
    report.push_str(&format!(
        "\nprepare, CPU time per step on one thread (best of {rounds}):\n\n| step | CPU ms | share | MB/s of CPU time |\n|---|---|---|---|\n"
    ));
    let total = steps.total();
    for (step, seconds) in PrepareStep::ALL.iter().zip(steps.seconds) {
        report.push_str(&format!(
            "| {} | {:.0} | {:.1} % | {} |\n",
            step.name(),
            seconds * 1e3,
            100.0 * seconds / total,
            if seconds > 0.0 {
                format!("{:.0}", mb(bytes) / seconds)
            } else {
                "—".to_string()
            }
        ));
    }
    report.push_str(&format!(
        "| all steps | {:.0} | 100 % | {:.1} |\n",
        total * 1e3,
        mb(bytes) / total
    ));

    // Per group of the corpus: which kinds of text are slow.
    report.push_str(
        "\nprepare per corpus group, one thread:\n\n| group | articles | MB | MB/s of CPU time |\n|---|---|---|---|\n",
    );
    for (group, members, group_bytes) in groups {
        let best_cpu = (0..rounds)
            .map(|_| run_once(members, identifier, Stages::Prepare, false).1)
            .fold(f64::INFINITY, f64::min);
        report.push_str(&format!(
            "| {group} | {} | {:.2} | {:.1} |\n",
            members.len(),
            mb(*group_bytes),
            mb(*group_bytes) / best_cpu
        ));
    }
    report
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let mut corpus = corpus(data)
        .with_context(|| format!("reading the benchmark corpus from {}", data.display()))?;
    if !args.groups.is_empty() {
        corpus.retain(|(group, _)| args.groups.contains(group));
        if corpus.is_empty() {
            anyhow::bail!(
                "no benchmark texts in the groups {:?}; the groups are seeds, \"uz translit\", \
                 bsnlp, factrueval and wmt21",
                args.groups
            );
        }
    }
    let articles: Vec<RawArticle> = corpus.iter().map(|(_, a)| a.clone()).collect();
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let mut groups: Vec<(String, Vec<RawArticle>, usize)> = Vec::new();
    for (group, article) in &corpus {
        match groups.iter_mut().find(|(g, _, _)| g == group) {
            Some((_, members, b)) => {
                members.push(article.clone());
                *b += article.body.len();
            }
            None => groups.push((group.clone(), vec![article.clone()], article.body.len())),
        }
    }
    let identifier = Identifier::new();
    // Warm up: loads language models, the tagger and the tables.
    identifier.preload();
    let warm_up = match args.stages {
        Selection::Prepare => Stages::Prepare,
        Selection::Analyze | Selection::All => Stages::Analyze,
    };
    run_once(
        &articles[..articles.len().min(50)],
        &identifier,
        warm_up,
        false,
    );
    let cores = rayon::current_num_threads();
    let rounds = args.rounds.max(1);
    let mut report = String::new();
    report.push_str(&format!(
        "corpus: {} articles, {:.1} MB ({})\n",
        articles.len(),
        mb(bytes),
        groups
            .iter()
            .map(|(g, members, b)| format!("{g}: {} articles, {:.1} MB", members.len(), mb(*b)))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    report.push_str(
        "\n| stages | threads | articles/s | MB/s (wall) | MB/s per core (wall) | MB/s of CPU time |\n|---|---|---|---|---|---|\n",
    );
    let settings: &[Stages] = match args.stages {
        Selection::Prepare => &[Stages::Prepare],
        Selection::Analyze => &[Stages::Analyze],
        Selection::All => &[Stages::Prepare, Stages::Analyze],
    };
    let thread_settings: &[(bool, usize)] = if args.single_thread || cores == 1 {
        &[(false, 1)]
    } else {
        &[(false, 1), (true, cores)]
    };
    let mut per_core: Vec<(Stages, f64)> = Vec::new();
    // Measured right after the preparation rows, before the full analysis has filled the heap
    // and the caches with the annotator's tables.
    let mut steps = String::new();
    for &stages in settings {
        for &(parallel, threads) in thread_settings {
            let runs: Vec<(f64, f64)> = (0..rounds)
                .map(|_| run_once(&articles, &identifier, stages, parallel))
                .collect();
            let best = runs.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
            let best_cpu = runs.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
            let mbs = mb(bytes) / best;
            let cpu = if best_cpu.is_finite() {
                per_core.push((stages, mb(bytes) / best_cpu));
                format!("{:.1}", mb(bytes) / best_cpu)
            } else {
                "—".to_string()
            };
            report.push_str(&format!(
                "| {} | {threads} | {:.0} | {:.1} | {:.1} | {cpu} |\n",
                stages.name(),
                articles.len() as f64 / best,
                mbs,
                mbs / threads as f64
            ));
        }
        if stages == Stages::Prepare {
            steps = step_tables(&articles, &groups, &identifier, rounds);
        }
    }
    report.push_str(&steps);

    report.push('\n');
    for (stages, mbs) in per_core {
        let (label, target) = match stages {
            Stages::Prepare => ("prepare", 20.0),
            Stages::Analyze => ("analyze", 5.0),
        };
        report.push_str(&format!(
            "{label}: {mbs:.1} MB/s per core (CPU time, one thread); target {target:.0} MB/s: {}\n",
            if mbs >= target { "met" } else { "not met" }
        ));
    }
    print!("{report}");
    let _ = docs;
    Ok(())
}
