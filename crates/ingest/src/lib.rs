//! Getting articles in: readers for plain-text files and folders, HTML pages, WARC archives,
//! RSS/Atom feeds (files and URLs), JSONL and standard input, in any charset; main-text and
//! metadata extraction from HTML; the cleaning of plain text as scrapers leave it; and the
//! preparation of an [`Article`](xabar_core::Article) from a
//! [`RawArticle`](xabar_core::RawArticle) (extraction, normalization, cleaning, language
//! identification).
//!
//! Not here: annotation (`xabar-annotate`), relations between articles, storage.
#![warn(missing_docs)]

pub mod charset;
pub mod clean;
pub mod feed;
pub mod html;
pub mod prepare;
pub mod read;
pub mod warc;

pub use prepare::{PrepareError, prepare};
pub use read::{Input, ReadError, Reader};
