//! WARC files built here, record by record: pages in UTF-8, windows-1251 (declared only by
//! `<meta>`), KOI8-R (declared only by the HTTP header) and an undeclared one, next to records
//! that are not articles and records that are broken. The reader must yield every good page
//! as correct UTF-8, count the rest, report each broken record once, and go on after it.

use std::io::Write;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, KOI8_R, WINDOWS_1251};
use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use xabar_core::{Format, Language, RawArticle};
use xabar_ingest::warc::{NotArticle, Position, WarcProblem, WarcReader};
use xabar_ingest::{Input, ReadError, Reader};

const KAZAKH: &str = "Астанада су ресурстары жөніндегі келіссөздер өтті, деп хабарлады агенттік.";
const RUSSIAN_1251: &str =
    "Правительство утвердило проект бюджета на следующий год, сообщили в министерстве финансов.";
const RUSSIAN_KOI8: &str =
    "Центральный банк сохранил ключевую ставку, заявила председатель на пресс-конференции.";
const RUSSIAN_UNDECLARED: &str =
    "Жители района пожаловались на отключение горячей воды, которое длится уже третью неделю.";

fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn page(head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>\n"
    )
}

fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for header in headers {
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn record(kind: &str, uri: Option<&str>, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n",
        block.len()
    )
    .into_bytes();
    if let Some(uri) = uri {
        out.extend_from_slice(format!("WARC-Target-URI: {uri}\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(uri: &str, http_block: &[u8]) -> Vec<u8> {
    record(
        "response",
        Some(uri),
        "application/http; msgtype=response",
        http_block,
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The records of the acceptance file, in order, uncompressed. The last one is whole here;
/// the tests cut it.
fn acceptance_records() -> Vec<Vec<u8>> {
    let utf8 = page("<meta charset=\"utf-8\">", KAZAKH);
    let cp1251 = encode(
        &page("<meta charset=\"windows-1251\">", RUSSIAN_1251),
        WINDOWS_1251,
    );
    let koi8 = encode(&page("", RUSSIAN_KOI8), KOI8_R);
    vec![
        record(
            "warcinfo",
            None,
            "application/warc-fields",
            b"software: xabar tests\r\nformat: WARC File Format 1.1\r\n",
        ),
        record(
            "request",
            Some("https://kaz.example.kz/news/1"),
            "application/http; msgtype=request",
            b"GET /news/1 HTTP/1.1\r\nHost: kaz.example.kz\r\n\r\n",
        ),
        response(
            "https://kaz.example.kz/news/1",
            &http(
                "200 OK",
                &[
                    "Content-Type: text/html; charset=UTF-8",
                    "Content-Language: kk",
                ],
                utf8.as_bytes(),
            ),
        ),
        response(
            "https://example.ru/economy/budget",
            &http("200 OK", &["Content-Type: text/html"], &cp1251),
        ),
        response(
            "https://bank.example.ru/press",
            &http(
                "200 OK",
                &["Content-Type: text/html; charset=koi8-r"],
                &koi8,
            ),
        ),
        response(
            "https://example.ru/logo.png",
            &http(
                "200 OK",
                &["Content-Type: image/png"],
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
            ),
        ),
        response(
            "https://example.ru/last",
            &http(
                "200 OK",
                &["Content-Type: text/html; charset=utf-8"],
                page("", "Последняя запись обрывается на середине.").as_bytes(),
            ),
        ),
    ]
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xabar-warc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_path(path: &Path) -> (Vec<RawArticle>, Vec<ReadError>, Vec<String>) {
    let mut reader = Reader::new([Input::Path(path.to_path_buf())]);
    let mut articles = Vec::new();
    let mut errors = Vec::new();
    for item in reader.by_ref() {
        match item {
            Ok(article) => articles.push(article),
            Err(error) => errors.push(error),
        }
    }
    (articles, errors, reader.take_warnings())
}

fn check_good_pages(articles: &[RawArticle], file: &Path) {
    assert_eq!(articles.len(), 3, "{articles:#?}");
    let name = file.display().to_string();
    let expected = [
        (3, "https://kaz.example.kz/news/1", KAZAKH),
        (4, "https://example.ru/economy/budget", RUSSIAN_1251),
        (5, "https://bank.example.ru/press", RUSSIAN_KOI8),
    ];
    for (article, (record, url, text)) in articles.iter().zip(expected) {
        assert_eq!(article.source, format!("{name}:{record}"));
        assert_eq!(article.format, Format::Html);
        assert_eq!(article.url.as_deref(), Some(url));
        assert!(article.body.contains(text), "{}", article.body);
        // The crawl date is not a publication date.
        assert_eq!(article.published, None);
    }
    assert_eq!(articles[0].language, Some(Language::Kk));
}

#[test]
fn gzip_member_per_record_with_a_truncated_last_record() {
    let dir = temp_dir("members");
    let file = dir.join("crawl.warc.gz");
    let mut bytes = Vec::new();
    let records = acceptance_records();
    let last = records.len() - 1;
    for (i, record) in records.iter().enumerate() {
        let member = gzip(record);
        if i == last {
            bytes.extend_from_slice(&member[..member.len() / 2]);
        } else {
            bytes.extend_from_slice(&member);
        }
    }
    let truncated_member = bytes.len() - gzip(&records[last]).len() / 2;
    std::fs::write(&file, &bytes).unwrap();

    let (articles, errors, warnings) = read_path(&file);
    check_good_pages(&articles, &file);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let message = errors[0].to_string();
    match &errors[0] {
        ReadError::Warc { path, error } => {
            assert_eq!(path, &file.display().to_string());
            assert_eq!(error.record, 7);
            assert_eq!(
                error.at,
                Position::Gzip {
                    member: truncated_member as u64,
                    offset: 0
                }
            );
            assert_eq!(error.problem, WarcProblem::GzipTruncated);
        }
        other => panic!("{other}"),
    }
    assert!(message.contains("broken WARC record"), "{message}");
    assert_eq!(
        message,
        format!(
            "{}: broken WARC record (record 7 in the gzip member at byte {truncated_member}: truncated: the file ends inside the gzip member); skipped",
            file.display()
        )
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0],
        format!(
            "{}: 7 WARC records: 3 pages, 1 broken, 3 not articles (1 warcinfo, 1 request, 1 not HTML)",
            file.display()
        )
    );
}

#[test]
fn plain_warc_with_a_truncated_last_record() {
    let dir = temp_dir("plain");
    let file = dir.join("crawl.warc");
    let records = acceptance_records();
    let mut bytes: Vec<u8> = records[..records.len() - 1].concat();
    let last_start = bytes.len();
    let last = &records[records.len() - 1];
    bytes.extend_from_slice(&last[..last.len() - 40]);
    std::fs::write(&file, &bytes).unwrap();

    let (articles, errors, _) = read_path(&file);
    check_good_pages(&articles, &file);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let ReadError::Warc { error, .. } = &errors[0] else {
        panic!("{}", errors[0]);
    };
    assert_eq!(error.record, 7);
    assert_eq!(error.at, Position::Byte(last_start as u64));
    assert!(
        matches!(error.problem, WarcProblem::Truncated { got, expected } if got + 36 == expected),
        "{:?}",
        error.problem
    );
}

#[test]
fn whole_file_gzip_reads_the_same() {
    let records = acceptance_records();
    let bytes = gzip(&records.concat());
    let reader = WarcReader::new("one.warc.gz", &bytes[..]);
    let articles: Vec<RawArticle> = reader.map(|r| r.unwrap()).collect();
    assert_eq!(articles.len(), 4);
    assert!(articles[3].body.contains("Последняя запись"));
}

#[test]
fn a_corrupt_member_in_the_middle_is_reported_and_reading_goes_on() {
    let records = acceptance_records();
    let mut bytes = Vec::new();
    let mut corrupt_at = 0;
    for (i, record) in records.iter().enumerate() {
        let mut member = gzip(record);
        if i == 3 {
            // Damage the compressed data of the windows-1251 page.
            corrupt_at = bytes.len();
            let middle = member.len() / 2;
            for byte in &mut member[middle..middle + 8] {
                *byte ^= 0x5a;
            }
        }
        bytes.extend_from_slice(&member);
    }
    let mut reader = WarcReader::new("x.warc.gz", &bytes[..]);
    let items: Vec<_> = reader.by_ref().collect();
    let errors: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    let pages: Vec<_> = items.iter().filter_map(|i| i.as_ref().ok()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].record, 4);
    assert_eq!(
        errors[0].at,
        Position::Gzip {
            member: corrupt_at as u64,
            offset: 0
        }
    );
    let sources: Vec<&str> = pages.iter().map(|p| p.source.as_str()).collect();
    assert_eq!(sources, ["x.warc.gz:3", "x.warc.gz:5", "x.warc.gz:7"]);
    assert_eq!(reader.stats().records, 7);
    assert_eq!(reader.stats().broken, 1);
}

#[test]
fn a_bad_header_in_a_plain_file_is_skipped_to_the_next_record() {
    let records = acceptance_records();
    let mut bytes = Vec::new();
    let mut bad_at = 0;
    for (i, record) in records.iter().enumerate() {
        if i == 4 {
            bad_at = bytes.len();
            // A record whose Content-Length is not a number.
            let text = String::from_utf8_lossy(record).into_owned();
            let broken = text.replacen("Content-Length: ", "Content-Length: x", 1);
            bytes.extend_from_slice(broken.as_bytes());
        } else {
            bytes.extend_from_slice(record);
        }
    }
    let mut reader = WarcReader::new("x.warc", &bytes[..]);
    let items: Vec<_> = reader.by_ref().collect();
    let errors: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].record, 5);
    assert_eq!(errors[0].at, Position::Byte(bad_at as u64));
    assert!(matches!(errors[0].problem, WarcProblem::Header(_)));
    let sources: Vec<&str> = items
        .iter()
        .filter_map(|i| i.as_ref().ok())
        .map(|p| p.source.as_str())
        .collect();
    assert_eq!(sources, ["x.warc:3", "x.warc:4", "x.warc:7"]);
}

#[test]
fn the_next_record_is_found_across_a_buffer_boundary_after_a_broken_one() {
    let records = acceptance_records();
    let broken = String::from_utf8_lossy(&records[2])
        .replacen("Content-Length: ", "Content-Length: x", 1)
        .into_bytes();
    // The reader's buffer is 256 KB: put the next version line across its end, after
    // garbage without a line break.
    let boundary = 256 * 1024;
    let mut bytes = broken;
    bytes.resize(boundary - 3, b'#');
    bytes.extend_from_slice(&records[3]);
    let items: Vec<_> = WarcReader::new("x.warc", &bytes[..]).collect();
    assert_eq!(items.len(), 2, "{items:#?}");
    assert_eq!(items[0].as_ref().unwrap_err().record, 1);
    let page = items[1].as_ref().unwrap();
    assert_eq!(page.source, "x.warc:2");
    assert!(page.body.contains(RUSSIAN_1251));
}

#[test]
fn a_wrong_content_length_is_caught_at_the_record_end() {
    let mut first = acceptance_records()[2].clone();
    let text = String::from_utf8_lossy(&first).into_owned();
    let length: usize = text
        .split("Content-Length: ")
        .nth(1)
        .and_then(|t| t.split("\r\n").next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    first = text
        .replacen(
            &format!("Content-Length: {length}"),
            &format!("Content-Length: {}", length - 10),
            1,
        )
        .into_bytes();
    let bytes = [first, acceptance_records()[3].clone()].concat();
    let items: Vec<_> = WarcReader::new("x.warc", &bytes[..]).collect();
    assert_eq!(items.len(), 2, "{items:#?}");
    assert!(matches!(
        items[0].as_ref().map_err(|e| &e.problem),
        Err(WarcProblem::NoEnd)
    ));
    assert!(items[1].as_ref().unwrap().body.contains(RUSSIAN_1251));
}

#[test]
fn encodings_statuses_and_types_of_responses() {
    let undeclared = encode(&page("", RUSSIAN_UNDECLARED), WINDOWS_1251);
    let gzipped = gzip(page("", KAZAKH).as_bytes());
    let mut chunked = Vec::new();
    for piece in gzipped.chunks(40) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let deflated = {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::fast());
        encoder
            .write_all(page("", RUSSIAN_KOI8).as_bytes())
            .unwrap();
        encoder.finish().unwrap()
    };
    let bytes = [
        response(
            "https://news.example.ru/a",
            &http("200 OK", &["Content-Type: text/html"], &undeclared),
        ),
        response(
            "https://kaz.example.kz/b",
            &http(
                "200 OK",
                &[
                    "Content-Type: text/html; charset=utf-8",
                    "Transfer-Encoding: chunked",
                    "Content-Encoding: gzip",
                ],
                &chunked,
            ),
        ),
        response(
            "https://example.org/c",
            &http(
                "200 OK",
                &[
                    "Content-Type: application/xhtml+xml",
                    "Content-Encoding: deflate",
                ],
                &deflated,
            ),
        ),
        response(
            "https://example.org/moved",
            &http(
                "301 Moved Permanently",
                &["Location: /c", "Content-Type: text/html"],
                b"<html>moved</html>",
            ),
        ),
        response(
            "https://example.org/empty",
            &http("200 OK", &["Content-Type: text/html"], b"  \r\n"),
        ),
        response(
            "https://example.org/no-type",
            &http("200 OK", &[], page("", "Seite ohne Inhaltstyp.").as_bytes()),
        ),
        record(
            "resource",
            Some("file:///saved/page.html"),
            "text/html; charset=windows-1251",
            &encode(&page("", RUSSIAN_1251), WINDOWS_1251),
        ),
        record(
            "metadata",
            Some("https://example.org/c"),
            "application/warc-fields",
            b"via: x\r\n",
        ),
        record(
            "revisit",
            Some("https://example.org/c"),
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\n\r\n",
        ),
        response(
            "https://example.org/pdf",
            &http(
                "200 OK",
                &["Content-Type: application/pdf"],
                b"%PDF-1.7\n\0\0",
            ),
        ),
    ]
    .concat();
    let mut reader = WarcReader::new("mixed.warc", &bytes[..]);
    let pages: Vec<RawArticle> = reader.by_ref().map(|item| item.unwrap()).collect();
    let found: Vec<(&str, bool)> = pages
        .iter()
        .map(|p| (p.url.as_deref().unwrap_or(""), p.body.contains("</html>")))
        .collect();
    assert_eq!(
        found,
        [
            ("https://news.example.ru/a", true),
            ("https://kaz.example.kz/b", true),
            ("https://example.org/c", true),
            ("https://example.org/no-type", true),
            ("file:///saved/page.html", true),
        ]
    );
    assert!(
        pages[0].body.contains(RUSSIAN_UNDECLARED),
        "{}",
        pages[0].body
    );
    assert!(pages[1].body.contains(KAZAKH));
    assert!(pages[2].body.contains(RUSSIAN_KOI8));
    assert!(pages[4].body.contains(RUSSIAN_1251));
    let stats = reader.stats();
    assert_eq!(stats.records, 10);
    assert_eq!(stats.pages, 5);
    assert_eq!(stats.detected_charset, 1);
    assert_eq!(
        stats.not_articles,
        [
            (NotArticle::Status, 1),
            (NotArticle::Empty, 1),
            (NotArticle::Metadata, 1),
            (NotArticle::Revisit, 1),
            (NotArticle::NotHtml, 1),
        ]
    );
}

#[test]
fn warc_files_in_folders_and_on_standard_input_shapes() {
    let dir = temp_dir("folder");
    let records = acceptance_records();
    let good = &records[..records.len() - 1];
    let members: Vec<u8> = good.iter().flat_map(|r| gzip(r)).collect();
    std::fs::write(dir.join("a.warc.gz"), &members).unwrap();
    std::fs::write(
        dir.join("b.txt"),
        "A plain text article sits next to the archive.\n",
    )
    .unwrap();
    let (articles, errors, _) = read_path(&dir);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(articles.len(), 4);
    assert_eq!(articles[3].format, Format::Text);

    // In-memory input (like standard input) that starts like a WARC file is read as one.
    let mut reader = Reader::new([Input::Memory {
        name: "-".into(),
        bytes: members,
    }]);
    let sources: Vec<String> = reader.by_ref().map(|r| r.unwrap().source).collect();
    assert_eq!(sources, ["-:3", "-:4", "-:5"]);
    assert_eq!(reader.warc_stats().pages, 3);
}

#[test]
fn an_oversized_page_is_an_error_and_the_next_record_is_read() {
    let mut body = page("", "").into_bytes();
    body.resize(21 * 1024 * 1024, b' ');
    let big = response(
        "https://example.org/huge",
        &http("200 OK", &["Content-Type: text/html"], &body),
    );
    let bytes = [big, acceptance_records()[2].clone()].concat();
    let items: Vec<_> = WarcReader::new("big.warc", &bytes[..]).collect();
    assert_eq!(items.len(), 2);
    let error = items[0].as_ref().unwrap_err();
    assert_eq!(error.problem, WarcProblem::TooLarge);
    assert_eq!(
        error.to_string(),
        "record 1 at byte 0: the page is over the 20 MB limit"
    );
    assert!(items[1].as_ref().unwrap().body.contains(KAZAKH));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        for item in WarcReader::new("p.warc", &bytes[..]) {
            let _ = item;
        }
        let mut gz = vec![0x1f, 0x8b, 0x08];
        gz.extend_from_slice(&bytes);
        for item in WarcReader::new("p.warc.gz", &gz[..]) {
            let _ = item;
        }
        let mut warc = b"WARC/1.0\r\n".to_vec();
        warc.extend_from_slice(&bytes);
        for item in WarcReader::new("p.warc", &warc[..]) {
            let _ = item;
        }
    }

    #[test]
    fn damaged_archives_never_panic_and_every_record_is_accounted_for(
        cut in 0usize..100_000,
        flips in proptest::collection::vec((0usize..100_000, 1u8..=255), 0..6),
        compressed in any::<bool>(),
    ) {
        let records = acceptance_records();
        let mut bytes: Vec<u8> = if compressed {
            records.iter().flat_map(|r| gzip(r)).collect()
        } else {
            records.concat()
        };
        for (at, mask) in flips {
            let len = bytes.len();
            bytes[at % len] ^= mask;
        }
        let keep = cut % (bytes.len() + 1);
        bytes.truncate(keep);
        let mut reader = WarcReader::new("d.warc", &bytes[..]);
        let items = reader.by_ref().count();
        let stats = reader.stats();
        prop_assert_eq!(items, stats.pages + stats.broken);
        prop_assert_eq!(stats.records, stats.pages + stats.broken + stats.not_articles_total());
        // Damage can split records, but every record count comes from a header or a member.
        prop_assert!(stats.records <= 3 * records.len());
    }
}
