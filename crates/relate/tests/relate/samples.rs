//! The sample corpus (samples/README.md): its translations, script twin and reprint are
//! linked, and nothing else is; its stories are A, B and C, and the distractors stand alone.

use std::collections::{BTreeMap, BTreeSet};

use xabar_relate::LinkKind;

use crate::common::{Related, prepare_all, relate, root};

fn samples() -> Related {
    let mut articles = prepare_all(&root().join("samples/articles"));
    articles.extend(prepare_all(&root().join("samples/articles.jsonl")));
    assert_eq!(
        articles.len(),
        18,
        "the sample corpus has 15 files and 3 JSONL lines"
    );
    relate(&articles)
}

#[test]
fn sample_links_are_the_documented_pairs() {
    let related = samples();
    let found: BTreeSet<(String, String, LinkKind)> = related
        .links()
        .map(|(a, b, link)| (a, b, link.kind))
        .collect();
    let expected: BTreeSet<(String, String, LinkKind)> = [
        ("02", "03", LinkKind::Translation),
        ("06", "07", LinkKind::Translation),
        ("04", "05", LinkKind::Script),
        ("06", "08", LinkKind::Reprint),
    ]
    .into_iter()
    .map(|(a, b, k)| (a.to_string(), b.to_string(), k))
    .collect();
    assert_eq!(found, expected);
    for (_, _, link) in related.links() {
        assert!((0.0..=1.0).contains(&link.score));
        assert!(link.evidence.length_ratio > 0.5);
    }
}

#[test]
fn sample_stories_are_a_b_c_and_two_loners() {
    let related = samples();
    let mut stories: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, added) in &related.results {
        stories
            .entry(added.story.0.clone())
            .or_default()
            .insert(name.clone());
    }
    let set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
    let found: BTreeSet<BTreeSet<String>> = stories.into_values().collect();
    let expected: BTreeSet<BTreeSet<String>> = [
        set(&["01", "02", "03", "04", "05", "jsonl:1"]),
        set(&["06", "07", "08", "09", "jsonl:2"]),
        set(&["10", "11", "12", "13", "jsonl:3"]),
        set(&["14"]),
        set(&["15"]),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn sample_story_a_describes_itself() {
    let related = samples();
    let (_, first) = related
        .results
        .iter()
        .find(|(name, _)| name == "02")
        .expect("article 02 was added");
    let story = &related.stories[&first.story];
    // Members by language: kk, ru, en (two), uz (two: one per script).
    let counts: BTreeMap<&str, usize> = story
        .languages
        .iter()
        .map(|(l, ids)| (l.code(), ids.len()))
        .collect();
    assert_eq!(
        counts,
        BTreeMap::from([("en", 2), ("kk", 1), ("ru", 1), ("uz", 2)])
    );
    assert_eq!(story.articles.len(), 6);
    // Its links: the translation 02→03 and the script twin 04→05.
    let kinds: BTreeSet<LinkKind> = story.links.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([LinkKind::Script, LinkKind::Translation])
    );
    assert_eq!(
        story.first_seen,
        chrono::NaiveDate::from_ymd_opt(2025, 3, 12)
    );
    assert_eq!(
        story.last_seen,
        chrono::NaiveDate::from_ymd_opt(2025, 3, 13)
    );
    // A label in Latin and in every member language, naming someone or something.
    assert!(!story.label.latin.is_empty());
    assert!(
        story.label.latin.is_ascii()
            || story
                .label
                .latin
                .chars()
                .all(|c| c.is_alphabetic() || !c.is_alphanumeric())
    );
    assert_eq!(story.label.by_language.len(), 4);
    assert!(story.label.by_language.values().all(|l| !l.is_empty()));
}
