//! What an article is before analysis ([`RawArticle`]) and after it ([`Article`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Language, OffsetMap, Script, Span};

/// How a raw article's body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, as a scraper saved it.
    Text,
    /// An HTML page.
    Html,
}

/// An article as a reader found it: the body and whatever metadata came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawArticle {
    /// Where it was read from: a path, `path:line` for JSONL, `-` for standard input.
    pub source: String,
    /// The body, already decoded to UTF-8.
    pub body: String,
    /// Whether the body is text or HTML.
    pub format: Format,
    /// The article's URL, when known.
    pub url: Option<String>,
    /// The title, when the source gave one.
    pub title: Option<String>,
    /// The published date, when the source gave one.
    pub published: Option<NaiveDate>,
    /// The outlet (site or agency name), when the source gave one.
    pub outlet: Option<String>,
    /// A language the source claims; a hint, checked by identification.
    pub language: Option<Language>,
    /// Authors the source names (people, not organisations).
    pub authors: Vec<String>,
    /// The date the source says the article was last modified, kept apart from `published`.
    pub modified: Option<NaiveDate>,
    /// The canonical URL the page declares, when it differs from where it was fetched.
    pub canonical_url: Option<String>,
}

impl RawArticle {
    /// A plain-text article with no metadata.
    pub fn text(source: impl Into<String>, body: impl Into<String>) -> RawArticle {
        RawArticle {
            source: source.into(),
            body: body.into(),
            format: Format::Text,
            url: None,
            title: None,
            published: None,
            outlet: None,
            language: None,
            authors: Vec::new(),
            modified: None,
            canonical_url: None,
        }
    }
}

/// A stable article id: 16 hex digits of a hash of its URL, or of its clean text when it has none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    /// The id for an article with this URL (if any) and this clean text.
    pub fn derive(url: Option<&str>, clean_text: &str) -> ArticleId {
        let hash = match url {
            Some(url) if !url.trim().is_empty() => {
                xxhash_rust::xxh3::xxh3_64_with_seed(url.trim().as_bytes(), 1)
            }
            _ => xxhash_rust::xxh3::xxh3_64_with_seed(clean_text.as_bytes(), 2),
        };
        ArticleId(format!("{hash:016x}"))
    }
}

impl std::fmt::Display for ArticleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A place and outlet named at the head of a news agency story: "АСТАНА. KAZINFORM –".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// The place, as written (normalized).
    pub place: String,
    /// The outlet, when the dateline names one.
    pub outlet: Option<String>,
}

/// One paragraph of an article's clean text, with its own language and script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// First byte in the clean text.
    pub start: usize,
    /// One past the last byte in the clean text.
    pub end: usize,
    /// The paragraph's language.
    pub language: Language,
    /// The paragraph's dominant script.
    pub script: Script,
}

impl Paragraph {
    /// The paragraph's span in the clean text.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// An analyzed article: clean normalized text, metadata, and per-paragraph language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Stable id, see [`ArticleId::derive`].
    pub id: ArticleId,
    /// Where it was read from.
    pub source: String,
    /// URL, when known.
    pub url: Option<String>,
    /// Outlet: from the source's metadata, else from the dateline.
    pub outlet: Option<String>,
    /// Title, when known.
    pub title: Option<String>,
    /// Published date, when known.
    pub published: Option<NaiveDate>,
    /// The dateline, when the body opened with one.
    pub dateline: Option<Dateline>,
    /// The article's language (`Und` when unsure).
    pub language: Language,
    /// The article's dominant script.
    pub script: Script,
    /// The body as it was read (after decoding), untouched.
    pub original: String,
    /// The clean, normalized body: paragraphs separated by `\n`.
    pub text: String,
    /// Maps byte offsets in `text` to byte offsets in `original`.
    pub offsets: OffsetMap,
    /// The paragraphs of `text`.
    pub paragraphs: Vec<Paragraph>,
    /// Authors (people), when known.
    pub authors: Vec<String>,
    /// Last-modified date, when known (never a stand-in for `published`).
    pub modified: Option<NaiveDate>,
    /// The canonical URL, when the page declares one.
    pub canonical_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_prefer_urls() {
        let a = ArticleId::derive(None, "text");
        assert_eq!(a, ArticleId::derive(None, "text"));
        assert_eq!(a.0.len(), 16);
        assert_ne!(a, ArticleId::derive(None, "other"));
        assert_eq!(
            ArticleId::derive(Some("https://x/1"), "a"),
            ArticleId::derive(Some("https://x/1"), "b")
        );
    }
}
