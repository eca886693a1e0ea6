//! The plug-in vocabulary of xabar: what an article is, how spans point into its text, which
//! languages and scripts exist, and the traits each pipeline stage implements.
//!
//! This crate holds no language data and no algorithms beyond bookkeeping; everything else in
//! the workspace depends on it, and it depends on nothing of theirs.
#![warn(missing_docs)]

mod article;
mod entity;
mod language;
mod span;
mod stage;
mod statement;

pub use article::{Article, ArticleId, Dateline, Format, Paragraph, RawArticle};
pub use entity::{EntityId, EntityKind, Mention};
pub use language::{Language, Script, UnknownCode};
pub use span::{OffsetMap, Span};
pub use stage::{Identification, LanguageIdentifier, Stemmer};
pub use statement::{DateMention, DateSource, Event, EventKind, Quote};
