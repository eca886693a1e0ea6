//! `xabar-eval entities`: how well xabar keeps one identity per entity across articles,
//! languages and scripts, measured on BSNLP 2021 (`entities/bsnlp/`), whose annotations give
//! every mention a cross-lingual entity id; written into `docs/ENTITIES.md`.
//!
//! Mentions: each annotated surface form of a document is projected onto its whole-word
//! occurrences in the document's title and body, longest forms first, never over an
//! occurrence already taken; persons, organisations and places are kept (`EVT` and `PRO` forms
//! take their occurrences, then are dropped). Every occurrence is one mention with its gold
//! id.
//!
//! Merging is scored with B-cubed over mentions: for each mention, precision is the share of
//! the mentions in its system entity that share its gold id, recall the share of the mentions
//! of its gold id that share its system entity; both are averaged over mentions. Two runs:
//! - **given gold spans**: the gold mentions, with their gold kinds, go through
//!   [`Linker::link_article`] article by article; this measures linking and merging alone;
//! - **end to end**: the [`Recognizer`] reads each document and the [`Linker`] links what it
//!   found; a gold mention the recogniser missed (or found with other bounds) counts as an
//!   entity of its own. The shipped tagger was trained on all BSNLP documents, so these rows
//!   flatter recognition; `xabar-eval ner` scores the tagger honestly. The recogniser's
//!   precision, recall and F1 per language and kind (exact span and kind) come with it, for
//!   the full recogniser and for gazetteer and rules alone.
//!
//! The linker's thresholds were chosen on the tuning topics (`--tune`, by default `asia_bibi`
//! and `brexit`; `--sweep` prints the grid); the other topics are held out. A linker runs over
//! the documents of one split in a fixed order (topic, language, file name).
//!
//! The report also lists what the linker makes of the five seed articles, and the speed of
//! recognition plus linking on one thread over the benchmark corpus of `xabar-eval bench`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use xabar_annotate::link::{Linker, LinkerSettings, Recognizer};
use xabar_annotate::ner::Tagger;
use xabar_annotate::ner::data::{Document as NerDocument, GoldSpan};
use xabar_annotate::ner::train::TrainConfig;
use xabar_core::{Article, EntityKind, Language, LanguageIdentifier, Mention, RawArticle, Script};
use xabar_ingest::prepare;
use xabar_text::langid::Identifier;

/// Options of `xabar-eval entities`.
#[derive(clap::Args)]
pub struct Args {
    /// The BSNLP topics the thresholds are tuned on; the others are held out.
    #[arg(long, value_delimiter = ',', default_value = "asia_bibi,brexit")]
    tune: Vec<String>,
    /// Print B-cubed on the tuning topics for a grid of thresholds, best first.
    #[arg(long)]
    sweep: bool,
    /// Skip the end-to-end runs (recogniser and linker), the seeds and the speed.
    #[arg(long)]
    linking_only: bool,
    /// Leave out the rows that need the statistical tagger (gazetteer and rules only).
    #[arg(long)]
    no_tagger: bool,
    /// Print up to this many wrong merges and splits (of ru, uk, bg mentions) per split.
    #[arg(long, default_value_t = 0)]
    errors: usize,
    /// Print the report only; do not write docs/ENTITIES.md.
    #[arg(long)]
    no_write: bool,
}

/// The languages whose merging the issue sets a target for.
const TARGET_LANGUAGES: [Language; 3] = [Language::Ru, Language::Uk, Language::Bg];

/// Order of languages within a topic.
const LANGUAGE_ORDER: [&str; 6] = ["bg", "cs", "pl", "ru", "sl", "uk"];

/// A gold mention.
#[derive(Debug, Clone)]
struct Gold {
    start: usize,
    end: usize,
    kind: EntityKind,
    id: String,
}

/// One BSNLP document.
#[derive(Debug, Clone)]
struct Doc {
    topic: String,
    language: Language,
    name: String,
    text: String,
    mentions: Vec<Gold>,
    /// Spans of EVT and PRO occurrences: system mentions there are neither right nor wrong.
    other: Vec<(usize, usize)>,
}

fn script_of(language: Language) -> Script {
    match language {
        Language::Pl | Language::Cs | Language::Sl => Script::Latn,
        _ => Script::Cyrl,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whole-word occurrences of `form` in `text`.
fn occurrences(text: &str, form: &str) -> Vec<(usize, usize)> {
    text.match_indices(form)
        .filter_map(|(start, m)| {
            let end = start + m.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            (!before.is_some_and(is_word_char) && !after.is_some_and(is_word_char))
                .then_some((start, end))
        })
        .collect()
}

fn sorted_entries(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    out.sort();
    Ok(out)
}

/// Reads every annotated BSNLP document under `dir`.
fn read_bsnlp(dir: &Path) -> anyhow::Result<Vec<Doc>> {
    let mut docs = Vec::new();
    for topic_dir in sorted_entries(dir)? {
        let topic = topic_dir
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for code in LANGUAGE_ORDER {
            let raw_dir = topic_dir.join("raw").join(code);
            if !raw_dir.is_dir() {
                continue;
            }
            let Ok(language) = code.parse::<Language>() else {
                continue;
            };
            for raw in sorted_entries(&raw_dir)? {
                let Some(name) = raw.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                    continue;
                };
                let annotated = topic_dir
                    .join("annotated")
                    .join(code)
                    .join(format!("{name}.out"));
                if !annotated.is_file() {
                    continue;
                }
                let content = fs::read_to_string(&raw)
                    .with_context(|| format!("reading {}", raw.display()))?;
                // id, language, date, url; then the title and the body.
                let text = content
                    .lines()
                    .skip(4)
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim_end()
                    .to_string();
                let forms = read_forms(&annotated)?;
                let (mentions, other) = project(&text, &forms);
                docs.push(Doc {
                    topic: topic.clone(),
                    language,
                    name,
                    text,
                    mentions,
                    other,
                });
            }
        }
    }
    if docs.is_empty() {
        bail!("no annotated BSNLP documents under {}", dir.display());
    }
    Ok(docs)
}

/// The annotated forms of a document: (surface, kind or `None` for EVT/PRO, gold id).
fn read_forms(path: &Path) -> anyhow::Result<Vec<(String, Option<EntityKind>, String)>> {
    let content =
        fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut forms = Vec::new();
    for line in content.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        // A few lines have spaces where tabs belong: their parts cannot be told apart.
        if fields.len() < 4 {
            continue;
        }
        let surface = fields[0].trim();
        let kind = match fields[2].trim() {
            "PER" => Some(EntityKind::Person),
            "LOC" => Some(EntityKind::Place),
            "ORG" => Some(EntityKind::Organisation),
            _ => None,
        };
        let id = fields[3].trim();
        if !surface.is_empty() && !id.is_empty() {
            forms.push((surface.to_string(), kind, id.to_string()));
        }
    }
    Ok(forms)
}

/// Projects forms onto their occurrences, longest first, never over one already taken.
fn project(
    text: &str,
    forms: &[(String, Option<EntityKind>, String)],
) -> (Vec<Gold>, Vec<(usize, usize)>) {
    let mut order: Vec<&(String, Option<EntityKind>, String)> = forms.iter().collect();
    order.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    order.dedup_by(|a, b| a.0 == b.0);
    let mut taken: Vec<(usize, usize, Option<EntityKind>, &str)> = Vec::new();
    for (form, kind, id) in order {
        for (start, end) in occurrences(text, form) {
            if taken.iter().any(|&(s, e, _, _)| s < end && start < e) {
                continue;
            }
            taken.push((start, end, *kind, id));
        }
    }
    taken.sort_by_key(|t| t.0);
    let mut mentions = Vec::new();
    let mut other = Vec::new();
    for (start, end, kind, id) in taken {
        match kind {
            Some(kind) => mentions.push(Gold {
                start,
                end,
                kind,
                id: id.to_string(),
            }),
            None => other.push((start, end)),
        }
    }
    (mentions, other)
}

/// One scored mention: its language, kind, gold id and system entity.
#[derive(Debug, Clone)]
struct Scored {
    language: Language,
    kind: EntityKind,
    gold: String,
    system: String,
    text: String,
}

/// B-cubed precision and recall over mentions.
fn bcubed<'a>(mentions: impl Iterator<Item = &'a Scored> + Clone) -> (f64, f64, usize) {
    let mut pair: HashMap<(&str, &str), usize> = HashMap::new();
    let mut system: HashMap<&str, usize> = HashMap::new();
    let mut gold: HashMap<&str, usize> = HashMap::new();
    let mut n = 0;
    for m in mentions {
        *pair.entry((&m.system, &m.gold)).or_default() += 1;
        *system.entry(&m.system).or_default() += 1;
        *gold.entry(&m.gold).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return (0.0, 0.0, 0);
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (&(s, g), &count) in &pair {
        let c = count as f64;
        p += c * c / system[s] as f64;
        r += c * c / gold[g] as f64;
    }
    (p / n as f64, r / n as f64, n)
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Links the gold mentions of `docs`, in order, with a fresh linker.
fn link_gold(docs: &[&Doc], settings: LinkerSettings) -> Vec<Scored> {
    let mut linker = Linker::with_settings(settings);
    let mut out = Vec::new();
    for doc in docs {
        let mut mentions: Vec<Mention> = doc
            .mentions
            .iter()
            .map(|g| Mention {
                start: g.start,
                end: g.end,
                text: doc.text[g.start..g.end].to_string(),
                kind: g.kind,
                entity: None,
                name: None,
                role: None,
            })
            .collect();
        let id = format!("{}/{}/{}", doc.topic, doc.language, doc.name);
        linker.link_article(&id, doc.language, script_of(doc.language), &mut mentions);
        for (g, m) in doc.mentions.iter().zip(&mentions) {
            out.push(Scored {
                language: doc.language,
                kind: g.kind,
                gold: g.id.clone(),
                system: m.entity.as_ref().map(|e| e.0.clone()).unwrap_or_default(),
                text: m.text.clone(),
            });
        }
    }
    out
}

/// Recognition counts of one row: (found right, found, gold).
type Counts = (usize, usize, usize);

/// Recognises and links `docs`, in order; gold mentions the recogniser did not find exactly
/// become entities of their own. Also counts recognition per (language, kind).
fn link_end_to_end(
    docs: &[&Doc],
    recognizer: &Recognizer,
) -> (Vec<Scored>, BTreeMap<(Language, EntityKind), Counts>) {
    let mut linker = Linker::new();
    let mut out = Vec::new();
    let mut counts: BTreeMap<(Language, EntityKind), Counts> = BTreeMap::new();
    for (d, doc) in docs.iter().enumerate() {
        let script = script_of(doc.language);
        let mut mentions = recognizer.recognize(&doc.text, doc.language, script);
        let id = format!("{}/{}/{}", doc.topic, doc.language, doc.name);
        linker.link_article(&id, doc.language, script, &mut mentions);
        let by_span: HashMap<(usize, usize), &Mention> =
            mentions.iter().map(|m| ((m.start, m.end), m)).collect();
        for (k, g) in doc.mentions.iter().enumerate() {
            let c = counts.entry((doc.language, g.kind)).or_default();
            c.2 += 1;
            let system = match by_span.get(&(g.start, g.end)) {
                Some(m) => {
                    if m.kind == g.kind {
                        c.0 += 1;
                    }
                    m.entity.as_ref().map(|e| e.0.clone()).unwrap_or_default()
                }
                None => format!("missed #{d}/{k}"),
            };
            out.push(Scored {
                language: doc.language,
                kind: g.kind,
                gold: g.id.clone(),
                system,
                text: doc.text[g.start..g.end].to_string(),
            });
        }
        for m in &mentions {
            let elsewhere = doc.other.iter().any(|&(s, e)| s < m.end && m.start < e);
            if !elsewhere {
                counts.entry((doc.language, m.kind)).or_default().1 += 1;
            }
        }
    }
    (out, counts)
}

/// A B-cubed table: one row per scope (the target languages together, every language, and
/// each language alone).
fn bcubed_table(report: &mut String, scored: &[Scored]) {
    report.push_str("| mentions of | mentions | gold entities | system entities | B³ precision | B³ recall | B³ F1 |\n");
    report.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    let mut scopes: Vec<(String, Vec<Language>)> = vec![
        (
            "ru + uk + bg (target)".to_string(),
            TARGET_LANGUAGES.to_vec(),
        ),
        (
            "all six languages".to_string(),
            LANGUAGE_ORDER
                .iter()
                .filter_map(|c| c.parse().ok())
                .collect(),
        ),
    ];
    for code in LANGUAGE_ORDER {
        if let Ok(l) = code.parse::<Language>() {
            scopes.push((format!("{code} alone"), vec![l]));
        }
    }
    for (label, languages) in scopes {
        let subset = scored.iter().filter(|m| languages.contains(&m.language));
        let (p, r, n) = bcubed(subset.clone());
        if n == 0 {
            continue;
        }
        let gold: std::collections::HashSet<&str> =
            subset.clone().map(|m| m.gold.as_str()).collect();
        let system: std::collections::HashSet<&str> = subset.map(|m| m.system.as_str()).collect();
        let _ = writeln!(
            report,
            "| {label} | {n} | {} | {} | {:.3} | {:.3} | {:.3} |",
            gold.len(),
            system.len(),
            p,
            r,
            f1(p, r)
        );
    }
    let by_kind: Vec<(EntityKind, (f64, f64, usize))> = EntityKind::ALL
        .iter()
        .map(|&k| {
            (
                k,
                bcubed(
                    scored
                        .iter()
                        .filter(move |m| m.kind == k && TARGET_LANGUAGES.contains(&m.language)),
                ),
            )
        })
        .collect();
    for (kind, (p, r, n)) in by_kind {
        if n > 0 {
            let _ = writeln!(
                report,
                "| ru + uk + bg, {kind}s only | {n} | | | {p:.3} | {r:.3} | {:.3} |",
                f1(p, r)
            );
        }
    }
}

/// The wrong merges (system entities over several gold ids) and splits (gold ids over several
/// system entities) with the most mentions.
fn errors(report: &mut String, scored: &[Scored], limit: usize) {
    let mut by_system: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    let mut by_gold: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for m in scored {
        by_system
            .entry(&m.system)
            .or_default()
            .entry(&m.gold)
            .or_default()
            .push(&m.text);
        by_gold
            .entry(&m.gold)
            .or_default()
            .entry(&m.system)
            .or_default()
            .push(&m.text);
    }
    let describe = |parts: &BTreeMap<&str, Vec<&str>>| {
        parts
            .iter()
            .map(|(k, texts)| {
                let mut t: Vec<&str> = texts.clone();
                t.sort_unstable();
                t.dedup();
                t.truncate(4);
                format!("{k} ×{} ({})", texts.len(), t.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    for (title, groups) in [
        ("Wrong merges (system entity: gold ids)", &by_system),
        ("Splits (gold id: system entities)", &by_gold),
    ] {
        let mut spread: Vec<(&str, &BTreeMap<&str, Vec<&str>>)> = groups
            .iter()
            .filter(|(_, parts)| parts.len() > 1)
            .map(|(key, parts)| (*key, parts))
            .collect();
        spread.sort_by_key(|(_, parts)| {
            std::cmp::Reverse(parts.values().map(Vec::len).sum::<usize>())
        });
        let _ = writeln!(report, "\n{title}:");
        for (key, parts) in spread.iter().take(limit) {
            let _ = writeln!(report, "- {key}: {}", describe(parts));
        }
    }
}

/// Recognition P/R/F1 per language and kind.
fn recognition_table(report: &mut String, counts: &BTreeMap<(Language, EntityKind), Counts>) {
    report.push_str("| language | kind | gold | found | precision | recall | F1 |\n");
    report.push_str("|---|---|---:|---:|---:|---:|---:|\n");
    let mut per_language: BTreeMap<Language, Counts> = BTreeMap::new();
    for (&(language, kind), &(right, found, gold)) in counts {
        let e = per_language.entry(language).or_default();
        e.0 += right;
        e.1 += found;
        e.2 += gold;
        let (p, r) = ratio(right, found, gold);
        let _ = writeln!(
            report,
            "| {language} | {kind} | {gold} | {found} | {p:.3} | {r:.3} | {:.3} |",
            f1(p, r)
        );
    }
    for (language, (right, found, gold)) in per_language {
        let (p, r) = ratio(right, found, gold);
        let _ = writeln!(
            report,
            "| **{language}** | all | {gold} | {found} | {p:.3} | {r:.3} | **{:.3}** |",
            f1(p, r)
        );
    }
}

fn ratio(right: usize, found: usize, gold: usize) -> (f64, f64) {
    let p = if found == 0 {
        0.0
    } else {
        right as f64 / found as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        right as f64 / gold as f64
    };
    (p, r)
}

/// Tries a grid of thresholds on the tuning documents; returns rows best first.
fn sweep(tune: &[&Doc]) -> Vec<(LinkerSettings, f64, f64)> {
    let mut rows = Vec::new();
    for surname in [0.80, 0.84, 0.88, 0.92, 0.96] {
        for given in [0.7, 0.8, 0.9] {
            for name in [0.80, 0.84, 0.88, 0.92, 0.96] {
                for context in [1, 2, 3] {
                    let settings = LinkerSettings {
                        surname,
                        given,
                        name,
                        context,
                    };
                    let scored = link_gold(tune, settings);
                    let (p, r, _) = bcubed(
                        scored
                            .iter()
                            .filter(|m| TARGET_LANGUAGES.contains(&m.language)),
                    );
                    rows.push((settings, p, r));
                }
            }
        }
    }
    rows.sort_by(|a, b| f1(b.1, b.2).total_cmp(&f1(a.1, a.2)));
    rows
}

/// The seed articles, prepared as `xabar analyze` prepares them.
fn seed_articles(data: &Path, identifier: &Identifier) -> anyhow::Result<Vec<Article>> {
    let shared = data.parent().unwrap_or(data);
    let dir = shared.join("corpus/seeds");
    let mut out = Vec::new();
    for path in sorted_entries(&dir)? {
        let body =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let raw = RawArticle::text(path.display().to_string(), body);
        out.push(prepare(raw, identifier as &dyn LanguageIdentifier)?);
    }
    Ok(out)
}

/// The entities of the seeds, as `xabar entities` would list them.
fn seeds_section(report: &mut String, seeds: &[Article], recognizer: &Recognizer) {
    let mut linker = Linker::new();
    for a in seeds {
        let mut mentions = recognizer.recognize(&a.text, a.language, a.script);
        linker.link_article(&a.id.0, a.language, a.script, &mut mentions);
    }
    report.push_str(
        "| entity | kind | name | articles | mentions | forms (language-script: form ×count) |\n",
    );
    report.push_str("|---|---|---|---:|---:|---|\n");
    for e in linker.entities() {
        let forms = e
            .aliases
            .iter()
            .map(|g| {
                format!(
                    "{}-{}: {}",
                    g.language,
                    g.script,
                    g.forms
                        .iter()
                        .map(|f| format!("{} ×{}", f.text, f.count))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            report,
            "| `{}` | {} | {} | {} | {} | {} |",
            e.id, e.kind, e.name, e.articles, e.mentions, forms
        );
    }
}

/// Recognition and linking speed on one thread over the benchmark corpus.
fn speed_section(
    report: &mut String,
    data: &Path,
    identifier: &Identifier,
    tagger: bool,
) -> anyhow::Result<()> {
    let corpus = crate::bench::corpus(data)?;
    let articles: Vec<Article> = corpus
        .into_iter()
        .filter_map(|(_, raw)| prepare(raw, identifier as &dyn LanguageIdentifier).ok())
        .collect();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    report.push_str("| stage (1 thread) | MB | seconds | MB/s |\n|---|---:|---:|---:|\n");
    let mut recognizers = vec![(
        "recognise (gazetteer + rules) and link",
        Recognizer::without_tagger(),
    )];
    if tagger {
        recognizers.insert(
            0,
            (
                "recognise (tagger + gazetteer + rules) and link",
                Recognizer::new(),
            ),
        );
    }
    for (label, recognizer) in recognizers {
        // Warm up: loads the model, the knowledge base and the tables.
        for a in articles.iter().take(20) {
            recognizer.recognize(&a.text, a.language, a.script);
        }
        let started = Instant::now();
        let mut linker = Linker::new();
        let mut found = 0;
        for a in &articles {
            let mut mentions = recognizer.recognize(&a.text, a.language, a.script);
            linker.link_article(&a.id.0, a.language, a.script, &mut mentions);
            found += mentions.len();
        }
        let secs = started.elapsed().as_secs_f64();
        std::hint::black_box(found);
        let _ = writeln!(
            report,
            "| {label} | {:.1} | {secs:.2} | {:.1} |",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs
        );
    }
    let _ = writeln!(
        report,
        "\n{} articles (seeds, Uzbek transliteration documents, BSNLP, factRuEval, WMT21), prepared \
         first; only recognition and linking are timed.",
        articles.len()
    );
    Ok(())
}

/// Per-kind counts of one row of the NER-set table: (found right, found, gold).
type KindCounts = BTreeMap<EntityKind, Counts>;

/// Exact span and kind matches between found and gold spans.
fn count_spans(found: &[GoldSpan], gold: &[GoldSpan], into: &mut KindCounts) {
    for g in gold {
        into.entry(g.kind).or_default().2 += 1;
    }
    for f in found {
        let c = into.entry(f.kind).or_default();
        c.1 += 1;
        if gold.binary_search(f).is_ok() {
            c.0 += 1;
        }
    }
}

/// The mentions a recogniser finds in a document of a NER set, as spans of its text.
fn recognised_spans(recognizer: &Recognizer, doc: &NerDocument) -> Vec<GoldSpan> {
    let normalized = xabar_text::normalize::normalize(&doc.text);
    let script = if doc.text.chars().any(|c| Script::of_char(c) == Script::Cyrl) {
        Script::Cyrl
    } else {
        Script::Latn
    };
    let mut spans: Vec<GoldSpan> = recognizer
        .recognize(&normalized.text, doc.lang, script)
        .into_iter()
        .map(|m| {
            let span = normalized
                .map
                .source_span(xabar_core::Span::new(m.start, m.end));
            GoldSpan {
                start: span.start,
                end: span.end,
                kind: m.kind,
            }
        })
        .collect();
    spans.sort();
    spans
}

/// The tagger's own spans, as `xabar-eval ner` scores them, in order.
fn tagged_spans(tagger: &Tagger, doc: &NerDocument) -> Vec<GoldSpan> {
    let mut spans = crate::ner::xabar_spans(tagger, doc);
    spans.sort();
    spans
}

/// Recognition on the held-out documents of the NER sets: the tagger alone (a model trained
/// here without the held-out documents, as `xabar-eval ner` does), the full recogniser with
/// that tagger, and gazetteer and rules alone.
fn ner_sets_section(report: &mut String, data: &Path, errors: usize) -> anyhow::Result<()> {
    let docs = crate::train_ner::read_sets(data)?;
    eprintln!("entities: training a tagger without the held-out documents…");
    let train: Vec<&NerDocument> = docs.iter().filter(|d| !d.held_out()).collect();
    let model = crate::train_ner::train_model(&train, &TrainConfig::default());
    // The recogniser holds its tagger for the program's life, as it does the shipped one.
    let tagger: &'static Tagger = Box::leak(Box::new(Tagger::new(model)));
    let full = Recognizer::with_tagger(tagger);
    let rules = Recognizer::without_tagger();
    type Row = (String, Language, [KindCounts; 3]);
    let mut rows: Vec<Row> = Vec::new();
    for doc in docs.iter().filter(|d| d.held_out()) {
        let label = doc.corpus.to_string();
        let index = match rows.iter().position(|r| r.0 == label && r.1 == doc.lang) {
            Some(i) => i,
            None => {
                rows.push((label, doc.lang, Default::default()));
                rows.len() - 1
            }
        };
        let found = [
            tagged_spans(tagger, doc),
            recognised_spans(&full, doc),
            recognised_spans(&rules, doc),
        ];
        for (k, spans) in found.iter().enumerate() {
            count_spans(spans, &doc.spans, &mut rows[index].2[k]);
        }
        if errors > 0 {
            // Where the full recogniser and the tagger alone differ, and which is right.
            let show = |s: &GoldSpan| format!("{:?} {}", &doc.text[s.start..s.end], s.kind);
            for s in found[1]
                .iter()
                .filter(|s| found[0].binary_search(s).is_err())
                .take(errors)
            {
                let right = doc.spans.binary_search(s).is_ok();
                eprintln!(
                    "{} {}: added {} ({})",
                    doc.corpus,
                    doc.lang,
                    show(s),
                    if right { "right" } else { "WRONG" }
                );
            }
            for s in found[0]
                .iter()
                .filter(|s| found[1].binary_search(s).is_err())
                .take(errors)
            {
                let right = doc.spans.binary_search(s).is_ok();
                eprintln!(
                    "{} {}: dropped {} ({})",
                    doc.corpus,
                    doc.lang,
                    show(s),
                    if right { "WRONG" } else { "right" }
                );
            }
        }
    }
    report.push_str(
        "| set | language | mentions | tagger alone F1 | **full recogniser** P | R | **F1** | person | organisation | place | gazetteer + rules F1 |\n",
    );
    report.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let total = |c: &KindCounts| {
        c.values()
            .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    };
    let score = |c: Counts| {
        let (p, r) = ratio(c.0, c.1, c.2);
        (p, r, f1(p, r))
    };
    for (label, language, counts) in &rows {
        let (_, _, tagger_f1) = score(total(&counts[0]));
        let (p, r, full_f1) = score(total(&counts[1]));
        let (_, _, rules_f1) = score(total(&counts[2]));
        let kind = |k: EntityKind| {
            counts[1]
                .get(&k)
                .map(|&c| format!("{:.3}", score(c).2))
                .unwrap_or_default()
        };
        let _ = writeln!(
            report,
            "| {label} | {language} | {} | {tagger_f1:.3} | {p:.3} | {r:.3} | **{full_f1:.3}** | {} | {} | {} | {rules_f1:.3} |",
            total(&counts[1]).2,
            kind(EntityKind::Person),
            kind(EntityKind::Organisation),
            kind(EntityKind::Place),
        );
    }
    Ok(())
}

/// Runs the evaluation, prints the report and writes `docs/ENTITIES.md`.
pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let dir = data.join("entities/bsnlp");
    let all = read_bsnlp(&dir)?;
    let (tune, held): (Vec<&Doc>, Vec<&Doc>) =
        all.iter().partition(|d| args.tune.contains(&d.topic));
    if tune.is_empty() || held.is_empty() {
        bail!(
            "--tune must name some but not all of the topics under {}",
            dir.display()
        );
    }
    let topics = |docs: &[&Doc]| {
        let mut t: Vec<&str> = docs.iter().map(|d| d.topic.as_str()).collect();
        t.dedup();
        t.join(", ")
    };
    let mut report = String::new();
    report.push_str("# Entities: recognition and merging across languages\n\n");
    report.push_str(
        "Written by `cargo run --release -p xabar-eval -- entities` (see `crates/eval/src/entities.rs` \
         for how mentions are projected and scored). B³ = B-cubed over mentions: per mention, the \
         share of its system entity's mentions with its gold id (precision) and the share of its \
         gold id's mentions in its system entity (recall), averaged.\n\n",
    );
    let _ = writeln!(
        report,
        "Tuning topics: {} ({} documents); held-out topics: {} ({} documents). Target on held-out \
         ru + uk + bg: B³ precision ≥ 0.95, recall ≥ 0.80.\n",
        topics(&tune),
        tune.len(),
        topics(&held),
        held.len()
    );
    let settings = LinkerSettings::default();
    let _ = writeln!(
        report,
        "Linker thresholds (`LinkerSettings::default()`): surname {}, given name {}, place/organisation \
         word {}, shared context {}.\n",
        settings.surname, settings.given, settings.name, settings.context
    );
    for (label, split) in [("Held-out topics", &held), ("Tuning topics", &tune)] {
        let _ = writeln!(report, "## Merging given gold spans: {label}\n");
        let scored = link_gold(split, settings);
        bcubed_table(&mut report, &scored);
        if args.errors > 0 {
            let target: Vec<Scored> = scored
                .iter()
                .filter(|m| TARGET_LANGUAGES.contains(&m.language))
                .cloned()
                .collect();
            errors(&mut report, &target, args.errors);
        }
        report.push('\n');
    }
    if args.sweep {
        report.push_str("## Threshold sweep on the tuning topics (ru + uk + bg, gold spans)\n\n");
        report.push_str("| surname | given | name | context | B³ P | B³ R | B³ F1 |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (s, p, r) in sweep(&tune).iter().take(25) {
            let _ = writeln!(
                report,
                "| {} | {} | {} | {} | {p:.3} | {r:.3} | {:.3} |",
                s.surname,
                s.given,
                s.name,
                s.context,
                f1(*p, *r)
            );
        }
        report.push('\n');
    }
    if !args.linking_only && !args.no_tagger {
        report.push_str("## Recognition on the NER sets (held-out documents)\n\n");
        report.push_str(
            "Exact span and kind, micro-averaged, on the documents `xabar-eval ner` holds out. The \
             tagger is trained here without them (as `xabar-eval ner` does); the full recogniser \
             adds gazetteer matches of the knowledge base and the name and role rules to it.\n\n",
        );
        ner_sets_section(&mut report, data, args.errors)?;
        report.push('\n');
    }
    if !args.linking_only {
        let mut recognizers = vec![("gazetteer + rules, no tagger", Recognizer::without_tagger())];
        if !args.no_tagger {
            recognizers.insert(0, ("tagger + gazetteer + rules", Recognizer::new()));
        }
        for (label, recognizer) in recognizers {
            let (scored, counts) = link_end_to_end(&held, &recognizer);
            let _ = writeln!(report, "## End to end ({label}): held-out topics\n");
            bcubed_table(&mut report, &scored);
            report.push_str(
                "\nRecognition (exact span and kind; mentions over EVT/PRO forms not counted):\n\n",
            );
            recognition_table(&mut report, &counts);
            report.push('\n');
        }
        report.push_str(
            "The shipped tagger was trained on every BSNLP document, these included: the rows \
             with the tagger flatter it. Honest per-language recognition scores of the tagger \
             (held-out documents, a model trained without them) are in `docs/NER.md` \
             (`xabar-eval ner`).\n\n",
        );
        let identifier = Identifier::new();
        let seeds = seed_articles(data, &identifier)?;
        report.push_str("## The seed articles\n\n");
        report.push_str(
            "What `xabar entities` lists for `../shared/corpus/seeds/` (prepared as `xabar analyze` \
             prepares them; mentions of the article body):\n\n",
        );
        let full = if args.no_tagger {
            Recognizer::without_tagger()
        } else {
            Recognizer::new()
        };
        seeds_section(&mut report, &seeds, &full);
        report.push_str("\n## Speed\n\n");
        speed_section(&mut report, data, &identifier, !args.no_tagger)?;
    }
    report.push_str(
        "\n## Commands\n\n```sh\ncargo run --release -p xabar-eval -- entities            # this report\n\
         cargo run --release -p xabar-eval -- entities --sweep    # with the threshold grid\n\
         cargo run --release -p xabar-eval -- entities --errors 20 --no-write\n\
         cargo test -p xabar-annotate link                        # table tests, seeds, samples\n```\n",
    );
    print!("{report}");
    if !args.no_write {
        let path = docs.join("ENTITIES.md");
        fs::create_dir_all(docs).with_context(|| format!("creating {}", docs.display()))?;
        fs::write(&path, &report).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(pairs: &[(&str, &str)]) -> Vec<Scored> {
        pairs
            .iter()
            .map(|(s, g)| Scored {
                language: Language::Ru,
                kind: EntityKind::Person,
                gold: g.to_string(),
                system: s.to_string(),
                text: String::new(),
            })
            .collect()
    }

    #[test]
    fn bcubed_of_perfect_and_merged_clusterings() {
        let perfect = scored(&[("a", "x"), ("a", "x"), ("b", "y")]);
        let (p, r, n) = bcubed(perfect.iter());
        assert_eq!((p, r, n), (1.0, 1.0, 3));
        // Everything in one entity: precision (2·2/3 + 1·1/3)/3 = 5/9, recall 1.
        let merged = scored(&[("a", "x"), ("a", "x"), ("a", "y")]);
        let (p, r, _) = bcubed(merged.iter());
        assert!((p - 5.0 / 9.0).abs() < 1e-9 && r == 1.0);
        // Every mention alone: precision 1, recall (1/2 + 1/2 + 1)/3 = 2/3.
        let split = scored(&[("a", "x"), ("b", "x"), ("c", "y")]);
        let (p, r, _) = bcubed(split.iter());
        assert!(p == 1.0 && (r - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn forms_project_longest_first_on_whole_words() {
        let forms = vec![
            (
                "МИД Литвы".to_string(),
                Some(EntityKind::Organisation),
                "ORG-MFA-LT".to_string(),
            ),
            (
                "Литвы".to_string(),
                Some(EntityKind::Place),
                "GPE-Lithuania".to_string(),
            ),
            ("Nord Stream".to_string(), None, "PRO-NS".to_string()),
        ];
        let text = "глава МИД Литвы и Литвы, Литвыы; Nord Stream";
        let (gold, other) = project(text, &forms);
        let got: Vec<(&str, &str)> = gold
            .iter()
            .map(|g| (&text[g.start..g.end], g.id.as_str()))
            .collect();
        assert_eq!(
            got,
            [("МИД Литвы", "ORG-MFA-LT"), ("Литвы", "GPE-Lithuania")]
        );
        assert_eq!(other.len(), 1);
    }
}
