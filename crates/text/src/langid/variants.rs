//! The registry of what the identifier can answer: one row per (language, script) variant, with
//! its evidence file and the n-gram models that stand in for it.
//!
//! Adding a language or a script variant means writing its evidence file under
//! `data/<lang>/langid-<script>.txt` and adding one row here; nothing else changes.

use lingua::Language as Ngram;
use xabar_core::{Language, Script};

/// One language in one script, as the identifier can answer it.
pub(crate) struct Variant {
    /// The language answered.
    pub language: Language,
    /// The script this variant is written in; only texts whose letters are mostly of this script
    /// are scored against it.
    pub script: Script,
    /// The evidence file (format: see [`super::lexicon`]).
    pub evidence: &'static str,
    /// What lingua answers for text in this variant: pairs (lingua language, share). For a
    /// language lingua knows, that is the language itself with share 1. For one it does not,
    /// the languages it takes that text for, with the share of sentences it gives each: the
    /// variant's n-gram score is then the share-weighted sum of lingua's confidences. Empty
    /// where lingua has no model of the script at all: then letters and words alone decide.
    ///
    /// The Uzbek shares were counted on half of the development sentences (lingua-rs 1.8 with
    /// the languages below); those of Kyrgyz, Tajik and Kazakh Latin, with no sentences to count
    /// on, are estimates from their alphabets (ң makes lingua say Kazakh; ҷ ӣ ӯ ҳ are in no
    /// alphabet it knows).
    pub ngrams: &'static [(Ngram, f64)],
    /// The natural log of how likely this variant is a priori, relative to the languages xabar
    /// is built for (0): below 0 for those it meets less often, which then need more evidence
    /// to be answered.
    pub prior: f64,
}

impl Variant {
    /// Whether lingua has a model of this very variant (rather than standing in for it).
    pub fn has_own_model(&self) -> bool {
        matches!(self.ngrams, [(_, share)] if *share == 1.0)
    }
}

macro_rules! evidence {
    ($lang:literal, $script:literal) => {
        include_str!(concat!("../../data/", $lang, "/langid-", $script, ".txt"))
    };
}

/// The prior of variants xabar rarely meets yet (Kyrgyz, Tajik, Kazakh in its 2021 Latin
/// alphabet): e^-1, about a third as likely as the rest.
const RARE: f64 = -1.0;

/// The prior of languages xabar does not process but must not take for its own (Belarusian,
/// Bulgarian, Macedonian, Serbian, Mongolian, Azerbaijani): they share letters and words with
/// Russian, Kazakh, Uzbek or Turkish and turn up in the same feeds.
const NEIGHBOUR: f64 = -1.0;

/// Every variant, grouped by script. At most 32 (variant sets are `u32` bit masks).
pub(crate) static VARIANTS: &[Variant] = &[
    Variant {
        language: Language::Ru,
        script: Script::Cyrl,
        evidence: evidence!("ru", "cyrl"),
        ngrams: &[(Ngram::Russian, 1.0)],
        prior: 0.0,
    },
    Variant {
        language: Language::Uk,
        script: Script::Cyrl,
        evidence: evidence!("uk", "cyrl"),
        ngrams: &[(Ngram::Ukrainian, 1.0)],
        prior: 0.0,
    },
    Variant {
        language: Language::Be,
        script: Script::Cyrl,
        evidence: evidence!("be", "cyrl"),
        ngrams: &[(Ngram::Belarusian, 1.0)],
        prior: NEIGHBOUR,
    },
    Variant {
        language: Language::Bg,
        script: Script::Cyrl,
        evidence: evidence!("bg", "cyrl"),
        ngrams: &[(Ngram::Bulgarian, 1.0)],
        prior: NEIGHBOUR,
    },
    Variant {
        language: Language::Mk,
        script: Script::Cyrl,
        evidence: evidence!("mk", "cyrl"),
        ngrams: &[(Ngram::Macedonian, 1.0)],
        prior: NEIGHBOUR,
    },
    Variant {
        language: Language::Sr,
        script: Script::Cyrl,
        evidence: evidence!("sr", "cyrl"),
        ngrams: &[(Ngram::Serbian, 1.0)],
        prior: NEIGHBOUR,
    },
    Variant {
        language: Language::Mn,
        script: Script::Cyrl,
        evidence: evidence!("mn", "cyrl"),
        ngrams: &[(Ngram::Mongolian, 1.0)],
        prior: NEIGHBOUR,
    },
    Variant {
        language: Language::Kk,
        script: Script::Cyrl,
        evidence: evidence!("kk", "cyrl"),
        ngrams: &[(Ngram::Kazakh, 1.0)],
        prior: 0.0,
    },
    Variant {
        language: Language::Uz,
        script: Script::Cyrl,
        evidence: evidence!("uz", "cyrl"),
        ngrams: &[
            (Ngram::Bulgarian, 0.28),
            (Ngram::Kazakh, 0.17),
            (Ngram::Ukrainian, 0.17),
            (Ngram::Mongolian, 0.12),
            (Ngram::Serbian, 0.09),
            (Ngram::Macedonian, 0.08),
            (Ngram::Russian, 0.07),
        ],
        prior: 0.0,
    },
    Variant {
        language: Language::Ky,
        script: Script::Cyrl,
        evidence: evidence!("ky", "cyrl"),
        ngrams: &[
            (Ngram::Kazakh, 0.6),
            (Ngram::Mongolian, 0.3),
            (Ngram::Russian, 0.1),
        ],
        prior: RARE,
    },
    Variant {
        language: Language::Tg,
        script: Script::Cyrl,
        evidence: evidence!("tg", "cyrl"),
        ngrams: &[
            (Ngram::Russian, 0.3),
            (Ngram::Bulgarian, 0.3),
            (Ngram::Kazakh, 0.2),
            (Ngram::Ukrainian, 0.1),
            (Ngram::Mongolian, 0.1),
        ],
        prior: RARE,
    },
    Variant {
        language: Language::Tr,
        script: Script::Latn,
        evidence: evidence!("tr", "latn"),
        ngrams: &[(Ngram::Turkish, 1.0)],
        prior: 0.0,
    },
    Variant {
        language: Language::Az,
        script: Script::Latn,
        evidence: evidence!("az", "latn"),
        ngrams: &[(Ngram::Azerbaijani, 1.0)],
        prior: NEIGHBOUR,
    },
    Variant {
        language: Language::Uz,
        script: Script::Latn,
        evidence: evidence!("uz", "latn"),
        ngrams: &[
            (Ngram::Azerbaijani, 0.6),
            (Ngram::Turkish, 0.2),
            (Ngram::English, 0.1),
            (Ngram::German, 0.05),
        ],
        prior: 0.0,
    },
    Variant {
        language: Language::Kk,
        script: Script::Latn,
        evidence: evidence!("kk", "latn"),
        ngrams: &[(Ngram::Turkish, 0.5), (Ngram::Azerbaijani, 0.5)],
        prior: RARE,
    },
    Variant {
        language: Language::De,
        script: Script::Latn,
        evidence: evidence!("de", "latn"),
        ngrams: &[(Ngram::German, 1.0)],
        prior: 0.0,
    },
    Variant {
        language: Language::En,
        script: Script::Latn,
        evidence: evidence!("en", "latn"),
        ngrams: &[(Ngram::English, 1.0)],
        prior: 0.0,
    },
    Variant {
        language: Language::Ar,
        script: Script::Arab,
        evidence: evidence!("ar", "arab"),
        ngrams: &[],
        prior: 0.0,
    },
    Variant {
        language: Language::Fa,
        script: Script::Arab,
        evidence: evidence!("fa", "arab"),
        ngrams: &[],
        prior: 0.0,
    },
];

/// The lingua languages the identifier loads models for: every one some variant names.
pub(crate) fn ngram_languages() -> Vec<Ngram> {
    let mut languages: Vec<Ngram> = Vec::new();
    for variant in VARIANTS {
        for &(language, _) in variant.ngrams {
            if !languages.contains(&language) {
                languages.push(language);
            }
        }
    }
    languages
}
