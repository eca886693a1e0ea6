//! The [`Store`] trait: what xabar asks of any backend, embedded (SQLite) or server
//! (PostgreSQL).
//!
//! The contract, which [`testsuite`](crate) checks for every backend:
//! - **One transaction per article.** [`Store::put_article_with`] writes an article, its
//!   mentions, quotes, dates, events, search terms, the entity counts they change, and the
//!   links and stories given with it, all or nothing. A process killed at any moment leaves
//!   each article either fully stored or absent.
//! - **Idempotent.** An article is identified by [`ArticleRecord::identity`]; putting the same
//!   content again is [`PutOutcome::Unchanged`] and writes nothing, so an interrupted ingest
//!   that is run again ends with the same store as an uninterrupted one.
//! - **Derived counts are exact.** Entity and alias counts always equal what the stored
//!   mentions say; they are adjusted in the article's transaction, never recomputed later.
//! - **Readers never see half an article**, and a reader may read while one writer writes.
//! - **One writer at a time.** A backend refuses a second writer with
//!   [`StoreError::Locked`](crate::StoreError::Locked) rather than interleave two ingests.

use crate::model::*;
use crate::{Result, StoreError};
use xabar_core::{ArticleId, EntityId};

/// A lazily fetched sequence of rows (an export); each item may fail on its own.
pub type RowIter<'a, T> = Box<dyn Iterator<Item = Result<T>> + 'a>;

/// A knowledge store of analyzed articles, entities, links and stories.
///
/// Object safe: the CLI holds a `Box<dyn Store>` and does not care which backend it has.
pub trait Store: Send {
    /// The schema version of the open store (after any migration).
    fn schema_version(&self) -> Result<u32>;

    /// Whether this handle may write.
    fn is_writable(&self) -> bool;

    // ---- writing -------------------------------------------------------------------------

    /// Writes one article with its annotations and terms in one transaction, see
    /// [`Store::put_article_with`].
    fn put_article(&mut self, record: &ArticleRecord) -> Result<Put> {
        self.put_article_with(record, &Relations::default())
    }

    /// Writes one article with its annotations, terms, links and stories in one transaction.
    ///
    /// The same identity with the same content is [`PutOutcome::Unchanged`] and writes nothing
    /// (the relations are ignored too: they were written with the article before). The same
    /// identity with other content is [`PutOutcome::Updated`]: the article and all its
    /// annotations are replaced, under the id it was first stored with.
    fn put_article_with(&mut self, record: &ArticleRecord, relations: &Relations) -> Result<Put>;

    /// Writes several articles, each with its relations, as [`Store::put_article_with`] would
    /// one by one, but cheaper: a backend may commit the whole batch in one transaction (SQLite
    /// does). Each article stays all-or-nothing: a record that is invalid, or whose relations
    /// are, gets [`StoreError::InvalidRecord`] in its slot and nothing of it is written, while
    /// the rest of the batch is. An error of the store itself (a full disk, a lost connection)
    /// fails the call; then none or a prefix of the batch is stored, and putting the batch
    /// again is safe.
    fn put_articles(&mut self, batch: &[(ArticleRecord, Relations)]) -> Result<Vec<Result<Put>>> {
        let mut results = Vec::with_capacity(batch.len());
        for (record, relations) in batch {
            match self.put_article_with(record, relations) {
                Err(e @ StoreError::InvalidRecord { .. }) => results.push(Err(e)),
                other => results.push(Ok(other?)),
            }
        }
        Ok(results)
    }

    /// What [`Store::put_article`] would do with this record, without writing: lets an ingest
    /// skip the relate stage for articles it already has.
    fn classify(&self, record: &ArticleRecord) -> Result<Put>;

    /// Inserts an entity or updates its kind and names, and adds the aliases it lists that the
    /// store lacks (with a count of 0). Counts are the store's and are not taken from `entity`.
    /// Entities that mentions name are created by [`Store::put_article`] if missing, with the
    /// mention's kind and name.
    fn upsert_entity(&mut self, entity: &Entity) -> Result<()>;

    /// Inserts or replaces links, keyed by `(a, b, kind)` in either order, in one transaction.
    fn put_links(&mut self, links: &[Link]) -> Result<()>;

    /// Inserts or replaces a story (label, dates, languages) and makes its members exactly
    /// `story.articles`, moving them from other stories where they were.
    fn put_story(&mut self, story: &Story) -> Result<()>;

    /// Removes a story (its articles then belong to none). Returns whether it existed.
    fn delete_story(&mut self, id: &StoryId) -> Result<bool>;

    /// Records the ingest journal's entry for one input.
    fn put_source_state(&mut self, state: &SourceState) -> Result<()>;

    /// Saves (replaces) the checkpoint called `name`, in one transaction.
    fn put_checkpoint(&mut self, name: &str, checkpoint: &Checkpoint) -> Result<()>;

    // ---- reading -------------------------------------------------------------------------

    /// The ingest journal's entry for an input, if any.
    fn source_state(&self, key: &str) -> Result<Option<SourceState>>;

    /// The checkpoint called `name`, if one was saved.
    fn checkpoint(&self, name: &str) -> Result<Option<Checkpoint>>;

    /// The arrival position of the article stored last, 0 when there is none. Every article
    /// stored for the first time gets a position greater than every earlier one (an update
    /// keeps the article's position), so a stage that saved a [`Checkpoint`] at a position
    /// can replay exactly the articles that arrived after it.
    fn last_arrival(&self) -> Result<u64>;

    /// One article, complete, or `None`.
    fn article(&self, id: &ArticleId) -> Result<Option<ArticleRecord>>;

    /// Articles that pass `filter`, in `order`, one page.
    fn articles(
        &self,
        filter: &ArticleFilter,
        order: ArticleOrder,
        page: Page,
    ) -> Result<Vec<ArticleSummary>>;

    /// How many articles pass `filter`.
    fn count_articles(&self, filter: &ArticleFilter) -> Result<u64>;

    /// Full-text search over the terms, BM25-ranked, best first; ties most recently stored
    /// first. When a query matches very many articles, a backend may rank only the most
    /// recently stored of them (SQLite: [`SqliteOptions::search_window`](crate::SqliteOptions),
    /// 5,000 by default), filters applied before that cut: news search favours the recent, and
    /// this keeps a search on a common word as fast as one on a rare word.
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>>;

    /// One entity with its aliases and counts, or `None`.
    fn entity(&self, id: &EntityId) -> Result<Option<Entity>>;

    /// Entities, most mentioned articles first (then id), one page.
    fn entities(&self, filter: &EntityFilter, page: Page) -> Result<Vec<Entity>>;

    /// Quotes, newest articles first (then article id, then position), one page.
    fn quotes(&self, filter: &QuoteFilter, page: Page) -> Result<Vec<StoredQuote>>;

    /// Links, best score first (then ids and kind), one page.
    fn links(&self, filter: &LinkFilter, page: Page) -> Result<Vec<Link>>;

    /// One story with its members (sorted by id), or `None`.
    fn story(&self, id: &StoryId) -> Result<Option<Story>>;

    /// The story an article belongs to, if any.
    fn story_of(&self, article: &ArticleId) -> Result<Option<StoryId>>;

    /// Stories, latest first (see [`StoryFilter`]), one page.
    fn stories(&self, filter: &StoryFilter, page: Page) -> Result<Vec<Story>>;

    /// Row counts.
    fn stats(&self) -> Result<StoreStats>;

    // ---- exports: every row, in a stable order, fetched a batch at a time ---------------

    /// Every article that arrived after `position`, complete, with its arrival position, in
    /// the order of arrival (see [`Store::last_arrival`]).
    fn export_arrivals(&self, position: u64) -> Result<RowIter<'_, (u64, ArticleRecord)>>;

    /// The same rows as [`Store::export_arrivals`] without the bulk: text, paragraphs, terms,
    /// quotes, dates and events are left empty (`text_hash`, metadata and mentions are
    /// there). What a stage that rebuilds its state from mentions reads, several times faster.
    fn export_arrival_heads(&self, position: u64) -> Result<RowIter<'_, (u64, ArticleRecord)>>;

    /// Every article, complete, oldest published first (undated first), then by id: the
    /// order in which a relate stage can rebuild its state.
    fn export_articles(&self) -> Result<RowIter<'_, ArticleRecord>>;

    /// Every entity, by id.
    fn export_entities(&self) -> Result<RowIter<'_, Entity>>;

    /// Every quote, article by article in the order they were first stored, then by position.
    fn export_quotes(&self) -> Result<RowIter<'_, StoredQuote>>;

    /// Every link, by `(a, b, kind)`.
    fn export_links(&self) -> Result<RowIter<'_, Link>>;

    /// Every story, by id.
    fn export_stories(&self) -> Result<RowIter<'_, Story>>;
}

/// Checks a record before it is written: ids present, every span inside the text and on
/// character boundaries. Backends call it so that a bad record fails the same way everywhere.
pub fn validate_record(record: &ArticleRecord) -> Result<()> {
    let bad = |reason: String| StoreError::InvalidRecord {
        id: record.id.0.clone(),
        reason,
    };
    if record.id.0.trim().is_empty() {
        return Err(bad("empty article id".into()));
    }
    let text = &record.text;
    let check = |what: &str, start: usize, end: usize| -> Result<()> {
        if start > end || end > text.len() {
            return Err(bad(format!(
                "{what} span {start}..{end} is outside the text ({} bytes)",
                text.len()
            )));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(bad(format!(
                "{what} span {start}..{end} is not on character boundaries"
            )));
        }
        Ok(())
    };
    for p in &record.paragraphs {
        check("paragraph", p.start, p.end)?;
    }
    for m in &record.mentions {
        check("mention", m.start, m.end)?;
        if matches!(&m.entity, Some(e) if e.0.is_empty()) {
            return Err(bad("a mention links to an empty entity id".into()));
        }
    }
    for q in &record.quotes {
        check("quote", q.start, q.end)?;
    }
    for d in &record.dates {
        check("date", d.start, d.end)?;
    }
    for e in &record.events {
        check("event", e.evidence.start, e.evidence.end)?;
    }
    for t in &record.terms {
        check("term", t.start, t.end)?;
    }
    Ok(())
}
