//! The two spellings the knowledge base indexes an alias by: the case-folded text, for exact
//! matches, and the matching key of every word, for matches across scripts and standards.
//!
//! A linker must look names up through these same functions, so that a mention and an alias
//! written the same way always meet in the index.

use xabar_text::translit;

/// The exact-match form of a name: lowercase, `ё` as `е`, every apostrophe as `ʻ`, every
/// dash as `-`, whitespace runs as one space, no leading or trailing space.
///
/// Lowercasing is the same in every language, with `I`, `İ` and `ı` all folded to `i`:
/// Turkish and Kazakh Latin all-caps headlines (`TÜRKISTAN`) then meet their lowercase
/// spelling (`Türkıstan`), at the price of not telling `ı` from `i`, which no two names in
/// the knowledge base differ by.
///
/// ```
/// use xabar_annotate::kb::fold;
///
/// assert_eq!(fold("O‘zbekiston"), fold("Oʻzbekiston"));
/// assert_eq!(fold("  ЁЛКА   Ёлка "), "елка елка");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            'I' | 'İ' | 'ı' => out.push('i'),
            'Ё' | 'ё' => out.push('е'),
            // Every way scraped text writes the Uzbek ʻ and the tutuq belgisi.
            '\'' | '‘' | '’' | 'ʼ' | '`' | 'ʹ' | 'ʻ' | '′' | '´' => out.push('ʻ'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => out.push('-'),
            _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The script-independent key of a name: the [`translit::key`] of each whitespace-separated
/// word, joined by single spaces (words without letters or digits are left out).
///
/// `Қасым-Жомарт Тоқаев`, `Касым-Жомарт Токаев` and `Kassym-Jomart Tokayev` share one key;
/// a hyphenated word stays one word, as the key drops the hyphen.
///
/// ```
/// use xabar_annotate::kb::name_key;
///
/// assert_eq!(name_key("Тоқаев"), name_key("Tokayev"));
/// assert_eq!(name_key("Қасым-Жомарт  Тоқаев"), name_key("Kassym-Jomart Tokayev"));
/// ```
pub fn name_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let key = translit::key(word);
        if key.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&key);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_meets_spelling_variants() {
        for (a, b) in [
            ("Oʻzbekiston", "O'zbekiston"),
            ("Oʻzbekiston", "O’zbekiston"),
            ("Oʻzbekiston", "OʼZBEKISTON"),
            ("Türkıstan", "TÜRKISTAN"),
            ("İstanbul", "ISTANBUL"),
            ("Алёна", "АЛЕНА"),
            ("Нью–Йорк", "нью-йорк"),
            ("Российская\u{a0}газета", "российская газета"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} vs {b}");
        }
        assert_ne!(fold("Россия"), fold("Русия"));
    }

    #[test]
    fn name_key_is_per_word() {
        assert_eq!(name_key("Тўқаев"), "tokayev");
        assert_eq!(name_key("Toqajew"), translit::key("Toqajew"));
        assert_eq!(
            name_key("Владимир Владимирович Путин"),
            name_key("Vladimir Vladimirovich Putin")
        );
        assert_eq!(name_key(" — "), "");
    }
}
