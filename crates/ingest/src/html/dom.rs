//! The page as the extractor sees it: one walk over the parsed HTML tree gives a flat list of
//! elements (in document order, each knowing its parent and where its subtree ends), the text
//! blocks a reader would see as paragraphs, and the raw material for metadata (meta tags,
//! JSON-LD, `<time>` elements, bylines).
//!
//! What never holds an article's words (scripts, styles, forms' controls, embedded media,
//! hidden elements, figure captions) is not walked at all. Everything else is kept, with flags
//! saying what the markup claims an element is (navigation, a share bar, comments, the main
//! content), for the body selection in `body.rs` to weigh.
//!
//! The walk is iterative, so a page nested a hundred thousand elements deep costs memory in
//! proportion, not stack.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use ego_tree::NodeRef;
use scraper::Node as HtmlNode;

/// What an element is, as far as extraction cares; everything unnamed is [`Tag::Inline`] or
/// [`Tag::Block`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// The document itself (index 0 of [`Page::nodes`]).
    Root,
    Body,
    P,
    /// `h1`–`h6`, with the level.
    Heading(u8),
    Li,
    List,
    Cell,
    Pre,
    Quote,
    Article,
    Main,
    /// `header`, `footer`, `nav`, `aside`: page regions that rarely hold the body.
    Region,
    Table,
    /// Any other element that starts a new line (`div`, `section`, …).
    Block,
    /// An element that flows within a line (`span`, `a`, `em`, unknown names).
    Inline,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "p" => Tag::P,
            "h1" => Tag::Heading(1),
            "h2" => Tag::Heading(2),
            "h3" => Tag::Heading(3),
            "h4" => Tag::Heading(4),
            "h5" => Tag::Heading(5),
            "h6" => Tag::Heading(6),
            "li" | "dt" | "dd" => Tag::Li,
            "ul" | "ol" | "dl" | "menu" | "dir" => Tag::List,
            "td" | "th" => Tag::Cell,
            "pre" => Tag::Pre,
            "blockquote" => Tag::Quote,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "header" | "footer" | "nav" | "aside" => Tag::Region,
            "table" => Tag::Table,
            "body" => Tag::Body,
            "div" | "section" | "address" | "center" | "details" | "summary" | "fieldset"
            | "figure" | "form" | "hgroup" | "tr" | "tbody" | "thead" | "tfoot" | "caption"
            | "legend" | "html" | "hr" | "br" | "search" => Tag::Block,
            _ => Tag::Inline,
        }
    }

    /// Whether the element starts and ends a line of its own.
    pub(crate) fn is_block(self) -> bool {
        self != Tag::Inline
    }
}

/// The markup says this element is page furniture (class, id or role names such as
/// "share-bar", "comments", `role="navigation"`).
pub(crate) const FURNITURE: u8 = 1;
/// The element is `header`, `footer`, `nav` or `aside`.
pub(crate) const REGION: u8 = 2;
/// The markup says this element is the main content: `<main>`, `role="main"`,
/// `itemprop="articleBody"`.
pub(crate) const MAIN: u8 = 4;

/// One element of the page.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    /// Index of the parent in [`Page::nodes`] (the root is its own parent).
    pub parent: u32,
    /// One past the index of the last element in this one's subtree.
    pub end: u32,
    pub tag: Tag,
    /// [`FURNITURE`], [`REGION`], [`MAIN`].
    pub flags: u8,
}

/// A paragraph as a reader sees it: the text of one block element, or of a run of inline
/// content between block elements.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// The innermost block element holding the text.
    pub node: u32,
    /// Byte range in [`Page::text`].
    pub start: u32,
    pub end: u32,
    /// Characters of text, and those inside links.
    pub chars: u32,
    pub link_chars: u32,
}

/// A `<time>` element.
#[derive(Debug, Clone)]
pub(crate) struct TimeMark {
    pub node: u32,
    /// The `datetime` attribute, or the element's text.
    pub value: String,
    /// What the markup says the time is: `Some(true)` published, `Some(false)` modified.
    pub published: Option<bool>,
}

/// Everything one walk over the page finds.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub nodes: Vec<Element>,
    pub blocks: Vec<Block>,
    /// The text of all blocks, one after the other.
    pub text: String,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `<title>`.
    pub title: Option<String>,
    /// `(name, content)` of `<meta>` elements, the name from `property`, `name`, `itemprop`
    /// or `http-equiv`, lower-cased.
    pub metas: Vec<(String, String)>,
    /// `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// The contents of `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
    pub times: Vec<TimeMark>,
    /// Texts of elements the markup marks as naming the author (`itemprop="author"`,
    /// `rel="author"`, class "byline" or "author"), in document order.
    pub bylines: Vec<String>,
    /// The `<h1>` elements: their indices in `nodes`.
    pub h1s: Vec<u32>,
}

impl Page {
    /// The text of a block.
    pub(crate) fn block_text(&self, block: &Block) -> &str {
        &self.text[block.start as usize..block.end as usize]
    }

    /// Whether element `inner` is `outer` or inside it.
    pub(crate) fn contains(&self, outer: u32, inner: u32) -> bool {
        outer <= inner && inner < self.nodes[outer as usize].end
    }
}

/// What a word of a class or id name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Strong,
    Weak,
    Content,
    Embed,
    /// "non", "no": the next word does not count ("non-ad-column").
    Negation,
}

/// The class and id name lists (see `data/html/README.md`).
struct Names {
    words: HashMap<&'static str, WordClass, BuildHasherDefault<Fnv>>,
    names: HashMap<&'static str, (), BuildHasherDefault<Fnv>>,
    glued: Vec<&'static str>,
    /// The length of the shortest glued piece: shorter names need no search for one.
    glued_min: usize,
}

static FURNITURE_NAMES: LazyLock<Names> = LazyLock::new(|| {
    let mut names = Names {
        words: HashMap::default(),
        names: HashMap::default(),
        glued: Vec::new(),
        glued_min: 0,
    };
    for &w in CONTENT_WORDS {
        names.words.insert(w, WordClass::Content);
    }
    for &w in EMBED_WORDS {
        names.words.insert(w, WordClass::Embed);
    }
    for w in ["non", "no", "not"] {
        names.words.insert(w, WordClass::Negation);
    }
    let mut section = "";
    for line in include_str!("../../data/html/boilerplate.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        for entry in line.split_whitespace() {
            match section {
                "strong" => {
                    names.words.insert(entry, WordClass::Strong);
                }
                "weak" => {
                    names.words.entry(entry).or_insert(WordClass::Weak);
                }
                "name" => {
                    names.names.insert(entry, ());
                }
                "glued" => names.glued.push(entry),
                _ => {}
            }
        }
    }
    names.glued_min = names.glued.iter().map(|g| g.len()).min().unwrap_or(0);
    names
});

/// Words of class and id names that mark the article's body.
const CONTENT_WORDS: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "story", "text",
];

/// Words of class and id names that mark an embedded post (a tweet, a video): part of the
/// story even when the names also say "social" or "twitter".
const EMBED_WORDS: &[&str] = &["embed", "embedded", "oembed", "tweet"];

/// What the names in a class or id attribute say.
#[derive(Debug, Clone, Copy, Default)]
struct NameSignals {
    embed: bool,
    strong: bool,
    weak: bool,
    content: bool,
}

/// What a class or id attribute value says, worked out once per distinct value on a page
/// (pages repeat the same few values on thousands of elements).
#[derive(Debug, Clone, Copy, Default)]
struct NameFacts {
    signals: NameSignals,
    /// Names a byline or author element.
    author: bool,
    /// Names a publication time ("published", "posted").
    published: bool,
    /// Names a modification time ("updated", "modified").
    modified: bool,
}

impl NameFacts {
    fn of(value: &str) -> NameFacts {
        let mut facts = NameFacts::default();
        name_signals(value, &mut facts.signals);
        facts.author = lower_contains(value, "byline") || lower_contains(value, "author");
        facts.published = lower_contains(value, "publish") || lower_contains(value, "posted");
        facts.modified = lower_contains(value, "updated") || lower_contains(value, "modified");
        facts
    }
}

/// FNV-1a, for the per-page table of class names: short keys, no untrusted-key worries
/// beyond one page, which the table's size cap bounds.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type NameTable = HashMap<String, NameFacts, BuildHasherDefault<Fnv>>;

/// Reads the names of a class or id attribute value. Each name is lower-cased (ASCII) into a
/// stack buffer and split into words at non-letters and at lower-to-upper case changes.
fn name_signals(value: &str, signals: &mut NameSignals) {
    let names = &*FURNITURE_NAMES;
    let mut lower = [0u8; 64];
    for name in value.split_ascii_whitespace() {
        let bytes = name.as_bytes();
        if bytes.len() > lower.len() {
            continue; // generated names (hashes, encoded state) say nothing
        }
        for (l, b) in lower.iter_mut().zip(bytes) {
            *l = b.to_ascii_lowercase();
        }
        // ASCII lower-casing leaves other bytes as they are, so this is still UTF-8.
        let Ok(whole) = std::str::from_utf8(&lower[..bytes.len()]) else {
            continue;
        };
        let glued = whole.len() >= names.glued_min && names.glued.iter().any(|g| whole.contains(g));
        if glued || names.names.contains_key(whole) {
            signals.strong = true;
        }
        let mut negated = false;
        let mut start = 0;
        for i in 0..=bytes.len() {
            let boundary = i == bytes.len()
                || !(bytes[i].is_ascii_alphabetic() || bytes[i] >= 0x80)
                || (i > 0 && bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase());
            if !boundary {
                continue;
            }
            if i > start {
                let word = &whole[start..i];
                let class = names.words.get(word).copied();
                if negated {
                    negated = false;
                } else {
                    match class {
                        Some(WordClass::Negation) => negated = true,
                        Some(WordClass::Embed) => signals.embed = true,
                        Some(WordClass::Strong) => signals.strong = true,
                        Some(WordClass::Weak) => signals.weak = true,
                        Some(WordClass::Content) => signals.content = true,
                        None => {}
                    }
                }
            }
            // A case change starts the next word at this letter; anything else is skipped.
            start = if i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i
            } else {
                i + 1
            };
        }
    }
}

/// Whether an inline `style` hides the element.
fn style_hides(style: &str) -> bool {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

/// Elements never walked: they hold no words a reader of the article sees.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "picture"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "figcaption"
            | "dialog"
            | "map"
    )
}

/// The text being gathered into the next block.
struct Pending {
    text_start: usize,
    chars: u32,
    link_chars: u32,
    /// A space is owed before the next word.
    space: bool,
}

struct Walker {
    page: Page,
    /// Open elements that have a node: (ego-tree id, index in `page.nodes`).
    open: Vec<(ego_tree::NodeId, u32)>,
    /// Open block elements (indices in `page.nodes`); the last owns the pending text.
    owners: Vec<u32>,
    pending: Pending,
    link_depth: u32,
    pre_depth: u32,
    in_head: u32,
    in_title: bool,
    title: String,
    names: NameTable,
    /// How many times the text under an element was gathered (for bylines and times).
    text_reads: u32,
}

/// The most elements whose text is gathered for bylines and `<time>` values.
const MAX_TEXT_READS: u32 = 64;

impl Walker {
    fn new(capacity: usize) -> Walker {
        let mut page = Page {
            text: String::with_capacity(capacity / 8),
            ..Page::default()
        };
        page.nodes.push(Element {
            parent: 0,
            end: u32::MAX,
            tag: Tag::Root,
            flags: 0,
        });
        Walker {
            page,
            open: Vec::new(),
            owners: vec![0],
            pending: Pending {
                text_start: 0,
                chars: 0,
                link_chars: 0,
                space: false,
            },
            link_depth: 0,
            pre_depth: 0,
            in_head: 0,
            in_title: false,
            title: String::new(),
            text_reads: 0,
            names: NameTable::default(),
        }
    }

    /// Ends the pending block, keeping it when it has any text.
    fn flush(&mut self) {
        let text_len = self.page.text.len();
        if self.pending.chars > 0 {
            let node = self.owners.last().copied().unwrap_or(0);
            self.page.blocks.push(Block {
                node,
                start: self.pending.text_start as u32,
                end: text_len as u32,
                chars: self.pending.chars,
                link_chars: self.pending.link_chars,
            });
        } else {
            self.page.text.truncate(self.pending.text_start);
        }
        let text_len = self.page.text.len();
        self.pending = Pending {
            text_start: text_len,
            chars: 0,
            link_chars: 0,
            space: false,
        };
    }

    fn push_text(&mut self, text: &str) {
        if self.in_title {
            self.title.push_str(text);
            return;
        }
        if self.in_head > 0 {
            return;
        }
        let in_link = self.link_depth > 0;
        if self.pre_depth > 0 {
            // Preformatted text keeps its lines apart.
            let mut lines = text.split('\n');
            if let Some(first) = lines.next() {
                self.push_words(first, in_link);
            }
            for line in lines {
                self.flush();
                self.push_words(line, in_link);
            }
        } else {
            self.push_words(text, in_link);
        }
    }

    /// Appends text with its white space collapsed (no-break spaces count as spaces; soft
    /// hyphens and zero-width characters are dropped).
    fn push_words(&mut self, text: &str, in_link: bool) {
        if text.starts_with(char::is_whitespace) {
            self.pending.space = self.pending.chars > 0;
        }
        for word in text.split(char::is_whitespace) {
            if word.is_empty() {
                continue;
            }
            if self.pending.space {
                self.page.text.push(' ');
                self.pending.space = false;
                self.pending.chars += 1;
                self.pending.link_chars += u32::from(in_link);
            }
            let before = self.page.text.len();
            if word.contains(['\u{ad}', '\u{200b}', '\u{feff}']) {
                self.page.text.extend(
                    word.chars()
                        .filter(|c| !matches!(c, '\u{ad}' | '\u{200b}' | '\u{feff}')),
                );
            } else {
                self.page.text.push_str(word);
            }
            let chars = if word.is_ascii() {
                self.page.text.len() - before
            } else {
                self.page.text[before..].chars().count()
            } as u32;
            self.pending.chars += chars;
            if in_link {
                self.pending.link_chars += chars;
            }
            // Every word but the last is followed by white space.
            self.pending.space = true;
        }
        if !text.ends_with(char::is_whitespace) {
            // The last word runs on into the next text ("<b>bold</b>face").
            self.pending.space = false;
        }
    }

    /// Handles an element's start; returns whether to walk into it.
    fn open_element(
        &mut self,
        node: NodeRef<'_, HtmlNode>,
        element: &scraper::node::Element,
    ) -> bool {
        let name = element.name();
        if is_skipped(name) {
            if name == "script" {
                let json_ld = element.attrs().any(|(k, v)| {
                    k == "type" && v.trim().eq_ignore_ascii_case("application/ld+json")
                });
                if json_ld {
                    let mut script = String::new();
                    for child in node.children() {
                        if let HtmlNode::Text(text) = child.value() {
                            script.push_str(text);
                        }
                    }
                    self.page.json_ld.push(script);
                }
            }
            return false;
        }
        match name {
            "head" => {
                self.in_head += 1;
                return true;
            }
            "title" => {
                if self.page.title.is_none() && !self.in_title && self.in_head > 0 {
                    self.in_title = true;
                    return true;
                }
                return false;
            }
            "meta" => {
                self.read_meta(element);
                return false;
            }
            "link" => {
                self.read_link(element);
                return false;
            }
            _ => {}
        }

        let mut flags = 0;
        let mut signals = NameSignals::default();
        let mut author = false;
        let mut time_hint: Option<bool> = None;
        let mut datetime: Option<&str> = None;
        for (key, value) in element.attrs() {
            match key {
                "class" | "id" => {
                    let facts = match self.names.get(value) {
                        Some(facts) => *facts,
                        None => {
                            let facts = NameFacts::of(value);
                            if self.names.len() < 4096 {
                                self.names.insert(value.to_string(), facts);
                            }
                            facts
                        }
                    };
                    signals.embed |= facts.signals.embed;
                    signals.strong |= facts.signals.strong;
                    signals.weak |= facts.signals.weak;
                    signals.content |= facts.signals.content;
                    author |= facts.author;
                    if facts.modified {
                        time_hint = Some(false);
                    } else if facts.published {
                        time_hint = time_hint.or(Some(true));
                    }
                }
                "hidden" => return false,
                "aria-hidden" if value.trim().eq_ignore_ascii_case("true") => return false,
                "style" if style_hides(value) => return false,
                "role" => match value.trim().to_ascii_lowercase().as_str() {
                    "navigation" | "banner" | "contentinfo" | "complementary" | "search"
                    | "menu" | "menubar" | "dialog" | "alertdialog" | "toolbar" => {
                        flags |= FURNITURE
                    }
                    "main" | "article" => flags |= MAIN,
                    _ => {}
                },
                "itemprop" => {
                    let value = value.to_ascii_lowercase();
                    if value.contains("articlebody") {
                        flags |= MAIN;
                    }
                    if value.split_ascii_whitespace().any(|v| v == "author") {
                        author = true;
                    }
                    if value.contains("datepublished") {
                        time_hint = Some(true);
                    } else if value.contains("datemodified") {
                        time_hint = Some(false);
                    }
                    if (value == "datepublished" || value == "datemodified")
                        && let Some(content) = element.attr("content")
                    {
                        datetime = datetime.or(Some(content));
                    }
                }
                "rel"
                    if value
                        .split_ascii_whitespace()
                        .any(|v| v.eq_ignore_ascii_case("author")) =>
                {
                    author = true
                }
                "datetime" => datetime = Some(value),
                "pubdate" => time_hint = Some(true),
                _ => {}
            }
        }
        let tag = Tag::of(name);
        // A quotation is content whatever its names say, and so is an embedded post: they
        // carry the platform's name ("twitter-tweet", "social-embed") and are part of the
        // story.
        if (signals.strong || (signals.weak && !signals.content))
            && tag != Tag::Quote
            && !signals.embed
        {
            flags |= FURNITURE;
        }
        match tag {
            Tag::Main => flags |= MAIN,
            Tag::Region => flags |= REGION,
            _ => {}
        }

        let index = self.page.nodes.len() as u32;
        let parent = self.open.last().map_or(0, |&(_, i)| i);
        self.page.nodes.push(Element {
            parent,
            end: u32::MAX,
            tag,
            flags,
        });
        self.open.push((node.id(), index));

        if tag == Tag::Heading(1) && self.page.h1s.len() < 64 {
            self.page.h1s.push(index);
        }
        // Text is gathered for a bounded number of elements, so that a page of thousands of
        // nested "author" boxes costs no more than a normal one.
        let reads_left = self.text_reads < MAX_TEXT_READS;
        if reads_left && (name == "time" || (datetime.is_some() && time_hint.is_some())) {
            if datetime.is_none() {
                self.text_reads += 1;
            }
            let value = match datetime {
                Some(value) => value.to_string(),
                None => text_of(node, 200),
            };
            self.page.times.push(TimeMark {
                node: index,
                value,
                published: time_hint,
            });
        }
        if reads_left && author && self.page.bylines.len() < 16 {
            self.text_reads += 1;
            let text = text_of(node, 300);
            if !text.is_empty() {
                self.page.bylines.push(text);
            }
        }
        if name == "a" {
            self.link_depth += 1;
        }
        if tag.is_block() {
            self.flush();
            self.owners.push(index);
            if tag == Tag::Pre {
                self.pre_depth += 1;
            }
        } else if name == "br" {
            self.flush();
        }
        true
    }

    fn close_element(&mut self, node: NodeRef<'_, HtmlNode>, element: &scraper::node::Element) {
        let name = element.name();
        match name {
            "head" => {
                self.in_head = self.in_head.saturating_sub(1);
                return;
            }
            "title" if self.in_title => {
                self.in_title = false;
                let title = collapse(&self.title);
                if !title.is_empty() {
                    self.page.title = Some(title);
                }
                return;
            }
            _ => {}
        }
        let Some(&(id, index)) = self.open.last() else {
            return;
        };
        if id != node.id() {
            return;
        }
        self.open.pop();
        let tag = self.page.nodes[index as usize].tag;
        if name == "a" {
            self.link_depth = self.link_depth.saturating_sub(1);
        }
        if tag.is_block() {
            self.flush();
            self.owners.pop();
            if tag == Tag::Pre {
                self.pre_depth = self.pre_depth.saturating_sub(1);
            }
        }
        self.page.nodes[index as usize].end = self.page.nodes.len() as u32;
    }

    fn read_meta(&mut self, element: &scraper::node::Element) {
        let mut key: Option<&str> = None;
        let mut content: Option<&str> = None;
        for (k, v) in element.attrs() {
            match k {
                "property" | "name" | "itemprop" | "http-equiv"
                    if key.is_none() || k == "property" =>
                {
                    key = Some(v);
                }
                "content" => content = Some(v),
                _ => {}
            }
        }
        if let (Some(key), Some(content)) = (key, content) {
            let content = content.trim();
            if !content.is_empty() && self.page.metas.len() < 512 {
                self.page
                    .metas
                    .push((key.trim().to_ascii_lowercase(), content.to_string()));
            }
        }
    }

    fn read_link(&mut self, element: &scraper::node::Element) {
        let canonical = element.attrs().any(|(k, v)| {
            k == "rel"
                && v.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
        });
        if canonical
            && self.page.canonical.is_none()
            && let Some(href) = element.attr("href")
        {
            let href = href.trim();
            if !href.is_empty() {
                self.page.canonical = Some(href.to_string());
            }
        }
    }
}

fn lower_contains(value: &str, needle: &str) -> bool {
    value
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whitespace collapsed to single spaces, trimmed.
pub(crate) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text under a node, whitespace collapsed, cut after about `limit` bytes (skipping what
/// the walk skips).
fn text_of(node: NodeRef<'_, HtmlNode>, limit: usize) -> String {
    let mut text = String::new();
    for descendant in node.descendants() {
        if let HtmlNode::Text(t) = descendant.value() {
            let skipped = descendant
                .ancestors()
                .take(4)
                .any(|a| matches!(a.value(), HtmlNode::Element(e) if is_skipped(e.name())));
            if !skipped {
                text.push_str(t);
                text.push(' ');
            }
            if text.len() > limit {
                break;
            }
        }
    }
    collapse(&text)
}

/// Parses `html` and walks it.
pub(crate) fn read(html: &str) -> Page {
    let document = scraper::Html::parse_document(&super::strip::strip_raw_text(html));
    let mut walker = Walker::new(html.len());
    let root = document.tree.root();
    let Some(mut node) = root.first_child() else {
        walker.page.nodes[0].end = 1;
        return walker.page;
    };
    // The way up is kept on a stack of our own rather than read from parent links: after the
    // parser has moved misnested elements around, a parent link can point elsewhere than
    // the element whose children led here. Every node is opened and closed at most once,
    // which the step budget makes sure of whatever the links say.
    let mut ancestors = Vec::new();
    let mut budget = 2 * document.tree.nodes().count() + 16;
    loop {
        let descend = match node.value() {
            HtmlNode::Element(element) => {
                if element.name() == "html" && walker.page.lang.is_none() {
                    walker.page.lang = element
                        .attr("lang")
                        .or_else(|| element.attr("xml:lang"))
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty());
                }
                walker.open_element(node, element)
            }
            HtmlNode::Text(text) => {
                walker.push_text(text);
                false
            }
            _ => false,
        };
        budget = budget.saturating_sub(1);
        if descend
            && budget > 0
            && let Some(child) = node.first_child()
        {
            ancestors.push(node);
            node = child;
            continue;
        }
        // Close this node and every ancestor whose children are done.
        loop {
            if let HtmlNode::Element(element) = node.value() {
                walker.close_element(node, element);
            }
            budget = budget.saturating_sub(1);
            if budget > 0
                && let Some(next) = node.next_sibling()
            {
                node = next;
                break;
            }
            match ancestors.pop() {
                Some(parent) => node = parent,
                None => {
                    walker.flush();
                    // Anything left open (only when the budget ran out) ends here.
                    let count = walker.page.nodes.len() as u32;
                    for element in &mut walker.page.nodes {
                        element.end = element.end.min(count);
                    }
                    return walker.page;
                }
            }
        }
    }
}
