//! Cleaning of plain-text articles as scrapers save them.
//!
//! A saved article carries more than its story: the site's name, the headline (often twice),
//! photo credits, view counters, menu and widget words, and banner blocks at the end. This
//! module finds the body by general rules, so that it works for portals it has never seen:
//!
//! - the body starts at the first line with sentence structure (enough words, or a sentence
//!   end); short lines before it are the masthead, the headline and page furniture;
//! - after the last line with sentence structure, short lines without it are furniture too;
//! - anywhere, a line is dropped when it is a view counter (a number next to a counter word),
//!   a photo credit (a credit word or `©` opening a short line), a widget line (the whole line
//!   is a menu word), or a repeat of the headline;
//! - a first body line that opens with an agency dateline ("АСТАНА. KAZINFORM –",
//!   "LONDON (Reuters) -", "ТОШКЕНТ, 12 март — УзА.") loses it, and its place and outlet become
//!   metadata;
//! - a first line `date YYYY-MM-DD` gives the published date (and, when the line goes on, the
//!   headline).
//!
//! The word lists are per-language data in `data/clutter/`; the rules are not tied to any site.
//! It works on normalized text (see `xabar_text::normalize`) and returns spans into it.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::NaiveDate;
use xabar_core::{Dateline, Span};
use xabar_text::script::is_letter;

/// The per-language clutter lists, all loaded together (see `data/clutter/README.md`).
const CLUTTER_DATA: &[(&str, &str)] = &[
    ("ru", include_str!("../data/clutter/ru.txt")),
    ("uk", include_str!("../data/clutter/uk.txt")),
    ("kk", include_str!("../data/clutter/kk.txt")),
    ("uz", include_str!("../data/clutter/uz.txt")),
    ("ky", include_str!("../data/clutter/ky.txt")),
    ("tg", include_str!("../data/clutter/tg.txt")),
    ("tr", include_str!("../data/clutter/tr.txt")),
    ("de", include_str!("../data/clutter/de.txt")),
    ("en", include_str!("../data/clutter/en.txt")),
];

#[derive(Default)]
struct ClutterWords {
    widgets: HashSet<String>,
    counters: HashSet<String>,
    credits: HashSet<String>,
    /// The most characters other than white space in a widget entry: a longer piece of text
    /// cannot be one, whatever its case, so most lines are ruled out without lowercasing them.
    widget_max_chars: usize,
}

/// Characters other than white space in `text`, counting no further than `limit + 1`.
fn visible_chars(text: &str, limit: usize) -> usize {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .take(limit + 1)
        .count()
}

static CLUTTER: LazyLock<ClutterWords> = LazyLock::new(|| {
    let mut words = ClutterWords::default();
    for (_, data) in CLUTTER_DATA {
        let mut section = "";
        for line in data.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') && line.ends_with(']') {
                section = &line[1..line.len() - 1];
                continue;
            }
            let entry = line.to_lowercase();
            match section {
                "widget" => {
                    words.widget_max_chars = words
                        .widget_max_chars
                        .max(visible_chars(&entry, usize::MAX - 1));
                    words.widgets.insert(entry)
                }
                "counter" => words.counters.insert(entry),
                "credit" => words.credits.insert(entry),
                _ => false,
            };
        }
    }
    words
});

/// What cleaning found in a plain-text article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Date from a leading `date YYYY-MM-DD` line.
    pub published: Option<NaiveDate>,
    /// The headline, when one was found.
    pub title: Option<String>,
    /// The outlet named by a masthead line (when the body names it too).
    pub masthead: Option<String>,
    /// The agency dateline that opened the body.
    pub dateline: Option<Dateline>,
    /// The body's paragraphs; each is one or more pieces of the normalized text, to be joined
    /// with a space (lines a hard wrap had split).
    pub paragraphs: Vec<Vec<Span>>,
}

/// One logical line of the input: a trimmed line, or several that a hard wrap had split.
#[derive(Debug, Clone)]
struct Line {
    pieces: Vec<Span>,
    text: String,
    /// [`word_count`] of `text`, which most rules ask.
    words: usize,
}

/// Whether a line broken after `previous` goes on with `next` (a hard wrap): the first line is
/// long and stops mid-sentence, the second goes on in lower case.
fn wraps_into(previous: &str, next: &str) -> bool {
    previous.len() >= 30
        && !ends_sentence(previous)
        && !previous.ends_with(':')
        && next.chars().next().is_some_and(char::is_lowercase)
}

fn lines_of(text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut offset = 0;
    let mut after_blank = true;
    let mut last_piece = "";
    for raw in text.split('\n') {
        let start_trim = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            after_blank = true;
        } else {
            let start = offset + start_trim;
            let span = Span::new(start, start + trimmed.len());
            match lines.last_mut() {
                Some(line) if !after_blank && wraps_into(last_piece, trimmed) => {
                    line.pieces.push(span);
                    line.text.push(' ');
                    line.text.push_str(trimmed);
                    // Words are runs between white space, so a joined line's count is the sum.
                    line.words += word_count(trimmed);
                }
                _ => lines.push(Line {
                    pieces: vec![span],
                    text: trimmed.to_string(),
                    words: word_count(trimmed),
                }),
            }
            last_piece = trimmed;
            after_blank = false;
        }
        offset += raw.len() + 1;
    }
    lines
}

/// Words (runs between white space) with a letter in them.
fn word_count(text: &str) -> usize {
    let mut words = 0;
    // Whether the current word has had a letter yet: counted at its first.
    let mut counted = false;
    for c in text.chars() {
        if c.is_whitespace() {
            counted = false;
        } else if !counted && is_letter(c) {
            counted = true;
            words += 1;
        }
    }
    words
}

/// Whether the line ends like a sentence (a full stop, question or exclamation mark, an
/// ellipsis, possibly followed by a closing quote or bracket).
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['»', '"', '\'', ')', ']', '“', '”']);
    let trimmed = if trimmed.is_empty() { text } else { trimmed };
    trimmed.ends_with(['.', '!', '?', '…']) || text.ends_with(['.', '!', '?', '…'])
}

/// A line with sentence structure: enough words, or a sentence end after a few.
fn is_body_like(line: &Line) -> bool {
    line.words >= 25 || (line.words >= 6 && ends_sentence(&line.text))
}

fn is_dialogue(text: &str) -> bool {
    text.starts_with('—') || text.starts_with('-')
}

fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `text` (of `words` words) is a menu or widget line: every part between separators
/// a widget entry, or a widget entry and a colon before another story's headline.
fn is_widget(text: &str, words: usize) -> bool {
    let max_chars = CLUTTER.widget_max_chars;
    // "Читайте также: <another story's headline>"
    if words <= 20
        && let Some((prefix, rest)) = text.split_once(':')
        && visible_chars(prefix, max_chars) <= max_chars
        && CLUTTER.widgets.contains(&squash(&prefix.to_lowercase()))
        && !ends_sentence(rest)
    {
        return true;
    }
    // A part with more letters and digits than any entry has characters rules the line out
    // (trimming takes neither): most lines are ruled out within their first few words.
    let mut alphanumeric = 0;
    for c in text.chars() {
        if matches!(c, '|' | '•' | '·' | '/') {
            alphanumeric = 0;
        } else if is_letter(c) || c.is_numeric() {
            alphanumeric += 1;
            if alphanumeric > max_chars {
                return false;
            }
        }
    }
    let mut parts = 0;
    for part in text.split(['|', '•', '·', '/']) {
        let part = part.trim_matches(|c: char| !c.is_alphanumeric());
        if part.is_empty() {
            continue;
        }
        // Lowercasing never turns a character into white space or into nothing, so a part
        // with more characters than any entry is not one.
        if visible_chars(part, max_chars) > max_chars
            || !CLUTTER.widgets.contains(&squash(&part.to_lowercase()))
        {
            return false;
        }
        parts += 1;
    }
    parts > 0
}

fn is_counter(text: &str, words: usize) -> bool {
    if words > 6 || !text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphabetic() || c == 'ʻ' || c == 'ʼ'))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    CLUTTER.counters.contains(&words.join(" "))
        || words.iter().all(|w| CLUTTER.counters.contains(*w))
}

fn is_credit(text: &str, words: usize) -> bool {
    if words > 15 {
        return false;
    }
    if text.starts_with('©') {
        return true;
    }
    let first = text
        .split(|c: char| c.is_whitespace() || c == ':')
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    if !CLUTTER.credits.contains(&first) {
        return false;
    }
    let rest = text[text.find(char::is_whitespace).unwrap_or(text.len())..].trim();
    text.contains(':')
        || text.contains('©')
        || rest.contains('/')
        || rest.contains("http")
        || !ends_sentence(text)
}

fn is_clutter(text: &str, words: usize) -> bool {
    is_counter(text, words) || is_credit(text, words) || is_widget(text, words)
}

fn is_headline_like(line: &Line) -> bool {
    (2..=30).contains(&line.words) && line.text.len() < 300 && !line.text.ends_with('.')
}

/// Whether `text` lowercased is `lower`, without lowercasing texts that cannot be: lowercasing
/// never makes a text shorter in characters.
fn lowercases_to(text: &str, lower: &str) -> bool {
    text.len() <= 4 * lower.len()
        && text.chars().count() <= lower.chars().count()
        && text.to_lowercase() == lower
}

/// `date 2025-10-09` at the start of a line, and what follows it on the line.
fn parse_date_line(text: &str) -> Option<(NaiveDate, &str)> {
    let rest = text.strip_prefix("date ")?.trim_start();
    let date_text = rest.get(..10)?;
    let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d").ok()?;
    let after = &rest[10..];
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return None;
    }
    Some((date, after.trim()))
}

/// A line of the page head that is only a date, with or without a time: `15.03.2025, 09:41`,
/// `2025-03-15 09:41`.
fn parse_head_date(text: &str) -> Option<NaiveDate> {
    let date_text = text.split([',', ' ']).next()?;
    let rest = text[date_text.len()..].trim_start_matches([',', ' ']);
    let time_only = rest.is_empty()
        || (rest.len() <= 8 && rest.chars().all(|c| c.is_ascii_digit() || c == ':'));
    if !time_only {
        return None;
    }
    NaiveDate::parse_from_str(date_text, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(date_text, "%Y-%m-%d"))
        .ok()
}

/// Whether `needle`'s words all occur, allowing an inflected ending, in `haystack`.
fn named_in(needle: &str, haystack_lower: &str) -> bool {
    let words: Vec<String> = needle
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let keep = w.chars().count().saturating_sub(2).max(3);
            let stem: String = w.chars().take(keep).collect();
            haystack_lower.contains(&stem)
        })
}

/// Cleans the normalized text of a plain-text article.
pub fn clean(text: &str) -> Cleaned {
    let lines = lines_of(text);
    let mut cleaned = Cleaned::default();
    let mut keep = vec![true; lines.len()];
    // Every rule below asks about clutter, most lines more than once.
    let clutter: Vec<bool> = lines
        .iter()
        .map(|line| is_clutter(&line.text, line.words))
        .collect();

    let mut first = 0;
    if let Some(line) = lines.first()
        && let Some((date, rest)) = parse_date_line(&line.text)
    {
        cleaned.published = Some(date);
        if word_count(rest) > 0 {
            cleaned.title = Some(rest.to_string());
        }
        keep[0] = false;
        first = 1;
    }

    // The head: lines before the first one with sentence structure.
    let body_start = (first..lines.len())
        .find(|&i| is_body_like(&lines[i]) && !clutter[i])
        .unwrap_or(lines.len());
    for flag in &mut keep[first..body_start] {
        *flag = false;
    }
    let candidates: Vec<usize> = (first..body_start)
        .filter(|&i| !clutter[i] && is_headline_like(&lines[i]))
        .collect();
    if cleaned.title.is_none() {
        // The headline: the line a page repeats (title bar and article head), else the
        // longest headline-like line of the head.
        let repeated = candidates.iter().copied().find(|&i| {
            lines
                .iter()
                .enumerate()
                .any(|(j, l)| j != i && l.text == lines[i].text)
        });
        let longest = candidates
            .iter()
            .copied()
            .max_by_key(|&i| (lines[i].words, std::cmp::Reverse(i)));
        cleaned.title = repeated.or(longest).map(|i| lines[i].text.clone());
    }
    if cleaned.published.is_none() {
        cleaned.published = lines[first..body_start]
            .iter()
            .find_map(|line| parse_head_date(&line.text));
    }
    // A short first line that is not the headline is the site's name (the masthead); it is
    // taken as the outlet only when the page names it again.
    let masthead = (first < body_start && !clutter[first])
        .then(|| &lines[first])
        .filter(|line| {
            Some(&line.text) != cleaned.title.as_ref()
                && (1..=4).contains(&line.words)
                && !line.text.chars().any(|c| c.is_ascii_digit())
        })
        .map(|line| (line.text.clone(), line.pieces[line.pieces.len() - 1].end));
    if body_start == lines.len() {
        // No line has sentence structure: keep the head rather than return nothing.
        for i in first..lines.len() {
            keep[i] = !clutter[i];
        }
    }

    // The tail: after the last line with sentence structure.
    let mut end = lines.len();
    while end > body_start + 1 {
        let line = &lines[end - 1];
        let furniture = clutter[end - 1]
            || (!ends_sentence(&line.text) && line.words <= 8 && !is_dialogue(&line.text));
        if !furniture {
            break;
        }
        keep[end - 1] = false;
        end -= 1;
    }

    // The middle: counters, credits, widgets and repeated headlines.
    let title_lower = cleaned.title.as_deref().map(str::to_lowercase);
    for i in body_start..end {
        let line = lines[i].text.as_str();
        if clutter[i]
            || title_lower
                .as_deref()
                .is_some_and(|t| lowercases_to(line, t))
        {
            keep[i] = false;
        }
    }

    // Assemble paragraphs, cutting the dateline from the first.
    for (i, line) in lines.into_iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let mut pieces = line.pieces;
        if cleaned.paragraphs.is_empty()
            && let Some((dateline, cut)) = parse_dateline(&line.text)
            && cut < text[pieces[0].start..pieces[0].end].len()
        {
            cleaned.dateline = Some(dateline);
            pieces[0].start += cut;
        }
        cleaned.paragraphs.push(pieces);
    }

    if let Some((masthead, end)) = masthead
        && named_in(&masthead, &text[end..].to_lowercase())
    {
        cleaned.masthead = Some(masthead);
    }
    cleaned
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '-')
}

/// An outlet name as it should read: all-caps names longer than an acronym get title case
/// ("KAZINFORM" → "Kazinform"; "ТАСС", "dpa" stay).
fn outlet_name(raw: &str) -> String {
    let raw = raw.trim();
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 5 && letters.iter().all(|c| c.is_uppercase()) {
        let mut out = String::with_capacity(raw.len());
        let mut start = true;
        for c in raw.chars() {
            if start {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
            start = !c.is_alphabetic();
        }
        out
    } else {
        raw.to_string()
    }
}

/// Reads a short outlet name (at most three words, 30 bytes) at the start of `s`, ending where
/// `stop` says; returns the name and the rest after the stop character.
fn take_outlet(s: &str, stop: impl Fn(char) -> bool) -> Option<(&str, &str)> {
    let end = s.char_indices().find(|&(_, c)| stop(c)).map(|(i, _)| i)?;
    let name = s[..end].trim();
    // «Янги кун» is the outlet Янги кун.
    let name = name
        .strip_prefix('«')
        .and_then(|n| n.strip_suffix('»'))
        .unwrap_or(name);
    if name.is_empty()
        || name.len() > 30
        || name.split_whitespace().count() > 3
        || !name.chars().any(char::is_alphabetic)
    {
        return None;
    }
    let stop_char = s[end..].chars().next()?;
    Some((name, &s[end + stop_char.len_utf8()..]))
}

/// Recognises an agency dateline at the start of a line. Returns it and how many bytes of the
/// line it covers (including the space after it).
pub fn parse_dateline(line: &str) -> Option<(Dateline, usize)> {
    // The place: a run of upper-case words.
    let place_end = line
        .char_indices()
        .find(|&(_, c)| !(c.is_uppercase() || c == ' ' || c == '-' || c == 'ʻ'))
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let place = line[..place_end].trim();
    let place_letters = place.chars().filter(|c| c.is_alphabetic()).count();
    if !(2..=30).contains(&place_letters) || place.split_whitespace().count() > 3 {
        return None;
    }
    let rest = &line[place.len()..];
    // An optional date after a comma ("ТОШКЕНТ, 12 март", "MOSKAU, 14. März") or a region
    // before the outlet in brackets ("SAMARKAND, Uzbekistan (Steppe Wire)").
    if let Some(after_comma) = rest.strip_prefix(", ") {
        let (stop, full_stop) = date_part_end(after_comma)?;
        let part = after_comma[..stop].trim().trim_end_matches('.').trim();
        let has_digit = part.chars().any(|c| c.is_ascii_digit());
        let region = after_comma[stop..].starts_with('(') && part.split_whitespace().count() <= 3;
        if part.is_empty() || part.len() > 30 || !(has_digit || region) {
            return None;
        }
        if full_stop {
            // "АСТАНА, 14 марта. Text": a dateline without an outlet.
            let after = &after_comma[stop + 1..];
            let consumed = line.len() - after.trim_start().len();
            let dateline = Dateline {
                place: outlet_name(place),
                outlet: None,
            };
            return Some((dateline, consumed));
        }
        // Whatever stopped the date opens the outlet part; the branches of `finish_dateline`
        // expect it after a space.
        let rest_with_space = format!(" {}", &after_comma[stop..]);
        return finish_dateline(place, &rest_with_space, line);
    }
    finish_dateline(place, rest, line)
}

/// Where the date after a dateline's comma ends: at a bracket, a slash or a dash (which open
/// the outlet part), or at a full stop after the date (then there is no outlet; a full stop
/// right after a digit, as in "14. März", belongs to the date). `true` marks the full stop.
fn date_part_end(s: &str) -> Option<(usize, bool)> {
    for (i, c) in s.char_indices() {
        if i > 40 {
            return None;
        }
        let spaced_hyphen = c == '-' && s[..i].ends_with(' ');
        if c == '(' || c == '/' || c == '—' || c == '–' || spaced_hyphen {
            return Some((i, false));
        }
        let before = s[..i].trim_end();
        if c == '.'
            && s[i + 1..].starts_with(' ')
            && !s[i + 1..].trim_start().starts_with('/')
            && before.chars().any(|c| c.is_ascii_digit())
            && !before.ends_with(|c: char| c.is_ascii_digit())
        {
            return Some((i, true));
        }
    }
    None
}

fn finish_dateline(place: &str, rest: &str, line: &str) -> Option<(Dateline, usize)> {
    let (outlet, after) = if let Some(r) = rest.strip_prefix(". /") {
        // "МОСКВА, 10 ноября. /ТАСС/."
        let (name, after) = take_outlet(r, |c| c == '/')?;
        (Some(name), after.strip_prefix('.').unwrap_or(after))
    } else if let Some(r) = rest.strip_prefix(" /") {
        let (name, after) = take_outlet(r, |c| c == '/')?;
        (Some(name), after.strip_prefix('.').unwrap_or(after))
    } else if let Some(r) = rest.strip_prefix(". ") {
        // "АСТАНА. KAZINFORM —"
        let (name, after) = take_outlet(r, is_dash)?;
        (Some(name), after)
    } else if let Some(r) = rest.strip_prefix(" (") {
        // "LONDON (Reuters) —"
        let (name, after) = take_outlet(r, |c| c == ')')?;
        let after = after.trim_start();
        let after = after.strip_prefix(is_dash)?;
        (Some(name), after)
    } else {
        // "LONDON — text" or "ТОШКЕНТ, 12 март — УзА. text"
        let r = rest.trim_start().strip_prefix(is_dash)?;
        match take_outlet(r, |c| c == '.') {
            Some((name, after))
                if after.starts_with(' ')
                    && name.split_whitespace().count() <= 2
                    && name.chars().next().is_some_and(char::is_uppercase)
                    && !after.trim_start().starts_with(char::is_lowercase) =>
            {
                (Some(name), after)
            }
            _ => (None, r),
        }
    };
    if !after.starts_with(' ') && !after.is_empty() {
        return None;
    }
    let consumed = line.len() - after.trim_start().len();
    let place = outlet_name(place);
    Some((
        Dateline {
            place,
            outlet: outlet.map(outlet_name),
        },
        consumed,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Vec<String> {
        let cleaned = clean(text);
        cleaned
            .paragraphs
            .iter()
            .map(|p| {
                p.iter()
                    .map(|s| &text[s.start..s.end])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn datelines_of_several_agencies() {
        let cases = [
            (
                "АСТАНА. KAZINFORM — Қасым-Жомарт Тоқаев",
                "Астана",
                Some("Kazinform"),
                "Қасым-Жомарт Тоқаев",
            ),
            (
                "МОСКВА. Kazinform — Қасим-Жомарт",
                "Москва",
                Some("Kazinform"),
                "Қасим-Жомарт",
            ),
            (
                "LONDON (Reuters) — The minister said",
                "London",
                Some("Reuters"),
                "The minister said",
            ),
            (
                "MOSKAU, 14. März (dpa) — Der Präsident",
                "Moskau",
                Some("dpa"),
                "Der Präsident",
            ),
            (
                "ТОШКЕНТ, 12 март — УзА. Президент",
                "Тошкент",
                Some("УзА"),
                "Президент",
            ),
            (
                "МОСКВА, 10 ноября. /ТАСС/. Президент",
                "Москва",
                Some("ТАСС"),
                "Президент",
            ),
            (
                "BERLIN — Die Regierung hat",
                "Berlin",
                None,
                "Die Regierung hat",
            ),
        ];
        for (line, place, outlet, rest) in cases {
            let (dateline, cut) = parse_dateline(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(dateline.place, place, "{line}");
            assert_eq!(dateline.outlet.as_deref(), outlet, "{line}");
            assert_eq!(&line[cut..], rest, "{line}");
        }
        for line in [
            "NATO has agreed to meet.",
            "Россия и Казахстан",
            "ООН — главная организация мира, сказал он.",
        ] {
            let parsed = parse_dateline(line);
            assert!(
                parsed
                    .as_ref()
                    .is_none_or(|(d, _)| d.outlet.is_none() && line.starts_with("ООН")),
                "{line}: {parsed:?}"
            );
        }
    }

    #[test]
    fn furniture_at_the_edges_goes() {
        let text = "Daily Planet\n\nCity opens a new bridge\n\nCity opens a new bridge\nPhoto: city press office\n\
            The city opened a new bridge over the river on Monday, the mayor said.\n\
            Traffic will start next week, after the last inspections are done.\n\
            2 417 views\nAdvertisement\nAll videos\nSummer festival\nBaku, Azerbaijan\n11-22 November\n";
        let cleaned = clean(text);
        assert_eq!(cleaned.title.as_deref(), Some("City opens a new bridge"));
        assert_eq!(cleaned.masthead, None, "the body never names it");
        assert_eq!(
            body(text),
            [
                "The city opened a new bridge over the river on Monday, the mayor said.",
                "Traffic will start next week, after the last inspections are done."
            ]
        );
    }

    #[test]
    fn date_line_gives_date_and_title() {
        let text = " date 2025-10-09 Президент: Орталық Азия – аймақ\nМәтін бірінші сөйлем болып табылады және ол ұзын.";
        let cleaned = clean(text);
        assert_eq!(cleaned.published, NaiveDate::from_ymd_opt(2025, 10, 9));
        assert_eq!(
            cleaned.title.as_deref(),
            Some("Президент: Орталық Азия – аймақ")
        );
        assert_eq!(body(text).len(), 1);
    }

    #[test]
    fn hard_wrapped_lines_join() {
        let text = "The talks went on for a long time and\nended with an agreement on water.\n\nA second paragraph follows here, short.";
        assert_eq!(
            body(text),
            [
                "The talks went on for a long time and ended with an agreement on water.",
                "A second paragraph follows here, short."
            ]
        );
    }

    #[test]
    fn counters_credits_and_widgets_in_the_middle() {
        let counter = |text: &str| is_counter(text, word_count(text));
        let credit = |text: &str| is_credit(text, word_count(text));
        let widget = |text: &str| is_widget(text, word_count(text));
        assert!(counter("13345 просмотров"));
        assert!(counter("Просмотров: 954"));
        assert!(counter("1 208 ta koʻrish"));
        assert!(!counter("В 2024 году было 13345 просмотров, сообщил сайт."));
        assert!(credit("© Фото: пресс-служба президента РФ"));
        assert!(credit("Foto t.me/aqorda_resmi"));
        assert!(!credit(
            "Фото сделано вчера вечером на главной площади города, когда шёл дождь."
        ));
        assert!(widget("Все видео"));
        assert!(widget("реклама"));
        assert!(widget("ГЛАВНАЯ | Новости | Видео"));
        assert!(!widget("Видео показали в эфире"));
        assert!(!widget("Главная | Новости | Видео показали в эфире"));
        assert!(widget(
            "Читайте также: Прогноз паводков: в Северном Казахстане готовятся к весне"
        ));
        assert!(lowercases_to(
            "City Opens A New Bridge",
            "city opens a new bridge"
        ));
        assert_eq!(word_count("  Он сказал: — 12 раз, «да»!  "), 4);
        assert_eq!(word_count(""), 0);
        assert!(!lowercases_to(
            "City opens a new bridge today",
            "city opens a new bridge"
        ));
        assert_eq!(
            parse_head_date("15.03.2025, 09:41"),
            NaiveDate::from_ymd_opt(2025, 3, 15)
        );
        assert_eq!(parse_head_date("15.03.2025 года состоялось"), None);
    }
}
