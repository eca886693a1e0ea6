//! `xabar analyze PATH...`: read, clean and analyze articles; print one JSON object per
//! article (JSON Lines), in input order.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;
use xabar_annotate::Annotations;
use xabar_core::{
    Article, DateMention, Dateline, Event, Language, Mention, Paragraph, Quote, Script,
};

use crate::pipeline::{self, InputArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Also print the text as it was read, before cleaning and normalization.
    #[arg(long)]
    original: bool,
}

/// The JSON shape of one analyzed article.
#[derive(Serialize)]
struct ArticleOut<'a> {
    id: &'a str,
    source: &'a str,
    url: Option<&'a str>,
    canonical_url: Option<&'a str>,
    outlet: Option<&'a str>,
    title: Option<&'a str>,
    authors: &'a [String],
    published: Option<String>,
    modified: Option<String>,
    dateline: Option<&'a Dateline>,
    language: Language,
    script: Script,
    text: &'a str,
    paragraphs: &'a [Paragraph],
    mentions: &'a [Mention],
    quotes: &'a [Quote],
    dates: &'a [DateMention],
    events: &'a [Event],
    #[serde(skip_serializing_if = "Option::is_none")]
    original: Option<&'a str>,
}

impl<'a> ArticleOut<'a> {
    fn new(
        article: &'a Article,
        annotations: &'a Annotations,
        with_original: bool,
    ) -> ArticleOut<'a> {
        ArticleOut {
            id: &article.id.0,
            source: &article.source,
            url: article.url.as_deref(),
            canonical_url: article.canonical_url.as_deref(),
            outlet: article.outlet.as_deref(),
            title: article.title.as_deref(),
            authors: &article.authors,
            published: article.published.map(|d| d.format("%Y-%m-%d").to_string()),
            modified: article.modified.map(|d| d.format("%Y-%m-%d").to_string()),
            dateline: article.dateline.as_ref(),
            language: article.language,
            script: article.script,
            text: &article.text,
            paragraphs: &article.paragraphs,
            mentions: &annotations.mentions,
            quotes: &annotations.quotes,
            dates: &annotations.dates,
            events: &annotations.events,
            original: with_original.then_some(article.original.as_str()),
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (_, summary) = pipeline::run(&args.input, "analyze", |article, annotations| {
        serde_json::to_writer(
            &mut out,
            &ArticleOut::new(article, annotations, args.original),
        )?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    Ok(summary.exit_code())
}
