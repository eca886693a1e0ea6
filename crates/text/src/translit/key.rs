//! The matching key: one Latin spelling for a name however it was written, for search and
//! entity linking.
//!
//! `Тоқаев`, `Тўқаев`, `Токаев`, `Tokayev` all give `tokayev`; `Tokaev` and `Toqajew` give
//! `tokaev` and `tokajev`, half an edit away. The key is built in one pass over the word, in the
//! spirit of the JRC-Names normalization: lowercase; write every Cyrillic letter of every
//! language xabar reads in Latin, and every Latin letter without its diacritics; then fold the
//! spellings that transliteration standards disagree on into one:
//!
//! - `q` `қ` → `k`; `w` → `v`; `x` `kh` `х` `ҳ` `һ` → `h` (pinyin `xi` at a word start → `si`);
//!   `ğ` `gh` `ғ` → `g`; `ph` → `f`; `th` → `t`; `ñ` `ң` → `n`;
//! - `sh` `sch` `ş` `š` `sz` `ш` `щ` → `s`; `ts` `tz` `ц` → `s`; `ch` `ç` `č` `cz` `tsch` `ч` →
//!   `c`; a plain `c` is `s` before `e i y` and `k` elsewhere;
//! - `zh` `ž` `ж` `ҷ` `j` → `j`, and `dj` `dzh` `дж` → `j`; Chinese `цз` → `j`;
//! - `ä` `ә` → `a`; `ö` `ө` `ў` `oʻ` → `o`; `ü` `ұ` `ү` `ӯ` → `u`; `ı` `і` `ы` `ӣ` → `i`;
//!   `э` `є` → `e`; a Latin `y` next to no vowel is `i` (`Kyrgyz` = `Кыргыз`);
//! - Cyrillic `е` after a vowel or sign is `ye` (`Токаев` = `Tokayev`), `ye` at a word start is
//!   `e` (`Yeltsin` = `Ельцин`), a word-initial `i` before a vowel is `y` (Kazakh 2021 `İa` =
//!   `Ya`); `u` after a vowel is `v` (`Moskau`, Kazakh `tau`); a final `iy`, `ij`, `yj` is `i`;
//!   a final `ng` is `n`;
//! - doubled letters are written once; `ъ` `ь`, apostrophes, hyphens and punctuation vanish.
//!
//! Vowel quality is kept: Uzbek `Toshkent` and Russian `Ташкент` differ in one vowel, which
//! [`key_similarity`] counts as half an edit. Keys of the same name in different scripts are
//! therefore equal or close, and [`KEY_MATCH_THRESHOLD`] separates close from different.
//!
//! This is a matching device, not a transliteration: it is lossy by design and never shown
//! to users; see [`super::Transliterator`] for text people read.

/// Two keys whose [`key_similarity`] reaches this value are taken to name the same thing.
///
/// Chosen on the table test of this module: spelling variants of one name score 0.83 and
/// above (`Москва`/`Moscow`, `Астана`/`Остона`), different names 0.80 and below (`Xitoy`/
/// `Sitoy` 0.80, `Назарбаев`/`Назаров` 0.75, `Токаев`/`Тоқтаров` 0.69). Names that share most
/// of their letters (`Мирзиёев`/`Мирзаев`, 0.85) are beyond what a spelling key can tell
/// apart; that is left to context.
pub const KEY_MATCH_THRESHOLD: f64 = 0.82;

/// The script-independent matching key of one word (a name or any token).
///
/// Returns lowercase ASCII for Latin and Cyrillic words; letters of other scripts are kept
/// lowercased. Digits are kept; everything that is not a letter or digit is dropped. The only
/// allocation is the returned string.
pub fn key(word: &str) -> String {
    let mut key = KeyWriter {
        out: Vec::with_capacity(word.len() + 2),
    };
    let mut rest = word;
    let mut after_sign = false;
    while let Some((c, len)) = next_base(rest) {
        rest = &rest[len..];
        let sign = matches!(c, 'ъ' | 'ь');
        match c {
            // Latin letters and their digraphs.
            'a' | 'b' | 'd' | 'e' | 'f' | 'i' | 'l' | 'm' | 'n' | 'o' | 'r' | 'u' | 'v' | 'y' => {
                key.push(c as u8)
            }
            'g' | 'k' | 'p' | 'z' => {
                let (folded, digraph) = match (c, peek(rest)) {
                    ('g', Some('h')) => (b'g', true),
                    ('k', Some('h')) => (b'h', true),
                    ('p', Some('h')) => (b'f', true),
                    ('z', Some('h')) => (b'j', true),
                    _ => (c as u8, false),
                };
                if digraph {
                    rest = skip(rest, 1);
                }
                key.push(folded);
            }
            'c' => match peek(rest) {
                Some('h' | 'z') => {
                    rest = skip(rest, 1);
                    key.push(b'c');
                }
                Some('e' | 'i' | 'y') => key.push(b's'),
                _ => key.push(b'k'),
            },
            's' => {
                if starts_with(rest, "ch") {
                    rest = skip(rest, 2);
                } else if matches!(peek(rest), Some('h' | 'z')) {
                    rest = skip(rest, 1);
                }
                key.push(b's');
            }
            't' => {
                if starts_with(rest, "sch") {
                    rest = skip(rest, 3);
                    key.push(b'c');
                } else if starts_with(rest, "ch") {
                    rest = skip(rest, 2);
                    key.push(b'c');
                } else if peek(rest) == Some('h') {
                    rest = skip(rest, 1);
                    key.push(b't');
                } else if peek(rest) == Some('z') {
                    rest = skip(rest, 1);
                    key.push(b's');
                } else {
                    key.push(b't');
                }
            }
            'h' => key.push(b'h'),
            'j' => key.push(b'j'),
            'q' => key.push(b'k'),
            'w' => key.push(b'v'),
            'x' => {
                // Pinyin x (Xi, Xiao, Xinhua) is what Russian writes с; Uzbek x (xabar, xil,
                // Xitoy) is х. Only a word-initial xi before a vowel, n or the end is pinyin.
                let pinyin = key.out.is_empty()
                    && peek(rest) == Some('i')
                    && matches!(
                        peek(skip(rest, 1)),
                        None | Some('a' | 'e' | 'o' | 'u' | 'n')
                    );
                key.push(if pinyin { b's' } else { b'h' });
            }
            // Cyrillic, already folded to the Russian letter nearest in sound.
            'а' => key.push(b'a'),
            'б' => key.push(b'b'),
            'в' => key.push(b'v'),
            'г' => key.push(b'g'),
            'д' => key.push(b'd'),
            'е' | 'є' => {
                // Russian е after a vowel or a sign reads ye (Токаев = Tokayev); at a word
                // start the Latin ye is folded to e instead (Ельцин = Yeltsin).
                if key.out.last().is_some_and(|&l| is_vowel(l)) || after_sign {
                    key.push(b'y');
                }
                key.push(b'e');
            }
            'э' => key.push(b'e'),
            'ё' => {
                key.push(b'y');
                key.push(b'o');
            }
            'ж' => key.push(b'j'),
            'з' => key.push(b'z'),
            'и' | 'ы' => key.push(b'i'),
            'й' => key.push(b'y'),
            'к' => key.push(b'k'),
            'л' => key.push(b'l'),
            'м' => key.push(b'm'),
            'н' => key.push(b'n'),
            'о' => key.push(b'o'),
            'п' => key.push(b'p'),
            'р' => key.push(b'r'),
            'с' | 'ш' | 'щ' => key.push(b's'),
            'т' => key.push(b't'),
            'у' => key.push(b'u'),
            'ф' => key.push(b'f'),
            'х' => key.push(b'h'),
            'ц' => {
                // Russian writes Chinese j as цз (Цзиньпин = Jinping).
                if peek(rest) == Some('з') {
                    rest = skip(rest, 1);
                    key.push(b'j');
                } else {
                    key.push(b's');
                }
            }
            'ч' => key.push(b'c'),
            'ю' => {
                key.push(b'y');
                key.push(b'u');
            }
            'я' => {
                key.push(b'y');
                key.push(b'a');
            }
            '0'..='9' => key.out.push(c as u8),
            // Signs, apostrophes and punctuation carry no sound of their own.
            'ъ' | 'ь' => {}
            _ if c.is_alphabetic() && !is_modifier_letter(c) => {
                let mut buf = [0u8; 4];
                key.out
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            _ => {}
        }
        after_sign = sign;
    }
    key.finish()
}

struct KeyWriter {
    out: Vec<u8>,
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

impl KeyWriter {
    /// Appends one ASCII key letter, applying the folds that look back at what is written.
    fn push(&mut self, mut b: u8) {
        let n = self.out.len();
        if is_vowel(b) {
            if n == 1 && matches!(self.out[0], b'y' | b'i') && b == b'e' {
                // Yevgeniy = Евгений.
                self.out.pop();
            } else if n == 1 && self.out[0] == b'i' && b != b'i' {
                // Kazakh 2021 writes я as İa: Ialta = Yalta.
                self.out[0] = b'y';
            }
            if b == b'u' && self.out.last().is_some_and(|&l| is_vowel(l)) {
                // Moskau ≈ Moskva, Kazakh tau ≈ Uzbek tov.
                b = b'v';
            }
        } else if n >= 1 && self.out[n - 1] == b'y' && (n == 1 || !is_vowel(self.out[n - 2])) {
            // A y between consonants is a vowel: Kyrgyz, Kassym, Ysyk.
            self.out[n - 1] = b'i';
        }
        if b == b'j' && self.out.last() == Some(&b'd') {
            // dj, dzh, дж = j.
            self.out.pop();
        } else if b == b's' && self.out.last() == Some(&b't') {
            // ts, тс = ц = s.
            self.out.pop();
        }
        if self.out.last() != Some(&b) {
            self.out.push(b);
        }
    }

    fn finish(mut self) -> String {
        let n = self.out.len();
        if n >= 2 && self.out[n - 1] == b'j' && matches!(self.out[n - 2], b'i' | b'y') {
            // Selenskyj, Dmitrij.
            self.out.pop();
        }
        if self.out.last() == Some(&b'y') && self.out.len() >= 2 {
            self.out.pop();
            if self.out.last() != Some(&b'i') {
                self.out.push(b'i');
            }
        }
        let n = self.out.len();
        if n >= 3 && self.out[n - 2..] == *b"ng" {
            // Jinping = Цзиньпин.
            self.out.pop();
        }
        // Only whole chars were ever written or removed, so this cannot fail.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

fn is_modifier_letter(c: char) -> bool {
    matches!(c, '\u{02B0}'..='\u{02FF}')
}

/// The next char of `s` folded to a base letter (lowercase, diacritics stripped, Cyrillic
/// letters of kk uz ky tg uk sr mk mapped to the nearest Russian letter), with its byte length.
fn next_base(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    let &first = bytes.first()?;
    // Combining diacritics U+0300..U+036F start with byte 0xCC or 0xCD.
    let mark_follows = |at: usize| matches!(bytes.get(at), Some(0xCC | 0xCD));
    if first.is_ascii() && !mark_follows(1) {
        return Some(((first as char).to_ascii_lowercase(), 1));
    }
    let mut chars = s.chars();
    let mut c = chars.next()?;
    let mut len = c.len_utf8();
    // A decomposed letter (и + breve = й): compose, so that raw NFD text keys like NFC.
    if mark_follows(len)
        && let Some(mark) = chars.next()
        && let Some(composed) = unicode_normalization::char::compose(c, mark)
    {
        c = composed;
        len += mark.len_utf8();
    }
    Some((fold_char(c), len))
}

/// Lowercase of `c`, with a fast path for the basic Cyrillic block.
pub(crate) fn lowercase(c: char) -> char {
    let code = c as u32;
    let lower = match code {
        0x0041..=0x005A | 0x0410..=0x042F => code + 0x20,
        0x0400..=0x040F => code + 0x50,
        0x0000..=0x007F | 0x0430..=0x045F => code,
        _ => {
            let mut l = c.to_lowercase();
            // İ lowercases to i + combining dot: keep the i.
            return l.next().unwrap_or(c);
        }
    };
    char::from_u32(lower).unwrap_or(c)
}

fn fold_char(c: char) -> char {
    let lower = lowercase(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'æ' | 'ә' => 'a',
        'ç' | 'ć' | 'č' | 'ћ' => 'ч',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ĝ' | 'ġ' | 'ģ' | 'ғ' | 'ґ' | 'ѓ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'і' | 'ї' | 'ӣ' => 'i',
        'ķ' | 'қ' | 'ќ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ł' | 'љ' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ң' | 'њ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'œ' | 'ө' | 'ў' => 'o',
        'ŕ' | 'ř' => 'r',
        'ś' | 'ş' | 'š' | 'ș' | 'ß' => 'ш',
        'ţ' | 'ť' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ү' | 'ұ' | 'ӯ' => {
            'u'
        }
        'ý' | 'ÿ' | 'ј' => 'y',
        'ź' | 'ż' | 'ѕ' => 'z',
        'ž' | 'ҷ' | 'џ' | 'ђ' => 'ж',
        'һ' | 'ҳ' => 'х',
        other => other,
    }
}

/// The next char of `s` as a base letter, without consuming it.
fn peek(s: &str) -> Option<char> {
    next_base(s).map(|(c, _)| c)
}

/// `s` without its first `n` chars (as [`next_base`] reads them).
fn skip(mut s: &str, n: usize) -> &str {
    for _ in 0..n {
        match next_base(s) {
            Some((_, len)) => s = &s[len..],
            None => break,
        }
    }
    s
}

/// Whether the base letters of `s` start with the ASCII `prefix`.
fn starts_with(s: &str, prefix: &str) -> bool {
    let mut rest = s;
    for expected in prefix.chars() {
        match next_base(rest) {
            Some((c, len)) if c == expected => rest = &rest[len..],
            _ => return false,
        }
    }
    true
}

/// How alike two keys are, from 0 (nothing alike) to 1 (equal).
///
/// One minus a weighted edit distance divided by the longer key's length. Edits that spelling
/// variants of one name make cost half: a vowel for another vowel (`Toshkent`/`Tashkent`), a
/// vowel, `y` or `h` inserted or dropped, and the pairs `b`/`p`, `d`/`t`, `g`/`k`, `s`/`z`,
/// `v`/`f`, `j`/`y`, `k`/`h`. Every other edit costs one.
pub fn key_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_ascii() && b.is_ascii() {
        similarity_of(a.as_bytes(), b.as_bytes(), |&x| x as u32)
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        similarity_of(&a, &b, |&x| x as u32)
    }
}

/// The [`key_similarity`] of the keys of two words.
pub fn word_similarity(a: &str, b: &str) -> f64 {
    key_similarity(&key(a), &key(b))
}

fn is_vowel_code(c: u32) -> bool {
    matches!(char::from_u32(c), Some('a' | 'e' | 'i' | 'o' | 'u'))
}

fn indel_cost(c: u32) -> f32 {
    if is_vowel_code(c) || c == 'y' as u32 || c == 'h' as u32 {
        0.5
    } else {
        1.0
    }
}

fn substitution_cost(x: u32, y: u32) -> f32 {
    if x == y {
        return 0.0;
    }
    let vowelish = |c: u32| is_vowel_code(c) || c == 'y' as u32;
    if vowelish(x) && vowelish(y) {
        return 0.5;
    }
    let (lo, hi) = if x < y { (x, y) } else { (y, x) };
    let pair = (
        char::from_u32(lo).unwrap_or('\0'),
        char::from_u32(hi).unwrap_or('\0'),
    );
    match pair {
        ('b', 'p')
        | ('d', 't')
        | ('g', 'k')
        | ('s', 'z')
        | ('f', 'v')
        | ('j', 'y')
        | ('h', 'k') => 0.5,
        _ => 1.0,
    }
}

fn similarity_of<T>(a: &[T], b: &[T], code: impl Fn(&T) -> u32) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    // One DP row, on the stack for the keys of ordinary words.
    let mut stack = [0f32; 48];
    let mut heap = Vec::new();
    let row: &mut [f32] = if b.len() < stack.len() {
        &mut stack[..=b.len()]
    } else {
        heap.resize(b.len() + 1, 0.0);
        &mut heap
    };
    row[0] = 0.0;
    for j in 1..=b.len() {
        row[j] = row[j - 1] + indel_cost(code(&b[j - 1]));
    }
    for x in a {
        let cx = code(x);
        let mut diagonal = row[0];
        row[0] += indel_cost(cx);
        for j in 1..=b.len() {
            let cy = code(&b[j - 1]);
            let best = (diagonal + substitution_cost(cx, cy))
                .min(row[j] + indel_cost(cx))
                .min(row[j - 1] + indel_cost(cy));
            diagonal = row[j];
            row[j] = best;
        }
    }
    let distance = f64::from(row[b.len()]);
    (1.0 - distance / longest as f64).clamp(0.0, 1.0)
}
