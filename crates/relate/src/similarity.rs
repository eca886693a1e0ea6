//! Article similarity: how much two articles are about the same thing, from 0 to 1, within a
//! language and across languages. Story clustering uses exactly this measure.
//!
//! Two cosines make it up:
//! - lexical: TF-IDF over stemmed word keys. Within a language this is the classic measure;
//!   across languages it only sees the words both spell alike (names, cognates), so it counts
//!   for less there;
//! - anchors: TF-IDF over names (consonant skeletons of their keys), digit runs, linked
//!   entities and dates. These are what articles in different languages share, and what tells
//!   two reports of one event from two articles on one topic.
//!
//! The weights of the combination were fitted on the SemEval-2022 news-similarity pairs
//! (see `docs/RELATE.md`); they are few, so the fit carries over to held-out pairs.
//!
//! Document frequencies come from a [`DocFrequencies`]: the whole corpus in an evaluation, the
//! articles of the time window in [`crate::Relator`]. With none (a bare pair), every term
//! weighs the same.

use serde::{Deserialize, Serialize};
use xabar_core::Language;

use crate::fingerprint::mix64;
use crate::hash::FastMap;
use crate::profile::{AnchorKind, Profile};
use crate::view::ArticleView;

/// How many documents contain each term (per language) and each anchor.
#[derive(Debug, Clone, Default)]
pub struct DocFrequencies {
    documents: FastMap<Language, u32>,
    terms: FastMap<u64, u32>,
    anchors: FastMap<u64, u32>,
    total: u32,
}

fn language_term(language: Language, term: u64) -> u64 {
    mix64(term ^ (language as u64).wrapping_mul(0x9e37_79b9))
}

fn increment(map: &mut FastMap<u64, u32>, key: u64) {
    *map.entry(key).or_insert(0) += 1;
}

fn decrement(map: &mut FastMap<u64, u32>, key: u64) {
    if let Some(count) = map.get_mut(&key) {
        *count -= 1;
        if *count == 0 {
            map.remove(&key);
        }
    }
}

/// The dot product of two sparse vectors, each sorted by key.
pub(crate) fn sparse_dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The distinct anchor hashes of a profile.
pub(crate) fn distinct_anchors(profile: &Profile) -> Vec<u64> {
    let mut anchors: Vec<u64> = profile.anchors.iter().map(|a| a.hash).collect();
    anchors.sort_unstable();
    anchors.dedup();
    anchors
}

impl DocFrequencies {
    /// Empty counts: every term weighs the same.
    pub fn new() -> DocFrequencies {
        DocFrequencies::default()
    }

    /// Counts an article in.
    pub fn add(&mut self, profile: &Profile) {
        self.total += 1;
        *self.documents.entry(profile.language).or_insert(0) += 1;
        for term in &profile.terms {
            increment(&mut self.terms, language_term(profile.language, term.term));
        }
        for anchor in distinct_anchors(profile) {
            increment(&mut self.anchors, anchor);
        }
    }

    /// Counts an article out (it must have been counted in).
    pub fn remove(&mut self, profile: &Profile) {
        self.total = self.total.saturating_sub(1);
        if let Some(n) = self.documents.get_mut(&profile.language) {
            *n = n.saturating_sub(1);
        }
        for term in &profile.terms {
            decrement(&mut self.terms, language_term(profile.language, term.term));
        }
        for anchor in distinct_anchors(profile) {
            decrement(&mut self.anchors, anchor);
        }
    }

    /// Articles counted.
    pub fn len(&self) -> u32 {
        self.total
    }

    /// Whether no article is counted.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Articles that contain an anchor.
    pub fn anchor_count(&self, anchor: u64) -> u32 {
        self.anchors.get(&anchor).copied().unwrap_or(0)
    }

    /// The inverse document frequency of a term among articles of `language`.
    pub fn term_idf(&self, language: Language, term: u64) -> f32 {
        let n = self.documents.get(&language).copied().unwrap_or(0);
        let df = self
            .terms
            .get(&language_term(language, term))
            .copied()
            .unwrap_or(0);
        idf(n, df)
    }

    /// The inverse document frequency of an anchor among all articles.
    pub fn anchor_idf(&self, anchor: u64) -> f32 {
        idf(self.total, self.anchor_count(anchor))
    }
}

/// Smoothed IDF: 1 for a term in every document (or when nothing is counted), growing with
/// rarity.
fn idf(n: u32, df: u32) -> f32 {
    ((1.0 + n as f32) / (1.0 + df.min(n) as f32)).ln() + 1.0
}

/// A sparse vector sorted by key, normalized to unit length.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct SparseVector(pub(crate) Vec<(u64, f32)>);

impl SparseVector {
    /// Builds a unit vector from unsorted, possibly repeated entries.
    pub(crate) fn from_entries(mut entries: Vec<(u64, f32)>) -> SparseVector {
        entries.sort_unstable_by_key(|e| e.0);
        let mut merged: Vec<(u64, f32)> = Vec::with_capacity(entries.len());
        for (k, w) in entries {
            match merged.last_mut() {
                Some(last) if last.0 == k => last.1 += w,
                _ => merged.push((k, w)),
            }
        }
        let mut v = SparseVector(merged);
        v.normalize();
        v
    }

    pub(crate) fn normalize(&mut self) {
        let norm = self.0.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for e in &mut self.0 {
                e.1 /= norm;
            }
        }
    }

    /// The dot product (the cosine, both being unit vectors).
    pub(crate) fn dot(&self, other: &SparseVector) -> f64 {
        sparse_dot(&self.0, &other.0).clamp(0.0, 1.0)
    }
}

/// How much each kind of anchor weighs against a name.
fn kind_weight(kind: AnchorKind) -> f32 {
    match kind {
        AnchorKind::Name => 1.0,
        AnchorKind::Number => 0.8,
        AnchorKind::Entity => 1.5,
        AnchorKind::Date => 1.2,
    }
}

/// An article's weighted vectors, as similarity compares them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Vectors {
    pub(crate) terms: SparseVector,
    pub(crate) anchors: SparseVector,
}

impl Vectors {
    pub(crate) fn new(profile: &Profile, df: &DocFrequencies) -> Vectors {
        let terms = profile
            .terms
            .iter()
            .map(|t| {
                let tf = 1.0 + (t.count as f32).ln();
                // IDF squared: rare words are what two reports of one event share.
                let idf = df.term_idf(profile.language, t.term);
                (t.term, tf * idf * idf)
            })
            .collect();
        let mut counts: FastMap<u64, (u32, AnchorKind)> = FastMap::default();
        for anchor in &profile.anchors {
            counts.entry(anchor.hash).or_insert((0, anchor.kind)).0 += 1;
        }
        let anchors = counts
            .into_iter()
            .map(|(hash, (count, kind))| {
                let tf = 1.0 + (count as f32).ln();
                let idf = df.anchor_idf(hash);
                (hash, tf * idf * idf * kind_weight(kind))
            })
            .collect();
        Vectors {
            terms: SparseVector::from_entries(terms),
            anchors: SparseVector::from_entries(anchors),
        }
    }
}

/// The two cosines similarity combines, for reports and calibration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimilarityParts {
    /// TF-IDF cosine of stemmed word keys.
    pub lexical: f64,
    /// TF-IDF cosine of anchors (names, numbers, entities, dates).
    pub anchors: f64,
    /// Whether the two articles are in the same language.
    pub same_language: bool,
    /// Whether the two articles are in the same script.
    pub same_script: bool,
}

impl SimilarityParts {
    pub(crate) fn of(
        a: &Vectors,
        b: &Vectors,
        same_language: bool,
        same_script: bool,
    ) -> SimilarityParts {
        SimilarityParts {
            lexical: a.terms.dot(&b.terms),
            anchors: a.anchors.dot(&b.anchors),
            same_language,
            same_script,
        }
    }

    /// The similarity these parts make, from 0 to 1.
    ///
    /// Square roots, because cosines of short texts crowd near zero and people judge
    /// sameness more evenly (on SemEval r rises from 0.64 to 0.68 with them). Within a
    /// language the words say nearly everything; across languages in one script, keys still
    /// meet on names and cognates; across scripts only the anchors are reliable.
    pub fn combined(&self) -> f64 {
        let lexical_weight = if self.same_language {
            0.85
        } else if self.same_script {
            0.5
        } else {
            0.3
        };
        let s = lexical_weight * self.lexical.sqrt() + (1.0 - lexical_weight) * self.anchors.sqrt();
        s.clamp(0.0, 1.0)
    }
}

/// The parts of the similarity of two profiles under these document frequencies.
pub fn similarity_parts(a: &Profile, b: &Profile, df: &DocFrequencies) -> SimilarityParts {
    SimilarityParts::of(
        &Vectors::new(a, df),
        &Vectors::new(b, df),
        a.language == b.language,
        a.script == b.script,
    )
}

/// The similarity of two profiles under these document frequencies, from 0 (unrelated) to 1.
pub fn profile_similarity(a: &Profile, b: &Profile, df: &DocFrequencies) -> f64 {
    similarity_parts(a, b, df).combined()
}

/// The similarity of two articles, from 0 (unrelated) to 1 (the same content), with no corpus
/// statistics: every term weighs the same. Within a stream, [`crate::Relator`] weighs terms by
/// their document frequency in the time window, which is what [`profile_similarity`] takes.
pub fn similarity(a: &ArticleView<'_>, b: &ArticleView<'_>) -> f64 {
    profile_similarity(&Profile::new(a), &Profile::new(b), &DocFrequencies::new())
}
