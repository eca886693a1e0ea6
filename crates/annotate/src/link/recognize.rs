//! Per-article mention recognition: the tagger's spans, gazetteer matches of the knowledge
//! base's aliases, and name rules, combined into one list of non-overlapping mentions with
//! their kinds and the roles attached to persons.
//!
//! How the three sources are combined:
//! - a gazetteer match is trusted over the tagger where they cross or where it is longer: it
//!   knows `Евразийского экономического союза` is one name and `Россия-Қозоғистон` two;
//! - a tagger span that contains a gazetteer match keeps its extent (an organisation named
//!   after a place: `МИД России`), unless all it adds are role words (`Президент Путин`);
//! - a gazetteer match of one word that opens a sentence, which the tagger does not confirm,
//!   is kept only when it is spelt exactly as an alias and is not a common word of the
//!   language (`data/link/stop.txt`);
//! - the name rules then look at what is left: initials before a surname (`В. В. Путин`), and
//!   runs of capitalised words that end in a surname ending, contain a patronymic, open with a
//!   given name the knowledge base knows, or follow a title (`сиёсатшунос Владислав
//!   Кондратьев`). They are what recognises persons in Uzbek, for which there is no training
//!   data, beyond what the tagger carries over from Kazakh.

use std::cell::OnceCell;

use xabar_core::{EntityKind, Language, Mention, Script, Span};
use xabar_text::token::{Token, TokenKind, lowercase, tokenize};

use super::gazetteer::{GAZETTEER, Hit};
use super::lexicon::{LEXICON, RoleMeaning};
use super::names::{NameWords, WordKeys, is_capitalised, uppercase_letters};
use super::roles;
use crate::kb::KnowledgeBase;
use crate::ner::Tagger;

/// Where a candidate mention comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Tagger,
    Gazetteer,
    Rule,
}

/// A candidate mention: byte span, the tokens it covers, its kind and evidence.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    /// First token and one past the last; a part of a compound has its compound's token.
    tokens: (usize, usize),
    kind: EntityKind,
    source: Source,
    /// Whether the tagger found the same span (a gazetteer or rule candidate it confirms).
    confirmed: bool,
}

/// The text being recognised, tokenised once, with per-token keys made on demand.
struct Doc<'t> {
    text: &'t str,
    language: Language,
    script: Script,
    tokens: Vec<Token<'t>>,
    sentence_start: Vec<bool>,
    keys: Vec<OnceCell<WordKeys>>,
    role_keys: Vec<OnceCell<String>>,
}

impl<'t> Doc<'t> {
    fn new(text: &'t str, language: Language, script: Script) -> Doc<'t> {
        let tokens: Vec<Token<'t>> = tokenize(text).collect();
        let sentence_start = sentence_starts(text, &tokens);
        let keys = (0..tokens.len()).map(|_| OnceCell::new()).collect();
        let role_keys = (0..tokens.len()).map(|_| OnceCell::new()).collect();
        Doc {
            text,
            language,
            script,
            tokens,
            sentence_start,
            keys,
            role_keys,
        }
    }

    /// The role phrase ending at token `end` (see [`roles::phrase_ending_at`]).
    fn role_ending_at(&self, end: usize) -> Option<(usize, RoleMeaning)> {
        roles::phrase_ending_at_keyed(&self.tokens, end, self.language, &|i| {
            self.role_keys[i]
                .get_or_init(|| roles::token_key(&self.tokens, i, self.language))
                .as_str()
        })
    }

    fn keys(&self, i: usize) -> &WordKeys {
        self.keys[i].get_or_init(|| WordKeys::of(self.tokens[i].text, self.language))
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind != TokenKind::Punct)
    }
}

/// Whether each token opens a sentence (or a paragraph, or a quotation, or a headline).
fn sentence_starts(text: &str, tokens: &[Token<'_>]) -> Vec<bool> {
    let mut out = Vec::with_capacity(tokens.len());
    for i in 0..tokens.len() {
        if i == 0 {
            out.push(true);
            continue;
        }
        let prev = &tokens[i - 1];
        let gap = text.get(prev.span.end..tokens[i].span.start).unwrap_or("");
        // The full stop of an initial (`В. Путин`) ends no sentence.
        let initial = prev.text == "."
            && i >= 2
            && is_initial(&tokens[i - 2])
            && tokens[i - 2].span.end == prev.span.start;
        let start = gap.contains('\n')
            || (!initial
                && matches!(
                    prev.text,
                    "." | "!"
                        | "?"
                        | "…"
                        | ":"
                        | ";"
                        | "«"
                        | "„"
                        | "“"
                        | "\""
                        | "("
                        | "—"
                        | "–"
                        | "-"
                ));
        out.push(start);
    }
    out
}

/// Finds the mentions of persons, organisations and places in a text: the statistical
/// tagger, gazetteer matches of the knowledge base and per-language rules combined (see the
/// module documentation of [`crate::link`]). Stateless: one recogniser serves any number of
/// threads.
#[derive(Debug, Clone, Copy)]
pub struct Recognizer {
    tagger: Option<&'static Tagger>,
}

impl Default for Recognizer {
    fn default() -> Recognizer {
        Recognizer::new()
    }
}

impl Recognizer {
    /// The recogniser with the shipped tagger model.
    pub fn new() -> Recognizer {
        Recognizer {
            tagger: Some(Tagger::global()),
        }
    }

    /// A recogniser with another tagger (e.g. one being trained).
    pub fn with_tagger(tagger: &'static Tagger) -> Recognizer {
        Recognizer {
            tagger: Some(tagger),
        }
    }

    /// A recogniser of gazetteer matches and rules alone, without the statistical tagger:
    /// faster, fewer mentions outside the knowledge base. For comparisons and for tests.
    pub fn without_tagger() -> Recognizer {
        Recognizer { tagger: None }
    }

    /// The mentions in `text` (normalized text is best; raw text works) in `language`,
    /// written mostly in `script`, in text order, not overlapping, with spans on char
    /// boundaries. Mentions of the knowledge base's entities carry its id and canonical name;
    /// the others have none until a [`Linker`](super::Linker) gives them one.
    pub fn recognize(&self, text: &str, language: Language, script: Script) -> Vec<Mention> {
        let doc = Doc::new(text, language, script);
        let tagged: Vec<Candidate> = match self.tagger {
            Some(tagger) => tagger
                .tag_tokens(text, &doc.tokens, language)
                .into_iter()
                .filter_map(|t| candidate_of_span(&doc, t.span, t.kind, Source::Tagger))
                // Every language xabar reads capitalises names: a span without a capital
                // letter is a tagging error (`beeinträchtigt`), and so is a word that is never
                // a name alone (`March`, `Реклама`).
                .filter(|c| {
                    text[c.start..c.end].chars().any(char::is_uppercase) && !never_alone(&doc, c)
                })
                .collect(),
            None => Vec::new(),
        };
        let gazetteer = gazetteer_candidates(&doc);
        let mut chosen = combine(&doc, tagged, gazetteer, self.tagger.is_some());
        name_rules(&doc, &mut chosen);
        repeated_surnames(&doc, &mut chosen);
        chosen.sort_by_key(|c| c.start);
        extend_initials(&doc, &mut chosen);
        // Whatever the sources, mentions never overlap: the earlier (then the longer) stays.
        chosen.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
        let mut kept: Vec<Candidate> = Vec::with_capacity(chosen.len());
        for c in chosen {
            if kept.last().is_none_or(|p| p.end <= c.start) {
                kept.push(c);
            }
        }
        let chosen = kept;
        let mut mentions: Vec<Mention> = chosen
            .iter()
            .map(|c| Mention {
                start: c.start,
                end: c.end,
                text: text[c.start..c.end].to_string(),
                kind: c.kind,
                entity: None,
                name: None,
                role: None,
            })
            .collect();
        attach_roles(&doc, &chosen, &mut mentions);
        let words: Vec<NameWords> = chosen
            .iter()
            .map(|c| {
                let (a, b) = c.tokens;
                if c.start == doc.tokens[a].span.start && c.end == doc.tokens[b - 1].span.end {
                    NameWords::from_tokens(&doc.tokens[a..b], language, |i| doc.keys(a + i).clone())
                } else {
                    // A part of a compound: keyed on its own.
                    NameWords::of(&text[c.start..c.end], language, WordKeys::of)
                }
            })
            .collect();
        super::local::link_in_article(&mut mentions, &words, language, script);
        mentions
    }
}

/// The mentions in `text`: [`Recognizer::recognize`] with the shipped tagger.
pub fn recognize(text: &str, language: Language, script: Script) -> Vec<Mention> {
    Recognizer::new().recognize(text, language, script)
}

/// A candidate for a span of whole tokens, with quote marks at its edges left out.
fn candidate_of_span(
    doc: &Doc<'_>,
    span: Span,
    kind: EntityKind,
    source: Source,
) -> Option<Candidate> {
    let first = doc.tokens.partition_point(|t| t.span.start < span.start);
    let last = doc.tokens.partition_point(|t| t.span.end <= span.end);
    let (mut a, mut b) = (first, last);
    while a < b && doc.tokens[a].kind == TokenKind::Punct {
        a += 1;
    }
    while b > a && doc.tokens[b - 1].kind == TokenKind::Punct {
        b -= 1;
    }
    if a >= b {
        return None;
    }
    Some(Candidate {
        start: doc.tokens[a].span.start,
        end: doc.tokens[b - 1].span.end,
        tokens: (a, b),
        kind,
        source,
        confirmed: source == Source::Tagger,
    })
}

/// The kind of the best candidate of a gazetteer hit.
fn hit_kind(hit: &Hit) -> Option<EntityKind> {
    let kb = KnowledgeBase::global();
    hit.entities
        .first()
        .and_then(|&e| kb.entities().get(e as usize))
        .map(|e| e.kind)
}

/// Whether a one-word candidate is a word the language data says is never a name alone.
fn never_alone(doc: &Doc<'_>, c: &Candidate) -> bool {
    if c.tokens.1 - c.tokens.0 != 1 {
        return false;
    }
    let lower = lowercase(doc.tokens[c.tokens.0].text, doc.language);
    LEXICON
        .never
        .get(&doc.language)
        .is_some_and(|s| s.contains(lower.as_ref()))
}

/// A gazetteer match found by [`gazetteer_candidates`], with what decides whether to keep it.
struct GazetteerMatch {
    candidate: Candidate,
    hit: Hit,
    words: usize,
}

/// Longest gazetteer matches, left to right, over words and over the parts of compounds.
fn gazetteer_candidates(doc: &Doc<'_>) -> Vec<GazetteerMatch> {
    let g = &*GAZETTEER;
    let kb = KnowledgeBase::global();
    let mut out = Vec::new();
    let mut i = 0;
    let mut full = String::new();
    let mut base = String::new();
    while i < doc.tokens.len() {
        let token = &doc.tokens[i];
        if token.kind != TokenKind::Word || !is_capitalised(token.text) {
            i += 1;
            continue;
        }
        let mut best: Option<(usize, Hit)> = None;
        full.clear();
        base.clear();
        let mut j = i;
        while j < doc.tokens.len() && j - i < g.max_words && doc.is_word(j) {
            let keys = doc.keys(j);
            if j > i {
                full.push(' ');
                base.push(' ');
            }
            full.push_str(&keys.full);
            base.push_str(&keys.base);
            let entries = g.lookup(&full, &base, doc.language);
            if !entries.is_empty()
                && let Some(hit) = g.rank(kb, &entries, doc.language, doc.script, false)
            {
                best = Some((j + 1, hit));
            }
            if !g.is_prefix(&full, &base) {
                break;
            }
            j += 1;
        }
        if best.is_none()
            && let Some(entries) = g.abbreviation(token.text)
        {
            let entries: Vec<_> = entries.iter().map(|e| (*e, true)).collect();
            if let Some(hit) = g.rank(kb, &entries, doc.language, doc.script, true) {
                best = Some((i + 1, hit));
            }
        }
        match best {
            Some((end, hit)) => {
                if let Some(kind) = hit_kind(&hit) {
                    out.push(GazetteerMatch {
                        candidate: Candidate {
                            start: token.span.start,
                            end: doc.tokens[end - 1].span.end,
                            tokens: (i, end),
                            kind,
                            source: Source::Gazetteer,
                            confirmed: false,
                        },
                        words: end - i,
                        hit,
                    });
                }
                i = end;
            }
            None => {
                if token.is_compound() {
                    compound_parts(doc, i, &mut out);
                }
                i += 1;
            }
        }
    }
    out
}

/// Gazetteer matches among the capitalised parts of a compound (`Россия-Қозоғистон`,
/// `US-Präsidenten`), each part on its own.
fn compound_parts(doc: &Doc<'_>, i: usize, out: &mut Vec<GazetteerMatch>) {
    let g = &*GAZETTEER;
    let kb = KnowledgeBase::global();
    let from = out.len();
    for part in doc.tokens[i].parts() {
        if part.kind != TokenKind::Word {
            continue;
        }
        // Only a compound of names is split into them (`Россия-Қозоғистон`); one with a
        // common word (`Afghanistan-Lösungen`, `Путин-режим`) names a thing of its own.
        let unmatched = |out: &mut Vec<GazetteerMatch>| out.truncate(from);
        if !is_capitalised(part.text) {
            return unmatched(out);
        }
        let keys = WordKeys::of(part.text, doc.language);
        let mut entries = g.lookup(&keys.full, &keys.base, doc.language);
        let mut abbreviation = false;
        if entries.is_empty()
            && let Some(found) = g.abbreviation(part.text)
        {
            entries = found.iter().map(|e| (*e, true)).collect();
            abbreviation = true;
        }
        if entries.is_empty() {
            return unmatched(out);
        }
        let Some(hit) = g.rank(kb, &entries, doc.language, doc.script, abbreviation) else {
            return unmatched(out);
        };
        // A person's surname inside a compound is more often a word of it.
        if hit.surname_only {
            return unmatched(out);
        }
        if let Some(kind) = hit_kind(&hit) {
            out.push(GazetteerMatch {
                candidate: Candidate {
                    start: part.span.start,
                    end: part.span.end,
                    tokens: (i, i + 1),
                    kind,
                    source: Source::Gazetteer,
                    confirmed: false,
                },
                words: 1,
                hit,
            });
        } else {
            return unmatched(out);
        }
    }
}

/// Whether a gazetteer match that the tagger does not confirm is trustworthy alone.
fn trust_alone(doc: &Doc<'_>, m: &GazetteerMatch, tagging: bool) -> bool {
    let (i, _) = m.candidate.tokens;
    let token = &doc.tokens[i];
    let part = m.candidate.end - m.candidate.start != token.text.len() || m.words > 1;
    // A name opening a quotation that the tagger passed over begins a quoted title
    // (`« Астана » халықаралық қаржы орталығы`, the route `« Алматы – Екатеринбург »`); one
    // further in (`«Ремёсла Самарканда»`, the crafts of Samarkand) still names its place.
    if tagging && i > 0 && is_quotation_mark(doc.tokens[i - 1].text) {
        return false;
    }
    if m.hit.abbreviation || m.words > 1 {
        return true;
    }
    let keys = doc.keys(i);
    let base_letters = keys.base.chars().count();
    if m.hit.surname_only && base_letters < 4 {
        return false;
    }
    // A short base of a short word meets too many words (`Мало` → `мал`, Mali's base); the
    // short base of a long word (`России` → `росс`) is safe.
    if !m.hit.exact && (base_letters < 3 || (base_letters < 4 && token.text.chars().count() < 5)) {
        return false;
    }
    let lower = lowercase(token.text, doc.language);
    // A German word in -er that only its base matches is the place's adjective (`Schweizer
    // Armee`, `Berliner Kurier`), not its name.
    if doc.language == Language::De && !m.hit.exact && !part && lower.ends_with("er") {
        return false;
    }
    let listed =
        |lists: &std::collections::HashMap<Language, std::collections::HashSet<String>>| {
            lists
                .get(&doc.language)
                .is_some_and(|s| s.contains(lower.as_ref()))
        };
    // Words the tagger must confirm (`Welt`, `Polen` in German, where every noun is
    // capitalised) are only here when it did not.
    if !part && listed(&LEXICON.confirm) {
        return false;
    }
    if doc.sentence_start[i] && !part {
        if listed(&LEXICON.stop) {
            return false;
        }
        if tagging && !m.hit.exact {
            return false;
        }
        // A word opening a sentence must be spelt as an alias is, or be an inflected form of
        // one; sharing a key with an alias is not enough (`Among` is not `Ammon`).
        let spelt = KnowledgeBase::global().by_alias(token.text).len() > 0;
        let inflected = keys.base != keys.full;
        if !spelt && !inflected {
            return false;
        }
    }
    // An all-capitals word that is not an abbreviation of the knowledge base is a headline
    // word or a dateline more often than an inflected name.
    if !m.hit.exact && uppercase_letters(token.text) > 1 && token.text.chars().count() > 1 {
        return uppercase_letters(token.text)
            == token.text.chars().filter(|c| c.is_alphabetic()).count();
    }
    true
}

/// Whether a token is a quotation mark.
fn is_quotation_mark(text: &str) -> bool {
    matches!(text, "«" | "»" | "„" | "“" | "”" | "\"")
}

/// Combines tagger spans and gazetteer matches (see the module documentation).
fn combine(
    doc: &Doc<'_>,
    tagged: Vec<Candidate>,
    gazetteer: Vec<GazetteerMatch>,
    tagging: bool,
) -> Vec<Candidate> {
    // First the tagger spans that contain gazetteer matches: keep the span (an organisation
    // named after a place, `МИД России`), or split it into the matches when they are what it
    // is made of (`Казахстана Касым-Жомарта Токаева`, a place and a person read as one span;
    // `Россия-Қозоғистон`; `Президент Путин`, a role and a name).
    let mut chosen: Vec<Candidate> = Vec::with_capacity(tagged.len() + gazetteer.len());
    let mut used = vec![false; gazetteer.len()];
    // The matches inside each tagger span kept whole, by the span's bounds: should a longer
    // match then take the span's place, they come back.
    let mut held: Vec<((usize, usize), Vec<usize>)> = Vec::new();
    for t in tagged {
        let inside: Vec<usize> = (0..gazetteer.len())
            .filter(|&k| {
                let g = &gazetteer[k].candidate;
                t.start <= g.start && g.end <= t.end && (g.start, g.end) != (t.start, t.end)
            })
            .collect();
        if inside.is_empty() {
            chosen.push(t);
            continue;
        }
        for &k in &inside {
            used[k] = true;
        }
        // A compound is split into its matches only when they are all it names
        // (`Россия-Қозоғистон`), not when a part is a name inside another's (`France-Presse`).
        // An organisation's name made of an organisation's and a place's (`Інтерфакс-Україна`)
        // stays whole.
        let names_organisation = t.kind == EntityKind::Organisation
            && inside
                .iter()
                .any(|&k| gazetteer[k].candidate.kind == EntityKind::Organisation);
        let compound_split = t.tokens.1 - t.tokens.0 == 1
            && !names_organisation
            && doc.tokens[t.tokens.0].is_compound()
            && doc.tokens[t.tokens.0]
                .parts()
                .filter(|p| p.kind == TokenKind::Word && is_capitalised(p.text))
                .all(|p| {
                    inside.iter().any(|&k| {
                        let g = &gazetteer[k].candidate;
                        g.start == p.span.start && g.end == p.span.end
                    })
                });
        let person_inside = t.kind != EntityKind::Person
            && inside
                .iter()
                .any(|&k| gazetteer[k].candidate.kind == EntityKind::Person);
        // Made of matches: every capitalised word of the span is in one of them, the rest
        // being words like `and`, `of`, `ва` between names (`Tajikistan and Turkmenistan`).
        let in_match = |i: usize| {
            inside.iter().any(|&k| {
                let (a, b) = gazetteer[k].candidate.tokens;
                a <= i && i < b
            })
        };
        // A person's name whose words are each a known person's name word (`Мишель Обама`:
        // Charles Michel's surname, Barack Obama's) is one name all the same.
        let all_persons = t.kind == EntityKind::Person
            && inside
                .iter()
                .all(|&k| gazetteer[k].candidate.kind == EntityKind::Person);
        // The span must end in a match: one that ends in a common noun is an organisation or
        // a place named after its first word (`Қарағанды мемлекеттік техникалық университеті`).
        let made_of_matches = !compound_split
            && !all_persons
            && in_match(t.tokens.1 - 1)
            && (t.tokens.0..t.tokens.1)
                .all(|i| !doc.is_word(i) || in_match(i) || !is_capitalised(doc.tokens[i].text));
        let only_roles =
            inside.len() == 1 && extra_tokens_are_roles(doc, &t, &gazetteer[inside[0]].candidate);
        // A person's name does not open with a place (`Душанбедегі Қабылдаулар`, "the Palace
        // of Receptions in Dushanbe", read as a person).
        // The place must be spelt as the knowledge base writes it, or be a Turkic form of it
        // (`-дегі`, "the one in"): an inflected-looking given name (Ukrainian `Кенні`, read
        // as a case of `Кенія`) is not a place.
        let turkic = matches!(
            doc.language,
            Language::Kk | Language::Uz | Language::Ky | Language::Tr | Language::Az
        );
        let place_opens_person = t.kind == EntityKind::Person
            && inside.iter().any(|&k| {
                let g = &gazetteer[k].candidate;
                g.tokens.0 == t.tokens.0
                    && g.kind != EntityKind::Person
                    && (turkic || gazetteer[k].hit.exact)
            });
        if compound_split || person_inside || made_of_matches || only_roles || place_opens_person {
            for &k in &inside {
                let mut g = gazetteer[k].candidate.clone();
                g.confirmed = true;
                chosen.push(g);
            }
        } else {
            held.push(((t.start, t.end), inside));
            chosen.push(t);
        }
    }
    for (m, _) in gazetteer.iter().zip(&used).filter(|(_, used)| !**used) {
        let g = m.candidate.clone();
        let overlapping: Vec<usize> = (0..chosen.len())
            .filter(|&k| chosen[k].start < g.end && g.start < chosen[k].end)
            .collect();
        if overlapping.is_empty() {
            if trust_alone(doc, m, tagging) {
                chosen.push(g);
            }
            continue;
        }
        let same = overlapping
            .iter()
            .find(|&&k| chosen[k].start == g.start && chosen[k].end == g.end);
        if let Some(&k) = same {
            // The knowledge base knows the kind when the word is spelt as its alias is; a
            // match of another spelling or inflection (`НАСА` meets `Nassau`) does not
            // overrule the tagger, but for a single word the tagger calls a person that
            // only places or organisations are named by: a genitive before a noun reads as a
            // person's to it (`Moskaus Beteiligung` as `Putins Rede`).
            if m.hit.exact || m.hit.abbreviation || person_word_names_no_person(&chosen[k], m) {
                chosen[k].kind = g.kind;
            }
            chosen[k].source = Source::Gazetteer;
            chosen[k].confirmed = true;
            continue;
        }
        // The match is longer than, or crosses, what was found: the name as the knowledge
        // base has it wins.
        let mut g = g;
        g.confirmed = true;
        let mut overlapping = overlapping;
        overlapping.sort_unstable_by(|a, b| b.cmp(a));
        for k in overlapping {
            let removed = chosen.remove(k);
            if let Some((_, inside)) = held
                .iter()
                .find(|(b, _)| *b == (removed.start, removed.end))
            {
                for &i in inside {
                    let inner = &gazetteer[i].candidate;
                    if inner.end <= g.start || g.end <= inner.start {
                        let mut inner = inner.clone();
                        inner.confirmed = true;
                        chosen.push(inner);
                    }
                }
            }
        }
        chosen.push(g);
    }
    chosen.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut out: Vec<Candidate> = Vec::with_capacity(chosen.len());
    for c in chosen {
        if out.last().is_some_and(|p| c.start < p.end) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether a one-word tagger span read as a person is matched, by its base, by a knowledge-base
/// alias whose candidates are none of them persons.
fn person_word_names_no_person(t: &Candidate, m: &GazetteerMatch) -> bool {
    let kb = KnowledgeBase::global();
    t.kind == EntityKind::Person
        && t.tokens.1 - t.tokens.0 == 1
        && !m.hit.surname_only
        && !m.hit.entities.is_empty()
        && m.hit.entities.iter().all(|&e| {
            kb.entities()
                .get(e as usize)
                .is_some_and(|e| e.kind != EntityKind::Person)
        })
}

/// Whether every token a tagger span has beyond a gazetteer match is a role or title word.
fn extra_tokens_are_roles(doc: &Doc<'_>, t: &Candidate, g: &Candidate) -> bool {
    let (a, b) = t.tokens;
    let (ga, gb) = g.tokens;
    if ga == a && gb == b {
        return false;
    }
    let before_ok = ga == a
        || doc
            .role_ending_at(ga - 1)
            .is_some_and(|(start, _)| start <= a);
    before_ok && gb == b
}

/// The name rules, over tokens no mention covers yet.
fn name_rules(doc: &Doc<'_>, chosen: &mut Vec<Candidate>) {
    let mut covered = vec![false; doc.tokens.len()];
    for c in chosen.iter() {
        for flag in &mut covered[c.tokens.0..c.tokens.1] {
            *flag = true;
        }
    }
    let known: Vec<(usize, usize, EntityKind)> = chosen
        .iter()
        .map(|c| (c.tokens.0, c.tokens.1, c.kind))
        .collect();
    let mention_kind = |k: usize| {
        known
            .iter()
            .find(|&&(a, b, _)| a <= k && k < b)
            .map(|&(a, _, kind)| (kind, a))
    };
    let n = doc.tokens.len();
    let mut i = 0;
    while i < n {
        if covered[i] || !starts_name(doc, i) {
            i += 1;
            continue;
        }
        // Initials: `В. В. Путин`, `A. Ivanov`.
        let mut j = i;
        let mut initials = 0;
        while j + 1 < n
            && !covered[j]
            && is_initial(&doc.tokens[j])
            && doc.tokens[j + 1].text == "."
        {
            initials += 1;
            j += 2;
        }
        let words_from = j;
        while j < n
            && !covered[j]
            && doc.tokens[j].kind == TokenKind::Word
            && j - words_from < 4
            && (is_capitalised(doc.tokens[j].text)
                || (j > words_from && is_particle(doc, j) && j + 1 < n))
            && !is_role_word(doc, j)
            // An initial opens the next name, it does not end this one.
            && !(is_initial(&doc.tokens[j]) && doc.tokens.get(j + 1).is_some_and(|t| t.text == "."))
        {
            j += 1;
        }
        // A particle does not end a name.
        while j > words_from && is_particle(doc, j - 1) {
            j -= 1;
        }
        // A long run is a name with words before it (`Irrigation Yerlan Zhaksybekov`,
        // `Гончар Аскар Нурмаганбетов`): the name is a given name the knowledge base knows
        // and what follows, or a given name, patronymic and surname, or the last two words.
        let mut words_from = words_from;
        if initials == 0 && j - words_from > 2 {
            let known_given =
                (words_from..j - 1).find(|&k| GAZETTEER.is_given_name(&doc.keys(k).loose));
            let patronymic = (words_from + 1..j).find(|&k| doc.keys(k).patronymic_like);
            words_from = match (known_given, patronymic) {
                (Some(k), _) => k,
                (None, Some(p)) => p - 1,
                (None, None) => j - 2,
            };
            // A particle belongs to the surname after it (`van Rompuy`), never opens a name.
            while words_from > i && is_particle(doc, words_from) {
                words_from -= 1;
            }
            i = words_from;
        }
        let words = j - words_from;
        let person = if words == 0 {
            false
        } else if initials > 0 {
            doc.keys(j - 1).surname_like || words == 1
        } else {
            person_run(doc, words_from, j, &mention_kind)
        };
        if person {
            chosen.push(Candidate {
                start: doc.tokens[i].span.start,
                end: doc.tokens[j - 1].span.end,
                tokens: (i, j),
                kind: EntityKind::Person,
                source: Source::Rule,
                confirmed: false,
            });
            i = j;
        } else {
            i = (words_from + 1).max(i + 1);
        }
    }
}

/// Whether token `i` may open a name: a capitalised word that is not a role word or a word
/// that opens sentences.
fn starts_name(doc: &Doc<'_>, i: usize) -> bool {
    let t = &doc.tokens[i];
    t.kind == TokenKind::Word
        && is_capitalised(t.text)
        && !LEXICON
            .not_name
            .contains(lowercase(t.text, doc.language).as_ref())
        && !is_role_word(doc, i)
}

fn is_initial(t: &Token<'_>) -> bool {
    t.kind == TokenKind::Word && t.text.chars().count() == 1 && is_capitalised(t.text)
}

fn is_particle(doc: &Doc<'_>, i: usize) -> bool {
    LEXICON
        .particles
        .contains(lowercase(doc.tokens[i].text, doc.language).as_ref())
}

fn is_role_word(doc: &Doc<'_>, i: usize) -> bool {
    matches!(
        doc.role_ending_at(i),
        Some((start, RoleMeaning::Office(_) | RoleMeaning::Title)) if start == i
    )
}

/// Whether a run of capitalised words `[a, b)` is a person's name by the rules.
fn person_run(
    doc: &Doc<'_>,
    a: usize,
    b: usize,
    mention_kind: &dyn Fn(usize) -> Option<(EntityKind, usize)>,
) -> bool {
    let words = b - a;
    let surname = doc.keys(b - 1).surname_like;
    let after_title = a > 0 && role_before(doc, a, mention_kind).is_some();
    if words == 1 {
        return surname && after_title && !doc.sentence_start[a];
    }
    let patronymic = (a + 1..b).any(|k| doc.keys(k).patronymic_like);
    let given = GAZETTEER.is_given_name(&doc.keys(a).loose);
    // Two capitalised words at a sentence start are a name only with stronger evidence than
    // a given name: headlines capitalise words freely.
    let evidence = usize::from(surname)
        + usize::from(patronymic)
        + usize::from(given)
        + usize::from(after_title);
    if doc.sentence_start[a] && words == 2 && !after_title {
        return evidence >= 2;
    }
    evidence >= 1
}

/// The role phrase just before a name starting at token `name_start`: the first token of the
/// phrase (a nationality adjective or a place before the role word included), if there is one.
/// `mention_kind(k)` says which kind of mention covers token `k`, if any.
fn role_before(
    doc: &Doc<'_>,
    name_start: usize,
    mention_kind: &dyn Fn(usize) -> Option<(EntityKind, usize)>,
) -> Option<usize> {
    let inside_other =
        |k: usize| matches!(mention_kind(k), Some((kind, _)) if kind != EntityKind::Person);
    let mut found: Option<usize> = None;
    let mut end = name_start;
    let mut gap = 0;
    while end > 0 && gap <= 4 && !doc.sentence_start[end] {
        let k = end - 1;
        let token = &doc.tokens[k];
        if token.kind == TokenKind::Punct && !matches!(token.text, "«" | "»") {
            break;
        }
        if matches!(mention_kind(k), Some((EntityKind::Person, _))) {
            break;
        }
        if let Some((start, meaning)) = doc.role_ending_at(k)
            && !matches!(meaning, RoleMeaning::Nation(_))
        {
            // The words between the role and the name must read as a genitive phrase:
            // something capitalised among them (`Президент России`, `министр транспорта
            // России`, `Директор Института политических исследований`), not just
            // lowercase words (`Президент встретился с`).
            let between = k + 1..name_start;
            let between_ok = between
                .clone()
                .all(|m| doc.tokens[m].kind == TokenKind::Word)
                && (between.is_empty()
                    || between
                        .clone()
                        .any(|m| is_capitalised(doc.tokens[m].text) || inside_other(m)));
            if between_ok {
                found = Some(start);
            }
            break;
        }
        end = k;
        gap += 1;
    }
    let mut start = found?;
    // A nationality adjective or a place just before the role word belongs to it.
    if start > 0 && !doc.sentence_start[start] {
        let k = start - 1;
        if roles::nation_of(&doc.tokens[k], doc.language).is_some() {
            start = k;
        } else if let Some((EntityKind::Place, first)) = mention_kind(k) {
            start = first;
        }
    }
    Some(start)
}

/// Finds the role phrase before each person mention and writes it into the mention.
fn attach_roles(doc: &Doc<'_>, chosen: &[Candidate], mentions: &mut [Mention]) {
    let mention_kind = |k: usize| {
        chosen
            .iter()
            .find(|o| o.tokens.0 <= k && k < o.tokens.1)
            .map(|o| (o.kind, o.tokens.0))
    };
    for (index, c) in chosen.iter().enumerate() {
        if c.kind != EntityKind::Person || c.tokens.0 == 0 {
            continue;
        }
        let Some(start) = role_before(doc, c.tokens.0, &mention_kind) else {
            continue;
        };
        let from = doc.tokens[start].span.start;
        let to = doc.tokens[c.tokens.0 - 1].span.end;
        if from < to {
            mentions[index].role = Some(doc.text[from..to].trim().to_string());
        }
    }
}

/// A surname of a full name found in the article, standing alone elsewhere in it
/// (`Kholmurodov said`), is a mention of that person too, even where nothing else finds it
/// (at a sentence start, in a language the tagger knows little of).
fn repeated_surnames(doc: &Doc<'_>, chosen: &mut Vec<Candidate>) {
    let mut surnames: Vec<std::sync::Arc<str>> = Vec::new();
    for c in chosen.iter() {
        if c.kind == EntityKind::Person && c.tokens.1 - c.tokens.0 >= 2 {
            let last = c.tokens.1 - 1;
            if doc.tokens[last].kind == TokenKind::Word {
                let loose = doc.keys(last).loose.clone();
                if loose.chars().count() >= 4 && !surnames.contains(&loose) {
                    surnames.push(loose);
                }
            }
        }
    }
    if surnames.is_empty() {
        return;
    }
    let mut covered = vec![false; doc.tokens.len()];
    for c in chosen.iter() {
        for flag in &mut covered[c.tokens.0..c.tokens.1] {
            *flag = true;
        }
    }
    for (i, token) in doc.tokens.iter().enumerate() {
        if covered[i] || token.kind != TokenKind::Word || !is_capitalised(token.text) {
            continue;
        }
        if surnames.contains(&doc.keys(i).loose) {
            chosen.push(Candidate {
                start: token.span.start,
                end: token.span.end,
                tokens: (i, i + 1),
                kind: EntityKind::Person,
                source: Source::Rule,
                confirmed: false,
            });
        }
    }
}

/// Takes the initials before a person mention into it (`В. В.` before `Путин`).
fn extend_initials(doc: &Doc<'_>, chosen: &mut [Candidate]) {
    let taken: Vec<(usize, usize)> = chosen.iter().map(|c| c.tokens).collect();
    let covered = |k: usize| taken.iter().any(|&(a, b)| a <= k && k < b);
    for c in chosen.iter_mut() {
        if c.kind != EntityKind::Person {
            continue;
        }
        let mut first = c.tokens.0;
        while first >= 2
            && doc.tokens[first - 1].text == "."
            && is_initial(&doc.tokens[first - 2])
            && !covered(first - 2)
            && !covered(first - 1)
        {
            first -= 2;
        }
        if first < c.tokens.0 {
            c.tokens.0 = first;
            c.start = doc.tokens[first].span.start;
        }
    }
}
