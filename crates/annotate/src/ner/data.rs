//! Readers for the public NER sets the tagger is trained and scored on, each turned into the
//! same shape: a [`Document`] with its text and its gold spans as byte offsets into that text.
//!
//! The sets stay where they are (`../shared/eval/`); nothing here is compiled into the tagger.
//! Only persons, organisations and places are kept; how each set's labels map onto
//! [`EntityKind`] is decided here and documented in `data/ner/README.md`:
//!
//! - KazNERD (kk, CoNLL IOB2): `PERSON` → person; `GPE`, `LOCATION` → place; `ORGANISATION` →
//!   organisation; everything else (`NORP` nationalities, `FACILITY` buildings and ports,
//!   `POSITION`, `DATE`, …) is outside. Sentences are joined by spaces, and every 50 of them
//!   make one document.
//! - factRuEval-2016 (ru, `.txt` + `.spans` + `.objects`): an object (`Person`, `Org`,
//!   `Location`, `LocOrg`) lists every span that names it, all through the text; each run of
//!   its name parts (`name`, `surname`, `patronymic`, `nickname`, `org_name`, `loc_name`,
//!   `geo_adj`) with only white space between them is one mention, and descriptors (`job`,
//!   `org_descr`, `loc_descr`) are left out ([`Descriptors::Left`]; [`Descriptors::Kept`]
//!   reads them in, for comparison). A `LocOrg` (a place named as a polity: "России" in
//!   "власти России") is a place, as what it names is a country or city. Of mentions that
//!   overlap, the one that starts first (the longer on a tie) is kept.
//! - GermEval 2014 (de): the outer level; `PER`, `ORG`, `LOC` kept, `OTH` and the `-deriv` and
//!   `-part` forms ("deutschen", "EU-Länder") outside. Every 50 sentences make one document.
//! - BSNLP 2021 (bg, cs, pl, ru, sl, uk): each annotated surface form of a document is projected
//!   onto every occurrence of it in the document's title and body that stands as whole words,
//!   longest forms first; `EVT` and `PRO` forms take their occurrences but are then dropped.
//!
//! [`Document::held_out`] is the fixed evaluation split; see [`Document::fold`].

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use xabar_core::{EntityKind, Language};

/// Sentences per document for the sets that come as a stream of sentences.
const SENTENCES_PER_DOCUMENT: usize = 50;

/// The BSNLP topic held out whole, so that its figures say how the tagger does on a story it
/// has not seen (the other topics' documents share most of their names).
pub const BSNLP_HELD_OUT_TOPIC: &str = "ryanair";

/// An error reading an evaluation set.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not in the format its set documents.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Which public set a document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Corpus {
    /// KazNERD, Kazakh.
    KazNerd = 0,
    /// factRuEval-2016, Russian.
    FactRuEval = 1,
    /// GermEval 2014, German.
    GermEval = 2,
    /// BSNLP 2021 shared task, six Slavic languages.
    Bsnlp = 3,
}

impl Corpus {
    /// Every set, in the order [`read_all`] reads them.
    pub const ALL: [Corpus; 4] = [
        Corpus::KazNerd,
        Corpus::FactRuEval,
        Corpus::GermEval,
        Corpus::Bsnlp,
    ];

    /// The set's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Corpus::KazNerd => "KazNERD",
            Corpus::FactRuEval => "factRuEval-2016",
            Corpus::GermEval => "GermEval 2014",
            Corpus::Bsnlp => "BSNLP 2021",
        }
    }
}

impl fmt::Display for Corpus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The fold the evaluation holds out; see [`Document::fold`].
pub const HELD_OUT_FOLD: usize = 4;

/// A gold mention: a byte span of [`Document::text`] and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoldSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it names.
    pub kind: EntityKind,
}

/// One document of a set, with its gold mentions.
#[derive(Debug, Clone)]
pub struct Document {
    /// The set.
    pub corpus: Corpus,
    /// An id unique within the set (a file name, or the index of a block of sentences).
    pub id: String,
    /// The language.
    pub lang: Language,
    /// The text, as the set gives it (pre-tokenized sets: tokens joined by spaces, sentences by
    /// line breaks).
    pub text: String,
    /// Gold mentions, sorted, not overlapping, on char boundaries of `text`.
    pub spans: Vec<GoldSpan>,
    /// The document's fold, 0 to 4: KazNERD and GermEval documents (50 sentences each) and
    /// factRuEval files (in name order) go round the folds in turn; BSNLP documents are in
    /// fold 4 when their topic is [`BSNLP_HELD_OUT_TOPIC`] and in none (5) otherwise. The
    /// evaluation holds out fold [`HELD_OUT_FOLD`]; the other folds serve cross-validation
    /// while features are developed, so that the held-out fold is not tuned on.
    pub fold: usize,
}

impl Document {
    /// Whether the evaluation holds this document out.
    pub fn held_out(&self) -> bool {
        self.fold == HELD_OUT_FOLD
    }
}

fn read(path: &Path) -> Result<String, DataError> {
    fs::read_to_string(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let io = |source| DataError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        paths.push(entry.map_err(io)?.path());
    }
    paths.sort();
    Ok(paths)
}

/// Builds documents from a stream of IOB2-tagged sentences: tokens joined by one space,
/// sentences by a line break, [`SENTENCES_PER_DOCUMENT`] sentences a document.
struct SentenceBlocks {
    corpus: Corpus,
    lang: Language,
    docs: Vec<Document>,
    text: String,
    spans: Vec<GoldSpan>,
    sentences: usize,
    /// The open mention: its start and kind.
    open: Option<(usize, EntityKind)>,
    /// Whether the current sentence has a token yet.
    started: bool,
}

impl SentenceBlocks {
    fn new(corpus: Corpus, lang: Language) -> SentenceBlocks {
        SentenceBlocks {
            corpus,
            lang,
            docs: Vec::new(),
            text: String::new(),
            spans: Vec::new(),
            sentences: 0,
            open: None,
            started: false,
        }
    }

    fn close(&mut self) {
        if let Some((start, kind)) = self.open.take() {
            self.spans.push(GoldSpan {
                start,
                end: self.text.len(),
                kind,
            });
        }
    }

    /// Adds one token with its tag already mapped: `None` outside a mention, else whether it
    /// begins one and of which kind.
    fn token(&mut self, token: &str, tag: Option<(bool, EntityKind)>) {
        let continues =
            matches!((tag, self.open), (Some((false, k)), Some((_, open))) if k == open);
        if !continues {
            self.close();
        }
        if self.started {
            self.text.push(' ');
        }
        self.started = true;
        let start = self.text.len();
        self.text.push_str(token);
        if let (Some((_, kind)), false) = (tag, continues) {
            // An `I-` tag with no open mention of its kind starts one, as CoNLL scorers read it.
            self.open = Some((start, kind));
        }
    }

    fn end_sentence(&mut self) {
        if !self.started {
            return;
        }
        self.close();
        self.text.push('\n');
        self.started = false;
        self.sentences += 1;
        if self.sentences.is_multiple_of(SENTENCES_PER_DOCUMENT) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.close();
        if self.text.is_empty() {
            return;
        }
        let index = self.docs.len();
        self.docs.push(Document {
            corpus: self.corpus,
            id: format!("block-{index}"),
            lang: self.lang,
            text: std::mem::take(&mut self.text),
            spans: std::mem::take(&mut self.spans),
            fold: index % 5,
        });
    }

    fn finish(mut self) -> Vec<Document> {
        self.end_sentence();
        self.flush();
        self.docs
    }
}

/// Splits an IOB2 tag into (begins, label); `O` and malformed tags give `None`.
fn iob2(tag: &str) -> Option<(bool, &str)> {
    if let Some(label) = tag.strip_prefix("B-") {
        Some((true, label))
    } else {
        tag.strip_prefix("I-").map(|label| (false, label))
    }
}

/// KazNERD's labels as kinds.
fn kaznerd_kind(label: &str) -> Option<EntityKind> {
    match label {
        "PERSON" => Some(EntityKind::Person),
        "GPE" | "LOCATION" => Some(EntityKind::Place),
        "ORGANISATION" => Some(EntityKind::Organisation),
        _ => None,
    }
}

/// Reads KazNERD's `IOB2_*.txt` (`token TAG` a line, a blank line between sentences).
pub fn read_kaznerd(path: &Path) -> Result<Vec<Document>, DataError> {
    let content = read(path)?;
    let mut blocks = SentenceBlocks::new(Corpus::KazNerd, Language::Kk);
    for (n, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            blocks.end_sentence();
            continue;
        }
        let Some((token, tag)) = line.rsplit_once(char::is_whitespace) else {
            return Err(DataError::Format {
                path: path.to_path_buf(),
                line: n + 1,
                message: format!("expected `token TAG`, found {line:?}"),
            });
        };
        let tag = iob2(tag).and_then(|(b, label)| kaznerd_kind(label).map(|k| (b, k)));
        blocks.token(token.trim(), tag);
    }
    Ok(blocks.finish())
}

/// GermEval's outer labels as kinds; `OTH`, `-deriv` and `-part` are outside.
fn germeval_kind(label: &str) -> Option<EntityKind> {
    match label {
        "PER" => Some(EntityKind::Person),
        "ORG" => Some(EntityKind::Organisation),
        "LOC" => Some(EntityKind::Place),
        _ => None,
    }
}

/// Reads GermEval 2014's TSV (`# url [date]`, then `idx token outer inner` a line, a blank
/// line between sentences).
pub fn read_germeval(path: &Path) -> Result<Vec<Document>, DataError> {
    let content = read(path)?;
    let mut blocks = SentenceBlocks::new(Corpus::GermEval, Language::De);
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            blocks.end_sentence();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            return Err(DataError::Format {
                path: path.to_path_buf(),
                line: n + 1,
                message: format!("expected `idx token outer inner`, found {line:?}"),
            });
        }
        let tag = iob2(fields[2]).and_then(|(b, label)| germeval_kind(label).map(|k| (b, k)));
        blocks.token(fields[1], tag);
    }
    Ok(blocks.finish())
}

/// The factRuEval span types that are (part of) a name; the others describe (`org_descr`,
/// `loc_descr`, `job`).
const NAME_PARTS: &[&str] = &[
    "name",
    "surname",
    "patronymic",
    "nickname",
    "org_name",
    "loc_name",
    "geo_adj",
];

/// What a factRuEval mention makes of the descriptors written next to a name ("мэрии" in
/// "мэрии Москвы", "города" in "города Феникс", "памятника" in "памятника Юрию Долгорукому").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Descriptors {
    /// Left out: a mention is a run of name parts only ("Москвы", "Феникс"). What xabar
    /// trains on and is scored on: a mention names, and a title or descriptor is a role or
    /// context, not part of the name.
    Left,
    /// Kept: a mention is a run of the object's spans, descriptors included, that holds a
    /// name part ("мэрии Москвы"). Scored as a second reading, for comparison.
    Kept,
}

/// Byte offset of every char offset of `text`, plus the end.
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    offsets.push(text.len());
    offsets
}

/// Keeps, of spans that overlap, the one that starts first (the longer on a tie); returns them
/// sorted.
fn drop_overlapping(mut spans: Vec<GoldSpan>) -> Vec<GoldSpan> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<GoldSpan> = Vec::with_capacity(spans.len());
    for span in spans {
        if kept.last().is_some_and(|last| last.end > span.start) {
            continue;
        }
        kept.push(span);
    }
    kept
}

/// Reads factRuEval-2016's `devset/` (or `testset/`) folder: one document per `.txt` file with
/// its `.spans` and `.objects`.
pub fn read_factrueval(dir: &Path, descriptors: Descriptors) -> Result<Vec<Document>, DataError> {
    let mut docs = Vec::new();
    let texts: Vec<PathBuf> = list(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    for (index, txt) in texts.iter().enumerate() {
        let text = read(txt)?;
        let chars = char_to_byte(&text);
        let spans_path = txt.with_extension("spans");
        let objects_path = txt.with_extension("objects");
        // span id → (type, char start, char end)
        let mut parts = std::collections::HashMap::new();
        for (n, line) in read(&spans_path)?.lines().enumerate() {
            let fields: Vec<&str> = line.split_whitespace().take(4).collect();
            if fields.is_empty() {
                continue;
            }
            let parsed = match fields.as_slice() {
                [id, kind, start, len] => start
                    .parse::<usize>()
                    .ok()
                    .zip(len.parse::<usize>().ok())
                    .map(|(s, l)| (id.to_string(), (kind.to_string(), s, s + l))),
                _ => None,
            };
            let Some((id, part)) = parsed else {
                return Err(DataError::Format {
                    path: spans_path.clone(),
                    line: n + 1,
                    message: format!("expected `id type start length …`, found {line:?}"),
                });
            };
            if part.2 >= chars.len() {
                return Err(DataError::Format {
                    path: spans_path.clone(),
                    line: n + 1,
                    message: "span ends past the text".to_string(),
                });
            }
            parts.insert(id, part);
        }
        let mut spans = Vec::new();
        for (n, line) in read(&objects_path)?.lines().enumerate() {
            let head = line.split('#').next().unwrap_or("");
            let fields: Vec<&str> = head.split_whitespace().collect();
            let [_, object, ids @ ..] = fields.as_slice() else {
                continue;
            };
            let mut members = Vec::new();
            for id in ids {
                let Some(part) = parts.get(*id) else {
                    return Err(DataError::Format {
                        path: objects_path.clone(),
                        line: n + 1,
                        message: format!("object names span {id}, which the .spans file lacks"),
                    });
                };
                members.push(part);
            }
            let kind = match *object {
                "Person" => EntityKind::Person,
                "Org" => EntityKind::Organisation,
                "Location" | "LocOrg" => EntityKind::Place,
                _ => continue,
            };
            // An object lists every span that names it, all through the text: each run of
            // spans with only white space between them is one mention.
            members.sort_by_key(|p| (p.1, p.2));
            let mut runs: Vec<(usize, usize, bool)> = Vec::new();
            for &&(ref part, start, end) in &members {
                let named = NAME_PARTS.contains(&part.as_str());
                if !named && descriptors == Descriptors::Left {
                    continue;
                }
                if let Some(last) = runs.last_mut() {
                    let gap = &text[chars[last.1.min(start)]..chars[start.max(last.1)]];
                    if start <= last.1 || gap.chars().all(char::is_whitespace) {
                        last.1 = last.1.max(end);
                        last.2 |= named;
                        continue;
                    }
                }
                runs.push((start, end, named));
            }
            for (start, end, named) in runs {
                // A run of descriptors alone ("движение", "банк") names nothing.
                if named {
                    spans.push(GoldSpan {
                        start: chars[start],
                        end: chars[end],
                        kind,
                    });
                }
            }
        }
        let id = txt
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        docs.push(Document {
            corpus: Corpus::FactRuEval,
            id,
            lang: Language::Ru,
            text,
            spans: drop_overlapping(spans),
            fold: index % 5,
        });
    }
    Ok(docs)
}

/// BSNLP's labels as kinds; `EVT` and `PRO` are outside.
fn bsnlp_kind(label: &str) -> Option<EntityKind> {
    match label {
        "PER" => Some(EntityKind::Person),
        "ORG" => Some(EntityKind::Organisation),
        "LOC" => Some(EntityKind::Place),
        _ => None,
    }
}

/// Whether `c` continues a word, so that a match next to it is not a whole-word match.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, 'ʻ' | 'ʼ' | '\u{0301}')
}

/// Every whole-word occurrence of `form` in `text`, as byte spans.
fn occurrences<'a>(text: &'a str, form: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    text.match_indices(form).filter_map(move |(start, m)| {
        let end = start + m.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let whole = !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char);
        whole.then_some((start, end))
    })
}

/// Reads one BSNLP raw document (`id`, `lang`, date, url, title, body lines): returns its
/// id and its text, the title and the body joined by a line break.
fn bsnlp_raw(path: &Path) -> Result<(String, String), DataError> {
    let content = read(path)?;
    let mut lines = content.lines();
    let id = lines.next().unwrap_or("").trim().to_string();
    // Language, date and url.
    for _ in 0..3 {
        lines.next();
    }
    let text: Vec<&str> = lines.collect();
    if id.is_empty() {
        return Err(DataError::Format {
            path: path.to_path_buf(),
            line: 1,
            message: "missing document id".to_string(),
        });
    }
    Ok((id, text.join("\n").trim_end().to_string()))
}

/// Reads the BSNLP folder (`<topic>/{raw,annotated}/<lang>/`): one document per raw file
/// that has an annotation file, with the annotated forms projected onto the text.
pub fn read_bsnlp(dir: &Path) -> Result<Vec<Document>, DataError> {
    let mut docs = Vec::new();
    for topic_dir in list(dir)? {
        let Some(topic) = topic_dir
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
        else {
            continue;
        };
        let raw_dir = topic_dir.join("raw");
        if !raw_dir.is_dir() {
            continue;
        }
        for lang_dir in list(&raw_dir)? {
            let code = lang_dir
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Ok(lang) = code.parse::<Language>() else {
                continue;
            };
            for raw in list(&lang_dir)? {
                let Some(name) = raw.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                    continue;
                };
                let annotated = topic_dir
                    .join("annotated")
                    .join(&code)
                    .join(format!("{name}.out"));
                if !annotated.is_file() {
                    continue;
                }
                let (_, text) = bsnlp_raw(&raw)?;
                let forms = bsnlp_forms(&annotated)?;
                let spans = project(&text, &forms);
                let fold = if topic == BSNLP_HELD_OUT_TOPIC {
                    HELD_OUT_FOLD
                } else {
                    5
                };
                docs.push(Document {
                    corpus: Corpus::Bsnlp,
                    id: format!("{topic}/{code}/{name}"),
                    lang,
                    text,
                    spans,
                    fold,
                });
            }
        }
    }
    Ok(docs)
}

/// The annotated forms of one BSNLP document: (surface form, kind or `None` for EVT/PRO);
/// malformed lines are skipped.
fn bsnlp_forms(path: &Path) -> Result<Vec<(String, Option<EntityKind>)>, DataError> {
    let mut forms = Vec::new();
    for line in read(path)?.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            // A few lines in the set have spaces where tabs belong; their form cannot be told
            // from their base form, so they are skipped.
            continue;
        }
        let surface = fields[0].trim();
        if !surface.is_empty() {
            forms.push((surface.to_string(), bsnlp_kind(fields[2].trim())));
        }
    }
    Ok(forms)
}

/// Projects annotated surface forms onto their whole-word occurrences in `text`, longest forms
/// first, never over an occurrence already taken.
fn project(text: &str, forms: &[(String, Option<EntityKind>)]) -> Vec<GoldSpan> {
    let mut order: Vec<&(String, Option<EntityKind>)> = forms.iter().collect();
    // Longest first; ties in a fixed order so the projection is deterministic.
    order.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    order.dedup_by(|a, b| a.0 == b.0);
    let mut taken: Vec<(usize, usize, Option<EntityKind>)> = Vec::new();
    for (form, kind) in order {
        for (start, end) in occurrences(text, form) {
            if taken.iter().any(|&(s, e, _)| s < end && start < e) {
                continue;
            }
            taken.push((start, end, *kind));
        }
    }
    let mut spans: Vec<GoldSpan> = taken
        .into_iter()
        .filter_map(|(start, end, kind)| kind.map(|kind| GoldSpan { start, end, kind }))
        .collect();
    spans.sort();
    spans
}

/// Where each set lives under the evaluation folder (`../shared/eval`).
pub mod paths {
    /// KazNERD's development part.
    pub const KAZNERD: &str = "ner/kaznerd/IOB2_valid.txt";
    /// factRuEval-2016's development part.
    pub const FACTRUEVAL: &str = "ner/factrueval/devset";
    /// GermEval 2014's development part.
    pub const GERMEVAL: &str = "ner/germeval/NER-de-dev.tsv";
    /// BSNLP 2021's topics.
    pub const BSNLP: &str = "entities/bsnlp";
}

/// Reads all four sets from the evaluation folder, in a fixed order.
pub fn read_all(eval: &Path) -> Result<Vec<Document>, DataError> {
    let mut docs = read_kaznerd(&eval.join(paths::KAZNERD))?;
    docs.extend(read_factrueval(
        &eval.join(paths::FACTRUEVAL),
        Descriptors::Left,
    )?);
    docs.extend(read_germeval(&eval.join(paths::GERMEVAL))?);
    docs.extend(read_bsnlp(&eval.join(paths::BSNLP))?);
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob2_sentences_become_spans() {
        let mut blocks = SentenceBlocks::new(Corpus::KazNerd, Language::Kk);
        let p = Some((true, EntityKind::Person));
        let pi = Some((false, EntityKind::Person));
        let g = Some((true, EntityKind::Place));
        blocks.token("Қасым-Жомарт", p);
        blocks.token("Тоқаев", pi);
        blocks.token("Астанаға", g);
        blocks.token("Алматыға", g);
        blocks.token("келді", None);
        blocks.end_sentence();
        // A stray I- opens a mention.
        blocks.token("Ресей", Some((false, EntityKind::Place)));
        let docs = blocks.finish();
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        let texts: Vec<(&str, EntityKind)> = doc
            .spans
            .iter()
            .map(|s| (&doc.text[s.start..s.end], s.kind))
            .collect();
        assert_eq!(
            texts,
            [
                ("Қасым-Жомарт Тоқаев", EntityKind::Person),
                ("Астанаға", EntityKind::Place),
                ("Алматыға", EntityKind::Place),
                ("Ресей", EntityKind::Place),
            ]
        );
        assert_eq!(
            doc.text,
            "Қасым-Жомарт Тоқаев Астанаға Алматыға келді\nРесей\n"
        );
    }

    #[test]
    fn projection_takes_whole_words_longest_first() {
        let text = "Борис Джонсон и Джонсона; Джонсонвиль. Brexit в ЕС";
        let forms = vec![
            ("Джонсон".to_string(), Some(EntityKind::Person)),
            ("Борис Джонсон".to_string(), Some(EntityKind::Person)),
            ("Джонсона".to_string(), Some(EntityKind::Person)),
            ("Brexit".to_string(), None),
            ("ЕС".to_string(), Some(EntityKind::Organisation)),
        ];
        let spans = project(text, &forms);
        let texts: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(texts, ["Борис Джонсон", "Джонсона", "ЕС"]);
    }

    #[test]
    fn overlapping_spans_keep_the_outer() {
        let span = |start, end| GoldSpan {
            start,
            end,
            kind: EntityKind::Place,
        };
        let kept = drop_overlapping(vec![span(4, 6), span(0, 6), span(8, 9), span(5, 9)]);
        assert_eq!(kept, [span(0, 6), span(8, 9)]);
    }

    #[test]
    fn dev_sets_read_when_present() {
        let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
        if !eval.is_dir() {
            println!("skipped: {} is missing", eval.display());
            return;
        }
        let docs = match read_all(&eval) {
            Ok(docs) => docs,
            Err(e) => panic!("reading {}: {e}", eval.display()),
        };
        for corpus in [
            Corpus::KazNerd,
            Corpus::FactRuEval,
            Corpus::GermEval,
            Corpus::Bsnlp,
        ] {
            let of: Vec<&Document> = docs.iter().filter(|d| d.corpus == corpus).collect();
            assert!(!of.is_empty(), "{corpus}: no documents");
            assert!(
                of.iter().any(|d| d.held_out()),
                "{corpus}: nothing held out"
            );
            let spans: usize = of.iter().map(|d| d.spans.len()).sum();
            assert!(spans > 100, "{corpus}: only {spans} mentions");
        }
        for doc in &docs {
            let mut end = 0;
            for span in &doc.spans {
                assert!(span.start >= end && span.start < span.end, "{}", doc.id);
                assert!(doc.text.get(span.start..span.end).is_some(), "{}", doc.id);
                end = span.end;
            }
        }
    }
}
