//! Reads: single rows, filtered pages, BM25 search with snippets, and exports fetched in
//! batches by key (so an export never holds a statement open across the caller's work and
//! never rescans what it has already returned).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use xabar_core::{
    ArticleId, DateMention, EntityId, EntityKind, Event, Language, Mention, Quote, Script,
};

use super::map_err;
use super::write::int;
use crate::model::*;
use crate::store::RowIter;
use crate::terms;
use crate::{Result, StoreError};

/// Rows an export fetches at a time.
const BATCH: usize = 256;

/// A decoding failure inside a row closure; `map_err` turns it into [`StoreError::Corrupt`].
fn bad(what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        Box::new(std::io::Error::other(what)),
    )
}

fn parse<T: FromStr>(s: &str, what: &str) -> rusqlite::Result<T> {
    s.parse().map_err(|_| bad(format!("{what} {s:?}")))
}

fn parse_date(s: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    s.filter(|s| !s.is_empty())
        .map(|s| parse::<NaiveDate>(&s, "date"))
        .transpose()
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| bad(format!("{what}: {e}")))
}

fn usize_of(v: i64) -> rusqlite::Result<usize> {
    usize::try_from(v).map_err(|_| bad(format!("negative offset {v}")))
}

/// LIMIT and OFFSET values.
fn page_params(page: Page) -> (i64, i64) {
    (int(page.limit), int(page.offset))
}

/// The WHERE clauses (each starting with ` AND `) for an article filter over `articles a`.
fn filter_sql(filter: &ArticleFilter, values: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    if let Some(language) = filter.language {
        values.push(Value::Text(language.code().to_string()));
        sql.push_str(&format!(" AND a.language = ?{}", values.len()));
    }
    if let Some(since) = filter.since {
        values.push(Value::Text(since.to_string()));
        sql.push_str(&format!(" AND a.published >= ?{}", values.len()));
    }
    if let Some(until) = filter.until {
        values.push(Value::Text(until.to_string()));
        sql.push_str(&format!(" AND a.published <= ?{}", values.len()));
    }
    if let Some(outlet) = &filter.outlet {
        values.push(Value::Text(outlet.clone()));
        sql.push_str(&format!(" AND a.outlet = ?{} COLLATE NOCASE", values.len()));
    }
    if let Some(entity) = &filter.entity {
        values.push(Value::Text(entity.0.clone()));
        sql.push_str(&format!(
            " AND a.n IN (SELECT article FROM mentions WHERE entity = ?{})",
            values.len()
        ));
    }
    if let Some(story) = &filter.story {
        values.push(Value::Text(story.0.clone()));
        sql.push_str(&format!(
            " AND a.id IN (SELECT article FROM story_members WHERE story = ?{})",
            values.len()
        ));
    }
    sql
}

/// Columns of an [`ArticleSummary`], in the order [`summary`] reads them.
const SUMMARY_COLUMNS: &str = "a.id, a.source, a.url, a.outlet, a.title, a.published,
    a.language, a.script, a.length,
    (SELECT story FROM story_members m WHERE m.article = a.id)";

fn summary(r: &Row<'_>, at: usize) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: ArticleId(r.get(at)?),
        source: r.get(at + 1)?,
        url: r.get(at + 2)?,
        outlet: r.get(at + 3)?,
        title: r.get(at + 4)?,
        published: parse_date(r.get(at + 5)?)?,
        language: parse(&r.get::<_, String>(at + 6)?, "language")?,
        script: parse(&r.get::<_, String>(at + 7)?, "script")?,
        length: usize_of(r.get(at + 8)?)?,
        story: r.get::<_, Option<String>>(at + 9)?.map(StoryId),
    })
}

pub(super) fn articles(
    conn: &Connection,
    path: &Path,
    filter: &ArticleFilter,
    order: ArticleOrder,
    page: Page,
) -> Result<Vec<ArticleSummary>> {
    let mut values = Vec::new();
    let clauses = filter_sql(filter, &mut values);
    let order = match order {
        ArticleOrder::NewestFirst => "(a.sort_date = '') ASC, a.sort_date DESC, a.id DESC",
        ArticleOrder::OldestFirst => "a.sort_date ASC, a.id ASC",
    };
    let (limit, offset) = page_params(page);
    values.push(Value::Integer(limit));
    values.push(Value::Integer(offset));
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE 1{clauses} ORDER BY {order}
         LIMIT ?{} OFFSET ?{}",
        values.len() - 1,
        values.len()
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(|e| map_err(path, e))?;
    let rows = stmt
        .query_map(params_from_iter(values.iter()), |r| summary(r, 0))
        .map_err(|e| map_err(path, e))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| map_err(path, e))
}

pub(super) fn count_articles(
    conn: &Connection,
    path: &Path,
    filter: &ArticleFilter,
) -> Result<u64> {
    let mut values = Vec::new();
    let clauses = filter_sql(filter, &mut values);
    let sql = format!("SELECT count(*) FROM articles a WHERE 1{clauses}");
    let n: i64 = conn
        .prepare_cached(&sql)
        .and_then(|mut s| s.query_row(params_from_iter(values.iter()), |r| r.get(0)))
        .map_err(|e| map_err(path, e))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(super) fn article(
    conn: &Connection,
    path: &Path,
    id: &ArticleId,
) -> Result<Option<ArticleRecord>> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT n FROM articles WHERE id = ?1")
        .and_then(|mut s| s.query_row([&id.0], |r| r.get(0)).optional())
        .map_err(|e| map_err(path, e))?;
    match n {
        Some(n) => load_article(conn, n)
            .map(Some)
            .map_err(|e| map_err(path, e)),
        None => Ok(None),
    }
}

/// The mentions of article `n`, in order.
fn mentions_of(conn: &Connection, n: i64) -> rusqlite::Result<Vec<Mention>> {
    conn.prepare_cached(
        "SELECT span_start, span_end, text, kind, entity, name, role FROM mentions
         WHERE article = ?1 ORDER BY idx",
    )?
    .query_map([n], |r| {
        Ok(Mention {
            start: usize_of(r.get(0)?)?,
            end: usize_of(r.get(1)?)?,
            text: r.get(2)?,
            kind: parse::<EntityKind>(&r.get::<_, String>(3)?, "entity kind")?,
            entity: r.get::<_, Option<String>>(4)?.map(EntityId),
            name: r.get(5)?,
            role: r.get(6)?,
        })
    })?
    .collect()
}

/// Columns of an article's row without the bulk, in the order [`article_head`] reads them.
const HEAD_COLUMNS: &str = "a.id, a.source, a.url, a.canonical_url, a.outlet, a.title,
    a.published, a.modified, a.language, a.script, a.authors, a.dateline, a.text_hash";

/// An article from [`HEAD_COLUMNS`] (starting at column `at`), with the bulk (text,
/// paragraphs, terms, mentions, quotes, dates, events) left empty.
fn article_head(r: &Row<'_>, at: usize) -> rusqlite::Result<ArticleRecord> {
    Ok(ArticleRecord {
        id: ArticleId(r.get(at)?),
        source: r.get(at + 1)?,
        url: r.get(at + 2)?,
        canonical_url: r.get(at + 3)?,
        outlet: r.get(at + 4)?,
        title: r.get(at + 5)?,
        published: parse_date(r.get(at + 6)?)?,
        modified: parse_date(r.get(at + 7)?)?,
        language: parse(&r.get::<_, String>(at + 8)?, "language")?,
        script: parse(&r.get::<_, String>(at + 9)?, "script")?,
        text: String::new(),
        paragraphs: Vec::new(),
        authors: from_json(&r.get::<_, String>(at + 10)?, "authors")?,
        dateline: r
            .get::<_, Option<String>>(at + 11)?
            .map(|s| from_json(&s, "dateline"))
            .transpose()?,
        text_hash: r.get(at + 12)?,
        mentions: Vec::new(),
        quotes: Vec::new(),
        dates: Vec::new(),
        events: Vec::new(),
        terms: Vec::new(),
    })
}

/// Reads one article with everything stored about it.
fn load_article(conn: &Connection, n: i64) -> rusqlite::Result<ArticleRecord> {
    let mut record = conn
        .prepare_cached(&format!(
            "SELECT {HEAD_COLUMNS}, b.text, b.paragraphs, b.terms
             FROM articles a JOIN bodies b ON b.n = a.n WHERE a.n = ?1"
        ))?
        .query_row([n], |r| {
            let mut record = article_head(r, 0)?;
            record.text = r.get(13)?;
            record.paragraphs = from_json(&r.get::<_, String>(14)?, "paragraphs")?;
            let terms: Vec<u8> = r.get(15)?;
            record.terms = terms::decode(&terms).map_err(|e| bad(format!("terms: {e}")))?;
            Ok(record)
        })?;
    record.mentions = mentions_of(conn, n)?;
    record.quotes = conn
        .prepare_cached(
            "SELECT span_start, span_end, text, speaker, speaker_text, cue, partial FROM quotes
             WHERE article = ?1 ORDER BY idx",
        )?
        .query_map([n], quote)?
        .collect::<rusqlite::Result<_>>()?;
    record.dates = conn
        .prepare_cached(
            "SELECT span_start, span_end, text, value FROM dates WHERE article = ?1 ORDER BY idx",
        )?
        .query_map([n], |r| {
            Ok(DateMention {
                start: usize_of(r.get(0)?)?,
                end: usize_of(r.get(1)?)?,
                text: r.get(2)?,
                value: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    record.events = conn
        .prepare_cached("SELECT data FROM events WHERE article = ?1 ORDER BY idx")?
        .query_map([n], |r| {
            from_json::<Event>(&r.get::<_, String>(0)?, "event")
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(record)
}

/// A quote from the columns `span_start, span_end, text, speaker, speaker_text, cue, partial`.
fn quote(r: &Row<'_>) -> rusqlite::Result<Quote> {
    Ok(Quote {
        start: usize_of(r.get(0)?)?,
        end: usize_of(r.get(1)?)?,
        text: r.get(2)?,
        speaker: r.get::<_, Option<String>>(3)?.map(EntityId),
        speaker_text: r.get(4)?,
        cue: r.get(5)?,
        partial: r.get(6)?,
    })
}

pub(super) fn search(
    conn: &Connection,
    path: &Path,
    query: &SearchQuery,
    window: usize,
) -> Result<Vec<SearchHit>> {
    let err = |e| map_err(path, e);
    if query.terms.is_empty() {
        return filter_only(conn, path, query);
    }
    // The match expression and, per term, which groups it answers (bit i for group i; groups
    // past the 64th share the last bit, which only coarsens snippet choice).
    let mut wanted: HashMap<String, u64> = HashMap::new();
    let mut parts = Vec::with_capacity(query.terms.len() + 4);
    for (i, group) in query.terms.iter().enumerate() {
        let bit = 1u64 << i.min(63);
        let mut alternatives: Vec<&str> = group
            .iter()
            .map(String::as_str)
            .filter(|t| !t.is_empty())
            .collect();
        alternatives.sort_unstable();
        alternatives.dedup();
        if alternatives.is_empty() {
            return Ok(Vec::new());
        }
        for t in &alternatives {
            *wanted.entry((*t).to_string()).or_insert(0) |= bit;
        }
        let tokens: Vec<String> = alternatives.iter().map(|t| terms::token(t)).collect();
        parts.push(column_any("terms", &tokens));
    }
    // Filters as facets, answered by the index (see terms::facet_text). They select rows in
    // a query of their own, so that ranking sees only the query's words.
    let filter = &query.filter;
    let mut facets = Vec::new();
    if let Some(language) = filter.language {
        facets.push(column_any("facets", &[terms::language_facet(language)]));
    }
    if let Some(outlet) = &filter.outlet {
        facets.push(column_any("facets", &[terms::outlet_facet(outlet)]));
    }
    if let Some(entity) = &filter.entity {
        facets.push(column_any("facets", &[terms::entity_facet(entity)]));
    }
    if filter.since.is_some() || filter.until.is_some() {
        let Some(days) = date_facets(conn, filter).map_err(err)? else {
            return Ok(Vec::new());
        };
        facets.push(column_any("facets", &days));
    }
    let mut values = vec![Value::Text(parts.join(" AND "))];
    let mut restrict = String::new();
    if !facets.is_empty() {
        values.push(Value::Text(facets.join(" AND ")));
        // The `+` keeps SQLite from driving the index by these row numbers (one full-text
        // lookup each, thousands of times slower); the set is built once and tested per match.
        restrict = format!(
            " AND +search.rowid IN (SELECT rowid FROM search WHERE search MATCH ?{})",
            values.len()
        );
    }
    if let Some(id) = &filter.story {
        values.push(Value::Text(id.0.clone()));
        restrict.push_str(&format!(
            " AND +search.rowid IN (SELECT a.n FROM story_members m JOIN articles a
                ON a.id = m.article WHERE m.story = ?{})",
            values.len()
        ));
    }
    let (limit, offset) = page_params(query.page);
    values.push(Value::Integer(int(window)));
    values.push(Value::Integer(limit));
    values.push(Value::Integer(offset));
    // Matches come newest-stored first straight from the index; only the first `window` of
    // them are scored, so a word that half the store contains costs no more than a rare one.
    let sql = format!(
        "WITH w AS MATERIALIZED (
            SELECT search.rowid AS n, bm25(search, 1.0, 0.0) AS rank FROM search
            WHERE search MATCH ?1{restrict} ORDER BY search.rowid DESC LIMIT ?{})
         SELECT n, rank FROM w ORDER BY rank, n DESC LIMIT ?{} OFFSET ?{}",
        values.len() - 2,
        values.len() - 1,
        values.len()
    );
    let ranked: Vec<(i64, f64)> = conn
        .prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(params_from_iter(values.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect()
        })
        .map_err(err)?;
    let mut hits = Vec::with_capacity(ranked.len());
    for (n, rank) in ranked {
        let (mut hit, text, blob) = hit_row(conn, n).map_err(err)?;
        let spans = terms::spans_of(&blob, &wanted).map_err(|what| StoreError::Corrupt {
            path: path.to_path_buf(),
            what: format!("terms of article {}: {what}", hit.id),
        })?;
        // bm25() is lower-is-better and negative; the hit's score is higher-is-better.
        hit.score = -rank;
        hit.snippet = terms::snippet(&text, &spans, &query.snippet);
        hits.push(hit);
    }
    Ok(hits)
}

/// `{column} : ("a" OR "b" ...)`: any of the tokens in one column.
fn column_any(column: &str, tokens: &[String]) -> String {
    let quoted: Vec<String> = tokens.iter().map(|t| format!("\"{t}\"")).collect();
    format!("{{{column}}} : ({})", quoted.join(" OR "))
}

/// The day facets of a filter's date range, clipped to the dates the store has; `None` when
/// no stored article can fall in it.
fn date_facets(conn: &Connection, filter: &ArticleFilter) -> rusqlite::Result<Option<Vec<String>>> {
    let (first, last): (Option<String>, Option<String>) = conn
        .prepare_cached("SELECT min(sort_date), max(sort_date) FROM articles WHERE sort_date > ''")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (Some(first), Some(last)) = (parse_date(first)?, parse_date(last)?) else {
        return Ok(None);
    };
    let since = filter.since.map_or(first, |d| d.max(first));
    let until = filter.until.map_or(last, |d| d.min(last));
    let days = terms::date_facets(since, until);
    Ok((!days.is_empty()).then_some(days))
}

/// A hit's metadata, clean text and term list, by row number.
fn hit_row(conn: &Connection, n: i64) -> rusqlite::Result<(SearchHit, String, Vec<u8>)> {
    conn.prepare_cached(
        "SELECT a.id, a.source, a.url, a.outlet, a.title, a.published, a.language, b.text,
            b.terms
         FROM articles a JOIN bodies b ON b.n = a.n WHERE a.n = ?1",
    )?
    .query_row([n], |r| {
        Ok((
            SearchHit {
                id: ArticleId(r.get(0)?),
                source: r.get(1)?,
                url: r.get(2)?,
                outlet: r.get(3)?,
                title: r.get(4)?,
                published: parse_date(r.get(5)?)?,
                language: parse(&r.get::<_, String>(6)?, "language")?,
                score: 0.0,
                snippet: String::new(),
            },
            r.get(7)?,
            r.get(8)?,
        ))
    })
}

/// A search with no terms: the filtered articles, newest first, each with its opening.
fn filter_only(conn: &Connection, path: &Path, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let listed = articles(
        conn,
        path,
        &query.filter,
        ArticleOrder::NewestFirst,
        query.page,
    )?;
    let mut hits = Vec::with_capacity(listed.len());
    for summary in listed {
        let n: i64 = conn
            .prepare_cached("SELECT n FROM articles WHERE id = ?1")
            .and_then(|mut s| s.query_row([&summary.id.0], |r| r.get(0)))
            .map_err(|e| map_err(path, e))?;
        let (mut hit, text, _) = hit_row(conn, n).map_err(|e| map_err(path, e))?;
        hit.snippet = terms::snippet(&text, &[], &query.snippet);
        hits.push(hit);
    }
    Ok(hits)
}

fn entity_row(r: &Row<'_>) -> rusqlite::Result<Entity> {
    Ok(Entity {
        id: EntityId(r.get(0)?),
        kind: parse(&r.get::<_, String>(1)?, "entity kind")?,
        name: r.get(2)?,
        native_name: r.get(3)?,
        aliases: Vec::new(),
        mentions: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
        articles: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
    })
}

fn with_aliases(conn: &Connection, mut entity: Entity) -> rusqlite::Result<Entity> {
    entity.aliases = conn
        .prepare_cached(
            "SELECT text, language, script, count FROM aliases WHERE entity = ?1
             ORDER BY count DESC, text, language, script",
        )?
        .query_map([&entity.id.0], |r| {
            Ok(Alias {
                text: r.get(0)?,
                language: parse::<Language>(&r.get::<_, String>(1)?, "language")?,
                script: parse::<Script>(&r.get::<_, String>(2)?, "script")?,
                count: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(entity)
}

const ENTITY_COLUMNS: &str = "id, kind, name, native_name, mentions, articles";

pub(super) fn entity(conn: &Connection, path: &Path, id: &EntityId) -> Result<Option<Entity>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?1"
        ))
        .and_then(|mut s| s.query_row([&id.0], entity_row).optional())
        .map_err(|e| map_err(path, e))?;
    found
        .map(|e| with_aliases(conn, e))
        .transpose()
        .map_err(|e| map_err(path, e))
}

pub(super) fn entities(
    conn: &Connection,
    path: &Path,
    filter: &EntityFilter,
    page: Page,
) -> Result<Vec<Entity>> {
    let err = |e| map_err(path, e);
    let (limit, offset) = page_params(page);
    let kind = filter.kind.map(EntityKind::name);
    let min = i64::try_from(filter.min_articles).unwrap_or(i64::MAX);
    let listed: Vec<Entity> = conn
        .prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities
             WHERE (?1 IS NULL OR kind = ?1) AND articles >= ?2
             ORDER BY articles DESC, id LIMIT ?3 OFFSET ?4"
        ))
        .and_then(|mut s| {
            s.query_map(params![kind, min, limit, offset], entity_row)?
                .collect()
        })
        .map_err(err)?;
    listed
        .into_iter()
        .map(|e| with_aliases(conn, e).map_err(err))
        .collect()
}

/// Columns of a [`StoredQuote`], in the order [`stored_quote`] reads them.
const QUOTE_COLUMNS: &str = "q.span_start, q.span_end, q.text, q.speaker, q.speaker_text,
    q.cue, q.partial, a.id, q.idx, a.published, a.language";

fn stored_quote(r: &Row<'_>) -> rusqlite::Result<StoredQuote> {
    Ok(StoredQuote {
        quote: quote(r)?,
        article: ArticleId(r.get(7)?),
        index: usize_of(r.get(8)?)?,
        published: parse_date(r.get(9)?)?,
        language: parse(&r.get::<_, String>(10)?, "language")?,
    })
}

pub(super) fn quotes(
    conn: &Connection,
    path: &Path,
    filter: &QuoteFilter,
    page: Page,
) -> Result<Vec<StoredQuote>> {
    let mut values = Vec::new();
    let mut clauses = String::new();
    if let Some(speaker) = &filter.speaker {
        values.push(Value::Text(speaker.0.clone()));
        clauses.push_str(&format!(" AND q.speaker = ?{}", values.len()));
    }
    if let Some(article) = &filter.article {
        values.push(Value::Text(article.0.clone()));
        clauses.push_str(&format!(" AND a.id = ?{}", values.len()));
    }
    clauses.push_str(&filter_sql(&filter.articles, &mut values));
    let (limit, offset) = page_params(page);
    values.push(Value::Integer(limit));
    values.push(Value::Integer(offset));
    let sql = format!(
        "SELECT {QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.n = q.article
         WHERE 1{clauses}
         ORDER BY (a.sort_date = '') ASC, a.sort_date DESC, a.id, q.idx LIMIT ?{} OFFSET ?{}",
        values.len() - 1,
        values.len()
    );
    conn.prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(params_from_iter(values.iter()), stored_quote)?
                .collect()
        })
        .map_err(|e| map_err(path, e))
}

fn link_row(r: &Row<'_>) -> rusqlite::Result<Link> {
    let kind: String = r.get(2)?;
    Ok(Link {
        a: ArticleId(r.get(0)?),
        b: ArticleId(r.get(1)?),
        kind: LinkKind::from_name(&kind).ok_or_else(|| bad(format!("link kind {kind:?}")))?,
        score: r.get(3)?,
        evidence: from_json(&r.get::<_, String>(4)?, "link evidence")?,
    })
}

pub(super) fn links(
    conn: &Connection,
    path: &Path,
    filter: &LinkFilter,
    page: Page,
) -> Result<Vec<Link>> {
    let (limit, offset) = page_params(page);
    let article = filter.article.as_ref().map(|a| a.0.as_str());
    let kind = filter.kind.map(LinkKind::name);
    // Two arms rather than `a = ?1 OR b = ?1` with a NULL test, so each can use its index.
    let sql = if article.is_some() {
        "SELECT a, b, kind, score, evidence FROM (
            SELECT * FROM links WHERE a = ?1 UNION SELECT * FROM links WHERE b = ?1)
         WHERE (?2 IS NULL OR kind = ?2)
         ORDER BY score DESC, a, b, kind LIMIT ?3 OFFSET ?4"
    } else {
        "SELECT a, b, kind, score, evidence FROM links
         WHERE ?1 IS NULL AND (?2 IS NULL OR kind = ?2)
         ORDER BY score DESC, a, b, kind LIMIT ?3 OFFSET ?4"
    };
    conn.prepare_cached(sql)
        .and_then(|mut s| {
            s.query_map(params![article, kind, limit, offset], link_row)?
                .collect()
        })
        .map_err(|e| map_err(path, e))
}

const STORY_COLUMNS: &str = "id, label, first_seen, last_seen, languages";

fn story_row(r: &Row<'_>) -> rusqlite::Result<Story> {
    let languages: BTreeMap<Language, u32> = from_json(&r.get::<_, String>(4)?, "story languages")?;
    Ok(Story {
        id: StoryId(r.get(0)?),
        label: from_json(&r.get::<_, String>(1)?, "story label")?,
        first_seen: parse_date(r.get(2)?)?,
        last_seen: parse_date(r.get(3)?)?,
        articles: Vec::new(),
        languages,
    })
}

fn with_members(conn: &Connection, mut story: Story) -> rusqlite::Result<Story> {
    story.articles = conn
        .prepare_cached("SELECT article FROM story_members WHERE story = ?1 ORDER BY article")?
        .query_map([&story.id.0], |r| Ok(ArticleId(r.get(0)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(story)
}

pub(super) fn story(conn: &Connection, path: &Path, id: &StoryId) -> Result<Option<Story>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {STORY_COLUMNS} FROM stories WHERE id = ?1"
        ))
        .and_then(|mut s| s.query_row([&id.0], story_row).optional())
        .map_err(|e| map_err(path, e))?;
    found
        .map(|s| with_members(conn, s))
        .transpose()
        .map_err(|e| map_err(path, e))
}

pub(super) fn story_of(
    conn: &Connection,
    path: &Path,
    article: &ArticleId,
) -> Result<Option<StoryId>> {
    conn.prepare_cached("SELECT story FROM story_members WHERE article = ?1")
        .and_then(|mut s| s.query_row([&article.0], |r| r.get(0)).optional())
        .map(|s| s.map(StoryId))
        .map_err(|e| map_err(path, e))
}

pub(super) fn stories(
    conn: &Connection,
    path: &Path,
    filter: &StoryFilter,
    page: Page,
) -> Result<Vec<Story>> {
    let err = |e| map_err(path, e);
    let (limit, offset) = page_params(page);
    let language = filter.language.map(Language::code);
    let listed: Vec<Story> = conn
        .prepare_cached(&format!(
            "SELECT {STORY_COLUMNS} FROM stories s
             WHERE size >= ?1 AND (?2 IS NULL OR EXISTS (
                SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article
                WHERE m.story = s.id AND a.language = ?2))
             ORDER BY (last_seen IS NULL) ASC, last_seen DESC, size DESC, id
             LIMIT ?3 OFFSET ?4"
        ))
        .and_then(|mut s| {
            s.query_map(
                params![int(filter.min_articles), language, limit, offset],
                story_row,
            )?
            .collect()
        })
        .map_err(err)?;
    listed
        .into_iter()
        .map(|s| with_members(conn, s).map_err(err))
        .collect()
}

pub(super) fn source_state(
    conn: &Connection,
    path: &Path,
    key: &str,
) -> Result<Option<SourceState>> {
    conn.prepare_cached("SELECT key, stamp, items, complete FROM sources WHERE key = ?1")
        .and_then(|mut s| {
            s.query_row([key], |r| {
                Ok(SourceState {
                    key: r.get(0)?,
                    stamp: r.get(1)?,
                    items: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    complete: r.get(3)?,
                })
            })
            .optional()
        })
        .map_err(|e| map_err(path, e))
}

pub(super) fn checkpoint(conn: &Connection, path: &Path, name: &str) -> Result<Option<Checkpoint>> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")
        .and_then(|mut s| {
            s.query_row([format!("checkpoint:{name}")], |r| r.get(0))
                .optional()
        })
        .map_err(|e| map_err(path, e))?;
    value
        .map(|v| {
            serde_json::from_str(&v).map_err(|e| StoreError::Corrupt {
                path: path.to_path_buf(),
                what: format!("checkpoint `{name}` ({e})"),
            })
        })
        .transpose()
}

pub(super) fn last_arrival(conn: &Connection, path: &Path) -> Result<u64> {
    conn.prepare_cached("SELECT coalesce(max(n), 0) FROM articles")
        .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(|e| map_err(path, e))
}

pub(super) fn export_arrivals<'a>(
    conn: &'a Connection,
    path: &'a Path,
    after: u64,
) -> RowIter<'a, (u64, ArticleRecord)> {
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    Batches::boxed(move |cursor: Option<&i64>| {
        let err = |e| map_err(path, e);
        let from = cursor.copied().unwrap_or(after);
        let keys: Vec<i64> = conn
            .prepare_cached("SELECT n FROM articles WHERE n > ?1 ORDER BY n LIMIT ?2")
            .and_then(|mut s| {
                s.query_map(params![from, int(BATCH)], |r| r.get(0))?
                    .collect()
            })
            .map_err(err)?;
        keys.into_iter()
            .map(|n| {
                let record = load_article(conn, n).map_err(err)?;
                Ok((n, (u64::try_from(n).unwrap_or(0), record)))
            })
            .collect()
    })
}

pub(super) fn export_arrival_heads<'a>(
    conn: &'a Connection,
    path: &'a Path,
    after: u64,
) -> RowIter<'a, (u64, ArticleRecord)> {
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    Batches::boxed(move |cursor: Option<&i64>| {
        let err = |e| map_err(path, e);
        let from = cursor.copied().unwrap_or(after);
        let heads: Vec<(i64, ArticleRecord)> = conn
            .prepare_cached(&format!(
                "SELECT a.n, {HEAD_COLUMNS} FROM articles a WHERE a.n > ?1 ORDER BY a.n LIMIT ?2"
            ))
            .and_then(|mut s| {
                s.query_map(params![from, int(BATCH)], |r| {
                    Ok((r.get(0)?, article_head(r, 1)?))
                })?
                .collect()
            })
            .map_err(err)?;
        heads
            .into_iter()
            .map(|(n, mut record)| {
                record.mentions = mentions_of(conn, n).map_err(err)?;
                Ok((n, (u64::try_from(n).unwrap_or(0), record)))
            })
            .collect()
    })
}

pub(super) fn stats(conn: &Connection, path: &Path) -> Result<StoreStats> {
    let count = |table: &str| -> Result<u64> {
        let n: i64 = conn
            .prepare_cached(&format!("SELECT count(*) FROM {table}"))
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| map_err(path, e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    Ok(StoreStats {
        articles: count("articles")?,
        mentions: count("mentions")?,
        entities: count("entities")?,
        quotes: count("quotes")?,
        dates: count("dates")?,
        events: count("events")?,
        links: count("links")?,
        stories: count("stories")?,
    })
}

/// Fetches the batch of rows after a cursor, each with its own cursor key.
type Fetch<'a, C, T> = Box<dyn FnMut(Option<&C>) -> Result<Vec<(C, T)>> + 'a>;

/// Rows fetched a batch at a time after a cursor (the last row's key).
struct Batches<'a, C, T> {
    fetch: Fetch<'a, C, T>,
    cursor: Option<C>,
    buffer: std::vec::IntoIter<T>,
    done: bool,
}

impl<'a, C: 'a, T: 'a> Batches<'a, C, T> {
    fn boxed(fetch: impl FnMut(Option<&C>) -> Result<Vec<(C, T)>> + 'a) -> RowIter<'a, T> {
        Box::new(Batches {
            fetch: Box::new(fetch),
            cursor: None,
            buffer: Vec::new().into_iter(),
            done: false,
        })
    }
}

impl<C, T> Iterator for Batches<'_, C, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        loop {
            if let Some(row) = self.buffer.next() {
                return Some(Ok(row));
            }
            if self.done {
                return None;
            }
            match (self.fetch)(self.cursor.as_ref()) {
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(rows) => {
                    self.done = rows.len() < BATCH;
                    let mut batch = Vec::with_capacity(rows.len());
                    for (key, row) in rows {
                        self.cursor = Some(key);
                        batch.push(row);
                    }
                    self.buffer = batch.into_iter();
                }
            }
        }
    }
}

pub(super) fn export_articles<'a>(
    conn: &'a Connection,
    path: &'a Path,
) -> RowIter<'a, ArticleRecord> {
    Batches::boxed(move |cursor: Option<&(String, String)>| {
        let err = |e| map_err(path, e);
        let keys: Vec<(String, String, i64)> = match cursor {
            None => conn
                .prepare_cached(
                    "SELECT sort_date, id, n FROM articles ORDER BY sort_date, id LIMIT ?1",
                )
                .and_then(|mut s| {
                    s.query_map([int(BATCH)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect()
                }),
            Some((date, id)) => conn
                .prepare_cached(
                    "SELECT sort_date, id, n FROM articles WHERE (sort_date, id) > (?1, ?2)
                     ORDER BY sort_date, id LIMIT ?3",
                )
                .and_then(|mut s| {
                    s.query_map(params![date, id, int(BATCH)], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?
                    .collect()
                }),
        }
        .map_err(err)?;
        keys.into_iter()
            .map(|(date, id, n)| Ok(((date, id), load_article(conn, n).map_err(err)?)))
            .collect()
    })
}

pub(super) fn export_entities<'a>(conn: &'a Connection, path: &'a Path) -> RowIter<'a, Entity> {
    Batches::boxed(move |cursor: Option<&String>| {
        let err = |e| map_err(path, e);
        let rows: Vec<Entity> = conn
            .prepare_cached(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities WHERE id > ?1 ORDER BY id LIMIT ?2"
            ))
            .and_then(|mut s| {
                s.query_map(
                    params![cursor.map_or("", String::as_str), int(BATCH)],
                    entity_row,
                )?
                .collect()
            })
            .map_err(err)?;
        rows.into_iter()
            .map(|e| Ok((e.id.0.clone(), with_aliases(conn, e).map_err(err)?)))
            .collect()
    })
}

pub(super) fn export_quotes<'a>(conn: &'a Connection, path: &'a Path) -> RowIter<'a, StoredQuote> {
    Batches::boxed(move |cursor: Option<&(i64, i64)>| {
        let (n, idx) = cursor.copied().unwrap_or((i64::MIN, i64::MIN));
        conn.prepare_cached(&format!(
            "SELECT {QUOTE_COLUMNS}, q.article FROM quotes q JOIN articles a ON a.n = q.article
             WHERE (q.article, q.idx) > (?1, ?2) ORDER BY q.article, q.idx LIMIT ?3"
        ))
        .and_then(|mut s| {
            s.query_map(params![n, idx, int(BATCH)], |r| {
                let q = stored_quote(r)?;
                Ok(((r.get(11)?, int(q.index)), q))
            })?
            .collect()
        })
        .map_err(|e| map_err(path, e))
    })
}

pub(super) fn export_links<'a>(conn: &'a Connection, path: &'a Path) -> RowIter<'a, Link> {
    Batches::boxed(move |cursor: Option<&(String, String, String)>| {
        let err = |e| map_err(path, e);
        let rows: Vec<Link> = match cursor {
            None => conn
                .prepare_cached(
                    "SELECT a, b, kind, score, evidence FROM links ORDER BY a, b, kind LIMIT ?1",
                )
                .and_then(|mut s| s.query_map([int(BATCH)], link_row)?.collect()),
            Some((a, b, kind)) => conn
                .prepare_cached(
                    "SELECT a, b, kind, score, evidence FROM links WHERE (a, b, kind) > (?1, ?2, ?3)
                     ORDER BY a, b, kind LIMIT ?4",
                )
                .and_then(|mut s| {
                    s.query_map(params![a, b, kind, int(BATCH)], link_row)?
                        .collect()
                }),
        }
        .map_err(err)?;
        Ok(rows
            .into_iter()
            .map(|l| ((l.a.0.clone(), l.b.0.clone(), l.kind.name().to_string()), l))
            .collect())
    })
}

pub(super) fn export_stories<'a>(conn: &'a Connection, path: &'a Path) -> RowIter<'a, Story> {
    Batches::boxed(move |cursor: Option<&String>| {
        let err = |e| map_err(path, e);
        let rows: Vec<Story> = conn
            .prepare_cached(&format!(
                "SELECT {STORY_COLUMNS} FROM stories WHERE id > ?1 ORDER BY id LIMIT ?2"
            ))
            .and_then(|mut s| {
                s.query_map(
                    params![cursor.map_or("", String::as_str), int(BATCH)],
                    story_row,
                )?
                .collect()
            })
            .map_err(err)?;
        rows.into_iter()
            .map(|s| Ok((s.id.0.clone(), with_members(conn, s).map_err(err)?)))
            .collect()
    })
}
