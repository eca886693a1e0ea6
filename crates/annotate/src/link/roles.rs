//! Roles and titles attached to persons: "Қозоғистон президенти Қосим-Жомарт Тўқаев",
//! "der kasachische Präsident Qassym-Schomart Toqajew", "глава МИД Литвы Линас Линкявичюс".
//!
//! The words come from `data/roles/<lang>.txt` and are compared by their base (see
//! [`super::names::base`]), so that one form in the file matches every case form in a text
//! (`президента`, `Президентининг`, `Präsidenten`). A role phrase is looked for just before a
//! person mention: the role word itself, a nationality adjective or a place before it (the
//! Turkic and English order: `Қазақстан Президенті`, `Kazakh President`), and a short genitive
//! between it and the name (`Президент России`, `Директор Института политических
//! исследований`). What the phrase says — an office of the knowledge base and the country it is
//! held in — helps the linker choose between namesakes; the phrase as written becomes the
//! mention's `role`.

use std::collections::HashMap;
use std::sync::LazyLock;

use xabar_core::{Language, Script};
use xabar_text::token::{Token, TokenKind, tokenize};
use xabar_text::translit::key;

use super::lexicon::{LEXICON, RoleMeaning, TableMap, TableSet};
use super::names::{base, word_script};
use crate::kb::Role;

/// The role phrases of one language by the base keys of their words, joined by spaces.
#[derive(Debug, Default)]
struct RoleIndex {
    phrases: TableMap<Box<str>, RoleMeaning>,
    /// The key of the last word of every phrase: a word that is none of these ends no phrase,
    /// which settles most words at the cost of one lookup.
    last_words: TableSet<Box<str>>,
    max_words: usize,
}

static INDEX: LazyLock<HashMap<Language, RoleIndex>> = LazyLock::new(|| {
    let mut index: HashMap<Language, RoleIndex> = HashMap::new();
    for phrase in &LEXICON.roles {
        let words: Vec<String> = tokenize(&phrase.phrase)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| word_key(t.text, phrase.language, phrase.script))
            .collect();
        if words.is_empty() {
            continue;
        }
        let entry = index.entry(phrase.language).or_default();
        entry.max_words = entry.max_words.max(words.len());
        if let Some(last) = words.last() {
            entry.last_words.insert(last.as_str().into());
        }
        // The first meaning written wins: a file lists offices before titles.
        entry
            .phrases
            .entry(words.join(" ").into_boxed_str())
            .or_insert(phrase.meaning);
    }
    index
});

/// The key a role word is compared by.
fn word_key(word: &str, language: Language, script: Script) -> String {
    key(&base(word, language, script))
}

/// What a role phrase says about the person it is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct RoleInfo {
    /// The office, when the phrase names one the knowledge base knows.
    pub office: Option<Role>,
    /// The country it is held in (`kb:place/kz`), from a nationality adjective or a place.
    pub country: Option<&'static str>,
}

/// The meaning of the role phrase made of `words` (keys), if the language has one.
fn phrase_meaning(language: Language, words: &[String]) -> Option<RoleMeaning> {
    let index = INDEX.get(&language)?;
    index.phrases.get(words.join(" ").as_str()).copied()
}

/// The key a role word is compared by, for token `i` of `tokens` (the recogniser caches
/// these per text).
pub(crate) fn token_key(tokens: &[Token<'_>], i: usize, language: Language) -> String {
    let t = &tokens[i];
    word_key(t.text, language, word_script(t.text))
}

/// The meaning of a role word at the end of `tokens[..=end]`: the longest phrase ending there,
/// with the index of its first token. A compound's last part counts (`US-Präsidenten`).
pub(crate) fn phrase_ending_at(
    tokens: &[Token<'_>],
    end: usize,
    language: Language,
) -> Option<(usize, RoleMeaning)> {
    let keys: Vec<std::cell::OnceCell<String>> = (0..=end.min(tokens.len().saturating_sub(1)))
        .map(|_| std::cell::OnceCell::new())
        .collect();
    phrase_ending_at_keyed(tokens, end, language, &|i| {
        keys[i]
            .get_or_init(|| token_key(tokens, i, language))
            .as_str()
    })
}

/// [`phrase_ending_at`] with the keys of the tokens given by `key`.
pub(crate) fn phrase_ending_at_keyed<'k>(
    tokens: &[Token<'_>],
    end: usize,
    language: Language,
    key: &dyn Fn(usize) -> &'k str,
) -> Option<(usize, RoleMeaning)> {
    let index = INDEX.get(&language)?;
    let token = tokens.get(end)?;
    if token.kind != TokenKind::Word {
        return None;
    }
    let last = key(end);
    let mut found = None;
    if index.last_words.contains(last) {
        let mut joined = String::with_capacity(64);
        for n in 1..=index.max_words.min(end + 1) {
            let first = end + 1 - n;
            if tokens[first].kind != TokenKind::Word {
                break;
            }
            // Build "k(first) … k(end)" afresh: phrases are a few words long.
            joined.clear();
            for k in first..=end {
                if k > first {
                    joined.push(' ');
                }
                joined.push_str(key(k));
            }
            if let Some(&meaning) = index.phrases.get(joined.as_str()) {
                found = Some((first, meaning));
            }
        }
    }
    if found.is_none() && token.is_compound() {
        let part = token.parts().last()?;
        let k = word_key(part.text, language, word_script(part.text));
        return phrase_meaning(language, &[k]).map(|m| (end, m));
    }
    found
}

/// The nationality a word or compound's first part expresses (`kasachische`, `US-`), if any.
pub(crate) fn nation_of(token: &Token<'_>, language: Language) -> Option<&'static str> {
    let whole = word_key(token.text, language, word_script(token.text));
    if let Some(RoleMeaning::Nation(id)) = phrase_meaning(language, &[whole]) {
        return Some(id);
    }
    if token.is_compound() {
        let first = token.parts().next()?;
        let k = word_key(first.text, language, word_script(first.text));
        if let Some(RoleMeaning::Nation(id)) = phrase_meaning(language, &[k]) {
            return Some(id);
        }
    }
    None
}

/// Reads a role phrase as written (a mention's `role`) back into what it says; `places` gives
/// the country id a word of it names, if any (the linker passes a knowledge-base lookup).
pub(crate) fn interpret(
    role: &str,
    language: Language,
    places: impl Fn(&str) -> Option<&'static str>,
) -> RoleInfo {
    let tokens: Vec<Token<'_>> = tokenize(role).collect();
    let mut info = RoleInfo::default();
    for end in 0..tokens.len() {
        if let Some((_, meaning)) = phrase_ending_at(&tokens, end, language) {
            match meaning {
                RoleMeaning::Office(office) if info.office.is_none() => info.office = Some(office),
                RoleMeaning::Nation(id) if info.country.is_none() => info.country = Some(id),
                _ => {}
            }
        }
        if info.country.is_none() {
            if let Some(id) = nation_of(&tokens[end], language) {
                info.country = Some(id);
            } else if tokens[end].kind == TokenKind::Word {
                info.country = places(tokens[end].text);
            }
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role_before(text: &str, language: Language) -> Option<RoleMeaning> {
        let tokens: Vec<Token<'_>> = tokenize(text).collect();
        phrase_ending_at(&tokens, tokens.len() - 1, language).map(|(_, m)| m)
    }

    #[test]
    fn role_words_match_in_any_case_form() {
        let president = Some(RoleMeaning::Office(Role::President));
        for (text, language) in [
            ("Қозоғистон президенти", Language::Uz),
            ("Қозоғистон Президентининг", Language::Uz),
            ("Qozogʻiston prezidenti", Language::Uz),
            ("Ресей Президенті", Language::Kk),
            ("Мемлекет басшысы", Language::Kk),
            ("президента", Language::Ru),
            ("der kasachische Präsident", Language::De),
            ("dem US-Präsidenten", Language::De),
            ("Kazakh President", Language::En),
        ] {
            assert_eq!(role_before(text, language), president, "{text}");
        }
        assert_eq!(
            role_before("глава МИД", Language::Ru),
            Some(RoleMeaning::Office(Role::ForeignMinister))
        );
        assert_eq!(
            role_before("сиёсатшунос", Language::Uz),
            Some(RoleMeaning::Title)
        );
        assert_eq!(role_before("заявил", Language::Ru), None);
    }

    #[test]
    fn nationality_adjectives_name_countries() {
        let tokens: Vec<Token<'_>> =
            tokenize("kasachischen US-Präsidenten казахстанскому").collect();
        assert_eq!(nation_of(&tokens[0], Language::De), Some("kb:place/kz"));
        assert_eq!(nation_of(&tokens[1], Language::De), Some("kb:place/us"));
        assert_eq!(nation_of(&tokens[2], Language::Ru), Some("kb:place/kz"));
    }

    #[test]
    fn role_phrases_read_back() {
        let info = interpret("der kasachische Präsident", Language::De, |_| None);
        assert_eq!(info.office, Some(Role::President));
        assert_eq!(info.country, Some("kb:place/kz"));
    }
}
