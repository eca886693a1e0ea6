//! Byte spans and the map from a derived text back to the text it was derived from.
//!
//! Every stage that rewrites text (cleaning, normalization) records how its output's byte
//! offsets relate to its input's, so a span found in the clean text can be shown in the original.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers, or `None` when it is out of range or off a char boundary.
    pub fn of<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }
}

/// One run of a derived text and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Segment {
    copy: bool,
    derived: usize,
    source: usize,
    derived_len: usize,
    source_len: usize,
}

/// Maps byte offsets in a derived text to byte offsets in its source.
///
/// The derived text is a sequence of segments, each either a copy of a source run (same length)
/// or a replacement of one (lengths may differ). An offset inside a copied run maps exactly; an
/// offset inside a replacement maps to the replacement's start, and a span's end to the
/// replacement's end, so mapped spans always cover whole source characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetMap {
    segments: Vec<Segment>,
    derived_len: usize,
}

impl OffsetMap {
    /// An empty map; build it with [`OffsetMap::copy`] and [`OffsetMap::replace`] in order.
    pub fn new() -> OffsetMap {
        OffsetMap::default()
    }

    /// The identity map over a text of `len` bytes.
    pub fn identity(len: usize) -> OffsetMap {
        let mut map = OffsetMap::new();
        map.copy(0, len);
        map
    }

    /// Length of the derived text described so far.
    pub fn derived_len(&self) -> usize {
        self.derived_len
    }

    /// Records that the next `len` derived bytes are a copy of source bytes from `source`.
    pub fn copy(&mut self, source: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            let contiguous = last.copy
                && last.derived + last.derived_len == self.derived_len
                && last.source + last.source_len == source;
            if contiguous {
                last.derived_len += len;
                last.source_len += len;
                self.derived_len += len;
                return;
            }
        }
        self.segments.push(Segment {
            copy: true,
            derived: self.derived_len,
            source,
            derived_len: len,
            source_len: len,
        });
        self.derived_len += len;
    }

    /// Records that the next `derived_len` derived bytes replace `source_len` source bytes
    /// from `source` (an insertion when `source_len` is 0, a deletion when `derived_len` is 0).
    pub fn replace(&mut self, source: usize, source_len: usize, derived_len: usize) {
        if derived_len == 0 {
            return;
        }
        self.segments.push(Segment {
            copy: false,
            derived: self.derived_len,
            source,
            derived_len,
            source_len,
        });
        self.derived_len += derived_len;
    }

    fn segment_at(&self, offset: usize) -> Option<&Segment> {
        let idx = self
            .segments
            .partition_point(|s| s.derived + s.derived_len <= offset);
        self.segments.get(idx)
    }

    /// The source offset of a derived offset that starts a span.
    pub fn source_start(&self, offset: usize) -> usize {
        match self.segment_at(offset) {
            Some(seg) if seg.copy => seg.source + (offset - seg.derived),
            Some(seg) => seg.source,
            None => self
                .segments
                .last()
                .map(|s| s.source + s.source_len)
                .unwrap_or(0),
        }
    }

    /// The source offset of a derived offset that ends a span.
    pub fn source_end(&self, offset: usize) -> usize {
        if offset == 0 {
            return self.segments.first().map(|s| s.source).unwrap_or(0);
        }
        match self.segment_at(offset - 1) {
            Some(seg) if seg.copy => seg.source + (offset - seg.derived),
            Some(seg) => seg.source + seg.source_len,
            None => self
                .segments
                .last()
                .map(|s| s.source + s.source_len)
                .unwrap_or(0),
        }
    }

    /// Maps a derived span to the source span it came from.
    pub fn source_span(&self, span: Span) -> Span {
        let start = self.source_start(span.start);
        let end = self.source_end(span.end).max(start);
        Span::new(start, end)
    }

    /// This map followed by `outer`: `self` maps B→A, `outer` maps C→B; the result maps C→A.
    pub fn then(&self, outer: &OffsetMap) -> OffsetMap {
        let mut composed = OffsetMap::new();
        for seg in &outer.segments {
            if seg.copy {
                // A copy of B: split it along this map's segments.
                let mut done = 0;
                while done < seg.derived_len {
                    let b = seg.source + done;
                    match self.segment_at(b) {
                        Some(inner) if inner.copy => {
                            let take =
                                (inner.derived + inner.derived_len - b).min(seg.derived_len - done);
                            composed.copy(inner.source + (b - inner.derived), take);
                            done += take;
                        }
                        Some(inner) => {
                            let take =
                                (inner.derived + inner.derived_len - b).min(seg.derived_len - done);
                            composed.replace(inner.source, inner.source_len, take);
                            done += take;
                        }
                        None => {
                            let end = self.source_end(b);
                            composed.replace(end, 0, seg.derived_len - done);
                            done = seg.derived_len;
                        }
                    }
                }
            } else {
                let span = self.source_span(Span::new(seg.source, seg.source + seg.source_len));
                composed.replace(span.start, span.len(), seg.derived_len);
            }
        }
        composed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_map_exactly() {
        let map = OffsetMap::identity(10);
        assert_eq!(map.source_span(Span::new(2, 5)), Span::new(2, 5));
    }

    #[test]
    fn replacements_cover_whole_source() {
        // source "a‘b" (‘ is 3 bytes) → derived "aʻb" (ʻ is 2 bytes)
        let mut map = OffsetMap::new();
        map.copy(0, 1);
        map.replace(1, 3, 2);
        map.copy(4, 1);
        assert_eq!(map.derived_len(), 4);
        assert_eq!(map.source_span(Span::new(0, 4)), Span::new(0, 5));
        assert_eq!(map.source_span(Span::new(1, 3)), Span::new(1, 4));
        assert_eq!(map.source_span(Span::new(3, 4)), Span::new(4, 5));
    }

    #[test]
    fn composition_follows_both_maps() {
        // A = "xx‘yy", B = "xxʻyy" (normalized), C = "ʻyy" (cut).
        let mut inner = OffsetMap::new();
        inner.copy(0, 2);
        inner.replace(2, 3, 2);
        inner.copy(5, 2);
        let mut outer = OffsetMap::new();
        outer.copy(2, 4);
        let composed = inner.then(&outer);
        assert_eq!(composed.source_span(Span::new(0, 4)), Span::new(2, 7));
        assert_eq!(composed.source_span(Span::new(2, 4)), Span::new(5, 7));
    }
}
