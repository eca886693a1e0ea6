//! Which script a word, line or text is written in, counted over its letters.
//!
//! Digits, punctuation and marks count for no script; a text with no letters is
//! [`Script::Zyyy`]. This is the evidence normalization uses to repair mixed-script words and
//! language identification uses to pick a script.

use xabar_core::Script;

/// Whether `c` is a letter, exactly as [`char::is_alphabetic`] says, but answered without
/// Unicode tables for ASCII and the Latin and Cyrillic letters (as [`Script::of_char`] does).
#[inline]
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        '\u{00C0}'..='\u{024F}' => c != '\u{00D7}' && c != '\u{00F7}',
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => true,
        _ => c.is_alphabetic(),
    }
}

/// How many letters of each script a text holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptCounts {
    /// Cyrillic letters.
    pub cyrl: usize,
    /// Latin letters.
    pub latn: usize,
    /// Arabic letters.
    pub arab: usize,
    /// Letters of other scripts.
    pub other: usize,
}

impl ScriptCounts {
    /// Counts the letters of `text`.
    pub fn of(text: &str) -> ScriptCounts {
        let mut counts = ScriptCounts::default();
        for c in text.chars() {
            counts.add(c);
        }
        counts
    }

    /// Counts one character (non-letters are ignored).
    #[inline]
    pub fn add(&mut self, c: char) {
        self.add_of(c, Script::of_char(c));
    }

    /// Counts one character whose script (as [`Script::of_char`] says) is known already.
    #[inline]
    pub fn add_of(&mut self, c: char, script: Script) {
        match script {
            Script::Cyrl => self.cyrl += 1,
            Script::Latn => self.latn += 1,
            Script::Arab => self.arab += 1,
            Script::Zyyy if !c.is_ascii() && c.is_alphabetic() => self.other += 1,
            Script::Zyyy => {}
        }
    }

    /// All letters counted.
    pub fn letters(&self) -> usize {
        self.cyrl + self.latn + self.arab + self.other
    }

    /// The script with the most letters; [`Script::Zyyy`] when there are none. Ties go to
    /// Cyrillic, then Latin (the order of xabar's focus languages).
    pub fn dominant(&self) -> Script {
        let best = self.cyrl.max(self.latn).max(self.arab);
        if best == 0 || best < self.other {
            Script::Zyyy
        } else if self.cyrl == best {
            Script::Cyrl
        } else if self.latn == best {
            Script::Latn
        } else {
            Script::Arab
        }
    }

    /// Whether both Cyrillic and Latin letters are present.
    pub fn is_mixed(&self) -> bool {
        self.cyrl > 0 && self.latn > 0
    }
}

/// The dominant script of `text`'s letters.
pub fn dominant_script(text: &str) -> Script {
    ScriptCounts::of(text).dominant()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominant_script_of_texts() {
        assert_eq!(dominant_script("Тоқаев 2025"), Script::Cyrl);
        assert_eq!(dominant_script("Oʻzbekiston"), Script::Latn);
        assert_eq!(dominant_script("2025 — 11"), Script::Zyyy);
        assert!(ScriptCounts::of("МОSKVА").is_mixed());
        assert!(!ScriptCounts::of("Москва-Moscow").cyrl.eq(&0));
    }

    #[test]
    fn fast_answers_match_the_unicode_tables_for_every_char() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }
}
