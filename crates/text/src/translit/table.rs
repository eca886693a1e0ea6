//! Transliteration rule tables and the engine that applies them to text.
//!
//! Every transliterator is one table in `data/<lang>/translit-<from>-<to>.tsv`, so that adding
//! a language or fixing a letter is an edit to a data file, not to code. This module parses
//! those files and runs them; it knows nothing about any particular language.
//!
//! # File format
//!
//! UTF-8 text, one item a line; blank lines and lines starting with `#` are ignored.
//!
//! - `@standard<TAB>name`: the standard the table follows (shown to users).
//! - `@from<TAB>Cyrl` and `@to<TAB>Latn`: the scripts (ISO 15924).
//! - `@vowels<TAB>letters`: the source script's lowercase vowels, for the `V` and `C` contexts.
//! - `@casing<TAB>turkic`: uppercase target `i` as `İ` and `ı` as `I`.
//! - `@apostrophes<TAB>ʻ`: read every apostrophe variant (`' ‘ ’ ʻ ʼ` and the like) in the
//!   source as this one character, in the rules and in the text.
//! - `@joiners<TAB>-`: characters that, between two letters, do not end the word: the left
//!   context after one is that character (so `#`, `V` and `C` do not hold, a literal may).
//! - `@protect<TAB>urls roman`: copy whole URLs and e-mail addresses (`urls`), and words that
//!   are Roman numerals such as `XIX` (`roman`), unchanged.
//! - a rule: `source<TAB>target[<TAB>context]`. The source is lowercase; the target may be
//!   empty (the letter is dropped). Case is carried over from the text: an uppercase source
//!   gives a capitalized target (`Ш` → `Sh`), or an all-caps one inside an all-caps word
//!   (`ШАҲАР` → `SHAHAR`).
//!
//! A context is `LEFT_RIGHT`, each side a `|`-separated list of alternatives, any of which may
//! hold; an empty side always holds. An alternative is `#` (word boundary), `V` (a vowel),
//! `C` (a letter that is not a vowel), `L` (any letter) or literal lowercase text (on the
//! right, a `#` ending the literal asks for a word boundary after it: `a#`). On the left
//! it is tested against the previous unit of the same word (the source of the rule that
//! matched there, or the letter copied), on the right against the text that follows.
//!
//! At each letter the engine tries the rules whose source starts with that letter, longest
//! source first and in file order among equals, and applies the first whose source and context
//! match; a letter no rule matches is copied. Non-letters are copied and end the word.

use std::collections::HashMap;

use xabar_core::{OffsetMap, Script};

use super::TranslitError;

/// Every character read as an apostrophe when a table sets `@apostrophes`.
const APOSTROPHES: [char; 10] = [
    '\'', '\u{2018}', '\u{2019}', '\u{02BB}', '\u{02BC}', '`', '\u{02B9}', '\u{2032}', '\u{00B4}',
    '\u{02BD}',
];

/// Characters that sit inside a word without being part of it (soft hyphen, zero-width
/// joiners): they are copied and neither end the word nor count as its previous unit.
fn is_transparent(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}')
}

/// First chars below this limit find their rules through a flat array; the rest by hash.
const DENSE_LIMIT: usize = 0x530;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Context {
    Boundary,
    Vowel,
    Consonant,
    Letter,
    Literal(Box<[char]>),
}

#[derive(Debug)]
struct Rule {
    source: Box<[char]>,
    target: Box<str>,
    left: Box<[Context]>,
    right: Box<[Context]>,
}

/// What came before the current position inside the word.
#[derive(Debug, Clone, Copy)]
enum Prev {
    /// Nothing: the word starts here.
    Boundary,
    /// The unit a rule matched.
    Rule(u32),
    /// A letter no rule matched, copied (folded to lowercase).
    Char(char),
}

/// A parsed transliteration table, ready to apply.
#[derive(Debug)]
pub(crate) struct Table {
    standard: String,
    from: Script,
    to: Script,
    vowels: Vec<char>,
    turkic: bool,
    apostrophe: Option<char>,
    joiners: Vec<char>,
    protect_urls: bool,
    protect_roman: bool,
    rules: Vec<Rule>,
    /// Rule indices grouped by first source char, longest source first.
    order: Vec<u32>,
    /// For first chars below [`DENSE_LIMIT`]: the range of `order` holding their rules.
    dense: Vec<(u32, u32)>,
    sparse: HashMap<char, (u32, u32)>,
}

fn table_error(file: &'static str, line: usize, message: impl Into<String>) -> TranslitError {
    TranslitError::Table {
        file,
        line,
        message: message.into(),
    }
}

impl Table {
    /// Parses a table file; `file` names it in errors.
    pub(crate) fn parse(file: &'static str, text: &str) -> Result<Table, TranslitError> {
        let mut standard = None;
        let mut from = None;
        let mut to = None;
        let mut vowels = Vec::new();
        let mut turkic = false;
        let mut apostrophe = None;
        let mut joiners = Vec::new();
        let mut protect_urls = false;
        let mut protect_roman = false;
        let mut raw_rules: Vec<(usize, &str, &str, Option<&str>)> = Vec::new();

        for (n, line) in text.lines().enumerate() {
            let line_no = n + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let head = fields.next().unwrap_or_default();
            if let Some(directive) = head.strip_prefix('@') {
                let value = fields.next().unwrap_or_default().trim();
                match directive {
                    "standard" => standard = Some(value.to_string()),
                    "from" | "to" => {
                        let script: Script = value
                            .parse()
                            .map_err(|_| table_error(file, line_no, "unknown script"))?;
                        if directive == "from" {
                            from = Some(script);
                        } else {
                            to = Some(script);
                        }
                    }
                    "vowels" => vowels = value.chars().collect(),
                    "joiners" => joiners = value.chars().collect(),
                    "casing" if value == "turkic" => turkic = true,
                    "apostrophes" => {
                        let mut chars = value.chars();
                        apostrophe = chars.next();
                        if apostrophe.is_none() || chars.next().is_some() {
                            return Err(table_error(file, line_no, "@apostrophes takes one char"));
                        }
                    }
                    "protect" => {
                        for word in value.split_whitespace() {
                            match word {
                                "urls" => protect_urls = true,
                                "roman" => protect_roman = true,
                                _ => return Err(table_error(file, line_no, "unknown @protect")),
                            }
                        }
                    }
                    _ => return Err(table_error(file, line_no, "unknown directive")),
                }
                continue;
            }
            if head.is_empty() {
                return Err(table_error(file, line_no, "empty source"));
            }
            let target = fields.next().unwrap_or_default();
            let context = fields.next().filter(|c| !c.is_empty());
            if fields.next().is_some() {
                return Err(table_error(file, line_no, "more than three fields"));
            }
            raw_rules.push((line_no, head, target, context));
        }

        let fold_apostrophe = |c: char| match apostrophe {
            Some(a) if APOSTROPHES.contains(&c) => a,
            _ => c,
        };
        let mut rules = Vec::with_capacity(raw_rules.len());
        for (line_no, source, target, context) in raw_rules {
            let (left, right) = match context {
                None => (Vec::new(), Vec::new()),
                Some(context) => {
                    let (l, r) = context
                        .split_once('_')
                        .ok_or_else(|| table_error(file, line_no, "context lacks '_'"))?;
                    (
                        parse_side(l, fold_apostrophe),
                        parse_side(r, fold_apostrophe),
                    )
                }
            };
            rules.push(Rule {
                source: source.chars().map(fold_apostrophe).collect(),
                target: target.into(),
                left: left.into(),
                right: right.into(),
            });
        }

        // Group by first char, longest source first; the sort is stable, so file order
        // decides among sources of equal length.
        let mut order: Vec<u32> = (0..rules.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (ra, rb) = (&rules[a as usize], &rules[b as usize]);
            ra.source[0]
                .cmp(&rb.source[0])
                .then(rb.source.len().cmp(&ra.source.len()))
        });
        let mut dense = vec![(0u32, 0u32); DENSE_LIMIT];
        let mut sparse = HashMap::new();
        let mut start = 0;
        while start < order.len() {
            let first = rules[order[start] as usize].source[0];
            let mut end = start;
            while end < order.len() && rules[order[end] as usize].source[0] == first {
                end += 1;
            }
            let range = (start as u32, end as u32);
            match dense.get_mut(first as usize) {
                Some(slot) => *slot = range,
                None => {
                    sparse.insert(first, range);
                }
            }
            start = end;
        }

        Ok(Table {
            standard: standard.ok_or_else(|| table_error(file, 0, "no @standard"))?,
            from: from.ok_or_else(|| table_error(file, 0, "no @from"))?,
            to: to.ok_or_else(|| table_error(file, 0, "no @to"))?,
            vowels,
            turkic,
            apostrophe,
            joiners,
            protect_urls,
            protect_roman,
            rules,
            order,
            dense,
            sparse,
        })
    }

    /// The standard the table follows.
    pub(crate) fn standard(&self) -> &str {
        &self.standard
    }

    /// The script the table reads.
    pub(crate) fn from(&self) -> Script {
        self.from
    }

    /// The script the table writes.
    pub(crate) fn to(&self) -> Script {
        self.to
    }

    /// Lowercases `c` (when that gives one char) and folds apostrophe variants.
    #[inline]
    fn fold(&self, c: char) -> char {
        let lower = super::key::lowercase(c);
        match self.apostrophe {
            Some(a) if APOSTROPHES.contains(&lower) => a,
            _ => lower,
        }
    }

    fn is_apostrophe(&self, c: char) -> bool {
        self.apostrophe.is_some() && APOSTROPHES.contains(&c)
    }

    fn is_vowel(&self, c: char) -> bool {
        self.vowels.contains(&c)
    }

    fn candidates(&self, first: char) -> &[u32] {
        let (start, end) = match self.dense.get(first as usize) {
            Some(&range) => range,
            None => self.sparse.get(&first).copied().unwrap_or((0, 0)),
        };
        &self.order[start as usize..end as usize]
    }

    /// The first source char of what `prev` stands for, if anything.
    fn prev_first(&self, prev: Prev) -> Option<char> {
        match prev {
            Prev::Boundary => None,
            Prev::Rule(i) => self.rules.get(i as usize).map(|r| r.source[0]),
            Prev::Char(c) => Some(c),
        }
    }

    fn left_holds(&self, alternatives: &[Context], prev: Prev) -> bool {
        alternatives.is_empty()
            || alternatives.iter().any(|alt| match alt {
                Context::Boundary => matches!(prev, Prev::Boundary),
                Context::Letter => !matches!(prev, Prev::Boundary),
                Context::Vowel => self.prev_first(prev).is_some_and(|c| self.is_vowel(c)),
                Context::Consonant => self
                    .prev_first(prev)
                    .is_some_and(|c| c.is_alphabetic() && !self.is_vowel(c)),
                Context::Literal(lit) => match prev {
                    Prev::Boundary => false,
                    Prev::Rule(i) => self.rules.get(i as usize).is_some_and(|r| r.source == *lit),
                    Prev::Char(c) => lit.len() == 1 && lit[0] == c,
                },
            })
    }

    fn right_holds(&self, alternatives: &[Context], text: &str, pos: usize) -> bool {
        if alternatives.is_empty() {
            return true;
        }
        let next = char_at(text, pos).map(|(c, _)| c);
        let next_letter = next.filter(|&c| c.is_alphabetic() && !self.is_apostrophe(c));
        alternatives.iter().any(|alt| match alt {
            Context::Boundary => next_letter.is_none(),
            Context::Letter => next_letter.is_some(),
            Context::Vowel => next_letter.is_some_and(|c| self.is_vowel(self.fold(c))),
            Context::Consonant => next_letter.is_some_and(|c| !self.is_vowel(self.fold(c))),
            Context::Literal(lit) => {
                let mut p = pos;
                lit.iter().all(|&l| match char_at(text, p) {
                    // A literal's `#` is a word boundary at that point: `a#` is a final a.
                    _ if l == '#' => self.right_holds(&[Context::Boundary], text, p),
                    Some((c, len)) if self.fold(c) == l => {
                        p += len;
                        true
                    }
                    _ => false,
                })
            }
        })
    }

    /// The rule that applies at `pos` (whose folded char is `first`), with its source length.
    fn find_rule(&self, text: &str, pos: usize, first: char, prev: Prev) -> Option<(u32, usize)> {
        'rules: for &index in self.candidates(first) {
            let rule = &self.rules[index as usize];
            let mut p = pos;
            for (k, &expected) in rule.source.iter().enumerate() {
                let Some((c, len)) = char_at(text, p) else {
                    continue 'rules;
                };
                let folded = if k == 0 { first } else { self.fold(c) };
                if folded != expected {
                    continue 'rules;
                }
                p += len;
            }
            if self.left_holds(&rule.left, prev) && self.right_holds(&rule.right, text, p) {
                return Some((index, p - pos));
            }
        }
        None
    }

    fn push_upper(&self, c: char, out: &mut String) {
        match c {
            'i' if self.turkic => out.push('İ'),
            'ı' if self.turkic => out.push('I'),
            _ => out.extend(c.to_uppercase()),
        }
    }

    fn emit(&self, target: &str, upper: bool, all_caps: bool, out: &mut String) {
        if !upper {
            out.push_str(target);
            return;
        }
        let mut chars = target.chars();
        if all_caps {
            for c in chars {
                self.push_upper(c, out);
            }
        } else if let Some(first) = chars.next() {
            self.push_upper(first, out);
            out.push_str(chars.as_str());
        }
    }

    /// Whether the whitespace-delimited token is a URL or an e-mail address.
    fn is_url(token: &str) -> bool {
        token.contains("://")
            || token.starts_with("www.")
            || token
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
    }

    /// Length of the letters run starting at `pos` when it is a Roman numeral (`XIX`, `IV`).
    fn roman_run(text: &str, pos: usize) -> Option<usize> {
        let run = text[pos..]
            .find(|c: char| !c.is_alphabetic())
            .map_or(&text[pos..], |end| &text[pos..pos + end]);
        // A single letter is more often an initial ("V. Putin") than a numeral.
        let initial = run.len() == 1 && text[pos + run.len()..].starts_with('.');
        (is_roman_numeral(run) && !initial).then_some(run.len())
    }

    /// Whether the word starting at `pos` has at least two letters and no lowercase one.
    fn word_all_caps(&self, text: &str, pos: usize) -> bool {
        let mut letters = 0;
        for c in text[pos..].chars() {
            if c.is_lowercase() {
                return false;
            }
            if c.is_alphabetic() {
                letters += 1;
            } else if !self.is_apostrophe(c) && !is_transparent(c) && !is_combining(c) {
                break;
            }
        }
        letters >= 2
    }

    /// Transliterates `text`, appending to `out`; records offsets in `map` when given.
    pub(crate) fn apply(&self, text: &str, out: &mut String, mut map: Option<&mut OffsetMap>) {
        let base = out.len();
        let mut pos = 0;
        let mut prev = Prev::Boundary;
        let mut all_caps = false;
        let mut token_start = true;
        while let Some((c, len)) = char_at(text, pos) {
            if token_start && self.protect_urls && !c.is_whitespace() {
                let end = text[pos..]
                    .find(char::is_whitespace)
                    .map_or(text.len(), |e| pos + e);
                if Table::is_url(&text[pos..end]) {
                    out.push_str(&text[pos..end]);
                    if let Some(map) = map.as_deref_mut() {
                        map.copy(pos, end - pos);
                    }
                    pos = end;
                    prev = Prev::Boundary;
                    continue;
                }
            }
            token_start = c.is_whitespace();

            let in_word =
                c.is_alphabetic() || (self.is_apostrophe(c) && !matches!(prev, Prev::Boundary));
            if !in_word {
                let joins = self.joiners.contains(&c)
                    && !matches!(prev, Prev::Boundary)
                    && char_at(text, pos + len).is_some_and(|(n, _)| n.is_alphabetic());
                if joins {
                    prev = Prev::Char(c);
                } else if !is_transparent(c) {
                    prev = Prev::Boundary;
                }
                out.push_str(&text[pos..pos + len]);
                if let Some(map) = map.as_deref_mut() {
                    map.copy(pos, len);
                }
                pos += len;
                continue;
            }
            if matches!(prev, Prev::Boundary) {
                if self.protect_roman
                    && let Some(run) = Table::roman_run(text, pos)
                {
                    out.push_str(&text[pos..pos + run]);
                    if let Some(map) = map.as_deref_mut() {
                        map.copy(pos, run);
                    }
                    pos += run;
                    prev = Prev::Char('x');
                    continue;
                }
                all_caps = self.word_all_caps(text, pos);
            }

            let first = self.fold(c);
            match self.find_rule(text, pos, first, prev) {
                Some((index, source_len)) => {
                    let start = out.len();
                    let upper = c.is_uppercase();
                    self.emit(&self.rules[index as usize].target, upper, all_caps, out);
                    if let Some(map) = map.as_deref_mut() {
                        map.replace(pos, source_len, out.len() - start);
                    }
                    prev = Prev::Rule(index);
                    pos += source_len;
                }
                None => {
                    out.push_str(&text[pos..pos + len]);
                    if let Some(map) = map.as_deref_mut() {
                        map.copy(pos, len);
                    }
                    prev = Prev::Char(first);
                    pos += len;
                }
            }
        }
        debug_assert!(map.is_none_or(|m| m.derived_len() == out.len() - base));
    }
}

fn parse_side(side: &str, fold: impl Fn(char) -> char) -> Vec<Context> {
    if side.is_empty() {
        return Vec::new();
    }
    side.split('|')
        .map(|alt| match alt {
            "#" => Context::Boundary,
            "V" => Context::Vowel,
            "C" => Context::Consonant,
            "L" => Context::Letter,
            literal => Context::Literal(literal.chars().map(&fold).collect()),
        })
        .collect()
}

/// Whether `word` is a well-formed Roman numeral from I to MMMCMXCIX, so that all-caps words
/// written with the same letters ("DIL", "MILLI") are not mistaken for one.
fn is_roman_numeral(word: &str) -> bool {
    // Each decimal place: its one, five and ten letters; a place is one of the nine patterns.
    const PLACES: [(u8, u8, u8); 3] = [(b'C', b'D', b'M'), (b'X', b'L', b'C'), (b'I', b'V', b'X')];
    let mut rest = word.as_bytes();
    if rest.is_empty() {
        return false;
    }
    let thousands = rest.iter().take_while(|&&b| b == b'M').count().min(3);
    rest = &rest[thousands..];
    for (one, five, ten) in PLACES {
        let patterns: [&[u8]; 9] = [
            &[one, ten],
            &[one, five],
            &[five, one, one, one],
            &[five, one, one],
            &[five, one],
            &[five],
            &[one, one, one],
            &[one, one],
            &[one],
        ];
        if let Some(p) = patterns.iter().find(|p| rest.starts_with(p)) {
            rest = &rest[p.len()..];
        }
    }
    rest.is_empty()
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// The char at byte `pos` and its length in bytes; a letter followed by a combining mark
/// that composes with it (a decomposed `й`, `ё`, `ў`) is read as the composed letter.
#[inline]
fn char_at(text: &str, pos: usize) -> Option<(char, usize)> {
    let rest = text.get(pos..)?;
    let mut chars = rest.chars();
    let c = chars.next()?;
    let len = c.len_utf8();
    // Combining diacritics U+0300..U+036F start with byte 0xCC or 0xCD.
    if matches!(rest.as_bytes().get(len), Some(0xCC | 0xCD))
        && let Some(mark) = chars.next()
        && is_combining(mark)
        && let Some(composed) = unicode_normalization::char::compose(c, mark)
    {
        return Some((composed, len + mark.len_utf8()));
    }
    Some((c, len))
}
