//! Quotations and who said them.
//!
//! [`find_quotes`] reads an article's clean text (see `xabar_text::normalize`; raw text works
//! too) and returns its quotations: spans in quote marks (« », „ “, " ", “ ”, ‹ ›, ‘ ’),
//! paragraphs opened by a dialogue dash, quotations running over several paragraphs or
//! interrupted by their attribution, partial quotations inside the writer's sentence, and the
//! answers of an interview. Quoted names («Российская газета», «Орталық Азия – Ресей»
//! саммиті) are told apart by structure and context (see `names.rs`).
//!
//! For each quotation it reads the attribution around it — a speech verb or source phrase from
//! the per-language data in `data/speech/`, and the phrase naming the speaker — and resolves
//! that phrase onto the article's mentions (a name, a role, a pronoun, a document's
//! organisation; see `speakers.rs`). Without mentions it still reports the speaker's surface
//! text and the cue.
//!
//! Cost: one linear scan for quote marks and dashes; the tokenizer and the cue lookup only
//! run on the sentence around each quotation.

mod attribution;
mod lexicon;
mod marks;
mod names;
mod speakers;
mod words;

#[cfg(test)]
mod tests;

use std::ops::Range;

use xabar_core::{EntityId, Language, Mention, Quote};

use attribution::{CueMatch, clause_subject, cue_at, speaker_of};
use lexicon::{CueKind, Lexicon};
use marks::{Marked, Paragraph};
use speakers::Resolver;
use words::{Token, period_is_abbreviation, tokenize, tokenize_where};

/// The quotations in `text` with their speakers, in text order.
///
/// `lang` picks the speech data (a language without its own data uses every language's);
/// `mentions` are the article's mentions, linked to entities where known: speakers are
/// resolved onto them, and with none given `speaker` stays `None` while `speaker_text` and
/// `cue` are still filled in.
pub fn find_quotes(text: &str, lang: Language, mentions: &[Mention]) -> Vec<Quote> {
    Finder::new(text, lexicon::lexicon(lang), mentions).run()
}

/// A title written in an article's text ("Қозоғистон раҳбарининг", "des kasachischen
/// Führers", "Қазақстан Президенті" before a name), with the person who holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TitlePhrase {
    /// First byte of the phrase (its place or qualifier words included).
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The person it names: the name right after it, else the person of the article who holds
    /// the office (see `speakers.rs`).
    pub holder: Option<EntityId>,
}

/// Reads the titles of one article, for stages that need to know who a role phrase names
/// (events: "Қозоғистон раҳбарининг Россияга давлат ташрифи" is Tokayev's visit, and the
/// country in a title is no participant).
pub(crate) struct TitleReader<'a> {
    resolver: Resolver<'a>,
}

impl<'a> TitleReader<'a> {
    /// A reader over `text` in `lang` with the article's linked `mentions`.
    pub(crate) fn new(text: &'a str, lang: Language, mentions: &'a [Mention]) -> Self {
        TitleReader {
            resolver: Resolver::new(text, lexicon::lexicon(lang), mentions),
        }
    }

    /// The titles written in `text[from..to]`, in text order.
    pub(crate) fn titles(&self, from: usize, to: usize) -> Vec<TitlePhrase> {
        self.resolver.titles(from, to)
    }

    /// Whether a person mention is a title with no name in it ("Қозоғистон раҳбари" as a
    /// tagger may give it): it stands for the title's holder, not for a person of its own.
    pub(crate) fn is_title_only(&self, m: &Mention) -> bool {
        m.kind == xabar_core::EntityKind::Person && !self.resolver.has_name_word(m)
    }
}

/// How a quotation is set off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Between quote marks.
    Marks,
    /// A paragraph opened by a dialogue dash.
    Dash,
    /// An interviewer's question.
    Question,
    /// An interviewee's answer.
    Answer,
}

/// Who said it, as read from the text.
#[derive(Debug, Clone, Default)]
struct Attribution {
    cue: Option<String>,
    /// Byte span of the speaker phrase.
    speaker: Option<(usize, usize)>,
    /// A document or organisation is the source.
    document: bool,
    /// The entity, when known without resolution (an interviewee's mention).
    entity: Option<EntityId>,
    /// Whether it follows the quotation.
    post: bool,
    /// Words between the quotation and the cue, for a following attribution.
    distance: usize,
    /// One past the attribution's last byte.
    end: usize,
}

#[derive(Debug, Clone)]
struct Candidate {
    /// The quoted text, without marks, dashes or attribution.
    parts: Vec<(usize, usize)>,
    /// What joins part `i` to part `i + 1` in `Quote::text`.
    joins: Vec<&'static str>,
    /// From the opening mark or dash to one past the closing mark.
    outer: (usize, usize),
    first_paragraph: usize,
    last_paragraph: usize,
    form: Form,
    partial: bool,
    attribution: Option<Attribution>,
}

impl Candidate {
    fn has_speaker(&self) -> bool {
        self.attribution
            .as_ref()
            .is_some_and(|a| a.speaker.is_some() || a.entity.is_some())
    }
}

struct Finder<'a> {
    text: &'a str,
    lexicon: &'static Lexicon,
    mentions: &'a [Mention],
    paragraphs: Vec<Paragraph>,
    marked: Vec<Marked>,
    /// `(open, close_end)` of the outermost pairs, sorted: skipped by sentence splitting.
    masked: Vec<(usize, usize)>,
}

/// Characters that open a dialogue paragraph.
fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '-' | '―' | '−')
}

impl<'a> Finder<'a> {
    fn new(text: &'a str, lexicon: &'static Lexicon, mentions: &'a [Mention]) -> Self {
        let paragraphs = marks::paragraphs(text);
        let marked = marks::scan(text, &paragraphs);
        let masked = marked
            .iter()
            .filter(|m| m.depth == 0)
            .map(|m| (m.open, m.close_end))
            .collect();
        Finder {
            text,
            lexicon,
            mentions,
            paragraphs,
            marked,
            masked,
        }
    }

    fn run(self) -> Vec<Quote> {
        let mut candidates = self.dash_candidates();
        let covered: Vec<(usize, usize)> = candidates.iter().map(|c| c.outer).collect();
        for m in self.marked.iter().filter(|m| m.depth == 0) {
            let inside_dash = covered
                .iter()
                .any(|&(s, e)| s <= m.open && m.close_end <= e);
            if inside_dash {
                continue;
            }
            if let Some(c) = self.mark_candidate(m) {
                candidates.push(c);
            }
        }
        candidates.sort_by_key(|c| c.outer.0);
        let mut candidates = self.join_interrupted(candidates);
        self.inherit_speakers(&mut candidates);

        let mut resolver = Resolver::new(self.text, self.lexicon, self.mentions);
        resolver.set_quoted(candidates.iter().map(|c| c.outer).collect());
        candidates
            .into_iter()
            .filter_map(|c| self.quote(c, &resolver))
            .collect()
    }

    fn quote(&self, c: Candidate, resolver: &Resolver<'_>) -> Option<Quote> {
        let parts: Vec<(usize, usize)> =
            c.parts.iter().filter_map(|&p| self.trim_part(p)).collect();
        let (first, last) = (parts.first()?, parts.last()?);
        let mut text = String::new();
        for (i, &(s, e)) in parts.iter().enumerate() {
            if i > 0 {
                text.push_str(c.joins.get(i - 1).copied().unwrap_or(" … "));
            }
            text.push_str(&self.text[s..e]);
        }
        let attribution = c.attribution.unwrap_or_default();
        // Mention offsets come from another stage: read them defensively.
        let speaker_text = attribution
            .speaker
            .and_then(|(s, e)| self.text.get(s..e))
            .map(|t| t.trim().to_string());
        let speaker = attribution.entity.clone().or_else(|| {
            attribution
                .speaker
                .and_then(|span| resolver.resolve(span, attribution.document))
        });
        Some(Quote {
            start: first.0,
            end: last.1,
            text,
            speaker,
            speaker_text,
            cue: attribution.cue,
            partial: c.partial,
        })
    }

    /// A part without surrounding white space and without the comma that hands over to the
    /// attribution; `None` when nothing is left.
    fn trim_part(&self, (s, e): (usize, usize)) -> Option<(usize, usize)> {
        let slice = self.text.get(s..e)?;
        let lead = slice.len() - slice.trim_start().len();
        let trimmed = slice.trim().trim_end_matches([',', ' ']).trim_end();
        let (s2, e2) = (s + lead, s + lead + trimmed.len());
        (e2 > s2).then_some((s2, e2))
    }

    // ---- sentences -------------------------------------------------------------------

    /// The outermost quote-mark pair holding byte `at`, if any.
    fn mask_at(&self, at: usize) -> Option<(usize, usize)> {
        let i = self.masked.partition_point(|&(s, _)| s <= at);
        let &(s, e) = self.masked.get(i.checked_sub(1)?)?;
        (s <= at && at < e).then_some((s, e))
    }

    fn is_sentence_end(&self, i: usize, c: char) -> bool {
        if !matches!(c, '.' | '!' | '?' | '…') {
            return false;
        }
        let after = &self.text[i + c.len_utf8()..];
        let next = after.chars().next();
        if !next.is_none_or(|n| n.is_whitespace()) {
            return false;
        }
        if c == '.' {
            // "Mr. Obama", "G. K.", "2024 й." — the word before decides.
            let word: String = self.text[..i]
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .collect();
            let n = word.chars().count();
            if n == 1 && word.chars().all(char::is_uppercase) {
                return false;
            }
            let forward: String = word.chars().rev().collect();
            if n > 0 && self.lexicon.is_abbreviation(&lexicon::fold(&forward)) {
                return false;
            }
        }
        true
    }

    /// Whether the quotation in marks at `open..close_end` ends with a full stop (or ! ?) and
    /// is followed by a new sentence: `“…unbeatable.” Flynn` no, `“…Friends.” “I mean`.
    fn mask_ends_sentence(&self, open: usize, close_end: usize) -> bool {
        let inner_last = self.text[open..close_end]
            .chars()
            .rev()
            .find(|c| !matches!(c, '»' | '"' | '”' | '“' | '\'' | '’' | '›'));
        if !inner_last.is_some_and(|c| matches!(c, '.' | '!' | '?' | '…')) {
            return false;
        }
        let mut rest = self.text[close_end..].chars();
        match rest.next() {
            None => true,
            Some(c) if c.is_whitespace() => rest.find(|c| !c.is_whitespace()).is_none_or(|c| {
                c.is_uppercase() || matches!(c, '«' | '"' | '“' | '„' | '—' | '–' | '\'' | '‘')
            }),
            _ => false,
        }
    }

    /// The start of the sentence holding `at` (quotations inside it are skipped whole).
    fn sentence_start(&self, paragraph: &Paragraph, at: usize) -> usize {
        let mut i = at.min(paragraph.end);
        // Masks starting before `i`; the last of them is the only one `i` can be in or after.
        let mut k = self.masked.partition_point(|&(s, _)| s < i);
        while i > paragraph.start {
            if let Some(&(s, e)) = k.checked_sub(1).and_then(|p| self.masked.get(p))
                && i <= e
            {
                k -= 1;
                if s < paragraph.start {
                    break;
                }
                // `“Fox and Friends.” “I mean…”`: a quotation ending in a full stop ends the
                // sentence it stands in.
                if e <= at && self.mask_ends_sentence(s, e) {
                    return skip_space(self.text, e);
                }
                i = s;
                continue;
            }
            let Some(c) = self.text[..i].chars().next_back() else {
                break;
            };
            let j = i - c.len_utf8();
            if self.is_sentence_end(j, c) {
                return skip_space(self.text, i);
            }
            i = j;
        }
        paragraph.start
    }

    /// One past the end of the sentence holding `at`.
    fn sentence_end(&self, paragraph: &Paragraph, at: usize) -> usize {
        let mut i = at;
        // The next mask starting at or after `i`.
        let mut k = self.masked.partition_point(|&(s, _)| s < i);
        while i < paragraph.end {
            if let Some(&(s, e)) = self.masked.get(k)
                && s == i
            {
                k += 1;
                if self.mask_ends_sentence(s, e) {
                    return e;
                }
                i = e.min(paragraph.end);
                continue;
            }
            let Some(c) = self.text[i..].chars().next() else {
                break;
            };
            if self.is_sentence_end(i, c) {
                return i + c.len_utf8();
            }
            i += c.len_utf8();
        }
        paragraph.end
    }

    /// How many words `from..to` holds outside quotation marks (no tokenizing).
    fn words_outside_quotes(&self, from: usize, to: usize) -> usize {
        let mut k = self.masked.partition_point(|&(s, _)| s < from);
        let mut i = from;
        let mut words = 0;
        let mut in_word = false;
        while i < to {
            if let Some(&(s, e)) = self.masked.get(k)
                && s <= i
            {
                k += 1;
                i = i.max(e);
                in_word = false;
                continue;
            }
            let Some(c) = self.text[i..].chars().next() else {
                break;
            };
            let letter = c.is_alphanumeric();
            if letter && !in_word {
                words += 1;
            }
            in_word = letter;
            i += c.len_utf8();
        }
        words
    }

    /// Tokens of `from..to` outside quotation marks (the words of other quotations are no
    /// attribution).
    fn tokens_outside_quotes(&self, from: usize, to: usize) -> Vec<Token> {
        tokenize_where(self.text, from, to, |start| self.mask_at(start).is_none())
    }

    // ---- attribution -----------------------------------------------------------------

    /// The attribution following a quotation that ends at `close_end`: `», — сказал он`,
    /// `“, schrieb Toqajew`, `," Mr. Obama said`, `» деб таъкидлади`.
    fn post_attribution(
        &self,
        paragraph: &Paragraph,
        close_end: usize,
        open: usize,
    ) -> Option<Attribution> {
        let sentence_end = self.sentence_end(paragraph, close_end);
        // The next quotation ends the search; a short span in marks (a name, a nickname) does
        // not.
        let next_quote = self.masked[self.masked.partition_point(|&(s, _)| s < close_end)..]
            .iter()
            .find(|&&(s, e)| !self.is_short_span(s, e))
            .map_or(usize::MAX, |&(s, _)| s);
        let end = sentence_end.min(next_quote).max(close_end);
        let tokens = tokenize(self.text, close_end, end);
        let mut lo = 0;
        while lo < tokens.len() && !tokens[lo].is_word() {
            if matches!(tokens[lo].punct, Some('.' | ';')) {
                return None;
            }
            lo += 1;
        }
        let mut words = 0;
        for i in lo..tokens.len() {
            if !tokens[i].is_word() {
                if matches!(tokens[i].punct, Some(';' | ':' | '!' | '?')) {
                    break;
                }
                continue;
            }
            if let Some(found) = cue_at(&tokens, i, self.lexicon, words == 0) {
                let mut attribution = self.attribution(&tokens, &found, lo, tokens.len(), true);
                attribution.distance = words;
                if attribution.speaker.is_none() && self.lexicon.order == lexicon::WordOrder::Sov {
                    // "Тоқаев «…» деді": the subject opens the sentence before the quotation.
                    let start = self.sentence_start(paragraph, open);
                    let before = self.tokens_outside_quotes(start, open);
                    attribution.speaker = clause_subject(&before, 0, before.len(), self.lexicon)
                        .map(|r| span_of(&before, r));
                }
                return Some(attribution);
            }
            words += 1;
            // Long enough for "Scott Pruitt, the Republican attorney general of Oklahoma, one
            // of the states suing the EPA, said".
            if words > 20 {
                break;
            }
        }
        self.inline_signature(&tokens, paragraph, close_end)
    }

    /// A name after a dash closing the paragraph right after the quotation:
    /// `“…” ― Pamela Padilla`.
    fn inline_signature(
        &self,
        tokens: &[Token],
        paragraph: &Paragraph,
        close_end: usize,
    ) -> Option<Attribution> {
        let first = tokens.first()?;
        if !first.punct.is_some_and(is_dash)
            || self.sentence_end(paragraph, close_end) < paragraph.end
        {
            return None;
        }
        let rest = &tokens[1..];
        let words: Vec<&Token> = rest.iter().filter(|t| t.is_word()).collect();
        let clean = rest.iter().enumerate().all(|(i, t)| {
            t.is_word()
                || (t.is_punct('.')
                    && (i + 1 == rest.len() || period_is_abbreviation(rest, i, self.lexicon)))
        });
        let named = words.iter().all(|w| w.capitalized);
        if !(clean && named && (1..=5).contains(&words.len())) {
            return None;
        }
        let (s, e) = (words[0].start, words[words.len() - 1].end);
        Some(Attribution {
            speaker: Some((s, e)),
            post: true,
            end: e,
            ..Attribution::default()
        })
    }

    /// Whether the pair of marks at `open..close_end` holds at most four words and no
    /// sentence punctuation (a name or a nickname, not a quotation that ends a clause).
    fn is_short_span(&self, open: usize, close_end: usize) -> bool {
        let inner = &self.text[open..close_end];
        inner.split_whitespace().count() <= 4 && !inner.contains(['.', ',', '!', '?', ';', ':'])
    }

    /// The attribution before a quotation opening at `open`, in its sentence (and in the
    /// previous paragraph when this one merely continues it): `Путин заявил: «…»`,
    /// `Тўқаевнинг таъкидлашича, …`, `According to X, "…"`.
    fn pre_attribution(&self, paragraph_index: usize, open: usize) -> Option<Attribution> {
        let paragraph = &self.paragraphs[paragraph_index];
        let mut start = self.sentence_start(paragraph, open);
        if start == paragraph.start && paragraph_index > 0 {
            let previous = &self.paragraphs[paragraph_index - 1];
            let previous_text = &self.text[previous.start..previous.end];
            if !ends_sentence(previous_text) || previous_text.ends_with(':') {
                start = self.sentence_start(previous, previous.end);
            }
        }
        let tokens = self.tokens_outside_quotes(start, open);
        // Cues are read left to right (so that `деб ёзган` is not read as `ёзган`), then
        // tried nearest first.
        let mut cues = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match cue_at(&tokens, i, self.lexicon, false) {
                Some(found) => {
                    i = found.end;
                    cues.push(found);
                }
                None => i += 1,
            }
        }
        let mut first: Option<Attribution> = None;
        for found in cues.iter().rev() {
            let attribution = self.attribution(&tokens, found, 0, tokens.len(), false);
            if attribution.speaker.is_some() {
                return Some(attribution);
            }
            first.get_or_insert(attribution);
        }
        first
    }

    fn attribution(
        &self,
        tokens: &[Token],
        found: &CueMatch<'_>,
        lo: usize,
        hi: usize,
        post: bool,
    ) -> Attribution {
        let speaker = speaker_of(tokens, found, lo, hi, post, self.lexicon);
        let mut end = tokens[found.end - 1].end;
        if let Some(r) = &speaker {
            end = end.max(tokens[r.end - 1].end);
        }
        Attribution {
            cue: Some(found.cue.text.clone()),
            speaker: speaker.map(|r| span_of(tokens, r)),
            document: matches!(
                found.cue.kind,
                CueKind::DocumentAfter | CueKind::DocumentBefore
            ),
            entity: None,
            post,
            distance: 0,
            end,
        }
    }

    // ---- quote marks -----------------------------------------------------------------

    fn mark_candidate(&self, m: &Marked) -> Option<Candidate> {
        let paragraph = &self.paragraphs[m.first_paragraph];
        let last_paragraph = &self.paragraphs[m.last_paragraph];
        let inner = (m.parts.first()?.0, m.parts.last()?.1);
        let before = self.tokens_outside_quotes(
            self.text
                .floor_char_boundary(m.open.saturating_sub(60))
                .max(paragraph.start),
            m.open,
        );
        let after_end = self
            .text
            .floor_char_boundary((m.close_end + 60).min(last_paragraph.end));
        let after = tokenize(self.text, m.close_end, after_end.max(m.close_end));
        let post = if m.closed {
            self.post_attribution(last_paragraph, m.close_end, m.open)
        } else {
            None
        };
        // Speech right after the marks makes a quotation, when set off as speech is: by
        // punctuation (`«…», — деди`, `“…,” he said`) or a complementizer (`«…» деб`).
        let set_off = self.text[inner.1..m.close_end]
            .chars()
            .chain(
                self.text[..inner.1]
                    .chars()
                    .rev()
                    .take_while(|c| !c.is_alphanumeric()),
            )
            .any(|c| matches!(c, ',' | '!' | '?' | '…'))
            || after
                .first()
                .is_some_and(|t| t.punct.is_some_and(|p| p == ',' || is_dash(p)))
            || after
                .iter()
                .find(|t| t.is_word())
                .is_some_and(|t| self.lexicon.is_complementizer(&t.key));
        let cue_right_after = set_off && post.as_ref().is_some_and(|a| a.distance <= 2);
        // `repeatedly says, "Don't you do it,"`: a cue and a comma or colon right before.
        let cue_right_before = before
            .last()
            .is_some_and(|t| t.is_punct(',') || t.is_punct(':'))
            && (before.len().saturating_sub(6)..before.len())
                .any(|i| cue_at(&before, i, self.lexicon, false).is_some());
        if !cue_right_after
            && !cue_right_before
            && m.parts.len() == 1
            && names::looks_like_name(
                self.text,
                inner,
                m.close_end,
                &before,
                &after,
                set_off,
                self.lexicon,
            )
        {
            return None;
        }
        // An attribution inside one pair of marks: «A, — сказал он, — B».
        if m.parts.len() == 1
            && let Some(c) = self.interrupted_inside(m)
        {
            return Some(c);
        }
        let pre = self.pre_attribution(m.first_paragraph, m.open);
        let colon_before = before.last().is_some_and(|t| t.is_punct(':'))
            || (before.len() >= 2
                && before.last().is_some_and(|t| t.punct.is_some_and(is_dash))
                && before[before.len() - 2].is_punct(':'));
        let mut attribution = choose(pre, post.clone(), colon_before);
        if colon_before && attribution.as_ref().is_none_or(|a| a.speaker.is_none()) {
            // "Тоқаев: «…»", "Toqajew: „…“": a name alone before a colon.
            if let Some(span) = self.name_before_colon(paragraph, m.open) {
                attribution = Some(Attribution {
                    speaker: Some(span),
                    end: m.open,
                    ..Attribution::default()
                });
            }
        }
        let partial = self.is_partial(
            m,
            &after,
            post.as_ref(),
            colon_before || cue_right_before,
            set_off,
        );
        Some(Candidate {
            parts: m.parts.clone(),
            joins: vec!["\n"; m.parts.len().saturating_sub(1)],
            outer: (m.open, m.close_end),
            first_paragraph: m.first_paragraph,
            last_paragraph: m.last_paragraph,
            form: Form::Marks,
            partial,
            attribution,
        })
    }

    /// The name standing alone between the sentence's start and the colon before `open`.
    fn name_before_colon(&self, paragraph: &Paragraph, open: usize) -> Option<(usize, usize)> {
        let start = self.sentence_start(paragraph, open);
        let tokens = self.tokens_outside_quotes(start, open);
        let colon = tokens.iter().rposition(|t| t.is_punct(':'))?;
        let words = &tokens[..colon];
        let named = words.iter().all(|t| {
            t.capitalized
                || self.lexicon.role_class(&t.key).is_some()
                || (t.is_punct('.') || t.is_punct('-'))
        });
        let count = words.iter().filter(|t| t.is_word()).count();
        (named && (1..=4).contains(&count) && words.first().is_some_and(Token::is_word))
            .then(|| (words[0].start, words[words.len() - 1].end))
    }

    /// Whether the quotation is a fragment of the writer's sentence rather than a sentence of
    /// its own (introduced by a colon, opening the sentence, or set off by its attribution).
    fn is_partial(
        &self,
        m: &Marked,
        after: &[Token],
        post: Option<&Attribution>,
        introduced: bool,
        set_off: bool,
    ) -> bool {
        let paragraph = &self.paragraphs[m.first_paragraph];
        let start = self.sentence_start(paragraph, m.open);
        let words_before = self.words_outside_quotes(start, m.open);
        let starts = words_before == 0 || introduced;
        let ends = (set_off && post.is_some())
            || match after.iter().find(|t| !t.is_punct('\'')) {
                None => true,
                Some(t) => match t.punct {
                    Some(
                        '.' | '!' | '?' | '…' | ',' | ';' | '—' | '–' | '-' | '«' | '"' | '“' | '„',
                    ) => true,
                    Some(_) => false,
                    None => post.is_some_and(|a| a.distance == 0),
                },
            };
        // `Тоқаев «…» деді`: only the subject stands before the quotation.
        let sov_subject_only = self.lexicon.order == lexicon::WordOrder::Sov
            && post.is_some_and(|a| a.distance == 0)
            && words_before <= 4;
        !((starts || sov_subject_only) && ends)
    }

    /// A quotation whose attribution stands inside its marks: «A, — сказал он, — B».
    fn interrupted_inside(&self, m: &Marked) -> Option<Candidate> {
        let (s, e) = m.parts[0];
        let (parts, attribution) = self.dash_splits(s, e, true);
        if parts.is_empty() {
            return None;
        }
        Some(Candidate {
            joins: vec![" … "; parts.len().saturating_sub(1)],
            parts,
            outer: (m.open, m.close_end),
            first_paragraph: m.first_paragraph,
            last_paragraph: m.last_paragraph,
            form: Form::Marks,
            partial: false,
            attribution: Some(attribution),
        })
        .filter(|c| c.parts.len() > 1)
    }

    // ---- dialogue dashes and interviews -----------------------------------------------

    /// Splits `from..to` at dash attributions (`…, — деді Қазақстан Президенті.`,
    /// `…, — сказал он, — …`): the quoted parts and the first attribution. Empty when there is
    /// none.
    fn dash_splits(&self, from: usize, to: usize, inside_marks: bool) -> DashSplit {
        if !has_hand_over(&self.text[from..to]) {
            return (Vec::new(), Attribution::default());
        }
        // Inside a pair of marks every token counts; elsewhere quoted words are no
        // attribution.
        let tokens = if inside_marks {
            tokenize(self.text, from, to)
        } else {
            self.tokens_outside_quotes(from, to)
        };
        let mut parts = Vec::new();
        let mut attribution: Option<Attribution> = None;
        let mut part_start = from;
        let mut i = 0;
        while i + 2 < tokens.len() {
            let hand_over = matches!(tokens[i].punct, Some(',' | '.' | '!' | '?' | '…'))
                && tokens[i + 1].punct.is_some_and(is_dash);
            if !hand_over {
                i += 1;
                continue;
            }
            // The cue stands among the first words after the dash.
            let lo = i + 2;
            let mut found = None;
            let mut words = 0;
            let mut j = lo;
            while j < tokens.len() && words < 4 {
                if !tokens[j].is_word() {
                    break;
                }
                if let Some(f) = cue_at(&tokens, j, self.lexicon, false) {
                    found = Some(f);
                    break;
                }
                words += 1;
                j += 1;
            }
            let Some(found) = found else {
                i += 1;
                continue;
            };
            // The attribution clause runs to the next clause break.
            let mut hi = found.end;
            while hi < tokens.len()
                && !(matches!(
                    tokens[hi].punct,
                    Some(',' | '.' | '!' | '?' | '…' | ';' | ':')
                ) && !(tokens[hi].is_punct('.')
                    && period_is_abbreviation(&tokens, hi, self.lexicon)))
            {
                hi += 1;
            }
            let part_end = if tokens[i].is_punct(',') {
                tokens[i].start
            } else {
                tokens[i].end
            };
            parts.push((part_start, part_end));
            if attribution.is_none() {
                attribution = Some(self.attribution(&tokens, &found, lo, hi, true));
            }
            // Does the quotation go on after the attribution (`…, — сказал он, — …`)?
            match (tokens.get(hi), tokens.get(hi + 1)) {
                (Some(p), Some(d)) if d.punct.is_some_and(is_dash) && p.punct.is_some() => {
                    part_start = d.end;
                    i = hi + 2;
                }
                _ => {
                    part_start = to;
                    break;
                }
            }
        }
        if let Some(a) = attribution {
            if part_start < to {
                parts.push((part_start, to));
            }
            (parts, a)
        } else {
            (Vec::new(), Attribution::default())
        }
    }

    fn dash_body(&self, paragraph: &Paragraph) -> Option<usize> {
        let body = &self.text[paragraph.start..paragraph.end];
        let mut chars = body.char_indices();
        let (_, first) = chars.next()?;
        if !is_dash(first) {
            return None;
        }
        let (offset, next) = chars.next()?;
        if !next.is_whitespace() && first == '-' {
            return None;
        }
        Some(skip_space(self.text, paragraph.start + offset))
    }

    /// An attribution line under a quotation: `— Владимир Путин` alone in its paragraph.
    fn attribution_line(&self, paragraph: &Paragraph) -> Option<(usize, usize)> {
        let body = self.dash_body(paragraph)?;
        // Each white-space-separated chunk with a letter or digit holds a word of its own:
        // more than four such chunks are more than four words, without tokenizing.
        let chunks = self
            .text
            .get(body..paragraph.end)
            .unwrap_or_default()
            .split_whitespace()
            .filter(|c| c.chars().any(char::is_alphanumeric))
            .take(5)
            .count();
        if chunks > 4 {
            return None;
        }
        let tokens = tokenize(self.text, body, paragraph.end);
        let words: Vec<&Token> = tokens.iter().filter(|t| t.is_word()).collect();
        let only_words = tokens.iter().enumerate().all(|(i, t)| {
            t.is_word()
                || (t.is_punct('.')
                    && (i + 1 == tokens.len() || period_is_abbreviation(&tokens, i, self.lexicon)))
        });
        let named = words
            .iter()
            .all(|w| w.capitalized || self.lexicon.role_class(&w.key).is_some());
        (only_words && named && (1..=4).contains(&words.len()) && words[0].capitalized)
            .then(|| (words[0].start, words[words.len() - 1].end))
    }

    fn dash_candidates(&self) -> Vec<Candidate> {
        let dashed: Vec<(usize, usize)> = self
            .paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| self.attribution_line(p).is_none())
            .filter_map(|(i, p)| self.dash_body(p).map(|b| (i, b)))
            .collect();
        if dashed.is_empty() {
            return Vec::new();
        }
        let is_question = |&(i, _): &(usize, usize)| {
            let p = &self.paragraphs[i];
            self.text[p.start..p.end]
                .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '"' | '”'))
                .ends_with('?')
        };
        let questions = dashed.iter().filter(|d| is_question(d)).count();
        let first_dash = dashed[0].0;
        let interviewee = self.interviewee(first_dash);
        let interview = questions >= 2 || (questions >= 1 && interviewee.is_some());
        let mut out = Vec::new();
        for (n, &(index, body)) in dashed.iter().enumerate() {
            let paragraph = self.paragraphs[index];
            let whole = || vec![(body, paragraph.end)];
            if interview && dashed[..=n].iter().any(is_question) {
                if is_question(&(index, body)) {
                    out.push(self.dash_candidate(index, body, whole(), Form::Question, None));
                    continue;
                }
                // The answer runs on over the paragraphs up to the next dash.
                let next_dash = dashed.get(n + 1).map_or(self.paragraphs.len(), |d| d.0);
                let mut parts = whole();
                for later in index + 1..next_dash {
                    let p = &self.paragraphs[later];
                    if self.attribution_line(p).is_some() {
                        break;
                    }
                    parts.push((p.start, p.end));
                }
                let attribution = interviewee.clone();
                out.push(self.dash_candidate(index, body, parts, Form::Answer, attribution));
                continue;
            }
            let (parts, attribution) = self.dash_splits(body, paragraph.end, false);
            if !parts.is_empty() {
                let mut c = self.dash_candidate(index, body, parts, Form::Dash, Some(attribution));
                c.joins = vec![" … "; c.parts.len().saturating_sub(1)];
                out.push(c);
                continue;
            }
            // No attribution in the paragraph: the one before may introduce it ("деді:").
            let previous_intro = index > 0 && {
                let p = &self.paragraphs[index - 1];
                self.text[p.start..p.end].trim_end().ends_with(':')
            };
            // Otherwise a sentence of six words or more stands as a quotation of its own.
            let attribution = if previous_intro {
                self.pre_attribution(index, body)
            } else {
                let words = tokenize(self.text, body, paragraph.end)
                    .iter()
                    .filter(|t| t.is_word())
                    .count();
                if words < 6 || !ends_sentence(&self.text[body..paragraph.end]) {
                    continue;
                }
                None
            };
            out.push(self.dash_candidate(index, body, whole(), Form::Dash, attribution));
        }
        out
    }

    fn dash_candidate(
        &self,
        index: usize,
        body: usize,
        parts: Vec<(usize, usize)>,
        form: Form,
        attribution: Option<Attribution>,
    ) -> Candidate {
        let last = parts.last().map_or(body, |p| p.1);
        let last_paragraph = self
            .paragraphs
            .partition_point(|p| p.start < last)
            .saturating_sub(1)
            .max(index);
        Candidate {
            joins: vec!["\n"; parts.len().saturating_sub(1)],
            parts,
            outer: (self.paragraphs[index].start, last),
            first_paragraph: index,
            last_paragraph,
            form,
            partial: false,
            attribution,
        }
    }

    /// The person an interview introduction names ("суҳбатда … сиёсатшунос Владислав
    /// Кондратьев … гапириб берди"), from the paragraphs before the first dash.
    fn interviewee(&self, first_dash: usize) -> Option<Attribution> {
        for index in (first_dash.saturating_sub(3)..first_dash).rev() {
            let paragraph = &self.paragraphs[index];
            let tokens = tokenize(self.text, paragraph.start, paragraph.end);
            let Some(cue) = tokens
                .iter()
                .find(|t| t.is_word() && self.lexicon.is_interview_word(&t.key))
            else {
                continue;
            };
            let start = self.sentence_start(paragraph, cue.start);
            let end = self.sentence_end(paragraph, cue.start);
            let cue_text = self.text[cue.start..cue.end].to_string();
            let person = self.mentions.iter().find(|m| {
                m.kind == xabar_core::EntityKind::Person
                    && m.start >= start
                    && m.end <= end
                    && self.text.get(m.start..m.end).is_some()
                    && self.mask_at(m.start).is_none()
            });
            if let Some(m) = person {
                return Some(Attribution {
                    cue: Some(cue_text),
                    speaker: Some((m.start, m.end)),
                    entity: m.entity.clone(),
                    end: m.end,
                    ..Attribution::default()
                });
            }
            let sentence = self.tokens_outside_quotes(start, end);
            if let Some(span) = guess_name(&sentence) {
                return Some(Attribution {
                    cue: Some(cue_text),
                    speaker: Some(span),
                    end: span.1,
                    ..Attribution::default()
                });
            }
            return Some(Attribution {
                cue: Some(cue_text),
                ..Attribution::default()
            });
        }
        None
    }

    // ---- joining and inheriting ---------------------------------------------------------

    /// `“A,” X said. “B.”` and `«A», — сказал он, — «B»`: two pairs of marks around one
    /// attribution are one quotation.
    fn join_interrupted(&self, candidates: Vec<Candidate>) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::with_capacity(candidates.len());
        for c in candidates {
            if let Some(prev) = out.last_mut()
                && prev.form == Form::Marks
                && c.form == Form::Marks
                && prev.last_paragraph == c.first_paragraph
                && !c.attribution.as_ref().is_some_and(|a| a.post)
                && let Some(a) = prev
                    .attribution
                    .as_ref()
                    .filter(|a| a.post && a.speaker.is_some())
                && a.end <= c.outer.0
                && self.continues_after_attribution(a.end, c.outer.0, c.first_paragraph)
            {
                prev.parts.extend(c.parts);
                prev.joins.push(" … ");
                prev.joins.extend(c.joins);
                prev.outer.1 = c.outer.1;
                prev.last_paragraph = c.last_paragraph;
                continue;
            }
            out.push(c);
        }
        out
    }

    /// Whether a quotation opening at `open` goes on from the attribution ending at `end`:
    /// nothing but punctuation between them, or the attribution's sentence ends right
    /// before it (`"A," said X, of Y. "B."`).
    fn continues_after_attribution(&self, end: usize, open: usize, paragraph: usize) -> bool {
        let only_punctuation = |from: usize| {
            self.text[from..open]
                .chars()
                .all(|ch| ch.is_whitespace() || matches!(ch, ',' | '.' | ':' | '—' | '–' | '-'))
        };
        if only_punctuation(end) {
            return true;
        }
        let sentence_end = self.sentence_end(&self.paragraphs[paragraph], end);
        sentence_end <= open && only_punctuation(sentence_end)
    }

    /// Quotations without an attribution of their own: an attribution line under them
    /// (`— Владимир Путин`), or the speaker of the quotation just before, when nothing but
    /// its attribution stands between them.
    fn inherit_speakers(&self, candidates: &mut [Candidate]) {
        for n in 0..candidates.len() {
            if candidates[n].has_speaker() || candidates[n].form == Form::Question {
                continue;
            }
            let c = &candidates[n];
            let next_paragraph = c.last_paragraph + 1;
            let ends_paragraph = self.paragraphs[c.last_paragraph].end <= c.outer.1 + 3;
            if ends_paragraph
                && let Some(span) = self
                    .paragraphs
                    .get(next_paragraph)
                    .and_then(|p| self.attribution_line(p))
            {
                candidates[n].attribution = Some(Attribution {
                    cue: None,
                    speaker: Some(span),
                    end: span.1,
                    post: true,
                    ..Attribution::default()
                });
                continue;
            }
            // `„A“ und „B“, ist Toqajew überzeugt`: quotations joined by a conjunction share
            // the attribution after the last one.
            if let Some(next) = candidates.get(n + 1)
                && next.form == Form::Marks
                && next
                    .attribution
                    .as_ref()
                    .is_some_and(|a| a.post && a.speaker.is_some())
                && c.outer.1 <= next.outer.0
                && self.only_conjunctions(c.outer.1, next.outer.0)
            {
                candidates[n].attribution = candidates[n + 1].attribution.clone();
                continue;
            }
            let Some(prev) = candidates[..n]
                .iter()
                .rev()
                .find(|p| p.form != Form::Question)
            else {
                continue;
            };
            if !prev.has_speaker() || prev.last_paragraph + 1 < c.first_paragraph {
                continue;
            }
            let gap_start = prev
                .attribution
                .as_ref()
                .map_or(prev.outer.1, |a| a.end.max(prev.outer.1));
            if gap_start > c.outer.0 {
                continue;
            }
            if self.quiet_gap(gap_start, c.outer.0) {
                let mut inherited = prev.attribution.clone();
                if let Some(a) = inherited.as_mut() {
                    a.post = false;
                }
                candidates[n].attribution = inherited;
            }
        }
    }

    /// Whether the text between two quotations keeps to their speaker: at most one sentence,
    /// no speech cue, and no capitalized word but a sentence's first ("He didn't suggest
    /// retaliation." keeps to Obama; "Mr. Trump hardly clarified …" does not).
    fn quiet_gap(&self, from: usize, to: usize) -> bool {
        let tokens = self.tokens_outside_quotes(from, to);
        let mut sentences = 0;
        let mut sentence_start = true;
        for (i, t) in tokens.iter().enumerate() {
            if t.is_word() {
                if (t.capitalized && !sentence_start)
                    || cue_at(&tokens, i, self.lexicon, false).is_some()
                {
                    return false;
                }
                sentence_start = false;
            } else if matches!(t.punct, Some('.' | '!' | '?' | '…'))
                && !period_is_abbreviation(&tokens, i, self.lexicon)
            {
                sentences += 1;
                sentence_start = true;
            }
        }
        sentences <= 2
    }

    /// Whether `from..to` holds nothing but commas and at most two stop words ("und", "ва").
    fn only_conjunctions(&self, from: usize, to: usize) -> bool {
        let tokens = tokenize(self.text, from, to);
        let words = tokens.iter().filter(|t| t.is_word()).count();
        words <= 2
            && tokens
                .iter()
                .all(|t| t.is_punct(',') || (t.is_word() && self.lexicon.is_stop(&t.key)))
    }
}

/// A dash split: the quoted parts and the attribution.
type DashSplit = (Vec<(usize, usize)>, Attribution);

/// Whether the text has a dash right after punctuation and a space (`…, — сказал`), where
/// a quotation may hand over to its attribution.
fn has_hand_over(text: &str) -> bool {
    text.match_indices(is_dash).any(|(i, _)| {
        let before = text[..i].trim_end_matches(' ');
        before.len() < i && before.ends_with([',', '.', '!', '?', '…'])
    })
}

/// Picks the attribution of a quotation in marks from the one before and the one after it.
fn choose(
    pre: Option<Attribution>,
    post: Option<Attribution>,
    colon_before: bool,
) -> Option<Attribution> {
    let has = |a: &Option<Attribution>| a.as_ref().is_some_and(|a| a.speaker.is_some());
    if colon_before && has(&pre) {
        return pre;
    }
    match (&pre, &post) {
        (_, Some(p)) if p.distance <= 3 && (p.speaker.is_some() || !has(&pre)) => post,
        (Some(_), _) if has(&pre) => pre,
        (_, Some(_)) if has(&post) => post,
        _ => pre.or(post),
    }
}

fn span_of(tokens: &[Token], range: Range<usize>) -> (usize, usize) {
    (tokens[range.start].start, tokens[range.end - 1].end)
}

fn skip_space(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if !c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// Whether a paragraph ends a sentence (its last mark, a stray quote aside, is final
/// punctuation or a closing quote).
fn ends_sentence(paragraph: &str) -> bool {
    let trimmed = paragraph.trim_end_matches(|c: char| c.is_whitespace() || c == '"');
    trimmed.chars().next_back().is_none_or(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '…' | ':' | '»' | '”' | '“' | ')' | '\'' | '’'
        )
    })
}

/// A person's name guessed without mentions: the first run of two or three capitalized
/// words after a lower-case word (a patronymic makes three).
fn guess_name(tokens: &[Token]) -> Option<(usize, usize)> {
    let mut i = 1;
    while i < tokens.len() {
        let prev_lower = tokens[i - 1].is_word() && !tokens[i - 1].capitalized;
        if prev_lower && tokens[i].capitalized && tokens.get(i + 1).is_some_and(|t| t.capitalized) {
            let mut end = i + 2;
            let patronymic = tokens.get(end).is_some_and(|t| {
                t.capitalized
                    && ["вич", "вна", "ұлы", "қызы", "ўғли", "қизи"]
                        .iter()
                        .any(|s| t.key.ends_with(s))
            });
            if patronymic {
                end += 1;
            }
            return Some((tokens[i].start, tokens[end - 1].end));
        }
        i += 1;
    }
    None
}
