//! Character n-gram models (lingua) for the languages they cover, consulted only when letters
//! and words leave the answer open.
//!
//! lingua's cost grows with the number of languages it compares, so each call compares only
//! the languages still in the running: one detector per such set, built on first use. The
//! models themselves are loaded once, all of them up front (see [`preload`]), and shared by
//! every detector.

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use super::variants::ngram_languages;

/// The languages with models, in a fixed order: bit i of a language set is `LANGUAGES[i]`.
static LANGUAGES: LazyLock<Vec<Language>> = LazyLock::new(ngram_languages);

/// The detector over all languages, whose building loads every model.
static FULL: LazyLock<LanguageDetector> = LazyLock::new(|| {
    LanguageDetectorBuilder::from_languages(&LANGUAGES)
        .with_preloaded_language_models()
        .build()
});

/// Detectors over subsets of [`LANGUAGES`], by bit set. There are at most 2^16 of them and in
/// practice a few dozen, each a few kilobytes: they live as long as the process.
static SUBSETS: LazyLock<RwLock<HashMap<u32, &'static LanguageDetector>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// A set of languages with models.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct LanguageSet(u32);

impl LanguageSet {
    /// Adds `language`, if it has a model.
    pub(crate) fn insert(&mut self, language: Language) {
        if let Some(i) = LANGUAGES.iter().position(|l| *l == language) {
            self.0 |= 1 << i;
        }
    }

    fn languages(self) -> Vec<Language> {
        LANGUAGES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, l)| *l)
            .collect()
    }
}

/// Loads the models now, if not yet done.
pub(crate) fn preload() {
    LazyLock::force(&FULL);
}

fn detector(among: LanguageSet) -> &'static LanguageDetector {
    let read = SUBSETS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(detector) = read.get(&among.0) {
        return detector;
    }
    drop(read);
    preload();
    let mut write = SUBSETS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    write.entry(among.0).or_insert_with(|| {
        Box::leak(Box::new(
            LanguageDetectorBuilder::from_languages(&among.languages()).build(),
        ))
    })
}

/// How likely each language of `among` is for `text`, summing to 1 (or all zero when lingua
/// finds no letters it knows). A set of one language needs no model: it gets 1.
pub(crate) fn confidences(text: &str, among: LanguageSet) -> Vec<(Language, f64)> {
    let languages = among.languages();
    if languages.len() <= 1 {
        return languages.into_iter().map(|l| (l, 1.0)).collect();
    }
    detector(among).compute_language_confidence_values(text)
}
