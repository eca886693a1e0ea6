//! RSS and Atom feeds: parsing feed documents (RSS 2.0 and 0.9x, RSS 1.0/RDF, Atom 1.0) into
//! items, turning items into [`RawArticle`]s, and fetching feeds and the article pages they link
//! to over HTTP(S), politely (see [`FeedClient`]).
//!
//! # From a feed to articles
//!
//! [`parse_feed`] reads a feed's bytes (any charset the XML declaration, a byte-order mark or
//! the HTTP header names) into a [`Feed`]. Each [`FeedItem`] keeps what the feed said: title,
//! link (made absolute against `xml:base`, the feed's URL, or the channel's link), dates
//! (parsed here by [`parse_date`], which accepts the odd `pubDate`s real feeds carry), authors,
//! categories, full content and summary. [`FeedItem::into_raw_article`] makes an article of it:
//! the body is the full content (`content:encoded`, Atom `content`, Yandex `full-text`) or else
//! the summary (`description`, Atom `summary`), turned from HTML into plain paragraphs here,
//! because a feed's HTML is already the article's text with no page clutter around it to
//! extract; the body's [`Format`] is therefore always [`Format::Text`].
//!
//! # Following links
//!
//! With `--follow`, [`FeedClient::fetch_item_page`] fetches the page an item links to and
//! returns it as an HTML article ([`Format::Html`]) for the HTML extractor, carrying the item's
//! title, dates, authors and outlet as hints.
//!
//! Not here: extracting article text from web pages (the `html` module), deciding which inputs
//! are feeds (the reader), and robots.txt (not consulted: xabar fetches only the feeds a user
//! names and the pages those feeds link to).

mod client;
mod date;
mod parse;
mod text;

use std::path::Path;

use chrono::NaiveDate;
use xabar_core::{Format, Language, RawArticle};

pub use client::{FeedClient, FeedFetch, FetchOptions, USER_AGENT};
pub use date::parse_date;
pub use parse::parse_feed;

/// Which feed format a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// RSS 2.0 (and the 0.9x versions it grew from): `<rss><channel><item>`.
    Rss,
    /// RSS 1.0, an RDF document: `<rdf:RDF><channel/><item>`.
    Rdf,
    /// Atom 1.0 (and the older 0.3): `<feed><entry>`.
    Atom,
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// The format.
    pub kind: FeedKind,
    /// The channel's (feed's) title, usually the outlet's name.
    pub title: Option<String>,
    /// The site the feed belongs to (RSS channel `link`, Atom `link rel="alternate"`).
    pub link: Option<String>,
    /// The language the feed declares (RSS `language`, `dc:language`, Atom `xml:lang`): a hint.
    pub language: Option<Language>,
    /// The items (entries), in document order.
    pub items: Vec<FeedItem>,
    /// Things wrong with the document that did not stop the reading, e.g. "the XML breaks off
    /// at byte 5120; items after it are lost". For the caller to show as warnings.
    pub problems: Vec<String>,
}

/// One item (RSS) or entry (Atom) of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// Where it came from: `<feed URL or path>#<item number from 1>`.
    pub source: String,
    /// The headline, as plain text.
    pub title: Option<String>,
    /// The article's URL: absolute whenever the feed gave a way to resolve it.
    pub link: Option<String>,
    /// The item's identifier (RSS `guid`, Atom `id`), as written.
    pub id: Option<String>,
    /// The published date (`pubDate`, `dc:date`, Atom `published`), as the feed wrote it.
    pub published: Option<NaiveDate>,
    /// The last-modified date (Atom `updated`, `dcterms:modified`).
    pub updated: Option<NaiveDate>,
    /// Authors named by the item (`author`, `dc:creator`, Atom `author/name`), or by the feed
    /// when the item names none (Atom).
    pub authors: Vec<String>,
    /// Categories and tags (`category`, `dc:subject`, Atom `category`).
    pub categories: Vec<String>,
    /// The full text as the feed gave it (HTML or plain text): `content:encoded`, Atom
    /// `content`, Yandex `full-text`, Turbo `content`.
    pub content: Option<String>,
    /// The summary as the feed gave it (HTML or plain text): `description`, Atom `summary`.
    pub summary: Option<String>,
    /// The feed's title, as the outlet.
    pub outlet: Option<String>,
    /// The feed's declared language, as a hint.
    pub language: Option<Language>,
}

impl FeedItem {
    /// The item's text as plain paragraphs: the full content, or else the summary, HTML turned
    /// into text. `None` when the item has neither (or only markup with no text).
    pub fn text(&self) -> Option<String> {
        [&self.content, &self.summary]
            .into_iter()
            .flatten()
            .map(|value| {
                if text::looks_like_html(value) {
                    text::html_to_text(value)
                } else {
                    text::tidy_paragraphs(value)
                }
            })
            .find(|text| !text.is_empty())
    }

    /// The item as an article: its text (see [`FeedItem::text`]) as the body, in
    /// [`Format::Text`], with its link, title, dates, authors, outlet and language.
    ///
    /// For `published`, an Atom entry with no `published` date gives its `updated` date (the
    /// only date such feeds carry); `modified` is the `updated` date when it differs.
    ///
    /// Fails with [`FeedError::EmptyItem`] when the item has no text: its page must be
    /// fetched instead ([`FeedClient::fetch_item_page`]).
    pub fn into_raw_article(self) -> Result<RawArticle, FeedError> {
        let Some(body) = self.text() else {
            return Err(FeedError::EmptyItem { item: self.source });
        };
        Ok(RawArticle {
            body,
            format: Format::Text,
            ..self.hints(self.source.clone())
        })
    }

    /// An HTML article for the page this item links to, `html` being the page and `url` where it
    /// was fetched from (after redirects); the item's metadata rides along as hints for the
    /// extractor, which may find better on the page.
    pub fn page_article(&self, html: String, url: String) -> RawArticle {
        RawArticle {
            body: html,
            format: Format::Html,
            url: Some(url),
            ..self.hints(self.source.clone())
        }
    }

    /// The item's metadata on an empty article.
    fn hints(&self, source: String) -> RawArticle {
        RawArticle {
            source,
            body: String::new(),
            format: Format::Text,
            url: self.link.clone(),
            title: self.title.clone(),
            published: self.published.or(self.updated),
            outlet: self.outlet.clone(),
            language: self.language,
            authors: self.authors.clone(),
            modified: self
                .updated
                .filter(|u| self.published.is_some_and(|p| p != *u)),
            canonical_url: None,
        }
    }
}

/// Reads a feed file (`.rss`, `.atom`, `.xml`) and parses it; items are named `<path>#<n>`.
pub fn read_feed_file(path: &Path) -> Result<Feed, FeedError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| FeedError::Io {
        path: shown.clone(),
        source,
    })?;
    parse_feed(&bytes, None, &shown)
}

/// Why a feed, an item or a page gave no articles. Each message names the URL or path and says
/// what happened in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The URL cannot be fetched as given.
    #[error("{url}: not a usable URL: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The server answered with an error status (404, 500, …).
    #[error("{url}: the server answered HTTP {status}{}", client::reason_phrase(*status))]
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// No complete answer within the time limit.
    #[error(
        "{url}: no answer within {} s (timed out); the server is slow or down: try again \
         later, or allow more time",
        after.as_secs_f32()
    )]
    Timeout {
        /// The URL requested.
        url: String,
        /// The time limit that was hit.
        after: std::time::Duration,
    },
    /// The server could not be reached: unknown host (DNS), connection refused or reset, TLS
    /// failure.
    #[error("{url}: cannot connect: {reason}")]
    Connect {
        /// The URL requested.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The answer is larger than the size limit.
    #[error("{url}: the answer is larger than the limit of {limit} bytes; skipped")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The limit, in bytes (after decompression).
        limit: u64,
    },
    /// Redirects went on for too long (or in a loop).
    #[error("{url}: more than {limit} redirects; skipped")]
    TooManyRedirects {
        /// The URL requested.
        url: String,
        /// The limit.
        limit: u32,
    },
    /// Any other failure of the HTTP exchange (a malformed answer, a broken gzip stream).
    #[error("{url}: the HTTP exchange failed: {reason}")]
    Transport {
        /// The URL requested.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The document is not an RSS or Atom feed (e.g. an HTML page given as a feed URL).
    #[error(
        "{feed}: not an RSS or Atom feed: it is {what}{}",
        feed_link.as_ref().map(|l| format!("; the page names a feed at {l}")).unwrap_or_default()
    )]
    NotAFeed {
        /// The feed URL or path.
        feed: String,
        /// What it is instead ("an HTML page", "an XML document whose root element is `<svg>`").
        what: String,
        /// The feed an HTML page advertises (`<link rel="alternate" type="application/rss+xml">`),
        /// for the user to use instead.
        feed_link: Option<String>,
    },
    /// The XML is broken before any item could be read.
    #[error("{feed}: broken XML, no item could be read: {reason}")]
    Malformed {
        /// The feed URL or path.
        feed: String,
        /// What the XML parser said, and where.
        reason: String,
    },
    /// A page to follow is not an HTML page (a PDF, an image, binary data).
    #[error("{url}: not an HTML page ({what}); no article can be extracted from it")]
    NotHtml {
        /// The page URL.
        url: String,
        /// What it is: its content type, or "binary data".
        what: String,
    },
    /// A feed item with no text of its own.
    #[error("{item}: the feed item has no text (no content or summary); fetch its page (--follow)")]
    EmptyItem {
        /// The item (`<feed>#<n>`).
        item: String,
    },
    /// A feed item with no link, so no page to follow.
    #[error("{item}: the feed item has no link, so there is no page to fetch")]
    NoLink {
        /// The item (`<feed>#<n>`).
        item: String,
    },
    /// A feed file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

impl FeedError {
    /// Whether trying again later may succeed (a timeout, a connection failure, a server error
    /// 5xx or 429), as opposed to an answer that will stay the same (404, not a feed).
    pub fn is_transient(&self) -> bool {
        match self {
            FeedError::Timeout { .. } | FeedError::Connect { .. } => true,
            FeedError::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}
