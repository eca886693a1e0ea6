//! What the tagger sees of a word: its features, hashed into rows of the weight table.
//!
//! A text is cut into tokens ([`xabar_text::token::tokenize`]) and the tokens into segments
//! (sentences, roughly: see [`segments`]), which the tagger decodes one at a time. Every token
//! then gets the same fixed list of features, each a 64-bit hash of a template and a value,
//! reduced to a row index of the weight table (feature hashing: no vocabulary is stored, and a
//! feature never seen in training lands on a row that is almost always zero). The features are
//! of two sorts: [`TYPE_TEMPLATES`] depend on the token's text alone, so the tagger computes
//! their scores once per distinct token of a text; [`TOKEN_TEMPLATES`] depend on where the
//! token stands (its neighbours, its place in the sentence, the rest of the text).
//!
//! The features that carry a tagger from one language to another are the ones computed on the
//! transliteration key ([`xabar_text::translit::key`]), which is the same for `Тоқаев`,
//! `Тўқаев`, `Tokayev`, and on the key of the stem, which is the same for Kazakh `Тоқаевтың` and
//! Uzbek `Тўқаевнинг`; their weights are shared by all languages. Every other feature is
//! conjoined with the language's *group* (Turkic, Slavic, German: see [`group`]), and some also
//! with its *profile* (its closest training language: see [`profile`]), so that each language
//! learns, say, how much its capital letters mean (German capitalises every noun).
//!
//! Everything here is computed from the token, its neighbours within the segment, and the text
//! it is in, so training and tagging see exactly the same features.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;

use xabar_core::{EntityKind, Language, Script};
use xabar_text::stem;
use xabar_text::token::{Token, TokenKind, lowercase};
use xabar_text::translit;

use super::clusters::Clusters;
use super::gazetteer::Gazetteer;

/// The templates of features that depend on the token's text alone (and the language), in the
/// order their rows are laid out. With [`TOKEN_TEMPLATES`], part of the model format: a model
/// records a fingerprint of both lists ([`fingerprint`]) and is refused by code with others.
pub const TYPE_TEMPLATES: &[&str] = &[
    "bias",
    "word",
    "key",
    "stem-key",
    "prefix2",
    "prefix3",
    "prefix4",
    "suffix2",
    "suffix3",
    "suffix4",
    "key-suffix2",
    "key-suffix3",
    "folded-key",
    "shape",
    "gazetteer",
    "gazetteer|shape",
    "profile|bias",
    "profile|shape",
    "profile|suffix3",
    "cluster",
    "middle-cluster",
    "coarse-cluster|shape",
];

/// The templates of features that depend on where the token stands: its class (script,
/// capitals, kind) with its place in the segment, its neighbours, and its context in the text
/// (see [`Extractor::analyse`]).
pub const TOKEN_TEMPLATES: &[&str] = &[
    "class",
    "word-1",
    "word+1",
    "word-2",
    "word+2",
    "key-1",
    "key+1",
    "stem-key-1",
    "stem-key+1",
    "gazetteer-1",
    "gazetteer+1",
    "shape-1",
    "shape+1",
    "shape-1|shape|shape+1",
    "word-1|word",
    "word|word+1",
    "suffix3-1",
    "suffix3+1",
    "context",
    "context|shape",
    "profile|class",
    "profile|shape-1|shape",
    "word-1|class",
    "class|word+1",
    "middle-cluster-1",
    "middle-cluster+1",
];

/// Features per distinct token text.
pub const N_TYPE_FEATURES: usize = TYPE_TEMPLATES.len();
/// Features per token occurrence.
pub const N_TOKEN_FEATURES: usize = TOKEN_TEMPLATES.len();
/// How many features every token has: its type's, then its own.
pub const N_FEATURES: usize = N_TYPE_FEATURES + N_TOKEN_FEATURES;

/// The [`TOKEN_TEMPLATES`] (by index) whose value is a property of the token before: the
/// word, key, stem key, gazetteer bits, shape, 3-letter suffix and middle cluster of its text, in
/// [`neighbour_values`] order. Their weights depend on that token's text alone, so the tagger
/// sums them once per type, as it does the [`TYPE_TEMPLATES`].
pub const AS_PREVIOUS: [usize; 7] = [1, 5, 7, 9, 11, 16, 24];
/// The same of the token after ([`AS_PREVIOUS`]).
pub const AS_NEXT: [usize; 7] = [2, 6, 8, 10, 12, 17, 25];
/// The template of the word two tokens before.
pub const AS_SECOND_PREVIOUS: usize = 3;
/// The template of the word two tokens after.
pub const AS_SECOND_NEXT: usize = 4;
/// The [`TOKEN_TEMPLATES`] that depend on the token itself and its place: the rest.
pub const OWN: [usize; 10] = [0, 13, 14, 15, 18, 19, 20, 21, 22, 23];
/// How many [`OWN`] features a token has.
pub const N_OWN_FEATURES: usize = OWN.len();

/// What a token's text gives its neighbours' [`AS_PREVIOUS`] and [`AS_NEXT`] features.
#[inline]
fn neighbour_values(n: &Slim) -> [u64; 7] {
    [
        n.word,
        n.key,
        n.stem,
        n.gazetteer,
        n.shape,
        n.suffix3,
        n.middle,
    ]
}

/// The templates whose weights every language group shares: the transliteration keys, which
/// carry names from one language and script to another. All others are per group.
const SHARED: &[&str] = &["key", "stem-key", "folded-key"];

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

/// Whether each type template is in [`SHARED`] (no token template is).
const IS_SHARED: [bool; N_TYPE_FEATURES] = {
    let mut out = [false; N_TYPE_FEATURES];
    let mut t = 0;
    while t < N_TYPE_FEATURES {
        let mut s = 0;
        while s < SHARED.len() {
            if same(TYPE_TEMPLATES[t], SHARED[s]) {
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
    let lists = [TYPE_TEMPLATES, TOKEN_TEMPLATES, PROFILES, GROUPS, SHARED];
    for name in lists.iter().flat_map(|l| l.iter()) {
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
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(K)
            .rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(K)
            .rotate_left(31);
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
/// The cluster values of a token no word piece starts (and of numbers and punctuation).
const NO_CLUSTER: u64 = 0x3c6e_f372_fe94_f82b;

/// What is computed once per token, before its neighbours are looked at.
#[derive(Debug, Clone, Copy, Default)]
struct Analysis {
    word: u64,
    key: u64,
    stem: u64,
    shape: u64,
    /// Script, capitalisation and token kind; the sentence-initial bit is added per segment.
    class: u64,
    /// The first and last 2, 3 and 4 chars of the lowercase word.
    prefix: [u64; 3],
    suffix: [u64; 3],
    key_suffix: u64,
    key_suffix2: u64,
    /// The key of the stem with its vowels folded (see [`folded`]).
    folded: u64,
    /// What the knowledge base uses the word for ([`super::gazetteer`]'s bits).
    gazetteer: u64,
    /// The word's fine cluster with whether its first piece is the whole word, its middle
    /// and its coarse cluster ([`super::clusters`]); [`NO_CLUSTER`] when it has none.
    cluster: u64,
    middle: u64,
    coarse: u64,
    is_word: bool,
    /// The [`profile`] and [`group`] of the language it was analysed in: the extractor keeps
    /// types of several languages, and the tagger sums each type's weights in its own.
    profile: u8,
    group: u8,
}

/// The part of an [`Analysis`] that the features of a token's neighbours and context read,
/// kept apart so the loops over tokens touch little memory.
#[derive(Debug, Clone, Copy, Default)]
struct Slim {
    word: u64,
    /// The index of the lowercase word among the extractor's words (set by the extractor).
    word_id: u32,
    key: u64,
    stem: u64,
    gazetteer: u64,
    shape: u64,
    suffix3: u64,
    middle: u64,
    class: u64,
    is_word: bool,
    group: u8,
}

impl From<&Analysis> for Slim {
    fn from(a: &Analysis) -> Slim {
        Slim {
            word: a.word,
            word_id: 0,
            key: a.key,
            stem: a.stem,
            gazetteer: a.gazetteer,
            shape: a.shape,
            suffix3: a.suffix[1],
            middle: a.middle,
            class: a.class,
            is_word: a.is_word,
            group: a.group,
        }
    }
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
        0x0460..=0x0481 | 0x048A..=0x04BF | 0x04D0..=0x052F => Some((c as u32).is_multiple_of(2)),
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

/// [`Script::of_char`], with the letters of the basic Latin and Cyrillic blocks decided first.
#[inline]
fn script_of(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' => Script::Latn,
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => Script::Cyrl,
        _ => Script::of_char(c),
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
                '.' | ',' | ':' | ';' | '!' | '?' | '(' | ')' | '—' | '–' | '/' | '&' => {
                    c as u8
                }
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
        cluster: NO_CLUSTER,
        middle: NO_CLUSTER,
        coarse: NO_CLUSTER,
        profile: profile(lang) as u8,
        group: group(lang) as u8,
        ..Analysis::default()
    };
    let script = text
        .chars()
        .map(script_of)
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
        a.folded = a.word;
        a.key_suffix2 = a.word;
        return a;
    }
    a.is_word = true;
    let lower = lowercase(text, lang);
    a.word = hash_bytes(lower.as_bytes());
    for n in 2..=4 {
        a.prefix[n - 2] = hash_bytes(&lower.as_bytes()[..prefix_len(&lower, n)]);
        a.suffix[n - 2] = hash_bytes(&lower.as_bytes()[suffix_start(&lower, n)..]);
    }
    let key = translit::key(&lower);
    a.key = hash_bytes(key.as_bytes());
    a.key_suffix = hash_bytes(&key.as_bytes()[key.len().saturating_sub(3)..]);
    a.key_suffix2 = hash_bytes(&key.as_bytes()[key.len().saturating_sub(2)..]);
    let stem_key = match stem::stemmer(lang, script) {
        Some(stemmer) => {
            let stem = stemmer.stem(&lower);
            if stem.len() == lower.len() {
                None
            } else {
                Some(translit::key(&stem))
            }
        }
        None => None,
    };
    let stem_key = stem_key.as_deref().unwrap_or(&key);
    a.stem = hash_bytes(stem_key.as_bytes());
    a.folded = folded(stem_key);
    let gazetteer = Gazetteer::global();
    a.gazetteer = u64::from(gazetteer.bits(a.key) | gazetteer.bits(a.stem));
    if let Some(c) = Clusters::global().of_word(text) {
        a.cluster = u64::from(c.fine) << 1 | u64::from(c.whole);
        a.middle = u64::from(c.middle);
        a.coarse = u64::from(c.coarse);
    }
    a
}

/// The hash of a key with `o` read as `a` and `e`, `y` as `i`: Uzbek `Тошкент`, `Остона` and
/// Kazakh or Russian `Ташкент`, `Астана` (keys `toskent`, `ostona`, `taskent`, `astana`) differ
/// in such vowels, as Uzbek spellings of a name often do, and fold to one key.
fn folded(key: &str) -> u64 {
    let mut out = [0u8; 32];
    let mut len = 0;
    for &b in key.as_bytes() {
        let b = match b {
            b'o' => b'a',
            b'e' | b'y' => b'i',
            _ => b,
        };
        if len < out.len() && (len == 0 || out[len - 1] != b) {
            out[len] = b;
            len += 1;
        }
    }
    hash_bytes(&out[..len])
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
pub(crate) struct PassThrough(u64);

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

pub(crate) type ByHash<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// How many distinct token texts an [`Extractor`] remembers across texts before it starts
/// afresh (about 160 bytes each).
const MAX_TYPES: usize = 1 << 15;

/// Computes the features of every token of a text.
///
/// Reusable, and faster for it: the analyses of token texts are kept from one text to the next
/// (up to [`MAX_TYPES`]), since most words of a news text were in the one before. A type is a
/// token text in a language (the analysis depends on the language's case rules and stemmer),
/// so texts in several languages, one after another, share the cache.
/// [`Extractor::analyse`] clears everything else.
pub struct Extractor {
    /// Counts the times the kept types were cleared.
    generation: u64,
    /// The distinct token texts' analyses.
    types: Vec<Analysis>,
    /// The same, the part read per token.
    slim: Vec<Slim>,
    /// Per token, the index of its type.
    token_types: Vec<u32>,
    /// Types by token-text hash. Two different texts with one 64-bit hash would share an
    /// analysis: a harmless slip in features, and rarer than one in a billion texts.
    type_index: ByHash<u32>,
    /// Per token: what the rest of the text says about its word's case, its place in its
    /// segment, and whether it stands inside quotation marks (see [`Extractor::analyse`]).
    context: Vec<u64>,
    segments: Vec<Range<usize>>,
    /// Lowercase words by hash, numbered; kept and cleared with the types.
    word_index: ByHash<u32>,
    /// Per word (by [`Slim::word_id`]): occurrences in this text capitalised after a segment's
    /// first word, and in lower case. Only the entries in `touched` are not zero.
    case_counts: Vec<(u32, u32)>,
    touched: Vec<u32>,
}

impl Extractor {
    /// An extractor with empty buffers.
    pub fn new() -> Extractor {
        Extractor {
            generation: 0,
            types: Vec::new(),
            slim: Vec::new(),
            token_types: Vec::new(),
            type_index: ByHash::default(),
            context: Vec::new(),
            segments: Vec::new(),
            word_index: ByHash::default(),
            case_counts: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Analyses the tokens of one text (`tokens` made from `text`): each distinct token text
    /// once, then the text's segments, then what the whole text says of each occurrence:
    /// whether its word is also written capitalised after a segment's first word, or in lower
    /// case, elsewhere in the text (a capitalised first word that the text also writes in
    /// lower case is rarely a name), whether it is its segment's first word, and whether it
    /// stands inside quotation marks (organisations and titles are quoted).
    ///
    /// Types analysed for earlier texts keep their indices unless too many had gathered;
    /// [`Extractor::generation`] changes when they are cleared.
    pub fn analyse(&mut self, text: &str, tokens: &[Token<'_>], lang: Language) {
        if self.types.len() + tokens.len() > MAX_TYPES {
            self.types.clear();
            self.slim.clear();
            self.type_index.clear();
            self.word_index.clear();
            self.generation += 1;
        }
        self.token_types.clear();
        let salt = mix(0x5000 + lang as u64);
        for token in tokens {
            let id = hash_bytes(token.text.as_bytes()) ^ salt;
            let next = self.types.len() as u32;
            let index = *self.type_index.entry(id).or_insert(next);
            if index == next {
                let analysis = analyse(token, lang);
                let mut slim = Slim::from(&analysis);
                let words = self.word_index.len() as u32;
                slim.word_id = *self.word_index.entry(analysis.word).or_insert(words);
                self.slim.push(slim);
                self.types.push(analysis);
            }
            self.token_types.push(index);
        }
        self.segments = segments(text, tokens);
        for &w in &self.touched {
            self.case_counts[w as usize] = (0, 0);
        }
        self.touched.clear();
        self.case_counts.resize(self.word_index.len(), (0, 0));
        let capitalised = |a: &Slim| (a.class >> 2) & 3 != 0;
        for segment in &self.segments {
            let mut seen_word = false;
            for &t in &self.token_types[segment.clone()] {
                let a = &self.slim[t as usize];
                if !a.is_word {
                    continue;
                }
                let counts = &mut self.case_counts[a.word_id as usize];
                if *counts == (0, 0) {
                    self.touched.push(a.word_id);
                }
                if !capitalised(a) {
                    counts.1 += 1;
                } else if seen_word {
                    counts.0 += 1;
                }
                seen_word = true;
            }
        }
        self.context.clear();
        for segment in &self.segments {
            let mut seen_word = false;
            let mut quoted = false;
            for (&t, token) in self.token_types[segment.clone()]
                .iter()
                .zip(&tokens[segment.clone()])
            {
                let a = &self.slim[t as usize];
                match token.text {
                    "«" | "„" | "“" => quoted = true,
                    "»" | "”" => quoted = false,
                    _ => {}
                }
                let mut value = u64::from(quoted) << 4;
                if a.is_word {
                    let (mut caps_inside, mut lower) = self.case_counts[a.word_id as usize];
                    // Counts from elsewhere: this occurrence does not vote for itself.
                    if !capitalised(a) {
                        lower = lower.saturating_sub(1);
                    } else if seen_word {
                        caps_inside = caps_inside.saturating_sub(1);
                    }
                    value |= 1
                        | u64::from(capitalised(a)) << 1
                        | u64::from(!seen_word) << 2
                        | u64::from(caps_inside > 0) << 5
                        | u64::from(lower > 0) << 6;
                    seen_word = true;
                }
                self.context.push(value);
            }
        }
    }

    /// The segments of the text last analysed, as token index ranges (see [`segments`]).
    pub fn segments(&self) -> &[Range<usize>] {
        &self.segments
    }

    /// Changes whenever the kept types are cleared, so that whatever a caller keeps per type
    /// index can be cleared with them.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The type index of each token of the text last analysed.
    pub fn token_types(&self) -> &[u32] {
        &self.token_types
    }

    /// Extends the mentions found in the text last analysed (token ranges with kinds, in
    /// order, not overlapping) to the other occurrences of their names: a capitalised word
    /// outside every mention, between words that are not capitalised, whose stem key is that of
    /// a one-word mention or of the last word of a person's name elsewhere in the text (and of
    /// one kind only there), becomes a mention of that kind. The tagger decides one sentence
    /// at a time and misses a name in a sentence that gives little away ("благодарна Ельцину"),
    /// where the text named it plainly before.
    pub fn propagate(&self, found: &mut Vec<(usize, usize, EntityKind)>) {
        if found.is_empty() {
            return;
        }
        // Kinds seen per stem key: a bit per kind.
        let mut kinds: ByHash<u8> = ByHash::default();
        let bit = |kind: EntityKind| match kind {
            EntityKind::Person => 1u8,
            EntityKind::Organisation => 2,
            EntityKind::Place => 4,
        };
        for &(first, end, kind) in found.iter() {
            let last = &self.slim[self.token_types[end - 1] as usize];
            if end - first == 1 || kind == EntityKind::Person {
                *kinds.entry(last.stem).or_default() |= bit(kind);
            }
        }
        let capitalised = |t: usize| {
            self.token_types
                .get(t)
                .map(|&i| &self.slim[i as usize])
                .is_some_and(|a| a.is_word && (a.class >> 2) & 3 != 0)
        };
        let mut inside = vec![false; self.token_types.len()];
        for &(first, end, _) in found.iter() {
            inside[first..end].iter_mut().for_each(|x| *x = true);
        }
        let mut added = Vec::new();
        for t in 0..self.token_types.len() {
            if inside[t] || !capitalised(t) {
                continue;
            }
            // A capitalised neighbour outside a mention makes this a part of a longer name
            // that the text has not shown whole: leave it.
            let free_capital = |n: usize| n < inside.len() && !inside[n] && capitalised(n);
            if (t > 0 && free_capital(t - 1)) || free_capital(t + 1) {
                continue;
            }
            let stem = self.slim[self.token_types[t] as usize].stem;
            let kind = match kinds.get(&stem) {
                Some(1) => EntityKind::Person,
                Some(2) => EntityKind::Organisation,
                Some(4) => EntityKind::Place,
                _ => continue,
            };
            added.push((t, t + 1, kind));
        }
        if !added.is_empty() {
            found.extend(added);
            found.sort_unstable_by_key(|&(first, _, _)| first);
        }
    }

    /// Appends, for every type from index `from` on (see [`Extractor::token_types`]), its
    /// [`N_TYPE_FEATURES`] feature hashes, in [`TYPE_TEMPLATES`] order, each with the
    /// [`profile`] and [`group`] of the language it was analysed in.
    pub fn type_features(&self, from: usize, out: &mut Vec<u64>) {
        for a in self.types.get(from..).unwrap_or_default() {
            type_features(a, usize::from(a.profile), usize::from(a.group), out);
        }
    }

    /// Appends, for every token of `segment` (one of [`Extractor::segments`]), its
    /// [`N_TOKEN_FEATURES`] feature hashes, in [`TOKEN_TEMPLATES`] order.
    pub fn token_features(
        &self,
        segment: Range<usize>,
        profile: usize,
        group: usize,
        out: &mut Vec<u64>,
    ) {
        let group = mix(0x6000 + group as u64);
        self.token_values(segment, profile, |values| {
            for (t, v) in values.into_iter().enumerate() {
                out.push(seal(v, N_TYPE_FEATURES + t, group));
            }
        });
    }

    /// Appends, for every token of `segment`, the hashes of its [`OWN`] features only: the
    /// others are its neighbours' ([`Extractor::neighbour_features`]), which the tagger sums
    /// once per type.
    pub fn own_features(
        &self,
        segment: Range<usize>,
        profile: usize,
        group: usize,
        out: &mut Vec<u64>,
    ) {
        let group = mix(0x6000 + group as u64);
        self.token_values(segment, profile, |values| {
            for t in OWN {
                out.push(seal(values[t], N_TYPE_FEATURES + t, group));
            }
        });
    }

    /// Appends, for every type from index `from` on, the hashes of the features its text gives
    /// the tokens around it: into `out[0]` the [`AS_PREVIOUS`] features of the token after it,
    /// into `out[1]` the [`AS_NEXT`] features of the token before it, into `out[2]` and `out[3]`
    /// the word two tokens away ([`AS_SECOND_PREVIOUS`], [`AS_SECOND_NEXT`]).
    pub fn neighbour_features(&self, from: usize, out: [&mut Vec<u64>; 4]) {
        let [previous, next, second_previous, second_next] = out;
        for a in self.slim.get(from..).unwrap_or_default() {
            let group = mix(0x6000 + u64::from(a.group));
            let values = neighbour_values(a);
            for (&t, &v) in AS_PREVIOUS.iter().zip(&values) {
                previous.push(seal(v, N_TYPE_FEATURES + t, group));
            }
            for (&t, &v) in AS_NEXT.iter().zip(&values) {
                next.push(seal(v, N_TYPE_FEATURES + t, group));
            }
            second_previous.push(seal(a.word, N_TYPE_FEATURES + AS_SECOND_PREVIOUS, group));
            second_next.push(seal(a.word, N_TYPE_FEATURES + AS_SECOND_NEXT, group));
        }
    }

    /// [`Extractor::neighbour_features`] of the segment's edges, where a token has no
    /// neighbour: what the tokens next to the edge get.
    pub fn edge_features(group: usize, out: [&mut Vec<u64>; 4]) {
        let group = mix(0x6000 + group as u64);
        let [previous, next, second_previous, second_next] = out;
        for &t in &AS_PREVIOUS {
            previous.push(seal(BEFORE, N_TYPE_FEATURES + t, group));
        }
        for &t in &AS_NEXT {
            next.push(seal(AFTER, N_TYPE_FEATURES + t, group));
        }
        second_previous.push(seal(BEFORE, N_TYPE_FEATURES + AS_SECOND_PREVIOUS, group));
        second_next.push(seal(AFTER, N_TYPE_FEATURES + AS_SECOND_NEXT, group));
    }

    /// Calls `each` with the [`TOKEN_TEMPLATES`] values of every token of `segment`, in order.
    fn token_values(
        &self,
        segment: Range<usize>,
        profile: usize,
        mut each: impl FnMut([u64; N_TOKEN_FEATURES]),
    ) {
        let context = &self.context[segment.clone()];
        let seg = &self.token_types[segment];
        let profile = mix(0x7000 + profile as u64);
        let at = |i: isize| -> Option<&Slim> {
            usize::try_from(i)
                .ok()
                .and_then(|i| seg.get(i))
                .map(|&t| &self.slim[t as usize])
        };
        for (i, (&t, &context)) in seg.iter().zip(context).enumerate() {
            let a = &self.slim[t as usize];
            let i = i as isize;
            let edge = |j: isize| if j < i { BEFORE } else { AFTER };
            let around = |j: isize| at(j).map_or([edge(j); 7], neighbour_values);
            let [w1, k1, t1, g1, s1, x1, c1] = around(i - 1);
            let [w2, k2, t2, g2, s2, x2, c2] = around(i + 1);
            let word_of = |j: isize| at(j).map_or(edge(j), |n| n.word);
            // Whether this is the segment's first word: its capital letter says less.
            let first = (context >> 2) & 1;
            let class = a.class | (first << 8);
            let values: [u64; N_TOKEN_FEATURES] = [
                class,
                w1,
                w2,
                word_of(i - 2),
                word_of(i + 2),
                k1,
                k2,
                t1,
                t2,
                g1,
                g2,
                s1,
                s2,
                pair(pair(s1, a.shape), s2),
                pair(w1, a.word),
                pair(a.word, w2),
                x1,
                x2,
                context,
                pair(context, a.shape),
                pair(profile, class),
                pair(profile, pair(s1, a.shape)),
                pair(w1, class),
                pair(class, w2),
                c1,
                c2,
            ];
            each(values);
        }
    }

    /// Appends, for every token of `segment`, all its [`N_FEATURES`] feature hashes: its
    /// type's, then its own. This is what training sees; tagging computes the same sums with
    /// the type features once per type.
    pub fn features(
        &self,
        segment: Range<usize>,
        profile: usize,
        group: usize,
        out: &mut Vec<u64>,
    ) {
        let mut own = Vec::with_capacity(segment.len() * N_TOKEN_FEATURES);
        self.token_features(segment.clone(), profile, group, &mut own);
        for (i, &t) in self.token_types[segment].iter().enumerate() {
            type_features(&self.types[t as usize], profile, group, out);
            out.extend_from_slice(&own[i * N_TOKEN_FEATURES..(i + 1) * N_TOKEN_FEATURES]);
        }
    }
}

/// Mixes the template (its index in the full list) and the group into a feature's value, so
/// that one value under two templates, or in two groups, lands on two rows.
#[inline]
fn seal(value: u64, template: usize, group: u64) -> u64 {
    mix(value ^ TEMPLATE_SEEDS[template] ^ group)
}

/// Appends the [`TYPE_TEMPLATES`] features of one analysed token text.
fn type_features(a: &Analysis, profile: usize, group: usize, out: &mut Vec<u64>) {
    let profile = mix(0x7000 + profile as u64);
    let group = mix(0x6000 + group as u64);
    let values: [u64; N_TYPE_FEATURES] = [
        1,
        a.word,
        a.key,
        a.stem,
        a.prefix[0],
        a.prefix[1],
        a.prefix[2],
        a.suffix[0],
        a.suffix[1],
        a.suffix[2],
        a.key_suffix2,
        a.key_suffix,
        a.folded,
        a.shape,
        a.gazetteer,
        pair(a.gazetteer, a.shape),
        profile,
        pair(profile, a.shape),
        pair(profile, a.suffix[1]),
        a.cluster,
        a.middle,
        pair(a.coarse, a.shape),
    ];
    for (t, v) in values.into_iter().enumerate() {
        let group = if IS_SHARED[t] { 0 } else { group };
        out.push(seal(v, t, group));
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
    fn the_token_templates_split_into_neighbours_and_own() {
        let mut seen = [0; N_TOKEN_FEATURES];
        let all = AS_PREVIOUS
            .iter()
            .chain(&AS_NEXT)
            .chain([&AS_SECOND_PREVIOUS, &AS_SECOND_NEXT])
            .chain(&OWN);
        for &t in all {
            seen[t] += 1;
        }
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
        let names = [
            "word",
            "key",
            "stem-key",
            "gazetteer",
            "shape",
            "suffix3",
            "middle-cluster",
        ];
        for (k, name) in names.iter().enumerate() {
            assert_eq!(TOKEN_TEMPLATES[AS_PREVIOUS[k]], format!("{name}-1"));
            assert_eq!(TOKEN_TEMPLATES[AS_NEXT[k]], format!("{name}+1"));
        }
        assert_eq!(TOKEN_TEMPLATES[AS_SECOND_PREVIOUS], "word-2");
        assert_eq!(TOKEN_TEMPLATES[AS_SECOND_NEXT], "word+2");
    }

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
            ex.analyse(text, &tokens, lang);
            let mut out = Vec::new();
            for segment in ex.segments() {
                ex.features(segment.clone(), profile(lang), group(lang), &mut out);
            }
            out
        };
        let key = TYPE_TEMPLATES.iter().position(|&t| t == "key").unwrap_or(0);
        let kk = feats("Тоқаев", Language::Kk);
        let en = feats("Tokayev", Language::En);
        assert_eq!(kk[key], en[key]);
        let stem = TYPE_TEMPLATES
            .iter()
            .position(|&t| t == "stem-key")
            .unwrap_or(0);
        let kk = feats("Тоқаевтың", Language::Kk);
        let uz = feats("Тўқаевнинг", Language::Uz);
        assert_eq!(kk[stem], uz[stem]);
        // Every token gets the full list.
        assert_eq!(feats("a b, c", Language::En).len(), 4 * N_FEATURES);
    }
}
