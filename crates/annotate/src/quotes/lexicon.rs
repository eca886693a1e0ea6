//! The per-language speech data in `data/speech/<lang>.txt`: speech verbs and other cues,
//! pronouns with their gender, role words, generic nouns that mark quoted names, interview
//! words, and the small closed-class lists the speaker-phrase reader needs.
//!
//! Parsed once into a [`Lexicon`] per language (and one merged lexicon for undetermined
//! text), kept in a `LazyLock`. Matching works on folded word keys (see [`fold`]).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use xabar_core::Language;

/// What a cue says about where the speaker is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    /// A speech verb: the speaker is its subject.
    Verb,
    /// The speaker is named right after the cue ("по словам X", "according to X").
    SourceAfter,
    /// The speaker is named right before the cue ("X zufolge", "X-нинг таъкидлашича").
    SourceBefore,
    /// A document or organisation is the source, named after the cue ("heißt es in …").
    DocumentAfter,
    /// A document or organisation is the source, named before the cue ("… баёнотда айтилишича").
    DocumentBefore,
}

/// One word of a cue pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// The folded word itself.
    Exact(String),
    /// Any folded word that starts with this.
    Prefix(String),
}

impl Pattern {
    fn parse(word: &str) -> Pattern {
        match word.strip_suffix('*') {
            Some(stem) => Pattern::Prefix(fold(stem)),
            None => Pattern::Exact(fold(word)),
        }
    }

    pub(crate) fn matches(&self, key: &str) -> bool {
        match self {
            Pattern::Exact(w) => w == key,
            Pattern::Prefix(p) => key.starts_with(p.as_str()),
        }
    }

    fn specificity(&self) -> usize {
        match self {
            Pattern::Exact(w) => 2 * w.len() + 1,
            Pattern::Prefix(p) => 2 * p.len(),
        }
    }
}

/// A speech cue: words matched in a row, optionally a gap of up to [`MAX_GAP`] words, then
/// more words (`fasste ... zusammen`).
#[derive(Debug, Clone)]
pub(crate) struct Cue {
    /// Words matched in a row from the cue's first word.
    pub head: Vec<Pattern>,
    /// Words matched after the gap; empty when the cue has no gap.
    pub tail: Vec<Pattern>,
    /// Where the speaker is.
    pub kind: CueKind,
    /// Only right after a closing quote mark.
    pub post_only: bool,
    /// The cue as written in the data, gap shown as a space ("fasste zusammen").
    pub text: String,
}

/// The most words a cue's gap may span.
pub(crate) const MAX_GAP: usize = 6;

/// Grammatical gender or number a pronoun marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gender {
    Masculine,
    Feminine,
    Plural,
    Neuter,
    /// The language does not mark it (Kazakh ол, Uzbek у).
    Any,
}

/// Where a language puts the subject of a speech verb when it is not beside the verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordOrder {
    /// Subject–object–verb (Turkic): the subject opens the clause.
    Sov,
    /// Subject–verb–object: the subject stands right before the verb.
    Svo,
}

/// A malformed line in a speech data file (a bug in the shipped data; a test guards it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("data/speech/{file}.txt line {line}: {message}")]
pub(crate) struct SpeechDataError {
    file: &'static str,
    line: usize,
    message: String,
}

/// The speech data of one language (or of all, merged).
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    pub order: WordOrder,
    cues: Vec<Cue>,
    /// Folded first word → cues starting with it exactly.
    cue_exact: HashMap<String, Vec<usize>>,
    /// Folded prefix → cues whose first word is that prefix.
    cue_prefix: HashMap<String, Vec<usize>>,
    pronouns: HashMap<String, Gender>,
    roles: Vec<(String, Pattern)>,
    state: Vec<Pattern>,
    name_nouns: Vec<Pattern>,
    interview: Vec<Pattern>,
    stop: HashSet<String>,
    articles: HashSet<String>,
    abbreviations: HashSet<String>,
    complementizers: HashSet<String>,
    connectors: HashSet<String>,
}

/// Folds a word for matching: lower case, every apostrophe variant as `'`, ё as е.
pub(crate) fn fold(word: &str) -> String {
    if word.is_ascii() {
        // The common case (English, German without umlauts, Latin Uzbek after
        // normalization): no apostrophe but `'`, one byte per letter.
        let mut out = word.to_ascii_lowercase();
        if out.contains('`') {
            out = out.replace('`', "'");
        }
        return out;
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '\'' | '‘' | '’' | 'ʻ' | 'ʼ' | '`' | 'ʹ' => out.push('\''),
            'ё' | 'Ё' => out.push('е'),
            c if c.is_lowercase() => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

impl Lexicon {
    fn empty(order: WordOrder) -> Lexicon {
        Lexicon {
            order,
            cues: Vec::new(),
            cue_exact: HashMap::new(),
            cue_prefix: HashMap::new(),
            pronouns: HashMap::new(),
            roles: Vec::new(),
            state: Vec::new(),
            name_nouns: Vec::new(),
            interview: Vec::new(),
            stop: HashSet::new(),
            articles: HashSet::new(),
            abbreviations: HashSet::new(),
            complementizers: HashSet::new(),
            connectors: HashSet::new(),
        }
    }

    /// Parses one data file (see `data/speech/README.md`).
    pub(crate) fn parse(file: &'static str, text: &str) -> Result<Lexicon, SpeechDataError> {
        let mut lexicon = Lexicon::empty(WordOrder::Svo);
        let mut section = String::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim_end();
            let line = line.trim_start();
            if line.is_empty() {
                continue;
            }
            let error = |message: String| SpeechDataError {
                file,
                line: index + 1,
                message,
            };
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.to_string();
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            match section.as_str() {
                "order" => {
                    lexicon.order = match line {
                        "sov" => WordOrder::Sov,
                        "svo" => WordOrder::Svo,
                        other => return Err(error(format!("unknown word order `{other}`"))),
                    }
                }
                "cues" => {
                    let [phrase, kind] = fields[..] else {
                        return Err(error("expected `phrase<TAB>kind`".into()));
                    };
                    lexicon.cues.push(parse_cue(phrase, kind).map_err(error)?);
                }
                "pronouns" => {
                    let [word, gender] = fields[..] else {
                        return Err(error("expected `word<TAB>gender`".into()));
                    };
                    let gender = match gender {
                        "m" => Gender::Masculine,
                        "f" => Gender::Feminine,
                        "p" => Gender::Plural,
                        "n" => Gender::Neuter,
                        "*" => Gender::Any,
                        other => return Err(error(format!("unknown gender `{other}`"))),
                    };
                    lexicon.pronouns.insert(fold(word), gender);
                }
                "roles" => {
                    let [class, word] = fields[..] else {
                        return Err(error("expected `class<TAB>word`".into()));
                    };
                    if word.contains(' ') {
                        return Err(error("a role is one word".into()));
                    }
                    lexicon
                        .roles
                        .push((class.to_string(), Pattern::parse(word)));
                }
                "state" | "name-nouns" | "interview" => {
                    if fields.len() != 1 || line.contains(' ') {
                        return Err(error("expected one word".into()));
                    }
                    let pattern = Pattern::parse(line);
                    match section.as_str() {
                        "state" => lexicon.state.push(pattern),
                        "name-nouns" => lexicon.name_nouns.push(pattern),
                        _ => lexicon.interview.push(pattern),
                    }
                }
                "stop" | "articles" | "abbreviations" | "complementizers" | "connectors" => {
                    if fields.len() != 1 || line.contains(' ') || line.ends_with('*') {
                        return Err(error("expected one plain word".into()));
                    }
                    let set = match section.as_str() {
                        "stop" => &mut lexicon.stop,
                        "articles" => &mut lexicon.articles,
                        "complementizers" => &mut lexicon.complementizers,
                        "connectors" => &mut lexicon.connectors,
                        _ => &mut lexicon.abbreviations,
                    };
                    set.insert(fold(line));
                }
                other => return Err(error(format!("line outside a known section `{other}`"))),
            }
        }
        lexicon.index();
        Ok(lexicon)
    }

    fn index(&mut self) {
        // More specific cues first, so that `деб таъкидлаган` wins over `таъкидла*` and the
        // exact `таъкидлашича` over the stem.
        self.cues.sort_by_key(|cue| {
            let words = cue.head.len() + cue.tail.len();
            let specificity: usize = cue.head.iter().map(Pattern::specificity).sum();
            std::cmp::Reverse((words, specificity))
        });
        self.cue_exact.clear();
        self.cue_prefix.clear();
        for (i, cue) in self.cues.iter().enumerate() {
            match &cue.head[0] {
                Pattern::Exact(w) => self.cue_exact.entry(w.clone()).or_default().push(i),
                Pattern::Prefix(p) => self.cue_prefix.entry(p.clone()).or_default().push(i),
            }
        }
    }

    fn merge(&mut self, other: &Lexicon) {
        self.cues.extend(other.cues.iter().cloned());
        for (k, v) in &other.pronouns {
            self.pronouns.entry(k.clone()).or_insert(*v);
        }
        self.roles.extend(other.roles.iter().cloned());
        self.state.extend(other.state.iter().cloned());
        self.name_nouns.extend(other.name_nouns.iter().cloned());
        self.interview.extend(other.interview.iter().cloned());
        self.stop.extend(other.stop.iter().cloned());
        self.articles.extend(other.articles.iter().cloned());
        self.abbreviations
            .extend(other.abbreviations.iter().cloned());
        self.complementizers
            .extend(other.complementizers.iter().cloned());
        self.connectors.extend(other.connectors.iter().cloned());
    }

    /// Cues whose first word matches the folded `key`, most specific first.
    pub(crate) fn cues_starting(&self, key: &str) -> impl Iterator<Item = &Cue> {
        let mut found: Vec<usize> = self.cue_exact.get(key).cloned().unwrap_or_default();
        for (i, _) in key.char_indices().skip(2) {
            if let Some(list) = self.cue_prefix.get(&key[..i]) {
                found.extend(list);
            }
        }
        if let Some(list) = self.cue_prefix.get(key) {
            found.extend(list);
        }
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| &self.cues[i])
    }

    /// The gender a pronoun marks, when `key` is a pronoun.
    pub(crate) fn pronoun(&self, key: &str) -> Option<Gender> {
        self.pronouns.get(key).copied()
    }

    /// The role class of a word ("head" for президенти), when it is a role word.
    pub(crate) fn role_class(&self, key: &str) -> Option<&str> {
        // Hyphenated compounds ("us-präsidenten", "вице-премьер") count by either part.
        self.roles
            .iter()
            .find(|(_, p)| p.matches(key))
            .or_else(|| {
                let last = key.rsplit('-').next().unwrap_or(key);
                if last.len() == key.len() {
                    return None;
                }
                self.roles.iter().find(|(_, p)| p.matches(last))
            })
            .map(|(class, _)| class.as_str())
    }

    pub(crate) fn is_state_word(&self, key: &str) -> bool {
        self.state.iter().any(|p| p.matches(key))
    }

    pub(crate) fn is_name_noun(&self, key: &str) -> bool {
        self.name_nouns.iter().any(|p| p.matches(key))
    }

    pub(crate) fn is_interview_word(&self, key: &str) -> bool {
        self.interview.iter().any(|p| p.matches(key))
    }

    pub(crate) fn is_stop(&self, key: &str) -> bool {
        self.stop.contains(key)
    }

    pub(crate) fn is_article(&self, key: &str) -> bool {
        self.articles.contains(key)
    }

    /// Whether the word marks what precedes it as reported speech (Uzbek деб, Kazakh деп).
    pub(crate) fn is_complementizer(&self, key: &str) -> bool {
        self.complementizers.contains(key)
    }

    /// Whether the word may join the parts of a title ("Minister *of* Water Resources").
    pub(crate) fn is_connector(&self, key: &str) -> bool {
        self.connectors.contains(key)
    }

    pub(crate) fn is_abbreviation(&self, key: &str) -> bool {
        self.abbreviations.contains(key)
    }
}

fn parse_cue(phrase: &str, kind: &str) -> Result<Cue, String> {
    let mut flags = kind.split(',').map(str::trim);
    let kind = match flags.next() {
        Some("verb") => CueKind::Verb,
        Some("source-after") => CueKind::SourceAfter,
        Some("source-before") => CueKind::SourceBefore,
        Some("document-after") => CueKind::DocumentAfter,
        Some("document-before") => CueKind::DocumentBefore,
        other => return Err(format!("unknown cue kind `{}`", other.unwrap_or(""))),
    };
    let mut post_only = false;
    for flag in flags {
        match flag {
            "post" => post_only = true,
            other => return Err(format!("unknown cue flag `{other}`")),
        }
    }
    let mut head = Vec::new();
    let mut tail = Vec::new();
    let mut in_tail = false;
    for word in phrase.split_whitespace() {
        if word == "..." {
            if in_tail || head.is_empty() {
                return Err("`...` must stand once, between words".into());
            }
            in_tail = true;
        } else if in_tail {
            tail.push(Pattern::parse(word));
        } else {
            head.push(Pattern::parse(word));
        }
    }
    if head.is_empty() || (in_tail && tail.is_empty()) {
        return Err("empty cue".into());
    }
    let text = phrase
        .split_whitespace()
        .filter(|w| *w != "...")
        .map(|w| w.trim_end_matches('*'))
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Cue {
        head,
        tail,
        kind,
        post_only,
        text,
    })
}

/// The shipped data files, by language.
pub(crate) const SHIPPED: &[(Language, &str, &str)] = &[
    (Language::Ru, "ru", include_str!("../../data/speech/ru.txt")),
    (Language::Kk, "kk", include_str!("../../data/speech/kk.txt")),
    (Language::Uz, "uz", include_str!("../../data/speech/uz.txt")),
    (Language::De, "de", include_str!("../../data/speech/de.txt")),
    (Language::En, "en", include_str!("../../data/speech/en.txt")),
    (Language::Ky, "ky", include_str!("../../data/speech/ky.txt")),
    (Language::Tr, "tr", include_str!("../../data/speech/tr.txt")),
];

struct Lexicons {
    by_language: HashMap<Language, Lexicon>,
    merged: Lexicon,
    /// The same, read with SOV word order, for Turkic languages without data of their own.
    merged_sov: Lexicon,
}

static LEXICONS: LazyLock<Lexicons> = LazyLock::new(|| {
    let mut by_language = HashMap::new();
    let mut merged = Lexicon::empty(WordOrder::Svo);
    // A malformed file is left out (a test keeps the shipped data sound): quotations are
    // still found, only that language's cues are missing.
    for &(language, file, text) in SHIPPED {
        if let Ok(lexicon) = Lexicon::parse(file, text) {
            merged.merge(&lexicon);
            by_language.insert(language, lexicon);
        }
    }
    merged.index();
    let mut merged_sov = merged.clone();
    merged_sov.order = WordOrder::Sov;
    Lexicons {
        by_language,
        merged,
        merged_sov,
    }
});

/// The lexicon for `language`; languages without their own file get every language's data
/// merged (a speech verb of one language is rarely an ordinary word of another near a
/// quote: Ukrainian сказав is not listed, but a Ukrainian text's Russian-looking cues are
/// found), read with SOV word order for Turkic languages.
pub(crate) fn lexicon(language: Language) -> &'static Lexicon {
    let lexicons = &*LEXICONS;
    match lexicons.by_language.get(&language) {
        Some(lexicon) => lexicon,
        None if language.is_turkic() => &lexicons.merged_sov,
        None => &lexicons.merged,
    }
}
