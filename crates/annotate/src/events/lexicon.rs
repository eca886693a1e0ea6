//! Event trigger words and tense cues per language, read from `data/events/<lang>.txt`.
//!
//! A trigger is a phrase of one to three words, each matched as the start of a text word
//! (`ташриф` matches `ташрифи`, `переговор` matches `переговоры`) or, ending in `=`, as the
//! whole word. Cues say an event is planned: words (`будет`, `бўлажак`, `bevorstehend`), verb
//! endings (`-ади`, `-acak`), and how a place is marked as the event's location: Turkic case
//! endings on the place's word (`Россияга`, `Душанбедегі`) or a preposition before it
//! (`в`, `nach`, `to`).

use std::collections::HashMap;

use thiserror::Error;
use xabar_core::EventKind;

/// A defect in an event data file (found by the tests; the files are compiled in).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("data/events/{file}.txt line {line}: {message}")]
pub struct EventDataError {
    /// The language code of the file.
    pub file: &'static str,
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// One word of a pattern.
#[derive(Debug, Clone)]
pub(crate) struct WordPattern {
    pub text: Box<str>,
    /// The whole word, not its start.
    pub exact: bool,
}

impl WordPattern {
    fn parse(raw: &str, key: impl Fn(&str) -> String) -> WordPattern {
        let exact = raw.ends_with('=');
        let text = key(raw.trim_end_matches('='));
        WordPattern {
            text: text.into(),
            exact,
        }
    }

    pub(crate) fn matches(&self, word: &str) -> bool {
        if self.exact {
            word == &*self.text
        } else {
            word.starts_with(&*self.text)
        }
    }
}

/// A trigger phrase and the kind of event it announces.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    pub kind: EventKind,
    pub words: Vec<WordPattern>,
}

/// One language's event vocabulary.
#[derive(Debug, Default)]
pub(crate) struct EventLexicon {
    /// Triggers by the first two chars of their first word.
    triggers: HashMap<Box<str>, Vec<Trigger>>,
    planned: Vec<WordPattern>,
    planned_endings: Vec<Box<str>>,
    /// Endings that mark a place word as the location or destination (Turkic).
    pub place_endings: Vec<Box<str>>,
    /// Prepositions that mark the next word as the location or destination.
    pub place_preps: Vec<WordPattern>,
    turkic_i: bool,
}

fn prefix2(word: &str) -> &str {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    &word[..end]
}

impl EventLexicon {
    pub(crate) fn parse(file: &'static str, text: &str) -> Result<EventLexicon, EventDataError> {
        let mut lex = EventLexicon {
            turkic_i: matches!(file, "tr" | "az" | "kk"),
            ..EventLexicon::default()
        };
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |message: String| EventDataError {
                file,
                line: n + 1,
                message,
            };
            let mut fields = line.split_whitespace();
            let kind = fields.next().unwrap_or("");
            let rest: Vec<&str> = fields.collect();
            if rest.is_empty() {
                return Err(err(format!("{kind} line without words")));
            }
            match kind {
                "trigger" => {
                    let event = parse_kind(rest[0])
                        .ok_or_else(|| err(format!("unknown event kind {:?}", rest[0])))?;
                    let words: Vec<WordPattern> = rest[1..]
                        .iter()
                        .map(|w| WordPattern::parse(w, |s| lex.key(s)))
                        .collect();
                    let Some(first) = words.first() else {
                        return Err(err("trigger without words".into()));
                    };
                    let key: Box<str> = prefix2(&first.text).into();
                    lex.triggers
                        .entry(key)
                        .or_default()
                        .push(Trigger { kind: event, words });
                }
                "planned" => {
                    for w in rest {
                        lex.planned.push(WordPattern::parse(w, |s| lex.key(s)));
                    }
                }
                "planned-end" => {
                    for w in rest {
                        lex.planned_endings.push(lex.key(w).into());
                    }
                }
                "place-end" => {
                    for w in rest {
                        lex.place_endings.push(lex.key(w).into());
                    }
                }
                "place-prep" => {
                    // Prepositions are whole words (`на` must not match `народ`).
                    for w in rest {
                        let mut pattern = WordPattern::parse(w, |s| lex.key(s));
                        pattern.exact = true;
                        lex.place_preps.push(pattern);
                    }
                }
                _ => return Err(err(format!("unknown line kind {kind:?}"))),
            }
        }
        Ok(lex)
    }

    /// The lookup form of a word: lower case, apostrophes as ʻ, ё as е.
    pub(crate) fn key(&self, word: &str) -> String {
        let mut out = String::with_capacity(word.len());
        self.push_word_key(word, &mut out);
        out
    }

    /// Appends the lookup key of `word` to `out` (see [`EventLexicon::key`]).
    pub(crate) fn push_word_key(&self, word: &str, out: &mut String) {
        for c in word.chars() {
            self.push_key(c, out);
        }
    }

    fn push_key(&self, c: char, out: &mut String) {
        match c {
            'I' if self.turkic_i => out.push('ı'),
            'İ' if self.turkic_i => out.push('i'),
            'ё' | 'Ё' => out.push('е'),
            '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{02B9}' => out.push('\u{02BB}'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }

    /// Whether a word of the text (as written) could start a trigger: its first two chars,
    /// lowercased into `buf`, begin some trigger. Lets sentences without triggers be skipped
    /// without lowercasing their words.
    pub(crate) fn may_start_trigger(&self, word: &str, buf: &mut String) -> bool {
        buf.clear();
        for c in word.chars().take(2) {
            self.push_key(c, buf);
        }
        self.triggers.contains_key(prefix2(buf))
    }

    /// Triggers whose first word could start `word` (a lookup key).
    pub(crate) fn triggers_for(&self, word: &str) -> &[Trigger] {
        self.triggers
            .get(prefix2(word))
            .map_or(&[], |v| v.as_slice())
    }

    /// Whether a word (a lookup key) is a listed future cue (`будет`, `бўлажак`, `wird`).
    pub(crate) fn is_planned_word(&self, word: &str) -> bool {
        self.planned.iter().any(|p| p.matches(word))
    }

    /// Whether a word (a lookup key) is a future cue, listed or by its ending (`-йди`,
    /// `-acak`); endings are weaker evidence, since Turkic present forms serve both.
    pub(crate) fn is_planned_cue(&self, word: &str) -> bool {
        self.is_planned_word(word)
            || self
                .planned_endings
                .iter()
                .any(|e| word.len() > e.len() + 2 && word.ends_with(&**e))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.triggers.is_empty() && self.planned.is_empty()
    }
}

fn parse_kind(name: &str) -> Option<EventKind> {
    Some(match name {
        "visit" => EventKind::Visit,
        "meeting" => EventKind::Meeting,
        "talks" => EventKind::Talks,
        "signing" => EventKind::Signing,
        "congratulation" => EventKind::Congratulation,
        "statement" => EventKind::Statement,
        "election" => EventKind::Election,
        "appointment" => EventKind::Appointment,
        _ => return None,
    })
}
