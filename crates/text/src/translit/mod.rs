//! Cyrillic↔Latin transliteration for the languages xabar reads, and the script-independent
//! matching key that search and entity linking compare names by.
//!
//! One [`Transliterator`] per language and direction, each following one named standard:
//!
//! | language | direction | standard |
//! |---|---|---|
//! | Russian `ru` | Cyrl → Latn | BGN/PCGN 1947, plain ASCII (`Khrushchev`, `Yeltsin`) |
//! | Ukrainian `uk` | Cyrl → Latn | national system of 2010 (`Kyiv`, `Zelenskyi`) |
//! | Kazakh `kk` | Cyrl → Latn | the 2021 Kazakh Latin alphabet (`Qazaqstan`, `Täuelsızdık`) |
//! | Uzbek `uz` | Cyrl ↔ Latn | the 1995 Uzbek Latin alphabet and its spelling rules |
//! | Kyrgyz `ky` | Cyrl → Latn | BGN/PCGN 1979 (`Ysyk-Köl`, `Japarov`) |
//! | Tajik `tg` | Cyrl → Latn | BGN/PCGN 1994 (`Dushanbe`, `Khujand`) |
//!
//! The letters and their context rules live in `data/<lang>/translit-<from>-<to>.tsv`; each file
//! says in its header where it departs from the letter of its standard. Adding a language is
//! one such file and one line in the registry below. Transliteration works on whole texts:
//! anything that is not a letter of the source script (digits, punctuation, words already in
//! the target script) is copied unchanged, and case is carried over, all-caps words included.
//!
//! The matching key ([`key`], [`key_similarity`]) is not a transliteration people read: it is
//! a lossy spelling of a word built so that the same name written in any of these scripts and
//! standards, or in German or English, gives the same or a near key.

mod key;
mod table;

use std::sync::LazyLock;

use xabar_core::{Language, OffsetMap, Script};

pub use key::{KEY_MATCH_THRESHOLD, key, key_similarity, word_similarity};
use table::Table;

/// Why a transliteration could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslitError {
    /// No transliterator exists for this language into this script.
    #[error(
        "no transliteration of {} ({lang}) into {to}; supported are: {supported}",
        lang.name()
    )]
    Unsupported {
        /// The language asked for.
        lang: Language,
        /// The script asked for.
        to: Script,
        /// Every supported language and direction, e.g. `"ru Cyrl→Latn, uz Latn→Cyrl"`.
        supported: String,
    },
    /// A compiled-in rule table is malformed: a bug in xabar, not in the input.
    #[error("transliteration table {file}, line {line}: {message}")]
    Table {
        /// The table's file under `data/`.
        file: &'static str,
        /// The line, counted from 1 (0 when the whole file is at fault).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Transliterates one language from one script into another, by one rule table.
#[derive(Debug)]
pub struct Transliterator {
    lang: Language,
    table: Table,
}

/// One compiled-in table: the registry of transliterators.
struct TableSource {
    lang: Language,
    file: &'static str,
    text: &'static str,
}

macro_rules! table_source {
    ($lang:ident, $file:literal) => {
        TableSource {
            lang: Language::$lang,
            file: $file,
            text: include_str!(concat!("../../data/", $file)),
        }
    };
}

const TABLES: &[TableSource] = &[
    table_source!(Ru, "ru/translit-cyrl-latn.tsv"),
    table_source!(Uk, "uk/translit-cyrl-latn.tsv"),
    table_source!(Kk, "kk/translit-cyrl-latn.tsv"),
    table_source!(Uz, "uz/translit-cyrl-latn.tsv"),
    table_source!(Uz, "uz/translit-latn-cyrl.tsv"),
    table_source!(Ky, "ky/translit-cyrl-latn.tsv"),
    table_source!(Tg, "tg/translit-cyrl-latn.tsv"),
];

static REGISTRY: LazyLock<Result<Vec<Transliterator>, TranslitError>> = LazyLock::new(|| {
    TABLES
        .iter()
        .map(|source| {
            Table::parse(source.file, source.text).map(|table| Transliterator {
                lang: source.lang,
                table,
            })
        })
        .collect()
});

fn registry() -> Result<&'static [Transliterator], TranslitError> {
    REGISTRY.as_deref().map_err(Clone::clone)
}

/// Every supported `(language, from, to)`.
pub fn supported() -> Vec<(Language, Script, Script)> {
    registry()
        .map(|all| all.iter().map(|t| (t.lang, t.from(), t.to())).collect())
        .unwrap_or_default()
}

impl Transliterator {
    /// The transliterator that writes `lang` in the script `to` (from the other script).
    pub fn new(lang: Language, to: Script) -> Result<&'static Transliterator, TranslitError> {
        let all = registry()?;
        all.iter()
            .find(|t| t.lang == lang && t.to() == to)
            .ok_or_else(|| TranslitError::Unsupported {
                lang,
                to,
                supported: all
                    .iter()
                    .map(|t| format!("{} {}→{}", t.lang, t.from(), t.to()))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The language this transliterator is for.
    pub fn language(&self) -> Language {
        self.lang
    }

    /// The script it reads.
    pub fn from(&self) -> Script {
        self.table.from()
    }

    /// The script it writes.
    pub fn to(&self) -> Script {
        self.table.to()
    }

    /// The standard it follows, e.g. `"BGN/PCGN 1947 (ASCII form)"`.
    pub fn standard(&self) -> &str {
        self.table.standard()
    }

    /// Transliterates a whole text.
    pub fn transliterate(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        self.table.apply(text, &mut out, None);
        out
    }

    /// Transliterates a whole text, appending to `out`.
    pub fn transliterate_into(&self, text: &str, out: &mut String) {
        self.table.apply(text, out, None);
    }

    /// Transliterates a whole text and maps the output's byte offsets back to `text`'s, so
    /// spans found in the transliteration can be shown in the original.
    pub fn transliterate_with_map(&self, text: &str) -> (String, OffsetMap) {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        let mut map = OffsetMap::new();
        self.table.apply(text, &mut out, Some(&mut map));
        (out, map)
    }
}

/// Transliterates a whole text in `lang` into the script `to`.
///
/// Letters of the other script are transliterated; everything else, including words already
/// written in `to`, is copied unchanged.
///
/// ```
/// use xabar_core::{Language, Script};
/// use xabar_text::translit::transliterate;
///
/// let latin = transliterate("Тошкент шаҳри, 2024 йил", Language::Uz, Script::Latn).unwrap();
/// assert_eq!(latin, "Toshkent shahri, 2024 yil");
/// ```
pub fn transliterate(text: &str, lang: Language, to: Script) -> Result<String, TranslitError> {
    Ok(Transliterator::new(lang, to)?.transliterate(text))
}

#[cfg(test)]
mod tests;
