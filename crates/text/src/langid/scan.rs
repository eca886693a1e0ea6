//! One pass over a text that gathers the letter and word evidence every variant is scored on:
//! letters per script, telling letters, letters foreign to each alphabet, frequent-word and
//! word-ending hits.
//!
//! It reads raw text as well as normalized text: it lowercases as it goes, reads every
//! apostrophe variant inside a word as `ʻ` (or, after a Cyrillic vowel, as the glottal stop
//! ъ), and skips combining marks. The text can be fed in pieces, so that the caller can stop as
//! soon as the evidence is decisive; word endings, the dearest lookups, are only counted on
//! request.

use super::lexicon::{GLOTTAL_STOP, Letter, Lexicon, MAX_SLOTS, OTHER_SCRIPT, SCRIPTS};
use super::variants::VARIANTS;

/// The evidence found in a text.
pub(crate) struct Evidence {
    /// Letters per script: indices of [`SCRIPTS`], then [`OTHER_SCRIPT`].
    pub script_letters: [u32; 4],
    /// Plain (not telling) letters per script.
    pub plain_letters: [u32; 3],
    /// Telling letters per slot.
    pub slots: [u32; MAX_SLOTS],
    /// Per variant, plain letters of its script outside its alphabet.
    pub foreign: [u32; 32],
    /// Per variant, words it lists as frequent.
    pub word_hits: [u32; 32],
    /// Per variant, words it does not list that end in one of its frequent endings (counted by
    /// [`Scanner::count_suffixes`]).
    pub suffix_hits: [u32; 32],
    /// Words seen (runs of letters).
    pub words: u32,
}

impl Evidence {
    fn new() -> Self {
        Evidence {
            script_letters: [0; 4],
            plain_letters: [0; 3],
            slots: [0; MAX_SLOTS],
            foreign: [0; 32],
            word_hits: [0; 32],
            suffix_hits: [0; 32],
            words: 0,
        }
    }

    /// All letters seen.
    pub(crate) fn letters(&self) -> u32 {
        self.script_letters.iter().sum()
    }
}

/// Whether `c` is one of the marks people type for the Uzbek ʻ and ʼ, or for an apostrophe.
#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '‘' | '’' | 'ʼ' | 'ʻ' | '`' | 'ʹ' | 'ʽ' | '´' | 'ʿ' | 'ʾ'
    )
}

/// Whether `c` is a lowercase Cyrillic vowel letter.
#[inline]
fn is_cyrillic_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'у'
            | 'ы'
            | 'э'
            | 'ю'
            | 'я'
            | 'і'
            | 'ї'
            | 'є'
            | 'ў'
            | 'ӣ'
            | 'ӯ'
            | 'ә'
            | 'ө'
            | 'ұ'
            | 'ү'
    )
}

/// Lowercases one letter without allocating; the Turkish dotted capital İ becomes i. The
/// ranges most text is made of are handled without Unicode tables.
#[inline]
pub(crate) fn lower(c: char) -> char {
    match c {
        'a'..='z' | '\u{0430}'..='\u{045F}' => c,
        'A'..='Z' => c.to_ascii_lowercase(),
        // Basic Cyrillic capitals А..Я and Ѐ..Џ.
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        // Latin-1 capitals À..Þ (but not ×).
        '\u{00C0}'..='\u{00DE}' if c != '\u{00D7}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        '\u{00DF}'..='\u{00FF}' => c,
        'İ' => 'i',
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Gathers [`Evidence`] from text fed to it in pieces.
pub(crate) struct Scanner<'l> {
    lexicon: &'l Lexicon,
    evidence: Evidence,
    /// The word being read, lowercase.
    word: String,
    /// An apostrophe seen right after a letter, kept only if a letter follows.
    apostrophe: bool,
    /// The last letter read, lowercase.
    previous: char,
    /// The words no variant lists, NUL-separated, for [`Scanner::count_suffixes`].
    unknown: String,
    uz_apostrophe: Letter,
    glottal: Letter,
}

impl<'l> Scanner<'l> {
    pub(crate) fn new(lexicon: &'l Lexicon) -> Self {
        Scanner {
            lexicon,
            evidence: Evidence::new(),
            word: String::with_capacity(64),
            apostrophe: false,
            previous: ' ',
            unknown: String::new(),
            uz_apostrophe: lexicon.letter('ʻ').unwrap_or_default(),
            glottal: lexicon.letter(GLOTTAL_STOP).unwrap_or_default(),
        }
    }

    /// Makes room for the words of a text of `bytes` bytes, so that keeping them for
    /// [`Scanner::count_suffixes`] does not grow the buffer word by word.
    pub(crate) fn reserve(&mut self, bytes: usize) {
        // Each word kept is followed by one NUL in place of at least one separator.
        self.unknown.reserve(bytes + 1);
    }

    /// The evidence so far; a word still being read is not in it yet.
    pub(crate) fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    /// Reads the next piece of text. A word may run on into the next piece.
    pub(crate) fn feed(&mut self, text: &str) {
        for c in text.chars() {
            if is_apostrophe(c) {
                if !self.word.is_empty() && !self.apostrophe {
                    self.apostrophe = true;
                } else {
                    self.end_word();
                }
                continue;
            }
            if ('\u{0300}'..='\u{036F}').contains(&c) {
                // A combining mark (decomposed input): the word goes on.
                continue;
            }
            let lc = self.lexicon.lower(c);
            let letter = match self.lexicon.letter(lc) {
                Some(letter) => letter,
                None if lc.is_alphabetic() => Letter {
                    script: 1 + SCRIPTS
                        .iter()
                        .position(|s| *s == xabar_core::Script::of_char(lc))
                        .unwrap_or(OTHER_SCRIPT) as u8,
                    slot: 0,
                    absent: 0,
                },
                None => Letter::default(),
            };
            if letter.script == 0 {
                self.end_word();
                continue;
            }
            if self.apostrophe {
                self.apostrophe = false;
                self.inner_apostrophe(letter);
            }
            let slot = if lc == 'ъ' && is_cyrillic_vowel(self.previous) && self.glottal.slot != 0 {
                self.glottal.slot
            } else {
                letter.slot
            };
            self.word.push(lc);
            self.previous = lc;
            let script = usize::from(letter.script) - 1;
            self.evidence.script_letters[script] += 1;
            if slot != 0 {
                self.evidence.slots[usize::from(slot)] += 1;
            } else if script < OTHER_SCRIPT {
                self.evidence.plain_letters[script] += 1;
                let mut absent = letter.absent;
                while absent != 0 {
                    self.evidence.foreign[absent.trailing_zeros() as usize] += 1;
                    absent &= absent - 1;
                }
            }
        }
    }

    /// An apostrophe between two letters: the glottal stop after a Cyrillic vowel, the ʻ of
    /// oʻ and gʻ, or (Turkish names, English contractions) nothing telling.
    fn inner_apostrophe(&mut self, next: Letter) {
        if is_cyrillic_vowel(self.previous) {
            self.word.push('ъ');
            if self.glottal.slot != 0 {
                self.evidence.slots[usize::from(self.glottal.slot)] += 1;
                self.evidence.script_letters[usize::from(self.glottal.script) - 1] += 1;
            }
        } else {
            self.word.push('ʻ');
            if matches!(self.previous, 'o' | 'g') && self.uz_apostrophe.slot != 0 {
                self.evidence.slots[usize::from(self.uz_apostrophe.slot)] += 1;
                self.evidence.script_letters[usize::from(next.script) - 1] += 1;
            }
        }
    }

    /// Ends the word being read, if any: looks it up, or keeps it for the endings.
    pub(crate) fn end_word(&mut self) {
        self.apostrophe = false;
        if self.word.is_empty() {
            return;
        }
        self.evidence.words += 1;
        let hits = self.lexicon.word(&self.word);
        if hits != 0 {
            add_bits(&mut self.evidence.word_hits, hits);
        } else {
            self.unknown.push_str(&self.word);
            self.unknown.push('\0');
        }
        self.word.clear();
    }

    /// Counts, for every word no variant lists, the variants one of whose frequent endings it
    /// ends in. Ends the word being read first.
    pub(crate) fn count_suffixes(&mut self) {
        self.end_word();
        for word in self.unknown.split('\0') {
            let hits = suffix_hits(self.lexicon, word);
            add_bits(&mut self.evidence.suffix_hits, hits);
        }
        self.unknown.clear();
    }
}

/// The variants one of whose frequent endings `word` ends in, leaving a stem of at least two
/// letters.
fn suffix_hits(lexicon: &Lexicon, word: &str) -> u32 {
    let mut hits = 0;
    let mut chars = 0;
    for (start, _) in word.char_indices().rev() {
        chars += 1;
        if chars > lexicon.max_suffix_chars {
            break;
        }
        if word[..start].chars().nth(1).is_none() {
            break;
        }
        match lexicon.suffix(&word[start..]) {
            Some(variants) => hits |= variants,
            // No frequent ending ends like this, so no longer one can match.
            None => break,
        }
    }
    hits
}

#[inline]
fn add_bits(counts: &mut [u32; 32], mut bits: u32) {
    bits &= (1u64 << VARIANTS.len()).wrapping_sub(1) as u32;
    while bits != 0 {
        counts[bits.trailing_zeros() as usize] += 1;
        bits &= bits - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(lexicon: &Lexicon, text: &str) -> Evidence {
        let mut scanner = Scanner::new(lexicon);
        scanner.feed(text);
        scanner.count_suffixes();
        scanner.evidence
    }

    #[test]
    fn lowercases_without_tables_for_common_letters() {
        assert_eq!(lower('Ж'), 'ж');
        assert_eq!(lower('ж'), 'ж');
        assert_eq!(lower('Ё'), 'ё');
        assert_eq!(lower('Ў'), 'ў');
        assert_eq!(lower('İ'), 'i');
        assert_eq!(lower('Q'), 'q');
        assert_eq!(lower('Ü'), 'ü');
        assert_eq!(lower('×'), '×');
        assert_eq!(lower('Ə'), 'ə');
    }

    #[test]
    fn the_lowercase_table_agrees_with_lower() {
        let lexicon = Lexicon::build().expect("valid evidence");
        for c in (0..0x800).filter_map(char::from_u32) {
            assert_eq!(lexicon.lower(c), lower(c), "{c:?}");
        }
    }

    #[test]
    fn reads_apostrophe_variants_as_one_letter() {
        let lexicon = Lexicon::build().expect("valid evidence");
        let a = scan(&lexicon, "O'zbekiston");
        let b = scan(&lexicon, "Oʻzbekiston");
        let c = scan(&lexicon, "O‘zbekiston");
        assert_eq!(a.word_hits, b.word_hits);
        assert_eq!(b.word_hits, c.word_hits);
        assert!(b.word_hits.contains(&1));
        assert_eq!(a.script_letters, b.script_letters);
    }

    #[test]
    fn a_word_may_span_two_pieces() {
        let lexicon = Lexicon::build().expect("valid evidence");
        let whole = scan(&lexicon, "ўзбекистон ва");
        let mut scanner = Scanner::new(&lexicon);
        scanner.feed("ўзбеки");
        scanner.feed("стон ва");
        scanner.count_suffixes();
        assert_eq!(scanner.evidence.word_hits, whole.word_hits);
        assert_eq!(scanner.evidence.slots, whole.slots);
    }

    #[test]
    fn glottal_stop_after_a_vowel_only() {
        let lexicon = Lexicon::build().expect("valid evidence");
        let glottal = usize::from(lexicon.letter(GLOTTAL_STOP).map_or(0, |l| l.slot));
        assert_ne!(glottal, 0);
        assert_eq!(scan(&lexicon, "таъкидлади").slots[glottal], 1);
        assert_eq!(scan(&lexicon, "та'кидлади").slots[glottal], 1);
        assert_eq!(scan(&lexicon, "подъезд").slots[glottal], 0);
        assert_eq!(scan(&lexicon, "пам'ять").slots[glottal], 0);
    }
}
