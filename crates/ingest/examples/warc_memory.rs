//! Memory and speed of WARC reading: builds a large WARC.gz in CC-NEWS shape (a gzip member
//! per record; per page a request, a response and a metadata record; now and then an image)
//! from the real pages of `../shared/eval/extraction/html/`, then reads it through
//! [`Reader`] in a child process and prints that process's peak resident memory (VmHWM) and
//! its records/s. The file is made at run time in a temporary folder and removed afterwards.
//!
//! ```text
//! cargo run --release -p xabar-ingest --example warc_memory -- [--size-mb 1024]
//!     [--pages ../shared/eval/extraction/html] [--file PATH] [--keep]
//! ```
//!
//! A measurement, not a test: nothing here asserts a figure.

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use xabar_ingest::{Input, Reader};

struct Options {
    size_mb: u64,
    pages: PathBuf,
    file: PathBuf,
    keep: bool,
    read: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        size_mb: 1024,
        pages: PathBuf::from("../shared/eval/extraction/html"),
        file: std::env::temp_dir().join("xabar-warc-memory.warc.gz"),
        keep: false,
        read: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--size-mb" => {
                options.size_mb = value()?
                    .parse()
                    .map_err(|_| "--size-mb takes a number".to_string())?
            }
            "--pages" => options.pages = PathBuf::from(value()?),
            "--file" => options.file = PathBuf::from(value()?),
            "--keep" => options.keep = true,
            "--read" => options.read = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let result = options().and_then(|options| match &options.read {
        Some(path) => read(path),
        None => build_and_measure(&options),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("warc_memory: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Peak resident memory of this process, in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The child: reads the file through the Reader, as `xabar analyze` does, and reports.
fn read(path: &Path) -> Result<(), String> {
    let started = Instant::now();
    let mut reader = Reader::new([Input::Path(path.to_path_buf())]);
    let (mut pages, mut errors, mut bytes) = (0usize, 0usize, 0usize);
    while let Some(item) = reader.next() {
        match item {
            Ok(article) => {
                pages += 1;
                bytes += article.body.len();
            }
            Err(error) => {
                errors += 1;
                eprintln!("{error}");
            }
        }
        reader.take_warnings();
    }
    let secs = started.elapsed().as_secs_f64();
    let stats = reader.warc_stats();
    let compressed = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "read {:.0} MB compressed: {} records ({} pages, {} errors) in {secs:.1} s: {:.0} records/s, {:.0} pages/s, {:.0} MB/s of decoded page text",
        compressed as f64 / 1e6,
        stats.records,
        pages,
        errors,
        stats.records as f64 / secs,
        pages as f64 / secs,
        bytes as f64 / 1e6 / secs,
    );
    match peak_rss_mb() {
        Some(mb) => println!("peak resident memory (VmHWM) of the reading process: {mb:.1} MB"),
        None => println!("peak resident memory: /proc/self/status is not readable here"),
    }
    Ok(())
}

fn load_pages(dir: &Path) -> Result<Vec<Vec<u8>>, String> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| {
            format!(
                "{}: {e} (the pages come from ../shared/eval/extraction/html)",
                dir.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    let mut pages = Vec::new();
    for path in paths {
        let mut page = Vec::new();
        File::open(&path)
            .and_then(|f| GzDecoder::new(f).read_to_end(&mut page))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        pages.push(page);
    }
    if pages.is_empty() {
        return Err(format!("no .html.gz pages in {}", dir.display()));
    }
    Ok(pages)
}

fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// Writes `record` as one gzip member; returns its compressed size.
fn member(out: &mut impl Write, record: &[u8]) -> Result<u64, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(record).map_err(|e| e.to_string())?;
    let member = encoder.finish().map_err(|e| e.to_string())?;
    out.write_all(&member).map_err(|e| e.to_string())?;
    Ok(member.len() as u64)
}

fn build(options: &Options) -> Result<(usize, u64), String> {
    let pages = load_pages(&options.pages)?;
    let file =
        File::create(&options.file).map_err(|e| format!("{}: {e}", options.file.display()))?;
    let mut out = BufWriter::new(file);
    let target = options.size_mb * 1024 * 1024;
    let mut written = member(
        &mut out,
        &record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: xabar warc_memory\r\n",
        ),
    )?;
    let mut records = 1;
    let mut noise = 0x2545_f491_4f6c_dd1du64;
    let mut i = 0usize;
    while written < target {
        let page = &pages[i % pages.len()];
        let uri = format!("https://news.example.ru/{}/{i}", i % pages.len());
        let request =
            format!("GET /{i} HTTP/1.1\r\nHost: news.example.ru\r\nUser-Agent: xabar\r\n\r\n");
        written += member(
            &mut out,
            &record(
                "request",
                &uri,
                "application/http; msgtype=request",
                request.as_bytes(),
            ),
        )?;
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            page.len()
        )
        .into_bytes();
        http.extend_from_slice(page);
        written += member(
            &mut out,
            &record(
                "response",
                &uri,
                "application/http; msgtype=response",
                &http,
            ),
        )?;
        written += member(
            &mut out,
            &record(
                "metadata",
                &uri,
                "application/warc-fields",
                b"fetchTimeMs: 120\r\ncharset-detected: UTF-8\r\n",
            ),
        )?;
        records += 3;
        if i % 8 == 7 {
            // An image: 16 KB that do not compress, as real images do not.
            let mut image = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n".to_vec();
            for _ in 0..2048 {
                noise ^= noise << 13;
                noise ^= noise >> 7;
                noise ^= noise << 17;
                image.extend_from_slice(&noise.to_le_bytes());
            }
            let uri = format!("https://news.example.ru/img/{i}.jpg");
            written += member(
                &mut out,
                &record(
                    "response",
                    &uri,
                    "application/http; msgtype=response",
                    &image,
                ),
            )?;
            records += 1;
        }
        i += 1;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok((records, written))
}

fn build_and_measure(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let (records, written) = build(options)?;
    println!(
        "built {} ({:.0} MB, {records} records, a gzip member each) in {:.1} s",
        options.file.display(),
        written as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let status = Command::new(exe)
        .arg("--read")
        .arg(&options.file)
        .status()
        .map_err(|e| e.to_string())?;
    if !options.keep {
        let _ = fs::remove_file(&options.file);
    }
    if status.success() {
        Ok(())
    } else {
        Err("the reading process failed".into())
    }
}
