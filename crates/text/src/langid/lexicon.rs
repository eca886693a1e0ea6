//! The evidence tables, compiled once from the variants' evidence files: which letters each
//! variant's orthography has and how often the telling ones occur, its frequent words, and its
//! frequent word endings.
//!
//! # Evidence file format
//!
//! One UTF-8 file per variant, `data/<lang>/langid-<script>.txt`. `#` starts a comment that runs
//! to the end of the line. Section headers stand alone on a line; items within a section are
//! separated by white space (several per line or one per line, as reads best); everything is
//! lowercase.
//!
//! - `[alphabet]`: every letter of the orthography. A letter of the same script outside it
//!   counts as foreign (a loan, a name, or another language).
//! - `[letters]`: pairs `letter per-mille`: for the letters that tell languages of one script
//!   apart, about how many of every 1,000 letters of running news text are that letter. `ʼ` is
//!   the Cyrillic glottal stop, ъ or an apostrophe after a vowel ([`GLOTTAL_STOP`]). Every
//!   letter listed here by any variant of a script is a *telling* letter for all of them: a
//!   variant that has it in its alphabet but does not list it is taken to use it rarely
//!   (see [`UNLISTED_PER_MILLE`]).
//! - `[words]`: frequent words (function words and the commonest news words). Apostrophe
//!   variants are written `ʻ` (U+02BB).
//! - `[suffixes]`: frequent word endings, without a hyphen.
//!
//! Nothing here is learnt from the evaluation sets: the files are written from knowledge of the
//! languages, and the per-mille figures are rounded estimates.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use xabar_core::Script;

use super::variants::{VARIANTS, Variant};

/// How often a letter occurs in a variant whose alphabet has it but whose evidence file does
/// not list it among the telling letters (per mille).
pub(crate) const UNLISTED_PER_MILLE: f64 = 0.5;
/// How often a letter outside a variant's alphabet turns up in it anyway, in names and loans
/// (per mille).
pub(crate) const FOREIGN_PER_MILLE: f64 = 0.03;

/// The letter the evidence files write for the glottal stop of Uzbek and Tajik Cyrillic: ъ, or
/// an apostrophe, after a vowel (таъкидлади, маълум). Russian and Bulgarian write ъ only after
/// consonants, and Ukrainian and Belarusian their apostrophe too.
pub(crate) const GLOTTAL_STOP: char = 'ʼ';

/// Code points below this have a row in the letter table; above it, letters are foreign to
/// every variant.
const TABLE_LEN: usize = 0x0700;
/// The most telling letters over all scripts.
pub(crate) const MAX_SLOTS: usize = 128;

/// The scripts variants can be written in, as indices into per-script counters.
pub(crate) const SCRIPTS: [Script; 3] = [Script::Cyrl, Script::Latn, Script::Arab];
/// The counter index for letters of any other script.
pub(crate) const OTHER_SCRIPT: usize = 3;

/// What the letter table says about one lowercase character.
#[derive(Clone, Copy, Default)]
pub(crate) struct Letter {
    /// 0: not a letter; 1 + index into [`SCRIPTS`]; `1 + OTHER_SCRIPT`: a letter of another
    /// script.
    pub script: u8,
    /// The telling-letter slot, or 0 for a plain letter.
    pub slot: u8,
    /// The variants (bit i = `VARIANTS[i]`) whose alphabet lacks this letter, for plain
    /// letters.
    pub absent: u32,
}

/// A small multiplicative hash for short words: the tables are read once per word, and the
/// default SipHash would cost more than the rest of the scan. The keys are fixed data, so
/// hash flooding is no concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type WordMap = HashMap<Box<str>, u32, BuildHasherDefault<WordHasher>>;

/// The compiled evidence of every variant.
pub(crate) struct Lexicon {
    letters: Vec<Letter>,
    /// The lowercase of every character below [`TABLE_LEN`], as `scan::lower` gives it: the
    /// scan lowercases every letter it reads, and Latin Extended and Cyrillic capitals would
    /// otherwise each cost a search of Unicode's case tables.
    lowercase: Vec<char>,
    /// Per slot, the index into [`SCRIPTS`] of its letter.
    slot_script: Vec<usize>,
    /// Per variant, the natural log of the probability of each slot (index 0: any plain letter
    /// of the alphabet).
    slot_ln: Vec<Vec<f64>>,
    /// Per variant, the index into [`SCRIPTS`] of its script.
    variant_script: Vec<usize>,
    words: WordMap,
    /// Every frequent ending with the variants that list it, and every shorter ending of one
    /// (with no variants unless listed itself), so that a word's endings are looked up only as
    /// long as some ending goes on with them.
    suffixes: WordMap,
    /// The longest suffix, in characters.
    pub max_suffix_chars: usize,
}

/// A fault in an evidence file; the files are compiled in, so this is a bug caught by tests.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LexiconError {
    #[error("evidence file of variant {variant}: {message}")]
    Invalid { variant: usize, message: String },
}

#[derive(Default)]
struct Parsed {
    alphabet: Vec<char>,
    letters: Vec<(char, f64)>,
    words: Vec<String>,
    suffixes: Vec<String>,
}

fn parse(variant: usize, text: &str) -> Result<Parsed, LexiconError> {
    let invalid = |message: String| LexiconError::Invalid { variant, message };
    let mut parsed = Parsed::default();
    let mut section = "";
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = &line[1..line.len() - 1];
            continue;
        }
        let mut items = line.split_whitespace();
        while let Some(item) = items.next() {
            match section {
                "alphabet" => {
                    let mut chars = item.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => parsed.alphabet.push(c),
                        _ => {
                            return Err(invalid(format!(
                                "alphabet item {item:?} is not one letter"
                            )));
                        }
                    }
                }
                "letters" => {
                    let mut chars = item.chars();
                    let letter = match (chars.next(), chars.next()) {
                        (Some(c), None) => c,
                        _ => {
                            return Err(invalid(format!(
                                "letters item {item:?} is not one letter"
                            )));
                        }
                    };
                    let per_mille = items
                        .next()
                        .and_then(|n| n.parse::<f64>().ok())
                        .filter(|n| *n > 0.0 && *n < 1000.0)
                        .ok_or_else(|| {
                            invalid(format!("letter {letter:?} lacks a per-mille figure"))
                        })?;
                    parsed.letters.push((letter, per_mille));
                }
                "words" => parsed.words.push(item.to_string()),
                "suffixes" => parsed.suffixes.push(item.to_string()),
                other => return Err(invalid(format!("unknown section [{other}]"))),
            }
        }
    }
    for (letter, _) in &parsed.letters {
        if !parsed.alphabet.contains(letter) {
            return Err(invalid(format!(
                "telling letter {letter:?} is not in the alphabet"
            )));
        }
    }
    Ok(parsed)
}

fn script_index(script: Script) -> Option<usize> {
    SCRIPTS.iter().position(|s| *s == script)
}

impl Lexicon {
    /// Compiles the evidence files of [`VARIANTS`].
    pub(crate) fn build() -> Result<Lexicon, LexiconError> {
        Self::from_variants(VARIANTS)
    }

    fn from_variants(variants: &[Variant]) -> Result<Lexicon, LexiconError> {
        if variants.len() > 32 {
            return Err(LexiconError::Invalid {
                variant: 32,
                message: "more than 32 variants".into(),
            });
        }
        let parsed = variants
            .iter()
            .enumerate()
            .map(|(i, v)| parse(i, v.evidence))
            .collect::<Result<Vec<_>, _>>()?;
        let variant_script = variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                script_index(v.script).ok_or_else(|| LexiconError::Invalid {
                    variant: i,
                    message: format!("script {} has no letter model", v.script),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;

        // The letter table: script of every letter below TABLE_LEN, slots for telling letters.
        let mut letters = vec![Letter::default(); TABLE_LEN];
        for (code, entry) in letters.iter_mut().enumerate() {
            let Some(c) = char::from_u32(code as u32) else {
                continue;
            };
            if c.is_alphabetic() {
                entry.script = match script_index(Script::of_char(c)) {
                    Some(s) => 1 + s as u8,
                    None => 1 + OTHER_SCRIPT as u8,
                };
            }
        }
        // ʻ is a letter of Uzbek Latin although Unicode files it with no script, and ə (in the
        // IPA block) is Azerbaijani's commonest vowel; `Script::of_char` calls both Zyyy.
        let latin = 1 + script_index(Script::Latn).unwrap_or(1) as u8;
        letters['ʻ' as usize].script = latin;
        letters['ə' as usize].script = latin;
        // ʼ stands for the Cyrillic glottal stop: ъ or an apostrophe after a vowel (see
        // `scan`).
        letters[GLOTTAL_STOP as usize].script = 1 + script_index(Script::Cyrl).unwrap_or(0) as u8;

        let mut slot_script = vec![usize::MAX];
        for (i, p) in parsed.iter().enumerate() {
            for &(letter, _) in &p.letters {
                let code = letter as usize;
                if code >= TABLE_LEN || letters[code].script != 1 + variant_script[i] as u8 {
                    return Err(LexiconError::Invalid {
                        variant: i,
                        message: format!(
                            "telling letter {letter:?} is not of the variant's script"
                        ),
                    });
                }
                if letters[code].slot == 0 {
                    if slot_script.len() >= MAX_SLOTS {
                        return Err(LexiconError::Invalid {
                            variant: i,
                            message: "too many telling letters".into(),
                        });
                    }
                    letters[code].slot = slot_script.len() as u8;
                    slot_script.push(variant_script[i]);
                }
            }
        }

        // Which variants lack each plain letter of their script.
        for (code, entry) in letters.iter_mut().enumerate() {
            if entry.script == 0 || entry.slot != 0 {
                continue;
            }
            let Some(c) = char::from_u32(code as u32) else {
                continue;
            };
            for (i, p) in parsed.iter().enumerate() {
                if entry.script == 1 + variant_script[i] as u8 && !p.alphabet.contains(&c) {
                    entry.absent |= 1 << i;
                }
            }
        }

        // Per variant, the log probability of each slot and of a plain letter.
        let mut slot_ln = Vec::with_capacity(parsed.len());
        for (i, p) in parsed.iter().enumerate() {
            let mut probs = vec![0.0f64; slot_script.len()];
            let mut telling_mass = 0.0;
            for (slot, prob) in probs.iter_mut().enumerate().skip(1) {
                if slot_script[slot] != variant_script[i] {
                    continue;
                }
                let letter = letters
                    .iter()
                    .position(|l| usize::from(l.slot) == slot)
                    .and_then(|code| char::from_u32(code as u32));
                let per_mille = match letter {
                    Some(c) => match p.letters.iter().find(|(l, _)| *l == c) {
                        Some(&(_, n)) => n,
                        None if p.alphabet.contains(&c) => UNLISTED_PER_MILLE,
                        None => FOREIGN_PER_MILLE,
                    },
                    None => FOREIGN_PER_MILLE,
                };
                *prob = per_mille / 1000.0;
                telling_mass += *prob;
            }
            if telling_mass >= 0.9 {
                return Err(LexiconError::Invalid {
                    variant: i,
                    message: "telling letters add up to 90% or more".into(),
                });
            }
            probs[0] = 1.0 - telling_mass;
            slot_ln.push(
                probs
                    .iter()
                    .map(|&q| if q > 0.0 { q.ln() } else { 0.0 })
                    .collect(),
            );
        }

        let mut words = WordMap::default();
        let mut suffixes = WordMap::default();
        let mut max_suffix_chars = 0;
        for (i, p) in parsed.iter().enumerate() {
            for word in &p.words {
                *words.entry(word.as_str().into()).or_insert(0) |= 1 << i;
            }
            for suffix in &p.suffixes {
                max_suffix_chars = max_suffix_chars.max(suffix.chars().count());
                *suffixes.entry(suffix.as_str().into()).or_insert(0) |= 1 << i;
                for (start, _) in suffix.char_indices().skip(1) {
                    suffixes.entry(suffix[start..].into()).or_insert(0);
                }
            }
        }

        let lowercase = (0..TABLE_LEN as u32)
            .map(|code| char::from_u32(code).map_or('\0', super::scan::lower))
            .collect();

        Ok(Lexicon {
            letters,
            lowercase,
            slot_script,
            slot_ln,
            variant_script,
            words,
            suffixes,
            max_suffix_chars,
        })
    }

    /// `c` lowercased (see `scan::lower`), from the table where it has a row.
    #[inline]
    pub(crate) fn lower(&self, c: char) -> char {
        match self.lowercase.get(c as usize) {
            Some(&lower) => lower,
            None => super::scan::lower(c),
        }
    }

    /// The table row of a lowercase character; `None` above the table.
    #[inline]
    pub(crate) fn letter(&self, c: char) -> Option<Letter> {
        self.letters.get(c as usize).copied()
    }

    /// The variants that list `word` (lowercase, apostrophes as `ʻ`) as a frequent word.
    #[inline]
    pub(crate) fn word(&self, word: &str) -> u32 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// The variants that list `suffix` as a frequent ending (0 for none), or `None` when no
    /// frequent ending of any variant ends in `suffix`, so that no longer ending of the same
    /// word can be one either.
    #[inline]
    pub(crate) fn suffix(&self, suffix: &str) -> Option<u32> {
        self.suffixes.get(suffix).copied()
    }

    /// The number of telling-letter slots, the plain slot 0 included.
    pub(crate) fn slots(&self) -> usize {
        self.slot_script.len()
    }

    /// The index into [`SCRIPTS`] of a slot's letter.
    pub(crate) fn slot_script(&self, slot: usize) -> usize {
        self.slot_script[slot]
    }

    /// The natural log of how probable slot `slot` is in variant `variant`.
    pub(crate) fn slot_ln(&self, variant: usize, slot: usize) -> f64 {
        self.slot_ln[variant][slot]
    }

    /// The index into [`SCRIPTS`] of a variant's script.
    pub(crate) fn variant_script(&self, variant: usize) -> usize {
        self.variant_script[variant]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_files_compile() {
        let lexicon = Lexicon::build().expect("evidence files are valid");
        assert!(lexicon.slots() > 20);
        assert_ne!(lexicon.word("және"), 0);
        assert_ne!(lexicon.word("oʻzbekiston"), 0);
        assert_ne!(lexicon.suffix("нинг"), Some(0));
        assert!(lexicon.suffix("нинг").is_some());
        assert!(lexicon.suffix("zzzz").is_none());
    }

    #[test]
    fn words_are_lowercase_without_stray_apostrophes() {
        for (i, variant) in VARIANTS.iter().enumerate() {
            let parsed = parse(i, variant.evidence).expect("valid file");
            for word in parsed.words.iter().chain(&parsed.suffixes) {
                assert_eq!(&word.to_lowercase(), word, "variant {i}: {word}");
                assert!(
                    !word.contains(['\'', '‘', '’', 'ʼ', '`', 'ʹ']),
                    "variant {i}: {word} should spell its apostrophe ʻ"
                );
            }
            for c in parsed.words.iter().flat_map(|w| w.chars()) {
                assert!(
                    c == 'ʻ' || parsed.alphabet.contains(&c),
                    "variant {i}: {c:?} of its words is not in its alphabet"
                );
            }
        }
    }

    #[test]
    fn rejects_a_telling_letter_outside_the_alphabet() {
        assert!(parse(0, "[alphabet]\nа б\n[letters]\nв 3\n").is_err());
        assert!(parse(0, "[letters]\nа\n").is_err());
        assert!(parse(0, "[colours]\nred\n").is_err());
    }
}
