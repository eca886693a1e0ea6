//! The seed knowledge base: the people, organisations and places xabar knows before it reads
//! anything, each with its names in every language and script it is written in, and the
//! indexes a linker looks mentions up in.
//!
//! The entities live in data files under `data/kb/` (one per kind, documented in
//! `data/kb/README.md`), compiled in and read once into [`KnowledgeBase::global`]. Countries and
//! their names in two dozen languages come from CLDR through the generator in `scripts/kb/`;
//! capitals, the region's provinces and cities, heads of state and government and
//! international organisations are written by hand. Loading adds what follows by rule: the
//! name forms of persons (`Путин`, `Владимир Путин`, `Путин Владимир Владимирович`) from their
//! name parts, and Latin (or Uzbek Cyrillic) spellings of Kazakh, Uzbek, Kyrgyz and Tajik names
//! where the data gives none.
//!
//! Two indexes answer "which entities could this name be": by the exact alias ([`fold`]: case,
//! `ё`, apostrophes and dashes folded) and by the matching key of each word ([`name_key`]:
//! `Тоқаев`, `Тўқаев`, `Токаев`, `Tokayev` alike). Both return candidates, never a decision:
//! stripping inflections, weighing context and choosing is the linker's work. This module is
//! not a store of entities found in the stream either; those get `x:` ids elsewhere.

mod fold;
mod parse;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use xabar_core::{EntityId, EntityKind, Language, Script};
use xabar_text::translit::{TranslitError, Transliterator};

pub use fold::{fold, name_key};

/// Why the knowledge base could not be read. With the compiled-in data every one of these is
/// a bug in xabar (a test reads the shipped data); with data of your own, the message says
/// which file and line to mend.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KbError {
    /// A line that does not follow the format.
    #[error("knowledge base {file}, line {line}: {message}")]
    Syntax {
        /// The data file.
        file: String,
        /// The line, counted from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Two blocks open the same id.
    #[error(
        "knowledge base {file}, line {line}: id {id} was already opened at {first_file}, line {first_line}"
    )]
    DuplicateId {
        /// The id opened twice.
        id: EntityId,
        /// The data file of the second block.
        file: String,
        /// The line of the second block.
        line: usize,
        /// The data file of the first block.
        first_file: String,
        /// The line of the first block.
        first_line: usize,
    },
    /// A link (`in`, `capital_of`, an office, an ambiguity) to an id no block opens, or to an
    /// entity of the wrong kind.
    #[error("knowledge base {file}, line {line}: {id}: {message}")]
    BadReference {
        /// The id linked to.
        id: EntityId,
        /// The data file.
        file: String,
        /// The line of the link.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The transliteration tables of xabar-text could not be read.
    #[error(transparent)]
    Translit(#[from] TranslitError),
}

/// How an alias names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AliasForm {
    /// A usual name (`Kazakhstan`, `Касым-Жомарт Токаев`).
    Name,
    /// The full official name (`Республика Казахстан`).
    Official,
    /// A short form (`Britain`, `US`).
    Short,
    /// An abbreviation (`ЕАЭС`, `ШОС`, `АҚШ`).
    Abbreviation,
    /// A name no longer in use that texts still carry (`Nur-Sultan`, `Swaziland`).
    Former,
    /// A person's surname alone (`Путин`): the commonest mention and the most ambiguous one.
    Surname,
}

/// Where an alias comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AliasOrigin {
    /// Written for xabar in the data files.
    Written,
    /// From CLDR, through the generator (flag `cldr` in the data files).
    Cldr,
    /// Put together from a person's name parts when loading.
    NameParts,
    /// Transliterated from another alias of the same language when loading.
    Transliteration,
}

/// One name of an entity in one language and script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The name as written (NFC, Uzbek `ʻ` as U+02BB).
    pub text: String,
    /// The language it is written in; `None` for names every language uses alike (`NATO`)
    /// and for native names in languages xabar does not read (`中国`).
    pub language: Option<Language>,
    /// The script of its letters ([`Script::Zyyy`] for scripts xabar has no code for).
    pub script: Script,
    /// How it names the entity.
    pub form: AliasForm,
    /// Where it comes from.
    pub origin: AliasOrigin,
}

/// A person's name split into parts, in one language and script, so that a linker can match
/// `Путин`, `Владимир Путин` and `Владимир Владимирович Путин` alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    /// The language of this spelling.
    pub language: Option<Language>,
    /// Its script.
    pub script: Script,
    /// The given name (`Касым-Жомарт`); `None` where only the surname is known.
    pub given: Option<String>,
    /// The patronymic (`Владимирович`, `Кемелұлы`), where the language uses one.
    pub patronymic: Option<String>,
    /// The surname (`Путин`), or the family name of a name written surname first (`Xi`).
    pub surname: String,
}

/// A span of years, either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Years {
    /// The first year, if known.
    pub from: Option<u16>,
    /// The last year; `None` while it lasts (or when unknown).
    pub to: Option<u16>,
}

impl Years {
    /// Whether `year` falls within the span (open ends contain everything on their side).
    pub fn contains(&self, year: u16) -> bool {
        self.from.is_none_or(|from| year >= from) && self.to.is_none_or(|to| year <= to)
    }
}

impl fmt::Display for Years {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (a, b) => {
                if let Some(a) = a {
                    write!(f, "{a}")?;
                }
                f.write_str("-")?;
                if let Some(b) = b {
                    write!(f, "{b}")?;
                }
                Ok(())
            }
        }
    }
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name the data files write, e.g. `prime-minister`.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
        }

        impl FromStr for $name {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($code => Ok($name::$variant),)* _ => Err(()) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

named_enum! {
    /// What sort of place or organisation an entity is (persons have none).
    Category {
        /// A sovereign state: a UN member or observer state.
        Country = "country",
        /// Any other territory CLDR names (dependencies, disputed and partly recognised ones).
        Territory = "territory",
        /// A continent or a part of the world (`Central Asia`).
        WorldRegion = "world-region",
        /// A province, region or federal subject within a country.
        Region = "region",
        /// A city or town.
        City = "city",
        /// A river.
        River = "river",
        /// A lake.
        Lake = "lake",
        /// A sea.
        Sea = "sea",
        /// A reservoir.
        Reservoir = "reservoir",
        /// An international organisation, bank or bloc.
        International = "international",
        /// A state body: a presidential office, government, ministry, parliament.
        Government = "government",
        /// A news agency.
        NewsAgency = "news-agency",
        /// A newspaper, broadcaster or other outlet.
        Media = "media",
        /// A company.
        Company = "company",
        /// A political party.
        Party = "party",
    }
}

impl Category {
    /// The kind of entity this category is for.
    pub fn kind(self) -> EntityKind {
        match self {
            Category::Country
            | Category::Territory
            | Category::WorldRegion
            | Category::Region
            | Category::City
            | Category::River
            | Category::Lake
            | Category::Sea
            | Category::Reservoir => EntityKind::Place,
            Category::International
            | Category::Government
            | Category::NewsAgency
            | Category::Media
            | Category::Company
            | Category::Party => EntityKind::Organisation,
        }
    }
}

named_enum! {
    /// An office a person holds or held.
    Role {
        /// President of a country.
        President = "president",
        /// Vice-president of a country.
        VicePresident = "vice-president",
        /// Head of government: prime minister, premier, chairman of the cabinet.
        PrimeMinister = "prime-minister",
        /// Federal chancellor (Germany, Austria).
        Chancellor = "chancellor",
        /// Minister of foreign affairs, foreign secretary, secretary of state.
        ForeignMinister = "foreign-minister",
        /// King, queen or emperor.
        Monarch = "monarch",
        /// Iran's Supreme Leader.
        SupremeLeader = "supreme-leader",
        /// A former head of state with a standing title (Turkmenistan's National Leader).
        NationalLeader = "national-leader",
        /// The head of a party that leads a state (General Secretary of the CPC).
        PartyLeader = "party-leader",
        /// The head of an international organisation's secretariat.
        SecretaryGeneral = "secretary-general",
        /// President of the European Commission.
        CommissionPresident = "commission-president",
        /// President of the European Council.
        CouncilPresident = "council-president",
        /// The EU's High Representative for Foreign Affairs.
        HighRepresentative = "high-representative",
        /// Spokesperson of a head of state or ministry.
        Spokesperson = "spokesperson",
        /// Speaker or chairman of a parliament or one of its chambers.
        Speaker = "speaker",
    }
}

/// An office held by a person: the role, where, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    /// The role.
    pub role: Role,
    /// The country or organisation it is held in (`kb:place/kz`, `kb:org/eu`).
    pub of: Option<EntityId>,
    /// When.
    pub years: Years,
}

/// One entity of the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbEntity {
    /// Its stable id, e.g. `kb:place/astana`.
    pub id: EntityId,
    /// Person, organisation or place.
    pub kind: EntityKind,
    /// The canonical Latin name, the English form (`Kassym-Jomart Tokayev`, `Astana`).
    pub name: String,
    /// The name in the entity's own language, where the data gives one (`Қазақстан`).
    pub native: Option<Alias>,
    /// What sort of place or organisation it is.
    pub category: Option<Category>,
    /// A code that identifies it elsewhere: ISO 3166-1 for countries (`KZ`), ISO 3166-2 for
    /// provinces, UN M49 for world regions.
    pub code: Option<String>,
    /// The place it lies in (a city's province or country), or the country of a state body.
    pub located_in: Option<EntityId>,
    /// The country this city is the capital of.
    pub capital_of: Option<EntityId>,
    /// A person's name parts, one per language and script.
    pub names: Vec<PersonName>,
    /// Whether the person's full name is written surname first (`Xi Jinping`).
    pub surname_first: bool,
    /// Offices a person holds or held.
    pub offices: Vec<Office>,
    /// When an organisation existed, where it no longer does or did not always.
    pub active: Option<Years>,
    /// Every name, written and derived, at most once per language and script.
    pub aliases: Vec<Alias>,
}

impl KbEntity {
    /// The aliases in one language (`None`: the aliases of no particular language).
    pub fn aliases_in(&self, language: Option<Language>) -> impl Iterator<Item = &Alias> {
        self.aliases.iter().filter(move |a| a.language == language)
    }

    /// Whether the person held `role` in the country or organisation `of` (a full id such as
    /// `kb:place/kz`) in `year` (any year when `None`).
    pub fn holds(&self, role: Role, of: &str, year: Option<u16>) -> bool {
        self.offices.iter().any(|o| {
            o.role == role
                && o.of.as_ref().is_some_and(|id| id.0 == of)
                && year.is_none_or(|y| o.years.contains(y))
        })
    }
}

/// A name the data documents as naming more than one entity (`Джибути` the country and the
/// city), so that a linker knows to choose by context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    /// The alias as written in the ambiguity file.
    pub alias: String,
    /// The entities it names.
    pub entities: Vec<EntityId>,
    /// Why it is ambiguous and how to tell.
    pub note: String,
}

/// One candidate from an index: the entity and the alias of it that matched.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    /// The candidate entity.
    pub entity: &'a KbEntity,
    /// Its first alias (in data order: written, CLDR, derived) that matched.
    pub alias: &'a Alias,
}

/// The candidates of one lookup, one per entity, in data order.
#[derive(Debug, Clone)]
pub struct Hits<'a> {
    kb: &'a KnowledgeBase,
    refs: std::slice::Iter<'a, AliasRef>,
}

impl<'a> Iterator for Hits<'a> {
    type Item = Hit<'a>;

    fn next(&mut self) -> Option<Hit<'a>> {
        let r = self.refs.next()?;
        let entity = &self.kb.entities[r.entity as usize];
        Some(Hit {
            entity,
            alias: &entity.aliases[r.alias as usize],
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.refs.size_hint()
    }
}

impl ExactSizeIterator for Hits<'_> {}

/// An alias by position: entity index, alias index within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AliasRef {
    entity: u32,
    alias: u32,
}

type Index = HashMap<Box<str>, Box<[AliasRef]>>;

/// One data file to read: its name (for error messages) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file name, e.g. `countries.tsv`.
    pub name: &'a str,
    /// Its contents.
    pub text: &'a str,
}

macro_rules! shipped {
    ($($file:literal),* $(,)?) => {
        &[$(Source { name: $file, text: include_str!(concat!("../../data/kb/", $file)) }),*]
    };
}

/// The compiled-in entity files, in the order their entities are numbered.
const SHIPPED: &[Source<'static>] = shipped![
    "countries.tsv",
    "capitals.tsv",
    "places.tsv",
    "organisations.tsv",
    "persons.tsv",
];

/// The compiled-in ambiguity file.
const SHIPPED_AMBIGUITIES: Source<'static> = Source {
    name: "ambiguous.tsv",
    text: include_str!("../../data/kb/ambiguous.tsv"),
};

static GLOBAL: LazyLock<Result<KnowledgeBase, KbError>> = LazyLock::new(KnowledgeBase::shipped);

static EMPTY: LazyLock<KnowledgeBase> = LazyLock::new(KnowledgeBase::default);

/// The entities xabar knows, with their indexes by alias and by matching key.
#[derive(Debug, Default)]
pub struct KnowledgeBase {
    entities: Vec<KbEntity>,
    by_id: HashMap<Box<str>, u32>,
    exact: Index,
    keys: Index,
    ambiguities: Vec<Ambiguity>,
}

impl KnowledgeBase {
    /// The compiled-in knowledge base, read on first use and shared.
    ///
    /// Should the compiled-in data not read (a bug the tests guard against), this is an
    /// empty knowledge base, so that analysis goes on without links; [`Self::try_global`]
    /// says why.
    pub fn global() -> &'static KnowledgeBase {
        GLOBAL.as_ref().unwrap_or(&EMPTY)
    }

    /// The compiled-in knowledge base, or why it could not be read.
    pub fn try_global() -> Result<&'static KnowledgeBase, KbError> {
        GLOBAL.as_ref().map_err(Clone::clone)
    }

    /// Reads the compiled-in data afresh (the shared copy is [`Self::global`]).
    pub fn shipped() -> Result<KnowledgeBase, KbError> {
        KnowledgeBase::parse(SHIPPED, SHIPPED_AMBIGUITIES)
    }

    /// Reads entity files (in the format of `data/kb/README.md`) and an ambiguity file, adds
    /// the derived aliases, checks ids and links, and builds the indexes.
    pub fn parse(files: &[Source<'_>], ambiguities: Source<'_>) -> Result<KnowledgeBase, KbError> {
        let mut parsed = Vec::new();
        for file in files {
            parsed.extend(parse::parse_entities(file.name, file.text)?);
        }
        let mut by_id: HashMap<Box<str>, u32> = HashMap::with_capacity(parsed.len());
        for (index, p) in parsed.iter().enumerate() {
            if let Some(&first) = by_id.get(p.entity.id.0.as_str()) {
                let first = &parsed[first as usize];
                return Err(KbError::DuplicateId {
                    id: p.entity.id.clone(),
                    file: p.file.clone(),
                    line: p.line,
                    first_file: first.file.clone(),
                    first_line: first.line,
                });
            }
            by_id.insert(p.entity.id.0.clone().into_boxed_str(), index as u32);
        }
        for p in &parsed {
            check_references(p, &parsed, &by_id)?;
        }
        let mut entities = Vec::with_capacity(parsed.len());
        for p in parsed {
            let mut entity = p.entity;
            derive_aliases(&mut entity)?;
            entities.push(entity);
        }
        let ambiguities = parse::parse_ambiguities(ambiguities.name, ambiguities.text)?
            .into_iter()
            .map(|a| {
                for id in &a.entities {
                    if !by_id.contains_key(id.0.as_str()) {
                        return Err(KbError::BadReference {
                            id: id.clone(),
                            file: ambiguities.name.to_string(),
                            line: a.line,
                            message: "no block opens this id".to_string(),
                        });
                    }
                }
                Ok(Ambiguity {
                    alias: a.alias,
                    entities: a.entities,
                    note: a.note,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (exact, keys) = build_indexes(&entities);
        Ok(KnowledgeBase {
            entities,
            by_id,
            exact,
            keys,
            ambiguities,
        })
    }

    /// The entity with this id (`kb:place/kz`).
    pub fn get(&self, id: &str) -> Option<&KbEntity> {
        self.by_id.get(id).map(|&i| &self.entities[i as usize])
    }

    /// Every entity, in data order.
    pub fn entities(&self) -> &[KbEntity] {
        &self.entities
    }

    /// How many entities there are.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The names documented as naming more than one entity.
    pub fn ambiguities(&self) -> &[Ambiguity] {
        &self.ambiguities
    }

    /// The entities with an alias written like `text` (compared by [`fold`]).
    ///
    /// Case is folded, so an abbreviation meets a word of the same letters (`US` and `us`,
    /// `SAD` and `sad`): where [`Hit::alias`] is an [`AliasForm::Abbreviation`], compare
    /// its text with the mention's as written before trusting the hit.
    ///
    /// ```
    /// use xabar_annotate::kb::KnowledgeBase;
    ///
    /// let kb = KnowledgeBase::global();
    /// let ids: Vec<_> = kb.by_alias("Ресей").map(|hit| hit.entity.id.0.as_str()).collect();
    /// assert_eq!(ids, ["kb:place/ru"]);
    /// ```
    pub fn by_alias(&self, text: &str) -> Hits<'_> {
        self.by_folded(&fold(text))
    }

    /// [`Self::by_alias`] for a text already passed through [`fold`].
    pub fn by_folded(&self, folded: &str) -> Hits<'_> {
        self.hits(&self.exact, folded)
    }

    /// The entities with an alias whose [`name_key`] is the key of `text`: spellings in other
    /// scripts and standards (`Toqajew`, `Тўқаев` for `Tokayev`) meet here. Abbreviations
    /// are left out of this index (their keys are too short to mean anything).
    pub fn by_name_key(&self, text: &str) -> Hits<'_> {
        self.by_key(&name_key(text))
    }

    /// [`Self::by_name_key`] for a key already made by [`name_key`] (word keys joined by one
    /// space).
    pub fn by_key(&self, key: &str) -> Hits<'_> {
        self.hits(&self.keys, key)
    }

    /// Every distinct name key in the index with its candidates, for fuzzy matching by
    /// [`key_similarity`](xabar_text::translit::key_similarity).
    pub fn keys(&self) -> impl Iterator<Item = (&str, Hits<'_>)> {
        self.keys.iter().map(|(key, refs)| {
            (
                &**key,
                Hits {
                    kb: self,
                    refs: refs.iter(),
                },
            )
        })
    }

    /// The persons who held `role` in `of` (a full id such as `kb:place/kz`) in `year`, or
    /// ever when `year` is `None`: "the president of Kazakhstan" in a 2025 article.
    pub fn office_holders<'a, 'b>(
        &'a self,
        role: Role,
        of: &'b str,
        year: Option<u16>,
    ) -> impl Iterator<Item = &'a KbEntity> + use<'a, 'b> {
        self.entities
            .iter()
            .filter(move |e| e.kind == EntityKind::Person && e.holds(role, of, year))
    }

    fn hits<'a>(&'a self, index: &'a Index, key: &str) -> Hits<'a> {
        Hits {
            kb: self,
            refs: index.get(key).map(|r| r.iter()).unwrap_or_default(),
        }
    }
}

fn check_references(
    p: &parse::Parsed,
    all: &[parse::Parsed],
    by_id: &HashMap<Box<str>, u32>,
) -> Result<(), KbError> {
    for (id, line) in &p.references {
        let bad = |message: &str| KbError::BadReference {
            id: id.clone(),
            file: p.file.clone(),
            line: *line,
            message: message.to_string(),
        };
        let Some(&target) = by_id.get(id.0.as_str()) else {
            return Err(bad("no block opens this id"));
        };
        let target = &all[target as usize].entity;
        let place_link =
            p.entity.located_in.as_ref() == Some(id) || p.entity.capital_of.as_ref() == Some(id);
        if place_link && target.kind != EntityKind::Place {
            return Err(bad("`in` and `capital_of` link to places"));
        }
        if target.kind == EntityKind::Person {
            return Err(bad("nothing links to a person"));
        }
        if target.id == p.entity.id {
            return Err(bad("an entity links to itself"));
        }
    }
    Ok(())
}

/// The languages whose names loading spells in the other script where the data gives none:
/// (language, from, to).
const TRANSLITERATED: &[(Language, Script, Script)] = &[
    (Language::Kk, Script::Cyrl, Script::Latn),
    (Language::Uz, Script::Cyrl, Script::Latn),
    (Language::Uz, Script::Latn, Script::Cyrl),
    (Language::Ky, Script::Cyrl, Script::Latn),
    (Language::Tg, Script::Cyrl, Script::Latn),
];

/// Adds the canonical and the native name, the other-script spellings and the name forms of persons to the
/// aliases, then drops repeats (same folded text, language and script; the first stays).
fn derive_aliases(entity: &mut KbEntity) -> Result<(), KbError> {
    // The canonical name is the English form, and a name like any other.
    entity.aliases.push(Alias {
        text: entity.name.clone(),
        language: Some(Language::En),
        script: Script::Latn,
        form: AliasForm::Name,
        origin: AliasOrigin::Written,
    });
    if let Some(native) = &entity.native {
        entity.aliases.push(native.clone());
    }
    for &(language, from, to) in TRANSLITERATED {
        let written_in = |script: Script, names: &[PersonName]| {
            names
                .iter()
                .any(|n| n.language == Some(language) && n.script == script)
        };
        if written_in(from, &entity.names) && !written_in(to, &entity.names) {
            let t = Transliterator::new(language, to)?;
            let spelt: Vec<PersonName> = entity
                .names
                .iter()
                .filter(|n| n.language == Some(language) && n.script == from)
                .map(|n| PersonName {
                    language: n.language,
                    script: to,
                    given: n.given.as_deref().map(|g| t.transliterate(g)),
                    patronymic: n.patronymic.as_deref().map(|p| t.transliterate(p)),
                    surname: t.transliterate(&n.surname),
                })
                .collect();
            entity.names.extend(spelt);
        }
    }
    for name in &entity.names {
        push_name_forms(&mut entity.aliases, name, entity.surname_first);
    }
    for &(language, from, to) in TRANSLITERATED {
        let given = |a: &Alias| {
            a.language == Some(language)
                && matches!(a.origin, AliasOrigin::Written | AliasOrigin::Cldr)
        };
        if entity.aliases.iter().any(|a| given(a) && a.script == to) {
            continue;
        }
        let sources: Vec<usize> = (0..entity.aliases.len())
            .filter(|&i| given(&entity.aliases[i]) && entity.aliases[i].script == from)
            .collect();
        if sources.is_empty() {
            continue;
        }
        let t = Transliterator::new(language, to)?;
        for i in sources {
            let source = &entity.aliases[i];
            let text = t.transliterate(&source.text);
            // A transliteration that leaves letters of the old script behind (a letter the
            // table lacks) would match nothing; it is not worth keeping.
            if parse::single_script(&text) == Ok(to) {
                let form = source.form;
                entity.aliases.push(Alias {
                    text,
                    language: Some(language),
                    script: to,
                    form,
                    origin: AliasOrigin::Transliteration,
                });
            }
        }
    }
    let mut seen = std::collections::HashSet::with_capacity(entity.aliases.len());
    entity
        .aliases
        .retain(|a| seen.insert((fold(&a.text), a.language, a.script)));
    Ok(())
}

/// The forms a person's name is written in: full, given name and surname, the official
/// surname-first order with the patronymic, and the surname alone.
fn push_name_forms(aliases: &mut Vec<Alias>, name: &PersonName, surname_first: bool) {
    let mut push = |parts: &[Option<&str>], form: AliasForm| {
        let text = parts
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        aliases.push(Alias {
            text,
            language: name.language,
            script: name.script,
            form,
            origin: AliasOrigin::NameParts,
        });
    };
    let given = name.given.as_deref();
    let patronymic = name.patronymic.as_deref();
    let surname = Some(name.surname.as_str());
    if surname_first {
        push(&[surname, given], AliasForm::Name);
    } else {
        push(&[given, patronymic, surname], AliasForm::Name);
        if patronymic.is_some() {
            push(&[given, surname], AliasForm::Name);
            push(&[surname, given, patronymic], AliasForm::Name);
        }
    }
    if given.is_some() {
        push(&[surname], AliasForm::Surname);
    }
}

fn build_indexes(entities: &[KbEntity]) -> (Index, Index) {
    let mut exact: HashMap<String, Vec<AliasRef>> = HashMap::new();
    let mut keys: HashMap<String, Vec<AliasRef>> = HashMap::new();
    for (e, entity) in entities.iter().enumerate() {
        for (a, alias) in entity.aliases.iter().enumerate() {
            let r = AliasRef {
                entity: e as u32,
                alias: a as u32,
            };
            // An abbreviation is matched as written: its key (`ЕС` and `É.-U.` both `ev`)
            // would only bring noise.
            let key = if alias.form == AliasForm::Abbreviation {
                String::new()
            } else {
                name_key(&alias.text)
            };
            for (index, key) in [(&mut exact, fold(&alias.text)), (&mut keys, key)] {
                if key.is_empty() {
                    continue;
                }
                let refs = index.entry(key).or_default();
                // An entity's aliases come one after another: one candidate per entity.
                if refs.last().is_none_or(|last| last.entity != r.entity) {
                    refs.push(r);
                }
            }
        }
    }
    let freeze = |index: HashMap<String, Vec<AliasRef>>| -> Index {
        index
            .into_iter()
            .map(|(k, v)| (k.into_boxed_str(), v.into_boxed_slice()))
            .collect()
    };
    (freeze(exact), freeze(keys))
}
