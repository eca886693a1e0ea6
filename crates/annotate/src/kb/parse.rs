//! The reader of the knowledge-base data files (the format is documented in
//! `data/kb/README.md`): blocks that open with `@id<TAB>name` and hold one attribute or one
//! language's aliases a line.
//!
//! The reader checks each line on its own (known attributes, known language tags, one script
//! per alias, well-formed years); what needs the whole knowledge base (ids unique, links that
//! lead somewhere) is checked when the entities are put together.

use std::str::FromStr;

use xabar_core::{EntityId, EntityKind, Language, Script};

use super::{
    Alias, AliasForm, AliasOrigin, Category, KbEntity, KbError, Office, PersonName, Role, Years,
};

/// An entity as its block wrote it, with where it was written, before derived aliases are
/// added.
pub(super) struct Parsed {
    pub entity: KbEntity,
    pub file: String,
    pub line: usize,
    /// The targets of `in` and `capital_of` and offices, with their lines, to check later.
    pub references: Vec<(EntityId, usize)>,
}

/// One documented ambiguity, as read from the ambiguity file.
pub(super) struct ParsedAmbiguity {
    pub alias: String,
    pub entities: Vec<EntityId>,
    pub note: String,
    pub line: usize,
}

/// The prefix every knowledge-base id carries outside the data files.
pub(super) const ID_PREFIX: &str = "kb:";

struct Reader<'a> {
    file: &'a str,
    line: usize,
}

impl Reader<'_> {
    fn error(&self, message: impl Into<String>) -> KbError {
        KbError::Syntax {
            file: self.file.to_string(),
            line: self.line,
            message: message.into(),
        }
    }
}

/// Reads one data file of entity blocks.
pub(super) fn parse_entities(file: &str, text: &str) -> Result<Vec<Parsed>, KbError> {
    let mut out: Vec<Parsed> = Vec::new();
    let mut reader = Reader { file, line: 0 };
    for (index, raw) in text.lines().enumerate() {
        reader.line = index + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            return Err(reader.error("a line starts with white space; fields are TAB-separated"));
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if let Some(id) = fields[0].strip_prefix('@') {
            out.push(open_block(&reader, id, &fields)?);
            continue;
        }
        let Some(current) = out.last_mut() else {
            return Err(reader.error("a line before the first `@id` line"));
        };
        read_line(&reader, current, &fields)?;
    }
    Ok(out)
}

fn open_block(reader: &Reader<'_>, id: &str, fields: &[&str]) -> Result<Parsed, KbError> {
    let [_, name] = fields else {
        return Err(reader.error("an `@id` line has two fields: `@kind/slug<TAB>Canonical Name`"));
    };
    let kind = kind_of_id(id).ok_or_else(|| {
        reader.error(format!(
            "bad id {id:?}: write `place/…`, `person/…` or `org/…`, then lowercase ASCII \
             letters, digits and hyphens"
        ))
    })?;
    let name = name.trim();
    if name.is_empty() || !name.chars().any(|c| Script::of_char(c) == Script::Latn) {
        return Err(reader.error(format!("{id}: the canonical name must be written in Latin")));
    }
    Ok(Parsed {
        entity: KbEntity {
            id: EntityId(format!("{ID_PREFIX}{id}")),
            kind,
            name: name.to_string(),
            native: None,
            category: None,
            code: None,
            located_in: None,
            capital_of: None,
            names: Vec::new(),
            surname_first: false,
            offices: Vec::new(),
            active: None,
            aliases: Vec::new(),
        },
        file: reader.file.to_string(),
        line: reader.line,
        references: Vec::new(),
    })
}

/// The kind an id's first segment names, if the id is well-formed.
fn kind_of_id(id: &str) -> Option<EntityKind> {
    let (kind, slug) = id.split_once('/')?;
    let kind = match kind {
        "place" => EntityKind::Place,
        "person" => EntityKind::Person,
        "org" => EntityKind::Organisation,
        _ => return None,
    };
    let well_formed = !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    well_formed.then_some(kind)
}

fn reference(reader: &Reader<'_>, parsed: &mut Parsed, id: &str) -> Result<EntityId, KbError> {
    if kind_of_id(id).is_none() {
        return Err(reader.error(format!("{id:?} is not an id (`place/kz`, `org/un`, …)")));
    }
    let id = EntityId(format!("{ID_PREFIX}{id}"));
    parsed.references.push((id.clone(), reader.line));
    Ok(id)
}

fn read_line(reader: &Reader<'_>, parsed: &mut Parsed, fields: &[&str]) -> Result<(), KbError> {
    let key = fields[0];
    let values = &fields[1..];
    let one = |what: &str| -> Result<&str, KbError> {
        match values {
            [value] if !value.trim().is_empty() => Ok(value.trim()),
            _ => Err(reader.error(format!("`{key}` takes one value: {what}"))),
        }
    };
    let kind = parsed.entity.kind;
    let person_only = |parsed_kind: EntityKind| -> Result<(), KbError> {
        if parsed_kind == EntityKind::Person {
            Ok(())
        } else {
            Err(reader.error(format!("`{key}` is for persons only")))
        }
    };
    match key {
        "type" => {
            let value = one("a category such as `country` or `city`")?;
            let category = Category::from_str(value).map_err(|()| {
                reader.error(format!(
                    "unknown type {value:?}; the README lists the types"
                ))
            })?;
            if category.kind() != kind {
                return Err(reader.error(format!("type {value} is not for a {kind}")));
            }
            set_once(reader, key, &mut parsed.entity.category, category)?;
        }
        "iso" => {
            let value = one("a code (ISO 3166-1, ISO 3166-2 or UN M49)")?;
            set_once(reader, key, &mut parsed.entity.code, value.to_string())?;
        }
        "in" | "capital_of" => {
            let allowed =
                kind == EntityKind::Place || (key == "in" && kind == EntityKind::Organisation);
            if !allowed {
                return Err(reader.error(format!(
                    "`{key}` is for places{}",
                    if key == "in" {
                        " and organisations"
                    } else {
                        " only"
                    }
                )));
            }
            let target = reference(reader, parsed, one("an id such as `place/kz`")?)?;
            let slot = if key == "in" {
                &mut parsed.entity.located_in
            } else {
                &mut parsed.entity.capital_of
            };
            set_once(reader, key, slot, target)?;
        }
        // Directives for the generator in scripts/kb/; the loader only checks their shape.
        "cldr-territory" | "cldr-zone" => {
            one("a CLDR territory code or time-zone id")?;
        }
        "note" => {
            one("free text")?;
        }
        "native" => {
            let [tag, text, rest @ ..] = values else {
                return Err(reader.error("`native` takes a language tag and the name"));
            };
            let (language, script) = native_tag(reader, tag)?;
            let (form, origin) = flags(reader, rest)?;
            let alias = alias(reader, text, language, script, form, origin)?;
            set_once(reader, key, &mut parsed.entity.native, alias)?;
        }
        "name" => {
            person_only(kind)?;
            let [tag, given, patronymic, surname] = values else {
                return Err(reader.error(
                    "`name` takes a language tag, the given name, the patronymic (or `-`) \
                     and the surname",
                ));
            };
            let (language, script) = tag_of(reader, tag)?;
            let part = |text: &str| -> Result<Option<String>, KbError> {
                let text = text.trim();
                if text == "-" || text.is_empty() {
                    return Ok(None);
                }
                alias(
                    reader,
                    text,
                    language,
                    script,
                    AliasForm::Name,
                    AliasOrigin::Written,
                )
                .map(|a| Some(a.text))
            };
            let surname =
                part(surname)?.ok_or_else(|| reader.error("a `name` line needs a surname"))?;
            let given = part(given)?;
            let patronymic = part(patronymic)?;
            let full = [
                given.as_deref(),
                patronymic.as_deref(),
                Some(surname.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let script = script_of(reader, &full, script)?;
            parsed.entity.names.push(PersonName {
                language,
                script,
                given,
                patronymic,
                surname,
            });
        }
        "order" => {
            person_only(kind)?;
            match one("`surname-first`")? {
                "surname-first" => parsed.entity.surname_first = true,
                other => return Err(reader.error(format!("unknown order {other:?}"))),
            }
        }
        "office" => {
            person_only(kind)?;
            let [role, of, years] = values else {
                return Err(reader.error(
                    "`office` takes the role, the id it is held in (or `-`) and the years",
                ));
            };
            let role = Role::from_str(role.trim()).map_err(|()| {
                reader.error(format!("unknown role {role:?}; the README lists the roles"))
            })?;
            let of = match of.trim() {
                "-" => None,
                id => Some(reference(reader, parsed, id)?),
            };
            let years = years_of(reader, years)?;
            parsed.entity.offices.push(Office { role, of, years });
        }
        "active" => {
            let years = years_of(reader, one("years such as `2000-2014`")?)?;
            set_once(reader, key, &mut parsed.entity.active, years)?;
        }
        tag => {
            let (language, script) = tag_of(reader, tag)?;
            let (texts, rest) = match values {
                [texts, rest @ ..] => (texts, rest),
                [] => return Err(reader.error(format!("`{tag}` without an alias"))),
            };
            let (form, origin) = flags(reader, rest)?;
            for text in texts.split(" | ") {
                let alias = alias(reader, text, language, script, form, origin)?;
                parsed.entity.aliases.push(alias);
            }
        }
    }
    Ok(())
}

fn set_once<T>(
    reader: &Reader<'_>,
    key: &str,
    slot: &mut Option<T>,
    value: T,
) -> Result<(), KbError> {
    if slot.is_some() {
        return Err(reader.error(format!("`{key}` given twice")));
    }
    *slot = Some(value);
    Ok(())
}

/// An alias line's tag: `*` (any language), a language code, or a language and a script
/// (`uz-Cyrl`). The script, when given, must be the script the text is written in.
fn tag_of(reader: &Reader<'_>, tag: &str) -> Result<(Option<Language>, Option<Script>), KbError> {
    if tag == "*" {
        return Ok((None, None));
    }
    let (code, script) = match tag.split_once('-') {
        Some((code, script)) => (code, Some(script)),
        None => (tag, None),
    };
    let language = (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()))
        .then(|| Language::from_str(code).ok())
        .flatten()
        .filter(|&l| l != Language::Und)
        .ok_or_else(|| {
            reader.error(format!(
                "unknown line key {tag:?}: neither an attribute nor a language tag"
            ))
        })?;
    let script = match script {
        None => None,
        Some(s @ ("Cyrl" | "Latn" | "Arab")) => Script::from_str(s).ok(),
        Some(other) => return Err(reader.error(format!("unknown script {other:?} in {tag:?}"))),
    };
    Ok((Some(language), script))
}

/// A native name's tag may name any language (`zh-Hans`, `ka`): only the languages xabar
/// knows become a [`Language`]; scripts outside Cyrillic, Latin and Arabic are not checked.
fn native_tag(
    reader: &Reader<'_>,
    tag: &str,
) -> Result<(Option<Language>, Option<Script>), KbError> {
    let mut parts = tag.split('-');
    let code = parts.next().unwrap_or_default();
    if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(reader.error(format!("bad language tag {tag:?}")));
    }
    let language = if code.len() == 2 {
        Language::from_str(code).ok()
    } else {
        None
    };
    let script = parts.next().and_then(|s| Script::from_str(s).ok());
    Ok((language, script))
}

fn flags(reader: &Reader<'_>, rest: &[&str]) -> Result<(AliasForm, AliasOrigin), KbError> {
    let mut form = None;
    let mut origin = AliasOrigin::Written;
    match rest {
        [] => {}
        [flags] => {
            for flag in flags.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                let parsed = match flag {
                    "official" => AliasForm::Official,
                    "short" => AliasForm::Short,
                    "abbr" => AliasForm::Abbreviation,
                    "former" => AliasForm::Former,
                    "cldr" => {
                        origin = AliasOrigin::Cldr;
                        continue;
                    }
                    other => {
                        return Err(reader.error(format!(
                            "unknown flag {other:?}: official, short, abbr, former, cldr"
                        )));
                    }
                };
                if form.replace(parsed).is_some() {
                    return Err(reader.error("an alias has one form flag at most"));
                }
            }
        }
        _ => return Err(reader.error("too many fields: tag, alias(es), flags")),
    }
    Ok((form.unwrap_or(AliasForm::Name), origin))
}

/// Checks an alias text and works out its script.
fn alias(
    reader_or_file: &Reader<'_>,
    text: &str,
    language: Option<Language>,
    script: Option<Script>,
    form: AliasForm,
    origin: AliasOrigin,
) -> Result<Alias, KbError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(reader_or_file.error("an empty alias"));
    }
    if text.contains(['\t', '|', '@']) || text.contains("  ") {
        return Err(reader_or_file.error(format!(
            "alias {text:?}: no TAB, `|`, `@` or double space inside an alias"
        )));
    }
    let script = script_of(reader_or_file, text, script)?;
    Ok(Alias {
        text: text.to_string(),
        language,
        script,
        form,
        origin,
    })
}

/// The one script `text` is written in; letters of two scripts are a typo (a Latin `A` in a
/// Cyrillic word) that would keep the alias from ever matching.
fn script_of(reader: &Reader<'_>, text: &str, declared: Option<Script>) -> Result<Script, KbError> {
    let found = single_script(text).map_err(|(s, script, c)| {
        reader.error(format!(
            "alias {text:?} mixes {s} and {script} letters (at {c:?})"
        ))
    })?;
    match declared {
        Some(declared) if found != Script::Zyyy && declared != found => Err(reader.error(format!(
            "alias {text:?} is written in {found}, but its tag says {declared}"
        ))),
        _ => Ok(found),
    }
}

/// The script of `text`'s letters ([`Script::Zyyy`] when it has none in Cyrillic, Latin or
/// Arabic), or the first two scripts it mixes and the letter where the second begins.
pub(super) fn single_script(text: &str) -> Result<Script, (Script, Script, char)> {
    let mut found = None;
    // Roman numerals are Latin in every script: «Карл III».
    let roman = |word: &str| {
        word.chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M' | '.'))
    };
    let letters = text
        .split_whitespace()
        .filter(|word| !roman(word))
        .flat_map(str::chars);
    for c in letters {
        let script = Script::of_char(c);
        if script == Script::Zyyy {
            continue;
        }
        match found {
            None => found = Some(script),
            Some(s) if s == script => {}
            Some(s) => return Err((s, script, c)),
        }
    }
    Ok(found.unwrap_or(Script::Zyyy))
}

/// `2019-`, `1991-2019`, `2022`, or `-` (unknown).
fn years_of(reader: &Reader<'_>, text: &str) -> Result<Years, KbError> {
    let text = text.trim();
    let year = |s: &str| -> Result<Option<u16>, KbError> {
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<u16>() {
            Ok(y) if (1000..=2999).contains(&y) => Ok(Some(y)),
            _ => Err(reader.error(format!("bad year {s:?} in {text:?}"))),
        }
    };
    let years = match text.split_once('-') {
        Some((from, to)) => Years {
            from: year(from)?,
            to: year(to)?,
        },
        None => {
            let y = year(text)?;
            Years { from: y, to: y }
        }
    };
    if let (Some(from), Some(to)) = (years.from, years.to)
        && from > to
    {
        return Err(reader.error(format!("years {text:?} run backwards")));
    }
    Ok(years)
}

/// Reads the ambiguity file: `alias<TAB>id id …<TAB>why`, one a line.
pub(super) fn parse_ambiguities(file: &str, text: &str) -> Result<Vec<ParsedAmbiguity>, KbError> {
    let mut out = Vec::new();
    let mut reader = Reader { file, line: 0 };
    for (index, raw) in text.lines().enumerate() {
        reader.line = index + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let [alias, ids, note] = line.split('\t').collect::<Vec<_>>()[..] else {
            return Err(reader.error("an ambiguity line is `alias<TAB>id id …<TAB>why`"));
        };
        let entities = ids
            .split_whitespace()
            .map(|id| {
                if kind_of_id(id).is_some() {
                    Ok(EntityId(format!("{ID_PREFIX}{id}")))
                } else {
                    Err(reader.error(format!("{id:?} is not an id")))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        if entities.len() < 2 || alias.trim().is_empty() || note.trim().is_empty() {
            return Err(reader.error("an ambiguity names an alias, two ids or more, and why"));
        }
        out.push(ParsedAmbiguity {
            alias: alias.trim().to_string(),
            entities,
            note: note.trim().to_string(),
            line: reader.line,
        });
    }
    Ok(out)
}
