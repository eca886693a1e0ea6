//! Readers: plain-text files, folders of them (recursively), JSONL files and standard input.
//!
//! A [`Reader`] walks its inputs lazily and yields one `Result` per article or per thing that
//! could not be read, so one bad file or line never stops a run: the caller prints the error,
//! counts it, and goes on.
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
//! Unknown fields are ignored. Blank lines are skipped.
//!
//! # Plain text
//!
//! A file is one article, UTF-8 (a BOM is dropped). A first line `date YYYY-MM-DD` is the
//! published date; the cleaner (see [`crate::clean`]) reads it.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use xabar_core::{Format, Language, RawArticle};

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
    /// The file is not valid UTF-8.
    #[error("{path}: not valid UTF-8 at byte {offset}; convert it to UTF-8 and read it again")]
    InvalidUtf8 {
        /// The path (with `:line` for JSONL).
        path: String,
        /// The first invalid byte.
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
    #[error("{path}: not an article file (xabar reads .txt and .jsonl files in folders); skipped")]
    Unsupported {
        /// The path.
        path: String,
    },
}

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or a folder.
    Path(PathBuf),
    /// Standard input: JSONL when it starts with `{`, otherwise one plain-text article.
    Stdin,
    /// Bytes already in memory (an upload, a test), read like standard input.
    Memory {
        /// The name errors and `source` use.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl Input {
    /// `-` is standard input; anything else a path.
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
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
}

fn kind_of(path: &Path) -> Option<Kind> {
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
}

/// Reads articles from a list of inputs, lazily, in order (folders in name order).
pub struct Reader {
    pending: Vec<Pending>,
    warnings: Vec<String>,
}

impl Reader {
    /// A reader over `inputs`, read in the order given.
    pub fn new(inputs: impl IntoIterator<Item = Input>) -> Reader {
        let mut pending: Vec<Pending> = inputs.into_iter().map(Pending::Input).collect();
        pending.reverse();
        Reader {
            pending,
            warnings: Vec::new(),
        }
    }

    /// Warnings about articles that were read but lost a field (an unreadable date, an
    /// unknown language code); drained by each call.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn expand_dir(&mut self, dir: &Path) -> Result<(), ReadError> {
        let io_error = |source| ReadError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(io_error)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
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
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(source) => return Some(Err(ReadError::Io { path: name, source })),
        };
        self.read_bytes(name, &bytes, kind)
    }

    fn read_bytes(
        &mut self,
        name: String,
        bytes: &[u8],
        kind: Kind,
    ) -> Option<Result<RawArticle, ReadError>> {
        let text = match decode(&name, bytes) {
            Ok(text) => text,
            Err(error) => return Some(Err(error)),
        };
        match kind {
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
        let mut bytes = Vec::new();
        if let Err(source) = io::stdin().lock().read_to_end(&mut bytes) {
            return Some(Err(ReadError::Io {
                path: "-".into(),
                source,
            }));
        }
        self.read_stream("-".into(), &bytes)
    }

    /// Reads a stream of unknown type: JSONL when it starts with `{`, else one text article.
    fn read_stream(&mut self, name: String, bytes: &[u8]) -> Option<Result<RawArticle, ReadError>> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let kind = if first == Some(&b'{') {
            Kind::Jsonl
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
                    if let Some(item) = self.read_stream(name, &bytes) {
                        return Some(item);
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

/// Decodes a file's bytes as UTF-8 text, rejecting binary data and empty files.
fn decode(name: &str, bytes: &[u8]) -> Result<String, ReadError> {
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(ReadError::Binary {
            path: name.to_string(),
            offset,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::InvalidUtf8 {
        path: name.to_string(),
        offset: e.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty {
            path: name.to_string(),
        });
    }
    Ok(text.to_string())
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
    fn decode_rejects_binary_bad_utf8_and_empty() {
        assert!(matches!(
            decode("a", b"ab\0c"),
            Err(ReadError::Binary { offset: 2, .. })
        ));
        assert!(matches!(
            decode("a", b"ab\xffc"),
            Err(ReadError::InvalidUtf8 { offset: 2, .. })
        ));
        assert!(matches!(
            decode("a", b" \n\t"),
            Err(ReadError::Empty { .. })
        ));
        assert_eq!(decode("a", b"\xEF\xBB\xBFhi").unwrap(), "hi");
    }
}
