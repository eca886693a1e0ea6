//! Quotations, dates and dated events found in an article.

use serde::{Deserialize, Serialize};

use crate::{EntityId, Span};

/// A quotation and who said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// First byte of the quoted words in the clean text (inside the quote marks).
    pub start: usize,
    /// One past the last byte of the quoted words.
    pub end: usize,
    /// The quoted words; for a quote interrupted by its attribution, the parts joined by " … ".
    pub text: String,
    /// The speaker, when resolved to an entity.
    pub speaker: Option<EntityId>,
    /// The speaker as the text names them ("Тўқаев", "Қазақстан Президенті", "он", "the Kremlin").
    pub speaker_text: Option<String>,
    /// The speech verb or cue ("деб ёзган", "сказал", "so", "according to").
    pub cue: Option<String>,
    /// Whether the quote is a fragment inside the writer's own sentence.
    pub partial: bool,
}

/// A date or a range of dates written in the text, normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// First byte in the clean text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// The normalized value, ISO 8601 style: `2025-11-11`, `2024-11`, `2022`, a range
    /// `2025-11-11/2025-11-12` (open ends as `../2025-04-21`), `--11-11` when the year cannot
    /// be known; TimeML-style values for the rest: weeks `2025-W12`, seasons `2025-SU`,
    /// quarters `2025-Q1`, durations `P5Y`, sets `R/P1Y`, and `PAST_REF` for a vague past.
    pub value: String,
}

/// What kind of event an article reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A state or official visit.
    Visit,
    /// A summit, meeting or forum.
    Meeting,
    /// Talks or negotiations.
    Talks,
    /// The signing of an agreement, declaration or memorandum.
    Signing,
    /// A congratulation (telegram, message).
    Congratulation,
    /// A statement or declaration made.
    Statement,
    /// An election or vote.
    Election,
    /// An appointment or dismissal.
    Appointment,
}

/// Where an event's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// A date written in the text near the trigger.
    Stated,
    /// The article's published date (nothing nearer was written).
    Published,
}

/// A typed event with its participants, place and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The kind of event.
    pub kind: EventKind,
    /// The normalized date (see [`DateMention::value`]), when known.
    pub date: Option<String>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// The place, when linked to an entity.
    pub place: Option<EntityId>,
    /// Participating entities.
    pub participants: Vec<EntityId>,
    /// The sentence or clause that reports it.
    pub evidence: Span,
    /// Whether it is announced for the future rather than reported as done.
    pub planned: bool,
}
