//! `xabar links`: the relations the relate stage found between stored articles (duplicates,
//! reprints, script twins, translations), best score first, with both articles named.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use xabar_core::ArticleId;
use xabar_store::{LinkFilter, LinkKind, Page, Store};

use crate::listing::{Articles, Paint, json_lines, use_color};
use crate::store_args::StoreArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// Only links of this kind.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<LinkKind>,
    /// Only links of this article (its id, as `analyze` and `search` print it).
    #[arg(long, value_name = "ID")]
    article: Option<String>,
    /// At most this many links.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// One JSON object per link and line: `a`, `b`, `kind`, `score`, `evidence`.
    #[arg(long)]
    json: bool,
}

/// A link kind by name, for clap.
pub fn parse_kind(name: &str) -> Result<LinkKind, String> {
    LinkKind::from_name(&name.to_ascii_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = LinkKind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown link kind {name:?}; one of {}", names.join(", "))
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.store.open()?;
    let filter = LinkFilter {
        article: args.article.clone().map(ArticleId),
        kind: args.kind,
    };
    if let Some(id) = &filter.article
        && store.article(id)?.is_none()
    {
        anyhow::bail!("no article {id} in {}", store.path().display());
    }
    let page = args.limit.map_or(Page::all(), Page::first);
    let links = store.links(&filter, page)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        json_lines(&mut out, &links)?;
        return Ok(ExitCode::SUCCESS);
    }
    let paint = Paint { color: use_color() };
    let mut articles = Articles::new(&store);
    for link in &links {
        writeln!(
            out,
            "{} {:.2}",
            paint.bold(&format!("{:<11}", link.kind.name())),
            link.score
        )?;
        for id in [&link.a, &link.b] {
            let line = articles.describe(id, 90)?;
            writeln!(out, "    {}  {line}", paint.dim(&id.0))?;
        }
    }
    if links.is_empty() {
        eprintln!("no links{}", describe_filter(&filter));
    } else {
        eprintln!("{} links", links.len());
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn describe_filter(filter: &LinkFilter) -> String {
    let mut parts = Vec::new();
    if let Some(kind) = filter.kind {
        parts.push(format!("of kind {}", kind.name()));
    }
    if let Some(article) = &filter.article {
        parts.push(format!("of article {article}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(" "))
    }
}

/// The links between members of a set of articles (a story), by kind, then best score first.
pub fn links_within(
    store: &dyn Store,
    members: &[ArticleId],
) -> anyhow::Result<Vec<xabar_store::Link>> {
    let mut out = Vec::new();
    for id in members {
        let filter = LinkFilter {
            article: Some(id.clone()),
            kind: None,
        };
        for link in store.links(&filter, Page::all())? {
            // Each link inside the set is met from both ends; keep it once, from its `a` end.
            if link.a == *id && members.contains(&link.b) {
                out.push(link);
            }
        }
    }
    out.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then_with(|| y.score.total_cmp(&x.score))
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    Ok(out)
}
