//! Text fingerprints: a MinHash signature over shingles of word keys, and the LSH bands that
//! find signatures alike without comparing every pair.
//!
//! Shingles are runs of three consecutive word keys (script-independent, lowercase; numbers as
//! their digits), so the same text in Uzbek Cyrillic and Latin gives nearly the same shingles,
//! and an edit or an inserted line of clutter only touches the three shingles around it. The
//! signature keeps, for each of [`SIGNATURE`] hash functions, the least hash over the shingles;
//! the share of equal positions in two signatures estimates the Jaccard similarity of their
//! shingle sets.
//!
//! Bands of [`ROWS`] values each go into buckets: two texts whose Jaccard similarity is 0.3
//! share a bucket with probability 0.95, texts at 0.05 with 0.08, so buckets give a short
//! candidate list and the signatures then decide.

use serde::{Deserialize, Serialize};

/// Hash functions in a signature.
pub const SIGNATURE: usize = 64;
/// Signature values per LSH band.
pub const ROWS: usize = 2;
/// LSH bands per signature.
pub const BANDS: usize = SIGNATURE / ROWS;
/// Words per shingle.
pub const SHINGLE: usize = 3;

/// A MinHash signature and the size of the shingle set it summarizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinHash {
    /// The least hash per hash function ([`SIGNATURE`] values; empty for a text with no words).
    pub values: Vec<u32>,
    /// Distinct shingles in the text.
    pub shingles: u32,
}

/// A fast 64-bit mixer (the finalizer of SplitMix64): every input bit moves every output bit.
pub(crate) fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The signature of a sequence of word hashes.
pub fn minhash(words: &[u64]) -> MinHash {
    let mut shingles: Vec<u64> = if words.len() < SHINGLE {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![words.iter().fold(0, |h, &w| mix64(h ^ w))]
        }
    } else {
        words
            .windows(SHINGLE)
            .map(|w| w.iter().fold(0, |h, &w| mix64(h ^ w)))
            .collect()
    };
    shingles.sort_unstable();
    shingles.dedup();
    if shingles.is_empty() {
        return MinHash {
            values: Vec::new(),
            shingles: 0,
        };
    }
    let mut values = vec![u32::MAX; SIGNATURE];
    for &shingle in &shingles {
        for (i, value) in values.iter_mut().enumerate() {
            let h = (mix64(shingle ^ SEEDS[i]) >> 32) as u32;
            if h < *value {
                *value = h;
            }
        }
    }
    MinHash {
        values,
        shingles: shingles.len() as u32,
    }
}

/// Per-function seeds, fixed so that signatures stay comparable across runs and versions.
const SEEDS: [u64; SIGNATURE] = {
    let mut seeds = [0u64; SIGNATURE];
    let mut state: u64 = 0x7861_6261_7200_0001;
    let mut i = 0;
    while i < SIGNATURE {
        // SplitMix64 steps, written out because `mix64` is not const-callable in a loop here.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

impl MinHash {
    /// Whether the text had no words.
    pub fn is_empty(&self) -> bool {
        self.values.len() != SIGNATURE
    }

    /// The estimated Jaccard similarity of the two shingle sets, 0 when either is empty.
    pub fn jaccard(&self, other: &MinHash) -> f64 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let equal = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        equal as f64 / SIGNATURE as f64
    }

    /// The estimated share of the smaller shingle set found in the larger (1 when one text
    /// contains the other), from the Jaccard estimate and the set sizes.
    pub fn containment(&self, other: &MinHash) -> f64 {
        let j = self.jaccard(other);
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        if j == 0.0 || a == 0.0 || b == 0.0 {
            return 0.0;
        }
        let common = j * (a + b) / (1.0 + j);
        (common / a.min(b)).min(1.0)
    }

    /// The LSH bucket keys of this signature, one per band (none for an empty text).
    pub fn bands(&self) -> impl Iterator<Item = u64> + '_ {
        let values = if self.is_empty() {
            &[][..]
        } else {
            &self.values[..]
        };
        values.chunks_exact(ROWS).enumerate().map(|(band, rows)| {
            rows.iter()
                .fold(mix64(band as u64), |h, &v| mix64(h ^ u64::from(v)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: u64, offset: u64) -> Vec<u64> {
        (0..n).map(|i| mix64(i + offset)).collect()
    }

    #[test]
    fn identical_texts_have_identical_signatures() {
        let a = minhash(&words(200, 0));
        assert_eq!(a.jaccard(&minhash(&words(200, 0))), 1.0);
        assert_eq!(a.shingles, 198);
    }

    #[test]
    fn edits_lower_the_estimate_in_proportion() {
        let a = words(300, 0);
        let mut b = a.clone();
        for i in (0..300).step_by(30) {
            b[i] = 7 + i as u64;
        }
        let j = minhash(&a).jaccard(&minhash(&b));
        // Ten edits touch about 30 of 298 shingles: true Jaccard ≈ 0.82.
        assert!((0.6..=0.97).contains(&j), "{j}");
        assert!(minhash(&a).jaccard(&minhash(&words(300, 10_000))) < 0.1);
    }

    #[test]
    fn containment_sees_a_shortened_copy() {
        let a = words(400, 0);
        let b = a[..200].to_vec();
        let c = minhash(&a).containment(&minhash(&b));
        assert!(c > 0.75, "{c}");
    }

    #[test]
    fn empty_text_has_no_bands() {
        let empty = minhash(&[]);
        assert!(empty.is_empty());
        assert_eq!(empty.bands().count(), 0);
        assert_eq!(minhash(&words(10, 0)).bands().count(), BANDS);
    }
}
