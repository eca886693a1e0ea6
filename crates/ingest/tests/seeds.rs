//! Cleaning and metadata on the five seed articles in `../shared/corpus/seeds/` (read from
//! there, never copied). Language identification is checked where it is built (`xabar-text`)
//! and end to end in the CLI tests; here a script-only identifier stands in for it.

use std::path::PathBuf;

use xabar_core::{Identification, Language, LanguageIdentifier, RawArticle};
use xabar_ingest::prepare;
use xabar_text::script::ScriptCounts;

struct ScriptOnly;

impl LanguageIdentifier for ScriptOnly {
    fn identify(&self, text: &str) -> Identification {
        Identification {
            language: Language::Und,
            script: ScriptCounts::of(text).dominant(),
            confidence: 0.0,
        }
    }
}

fn seed(prefix: &str) -> Option<xabar_core::Article> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} is missing; seed tests skipped", dir.display());
        return None;
    };
    let path = entries.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
    })?;
    let body = std::fs::read_to_string(&path).ok()?;
    Some(
        prepare(
            RawArticle::text(path.display().to_string(), body),
            &ScriptOnly,
        )
        .expect("seed prepares"),
    )
}

#[test]
fn date_lines_give_published_dates_and_titles() {
    let Some(a001) = seed("001") else { return };
    assert_eq!(
        a001.published.map(|d| d.to_string()).as_deref(),
        Some("2025-10-09")
    );
    assert!(
        a001.title
            .as_deref()
            .is_some_and(|t| t.starts_with("Президент: Орталық Азия"))
    );
    assert!(!a001.text.contains("date 2025"));
    let a002 = seed("002").expect("seed 002");
    assert_eq!(
        a002.published.map(|d| d.to_string()).as_deref(),
        Some("2025-11-10")
    );
}

#[test]
fn datelines_become_metadata() {
    let Some(a001) = seed("001") else { return };
    let dateline = a001.dateline.expect("001 has a dateline");
    assert_eq!(dateline.place, "Астана");
    assert_eq!(a001.outlet.as_deref(), Some("Kazinform"));
    assert!(
        a001.text.starts_with("Қасым-Жомарт Тоқаев екінші"),
        "{}",
        &a001.text[..80]
    );
    let a002 = seed("002").expect("seed 002");
    assert_eq!(a002.outlet.as_deref(), Some("Kazinform"));
    assert_eq!(a002.dateline.expect("002 has a dateline").place, "Москва");
}

#[test]
fn portal_clutter_is_gone_from_004() {
    let Some(a004) = seed("004") else { return };
    for clutter in [
        "просмотров",
        "Все видео",
        "реклама",
        "COP29",
        "Баку, Азербайджан",
        "11-22 ноября",
        "© Фото",
        "пресс-служба президента РФ",
    ] {
        assert!(!a004.text.contains(clutter), "{clutter:?} left in 004");
    }
    assert!(!a004.text.lines().any(|l| l.trim() == "Видео"));
    assert_eq!(
        a004.title.as_deref(),
        Some("Россия подвела итоги отношений с Казахстаном")
    );
    assert!(
        !a004.text.contains("подвела итоги"),
        "the repeated headline is not body text"
    );
    assert_eq!(a004.outlet.as_deref(), Some("Вестник Кавказа"));
    // The body keeps its subheading, the attribution line and its last paragraph.
    assert!(a004.text.contains("Что ждет связи России и Казахстана?"));
    assert!(a004.text.contains("— Владимир Путин"));
    assert!(a004.text.trim_end().ends_with("Казахской ССР»."));
}

#[test]
fn photo_credit_is_gone_from_003() {
    let Some(a003) = seed("003") else { return };
    assert!(!a003.text.contains("t.me/aqorda_resmi"));
    assert!(
        a003.title
            .as_deref()
            .is_some_and(|t| t.starts_with("Toqajew: Sanktionswahnsinn"))
    );
}

#[test]
fn no_clean_word_mixes_scripts() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let Some(article) = seed(prefix) else { return };
        for word in article.text.split(|c: char| !c.is_alphabetic()) {
            assert!(
                !ScriptCounts::of(word).is_mixed(),
                "{prefix}: {word:?} mixes scripts"
            );
        }
    }
}

#[test]
fn paragraph_offsets_map_back_to_the_original() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let Some(article) = seed(prefix) else { return };
        for paragraph in &article.paragraphs {
            let back = article.offsets.source_span(paragraph.span());
            let original = &article.original[back.start..back.end];
            let clean = &article.text[paragraph.start..paragraph.end];
            // Same first and last letters: the map lands on the same words.
            let first = |s: &str| s.chars().find(|c| c.is_alphanumeric());
            assert_eq!(
                first(original),
                first(clean),
                "{prefix}: {clean:?} vs {original:?}"
            );
        }
    }
}
