//! The seed articles in ../shared/corpus/seeds: 000 (Uzbek) and 003 (German) are one op-ed,
//! 002 an interview on the same visit; 001 (a summit) and 004 (a telegram a year earlier) are
//! other stories.

use std::collections::{BTreeMap, BTreeSet};

use xabar_relate::LinkKind;

use crate::common::{prepare_all, relate, root};

#[test]
fn seeds_translation_and_stories() {
    let dir = root().join("../shared/corpus/seeds");
    if !dir.is_dir() {
        eprintln!("note: {} is missing; skipping the seed test", dir.display());
        return;
    }
    let related = relate(&prepare_all(&dir));
    assert_eq!(related.results.len(), 5);
    let translations: Vec<(String, String)> = related
        .links()
        .filter(|(_, _, link)| link.kind == LinkKind::Translation)
        .map(|(a, b, _)| (a, b))
        .collect();
    assert_eq!(translations, [("000".to_string(), "003".to_string())]);

    let mut stories: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (name, added) in &related.results {
        stories
            .entry(added.story.0.clone())
            .or_default()
            .insert(name);
    }
    let found: BTreeSet<BTreeSet<&str>> = stories.into_values().collect();
    let expected: BTreeSet<BTreeSet<&str>> = [
        BTreeSet::from(["000", "002", "003"]),
        BTreeSet::from(["001"]),
        BTreeSet::from(["004"]),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
}
