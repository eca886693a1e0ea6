//! A streaming reader for web archives: WARC 1.0 / 1.1 files, plain or gzip-compressed (one
//! gzip member per record, as crawlers write them, or the whole file in one member).
//!
//! [`WarcReader`] turns the HTML pages of `response` records (and of `resource` records that
//! hold a page directly) into [`RawArticle`]s with `format: Html`, the record's target URI as
//! `url`, and the body decoded to UTF-8 with [`crate::charset`] (HTTP `Content-Type` charset,
//! then `<meta>`, then detection with the URL's top-level domain as a hint). The crawl date
//! (`WARC-Date`) is not a publication date and is not used as one.
//!
//! Every other record (`warcinfo`, `request`, `metadata`, `revisit`, images, PDFs, redirects)
//! is skipped and only counted in [`WarcStats`]. A broken record (a bad header, a truncated
//! block, a corrupt gzip member) gives one [`WarcError`] naming the record and where it
//! starts, and reading goes on at the next record; a file cut short ends after its last
//! record's error.
//!
//! Memory stays bounded whatever the file's size: records are read one at a time from a
//! buffered stream, blocks that are not pages are skipped without being stored, and a page
//! over [`MAX_PAGE_BYTES`] is an error rather than an allocation.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::{DeflateDecoder, GzDecoder, ZlibDecoder};
use xabar_core::{Format, Language, RawArticle};

use crate::charset::{self, Hints};

/// The largest page (HTTP body, after undoing its content encoding) read into memory.
pub const MAX_PAGE_BYTES: u64 = 20 * 1024 * 1024;

/// The longest header line kept; longer lines are an error in a header.
const MAX_LINE: usize = 64 * 1024;

/// The most header lines in one WARC or HTTP header.
const MAX_HEADER_LINES: usize = 512;

/// The size of the buffer records are read through.
const BUFFER: usize = 256 * 1024;

/// The first bytes of every gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Where a record starts in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A byte offset in an uncompressed file.
    Byte(u64),
    /// Inside a gzip file: the offset of the member holding the record's start, and how far
    /// into that member's uncompressed data the record starts (0 for a member per record).
    Gzip {
        /// The compressed offset where the member starts.
        member: u64,
        /// The uncompressed offset of the record inside the member.
        offset: u64,
    },
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Position::Byte(at) => write!(f, "at byte {at}"),
            Position::Gzip { member, offset: 0 } => {
                write!(f, "in the gzip member at byte {member}")
            }
            Position::Gzip { member, offset } => write!(
                f,
                "at byte {offset} of the uncompressed gzip member at byte {member}"
            ),
        }
    }
}

/// What is wrong with a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarcProblem {
    /// The compressed data is corrupt.
    #[error("corrupt gzip data: {0}")]
    Gzip(String),
    /// The file ends inside a gzip member.
    #[error("truncated: the file ends inside the gzip member")]
    GzipTruncated,
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// The WARC header is malformed.
    #[error("bad WARC header: {0}")]
    Header(String),
    /// The file ends inside the record.
    #[error("truncated: the file ends after {got} of the {expected} bytes the record announces")]
    Truncated {
        /// Bytes of the block that were there.
        got: u64,
        /// The block's `Content-Length`.
        expected: u64,
    },
    /// The block is not followed by the blank line that ends a record, so its
    /// `Content-Length` is wrong.
    #[error("the record does not end where its Content-Length says")]
    NoEnd,
    /// The page is bigger than [`MAX_PAGE_BYTES`].
    #[error("the page is over the {} MB limit", MAX_PAGE_BYTES / (1024 * 1024))]
    TooLarge,
    /// The HTTP response inside the record is malformed.
    #[error("bad HTTP response: {0}")]
    Http(String),
    /// The page's content encoding could not be undone.
    #[error("cannot undo Content-Encoding {encoding}: {message}")]
    ContentEncoding {
        /// The encoding, as the header names it.
        encoding: String,
        /// What went wrong.
        message: String,
    },
}

/// A broken record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {record} {at}: {problem}")]
pub struct WarcError {
    /// The record's number in the file, from 1.
    pub record: usize,
    /// Where the record starts.
    pub at: Position,
    /// What is wrong.
    pub problem: WarcProblem,
}

/// Why a record was not read as an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotArticle {
    /// A `warcinfo` record (about the file itself).
    Warcinfo,
    /// A `request` record (what the crawler sent).
    Request,
    /// A `metadata` record.
    Metadata,
    /// A `revisit` record (a page seen before, stored without its body).
    Revisit,
    /// Another record type (`conversion`, `continuation`, unknown types).
    OtherType,
    /// A response whose HTTP status is not 2xx (a redirect, an error page).
    Status,
    /// A response or resource that is not HTML (an image, a PDF, a script).
    NotHtml,
    /// An HTML response with an empty body.
    Empty,
    /// An HTML response whose body is binary data.
    Binary,
}

impl NotArticle {
    /// A short name for summaries.
    pub fn name(self) -> &'static str {
        match self {
            NotArticle::Warcinfo => "warcinfo",
            NotArticle::Request => "request",
            NotArticle::Metadata => "metadata",
            NotArticle::Revisit => "revisit",
            NotArticle::OtherType => "other record type",
            NotArticle::Status => "non-2xx response",
            NotArticle::NotHtml => "not HTML",
            NotArticle::Empty => "empty page",
            NotArticle::Binary => "binary page",
        }
    }
}

/// Counts over the records read so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarcStats {
    /// Records seen, broken ones included.
    pub records: usize,
    /// Pages yielded as articles.
    pub pages: usize,
    /// Broken records (each one yielded as an error).
    pub broken: usize,
    /// Records that are not articles, by reason, in the order the reasons first came up.
    pub not_articles: Vec<(NotArticle, usize)>,
    /// Pages whose charset was guessed (nothing declared it and it was not UTF-8).
    pub detected_charset: usize,
}

impl WarcStats {
    /// How many records were not articles.
    pub fn not_articles_total(&self) -> usize {
        self.not_articles.iter().map(|(_, n)| n).sum()
    }

    /// Adds another file's counts to these.
    pub fn add(&mut self, other: &WarcStats) {
        self.records += other.records;
        self.pages += other.pages;
        self.broken += other.broken;
        self.detected_charset += other.detected_charset;
        for &(reason, n) in &other.not_articles {
            self.count_n(reason, n);
        }
    }

    fn count(&mut self, reason: NotArticle) {
        self.count_n(reason, 1);
    }

    fn count_n(&mut self, reason: NotArticle, n: usize) {
        match self.not_articles.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, total)) => *total += n,
            None => self.not_articles.push((reason, n)),
        }
    }
}

impl fmt::Display for WarcStats {
    /// One line: `7 WARC records: 3 pages, 1 broken, 3 not articles (1 warcinfo, 1 request,
    /// 1 not HTML)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} WARC records: {} pages", self.records, self.pages)?;
        if self.broken > 0 {
            write!(f, ", {} broken", self.broken)?;
        }
        let skipped = self.not_articles_total();
        if skipped > 0 {
            let parts: Vec<String> = self
                .not_articles
                .iter()
                .map(|(reason, n)| format!("{n} {}", reason.name()))
                .collect();
            write!(f, ", {skipped} not articles ({})", parts.join(", "))?;
        }
        if self.detected_charset > 0 {
            write!(
                f,
                ", {} pages with a guessed charset",
                self.detected_charset
            )?;
        }
        Ok(())
    }
}

/// Whether bytes look like the start of a WARC file: a gzip member or a `WARC/` version line.
pub fn looks_like_warc(head: &[u8]) -> bool {
    head.starts_with(&GZIP_MAGIC) || head.starts_with(b"WARC/")
}

/// Reads the pages of a WARC file as articles; see the module documentation.
pub struct WarcReader<R: BufRead> {
    name: String,
    input: BufReader<Counted<Source<R>>>,
    /// Records started so far.
    record: usize,
    /// Where the current record starts in the (uncompressed) stream.
    record_start: u64,
    /// After a broken record: look for the next `WARC/` line instead of expecting one.
    resync: bool,
    /// The version line that resynchronising found, for the header to start from.
    version: Option<Vec<u8>>,
    done: bool,
    stats: WarcStats,
    line: Vec<u8>,
}

/// What one record gave.
enum Step {
    Page(Box<RawArticle>),
    Skip(NotArticle),
    Broken { problem: WarcProblem, fatal: bool },
    End,
}

impl<R: BufRead> WarcReader<R> {
    /// A reader over `input`, gzip-compressed or not (told by its first bytes, not by a file
    /// name). `name` is the file's name: articles' `source` is `name:record`.
    pub fn new(name: impl Into<String>, mut input: R) -> WarcReader<R> {
        let gzip = input
            .fill_buf()
            .is_ok_and(|head| head.starts_with(&GZIP_MAGIC));
        let source = if gzip {
            Source::Gzip(GzMembers::new(input))
        } else {
            Source::Plain(input)
        };
        WarcReader {
            name: name.into(),
            input: BufReader::with_capacity(BUFFER, Counted::new(source)),
            record: 0,
            record_start: 0,
            resync: false,
            version: None,
            done: false,
            stats: WarcStats::default(),
            line: Vec::new(),
        }
    }

    /// Counts over the records read so far.
    pub fn stats(&self) -> &WarcStats {
        &self.stats
    }

    /// The offset of the next unread byte of the uncompressed stream.
    fn stream_offset(&self) -> u64 {
        self.input.get_ref().count - self.input.buffer().len() as u64
    }

    fn place(&self, at: u64) -> Position {
        match &self.input.get_ref().inner {
            Source::Plain(_) => Position::Byte(at),
            Source::Gzip(members) => {
                let (member, start) = members.locate(at);
                Position::Gzip {
                    member,
                    offset: at - start,
                }
            }
        }
    }

    /// Reads one record.
    fn step(&mut self) -> Step {
        match self.find_record() {
            Ok(true) => {}
            Ok(false) => return Step::End,
            Err(error) => {
                self.record += 1;
                self.record_start = self.stream_offset();
                return io_problem(error);
            }
        }
        self.record += 1;
        let header = match self.read_warc_header() {
            Ok(header) => header,
            Err(step) => return step,
        };
        let Some(length) = header.content_length else {
            return broken(WarcProblem::Header("no Content-Length".into()));
        };
        let step = self.read_block(&header, length);
        if matches!(step, Step::Broken { .. }) {
            return step;
        }
        match self.end_of_record() {
            Ok(true) => step,
            Ok(false) => broken(WarcProblem::NoEnd),
            Err(error) => io_problem(error),
        }
    }

    /// Moves to the start of the next record, returning false at the end of the file. Blank
    /// lines between records are skipped; after a broken record, anything up to a `WARC/`
    /// version line is.
    fn find_record(&mut self) -> io::Result<bool> {
        if self.resync {
            return self.resynchronise();
        }
        loop {
            let buffer = self.input.fill_buf()?;
            if buffer.is_empty() {
                return Ok(false);
            }
            // Blank lines between records are allowed.
            let blank = buffer
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            if blank == 0 {
                break;
            }
            self.input.consume(blank);
        }
        self.record_start = self.stream_offset();
        self.forget_members();
        Ok(true)
    }

    /// After a broken record: reads lines up to one that ends in a version line (garbage may
    /// come first on the same line), and keeps that version line for the header.
    fn resynchronise(&mut self) -> io::Result<bool> {
        loop {
            let line_start = self.stream_offset();
            let n = match read_line_tail(&mut self.input, &mut self.line, MAX_LINE) {
                Ok(n) => n,
                // Corrupt compressed data often decompresses to garbage first (a broken
                // record, already reported) and fails its checksum later: one error is enough.
                Err(error) if is_gzip_fault(&error) => continue,
                Err(error) => return Err(error),
            };
            if n == 0 {
                return Ok(false);
            }
            let Some(at) = rfind(&self.line, b"WARC/") else {
                continue;
            };
            if !is_version(trim_line(&self.line[at..])) {
                continue;
            }
            // `line` holds the last bytes of a line that may have been longer.
            self.record_start = line_start + (n - self.line.len() + at) as u64;
            self.version = Some(self.line[at..].to_vec());
            self.resync = false;
            self.forget_members();
            return Ok(true);
        }
    }

    fn forget_members(&mut self) {
        let at = self.record_start;
        if let Source::Gzip(members) = &mut self.input.get_mut().inner {
            members.forget_before(at);
        }
    }

    fn read_warc_header(&mut self) -> Result<WarcHeader, Step> {
        let mut header = WarcHeader::default();
        let version_line = match self.version.take() {
            Some(line) => line,
            None => {
                read_line(&mut self.input, &mut self.line, MAX_LINE).map_err(io_problem)?;
                std::mem::take(&mut self.line)
            }
        };
        let version = trim_line(&version_line);
        if !version.starts_with(b"WARC/") {
            return Err(broken(WarcProblem::Header(format!(
                "expected a `WARC/1.x` version line, found {:?}",
                preview(version)
            ))));
        }
        let mut last: Option<Field> = None;
        for _ in 0..MAX_HEADER_LINES {
            let n = read_line(&mut self.input, &mut self.line, MAX_LINE).map_err(io_problem)?;
            if n == 0 {
                return Err(Step::Broken {
                    problem: WarcProblem::Header("the file ends inside the header".into()),
                    fatal: true,
                });
            }
            if n > MAX_LINE {
                return Err(broken(WarcProblem::Header(format!(
                    "a header line is longer than {} KB",
                    MAX_LINE / 1024
                ))));
            }
            let line = trim_line(&self.line);
            if line.is_empty() {
                return Ok(header);
            }
            if line[0] == b' ' || line[0] == b'\t' {
                // A folded line continues the previous field.
                if let Some(field) = last {
                    header.append(field, &String::from_utf8_lossy(line));
                }
                continue;
            }
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                return Err(broken(WarcProblem::Header(format!(
                    "a header line without a colon: {:?}",
                    preview(line)
                ))));
            };
            let name = &line[..colon];
            let value = String::from_utf8_lossy(&line[colon + 1..])
                .trim()
                .to_string();
            last = header
                .set(name, value)
                .map_err(|p| broken(WarcProblem::Header(p)))?;
        }
        Err(broken(WarcProblem::Header(format!(
            "more than {MAX_HEADER_LINES} header lines"
        ))))
    }

    /// Reads (or skips) the block of `length` bytes after the header, and always consumes it
    /// whole unless the file ends first.
    fn read_block(&mut self, header: &WarcHeader, length: u64) -> Step {
        let record = self.record;
        let name = &self.name;
        let mut block = (&mut self.input).take(length);
        let kind = header.kind.to_ascii_lowercase();
        let media = media_type(header.content_type.as_deref());
        let outcome = match kind.as_str() {
            "response" if media.starts_with("application/http") || media.is_empty() => {
                read_http_response(&mut block, &mut self.line)
            }
            "resource" if is_html_type(&media) => read_body(&mut block).map(|body| {
                Outcome::Page(Page {
                    body,
                    charset: header
                        .content_type
                        .as_deref()
                        .and_then(charset::charset_param)
                        .map(str::to_string),
                    language: None,
                })
            }),
            "response" | "resource" => Ok(Outcome::Skip(NotArticle::NotHtml)),
            "warcinfo" => Ok(Outcome::Skip(NotArticle::Warcinfo)),
            "request" => Ok(Outcome::Skip(NotArticle::Request)),
            "metadata" => Ok(Outcome::Skip(NotArticle::Metadata)),
            "revisit" => Ok(Outcome::Skip(NotArticle::Revisit)),
            _ => Ok(Outcome::Skip(NotArticle::OtherType)),
        };
        if let Err(
            problem @ (WarcProblem::Gzip(_) | WarcProblem::GzipTruncated | WarcProblem::Io(_)),
        ) = outcome
        {
            // The stream itself failed: what follows is no longer this block.
            return Step::Broken {
                fatal: !matches!(problem, WarcProblem::Gzip(_)),
                problem,
            };
        }
        // Whatever the outcome, the rest of the block is read past, so the next record
        // starts where it should.
        if let Err(error) = skip_rest(&mut block) {
            return io_problem(error);
        }
        let left = block.limit();
        if left > 0 {
            return Step::Broken {
                problem: WarcProblem::Truncated {
                    got: length - left,
                    expected: length,
                },
                fatal: true,
            };
        }
        match outcome {
            Err(problem) => broken(problem),
            Ok(Outcome::Skip(reason)) => Step::Skip(reason),
            Ok(Outcome::Page(page)) => make_article(
                name,
                record,
                header.target_uri.clone(),
                page,
                &mut self.stats,
            ),
        }
    }

    /// Reads the line ending after a block. Two are required by the standard; one is
    /// accepted, and so is the end of the file.
    fn end_of_record(&mut self) -> io::Result<bool> {
        let mut endings = 0;
        while endings < 2 {
            let buffer = self.input.fill_buf()?;
            match buffer {
                [] => return Ok(true),
                [b'\n', ..] => self.input.consume(1),
                [b'\r', b'\n', ..] => self.input.consume(2),
                [b'\r'] => {
                    self.input.consume(1);
                    continue;
                }
                _ => return Ok(endings > 0),
            }
            endings += 1;
        }
        Ok(true)
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<RawArticle, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let step = self.step();
            if !matches!(step, Step::End) {
                self.stats.records += 1;
            }
            match step {
                Step::End => self.done = true,
                Step::Page(article) => {
                    self.stats.pages += 1;
                    return Some(Ok(*article));
                }
                Step::Skip(reason) => self.stats.count(reason),
                Step::Broken { problem, fatal } => {
                    self.stats.broken += 1;
                    self.resync = true;
                    self.done = fatal;
                    return Some(Err(WarcError {
                        record: self.record,
                        at: self.place(self.record_start),
                        problem,
                    }));
                }
            }
        }
        None
    }
}

fn broken(problem: WarcProblem) -> Step {
    Step::Broken {
        problem,
        fatal: false,
    }
}

/// A read error as a record's problem: corrupt gzip data is skipped past, anything else
/// ends the file.
fn io_problem(error: io::Error) -> Step {
    let problem = problem_of(error);
    Step::Broken {
        fatal: !matches!(problem, WarcProblem::Gzip(_)),
        problem,
    }
}

fn is_gzip_fault(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|e| e.downcast_ref::<GzipFault>().is_some())
}

fn problem_of(error: io::Error) -> WarcProblem {
    match error.get_ref().and_then(|e| e.downcast_ref::<GzipFault>()) {
        Some(fault) if fault.truncated => WarcProblem::GzipTruncated,
        Some(fault) => WarcProblem::Gzip(fault.message.clone()),
        None => WarcProblem::Io(error.to_string()),
    }
}

/// The fields of a WARC header that matter here.
#[derive(Debug, Default)]
struct WarcHeader {
    kind: String,
    target_uri: Option<String>,
    content_type: Option<String>,
    content_length: Option<u64>,
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Kind,
    TargetUri,
    ContentType,
    Other,
}

impl WarcHeader {
    fn set(&mut self, name: &[u8], value: String) -> Result<Option<Field>, String> {
        let field = if name.eq_ignore_ascii_case(b"WARC-Type") {
            self.kind = value;
            Field::Kind
        } else if name.eq_ignore_ascii_case(b"WARC-Target-URI") {
            // WARC 1.0's own examples wrap the URI in angle brackets; some writers copied that.
            let uri = value.trim_start_matches('<').trim_end_matches('>').trim();
            self.target_uri = (!uri.is_empty()).then(|| uri.to_string());
            Field::TargetUri
        } else if name.eq_ignore_ascii_case(b"Content-Type") {
            self.content_type = Some(value);
            Field::ContentType
        } else if name.eq_ignore_ascii_case(b"Content-Length") {
            let length = value
                .parse::<u64>()
                .map_err(|_| format!("Content-Length {value:?} is not a number"))?;
            self.content_length = Some(length);
            Field::Other
        } else {
            Field::Other
        };
        Ok(Some(field))
    }

    fn append(&mut self, field: Field, more: &str) {
        let target = match field {
            Field::Kind => Some(&mut self.kind),
            Field::ContentType => self.content_type.as_mut(),
            Field::TargetUri | Field::Other => None,
        };
        if let Some(value) = target {
            value.push(' ');
            value.push_str(more.trim());
        }
    }
}

/// A page found in a record, before decoding.
struct Page {
    body: Vec<u8>,
    charset: Option<String>,
    language: Option<Language>,
}

enum Outcome {
    Page(Page),
    Skip(NotArticle),
}

fn make_article(
    name: &str,
    record: usize,
    url: Option<String>,
    page: Page,
    stats: &mut WarcStats,
) -> Step {
    if page.body.iter().all(u8::is_ascii_whitespace) {
        return Step::Skip(NotArticle::Empty);
    }
    let hints = Hints {
        declared: page.charset.as_deref(),
        markup: true,
        url: url.as_deref(),
    };
    let decoded = match charset::decode_owned(page.body, &hints) {
        Ok(decoded) => decoded,
        Err(_) => return Step::Skip(NotArticle::Binary),
    };
    if decoded.detected() {
        stats.detected_charset += 1;
    }
    let mut article = RawArticle::text(format!("{name}:{record}"), decoded.text);
    article.format = Format::Html;
    article.url = url;
    article.language = page.language;
    Step::Page(Box::new(article))
}

/// Reads an HTTP response from a record's block: the status line, the headers, and (for an
/// HTML page with a 2xx status) the body with its transfer and content encodings undone.
fn read_http_response(
    block: &mut io::Take<impl BufRead>,
    line: &mut Vec<u8>,
) -> Result<Outcome, WarcProblem> {
    let n = read_line(block, line, MAX_LINE).map_err(problem_of)?;
    let status_line = trim_line(line);
    if n == 0 {
        return Err(WarcProblem::Http("no status line".into()));
    }
    if !status_line.starts_with(b"HTTP/") || n > MAX_LINE {
        return Err(WarcProblem::Http(format!(
            "expected an `HTTP/1.x 200` status line, found {:?}",
            preview(status_line)
        )));
    }
    let status = status_line
        .split(|b| *b == b' ')
        .filter(|part| !part.is_empty())
        .nth(1)
        .and_then(|code| std::str::from_utf8(code).ok())
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| {
            WarcProblem::Http(format!("no status code in {:?}", preview(status_line)))
        })?;
    if !(200..300).contains(&status) {
        return Ok(Outcome::Skip(NotArticle::Status));
    }
    let mut content_type = None;
    let mut content_encoding = None;
    let mut transfer_encoding = None;
    let mut content_language = None;
    let mut ended = false;
    for _ in 0..MAX_HEADER_LINES {
        let n = read_line(block, line, MAX_LINE).map_err(problem_of)?;
        if n == 0 {
            break;
        }
        if n > MAX_LINE {
            return Err(WarcProblem::Http(format!(
                "a header line is longer than {} KB",
                MAX_LINE / 1024
            )));
        }
        let text = trim_line(line);
        if text.is_empty() {
            ended = true;
            break;
        }
        let Some(colon) = text.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = &text[..colon];
        let value = || {
            String::from_utf8_lossy(&text[colon + 1..])
                .trim()
                .to_string()
        };
        if name.eq_ignore_ascii_case(b"Content-Type") {
            content_type.get_or_insert_with(value);
        } else if name.eq_ignore_ascii_case(b"Content-Encoding") {
            content_encoding.get_or_insert_with(value);
        } else if name.eq_ignore_ascii_case(b"Transfer-Encoding") {
            transfer_encoding.get_or_insert_with(value);
        } else if name.eq_ignore_ascii_case(b"Content-Language") {
            content_language.get_or_insert_with(value);
        }
    }
    if !ended {
        return Err(WarcProblem::Http(format!(
            "the header has no end (no blank line within {MAX_HEADER_LINES} lines)"
        )));
    }
    let media = media_type(content_type.as_deref());
    if !media.is_empty() && !is_html_type(&media) {
        return Ok(Outcome::Skip(NotArticle::NotHtml));
    }
    let mut body = read_body(block)?;
    if transfer_encoding
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
        && let Some(joined) = dechunk(&body)
    {
        // Some crawlers store the body as sent, in chunks; others join the chunks and keep
        // the header. A body that does not parse as chunks is taken as it is.
        body = joined;
    }
    if let Some(encoding) = content_encoding.as_deref() {
        body = undo_content_encoding(body, encoding)?;
    }
    // No Content-Type at all: take the body for a page only if it looks like one.
    if media.is_empty() && !looks_like_html(&body) {
        return Ok(Outcome::Skip(NotArticle::NotHtml));
    }
    let language = content_language.as_deref().and_then(language_hint);
    Ok(Outcome::Page(Page {
        body,
        charset: content_type
            .as_deref()
            .and_then(charset::charset_param)
            .map(str::to_string),
        language,
    }))
}

/// Reads the rest of a block, refusing one over [`MAX_PAGE_BYTES`] without reading it in.
fn read_body(block: &mut io::Take<impl BufRead>) -> Result<Vec<u8>, WarcProblem> {
    if block.limit() > MAX_PAGE_BYTES {
        return Err(WarcProblem::TooLarge);
    }
    // The limit is a claim of the file: allocate as the bytes arrive.
    let mut body = Vec::with_capacity(block.limit().min(1 << 20) as usize);
    block.read_to_end(&mut body).map_err(problem_of)?;
    Ok(body)
}

/// The media type of a `Content-Type` value, lower case, without parameters.
fn media_type(content_type: Option<&str>) -> String {
    content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_html_type(media: &str) -> bool {
    media == "text/html" || media == "application/xhtml+xml"
}

/// Whether a body without a media type starts like an HTML page.
fn looks_like_html(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 64)];
    [&b"<!doctype html"[..], b"<html", b"<head", b"<?xml"]
        .iter()
        .any(|tag| head.len() >= tag.len() && head[..tag.len()].eq_ignore_ascii_case(tag))
}

/// The first language of a `Content-Language` header, when it names one xabar knows and
/// only one.
fn language_hint(value: &str) -> Option<Language> {
    let mut tags = value.split(',').map(str::trim).filter(|t| !t.is_empty());
    let first = tags.next()?;
    if tags.next().is_some() {
        return None;
    }
    first.split(['-', '_']).next()?.parse().ok()
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body; `None` if it is not one.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let size_line = std::str::from_utf8(&rest[..end]).ok()?;
        let size_text = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[end + 1..];
        if size == 0 {
            return Some(out);
        }
        let chunk = rest.get(..size)?;
        out.extend_from_slice(chunk);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))?;
    }
}

/// Undoes gzip or deflate compression of a body. A body that says gzip but is not (the
/// crawler already decompressed it) is taken as it is.
fn undo_content_encoding(body: Vec<u8>, encoding: &str) -> Result<Vec<u8>, WarcProblem> {
    let encoding = encoding.trim().to_ascii_lowercase();
    let failed = |message: String| WarcProblem::ContentEncoding {
        encoding: encoding.clone(),
        message,
    };
    match encoding.as_str() {
        "" | "identity" | "none" => Ok(body),
        "gzip" | "x-gzip" => {
            if !body.starts_with(&GZIP_MAGIC) {
                return Ok(body);
            }
            inflate(flate2::bufread::MultiGzDecoder::new(&body[..])).map_err(failed)
        }
        "deflate" => {
            // "deflate" is zlib-wrapped by the standard, raw deflate by many servers.
            inflate(ZlibDecoder::new(&body[..]))
                .or_else(|_| inflate(DeflateDecoder::new(&body[..])))
                .map_err(failed)
        }
        _ if looks_like_html(&body) => Ok(body),
        other => Err(failed(format!(
            "xabar undoes gzip and deflate only, not {other:?}"
        ))),
    }
}

/// Decompresses, refusing output over [`MAX_PAGE_BYTES`] (a small body can inflate a lot).
fn inflate(decoder: impl Read) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut limited = decoder.take(MAX_PAGE_BYTES + 1);
    limited.read_to_end(&mut out).map_err(|e| e.to_string())?;
    if out.len() as u64 > MAX_PAGE_BYTES {
        return Err(format!(
            "the page is over the {} MB limit once decompressed",
            MAX_PAGE_BYTES / (1024 * 1024)
        ));
    }
    Ok(out)
}

/// Reads past the rest of a stream without copying it.
fn skip_rest(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let n = input.fill_buf()?.len();
        if n == 0 {
            return Ok(());
        }
        input.consume(n);
    }
}

/// Reads one line, through its `\n`, into `line`, keeping at most `limit` bytes of it.
/// Returns how many bytes the line had (0 at the end of the input); more than `limit` means
/// the kept line is cut.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
    line.clear();
    let mut total = 0;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(total);
        }
        let (take, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buffer.len(), false),
        };
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(&buffer[..take.min(room)]);
        total += take;
        input.consume(take);
        if done {
            return Ok(total);
        }
    }
}

/// Like [`read_line`], but keeps the last bytes of an overlong line (at least `limit`), where a
/// version line glued to garbage would be.
fn read_line_tail(input: &mut impl BufRead, line: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
    line.clear();
    let mut total = 0;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(total);
        }
        let (take, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buffer.len(), false),
        };
        line.extend_from_slice(&buffer[..take]);
        total += take;
        input.consume(take);
        if line.len() > 2 * limit {
            line.drain(..line.len() - limit);
        }
        if done {
            return Ok(total);
        }
    }
}

/// Whether a line is a WARC version line: `WARC/1.0`, `WARC/1.1`, `WARC/0.18`.
fn is_version(line: &[u8]) -> bool {
    let Some(number) = line.strip_prefix(b"WARC/") else {
        return false;
    };
    let mut parts = number.split(|&b| b == b'.');
    let digits = |p: Option<&[u8]>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 3 && p.iter().all(u8::is_ascii_digit))
    };
    digits(parts.next()) && digits(parts.next()) && parts.next().is_none()
}

fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The start of a line for an error message.
fn preview(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
    if line.len() > 40 {
        format!("{text}…")
    } else {
        text
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The uncompressed stream, from a plain file or from gzip members.
enum Source<R: BufRead> {
    Plain(R),
    Gzip(GzMembers<R>),
}

impl<R: BufRead> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Plain(input) => input.read(buf),
            Source::Gzip(members) => members.read(buf),
        }
    }
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R> Counted<R> {
    fn new(inner: R) -> Counted<R> {
        Counted { inner, count: 0 }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.count += amount as u64;
        self.inner.consume(amount);
    }
}

/// A corrupt gzip member, reported through `io::Error`.
#[derive(Debug, thiserror::Error)]
#[error("corrupt gzip member at byte {member}: {message}")]
struct GzipFault {
    member: u64,
    message: String,
    /// The file ends inside the member.
    truncated: bool,
}

/// Decompresses gzip members one after another, like flate2's `MultiGzDecoder`, but
/// survives a corrupt member: it reports it once, then looks for the next member's magic
/// bytes and goes on from there. It also remembers where recent members start, so errors
/// can point at the compressed offset of a record.
struct GzMembers<R: BufRead> {
    state: Option<GzState<R>>,
    /// Uncompressed bytes produced so far.
    out: u64,
    /// (uncompressed start, compressed start) of the members that may still hold unread
    /// records; pruned by [`GzMembers::forget_before`].
    members: VecDeque<(u64, u64)>,
    /// After a corrupt member: look for the next member's magic bytes.
    resync: bool,
}

enum GzState<R: BufRead> {
    Between(Counted<R>),
    Member(Box<GzDecoder<Counted<R>>>, u64),
}

impl<R: BufRead> GzMembers<R> {
    fn new(input: R) -> GzMembers<R> {
        GzMembers {
            state: Some(GzState::Between(Counted::new(input))),
            out: 0,
            members: VecDeque::new(),
            resync: false,
        }
    }

    /// The compressed and uncompressed start of the member holding uncompressed byte `at`.
    fn locate(&self, at: u64) -> (u64, u64) {
        let i = self.members.partition_point(|(start, _)| *start <= at);
        match i.checked_sub(1).and_then(|i| self.members.get(i)) {
            Some(&(out, member)) => (member, out),
            None => (0, 0),
        }
    }

    /// Drops what is known about members wholly before uncompressed byte `at`.
    fn forget_before(&mut self, at: u64) {
        while self.members.len() >= 2 && self.members[1].0 <= at {
            self.members.pop_front();
        }
    }
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state.take() {
                None => return Ok(0),
                Some(GzState::Between(mut input)) => {
                    let found = if self.resync {
                        seek_member(&mut input)
                    } else {
                        skip_padding(&mut input)
                    };
                    match found {
                        Ok(true) => {}
                        Ok(false) => return Ok(0),
                        Err(error) => {
                            self.state = Some(GzState::Between(input));
                            return Err(error);
                        }
                    }
                    let start = input.count;
                    self.members.push_back((self.out, start));
                    self.state = Some(GzState::Member(Box::new(GzDecoder::new(input)), start));
                }
                Some(GzState::Member(mut decoder, start)) => match decoder.read(buf) {
                    Ok(0) => {
                        self.resync = false;
                        self.state = Some(GzState::Between(decoder.into_inner()));
                    }
                    Ok(n) => {
                        self.resync = false;
                        self.out += n as u64;
                        self.state = Some(GzState::Member(decoder, start));
                        return Ok(n);
                    }
                    Err(error) => {
                        let false_start = self.resync && decoder.header().is_none();
                        let mut input = decoder.into_inner();
                        // Step past the failed member's first byte at least, so the search
                        // for the next member always moves on.
                        if input.count == start {
                            input.consume(1);
                        }
                        let truncated = input.fill_buf().is_ok_and(|rest| rest.is_empty());
                        self.state = Some(GzState::Between(input));
                        self.resync = true;
                        if false_start {
                            // Magic bytes inside compressed data, not a member: look on.
                            self.members.pop_back();
                            continue;
                        }
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            GzipFault {
                                member: start,
                                message: error.to_string(),
                                truncated,
                            },
                        ));
                    }
                },
            }
        }
    }
}

/// Skips NUL padding after the last member; false at the end of the input.
fn skip_padding(input: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(false);
        }
        let zeros = buffer.iter().take_while(|&&b| b == 0).count();
        if zeros == 0 {
            return Ok(true);
        }
        input.consume(zeros);
    }
}

/// Moves to the next gzip magic (`1f 8b 08`); false at the end of the input.
fn seek_member(input: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(false);
        }
        match buffer.iter().position(|&b| b == GZIP_MAGIC[0]) {
            None => {
                let n = buffer.len();
                input.consume(n);
            }
            Some(i) => {
                if buffer.get(i + 1..i + 3) == Some(&[GZIP_MAGIC[1], 8][..]) {
                    input.consume(i);
                    return Ok(true);
                }
                // Not a member here (or the magic straddles the buffer's end, too rare to
                // be worth a copy): look on.
                input.consume(i + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n").as_deref(),
            Some(&b"Hello, world"[..])
        );
        assert_eq!(dechunk(b"<html>not chunked</html>"), None);
        assert_eq!(dechunk(b"ff\r\nshort"), None);
    }

    #[test]
    fn content_language_hints() {
        assert_eq!(language_hint("ru-RU"), Some(Language::Ru));
        assert_eq!(language_hint("kk"), Some(Language::Kk));
        assert_eq!(language_hint("ru, en"), None);
        assert_eq!(language_hint("x-klingon"), None);
    }

    #[test]
    fn html_sniffing() {
        assert!(looks_like_html(b"\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<HTML lang=ru>"));
        assert!(!looks_like_html(b"\x89PNG\r\n"));
        assert!(!looks_like_html(b""));
    }

    #[test]
    fn version_lines() {
        assert!(is_version(b"WARC/1.0"));
        assert!(is_version(b"WARC/0.18"));
        assert!(!is_version(b"WARC/1.0 is the format"));
        assert!(!is_version(b"WARC/"));
        assert!(!is_version(b"WARC/1.0.2"));
    }

    #[test]
    fn a_version_line_glued_to_a_long_garbage_line_is_found() {
        let mut input = vec![b'x'; 300_000];
        input.extend_from_slice(b"WARC/1.0\r\n");
        let mut line = Vec::new();
        let n = read_line_tail(&mut &input[..], &mut line, 1000).unwrap();
        assert_eq!(n, input.len());
        assert!(line.len() <= 2000 && line.ends_with(b"xWARC/1.0\r\n"));
    }

    #[test]
    fn lines_are_capped() {
        let mut line = Vec::new();
        let mut input = &b"abcdef\nxy"[..];
        assert_eq!(read_line(&mut input, &mut line, 3).unwrap(), 7);
        assert_eq!(line, b"abc");
        assert_eq!(read_line(&mut input, &mut line, 3).unwrap(), 2);
        assert_eq!(line, b"xy");
        assert_eq!(read_line(&mut input, &mut line, 3).unwrap(), 0);
    }

    #[test]
    fn positions_read_well() {
        assert_eq!(Position::Byte(12).to_string(), "at byte 12");
        assert_eq!(
            Position::Gzip {
                member: 40,
                offset: 0
            }
            .to_string(),
            "in the gzip member at byte 40"
        );
    }
}
