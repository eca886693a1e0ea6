//! Reading an attribution: finding the speech cue in a few tokens and the phrase that names
//! the speaker (the verb's subject, the name after "according to", the document a statement
//! appeared in).
//!
//! Everything here works on a token slice (see [`super::words`]) and returns token ranges;
//! the caller turns them into byte spans.

use std::ops::Range;

use super::lexicon::{Cue, CueKind, Lexicon, MAX_GAP, WordOrder};
use super::words::{Token, breaks_phrase, period_is_abbreviation};

/// The most words a speaker phrase may have.
const MAX_PHRASE_WORDS: usize = 10;
/// The most words a document or "according to" phrase may have.
const MAX_SOURCE_WORDS: usize = 12;

/// A cue found in a token slice.
#[derive(Debug, Clone)]
pub(crate) struct CueMatch<'l> {
    pub cue: &'l Cue,
    /// Tokens of the cue's first words.
    pub head: Range<usize>,
    /// Tokens between the head and the tail of a gapped cue (`ist Toqajew überzeugt`).
    pub gap: Option<Range<usize>>,
    /// One past the cue's last token.
    pub end: usize,
}

/// Where a speaker phrase stands relative to its cue, for the plausibility check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Before,
    After,
}

/// The cue starting at token `i`, if any (most specific first).
pub(crate) fn cue_at<'l>(
    tokens: &[Token],
    i: usize,
    lexicon: &'l Lexicon,
    allow_post_only: bool,
) -> Option<CueMatch<'l>> {
    let first = tokens.get(i).filter(|t| t.is_word())?;
    'cues: for cue in lexicon.cues_starting(&first.key) {
        if cue.post_only && !allow_post_only {
            continue;
        }
        let mut j = i;
        for pattern in &cue.head {
            match tokens.get(j) {
                Some(t) if t.is_word() && pattern.matches(&t.key) => j += 1,
                _ => continue 'cues,
            }
        }
        if cue.tail.is_empty() {
            return Some(CueMatch {
                cue,
                head: i..j,
                gap: None,
                end: j,
            });
        }
        // The tail must follow within MAX_GAP words of the same clause.
        let gap_start = j;
        let mut words = 0;
        while j < tokens.len() && words <= MAX_GAP {
            if breaks_phrase(tokens, j, lexicon) {
                continue 'cues;
            }
            let mut k = j;
            let tail_matches = cue.tail.iter().all(|pattern| {
                let ok = tokens
                    .get(k)
                    .is_some_and(|t| t.is_word() && pattern.matches(&t.key));
                k += 1;
                ok
            });
            if tail_matches {
                return Some(CueMatch {
                    cue,
                    head: i..gap_start,
                    gap: (j > gap_start).then_some(gap_start..j),
                    end: k,
                });
            }
            if tokens[j].is_word() {
                words += 1;
            }
            j += 1;
        }
    }
    None
}

fn is_pronoun(token: &Token, lexicon: &Lexicon) -> bool {
    token.is_word() && lexicon.pronoun(&token.key).is_some()
}

fn is_named(token: &Token, lexicon: &Lexicon) -> bool {
    token.is_word() && (token.capitalized || lexicon.role_class(&token.key).is_some())
}

/// Whether the word tokens in `range` can name a speaker.
pub(crate) fn plausible(
    tokens: &[Token],
    range: &Range<usize>,
    side: Side,
    lexicon: &Lexicon,
) -> bool {
    let words: Vec<&Token> = tokens[range.clone()]
        .iter()
        .filter(|t| t.is_word())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    if words.len() == 1 && is_pronoun(first, lexicon) {
        return true;
    }
    if words.iter().any(|t| is_named(t, lexicon)) {
        return true;
    }
    // A phrase in lower case only: "dedı şeber", "said the source", "organisers say".
    match (side, lexicon.order) {
        (Side::After, _) => {
            words.len() <= 2 || (lexicon.is_article(&first.key) && words.len() <= 4)
        }
        (Side::Before, WordOrder::Svo) => {
            words.len() <= 2 || (lexicon.is_article(&first.key) && words.len() <= 4)
        }
        (Side::Before, WordOrder::Sov) => false,
    }
}

/// The speaker phrase right before token `end` (exclusive), not reaching below `lo`: words
/// back to a clause break or a stop word ("Tulsa police Chief Chuck Jordan said").
pub(crate) fn phrase_before(
    tokens: &[Token],
    end: usize,
    lo: usize,
    lexicon: &Lexicon,
) -> Option<Range<usize>> {
    let mut j = end;
    let mut words = 0;
    while j > lo && words < MAX_PHRASE_WORDS {
        let t = &tokens[j - 1];
        if t.is_word() {
            // "Minister of Water Resources": a stop word between two names joins them.
            let joins = j >= lo + 2
                && words > 0
                && lexicon.is_connector(&t.key)
                && is_named(&tokens[j], lexicon)
                && is_named(&tokens[j - 2], lexicon);
            if (lexicon.is_stop(&t.key) && !joins)
                || cue_at(tokens, j - 1, lexicon, false).is_some()
            {
                break;
            }
            words += 1;
            j -= 1;
        } else if t.is_punct('.') && period_is_abbreviation(tokens, j - 1, lexicon) {
            j -= 1;
        } else if t.is_punct(')') {
            // Skip a parenthesis ("McCaskill (D-Mo.) scolded").
            match tokens[lo..j - 1].iter().rposition(|t| t.is_punct('(')) {
                Some(p) => j = lo + p,
                None => break,
            }
        } else {
            break;
        }
    }
    let mut range = j..end;
    // Leading words that name nobody, before a name or role ("нём глава государства").
    if let Some(p) = tokens[range.clone()]
        .iter()
        .position(|t| is_named(t, lexicon) || lexicon.is_article(&t.key) || is_pronoun(t, lexicon))
    {
        range.start += p;
    }
    // Drop trailing lower-case words after a name ("Hillary Clinton boldly suggested").
    while range.end > range.start + 1 {
        let last = &tokens[range.end - 1];
        let named_before = tokens[range.start..range.end - 1]
            .iter()
            .any(|t| is_named(t, lexicon));
        if last.is_word()
            && !is_named(last, lexicon)
            && !is_pronoun(last, lexicon)
            && !lexicon.is_state_word(&last.key)
            && named_before
        {
            range.end -= 1;
        } else {
            break;
        }
    }
    // Within the phrase a pronoun stands alone ("он", "he").
    if let Some(p) = tokens[range.clone()]
        .iter()
        .rposition(|t| is_pronoun(t, lexicon))
    {
        let at = range.start + p;
        return Some(at..at + 1);
    }
    trim_punct(tokens, range).filter(|r| plausible(tokens, r, Side::Before, lexicon))
}

/// The speaker phrase from token `start` on: words up to a clause break, a stop word or
/// another cue ("сказал глава МИД Сергей Лавров", "dedı şeber"). `side` says where the
/// phrase stands relative to its cue.
pub(crate) fn phrase_after(
    tokens: &[Token],
    start: usize,
    hi: usize,
    side: Side,
    lexicon: &Lexicon,
) -> Option<Range<usize>> {
    let first = tokens.get(start)?;
    if is_pronoun(first, lexicon) {
        return Some(start..start + 1);
    }
    let mut j = start;
    let mut words = 0;
    while j < hi && words < MAX_PHRASE_WORDS {
        let t = &tokens[j];
        if t.is_word() {
            // A stop word inside a title joins its parts: "Minister of Water Resources",
            // "министр водных ресурсов и ирригации Казахстана Ерлан Жаксыбеков".
            let has_role = tokens[start..j]
                .iter()
                .any(|t| t.is_word() && lexicon.role_class(&t.key).is_some());
            let ahead = || {
                tokens[j + 1..hi.min(j + 6)]
                    .iter()
                    .take_while(|t| t.is_word())
            };
            let name_follows = ahead().any(|t| t.capitalized);
            // A Turkic title ends in its title word, so the role may still be ahead:
            // "Қазақстанның Су ресурстары және ирригация министрі Ерлан Жақсыбеков".
            let has_role = has_role || ahead().any(|t| lexicon.role_class(&t.key).is_some());
            let joins = words > 0
                && lexicon.is_connector(&t.key)
                && ((is_named(&tokens[j - 1], lexicon)
                    && tokens
                        .get(j + 1)
                        .is_some_and(|n| j + 1 < hi && is_named(n, lexicon)))
                    || (has_role && name_follows));
            if (lexicon.is_stop(&t.key) && !joins)
                || (j > start && cue_at(tokens, j, lexicon, false).is_some())
            {
                break;
            }
            words += 1;
            j += 1;
        } else if t.is_punct('.') && period_is_abbreviation(tokens, j, lexicon) && j + 1 < hi {
            j += 1;
        } else {
            break;
        }
    }
    let mut range = start..j;
    // Leading words that name nobody, before a name or role: the addressee in
    // "заявил журналистам министр …".
    if let Some(p) = tokens[range.clone()]
        .iter()
        .position(|t| is_named(t, lexicon) || lexicon.is_article(&t.key))
    {
        range.start += p;
    }
    trim_punct(tokens, range).filter(|r| plausible(tokens, r, side, lexicon))
}

/// A document or "according to" phrase after the cue: words to the clause's end, stop words
/// included ("in einer Mitteilung auf der Website des Kreml").
pub(crate) fn source_after(
    tokens: &[Token],
    start: usize,
    hi: usize,
    lexicon: &Lexicon,
) -> Option<Range<usize>> {
    let mut j = start;
    let mut words = 0;
    while j < hi && words < MAX_SOURCE_WORDS {
        if breaks_phrase(tokens, j, lexicon) {
            break;
        }
        if tokens[j].is_word() {
            words += 1;
        }
        j += 1;
    }
    trim_punct(tokens, start..j)
}

/// A document or "according to" phrase before the cue, back to the clause's start
/// ("Кремль сайтида чоп этилган баёнотда айтилишича", "Тўқаевнинг таъкидлашича").
pub(crate) fn source_before(
    tokens: &[Token],
    end: usize,
    lo: usize,
    lexicon: &Lexicon,
) -> Option<Range<usize>> {
    let mut j = end;
    let mut words = 0;
    while j > lo && words < MAX_SOURCE_WORDS {
        if breaks_phrase(tokens, j - 1, lexicon) {
            break;
        }
        if tokens[j - 1].is_word() {
            words += 1;
        }
        j -= 1;
    }
    trim_punct(tokens, j..end)
}

/// The noun phrase opening the clause at `start` (SOV languages put the subject there):
/// a pronoun, or a run of capitalized and role words, after an introductory word and comma
/// ("Шунингдек, у …").
pub(crate) fn clause_subject(
    tokens: &[Token],
    start: usize,
    hi: usize,
    lexicon: &Lexicon,
) -> Option<Range<usize>> {
    let mut i = start;
    while i < hi && !tokens[i].is_word() {
        i += 1;
    }
    // An introductory word and comma ("Шунингдек, у …") — but not a name in apposition
    // ("Flynn, a top Trump surrogate, said").
    let introduces =
        |next: Option<&Token>| next.is_some_and(|t| is_pronoun(t, lexicon) || is_named(t, lexicon));
    if i + 1 < hi
        && tokens[i + 1].is_punct(',')
        && !is_pronoun(&tokens[i], lexicon)
        && introduces(tokens.get(i + 2))
    {
        i += 2;
    }
    let first = tokens.get(i).filter(|_| i < hi)?;
    if is_pronoun(first, lexicon) {
        return Some(i..i + 1);
    }
    let mut j = i;
    while j < hi && j - i < 8 {
        let t = &tokens[j];
        let part_of_name = t.is_word()
            && (is_named(t, lexicon) || lexicon.is_state_word(&t.key))
            && !lexicon.is_stop(&t.key);
        let abbreviation =
            t.is_punct('.') && period_is_abbreviation(tokens, j, lexicon) && j + 1 < hi;
        if !(part_of_name || abbreviation) {
            break;
        }
        j += 1;
    }
    while j > i && !tokens[j - 1].is_word() {
        j -= 1;
    }
    (j > i).then_some(i..j)
}

/// The speaker phrase of a cue found at `found`, in a slice whose clause starts at `lo` and
/// ends at `hi`. `post` says whether the slice follows the quotation (the words between the
/// quotation and the cue are then the subject, as in `"…," Mr. Obama said`).
pub(crate) fn speaker_of(
    tokens: &[Token],
    found: &CueMatch<'_>,
    lo: usize,
    hi: usize,
    post: bool,
    lexicon: &Lexicon,
) -> Option<Range<usize>> {
    match found.cue.kind {
        CueKind::Verb => {
            if let Some(gap) = &found.gap {
                return trim_punct(tokens, gap.clone())
                    .filter(|r| plausible(tokens, r, Side::After, lexicon));
            }
            // After a quotation the subject is read forward from the quotation's end, so
            // that an apposition stays out of it ("Flynn, a top Trump surrogate, said").
            let before = if post && lo < found.head.start {
                phrase_after(tokens, lo, found.head.start, Side::Before, lexicon)
            } else {
                phrase_before(tokens, found.head.start, lo, lexicon)
            };
            let after = phrase_after(tokens, found.end, hi, Side::After, lexicon);
            let opening = clause_subject(tokens, lo, found.head.start, lexicon);
            let ordered = match lexicon.order {
                WordOrder::Svo => [before, after, opening],
                WordOrder::Sov => [opening, after, before],
            };
            // A phrase that names someone (or is a pronoun) beats one in lower case only
            // ("— прежде всего сказал он": "он", not "прежде всего").
            let strong = |r: &Range<usize>| {
                tokens[r.clone()]
                    .iter()
                    .any(|t| is_named(t, lexicon) || is_pronoun(t, lexicon))
            };
            ordered
                .iter()
                .flatten()
                .find(|r| strong(r))
                .or_else(|| ordered.iter().flatten().next())
                .cloned()
        }
        CueKind::SourceAfter => phrase_after(tokens, found.end, hi, Side::After, lexicon),
        CueKind::DocumentAfter => source_after(tokens, found.end, hi, lexicon),
        CueKind::SourceBefore | CueKind::DocumentBefore => {
            source_before(tokens, found.head.start, lo, lexicon)
        }
    }
}

/// The range without punctuation at either end; `None` when no word is left.
fn trim_punct(tokens: &[Token], mut range: Range<usize>) -> Option<Range<usize>> {
    while range.start < range.end && !tokens[range.start].is_word() {
        range.start += 1;
    }
    while range.end > range.start && !tokens[range.end - 1].is_word() {
        // Keep the period of a trailing abbreviation out as well: it is punctuation.
        range.end -= 1;
    }
    (range.start < range.end).then_some(range)
}
