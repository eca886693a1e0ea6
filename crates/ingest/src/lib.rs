//! Getting articles in: readers for plain-text files and folders, JSONL and standard input,
//! the cleaning of plain text as scrapers leave it, and the preparation of an [`Article`] from a
//! [`RawArticle`](xabar_core::RawArticle) (cleaning, normalization, language identification).
//!
//! Not here: HTML extraction and feeds (a later stage of this crate), annotation, storage.
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
