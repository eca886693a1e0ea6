use super::*;

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

#[test]
fn debug_print() {
    let cases: &[(&str, Language, Option<NaiveDate>)] = &[
        ("Қасим-Жомарт Тоқаев 11-12 ноябрь кунлари Россияга давлат ташрифи билан боради.", Language::Uz, d(2025, 11, 10)),
        ("Мемлекет басшысы үш жыл бұрын Астанада өткен алғашқы саммит", Language::Kk, d(2025, 10, 9)),
        ("25 октября 1990 года Верховным советом", Language::Ru, d(2025, 10, 25)),
        ("Путин ҳам 2024 йил ноябрь ойида Остонага давлат ташрифи", Language::Uz, None),
        ("im November 2024 ebenfalls Astana. Beginnt am 11. November.", Language::De, None),
        ("Қозоғистон раҳбарининг Россияга давлат ташрифи 11 ноябрда бошланади.", Language::Uz, None),
        ("12 наурыз, 12-mart, March 12, 2025, 12.03.2025, 2025-03-12", Language::En, d(2025, 3, 13)),
        ("с 11 по 22 ноября, 11–22 ноября, в 2022 году, в прошлом году, вчера, в пятницу", Language::Ru, d(2025, 11, 10)),
        ("from October 2025 to March 2026 next week", Language::En, d(2025, 3, 12)),
        ("2020-сыншы жылы", Language::Kk, d(2025, 3, 12)),
        ("екі мың жиырмасыншы жылы, 2020-сыншы жылы, наурыздың 25-і күні, жыл сайын, соңғы 5 жылда, 1 сәуірден 30 қыркүйекке дейін, бүгін-ертең", Language::Kk, d(2025, 3, 12)),
    ];
    for (text, lang, published) in cases {
        for m in find_dates(text, *lang, *published) {
            println!("{:?} -> {}", m.text, m.value);
        }
        println!("--");
    }
}

#[test]
fn data_reads() {
    check_data().expect("date data reads");
    crate::events::check_data().expect("event data reads");
}

#[test]
fn debug_atoms() {
    let text = "екі мың жиырмасыншы жылы, 2020-сыншы жылы";
    let lex = lexicon(Language::Kk);
    for a in scan::atoms(text, lex) {
        println!("{:?} {:?} {:?} {:?} {:?}", &text[a.start..a.end], a.gap, a.kind, a.words, a.roles);
    }
    let atoms = scan::atoms(text, lex);
    for f in grammar::parse(&atoms, lex.orders) {
        println!("{f:?}");
    }
}
