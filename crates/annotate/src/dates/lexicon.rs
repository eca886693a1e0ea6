//! The per-language date vocabulary read from `data/dates/<lang>.txt`: month and weekday names,
//! units, relative words, number words, modifiers, pre- and postpositions, and (for the Turkic
//! languages) the endings that may follow a word.
//!
//! A word is looked up by its lowercase form. In a language with a `suffix` table, a listed form
//! also matches when the rest of the word splits into listed endings (`наурыз` + `дың`,
//! `ноябр` + `да`, `шілде` + `сі` + `нде`), and the lookup reports the case those endings carry;
//! elsewhere every form is listed whole. The format is described in `data/dates/README.md`.

use std::collections::HashMap;

use thiserror::Error;

/// A defect in a date data file (found by the tests, never by users: the files are compiled in).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateDataError {
    /// A line does not follow the format.
    #[error("data/dates/{file}.txt line {line}: {message}")]
    Line {
        /// The language code of the file.
        file: &'static str,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Unit {
    Year,
    HalfYear,
    Quarter,
    Month,
    Week,
    Day,
    Century,
    Decade,
    /// Years of age (`жас`, `ёш`): a duration in years.
    Age,
    /// Unspecified time (`уақыт`, `время`): only in vague expressions.
    Time,
}

/// A season.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

/// A word that modifies a unit or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Mod {
    /// Previous, or with a count the last N (`өткен`, `прошлый`, `last`, `letzte`).
    Last,
    /// Following (`келесі`, `следующий`, `next`).
    Next,
    /// The most recent, with a count or in the plural (`соңғы 5 жылда`, `последние годы`);
    /// alone it means "final" (`последний день`) and makes no date.
    Recent,
    /// The current one (`осы`, `этот`, `this`).
    This,
    /// Each (`әр`, `каждый`, `every`).
    Every,
    /// An unknown count (`бірнеше`, `несколько`, `several`).
    Several,
    /// The beginning of a period (`басы`, `начало`, `Anfang`, `early`).
    Begin,
    /// The end of a period (`соңы`, `конец`, `Ende`, `late`).
    End,
    /// The middle of a period (`ортасы`, `середина`, `Mitte`, `mid`).
    Middle,
    /// Half of a period (`жартысы`, `половина`).
    Half,
    /// "Around", "more than", "almost": a count that is not exact.
    About,
}

/// A preposition (not part of a date's span) or a postposition (part of it, except `From`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Link {
    /// No meaning of its own (`в`, `на`, `am`, `im`, `on`, articles).
    Plain,
    /// Before the reference time (`бұрын`, `назад`, `ago`, `vor`).
    Ago,
    /// After the reference time (`кейін`, `через`, `later`).
    Later,
    /// Since (`бері`, `с`, `since`, `seit`).
    Since,
    /// From (`бастап`, `с`, `from`, `ab`, `von`).
    From,
    /// Until (`дейін`, `до`, `until`, `bis`).
    Until,
    /// Between (`аралығында`, `между`, `between`).
    Between,
    /// Within or throughout (`ішінде`, `бойы`, `в течение`, `during`).
    Within,
    /// Every (`сайын`): after a unit it makes a repeating set.
    Every,
    /// Of (`of` in "the end of March").
    Of,
    /// Approximately, more than (`шақты`, `астам`): the count is not exact.
    About,
}

/// What a listed word means to the date grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Word {
    Month(u8),
    /// ISO weekday number, 1 = Monday.
    Weekday(u8),
    Season(Season),
    Unit(Unit),
    /// A day relative to the published date (`кеше` = −1).
    RelDay(i8),
    /// A year relative to the published date (`былтыр` = −1).
    RelYear(i8),
    /// A cardinal number word.
    Num(u32),
    /// An ordinal number word.
    Ord(u32),
    Mod(Mod),
    Prep(Link),
    Post(Link),
    /// A word for a repeating set (`күнделікті`, `ежегодно`, `annually`).
    Set(Unit),
    /// A word for "day" after a date that is not part of it (`күні`, `кунлари`, `числа`).
    DayAfter,
    /// A word for "month" after a month name (`айы`, `ойида`).
    MonthAfter,
    /// A range word between two dates (`по`, `to`, `bis`).
    Conj,
    /// "And" (`мен`, `и`, `and`): between days of one month a range (`11 и 12 ноября`);
    /// between whole dates a range only before "between" (`27 наурыз бен 4 сәуір аралығында`).
    And,
    /// The present, vaguely (`қазір`, `nowadays`): value `PRESENT_REF`.
    Present,
    /// A word that looks like a date word plus endings but is another word (`үшін` "for" is
    /// not `үш` "three" + `ін`); it hides the shorter reading.
    Stop,
}

/// Grammatical roles an ending can carry; a set of them as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Roles(u16);

/// One role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub(crate) enum Role {
    Loc = 1,
    Dat = 1 << 1,
    Abl = 1 << 2,
    Gen = 1 << 3,
    Poss = 1 << 4,
    Acc = 1 << 5,
    Ins = 1 << 6,
    Adj = 1 << 7,
    Plural = 1 << 8,
    Ord = 1 << 9,
    About = 1 << 10,
    Until = 1 << 11,
    Other = 1 << 12,
    /// A derivational ending that makes a new word (`-лық`: `жылдық`, `айлық`).
    Deriv = 1 << 13,
}

impl Role {
    /// Where an ending may stand in a chain: derivation, plural, possessive, relational
    /// adjective, one case, then an approximating or particle ending (`жыл·дар·ы`,
    /// `жыл·ғы·мен`; `-дағы` is listed as one adjective ending). A chain that goes back
    /// (`жыл·қы·сы`, "his horse") or has two cases (`жүз·де·ге·н`) is not a form of the stem.
    fn rank(self) -> u8 {
        match self {
            Role::Ord => 0,
            Role::Deriv => 1,
            Role::Plural => 2,
            Role::Poss => 3,
            Role::Adj => 4,
            Role::Loc | Role::Dat | Role::Abl | Role::Gen | Role::Acc | Role::Ins | Role::Until => {
                5
            }
            Role::About => 6,
            Role::Other => 7,
        }
    }

    fn is_case(self) -> bool {
        self.rank() == 5
    }

    const ALL: [Role; 14] = [
        Role::Loc,
        Role::Dat,
        Role::Abl,
        Role::Gen,
        Role::Poss,
        Role::Acc,
        Role::Ins,
        Role::Adj,
        Role::Plural,
        Role::Ord,
        Role::About,
        Role::Until,
        Role::Other,
        Role::Deriv,
    ];
}

impl Roles {
    pub(crate) const NONE: Roles = Roles(0);

    pub(crate) fn has(self, role: Role) -> bool {
        self.0 & role as u16 != 0
    }

    fn with(self, role: Role) -> Roles {
        Roles(self.0 | role as u16)
    }

    fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "loc" => Role::Loc,
            "dat" => Role::Dat,
            "abl" => Role::Abl,
            "gen" => Role::Gen,
            "poss" => Role::Poss,
            "acc" => Role::Acc,
            "ins" => Role::Ins,
            "adj" => Role::Adj,
            "plural" => Role::Plural,
            "ord" => Role::Ord,
            "about" => Role::About,
            "until" => Role::Until,
            "other" => Role::Other,
            "deriv" => Role::Deriv,
            _ => return None,
        })
    }
}

/// Word orders a language allows beyond the common ones.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Orders {
    /// Month before day without a genitive ending: `March 12`.
    pub month_day: bool,
    /// The year unit before the year number: `im Jahr 2020`, `соли 2024`.
    pub unit_year: bool,
    /// Modifiers after the unit: `соли гузашта` (last year).
    pub postmod: bool,
    /// A bare four-digit year after a plain or since/until preposition: `in 2024`, `seit 2020`.
    pub prep_year: bool,
    /// Month names are written in lower case, so a capitalized one inside a sentence names
    /// something else (`Тамыз конференциясы`, `Наурыз мейрамы`).
    pub lowercase_months: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    /// Listed whole: no endings.
    exact: bool,
    /// Needs date context (`маусым` is also "season", `май` also "butter").
    ambiguous: bool,
    /// Must be written with a capital (`May`, `March`).
    capital: bool,
    /// Must be written in lower case (`morgen`, not `Morgen` "morning").
    lower: bool,
}

#[derive(Debug)]
struct Entry {
    form: Box<str>,
    words: Vec<Word>,
    flags: Flags,
    /// The endings a listed form already carries (`жаздың` is `жаз` + genitive).
    roles: Roles,
}

/// What a word of the text is, when the lexicon knows it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit<'a> {
    pub words: &'a [Word],
    pub roles: Roles,
    pub ambiguous: bool,
}

/// One language's date vocabulary.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    entries: Vec<Entry>,
    /// Entries by the first two chars of their form (one char for one-char forms), packed
    /// into a number ([`prefix_key`]) so that most words are turned away after lowercasing
    /// two chars and one cheap hash.
    by_prefix: HashMap<u64, Vec<u32>, BuildPrefixHasher>,
    /// Whether some form is one char long (then a word's first char alone is looked up too).
    has_one_char_forms: bool,
    /// Endings that may follow any non-exact form, with their roles.
    suffixes: HashMap<Box<str>, Roles>,
    /// Endings that may follow digits only (`1990-х`, `11th`), with their roles.
    digit_suffixes: HashMap<Box<str>, Roles>,
    suffix_lengths: Vec<usize>,
    digit_suffix_lengths: Vec<usize>,
    pub orders: Orders,
    /// Fold `ё` to `е` (Russian writes both).
    fold_yo: bool,
    /// Turkic dotted and dotless i.
    turkic_i: bool,
    /// Two-word phrases whose first word is no date word there (`айлық есептік көрсеткіш`,
    /// the monthly calculation index): (first word's form, second word's start).
    pub stop_phrases: Vec<(Box<str>, Box<str>)>,
}

/// Apostrophe variants, all read as U+02BB in keys so `o'tgan` and `oʻtgan` meet.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '`' | '\u{02B9}'
    )
}

impl Lexicon {
    /// Reads one data file.
    pub(crate) fn parse(file: &'static str, text: &str) -> Result<Lexicon, DateDataError> {
        let mut lex = Lexicon {
            fold_yo: file == "ru",
            turkic_i: matches!(file, "tr" | "az" | "kk"),
            ..Lexicon::default()
        };
        let mut by_form: HashMap<Box<str>, usize> = HashMap::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |message: String| DateDataError::Line {
                file,
                line: n + 1,
                message,
            };
            let mut fields = line.split_whitespace();
            let kind = fields.next().unwrap_or("");
            match kind {
                "suffix" | "digitsuffix" => {
                    let role_name = fields.next().unwrap_or("");
                    let role = Roles::parse(role_name)
                        .ok_or_else(|| err(format!("unknown role {role_name:?}")))?;
                    for morph in fields {
                        let key: Box<str> = lex.key(morph).into();
                        let table = if kind == "suffix" {
                            &mut lex.suffixes
                        } else {
                            &mut lex.digit_suffixes
                        };
                        let roles = table.entry(key).or_default();
                        *roles = roles.with(role);
                    }
                    continue;
                }
                "stopphrase" => {
                    let (Some(first), Some(second), None) =
                        (fields.next(), fields.next(), fields.next())
                    else {
                        return Err(err("stopphrase takes two words".into()));
                    };
                    let pair = (lex.key(first).into(), lex.key(second).into());
                    lex.stop_phrases.push(pair);
                    continue;
                }
                "order" => {
                    for flag in fields {
                        match flag {
                            "month-day" => lex.orders.month_day = true,
                            "unit-year" => lex.orders.unit_year = true,
                            "postmod" => lex.orders.postmod = true,
                            "prep-year" => lex.orders.prep_year = true,
                            "lowercase-months" => lex.orders.lowercase_months = true,
                            _ => return Err(err(format!("unknown order {flag:?}"))),
                        }
                    }
                    continue;
                }
                _ => {}
            }
            let word = match kind {
                "dayword" => Word::DayAfter,
                "monthword" => Word::MonthAfter,
                "conj" => Word::Conj,
                "and" => Word::And,
                "present" => Word::Present,
                "stop" => Word::Stop,
                _ => {
                    let arg = fields.next().unwrap_or("");
                    parse_word(kind, arg).map_err(err)?
                }
            };
            let mut any = false;
            for raw_form in fields {
                any = true;
                let (form, flags) = split_flags(raw_form);
                if form.is_empty() {
                    return Err(err(format!("empty form {raw_form:?}")));
                }
                let key: Box<str> = lex.key(form).into();
                match by_form.get(&key) {
                    Some(&i) => {
                        let entry = &mut lex.entries[i];
                        if !entry.words.contains(&word) {
                            entry.words.push(word);
                        }
                        entry.flags.exact |= flags.exact;
                        entry.flags.ambiguous |= flags.ambiguous;
                        entry.flags.capital |= flags.capital;
                        entry.flags.lower |= flags.lower;
                    }
                    None => {
                        by_form.insert(key.clone(), lex.entries.len());
                        lex.entries.push(Entry {
                            form: key,
                            words: vec![word],
                            flags,
                            roles: Roles::NONE,
                        });
                    }
                }
            }
            if !any {
                return Err(err(format!("{kind} line without forms")));
            }
        }
        let lengths = |table: &HashMap<Box<str>, Roles>| {
            let mut v: Vec<usize> = table.keys().map(|k| k.len()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for (i, entry) in lex.entries.iter().enumerate() {
            let mut chars = entry.form.chars();
            let (first, second) = (chars.next(), chars.next());
            let key = prefix_key(first.unwrap_or('\0'), second);
            lex.by_prefix.entry(key).or_default().push(i as u32);
            lex.has_one_char_forms |= second.is_none();
        }
        lex.suffix_lengths = lengths(&lex.suffixes);
        lex.digit_suffix_lengths = lengths(&lex.digit_suffixes);
        // A form listed whole may be another listed form plus endings (`жаздың`, `айына`):
        // give it their roles, so the grammar sees the genitive or dative it carries.
        let roles: Vec<Roles> = lex
            .entries
            .iter()
            .map(|entry| {
                lex.entries
                    .iter()
                    .filter(|base| {
                        base.form.len() < entry.form.len() && entry.form.starts_with(&*base.form)
                    })
                    .filter_map(|base| lex.split_endings(&entry.form[base.form.len()..], false))
                    .next()
                    .unwrap_or(Roles::NONE)
            })
            .collect();
        for (entry, roles) in lex.entries.iter_mut().zip(roles) {
            entry.roles = roles;
        }
        Ok(lex)
    }

    /// The lookup key of a word: lower case, apostrophes unified, `ё` folded where the
    /// language writes both.
    pub(crate) fn key(&self, word: &str) -> String {
        let mut out = String::with_capacity(word.len());
        self.key_into(word, &mut out);
        out
    }

    fn key_into(&self, word: &str, out: &mut String) {
        out.clear();
        for c in word.chars() {
            self.push_lower(c, out);
        }
    }

    /// The key form of one char where it is one char without full Unicode lowercasing.
    #[inline]
    fn lower_simple(&self, c: char) -> Option<char> {
        match c {
            'I' if self.turkic_i => Some('ı'),
            'İ' if self.turkic_i => Some('i'),
            'ё' | 'Ё' if self.fold_yo => Some('е'),
            c if is_apostrophe(c) => Some('\u{02BB}'),
            c => fast_lower(c),
        }
    }

    /// Appends the key form of one char.
    #[inline]
    fn push_lower(&self, c: char, out: &mut String) {
        match self.lower_simple(c) {
            Some(l) => out.push(l),
            None => out.extend(c.to_lowercase()),
        }
    }

    /// The key form of one char when it is one char (for the prefix check).
    #[inline]
    fn lower_one(&self, c: char) -> char {
        self.lower_simple(c)
            .unwrap_or_else(|| c.to_lowercase().next().unwrap_or(c))
    }

    /// Looks up one word (no spaces, no hyphens). `buf` is scratch space reused across calls.
    pub(crate) fn lookup<'a>(&'a self, word: &str, buf: &mut String) -> Option<Hit<'a>> {
        if self.entries.is_empty() {
            return None;
        }
        // Most words share no two-char start with any form: turn them away before
        // lowercasing the whole word.
        let mut chars = word.chars();
        let first = self.lower_one(chars.next()?);
        let second = chars.next().map(|c| self.lower_one(c));
        let two = self.by_prefix.get(&prefix_key(first, second));
        let one = if self.has_one_char_forms && second.is_some() {
            self.by_prefix.get(&prefix_key(first, None))
        } else {
            None
        };
        if two.is_none() && one.is_none() {
            return None;
        }
        self.key_into(word, buf);
        let key = buf.as_str();
        let first_upper = word.chars().next().is_some_and(char::is_uppercase);
        let mut best: Option<(usize, Hit<'a>)> = None;
        for list in [two, one].into_iter().flatten() {
            for &i in list {
                let entry = &self.entries[i as usize];
                let form = &*entry.form;
                if !key.starts_with(form) {
                    continue;
                }
                if entry.flags.capital && !first_upper || entry.flags.lower && first_upper {
                    continue;
                }
                let rest = &key[form.len()..];
                let is_stop = entry.words.contains(&Word::Stop);
                let roles = if rest.is_empty() || is_stop {
                    // A stop form hides every word that starts with it (`айт` in `айтты`).
                    entry.roles
                } else if entry.flags.exact {
                    continue;
                } else {
                    match self.split_endings(rest, false) {
                        Some(roles) => roles,
                        None => continue,
                    }
                };
                if best.as_ref().is_none_or(|(len, _)| form.len() > *len) {
                    best = Some((
                        form.len(),
                        Hit {
                            words: &entry.words,
                            roles,
                            ambiguous: entry.flags.ambiguous,
                        },
                    ));
                }
            }
        }
        best.map(|(_, hit)| hit)
    }

    /// The roles of endings after a number (`25-і`, `2020-сыншы`, `1990-х`, `11th`), or `None`
    /// when `rest` is not a chain of endings.
    pub(crate) fn digit_endings(&self, rest: &str, buf: &mut String) -> Option<Roles> {
        self.key_into(rest, buf);
        let key = buf.clone();
        self.split_endings(&key, true)
    }

    /// Splits `rest` into listed endings in their order (see [`Role::rank`]); returns the
    /// union of their roles, or `None`.
    fn split_endings(&self, rest: &str, digits: bool) -> Option<Roles> {
        const MAX_BYTES: usize = 48;
        if rest.len() > MAX_BYTES {
            return None;
        }
        self.split_from(rest, digits, 0, false, 0)
    }

    /// Depth-first over the ways to cut `rest`: endings are short and chains at most four
    /// long, so this is a handful of hash lookups per candidate word.
    fn split_from(
        &self,
        rest: &str,
        digits: bool,
        min_rank: u8,
        had_case: bool,
        depth: u8,
    ) -> Option<Roles> {
        if rest.is_empty() {
            return Some(Roles::NONE);
        }
        if depth >= 5 {
            return None;
        }
        let tables = [
            (&self.suffixes, &self.suffix_lengths),
            (&self.digit_suffixes, &self.digit_suffix_lengths),
        ];
        let usable = if digits { &tables[..] } else { &tables[..1] };
        for (table, lengths) in usable {
            for &len in lengths.iter().rev() {
                let Some(piece) = rest.get(..len) else {
                    continue;
                };
                let Some(&roles) = table.get(piece) else {
                    continue;
                };
                // An ending may hold several roles (`ы` poss, `н` acc); try each reading.
                for role in Role::ALL.into_iter().filter(|&r| roles.has(r)) {
                    if role.rank() < min_rank || (had_case && role.is_case()) {
                        continue;
                    }
                    let next_min = if role.is_case() {
                        role.rank() + 1
                    } else {
                        role.rank()
                    };
                    if let Some(tail) = self.split_from(
                        &rest[len..],
                        digits,
                        next_min,
                        had_case || role.is_case(),
                        depth + 1,
                    ) {
                        return Some(tail.with(role));
                    }
                }
            }
        }
        None
    }

    /// Whether the lexicon is empty (a language without date data).
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Two chars packed into one number (the second is 0 for a one-char prefix).
fn prefix_key(first: char, second: Option<char>) -> u64 {
    (u64::from(first) << 32) | second.map_or(0, u64::from)
}

/// Lowercase of the common letters without the Unicode tables: ASCII, basic Cyrillic, and
/// the Cyrillic letters of the Turkic and Tajik alphabets, which pair upper and lower case as
/// even and odd code points. `None` sends the char to the general tables.
#[inline]
fn fast_lower(c: char) -> Option<char> {
    let u = c as u32;
    let l = match u {
        0x41..=0x5A => u + 0x20,
        0..=0x7F => u,
        0x0410..=0x042F => u + 0x20,
        0x0430..=0x045F => u,
        0x0400..=0x040F => u + 0x50,
        0x0460..=0x0481 | 0x048A..=0x04BF | 0x04D0..=0x052F => u | 1,
        _ => return None,
    };
    char::from_u32(l)
}

/// A cheap hash for the packed prefixes (multiply and rotate, as rustc's FxHash does).
#[derive(Debug, Default, Clone, Copy)]
struct BuildPrefixHasher;

#[derive(Debug, Default)]
struct PrefixHasher(u64);

impl std::hash::BuildHasher for BuildPrefixHasher {
    type Hasher = PrefixHasher;
    fn build_hasher(&self) -> PrefixHasher {
        PrefixHasher(0)
    }
}

impl std::hash::Hasher for PrefixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

fn split_flags(raw: &str) -> (&str, Flags) {
    let mut flags = Flags::default();
    let mut form = raw;
    while let Some(c) = form.chars().last() {
        match c {
            '=' => flags.exact = true,
            '?' => flags.ambiguous = true,
            '^' => flags.capital = true,
            '!' => flags.lower = true,
            _ => break,
        }
        form = &form[..form.len() - 1];
    }
    (form, flags)
}

fn parse_word(kind: &str, arg: &str) -> Result<Word, String> {
    let int = |lo: i64, hi: i64| -> Result<i64, String> {
        let v: i64 = arg
            .parse()
            .map_err(|_| format!("{kind}: {arg:?} is not a number"))?;
        if v < lo || v > hi {
            return Err(format!("{kind}: {v} is out of {lo}..={hi}"));
        }
        Ok(v)
    };
    Ok(match kind {
        "month" => Word::Month(int(1, 12)? as u8),
        "weekday" => Word::Weekday(int(1, 7)? as u8),
        "relday" => Word::RelDay(int(-7, 7)? as i8),
        "relyear" => Word::RelYear(int(-3, 3)? as i8),
        "num" => Word::Num(int(0, 1_000_000)? as u32),
        "ord" => Word::Ord(int(0, 1_000_000)? as u32),
        "season" => Word::Season(match arg {
            "spring" => Season::Spring,
            "summer" => Season::Summer,
            "autumn" => Season::Autumn,
            "winter" => Season::Winter,
            _ => return Err(format!("unknown season {arg:?}")),
        }),
        "unit" | "set" => {
            let unit = parse_unit(arg).ok_or_else(|| format!("unknown unit {arg:?}"))?;
            if kind == "unit" {
                Word::Unit(unit)
            } else {
                Word::Set(unit)
            }
        }
        "mod" => Word::Mod(match arg {
            "last" => Mod::Last,
            "next" => Mod::Next,
            "recent" => Mod::Recent,
            "this" => Mod::This,
            "every" => Mod::Every,
            "several" => Mod::Several,
            "begin" => Mod::Begin,
            "end" => Mod::End,
            "middle" => Mod::Middle,
            "half" => Mod::Half,
            "about" => Mod::About,
            _ => return Err(format!("unknown modifier {arg:?}")),
        }),
        "prep" | "post" => {
            let link = match arg {
                "plain" => Link::Plain,
                "ago" => Link::Ago,
                "later" => Link::Later,
                "since" => Link::Since,
                "from" => Link::From,
                "until" => Link::Until,
                "between" => Link::Between,
                "within" => Link::Within,
                "every" => Link::Every,
                "of" => Link::Of,
                "about" => Link::About,
                _ => return Err(format!("unknown link {arg:?}")),
            };
            if kind == "prep" {
                Word::Prep(link)
            } else {
                Word::Post(link)
            }
        }
        _ => return Err(format!("unknown line kind {kind:?}")),
    })
}

fn parse_unit(name: &str) -> Option<Unit> {
    Some(match name {
        "year" => Unit::Year,
        "halfyear" => Unit::HalfYear,
        "quarter" => Unit::Quarter,
        "month" => Unit::Month,
        "week" => Unit::Week,
        "day" => Unit::Day,
        "century" => Unit::Century,
        "decade" => Unit::Decade,
        "age" => Unit::Age,
        "time" => Unit::Time,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "suffix loc да де\nsuffix gen дың\nmonth 3 наурыз\nmonth 6 маусым?\nunit year жыл\nrelday -1 кеше=\nmonth 5 May?^\n";

    #[test]
    fn forms_take_listed_endings_only() {
        let lex = Lexicon::parse("kk", SAMPLE).expect("sample parses");
        let mut buf = String::new();
        let hit = lex.lookup("Наурыздың", &mut buf).expect("genitive");
        assert_eq!(hit.words, &[Word::Month(3)]);
        assert!(hit.roles.has(Role::Gen));
        assert!(lex.lookup("Наурызбай", &mut buf).is_none());
        assert!(lex.lookup("кешеде", &mut buf).is_none(), "exact form");
        assert!(
            lex.lookup("маусымда", &mut buf)
                .is_some_and(|h| h.ambiguous)
        );
        assert!(lex.lookup("may", &mut buf).is_none(), "capital required");
        assert!(lex.lookup("May", &mut buf).is_some());
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = Lexicon::parse("kk", "month 13 x\n").expect_err("month 13");
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(Lexicon::parse("kk", "frobnicate 1 x\n").is_err());
        assert!(Lexicon::parse("kk", "month 1\n").is_err());
        assert!(Lexicon::parse("kk", "suffix nowhere да\n").is_err());
    }
}
