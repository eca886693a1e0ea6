//! `xabar-eval ner`: mention recognition (person, organisation, place) scored on held-out
//! documents of the public NER sets, xabar side by side with natasha on Russian, written into
//! `docs/NER.md`.
//!
//! Scoring: a mention counts as found when its byte span in the original text and its kind
//! both match a gold mention exactly; precision, recall and F1 are micro-averaged over the
//! mentions of a row (one set in one language), and given per kind too.
//!
//! Honesty: the held-out documents are fixed ([`xabar_annotate::ner::data::Document::fold`]).
//! The shipped model was trained on every document, held-out ones included, so by default this
//! command first trains a model in memory on the other documents only, with the shipped
//! model's settings, and scores that one. `--shipped` scores the shipped model instead: use it
//! only on sets it has not seen (`--data` pointing elsewhere, with `--all-documents`).
//! `--cross-validate` scores folds 0 to 3 instead, for developing features without looking at
//! the held-out fold.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use xabar_annotate::link::Recognizer;
use xabar_annotate::ner::Tagger;
use xabar_annotate::ner::data::{Corpus, Descriptors, Document, GoldSpan, paths, read_factrueval};
use xabar_annotate::ner::train::TrainConfig;
use xabar_core::{EntityKind, Language, Span};
use xabar_text::normalize::normalize;
use xabar_text::script::dominant_script;

use crate::peers;
use crate::train_ner::{read_sets, train_model};

/// Options of `xabar-eval ner`.
#[derive(clap::Args)]
pub struct Args {
    /// Score xabar only, without natasha.
    #[arg(long)]
    no_peers: bool,
    /// Score the shipped model instead of one trained here without the held-out documents.
    #[arg(long)]
    shipped: bool,
    /// Score every document, not only the held-out ones (only meaningful with --shipped on a
    /// set the shipped model was not trained on).
    #[arg(long)]
    all_documents: bool,
    /// Passes over the training set for the model trained here.
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    epochs: usize,
    /// Table size (2^bits rows) for the model trained here.
    #[arg(long, default_value_t = TrainConfig::default().bits)]
    bits: u32,
    /// Print up to this many wrong or missed mentions per row.
    #[arg(long, default_value_t = 0)]
    errors: usize,
    /// Print the tables only; do not write docs/NER.md.
    #[arg(long)]
    no_write: bool,
    /// Train and score four times, holding out folds 0 to 3 in turn (never the held-out fold
    /// 4), and print F1 per fold and the mean for the sets with targets.
    #[arg(long)]
    cross_validate: bool,
}

/// The targets from the issue, per language, on person/organisation/place micro F1.
fn target(corpus: Corpus, lang: Language) -> Option<f64> {
    match (corpus, lang) {
        (Corpus::KazNerd, Language::Kk) => Some(0.88),
        (Corpus::FactRuEval, Language::Ru) => Some(0.80),
        (Corpus::GermEval, Language::De) => Some(0.75),
        _ => None,
    }
}

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// What the mistakes are: a right span with the wrong kind, a span that overlaps a gold one
/// without matching it, a span where there is no mention, a mention nothing overlaps.
#[derive(Debug, Clone, Copy, Default)]
struct Mistakes {
    kind: usize,
    boundary: usize,
    spurious: usize,
    missed: usize,
}

impl Mistakes {
    fn add(&mut self, other: Mistakes) {
        self.kind += other.kind;
        self.boundary += other.boundary;
        self.spurious += other.spurious;
        self.missed += other.missed;
    }
}

/// Scores of one tool on one row, per kind.
#[derive(Debug, Clone, Default)]
struct Score {
    by_kind: BTreeMap<EntityKind, Counts>,
    mistakes: Mistakes,
}

impl Score {
    fn total(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.by_kind.values() {
            all.add(*c);
        }
        all
    }

    fn kind(&self, kind: EntityKind) -> Counts {
        self.by_kind.get(&kind).copied().unwrap_or_default()
    }

    /// Adds one document: predicted and gold mentions as (start, end, kind).
    fn add(&mut self, predicted: &[GoldSpan], gold: &[GoldSpan]) -> (Vec<GoldSpan>, Vec<GoldSpan>) {
        let mut wrong = Vec::new();
        let mut missed = Vec::new();
        for kind in EntityKind::ALL {
            let counts = self.by_kind.entry(kind).or_default();
            let p: Vec<&GoldSpan> = predicted.iter().filter(|s| s.kind == kind).collect();
            let g: Vec<&GoldSpan> = gold.iter().filter(|s| s.kind == kind).collect();
            for s in &p {
                if g.contains(s) {
                    counts.tp += 1;
                } else {
                    counts.fp += 1;
                    wrong.push(**s);
                }
            }
            for s in &g {
                if !p.contains(s) {
                    counts.fn_ += 1;
                    missed.push(**s);
                }
            }
        }
        let overlaps = |a: &GoldSpan, b: &GoldSpan| a.start < b.end && b.start < a.end;
        for p in &wrong {
            if gold.iter().any(|g| g.start == p.start && g.end == p.end) {
                self.mistakes.kind += 1;
            } else if gold.iter().any(|g| overlaps(g, p)) {
                self.mistakes.boundary += 1;
            } else {
                self.mistakes.spurious += 1;
            }
        }
        for g in &missed {
            if !predicted.iter().any(|p| overlaps(g, p)) {
                self.mistakes.missed += 1;
            }
        }
        (wrong, missed)
    }
}

/// Appends up to `limit` (counted by `shown`) lines describing wrong and missed mentions.
fn describe(
    doc: &Document,
    wrong: &[GoldSpan],
    missed: &[GoldSpan],
    limit: usize,
    shown: &mut usize,
    out: &mut Vec<String>,
) {
    for (what, spans) in [("wrong", wrong), ("missed", missed)] {
        for s in spans {
            if *shown >= limit {
                return;
            }
            *shown += 1;
            let context_start = doc.text[..s.start]
                .char_indices()
                .rev()
                .nth(30)
                .map_or(0, |(j, _)| j);
            let context_end = doc.text[s.end..]
                .char_indices()
                .nth(30)
                .map_or(doc.text.len(), |(j, _)| s.end + j);
            out.push(format!(
                "{} {} {what} {}: [{}] in …{}…",
                doc.corpus,
                doc.lang,
                s.kind,
                &doc.text[s.start..s.end],
                doc.text[context_start..context_end].replace('\n', " ")
            ));
        }
    }
}

/// One row of the table: the scored documents of one set in one language.
struct Row {
    corpus: Corpus,
    /// What the row says it is, when more than the set's name.
    reading: Option<&'static str>,
    lang: Language,
    docs: Vec<usize>,
    xabar: Score,
    /// The full recogniser: tagger, knowledge-base matches and rules.
    full: Score,
    natasha: Option<Score>,
    bytes: usize,
}

impl Row {
    fn name(&self) -> String {
        match self.reading {
            Some(reading) => format!("{} ({reading})", self.corpus),
            None => self.corpus.to_string(),
        }
    }
}

/// Tags a document with xabar as the pipeline does (normalize, then tag), with the spans
/// mapped back to the document's own text.
pub(crate) fn xabar_spans(tagger: &Tagger, doc: &Document) -> Vec<GoldSpan> {
    let normalized = normalize(&doc.text);
    tagger
        .tag(&normalized.text, doc.lang)
        .into_iter()
        .map(|m| {
            let span = normalized.map.source_span(m.span);
            GoldSpan {
                start: span.start,
                end: span.end,
                kind: m.kind,
            }
        })
        .collect()
}

/// The mentions the full recogniser finds in a document, as `xabar analyze` runs it
/// (normalize, then recognise in the text's main script), mapped back to the document's text.
fn full_spans(recognizer: &Recognizer, doc: &Document) -> Vec<GoldSpan> {
    let normalized = normalize(&doc.text);
    let script = dominant_script(&normalized.text);
    recognizer
        .recognize(&normalized.text, doc.lang, script)
        .into_iter()
        .map(|m| {
            let span = normalized.map.source_span(Span::new(m.start, m.end));
            GoldSpan {
                start: span.start,
                end: span.end,
                kind: m.kind,
            }
        })
        .collect()
}

/// Runs `scripts/peers/ner.py` (natasha) on the documents; returns each one's mentions as
/// byte spans, and the seconds natasha spent tagging.
fn natasha_spans(python: &Path, docs: &[&Document]) -> anyhow::Result<(Vec<Vec<GoldSpan>>, f64)> {
    let mut input = String::new();
    for (i, doc) in docs.iter().enumerate() {
        input.push_str(&serde_json::json!({"id": i.to_string(), "text": doc.text}).to_string());
        input.push('\n');
    }
    let peer = peers::run(python, "ner.py", &[], input, "natasha")?;
    let seconds = peer
        .reported("ner_seconds=")
        .with_context(|| format!("natasha did not report ner_seconds: {}", peer.stderr.trim()))?;
    let stdout = peer.stdout;
    let mut out = vec![Vec::new(); docs.len()];
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("natasha printed {line:?}"))?;
        let index: usize = value["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .filter(|&i| i < docs.len())
            .with_context(|| format!("natasha answered an unknown id: {line:?}"))?;
        let text = &docs[index].text;
        // natasha's offsets count code points.
        let mut bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bytes.push(text.len());
        for span in value["spans"].as_array().into_iter().flatten() {
            let field = |i: usize| span.get(i);
            let start = field(0).and_then(|v| v.as_u64()).map(|v| v as usize);
            let end = field(1).and_then(|v| v.as_u64()).map(|v| v as usize);
            let kind = match field(2).and_then(|v| v.as_str()) {
                Some("PER") => Some(EntityKind::Person),
                Some("ORG") => Some(EntityKind::Organisation),
                Some("LOC") => Some(EntityKind::Place),
                _ => None,
            };
            let (Some(start), Some(end), Some(kind)) = (start, end, kind) else {
                bail!("natasha printed a malformed span: {line:?}");
            };
            let (Some(&start), Some(&end)) = (bytes.get(start), bytes.get(end)) else {
                bail!("natasha printed a span past the text: {line:?}");
            };
            out[index].push(GoldSpan { start, end, kind });
        }
    }
    Ok((out, seconds))
}

fn cell(c: Counts) -> String {
    if c.tp + c.fp + c.fn_ == 0 {
        "–".into()
    } else {
        format!("{:.3}", c.f1())
    }
}

/// Micro F1 per target set with a model trained without `fold`, scored on `fold`.
fn fold_scores(
    docs: &[Document],
    fold: usize,
    config: &TrainConfig,
    errors: usize,
) -> Vec<(Corpus, f64, Mistakes)> {
    let train: Vec<&Document> = docs.iter().filter(|d| d.fold != fold).collect();
    let tagger = Tagger::new(train_model(&train, config));
    let mut out = Vec::new();
    for corpus in [Corpus::KazNerd, Corpus::FactRuEval, Corpus::GermEval] {
        let mut score = Score::default();
        let (mut shown, mut lines) = (0, Vec::new());
        for doc in docs.iter().filter(|d| d.fold == fold && d.corpus == corpus) {
            let (wrong, missed) = score.add(&xabar_spans(&tagger, doc), &doc.spans);
            describe(doc, &wrong, &missed, errors, &mut shown, &mut lines);
        }
        for line in lines {
            println!("fold {fold}: {line}");
        }
        out.push((corpus, score.total().f1(), score.mistakes));
    }
    out
}

fn cross_validate(docs: &[Document], config: &TrainConfig, errors: usize) {
    let mut table: BTreeMap<Corpus, (Vec<f64>, Mistakes)> = BTreeMap::new();
    for fold in 0..4 {
        eprintln!("ner: fold {fold}…");
        // Mistakes are listed from the first fold only.
        let errors = if fold == 0 { errors } else { 0 };
        for (corpus, f1, mistakes) in fold_scores(docs, fold, config, errors) {
            let entry = table.entry(corpus).or_default();
            entry.0.push(f1);
            entry.1.add(mistakes);
        }
    }
    println!(
        "| set | fold 0 | fold 1 | fold 2 | fold 3 | mean | wrong kind | wrong bounds | spurious | missed |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (corpus, (f1s, m)) in &table {
        let mean = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
        let cells: Vec<String> = f1s.iter().map(|f| format!("{f:.3}")).collect();
        println!(
            "| {corpus} | {} | **{mean:.3}** | {} | {} | {} | {} |",
            cells.join(" | "),
            m.kind,
            m.boundary,
            m.spurious,
            m.missed
        );
    }
}

pub fn run(data: &Path, docs_dir: &Path, args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let docs = read_sets(data)?;
    let config = TrainConfig {
        epochs: args.epochs,
        bits: args.bits,
        ..TrainConfig::default()
    };
    if args.cross_validate {
        cross_validate(&docs, &config, args.errors);
        return Ok(());
    }
    let trained;
    let tagger: &Tagger = if args.shipped {
        Tagger::global()
    } else {
        eprintln!("ner: training a model without the held-out documents…");
        let train: Vec<&Document> = docs.iter().filter(|d| !d.held_out()).collect();
        trained = Tagger::new(train_model(&train, &config));
        &trained
    };
    let scored: Vec<usize> = (0..docs.len())
        .filter(|&i| args.all_documents || docs[i].held_out())
        .collect();

    // Rows in a fixed order: set, then language.
    let mut rows: Vec<Row> = Vec::new();
    for &i in &scored {
        let doc = &docs[i];
        let row = match rows
            .iter_mut()
            .position(|r| r.corpus == doc.corpus && r.lang == doc.lang)
        {
            Some(r) => r,
            None => {
                rows.push(Row {
                    corpus: doc.corpus,
                    reading: None,
                    lang: doc.lang,
                    docs: Vec::new(),
                    xabar: Score::default(),
                    full: Score::default(),
                    natasha: None,
                    bytes: 0,
                });
                rows.len() - 1
            }
        };
        rows[row].docs.push(i);
        rows[row].bytes += doc.text.len();
    }
    rows.sort_by_key(|r| (r.corpus, r.lang.code()));

    // xabar, timed: normalization and tagging of every scored document on one thread.
    let tag_started = Instant::now();
    let predictions: Vec<Vec<GoldSpan>> = scored
        .iter()
        .map(|&i| xabar_spans(tagger, &docs[i]))
        .collect();
    let tag_seconds = tag_started.elapsed().as_secs_f64();
    let by_doc: BTreeMap<usize, &Vec<GoldSpan>> =
        scored.iter().copied().zip(&predictions).collect();
    // The full recogniser, as `xabar analyze` runs it, with the same tagger. It wants a
    // tagger that lives as long as the program: this one is made once per run.
    let recognizer = Recognizer::with_tagger(Box::leak(Box::new(tagger.clone())));
    let full_started = Instant::now();
    let full_predictions: Vec<Vec<GoldSpan>> = scored
        .iter()
        .map(|&i| full_spans(&recognizer, &docs[i]))
        .collect();
    let full_seconds = full_started.elapsed().as_secs_f64();
    let full_by_doc: BTreeMap<usize, &Vec<GoldSpan>> =
        scored.iter().copied().zip(&full_predictions).collect();
    let mut error_lines = Vec::new();
    for row in &mut rows {
        let (mut shown, mut full_shown) = (0, 0);
        for &i in &row.docs {
            let doc = &docs[i];
            let predicted = by_doc.get(&i).map_or(&[][..], |v| v.as_slice());
            let (wrong, missed) = row.xabar.add(predicted, &doc.spans);
            let full = full_by_doc.get(&i).map_or(&[][..], |v| v.as_slice());
            let (full_wrong, full_missed) = row.full.add(full, &doc.spans);
            let mut full_lines = Vec::new();
            describe(
                doc,
                &full_wrong,
                &full_missed,
                args.errors,
                &mut full_shown,
                &mut full_lines,
            );
            error_lines.extend(full_lines.into_iter().map(|l| format!("end to end: {l}")));
            describe(
                doc,
                &wrong,
                &missed,
                args.errors,
                &mut shown,
                &mut error_lines,
            );
        }
    }

    // natasha, on the Russian rows.
    let mut notes = Vec::new();
    let mut natasha_speed = None;
    let mut natasha_by_doc: BTreeMap<usize, Vec<GoldSpan>> = BTreeMap::new();
    if args.no_peers {
        notes.push("natasha skipped (--no-peers).".to_string());
    } else if let Some(python) = peers::python() {
        let russian: Vec<usize> = rows
            .iter()
            .filter(|r| r.lang == Language::Ru)
            .flat_map(|r| r.docs.iter().copied())
            .collect();
        let inputs: Vec<&Document> = russian.iter().map(|&i| &docs[i]).collect();
        eprintln!(
            "ner: running natasha on {} Russian documents…",
            inputs.len()
        );
        let (spans, seconds) = natasha_spans(&python, &inputs)?;
        let bytes: usize = inputs.iter().map(|d| d.text.len()).sum();
        natasha_speed = Some(bytes as f64 / seconds.max(1e-9) / 1e6);
        natasha_by_doc = russian.iter().copied().zip(spans).collect();
        for row in rows.iter_mut().filter(|r| r.lang == Language::Ru) {
            let mut score = Score::default();
            for &i in &row.docs {
                let predicted = natasha_by_doc.get(&i).map_or(&[][..], |v| v.as_slice());
                score.add(predicted, &docs[i].spans);
            }
            row.natasha = Some(score);
        }
    } else {
        let note = "natasha not run: .venv-peers is missing; make it with \
                    `bash scripts/setup-peers.sh`."
            .to_string();
        eprintln!("ner: {note}");
        notes.push(note);
    }

    // factRuEval read the other way, with the descriptors next to names counted as part of
    // the mention, for comparison: same documents, same predictions.
    if !args.all_documents {
        let kept = read_factrueval(&data.join(paths::FACTRUEVAL), Descriptors::Kept)?;
        let mut row = Row {
            corpus: Corpus::FactRuEval,
            reading: Some("descriptors kept"),
            lang: Language::Ru,
            docs: Vec::new(),
            xabar: Score::default(),
            full: Score::default(),
            natasha: (!natasha_by_doc.is_empty()).then(Score::default),
            bytes: 0,
        };
        for doc in kept.iter().filter(|d| d.held_out()) {
            let Some(i) = docs
                .iter()
                .position(|d| d.corpus == Corpus::FactRuEval && d.id == doc.id)
            else {
                continue;
            };
            row.docs.push(i);
            let predicted = by_doc.get(&i).map_or(&[][..], |v| v.as_slice());
            row.xabar.add(predicted, &doc.spans);
            let predicted = full_by_doc.get(&i).map_or(&[][..], |v| v.as_slice());
            row.full.add(predicted, &doc.spans);
            if let Some(score) = &mut row.natasha {
                let predicted = natasha_by_doc.get(&i).map_or(&[][..], |v| v.as_slice());
                score.add(predicted, &doc.spans);
            }
        }
        let at = rows
            .iter()
            .position(|r| r.corpus > Corpus::FactRuEval)
            .unwrap_or(rows.len());
        rows.insert(at, row);
    }

    let mut table = String::from(
        "| set | language | documents | mentions | target | P | R | **F1** | person | organisation | place | end to end F1 | natasha F1 |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut full_table = String::from(
        "| set | language | target | P | R | **F1** | person | organisation | place | tagger alone F1 |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut below = Vec::new();
    for row in &rows {
        let total = row.xabar.total();
        let mentions = total.tp + total.fn_;
        let full = row.full.total();
        let goal = target(row.corpus, row.lang).filter(|_| row.reading.is_none());
        if goal.is_some_and(|t| total.f1().max(full.f1()) < t) {
            below.push(format!("{} {}", row.corpus, row.lang));
        }
        let _ = writeln!(
            full_table,
            "| {} | {} | {} | {:.3} | {:.3} | **{:.3}** | {} | {} | {} | {:.3} |",
            row.name(),
            row.lang,
            goal.map_or(String::new(), |t| format!("{t:.2}")),
            full.precision(),
            full.recall(),
            full.f1(),
            cell(row.full.kind(EntityKind::Person)),
            cell(row.full.kind(EntityKind::Organisation)),
            cell(row.full.kind(EntityKind::Place)),
            total.f1(),
        );
        let _ = writeln!(
            table,
            "| {} | {} | {} | {mentions} | {} | {:.3} | {:.3} | **{:.3}** | {} | {} | {} | {:.3} | {} |",
            row.name(),
            row.lang,
            row.docs.len(),
            goal.map_or(String::new(), |t| format!("{t:.2}")),
            total.precision(),
            total.recall(),
            total.f1(),
            cell(row.xabar.kind(EntityKind::Person)),
            cell(row.xabar.kind(EntityKind::Organisation)),
            cell(row.xabar.kind(EntityKind::Place)),
            full.f1(),
            row.natasha
                .as_ref()
                .map_or("".to_string(), |s| format!("{:.3}", s.total().f1())),
        );
    }
    let mut peers = String::new();
    for row in rows.iter().filter(|r| r.natasha.is_some()) {
        let Some(natasha) = &row.natasha else {
            continue;
        };
        for (name, score) in [
            ("xabar tagger", &row.xabar),
            ("xabar end to end", &row.full),
            ("natasha 1.6", natasha),
        ] {
            let t = score.total();
            let _ = writeln!(
                peers,
                "| {} | {name} | {:.3} | {:.3} | **{:.3}** | {} | {} | {} |",
                row.name(),
                t.precision(),
                t.recall(),
                t.f1(),
                cell(score.kind(EntityKind::Person)),
                cell(score.kind(EntityKind::Organisation)),
                cell(score.kind(EntityKind::Place)),
            );
        }
    }
    let scored_bytes: usize = scored.iter().map(|&i| docs[i].text.len()).sum();
    let xabar_speed = scored_bytes as f64 / tag_seconds.max(1e-9) / 1e6;
    let full_speed = scored_bytes as f64 / full_seconds.max(1e-9) / 1e6;

    println!("{table}");
    println!("End to end (the full recogniser):\n\n{full_table}");
    if !peers.is_empty() {
        println!(
            "| set | tool | P | R | F1 | person | organisation | place |\n|---|---|---:|---:|---:|---:|---:|---:|\n{peers}"
        );
    }
    println!(
        "speed, one thread: xabar (normalize + tag) {xabar_speed:.1} MB/s, end to end (normalize + \
         recognise) {full_speed:.1} MB/s over {:.1} MB{}",
        scored_bytes as f64 / 1e6,
        natasha_speed.map_or(String::new(), |s| format!(
            "; natasha {s:.2} MB/s on the Russian rows"
        )),
    );
    if below.is_empty() {
        println!("xabar meets every target.");
    } else {
        println!("xabar below target: {}", below.join(", "));
    }
    for note in &notes {
        println!("{note}");
    }
    for line in &error_lines {
        println!("{line}");
    }
    eprintln!("ner: done in {:.1} s", started.elapsed().as_secs_f64());

    if args.no_write || args.shipped || args.all_documents {
        return Ok(());
    }
    let report = report(
        (&table, &full_table, &peers),
        (xabar_speed, full_speed),
        natasha_speed,
        scored_bytes,
        &config,
        &notes,
    );
    std::fs::create_dir_all(docs_dir)?;
    let path = docs_dir.join("NER.md");
    std::fs::write(&path, report).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn report(
    (table, full_table, peers): (&str, &str, &str),
    (xabar_speed, full_speed): (f64, f64),
    natasha_speed: Option<f64>,
    scored_bytes: usize,
    config: &TrainConfig,
    notes: &[String],
) -> String {
    let natasha_speed = natasha_speed.map_or("not run".to_string(), |s| format!("{s:.2} MB/s"));
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("\n{}\n", notes.join("\n"))
    };
    format!(
        "# Mention recognition (person, organisation, place)\n\n\
         Written by `cargo run --release -p xabar-eval -- ner`. Commands:\n\n\
         ```sh\n\
         bash scripts/setup-peers.sh                          # once: natasha in .venv-peers\n\
         cargo run --release -p xabar-eval -- train-ner       # the shipped model, on every document\n\
         cargo run --release -p xabar-eval -- ner             # this report\n\
         ```\n\n\
         ## What is scored\n\n\
         Held-out documents of the development parts of four public sets in `../shared/eval/` \
         (never trained on by the model scored here; see below), person, organisation and \
         place only. A mention counts when its byte span in the document and its kind both \
         match a gold mention exactly; precision (P), recall (R) and F1 are micro-averaged \
         over the mentions of a row, and the per-kind columns are F1.\n\n\
         - **KazNERD** (kk): `ner/kaznerd/IOB2_valid.txt`, documents of 50 consecutive \
         sentences, every 5th held out. PERSON → person; GPE and LOCATION → place; \
         ORGANISATION → organisation; NORP, FACILITY and the rest are not mentions.\n\
         - **factRuEval-2016** (ru): `ner/factrueval/devset`, every 5th file (in name order) \
         held out. An object (Person, Org, Location, LocOrg) lists every span that names it \
         through the text; each run of its name parts (name, surname, patronymic, nickname, \
         org_name, loc_name, geo_adj) with only white space between is one mention, and a \
         LocOrg is a place. Descriptors (job, org_descr, loc_descr: \"мэрии\" in \"мэрии \
         Москвы\") are left out, as a mention names and a title is a role; the row \
         *descriptors kept* scores the same predictions against runs that keep them. Of \
         overlapping mentions the first and longest is kept.\n\
         - **GermEval 2014** (de): `ner/germeval/NER-de-dev.tsv`, outer level, documents of 50 \
         sentences, every 5th held out. PER, ORG, LOC kept; OTH and the -deriv and -part forms \
         are not mentions.\n\
         - **BSNLP 2021** (bg, cs, pl, ru, sl, uk): `entities/bsnlp`, each annotated surface \
         form projected onto all its whole-word occurrences in its document (longest first); \
         PER, ORG, LOC kept, EVT and PRO not. The whole `ryanair` topic is held out, so these \
         rows measure a story the model has not seen.\n\n\
         xabar is scored twice on each document, normalized first as `xabar analyze` does, \
         spans mapped back to the document's text: the statistical tagger alone \
         (`xabar_annotate::ner::Tagger::tag`), and *end to end*, the full recogniser that \
         `xabar analyze` runs (`xabar_annotate::link::Recognizer`: the same tagger, then \
         knowledge-base matches, name rules and the merging of the two), whose mentions are \
         what the engine outputs. \
         natasha 1.6 (`Segmenter` + `NewsNERTagger`, run by `scripts/peers/ner.py`) gets the \
         same documents' original text; its PER, ORG, LOC are person, organisation, place.\n\n\
         ## Results on held-out documents\n\n\
         Model trained by this command on every document that is not held out, with the \
         shipped model's settings ({epochs} epochs, 2^{bits} rows); the shipped model was then \
         trained on every document by `train-ner`, so it is not scored here.\n\n\
         {table}\n\
         End to end, the mentions `xabar analyze` outputs (the full recogniser with the same \
         tagger model):\n\n\
         {full_table}\n\
         Russian, side by side with natasha:\n\n\
         | set | tool | P | R | F1 | person | organisation | place |\n\
         |---|---|---:|---:|---:|---:|---:|---:|\n\
         {peers}\n\
         Speed on the same documents ({mb:.1} MB), one thread, wall clock on a shared \
         machine: xabar normalize + tag **{xabar_speed:.1} MB/s**, normalize + full recogniser \
         **{full_speed:.1} MB/s**; natasha (tagging only, \
         models loaded) {natasha_speed}. The tagger alone, by this thread's CPU time: \
         `cargo test --release -p xabar-annotate ner_throughput -- --ignored --nocapture`.\n\n\
         Model, features, training data and how to reproduce it: \
         `crates/annotate/data/ner/README.md`. Cross-validation over folds 0 to 3 (never the \
         held-out fold), used while developing features: \
         `cargo run --release -p xabar-eval -- ner --cross-validate`.\n\
         {notes}",
        epochs = config.epochs,
        bits = config.bits,
        mb = scored_bytes as f64 / 1e6,
    )
}
