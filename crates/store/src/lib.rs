//! xabar's knowledge store: analyzed articles with their mentions, quotes, dates and events,
//! the entities they name, the links between articles, and the stories that gather them, with
//! full-text search over the analyzed terms.
//!
//! [`Store`] is the interface every backend implements; [`SqliteStore`] is the embedded one
//! (one file, no server). The store knows nothing of HTML or of how analysis works: it keeps
//! what the pipeline hands it ([`ArticleRecord`], [`Entity`], [`Link`], [`Story`]) and answers
//! queries over it. The backend-independent contract is checked by `testsuite` (with the
//! `testsuite` feature), which every backend's tests run.
//!
//! # An ingest that can be killed and run again
//!
//! Every article is written whole or not at all, with its links and story
//! ([`Store::put_articles`] batches them into one transaction), and the same article again is
//! [`PutOutcome::Unchanged`] and writes nothing. So an ingest that is killed and started over
//! ends with the same store as one that was never interrupted, as long as it feeds the
//! articles in the same order. [`Store::source_state`] lets it skip inputs it finished before,
//! and [`Store::classify`] lets it skip the relate stage for articles it already has.
//!
//! ```
//! use xabar_store::*;
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join("xabar.db");
//! let mut store = SqliteStore::open(&path, &SqliteOptions::default())?;
//! let record = testsuite::corpus().remove(0); // an analyzed article, terms included
//! if store.classify(&record)?.outcome != PutOutcome::Unchanged {
//!     let relations = Relations::default(); // links and story from the relate stage
//!     for put in store.put_articles(&[(record, relations)])? {
//!         println!("{:?}", put?.outcome);
//!     }
//! }
//! let reader = SqliteStore::open_read_only(&path, &SqliteOptions::default())?;
//! let hits = reader.search(&SearchQuery {
//!     terms: vec![vec!["токаев".into(), "e:kb:person/tokayev".into()]],
//!     ..SearchQuery::default()
//! })?;
//! assert_eq!(hits.len(), 1);
//! assert!(hits[0].snippet.contains("**Токаев**"));
//! # Ok::<(), StoreError>(())
//! ```
#![warn(missing_docs)]

mod error;
mod model;
mod sqlite;
mod store;
pub mod terms;
#[cfg(feature = "testsuite")]
pub mod testsuite;

pub use error::{Result, StoreError};
pub use model::{
    Alias, ArticleFilter, ArticleOrder, ArticleRecord, ArticleSummary, Checkpoint, Entity,
    EntityFilter, IndexedTerm, Link, LinkFilter, LinkKind, Page, Put, PutOutcome, QuoteFilter,
    Relations, SearchHit, SearchQuery, SnippetStyle, SourceState, StoreStats, StoredQuote, Story,
    StoryFilter, StoryId,
};
pub use sqlite::{APPLICATION_ID, SCHEMA_VERSION, SqliteOptions, SqliteStore, default_store_path};
pub use store::{RowIter, Store, validate_record};
