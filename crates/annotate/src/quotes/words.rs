//! The little tokenizer the quotation finder reads attributions with: words with their byte
//! offsets and folded keys, and the punctuation between them.
//!
//! It is only run on the few dozen bytes around a quotation, so it may allocate; the scan
//! for quote marks over the whole text does not use it.

use super::lexicon::{Lexicon, fold};

/// A word or a punctuation mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// First byte in the text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The folded word; empty for punctuation.
    pub key: String,
    /// The punctuation character; `None` for a word.
    pub punct: Option<char>,
    /// Whether the word starts with an upper-case letter (or is all digits and capitals).
    pub capitalized: bool,
}

impl Token {
    pub(crate) fn is_word(&self) -> bool {
        self.punct.is_none()
    }

    pub(crate) fn is_punct(&self, c: char) -> bool {
        self.punct == Some(c)
    }
}

/// Characters that may join two parts of one word ("Қасым-Жомарт", "oʻz", "U.S", "don't").
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '\'' | '‘' | '’' | 'ʻ' | 'ʼ' | '`' | '.' | '+' | '&'
    )
}

/// Tokens of `text[from..to]` (byte offsets on char boundaries).
pub(crate) fn tokenize(text: &str, from: usize, to: usize) -> Vec<Token> {
    tokenize_where(text, from, to, |_| true)
}

/// The tokens of [`tokenize`] whose first byte passes `keep`; the others are not folded.
pub(crate) fn tokenize_where(
    text: &str,
    from: usize,
    to: usize,
    keep: impl Fn(usize) -> bool,
) -> Vec<Token> {
    scan(text, from, to, keep, true)
}

/// The tokens of [`tokenize`] with every `key` left empty, for a caller that reads only a few
/// of them: it folds those itself (`fold(&text[t.start..t.end])` is the key).
pub(crate) fn tokenize_unfolded(text: &str, from: usize, to: usize) -> Vec<Token> {
    scan(text, from, to, |_| true, false)
}

/// The tokenizer itself: the tokens starting at a byte `keep` passes, words folded when
/// `fold_keys`.
fn scan(
    text: &str,
    from: usize,
    to: usize,
    keep: impl Fn(usize) -> bool,
    fold_keys: bool,
) -> Vec<Token> {
    let Some(slice) = text.get(from..to) else {
        return Vec::new();
    };
    let mut tokens = Vec::with_capacity(slice.len() / 5 + 1);
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || is_combining(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else if is_joiner(d) {
                    // A joiner belongs to the word only when a letter or digit follows it.
                    let after = slice[j + d.len_utf8()..].chars().next();
                    if after.is_some_and(char::is_alphanumeric) {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            if !keep(from + start) {
                continue;
            }
            let word = &slice[start..end];
            tokens.push(Token {
                start: from + start,
                end: from + end,
                key: if fold_keys { fold(word) } else { String::new() },
                punct: None,
                capitalized: word.chars().next().is_some_and(|c| c.is_uppercase()),
            });
        } else if keep(from + i) {
            tokens.push(Token {
                start: from + i,
                end: from + i + c.len_utf8(),
                key: String::new(),
                punct: Some(c),
                capitalized: false,
            });
        }
    }
    tokens
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Whether the period token at `i` closes an abbreviation ("Mr.", "Sen.", "G.K.") rather
/// than a sentence.
pub(crate) fn period_is_abbreviation(tokens: &[Token], i: usize, lexicon: &Lexicon) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|p| tokens.get(p)) else {
        return false;
    };
    if !prev.is_word() || prev.end != tokens[i].start {
        return false;
    }
    let letters = prev.key.chars().filter(|c| c.is_alphabetic()).count();
    lexicon.is_abbreviation(&prev.key)
        || (letters == 1 && prev.capitalized)
        || prev.key.contains('.')
}

/// Whether the token is punctuation that ends a clause for the speaker-phrase reader.
pub(crate) fn breaks_phrase(tokens: &[Token], i: usize, lexicon: &Lexicon) -> bool {
    match tokens[i].punct {
        None => false,
        Some('.') => !period_is_abbreviation(tokens, i, lexicon),
        // A hyphen or apostrophe left alone is noise, not a break.
        Some('\'') | Some('’') => false,
        Some(_) => true,
    }
}
