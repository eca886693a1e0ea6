//! Snowball stemmers for the languages that have one (Russian, Ukrainian, German, English,
//! Turkish), from the `frostem` crate, which tracks the upstream Snowball algorithms.
//!
//! Around the algorithm this adds what it does not know about apostrophes: Turkish sets the
//! endings of a proper noun off with one (`Kazakistan'ın`), which gives the stem exactly, and
//! English Snowball recognizes only the ASCII `'`, while raw text has `’` as well.
//!
//! Known weakness, from the algorithm itself: Russian Snowball treats a final `-н` after `а` as a
//! verb ending and `-ов`/`-ев` as a plural genitive, so `Казахстан` and `Казахстану`, or
//! `Токаев` and `Токаева`, get different stems. Names are better matched by the entity stage.

use std::borrow::Cow;

use frostem::Algorithm;
use xabar_core::Language;

/// What a language does with an apostrophe inside a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Apostrophes {
    /// Left to the algorithm.
    Keep,
    /// Written as ASCII `'` before stemming, the only form the algorithm knows.
    Ascii,
    /// The stem is what comes before the apostrophe (Turkish proper nouns).
    CutThere,
}

/// A Snowball stemmer for one language.
#[derive(Clone, Copy)]
pub struct SnowballStemmer {
    language: Language,
    inner: frostem::Stemmer,
    apostrophes: Apostrophes,
}

impl std::fmt::Debug for SnowballStemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnowballStemmer")
            .field("language", &self.language)
            .finish()
    }
}

impl SnowballStemmer {
    /// The Snowball stemmer for `language`, or `None` when xabar has none for it.
    pub fn new(language: Language) -> Option<SnowballStemmer> {
        let (algorithm, apostrophes) = match language {
            Language::Ru => (Algorithm::Russian, Apostrophes::Keep),
            Language::Uk => (Algorithm::Ukrainian, Apostrophes::Keep),
            Language::De => (Algorithm::German, Apostrophes::Keep),
            Language::En => (Algorithm::English, Apostrophes::Ascii),
            Language::Tr => (Algorithm::Turkish, Apostrophes::CutThere),
            _ => return None,
        };
        Some(SnowballStemmer {
            language,
            inner: frostem::Stemmer::new(algorithm),
            apostrophes,
        })
    }

    /// The language it stems.
    pub fn language(&self) -> Language {
        self.language
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '`')
}

impl xabar_core::Stemmer for SnowballStemmer {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match self.apostrophes {
            Apostrophes::Keep => {}
            Apostrophes::CutThere => {
                if let Some((i, _)) = word.char_indices().find(|&(_, c)| is_apostrophe(c))
                    && i > 0
                {
                    return Cow::Borrowed(&word[..i]);
                }
            }
            Apostrophes::Ascii => {
                if word.chars().any(|c| c != '\'' && is_apostrophe(c)) {
                    let ascii: String = word
                        .chars()
                        .map(|c| if is_apostrophe(c) { '\'' } else { c })
                        .collect();
                    let stem = self.inner.stem(&ascii).into_owned();
                    return if stem.is_empty() {
                        Cow::Borrowed(word)
                    } else {
                        Cow::Owned(stem)
                    };
                }
            }
        }
        let stem = self.inner.stem(word);
        // Snowball can reduce a word of suffix letters alone to nothing; a stem must stay usable
        // as a key, so such a word is its own stem.
        if stem.is_empty() || stem == word {
            Cow::Borrowed(word)
        } else {
            stem
        }
    }
}
