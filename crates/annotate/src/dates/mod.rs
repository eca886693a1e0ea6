//! Date expressions in an article's text, normalized against its published date: absolute and
//! partial dates (`11 ноябрда`, `am 11. November`, `25 октября 1990 года`, `2024 йил ноябрь
//! ойида`, `12-mart`, `March 12, 2025`, `12.03.2025`), ranges (`11-12 ноябрь кунлари`,
//! `с 11 по 22 ноября`, `October 2025 to March 2026`), relative expressions (`кеше`, `үш жыл
//! бұрын`, `в прошлом году`, `next week`, `в пятницу`), durations, ages and repeating sets
//! (`5 жыл бойы`, `24 жастағы`, `жыл сайын`) in the shape of KazNERD's DATE annotation.
//!
//! Words come from per-language data in `data/dates/<lang>.txt` (month and weekday names,
//! units, relative words, number words, modifiers, links, Turkic endings); one grammar reads
//! them all (see [`grammar`]). Values follow ISO 8601 with a few TimeML conventions where ISO
//! has none; the rules for years and relative expressions are in [`value`] and `docs/DATES.md`.
//! This module does not decide what an event's date is: [`crate::events`] does, from these.

mod grammar;
mod lexicon;
mod scan;
mod value;

#[cfg(test)]
mod tests;

use std::sync::LazyLock;

pub use chrono::NaiveDate;
pub use lexicon::DateDataError;
use xabar_core::{DateMention, Language};

use lexicon::Lexicon;

/// One data file per language with date words; other languages get numeric dates only.
const DATA: &[(Language, &str, &str)] = &[
    (Language::De, "de", include_str!("../../data/dates/de.txt")),
    (Language::En, "en", include_str!("../../data/dates/en.txt")),
    (Language::Kk, "kk", include_str!("../../data/dates/kk.txt")),
    (Language::Ky, "ky", include_str!("../../data/dates/ky.txt")),
    (Language::Ru, "ru", include_str!("../../data/dates/ru.txt")),
    (Language::Tg, "tg", include_str!("../../data/dates/tg.txt")),
    (Language::Tr, "tr", include_str!("../../data/dates/tr.txt")),
    (Language::Uk, "uk", include_str!("../../data/dates/uk.txt")),
    (Language::Uz, "uz", include_str!("../../data/dates/uz.txt")),
];

struct Registry {
    lexicons: Vec<(Language, Lexicon)>,
    fallback: Lexicon,
}

static REGISTRY: LazyLock<Result<Registry, DateDataError>> = LazyLock::new(|| {
    let mut lexicons = Vec::with_capacity(DATA.len());
    for &(lang, code, text) in DATA {
        lexicons.push((lang, Lexicon::parse(code, text)?));
    }
    Ok(Registry {
        lexicons,
        fallback: Lexicon::default(),
    })
});

static EMPTY: LazyLock<Lexicon> = LazyLock::new(Lexicon::default);

/// Checks that the compiled-in date data reads; the tests call it, and [`find_dates`] falls
/// back to numeric dates only should it not.
pub fn check_data() -> Result<(), DateDataError> {
    REGISTRY.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// The lexicon for a language: its own, or the empty one (numeric dates only).
fn lexicon(lang: Language) -> &'static Lexicon {
    match REGISTRY.as_ref() {
        Ok(registry) => registry
            .lexicons
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&registry.fallback, |(_, lex)| lex),
        Err(_) => &EMPTY,
    }
}

/// Finds the date expressions in `text` (clean text of an article in `lang`), normalized
/// against `published`.
///
/// Spans are byte offsets into `text`. Prepositions (`в`, `am`, `on`) are left out of a span;
/// Turkic postpositions (`дейін`, `бері`, `бұрын`) and the year word (`жылы`, `году`) are in it;
/// a month or day word after a date (`айында`, `күні`, `кунлари`) is not. Expressions whose
/// value needs the published date (`кеше`, `next week`, weekdays) are left out when it is
/// `None`. See [`value`] for the value rules.
pub fn find_dates(text: &str, lang: Language, published: Option<NaiveDate>) -> Vec<DateMention> {
    let lex = lexicon(lang);
    if lex.is_empty() && !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let atoms = scan::atoms(text, lex);
    let found = grammar::parse(&atoms, lex.orders);
    let mut out = Vec::with_capacity(found.len());
    for f in found {
        let (Some(first), Some(last)) = (atoms.get(f.first), atoms.get(f.last)) else {
            continue;
        };
        let (start, end) = (first.start, last.end);
        if start >= end {
            continue;
        }
        let Some(span_text) = text.get(start..end) else {
            continue;
        };
        let future = needs_tense(&f.node) && crate::events::sentence_is_future(text, start, lang);
        let ctx = value::Context { published, future };
        if let Some(value) = value::render(&f.node, ctx) {
            out.push(DateMention {
                start,
                end,
                text: span_text.to_string(),
                value,
            });
        }
    }
    out
}

fn needs_tense(node: &grammar::Node) -> bool {
    match node {
        grammar::Node::Weekday(_, 0) => true,
        grammar::Node::Range(a, b) => needs_tense(a) || needs_tense(b),
        grammar::Node::Since(a) | grammar::Node::Until(a) => needs_tense(a),
        _ => false,
    }
}

/// Whether a normalized value is a calendar date or period (`2025-11-11`, `2024-11`, `2022`,
/// `--11-11`, `2025-W47`, a range of those) rather than a duration, set or vague reference.
pub fn is_calendar_value(value: &str) -> bool {
    let first = value.split('/').next().unwrap_or("");
    let first = if first == ".." {
        value.split('/').nth(1).unwrap_or("")
    } else {
        first
    };
    first.starts_with("--") || first.bytes().next().is_some_and(|b| b.is_ascii_digit())
}
