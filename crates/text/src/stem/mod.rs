//! Stems: the part of a word that stays the same across its inflections, so that `Тоқаевтың`,
//! `Тоқаевқа` and `Тоқаев` are one key for search, entity matching and story clustering.
//!
//! Two kinds of stemmer serve here:
//! - [`SnowballStemmer`], the Snowball algorithms, for Russian, Ukrainian, German, English and
//!   Turkish; they work on any script (a Snowball stemmer leaves letters it does not know alone);
//! - [`SuffixStemmer`], driven by a suffix table under `data/<lang>/suffixes.txt`, for Kazakh,
//!   Uzbek, Kyrgyz and Tajik, which have no Snowball algorithm. A table is written in one script
//!   and may carry a letter map that makes it serve the Latin script too (Kazakh's 2021 alphabet,
//!   Uzbek's official Latin).
//!
//! [`stemmer`] finds the stemmer for a `(Language, Script)` pair in this order:
//! 1. the stemmer registered for exactly that language and script;
//! 2. the stemmer registered for the language in any script;
//! 3. none: the caller keeps the lowercase word as its key.
//!
//! Adding a language means adding its table file and one row to `SUFFIX_TABLES` (or, for a
//! Snowball language, one row to `SNOWBALL` and one `match` arm in [`SnowballStemmer::new`]).
//!
//! Every stemmer takes one lowercase word (see [`crate::token::lowercase`]), returns
//! [`Cow::Borrowed`](std::borrow::Cow::Borrowed) when it leaves the word as it is, and never
//! returns an empty stem for a non-empty word.

mod snowball;
mod suffix;

use std::sync::LazyLock;

use xabar_core::{Language, Script, Stemmer};

pub use snowball::SnowballStemmer;
pub use suffix::{SuffixStemmer, TableError};

/// Languages stemmed by a Snowball algorithm, in any script.
const SNOWBALL: &[Language] = &[
    Language::Ru,
    Language::Uk,
    Language::De,
    Language::En,
    Language::Tr,
];

/// Suffix tables compiled in. Each serves the script it declares (`@script`), and Latin too
/// when it has a `[latin]` section.
const SUFFIX_TABLES: &[(Language, &str)] = &[
    (Language::Kk, include_str!("../../data/kk/suffixes.txt")),
    (Language::Uz, include_str!("../../data/uz/suffixes.txt")),
    (Language::Ky, include_str!("../../data/ky/suffixes.txt")),
    (Language::Tg, include_str!("../../data/tg/suffixes.txt")),
];

/// The scripts a suffix table may serve.
const TABLE_SCRIPTS: &[Script] = &[Script::Cyrl, Script::Latn, Script::Arab];

/// One registered stemmer: for `language` in `script`, or in any script when `script` is `None`.
struct Entry {
    language: Language,
    script: Option<Script>,
    stemmer: Box<dyn Stemmer>,
}

static REGISTRY: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let mut entries = Vec::new();
    for &language in SNOWBALL {
        if let Some(stemmer) = SnowballStemmer::new(language) {
            entries.push(Entry {
                language,
                script: None,
                stemmer: Box::new(stemmer),
            });
        }
    }
    for &(language, table) in SUFFIX_TABLES {
        for &script in TABLE_SCRIPTS {
            match SuffixStemmer::from_table(table, script) {
                Ok(stemmer) => entries.push(Entry {
                    language,
                    script: Some(script),
                    stemmer: Box::new(stemmer),
                }),
                Err(TableError::WrongScript { .. }) => {}
                // The tables are compiled in and every one is parsed by the tests, so this is a
                // build defect, not something input can cause.
                Err(e) => panic!("the compiled-in suffix table for {language} is broken: {e}"),
            }
        }
    }
    entries
});

/// The stemmer for words of `language` written in `script`, looked up as the module
/// documentation describes; `None` when xabar has no stemmer for it.
pub fn stemmer(language: Language, script: Script) -> Option<&'static dyn Stemmer> {
    let entries: &'static [Entry] = &REGISTRY;
    entries
        .iter()
        .find(|e| e.language == language && e.script == Some(script))
        .or_else(|| {
            entries
                .iter()
                .find(|e| e.language == language && e.script.is_none())
        })
        .map(|e| &*e.stemmer)
}

/// Every registered `(language, script)` pair; a `None` script means any script.
pub fn registered() -> Vec<(Language, Option<Script>)> {
    REGISTRY.iter().map(|e| (e.language, e.script)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::lowercase;

    /// Stems `word` after lowercasing it for its language, as the pipeline does.
    fn stem(language: Language, script: Script, word: &str) -> String {
        let stemmer = stemmer(language, script)
            .unwrap_or_else(|| panic!("no stemmer for {language} {script}"));
        let lower = lowercase(word, language);
        stemmer.stem(&lower).into_owned()
    }

    fn check(rows: &[(Language, Script, &str, &str)]) {
        let mut failures = Vec::new();
        for &(language, script, word, expected) in rows {
            let got = stem(language, script, word);
            let want = lowercase(expected, language);
            if got != want {
                failures.push(format!(
                    "{language}-{script} {word}: got {got}, want {want}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    use Language::{De, En, Kk, Ky, Ru, Tg, Tr, Uk, Uz};
    use Script::{Cyrl, Latn};

    #[test]
    fn kazakh() {
        check(&[
            (Kk, Cyrl, "Тоқаевтың", "Тоқаев"),
            (Kk, Cyrl, "Путинге", "Путин"),
            (Kk, Cyrl, "Қазақстанның", "Қазақстан"),
            (Kk, Cyrl, "Астанада", "Астана"),
            (Kk, Cyrl, "Ресейдің", "Ресей"),
            (Kk, Cyrl, "Ресейге", "Ресей"),
            (Kk, Cyrl, "Қазақстанда", "Қазақстан"),
            (Kk, Cyrl, "Астанадан", "Астана"),
            (Kk, Cyrl, "Қазақстаннан", "Қазақстан"),
            (Kk, Cyrl, "Мәскеуге", "Мәскеу"),
            (Kk, Cyrl, "Тоқаевқа", "Тоқаев"),
            (Kk, Cyrl, "Путинмен", "Путин"),
            (Kk, Cyrl, "Тоқаевпен", "Тоқаев"),
            (Kk, Cyrl, "Азиядағы", "Азия"),
            (Kk, Cyrl, "мемлекеттер", "мемлекет"),
            (Kk, Cyrl, "мемлекеттерінің", "мемлекет"),
            (Kk, Cyrl, "Республикасының", "Республика"),
            (Kk, Cyrl, "Президенттің", "Президент"),
            (Kk, Cyrl, "Путинді", "Путин"),
            (Kk, Cyrl, "Ақорданың", "Ақорда"),
            (Kk, Cyrl, "келіссөздерге", "келіссөз"),
            (Kk, Cyrl, "балаларымыздың", "бала"),
            (Kk, Cyrl, "Қосым-Жомарттың", "Қосым-Жомарт"),
            // The 3rd-person possessive -і stays: Президенті is its own stem, consistently.
            (Kk, Cyrl, "Президенті", "Президенті"),
            (Kk, Cyrl, "Президентінің", "Президенті"),
            (Kk, Cyrl, "Президентіне", "Президенті"),
            // Words that only look inflected.
            (Kk, Cyrl, "Астана", "Астана"),
            (Kk, Cyrl, "Москва", "Москва"),
            (Kk, Cyrl, "Путин", "Путин"),
            (Kk, Cyrl, "Алматы", "Алматы"),
            (Kk, Cyrl, "Украина", "Украина"),
            (Kk, Cyrl, "доллар", "доллар"),
            (Kk, Cyrl, "Ақорда", "Ақорда"),
            (Kk, Cyrl, "елге", "елге"),
            (Kk, Cyrl, "Қазақстан", "Қазақстан"),
            (Kk, Cyrl, "Тәжікстан", "Тәжікстан"),
            (Kk, Cyrl, "серіктесі", "серіктесі"),
            (Kk, Cyrl, "аймағымыздың", "аймақ"),
            (Kk, Cyrl, "басшысы", "басшы"),
            // The 2021 Latin alphabet, from the same table.
            (Kk, Latn, "Qazaqstannyñ", "Qazaqstan"),
            (Kk, Latn, "Toqaevtyñ", "Toqaev"),
            (Kk, Latn, "Astanada", "Astana"),
            (Kk, Latn, "Reseidıñ", "Resei"),
            (Kk, Latn, "Putinge", "Putin"),
            (Kk, Latn, "memleketterınıñ", "memleket"),
            (Kk, Latn, "Almaty", "Almaty"),
            (Kk, Latn, "Astana", "Astana"),
        ]);
    }

    #[test]
    fn uzbek() {
        check(&[
            (Uz, Cyrl, "Тўқаевнинг", "Тўқаев"),
            (Uz, Cyrl, "Россияга", "Россия"),
            (Uz, Cyrl, "Остонада", "Остона"),
            (Uz, Cyrl, "Москвага", "Москва"),
            (Uz, Cyrl, "Остонага", "Остона"),
            (Uz, Cyrl, "Путиннинг", "Путин"),
            (Uz, Cyrl, "мамлакатлар", "мамлакат"),
            (Uz, Cyrl, "ташрифи", "ташриф"),
            (Uz, Cyrl, "Қозоғистон", "Қозоғистон"),
            (Uz, Cyrl, "Қозоғистоннинг", "Қозоғистон"),
            (Uz, Cyrl, "Россиянинг", "Россия"),
            (Uz, Cyrl, "Россияси", "Россия"),
            (Uz, Cyrl, "раҳбарлари", "раҳбар"),
            (Uz, Cyrl, "раҳбарларининг", "раҳбар"),
            (Uz, Cyrl, "соҳадаги", "соҳа"),
            (Uz, Cyrl, "мамлакатимиз", "мамлакат"),
            (Uz, Cyrl, "ҳамкорлигимиз", "ҳамкорлик"),
            (Uz, Cyrl, "ҳамкорликнинг", "ҳамкорлик"),
            (Uz, Cyrl, "Бишкекка", "Бишкек"),
            (Uz, Cyrl, "Тошкентдан", "Тошкент"),
            (Uz, Cyrl, "Москва", "Москва"),
            (Uz, Cyrl, "Путин", "Путин"),
            (Uz, Cyrl, "Астана", "Астана"),
            (Uz, Cyrl, "Америка", "Америка"),
            (Uz, Cyrl, "янги", "янги"),
            (Uz, Cyrl, "қўшни", "қўшни"),
            (Uz, Cyrl, "долларидан", "доллар"),
            (Uz, Cyrl, "бизнеси", "бизнес"),
            (Uz, Cyrl, "асосида", "асос"),
            (Uz, Cyrl, "лойиҳаси", "лойиҳа"),
            (Uz, Latn, "Toshkentda", "Toshkent"),
            (Uz, Latn, "Oʻzbekistonning", "Oʻzbekiston"),
            (Uz, Latn, "O'zbekistonning", "O'zbekiston"),
            (Uz, Latn, "prezidentlari", "prezident"),
            (Uz, Latn, "kitoblarimizdan", "kitob"),
            (Uz, Latn, "hamkorligi", "hamkorlik"),
            (Uz, Latn, "Rossiyaga", "Rossiya"),
            (Uz, Latn, "bogʻi", "bogʻ"),
            (Uz, Latn, "2030-yilgacha", "2030-yil"),
            (Uz, Latn, "qoʻshnilar", "qoʻshni"),
            (Uz, Latn, "qo'shni", "qo'shni"),
            (Uz, Latn, "Oʻzbekiston", "Oʻzbekiston"),
            (Uz, Latn, "Moskva", "Moskva"),
            (Uz, Latn, "yangi", "yangi"),
            (Uz, Latn, "boʻlsa-da", "boʻlsa-da"),
            (Uz, Latn, "toʻgʻrisida", "toʻgʻri"),
            (Uz, Latn, "Rahmonzoda", "Rahmonzoda"),
            (Uz, Latn, "oldi", "oldi"),
            (Uz, Latn, "maqsadida", "maqsadi"),
            (Uz, Latn, "ikkinchi", "ikkinchi"),
            (Uz, Cyrl, "иккинчи", "иккинчи"),
        ]);
    }

    #[test]
    fn kyrgyz_and_tajik() {
        check(&[
            (Ky, Cyrl, "Кыргызстандын", "Кыргызстан"),
            (Ky, Cyrl, "Россиянын", "Россия"),
            (Ky, Cyrl, "Бишкекте", "Бишкек"),
            (Ky, Cyrl, "Бишкектен", "Бишкек"),
            (Ky, Cyrl, "Москвага", "Москва"),
            (Ky, Cyrl, "Путинге", "Путин"),
            (Ky, Cyrl, "Жапаровдун", "Жапаров"),
            (Ky, Cyrl, "өлкөлөр", "өлкө"),
            (Ky, Cyrl, "Алматы", "Алматы"),
            (Ky, Cyrl, "Украина", "Украина"),
            (Ky, Cyrl, "Путин", "Путин"),
            (Ky, Cyrl, "Кыргызстан", "Кыргызстан"),
            (Tg, Cyrl, "Тоҷикистонро", "Тоҷикистон"),
            (Tg, Cyrl, "давлатҳо", "давлат"),
            (Tg, Cyrl, "давлатҳои", "давлат"),
            (Tg, Cyrl, "Президенти", "Президент"),
            (Tg, Cyrl, "Душанберо", "Душанбе"),
            (Tg, Cyrl, "Тоҷикистон", "Тоҷикистон"),
            (Tg, Cyrl, "Раҳмон", "Раҳмон"),
            (Tg, Cyrl, "давлат", "давлат"),
        ]);
    }

    #[test]
    fn snowball() {
        check(&[
            (Ru, Cyrl, "Токаева", "токаев"),
            (Ru, Cyrl, "Путину", "путин"),
            (Ru, Cyrl, "президенту", "президент"),
            (Ru, Cyrl, "президентом", "президент"),
            (Uk, Cyrl, "України", "україн"),
            (Uk, Cyrl, "Україна", "україн"),
            (De, Latn, "Russlands", "russland"),
            (De, Latn, "Zusammenarbeit", "zusammenarbeit"),
            (En, Latn, "presidents", "presid"),
            (En, Latn, "Kazakhstan's", "kazakhstan"),
            (Uk, Cyrl, "Токаєва", "токаєв"),
            (Uk, Cyrl, "Путіна", "путін"),
            (Uk, Cyrl, "президентові", "президент"),
            (De, Latn, "Präsidenten", "prasident"),
            (En, Latn, "Kazakhstan’s", "kazakhstan"),
            (Tr, Latn, "Kazakistan'ın", "kazakistan"),
            (Tr, Latn, "Türkiye’nin", "türkiye"),
            (Tr, Latn, "İstanbul'da", "istanbul"),
            (Tr, Latn, "ülkelerin", "ülke"),
        ]);
    }

    #[test]
    fn lookup_order() {
        // Exact script first, then any script, then nothing.
        assert!(stemmer(Kk, Cyrl).is_some());
        assert!(stemmer(Kk, Latn).is_some());
        assert!(stemmer(Kk, Script::Arab).is_none());
        assert!(stemmer(Ru, Latn).is_some());
        assert!(stemmer(Language::Fr, Latn).is_none());
        assert!(stemmer(Language::Und, Script::Zyyy).is_none());
        let registered = registered();
        assert!(registered.contains(&(Uz, Some(Latn))));
        assert!(registered.contains(&(Uk, None)));
        assert!(
            !registered.contains(&(Ky, Some(Latn))),
            "Kyrgyz has no Latin table"
        );
    }

    #[test]
    fn every_table_parses() {
        for &(language, table) in SUFFIX_TABLES {
            let mut served = 0;
            for &script in TABLE_SCRIPTS {
                match SuffixStemmer::from_table(table, script) {
                    Ok(_) => served += 1,
                    Err(TableError::WrongScript { .. }) => {}
                    Err(e) => panic!("{language}: {e}"),
                }
            }
            assert!(served > 0, "{language} serves no script");
        }
    }

    #[test]
    fn unchanged_words_are_borrowed() {
        for (language, script) in registered() {
            let script = script.unwrap_or(Script::Cyrl);
            let Some(stemmer) = stemmer(language, script) else {
                continue;
            };
            assert!(matches!(stemmer.stem("х"), std::borrow::Cow::Borrowed(_)));
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Words built from the letters and endings the tables deal in, plus arbitrary text.
    fn words() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "а", "ы", "і", "н", "ың", "да", "ға", "лар", "ни", "нинг", "ʻ", "'", "o", "g", "i",
            "lar", "ning", "ı", "ñ", "-", "ё", "ў", "ҳо", "ро", "и",
        ]);
        prop_oneof![
            prop::collection::vec(pieces.prop_map(str::to_string), 0..8).prop_map(|v| v.concat()),
            any::<String>(),
        ]
    }

    proptest! {
        #[test]
        fn stemmers_never_panic_nor_empty_a_word(word in words()) {
            for (language, script) in registered() {
                let script = script.unwrap_or(Script::Latn);
                let Some(stemmer) = stemmer(language, script) else { continue };
                let stem = stemmer.stem(&word);
                prop_assert_eq!(stem.is_empty(), word.is_empty(), "{} {}", language, script);
            }
        }

        #[test]
        fn suffix_stems_are_prefixes(word in words()) {
            for (language, script) in registered() {
                let Some(script) = script else { continue };
                let Some(stemmer) = stemmer(language, script) else { continue };
                let stem = stemmer.stem(&word);
                // Only an alternation (лиг → лик, ғ → қ) may change the last letter kept.
                let mut kept = stem.chars();
                kept.next_back();
                prop_assert!(word.starts_with(kept.as_str()), "{} {}: {:?} → {:?}", language, script, word, stem);
            }
        }
    }
}

/// Stemming speed on the seed articles, printed, never asserted: run it with
/// `cargo test --release -p xabar-text stem_throughput -- --ignored --nocapture`.
#[cfg(test)]
mod throughput {
    use std::path::Path;
    use std::time::Instant;

    use super::*;
    use crate::token::{TokenKind, lowercase, tokenize};

    #[test]
    #[ignore = "a measurement, not a test: run it in release mode"]
    fn stem_throughput() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
        let Ok(dir) = std::fs::read_dir(&seeds) else {
            println!("skipped: {} is missing", seeds.display());
            return;
        };
        let mut corpus = String::new();
        for entry in dir.flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                corpus.push_str(&text);
                corpus.push('\n');
            }
        }
        let text = corpus.repeat((8 << 20) / corpus.len().max(1) + 1);
        let words: Vec<&str> = tokenize(&text)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text)
            .collect();
        for (language, script) in [
            (Language::Kk, Script::Cyrl),
            (Language::Uz, Script::Cyrl),
            (Language::Uz, Script::Latn),
            (Language::Ru, Script::Cyrl),
            (Language::De, Script::Latn),
        ] {
            let Some(stemmer) = stemmer(language, script) else {
                continue;
            };
            let started = Instant::now();
            let mut changed = 0usize;
            for word in &words {
                let lower = lowercase(word, language);
                changed += usize::from(stemmer.stem(&lower).len() != lower.len());
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{language}-{script}: {} words in {secs:.3} s = {:.0} ns/word, {:.0} MB/s of text \
                 (lowercase + stem; {changed} cut)",
                words.len(),
                secs * 1e9 / words.len() as f64,
                text.len() as f64 / 1e6 / secs
            );
        }
    }
}
