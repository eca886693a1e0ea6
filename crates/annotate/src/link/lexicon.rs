//! The language data of linking, read once from `data/link/` and `data/roles/`: how name words
//! lose their inflection, what surnames and patronymics end in, and the words for roles,
//! titles and nationalities. The formats are documented in the files' headers and in
//! `data/roles/README.md`.
//!
//! Every file is compiled in and parsed by the tests, so a malformed line is a build defect;
//! at run time such a line is skipped rather than stopping analysis.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::str::FromStr;
use std::sync::LazyLock;

use xabar_core::{Language, Script};
use xabar_text::translit::Transliterator;

use crate::kb::Role;

/// How the words of one language lose their inflection (see `data/link/inflection.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inflection {
    pub method: Method,
    /// Endings, longest first.
    pub endings: Vec<String>,
    /// Letters cut from the end one by one after the ending (Slavic).
    pub strip: Vec<char>,
    /// The fewest letters a base keeps.
    pub min: usize,
    /// Whether everything from an apostrophe on is cut (`Putin's`, `Rusya'ya`).
    pub cut_apostrophe: bool,
}

/// The ways a language's words are brought to their base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// The suffix stemmer of xabar-text.
    Stemmer,
    /// Cut the longest ending, then trailing vowels and soft signs.
    Slavic,
    /// Cut one ending, at most twice.
    German,
    /// Keep the word.
    None,
}

impl Default for Inflection {
    fn default() -> Inflection {
        Inflection {
            method: Method::None,
            endings: Vec::new(),
            strip: Vec::new(),
            min: 3,
            cut_apostrophe: false,
        }
    }
}

/// A malformed line of a compiled-in data file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {message}")]
pub(crate) struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

const INFLECTION_FILE: &str = include_str!("../../data/link/inflection.txt");
const NAMES_FILE: &str = include_str!("../../data/link/names.txt");
const STOP_FILE: &str = include_str!("../../data/link/stop.txt");

/// The role files, one per language, with the script their words are written in.
const ROLE_FILES: &[(Language, &str, &str)] = &[
    (
        Language::Ru,
        "roles/ru.txt",
        include_str!("../../data/roles/ru.txt"),
    ),
    (
        Language::Uk,
        "roles/uk.txt",
        include_str!("../../data/roles/uk.txt"),
    ),
    (
        Language::Bg,
        "roles/bg.txt",
        include_str!("../../data/roles/bg.txt"),
    ),
    (
        Language::Kk,
        "roles/kk.txt",
        include_str!("../../data/roles/kk.txt"),
    ),
    (
        Language::Uz,
        "roles/uz.txt",
        include_str!("../../data/roles/uz.txt"),
    ),
    (
        Language::Ky,
        "roles/ky.txt",
        include_str!("../../data/roles/ky.txt"),
    ),
    (
        Language::Tg,
        "roles/tg.txt",
        include_str!("../../data/roles/tg.txt"),
    ),
    (
        Language::Tr,
        "roles/tr.txt",
        include_str!("../../data/roles/tr.txt"),
    ),
    (
        Language::De,
        "roles/de.txt",
        include_str!("../../data/roles/de.txt"),
    ),
    (
        Language::En,
        "roles/en.txt",
        include_str!("../../data/roles/en.txt"),
    ),
];

/// Languages whose role words are written in Cyrillic and also read in the Latin alphabet:
/// their Latin spellings are made when loading.
const LATIN_TOO: &[Language] = &[Language::Kk, Language::Uz];

/// Everything `data/link/` and `data/roles/` hold, parsed.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub inflection: HashMap<Language, Inflection>,
    /// Surname endings, lowercase.
    pub surname_endings: Endings,
    /// Patronymic endings, lowercase.
    pub patronymic_endings: Endings,
    /// Lowercase words inside names that do not end one.
    pub particles: HashSet<String>,
    /// Lowercase words a name rule never starts on.
    pub not_name: HashSet<String>,
    /// Lowercase words that are never a name by themselves at a sentence start, per language.
    pub stop: HashMap<Language, HashSet<String>>,
    /// Lowercase words that are a name by themselves only where the tagger says so.
    pub confirm: HashMap<Language, HashSet<String>>,
    /// Lowercase words that are never a name by themselves (months, portal words).
    pub never: HashMap<Language, HashSet<String>>,
    /// Role phrases per language, as raw phrases (their keys are made by `roles`, which needs
    /// the inflection tables this lexicon holds).
    pub roles: Vec<RolePhrase>,
    /// Lines that did not parse (empty with the shipped data; a test checks).
    pub errors: Vec<DataError>,
}

/// A fast hasher for the compiled-in tables (a multiply-rotate hash in the manner of FxHash):
/// their keys come from xabar's own data, so the flooding that SipHash guards against is not a
/// concern, and text looked up in them is never inserted.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct TableHasher(u64);

impl TableHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for TableHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map of a compiled-in table.
pub(crate) type TableMap<K, V> = HashMap<K, V, BuildHasherDefault<TableHasher>>;

/// A set of a compiled-in table.
pub(crate) type TableSet<K> = HashSet<K, BuildHasherDefault<TableHasher>>;

/// A set of word endings, matched by looking the last few letters of a word up, not by
/// comparing every ending.
#[derive(Debug, Default)]
pub(crate) struct Endings {
    set: TableSet<String>,
    longest: usize,
}

impl Endings {
    fn insert(&mut self, ending: String) {
        self.longest = self.longest.max(ending.chars().count());
        self.set.insert(ending);
    }

    /// Whether lowercase `word` ends in one of the endings and keeps three letters before it.
    pub fn end(&self, word: &str) -> bool {
        let mut letters = 0;
        let total = word.chars().count();
        for (at, _) in word.char_indices().rev() {
            letters += 1;
            if letters > self.longest || total - letters < 3 {
                return false;
            }
            if self.set.contains(&word[at..]) {
                return true;
            }
        }
        false
    }
}

/// What a role phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleMeaning {
    /// An office of the knowledge base.
    Office(Role),
    /// A title with no office of its own (minister, director, political scientist).
    Title,
    /// A nationality adjective: the country, as an id without `kb:`.
    Nation(&'static str),
}

/// One phrase of a role file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RolePhrase {
    pub language: Language,
    pub script: Script,
    pub phrase: String,
    pub meaning: RoleMeaning,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::shipped);

impl Lexicon {
    fn shipped() -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon.read_inflection();
        lexicon.read_names();
        lexicon.read_stop();
        for &(language, file, text) in ROLE_FILES {
            lexicon.read_roles(language, file, text);
        }
        lexicon
    }

    fn error(&mut self, file: &'static str, line: usize, message: impl Into<String>) {
        self.errors.push(DataError {
            file,
            line,
            message: message.into(),
        });
    }

    fn read_inflection(&mut self) {
        const FILE: &str = "link/inflection.txt";
        let mut current: Vec<Language> = Vec::new();
        for (n, line) in data_lines(INFLECTION_FILE) {
            if let Some(inner) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current.clear();
                for code in inner.split_whitespace() {
                    match Language::from_str(code) {
                        Ok(language) => {
                            current.push(language);
                            self.inflection.insert(language, Inflection::default());
                        }
                        Err(_) => self.error(FILE, n, format!("unknown language `{code}`")),
                    }
                }
                continue;
            }
            let mut words = line.split_whitespace();
            let key = words.next().unwrap_or_default();
            let values: Vec<&str> = words.collect();
            if current.is_empty() {
                self.error(FILE, n, "a setting before any [language] section");
                continue;
            }
            let mut bad = None;
            for language in &current {
                let Some(inflection) = self.inflection.get_mut(language) else {
                    continue;
                };
                match (key, values.as_slice()) {
                    ("method", [method]) => {
                        inflection.method = match *method {
                            "stemmer" => Method::Stemmer,
                            "slavic" => Method::Slavic,
                            "german" => Method::German,
                            "none" => Method::None,
                            other => {
                                bad = Some(format!("unknown method `{other}`"));
                                Method::None
                            }
                        }
                    }
                    ("endings", endings) => {
                        let mut endings: Vec<String> =
                            endings.iter().map(|e| e.to_string()).collect();
                        endings.sort_by_key(|e| std::cmp::Reverse(e.chars().count()));
                        endings.dedup();
                        inflection.endings = endings;
                    }
                    ("strip", [letters]) => inflection.strip = letters.chars().collect(),
                    ("min", [min]) => match min.parse() {
                        Ok(min) => inflection.min = min,
                        Err(_) => bad = Some(format!("`{min}` is not a number")),
                    },
                    ("apostrophe", ["cut"]) => inflection.cut_apostrophe = true,
                    _ => bad = Some(format!("cannot read `{line}`")),
                }
            }
            if let Some(message) = bad {
                self.error(FILE, n, message);
            }
        }
    }

    fn read_names(&mut self) {
        const FILE: &str = "link/names.txt";
        for (n, line) in data_lines(NAMES_FILE) {
            let mut words = line.split_whitespace();
            let list = words.next().unwrap_or_default();
            let items = words.map(str::to_string);
            match list {
                "surname" => items.for_each(|e| self.surname_endings.insert(e)),
                "patronymic" => items.for_each(|e| self.patronymic_endings.insert(e)),
                "particle" => self.particles.extend(items),
                "not-name" => self.not_name.extend(items),
                other => self.error(FILE, n, format!("unknown list `{other}`")),
            }
        }
    }

    fn read_stop(&mut self) {
        const FILE: &str = "link/stop.txt";
        for (n, line) in data_lines(STOP_FILE) {
            let mut words = line.split_whitespace();
            let list = words.next().unwrap_or_default();
            let code = words.next().unwrap_or_default();
            let language = match Language::from_str(code) {
                Ok(language) => language,
                Err(_) => {
                    self.error(FILE, n, format!("unknown language `{code}`"));
                    continue;
                }
            };
            let target = match list {
                "start" => &mut self.stop,
                "confirm" => &mut self.confirm,
                "never" => &mut self.never,
                other => {
                    self.error(FILE, n, format!("unknown list `{other}`"));
                    continue;
                }
            };
            target
                .entry(language)
                .or_default()
                .extend(words.map(|w| w.to_lowercase()));
        }
    }

    fn read_roles(&mut self, language: Language, file: &'static str, text: &str) {
        for (n, line) in data_lines(text) {
            let fields: Vec<&str> = line.split('\t').collect();
            let (meaning, phrases) = match fields.as_slice() {
                ["title", phrases] => (RoleMeaning::Title, *phrases),
                ["nation", id, phrases] => {
                    // The id lives as long as the program: the data is compiled in.
                    let id: &'static str = Box::leak(format!("kb:{id}").into_boxed_str());
                    (RoleMeaning::Nation(id), *phrases)
                }
                [code, phrases] => match Role::from_str(code) {
                    Ok(role) => (RoleMeaning::Office(role), *phrases),
                    Err(()) => {
                        self.error(file, n, format!("unknown role `{code}`"));
                        continue;
                    }
                },
                _ => {
                    self.error(
                        file,
                        n,
                        "expected `<role>\\t<phrases>` or `nation\\t<id>\\t<phrases>`",
                    );
                    continue;
                }
            };
            for phrase in phrases.split('|').map(str::trim).filter(|p| !p.is_empty()) {
                let script = script_of(phrase);
                self.roles.push(RolePhrase {
                    language,
                    script,
                    phrase: phrase.to_string(),
                    meaning,
                });
                if LATIN_TOO.contains(&language)
                    && script == Script::Cyrl
                    && let Ok(t) = Transliterator::new(language, Script::Latn)
                {
                    self.roles.push(RolePhrase {
                        language,
                        script: Script::Latn,
                        phrase: t.transliterate(phrase),
                        meaning,
                    });
                }
            }
        }
    }

    /// How words of `language` lose their inflection.
    pub fn inflection(&self, language: Language) -> Option<&Inflection> {
        self.inflection.get(&language)
    }
}

/// The script of the first letter of `text` (Latin when it has none).
pub(crate) fn script_of(text: &str) -> Script {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .map(Script::of_char)
        .find(|s| *s != Script::Zyyy)
        .unwrap_or(Script::Latn)
}

/// The lines of a data file that carry data, numbered from 1: comments and blank lines left out.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}
