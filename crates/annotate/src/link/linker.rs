//! Entity identity across the articles of a run: the [`Linker`].
//!
//! Each article's mentions are first grouped by [`super::local`]; an article entity the
//! knowledge base has keeps the knowledge base's id. Any other is compared with the entities
//! earlier articles brought (`x:` ids), within the block of entities whose name shares its
//! [`skeleton`]:
//! - persons merge when their surnames match (transliteration keys, [`word_match_from`] ≥
//!   [`LinkerSettings::surname`]) and their given names or initials agree; when one of the two
//!   has no given name, the surnames must be the same key and the two must share
//!   [`LinkerSettings::context`] knowledge-base entities of their articles;
//! - places and organisations merge when their names have as many words, each matching; a
//!   fuzzy match (not the same key) needs a shared knowledge-base entity as well;
//! - two entities of one article never merge into one, and neither do two persons whose
//!   role phrases give different offices in different countries.
//!
//! A missed merge costs an analyst a second entry; a wrong one puts one person's words in
//! another's mouth. The thresholds lean to the first, and are measured by `xabar-eval entities`.
//! Everything is deterministic in the order articles are given.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use xabar_core::{EntityId, EntityKind, Language, Mention, Script};
use xabar_text::translit::Transliterator;

use super::local::{self, LocalEntity};
use super::names::{
    NameWords, PersonParts, WordKeys, given_compatible, skeleton, word_match_from,
    word_match_reaches, word_script,
};
use crate::kb::KnowledgeBase;

/// How close two given names must be for a surname to match more loosely.
const CLOSE_GIVEN: f64 = 0.9;

/// How much more loosely a surname may match when the given names are that close.
const SHORT_SURNAME_SLACK: f64 = 0.08;

/// The thresholds the linker merges by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkerSettings {
    /// Least [`key_similarity`](xabar_text::translit::key_similarity) of two surnames'
    /// keys for them to be one surname.
    pub surname: f64,
    /// Least similarity of two given names.
    pub given: f64,
    /// Least similarity of each word of two names of places or organisations.
    pub name: f64,
    /// How many knowledge-base entities two articles must share for a surname alone to join
    /// a person of another article.
    pub context: usize,
}

impl Default for LinkerSettings {
    /// The thresholds tuned on two BSNLP topics (`xabar-eval entities`; see docs/ENTITIES.md).
    fn default() -> LinkerSettings {
        LinkerSettings {
            surname: 0.88,
            given: 0.8,
            name: 0.88,
            context: 2,
        }
    }
}

/// One entity the linker knows of, for listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityEntry {
    /// Its id: `kb:…` for the knowledge base's entities, `x:…` for those found in the stream.
    pub id: EntityId,
    /// Person, organisation or place.
    pub kind: EntityKind,
    /// The canonical Latin name.
    pub name: String,
    /// How many mentions name it.
    pub mentions: usize,
    /// In how many articles.
    pub articles: usize,
    /// The forms it was written in, by language and script.
    pub aliases: Vec<AliasGroup>,
}

/// The forms of an entity's name in one language and script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasGroup {
    /// The language of the articles the forms were read in.
    pub language: Language,
    /// The script the forms are written in.
    pub script: Script,
    /// Each form as written, with its count, most frequent first.
    pub forms: Vec<AliasCount>,
}

/// One written form of a name and how often it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasCount {
    /// The form as written in the text (`Тўқаевнинг`).
    pub text: String,
    /// How many mentions wrote it so.
    pub count: usize,
}

/// What the linker keeps of one entity.
#[derive(Debug, Clone)]
struct Known {
    id: EntityId,
    kind: EntityKind,
    name: String,
    /// How good the name is (see [`NameRank`]), to replace it by a better one.
    name_rank: NameRank,
    in_kb: bool,
    /// For persons: the surname and every given name seen.
    person: Option<PersonParts>,
    givens: Vec<PersonParts>,
    /// For places and organisations: every form's words seen.
    forms: Vec<Vec<WordKeys>>,
    /// Knowledge-base entities of the articles it was named in, with counts.
    context: HashMap<u32, u32>,
    /// An office and country a role phrase gave it.
    role: Option<(crate::kb::Role, &'static str)>,
    aliases: BTreeMap<(Language, Script), BTreeMap<String, usize>>,
    /// First-seen order of alias forms, for stable listing.
    alias_order: HashMap<String, usize>,
    mentions: usize,
    articles: usize,
}

impl Known {
    /// An entity not yet seen in any article.
    fn new(
        id: EntityId,
        kind: EntityKind,
        name: String,
        name_rank: NameRank,
        in_kb: bool,
        person: Option<PersonParts>,
    ) -> Known {
        Known {
            id,
            kind,
            name,
            name_rank,
            in_kb,
            person,
            givens: Vec::new(),
            forms: Vec::new(),
            context: HashMap::new(),
            role: None,
            aliases: BTreeMap::new(),
            alias_order: HashMap::new(),
            mentions: 0,
            articles: 0,
        }
    }
}

/// Assigns stable ids to the entities of a stream of articles and merges them across articles,
/// languages and scripts (see the module documentation of [`crate::link`]).
#[derive(Debug, Default)]
pub struct Linker {
    settings: LinkerSettings,
    known: Vec<Known>,
    by_kb: HashMap<u32, usize>,
    /// Entities found in the stream, by kind and the skeleton of their name.
    blocks: HashMap<(EntityKind, String), Vec<usize>>,
    slugs: HashSet<String>,
    /// The keyed words of mention texts seen lately: the same names come back article after
    /// article. Emptied when it grows past [`WORD_CACHE`] entries.
    words: HashMap<Language, HashMap<String, NameWords>>,
}

/// How many mention texts the linker keeps keyed.
const WORD_CACHE: usize = 50_000;

impl Linker {
    /// A linker with the default thresholds.
    pub fn new() -> Linker {
        Linker::default()
    }

    /// A linker with other thresholds (for tuning).
    pub fn with_settings(settings: LinkerSettings) -> Linker {
        Linker {
            settings,
            ..Linker::default()
        }
    }

    /// Links the mentions of one article, in `language` and written mostly in `script`: sets
    /// every mention's `entity` (a `kb:` id, or an `x:` id stable for the run) and `name`.
    /// Articles must come in a fixed order for the ids to be reproducible; `article_id` is
    /// used only to count articles.
    pub fn link_article(
        &mut self,
        article_id: &str,
        language: Language,
        script: Script,
        mentions: &mut [Mention],
    ) {
        let _ = article_id;
        if self.words.values().map(HashMap::len).sum::<usize>() > WORD_CACHE {
            self.words.clear();
        }
        let cache = self.words.entry(language).or_default();
        // Looked up by `&str`, so that a text seen before costs no key allocation.
        let words: Vec<NameWords> = mentions
            .iter()
            .map(|m| match cache.get(m.text.as_str()) {
                Some(w) => w.clone(),
                None => {
                    let w = NameWords::of(&m.text, language, WordKeys::of);
                    cache.insert(m.text.clone(), w.clone());
                    w
                }
            })
            .collect();
        let locals = local::resolve(mentions, &words, language, script);
        let context: Vec<u32> = locals.iter().filter_map(|e| e.kb).collect();
        let mut taken: HashSet<usize> = HashSet::new();
        for local in &locals {
            let index = match local.kb {
                Some(kb) => self.kb_entity(kb),
                None => match self.find(local, &context, &taken) {
                    Some(k) => k,
                    None => self.create(local, mentions, language),
                },
            };
            taken.insert(index);
            self.absorb(index, local, mentions, language, &context);
            let known = &self.known[index];
            for &i in &local.mentions {
                mentions[i].entity = Some(known.id.clone());
                mentions[i].name = Some(known.name.clone());
            }
        }
    }

    /// Every entity seen so far, in the order first seen.
    pub fn entities(&self) -> Vec<EntityEntry> {
        self.known
            .iter()
            .map(|k| EntityEntry {
                id: k.id.clone(),
                kind: k.kind,
                name: k.name.clone(),
                mentions: k.mentions,
                articles: k.articles,
                aliases: k
                    .aliases
                    .iter()
                    .map(|(&(language, script), forms)| {
                        let mut forms: Vec<AliasCount> = forms
                            .iter()
                            .map(|(text, &count)| AliasCount {
                                text: text.clone(),
                                count,
                            })
                            .collect();
                        forms.sort_by_key(|f| {
                            (
                                std::cmp::Reverse(f.count),
                                k.alias_order.get(&f.text).copied().unwrap_or(usize::MAX),
                            )
                        });
                        AliasGroup {
                            language,
                            script,
                            forms,
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// The entry of a knowledge-base entity, made on first sight.
    fn kb_entity(&mut self, kb: u32) -> usize {
        if let Some(&k) = self.by_kb.get(&kb) {
            return k;
        }
        let (id, kind, name) = KnowledgeBase::global()
            .entities()
            .get(kb as usize)
            .map(|e| (e.id.clone(), e.kind, e.name.clone()))
            .unwrap_or_else(|| {
                (
                    EntityId(format!("kb:#{kb}")),
                    EntityKind::Place,
                    String::new(),
                )
            });
        self.known.push(Known::new(
            id,
            kind,
            name,
            NameRank::KNOWLEDGE_BASE,
            true,
            None,
        ));
        self.by_kb.insert(kb, self.known.len() - 1);
        self.known.len() - 1
    }

    /// The blocking key of an article entity.
    fn block_of(local: &LocalEntity) -> Option<(EntityKind, String)> {
        let key = match &local.person {
            Some(p) => skeleton(&p.surname.loose),
            None => skeleton(&local.words.first()?.loose),
        };
        Some((block_kind(local.kind), key))
    }

    /// The entity of earlier articles this one is, if any.
    fn find(&self, local: &LocalEntity, context: &[u32], taken: &HashSet<usize>) -> Option<usize> {
        let block = Self::block_of(local)?;
        let candidates = self.blocks.get(&block)?;
        let s = &self.settings;
        let shared = |k: &Known| context.iter().filter(|c| k.context.contains_key(c)).count();
        let mut best: Option<(f64, usize)> = None;
        for &k in candidates {
            if taken.contains(&k) {
                continue;
            }
            let known = &self.known[k];
            let score = match (&local.person, &known.person) {
                (Some(p), Some(q)) => {
                    let least = s.surname - SHORT_SURNAME_SLACK;
                    let surname = word_match_from(&p.surname, &q.surname, least);
                    // Spellings of a short surname differ more (`Мэй`, `Май`, `May`): with a
                    // given name that agrees closely, a looser surname match will do.
                    let close_given = || {
                        p.given.first().is_some_and(|g| {
                            known.givens.iter().any(|k| {
                                k.given
                                    .first()
                                    .is_some_and(|h| word_match_reaches(g, h, CLOSE_GIVEN))
                            })
                        })
                    };
                    if surname < s.surname && !(surname >= least && close_given()) {
                        continue;
                    }
                    if let (Some((office, country)), (Some(o), Some(c))) =
                        (known.role, (local.role.office, local.role.country))
                        && office == o
                        && country != c
                    {
                        continue;
                    }
                    if p.has_given() && known.givens.iter().any(PersonParts::has_given) {
                        let agrees = known
                            .givens
                            .iter()
                            .any(|g| given_compatible(g, p, s.given) == Some(true));
                        if !agrees {
                            continue;
                        }
                        surname + 1.0
                    } else {
                        let same_key =
                            p.surname.base == q.surname.base || p.surname.loose == q.surname.loose;
                        if !same_key || shared(known) < s.context {
                            continue;
                        }
                        surname
                    }
                }
                (None, None) => {
                    let mut best_form: Option<f64> = None;
                    for form in &known.forms {
                        if let Some(score) = name_match(&local.words, form, s.name) {
                            best_form = Some(best_form.map_or(score, |b: f64| b.max(score)));
                        }
                    }
                    let Some(score) = best_form else { continue };
                    if known.kind != local.kind && score < 1.0 {
                        continue;
                    }
                    if score < 1.0 && shared(known) == 0 {
                        continue;
                    }
                    score
                }
                _ => continue,
            };
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, k));
            }
        }
        best.map(|(_, k)| k)
    }

    /// A new entity for an article entity nothing matched.
    fn create(&mut self, local: &LocalEntity, mentions: &[Mention], language: Language) -> usize {
        let (name, rank) = canonical_name(local, mentions, language);
        let slug = self.unique_slug(local.kind, &name);
        let index = self.known.len();
        self.known.push(Known::new(
            EntityId(slug),
            local.kind,
            name,
            rank,
            false,
            local.person.clone(),
        ));
        if let Some(block) = Self::block_of(local) {
            self.blocks.entry(block).or_default().push(index);
        }
        index
    }

    /// An `x:` id made from the name, unique in the run.
    fn unique_slug(&mut self, kind: EntityKind, name: &str) -> String {
        let mut slug = String::new();
        for word in name.split_whitespace() {
            let k = xabar_text::translit::key(word);
            let k: String = k.chars().filter(char::is_ascii_alphanumeric).collect();
            if k.is_empty() {
                continue;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(&k);
        }
        if slug.is_empty() {
            slug.push_str("entity");
        }
        let kind = match kind {
            EntityKind::Person => "person",
            EntityKind::Organisation => "org",
            EntityKind::Place => "place",
        };
        let mut id = format!("x:{kind}/{slug}");
        let mut n = 2;
        while self.slugs.contains(&id) {
            id = format!("x:{kind}/{slug}-{n}");
            n += 1;
        }
        self.slugs.insert(id.clone());
        id
    }

    /// Adds what an article says of an entity to it.
    fn absorb(
        &mut self,
        index: usize,
        local: &LocalEntity,
        mentions: &[Mention],
        language: Language,
        context: &[u32],
    ) {
        let (name, rank) = if self.known[index].in_kb {
            (String::new(), NameRank::default())
        } else {
            canonical_name(local, mentions, language)
        };
        let known = &mut self.known[index];
        if !known.in_kb && rank > known.name_rank {
            known.name = name;
            known.name_rank = rank;
        }
        if let Some(p) = &local.person {
            if p.has_given() && !known.givens.contains(p) {
                known.givens.push(p.clone());
            }
            let fuller = known
                .person
                .as_ref()
                .is_none_or(|q| !q.has_given() && p.has_given());
            if fuller {
                known.person = Some(p.clone());
            }
        }
        if local.person.is_none() && !local.words.is_empty() && !known.forms.contains(&local.words)
        {
            known.forms.push(local.words.clone());
        }
        if known.role.is_none()
            && let (Some(office), Some(country)) = (local.role.office, local.role.country)
        {
            known.role = Some((office, country));
        }
        for &c in context {
            if Some(c) != local.kb {
                *known.context.entry(c).or_default() += 1;
            }
        }
        for &i in &local.mentions {
            let text = mentions[i].text.clone();
            let script = word_script(&text);
            let order = known.alias_order.len();
            known.alias_order.entry(text.clone()).or_insert(order);
            *known
                .aliases
                .entry((language, script))
                .or_default()
                .entry(text)
                .or_default() += 1;
        }
        known.mentions += local.mentions.len();
        known.articles += 1;
    }
}

/// Places and organisations share blocks: the same name is often tagged as either.
fn block_kind(kind: EntityKind) -> EntityKind {
    match kind {
        EntityKind::Person => EntityKind::Person,
        _ => EntityKind::Place,
    }
}

/// How well two names of places or organisations match: 1 when every word has the same key,
/// else the weakest word's similarity when all reach `threshold`; `None` otherwise. Short
/// single words (abbreviations, mostly) must have the same key.
fn name_match(a: &[WordKeys], b: &[WordKeys], threshold: f64) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let mut worst: f64 = 1.0;
    for (x, y) in a.iter().zip(b) {
        let same = x.base == y.base || x.loose == y.loose || x.full == y.full;
        if same {
            continue;
        }
        if a.len() == 1 && x.loose.chars().count().min(y.loose.chars().count()) < 5 {
            return None;
        }
        let score = word_match_from(x, y, threshold);
        if score < threshold {
            return None;
        }
        worst = worst.min(score);
    }
    Some(worst)
}

/// How good a canonical name is: more words first (`Sergey Markov` over `Markov`), then how
/// it came to be in Latin letters (as written in an English article, as written in another
/// Latin-script article, transliterated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct NameRank {
    words: usize,
    source: u8,
}

impl NameRank {
    /// The rank of a knowledge-base name, which nothing replaces.
    const KNOWLEDGE_BASE: NameRank = NameRank {
        words: usize::MAX,
        source: u8::MAX,
    };
}

/// The canonical Latin name of an entity found in the stream, and its rank: the fullest form
/// its mentions give, the shortest of those (the nominative, in languages that decline names),
/// in Latin letters.
fn canonical_name(
    local: &LocalEntity,
    mentions: &[Mention],
    language: Language,
) -> (String, NameRank) {
    let mut best: Option<(&str, usize)> = None;
    for &i in &local.mentions {
        let text = mentions[i].text.as_str();
        let words = text.split_whitespace().count();
        let better = match best {
            None => true,
            Some((b, w)) => words > w || (words == w && text.chars().count() < b.chars().count()),
        };
        if better {
            best = Some((text, words));
        }
    }
    let Some((text, words)) = best else {
        return (String::new(), NameRank::default());
    };
    let source = match word_script(text) {
        Script::Latn if language == Language::En => 2,
        Script::Latn => 1,
        _ => 0,
    };
    (
        latin(&uninflected(text, language), language),
        NameRank { words, source },
    )
}

/// A name with the Turkic case and possessive suffixes of its words taken off (their stems
/// are words, unlike the bases of declining languages).
fn uninflected(text: &str, language: Language) -> String {
    if !matches!(
        language,
        Language::Kk | Language::Uz | Language::Ky | Language::Tg | Language::Tr | Language::Az
    ) {
        return text.to_string();
    }
    text.split_whitespace()
        .map(|w| {
            let b = super::names::base(w, language, word_script(w));
            // Keep the case of the text: a stem is a prefix of the lowercase word.
            let n = b.chars().count();
            let kept: String = w.chars().take(n).collect();
            if kept.to_lowercase() == b {
                kept
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name in Latin letters: as written when it is Latin, else transliterated by the rules of
/// its language (Russian's when its language has none).
fn latin(text: &str, language: Language) -> String {
    if word_script(text) != Script::Cyrl {
        return text.to_string();
    }
    let t = Transliterator::new(language, Script::Latn)
        .or_else(|_| Transliterator::new(Language::Ru, Script::Latn));
    match t {
        Ok(t) => t.transliterate(text),
        Err(_) => text.to_string(),
    }
}
