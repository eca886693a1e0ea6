//! From bytes of unknown encoding to UTF-8 text: a byte-order mark, a declared charset (an HTTP
//! `Content-Type` header, an HTML `<meta>` tag, an XML declaration), plain UTF-8, and, when
//! nothing else settles it, statistical detection (chardetng) with the site's top-level domain
//! as a hint.
//!
//! Every reader goes through [`decode`], so a windows-1251 or KOI8-R page reads the same as a
//! UTF-8 one. This module only decides and converts; warning the user about a guess is the
//! reader's job, which knows the file's name. It is not an HTML parser: the `<meta>` scan is a
//! cheap byte-level prescan of the page's head, as browsers do before parsing.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many leading bytes are searched for a NUL byte, the sign of binary data.
const BINARY_WINDOW: usize = 8192;

/// How many leading bytes of a page are searched for `<meta charset>` or an XML declaration.
/// Browsers stop at 1024; news sites often put kilobytes of scripts and styles first.
const PRESCAN_WINDOW: usize = 4096;

/// How many bytes the detector sees at most: more text rarely changes its guess, and the
/// detector is the slowest step here.
const DETECTION_WINDOW: usize = 256 * 1024;

/// What is known about the bytes besides the bytes themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints<'a> {
    /// A charset label declared outside the bytes: the `charset` parameter of an HTTP
    /// `Content-Type` header (see [`charset_param`]).
    pub declared: Option<&'a str>,
    /// The bytes are markup (HTML, XHTML, an XML feed): look for `<meta charset>`,
    /// `<meta http-equiv="Content-Type">` and `<?xml … encoding=…?>` at the start.
    pub markup: bool,
    /// The URL the bytes came from; its top-level domain guides detection (`.ru` favours
    /// windows-1251 over windows-1252).
    pub url: Option<&'a str>,
}

/// What the choice of encoding rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A byte-order mark.
    Bom,
    /// A declaration: the HTTP header, `<meta>`, or the XML declaration.
    Declared,
    /// The bytes are UTF-8 (all of them, or all but a few broken sequences, see
    /// [`Decoded::had_errors`]), with no declaration or against a declaration that the bytes
    /// contradict.
    Utf8,
    /// A statistical guess: no declaration, and the bytes are not UTF-8.
    Detected,
}

/// Text decoded from bytes, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding used, by its WHATWG name (`UTF-8`, `windows-1251`, `KOI8-R`, …).
    pub encoding: &'static str,
    /// Why that encoding.
    pub evidence: Evidence,
    /// Some bytes had no meaning in the encoding and became U+FFFD.
    pub had_errors: bool,
}

impl Decoded {
    /// The encoding was guessed: nothing declared it and the bytes are not UTF-8.
    pub fn detected(&self) -> bool {
        self.evidence == Evidence::Detected
    }
}

/// The bytes are not text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("binary data, not text (NUL byte at byte {offset})")]
pub struct Binary {
    /// Where the first NUL byte is.
    pub offset: usize,
}

/// Decodes `bytes` into UTF-8 text. See the module documentation for the order of evidence.
///
/// Fails only on binary data: a NUL byte in the first 8 KB (UTF-16 text, which is full of NUL
/// bytes, is accepted when a byte-order mark or a declaration names it).
pub fn decode(bytes: &[u8], hints: &Hints<'_>) -> Result<Decoded, Binary> {
    decode_cow(Cow::Borrowed(bytes), hints)
}

/// Like [`decode`], but takes the bytes by value, so UTF-8 input (the usual case) becomes the
/// text without a copy.
pub fn decode_owned(bytes: Vec<u8>, hints: &Hints<'_>) -> Result<Decoded, Binary> {
    decode_cow(Cow::Owned(bytes), hints)
}

fn decode_cow(bytes: Cow<'_, [u8]>, hints: &Hints<'_>) -> Result<Decoded, Binary> {
    if let Some((encoding, bom)) = Encoding::for_bom(&bytes) {
        if encoding == UTF_8 {
            return Ok(utf8(strip_front(bytes, bom), Evidence::Bom));
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            evidence: Evidence::Bom,
            had_errors,
        });
    }
    let declared = declared_encoding(&bytes, hints);
    let utf16 = declared.filter(|e| *e == UTF_16LE || *e == UTF_16BE);
    if utf16.is_none()
        && let Some(offset) = bytes[..bytes.len().min(BINARY_WINDOW)]
            .iter()
            .position(|&b| b == 0)
    {
        return Err(Binary { offset });
    }
    if let Some(encoding) = utf16 {
        return Ok(legacy(&bytes, encoding, Evidence::Declared));
    }
    let shape = Utf8Shape::of(&bytes);
    match declared {
        Some(encoding) if encoding == UTF_8 => match shape {
            Utf8Shape::Valid { .. } | Utf8Shape::Mostly => Ok(utf8(bytes, Evidence::Declared)),
            // Declared UTF-8 but plainly something else: a wrong declaration is more likely
            // than a page of broken bytes.
            Utf8Shape::Not => Ok(detect(&bytes, hints.url)),
        },
        Some(encoding) => match shape {
            // Valid multi-byte UTF-8 does not happen by chance in a single-byte Cyrillic or
            // Latin page of any length: the declaration is stale (a site moved to UTF-8 and
            // kept its old header).
            Utf8Shape::Valid { non_ascii: true } | Utf8Shape::Mostly => {
                Ok(utf8(bytes, Evidence::Utf8))
            }
            Utf8Shape::Valid { non_ascii: false } | Utf8Shape::Not => {
                Ok(legacy(&bytes, encoding, Evidence::Declared))
            }
        },
        None => match shape {
            Utf8Shape::Valid { .. } | Utf8Shape::Mostly => Ok(utf8(bytes, Evidence::Utf8)),
            Utf8Shape::Not => Ok(detect(&bytes, hints.url)),
        },
    }
}

fn strip_front(bytes: Cow<'_, [u8]>, n: usize) -> Cow<'_, [u8]> {
    match bytes {
        Cow::Borrowed(b) => Cow::Borrowed(&b[n..]),
        Cow::Owned(mut v) => {
            v.drain(..n);
            Cow::Owned(v)
        }
    }
}

/// UTF-8 text from bytes that are UTF-8 but for possibly a few broken sequences.
fn utf8(bytes: Cow<'_, [u8]>, evidence: Evidence) -> Decoded {
    let (text, had_errors) = match bytes {
        Cow::Owned(v) => match String::from_utf8(v) {
            Ok(text) => (text, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
        },
        Cow::Borrowed(b) => match String::from_utf8_lossy(b) {
            Cow::Borrowed(text) => (text.to_string(), false),
            Cow::Owned(text) => (text, true),
        },
    };
    Decoded {
        text,
        encoding: UTF_8.name(),
        evidence,
        had_errors,
    }
}

fn legacy(bytes: &[u8], encoding: &'static Encoding, evidence: Evidence) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        evidence,
        had_errors,
    }
}

fn detect(bytes: &[u8], url: Option<&str>) -> Decoded {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let window = &bytes[..bytes.len().min(DETECTION_WINDOW)];
    detector.feed(window, window.len() == bytes.len());
    let tld = url.and_then(top_level_domain);
    let encoding = detector.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Deny);
    legacy(bytes, encoding, Evidence::Detected)
}

/// Whether bytes are UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf8Shape {
    /// Valid UTF-8; `non_ascii` when any byte is above 0x7F.
    Valid { non_ascii: bool },
    /// UTF-8 with a few broken sequences (a cut at the end, a stray byte), far outnumbered by
    /// well-formed multi-byte characters.
    Mostly,
    /// Not UTF-8.
    Not,
}

impl Utf8Shape {
    fn of(bytes: &[u8]) -> Utf8Shape {
        let mut rest = bytes;
        let mut good = 0usize;
        let mut bad = 0usize;
        loop {
            match std::str::from_utf8(rest) {
                Ok(_) => {
                    good += count_lead_bytes(rest);
                    break;
                }
                Err(e) => {
                    good += count_lead_bytes(&rest[..e.valid_up_to()]);
                    bad += 1;
                    // A legacy-encoded text fails here at almost every non-ASCII letter:
                    // stop counting once it clearly is not UTF-8.
                    if bad > 8 && bad * 8 > good {
                        return Utf8Shape::Not;
                    }
                    match e.error_len() {
                        Some(n) => rest = &rest[e.valid_up_to() + n..],
                        None => break,
                    }
                }
            }
        }
        if bad == 0 {
            Utf8Shape::Valid {
                non_ascii: good > 0,
            }
        } else if good >= 8 * bad {
            Utf8Shape::Mostly
        } else {
            Utf8Shape::Not
        }
    }
}

/// The number of multi-byte UTF-8 characters in valid UTF-8.
fn count_lead_bytes(valid: &[u8]) -> usize {
    valid.iter().filter(|&&b| b >= 0xC0).count()
}

/// The encoding the hints or the bytes declare, if any is a label encoding_rs knows.
fn declared_encoding(bytes: &[u8], hints: &Hints<'_>) -> Option<&'static Encoding> {
    if let Some(encoding) = hints.declared.and_then(encoding_for_label) {
        return Some(encoding);
    }
    if hints.markup {
        let head = &bytes[..bytes.len().min(PRESCAN_WINDOW)];
        let label = xml_declaration_encoding(head).or_else(|| meta_charset(head))?;
        // An encoding named inside ASCII-compatible bytes cannot be UTF-16, whatever the page
        // says; browsers read such pages as UTF-8 (and x-user-defined as windows-1252).
        let encoding = encoding_for_label(label)?;
        return Some(match encoding.name() {
            "x-user-defined" => WINDOWS_1252,
            _ => encoding.output_encoding(),
        });
    }
    None
}

/// The encoding for a charset label, trimmed of quotes and spaces; `None` for labels
/// encoding_rs does not know, and for the "replacement" encoding (labels of encodings that
/// are unsafe to decode), so that the bytes decide instead.
fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(['"', '\'']).trim();
    Encoding::for_label_no_replacement(label.as_bytes())
}

/// The `charset` parameter of a `Content-Type` value: `text/html; charset="KOI8-R"` gives
/// `KOI8-R`.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).trim())
            .filter(|v| !v.is_empty())
    })
}

/// The rightmost label of the URL's host, lower case, when it is plain ASCII (Punycode for
/// internationalized domains, as chardetng expects).
fn top_level_domain(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    let tld = host.trim_end_matches('.').rsplit('.').next()?;
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| tld.to_ascii_lowercase())
}

/// The `encoding` of an XML declaration at the very start: `<?xml version="1.0"
/// encoding="windows-1251"?>`.
fn xml_declaration_encoding(head: &[u8]) -> Option<&str> {
    let head = head.strip_prefix(b"<?xml")?;
    let end = find(head, b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let at = declaration.find("encoding")?;
    let rest = declaration[at + "encoding".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    value.split(quote).next().filter(|v| !v.is_empty())
}

/// The charset a `<meta charset>` or `<meta http-equiv="Content-Type" content="…">` tag in
/// `head` names: the first such tag wins.
fn meta_charset(head: &[u8]) -> Option<&str> {
    let mut at = 0;
    while let Some(found) = find_ignore_case(&head[at..], b"<meta") {
        let start = at + found + b"<meta".len();
        // `<metadata>` or `<meta-x>` is another tag.
        if head
            .get(start)
            .is_some_and(|b| !(b.is_ascii_whitespace() || *b == b'/'))
        {
            at = start;
            continue;
        }
        let (attributes, end) = meta_attributes(&head[start..]);
        at = start + end;
        if let Some(charset) = attributes.charset {
            return Some(charset);
        }
        if attributes
            .http_equiv
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type"))
            && let Some(content) = attributes.content
            && let Some(charset) = content_charset(content)
        {
            return Some(charset);
        }
    }
    None
}

#[derive(Default)]
struct MetaAttributes<'a> {
    charset: Option<&'a str>,
    http_equiv: Option<&'a str>,
    content: Option<&'a str>,
}

/// The attributes of one `<meta` tag (after its name), and how many bytes the tag took.
fn meta_attributes(tag: &[u8]) -> (MetaAttributes<'_>, usize) {
    let mut found = MetaAttributes::default();
    let mut i = 0;
    loop {
        while tag
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        match tag.get(i) {
            None => return (found, tag.len()),
            Some(b'>') => return (found, i + 1),
            Some(_) => {}
        }
        let name_start = i;
        while tag
            .get(i)
            .is_some_and(|b| !(b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/')))
        {
            i += 1;
        }
        let name = &tag[name_start..i];
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let mut value: &[u8] = &[];
        if tag.get(i) == Some(&b'=') {
            i += 1;
            while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
                i += 1;
            }
            match tag.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let value_start = i + 1;
                    let len = tag[value_start..]
                        .iter()
                        .position(|&b| b == quote)
                        .unwrap_or(tag.len() - value_start);
                    value = &tag[value_start..value_start + len];
                    i = (value_start + len + 1).min(tag.len());
                }
                Some(_) => {
                    let value_start = i;
                    while tag
                        .get(i)
                        .is_some_and(|b| !(b.is_ascii_whitespace() || *b == b'>'))
                    {
                        i += 1;
                    }
                    value = &tag[value_start..i];
                }
                None => {}
            }
        }
        if name.is_empty() {
            // A stray `=`: step over it so the scan always moves on.
            i += 1;
            continue;
        }
        let Ok(value) = std::str::from_utf8(value) else {
            continue;
        };
        if name.eq_ignore_ascii_case(b"charset") {
            found.charset.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"http-equiv") {
            found.http_equiv.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"content") {
            found.content.get_or_insert(value);
        }
    }
}

/// The charset in a `content="text/html; charset=windows-1251"` value.
fn content_charset(content: &str) -> Option<&str> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || matches!(c, ';' | '"' | '\''))
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|v| !v.is_empty())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, label: &str) -> Vec<u8> {
        let encoding = Encoding::for_label(label.as_bytes()).unwrap();
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "{label} cannot hold {text:?}");
        bytes.into_owned()
    }

    #[test]
    fn content_type_charset_parameter() {
        assert_eq!(charset_param("text/html; charset=KOI8-R"), Some("KOI8-R"));
        assert_eq!(
            charset_param("text/html;Charset=\"windows-1251\""),
            Some("windows-1251")
        );
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(charset_param("text/html; charset="), None);
    }

    #[test]
    fn meta_tags_in_their_forms() {
        assert_eq!(
            meta_charset(b"<html><head><meta charset=\"windows-1251\"><title>"),
            Some("windows-1251")
        );
        assert_eq!(meta_charset(b"<META CHARSET=koi8-r>"), Some("koi8-r"));
        assert_eq!(
            meta_charset(
                b"<meta name=viewport content=\"width=device-width\"><meta http-equiv='Content-Type' content='text/html; charset=cp1251'>"
            ),
            Some("cp1251")
        );
        assert_eq!(
            meta_charset(b"<metadata charset=x><meta property=\"og:title\" content=\"a\">"),
            None
        );
        assert_eq!(meta_charset(b"<meta charset=\"\">"), Some(""));
        assert_eq!(meta_charset(b"<meta =x charset=utf-8"), Some("utf-8"));
        // A tag cut after a stray `=` at the end of the window once sent the scan past it.
        assert_eq!(meta_charset(b"<meta =><meta=a =''-='>"), None);
    }

    #[test]
    fn xml_declaration() {
        assert_eq!(
            xml_declaration_encoding(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss>"),
            Some("windows-1251")
        );
        assert_eq!(
            xml_declaration_encoding(b"<?xml version='1.0'?><rss>"),
            None
        );
    }

    #[test]
    fn top_level_domains() {
        assert_eq!(
            top_level_domain("https://www.Lenta.RU/news/1").as_deref(),
            Some("ru")
        );
        assert_eq!(
            top_level_domain("http://user@kaztag.kz:8080/x?y").as_deref(),
            Some("kz")
        );
        assert_eq!(
            top_level_domain("https://xn--80aswg.xn--p1ai/").as_deref(),
            Some("xn--p1ai")
        );
        assert_eq!(top_level_domain("https://пример.рф/").as_deref(), None);
    }

    #[test]
    fn bom_wins_and_utf16_with_bom_is_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Қазақстан".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes, &Hints::default()).unwrap();
        assert_eq!(decoded.text, "Қазақстан");
        assert_eq!(decoded.evidence, Evidence::Bom);
        let decoded = decode(b"\xEF\xBB\xBFhi", &Hints::default()).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.encoding), ("hi", "UTF-8"));
    }

    #[test]
    fn binary_data_is_rejected() {
        assert_eq!(
            decode(b"ab\0c", &Hints::default()),
            Err(Binary { offset: 2 })
        );
    }

    #[test]
    fn stale_declaration_loses_to_valid_utf8() {
        let text = "Правительство утвердило бюджет на следующий год.";
        let decoded = decode(
            text.as_bytes(),
            &Hints {
                declared: Some("windows-1251"),
                ..Hints::default()
            },
        )
        .unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.evidence, Evidence::Utf8);
    }

    #[test]
    fn wrong_utf8_declaration_falls_back_to_detection() {
        let text =
            "Правительство утвердило бюджет на следующий год, сообщили в министерстве финансов.";
        let decoded = decode(
            &encode(text, "windows-1251"),
            &Hints {
                declared: Some("utf-8"),
                url: Some("https://example.ru/"),
                ..Hints::default()
            },
        )
        .unwrap();
        assert_eq!(decoded.text, text);
        assert!(decoded.detected());
    }

    #[test]
    fn a_few_broken_bytes_in_utf8_stay_utf8() {
        let text = "Министр финансов заявил, что бюджет будет принят в срок.";
        let mut bytes = text.as_bytes().to_vec();
        // A stray byte after "Министр " and a character cut in half at the end.
        bytes.insert(15, 0xFF);
        bytes.extend_from_slice(&"ё".as_bytes()[..1]);
        let decoded = decode(&bytes, &Hints::default()).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.had_errors);
        assert!(
            decoded.text.starts_with("Министр \u{FFFD}финансов"),
            "{}",
            decoded.text
        );
        assert!(decoded.text.ends_with("срок.\u{FFFD}"), "{}", decoded.text);
    }

    #[test]
    fn owned_utf8_is_not_copied_wrongly() {
        let decoded = decode_owned(b"\xEF\xBB\xBFplain".to_vec(), &Hints::default()).unwrap();
        assert_eq!(decoded.text, "plain");
        assert_eq!(decoded.evidence, Evidence::Bom);
    }
}
