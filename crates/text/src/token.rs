//! Splits text into words, numbers and punctuation, each with its byte span in the text.
//!
//! The tokenizer is a hand-written character scanner rather than Unicode word segmentation
//! (UAX #29), because the rules xabar needs differ from UAX #29 where it matters most:
//! - Uzbek apostrophes stay inside words: `Oʻzbekiston`, `gʻalaba`, `taʼlim` are one word each,
//!   and so are their raw-text spellings with `'`, `‘`, `’` or `` ` `` between two letters;
//! - a hyphenated compound (`Қосим-Жомарт`, `Россия-Қозоғистон`, `2024-yil`) is one word, and
//!   [`Token::parts`] splits it when a stage wants the pieces;
//! - a number keeps its internal `.` and `,` (`4,5`, `7.591`) and thin-space digit groups
//!   (`7 591`), but `11-12` is two numbers around a hyphen.
//!
//! Words are runs of letters, combining marks and digits of any script. Everything else that is
//! not white space is punctuation, one character per token. The scanner takes any `&str`,
//! normalized or raw, allocates nothing per token, and reads each byte about once.
//!
//! This module does not decide what a word means: sentence ends, abbreviations and names are
//! later stages' business. [`lowercase`] is here because every consumer of words needs it and
//! Turkic dotted/dotless i makes it language-dependent.

use std::borrow::Cow;
use std::iter::FusedIterator;

use xabar_core::{Language, Span};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (any script), possibly with digits, marks, word-internal apostrophes and hyphens.
    Word,
    /// Digits only, with `.`/`,` or thin-space groups between digits: `2024`, `4,5`, `7 591`.
    Number,
    /// Any other character that is not white space, one per token.
    Punct,
}

/// A word, number or punctuation character, with where it is in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token's text, `&text[span.start..span.end]`.
    pub text: &'a str,
    /// Byte offsets into the tokenized text (always on char boundaries).
    pub span: Span,
    /// What kind of token it is.
    pub kind: TokenKind,
}

impl<'a> Token<'a> {
    /// Whether this is a word joined from several parts by hyphens (`Қосим-Жомарт`).
    pub fn is_compound(&self) -> bool {
        self.kind == TokenKind::Word && self.text.chars().any(is_hyphen)
    }

    /// The hyphen-separated parts of a compound word, with spans in the original text; a token
    /// that is not compound yields itself. A part is a [`TokenKind::Number`] when it has no
    /// letter (`2024` in `2024-yil`).
    pub fn parts(&self) -> Parts<'a> {
        Parts {
            text: self.text,
            offset: self.span.start,
            pos: 0,
            whole: self.kind,
        }
    }
}

/// The parts of a compound word: see [`Token::parts`].
#[derive(Debug, Clone)]
pub struct Parts<'a> {
    text: &'a str,
    offset: usize,
    pos: usize,
    whole: TokenKind,
}

impl<'a> Iterator for Parts<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let start = self.pos;
        if self.whole != TokenKind::Word {
            self.pos = self.text.len();
            return Some(Token {
                text: rest,
                span: Span::new(self.offset + start, self.offset + self.text.len()),
                kind: self.whole,
            });
        }
        let (len, skip) = match rest.char_indices().find(|&(_, c)| is_hyphen(c)) {
            Some((i, c)) => (i, c.len_utf8()),
            None => (rest.len(), 0),
        };
        self.pos += len + skip;
        let part = &rest[..len];
        let kind = if part.chars().any(|c| class_of(c) == Class::Letter) {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        Some(Token {
            text: part,
            span: Span::new(self.offset + start, self.offset + start + len),
            kind,
        })
    }
}

impl FusedIterator for Parts<'_> {}

/// The tokens of `text`, in order, white space skipped.
pub fn tokenize(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

/// The iterator [`tokenize`] returns.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.text.as_bytes();
        loop {
            let start = self.pos;
            let (class, len) = peek(self.text, start)?;
            match class {
                Class::Space | Class::GroupSpace | Class::Joiner => {
                    self.pos += len;
                }
                Class::Letter | Class::Digit => {
                    let (end, has_letter) = scan_word(self.text, start);
                    self.pos = end;
                    let kind = if has_letter {
                        TokenKind::Word
                    } else {
                        TokenKind::Number
                    };
                    return Some(self.token(start, end, kind));
                }
                _ => {
                    // Any other char is one punctuation token. `len` is the char's full
                    // UTF-8 length, so the end stays on a boundary.
                    debug_assert!(start + len <= bytes.len());
                    self.pos = start + len;
                    return Some(self.token(start, start + len, TokenKind::Punct));
                }
            }
        }
    }
}

impl FusedIterator for Tokens<'_> {}

impl<'a> Tokens<'a> {
    fn token(&self, start: usize, end: usize, kind: TokenKind) -> Token<'a> {
        Token {
            text: &self.text[start..end],
            span: Span::new(start, end),
            kind,
        }
    }
}

/// How the scanner sees a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// White space, control and invisible characters between tokens.
    Space,
    /// A space that may group digits (no-break, narrow no-break, thin): white space otherwise.
    GroupSpace,
    /// Zero-width joiners and the soft hyphen: inside a word when a letter follows, else skipped.
    Joiner,
    Letter,
    Digit,
    /// A combining mark: continues whatever word it follows.
    Mark,
    /// `'`, `‘`, `’`, `` ` ``: inside a word only between two letters.
    Apostrophe,
    /// `ʻ`, `ʼ`, `ʹ`: modifier letters used as apostrophes; inside a word after a letter, even
    /// at its end (Uzbek tutuq belgisi can end a word).
    ModifierApostrophe,
    /// `-` and the Unicode hyphens: join a compound word.
    Hyphen,
    /// `.` and `,`: inside a number between digits.
    NumberSeparator,
    Other,
}

const fn ascii_classes() -> [Class; 128] {
    let mut table = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            Class::Letter
        } else if c.is_ascii_digit() {
            Class::Digit
        } else if c.is_ascii_whitespace() || c.is_ascii_control() {
            Class::Space
        } else if c == b'\'' || c == b'`' {
            Class::Apostrophe
        } else if c == b'-' {
            Class::Hyphen
        } else if c == b'.' || c == b',' {
            Class::NumberSeparator
        } else {
            Class::Other
        };
        b += 1;
    }
    table
}

static ASCII: [Class; 128] = ascii_classes();

/// The class of a char; the common alphabets are matched by range before the general Unicode
/// tables, which are slower.
#[inline]
fn class_of(c: char) -> Class {
    let u = c as u32;
    if u < 0x80 {
        return ASCII[u as usize];
    }
    match u {
        0x0400..=0x0481 | 0x048A..=0x052F => Class::Letter,
        0x0483..=0x0489 => Class::Mark,
        0x00C0..=0x00FF if u != 0xD7 && u != 0xF7 => Class::Letter,
        0x0100..=0x024F => Class::Letter,
        0x02B9 | 0x02BB | 0x02BC => Class::ModifierApostrophe,
        0x2018 | 0x2019 => Class::Apostrophe,
        0x2010 | 0x2011 => Class::Hyphen,
        0x00A0 | 0x2009 | 0x202F => Class::GroupSpace,
        0x00AD | 0x200C | 0x200D | 0x2060 => Class::Joiner,
        0x200B | 0xFEFF => Class::Space,
        0x0300..=0x036F
        | 0x0591..=0x05BD
        | 0x064B..=0x065F
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F => Class::Mark,
        _ => {
            if c.is_alphabetic() {
                Class::Letter
            } else if c.is_numeric() {
                Class::Digit
            } else if c.is_whitespace() || c.is_control() {
                Class::Space
            } else {
                Class::Other
            }
        }
    }
}

/// The class and UTF-8 length of the char starting at byte `i`, which must be a char boundary;
/// `None` at the end of the text.
#[inline]
fn peek(text: &str, i: usize) -> Option<(Class, usize)> {
    let bytes = text.as_bytes();
    let b = *bytes.get(i)?;
    if b < 0x80 {
        return Some((ASCII[b as usize], 1));
    }
    // Two-byte sequences (Cyrillic, Latin with diacritics) are decoded inline: the text is
    // valid UTF-8, so a lead byte 110xxxxx is always followed by one continuation byte.
    if b & 0xE0 == 0xC0
        && let Some(&b1) = bytes.get(i + 1)
        && let Some(c) = char::from_u32((u32::from(b & 0x1F) << 6) | u32::from(b1 & 0x3F))
    {
        return Some((class_of(c), 2));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((class_of(c), c.len_utf8()))
}

/// Scans a word or number starting at `start` (a letter or digit); returns its end and whether
/// it holds a letter.
fn scan_word(text: &str, start: usize) -> (usize, bool) {
    let mut i = start;
    let mut has_letter = false;
    // The class of the last letter or digit, which decides whether a joiner may follow.
    let mut last = Class::Other;
    while let Some((class, len)) = peek(text, i) {
        let next = || peek(text, i + len).map(|(c, _)| c);
        match class {
            Class::Letter => {
                has_letter = true;
                last = Class::Letter;
            }
            Class::Digit => last = Class::Digit,
            Class::Mark => {}
            Class::ModifierApostrophe if last == Class::Letter => {}
            Class::Apostrophe if last == Class::Letter && next() == Some(Class::Letter) => {}
            Class::Hyphen if matches!(last, Class::Letter | Class::Digit) => match next() {
                Some(Class::Letter) => {}
                // `Су-35` and `COVID-19` are one word; `11-12` is a range of two numbers.
                Some(Class::Digit) if has_letter => {}
                _ => break,
            },
            Class::NumberSeparator
                if last == Class::Digit && !has_letter && next() == Some(Class::Digit) => {}
            Class::GroupSpace if last == Class::Digit && !has_letter => {
                if !is_digit_group(text, i + len) {
                    break;
                }
            }
            Class::Joiner if matches!(next(), Some(Class::Letter | Class::Mark)) => {}
            _ => break,
        }
        i += len;
    }
    (i, has_letter)
}

/// Whether exactly three digits start at `i` and no digit or letter follows them: the shape of a
/// thousands group after a space (`7 591`), not of a second number (`2024 2025`).
fn is_digit_group(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    let group = bytes.get(i..i + 3);
    if !group.is_some_and(|g| g.iter().all(u8::is_ascii_digit)) {
        return false;
    }
    !matches!(
        peek(text, i + 3),
        Some((Class::Digit | Class::Letter | Class::Mark, _))
    )
}

fn is_hyphen(c: char) -> bool {
    class_of(c) == Class::Hyphen
}

/// Lowercases one word for `lang`: Turkish, Azerbaijani and Kazakh (2021 Latin alphabet) map
/// `I` to `ı` and `İ` to `i`; every other language uses Unicode's default lowercasing (which
/// would turn `İ` into `i` plus a combining dot). Borrows when the word is already lowercase.
pub fn lowercase(word: &str, lang: Language) -> Cow<'_, str> {
    if !has_uppercase(word) {
        return Cow::Borrowed(word);
    }
    if matches!(lang, Language::Tr | Language::Az | Language::Kk) {
        let mut out = String::with_capacity(word.len());
        for c in word.chars() {
            match c {
                'I' => out.push('ı'),
                'İ' => out.push('i'),
                _ => out.extend(c.to_lowercase()),
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// Whether lowercasing would change `word`; lowercase Cyrillic and ASCII are checked without
/// the Unicode tables.
fn has_uppercase(word: &str) -> bool {
    word.chars().any(|c| match c as u32 {
        0x61..=0x7A | 0x0430..=0x045F => false,
        0x41..=0x5A | 0x0400..=0x042F => true,
        u if u < 0x80 => false,
        _ => {
            let mut lower = c.to_lowercase();
            lower.next() != Some(c) || lower.next().is_some()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text).map(|t| (t.text, t.kind)).collect()
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text)
            .collect()
    }

    use TokenKind::{Number, Punct, Word};

    #[test]
    fn uzbek_apostrophes_stay_inside_words() {
        assert_eq!(
            words("Oʻzbekiston gʻalaba taʼlim"),
            ["Oʻzbekiston", "gʻalaba", "taʼlim"]
        );
        assert_eq!(
            words("O'zbekiston g‘alaba ta’lim O`zbek"),
            ["O'zbekiston", "g‘alaba", "ta’lim", "O`zbek"]
        );
        // A raw apostrophe not followed by a letter is punctuation; a modifier letter may end
        // a word.
        assert_eq!(
            texts("so' mamnuʼ"),
            [("so", Word), ("'", Punct), ("mamnuʼ", Word)]
        );
        // Quotes around a word are not part of it.
        assert_eq!(
            texts("'Astana'"),
            [("'", Punct), ("Astana", Word), ("'", Punct)]
        );
        // Ukrainian apostrophe.
        assert_eq!(words("м'ясо мʼясо"), ["м'ясо", "мʼясо"]);
    }

    #[test]
    fn compounds_are_one_word_with_parts() {
        let text = "Қосим-Жомарт Тўқаев, Kassym-Jomart; Россия-Қозоғистон 2024-yil Су-35";
        let tokens: Vec<Token<'_>> = tokenize(text).collect();
        let compound: Vec<&str> = tokens
            .iter()
            .filter(|t| t.is_compound())
            .map(|t| t.text)
            .collect();
        assert_eq!(
            compound,
            [
                "Қосим-Жомарт",
                "Kassym-Jomart",
                "Россия-Қозоғистон",
                "2024-yil",
                "Су-35"
            ]
        );
        let parts: Vec<(&str, Span, TokenKind)> = tokens[0]
            .parts()
            .map(|p| (p.text, p.span, p.kind))
            .collect();
        assert_eq!(
            parts,
            [
                ("Қосим", Span::new(0, 10), Word),
                ("Жомарт", Span::new(11, 23), Word)
            ]
        );
        for t in &tokens {
            for p in t.parts() {
                assert_eq!(&text[p.span.start..p.span.end], p.text);
            }
        }
        let year: Vec<TokenKind> = tokens[6].parts().map(|p| p.kind).collect();
        assert_eq!(year, [Number, Word]);
        assert_eq!(tokens[1].parts().count(), 1);
    }

    #[test]
    fn hyphens_that_do_not_join() {
        assert_eq!(
            texts("11-12 ноябрь"),
            [
                ("11", Number),
                ("-", Punct),
                ("12", Number),
                ("ноябрь", Word)
            ]
        );
        assert_eq!(
            texts("Азия – Ресей"),
            [("Азия", Word), ("–", Punct), ("Ресей", Word)]
        );
        assert_eq!(
            texts("a--b -c d-"),
            [
                ("a", Word),
                ("-", Punct),
                ("-", Punct),
                ("b", Word),
                ("-", Punct),
                ("c", Word),
                ("d", Word),
                ("-", Punct)
            ]
        );
    }

    #[test]
    fn numbers_keep_internal_separators() {
        assert_eq!(
            texts("7591 4,5 2024. 3.14, 1,000,000"),
            [
                ("7591", Number),
                ("4,5", Number),
                ("2024", Number),
                (".", Punct),
                ("3.14", Number),
                (",", Punct),
                ("1,000,000", Number)
            ]
        );
        assert_eq!(
            texts("7\u{a0}591 человек, 2024\u{202f}2025, 12\u{a0}3456"),
            [
                ("7\u{a0}591", Number),
                ("человек", Word),
                (",", Punct),
                ("2024", Number),
                ("2025", Number),
                (",", Punct),
                ("12", Number),
                ("3456", Number)
            ]
        );
        assert_eq!(
            texts("10% G20"),
            [("10", Number), ("%", Punct), ("G20", Word)]
        );
    }

    #[test]
    fn punctuation_and_marks() {
        assert_eq!(
            texts("«Орталық Азия»!"),
            [
                ("«", Punct),
                ("Орталық", Word),
                ("Азия", Word),
                ("»", Punct),
                ("!", Punct)
            ]
        );
        // A combining stress mark stays in its word; a soft hyphen joins.
        assert_eq!(
            words("замо\u{301}к ин\u{ad}форм"),
            ["замо\u{301}к", "ин\u{ad}форм"]
        );
        assert_eq!(texts(""), []);
        assert_eq!(texts(" \n\t\u{200b}"), []);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "Президент России Владимир Путин направил телеграмму Токаеву.";
        for t in tokenize(text) {
            assert_eq!(&text[t.span.start..t.span.end], t.text);
        }
        let last = tokenize(text).last().map(|t| (t.text, t.span));
        assert_eq!(last, Some((".", Span::new(text.len() - 1, text.len()))));
    }

    #[test]
    fn lowercase_by_language() {
        assert_eq!(lowercase("İstanbul", Language::Tr), "istanbul");
        assert_eq!(lowercase("IŞIK", Language::Tr), "ışık");
        assert_eq!(lowercase("İlham", Language::Az), "ilham");
        assert_eq!(lowercase("QAZAQSTAN", Language::Kk), "qazaqstan");
        assert_eq!(lowercase("BILIM", Language::En), "bilim");
        assert_eq!(lowercase("Тоқаев", Language::Kk), "тоқаев");
        assert_eq!(lowercase("ΟΔΟΣ", Language::Und), "οδος");
        assert!(matches!(
            lowercase("қазақстан", Language::Kk),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            lowercase("oʻzbek", Language::Uz),
            Cow::Borrowed(_)
        ));
        assert!(matches!(lowercase("Oʻzbek", Language::Uz), Cow::Owned(_)));
    }
}

/// Throughput on the seed articles, printed, never asserted: run it with
/// `cargo test --release -p xabar-text tokenize_throughput -- --ignored --nocapture`.
#[cfg(test)]
mod throughput {
    use std::path::Path;
    use std::time::Instant;

    use super::*;

    #[test]
    #[ignore = "a measurement, not a test: run it in release mode"]
    fn tokenize_throughput() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
        let Ok(dir) = std::fs::read_dir(&seeds) else {
            println!("skipped: {} is missing", seeds.display());
            return;
        };
        let mut corpus = String::new();
        let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if let Ok(text) = std::fs::read_to_string(&path) {
                corpus.push_str(&text);
                corpus.push('\n');
            }
        }
        let text = corpus.repeat((32 << 20) / corpus.len().max(1) + 1);
        for round in 0..3 {
            let started = Instant::now();
            let (mut tokens, mut words) = (0usize, 0usize);
            for t in tokenize(&text) {
                tokens += 1;
                words += usize::from(t.kind == TokenKind::Word);
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "round {round}: {:.1} MB in {secs:.3} s = {:.0} MB/s ({tokens} tokens, {words} words)",
                text.len() as f64 / 1e6,
                text.len() as f64 / 1e6 / secs
            );
            // For comparison: UAX #29 word boundaries from unicode-segmentation.
            let started = Instant::now();
            let uax =
                unicode_segmentation::UnicodeSegmentation::unicode_word_indices(&text[..]).count();
            let secs = started.elapsed().as_secs_f64();
            println!(
                "round {round}: unicode_word_indices {:.0} MB/s ({uax} words)",
                text.len() as f64 / 1e6 / secs
            );
            let started = Instant::now();
            let mut changed = 0usize;
            for t in tokenize(&text).filter(|t| t.kind == TokenKind::Word) {
                changed += usize::from(matches!(lowercase(t.text, Language::Ru), Cow::Owned(_)));
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "round {round}: tokenize + lowercase {:.0} MB/s ({changed} words lowercased)",
                text.len() as f64 / 1e6 / secs
            );
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Characters the scanner treats specially, mixed with arbitrary ones.
    fn tricky() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "Ж", "ʻ", "ʼ", "'", "’", "-", "\u{2011}", ".", ",", "7", "\u{a0}", "\u{202f}",
            "\u{ad}", "\u{200d}", "\u{301}", " ", "«", "İ", "😀", "٣", "ı",
        ]);
        prop::collection::vec(
            prop_oneof![
                pieces.prop_map(str::to_string),
                any::<char>().prop_map(String::from)
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let mut end = 0;
        for t in tokenize(text) {
            prop_assert!(t.span.start >= end, "overlap or out of order");
            prop_assert!(t.span.start < t.span.end, "empty token");
            prop_assert_eq!(text.get(t.span.start..t.span.end), Some(t.text));
            for p in t.parts() {
                prop_assert_eq!(text.get(p.span.start..p.span.end), Some(p.text));
                prop_assert!(p.span.start >= t.span.start && p.span.end <= t.span.end);
            }
            end = t.span.end;
        }
        // Nothing but white space and invisible characters is skipped.
        let mut rest = String::new();
        let mut pos = 0;
        for t in tokenize(text) {
            rest.push_str(&text[pos..t.span.start]);
            pos = t.span.end;
        }
        rest.push_str(&text[pos..]);
        for c in rest.chars() {
            prop_assert!(
                matches!(
                    class_of(c),
                    Class::Space | Class::GroupSpace | Class::Joiner
                ),
                "skipped a visible char {:?}",
                c
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn tokenize_spans_are_sound(text in any::<String>()) {
            check(&text)?;
        }

        #[test]
        fn tokenize_spans_are_sound_on_tricky_text(text in tricky()) {
            check(&text)?;
        }

        #[test]
        fn lowercase_never_panics(text in tricky(), i in 0usize..Language::ALL.len()) {
            let lang = Language::ALL[i];
            let lower = lowercase(&text, lang);
            prop_assert_eq!(lower.chars().count() >= text.chars().count(), true);
        }
    }
}
