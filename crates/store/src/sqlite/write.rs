//! Writes: one `BEGIN IMMEDIATE` transaction per article (or per batch of links, per story),
//! through cached prepared statements.
//!
//! Entity and alias counts are adjusted here, in the same transaction as the mentions they
//! count, so they are exact at every commit and an interrupted ingest never leaves them off.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use xabar_core::{ArticleId, Language, Script};

use super::map_err;
use crate::model::*;
use crate::store::validate_record;
use crate::terms;
use crate::{Result, StoreError};

/// An SQLite integer from a size or count (spans are bounded by the text, so this never clips
/// in practice; clipping is still better than a panic).
pub(super) fn int(x: usize) -> i64 {
    i64::try_from(x).unwrap_or(i64::MAX)
}

/// What an article's content looks like to the fingerprint: everything but the id and the
/// source (the same article read from another file is unchanged) and the terms (hashed in
/// their canonical encoding, so their order does not matter).
#[derive(Serialize)]
struct Content<'a> {
    url: &'a Option<String>,
    canonical_url: &'a Option<String>,
    outlet: &'a Option<String>,
    title: &'a Option<String>,
    published: &'a Option<chrono::NaiveDate>,
    modified: &'a Option<chrono::NaiveDate>,
    language: Language,
    script: Script,
    text: &'a str,
    paragraphs: &'a [xabar_core::Paragraph],
    authors: &'a [String],
    dateline: &'a Option<xabar_core::Dateline>,
    mentions: &'a [xabar_core::Mention],
    quotes: &'a [xabar_core::Quote],
    dates: &'a [xabar_core::DateMention],
    events: &'a [xabar_core::Event],
}

/// An article ready to write: validated, with its identity, term encoding and fingerprint (its
/// facets are made only when it is written: a classification never needs them).
struct Prepared<'a> {
    record: &'a ArticleRecord,
    identity: String,
    terms: terms::EncodedTerms,
    fingerprint: String,
}

fn prepare<'a>(record: &'a ArticleRecord, relations: &Relations) -> Result<Prepared<'a>> {
    validate_record(record)?;
    for link in relations.links.iter().flatten() {
        validate_link(link)?;
    }
    for story in &relations.stories {
        validate_story(story)?;
    }
    let encoded = terms::encode(&record.terms);
    let content = Content {
        url: &record.url,
        canonical_url: &record.canonical_url,
        outlet: &record.outlet,
        title: &record.title,
        published: &record.published,
        modified: &record.modified,
        language: record.language,
        script: record.script,
        text: &record.text,
        paragraphs: &record.paragraphs,
        authors: &record.authors,
        dateline: &record.dateline,
        mentions: &record.mentions,
        quotes: &record.quotes,
        dates: &record.dates,
        events: &record.events,
    };
    let json = serde_json::to_vec(&content).map_err(|e| StoreError::InvalidRecord {
        id: record.id.0.clone(),
        reason: format!("cannot serialize: {e}"),
    })?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&json);
    hasher.update(&[0xff]);
    hasher.update(&encoded.blob);
    Ok(Prepared {
        record,
        identity: record.identity(),
        terms: encoded,
        fingerprint: format!("{:032x}", hasher.digest128()),
    })
}

/// A stored article as the write path needs it.
struct Existing {
    n: i64,
    id: String,
    fingerprint: String,
    language: String,
}

fn lookup(conn: &Connection, identity: &str, id: &str) -> rusqlite::Result<Option<Existing>> {
    let row = |r: &rusqlite::Row<'_>| {
        Ok(Existing {
            n: r.get(0)?,
            id: r.get(1)?,
            fingerprint: r.get(2)?,
            language: r.get(3)?,
        })
    };
    let found = conn
        .prepare_cached("SELECT n, id, fingerprint, language FROM articles WHERE identity = ?1")?
        .query_row([identity], row)
        .optional()?;
    if found.is_some() {
        return Ok(found);
    }
    conn.prepare_cached("SELECT n, id, fingerprint, language FROM articles WHERE id = ?1")?
        .query_row([id], row)
        .optional()
}

pub(super) fn classify(conn: &Connection, path: &Path, record: &ArticleRecord) -> Result<Put> {
    let prepared = prepare(record, &Relations::default())?;
    let existing = lookup(conn, &prepared.identity, &record.id.0).map_err(|e| map_err(path, e))?;
    Ok(match existing {
        None => Put {
            id: record.id.clone(),
            outcome: PutOutcome::New,
        },
        Some(e) => Put {
            outcome: if e.fingerprint == prepared.fingerprint {
                PutOutcome::Unchanged
            } else {
                PutOutcome::Updated
            },
            id: ArticleId(e.id),
        },
    })
}

pub(super) fn put_article(
    conn: &mut Connection,
    path: &Path,
    record: &ArticleRecord,
    relations: &Relations,
) -> Result<Put> {
    let prepared = prepare(record, relations)?;
    let err = |e| map_err(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    let put = write_one(&tx, path, &prepared, relations)?;
    if put.outcome != PutOutcome::Unchanged {
        tx.commit().map_err(err)?;
    }
    // An unchanged article wrote nothing: dropping the transaction rolls back the empty lock.
    Ok(put)
}

pub(super) fn put_articles(
    conn: &mut Connection,
    path: &Path,
    batch: &[(ArticleRecord, Relations)],
) -> Result<Vec<Result<Put>>> {
    let err = |e| map_err(path, e);
    // Everything that can be wrong with an article or its relations is found here, before the
    // write lock is taken, so a bad article is left out without undoing anything. (A savepoint
    // per article would do the same, but makes the full-text index flush at each one.)
    let prepared: Vec<Result<Prepared<'_>>> =
        batch.iter().map(|(r, rel)| prepare(r, rel)).collect();
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    let mut results = Vec::with_capacity(batch.len());
    for (item, (_, relations)) in prepared.into_iter().zip(batch) {
        results.push(match item {
            Ok(p) => Ok(write_one(&tx, path, &p, relations)?),
            Err(e) => Err(e),
        });
    }
    tx.commit().map_err(err)?;
    Ok(results)
}

/// Writes one prepared article inside an open transaction.
fn write_one(
    tx: &Connection,
    path: &Path,
    prepared: &Prepared<'_>,
    relations: &Relations,
) -> Result<Put> {
    let err = |e| map_err(path, e);
    let record = prepared.record;
    let existing = lookup(tx, &prepared.identity, &record.id.0).map_err(err)?;
    let (n, id, outcome) = match existing {
        Some(e) if e.fingerprint == prepared.fingerprint => {
            return Ok(Put {
                id: ArticleId(e.id),
                outcome: PutOutcome::Unchanged,
            });
        }
        Some(e) => {
            remove_annotations(tx, e.n, &e.language).map_err(err)?;
            update_row(tx, e.n, prepared).map_err(err)?;
            (e.n, ArticleId(e.id), PutOutcome::Updated)
        }
        None => {
            let n = insert_row(tx, prepared).map_err(err)?;
            (n, record.id.clone(), PutOutcome::New)
        }
    };
    insert_annotations(tx, n, prepared).map_err(err)?;

    // The record's id in a relation stands for the article, whatever id it is stored under.
    let remap = |a: &ArticleId| {
        if *a == record.id {
            id.clone()
        } else {
            a.clone()
        }
    };
    if let Some(links) = &relations.links {
        tx.prepare_cached("DELETE FROM links WHERE a = ?1 OR b = ?1")
            .and_then(|mut s| s.execute([&id.0]))
            .map_err(err)?;
        for link in links {
            let link = Link {
                a: remap(&link.a),
                b: remap(&link.b),
                ..link.clone()
            };
            upsert_link(tx, path, &link)?;
        }
    }
    for story in &relations.stories {
        let story = Story {
            articles: story.articles.iter().map(remap).collect(),
            ..story.clone()
        };
        put_story_tx(tx, &story).map_err(err)?;
    }
    Ok(Put { id, outcome })
}

fn date(d: &Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing the store's own plain types cannot fail (string keys, no custom errors).
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

fn insert_row(tx: &Connection, p: &Prepared<'_>) -> rusqlite::Result<i64> {
    write_row(
        tx,
        "INSERT INTO articles (id, identity, fingerprint, source, url, canonical_url, outlet,
            title, published, modified, sort_date, language, script, length, authors, dateline,
            text_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        &p.record.id.0,
        p,
    )?;
    let n = tx.last_insert_rowid();
    write_body(tx, n, p)?;
    Ok(n)
}

fn update_row(tx: &Connection, n: i64, p: &Prepared<'_>) -> rusqlite::Result<()> {
    write_row(
        tx,
        "UPDATE articles SET identity = ?2, fingerprint = ?3, source = ?4, url = ?5,
            canonical_url = ?6, outlet = ?7, title = ?8, published = ?9, modified = ?10,
            sort_date = ?11, language = ?12, script = ?13, length = ?14, authors = ?15,
            dateline = ?16, text_hash = ?17
         WHERE n = ?1",
        &n,
        p,
    )?;
    write_body(tx, n, p)
}

/// Runs `sql` (an insert or update of one `articles` row) with `key` as ?1 (the id to insert,
/// or the row number to update) and the record's columns as ?2..?17.
fn write_row(
    tx: &Connection,
    sql: &str,
    key: &dyn rusqlite::ToSql,
    p: &Prepared<'_>,
) -> rusqlite::Result<()> {
    let r = p.record;
    tx.prepare_cached(sql)?.execute(params![
        key,
        p.identity,
        p.fingerprint,
        r.source,
        r.url,
        r.canonical_url,
        r.outlet,
        r.title,
        date(&r.published),
        date(&r.modified),
        date(&r.published).unwrap_or_default(),
        r.language.code(),
        r.script.code(),
        int(r.text.len()),
        json(&r.authors),
        r.dateline.as_ref().map(json),
        r.text_hash,
    ])?;
    Ok(())
}

fn write_body(tx: &Connection, n: i64, p: &Prepared<'_>) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO bodies (n, text, paragraphs, terms) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (n) DO UPDATE SET text = excluded.text, paragraphs = excluded.paragraphs,
            terms = excluded.terms",
    )?
    .execute(params![
        n,
        p.record.text,
        json(&p.record.paragraphs),
        p.terms.blob
    ])?;
    Ok(())
}

/// The dominant script of a name's letters.
pub(super) fn script_of(text: &str) -> Script {
    let mut counts = [0usize; 3];
    for c in text.chars() {
        match Script::of_char(c) {
            Script::Cyrl => counts[0] += 1,
            Script::Latn => counts[1] += 1,
            Script::Arab => counts[2] += 1,
            Script::Zyyy => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        Script::Zyyy
    } else {
        [Script::Cyrl, Script::Latn, Script::Arab][best]
    }
}

/// Per entity: mention count; per (entity, text, script): alias count.
type Tally<'a> = (
    BTreeMap<&'a str, i64>,
    BTreeMap<(&'a str, &'a str, Script), i64>,
);

fn tally<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Tally<'a> {
    let mut entities = BTreeMap::new();
    let mut aliases = BTreeMap::new();
    for (entity, text) in pairs {
        *entities.entry(entity).or_insert(0) += 1;
        *aliases.entry((entity, text, script_of(text))).or_insert(0) += 1;
    }
    (entities, aliases)
}

fn insert_annotations(tx: &Connection, n: i64, p: &Prepared<'_>) -> rusqlite::Result<()> {
    let r = p.record;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mentions (article, idx, span_start, span_end, text, kind, entity, name,
                role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (i, m) in r.mentions.iter().enumerate() {
            stmt.execute(params![
                n,
                int(i),
                int(m.start),
                int(m.end),
                m.text,
                m.kind.name(),
                m.entity.as_ref().map(|e| e.0.as_str()),
                m.name,
                m.role,
            ])?;
        }
    }
    // Entities the mentions name, created from the first mention when the store lacks them.
    let mut first: HashMap<&str, &xabar_core::Mention> = HashMap::new();
    for m in &r.mentions {
        if let Some(e) = &m.entity {
            first.entry(e.0.as_str()).or_insert(m);
        }
    }
    let (entities, aliases) = tally(
        r.mentions
            .iter()
            .filter_map(|m| Some((m.entity.as_ref()?.0.as_str(), m.text.as_str()))),
    );
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO entities (id, kind, name, mentions, articles) VALUES (?1, ?2, ?3, ?4, 1)
             ON CONFLICT (id) DO UPDATE SET mentions = mentions + excluded.mentions,
                articles = articles + 1",
        )?;
        for (entity, count) in &entities {
            let m = first[entity];
            let name = m.name.as_deref().unwrap_or(&m.text);
            stmt.execute(params![entity, m.kind.name(), name, count])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO aliases (entity, text, language, script, count, known)
             VALUES (?1, ?2, ?3, ?4, ?5, 0)
             ON CONFLICT DO UPDATE SET count = count + excluded.count",
        )?;
        for ((entity, text, script), count) in &aliases {
            stmt.execute(params![
                entity,
                text,
                r.language.code(),
                script.code(),
                count
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO quotes (article, idx, span_start, span_end, text, speaker, speaker_text,
                cue, partial) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (i, q) in r.quotes.iter().enumerate() {
            stmt.execute(params![
                n,
                int(i),
                int(q.start),
                int(q.end),
                q.text,
                q.speaker.as_ref().map(|e| e.0.as_str()),
                q.speaker_text,
                q.cue,
                q.partial,
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO dates (article, idx, span_start, span_end, text, value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (i, d) in r.dates.iter().enumerate() {
            stmt.execute(params![
                n,
                int(i),
                int(d.start),
                int(d.end),
                d.text,
                d.value
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO events (article, idx, kind, date, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, e) in r.events.iter().enumerate() {
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            stmt.execute(params![n, int(i), kind, e.date, json(e)])?;
        }
    }
    tx.prepare_cached("INSERT INTO search (rowid, terms, facets) VALUES (?1, ?2, ?3)")?
        .execute(params![n, p.terms.index_text, terms::facet_text(p.record)])?;
    Ok(())
}

/// Deletes an article's annotations and index entry and takes its mentions off the counts.
fn remove_annotations(tx: &Connection, n: i64, language: &str) -> rusqlite::Result<()> {
    let pairs: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT entity, text FROM mentions WHERE article = ?1 AND entity IS NOT NULL",
        )?
        .query_map([n], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (entities, aliases) = tally(pairs.iter().map(|(e, t)| (e.as_str(), t.as_str())));
    {
        let mut stmt = tx.prepare_cached(
            "UPDATE entities SET mentions = mentions - ?2, articles = articles - 1 WHERE id = ?1",
        )?;
        for (entity, count) in &entities {
            stmt.execute(params![entity, count])?;
        }
    }
    {
        let mut update = tx.prepare_cached(
            "UPDATE aliases SET count = count - ?5
             WHERE entity = ?1 AND text = ?2 AND language = ?3 AND script = ?4",
        )?;
        let mut prune = tx.prepare_cached(
            "DELETE FROM aliases WHERE entity = ?1 AND text = ?2 AND language = ?3
                AND script = ?4 AND count <= 0 AND known = 0",
        )?;
        for ((entity, text, script), count) in &aliases {
            update.execute(params![entity, text, language, script.code(), count])?;
            prune.execute(params![entity, text, language, script.code()])?;
        }
    }
    for sql in [
        "DELETE FROM mentions WHERE article = ?1",
        "DELETE FROM quotes WHERE article = ?1",
        "DELETE FROM dates WHERE article = ?1",
        "DELETE FROM events WHERE article = ?1",
        "DELETE FROM search WHERE rowid = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([n])?;
    }
    Ok(())
}

/// Rejects a link from an article to itself or with an empty id.
fn validate_link(link: &Link) -> Result<()> {
    if link.a == link.b || link.a.0.is_empty() || link.b.0.is_empty() {
        return Err(StoreError::InvalidRecord {
            id: link.a.0.clone(),
            reason: format!(
                "a {} link from {:?} to {:?}: links join two different articles",
                link.kind.name(),
                link.a.0,
                link.b.0
            ),
        });
    }
    Ok(())
}

fn upsert_link(tx: &Connection, path: &Path, link: &Link) -> Result<()> {
    let err = |e| map_err(path, e);
    tx.prepare_cached("DELETE FROM links WHERE a = ?1 AND b = ?2 AND kind = ?3")
        .and_then(|mut s| s.execute(params![link.b.0, link.a.0, link.kind.name()]))
        .map_err(err)?;
    tx.prepare_cached(
        "INSERT INTO links (a, b, kind, score, evidence) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (a, b, kind) DO UPDATE SET score = excluded.score,
            evidence = excluded.evidence",
    )
    .and_then(|mut s| {
        s.execute(params![
            link.a.0,
            link.b.0,
            link.kind.name(),
            link.score,
            json(&link.evidence)
        ])
    })
    .map_err(err)?;
    Ok(())
}

pub(super) fn put_links(conn: &mut Connection, path: &Path, links: &[Link]) -> Result<()> {
    for link in links {
        validate_link(link)?;
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| map_err(path, e))?;
    for link in links {
        upsert_link(&tx, path, link)?;
    }
    tx.commit().map_err(|e| map_err(path, e))
}

fn put_story_tx(tx: &Connection, story: &Story) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO stories (id, label, first_seen, last_seen, languages, size)
         VALUES (?1, ?2, ?3, ?4, ?5, 0)
         ON CONFLICT (id) DO UPDATE SET label = excluded.label, first_seen = excluded.first_seen,
            last_seen = excluded.last_seen, languages = excluded.languages",
    )?
    .execute(params![
        story.id.0,
        json(&story.label),
        date(&story.first_seen),
        date(&story.last_seen),
        json(&story.languages),
    ])?;
    let wanted: BTreeSet<&str> = story.articles.iter().map(|a| a.0.as_str()).collect();
    let current: Vec<String> = tx
        .prepare_cached("SELECT article FROM story_members WHERE story = ?1")?
        .query_map([&story.id.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    {
        let mut delete = tx.prepare_cached("DELETE FROM story_members WHERE article = ?1")?;
        for article in current.iter().filter(|a| !wanted.contains(a.as_str())) {
            delete.execute([article])?;
        }
    }
    let mut touched: BTreeSet<String> = BTreeSet::new();
    {
        let mut owner = tx.prepare_cached("SELECT story FROM story_members WHERE article = ?1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO story_members (article, story) VALUES (?1, ?2)
             ON CONFLICT (article) DO UPDATE SET story = excluded.story",
        )?;
        // Members it already has need no lookup: a story that grows by one article costs
        // one read of its member list, not one query per member.
        let had: BTreeSet<&str> = current.iter().map(String::as_str).collect();
        for article in wanted.iter().filter(|a| !had.contains(*a)) {
            let previous: Option<String> = owner.query_row([article], |r| r.get(0)).optional()?;
            match previous {
                Some(s) if s == story.id.0 => continue,
                Some(s) => {
                    touched.insert(s);
                }
                None => {}
            }
            insert.execute(params![article, story.id.0])?;
        }
    }
    touched.insert(story.id.0.clone());
    let mut size = tx.prepare_cached(
        "UPDATE stories SET size = (SELECT count(*) FROM story_members WHERE story = ?1)
         WHERE id = ?1",
    )?;
    for s in &touched {
        size.execute([s])?;
    }
    Ok(())
}

/// Rejects a story without an id or with an empty member id.
fn validate_story(story: &Story) -> Result<()> {
    if story.id.0.is_empty() || story.articles.iter().any(|a| a.0.is_empty()) {
        return Err(StoreError::InvalidRecord {
            id: story.id.0.clone(),
            reason: "a story or one of its members has an empty id".into(),
        });
    }
    Ok(())
}

pub(super) fn put_story(conn: &mut Connection, path: &Path, story: &Story) -> Result<()> {
    validate_story(story)?;
    let err = |e| map_err(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    put_story_tx(&tx, story).map_err(err)?;
    tx.commit().map_err(err)
}

pub(super) fn delete_story(conn: &mut Connection, path: &Path, id: &StoryId) -> Result<bool> {
    let err = |e| map_err(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    tx.execute("DELETE FROM story_members WHERE story = ?1", [&id.0])
        .map_err(err)?;
    let removed = tx
        .execute("DELETE FROM stories WHERE id = ?1", [&id.0])
        .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(removed > 0)
}

pub(super) fn upsert_entity(conn: &mut Connection, path: &Path, entity: &Entity) -> Result<()> {
    if entity.id.0.is_empty() {
        return Err(StoreError::InvalidRecord {
            id: String::new(),
            reason: format!("entity {:?} has an empty id", entity.name),
        });
    }
    let err = |e| map_err(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    tx.prepare_cached(
        "INSERT INTO entities (id, kind, name, native_name) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
            native_name = excluded.native_name",
    )
    .and_then(|mut s| {
        s.execute(params![
            entity.id.0,
            entity.kind.name(),
            entity.name,
            entity.native_name
        ])
    })
    .map_err(err)?;
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO aliases (entity, text, language, script, count, known)
                 VALUES (?1, ?2, ?3, ?4, 0, 1) ON CONFLICT DO UPDATE SET known = 1",
            )
            .map_err(err)?;
        for alias in &entity.aliases {
            stmt.execute(params![
                entity.id.0,
                alias.text,
                alias.language.code(),
                alias.script.code()
            ])
            .map_err(err)?;
        }
    }
    tx.commit().map_err(err)
}

pub(super) fn put_source_state(conn: &Connection, path: &Path, state: &SourceState) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sources (key, stamp, items, complete) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET stamp = excluded.stamp, items = excluded.items,
            complete = excluded.complete",
    )
    .and_then(|mut s| {
        s.execute(params![
            state.key,
            state.stamp,
            i64::try_from(state.items).unwrap_or(i64::MAX),
            state.complete
        ])
    })
    .map_err(|e| map_err(path, e))?;
    Ok(())
}

/// Checkpoints live in `meta` under `checkpoint:<name>`, as JSON: they are a few values the
/// ingest reads once at start, so they need no table of their own (and no schema change).
pub(super) fn put_checkpoint(
    conn: &Connection,
    path: &Path,
    name: &str,
    checkpoint: &Checkpoint,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .and_then(|mut s| s.execute(params![format!("checkpoint:{name}"), json(checkpoint)]))
    .map(|_| ())
    .map_err(|e| map_err(path, e))
}
