//! Fetching feeds and article pages over HTTP(S), politely: a user agent that names xabar, time
//! limits, conditional requests (ETag / Last-Modified remembered in a small JSON file between
//! runs), a pause between two requests to the same host, bounded redirects, a size limit, gzip.
//!
//! Blocking on purpose: feeds are fetched one after another with pauses anyway, and the
//! analysis that follows is where the cores go.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ureq::ResponseExt;
use url::Url;
use xabar_core::{Format, RawArticle};

use super::parse::parse_feed_declared;
use super::{Feed, FeedError, FeedItem};
use crate::charset::{self, Hints};

/// The User-Agent header sent with every request: xabar, its version, and where to read about
/// it (a placeholder until the project has a public home).
pub const USER_AGENT: &str = concat!(
    "xabar/",
    env!("CARGO_PKG_VERSION"),
    " (news analysis; +https://example.invalid/xabar)"
);

const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, \
                           application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5";
const ACCEPT_PAGE: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

/// How a [`FeedClient`] fetches.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The most one request may take, from connecting to the last byte (default 20 s).
    pub timeout: Duration,
    /// The most connecting (DNS included) may take (default 10 s).
    pub connect_timeout: Duration,
    /// The least time between the end of one request to a host and the start of the next to
    /// the same host (default 1 s).
    pub host_delay: Duration,
    /// How many redirects are followed (default 5).
    pub max_redirects: u32,
    /// The largest answer accepted, in bytes after decompression (default 16 MiB).
    pub max_bytes: u64,
    /// The User-Agent header (default [`USER_AGENT`]).
    pub user_agent: String,
    /// Where ETag / Last-Modified validators of fetched feeds are kept between runs (e.g.
    /// `.xabar/feeds.json`), so that an unchanged feed is answered "304 Not Modified" and read
    /// as no items. `None`: no conditional requests, every feed is read in full.
    pub cache_path: Option<PathBuf>,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            host_delay: Duration::from_secs(1),
            max_redirects: 5,
            max_bytes: 16 * 1024 * 1024,
            user_agent: USER_AGENT.to_string(),
            cache_path: None,
        }
    }
}

/// What fetching a feed gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedFetch {
    /// The feed, read in full.
    Fetched {
        /// Where it was read from, after redirects (the base of its relative links).
        url: String,
        /// The feed.
        feed: Feed,
    },
    /// The server says the feed has not changed since the last fetch (HTTP 304): no items.
    NotModified {
        /// The feed URL.
        url: String,
    },
}

/// The validators the cache file keeps for one feed URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
}

/// The cache file: `{"feeds": {"<url>": {"etag": "…", "last_modified": "…"}}}`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    #[serde(default)]
    feeds: BTreeMap<String, Validators>,
}

/// An HTTP answer worth reading.
struct Answer {
    /// Where it came from, after redirects.
    url: String,
    not_modified: bool,
    validators: Validators,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Fetches feeds and pages. One client per run: it remembers when it last asked each host, and
/// holds the validator cache.
pub struct FeedClient {
    agent: ureq::Agent,
    options: FetchOptions,
    /// When the last request to each host (`host:port`) ended.
    last_request: HashMap<String, Instant>,
    cache: CacheFile,
    warnings: Vec<String>,
}

impl FeedClient {
    /// A client with these options. A cache file that cannot be read starts an empty cache,
    /// with a warning (see [`FeedClient::take_warnings`]).
    pub fn new(options: FetchOptions) -> FeedClient {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout))
            .max_redirects(options.max_redirects)
            .http_status_as_error(false)
            .user_agent(options.user_agent.as_str())
            .build();
        let mut warnings = Vec::new();
        let cache = match &options.cache_path {
            Some(path) => load_cache(path, &mut warnings),
            None => CacheFile::default(),
        };
        FeedClient {
            agent: config.into(),
            options,
            last_request: HashMap::new(),
            cache,
            warnings,
        }
    }

    /// Warnings gathered since the last call: a cache file that could not be read or written.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Fetches and parses the feed at `url`, conditionally when the cache knows it. Items are
    /// named `<url>#<n>`; relative links resolve against the URL after redirects. The
    /// validators are remembered only once the answer has parsed as a feed, so a broken answer
    /// is fetched in full again next time.
    pub fn fetch_feed(&mut self, url: &str) -> Result<FeedFetch, FeedError> {
        let known = self
            .options
            .cache_path
            .as_ref()
            .and_then(|_| self.cache.feeds.get(url).cloned());
        let answer = self.get(url, ACCEPT_FEED, known.as_ref())?;
        if answer.not_modified {
            return Ok(FeedFetch::NotModified {
                url: url.to_string(),
            });
        }
        let charset = answer
            .content_type
            .as_deref()
            .and_then(charset::charset_param);
        let feed = parse_feed_declared(&answer.body, Some(&answer.url), url, charset)?;
        if self.options.cache_path.is_some() {
            let has_validators =
                answer.validators.etag.is_some() || answer.validators.last_modified.is_some();
            let changed = if has_validators {
                let fresh = answer.validators;
                self.cache.feeds.insert(url.to_string(), fresh.clone()) != Some(fresh)
            } else {
                self.cache.feeds.remove(url).is_some()
            };
            if changed {
                self.save_cache();
            }
        }
        Ok(FeedFetch::Fetched {
            url: answer.url,
            feed,
        })
    }

    /// Fetches the web page at `url` as an HTML article (`source` and `url` the page's URL,
    /// after redirects; no other metadata). The charset comes from the HTTP header, the page's
    /// `<meta>`, or detection (see [`crate::charset`]).
    pub fn fetch_page(&mut self, url: &str) -> Result<RawArticle, FeedError> {
        let answer = self.get(url, ACCEPT_PAGE, None)?;
        let content_type = answer.content_type.as_deref();
        if let Some(ct) = content_type {
            let mime = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if !(mime.is_empty() || mime.contains("html") || mime.contains("xml")) {
                return Err(FeedError::NotHtml {
                    url: url.to_string(),
                    what: format!("Content-Type {mime}"),
                });
            }
        }
        let hints = Hints {
            declared: content_type.and_then(charset::charset_param),
            markup: true,
            url: Some(&answer.url),
        };
        let decoded =
            charset::decode_owned(answer.body, &hints).map_err(|binary| FeedError::NotHtml {
                url: url.to_string(),
                what: format!("binary data, a NUL byte at byte {}", binary.offset),
            })?;
        Ok(RawArticle {
            format: Format::Html,
            url: Some(answer.url.clone()),
            ..RawArticle::text(answer.url, decoded.text)
        })
    }

    /// Fetches the page a feed item links to (`--follow`): an HTML article with the item's
    /// metadata as hints (see [`FeedItem::page_article`]), named like the item (`<feed>#<n>`).
    pub fn fetch_item_page(&mut self, item: &FeedItem) -> Result<RawArticle, FeedError> {
        let Some(link) = item.link.as_deref() else {
            return Err(FeedError::NoLink {
                item: item.source.clone(),
            });
        };
        let page = self.fetch_page(link)?;
        let url = page.url.unwrap_or_else(|| link.to_string());
        Ok(item.page_article(page.body, url))
    }

    /// One GET request, after the pause the host is owed.
    fn get(
        &mut self,
        url: &str,
        accept: &str,
        known: Option<&Validators>,
    ) -> Result<Answer, FeedError> {
        let parsed = Url::parse(url).map_err(|e| FeedError::InvalidUrl {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FeedError::InvalidUrl {
                url: url.to_string(),
                reason: format!(
                    "the {} scheme cannot be fetched; give an http:// or https:// URL",
                    parsed.scheme()
                ),
            });
        }
        let host = format!(
            "{}:{}",
            parsed.host_str().unwrap_or(""),
            parsed.port_or_known_default().unwrap_or(0)
        );
        self.wait_for(&host);
        let result = self.exchange(url, accept, known);
        self.last_request.insert(host, Instant::now());
        result
    }

    fn exchange(
        &self,
        url: &str,
        accept: &str,
        known: Option<&Validators>,
    ) -> Result<Answer, FeedError> {
        let mut request = self.agent.get(url).header("Accept", accept);
        if let Some(known) = known {
            if let Some(etag) = &known.etag {
                request = request.header("If-None-Match", etag.as_str());
            }
            if let Some(date) = &known.last_modified {
                request = request.header("If-Modified-Since", date.as_str());
            }
        }
        let mut response = request.call().map_err(|e| self.error(url, e))?;
        let status = response.status().as_u16();
        let final_url = response.get_uri().to_string();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type");
        if status == 304 {
            return Ok(Answer {
                url: final_url,
                not_modified: true,
                validators,
                content_type,
                body: Vec::new(),
            });
        }
        if !(200..300).contains(&status) {
            return Err(FeedError::Status {
                url: url.to_string(),
                status,
            });
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(self.options.max_bytes)
            .read_to_vec()
            .map_err(|e| self.error(url, e))?;
        Ok(Answer {
            url: final_url,
            not_modified: false,
            validators,
            content_type,
            body,
        })
    }

    /// Sleeps until `host` may be asked again.
    fn wait_for(&self, host: &str) {
        if let Some(last) = self.last_request.get(host) {
            let since = last.elapsed();
            if since < self.options.host_delay {
                std::thread::sleep(self.options.host_delay - since);
            }
        }
    }

    /// The user-facing error for what ureq reported.
    fn error(&self, url: &str, error: ureq::Error) -> FeedError {
        let url = url.to_string();
        match error {
            ureq::Error::Timeout(_) => FeedError::Timeout {
                url,
                after: self.options.timeout,
            },
            ureq::Error::Io(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                ) =>
            {
                FeedError::Timeout {
                    url,
                    after: self.options.timeout,
                }
            }
            ureq::Error::Io(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionRefused
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::NotConnected
                        | std::io::ErrorKind::AddrNotAvailable
                        | std::io::ErrorKind::HostUnreachable
                        | std::io::ErrorKind::NetworkUnreachable
                ) =>
            {
                FeedError::Connect {
                    url,
                    reason: e.to_string(),
                }
            }
            ureq::Error::HostNotFound => FeedError::Connect {
                url,
                reason: "host not found (DNS lookup failed)".to_string(),
            },
            ureq::Error::ConnectionFailed => FeedError::Connect {
                url,
                reason: "connection failed".to_string(),
            },
            e @ (ureq::Error::Tls(_) | ureq::Error::Rustls(_)) => FeedError::Connect {
                url,
                reason: format!("TLS: {e}"),
            },
            ureq::Error::TooManyRedirects => FeedError::TooManyRedirects {
                url,
                limit: self.options.max_redirects,
            },
            ureq::Error::BodyExceedsLimit(_) => FeedError::TooLarge {
                url,
                limit: self.options.max_bytes,
            },
            ureq::Error::BadUri(reason) => FeedError::InvalidUrl { url, reason },
            e => FeedError::Transport {
                url,
                reason: e.to_string(),
            },
        }
    }

    /// Writes the cache file whole, through a temporary file and a rename, so that a crash or
    /// a second xabar never leaves it half-written.
    fn save_cache(&mut self) {
        let Some(path) = self.options.cache_path.clone() else {
            return;
        };
        if let Err(e) = write_atomically(&path, &self.cache) {
            self.warnings.push(format!(
                "{}: cannot save the feed cache: {e}; unchanged feeds will be fetched in full \
                 next time",
                path.display()
            ));
        }
    }
}

fn load_cache(path: &Path, warnings: &mut Vec<String>) -> CacheFile {
    match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(cache) => cache,
            Err(e) => {
                warnings.push(format!(
                    "{}: not a feed cache ({e}); starting with an empty one",
                    path.display()
                ));
                CacheFile::default()
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => CacheFile::default(),
        Err(e) => {
            warnings.push(format!(
                "{}: cannot read the feed cache ({e}); starting with an empty one",
                path.display()
            ));
            CacheFile::default()
        }
    }
}

fn write_atomically(path: &Path, cache: &CacheFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(cache).map_err(std::io::Error::other)?;
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".{}.tmp", std::process::id()));
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, json)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// " Not Found" for 404: the reason phrase of a status, with a leading space, or nothing.
pub(crate) fn reason_phrase(status: u16) -> String {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}
