//! What can go wrong with a store, split into what the user can mend (a wrong path, a file that
//! is not a store, a store from a newer xabar, another writer, a full disk, a bad query) and what
//! went wrong inside (the database engine failed, stored data does not decode).
//!
//! Every message names the store's path where there is one, so a user who keeps several stores
//! knows which one is meant. Backend errors are boxed so that no backend's types leak into the
//! [`Store`](crate::Store) interface.

use std::path::PathBuf;

/// A store operation's result.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A reader was asked to open a store that does not exist.
    #[error("no xabar store at {path}: run `xabar ingest` first, or pass --db / XABAR_DB")]
    NotFound {
        /// The path that was given.
        path: PathBuf,
    },
    /// The path cannot hold a store (a folder, a missing parent folder, no permission).
    #[error("cannot use {path} as a xabar store: {reason}")]
    BadPath {
        /// The path that was given.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The file exists but is not a xabar store; it was left untouched.
    #[error("{path} is not a xabar store ({detail}); it was left untouched: pick another path")]
    NotAStore {
        /// The file.
        path: PathBuf,
        /// What it is instead ("not an SQLite database", "an SQLite database of another program").
        detail: String,
    },
    /// The store was written by a newer xabar whose schema this build does not know.
    #[error(
        "{path} was written by a newer xabar (schema {found}{by}, this build knows up to {supported}); \
         upgrade xabar to use it. Nothing was changed.",
        by = writer.as_deref().map(|w| format!(", by {w}")).unwrap_or_default()
    )]
    NewerSchema {
        /// The store.
        path: PathBuf,
        /// The schema version found in the store.
        found: u32,
        /// The newest schema version this build knows.
        supported: u32,
        /// The program and version that last migrated the store, when recorded.
        writer: Option<String>,
    },
    /// The store's schema is older than this build's and the store was opened read-only.
    #[error(
        "{path} has schema {found} and this xabar needs {needed}: open it once for writing \
         (e.g. `xabar ingest`) to upgrade it"
    )]
    OlderSchema {
        /// The store.
        path: PathBuf,
        /// The schema version found.
        found: u32,
        /// The version this build needs.
        needed: u32,
    },
    /// Another process (or another handle in this one) holds the store's writer lock.
    #[error("another xabar ingest is writing to {path}{holder}; wait for it to finish and try again",
        holder = holder.as_deref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Locked {
        /// The store.
        path: PathBuf,
        /// Who holds the lock, when known ("pid 1234").
        holder: Option<String>,
    },
    /// The disk (or the store's size cap) is full; the write was rolled back and nothing
    /// already stored was lost.
    #[error(
        "{path}: the disk is full (or the store reached its size cap); the last write was rolled \
         back and everything stored before it is intact. Free some space and run again."
    )]
    DiskFull {
        /// The store.
        path: PathBuf,
    },
    /// A write was attempted through a read-only handle.
    #[error("{path} was opened read-only")]
    ReadOnly {
        /// The store.
        path: PathBuf,
    },
    /// A record handed to the store is inconsistent (a span outside the text, an empty id).
    #[error("article {id}: {reason}")]
    InvalidRecord {
        /// The article's id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// A query that cannot be run (a limit of zero pages, an unknown filter value).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Stored data does not decode: the store is damaged or was edited by hand.
    #[error("{path}: stored data is damaged ({what})")]
    Corrupt {
        /// The store.
        path: PathBuf,
        /// What failed to decode.
        what: String,
    },
    /// The database engine failed.
    #[error("{path}: database error: {source}")]
    Backend {
        /// The store.
        path: PathBuf,
        /// The engine's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A caller's callback or sink failed while the store fed it rows (an export to a closed pipe).
    #[error("{0}")]
    Sink(Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// Whether the user can mend this (another path, another xabar, free space, wait for the
    /// other writer) as opposed to a fault inside xabar or the database engine.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound { .. }
                | StoreError::BadPath { .. }
                | StoreError::NotAStore { .. }
                | StoreError::NewerSchema { .. }
                | StoreError::OlderSchema { .. }
                | StoreError::Locked { .. }
                | StoreError::DiskFull { .. }
                | StoreError::ReadOnly { .. }
                | StoreError::InvalidRecord { .. }
                | StoreError::InvalidQuery(_)
        )
    }
}

impl From<std::io::Error> for StoreError {
    /// An I/O error from a caller's sink (e.g. writing an export to standard output).
    fn from(error: std::io::Error) -> StoreError {
        StoreError::Sink(Box::new(error))
    }
}
