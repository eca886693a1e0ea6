//! Query parsing: a search string as a person types it, in any language and script, turned
//! into the store's [`SearchQuery`] terms.
//!
//! Each word of the query becomes one OR-group, and an article must match every group (see
//! [`SearchQuery::terms`]). A group holds:
//! - the word's [`word_terms`] in each language the word could be written in, judged by its
//!   script (a Cyrillic word could be Russian, Kazakh, Uzbek, Ukrainian, Kyrgyz or Tajik; a Latin
//!   one English, German, Uzbek, Kazakh or Turkish), because a query is too short to identify
//!   its language and the articles were indexed with their own language's stemmer. With a
//!   language filter only that language's terms are used;
//! - the `e:<id>` term of every entity the word names, alone or in a run of up to four words
//!   (`Shavkat Mirziyoyev`, `Тоқаев`, `Astana`): looked up by matching key, stemmed or not, in
//!   the knowledge base ([`KnowledgeBase::global`]) and among the store's entities added with
//!   [`QueryParser::add_entities`]. Articles are indexed under `e:<id>` at every linked
//!   mention, so `Astana` also finds an Uzbek article that says `Остона`, and `Тоқаев` every
//!   article that links Tokayev, whatever the language, spelling or inflection. A run that
//!   names an entity adds its term to each of its words' groups, so an article that links the
//!   entity matches the whole run even where it wrote the surname alone.
//!
//! An explicit `e:<id>` in the query (`e:kb:person/tokayev`) is one group of that term alone.
//! Quoted phrases are not matched as phrases yet (the index keeps no positions to check word
//! order against): their words are groups like any others, so `"water talks"` means
//! `water talks`. Punctuation is ignored.
//!
//! This module does not run the search, parse filters or rank: the caller sets
//! [`SearchQuery::filter`] and the store ranks.

use std::collections::HashMap;

use xabar_annotate::kb::{AliasForm, KnowledgeBase, fold, name_key};
use xabar_core::{EntityId, Language, Script};
use xabar_store::{Entity, SearchQuery};
use xabar_text::script::dominant_script;
use xabar_text::stem::stemmer;
use xabar_text::token::{TokenKind, lowercase, tokenize};
use xabar_text::translit::key;

use crate::terms::{entity_term, word_terms};

/// The languages a Cyrillic query word is looked up in.
pub const CYRILLIC_LANGUAGES: &[Language] = &[
    Language::Ru,
    Language::Kk,
    Language::Uz,
    Language::Uk,
    Language::Ky,
    Language::Tg,
];

/// The languages a Latin query word is looked up in.
pub const LATIN_LANGUAGES: &[Language] = &[
    Language::En,
    Language::De,
    Language::Uz,
    Language::Kk,
    Language::Tr,
];

/// The longest run of query words looked up as one name.
const MAX_NAME_WORDS: usize = 4;

/// The most entities one run of words may add: a name shared by more is too vague to widen a
/// search with.
const MAX_ENTITIES_PER_NAME: usize = 4;

/// Why a query could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The query has text but no word, number or entity id to search for.
    #[error("the query {0:?} has no words to search for")]
    NoWords(String),
    /// An explicit entity term without an id (`e:`).
    #[error("{0:?} names no entity: write e:<id>, e.g. e:kb:person/tokayev")]
    EmptyEntity(String),
}

/// One group of a parsed query: what the person typed and what it is looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryGroup {
    /// The word (or explicit entity term) as typed.
    pub text: String,
    /// Its search terms, word terms first, then entity terms; no duplicates.
    pub terms: Vec<String>,
    /// The entities it was found to name.
    pub entities: Vec<EntityId>,
}

/// A query as the store runs it: an AND of [`QueryGroup`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// The groups, in query order.
    pub groups: Vec<QueryGroup>,
}

impl ParsedQuery {
    /// The terms for [`SearchQuery::terms`].
    pub fn terms(&self) -> Vec<Vec<String>> {
        self.groups.iter().map(|g| g.terms.clone()).collect()
    }

    /// A search for this query with the default filter, page and snippet style.
    pub fn to_search(&self) -> SearchQuery {
        SearchQuery {
            terms: self.terms(),
            ..SearchQuery::default()
        }
    }

    /// Every entity some group names, each once, in query order.
    pub fn entities(&self) -> Vec<EntityId> {
        let mut out: Vec<EntityId> = Vec::new();
        for e in self.groups.iter().flat_map(|g| &g.entities) {
            push_new(&mut out, e);
        }
        out
    }
}

/// Turns query strings into search terms; holds the names it resolves entities by.
#[derive(Debug)]
pub struct QueryParser<'k> {
    kb: &'k KnowledgeBase,
    /// Store entities by the [`name_key`] of their names and aliases.
    known: HashMap<String, Vec<EntityId>>,
    /// The languages to look words up in, when the search is limited to one.
    language: Option<Language>,
}

impl Default for QueryParser<'static> {
    fn default() -> QueryParser<'static> {
        QueryParser::new()
    }
}

impl QueryParser<'static> {
    /// A parser over the compiled-in knowledge base.
    pub fn new() -> QueryParser<'static> {
        QueryParser::with_knowledge_base(KnowledgeBase::global())
    }
}

impl<'k> QueryParser<'k> {
    /// A parser over a knowledge base of the caller's.
    pub fn with_knowledge_base(kb: &'k KnowledgeBase) -> QueryParser<'k> {
        QueryParser {
            kb,
            known: HashMap::new(),
            language: None,
        }
    }

    /// Looks words up in `language` only (for a search filtered to it), rather than in every
    /// language of the word's script.
    pub fn language(mut self, language: Option<Language>) -> QueryParser<'k> {
        self.language = language.filter(|l| *l != Language::Und);
        self
    }

    /// Adds entities the store knows (those found in the stream, `x:` ids, and knowledge-base
    /// entities with the spellings the stream used), so that their names resolve too.
    pub fn add_entities<'e>(&mut self, entities: impl IntoIterator<Item = &'e Entity>) {
        for entity in entities {
            let names = std::iter::once(entity.name.as_str())
                .chain(entity.native_name.as_deref())
                .chain(entity.aliases.iter().map(|a| a.text.as_str()));
            for name in names {
                let k = name_key(name);
                if k.is_empty() {
                    continue;
                }
                push_new(self.known.entry(k).or_default(), &entity.id);
            }
        }
    }

    /// Parses a query (see the module docs). A blank query is an empty [`ParsedQuery`] (a
    /// store lists the filtered articles for it); a query with text but nothing to search
    /// for is an error.
    pub fn parse(&self, query: &str) -> Result<ParsedQuery, QueryError> {
        let mut groups: Vec<QueryGroup> = Vec::new();
        // Runs of plain words between explicit entity terms, resolved to names run by run.
        let mut run: Vec<String> = Vec::new();
        for piece in query.split_whitespace() {
            let bare = piece.trim_matches(|c: char| matches!(c, '"' | '«' | '»' | '“' | '”'));
            if let Some(id) = bare.strip_prefix("e:") {
                if id.is_empty() {
                    return Err(QueryError::EmptyEntity(piece.to_string()));
                }
                self.flush(&mut run, &mut groups);
                groups.push(QueryGroup {
                    text: bare.to_string(),
                    terms: vec![bare.to_string()],
                    entities: vec![EntityId(id.to_string())],
                });
                continue;
            }
            for token in tokenize(piece) {
                if token.kind != TokenKind::Punct {
                    run.push(token.text.to_string());
                }
            }
        }
        self.flush(&mut run, &mut groups);
        if groups.is_empty() && !query.trim().is_empty() {
            return Err(QueryError::NoWords(query.trim().to_string()));
        }
        Ok(ParsedQuery { groups })
    }

    /// The entities a name (`Tokayev`, `Тоқаев`, `Shavkat Mirziyoyev`, `kb:place/astana`)
    /// resolves to, the whole name first and then, when that finds nothing, its longest
    /// parts; empty when none.
    pub fn resolve_entity(&self, name: &str) -> Vec<EntityId> {
        let name = name.trim();
        if self.kb.get(name).is_some() || name.starts_with("x:") || name.starts_with("kb:") {
            return vec![EntityId(name.to_string())];
        }
        let words: Vec<String> = tokenize(name)
            .filter(|t| t.kind != TokenKind::Punct)
            .map(|t| t.text.to_string())
            .collect();
        let whole = self.lookup(&words);
        if !whole.is_empty() {
            return whole;
        }
        let mut out = Vec::new();
        for (_, _, ids) in self.names_in(&words) {
            for id in &ids {
                push_new(&mut out, id);
            }
        }
        out
    }

    /// Turns a run of words into groups, with the entities its names resolve to.
    fn flush(&self, run: &mut Vec<String>, groups: &mut Vec<QueryGroup>) {
        if run.is_empty() {
            return;
        }
        let first = groups.len();
        for word in run.iter() {
            groups.push(QueryGroup {
                text: word.clone(),
                terms: self.word_terms(word),
                entities: Vec::new(),
            });
        }
        for (start, end, ids) in self.names_in(run) {
            for group in &mut groups[first + start..first + end] {
                for id in &ids {
                    let term = entity_term(id);
                    if !group.terms.contains(&term) {
                        group.terms.push(term);
                        group.entities.push(id.clone());
                    }
                }
            }
        }
        groups.retain(|g| !g.terms.is_empty());
        run.clear();
    }

    /// The terms of one word over its plausible languages, without duplicates.
    fn word_terms(&self, word: &str) -> Vec<String> {
        let mut terms: Vec<String> = Vec::new();
        for &language in self.languages_of(word) {
            for term in &word_terms(word, language) {
                push_new(&mut terms, term);
            }
        }
        terms
    }

    fn languages_of(&self, word: &str) -> &[Language] {
        if let Some(language) = &self.language {
            return std::slice::from_ref(language);
        }
        match dominant_script(word) {
            Script::Cyrl => CYRILLIC_LANGUAGES,
            Script::Latn => LATIN_LANGUAGES,
            _ => &[Language::Und],
        }
    }

    /// The runs of `words` that name entities, longest first from left to right, as
    /// `(start, end, entities)` with word indexes.
    fn names_in(&self, words: &[String]) -> Vec<(usize, usize, Vec<EntityId>)> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let longest = (i + MAX_NAME_WORDS).min(words.len());
            let hit = (i + 1..=longest).rev().find_map(|end| {
                let ids = self.lookup(&words[i..end]);
                (!ids.is_empty()).then_some((end, ids))
            });
            match hit {
                Some((end, ids)) => {
                    found.push((i, end, ids));
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The entities a run of words names: by the key of the words as written, then by the
    /// keys of their stems in each plausible language (`Тоқаевтың` → `тоқаев`), then an
    /// abbreviation written exactly (`ЕАЭС`).
    fn lookup(&self, words: &[String]) -> Vec<EntityId> {
        if words.is_empty() || words.iter().all(|w| !w.chars().any(char::is_alphabetic)) {
            return Vec::new();
        }
        let mut ids: Vec<EntityId> = Vec::new();
        let mut keys: Vec<String> = vec![name_key(&words.join(" "))];
        let languages = self.languages_of(&words[words.len() - 1]);
        for &language in languages {
            let stemmed: Vec<String> = words
                .iter()
                .map(|w| {
                    let lower = lowercase(w, language);
                    match stemmer(language, dominant_script(&lower)) {
                        Some(s) => key(&s.stem(&lower)),
                        None => key(&lower),
                    }
                })
                .collect();
            if stemmed.iter().all(|k| !k.is_empty()) {
                push_new(&mut keys, &stemmed.join(" "));
            }
        }
        for k in keys.iter().filter(|k| !k.is_empty()) {
            // A one-word key of two letters (`al`, `ul`) meets too many names by chance.
            if !k.contains(' ') && k.chars().count() < 3 {
                continue;
            }
            for hit in self.kb.by_key(k) {
                push_new(&mut ids, &hit.entity.id);
            }
            for id in self.known.get(k).into_iter().flatten() {
                push_new(&mut ids, id);
            }
        }
        if ids.is_empty() && words.len() == 1 {
            let word = &words[0];
            for hit in self.kb.by_folded(&fold(word)) {
                // Abbreviations and other short names fold to ordinary words (`US`, `us`;
                // `UN`, `un`): only their exact spelling counts.
                let loose = hit.alias.form != AliasForm::Abbreviation && word.chars().count() > 3;
                if loose || hit.alias.text == *word {
                    push_new(&mut ids, &hit.entity.id);
                }
            }
        }
        if ids.len() > MAX_ENTITIES_PER_NAME {
            ids.clear();
        }
        ids
    }
}

/// Appends `item` unless `list` has it: the lists here are short and keep their order.
fn push_new<T: PartialEq + Clone>(list: &mut Vec<T>, item: &T) {
    if !list.contains(item) {
        list.push(item.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xabar_core::EntityKind;
    use xabar_store::Alias;

    fn tokayev() -> EntityId {
        EntityId("kb:person/tokayev".into())
    }

    #[test]
    fn every_spelling_of_a_name_resolves_to_one_entity() {
        let parser = QueryParser::new();
        for spelling in [
            "Tokayev",
            "Toqajew",
            "Тоқаев",
            "Тўқаев",
            "Токаев",
            "Тоқаевтың",
            "Токаева",
        ] {
            let parsed = parser.parse(spelling).unwrap();
            assert_eq!(parsed.groups.len(), 1, "{spelling}");
            assert!(
                parsed.groups[0].entities.contains(&tokayev()),
                "{spelling}: {:?}",
                parsed.groups[0]
            );
            assert!(parsed.groups[0].terms.contains(&"tokaev".to_string()));
            assert!(
                parsed.groups[0]
                    .terms
                    .contains(&"e:kb:person/tokayev".to_string())
            );
        }
    }

    #[test]
    fn a_full_name_marks_each_of_its_words() {
        let parser = QueryParser::new();
        let parsed = parser.parse("Shavkat Mirziyoyev water").unwrap();
        assert_eq!(parsed.groups.len(), 3);
        let e = &parsed.groups[0].entities;
        assert_eq!(e, &parsed.groups[1].entities);
        assert!(e.iter().any(|id| id.0.contains("mirziyoyev")), "{e:?}");
        assert!(parsed.groups[2].entities.is_empty());
    }

    #[test]
    fn words_take_the_terms_of_every_language_of_their_script() {
        let parser = QueryParser::new();
        let parsed = parser.parse("водохранилище").unwrap();
        let mut expected: Vec<String> = Vec::new();
        for &l in CYRILLIC_LANGUAGES {
            for t in word_terms("водохранилище", l) {
                if !expected.contains(&t) {
                    expected.push(t);
                }
            }
        }
        assert_eq!(parsed.groups[0].terms, expected);
        let ru = QueryParser::new().language(Some(Language::Ru));
        assert_eq!(
            ru.parse("водохранилище").unwrap().groups[0].terms,
            word_terms("водохранилище", Language::Ru)
        );
    }

    #[test]
    fn explicit_entity_terms_and_quotes_pass_through() {
        let parser = QueryParser::new();
        let parsed = parser.parse("\"water talks\" e:x:42").unwrap();
        assert_eq!(parsed.groups.len(), 3);
        assert_eq!(parsed.groups[0].text, "water");
        assert_eq!(parsed.groups[2].terms, vec!["e:x:42".to_string()]);
        assert_eq!(parsed.groups[2].entities, vec![EntityId("x:42".into())]);
        assert!(matches!(
            parser.parse("e:"),
            Err(QueryError::EmptyEntity(_))
        ));
        assert!(matches!(parser.parse(" — !"), Err(QueryError::NoWords(_))));
        // Short names and abbreviations count only as written: `us` is a word, `US` a country.
        assert!(parser.parse("us").unwrap().groups[0].entities.is_empty());
        assert_eq!(
            parser.parse("US").unwrap().groups[0].entities,
            vec![EntityId("kb:place/us".into())]
        );
        assert_eq!(
            parser.parse("ООН").unwrap().groups[0].entities,
            vec![EntityId("kb:org/un".into())]
        );
        assert!(parser.parse("   ").unwrap().groups.is_empty());
    }

    #[test]
    fn store_entities_resolve_by_their_aliases() {
        let mut parser = QueryParser::new();
        let entity = Entity {
            id: EntityId("x:7".into()),
            kind: EntityKind::Person,
            name: "Yerlan Zhaksybekov".into(),
            native_name: None,
            aliases: vec![Alias {
                text: "Жақсыбеков".into(),
                language: Language::Kk,
                script: Script::Cyrl,
                count: 3,
            }],
            mentions: 3,
            articles: 2,
        };
        parser.add_entities([&entity]);
        let parsed = parser.parse("Жақсыбеков").unwrap();
        assert_eq!(parsed.groups[0].entities, vec![EntityId("x:7".into())]);
        assert_eq!(
            parser.resolve_entity("Yerlan Zhaksybekov"),
            vec![EntityId("x:7".into())]
        );
        assert_eq!(parser.resolve_entity("kb:person/tokayev"), vec![tokayev()]);
        assert_eq!(parser.resolve_entity("Toqajew"), vec![tokayev()]);
    }

    #[test]
    fn arbitrary_queries_never_panic() {
        let parser = QueryParser::new();
        for q in [
            "",
            "'",
            "ʻʻʻ",
            "e:e:",
            "-",
            "a-b-c-d-e-f",
            "Oʻzbekiston",
            "١٢٣",
            "🙂 x",
        ] {
            let _ = parser.parse(q);
            let _ = parser.resolve_entity(q);
        }
    }
}
