//! Annotation of prepared articles: mentions of people, organisations and places (a trained
//! tagger plus per-language rules and gazetteers), the knowledge base of entities they link to,
//! and (later) quotations, dates and events.
//!
//! Per-article annotation is a pure function of the article and the static data in `data/`;
//! linking mentions across articles is stateful and comes with the linking stage.
#![warn(missing_docs)]

pub mod dates;
pub mod events;
pub mod kb;
pub mod link;
pub mod ner;
pub mod pipeline;
pub mod quotes;

pub use pipeline::{Annotations, Annotator};
