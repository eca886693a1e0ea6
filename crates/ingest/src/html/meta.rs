//! Page metadata: title, published and modified dates, authors, outlet, canonical URL and the
//! declared language.
//!
//! Sources in order of trust: JSON-LD (`NewsArticle`, `Article`, …), OpenGraph and other
//! `<meta>` tags, `<time>` elements, the URL, and last the visible text between the headline
//! and the story. A date comes only from something on the page that says it; published and
//! modified are kept apart. Authors are people: organisation names, agencies and placeholders
//! ("Staff", "Редакция") are rejected (see `data/html/authors.txt`).

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde_json::Value;

use super::body::Body;
use super::date;
use super::dom::{Page, collapse};

/// Metadata found on a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Meta {
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub modified: Option<NaiveDate>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    pub canonical_url: Option<String>,
    pub lang: Option<String>,
    /// JSON-LD `articleBody`, when the page has one.
    pub article_body: Option<String>,
}

/// What the JSON-LD of a page says about its article.
#[derive(Debug, Default)]
struct Ld {
    headline: Option<String>,
    published: Option<NaiveDate>,
    modified: Option<NaiveDate>,
    /// Names, with whether the markup says it is a person (`Some(true)`), an organisation
    /// (`Some(false)`), or nothing.
    authors: Vec<(String, Option<bool>)>,
    publisher: Option<String>,
    url: Option<String>,
    body: Option<String>,
    lang: Option<String>,
}

/// The `@type`s that describe the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "creativework",
];

/// `@type`s of organisations.
const ORGANISATION_TYPES: &[&str] = &[
    "organization",
    "newsmediaorganization",
    "corporation",
    "governmentorganization",
    "ngo",
    "educationalorganization",
    "localbusiness",
    "website",
    "brand",
];

fn types_of(object: &serde_json::Map<String, Value>) -> Vec<String> {
    match object.get("@type") {
        Some(Value::String(t)) => vec![t.to_ascii_lowercase()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect(),
        _ => Vec::new(),
    }
}

fn string_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(collapse(&decode_entities(s))).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|v| string_of(Some(v))),
        Value::Object(o) => string_of(o.get("name").or_else(|| o.get("@value"))),
        _ => None,
    }
}

/// Character references left in metadata (JSON-LD is script text, so the parser leaves
/// `&#8217;` and `&amp;` as they are; some sites encode meta contents twice): numeric ones and
/// the named ones that turn up in titles and names.
pub(crate) fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .char_indices()
            .take(10)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i + 1);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                NAMED_ENTITIES
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|&(_, c)| c)
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Named character references common in titles and names (the HTML standard's names).
const NAMED_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("hellip", '…'),
    ("pound", '£'),
    ("euro", '€'),
    ("copy", '©'),
];

/// JSON-LD as sites write it: sometimes wrapped in HTML comments or CDATA markers, with raw
/// line breaks inside strings, or with trailing commas.
fn parse_json_ld(script: &str) -> Option<Value> {
    let trimmed = script.trim();
    if let Ok(value) = serde_json::from_str(trimmed) {
        return Some(value);
    }
    let mut cleaned = trimmed
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .replace("//<![CDATA[", "")
        .replace("//]]>", "")
        .replace("<![CDATA[", "")
        .replace("]]>", "");
    cleaned = cleaned.replace(['\n', '\r', '\t'], " ");
    if let Ok(value) = serde_json::from_str(cleaned.trim().trim_end_matches(';')) {
        return Some(value);
    }
    // Trailing commas before a closing bracket.
    let mut out = String::with_capacity(cleaned.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = cleaned.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    serde_json::from_str(out.trim().trim_end_matches(';')).ok()
}

/// Every JSON object in `value` (depth-limited), in document order.
fn objects<'a>(value: &'a Value, depth: usize, out: &mut Vec<&'a serde_json::Map<String, Value>>) {
    if depth > 8 || out.len() > 256 {
        return;
    }
    match value {
        Value::Object(o) => {
            out.push(o);
            for v in o.values() {
                objects(v, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for v in items {
                objects(v, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn read_json_ld(page: &Page) -> Ld {
    let values: Vec<Value> = page
        .json_ld
        .iter()
        .filter_map(|s| parse_json_ld(s))
        .collect();
    let mut all = Vec::new();
    for value in &values {
        objects(value, 0, &mut all);
    }
    let by_id: HashMap<&str, &serde_json::Map<String, Value>> = all
        .iter()
        .filter_map(|o| Some((o.get("@id")?.as_str()?, *o)))
        .filter(|(_, o)| o.len() > 1)
        .collect();
    let resolve = |v: &'_ Value| -> Option<Value> {
        if let Value::Object(o) = v
            && o.len() == 1
            && let Some(id) = o.get("@id").and_then(Value::as_str)
            && let Some(target) = by_id.get(id)
        {
            return Some(Value::Object((*target).clone()));
        }
        None
    };

    let mut ld = Ld::default();
    let article = all.iter().find(|o| {
        types_of(o)
            .iter()
            .any(|t| ARTICLE_TYPES.contains(&t.as_str()))
    });
    let page_object = all
        .iter()
        .find(|o| types_of(o).iter().any(|t| t.ends_with("webpage")));
    for source in [article, page_object].into_iter().flatten() {
        ld.headline = ld
            .headline
            .take()
            .or_else(|| string_of(source.get("headline")))
            .or_else(|| string_of(source.get("name")).filter(|_| article.is_some()));
        ld.published = ld.published.or_else(|| {
            string_of(source.get("datePublished"))
                .or_else(|| string_of(source.get("dateCreated")))
                .and_then(|s| date::parse_machine(&s))
        });
        ld.modified = ld.modified.or_else(|| {
            string_of(source.get("dateModified")).and_then(|s| date::parse_machine(&s))
        });
        if ld.authors.is_empty() {
            for key in ["author", "creator"] {
                if let Some(v) = source.get(key) {
                    collect_ld_authors(v, &resolve, &mut ld.authors);
                }
            }
        }
        if ld.publisher.is_none()
            && let Some(p) = source.get("publisher")
        {
            let resolved = resolve(p);
            ld.publisher = string_of(Some(resolved.as_ref().unwrap_or(p)));
        }
        ld.url = ld.url.take().or_else(|| string_of(source.get("url")));
        ld.lang = ld
            .lang
            .take()
            .or_else(|| string_of(source.get("inLanguage")));
        if ld.body.is_none() {
            ld.body = source
                .get("articleBody")
                .and_then(Value::as_str)
                .map(collapse)
                .filter(|s| !s.is_empty());
        }
        if article.is_none() {
            // A bare WebPage's name is the page's, not necessarily the story's headline.
            ld.headline = None;
        }
    }
    if ld.publisher.is_none() {
        ld.publisher = all
            .iter()
            .find(|o| {
                types_of(o)
                    .iter()
                    .any(|t| t == "newsmediaorganization" || t == "organization")
            })
            .and_then(|o| string_of(o.get("name")));
    }
    ld
}

fn collect_ld_authors(
    value: &Value,
    resolve: &dyn Fn(&Value) -> Option<Value>,
    out: &mut Vec<(String, Option<bool>)>,
) {
    if out.len() > 16 {
        return;
    }
    match value {
        Value::String(name) => out.push((name.clone(), None)),
        Value::Array(items) => {
            for item in items {
                collect_ld_authors(item, resolve, out);
            }
        }
        Value::Object(o) => {
            if o.len() == 1 && o.contains_key("@id") {
                if let Some(resolved) = resolve(value) {
                    collect_ld_authors(&resolved, &|_| None, out);
                }
                return;
            }
            let types = types_of(o);
            let person = if types.iter().any(|t| t == "person") {
                Some(true)
            } else if types
                .iter()
                .any(|t| ORGANISATION_TYPES.contains(&t.as_str()))
            {
                Some(false)
            } else {
                None
            };
            if let Some(name) = string_of(o.get("name")) {
                out.push((name, person));
            }
        }
        _ => {}
    }
}

/// The author rejection lists (see `data/html/authors.txt`).
struct AuthorWords {
    words: Vec<String>,
    names: Vec<String>,
    prefixes: Vec<String>,
}

static AUTHOR_WORDS: LazyLock<AuthorWords> = LazyLock::new(|| {
    let mut lists = AuthorWords {
        words: Vec::new(),
        names: Vec::new(),
        prefixes: Vec::new(),
    };
    let mut section = "";
    for line in include_str!("../../data/html/authors.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        match section {
            "word" => lists
                .words
                .extend(line.split_whitespace().map(str::to_lowercase)),
            "name" => lists.names.push(line.to_lowercase()),
            "prefix" => lists
                .prefixes
                .extend(line.split_whitespace().map(str::to_lowercase)),
            _ => {}
        }
    }
    lists
});

/// A person's name from an author field or a byline, or `None` when it is an organisation, a
/// placeholder, a URL or not a name at all.
pub(crate) fn person_name(raw: &str, outlet: Option<&str>) -> Option<String> {
    let lists = &*AUTHOR_WORDS;
    let mut name = collapse(&decode_entities(raw))
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    // "By Jane Doe", "Автор: Иван Петров"
    loop {
        let lower = name.to_lowercase();
        let first = lower
            .split(|c: char| c.is_whitespace() || c == ':')
            .next()
            .unwrap_or("");
        if !first.is_empty() && lists.prefixes.iter().any(|p| p == first) {
            name = name[first.len()..]
                .trim_start_matches(|c: char| c.is_whitespace() || c == ':')
                .to_string();
        } else {
            break;
        }
    }
    let name = name
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
        .to_string();
    let lower = name.to_lowercase();
    let words: Vec<&str> = name.split_whitespace().collect();
    let looks_like_name = !name.is_empty()
        && name.chars().count() <= 60
        && (1..=5).contains(&words.len())
        && !name.contains(['@', '/', '|', '©', '(', ')'])
        && !name.chars().any(|c| c.is_ascii_digit())
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        })
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    if !looks_like_name || lower.contains("http") {
        return None;
    }
    if lists.names.contains(&lower) {
        return None;
    }
    let is_rejected_word = |w: &str| {
        lists
            .words
            .iter()
            .any(|r| r == w.trim_matches(|c: char| !c.is_alphanumeric()))
    };
    if lower.split_whitespace().any(is_rejected_word) {
        return None;
    }
    // "Cleveland.com", and a credential after a comma ("RDN", "MD") or an agency ("PTI").
    let domain = words.iter().any(|w| {
        w.split_once('.')
            .is_some_and(|(a, b)| a.len() > 1 && b.len() > 1 && b.chars().all(char::is_alphabetic))
    });
    let initials = words.len() == 1 && name.chars().count() <= 4;
    if domain || initials {
        return None;
    }
    if let Some(outlet) = outlet {
        let outlet = outlet.to_lowercase();
        let core = outlet.strip_prefix("the ").unwrap_or(&outlet);
        let names_outlet = core == lower
            || (lower.len() >= 4 && outlet.contains(&lower))
            || ((core.split_whitespace().count() >= 2 || core.len() <= 4)
                && format!(" {lower} ").contains(&format!(" {core} ")));
        if names_outlet {
            return None;
        }
    }
    Some(name)
}

/// Splits a byline that names several people: "Jane Doe and John Roe", "Иван Петров, Анна
/// Смирнова".
fn split_names(byline: &str) -> Vec<&str> {
    let mut parts = vec![byline];
    for sep in [
        ",",
        ";",
        " and ",
        " & ",
        " und ",
        " и ",
        " va ",
        " ve ",
        " і ",
        " және ",
    ] {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

fn meta_str<'a>(page: &'a Page, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|key| {
        page.metas
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    })
}

const META_PUBLISHED: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "article.published",
    "og:published_time",
    "date",
];

const META_MODIFIED: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "modified_time",
    "dc.date.modified",
    "dcterms.modified",
    "article.updated",
    "last-modified",
    "lastmod",
];

const META_AUTHOR: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "byl",
];

const META_TITLE: &[&str] = &[
    "og:title",
    "twitter:title",
    "sailthru.title",
    "parsely-title",
    "dc.title",
    "headline",
];

const META_OUTLET: &[&str] = &[
    "og:site_name",
    "application-name",
    "dc.publisher",
    "publisher",
];

/// Resolves `href` against `base` (an absolute http(s) URL).
fn resolve_url(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.starts_with("http://") || href.starts_with("https://") {
        return Some(href.to_string());
    }
    let base = url::Url::parse(base?).ok()?;
    base.join(href).ok().map(String::from)
}

/// The title without a trailing " | Outlet" (or " - Outlet", " — Outlet").
fn strip_outlet(title: &str, outlet: Option<&str>) -> String {
    if let Some(outlet) = outlet {
        for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
            if let Some(head) = title.strip_suffix(outlet).and_then(|t| t.strip_suffix(sep))
                && !head.trim().is_empty()
            {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Reads the metadata of a page whose body has been selected.
pub(crate) fn read(page: &Page, body: &Body, url: Option<&str>) -> Meta {
    let ld = read_json_ld(page);
    let mut meta = Meta {
        outlet: ld
            .publisher
            .clone()
            .or_else(|| meta_value(page, META_OUTLET).filter(|s| !s.starts_with('@'))),
        ..Meta::default()
    };

    let title = ld
        .headline
        .clone()
        .or_else(|| meta_value(page, META_TITLE))
        .or_else(|| {
            body.headline.and_then(|h1| {
                page.blocks
                    .iter()
                    .find(|b| page.contains(h1, b.node))
                    .map(|b| page.block_text(b).to_string())
            })
        })
        .or_else(|| page.title.clone());
    meta.title = title.map(|t| strip_outlet(&t, meta.outlet.as_deref()));

    let canonical = page
        .canonical
        .as_deref()
        .or_else(|| meta_str(page, &["og:url"]))
        .or(ld.url.as_deref())
        .and_then(|href| resolve_url(href, url));
    meta.canonical_url = canonical;
    let page_url = url.or(meta.canonical_url.as_deref());

    // Dates, in order of trust.
    meta.published = ld
        .published
        .or_else(|| meta_date(page, META_PUBLISHED))
        .or_else(|| time_date(page, body, true))
        .or_else(|| page_url.and_then(date::from_url));
    meta.modified = ld
        .modified
        .or_else(|| meta_date(page, META_MODIFIED))
        .or_else(|| time_date(page, body, false));
    if meta.published.is_none() || meta.modified.is_none() {
        let (published, modified) = visible_dates(page, body);
        meta.published = meta.published.or(published);
        meta.modified = meta.modified.or(modified);
    }

    // Authors: people only.
    let outlet = meta.outlet.as_deref();
    let mut authors: Vec<String> = Vec::new();
    let push = |name: Option<String>, authors: &mut Vec<String>| {
        if let Some(name) = name
            && !authors.iter().any(|a| a.eq_ignore_ascii_case(&name))
        {
            authors.push(name);
        }
    };
    for (name, person) in &ld.authors {
        if *person != Some(false) {
            for part in split_names(name) {
                push(person_name(part, outlet), &mut authors);
            }
        }
    }
    if authors.is_empty() {
        for key in META_AUTHOR {
            for (k, v) in &page.metas {
                if k == key && !v.starts_with("http") {
                    for part in split_names(v) {
                        push(person_name(part, outlet), &mut authors);
                    }
                }
            }
            if !authors.is_empty() {
                break;
            }
        }
    }
    if authors.is_empty() {
        // Bylines in the page's text are the least sure source: a name there must have a
        // given name and a surname at least.
        for byline in &page.bylines {
            for part in split_names(byline) {
                let name = person_name(part, outlet).filter(|n| n.split_whitespace().count() >= 2);
                push(name, &mut authors);
            }
            if !authors.is_empty() {
                break;
            }
        }
    }
    authors.truncate(8);
    meta.authors = authors;

    meta.lang = page
        .lang
        .clone()
        .or_else(|| {
            meta_str(page, &["content-language", "dc.language", "language"]).map(String::from)
        })
        .or_else(|| meta_str(page, &["og:locale"]).map(String::from))
        .or(ld.lang)
        .and_then(|l| primary_subtag(&l));
    meta.article_body = ld.body;
    meta
}

fn meta_value(page: &Page, keys: &[&str]) -> Option<String> {
    meta_str(page, keys)
        .map(|v| collapse(&decode_entities(v)))
        .filter(|s| !s.is_empty())
}

fn meta_date(page: &Page, keys: &[&str]) -> Option<NaiveDate> {
    keys.iter().find_map(|key| {
        page.metas
            .iter()
            .filter(|(k, _)| k == key)
            .find_map(|(_, v)| date::parse_machine(v))
    })
}

/// The date of a `<time>` element: one the markup says is the publication (or update) time,
/// else, for the publication, the first one between the headline and the end of the body.
fn time_date(page: &Page, body: &Body, published: bool) -> Option<NaiveDate> {
    let hinted = page
        .times
        .iter()
        .filter(|t| t.published == Some(published))
        .find_map(|t| date::parse_machine(&t.value));
    if hinted.is_some() || !published {
        return hinted;
    }
    let container = body.container?;
    let start = body.headline.map_or(container, |h1| h1.min(container));
    let end = page.nodes[container as usize].end;
    page.times
        .iter()
        .filter(|t| t.published.is_none() && (start..end).contains(&t.node))
        .find_map(|t| date::parse_machine(&t.value))
}

/// Dates written in the short lines between the headline and the story ("March 14, 2025",
/// "Updated: 15.03.2025").
fn visible_dates(page: &Page, body: &Body) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let Some(&first_kept) = body.kept.first() else {
        return (None, None);
    };
    let start = match body.headline {
        Some(h1) => page
            .blocks
            .iter()
            .position(|b| b.node >= h1)
            .unwrap_or(first_kept),
        None => first_kept.saturating_sub(8),
    };
    let mut published = None;
    let mut modified = None;
    for block in page
        .blocks
        .get(start..first_kept)
        .unwrap_or(&[])
        .iter()
        .take(16)
    {
        if block.chars > 160 {
            continue;
        }
        let text = page.block_text(block);
        if let Some(found) = date::parse_text(text) {
            if date::says_updated(text) {
                modified = modified.or(Some(found));
            } else {
                published = published.or(Some(found));
            }
        }
    }
    (published, modified)
}

/// "ru-RU" → "ru", "en_US" → "en".
fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (2..=3)
        .contains(&primary.len())
        .then_some(primary)
        .filter(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
}
