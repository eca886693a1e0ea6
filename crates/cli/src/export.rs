//! `xabar export`: every article, entity, quote, link or story of the store, as JSON Lines or
//! CSV, streamed (the store hands rows over a batch at a time, so memory stays flat however
//! large the store). Written to standard output, or to a file that appears only when the
//! export is complete.
//!
//! JSON Lines rows are the store's records as they are (articles without their search terms,
//! which are an index, not data). CSV rows flatten them: lists become `; `-joined text, nested
//! objects (link evidence, story labels) compact JSON, and an article's CSV row leaves out its
//! annotations (the `quotes` and `entities` exports have them), keeping counts.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use xabar_store::{ArticleRecord, Entity, Link, RowIter, Store, StoredQuote, Story};

use crate::listing::{AtomicFile, CsvWriter, story_label};
use crate::store_args::StoreArgs;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object a line.
    Jsonl,
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// Articles with metadata and text (JSONL: with mentions, quotes, dates, events).
    Articles,
    /// People, organisations and places with their spellings and counts.
    Entities,
    /// Quotations with speakers and their articles.
    Quotes,
    /// Duplicate, reprint, script and translation links.
    Links,
    /// Stories with their members.
    Stories,
}

#[derive(clap::Args)]
pub struct Args {
    /// The output format.
    #[arg(long, value_enum)]
    format: Format,
    /// What to export.
    #[arg(long, value_enum)]
    what: What,
    #[command(flatten)]
    store: StoreArgs,
    /// Write to this file (replaced only when the export is complete) instead of standard
    /// output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// No progress or summary on standard error.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.store.open()?;
    let stats = store.stats()?;
    let total = match args.what {
        What::Articles => stats.articles,
        What::Entities => stats.entities,
        What::Quotes => stats.quotes,
        What::Links => stats.links,
        What::Stories => stats.stories,
    };
    // On standard error, so it never mixes with rows written to standard output; indicatif
    // draws nothing when standard error is not a terminal.
    let progress = if args.quiet {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix("exporting");
        bar
    };
    let rows = match &args.output {
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            let rows = export(&store, args.format, args.what, &mut file, &progress).with_context(
                || format!("export to {} failed; nothing was written", path.display()),
            )?;
            file.commit()?;
            rows
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let rows = export(&store, args.format, args.what, &mut out, &progress)?;
            out.flush()?;
            rows
        }
    };
    progress.finish_and_clear();
    if !args.quiet {
        let what = format!("{:?}", args.what).to_lowercase();
        match &args.output {
            Some(path) => eprintln!("{rows} {what} written to {}", path.display()),
            None => eprintln!("{rows} {what}"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes every row of `what` to `out`; returns how many.
fn export(
    store: &dyn Store,
    format: Format,
    what: What,
    out: &mut dyn Write,
    progress: &ProgressBar,
) -> anyhow::Result<u64> {
    match what {
        What::Articles => rows(
            store.export_articles()?,
            format,
            out,
            progress,
            ARTICLE_COLUMNS,
            article_json,
            |r| article_csv(store, r),
        ),
        What::Entities => rows(
            store.export_entities()?,
            format,
            out,
            progress,
            ENTITY_COLUMNS,
            |e| Ok(serde_json::to_value(e)?),
            |e| Ok(entity_csv(e)),
        ),
        What::Quotes => rows(
            store.export_quotes()?,
            format,
            out,
            progress,
            QUOTE_COLUMNS,
            |q| Ok(serde_json::to_value(q)?),
            |q| Ok(quote_csv(q)),
        ),
        What::Links => rows(
            store.export_links()?,
            format,
            out,
            progress,
            LINK_COLUMNS,
            |l| Ok(serde_json::to_value(l)?),
            |l| Ok(link_csv(l)),
        ),
        What::Stories => rows(
            store.export_stories()?,
            format,
            out,
            progress,
            STORY_COLUMNS,
            |s| Ok(serde_json::to_value(s)?),
            |s| Ok(story_csv(s)),
        ),
    }
}

/// Streams rows to `out` in `format`.
fn rows<T>(
    iter: RowIter<'_, T>,
    format: Format,
    out: &mut dyn Write,
    progress: &ProgressBar,
    columns: &[&str],
    json: impl Fn(&T) -> anyhow::Result<serde_json::Value>,
    csv: impl Fn(&T) -> anyhow::Result<Vec<String>>,
) -> anyhow::Result<u64> {
    let mut count = 0u64;
    match format {
        Format::Jsonl => {
            for row in iter {
                let value = json(&row?)?;
                serde_json::to_writer(&mut *out, &value)?;
                out.write_all(b"\n")?;
                count += 1;
                progress.inc(1);
            }
        }
        Format::Csv => {
            let mut writer = CsvWriter::new(&mut *out);
            writer.record(columns)?;
            for row in iter {
                writer.record(&csv(&row?)?)?;
                count += 1;
                progress.inc(1);
            }
        }
    }
    Ok(count)
}

fn opt(value: &Option<impl ToString>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// An article for JSON Lines: the record without its search terms.
fn article_json(record: &ArticleRecord) -> anyhow::Result<serde_json::Value> {
    let mut value = serde_json::to_value(record)?;
    if let Some(map) = value.as_object_mut() {
        map.remove("terms");
    }
    Ok(value)
}

const ARTICLE_COLUMNS: &[&str] = &[
    "id",
    "source",
    "url",
    "canonical_url",
    "outlet",
    "title",
    "published",
    "modified",
    "language",
    "script",
    "authors",
    "story",
    "mentions",
    "entities",
    "quotes",
    "dates",
    "events",
    "text",
];

fn article_csv(store: &dyn Store, r: &ArticleRecord) -> anyhow::Result<Vec<String>> {
    let story = store.story_of(&r.id)?;
    let mut entities: Vec<&str> = r
        .mentions
        .iter()
        .filter_map(|m| m.entity.as_ref().map(|e| e.0.as_str()))
        .collect();
    entities.sort_unstable();
    entities.dedup();
    Ok(vec![
        r.id.0.clone(),
        r.source.clone(),
        opt(&r.url),
        opt(&r.canonical_url),
        opt(&r.outlet),
        opt(&r.title),
        opt(&r.published),
        opt(&r.modified),
        r.language.code().to_string(),
        r.script.code().to_string(),
        r.authors.join("; "),
        opt(&story),
        r.mentions.len().to_string(),
        entities.join("; "),
        r.quotes.len().to_string(),
        r.dates.len().to_string(),
        r.events.len().to_string(),
        r.text.clone(),
    ])
}

const ENTITY_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "name",
    "native_name",
    "mentions",
    "articles",
    "aliases",
];

fn entity_csv(e: &Entity) -> Vec<String> {
    let aliases: Vec<String> = e
        .aliases
        .iter()
        .map(|a| {
            format!(
                "{} ({} {} ×{})",
                a.text,
                a.language.code(),
                a.script.code(),
                a.count
            )
        })
        .collect();
    vec![
        e.id.0.clone(),
        e.kind.name().to_string(),
        e.name.clone(),
        opt(&e.native_name),
        e.mentions.to_string(),
        e.articles.to_string(),
        aliases.join("; "),
    ]
}

const QUOTE_COLUMNS: &[&str] = &[
    "article",
    "index",
    "published",
    "language",
    "speaker",
    "speaker_text",
    "cue",
    "partial",
    "start",
    "end",
    "text",
];

fn quote_csv(q: &StoredQuote) -> Vec<String> {
    vec![
        q.article.0.clone(),
        q.index.to_string(),
        opt(&q.published),
        q.language.code().to_string(),
        opt(&q.quote.speaker),
        opt(&q.quote.speaker_text),
        opt(&q.quote.cue),
        q.quote.partial.to_string(),
        q.quote.start.to_string(),
        q.quote.end.to_string(),
        q.quote.text.clone(),
    ]
}

const LINK_COLUMNS: &[&str] = &["a", "b", "kind", "score", "evidence"];

fn link_csv(l: &Link) -> Vec<String> {
    vec![
        l.a.0.clone(),
        l.b.0.clone(),
        l.kind.name().to_string(),
        format!("{:.4}", l.score),
        l.evidence.to_string(),
    ]
}

const STORY_COLUMNS: &[&str] = &[
    "id",
    "label",
    "first_seen",
    "last_seen",
    "size",
    "languages",
    "articles",
    "label_data",
];

fn story_csv(s: &Story) -> Vec<String> {
    let languages: Vec<String> = s
        .languages
        .iter()
        .map(|(l, n)| format!("{}:{n}", l.code()))
        .collect();
    let articles: Vec<&str> = s.articles.iter().map(|a| a.0.as_str()).collect();
    vec![
        s.id.0.clone(),
        story_label(&s.label),
        opt(&s.first_seen),
        opt(&s.last_seen),
        s.articles.len().to_string(),
        languages.join(" "),
        articles.join(" "),
        s.label.to_string(),
    ]
}
