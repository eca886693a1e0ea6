//! Word-piece clusters: which words are used alike, learnt from far more text than the
//! annotated sets hold, as a feature of the tagger.
//!
//! A multilingual sentence-embedding model (multilingual-e5-small, MIT) gives every piece of
//! its 250,000-piece vocabulary a vector, and pieces used alike lie close: "Berlin", "Берлин",
//! "Potsdam", "Hamburg"; "Merkel", "Macron", "Erdogan"; "Алматы", "Павлодар", "Шымкент";
//! "Regierung", "правительство". `scripts/ner/clusters.py` clusters the Latin and Cyrillic
//! pieces at three nested sizes (256 fine clusters inside 64 middle ones inside 16 coarse
//! ones) and writes, per piece, a hash of the piece and its clusters to
//! `data/ner/clusters.bin`; no piece text is stored. A word
//! is read as the longest word-start piece it begins with, so "Berliner" and "Берлинде" meet
//! "Berlin" and "Берлин" by their first piece.
//!
//! The file's format: magic `XNC1`; u32 record count; u16 fine cluster count; u8 middle and
//! u8 coarse cluster counts less one; then the records, sorted by hash, 12 bytes each: u64
//! hash of the piece's UTF-8 bytes followed by a byte 1 for a word-start piece and 0 for a
//! continuation (with [`super::features::hash_bytes`]), u16 fine, u8 middle and u8 coarse
//! cluster; all little-endian.

use std::sync::LazyLock;

use super::features::{ByHash, hash_bytes};

/// The compiled-in clusters.
const DATA: &[u8] = include_bytes!("../../data/ner/clusters.bin");

/// The longest piece looked for, in chars.
const MAX_PIECE_CHARS: usize = 16;

/// What the clusters say of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordClusters {
    /// The fine cluster of the word's first piece.
    pub fine: u16,
    /// The middle cluster it lies in.
    pub middle: u8,
    /// The coarse cluster that lies in.
    pub coarse: u8,
    /// Whether that piece is the whole word.
    pub whole: bool,
}

/// Pieces by hash, with their clusters.
pub struct Clusters {
    pieces: ByHash<(u16, u8, u8)>,
}

/// Why a clusters file does not read.
#[derive(Debug, thiserror::Error)]
pub enum ClustersError {
    #[error("not a clusters file (no XNC1 magic)")]
    /// The file does not start with the magic bytes.
    Magic,
    #[error("the clusters file is cut short: {0} bytes for {1} records")]
    /// The records do not fill the file as its header says.
    Truncated(usize, usize),
}

static GLOBAL: LazyLock<Clusters> = LazyLock::new(|| match Clusters::from_bytes(DATA) {
    Ok(clusters) => clusters,
    // Compiled in and read by the tests: a build defect, not something input can cause.
    Err(e) => panic!("the compiled-in word-piece clusters are broken: {e}"),
});

impl Clusters {
    /// The compiled-in clusters, read on first use.
    pub fn global() -> &'static Clusters {
        &GLOBAL
    }

    /// Reads a clusters file (see the module's documentation for its format).
    pub fn from_bytes(bytes: &[u8]) -> Result<Clusters, ClustersError> {
        const HEADER: usize = 12;
        const RECORD: usize = 12;
        if bytes.len() < HEADER || &bytes[..4] != b"XNC1" {
            return Err(ClustersError::Magic);
        }
        let count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let body = &bytes[HEADER..];
        if body.len() != count * RECORD {
            return Err(ClustersError::Truncated(body.len(), count));
        }
        let mut pieces = ByHash::default();
        pieces.reserve(count);
        for record in body.chunks_exact(RECORD) {
            let mut hash = [0u8; 8];
            hash.copy_from_slice(&record[..8]);
            let fine = u16::from_le_bytes([record[8], record[9]]);
            pieces.insert(u64::from_le_bytes(hash), (fine, record[10], record[11]));
        }
        Ok(Clusters { pieces })
    }

    /// How many pieces it knows.
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    /// Whether it knows none.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The clusters of `word` (as written: the pieces keep case), by the longest word-start
    /// piece it begins with; `None` when no piece starts it.
    pub fn of_word(&self, word: &str) -> Option<WordClusters> {
        let mut ends: [usize; MAX_PIECE_CHARS] = [0; MAX_PIECE_CHARS];
        let mut n = 0;
        for (i, c) in word.char_indices().take(MAX_PIECE_CHARS) {
            ends[n] = i + c.len_utf8();
            n += 1;
        }
        let mut buf = [0u8; MAX_PIECE_CHARS * 4 + 1];
        for &end in ends[..n].iter().rev() {
            buf[..end].copy_from_slice(&word.as_bytes()[..end]);
            buf[end] = 1;
            if let Some(&(fine, middle, coarse)) = self.pieces.get(&hash_bytes(&buf[..=end])) {
                return Some(WordClusters {
                    fine,
                    middle,
                    coarse,
                    whole: end == word.len(),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(word: &str) -> WordClusters {
        Clusters::global()
            .of_word(word)
            .unwrap_or_else(|| panic!("no piece starts {word}"))
    }

    #[test]
    fn the_compiled_in_clusters_read() {
        assert!(Clusters::global().len() > 100_000);
        assert!(matches!(
            Clusters::from_bytes(b"XNC2"),
            Err(ClustersError::Magic)
        ));
        assert!(matches!(
            Clusters::from_bytes(&DATA[..DATA.len() - 1]),
            Err(ClustersError::Truncated(..))
        ));
    }

    #[test]
    fn words_used_alike_share_clusters_across_scripts() {
        // Cities with cities, in both scripts; given names with given names; nouns apart.
        for city in ["Берлин", "Hamburg", "Potsdam", "Москва"] {
            assert_eq!(of("Berlin").fine, of(city).fine, "{city}");
        }
        assert_eq!(of("Peter").fine, of("Иван").fine);
        assert_ne!(of("Berlin").fine, of("Peter").fine);
        assert_ne!(of("Berlin").fine, of("Regierung").fine);
        // Nested: one fine cluster lies in one middle cluster, and that in one coarse one.
        assert_eq!(of("Berlin").middle, of("Hamburg").middle);
        assert_eq!(of("Berlin").coarse, of("Hamburg").coarse);
        assert!(of("Berlin").whole);
        // An inflected form is read by the piece it starts with.
        let inflected = of("Берлинде");
        assert!(!inflected.whole);
        assert_eq!(Clusters::global().of_word("\u{1F600}"), None);
    }
}
