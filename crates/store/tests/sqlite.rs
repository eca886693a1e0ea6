//! The SQLite backend: the shared store test suite, then the hostile cases (files that are not
//! stores, a newer schema, a full disk, two writers, a writer killed mid-way) and resumability.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use xabar_core::{EntityKind, Language, Script};
use xabar_store::testsuite::{self, Sample};
use xabar_store::*;

fn options() -> SqliteOptions {
    SqliteOptions {
        lock_wait: Duration::from_millis(200),
        ..SqliteOptions::default()
    }
}

/// A temporary folder that lives as long as the test.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

fn open(path: &Path) -> SqliteStore {
    SqliteStore::open(path, &options()).expect("open store")
}

#[test]
fn passes_the_shared_store_testsuite() {
    let dir = scratch();
    let mut n = 0;
    testsuite::run_all(&mut || {
        n += 1;
        Box::new(open(&dir.path().join(format!("suite-{n}.db"))))
    });
}

/// Article `i` of a deterministic stream, with a link to the one before and the state of its
/// story (ten articles a story), as an ingest with a relate stage would write it.
fn numbered(i: usize) -> (ArticleRecord, Relations) {
    let url = format!("https://example.org/stream/{i}");
    let text = format!(
        "Report {i}. Tokayev met Mirziyoyev in Astana for talks number {i}. {} \
         «We agreed on item {i}», Tokayev said.",
        "The sides discussed trade, energy and transport. ".repeat(i % 5 + 1)
    );
    let record = testsuite::sample(&Sample {
        url: Some(&url),
        language: [Language::En, Language::De, Language::Ru][i % 3],
        script: Script::Latn,
        outlet: Some(["Outlet A", "Outlet B"][i % 2]),
        day: Some((i % 28) as u32 + 1),
        text: &text,
        names: &[
            ("Tokayev", "kb:person/tokayev", EntityKind::Person),
            ("Mirziyoyev", "kb:person/mirziyoyev", EntityKind::Person),
            ("Astana", "kb:place/astana", EntityKind::Place),
        ],
        speaker: Some("kb:person/tokayev"),
    });
    let id_of = |j: usize| {
        xabar_core::ArticleId::derive(Some(&format!("https://example.org/stream/{j}")), "")
    };
    let first = i - i % 10;
    let story = Story {
        id: StoryId(format!("story-{}", i / 10)),
        label: serde_json::json!({"en": format!("talks {}", i / 10)}),
        first_seen: record.published,
        last_seen: record.published,
        articles: (first..=i).map(id_of).collect(),
        languages: BTreeMap::from([(record.language, (i - first + 1) as u32)]),
    };
    let links = if i > 0 {
        vec![Link {
            a: id_of(i - 1),
            b: record.id.clone(),
            kind: LinkKind::Reprint,
            score: 0.5 + (i % 7) as f64 / 20.0,
            evidence: serde_json::json!({"shared": i}),
        }]
    } else {
        Vec::new()
    };
    (
        record,
        Relations {
            links: Some(links),
            stories: vec![story],
        },
    )
}

/// Everything a store holds, as exports, for comparing two stores.
fn snapshot(store: &dyn Store) -> String {
    let mut out = String::new();
    let mut add = |line: String| {
        out.push_str(&line);
        out.push('\n');
    };
    for a in store.export_articles().expect("export") {
        add(serde_json::to_string(&a.expect("row")).expect("json"));
    }
    for e in store.export_entities().expect("export") {
        add(serde_json::to_string(&e.expect("row")).expect("json"));
    }
    for q in store.export_quotes().expect("export") {
        add(serde_json::to_string(&q.expect("row")).expect("json"));
    }
    for l in store.export_links().expect("export") {
        add(serde_json::to_string(&l.expect("row")).expect("json"));
    }
    for s in store.export_stories().expect("export") {
        add(serde_json::to_string(&s.expect("row")).expect("json"));
    }
    add(format!("{:?}", store.stats().expect("stats")));
    out
}

/// How many articles the interrupted-ingest stream has.
const STREAM: usize = 600;

/// Not a test of its own: the body of a child process that the tests below start (this test
/// binary run again with `XABAR_STORE_CHILD` set). Without the variable it does nothing.
#[test]
fn child_process() {
    let Ok(task) = std::env::var("XABAR_STORE_CHILD") else {
        return;
    };
    let (mode, path) = task.split_once(':').expect("mode:path");
    let mut store = SqliteStore::open(path, &options()).expect("child opens the store");
    std::fs::write(format!("{path}.ready"), "ready").expect("ready marker");
    match mode {
        "hold" => std::thread::sleep(Duration::from_secs(60)),
        "write" => {
            for i in 0..STREAM {
                let (record, relations) = numbered(i);
                store
                    .put_article_with(&record, &relations)
                    .expect("child put");
            }
            std::thread::sleep(Duration::from_secs(60));
        }
        _ => panic!("unknown child mode {mode}"),
    }
}

/// Starts this test binary as a child doing `mode` on the store at `path`; waits until it
/// has the store open.
fn spawn_child(mode: &str, path: &Path) -> Child {
    let exe = std::env::current_exe().expect("test binary");
    let child = Command::new(exe)
        .args([
            "child_process",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("XABAR_STORE_CHILD", format!("{mode}:{}", path.display()))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn child");
    let ready = PathBuf::from(format!("{}.ready", path.display()));
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready.exists() {
        assert!(Instant::now() < deadline, "child never opened the store");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

#[test]
fn a_killed_writer_leaves_whole_articles_and_a_rerun_matches_an_uninterrupted_one() {
    let dir = scratch();
    let path = dir.path().join("killed.db");
    let mut child = spawn_child("write", &path);
    let reader = SqliteStore::open_read_only(&path, &options()).expect("reader");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let n = reader
            .count_articles(&ArticleFilter::default())
            .expect("count");
        if n >= 40 {
            break;
        }
        assert!(Instant::now() < deadline, "the child wrote too slowly");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().expect("kill -9 the writer");
    child.wait().expect("reap");
    drop(reader);

    // The OS released the killed writer's lock: a new writer opens at once.
    let mut store = open(&path);
    assert_eq!(
        store.integrity_check().expect("check"),
        Vec::<String>::new()
    );
    let stored = store
        .count_articles(&ArticleFilter::default())
        .expect("count") as usize;
    eprintln!("the writer was killed after {stored} of {STREAM} articles");
    assert!(
        (40..STREAM).contains(&stored),
        "killed after {stored} articles: the interruption must land mid-stream"
    );
    // Every article present is whole, and the counts derived from it are exact.
    let mut mentions = 0;
    for i in 0..STREAM {
        let (record, _) = numbered(i);
        match store.article(&record.id).expect("article") {
            Some(got) => {
                let mut expected = record.clone();
                expected.terms = terms::canonical_terms(&record.terms);
                assert_eq!(got, expected, "article {i} is complete");
                mentions += record
                    .mentions
                    .iter()
                    .filter(|m| {
                        m.entity
                            .as_ref()
                            .is_some_and(|e| e.0 == "kb:person/tokayev")
                    })
                    .count() as u64;
            }
            None => assert!(i >= stored, "articles are stored in order: {i} is missing"),
        }
    }
    let tokayev = store
        .entity(&xabar_core::EntityId("kb:person/tokayev".into()))
        .expect("entity")
        .expect("stored");
    assert_eq!(
        (tokayev.mentions, tokayev.articles),
        (mentions, stored as u64)
    );

    // Run the ingest again from the start: stored articles are unchanged, the rest are new.
    let mut unchanged = 0;
    for i in 0..STREAM {
        let (record, relations) = numbered(i);
        match store
            .put_article_with(&record, &relations)
            .expect("put")
            .outcome
        {
            PutOutcome::Unchanged => unchanged += 1,
            PutOutcome::New => {}
            PutOutcome::Updated => panic!("article {i} was stored differently"),
        }
    }
    assert_eq!(unchanged, stored);

    let reference_path = dir.path().join("reference.db");
    let mut reference = open(&reference_path);
    for i in 0..STREAM {
        let (record, relations) = numbered(i);
        reference
            .put_article_with(&record, &relations)
            .expect("put");
    }
    assert_eq!(snapshot(&store), snapshot(&reference));
}

#[test]
fn a_text_file_is_not_a_store_and_is_left_untouched() {
    let dir = scratch();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "these are my notes, not a database\n".repeat(10)).expect("write");
    let before = std::fs::read(&path).expect("read");
    for result in [
        SqliteStore::open(&path, &options()),
        SqliteStore::open_read_only(&path, &options()),
    ] {
        let err = result.expect_err("not a store");
        assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
        assert!(err.is_user_error());
        let message = err.to_string();
        assert!(
            message.contains("notes.txt") && message.contains("not a xabar store"),
            "{message}"
        );
    }
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(
        !dir.path().join("notes.txt-writer").exists(),
        "no lock file beside it"
    );
    assert!(!dir.path().join("notes.txt-wal").exists());
}

#[test]
fn another_programs_sqlite_database_is_refused_untouched() {
    let dir = scratch();
    let path = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
            .expect("create");
    }
    let before = std::fs::read(&path).expect("read");
    let err = SqliteStore::open(&path, &options()).expect_err("foreign");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);

    // The same with an application id of its own.
    {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch("PRAGMA application_id = 1234;")
            .expect("set id");
    }
    let err = SqliteStore::open_read_only(&path, &options()).expect_err("foreign");
    assert!(err.to_string().contains("0x000004d2"), "{err}");
}

#[test]
fn a_store_from_a_newer_xabar_is_refused_without_changes() {
    let dir = scratch();
    let path = dir.path().join("newer.db");
    {
        let mut store = open(&path);
        store.put_article(&testsuite::corpus()[0]).expect("put");
    }
    {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch(
            "PRAGMA user_version = 99; UPDATE meta SET value = 'xabar 9.0' WHERE key = 'writer';",
        )
        .expect("bump");
    }
    let before = std::fs::read(&path).expect("read");
    for result in [
        SqliteStore::open(&path, &options()),
        SqliteStore::open_read_only(&path, &options()),
    ] {
        let err = result.expect_err("newer");
        assert!(
            matches!(err, StoreError::NewerSchema { found: 99, .. }),
            "{err}"
        );
        let message = err.to_string();
        assert!(
            message.contains("newer xabar") && message.contains("upgrade"),
            "{message}"
        );
        assert!(
            message.contains("xabar 9.0") && message.contains("newer.db"),
            "{message}"
        );
    }
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn bad_paths_are_user_errors() {
    let dir = scratch();
    let err = SqliteStore::open(dir.path(), &options()).expect_err("folder");
    assert!(matches!(err, StoreError::BadPath { .. }), "{err}");
    let err = SqliteStore::open(dir.path().join("missing/x.db"), &options()).expect_err("parent");
    assert!(matches!(err, StoreError::BadPath { .. }), "{err}");
    let err = SqliteStore::open_read_only(dir.path().join("x.db"), &options()).expect_err("none");
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("xabar ingest"), "{err}");
    assert!(
        !dir.path().join("x.db").exists(),
        "a reader creates nothing"
    );
}

#[test]
fn a_new_store_is_marked_and_versioned() {
    let dir = scratch();
    let path = dir.path().join("new.db");
    let store = open(&path);
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let id: i64 = conn
        .pragma_query_one(None, "application_id")
        .expect("application_id");
    assert_eq!(id, i64::from(APPLICATION_ID));
    let mode: String = conn.pragma_query_one(None, "journal_mode").expect("mode");
    assert_eq!(mode, "wal");
    // An empty file (touched by hand) becomes a store too.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("touch");
    assert_eq!(
        open(&empty).schema_version().expect("version"),
        SCHEMA_VERSION
    );
}

#[test]
fn a_full_disk_rolls_back_the_write_and_keeps_what_was_stored() {
    let dir = scratch();
    let path = dir.path().join("full.db");
    let capped = SqliteOptions {
        max_size: Some(400 * 1024),
        ..options()
    };
    let mut acknowledged = Vec::new();
    let failed = {
        let mut store = SqliteStore::open(&path, &capped).expect("open");
        let mut i = 0;
        loop {
            let (record, relations) = numbered(i);
            match store.put_article_with(&record, &relations) {
                Ok(_) => acknowledged.push(i),
                Err(err) => {
                    assert!(matches!(err, StoreError::DiskFull { .. }), "{err}");
                    assert!(err.is_user_error());
                    assert!(err.to_string().contains("full.db"), "{err}");
                    // The failed write left the store usable: reads still work.
                    let n = store
                        .count_articles(&ArticleFilter::default())
                        .expect("count");
                    assert_eq!(n as usize, acknowledged.len());
                    break i;
                }
            }
            i += 1;
            assert!(i < 10_000, "the size cap never took effect");
        }
    };
    assert!(
        acknowledged.len() > 10,
        "the cap left room for some articles"
    );
    eprintln!("the disk filled after {} articles", acknowledged.len());
    let mut store = open(&path);
    assert_eq!(
        store.integrity_check().expect("check"),
        Vec::<String>::new()
    );
    for &i in &acknowledged {
        let (record, _) = numbered(i);
        let got = store.article(&record.id).expect("article").expect("kept");
        assert_eq!(got.mentions, record.mentions);
    }
    let (record, relations) = numbered(failed);
    assert!(
        store.article(&record.id).expect("article").is_none(),
        "rolled back whole"
    );
    assert_eq!(
        store
            .put_article_with(&record, &relations)
            .expect("room again")
            .outcome,
        PutOutcome::New
    );
}

#[test]
fn a_second_writer_in_another_thread_waits_then_gets_a_clear_error() {
    let dir = scratch();
    let path = dir.path().join("locked.db");
    let mut first = open(&path);
    first.put_article(&testsuite::corpus()[0]).expect("put");
    let err = std::thread::scope(|s| {
        s.spawn(|| {
            let started = Instant::now();
            let err = SqliteStore::open(&path, &options()).expect_err("locked");
            assert!(
                started.elapsed() >= Duration::from_millis(150),
                "it waited first"
            );
            err
        })
        .join()
        .expect("thread")
    });
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("another xabar ingest is writing to"),
        "{message}"
    );
    assert!(
        message.contains(&format!("pid {}", std::process::id())),
        "{message}"
    );
    // Readers are not writers: they open and read while the writer holds the lock.
    let reader = SqliteStore::open_read_only(&path, &options()).expect("reader");
    assert_eq!(
        reader
            .count_articles(&ArticleFilter::default())
            .expect("count"),
        1
    );
    drop(first);
    let mut second = open(&path);
    second
        .put_article(&testsuite::corpus()[1])
        .expect("put after the first writer left");
}

#[test]
fn a_second_writer_process_is_refused_while_the_first_runs() {
    let dir = scratch();
    let path = dir.path().join("two.db");
    let mut child = spawn_child("hold", &path);
    let err = SqliteStore::open(&path, &options()).expect_err("locked");
    let message = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }), "{message}");
    assert!(
        message.contains(&format!("pid {}", child.id())),
        "{message}"
    );
    child.kill().expect("kill");
    child.wait().expect("reap");
    let mut store = open(&path);
    store.put_article(&testsuite::corpus()[0]).expect("put");
}

#[test]
fn readers_see_whole_articles_while_a_writer_writes() {
    let dir = scratch();
    let path = dir.path().join("busy.db");
    let mut writer = open(&path);
    writer.put_article(&numbered(0).0).expect("put");
    std::thread::scope(|s| {
        s.spawn(move || {
            for i in 1..150 {
                let (record, relations) = numbered(i);
                writer.put_article_with(&record, &relations).expect("put");
            }
        });
        s.spawn(|| {
            let reader = SqliteStore::open_read_only(&path, &options()).expect("reader");
            let mut last = 0;
            for _ in 0..60 {
                let n = reader
                    .count_articles(&ArticleFilter::default())
                    .expect("count");
                assert!(n >= last, "counts never go back");
                last = n;
                let hits = reader
                    .search(&SearchQuery {
                        terms: vec![vec!["tokayev".into()]],
                        page: Page::first(5),
                        ..SearchQuery::default()
                    })
                    .expect("search while writing");
                for hit in hits {
                    let got = reader.article(&hit.id).expect("article").expect("listed");
                    let i: usize = got
                        .url
                        .as_deref()
                        .and_then(|u| u.rsplit('/').next())
                        .and_then(|n| n.parse().ok())
                        .expect("numbered url");
                    assert_eq!(got.mentions.len(), numbered(i).0.mentions.len(), "whole");
                }
                std::thread::sleep(Duration::from_millis(3));
            }
        });
    });
    let reader = SqliteStore::open_read_only(&path, &options()).expect("reader");
    assert_eq!(
        reader
            .count_articles(&ArticleFilter::default())
            .expect("count"),
        150
    );
}

#[test]
fn a_read_only_handle_refuses_writes() {
    let dir = scratch();
    let path = dir.path().join("ro.db");
    open(&path)
        .put_article(&testsuite::corpus()[0])
        .expect("put");
    let mut reader = SqliteStore::open_read_only(&path, &options()).expect("reader");
    assert!(!reader.is_writable());
    let err = reader
        .put_article(&testsuite::corpus()[1])
        .expect_err("read-only");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert_eq!(
        reader.integrity_check().expect("check"),
        Vec::<String>::new()
    );
}

#[test]
fn a_search_ranks_the_latest_matches_after_filtering() {
    let dir = scratch();
    let path = dir.path().join("window.db");
    let small = SqliteOptions {
        search_window: 10,
        ..options()
    };
    let mut store = SqliteStore::open(&path, &small).expect("open");
    for i in 0..45 {
        let (record, relations) = numbered(i);
        store.put_article_with(&record, &relations).expect("put");
    }
    // The numbers (from their urls) of the articles a search finds, sorted.
    let found = |query: &SearchQuery| -> Vec<usize> {
        let mut found: Vec<usize> = store
            .search(query)
            .expect("search")
            .iter()
            .map(|hit| {
                hit.url
                    .as_deref()
                    .and_then(|u| u.rsplit('/').next())
                    .and_then(|n| n.parse().ok())
                    .expect("numbered url")
            })
            .collect();
        found.sort();
        found
    };
    let mut query = SearchQuery {
        terms: vec![vec!["tokayev".into()]],
        page: Page::all(),
        ..SearchQuery::default()
    };
    assert_eq!(
        found(&query),
        (35..45).collect::<Vec<_>>(),
        "the ten most recently stored"
    );
    query.filter.language = Some(Language::De);
    assert_eq!(
        found(&query),
        (16..45).step_by(3).collect::<Vec<_>>(),
        "filtered before the cut"
    );
    query.page = Page {
        limit: 5,
        offset: 8,
    };
    assert_eq!(
        store.search(&query).expect("search").len(),
        2,
        "pages end at the window"
    );
}

#[test]
fn the_store_survives_reopening() {
    let dir = scratch();
    let path = dir.path().join("reopen.db");
    let records = testsuite::corpus();
    {
        let mut store = open(&path);
        for r in &records {
            store.put_article(r).expect("put");
        }
    }
    let mut store = open(&path);
    assert_eq!(
        store.put_article(&records[0]).expect("put").outcome,
        PutOutcome::Unchanged
    );
    let reader = SqliteStore::open_read_only(&path, &options()).expect("reader");
    let hits = reader
        .search(&SearchQuery {
            terms: vec![vec!["e:kb:person/tokayev".into()]],
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(hits.len(), 4);
}
