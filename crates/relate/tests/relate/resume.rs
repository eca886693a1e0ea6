//! A relator saved midway and restored continues exactly as one that never stopped, which is
//! what lets an interrupted ingest resume.

use xabar_relate::{Added, ArticleView, Profile, Relator, Story};

use crate::common::{in_order, prepare_all, root};

fn stories(relator: &Relator) -> Vec<Story> {
    let mut all: Vec<Story> = relator.stories().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all
}

#[test]
fn saved_and_restored_relator_continues_the_same() {
    let mut articles = prepare_all(&root().join("samples/articles"));
    articles.extend(prepare_all(&root().join("samples/articles.jsonl")));
    let profiles: Vec<Profile> = in_order(&articles)
        .into_iter()
        .map(|a| Profile::new(&ArticleView::of(a)))
        .collect();

    let mut straight = Relator::default();
    let expected: Vec<Added> = profiles.iter().map(|p| straight.add(p.clone())).collect();

    for cut in [1, 5, 9, 13, profiles.len() - 1] {
        let mut first = Relator::default();
        let mut results: Vec<Added> = profiles[..cut]
            .iter()
            .map(|p| first.add(p.clone()))
            .collect();
        let saved = serde_json::to_string(&first).expect("the relator serializes");
        drop(first);
        let mut resumed: Relator = serde_json::from_str(&saved).expect("the state restores");
        results.extend(profiles[cut..].iter().map(|p| resumed.add(p.clone())));
        assert_eq!(results, expected, "cut after {cut} articles");
        assert_eq!(
            stories(&resumed),
            stories(&straight),
            "cut after {cut} articles"
        );
    }
}

#[test]
fn a_state_from_a_newer_version_is_refused() {
    let saved = serde_json::to_value(Relator::default()).expect("the relator serializes");
    let mut newer = saved.clone();
    newer["version"] = serde_json::json!(99);
    let error = serde_json::from_value::<Relator>(newer).expect_err("a newer state is refused");
    assert!(error.to_string().contains("version 99"), "{error}");
    assert!(serde_json::from_value::<Relator>(saved).is_ok());
}
