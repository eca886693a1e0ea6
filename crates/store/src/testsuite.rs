//! The behaviour every [`Store`] backend must show, as checks that take a fresh, empty store.
//!
//! A backend's tests call [`run_all`] with a function that opens a new empty store (a temporary
//! SQLite file, a fresh PostgreSQL schema), or call the checks one by one. Each check panics
//! with a message on failure, like an assertion in a test. The articles are small multilingual
//! texts analyzed by [`sample`]'s toy analysis (lower-cased words as terms, entity ids over the
//! mentions): the store does not care how terms were made, only that it keeps and finds them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use xabar_core::{
    ArticleId, DateMention, EntityId, EntityKind, Event, EventKind, Language, Mention, Quote,
    Script, Span,
};

use crate::model::*;
use crate::{Store, StoreError};

/// One named check.
type Check = (&'static str, fn(&mut dyn Store));

/// Every check, each on a fresh store from `open`.
pub fn run_all(open: &mut dyn FnMut() -> Box<dyn Store>) {
    let checks: &[Check] = &[
        ("round_trip", round_trip),
        ("idempotent_put", idempotent_put),
        ("update_on_change", update_on_change),
        (
            "annotations_replaced_on_update",
            annotations_replaced_on_update,
        ),
        ("identity_by_canonical_url", identity_by_canonical_url),
        ("identity_by_text_without_url", identity_by_text_without_url),
        ("search_ranking", search_ranking),
        ("search_across_alternatives", search_across_alternatives),
        ("search_filters", search_filters),
        ("search_snippets", search_snippets),
        ("search_pagination", search_pagination),
        (
            "listing_filters_and_pagination",
            listing_filters_and_pagination,
        ),
        ("entity_counts", entity_counts),
        ("quotes_by_speaker", quotes_by_speaker),
        ("links_upsert", links_upsert),
        ("stories_upsert", stories_upsert),
        (
            "relations_in_article_transaction",
            relations_in_article_transaction,
        ),
        ("batch_put", batch_put),
        ("export_completeness", export_completeness),
        ("source_journal", source_journal),
        ("checkpoints_and_arrivals", checkpoints_and_arrivals),
        ("invalid_records_rejected", invalid_records_rejected),
    ];
    for (name, check) in checks {
        let mut store = open();
        eprintln!("store testsuite: {name}");
        check(store.as_mut());
    }
}

/// A sample article to analyze with [`sample`].
#[derive(Debug, Clone)]
pub struct Sample<'a> {
    /// The article's URL (also its id's source), if any.
    pub url: Option<&'a str>,
    /// Language.
    pub language: Language,
    /// Script.
    pub script: Script,
    /// Outlet.
    pub outlet: Option<&'a str>,
    /// Published day of November 2025.
    pub day: Option<u32>,
    /// Clean text.
    pub text: &'a str,
    /// Names to mark as mentions wherever they occur: (surface, entity id, kind).
    pub names: &'a [(&'a str, &'a str, EntityKind)],
    /// Who says the `«…»` quotes in the text.
    pub speaker: Option<&'a str>,
}

/// A record for a sample: lower-cased words as terms, `e:<entity>` terms over every mention,
/// quotes between « and », and a date mention and an event when a day is given.
pub fn sample(s: &Sample<'_>) -> ArticleRecord {
    let text = s.text.to_string();
    let id = ArticleId::derive(s.url, &text);
    let mut terms = Vec::new();
    let mut word_start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            word_start.get_or_insert(i);
        } else if let Some(start) = word_start.take() {
            terms.push(IndexedTerm {
                term: text[start..i].to_lowercase(),
                start,
                end: i,
            });
        }
    }
    let mut mentions = Vec::new();
    for &(surface, entity, kind) in s.names {
        for (start, _) in text.match_indices(surface) {
            mentions.push(Mention {
                start,
                end: start + surface.len(),
                text: surface.to_string(),
                kind,
                entity: Some(EntityId(entity.to_string())),
                name: Some(entity.rsplit('/').next().unwrap_or(entity).to_string()),
                role: None,
            });
            terms.push(IndexedTerm {
                term: format!("e:{entity}"),
                start,
                end: start + surface.len(),
            });
        }
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    let mut quotes = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('«') {
        let start = rest + open + '«'.len_utf8();
        let Some(close) = text[start..].find('»') else {
            break;
        };
        let end = start + close;
        quotes.push(Quote {
            start,
            end,
            text: text[start..end].to_string(),
            speaker: s.speaker.map(|e| EntityId(e.to_string())),
            speaker_text: s.speaker.map(|_| "speaker".to_string()),
            cue: Some("said".into()),
            partial: false,
        });
        rest = end;
    }
    let published = s.day.and_then(|d| NaiveDate::from_ymd_opt(2025, 11, d));
    let (dates, events) = match published {
        Some(day) => {
            let end = text.find(' ').unwrap_or(text.len());
            (
                vec![DateMention {
                    start: 0,
                    end,
                    text: text[..end].to_string(),
                    value: day.to_string(),
                }],
                vec![Event {
                    kind: EventKind::Meeting,
                    date: Some(day.to_string()),
                    date_source: Some(xabar_core::DateSource::Published),
                    place: None,
                    participants: mentions
                        .iter()
                        .filter_map(|m| m.entity.clone())
                        .take(2)
                        .collect(),
                    evidence: Span::new(0, end),
                    planned: false,
                }],
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    ArticleRecord {
        id,
        source: format!("sample/{}", s.url.unwrap_or("none")),
        url: s.url.map(str::to_string),
        canonical_url: None,
        outlet: s.outlet.map(str::to_string),
        title: text.split('.').next().map(str::to_string),
        published,
        modified: None,
        language: s.language,
        script: s.script,
        paragraphs: vec![xabar_core::Paragraph {
            start: 0,
            end: text.len(),
            language: s.language,
            script: s.script,
        }],
        authors: vec!["A. Writer".into()],
        dateline: None,
        text_hash: ArticleRecord::hash_text(&text),
        mentions,
        quotes,
        dates,
        events,
        terms,
        text,
    }
}

const TOKAYEV: &str = "kb:person/tokayev";
const ASTANA: &str = "kb:place/astana";
const MIRZIYOYEV: &str = "kb:person/mirziyoyev";

/// A small multilingual corpus: Tokayev in four spellings, Astana, Mirziyoyev.
pub fn corpus() -> Vec<ArticleRecord> {
    use EntityKind::{Person, Place};
    let samples = [
        Sample {
            url: Some("https://example.kz/ru/1"),
            language: Language::Ru,
            script: Script::Cyrl,
            outlet: Some("Kazinform"),
            day: Some(10),
            text: "Токаев провёл встречу в Астане. Токаев заявил: «Мы открыты для диалога». \
                   Президент Токаев обсудил торговлю.",
            names: &[("Токаев", TOKAYEV, Person), ("Астане", ASTANA, Place)],
            speaker: Some(TOKAYEV),
        },
        Sample {
            url: Some("https://example.kz/kk/1"),
            language: Language::Kk,
            script: Script::Cyrl,
            outlet: Some("Kazinform"),
            day: Some(11),
            text: "Қасым-Жомарт Тоқаев Астанада шетелдік инвесторлармен кездесті. Ол экономика \
                   мен сауда мәселелерін талқылады, сондай-ақ көлік жобаларын қарады.",
            names: &[("Тоқаев", TOKAYEV, Person), ("Астанада", ASTANA, Place)],
            speaker: None,
        },
        Sample {
            url: Some("https://example.uz/1"),
            language: Language::Uz,
            script: Script::Cyrl,
            outlet: Some("Kun.uz"),
            day: Some(12),
            text: "Мирзиёев ва Тўқаев Тошкентда учрашди. Мирзиёев «Ҳамкорлик давом этади» деди.",
            names: &[
                ("Тўқаев", TOKAYEV, Person),
                ("Мирзиёев", MIRZIYOYEV, Person),
            ],
            speaker: Some(MIRZIYOYEV),
        },
        Sample {
            url: Some("https://example.de/1"),
            language: Language::De,
            script: Script::Latn,
            outlet: Some("Deutsche Welle"),
            day: Some(13),
            text: "Der kasachische Präsident Toqajew sprach in Astana über Handel, Energie, \
                   Verkehr, Bildung, Landwirtschaft und die Zusammenarbeit mit Europa und Asien.",
            names: &[("Toqajew", TOKAYEV, Person), ("Astana", ASTANA, Place)],
            speaker: None,
        },
        Sample {
            url: None,
            language: Language::En,
            script: Script::Latn,
            outlet: None,
            day: None,
            text: "Markets in Almaty rose on Tuesday as oil prices climbed.",
            names: &[],
            speaker: None,
        },
    ];
    samples.iter().map(sample).collect()
}

fn put_all(store: &mut dyn Store, records: &[ArticleRecord]) {
    for r in records {
        store.put_article(r).expect("put_article");
    }
}

fn ids(hits: &[SearchHit]) -> Vec<String> {
    hits.iter().map(|h| h.id.0.clone()).collect()
}

fn query(terms: &[&[&str]]) -> SearchQuery {
    SearchQuery {
        terms: terms
            .iter()
            .map(|g| g.iter().map(|t| t.to_string()).collect())
            .collect(),
        ..SearchQuery::default()
    }
}

/// What goes in comes out: every field, every annotation, terms in canonical order.
pub fn round_trip(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    for r in &records {
        let got = store.article(&r.id).expect("article").expect("stored");
        let mut expected = r.clone();
        expected.terms = crate::terms::canonical_terms(&r.terms);
        assert_eq!(got, expected, "round trip of {}", r.id);
    }
    assert!(
        store
            .article(&ArticleId("0000000000000000".into()))
            .expect("article")
            .is_none()
    );
    let stats = store.stats().expect("stats");
    assert_eq!(stats.articles, records.len() as u64);
    assert_eq!(
        stats.mentions,
        records.iter().map(|r| r.mentions.len() as u64).sum::<u64>()
    );
    assert_eq!(stats.quotes, 2);
    assert_eq!(stats.events, 4);
    assert_eq!(stats.dates, 4);
}

/// The same article twice is stored once; the second put is `Unchanged`, also when read from
/// another source and with its terms in another order.
pub fn idempotent_put(store: &mut dyn Store) {
    let records = corpus();
    for r in &records {
        assert_eq!(
            store.classify(r).expect("classify").outcome,
            PutOutcome::New
        );
        let put = store.put_article(r).expect("put");
        assert_eq!(
            put,
            Put {
                id: r.id.clone(),
                outcome: PutOutcome::New
            }
        );
    }
    let before = store.stats().expect("stats");
    for r in &records {
        let mut again = r.clone();
        again.source = "elsewhere/copy.txt".into();
        again.terms.reverse();
        assert_eq!(
            store.classify(&again).expect("classify").outcome,
            PutOutcome::Unchanged
        );
        let put = store.put_article(&again).expect("put");
        assert_eq!(
            put,
            Put {
                id: r.id.clone(),
                outcome: PutOutcome::Unchanged
            }
        );
    }
    assert_eq!(store.stats().expect("stats"), before);
    let first = store
        .article(&records[0].id)
        .expect("article")
        .expect("stored");
    assert_eq!(
        first.source, records[0].source,
        "an unchanged put keeps the first source"
    );
}

/// A changed version (same URL, other text) updates the article in place.
pub fn update_on_change(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let mut changed = records[0].clone();
    changed.text = changed.text.replace("торговлю", "энергетику");
    changed.text_hash = ArticleRecord::hash_text(&changed.text);
    changed.terms.retain(|t| t.term != "торговлю");
    let at = changed.text.find("энергетику").expect("word");
    changed.terms.push(IndexedTerm {
        term: "энергетику".into(),
        start: at,
        end: at + "энергетику".len(),
    });
    changed.paragraphs[0].end = changed.text.len();
    assert_eq!(
        store.classify(&changed).expect("classify").outcome,
        PutOutcome::Updated
    );
    let put = store.put_article(&changed).expect("put");
    assert_eq!(
        put,
        Put {
            id: records[0].id.clone(),
            outcome: PutOutcome::Updated
        }
    );
    assert_eq!(store.stats().expect("stats").articles, records.len() as u64);
    let got = store
        .article(&records[0].id)
        .expect("article")
        .expect("stored");
    assert_eq!(got.text, changed.text);
    assert!(
        store
            .search(&query(&[&["торговлю"]]))
            .expect("search")
            .is_empty()
    );
    assert_eq!(
        ids(&store.search(&query(&[&["энергетику"]])).expect("search")),
        vec![records[0].id.0.clone()]
    );
    // Metadata alone counts as a change too.
    let mut retitled = changed.clone();
    retitled.title = Some("Новый заголовок".into());
    assert_eq!(
        store.put_article(&retitled).expect("put").outcome,
        PutOutcome::Updated
    );
    assert_eq!(
        store.put_article(&retitled).expect("put").outcome,
        PutOutcome::Unchanged
    );
}

/// An update replaces mentions, quotes, dates, events and terms, and entity counts follow.
pub fn annotations_replaced_on_update(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let tokayev = EntityId(TOKAYEV.into());
    let before = store.entity(&tokayev).expect("entity").expect("stored");
    assert_eq!(before.articles, 4);
    assert_eq!(before.mentions, 6);

    let mut changed = records[0].clone();
    changed
        .mentions
        .retain(|m| m.entity.as_ref() != Some(&tokayev));
    changed.terms.retain(|t| t.term != format!("e:{TOKAYEV}"));
    changed.quotes.clear();
    changed.dates.clear();
    changed.events.clear();
    assert_eq!(
        store.put_article(&changed).expect("put").outcome,
        PutOutcome::Updated
    );
    let got = store
        .article(&changed.id)
        .expect("article")
        .expect("stored");
    assert_eq!(got.mentions, changed.mentions);
    assert!(got.quotes.is_empty() && got.dates.is_empty() && got.events.is_empty());

    let after = store.entity(&tokayev).expect("entity").expect("stored");
    assert_eq!(after.articles, 3);
    assert_eq!(after.mentions, 3);
    assert!(
        !after.aliases.iter().any(|a| a.text == "Токаев"),
        "an alias no stored mention uses is dropped: {:?}",
        after.aliases
    );
    let hits = store
        .search(&query(&[&[&format!("e:{TOKAYEV}")]]))
        .expect("search");
    assert!(!ids(&hits).contains(&changed.id.0));
    assert_eq!(hits.len(), 3);
    let stats = store.stats().expect("stats");
    assert_eq!(stats.quotes, 1);
    assert_eq!(stats.events, 3);
}

/// The same canonical URL reached through another URL is the same article, under its first id.
pub fn identity_by_canonical_url(store: &mut dyn Store) {
    let mut first = corpus().remove(0);
    first.canonical_url = Some("https://example.kz/ru/1/".into());
    store.put_article(&first).expect("put");
    let mut mirror = first.clone();
    mirror.url = Some("https://m.example.kz/ru/1?utm=x".into());
    mirror.id = ArticleId::derive(mirror.url.as_deref(), &mirror.text);
    mirror.canonical_url = Some("HTTPS://EXAMPLE.KZ/ru/1#top".into());
    assert_ne!(mirror.id, first.id);
    let other = corpus().remove(1);
    store.put_article(&other).expect("put");
    // Relations name the article by the record's id; they are stored under the kept id.
    let relations = Relations {
        links: Some(vec![link(&mirror.id, &other.id, LinkKind::Reprint, 0.9)]),
        stories: vec![story("m1", &[&mirror.id, &other.id], "mirror")],
    };
    let put = store.put_article_with(&mirror, &relations).expect("put");
    assert_eq!(put.id, first.id, "the first id is kept");
    assert_eq!(
        put.outcome,
        PutOutcome::Updated,
        "the URL differs, so the content does"
    );
    assert_eq!(store.stats().expect("stats").articles, 2);
    assert!(store.article(&mirror.id).expect("article").is_none());
    let links = store
        .links(&LinkFilter::default(), Page::all())
        .expect("links");
    assert_eq!(
        links,
        vec![link(&first.id, &other.id, LinkKind::Reprint, 0.9)]
    );
    assert_eq!(
        store.story_of(&first.id).expect("story_of"),
        Some(StoryId("m1".into()))
    );
    assert_eq!(store.story_of(&mirror.id).expect("story_of"), None);
}

/// Without a URL the normalized text is the identity: the same text is stored once, another
/// text is another article.
pub fn identity_by_text_without_url(store: &mut dyn Store) {
    let base = corpus().remove(4);
    assert!(base.url.is_none());
    assert_eq!(
        store.put_article(&base).expect("put").outcome,
        PutOutcome::New
    );
    assert_eq!(
        store.put_article(&base).expect("put").outcome,
        PutOutcome::Unchanged
    );
    let other = sample(&Sample {
        url: None,
        language: Language::En,
        script: Script::Latn,
        outlet: None,
        day: None,
        text: "Markets in Almaty fell on Tuesday as oil prices slid.",
        names: &[],
        speaker: None,
    });
    assert_eq!(
        store.put_article(&other).expect("put").outcome,
        PutOutcome::New
    );
    assert_eq!(store.stats().expect("stats").articles, 2);
}

/// BM25 sanity: more occurrences in a shorter text rank higher; articles without the term are
/// not returned; AND of groups narrows.
pub fn search_ranking(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let hits = store
        .search(&query(&[&[&format!("e:{TOKAYEV}")]]))
        .expect("search");
    assert_eq!(hits.len(), 4, "{hits:?}");
    assert_eq!(
        hits[0].id, records[0].id,
        "three mentions in a short text rank first"
    );
    assert!(
        hits.windows(2).all(|w| w[0].score >= w[1].score),
        "best first"
    );
    assert!(hits.iter().all(|h| h.score > 0.0));
    let both = store
        .search(&query(&[
            &[&format!("e:{TOKAYEV}")],
            &[&format!("e:{MIRZIYOYEV}")],
        ]))
        .expect("search");
    assert_eq!(ids(&both), vec![records[2].id.0.clone()]);
    assert!(
        store
            .search(&query(&[&["nonexistent"]]))
            .expect("search")
            .is_empty()
    );
    assert!(
        store
            .search(&query(&[&["токаев"], &[]]))
            .expect("search")
            .is_empty()
    );
    // Terms are exact strings: case and punctuation are kept, not folded or split.
    assert!(
        store
            .search(&query(&[&["Токаев"]]))
            .expect("search")
            .is_empty()
    );
    assert!(store.search(&query(&[&["e"]])).expect("search").is_empty());
    assert!(store.search(&query(&[&["kb"]])).expect("search").is_empty());
    // Query syntax in a term is a term, not syntax.
    for hostile in [
        "\"",
        "a OR b",
        "NEAR(x y)",
        "*",
        "токаев*",
        "(",
        "-x",
        "AND",
    ] {
        assert!(
            store
                .search(&query(&[&[hostile]]))
                .expect("search")
                .is_empty(),
            "{hostile}"
        );
    }
}

/// An OR-group finds every spelling: the way one query word reaches all scripts.
pub fn search_across_alternatives(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let spellings: &[&str] = &["токаев", "тоқаев", "тўқаев", "toqajew"];
    let hits = store.search(&query(&[spellings])).expect("search");
    let mut found = ids(&hits);
    found.sort();
    let mut expected: Vec<String> = records[..4].iter().map(|r| r.id.0.clone()).collect();
    expected.sort();
    assert_eq!(found, expected);
}

/// Language, date, outlet, entity and story filters narrow a search.
pub fn search_filters(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let story = Story {
        id: StoryId("s1".into()),
        label: serde_json::json!({"en": "Tokayev meets investors"}),
        first_seen: records[1].published,
        last_seen: records[3].published,
        articles: vec![records[1].id.clone(), records[3].id.clone()],
        languages: BTreeMap::from([(Language::Kk, 1), (Language::De, 1)]),
    };
    store.put_story(&story).expect("put_story");
    let term = format!("e:{TOKAYEV}");
    let run = |store: &dyn Store, filter: ArticleFilter| -> Vec<String> {
        let mut q = query(&[&[term.as_str()]]);
        q.filter = filter;
        let mut found = ids(&store.search(&q).expect("search"));
        found.sort();
        found
    };
    let id = |i: usize| records[i].id.0.clone();
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        run(
            &*store,
            ArticleFilter {
                language: Some(Language::Kk),
                ..Default::default()
            }
        ),
        vec![id(1)]
    );
    assert_eq!(
        run(
            &*store,
            ArticleFilter {
                since: NaiveDate::from_ymd_opt(2025, 11, 11),
                until: NaiveDate::from_ymd_opt(2025, 11, 12),
                ..Default::default()
            }
        ),
        sorted(vec![id(1), id(2)])
    );
    assert_eq!(
        run(
            &*store,
            ArticleFilter {
                outlet: Some("KAZINFORM".into()),
                ..Default::default()
            }
        ),
        sorted(vec![id(0), id(1)])
    );
    assert_eq!(
        run(
            &*store,
            ArticleFilter {
                entity: Some(EntityId(MIRZIYOYEV.into())),
                ..Default::default()
            }
        ),
        vec![id(2)]
    );
    assert_eq!(
        run(
            &*store,
            ArticleFilter {
                story: Some(StoryId("s1".into())),
                ..Default::default()
            }
        ),
        sorted(vec![id(1), id(3)])
    );
    // No terms: a filtered listing, newest first.
    let mut listing = SearchQuery {
        filter: ArticleFilter {
            outlet: Some("kazinform".into()),
            ..Default::default()
        },
        ..SearchQuery::default()
    };
    listing.page = Page::first(10);
    let hits = store.search(&listing).expect("search");
    assert_eq!(ids(&hits), vec![id(1), id(0)]);
    assert!(hits.iter().all(|h| h.score == 0.0 && !h.snippet.is_empty()));
}

/// Snippets show the real words of the text, marked as the style says.
pub fn search_snippets(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let mut q = query(&[&["toqajew", "токаев"], &["astana"]]);
    q.snippet = SnippetStyle {
        open: "«".into(),
        close: "»".into(),
        ellipsis: "...".into(),
        max_chars: 60,
    };
    let hits = store.search(&q).expect("search");
    assert_eq!(ids(&hits), vec![records[3].id.0.clone()]);
    let snippet = &hits[0].snippet;
    assert!(snippet.contains("«Toqajew»"), "{snippet}");
    assert!(snippet.contains("«Astana»"), "{snippet}");
    assert!(snippet.ends_with("..."), "{snippet}");
    assert!(snippet.chars().count() < 100, "{snippet}");
    // Entity terms mark the whole mention.
    let hits = store
        .search(&query(&[&[&format!("e:{MIRZIYOYEV}")]]))
        .expect("search");
    assert!(
        hits[0].snippet.contains("**Мирзиёев** ва"),
        "{}",
        hits[0].snippet
    );
    assert_eq!(
        hits[0].title.as_deref(),
        Some("Мирзиёев ва Тўқаев Тошкентда учрашди")
    );
    assert_eq!(hits[0].language, Language::Uz);
    assert_eq!(hits[0].source, records[2].source);
}

fn many(n: usize) -> Vec<ArticleRecord> {
    let texts: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "Article {i} about trade. {} Tokayev met delegation {i} in Astana on day {}.",
                "Trade talks continued. ".repeat(i % 4),
                i % 28 + 1
            )
        })
        .collect();
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let url = format!("https://example.org/{i}");
            let mut r = sample(&Sample {
                url: Some(&url),
                language: if i % 2 == 0 {
                    Language::En
                } else {
                    Language::De
                },
                script: Script::Latn,
                outlet: Some(if i % 3 == 0 { "Outlet A" } else { "Outlet B" }),
                day: Some((i % 28) as u32 + 1),
                text,
                names: &[
                    ("Tokayev", TOKAYEV, EntityKind::Person),
                    ("Astana", ASTANA, EntityKind::Place),
                ],
                speaker: Some(TOKAYEV),
            });
            r.quotes.push(Quote {
                start: 0,
                end: 7,
                text: "Article".into(),
                speaker: Some(EntityId(TOKAYEV.into())),
                speaker_text: Some("Tokayev".into()),
                cue: None,
                partial: true,
            });
            r
        })
        .collect()
}

/// Pages of a search are disjoint and together make the whole result.
pub fn search_pagination(store: &mut dyn Store) {
    let records = many(45);
    put_all(store, &records);
    let mut q = query(&[&["trade"]]);
    q.page = Page::all();
    let all = ids(&store.search(&q).expect("search"));
    assert_eq!(all.len(), 45);
    let mut paged = Vec::new();
    for offset in (0..50).step_by(10) {
        q.page = Page { limit: 10, offset };
        paged.extend(ids(&store.search(&q).expect("search")));
    }
    assert_eq!(paged, all);
    q.page = Page {
        limit: 0,
        offset: 0,
    };
    assert!(store.search(&q).expect("search").is_empty());
}

/// Listings filter, order and page; counts agree with them.
pub fn listing_filters_and_pagination(store: &mut dyn Store) {
    let mut records = many(30);
    records.extend(corpus());
    put_all(store, &records);
    let all = store
        .articles(
            &ArticleFilter::default(),
            ArticleOrder::NewestFirst,
            Page::all(),
        )
        .expect("articles");
    assert_eq!(all.len(), records.len());
    assert_eq!(
        store
            .count_articles(&ArticleFilter::default())
            .expect("count"),
        35
    );
    let dated: Vec<_> = all.iter().filter_map(|a| a.published).collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(all.last().expect("one").published.is_none(), "undated last");
    let oldest = store
        .articles(
            &ArticleFilter::default(),
            ArticleOrder::OldestFirst,
            Page::all(),
        )
        .expect("articles");
    assert!(
        oldest[0].published.is_none(),
        "undated first when oldest first"
    );
    let mut paged = Vec::new();
    for offset in (0..40).step_by(7) {
        paged.extend(
            store
                .articles(
                    &ArticleFilter::default(),
                    ArticleOrder::NewestFirst,
                    Page { limit: 7, offset },
                )
                .expect("articles"),
        );
    }
    assert_eq!(paged, all);
    let german = ArticleFilter {
        language: Some(Language::De),
        ..Default::default()
    };
    let listed = store
        .articles(&german, ArticleOrder::NewestFirst, Page::all())
        .expect("articles");
    assert_eq!(listed.len(), 16);
    assert!(listed.iter().all(|a| a.language == Language::De));
    assert_eq!(store.count_articles(&german).expect("count"), 16);
    let a = ArticleFilter {
        outlet: Some("outlet a".into()),
        ..Default::default()
    };
    assert_eq!(store.count_articles(&a).expect("count"), 10);
    let summary = &listed[0];
    let full = store
        .article(&summary.id)
        .expect("article")
        .expect("stored");
    assert_eq!(summary.length, full.text.len());
    assert_eq!(summary.title, full.title);
}

/// Entities are created from mentions, counted exactly, and upserts keep the counts.
pub fn entity_counts(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let tokayev = store
        .entity(&EntityId(TOKAYEV.into()))
        .expect("entity")
        .expect("created");
    assert_eq!(tokayev.kind, EntityKind::Person);
    assert_eq!((tokayev.mentions, tokayev.articles), (6, 4));
    let alias = |e: &Entity, text: &str| e.aliases.iter().find(|a| a.text == text).cloned();
    let ru = alias(&tokayev, "Токаев").expect("ru alias");
    assert_eq!(
        (ru.language, ru.script, ru.count),
        (Language::Ru, Script::Cyrl, 3)
    );
    let de = alias(&tokayev, "Toqajew").expect("de alias");
    assert_eq!(
        (de.language, de.script, de.count),
        (Language::De, Script::Latn, 1)
    );
    assert_eq!(tokayev.aliases[0].text, "Токаев", "most used first");

    store
        .upsert_entity(&Entity {
            id: EntityId(TOKAYEV.into()),
            kind: EntityKind::Person,
            name: "Kassym-Jomart Tokayev".into(),
            native_name: Some("Қасым-Жомарт Тоқаев".into()),
            aliases: vec![Alias {
                text: "Тоқаев Қ.-Ж.".into(),
                language: Language::Kk,
                script: Script::Cyrl,
                count: 99,
            }],
            mentions: 1000,
            articles: 1000,
        })
        .expect("upsert");
    let tokayev = store
        .entity(&EntityId(TOKAYEV.into()))
        .expect("entity")
        .expect("stored");
    assert_eq!(tokayev.name, "Kassym-Jomart Tokayev");
    assert_eq!(
        (tokayev.mentions, tokayev.articles),
        (6, 4),
        "counts are the store's"
    );
    assert_eq!(
        alias(&tokayev, "Тоқаев Қ.-Ж.").expect("known alias").count,
        0
    );

    // A known alias outlives the mentions that used it; an observed one does not.
    let mut kk = records[1].clone();
    kk.mentions.clear();
    store.put_article(&kk).expect("put");
    let tokayev = store
        .entity(&EntityId(TOKAYEV.into()))
        .expect("entity")
        .expect("stored");
    assert_eq!((tokayev.mentions, tokayev.articles), (5, 3));
    assert!(alias(&tokayev, "Тоқаев").is_none());
    assert!(alias(&tokayev, "Тоқаев Қ.-Ж.").is_some());

    let listed = store
        .entities(&EntityFilter::default(), Page::all())
        .expect("entities");
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].id.0, TOKAYEV, "most articles first");
    let places = store
        .entities(
            &EntityFilter {
                kind: Some(EntityKind::Place),
                min_articles: 1,
            },
            Page::all(),
        )
        .expect("entities");
    assert_eq!(
        places.iter().map(|e| e.id.0.as_str()).collect::<Vec<_>>(),
        vec![ASTANA]
    );
    assert!(
        store
            .entity(&EntityId("kb:none".into()))
            .expect("entity")
            .is_none()
    );
}

/// Quotes filter by speaker and article, newest first.
pub fn quotes_by_speaker(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let by = |speaker: &str| {
        store
            .quotes(
                &QuoteFilter {
                    speaker: Some(EntityId(speaker.into())),
                    ..Default::default()
                },
                Page::all(),
            )
            .expect("quotes")
    };
    let tokayev = by(TOKAYEV);
    assert_eq!(tokayev.len(), 1);
    assert_eq!(tokayev[0].quote.text, "Мы открыты для диалога");
    assert_eq!(tokayev[0].article, records[0].id);
    assert_eq!(tokayev[0].language, Language::Ru);
    let mirziyoyev = by(MIRZIYOYEV);
    assert_eq!(mirziyoyev[0].quote.text, "Ҳамкорлик давом этади");
    assert_eq!(mirziyoyev[0].index, 0);
    let all = store
        .quotes(&QuoteFilter::default(), Page::all())
        .expect("quotes");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].article, records[2].id, "newest first");
    let filtered = store
        .quotes(
            &QuoteFilter {
                articles: ArticleFilter {
                    language: Some(Language::Uz),
                    ..Default::default()
                },
                ..Default::default()
            },
            Page::all(),
        )
        .expect("quotes");
    assert_eq!(filtered.len(), 1);
}

fn link(a: &ArticleId, b: &ArticleId, kind: LinkKind, score: f64) -> Link {
    Link {
        a: a.clone(),
        b: b.clone(),
        kind,
        score,
        evidence: serde_json::json!({"entities": ["kb:person/tokayev"], "score": score}),
    }
}

/// Links replace by `(a, b, kind)` in either order; kinds are kept apart.
pub fn links_upsert(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let (a, b, c) = (&records[0].id, &records[1].id, &records[3].id);
    store
        .put_links(&[
            link(a, b, LinkKind::Translation, 0.8),
            link(a, c, LinkKind::Translation, 0.6),
        ])
        .expect("put_links");
    store
        .put_links(&[link(b, a, LinkKind::Translation, 0.9)])
        .expect("put_links");
    store
        .put_links(&[link(a, b, LinkKind::Reprint, 0.3)])
        .expect("put_links");
    let all = store
        .links(&LinkFilter::default(), Page::all())
        .expect("links");
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(
        all[0],
        link(b, a, LinkKind::Translation, 0.9),
        "replaced, best first"
    );
    let of_c = store
        .links(
            &LinkFilter {
                article: Some(c.clone()),
                kind: None,
            },
            Page::all(),
        )
        .expect("links");
    assert_eq!(of_c, vec![link(a, c, LinkKind::Translation, 0.6)]);
    let reprints = store
        .links(
            &LinkFilter {
                article: Some(a.clone()),
                kind: Some(LinkKind::Reprint),
            },
            Page::all(),
        )
        .expect("links");
    assert_eq!(reprints.len(), 1);
    let err = store
        .put_links(&[link(a, a, LinkKind::Duplicate, 1.0)])
        .expect_err("self link");
    assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err}");
    assert_eq!(
        store.stats().expect("stats").links,
        3,
        "a failed batch writes nothing"
    );
}

fn story(id: &str, members: &[&ArticleId], label: &str) -> Story {
    Story {
        id: StoryId(id.into()),
        label: serde_json::json!({ "en": label }),
        first_seen: NaiveDate::from_ymd_opt(2025, 11, 10),
        last_seen: NaiveDate::from_ymd_opt(2025, 11, 10 + members.len() as u32),
        articles: members.iter().map(|&a| a.clone()).collect(),
        languages: BTreeMap::from([(Language::Ru, members.len() as u32)]),
    }
}

/// Stories upsert; members are exact and an article moves between stories.
pub fn stories_upsert(store: &mut dyn Store) {
    let records = corpus();
    put_all(store, &records);
    let [a, b, c, ..] = &records[..] else {
        unreachable!("the corpus has five articles")
    };
    let (a, b, c) = (&a.id, &b.id, &c.id);
    let sorted = |ids: &[&ArticleId]| {
        let mut v: Vec<ArticleId> = ids.iter().map(|&i| i.clone()).collect();
        v.sort();
        v
    };
    store
        .put_story(&story("s1", &[a, b], "first"))
        .expect("put_story");
    store
        .put_story(&story("s1", &[a, c], "second"))
        .expect("put_story");
    let s1 = store
        .story(&StoryId("s1".into()))
        .expect("story")
        .expect("stored");
    assert_eq!(s1.articles, sorted(&[a, c]));
    assert_eq!(s1.label, serde_json::json!({"en": "second"}));
    assert_eq!(store.story_of(b).expect("story_of"), None);
    store
        .put_story(&story("s2", &[b, c, b], "third"))
        .expect("put_story");
    let s1 = store
        .story(&StoryId("s1".into()))
        .expect("story")
        .expect("stored");
    assert_eq!(s1.articles, vec![a.clone()], "c moved to s2");
    assert_eq!(
        store.story_of(c).expect("story_of"),
        Some(StoryId("s2".into()))
    );
    let listed = store
        .stories(&StoryFilter::default(), Page::all())
        .expect("stories");
    assert_eq!(
        listed.iter().map(|s| s.id.0.as_str()).collect::<Vec<_>>(),
        vec!["s2", "s1"],
        "latest last_seen first"
    );
    let big = store
        .stories(
            &StoryFilter {
                min_articles: 2,
                language: None,
            },
            Page::all(),
        )
        .expect("stories");
    assert_eq!(big.len(), 1);
    assert_eq!(big[0].articles, sorted(&[b, c]));
    let uzbek = store
        .stories(
            &StoryFilter {
                min_articles: 0,
                language: Some(Language::Uz),
            },
            Page::all(),
        )
        .expect("stories");
    assert_eq!(
        uzbek.iter().map(|s| s.id.0.as_str()).collect::<Vec<_>>(),
        vec!["s2"]
    );
    let summary = store
        .articles(
            &ArticleFilter {
                story: Some(StoryId("s2".into())),
                ..Default::default()
            },
            ArticleOrder::NewestFirst,
            Page::all(),
        )
        .expect("articles");
    assert!(
        summary
            .iter()
            .all(|s| s.story == Some(StoryId("s2".into())))
    );
    assert!(store.delete_story(&StoryId("s2".into())).expect("delete"));
    assert!(!store.delete_story(&StoryId("s2".into())).expect("delete"));
    assert_eq!(store.story_of(c).expect("story_of"), None);
    assert_eq!(store.stats().expect("stats").stories, 1);
}

/// An article's links and story are written with it, under the id it is stored with, and
/// ignored when the article is unchanged.
pub fn relations_in_article_transaction(store: &mut dyn Store) {
    let records = corpus();
    store.put_article(&records[1]).expect("put");
    let relations = Relations {
        links: Some(vec![link(
            &records[0].id,
            &records[1].id,
            LinkKind::Translation,
            0.7,
        )]),
        stories: vec![story("s9", &[&records[0].id, &records[1].id], "visit")],
    };
    let put = store
        .put_article_with(&records[0], &relations)
        .expect("put");
    assert_eq!(put.outcome, PutOutcome::New);
    assert_eq!(
        store
            .links(&LinkFilter::default(), Page::all())
            .expect("links")
            .len(),
        1
    );
    assert_eq!(
        store.story_of(&records[0].id).expect("story_of"),
        Some(StoryId("s9".into()))
    );

    // Unchanged: the relations given now are not applied.
    let other = Relations {
        links: Some(Vec::new()),
        stories: vec![story("s10", &[&records[0].id], "other")],
    };
    let put = store.put_article_with(&records[0], &other).expect("put");
    assert_eq!(put.outcome, PutOutcome::Unchanged);
    assert_eq!(
        store
            .links(&LinkFilter::default(), Page::all())
            .expect("links")
            .len(),
        1
    );
    assert!(
        store
            .story(&StoryId("s10".into()))
            .expect("story")
            .is_none()
    );

    // Updated with `links: None` keeps the links; with `Some` it replaces them.
    let mut changed = records[0].clone();
    changed.title = Some("changed".into());
    store
        .put_article_with(&changed, &Relations::default())
        .expect("put");
    assert_eq!(
        store
            .links(&LinkFilter::default(), Page::all())
            .expect("links")
            .len(),
        1
    );
    changed.title = Some("changed again".into());
    let replace = Relations {
        links: Some(vec![link(
            &records[0].id,
            &records[1].id,
            LinkKind::Reprint,
            0.5,
        )]),
        stories: Vec::new(),
    };
    store.put_article_with(&changed, &replace).expect("put");
    let links = store
        .links(&LinkFilter::default(), Page::all())
        .expect("links");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].kind, LinkKind::Reprint);

    // A bad relation fails the whole article: nothing of it is stored.
    let bad = Relations {
        links: Some(vec![link(
            &records[2].id,
            &records[2].id,
            LinkKind::Duplicate,
            1.0,
        )]),
        stories: Vec::new(),
    };
    assert!(store.put_article_with(&records[2], &bad).is_err());
    assert!(store.article(&records[2].id).expect("article").is_none());
    assert_eq!(store.stats().expect("stats").articles, 2);
}

/// A batch writes its good articles, refuses its bad ones alone, and sees its own earlier
/// articles.
pub fn batch_put(store: &mut dyn Store) {
    let records = corpus();
    let mut invalid = records[1].clone();
    invalid.terms.push(IndexedTerm {
        term: "x".into(),
        start: 0,
        end: usize::MAX,
    });
    let self_link = Relations {
        links: Some(vec![link(
            &records[2].id,
            &records[2].id,
            LinkKind::Duplicate,
            1.0,
        )]),
        stories: Vec::new(),
    };
    let mut changed = records[0].clone();
    changed.title = Some("changed".into());
    let with_story = Relations {
        links: None,
        stories: vec![story("b1", &[&records[3].id], "batch")],
    };
    let batch = vec![
        (records[0].clone(), Relations::default()),
        (invalid, Relations::default()),
        (records[2].clone(), self_link),
        (records[0].clone(), Relations::default()),
        (changed, Relations::default()),
        (records[3].clone(), with_story),
    ];
    let results = store.put_articles(&batch).expect("batch");
    assert_eq!(results.len(), batch.len());
    let outcomes: Vec<Option<PutOutcome>> = results
        .iter()
        .map(|r| r.as_ref().ok().map(|p| p.outcome))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            Some(PutOutcome::New),
            None,
            None,
            Some(PutOutcome::Unchanged),
            Some(PutOutcome::Updated),
            Some(PutOutcome::New)
        ]
    );
    for r in &results {
        if let Err(e) = r {
            assert!(matches!(e, StoreError::InvalidRecord { .. }), "{e}");
        }
    }
    assert_eq!(store.stats().expect("stats").articles, 2);
    assert!(
        store.article(&records[2].id).expect("article").is_none(),
        "undone alone"
    );
    let first = store
        .article(&records[0].id)
        .expect("article")
        .expect("stored");
    assert_eq!(first.title.as_deref(), Some("changed"));
    assert_eq!(
        store.story_of(&records[3].id).expect("story_of"),
        Some(StoryId("b1".into()))
    );
    assert_eq!(store.put_articles(&[]).expect("empty batch").len(), 0);
}

/// Exports return every row once, complete, across several batches.
pub fn export_completeness(store: &mut dyn Store) {
    let records = many(300);
    put_all(store, &records);
    for pair in records.windows(2).step_by(3) {
        store
            .put_links(&[link(&pair[0].id, &pair[1].id, LinkKind::Reprint, 0.5)])
            .expect("put_links");
    }
    for (i, chunk) in records.chunks(7).enumerate() {
        let members: Vec<&ArticleId> = chunk.iter().map(|r| &r.id).collect();
        store
            .put_story(&story(&format!("s{i:03}"), &members, "chunk"))
            .expect("put_story");
    }
    let stats = store.stats().expect("stats");

    let articles: Vec<ArticleRecord> = store
        .export_articles()
        .expect("export")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(articles.len() as u64, stats.articles);
    let keys: Vec<(Option<NaiveDate>, &ArticleId)> =
        articles.iter().map(|a| (a.published, &a.id)).collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "oldest first, then id, no repeats"
    );
    for a in articles.iter().step_by(37) {
        assert_eq!(Some(a), store.article(&a.id).expect("article").as_ref());
    }
    let quotes: Vec<StoredQuote> = store
        .export_quotes()
        .expect("export")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(quotes.len() as u64, stats.quotes);
    assert_eq!(quotes.len(), 300);
    let mut seen: Vec<(ArticleId, usize)> = quotes
        .iter()
        .map(|q| (q.article.clone(), q.index))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), quotes.len());
    let links: Vec<Link> = store
        .export_links()
        .expect("export")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(links.len() as u64, stats.links);
    assert_eq!(links.len(), 100);
    let stories: Vec<Story> = store
        .export_stories()
        .expect("export")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(stories.len() as u64, stats.stories);
    assert_eq!(stories.iter().map(|s| s.articles.len()).sum::<usize>(), 300);
    let entities: Vec<Entity> = store
        .export_entities()
        .expect("export")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(entities.len() as u64, stats.entities);
    let tokayev = entities
        .iter()
        .find(|e| e.id.0 == TOKAYEV)
        .expect("tokayev");
    assert_eq!(tokayev.articles, 300);
}

/// The ingest journal keeps one entry per input, replaced on each write.
pub fn source_journal(store: &mut dyn Store) {
    assert!(
        store
            .source_state("corpus/a.jsonl")
            .expect("state")
            .is_none()
    );
    let mut state = SourceState {
        key: "corpus/a.jsonl".into(),
        stamp: "1234:1700000000".into(),
        items: 10,
        complete: false,
    };
    store.put_source_state(&state).expect("put");
    assert_eq!(
        store.source_state(&state.key).expect("state"),
        Some(state.clone())
    );
    state.items = 25;
    state.complete = true;
    store.put_source_state(&state).expect("put");
    assert_eq!(store.source_state(&state.key).expect("state"), Some(state));
}

/// Checkpoints are saved and replaced by name; arrival positions grow with each new article,
/// stay with an updated one, and list exactly the articles after a position, in arrival order.
pub fn checkpoints_and_arrivals(store: &mut dyn Store) {
    assert_eq!(store.last_arrival().expect("last"), 0);
    assert!(store.checkpoint("relate").expect("checkpoint").is_none());
    assert_eq!(store.export_arrivals(0).expect("export").count(), 0);
    let records = corpus();
    put_all(store, &records[..2]);
    let middle = store.last_arrival().expect("last");
    assert!(middle > 0);
    let saved = Checkpoint {
        position: middle,
        data: "{\"state\": [1, 2]}".into(),
    };
    store.put_checkpoint("relate", &saved).expect("put");
    store
        .put_checkpoint(
            "other",
            &Checkpoint {
                position: 1,
                data: String::new(),
            },
        )
        .expect("put");
    assert_eq!(
        store.checkpoint("relate").expect("get"),
        Some(saved.clone())
    );
    put_all(store, &records[2..]);
    let last = store.last_arrival().expect("last");
    let all: Vec<(u64, ArticleRecord)> = store
        .export_arrivals(0)
        .expect("export")
        .collect::<crate::Result<_>>()
        .expect("rows");
    assert_eq!(all.len(), records.len());
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "arrival order");
    assert_eq!(all.last().map(|a| a.0), Some(last));
    let ids: Vec<&ArticleId> = all.iter().map(|a| &a.1.id).collect();
    let expected: Vec<&ArticleId> = records.iter().map(|r| &r.id).collect();
    assert_eq!(ids, expected);
    let heads: Vec<(u64, ArticleRecord)> = store
        .export_arrival_heads(0)
        .expect("export")
        .collect::<crate::Result<_>>()
        .expect("rows");
    assert_eq!(heads.len(), all.len());
    for ((n, head), (m, full)) in heads.iter().zip(&all) {
        assert_eq!(n, m);
        let bare = ArticleRecord {
            text: String::new(),
            paragraphs: Vec::new(),
            quotes: Vec::new(),
            dates: Vec::new(),
            events: Vec::new(),
            terms: Vec::new(),
            ..full.clone()
        };
        assert_eq!(head, &bare);
        assert!(!head.mentions.is_empty() || full.mentions.is_empty());
    }
    assert_eq!(
        store.export_arrival_heads(middle).expect("export").count(),
        records.len() - 2
    );
    let after: Vec<ArticleId> = store
        .export_arrivals(middle)
        .expect("export")
        .map(|r| r.expect("row").1.id)
        .collect();
    assert_eq!(
        after,
        records[2..]
            .iter()
            .map(|r| r.id.clone())
            .collect::<Vec<_>>()
    );
    // An update keeps the article's place.
    let mut changed = records[0].clone();
    changed.title = Some("A new title".into());
    assert_eq!(
        store.put_article(&changed).expect("put").outcome,
        PutOutcome::Updated
    );
    assert_eq!(store.last_arrival().expect("last"), last);
    assert_eq!(store.export_arrivals(last).expect("export").count(), 0);
    let replaced = Checkpoint {
        position: last,
        data: "later".into(),
    };
    store.put_checkpoint("relate", &replaced).expect("put");
    assert_eq!(store.checkpoint("relate").expect("get"), Some(replaced));
    assert_eq!(
        store.checkpoint("other").expect("get").map(|c| c.position),
        Some(1)
    );
}

/// Records with spans outside the text or off character boundaries are refused, and nothing
/// of them is stored.
pub fn invalid_records_rejected(store: &mut dyn Store) {
    let good = corpus().remove(0);
    let mut bad_term = good.clone();
    bad_term.terms.push(IndexedTerm {
        term: "x".into(),
        start: 0,
        end: good.text.len() + 1,
    });
    let mut bad_boundary = good.clone();
    bad_boundary.mentions[0].end = 1; // inside the two-byte "Т"
    let mut empty_id = good.clone();
    empty_id.id = ArticleId(String::new());
    for bad in [bad_term, bad_boundary, empty_id] {
        let err = store.put_article(&bad).expect_err("invalid");
        assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err}");
        assert!(err.is_user_error());
    }
    assert_eq!(store.stats().expect("stats").articles, 0);
    assert_eq!(store.stats().expect("stats").entities, 0);
}
