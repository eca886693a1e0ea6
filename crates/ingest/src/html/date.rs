//! Reading dates: the machine forms of metadata (`2025-03-14T09:41:00+05:00`, `20250314`),
//! dates in URLs (`/2025/03/14/`), and dates written for readers (`14 марта 2025 г.`,
//! `March 14, 2025`, `14.03.2025`, `2025-yil 14-mart`).
//!
//! A date is the calendar day as the page writes it: a time zone offset is not applied, since
//! the publisher's own day is the one readers saw. Nothing is guessed: a day and month without
//! a year, or `03/04/2025` (March or April?), give no date.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};

/// The years a news page's date can fall in.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

struct DateWords {
    months: HashMap<&'static str, u32>,
    fillers: Vec<&'static str>,
    updated: Vec<&'static str>,
}

static WORDS: LazyLock<DateWords> = LazyLock::new(|| {
    let mut words = DateWords {
        months: HashMap::new(),
        fillers: Vec::new(),
        updated: Vec::new(),
    };
    let mut section = "";
    for line in include_str!("../../data/html/dates.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        match section {
            "month" => {
                let mut parts = line.split_whitespace();
                let _language = parts.next();
                let Some(month) = parts.next().and_then(|m| m.parse::<u32>().ok()) else {
                    continue;
                };
                for form in parts {
                    words.months.insert(form, month);
                }
            }
            "filler" => words.fillers.extend(line.split_whitespace()),
            "updated" => words.updated.extend(line.split_whitespace()),
            _ => {}
        }
    }
    words
});

fn ymd(year: i64, month: i64, day: i64) -> Option<NaiveDate> {
    let year = i32::try_from(year).ok()?;
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Leading ASCII digits of `s` as a number, and how many there were.
fn digits(s: &[u8]) -> (i64, usize) {
    let mut value: i64 = 0;
    let mut n = 0;
    while n < s.len() && s[n].is_ascii_digit() && n < 9 {
        value = value * 10 + i64::from(s[n] - b'0');
        n += 1;
    }
    (value, n)
}

/// A date in a machine form, at the start of `s`: `2025-03-14`, `2025-03-14T09:41:00Z`,
/// `2025/03/14`, `20250314`, `2025.03.14`; else a date written for readers anywhere in it
/// (some sites put "March 14, 2025" or RFC 2822 dates in their metadata).
pub(crate) fn parse_machine(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    let (year, n) = digits(b);
    if n == 8 && b.get(8).is_none_or(|c| !c.is_ascii_digit()) {
        return ymd(year / 10000, year / 100 % 100, year % 100);
    }
    if n == 4 && matches!(b.get(4), Some(b'-' | b'/' | b'.')) {
        let sep = b[4];
        let (month, m) = digits(&b[5..]);
        if (1..=2).contains(&m) && b.get(5 + m) == Some(&sep) {
            let (day, d) = digits(&b[6 + m..]);
            let after = b.get(6 + m + d);
            if (1..=2).contains(&d) && after.is_none_or(|c| !c.is_ascii_digit()) {
                return ymd(year, month, day);
            }
        }
        return None;
    }
    parse_text(s)
}

/// What one piece of written text is, for finding dates in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A number, with how many digits it had.
    Number(i64, usize),
    Month(u32),
    Word,
}

fn tokens(text: &str) -> Vec<Token> {
    let words = &*WORDS;
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut word = String::new();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_ascii_digit() {
            let (value, n) = digits(&text.as_bytes()[start..]);
            let mut len = n;
            // a longer digit run is one (meaningless) number
            while text
                .as_bytes()
                .get(start + len)
                .is_some_and(u8::is_ascii_digit)
            {
                len += 1;
            }
            for _ in 0..len {
                chars.next();
            }
            out.push(Token::Number(value, len));
        } else if c.is_alphabetic() {
            word.clear();
            while let Some(&(_, c)) = chars.peek() {
                if !c.is_alphabetic() {
                    break;
                }
                word.extend(c.to_lowercase());
                chars.next();
            }
            if let Some(&month) = words.months.get(word.as_str()) {
                out.push(Token::Month(month));
            } else if !words.fillers.contains(&word.as_str()) {
                out.push(Token::Word);
            }
        } else {
            chars.next();
            // "12.03.2025", "12/03/2025": numbers joined by one separator stay apart as
            // tokens but remember the separator through the numeric pass below.
        }
        if out.len() > 4096 {
            break;
        }
    }
    out
}

/// A numeric date written for readers: `14.03.2025` (day first), `2025-03-14`,
/// `11/18/2019` (only where the order is plain: one of the first two numbers is over 12).
fn numeric_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let (first, n1) = digits(&b[i..]);
        let sep = b.get(i + n1).copied();
        if let Some(sep @ (b'.' | b'/' | b'-')) = sep {
            let j = i + n1 + 1;
            let (second, n2) = digits(b.get(j..).unwrap_or(&[]));
            if n2 > 0 && b.get(j + n2) == Some(&sep) {
                let k = j + n2 + 1;
                let (third, n3) = digits(b.get(k..).unwrap_or(&[]));
                let ends = b.get(k + n3).is_none_or(|c| !c.is_ascii_digit());
                if n3 > 0 && ends {
                    let found = match (n1, n2, n3, sep) {
                        (4, 1..=2, 1..=2, _) => ymd(first, second, third),
                        (1..=2, 1..=2, 4, b'.') => ymd(third, second, first),
                        (1..=2, 1..=2, 4, _) if first > 12 => ymd(third, second, first),
                        (1..=2, 1..=2, 4, _) if second > 12 => ymd(third, first, second),
                        _ => None,
                    };
                    if found.is_some() {
                        return found;
                    }
                }
            }
        }
        i += n1.max(1);
    }
    None
}

/// The first date written for readers in `text`, in words or in numbers.
pub(crate) fn parse_text(text: &str) -> Option<NaiveDate> {
    let tokens = tokens(text);
    let mut from_words = None;
    for window in 0..tokens.len() {
        let t = &tokens[window..tokens.len().min(window + 3)];
        let found = match *t {
            // 14 March 2025, 14-mart 2025
            [
                Token::Number(d, 1..=2),
                Token::Month(m),
                Token::Number(y, 4),
            ] => ymd(y, m.into(), d),
            // March 14, 2025
            [
                Token::Month(m),
                Token::Number(d, 1..=2),
                Token::Number(y, 4),
            ] => ymd(y, m.into(), d),
            // 2025-yil 14-mart, 2025 жылғы 14 наурыз
            [
                Token::Number(y, 4),
                Token::Number(d, 1..=2),
                Token::Month(m),
            ] => ymd(y, m.into(), d),
            // 2025 March 14
            [
                Token::Number(y, 4),
                Token::Month(m),
                Token::Number(d, 1..=2),
            ] => ymd(y, m.into(), d),
            _ => None,
        };
        if found.is_some() {
            from_words = found;
            break;
        }
    }
    let numeric = numeric_date(text);
    match (from_words, numeric) {
        (Some(w), Some(n)) => {
            // The one written first is the one the text means; compare by position.
            Some(if position_of(text, n) < position_of_words(text) {
                n
            } else {
                w
            })
        }
        (w, n) => w.or(n),
    }
}

/// Where a numeric date's year first appears (a rough position, for ordering).
fn position_of(text: &str, date: NaiveDate) -> usize {
    text.find(&date.year().to_string()).unwrap_or(usize::MAX)
}

/// Where the first month name appears.
fn position_of_words(text: &str) -> usize {
    let words = &*WORDS;
    let mut offset = 0;
    for piece in text.split(|c: char| !c.is_alphabetic()) {
        if !piece.is_empty() && words.months.contains_key(piece.to_lowercase().as_str()) {
            return offset;
        }
        offset += piece.len() + 1;
    }
    usize::MAX
}

/// Whether a short line is only a date, with a time or a word or two around it ("March 14,
/// 2025 at 9:41 am", "Обновлено 15.03.2025"): page furniture, not part of the story.
pub(crate) fn is_date_line(text: &str) -> bool {
    text.len() <= 80
        && text.bytes().any(|b| b.is_ascii_digit())
        && tokens(text).iter().filter(|t| **t == Token::Word).count() <= 4
        && parse_text(text).is_some()
}

/// Whether `text` says its date is an update ("Updated", "Обновлено").
pub(crate) fn says_updated(text: &str) -> bool {
    let words = &*WORDS;
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .any(|w| words.updated.contains(&w.to_lowercase().as_str()))
}

/// A date in a URL's path: `/2025/03/14/`, `/2025-03-14-title`, `/20250314/`, `_20250314.html`.
/// A year and month alone (`/2025/03/title`) give nothing.
pub(crate) fn from_url(url: &str) -> Option<NaiveDate> {
    let path = match url.find("://") {
        Some(scheme) => {
            let rest = &url[scheme + 3..];
            &rest[rest.find('/')?..]
        }
        None => url,
    };
    let b = path.as_bytes();
    let is_sep = |c: u8| matches!(c, b'/' | b'-' | b'_' | b'.' | b'?' | b'=' | b'&');
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && !is_sep(b[i - 1])) {
            i += 1;
            continue;
        }
        let (value, n) = digits(&b[i..]);
        let mut len = n;
        while b.get(i + len).is_some_and(u8::is_ascii_digit) {
            len += 1;
        }
        let bounded = b.get(i + len).is_none_or(|&c| is_sep(c));
        if bounded
            && len == 8
            && let Some(date) = ymd(value / 10000, value / 100 % 100, value % 100)
        {
            return Some(date);
        }
        if bounded && len == 4 {
            // 2025/03/14 or 2025-03-14
            if let Some(&sep) = b.get(i + 4)
                && (sep == b'/' || sep == b'-')
            {
                let (month, m) = digits(&b[i + 5..]);
                if m == 2 && b.get(i + 7) == Some(&sep) {
                    let (day, d) = digits(&b[i + 8..]);
                    let day_bounded = b.get(i + 8 + d).is_none_or(|&c| is_sep(c));
                    if d == 2
                        && day_bounded
                        && let Some(date) = ymd(value, month, day)
                    {
                        return Some(date);
                    }
                }
            }
        }
        i += len.max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn machine_forms() {
        assert_eq!(parse_machine("2025-03-14T09:41:00+05:00"), d(2025, 3, 14));
        assert_eq!(parse_machine("2025-03-14"), d(2025, 3, 14));
        assert_eq!(parse_machine("20250314"), d(2025, 3, 14));
        assert_eq!(parse_machine("2025/3/4 10:00"), d(2025, 3, 4));
        assert_eq!(
            parse_machine("Fri, 14 Mar 2025 09:41:00 GMT"),
            d(2025, 3, 14)
        );
        assert_eq!(parse_machine("2025-13-14"), None);
        assert_eq!(parse_machine("yesterday"), None);
        assert_eq!(parse_machine(""), None);
    }

    #[test]
    fn written_dates_one_row_per_language() {
        for (text, want) in [
            ("Published March 14, 2025 at 9:41", d(2025, 3, 14)),
            ("14th of March 2025", d(2025, 3, 14)),
            ("Nov. 18, 2019 10:05 am ET", d(2019, 11, 18)),
            ("14 марта 2025 г., 09:41", d(2025, 3, 14)),
            ("14. März 2025", d(2025, 3, 14)),
            ("14 наурыз 2025 ж.", d(2025, 3, 14)),
            ("2025-yil 14-mart", d(2025, 3, 14)),
            ("14 Mart 2025 Cuma", d(2025, 3, 14)),
            ("14 березня 2025", d(2025, 3, 14)),
            ("14.03.2025 09:41", d(2025, 3, 14)),
            ("11/18/2019", d(2019, 11, 18)),
            ("18/11/2019", d(2019, 11, 18)),
        ] {
            assert_eq!(parse_text(text), want, "{text}");
        }
    }

    #[test]
    fn no_date_is_invented() {
        for text in [
            "14 марта",
            "03/04/2025",
            "May the best team win in 2025",
            "Page 12 of 2025 results",
            "31 February 2025",
            "",
        ] {
            assert_eq!(parse_text(text), None, "{text}");
        }
    }

    #[test]
    fn dates_in_urls() {
        assert_eq!(
            from_url("https://techcrunch.com/2019/11/18/new-york-state/"),
            d(2019, 11, 18)
        );
        assert_eq!(
            from_url("https://x.kz/news/20250314/123.html"),
            d(2025, 3, 14)
        );
        assert_eq!(from_url("https://x.de/a/2025-03-14-titel"), d(2025, 3, 14));
        assert_eq!(from_url("https://x.com/2025/03/title"), None);
        assert_eq!(from_url("https://x.com/articles/story-11574168580"), None);
        assert_eq!(from_url("https://x.com/story-19600475/"), None);
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("March 14, 2025 at 9:41 am ET"));
        assert!(is_date_line("Обновлено 15.03.2025, 10:00"));
        assert!(!is_date_line(
            "On March 14, 2025 the parliament passed the budget after a debate."
        ));
        assert!(!is_date_line("Bugs fixed"));
    }

    #[test]
    fn updated_words() {
        assert!(says_updated("Updated: Nov 18, 2019"));
        assert!(says_updated("Обновлено 14.03.2025"));
        assert!(!says_updated("Published 14.03.2025"));
    }
}
