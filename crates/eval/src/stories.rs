//! `xabar-eval stories`: online story clustering on the BSNLP 2021 raw documents, scored by
//! B-cubed precision and recall against their topics.
//!
//! Every raw document of every topic and language (`entities/bsnlp/<topic>/raw/<lang>/*`:
//! id, language, date, URL, title, body) goes into one `Relator`, in order of the dates the
//! files give (`1970-01-01` means unknown: such documents come first and take the stream's
//! date), ties by file path. One topic is one story family, so a story that mixes two topics
//! costs precision, while a topic split into several stories costs only recall. The topics
//! overlap in time (2018–2019) and in names (the EU, Britain, Germany), so precision measures
//! whether clustering keeps apart what only shares a backdrop.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use xabar_core::{ArticleId, Language};
use xabar_relate::{ArticleView, Config, LinkKind, Relator};
use xabar_text::normalize::normalize;
use xabar_text::script::dominant_script;

use crate::similarity::write_section;

/// Options of `xabar-eval stories`.
#[derive(clap::Args)]
pub struct Args {
    /// Override the relator's same-language story threshold.
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Override the relator's cross-language story threshold.
    #[arg(long)]
    pub cross_threshold: Option<f64>,
    /// Override the story window in days.
    #[arg(long)]
    pub window: Option<u32>,
    /// Print the report only; do not write docs/RELATE.md.
    #[arg(long)]
    pub no_write: bool,
}

struct Document {
    path: PathBuf,
    id: ArticleId,
    topic: String,
    language: Language,
    published: Option<NaiveDate>,
    title: String,
    text: String,
}

fn read_documents(root: &Path) -> anyhow::Result<Vec<Document>> {
    let mut documents = Vec::new();
    let topics = std::fs::read_dir(root)
        .with_context(|| format!("reading {} (is ../shared/eval there?)", root.display()))?;
    for topic in topics {
        let topic = topic?;
        let topic_name = topic.file_name().to_string_lossy().into_owned();
        let raw = topic.path().join("raw");
        if !raw.is_dir() {
            continue;
        }
        for language_dir in std::fs::read_dir(&raw)? {
            let language_dir = language_dir?.path();
            for file in std::fs::read_dir(&language_dir)? {
                let path = file?.path();
                let bytes =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                let content = String::from_utf8_lossy(&bytes);
                let mut lines = content.lines();
                let _id = lines.next();
                let language = lines
                    .next()
                    .and_then(|l| l.trim().parse::<Language>().ok())
                    .unwrap_or(Language::Und);
                let published = lines
                    .next()
                    .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
                    .filter(|d| d.to_string() != "1970-01-01");
                let _url = lines.next();
                let title = lines.next().unwrap_or("").trim().to_string();
                let body: Vec<&str> = lines.collect();
                let text = normalize(body.join("\n").trim()).text;
                documents.push(Document {
                    id: ArticleId(format!(
                        "{topic_name}/{}",
                        path.strip_prefix(&raw).unwrap_or(&path).display()
                    )),
                    path,
                    topic: topic_name.clone(),
                    language,
                    published,
                    title: normalize(&title).text,
                    text,
                });
            }
        }
    }
    if documents.is_empty() {
        bail!("{}: no raw documents", root.display());
    }
    documents.sort_by(|a, b| (a.published, &a.path).cmp(&(b.published, &b.path)));
    Ok(documents)
}

/// B-cubed precision and recall of a clustering against gold classes.
fn b_cubed(clusters: &[usize], classes: &[usize]) -> (f64, f64) {
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    let mut cluster_size: HashMap<usize, f64> = HashMap::new();
    let mut class_size: HashMap<usize, f64> = HashMap::new();
    for (&k, &c) in clusters.iter().zip(classes) {
        *joint.entry((k, c)).or_default() += 1.0;
        *cluster_size.entry(k).or_default() += 1.0;
        *class_size.entry(c).or_default() += 1.0;
    }
    let n = clusters.len() as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for (&k, &c) in clusters.iter().zip(classes) {
        let both = joint[&(k, c)];
        precision += both / cluster_size[&k];
        recall += both / class_size[&c];
    }
    (precision / n, recall / n)
}

/// Runs the evaluation.
pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let documents = read_documents(&data.join("entities/bsnlp"))?;
    let mut config = Config::default();
    if let Some(t) = args.threshold {
        config.story_threshold = t;
    }
    if let Some(t) = args.cross_threshold {
        config.story_threshold_cross = t;
    }
    if let Some(w) = args.window {
        config.story_window_days = w;
    }
    let mut relator = Relator::new(config)?;
    let views: Vec<ArticleView<'_>> = documents
        .iter()
        .map(|d| {
            ArticleView::new(&d.id, d.language, dominant_script(&d.text), &d.text)
                .with_published(d.published)
                .with_title(Some(d.title.as_str()).filter(|t| !t.is_empty()))
        })
        .collect();
    let started = Instant::now();
    let added = relator.add_all(&views);
    let seconds = started.elapsed().as_secs_f64();

    let topic_ids: BTreeMap<&str, usize> = documents
        .iter()
        .map(|d| d.topic.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .enumerate()
        .map(|(i, t)| (t, i))
        .collect();
    let mut story_ids: HashMap<&str, usize> = HashMap::new();
    let clusters: Vec<usize> = added
        .iter()
        .map(|a| {
            let next = story_ids.len();
            *story_ids.entry(a.story.0.as_str()).or_insert(next)
        })
        .collect();
    let classes: Vec<usize> = documents
        .iter()
        .map(|d| topic_ids[d.topic.as_str()])
        .collect();
    let (precision, recall) = b_cubed(&clusters, &classes);

    // Stories by size, topics and languages.
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &k) in clusters.iter().enumerate() {
        members.entry(k).or_default().push(i);
    }
    let mut mixed = 0;
    let mut multilingual = 0;
    let mut singletons = 0;
    let mut largest = 0;
    for list in members.values() {
        let topics: std::collections::BTreeSet<usize> = list.iter().map(|&i| classes[i]).collect();
        let languages: std::collections::BTreeSet<Language> =
            list.iter().map(|&i| documents[i].language).collect();
        mixed += usize::from(topics.len() > 1);
        multilingual += usize::from(languages.len() > 1);
        singletons += usize::from(list.len() == 1);
        largest = largest.max(list.len());
    }
    let index: HashMap<&ArticleId, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (&d.id, i))
        .collect();
    let mut link_counts: BTreeMap<LinkKind, (usize, usize)> = BTreeMap::new();
    for a in &added {
        for link in &a.links {
            let same = match (index.get(&link.a), index.get(&link.b)) {
                (Some(&x), Some(&y)) => classes[x] == classes[y],
                _ => false,
            };
            if !same && std::env::var_os("XABAR_EVAL_VERBOSE").is_some() {
                println!(
                    "cross-topic {} {} {} {:.2} {:?}",
                    link.kind, link.a, link.b, link.score, link.evidence
                );
            }
            let entry = link_counts.entry(link.kind).or_default();
            entry.0 += 1;
            entry.1 += usize::from(!same);
        }
    }

    let per_topic: Vec<String> = topic_ids
        .iter()
        .map(|(topic, &c)| {
            let n = classes.iter().filter(|&&x| x == c).count();
            let stories: std::collections::BTreeSet<usize> = clusters
                .iter()
                .zip(&classes)
                .filter(|(_, x)| **x == c)
                .map(|(k, _)| *k)
                .collect();
            format!("{topic} ({n} documents, {} stories)", stories.len())
        })
        .collect();
    println!(
        "documents {}  stories {}  singletons {}  largest {}  multilingual {}  mixing topics {}",
        documents.len(),
        members.len(),
        singletons,
        largest,
        multilingual,
        mixed
    );
    println!("B-cubed precision {precision:.3}  recall {recall:.3}");
    println!("per topic: {}", per_topic.join("; "));
    let mut links_line = String::new();
    for (kind, (n, cross)) in &link_counts {
        let _ = write!(links_line, "{kind} {n} ({cross} across topics); ");
    }
    println!("links: {links_line}");
    println!(
        "time: {seconds:.2} s, {:.0} articles/s (profiling in parallel, relating in order)",
        documents.len() as f64 / seconds.max(1e-9)
    );
    if !args.no_write {
        let c = relator.config();
        let body = format!(
            "## Stories (BSNLP 2021 topics)\n\n\
             `cargo run --release -p xabar-eval -- stories`\n\n\
             All {} raw documents of the four BSNLP topics in six languages (bg, cs, pl, ru, \
             sl, uk) go through one `Relator` in the order of their dates (unknown dates \
             first), with title and text, no entity annotations. One topic is one story \
             family: a story that mixes topics costs precision, a topic split into several \
             stories costs recall. Configuration: story window {} days, same-language \
             threshold {}, cross-language threshold {}.\n\n\
             | B-cubed precision | B-cubed recall | stories | singletons | largest | \
             multilingual | mixing topics |\n|---:|---:|---:|---:|---:|---:|---:|\n\
             | {precision:.3} | {recall:.3} | {} | {singletons} | {largest} | {multilingual} | \
             {mixed} |\n\nPer topic: {}.\n\nLinks found: {}\n\nTime: {seconds:.2} s for {} \
             documents ({:.0} articles/s, profiling in parallel on this machine's cores, \
             relating in order).\n",
            documents.len(),
            c.story_window_days,
            c.story_threshold,
            c.story_threshold_cross,
            members.len(),
            per_topic.join("; "),
            if links_line.is_empty() {
                "none".to_string()
            } else {
                links_line
            },
            documents.len(),
            documents.len() as f64 / seconds.max(1e-9),
        );
        write_section(docs, "stories", &body)?;
    }
    Ok(())
}
