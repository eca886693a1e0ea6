//! `xabar search QUERY`: full-text search over the stored articles, in any language and
//! script, ranked by relevance, with filters by language, date, outlet, entity and story.
//!
//! The query is parsed by [`xabar_engine::query`]: each word is looked up by the same terms it
//! was indexed under in every language of its script, and names of known entities (from the
//! knowledge base and the store) also find the articles that link the entity, whatever
//! spelling they used. `Tokayev`, `Toqajew`, `Тоқаев` and `Тўқаев` find the same articles.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use xabar_core::{EntityId, Language};
use xabar_engine::query::QueryParser;
use xabar_store::{ArticleFilter, EntityFilter, Page, SearchQuery, Store, StoryId};

use crate::listing::{Paint, date, json_lines, shorten, snippet_style, use_color};
use crate::store_args::StoreArgs;

/// How many of the store's entities (most mentioned first, in two articles or more) the query
/// parser learns names from, beside the knowledge base. Bounded so that a search's start-up
/// cost does not grow with the store (each costs a read of its aliases); words themselves
/// already match across scripts by their keys, so what the store's entities add is the
/// spellings and inflections the linker merged, which matters for the frequent ones.
const STORE_ENTITIES: usize = 200;

#[derive(clap::Args)]
pub struct Args {
    /// What to search for: words in any language and script, names (`Tokayev`, `Тоқаев`),
    /// `e:<entity id>`. Several arguments are one query; every word must match. With no
    /// words, lists the articles the filters select, newest first.
    query: Vec<String>,
    #[command(flatten)]
    store: StoreArgs,
    /// Only articles in this language (ISO 639-1: ru, kk, uz, en, de, …).
    #[arg(long, value_name = "LANG")]
    lang: Option<Language>,
    /// Only articles published on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    since: Option<NaiveDate>,
    /// Only articles published on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    until: Option<NaiveDate>,
    /// Only articles of this outlet (as `analyze` reports it; ASCII case ignored).
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// Only articles that mention this entity: an id (`kb:person/tokayev`) or a name in any
    /// spelling (`Тоқаев`).
    #[arg(long, value_name = "ID|NAME")]
    entity: Option<String>,
    /// Only articles of this story.
    #[arg(long, value_name = "ID")]
    story: Option<String>,
    /// At most this many results.
    #[arg(long, short = 'n', default_value_t = 20, value_name = "N")]
    limit: usize,
    /// Skip this many results first (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    offset: usize,
    /// One JSON object per result and line: `id`, `source`, `url`, `outlet`, `title`,
    /// `published`, `language`, `score`, `snippet` (hits marked `**…**`).
    #[arg(long)]
    json: bool,
}

/// A `YYYY-MM-DD` date, for clap.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date: write YYYY-MM-DD, e.g. 2025-03-12"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since > until
    {
        anyhow::bail!("--since {since} is after --until {until}");
    }
    if args.limit == 0 {
        anyhow::bail!("--limit must be at least 1");
    }
    let store = args.store.open()?;
    let text = args.query.join(" ");
    let mut parser = QueryParser::new().language(args.lang);
    parser.add_entities(&store.entities(
        &EntityFilter {
            kind: None,
            min_articles: 2,
        },
        Page::first(STORE_ENTITIES),
    )?);
    let parsed = parser.parse(&text)?;
    let entity = match &args.entity {
        Some(name) => Some(resolve_entity(&store, &parser, name)?),
        None => None,
    };
    let color = !args.json && use_color();
    let query = SearchQuery {
        terms: parsed.terms(),
        filter: ArticleFilter {
            language: args.lang,
            since: args.since,
            until: args.until,
            outlet: args.outlet.clone(),
            entity,
            story: args.story.clone().map(StoryId),
        },
        page: Page {
            limit: args.limit,
            offset: args.offset,
        },
        snippet: snippet_style(color),
    };
    let hits = store.search(&query)?;

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        json_lines(&mut out, &hits)?;
        return Ok(ExitCode::SUCCESS);
    }
    let paint = Paint { color };
    for (i, hit) in hits.iter().enumerate() {
        let what = match (&hit.outlet, &hit.title) {
            (Some(o), Some(t)) => format!("{o} — {t}"),
            (None, Some(t)) => t.clone(),
            (Some(o), None) => o.clone(),
            (None, None) => hit.source.clone(),
        };
        writeln!(
            out,
            "{:>3}. {:>6.2}  {}  {:<3} {}",
            args.offset + i + 1,
            hit.score,
            date(hit.published),
            hit.language.code(),
            paint.bold(&shorten(&what, 90))
        )?;
        let place = match &hit.url {
            Some(url) if *url != hit.source => format!("{} · {url}", hit.source),
            _ => hit.source.clone(),
        };
        writeln!(out, "     {}", paint.dim(&format!("{}  {place}", hit.id)))?;
        writeln!(out, "     {}", hit.snippet)?;
    }
    out.flush()?;
    let entities = parsed.entities();
    if !entities.is_empty() {
        let names: Vec<String> = entities
            .iter()
            .map(|id| match store.entity(id) {
                Ok(Some(e)) => format!("{} ({id})", e.name),
                _ => id.to_string(),
            })
            .collect();
        eprintln!("names matched as entities: {}", names.join(", "));
    }
    eprintln!(
        "{} result{}{}",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" },
        if hits.len() == args.limit {
            format!(" (more with --offset {})", args.offset + args.limit)
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// The entity `--entity` names: an id as given, else the name resolved like a query's names;
/// among several, the one the store has in the most articles.
fn resolve_entity(
    store: &dyn Store,
    parser: &QueryParser<'_>,
    name: &str,
) -> anyhow::Result<EntityId> {
    let candidates = parser.resolve_entity(name);
    if candidates.is_empty() {
        anyhow::bail!(
            "no entity is named {name:?}: give an id (`xabar export --what entities` lists them) \
             or another spelling"
        );
    }
    if candidates.len() == 1 {
        return Ok(candidates[0].clone());
    }
    let mut best: Option<(u64, EntityId)> = None;
    for id in &candidates {
        let articles = store.entity(id)?.map_or(0, |e| e.articles);
        if best.as_ref().is_none_or(|(n, _)| articles > *n) {
            best = Some((articles, id.clone()));
        }
    }
    let Some((_, id)) = best else {
        anyhow::bail!("no entity is named {name:?}");
    };
    let names: Vec<&str> = candidates.iter().map(|c| c.0.as_str()).collect();
    eprintln!(
        "note: {name:?} names {}; searching {id} (most articles)",
        names.join(", ")
    );
    Ok(id)
}
