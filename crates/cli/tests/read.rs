//! End-to-end tests of the commands over the store: `search`, `links`, `stories`, `story`,
//! `export` and `digest`, on a store that `xabar ingest` fills with the sample corpus
//! (`samples/`), and on the seed articles of `../shared/corpus/seeds/` where present.
//!
//! What a search should find is computed apart from the search: from the mentions that
//! `xabar analyze` reports and from the texts themselves.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn xabar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xabar"))
        .args(args)
        .current_dir(root())
        .env_remove("XABAR_DB")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("xabar runs")
}

fn ok(args: &[&str]) -> String {
    let out = xabar(args);
    assert!(
        out.status.success(),
        "xabar {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xabar-read-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const SAMPLES: [&str; 2] = ["samples/articles", "samples/articles.jsonl"];

/// The sample corpus ingested once into a store shared by every test of this file.
fn sample_store() -> &'static str {
    static STORE: OnceLock<String> = OnceLock::new();
    STORE.get_or_init(|| {
        let db = temp_dir("samples").join("xabar.db");
        let db = db.to_str().expect("UTF-8 temp path").to_string();
        ok(&["ingest", SAMPLES[0], SAMPLES[1], "--db", &db]);
        db
    })
}

/// The sample articles as `xabar analyze` reports them, by id.
fn analyzed_samples() -> &'static HashMap<String, Value> {
    static ARTICLES: OnceLock<HashMap<String, Value>> = OnceLock::new();
    ARTICLES.get_or_init(|| {
        json_lines(&ok(&["analyze", SAMPLES[0], SAMPLES[1], "--quiet"]))
            .into_iter()
            .map(|a| (a["id"].as_str().expect("id").to_string(), a))
            .collect()
    })
}

/// The ids of the analyzed articles with a mention linked to `entity`.
fn mentioning(articles: &HashMap<String, Value>, entity: &str) -> BTreeSet<String> {
    articles
        .iter()
        .filter(|(_, a)| {
            a["mentions"]
                .as_array()
                .is_some_and(|ms| ms.iter().any(|m| m["entity"] == entity))
        })
        .map(|(id, _)| id.clone())
        .collect()
}

fn search(db: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--db", db, "--json", "--limit", "100"];
    all.extend_from_slice(args);
    json_lines(&ok(&all))
}

fn ids(hits: &[Value]) -> BTreeSet<String> {
    hits.iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

const TOKAYEV: &str = "kb:person/tokayev";
const SPELLINGS: [&str; 4] = ["Tokayev", "Toqajew", "Тоқаев", "Тўқаев"];

#[test]
fn every_spelling_of_tokayev_finds_every_article_that_names_him() {
    let expected = mentioning(analyzed_samples(), TOKAYEV);
    assert!(
        expected.len() >= 4,
        "the samples name Tokayev in several articles: {expected:?}"
    );
    let db = sample_store();
    for spelling in SPELLINGS {
        let found = ids(&search(db, &[spelling]));
        let missing: Vec<&String> = expected.difference(&found).collect();
        assert!(missing.is_empty(), "{spelling}: missing {missing:?}");
    }
}

#[test]
fn astana_finds_articles_that_write_it_only_in_cyrillic() {
    let articles = analyzed_samples();
    let cyrillic_only: BTreeSet<String> = articles
        .iter()
        .filter(|(_, a)| {
            let text = a["text"].as_str().unwrap_or_default().to_lowercase();
            (text.contains("астана") || text.contains("остона")) && !text.contains("astana")
        })
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        !cyrillic_only.is_empty(),
        "the samples write Астана in Cyrillic"
    );
    let found = ids(&search(sample_store(), &["Astana"]));
    let missing: Vec<&String> = cyrillic_only.difference(&found).collect();
    assert!(missing.is_empty(), "Astana: missing {missing:?}");
}

#[test]
fn json_hits_carry_the_documented_fields_and_marked_snippets() {
    let hits = search(sample_store(), &["Mirziyoyev"]);
    assert!(!hits.is_empty());
    for hit in &hits {
        for field in [
            "id",
            "source",
            "score",
            "snippet",
            "title",
            "url",
            "published",
            "language",
        ] {
            assert!(hit.get(field).is_some(), "no {field} in {hit}");
        }
        assert!(hit["score"].as_f64().is_some_and(|s| s > 0.0), "{hit}");
        let snippet = hit["snippet"].as_str().expect("snippet");
        assert!(snippet.contains("**"), "hits are marked: {snippet}");
        assert!(!snippet.contains('\x1b'), "no colours in JSON: {snippet}");
    }
    let scores: Vec<f64> = hits.iter().filter_map(|h| h["score"].as_f64()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[test]
fn human_output_ranks_and_marks_hits() {
    let out = ok(&["search", "Тоқаев", "--db", sample_store()]);
    assert!(out.starts_with("  1."), "{out}");
    assert!(out.contains("**"), "{out}");
}

#[test]
fn filters_narrow_the_results() {
    let db = sample_store();
    let articles = analyzed_samples();
    let all = search(db, &["Tokayev"]);

    let ru = search(db, &["Tokayev", "--lang", "ru"]);
    assert!(
        !ru.is_empty() && ru.len() < all.len(),
        "{} of {}",
        ru.len(),
        all.len()
    );
    assert!(ru.iter().all(|h| h["language"] == "ru"));

    let since = search(db, &["Mirziyoyev", "--since", "2025-04-01"]);
    assert!(!since.is_empty());
    assert!(
        since
            .iter()
            .all(|h| h["published"].as_str().is_some_and(|d| d >= "2025-04-01"))
    );
    let until = search(db, &["Mirziyoyev", "--until", "2025-03-31"]);
    assert!(!until.is_empty());
    assert!(
        until
            .iter()
            .all(|h| h["published"].as_str().is_some_and(|d| d <= "2025-03-31"))
    );
    assert!(ids(&since).is_disjoint(&ids(&until)));

    let outlet = search(db, &["Samarkand", "--outlet", "steppe wire"]);
    assert!(!outlet.is_empty());
    assert!(
        outlet.iter().all(|h| h["outlet"] == "Steppe Wire"),
        "{outlet:?}"
    );

    // --entity by a name in another script: every hit names Tokayev.
    let expected = mentioning(articles, TOKAYEV);
    let by_entity = ids(&search(db, &["", "--entity", "Тўқаев"]));
    assert_eq!(by_entity, expected);
    let water_tokayev = ids(&search(db, &["water", "--entity", TOKAYEV]));
    assert!(water_tokayev.is_subset(&expected));
}

#[test]
fn a_story_filter_keeps_to_its_members() {
    let db = sample_store();
    let stories = json_lines(&ok(&[
        "stories",
        "--db",
        db,
        "--json",
        "--min-articles",
        "2",
    ]));
    let Some(story) = stories.first() else {
        panic!("the samples hold three stories of several articles");
    };
    let members: BTreeSet<String> = story["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let id = story["id"].as_str().expect("id");
    let found = ids(&search(db, &["", "--story", id]));
    assert_eq!(found, members);
}

#[test]
fn links_have_kinds_scores_and_evidence() {
    let db = sample_store();
    let links = json_lines(&ok(&["links", "--db", db, "--json"]));
    assert!(
        !links.is_empty(),
        "the samples hold translations and a reprint"
    );
    let known = analyzed_samples();
    for link in &links {
        for field in ["a", "b", "kind", "score", "evidence"] {
            assert!(link.get(field).is_some(), "no {field} in {link}");
        }
        assert!(
            ["duplicate", "reprint", "script", "translation"]
                .contains(&link["kind"].as_str().unwrap_or_default())
        );
        assert!(known.contains_key(link["a"].as_str().unwrap_or_default()));
        assert!(known.contains_key(link["b"].as_str().unwrap_or_default()));
    }
    let kind = links[0]["kind"].as_str().expect("kind");
    let of_kind = json_lines(&ok(&["links", "--db", db, "--json", "--kind", kind]));
    assert!(!of_kind.is_empty() && of_kind.iter().all(|l| l["kind"] == kind));
    let article = links[0]["a"].as_str().expect("a");
    let of_article = json_lines(&ok(&["links", "--db", db, "--json", "--article", article]));
    assert!(
        of_article
            .iter()
            .all(|l| l["a"] == article || l["b"] == article)
    );
    let human = ok(&["links", "--db", db]);
    assert!(human.contains(kind), "{human}");
    assert!(
        !xabar(&["links", "--db", db, "--kind", "cousin"])
            .status
            .success()
    );
}

#[test]
fn stories_list_and_show() {
    let db = sample_store();
    let stories = json_lines(&ok(&["stories", "--db", db, "--json"]));
    assert!(!stories.is_empty());
    let known = analyzed_samples();
    let mut members = 0;
    for story in &stories {
        for field in [
            "id",
            "label",
            "articles",
            "languages",
            "first_seen",
            "last_seen",
        ] {
            assert!(story.get(field).is_some(), "no {field} in {story}");
        }
        let articles = story["articles"].as_array().expect("articles");
        members += articles.len();
        assert!(
            articles
                .iter()
                .all(|a| known.contains_key(a.as_str().unwrap_or_default()))
        );
    }
    assert!(
        members <= known.len(),
        "an article belongs to one story at most"
    );
    let big = json_lines(&ok(&[
        "stories",
        "--db",
        db,
        "--json",
        "--min-articles",
        "3",
    ]));
    assert!(
        big.iter()
            .all(|s| s["articles"].as_array().is_some_and(|a| a.len() >= 3))
    );
    let ru = json_lines(&ok(&["stories", "--db", db, "--json", "--lang", "ru"]));
    assert!(ru.iter().all(|s| s["languages"].get("ru").is_some()));

    let largest = stories
        .iter()
        .max_by_key(|s| s["articles"].as_array().map_or(0, Vec::len))
        .expect("a story");
    let id = largest["id"].as_str().expect("id");
    let shown: Value =
        serde_json::from_str(&ok(&["story", id, "--db", db, "--json"])).expect("story JSON");
    let shown_ids: BTreeSet<&str> = shown["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    let listed: BTreeSet<&str> = largest["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert_eq!(shown_ids, listed);
    assert!(!shown["entities"].as_array().expect("entities").is_empty());
    let human = ok(&["story", id, "--db", db]);
    assert!(human.contains("articles:"), "{human}");
    assert!(
        !xabar(&["story", "no-such-story", "--db", db])
            .status
            .success()
    );
}

#[test]
fn digest_summarizes_stories_quotes_and_pairs() {
    let db = sample_store();
    let text = ok(&["digest", "--db", db]);
    assert!(text.contains("articles in"), "{text}");
    assert!(text.contains("1. "), "at least one story: {text}");
    assert!(text.contains("quotes:"), "main quotes: {text}");
    let digest: Value =
        serde_json::from_str(&ok(&["digest", "--db", db, "--json"])).expect("digest JSON");
    let stories = digest["stories"].as_array().expect("stories");
    assert!(!stories.is_empty());
    // The most multilingual story comes first.
    let langs = |s: &Value| s["languages"].as_object().map_or(0, |m| m.len());
    assert!(stories.windows(2).all(|w| langs(&w[0]) >= langs(&w[1])));
    let quotes = stories[0]["quotes"].as_array().expect("quotes");
    assert!(
        quotes.iter().any(|q| q["speaker_name"].is_string()),
        "{quotes:?}"
    );
    assert_eq!(
        digest["stats"]["articles"].as_u64(),
        Some(analyzed_samples().len() as u64)
    );
}

/// Parses RFC 4180 CSV (quoted fields with doubled quotes and line breaks; CRLF or LF).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn exports_round_trip_as_jsonl_and_csv() {
    let db = sample_store();
    let dir = temp_dir("export");
    for what in ["articles", "entities", "quotes", "links", "stories"] {
        let jsonl = json_lines(&ok(&[
            "export", "--db", db, "--format", "jsonl", "--what", what,
        ]));
        let csv_path = dir.join(format!("{what}.csv"));
        let csv_path_str = csv_path.to_str().expect("UTF-8 path");
        ok(&[
            "export",
            "--db",
            db,
            "--format",
            "csv",
            "--what",
            what,
            "--output",
            csv_path_str,
        ]);
        let csv = std::fs::read_to_string(&csv_path).expect("the CSV file");
        let rows = parse_csv(&csv);
        let header = &rows[0];
        assert_eq!(
            rows.len() - 1,
            jsonl.len(),
            "{what}: one CSV row per JSONL line"
        );
        assert!(
            rows.iter().all(|r| r.len() == header.len()),
            "{what}: ragged CSV"
        );
        // The first column is the id (or the article, for quotes; `a` for links): the same
        // rows in the same order.
        let key = match what {
            "quotes" => "article",
            "links" => "a",
            _ => "id",
        };
        for (row, value) in rows[1..].iter().zip(&jsonl) {
            assert_eq!(Some(row[0].as_str()), value[key].as_str(), "{what}");
        }
        if what == "articles" {
            assert!(jsonl.len() == analyzed_samples().len());
            assert!(jsonl.iter().all(|a| a.get("terms").is_none()));
            let text = header
                .iter()
                .position(|h| h == "text")
                .expect("text column");
            for (row, value) in rows[1..].iter().zip(&jsonl) {
                assert_eq!(Some(row[text].as_str()), value["text"].as_str());
            }
        }
    }
    // Nothing but the finished files is left in the folder.
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn read_commands_never_create_or_touch_a_store() {
    let dir = temp_dir("missing");
    let missing = dir.join("none.db");
    let missing_str = missing.to_str().expect("UTF-8 path");
    let other = dir.join("notes.txt");
    std::fs::write(&other, "not a store\n").expect("write");
    let other_str = other.to_str().expect("UTF-8 path");
    for command in [
        vec!["search", "Tokayev"],
        vec!["links"],
        vec!["stories"],
        vec!["story", "x"],
        vec!["export", "--format", "csv", "--what", "articles"],
        vec!["digest"],
    ] {
        let mut args = command.clone();
        args.extend(["--db", missing_str]);
        let out = xabar(&args);
        assert!(!out.status.success(), "{command:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("xabar ingest"), "{command:?}: {err}");
        assert!(!missing.exists(), "{command:?} created a store");

        let mut args = command.clone();
        args.extend(["--db", other_str]);
        let out = xabar(&args);
        assert!(!out.status.success(), "{command:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a xabar store"), "{command:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(&other).expect("read"),
            "not a store\n"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    let db = sample_store();
    let out = xabar(&["search", "x", "--db", db, "--since", "12.03.2025"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    let out = xabar(&[
        "search",
        "x",
        "--db",
        db,
        "--since",
        "2025-05-01",
        "--until",
        "2025-04-01",
    ]);
    assert!(!out.status.success());
    let out = xabar(&["search", "—", "--db", db]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no words"));
}

#[test]
fn every_spelling_of_tokayev_finds_all_five_seeds() {
    let seeds = root().join("../shared/corpus/seeds");
    if !seeds.is_dir() {
        eprintln!("note: {} is missing; seed test skipped", seeds.display());
        return;
    }
    let seeds = seeds.to_str().expect("UTF-8 path");
    let dir = temp_dir("seeds");
    let db = dir.join("xabar.db");
    let db = db.to_str().expect("UTF-8 path");
    ok(&["ingest", seeds, "--db", db]);
    let expected: BTreeSet<String> = json_lines(&ok(&["analyze", seeds, "--quiet"]))
        .iter()
        .filter_map(|a| a["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(expected.len(), 5);
    for spelling in SPELLINGS {
        let found = ids(&search(db, &[spelling]));
        assert_eq!(found, expected, "{spelling}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn read_commands_work_while_an_ingest_holds_the_store() {
    let dir = temp_dir("busy");
    let db = dir.join("xabar.db");
    let db_str = db.to_str().expect("UTF-8 path");
    ok(&["ingest", SAMPLES[1], "--db", db_str, "--quiet"]);
    // A writer (as `xabar ingest` is) holds the store's writer lock while the readers run.
    let writer = xabar_store::SqliteStore::open(&db, &xabar_store::SqliteOptions::default())
        .expect("the store opens for writing");
    let hits = search(db_str, &["Mirziyoyev"]);
    assert!(!hits.is_empty());
    for command in [
        vec!["links", "--db", db_str],
        vec!["stories", "--db", db_str],
        vec!["digest", "--db", db_str],
        vec![
            "export", "--format", "jsonl", "--what", "entities", "--db", db_str,
        ],
    ] {
        ok(&command);
    }
    // A second writer is refused, which shows the lock was really held.
    let out = xabar(&["ingest", SAMPLES[1], "--db", db_str, "--quiet"]);
    assert!(!out.status.success());
    drop(writer);
    let _ = std::fs::remove_dir_all(&dir);
}
