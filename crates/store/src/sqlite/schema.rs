//! The SQLite schema and its migrations, applied in order.
//!
//! The schema version lives in `PRAGMA user_version`, and `PRAGMA application_id` marks the
//! file as a xabar store. Migration `i` takes a store from version `i` to `i + 1`; a new schema
//! change appends a migration and never edits an old one, so every store, whatever version it
//! was made with, reaches the same schema.

/// `PRAGMA application_id` of every xabar store: the ASCII bytes "xabr".
pub const APPLICATION_ID: u32 = 0x7861_6272;

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The migrations, oldest first.
pub(crate) const MIGRATIONS: &[&str] = &[V1];

/// Version 1: articles with their annotations and terms, entities, links, stories, the ingest
/// journal, and a content-less FTS5 index over the terms.
const V1: &str = r#"
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- n is the internal row number (also the search index's rowid); id is the public article id.
-- identity is what makes two records the same article (canonical URL, URL or text hash);
-- fingerprint is a hash of the content, so an unchanged article is recognized without
-- comparing it field by field. sort_date is the published day, or '' when undated. The bulk
-- (text, paragraphs, term list) lives in `bodies`, so that the rows a search joins and
-- filters on stay small and cached.
CREATE TABLE articles (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    identity TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    canonical_url TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,
    modified TEXT,
    sort_date TEXT NOT NULL,
    language TEXT NOT NULL,
    script TEXT NOT NULL,
    length INTEGER NOT NULL,
    authors TEXT NOT NULL,
    dateline TEXT,
    text_hash TEXT NOT NULL
);
CREATE TABLE bodies (
    n INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    terms BLOB NOT NULL
);
CREATE INDEX articles_by_date ON articles (sort_date, id);
CREATE INDEX articles_by_language ON articles (language, sort_date);
CREATE INDEX articles_by_outlet ON articles (outlet COLLATE NOCASE, sort_date);

CREATE TABLE mentions (
    article INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity TEXT,
    name TEXT,
    role TEXT,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;
CREATE INDEX mentions_by_entity ON mentions (entity, article) WHERE entity IS NOT NULL;

CREATE TABLE quotes (
    article INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_text TEXT,
    cue TEXT,
    partial INTEGER NOT NULL,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;
CREATE INDEX quotes_by_speaker ON quotes (speaker, article) WHERE speaker IS NOT NULL;

CREATE TABLE dates (
    article INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;
CREATE INDEX dates_by_value ON dates (value);

-- The whole event as JSON, with kind and date apart for queries.
CREATE TABLE events (
    article INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    date TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;
CREATE INDEX events_by_date ON events (date) WHERE date IS NOT NULL;

-- mentions and articles are exact counts over the mentions table, kept in each article's
-- transaction.
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    native_name TEXT,
    mentions INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX entities_by_articles ON entities (articles DESC, id);

-- known: listed by a knowledge base (kept at count 0); other aliases go when their count does.
CREATE TABLE aliases (
    entity TEXT NOT NULL,
    text TEXT NOT NULL,
    language TEXT NOT NULL,
    script TEXT NOT NULL,
    count INTEGER NOT NULL,
    known INTEGER NOT NULL,
    PRIMARY KEY (entity, text, language, script)
) WITHOUT ROWID;

CREATE TABLE links (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (a, b, kind)
) WITHOUT ROWID;
CREATE INDEX links_by_b ON links (b);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    languages TEXT NOT NULL,
    size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX stories_by_last_seen ON stories (last_seen DESC, size DESC, id);

CREATE TABLE story_members (
    article TEXT PRIMARY KEY,
    story TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX story_members_by_story ON story_members (story, article);

CREATE TABLE sources (
    key TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    items INTEGER NOT NULL,
    complete INTEGER NOT NULL
) WITHOUT ROWID;

-- Terms are written as tokens that the ascii tokenizer keeps whole (see terms.rs); the
-- index stores no copy of them (content-less), `bodies` keeps them with their spans. Facets
-- (language, outlet, dates, entities) are tokens too, so that filters are answered inside
-- the index; ranking gives their column no weight.
CREATE VIRTUAL TABLE search USING fts5 (
    terms,
    facets,
    content = '',
    contentless_delete = 1,
    tokenize = "ascii tokenchars '_'"
);
"#;
