//! Typed, dated events from trigger words: state visits, summits and meetings, talks, signings,
//! congratulations, statements, elections and appointments, each with its participants and
//! place (entities from the article's linked mentions), its date (a date written in the same
//! sentence, or else the published date, and which of the two) and whether it is planned.
//!
//! The rules, per sentence that holds a trigger (`data/events/<lang>.txt`):
//! - **place**: a place marked as location or destination by a Turkic locative, dative or
//!   locative-adjective ending (`Россияга`, `Душанбедегі`, `Астанада`) or a preposition
//!   before it (`в`, `nach`, `in`, `to`): a linked place mention, or — where no place mention
//!   covers the word, as when a tagger reads `Душанбедегі Қабылдаулар` as a person — a
//!   capitalised word whose stem without the ending is a place of the knowledge base. Of
//!   several, a place inside another wins (Moscow over Russia), then the nearest to the
//!   trigger;
//! - **participants**: the linked person and organisation mentions of the sentence, the
//!   persons that titles without a name stand for (`Қозоғистон раҳбарининг` is the
//!   president the article names; see `quotes::TitleReader`), and the linked place mentions
//!   that are neither a location, nor part of a title (`Тәжікстан` in `Тәжікстан Президенті
//!   Эмомали Рахмон`), nor a place that holds the event's place (Russia when it is in
//!   Moscow);
//! - **date**: the calendar date mention nearest to the trigger in the sentence (`Stated`), or
//!   else the published date (`Published`); in an article without a published date, a
//!   planned day written without a year (`--11-11`) takes the first such day after the latest
//!   event the article reports as done;
//! - **planned**: a stated date after the published date is planned, one before it is not,
//!   one that holds the published day is planned only with a listed future word (`будет`,
//!   `бўлажак`, `bevorstehend`, `will`); without a stated date, such a word or a future verb
//!   ending (`-йди`, `-acak`) in the sentence makes it planned;
//! - **merging**: events of one kind and tense whose dates, places and participants do not
//!   disagree (a missing value agrees with anything; a published-date stand-in agrees with a
//!   stated date within a month of it; participants must share one entity unless a side has
//!   none) are one event, with the values of both and the evidence of the one that stated a
//!   date; of two places where one holds the other, the inner one stays.
//!
//! Mentions come from the linking stage; this module only reads them, so it works with
//! whatever the linker gives (tests build them by hand).

mod lexicon;

#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
pub use lexicon::EventDataError;
use xabar_core::{
    DateMention, DateSource, EntityId, EntityKind, Event, EventKind, Language, Mention, Span,
};
use xabar_text::token::{TokenKind, tokenize};

use crate::dates::is_calendar_value;
use crate::kb::{AliasForm, KnowledgeBase};
use crate::quotes::TitleReader;
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

/// A word of the text with its lookup key (a slice of one buffer holding the keys of the
/// sentence's words: one allocation per sentence rather than one per word).
struct TextWord<'k> {
    start: usize,
    end: usize,
    key: &'k str,
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

/// The words of `span` with their keys, which are written into `keys` (cleared first).
fn words_of<'k>(
    text: &str,
    span: Span,
    lex: &EventLexicon,
    keys: &'k mut String,
) -> Vec<TextWord<'k>> {
    keys.clear();
    let Some(piece) = span.of(text) else {
        return Vec::new();
    };
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    for token in tokenize(piece) {
        if token.kind != TokenKind::Word {
            continue;
        }
        let from = keys.len();
        lex.push_word_key(token.text, keys);
        spans.push((
            span.start + token.span.start,
            span.start + token.span.end,
            from,
            keys.len(),
        ));
    }
    let keys: &'k String = keys;
    spans
        .into_iter()
        .map(|(start, end, from, to)| TextWord {
            start,
            end,
            key: &keys[from..to],
        })
        .collect()
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
    let mut keys = String::new();
    words_of(text, sentence, lex, &mut keys)
        .iter()
        .any(|w| lex.is_planned_cue(w.key))
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
    between.trim().is_empty() && lex.place_preps.iter().any(|p| p.matches(before.key))
}

/// The places place `id` lies in by the knowledge base, nearest first (Moscow: Russia);
/// empty for an entity it does not hold and for organisations (a state newspaper is located
/// in its country, but is no part of it as a place).
fn containers(id: &EntityId) -> Vec<&'static EntityId> {
    let kb = KnowledgeBase::global();
    let mut out: Vec<&'static EntityId> = Vec::new();
    let mut at = kb.get(&id.0).filter(|e| e.kind == EntityKind::Place);
    while let Some(entity) = at {
        let Some(up) = entity.located_in.as_ref().or(entity.capital_of.as_ref()) else {
            break;
        };
        if out.contains(&up) || up == id {
            break;
        }
        out.push(up);
        at = kb.get(&up.0);
    }
    out
}

/// Whether place `outer` holds place `inner` (Russia holds Moscow).
fn holds(outer: &EntityId, inner: &EntityId) -> bool {
    containers(inner).contains(&outer)
}

/// The place of the knowledge base a name as written denotes, if it denotes one: by alias,
/// then by matching key (other scripts and spellings). Abbreviations are left out: folded,
/// they meet ordinary words.
fn known_place(name: &str) -> Option<EntityId> {
    if name.chars().count() < 3 {
        return None;
    }
    let kb = KnowledgeBase::global();
    let fits = |hit: &crate::kb::Hit<'_>| {
        hit.entity.kind == EntityKind::Place && hit.alias.form != AliasForm::Abbreviation
    };
    kb.by_alias(name)
        .find(fits)
        .or_else(|| kb.by_name_key(name).find(fits))
        .map(|hit| hit.entity.id.clone())
}

/// Words of the sentence marked as a location that no linked place mention covers, read as
/// places of the knowledge base: `Душанбедегі` is Dushanbe by its stem `Душанбе`, whatever a
/// tagger made of it. Returns the place and the word's span.
fn located_words(
    text: &str,
    words: &[TextWord],
    mentions: &[&Mention],
    lex: &EventLexicon,
) -> Vec<(EntityId, usize, usize)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(surface) = text.get(w.start..w.end) else {
            continue;
        };
        if !surface.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let covered = mentions
            .iter()
            .any(|m| m.kind == EntityKind::Place && m.start < w.end && w.start < m.end);
        if covered {
            continue;
        }
        let found = if lex.place_endings.is_empty() {
            let after_prep = i > 0
                && text
                    .get(words[i - 1].end..w.start)
                    .is_some_and(|between| between.trim().is_empty())
                && lex.place_preps.iter().any(|p| p.matches(words[i - 1].key));
            if after_prep {
                known_place(surface)
            } else {
                None
            }
        } else {
            let letters = w.key.chars().count();
            let mut endings: Vec<&str> = lex
                .place_endings
                .iter()
                .map(|e| &**e)
                .filter(|e| w.key.ends_with(e) && letters > e.chars().count() + 2)
                .collect();
            endings.sort_by_key(|e| std::cmp::Reverse(e.len()));
            endings.iter().find_map(|e| {
                let keep = letters - e.chars().count();
                let cut = surface
                    .char_indices()
                    .nth(keep)
                    .map_or(surface.len(), |(at, _)| at);
                known_place(&surface[..cut])
            })
        };
        if let Some(id) = found {
            out.push((id, w.start, w.end));
        }
    }
    out
}

/// Of the places marked as the event's location, the one it happened in: a place inside
/// another wins (Moscow over Russia), then the nearest to the trigger at `at`.
fn choose_place(places: &[(EntityId, usize)], at: usize) -> Option<EntityId> {
    places
        .iter()
        .filter(|(id, _)| !places.iter().any(|(other, _)| holds(id, other)))
        .min_by_key(|(_, start)| start.abs_diff(at))
        .map(|(id, _)| id.clone())
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
    let titles = TitleReader::new(text, lang, mentions);
    let mut found: Vec<Event> = Vec::new();
    let mut buf = String::new();
    let mut keys = String::new();
    for sentence in sentences(text) {
        let Some(piece) = sentence.of(text) else {
            continue;
        };
        let may_hold = tokenize(piece)
            .any(|t| t.kind == TokenKind::Word && lex.may_start_trigger(t.text, &mut buf));
        if !may_hold {
            continue;
        }
        let words = words_of(text, sentence, lex, &mut keys);
        let mut kinds: Vec<(EventKind, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for trigger in lex.triggers_for(w.key) {
                let fits = trigger.words.len() <= words.len() - i
                    && trigger
                        .words
                        .iter()
                        .zip(&words[i..])
                        .all(|(p, tw)| p.matches(tw.key));
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
        let planned_cue = words.iter().any(|w| lex.is_planned_cue(w.key));
        let planned_word = words.iter().any(|w| lex.is_planned_word(w.key));
        let sentence_titles = titles.titles(sentence.start, sentence.end);
        let located = located_words(text, &words, &in_sentence, lex);
        let in_title = |m: &Mention| {
            sentence_titles
                .iter()
                .any(|t| t.start <= m.start && m.end <= t.end)
                || in_sentence.iter().any(|p| {
                    p.kind == EntityKind::Person
                        && m.kind == EntityKind::Place
                        && p.start <= m.start
                        && m.end <= p.end
                })
        };
        for (kind, at) in kinds {
            let mut places: Vec<(EntityId, usize)> = Vec::new();
            let mut participants: Vec<EntityId> = Vec::new();
            for m in &in_sentence {
                let Some(id) = &m.entity else { continue };
                if m.kind == EntityKind::Place {
                    if in_title(m) {
                        continue;
                    }
                    if is_location(text, m, &words, lex) {
                        places.push((id.clone(), m.start));
                        continue;
                    }
                }
                // A mention over a word read as a place is a tagger's misreading of it; a
                // person mention that is a title alone stands for its holder (added below).
                if located.iter().any(|&(_, s, e)| m.start < e && s < m.end)
                    || titles.is_title_only(m)
                {
                    continue;
                }
                if !participants.contains(id) {
                    participants.push(id.clone());
                }
            }
            for holder in sentence_titles.iter().filter_map(|t| t.holder.as_ref()) {
                if !participants.contains(holder) {
                    participants.push(holder.clone());
                }
            }
            places.extend(located.iter().map(|(id, s, _)| (id.clone(), *s)));
            let place = choose_place(&places, at);
            if let Some(place) = &place {
                participants.retain(|p| p != place && !holds(p, place));
            }
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
    if published.is_none() {
        place_yearless_plans(&mut found);
    }
    let mut merged = merge(found, published);
    for event in &mut merged {
        drop_outer_places(&mut event.participants);
    }
    merged
}

/// Gives planned events dated without a year (`--11-11`, from "11 ноябрда" in an article
/// without a published date) the first such day after the latest event the article reports
/// as done: the article was written after that, and what it plans comes later still
/// ("Putin visited Astana in November 2024; Tokayev's visit begins on 11 November" →
/// 2025-11-11). Without a dated past event the date stays as written.
fn place_yearless_plans(events: &mut [Event]) {
    let floor = events
        .iter()
        .filter(|e| !e.planned && e.date_source == Some(DateSource::Stated))
        .filter_map(|e| value_interval(e.date.as_deref()?))
        .map(|(_, to)| to)
        .max();
    let Some(floor) = floor else {
        return;
    };
    for event in events.iter_mut().filter(|e| e.planned) {
        let Some(day) = event.date.as_deref().and_then(|d| d.strip_prefix("--")) else {
            continue;
        };
        let Some((month, day)) = day.split_once('-') else {
            continue;
        };
        let (Ok(month), Ok(day)) = (month.parse::<u32>(), day.parse::<u32>()) else {
            continue;
        };
        // The next year that has the day after the floor (29 February may wait four years).
        let placed = (floor.year()..=floor.year() + 4)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
            .find(|d| *d > floor);
        if let Some(date) = placed {
            event.date = Some(date.format("%Y-%m-%d").to_string());
        }
    }
}

/// Of the places among the participants, drops each that holds another (Russia beside
/// Moscow): the most specific stays.
fn drop_outer_places(participants: &mut Vec<EntityId>) {
    let all = participants.clone();
    participants.retain(|p| !all.iter().any(|other| other != p && holds(p, other)));
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
    let places_agree = match (&a.place, &b.place) {
        (Some(x), Some(y)) => x == y || holds(x, y) || holds(y, x),
        _ => true,
    };
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
                // The more specific place stays: Moscow, not Russia.
                let narrower = match (&kept.place, &event.place) {
                    (None, Some(_)) => true,
                    (Some(k), Some(e)) => holds(k, e),
                    _ => false,
                };
                if narrower {
                    kept.place = event.place.clone();
                }
                for p in event.participants {
                    if !kept.participants.contains(&p) {
                        kept.participants.push(p);
                    }
                }
                if let Some(place) = &kept.place {
                    kept.participants.retain(|p| p != place && !holds(p, place));
                }
            }
            None => out.push(event),
        }
    }
    out
}
