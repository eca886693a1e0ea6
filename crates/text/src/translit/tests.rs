use proptest::prelude::*;

use super::*;

fn check(lang: Language, to: Script, rows: &[(&str, &str)]) {
    let t = Transliterator::new(lang, to).unwrap();
    for &(input, expected) in rows {
        assert_eq!(t.transliterate(input), expected, "{lang} {input:?}");
    }
}

#[test]
fn every_table_parses() {
    assert_eq!(registry().map(|all| all.len()), Ok(TABLES.len()));
    assert_eq!(supported().len(), TABLES.len());
}

#[test]
fn russian_bgn_pcgn() {
    check(
        Language::Ru,
        Script::Latn,
        &[
            ("Москва", "Moskva"),
            ("МОСКВА", "MOSKVA"),
            ("Ельцин", "Yeltsin"),
            ("Дмитрий Песков", "Dmitriy Peskov"),
            ("Хрущёв", "Khrushchov"),
            ("Пётр", "Pyotr"),
            ("Юрьев", "Yuryev"),
            ("подъезд", "podyezd"),
            ("ЦСКА", "TSSKA"),
            ("Эрмитаж", "Ermitazh"),
            ("Мария", "Mariya"),
        ],
    );
}

#[test]
fn kazakh_2021() {
    check(
        Language::Kk,
        Script::Latn,
        &[
            ("Қазақстан", "Qazaqstan"),
            ("Тәуелсіздік", "Täuelsızdık"),
            ("Алматы", "Almaty"),
            ("Иран", "İran"),
            ("ШЫМКЕНТ", "ŞYMKENT"),
            ("ІІМ", "IIM"),
            ("Жаңаөзен", "Jañaözen"),
            ("Ұлы", "Ūly"),
            ("Үкімет", "Ükımet"),
            ("Тоқаев", "Toqaev"),
            ("Халық", "Halyq"),
            ("Шығыс", "Şyğys"),
            ("Қасым-Жомарт", "Qasym-Jomart"),
            ("Ялта", "İalta"),
        ],
    );
}

#[test]
fn uzbek_cyrillic_to_latin() {
    check(
        Language::Uz,
        Script::Latn,
        &[
            ("Тошкент", "Toshkent"),
            ("ТОШКЕНТ", "TOSHKENT"),
            ("Шаҳар", "Shahar"),
            ("Ўзбекистон", "Oʻzbekiston"),
            ("ЎЗБЕКИСТОН", "OʻZBEKISTON"),
            ("Ғалаба", "Gʻalaba"),
            ("ер", "yer"),
            ("Ер", "Yer"),
            ("поезд", "poyezd"),
            ("Набиев", "Nabiyev"),
            ("Алексеевна", "Alekseevna"),
            ("келди", "keldi"),
            ("эса", "esa"),
            ("маъно", "maʼno"),
            ("мўъжиза", "moʻjiza"),
            ("Исҳоқ", "Isʼhoq"),
            ("цирк", "tsirk"),
            ("станция", "stantsiya"),
            ("Ёшлар", "Yoshlar"),
            ("ЁШЛАР", "YOSHLAR"),
            ("фильм", "film"),
            ("бор-е", "bor-e"),
            ("Ш.", "Sh."),
        ],
    );
}

#[test]
fn uzbek_latin_to_cyrillic() {
    check(
        Language::Uz,
        Script::Cyrl,
        &[
            ("Toshkent", "Тошкент"),
            ("TOSHKENT", "ТОШКЕНТ"),
            ("Shahar", "Шаҳар"),
            ("Oʻzbekiston", "Ўзбекистон"),
            ("O'zbekiston", "Ўзбекистон"),
            ("O‘ZBEKISTON", "ЎЗБЕКИСТОН"),
            ("togʻ", "тоғ"),
            ("yoʻq", "йўқ"),
            ("yer", "ер"),
            ("ekan", "экан"),
            ("poeziya", "поэзия"),
            ("keldi", "келди"),
            ("ketsa", "кетса"),
            ("adolatsiz", "адолатсиз"),
            ("stantsiya", "станция"),
            ("adabiyotshunos", "адабиётшунос"),
            ("Is'hoq", "Исҳоқ"),
            ("ta’sir", "таъсир"),
            ("XXI asr", "XXI аср"),
            ("V. Putin", "В. Путин"),
            ("https://kun.uz/news", "https://kun.uz/news"),
        ],
    );
}

#[test]
fn uzbek_round_trip() {
    let to_latin = Transliterator::new(Language::Uz, Script::Latn).unwrap();
    let to_cyrillic = Transliterator::new(Language::Uz, Script::Cyrl).unwrap();
    for word in [
        "Тошкент",
        "ЎЗБЕКИСТОН",
        "Қорақалпоғистон",
        "маъно",
        "шеър",
        "ҳаёт",
        "йўқ",
        "Исҳоқ",
        "ер",
        "поэзия",
        "кетса",
        "станция",
        "ЁШЛАР",
        "Ғайратли",
    ] {
        let latin = to_latin.transliterate(word);
        assert_eq!(to_cyrillic.transliterate(&latin), word, "via {latin}");
    }
}

#[test]
fn kyrgyz_bgn_pcgn() {
    check(
        Language::Ky,
        Script::Latn,
        &[
            ("Бишкек", "Bishkek"),
            ("Ысык-Көл", "Ysyk-Köl"),
            ("Жапаров", "Japarov"),
            ("Үркүн", "Ürkün"),
            ("Жеңиш", "Jengish"),
            ("Еркин", "Yerkin"),
            ("ОШ", "OSH"),
        ],
    );
}

#[test]
fn tajik_bgn_pcgn() {
    check(
        Language::Tg,
        Script::Latn,
        &[
            ("Душанбе", "Dushanbe"),
            ("Хуҷанд", "Khujand"),
            ("Раҳмон", "Rahmon"),
            ("Ғафуров", "Ghafurov"),
            ("Эмомалӣ", "Emomalī"),
            ("Қӯрғонтеппа", "Qūrghonteppa"),
            ("ТОҶИКИСТОН", "TOJIKISTON"),
            ("маъно", "maʼno"),
        ],
    );
}

#[test]
fn ukrainian_national() {
    check(
        Language::Uk,
        Script::Latn,
        &[
            ("Київ", "Kyiv"),
            ("Зеленський", "Zelenskyi"),
            ("Згурський", "Zghurskyi"),
            ("Юлія", "Yuliia"),
            ("Харків", "Kharkiv"),
            ("Україна", "Ukraina"),
            ("м'ясо", "miaso"),
        ],
    );
}

#[test]
fn whole_texts_keep_what_is_not_a_source_letter() {
    let text = "«Тошкент» 2024-йил, 15:30 — Reuters: ХХI аср!";
    assert_eq!(
        transliterate(text, Language::Uz, Script::Latn).unwrap(),
        "«Toshkent» 2024-yil, 15:30 — Reuters: XXI asr!"
    );
    // Text already in the target script is left alone, in both directions.
    assert_eq!(
        transliterate("Toshkent shahri", Language::Uz, Script::Latn).unwrap(),
        "Toshkent shahri"
    );
    assert_eq!(
        transliterate("Тошкент шаҳри", Language::Uz, Script::Cyrl).unwrap(),
        "Тошкент шаҳри"
    );
}

#[test]
fn decomposed_letters_read_like_composed() {
    // й and ё in NFD: и + U+0306, е + U+0308.
    let nfd = "Бари\u{0438}\u{0306} е\u{0308}ш";
    assert_eq!(
        transliterate(nfd, Language::Ru, Script::Latn).unwrap(),
        "Bariy yosh"
    );
}

#[test]
fn unsupported_direction_is_an_error_that_lists_the_supported() {
    let err = transliterate("Путин", Language::Ru, Script::Cyrl).unwrap_err();
    assert!(matches!(
        err,
        TranslitError::Unsupported {
            lang: Language::Ru,
            to: Script::Cyrl,
            ..
        }
    ));
    assert!(err.to_string().contains("uz Latn→Cyrl"), "{err}");
    assert!(transliterate("x", Language::De, Script::Latn).is_err());
}

#[test]
fn offset_map_points_back_to_the_source() {
    let t = Transliterator::new(Language::Uz, Script::Latn).unwrap();
    let source = "Шаҳар, Ўзбекистон";
    let (out, map) = t.transliterate_with_map(source);
    assert_eq!(out, "Shahar, Oʻzbekiston");
    let start = out.find("Oʻz").unwrap();
    let span = map.source_span(xabar_core::Span::new(start, out.len()));
    assert_eq!(span.of(source), Some("Ўзбекистон"));
}

/// One row per pair: the two spellings and whether they name the same thing.
const KEY_PAIRS: &[(&str, &str, bool)] = &[
    ("Тоқаев", "Токаев", true),
    ("Тоқаев", "Тўқаев", true),
    ("Тоқаев", "Tokayev", true),
    ("Тоқаев", "Tokaev", true),
    ("Тоқаев", "Toqaev", true),
    ("Тоқаев", "Toqajew", true),
    ("Tokayev", "Toqajew", true),
    ("Путин", "Putin", true),
    ("Астана", "Astana", true),
    ("Астана", "Остона", true),
    ("Остона", "Astana", true),
    ("Москва", "Moskau", true),
    ("Москва", "Moscow", true),
    ("Москва", "Moskva", true),
    ("Moskau", "Moscow", true),
    ("Си", "Xi", true),
    ("Цзиньпин", "Jinping", true),
    ("Ташкент", "Toshkent", true),
    ("Тошкент", "Toshkent", true),
    ("Ўзбекистон", "O‘zbekiston", true),
    ("Ўзбекистон", "Uzbekistan", true),
    ("Зеленский", "Zelensky", true),
    ("Зеленський", "Selenskyj", true),
    ("Ельцин", "Yeltsin", true),
    ("Евгений", "Yevgeniy", true),
    ("Мирзиёев", "Mirziyoyev", true),
    ("Мирзиёев", "Mirsijojew", true),
    ("Жапаров", "Japarov", true),
    ("Жапаров", "Zhaparov", true),
    ("Қасым-Жомарт", "Kassym-Jomart", true),
    ("Хоразм", "Xorazm", true),
    ("Хоразм", "Khorezm", true),
    ("Раҳмон", "Rahmon", true),
    ("Мария", "Maria", true),
    ("Ялта", "İalta", true),
    ("Кыргызстан", "Kyrgyzstan", true),
    ("Ысык-Көл", "Issyk-Kul", true),
    ("Абдуллаев", "Abdullayev", true),
    ("Абдуллаев", "Абдуллоев", true),
    ("Путин", "Песков", false),
    ("Токаев", "Тоқтаров", false),
    ("Astana", "Almaty", false),
    ("Назарбаев", "Назаров", false),
    ("Москва", "Минск", false),
    ("Тошкент", "Тошбоев", false),
    ("Жапаров", "Жапарова", true),
    ("Алиев", "Алимов", false),
    ("Si", "Su", false),
    ("Xitoy", "Sitoy", false),
];

#[test]
fn key_pairs_match_or_not_at_the_threshold() {
    let mut failures = Vec::new();
    for &(a, b, same) in KEY_PAIRS {
        let (ka, kb) = (key(a), key(b));
        let score = key_similarity(&ka, &kb);
        if (score >= KEY_MATCH_THRESHOLD) != same {
            failures.push(format!(
                "{a} ({ka}) ~ {b} ({kb}) = {score:.3}, want same={same}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn keys_of_the_tokayev_spellings_are_equal() {
    for spelling in ["Тоқаев", "Тўқаев", "Токаев", "Tokayev", "TOKAYEV"] {
        assert_eq!(key(spelling), "tokayev", "{spelling}");
    }
    assert_eq!(key("Путин"), key("Putin"));
    assert_eq!(key("Си"), key("Xi"));
    assert_eq!(key("Цзиньпин"), key("Jinping"));
}

#[test]
fn key_drops_punctuation_and_keeps_digits_and_other_scripts() {
    assert_eq!(key("«Нью-Йорк»,"), key("Nyu-York"));
    assert_eq!(key("COVID-19"), "kovid19");
    assert_eq!(key("Ἀθῆναι"), "ἀθῆναι");
    assert_eq!(key(""), "");
    assert_eq!(key("—"), "");
}

#[test]
fn key_similarity_bounds() {
    assert_eq!(key_similarity("", ""), 1.0);
    assert_eq!(key_similarity("bcd", ""), 0.0);
    assert_eq!(key_similarity("putin", "putin"), 1.0);
    let long_a = "a".repeat(100);
    let long_b = "b".repeat(100);
    assert_eq!(key_similarity(&long_a, &long_b), 0.0);
    assert!(word_similarity("Москва", "Moscow") > KEY_MATCH_THRESHOLD);
}

proptest! {
    #[test]
    fn transliteration_never_panics_and_maps_every_byte(text in "\\PC{0,40}") {
        for (lang, _, to) in supported() {
            let t = Transliterator::new(lang, to).unwrap();
            let (out, map) = t.transliterate_with_map(&text);
            prop_assert_eq!(map.derived_len(), out.len());
            prop_assert_eq!(&out, &t.transliterate(&text));
            let whole = map.source_span(xabar_core::Span::new(0, out.len()));
            prop_assert!(whole.of(&text).is_some());
        }
    }

    #[test]
    fn transliteration_handles_cyrillic_latin_and_apostrophes(
        text in "[а-яёўқғҳәіңөұүһӣӯҷА-ЯЁЎҚҒҲa-zA-Z'‘’ʻʼ \\-]{0,30}"
    ) {
        for (lang, _, to) in supported() {
            let _ = transliterate(&text, lang, to).unwrap();
        }
    }

    #[test]
    fn key_never_panics_and_similarity_stays_in_range(a in "\\PC{0,30}", b in "\\PC{0,30}") {
        let (ka, kb) = (key(&a), key(&b));
        let s = key_similarity(&ka, &kb);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert_eq!(key_similarity(&ka, &ka), 1.0);
    }

    #[test]
    fn keys_of_latin_and_cyrillic_words_are_ascii(word in "[а-яёўқғҳәіңөұүa-zäöüşğñç]{0,20}") {
        prop_assert!(key(&word).is_ascii());
    }
}
