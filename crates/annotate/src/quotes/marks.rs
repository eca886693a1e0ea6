//! The linear scan over an article for paragraphs and quote marks, pairing opening with
//! closing marks (nested pairs kept apart), and carrying a quotation that is still open at a
//! paragraph's end into the next paragraph when that one opens with a quote mark again.
//!
//! It decides nothing about whether a pair is a quotation or a quoted name: that is
//! `names.rs`' job.

/// A paragraph: a line of the clean text, without its surrounding white space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paragraph {
    pub start: usize,
    pub end: usize,
}

/// The paragraphs of `text` (lines that are not blank).
pub(crate) fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_end = line_start + line.len();
        let trimmed_start = line_start + (line.len() - line.trim_start().len());
        let trimmed_end = line_start + line.trim_end().len();
        if trimmed_end > trimmed_start {
            out.push(Paragraph {
                start: trimmed_start,
                end: trimmed_end,
            });
        }
        line_start = line_end + 1;
    }
    out
}

/// Double marks pair with double marks, single with single.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
}

/// What a mark can do where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// Either, decided by what is open.
    Either,
}

/// A pair of quote marks (or a quotation carried over paragraphs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marked {
    /// Byte of the opening mark.
    pub open: usize,
    /// One past the closing mark; the paragraph end when the quotation is never closed.
    pub close_end: usize,
    /// Byte of the closing mark (equal to `close_end` when unclosed).
    pub close: usize,
    /// The quoted text, one range per paragraph, without the marks.
    pub parts: Vec<(usize, usize)>,
    /// How many pairs enclose this one.
    pub depth: usize,
    /// Index of the paragraph holding the opening mark.
    pub first_paragraph: usize,
    /// Index of the paragraph holding the closing mark (or the end).
    pub last_paragraph: usize,
    /// Whether a closing mark was found.
    pub closed: bool,
}

struct Open {
    kind: Kind,
    at: usize,
    inner_start: usize,
    /// Parts from earlier paragraphs, for a quotation carried over.
    carried: Vec<(usize, usize)>,
    first_paragraph: usize,
}

fn opens_context(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => {
            p.is_whitespace()
                || matches!(
                    p,
                    '(' | '['
                        | '{'
                        | '—'
                        | '–'
                        | '-'
                        | '/'
                        | ':'
                        | '«'
                        | '„'
                        | '"'
                        | '“'
                        | '‘'
                        | '‹'
                )
        }
    }
}

fn closes_context(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(n) => {
            n.is_whitespace()
                || matches!(
                    n,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '…'
                        | '—'
                        | '–'
                        | '-'
                        | '»'
                        | '"'
                        | '”'
                        | '“'
                        | '’'
                        | '›'
                )
        }
    }
}

/// A cheap first test: whether `c` is any quote mark at all.
fn may_be_mark(c: char) -> bool {
    matches!(
        c,
        '«' | '»' | '„' | '‟' | '‹' | '›' | '‚' | '"' | '“' | '”' | '\'' | '‘' | '’'
    )
}

/// The role and kind of the mark at `i` (and its length in bytes), if it is a quote mark.
fn classify(text: &str, i: usize, c: char, prev: Option<char>) -> Option<(Role, Kind, usize)> {
    let rest = &text[i + c.len_utf8()..];
    let next = rest.chars().next();
    let by_context = |kind: Kind, len: usize, next: Option<char>| {
        let can_open = opens_context(prev) && next.is_some_and(|n| !n.is_whitespace());
        let can_close = prev.is_some_and(|p| !p.is_whitespace()) && closes_context(next);
        match (can_open, can_close) {
            (true, false) => Some((Role::Open, kind, len)),
            (false, true) => Some((Role::Close, kind, len)),
            (true, true) => Some((Role::Either, kind, len)),
            (false, false) => None,
        }
    };
    match c {
        '«' | '„' | '‟' => Some((Role::Open, Kind::Double, c.len_utf8())),
        '»' => Some((Role::Close, Kind::Double, c.len_utf8())),
        '‹' | '‚' => Some((Role::Open, Kind::Single, c.len_utf8())),
        '›' => Some((Role::Close, Kind::Single, c.len_utf8())),
        // A stray mark between spaces opens or closes nothing (`by_context` says `None`).
        '"' | '“' | '”' => by_context(Kind::Double, c.len_utf8(), next),
        '\'' if next == Some('\'') => {
            // Two apostrophes as one double mark (``''quoted''`` in some wire copy).
            let after = rest[1..].chars().next();
            by_context(Kind::Double, 2, after)
        }
        '\'' | '‘' | '’' => {
            // A single mark quotes only between a space and a letter, or a letter and a space:
            // inside a word it is an apostrophe.
            let letter_after = next.is_some_and(char::is_alphanumeric);
            let letter_before = prev.is_some_and(char::is_alphanumeric);
            if letter_before && letter_after {
                return None;
            }
            let role = by_context(Kind::Single, c.len_utf8(), next)?;
            if role.0 == Role::Either {
                return None;
            }
            Some(role)
        }
        _ => None,
    }
}

/// Every pair of quote marks in the text, in order of their opening marks.
pub(crate) fn scan(text: &str, paragraphs: &[Paragraph]) -> Vec<Marked> {
    let mut out = Vec::new();
    // A quotation left open at the end of the previous paragraph.
    let mut pending: Option<Open> = None;
    let mut pending_end = 0;
    let mut pending_paragraph = 0;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let body = &text[paragraph.start..paragraph.end];
        let mut stack: Vec<Open> = Vec::new();
        let mut continued = false;
        if let Some(mut open) = pending.take() {
            let first = body.chars().next();
            let continues = first.and_then(|c| classify(text, paragraph.start, c, None));
            match continues {
                Some((Role::Open | Role::Either, Kind::Double, len)) => {
                    // The repeated opening mark of a quotation over several paragraphs.
                    open.inner_start = paragraph.start + len;
                    stack.push(open);
                    continued = true;
                }
                _ => out.push(finish_unclosed(open, pending_end, pending_paragraph)),
            }
        }
        let mut prev: Option<char> = None;
        let mut skip_until = paragraph.start;
        for (offset, c) in body.char_indices() {
            let i = paragraph.start + offset;
            if i < skip_until {
                prev = Some(c);
                continue;
            }
            if continued && offset == 0 {
                prev = Some(c);
                skip_until = stack[0].inner_start;
                continue;
            }
            if !may_be_mark(c) {
                prev = Some(c);
                continue;
            }
            if let Some((role, kind, len)) = classify(text, i, c, prev) {
                let role = match role {
                    Role::Either => {
                        if stack.iter().any(|o| o.kind == kind) {
                            Role::Close
                        } else {
                            Role::Open
                        }
                    }
                    r => r,
                };
                match role {
                    Role::Open | Role::Either => stack.push(Open {
                        kind,
                        at: i,
                        inner_start: i + len,
                        carried: Vec::new(),
                        first_paragraph: index,
                    }),
                    Role::Close => {
                        if let Some(pos) = stack.iter().rposition(|o| o.kind == kind) {
                            // Marks opened inside and never closed are dropped.
                            stack.truncate(pos + 1);
                            if let Some(mut open) = stack.pop() {
                                open.carried.push((open.inner_start, i));
                                out.push(Marked {
                                    open: open.at,
                                    close_end: i + len,
                                    close: i,
                                    parts: open.carried,
                                    depth: stack.len(),
                                    first_paragraph: open.first_paragraph,
                                    last_paragraph: index,
                                    closed: true,
                                });
                            }
                        }
                    }
                }
                skip_until = i + len;
            }
            prev = Some(c);
        }
        // The outermost double mark still open may run on into the next paragraph.
        if let Some(pos) = stack.iter().position(|o| o.kind == Kind::Double) {
            let mut open = stack.swap_remove(pos);
            open.carried.push((open.inner_start, paragraph.end));
            pending = Some(open);
            pending_end = paragraph.end;
            pending_paragraph = index;
        }
    }
    if let Some(open) = pending {
        out.push(finish_unclosed(open, pending_end, pending_paragraph));
    }
    out.sort_by_key(|m| (m.open, std::cmp::Reverse(m.close_end)));
    // Depth is recomputed from containment: carried quotations were pushed out of order.
    let mut enclosing: Vec<usize> = Vec::new();
    for m in &mut out {
        while enclosing.last().is_some_and(|&end| end <= m.open) {
            enclosing.pop();
        }
        m.depth = enclosing.len();
        enclosing.push(m.close_end);
    }
    out
}

fn finish_unclosed(open: Open, end: usize, paragraph: usize) -> Marked {
    Marked {
        open: open.at,
        close_end: end,
        close: end,
        parts: open.carried,
        depth: 0,
        first_paragraph: open.first_paragraph,
        last_paragraph: paragraph,
        closed: false,
    }
}
