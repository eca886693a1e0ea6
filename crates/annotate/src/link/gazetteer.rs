//! The knowledge base as a gazetteer: every alias indexed by the matching keys of its words,
//! as written and as bases (see [`super::names`]), so that a run of words in any language,
//! script and case form finds the entities it may name.
//!
//! Built once from [`KnowledgeBase::global`]. Abbreviations (`ЕАЭС`, `ООН`, `US`) are kept
//! apart and matched by their folded letters, only on words written with two capitals or more,
//! so that `US` does not meet `us`. A person's name is also indexed by its parts, so that a
//! linker can check a surname against the given name written beside it.

use std::sync::LazyLock;

use xabar_core::{EntityKind, Language, Script};
use xabar_text::token::{TokenKind, tokenize};

use super::lexicon::{TableMap, TableSet};
use super::names::{PersonParts, WordKeys, skeleton, uppercase_letters};
use crate::kb::{AliasForm, Category, KbEntity, KnowledgeBase, fold};

/// One alias of one entity, as indexed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Index into [`KnowledgeBase::entities`].
    pub entity: u32,
    pub form: AliasForm,
    pub language: Option<Language>,
    pub script: Script,
}

/// A person of the knowledge base by the parts of one spelling of the name.
#[derive(Debug, Clone)]
pub(crate) struct KbPerson {
    pub entity: u32,
    pub parts: PersonParts,
}

/// The knowledge base's aliases, indexed for matching runs of words.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    /// Aliases by the full keys of their words, joined by spaces.
    full: TableMap<Box<str>, Vec<Entry>>,
    /// Aliases by the base keys of their words.
    base: TableMap<Box<str>, Vec<Entry>>,
    /// The joined keys (full or base) of every proper prefix of a multi-word alias.
    prefixes: TableSet<Box<str>>,
    /// The most words an alias has.
    pub max_words: usize,
    /// Abbreviations by [`fold`].
    abbreviations: TableMap<Box<str>, Vec<Entry>>,
    /// Persons by the [`skeleton`] of their surname's loose key.
    surnames: TableMap<Box<str>, Vec<KbPerson>>,
    /// Loose keys of the given names of the knowledge base's persons.
    given_names: TableSet<Box<str>>,
}

/// What a run of words matched.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    /// Candidate entities (indices into the knowledge base), best first.
    pub entities: Vec<u32>,
    /// Whether the best candidate matched by the words as written (not by their bases).
    pub exact: bool,
    /// Whether the best candidate matched only by a surname alone.
    pub surname_only: bool,
    /// Whether it matched as an abbreviation.
    pub abbreviation: bool,
}

pub(crate) static GAZETTEER: LazyLock<Gazetteer> =
    LazyLock::new(|| Gazetteer::build(KnowledgeBase::global()));

/// Whether an alias is matched as an abbreviation: so marked, or a short name in capitals
/// (`ООН`, `РФ`, `USA`).
fn is_abbreviation(text: &str, form: AliasForm) -> bool {
    if form == AliasForm::Abbreviation {
        return true;
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 6
        && !text.contains(' ')
        && uppercase_letters(text) >= 2.min(letters)
        && uppercase_letters(text) * 2 > letters
}

impl Gazetteer {
    fn build(kb: &KnowledgeBase) -> Gazetteer {
        let mut g = Gazetteer::default();
        for (index, entity) in kb.entities().iter().enumerate() {
            let index = index as u32;
            for alias in &entity.aliases {
                let entry = Entry {
                    entity: index,
                    form: alias.form,
                    language: alias.language,
                    script: alias.script,
                };
                if is_abbreviation(&alias.text, alias.form) {
                    push(&mut g.abbreviations, fold(&alias.text), entry);
                    continue;
                }
                let language = alias.language.unwrap_or(Language::Und);
                let words: Vec<WordKeys> = tokenize(&alias.text)
                    .filter(|t| t.kind != TokenKind::Punct)
                    .map(|t| WordKeys::of(t.text, language))
                    .collect();
                if words.is_empty() {
                    continue;
                }
                g.max_words = g.max_words.max(words.len());
                let mut full = String::new();
                let mut base = String::new();
                for (i, w) in words.iter().enumerate() {
                    if i > 0 {
                        g.prefixes.insert(full.as_str().into());
                        g.prefixes.insert(base.as_str().into());
                        full.push(' ');
                        base.push(' ');
                    }
                    full.push_str(&w.full);
                    base.push_str(&w.base);
                }
                push(&mut g.full, full, entry);
                push(&mut g.base, base, entry);
            }
            if entity.kind == EntityKind::Person {
                g.index_person(index, entity);
            }
        }
        g
    }

    fn index_person(&mut self, index: u32, entity: &KbEntity) {
        for name in &entity.names {
            let language = name.language.unwrap_or(Language::En);
            // Parsed in the usual order (surname last) whatever order the name is written in.
            let written = match &name.given {
                Some(given) => format!("{given} {}", name.surname),
                None => name.surname.clone(),
            };
            let Some(parts) = PersonParts::parse_nominative(&written, language) else {
                continue;
            };
            for given in &parts.given {
                self.given_names.insert((*given.loose).into());
            }
            let list = self
                .surnames
                .entry(skeleton(&parts.surname.loose).into_boxed_str())
                .or_default();
            list.push(KbPerson {
                entity: index,
                parts,
            });
        }
    }

    /// The entries of the aliases a run of words of `language` may be, by the joined full
    /// keys (`full`) and base keys (`base`) of its words. The flag says whether an entry
    /// matched as written. An inflected form (`base` differs from `full`) meets an alias of any
    /// language as written (Uzbek `Россияга` meets Russian `Россия`), but the base of an alias
    /// only in the same language: bases are cut by each language's rules, and across languages
    /// they meet by accident (German `Schutz` and Russian `Шуша`).
    pub fn lookup(&self, full: &str, base: &str, language: Language) -> Vec<(Entry, bool)> {
        let mut out: Vec<(Entry, bool)> = Vec::new();
        if let Some(entries) = self.full.get(full) {
            out.extend(entries.iter().map(|e| (*e, true)));
        }
        if base != full {
            if let Some(entries) = self.full.get(base) {
                out.extend(entries.iter().map(|e| (*e, false)));
            }
            if let Some(entries) = self.base.get(base) {
                out.extend(
                    entries
                        .iter()
                        .filter(|e| e.language.is_none_or(|l| l == language))
                        .map(|e| (*e, false)),
                );
            }
        }
        out
    }

    /// Whether some longer alias starts with these joined keys.
    pub fn is_prefix(&self, full: &str, base: &str) -> bool {
        self.prefixes.contains(full) || self.prefixes.contains(base)
    }

    /// The abbreviation `word` may be: the word itself, or a capitalised head with a lowercase
    /// case ending (`АҚШнинг`, `МИДа`).
    pub fn abbreviation(&self, word: &str) -> Option<&[Entry]> {
        if uppercase_letters(word) < 2 {
            return None;
        }
        if let Some(entries) = self.abbreviations.get(fold(word).as_str()) {
            return Some(entries);
        }
        let last_upper = word
            .char_indices()
            .filter(|(_, c)| c.is_uppercase())
            .map(|(i, c)| i + c.len_utf8())
            .next_back()?;
        let (head, tail) = word.split_at(last_upper);
        if tail.is_empty() || tail.chars().count() > 6 || !tail.chars().all(char::is_lowercase) {
            return None;
        }
        self.abbreviations
            .get(fold(head).as_str())
            .map(Vec::as_slice)
    }

    /// The persons whose surname's loose key has the [`skeleton`] of `loose`: the
    /// candidates a surname is compared with.
    pub fn persons_by_surname(&self, loose: &str) -> &[KbPerson] {
        self.surnames
            .get(skeleton(loose).as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether a loose key is a given name of some person of the knowledge base.
    pub fn is_given_name(&self, loose: &str) -> bool {
        self.given_names.contains(loose)
    }

    /// Ranks the entries of one match for a text in `language` and `script`: the candidate
    /// entities, best first.
    pub fn rank(
        &self,
        kb: &KnowledgeBase,
        entries: &[(Entry, bool)],
        language: Language,
        script: Script,
        abbreviation: bool,
    ) -> Option<Hit> {
        let mut best: Vec<(u32, i32, bool, bool)> = Vec::new();
        for &(entry, exact) in entries {
            let score = i32::from(exact) * 8
                + i32::from(entry.language == Some(language)) * 4
                + i32::from(entry.script == script) * 2
                + i32::from(entry.form != AliasForm::Surname);
            let surname = entry.form == AliasForm::Surname;
            match best.iter_mut().find(|b| b.0 == entry.entity) {
                Some(b) => {
                    if score > b.1 {
                        *b = (entry.entity, score, exact, surname);
                    } else if score == b.1 {
                        b.3 &= surname;
                    }
                }
                None => best.push((entry.entity, score, exact, surname)),
            }
        }
        let entities = kb.entities();
        best.sort_by_key(|&(e, score, _, _)| {
            let priority = entities
                .get(e as usize)
                .and_then(|e| e.category)
                .map_or(0, category_priority);
            (std::cmp::Reverse(score), std::cmp::Reverse(priority), e)
        });
        let &(_, _, exact, surname_only) = best.first()?;
        Some(Hit {
            entities: best.iter().map(|b| b.0).collect(),
            exact,
            surname_only,
            abbreviation,
        })
    }
}

/// Which of two places or organisations of one name a bare mention more likely means.
fn category_priority(category: Category) -> u8 {
    match category {
        Category::Country => 9,
        Category::International => 8,
        Category::City => 7,
        Category::Region => 6,
        Category::WorldRegion => 5,
        Category::Government => 5,
        Category::Territory => 4,
        Category::NewsAgency | Category::Media | Category::Company | Category::Party => 4,
        Category::River | Category::Lake | Category::Sea | Category::Reservoir => 3,
    }
}

fn push(map: &mut TableMap<Box<str>, Vec<Entry>>, key: String, entry: Entry) {
    if key.is_empty() {
        return;
    }
    let list = map.entry(key.into_boxed_str()).or_default();
    // One entry per entity and form is enough to rank.
    if !list
        .iter()
        .any(|e| e.entity == entry.entity && e.form == entry.form && e.language == entry.language)
    {
        list.push(entry);
    }
}
