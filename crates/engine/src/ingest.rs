//! The ingest driver: raw articles in, analyzed and related articles into a [`Store`], in a way
//! that can be killed at any moment and run again.
//!
//! Per batch of raw articles (in input order):
//! 1. **prepare and recognize**, in parallel ([`xabar_ingest::prepare`],
//!    [`Annotator::recognize`]);
//! 2. **skip what the store has**: an article whose identity
//!    ([`ArticleRecord::identity`]: canonical URL, URL, else the text) is stored with the same
//!    content (text and metadata) is *unchanged* and goes no further: it is not linked again,
//!    not related, not written. The same article twice in one run is skipped the second time;
//! 3. **link** entities in input order ([`Linker`]: ids are shared across the whole store);
//! 4. **finish** annotations and build the [`ArticleRecord`]s with their search terms
//!    ([`crate::terms::record`]), in parallel;
//! 5. **relate** in input order ([`Relator::add`]): links to earlier articles and the story.
//!    Articles go in in input order even when one is dated earlier than articles before it:
//!    the relator treats the stream as arriving in publication order and keeps its clock at
//!    the latest date seen, so a late-arriving old article is compared with the current
//!    window (which is what a live feed does too). Sort inputs by date first for a backfill;
//! 6. **write** the batch in one transaction ([`Store::put_articles`]), each article with its
//!    links and its story's new state; then entity names that improved
//!    ([`Store::upsert_entity`]).
//!
//! # Resuming
//!
//! The store keeps every article whole or not at all, so after a kill it holds a prefix of
//! the input stream (in input order). What must survive besides the articles is the state of
//! the two sequential stages:
//! - **the relator**: saved as a [`Checkpoint`] (its serde state, JSON) every
//!   [`IngestOptions::checkpoint_every`] new articles and at the end of a run, tagged with the
//!   store's arrival position it covers. On start the checkpoint is loaded and the articles
//!   that arrived after it are added again from the store ([`Store::export_arrivals`]), in
//!   arrival order, which is the order they were related in. Relating is deterministic and the
//!   relator reads nothing but the stored record, so the state is the one the killed run had.
//!   Saving the state with every batch instead would write the whole window (up to 10,000
//!   profiles, megabytes of JSON) a few times a second; replaying at most `checkpoint_every`
//!   articles once at start costs a few seconds at most;
//! - **the linker**, which has no serializable state: it is rebuilt on start by linking the
//!   stored articles' mentions again in arrival order (their `x:` links cleared, knowledge-base
//!   links kept as the recognizer made them). Linking is deterministic in the order articles
//!   come, so entity ids stay the same across runs, and an interrupted ingest ends with the
//!   same entities as an uninterrupted one. This costs a pass over the stored mentions at
//!   start ([`Store::export_arrival_heads`], no texts; see docs/BENCHMARKS.md); a
//!   serializable linker would make it a load.
//!
//! Known limit: an article *updated* (same identity, new content) is related and linked at its
//! new place in the stream by the run that reads it, but replayed at its first place after a
//! kill. Only stores that saw an update between the last checkpoint and a kill can differ, and
//! only in what the relator and linker learnt from that one article.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;
use xabar_annotate::link::Linker;
use xabar_annotate::{Annotations, Annotator};
use xabar_core::{
    Article, DateSource, EntityId, EntityKind, LanguageIdentifier, Mention, RawArticle,
};
use xabar_relate::{ArticleView, Profile, Relator};
use xabar_store::{
    ArticleRecord, Checkpoint, Entity, Link, LinkKind, PutOutcome, Relations, Store, StoreError,
    Story, StoryId,
};
use xabar_text::langid::Identifier;
use xxhash_rust::xxh3::Xxh3;

use crate::terms::record;

/// The name of the relator's checkpoint in the store.
pub const RELATE_CHECKPOINT: &str = "relate";

/// Why an ingest stopped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The store failed (cannot be written, full disk, locked, damaged).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The relate stage could not be set up.
    #[error(transparent)]
    Relate(#[from] xabar_relate::RelateError),
    /// The saved relator state cannot be read or written.
    #[error("the relate checkpoint {0}")]
    Checkpoint(String),
}

/// How an ingest runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IngestOptions {
    /// The relate stage's configuration, for a store that has no checkpoint yet (a store that
    /// has one keeps the configuration it was started with).
    pub relate: xabar_relate::Config,
    /// New articles between two relator checkpoints.
    pub checkpoint_every: usize,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            relate: xabar_relate::Config::default(),
            checkpoint_every: 5_000,
        }
    }
}

/// What starting on a store found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Restored {
    /// Stored articles whose mentions were linked again to rebuild the linker.
    pub linked: u64,
    /// Stored articles after the relator's checkpoint that were related again.
    pub related: u64,
}

/// What an ingest did, summed over batches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestCounts {
    /// Raw articles handed in.
    pub read: u64,
    /// Articles stored for the first time.
    pub new: u64,
    /// Articles stored before with other content, replaced.
    pub updated: u64,
    /// Articles stored before with the same content (or seen earlier in the run), skipped.
    pub unchanged: u64,
    /// Articles that could not be analyzed or stored, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Links written.
    pub links: u64,
    /// Stories opened.
    pub stories: u64,
}

impl IngestCounts {
    /// Articles skipped for any reason.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    fn skip(&mut self, reason: String) {
        *self.skipped.entry(reason).or_default() += 1;
    }
}

/// One article that could not be ingested, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where it came from.
    pub source: String,
    /// Why, in full.
    pub message: String,
    /// The kind of reason, for counting (see [`IngestCounts::skipped`]).
    pub reason: String,
}

/// The analysis, linking, relating and storing of a stream of articles into one store; see
/// the module documentation.
pub struct Ingester {
    store: Box<dyn Store>,
    identifier: Identifier,
    annotator: Annotator,
    linker: Linker,
    relator: Relator,
    /// Content hash of every stored article, by identity.
    known: HashMap<String, u64>,
    /// The entity names the store holds (to write only those that changed).
    names: HashMap<EntityId, String>,
    options: IngestOptions,
    since_checkpoint: usize,
    restored: Restored,
    counts: IngestCounts,
}

impl Ingester {
    /// Starts ingesting into `store`: rebuilds the linker and the relator from what it holds
    /// (see the module documentation).
    pub fn open(store: Box<dyn Store>, options: IngestOptions) -> Result<Ingester, IngestError> {
        let mut restored = Restored::default();
        let mut linker = Linker::new();
        let mut known = HashMap::new();
        for row in store.export_arrival_heads(0)? {
            let (_, record) = row?;
            let mut mentions = record.mentions.clone();
            for m in &mut mentions {
                if m.entity.as_ref().is_some_and(|e| !e.0.starts_with("kb:")) {
                    m.entity = None;
                    m.name = None;
                }
            }
            linker.link_article(&record.id.0, record.language, record.script, &mut mentions);
            known.insert(record.identity(), content_hash(&record));
            restored.linked += 1;
        }
        let mut names = HashMap::new();
        for row in store.export_entities()? {
            let entity = row?;
            names.insert(entity.id, entity.name);
        }
        let (mut relator, position) = match store.checkpoint(RELATE_CHECKPOINT)? {
            Some(checkpoint) => {
                let relator: Relator = serde_json::from_str(&checkpoint.data)
                    .map_err(|e| IngestError::Checkpoint(format!("cannot be read: {e}")))?;
                (relator, checkpoint.position)
            }
            None => (Relator::new(options.relate)?, 0),
        };
        let mut pending: Vec<ArticleRecord> = Vec::new();
        let replay = |pending: &mut Vec<ArticleRecord>, relator: &mut Relator| {
            let profiles: Vec<Profile> =
                pending.par_iter().map(|r| Profile::new(&view(r))).collect();
            for profile in profiles {
                relator.add(profile);
            }
            pending.clear();
        };
        for row in store.export_arrivals(position)? {
            pending.push(row?.1);
            restored.related += 1;
            if pending.len() >= 256 {
                replay(&mut pending, &mut relator);
            }
        }
        replay(&mut pending, &mut relator);
        Ok(Ingester {
            store,
            identifier: Identifier::new(),
            annotator: Annotator::new(),
            linker,
            relator,
            known,
            names,
            options,
            since_checkpoint: restored.related as usize,
            restored,
            counts: IngestCounts::default(),
        })
    }

    /// What [`Ingester::open`] rebuilt.
    pub fn restored(&self) -> Restored {
        self.restored
    }

    /// The counts so far.
    pub fn counts(&self) -> &IngestCounts {
        &self.counts
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The store, to write what the ingest does not (an input journal).
    pub fn store_mut(&mut self) -> &mut dyn Store {
        self.store.as_mut()
    }

    /// Ingests a batch of raw articles, in order (run inside a rayon pool to choose the
    /// threads). Articles that cannot be analyzed or stored are returned, and counted; an
    /// error is the store's, and then none or a prefix of the batch is stored and ingesting
    /// the batch again is safe.
    pub fn ingest(&mut self, raws: Vec<RawArticle>) -> Result<Vec<Skipped>, IngestError> {
        self.counts.read += raws.len() as u64;
        let identifier = &self.identifier;
        let annotator = &self.annotator;
        let prepared: Vec<Result<(Article, Vec<Mention>), Skipped>> = raws
            .into_par_iter()
            .map(|raw| {
                let source = raw.source.clone();
                let article = xabar_ingest::prepare(raw, identifier as &dyn LanguageIdentifier)
                    .map_err(|e| skipped(source, &e.to_string()))?;
                let mentions = annotator.recognize(&article);
                Ok((article, mentions))
            })
            .collect();

        let mut skips = Vec::new();
        let mut linked = Vec::with_capacity(prepared.len());
        let mut in_batch: HashSet<String> = HashSet::new();
        for item in prepared {
            let (article, mut mentions) = match item {
                Ok(x) => x,
                Err(skip) => {
                    self.counts.skip(skip.reason.clone());
                    skips.push(skip);
                    continue;
                }
            };
            let bare = ArticleRecord::from_article(&article);
            let identity = bare.identity();
            let hash = content_hash(&bare);
            if self.known.get(&identity) == Some(&hash) || !in_batch.insert(identity.clone()) {
                self.counts.unchanged += 1;
                continue;
            }
            let existed = self.known.insert(identity, hash).is_some();
            self.linker.link_article(
                &article.id.0,
                article.language,
                article.script,
                &mut mentions,
            );
            linked.push((article, mentions, existed));
        }

        let records: Vec<(ArticleRecord, bool)> = linked
            .into_par_iter()
            .map(|(article, mentions, existed)| {
                let annotations: Annotations = annotator.finish(&article, mentions);
                (record(&article, &annotations), existed)
            })
            .collect();
        let profiles: Vec<Profile> = records
            .par_iter()
            .map(|(r, _)| Profile::new(&view(r)))
            .collect();

        // Relate in order; each touched story is written once, with the last of its articles.
        let mut batch: Vec<(ArticleRecord, Relations)> = Vec::with_capacity(records.len());
        let mut story_at: HashMap<xabar_relate::StoryId, usize> = HashMap::new();
        let mut snapshots: HashMap<xabar_relate::StoryId, xabar_store::Story> = HashMap::new();
        let mut opened = 0;
        for ((record, existed), profile) in records.into_iter().zip(profiles) {
            let added = self.relator.add(profile);
            // The story as it stands after this article: taken now, not at the end of the
            // batch, so that it is written even if it leaves the relator's memory later in
            // the batch, and so that its label (weighted by the document frequencies of the
            // moment) does not depend on where batches end.
            if let Some(story) = self.relator.story(&added.story) {
                snapshots.insert(added.story.clone(), store_story(&story));
            }
            if added.new_story {
                opened += 1;
            }
            let links: Vec<Link> = added.links.iter().map(store_link).collect();
            let relations = Relations {
                // A new article's links are all its links; an updated one keeps the links
                // later articles made to it, so its new ones are added apart.
                links: (!existed).then_some(links.clone()),
                stories: Vec::new(),
            };
            if existed && !links.is_empty() {
                self.store.put_links(&links)?;
            }
            story_at.insert(added.story.clone(), batch.len());
            batch.push((record, relations));
        }
        for (id, at) in story_at {
            if let Some(story) = snapshots.remove(&id) {
                batch[at].1.stories.push(story);
            }
        }

        let puts = self.store.put_articles(&batch)?;
        let mut fresh = 0;
        for ((record, relations), put) in batch.iter().zip(puts) {
            match put {
                Ok(put) => match put.outcome {
                    PutOutcome::New => {
                        self.counts.new += 1;
                        fresh += 1;
                    }
                    PutOutcome::Updated => self.counts.updated += 1,
                    PutOutcome::Unchanged => self.counts.unchanged += 1,
                },
                Err(e) => {
                    // Not stored: the next time it comes it must be tried again.
                    self.known.remove(&record.identity());
                    let skip = skipped(record.source.clone(), &e.to_string());
                    self.counts.skip(skip.reason.clone());
                    skips.push(skip);
                    continue;
                }
            }
            self.counts.links += relations.links.as_ref().map_or(0, |l| l.len() as u64);
        }
        self.counts.stories += opened;
        self.update_names(&batch)?;
        self.since_checkpoint += fresh;
        if self.since_checkpoint >= self.options.checkpoint_every.max(1) {
            self.checkpoint()?;
        }
        Ok(skips)
    }

    /// Saves the relator's checkpoint and brings every entity's name up to the linker's (a
    /// run ends with it; a run that is killed before gets it from the next one).
    pub fn finish(&mut self) -> Result<(), IngestError> {
        self.checkpoint()?;
        for entry in self.linker.entities() {
            if self.names.get(&entry.id) != Some(&entry.name)
                && self.store.entity(&entry.id)?.is_some()
            {
                self.rename(entry.id, entry.kind, entry.name)?;
            }
        }
        Ok(())
    }

    /// The store, once done.
    pub fn into_store(self) -> Box<dyn Store> {
        self.store
    }

    fn checkpoint(&mut self) -> Result<(), IngestError> {
        let data = serde_json::to_string(&self.relator)
            .map_err(|e| IngestError::Checkpoint(format!("cannot be written: {e}")))?;
        let position = self.store.last_arrival()?;
        self.store
            .put_checkpoint(RELATE_CHECKPOINT, &Checkpoint { position, data })?;
        self.since_checkpoint = 0;
        Ok(())
    }

    /// Writes the names of the batch's entities where the linker's name for them changed from
    /// what the store holds. The store names a new entity after the first mention that links
    /// it; the linker may find a better name later.
    fn update_names(&mut self, batch: &[(ArticleRecord, Relations)]) -> Result<(), IngestError> {
        let mut latest: BTreeMap<&EntityId, (&Mention, &str)> = BTreeMap::new();
        for m in batch.iter().flat_map(|(record, _)| &record.mentions) {
            let Some(id) = &m.entity else { continue };
            let name = m.name.as_deref().unwrap_or(&m.text);
            if !self.names.contains_key(id) {
                self.names.insert(id.clone(), name.to_string());
            }
            latest.insert(id, (m, name));
        }
        for (id, (m, name)) in latest {
            if self.names.get(id).map(String::as_str) != Some(name) {
                self.rename(id.clone(), m.kind, name.to_string())?;
            }
        }
        Ok(())
    }

    /// Writes an entity's new name to the store (which keeps its other fields) and notes it.
    fn rename(&mut self, id: EntityId, kind: EntityKind, name: String) -> Result<(), IngestError> {
        self.store.upsert_entity(&Entity {
            id: id.clone(),
            kind,
            name: name.clone(),
            native_name: None,
            aliases: Vec::new(),
            mentions: 0,
            articles: 0,
        })?;
        self.names.insert(id, name);
        Ok(())
    }
}

/// What the relate stage reads of a stored record: the same live and on replay.
fn view(record: &ArticleRecord) -> ArticleView<'_> {
    ArticleView::new(&record.id, record.language, record.script, &record.text)
        .with_published(record.published.or_else(|| reference_date(record)))
        .with_title(record.title.as_deref())
        .with_mentions(&record.mentions)
        .with_quotes(&record.quotes)
        .with_dates(&record.dates)
}

/// Where an article without a published date stands in time for the relate stage: the latest
/// date of at least month precision that its text names (its dates and its events' dates,
/// planned ones included; a range by its start, a month by its first day). News is written
/// about what happened days ago and what happens next week, so that date is close to the
/// publication; without it the relator would take the stream's latest date, which for a
/// folder of undated files is whatever was read before. The stored record keeps its
/// published date unknown.
fn reference_date(record: &ArticleRecord) -> Option<NaiveDate> {
    let events = record
        .events
        .iter()
        .filter(|e| e.date_source != Some(DateSource::Published))
        .filter_map(|e| e.date.as_deref());
    record
        .dates
        .iter()
        .map(|d| d.value.as_str())
        .chain(events)
        .filter_map(date_of_value)
        .max()
}

/// The first day of a normalized date value (`2025-11-11`, `2024-11`, `2025-11-11/2025-11-12`);
/// `None` for years alone, year-less dates and relative references.
fn date_of_value(value: &str) -> Option<NaiveDate> {
    let first = value.split('/').next()?;
    match first.len() {
        10 => NaiveDate::parse_from_str(first, "%Y-%m-%d").ok(),
        7 => NaiveDate::parse_from_str(&format!("{first}-01"), "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// A hash of what makes an article's content: its text (by hash) and the metadata the reader found
/// (not where it was read from, so the same article in two files is one).
fn content_hash(record: &ArticleRecord) -> u64 {
    let mut h = Xxh3::new();
    let mut put = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    // The text by its hash, which a record read without its body still has.
    put(&record.text_hash);
    for field in [
        &record.url,
        &record.canonical_url,
        &record.outlet,
        &record.title,
    ] {
        put(field.as_deref().unwrap_or("\u{0}"));
    }
    put(&record.published.map(|d| d.to_string()).unwrap_or_default());
    put(&record.modified.map(|d| d.to_string()).unwrap_or_default());
    put(record.language.code());
    put(&record.authors.join("\u{1}"));
    h.digest()
}

fn skipped(source: String, message: &str) -> Skipped {
    Skipped {
        reason: reason_of(message),
        message: message.to_string(),
        source,
    }
}

/// The kind of a skip message, for counting: the text after the `source: ` prefix, with
/// offsets and details cut.
pub fn reason_of(message: &str) -> String {
    let reason = message.split_once(": ").map(|(_, r)| r).unwrap_or(message);
    let reason = reason.split([';', '(']).next().unwrap_or(reason).trim();
    let reason = reason.split(" at byte").next().unwrap_or(reason);
    reason.split(": ").next().unwrap_or(reason).to_string()
}

/// The store's form of a relate link.
fn store_link(link: &xabar_relate::Link) -> Link {
    Link {
        a: link.a.clone(),
        b: link.b.clone(),
        kind: match link.kind {
            xabar_relate::LinkKind::Duplicate => LinkKind::Duplicate,
            xabar_relate::LinkKind::Reprint => LinkKind::Reprint,
            xabar_relate::LinkKind::Script => LinkKind::Script,
            xabar_relate::LinkKind::Translation => LinkKind::Translation,
        },
        score: link.score,
        evidence: serde_json::to_value(&link.evidence).unwrap_or(serde_json::Value::Null),
    }
}

/// The store's form of a relate story: the label as JSON (`latin`, `by_language`, `names`,
/// `keywords`), members in arrival order, member counts per language.
fn store_story(story: &xabar_relate::Story) -> Story {
    Story {
        id: StoryId(story.id.0.clone()),
        label: serde_json::to_value(&story.label).unwrap_or(serde_json::Value::Null),
        first_seen: story.first_seen,
        last_seen: story.last_seen,
        articles: story.articles.clone(),
        languages: story
            .languages
            .iter()
            .map(|(l, members)| (*l, members.len() as u32))
            .collect(),
    }
}
