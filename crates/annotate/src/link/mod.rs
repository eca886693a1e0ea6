//! From an article's text to linked mentions, and one identity per entity across the articles
//! of a run: the people, organisations and places a text names, each tied to an entity of the
//! knowledge base or to one found in the stream, whatever the language, script, inflection,
//! name order or spelling (`Тоқаев`, `Тўқаевнинг`, `Токаеву`, `Qassym-Schomart Toqajew`,
//! `Kassym-Jomart Tokayev` are one person).
//!
//! Two stages, so that the expensive one runs in parallel:
//! 1. [`Recognizer::recognize`] (or [`recognize`]) is a pure function of one text: the
//!    statistical [tagger](crate::ner), gazetteer matches of the [knowledge base](crate::kb)'s
//!    aliases, and rules for names and titles find the mentions and their kinds and attach role
//!    phrases to persons; the mentions are grouped within the article and linked to the
//!    knowledge base where it has their entity.
//! 2. A [`Linker`], fed the articles of a run in order, gives every other entity an `x:` id and
//!    merges entities across articles, languages and scripts when their names' keys match and
//!    their contexts agree; [`Linker::entities`] lists what it has seen.
//!
//! ```
//! use xabar_annotate::link::{Linker, Recognizer};
//! use xabar_core::{Language, Script};
//!
//! let recognizer = Recognizer::without_tagger();
//! let mut linker = Linker::new();
//! let mut uz = recognizer.recognize(
//!     "Қозоғистон президенти Қосим-Жомарт Тўқаев Россияга боради.",
//!     Language::Uz,
//!     Script::Cyrl,
//! );
//! linker.link_article("a", Language::Uz, Script::Cyrl, &mut uz);
//! let tokayev = uz.iter().find(|m| m.text == "Қосим-Жомарт Тўқаев").unwrap();
//! assert_eq!(tokayev.entity.as_ref().unwrap().0, "kb:person/tokayev");
//! assert_eq!(tokayev.role.as_deref(), Some("Қозоғистон президенти"));
//! ```
//!
//! The language data lives in `data/link/` (inflection of name words, surname and patronymic
//! endings, words never taken for names) and `data/roles/` (role and title words, nationality
//! adjectives), each documented in its header. This module does not find coreferent pronouns
//! or bare role phrases ("the Kazakh leader") without a name.

mod gazetteer;
mod lexicon;
mod linker;
mod local;
mod names;
mod recognize;
mod roles;
#[cfg(test)]
mod tests;

pub use linker::{AliasCount, AliasGroup, EntityEntry, Linker, LinkerSettings};
pub use recognize::{Recognizer, recognize};
