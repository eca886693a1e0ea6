//! Resolving a speaker phrase onto the article's mentions: a name to the mention it overlaps
//! (or one sharing its surname), a pronoun to the nearest fitting person before it, a role
//! ("Қозоғистон раҳбари", "der kasachische Führer") to the person of the article who holds
//! that office — by the title the article gave them, or by the offices the knowledge base
//! records — and a document phrase to the organisation it names.
//!
//! A role phrase names a person: it resolves to a person or to nobody, never to the country
//! or the organisation written inside it ("*Қазақстан* Президенті"). Only a spokesperson's
//! title may stand for the organisation it speaks for.

use xabar_core::{EntityId, EntityKind, Mention};

use super::lexicon::{Gender, Lexicon, WordOrder, fold};
use super::words::{Token, tokenize, tokenize_unfolded};
use crate::kb::{KnowledgeBase, Role};

/// How far back (bytes) a pronoun looks for a title without a name.
const TITLE_REACH: usize = 600;

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
        let class = words.iter().find_map(|w| self.lexicon.role_class(&w.key));
        if let (Some(class), false) = (class, document) {
            return self.titled(&words, span, class);
        }
        if let Some(entity) = self.overlapping(span, document) {
            return Some(entity);
        }
        self.by_surname(&words, span.0)
    }

    /// The titles written in `from..to` (see [`super::TitlePhrase`]), in text order.
    pub(crate) fn titles(&self, from: usize, to: usize) -> Vec<super::TitlePhrase> {
        let tokens = tokenize(self.text, from, to);
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if !t.is_word() || self.lexicon.role_class(&t.key).is_none() {
                i += 1;
                continue;
            }
            // A title word inside a name's mention ("Президент Путин" tagged whole) is that
            // name's, and the mention says who.
            if self
                .person_over(t.start, t.end)
                .is_some_and(|m| self.has_name_word(m))
            {
                i += 1;
                continue;
            }
            let first = self.title_start(&tokens, i);
            // A genitive place after the title word: "президент Казахстана" (in the
            // languages that put it there; a Turkic title ends in its title word).
            let mut last = i;
            while self.lexicon.order == WordOrder::Svo
                && let Some(next) = tokens.get(last + 1)
                && next.is_word()
                && self.place_over(next.start, next.end)
            {
                last += 1;
            }
            let span = (tokens[first].start, tokens[last].end);
            // "Қазақстан Президенті Қасым-Жомарт Тоқаев": the name that follows holds it.
            let apposed = tokens
                .get(last + 1)
                .filter(|n| n.is_word())
                .and_then(|n| self.person_over(n.start, n.end))
                .filter(|m| m.start >= span.1 && self.has_name_word(m));
            let holder = match apposed {
                Some(m) => m.entity.clone(),
                None => {
                    let words: Vec<&Token> = tokens[first..=last].iter().collect();
                    self.office_holder(&words, span)
                }
            };
            out.push(super::TitlePhrase {
                start: span.0,
                end: span.1,
                holder,
            });
            i = last + 1;
        }
        out
    }

    /// The first token of the title whose role word is `tokens[role]`: the places, state
    /// words, articles and one lower-case qualifier right before it ("Қозоғистон раҳбари",
    /// "der kasachische Führer", "Мемлекет басшысы").
    fn title_start(&self, tokens: &[Token], role: usize) -> usize {
        let mut first = role;
        let mut qualified = false;
        // A tagger's person mention made of the title alone holds its words.
        let own = self.person_over(tokens[role].start, tokens[role].end);
        while first > 0 && role - first < 3 {
            let p = &tokens[first - 1];
            if !p.is_word() {
                break;
            }
            let fixed = self.place_over(p.start, p.end)
                || self.lexicon.is_state_word(&p.key)
                || self.lexicon.is_article(&p.key)
                || own.is_some_and(|m| m.start <= p.start);
            let qualifier = !fixed
                && !qualified
                && !p.capitalized
                && !self.lexicon.is_stop(&p.key)
                && self.lexicon.pronoun(&p.key).is_none()
                && self.lexicon.role_class(&p.key).is_none()
                && !self
                    .mentions
                    .iter()
                    .any(|m| m.start < p.end && p.start < m.end);
            if !fixed && !qualifier {
                break;
            }
            qualified |= qualifier;
            first -= 1;
        }
        first
    }

    /// The person mention overlapping `start..end`, if any.
    fn person_over(&self, start: usize, end: usize) -> Option<&'a Mention> {
        self.mentions
            .iter()
            .copied()
            .find(|m| m.kind == EntityKind::Person && m.start < end && start < m.end)
    }

    /// Whether a place mention holds `start..end`.
    fn place_over(&self, start: usize, end: usize) -> bool {
        self.mentions
            .iter()
            .any(|m| m.kind == EntityKind::Place && m.start <= start && end <= m.end)
    }

    /// A phrase holding a title: the person named in it ("глава МИД Сергей Лавров"), else the
    /// person who holds the office, else one sharing a name word with it; a spokesperson's
    /// title with nobody found stands for the organisation it names.
    fn titled(&self, words: &[&Token], span: (usize, usize), class: &str) -> Option<EntityId> {
        let named = self
            .mentions
            .iter()
            .rev()
            .filter(|m| m.kind == EntityKind::Person && m.start < span.1 && span.0 < m.end)
            .find(|m| self.has_name_word(m));
        if let Some(m) = named {
            return m.entity.clone();
        }
        if let Some(entity) = self.office_holder(words, span) {
            return Some(entity);
        }
        if let Some(entity) = self.by_surname(words, span.0) {
            return Some(entity);
        }
        if class == "spokesperson" {
            return self
                .mentions
                .iter()
                .rev()
                .find(|m| m.kind == EntityKind::Organisation && m.start < span.1 && span.0 < m.end)
                .and_then(|m| m.entity.clone());
        }
        None
    }

    /// Whether a person mention holds a word that is part of a name. Name words follow the
    /// title words in every language read here ("Президент Путин", "Қазақстан Президенті
    /// Тоқаев", "der kasachische Präsident Toqajew"), so only the words after the last title
    /// word count, and of those neither qualifiers nor places: "Қозоғистон раҳбари" tagged
    /// as a person holds none, so it is a title, not a name.
    pub(crate) fn has_name_word(&self, m: &Mention) -> bool {
        let tokens = tokenize(self.text, m.start, m.end);
        let words: Vec<&Token> = tokens.iter().filter(|t| t.is_word()).collect();
        let after_title = words
            .iter()
            .rposition(|t| self.lexicon.role_class(&t.key).is_some())
            .map_or(0, |i| i + 1);
        words[after_title..].iter().any(|t| {
            !self.lexicon.is_state_word(&t.key)
                && !self.lexicon.is_article(&t.key)
                && !self
                    .mentions
                    .iter()
                    .any(|p| p.kind == EntityKind::Place && p.start <= t.start && t.end <= p.end)
                && !self.text.get(t.start..t.end).is_some_and(is_known_place)
        })
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
        let named = self
            .mentions
            .iter()
            .rev()
            .filter(|m| m.end <= at && m.kind == wanted && !self.inside_quote(m.start))
            .find(|m| gender_fits(guess_gender(&m.text), gender));
        if wanted != EntityKind::Person {
            return named.and_then(|m| m.entity.clone());
        }
        // A title without a name between that person and the pronoun is nearer: "Путин уни
        // кутиб олди. Қозоғистон раҳбари … У …" is the Kazakh leader.
        let from = named.map_or(at.saturating_sub(TITLE_REACH), |m| m.end);
        let from = self
            .text
            .floor_char_boundary(from.max(at.saturating_sub(TITLE_REACH)));
        let titled = self
            .titles(from, at)
            .into_iter()
            .rev()
            .filter(|t| !self.inside_quote(t.start))
            .filter_map(|t| t.holder)
            .find(|holder| {
                let text = self
                    .mentions
                    .iter()
                    .find(|m| m.entity.as_ref() == Some(holder))
                    .map_or("", |m| m.text.as_str());
                gender_fits(guess_gender(text), gender)
            });
        titled.or_else(|| named.and_then(|m| m.entity.clone()))
    }

    /// The person of the article who holds the office the phrase at `span` names: by the
    /// title the article gives them, or by the offices the knowledge base records.
    fn office_holder(&self, words: &[&Token], span: (usize, usize)) -> Option<EntityId> {
        let at = span.0;
        let wanted = self.office(words.iter().copied());
        let wanted_class = wanted.class.as_deref()?;
        // Places named inside the phrase ("Қазақстан" in "Қазақстан Президенті").
        let place_ids: Vec<&EntityId> = self
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Place && m.start < span.1 && span.0 < m.end)
            .filter_map(|m| m.entity.as_ref())
            .collect();
        let mut best: Option<(Rank, &EntityId)> = None;
        let mut cache: Vec<(&EntityId, Vec<RecordedOffice>)> = Vec::new();
        for m in self
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
        {
            let Some(entity) = m.entity.as_ref() else {
                continue;
            };
            let office = self.office_of(m);
            // Once per entity: an article names its people many times.
            let recorded = match cache.iter().find(|(e, _)| *e == entity) {
                Some((_, r)) => r,
                None => {
                    cache.push((entity, recorded_offices(entity, wanted_class)));
                    &cache[cache.len() - 1].1
                }
            };
            let recorded_place = recorded.iter().any(|(id, stems)| {
                place_ids.contains(&id) || wanted.places.iter().any(|s| stems.contains(s))
            });
            if office.class.as_deref().is_some_and(|c| c != wanted_class) && recorded.is_empty() {
                continue;
            }
            let written_place = wanted.places.iter().any(|p| office.places.contains(p));
            let places_meet = written_place || recorded_place;
            if !wanted.places.is_empty() && !office.places.is_empty() && !places_meet {
                continue;
            }
            // The knowledge base says this person holds the office elsewhere, and the phrase
            // names a place: another country's president.
            if !recorded.is_empty() && !place_ids.is_empty() && !places_meet {
                continue;
            }
            let class_known = office.class.is_some() || !recorded.is_empty();
            let score = 2 * u32::from(class_known) + 3 * u32::from(places_meet);
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
        let from = self.text.floor_char_boundary(m.start.saturating_sub(120));
        // Only the last few words before the mention are read: fold just those.
        let mut before = tokenize_unfolded(self.text, from, m.start);
        let mut context = Vec::new();
        for t in before.iter_mut().rev() {
            if !t.is_word() || context.len() == CONTEXT_WORDS {
                break;
            }
            t.key = fold(self.text.get(t.start..t.end).unwrap_or_default());
            if self.lexicon.is_stop(&t.key) {
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

/// An office the knowledge base records: where it is held, and the stems of that place's
/// names.
type RecordedOffice = (EntityId, Vec<String>);

/// The offices of role `class` the knowledge base records for `entity`: for each, the
/// country or organisation it is held in and the stems of that place's names (so that
/// "kasachische" and "Қозоғистон" meet `kb:place/kz`). Empty for an entity the knowledge base
/// does not hold.
fn recorded_offices(entity: &EntityId, class: &str) -> Vec<RecordedOffice> {
    let kb = KnowledgeBase::global();
    let Some(person) = kb.get(&entity.0) else {
        return Vec::new();
    };
    let mut out: Vec<RecordedOffice> = Vec::new();
    for office in &person.offices {
        let Some(of) = office.of.as_ref() else {
            continue;
        };
        if !role_in_class(office.role, class) || out.iter().any(|(id, _)| id == of) {
            continue;
        }
        let mut stems: Vec<String> = Vec::new();
        if let Some(place) = kb.get(&of.0) {
            for alias in &place.aliases {
                for word in alias.text.split_whitespace() {
                    let key = fold(word);
                    if key.chars().count() > 2 {
                        let s = stem(&key);
                        if !stems.contains(&s) {
                            stems.push(s);
                        }
                    }
                }
            }
        }
        out.push((of.clone(), stems));
    }
    out
}

/// Whether an office of the knowledge base is one the speech data's role class names (`head`:
/// president, leader, head of state or government).
fn role_in_class(role: Role, class: &str) -> bool {
    match class {
        "head" => matches!(
            role,
            Role::President
                | Role::PrimeMinister
                | Role::Chancellor
                | Role::Monarch
                | Role::SupremeLeader
                | Role::NationalLeader
                | Role::PartyLeader
        ),
        "minister" => matches!(role, Role::ForeignMinister | Role::PrimeMinister),
        "spokesperson" => role == Role::Spokesperson,
        "director" => matches!(
            role,
            Role::SecretaryGeneral
                | Role::Speaker
                | Role::CommissionPresident
                | Role::CouncilPresident
                | Role::HighRepresentative
        ),
        _ => false,
    }
}

/// Whether a word as written is a place of the knowledge base (by alias).
fn is_known_place(word: &str) -> bool {
    KnowledgeBase::global()
        .by_alias(word)
        .any(|hit| hit.entity.kind == EntityKind::Place)
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
