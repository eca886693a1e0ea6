//! Mention recognition: which spans of a text name a person, an organisation or a place.
//!
//! The [`Tagger`] is a statistical sequence tagger, an averaged perceptron over BIO tags with
//! Viterbi decoding, trained by the project's own command (`cargo run --release -p xabar-eval
//! -- train-ner`) on public Kazakh, Russian, German and other Slavic data ([`data`]) and
//! shipped as `data/ner/model.bin` (format in [`model`], features in [`features`], training in
//! [`train`]). One model serves every language: most of its features are shared, and those
//! computed on transliteration keys and stems let what it learnt from Kazakh fire on Uzbek in
//! either script.
//!
//! This module finds spans and their kinds only. Rules and gazetteers for what the data lacks,
//! roles attached to persons, and linking mentions to entities of the knowledge base
//! ([`crate::kb`]) come after it.

pub mod data;
pub mod features;
pub mod model;
pub mod train;

use std::sync::LazyLock;

use xabar_core::{EntityKind, Language, Span};
use xabar_text::token::{Token, tokenize};

pub use model::{Model, ModelError};

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

/// Finds mentions of persons, organisations and places in text.
#[derive(Debug, Clone)]
pub struct Tagger {
    model: Model,
}

impl Tagger {
    /// The tagger with the shipped model, loaded once.
    pub fn global() -> &'static Tagger {
        &GLOBAL
    }

    /// A tagger with `model`.
    pub fn new(model: Model) -> Tagger {
        Tagger { model }
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
        let mut out = Vec::new();
        let mut extractor = Extractor::new();
        extractor.analyse(tokens, lang);
        let transitions = self.model.transitions(features::profile(lang));
        let (mut hashes, mut scores, mut back, mut path) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for segment in features::segments(text, tokens) {
            hashes.clear();
            extractor.features(segment.clone(), lang, &mut hashes);
            self.model.emissions(&hashes, &mut scores);
            model::viterbi(&scores, &transitions, &mut back, &mut path);
            let seg = &tokens[segment];
            let mut open: Option<(usize, EntityKind)> = None;
            for (i, &tag) in path.iter().enumerate() {
                let meaning = model::tag_meaning(usize::from(tag));
                if !matches!(meaning, Some((false, _))) {
                    if let Some((start, kind)) = open.take() {
                        out.push(TaggedSpan {
                            span: Span::new(seg[start].span.start, seg[i - 1].span.end),
                            kind,
                        });
                    }
                    if let Some((true, kind)) = meaning {
                        open = Some((i, kind));
                    }
                }
            }
            if let (Some((start, kind)), Some(last)) = (open, seg.last()) {
                out.push(TaggedSpan {
                    span: Span::new(seg[start].span.start, last.span.end),
                    kind,
                });
            }
        }
        out
    }
}

/// Throughput on real text, printed, never asserted: run it with
/// `cargo test --release -p xabar-annotate ner_throughput -- --ignored --nocapture`.
#[cfg(test)]
mod throughput {
    use std::path::Path;
    use std::time::Instant;

    use xabar_text::normalize::normalize;

    use super::*;

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
            let mut mentions = 0;
            for (text, lang) in &texts {
                mentions += tagger.tag(text, *lang).len();
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "round {round}: {:.1} MB in {secs:.2} s = {:.1} MB/s ({mentions} mentions)",
                bytes as f64 / 1e6,
                bytes as f64 / 1e6 / secs
            );
        }
    }
}
