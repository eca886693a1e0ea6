//! Finding the article's body among the blocks of a page.
//!
//! In the spirit of readability and jusText, in three steps:
//!
//! 1. **The core.** Each block gets a value: prose (long, or a whole sentence, few links)
//!    counts for its length, for the elements just above it fully and further up less and
//!    less; link lists and anything inside page furniture (share bars, comments, menus, by the
//!    markup's own names) count against every element above them. The element with the
//!    highest value holds the story's paragraphs and little else; a wrapper that also holds a
//!    list of teasers gets only a fraction of the story's prose and all of the teasers' links.
//! 2. **The whole story.** The core grows to an ancestor when what the ancestor adds is more
//!    of the same (several paragraphs of prose, little clutter, not teasers — one summary
//!    after a link, box after box): a story cut into boxes by figures and share bars is one
//!    story. Siblings worth a good share of the core join it (a lead set apart).
//! 3. **The paragraphs.** Inside, blocks are kept by their own features and their
//!    neighbours': prose stays, links and furniture go; a short block ("Advertisement", a
//!    byline, a one-line subheading) stays between two paragraphs of the story, and at its
//!    edges only when it is a paragraph or list item of its own; headings stay when prose
//!    follows them; date lines go (they are metadata).
//!
//! If this finds next to nothing, `extract` looks again without trusting class and id names.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::dom::{Block, FURNITURE, MAIN, Page, REGION, Tag};

/// Whole lines that are widget words ("Advertisement", "Share this article", "Реклама"): the
/// `[widget]` sections of the plain-text cleaner's lists in `data/clutter/`, shared so that
/// both find the same furniture.
static WIDGETS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let files = [
        include_str!("../../data/clutter/en.txt"),
        include_str!("../../data/clutter/de.txt"),
        include_str!("../../data/clutter/ru.txt"),
        include_str!("../../data/clutter/uk.txt"),
        include_str!("../../data/clutter/kk.txt"),
        include_str!("../../data/clutter/uz.txt"),
        include_str!("../../data/clutter/ky.txt"),
        include_str!("../../data/clutter/tg.txt"),
        include_str!("../../data/clutter/tr.txt"),
    ];
    let mut widgets = HashSet::new();
    for file in files {
        let mut in_widgets = false;
        for line in file.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_widgets = line == "[widget]";
            } else if in_widgets && !line.is_empty() && !line.starts_with('#') {
                widgets.insert(line.to_lowercase());
            }
        }
    }
    widgets
});

/// Whether a short block is only a widget word.
fn is_widget(text: &str) -> bool {
    let trimmed = text.trim_matches(|c: char| !c.is_alphanumeric());
    !trimmed.is_empty() && WIDGETS.contains(&trimmed.to_lowercase())
}

/// What a block looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Prose: long, or a whole sentence, with few links.
    Good,
    /// Prose full of links: part of the story next to its paragraphs (a digest of news with
    /// a link in each item), a "follow us" line on its own.
    Linked,
    /// Too short to tell.
    Short,
    /// Mostly links.
    Links,
    /// A heading (`h1`–`h6`).
    Heading,
}

/// Features of one block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Features {
    pub kind: Kind,
    pub chars: u32,
    pub link_density: f32,
}

fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['»', '"', '\'', ')', ']', '“', '”', '’', ' ', '」', '』']);
    trimmed.ends_with(['.', '!', '?', '…', ':', ';', '。', '！', '？'])
}

/// Whether a character belongs to a script written without spaces between words (Han, kana).
fn is_unspaced(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Words of the text; in scripts written without spaces, two characters count as a word.
fn word_count(text: &str) -> usize {
    let mut unspaced = 0;
    let mut words = 0;
    for word in text.split_whitespace() {
        let mut letters = false;
        for c in word.chars() {
            if is_unspaced(c) {
                unspaced += 1;
            } else if c.is_alphanumeric() {
                letters = true;
            }
        }
        words += usize::from(letters);
    }
    words + unspaced / 2
}

/// Whether an element is a quotation or close inside one (an embedded post ends with its
/// author and date, which is part of the quotation, not a page's date line).
fn in_quote(page: &Page, node: u32) -> bool {
    let mut n = node;
    for _ in 0..4 {
        if page.nodes[n as usize].tag == Tag::Quote {
            return true;
        }
        n = page.nodes[n as usize].parent;
    }
    false
}

/// Classifies one block on its own features.
pub(crate) fn features(page: &Page, block: &Block) -> Features {
    let text = page.block_text(block);
    let chars = block.chars.max(1);
    let link_density = block.link_chars as f32 / chars as f32;
    let tag = page.nodes[block.node as usize].tag;
    let words = word_count(text);
    let sentence = ends_sentence(text);
    let prose = (block.chars >= 150 && words >= 15)
        || (block.chars >= 60 && words >= 8 && sentence)
        || (words >= 5 && sentence && text.contains(' '));
    let kind = if (block.chars <= 40 && is_widget(text))
        || (!prose
            && block.chars <= 80
            && super::date::is_date_line(text)
            && !in_quote(page, block.node))
    {
        Kind::Links
    } else if prose && link_density <= 0.35 && !matches!(tag, Tag::Heading(_)) {
        Kind::Good
    } else if prose && words >= 15 && sentence && link_density <= LINKED_PROSE {
        Kind::Linked
    } else if link_density > 0.5 {
        Kind::Links
    } else if matches!(tag, Tag::Heading(_)) {
        Kind::Heading
    } else {
        Kind::Short
    };
    Features {
        kind,
        chars: block.chars,
        link_density,
    }
}

/// The chosen body: the container, the blocks kept (indices into `page.blocks`) and the text.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub container: Option<u32>,
    /// The `h1` that is the story's headline, when there is one.
    pub headline: Option<u32>,
    pub kept: Vec<usize>,
    pub text: String,
}

/// For each element, the nearest element at or above it flagged as furniture or a page region
/// (0 when none is: the root is never flagged). A block of element `n` lies in furniture below
/// element `c` exactly when `nearest[n] > c`, since ancestors have smaller indices.
fn nearest_furniture(page: &Page, furniture: &[bool]) -> Vec<u32> {
    let mut nearest = vec![0u32; page.nodes.len()];
    for i in 1..page.nodes.len() {
        nearest[i] = if furniture[i] {
            i as u32
        } else {
            nearest[page.nodes[i].parent as usize]
        };
    }
    nearest
}

/// Which elements are furniture: those the markup marks so (by class and id names, roles and
/// region elements), except the elements that hold the page's landmarks (an `h1`, `<main>`,
/// `itemprop="articleBody"`): a `body` or wrapper whose class happens to say "sidebar-right"
/// or "has-comments" is not furniture when the story is inside it. With `names` false, nothing
/// is: for a second look at a page whose names hid the story.
fn furniture_flags(page: &Page, names: bool) -> Vec<bool> {
    let mut furniture: Vec<bool> = page
        .nodes
        .iter()
        .map(|n| names && n.flags & (FURNITURE | REGION) != 0)
        .collect();
    let landmarks = page
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.flags & MAIN != 0)
        .map(|(i, _)| i as u32)
        .chain(page.h1s.iter().copied());
    let mut cleared = vec![false; page.nodes.len()];
    for landmark in landmarks {
        let mut n = landmark;
        // Paths to the root share their upper part: each element is cleared once.
        while n != 0 && !cleared[n as usize] {
            cleared[n as usize] = true;
            furniture[n as usize] = false;
            n = page.nodes[n as usize].parent;
        }
    }
    furniture
}

/// How many elements above a paragraph its prose counts for (with weights 1, 1, 1/2, 1/3, …).
const DECAY_LEVELS: u32 = 6;
/// A sibling of the container joins it when worth this share of the container…
const SIBLING_SHARE: f32 = 0.2;
/// … and at least this much.
const SIBLING_MIN: f32 = 40.0;

/// Full sums over an element's subtree, for deciding whether to widen the container and
/// which of its siblings join it.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    /// Characters of prose blocks, less those of prose blocks that look like teasers.
    prose: f32,
    /// Characters of prose blocks that stand alone after a link (a teaser's summary).
    teasers: f32,
    /// Prose blocks.
    count: u32,
    /// Characters of link blocks and of furniture.
    clutter: f32,
}

/// The [`Sums`] of every element.
fn subtree_sums(page: &Page, features: &[Features], furniture: &[u32]) -> Vec<Sums> {
    let mut sums = vec![Sums::default(); page.nodes.len()];
    for (k, (block, f)) in page.blocks.iter().zip(features).enumerate() {
        let s = &mut sums[block.node as usize];
        if furniture[block.node as usize] > 0 || f.kind == Kind::Links {
            s.clutter += f.chars as f32;
        } else if matches!(f.kind, Kind::Good | Kind::Linked) {
            let after_link = k > 0 && features[k - 1].kind == Kind::Links;
            let alone = features.get(k + 1).is_none_or(|n| n.kind != Kind::Good);
            if after_link && alone {
                s.teasers += f.chars as f32;
            } else {
                s.prose += f.chars as f32;
                s.count += 1;
            }
        }
    }
    for i in (1..page.nodes.len()).rev() {
        let parent = page.nodes[i].parent as usize;
        let child = sums[i];
        let s = &mut sums[parent];
        s.prose += child.prose;
        s.teasers += child.teasers;
        s.count += child.count;
        s.clutter += child.clutter;
    }

    sums
}

impl Sums {
    /// Whether this much prose, clutter and teasers reads as more of a story.
    fn is_story(&self) -> bool {
        self.count >= 2 && self.prose >= 2.0 * self.clutter && self.teasers * 2.0 < self.prose
    }
}

/// How many levels the container may be widened by.
const MAX_WIDEN: usize = 12;

/// Widens the container to an ancestor when what the ancestor adds is more of the story: a
/// story split into several boxes (by figures, ads or share bars between them) is one story.
/// What it adds must be several paragraphs of prose, at least twice the clutter that comes
/// with them, and not teasers (one paragraph after a link, box after box).
fn widen(page: &Page, sums: &[Sums], container: u32) -> u32 {
    let mut chosen = container;
    let mut probe = container;
    for _ in 0..MAX_WIDEN {
        let parent = page.nodes[probe as usize].parent;
        if parent == 0 || matches!(page.nodes[parent as usize].tag, Tag::Body | Tag::Root) {
            break;
        }
        let (now, then) = (sums[parent as usize], sums[chosen as usize]);
        let prose = now.prose - then.prose;
        let clutter = now.clutter - then.clutter;
        let teasers = now.teasers - then.teasers;
        let count = now.count - then.count;
        if prose <= 0.0 {
            if clutter > WRAPPER_CLUTTER {
                break;
            }
            probe = parent;
            continue;
        }
        let added = Sums {
            prose,
            teasers,
            count,
            clutter,
        };
        if added.is_story() {
            chosen = parent;
            probe = parent;
        } else {
            break;
        }
    }
    chosen
}

/// A wrapper that adds no prose may add this much clutter (an icon label, a "Share" line) and
/// still be looked through.
const WRAPPER_CLUTTER: f32 = 200.0;

/// Prose with up to this share of its characters in links is still prose ([`Kind::Linked`]).
const LINKED_PROSE: f32 = 0.7;

/// Finds the body; `names` says whether to trust class and id names (see
/// [`furniture_flags`]).
pub(crate) fn select(page: &Page, names: bool) -> Body {
    let features: Vec<Features> = page.blocks.iter().map(|b| features(page, b)).collect();
    let furniture = nearest_furniture(page, &furniture_flags(page, names));
    let mut negative = vec![0f32; page.nodes.len()];

    // Values per element. Prose counts for the elements close above it, less the further up
    // (so the element that holds the paragraphs themselves wins over the page wrapper that
    // holds them and a list of teasers too); links and furniture count against every
    // element above them.
    let mut value = vec![0f32; page.nodes.len()];
    for (block, f) in page.blocks.iter().zip(&features) {
        let in_furniture = furniture[block.node as usize] > 0;
        let v = if in_furniture {
            -0.5 * f.chars as f32
        } else {
            match f.kind {
                Kind::Good | Kind::Linked => f.chars as f32 * (1.0 - f.link_density),
                Kind::Links => -0.5 * f.chars as f32,
                Kind::Short | Kind::Heading => 0.0,
            }
        };
        if v > 0.0 {
            let mut n = block.node;
            let mut d = 0u32;
            while n != 0 && d <= DECAY_LEVELS {
                value[n as usize] += v / d.max(1) as f32;
                n = page.nodes[n as usize].parent;
                d += 1;
            }
        } else {
            negative[block.node as usize] += v;
        }
    }
    for i in (1..page.nodes.len()).rev() {
        let parent = page.nodes[i].parent as usize;
        negative[parent] += negative[i];
    }
    for (v, n) in value.iter_mut().zip(&negative) {
        *v += n;
    }

    let mut best: Option<u32> = None;
    let mut best_value = 0f32;
    for (i, &v) in value.iter().enumerate().skip(1) {
        let i = i as u32;
        let better = match best {
            None => v > 0.0,
            Some(b) => v > best_value || (v == best_value && page.contains(b, i)),
        };
        if better {
            best = Some(i);
            best_value = v;
        }
    }
    let Some(container) = best else {
        return Body::default();
    };

    let sums = subtree_sums(page, &features, &furniture);
    let container = widen(page, &sums, container);

    // Siblings of the container that are worth a good part of it join it: a story split in
    // several boxes, a lead paragraph set apart.
    let parent = page.nodes[container as usize].parent;
    let mut roots = Vec::new();
    if parent != 0 {
        let threshold = (best_value * SIBLING_SHARE).max(SIBLING_MIN);
        for i in parent + 1..page.nodes[parent as usize].end {
            let node = &page.nodes[i as usize];
            if node.parent != parent {
                continue;
            }
            let joins = furniture[i as usize] <= parent
                && value[i as usize] >= threshold
                && (sums[i as usize].is_story() || sums[i as usize].clutter == 0.0);
            if i == container || joins {
                roots.push(i);
            }
        }
    } else {
        roots.push(container);
    }

    // The blocks of the region, in order, with what they are there: furniture inside the
    // region counts as links.
    let mut members = Vec::new();
    let mut kinds = Vec::new();
    let mut roots_left = roots.iter().copied().peekable();
    for (i, block) in page.blocks.iter().enumerate() {
        // Roots are disjoint subtrees in document order, and so are the blocks.
        while roots_left
            .peek()
            .is_some_and(|&r| page.nodes[r as usize].end <= block.node)
        {
            roots_left.next();
        }
        let Some(&root) = roots_left.peek() else {
            break;
        };
        if !page.contains(root, block.node) {
            continue;
        }
        members.push(i);
        kinds.push(if furniture[block.node as usize] > root {
            Kind::Links
        } else {
            features[i].kind
        });
    }

    // The nearest prose-or-links block before and after each block (prose full of links
    // counting as prose).
    let solid = |kind: Kind| match kind {
        Kind::Good | Kind::Linked => Some(Kind::Good),
        Kind::Links => Some(Kind::Links),
        Kind::Short | Kind::Heading => None,
    };
    let mut previous = vec![None; kinds.len()];
    let mut last = None;
    for (k, &kind) in kinds.iter().enumerate() {
        previous[k] = last;
        last = solid(kind).or(last);
    }
    let mut next = vec![None; kinds.len()];
    last = None;
    for (k, &kind) in kinds.iter().enumerate().rev() {
        next[k] = last;
        last = solid(kind).or(last);
    }
    let mut kept = Vec::new();
    for (k, &i) in members.iter().enumerate() {
        let keep = match kinds[k] {
            Kind::Good => true,
            Kind::Links => false,
            Kind::Linked => previous[k] == Some(Kind::Good) || next[k] == Some(Kind::Good),
            Kind::Heading => {
                // An h1 before any prose is the headline, not part of the body.
                let headline = page.nodes[page.blocks[i].node as usize].tag == Tag::Heading(1)
                    && previous[k].is_none();
                !headline && next[k] == Some(Kind::Good)
            }
            Kind::Short => {
                let block = &page.blocks[i];
                let paragraph = matches!(page.nodes[block.node as usize].tag, Tag::P | Tag::Li);
                match (previous[k], next[k]) {
                    (Some(Kind::Good), Some(Kind::Good)) => true,
                    // The story's first lines (a one-line lead, an intro to a list).
                    (None, Some(Kind::Good)) => paragraph,
                    // A list or a closing line after the last paragraph.
                    (Some(Kind::Good), None) => {
                        paragraph
                            && (block.link_chars == 0 || ends_sentence(page.block_text(block)))
                    }
                    (Some(Kind::Good), Some(Kind::Links)) => paragraph && block.link_chars == 0,
                    _ => false,
                }
            }
        };
        if keep {
            kept.push(i);
        }
    }

    let mut text = String::new();
    for &i in &kept {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(page.block_text(&page.blocks[i]));
    }
    // The headline: the last h1 before the body's first paragraph.
    let first = kept.first().map(|&i| page.blocks[i].node);
    let headline = page
        .h1s
        .iter()
        .copied()
        .take_while(|&h| first.is_none_or(|f| h <= f))
        .last()
        .or(page.h1s.first().copied());
    Body {
        container: Some(container),
        headline,
        kept,
        text,
    }
}
