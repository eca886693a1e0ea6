//! Typed, dated events from trigger words: state visits, summits and meetings, talks, signings,
//! congratulations, statements, elections and appointments, each with its participants and
//! place (entities from the article's linked mentions), its date (a date written in the same
//! sentence, or else the published date, and which of the two) and whether it is planned.
//!
//! The rules, per sentence that holds a trigger (`data/events/<lang>.txt`):
//! - **place**: a linked place mention marked as location or destination: a Turkic locative,
//!   dative or locative-adjective ending (`Россияга`, `Душанбедегі`, `Астанада`) or a
//!   preposition before it (`в`, `nach`, `in`, `to`); the nearest such to the trigger;
//! - **participants**: the linked person and organisation mentions of the sentence, and the
//!   linked place mentions that are not marked as a location (`Россия ва Қозоғистон`);
//! - **date**: the calendar date mention nearest to the trigger in the sentence (`Stated`), or
//!   else the published date (`Published`);
//! - **planned**: a stated date after the published date is planned, one before it is not,
//!   one that holds the published day is planned only with a listed future word (`будет`,
//!   `бўлажак`, `bevorstehend`, `will`); without a stated date, such a word or a future verb
//!   ending (`-йди`, `-acak`) in the sentence makes it planned;
//! - **merging**: events of one kind and tense whose dates, places and participants do not
//!   disagree (a missing value agrees with anything; a published-date stand-in agrees with a
//!   stated date within a month of it; participants must share one entity unless a side has
//!   none) are one event, with the values of both and the evidence of the one that stated a
//!   date.
//!
//! Mentions come from the linking stage; this module only reads them, so it works with
//! whatever the linker gives (tests build them by hand).

mod lexicon;

#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use chrono::NaiveDate;
pub use lexicon::EventDataError;
use xabar_core::{
    DateMention, DateSource, EntityId, EntityKind, Event, EventKind, Language, Mention, Span,
};
use xabar_text::token::{TokenKind, tokenize};

use crate::dates::is_calendar_value;
use lexicon::EventLexicon;

const DATA: &[(Language, &str, &str)] = &[
    (Language::De, "de", include_str!("../../data/events/de.txt")),
    (Language::En, "en", include_str!("../../data/events/en.txt")),
    (Language::Kk, "kk", include_str!("../../data/events/kk.txt")),
    (Language::Ky, "ky", include_str!("../../data/events/ky.txt")),
    (Language::Ru, "ru", include_str!("../../data/events/ru.txt")),
    (Language::Tg, "tg", include_str!("../../data/events/tg.txt")),
    (Language::Tr, "tr", include_str!("../../data/events/tr.txt")),
    (Language::Uk, "uk", include_str!("../../data/events/uk.txt")),
    (Language::Uz, "uz", include_str!("../../data/events/uz.txt")),
];

static REGISTRY: LazyLock<Result<Vec<(Language, EventLexicon)>, EventDataError>> =
    LazyLock::new(|| {
        DATA.iter()
            .map(|&(lang, code, text)| Ok((lang, EventLexicon::parse(code, text)?)))
            .collect()
    });

static EMPTY: LazyLock<EventLexicon> = LazyLock::new(EventLexicon::default);

/// Checks that the compiled-in event data reads (the tests call it).
pub fn check_data() -> Result<(), EventDataError> {
    REGISTRY.as_ref().map(|_| ()).map_err(Clone::clone)
}

fn lexicon(lang: Language) -> &'static EventLexicon {
    REGISTRY
        .as_ref()
        .ok()
        .and_then(|all| all.iter().find(|(l, _)| *l == lang).map(|(_, lex)| lex))
        .unwrap_or(&EMPTY)
}

/// A word of the text with its lookup key.
struct TextWord {
    start: usize,
    end: usize,
    key: String,
}

/// The sentences of `text` as byte spans: a break after `.`, `!`, `?` or `…` followed by white
/// space and an upper-case letter, digit, quote or dash (not after a one-letter initial), and
/// at every line break.
pub(crate) fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let boundary = match c {
            '\n' => true,
            '.' | '!' | '?' | '…' => {
                let rest = &text[end..];
                let after = rest.trim_start_matches([' ', '\t', '\u{a0}']);
                let spaced = after.len() < rest.len();
                let next = after.chars().next();
                // `В. Путин`, and German ordinals: `am 11. November`.
                let initial =
                    c == '.' && (is_initial(&text[start..i]) || is_short_number(&text[start..i]));
                spaced
                    && !initial
                    && next.is_some_and(|n| {
                        n.is_uppercase()
                            || n.is_ascii_digit()
                            || matches!(n, '«' | '„' | '"' | '“' | '—' | '–' | '-' | '\n')
                    })
            }
            _ => false,
        };
        if boundary {
            push_trimmed(&mut out, text, start, end);
            start = end;
        }
    }
    push_trimmed(&mut out, text, start, text.len());
    out
}

/// The sentence that holds byte `pos`, found by splitting only the paragraph around it.
fn sentence_around(text: &str, pos: usize) -> Option<Span> {
    let pos = pos.min(text.len());
    let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let paragraph = text.get(start..end)?;
    sentences(paragraph)
        .into_iter()
        .map(|s| Span::new(s.start + start, s.end + start))
        .find(|s| s.start <= pos && pos < s.end)
}

/// Whether the text before a full stop ends in a number of one or two digits (`11.`).
fn is_short_number(before: &str) -> bool {
    let digits = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    (1..=2).contains(&digits)
        && before
            .chars()
            .rev()
            .nth(digits)
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether the text before a full stop ends in a one-letter word (`В.` in `В. Путин`).
fn is_initial(before: &str) -> bool {
    let mut chars = before.chars().rev();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) => a.is_alphabetic() && !b.is_alphanumeric(),
        (Some(a), None) => a.is_alphabetic(),
        _ => false,
    }
}

fn push_trimmed(out: &mut Vec<Span>, text: &str, start: usize, end: usize) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if start + lead < end - trail {
        out.push(Span::new(start + lead, end - trail));
    }
}

fn words_of(text: &str, span: Span, lex: &EventLexicon) -> Vec<TextWord> {
    let mut out = Vec::new();
    let Some(piece) = span.of(text) else {
        return out;
    };
    for token in tokenize(piece) {
        if token.kind != TokenKind::Word {
            continue;
        }
        out.push(TextWord {
            start: span.start + token.span.start,
            end: span.start + token.span.end,
            key: lex.key(token.text),
        });
    }
    out
}

/// Whether the sentence around byte `pos` of `text` speaks of the future (a tense cue of
/// `lang`). Used for weekdays without `next` or `last`.
pub fn sentence_is_future(text: &str, pos: usize, lang: Language) -> bool {
    let lex = lexicon(lang);
    if lex.is_empty() {
        return false;
    }
    let Some(sentence) = sentence_around(text, pos) else {
        return false;
    };
    words_of(text, sentence, lex)
        .iter()
        .any(|w| lex.is_planned_cue(&w.key))
}

/// The interval of days a calendar value covers, for comparing with the published date.
fn value_interval(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    let mut parts = value.split('/');
    let first = parts.next()?;
    let last = parts.next().unwrap_or(first);
    Some((one_interval(first)?.0, one_interval(last)?.1))
}

fn one_interval(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    let nums: Vec<&str> = value.split('-').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    match nums[..] {
        [y] if y.len() == 4 => {
            let y = num(y)? as i32;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        }
        [y, w] if w.starts_with('W') => {
            let (y, w) = (num(y)? as i32, num(&w[1..])?);
            let monday = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)?;
            Some((monday, monday + chrono::Days::new(6)))
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)? as i32, num(m)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
        [y, m, d] if y.len() == 4 => {
            let date = NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?)?;
            Some((date, date))
        }
        _ => None,
    }
}

/// A place mention's role: whether the text marks it as where the event is or goes.
fn is_location(text: &str, m: &Mention, words: &[TextWord], lex: &EventLexicon) -> bool {
    if !lex.place_endings.is_empty() {
        // The whole word the mention ends in (`Россия` in `Россияга` when the tagger's span
        // stops at the stem).
        let Some(word) = words.iter().find(|w| w.start < m.end && m.end <= w.end) else {
            return false;
        };
        let start = m.start.max(word.start);
        let Some(surface) = text.get(start..word.end) else {
            return false;
        };
        let key = lex.key(surface);
        return lex
            .place_endings
            .iter()
            .any(|e| key.len() > e.len() + 2 && key.ends_with(&**e));
    }
    let Some(before) = words.iter().rev().find(|w| w.end <= m.start) else {
        return false;
    };
    let between = text.get(before.end..m.start).unwrap_or("x");
    between.trim().is_empty() && lex.place_preps.iter().any(|p| p.matches(&before.key))
}

/// Finds the events reported in `text` (an article's clean text in `lang`), given its date
/// mentions (from [`crate::dates::find_dates`] on the same text) and its mentions linked to
/// entities. Mentions without an entity are not used.
pub fn find_events(
    text: &str,
    lang: Language,
    published: Option<NaiveDate>,
    dates: &[DateMention],
    mentions: &[Mention],
) -> Vec<Event> {
    let lex = lexicon(lang);
    if lex.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Event> = Vec::new();
    let mut buf = String::new();
    for sentence in sentences(text) {
        let Some(piece) = sentence.of(text) else {
            continue;
        };
        let may_hold = tokenize(piece)
            .any(|t| t.kind == TokenKind::Word && lex.may_start_trigger(t.text, &mut buf));
        if !may_hold {
            continue;
        }
        let words = words_of(text, sentence, lex);
        let mut kinds: Vec<(EventKind, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for trigger in lex.triggers_for(&w.key) {
                let fits = trigger.words.len() <= words.len() - i
                    && trigger
                        .words
                        .iter()
                        .zip(&words[i..])
                        .all(|(p, tw)| p.matches(&tw.key));
                if fits && !kinds.iter().any(|(k, _)| *k == trigger.kind) {
                    kinds.push((trigger.kind, w.start));
                }
            }
        }
        if kinds.is_empty() {
            continue;
        }
        let in_sentence: Vec<&Mention> = mentions
            .iter()
            .filter(|m| {
                m.entity.is_some()
                    && m.start >= sentence.start
                    && m.end <= sentence.end
                    && m.start < m.end
            })
            .collect();
        let planned_cue = words.iter().any(|w| lex.is_planned_cue(&w.key));
        let planned_word = words.iter().any(|w| lex.is_planned_word(&w.key));
        for (kind, at) in kinds {
            let mut place: Option<(&Mention, usize)> = None;
            let mut participants: Vec<EntityId> = Vec::new();
            for m in &in_sentence {
                let Some(id) = &m.entity else { continue };
                if m.kind == EntityKind::Place && is_location(text, m, &words, lex) {
                    let distance = m.start.abs_diff(at);
                    if place.is_none_or(|(_, d)| distance < d) {
                        place = Some((m, distance));
                    }
                    continue;
                }
                if !participants.contains(id) {
                    participants.push(id.clone());
                }
            }
            let place = place.and_then(|(m, _)| m.entity.clone());
            participants.retain(|p| Some(p) != place.as_ref());
            let stated = dates
                .iter()
                .filter(|d| {
                    d.start >= sentence.start
                        && d.end <= sentence.end
                        && is_calendar_value(&d.value)
                })
                .min_by_key(|d| d.start.abs_diff(at));
            let (date, date_source) = match (stated, published) {
                (Some(d), _) => (Some(d.value.clone()), Some(DateSource::Stated)),
                (None, Some(p)) => (
                    Some(p.format("%Y-%m-%d").to_string()),
                    Some(DateSource::Published),
                ),
                (None, None) => (None, None),
            };
            // The stated date against the published one; an event on the published day is
            // planned only when a listed future word says so.
            let by_date = match (stated.and_then(|d| value_interval(&d.value)), published) {
                (Some((from, _)), Some(p)) if from > p => Some(true),
                (Some((_, to)), Some(p)) if to < p => Some(false),
                (Some(_), Some(_)) => Some(planned_word),
                _ => None,
            };
            found.push(Event {
                kind,
                date,
                date_source,
                place,
                participants,
                evidence: sentence,
                planned: by_date.unwrap_or(planned_cue),
            });
        }
    }
    merge(found, published)
}

/// Whether a stated date and the published date can be the same event's: the stated period
/// is within a month of the published date, or cannot be placed (`--11-11`).
fn near_published(stated: &Event, published: Option<NaiveDate>) -> bool {
    let (Some(p), Some((from, to))) = (published, stated.date.as_deref().and_then(value_interval))
    else {
        return true;
    };
    let days = if p < from {
        (from - p).num_days()
    } else if p > to {
        (p - to).num_days()
    } else {
        0
    };
    days <= 31
}

/// Whether two events can be the same one (see the module rules).
fn agree(a: &Event, b: &Event, published: Option<NaiveDate>) -> bool {
    let dates_agree = match (a.date_source, b.date_source) {
        (Some(DateSource::Stated), Some(DateSource::Stated)) => a.date == b.date,
        (Some(DateSource::Stated), Some(DateSource::Published)) => near_published(a, published),
        (Some(DateSource::Published), Some(DateSource::Stated)) => near_published(b, published),
        _ => true,
    };
    let places_agree = a.place.is_none() || b.place.is_none() || a.place == b.place;
    let people_agree = a.participants.is_empty()
        || b.participants.is_empty()
        || a.participants.iter().any(|p| b.participants.contains(p));
    a.kind == b.kind && a.planned == b.planned && dates_agree && places_agree && people_agree
}

fn merge(events: Vec<Event>, published: Option<NaiveDate>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for event in events {
        match out.iter_mut().find(|e| agree(e, &event, published)) {
            Some(kept) => {
                if kept.date_source != Some(DateSource::Stated)
                    && event.date_source == Some(DateSource::Stated)
                {
                    kept.date = event.date.clone();
                    kept.date_source = event.date_source;
                    kept.evidence = event.evidence;
                }
                if kept.place.is_none() {
                    kept.place = event.place.clone();
                }
                for p in event.participants {
                    if !kept.participants.contains(&p) && Some(&p) != kept.place.as_ref() {
                        kept.participants.push(p);
                    }
                }
            }
            None => out.push(event),
        }
    }
    out
}
