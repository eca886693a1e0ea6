//! `xabar digest`: what the store knows, in one page. Its size and languages; then the
//! stories, the largest and most multilingual first, each with its articles, the entities it
//! is about, its translation and reprint links and its main quotes with speakers; then the
//! translation, script and reprint pairs not already shown inside a story.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use serde::Serialize;
use xabar_core::Language;
use xabar_store::{
    ArticleFilter, ArticleOrder, Link, LinkFilter, LinkKind, Page, Store, StoreStats, StoryFilter,
};

use crate::listing::{Articles, Paint, date_range, use_color};
use crate::store_args::StoreArgs;
use crate::stories::StoryReport;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// How many stories to show in full.
    #[arg(long, default_value_t = 10, value_name = "N")]
    stories: usize,
    /// Only stories with at least this many articles.
    #[arg(long, default_value_t = 2, value_name = "N")]
    min_articles: usize,
    /// How many pairs outside the shown stories to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pairs: usize,
    /// The digest as one JSON object.
    #[arg(long)]
    json: bool,
}

/// The digest, as `--json` prints it.
#[derive(Serialize)]
struct Digest {
    stats: StoreStats,
    languages: Vec<(Language, u64)>,
    first_published: Option<NaiveDate>,
    last_published: Option<NaiveDate>,
    stories: Vec<StoryReport>,
    /// Stories that pass `--min-articles` but were not shown.
    more_stories: usize,
    /// Translation, script and reprint links outside the shown stories.
    pairs: Vec<Link>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.store.open()?;
    let stats = store.stats()?;
    let mut languages = Vec::new();
    for &language in Language::ALL {
        let n = store.count_articles(&ArticleFilter {
            language: Some(language),
            ..ArticleFilter::default()
        })?;
        if n > 0 {
            languages.push((language, n));
        }
    }
    languages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let dated = ArticleFilter {
        since: Some(NaiveDate::MIN),
        ..ArticleFilter::default()
    };
    let first_published = store
        .articles(&dated, ArticleOrder::OldestFirst, Page::first(1))?
        .first()
        .and_then(|a| a.published);
    let last_published = store
        .articles(&dated, ArticleOrder::NewestFirst, Page::first(1))?
        .first()
        .and_then(|a| a.published);

    let mut stories = store.stories(
        &StoryFilter {
            min_articles: args.min_articles.max(1),
            language: None,
        },
        Page::all(),
    )?;
    // The most multilingual first, then the largest, then the latest.
    stories.sort_by(|a, b| {
        b.languages
            .len()
            .cmp(&a.languages.len())
            .then_with(|| b.articles.len().cmp(&a.articles.len()))
            .then_with(|| b.last_seen.cmp(&a.last_seen))
            .then_with(|| a.id.cmp(&b.id))
    });
    let more_stories = stories.len().saturating_sub(args.stories);
    let mut reports = Vec::new();
    for story in stories.into_iter().take(args.stories) {
        reports.push(StoryReport::build(&store, story)?);
    }
    let mut pairs = Vec::new();
    for kind in [LinkKind::Translation, LinkKind::Script, LinkKind::Reprint] {
        let filter = LinkFilter {
            article: None,
            kind: Some(kind),
        };
        for link in store.links(&filter, Page::all())? {
            if pairs.len() >= args.pairs {
                break;
            }
            let shown = reports.iter().any(|r| {
                r.links
                    .iter()
                    .any(|l| l.a == link.a && l.b == link.b && l.kind == link.kind)
            });
            if !shown {
                pairs.push(link);
            }
        }
    }
    let digest = Digest {
        stats,
        languages,
        first_published,
        last_published,
        stories: reports,
        more_stories,
        pairs,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer(&mut out, &digest)?;
        writeln!(out)?;
    } else {
        print(&store, &digest, &mut out, &args)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print(
    store: &dyn Store,
    digest: &Digest,
    out: &mut dyn Write,
    args: &Args,
) -> anyhow::Result<()> {
    let paint = Paint { color: use_color() };
    let s = &digest.stats;
    let languages: Vec<String> = digest
        .languages
        .iter()
        .map(|(l, n)| format!("{} {n}", l.code()))
        .collect();
    writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "{} articles in {} languages ({}), published {}",
            s.articles,
            digest.languages.len(),
            languages.join(", "),
            date_range(digest.first_published, digest.last_published)
        ))
    )?;
    writeln!(
        out,
        "{} entities, {} quotes, {} events, {} links, {} stories",
        s.entities, s.quotes, s.events, s.links, s.stories
    )?;
    if s.articles == 0 {
        writeln!(out, "The store is empty: `xabar ingest PATH...` fills it.")?;
        return Ok(());
    }
    writeln!(out)?;
    if digest.stories.is_empty() {
        writeln!(
            out,
            "No story has {} or more articles yet.",
            args.min_articles.max(1)
        )?;
    }
    for (i, report) in digest.stories.iter().enumerate() {
        write!(out, "{}. ", i + 1)?;
        report.print(out, paint)?;
        writeln!(out)?;
    }
    if digest.more_stories > 0 {
        writeln!(
            out,
            "… and {} more stories of {} or more articles (`xabar stories --min-articles {}`).",
            digest.more_stories,
            args.min_articles.max(1),
            args.min_articles.max(1)
        )?;
        writeln!(out)?;
    }
    if !digest.pairs.is_empty() {
        writeln!(
            out,
            "{}",
            paint.bold("Other translations, script twins and reprints")
        )?;
        let mut articles = Articles::new(store);
        for link in &digest.pairs {
            writeln!(out, "  {:<11} {:.2}", link.kind.name(), link.score)?;
            for id in [&link.a, &link.b] {
                writeln!(out, "    {}", articles.describe(id, 90)?)?;
            }
        }
    }
    Ok(())
}
