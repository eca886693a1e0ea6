//! Linking within one article: which mentions name the same entity, and which entity of the
//! knowledge base that is, if any.
//!
//! A mention is looked up in the gazetteer by its words as written and by their bases
//! (`Токаеву` → `Токаев`). Persons are grouped by surname with their given names checked
//! (`Владимир Путин`, `Путиннинг`, `В. Путин` are one; `Сергей Марков` and `Андрей Марков` are
//! two); a surname alone joins the nearest full name before it with that surname (or after
//! it, when the full name comes later), and only when the article has none does the surname
//! alone link to the knowledge base. A full name links to a person of the knowledge base only
//! when its given name agrees with the one the knowledge base has. Places and organisations
//! group by knowledge-base entity, else by the loose keys of their words.
//!
//! This is a pure function of the mentions; [`super::Linker`] runs it again for each article
//! and then merges the article's entities with those of the articles before.

use xabar_core::{EntityId, EntityKind, Language, Mention, Script};
use xabar_text::token::{TokenKind, tokenize};

use super::gazetteer::GAZETTEER;
use super::names::{NameWords, PersonParts, WordKeys, given_compatible, word_match_reaches};
use super::roles::{self, RoleInfo};
use crate::kb::{Category, KnowledgeBase};

/// Two surnames whose [`word_match_from`] reaches this are taken for spellings of one surname,
/// when the given names agree too.
pub(crate) const SURNAME_MATCH: f64 = 0.88;

/// Two given names whose [`word_match_from`] reaches this are taken for one.
pub(crate) const GIVEN_MATCH: f64 = 0.8;

/// What the knowledge base says about one mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KbMatch {
    /// Nothing.
    None,
    /// This entity, by a full name or an alias.
    Name(u32),
    /// One of these persons, by a surname alone.
    Surname(Vec<u32>),
}

/// One entity of an article: its mentions and what is known of it.
#[derive(Debug, Clone)]
pub(crate) struct LocalEntity {
    pub kind: EntityKind,
    /// The knowledge-base entity (index), if linked.
    pub kb: Option<u32>,
    /// Indices of its mentions, in text order.
    pub mentions: Vec<usize>,
    /// A person's fullest name.
    pub person: Option<PersonParts>,
    /// For places and organisations: the words of the fullest name.
    pub words: Vec<WordKeys>,
    /// What its role phrases say.
    pub role: RoleInfo,
}

/// The kinds a mention and a knowledge-base entity may differ by: places and organisations
/// are often one another's (`ЕС` tagged as a place), persons never.
fn kind_fits(mention: EntityKind, entity: EntityKind) -> bool {
    (mention == EntityKind::Person) == (entity == EntityKind::Person)
}

/// Looks a mention up in the knowledge base, by its text and its words.
pub(crate) fn kb_lookup(
    text: &str,
    words: &NameWords,
    kind: EntityKind,
    language: Language,
    script: Script,
) -> KbMatch {
    let kb = KnowledgeBase::global();
    let g = &*GAZETTEER;
    if words.words.is_empty() {
        return KbMatch::None;
    }
    let (full, base) = words.joined();
    let mut entries = g.lookup(&full, &base, language);
    let mut abbreviation = false;
    if entries.is_empty() && words.words.len() == 1 {
        let word = tokenize(text)
            .find(|t| t.kind != TokenKind::Punct)
            .map(|t| t.text);
        if let Some(found) = word.and_then(|w| g.abbreviation(w)) {
            entries = found.iter().map(|e| (*e, true)).collect();
            abbreviation = true;
        }
    }
    entries.retain(|(e, _)| {
        kb.entities()
            .get(e.entity as usize)
            .is_some_and(|entity| kind_fits(kind, entity.kind))
    });
    let hit = g.rank(kb, &entries, language, script, abbreviation);
    if kind != EntityKind::Person {
        return match hit {
            Some(hit) => KbMatch::Name(hit.entities[0]),
            None => KbMatch::None,
        };
    }
    if let Some(hit) = &hit
        && !hit.surname_only
    {
        return KbMatch::Name(hit.entities[0]);
    }
    let Some(parts) = PersonParts::from_words(words) else {
        return KbMatch::None;
    };
    person_lookup(&parts, hit.map(|h| h.entities).unwrap_or_default())
}

/// The persons of the knowledge base a parsed name may be: with a given name, the one whose
/// surname and given name both agree; without, every person of that surname.
fn person_lookup(parts: &PersonParts, mut by_alias: Vec<u32>) -> KbMatch {
    let mut agreeing: Vec<u32> = Vec::new();
    let mut surnames: Vec<u32> = Vec::new();
    for person in GAZETTEER.persons_by_surname(&parts.surname.loose) {
        if !word_match_reaches(&person.parts.surname, &parts.surname, SURNAME_MATCH) {
            continue;
        }
        // A surname alone must be that surname, inflected at most: a spelling that is only
        // close (`Хари` and `Харрис`) needs a given name that agrees.
        let (a, b) = (&person.parts.surname, &parts.surname);
        let same = a.base == b.base || a.full == b.full || a.full == b.base;
        if same && !surnames.contains(&person.entity) {
            surnames.push(person.entity);
        }
        if given_compatible(&person.parts, parts, GIVEN_MATCH) == Some(true)
            && !agreeing.contains(&person.entity)
        {
            agreeing.push(person.entity);
        }
    }
    if parts.has_given() {
        return match agreeing.as_slice() {
            [one] => KbMatch::Name(*one),
            _ => KbMatch::None,
        };
    }
    // Exact surname aliases first, then the spellings the keys bring.
    for e in surnames {
        if !by_alias.contains(&e) {
            by_alias.push(e);
        }
    }
    if by_alias.is_empty() {
        KbMatch::None
    } else {
        KbMatch::Surname(by_alias)
    }
}

/// The country a word names, as a knowledge-base id (for reading role phrases).
fn country_of(word: &str, language: Language) -> Option<&'static str> {
    let kb = KnowledgeBase::global();
    let words = NameWords::of(word, language, WordKeys::of);
    match kb_lookup(
        word,
        &words,
        EntityKind::Place,
        language,
        super::names::word_script(word),
    ) {
        KbMatch::Name(e) => kb
            .entities()
            .get(e as usize)
            .filter(|e| e.category == Some(Category::Country))
            .map(|e| e.id.0.as_str()),
        _ => None,
    }
}

/// Whether two persons' surnames are one.
fn same_surname(a: &PersonParts, b: &PersonParts) -> bool {
    word_match_reaches(&a.surname, &b.surname, SURNAME_MATCH)
}

/// Groups the mentions of one article into entities (see the module documentation), given
/// the keyed words of each mention. Every mention belongs to exactly one entity; entities come
/// in the order of their first mention.
pub(crate) fn resolve(
    mentions: &[Mention],
    words: &[NameWords],
    language: Language,
    script: Script,
) -> Vec<LocalEntity> {
    let mut entities: Vec<LocalEntity> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; mentions.len()];
    let lookups: Vec<KbMatch> = mentions
        .iter()
        .enumerate()
        .map(|(i, m)| match &m.entity {
            // A link made before (by the recogniser) stands.
            Some(id) if id.0.starts_with("kb:") => {
                kb_index(id).map_or(KbMatch::None, KbMatch::Name)
            }
            _ => kb_lookup(&m.text, &words[i], m.kind, language, script),
        })
        .collect();
    let parts: Vec<Option<PersonParts>> = mentions
        .iter()
        .zip(words)
        .map(|(m, w)| {
            (m.kind == EntityKind::Person)
                .then(|| PersonParts::from_words(w))
                .flatten()
        })
        .collect();
    let role_of = |i: usize| -> RoleInfo {
        mentions[i]
            .role
            .as_deref()
            .map(|r| roles::interpret(r, language, |w| country_of(w, language)))
            .unwrap_or_default()
    };

    // Persons with a given name, or linked by a full name.
    for i in 0..mentions.len() {
        let Some(p) = &parts[i] else { continue };
        let kb_name = match lookups[i] {
            KbMatch::Name(e) => Some(e),
            _ => None,
        };
        if !p.has_given() && kb_name.is_none() {
            continue;
        }
        let found = entities.iter().position(|e| {
            let Some(q) = &e.person else { return false };
            if let (Some(a), Some(b)) = (e.kb, kb_name) {
                return a == b;
            }
            same_surname(p, q)
                && given_compatible(p, q, GIVEN_MATCH) != Some(false)
                && (p.has_given() && q.has_given())
                && e.kb.is_none_or(|_| kb_name.is_none() || e.kb == kb_name)
        });
        match found {
            Some(k) => {
                let e = &mut entities[k];
                e.mentions.push(i);
                if e.kb.is_none() {
                    e.kb = kb_name;
                }
                if fuller(p, e.person.as_ref()) {
                    e.person = Some(p.clone());
                }
                owner[i] = Some(k);
            }
            None => {
                owner[i] = Some(entities.len());
                entities.push(LocalEntity {
                    kind: EntityKind::Person,
                    kb: kb_name,
                    mentions: vec![i],
                    person: Some(p.clone()),
                    words: Vec::new(),
                    role: RoleInfo::default(),
                });
            }
        }
    }

    // Surnames alone: the nearest full name of that surname, else the knowledge base, else
    // an entity of the surname.
    for i in 0..mentions.len() {
        if owner[i].is_some() {
            continue;
        }
        let Some(p) = &parts[i] else { continue };
        let candidates: Vec<usize> = (0..entities.len())
            .filter(|&k| {
                let e = &entities[k];
                e.person.as_ref().is_some_and(|q| same_surname(p, q))
                    || matches!((&lookups[i], e.kb), (KbMatch::Surname(list), Some(kb)) if list.contains(&kb) && e.person.as_ref().is_some_and(|q| q.has_given()))
            })
            .collect();
        let nearest_before = candidates
            .iter()
            .copied()
            .filter_map(|k| {
                let last = entities[k]
                    .mentions
                    .iter()
                    .copied()
                    .filter(|&m| m < i)
                    .max()?;
                Some((last, k))
            })
            .max()
            .map(|(_, k)| k);
        let nearest_after = || {
            candidates
                .iter()
                .copied()
                .filter_map(|k| {
                    let first = entities[k]
                        .mentions
                        .iter()
                        .copied()
                        .filter(|&m| m > i)
                        .min()?;
                    Some((first, k))
                })
                .min()
                .map(|(_, k)| k)
        };
        // A given name alone (`Борис` after `Борис Джонсон`) names the one person of the
        // article with that given name, when no surname is spelt so.
        let by_given = || {
            if !p.given.is_empty() || !p.initials.is_empty() || !matches!(lookups[i], KbMatch::None)
            {
                return None;
            }
            let with_given: Vec<usize> = (0..entities.len())
                .filter(|&k| {
                    entities[k].person.as_ref().is_some_and(|q| {
                        q.given
                            .first()
                            .is_some_and(|g| g.base == p.surname.base || g.loose == p.surname.loose)
                    })
                })
                .collect();
            match with_given.as_slice() {
                [k] => Some(*k),
                _ => None,
            }
        };
        let chosen = nearest_before.or_else(nearest_after).or_else(by_given);
        let k = match chosen {
            Some(k) => k,
            None => {
                let kb_person = match &lookups[i] {
                    KbMatch::Surname(list) => choose_namesake(list, &role_of(i)),
                    _ => None,
                };
                let existing = entities.iter().position(|e| {
                    e.kind == EntityKind::Person
                        && match kb_person {
                            Some(kb) => e.kb == Some(kb),
                            None => {
                                e.kb.is_none()
                                    && e.person.as_ref().is_some_and(|q| same_surname(p, q))
                            }
                        }
                });
                match existing {
                    Some(k) => k,
                    None => {
                        entities.push(LocalEntity {
                            kind: EntityKind::Person,
                            kb: kb_person,
                            mentions: Vec::new(),
                            person: Some(p.clone()),
                            words: Vec::new(),
                            role: RoleInfo::default(),
                        });
                        entities.len() - 1
                    }
                }
            }
        };
        entities[k].mentions.push(i);
        owner[i] = Some(k);
    }

    // Places and organisations, and persons whose text had no word.
    for i in 0..mentions.len() {
        if owner[i].is_some() {
            continue;
        }
        let m = &mentions[i];
        let kb_entity = match lookups[i] {
            KbMatch::Name(e) => Some(e),
            _ => None,
        };
        let words: Vec<WordKeys> = words[i].words.iter().map(|w| w.keys.clone()).collect();
        let found = entities.iter().position(|e| match kb_entity {
            Some(kb) => e.kb == Some(kb),
            None => {
                e.kb.is_none()
                    && e.kind == m.kind
                    && e.person.is_none()
                    && same_words(&e.words, &words)
            }
        });
        let k = match found {
            Some(k) => k,
            None => {
                entities.push(LocalEntity {
                    kind: m.kind,
                    kb: kb_entity,
                    mentions: Vec::new(),
                    person: None,
                    words: words.clone(),
                    role: RoleInfo::default(),
                });
                entities.len() - 1
            }
        };
        let e = &mut entities[k];
        if words.len() > e.words.len() {
            e.words = words;
        }
        e.mentions.push(i);
        owner[i] = Some(k);
    }

    for e in &mut entities {
        e.mentions.sort_unstable();
        if e.kind == EntityKind::Person {
            for &i in &e.mentions {
                let info = role_of(i);
                if e.role.office.is_none() {
                    e.role.office = info.office;
                }
                if e.role.country.is_none() {
                    e.role.country = info.country;
                }
            }
        }
    }
    entities.sort_by_key(|e| e.mentions.first().copied().unwrap_or(usize::MAX));
    entities
}

/// Whether name `p` says more than `q`.
fn fuller(p: &PersonParts, q: Option<&PersonParts>) -> bool {
    let size = |x: &PersonParts| {
        x.given.len() * 2 + usize::from(x.patronymic.is_some()) + x.initials.len()
    };
    q.is_none_or(|q| size(p) > size(q))
}

/// Whether two names of places or organisations are one: as many words, each its match.
fn same_words(a: &[WordKeys], b: &[WordKeys]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.base == y.base || x.loose == y.loose)
}

/// Which of several persons of one surname a surname alone means: the one the role phrase
/// says holds that office in that country, or the only one.
fn choose_namesake(list: &[u32], role: &RoleInfo) -> Option<u32> {
    if let [one] = list {
        return Some(*one);
    }
    let kb = KnowledgeBase::global();
    let (Some(office), Some(country)) = (role.office, role.country) else {
        return None;
    };
    let holders: Vec<u32> = list
        .iter()
        .copied()
        .filter(|&e| {
            kb.entities()
                .get(e as usize)
                .is_some_and(|p| p.holds(office, country, None))
        })
        .collect();
    match holders.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Links the mentions of one article to the knowledge base: sets `entity` and `name` of every
/// mention whose entity the knowledge base has, and clears them on the others.
pub(crate) fn link_in_article(
    mentions: &mut [Mention],
    words: &[NameWords],
    language: Language,
    script: Script,
) {
    let kb = KnowledgeBase::global();
    for e in resolve(mentions, words, language, script) {
        let known = e.kb.and_then(|i| kb.entities().get(i as usize));
        for &i in &e.mentions {
            mentions[i].entity = known.map(|k| k.id.clone());
            mentions[i].name = known.map(|k| k.name.clone());
        }
    }
}

/// The index of a knowledge-base entity by id.
pub(crate) fn kb_index(id: &EntityId) -> Option<u32> {
    let kb = KnowledgeBase::global();
    let entity = kb.get(&id.0)?;
    let start = kb.entities().as_ptr() as usize;
    let size = std::mem::size_of::<crate::kb::KbEntity>().max(1);
    Some(((entity as *const crate::kb::KbEntity as usize - start) / size) as u32)
}
