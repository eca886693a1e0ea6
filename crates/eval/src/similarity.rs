//! `xabar-eval similarity`: Pearson's r between xabar's article similarity and the gold
//! `Overall` scores of the SemEval-2022 Task 8 news-pair set (`similarity/semeval2022/`).
//!
//! Only original pairs count (pair ids `\d+_\d+`; the others are machine-translated
//! augmentation). The gold runs from 1 (same story) to 4 (unrelated), so r is reported
//! against `5 − Overall`: positive when the similarity rises with sameness. Document
//! frequencies come from the set's own texts (every distinct text once), which is what a
//! stream's window gives the engine. The figures are printed per language, for the German–English
//! pairs apart, and overall, and written into the similarity section of `docs/RELATE.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use xabar_core::{ArticleId, Language};
use xabar_relate::{ArticleView, DocFrequencies, Profile, similarity_parts};
use xabar_text::normalize::normalize;
use xabar_text::script::dominant_script;

/// Options of `xabar-eval similarity`.
#[derive(clap::Args)]
pub struct Args {
    /// Write each pair's parts and gold score to this TSV file (for calibration).
    #[arg(long)]
    pub dump: Option<std::path::PathBuf>,
    /// Print the report only; do not write docs/RELATE.md.
    #[arg(long)]
    pub no_write: bool,
}

struct Pair {
    id: String,
    languages: (Language, Language),
    texts: (usize, usize),
    gold: f64,
}

/// Parses CSV as RFC 4180 writes it: comma-separated fields, a field in double quotes may
/// hold commas, newlines and doubled quotes; records end at a newline outside quotes.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

fn is_original(id: &str) -> bool {
    let mut parts = id.split('_');
    let numeric =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    numeric(parts.next()) && numeric(parts.next()) && parts.next().is_none()
}

/// Pearson's correlation coefficient.
pub(crate) fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return f64::NAN;
    }
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Replaces (or appends) the section of `docs/RELATE.md` between the markers of `name`.
pub(crate) fn write_section(docs: &Path, name: &str, body: &str) -> anyhow::Result<()> {
    let path = docs.join("RELATE.md");
    let start = format!("<!-- {name}:start -->");
    let end = format!("<!-- {name}:end -->");
    let current = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::from(
            "# Relations between articles: evaluation\n\n\
             Written by `xabar-eval similarity`, `xabar-eval links` and `xabar-eval stories` \
             (each rewrites its own section). What the figures measure and how the methods \
             work: see the crate documentation of `xabar-relate`.\n",
        ),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let block = format!("{start}\n{}\n{end}", body.trim_end());
    let updated = match (current.find(&start), current.find(&end)) {
        (Some(s), Some(e)) if s < e => {
            format!("{}{}{}", &current[..s], block, &current[e + end.len()..])
        }
        _ => format!("{}\n{}\n", current.trim_end(), block),
    };
    std::fs::create_dir_all(docs).with_context(|| format!("creating {}", docs.display()))?;
    std::fs::write(&path, updated).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Runs the evaluation.
pub fn run(data: &Path, docs: &Path, args: Args) -> anyhow::Result<()> {
    let path = data.join("similarity/semeval2022/training_set.csv");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (is ../shared/eval there?)", path.display()))?;
    let records = parse_csv(&text);
    let Some(header) = records.first() else {
        bail!("{} is empty", path.display());
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{} has no column {name}", path.display()))
    };
    let (c_id, c_l1, c_l2, c_t1, c_t2, c_overall) = (
        column("pair_id")?,
        column("lang1")?,
        column("lang2")?,
        column("text1")?,
        column("text2")?,
        column("Overall")?,
    );

    // Distinct texts, each profiled once.
    let mut text_ids: HashMap<String, usize> = HashMap::new();
    let mut texts: Vec<(String, Language)> = Vec::new();
    let mut pairs = Vec::new();
    for record in &records[1..] {
        if record.len() < header.len() || !is_original(&record[c_id]) {
            continue;
        }
        let language = |code: &str| code.parse::<Language>().unwrap_or(Language::Und);
        let (l1, l2) = (language(&record[c_l1]), language(&record[c_l2]));
        let gold: f64 = record[c_overall]
            .parse()
            .with_context(|| format!("pair {}: Overall {:?}", record[c_id], record[c_overall]))?;
        let mut intern = |t: &str, l: Language| {
            let clean = normalize(t).text;
            let next = texts.len();
            *text_ids.entry(clean.clone()).or_insert_with(|| {
                texts.push((clean, l));
                next
            })
        };
        let texts_of_pair = (intern(&record[c_t1], l1), intern(&record[c_t2], l2));
        pairs.push(Pair {
            id: record[c_id].clone(),
            languages: (l1, l2),
            texts: texts_of_pair,
            gold,
        });
    }
    if pairs.is_empty() {
        bail!("{}: no original pairs found", path.display());
    }

    let profiles: Vec<Profile> = texts
        .iter()
        .enumerate()
        .map(|(i, (text, language))| {
            let id = ArticleId(format!("t{i}"));
            Profile::new(&ArticleView::new(
                &id,
                *language,
                dominant_script(text),
                text,
            ))
        })
        .collect();
    let mut df = DocFrequencies::new();
    for profile in &profiles {
        df.add(profile);
    }

    let mut groups: BTreeMap<String, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let mut dump = String::from("pair\tlang\tgold\tlexical\tanchors\tsimilarity\n");
    for pair in &pairs {
        let parts = similarity_parts(&profiles[pair.texts.0], &profiles[pair.texts.1], &df);
        let score = parts.combined();
        let gold = 5.0 - pair.gold;
        let group = if pair.languages.0 == pair.languages.1 {
            pair.languages.0.code().to_string()
        } else {
            format!("{}-{}", pair.languages.0.code(), pair.languages.1.code())
        };
        let _ = writeln!(
            dump,
            "{}\t{group}\t{gold}\t{:.4}\t{:.4}\t{score:.4}",
            pair.id, parts.lexical, parts.anchors
        );
        for name in [group.clone(), String::from("all")] {
            let entry = groups.entry(name).or_default();
            entry.0.push(score);
            entry.1.push(gold);
        }
        if pair.languages.0 == pair.languages.1 {
            let entry = groups.entry(String::from("monolingual")).or_default();
            entry.0.push(score);
            entry.1.push(gold);
        }
    }
    if let Some(path) = &args.dump {
        std::fs::write(path, &dump).with_context(|| format!("writing {}", path.display()))?;
    }

    let mut table = String::from("| pairs | n | Pearson r |\n|---|---:|---:|\n");
    let order = |name: &str| match name {
        "all" => 2,
        "monolingual" => 1,
        n if n.contains('-') => 0,
        _ => 0,
    };
    let mut names: Vec<&String> = groups.keys().collect();
    names.sort_by_key(|n| (order(n), n.contains('-'), n.to_string()));
    println!("{:<12} {:>5} {:>9}", "pairs", "n", "Pearson r");
    for name in names {
        let (xs, ys) = &groups[name];
        let r = pearson(xs, ys);
        println!("{name:<12} {:>5} {r:>9.3}", xs.len());
        let _ = writeln!(table, "| {name} | {} | {r:.3} |", xs.len());
    }
    if !args.no_write {
        let body = format!(
            "## Article similarity (SemEval-2022 Task 8)\n\n\
             `cargo run --release -p xabar-eval -- similarity`\n\n\
             Pearson's r between `xabar_relate::similarity` and `5 − Overall` (gold 1 = same \
             story … 4 = unrelated, so a positive r means agreement), on the {} original pairs \
             (ids `\\d+_\\d+`) of `similarity/semeval2022/training_set.csv`; texts as given \
             (cut at about 1,000 characters), normalized; document frequencies from the set's \
             own distinct texts. No entity stage runs here: names are matched by their \
             transliteration-key skeletons, numbers by their digits.\n\n{table}",
            pairs.len()
        );
        write_section(docs, "similarity", &body)?;
    }
    Ok(())
}
