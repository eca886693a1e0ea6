//! The date grammar: reads atoms (see [`super::scan`]) and finds the longest date expression
//! at each place, as a [`Node`] that [`super::value`] turns into an ISO 8601 style value.
//!
//! The grammar is one set of rules for every language; the lexicon says which words are
//! months, units, modifiers and links, and a few per-language word orders (`March 12`,
//! `im Jahr 2020`, `соли гузашта`). An expression is a point (a calendar date, a relative day,
//! a duration, a set, a season, a weekday), optionally a range of two points, optionally with
//! postpositions (`дейін`, `бері`, `бұрын`, `назад`, `ago`) and after prepositions (`в`, `am`,
//! `с`, `до`, `vor`), which are left out of the span.

use super::lexicon::{Link, Mod, Orders, Role, Season, Unit, Word};
use super::scan::{Atom, Gap, Kind, Number};

/// A year as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YearRef {
    /// Not written.
    Unknown,
    /// Written in full (`2024`).
    Abs(i32),
    /// Relative to the published year (`былтыр` = −1).
    Rel(i32),
    /// Two digits or a two-digit ordinal (`тоқсан бірінші жылы` = '91).
    TwoDigit(u32),
}

/// A calendar date, possibly partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cal {
    pub year: YearRef,
    pub month: Option<u8>,
    pub day: Option<u8>,
    pub season: Option<Season>,
    pub weekday: Option<u8>,
    /// Which quarter (1–4) or half (5–6 = first, second half) of the year.
    pub part: Option<u8>,
}

impl Cal {
    fn year(year: YearRef) -> Cal {
        Cal {
            year,
            month: None,
            day: None,
            season: None,
            weekday: None,
            part: None,
        }
    }
}

/// A date expression's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Cal(Cal),
    /// The published date shifted by a number of units (`кеше`, `next week`, `үш жыл бұрын`).
    Shift(Unit, i32),
    /// A weekday with no date: −1 the last one, +1 the next one, 0 by the sentence's tense.
    Weekday(u8, i8),
    /// A length of time; `None` when the count is not exact (`бірнеше жыл`).
    Duration(Option<u32>, Unit),
    /// Every unit (`жыл сайын`, `ежегодно`).
    Set(Unit),
    /// An ordinal century (`21-інші ғасыр`).
    Century(u32),
    /// The decade starting in this year (`1990-жылдары`).
    Decade(i32),
    Present,
    Past,
    Future,
    Range(Box<Node>, Box<Node>),
    Since(Box<Node>),
    Until(Box<Node>),
}

/// A found expression: atoms `first..=last` are its span; parsing went on to `next`.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub first: usize,
    pub last: usize,
    pub next: usize,
    pub node: Node,
}

/// A parsed piece: its meaning, the last atom in the span, and the atom after it.
#[derive(Debug, Clone)]
struct Piece {
    node: Node,
    last: usize,
    next: usize,
}

pub(crate) struct Parser<'x, 'a> {
    atoms: &'x [Atom<'a>],
    orders: Orders,
}

/// Finds every date expression in the atoms, left to right, without overlaps.
pub(crate) fn parse(atoms: &[Atom<'_>], orders: Orders) -> Vec<Found> {
    let parser = Parser { atoms, orders };
    let mut out = Vec::new();
    let mut i = 0;
    while i < atoms.len() {
        if !parser.may_start(i) {
            i += 1;
            continue;
        }
        match parser.expr(i) {
            Some(found) => {
                i = found.next.max(i + 1);
                out.push(found);
            }
            None => i += 1,
        }
    }
    out
}

fn is_joined(gap: Gap) -> bool {
    matches!(gap, Gap::Space | Gap::None | Gap::Hyphen)
}

impl<'x, 'a> Parser<'x, 'a> {
    fn atom(&self, j: usize) -> Option<&Atom<'a>> {
        self.atoms.get(j)
    }

    fn gap(&self, j: usize) -> Gap {
        self.atoms.get(j).map_or(Gap::Stop, |a| a.gap)
    }

    /// Whether atom `j` exists and is joined to the one before it by a space or hyphen.
    fn joined(&self, j: usize) -> bool {
        self.atoms.get(j).is_some_and(|a| is_joined(a.gap))
    }

    fn word<T>(&self, j: usize, f: impl Fn(Word) -> Option<T>) -> Option<T> {
        self.atoms.get(j).and_then(|a| a.find(f))
    }

    fn number(&self, j: usize) -> Option<Number> {
        self.atoms.get(j).and_then(Atom::number)
    }

    fn unit(&self, j: usize) -> Option<Unit> {
        let a = self.atoms.get(j)?;
        // `жылдығы`, `жылдығына` (an anniversary) are not units of time; `жылдық` is.
        if a.roles.has(Role::Deriv)
            && [Role::Poss, Role::Dat, Role::Gen, Role::Ins, Role::Acc]
                .iter()
                .any(|&r| a.roles.has(r))
        {
            return None;
        }
        a.find(|w| match w {
            Word::Unit(u) => Some(u),
            _ => None,
        })
    }

    fn is_word(&self, j: usize, word: Word) -> bool {
        self.atoms.get(j).is_some_and(|a| a.words.contains(&word))
    }

    /// Whether a year phrase ending at atom `j` qualifies a date after it: a genitive or
    /// adjective ending (`2019 жылдың`, `биылғы`, `өткен жылғы`) or a bare year word
    /// (`2024 йил ноябрь`); an adverb (`биыл`, `былтыр`, `өткен жылы`) stands apart, as in
    /// KazNERD.
    fn qualifies(&self, j: usize) -> bool {
        let Some(a) = self.atoms.get(j) else {
            return false;
        };
        if a.roles.has(Role::Gen) || a.roles.has(Role::Adj) {
            return true;
        }
        // A year in figures or number words with its year word: `1965-інші жылы 4-інші
        // мамырда`, `2024 йил ноябрь`.
        let numbered = j > 0 && self.number(j - 1).is_some() || self.number(j).is_some();
        numbered && !a.roles.has(Role::Loc)
    }

    fn part_mod(&self, j: usize) -> bool {
        matches!(
            self.modifier(j),
            Some(Mod::Begin | Mod::End | Mod::Middle | Mod::Half)
        )
    }

    fn modifier(&self, j: usize) -> Option<Mod> {
        self.word(j, |w| match w {
            Word::Mod(m) => Some(m),
            _ => None,
        })
    }

    fn post(&self, j: usize) -> Option<Link> {
        self.word(j, |w| match w {
            Word::Post(l) => Some(l),
            _ => None,
        })
    }

    fn has_role(&self, j: usize, role: Role) -> bool {
        self.atoms.get(j).is_some_and(|a| a.roles.has(role))
    }

    fn may_start(&self, i: usize) -> bool {
        let a = &self.atoms[i];
        !matches!(a.kind, Kind::Blank)
    }

    /// Prepositions, then a point or a range, then postpositions.
    fn expr(&self, i: usize) -> Option<Found> {
        let mut k = i;
        let mut link = None;
        let mut had_prep = false;
        while let Some(l) = self.word(k, |w| match w {
            Word::Prep(l) => Some(l),
            _ => None,
        }) {
            if k > i && !self.joined(k) {
                return None;
            }
            // A preposition that is also a range word or a unit (`по`, `bis`) may be part of
            // the date after all; the point parser decides.
            if self.is_point_start(k) {
                break;
            }
            had_prep = true;
            if l != Link::Plain {
                link = Some(l);
            }
            k += 1;
        }
        if k >= self.atoms.len() || (had_prep && !self.joined(k)) {
            return None;
        }
        let first = k;
        let mut piece = self.point(k, had_prep)?;
        // A genitive or adjective first part and what it qualifies are one expression:
        // `биылғы 9 айда`, `өткен ғасырдың елуінші жылдары`, `жаздың екі айында`.
        while self.gap(piece.next) == Gap::Space
            && (self.has_role(piece.last, Role::Gen) || self.has_role(piece.last, Role::Adj))
            && let Some(second) = self.point(piece.next, false)
        {
            piece = Piece {
                node: combine(piece.node, second.node),
                last: second.last,
                next: second.next,
            };
        }
        // The part of a period after it: `жылдың басында`, `жыл соңына`, `90-жылдардың басынан`.
        if self.joined(piece.next)
            && self.part_mod(piece.next)
            && (self.has_role(piece.last, Role::Gen)
                || self.unit(piece.last).is_some()
                    && self.atoms[piece.last].roles == super::lexicon::Roles::NONE)
        {
            piece.last = piece.next;
            piece.next += 1;
        }
        let mut ranged = false;
        if let Some(range) = self.range_tail(&piece) {
            piece = range;
            ranged = true;
        }
        // Postpositions: part of the span, except `бастап` (from), which KazNERD-style
        // annotation leaves out.
        let mut last = piece.last;
        let mut next = piece.next;
        let mut node = piece.node;
        // An "until" ending on the last word: `21-aprelgacha`, `30-сентябргача`.
        if !ranged && is_single(&node) && self.has_role(last, Role::Until) {
            node = Node::Until(Box::new(node));
        }
        while let Some(post) = self.post(next) {
            // `астам`, `шақты` (more than, about) follow counts only.
            if !self.joined(next) || post == Link::About && !matches!(node, Node::Duration(..)) {
                break;
            }
            node = match post {
                Link::Ago => match node {
                    Node::Duration(Some(n), unit) => Node::Shift(unit, -(n as i32)),
                    Node::Duration(None, _) => Node::Past,
                    other => other,
                },
                Link::Later => match node {
                    Node::Duration(Some(n), unit) => Node::Shift(unit, n as i32),
                    Node::Duration(None, _) => Node::Future,
                    other => other,
                },
                Link::Since | Link::From if !ranged && is_single(&node) => {
                    Node::Since(Box::new(node))
                }
                Link::Until if !ranged && is_single(&node) => Node::Until(Box::new(node)),
                Link::Every => match node {
                    Node::Duration(_, unit) => Node::Set(unit),
                    other => other,
                },
                _ => node,
            };
            if post != Link::From {
                last = next;
            }
            next += 1;
        }
        node = match link {
            Some(Link::Ago) => match node {
                Node::Duration(Some(n), unit) => Node::Shift(unit, -(n as i32)),
                Node::Duration(None, _) => Node::Past,
                other => other,
            },
            Some(Link::Later) => match node {
                Node::Duration(Some(n), unit) => Node::Shift(unit, n as i32),
                other => other,
            },
            Some(Link::Since | Link::From) if !ranged && is_single(&node) => {
                Node::Since(Box::new(node))
            }
            Some(Link::Until) if !ranged && is_single(&node) => Node::Until(Box::new(node)),
            _ => node,
        };
        Some(Found {
            first,
            last,
            next,
            node,
        })
    }

    /// Whether atom `k` can start a point by itself (so a preposition reading is not forced).
    fn is_point_start(&self, k: usize) -> bool {
        self.atoms[k].has(|w| matches!(w, Word::Month(_) | Word::RelDay(_) | Word::Unit(_)))
    }

    /// The longest point at `k`.
    fn point(&self, k: usize, after_prep: bool) -> Option<Piece> {
        let mut best: Option<Piece> = None;
        for piece in [
            self.cal(k, after_prep),
            self.year_range(k),
            self.relative(k),
            self.duration(k),
            self.single(k),
        ]
        .into_iter()
        .flatten()
        {
            if best.as_ref().is_none_or(|b| piece.next > b.next) {
                best = Some(piece);
            }
        }
        best
    }

    /// A year: digits or number words read as a year, with or without a year word after it.
    /// Returns the year, whether a year word (or other marker) says it is one, and the piece's
    /// last atom and next atom.
    fn year_abs(&self, j: usize, after_prep: bool) -> Option<(YearRef, bool, usize, usize)> {
        let a = self.atom(j)?;
        if let Some(u) = self.unit(j)
            && u == Unit::Year
            && self.orders.unit_year
            && self.joined(j + 1)
            && let Some(n) = self.number(j + 1)
            && is_full_year(n)
        {
            return Some((YearRef::Abs(n.value as i32), true, j + 1, j + 2));
        }
        let n = a.number()?;
        let year_word = self.joined(j + 1) && self.unit(j + 1) == Some(Unit::Year);
        let year = if is_full_year(n) {
            YearRef::Abs(n.value as i32)
        } else if n.ordinal && (10..=99).contains(&n.value) && n.digits != 1 && year_word {
            YearRef::TwoDigit(n.value)
        } else {
            return None;
        };
        if year_word && !self.has_role(j + 1, Role::Plural) {
            return Some((year, true, j + 1, j + 2));
        }
        if year_word {
            return None;
        }
        // `2017-де`, `2019-дан`: a four-digit number with a locative or ablative ending is a
        // year in the Turkic languages.
        let cased = n.digits == 4
            && (1900..=2100).contains(&n.value)
            && (a.roles.has(Role::Loc) || a.roles.has(Role::Abl))
            && !(self.joined(j + 1) && self.post(j + 1) == Some(Link::About));
        let marked = cased || (after_prep && self.orders.prep_year && n.digits == 4);
        Some((year, marked, j, j + 1))
    }

    /// A year relative to the published one: `биыл`, `былтырғы жылдың`, `өткен жылы`,
    /// `в прошлом году`, `прошлого года`, `соли гузашта`.
    fn year_rel(&self, j: usize) -> Option<(YearRef, usize, usize)> {
        if let Some(r) = self.word(j, |w| match w {
            Word::RelYear(r) => Some(r),
            _ => None,
        }) {
            // `биылғы жылдың` is one phrase; in `биыл жыл соңына дейін` the adverb stands apart.
            if self.joined(j + 1)
                && self.unit(j + 1) == Some(Unit::Year)
                && self.has_role(j, Role::Adj)
            {
                return Some((YearRef::Rel(r.into()), j + 1, j + 2));
            }
            return Some((YearRef::Rel(r.into()), j, j + 1));
        }
        let offset = |m: Mod| match m {
            Mod::Last => Some(-1),
            Mod::Next => Some(1),
            Mod::This => Some(0),
            _ => None,
        };
        if let Some(m) = self.modifier(j).and_then(offset)
            && self.joined(j + 1)
            && self.unit(j + 1) == Some(Unit::Year)
            && !self.has_role(j + 1, Role::Plural)
        {
            return Some((YearRef::Rel(m), j + 1, j + 2));
        }
        if self.orders.postmod
            && self.unit(j) == Some(Unit::Year)
            && self.joined(j + 1)
            && let Some(m) = self.modifier(j + 1).and_then(offset)
        {
            return Some((YearRef::Rel(m), j + 1, j + 2));
        }
        None
    }

    /// A day of the month, possibly a range of days (`11-12`, `11–22`, `с 11 по 22`,
    /// `бесі мен он төрті`): (first, last day, last atom, next atom).
    fn day(&self, j: usize) -> Option<(u8, Option<u8>, usize, usize)> {
        let n = self.number(j)?;
        if !is_day(n) {
            return None;
        }
        let d = n.value as u8;
        // A range of days.
        let conj = |k: usize| {
            self.joined(k) && (self.is_word(k, Word::Conj) || self.is_word(k, Word::And))
        };
        let (second, at) = if matches!(self.gap(j + 1), Gap::Hyphen | Gap::Dash) {
            (self.number(j + 1), j + 1)
        } else if conj(j + 1) && self.joined(j + 2) {
            (self.number(j + 2), j + 2)
        } else {
            (None, 0)
        };
        if let Some(m) = second
            && is_day(m)
            && m.value as u8 > d
        {
            return Some((d, Some(m.value as u8), at, at + 1));
        }
        Some((d, None, j, j + 1))
    }

    /// A month name at `j`. An ambiguous name (`маусым` season, `май` butter, `May`) needs a
    /// licence: a day or year already read, or a month word, day or year right after it. In a
    /// language that writes months in lower case, a capitalized one inside a sentence is a
    /// name (`Тамыз конференциясы`). Returns (month, last atom in the span, next atom): a
    /// month word after the name (`айында`, `ойида`) is read, and is part of the span only
    /// when the phrase goes on (`өткен жылдың шілде айында`, `қаңтар айынан бері`,
    /// `сәуір айының ортасында`), as in KazNERD.
    fn month(&self, j: usize, licensed: bool, year_before: bool) -> Option<(u8, usize, usize)> {
        let a = self.atom(j)?;
        let m = a.find(|w| match w {
            Word::Month(m) => Some(m),
            _ => None,
        })?;
        if self.orders.lowercase_months && a.capital && a.gap != Gap::Stop {
            return None;
        }
        let month_word = self.joined(j + 1) && self.is_word(j + 1, Word::MonthAfter);
        if a.ambiguous && !licensed {
            let followed = month_word
                || (self.joined(j + 1)
                    && self
                        .number(j + 1)
                        .is_some_and(|n| is_day(n) || is_full_year(n)));
            if !followed {
                return None;
            }
        }
        if month_word {
            let goes_on = year_before
                || self.joined(j + 2)
                    && (self.part_mod(j + 2) || self.post(j + 2).is_some_and(|p| p != Link::From));
            let last = if goes_on { j + 1 } else { j };
            return Some((m, last, j + 2));
        }
        Some((m, j, j + 1))
    }

    /// A season at `j`, with a day or month word after it in the span (`қыстың күндері`,
    /// `жаз айларында`): (season, last atom, next atom).
    fn season(&self, j: usize, licensed: bool) -> Option<(Season, usize, usize)> {
        let a = self.atom(j)?;
        if a.ambiguous && !licensed {
            return None;
        }
        let season = a.find(|w| match w {
            Word::Season(s) => Some(s),
            _ => None,
        })?;
        if self.joined(j + 1)
            && (self.is_word(j + 1, Word::DayAfter) || self.is_word(j + 1, Word::MonthAfter))
        {
            return Some((season, j + 1, j + 2));
        }
        Some((season, j, j + 1))
    }

    fn weekday(&self, j: usize) -> Option<u8> {
        let a = self.atom(j)?;
        if a.ambiguous {
            return None;
        }
        a.find(|w| match w {
            Word::Weekday(d) => Some(d),
            _ => None,
        })
    }

    /// Calendar dates: a weekday, a year, a day (or range of days), a month or season, in the
    /// orders languages write them.
    fn cal(&self, k: usize, after_prep: bool) -> Option<Piece> {
        let a = self.atom(k)?;
        if let Kind::NumericDate { year, month, day } = a.kind {
            let cal = Cal {
                year: YearRef::Abs(year),
                month: Some(month),
                day: Some(day),
                ..Cal::year(YearRef::Unknown)
            };
            return Some(Piece {
                node: Node::Cal(cal),
                last: k,
                next: k + 1,
            });
        }
        if let Some(piece) = self.iso_date(k) {
            return Some(piece);
        }
        let mut cal = Cal::year(YearRef::Unknown);
        let mut day2 = None;
        let mut j = k;
        let mut last = None;
        let mut next = k;
        let mut year_marked = false;
        let mut month_at = None;
        let mut rel_mod = None;
        // Optional weekday first (`Friday, April 18`, `в пятницу`, `дүйсенбіде`).
        if let Some(d) = self.weekday(j) {
            cal.weekday = Some(d);
            last = Some(j);
            j += 1;
            next = j;
        } else if let Some(m) = self.modifier(j)
            && matches!(m, Mod::Last | Mod::Next | Mod::This)
            && self.joined(j + 1)
            && (self.month(j + 1, true, false).is_some() || self.season(j + 1, true).is_some())
        {
            // `осы қаңтар`, `last March`, `this spring`.
            rel_mod = Some(m);
            cal.year = YearRef::Rel(match m {
                Mod::Last => -1,
                Mod::Next => 1,
                _ => 0,
            });
            j += 1;
        }
        loop {
            if j >= self.atoms.len() {
                break;
            }
            let started = last.is_some() || rel_mod.is_some();
            // The gap before the first atom is not this expression's business.
            let gap = if started { self.gap(j) } else { Gap::Space };
            let gap_ok = !started
                || is_joined(gap)
                || (gap == Gap::Comma && (cal.weekday.is_some() || cal.day.is_some()));
            if !gap_ok {
                break;
            }
            // A year: before a day or month only with a year word; after them bare digits too.
            if cal.year == YearRef::Unknown {
                if let Some((y, marked, lj, nj)) = self.year_abs(j, after_prep && j == k) {
                    let after_date = cal.month.is_some() || cal.season.is_some();
                    let comma_ok = gap != Gap::Comma || cal.day.is_some();
                    if (marked || after_date) && comma_ok {
                        cal.year = y;
                        year_marked = marked;
                        last = Some(lj);
                        j = nj;
                        next = j;
                        if !after_date && !self.qualifies(lj) {
                            break;
                        }
                        continue;
                    }
                }
                if gap != Gap::Comma
                    && let Some((y, lj, nj)) = self.year_rel(j)
                {
                    let after_date = cal.month.is_some() || cal.season.is_some();
                    cal.year = y;
                    year_marked = true;
                    last = Some(lj);
                    j = nj;
                    next = j;
                    if !after_date && !self.qualifies(lj) {
                        break;
                    }
                    continue;
                }
            }
            if cal.day.is_none()
                && cal.month.is_none()
                && cal.season.is_none()
                && let Some((d, d2, _, nj)) = self.day(j)
            {
                // A day before its month (`11 ноябрда`, `am 11. November`, `12-mart`).
                let dot =
                    self.gap(nj) == Gap::DotSpace && self.number(j).is_some_and(|n| n.digits > 0);
                if (is_joined(self.gap(nj)) || dot)
                    && let Some((m, ml, mn)) = self.month(nj, true, cal.year != YearRef::Unknown)
                {
                    cal.day = Some(d);
                    day2 = d2;
                    cal.month = Some(m);
                    month_at = Some(ml);
                    last = Some(ml);
                    j = mn;
                    next = j;
                    continue;
                }
            }
            if cal.day.is_none()
                && let Some(ma) = month_at
                && j == ma + 1
                && (self.orders.month_day || self.has_role(ma, Role::Gen))
                && let Some((d, d2, lj, nj)) = self.day(j)
                && !self.has_role(j, Role::Gen)
                && !(self.unit(nj).is_some()
                    && self.joined(nj)
                    && !self.is_word(nj, Word::DayAfter))
            {
                // A day after its month: `March 12`, `наурыздың 25-і`.
                cal.day = Some(d);
                day2 = d2;
                last = Some(lj);
                j = nj;
                next = j;
                continue;
            }
            if cal.month.is_none() && cal.season.is_none() {
                let licensed = cal.year != YearRef::Unknown || rel_mod.is_some();
                let year_before = cal.year != YearRef::Unknown && rel_mod.is_none();
                if let Some((m, ml, mn)) = self.month(j, licensed, year_before) {
                    cal.month = Some(m);
                    month_at = Some(ml);
                    last = Some(ml);
                    j = mn;
                    next = j;
                    continue;
                }
                if let Some((s, sl, sn)) = self.season(j, licensed) {
                    cal.season = Some(s);
                    last = Some(sl);
                    j = sn;
                    next = j;
                    continue;
                }
            }
            break;
        }
        let last = last?;
        let has_date = cal.month.is_some() || cal.season.is_some() || cal.weekday.is_some();
        if !has_date && (cal.year == YearRef::Unknown || !year_marked) {
            return None;
        }
        // A weekday alone is a weekday; with a date the date says it all.
        let mut last = last;
        if (cal.day.is_some() || cal.weekday.is_some())
            && self.joined(next)
            && self
                .word(next, |w| (w == Word::DayAfter).then_some(()))
                .is_some()
        {
            // `12 наурыз күні`, `11-12 ноябрь кунлари`: read, not in the span.
            next += 1;
        }
        // `өткен жылдың соңында`, `қазанның басында`: the period's part, in the span.
        if self.joined(next)
            && self.has_role(last, Role::Gen)
            && matches!(
                self.modifier(next),
                Some(Mod::Begin | Mod::End | Mod::Middle | Mod::Half)
            )
        {
            last = next;
            next += 1;
        }
        let node = if cal.weekday.is_some()
            && cal.month.is_none()
            && cal.season.is_none()
            && cal.year == YearRef::Unknown
        {
            Node::Weekday(cal.weekday.unwrap_or(1), 0)
        } else {
            cal.weekday = None;
            match (cal.day, day2) {
                (Some(_), Some(d2)) => {
                    let end = Cal {
                        day: Some(d2),
                        ..cal
                    };
                    Node::Range(Box::new(Node::Cal(cal)), Box::new(Node::Cal(end)))
                }
                _ => Node::Cal(cal),
            }
        };
        Some(Piece { node, last, next })
    }

    /// `2025-03-12`.
    fn iso_date(&self, k: usize) -> Option<Piece> {
        let y = self.number(k)?;
        if y.digits != 4 || !is_full_year(y) {
            return None;
        }
        let m = self.number(k + 1)?;
        let d = self.number(k + 2)?;
        if self.gap(k + 1) != Gap::Hyphen
            || self.gap(k + 2) != Gap::Hyphen
            || m.digits != 2
            || d.digits != 2
            || !(1..=12).contains(&m.value)
            || !(1..=31).contains(&d.value)
        {
            return None;
        }
        Some(Piece {
            node: Node::Cal(Cal {
                month: Some(m.value as u8),
                day: Some(d.value as u8),
                ..Cal::year(YearRef::Abs(y.value as i32))
            }),
            last: k + 2,
            next: k + 3,
        })
    }

    /// A range of years written with one year word: `2005 – 2018 жылдар`, `2019-2020 годы`.
    fn year_range(&self, k: usize) -> Option<Piece> {
        let a = self.number(k)?;
        if !is_full_year(a) {
            return None;
        }
        let b_at = if matches!(self.gap(k + 1), Gap::Hyphen | Gap::Dash) {
            k + 1
        } else if self.joined(k + 1)
            && (self.is_word(k + 1, Word::Conj) || self.is_word(k + 1, Word::And))
            && self.joined(k + 2)
        {
            k + 2
        } else {
            return None;
        };
        let b = self.number(b_at)?;
        if !is_full_year(b) || b.value <= a.value || !self.joined(b_at + 1) {
            return None;
        }
        if self.unit(b_at + 1) != Some(Unit::Year) {
            return None;
        }
        Some(Piece {
            node: Node::Range(
                Box::new(Node::Cal(Cal::year(YearRef::Abs(a.value as i32)))),
                Box::new(Node::Cal(Cal::year(YearRef::Abs(b.value as i32)))),
            ),
            last: b_at + 1,
            next: b_at + 2,
        })
    }

    /// Days relative to the published date, `next week`, parts of a period, vague references.
    fn relative(&self, k: usize) -> Option<Piece> {
        // `дәл осы күні`: an "exactly" before the expression belongs to it.
        if self.modifier(k) == Some(Mod::About) && self.joined(k + 1) {
            return self.relative(k + 1);
        }
        if let Some(r) = self.word(k, |w| match w {
            Word::RelDay(r) => Some(r),
            _ => None,
        }) {
            // `бүгінгі күні`, `бүгінгі таңда`: the day word belongs to the span here.
            let with_day = self.joined(k + 1)
                && (self
                    .word(k + 1, |w| (w == Word::DayAfter).then_some(()))
                    .is_some()
                    || self.unit(k + 1) == Some(Unit::Day));
            let last = if with_day { k + 1 } else { k };
            return Some(Piece {
                node: Node::Shift(Unit::Day, r.into()),
                last,
                next: last + 1,
            });
        }
        if self
            .word(k, |w| (w == Word::Present).then_some(()))
            .is_some()
        {
            let with_unit = self.joined(k + 1)
                && (self.unit(k + 1).is_some()
                    || self
                        .word(k + 1, |w| (w == Word::DayAfter).then_some(()))
                        .is_some());
            let last = if with_unit { k + 1 } else { k };
            return Some(Piece {
                node: Node::Present,
                last,
                next: last + 1,
            });
        }
        // A modifier and a weekday: `өткен сенбіде`, `в прошлую пятницу`, `next Monday`.
        if let Some(m) = self.modifier(k)
            && self.joined(k + 1)
            && let Some(d) = self.weekday(k + 1)
        {
            let dir = match m {
                Mod::Last => -1,
                Mod::Next => 1,
                Mod::This => 0,
                _ => return None,
            };
            return Some(Piece {
                node: Node::Weekday(d, dir),
                last: k + 1,
                next: k + 2,
            });
        }
        // A modifier and a unit: `өткен аптада`, `на следующей неделе`, `next month`.
        if let Some(m) = self.modifier(k)
            && let Some((unit, at)) = self.unit_after(k + 1)
        {
            let plural = self.has_role(at, Role::Plural);
            let node = match (m, unit) {
                (Mod::Last | Mod::Recent, Unit::Time) => Node::Past,
                (Mod::Next, Unit::Time) => Node::Future,
                (Mod::This, Unit::Time) => Node::Present,
                (Mod::Last | Mod::Recent, _) if plural => Node::Past,
                // `соңғы аптада бері`, `соңғы аптаның ішінде`: the last week up to now; alone,
                // `последний день` is the final day of something, no date.
                (Mod::Recent, u)
                    if self.joined(at + 1)
                        && matches!(self.post(at + 1), Some(Link::Since | Link::Within)) =>
                {
                    Node::Shift(u, -1)
                }
                (Mod::Recent, _) => return None,
                (Mod::Last, u) => Node::Shift(u, -1),
                (Mod::Next, u) => Node::Shift(u, 1),
                (Mod::This, u) => Node::Shift(u, 0),
                (Mod::Every, u) => Node::Set(u),
                _ => return None,
            };
            return Some(self.with_part(node, at));
        }
        if self.orders.postmod
            && let Some(unit) = self.unit(k)
            && self.joined(k + 1)
            && let Some(m) = self.modifier(k + 1)
        {
            let node = match m {
                Mod::Last => Node::Shift(unit, -1),
                Mod::Next => Node::Shift(unit, 1),
                Mod::This => Node::Shift(unit, 0),
                _ => return None,
            };
            return Some(self.with_part(node, k + 1));
        }
        // A bare unit and a part of it: `жыл басынан`, `жылдың аяғына`.
        if let Some(unit) = self.unit(k)
            && matches!(unit, Unit::Year | Unit::Month)
            && self.joined(k + 1)
            && matches!(
                self.modifier(k + 1),
                Some(Mod::Begin | Mod::End | Mod::Middle | Mod::Half)
            )
        {
            return Some(Piece {
                node: Node::Shift(unit, 0),
                last: k + 1,
                next: k + 2,
            });
        }
        // A part and a period: `в начале года`, `Anfang April` (the month is read by `cal`),
        // `end of the year`.
        if matches!(self.modifier(k), Some(Mod::Begin | Mod::End | Mod::Middle)) {
            let mut j = k + 1;
            while self.joined(j)
                && self
                    .word(j, |w| matches!(w, Word::Prep(_)).then_some(()))
                    .is_some()
            {
                j += 1;
            }
            if self.joined(j) {
                if let Some(piece) = self.cal(j, false) {
                    return Some(piece);
                }
                if let Some(piece) = self.relative(j) {
                    return Some(piece);
                }
                if self.unit(j) == Some(Unit::Year) {
                    return Some(Piece {
                        node: Node::Shift(Unit::Year, 0),
                        last: j,
                        next: j + 1,
                    });
                }
            }
        }
        None
    }

    /// A unit right after a modifier, allowing one article or preposition between (`the`).
    fn unit_after(&self, j: usize) -> Option<(Unit, usize)> {
        if !self.joined(j) {
            return None;
        }
        self.unit(j).map(|u| (u, j))
    }

    /// Extends a relative period with a part after it (`келесі айдың соңында`).
    fn with_part(&self, node: Node, at: usize) -> Piece {
        if self.joined(at + 1)
            && self.has_role(at, Role::Gen)
            && matches!(
                self.modifier(at + 1),
                Some(Mod::Begin | Mod::End | Mod::Middle | Mod::Half)
            )
        {
            return Piece {
                node,
                last: at + 1,
                next: at + 2,
            };
        }
        Piece {
            node,
            last: at,
            next: at + 1,
        }
    }

    /// Durations, ages, centuries, decades, quarters and sets: a count (or a modifier) and a
    /// unit: `2 жыл`, `бес жылға`, `соңғы 5 жылда`, `бірнеше күн`, `24 жастағы`, `жыл сайын`,
    /// `21-інші ғасыр`, `1990-жылдары`, `бірінші тоқсанда`, `тәулік бойы`.
    fn duration(&self, k: usize) -> Option<Piece> {
        let mut j = k;
        // Modifiers before the count: `соңғы`, `алдағы`, `өткен`, `шамамен`, `около`.
        while let Some(m) = self.modifier(j) {
            if j > k && !self.joined(j) {
                return None;
            }
            // `осы` and `осыдан` before a count are left out (`осыдан үш жыл бұрын`).
            if !matches!(m, Mod::Last | Mod::Recent | Mod::Next | Mod::About) {
                break;
            }
            j += 1;
        }
        if j > k && !self.joined(j) {
            return None;
        }
        if let Some(m) = self.modifier(j)
            && matches!(m, Mod::Several | Mod::Every)
            && self.joined(j + 1)
            && let Some(unit) = self.unit(j + 1)
        {
            let node = if m == Mod::Every {
                Node::Set(unit)
            } else {
                Node::Duration(None, unit)
            };
            return Some(Piece {
                node,
                last: j + 1,
                next: j + 2,
            });
        }
        if let Some(n) = self.number(j) {
            // A count, maybe a range of counts (`5 – 6 жыл`, `екі-үш жылда`, `2 бен 3`).
            let mut at = j;
            let mut approx = n.approx;
            if matches!(self.gap(j + 1), Gap::Dash | Gap::Hyphen)
                && self.number(j + 1).is_some_and(|m| m.value > n.value)
            {
                at = j + 1;
                approx = true;
            } else if self.joined(j + 1)
                && (self.is_word(j + 1, Word::Conj) || self.is_word(j + 1, Word::And))
                && self.joined(j + 2)
                && self.number(j + 2).is_some_and(|m| m.value > n.value)
            {
                at = j + 2;
                approx = true;
            }
            // `3 , 5 жыл` (a decimal comma the tokenizer split), `10 шақты жыл`, `бір жарым жыл`.
            if self.gap(at + 1) == Gap::Comma
                && self
                    .number(at + 1)
                    .is_some_and(|m| m.value < 10 && m.digits <= 1)
            {
                at += 1;
                approx = true;
            }
            while self.joined(at + 1)
                && (self.post(at + 1) == Some(Link::About)
                    || !n.ordinal && self.modifier(at + 1) == Some(Mod::Half))
            {
                at += 1;
                approx = true;
            }
            let u_at = at + 1;
            if !self.joined(u_at) {
                return None;
            }
            // `бірінші жартысында` (the first half): an ordinal and "half" make a half-year.
            let half = n.ordinal && self.modifier(u_at) == Some(Mod::Half);
            let unit = if half {
                Unit::HalfYear
            } else {
                self.unit(u_at)?
            };
            // `25-і күні` is a day of the month, not 25 days.
            if unit == Unit::Age && n.value > 120
                || self.is_word(u_at, Word::DayAfter)
                    && (n.ordinal || self.has_role(at, Role::Poss))
            {
                return None;
            }
            if unit == Unit::Time {
                return None;
            }
            let plural = self.has_role(u_at, Role::Plural);
            let node = if unit == Unit::Century && n.ordinal {
                Node::Century(n.value)
            } else if unit == Unit::Year
                && plural
                && n.value % 10 == 0
                && (n.ordinal || n.digits > 0)
            {
                if n.value >= 1000 {
                    Node::Decade(n.value as i32)
                } else if n.value < 100 {
                    Node::Decade(1900 + n.value as i32)
                } else {
                    return None;
                }
            } else if n.ordinal && matches!(unit, Unit::Quarter | Unit::HalfYear) {
                let part = match unit {
                    Unit::Quarter if (1..=4).contains(&n.value) => n.value as u8,
                    Unit::HalfYear if (1..=2).contains(&n.value) => 4 + n.value as u8,
                    _ => return None,
                };
                Node::Cal(Cal {
                    part: Some(part),
                    ..Cal::year(YearRef::Unknown)
                })
            } else if n.ordinal || is_full_year(n) && unit == Unit::Year {
                return None;
            } else if approx {
                Node::Duration(None, unit)
            } else {
                Node::Duration(Some(n.value), unit)
            };
            return Some(Piece {
                node,
                last: u_at,
                next: u_at + 1,
            });
        }
        // `жарты ай`, `жарты жылдан`: half a unit.
        if self.modifier(j) == Some(Mod::Half)
            && self.joined(j + 1)
            && let Some(unit) = self.unit(j + 1)
        {
            return Some(Piece {
                node: Node::Duration(None, unit),
                last: j + 1,
                next: j + 2,
            });
        }
        // `жылдан-жылға`, `күннен-күнге`, `күнде-күнде`: year after year, every day.
        if j == k
            && let Some(unit) = self.unit(k)
            && self.gap(k + 1) == Gap::Hyphen
            && self.unit(k + 1) == Some(unit)
        {
            return Some(Piece {
                node: Node::Set(unit),
                last: k + 1,
                next: k + 2,
            });
        }
        // A bare unit with `бойы` (throughout) or `сайын` (every): `тәулік бойы`, `жыл сайын`.
        if j == k
            && let Some(unit) = self.unit(k)
            && self.joined(k + 1)
            && let Some(post) = self.post(k + 1)
        {
            let node = match post {
                Link::Within => Node::Duration(Some(1), unit),
                Link::Every => Node::Set(unit),
                _ => return None,
            };
            return Some(Piece {
                node,
                last: k + 1,
                next: k + 2,
            });
        }
        None
    }

    /// One-word expressions: `күнделікті`, `ежегодно`, `XX век`.
    fn single(&self, k: usize) -> Option<Piece> {
        if let Some(unit) = self.word(k, |w| match w {
            Word::Set(u) => Some(u),
            _ => None,
        }) {
            return Some(Piece {
                node: Node::Set(unit),
                last: k,
                next: k + 1,
            });
        }
        if let Kind::Roman(n) = self.atom(k)?.kind
            && self.joined(k + 1)
            && self.unit(k + 1) == Some(Unit::Century)
        {
            return Some(Piece {
                node: Node::Century(n),
                last: k + 1,
                next: k + 2,
            });
        }
        None
    }

    /// A second point after a range word, a dash, or (Turkic) after an ablative first point:
    /// `27-нші наурыз бен 4-інші сәуір`, `October 2025 to March 2026`, `бүгін-ертең`,
    /// `1 сәуірден 30 қыркүйекке дейін`, `1-apreldan 30-sentyabrgacha`.
    fn range_tail(&self, a: &Piece) -> Option<Piece> {
        let durations = matches!(a.node, Node::Duration(..));
        if !is_point(&a.node) && !durations {
            return None;
        }
        let j = a.next;
        let and = self.joined(j) && self.is_word(j, Word::And) && self.joined(j + 1);
        let start = if matches!(self.gap(j), Gap::Dash | Gap::Hyphen) {
            j
        } else if (self.joined(j) && self.is_word(j, Word::Conj) && self.joined(j + 1)) || and {
            j + 1
        } else if self.joined(j) && self.has_role(a.last, Role::Abl) {
            j
        } else {
            return None;
        };
        let b = self.point(start, false)?;
        if !(is_point(&b.node) || durations) || !compatible(&a.node, &b.node) {
            return None;
        }
        if and && self.post(b.next) != Some(Link::Between) {
            return None;
        }
        if start == j && self.gap(j) == Gap::Space {
            // Only `X-дан Y-ға дейін` / `Y-gacha`: the second point must say "until".
            let until = self.has_role(b.last, Role::Until)
                || (self.has_role(b.last, Role::Dat) && self.post(b.next) == Some(Link::Until));
            if !until {
                return None;
            }
        }
        let (left, right) = fill_range(a.node.clone(), b.node);
        Some(Piece {
            node: Node::Range(Box::new(left), Box::new(right)),
            last: b.last,
            next: b.next,
        })
    }
}

fn is_full_year(n: Number) -> bool {
    (1000..=2999).contains(&n.value) && (n.digits == 4 || n.digits == 0) && !n.approx
}

fn is_day(n: Number) -> bool {
    (1..=31).contains(&n.value) && n.digits <= 2 && !n.approx
}

/// Whether a node is a single point or period (something since/until can hold).
fn is_single(node: &Node) -> bool {
    matches!(node, Node::Cal(_) | Node::Shift(..) | Node::Weekday(..))
}

/// Whether a node is a point or period in time (something a range can hold).
fn is_point(node: &Node) -> bool {
    matches!(
        node,
        Node::Cal(_) | Node::Shift(..) | Node::Weekday(..) | Node::Range(..)
    )
}

/// Whether two points can make a range (both calendar or both relative).
fn compatible(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Cal(x), Node::Cal(y)) => {
            (x.month.is_some() || x.season.is_some()) == (y.month.is_some() || y.season.is_some())
                || x.year != YearRef::Unknown && y.year != YearRef::Unknown
        }
        (Node::Shift(u, _), Node::Shift(v, _)) => u == v,
        (Node::Weekday(..), Node::Weekday(..)) => true,
        // `бір айдан алты айға дейін`, `3 жастан 6 жасқа дейін`.
        (Node::Duration(_, u), Node::Duration(_, v)) => u == v,
        _ => false,
    }
}

/// Gives the first point of a range what it lacks from the second (`1 апреля` in
/// `с 1 апреля по 30 сентября 2025 года` takes 2025).
fn fill_range(a: Node, b: Node) -> (Node, Node) {
    match (a, b) {
        (Node::Cal(mut x), Node::Cal(y)) => {
            if x.year == YearRef::Unknown && y.year != YearRef::Unknown {
                x.year = match y.year {
                    YearRef::Abs(v) if x.month > y.month && y.month.is_some() => {
                        YearRef::Abs(v - 1)
                    }
                    other => other,
                };
            }
            if x.month.is_none() && x.day.is_some() {
                x.month = y.month;
            }
            (Node::Cal(x), Node::Cal(y))
        }
        pair => pair,
    }
}

/// Joins a qualifying first part with what it qualifies (`биылғы` + `бірінші тоқсанда`).
fn combine(first: Node, second: Node) -> Node {
    let year = match &first {
        Node::Cal(c) if c.month.is_none() && c.day.is_none() && c.season.is_none() => Some(c.year),
        Node::Shift(Unit::Year, n) => Some(YearRef::Rel(*n)),
        _ => None,
    };
    match (year, second) {
        (Some(y), Node::Cal(mut c)) if c.year == YearRef::Unknown => {
            c.year = y;
            Node::Cal(c)
        }
        (_, second) => second,
    }
}
