//! End-to-end tests of `xabar ingest`: idempotence on the samples, the seeds' links and
//! stories, a store that is not a store, a second concurrent ingest, and the kill test (an
//! ingest killed with SIGKILL and run again ends with the same store as one never stopped).
//! Seeds are read from `../shared/corpus/seeds/` (skipped with a note when missing).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use xabar_store::{LinkKind, SqliteOptions, SqliteStore, Store};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} is missing; skipping", dir.display());
        None
    }
}

fn xabar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xabar"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("xabar runs")
}

/// `xabar ingest <input> --db <db>`.
fn ingest(input: &Path, db: &Path) -> Output {
    xabar(&[
        "ingest",
        input.to_str().expect("utf-8"),
        "--db",
        db.to_str().expect("utf-8"),
    ])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read(db: &Path) -> SqliteStore {
    SqliteStore::open_read_only(db, &SqliteOptions::default()).expect("store opens")
}

/// The number in `summary` before `what` (`15 new` → 15).
fn count(summary: &str, what: &str) -> u64 {
    let at = summary
        .find(&format!(" {what}"))
        .unwrap_or_else(|| panic!("no `{what}` in {summary}"));
    summary[..at]
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before `{what}` in {summary}"))
}

#[test]
fn ingesting_the_samples_twice_stores_them_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    let samples = root().join("samples/articles");
    let n = fs::read_dir(&samples).expect("samples").count() as u64;
    let db_arg = db.to_str().expect("utf-8 path");
    let samples_arg = samples.to_str().expect("utf-8 path");

    let first = xabar(&["ingest", samples_arg, "--db", db_arg]);
    assert!(first.status.success(), "{}", stderr(&first));
    let summary = stderr(&first);
    assert_eq!(count(&summary, "read"), n, "{summary}");
    assert_eq!(count(&summary, "new"), n, "{summary}");
    assert_eq!(count(&summary, "unchanged"), 0, "{summary}");
    let stats = read(&db).stats().expect("stats");
    assert_eq!(stats.articles, n);
    assert!(stats.entities > 0 && stats.stories > 0, "{stats:?}");

    // Read again: every article is unchanged and nothing is written.
    let again = xabar(&["ingest", samples_arg, "--db", db_arg, "--reread"]);
    assert!(again.status.success(), "{}", stderr(&again));
    let summary = stderr(&again);
    assert_eq!(count(&summary, "read"), n, "{summary}");
    assert_eq!(count(&summary, "new"), 0, "{summary}");
    assert_eq!(count(&summary, "unchanged"), n, "{summary}");
    assert_eq!(read(&db).stats().expect("stats"), stats);

    // Without --reread the files themselves are skipped, as the journal says they are stored.
    let journal = xabar(&["ingest", samples_arg, "--db", db_arg]);
    assert!(journal.status.success(), "{}", stderr(&journal));
    assert!(
        stderr(&journal).contains(&format!("{n} files unchanged")),
        "{}",
        stderr(&journal)
    );
    assert_eq!(read(&db).stats().expect("stats"), stats);
}

#[test]
fn a_changed_version_of_an_article_updates_it_and_a_copy_is_stored_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    let db_arg = db.to_str().expect("utf-8");
    let text = "Kazakhstan will receive at least 5.6 billion cubic metres of water from the Syr \
                Darya this season under a protocol signed in Tashkent on Wednesday, the two \
                governments said. In exchange, Kazakhstan is to export 800 million kilowatt-hours \
                of electricity to its southern neighbour over the autumn and winter.";
    let line = |url: &str, text: &str| {
        serde_json::json!({"url": url, "title": "Water deal", "text": text}).to_string()
    };
    let first = dir.path().join("first.jsonl");
    // The same URL twice (one article), and the same text without a URL twice (one more).
    fs::write(
        &first,
        [
            line("https://example.org/water", text),
            line("https://example.org/water/", text),
            serde_json::json!({"text": text}).to_string(),
            serde_json::json!({"text": text}).to_string(),
        ]
        .join("\n"),
    )
    .expect("write");
    let out = xabar(&["ingest", first.to_str().expect("utf-8"), "--db", db_arg]);
    let summary = stderr(&out);
    assert!(out.status.success(), "{summary}");
    assert_eq!(count(&summary, "new"), 2, "{summary}");
    assert_eq!(count(&summary, "unchanged"), 2, "{summary}");

    let second = dir.path().join("second.jsonl");
    let changed = text.replace("800 million", "900 million");
    fs::write(&second, line("https://example.org/water", &changed)).expect("write");
    let out = xabar(&["ingest", second.to_str().expect("utf-8"), "--db", db_arg]);
    let summary = stderr(&out);
    assert!(out.status.success(), "{summary}");
    assert_eq!(count(&summary, "updated"), 1, "{summary}");
    assert_eq!(count(&summary, "new"), 0, "{summary}");
    let store = read(&db);
    assert_eq!(store.stats().expect("stats").articles, 2);
    let texts: Vec<String> = store
        .export_articles()
        .expect("export")
        .map(|r| r.expect("row").text)
        .collect();
    assert!(texts.iter().any(|t| t.contains("900 million")), "{texts:?}");
}

#[test]
fn seeds_are_linked_and_gathered_into_stories() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    let out = ingest(&seeds, &db);
    assert!(out.status.success(), "{}", stderr(&out));
    let store = read(&db);
    let name = |source: &str| -> String {
        Path::new(source)
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| n[..3].to_string())
            .unwrap_or_default()
    };
    let mut names = BTreeMap::new();
    for record in store.export_articles().expect("export") {
        let record = record.expect("row");
        names.insert(record.id.clone(), name(&record.source));
    }
    assert_eq!(names.len(), 5);
    let translations: Vec<(String, String)> = store
        .export_links()
        .expect("links")
        .map(|l| l.expect("row"))
        .filter(|l| l.kind == LinkKind::Translation)
        .map(|l| {
            let mut pair = [names[&l.a].clone(), names[&l.b].clone()];
            pair.sort();
            (pair[0].clone(), pair[1].clone())
        })
        .collect();
    assert_eq!(translations, [("000".to_string(), "003".to_string())]);

    let stories: BTreeSet<BTreeSet<String>> = store
        .export_stories()
        .expect("stories")
        .map(|s| {
            s.expect("row")
                .articles
                .iter()
                .map(|a| names[a].clone())
                .collect()
        })
        .collect();
    // Issue 6's acceptance: the visit (the op-ed 000, its translation 003 and the interview
    // 002) is one story; the summit 001 and the telegram 004 are stories of their own.
    let expected: BTreeSet<BTreeSet<String>> =
        [vec!["000", "002", "003"], vec!["001"], vec!["004"]]
            .into_iter()
            .map(|names| names.into_iter().map(String::from).collect())
            .collect();
    assert_eq!(stories, expected);
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("notes.db");
    let content = "these are my notes, not a database\n".repeat(200);
    fs::write(&db, &content).expect("write");
    let samples = root().join("samples/articles");
    let out = ingest(&samples, &db);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("notes.db"), "{message}");
    assert!(message.contains("not a xabar store"), "{message}");
    assert_eq!(fs::read_to_string(&db).expect("read"), content);
}

#[test]
fn a_second_ingest_into_the_same_store_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    // The first writer: the store library itself, holding the lock.
    let _writer = SqliteStore::open(&db, &SqliteOptions::default()).expect("open");
    let samples = root().join("samples/articles");
    let out = ingest(&samples, &db);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("x.db"), "{message}");
    assert!(
        message.contains("another") || message.contains("locked") || message.contains("in use"),
        "{message}"
    );
    assert_eq!(read(&db).stats().expect("stats").articles, 0);
}

/// A corpus of a few hundred distinct articles in `dir`, from the samples and the seeds with
/// their numbers changed and a sentence added, in a few subfolders.
fn build_corpus(dir: &Path) -> usize {
    let mut texts = Vec::new();
    let mut folders = vec![root().join("samples/articles")];
    folders.extend(seeds());
    for folder in folders {
        let mut files: Vec<PathBuf> = fs::read_dir(folder)
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for f in files {
            texts.push(fs::read_to_string(&f).expect("text"));
        }
    }
    let mut n = 0;
    for round in 0..15 {
        let sub = dir.join(format!("part-{round:02}"));
        fs::create_dir_all(&sub).expect("mkdir");
        for (i, text) in texts.iter().enumerate() {
            // Rounds 0 and 1 keep some texts as they are: exact duplicates across files.
            let varied = if round < 2 && i % 3 == 0 {
                text.clone()
            } else {
                let digits: String = text
                    .chars()
                    .map(|c| match c.to_digit(10) {
                        Some(d) => char::from_digit((d + round as u32) % 10, 10).unwrap_or(c),
                        None => c,
                    })
                    .collect();
                format!(
                    "{digits}\n\nUpdate {round}-{i}: figures revised ({}).",
                    round * 7 + i
                )
            };
            fs::write(sub.join(format!("{i:03}.txt")), varied).expect("write");
            n += 1;
        }
    }
    n
}

/// Every row of a store, in a stable order, as text: what two stores must agree on.
fn contents(db: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let store = read(db);
    let json = |v: serde_json::Value| v.to_string();
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    out.insert(
        "articles",
        store
            .export_articles()
            .expect("export")
            .map(|r| json(serde_json::to_value(r.expect("row")).expect("json")))
            .collect(),
    );
    out.insert(
        "entities",
        store
            .export_entities()
            .expect("export")
            .map(|r| json(serde_json::to_value(r.expect("row")).expect("json")))
            .collect(),
    );
    out.insert(
        "links",
        store
            .export_links()
            .expect("export")
            .map(|r| json(serde_json::to_value(r.expect("row")).expect("json")))
            .collect(),
    );
    out.insert(
        "stories",
        store
            .export_stories()
            .expect("export")
            .map(|r| json(serde_json::to_value(r.expect("row")).expect("json")))
            .collect(),
    );
    for rows in out.values_mut() {
        rows.sort();
    }
    out
}

#[test]
fn an_ingest_killed_midway_and_run_again_ends_with_the_same_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    let total = build_corpus(&corpus);
    let corpus_arg = corpus.to_str().expect("utf-8");
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    let common = [
        "--batch-size",
        "4",
        "--checkpoint-every",
        "40",
        "--threads",
        "2",
    ];

    let mut args = vec!["ingest", corpus_arg, "--db", a.to_str().expect("utf-8")];
    args.extend(common);
    let whole = xabar(&args);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let stored = read(&a).stats().expect("stats").articles;
    assert!(
        stored > 100 && stored as usize <= total,
        "{stored} of {total}"
    );

    // B: killed as soon as some but not all articles are stored.
    let mut args = vec![
        "ingest",
        corpus_arg,
        "--db",
        b.to_str().expect("utf-8"),
        "-q",
    ];
    args.extend(common);
    let mut child = Command::new(env!("CARGO_BIN_EXE_xabar"))
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xabar runs");
    let started = Instant::now();
    let mut killed_at = None;
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        let n = SqliteStore::open_read_only(&b, &SqliteOptions::default())
            .and_then(|s| s.count_articles(&Default::default()))
            .unwrap_or(0);
        if n > stored / 3 && n < stored {
            child.kill().expect("SIGKILL");
            killed_at = Some(n);
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.wait();
    let killed_at = killed_at.expect("the ingest was killed while it ran");
    let partial = read(&b).stats().expect("stats").articles;
    assert!(partial >= killed_at && partial < stored, "{partial}");

    let mut args = vec!["ingest", corpus_arg, "--db", b.to_str().expect("utf-8")];
    args.extend(common);
    let resumed = xabar(&args);
    assert!(resumed.status.success(), "{}", stderr(&resumed));

    let (a, b) = (contents(&a), contents(&b));
    for what in ["articles", "entities", "links", "stories"] {
        assert!(!a[what].is_empty(), "store A has no {what}");
    }
    for (what, rows) in &a {
        assert_eq!(rows.len(), b[what].len(), "{what}: number of rows");
        for (x, y) in rows.iter().zip(&b[what]) {
            assert_eq!(x, y, "{what} differ");
        }
    }
}

#[test]
fn the_store_does_not_depend_on_the_batch_size() {
    // Stories that leave the relate stage's memory in the middle of a batch must still be
    // written: one article a batch and the default batches end with the same store.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut stores = Vec::new();
    for batch in ["1", "5", "256"] {
        let db = dir.path().join(format!("b{batch}.db"));
        let out = xabar(&[
            "ingest",
            root()
                .join("samples/articles")
                .to_str()
                .expect("utf-8 path"),
            root()
                .join("samples/articles.jsonl")
                .to_str()
                .expect("utf-8 path"),
            "--db",
            db.to_str().expect("utf-8 path"),
            "--batch-size",
            batch,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        stores.push(contents(&db));
    }
    assert!(!stores[0]["stories"].is_empty());
    assert_eq!(stores[0], stores[1]);
    assert_eq!(stores[0], stores[2]);
}
