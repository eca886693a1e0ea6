//! Any bytes, any string: readers, cleaning and preparation never panic, and every offset they
//! return is on a char boundary and inside its text.

use proptest::prelude::*;
use xabar_core::{Identification, Language, LanguageIdentifier, Span};
use xabar_ingest::clean::clean;
use xabar_ingest::{Input, Reader, prepare};
use xabar_text::normalize::normalize;
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

fn check_span(text: &str, span: Span) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{span:?} outside {}",
        text.len()
    );
    prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    Ok(())
}

fn read_and_prepare(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    for item in Reader::new([Input::Memory {
        name: "mem".into(),
        bytes,
    }]) {
        let Ok(raw) = item else { continue };
        let Ok(article) = prepare(raw, &ScriptOnly) else {
            continue;
        };
        prop_assert_eq!(article.offsets.derived_len(), article.text.len());
        for paragraph in &article.paragraphs {
            check_span(&article.text, paragraph.span())?;
            check_span(
                &article.original,
                article.offsets.source_span(paragraph.span()),
            )?;
        }
        let mut bounds: Vec<usize> = article.text.char_indices().map(|(i, _)| i).collect();
        bounds.push(article.text.len());
        for pair in bounds.windows(2) {
            check_span(
                &article.original,
                article.offsets.source_span(Span::new(pair[0], pair[1])),
            )?;
        }
    }
    Ok(())
}

/// Text shaped like scraped articles: lines, clutter words, datelines, quotes, mixed scripts.
fn articleish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[A-ZА-ЯЁ]{2,8}\\. [A-Za-zА-я]{3,9} [–—-] [a-zа-яқўғ ]{0,40}\\.",
        "date 20[0-9]{2}-[01][0-9]-[0-3][0-9]( [A-Za-zА-я ]{0,20})?",
        "[0-9 ]{1,6} (просмотров|views|koʻrish)",
        "(© )?(Фото|Foto|Photo):? [a-z./_ ]{0,20}",
        "(Видео|Все видео|реклама|Read more)",
        "[a-zA-Zа-яА-ЯқўғҳәөұүіңOo'‘’ʼ`\"“”„«» \\-–—.,!?]{0,80}",
        "\\PC{0,40}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        read_and_prepare(bytes)?;
    }

    #[test]
    fn arbitrary_json_lines_never_panic(lines in prop::collection::vec("\\{(\"(text|html|url|title|published|outlet|language)\": ?(\"[^\"\\\\]{0,30}\"|[0-9]+|null),? ?){0,4}\\}?", 1..5)) {
        read_and_prepare(lines.join("\n").into_bytes())?;
    }

    #[test]
    fn article_shaped_text_keeps_offsets_valid(text in articleish()) {
        read_and_prepare(text.clone().into_bytes())?;
        let normalized = normalize(&text);
        let cleaned = clean(&normalized.text);
        for piece in cleaned.paragraphs.iter().flatten() {
            check_span(&normalized.text, *piece)?;
        }
    }

    #[test]
    fn arbitrary_strings_normalize_and_clean(text in "\\PC{0,200}") {
        let normalized = normalize(&text);
        prop_assert_eq!(normalized.map.derived_len(), normalized.text.len());
        for piece in clean(&normalized.text).paragraphs.iter().flatten() {
            check_span(&normalized.text, *piece)?;
        }
    }
}
