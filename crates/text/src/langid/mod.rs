//! Language and script identification of an article or a paragraph.
//!
//! [`Identifier`] answers a language and the dominant script of the letters, telling apart the
//! languages xabar reads and their neighbours: Russian, Ukrainian, Belarusian, Bulgarian,
//! Macedonian, Serbian, Mongolian, Kazakh, Uzbek, Kyrgyz and Tajik in Cyrillic; Uzbek, Kazakh
//! (2021 alphabet), Turkish, Azerbaijani, German and English in Latin; Arabic and Persian. Uzbek
//! and Kazakh come out in either script, the script saying which. [`Language::Und`] means too
//! little evidence: no letters, fewer than [`MIN_LETTERS`], or a best answer below
//! [`MIN_CONFIDENCE`].
//!
//! How it decides, cheapest evidence first:
//!
//! 1. A scan of at most [`SCAN_BYTES`] of the text counts letters per script, the *telling*
//!    letters (ў, қ, ә, ı, ə, q, oʻ, the glottal stop ъ …), the letters outside each variant's
//!    alphabet, and the frequent words of each variant (`data/<lang>/langid-<script>.txt`).
//!    Every variant of the dominant script is scored: the log-likelihood of the letters under
//!    its letter frequencies, a credit per frequent word, and a log prior (below 0 for the
//!    neighbours xabar does not process and for the variants it rarely meets).
//! 2. Every [`CHECK_BYTES`] the scan stops to see whether one variant leads by [`FAST_MARGIN`]
//!    with a frequent word (or by [`LETTERS_MARGIN`] on letters alone); if so, that is the
//!    answer. Articles and most paragraphs end here, after a few hundred bytes.
//! 3. Otherwise frequent word endings are counted too, and if no variant leads yet, lingua's
//!    n-gram models compare (at most [`NGRAM_BYTES`] of) the text in the languages of the
//!    variants still in the running. lingua has no Uzbek, Kyrgyz or Tajik and no script
//!    variants, so such a variant is scored by what lingua answers for its texts (see
//!    `variants.rs`), and letters and words settle the rest.
//! 4. The confidence is the answer's softmax share of the scores.
//!
//! A text gets one answer, that of its beginning: call [`Identifier::identify_within`] per
//! paragraph, with the article's answer as context, to find paragraphs in other languages
//! cheaply.
//!
//! Speed: articles and paragraphs that settle in the scan cost microseconds (over 200 MB/s on
//! article-shaped text); a call that needs lingua costs 0.1–1 ms, which is why paragraphs
//! should be identified within their article.

mod lexicon;
mod ngrams;
mod scan;
mod variants;

use std::sync::LazyLock;

use xabar_core::{Identification, Language, LanguageIdentifier, Script};

use lexicon::{Lexicon, OTHER_SCRIPT, SCRIPTS};
use scan::Evidence;
use variants::VARIANTS;

/// At most this many bytes from the start of a text are scanned for letters and words. An
/// article's first 2 KB decide its language as well as the whole would, and the bound keeps the
/// cost per article flat.
pub const SCAN_BYTES: usize = 2048;
/// At most this many bytes (about 200 Cyrillic or 400 Latin letters) go to the n-gram models,
/// which cost far more per byte than the scan; their accuracy has levelled off long before.
pub const NGRAM_BYTES: usize = 400;
/// The scan stops to see whether the answer is settled every this many bytes (at the next
/// white space).
pub const CHECK_BYTES: usize = 256;
/// The lead in score (natural-log units) over the runner-up that settles the answer without
/// the n-gram models.
pub const FAST_MARGIN: f64 = 5.0;
/// The frequent words the leader needs for the fast answer, so that letters alone never skip
/// the n-gram models.
pub const FAST_WORD_HITS: u32 = 1;
/// The lead that settles the answer without frequent words: letters alone, as in a Kazakh
/// headline full of ә, і and қ.
pub const LETTERS_MARGIN: f64 = 15.0;
/// The least confidence for an answer other than [`Language::Und`].
pub const MIN_CONFIDENCE: f64 = 0.3;
/// The fewest letters of the dominant script for an answer other than [`Language::Und`].
pub const MIN_LETTERS: u32 = 3;

/// The score bonus of the context's variant in [`Identifier::identify_within`]: a paragraph
/// is taken to be e^4 (about 55) times likelier to be in its article's language than in any
/// other.
const CONTEXT_PRIOR: f64 = 4.0;
/// How much the letter log-likelihood counts.
const LETTER_WEIGHT: f64 = 0.8;
/// Score credit for each word a variant lists as frequent.
const WORD_WEIGHT: f64 = 2.0;
/// Score credit for each other word ending in one of a variant's frequent endings.
const SUFFIX_WEIGHT: f64 = 0.7;
/// How much the log of an n-gram confidence counts.
const NGRAM_WEIGHT: f64 = 2.0;
/// How much the log of the n-gram score counts for a variant lingua has no model of, whose
/// score stands in through the languages lingua takes it for: less than a real model's.
const STAND_IN_WEIGHT: f64 = 1.0;
/// Variants this far (in score) behind the leader are out of the running: lingua does not
/// compare their languages.
const CANDIDATE_MARGIN: f64 = 12.0;
/// For a variant without a model of its own, lingua compares only the languages it takes that
/// variant's text for at least this often.
const MIN_SHARE: f64 = 0.1;
/// The least n-gram confidence taken, so that a saturated "0" does not outvote everything else.
const NGRAM_FLOOR: f64 = 1e-4;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| match Lexicon::build() {
    Ok(lexicon) => lexicon,
    // The evidence files are compiled in and checked by the unit tests, so this cannot
    // happen in a tested build.
    Err(err) => panic!("langid evidence files: {err}"),
});

/// Identifies the language and script of texts; cheap to create and to share, as its tables
/// are built once per process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Identifier {
    _private: (),
}

impl Identifier {
    /// An identifier. The letter and word tables are built here; the n-gram models are loaded
    /// at the first text that needs them, or by [`Identifier::preload`].
    pub fn new() -> Identifier {
        LazyLock::force(&LEXICON);
        Identifier { _private: () }
    }

    /// Identifies a paragraph of a text already identified as `context` (usually the whole
    /// article's answer). The paragraph keeps the context's language unless its own letters
    /// and words point elsewhere, so that the short paragraphs of an article (captions,
    /// bylines, "Видео") neither cost an n-gram run nor get a wild guess; a paragraph in
    /// another script, or with the letters or words of another language (a Russian quote in
    /// an Uzbek article), is identified on its own.
    pub fn identify_within(&self, text: &str, context: &Identification) -> Identification {
        let favoured = VARIANTS
            .iter()
            .position(|v| v.language == context.language && v.script == context.script);
        identify(&LEXICON, text, favoured)
    }

    /// Loads the n-gram models now (a fraction of a second; the whole evaluation run peaks
    /// at under 70 MB resident), so that timings and latencies do not include it later.
    pub fn preload(&self) {
        ngrams::preload();
    }
}

impl LanguageIdentifier for Identifier {
    fn identify(&self, text: &str) -> Identification {
        identify(&LEXICON, text, None)
    }

    fn identify_within(&self, text: &str, context: &Identification) -> Identification {
        Identifier::identify_within(self, text, context)
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Like [`prefix`], but ends at the last white space before the cut, if there is one, so that
/// no word is cut in two.
fn word_prefix(text: &str, max: usize) -> &str {
    let cut = prefix(text, max);
    if cut.len() == text.len() {
        return cut;
    }
    match cut.rfind(char::is_whitespace) {
        Some(end) if end > 0 => &cut[..end],
        _ => cut,
    }
}

fn undetermined(script: Script) -> Identification {
    Identification {
        language: Language::Und,
        script,
        confidence: 0.0,
    }
}

/// The telling-letter slots seen, with their counts.
fn seen_slots(evidence: &Evidence, slots: usize) -> Vec<(usize, u32)> {
    (1..slots)
        .filter(|&slot| evidence.slots[slot] != 0)
        .map(|slot| (slot, evidence.slots[slot]))
        .collect()
}

/// The score of variant `v` from letters and words alone.
fn own_score(lexicon: &Lexicon, evidence: &Evidence, seen: &[(usize, u32)], v: usize) -> f64 {
    let script = lexicon.variant_script(v);
    let mut letters = 0.0;
    for &(slot, count) in seen {
        if lexicon.slot_script(slot) == script {
            letters += f64::from(count) * lexicon.slot_ln(v, slot);
        }
    }
    let foreign = evidence.foreign[v];
    let plain = evidence.plain_letters[script].saturating_sub(foreign);
    letters += f64::from(plain) * lexicon.slot_ln(v, 0);
    letters += f64::from(foreign) * (lexicon::FOREIGN_PER_MILLE / 1000.0).ln();
    LETTER_WEIGHT * letters
        + WORD_WEIGHT * f64::from(evidence.word_hits[v])
        + SUFFIX_WEIGHT * f64::from(evidence.suffix_hits[v])
        + VARIANTS[v].prior
}

/// How well lingua's confidences match what it answers for a variant: the share-weighted sum
/// of the confidences of the languages it answers for that variant's text.
fn ngram_match(confidences: &[(lingua::Language, f64)], shares: &[(lingua::Language, f64)]) -> f64 {
    shares
        .iter()
        .map(|&(language, share)| {
            share
                * confidences
                    .iter()
                    .find(|(l, _)| *l == language)
                    .map_or(0.0, |&(_, c)| c)
        })
        .sum()
}

/// Where the evidence stands: the dominant script and every variant of it with its score,
/// best first.
enum Standing {
    /// No answer possible: the script, if any.
    Undetermined(Script),
    /// Index into [`SCRIPTS`], and (variant, score) pairs, best first.
    Scored(usize, Vec<(usize, f64)>),
}

fn standing(lexicon: &Lexicon, evidence: &Evidence, favoured: Option<usize>) -> Standing {
    if evidence.letters() == 0 {
        return Standing::Undetermined(Script::Zyyy);
    }
    let mut dominant = 0;
    for (i, &count) in evidence.script_letters.iter().enumerate() {
        if count > evidence.script_letters[dominant] {
            dominant = i;
        }
    }
    if dominant == OTHER_SCRIPT {
        return Standing::Undetermined(Script::Zyyy);
    }
    if evidence.script_letters[dominant] < MIN_LETTERS {
        return Standing::Undetermined(SCRIPTS[dominant]);
    }
    let seen = seen_slots(evidence, lexicon.slots());
    let mut scores: Vec<(usize, f64)> = (0..VARIANTS.len())
        .filter(|&v| lexicon.variant_script(v) == dominant)
        .map(|v| {
            let bonus = if Some(v) == favoured {
                CONTEXT_PRIOR
            } else {
                0.0
            };
            (v, own_score(lexicon, evidence, &seen, v) + bonus)
        })
        .collect();
    if scores.is_empty() {
        return Standing::Undetermined(SCRIPTS[dominant]);
    }
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    Standing::Scored(dominant, scores)
}

/// Whether letters and words alone settle the answer: a clear lead, or the lead of the variant
/// the context favours.
fn decisive(evidence: &Evidence, scores: &[(usize, f64)], favoured: Option<usize>) -> bool {
    match scores {
        [] => false,
        [_] => true,
        [(best, _), ..] if Some(*best) == favoured => true,
        [(best, first), (_, second), ..] => {
            let margin = first - second;
            margin >= FAST_MARGIN
                && (evidence.word_hits[*best] >= FAST_WORD_HITS || margin >= LETTERS_MARGIN)
        }
    }
}

/// The answer for scores sorted best first.
fn answer(script: Script, scores: &[(usize, f64)]) -> Identification {
    let Some(&(best, best_score)) = scores.first() else {
        return undetermined(script);
    };
    let total: f64 = scores.iter().map(|&(_, s)| (s - best_score).exp()).sum();
    let confidence = 1.0 / total;
    if confidence < MIN_CONFIDENCE {
        return Identification {
            language: Language::Und,
            script,
            confidence,
        };
    }
    Identification {
        language: VARIANTS[best].language,
        script: VARIANTS[best].script,
        confidence,
    }
}

/// The next piece of `text` to scan: at least [`CHECK_BYTES`] long, ending after white space
/// so that no word is cut, or all of `text`.
fn next_piece(text: &str) -> (&str, &str) {
    if text.len() <= CHECK_BYTES {
        return (text, "");
    }
    let from = prefix(text, CHECK_BYTES).len();
    match text[from..].char_indices().find(|(_, c)| c.is_whitespace()) {
        Some((at, space)) => text.split_at(from + at + space.len_utf8()),
        None => (text, ""),
    }
}

/// Identifies `text`; `favoured` is the variant the context (the article around a paragraph)
/// makes likelier.
fn identify(lexicon: &Lexicon, text: &str, favoured: Option<usize>) -> Identification {
    let sample = prefix(text, SCAN_BYTES);
    let mut scanner = scan::Scanner::new(lexicon);
    scanner.reserve(sample.len());
    let mut rest = sample;
    loop {
        let (piece, tail) = next_piece(rest);
        scanner.feed(piece);
        rest = tail;
        if rest.is_empty() {
            break;
        }
        // A long text usually settles within its first few hundred bytes.
        if let Standing::Scored(script, scores) = standing(lexicon, scanner.evidence(), favoured)
            && decisive(scanner.evidence(), &scores, favoured)
        {
            return answer(SCRIPTS[script], &scores);
        }
    }
    scanner.count_suffixes();
    let evidence = scanner.evidence();
    let (dominant, mut scores) = match standing(lexicon, evidence, favoured) {
        Standing::Undetermined(script) => return undetermined(script),
        Standing::Scored(dominant, scores) => (dominant, scores),
    };
    let script = SCRIPTS[dominant];
    let has_ngrams = scores.iter().any(|&(v, _)| !VARIANTS[v].ngrams.is_empty());
    if !decisive(evidence, &scores, favoured) && has_ngrams {
        // lingua compares only the languages of the variants still in the running.
        let best = scores[0].1;
        let mut among = ngrams::LanguageSet::default();
        for &(v, score) in &scores {
            if best - score <= CANDIDATE_MARGIN {
                for &(language, share) in VARIANTS[v].ngrams {
                    if share >= MIN_SHARE {
                        among.insert(language);
                    }
                }
            }
        }
        let confidences = ngrams::confidences(word_prefix(text, NGRAM_BYTES), among);
        // Scores are taken relative to lingua's favourite, so that a flat (unsure) answer
        // costs nobody much, and a variant without a model gains nothing from lingua being
        // unsure about the ones with.
        let top = confidences.iter().map(|&(_, c)| c).fold(0.0, f64::max);
        if top > 0.0 {
            for (v, score) in scores.iter_mut() {
                let expected = ngram_match(&confidences, VARIANTS[*v].ngrams) / top;
                let weight = if VARIANTS[*v].has_own_model() {
                    NGRAM_WEIGHT
                } else {
                    STAND_IN_WEIGHT
                };
                *score += weight * expected.max(NGRAM_FLOOR).ln();
            }
            scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        }
    }
    answer(script, &scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(text: &str) -> Identification {
        Identifier::new().identify(text)
    }

    #[test]
    fn identifies_a_news_sentence_per_language() {
        let rows: &[(&str, Language, Script)] = &[
            (
                "Президент России провёл совещание с членами правительства, на котором обсуждались вопросы экономики.",
                Language::Ru,
                Script::Cyrl,
            ),
            (
                "Уряд України ухвалив рішення про підвищення мінімальної заробітної плати з наступного року.",
                Language::Uk,
                Script::Cyrl,
            ),
            (
                "Урад Беларусі зацвердзіў новую праграму развіцця сельскай гаспадаркі на пяць гадоў.",
                Language::Be,
                Script::Cyrl,
            ),
            (
                "Правителството одобри проектобюджета за следващата година след дълги преговори с партньорите.",
                Language::Bg,
                Script::Cyrl,
            ),
            (
                "Владата на Македонија денеска ќе ги разгледа предлозите за нови економски мерки.",
                Language::Mk,
                Script::Cyrl,
            ),
            (
                "Влада Србије је данас усвојила нови закон о јавним набавкама, саопштило је министарство.",
                Language::Sr,
                Script::Cyrl,
            ),
            (
                "Монгол Улсын Засгийн газар өнөөдөр хуралдаж, эдийн засгийн асуудлыг хэлэлцсэн байна.",
                Language::Mn,
                Script::Cyrl,
            ),
            (
                "Қазақстан Республикасының Президенті бүгін Астанада шетелдік инвесторлармен кездесті.",
                Language::Kk,
                Script::Cyrl,
            ),
            (
                "Ўзбекистон Республикаси Президенти бугун Тошкентда хорижий инвесторлар билан учрашди.",
                Language::Uz,
                Script::Cyrl,
            ),
            (
                "Oʻzbekiston Respublikasi Prezidenti bugun Toshkentda xorijiy investorlar bilan uchrashdi.",
                Language::Uz,
                Script::Latn,
            ),
            (
                "Кыргыз Республикасынын Президенти бүгүн Бишкекте чет элдик инвесторлор менен жолукту.",
                Language::Ky,
                Script::Cyrl,
            ),
            (
                "Президенти Ҷумҳурии Тоҷикистон имрӯз дар шаҳри Душанбе бо сармоягузорони хориҷӣ мулоқот кард.",
                Language::Tg,
                Script::Cyrl,
            ),
            (
                "Cumhurbaşkanı bugün Ankara'da yabancı yatırımcılarla bir araya gelerek ekonomiyi görüştü.",
                Language::Tr,
                Script::Latn,
            ),
            (
                "Azərbaycan Respublikasının Prezidenti bu gün Bakıda xarici investorlarla görüşüb.",
                Language::Az,
                Script::Latn,
            ),
            (
                "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen.",
                Language::De,
                Script::Latn,
            ),
            (
                "The government announced on Wednesday that it would raise the minimum wage next year.",
                Language::En,
                Script::Latn,
            ),
            (
                "Qazaqstan Respublikasynyñ Prezidentı bügın Astanada şeteldık investorlarmen kezdestı.",
                Language::Kk,
                Script::Latn,
            ),
            (
                "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد الوطني خلال العام المقبل.",
                Language::Ar,
                Script::Arab,
            ),
            (
                "دولت ایران امروز برنامه جدیدی برای حمایت از اقتصاد کشور اعلام کرد.",
                Language::Fa,
                Script::Arab,
            ),
        ];
        let mut wrong = Vec::new();
        for &(text, language, script) in rows {
            let got = id(text);
            if got.language != language || got.script != script {
                wrong.push(format!(
                    "{language}-{script}: got {}-{} ({:.2}) for {text}",
                    got.language, got.script, got.confidence
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn undetermined_without_letters() {
        for text in ["", "   ", "…!?", "12 345,67", "— «» —", "2024-05-01 12:00"] {
            let got = id(text);
            assert_eq!(got.language, Language::Und, "{text:?}");
            assert_eq!(got.script, Script::Zyyy, "{text:?}");
        }
    }

    #[test]
    fn undetermined_with_too_few_letters_keeps_the_script() {
        let got = id("Ок.");
        assert_eq!(got.language, Language::Und);
        assert_eq!(got.script, Script::Cyrl);
    }

    #[test]
    fn script_of_the_majority_of_letters() {
        let got = id("Компания Apple представила новый iPhone в Москве на этой неделе.");
        assert_eq!(got.script, Script::Cyrl);
        assert_eq!(got.language, Language::Ru);
    }

    #[test]
    fn apostrophe_variants_read_alike() {
        for text in [
            "Oʻzbekiston bugun yangi qonun qabul qildi.",
            "O'zbekiston bugun yangi qonun qabul qildi.",
            "O‘zbekiston bugun yangi qonun qabul qildi.",
            "O’zbekiston bugun yangi qonun qabul qildi.",
        ] {
            let got = id(text);
            assert_eq!(
                (got.language, got.script),
                (Language::Uz, Script::Latn),
                "{text}"
            );
        }
    }

    #[test]
    fn long_text_is_sampled_not_read_whole() {
        let paragraph = "Ўзбекистон Республикаси ҳукумати янги қарор қабул қилди. ";
        let long = paragraph.repeat(2000);
        let got = id(&long);
        assert_eq!((got.language, got.script), (Language::Uz, Script::Cyrl));
        assert!(prefix(&long, SCAN_BYTES).len() <= SCAN_BYTES);
        assert!(word_prefix(&long, NGRAM_BYTES).len() <= NGRAM_BYTES);
    }

    #[test]
    fn a_paragraph_keeps_its_articles_language_unless_it_shows_another() {
        let identifier = Identifier::new();
        let article = identifier.identify(
            "Президент России Владимир Путин направил поздравительную телеграмму коллеге. \
             Он отметил, что отношения между странами развиваются в духе стратегического партнёрства.",
        );
        assert_eq!(article.language, Language::Ru);
        for (paragraph, language, script) in [
            ("Видео", Language::Ru, Script::Cyrl),
            ("© Фото: пресс-служба", Language::Ru, Script::Cyrl),
            (
                "Ўзбекистон Республикаси Президенти бугун хорижий инвесторлар билан учрашди.",
                Language::Uz,
                Script::Cyrl,
            ),
            (
                "Die Bundesregierung hat am Mittwoch ein neues Gesetz beschlossen.",
                Language::De,
                Script::Latn,
            ),
        ] {
            let got = identifier.identify_within(paragraph, &article);
            assert_eq!(
                (got.language, got.script),
                (language, script),
                "{paragraph}"
            );
        }
    }

    #[test]
    fn a_name_in_another_alphabet_does_not_change_the_language() {
        let got = id(
            "В Астане прошла встреча с Әлиханом Бөкейхановым, где обсуждались вопросы образования.",
        );
        assert_eq!(got.language, Language::Ru);
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let got = id(&text);
            prop_assert!((0.0..=1.0).contains(&got.confidence));
        }

        #[test]
        fn never_panics_on_mixed_scripts(text in "[a-zA-Zа-яА-Яўқғҳәіңөұүһoʻ'’ .,0-9İı]{0,120}") {
            let got = id(&text);
            prop_assert!((0.0..=1.0).contains(&got.confidence));
        }
    }
}
