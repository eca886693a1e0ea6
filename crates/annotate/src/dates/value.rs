//! Turns a parsed date expression into its normalized value, against the published date.
//!
//! The rules (also in `docs/DATES.md`):
//! - a day and month without a year take the year that puts the date nearest to the published
//!   date (a November date in a January article is the previous November; a March date in a
//!   December article is the next March); a month alone likewise; without a published date the
//!   year cannot be known and the value says so: `--11-11`, `--11`;
//! - relative expressions (`кеше`, `үш жыл бұрын`, `next week`, weekdays, seasons without a
//!   year) need the published date; without one they have no value, and no mention is made;
//! - a weekday alone is the nearest such day on or before the published date, or on or after
//!   it when a `next` modifier or the sentence's future tense says so;
//! - `next week` and other week shifts are ISO weeks (`2025-W47`); months `2025-12`; years
//!   `2024`; days `2025-11-10`;
//! - durations are ISO 8601 durations (`P3Y`, `P2W`, `P5D`; `PXY` when the count is vague),
//!   repeating sets ISO 8601 repeating intervals (`R/P1Y`), seasons, quarters and halves
//!   TimeML style (`2025-SU`, `2025-Q1`, `2025-H2`), centuries and decades ISO 8601 reduced
//!   precision (`20` = 2000–2099, `199` = the 1990s), open ranges ISO 8601-2 style (`2025-03/..`,
//!   `../2025-04-21`), and vague references TimeML's `PAST_REF`, `PRESENT_REF`, `FUTURE_REF`.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::grammar::{Cal, Node, YearRef};
use super::lexicon::{Season, Unit};

/// What the value depends on besides the expression.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    pub published: Option<NaiveDate>,
    /// The sentence speaks of the future (for weekdays without `next`/`last`).
    pub future: bool,
}

/// The value of a node, or `None` when it cannot be given (no published date for a relative
/// expression, an impossible date such as 30 February).
pub(crate) fn render(node: &Node, ctx: Context) -> Option<String> {
    match node {
        Node::Cal(cal) => render_cal(cal, ctx, None),
        Node::Shift(unit, n) => shift(*unit, *n, ctx.published?),
        Node::Weekday(day, dir) => weekday(*day, *dir, ctx),
        Node::Duration(n, unit) => Some(duration(*n, *unit)),
        Node::Set(unit) => Some(format!("R/{}", duration(Some(1), *unit))),
        Node::Century(n) => (1..=30).contains(n).then(|| format!("{:02}", n - 1)),
        Node::Decade(y) => (1000..=2990).contains(y).then(|| format!("{}", y / 10)),
        Node::Present => Some("PRESENT_REF".into()),
        Node::Past => Some("PAST_REF".into()),
        Node::Future => Some("FUTURE_REF".into()),
        Node::Range(a, b) => render_range(a, b, ctx),
        Node::Since(a) => Some(format!("{}/..", render(a, ctx)?)),
        Node::Until(a) => Some(format!("../{}", render(a, ctx)?)),
    }
}

fn render_range(a: &Node, b: &Node, ctx: Context) -> Option<String> {
    // A range of lengths (`бір айдан алты айға дейін`) is a length not known exactly.
    if let (Node::Duration(_, unit), Node::Duration(..)) = (a, b) {
        return Some(duration(None, *unit));
    }
    // Both ends without a year: the start takes the year nearest the published date, the end
    // the same year, or the next for `28 декабря – 3 января`.
    if let (Node::Cal(x), Node::Cal(y)) = (a, b)
        && x.year == YearRef::Unknown
        && y.year == YearRef::Unknown
        && let Some(published) = ctx.published
        && let (Some(m1), Some(m2)) = (x.month, y.month)
    {
        let year = nearest_year(published, m1, x.day)?;
        let end_year = if m2 < m1 { year + 1 } else { year };
        let left = render_cal(x, ctx, Some(year))?;
        let right = render_cal(y, ctx, Some(end_year))?;
        return Some(format!("{left}/{right}"));
    }
    Some(format!("{}/{}", render(a, ctx)?, render(b, ctx)?))
}

fn resolve_year(year: YearRef, published: Option<NaiveDate>) -> Option<Option<i32>> {
    Some(match year {
        YearRef::Unknown => None,
        YearRef::Abs(y) => Some(y),
        YearRef::Rel(n) => Some(published?.year() + n),
        YearRef::TwoDigit(n) => {
            let n = n as i32;
            let limit = published.map_or(2030, |p| p.year() + 10);
            Some(if 2000 + n <= limit {
                2000 + n
            } else {
                1900 + n
            })
        }
    })
}

fn render_cal(cal: &Cal, ctx: Context, year_hint: Option<i32>) -> Option<String> {
    let year = match year_hint {
        Some(y) => Some(y),
        None => resolve_year(cal.year, ctx.published)?,
    };
    if let Some(season) = cal.season {
        let year = match year {
            Some(y) => y,
            None => ctx.published?.year(),
        };
        let code = match season {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Autumn => "FA",
            Season::Winter => "WI",
        };
        return Some(format!("{year:04}-{code}"));
    }
    if let Some(part) = cal.part {
        let year = match year {
            Some(y) => y,
            None => ctx.published?.year(),
        };
        return Some(match part {
            1..=4 => format!("{year:04}-Q{part}"),
            _ => format!("{year:04}-H{}", part - 4),
        });
    }
    let Some(month) = cal.month else {
        return year.map(|y| format!("{y:04}"));
    };
    if !(1..=12).contains(&month) {
        return None;
    }
    let year = match (year, ctx.published) {
        (Some(y), _) => Some(y),
        (None, Some(p)) => Some(nearest_year(p, month, cal.day)?),
        (None, None) => None,
    };
    match (year, cal.day) {
        (Some(y), Some(d)) => {
            NaiveDate::from_ymd_opt(y, month.into(), d.into())?;
            Some(format!("{y:04}-{month:02}-{d:02}"))
        }
        (Some(y), None) => Some(format!("{y:04}-{month:02}")),
        (None, Some(d)) => {
            // Valid in a leap year at least.
            NaiveDate::from_ymd_opt(2024, month.into(), d.into())?;
            Some(format!("--{month:02}-{d:02}"))
        }
        (None, None) => Some(format!("--{month:02}")),
    }
}

/// The year (published year −1, 0 or +1) that puts `month`/`day` nearest to `published`; a
/// month alone counts from its 15th.
fn nearest_year(published: NaiveDate, month: u8, day: Option<u8>) -> Option<i32> {
    let y = published.year();
    [y - 1, y, y + 1]
        .into_iter()
        .filter_map(|year| {
            let date = NaiveDate::from_ymd_opt(year, month.into(), day.unwrap_or(15).into())?;
            Some(((date - published).num_days().abs(), year))
        })
        .min()
        .map(|(_, year)| year)
}

fn shift(unit: Unit, n: i32, published: NaiveDate) -> Option<String> {
    match unit {
        Unit::Day => {
            let date = if n >= 0 {
                published.checked_add_days(Days::new(n as u64))?
            } else {
                published.checked_sub_days(Days::new(n.unsigned_abs() as u64))?
            };
            Some(date.format("%Y-%m-%d").to_string())
        }
        Unit::Week => {
            let date = if n >= 0 {
                published.checked_add_days(Days::new(7 * n as u64))?
            } else {
                published.checked_sub_days(Days::new(7 * n.unsigned_abs() as u64))?
            };
            let week = date.iso_week();
            Some(format!("{:04}-W{:02}", week.year(), week.week()))
        }
        Unit::Month => {
            let first = published.with_day(1)?;
            let date = if n >= 0 {
                first.checked_add_months(Months::new(n as u32))?
            } else {
                first.checked_sub_months(Months::new(n.unsigned_abs()))?
            };
            Some(date.format("%Y-%m").to_string())
        }
        Unit::Year => Some(format!("{:04}", published.year() + n)),
        Unit::Quarter => {
            let q = (published.month0() / 3) as i32 + n;
            let (year, q) = (published.year() + q.div_euclid(4), q.rem_euclid(4) + 1);
            Some(format!("{year:04}-Q{q}"))
        }
        Unit::Century => {
            let c = published.year() / 100 + n;
            Some(format!("{c:02}"))
        }
        Unit::Decade => {
            let d = published.year() / 10 + n;
            Some(format!("{d}"))
        }
        Unit::HalfYear => {
            let h = (published.month0() / 6) as i32 + n;
            let (year, h) = (published.year() + h.div_euclid(2), h.rem_euclid(2) + 1);
            Some(format!("{year:04}-H{h}"))
        }
        Unit::Age | Unit::Time => None,
    }
}

fn weekday(day: u8, dir: i8, ctx: Context) -> Option<String> {
    let published = ctx.published?;
    let today = published.weekday().number_from_monday() as i64;
    let day = i64::from(day);
    let forward = dir > 0 || (dir == 0 && ctx.future);
    let delta = if forward {
        let d = (day - today).rem_euclid(7);
        if dir > 0 && d == 0 { 7 } else { d }
    } else {
        let d = (today - day).rem_euclid(7);
        if dir < 0 && d == 0 { -7 } else { -d }
    };
    let date = published.checked_add_signed(chrono::TimeDelta::days(delta))?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn duration(n: Option<u32>, unit: Unit) -> String {
    let (mult, designator) = match unit {
        Unit::Year | Unit::Age => (1, 'Y'),
        Unit::Century => (100, 'Y'),
        Unit::Decade => (10, 'Y'),
        Unit::HalfYear => (6, 'M'),
        Unit::Quarter => (3, 'M'),
        Unit::Month => (1, 'M'),
        Unit::Week => (1, 'W'),
        Unit::Day | Unit::Time => (1, 'D'),
    };
    match n {
        Some(n) => format!("P{}{designator}", u64::from(n) * mult),
        None => format!("PX{designator}"),
    }
}
