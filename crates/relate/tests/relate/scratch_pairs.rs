//! Temporary: evidence of every cross-language pair of the samples and seeds.
use crate::common::{name, prepare_all, root};
use xabar_relate::link::{translation_evidence, translation_score};
use xabar_relate::{ArticleView, DocFrequencies, Profile};

#[test]
fn scratch_pairs() {
    let mut articles = prepare_all(&root().join("samples/articles"));
    articles.extend(prepare_all(&root().join("samples/articles.jsonl")));
    let seeds = prepare_all(&root().join("../shared/corpus/seeds"));
    for set in [articles, seeds] {
        let profiles: Vec<Profile> = set
            .iter()
            .map(|a| Profile::new(&ArticleView::of(a)))
            .collect();
        let mut df = DocFrequencies::new();
        for p in &profiles {
            df.add(p);
        }
        for i in 0..set.len() {
            for j in i + 1..set.len() {
                if let Some(e) = translation_evidence(&profiles[i], &profiles[j], &df) {
                    println!(
                        "PAIR {} {} fit={:.3} numagr={:.3} quoteagr={:.3} score={:.3} shared={:.3} order={:.3} places={:.3} agreement={:.3} shape={:.3} length={:.3} matched={} {:?} {:?}",
                        name(&set[i]),
                        name(&set[j]),
                        e.paragraph_fit.unwrap_or(-1.0),
                        e.number_agreement.unwrap_or(-1.0),
                        e.quote_agreement.unwrap_or(-1.0),
                        translation_score(&e),
                        e.shared_anchors.unwrap(),
                        e.anchor_order.unwrap(),
                        e.anchor_places.unwrap(),
                        e.paragraph_agreement.unwrap(),
                        e.paragraph_shape.unwrap(),
                        e.length_ratio,
                        e.names.unwrap_or(0) + e.numbers.unwrap_or(0),
                        e.paragraphs.unwrap(),
                        e.quotes.unwrap()
                    );
                }
            }
        }
    }
}

#[test]
fn scratch_similarity() {
    let mut articles = prepare_all(&root().join("samples/articles"));
    articles.extend(prepare_all(&root().join("samples/articles.jsonl")));
    let story = |n: &str| match n {
        "01" | "02" | "03" | "04" | "05" | "jsonl:1" => "A",
        "06" | "07" | "08" | "09" | "jsonl:2" => "B",
        "10" | "11" | "12" | "13" | "jsonl:3" => "C",
        _ => "-",
    };
    let profiles: Vec<Profile> = articles
        .iter()
        .map(|a| Profile::new(&ArticleView::of(a)))
        .collect();
    let mut df = DocFrequencies::new();
    for p in &profiles {
        df.add(p);
    }
    for i in 0..articles.len() {
        for j in i + 1..articles.len() {
            let (a, b) = (name(&articles[i]), name(&articles[j]));
            if articles[i].language == articles[j].language {
                continue;
            }
            let p = xabar_relate::similarity_parts(&profiles[i], &profiles[j], &df);
            println!(
                "SIM {} {a} {b} {} {} lex={:.3} anch={:.3} comb={:.3}",
                if story(&a) == story(&b) && story(&a) != "-" {
                    "SAME"
                } else {
                    "diff"
                },
                articles[i].language,
                articles[j].language,
                p.lexical,
                p.anchors,
                p.combined()
            );
        }
    }
}

#[test]
fn scratch_seed_similarity() {
    let set = prepare_all(&root().join("../shared/corpus/seeds"));
    let profiles: Vec<Profile> = set
        .iter()
        .map(|a| Profile::new(&ArticleView::of(a)))
        .collect();
    let mut df = DocFrequencies::new();
    for p in &profiles {
        df.add(p);
    }
    for i in 0..set.len() {
        for j in i + 1..set.len() {
            let p = xabar_relate::similarity_parts(&profiles[i], &profiles[j], &df);
            println!(
                "SEED {} {} lex={:.3} anch={:.3} comb={:.3}",
                name(&set[i]),
                name(&set[j]),
                p.lexical,
                p.anchors,
                p.combined()
            );
        }
    }
}

#[test]
fn scratch_seed_anchors() {
    let set = prepare_all(&root().join("../shared/corpus/seeds"));
    let profiles: Vec<Profile> = set
        .iter()
        .map(|a| Profile::new(&ArticleView::of(a)))
        .collect();
    for (i, j) in [(0usize, 1usize), (0, 3), (0, 2), (0, 4), (1, 2)] {
        let (a, b) = (&profiles[i], &profiles[j]);
        let hb: std::collections::HashSet<u64> = b.anchors.iter().map(|x| x.hash).collect();
        let mut shared: Vec<String> = a
            .anchors
            .iter()
            .filter(|x| hb.contains(&x.hash))
            .map(|x| {
                a.label_names
                    .iter()
                    .find(|n| n.anchor == x.hash)
                    .map(|n| n.surface.clone())
                    .unwrap_or(format!("{:?}", x.kind))
            })
            .collect();
        shared.dedup();
        println!("ANCH {} {} {:?}", name(&set[i]), name(&set[j]), shared);
    }
}

#[test]
fn scratch_labels() {
    let mut articles = prepare_all(&root().join("samples/articles"));
    articles.extend(prepare_all(&root().join("samples/articles.jsonl")));
    let related = crate::common::relate(&articles);
    for s in related.stories.values() {
        println!(
            "LABEL {} {:?} {:?}..{:?}",
            s.id, s.label, s.first_seen, s.last_seen
        );
    }
}
