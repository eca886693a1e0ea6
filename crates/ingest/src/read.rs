//! Readers: plain-text, HTML, JSONL and WARC files, folders of them (recursively), and
//! standard input.
//!
//! A [`Reader`] walks its inputs lazily and yields one `Result` per article or per thing that
//! could not be read, so one bad file, line or record never stops a run: the caller prints the
//! error, counts it, and goes on. Files are decoded to UTF-8 by [`crate::charset`]; a file
//! whose encoding had to be guessed is read, with a warning (see [`Reader::take_warnings`]).
//!
//! # JSONL
//!
//! One JSON object a line. Fields (all optional but the body):
//!
//! | field | meaning |
//! |---|---|
//! | `text` | the body as plain text (or `html`) |
//! | `html` | the body as an HTML page |
//! | `url` | the article's URL |
//! | `title` | the headline |
//! | `published` | `YYYY-MM-DD`, or an RFC 3339 / RFC 2822 timestamp (the date part is kept) |
//! | `outlet` | the site or agency |
//! | `language` | an ISO 639-1 or 639-3 code; a hint, checked by identification |
//!
//! Unknown fields are ignored. Blank lines are skipped. JSONL is UTF-8 by definition; a file
//! that is not is decoded with charset detection, with a warning.
//!
//! # Plain text and HTML
//!
//! A `.txt` file (or one without an extension) is one plain-text article; a `.html` / `.htm`
//! file one HTML page. A byte-order mark, then (for HTML) a `<meta charset>`, then UTF-8, then
//! charset detection decide the encoding. A first line `date YYYY-MM-DD` of a text file is the
//! published date; the cleaner (see [`crate::clean`]) reads it.
//!
//! # WARC
//!
//! A `.warc` or `.warc.gz` file is read as a stream of records by [`crate::warc`]: each HTML
//! page becomes an article (`source` is `path:record`), other records are counted, and one
//! warning line per file sums them up. Standard input and in-memory input that start like a
//! WARC file (gzip magic bytes or `WARC/`) are read the same way.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use xabar_core::{Format, Language, RawArticle};

use crate::charset::{self, Decoded, Evidence, Hints};
use crate::feed::{Feed, FeedClient, FeedError, FeedFetch, FeedItem, FetchOptions};
use crate::warc::{WarcError, WarcReader, WarcStats};

/// The buffer WARC files are read through.
const WARC_BUFFER: usize = 256 * 1024;

/// Why an input (a file, a JSONL line) gave no article.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file or folder could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path.
        path: String,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The file holds binary data, not text.
    #[error("{path}: binary data, not text (NUL byte at byte {offset}); skipped")]
    Binary {
        /// The path.
        path: String,
        /// Where the evidence is.
        offset: usize,
    },
    /// The file or body holds no text.
    #[error("{path}: empty, no text to read")]
    Empty {
        /// The path (with `:line` for JSONL).
        path: String,
    },
    /// A JSONL line is not a JSON object of the expected shape.
    #[error("{path}:{line}: malformed JSON: {message}")]
    Json {
        /// The path.
        path: String,
        /// The line number, from 1.
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// A JSONL object has neither `text` nor `html`.
    #[error(
        "{path}:{line}: no `text` or `html` field; each line needs the article body in one of them"
    )]
    NoBody {
        /// The path.
        path: String,
        /// The line number, from 1.
        line: usize,
    },
    /// A file in a folder whose type xabar does not read.
    #[error(
        "{path}: not an article file (xabar reads .txt, .html, .jsonl, .warc, .warc.gz, .rss, .atom and .xml files in folders); skipped"
    )]
    Unsupported {
        /// The path.
        path: String,
    },
    /// A feed, a feed item or a fetched page could not be read.
    #[error("{0}")]
    Feed(#[from] FeedError),
    /// A WARC record is broken; the records after it are still read.
    #[error("{path}: broken WARC record ({error}); skipped")]
    Warc {
        /// The WARC file.
        path: String,
        /// Which record, and what is wrong with it.
        #[source]
        error: WarcError,
    },
}

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or a folder.
    Path(PathBuf),
    /// Standard input: a WARC stream, JSONL (it starts with `{`), an RSS/Atom feed, an HTML
    /// page, or else one plain-text article.
    Stdin,
    /// Bytes already in memory (an upload, a test), read like standard input.
    Memory {
        /// The name errors and `source` use.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
    /// An `http://` or `https://` URL: an RSS or Atom feed, or else one article page.
    Url(String),
}

impl Input {
    /// `-` is standard input, an `http(s)://` address a URL, anything else a path.
    pub fn parse(arg: &str) -> Input {
        let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
        if arg == "-" {
            Input::Stdin
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            Input::Url(arg.to_string())
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// How a file is read, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Jsonl,
    Html,
    Warc,
    Feed,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.len() > ".warc.gz".len()
        && name
            .get(name.len() - ".warc.gz".len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(".warc.gz"))
    {
        return Some(Kind::Warc);
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
    {
        None => Some(Kind::Text),
        Some(ext) => match ext.as_str() {
            "txt" | "text" => Some(Kind::Text),
            "jsonl" | "ndjson" => Some(Kind::Jsonl),
            "html" | "htm" => Some(Kind::Html),
            "warc" => Some(Kind::Warc),
            "rss" | "atom" | "xml" => Some(Kind::Feed),
            _ => None,
        },
    }
}

/// Work still to do, in order.
enum Pending {
    Input(Input),
    File(PathBuf, Kind),
    Unsupported(PathBuf),
    Lines {
        path: String,
        lines: std::vec::IntoIter<(usize, String)>,
    },
    Warc {
        path: String,
        records: Box<WarcReader<Box<dyn BufRead + Send>>>,
    },
    FeedItems(std::vec::IntoIter<FeedItem>),
}

/// Reads articles from a list of inputs, lazily, in order (folders in name order).
pub struct Reader {
    pending: Vec<Pending>,
    warnings: Vec<String>,
    warc: WarcStats,
    fetch: FetchOptions,
    follow: bool,
    client: Option<FeedClient>,
}

impl Reader {
    /// A reader over `inputs`, read in the order given.
    pub fn new(inputs: impl IntoIterator<Item = Input>) -> Reader {
        let mut pending: Vec<Pending> = inputs.into_iter().map(Pending::Input).collect();
        pending.reverse();
        Reader {
            pending,
            warnings: Vec::new(),
            warc: WarcStats::default(),
            fetch: FetchOptions::default(),
            follow: false,
            client: None,
        }
    }

    /// How URLs are fetched (timeouts, per-host delay, the conditional-request cache), and
    /// whether each feed item's linked page is fetched and read instead of the item's text.
    pub fn with_fetching(mut self, options: FetchOptions, follow: bool) -> Reader {
        self.fetch = options;
        self.follow = follow;
        self
    }

    fn client(&mut self) -> &mut FeedClient {
        let options = &self.fetch;
        self.client
            .get_or_insert_with(|| FeedClient::new(options.clone()))
    }

    fn drain_client_warnings(&mut self) {
        if let Some(client) = &mut self.client {
            self.warnings.extend(client.take_warnings());
        }
    }

    /// Fetches a URL as a feed; a page that is not a feed is read as one article.
    fn read_url(&mut self, url: &str) -> Option<Result<RawArticle, ReadError>> {
        let fetched = self.client().fetch_feed(url);
        self.drain_client_warnings();
        match fetched {
            Ok(FeedFetch::Fetched { url, feed }) => self.queue_feed(&url, Ok(feed)),
            Ok(FeedFetch::NotModified { url }) => {
                self.warnings.push(format!(
                    "{url}: not modified since the last fetch; no new items"
                ));
                None
            }
            Err(FeedError::NotAFeed { .. }) => {
                let page = self.client().fetch_page(url);
                self.drain_client_warnings();
                Some(page.map_err(ReadError::from))
            }
            Err(error) => Some(Err(error.into())),
        }
    }

    /// Queues a parsed feed's items (its problems become warnings), or reports why it failed.
    fn queue_feed(
        &mut self,
        name: &str,
        feed: Result<Feed, FeedError>,
    ) -> Option<Result<RawArticle, ReadError>> {
        match feed {
            Ok(feed) => {
                for problem in &feed.problems {
                    self.warnings.push(format!("{name}: {problem}"));
                }
                self.pending
                    .push(Pending::FeedItems(feed.items.into_iter()));
                None
            }
            Err(error) => Some(Err(error.into())),
        }
    }

    fn read_feed_item(&mut self, item: FeedItem) -> Result<RawArticle, ReadError> {
        if self.follow && item.link.is_some() {
            let page = self.client().fetch_item_page(&item);
            self.drain_client_warnings();
            page.map_err(ReadError::from)
        } else {
            item.into_raw_article().map_err(ReadError::from)
        }
    }

    /// Warnings about things that were read but not quite as given: a lost field (an
    /// unreadable date, an unknown language code), a file that was not UTF-8 and whose
    /// encoding was guessed, and one line per WARC file counting its records that were not
    /// articles; drained by each call.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Counts over the records of every WARC file finished so far.
    pub fn warc_stats(&self) -> &WarcStats {
        &self.warc
    }

    fn expand_dir(&mut self, dir: &Path) -> Result<(), ReadError> {
        let io_error = |source| ReadError::Io {
            path: dir.display().to_string(),
            source,
        };
        let entries = folder_entries(dir).map_err(io_error)?;
        for path in entries.into_iter().rev() {
            if path.is_dir() {
                self.pending.push(Pending::Input(Input::Path(path)));
            } else {
                match kind_of(&path) {
                    Some(kind) => self.pending.push(Pending::File(path, kind)),
                    None => self.pending.push(Pending::Unsupported(path)),
                }
            }
        }
        Ok(())
    }

    fn read_file(&mut self, path: &Path, kind: Kind) -> Option<Result<RawArticle, ReadError>> {
        let name = path.display().to_string();
        if kind == Kind::Feed {
            return self.queue_feed(&name, crate::feed::read_feed_file(path));
        }
        if kind == Kind::Warc {
            return match File::open(path) {
                Ok(file) => {
                    self.start_warc(name, Box::new(BufReader::with_capacity(WARC_BUFFER, file)));
                    None
                }
                Err(source) => Some(Err(ReadError::Io { path: name, source })),
            };
        }
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(source) => return Some(Err(ReadError::Io { path: name, source })),
        };
        self.read_bytes(name, bytes, kind)
    }

    fn start_warc(&mut self, path: String, input: Box<dyn BufRead + Send>) {
        let records = Box::new(WarcReader::new(path.clone(), input));
        self.pending.push(Pending::Warc { path, records });
    }

    fn read_bytes(
        &mut self,
        name: String,
        bytes: Vec<u8>,
        kind: Kind,
    ) -> Option<Result<RawArticle, ReadError>> {
        if kind == Kind::Warc {
            self.start_warc(name, Box::new(Cursor::new(bytes)));
            return None;
        }
        if kind == Kind::Feed {
            return self.queue_feed(&name, crate::feed::parse_feed(&bytes, None, &name));
        }
        let text = match decode(&name, bytes, kind) {
            Ok(decoded) => {
                if let Some(warning) = decoding_warning(&name, &decoded, kind) {
                    self.warnings.push(warning);
                }
                decoded.text
            }
            Err(error) => return Some(Err(error)),
        };
        match kind {
            Kind::Warc | Kind::Feed => None,
            Kind::Text | Kind::Html => {
                let format = if kind == Kind::Html {
                    Format::Html
                } else {
                    Format::Text
                };
                let mut article = RawArticle::text(name, text);
                article.format = format;
                Some(Ok(article))
            }
            Kind::Jsonl => {
                let lines: Vec<(usize, String)> = text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                    .map(|(i, l)| (i + 1, l.to_string()))
                    .collect();
                self.pending.push(Pending::Lines {
                    path: name,
                    lines: lines.into_iter(),
                });
                None
            }
        }
    }

    fn read_stdin(&mut self) -> Option<Result<RawArticle, ReadError>> {
        let io_error = |source| {
            Some(Err(ReadError::Io {
                path: "-".into(),
                source,
            }))
        };
        let mut stdin = io::stdin();
        // Enough bytes to tell a WARC stream, which is read as it comes, from the rest,
        // which is read whole.
        let mut head = Vec::with_capacity(5);
        if let Err(source) = (&mut stdin).take(5).read_to_end(&mut head) {
            return io_error(source);
        }
        if crate::warc::looks_like_warc(&head) {
            let stream = BufReader::with_capacity(WARC_BUFFER, Cursor::new(head).chain(stdin));
            self.start_warc("-".into(), Box::new(stream));
            return None;
        }
        let mut bytes = head;
        if let Err(source) = stdin.read_to_end(&mut bytes) {
            return io_error(source);
        }
        self.read_stream("-".into(), bytes)
    }

    /// Reads a stream of unknown type: WARC when it starts like one, JSONL when it starts
    /// with `{`, else one text article.
    fn read_stream(
        &mut self,
        name: String,
        bytes: Vec<u8>,
    ) -> Option<Result<RawArticle, ReadError>> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
        let kind = if crate::warc::looks_like_warc(&bytes) {
            Kind::Warc
        } else if first == Some(&b'{') {
            Kind::Jsonl
        } else if first == Some(&b'<')
            && ["<rss", "<feed", "<rdf:rdf"]
                .iter()
                .any(|t| head.contains(t))
        {
            Kind::Feed
        } else if first == Some(&b'<')
            && ["<html", "<!doctype html", "<body"]
                .iter()
                .any(|t| head.contains(t))
        {
            Kind::Html
        } else {
            Kind::Text
        };
        self.read_bytes(name, bytes, kind)
    }

    fn parse_line(&mut self, path: &str, line: usize, text: &str) -> Result<RawArticle, ReadError> {
        let record: JsonArticle = serde_json::from_str(text).map_err(|e| ReadError::Json {
            path: path.to_string(),
            line,
            message: e.to_string(),
        })?;
        let source = format!("{path}:{line}");
        let (body, format) = match (record.text, record.html) {
            (Some(text), _) if !text.trim().is_empty() => (text, Format::Text),
            (_, Some(html)) if !html.trim().is_empty() => (html, Format::Html),
            (Some(_), _) | (_, Some(_)) => return Err(ReadError::Empty { path: source }),
            (None, None) => {
                return Err(ReadError::NoBody {
                    path: path.to_string(),
                    line,
                });
            }
        };
        let published = match record.published.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(date) => {
                let parsed = parse_date(date);
                if parsed.is_none() {
                    self.warnings.push(format!(
                        "{source}: `published` {date:?} is not a date xabar reads (YYYY-MM-DD, RFC 3339, RFC 2822); left empty"
                    ));
                }
                parsed
            }
        };
        let language = match record.language.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => match code.parse::<Language>() {
                Ok(language) => Some(language),
                Err(_) => {
                    self.warnings.push(format!(
                        "{source}: `language` {code:?} is not a language code xabar knows; ignored"
                    ));
                    None
                }
            },
        };
        Ok(RawArticle {
            source,
            body,
            format,
            url: record.url.filter(|u| !u.trim().is_empty()),
            title: record.title.filter(|t| !t.trim().is_empty()),
            published,
            outlet: record.outlet.filter(|o| !o.trim().is_empty()),
            language,
            authors: Vec::new(),
            modified: None,
            canonical_url: None,
        })
    }
}

impl Iterator for Reader {
    type Item = Result<RawArticle, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.pending.pop()? {
                Pending::Input(Input::Stdin) => {
                    if let Some(item) = self.read_stdin() {
                        return Some(item);
                    }
                }
                Pending::Input(Input::Memory { name, bytes }) => {
                    if let Some(item) = self.read_stream(name, bytes) {
                        return Some(item);
                    }
                }
                Pending::Input(Input::Url(url)) => {
                    if let Some(item) = self.read_url(&url) {
                        return Some(item);
                    }
                }
                Pending::FeedItems(mut items) => {
                    if let Some(item) = items.next() {
                        self.pending.push(Pending::FeedItems(items));
                        return Some(self.read_feed_item(item));
                    }
                }
                Pending::Input(Input::Path(path)) => {
                    if path.is_dir() {
                        if let Err(error) = self.expand_dir(&path) {
                            return Some(Err(error));
                        }
                    } else {
                        // A file named on the command line is read whatever its extension.
                        let kind = kind_of(&path).unwrap_or(Kind::Text);
                        if let Some(item) = self.read_file(&path, kind) {
                            return Some(item);
                        }
                    }
                }
                Pending::Unsupported(path) => {
                    return Some(Err(ReadError::Unsupported {
                        path: path.display().to_string(),
                    }));
                }
                Pending::File(path, kind) => {
                    if let Some(item) = self.read_file(&path, kind) {
                        return Some(item);
                    }
                }
                Pending::Lines { path, mut lines } => {
                    if let Some((number, line)) = lines.next() {
                        let item = self.parse_line(&path, number, &line);
                        self.pending.push(Pending::Lines { path, lines });
                        return Some(item);
                    }
                }
                Pending::Warc { path, mut records } => match records.next() {
                    Some(item) => {
                        let item = item.map_err(|error| ReadError::Warc {
                            path: path.clone(),
                            error,
                        });
                        self.pending.push(Pending::Warc { path, records });
                        return Some(item);
                    }
                    None => {
                        let stats = records.stats();
                        if stats.pages < stats.records {
                            self.warnings.push(format!("{path}: {stats}"));
                        }
                        self.warc.add(stats);
                    }
                },
            }
        }
    }
}

#[derive(Deserialize)]
struct JsonArticle {
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    outlet: Option<String>,
    language: Option<String>,
}

/// Decodes a file's bytes to UTF-8 text, rejecting binary data and empty files.
fn decode(name: &str, bytes: Vec<u8>, kind: Kind) -> Result<Decoded, ReadError> {
    let hints = Hints {
        markup: kind == Kind::Html,
        ..Hints::default()
    };
    let decoded = charset::decode_owned(bytes, &hints).map_err(|binary| ReadError::Binary {
        path: name.to_string(),
        offset: binary.offset,
    })?;
    if decoded.text.trim().is_empty() {
        return Err(ReadError::Empty {
            path: name.to_string(),
        });
    }
    Ok(decoded)
}

/// What the user should know about how a file was decoded: a guessed encoding, a JSONL file
/// that is not UTF-8, bytes that had to be replaced.
fn decoding_warning(name: &str, decoded: &Decoded, kind: Kind) -> Option<String> {
    let replaced = if decoded.had_errors {
        format!(
            "; bytes that are not {} were replaced with U+FFFD",
            decoded.encoding
        )
    } else {
        String::new()
    };
    let encoding = decoded.encoding;
    match decoded.evidence {
        Evidence::Detected if kind == Kind::Jsonl => Some(format!(
            "{name}: not UTF-8 (JSONL must be UTF-8); decoded as {encoding}, a guess{replaced}"
        )),
        Evidence::Detected => Some(format!(
            "{name}: not UTF-8; decoded as {encoding}, a guess{replaced}"
        )),
        _ if decoded.had_errors => Some(format!("{name}: decoded as {encoding}{replaced}")),
        _ => None,
    }
}

/// A date from `YYYY-MM-DD…`, RFC 3339 or RFC 2822 text.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some(dt.date_naive());
    }
    let head = text.get(..10)?;
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    let rest = &text[10..];
    (rest.is_empty() || rest.starts_with(['T', ' ', 't'])).then_some(date)
}

/// The entries of a folder in the order a [`Reader`] reads them: sorted by path, hidden ones
/// (names starting with `.`) left out. Callers that keep a journal of the files read (such
/// as an ingest) list folders with this so their order is the reader's.
pub fn folder_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_jsonl() {
        assert_eq!(
            parse_date("2025-03-14"),
            NaiveDate::from_ymd_opt(2025, 3, 14)
        );
        assert_eq!(
            parse_date("2025-03-14T10:00:00Z"),
            NaiveDate::from_ymd_opt(2025, 3, 14)
        );
        assert_eq!(
            parse_date("Fri, 14 Mar 2025 10:00:00 +0000"),
            NaiveDate::from_ymd_opt(2025, 3, 14)
        );
        assert_eq!(parse_date("14 March"), None);
        assert_eq!(parse_date("2025-03-1x"), None);
    }

    #[test]
    fn decode_rejects_binary_and_empty_and_guesses_the_rest() {
        assert!(matches!(
            decode("a", b"ab\0c".to_vec(), Kind::Text),
            Err(ReadError::Binary { offset: 2, .. })
        ));
        assert!(matches!(
            decode("a", b" \n\t".to_vec(), Kind::Text),
            Err(ReadError::Empty { .. })
        ));
        assert_eq!(
            decode("a", b"\xEF\xBB\xBFhi".to_vec(), Kind::Text)
                .unwrap()
                .text,
            "hi"
        );
        let latin1 = decode("a.txt", b"caf\xe9 cr\xe8me".to_vec(), Kind::Text).unwrap();
        assert_eq!(latin1.text, "café crème");
        assert_eq!(
            decoding_warning("a.txt", &latin1, Kind::Text).as_deref(),
            Some("a.txt: not UTF-8; decoded as windows-1252, a guess")
        );
    }

    #[test]
    fn warc_files_by_name() {
        assert_eq!(kind_of(Path::new("a/CC-NEWS-1.warc.gz")), Some(Kind::Warc));
        assert_eq!(kind_of(Path::new("b.WARC")), Some(Kind::Warc));
        assert_eq!(kind_of(Path::new(".warc.gz")), None);
        assert_eq!(kind_of(Path::new("page.html.gz")), None);
    }
}
