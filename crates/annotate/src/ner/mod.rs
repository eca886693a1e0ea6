//! Mention recognition: which spans of a text name a person, an organisation or a place.
//!
//! The [`Tagger`] is a statistical sequence tagger, an averaged perceptron over BILOU tags with
//! Viterbi decoding, trained by the project's own command (`cargo run --release -p xabar-eval
//! -- train-ner`) on public Kazakh, Russian, German and other Slavic data ([`data`]) and
//! shipped as `data/ner/model.bin` (format in [`model`], features in [`features`], training in
//! [`train`]). One model serves every language: languages of a group (Turkic, Slavic, German)
//! share their weights, and the features computed on transliteration keys and stems, shared
//! by all, let what it learnt from Kazakh fire on Uzbek in either script. Which words the
//! knowledge base uses in names is one more feature ([`gazetteer`]). After decoding, a name the
//! text gave plainly is also found where a sentence gives little away ([`Extractor::propagate`]).
//!
//! Tagging keeps, per thread, what it computed for each distinct token text in a language (its
//! analysis, the summed weights of its own features, and those of the features it gives the
//! tokens one and two places before and after it) from one text to the next, which is most of
//! the work: per token, only a handful of features that depend on where it stands are looked
//! up in the weight table. The sums are the same as training's, feature by feature.
//!
//! This module finds spans and their kinds only. Rules, roles attached to persons, and linking
//! mentions to entities of the knowledge base ([`crate::kb`]) come after it
//! ([`crate::link`]).

pub mod clusters;
pub mod data;
pub mod features;
pub mod gazetteer;
pub mod model;
pub mod train;

use std::cell::RefCell;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use xabar_core::{EntityKind, Language, Span};
use xabar_text::token::{Token, tokenize};

pub use model::{Model, ModelError};

use model::Part;

use features::Extractor;

/// A mention the tagger found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaggedSpan {
    /// Byte offsets into the tagged text: whole tokens, on char boundaries.
    pub span: Span,
    /// What it names.
    pub kind: EntityKind,
}

/// The model shipped with xabar; see `data/ner/README.md` for what it was trained on.
static SHIPPED: &[u8] = include_bytes!("../../data/ner/model.bin");

static GLOBAL: LazyLock<Tagger> = LazyLock::new(|| match Tagger::from_bytes(SHIPPED) {
    Ok(tagger) => tagger,
    // The model is compiled in and loaded by the tests, so this is a build defect, not
    // something input can cause.
    Err(e) => panic!("the compiled-in NER model is broken: {e}"),
});

/// Per language [`features::GROUPS`] index, what the tagger subtracts from every token's score
/// for the outside tag `O`, in the model's weight units (1/32512 of its largest weight, see
/// [`model::Model`]): a bias towards finding mentions. The perceptron is trained for tag
/// accuracy, not mention F1, and on the small German set it finds too few (precision 0.65,
/// recall 0.48 held out); cross-validation (`xabar-eval ner --cross-validate`) chose 1400 for
/// German (mean F1 0.537 → 0.547, no fold worse) and found no gain for the others.
const O_PENALTY: [i32; 3] = [0, 0, 1400];

/// Finds mentions of persons, organisations and places in text.
#[derive(Debug)]
pub struct Tagger {
    model: Model,
    /// Tells this tagger's cached type scores from another's (see [`Scratch`]).
    id: u64,
}

/// Hands out [`Tagger::id`]s.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// What tagging keeps from one text to the next on a thread: the extractor with its analyses
/// of token texts, the scores of those texts' own features under one tagger's model, and
/// buffers.
struct Scratch {
    extractor: Extractor,
    /// The tagger and the extractor generation `type_scores` were computed with.
    owner: (u64, u64),
    /// Per type, the summed weights its text gives: [`TypeScores`].
    type_scores: Vec<TypeScores>,
    hashes: Vec<u64>,
    /// Hashes of the features types give their neighbours, by role
    /// ([`Extractor::neighbour_features`]).
    neighbour_hashes: [Vec<u64>; 4],
    rows: Vec<[i8; model::ROW]>,
    scores: Vec<[i32; model::LANES]>,
    back: Vec<[u8; model::LANES]>,
    path: Vec<u8>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            extractor: Extractor::new(),
            owner: (0, 0),
            type_scores: Vec::new(),
            hashes: Vec::new(),
            neighbour_hashes: Default::default(),
            rows: Vec::new(),
            scores: Vec::new(),
            back: Vec::new(),
            path: Vec::new(),
        }
    }
}

/// The summed weights of the features a token text gives: to its own token (the
/// [`features::TYPE_TEMPLATES`]), then to the token after it, the token before it, and the
/// tokens two after and two before (the neighbour features of [`features::TOKEN_TEMPLATES`]:
/// [`features::AS_PREVIOUS`], [`features::AS_NEXT`], [`features::AS_SECOND_PREVIOUS`],
/// [`features::AS_SECOND_NEXT`]). Kept together: a token's text is read in all five roles
/// by tokens a few apart.
type TypeScores = [[i32; model::LANES]; 5];

/// Adds `b` into `a`, lane by lane.
#[inline]
fn add_lanes(a: &mut [i32; model::LANES], b: &[i32; model::LANES]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new());
}

impl Clone for Tagger {
    fn clone(&self) -> Tagger {
        Tagger::new(self.model.clone())
    }
}

impl Tagger {
    /// The tagger with the shipped model, loaded once.
    pub fn global() -> &'static Tagger {
        &GLOBAL
    }

    /// A tagger with `model`.
    pub fn new(model: Model) -> Tagger {
        Tagger {
            model,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A tagger with the model in `bytes` (the format of [`model`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Model::from_bytes(bytes).map(Tagger::new)
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The mentions in `text`, a normalized text (see [`xabar_text::normalize`]) in `lang`,
    /// in order, not overlapping. Raw text works too, a little less well.
    pub fn tag(&self, text: &str, lang: Language) -> Vec<TaggedSpan> {
        let tokens: Vec<Token<'_>> = tokenize(text).collect();
        self.tag_tokens(text, &tokens, lang)
    }

    /// [`Tagger::tag`] over tokens already made from `text`.
    pub(crate) fn tag_tokens(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        lang: Language,
    ) -> Vec<TaggedSpan> {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.tag_with(&mut scratch, text, tokens, lang),
            // Only re-entry from this very function could find it borrowed; it never
            // re-enters, but fresh buffers are a correct answer all the same.
            Err(_) => self.tag_with(&mut Scratch::new(), text, tokens, lang),
        })
    }

    fn tag_with(
        &self,
        scratch: &mut Scratch,
        text: &str,
        tokens: &[Token<'_>],
        lang: Language,
    ) -> Vec<TaggedSpan> {
        let Scratch {
            extractor,
            owner,
            type_scores,
            hashes,
            neighbour_hashes,
            rows,
            scores,
            back,
            path,
        } = scratch;
        // Mentions as token ranges (first, one past the last) and kinds, in order.
        let mut found: Vec<(usize, usize, EntityKind)> = Vec::new();
        extractor.analyse(text, tokens, lang);
        if *owner != (self.id, extractor.generation()) {
            // Another tagger's scores, or types that were cleared.
            type_scores.clear();
            *owner = (self.id, extractor.generation());
        }
        let (profile, group) = (features::profile(lang), features::group(lang));
        let transitions = self.model.transitions(profile);
        // Most features of a token are properties of its text or of its neighbours' texts,
        // the same wherever they stand: their sums are computed once per distinct text (kept
        // from earlier texts on this thread), and most words of a text come more than once.
        // What is left per token is a handful of features of its own.
        let from = type_scores.len();
        hashes.clear();
        extractor.type_features(from, hashes);
        self.model
            .sums(hashes, features::N_TYPE_FEATURES, rows, scores);
        type_scores.extend(scores.iter().map(|&own| {
            [
                own,
                [0; model::LANES],
                [0; model::LANES],
                [0; model::LANES],
                [0; model::LANES],
            ]
        }));
        for h in neighbour_hashes.iter_mut() {
            h.clear();
        }
        {
            let [a, b, c, d] = neighbour_hashes;
            extractor.neighbour_features(from, [a, b, c, d]);
        }
        let per_role = [features::AS_PREVIOUS.len(), features::AS_NEXT.len(), 1, 1];
        for (role, h) in neighbour_hashes.iter().enumerate() {
            self.model.sums(h, per_role[role], rows, scores);
            for (t, sum) in type_scores[from..].iter_mut().zip(scores.iter()) {
                t[role + 1] = *sum;
            }
        }
        // What tokens next to a segment's edge get from beyond it.
        for h in neighbour_hashes.iter_mut() {
            h.clear();
        }
        let mut edge = [[0i32; model::LANES]; 4];
        {
            let [a, b, c, d] = neighbour_hashes;
            Extractor::edge_features(group, [a, b, c, d]);
        }
        for (role, h) in neighbour_hashes.iter().enumerate() {
            self.model.sums(h, h.len(), rows, scores);
            if let Some(sum) = scores.first() {
                edge[role] = *sum;
            }
        }
        let o_penalty = O_PENALTY.get(group).copied().unwrap_or(0);
        let token_types = extractor.token_types();
        for segment in extractor.segments().iter().cloned() {
            hashes.clear();
            extractor.own_features(segment.clone(), profile, group, hashes);
            self.model
                .sums(hashes, features::N_OWN_FEATURES, rows, scores);
            let types = &token_types[segment.clone()];
            let role = |i: usize, offset: isize, role: usize| -> &[i32; model::LANES] {
                match i.checked_add_signed(offset).and_then(|j| types.get(j)) {
                    Some(&t) => &type_scores[t as usize][role + 1],
                    None => &edge[role],
                }
            };
            for (i, score) in scores.iter_mut().enumerate() {
                add_lanes(score, &type_scores[types[i] as usize][0]);
                // The token before gives its features as the previous token's, and so on.
                add_lanes(score, role(i, -1, 0));
                add_lanes(score, role(i, 1, 1));
                add_lanes(score, role(i, -2, 2));
                add_lanes(score, role(i, 2, 3));
                score[0] -= o_penalty;
            }
            model::viterbi(scores, &transitions, back, path);
            push_mentions(path, segment.start, &mut found);
        }
        extractor.propagate(&mut found);
        found
            .into_iter()
            .map(|(first, end, kind)| TaggedSpan {
                span: Span::new(tokens[first].span.start, tokens[end - 1].span.end),
                kind,
            })
            .collect()
    }
}

/// Throughput on real text, printed, never asserted: run it with
/// `cargo test --release -p xabar-annotate ner_throughput -- --ignored --nocapture`.
/// Appends the mentions a decoded tag path spells, as token ranges offset by `first` (the
/// segment's first token). Viterbi only yields well-formed sequences: a mention is a unit, or
/// a begin, any insides, and a last.
fn push_mentions(path: &[u8], first: usize, found: &mut Vec<(usize, usize, EntityKind)>) {
    let mut start = 0;
    for (i, &tag) in path.iter().enumerate() {
        match model::tag_meaning(usize::from(tag)) {
            Some((Part::Begin, _)) => start = i,
            Some((Part::Unit, kind)) => found.push((first + i, first + i + 1, kind)),
            Some((Part::Last, kind)) => found.push((first + start, first + i + 1, kind)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod throughput {
    use std::path::Path;
    use std::time::Instant;

    use xabar_text::normalize::normalize;

    use super::*;

    /// This thread's CPU time on Linux, which a busy machine disturbs less than the wall
    /// clock.
    fn thread_cpu_seconds() -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        // Fields after the command name (which is in parentheses); utime and stime are the
        // 14th and 15th fields, in clock ticks of 1/100 s.
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        Some((utime + stime) / 100.0)
    }

    #[test]
    #[ignore = "a measurement, not a test: run it in release mode"]
    fn ner_throughput() {
        let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
        let Ok(docs) = data::read_all(&eval) else {
            println!("skipped: {} is missing", eval.display());
            return;
        };
        let tagger = Tagger::global();
        let texts: Vec<(String, Language)> = docs
            .iter()
            .map(|d| (normalize(&d.text).text, d.lang))
            .collect();
        let bytes: usize = texts.iter().map(|(t, _)| t.len()).sum();
        for round in 0..3 {
            let started = Instant::now();
            let cpu = thread_cpu_seconds();
            let mut mentions = 0;
            for (text, lang) in &texts {
                mentions += tagger.tag(text, *lang).len();
            }
            let secs = started.elapsed().as_secs_f64();
            let cpu = thread_cpu_seconds().zip(cpu).map(|(b, a)| b - a);
            println!(
                "round {round}: {:.1} MB in {secs:.2} s = {:.1} MB/s wall-clock{} ({mentions} mentions)",
                bytes as f64 / 1e6,
                bytes as f64 / 1e6 / secs,
                cpu.map_or(String::new(), |c| format!(
                    ", {:.1} MB/s of this thread's CPU time",
                    bytes as f64 / 1e6 / c
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Mentions as text and kind.
    type Expected = &'static [(&'static str, EntityKind)];

    /// One sentence per language, and the mentions in it.
    const SENTENCES: &[(Language, &str, Expected)] = &[
        (
            Language::Kk,
            "Қазақстан Президенті Қасым-Жомарт Тоқаев бүгін Мәскеуде Ресей басшысымен кездесті.",
            &[
                ("Қасым-Жомарт Тоқаев", EntityKind::Person),
                ("Мәскеуде", EntityKind::Place),
            ],
        ),
        (
            Language::Ru,
            "Президент России Владимир Путин провёл переговоры в Москве с премьер-министром \
             Индии.",
            &[
                ("Владимир Путин", EntityKind::Person),
                ("Москве", EntityKind::Place),
                ("России", EntityKind::Place),
            ],
        ),
        (
            Language::De,
            "Bundeskanzler Olaf Scholz ist am Montag nach Paris gereist, um Emmanuel Macron zu \
             treffen.",
            &[
                ("Olaf Scholz", EntityKind::Person),
                ("Paris", EntityKind::Place),
                ("Emmanuel Macron", EntityKind::Person),
            ],
        ),
        (
            Language::Uz,
            "Қозоғистон Президенти Қосим-Жомарт Тўқаев Тошкентга келди.",
            &[
                ("Қосим-Жомарт Тўқаев", EntityKind::Person),
                ("Тошкентга", EntityKind::Place),
            ],
        ),
    ];

    /// The shipped model finds most of the [`SENTENCES`]' mentions, and something in each
    /// language: a statistical model trained on a few thousand sentences per language misses
    /// some (the evaluation, `xabar-eval ner`, says how many); a broken one finds none.
    #[test]
    fn the_shipped_model_finds_mentions_in_each_language() {
        let tagger = Tagger::global();
        let (mut wanted, mut missed) = (0, Vec::new());
        for &(lang, text, expected) in SENTENCES {
            let found: Vec<(&str, EntityKind)> = tagger
                .tag(text, lang)
                .into_iter()
                .filter_map(|m| m.span.of(text).map(|s| (s, m.kind)))
                .collect();
            assert!(
                expected.iter().any(|want| found.contains(want)),
                "{lang}: none of {expected:?} in {found:?}"
            );
            for want in expected {
                wanted += 1;
                if !found.contains(want) {
                    missed.push(format!("{lang}: missed {want:?} in {found:?}"));
                }
            }
        }
        assert!(missed.len() * 5 <= wanted, "{}", missed.join("\n"));
    }

    /// The full recogniser, the tagger with the knowledge base and the name rules, finds every
    /// one of the [`SENTENCES`]' mentions.
    #[test]
    fn the_recogniser_finds_every_mention_in_each_language() {
        let mut failures = Vec::new();
        for &(lang, text, expected) in SENTENCES {
            let script = text
                .chars()
                .find(|c| c.is_alphabetic())
                .map_or(xabar_core::Script::Zyyy, xabar_core::Script::of_char);
            let found: Vec<(String, EntityKind)> = crate::link::recognize(text, lang, script)
                .into_iter()
                .map(|m| (m.text, m.kind))
                .collect();
            for &(want, kind) in expected {
                if !found.iter().any(|(t, k)| t == want && *k == kind) {
                    failures.push(format!("{lang}: missed {want:?} in {found:?}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// The mentions of `text` with every feature of every token summed as training sees
    /// them ([`Extractor::features`]), without the per-type sums tagging keeps.
    fn tag_plainly(tagger: &Tagger, text: &str, lang: Language) -> Vec<TaggedSpan> {
        let tokens: Vec<Token<'_>> = tokenize(text).collect();
        let mut extractor = Extractor::new();
        extractor.analyse(text, &tokens, lang);
        let (profile, group) = (features::profile(lang), features::group(lang));
        let transitions = tagger.model.transitions(profile);
        let (mut hashes, mut rows, mut scores) = (Vec::new(), Vec::new(), Vec::new());
        let (mut back, mut path) = (Vec::new(), Vec::new());
        let mut found = Vec::new();
        for segment in extractor.segments().iter().cloned() {
            hashes.clear();
            extractor.features(segment.clone(), profile, group, &mut hashes);
            tagger
                .model
                .sums(&hashes, features::N_FEATURES, &mut rows, &mut scores);
            for score in scores.iter_mut() {
                score[0] -= O_PENALTY[group];
            }
            model::viterbi(&scores, &transitions, &mut back, &mut path);
            push_mentions(&path, segment.start, &mut found);
        }
        extractor.propagate(&mut found);
        found
            .into_iter()
            .map(|(first, end, kind)| TaggedSpan {
                span: Span::new(tokens[first].span.start, tokens[end - 1].span.end),
                kind,
            })
            .collect()
    }

    #[test]
    fn per_type_sums_tag_as_every_feature_summed_does() {
        let tagger = Tagger::global();
        let texts = SENTENCES
            .iter()
            .map(|&(lang, text, _)| (lang, text.to_string()))
            .chain([
                (
                    Language::Ru,
                    "Путин. Путин! «Газпром» и Газпром, В. В. Путин.".to_string(),
                ),
                (Language::De, "Merkel Merkel Merkel\nBerlin".to_string()),
                (Language::Kk, String::new()),
                (Language::Kk, "Астана".to_string()),
            ]);
        // Another tagger in turn: the types it finds known on this thread were analysed in
        // several languages, and it must sum each in its own.
        let other = tagger.clone();
        let texts: Vec<(Language, String)> = texts.collect();
        for _ in 0..2 {
            for (lang, text) in &texts {
                // Twice: the second time the types are known from the first.
                for t in [tagger, &other, tagger] {
                    assert_eq!(t.tag(text, *lang), tag_plainly(t, text, *lang), "{text}");
                }
            }
            // The same texts read in another language are other types.
            for (_, text) in &texts {
                for lang in [Language::Ru, Language::De, Language::Kk] {
                    assert_eq!(tagger.tag(text, lang), tag_plainly(tagger, text, lang));
                }
            }
        }
    }

    #[test]
    fn the_shipped_model_round_trips_through_its_format() {
        let model = Tagger::global().model();
        let bytes = model.to_bytes();
        assert_eq!(bytes, SHIPPED, "the shipped file is not in canonical form");
        assert_eq!(Model::from_bytes(&bytes).as_ref(), Ok(model));
    }

    #[test]
    fn empty_and_punctuation_only_texts_have_no_mentions() {
        let tagger = Tagger::global();
        assert!(tagger.tag("", Language::Ru).is_empty());
        assert!(tagger.tag(" \n\t", Language::Kk).is_empty());
        assert!(tagger.tag("… — «» !?", Language::De).is_empty());
    }

    /// Text built from pieces that stress tokens and segments, mixed with arbitrary chars.
    fn tricky() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Тоқаев",
            "Astana",
            "Oʻzbekiston",
            "Қосим-Жомарт",
            "Б.",
            ".",
            "\n",
            " ",
            "«",
            "»",
            "-",
            "Су-35",
            "2024",
            "NATO",
            "İstanbul",
            "ʻ",
            "\u{301}",
            "😀",
            "ı",
            "Москвы",
        ]);
        prop::collection::vec(
            prop_oneof![
                pieces.prop_map(str::to_string),
                any::<char>().prop_map(String::from)
            ],
            0..60,
        )
        .prop_map(|v| v.join(" "))
    }

    fn check(text: &str, lang: Language) -> Result<(), TestCaseError> {
        let tokens: Vec<Token<'_>> = tokenize(text).collect();
        let starts: Vec<usize> = tokens.iter().map(|t| t.span.start).collect();
        let ends: Vec<usize> = tokens.iter().map(|t| t.span.end).collect();
        let mut last_end = 0;
        for m in Tagger::global().tag(text, lang) {
            prop_assert!(m.span.start < m.span.end, "empty span");
            prop_assert!(m.span.start >= last_end, "overlapping or out of order");
            prop_assert!(m.span.of(text).is_some(), "off a char boundary");
            prop_assert!(starts.contains(&m.span.start), "does not start a token");
            prop_assert!(ends.contains(&m.span.end), "does not end a token");
            last_end = m.span.end;
        }
        prop_assert_eq!(
            Tagger::global().tag(text, lang),
            tag_plainly(Tagger::global(), text, lang)
        );
        Ok(())
    }

    proptest! {
        #[test]
        fn tag_never_panics_and_gives_whole_token_spans(
            text in any::<String>(),
            i in 0usize..Language::ALL.len(),
        ) {
            check(&text, Language::ALL[i])?;
        }

        #[test]
        fn tag_gives_whole_token_spans_on_tricky_text(
            text in tricky(),
            i in 0usize..Language::ALL.len(),
        ) {
            check(&text, Language::ALL[i])?;
        }
    }
}
