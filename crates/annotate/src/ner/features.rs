//! What the tagger sees of a word: its features, hashed into rows of the weight table.
//!
//! A text is cut into tokens ([`xabar_text::token::tokenize`]) and the tokens into segments
//! (sentences, roughly: see [`segments`]), which the tagger decodes one at a time. Every token
//! then gets the same fixed list of features, [`TEMPLATES`], each a 64-bit hash of a template
//! and a value, reduced to a row index of the weight table (feature hashing: no vocabulary is
//! stored, and a feature never seen in training lands on a row that is almost always zero).
//!
//! The features that carry a tagger from one language to another are the ones computed on the
//! transliteration key ([`xabar_text::translit::key`]), which is the same for `Тоқаев`,
//! `Тўқаев`, `Tokayev`, and on the key of the stem, which is the same for Kazakh `Тоқаевтың` and
//! Uzbek `Тўқаевнинг`; and the word shapes, which ignore script. Some features are also
//! conjoined with the language's *profile* (its closest training language: Uzbek and the other
//! Turkic languages read as Kazakh), so that each language can learn how much its capital
//! letters mean (German capitalises every noun) while the general copies stay shared.
//!
//! Everything here is computed from the token and its neighbours within the segment, so
//! training and tagging see exactly the same features.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;

use xabar_core::{Language, Script};
use xabar_text::stem;
use xabar_text::token::{Token, TokenKind, lowercase};
use xabar_text::translit;

/// The feature templates, in the order their row indices are laid out per token. The list is
/// part of the model format: a model records a fingerprint of it ([`fingerprint`]) and is
/// refused by code with another list.
pub const TEMPLATES: &[&str] = &[
    "bias",
    "word",
    "key",
    "stem-key",
    "prefix1",
    "prefix2",
    "prefix3",
    "prefix4",
    "suffix1",
    "suffix2",
    "suffix3",
    "suffix4",
    "key-suffix3",
    "shape",
    "class",
    "word-1",
    "word+1",
    "word-2",
    "word+2",
    "key-1",
    "key+1",
    "shape-1",
    "shape+1",
    "shape-2",
    "shape+2",
    "shape-1|shape|shape+1",
    "word-1|word",
    "word|word+1",
    "profile|bias",
    "profile|shape",
    "profile|class",
    "profile|shape-1|shape",
    "profile|suffix3",
];

/// How many features every token has.
pub const N_FEATURES: usize = TEMPLATES.len();

/// The templates whose weights every language group shares: the transliteration keys, which
/// carry names from one language and script to another. All others are per group.
const SHARED: &[&str] = &["key", "stem-key"];

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether each template is in [`SHARED`].
const IS_SHARED: [bool; N_FEATURES] = {
    let mut out = [false; N_FEATURES];
    let mut t = 0;
    while t < N_FEATURES {
        let mut s = 0;
        while s < SHARED.len() {
            if same(TEMPLATES[t], SHARED[s]) {
                out[t] = true;
            }
            s += 1;
        }
        t += 1;
    }
    out
};

/// Language profiles: the training language whose specific weights a language uses. Index 0
/// is "none": only the shared weights apply.
pub const PROFILES: &[&str] = &["none", "kk", "ru", "uk", "bg", "pl", "cs", "sl", "de"];

/// The profile index of a language (see [`PROFILES`]).
pub fn profile(lang: Language) -> usize {
    match lang {
        Language::Kk | Language::Uz | Language::Ky | Language::Tr | Language::Az => 1,
        Language::Ru | Language::Be | Language::Tg | Language::Mn => 2,
        Language::Uk => 3,
        Language::Bg | Language::Mk | Language::Sr => 4,
        Language::Pl => 5,
        Language::Cs => 6,
        Language::Sl => 7,
        Language::De => 8,
        _ => 0,
    }
}

/// Language groups: every feature is conjoined with its language's group, so that the groups
/// share no weights (sharing measurably hurt Kazakh and German, whose data is small beside the
/// Slavic sets). Within a group, the [`PROFILES`] features let each language differ.
pub const GROUPS: &[&str] = &["turkic", "slavic", "german"];

/// The group index of a language (see [`GROUPS`]): the Turkic languages read as Kazakh;
/// German as German; every other language as the Slavic group, which has the most data and
/// Latin-script languages (Polish, Czech, Slovene) that capitalise names only, as English does.
pub fn group(lang: Language) -> usize {
    match lang {
        Language::Kk | Language::Uz | Language::Ky | Language::Tr | Language::Az => 0,
        Language::De => 2,
        _ => 1,
    }
}

/// A fingerprint of the template, profile and group lists, stored in the model file.
pub fn fingerprint() -> u64 {
    let mut h = hash_bytes(b"xabar-ner-features-1");
    for name in TEMPLATES.iter().chain(PROFILES).chain(GROUPS).chain(SHARED) {
        h = mix(h ^ hash_bytes(name.as_bytes()));
    }
    h
}

/// The splitmix64 finaliser: spreads every input bit over the whole word.
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A 64-bit hash of a byte string, eight bytes at a time; the same on every platform.
#[inline]
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K).rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K).rotate_left(31);
    }
    mix(h)
}

/// Two hashes conjoined into one.
#[inline]
fn pair(a: u64, b: u64) -> u64 {
    mix(a.rotate_left(23) ^ b)
}

/// Values for positions before the segment's start and after its end.
const BEFORE: u64 = 0x5be0_cd19_137e_2179;
const AFTER: u64 = 0x1f83_d9ab_fb41_bd6b;

/// What is computed once per token, before its neighbours are looked at.
#[derive(Debug, Clone, Copy, Default)]
struct Analysis {
    word: u64,
    key: u64,
    stem: u64,
    shape: u64,
    /// Script, capitalisation and token kind; the sentence-initial bit is added per segment.
    class: u64,
    prefix: [u64; 4],
    suffix: [u64; 4],
    key_suffix: u64,
    is_word: bool,
}

/// Whether a char is an upper-case letter (`Some(true)`), a lower-case one (`Some(false)`), or
/// neither; the basic Latin and Cyrillic blocks are decided without the Unicode tables.
#[inline]
fn case_of(c: char) -> Option<bool> {
    match c as u32 {
        0x41..=0x5A | 0x0400..=0x042F => Some(true),
        0x61..=0x7A | 0x0430..=0x045F => Some(false),
        0x00..=0x7F => None,
        // The extended Cyrillic letters come in upper/lower pairs, upper first.
        0x0460..=0x0481 | 0x048A..=0x04BF | 0x04D0..=0x052F => Some(c as u32 % 2 == 0),
        _ => {
            if c.is_uppercase() {
                Some(true)
            } else if c.is_lowercase() {
                Some(false)
            } else {
                None
            }
        }
    }
}

/// The shape of a token: each char as a class (`X` upper, `x` lower, `d` digit, `-` hyphen,
/// `'` apostrophe, the char itself for other punctuation), a run of two or more of one class
/// written twice: `Astana` → `Xxx`, `NATO` → `XX`, `Қосим-Жомарт` → `Xxx-Xxx`, `Су-35` →
/// `Xxx-dd`. Long shapes are cut at 16 classes.
fn shape(text: &str) -> u64 {
    let mut out = [0u8; 16];
    let mut len = 0;
    let mut last = 0u8;
    let mut run = 0;
    for c in text.chars() {
        let class = if let Some(upper) = case_of(c) {
            if upper { b'X' } else { b'x' }
        } else if matches!(c, '\'' | '`' | '\u{2018}' | '\u{2019}' | 'ʻ' | 'ʼ' | 'ʹ') {
            // Before the letter test: the modifier apostrophes are letters to Unicode.
            b'\''
        } else if c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()) {
            b'd'
        } else if !c.is_ascii() && c.is_alphabetic() {
            // Letters without case (Arabic script).
            b'a'
        } else {
            match c {
                '-' | '\u{2010}' | '\u{2011}' => b'-',
                '«' | '»' | '"' | '„' | '“' | '”' => b'"',
                '.' | ',' | ':' | ';' | '!' | '?' | '(' | ')' | '—' | '–' | '/' | '&' => c as u8,
                _ => b'p',
            }
        };
        if class == last {
            run += 1;
            if run == 2 && len < out.len() {
                out[len] = class;
                len += 1;
            }
            continue;
        }
        last = class;
        run = 1;
        if len < out.len() {
            out[len] = class;
            len += 1;
        }
    }
    hash_bytes(&out[..len])
}

/// The byte length of the first `n` chars of `s` (all of it when shorter).
fn prefix_len(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// The byte offset where the last `n` chars of `s` begin (0 when shorter).
fn suffix_start(s: &str, n: usize) -> usize {
    s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i)
}

fn analyse(token: &Token<'_>, lang: Language) -> Analysis {
    let text = token.text;
    let mut a = Analysis {
        shape: shape(text),
        ..Analysis::default()
    };
    let script = text
        .chars()
        .map(Script::of_char)
        .find(|&s| s != Script::Zyyy)
        .unwrap_or(Script::Zyyy);
    let first_upper = text.chars().next().and_then(case_of) == Some(true);
    let all_upper = first_upper && !text.chars().any(|c| case_of(c) == Some(false));
    let caps = match (first_upper, all_upper) {
        (false, _) => 0u64,
        (true, false) => 1,
        (true, true) if text.chars().filter(|&c| case_of(c).is_some()).count() > 1 => 2,
        (true, true) => 3,
    };
    let kind = match token.kind {
        TokenKind::Word => 0u64,
        TokenKind::Number => 1,
        TokenKind::Punct => 2,
    };
    a.class = (script as u64) | (caps << 2) | (kind << 4);
    if token.kind != TokenKind::Word {
        // Numbers and punctuation are known by their text and shape alone.
        a.word = hash_bytes(text.as_bytes());
        a.key = a.word;
        a.stem = a.word;
        return a;
    }
    a.is_word = true;
    let lower = lowercase(text, lang);
    a.word = hash_bytes(lower.as_bytes());
    for n in 1..=4 {
        a.prefix[n - 1] = hash_bytes(&lower.as_bytes()[..prefix_len(&lower, n)]);
        a.suffix[n - 1] = hash_bytes(&lower.as_bytes()[suffix_start(&lower, n)..]);
    }
    let key = translit::key(&lower);
    a.key = hash_bytes(key.as_bytes());
    a.key_suffix = hash_bytes(&key.as_bytes()[key.len().saturating_sub(3)..]);
    a.stem = match stem::stemmer(lang, script) {
        Some(stemmer) => {
            let stem = stemmer.stem(&lower);
            if stem.len() == lower.len() {
                a.key
            } else {
                hash_bytes(translit::key(&stem).as_bytes())
            }
        }
        None => a.key,
    };
    a
}

/// Cuts a token list into segments decoded one at a time: a segment ends at a line break and
/// after `!`, `?`, `…`, or a `.` that neither follows a one-letter word (an initial: "Б.
/// Джонсон") nor precedes a lowercase word or a number. Returns token index ranges.
pub fn segments(text: &str, tokens: &[Token<'_>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..tokens.len() {
        let prev = &tokens[i - 1];
        let next = &tokens[i];
        let gap = text.get(prev.span.end..next.span.start).unwrap_or("");
        let cut = gap.contains('\n')
            || match prev.text {
                "!" | "?" | "…" => true,
                "." => {
                    let initial = i >= 2
                        && tokens[i - 2].kind == TokenKind::Word
                        && tokens[i - 2].text.chars().count() == 1
                        && tokens[i - 2].span.end == prev.span.start;
                    let continues = next.kind == TokenKind::Number
                        || next.text.chars().next().is_some_and(char::is_lowercase);
                    !initial && !continues
                }
                _ => false,
            };
        if cut {
            out.push(start..i);
            start = i;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// A hasher for keys that are already good 64-bit hashes.
#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Cache = HashMap<u64, Analysis, BuildHasherDefault<PassThrough>>;

/// Computes the features of every token of a text, segment by segment.
pub struct Extractor {
    analyses: Vec<Analysis>,
    /// Analyses by token text: a news text repeats most of its words and all of its
    /// punctuation, and a word's analysis (lowercasing, key, stem) is the costly part.
    cache: Cache,
}

impl Extractor {
    /// An extractor with empty buffers.
    pub fn new() -> Extractor {
        Extractor {
            analyses: Vec::new(),
            cache: Cache::default(),
        }
    }

    /// Analyses the tokens of one text, for [`Extractor::features`].
    pub fn analyse(&mut self, tokens: &[Token<'_>], lang: Language) {
        self.analyses.clear();
        self.cache.clear();
        for token in tokens {
            // Two different token texts with one 64-bit hash would share an analysis: a
            // harmless slip in features, and rarer than one in a billion texts.
            let id = hash_bytes(token.text.as_bytes());
            let analysis = *self
                .cache
                .entry(id)
                .or_insert_with(|| analyse(token, lang));
            self.analyses.push(analysis);
        }
    }

    /// Appends, for every token of `segment` (of the tokens last analysed), its
    /// [`N_FEATURES`] feature hashes, in [`TEMPLATES`] order.
    pub fn features(&self, segment: Range<usize>, lang: Language, out: &mut Vec<u64>) {
        let seg = &self.analyses[segment];
        let profile = mix(0x7000 + profile(lang) as u64);
        let group = mix(0x6000 + group(lang) as u64);
        let at = |i: isize| -> Option<&Analysis> {
            usize::try_from(i).ok().and_then(|i| seg.get(i))
        };
        let mut seen_word = false;
        for (i, a) in seg.iter().enumerate() {
            let i = i as isize;
            let word_of = |j: isize| {
                at(j).map_or(if j < i { BEFORE } else { AFTER }, |n| n.word)
            };
            let key_of = |j: isize| at(j).map_or(if j < i { BEFORE } else { AFTER }, |n| n.key);
            let shape_of = |j: isize| {
                at(j).map_or(if j < i { BEFORE } else { AFTER }, |n| n.shape)
            };
            // Whether this is the segment's first word: its capital letter says less.
            let first = a.is_word && !seen_word;
            seen_word |= a.is_word;
            let class = a.class | (u64::from(first) << 8);
            let (w1, w2) = (word_of(i - 1), word_of(i + 1));
            let (s1, s2) = (shape_of(i - 1), shape_of(i + 1));
            let values: [u64; N_FEATURES] = [
                1,
                a.word,
                a.key,
                a.stem,
                a.prefix[0],
                a.prefix[1],
                a.prefix[2],
                a.prefix[3],
                a.suffix[0],
                a.suffix[1],
                a.suffix[2],
                a.suffix[3],
                a.key_suffix,
                a.shape,
                class,
                w1,
                w2,
                word_of(i - 2),
                word_of(i + 2),
                key_of(i - 1),
                key_of(i + 1),
                s1,
                s2,
                shape_of(i - 2),
                shape_of(i + 2),
                pair(pair(s1, a.shape), s2),
                pair(w1, a.word),
                pair(a.word, w2),
                profile,
                pair(profile, a.shape),
                pair(profile, class),
                pair(profile, pair(s1, a.shape)),
                pair(profile, a.suffix[2]),
            ];
            for (t, v) in values.into_iter().enumerate() {
                // The template's index and the group are mixed in so that one value under two
                // templates, or in two groups, lands on two rows.
                let group = if IS_SHARED[t] { 0 } else { group };
                out.push(mix(v ^ TEMPLATE_SEEDS[t] ^ group));
            }
        }
    }
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor::new()
    }
}

/// One constant per template, mixed into its values.
const TEMPLATE_SEEDS: [u64; N_FEATURES] = {
    let mut seeds = [0u64; N_FEATURES];
    let mut t = 0;
    while t < N_FEATURES {
        seeds[t] = (t as u64 + 1).wrapping_mul(0xd6e8_feb8_6659_fd93);
        t += 1;
    }
    seeds
};

/// The row of a feature hash in a table of `1 << bits` rows.
#[inline]
pub fn row(hash: u64, bits: u32) -> usize {
    (hash >> (64 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use xabar_text::token::tokenize;

    #[test]
    fn shapes() {
        assert_eq!(shape("Astana"), hash_bytes(b"Xxx"));
        assert_eq!(shape("NATO"), hash_bytes(b"XX"));
        assert_eq!(shape("A"), hash_bytes(b"X"));
        assert_eq!(shape("Қосим-Жомарт"), hash_bytes(b"Xxx-Xxx"));
        assert_eq!(shape("Су-35"), hash_bytes(b"Xx-dd"));
        assert_eq!(shape("Oʻzbekiston"), hash_bytes(b"X'xx"));
    }

    #[test]
    fn segments_end_at_sentence_ends_but_not_after_initials() {
        let text = "Б. Джонсон приехал в г. москву. Потом уехал!\nЕщё 5. 7 лет";
        let tokens: Vec<Token<'_>> = tokenize(text).collect();
        let cut: Vec<String> = segments(text, &tokens)
            .into_iter()
            .map(|r| {
                tokens[r]
                    .iter()
                    .map(|t| t.text)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            cut,
            [
                "Б . Джонсон приехал в г . москву .",
                "Потом уехал !",
                "Ещё 5 . 7 лет"
            ]
        );
    }

    #[test]
    fn the_key_bridges_scripts_and_the_stem_key_bridges_suffixes() {
        let feats = |text: &str, lang| {
            let tokens: Vec<Token<'_>> = tokenize(text).collect();
            let mut ex = Extractor::new();
            ex.analyse(&tokens, lang);
            let mut out = Vec::new();
            ex.features(0..tokens.len(), lang, &mut out);
            out
        };
        let key = TEMPLATES.iter().position(|&t| t == "key").unwrap_or(0);
        let kk = feats("Тоқаев", Language::Kk);
        let en = feats("Tokayev", Language::En);
        assert_eq!(kk[key], en[key]);
        let stem = TEMPLATES.iter().position(|&t| t == "stem-key").unwrap_or(0);
        let kk = feats("Тоқаевтың", Language::Kk);
        let uz = feats("Тўқаевнинг", Language::Uz);
        assert_eq!(kk[stem], uz[stem]);
        // Every token gets the full list.
        assert_eq!(feats("a b, c", Language::En).len(), 4 * N_FEATURES);
    }
}
