//! `xabar entities PATH...`: the people, organisations and places the articles name, each
//! once, with its canonical name and the forms it was written in per language and script.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use xabar_core::EntityKind;

use crate::pipeline::{self, InputArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Only entities of this kind: person, organisation, place.
    #[arg(long)]
    kind: Option<EntityKind>,
    /// One JSON object per entity and line.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (linker, summary) = pipeline::run(&args.input, "entities", |_, _| Ok(()))?;
    let mut entities = linker.entities();
    entities.retain(|e| e.mentions > 0 && args.kind.is_none_or(|k| e.kind == k));
    // Most named first; the id breaks ties so the order is the same on every run.
    entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.id.cmp(&b.id)));
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for entity in &entities {
        if args.json {
            serde_json::to_writer(&mut out, entity)?;
            writeln!(out)?;
            continue;
        }
        writeln!(
            out,
            "{}\t{}\t{}\t{} mentions in {} articles",
            entity.id, entity.kind, entity.name, entity.mentions, entity.articles
        )?;
        for group in &entity.aliases {
            let forms: Vec<String> = group
                .forms
                .iter()
                .map(|f| format!("{} ×{}", f.text, f.count))
                .collect();
            writeln!(
                out,
                "    {} {}: {}",
                group.language,
                group.script,
                forms.join(", ")
            )?;
        }
    }
    out.flush()?;
    Ok(summary.exit_code())
}
