//! A stemmer driven by a table of suffixes grouped in slots, for agglutinative languages
//! (Kazakh, Uzbek, Kyrgyz, Tajik) for which no Snowball algorithm exists.
//!
//! A Turkic noun stacks its endings in a fixed order — stem, plural, possessive, case — so the
//! stemmer peels them from the right in the reverse order: at most one suffix per slot, slots
//! in the order the table lists them (outermost first), the longest suffix of a slot that fits.
//! A suffix fits when what it leaves behind
//! - is at least the table's minimum stem length in letters (apostrophes and marks not counted),
//!   ends in a letter and still holds a vowel;
//! - ends in one of the letters or letter groups its `after=` condition names, when it has one
//!   (so `ты` is an accusative only after a voiceless consonant, and `Алматы` keeps its `-ты`),
//!   and in none that its `not=` condition names (so `-стан` is no ablative `-тан`).
//!
//! A word on the table's `keep` list is never cut, and no cut goes into a kept word that begins
//! another (`Ақордада` stops at `Ақорда`, `долларидан` at `доллар` rather than losing `-лари`):
//! that is how the few frequent words that merely look inflected stay whole.
//!
//! The table format (one item a line, `#` starts a comment):
//!
//! ```text
//! @script Cyrl                 script the suffixes are written in
//! @min 3                       shortest stem left after a cut, in letters
//! @vowels аеиоу                the vowels: class V, and what "holds a vowel" means
//! @syllabic иу                 letters that also make a stem "hold a vowel" without being in V
//!                              (Kazakh и and у are consonants to endings, vowels in Путин)
//! @class NAME LETTERS          another class of letters for `after=` conditions
//! @digraphs ye                Latin letter pairs that spell one letter of the table's script
//!                              beyond those the [latin] map makes (for the minimum length)
//! @restore FROM TO             after a cut of a suffix that starts with a vowel, a stem ending
//!                              in FROM ends in TO instead (Uzbek -лиги → -лик)
//! [case]                       a slot: every line up to the next [..] is one of its suffixes
//! даги                         a suffix with no condition
//! ни  after=V                  allowed after a vowel only
//! ка  after=к,г  min=4         after к or г, and leaving at least 4 letters
//! тан after=VOICELESS not=с    after a voiceless consonant other than с
//! [keep]                       words never cut into (lowercase)
//! [latin]                      letter pairs `CYRILLIC LATIN` (a lone letter maps to nothing):
//!                              the same table, transliterated, serves the Latin script too
//! ```
//!
//! The table is data, not code: the rules of a language live in `data/<lang>/suffixes.txt`.

use std::borrow::Cow;
use std::collections::HashMap;

use xabar_core::Script;

/// What is wrong with a suffix table; the line number is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// A line that fits no item of the format.
    #[error("line {line}: cannot read {text:?}: {why}")]
    BadLine {
        /// Where.
        line: usize,
        /// The line as written.
        text: String,
        /// What was expected.
        why: &'static str,
    },
    /// An `after=` condition names a class the table does not define.
    #[error("line {line}: unknown class {name:?} (define it with @class or @vowels first)")]
    UnknownClass {
        /// Where.
        line: usize,
        /// The name.
        name: String,
    },
    /// The Latin stemmer was asked for, but the `[latin]` section has no letter for `letter`.
    #[error("line {line}: no Latin letter for {letter:?} in the [latin] section")]
    NoLatin {
        /// Where the letter was used.
        line: usize,
        /// The letter.
        letter: char,
    },
    /// The table has no `@vowels` line.
    #[error("the table has no @vowels line")]
    NoVowels,
    /// The table is written in another script than the one asked for, and cannot be
    /// transliterated into it.
    #[error("the table is written in {table}; it cannot serve {wanted}")]
    WrongScript {
        /// The table's script.
        table: Script,
        /// The script asked for.
        wanted: Script,
    },
}

/// Stems one language in one script by stripping suffixes listed in a table (see the module
/// documentation for the table format and the algorithm).
#[derive(Debug, Clone)]
pub struct SuffixStemmer {
    slots: Vec<Slot>,
    /// Few enough to scan: a table keeps a handful of words.
    keep: Vec<String>,
    /// The first chars of the kept words, to pass most words by at once.
    keep_first: Vec<char>,
    /// Letters that make a stem hold a vowel: `@vowels` and `@syllabic`.
    vowels: Vec<char>,
    min_stem: usize,
    restore: Vec<(String, String)>,
    /// Latin spellings of one letter of the table's script, for counting letters.
    digraphs: Vec<String>,
}

/// The suffixes that may fill one position of the word.
#[derive(Debug, Clone)]
struct Slot {
    /// The suffixes grouped by their last char, so a word is compared only with those that end
    /// in its own last char; each group longest first, so the first that fits is the longest.
    by_last: Vec<(char, Vec<Suffix>)>,
}

#[derive(Debug, Clone)]
struct Suffix {
    text: String,
    /// The stem must end in one of these (with apostrophes folded); `None` for any.
    after: Option<Vec<String>>,
    /// The stem must not end in any of these.
    not: Vec<String>,
    min_stem: Option<usize>,
    starts_with_vowel: bool,
}

/// One parsed line, before transliteration.
struct RawSuffix {
    line: usize,
    text: String,
    after: Option<Vec<(usize, String)>>,
    not: Vec<(usize, String)>,
    min_stem: Option<usize>,
}

impl SuffixStemmer {
    /// Builds a stemmer for `script` from a table in the format of the module documentation: the
    /// table as written when `script` is the table's `@script`, or transliterated through its
    /// `[latin]` section when `script` is [`Script::Latn`].
    pub fn from_table(table: &str, script: Script) -> Result<SuffixStemmer, TableError> {
        Table::parse(table)?.stemmer(script)
    }
}

impl xabar_core::Stemmer for SuffixStemmer {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        let mut current = Cow::Borrowed(word);
        // The shortest the stem may get, in chars: the longest kept word that begins this one.
        let floor = self.kept_prefix_chars(word);
        for slot in &self.slots {
            let Some(last) = current.chars().next_back() else {
                break;
            };
            let Some((_, suffixes)) = slot.by_last.iter().find(|(c, _)| *c == last) else {
                continue;
            };
            let Some(suffix) = suffixes.iter().find(|s| {
                self.fits(&current, s)
                    && (floor == 0
                        || current[..current.len() - s.text.len()].chars().count() >= floor)
            }) else {
                continue;
            };
            let stem_len = current.len() - suffix.text.len();
            match &mut current {
                Cow::Borrowed(w) => *w = &w[..stem_len],
                Cow::Owned(w) => w.truncate(stem_len),
            }
            if suffix.starts_with_vowel {
                self.restore_alternation(&mut current);
            }
        }
        current
    }
}

impl SuffixStemmer {
    /// Whether `suffix` ends `word` and leaves a stem it may follow.
    fn fits(&self, word: &str, suffix: &Suffix) -> bool {
        let Some(stem) = word.strip_suffix(suffix.text.as_str()) else {
            return false;
        };
        if letters(stem, &self.digraphs) < suffix.min_stem.unwrap_or(self.min_stem) {
            return false;
        }
        // A stem ends in a letter: `бўлса-да` is a particle after a hyphen, not a locative.
        if !stem
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphabetic() || is_apostrophe(c))
        {
            return false;
        }
        if !stem.chars().any(|c| self.vowels.contains(&c)) {
            return false;
        }
        if suffix.not.iter().any(|e| ends_with_folded(stem, e)) {
            return false;
        }
        match &suffix.after {
            None => true,
            Some(endings) => endings.iter().any(|e| ends_with_folded(stem, e)),
        }
    }

    /// The length in chars of the longest kept word that `word` starts with; 0 for none.
    fn kept_prefix_chars(&self, word: &str) -> usize {
        let Some(first) = word.chars().next() else {
            return 0;
        };
        if !self.keep_first.contains(&first) && !is_apostrophe(first) {
            return 0;
        }
        let mut longest = 0;
        for kept in &self.keep {
            let mut chars = word.chars();
            let mut n = 0;
            let mut matched = true;
            for k in kept.chars() {
                match chars.next() {
                    Some(c) if c == k || (is_apostrophe(c) && is_apostrophe(k)) => n += 1,
                    _ => {
                        matched = false;
                        break;
                    }
                }
            }
            if matched {
                longest = longest.max(n);
            }
        }
        longest
    }

    /// Undoes a consonant alternation that a vowel-initial suffix caused (`-лиг` → `-лик`).
    fn restore_alternation(&self, stem: &mut Cow<'_, str>) {
        for (from, to) in &self.restore {
            if stem.ends_with(from.as_str()) {
                let mut owned = stem[..stem.len() - from.len()].to_string();
                owned.push_str(to);
                *stem = Cow::Owned(owned);
                return;
            }
        }
    }
}

/// A parsed table, in its own script.
struct Table {
    script: Script,
    min_stem: usize,
    vowels: Vec<char>,
    vowels_line: usize,
    syllabic: Vec<char>,
    digraphs: Vec<String>,
    slots: Vec<Vec<RawSuffix>>,
    keep: Vec<(usize, String)>,
    restore: Vec<(usize, String, String)>,
    latin: Option<HashMap<char, String>>,
}

impl Table {
    fn parse(text: &str) -> Result<Table, TableError> {
        let mut table = Table {
            script: Script::Zyyy,
            min_stem: 3,
            vowels: Vec::new(),
            vowels_line: 0,
            syllabic: Vec::new(),
            digraphs: Vec::new(),
            slots: Vec::new(),
            keep: Vec::new(),
            restore: Vec::new(),
            latin: None,
        };
        let mut classes: HashMap<String, Vec<String>> = HashMap::new();
        enum Section {
            None,
            Slot,
            Keep,
            Latin,
        }
        let mut section = Section::None;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let bad = |why| TableError::BadLine {
                line,
                text: raw.to_string(),
                why,
            };
            let mut fields = content.split_whitespace();
            let Some(head) = fields.next() else {
                continue;
            };
            if let Some(directive) = head.strip_prefix('@') {
                let args: Vec<&str> = fields.collect();
                match (directive, args.as_slice()) {
                    ("script", [code]) => {
                        table.script = code.parse().map_err(|_| bad("an ISO 15924 script code"))?;
                    }
                    ("min", [n]) => {
                        table.min_stem = n.parse().map_err(|_| bad("a number of letters"))?;
                    }
                    ("vowels", [letters]) => {
                        table.vowels = letters.chars().collect();
                        table.vowels_line = line;
                        classes.insert("V".into(), letters.chars().map(String::from).collect());
                    }
                    ("syllabic", [letters]) => table.syllabic = letters.chars().collect(),
                    ("digraphs", list) if !list.is_empty() => {
                        table.digraphs.extend(list.iter().map(|d| d.to_string()));
                    }
                    ("class", [name, letters]) => {
                        classes.insert(
                            (*name).to_string(),
                            letters.chars().map(String::from).collect(),
                        );
                    }
                    ("restore", [from, to]) => {
                        table.restore.push((line, (*from).into(), (*to).into()));
                    }
                    _ => {
                        return Err(bad(
                            "@script, @min, @vowels, @class NAME LETTERS or @restore FROM TO",
                        ));
                    }
                }
                continue;
            }
            if let Some(name) = head.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
                section = match name {
                    "keep" => Section::Keep,
                    "latin" => {
                        table.latin.get_or_insert_with(HashMap::new);
                        Section::Latin
                    }
                    _ => {
                        table.slots.push(Vec::new());
                        Section::Slot
                    }
                };
                continue;
            }
            match section {
                Section::None => return Err(bad("a [section] before the first entry")),
                Section::Keep => {
                    if fields.next().is_some() {
                        return Err(bad("one word a line"));
                    }
                    table.keep.push((line, fold_apostrophes(head)));
                }
                Section::Latin => {
                    let mut letters = head.chars();
                    let (Some(letter), None) = (letters.next(), letters.next()) else {
                        return Err(bad("one letter, then its Latin spelling"));
                    };
                    let latin = fields.next().unwrap_or("");
                    if fields.next().is_some() {
                        return Err(bad("one letter, then its Latin spelling"));
                    }
                    if let Some(map) = table.latin.as_mut() {
                        map.insert(letter, latin.to_string());
                    }
                }
                Section::Slot => {
                    if !head.chars().all(char::is_alphabetic) {
                        return Err(bad("a suffix of letters"));
                    }
                    let mut suffix = RawSuffix {
                        line,
                        text: head.to_string(),
                        after: None,
                        not: Vec::new(),
                        min_stem: None,
                    };
                    for field in fields {
                        if let Some(list) = field.strip_prefix("after=") {
                            suffix.after = Some(endings(list, line, &classes)?);
                        } else if let Some(list) = field.strip_prefix("not=") {
                            suffix.not = endings(list, line, &classes)?;
                        } else if let Some(n) = field.strip_prefix("min=") {
                            suffix.min_stem =
                                Some(n.parse().map_err(|_| bad("min=NUMBER of letters"))?);
                        } else {
                            return Err(bad("after=LIST, not=LIST or min=N after the suffix"));
                        }
                    }
                    if let Some(slot) = table.slots.last_mut() {
                        slot.push(suffix);
                    }
                }
            }
        }
        if table.vowels.is_empty() {
            return Err(TableError::NoVowels);
        }
        Ok(table)
    }

    /// The stemmer for `script`, transliterating every letter when it is not the table's own.
    fn stemmer(&self, script: Script) -> Result<SuffixStemmer, TableError> {
        let map: Option<&HashMap<char, String>> = if script == self.script {
            None
        } else {
            match (&self.latin, script) {
                (Some(map), Script::Latn) => Some(map),
                _ => {
                    return Err(TableError::WrongScript {
                        table: self.script,
                        wanted: script,
                    });
                }
            }
        };
        let convert = |line: usize, text: &str| -> Result<String, TableError> {
            let Some(map) = map else {
                return Ok(text.to_string());
            };
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if is_apostrophe(c) {
                    out.push(c);
                    continue;
                }
                match map.get(&c) {
                    Some(latin) => out.push_str(latin),
                    None => return Err(TableError::NoLatin { line, letter: c }),
                }
            }
            Ok(out)
        };
        let nuclei: Vec<char> = self.vowels.iter().chain(&self.syllabic).copied().collect();
        let vowels = match map {
            None => nuclei,
            // A Latin vowel is any single letter a vowel maps to (`ю` → `iu` counts `i`, `u`
            // only when they are vowels on their own).
            Some(_) => {
                let mut vowels = Vec::new();
                for v in &nuclei {
                    let latin = convert(self.vowels_line, &v.to_string())?;
                    let mut chars = latin.chars();
                    if let (Some(c), None) = (chars.next(), chars.next()) {
                        vowels.push(c);
                    }
                }
                vowels
            }
        };
        let vowel_set: Vec<String> = self
            .vowels
            .iter()
            .map(|v| convert(self.vowels_line, &v.to_string()))
            .collect::<Result<_, _>>()?;
        let mut slots = Vec::with_capacity(self.slots.len());
        for raw_slot in &self.slots {
            let mut suffixes = Vec::with_capacity(raw_slot.len());
            for raw in raw_slot {
                let text = convert(raw.line, &raw.text)?;
                let convert_all = |endings: &[(usize, String)]| -> Result<Vec<String>, TableError> {
                    let mut out = Vec::with_capacity(endings.len());
                    for (line, e) in endings {
                        let converted = convert(*line, e)?;
                        // A letter that maps to nothing (a soft sign) cannot end a stem.
                        if !converted.is_empty() && !out.contains(&converted) {
                            out.push(converted);
                        }
                    }
                    Ok(out)
                };
                let after = match &raw.after {
                    None => None,
                    Some(endings) => Some(convert_all(endings)?),
                };
                let not = convert_all(&raw.not)?;
                let starts_with_vowel = vowel_set.iter().any(|v| text.starts_with(v.as_str()));
                suffixes.push(Suffix {
                    text,
                    after,
                    not,
                    min_stem: raw.min_stem,
                    starts_with_vowel,
                });
            }
            suffixes.sort_by_key(|s| std::cmp::Reverse(s.text.len()));
            let mut by_last: Vec<(char, Vec<Suffix>)> = Vec::new();
            for suffix in suffixes {
                let Some(last) = suffix.text.chars().next_back() else {
                    continue;
                };
                match by_last.iter_mut().find(|(c, _)| *c == last) {
                    Some((_, group)) => group.push(suffix),
                    None => by_last.push((last, vec![suffix])),
                }
            }
            slots.push(Slot { by_last });
        }
        let keep = self
            .keep
            .iter()
            .map(|(line, w)| convert(*line, w))
            .collect::<Result<_, _>>()?;
        let restore = self
            .restore
            .iter()
            .map(|(line, from, to)| Ok((convert(*line, from)?, convert(*line, to)?)))
            .collect::<Result<_, TableError>>()?;
        // Letters the map spells with several (ш → sh), and the table's extra ones (е → ye),
        // longest first; the table's own script needs none.
        let mut digraphs: Vec<String> = match map {
            None => Vec::new(),
            Some(map) => map
                .values()
                .chain(&self.digraphs)
                .filter(|v| v.chars().count() > 1)
                .cloned()
                .collect(),
        };
        digraphs.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        digraphs.dedup();
        let keep: Vec<String> = keep;
        let mut keep_first: Vec<char> = keep.iter().filter_map(|k| k.chars().next()).collect();
        keep_first.sort_unstable();
        keep_first.dedup();
        Ok(SuffixStemmer {
            slots,
            keep,
            keep_first,
            vowels,
            min_stem: self.min_stem,
            digraphs,
            restore,
        })
    }
}

/// The endings a comma-separated `after=`/`not=` list names: class names (starting with an
/// ASCII capital) expand to their letters, anything else is a literal ending.
fn endings(
    list: &str,
    line: usize,
    classes: &HashMap<String, Vec<String>>,
) -> Result<Vec<(usize, String)>, TableError> {
    let mut out = Vec::new();
    for item in list.split(',').filter(|i| !i.is_empty()) {
        if item.starts_with(|c: char| c.is_ascii_uppercase()) {
            let class = classes.get(item).ok_or_else(|| TableError::UnknownClass {
                line,
                name: item.to_string(),
            })?;
            out.extend(class.iter().map(|l| (line, l.clone())));
        } else {
            out.push((line, fold_apostrophes(item)));
        }
    }
    Ok(out)
}

/// Apostrophe-like characters, which raw and normalized Uzbek text use for the same thing.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{02B9}' | '\u{02BB}' | '\u{02BC}'
    )
}

/// `word` with every apostrophe-like character as `ʻ` (U+02BB).
fn fold_apostrophes(word: &str) -> String {
    word.chars()
        .map(|c| if is_apostrophe(c) { '\u{02BB}' } else { c })
        .collect()
}

/// Whether `stem` ends in `ending`, any apostrophe matching any other.
fn ends_with_folded(stem: &str, ending: &str) -> bool {
    let mut s = stem.chars().rev();
    for e in ending.chars().rev() {
        match s.next() {
            Some(c) if c == e || (is_apostrophe(c) && is_apostrophe(e)) => {}
            _ => return false,
        }
    }
    true
}

/// The number of letters in `stem`, as the table's own script counts them: apostrophes, marks
/// and the Cyrillic hard and soft signs do not count, and a digraph that spells one letter of the
/// table's script (`sh` for ш) counts once, so a stem is as long in Latin as in Cyrillic.
fn letters(stem: &str, digraphs: &[String]) -> usize {
    let mut count = 0;
    let mut rest = stem;
    while let Some(c) = rest.chars().next() {
        // `yo` before an apostrophe is y + oʻ (йў), not ё; `ya` before one is я + ъ.
        let spells_one = |d: &&String| {
            let Some(after) = rest.strip_prefix(d.as_str()) else {
                return false;
            };
            let (Some(last), Some(next)) = (d.chars().next_back(), after.chars().next()) else {
                return true;
            };
            !(is_apostrophe(next)
                && digraphs.iter().any(|e| {
                    let mut e = e.chars();
                    e.next() == Some(last)
                        && e.next().is_some_and(is_apostrophe)
                        && e.next().is_none()
                }))
        };
        if let Some(d) = digraphs.iter().find(spells_one) {
            rest = &rest[d.len()..];
            count += 1;
            continue;
        }
        rest = &rest[c.len_utf8()..];
        if c.is_alphabetic() && !is_apostrophe(c) && !matches!(c, 'ъ' | 'ь' | 'Ъ' | 'Ь') {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use xabar_core::Stemmer;

    use super::*;

    const TOY: &str = "
        @script Cyrl
        @min 2
        @vowels аоы
        @class VOICELESS кт
        @restore г к
        [case]
        да
        та after=VOICELESS not=т  # a comment
        [possessive]
        ы after=г min=3
        [plural]
        лар
        [keep]
        ода
        [latin]
        а a
        о o
        д d
        т t
        к k
        г g
        л l
        р r
        ы y
    ";

    #[test]
    fn slots_conditions_keep_and_restore() {
        let s = SuffixStemmer::from_table(TOY, Script::Cyrl).unwrap();
        assert_eq!(s.stem("колларда"), "кол");
        assert_eq!(s.stem("кокта"), "кок");
        assert_eq!(s.stem("коктта"), "коктта", "not after т");
        assert_eq!(s.stem("кодта"), "кодта", "та needs a voiceless consonant");
        assert_eq!(s.stem("кода"), "ко", "a two-letter stem is allowed here");
        assert_eq!(s.stem("ода"), "ода", "kept");
        assert_eq!(s.stem("одалар"), "ода", "cutting stops at a kept word");
        assert_eq!(s.stem("одада"), "ода", "a cut may not go into a kept word");
        assert_eq!(s.stem("оаргы"), "оарк", "alternation restored");
        assert_eq!(s.stem("агы"), "агы", "min=3 overrides the table's minimum");
        assert_eq!(s.stem("кт"), "кт");
        assert_eq!(s.stem(""), "");
        assert!(matches!(s.stem("колла"), Cow::Borrowed(_)));
        let latin = SuffixStemmer::from_table(TOY, Script::Latn).unwrap();
        assert_eq!(latin.stem("kollarda"), "kol");
        assert_eq!(latin.stem("oda"), "oda");
        assert_eq!(latin.stem("oargy"), "oark");
        assert!(matches!(
            SuffixStemmer::from_table(TOY, Script::Arab),
            Err(TableError::WrongScript { .. })
        ));
    }

    #[test]
    fn bad_tables_say_where() {
        let err =
            SuffixStemmer::from_table("@vowels а\n[case]\nда after=X\n", Script::Cyrl).unwrap_err();
        assert_eq!(
            err,
            TableError::UnknownClass {
                line: 3,
                name: "X".into()
            }
        );
        let err = SuffixStemmer::from_table("@vowels а\nда\n", Script::Cyrl).unwrap_err();
        assert!(matches!(err, TableError::BadLine { line: 2, .. }));
        let err = SuffixStemmer::from_table(
            "@script Cyrl\n@vowels а\n[c]\nда\n[latin]\nа a\n",
            Script::Latn,
        )
        .unwrap_err();
        assert_eq!(
            err,
            TableError::NoLatin {
                line: 4,
                letter: 'д'
            }
        );
        let err = SuffixStemmer::from_table("@script Cyrl\n@vowels а\n", Script::Latn).unwrap_err();
        assert!(matches!(err, TableError::WrongScript { .. }));
    }

    #[test]
    fn apostrophes_fold_in_conditions() {
        assert!(ends_with_folded("bog'", "gʻ"));
        assert!(ends_with_folded("bogʼ", "gʻ"));
        assert!(!ends_with_folded("bo", "gʻ"));
        assert_eq!(letters("oʻzb\u{301}", &[]), 3);
        assert_eq!(letters("ваъ", &[]), 2);
        let digraphs = ["sh".to_string(), "oʻ".to_string()];
        assert_eq!(letters("oʻsh", &digraphs), 2);
        assert_eq!(letters("yosh", &digraphs), 3);
        let digraphs = ["oʻ".to_string(), "yo".to_string()];
        assert_eq!(letters("yoʻl", &digraphs), 3);
        assert_eq!(letters("yol", &digraphs), 2);
        let digraphs = ["oʻ".to_string(), "ya".to_string()];
        assert_eq!(letters("yaʼn", &digraphs), 2);
    }
}
