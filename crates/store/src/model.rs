//! The records a store keeps and the queries it answers, independent of any backend.
//!
//! An [`ArticleRecord`] is one analyzed article with everything found in it (mentions, quotes,
//! dates, events) and its search keys ([`IndexedTerm`]s). Entities, links and stories are kept
//! beside articles; [`Relations`] lets a caller write an article's links and story in the same
//! transaction as the article itself.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xabar_core::{
    Article, ArticleId, DateMention, Dateline, EntityId, EntityKind, Event, Language, Mention,
    Paragraph, Quote, Script,
};

/// One analyzed search key of an article and the byte span of the words it came from.
///
/// The analysis decides what a term is: a transliteration key (`tokaev`), a stem, an entity id
/// (`e:kb:person/tokayev`). The store treats terms as opaque strings (any characters, case
/// kept) and uses the spans only to highlight hits in snippets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IndexedTerm {
    /// The key.
    pub term: String,
    /// First byte of the words it came from, in the article's clean text.
    pub start: usize,
    /// One past their last byte.
    pub end: usize,
}

/// An analyzed article as the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// The article id (see [`ArticleId::derive`]).
    pub id: ArticleId,
    /// Where it was read from (a path, `path:line`, a URL).
    pub source: String,
    /// The URL, when known.
    pub url: Option<String>,
    /// The canonical URL the page declares, when any.
    pub canonical_url: Option<String>,
    /// The outlet.
    pub outlet: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The published date.
    pub published: Option<NaiveDate>,
    /// The last-modified date.
    pub modified: Option<NaiveDate>,
    /// The article's language.
    pub language: Language,
    /// The article's dominant script.
    pub script: Script,
    /// The clean normalized text; every span below is a byte range into it.
    pub text: String,
    /// Its paragraphs.
    pub paragraphs: Vec<Paragraph>,
    /// Authors.
    pub authors: Vec<String>,
    /// The dateline, when the body opened with one.
    pub dateline: Option<Dateline>,
    /// A hash of the clean text (see [`ArticleRecord::hash_text`]); identifies an article that
    /// has no URL.
    pub text_hash: String,
    /// Mentions of people, organisations and places.
    pub mentions: Vec<Mention>,
    /// Quotations.
    pub quotes: Vec<Quote>,
    /// Dates written in the text.
    pub dates: Vec<DateMention>,
    /// Dated events.
    pub events: Vec<Event>,
    /// Search keys. A store returns them sorted by `(start, end, term)` with exact duplicates
    /// removed; the order given does not matter.
    pub terms: Vec<IndexedTerm>,
}

impl ArticleRecord {
    /// A record for an analyzed article, with no annotations or terms yet.
    pub fn from_article(article: &Article) -> ArticleRecord {
        ArticleRecord {
            id: article.id.clone(),
            source: article.source.clone(),
            url: article.url.clone(),
            canonical_url: article.canonical_url.clone(),
            outlet: article.outlet.clone(),
            title: article.title.clone(),
            published: article.published,
            modified: article.modified,
            language: article.language,
            script: article.script,
            text: article.text.clone(),
            paragraphs: article.paragraphs.clone(),
            authors: article.authors.clone(),
            dateline: article.dateline.clone(),
            text_hash: ArticleRecord::hash_text(&article.text),
            mentions: Vec::new(),
            quotes: Vec::new(),
            dates: Vec::new(),
            events: Vec::new(),
            terms: Vec::new(),
        }
    }

    /// The hash of a clean text: 16 hex digits, the same as the id of a URL-less article.
    pub fn hash_text(text: &str) -> String {
        ArticleId::derive(None, text).0
    }

    /// What makes two records the same article: the canonical URL, else the URL (both
    /// normalized: scheme and host lower-cased, fragment and trailing slash dropped), else the
    /// text hash. Two records with the same identity are stored once.
    pub fn identity(&self) -> String {
        let url = [self.canonical_url.as_deref(), self.url.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|u| !u.is_empty());
        match url {
            Some(url) => format!("url:{}", normalize_url(url)),
            None => format!("text:{}", self.text_hash),
        }
    }
}

/// The URL as an identity: fragment and trailing slashes dropped, scheme and host lower-cased.
fn normalize_url(url: &str) -> String {
    let url = url.split('#').next().unwrap_or(url).trim_end_matches('/');
    match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            let host_end = rest.find('/').map_or(url.len(), |i| scheme_end + 3 + i);
            let mut out = url[..host_end].to_ascii_lowercase();
            out.push_str(&url[host_end..]);
            out
        }
        None => url.to_string(),
    }
}

/// What [`Store::put_article`](crate::Store::put_article) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PutOutcome {
    /// The article was not in the store and now is.
    New,
    /// The same article (same identity) was stored with different content; it was replaced,
    /// annotations included.
    Updated,
    /// The same article was stored with the same content; nothing was written.
    Unchanged,
}

/// The result of writing one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Put {
    /// The id the article is stored under. It differs from the record's id when the store
    /// already had the article under another id (same canonical URL reached through another
    /// URL): the first id is kept so that links and stories stay valid.
    pub id: ArticleId,
    /// What happened.
    pub outcome: PutOutcome,
}

/// An article's links and story, written in the same transaction as the article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Relations {
    /// The article's links to other stored articles. `None` leaves the stored links alone;
    /// `Some(links)` makes them exactly `links` (every stored link that involves the article
    /// and is not in the list is removed). The record's id in a link stands for the article.
    pub links: Option<Vec<Link>>,
    /// Stories to upsert (usually the article's own, with its new state), see
    /// [`Store::put_story`](crate::Store::put_story).
    pub stories: Vec<Story>,
}

/// A short view of a stored article for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    /// The article id.
    pub id: ArticleId,
    /// Where it was read from.
    pub source: String,
    /// The URL.
    pub url: Option<String>,
    /// The outlet.
    pub outlet: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The published date.
    pub published: Option<NaiveDate>,
    /// The language.
    pub language: Language,
    /// The dominant script.
    pub script: Script,
    /// The clean text's length in bytes.
    pub length: usize,
    /// The story the article belongs to, if any.
    pub story: Option<StoryId>,
}

/// Which articles a listing or a search considers. Every field narrows; `Default` is all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleFilter {
    /// Only this language.
    pub language: Option<Language>,
    /// Only articles published on or after this day (undated articles are left out).
    pub since: Option<NaiveDate>,
    /// Only articles published on or before this day (undated articles are left out).
    pub until: Option<NaiveDate>,
    /// Only this outlet (ASCII case ignored).
    pub outlet: Option<String>,
    /// Only articles that mention this entity.
    pub entity: Option<EntityId>,
    /// Only members of this story.
    pub story: Option<StoryId>,
}

/// The order of an article listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleOrder {
    /// Newest first; undated articles last; ties by id.
    #[default]
    NewestFirst,
    /// Oldest first; undated articles first; ties by id.
    OldestFirst,
}

/// A page of a listing: skip `offset` rows, return at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Most rows to return.
    pub limit: usize,
    /// Rows to skip.
    pub offset: usize,
}

impl Page {
    /// The first `limit` rows.
    pub fn first(limit: usize) -> Page {
        Page { limit, offset: 0 }
    }

    /// Every row.
    pub fn all() -> Page {
        Page {
            limit: usize::MAX,
            offset: 0,
        }
    }
}

impl Default for Page {
    /// The first 20 rows.
    fn default() -> Page {
        Page::first(20)
    }
}

/// How a search hit's snippet is cut and marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetStyle {
    /// Put before each hit.
    pub open: String,
    /// Put after each hit.
    pub close: String,
    /// Put where the snippet cuts the text.
    pub ellipsis: String,
    /// About how many characters of text the snippet shows.
    pub max_chars: usize,
}

impl Default for SnippetStyle {
    /// `**hit**`, `…`, about 200 characters.
    fn default() -> SnippetStyle {
        SnippetStyle {
            open: "**".to_string(),
            close: "**".to_string(),
            ellipsis: "…".to_string(),
            max_chars: 200,
        }
    }
}

/// A search over the analyzed terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// An AND of OR-groups: each query word expands to its alternatives (key, stem, entity ids),
    /// and an article must match one alternative of every group. No groups at all lists the
    /// filtered articles newest first with a score of 0; an empty group matches nothing.
    pub terms: Vec<Vec<String>>,
    /// Which articles to consider.
    pub filter: ArticleFilter,
    /// Which hits to return, best first.
    pub page: Page,
    /// How to cut and mark snippets.
    pub snippet: SnippetStyle,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The article id.
    pub id: ArticleId,
    /// Where it was read from.
    pub source: String,
    /// The URL.
    pub url: Option<String>,
    /// The outlet.
    pub outlet: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The published date.
    pub published: Option<NaiveDate>,
    /// The language.
    pub language: Language,
    /// BM25 relevance, higher is better (0 for a filter-only listing).
    pub score: f64,
    /// Text around the best hits, the hits marked as the query's [`SnippetStyle`] says.
    pub snippet: String,
}

/// One spelling of an entity's name and how often the stream used it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Alias {
    /// The spelling.
    pub text: String,
    /// The language it was seen in (`Und` for an alias from a knowledge base without one).
    pub language: Language,
    /// Its script.
    pub script: Script,
    /// How many stored mentions use it (kept by the store; ignored on upsert).
    pub count: u64,
}

/// A person, organisation or place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The entity id.
    pub id: EntityId,
    /// What it is.
    pub kind: EntityKind,
    /// The canonical name in Latin script.
    pub name: String,
    /// The canonical name in its native script, when it has another.
    pub native_name: Option<String>,
    /// Spellings, sorted by count (most used first), then text.
    pub aliases: Vec<Alias>,
    /// Stored mentions that name it (kept by the store; ignored on upsert).
    pub mentions: u64,
    /// Stored articles that mention it (kept by the store; ignored on upsert).
    pub articles: u64,
}

/// Which entities a listing returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityFilter {
    /// Only this kind.
    pub kind: Option<EntityKind>,
    /// Only entities mentioned in at least this many articles.
    pub min_articles: u64,
}

/// A quotation as stored, with the article it is from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredQuote {
    /// The article.
    pub article: ArticleId,
    /// The quote's position among the article's quotes.
    pub index: usize,
    /// The article's published date.
    pub published: Option<NaiveDate>,
    /// The article's language.
    pub language: Language,
    /// The quote.
    pub quote: Quote,
}

/// Which quotes a listing returns (newest articles first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteFilter {
    /// Only quotes attributed to this entity.
    pub speaker: Option<EntityId>,
    /// Only quotes from this article.
    pub article: Option<ArticleId>,
    /// Only quotes from articles that pass this filter.
    pub articles: ArticleFilter,
}

/// How two articles are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// The same text (near-identical).
    Duplicate,
    /// The same text republished with clutter or small edits.
    Reprint,
    /// The same text in another script of the same language (Uzbek Cyrillic and Latin).
    Script,
    /// A translation into another language.
    Translation,
}

impl LinkKind {
    /// Every kind.
    pub const ALL: [LinkKind; 4] = [
        LinkKind::Duplicate,
        LinkKind::Reprint,
        LinkKind::Script,
        LinkKind::Translation,
    ];

    /// The serialized name: `duplicate`, `reprint`, `script`, `translation`.
    pub fn name(self) -> &'static str {
        match self {
            LinkKind::Duplicate => "duplicate",
            LinkKind::Reprint => "reprint",
            LinkKind::Script => "script",
            LinkKind::Translation => "translation",
        }
    }

    /// The kind with this serialized name.
    pub fn from_name(name: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A scored relation between two articles, with the evidence for it.
///
/// Links are unordered: `(a, b, kind)` and `(b, a, kind)` are the same link, and storing one
/// replaces the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// One article.
    pub a: ArticleId,
    /// The other.
    pub b: ArticleId,
    /// How they are related.
    pub kind: LinkKind,
    /// How sure (the relate stage's scale).
    pub score: f64,
    /// Why, as the relate stage describes it.
    pub evidence: serde_json::Value,
}

/// Which links a listing returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkFilter {
    /// Only links that involve this article.
    pub article: Option<ArticleId>,
    /// Only this kind.
    pub kind: Option<LinkKind>,
}

/// A story id, chosen by the clustering stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoryId(pub String);

impl std::fmt::Display for StoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A cluster of articles about one event, across languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// The story id.
    pub id: StoryId,
    /// The label (top entities and keywords, per language), as the clustering stage builds it.
    pub label: serde_json::Value,
    /// The earliest member's date.
    pub first_seen: Option<NaiveDate>,
    /// The latest member's date.
    pub last_seen: Option<NaiveDate>,
    /// Member articles. An article belongs to at most one story: putting a story with a member
    /// of another story moves the article.
    pub articles: Vec<ArticleId>,
    /// Members per language.
    pub languages: BTreeMap<Language, u32>,
}

/// Which stories a listing returns (latest `last_seen` first, then larger first, then id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryFilter {
    /// Only stories with at least this many members.
    pub min_articles: usize,
    /// Only stories with a member in this language.
    pub language: Option<Language>,
}

/// The ingest journal's entry for one input (a file, a feed, a WARC): lets an ingest skip
/// inputs it has fully stored before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceState {
    /// The input, as the ingest names it (a canonical path, a URL).
    pub key: String,
    /// What the input looked like when read (e.g. size and modification time, or a hash):
    /// a different stamp means the input changed and must be read again.
    pub stamp: String,
    /// Articles read from it so far.
    pub items: u64,
    /// Whether every article of it was stored.
    pub complete: bool,
}

/// A stage's saved state (the relate stage's index, say), as of a position in the order
/// articles arrived in the store: lets an ingest resume by loading the state and replaying
/// the articles that arrived after it ([`Store::export_arrivals`](crate::Store::export_arrivals)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The arrival position ([`Store::last_arrival`](crate::Store::last_arrival)) of the last
    /// article the state has seen; 0 for none.
    pub position: u64,
    /// The state, serialized by its owner (opaque to the store).
    pub data: String,
}

/// Row counts, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// Articles.
    pub articles: u64,
    /// Mentions.
    pub mentions: u64,
    /// Entities.
    pub entities: u64,
    /// Quotes.
    pub quotes: u64,
    /// Date mentions.
    pub dates: u64,
    /// Events.
    pub events: u64,
    /// Links.
    pub links: u64,
    /// Stories.
    pub stories: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_prefers_canonical_url_and_normalizes_it() {
        let mut r = ArticleRecord::from_article(&Article {
            id: ArticleId::derive(None, "t"),
            source: "s".into(),
            url: None,
            outlet: None,
            title: None,
            published: None,
            dateline: None,
            language: Language::Ru,
            script: Script::Cyrl,
            original: "t".into(),
            text: "t".into(),
            offsets: xabar_core::OffsetMap::identity(1),
            paragraphs: Vec::new(),
            authors: Vec::new(),
            modified: None,
            canonical_url: None,
        });
        assert_eq!(
            r.identity(),
            format!("text:{}", ArticleRecord::hash_text("t"))
        );
        r.url = Some("HTTPS://Kun.UZ/news/1/#top".into());
        assert_eq!(r.identity(), "url:https://kun.uz/news/1");
        r.canonical_url = Some("https://kun.uz/News/2".into());
        assert_eq!(r.identity(), "url:https://kun.uz/News/2");
        r.canonical_url = Some("  ".into());
        assert_eq!(r.identity(), "url:https://kun.uz/news/1");
    }
}
