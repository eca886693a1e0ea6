//! One article's annotations, and the order the stages run in.
//!
//! Linking is the only stage that needs the articles before it (entity ids are shared across
//! a run), so a run goes in three steps per batch of articles:
//! 1. [`Annotator::recognize`], in parallel: mentions, with knowledge-base ids where the
//!    knowledge base has the entity;
//! 2. [`Linker::link_article`](crate::link::Linker::link_article), in input order: every
//!    mention gets its run-wide entity id;
//! 3. [`Annotator::finish`], in parallel: dates, quotations (speakers resolved onto the linked
//!    mentions) and dated events.
//!
//! The result does not depend on how articles are batched or how many threads run.

use serde::Serialize;
use xabar_core::{Article, DateMention, Event, Mention, Quote};

use crate::link::Recognizer;
use crate::{dates, events, quotes};

/// What annotation found in one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Annotations {
    /// People, organisations and places, linked to entities.
    pub mentions: Vec<Mention>,
    /// Quotations with their speakers.
    pub quotes: Vec<Quote>,
    /// Dates, normalized against the published date.
    pub dates: Vec<DateMention>,
    /// Typed, dated events.
    pub events: Vec<Event>,
}

/// The stateless stages of annotation; one serves any number of threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Annotator {
    recognizer: Recognizer,
}

impl Annotator {
    /// An annotator with the shipped models and data.
    pub fn new() -> Annotator {
        Annotator {
            recognizer: Recognizer::new(),
        }
    }

    /// Step 1: the article's mentions, not yet linked across articles.
    pub fn recognize(&self, article: &Article) -> Vec<Mention> {
        self.recognizer
            .recognize(&article.text, article.language, article.script)
    }

    /// Step 3: dates, quotations and events, given the linked mentions.
    pub fn finish(&self, article: &Article, mentions: Vec<Mention>) -> Annotations {
        let dates = dates::find_dates(&article.text, article.language, article.published);
        let quotes = quotes::find_quotes(&article.text, article.language, &mentions);
        let events = events::find_events(
            &article.text,
            article.language,
            article.published,
            &dates,
            &mentions,
        );
        Annotations {
            mentions,
            quotes,
            dates,
            events,
        }
    }
}
