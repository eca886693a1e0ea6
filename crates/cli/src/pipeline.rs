//! The reading and analysis loop every command that reads articles shares: inputs and their
//! options, batches analyzed in parallel, entity linking in input order, progress on a
//! terminal, and the closing summary.
//!
//! Per batch: preparation and mention recognition run in parallel; linking runs in input
//! order (entity ids are shared across the run); dates, quotations and events run in parallel
//! again. Results come out in input order, whatever the thread count.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use xabar_annotate::link::Linker;
use xabar_annotate::{Annotations, Annotator};
use xabar_core::{Article, LanguageIdentifier, Mention, RawArticle};
use xabar_ingest::feed::FetchOptions;
use xabar_ingest::{Input, PrepareError, Reader, prepare};
use xabar_text::langid::Identifier;

/// How many articles are read before a batch is analyzed in parallel.
const BATCH_ARTICLES: usize = 512;
/// How many bytes of article text are read before a batch is analyzed in parallel.
const BATCH_BYTES: usize = 16 << 20;

/// Where articles come from and how they are read: the options every reading command takes.
#[derive(clap::Args)]
pub struct InputArgs {
    /// Files and folders to read (.txt, .html, .jsonl, .warc, .warc.gz, .rss, .atom, .xml;
    /// folders recursively), feed or page URLs (http, https); `-` or nothing reads standard
    /// input.
    pub paths: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// For feeds: fetch and read each item's linked page instead of the item's own text.
    #[arg(long)]
    pub follow: bool,
    /// Seconds a single HTTP request may take.
    #[arg(long, default_value_t = 20.0, value_name = "SECS")]
    pub timeout: f64,
    /// Seconds to wait between two requests to the same host.
    #[arg(long, default_value_t = 1.0, value_name = "SECS")]
    pub host_delay: f64,
    /// Where feeds' ETag / Last-Modified are kept between runs, so an unchanged feed is not
    /// read again.
    #[arg(long, default_value = ".xabar/feeds.json", value_name = "PATH")]
    pub feed_cache: PathBuf,
    /// Fetch every feed in full, ignoring and not writing the feed cache.
    #[arg(long)]
    pub no_feed_cache: bool,
}

/// Counts for the closing summary.
#[derive(Default)]
pub struct Summary {
    /// Articles analyzed.
    pub articles: usize,
    /// Bytes of article bodies analyzed.
    pub bytes: usize,
    /// One reason per skipped input.
    pub skipped: Vec<String>,
    /// Warnings about inputs read with a loss.
    pub warnings: usize,
}

impl Summary {
    /// How a reading command ends: a failure when no article could be analyzed.
    pub fn exit_code(&self) -> std::process::ExitCode {
        if self.articles == 0 {
            std::process::ExitCode::FAILURE
        } else {
            std::process::ExitCode::SUCCESS
        }
    }
}

/// Reads every input, analyzes each article and hands it, with its annotations, to `each`
/// in input order. Returns the linker (the run's entities) and the counts.
pub fn run(
    args: &InputArgs,
    command: &str,
    mut each: impl FnMut(&Article, &Annotations) -> anyhow::Result<()>,
) -> anyhow::Result<(Linker, Summary)> {
    let inputs = inputs(args, command)?;
    let pool = worker_pool(args)?;
    let fetch = fetch_options(args)?;
    let identifier = Identifier::new();
    let annotator = Annotator::new();
    let mut linker = Linker::new();
    let started = Instant::now();
    let progress = Progress::new(args.quiet);
    let mut summary = Summary::default();
    let mut reader = Reader::new(inputs).with_fetching(fetch, args.follow);
    let mut batch: Vec<RawArticle> = Vec::new();
    let mut batch_bytes = 0;
    loop {
        let next = reader.next();
        for warning in reader.take_warnings() {
            progress.println(&format!("warning: {warning}"));
            summary.warnings += 1;
        }
        let done = next.is_none();
        match next {
            Some(Ok(raw)) => {
                batch_bytes += raw.body.len();
                batch.push(raw);
            }
            Some(Err(error)) => {
                progress.println(&format!("skipped: {error}"));
                summary.skipped.push(skip_reason(&error.to_string()));
            }
            None => {}
        }
        let full = batch.len() >= BATCH_ARTICLES || batch_bytes >= BATCH_BYTES;
        if full || (done && !batch.is_empty()) {
            let raws = std::mem::take(&mut batch);
            batch_bytes = 0;
            let prepared: Vec<Result<(Article, Vec<Mention>), PrepareError>> = pool.install(|| {
                raws.into_par_iter()
                    .map(|raw| {
                        let article = prepare(raw, &identifier as &dyn LanguageIdentifier)?;
                        let mentions = annotator.recognize(&article);
                        Ok((article, mentions))
                    })
                    .collect()
            });
            let mut linked = Vec::with_capacity(prepared.len());
            for result in prepared {
                match result {
                    Ok((article, mut mentions)) => {
                        linker.link_article(
                            &article.id.0,
                            article.language,
                            article.script,
                            &mut mentions,
                        );
                        linked.push((article, mentions));
                    }
                    Err(error) => {
                        progress.println(&format!("skipped: {error}"));
                        summary.skipped.push(skip_reason(&error.to_string()));
                    }
                }
            }
            let annotated: Vec<(Article, Annotations)> = pool.install(|| {
                linked
                    .into_par_iter()
                    .map(|(article, mentions)| {
                        let annotations = annotator.finish(&article, mentions);
                        (article, annotations)
                    })
                    .collect()
            });
            for (article, annotations) in &annotated {
                each(article, annotations)?;
                summary.articles += 1;
                summary.bytes += article.original.len();
            }
            progress.update(summary.articles, summary.bytes, started.elapsed());
        }
        if done {
            break;
        }
    }
    progress.finish();
    if !args.quiet {
        print_summary(&summary, started.elapsed());
    }
    Ok((linker, summary))
}

/// The inputs the arguments name: standard input when none (and it is not a terminal).
pub fn inputs(args: &InputArgs, command: &str) -> anyhow::Result<Vec<Input>> {
    Ok(if args.paths.is_empty() {
        if io::stdin().is_terminal() {
            anyhow::bail!(
                "give files, folders or URLs to read, or pipe text into standard input (see `xabar {command} --help`)"
            );
        }
        vec![Input::Stdin]
    } else {
        args.paths.iter().map(|p| Input::parse(p)).collect()
    })
}

/// The worker threads `--threads` asks for.
pub fn worker_pool(args: &InputArgs) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

/// How feeds and pages are fetched, from the arguments.
pub fn fetch_options(args: &InputArgs) -> anyhow::Result<FetchOptions> {
    let seconds = |value: f64, flag: &str| {
        if value.is_finite() && value >= 0.0 {
            Ok(Duration::from_secs_f64(value))
        } else {
            Err(anyhow::anyhow!(
                "--{flag} takes a number of seconds, not {value}"
            ))
        }
    };
    Ok(FetchOptions {
        timeout: seconds(args.timeout, "timeout")?,
        host_delay: seconds(args.host_delay, "host-delay")?,
        cache_path: (!args.no_feed_cache).then(|| args.feed_cache.clone()),
        ..FetchOptions::default()
    })
}

/// The kind of a skip message, for the summary: the text after the `path: ` prefix, with
/// offsets and details cut.
fn skip_reason(message: &str) -> String {
    let reason = message.split_once(": ").map(|(_, r)| r).unwrap_or(message);
    let reason = reason.split([';', '(']).next().unwrap_or(reason).trim();
    let reason = reason.split(" at byte").next().unwrap_or(reason);
    reason.split(": ").next().unwrap_or(reason).to_string()
}

fn print_summary(summary: &Summary, elapsed: Duration) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut line = format!(
        "xabar: {} articles read ({:.1} MB, {:.0} articles/s)",
        summary.articles,
        summary.bytes as f64 / 1e6,
        summary.articles as f64 / secs,
    );
    if summary.skipped.is_empty() {
        line.push_str(", none skipped");
    } else {
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for reason in &summary.skipped {
            match reasons.iter_mut().find(|(r, _)| r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason.clone(), 1)),
            }
        }
        let parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        line.push_str(&format!(
            ", {} skipped: {}",
            summary.skipped.len(),
            parts.join(", ")
        ));
    }
    if summary.warnings > 0 {
        line.push_str(&format!(", {} warnings", summary.warnings));
    }
    eprintln!("{line}");
}

/// A progress line on standard error, shown only on a terminal and only once the work has
/// taken more than a second.
pub struct Progress {
    bar: Option<ProgressBar>,
    shown: std::cell::Cell<bool>,
}

impl Progress {
    /// A progress line, unless `quiet` or standard error is not a terminal.
    pub fn new(quiet: bool) -> Progress {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        Progress {
            bar,
            shown: std::cell::Cell::new(false),
        }
    }

    fn update(&self, articles: usize, bytes: usize, elapsed: Duration) {
        let secs = elapsed.as_secs_f64().max(1e-9);
        self.show(
            &format!(
                "{articles} articles, {:.1} MB, {:.0} articles/s, {:.1} MB/s",
                bytes as f64 / 1e6,
                articles as f64 / secs,
                bytes as f64 / 1e6 / secs
            ),
            elapsed,
        );
    }

    /// Shows `message` (once the work has taken more than a second).
    pub fn show(&self, message: &str, elapsed: Duration) {
        let Some(bar) = &self.bar else { return };
        if !self.shown.get() && elapsed > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
            self.shown.set(true);
        }
        bar.set_message(message.to_string());
    }

    /// Prints a line above the progress line.
    pub fn println(&self, message: &str) {
        match &self.bar {
            Some(bar) if self.shown.get() => bar.suspend(|| eprintln!("{message}")),
            _ => eprintln!("{message}"),
        }
    }

    /// Removes the progress line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
