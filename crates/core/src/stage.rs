//! The traits pipeline stages implement, so that a language can plug in its own.

use std::borrow::Cow;

use crate::{Language, Script};

/// What a language identifier concluded about a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Identification {
    /// The language, or [`Language::Und`] when unsure.
    pub language: Language,
    /// The dominant script of the text's letters.
    pub script: Script,
    /// How sure, from 0 to 1.
    pub confidence: f64,
}

/// Tells which language and script a text is written in.
pub trait LanguageIdentifier: Send + Sync {
    /// Identifies the language of `text` (normalized text reads best).
    fn identify(&self, text: &str) -> Identification;

    /// Identifies a part of a larger text (a paragraph of an article) whose language is
    /// `context`: the part keeps that language unless its own evidence points elsewhere. The
    /// default asks [`identify`](Self::identify) and falls back to the context when the part
    /// is too short to tell and is written in the same script.
    fn identify_within(&self, text: &str, context: &Identification) -> Identification {
        let found = self.identify(text);
        if found.language == crate::Language::Und && found.script == context.script {
            Identification {
                language: context.language,
                ..found
            }
        } else {
            found
        }
    }
}

/// Reduces a word to its stem, for one language.
pub trait Stemmer: Send + Sync {
    /// The stem of `word`, which is one lowercase word.
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str>;
}
