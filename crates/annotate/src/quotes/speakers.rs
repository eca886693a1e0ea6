//! Resolving a speaker phrase onto the article's mentions: a name to the mention it overlaps
//! (or one sharing its surname), a pronoun to the nearest fitting person before it, a role
//! ("Қозоғистон раҳбари", "der kasachische Führer") to the person the article gave that
//! office, and a document phrase to the organisation it names.

use xabar_core::{EntityId, EntityKind, Mention};

use super::lexicon::{Gender, Lexicon};
use super::words::{Token, tokenize};

/// How many words before a mention may carry its title ("Қозоғистон президенти Тўқаев").
const CONTEXT_WORDS: usize = 4;

/// The mentions of one article, with what resolution needs.
pub(crate) struct Resolver<'a> {
    text: &'a str,
    lexicon: &'a Lexicon,
    /// Mentions linked to an entity, by start.
    mentions: Vec<&'a Mention>,
    /// Byte ranges of the quotations: a name said inside a quotation is no antecedent.
    quoted: Vec<(usize, usize)>,
}

/// How well a person fits an office: (score, mentions of the entity, whether it precedes,
/// minus the distance); higher is better.
type Rank = (u32, usize, bool, i64);

/// A role phrase read as an office: its class and the words that say whose office it is.
#[derive(Debug, Default)]
struct Office {
    class: Option<String>,
    /// The first letters of the other content words ("қозоғ", "kasac").
    places: Vec<String>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(text: &'a str, lexicon: &'a Lexicon, mentions: &'a [Mention]) -> Self {
        let mut linked: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.entity.is_some() && m.start < m.end && text.get(m.start..m.end).is_some())
            .collect();
        linked.sort_by_key(|m| (m.start, m.end));
        Resolver {
            text,
            lexicon,
            mentions: linked,
            quoted: Vec::new(),
        }
    }

    /// Records the quotations found, sorted by start.
    pub(crate) fn set_quoted(&mut self, mut quoted: Vec<(usize, usize)>) {
        quoted.sort_unstable();
        self.quoted = quoted;
    }

    fn inside_quote(&self, at: usize) -> bool {
        let i = self.quoted.partition_point(|&(s, _)| s <= at);
        self.quoted[..i]
            .iter()
            .rev()
            .take(4)
            .any(|&(s, e)| s <= at && at < e)
    }

    /// The entity a speaker phrase at `span` denotes, when the article says.
    pub(crate) fn resolve(&self, span: (usize, usize), document: bool) -> Option<EntityId> {
        if self.mentions.is_empty() {
            return None;
        }
        let tokens = tokenize(self.text, span.0, span.1);
        let words: Vec<&Token> = tokens.iter().filter(|t| t.is_word()).collect();
        if words.len() == 1
            && let Some(gender) = self.lexicon.pronoun(&words[0].key)
        {
            return self.antecedent(span.0, gender);
        }
        if let Some(entity) = self.overlapping(span, document) {
            return Some(entity);
        }
        if words
            .iter()
            .any(|w| self.lexicon.role_class(&w.key).is_some())
            && let Some(entity) = self.office_holder(&words, span.0)
        {
            return Some(entity);
        }
        self.by_surname(&words, span.0)
    }

    /// The mention inside the phrase: the last person (the head of "глава МИД Сергей Лавров"),
    /// else an organisation, else a place. A document phrase prefers the organisation.
    fn overlapping(&self, span: (usize, usize), document: bool) -> Option<EntityId> {
        let inside: Vec<&&Mention> = self
            .mentions
            .iter()
            .filter(|m| m.start < span.1 && span.0 < m.end)
            .collect();
        let of_kind = |kind: EntityKind| {
            inside
                .iter()
                .rev()
                .find(|m| m.kind == kind)
                .and_then(|m| m.entity.clone())
        };
        if document {
            of_kind(EntityKind::Organisation)
                .or_else(|| of_kind(EntityKind::Person))
                .or_else(|| of_kind(EntityKind::Place))
        } else {
            of_kind(EntityKind::Person)
                .or_else(|| of_kind(EntityKind::Organisation))
                .or_else(|| of_kind(EntityKind::Place))
        }
    }

    /// The nearest person before `at`, outside quotations, whose gender fits.
    fn antecedent(&self, at: usize, gender: Gender) -> Option<EntityId> {
        let wanted = match gender {
            Gender::Plural => return None,
            Gender::Neuter => EntityKind::Organisation,
            _ => EntityKind::Person,
        };
        self.mentions
            .iter()
            .rev()
            .filter(|m| m.end <= at && m.kind == wanted && !self.inside_quote(m.start))
            .find(|m| gender_fits(guess_gender(&m.text), gender))
            .and_then(|m| m.entity.clone())
    }

    /// The person the article gave the office the phrase names.
    fn office_holder(&self, words: &[&Token], at: usize) -> Option<EntityId> {
        let wanted = self.office(words.iter().copied());
        let wanted_class = wanted.class.as_deref()?;
        let mut best: Option<(Rank, &EntityId)> = None;
        for m in self
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
        {
            let Some(entity) = m.entity.as_ref() else {
                continue;
            };
            let office = self.office_of(m);
            if office.class.as_deref().is_some_and(|c| c != wanted_class) {
                continue;
            }
            let places_meet = wanted.places.iter().any(|p| office.places.contains(p));
            if !wanted.places.is_empty() && !office.places.is_empty() && !places_meet {
                continue;
            }
            let score = 2 * u32::from(office.class.is_some()) + 3 * u32::from(places_meet);
            if score < 2 {
                continue;
            }
            let count = self
                .mentions
                .iter()
                .filter(|o| o.entity.as_ref() == Some(entity))
                .count();
            let preceding = m.end <= at;
            let distance = -(m.start.abs_diff(at) as i64);
            let key = (score, count, preceding, distance);
            if best.as_ref().is_none_or(|(k, _)| key > *k) {
                best = Some((key, entity));
            }
        }
        best.map(|(_, e)| e.clone())
    }

    /// The office the text gives a mention: its `role`, and the title words right before it.
    fn office_of(&self, m: &Mention) -> Office {
        let mut words: Vec<Token> = Vec::new();
        if let Some(role) = &m.role {
            words.extend(
                tokenize(role, 0, role.len())
                    .into_iter()
                    .filter(Token::is_word),
            );
        }
        let from = floor_char_boundary(self.text, m.start.saturating_sub(120));
        let before = tokenize(self.text, from, m.start);
        let mut context = Vec::new();
        for t in before.iter().rev() {
            if !t.is_word() || context.len() == CONTEXT_WORDS || self.lexicon.is_stop(&t.key) {
                break;
            }
            context.push(t.clone());
        }
        // Only a title counts: words before a mention that hold no role word say nothing.
        if context
            .iter()
            .any(|t| self.lexicon.role_class(&t.key).is_some())
        {
            words.extend(context);
        }
        self.office(words.iter())
    }

    fn office<'t>(&self, words: impl Iterator<Item = &'t Token>) -> Office {
        let mut office = Office::default();
        for w in words {
            if let Some(class) = self.lexicon.role_class(&w.key) {
                office.class.get_or_insert_with(|| class.to_string());
                // "US-Präsidenten": the part before the hyphen says whose.
                if let Some((place, _)) = w.key.split_once('-') {
                    office.places.push(stem(place));
                }
            } else if !self.lexicon.is_state_word(&w.key)
                && !self.lexicon.is_article(&w.key)
                && !self.lexicon.is_stop(&w.key)
                && self.lexicon.pronoun(&w.key).is_none()
                && w.key.chars().count() > 2
            {
                office.places.push(stem(&w.key));
            }
        }
        office
    }

    /// The nearest person mention sharing a surname with the phrase ("Марков" and
    /// "Сергей Марков", "Тоқаевтың" and "Тоқаев").
    fn by_surname(&self, words: &[&Token], at: usize) -> Option<EntityId> {
        for w in words.iter().rev().filter(|w| w.capitalized) {
            let found = self
                .mentions
                .iter()
                .filter(|m| m.kind == EntityKind::Person)
                .filter(|m| {
                    tokenize(&m.text, 0, m.text.len())
                        .iter()
                        .any(|t| t.is_word() && same_stem(&t.key, &w.key))
                })
                .min_by_key(|m| (m.end > at, m.start.abs_diff(at)));
            if let Some(m) = found {
                return m.entity.clone();
            }
        }
        None
    }
}

/// The first five letters of a folded word: enough to meet "kasachische" with "Kasachstan"
/// and "России" with "российский".
fn stem(key: &str) -> String {
    key.chars().take(5).collect()
}

/// Whether two folded words are one name inflected: the shorter (four letters or more) is a
/// prefix of the longer.
fn same_stem(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 4 && long.starts_with(short)
}

/// A person's gender from a Slavic or Central Asian surname ending; `None` when it says
/// nothing (most names of other languages).
fn guess_gender(name: &str) -> Option<Gender> {
    let last = name.split_whitespace().last()?.to_lowercase();
    const FEMININE: [&str; 12] = [
        "ова", "ева", "ёва", "ина", "ская", "цкая", "ova", "eva", "ina", "skaya", "қызы", "qizi",
    ];
    const MASCULINE: [&str; 12] = [
        "ов", "ев", "ёв", "ин", "ский", "цкий", "ov", "ev", "in", "skiy", "ұлы", "o'g'li",
    ];
    if FEMININE.iter().any(|s| last.ends_with(s)) {
        Some(Gender::Feminine)
    } else if MASCULINE.iter().any(|s| last.ends_with(s)) {
        Some(Gender::Masculine)
    } else {
        None
    }
}

fn gender_fits(person: Option<Gender>, pronoun: Gender) -> bool {
    match (person, pronoun) {
        (None, _) | (_, Gender::Any) => true,
        (Some(p), wanted) => p == wanted,
    }
}

/// The largest char boundary at or below `i`.
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
