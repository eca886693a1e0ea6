//! `xabar stories` (the stories the relate stage gathered, latest first) and `xabar story ID`
//! (one story in full: its articles, the entities it is about, the translation and reprint
//! links inside it, and its main quotes with speakers).
//!
//! [`StoryReport`] is the full view; `xabar digest` prints one per story with the same code.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use serde::Serialize;
use xabar_core::{ArticleId, EntityId, EntityKind, Language};
use xabar_store::{ArticleFilter, ArticleOrder, Link, Page, Store, Story, StoryFilter, StoryId};

use crate::links::links_within;
use crate::listing::{
    Paint, date, date_range, headline, json_lines, languages, shorten, story_label, use_color,
};
use crate::store_args::StoreArgs;

/// The most entities a story view names.
const TOP_ENTITIES: usize = 8;
/// The most quotes a story view shows.
const TOP_QUOTES: usize = 5;
/// The most members a story view reads whole for its entities and quotes.
const READ_MEMBERS: usize = 200;
/// The most members a story view lists for people (`--json` lists all).
const SHOW_MEMBERS: usize = 20;

#[derive(clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Only stories with at least this many articles.
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_articles: usize,
    /// Only stories with an article in this language (ISO 639-1: ru, kk, uz, en, de, …).
    #[arg(long, value_name = "LANG")]
    lang: Option<Language>,
    /// At most this many stories.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// One JSON object per story and line: `id`, `label`, `articles`, `languages`,
    /// `first_seen`, `last_seen`.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The story's id (as `xabar stories` prints it).
    id: String,
    #[command(flatten)]
    store: StoreArgs,
    /// The story as one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run_list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open()?;
    let filter = StoryFilter {
        min_articles: args.min_articles,
        language: args.lang,
    };
    let page = args.limit.map_or(Page::all(), Page::first);
    let stories = store.stories(&filter, page)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        json_lines(&mut out, &stories)?;
        return Ok(ExitCode::SUCCESS);
    }
    let paint = Paint { color: use_color() };
    for story in &stories {
        writeln!(
            out,
            "{}  {:>3} articles  {:<23}  {:<20}  {}",
            paint.dim(&story.id.0),
            story.articles.len(),
            date_range(story.first_seen, story.last_seen),
            languages(&story.languages),
            paint.bold(&shorten(&story_label(&story.label), 70))
        )?;
    }
    out.flush()?;
    eprintln!(
        "{} stories{}",
        stories.len(),
        if stories.is_empty() {
            " (run `xabar ingest` to gather some)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_show(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open()?;
    let id = StoryId(args.id.clone());
    let story = match store.story(&id)? {
        Some(story) => story,
        None => {
            // The story an article belongs to, when an article id was given.
            match store.story_of(&ArticleId(args.id.clone()))? {
                Some(owner) => store
                    .story(&owner)?
                    .ok_or_else(|| anyhow::anyhow!("no story {id}"))?,
                None => anyhow::bail!(
                    "no story {id} in {} (`xabar stories` lists them)",
                    store.path().display()
                ),
            }
        }
    };
    let report = StoryReport::build(&store, story)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        report.print(&mut out, Paint { color: use_color() })?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One member article of a story.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// The article id.
    pub id: ArticleId,
    /// Its published date.
    pub published: Option<NaiveDate>,
    /// Its language.
    pub language: Language,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Where it was read from.
    pub source: String,
    /// Its URL.
    pub url: Option<String>,
}

/// An entity a story is about.
#[derive(Debug, Clone, Serialize)]
pub struct StoryEntity {
    /// The entity id.
    pub id: EntityId,
    /// Its canonical name.
    pub name: String,
    /// Person, organisation or place.
    pub kind: EntityKind,
    /// Member articles that mention it.
    pub articles: usize,
    /// Mentions of it in the members.
    pub mentions: usize,
}

/// A quote shown for a story.
#[derive(Debug, Clone, Serialize)]
pub struct StoryQuote {
    /// The quote.
    pub text: String,
    /// The speaker's entity, when resolved.
    pub speaker: Option<EntityId>,
    /// The speaker's name: the entity's canonical name, else as the text wrote it.
    pub speaker_name: Option<String>,
    /// The article it is from.
    pub article: ArticleId,
    /// That article's language.
    pub language: Language,
    /// That article's date.
    pub published: Option<NaiveDate>,
    /// How many member articles quote this speaker.
    pub articles_quoting: usize,
}

/// A story with everything a reader wants to see of it.
#[derive(Debug, Clone, Serialize)]
pub struct StoryReport {
    /// The story id.
    pub id: StoryId,
    /// Its label for people.
    pub label: String,
    /// The label as the relate stage wrote it.
    pub label_data: serde_json::Value,
    /// The earliest member's date.
    pub first_seen: Option<NaiveDate>,
    /// The latest member's date.
    pub last_seen: Option<NaiveDate>,
    /// Members per language.
    pub languages: BTreeMap<Language, u32>,
    /// Members, oldest first (undated first).
    pub articles: Vec<Member>,
    /// The entities most members mention (counted over the first 200 members).
    pub entities: Vec<StoryEntity>,
    /// Links between members (translations, reprints, script twins, duplicates).
    pub links: Vec<Link>,
    /// One quote per speaker, the most quoted speakers first.
    pub quotes: Vec<StoryQuote>,
}

impl StoryReport {
    /// Reads the story's members, entities, links and quotes from the store.
    pub fn build(store: &dyn Store, story: Story) -> anyhow::Result<StoryReport> {
        let filter = ArticleFilter {
            story: Some(story.id.clone()),
            ..ArticleFilter::default()
        };
        let members: Vec<Member> = store
            .articles(&filter, ArticleOrder::OldestFirst, Page::all())?
            .into_iter()
            .map(|a| Member {
                id: a.id,
                published: a.published,
                language: a.language,
                outlet: a.outlet,
                title: a.title,
                source: a.source,
                url: a.url,
            })
            .collect();
        // Per entity: (name, kind, articles, mentions).
        let mut entities: HashMap<EntityId, (Option<String>, EntityKind, usize, usize)> =
            HashMap::new();
        // Per speaker key: the candidate quotes, (member order, quote).
        let mut quotes: Vec<Candidate> = Vec::new();
        // Entities and quotes come from the earliest members, read whole; a story's first
        // hundreds of reports name its actors and quotes, and this bounds a report's cost.
        for (order, member) in members.iter().take(READ_MEMBERS).enumerate() {
            let Some(record) = store.article(&member.id)? else {
                continue;
            };
            let mut seen: Vec<&EntityId> = Vec::new();
            for m in &record.mentions {
                let Some(e) = &m.entity else { continue };
                let entry = entities.entry(e.clone()).or_insert((None, m.kind, 0, 0));
                if entry.0.is_none() {
                    entry.0 = m.name.clone();
                }
                entry.3 += 1;
                if !seen.contains(&e) {
                    seen.push(e);
                    entry.2 += 1;
                }
            }
            for q in &record.quotes {
                if q.speaker.is_none() && q.speaker_text.is_none() {
                    continue;
                }
                quotes.push(Candidate {
                    order,
                    quote: StoryQuote {
                        text: q.text.clone(),
                        speaker: q.speaker.clone(),
                        speaker_name: q.speaker_text.clone(),
                        article: record.id.clone(),
                        language: record.language,
                        published: record.published,
                        articles_quoting: 0,
                    },
                    partial: q.partial,
                });
            }
        }
        let mut top: Vec<StoryEntity> = Vec::with_capacity(entities.len());
        for (id, (name, kind, articles, mentions)) in entities {
            let name = match name {
                Some(n) => n,
                None => store.entity(&id)?.map_or_else(|| id.0.clone(), |e| e.name),
            };
            top.push(StoryEntity {
                id,
                name,
                kind,
                articles,
                mentions,
            });
        }
        top.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| b.mentions.cmp(&a.mentions))
                .then_with(|| a.id.cmp(&b.id))
        });
        top.truncate(TOP_ENTITIES);

        let quotes = main_quotes(store, quotes, &top)?;
        let links = links_within(store, &story.articles)?;
        Ok(StoryReport {
            id: story.id,
            label: story_label(&story.label),
            label_data: story.label,
            first_seen: story.first_seen,
            last_seen: story.last_seen,
            languages: story.languages,
            articles: members,
            entities: top,
            links,
            quotes,
        })
    }

    /// Prints the report for people.
    pub fn print(&self, out: &mut dyn Write, paint: Paint) -> io::Result<()> {
        writeln!(
            out,
            "{}  {}",
            paint.bold(&if self.label.is_empty() {
                "(no label)".to_string()
            } else {
                self.label.clone()
            }),
            paint.dim(&format!("story {}", self.id))
        )?;
        writeln!(
            out,
            "  {} articles, {}; {}",
            self.articles.len(),
            languages(&self.languages),
            date_range(self.first_seen, self.last_seen)
        )?;
        writeln!(out, "  articles:")?;
        for m in self.articles.iter().take(SHOW_MEMBERS) {
            let what = headline(m.outlet.as_deref(), m.title.as_deref(), &m.source);
            writeln!(
                out,
                "    {}  {:<3} {}  {}",
                date(m.published),
                m.language.code(),
                shorten(&what, 80),
                paint.dim(&m.id.0)
            )?;
        }
        if self.articles.len() > SHOW_MEMBERS {
            writeln!(
                out,
                "    … and {} more (`xabar story {} --json` lists all)",
                self.articles.len() - SHOW_MEMBERS,
                self.id
            )?;
        }
        if !self.entities.is_empty() {
            let names: Vec<String> = self
                .entities
                .iter()
                .map(|e| {
                    let unit = if e.articles == 1 {
                        "article"
                    } else {
                        "articles"
                    };
                    format!("{} ({} {unit})", e.name, e.articles)
                })
                .collect();
            writeln!(out, "  about: {}", names.join(", "))?;
        }
        if !self.links.is_empty() {
            writeln!(out, "  links:")?;
            let short = |id: &ArticleId| -> String {
                self.articles.iter().find(|m| m.id == *id).map_or_else(
                    || id.0.clone(),
                    |m| {
                        format!(
                            "{} {}",
                            m.language.code(),
                            shorten(m.title.as_deref().unwrap_or(&m.source), 40)
                        )
                    },
                )
            };
            for link in &self.links {
                writeln!(
                    out,
                    "    {:<11} {:.2}  {}  ↔  {}",
                    link.kind.name(),
                    link.score,
                    short(&link.a),
                    short(&link.b)
                )?;
            }
        }
        if !self.quotes.is_empty() {
            writeln!(out, "  quotes:")?;
            for q in &self.quotes {
                let speaker = q.speaker_name.as_deref().unwrap_or("?");
                let more = if q.articles_quoting > 1 {
                    format!(", quoted in {} articles", q.articles_quoting)
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "    {} ({} {}{more}): «{}»",
                    paint.bold(speaker),
                    q.language.code(),
                    date(q.published),
                    shorten(&q.text, 220)
                )?;
            }
        }
        Ok(())
    }
}

/// One quote per speaker: speakers quoted in the most members first, and for each the first
/// whole (not partial) quote of the earliest member, else its first fragment. Speakers are
/// named by their entity's canonical name where one was resolved.
/// A quote that may be shown, with the member it is from (by date order).
struct Candidate {
    order: usize,
    quote: StoryQuote,
    partial: bool,
}

fn main_quotes(
    store: &dyn Store,
    candidates: Vec<Candidate>,
    top: &[StoryEntity],
) -> anyhow::Result<Vec<StoryQuote>> {
    // Group by speaker: the entity when resolved, else the name as written.
    let mut by_speaker: Vec<(String, Vec<Candidate>)> = Vec::new();
    for c in candidates {
        let key = match (&c.quote.speaker, &c.quote.speaker_name) {
            (Some(e), _) => e.0.clone(),
            (None, Some(t)) => format!("text:{}", t.to_lowercase()),
            (None, None) => continue,
        };
        match by_speaker.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(c),
            None => by_speaker.push((key, vec![c])),
        }
    }
    let mut chosen: Vec<(usize, usize, StoryQuote)> = Vec::new();
    for (_, mut list) in by_speaker {
        let mut articles: Vec<&ArticleId> = list.iter().map(|c| &c.quote.article).collect();
        articles.sort();
        articles.dedup();
        let quoting = articles.len();
        list.sort_by_key(|c| (c.partial, c.order));
        let Some(Candidate {
            order, mut quote, ..
        }) = list.into_iter().next()
        else {
            continue;
        };
        quote.articles_quoting = quoting;
        if let Some(e) = &quote.speaker {
            let name = match top.iter().find(|t| t.id == *e) {
                Some(t) => Some(t.name.clone()),
                None => store.entity(e)?.map(|e| e.name),
            };
            if name.is_some() {
                quote.speaker_name = name;
            }
        }
        chosen.push((quoting, order, quote));
    }
    // Resolved speakers before pronouns and descriptions ("он", "the ministry").
    chosen.sort_by(|a, b| {
        b.2.speaker
            .is_some()
            .cmp(&a.2.speaker.is_some())
            .then_with(|| b.0.cmp(&a.0))
            .then_with(|| a.1.cmp(&b.1))
    });
    Ok(chosen
        .into_iter()
        .take(TOP_QUOTES)
        .map(|(_, _, q)| q)
        .collect())
}
