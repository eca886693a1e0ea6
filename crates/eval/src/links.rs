//! `xabar-eval links`: how well `xabar_relate::Relator` links the same document across scripts
//! and across languages, in pools where every other link is a false one.
//!
//! - Script twins: `translit/uz/<n>_cyr.txt` and `<n>_lat.txt` hold the same Uzbek document in
//!   Cyrillic and in Latin. All of them (whole documents, not chunks) go into one pool; the pair
//!   of each document should be linked with kind `script`; any other link is false.
//! - Translations: `translation/wmt21/newstest2021.ru-en.all.xml` keeps document boundaries.
//!   Each Russian source document (its segments one per line) and its English reference
//!   (translator A) go into one pool, the Russian ones first; each pair should be linked with
//!   kind `translation`; any other link is false. The line-aligned en→ru and de→en sets have no
//!   document boundaries: they are cut into chunks of ten lines, each chunk a document, and
//!   reported apart.
//!
//! The articles carry no dates, no titles and no entity annotations: links come from text
//! alone.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use xabar_core::{ArticleId, Language};
use xabar_relate::link::{translation_evidence, translation_score};
use xabar_relate::{ArticleView, DocFrequencies, LinkKind, Profile, Relator};
use xabar_text::normalize::normalize;
use xabar_text::script::dominant_script;

use crate::similarity::write_section;

/// Options of `xabar-eval links`.
#[derive(clap::Args)]
pub struct Args {
    /// Lines per document when cutting the line-aligned WMT sets into documents.
    #[arg(long, default_value_t = 10)]
    pub chunk: usize,
    /// Write the translation evidence of every Russian–English pair of the WMT pool to this
    /// TSV file (for calibration).
    #[arg(long)]
    pub dump: Option<std::path::PathBuf>,
    /// Print the report only; do not write docs/RELATE.md.
    #[arg(long)]
    pub no_write: bool,
}

/// One document of a pool: its name, the name of the document it should be linked to (the
/// same for both members of a pair), its language and text.
struct Document {
    id: ArticleId,
    pair: String,
    language: Language,
    text: String,
}

impl Document {
    fn new(name: String, pair: String, language: Language, text: &str) -> Document {
        Document {
            id: ArticleId(name),
            pair,
            language,
            text: normalize(text).text,
        }
    }
}

/// What one pool gave.
struct Outcome {
    name: String,
    documents: usize,
    pairs: usize,
    linked: usize,
    wrong_kind: usize,
    false_links: usize,
    seconds: f64,
    false_examples: Vec<String>,
}

impl Outcome {
    fn recall(&self) -> f64 {
        self.linked as f64 / self.pairs.max(1) as f64
    }

    fn precision(&self) -> f64 {
        let all = self.linked + self.wrong_kind + self.false_links;
        if all == 0 {
            1.0
        } else {
            self.linked as f64 / all as f64
        }
    }
}

/// Adds the documents in order and counts the links.
fn run_pool(name: &str, documents: &[Document], expected: LinkKind) -> Outcome {
    let started = Instant::now();
    let views: Vec<ArticleView<'_>> = documents
        .iter()
        .map(|d| ArticleView::new(&d.id, d.language, dominant_script(&d.text), &d.text))
        .collect();
    let mut relator = Relator::default();
    let added = relator.add_all(&views);
    let seconds = started.elapsed().as_secs_f64();
    let pair_of: HashMap<&ArticleId, &str> =
        documents.iter().map(|d| (&d.id, d.pair.as_str())).collect();
    let mut pairs: BTreeMap<&str, usize> = BTreeMap::new();
    for d in documents {
        *pairs.entry(&d.pair).or_default() += 1;
    }
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    let (mut wrong_kind, mut false_links) = (0, 0);
    let mut false_examples = Vec::new();
    for result in &added {
        for link in &result.links {
            let (pa, pb) = (pair_of.get(&link.a), pair_of.get(&link.b));
            match (pa, pb) {
                (Some(pa), Some(pb)) if pa == pb && link.kind == expected => {
                    linked.insert(pa);
                }
                (Some(pa), Some(pb)) if pa == pb => wrong_kind += 1,
                _ => {
                    false_links += 1;
                    if false_examples.len() < 5 {
                        false_examples.push(format!(
                            "{} {} → {} ({:.2})",
                            link.kind, link.a, link.b, link.score
                        ));
                    }
                }
            }
        }
    }
    Outcome {
        name: name.to_string(),
        documents: documents.len(),
        pairs: pairs.values().filter(|&&n| n == 2).count(),
        linked: linked.len(),
        wrong_kind,
        false_links,
        seconds,
        false_examples,
    }
}

fn uzbek_pool(data: &Path) -> anyhow::Result<Vec<Document>> {
    let dir = data.join("translit/uz");
    let mut numbers = BTreeSet::new();
    for entry in std::fs::read_dir(&dir)
        .with_context(|| format!("reading {} (is ../shared/eval there?)", dir.display()))?
    {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(n) = name.strip_suffix("_cyr.txt") {
            numbers.insert(n.to_string());
        }
    }
    let mut documents = Vec::new();
    for n in numbers {
        for suffix in ["cyr", "lat"] {
            let path = dir.join(format!("{n}_{suffix}.txt"));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            documents.push(Document::new(
                format!("uz{n}_{suffix}"),
                n.clone(),
                Language::Uz,
                &text,
            ));
        }
    }
    if documents.is_empty() {
        bail!("{}: no <n>_cyr.txt / <n>_lat.txt pairs", dir.display());
    }
    Ok(documents)
}

/// Decodes the five XML entities and character references.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else {
            break;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of an attribute in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// One WMT document: its id, its source segments and translator A's reference segments.
type WmtDocument = (String, Vec<String>, Vec<String>);

/// The WMT XML documents: for each, the source segments and translator A's reference.
fn wmt_documents(path: &Path) -> anyhow::Result<Vec<WmtDocument>> {
    let xml = std::fs::read_to_string(path)
        .with_context(|| format!("reading {} (is ../shared/eval there?)", path.display()))?;
    let mut documents = Vec::new();
    let mut current: Option<WmtDocument> = None;
    // Which part segments go to: 1 source, 2 reference A, 0 elsewhere.
    let mut part = 0;
    let mut rest = xml.as_str();
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close + 1];
        rest = &rest[open + close + 1..];
        if tag.starts_with("<doc ") {
            let id = attribute(tag, "id").unwrap_or("?").to_string();
            current = Some((id, Vec::new(), Vec::new()));
        } else if tag == "</doc>" {
            documents.extend(current.take());
        } else if tag.starts_with("<src") {
            part = 1;
        } else if tag.starts_with("<ref") {
            part = if attribute(tag, "translator") == Some("A") {
                2
            } else {
                0
            };
        } else if tag.starts_with("<hyp") || tag == "</src>" || tag == "</ref>" {
            part = 0;
        } else if tag.starts_with("<seg") {
            let end = rest.find("</seg>").unwrap_or(rest.len());
            let segment = unescape(rest[..end].trim());
            rest = &rest[end..];
            if let Some(doc) = current.as_mut() {
                match part {
                    1 => doc.1.push(segment),
                    2 => doc.2.push(segment),
                    _ => {}
                }
            }
        }
    }
    if documents.is_empty() {
        bail!("{}: no <doc> elements", path.display());
    }
    Ok(documents)
}

fn wmt_pool(data: &Path) -> anyhow::Result<(Vec<Document>, Language, Language)> {
    let path = data.join("translation/wmt21/newstest2021.ru-en.all.xml");
    let documents = wmt_documents(&path)?;
    let mut sources = Vec::new();
    let mut references = Vec::new();
    for (id, src, reference) in documents {
        if src.is_empty() || reference.is_empty() {
            continue;
        }
        sources.push(Document::new(
            format!("ru:{id}"),
            id.clone(),
            Language::Ru,
            &src.join("\n"),
        ));
        references.push(Document::new(
            format!("en:{id}"),
            id,
            Language::En,
            &reference.join("\n"),
        ));
    }
    sources.extend(references);
    Ok((sources, Language::Ru, Language::En))
}

/// A line-aligned source/reference pair cut into chunks of `chunk` lines.
fn chunked_pool(
    data: &Path,
    source: &str,
    reference: &str,
    languages: (Language, Language),
    chunk: usize,
) -> anyhow::Result<Vec<Document>> {
    let read = |name: &str| -> anyhow::Result<Vec<String>> {
        let path = data.join("translation/wmt21").join(name);
        Ok(std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?
            .lines()
            .map(str::to_string)
            .collect())
    };
    let (src, reference_lines) = (read(source)?, read(reference)?);
    if src.len() != reference_lines.len() {
        bail!("{source} and {reference} are not line-aligned");
    }
    let mut sources = Vec::new();
    let mut references = Vec::new();
    for (k, (a, b)) in src
        .chunks(chunk.max(1))
        .zip(reference_lines.chunks(chunk.max(1)))
        .enumerate()
    {
        let pair = format!("{k}");
        sources.push(Document::new(
            format!("{}:{k}", languages.0.code()),
            pair.clone(),
            languages.0,
            &a.join("\n"),
        ));
        references.push(Document::new(
            format!("{}:{k}", languages.1.code()),
            pair,
            languages.1,
            &b.join("\n"),
        ));
    }
    sources.extend(references);
    Ok(sources)
}

/// Writes the translation evidence of every cross-language pair of a pool.
fn dump(path: &Path, documents: &[Document]) -> anyhow::Result<()> {
    let profiles: Vec<Profile> = documents
        .iter()
        .map(|d| {
            Profile::new(&ArticleView::new(
                &d.id,
                d.language,
                dominant_script(&d.text),
                &d.text,
            ))
        })
        .collect();
    let mut df = DocFrequencies::new();
    for p in &profiles {
        df.add(p);
    }
    let mut out = String::from(
        "a\tb\ttrue\tscore\tshared\torder\tplaces\tagreement\tshape\tlength\tmatched\tnumagr\tquoteagr\tfit\tparagraphs\tquotes\n",
    );
    for (i, a) in profiles.iter().enumerate() {
        for (j, b) in profiles.iter().enumerate() {
            if i >= j || a.language == b.language {
                continue;
            }
            let Some(e) = translation_evidence(a, b, &df) else {
                continue;
            };
            let matched = e.names.unwrap_or(0) + e.numbers.unwrap_or(0);
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{matched}\t{:.3}\t{:.3}\t{:.3}\t{:?}\t{:?}",
                a.id,
                b.id,
                u8::from(documents[i].pair == documents[j].pair),
                translation_score(&e),
                e.shared_anchors.unwrap_or(0.0),
                e.anchor_order.unwrap_or(0.0),
                e.anchor_places.unwrap_or(0.0),
                e.paragraph_agreement.unwrap_or(0.0),
                e.paragraph_shape.unwrap_or(0.0),
                e.length_ratio,
                e.number_agreement.unwrap_or(-1.0),
                e.quote_agreement.unwrap_or(-1.0),
                e.paragraph_fit.unwrap_or(-1.0),
                e.paragraphs.unwrap_or_default(),
                e.quotes.unwrap_or_default(),
            );
        }
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

/// Runs the evaluation.
pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let uzbek = uzbek_pool(data)?;
    let (wmt, _, _) = wmt_pool(data)?;
    if let Some(path) = &args.dump {
        dump(path, &wmt)?;
    }
    let en_ru = chunked_pool(
        data,
        "newstest2021.en-ru.src.en",
        "newstest2021.en-ru.ref.A.ru",
        (Language::En, Language::Ru),
        args.chunk,
    )?;
    let de_en = chunked_pool(
        data,
        "newstest2021.de-en.src.de",
        "newstest2021.de-en.ref.A.en",
        (Language::De, Language::En),
        args.chunk,
    )?;
    let outcomes = [
        run_pool("uz Cyrillic ↔ Latin (script)", &uzbek, LinkKind::Script),
        run_pool(
            "WMT21 ru → en documents (translation)",
            &wmt,
            LinkKind::Translation,
        ),
        run_pool(
            &format!("WMT21 en → ru, {}-line chunks (translation)", args.chunk),
            &en_ru,
            LinkKind::Translation,
        ),
        run_pool(
            &format!("WMT21 de → en, {}-line chunks (translation)", args.chunk),
            &de_en,
            LinkKind::Translation,
        ),
    ];
    let mut table = String::from(
        "| pool | documents | pairs | linked | recall | wrong kind | false links | precision | articles/s |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for o in &outcomes {
        println!(
            "{:<44} docs {:>4}  pairs {:>4}  linked {:>4}  recall {:.3}  wrong kind {}  false {}  precision {:.3}  ({:.0} articles/s)",
            o.name,
            o.documents,
            o.pairs,
            o.linked,
            o.recall(),
            o.wrong_kind,
            o.false_links,
            o.precision(),
            o.documents as f64 / o.seconds.max(1e-9),
        );
        for example in &o.false_examples {
            println!("    false: {example}");
        }
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {:.3} | {} | {} | {:.3} | {:.0} |",
            o.name,
            o.documents,
            o.pairs,
            o.linked,
            o.recall(),
            o.wrong_kind,
            o.false_links,
            o.precision(),
            o.documents as f64 / o.seconds.max(1e-9),
        );
    }
    if !args.no_write {
        let body = format!(
            "## Links: script twins and translations\n\n\
             `cargo run --release -p xabar-eval -- links`\n\n\
             Each pool goes through one `Relator` with the default configuration, documents \
             added one at a time (profiles computed in parallel). *Linked*: pairs linked with \
             the expected kind; *wrong kind*: links between a pair's documents of another kind; \
             *false links*: links between documents of different pairs. Precision = linked / \
             all links. The Uzbek pool holds whole documents (6 KB to 400 KB); the WMT ru→en \
             pool rebuilds documents from the XML (one segment a line; the Russian documents \
             first, then the English references); the line-aligned sets are cut into \
             {}-line chunks. No dates, titles or entity annotations: text alone. Speed includes \
             profiling.\n\n{table}",
            args.chunk
        );
        write_section(docs, "links", &body)?;
    }
    Ok(())
}
