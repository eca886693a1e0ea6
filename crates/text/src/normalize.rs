//! Text normalization with a map back to the input's byte offsets.
//!
//! What it does, in order:
//! 1. Unicode NFC (skipped when the text is already NFC, which is the common case);
//! 2. repair of words that mix Cyrillic and Latin letters (scrapers and copy-paste make
//!    "МОSKVА" and "Кazinform"): the word is rewritten in its dominant script, the line's
//!    script breaking a tie, using the letter tables in `data/mixed/`;
//! 3. character classes: line breaks to `\n`, odd spaces to one space, invisible characters
//!    (zero-width space, soft hyphen, BOM, control characters) dropped; apostrophes inside a word
//!    to one form per use — `ʻ` (U+02BB) after Latin o/g, the Uzbek letters oʻ and gʻ
//!    (o' o‘ o’ oʼ o` all become oʻ), `'` in English contractions and possessives, `ʼ` (U+02BC)
//!    elsewhere (Uzbek tutuq belgisi, Ukrainian apostrophe); double quote marks of every shape to
//!    « when they open and » when they close (so quotation finding deals with one pair); dash
//!    variants to `—`, or `-` between digits (ranges) and for the hyphen characters.
//!
//! It does not change case, remove diacritics or transliterate whole words: those are matching
//! concerns (see [`crate::translit`]), and the clean text is what a person reads.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use xabar_core::{OffsetMap, Script};

use crate::script::ScriptCounts;

/// A normalized text and the map from its byte offsets to the input's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// Maps offsets in `text` to offsets in the input.
    pub map: OffsetMap,
}

/// Normalizes `input` (see the module documentation for what that means).
pub fn normalize(input: &str) -> Normalized {
    let (nfc, nfc_map) = to_nfc(input);
    // Mixed-script repair runs before the character rewrite, because which apostrophe a word
    // takes depends on the script of the letter before it.
    let (repaired, repair_map) = match repair_mixed_words(&nfc) {
        Some((text, map)) => (std::borrow::Cow::Owned(text), Some(map)),
        None => (nfc, None),
    };
    let (text, rewrite_map) = rewrite_chars(&repaired);
    let mut map = rewrite_map;
    if let Some(repair_map) = &repair_map {
        map = repair_map.then(&map);
    }
    if let Some(nfc_map) = &nfc_map {
        map = nfc_map.then(&map);
    }
    Normalized { text, map }
}

/// NFC, run by run (a starter and the marks that follow it), so the map stays exact outside
/// the runs that change. `None` for the map means the text came back unchanged.
fn to_nfc(input: &str) -> (std::borrow::Cow<'_, str>, Option<OffsetMap>) {
    if input.chars().all(is_nfc_starter) || is_nfc_quick(input.chars()) == IsNormalized::Yes {
        return (std::borrow::Cow::Borrowed(input), None);
    }
    let mut out = String::with_capacity(input.len());
    let mut map = OffsetMap::new();
    let mut run_start = 0;
    let mut run_changes = false;
    let flush = |out: &mut String, map: &mut OffsetMap, start: usize, end: usize| {
        let run = &input[start..end];
        if is_nfc_quick(run.chars()) == IsNormalized::Yes {
            out.push_str(run);
            map.copy(start, run.len());
        } else {
            let before = out.len();
            out.extend(run.nfc());
            map.replace(start, run.len(), out.len() - before);
        }
    };
    for (i, c) in input.char_indices() {
        let starts_run = canonical_combining_class(c) == 0 && !is_conjoining_jamo(c);
        if starts_run && i > run_start {
            if run_changes {
                flush(&mut out, &mut map, run_start, i);
            } else {
                out.push_str(&input[run_start..i]);
                map.copy(run_start, i - run_start);
            }
            run_start = i;
            run_changes = false;
        }
        if !c.is_ascii() {
            run_changes = true;
        }
    }
    if run_start < input.len() {
        flush(&mut out, &mut map, run_start, input.len());
    }
    (std::borrow::Cow::Owned(out), Some(map))
}

/// Below this code point, [`is_nfc_starter`] reads a table.
const NFC_TABLE_END: usize = 0x3000;

/// For each code point below [`NFC_TABLE_END`], whether it is NFC whatever surrounds it and
/// composes with nothing before it (NFC quick check "yes", combining class 0), one bit each.
static NFC_STARTERS: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; NFC_TABLE_END / 64];
    for (u, c) in (0..NFC_TABLE_END as u32).filter_map(|u| Some((u, char::from_u32(u)?))) {
        if canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
        {
            bits[u as usize / 64] |= 1 << (u % 64);
        }
    }
    bits
});

/// Whether a text made of such characters only is NFC: then the quick check, which looks
/// each character up in hashed tables, would say so too, at several times the cost.
#[inline]
fn is_nfc_starter(c: char) -> bool {
    let u = c as usize;
    u < 0x80 || (u < NFC_TABLE_END && NFC_STARTERS[u / 64] & (1 << (u % 64)) != 0)
}

fn is_conjoining_jamo(c: char) -> bool {
    matches!(c, '\u{1160}'..='\u{11FF}')
}

/// What to do with one input character.
enum Action {
    Keep,
    Drop,
    Replace(&'static str),
}

fn is_horizontal_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' | '\u{0000}'..='\u{0008}'
            | '\u{000B}' | '\u{000C}' | '\u{000E}'..='\u{001F}' | '\u{007F}'..='\u{009F}'
    )
}

fn is_apostrophe_like(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02B9}'
            | '`'
            | '\u{00B4}'
            | '\u{2032}'
    )
}

fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{2033}'
            | '\u{301D}'
            | '\u{301E}'
            | '\u{301F}'
            | '\u{FF02}'
            | '«'
            | '»'
    )
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2012}'..='\u{2015}' | '\u{2E3A}' | '\u{2E3B}' | '\u{FE58}' | '\u{FF0D}'
    )
}

/// Whether the text after an apostrophe reads as an English contraction or possessive ending
/// (`'s`, `'t`, `'ll`, `'re`, `'ve`, `'d`, `'m` followed by the end of the word).
fn english_clitic_follows(rest: &str) -> bool {
    let word_len = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic() || is_apostrophe_like(c))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    matches!(
        word,
        "s" | "t" | "ll" | "re" | "ve" | "d" | "m" | "S" | "T" | "LL" | "RE" | "VE" | "D" | "M"
    )
}

fn opens_quote(prev: Option<char>, next: Option<char>) -> bool {
    let after_space = match prev {
        None => true,
        Some(p) => {
            p.is_whitespace()
                || is_double_quote(p)
                || matches!(p, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':')
        }
    };
    after_space && next.is_some_and(|n| !n.is_whitespace())
}

fn closes_quote(prev: Option<char>, next: Option<char>) -> bool {
    let before_space = match next {
        None => true,
        Some(n) => {
            n.is_whitespace()
                || is_double_quote(n)
                || matches!(
                    n,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '…' | '—' | '–' | '-'
                )
        }
    };
    before_space && prev.is_some_and(|p| !p.is_whitespace())
}

fn classify(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    rest: &str,
    prev_out_space: bool,
) -> Action {
    if c.is_ascii_alphanumeric() {
        return Action::Keep;
    }
    match c {
        '\n' => Action::Keep,
        '\r' => {
            if next == Some('\n') {
                Action::Drop
            } else {
                Action::Replace("\n")
            }
        }
        ' ' if prev_out_space => Action::Drop,
        ' ' => Action::Keep,
        c if is_horizontal_space(c) => {
            if prev_out_space {
                Action::Drop
            } else {
                Action::Replace(" ")
            }
        }
        c if is_invisible(c) => Action::Drop,
        c if is_apostrophe_like(c) => classify_apostrophe(c, prev, next, rest),
        c if is_double_quote(c) => {
            let opening = opens_quote(prev, next);
            let closing = closes_quote(prev, next);
            let canonical = match (opening, closing) {
                (true, false) => "«",
                (false, true) => "»",
                _ => return Action::Keep,
            };
            if c.encode_utf8(&mut [0; 4]) == canonical {
                Action::Keep
            } else {
                Action::Replace(canonical)
            }
        }
        c if is_dash(c) => {
            if prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
            {
                Action::Replace("-")
            } else if c == '—' {
                Action::Keep
            } else {
                Action::Replace("—")
            }
        }
        '\u{2010}' | '\u{2011}' => Action::Replace("-"),
        '-' => {
            // A hyphen standing alone between spaces, or opening a line, is used as a dash.
            let spaced_after = next.is_none_or(|n| n == ' ');
            let spaced_before = prev.is_none_or(|p| p == ' ' || p == '\n');
            if spaced_after && spaced_before {
                Action::Replace("—")
            } else {
                Action::Keep
            }
        }
        _ => Action::Keep,
    }
}

fn classify_apostrophe(c: char, prev: Option<char>, next: Option<char>, rest: &str) -> Action {
    let (Some(p), Some(n)) = (prev, next) else {
        return Action::Keep;
    };
    let is_letter = |c: char| c.is_alphabetic() && !is_apostrophe_like(c);
    if !is_letter(p) || !is_letter(n) {
        // Not inside a word: a quote mark, not an apostrophe. Keep single quotes as they are.
        return match c {
            '\u{201B}' => Action::Replace("\u{2018}"),
            _ => Action::Keep,
        };
    }
    let canonical = match Script::of_char(p) {
        Script::Latn if english_clitic_follows(rest) => "'",
        Script::Latn if matches!(p, 'o' | 'O' | 'g' | 'G') => "\u{02BB}",
        _ => "\u{02BC}",
    };
    if c.encode_utf8(&mut [0; 4]) == canonical {
        Action::Keep
    } else {
        Action::Replace(canonical)
    }
}

/// Whether [`classify`] keeps `c` whatever its neighbours: every character none of its rules
/// is about (letters, digits, most punctuation).
#[inline]
fn is_plain(c: char) -> bool {
    if c.is_ascii_alphanumeric() || ('\u{0400}'..='\u{052F}').contains(&c) {
        return true;
    }
    !(matches!(c, '\n' | '\r' | ' ' | '-' | '\u{2010}' | '\u{2011}')
        || is_horizontal_space(c)
        || is_invisible(c)
        || is_apostrophe_like(c)
        || is_double_quote(c)
        || is_dash(c))
}

/// Step 3: per-character rewriting, recording copies and replacements in the map.
fn rewrite_chars(src: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(src.len());
    let mut map = OffsetMap::new();
    let mut copy_from = 0;
    let mut prev: Option<char> = None;
    let mut prev_out_space = false;
    let bytes = src.as_bytes();
    let mut i = 0;
    // Whether plain characters were skipped just before `i`: `prev` is then the last of them,
    // read back only when a character that needs it comes.
    let mut skipped = false;
    while i < bytes.len() {
        // Most characters are letters and digits no rule touches: they need no look at their
        // neighbours, and are copied with the run they are in. ASCII letters and digits and
        // two-byte Cyrillic (U+0400–U+04FF) are told from their first byte.
        let lead = bytes[i];
        if lead.is_ascii_alphanumeric() {
            skipped = true;
            i += 1;
            continue;
        }
        if (0xD0..=0xD3).contains(&lead) {
            skipped = true;
            i += 2;
            continue;
        }
        let Some(c) = src[i..].chars().next() else {
            break;
        };
        if is_plain(c) {
            skipped = true;
            i += c.len_utf8();
            continue;
        }
        if skipped {
            skipped = false;
            prev = src[..i].chars().next_back();
            prev_out_space = false;
        }
        let end = i + c.len_utf8();
        let rest = &src[end..];
        let next = rest.chars().next();
        let action = classify(c, prev, next, rest, prev_out_space);
        match action {
            Action::Keep => {
                prev_out_space = c == ' ';
            }
            Action::Drop => {
                out.push_str(&src[copy_from..i]);
                map.copy(copy_from, i - copy_from);
                copy_from = end;
            }
            Action::Replace(with) => {
                out.push_str(&src[copy_from..i]);
                map.copy(copy_from, i - copy_from);
                out.push_str(with);
                map.replace(i, end - i, with.len());
                copy_from = end;
                prev_out_space = with == " ";
            }
        }
        // Context rules look at the previous character of the output, so that a second pass
        // sees what the first one saw.
        match action {
            Action::Keep => prev = Some(c),
            Action::Replace(with) => prev = with.chars().next_back().or(prev),
            Action::Drop => {}
        }
        i = end;
    }
    out.push_str(&src[copy_from..]);
    map.copy(copy_from, src.len() - copy_from);
    (out, map)
}

/// One direction of the mixed-script letter tables.
type LetterTable = HashMap<char, &'static str>;

fn parse_letter_table(data: &'static str) -> LetterTable {
    let mut table = HashMap::new();
    for line in data.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(from), Some(to)) = (fields.next(), fields.next()) else {
            continue;
        };
        if let Some(c) = from.chars().next() {
            table.insert(c, to);
        }
    }
    table
}

static LATIN_TO_CYRILLIC: LazyLock<LetterTable> =
    LazyLock::new(|| parse_letter_table(include_str!("../data/mixed/latin-to-cyrillic.tsv")));
static CYRILLIC_TO_LATIN: LazyLock<LetterTable> =
    LazyLock::new(|| parse_letter_table(include_str!("../data/mixed/cyrillic-to-latin.tsv")));

/// The script of a line, counted over the words that are not themselves mixed.
fn line_script(text: &str, at: usize) -> Script {
    let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
    let mut counts = ScriptCounts::default();
    for word in text[start..end].split(|c: char| !c.is_alphabetic()) {
        let w = ScriptCounts::of(word);
        if !w.is_mixed() {
            counts.cyrl += w.cyrl;
            counts.latn += w.latn;
        }
    }
    counts.dominant()
}

/// The script of the character at byte `at` of `text` (as [`Script::of_char`] says) and its length
/// in bytes. ASCII and two-byte Cyrillic, most of any text xabar reads, are told from their
/// bytes.
#[inline]
fn letter_script(text: &str, at: usize) -> (Script, usize) {
    let bytes = text.as_bytes();
    let lead = bytes[at];
    if lead < 0x80 {
        let script = if lead.is_ascii_alphabetic() {
            Script::Latn
        } else {
            Script::Zyyy
        };
        return (script, 1);
    }
    // U+0400–U+04FF, less ҂ and the combining marks U+0482–U+0489 (D2 82 … D2 89).
    if (0xD0..=0xD3).contains(&lead)
        && !(lead == 0xD2 && bytes.get(at + 1).is_some_and(|b| (0x82..=0x89).contains(b)))
    {
        return (Script::Cyrl, 2);
    }
    match text[at..].chars().next() {
        Some(c) => (Script::of_char(c), c.len_utf8()),
        None => (Script::Zyyy, 1),
    }
}

/// Step 2: rewrites each word that mixes Cyrillic and Latin letters in one script.
/// Returns `None` when no word needed it (the usual case, at the cost of one scan).
fn repair_mixed_words(text: &str) -> Option<(String, OffsetMap)> {
    let mut out: Option<(String, OffsetMap, usize)> = None;
    let mut word_start: Option<usize> = None;
    let handle_word = |start: usize,
                       end: usize,
                       counts: ScriptCounts,
                       out: &mut Option<(String, OffsetMap, usize)>| {
        if !counts.is_mixed() {
            return;
        }
        let target = if counts.cyrl > counts.latn {
            Script::Cyrl
        } else if counts.latn > counts.cyrl {
            Script::Latn
        } else {
            match line_script(text, start) {
                Script::Latn => Script::Latn,
                _ => Script::Cyrl,
            }
        };
        let (table, foreign) = match target {
            Script::Latn => (&*CYRILLIC_TO_LATIN, Script::Cyrl),
            _ => (&*LATIN_TO_CYRILLIC, Script::Latn),
        };
        let (buf, map, copied) =
            out.get_or_insert_with(|| (String::with_capacity(text.len()), OffsetMap::new(), 0));
        buf.push_str(&text[*copied..start]);
        map.copy(*copied, start - *copied);
        for (i, c) in text[start..end].char_indices() {
            let at = start + i;
            match table.get(&c) {
                Some(with) if Script::of_char(c) == foreign => {
                    buf.push_str(with);
                    map.replace(at, c.len_utf8(), with.len());
                }
                _ => {
                    buf.push(c);
                    map.copy(at, c.len_utf8());
                }
            }
        }
        *copied = end;
    };
    // Words are found by script alone; the letters of the rare mixed word are counted when
    // it ends (the same characters, so the same counts as counting on the way).
    let (mut cyrillic, mut latin) = (false, false);
    let mut end_word = |start: usize, end: usize, cyrillic: bool, latin: bool| {
        if cyrillic && latin {
            handle_word(start, end, ScriptCounts::of(&text[start..end]), &mut out);
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (script, len) = letter_script(text, i);
        // Apostrophe letters (ʻ ʼ) and other script-less letters end a word here, so that
        // "ўʼa" stays two one-script words and the result does not depend on the order of steps.
        let continues = match script {
            Script::Cyrl => {
                cyrillic = true;
                true
            }
            Script::Latn => {
                latin = true;
                true
            }
            // Combining marks start at U+0300: below it, no need for the table.
            _ => {
                word_start.is_some()
                    && bytes[i] >= 0xCC
                    && text[i..]
                        .chars()
                        .next()
                        .is_some_and(|c| canonical_combining_class(c) != 0)
            }
        };
        if continues {
            if word_start.is_none() {
                word_start = Some(i);
            }
        } else if let Some(start) = word_start.take() {
            end_word(start, i, cyrillic, latin);
            (cyrillic, latin) = (false, false);
        }
        i += len;
    }
    if let Some(start) = word_start {
        end_word(start, text.len(), cyrillic, latin);
    }
    out.map(|(mut buf, mut map, copied)| {
        buf.push_str(&text[copied..]);
        map.copy(copied, text.len() - copied);
        (buf, map)
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use xabar_core::Span;

    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn mixed_script_words_take_their_dominant_script() {
        assert_eq!(
            norm("МОSKVА. Кazinform — Тоқаев"),
            "МОСКВА. Kazinform — Тоқаев"
        );
        assert_eq!(norm("АСТАНА. KAZINFORM –"), "АСТАНА. KAZINFORM —");
        assert_eq!(norm("Мoсквa"), "Москва");
        assert_eq!(norm("the Sаmsung plant"), "the Samsung plant");
        assert_eq!(norm("Russia MОSKVA visit"), "Russia MOSKVA visit");
    }

    #[test]
    fn uzbek_apostrophes_become_one_form() {
        for raw in [
            "O'zbekiston",
            "O‘zbekiston",
            "O’zbekiston",
            "Oʼzbekiston",
            "O`zbekiston",
            "Oʻzbekiston",
        ] {
            assert_eq!(norm(raw), "Oʻzbekiston", "{raw}");
        }
        assert_eq!(norm("g'alaba"), "gʻalaba");
        assert_eq!(norm("ta'lim va ma’no"), "taʼlim va maʼno");
        assert_eq!(norm("don’t stop Doug’s car"), "don't stop Doug's car");
        assert_eq!(norm("п’ять"), "пʼять");
    }

    #[test]
    fn quotes_and_dashes_take_canonical_forms() {
        assert_eq!(
            norm("„Sanktionswahnsinn“, so er"),
            "«Sanktionswahnsinn», so er"
        );
        assert_eq!(norm("he said “yes” and \"no\"."), "he said «yes» and «no».");
        assert_eq!(norm("- Владимир Путин"), "— Владимир Путин");
        assert_eq!(
            norm("11–22 ноября, Азия – Ресей"),
            "11-22 ноября, Азия — Ресей"
        );
        assert_eq!(norm("ҳужжат \"\n«Москва"), "ҳужжат \"\n«Москва");
    }

    #[test]
    fn plain_characters_are_kept_in_any_context() {
        let contexts = [
            (None, None),
            (Some('a'), Some('b')),
            (Some(' '), Some(' ')),
            (Some('1'), Some('2')),
            (Some('о'), Some('z')),
        ];
        for c in (0..0x3100)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain(c))
        {
            for (prev, next) in contexts {
                for prev_out_space in [false, true] {
                    let action = classify(c, prev, next, "s x", prev_out_space);
                    assert!(matches!(action, Action::Keep), "{c:?}");
                }
            }
        }
    }

    #[test]
    fn nfc_starters_agree_with_the_quick_check() {
        for c in (0..0x3100)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfc_starter(c))
        {
            let text = format!("a{c}b{c}");
            assert_eq!(is_nfc_quick(text.chars()), IsNormalized::Yes, "{c:?}");
        }
        assert!(!is_nfc_starter('\u{0301}'));
        assert!(is_nfc_starter('ж'));
    }

    #[test]
    fn letter_scripts_from_bytes_agree_with_of_char() {
        for c in (0..0x3100).filter_map(char::from_u32) {
            let text = format!("{c}a");
            assert_eq!(
                letter_script(&text, 0),
                (Script::of_char(c), c.len_utf8()),
                "{c:?}"
            );
        }
    }

    #[test]
    fn spaces_and_invisibles() {
        assert_eq!(
            norm("a\u{00A0}\u{00A0}b\r\nc\u{200B}d\u{00AD}e"),
            "a b\ncde"
        );
    }

    #[test]
    fn nfc_composes_and_maps_back() {
        let raw = "Йо\u{0306}л и\u{0306}";
        let n = normalize(raw);
        assert_eq!(n.text, "Йо\u{0306}л й");
        let at = n.text.find('й').unwrap();
        let back = n.map.source_span(Span::new(at, at + 'й'.len_utf8()));
        assert_eq!(&raw[back.start..back.end], "и\u{0306}");
    }

    #[test]
    fn offsets_map_back_to_the_original_word() {
        let raw = "МОSKVА. Кazinform — “Oʼzbekiston”";
        let n = normalize(raw);
        let word = "Oʻzbekiston";
        let at = n.text.find(word).unwrap();
        let back = n.map.source_span(Span::new(at, at + word.len()));
        assert_eq!(&raw[back.start..back.end], "Oʼzbekiston");
        let at = n.text.find("Kazinform").unwrap();
        let back = n.map.source_span(Span::new(at, at + "Kazinform".len()));
        assert_eq!(&raw[back.start..back.end], "Кazinform");
    }

    proptest! {
        #[test]
        fn any_text_normalizes_with_valid_offsets(s in "\\PC{0,60}|[a-zA-Zа-яА-ЯқўғҳәөұүіңOo'‘’ʼ`\"“”„«» \\-–—\\n\\r\u{00A0}\u{0306}\u{0301}]{0,60}") {
            let n = normalize(&s);
            prop_assert_eq!(n.map.derived_len(), n.text.len());
            let mut boundaries: Vec<usize> = n.text.char_indices().map(|(i, _)| i).collect();
            boundaries.push(n.text.len());
            for w in boundaries.windows(2) {
                let back = n.map.source_span(Span::new(w[0], w[1]));
                prop_assert!(back.start <= back.end && back.end <= s.len());
                prop_assert!(s.is_char_boundary(back.start) && s.is_char_boundary(back.end));
            }
            let whole = n.map.source_span(Span::new(0, n.text.len()));
            prop_assert!(whole.end <= s.len());
        }

        #[test]
        fn normalization_is_idempotent(s in "[a-zA-Zа-яА-ЯқўOo'‘’ʼ`\"“” \\-–]{0,40}") {
            let once = norm(&s);
            prop_assert_eq!(norm(&once), once.clone());
        }
    }
}
