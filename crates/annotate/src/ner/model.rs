//! The tagger's weights, its file format, and decoding.
//!
//! The model is a linear scorer over BIO tags (`O`, then `B-` and `I-` for person,
//! organisation, place): a table of `1 << bits` rows of 16-bit weights, one weight per tag, that
//! the hashed features of a token index into ([`super::features`]), plus tag-to-tag transition
//! weights, shared and per language profile. Decoding is Viterbi over a segment, with the
//! BIO constraint built in (an `I-X` only after a `B-X` or an `I-X`), so every output is a
//! well-formed set of whole-token spans.
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
//! | 4 | u32 number of tags, 7 |
//! | 4 | u32 number of profiles `P` |
//! | 4 | f32 `scale`: a stored weight `q` means `q × scale` |
//! | 4 | u32 `n`: rows that are not all zero |
//! | `P × 8 × 7 × 2` | transitions: per profile, per previous tag (7 tags, then "start"), per tag, i16 |
//! | varies | the `n` row indices, ascending, each as an LEB128 varint of its distance from the previous index plus one (the first: of its distance from 0) |
//! | `n × 7 × 2` | the rows' weights, i16, 7 per row |
//! | 8 | u64 checksum of all the bytes before it (the hash of [`super::features`]) |
//!
//! Rows absent from the file are zero. A model is about 15 bytes per non-zero row.

use xabar_core::EntityKind;

use super::features::{self, N_FEATURES, PROFILES};

/// Number of tags: `O`, then `B-` and `I-` for each kind of [`KINDS`].
pub const N_TAGS: usize = 7;
/// Weights are stored per row in this many lanes (the tags, padded), so that a row is 16
/// bytes and four rows share a cache line.
pub const LANES: usize = 8;
/// The kinds in tag order: tag `1 + 2k` is `B-` and `2 + 2k` is `I-` of `KINDS[k]`.
pub const KINDS: [EntityKind; 3] = [
    EntityKind::Person,
    EntityKind::Organisation,
    EntityKind::Place,
];
/// The "previous tag" before a segment's first token.
pub const START: usize = N_TAGS;

const MAGIC: &[u8; 4] = b"XNER";
const VERSION: u32 = 1;

/// What a tag index means: `None` for `O`, else whether it begins a mention and of what kind.
pub fn tag_meaning(tag: usize) -> Option<(bool, EntityKind)> {
    if tag == 0 || tag >= N_TAGS {
        return None;
    }
    Some(((tag - 1) % 2 == 0, KINDS[(tag - 1) / 2]))
}

/// The tag index of a mention's first (`begin`) or later token.
pub fn tag_of(begin: bool, kind: EntityKind) -> usize {
    let k = KINDS.iter().position(|&x| x == kind).unwrap_or(0);
    1 + 2 * k + usize::from(!begin)
}

/// Whether `tag` may follow `prev` (or [`START`]).
pub fn allowed(prev: usize, tag: usize) -> bool {
    match tag_meaning(tag) {
        Some((false, kind)) => matches!(tag_meaning(prev), Some((_, k)) if k == kind),
        _ => true,
    }
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

/// A trained tagger model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    bits: u32,
    scale: f32,
    /// `1 << bits` rows.
    rows: Vec<[i16; LANES]>,
    /// `PROFILES.len() × (N_TAGS + 1)` rows: the weights of each tag after a previous tag.
    transitions: Vec<[i16; LANES]>,
}

impl Model {
    /// Builds a model from real-valued weights: `rows` has `1 << bits` rows, `transitions`
    /// `PROFILES.len() × (N_TAGS + 1)`. The weights are scaled into 16 bits.
    pub(crate) fn quantize(bits: u32, rows: &[[f64; LANES]], transitions: &[[f64; LANES]]) -> Model {
        let max = rows
            .iter()
            .chain(transitions)
            .flat_map(|r| r[..N_TAGS].iter())
            .fold(0.0f64, |m, &w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let q = |r: &[f64; LANES]| {
            let mut out = [0i16; LANES];
            for (o, &w) in out.iter_mut().zip(&r[..N_TAGS]) {
                *o = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
            }
            out
        };
        Model {
            bits,
            scale: scale as f32,
            rows: rows.iter().map(q).collect(),
            transitions: transitions.iter().map(q).collect(),
        }
    }

    /// The number of rows of the weight table is `1 << bits()`.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// How many rows hold a weight that is not zero.
    pub fn nonzero_rows(&self) -> usize {
        self.rows.iter().filter(|r| r.iter().any(|&w| w != 0)).count()
    }

    /// The tag scores of each token, given its [`N_FEATURES`] feature hashes.
    pub(crate) fn emissions(&self, hashes: &[u64], out: &mut Vec<[i32; LANES]>) {
        out.clear();
        for token in hashes.chunks_exact(N_FEATURES) {
            let mut sum = [0i32; LANES];
            for &h in token {
                let row = &self.rows[features::row(h, self.bits)];
                for (s, &w) in sum.iter_mut().zip(row) {
                    *s += i32::from(w);
                }
            }
            out.push(sum);
        }
    }

    /// The transition scores for a profile: shared plus the profile's own, per previous tag
    /// (then "start").
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
            .filter(|&i| self.rows[i].iter().any(|&w| w != 0))
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
            for w in &self.rows[i][..N_TAGS] {
                out.extend_from_slice(&w.to_le_bytes());
            }
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
        let mut rows = vec![[0i16; LANES]; size];
        for i in indices {
            for w in &mut rows[i][..N_TAGS] {
                *w = i16::from_le_bytes(reader.take::<2>()?);
            }
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
    // The transitions with the BIO constraint built in, so the inner loop does not branch.
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
            let mut best = score[0] + allowed_transitions[0][tag];
            let mut arg = 0usize;
            for prev in 1..N_TAGS {
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
    let mut tag = (0..N_TAGS).max_by_key(|&t| (score[t], -(t as i64))).unwrap_or(0);
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
            for begin in [true, false] {
                assert_eq!(tag_meaning(tag_of(begin, kind)), Some((begin, kind)));
            }
        }
        assert_eq!(tag_meaning(0), None);
        assert!(!allowed(START, tag_of(false, EntityKind::Place)));
        assert!(!allowed(
            tag_of(true, EntityKind::Person),
            tag_of(false, EntityKind::Place)
        ));
        assert!(allowed(0, tag_of(true, EntityKind::Place)));
    }

    #[test]
    fn viterbi_keeps_bio_well_formed() {
        // The emissions alone would say O, I-PER, I-PER; the constraint forces a B first.
        let mut e = [[0i32; LANES]; 3];
        e[0][0] = 5;
        e[0][1] = 4;
        e[1][2] = 10;
        e[2][2] = 10;
        let transitions = [[0i32; LANES]; N_TAGS + 1];
        let (mut back, mut path) = (Vec::new(), Vec::new());
        viterbi(&e, &transitions, &mut back, &mut path);
        assert_eq!(path, [1, 2, 2]);
    }

    #[test]
    fn the_file_format_round_trips() {
        let bits = 10;
        let mut rows = vec![[0.0f64; LANES]; 1 << bits];
        rows[3][1] = 2.5;
        rows[700][6] = -1.25;
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
