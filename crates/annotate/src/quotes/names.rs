//! Telling a quoted name («Российская газета», «Сибур», „Rossiyskaya Gazeta“, «Орталық Азия –
//! Ресей» саммиті) from a quotation, by the span's own structure and what stands around it —
//! never by a list of the names themselves.
//!
//! A name is short, has no sentence punctuation inside, and either has every content word
//! capitalized, or sits next to a generic noun (газета, саммит, company, Zeitung …; data in
//! `[name-nouns]`), or carries a Turkic case ending glued to its closing mark («Сибур»га).
//! A speech cue next to the span, or a colon introducing it, makes it a quotation whatever its
//! shape.

use super::lexicon::Lexicon;
use super::words::{Token, breaks_phrase, tokenize};

/// The most words a quoted name may have.
const MAX_NAME_WORDS: usize = 6;

/// Whether the pair of marks around `inner` holds a name rather than a quotation.
/// `before` and `after` are the tokens of the paragraph right before the opening mark and
/// right after the closing one (a few each); `set_off` says whether punctuation hands the
/// span over to what follows, as speech is handed to its attribution.
pub(crate) fn looks_like_name(
    text: &str,
    inner: (usize, usize),
    close_end: usize,
    before: &[Token],
    after: &[Token],
    set_off: bool,
    lexicon: &Lexicon,
) -> bool {
    // Long spans are quotations: say so before tokenizing them.
    if text[inner.0..inner.1]
        .split_whitespace()
        .nth(MAX_NAME_WORDS)
        .is_some()
    {
        return false;
    }
    let tokens = tokenize(text, inner.0, inner.1);
    let words: Vec<&Token> = tokens.iter().filter(|t| t.is_word()).collect();
    if words.is_empty() {
        // Only punctuation or symbols between the marks: nothing anyone said.
        return true;
    }
    if words.len() > MAX_NAME_WORDS {
        return false;
    }
    // Sentence punctuation inside (a trailing mark does not count: "Fox and Friends.").
    let last_word_end = words.last().map_or(inner.0, |w| w.end);
    let inner_punct = tokens.iter().enumerate().any(|(i, t)| {
        t.start < last_word_end
            && matches!(t.punct, Some('.' | '!' | '?' | '…' | ';' | ':' | ','))
            && breaks_phrase(&tokens, i, lexicon)
    });
    if inner_punct {
        return false;
    }
    if before.last().is_some_and(|t| t.is_punct(':')) {
        return false;
    }
    // A Turkic case ending glued to the closing mark: «Сибур»га, «Самрұқ-Қазына»-ның.
    let mut rest = text[close_end..].chars();
    let glued = match rest.next() {
        Some('-') => rest.next().is_some_and(char::is_alphabetic),
        Some(c) => c.is_alphabetic(),
        None => false,
    };
    if glued {
        return true;
    }
    let first_capitalized = words[0].capitalized || words[0].key.starts_with(char::is_numeric);
    let generic_inside = lexicon.is_name_noun(&words[0].key)
        || words.last().is_some_and(|w| lexicon.is_name_noun(&w.key));
    let next_words: Vec<&Token> = after.iter().take_while(|t| t.is_word()).take(2).collect();
    let generic_after = next_words.iter().any(|w| lexicon.is_name_noun(&w.key));
    let generic_before = before
        .last()
        .is_some_and(|t| t.is_word() && lexicon.is_name_noun(&t.key));
    if first_capitalized && (generic_inside || generic_after || generic_before) {
        return true;
    }
    // Every content word capitalized; function words (of, и, und) aside.
    let content: Vec<&&Token> = words
        .iter()
        .filter(|w| w.capitalized || !(lexicon.is_stop(&w.key) || lexicon.is_article(&w.key)))
        .collect();
    let all_capitalized = !content.is_empty()
        && content
            .iter()
            .all(|w| w.capitalized || w.key.starts_with(char::is_numeric));
    if all_capitalized && words.len() <= 4 {
        return true;
    }
    // A short capitalized phrase inside the writer's sentence, speech aside: «Янги кун».
    first_capitalized && words.len() <= 3 && !before.is_empty() && !set_off
}
