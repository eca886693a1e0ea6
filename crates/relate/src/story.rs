//! Stories: the coverage of one event, gathered across outlets and languages as articles
//! arrive. This module holds what a story is ([`Story`], its [`StoryLabel`]) and the running
//! state that [`crate::Relator`] keeps for each open story: summed term and anchor vectors
//! (the centroid that new articles are compared with) and tallies of names and words for the
//! label.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xabar_core::{ArticleId, Language, Script};

use crate::link::Link;
use crate::profile::{AnchorKind, Profile};
use crate::similarity::{DocFrequencies, SimilarityParts, SparseVector, Vectors};

/// A story's id: the id of the article that opened it, so it never changes as the story grows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoryId(pub String);

impl std::fmt::Display for StoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a story is about, for people: its main names and keywords.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryLabel {
    /// The label in Latin script: names (canonical entity names where linked, else
    /// transliterated), then keywords (transliterated).
    pub latin: String,
    /// The label in each member language, from the words its articles used.
    pub by_language: BTreeMap<Language, String>,
    /// The top names, in Latin script.
    pub names: Vec<String>,
    /// The top keywords, in Latin script.
    pub keywords: Vec<String>,
}

/// A story as the caller sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Stable id: the first article's id.
    pub id: StoryId,
    /// What it is about.
    pub label: StoryLabel,
    /// The earliest published date among its articles (undated articles count as the date of
    /// the stream when they arrived).
    pub first_seen: Option<NaiveDate>,
    /// The latest such date.
    pub last_seen: Option<NaiveDate>,
    /// Its articles, in arrival order.
    pub articles: Vec<ArticleId>,
    /// Its articles by language, each in arrival order.
    pub languages: BTreeMap<Language, Vec<ArticleId>>,
    /// Links between its articles (duplicates, reprints, script twins, translations).
    pub links: Vec<Link>,
}

/// Entries an accumulated vector keeps; beyond this the lightest are dropped, so a story's
/// state stays the same size however long it runs.
const CENTROID_SIZE: usize = 400;
/// Names and words a story keeps for its label.
const TALLY_SIZE: usize = 64;
/// Names and keywords shown in a label.
const LABEL_NAMES: usize = 3;
const LABEL_KEYWORDS: usize = 3;

/// A sum of unit vectors, sorted by key, with its norm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Accumulator {
    entries: Vec<(u64, f32)>,
    norm: f32,
}

impl Accumulator {
    fn add(&mut self, v: &SparseVector) {
        let (a, b) = (&self.entries, &v.0);
        let mut merged = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
                merged.push(a[i]);
                i += 1;
            } else if i == a.len() || b[j].0 < a[i].0 {
                merged.push(b[j]);
                j += 1;
            } else {
                merged.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
        if merged.len() > CENTROID_SIZE {
            merged.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            merged.truncate(CENTROID_SIZE);
            merged.sort_unstable_by_key(|e| e.0);
        }
        self.norm = merged.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        self.entries = merged;
    }

    /// The cosine of a unit vector with this sum.
    fn cosine(&self, v: &SparseVector) -> f64 {
        if self.norm == 0.0 {
            return 0.0;
        }
        (crate::similarity::sparse_dot(&self.entries, &v.0) / f64::from(self.norm)).clamp(0.0, 1.0)
    }
}

/// A name tallied for a label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct NameTally {
    anchor: u64,
    /// Member articles that name it.
    articles: u32,
    /// Times named, over all members.
    count: u32,
    latin: String,
    entity: bool,
    /// The shortest form per language.
    forms: BTreeMap<Language, String>,
}

/// A keyword tallied for a label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WordTally {
    term: u64,
    language: Language,
    articles: u32,
    count: u32,
    surface: String,
}

/// How much a tallied name or word counts for a label: spread over the story's articles,
/// used often, and rare in the window (`idf`, from the window as it is when the label is
/// made, so that a label improves as the stream teaches which names are everywhere).
fn label_weight(articles: u32, count: u32, idf: f32) -> f32 {
    articles as f32 * (1.0 + (count as f32).ln()) * idf * idf
}

/// The running state of one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoryState {
    pub(crate) id: StoryId,
    pub(crate) first_seen: Option<NaiveDate>,
    pub(crate) last_seen: Option<NaiveDate>,
    /// Arrival number of the latest member.
    pub(crate) last_seq: u64,
    pub(crate) members: Vec<(ArticleId, Language)>,
    pub(crate) links: Vec<Link>,
    scripts: BTreeSet<Script>,
    terms: BTreeMap<Language, Accumulator>,
    anchors: Accumulator,
    names: Vec<NameTally>,
    words: Vec<WordTally>,
}

fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn later(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

impl StoryState {
    pub(crate) fn new(id: StoryId) -> StoryState {
        StoryState {
            id,
            first_seen: None,
            last_seen: None,
            last_seq: 0,
            members: Vec::new(),
            links: Vec::new(),
            scripts: BTreeSet::new(),
            terms: BTreeMap::new(),
            anchors: Accumulator::default(),
            names: Vec::new(),
            words: Vec::new(),
        }
    }

    /// How similar an article is to this story: the similarity of [`crate::similarity`]
    /// between the article and the story's centroid, the lexical part taken against the
    /// articles in the same language when the story has any (the second value says whether
    /// it has).
    pub(crate) fn similarity(&self, profile: &Profile, vectors: &Vectors) -> (f64, bool) {
        let same_language = self.terms.contains_key(&profile.language);
        let lexical = match self.terms.get(&profile.language) {
            Some(acc) => acc.cosine(&vectors.terms),
            // Across languages, the best any member language offers (names and cognates).
            None => self
                .terms
                .values()
                .map(|acc| acc.cosine(&vectors.terms))
                .fold(0.0, f64::max),
        };
        let parts = SimilarityParts {
            lexical,
            anchors: self.anchors.cosine(&vectors.anchors),
            same_language,
            same_script: self.scripts.contains(&profile.script),
        };
        (parts.combined(), same_language)
    }

    /// Whether the article shares a number, a date or a linked entity with the story: what
    /// two reports of one event share beyond the names of its usual actors. Required of an
    /// article that joins a story in none of its languages, where names alone would gather
    /// everything that happens to the same people.
    pub(crate) fn shares_specifics(&self, profile: &Profile) -> bool {
        profile.anchors.iter().any(|a| {
            a.kind != AnchorKind::Name
                && self
                    .anchors
                    .entries
                    .binary_search_by_key(&a.hash, |e| e.0)
                    .is_ok()
        })
    }

    /// Adds an article.
    pub(crate) fn add(
        &mut self,
        profile: &Profile,
        vectors: &Vectors,
        date: Option<NaiveDate>,
        seq: u64,
    ) {
        self.first_seen = earlier(self.first_seen, date);
        self.last_seen = later(self.last_seen, date);
        self.last_seq = seq;
        self.members.push((profile.id.clone(), profile.language));
        self.scripts.insert(profile.script);
        self.terms
            .entry(profile.language)
            .or_default()
            .add(&vectors.terms);
        self.anchors.add(&vectors.anchors);
        self.tally(profile);
    }

    fn tally(&mut self, profile: &Profile) {
        for name in &profile.label_names {
            match self.names.iter_mut().find(|n| n.anchor == name.anchor) {
                Some(tally) => {
                    tally.articles += 1;
                    tally.count += name.count;
                    if name.entity && !tally.entity {
                        tally.latin = name.latin.clone();
                        tally.entity = true;
                    }
                    let form = tally
                        .forms
                        .entry(profile.language)
                        .or_insert_with(|| name.surface.clone());
                    if name.surface.chars().count() < form.chars().count() {
                        *form = name.surface.clone();
                    }
                }
                None => self.names.push(NameTally {
                    anchor: name.anchor,
                    articles: 1,
                    count: name.count,
                    latin: name.latin.clone(),
                    entity: name.entity,
                    forms: BTreeMap::from([(profile.language, name.surface.clone())]),
                }),
            }
        }
        for word in &profile.label_words {
            match self
                .words
                .iter_mut()
                .find(|w| w.term == word.term && w.language == profile.language)
            {
                Some(tally) => {
                    tally.articles += 1;
                    tally.count += word.count;
                    if word.surface.chars().count() < tally.surface.chars().count() {
                        tally.surface = word.surface.clone();
                    }
                }
                None => self.words.push(WordTally {
                    term: word.term,
                    language: profile.language,
                    articles: 1,
                    count: word.count,
                    surface: word.surface.clone(),
                }),
            }
        }
        // Bounded: the tallies keep what is most spread and most used.
        self.names.sort_by(|a, b| {
            (b.articles, b.count)
                .cmp(&(a.articles, a.count))
                .then_with(|| a.anchor.cmp(&b.anchor))
        });
        self.names.truncate(TALLY_SIZE);
        self.words.sort_by(|a, b| {
            (b.articles, b.count)
                .cmp(&(a.articles, a.count))
                .then_with(|| a.term.cmp(&b.term))
                .then_with(|| a.language.cmp(&b.language))
        });
        self.words.truncate(TALLY_SIZE);
    }

    /// The label as it stands, weighing names and words by the window's frequencies.
    fn label(&self, df: &DocFrequencies) -> StoryLabel {
        let mut names: Vec<(f32, &NameTally)> = self
            .names
            .iter()
            .map(|n| {
                (
                    label_weight(n.articles, n.count, df.anchor_idf(n.anchor)),
                    n,
                )
            })
            .collect();
        names.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.1.anchor.cmp(&b.1.anchor))
        });
        // One name per Latin spelling: `Kazakhstan` found by two skeletons is one name.
        let mut seen = BTreeSet::new();
        let names: Vec<&NameTally> = names
            .into_iter()
            .map(|(_, n)| n)
            .filter(|n| seen.insert(n.latin.to_lowercase()))
            .take(LABEL_NAMES)
            .collect();
        let latin_names: Vec<String> = names.iter().map(|n| n.latin.clone()).collect();

        let mut words: Vec<(f32, &WordTally)> = self
            .words
            .iter()
            .map(|w| {
                let idf = df.term_idf(w.language, w.term);
                (label_weight(w.articles, w.count, idf), w)
            })
            .collect();
        words.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.1.term.cmp(&b.1.term))
                .then_with(|| a.1.language.cmp(&b.1.language))
        });
        let languages: BTreeSet<Language> = self.members.iter().map(|m| m.1).collect();
        let keywords_in = |language: Language| -> Vec<String> {
            words
                .iter()
                .filter(|(_, w)| w.language == language)
                .take(LABEL_KEYWORDS)
                .map(|(_, w)| w.surface.clone())
                .collect()
        };
        // Latin keywords: English ones when the story has English articles (the language most
        // readers of a Latin label read), else the heaviest language's, transliterated.
        let latin_language = if languages.contains(&Language::En) {
            Some(Language::En)
        } else {
            words.first().map(|(_, w)| w.language)
        };
        let latin_keywords: Vec<String> = match latin_language {
            Some(language) => keywords_in(language)
                .iter()
                .map(|w| crate::profile::latin(w, language))
                .collect(),
            None => Vec::new(),
        };
        let mut by_language = BTreeMap::new();
        for &language in &languages {
            let names: Vec<String> = names
                .iter()
                .map(|n| {
                    n.forms
                        .get(&language)
                        .cloned()
                        .unwrap_or_else(|| n.latin.clone())
                })
                .collect();
            by_language.insert(language, join_label(&names, &keywords_in(language)));
        }
        StoryLabel {
            latin: join_label(&latin_names, &latin_keywords),
            by_language,
            names: latin_names,
            keywords: latin_keywords,
        }
    }

    /// The story as the caller sees it.
    pub(crate) fn story(&self, df: &DocFrequencies) -> Story {
        let mut languages: BTreeMap<Language, Vec<ArticleId>> = BTreeMap::new();
        for (id, language) in &self.members {
            languages.entry(*language).or_default().push(id.clone());
        }
        Story {
            id: self.id.clone(),
            label: self.label(df),
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            articles: self.members.iter().map(|m| m.0.clone()).collect(),
            languages,
            links: self.links.clone(),
        }
    }
}

fn join_label(names: &[String], words: &[String]) -> String {
    match (names.is_empty(), words.is_empty()) {
        (false, false) => format!("{} — {}", names.join(", "), words.join(", ")),
        (false, true) => names.join(", "),
        (true, false) => words.join(", "),
        (true, true) => String::new(),
    }
}
