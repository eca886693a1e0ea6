//! Properties: no input makes profiling or relating panic, and relating is deterministic
//! whatever the thread count and batching.

use proptest::prelude::*;
use xabar_core::{ArticleId, Language, Script};
use xabar_relate::{Added, ArticleView, Profile, Relator, similarity};

/// Words of several scripts and kinds, so that generated articles share names, numbers and
/// phrases often enough to link and cluster.
const WORDS: &[&str] = &[
    "Тоқаев",
    "Токаев",
    "Tokayev",
    "Mirziyoyev",
    "Мирзиёев",
    "Ташкент",
    "Toshkent",
    "Astana",
    "сув",
    "suv",
    "water",
    "Wasser",
    "вода",
    "энергия",
    "energy",
    "поезд",
    "train",
    "festival",
    "2025",
    "12",
    "800",
    "5,6",
    "25.000",
    "«",
    "»",
    "—",
    ".",
    ",",
    "ʻ",
    "oʻzbek",
    "gʻalaba",
    "and",
    "и",
    "ва",
    "мен",
    "the",
    "der",
    "шартнома",
    "agreement",
    "Soglashenie",
    "İstanbul",
];

fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(WORDS), 0..40).prop_map(|w| w.join(" ")),
        0..6,
    )
    .prop_map(|paragraphs| paragraphs.join("\n"))
}

fn language() -> impl Strategy<Value = (Language, Script)> {
    prop::sample::select(vec![
        (Language::Ru, Script::Cyrl),
        (Language::Uz, Script::Cyrl),
        (Language::Uz, Script::Latn),
        (Language::Kk, Script::Cyrl),
        (Language::En, Script::Latn),
        (Language::De, Script::Latn),
        (Language::Und, Script::Zyyy),
    ])
}

/// An article: text, language and script, and a day offset (or none).
fn article() -> impl Strategy<Value = (String, (Language, Script), Option<u8>)> {
    (article_text(), language(), prop::option::of(0u8..40))
}

fn relate(
    articles: &[(String, (Language, Script), Option<u8>)],
    threads: usize,
    batch: usize,
) -> Vec<Added> {
    let ids: Vec<ArticleId> = (0..articles.len())
        .map(|i| ArticleId(format!("{i:04}")))
        .collect();
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a valid date");
    let views: Vec<ArticleView<'_>> = articles
        .iter()
        .zip(&ids)
        .map(|((text, (language, script), day), id)| {
            ArticleView::new(id, *language, *script, text).with_published(
                day.and_then(|d| start.checked_add_days(chrono::Days::new(u64::from(d)))),
            )
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        let mut relator = Relator::default();
        views
            .chunks(batch.max(1))
            .flat_map(|chunk| relator.add_all(chunk))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}", language in language()) {
        let id = ArticleId("x".into());
        let view = ArticleView::new(&id, language.0, language.1, &text);
        let profile = Profile::new(&view);
        let s = similarity(&view, &view);
        prop_assert!((0.0..=1.0).contains(&s));
        let mut relator = Relator::default();
        relator.add(profile.clone());
        let again = relator.add(profile);
        prop_assert!(again.links.is_empty());
    }

    #[test]
    fn relating_is_deterministic(
        articles in prop::collection::vec(article(), 1..24),
        batch in 1usize..8,
    ) {
        let one = relate(&articles, 1, articles.len());
        let many = relate(&articles, 3, batch);
        prop_assert_eq!(one, many);
    }
}
