//! From a [`RawArticle`] to an [`Article`]: normalization, cleaning, metadata, and language
//! and script per article and per paragraph.
//!
//! This is a pure function of the raw article and the static language data, so articles can
//! be prepared in parallel, and the same input always gives the same article.

use xabar_core::{
    Article, ArticleId, Format, LanguageIdentifier, OffsetMap, Paragraph, RawArticle, Span,
};
use xabar_text::normalize::normalize;

use crate::clean::clean;
use crate::html;

/// Why an article could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// Nothing but page furniture was left after cleaning.
    #[error("{article}: no article text left after removing page clutter")]
    NoText {
        /// Where the article came from.
        article: String,
    },
}

/// The steps of [`prepare`], in the order they run, as [`prepare_observed`] reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrepareStep {
    /// Main text and metadata of an HTML page (nothing for plain text).
    Html,
    /// [`normalize`]: NFC, mixed-script words, apostrophes, quotes, dashes.
    Normalize,
    /// [`clean`]: lines classified, clutter removed, paragraphs found.
    Clean,
    /// The clean text assembled from the paragraphs and its offsets composed.
    Assemble,
    /// Language and script of the article and of each paragraph.
    Identify,
    /// Metadata merged, the title normalized, the id derived.
    Finish,
}

impl PrepareStep {
    /// Every step, in order.
    pub const ALL: [PrepareStep; 6] = [
        PrepareStep::Html,
        PrepareStep::Normalize,
        PrepareStep::Clean,
        PrepareStep::Assemble,
        PrepareStep::Identify,
        PrepareStep::Finish,
    ];

    /// A short lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            PrepareStep::Html => "html",
            PrepareStep::Normalize => "normalize",
            PrepareStep::Clean => "clean",
            PrepareStep::Assemble => "assemble",
            PrepareStep::Identify => "identify",
            PrepareStep::Finish => "finish",
        }
    }
}

/// Prepares one article.
pub fn prepare(
    raw: RawArticle,
    identifier: &dyn LanguageIdentifier,
) -> Result<Article, PrepareError> {
    prepare_observed(raw, identifier, &mut |_| {})
}

/// Prepares one article like [`prepare`], calling `done` as each step ends (a step that does
/// not run for this article is reported all the same), so that a benchmark can time the steps
/// without a clock in the library.
pub fn prepare_observed(
    raw: RawArticle,
    identifier: &dyn LanguageIdentifier,
    done: &mut dyn FnMut(PrepareStep),
) -> Result<Article, PrepareError> {
    // An HTML page gives its main text, which then takes the plain-text path, and metadata
    // that fills what the source did not say. The offsets of such an article point into the
    // extracted text, which is what `original` then holds: the markup has no offsets a reader
    // could use.
    let (raw, page) = if raw.format == Format::Html {
        let mut page = html::extract(&raw.body, raw.url.as_deref());
        let raw = RawArticle {
            body: std::mem::take(&mut page.text),
            ..raw
        };
        (raw, Some(page))
    } else {
        (raw, None)
    };
    done(PrepareStep::Html);
    let normalized = normalize(&raw.body);
    done(PrepareStep::Normalize);
    let cleaned = clean(&normalized.text);
    done(PrepareStep::Clean);

    // The clean text: paragraphs on lines of their own, wrapped lines joined by a space.
    let mut text = String::with_capacity(normalized.text.len());
    let mut clean_map = OffsetMap::new();
    let mut spans = Vec::with_capacity(cleaned.paragraphs.len());
    let mut previous_end: Option<usize> = None;
    for pieces in &cleaned.paragraphs {
        if let (Some(end), Some(first)) = (previous_end, pieces.first()) {
            clean_map.replace(end, first.start.saturating_sub(end), 1);
            text.push('\n');
        }
        let start = text.len();
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                let gap_start = pieces[i - 1].end;
                clean_map.replace(gap_start, piece.start.saturating_sub(gap_start), 1);
                text.push(' ');
            }
            text.push_str(&normalized.text[piece.start..piece.end]);
            clean_map.copy(piece.start, piece.len());
        }
        spans.push(Span::new(start, text.len()));
        previous_end = pieces.last().map(|p| p.end);
    }
    if text.trim().is_empty() {
        return Err(PrepareError::NoText {
            article: raw.source,
        });
    }
    let offsets = normalized.map.then(&clean_map);
    done(PrepareStep::Assemble);

    let identified = identifier.identify(&text);
    let paragraphs = spans
        .iter()
        .map(|span| {
            let found = identifier.identify_within(&text[span.start..span.end], &identified);
            Paragraph {
                start: span.start,
                end: span.end,
                language: found.language,
                script: found.script,
            }
        })
        .collect();
    done(PrepareStep::Identify);
    let page = page.unwrap_or_default();
    let hint = raw
        .language
        .or_else(|| page.lang.as_deref().and_then(|l| l.parse().ok()));
    let language = match (identified.language, hint) {
        (xabar_core::Language::Und, Some(hint)) => hint,
        (found, _) => found,
    };

    let outlet = raw
        .outlet
        .or(page.outlet)
        .or_else(|| cleaned.dateline.as_ref().and_then(|d| d.outlet.clone()))
        .or(cleaned.masthead);
    let canonical_url = raw
        .canonical_url
        .or(page.canonical_url)
        .filter(|canonical| raw.url.as_deref() != Some(canonical.as_str()));
    let article = Article {
        id: ArticleId::derive(raw.url.as_deref(), &text),
        source: raw.source,
        url: raw.url,
        outlet,
        title: raw
            .title
            .or(page.title)
            .map(|title| normalize(title.trim()).text)
            .or(cleaned.title),
        published: raw.published.or(page.published).or(cleaned.published),
        dateline: cleaned.dateline,
        language,
        script: identified.script,
        original: raw.body,
        text,
        offsets,
        paragraphs,
        authors: if raw.authors.is_empty() {
            page.authors
        } else {
            raw.authors
        },
        modified: raw.modified.or(page.modified),
        canonical_url,
    };
    done(PrepareStep::Finish);
    Ok(article)
}
