//! Training the tagger: an averaged structured perceptron (Collins 2002) over BILOU tags.
//!
//! Each document is normalized ([`xabar_text::normalize::normalize`]) and tokenized exactly as
//! the pipeline does before tagging, and its gold mentions are projected onto the tokens: a
//! mention becomes `B-`, `I-`, `L-` tags (`U-` for one token) when it starts and ends on token boundaries (a mention that
//! cuts a token, such as "Москва" inside "Москва-Баку", cannot be learnt and is counted in
//! [`PrepareStats::unaligned`]). Then, for a fixed number of epochs, every segment in a
//! shuffled order (a fixed seed) is decoded with the current weights, and where the best
//! sequence differs from the gold one, the gold tags' weights go up by one and the predicted
//! ones' down by one. The model keeps the average of the weights over all steps, which
//! generalises much better than the last ones; it is computed in closed form at the end.
//!
//! Everything is integer arithmetic in a fixed order, so the same documents and configuration
//! always give the same model, byte for byte.

use std::time::Instant;

use xabar_core::Span;
use xabar_text::normalize::normalize;
use xabar_text::token::{Token, tokenize};

use super::data::Document;
use super::features::{self, Extractor, N_FEATURES, PROFILES};
use super::model::{self, LANES, Model, N_TAGS, Part, START};

/// How to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// The weight table has `1 << bits` rows.
    pub bits: u32,
    /// Seed of the order segments are visited in.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> TrainConfig {
        TrainConfig {
            epochs: 8,
            bits: 20,
            seed: 0x78_6162_6172,
        }
    }
}

/// What preparing a training set found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrepareStats {
    /// Documents read.
    pub documents: usize,
    /// Segments (sequences decoded at once).
    pub segments: usize,
    /// Tokens.
    pub tokens: usize,
    /// Gold mentions projected onto tokens.
    pub mentions: usize,
    /// Gold mentions whose ends fall inside a token, left out.
    pub unaligned: usize,
}

/// One segment of a training document.
#[derive(Debug, Clone, Copy)]
struct Sequence {
    profile: usize,
    /// First token, in [`TrainingSet`]'s token arrays.
    start: usize,
    len: usize,
}

/// Documents turned into feature rows and gold tags, ready for [`train`].
#[derive(Debug, Clone)]
pub struct TrainingSet {
    bits: u32,
    sequences: Vec<Sequence>,
    /// [`N_FEATURES`] rows per token.
    rows: Vec<u32>,
    gold: Vec<u8>,
    /// What preparing found.
    pub stats: PrepareStats,
}

/// The tokens of a normalized document, with where each came from in the original text.
pub(crate) struct Tokenized<'t> {
    pub tokens: Vec<Token<'t>>,
    pub source: Vec<Span>,
}

pub(crate) fn tokenized<'t>(normalized: &'t xabar_text::normalize::Normalized) -> Tokenized<'t> {
    let tokens: Vec<Token<'t>> = tokenize(&normalized.text).collect();
    let source = tokens
        .iter()
        .map(|t| normalized.map.source_span(t.span))
        .collect();
    Tokenized { tokens, source }
}

/// The gold tag of every token, from mentions given as source spans; also how many mentions
/// were projected and how many cut a token.
fn gold_tags(source: &[Span], doc: &Document) -> (Vec<u8>, usize, usize) {
    let mut tags = vec![0u8; source.len()];
    let (mut projected, mut unaligned) = (0, 0);
    for g in &doc.spans {
        let i = source.partition_point(|s| s.start < g.start);
        let j = source.partition_point(|s| s.end <= g.end);
        let aligned = i < j
            && source[i].start == g.start
            && source[j - 1].end == g.end
            && tags[i..j].iter().all(|&t| t == 0);
        if !aligned {
            unaligned += 1;
            continue;
        }
        projected += 1;
        if j - i == 1 {
            tags[i] = model::tag_of(Part::Unit, g.kind) as u8;
        } else {
            tags[i] = model::tag_of(Part::Begin, g.kind) as u8;
            for t in &mut tags[i + 1..j - 1] {
                *t = model::tag_of(Part::Inside, g.kind) as u8;
            }
            tags[j - 1] = model::tag_of(Part::Last, g.kind) as u8;
        }
    }
    (tags, projected, unaligned)
}

/// The prepared part of one document.
struct Prepared {
    sequences: Vec<Sequence>,
    rows: Vec<u32>,
    gold: Vec<u8>,
    stats: PrepareStats,
}

fn prepare_one(doc: &Document, bits: u32) -> Prepared {
    let normalized = normalize(&doc.text);
    let Tokenized { tokens, source } = tokenized(&normalized);
    let (gold, mentions, unaligned) = gold_tags(&source, doc);
    let mut extractor = Extractor::new();
    extractor.analyse(&normalized.text, &tokens, doc.lang);
    let profile = features::profile(doc.lang);
    let group = features::group(doc.lang);
    let mut hashes = Vec::new();
    let mut sequences = Vec::new();
    let mut rows = Vec::with_capacity(tokens.len() * N_FEATURES);
    let segments = extractor.segments();
    for segment in segments {
        hashes.clear();
        extractor.features(segment.clone(), profile, group, &mut hashes);
        rows.extend(hashes.iter().map(|&h| features::row(h, bits) as u32));
        sequences.push(Sequence {
            profile,
            start: segment.start,
            len: segment.len(),
        });
    }
    Prepared {
        sequences,
        rows,
        gold,
        stats: PrepareStats {
            documents: 1,
            segments: segments.len(),
            tokens: tokens.len(),
            mentions,
            unaligned,
        },
    }
}

/// Normalizes, tokenizes and featurizes `docs` for a table of `1 << bits` rows, on all
/// cores; the result does not depend on how many there are.
pub fn prepare(docs: &[&Document], bits: u32) -> TrainingSet {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = docs.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<Prepared>> = std::thread::scope(|scope| {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|docs| scope.spawn(move || docs.iter().map(|d| prepare_one(d, bits)).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut set = TrainingSet {
        bits,
        sequences: Vec::new(),
        rows: Vec::new(),
        gold: Vec::new(),
        stats: PrepareStats::default(),
    };
    for part in parts.into_iter().flatten() {
        let offset = set.gold.len();
        set.sequences
            .extend(part.sequences.into_iter().map(|s| Sequence {
                start: s.start + offset,
                ..s
            }));
        set.rows.extend(part.rows);
        set.gold.extend(part.gold);
        let s = &mut set.stats;
        s.documents += part.stats.documents;
        s.segments += part.stats.segments;
        s.tokens += part.stats.tokens;
        s.mentions += part.stats.mentions;
        s.unaligned += part.stats.unaligned;
    }
    set
}

/// How one epoch went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Of how many.
    pub epochs: usize,
    /// Tokens whose predicted tag differed from the gold one, during the epoch (before each
    /// segment's update).
    pub token_errors: usize,
    /// Tokens seen.
    pub tokens: usize,
    /// Seconds the epoch took.
    pub seconds: f64,
}

/// A small deterministic generator (splitmix64) for the visiting order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Integer weights and their running sums for averaging.
struct Averaged {
    weights: Vec<[i32; LANES]>,
    /// Σ step × change: the average is `weights − sums / steps`.
    sums: Vec<[i64; LANES]>,
}

impl Averaged {
    fn new(rows: usize) -> Averaged {
        Averaged {
            weights: vec![[0; LANES]; rows],
            sums: vec![[0; LANES]; rows],
        }
    }

    #[inline]
    fn add(&mut self, row: usize, tag: usize, delta: i32, step: i64) {
        self.weights[row][tag] += delta;
        self.sums[row][tag] += i64::from(delta) * step;
    }

    fn average(&self, steps: i64) -> Vec<[f64; LANES]> {
        self.weights
            .iter()
            .zip(&self.sums)
            .map(|(w, s)| {
                let mut out = [0.0; LANES];
                for t in 0..LANES {
                    out[t] = f64::from(w[t]) - s[t] as f64 / steps as f64;
                }
                out
            })
            .collect()
    }
}

/// Trains a model on `set`, calling `progress` after every epoch.
pub fn train(
    set: &TrainingSet,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&EpochReport),
) -> Model {
    let bits = set.bits;
    let mut emission = Averaged::new(1 << bits);
    let mut transition = Averaged::new(PROFILES.len() * (N_TAGS + 1));
    let mut rng = Rng(config.seed);
    let mut order: Vec<usize> = (0..set.sequences.len()).collect();
    let (mut scores, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    // The step counter starts at 1 so that the closed-form average is exact.
    let mut step: i64 = 1;
    for epoch in 1..=config.epochs {
        let started = Instant::now();
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let (mut errors, mut tokens) = (0, 0);
        for &s in &order {
            let seq = set.sequences[s];
            let rows = &set.rows[seq.start * N_FEATURES..(seq.start + seq.len) * N_FEATURES];
            let gold = &set.gold[seq.start..seq.start + seq.len];
            scores.clear();
            for token in rows.chunks_exact(N_FEATURES) {
                let mut sum = [0i32; LANES];
                for &r in token {
                    for (s, &w) in sum.iter_mut().zip(&emission.weights[r as usize]) {
                        *s += w;
                    }
                }
                scores.push(sum);
            }
            let transitions = combined(&transition.weights, seq.profile);
            model::viterbi(&scores, &transitions, &mut back, &mut path);
            tokens += seq.len;
            if path.as_slice() != gold {
                for t in 0..seq.len {
                    let (g, p) = (usize::from(gold[t]), usize::from(path[t]));
                    if g != p {
                        errors += 1;
                        for &r in &rows[t * N_FEATURES..(t + 1) * N_FEATURES] {
                            emission.add(r as usize, g, 1, step);
                            emission.add(r as usize, p, -1, step);
                        }
                    }
                    let gp = if t == 0 {
                        START
                    } else {
                        usize::from(gold[t - 1])
                    };
                    let pp = if t == 0 {
                        START
                    } else {
                        usize::from(path[t - 1])
                    };
                    if (gp, g) != (pp, p) {
                        for base in profile_bases(seq.profile) {
                            transition.add(base + gp, g, 1, step);
                            transition.add(base + pp, p, -1, step);
                        }
                    }
                }
            }
            step += 1;
        }
        progress(&EpochReport {
            epoch,
            epochs: config.epochs,
            token_errors: errors,
            tokens,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    Model::quantize(bits, &emission.average(step), &transition.average(step))
}

/// The transition rows a profile's updates go to: the shared block, and its own.
fn profile_bases(profile: usize) -> impl Iterator<Item = usize> {
    let own = (profile != 0).then_some(profile * (N_TAGS + 1));
    std::iter::once(0).chain(own)
}

/// Shared plus profile transitions, as [`Model::transitions`] computes them.
fn combined(weights: &[[i32; LANES]], profile: usize) -> [[i32; LANES]; N_TAGS + 1] {
    let mut out = [[0i32; LANES]; N_TAGS + 1];
    for (prev, row) in out.iter_mut().enumerate() {
        for base in profile_bases(profile) {
            for (o, &w) in row.iter_mut().zip(&weights[base + prev]) {
                *o += w;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use xabar_core::{EntityKind, Language};

    use super::*;
    use crate::ner::Tagger;
    use crate::ner::data::Corpus;

    /// A document with `mentions` found in `text` by their first occurrence.
    fn doc(text: &str, mentions: &[(&str, EntityKind)]) -> Document {
        let spans = mentions
            .iter()
            .map(|&(m, kind)| {
                let start = text.find(m).unwrap_or_else(|| panic!("{m} not in {text}"));
                crate::ner::data::GoldSpan {
                    start,
                    end: start + m.len(),
                    kind,
                }
            })
            .collect();
        Document {
            corpus: Corpus::FactRuEval,
            id: text.to_string(),
            lang: Language::Ru,
            text: text.to_string(),
            spans,
            fold: 0,
        }
    }

    fn tiny_set() -> Vec<Document> {
        use EntityKind::{Organisation, Person, Place};
        vec![
            doc(
                "Иван Петров приехал в Казань.",
                &[("Иван Петров", Person), ("Казань", Place)],
            ),
            doc(
                "Сергей Смирнов приехал в Самару.",
                &[("Сергей Смирнов", Person), ("Самару", Place)],
            ),
            doc(
                "Компания «Ромашка» открыла офис в Омске.",
                &[("Ромашка", Organisation), ("Омске", Place)],
            ),
            doc("Вчера было тепло и сухо.", &[]),
        ]
    }

    #[test]
    fn training_is_deterministic_and_learns_its_data() {
        let docs = tiny_set();
        let refs: Vec<&Document> = docs.iter().collect();
        let config = TrainConfig {
            epochs: 5,
            bits: 12,
            ..TrainConfig::default()
        };
        let set = prepare(&refs, config.bits);
        assert_eq!(set.stats.mentions, 6);
        assert_eq!(set.stats.unaligned, 0);
        let mut epochs = 0;
        let model = train(&set, &config, &mut |_| epochs += 1);
        assert_eq!(epochs, 5);
        let again = train(&prepare(&refs, config.bits), &config, &mut |_| {});
        assert_eq!(model.to_bytes(), again.to_bytes());
        let tagger = Tagger::new(model);
        let text = &docs[0].text;
        let found: Vec<(&str, EntityKind)> = tagger
            .tag(text, Language::Ru)
            .into_iter()
            .filter_map(|m| m.span.of(text).map(|s| (s, m.kind)))
            .collect();
        assert_eq!(
            found,
            [
                ("Иван Петров", EntityKind::Person),
                ("Казань", EntityKind::Place)
            ]
        );
    }

    #[test]
    fn mentions_that_cut_a_token_are_left_out() {
        let d = doc(
            "Поезд Москва-Баку ушёл из Москвы.",
            &[("Москва", EntityKind::Place), ("Москвы", EntityKind::Place)],
        );
        let normalized = normalize(&d.text);
        let Tokenized { source, .. } = tokenized(&normalized);
        let (tags, projected, unaligned) = gold_tags(&source, &d);
        assert_eq!((projected, unaligned), (1, 1));
        assert_eq!(tags.iter().filter(|&&t| t != 0).count(), 1);
    }
}
