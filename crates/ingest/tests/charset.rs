//! Charsets, one row per language: text encoded here with encoding_rs in the legacy encodings
//! these languages were published in must come back as the same UTF-8 text, through
//! [`charset::decode`] and through the [`Reader`] (files without any declaration, HTML pages
//! declaring their charset by `<meta>`), and the reader must say when it guessed.

use encoding_rs::Encoding;
use proptest::prelude::*;
use xabar_core::Format;
use xabar_ingest::charset::{self, Evidence, Hints};
use xabar_ingest::{Input, ReadError, Reader};

/// (language, label, text): sentences in an encoding that was common for that language.
const ROWS: &[(&str, &str, &str)] = &[
    (
        "ru",
        "windows-1251",
        "Правительство утвердило проект бюджета на следующий год. Расходы на образование и здравоохранение вырастут, сообщили в министерстве финансов.",
    ),
    (
        "ru",
        "KOI8-R",
        "Центральный банк сохранил ключевую ставку без изменений. Инфляция замедляется, но остаётся выше цели, заявила председатель банка.",
    ),
    (
        "uk",
        "windows-1251",
        "Уряд ухвалив проєкт бюджету на наступний рік. Видатки на освіту зростуть, повідомили в міністерстві фінансів, а ґрунтовні зміни відкладено.",
    ),
    (
        "be",
        "windows-1251",
        "Урад зацвердзіў праект бюджэту на наступны год. Выдаткі на адукацыю павялічацца, паведамілі ў міністэрстве фінансаў.",
    ),
    (
        "de",
        "windows-1252",
        "Die Regierung hat den Haushaltsentwurf für das nächste Jahr gebilligt. Die Ausgaben für Schulen und Gesundheit steigen, teilte das Finanzministerium mit.",
    ),
    (
        "kk",
        "UTF-8",
        "Үкімет келесі жылғы бюджет жобасын мақұлдады. Білім мен денсаулық сақтау шығыстары өседі, деп хабарлады Қаржы министрлігі.",
    ),
    (
        "uz",
        "UTF-8",
        "Hukumat kelgusi yil uchun byudjet loyihasini maʼqulladi. Taʼlim va sogʻliqni saqlash xarajatlari oshadi, deb xabar berdi Moliya vazirligi.",
    ),
];

fn encode(text: &str, label: &str) -> Vec<u8> {
    let encoding = Encoding::for_label(label.as_bytes()).unwrap();
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{label} cannot hold {text:?}");
    bytes.into_owned()
}

#[test]
fn undeclared_text_in_each_language_decodes_to_the_same_text() {
    for &(language, label, text) in ROWS {
        let decoded = charset::decode(&encode(text, label), &Hints::default()).unwrap();
        assert_eq!(decoded.text, text, "{language} {label}");
        // KOI8-U is KOI8-R plus Ukrainian letters: the same bytes give the same Russian text.
        let same = decoded.encoding == label || (label, decoded.encoding) == ("KOI8-R", "KOI8-U");
        assert!(same, "{language} {label}: {}", decoded.encoding);
        assert!(!decoded.had_errors);
        let expected = if label == "UTF-8" {
            Evidence::Utf8
        } else {
            Evidence::Detected
        };
        assert_eq!(decoded.evidence, expected, "{language} {label}");
    }
}

#[test]
fn declarations_win_over_guesses() {
    let text = ROWS[0].2;
    let bytes = encode(text, "KOI8-R");
    // Without a hint these bytes are KOI8-R; the header says so too.
    let decoded = charset::decode(
        &bytes,
        &Hints {
            declared: Some("koi8-r"),
            ..Hints::default()
        },
    )
    .unwrap();
    assert_eq!(
        (decoded.text.as_str(), decoded.evidence),
        (text, Evidence::Declared)
    );
    // A <meta> tag counts for markup only.
    let mut html = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body>".to_vec();
    html.extend_from_slice(&encode(text, "windows-1251"));
    let decoded = charset::decode(
        &html,
        &Hints {
            markup: true,
            ..Hints::default()
        },
    )
    .unwrap();
    assert_eq!(decoded.evidence, Evidence::Declared);
    assert!(decoded.text.ends_with(text));
    // An XML declaration, as feeds carry it.
    let mut xml = b"<?xml version=\"1.0\" encoding=\"KOI8-R\"?><rss><item>".to_vec();
    xml.extend_from_slice(&encode(text, "KOI8-R"));
    let decoded = charset::decode(
        &xml,
        &Hints {
            markup: true,
            ..Hints::default()
        },
    )
    .unwrap();
    assert_eq!(
        (decoded.encoding, decoded.evidence),
        ("KOI8-R", Evidence::Declared)
    );
    assert!(decoded.text.ends_with(text));
}

#[test]
fn the_top_level_domain_guides_a_short_guess() {
    // Two capitalised words: too little to tell Cyrillic from Western European alone.
    let bytes = encode("ДА НЕТ", "windows-1251");
    let decoded = charset::decode(
        &bytes,
        &Hints {
            url: Some("https://news.example.ru/"),
            ..Hints::default()
        },
    )
    .unwrap();
    assert_eq!(decoded.text, "ДА НЕТ");
    let unhinted = charset::decode(&bytes, &Hints::default()).unwrap();
    assert_ne!(unhinted.text, "ДА НЕТ", "{}", unhinted.encoding);
}

#[test]
fn utf16_with_a_byte_order_mark_is_text_not_binary() {
    let text = ROWS[5].2;
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    let decoded = charset::decode(&bytes, &Hints::default()).unwrap();
    assert_eq!(
        (decoded.text.as_str(), decoded.encoding),
        (text, "UTF-16BE")
    );
}

#[test]
fn the_reader_decodes_every_file_kind_and_warns_when_it_guessed() {
    let dir = std::env::temp_dir().join(format!("xabar-charset-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ru = ROWS[0].2;
    let koi = ROWS[1].2;
    std::fs::write(dir.join("a.txt"), encode(ru, "windows-1251")).unwrap();
    let mut page = b"<html><head><meta charset=koi8-r><title>x</title></head><body><p>".to_vec();
    page.extend_from_slice(&encode(koi, "KOI8-R"));
    page.extend_from_slice(b"</p></body></html>");
    std::fs::write(dir.join("b.html"), page).unwrap();
    let line = format!("{{\"text\": \"{ru}\"}}\n");
    std::fs::write(dir.join("c.jsonl"), encode(&line, "windows-1251")).unwrap();
    std::fs::write(dir.join("d.txt"), ROWS[5].2).unwrap();
    std::fs::write(dir.join("e.txt"), b"\x7fELF\x02\x01\x01\0\0\0").unwrap();

    let mut reader = Reader::new([Input::Path(dir.clone())]);
    let items: Vec<_> = reader.by_ref().collect();
    let warnings = reader.take_warnings();
    let path = |name: &str| dir.join(name).display().to_string();

    assert_eq!(items.len(), 5);
    let article = |i: usize| items[i].as_ref().unwrap();
    assert_eq!(article(0).body, ru);
    assert_eq!(article(1).format, Format::Html);
    assert!(article(1).body.contains(koi), "{}", article(1).body);
    assert_eq!(article(2).body, ru);
    assert_eq!(article(2).source, format!("{}:1", path("c.jsonl")));
    assert_eq!(article(3).body, ROWS[5].2);
    assert!(matches!(
        &items[4],
        Err(ReadError::Binary { offset: 7, .. })
    ));

    assert_eq!(
        warnings,
        [
            format!(
                "{}: not UTF-8; decoded as windows-1251, a guess",
                path("a.txt")
            ),
            format!(
                "{}: not UTF-8 (JSONL must be UTF-8); decoded as windows-1251, a guess",
                path("c.jsonl")
            ),
        ]
    );
}

proptest! {
    #[test]
    fn any_bytes_decode_without_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        markup in any::<bool>(),
        declared in proptest::option::of("[a-zA-Z0-9_-]{0,12}"),
        url in proptest::option::of("\\PC{0,40}"),
    ) {
        let hints = Hints { declared: declared.as_deref(), markup, url: url.as_deref() };
        if let Ok(decoded) = charset::decode(&bytes, &hints) {
            let owned = charset::decode_owned(bytes.clone(), &hints).unwrap();
            prop_assert_eq!(&decoded, &owned);
        }
    }

    #[test]
    fn markup_heads_decode_without_panic(
        head in "(<meta[ a-z=\"'/-]{0,30}>|<\\?xml[ a-z=\"'0-9.-]{0,30}\\?>|[a-z<>=\"' ]{0,10}){0,6}",
        tail in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&tail);
        let _ = charset::decode(&bytes, &Hints { markup: true, ..Hints::default() });
    }
}
