//! The `--db` option every command over the store takes, and opening the store read-only.
//!
//! Read commands never create a store: a missing file is an error that tells the user to run
//! `xabar ingest` first, and a file that is not a store is left untouched. They take no lock,
//! so they work while an ingest writes (they see what it has committed so far).

use std::path::PathBuf;

use xabar_store::{SqliteOptions, SqliteStore, default_store_path};

/// Where the store is.
#[derive(clap::Args, Debug, Clone)]
pub struct StoreArgs {
    /// The store to read (default: $XABAR_DB, else xabar.db in the working folder).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
}

impl StoreArgs {
    /// The store's path: `--db`, else the default.
    pub fn path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_store_path)
    }

    /// Opens the store for reading; never creates one.
    pub fn open(&self) -> anyhow::Result<SqliteStore> {
        // The store's errors name the path and say what to do (run `xabar ingest`, pick
        // another path), so they are shown as they are.
        Ok(SqliteStore::open_read_only(
            self.path(),
            &SqliteOptions::default(),
        )?)
    }
}
