//! The feed document reader: RSS 2.0/0.9x, RSS 1.0 (RDF) and Atom, tolerant of what real feeds
//! get wrong (HTML entities XML does not define, unescaped markup, mismatched end tags, a
//! document that breaks off), on quick-xml's pull parser.
//!
//! Namespaces are matched by what a prefix is declared as, falling back to the usual prefix
//! (`dc:`, `content:`) when a feed forgets to declare it; elements in the RSS 1.0, Atom and
//! no namespace are all read by their local name, so `<atom:link>` in an RSS channel and an
//! Atom feed written with an `atom:` prefix both work.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use url::Url;
use xabar_core::Language;

use super::text::{decode_references, element_value, looks_like_html, one_line};
use super::{Feed, FeedError, FeedItem, FeedKind, parse_date};
use crate::charset::{self, Hints};

/// Parses a feed document into its items.
///
/// `base_url` is where the feed was fetched from (after redirects), for relative links; `None`
/// for a file, in which case links resolve against `xml:base` or the channel's own link.
/// `source` names the feed in items (`<source>#<n>`) and errors: the URL or path.
///
/// The charset comes from a byte-order mark or the XML declaration (windows-1251 feeds are
/// common), else the bytes are read as UTF-8, else detected; see [`crate::charset`].
/// [`FeedClient::fetch_feed`](super::FeedClient::fetch_feed) also weighs the charset of the HTTP
/// `Content-Type` header.
///
/// Fails with [`FeedError::NotAFeed`] for anything that is not RSS or Atom (an HTML page, other
/// XML, binary data) and [`FeedError::Malformed`] for broken XML with no readable item; broken
/// XML after some items keeps those items and says so in [`Feed::problems`].
pub fn parse_feed(bytes: &[u8], base_url: Option<&str>, source: &str) -> Result<Feed, FeedError> {
    parse_feed_declared(bytes, base_url, source, None)
}

/// [`parse_feed`] with the charset an HTTP `Content-Type` header declares.
pub(crate) fn parse_feed_declared(
    bytes: &[u8],
    base_url: Option<&str>,
    source: &str,
    declared_charset: Option<&str>,
) -> Result<Feed, FeedError> {
    let hints = Hints {
        declared: declared_charset,
        markup: true,
        url: base_url,
    };
    let decoded = charset::decode(bytes, &hints).map_err(|binary| FeedError::NotAFeed {
        feed: source.to_string(),
        what: format!("binary data (a NUL byte at byte {})", binary.offset),
        feed_link: None,
    })?;
    let text = decoded.text.trim_start_matches('\u{feff}');
    if let Some(html) = html_page(text) {
        return Err(FeedError::NotAFeed {
            feed: source.to_string(),
            what: "an HTML page".to_string(),
            feed_link: html.feed_link(base_url),
        });
    }
    let base = base_url.and_then(|u| Url::parse(u).ok());
    FeedParser::new(text, base, source).run()
}

/// What a namespace prefix stands for, as far as feeds go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No namespace, RSS 1.0/0.90, Atom: elements read by local name.
    Core,
    /// Dublin Core elements (`dc:creator`, `dc:date`).
    Dc,
    /// Dublin Core terms (`dcterms:modified`).
    DcTerms,
    /// RSS content module (`content:encoded`).
    Content,
    /// Yandex News (`yandex:full-text`), common in Russian-language feeds.
    Yandex,
    /// Yandex Turbo pages (`turbo:content`).
    Turbo,
    /// Anything else (media RSS, iTunes, XHTML, …): not read.
    Other,
}

fn ns_of_uri(uri: &str) -> Ns {
    let uri = uri.trim().trim_end_matches('/').to_ascii_lowercase();
    match uri.as_str() {
        "http://purl.org/dc/elements/1.1" => Ns::Dc,
        "http://purl.org/dc/terms" => Ns::DcTerms,
        "http://purl.org/rss/1.0/modules/content" => Ns::Content,
        "http://www.w3.org/2005/atom"
        | "http://purl.org/atom/ns#"
        | "http://purl.org/rss/1.0"
        | "http://my.netscape.com/rdf/simple/0.9"
        | "http://backend.userland.com/rss2" => Ns::Core,
        u if u.contains("yandex") && u.contains("turbo") => Ns::Turbo,
        u if u.contains("yandex") => Ns::Yandex,
        _ => Ns::Other,
    }
}

fn ns_of_prefix(prefix: &str) -> Ns {
    match prefix {
        "dc" => Ns::Dc,
        "dcterms" => Ns::DcTerms,
        "content" => Ns::Content,
        "atom" | "atom10" | "rss" => Ns::Core,
        "yandex" => Ns::Yandex,
        "turbo" => Ns::Turbo,
        _ => Ns::Other,
    }
}

/// What an open element is, for reading its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    /// The document element (`rss`, `rdf:RDF`, `feed`).
    Root,
    /// An RSS `channel`.
    Channel,
    /// An RSS `item` or an Atom `entry`.
    Item,
    /// An Atom `author` of an entry.
    ItemAuthor,
    /// An Atom `author` of the feed.
    FeedAuthor,
    /// Anything else; its children are not read.
    Other,
    /// An element read whole already (a text field): nothing to keep open.
    Leaf,
}

#[derive(Debug)]
struct Frame {
    /// The element's qualified name, to match its end tag.
    name: String,
    node: Node,
    /// The base URL in force inside the element (`xml:base`, or the feed's URL).
    base: Option<Url>,
}

/// A link as written and the base in force where it was written.
#[derive(Debug, Clone, Default)]
struct RawLink {
    href: String,
    base: Option<Url>,
}

/// An item being read.
#[derive(Debug, Default)]
struct ItemDraft {
    title: Option<String>,
    link: Option<RawLink>,
    alternate: Option<RawLink>,
    guid_link: Option<RawLink>,
    about: Option<RawLink>,
    id: Option<String>,
    published: Vec<String>,
    updated: Vec<String>,
    authors: Vec<String>,
    categories: Vec<String>,
    content: Option<String>,
    full_text: Option<String>,
    summary: Option<String>,
}

struct FeedParser<'a> {
    reader: Reader<&'a [u8]>,
    source: &'a str,
    prefixes: HashMap<String, Ns>,
    stack: Vec<Frame>,
    kind: Option<FeedKind>,
    base: Option<Url>,
    title: Option<String>,
    link: Option<RawLink>,
    language: Option<Language>,
    feed_authors: Vec<String>,
    item: Option<ItemDraft>,
    items: Vec<ItemDraft>,
    problems: Vec<String>,
}

impl<'a> FeedParser<'a> {
    fn new(text: &'a str, base: Option<Url>, source: &'a str) -> FeedParser<'a> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        // Real feeds break these rules often enough that enforcing them would lose items.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        FeedParser {
            reader,
            source,
            prefixes: HashMap::new(),
            stack: Vec::new(),
            kind: None,
            base,
            title: None,
            link: None,
            language: None,
            feed_authors: Vec::new(),
            item: None,
            items: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Feed, FeedError> {
        let mut broke = false;
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    self.broken(&error.to_string())?;
                    broke = true;
                    break;
                }
            };
            let step = match event {
                Event::Eof => break,
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => {
                    self.end(e.name().0);
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(step) = step {
                match step {
                    Step::NotAFeed(error) => return Err(error),
                    Step::Xml(message) => {
                        self.broken(&message)?;
                        broke = true;
                        break;
                    }
                }
            }
        }
        if self.kind.is_none() {
            return Err(FeedError::NotAFeed {
                feed: self.source.to_string(),
                what: "not XML (no element found)".to_string(),
                feed_link: None,
            });
        }
        if !broke && (self.item.is_some() || !self.stack.is_empty()) {
            self.problems
                .push("the feed ends before its closing tags: it may be cut short".to_string());
            self.finish_item();
        }
        Ok(self.into_feed())
    }

    /// The XML broke: an error when nothing was read, else a problem and the items so far.
    fn broken(&mut self, message: &str) -> Result<(), FeedError> {
        let at = self.reader.error_position();
        if self.kind.is_none() {
            return Err(FeedError::NotAFeed {
                feed: self.source.to_string(),
                what: format!("not XML ({message} at byte {at})"),
                feed_link: None,
            });
        }
        if self.items.is_empty() {
            return Err(FeedError::Malformed {
                feed: self.source.to_string(),
                reason: format!("{message} (at byte {at})"),
            });
        }
        // The item being read when the XML broke may be incomplete: drop it.
        self.item = None;
        self.problems.push(format!(
            "broken XML at byte {at}: {message}; the items after it are lost"
        ));
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'a>, empty: bool) -> Result<(), Step> {
        let attrs = attributes(e);
        for (key, value) in &attrs {
            if let Some(prefix) = key.strip_prefix("xmlns:") {
                self.prefixes.insert(prefix.to_string(), ns_of_uri(value));
            }
        }
        let qname = e.name().0;
        let (ns, local) = match qname.split_once(':') {
            Some((prefix, local)) => (
                self.prefixes
                    .get(prefix)
                    .copied()
                    .unwrap_or_else(|| ns_of_prefix(prefix)),
                local,
            ),
            None => (Ns::Core, qname),
        };
        let parent = self.stack.last();
        let parent_node = parent.map(|f| f.node);
        let mut base = parent.map_or_else(|| self.base.clone(), |f| f.base.clone());
        if let Some(xml_base) = attr(&attrs, "xml:base") {
            base = resolve(xml_base, base.as_ref()).and_then(|u| Url::parse(&u).ok());
        }
        let node = match parent_node {
            None => {
                if self.kind.is_some() {
                    // A second document element: ignore it and what is in it.
                    Node::Other
                } else {
                    self.root(local, &attrs)?;
                    Node::Root
                }
            }
            Some(Node::Root) => self.root_child(e, ns, local, &attrs, &base, empty)?,
            Some(Node::Channel) => self.channel_child(e, ns, local, &attrs, &base, empty)?,
            Some(Node::Item) => self.item_child(e, ns, local, &attrs, &base, empty)?,
            Some(Node::ItemAuthor | Node::FeedAuthor) if ns == Ns::Core && local == "name" => {
                let name = self.value(e, empty)?;
                let authors = if parent_node == Some(Node::ItemAuthor) {
                    self.item.as_mut().map(|i| &mut i.authors)
                } else {
                    Some(&mut self.feed_authors)
                };
                if let Some(authors) = authors {
                    push_names(authors, &name);
                }
                return Ok(());
            }
            Some(_) => Node::Other,
        };
        if node == Node::Leaf {
            return Ok(());
        }
        if node == Node::Item {
            self.finish_item();
            let mut item = ItemDraft::default();
            // RSS 1.0 names an item's URL in rdf:about.
            if let Some(about) = attr(&attrs, "rdf:about") {
                item.about = Some(RawLink {
                    href: about.to_string(),
                    base: base.clone(),
                });
            }
            self.item = Some(item);
            if empty {
                self.finish_item();
            }
        }
        if !empty {
            self.stack.push(Frame {
                name: qname.to_string(),
                node,
                base,
            });
        }
        Ok(())
    }

    fn root(&mut self, local: &str, attrs: &[(String, String)]) -> Result<(), Step> {
        let kind = match local {
            "rss" | "channel" => FeedKind::Rss,
            "RDF" => FeedKind::Rdf,
            "feed" => FeedKind::Atom,
            other => {
                let what = if other.eq_ignore_ascii_case("html") {
                    "an HTML page".to_string()
                } else {
                    format!("an XML document whose root element is <{other}>")
                };
                return Err(Step::NotAFeed(FeedError::NotAFeed {
                    feed: self.source.to_string(),
                    what,
                    feed_link: None,
                }));
            }
        };
        self.kind = Some(kind);
        if let Some(lang) = attr(attrs, "xml:lang") {
            self.language = language(lang);
        }
        Ok(())
    }

    fn root_child(
        &mut self,
        e: &BytesStart<'a>,
        ns: Ns,
        local: &str,
        attrs: &[(String, String)],
        base: &Option<Url>,
        empty: bool,
    ) -> Result<Node, Step> {
        let atom = self.kind == Some(FeedKind::Atom);
        if ns != Ns::Core {
            return self.channel_child(e, ns, local, attrs, base, empty);
        }
        Ok(match local {
            "channel" if !atom => Node::Channel,
            "item" if !atom => Node::Item,
            "entry" if atom => Node::Item,
            "author" if atom => Node::FeedAuthor,
            _ => return self.channel_child(e, ns, local, attrs, base, empty),
        })
    }

    /// A child of an RSS channel, or of an Atom feed (the feed is its own channel).
    fn channel_child(
        &mut self,
        e: &BytesStart<'a>,
        ns: Ns,
        local: &str,
        attrs: &[(String, String)],
        base: &Option<Url>,
        empty: bool,
    ) -> Result<Node, Step> {
        match (ns, local) {
            (Ns::Core, "item") if self.kind != Some(FeedKind::Atom) => return Ok(Node::Item),
            (Ns::Core, "title") => {
                let title = self.value(e, empty)?;
                let title = one_line(&title);
                if self.title.is_none() && !title.is_empty() {
                    self.title = Some(title);
                }
            }
            (Ns::Core, "link") => {
                if let Some(href) = attr(attrs, "href") {
                    let rel = attr(attrs, "rel").unwrap_or("alternate");
                    if rel == "alternate" && self.link.is_none() {
                        self.link = Some(RawLink {
                            href: href.trim().to_string(),
                            base: base.clone(),
                        });
                    }
                    if !empty {
                        self.skip(e)?;
                    }
                } else {
                    let href = self.value(e, empty)?;
                    if self.link.is_none() && !href.trim().is_empty() {
                        self.link = Some(RawLink {
                            href: href.trim().to_string(),
                            base: base.clone(),
                        });
                    }
                }
            }
            (Ns::Core | Ns::Dc, "language") => {
                let value = self.value(e, empty)?;
                if self.language.is_none() {
                    self.language = language(value.trim());
                }
            }
            _ => return Ok(Node::Other),
        }
        Ok(Node::Leaf)
    }

    fn item_child(
        &mut self,
        e: &BytesStart<'a>,
        ns: Ns,
        local: &str,
        attrs: &[(String, String)],
        base: &Option<Url>,
        empty: bool,
    ) -> Result<Node, Step> {
        let atom = self.kind == Some(FeedKind::Atom);
        match (ns, local) {
            (Ns::Core, "author") if atom => return Ok(Node::ItemAuthor),
            (Ns::Core, "source") => return Ok(Node::Other),
            (Ns::Core, "link") if attr(attrs, "href").is_some() => {
                let rel = attr(attrs, "rel").unwrap_or("alternate");
                let html = attr(attrs, "type").is_none_or(|t| t.contains("html"));
                if let (Some(href), "alternate", true) = (attr(attrs, "href"), rel, html) {
                    let link = RawLink {
                        href: href.trim().to_string(),
                        base: base.clone(),
                    };
                    if let Some(item) = self.item.as_mut() {
                        item.alternate.get_or_insert(link);
                    }
                }
                if !empty {
                    self.skip(e)?;
                }
                return Ok(Node::Leaf);
            }
            (Ns::Core, "category") if attr(attrs, "term").is_some() => {
                let label = attr(attrs, "label").or(attr(attrs, "term")).unwrap_or("");
                let label = one_line(&decode_references(label));
                if let Some(item) = self.item.as_mut().filter(|_| !label.is_empty()) {
                    item.categories.push(label);
                }
                if !empty {
                    self.skip(e)?;
                }
                return Ok(Node::Leaf);
            }
            (Ns::Core, "content") if attr(attrs, "src").is_some() => {
                // Out-of-line content: the text is elsewhere, only the link is of use.
                if !empty {
                    self.skip(e)?;
                }
                return Ok(Node::Leaf);
            }
            _ => {}
        }
        let field = match (ns, local) {
            (Ns::Core, "title") => Field::Title,
            (Ns::Core, "link") => Field::Link,
            (Ns::Core, "guid") => Field::Guid,
            (Ns::Core, "id") => Field::Id,
            (Ns::Core, "description" | "summary") => Field::Summary,
            (Ns::Core, "content") | (Ns::Content, "encoded") | (Ns::Turbo, "content") => {
                Field::Content
            }
            (Ns::Yandex, "full-text") => Field::FullText,
            (Ns::Core, "pubDate" | "pubdate" | "published" | "issued")
            | (Ns::Dc, "date")
            | (Ns::DcTerms, "created" | "issued" | "date") => Field::Published,
            (Ns::Core, "updated" | "modified") | (Ns::DcTerms, "modified") => Field::Updated,
            (Ns::Core, "author") | (Ns::Dc, "creator") => Field::Author,
            (Ns::Core, "category") | (Ns::Dc, "subject") => Field::Category,
            _ => return Ok(Node::Other),
        };
        let raw = self.value(e, empty)?;
        // Atom says how its text constructs are written; RSS leaves it to guessing.
        let atom_type = attr(attrs, "type").map(str::to_ascii_lowercase);
        let is_plain_text = atom && atom_type.as_deref().is_none_or(|t| t == "text");
        let Some(item) = self.item.as_mut() else {
            return Ok(Node::Leaf);
        };
        let link = |href: &str| RawLink {
            href: href.trim().to_string(),
            base: base.clone(),
        };
        match field {
            Field::Title => {
                let title = if is_plain_text {
                    raw.split_whitespace().collect::<Vec<_>>().join(" ")
                } else {
                    one_line(&raw)
                };
                if item.title.is_none() && !title.is_empty() {
                    item.title = Some(title);
                }
            }
            Field::Link if !raw.trim().is_empty() => {
                item.link.get_or_insert(link(&raw));
            }
            Field::Guid => {
                let permalink = attr(attrs, "isPermaLink").is_none_or(|v| v.trim() == "true");
                let value = raw.trim();
                if permalink && (value.starts_with("http://") || value.starts_with("https://")) {
                    item.guid_link = Some(link(value));
                }
                if !value.is_empty() {
                    item.id.get_or_insert_with(|| value.to_string());
                }
            }
            Field::Id if !raw.trim().is_empty() => {
                item.id.get_or_insert_with(|| raw.trim().to_string());
            }
            Field::Summary => set_text(&mut item.summary, raw, is_plain_text),
            Field::Content => set_text(&mut item.content, raw, is_plain_text),
            Field::FullText => set_text(&mut item.full_text, raw, true),
            Field::Published => item.published.push(raw),
            Field::Updated => item.updated.push(raw),
            Field::Author => push_names(&mut item.authors, &one_line(&raw)),
            Field::Category => {
                let label = one_line(&raw);
                if !label.is_empty() {
                    item.categories.push(label);
                }
            }
            Field::Link | Field::Id => {}
        }
        Ok(Node::Leaf)
    }

    /// The value of the element `e` starts (its end tag read too): CDATA unwrapped, references
    /// decoded, child markup kept.
    fn value(&mut self, e: &BytesStart<'a>, empty: bool) -> Result<String, Step> {
        if empty {
            return Ok(String::new());
        }
        let raw = self
            .reader
            .read_text(e.name())
            .map_err(|error| Step::Xml(error.to_string()))?;
        Ok(element_value(&raw.into_inner()))
    }

    /// Reads past the end of the element `e` starts, ignoring what is in it.
    fn skip(&mut self, e: &BytesStart<'a>) -> Result<(), Step> {
        self.reader
            .read_to_end(e.name())
            .map(|_| ())
            .map_err(|error| Step::Xml(error.to_string()))
    }

    fn end(&mut self, name: &str) {
        // With end-name checks off, a stray or mismatched end tag must not unwind the wrong
        // elements: close up to the innermost open element of that name, if there is one.
        let Some(at) = self.stack.iter().rposition(|f| f.name == name) else {
            return;
        };
        let closed = self.stack.split_off(at);
        if closed.iter().any(|f| f.node == Node::Item) {
            self.finish_item();
        }
    }

    fn finish_item(&mut self) {
        if let Some(item) = self.item.take() {
            self.items.push(item);
        }
    }

    fn into_feed(self) -> Feed {
        let site = self
            .link
            .as_ref()
            .and_then(|l| resolve(&l.href, l.base.as_ref()));
        // For relative item links with no other base: the channel's link, when absolute.
        let site_base = site.as_deref().and_then(|s| Url::parse(s).ok());
        let outlet = self.title.clone();
        let language = self.language;
        let items = self
            .items
            .into_iter()
            .enumerate()
            .map(|(i, draft)| {
                let link = [
                    &draft.link,
                    &draft.alternate,
                    &draft.guid_link,
                    &draft.about,
                ]
                .into_iter()
                .flatten()
                .find_map(|l| resolve(&l.href, l.base.as_ref().or(site_base.as_ref())));
                let mut authors = draft.authors;
                if authors.is_empty() {
                    authors.clone_from(&self.feed_authors);
                }
                FeedItem {
                    source: format!("{}#{}", self.source, i + 1),
                    title: draft.title,
                    link,
                    id: draft.id,
                    published: draft.published.iter().find_map(|d| parse_date(d)),
                    updated: draft.updated.iter().find_map(|d| parse_date(d)),
                    authors,
                    categories: draft.categories,
                    content: draft.content.or(draft.full_text),
                    summary: draft.summary,
                    outlet: outlet.clone(),
                    language,
                }
            })
            .collect();
        Feed {
            kind: self.kind.unwrap_or(FeedKind::Rss),
            title: self.title,
            link: site,
            language: self.language,
            items,
            problems: self.problems,
        }
    }
}

/// Why reading stopped early.
enum Step {
    /// The document is not a feed.
    NotAFeed(FeedError),
    /// The XML broke.
    Xml(String),
}

/// The item fields read as text.
#[derive(Debug, Clone, Copy)]
enum Field {
    Title,
    Link,
    Guid,
    Id,
    Summary,
    Content,
    FullText,
    Published,
    Updated,
    Author,
    Category,
}

/// Keeps the first non-empty text for a field; plain text (Atom `type="text"`) is escaped so
/// that it is not read as HTML later.
fn set_text(slot: &mut Option<String>, raw: String, plain: bool) {
    if slot.is_some() || raw.trim().is_empty() {
        return;
    }
    *slot = Some(if plain && looks_like_html(&raw) {
        raw.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        raw
    });
}

/// Adds the people a byline names: "a@b.c (Name)" gives "Name", a bare e-mail address gives
/// nobody, "A, B" and "A and B" / "A и B" give two.
fn push_names(authors: &mut Vec<String>, value: &str) {
    let value = value.trim();
    // RSS 2.0 `author` is an e-mail address with the name in parentheses.
    let value = match (value.find('('), value.rfind(')')) {
        (Some(open), Some(close)) if open < close && value[..open].contains('@') => {
            &value[open + 1..close]
        }
        _ => value,
    };
    for name in value
        .split([',', ';', '/'])
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" и "))
        .flat_map(|part| part.split(" & "))
    {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let is_email = name.contains('@') && !name.contains(' ');
        if !name.is_empty() && !is_email && !authors.contains(&name) {
            authors.push(name);
        }
    }
}

/// A URL made absolute against `base` when it is relative; the href unchanged when there is no
/// base to resolve it against; `None` when empty.
fn resolve(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    if let Ok(url) = Url::parse(href) {
        return Some(url.to_string());
    }
    match base.and_then(|b| b.join(href).ok()) {
        Some(url) => Some(url.to_string()),
        None => Some(href.to_string()),
    }
}

/// The attributes of a start tag, names as written, values with references decoded. Broken
/// attributes are skipped, not fatal.
fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    let mut attributes = e.attributes();
    attributes.with_checks(false);
    attributes
        .flatten()
        .map(|a| (a.key.0.to_string(), decode_references(&a.value)))
        .collect()
}

fn attr<'v>(attrs: &'v [(String, String)], name: &str) -> Option<&'v str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The language a feed declares ("ru", "ru-RU", "kk_KZ", "uz-Latn").
fn language(tag: &str) -> Option<Language> {
    let primary = tag.split(['-', '_']).next()?.trim();
    primary.parse::<Language>().ok()
}

/// An HTML page found where a feed was expected.
struct HtmlPage<'a> {
    text: &'a str,
}

/// `Some` when the text starts like an HTML page (a doctype or an `<html>` element before any
/// other element).
fn html_page(text: &str) -> Option<HtmlPage<'_>> {
    let mut rest = text.trim_start();
    // Skip the XML declaration, processing instructions and comments before the first tag.
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after
                .find("?>")
                .map_or("", |i| &after[i + 2..])
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after
                .find("-->")
                .map_or("", |i| &after[i + 3..])
                .trim_start();
        } else {
            break;
        }
    }
    let head = rest.get(..rest.len().min(64)).unwrap_or(rest);
    let head = head.to_ascii_lowercase();
    let is_html = head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || (head.starts_with("<!doctype") && head.contains("xhtml"));
    is_html.then_some(HtmlPage { text })
}

impl HtmlPage<'_> {
    /// The feed the page advertises: the first `<link rel="alternate"
    /// type="application/rss+xml|atom+xml" href="…">` in its first 64 KB, made absolute.
    fn feed_link(&self, base_url: Option<&str>) -> Option<String> {
        let text = self.text;
        let window = &text[..floor_boundary(text, 64 * 1024)];
        let lower = window.to_ascii_lowercase();
        let base = base_url.and_then(|u| Url::parse(u).ok());
        let mut from = 0;
        while let Some(i) = lower[from..].find("<link") {
            let start = from + i;
            let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
            let tag = &window[start..end];
            let tag_lower = &lower[start..end];
            from = end;
            if !(tag_lower.contains("application/rss+xml")
                || tag_lower.contains("application/atom+xml"))
            {
                continue;
            }
            if let Some(href) = html_attribute(tag, "href") {
                return resolve(&decode_references(href), base.as_ref());
            }
        }
        None
    }
}

/// The largest char boundary at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The value of an HTML attribute in a tag's source (quoted or not).
fn html_attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        let Some(value) = rest.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &value[1..];
                &inner[..inner.find(q).unwrap_or(inner.len())]
            }
            _ => {
                let end = value
                    .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .unwrap_or(value.len());
                &value[..end]
            }
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        let mut authors = Vec::new();
        push_names(&mut authors, "news@example.com (Иван Петров)");
        push_names(&mut authors, "Anna Schmidt and Tom Lee");
        push_names(&mut authors, "desk@example.com");
        push_names(&mut authors, "Мария Сидорова, Иван Петров");
        assert_eq!(
            authors,
            ["Иван Петров", "Anna Schmidt", "Tom Lee", "Мария Сидорова"]
        );
    }

    #[test]
    fn languages() {
        assert_eq!(language("ru-RU"), Some(Language::Ru));
        assert_eq!(language("kk_KZ"), Some(Language::Kk));
        assert_eq!(language("uz-Latn"), Some(Language::Uz));
        assert_eq!(language("xx"), None);
    }

    #[test]
    fn prefixed_atom_and_turbo_content() {
        let atom = r#"<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">
            <atom:title>P</atom:title>
            <atom:entry><atom:title>E</atom:title><atom:link href="https://p.example/e"/>
            <atom:published>2025-01-02T00:00:00Z</atom:published></atom:entry></atom:feed>"#;
        let feed = parse_feed(atom.as_bytes(), None, "p").expect("feed");
        assert_eq!(feed.kind, FeedKind::Atom);
        assert_eq!(feed.items[0].title.as_deref(), Some("E"));
        assert_eq!(feed.items[0].link.as_deref(), Some("https://p.example/e"));

        let rss = r#"<rss xmlns:t="http://turbo.yandex.ru"><channel><item turbo="true">
            <link>
              https://t.example/1
            </link><t:content><![CDATA[<header><h1>H</h1></header><p>Body.</p>]]></t:content>
            </item></channel></rss>"#;
        let feed = parse_feed(rss.as_bytes(), None, "t").expect("feed");
        let item = &feed.items[0];
        assert_eq!(item.link.as_deref(), Some("https://t.example/1"));
        assert_eq!(item.text().as_deref(), Some("H\n\nBody."));
    }

    #[test]
    fn html_feed_links() {
        let page = "<!DOCTYPE html><html><head>\
            <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml?a=1&amp;b=2\">";
        let found = html_page(page).and_then(|p| p.feed_link(Some("https://example.com/news/")));
        assert_eq!(
            found.as_deref(),
            Some("https://example.com/rss.xml?a=1&b=2")
        );
        assert!(html_page("<?xml version=\"1.0\"?><rss/>").is_none());
    }
}
