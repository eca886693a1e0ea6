//! Search terms as a backend keeps them: the compact per-article term list with spans, the
//! token form a full-text engine indexes, and snippets with the hits marked.
//!
//! Terms are opaque strings (`tokaev`, `e:kb:person/tokayev`, Cyrillic stems). Full-text engines
//! split on punctuation and fold case, so each term is written as one token that no engine can
//! split or fold: ASCII lower-case letters and digits stay, every other ASCII byte becomes `_`
//! and two hex digits, and non-ASCII characters stay (SQLite's `ascii` tokenizer keeps them in
//! tokens and leaves their case alone). The encoding is one-to-one.
//!
//! The spans are kept apart from the index, in a small binary list per article, so that a
//! snippet marks the real words of the clean text whatever the term was. This module knows
//! nothing of SQL and serves every backend.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use xabar_core::{EntityId, Language};

use crate::model::{ArticleRecord, IndexedTerm, SnippetStyle};

/// Appends the full-text token for `term` to `out` (see the module docs).
pub fn push_token(term: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for c in term.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || !c.is_ascii() {
            out.push(c);
        } else {
            let b = c as u8;
            out.push('_');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// The full-text token for `term`.
pub fn token(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 8);
    push_token(term, &mut out);
    out
}

/// The facet tokens of an article, indexed beside its terms so that filters are answered by
/// the full-text index itself (no lookup of each match's row): its language, outlet,
/// published day, month and year, and the entities its mentions link to.
pub fn facet_text(record: &ArticleRecord) -> String {
    let mut facets = vec![language_facet(record.language)];
    if let Some(outlet) = &record.outlet {
        facets.push(outlet_facet(outlet));
    }
    if let Some(day) = record.published {
        facets.extend([day_facet(day), month_facet(day), year_facet(day)]);
    }
    let mut entities: Vec<&EntityId> = record
        .mentions
        .iter()
        .filter_map(|m| m.entity.as_ref())
        .collect();
    entities.sort_unstable();
    entities.dedup();
    facets.extend(entities.into_iter().map(entity_facet));
    facets.join(" ")
}

/// The facet token of a language.
pub fn language_facet(language: Language) -> String {
    token(&format!("l:{}", language.code()))
}

/// The facet token of an outlet (ASCII case folded, as the outlet filter ignores it).
pub fn outlet_facet(outlet: &str) -> String {
    token(&format!("o:{}", outlet.to_ascii_lowercase()))
}

/// The facet token of a linked entity.
pub fn entity_facet(entity: &EntityId) -> String {
    token(&format!("e:{}", entity.0))
}

fn day_facet(day: NaiveDate) -> String {
    token(&format!("d:{day}"))
}

fn month_facet(day: NaiveDate) -> String {
    token(&format!("m:{:04}-{:02}", day.year(), day.month()))
}

fn year_facet(day: NaiveDate) -> String {
    token(&format!("y:{:04}", day.year()))
}

/// Facet tokens whose union is exactly the days from `since` to `until`: whole years and
/// whole months where they fit, single days at the edges (at most about 90 tokens for any
/// range). Empty when `since` is after `until`.
pub fn date_facets(since: NaiveDate, until: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut day = since;
    while day <= until {
        let year_end = NaiveDate::from_ymd_opt(day.year(), 12, 31);
        let month_end = day
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.with_day(1))
            .and_then(|d| d.pred_opt());
        let next = if day.ordinal() == 1 && year_end.is_some_and(|e| e <= until) {
            out.push(year_facet(day));
            year_end
        } else if day.day() == 1 && month_end.is_some_and(|e| e <= until) {
            out.push(month_facet(day));
            month_end
        } else {
            out.push(day_facet(day));
            Some(day)
        };
        match next.and_then(|d| d.succ_opt()) {
            Some(d) => day = d,
            None => break,
        }
    }
    out
}

/// Sorts terms by `(start, end, term)` and drops exact duplicates: the form a store returns.
pub fn canonical_terms(terms: &[IndexedTerm]) -> Vec<IndexedTerm> {
    let mut sorted = terms.to_vec();
    sort_canonical(&mut sorted);
    sorted.dedup();
    sorted
}

fn sort_canonical(terms: &mut [IndexedTerm]) {
    terms.sort_unstable_by(|a, b| canonical_key(a).cmp(&canonical_key(b)));
}

/// The canonical order of terms: by span, then by term.
fn canonical_key(t: &IndexedTerm) -> (usize, usize, &str) {
    (t.start, t.end, &t.term)
}

/// An article's terms encoded for storage: the span list and the text to index.
pub struct EncodedTerms {
    /// The binary term list (see [`encode`]).
    pub blob: Vec<u8>,
    /// The tokens, one per term occurrence, separated by spaces.
    pub index_text: String,
}

/// Encodes an article's terms.
///
/// The blob is: a format byte (1); the distinct spans, sorted, as varints (start minus the
/// previous start, then length); the distinct terms, sorted and front-coded (bytes shared with
/// the previous term, then the rest: a term's key and stem share most of their letters), each
/// followed by its occurrence count and the indexes of its spans (the first as is, then
/// deltas). A typical article's list is a few kilobytes.
pub fn encode(terms: &[IndexedTerm]) -> EncodedTerms {
    let mut sorted: Vec<&IndexedTerm> = terms.iter().collect();
    sorted.sort_unstable_by(|a, b| canonical_key(a).cmp(&canonical_key(b)));
    sorted.dedup();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut occurrences: Vec<(&str, u32)> = Vec::with_capacity(sorted.len());
    let mut index_text = String::with_capacity(sorted.len() * 10);
    for t in &sorted {
        if spans.last() != Some(&(t.start, t.end)) {
            spans.push((t.start, t.end));
        }
        occurrences.push((t.term.as_str(), (spans.len() - 1) as u32));
        if !t.term.is_empty() {
            if !index_text.is_empty() {
                index_text.push(' ');
            }
            push_token(&t.term, &mut index_text);
        }
    }
    occurrences.sort_unstable();

    let mut blob = Vec::with_capacity(spans.len() * 3 + occurrences.len() * 6 + 8);
    blob.push(1);
    put_varint(&mut blob, spans.len() as u64);
    let mut previous = 0;
    for &(start, end) in &spans {
        put_varint(&mut blob, (start - previous) as u64);
        put_varint(&mut blob, (end - start) as u64);
        previous = start;
    }
    let distinct = occurrences
        .iter()
        .enumerate()
        .filter(|&(i, o)| i == 0 || occurrences[i - 1].0 != o.0)
        .count();
    put_varint(&mut blob, distinct as u64);
    let mut previous_term: &[u8] = &[];
    let mut i = 0;
    while i < occurrences.len() {
        let term = occurrences[i].0;
        let run = occurrences[i..].iter().take_while(|o| o.0 == term).count();
        let shared = previous_term
            .iter()
            .zip(term.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        put_varint(&mut blob, shared as u64);
        put_varint(&mut blob, (term.len() - shared) as u64);
        blob.extend_from_slice(&term.as_bytes()[shared..]);
        put_varint(&mut blob, run as u64);
        let mut previous_index = 0;
        for (k, &(_, index)) in occurrences[i..i + run].iter().enumerate() {
            put_varint(
                &mut blob,
                u64::from(if k == 0 {
                    index
                } else {
                    index - previous_index
                }),
            );
            previous_index = index;
        }
        previous_term = term.as_bytes();
        i += run;
    }
    EncodedTerms { blob, index_text }
}

/// Decodes a whole term list, in canonical order.
pub fn decode(blob: &[u8]) -> Result<Vec<IndexedTerm>, String> {
    let mut out = Vec::new();
    walk(blob, |term, span| {
        out.push(IndexedTerm {
            term: term.to_string(),
            start: span.0,
            end: span.1,
        });
        true
    })?;
    sort_canonical(&mut out);
    Ok(out)
}

/// The spans of the terms in `wanted`, each with the bit mask `wanted` gives its term.
pub fn spans_of(
    blob: &[u8],
    wanted: &HashMap<String, u64>,
) -> Result<Vec<(usize, usize, u64)>, String> {
    let mut out = Vec::new();
    walk(blob, |term, span| {
        if let Some(&mask) = wanted.get(term) {
            out.push((span.0, span.1, mask));
        }
        true
    })?;
    Ok(out)
}

/// Calls `visit(term, span)` for every occurrence; stops early when it returns false.
fn walk(blob: &[u8], mut visit: impl FnMut(&str, (usize, usize)) -> bool) -> Result<(), String> {
    let mut r = Reader { blob, at: 0 };
    match r.byte()? {
        1 => {}
        v => return Err(format!("unknown term list format {v}")),
    }
    let n_spans = r.len()?;
    let mut spans = Vec::with_capacity(n_spans.min(blob.len()));
    let mut start = 0usize;
    for _ in 0..n_spans {
        start = start.checked_add(r.len()?).ok_or("span start overflows")?;
        let end = start.checked_add(r.len()?).ok_or("span end overflows")?;
        spans.push((start, end));
    }
    let n_terms = r.len()?;
    let mut term: Vec<u8> = Vec::new();
    for _ in 0..n_terms {
        let shared = r.len()?;
        let rest = r.len()?;
        if shared > term.len() {
            return Err("a term shares more than the previous one has".into());
        }
        term.truncate(shared);
        term.extend_from_slice(r.take(rest)?);
        let text = std::str::from_utf8(&term).map_err(|_| "a term is not UTF-8")?;
        let n = r.len()?;
        let mut index = 0usize;
        for i in 0..n {
            let v = r.len()?;
            index = if i == 0 {
                v
            } else {
                index.checked_add(v).ok_or("overflow")?
            };
            let span = *spans.get(index).ok_or("span index out of range")?;
            if !visit(text, span) {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    blob: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.blob.get(self.at).ok_or("term list is truncated")?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    fn len(&mut self) -> Result<usize, String> {
        usize::try_from(self.varint()?).map_err(|_| "value too large".to_string())
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).ok_or("overflow")?;
        let bytes = self
            .blob
            .get(self.at..end)
            .ok_or("term list is truncated")?;
        self.at = end;
        Ok(bytes)
    }
}

/// Cuts a snippet of `text` around its best hits and marks them.
///
/// `hits` are byte spans with a bit mask of the query groups they match. The window of about
/// `style.max_chars` characters that covers the most groups (then the most hits) wins; it is
/// widened to word boundaries, overlapping hits are merged, and line breaks become spaces.
/// Spans that are out of range or off character boundaries are ignored. With no hits the
/// snippet is the opening of the text.
pub fn snippet(text: &str, hits: &[(usize, usize, u64)], style: &SnippetStyle) -> String {
    let mut hits: Vec<(usize, usize, u64)> = hits
        .iter()
        .copied()
        .filter(|&(s, e, _)| {
            s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
        })
        .collect();
    hits.sort_unstable();
    // Merge overlapping hits (an entity span around a word span) so that marks never nest.
    let mut merged: Vec<(usize, usize, u64)> = Vec::with_capacity(hits.len());
    for h in hits {
        match merged.last_mut() {
            Some(last) if h.0 < last.1 => {
                last.1 = last.1.max(h.1);
                last.2 |= h.2;
            }
            _ => merged.push(h),
        }
    }
    // Byte budget from the character budget, at this text's bytes per character.
    let chars = text.chars().count().max(1);
    let budget = (style.max_chars.max(1) * text.len()).div_ceil(chars).max(1);

    let (mut from, mut to) = if merged.is_empty() {
        (0, budget.min(text.len()))
    } else {
        let mut best = (0u32, 0usize, 0usize, 0usize); // (groups, hits, i, j)
        let mut j = 0;
        for i in 0..merged.len() {
            j = j.max(i + 1);
            while j < merged.len() && merged[j].1 - merged[i].0 <= budget {
                j += 1;
            }
            let mask = merged[i..j].iter().fold(0u64, |m, h| m | h.2);
            let score = (mask.count_ones(), j - i);
            if score > (best.0, best.1) {
                best = (score.0, score.1, i, j);
            }
        }
        let (i, j) = (best.2, best.3);
        let (first, last) = (merged[i].0, merged[j - 1].1);
        let slack = budget.saturating_sub(last - first);
        // A little more context before the hits than after reads better.
        let before = (slack / 3).min(first);
        let from = first - before;
        let to = (last + slack - before).min(text.len());
        (from, to)
    };
    from = floor_boundary(text, from);
    to = ceil_boundary(text, to);
    if from > 0 {
        // Start at a word: skip forward past a partial word, unless that would pass a hit.
        let first_hit = merged.iter().find(|h| h.1 > from).map_or(to, |h| h.0);
        if let Some(space) = text[from..first_hit.max(from)].find(char::is_whitespace) {
            from += space;
            from = ceil_boundary(text, from + 1).min(first_hit.max(from));
        }
    }
    if to < text.len() {
        // End at a word: cut back to the last whitespace, unless that would cut a hit.
        let last_hit = merged
            .iter()
            .rev()
            .find(|h| h.0 < to)
            .map_or(from, |h| h.1.min(to));
        if let Some(space) = text[last_hit.max(from)..to].rfind(char::is_whitespace) {
            to = last_hit.max(from) + space;
        }
    }

    let mut out = String::with_capacity(to - from + 32);
    if from > 0 {
        out.push_str(&style.ellipsis);
    }
    let mut at = from;
    for &(s, e, _) in merged.iter().filter(|h| h.0 >= from && h.1 <= to) {
        push_flat(&mut out, &text[at..s]);
        out.push_str(&style.open);
        push_flat(&mut out, &text[s..e]);
        out.push_str(&style.close);
        at = e;
    }
    push_flat(&mut out, &text[at..to]);
    if to < text.len() {
        out.push_str(&style.ellipsis);
    }
    out
}

/// Appends text with line breaks and tabs turned into single spaces.
fn push_flat(out: &mut String, text: &str) {
    for c in text.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(term: &str, start: usize, end: usize) -> IndexedTerm {
        IndexedTerm {
            term: term.into(),
            start,
            end,
        }
    }

    #[test]
    fn tokens_are_one_to_one_and_unsplittable() {
        assert_eq!(token("tokaev"), "tokaev");
        assert_eq!(token("e:kb:person/tokayev"), "e_3akb_3aperson_2ftokayev");
        assert_eq!(token("Tokaev"), "_54okaev");
        assert_eq!(token("a_b"), "a_5fb");
        assert_eq!(token("тоқаев"), "тоқаев");
        assert_eq!(token("o\u{2bb}zbek"), "o\u{2bb}zbek");
        for t in ["a_5fb", "a_b", "A", "a", "_41", "x y", "x_20y"] {
            assert!(
                token(t)
                    .bytes()
                    .all(|b| b >= 0x80 || b.is_ascii_alphanumeric() || b == b'_')
            );
        }
        assert_ne!(token("a_b"), token("a_5fb"));
        assert_ne!(token("_41"), token("A"));
    }

    #[test]
    fn date_facets_cover_exactly_the_range() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            date_facets(d(2024, 12, 30), d(2026, 2, 2)),
            vec![
                token("d:2024-12-30"),
                token("d:2024-12-31"),
                token("y:2025"),
                token("m:2026-01"),
                token("d:2026-02-01"),
                token("d:2026-02-02"),
            ]
        );
        assert_eq!(
            date_facets(d(2025, 2, 1), d(2025, 2, 28)),
            vec![token("m:2025-02")]
        );
        assert_eq!(
            date_facets(d(2025, 3, 5), d(2025, 3, 5)),
            vec![token("d:2025-03-05")]
        );
        assert!(date_facets(d(2025, 3, 6), d(2025, 3, 5)).is_empty());
        let wide = date_facets(d(1990, 3, 17), d(2030, 10, 14));
        assert!(wide.len() < 100, "{}", wide.len());
        let last = NaiveDate::MAX;
        assert!(!date_facets(last, last).is_empty());
    }

    #[test]
    fn term_lists_round_trip_in_canonical_order() {
        let terms = vec![
            term("tokaev", 10, 16),
            term("e:kb:person/tokayev", 0, 16),
            term("астана", 20, 32),
            term("tokaev", 10, 16),
            term("astana", 20, 32),
            term("tokaev", 40, 46),
        ];
        let encoded = encode(&terms);
        let decoded = decode(&encoded.blob).unwrap();
        assert_eq!(decoded, canonical_terms(&terms));
        assert_eq!(decoded.len(), 5);
        assert_eq!(
            encoded.index_text,
            "e_3akb_3aperson_2ftokayev tokaev astana астана tokaev"
        );
        let wanted: HashMap<String, u64> = [("tokaev".to_string(), 1)].into();
        assert_eq!(
            spans_of(&encoded.blob, &wanted).unwrap(),
            vec![(10, 16, 1), (40, 46, 1)]
        );
    }

    #[test]
    fn damaged_term_lists_are_errors_not_panics() {
        let blob = encode(&[term("tokaev", 10, 16), term("x", 1, 2)]).blob;
        for cut in 0..blob.len() {
            let _ = decode(&blob[..cut]);
        }
        assert!(decode(&blob[..blob.len() - 1]).is_err());
        assert!(decode(&[2]).is_err());
        assert!(
            decode(&[
                1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
            ])
            .is_err()
        );
    }

    #[test]
    fn snippets_mark_the_hits_in_the_best_window() {
        let text = "Президент Казахстана Касым-Жомарт Токаев провёл встречу.\nЗатем Токаев вылетел в Астану.";
        let start = text.find("Токаев").unwrap();
        let second = text.rfind("Токаев").unwrap();
        let astana = text.find("Астану").unwrap();
        let style = SnippetStyle {
            open: "«".into(),
            close: "»".into(),
            ellipsis: "…".into(),
            max_chars: 40,
        };
        let s = snippet(
            text,
            &[
                (start, start + "Токаев".len(), 1),
                (second, second + "Токаев".len(), 1),
                (astana, astana + "Астану".len(), 2),
            ],
            &style,
        );
        assert!(s.contains("«Токаев» вылетел в «Астану»"), "{s}");
        assert!(s.starts_with('…'), "{s}");
        assert!(!s.contains('\n'));
        let whole = snippet(text, &[], &SnippetStyle::default());
        assert_eq!(whole, text.replace('\n', " "));
    }

    #[test]
    fn snippets_merge_nested_hits_and_ignore_bad_spans() {
        let text = "Kassym-Jomart Tokayev said";
        let s = snippet(
            text,
            &[(0, 21, 1), (14, 21, 1), (3, 400, 1), (1, 2, 1)],
            &SnippetStyle::default(),
        );
        assert_eq!(s, "**Kassym-Jomart Tokayev** said");
        let cyr = "Тоқаев";
        // 1..3 is inside a two-byte letter: ignored rather than a panic.
        assert_eq!(snippet(cyr, &[(1, 3, 1)], &SnippetStyle::default()), cyr);
    }
}
