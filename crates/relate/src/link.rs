//! Links between two articles, each with a kind, a score and the evidence behind it:
//!
//! - [`LinkKind::Duplicate`]: the same text (shingle overlap near 1, lengths alike);
//! - [`LinkKind::Reprint`]: the same text republished with edits, clutter, a paragraph cut;
//! - [`LinkKind::Script`]: the same text in another script (Uzbek or Kazakh, Cyrillic and
//!   Latin). Word keys ignore the script, so such a pair looks like a duplicate; the differing
//!   scripts tell it apart;
//! - [`LinkKind::Translation`]: the same article in another language. Words do not carry
//!   over, so the evidence is what a translator keeps: the names (by key skeleton) and the
//!   numbers, in the same order and at the same relative places, linked entities and dates
//!   when the entity stage ran, the paragraph structure, the quotations, the overall length.
//!
//! The functions here judge one pair; [`crate::Relator`] finds the pairs worth judging.

use serde::{Deserialize, Serialize};
use xabar_core::ArticleId;

use crate::profile::{Anchor, AnchorKind, Profile};
use crate::similarity::DocFrequencies;

/// What relates two articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// The same text, as good as unchanged.
    Duplicate,
    /// The same text republished with edits or clutter.
    Reprint,
    /// The same text in another script.
    Script,
    /// The same article in another language.
    Translation,
}

impl LinkKind {
    /// The lower-case name, as serialized: `duplicate`, `reprint`, `script`, `translation`.
    pub fn name(self) -> &'static str {
        match self {
            LinkKind::Duplicate => "duplicate",
            LinkKind::Reprint => "reprint",
            LinkKind::Script => "script",
            LinkKind::Translation => "translation",
        }
    }
}

impl std::fmt::Display for LinkKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why two articles are linked. Fields that do not apply to the link's kind are `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Shorter text's length over the longer's, in characters.
    pub length_ratio: f64,
    /// Estimated Jaccard similarity of the word-key shingle sets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jaccard: Option<f64>,
    /// Estimated share of the smaller shingle set found in the other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_shingles: Option<f64>,
    /// Weighted share of anchors (names, numbers, entities, dates) found in both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_anchors: Option<f64>,
    /// Share of the shared anchors that come in the same order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor_order: Option<f64>,
    /// Share of the aligned anchors at about the same relative place in both texts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor_places: Option<f64>,
    /// Jaccard similarity of the two texts' sets of numbers (a translation keeps them all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_agreement: Option<f64>,
    /// How well the quotations' lengths correspond, quote by quote, given the texts' length
    /// ratio (1 = in proportion).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_agreement: Option<f64>,
    /// Share of the aligned anchors found in paragraphs that the length alignment pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph_agreement: Option<f64>,
    /// Names shared, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<u32>,
    /// Numbers shared, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<u32>,
    /// Linked entities shared, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<u32>,
    /// Dates shared, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates: Option<u32>,
    /// Paragraph counts of the two articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraphs: Option<(u32, u32)>,
    /// How alike the paragraph lengths run (1 = the same proportions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph_shape: Option<f64>,
    /// How far the paragraph lengths stray from the texts' length ratio, paragraph against
    /// paragraph after aligning them by length (0 = in proportion throughout; translations
    /// mostly stay under 1.5, independent reports mostly above 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph_fit: Option<f64>,
    /// Quotation counts of the two articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quotes: Option<(u32, u32)>,
}

/// A relation between an earlier article `a` and a later one `b`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The article that arrived first.
    pub a: ArticleId,
    /// The article that arrived later.
    pub b: ArticleId,
    /// What relates them.
    pub kind: LinkKind,
    /// How sure, from 0 to 1.
    pub score: f64,
    /// Why.
    pub evidence: Evidence,
}

/// Thresholds of the pair judgements.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LinkThresholds {
    /// Jaccard similarity from which two texts are duplicates (with lengths alike).
    pub duplicate: f64,
    /// Shingle containment from which a text is a reprint of another.
    pub reprint: f64,
    /// Translation score from which two articles are translations.
    pub translation: f64,
}

impl Default for LinkThresholds {
    fn default() -> LinkThresholds {
        LinkThresholds {
            duplicate: 0.85,
            reprint: 0.45,
            translation: 0.5,
        }
    }
}

fn length_ratio(a: &Profile, b: &Profile) -> f64 {
    let (x, y) = (f64::from(a.length), f64::from(b.length));
    if x.max(y) == 0.0 {
        return 1.0;
    }
    x.min(y) / x.max(y)
}

/// The share of the smaller distinct-anchor set found in the larger, `None` when either text
/// has fewer than three anchors. A reprint keeps the names and numbers of what it reprints;
/// two articles that only share an outlet's boilerplate footer do not.
fn anchor_overlap(a: &Profile, b: &Profile) -> Option<f64> {
    let (sa, sb) = (distinct(a, |_| true), distinct(b, |_| true));
    if sa.len() < 3 || sb.len() < 3 {
        return None;
    }
    Some(intersection(&sa, &sb).len() as f64 / sa.len().min(sb.len()) as f64)
}

/// The distinct anchor hashes of a profile that pass `keep`, sorted.
fn distinct(profile: &Profile, keep: impl Fn(&Anchor) -> bool) -> Vec<u64> {
    let mut out: Vec<u64> = profile
        .anchors
        .iter()
        .filter(|a| keep(a))
        .map(|a| a.hash)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The common elements of two sorted lists.
fn intersection(a: &[u64], b: &[u64]) -> Vec<u64> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Judges whether two texts are the same text (duplicate, reprint or script twin), from their
/// signatures alone. `None` when they are not.
pub fn text_identity(a: &Profile, b: &Profile, thresholds: &LinkThresholds) -> Option<Link> {
    let jaccard = a.minhash.jaccard(&b.minhash);
    if jaccard == 0.0 {
        return None;
    }
    let containment = a.minhash.containment(&b.minhash);
    let ratio = length_ratio(a, b);
    let kind = if a.script != b.script
        && a.script != xabar_core::Script::Zyyy
        && b.script != xabar_core::Script::Zyyy
    {
        LinkKind::Script
    } else if jaccard >= thresholds.duplicate && ratio >= 0.9 {
        LinkKind::Duplicate
    } else {
        LinkKind::Reprint
    };
    // A script twin is judged like a reprint: transliteration spells a few words differently
    // from their keys, which is an edit as far as shingles go.
    let passes = match kind {
        LinkKind::Duplicate => true,
        _ => {
            containment >= thresholds.reprint
                && jaccard >= thresholds.reprint * 0.5
                && anchor_overlap(a, b).is_none_or(|overlap| overlap >= 0.5)
        }
    };
    if !passes {
        return None;
    }
    Some(Link {
        a: a.id.clone(),
        b: b.id.clone(),
        kind,
        score: ((jaccard + containment) / 2.0).clamp(0.0, 1.0),
        evidence: Evidence {
            length_ratio: ratio,
            jaccard: Some(jaccard),
            shared_shingles: Some(containment),
            ..Evidence::default()
        },
    })
}

/// The anchors of a profile that are in `keep` (sorted), in text order.
fn restricted<'a>(profile: &'a Profile, keep: &[u64]) -> Vec<&'a Anchor> {
    profile
        .anchors
        .iter()
        .filter(|a| keep.binary_search(&a.hash).is_ok())
        .collect()
}

/// The longest common subsequence of two anchor sequences, as the matched index pairs.
/// Sequences are capped so that the table stays small; anchors past the cap are rare in news.
fn lcs(a: &[&Anchor], b: &[&Anchor]) -> Vec<(usize, usize)> {
    const CAP: usize = 400;
    let (a, b) = (&a[..a.len().min(CAP)], &b[..b.len().min(CAP)]);
    let (n, m) = (a.len(), b.len());
    let mut table = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if a[i].hash == b[j].hash {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i].hash == b[j].hash {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// How alike two paragraph-length profiles run: the cumulative share of the text at each
/// paragraph end, compared boundary by boundary (each boundary of the text with fewer
/// paragraphs against the nearest of the other).
fn paragraph_shape(a: &[u32], b: &[u32]) -> f64 {
    let cumulative = |p: &[u32]| -> Vec<f64> {
        let total: f64 = p.iter().map(|&x| f64::from(x)).sum::<f64>().max(1.0);
        let mut sum = 0.0;
        p.iter()
            .map(|&x| {
                sum += f64::from(x);
                sum / total
            })
            .collect()
    };
    let (ca, cb) = (cumulative(a), cumulative(b));
    let (short, long) = if ca.len() <= cb.len() {
        (ca, cb)
    } else {
        (cb, ca)
    };
    if short.len() <= 1 {
        return if long.len() <= 1 { 1.0 } else { 0.5 };
    }
    let mut distance = 0.0;
    for x in &short[..short.len() - 1] {
        let nearest = long
            .iter()
            .map(|y| (x - y).abs())
            .fold(f64::INFINITY, f64::min);
        distance += nearest;
    }
    let mean = distance / (short.len() - 1) as f64;
    let count = short.len() as f64 / long.len() as f64;
    ((1.0 - mean * 8.0).max(0.0) * count.sqrt()).clamp(0.0, 1.0)
}

/// How far (in thousandths of the text) an anchor may move in translation: word order
/// differs between languages within a sentence, not across the text.
const PLACE_SLACK: f64 = 60.0;

/// Paragraphs aligned by length, in the manner of Gale and Church's sentence alignment: the
/// two texts are cut into beads of one paragraph against one, one against two or two
/// against one (a translator who splits or joins a paragraph), or one against none (a line
/// only one side has), choosing the beads whose lengths best follow the texts' length ratio.
struct Alignment {
    /// Mean cost per bead: how far the paragraph lengths stray from proportion, scaled so
    /// that short paragraphs may stray more (see [`bead_cost`]).
    cost: f64,
    /// The bead of each paragraph of either text.
    bead_a: Vec<usize>,
    bead_b: Vec<usize>,
}

/// Paragraphs each text needs for its structure to count as evidence.
const MIN_STRUCTURE: usize = 3;
/// Paragraph counts past which alignment is not attempted (the table grows with their
/// product).
const MAX_ALIGNED: usize = 400;
/// Costs of a bead that joins two paragraphs, and of one that leaves a paragraph unmatched.
const JOIN_COST: f64 = 0.6;
const SKIP_COST: f64 = 2.5;

/// How far lengths `x` and `y` (the latter already scaled by the texts' length ratio) stray
/// from each other: the log ratio, times the square root of their mean length, because a
/// translated paragraph's length varies by roughly one over that.
fn bead_cost(x: f64, y: f64) -> f64 {
    let (x, y) = (x + 10.0, y + 10.0);
    (x / y).ln().abs() * ((x + y) / 2.0).sqrt()
}

fn align_paragraphs(a: &[u32], b: &[u32]) -> Option<Alignment> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 || n > MAX_ALIGNED || m > MAX_ALIGNED {
        return None;
    }
    let (sa, sb): (f64, f64) = (
        a.iter().map(|&x| f64::from(x)).sum(),
        b.iter().map(|&x| f64::from(x)).sum(),
    );
    if sa <= 0.0 || sb <= 0.0 {
        return None;
    }
    let ratio = sa / sb;
    let x = |i: usize| f64::from(a[i]);
    let y = |j: usize| f64::from(b[j]) * ratio;
    // cost[i][j]: the best alignment of the first i and j paragraphs; step: the bead taken.
    let at = |i: usize, j: usize| i * (m + 1) + j;
    let mut cost = vec![f64::INFINITY; (n + 1) * (m + 1)];
    let mut beads = vec![0u32; (n + 1) * (m + 1)];
    let mut step = vec![(0u8, 0u8); (n + 1) * (m + 1)];
    cost[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[at(i, j)];
            if !here.is_finite() {
                continue;
            }
            let mut relax = |di: usize, dj: usize, c: f64| {
                let (ni, nj) = (i + di, j + dj);
                if ni <= n && nj <= m && here + c < cost[at(ni, nj)] {
                    cost[at(ni, nj)] = here + c;
                    beads[at(ni, nj)] = beads[at(i, j)] + 1;
                    step[at(ni, nj)] = (di as u8, dj as u8);
                }
            };
            if i < n && j < m {
                relax(1, 1, bead_cost(x(i), y(j)));
            }
            if i + 1 < n && j < m {
                relax(2, 1, bead_cost(x(i) + x(i + 1), y(j)) + JOIN_COST);
            }
            if i < n && j + 1 < m {
                relax(1, 2, bead_cost(x(i), y(j) + y(j + 1)) + JOIN_COST);
            }
            relax(1, 0, SKIP_COST);
            relax(0, 1, SKIP_COST);
        }
    }
    let total = cost[at(n, m)];
    let count = beads[at(n, m)].max(1) as usize;
    // Walk back to number the beads.
    let (mut bead_a, mut bead_b) = (vec![0; n], vec![0; m]);
    let (mut i, mut j, mut bead) = (n, m, count);
    while i > 0 || j > 0 {
        let (di, dj) = step[at(i, j)];
        if di == 0 && dj == 0 {
            break;
        }
        bead -= 1;
        bead_a[i - usize::from(di)..i].fill(bead);
        bead_b[j - usize::from(dj)..j].fill(bead);
        i -= usize::from(di);
        j -= usize::from(dj);
    }
    Some(Alignment {
        cost: total / count as f64,
        bead_a,
        bead_b,
    })
}

/// How well two lists of quotation lengths correspond: quote by quote (in order, as many as
/// the shorter list has), one minus the mean deviation of the log length ratio from the texts'
/// log length ratio, and in proportion to how many quotes pair up. `None` when neither text
/// quotes anyone.
fn quote_agreement(a: &[u32], b: &[u32], la: f64, lb: f64) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return None;
    }
    if a.is_empty() || b.is_empty() || la <= 0.0 || lb <= 0.0 {
        return Some(0.0);
    }
    let global = (la / lb).ln();
    let n = a.len().min(b.len());
    let deviation = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| ((f64::from(x.max(1)) / f64::from(y.max(1))).ln() - global).abs())
        .sum::<f64>()
        / n as f64;
    let paired = n as f64 / a.len().max(b.len()) as f64;
    Some(((1.0 - deviation).max(0.0) * paired).clamp(0.0, 1.0))
}

/// Judges whether two articles in different languages are translations of each other.
/// Returns the link when the score reaches the threshold; `None` otherwise, and always for
/// two articles in one language.
pub fn translation(
    a: &Profile,
    b: &Profile,
    df: &DocFrequencies,
    thresholds: &LinkThresholds,
) -> Option<Link> {
    let evidence = translation_evidence(a, b, df)?;
    let score = translation_score(&evidence);
    (score >= thresholds.translation).then(|| Link {
        a: a.id.clone(),
        b: b.id.clone(),
        kind: LinkKind::Translation,
        score,
        evidence,
    })
}

/// The evidence that two articles in different languages are translations, `None` for two
/// articles in one language or with no anchors in common.
pub fn translation_evidence(a: &Profile, b: &Profile, df: &DocFrequencies) -> Option<Evidence> {
    if a.language == b.language {
        return None;
    }
    let common = intersection(&distinct(a, |_| true), &distinct(b, |_| true));
    if common.is_empty() {
        return None;
    }
    let (ra, rb) = (restricted(a, &common), restricted(b, &common));
    let pairs = lcs(&ra, &rb);
    let weight = |anchor: &Anchor| -> f64 {
        let kind = match anchor.kind {
            AnchorKind::Entity => 1.5,
            AnchorKind::Date => 1.2,
            AnchorKind::Name | AnchorKind::Number => 1.0,
        };
        f64::from(df.anchor_idf(anchor.hash)) * kind
    };
    let total = |p: &Profile| -> f64 { p.anchors.iter().map(weight).sum() };
    let matched: f64 = pairs.iter().map(|&(i, _)| weight(ra[i])).sum();
    let (ta, tb) = (total(a), total(b));
    // The share of each text's anchor weight that the in-order alignment covers.
    let shared = if ta > 0.0 && tb > 0.0 {
        (matched / ta * matched / tb).sqrt()
    } else {
        0.0
    };
    let order = pairs.len() as f64 / ra.len().min(rb.len()).max(1) as f64;
    // Where the aligned anchors sit: a translation keeps each one in the corresponding
    // paragraph, at about the same relative place; two reports of one event do not.
    // Structure says something only when there is some: one or two paragraphs align with
    // anything.
    let structured = a.paragraphs.len() >= MIN_STRUCTURE && b.paragraphs.len() >= MIN_STRUCTURE;
    let alignment = if structured {
        align_paragraphs(&a.paragraphs, &b.paragraphs)
    } else {
        None
    };
    let mut near = 0usize;
    let mut agreeing = 0usize;
    for &(i, j) in &pairs {
        if (f64::from(ra[i].pos) - f64::from(rb[j].pos)).abs() <= PLACE_SLACK {
            near += 1;
        }
        let (pa, pb) = (usize::from(ra[i].para), usize::from(rb[j].para));
        let same_bead = match &alignment {
            Some(al) => al
                .bead_a
                .get(pa)
                .is_some_and(|x| al.bead_b.get(pb) == Some(x)),
            None => false,
        };
        if same_bead {
            agreeing += 1;
        }
    }
    let places = near as f64 / pairs.len().max(1) as f64;
    let paragraph_agreement =
        (alignment.is_some()).then(|| agreeing as f64 / pairs.len().max(1) as f64);
    let count = |kind: AnchorKind| -> Option<u32> {
        let n = pairs.iter().filter(|&&(i, _)| ra[i].kind == kind).count() as u32;
        (n > 0).then_some(n)
    };
    let is_number = |x: &Anchor| x.kind == AnchorKind::Number;
    let (na_set, nb_set) = (distinct(a, is_number), distinct(b, is_number));
    let number_agreement = (na_set.len() + nb_set.len() >= 2).then(|| {
        let both = intersection(&na_set, &nb_set).len();
        both as f64 / (na_set.len() + nb_set.len() - both) as f64
    });
    Some(Evidence {
        length_ratio: length_ratio(a, b),
        jaccard: None,
        shared_shingles: None,
        shared_anchors: Some(shared),
        anchor_order: Some(order),
        anchor_places: Some(places),
        paragraph_agreement,
        number_agreement,
        quote_agreement: quote_agreement(
            &a.quotes,
            &b.quotes,
            f64::from(a.length),
            f64::from(b.length),
        ),
        names: count(AnchorKind::Name),
        numbers: count(AnchorKind::Number),
        entities: count(AnchorKind::Entity),
        dates: count(AnchorKind::Date),
        paragraphs: Some((a.paragraphs.len() as u32, b.paragraphs.len() as u32)),
        paragraph_shape: structured.then(|| paragraph_shape(&a.paragraphs, &b.paragraphs)),
        paragraph_fit: alignment.as_ref().map(|al| al.cost),
        quotes: Some((a.quotes.len() as u32, b.quotes.len() as u32)),
    })
}

/// The translation score of the evidence, from 0 to 1; [`LinkThresholds::translation`]
/// (0.5 by default) separates translations from the rest.
///
/// A logistic combination of the evidence. Its weights were fitted on the WMT21 ru–en
/// documents (58 translations against every other pairing) and on the sample corpus, whose
/// independent reports of one event are the hard negatives: they share most names and
/// numbers, in about the same order. What tells a translation apart is that *everything*
/// lines up: paragraph lengths in proportion, anchors in the paired paragraphs and at the
/// same places, the same set of numbers. See `docs/RELATE.md` for the figures.
pub fn translation_score(e: &Evidence) -> f64 {
    let matched = e.names.unwrap_or(0)
        + e.numbers.unwrap_or(0)
        + e.entities.unwrap_or(0)
        + e.dates.unwrap_or(0);
    // Fewer than two anchors in common say nothing about which document it is.
    if matched < 2 {
        return 0.0;
    }
    let length = {
        let ln = e.length_ratio.max(1e-3).ln();
        (-(ln * ln) / (2.0 * 0.35 * 0.35)).exp()
    };
    let fit = e
        .paragraph_fit
        .map_or(0.3, |fit| (-(fit * fit) / 2.0).exp());
    let z = -9.2
        + 1.0 * e.shared_anchors.unwrap_or(0.0).sqrt()
        + 0.85 * e.anchor_order.unwrap_or(0.0)
        + 1.6 * e.anchor_places.unwrap_or(0.0)
        + 2.4 * e.paragraph_agreement.unwrap_or(0.5)
        + 3.8 * fit
        + 1.3 * length
        + 0.5 * (f64::from(matched) / 6.0).min(1.0)
        + 2.0 * e.number_agreement.unwrap_or(0.5)
        + 0.85 * e.quote_agreement.unwrap_or(0.5);
    1.0 / (1.0 + (-z).exp())
}
