//! Search terms: what a word of an article is indexed under, and what a word of a query is
//! looked up by. Both sides call [`word_terms`], so they always agree.
//!
//! # The scheme
//!
//! A word (or number) gives at most three terms, in this order:
//! - the **key of its stem**: the word lowercased for its language
//!   ([`xabar_text::token::lowercase`]), stemmed by the stemmer for its language and the
//!   word's own script ([`xabar_text::stem::stemmer`]; no stemmer, no stemming), written as
//!   its script-independent matching key ([`xabar_text::translit::key`]), and finally with a
//!   `y` or `j` between two vowels dropped: transliteration standards disagree on whether and
//!   how to write that glide (`Tokayev`, `Tokaev`, `Toqajew`). So `Тоқаевтың` (kk),
//!   `Тўқаевнинг` (uz), `Токаева` (ru), `Toqajew` (de) and `Tokayev` (en) all give `tokaev`;
//! - the **key of the whole word**, folded the same way: stemmers of different languages cut
//!   names differently (Russian Snowball cuts `Токаев` to `тока`), and this term lets the
//!   uninflected form of a name meet the stems of the other languages;
//! - its **stem**: the lowercased stem in the word's own script (`тоқаев`, `токаев`), which
//!   is exact where the keys are loose.
//!
//! Equal terms appear once (for most Latin words the three are one or two). Terms are plain lowercase
//! strings, never empty; the store treats them as opaque (see [`xabar_store::terms`]).
//!
//! An article is indexed under every word's terms at the word's byte span (a hyphenated
//! compound under its whole form and under each part, so that `Жомарт` finds
//! `Қасым-Жомарт`), and under `e:<entity id>` ([`entity_term`]) at the span of each mention
//! linked to an entity, so that a query can ask for the entity itself whatever its spelling.
//!
//! A query word in an unknown language ([`Language::Und`]) is not stemmed: a caller that can
//! guess the query's language should pass it, or take the union of the terms for the
//! languages it searches.

use std::collections::HashMap;

use xabar_annotate::Annotations;
use xabar_core::{Article, EntityId, Language};
use xabar_store::{ArticleRecord, IndexedTerm};
use xabar_text::script::dominant_script;
use xabar_text::stem::stemmer;
use xabar_text::token::{TokenKind, lowercase, tokenize};
use xabar_text::translit::key;

/// The search terms of one word in `language`: its folded key and its lowercased stem (see
/// the module docs), without duplicates; empty for a word with no letter or digit.
pub fn word_terms(word: &str, language: Language) -> Vec<String> {
    let lower = lowercase(word, language);
    let stem = match stemmer(language, dominant_script(&lower)) {
        Some(s) => keep_letters(&lower, &s.stem(&lower)),
        None => lower.to_string(),
    };
    let mut terms = Vec::with_capacity(3);
    for term in [fold_glides(&key(&stem)), fold_glides(&key(&lower)), stem] {
        if term.chars().any(char::is_alphanumeric) && !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// The stem as a prefix of the word it came from, where the stemmer only respelled letters
/// (the Russian Snowball stemmer writes `ё` as `е`, which would part `Мирзиёева` from
/// `Мирзиёев`); any other stem as the stemmer gave it.
fn keep_letters(word: &str, stem: &str) -> String {
    let mut prefix = word.chars();
    let same = stem.chars().all(|s| {
        prefix
            .next()
            .is_some_and(|w| w == s || (w == 'ё' && s == 'е'))
    });
    if same {
        let n = stem.chars().count();
        word.chars().take(n).collect()
    } else {
        stem.to_string()
    }
}

/// The term of a linked entity: `e:` and its id.
pub fn entity_term(entity: &EntityId) -> String {
    format!("e:{}", entity.0)
}

/// Every search term of an article with the span it comes from: the terms of each word and
/// number of the clean text, and an [`entity_term`] at each linked mention.
pub fn index_terms(article: &Article, annotations: &Annotations) -> Vec<IndexedTerm> {
    let text = &article.text;
    let mut out = Vec::with_capacity(text.len() / 4);
    // An article repeats its words; stemming and keying each distinct form once halves the
    // cost of indexing.
    let mut seen: HashMap<&str, Vec<String>> = HashMap::new();
    let mut push = |word: &str, start: usize, end: usize, out: &mut Vec<IndexedTerm>| {
        let terms = seen
            .entry(&text[start..end])
            .or_insert_with(|| word_terms(word, article.language));
        for term in terms.iter() {
            out.push(IndexedTerm {
                term: term.clone(),
                start,
                end,
            });
        }
    };
    for token in tokenize(text) {
        if token.kind == TokenKind::Punct {
            continue;
        }
        push(token.text, token.span.start, token.span.end, &mut out);
        if token.is_compound() {
            for part in token.parts() {
                if part.span.start < part.span.end {
                    push(part.text, part.span.start, part.span.end, &mut out);
                }
            }
        }
    }
    for mention in &annotations.mentions {
        if let Some(entity) = &mention.entity
            && mention.start < mention.end
            && mention.end <= text.len()
        {
            out.push(IndexedTerm {
                term: entity_term(entity),
                start: mention.start,
                end: mention.end,
            });
        }
    }
    out
}

/// The store's record of an analyzed article: its text and metadata, its annotations and its
/// [`index_terms`].
pub fn record(article: &Article, annotations: &Annotations) -> ArticleRecord {
    let mut record = ArticleRecord::from_article(article);
    record.terms = index_terms(article, annotations);
    record.mentions = annotations.mentions.clone();
    record.quotes = annotations.quotes.clone();
    record.dates = annotations.dates.clone();
    record.events = annotations.events.clone();
    record
}

/// Drops a `y` or `j` standing between two vowels of a key (`tokayev`, `tokajev` → `tokaev`).
fn fold_glides(key: &str) -> String {
    let bytes = key.as_bytes();
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let mut out = String::with_capacity(key.len());
    for (i, c) in key.char_indices() {
        if matches!(c, 'y' | 'j')
            && i > 0
            && vowel(bytes[i - 1])
            && bytes.get(i + 1).copied().is_some_and(vowel)
        {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether two words in their languages share a term.
    fn meet(a: (&str, Language), b: (&str, Language)) -> bool {
        let b = word_terms(b.0, b.1);
        word_terms(a.0, a.1).iter().any(|t| b.contains(t))
    }

    #[test]
    fn one_name_in_every_script_and_inflection_meets() {
        let cases = [
            ("Тоқаев", Language::Kk),
            ("Тоқаевтың", Language::Kk),
            ("Тўқаев", Language::Uz),
            ("Тўқаевнинг", Language::Uz),
            ("Токаев", Language::Ru),
            ("Токаева", Language::Ru),
            ("Toqajew", Language::De),
            ("Tokayev", Language::En),
            ("Tokayev's", Language::En),
            ("Tokaev", Language::En),
        ];
        for a in cases {
            for b in cases {
                assert!(meet(a, b), "{a:?} and {b:?}");
            }
        }
        assert!(!meet(("Токаев", Language::Ru), ("Тоқтаров", Language::Kk)));
    }

    #[test]
    fn the_stem_is_kept_beside_the_key() {
        assert_eq!(
            word_terms("Токаева", Language::Ru),
            ["tokaev", "tokaeva", "токаев"]
        );
        assert_eq!(word_terms("Tokayev", Language::En), ["tokaev", "tokayev"]);
        assert_eq!(
            word_terms("Мирзиёева", Language::Ru),
            ["mirzioev", "mirzioeva", "мирзиёев"]
        );
        assert_eq!(word_terms("tokaev", Language::En), ["tokaev"]);
        assert!(word_terms("—", Language::Ru).is_empty());
        assert_eq!(word_terms("2024", Language::Ru), ["2024"]);
    }

    #[test]
    fn an_article_is_indexed_under_its_words_and_linked_entities() {
        use xabar_annotate::link::Linker;
        use xabar_core::{LanguageIdentifier, RawArticle};
        let raw = RawArticle::text(
            "test",
            "Президент Касым-Жомарт Токаев провёл переговоры в Астане.\n\nТокаева встретили министры.",
        );
        let identifier = xabar_text::langid::Identifier::new();
        let article =
            xabar_ingest::prepare(raw, &identifier as &dyn LanguageIdentifier).expect("prepared");
        let annotator = xabar_annotate::Annotator::new();
        let mut mentions = annotator.recognize(&article);
        Linker::new().link_article(
            &article.id.0,
            article.language,
            article.script,
            &mut mentions,
        );
        let annotations = annotator.finish(&article, mentions);
        let record = record(&article, &annotations);
        let at = |term: &str| -> Vec<&str> {
            record
                .terms
                .iter()
                .filter(|t| t.term == term)
                .map(|t| &article.text[t.start..t.end])
                .collect()
        };
        assert_eq!(at("tokaev"), ["Токаев", "Токаева"]);
        assert_eq!(at("жомарт"), ["Жомарт"]);
        let entity = annotations
            .mentions
            .iter()
            .find(|m| m.text.contains("Токаев"))
            .and_then(|m| m.entity.clone())
            .expect("Tokayev is linked");
        assert!(!at(&entity_term(&entity)).is_empty());
        assert_eq!(record.mentions, annotations.mentions);
        assert!(record.terms.iter().all(|t| t.end <= article.text.len()));
    }

    #[test]
    fn glides_fold_only_between_vowels() {
        assert_eq!(fold_glides("tokayev"), "tokaev");
        assert_eq!(fold_glides("tokajev"), "tokaev");
        assert_eq!(fold_glides("yelsin"), "yelsin");
        assert_eq!(fold_glides("kyiv"), "kyiv");
        assert_eq!(fold_glides("ay"), "ay");
    }
}
