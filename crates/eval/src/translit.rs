//! `xabar-eval translit`: Uzbek transliteration word accuracy, Cyrillic→Latin and
//! Latin→Cyrillic, on the document pairs in `translit/uz/<n>_cyr.txt` / `<n>_lat.txt`.
//!
//! Each document is transliterated whole, split on whitespace and set against the other
//! file's words. The pairs are word-aligned by construction, but a few documents are not
//! quite (a line merged, `2020 йил` written `2020-yil`), so the two word sequences are aligned
//! by an edit-distance alignment in a band around the diagonal: a word the alignment leaves
//! without a partner is reported as unaligned and left out of the accuracy, a word aligned to
//! a different word is an error. Words are compared after trimming punctuation at their
//! edges, dropping soft hyphens and folding every apostrophe variant (`' ‘ ’ ʻ ʼ`) into one,
//! since the gold writes oʻ/gʻ and the tutuq belgisi with several different characters; case
//! counts. Words that are only punctuation are not counted.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use xabar_core::{Language, Script};
use xabar_text::translit::Transliterator;

/// Options of `xabar-eval translit`.
#[derive(clap::Args)]
pub struct Args {
    /// How many of the most frequent error patterns to list per direction.
    #[arg(long, default_value_t = 30)]
    pub patterns: usize,
    /// Print the report only; do not write docs/TRANSLIT.md.
    #[arg(long)]
    pub no_write: bool,
}

/// Every apostrophe variant the gold or our output may use for oʻ, gʻ and the tutuq belgisi.
const APOSTROPHES: [char; 8] = ['\'', '‘', '’', 'ʻ', 'ʼ', '`', 'ʹ', '´'];

/// How far (in words) the alignment may stray from the diagonal beyond the documents'
/// difference in length.
const BAND: usize = 24;

struct Document {
    id: u32,
    cyrillic: String,
    latin: String,
}

#[derive(Default, Clone, Copy)]
struct Score {
    words: usize,
    unaligned: usize,
    correct: usize,
    correct_ignoring_case: usize,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.words += other.words;
        self.unaligned += other.unaligned;
        self.correct += other.correct;
        self.correct_ignoring_case += other.correct_ignoring_case;
    }

    fn accuracy(&self) -> f64 {
        percent(self.correct, self.words)
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

struct Direction {
    name: &'static str,
    per_document: Vec<(u32, Score)>,
    total: Score,
    /// (gold pattern, our pattern) → (count, example gold word, example our word).
    patterns: HashMap<(String, String), (usize, String, String)>,
}

/// Runs the evaluation, prints the report and writes `docs/TRANSLIT.md`.
pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let dir = data.join("translit").join("uz");
    let documents = load(&dir)?;
    let to_latin = Transliterator::new(Language::Uz, Script::Latn)?;
    let to_cyrillic = Transliterator::new(Language::Uz, Script::Cyrl)?;

    let directions = [
        evaluate("Cyrillic → Latin", &documents, |d| {
            (to_latin.transliterate(&d.cyrillic), d.latin.as_str())
        }),
        evaluate("Latin → Cyrillic", &documents, |d| {
            (to_cyrillic.transliterate(&d.latin), d.cyrillic.as_str())
        }),
    ];
    let cyrillic_left_in_gold = documents
        .iter()
        .flat_map(|d| d.latin.split_whitespace())
        .filter(|w| w.chars().any(|c| Script::of_char(c) == Script::Cyrl))
        .count();

    let report = render(
        &directions,
        documents.len(),
        cyrillic_left_in_gold,
        args.patterns,
        to_latin.standard(),
    );
    print!("{report}");
    if !args.no_write {
        let path = docs.join("TRANSLIT.md");
        std::fs::create_dir_all(docs).with_context(|| format!("creating {}", docs.display()))?;
        std::fs::write(&path, &report).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn load(dir: &Path) -> anyhow::Result<Vec<Document>> {
    if !dir.is_dir() {
        bail!(
            "{} is not a folder: pass --data pointing at the shared evaluation sets \
             (the folder holding translit/uz/<n>_cyr.txt and <n>_lat.txt)",
            dir.display()
        );
    }
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if let Some(id) = name
            .strip_suffix("_cyr.txt")
            .and_then(|n| n.parse::<u32>().ok())
        {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    if ids.is_empty() {
        bail!("no <n>_cyr.txt files in {}", dir.display());
    }
    let read = |path: PathBuf| {
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    ids.into_iter()
        .map(|id| {
            Ok(Document {
                id,
                cyrillic: read(dir.join(format!("{id}_cyr.txt")))?,
                latin: read(dir.join(format!("{id}_lat.txt")))?,
            })
        })
        .collect()
}

fn evaluate<'a>(
    name: &'static str,
    documents: &'a [Document],
    produce: impl Fn(&'a Document) -> (String, &'a str),
) -> Direction {
    let mut direction = Direction {
        name,
        per_document: Vec::new(),
        total: Score::default(),
        patterns: HashMap::new(),
    };
    for document in documents {
        let (ours, gold) = produce(document);
        let ours: Vec<String> = ours.split_whitespace().map(comparable).collect();
        let gold: Vec<String> = gold.split_whitespace().map(comparable).collect();
        let mut score = Score::default();
        for step in align(&ours, &gold) {
            match step {
                Step::Pair(i, j) => {
                    let (o, g) = (&ours[i], &gold[j]);
                    if o.is_empty() && g.is_empty() {
                        continue;
                    }
                    score.words += 1;
                    if o == g {
                        score.correct += 1;
                        score.correct_ignoring_case += 1;
                        continue;
                    }
                    if o.to_lowercase() == g.to_lowercase() {
                        score.correct_ignoring_case += 1;
                    }
                    let key = difference(g, o);
                    let entry = direction
                        .patterns
                        .entry(key)
                        .or_insert_with(|| (0, g.clone(), o.clone()));
                    entry.0 += 1;
                }
                Step::Ours(i) if !ours[i].is_empty() => score.unaligned += 1,
                Step::Gold(j) if !gold[j].is_empty() => score.unaligned += 1,
                Step::Ours(_) | Step::Gold(_) => {}
            }
        }
        direction.total.add(score);
        direction.per_document.push((document.id, score));
    }
    direction
}

/// A word as compared: apostrophes folded to ʻ, soft hyphens dropped, edge punctuation
/// trimmed (but not the ʻ of a word-final gʻ or oʻ, as in `togʻ`).
fn comparable(word: &str) -> String {
    let folded: Vec<char> = word
        .chars()
        .filter(|&c| c != '\u{00AD}')
        .map(|c| if APOSTROPHES.contains(&c) { 'ʻ' } else { c })
        .collect();
    let is_word_char = |c: char| c.is_alphanumeric() && c != 'ʻ';
    let start = folded
        .iter()
        .position(|&c| is_word_char(c))
        .unwrap_or(folded.len());
    let mut end = folded.len();
    while end > start {
        let c = folded[end - 1];
        if is_word_char(c) {
            break;
        }
        if c == 'ʻ' && end - 1 > start && matches!(folded[end - 2], 'g' | 'G' | 'o' | 'O') {
            break;
        }
        end -= 1;
    }
    folded[start..end].iter().collect()
}

/// The part of two words that differs, with one char of context on each side (`^` and `$`
/// at the word's edges), e.g. `("a[ye]v", "a[e]v")`.
fn difference(gold: &str, ours: &str) -> (String, String) {
    let g: Vec<char> = gold.chars().collect();
    let o: Vec<char> = ours.chars().collect();
    let prefix = g.iter().zip(&o).take_while(|(a, b)| a == b).count();
    let max_suffix = g.len().min(o.len()) - prefix;
    let suffix = g
        .iter()
        .rev()
        .zip(o.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let show = |w: &[char]| {
        let mut s = String::new();
        s.push(if prefix == 0 { '^' } else { w[prefix - 1] });
        s.push('[');
        s.extend(&w[prefix..w.len() - suffix]);
        s.push(']');
        s.push(if suffix == 0 {
            '$'
        } else {
            w[w.len() - suffix]
        });
        s
    };
    (show(&g), show(&o))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Pair(usize, usize),
    Ours(usize),
    Gold(usize),
}

/// Aligns two word sequences by edit distance (match 0, substitution 1, gap 1) within a band
/// around the diagonal wide enough for their difference in length.
fn align(ours: &[String], gold: &[String]) -> Vec<Step> {
    let (n, m) = (ours.len(), gold.len());
    // Column j of row i is stored at j + offset - i, for j in [i - offset, i - offset + width).
    let offset = BAND + n.saturating_sub(m);
    let width = BAND * 2 + n.abs_diff(m) + 1;
    let index = |i: usize, j: usize| -> Option<usize> {
        let k = (j + offset).checked_sub(i)?;
        (k < width).then_some(i * width + k)
    };
    const FAR: u32 = u32::MAX / 2;
    let mut cost = vec![FAR; (n + 1) * width];
    let mut from = vec![0u8; (n + 1) * width];
    let same = |i: usize, j: usize| ours[i].to_lowercase() == gold[j].to_lowercase();
    for i in 0..=n {
        let first = i.saturating_sub(offset);
        let last = (i + width).saturating_sub(offset + 1).min(m);
        for j in first..=last {
            let Some(here) = index(i, j) else { continue };
            if i == 0 && j == 0 {
                cost[here] = 0;
                continue;
            }
            let mut best = (FAR, 0u8);
            if i > 0
                && j > 0
                && let Some(d) = index(i - 1, j - 1)
            {
                let step = if same(i - 1, j - 1) { 0 } else { 1 };
                best = best.min((cost[d] + step, 0));
            }
            if i > 0
                && let Some(up) = index(i - 1, j)
            {
                best = best.min((cost[up] + 1, 1));
            }
            if j > 0
                && let Some(left) = index(i, j - 1)
            {
                best = best.min((cost[left] + 1, 2));
            }
            cost[here] = best.0;
            from[here] = best.1;
        }
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(here) = index(i, j) else {
            // Outside the band (cannot happen for the end cell): give up on the rest.
            break;
        };
        match from[here] {
            0 if i > 0 && j > 0 => {
                steps.push(Step::Pair(i - 1, j - 1));
                i -= 1;
                j -= 1;
            }
            1 if i > 0 => {
                steps.push(Step::Ours(i - 1));
                i -= 1;
            }
            _ if j > 0 => {
                steps.push(Step::Gold(j - 1));
                j -= 1;
            }
            _ => {
                steps.push(Step::Ours(i - 1));
                i -= 1;
            }
        }
    }
    steps.reverse();
    steps
}

fn render(
    directions: &[Direction],
    documents: usize,
    cyrillic_left_in_gold: usize,
    patterns: usize,
    standard: &str,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Uzbek transliteration accuracy\n");
    let _ = writeln!(
        s,
        "Generated by `cargo run --release -p xabar-eval -- translit` over the {documents} \
         development document pairs in `../shared/eval/translit/uz/` (UzTransliterator's test \
         set). Our Latin follows the {standard}; see `crates/text/data/uz/translit-*.tsv` for \
         the rules and where they depart from the letter of the standard.\n"
    );
    let _ = writeln!(
        s,
        "Word accuracy: words are compared after trimming edge punctuation and folding \
         apostrophe variants (the gold writes oʻ/gʻ with ‘ mostly, also ʻ and ’); case counts. \
         Words the alignment leaves without a partner (where the two files are not word for \
         word the same) are counted apart and left out.\n"
    );
    let _ = writeln!(
        s,
        "| direction | words | correct | accuracy | ignoring case | unaligned |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|");
    for d in directions {
        let t = d.total;
        let _ = writeln!(
            s,
            "| {} | {} | {} | **{:.2}%** | {:.2}% | {} |",
            d.name,
            t.words,
            t.correct,
            t.accuracy(),
            percent(t.correct_ignoring_case, t.words),
            t.unaligned
        );
    }
    let _ = writeln!(s, "\n## Per document\n");
    let mut header = String::from("| document | words |");
    let mut rule = String::from("|---:|---:|");
    for d in directions {
        let _ = write!(header, " {} | unaligned |", d.name);
        rule.push_str("---:|---:|");
    }
    let _ = writeln!(s, "{header}\n{rule}");
    for (k, (id, first)) in directions[0].per_document.iter().enumerate() {
        let _ = write!(s, "| {id} | {} |", first.words);
        for d in directions {
            let score = d.per_document[k].1;
            let _ = write!(s, " {:.2}% | {} |", score.accuracy(), score.unaligned);
        }
        s.push('\n');
    }
    for d in directions {
        let _ = writeln!(
            s,
            "\n## Most frequent differences, {}\n\nThe differing part in brackets, one \
             character of context each side (`^`/`$`: word edge).\n",
            d.name
        );
        let _ = writeln!(s, "| count | gold | ours | example (gold / ours) |");
        let _ = writeln!(s, "|---:|---|---|---|");
        let mut list: Vec<_> = d.patterns.iter().collect();
        list.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for ((gold, ours), (count, example_gold, example_ours)) in list.into_iter().take(patterns) {
            let _ = writeln!(
                s,
                "| {count} | `{gold}` | `{ours}` | {example_gold} / {example_ours} |"
            );
        }
    }
    let _ = writeln!(
        s,
        "\n## Where the gold is inconsistent, and what we chose\n\n\
         - {cyrillic_left_in_gold} gold Latin words still hold Cyrillic letters (ы, щ left as \
           they were, in a Crimean Tatar passage); we write ы as i and щ as shch.\n\
         - ц: the 1995 rule writes s at a word start and after a consonant; the gold writes ts \
           almost everywhere (tsirk, stantsiya) except for a capital Ц (Sirk, SRU) and a few \
           words (fransuz beside frantsuz, potensial). We write ts.\n\
         - е after a vowel is ye (poyezd, Nabiyev), but after е the gold keeps e \
           (Alekseevna, Mendeleev), and after a hyphen too (bor-e, olti-etti); we follow it. \
           Word-initial Е is Ye (Yevgeniy) in most places and E (Evgeniy) in one book.\n\
         - ўъ: the gold drops the ъ in moʻjiza, moʻtadil, moʻmin (the standard spelling) but \
           keeps it in one name, No‘’mon, in one book; we drop it.\n\
         - All-caps words: the gold writes OGOHLANTIRISH in one place and AQSh, ShART, \
           YaRATILGAN (title-case digraphs) in others; we write all caps (AQSH).\n\
         - Some documents also apply Latin-era orthography rather than transliteration: \
           particles hyphenated (boʻlsin-da for бўлсинда), dates hyphenated (2017-yil for \
           2017 йил); we transliterate and do not respell, so these count as errors or as \
           unaligned words.\n\
         - сҳ is s’h in the 1995 rules; the gold writes sh (masharalab), so we miss those.\n\
         - Latin→Cyrillic cannot restore what the Latin spelling drops: ь in Russian loans \
           (fevral/февраль, film/фильм), ъ after ў, ц written s, ё against йо (mayor/майор); \
           those are most of its errors."
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(comparable).collect()
    }

    #[test]
    fn comparable_folds_apostrophes_and_trims_edges() {
        assert_eq!(comparable("“O‘zbekiston,”"), "Oʻzbekiston");
        assert_eq!(comparable("tog’."), "togʻ");
        assert_eq!(comparable("ta'sir"), "taʻsir");
        assert_eq!(comparable("–"), "");
        assert_eq!(comparable("съез\u{AD}дида"), "съездида");
    }

    #[test]
    fn alignment_skips_an_extra_word() {
        let ours = words("2020 yil , 1 may Lyublyana");
        let gold = words("2020-yil, 1-may Lyublyana");
        let steps = align(&ours, &gold);
        assert!(steps.contains(&Step::Pair(5, 2)), "{steps:?}");
        let same = words("a b c d");
        assert_eq!(
            align(&same, &same),
            (0..4).map(|i| Step::Pair(i, i)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn difference_shows_the_changed_middle() {
        assert_eq!(
            difference("Nabiyev", "Nabiev"),
            ("i[y]e".to_string(), "i[]e".to_string())
        );
        assert_eq!(difference("sex", "tsex"), ("^[]s".into(), "^[t]s".into()));
    }
}
