//! The language core of xabar: everything that turns a string into analyzable text.
//!
//! - [`normalize`]: NFC, mixed-script word repair, Uzbek apostrophes, quote marks and dashes,
//!   with an [`OffsetMap`](xabar_core::OffsetMap) back to the input;
//! - [`script`]: which script a word or text is in;
//! - [`langid`]: which language a text or paragraph is in;
//! - [`translit`]: Cyrillic↔Latin transliteration and the script-independent matching key;
//! - [`token`]: words with byte offsets;
//! - [`stem`]: stems per language (Snowball for ru, uk, de, en; suffix tables for kk, uz).
//!
//! Language data lives under `data/<lang>/` and is compiled in.
#![warn(missing_docs)]

pub mod langid;
pub mod normalize;
pub mod script;
pub mod stem;
pub mod token;
pub mod translit;
