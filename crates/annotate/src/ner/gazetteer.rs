//! The tagger's gazetteer: which words the knowledge base ([`crate::kb`]) uses in names of
//! persons, organisations and places, as a feature the tagger weighs with the others.
//!
//! The training data knows few of the region's names (KazNERD has "Ташкент" twice, the
//! Russian sets hardly name Uzbekistan), and a tagger that has not seen a country's name
//! reads "Узбекистана Шавкат Мирзиёев" as one person. Every word of every alias is recorded
//! by its transliteration key and the key of its stem (with the stemmer of the alias's
//! language), so that inflected and transliterated forms meet it: "Казахстана" and
//! "Qozogʻistonda" find "Казахстан". What the tagger learns is how much "a word the
//! knowledge base uses for a place" means, not the names themselves, so the knowledge base can
//! grow without retraining, though retraining makes the most of it.
//!
//! This is a feature, not a decision: linking mentions to the knowledge base's entities is
//! the linker's business.

use std::collections::HashMap;
use std::sync::LazyLock;

use xabar_core::{EntityKind, Language, Script};
use xabar_text::stem;
use xabar_text::token::{TokenKind, lowercase, tokenize};
use xabar_text::translit;

use super::features::hash_bytes;
use crate::kb::{AliasForm, KnowledgeBase};

/// The word is a person's name or a part of one.
pub const PERSON: u8 = 1;
/// The word is an organisation's name by itself (`ОДКБ`, `Газпром`).
pub const ORGANISATION: u8 = 2;
/// The word is a place's name by itself (`Ташкент`).
pub const PLACE: u8 = 4;
/// The word is part of a longer organisation's or place's name (`Организация`, `Южная`).
pub const PART: u8 = 8;

/// Words by the hash of their key, with what they name (a set of the bits above).
pub struct Gazetteer {
    words: HashMap<u64, u8>,
}

static GLOBAL: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::from_kb(KnowledgeBase::global()));

impl Gazetteer {
    /// The gazetteer of the compiled-in knowledge base, built on first use (empty when the
    /// knowledge base cannot be read).
    pub fn global() -> &'static Gazetteer {
        &GLOBAL
    }

    /// The words of `kb`'s aliases.
    pub fn from_kb(kb: &KnowledgeBase) -> Gazetteer {
        let mut words: HashMap<u64, u8> = HashMap::new();
        for entity in kb.entities() {
            for alias in &entity.aliases {
                let parts: Vec<&str> = tokenize(&alias.text)
                    .filter(|t| t.kind == TokenKind::Word)
                    .map(|t| t.text)
                    .collect();
                let bits = match (entity.kind, parts.len()) {
                    (EntityKind::Person, _) => PERSON,
                    (EntityKind::Organisation, 1) => ORGANISATION,
                    (EntityKind::Place, 1) => PLACE,
                    _ => PART,
                };
                // A surname alone is a person's word like any other; abbreviations of two
                // letters are too short to say anything.
                if alias.form == AliasForm::Abbreviation && alias.text.chars().count() < 3 {
                    continue;
                }
                let lang = alias.language.unwrap_or(Language::Und);
                for part in parts {
                    for key in keys(part, lang, alias.script) {
                        *words.entry(key).or_default() |= bits;
                    }
                }
            }
        }
        Gazetteer { words }
    }

    /// What the word with this key hash names (0 when it is not in the gazetteer).
    pub fn bits(&self, key: u64) -> u8 {
        self.words.get(&key).copied().unwrap_or(0)
    }

    /// How many distinct keys it holds.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The hashes of a word's key and of its stem's key, as the tagger computes them.
fn keys(word: &str, lang: Language, script: Script) -> Vec<u64> {
    let lower = lowercase(word, lang);
    let key = translit::key(&lower);
    let mut out = vec![hash_bytes(key.as_bytes())];
    if let Some(stemmer) = stem::stemmer(lang, script) {
        let stem = stemmer.stem(&lower);
        if stem.len() != lower.len() {
            out.push(hash_bytes(translit::key(&stem).as_bytes()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_of(word: &str, lang: Language, script: Script) -> u8 {
        keys(word, lang, script)
            .into_iter()
            .fold(0, |b, k| b | Gazetteer::global().bits(k))
    }

    #[test]
    fn names_are_found_inflected_and_in_other_scripts() {
        if KnowledgeBase::try_global().is_err() {
            println!("skipped: the knowledge base does not read");
            return;
        }
        assert!(!Gazetteer::global().is_empty());
        assert_ne!(bits_of("Ташкент", Language::Ru, Script::Cyrl) & PLACE, 0);
        assert_ne!(bits_of("Казахстана", Language::Ru, Script::Cyrl) & PLACE, 0);
        assert_ne!(bits_of("Китая", Language::Ru, Script::Cyrl) & PLACE, 0);
        assert_ne!(bits_of("Тошкентга", Language::Uz, Script::Cyrl) & PLACE, 0);
        assert_ne!(bits_of("Токаева", Language::Ru, Script::Cyrl) & PERSON, 0);
        assert_eq!(bits_of("вчера", Language::Ru, Script::Cyrl), 0);
    }
}
