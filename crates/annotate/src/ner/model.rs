//! The tagger's weights, its file format, and decoding.
//!
//! The model is a linear scorer over BILOU tags (`O`, then `B-`, `I-`, `L-` and `U-` for
//! person, organisation, place: begin, inside, last, unit): a table of `1 << bits` rows of
//! 8-bit weights with a shift per row, one weight per tag, that the hashed features of a token index into
//! ([`super::features`]), plus tag-to-tag transition weights, shared and per language profile.
//! Decoding is Viterbi over a segment, with the BILOU constraints built in (an `I-X` or `L-X`
//! only after a `B-X` or an `I-X`, and nothing else there; no segment ends on `B-` or `I-`),
//! so every output is a well-formed set of whole-token spans.
//!
//! # File format (version 1)
//!
//! Little-endian throughout.
//!
//! | bytes | what |
//! |---|---|
//! | 4 | magic `XNER` |
//! | 4 | u32 format version, 1 |
//! | 8 | u64 fingerprint of the feature templates and profiles ([`super::features::fingerprint`]) |
//! | 4 | u32 `bits`: the table has `1 << bits` rows |
//! | 4 | u32 number of tags, 13 |
//! | 4 | u32 number of profiles `P` |
//! | 4 | f32 `scale`: the unit of all weights |
//! | 4 | u32 `n`: rows that are not all zero |
//! | `P × 14 × 13 × 2` | transitions: per profile, per previous tag (13 tags, then "start"), per tag, i16 `q`, worth `q × scale` |
//! | varies | the `n` row indices, ascending, each as an LEB128 varint of its distance from the previous index plus one (the first: of its distance from 0) |
//! | `n × 14` | the rows: 13 weights as i8 `q`, then a u8 shift `s` (0 to 8): a weight is worth `(q << s) × scale`; a row is never all zero |
//! | 8 | u64 checksum of all the bytes before it (the hash of [`super::features`]) |
//!
//! Rows absent from the file are zero. A model is about 15 bytes per non-zero row.

use xabar_core::EntityKind;

use super::features::{self, PROFILES};

/// Number of tags: `O`, then `B-`, `I-`, `L-`, `U-` for each kind of [`KINDS`].
pub const N_TAGS: usize = 1 + 4 * KINDS.len();
/// Scores and real-valued weights are handled in this many lanes (the tags, padded to a
/// vector's width).
pub const LANES: usize = 16;
/// The kinds in tag order: tags `1 + 4k` to `4 + 4k` are the parts of a mention of `KINDS[k]`.
pub const KINDS: [EntityKind; 3] = [
    EntityKind::Person,
    EntityKind::Organisation,
    EntityKind::Place,
];
/// The "previous tag" before a segment's first token.
pub const START: usize = N_TAGS;

const MAGIC: &[u8; 4] = b"XNER";
const VERSION: u32 = 1;

/// Which part of a mention a token is (the BILOU scheme: a one-token mention is a unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The first token of a mention of two or more.
    Begin,
    /// A token between the first and the last.
    Inside,
    /// The last token of a mention of two or more.
    Last,
    /// A mention of one token.
    Unit,
}

const PARTS: [Part; 4] = [Part::Begin, Part::Inside, Part::Last, Part::Unit];

/// What a tag index means: `None` for `O`, else the part and the kind.
pub fn tag_meaning(tag: usize) -> Option<(Part, EntityKind)> {
    if tag == 0 || tag >= N_TAGS {
        return None;
    }
    Some((PARTS[(tag - 1) % 4], KINDS[(tag - 1) / 4]))
}

/// The tag index of a part of a mention of `kind`.
pub fn tag_of(part: Part, kind: EntityKind) -> usize {
    let k = KINDS.iter().position(|&x| x == kind).unwrap_or(0);
    let p = PARTS.iter().position(|&x| x == part).unwrap_or(0);
    1 + 4 * k + p
}

/// Whether `tag` may follow `prev` (or [`START`]): a mention's inside and last tokens only
/// after its begin or inside ones, of the same kind; anything else only where no mention is
/// open.
pub fn allowed(prev: usize, tag: usize) -> bool {
    let open = match tag_meaning(prev) {
        Some((Part::Begin | Part::Inside, kind)) => Some(kind),
        _ => None,
    };
    match (tag_meaning(tag), open) {
        (Some((Part::Inside | Part::Last, kind)), Some(k)) => kind == k,
        (Some((Part::Inside | Part::Last, _)), None) => false,
        (_, Some(_)) => false,
        (_, None) => true,
    }
}

/// Whether a segment may end on `tag` (not inside an open mention).
pub fn may_end(tag: usize) -> bool {
    !matches!(tag_meaning(tag), Some((Part::Begin | Part::Inside, _)))
}

/// An error reading a model file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The bytes are not a model file.
    #[error("not a xabar NER model (bad magic)")]
    Magic,
    /// The file is of a format version this code does not read.
    #[error("model format version {0}; this build reads version {VERSION}")]
    Version(u32),
    /// The model was trained with other features than this code computes: retrain it with
    /// `cargo run --release -p xabar-eval -- train-ner`.
    #[error("the model was trained with other features than this build computes; retrain it")]
    Features,
    /// The file is cut short, or its checksum does not match.
    #[error("the model file is damaged: {0}")]
    Damaged(&'static str),
}

/// Bytes of a weight row in memory: 13 weights, two bytes of padding, and the row's shift,
/// so that four rows share a cache line.
pub(crate) const ROW: usize = 16;
/// Where a row keeps its shift.
const SHIFT: usize = ROW - 1;
/// The largest shift: a weight is `q << shift` units, `q` in ±127.
const MAX_SHIFT: i8 = 8;

/// A trained tagger model.
///
/// Weights are integers in units of `scale`: each row of the table holds 8-bit weights and a
/// shift of 0 to 8 bits shared by the row (a float of sorts, exact enough for scores that are
/// sums of dozens of weights, at half the memory of 16 bits, which is what tagging speed
/// depends on); transitions are 16-bit.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    bits: u32,
    scale: f32,
    /// `1 << bits` rows.
    rows: Vec<[i8; ROW]>,
    /// `PROFILES.len() × (N_TAGS + 1)` rows: the weights of each tag after a previous tag.
    transitions: Vec<[i16; LANES]>,
}

impl Model {
    /// Builds a model from real-valued weights: `rows` has `1 << bits` rows, `transitions`
    /// `PROFILES.len() × (N_TAGS + 1)`.
    pub(crate) fn quantize(
        bits: u32,
        rows: &[[f64; LANES]],
        transitions: &[[f64; LANES]],
    ) -> Model {
        let max = rows
            .iter()
            .chain(transitions)
            .flat_map(|r| r[..N_TAGS].iter())
            .fold(0.0f64, |m, &w| m.max(w.abs()));
        let units = f64::from(127i32 << MAX_SHIFT);
        let scale = if max > 0.0 { max / units } else { 1.0 };
        let row = |r: &[f64; LANES]| {
            let top = r[..N_TAGS].iter().fold(0.0f64, |m, &w| m.max(w.abs())) / scale;
            let mut shift = 0;
            while shift < MAX_SHIFT && top / f64::from(1i32 << shift) > 127.0 {
                shift += 1;
            }
            let mut out = [0i8; ROW];
            for (o, &w) in out.iter_mut().zip(&r[..N_TAGS]) {
                *o = (w / scale / f64::from(1i32 << shift))
                    .round()
                    .clamp(-127.0, 127.0) as i8;
            }
            if out[..N_TAGS].iter().any(|&q| q != 0) {
                out[SHIFT] = shift;
            }
            out
        };
        let transition = |r: &[f64; LANES]| {
            let mut out = [0i16; LANES];
            for (o, &w) in out.iter_mut().zip(&r[..N_TAGS]) {
                *o = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
            }
            out
        };
        Model {
            bits,
            scale: scale as f32,
            rows: rows.iter().map(row).collect(),
            transitions: transitions.iter().map(transition).collect(),
        }
    }

    /// The number of rows of the weight table is `1 << bits()`.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// How many rows hold a weight that is not zero.
    pub fn nonzero_rows(&self) -> usize {
        self.rows.iter().filter(|r| is_nonzero(r)).count()
    }

    /// The summed weights of each group of `per` feature hashes (a token's, or a type's),
    /// written into `out`; `rows` is scratch space.
    pub(crate) fn sums(
        &self,
        hashes: &[u64],
        per: usize,
        rows: &mut Vec<[i8; ROW]>,
        out: &mut Vec<[i32; LANES]>,
    ) {
        // Gather first, add up after. The table is far bigger than the caches, so nearly every
        // row is a trip to memory; a loop that only copies rows lets the processor keep dozens
        // of those trips in flight at once, where adding each row as it arrives would wait
        // for them a few at a time.
        rows.clear();
        rows.extend(
            hashes
                .iter()
                .map(|&h| self.rows[features::row(h, self.bits)]),
        );
        out.clear();
        for group in rows.chunks_exact(per.max(1)) {
            let mut sum = [0i32; LANES];
            for row in group {
                let shift = row[SHIFT] as u32;
                // All 16 lanes, so the loop is one vector operation; the lanes past the tags
                // (padding and the shift) add up to nothing anyone reads.
                for (s, &w) in sum.iter_mut().zip(row) {
                    *s += i32::from(w) << shift;
                }
            }
            out.push(sum);
        }
    }

    /// The transition scores for a profile: shared plus the profile's own, per previous tag
    /// (then "start").
    // `tag` indexes both the output row and the model's table.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn transitions(&self, profile: usize) -> [[i32; LANES]; N_TAGS + 1] {
        let mut out = [[0i32; LANES]; N_TAGS + 1];
        for (prev, row) in out.iter_mut().enumerate() {
            for tag in 0..N_TAGS {
                let shared = i32::from(self.transitions[prev][tag]);
                let own = if profile == 0 {
                    0
                } else {
                    i32::from(self.transitions[profile * (N_TAGS + 1) + prev][tag])
                };
                row[tag] = shared + own;
            }
        }
        out
    }

    /// The model as the bytes of its file format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let nonzero: Vec<usize> = (0..self.rows.len())
            .filter(|&i| is_nonzero(&self.rows[i]))
            .collect();
        let mut out = Vec::with_capacity(64 + nonzero.len() * 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&features::fingerprint().to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(N_TAGS as u32).to_le_bytes());
        out.extend_from_slice(&(PROFILES.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&(nonzero.len() as u32).to_le_bytes());
        for row in &self.transitions {
            for w in &row[..N_TAGS] {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        let mut next = 0usize;
        for &i in &nonzero {
            let mut gap = (i - next) as u64;
            loop {
                let byte = (gap & 0x7f) as u8;
                gap >>= 7;
                if gap == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
            next = i + 1;
        }
        for &i in &nonzero {
            let row = &self.rows[i];
            out.extend(row[..N_TAGS].iter().map(|&w| w as u8));
            out.push(row[SHIFT] as u8);
        }
        let checksum = features::hash_bytes(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Reads a model from the bytes of its file format.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 4 || &bytes[..4] != MAGIC {
            return Err(ModelError::Magic);
        }
        let Some(body_len) = bytes.len().checked_sub(8) else {
            return Err(ModelError::Damaged("cut short"));
        };
        let mut reader = Reader {
            bytes: &bytes[..body_len],
            pos: 4,
        };
        let version = reader.u32()?;
        if version != VERSION {
            return Err(ModelError::Version(version));
        }
        let stored = u64::from_le_bytes(reader.array::<8>(&bytes[body_len..], 0)?);
        if stored != features::hash_bytes(&bytes[..body_len]) {
            return Err(ModelError::Damaged("checksum mismatch"));
        }
        if reader.u64()? != features::fingerprint() {
            return Err(ModelError::Features);
        }
        let bits = reader.u32()?;
        if !(8..=28).contains(&bits) {
            return Err(ModelError::Damaged("table size out of range"));
        }
        if reader.u32()? as usize != N_TAGS || reader.u32()? as usize != PROFILES.len() {
            return Err(ModelError::Features);
        }
        let scale = f32::from_le_bytes(reader.take::<4>()?);
        let n = reader.u32()? as usize;
        let size = 1usize << bits;
        if n > size {
            return Err(ModelError::Damaged("more rows than the table holds"));
        }
        let mut transitions = vec![[0i16; LANES]; PROFILES.len() * (N_TAGS + 1)];
        for row in &mut transitions {
            for w in &mut row[..N_TAGS] {
                *w = i16::from_le_bytes(reader.take::<2>()?);
            }
        }
        let mut indices = Vec::with_capacity(n);
        let mut next = 0usize;
        for _ in 0..n {
            let gap = reader.varint()?;
            let i = usize::try_from(gap)
                .ok()
                .and_then(|g| next.checked_add(g))
                .filter(|&i| i < size)
                .ok_or(ModelError::Damaged("row index out of range"))?;
            indices.push(i);
            next = i + 1;
        }
        let mut rows = vec![[0i8; ROW]; size];
        for i in indices {
            let row = &mut rows[i];
            let [weights @ .., shift] = reader.take::<{ N_TAGS + 1 }>()?;
            for (w, b) in row[..N_TAGS].iter_mut().zip(weights) {
                *w = b as i8;
            }
            if !(0..=MAX_SHIFT).contains(&(shift as i8)) || !is_nonzero(row) {
                return Err(ModelError::Damaged("malformed weight row"));
            }
            row[SHIFT] = shift as i8;
        }
        if reader.pos != body_len {
            return Err(ModelError::Damaged("trailing bytes"));
        }
        Ok(Model {
            bits,
            scale,
            rows,
            transitions,
        })
    }
}

/// Whether a row holds a weight that is not zero.
fn is_nonzero(row: &[i8; ROW]) -> bool {
    row[..N_TAGS].iter().any(|&w| w != 0)
}

/// Reads the fields of a model file in order.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn array<const N: usize>(&self, bytes: &[u8], at: usize) -> Result<[u8; N], ModelError> {
        bytes
            .get(at..at + N)
            .and_then(|s| s.try_into().ok())
            .ok_or(ModelError::Damaged("cut short"))
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let out = self.array::<N>(self.bytes, self.pos)?;
        self.pos += N;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        self.take::<4>().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, ModelError> {
        self.take::<8>().map(u64::from_le_bytes)
    }

    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let [byte] = self.take::<1>()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ModelError::Damaged("varint too long"))
    }
}

/// For each tag, the tags that may precede it, as (tags, how many): the tags where no mention
/// is open (`O`, `L-`, `U-`) before `O`, `B-` and `U-`; the begin and inside tags of the same
/// kind before `I-` and `L-`.
const PREVIOUS: [([u8; 7], usize); N_TAGS] = {
    let mut out = [([0u8; 7], 0usize); N_TAGS];
    // Tag 1 + 4k + part, parts in the order begin, inside, last, unit.
    let closed = [0u8, 3, 4, 7, 8, 11, 12];
    let mut tag = 0;
    while tag < N_TAGS {
        let part = if tag == 0 { 3 } else { (tag - 1) % 4 };
        out[tag] = if part == 1 || part == 2 {
            let begin = (tag - 1) / 4 * 4 + 1;
            ([begin as u8, begin as u8 + 1, 0, 0, 0, 0, 0], 2)
        } else {
            (closed, 7)
        };
        tag += 1;
    }
    out
};

/// A score low enough to rule a tag out: path scores are summed in 64 bits, and no text is
/// long enough for allowed scores to come near it.
const FORBIDDEN: i64 = i64::MIN / 4;

/// The best tag sequence under `emissions` and `transitions` (see [`Model::transitions`]),
/// written into `path`; `back` is scratch space.
pub(crate) fn viterbi(
    emissions: &[[i32; LANES]],
    transitions: &[[i32; LANES]; N_TAGS + 1],
    back: &mut Vec<[u8; LANES]>,
    path: &mut Vec<u8>,
) {
    path.clear();
    back.clear();
    let Some(first) = emissions.first() else {
        return;
    };
    // The transitions with the BILOU constraints built in, so the inner loop does not branch.
    let mut allowed_transitions = [[FORBIDDEN; N_TAGS]; N_TAGS + 1];
    for (prev, row) in allowed_transitions.iter_mut().enumerate() {
        for (tag, t) in row.iter_mut().enumerate() {
            if allowed(prev, tag) {
                *t = i64::from(transitions[prev][tag]);
            }
        }
    }
    let mut score = [FORBIDDEN; N_TAGS];
    for tag in 0..N_TAGS {
        score[tag] = i64::from(first[tag]) + allowed_transitions[START][tag];
    }
    back.push([0; LANES]);
    for emission in &emissions[1..] {
        let mut next = [0i64; N_TAGS];
        let mut from = [0u8; LANES];
        for tag in 0..N_TAGS {
            // Only the tags that may come before this one (7 or 2 of the 13).
            let (prevs, count) = &PREVIOUS[tag];
            let prevs = &prevs[..*count];
            let mut arg = usize::from(prevs[0]);
            let mut best = score[arg] + allowed_transitions[arg][tag];
            for &prev in &prevs[1..] {
                let prev = usize::from(prev);
                let s = score[prev] + allowed_transitions[prev][tag];
                if s > best {
                    best = s;
                    arg = prev;
                }
            }
            // A forbidden step may have been added to a forbidden score: keep it at the
            // floor, so that sums never run towards overflow.
            next[tag] = (best + i64::from(emission[tag])).max(FORBIDDEN);
            from[tag] = arg as u8;
        }
        score = next;
        back.push(from);
    }
    let mut tag = (0..N_TAGS)
        .filter(|&t| may_end(t))
        .max_by_key(|&t| (score[t], -(t as i64)))
        .unwrap_or(0);
    path.resize(emissions.len(), 0);
    for i in (0..emissions.len()).rev() {
        path[i] = tag as u8;
        tag = usize::from(back[i][tag]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for kind in KINDS {
            for part in PARTS {
                assert_eq!(tag_meaning(tag_of(part, kind)), Some((part, kind)));
            }
        }
        assert_eq!(tag_meaning(0), None);
        let (per, loc) = (EntityKind::Person, EntityKind::Place);
        assert!(!allowed(START, tag_of(Part::Inside, loc)));
        assert!(!allowed(tag_of(Part::Begin, per), tag_of(Part::Last, loc)));
        assert!(!allowed(tag_of(Part::Begin, per), 0));
        assert!(!allowed(tag_of(Part::Unit, per), tag_of(Part::Inside, per)));
        assert!(allowed(tag_of(Part::Inside, per), tag_of(Part::Last, per)));
        assert!(allowed(tag_of(Part::Last, per), tag_of(Part::Unit, loc)));
        assert!(allowed(0, tag_of(Part::Begin, loc)));
        assert!(!may_end(tag_of(Part::Begin, loc)));
        assert!(may_end(tag_of(Part::Unit, loc)));
    }

    #[test]
    fn the_predecessor_table_agrees_with_the_constraints() {
        for (tag, &(prevs, count)) in PREVIOUS.iter().enumerate() {
            let listed: Vec<usize> = prevs[..count].iter().map(|&p| usize::from(p)).collect();
            let allowed: Vec<usize> = (0..N_TAGS).filter(|&p| allowed(p, tag)).collect();
            assert_eq!(listed, allowed, "tag {tag}");
        }
    }

    #[test]
    fn viterbi_keeps_mentions_well_formed() {
        // The emissions alone would say O, I-PER, I-PER; the constraints force B, I, L.
        let (b, i, l) = (
            tag_of(Part::Begin, EntityKind::Person),
            tag_of(Part::Inside, EntityKind::Person),
            tag_of(Part::Last, EntityKind::Person),
        );
        let mut e = [[0i32; LANES]; 3];
        e[0][0] = 5;
        e[0][b] = 4;
        e[1][i] = 10;
        e[2][i] = 10;
        e[2][l] = 1;
        let transitions = [[0i32; LANES]; N_TAGS + 1];
        let (mut back, mut path) = (Vec::new(), Vec::new());
        viterbi(&e, &transitions, &mut back, &mut path);
        assert_eq!(path, [b as u8, i as u8, l as u8]);
    }

    #[test]
    fn the_file_format_round_trips() {
        let bits = 10;
        let mut rows = vec![[0.0f64; LANES]; 1 << bits];
        rows[3][1] = 2.5;
        rows[700][12] = -1.25;
        rows[1023][0] = 0.5;
        let mut transitions = vec![[0.0f64; LANES]; PROFILES.len() * (N_TAGS + 1)];
        transitions[5][2] = 1.0;
        let model = Model::quantize(bits, &rows, &transitions);
        assert_eq!(model.nonzero_rows(), 3);
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes), Ok(model));
        // Any damage is refused, never a panic.
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        assert!(Model::from_bytes(&flipped).is_err());
        for cut in 0..bytes.len() {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
        assert_eq!(Model::from_bytes(b"nope"), Err(ModelError::Magic));
    }
}
