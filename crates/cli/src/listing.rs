//! Output helpers the commands over the store share: highlighting on a terminal, one-line
//! article descriptions, story labels, CSV records, and files written whole or not at all.
//!
//! Nothing here reads the store on its own except [`Articles`], a small cache of the article
//! lines a listing shows, so that a story of ten articles costs ten lookups however often its
//! members are named.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use xabar_core::{ArticleId, Language};
use xabar_store::{SnippetStyle, Store};

/// Writes each item as one line of JSON, then flushes.
pub fn json_lines<T: serde::Serialize>(out: &mut impl Write, items: &[T]) -> anyhow::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, item)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// Whether standard output gets colours: a terminal, and `NO_COLOR` not set.
pub fn use_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Bold yellow, on a terminal.
const HIT_ON: &str = "\x1b[1;33m";
/// Bold, on a terminal.
const BOLD_ON: &str = "\x1b[1m";
/// Dim, on a terminal.
const DIM_ON: &str = "\x1b[2m";
/// Back to plain.
const OFF: &str = "\x1b[0m";

/// How hits are marked in a snippet: bold yellow on a terminal, `**hit**` elsewhere.
pub fn snippet_style(color: bool) -> SnippetStyle {
    if color {
        SnippetStyle {
            open: HIT_ON.to_string(),
            close: OFF.to_string(),
            ..SnippetStyle::default()
        }
    } else {
        SnippetStyle::default()
    }
}

/// Text styles for human output, plain when colours are off.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    /// Whether to emit escape codes.
    pub color: bool,
}

impl Paint {
    /// `text` in bold.
    pub fn bold(self, text: &str) -> String {
        self.wrap(BOLD_ON, text)
    }

    /// `text` dimmed.
    pub fn dim(self, text: &str) -> String {
        self.wrap(DIM_ON, text)
    }

    fn wrap(self, on: &str, text: &str) -> String {
        if self.color {
            format!("{on}{text}{OFF}")
        } else {
            text.to_string()
        }
    }
}

/// A command's result with a closed standard output (`xabar search … | head`) taken as
/// success: the reader has what it wanted.
pub fn quiet_pipe(
    result: anyhow::Result<std::process::ExitCode>,
) -> anyhow::Result<std::process::ExitCode> {
    match result {
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            }) =>
        {
            Ok(std::process::ExitCode::SUCCESS)
        }
        other => other,
    }
}

/// A date for a listing column: `YYYY-MM-DD`, or dashes when undated.
pub fn date(day: Option<NaiveDate>) -> String {
    day.map_or_else(|| "----------".to_string(), |d| d.to_string())
}

/// A date range `first – last` (one date when they agree).
pub fn date_range(first: Option<NaiveDate>, last: Option<NaiveDate>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (None, None) => "undated".to_string(),
        (a, b) => format!("{} – {}", date(a), date(b)),
    }
}

/// At most `max` characters of `text`, with `…` where it was cut; line breaks become spaces.
pub fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A story label for people. The relate stage writes `{latin, by_language, names, keywords}`;
/// anything else (a label from another tool) is shown as it is.
pub fn story_label(label: &serde_json::Value) -> String {
    match label {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(map) => {
            if let Some(latin) = map.get("latin").and_then(|v| v.as_str())
                && !latin.trim().is_empty()
            {
                return latin.to_string();
            }
            let names: Vec<&str> = map
                .get("names")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            if !names.is_empty() {
                return names.join(", ");
            }
            label.to_string()
        }
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Languages with counts, largest first: `ru 3, kk 2, en 1`.
pub fn languages<'a>(counts: impl IntoIterator<Item = (&'a Language, &'a u32)>) -> String {
    let mut counts: Vec<(&Language, &u32)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.code().cmp(b.0.code())));
    counts
        .iter()
        .map(|(l, n)| format!("{} {n}", l.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a listing shows of an article.
#[derive(Debug, Clone)]
pub struct ArticleLine {
    /// The published date.
    pub published: Option<NaiveDate>,
    /// The language.
    pub language: Language,
    /// The outlet, when known.
    pub outlet: Option<String>,
    /// The title, when known.
    pub title: Option<String>,
    /// Where it was read from.
    pub source: String,
}

impl ArticleLine {
    /// `2025-03-12  ru  Outlet — Title` (the source when there is no title).
    pub fn describe(&self, width: usize) -> String {
        let what = headline(self.outlet.as_deref(), self.title.as_deref(), &self.source);
        format!(
            "{}  {:<3} {}",
            date(self.published),
            self.language.code(),
            shorten(&what, width)
        )
    }
}

/// `Outlet — Title`, with the source standing in for a missing title.
pub fn headline(outlet: Option<&str>, title: Option<&str>, source: &str) -> String {
    match (outlet, title) {
        (Some(o), Some(t)) => format!("{o} — {t}"),
        (None, Some(t)) => t.to_string(),
        (Some(o), None) => format!("{o} — {source}"),
        (None, None) => source.to_string(),
    }
}

/// Article lines by id, each read from the store once.
pub struct Articles<'s> {
    store: &'s dyn Store,
    cache: HashMap<ArticleId, Option<ArticleLine>>,
}

impl<'s> Articles<'s> {
    /// An empty cache over `store`.
    pub fn new(store: &'s dyn Store) -> Articles<'s> {
        Articles {
            store,
            cache: HashMap::new(),
        }
    }

    /// The article's line, `None` when the store does not have it (a link to an article
    /// that was removed).
    pub fn line(&mut self, id: &ArticleId) -> anyhow::Result<Option<&ArticleLine>> {
        if !self.cache.contains_key(id) {
            let line = self.store.article(id)?.map(|r| ArticleLine {
                published: r.published,
                language: r.language,
                outlet: r.outlet,
                title: r.title,
                source: r.source,
            });
            self.cache.insert(id.clone(), line);
        }
        Ok(self.cache.get(id).and_then(Option::as_ref))
    }

    /// The article's one-line description, or its id when the store lacks it.
    pub fn describe(&mut self, id: &ArticleId, width: usize) -> anyhow::Result<String> {
        Ok(match self.line(id)? {
            Some(line) => line.describe(width),
            None => format!("{id} (not in the store)"),
        })
    }
}

/// Writes CSV records (RFC 4180): fields that hold a comma, a quote or a line break are
/// quoted, quotes doubled; records end with CRLF.
pub struct CsvWriter<W: Write> {
    out: W,
}

impl<W: Write> CsvWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> CsvWriter<W> {
        CsvWriter { out }
    }

    /// Writes one record.
    pub fn record<S: AsRef<str>>(&mut self, fields: &[S]) -> io::Result<()> {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            let field = field.as_ref();
            if field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') {
                self.out.write_all(b"\"")?;
                self.out.write_all(field.replace('"', "\"\"").as_bytes())?;
                self.out.write_all(b"\"")?;
            } else {
                self.out.write_all(field.as_bytes())?;
            }
        }
        self.out.write_all(b"\r\n")
    }

    /// The writer back.
    #[cfg(test)]
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// A file that appears at its path only when it is complete: written to a temporary file
/// beside it, then renamed over it. Dropped without [`AtomicFile::commit`], the temporary file
/// is removed and the path keeps what it had.
pub struct AtomicFile {
    path: PathBuf,
    temp: PathBuf,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `path`.
    pub fn create(path: &Path) -> anyhow::Result<AtomicFile> {
        let name = path
            .file_name()
            .with_context(|| format!("{} is not a file path", path.display()))?;
        if path.is_dir() {
            anyhow::bail!("{} is a folder; give a file path", path.display());
        }
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.tmp", std::process::id()));
        let temp = path.with_file_name(temp_name);
        let file =
            File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp,
            file: Some(BufWriter::new(file)),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let file = file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", self.temp.display()))?;
        file.sync_all()
            .with_context(|| format!("cannot write {}", self.temp.display()))?;
        drop(file);
        fs::rename(&self.temp, &self.path).with_context(|| {
            format!(
                "cannot move {} to {}",
                self.temp.display(),
                self.path.display()
            )
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let mut w = CsvWriter::new(Vec::new());
        w.record(&["a", "b,c", "say \"hi\"", "two\nlines", ""])
            .unwrap();
        let out = String::from_utf8(w.into_inner()).unwrap();
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }

    #[test]
    fn shorten_counts_characters_not_bytes() {
        assert_eq!(
            shorten("Тоқаев  және\nМирзиёев", 100),
            "Тоқаев және Мирзиёев"
        );
        assert_eq!(shorten("Тоқаев және Мирзиёев", 8), "Тоқаев …");
    }

    #[test]
    fn labels_prefer_the_latin_text() {
        let label = serde_json::json!({"latin": "Tokayev, Tashkent", "names": ["Tokayev"]});
        assert_eq!(story_label(&label), "Tokayev, Tashkent");
        let label = serde_json::json!({"latin": "", "names": ["Tokayev", "Astana"]});
        assert_eq!(story_label(&label), "Tokayev, Astana");
        assert_eq!(
            story_label(&serde_json::json!("water talks")),
            "water talks"
        );
    }

    #[test]
    fn an_atomic_file_appears_only_when_committed() {
        let dir = std::env::temp_dir().join(format!("xabar-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.csv");
        fs::write(&path, "old").unwrap();
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }
}
