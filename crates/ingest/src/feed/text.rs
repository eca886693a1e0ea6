//! Text inside feed elements: CDATA sections, XML and HTML character references, and the HTML
//! fragments that `description`, `content:encoded` and Atom `content` carry, turned into plain
//! paragraphs.
//!
//! Feeds are sloppy here: HTML escaped once or twice, HTML entities (`&nbsp;`, `&laquo;`) that
//! XML does not define, raw unescaped markup inside RSS elements. Everything in this module is
//! total: any input gives some text, never an error.
//!
//! Not for: whole web pages (the `html` module extracts those).

/// The value of an XML element from its raw inner markup (as it stands between the start and
/// end tags): CDATA sections unwrapped, comments dropped, and, when there are no child elements,
/// character references decoded. With child elements (unescaped HTML in an RSS element, Atom
/// `type="xhtml"`) the markup is kept as it is, references included, for the HTML reading.
pub(crate) fn element_value(raw: &str) -> String {
    let has_children = has_child_elements(raw);
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            out.push_str(&after[..end]);
            rest = after.get(end + 3..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else {
            // Skip the first character (maybe the `<` of a tag) before looking for the next.
            let skip = rest.chars().next().map_or(1, char::len_utf8);
            let next = rest[skip..].find('<').map_or(rest.len(), |i| i + skip);
            let (chunk, tail) = rest.split_at(next);
            if has_children {
                out.push_str(chunk);
            } else {
                decode_references_into(chunk, &mut out);
            }
            rest = tail;
        }
    }
    out
}

/// Whether raw inner markup holds child elements (a `<` that opens a tag, outside CDATA and
/// comments).
fn has_child_elements(raw: &str) -> bool {
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("<![CDATA[") {
            rest = after.find("]]>").map_or("", |end| &after[end + 3..]);
        } else if let Some(after) = tail.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if tail[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') {
            return true;
        } else {
            rest = &tail[1..];
        }
    }
    false
}

/// Whether text holds HTML markup: a tag or a character reference. Plain text with a lone `<`
/// or `&` ("a < b", "AT&T") does not count.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => {
                let rest = &text[i + 1..];
                let name_start = rest.strip_prefix('/').unwrap_or(rest);
                if name_start.starts_with(|c: char| c.is_ascii_alphabetic())
                    && rest.as_bytes()[..rest.len().min(2_000)].contains(&b'>')
                {
                    return true;
                }
                if rest.starts_with("!--") {
                    return true;
                }
            }
            b'&' if reference_at(&text[i..]).is_some() => return true,
            _ => {}
        }
    }
    false
}

/// Decodes every character reference in `text` that it knows (numeric, the XML five, the HTML
/// entities news feeds use); unknown ones stay as written.
pub(crate) fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    decode_references_into(text, &mut out);
    out
}

fn decode_references_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match reference_at(tail) {
            Some((decoded, len)) => {
                decoded.push_to(out);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

/// A decoded reference: one character or a short string.
enum Decoded {
    Char(char),
    Str(&'static str),
}

impl Decoded {
    fn push_to(&self, out: &mut String) {
        match self {
            Decoded::Char(c) => out.push(*c),
            Decoded::Str(s) => out.push_str(s),
        }
    }
}

/// The reference starting `text` (which begins with `&`) and its length in bytes.
fn reference_at(text: &str) -> Option<(Decoded, usize)> {
    let body = text.get(1..)?;
    let end = body.bytes().take(32).position(|b| b == b';')?;
    let name = &body[..end];
    let len = end + 2;
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        // Windows-1252 code points written as numbers (&#150;) are a common mistake of
        // Russian and Western CMSs alike; NUL and invalid scalars become U+FFFD.
        let c = match code {
            0x80..=0x9f => windows_1252_c1(code),
            0 => '\u{fffd}',
            _ => char::from_u32(code).unwrap_or('\u{fffd}'),
        };
        return Some((Decoded::Char(c), len));
    }
    named_entity(name).map(|d| (d, len))
}

fn windows_1252_c1(code: u32) -> char {
    let table = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    usize::try_from(code - 0x80)
        .ok()
        .and_then(|i| table.get(i))
        .copied()
        .unwrap_or('\u{fffd}')
}

/// The named references of XML and the HTML ones that turn up in news feeds.
fn named_entity(name: &str) -> Option<Decoded> {
    let c = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => return Some(Decoded::Str("")),
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "prime" => '′',
        "Prime" => '″',
        "ndash" => '–',
        "mdash" => '—',
        "minus" => '−',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "plusmn" => '±',
        "times" => '×',
        "divide" => '÷',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "sup2" => '²',
        "sup3" => '³',
        "micro" => 'µ',
        "para" => '¶',
        "sect" => '§',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "iexcl" => '¡',
        "iquest" => '¿',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "uml" => '¨',
        "acute" => '´',
        "numero" => '№',
        _ => return None,
    };
    Some(Decoded::Char(c))
}

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "iframe",
    "object",
    "svg",
    "template",
    "figcaption",
    "head",
    "button",
    "form",
    "select",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "pre",
    "hr",
    "dd",
    "dt",
    "dl",
    "aside",
    "main",
    "nav",
    "address",
    "center",
    "body",
    "html",
];

/// Plain text from an HTML fragment: one paragraph per block (separated by a blank line),
/// `<br>` as a line break, scripts, styles and captions dropped, references decoded, runs of
/// spaces collapsed.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        decode_references_into(&rest[..i], &mut raw);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if let Some(after) = tail.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            raw.push_str(&after[..end]);
            rest = after.get(end + 3..).unwrap_or("");
            continue;
        }
        let Some((name, closing, len)) = tag_at(tail) else {
            raw.push('<');
            rest = &tail[1..];
            continue;
        };
        rest = &tail[len..];
        let lower = name.to_ascii_lowercase();
        if !closing && SKIPPED.contains(&lower.as_str()) {
            rest = skip_element(rest, &lower);
        } else if lower == "br" {
            raw.push('\n');
        } else if BLOCKS.contains(&lower.as_str()) {
            raw.push_str("\n\n");
        } else if matches!(lower.as_str(), "td" | "th") {
            raw.push(' ');
        }
    }
    decode_references_into(rest, &mut raw);
    tidy_paragraphs(&raw)
}

/// The tag at the start of `text`: its name, whether it is a closing tag, and its length up to
/// and including `>`. `None` when `text` does not start a tag (a lone `<`).
fn tag_at(text: &str) -> Option<(&str, bool, usize)> {
    let body = &text[1..];
    let (closing, body) = match body.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, body),
    };
    if body.starts_with('!') || body.starts_with('?') {
        let end = text.find('>')?;
        return Some(("!", closing, end + 1));
    }
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(body.len());
    if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = tag_end(text)?;
    Some((&body[..name_len], closing, end))
}

/// The byte length of the tag starting `text`, quotes in attribute values respected.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The rest of the text after the end tag of a skipped element (or nothing when it never ends).
fn skip_element<'a>(text: &'a str, name: &str) -> &'a str {
    let mut rest = text;
    while let Some(i) = rest.find("</") {
        let tail = &rest[i + 2..];
        if tail.len() >= name.len()
            && tail.is_char_boundary(name.len())
            && tail[..name.len()].eq_ignore_ascii_case(name)
        {
            return tail.find('>').map_or("", |end| &tail[end + 1..]);
        }
        rest = tail;
    }
    ""
}

/// Collapses spaces inside lines, trims lines, and keeps at most one blank line between
/// paragraphs.
pub(crate) fn tidy_paragraphs(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_pending = false;
    for line in raw.split('\n') {
        let mut words = line
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty());
        let Some(first) = words.next() else {
            blank_pending = !out.is_empty();
            continue;
        };
        if !out.is_empty() {
            out.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        blank_pending = false;
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}

/// A one-line text (a title, a name) from a value that may hold markup or references.
pub(crate) fn one_line(value: &str) -> String {
    let text = if looks_like_html(value) {
        html_to_text(value)
    } else {
        value.to_string()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_values() {
        assert_eq!(element_value("AT&amp;T &laquo;x&raquo;"), "AT&T «x»");
        assert_eq!(
            element_value("<![CDATA[<p>A &amp; B</p>]]>"),
            "<p>A &amp; B</p>"
        );
        assert_eq!(
            element_value("&lt;p&gt;A &amp;amp; B&lt;/p&gt;"),
            "<p>A &amp; B</p>"
        );
        assert_eq!(
            element_value("<p>A &amp; B</p><!-- c -->"),
            "<p>A &amp; B</p>"
        );
        assert_eq!(element_value("a &bogus; & b"), "a &bogus; & b");
        assert_eq!(element_value("&#1055;&#x440;&#150;"), "Пр–");
    }

    #[test]
    fn html_fragments_become_paragraphs() {
        let html = "<p>First &laquo;one&raquo;.</p><p>Second<br>line</p>\
                    <script>var x = '<p>';</script><figure><img src=x><figcaption>Photo: AP\
                    </figcaption></figure><div>Third &nbsp; part</div>";
        assert_eq!(
            html_to_text(html),
            "First «one».\n\nSecond\nline\n\nThird part"
        );
        assert_eq!(html_to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(html_to_text("<a href=\"x>y\">link</a> text"), "link text");
    }

    #[test]
    fn markup_detection() {
        assert!(looks_like_html("<p>x</p>"));
        assert!(looks_like_html("a &amp; b"));
        assert!(!looks_like_html("a < b, AT&T"));
        assert_eq!(
            one_line("  A <b>bold</b>\n title &amp; more "),
            "A bold title & more"
        );
    }
}
