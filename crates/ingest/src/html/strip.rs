//! Dropping the contents of `<script>` and `<style>` elements before parsing.
//!
//! On news pages, scripts and style sheets are often more than half of the bytes, and none of
//! it is text a reader sees; the parser would still tokenize every byte. A light scan over the
//! markup finds these elements the way the HTML tokenizer does (a tag name after `<`,
//! attributes with their quotes, the raw text up to the first matching end tag) and leaves the
//! element empty (`<noscript>` and `<svg>` too, which the extractor never reads). Comments and the other
//! raw-text elements (`<textarea>`, `<title>`, …) are passed over whole, so a `<script` inside
//! them is not taken for a tag. JSON-LD scripts are kept: they carry the page's metadata.
//!
//! Start tags lose the attributes the extractor never reads (image sources, `srcset`, `data-*`,
//! event handlers), and start tags nested deeper than any real page nests are left out: the
//! parser's time grows with the square of the nesting depth.
//!
//! Not done: anything else. The parser sees the same elements in the same places; only the
//! raw text inside these two is gone.

use std::borrow::Cow;

/// Whether `bytes[at..]` starts with `name` in any case, followed by a byte that ends a tag
/// name.
fn tag_name_at(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    bytes.len() > at + name.len()
        && bytes[at..at + name.len()].eq_ignore_ascii_case(name)
        && matches!(
            bytes[at + name.len()],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
        )
}

/// The index just past the `>` that closes the tag whose name starts at `from`, skipping
/// quoted attribute values; `None` when the markup ends first.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut quote: Option<u8> = None;
    // Quotes only open an attribute value after `=` (and white space).
    let mut after_equals = false;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'>' => return Some(i + 1),
                b'"' | b'\'' if after_equals => quote = Some(b),
                b'=' => {
                    after_equals = true;
                    i += 1;
                    continue;
                }
                b' ' | b'\t' | b'\n' | b'\r' => {
                    i += 1;
                    continue;
                }
                _ => {}
            },
        }
        after_equals = false;
        i += 1;
    }
    None
}

/// Where the raw text of a `name` element that starts at `from` ends: the index of its end
/// tag `</name`, or `None` when there is none.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(offset) = memchr(b'<', &bytes[i..]) {
        let at = i + offset;
        if bytes.get(at + 1) == Some(&b'/') && tag_name_at(bytes, at + 2, name) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    memchr::memchr(needle, haystack)
}

/// Whether an open tag's attributes say the script is JSON-LD.
fn is_json_ld(tag: &[u8]) -> bool {
    tag.windows(7).any(|w| w.eq_ignore_ascii_case(b"ld+json"))
}

/// Elements whose contents the tokenizer reads as raw text, up to their end tag, and whether
/// that text goes (it is never text of the story) or stays (it is passed over, so that a
/// `<script` inside it is not taken for a tag).
const RAW_TEXT: &[(&[u8], bool)] = &[
    (b"script", true),
    (b"style", true),
    (b"noscript", true),
    // Not raw text to the tokenizer, but drawings with no words of the story; what sits
    // between a nested drawing's end and its parent's end stays, as elements without text.
    (b"svg", true),
    (b"textarea", false),
    (b"title", false),
    (b"xmp", false),
    (b"iframe", false),
    (b"noembed", false),
    (b"noframes", false),
];

/// How deep elements may nest. The parser's cost grows with the square of the depth (each
/// start tag looks through the stack of open elements), so a page of fifty thousand nested
/// boxes would take seconds; no real page comes near this.
const MAX_DEPTH: u32 = 1024;

/// Elements that never have an end tag, or whose end tag may be left out: they are not
/// counted for the depth, since their start tags need not nest.
const NOT_COUNTED: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"rb",
    b"rt",
    b"rp",
    b"html",
    b"head",
    b"body",
];

/// Attributes the extractor reads; the parser is spared the others (image sources, `srcset`,
/// `data-*`, event handlers: on modern pages a fifth of the markup).
const KEPT_ATTRIBUTES: &[&[u8]] = &[
    b"class",
    b"id",
    b"role",
    b"itemprop",
    b"rel",
    b"hidden",
    b"aria-hidden",
    b"style",
    b"datetime",
    b"pubdate",
    b"content",
    b"property",
    b"name",
    b"http-equiv",
    b"lang",
    b"xml:lang",
    b"type",
];

/// The start tag `html[at..end]` (name ending at `name_end`) with only the attributes the
/// extractor reads (and `href` on `<link>`), or `None` when it has no others.
fn trimmed_tag(html: &str, at: usize, name_end: usize, end: usize) -> Option<String> {
    let bytes = html.as_bytes();
    let is_link = bytes[at + 1..name_end].eq_ignore_ascii_case(b"link");
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut dropped_any = false;
    let mut i = name_end;
    let stop = end - 1; // the closing '>'
    while i < stop {
        let b = bytes[i];
        if b.is_ascii_whitespace() || b == b'/' {
            i += 1;
            continue;
        }
        let start = i;
        while i < stop
            && !matches!(
                bytes[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'='
            )
        {
            i += 1;
        }
        if i == start {
            i += 1; // a stray '=': one byte, like the tokenizer's name start
        }
        let name = &bytes[start..i];
        let mut j = i;
        while j < stop && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < stop && bytes[j] == b'=' {
            j += 1;
            while j < stop && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < stop && (bytes[j] == b'"' || bytes[j] == b'\'') {
                let quote = bytes[j];
                j += 1;
                while j < stop && bytes[j] != quote {
                    j += 1;
                }
                j = (j + 1).min(stop);
            } else {
                while j < stop && !bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
            }
            i = j;
        }
        let keep = KEPT_ATTRIBUTES.iter().any(|k| k.eq_ignore_ascii_case(name))
            || (is_link && name.eq_ignore_ascii_case(b"href"));
        if keep {
            kept.push((start, i));
        } else {
            dropped_any = true;
        }
    }
    if !dropped_any {
        return None;
    }
    // Attribute bounds fall on ASCII bytes (white space, quotes, '=', '/', '>'), so the
    // slices are whole characters.
    let mut tag = String::with_capacity(end - at);
    tag.push_str(&html[at..name_end]);
    for (start, stop) in kept {
        tag.push(' ');
        tag.push_str(&html[start..stop]);
    }
    if end >= 2 && bytes[end - 2] == b'/' {
        tag.push_str(" /");
    }
    tag.push('>');
    Some(tag)
}

/// The length of the tag name that starts at `at` (ASCII letters, digits, '-', ':').
fn name_len(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
        .count()
}

fn counted(name: &[u8]) -> bool {
    !NOT_COUNTED.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The page made cheap to parse: the raw text of its scripts (except JSON-LD), style sheets,
/// `<noscript>` and `<svg>` removed, and start tags beyond [`MAX_DEPTH`] of nesting left out
/// (with as many of their end tags).
pub(crate) fn strip_raw_text(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    let mut depth: u32 = 0;
    let mut dropped: u32 = 0;
    // Copies the page up to `from` and skips to `to`.
    let cut = |out: &mut Option<String>, copied: &mut usize, from: usize, to: usize| {
        let out = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
        // Cuts start at '<' or after '>' and end at '<' or after '>': ASCII bytes, so
        // character boundaries.
        out.push_str(&html[*copied..from]);
        *copied = to;
    };
    while let Some(offset) = memchr(b'<', &bytes[i..]) {
        let at = i + offset;
        i = at + 1;
        let next = bytes.get(at + 1).copied().unwrap_or(0);
        if next == b'!' {
            if bytes[at + 1..].starts_with(b"!--") {
                // A comment runs to the next "-->" (or to the end of the page).
                match find(bytes, at + 4, b"-->") {
                    Some(end) => i = end + 3,
                    None => break,
                }
            }
            continue;
        }
        if next == b'/' {
            let len = name_len(bytes, at + 2);
            if len > 0 && counted(&bytes[at + 2..at + 2 + len]) {
                if dropped > 0 {
                    let Some(end) = tag_end(bytes, at + 2 + len) else {
                        break;
                    };
                    dropped -= 1;
                    cut(&mut out, &mut copied, at, end);
                    i = end;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
            continue;
        }
        let len = name_len(bytes, at + 1);
        if len == 0 || !next.is_ascii_alphabetic() {
            continue;
        }
        let name = &bytes[at + 1..at + 1 + len];
        let Some(open_end) = tag_end(bytes, at + 1 + len) else {
            break;
        };
        i = open_end;
        if let Some(&(raw, strip)) = RAW_TEXT
            .iter()
            .find(|(raw, _)| raw.eq_ignore_ascii_case(name))
        {
            let Some(close) = raw_text_end(bytes, open_end, raw) else {
                break;
            };
            let keep = !strip || (raw == b"script" && is_json_ld(&bytes[at..open_end]));
            if !keep && close > open_end {
                cut(&mut out, &mut copied, open_end, close);
            }
            i = close;
            continue;
        }
        let self_closing = open_end >= 2 && bytes[open_end - 2] == b'/';
        if !self_closing && counted(name) {
            if depth >= MAX_DEPTH {
                dropped += 1;
                cut(&mut out, &mut copied, at, open_end);
                continue;
            }
            depth += 1;
        }
        if let Some(tag) = trimmed_tag(html, at, at + 1 + len, open_end) {
            cut(&mut out, &mut copied, at, open_end);
            if let Some(out) = out.as_mut() {
                out.push_str(&tag);
            }
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_styles_are_emptied() {
        let html = "<p>a</p><SCRIPT type=\"text/javascript\">if (a<b) { x = '</p>'; }</script >\
                    <style>p > a { color: red }</style><p>b</p>";
        assert_eq!(
            strip_raw_text(html),
            "<p>a</p><SCRIPT type=\"text/javascript\"></script ><style></style><p>b</p>"
        );
    }

    #[test]
    fn json_ld_comments_and_quoted_brackets_are_kept() {
        let html = "<script type=\"application/ld+json\">{\"a\": \"<b>\"}</script>\
                    <!-- <script> not a tag --><p title=\"x > y\">text</p>\
                    <script data-x=\"a>b\">code</script><p>after</p>";
        let stripped = strip_raw_text(html);
        assert!(stripped.contains("{\"a\": \"<b>\"}"));
        // The quoted '>' does not end the tag (whose unread title goes).
        assert!(stripped.contains("<!-- <script> not a tag --><p>text</p>"));
        assert!(stripped.contains("<script data-x=\"a>b\"></script><p>after</p>"));
    }

    #[test]
    fn script_words_inside_other_raw_text_are_text() {
        let html = "<textarea><script></textarea><p>kept</p><script>x</script>";
        assert_eq!(
            strip_raw_text(html),
            "<textarea><script></textarea><p>kept</p><script></script>"
        );
    }

    #[test]
    fn unread_attributes_are_dropped() {
        let html = "<div class=\"a b\" data-x='1>2' onclick=go()><img src=x.jpg srcset=\"a 1x, b 2x\" \
                    alt=Photo/><link rel=canonical href=/c><a href=\"/x\" id=k>t</a></div>";
        assert_eq!(
            strip_raw_text(html),
            "<div class=\"a b\">\
             <img /><link rel=canonical href=/c><a id=k>t</a></div>"
        );
    }

    #[test]
    fn nesting_is_capped() {
        let depth = MAX_DEPTH as usize + 10;
        let html = format!(
            "{}<p>text</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let stripped = strip_raw_text(&html);
        assert_eq!(stripped.matches("<div>").count(), MAX_DEPTH as usize);
        assert_eq!(stripped.matches("</div>").count(), MAX_DEPTH as usize);
        assert!(stripped.contains("<p>text</p>"));
        // Tags whose end may be left out do not count.
        let many = "<p>one".repeat(3 * MAX_DEPTH as usize);
        assert_eq!(strip_raw_text(&many), many);
    }

    #[test]
    fn unfinished_markup_is_left_alone() {
        for html in [
            "<script>never closed",
            "<script",
            "<!-- open",
            "<style x=\"",
            "<",
            "",
        ] {
            assert_eq!(strip_raw_text(html), html);
        }
    }

    proptest::proptest! {
        #[test]
        fn html_tags_of_any_shape_never_panic(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "<[a-zA-Z]{1,7}( [a-z:-]{0,8}(=(\"[^\"]{0,10}\"|'[^']{0,10}'|[^ >]{0,8}))?){0,4} ?/?>",
                    "</[a-zA-Z]{1,7} ?>",
                    "<!--.{0,10}(-->)?",
                    ".{0,12}",
                ],
                0..40,
            )
        ) {
            let html = parts.concat();
            let stripped = strip_raw_text(&html);
            // Only a self-closing tag can grow (by the space before its slash).
            proptest::prop_assert!(stripped.len() <= html.len() + 2 * parts.len());
        }
    }
}
