//! [`Relator`]: the incremental index that links each arriving article to the articles before
//! it and places it in a story.
//!
//! Articles arrive one at a time, in publication order. For each, the relator
//! 1. finds candidates without comparing every pair: LSH buckets of its MinHash signature
//!    (same text), postings of its rarer anchors (names, numbers, entities, dates: translations
//!    and same-event reports), postings of its heaviest terms (same-language reports); every
//!    list is bounded, so the work per article does not grow with the number stored;
//! 2. judges the candidates: text identity (duplicate, reprint, script twin) from signatures,
//!    translation from anchors and structure (see [`crate::link`]);
//! 3. places it in a story: the story of the article it is linked to most surely, else the
//!    open story whose centroid it resembles most (when that reaches the threshold), else a
//!    new story of its own.
//!
//! Only articles within a time window are kept (by date, and by count); older ones and stories
//! that stopped growing leave memory, which bounds the cost per article. An article without a
//! date takes the stream's latest date, which is what "arriving in publication order" implies.
//!
//! Everything is deterministic: the same articles in the same order give the same links and
//! stories, whatever the thread count; ties go to the lower article or story id. The state
//! serializes (serde) and deserializes into a relator that continues exactly as the original
//! would have.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xabar_core::ArticleId;

use crate::hash::{FastMap, FastSet};
use crate::link::{self, Link, LinkThresholds};
use crate::profile::Profile;
use crate::similarity::{DocFrequencies, Vectors, distinct_anchors};
use crate::story::{Story, StoryId, StoryState};
use crate::view::ArticleView;

/// How a [`Relator`] judges and how much it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Days an article stays linkable after its date.
    pub link_window_days: u32,
    /// Days a story stays open after its latest article.
    pub story_window_days: u32,
    /// The most articles kept in the window, whatever their dates.
    pub max_articles: usize,
    /// The most candidates judged per article and kind of evidence.
    pub max_candidates: usize,
    /// The most entries a bucket or posting list keeps (the most recent).
    pub max_postings: usize,
    /// The least similarity to a story's centroid for an article to join it, when the story
    /// has articles in the article's language.
    pub story_threshold: f64,
    /// The same, when it has none (similarity across languages runs lower: only names,
    /// numbers and cognates meet).
    pub story_threshold_cross: f64,
    /// Thresholds of the link judgements.
    pub links: LinkThresholds,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            link_window_days: 30,
            story_window_days: 7,
            max_articles: 10_000,
            max_candidates: 24,
            max_postings: 64,
            story_threshold: 0.35,
            story_threshold_cross: 0.3,
            links: LinkThresholds::default(),
        }
    }
}

/// Why a relator could not be made or restored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RelateError {
    /// A configuration value is out of range.
    #[error("invalid relator configuration: {0}")]
    Config(String),
    /// A saved state was written by a newer, incompatible version.
    #[error(
        "saved relator state has version {found}; this xabar reads version {supported}: upgrade xabar or re-ingest"
    )]
    Version {
        /// The version in the saved state.
        found: u32,
        /// The version this code reads.
        supported: u32,
    },
}

/// What adding an article found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Added {
    /// The article.
    pub article: ArticleId,
    /// Its links to earlier articles (`b` is this article), strongest first.
    pub links: Vec<Link>,
    /// The story it was placed in.
    pub story: StoryId,
    /// Whether that story is new (opened by this article).
    pub new_story: bool,
}

/// One article in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    profile: Profile,
    vectors: Vectors,
    date: Option<NaiveDate>,
    story: StoryId,
    /// Heaviest terms, indexed for same-language candidates.
    top_terms: Vec<u64>,
}

/// The version of the serialized state.
const STATE_VERSION: u32 = 1;
/// Terms per article indexed for story candidates.
const TOP_TERMS: usize = 12;
/// Translation candidates judged per article.
const MAX_TRANSLATION_CHECKS: usize = 12;
/// Links kept per article (the strongest).
const MAX_LINKS: usize = 16;

/// The incremental relations index; see the module documentation.
#[derive(Debug, Clone)]
pub struct Relator {
    config: Config,
    clock: Option<NaiveDate>,
    seq: u64,
    entries: BTreeMap<u64, Entry>,
    by_id: FastMap<ArticleId, u64>,
    buckets: FastMap<u64, Vec<u64>>,
    anchors: FastMap<u64, Vec<u64>>,
    terms: FastMap<u64, Vec<u64>>,
    df: DocFrequencies,
    stories: BTreeMap<StoryId, StoryState>,
    /// The stories by the arrival number of their newest article, to retire them in order.
    newest: BTreeMap<(u64, StoryId), ()>,
}

/// The serialized form of a [`Relator`]: the window's articles in arrival order and the open
/// stories; indexes and counts are rebuilt on restore.
#[derive(Serialize, Deserialize)]
struct State {
    version: u32,
    config: Config,
    clock: Option<NaiveDate>,
    seq: u64,
    entries: Vec<(u64, Entry)>,
    stories: Vec<StoryState>,
}

impl Serialize for Relator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        State {
            version: STATE_VERSION,
            config: self.config,
            clock: self.clock,
            seq: self.seq,
            entries: self
                .entries
                .iter()
                .map(|(seq, e)| (*seq, e.clone()))
                .collect(),
            stories: self.stories.values().cloned().collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Relator {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let state = State::deserialize(deserializer)?;
        Relator::restore(state).map_err(serde::de::Error::custom)
    }
}

fn push_capped(list: &mut Vec<u64>, seq: u64, cap: usize) {
    list.push(seq);
    if list.len() > cap {
        let excess = list.len() - cap;
        list.drain(..excess);
    }
}

fn remove_from(map: &mut FastMap<u64, Vec<u64>>, key: u64, seq: u64) {
    if let Some(list) = map.get_mut(&key) {
        if let Ok(i) = list.binary_search(&seq) {
            list.remove(i);
        }
        if list.is_empty() {
            map.remove(&key);
        }
    }
}

fn top_terms(vectors: &Vectors) -> Vec<u64> {
    let mut terms = vectors.terms.0.clone();
    terms.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms.iter().take(TOP_TERMS).map(|t| t.0).collect()
}

impl Default for Relator {
    fn default() -> Relator {
        Relator::empty(Config::default())
    }
}

impl Relator {
    /// A relator with this configuration, checked.
    pub fn new(config: Config) -> Result<Relator, RelateError> {
        if config.max_articles == 0 || config.max_candidates == 0 || config.max_postings == 0 {
            return Err(RelateError::Config(
                "max_articles, max_candidates and max_postings must be at least 1".into(),
            ));
        }
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        if !in_unit(config.story_threshold)
            || !in_unit(config.story_threshold_cross)
            || !in_unit(config.links.duplicate)
            || !in_unit(config.links.reprint)
            || !in_unit(config.links.translation)
        {
            return Err(RelateError::Config(
                "thresholds must lie between 0 and 1".into(),
            ));
        }
        Ok(Relator::empty(config))
    }

    fn empty(config: Config) -> Relator {
        Relator {
            config,
            clock: None,
            seq: 0,
            entries: BTreeMap::new(),
            by_id: FastMap::default(),
            buckets: FastMap::default(),
            anchors: FastMap::default(),
            terms: FastMap::default(),
            df: DocFrequencies::new(),
            stories: BTreeMap::new(),
            newest: BTreeMap::new(),
        }
    }

    fn restore(state: State) -> Result<Relator, RelateError> {
        if state.version > STATE_VERSION {
            return Err(RelateError::Version {
                found: state.version,
                supported: STATE_VERSION,
            });
        }
        let mut relator = Relator::new(state.config)?;
        relator.clock = state.clock;
        relator.seq = state.seq;
        for (seq, entry) in state.entries {
            relator.index(seq, entry);
        }
        relator.newest = state
            .stories
            .iter()
            .map(|s| ((s.last_seq, s.id.clone()), ()))
            .collect();
        relator.stories = state
            .stories
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        Ok(relator)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Articles in the window.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the window is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A story kept in memory (open, or closed within the link window), as it stands.
    pub fn story(&self, id: &StoryId) -> Option<Story> {
        self.stories.get(id).map(|s| s.story(&self.df))
    }

    /// Every story kept in memory, by id.
    pub fn stories(&self) -> impl Iterator<Item = Story> + '_ {
        self.stories.values().map(|s| s.story(&self.df))
    }

    /// The story an article in the window belongs to.
    pub fn story_of(&self, article: &ArticleId) -> Option<&StoryId> {
        let seq = self.by_id.get(article)?;
        self.entries.get(seq).map(|e| &e.story)
    }

    /// Profiles the articles in parallel, then adds them in order.
    pub fn add_all(&mut self, views: &[ArticleView<'_>]) -> Vec<Added> {
        let profiles: Vec<Profile> = views.par_iter().map(Profile::new).collect();
        profiles.into_iter().map(|p| self.add(p)).collect()
    }

    /// Adds one article (its profile, see [`Profile::new`]), after every article added
    /// before. An article whose id is already in the window is not added again: the result
    /// names its story and no links.
    pub fn add(&mut self, profile: Profile) -> Added {
        if let Some(story) = self.story_of(&profile.id) {
            return Added {
                article: profile.id.clone(),
                links: Vec::new(),
                story: story.clone(),
                new_story: false,
            };
        }
        self.seq += 1;
        let seq = self.seq;
        if let Some(date) = profile.published {
            self.clock = Some(self.clock.map_or(date, |c| c.max(date)));
        }
        let date = profile.published.or(self.clock);
        self.evict();

        self.df.add(&profile);
        let vectors = Vectors::new(&profile, &self.df);
        let candidates = self.anchor_candidates(&profile);
        let links = self.find_links(&profile, &candidates);
        let (story, new_story) = self.place(&profile, &vectors, &links, &candidates, date, seq);

        let entry = Entry {
            top_terms: top_terms(&vectors),
            profile,
            vectors,
            date,
            story: story.clone(),
        };
        // The df already counts this article; `index` counts entries in, so undo first.
        self.df.remove(&entry.profile);
        let article = entry.profile.id.clone();
        self.index(seq, entry);
        Added {
            article,
            links,
            story,
            new_story,
        }
    }

    /// Puts an entry into the window and its indexes.
    fn index(&mut self, seq: u64, entry: Entry) {
        let cap = self.config.max_postings;
        for band in entry.profile.minhash.bands() {
            push_capped(self.buckets.entry(band).or_default(), seq, cap);
        }
        for anchor in distinct_anchors(&entry.profile) {
            push_capped(self.anchors.entry(anchor).or_default(), seq, cap);
        }
        for &term in &entry.top_terms {
            push_capped(self.terms.entry(term).or_default(), seq, cap);
        }
        self.df.add(&entry.profile);
        self.by_id.insert(entry.profile.id.clone(), seq);
        self.entries.insert(seq, entry);
    }

    /// Drops articles past the window, and stories with nothing left in it that stopped
    /// growing.
    fn evict(&mut self) {
        let cutoff = self
            .clock
            .and_then(|c| c.checked_sub_days(Days::new(u64::from(self.config.link_window_days))));
        while let Some((&seq, entry)) = self.entries.first_key_value() {
            let too_old = matches!((entry.date, cutoff), (Some(d), Some(c)) if d < c);
            if !too_old && self.entries.len() < self.config.max_articles {
                break;
            }
            let Some(entry) = self.entries.remove(&seq) else {
                break;
            };
            for band in entry.profile.minhash.bands() {
                remove_from(&mut self.buckets, band, seq);
            }
            for anchor in distinct_anchors(&entry.profile) {
                remove_from(&mut self.anchors, anchor, seq);
            }
            for &term in &entry.top_terms {
                remove_from(&mut self.terms, term, seq);
            }
            self.df.remove(&entry.profile);
            self.by_id.remove(&entry.profile.id);
        }
        // A story leaves memory once its newest article has left the window.
        let oldest = self.entries.first_key_value().map_or(u64::MAX, |(&s, _)| s);
        while let Some(entry) = self.newest.first_entry() {
            if entry.key().0 >= oldest {
                break;
            }
            let ((_, id), ()) = entry.remove_entry();
            self.stories.remove(&id);
        }
    }

    /// The window's articles that share the most (weighted) anchors with the profile.
    fn anchor_candidates(&self, profile: &Profile) -> Vec<u64> {
        let mut hits: Vec<(u64, f64)> = Vec::new();
        for anchor in distinct_anchors(profile) {
            if let Some(list) = self.anchors.get(&anchor) {
                let weight = f64::from(self.df.anchor_idf(anchor));
                hits.extend(list.iter().map(|&seq| (seq, weight)));
            }
        }
        best(hits, self.config.max_candidates)
    }

    /// The window's articles whose heaviest terms are the profile's heaviest terms.
    fn term_candidates(&self, vectors: &Vectors) -> Vec<u64> {
        let mut hits: Vec<(u64, f64)> = Vec::new();
        for (rank, term) in top_terms(vectors).into_iter().enumerate() {
            if let Some(list) = self.terms.get(&term) {
                let weight = 1.0 / (1.0 + rank as f64);
                hits.extend(list.iter().map(|&seq| (seq, weight)));
            }
        }
        best(hits, self.config.max_candidates)
    }

    fn find_links(&self, profile: &Profile, candidates: &[u64]) -> Vec<Link> {
        let mut links: Vec<Link> = Vec::new();
        let mut same_text: FastSet<u64> = FastSet::default();
        // Same text: the LSH buckets.
        let mut bucketed: Vec<u64> = profile
            .minhash
            .bands()
            .filter_map(|band| self.buckets.get(&band))
            .flatten()
            .copied()
            .collect();
        bucketed.sort_unstable();
        bucketed.dedup();
        for seq in bucketed {
            let Some(entry) = self.entries.get(&seq) else {
                continue;
            };
            if let Some(link) = link::text_identity(&entry.profile, profile, &self.config.links) {
                same_text.insert(seq);
                links.push(link);
            }
        }
        // Translations: the anchor candidates in other languages; the best per language.
        let mut best_per_language: BTreeMap<xabar_core::Language, Link> = BTreeMap::new();
        // The candidates in other languages, the best first.
        let judged = candidates
            .iter()
            .filter(|seq| !same_text.contains(seq))
            .filter_map(|seq| self.entries.get(seq))
            .filter(|entry| entry.profile.language != profile.language)
            .take(MAX_TRANSLATION_CHECKS);
        for entry in judged {
            if let Some(link) =
                link::translation(&entry.profile, profile, &self.df, &self.config.links)
            {
                let slot = best_per_language.entry(entry.profile.language);
                match slot {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(link);
                    }
                    std::collections::btree_map::Entry::Occupied(mut o) => {
                        if link.score > o.get().score {
                            o.insert(link);
                        }
                    }
                }
            }
        }
        links.extend(best_per_language.into_values());
        links.sort_by(|x, y| y.score.total_cmp(&x.score).then_with(|| x.a.cmp(&y.a)));
        links.truncate(MAX_LINKS);
        links
    }

    /// Chooses the story for a new article and adds it there.
    fn place(
        &mut self,
        profile: &Profile,
        vectors: &Vectors,
        links: &[Link],
        candidates: &[u64],
        date: Option<NaiveDate>,
        seq: u64,
    ) -> (StoryId, bool) {
        // A linked article's story first: a reprint or translation is the same story.
        let linked = links.iter().find_map(|link| {
            let story = self.story_of(&link.a)?;
            self.stories.contains_key(story).then(|| story.clone())
        });
        let chosen = linked.or_else(|| {
            let open_since = self.clock.and_then(|c| {
                c.checked_sub_days(Days::new(u64::from(self.config.story_window_days)))
            });
            // The stories of the best candidates by anchors and by terms, taken in turn,
            // as many as there are candidates of one kind.
            let by_terms = self.term_candidates(vectors);
            let mut stories: Vec<&StoryId> = Vec::new();
            let longest = candidates.len().max(by_terms.len());
            let max_stories = self.config.max_candidates.div_ceil(2);
            for seq in (0..longest)
                .flat_map(|i| [candidates.get(i), by_terms.get(i)])
                .flatten()
            {
                if stories.len() == max_stories {
                    break;
                }
                if let Some(entry) = self.entries.get(seq)
                    && !stories.contains(&&entry.story)
                {
                    stories.push(&entry.story);
                }
            }
            let mut best: Option<(f64, &StoryId)> = None;
            for id in stories {
                let Some(story) = self.stories.get(id) else {
                    continue;
                };
                let open = match (story.last_seen, open_since) {
                    (Some(last), Some(since)) => last >= since,
                    _ => true,
                };
                if !open || !self.near_in_time(story, date) {
                    continue;
                }
                let (score, same_language) = story.similarity(profile, vectors);
                if !same_language && !story.shares_specifics(profile) {
                    continue;
                }
                let threshold = if same_language {
                    self.config.story_threshold
                } else {
                    self.config.story_threshold_cross
                };
                // Compared by the margin over the threshold, so that a story in the
                // article's language and one in others compete on the same footing.
                let score = score - threshold;
                if score >= 0.0 && best.is_none_or(|(s, b)| score > s || (score == s && id < b)) {
                    best = Some((score, id));
                }
            }
            best.map(|(_, id)| id.clone())
        });
        let (id, new) = match chosen {
            Some(id) => (id, false),
            None => (StoryId(profile.id.0.clone()), true),
        };
        let inside: Vec<Link> = links
            .iter()
            .filter(|link| {
                self.by_id
                    .get(&link.a)
                    .and_then(|seq| self.entries.get(seq))
                    .is_some_and(|entry| entry.story == id)
            })
            .cloned()
            .collect();
        let story = self
            .stories
            .entry(id.clone())
            .or_insert_with(|| StoryState::new(id.clone()));
        self.newest.remove(&(story.last_seq, id.clone()));
        story.add(profile, vectors, date, seq);
        self.newest.insert((seq, id.clone()), ());
        story.links.extend(inside);
        (id, new)
    }
}

impl Relator {
    /// Whether an article of `date` may join `story` by resemblance: its date lies within the
    /// story window of the story's dates. A story is one event's coverage, so an article that
    /// arrives late but is dated weeks before or after the story (an old piece re-read, an
    /// article dated by its own text) starts its own story instead of joining a similar one.
    /// Unknown dates on either side do not keep an article out.
    fn near_in_time(&self, story: &StoryState, date: Option<NaiveDate>) -> bool {
        let (Some(date), Some(first), Some(last)) = (date, story.first_seen, story.last_seen)
        else {
            return true;
        };
        let window = Days::new(u64::from(self.config.story_window_days));
        let from = first.checked_sub_days(window).unwrap_or(first);
        let to = last.checked_add_days(window).unwrap_or(last);
        (from..=to).contains(&date)
    }
}

/// The `n` keys with the highest summed weight, ties to the lower key. Each key's weights are
/// summed in the order the hits came, so the sums are the same on every run.
fn best(hits: Vec<(u64, f64)>, n: usize) -> Vec<u64> {
    let mut sums: FastMap<u64, f64> =
        FastMap::with_capacity_and_hasher(hits.len(), Default::default());
    for (key, weight) in hits {
        *sums.entry(key).or_insert(0.0) += weight;
    }
    let mut ranked: Vec<(u64, f64)> = sums.into_iter().collect();
    let order = |a: &(u64, f64), b: &(u64, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if ranked.len() > n {
        ranked.select_nth_unstable_by(n, order);
        ranked.truncate(n);
    }
    ranked.sort_by(order);
    ranked.into_iter().map(|(key, _)| key).collect()
}
