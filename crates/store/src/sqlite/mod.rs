//! The embedded backend: one SQLite file, WAL mode, FTS5 over the analyzed terms.
//!
//! Opening is careful with files that are not ours: the header is read as bytes before SQLite
//! touches the file, so another program's database, or a file that is not SQLite at all, is
//! refused and left as it was. A writer takes an exclusive lock on a file beside the store
//! (`<store>-writer`, an OS lock that dies with its process, so a killed ingest never leaves a
//! stale lock) before it migrates or writes anything; readers take no lock and read committed
//! articles while a writer writes (WAL).
//!
//! Every article is one `BEGIN IMMEDIATE` transaction; `synchronous = NORMAL` keeps commits
//! cheap and is safe against a killed process (only a power cut can lose the last commits, and
//! never corrupts the file).

mod read;
pub(crate) mod schema;
mod write;

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use xabar_core::{ArticleId, EntityId};

pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

use crate::model::*;
use crate::store::{RowIter, Store};
use crate::{Result, StoreError};

/// How to open a SQLite store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    /// How long a statement waits for SQLite's own locks (a checkpoint, a reader's snapshot).
    pub busy_timeout: Duration,
    /// How long a writer waits for another writer to finish before it gives up with
    /// [`StoreError::Locked`].
    pub lock_wait: Duration,
    /// A cap on the store's size in bytes; a write that would pass it fails like a full disk.
    pub max_size: Option<u64>,
    /// Page cache per connection, in MiB.
    pub cache_mib: u32,
    /// How many matches of a search are ranked: the most recently stored ones (after the
    /// filters). Bounds a search's cost however common its words are.
    pub search_window: usize,
}

impl Default for SqliteOptions {
    fn default() -> SqliteOptions {
        SqliteOptions {
            busy_timeout: Duration::from_secs(5),
            lock_wait: Duration::from_secs(2),
            max_size: None,
            cache_mib: 64,
            search_window: 5_000,
        }
    }
}

/// The store's path when the caller names none: `$XABAR_DB`, else `xabar.db` in the working
/// folder.
pub fn default_store_path() -> PathBuf {
    match std::env::var_os("XABAR_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from("xabar.db"),
    }
}

/// A xabar store in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The writer lock, held while the store is open for writing.
    writer: Option<File>,
    /// See [`SqliteOptions::search_window`].
    search_window: usize,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("writable", &self.writer.is_some())
            .finish()
    }
}

/// The byte header of an SQLite file, as far as opening needs it.
enum FileKind {
    /// No file, or an empty one: a new store.
    New,
    /// An SQLite database with this application id.
    Sqlite { application_id: u32 },
}

impl SqliteStore {
    /// Opens a store for writing, creating it when the file does not exist (or is empty), and
    /// upgrading its schema when it is older. Takes the writer lock: a second writer waits up to
    /// `options.lock_wait` and then fails with [`StoreError::Locked`].
    pub fn open(path: impl AsRef<Path>, options: &SqliteOptions) -> Result<SqliteStore> {
        let path = path.as_ref().to_path_buf();
        let kind = inspect(&path, true)?;
        if let FileKind::Sqlite { application_id } = kind
            && application_id != APPLICATION_ID
        {
            return Err(foreign(&path, application_id));
        }
        let writer = lock_writer(&path, options.lock_wait)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| map_err(&path, e))?;
        let mut store = SqliteStore {
            conn,
            path,
            writer: Some(writer),
            search_window: options.search_window.max(1),
        };
        store.configure(options)?;
        store.migrate()?;
        store
            .conn
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA wal_autocheckpoint = 8192;",
            )
            .map_err(|e| map_err(&store.path, e))?;
        if let Some(bytes) = options.max_size {
            let page_size: i64 = store
                .conn
                .pragma_query_one(None, "page_size")
                .map_err(|e| map_err(&store.path, e))?;
            let page_size = u64::try_from(page_size).unwrap_or(4096).max(1);
            let pages = (bytes / page_size).max(1);
            store
                .conn
                .execute_batch(&format!("PRAGMA max_page_count = {pages};"))
                .map_err(|e| map_err(&store.path, e))?;
        }
        Ok(store)
    }

    /// Opens an existing store for reading only. Takes no lock: it reads while a writer writes.
    pub fn open_read_only(path: impl AsRef<Path>, options: &SqliteOptions) -> Result<SqliteStore> {
        let path = path.as_ref().to_path_buf();
        match inspect(&path, false)? {
            FileKind::New => {
                return Err(StoreError::NotFound { path });
            }
            FileKind::Sqlite { application_id } if application_id != APPLICATION_ID => {
                return Err(foreign(&path, application_id));
            }
            FileKind::Sqlite { .. } => {}
        }
        // Read-write flags without CREATE: a WAL reader needs to map the shared-memory file;
        // `query_only` below keeps this handle from writing.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| map_err(&path, e))?;
        let store = SqliteStore {
            conn,
            path,
            writer: None,
            search_window: options.search_window.max(1),
        };
        store.configure(options)?;
        store
            .conn
            .execute_batch("PRAGMA query_only = ON;")
            .map_err(|e| map_err(&store.path, e))?;
        let version = store.user_version()?;
        store.check_not_newer(version)?;
        if version < SCHEMA_VERSION {
            return Err(StoreError::OlderSchema {
                path: store.path.clone(),
                found: version,
                needed: SCHEMA_VERSION,
            });
        }
        Ok(store)
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs SQLite's `PRAGMA integrity_check` and the index's own check; returns the problems
    /// found (empty when the store is sound).
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        self.conn
            .pragma_query(None, "integrity_check", |row| {
                let line: String = row.get(0)?;
                if line != "ok" {
                    problems.push(line);
                }
                Ok(())
            })
            .map_err(|e| self.err(e))?;
        if let Err(e) = self.conn.execute(
            "INSERT INTO search (search, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            // A read-only handle cannot run the index check; that is not a problem found.
            if e.sqlite_error_code() != Some(ErrorCode::ReadOnly) {
                problems.push(format!("search index: {e}"));
            }
        }
        Ok(problems)
    }

    fn configure(&self, options: &SqliteOptions) -> Result<()> {
        self.conn
            .busy_timeout(options.busy_timeout)
            .map_err(|e| self.err(e))?;
        self.conn.set_prepared_statement_cache_capacity(64);
        let cache_kib = i64::from(options.cache_mib) * 1024;
        self.conn
            .execute_batch(&format!(
                "PRAGMA cache_size = -{cache_kib}; PRAGMA temp_store = MEMORY; \
                 PRAGMA foreign_keys = OFF;"
            ))
            .map_err(|e| self.err(e))
    }

    fn user_version(&self) -> Result<u32> {
        let v: i64 = self
            .conn
            .pragma_query_one(None, "user_version")
            .map_err(|e| self.err(e))?;
        u32::try_from(v).map_err(|_| StoreError::Corrupt {
            path: self.path.clone(),
            what: format!("schema version {v}"),
        })
    }

    fn check_not_newer(&self, version: u32) -> Result<()> {
        if version <= SCHEMA_VERSION {
            return Ok(());
        }
        let writer = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'writer'", [], |r| {
                r.get::<_, String>(0)
            })
            .ok();
        Err(StoreError::NewerSchema {
            path: self.path.clone(),
            found: version,
            supported: SCHEMA_VERSION,
            writer,
        })
    }

    /// Brings the schema to [`SCHEMA_VERSION`], one migration per transaction, or refuses a
    /// newer store without changing it.
    fn migrate(&mut self) -> Result<()> {
        loop {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| map_err(&self.path, e))?;
            let version: i64 = tx
                .pragma_query_one(None, "user_version")
                .map_err(|e| map_err(&self.path, e))?;
            let version = u32::try_from(version).unwrap_or(u32::MAX);
            if version >= SCHEMA_VERSION {
                drop(tx);
                return self.check_not_newer(version);
            }
            if version == 0 {
                // A fresh file must be empty: never lay our schema over someone's tables.
                let tables: i64 = tx
                    .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                    .map_err(|e| map_err(&self.path, e))?;
                if tables > 0 {
                    return Err(StoreError::NotAStore {
                        path: self.path.clone(),
                        detail: "an SQLite database with tables of its own but no xabar schema"
                            .into(),
                    });
                }
                tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID};"))
                    .map_err(|e| map_err(&self.path, e))?;
            }
            let sql = schema::MIGRATIONS[version as usize];
            tx.execute_batch(sql).map_err(|e| map_err(&self.path, e))?;
            tx.execute_batch(&format!("PRAGMA user_version = {};", version + 1))
                .map_err(|e| map_err(&self.path, e))?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('writer', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [concat!("xabar-store ", env!("CARGO_PKG_VERSION"))],
            )
            .map_err(|e| map_err(&self.path, e))?;
            tx.commit().map_err(|e| map_err(&self.path, e))?;
        }
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        map_err(&self.path, e)
    }

    fn require_writer(&self) -> Result<()> {
        if self.writer.is_some() {
            Ok(())
        } else {
            Err(StoreError::ReadOnly {
                path: self.path.clone(),
            })
        }
    }
}

/// Maps an SQLite error to the store's: a full disk, a lock and a foreign file are the user's
/// to mend; everything else is internal.
pub(crate) fn map_err(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    // A value that does not decode: the file holds what this store never writes.
    let corrupt = match &e {
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => Some(inner.to_string()),
        rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::Utf8Error(..) => Some(e.to_string()),
        _ => None,
    };
    if let Some(what) = corrupt {
        return StoreError::Corrupt { path, what };
    }
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Locked { path, holder: None }
        }
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore {
            path,
            detail: "not an SQLite database".into(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
        Some(ErrorCode::CannotOpen) => StoreError::BadPath {
            path,
            reason: e.to_string(),
        },
        _ => StoreError::Backend {
            path,
            source: Box::new(e),
        },
    }
}

fn foreign(path: &Path, application_id: u32) -> StoreError {
    StoreError::NotAStore {
        path: path.to_path_buf(),
        detail: if application_id == 0 {
            "an SQLite database of another program".into()
        } else {
            format!("an SQLite database of another program, application_id {application_id:#010x}")
        },
    }
}

/// Reads the file's header without opening it as a database, so nothing is changed.
fn inspect(path: &Path, for_writing: bool) -> Result<FileKind> {
    let bad = |reason: &str| StoreError::BadPath {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if for_writing {
                let parent = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                if !parent.is_dir() {
                    return Err(bad("its folder does not exist"));
                }
            }
            return Ok(FileKind::New);
        }
        Err(e) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: e,
            });
        }
    };
    if meta.is_dir() {
        return Err(bad("it is a folder; give a file path such as xabar.db"));
    }
    if meta.len() == 0 {
        // An empty file with a non-empty write-ahead log beside it is a database whose first
        // commits were never copied back: someone else's, and not to be overwritten.
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                detail: "an empty file with a write-ahead log of another database beside it".into(),
            });
        }
        return Ok(FileKind::New);
    }
    let mut header = [0u8; 100];
    let mut file = File::open(path).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        }
    }
    if read < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Err(StoreError::NotAStore {
            path: path.to_path_buf(),
            detail: "not an SQLite database".into(),
        });
    }
    let application_id = u32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    Ok(FileKind::Sqlite { application_id })
}

/// The lock file beside a store.
fn lock_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-writer");
    PathBuf::from(p)
}

/// Takes the store's exclusive writer lock, waiting up to `wait` for another writer.
fn lock_writer(path: &Path, wait: Duration) -> Result<File> {
    let lock = lock_path(path);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock)
        .map_err(|e| StoreError::BadPath {
            path: path.to_path_buf(),
            reason: format!("cannot create the lock file {}: {e}", lock.display()),
        })?;
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(fs::TryLockError::WouldBlock) => {
                if Instant::now() >= deadline {
                    let holder = fs::read_to_string(&lock)
                        .ok()
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty());
                    return Err(StoreError::Locked {
                        path: path.to_path_buf(),
                        holder,
                    });
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(StoreError::Io {
                    path: lock,
                    source: e,
                });
            }
        }
    }
    // Who holds it, for the message another writer will print. Best effort: the lock is what
    // matters, not the note.
    let _ = file.set_len(0);
    let _ = writeln!(file, "pid {}", std::process::id());
    let _ = file.flush();
    Ok(file)
}

impl Store for SqliteStore {
    fn schema_version(&self) -> Result<u32> {
        self.user_version()
    }

    fn is_writable(&self) -> bool {
        self.writer.is_some()
    }

    fn put_article_with(&mut self, record: &ArticleRecord, relations: &Relations) -> Result<Put> {
        self.require_writer()?;
        write::put_article(&mut self.conn, &self.path, record, relations)
    }

    fn put_articles(&mut self, batch: &[(ArticleRecord, Relations)]) -> Result<Vec<Result<Put>>> {
        self.require_writer()?;
        write::put_articles(&mut self.conn, &self.path, batch)
    }

    fn classify(&self, record: &ArticleRecord) -> Result<Put> {
        write::classify(&self.conn, &self.path, record)
    }

    fn upsert_entity(&mut self, entity: &Entity) -> Result<()> {
        self.require_writer()?;
        write::upsert_entity(&mut self.conn, &self.path, entity)
    }

    fn put_links(&mut self, links: &[Link]) -> Result<()> {
        self.require_writer()?;
        write::put_links(&mut self.conn, &self.path, links)
    }

    fn put_story(&mut self, story: &Story) -> Result<()> {
        self.require_writer()?;
        write::put_story(&mut self.conn, &self.path, story)
    }

    fn delete_story(&mut self, id: &StoryId) -> Result<bool> {
        self.require_writer()?;
        write::delete_story(&mut self.conn, &self.path, id)
    }

    fn put_source_state(&mut self, state: &SourceState) -> Result<()> {
        self.require_writer()?;
        write::put_source_state(&self.conn, &self.path, state)
    }

    fn put_checkpoint(&mut self, name: &str, checkpoint: &Checkpoint) -> Result<()> {
        self.require_writer()?;
        write::put_checkpoint(&self.conn, &self.path, name, checkpoint)
    }

    fn checkpoint(&self, name: &str) -> Result<Option<Checkpoint>> {
        read::checkpoint(&self.conn, &self.path, name)
    }

    fn last_arrival(&self) -> Result<u64> {
        read::last_arrival(&self.conn, &self.path)
    }

    fn export_arrivals(&self, position: u64) -> Result<RowIter<'_, (u64, ArticleRecord)>> {
        Ok(read::export_arrivals(&self.conn, &self.path, position))
    }

    fn export_arrival_heads(&self, position: u64) -> Result<RowIter<'_, (u64, ArticleRecord)>> {
        Ok(read::export_arrival_heads(&self.conn, &self.path, position))
    }

    fn source_state(&self, key: &str) -> Result<Option<SourceState>> {
        read::source_state(&self.conn, &self.path, key)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<ArticleRecord>> {
        read::article(&self.conn, &self.path, id)
    }

    fn articles(
        &self,
        filter: &ArticleFilter,
        order: ArticleOrder,
        page: Page,
    ) -> Result<Vec<ArticleSummary>> {
        read::articles(&self.conn, &self.path, filter, order, page)
    }

    fn count_articles(&self, filter: &ArticleFilter) -> Result<u64> {
        read::count_articles(&self.conn, &self.path, filter)
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        read::search(&self.conn, &self.path, query, self.search_window)
    }

    fn entity(&self, id: &EntityId) -> Result<Option<Entity>> {
        read::entity(&self.conn, &self.path, id)
    }

    fn entities(&self, filter: &EntityFilter, page: Page) -> Result<Vec<Entity>> {
        read::entities(&self.conn, &self.path, filter, page)
    }

    fn quotes(&self, filter: &QuoteFilter, page: Page) -> Result<Vec<StoredQuote>> {
        read::quotes(&self.conn, &self.path, filter, page)
    }

    fn links(&self, filter: &LinkFilter, page: Page) -> Result<Vec<Link>> {
        read::links(&self.conn, &self.path, filter, page)
    }

    fn story(&self, id: &StoryId) -> Result<Option<Story>> {
        read::story(&self.conn, &self.path, id)
    }

    fn story_of(&self, article: &ArticleId) -> Result<Option<StoryId>> {
        read::story_of(&self.conn, &self.path, article)
    }

    fn stories(&self, filter: &StoryFilter, page: Page) -> Result<Vec<Story>> {
        read::stories(&self.conn, &self.path, filter, page)
    }

    fn stats(&self) -> Result<StoreStats> {
        read::stats(&self.conn, &self.path)
    }

    fn export_articles(&self) -> Result<RowIter<'_, ArticleRecord>> {
        Ok(read::export_articles(&self.conn, &self.path))
    }

    fn export_entities(&self) -> Result<RowIter<'_, Entity>> {
        Ok(read::export_entities(&self.conn, &self.path))
    }

    fn export_quotes(&self) -> Result<RowIter<'_, StoredQuote>> {
        Ok(read::export_quotes(&self.conn, &self.path))
    }

    fn export_links(&self) -> Result<RowIter<'_, Link>> {
        Ok(read::export_links(&self.conn, &self.path))
    }

    fn export_stories(&self) -> Result<RowIter<'_, Story>> {
        Ok(read::export_stories(&self.conn, &self.path))
    }
}
