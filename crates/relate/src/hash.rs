//! A fast, fixed hasher for the crate's maps. Their keys are mostly 64-bit hashes already
//! (terms, anchors, bands) or small counters, so SipHash's protection against chosen keys buys
//! nothing here and costs a fifth of the relating time; one round of mixing spreads counters
//! and short strings well enough. Being fixed, it also makes iteration orders repeatable.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::fingerprint::mix64;

/// See the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        mix64(self.0)
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = mix64(self.0 ^ u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = mix64(self.0 ^ n);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// A map with [`MixHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;
/// A set with [`MixHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<MixHasher>>;
