//! xabar's engine: the layer between analysis and the knowledge store, shared by the CLI and
//! (later) the HTTP server.
//!
//! - [`terms`]: the search terms of a word and of an article, the one scheme that indexing and
//!   query parsing both use; [`terms::record`] turns an analyzed article into the store's
//!   [`xabar_store::ArticleRecord`];
//! - [`ingest`]: the [`Ingester`], which takes raw articles through analysis, entity linking
//!   and the relate stage into a store, resumably (its module docs say how and why).
#![warn(missing_docs)]

pub mod ingest;
pub mod query;
pub mod terms;

pub use ingest::{IngestCounts, IngestError, IngestOptions, Ingester, Restored, Skipped};
pub use terms::{entity_term, index_terms, record, word_terms};
