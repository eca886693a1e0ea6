//! Relations between articles: near-duplicates and reprints, the same text in another script,
//! translations, article similarity, and stories that gather one event's coverage across
//! languages.
//!
//! The flow, per article:
//! 1. [`ArticleView`]: what is read of an analyzed article (text, language, script, date, and
//!    mentions, quotes and dates when the entity stage ran);
//! 2. [`Profile::new`]: the evidence, extracted once (pure, parallel): a MinHash signature of
//!    word-key shingles ([`fingerprint`]), a term vector, anchors in text order (names by key
//!    skeleton, numbers, entities, dates), paragraph and quote lengths;
//! 3. [`Relator::add`]: links to earlier articles ([`Link`]: duplicate, reprint, script,
//!    translation, each with a score and [`link::Evidence`]) and the article's [`Story`].
//!
//! [`similarity`] is the article similarity that story clustering uses. Nothing here reads
//! HTML or touches the store: the caller persists [`Added`], [`Story`] and, to resume, the
//! serialized [`Relator`].
//!
//! Not here: language identification, entity linking, quotation finding (their results come
//! in through the view).
#![warn(missing_docs)]

pub mod fingerprint;
mod hash;
pub mod link;
pub mod profile;
pub mod relator;
pub mod similarity;
pub mod story;
pub mod view;

pub use link::{Evidence, Link, LinkKind, LinkThresholds};
pub use profile::{Anchor, AnchorKind, Profile};
pub use relator::{Added, Config, RelateError, Relator};
pub use similarity::{
    DocFrequencies, SimilarityParts, profile_similarity, similarity, similarity_parts,
};
pub use story::{Story, StoryId, StoryLabel};
pub use view::ArticleView;
