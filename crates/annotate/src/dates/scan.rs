//! Turns text into the atoms the date grammar reads: words the lexicon knows, numbers (digits
//! with their endings, number words joined into one value, `12.03.2025`), and every other word
//! as a blank that stops a date. Punctuation is not an atom: it is kept as the gap before the
//! next atom, because `11. November`, `11–22`, `March 12, 2025` and a sentence end differ only
//! there.

use xabar_text::token::{TokenKind, tokenize};

use super::lexicon::{Lexicon, Role, Roles, Word};

/// What separates an atom from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Nothing (`11th` split into `11` and `th`).
    None,
    /// White space within a line.
    Space,
    /// A hyphen without spaces (`11-12`, `12-mart`, `2024-yil`).
    Hyphen,
    /// A dash, or a hyphen with spaces (`11–22`, `11 - 22`, `2005 – 2018`).
    Dash,
    /// A comma, with or without a space.
    Comma,
    /// A full stop followed by a space (`11. November`).
    DotSpace,
    /// A slash.
    Slash,
    /// An apostrophe between a number and an ending (`18'inde`).
    Apostrophe,
    /// Anything else: other punctuation, a line break, the start of the text.
    Stop,
}

/// A number written in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Number {
    pub value: u32,
    /// Written as an ordinal (`1-інші`, `бірінші`, `11th`, `11.` before a month).
    pub ordinal: bool,
    /// How many digits it was written with; 0 for number words.
    pub digits: u8,
    /// A range of two numbers written with a hyphen (`екі-үш`), an approximate count.
    pub approx: bool,
}

/// What an atom is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A word the lexicon does not know (or a word to ignore).
    Blank,
    /// A word the lexicon knows.
    Known,
    Number(Number),
    /// A numeric date in one token: `12.03.2025`.
    NumericDate {
        year: i32,
        month: u8,
        day: u8,
    },
    /// A Roman numeral (`XX` in `XX век`).
    Roman(u32),
}

/// One atom of the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Atom<'a> {
    pub start: usize,
    pub end: usize,
    pub gap: Gap,
    pub kind: Kind,
    pub words: &'a [Word],
    pub roles: Roles,
    pub ambiguous: bool,
    /// Starts with an upper-case letter.
    pub capital: bool,
}

impl<'a> Atom<'a> {
    fn blank(start: usize, end: usize, gap: Gap) -> Atom<'a> {
        Atom {
            start,
            end,
            gap,
            kind: Kind::Blank,
            words: &[],
            roles: Roles::NONE,
            ambiguous: false,
            capital: false,
        }
    }

    pub(crate) fn number(&self) -> Option<Number> {
        match self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn has(&self, pred: impl Fn(Word) -> bool) -> bool {
        self.words.iter().any(|&w| pred(w))
    }

    pub(crate) fn find<T>(&self, f: impl Fn(Word) -> Option<T>) -> Option<T> {
        self.words.iter().find_map(|&w| f(w))
    }
}

fn classify_gap(gap: &str, first: bool) -> Gap {
    if first && gap.trim().is_empty() {
        return Gap::Stop;
    }
    if gap.is_empty() {
        return Gap::None;
    }
    if gap.contains('\n') {
        return Gap::Stop;
    }
    let trimmed = gap.trim_matches(|c: char| c.is_whitespace());
    let spaced = trimmed.len() != gap.len();
    match trimmed {
        "" => Gap::Space,
        "-" | "‐" | "‑" if !spaced => Gap::Hyphen,
        "-" | "‐" | "‑" | "–" | "—" | "−" => Gap::Dash,
        "," => Gap::Comma,
        "." if gap.ends_with(|c: char| c.is_whitespace()) && !gap.starts_with(' ') => Gap::DotSpace,
        "/" if !spaced => Gap::Slash,
        "'" | "’" | "ʼ" if !spaced => Gap::Apostrophe,
        _ => Gap::Stop,
    }
}

/// Scans `text` into atoms. Runs in one pass; allocates only the atom list.
pub(crate) fn atoms<'a>(text: &str, lex: &'a Lexicon) -> Vec<Atom<'a>> {
    let mut out: Vec<Atom<'a>> = Vec::new();
    let mut buf = String::new();
    let mut prev_end = 0usize;
    for token in tokenize(text) {
        if token.kind == TokenKind::Punct {
            continue;
        }
        let gap = classify_gap(&text[prev_end..token.span.start], out.is_empty());
        prev_end = token.span.end;
        match token.kind {
            TokenKind::Number => push_number_token(&mut out, token.text, token.span.start, gap),
            _ => {
                // A compound word (`2020-сыншы`, `12-mart`, `бүгін-ертең`) is read part by
                // part; each part after the first has a hyphen gap.
                let mut gap = gap;
                for part in token.parts() {
                    push_word(&mut out, lex, &mut buf, part.text, part.span.start, gap);
                    gap = Gap::Hyphen;
                }
            }
        }
    }
    join_number_words(&mut out);
    if !lex.stop_phrases.is_empty() {
        for i in 0..out.len().saturating_sub(1) {
            if out[i].kind != Kind::Known || out[i + 1].gap != Gap::Space {
                continue;
            }
            let first = lex.key(&text[out[i].start..out[i].end]);
            let second = lex.key(&text[out[i + 1].start..out[i + 1].end]);
            if lex
                .stop_phrases
                .iter()
                .any(|(a, b)| first.starts_with(&**a) && second.starts_with(&**b))
            {
                let atom = &mut out[i];
                *atom = Atom::blank(atom.start, atom.end, atom.gap);
            }
        }
    }
    out
}

fn digits_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn push_number_token<'a>(out: &mut Vec<Atom<'a>>, text: &str, start: usize, gap: Gap) {
    let end = start + text.len();
    if let Some(value) = digits_value(text) {
        out.push(Atom {
            kind: Kind::Number(Number {
                value,
                ordinal: false,
                digits: text.len() as u8,
                approx: false,
            }),
            ..Atom::blank(start, end, gap)
        });
        return;
    }
    // `12.03.2025` (day.month.year) is one token; `24.5` and `7 591` are not dates.
    let parts: Vec<&str> = text.split('.').collect();
    if let [d, m, y] = parts[..]
        && (1..=2).contains(&d.len())
        && m.len() == 2
        && y.len() == 4
        && let (Some(day), Some(month), Some(year)) =
            (digits_value(d), digits_value(m), digits_value(y))
        && (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && (1000..=2999).contains(&year)
    {
        out.push(Atom {
            kind: Kind::NumericDate {
                year: year as i32,
                month: month as u8,
                day: day as u8,
            },
            ..Atom::blank(start, end, gap)
        });
        return;
    }
    out.push(Atom::blank(start, end, gap));
}

fn roman_value(word: &str) -> Option<u32> {
    if word.is_empty() || word.len() > 7 || !word.bytes().all(|b| b"IVXL".contains(&b)) {
        return None;
    }
    let digit = |b: u8| match b {
        b'I' => 1,
        b'V' => 5,
        b'X' => 10,
        _ => 50,
    };
    let bytes = word.as_bytes();
    let mut total = 0i32;
    for (i, &b) in bytes.iter().enumerate() {
        let v = digit(b);
        if bytes.get(i + 1).is_some_and(|&n| digit(n) > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    (1..=40).contains(&total).then_some(total as u32)
}

fn push_word<'a>(
    out: &mut Vec<Atom<'a>>,
    lex: &'a Lexicon,
    buf: &mut String,
    word: &str,
    start: usize,
    gap: Gap,
) {
    let end = start + word.len();
    let digit_len = word.bytes().take_while(u8::is_ascii_digit).count();
    if digit_len > 0 {
        let value = digits_value(&word[..digit_len]);
        let rest = &word[digit_len..];
        let number = |ordinal| {
            value.map(|value| {
                Kind::Number(Number {
                    value,
                    ordinal,
                    digits: digit_len as u8,
                    approx: false,
                })
            })
        };
        if rest.is_empty() {
            let kind = number(false).unwrap_or(Kind::Blank);
            out.push(Atom {
                kind,
                ..Atom::blank(start, end, gap)
            });
            return;
        }
        // `11th`, `1990s`: digits and an ending in one part.
        if let Some(roles) = lex.digit_endings(rest, buf)
            && let Some(kind) = number(roles.has(Role::Ord))
        {
            out.push(Atom {
                kind,
                roles,
                ..Atom::blank(start, end, gap)
            });
            return;
        }
        out.push(Atom::blank(start, end, gap));
        return;
    }
    // An ending after a number and a hyphen or apostrophe (`25-і`, `2020-сыншы`, `1990-х`,
    // `18'inde`) belongs to the number.
    if matches!(gap, Gap::Hyphen | Gap::Apostrophe | Gap::None)
        && let Some(prev) = out.last_mut()
        && let Kind::Number(n) = prev.kind
        && n.digits > 0
        && prev.roles == Roles::NONE
        && let Some(roles) = lex.digit_endings(word, buf)
    {
        prev.kind = Kind::Number(Number {
            ordinal: n.ordinal || roles.has(Role::Ord),
            ..n
        });
        prev.roles = roles;
        prev.end = end;
        return;
    }
    let capital = word.chars().next().is_some_and(char::is_uppercase);
    if let Some(value) = roman_value(word) {
        out.push(Atom {
            kind: Kind::Roman(value),
            capital,
            ..Atom::blank(start, end, gap)
        });
        return;
    }
    // The later part of a compound whose first part is no date word (`тұп-тура`,
    // `Қосим-Жомарт`) is not read on its own.
    let in_unknown_compound = gap == Gap::Hyphen
        && out
            .last()
            .is_some_and(|prev| prev.kind == Kind::Blank && prev.end < start);
    match lex.lookup(word, buf) {
        Some(hit) if hit.words.contains(&Word::Stop) || in_unknown_compound => out.push(Atom {
            capital,
            ..Atom::blank(start, end, gap)
        }),
        Some(hit) => out.push(Atom {
            start,
            end,
            gap,
            kind: Kind::Known,
            words: hit.words,
            roles: hit.roles,
            ambiguous: hit.ambiguous,
            capital,
        }),
        None => out.push(Atom {
            capital,
            ..Atom::blank(start, end, gap)
        }),
    }
}

/// The value of a number word, and whether it is an ordinal.
fn number_word(atom: &Atom<'_>) -> Option<(u32, bool)> {
    atom.find(|w| match w {
        Word::Num(n) => Some((n, false)),
        Word::Ord(n) => Some((n, true)),
        _ => None,
    })
}

/// Joins runs of number words into one number: `екі мың жиырмасыншы` → 2020th,
/// `мың тоғыз жүз тоқсан жетінші` → 1997th, `он екі` → 12; `екі-үш` → about 2.
fn join_number_words(atoms: &mut Vec<Atom<'_>>) {
    let mut i = 0;
    while i < atoms.len() {
        let Some((first, first_ord)) = number_word(&atoms[i]) else {
            i += 1;
            continue;
        };
        let mut total = 0u32;
        let mut current = 0u32;
        let mut last_small: u32;
        let mut ordinal = first_ord;
        let mut approx = false;
        let mut j = i;
        let mut value = first;
        loop {
            if value >= 1000 {
                total += current.max(1) * value;
                current = 0;
                last_small = value;
            } else if value == 100 {
                current = current.max(1) * 100;
                last_small = 100;
            } else {
                current += value;
                last_small = value;
            }
            if ordinal {
                break;
            }
            let Some(next) = atoms.get(j + 1) else { break };
            let Some((v, ord)) = number_word(next) else {
                break;
            };
            if next.gap == Gap::Hyphen && j == i && v > value && v < 10 * value.max(1) {
                // `екі-үш`, `төрт-бес`: an approximate count; keep the first.
                approx = true;
                ordinal = ord;
                j += 1;
                break;
            }
            if next.gap != Gap::Space {
                break;
            }
            // Words of a number fall in size (`жиырма бес`), except multipliers after a
            // smaller number (`екі мың`, `тоғыз жүз`).
            let fits = (v < last_small && !(v < 10 && last_small < 10))
                || ((v == 100 || v >= 1000) && value < v);
            if !fits {
                break;
            }
            j += 1;
            value = v;
            ordinal = ord;
        }
        if j > i || approx || atoms[i].kind == Kind::Known {
            let roles = atoms[j].roles;
            let merged = Atom {
                start: atoms[i].start,
                end: atoms[j].end,
                gap: atoms[i].gap,
                kind: Kind::Number(Number {
                    value: total + current,
                    ordinal,
                    digits: 0,
                    approx,
                }),
                words: atoms[j].words,
                roles,
                ambiguous: false,
                capital: atoms[i].capital,
            };
            atoms.splice(i..=j, [merged]);
        }
        i += 1;
    }
}
