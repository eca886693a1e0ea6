//! Dates as feeds write them: RFC 822/2822 `pubDate` with its common deviations (no weekday,
//! named zones, single-digit days, two-digit years, localized month names such as Russian
//! sites' "12 сен 2025"), ISO 8601 (`dc:date`, Atom `published`/`updated`) and day-first
//! numeric dates (`12.09.2025`).
//!
//! Only the calendar date is kept, as the feed wrote it in its own offset: an article published
//! at 23:30 Moscow time on the 12th is from the 12th for its readers. A string that does not
//! name a date unambiguously gives `None`; no date is ever guessed.
//!
//! Not for: dates in running text (the HTML metadata reader has its own rules of trust).

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

/// Month spellings → month number, from `data/feed/months.txt`.
static MONTHS: LazyLock<HashMap<String, u32>> = LazyLock::new(|| {
    let mut months = HashMap::new();
    for line in include_str!("../../data/feed/months.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let Some(Ok(month)) = fields.next().map(str::parse::<u32>) else {
            continue;
        };
        // The second field is the language code: it documents the table, the parser does
        // not need it (a spelling means the same month in every language listed).
        let _language = fields.next();
        for spelling in fields {
            months.insert(spelling.to_string(), month);
        }
    }
    months
});

/// The month a word names (`"Sep"`, `"сентября"`, `"Okt."` without its dot), if any.
fn month_of(word: &str) -> Option<u32> {
    MONTHS.get(word).copied()
}

/// One piece of a date string.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// A run of ASCII digits: its value (saturated) and its digit count.
    Number(u32, usize),
    /// A run of letters, lowercased.
    Word(String),
    /// Any other character but whitespace.
    Mark(char),
}

#[derive(Debug, Clone)]
struct Token {
    piece: Piece,
    /// Whether whitespace came right before it.
    spaced: bool,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    let mut spaced = false;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            spaced = true;
            chars.next();
        } else if c.is_ascii_digit() {
            let (mut value, mut digits) = (0u32, 0usize);
            while let Some(&d) = chars.peek() {
                let Some(v) = d.to_digit(10).filter(|_| d.is_ascii_digit()) else {
                    break;
                };
                value = value.saturating_mul(10).saturating_add(v);
                digits += 1;
                chars.next();
            }
            tokens.push(Token {
                piece: Piece::Number(value, digits),
                spaced,
            });
            spaced = false;
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&d) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                word.extend(d.to_lowercase());
                chars.next();
            }
            tokens.push(Token {
                piece: Piece::Word(word),
                spaced,
            });
            spaced = false;
        } else {
            tokens.push(Token {
                piece: Piece::Mark(c),
                spaced,
            });
            spaced = false;
            chars.next();
        }
    }
    tokens
}

/// The calendar date a feed date string names, if it names one unambiguously.
///
/// ```
/// use chrono::NaiveDate;
/// use xabar_ingest::feed::parse_date;
/// let day = NaiveDate::from_ymd_opt(2025, 9, 5);
/// assert_eq!(parse_date("Fri, 5 Sep 2025 10:00:00 GMT"), day);
/// assert_eq!(parse_date("05 сен 2025 10:00:00 +0300"), day);
/// assert_eq!(parse_date("2025-09-05T10:00:00+03:00"), day);
/// assert_eq!(parse_date("05.09.2025 10:00"), day);
/// assert_eq!(parse_date("soon"), None);
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // Real dates are short; a long string is text, not a date, and is not worth scanning.
    if text.len() > 200 {
        return None;
    }
    let tokens = tokenize(text);
    // A two-digit year is the weakest reading ("10.05.09" may be a time): try it last.
    numeric_date(&tokens, false)
        .or_else(|| named_month_date(&tokens))
        .or_else(|| numeric_date(&tokens, true))
}

fn number(tokens: &[Token], i: usize) -> Option<(u32, usize)> {
    match tokens.get(i).map(|t| &t.piece) {
        Some(Piece::Number(value, digits)) => Some((*value, *digits)),
        _ => None,
    }
}

fn mark(tokens: &[Token], i: usize) -> Option<char> {
    match tokens.get(i).map(|t| &t.piece) {
        Some(Piece::Mark(c)) => Some(*c),
        _ => None,
    }
}

fn date(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    // Outside this range a "year" is far more likely a misread number than a news date.
    if !(1900..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A two-digit year as RFC 2822 reads it: 00–49 are 2000–2049, 50–99 are 1950–1999.
fn full_year(value: u32, digits: usize) -> u32 {
    match digits {
        2 if value < 50 => 2000 + value,
        2 => 1900 + value,
        _ => value,
    }
}

/// All-numeric dates: `2025-09-12` (ISO, also with `/` or `.`), `20250912`, and day-first
/// `12.09.2025` / `12-09-2025`; `12/09/2025` only when the day is above 12 (otherwise it may be
/// the American month-first order, and the date is ambiguous). Two-digit years (`12.09.25`)
/// only when `short_year` is set.
fn numeric_date(tokens: &[Token], short_year: bool) -> Option<NaiveDate> {
    for i in 0..tokens.len() {
        let Some((first, first_digits)) = number(tokens, i) else {
            continue;
        };
        // Part of a time ("10:00") or of a zone ("+0300"), not a date.
        if i > 0 && matches!(mark(tokens, i - 1), Some(':' | '+')) {
            continue;
        }
        if first_digits == 8
            && i == first_numeric(tokens)
            && let Some(d) = date(first / 10_000, first / 100 % 100, first % 100)
        {
            return Some(d);
        }
        let Some(sep) = mark(tokens, i + 1).filter(|c| matches!(c, '-' | '/' | '.')) else {
            continue;
        };
        let (Some((second, second_digits)), Some(sep2), Some((third, third_digits))) = (
            number(tokens, i + 2),
            mark(tokens, i + 3),
            number(tokens, i + 4),
        ) else {
            continue;
        };
        if sep2 != sep || second_digits > 2 {
            continue;
        }
        if first_digits == 4 && third_digits <= 2 {
            return date(first, second, third);
        }
        if first_digits <= 2 && (third_digits == 4 || (short_year && third_digits == 2)) {
            let year = full_year(third, third_digits);
            return match sep {
                '/' if first > 12 => date(year, second, first),
                '/' if second > 12 => date(year, first, second),
                '/' => None,
                _ => date(year, second, first),
            };
        }
    }
    None
}

fn first_numeric(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .position(|t| matches!(t.piece, Piece::Number(..)))
        .unwrap_or(usize::MAX)
}

/// Dates with a month name: `Fri, 12 Sep 2025 10:00:00 +0300`, `12 сентября 2025 г.`,
/// `Sep 12, 2025`, `Fri Sep 12 2025 10:00:00 GMT+0300`, `12-Sep-25`.
fn named_month_date(tokens: &[Token]) -> Option<NaiveDate> {
    let (at, month) = tokens
        .iter()
        .enumerate()
        .find_map(|(i, t)| match &t.piece {
            Piece::Word(w) => month_of(w).map(|m| (i, m)),
            _ => None,
        })?;
    // The numbers that can be a day or a year: not parts of a time ("10:00:00"), not a zone
    // offset ("+0300", " -0500", "00-0500").
    let is_time =
        |i: usize| (i > 0 && mark(tokens, i - 1) == Some(':')) || mark(tokens, i + 1) == Some(':');
    let candidates: Vec<(usize, u32, usize)> = (0..tokens.len())
        .filter_map(|i| {
            let (value, digits) = number(tokens, i)?;
            if digits > 4 || is_time(i) {
                return None;
            }
            if i > 0 {
                match mark(tokens, i - 1) {
                    Some('+') => return None,
                    Some('-') if tokens[i - 1].spaced || (i >= 2 && is_time(i - 2)) => {
                        return None;
                    }
                    _ => {}
                }
            }
            Some((i, value, digits))
        })
        .collect();
    let year_at = candidates
        .iter()
        .find(|(_, v, d)| *d == 4 && (1900..=2100).contains(v))
        .copied();
    let days = candidates
        .iter()
        .filter(|(_, v, d)| *d <= 2 && (1..=31).contains(v));
    match year_at {
        Some((year_index, year, _)) => {
            let (_, day, _) = days
                .filter(|(i, ..)| *i != year_index)
                .min_by_key(|(i, ..)| i.abs_diff(at))
                .copied()?;
            date(year, month, day)
        }
        None => {
            // Two-digit year: the day comes first, either before the month (RFC 850
            // "12-Sep-25") or right after it ("Sep 12 25").
            let two: Vec<(usize, u32, usize)> = candidates
                .iter()
                .filter(|(_, _, d)| *d <= 2)
                .copied()
                .collect();
            let before = two.iter().rev().find(|(i, ..)| *i < at).copied();
            let after: Vec<(usize, u32, usize)> =
                two.iter().filter(|(i, ..)| *i > at).copied().collect();
            let (day, year) = match (before, after.as_slice()) {
                (Some(day), [year, ..]) => (day, *year),
                (None, [day, year, ..]) => (*day, *year),
                _ => return None,
            };
            date(full_year(year.1, year.2), month, day.1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn rfc_822_and_its_deviations() {
        let cases = [
            ("Fri, 12 Sep 2025 10:00:00 +0300", ymd(2025, 9, 12)),
            ("Fri, 12 Sep 2025 10:00:00 GMT", ymd(2025, 9, 12)),
            ("12 Sep 2025 10:00:00 UTC", ymd(2025, 9, 12)),
            ("Tue, 2 Sep 2025 10:00 MSK", ymd(2025, 9, 2)),
            ("Tue,2 Sept 2025 10:00:00 +03:00", ymd(2025, 9, 2)),
            ("Tuesday, 02 September 2025 09:15:00 -0500", ymd(2025, 9, 2)),
            ("Fri, 12 Sep 25 10:00:00 GMT", ymd(2025, 9, 12)),
            ("Friday, 12-Sep-25 10:00:00 GMT", ymd(2025, 9, 12)),
            (
                "Fri Sep 12 2025 10:00:00 GMT+0300 (Moscow Standard Time)",
                ymd(2025, 9, 12),
            ),
            ("Sep 12, 2025 10:00 PM", ymd(2025, 9, 12)),
            ("Wed, 31 Dec 2025 23:59:59 -0500", ymd(2025, 12, 31)),
            ("  Mon, 1 Jan 2024 00:00:00 Z ", ymd(2024, 1, 1)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), want, "{text}");
        }
    }

    #[test]
    fn localized_month_names() {
        let cases = [
            ("Пт, 12 сен 2025 10:00:00 +0300", ymd(2025, 9, 12)),
            ("12 сентября 2025 г., 10:00", ymd(2025, 9, 12)),
            ("1 мая 2025", ymd(2025, 5, 1)),
            ("12 вересня 2025", ymd(2025, 9, 12)),
            ("12 қыркүйек 2025", ymd(2025, 9, 12)),
            ("12 sentabr 2025", ymd(2025, 9, 12)),
            ("12. Okt. 2025", ymd(2025, 10, 12)),
            ("3. März 2025", ymd(2025, 3, 3)),
            ("12 Eylül 2025", ymd(2025, 9, 12)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), want, "{text}");
        }
    }

    #[test]
    fn numeric_dates() {
        let cases = [
            ("2025-09-12", ymd(2025, 9, 12)),
            ("2025-09-12T10:00:00+03:00", ymd(2025, 9, 12)),
            ("2025-09-12T23:30:00.000Z", ymd(2025, 9, 12)),
            ("2025-09-12 10:00:00", ymd(2025, 9, 12)),
            ("2025/9/1", ymd(2025, 9, 1)),
            ("20250912T100000Z", ymd(2025, 9, 12)),
            ("12.09.2025 10:00", ymd(2025, 9, 12)),
            ("Пятница, 12.09.2025", ymd(2025, 9, 12)),
            ("25/09/2025", ymd(2025, 9, 25)),
            ("12.09.25", ymd(2025, 9, 12)),
            ("Fri, 12 Sep 2025 10.05.09", ymd(2025, 9, 12)),
            ("09/25/2025", ymd(2025, 9, 25)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), want, "{text}");
        }
    }

    #[test]
    fn no_date_is_guessed() {
        for text in [
            "",
            "soon",
            "10:00:00 +0300",
            "09/10/2025",
            "32 Sep 2025",
            "31 Feb 2025",
            "Sep 2025",
            "2025-13-01",
            "12 Sep 3025",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
