//! Mentions of people, organisations and places, and the entities they name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::UnknownCode;

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation: a company, ministry, party, agency, international body, outlet.
    Organisation,
    /// A place: a country, region, city, or other location.
    Place,
}

impl EntityKind {
    /// Every kind.
    pub const ALL: [EntityKind; 3] = [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Place,
    ];

    /// The lower-case name, as serialized: `person`, `organisation`, `place`.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EntityKind {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "person" | "per" => Ok(EntityKind::Person),
            "organisation" | "organization" | "org" => Ok(EntityKind::Organisation),
            "place" | "location" | "loc" | "gpe" => Ok(EntityKind::Place),
            _ => Err(UnknownCode(s.to_string())),
        }
    }
}

/// A stable entity id: `Q`-style ids from the knowledge base (e.g. `kb:person/tokayev`), or
/// `x:` ids for entities first seen in the stream.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub String);

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A span of an article's clean text that names a person, organisation or place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// First byte in the clean text.
    pub start: usize,
    /// One past the last byte in the clean text.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// What it names.
    pub kind: EntityKind,
    /// The entity it was linked to, if any.
    pub entity: Option<EntityId>,
    /// The entity's canonical Latin name, when linked.
    pub name: Option<String>,
    /// A role or title the text attaches to a person ("Қозоғистон президенти", "глава МИД").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}
