//! What this crate reads of an article: [`ArticleView`], a borrowed window onto an analyzed
//! article and whatever annotations exist for it.
//!
//! Every method of the crate works on the text alone; mentions linked to entities, quotes and
//! normalized dates sharpen the evidence when a caller has them, and are simply empty on data
//! that has no entity stage (the evaluation sets).

use chrono::NaiveDate;
use xabar_core::{Article, ArticleId, DateMention, Language, Mention, Quote, Script};

/// The parts of an article that relations are computed from.
///
/// `text` is the clean, normalized body with paragraphs separated by `\n` (what
/// [`Article::text`] holds); raw text works too. Build one with [`ArticleView::new`] or
/// [`ArticleView::of`] and add what else is known with the `with_*` methods.
#[derive(Debug, Clone, Copy)]
pub struct ArticleView<'a> {
    /// The article's id.
    pub id: &'a ArticleId,
    /// The published date, when known.
    pub published: Option<NaiveDate>,
    /// The article's language ([`Language::Und`] when unknown).
    pub language: Language,
    /// The article's dominant script.
    pub script: Script,
    /// The title, when known; it counts for similarity and stories, not for text identity.
    pub title: Option<&'a str>,
    /// The clean body: paragraphs separated by `\n`.
    pub text: &'a str,
    /// Mentions found in `text` (byte offsets into it), linked to entities or not.
    pub mentions: &'a [Mention],
    /// Quotations found in `text`; when empty, quote marks in the text are counted instead.
    pub quotes: &'a [Quote],
    /// Dates written in `text`, normalized.
    pub dates: &'a [DateMention],
}

impl<'a> ArticleView<'a> {
    /// A view of a bare text: no date, title or annotations.
    pub fn new(
        id: &'a ArticleId,
        language: Language,
        script: Script,
        text: &'a str,
    ) -> ArticleView<'a> {
        ArticleView {
            id,
            published: None,
            language,
            script,
            title: None,
            text,
            mentions: &[],
            quotes: &[],
            dates: &[],
        }
    }

    /// A view of an analyzed article, without annotations.
    pub fn of(article: &'a Article) -> ArticleView<'a> {
        ArticleView {
            id: &article.id,
            published: article.published,
            language: article.language,
            script: article.script,
            title: article.title.as_deref(),
            text: &article.text,
            mentions: &[],
            quotes: &[],
            dates: &[],
        }
    }

    /// The same view with a published date.
    pub fn with_published(self, published: Option<NaiveDate>) -> ArticleView<'a> {
        ArticleView { published, ..self }
    }

    /// The same view with a title.
    pub fn with_title(self, title: Option<&'a str>) -> ArticleView<'a> {
        ArticleView { title, ..self }
    }

    /// The same view with the entity stage's mentions.
    pub fn with_mentions(self, mentions: &'a [Mention]) -> ArticleView<'a> {
        ArticleView { mentions, ..self }
    }

    /// The same view with the quotations found in the text.
    pub fn with_quotes(self, quotes: &'a [Quote]) -> ArticleView<'a> {
        ArticleView { quotes, ..self }
    }

    /// The same view with the dates found in the text.
    pub fn with_dates(self, dates: &'a [DateMention]) -> ArticleView<'a> {
        ArticleView { dates, ..self }
    }
}
