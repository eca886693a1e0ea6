//! Shared helpers: reading and preparing articles as `xabar ingest` does, and relating them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use xabar_core::{Article, ArticleId, LanguageIdentifier};
use xabar_ingest::{Input, Reader, prepare};
use xabar_relate::{Added, ArticleView, Link, Profile, Relator, Story, StoryId};
use xabar_text::langid::Identifier;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads and prepares every article under `path`, sorted by source.
pub fn prepare_all(path: &Path) -> Vec<Article> {
    let identifier = Identifier::new();
    let mut articles: Vec<Article> = Reader::new([Input::Path(path.to_path_buf())])
        .filter_map(Result::ok)
        .filter_map(|raw| prepare(raw, &identifier as &dyn LanguageIdentifier).ok())
        .collect();
    articles.sort_by(|a, b| a.source.cmp(&b.source));
    articles
}

/// The short name of an article: its file name's number, or `jsonl:N`.
pub fn name(article: &Article) -> String {
    let source = article.source.rsplit('/').next().unwrap_or(&article.source);
    match source.split_once(':') {
        Some((_, line)) => format!("jsonl:{line}"),
        None => source.split('_').next().unwrap_or(source).to_string(),
    }
}

/// Articles related in publication order: each article's name and result.
pub struct Related {
    pub results: Vec<(String, Added)>,
    pub names: HashMap<ArticleId, String>,
    /// Each story as it stood after its latest article, as a store would keep it.
    pub stories: HashMap<StoryId, Story>,
}

impl Related {
    /// Every link found, with the short names of its articles in name order.
    pub fn links(&self) -> impl Iterator<Item = (String, String, &Link)> {
        self.results.iter().flat_map(move |(_, added)| {
            added.links.iter().map(move |link| {
                let (a, b) = (self.names[&link.a].clone(), self.names[&link.b].clone());
                if a <= b { (a, b, link) } else { (b, a, link) }
            })
        })
    }
}

/// The articles in publication order (undated ones first, as they come), ties by source.
pub fn in_order(articles: &[Article]) -> Vec<&Article> {
    let mut order: Vec<&Article> = articles.iter().collect();
    order.sort_by_key(|a| a.published);
    order
}

/// Adds the articles in publication order to a fresh relator.
pub fn relate(articles: &[Article]) -> Related {
    let mut relator = Relator::default();
    let mut stories = HashMap::new();
    let results = in_order(articles)
        .into_iter()
        .map(|a| {
            let added = relator.add(Profile::new(&ArticleView::of(a)));
            if let Some(story) = relator.story(&added.story) {
                stories.insert(added.story.clone(), story);
            }
            (name(a), added)
        })
        .collect();
    Related {
        results,
        names: articles.iter().map(|a| (a.id.clone(), name(a))).collect(),
        stories,
    }
}
