//! Feeds end to end: RSS and Atom documents, and fetching them (and the pages they link to)
//! from a local HTTP server on loopback that each test starts itself. Never the internet.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use xabar_core::{Format, Language};
use xabar_ingest::feed::{
    FeedClient, FeedError, FeedFetch, FeedKind, FetchOptions, parse_feed, read_feed_file,
};

/// A canned HTTP answer.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// How long to wait before answering at all.
    delay: Duration,
}

impl Answer {
    fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status: 200,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    fn status(status: u16) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type", "text/html".to_string())],
            body: format!("<html><body>error {status}</body></html>").into_bytes(),
            delay: Duration::ZERO,
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Answer {
        self.headers.push((name, value.into()));
        self
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    /// Header names in lower case.
    headers: HashMap<String, String>,
}

/// A loopback HTTP/1.1 server answering each connection in its own thread, then closing it.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(handler: impl Fn(&Seen) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                std::thread::spawn(move || answer(stream, &*handler, &log));
            }
        });
        Server { base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("request log").clone()
    }
}

fn answer(stream: TcpStream, handler: &dyn Fn(&Seen) -> Answer, log: &Mutex<Vec<Seen>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':') {
                    headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
                }
            }
        }
    }
    let seen = Seen { path, headers };
    log.lock().expect("request log").push(seen.clone());
    let answer = handler(&seen);
    std::thread::sleep(answer.delay);
    let mut head = format!(
        "HTTP/1.1 {} Canned\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = &stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&answer.body);
    let _ = stream.flush();
}

fn quick_options() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        host_delay: Duration::ZERO,
        ..FetchOptions::default()
    }
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xabar-feed-test-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn fetched(result: Result<FeedFetch, FeedError>) -> (String, xabar_ingest::feed::Feed) {
    match result {
        Ok(FeedFetch::Fetched { url, feed }) => (url, feed),
        other => panic!("expected a fetched feed, got {other:?}"),
    }
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Вечерний &laquo;Курьер&raquo;</title>
    <link>/</link>
    <language>ru-RU</language>
    <atom:link href="/rss.xml" rel="self" type="application/rss+xml"/>
    <image><title>Logo, not the outlet</title><url>/logo.png</url></image>
    <item>
      <title>Парламент принял бюджет на 2026 год</title>
      <link>/news/2025/09/budget.html</link>
      <guid isPermaLink="false">budget-2026</guid>
      <pubDate>Пт, 12 сен 2025 10:00:00 +0300</pubDate>
      <dc:creator>Иван Петров</dc:creator>
      <category>Политика</category>
      <description>Короткое описание.</description>
      <content:encoded><![CDATA[<p>Депутаты приняли бюджет.</p><p>Расходы выросли на&nbsp;5%.</p>
        <figure><img src="/a.jpg"><figcaption>Фото: пресс-служба</figcaption></figure>]]></content:encoded>
    </item>
    <item>
      <title>Second &amp;amp; last</title>
      <link>news/second.html</link>
      <pubDate>12 Sep 2025 23:30:00 GMT</pubDate>
      <author>desk@example.com (Anna Schmidt)</author>
      <description>&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt; summary.&lt;/p&gt;</description>
    </item>
    <item>
      <title>No text at all</title>
      <guid>https://elsewhere.example/third</guid>
    </item>
  </channel>
</rss>
"#;

mod feed_documents {
    use super::*;

    #[test]
    fn rss_items_with_relative_links_from_a_file() {
        let feed = parse_feed(
            RSS.as_bytes(),
            Some("https://kurier.example/feeds/rss.xml"),
            "k",
        )
        .expect("feed");
        assert_eq!(feed.kind, FeedKind::Rss);
        assert_eq!(feed.title.as_deref(), Some("Вечерний «Курьер»"));
        assert_eq!(feed.link.as_deref(), Some("https://kurier.example/"));
        assert_eq!(feed.language, Some(Language::Ru));
        assert_eq!(feed.items.len(), 3);
        let first = &feed.items[0];
        assert_eq!(first.source, "k#1");
        assert_eq!(
            first.link.as_deref(),
            Some("https://kurier.example/news/2025/09/budget.html")
        );
        assert_eq!(first.published, ymd(2025, 9, 12));
        assert_eq!(first.authors, ["Иван Петров"]);
        assert_eq!(first.categories, ["Политика"]);
        assert_eq!(first.id.as_deref(), Some("budget-2026"));
        assert_eq!(first.outlet.as_deref(), Some("Вечерний «Курьер»"));
        let second = &feed.items[1];
        assert_eq!(
            second.link.as_deref(),
            Some("https://kurier.example/feeds/news/second.html"),
            "relative to the feed's URL"
        );
        assert_eq!(second.title.as_deref(), Some("Second & last"));
        assert_eq!(second.authors, ["Anna Schmidt"]);
        assert_eq!(
            feed.items[2].link.as_deref(),
            Some("https://elsewhere.example/third"),
            "a permalink guid stands in for a missing link"
        );
    }

    #[test]
    fn items_become_articles() {
        let feed = parse_feed(RSS.as_bytes(), None, "kurier.rss").expect("feed");
        let mut items = feed.items.into_iter();
        let article = items
            .next()
            .expect("item")
            .into_raw_article()
            .expect("article");
        assert_eq!(article.format, Format::Text);
        assert_eq!(
            article.body, "Депутаты приняли бюджет.\n\nРасходы выросли на 5%.",
            "full content over the summary; the caption is dropped"
        );
        assert_eq!(article.source, "kurier.rss#1");
        assert_eq!(article.url.as_deref(), Some("/news/2025/09/budget.html"));
        assert_eq!(
            article.title.as_deref(),
            Some("Парламент принял бюджет на 2026 год")
        );
        assert_eq!(article.outlet.as_deref(), Some("Вечерний «Курьер»"));
        assert_eq!(article.language, Some(Language::Ru));
        assert_eq!(article.authors, ["Иван Петров"]);
        let second = items
            .next()
            .expect("item")
            .into_raw_article()
            .expect("article");
        assert_eq!(second.body, "Escaped HTML summary.");
        let empty = items.next().expect("item").into_raw_article();
        let Err(error) = empty else {
            panic!("an item with no text must fail: {empty:?}");
        };
        assert!(matches!(error, FeedError::EmptyItem { .. }));
        assert!(
            error
                .to_string()
                .starts_with("kurier.rss#3: the feed item has no text")
        );
    }

    #[test]
    fn atom_with_xml_base_and_text_constructs() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="kk" xml:base="https://habar.example/kk/">
  <title type="text">Habar &amp; Co</title>
  <link rel="self" href="https://habar.example/atom.xml"/>
  <link rel="alternate" type="text/html" href="./"/>
  <author><name>Редакция</name></author>
  <entry>
    <title type="html">&lt;b&gt;Астана&lt;/b&gt; жаңалықтары</title>
    <link rel="enclosure" href="media/photo.jpg"/>
    <link rel="alternate" href="news/1"/>
    <id>tag:habar.example,2025:1</id>
    <published>2025-09-12T08:00:00+05:00</published>
    <updated>2025-09-13T09:00:00+05:00</updated>
    <author><name>Айгүл Серікқызы</name><email>a@habar.example</email></author>
    <category term="saiasat" label="Саясат"/>
    <summary>Қысқаша.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Бірінші абзац.</p><p>Екінші &amp; соңғы.</p></div></content>
  </entry>
  <entry xml:base="/archive/">
    <title>Only updated</title>
    <link href="2.html"/>
    <updated>2025-09-10T00:00:00Z</updated>
    <content type="text">Plain &lt;b&gt; is not a tag here.</content>
    <source><title>Another feed</title><author><name>Not this one</name></author></source>
  </entry>
</feed>"#;
        let feed =
            parse_feed(atom.as_bytes(), Some("https://ignored.example/"), "a").expect("feed");
        assert_eq!(feed.kind, FeedKind::Atom);
        assert_eq!(feed.title.as_deref(), Some("Habar & Co"));
        assert_eq!(feed.link.as_deref(), Some("https://habar.example/kk/"));
        assert_eq!(feed.language, Some(Language::Kk));
        let first = &feed.items[0];
        assert_eq!(first.title.as_deref(), Some("Астана жаңалықтары"));
        assert_eq!(
            first.link.as_deref(),
            Some("https://habar.example/kk/news/1")
        );
        assert_eq!(first.published, ymd(2025, 9, 12));
        assert_eq!(first.updated, ymd(2025, 9, 13));
        assert_eq!(first.authors, ["Айгүл Серікқызы"]);
        assert_eq!(first.categories, ["Саясат"]);
        assert_eq!(
            first.text().as_deref(),
            Some("Бірінші абзац.\n\nЕкінші & соңғы.")
        );
        let article = first.clone().into_raw_article().expect("article");
        assert_eq!(article.published, ymd(2025, 9, 12));
        assert_eq!(article.modified, ymd(2025, 9, 13));

        let second = &feed.items[1];
        assert_eq!(
            second.link.as_deref(),
            Some("https://habar.example/archive/2.html")
        );
        assert_eq!(
            second.authors,
            ["Редакция"],
            "the feed's author, not the source's"
        );
        assert_eq!(second.title.as_deref(), Some("Only updated"));
        assert_eq!(
            second.text().as_deref(),
            Some("Plain <b> is not a tag here.")
        );
        let article = second.clone().into_raw_article().expect("article");
        assert_eq!(article.published, ymd(2025, 9, 10), "updated stands in");
        assert_eq!(article.modified, None);
    }

    #[test]
    fn rss_1_0_rdf_from_a_file() {
        let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://zeitung.example/">
    <title>Die Zeitung</title><link>https://zeitung.example/</link><dc:language>de</dc:language>
  </channel>
  <item rdf:about="https://zeitung.example/a">
    <title>Haushalt beschlossen</title>
    <description>Der Bundestag hat den Haushalt beschlossen.</description>
    <dc:date>2025-09-12T10:00:00+02:00</dc:date>
    <dc:creator>Anna Schmidt</dc:creator>
  </item>
</rdf:RDF>"#;
        let path = super::temp_path("zeitung.rdf");
        std::fs::write(&path, rdf).expect("write");
        let feed = read_feed_file(&path).expect("feed");
        assert_eq!(feed.kind, FeedKind::Rdf);
        assert_eq!(feed.language, Some(Language::De));
        let item = &feed.items[0];
        assert_eq!(item.link.as_deref(), Some("https://zeitung.example/a"));
        assert_eq!(item.published, ymd(2025, 9, 12));
        assert_eq!(item.source, format!("{}#1", path.display()));
        let missing = read_feed_file(&super::temp_path("missing.rss"));
        assert!(matches!(missing, Err(FeedError::Io { .. })), "{missing:?}");
    }

    #[test]
    fn windows_1251_feed_is_decoded() {
        let xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<rss version=\"2.0\">\
                   <channel><title>Новости Бишкека</title><item><title>Жогорку Кенеш принял закон</title>\
                   <link>https://kg.example/1</link><description>Депутаты проголосовали «за».</description>\
                   </item></channel></rss>";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(xml);
        assert!(!unmappable);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the test bytes must not be UTF-8"
        );
        let feed = parse_feed(&bytes, None, "kg.rss").expect("feed");
        assert_eq!(feed.title.as_deref(), Some("Новости Бишкека"));
        assert_eq!(
            feed.items[0].title.as_deref(),
            Some("Жогорку Кенеш принял закон")
        );
        assert_eq!(
            feed.items[0].text().as_deref(),
            Some("Депутаты проголосовали «за».")
        );
    }

    #[test]
    fn odd_pub_dates() {
        let dates = [
            ("Fri, 12 Sep 2025 10:00:00 GMT", ymd(2025, 9, 12)),
            ("12 Sep 2025 10:00:00 +0300", ymd(2025, 9, 12)),
            ("Tue, 2 Sep 2025 7:05:00 MSK", ymd(2025, 9, 2)),
            ("Mon, 01 Sept 2025 10:00 UTC", ymd(2025, 9, 1)),
            ("Fri, 12 Sep 25 10:00:00 EST", ymd(2025, 9, 12)),
            ("12 сентября 2025 г. 10:00", ymd(2025, 9, 12)),
            ("Чт, 11 сен 2025 22:15:00 +0500", ymd(2025, 9, 11)),
            ("2025-09-12 10:00:00", ymd(2025, 9, 12)),
            ("12.09.2025 10:00:00", ymd(2025, 9, 12)),
            ("Fri Sep 12 2025 10:00:00 GMT+0300 (MSK)", ymd(2025, 9, 12)),
            ("yesterday", None),
        ];
        let mut xml = String::from("<rss><channel>");
        for (date, _) in dates {
            xml.push_str(&format!(
                "<item><title>t</title><pubDate>{date}</pubDate></item>"
            ));
        }
        // An unreadable pubDate with a dc:date beside it: the dc:date is used.
        xml.push_str(
            "<item xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><pubDate>когда-то</pubDate>\
             <dc:date>2025-08-31</dc:date></item></channel></rss>",
        );
        let feed = parse_feed(xml.as_bytes(), None, "dates").expect("feed");
        for ((text, want), item) in dates.iter().zip(&feed.items) {
            assert_eq!(item.published, *want, "{text}");
        }
        assert_eq!(feed.items[dates.len()].published, ymd(2025, 8, 31));
    }

    #[test]
    fn not_feeds() {
        let html = b"<!DOCTYPE html><html><head><title>News</title></head><body></body></html>";
        let error = parse_feed(html, None, "page.xml").expect_err("html");
        assert!(matches!(error, FeedError::NotAFeed { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "page.xml: not an RSS or Atom feed: it is an HTML page"
        );
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>"#;
        let error = parse_feed(svg, None, "x.xml").expect_err("svg");
        assert!(
            error.to_string().contains("root element is <svg>"),
            "{error}"
        );
        let error = parse_feed(b"{\"items\": []}", None, "x.json").expect_err("json");
        assert!(error.to_string().contains("not XML"), "{error}");
        let error = parse_feed(b"\x00\x01\x02binary", None, "x.bin").expect_err("binary");
        assert!(error.to_string().contains("binary data"), "{error}");
    }

    #[test]
    fn broken_xml_keeps_the_items_before_the_break() {
        let xml = "<rss><channel><title>T</title>\
                   <item><title>One</title><description>First &nbsp; text</description></item>\
                   <item><title>Two</title><description>Second</description></item>\
                   <item><title>Three</title><desc";
        let feed = parse_feed(xml.as_bytes(), None, "cut.rss").expect("feed");
        assert_eq!(feed.items.len(), 2);
        assert_eq!(feed.items[0].text().as_deref(), Some("First text"));
        assert_eq!(feed.problems.len(), 1, "{:?}", feed.problems);
        assert!(
            feed.problems[0].contains("items after it are lost"),
            "{:?}",
            feed.problems
        );

        let error = parse_feed(b"<rss><channel><title>T</ti", None, "bad.rss").expect_err("bad");
        assert!(matches!(error, FeedError::Malformed { .. }), "{error:?}");
    }

    #[test]
    fn unescaped_markup_and_undeclared_prefixes() {
        let xml = "<rss><channel><item><title>Raw</title>\
                   <description><p>Raw <b>markup</b> &amp; more</p><p>Two</p></description>\
                   <dc:creator>Мария Сидорова</dc:creator>\
                   <yandex:full-text>Полный текст статьи.</yandex:full-text>\
                   </item></channel></rss>";
        let feed = parse_feed(xml.as_bytes(), None, "raw.rss").expect("feed");
        let item = &feed.items[0];
        assert_eq!(item.authors, ["Мария Сидорова"]);
        assert_eq!(item.content.as_deref(), Some("Полный текст статьи."));
        assert_eq!(
            item.summary.as_deref(),
            Some("<p>Raw <b>markup</b> &amp; more</p><p>Two</p>")
        );
    }
}

mod feed_fetching {
    use super::*;

    fn rss_server() -> Server {
        Server::start(|seen| match seen.path.as_str() {
            "/feeds/rss.xml" => Answer::ok("application/rss+xml; charset=utf-8", RSS),
            _ => Answer::status(404),
        })
    }

    #[test]
    fn rss_over_http_resolves_links_against_the_feed_url() {
        let server = rss_server();
        let mut client = FeedClient::new(quick_options());
        let feed_url = server.url("/feeds/rss.xml");
        let (url, feed) = fetched(client.fetch_feed(&feed_url));
        assert_eq!(url, feed_url);
        assert_eq!(feed.items.len(), 3);
        assert_eq!(
            feed.items[0].link.as_deref(),
            Some(server.url("/news/2025/09/budget.html").as_str())
        );
        assert_eq!(
            feed.items[1].link.as_deref(),
            Some(server.url("/feeds/news/second.html").as_str())
        );
        assert_eq!(feed.items[0].source, format!("{feed_url}#1"));
        let request = &server.requests()[0];
        let agent = request.headers.get("user-agent").expect("user agent");
        assert!(agent.starts_with("xabar/"), "{agent}");
        assert!(
            request
                .headers
                .get("accept")
                .is_some_and(|a| a.contains("rss+xml"))
        );
        assert!(
            !request.headers.contains_key("if-none-match"),
            "no cache, no conditional request"
        );
    }

    #[test]
    fn atom_over_http_after_a_redirect() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
            <entry><title>E</title><link href="../posts/e.html"/><id>e</id>
            <updated>2025-09-12T10:00:00Z</updated><summary>S.</summary></entry></feed>"#;
        let server = Server::start(move |seen| match seen.path.as_str() {
            "/old" => Answer::status(301).header("Location", "/feeds/v2/atom.xml"),
            "/feeds/v2/atom.xml" => Answer::ok("application/atom+xml", atom),
            "/loop" => Answer::status(302).header("Location", "/loop"),
            _ => Answer::status(404),
        });
        let mut client = FeedClient::new(quick_options());
        let (url, feed) = fetched(client.fetch_feed(&server.url("/old")));
        assert_eq!(url, server.url("/feeds/v2/atom.xml"));
        assert_eq!(feed.kind, FeedKind::Atom);
        assert_eq!(
            feed.items[0].link.as_deref(),
            Some(server.url("/feeds/posts/e.html").as_str()),
            "relative to where the feed was found"
        );
        let error = client.fetch_feed(&server.url("/loop")).expect_err("loop");
        assert!(
            matches!(error, FeedError::TooManyRedirects { limit: 5, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn second_fetch_is_not_modified_by_etag() {
        let server = Server::start(|seen| {
            if seen.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
                return Answer::status(304);
            }
            Answer::ok("application/rss+xml", RSS)
                .header("ETag", "\"v1\"")
                .header("Last-Modified", "Fri, 12 Sep 2025 10:00:00 GMT")
        });
        let cache = temp_path("etag/feeds.json");
        let options = FetchOptions {
            cache_path: Some(cache.clone()),
            ..quick_options()
        };
        let url = server.url("/rss.xml");
        let (_, feed) = fetched(FeedClient::new(options.clone()).fetch_feed(&url));
        assert_eq!(feed.items.len(), 3);
        let saved = std::fs::read_to_string(&cache).expect("cache written");
        let saved: serde_json::Value = serde_json::from_str(&saved).expect("cache is JSON");
        assert_eq!(saved["feeds"][&url]["etag"], "\"v1\"");

        // A new client, as in the next run, reads the cache back.
        let mut client = FeedClient::new(options);
        let outcome = client.fetch_feed(&url).expect("fetch");
        assert_eq!(outcome, FeedFetch::NotModified { url: url.clone() });
        assert!(client.take_warnings().is_empty());
        let second = &server.requests()[1];
        assert_eq!(
            second.headers.get("if-none-match").map(String::as_str),
            Some("\"v1\"")
        );
        assert_eq!(
            second.headers.get("if-modified-since").map(String::as_str),
            Some("Fri, 12 Sep 2025 10:00:00 GMT")
        );
        let leftovers: Vec<_> = std::fs::read_dir(cache.parent().expect("dir"))
            .expect("dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }

    #[test]
    fn second_fetch_is_not_modified_by_last_modified() {
        let stamp = "Sat, 13 Sep 2025 08:00:00 GMT";
        let server = Server::start(move |seen| {
            if seen.headers.get("if-modified-since").map(String::as_str) == Some(stamp) {
                return Answer::status(304);
            }
            Answer::ok("text/xml", RSS).header("Last-Modified", stamp)
        });
        let cache = temp_path("last-modified.json");
        std::fs::write(&cache, "not json").expect("write");
        let mut client = FeedClient::new(FetchOptions {
            cache_path: Some(cache.clone()),
            ..quick_options()
        });
        let warnings = client.take_warnings();
        assert!(
            warnings.len() == 1 && warnings[0].contains("not a feed cache"),
            "{warnings:?}"
        );
        let url = server.url("/feed");
        fetched(client.fetch_feed(&url));
        let again = client.fetch_feed(&url).expect("fetch");
        assert!(matches!(again, FeedFetch::NotModified { .. }), "{again:?}");
        assert!(!server.requests()[1].headers.contains_key("if-none-match"));
    }

    #[test]
    fn slow_server_times_out() {
        let server = Server::start(|_| Answer {
            delay: Duration::from_secs(3),
            ..Answer::ok("application/rss+xml", RSS)
        });
        let mut client = FeedClient::new(FetchOptions {
            timeout: Duration::from_secs(1),
            ..quick_options()
        });
        let url = server.url("/slow.xml");
        let started = Instant::now();
        let error = client.fetch_feed(&url).expect_err("timeout");
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(error, FeedError::Timeout { .. }), "{error:?}");
        assert!(error.is_transient());
        let message = error.to_string();
        assert!(
            message.starts_with(&url) && message.contains("timed out"),
            "{message}"
        );
    }

    #[test]
    fn follow_fetches_pages_and_a_404_fails_alone() {
        let feed = r#"<rss><channel><title>Daily</title>
            <item><title>A</title><link>/a.html</link><pubDate>Fri, 12 Sep 2025 10:00:00 GMT</pubDate>
              <author>x@daily.example (Tom Lee)</author></item>
            <item><title>B</title><link>/b.html</link></item>
            <item><title>C</title><link>/c.html</link></item>
            <item><title>D, no link</title></item>
            </channel></rss>"#;
        let page_c = "<html><head><meta charset=\"windows-1251\"><title>C</title></head>\
                      <body><p>Страница в кодировке windows-1251.</p></body></html>";
        let (page_c, _, _) = encoding_rs::WINDOWS_1251.encode(page_c);
        let page_c = page_c.into_owned();
        let server = Server::start(move |seen| match seen.path.as_str() {
            "/feed.xml" => Answer::ok("application/rss+xml", feed),
            "/a.html" => Answer::ok(
                "text/html; charset=utf-8",
                "<html><body><p>A.</p></body></html>",
            ),
            "/c.html" => Answer::ok("text/html", page_c.clone()),
            _ => Answer::status(404),
        });
        let mut client = FeedClient::new(quick_options());
        let feed_url = server.url("/feed.xml");
        let (_, feed) = fetched(client.fetch_feed(&feed_url));
        let pages: Vec<_> = feed
            .items
            .iter()
            .map(|item| client.fetch_item_page(item))
            .collect();

        let a = pages[0].as_ref().expect("page a");
        assert_eq!(a.format, Format::Html);
        assert_eq!(a.body, "<html><body><p>A.</p></body></html>");
        assert_eq!(a.url.as_deref(), Some(server.url("/a.html").as_str()));
        assert_eq!(a.title.as_deref(), Some("A"));
        assert_eq!(a.published, ymd(2025, 9, 12));
        assert_eq!(a.authors, ["Tom Lee"]);
        assert_eq!(a.outlet.as_deref(), Some("Daily"));
        assert_eq!(a.source, format!("{feed_url}#1"));

        let Err(b) = &pages[1] else {
            panic!("the 404 page must fail: {:?}", pages[1]);
        };
        assert!(matches!(b, FeedError::Status { status: 404, .. }), "{b:?}");
        assert!(!b.is_transient());
        assert_eq!(
            b.to_string(),
            format!(
                "{}: the server answered HTTP 404 Not Found",
                server.url("/b.html")
            )
        );

        let c = pages[2].as_ref().expect("page c, after the failed one");
        assert!(
            c.body.contains("Страница в кодировке windows-1251."),
            "{}",
            c.body
        );

        assert!(
            matches!(pages[3], Err(FeedError::NoLink { .. })),
            "{:?}",
            pages[3]
        );
    }

    #[test]
    fn html_page_given_as_a_feed() {
        let server = Server::start(|seen| match seen.path.as_str() {
            "/" => Answer::ok(
                "text/html; charset=utf-8",
                "<!doctype html>\n<html lang=\"ru\"><head><title>Главная</title>\
                 <link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"/rss\">\
                 </head><body><h1>Новости</h1></body></html>",
            ),
            _ => Answer::status(404),
        });
        let mut client = FeedClient::new(quick_options());
        let url = server.url("/");
        let error = client.fetch_feed(&url).expect_err("not a feed");
        assert_eq!(
            error.to_string(),
            format!(
                "{url}: not an RSS or Atom feed: it is an HTML page; the page names a feed at {}",
                server.url("/rss")
            )
        );
    }

    #[test]
    fn windows_1251_feed_over_http_without_a_declared_charset() {
        let xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel>\
                   <title>Вести</title><item><title>Заголовок новости</title></item></channel></rss>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(xml);
        let bytes = bytes.into_owned();
        let server = Server::start(move |_| Answer::ok("text/xml", bytes.clone()));
        let mut client = FeedClient::new(quick_options());
        let (_, feed) = fetched(client.fetch_feed(&server.url("/rss")));
        assert_eq!(feed.items[0].title.as_deref(), Some("Заголовок новости"));
    }

    #[test]
    fn gzip_answers_are_decompressed() {
        use flate2::{Compression, write::GzEncoder};
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(RSS.as_bytes()).expect("gzip");
        let gz = encoder.finish().expect("gzip");
        let server = Server::start(move |seen| {
            let accepts = seen
                .headers
                .get("accept-encoding")
                .is_some_and(|a| a.contains("gzip"));
            if accepts {
                Answer::ok("application/rss+xml", gz.clone()).header("Content-Encoding", "gzip")
            } else {
                Answer::status(406)
            }
        });
        let mut client = FeedClient::new(quick_options());
        let (_, feed) = fetched(client.fetch_feed(&server.url("/rss.xml")));
        assert_eq!(feed.items.len(), 3);
    }

    #[test]
    fn requests_to_one_host_are_spaced() {
        let server = rss_server();
        let mut client = FeedClient::new(FetchOptions {
            host_delay: Duration::from_millis(400),
            ..quick_options()
        });
        let url = server.url("/feeds/rss.xml");
        fetched(client.fetch_feed(&url));
        let started = Instant::now();
        fetched(client.fetch_feed(&url));
        assert!(
            started.elapsed() >= Duration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn size_limit_and_bad_urls_and_refused_connections() {
        let server = Server::start(|_| Answer::ok("application/rss+xml", vec![b' '; 5_000]));
        let mut client = FeedClient::new(FetchOptions {
            max_bytes: 1_000,
            ..quick_options()
        });
        let error = client
            .fetch_feed(&server.url("/big.xml"))
            .expect_err("too large");
        assert!(
            matches!(error, FeedError::TooLarge { limit: 1_000, .. }),
            "{error:?}"
        );

        let error = client
            .fetch_feed("ftp://example.com/feed")
            .expect_err("scheme");
        assert!(
            error
                .to_string()
                .contains("give an http:// or https:// URL"),
            "{error}"
        );
        let error = client.fetch_feed("not a url").expect_err("url");
        assert!(matches!(error, FeedError::InvalidUrl { .. }), "{error:?}");

        // A port that was just free: nothing listens there.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let error = client
            .fetch_feed(&format!("http://127.0.0.1:{port}/rss"))
            .expect_err("refused");
        assert!(matches!(error, FeedError::Connect { .. }), "{error:?}");
        assert!(error.is_transient());
    }

    #[test]
    fn a_page_that_is_not_html() {
        let server = Server::start(|_| Answer::ok("application/pdf", b"%PDF-1.7".to_vec()));
        let mut client = FeedClient::new(quick_options());
        let error = client.fetch_page(&server.url("/doc.pdf")).expect_err("pdf");
        assert!(
            error
                .to_string()
                .contains("not an HTML page (Content-Type application/pdf)")
        );
    }
}

mod feed_arbitrary {
    use proptest::prelude::*;
    use xabar_ingest::feed::{parse_date, parse_feed};

    proptest! {
        #[test]
        fn parse_feed_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
            let _ = parse_feed(&bytes, Some("http://127.0.0.1/feed"), "p");
        }

        #[test]
        fn parse_feed_never_panics_inside_items(
            body in "[<>&;/a-zA-Zа-я0-9 \"'=!\\[\\]#:-]{0,200}",
            tag in "(title|link|description|content:encoded|pubDate|dc:creator|guid|category|content|summary|author)",
        ) {
            for wrapper in [
                format!("<rss><channel><item><{tag}>{body}</{tag}></item></channel></rss>"),
                format!("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><{tag} type=\"xhtml\">{body}</{tag}></entry></feed>"),
                format!("<rss><channel><item><{tag}><![CDATA[{body}]]></{tag}></item>"),
            ] {
                if let Ok(feed) = parse_feed(wrapper.as_bytes(), None, "p") {
                    for item in feed.items {
                        let _ = item.text();
                        let _ = item.into_raw_article();
                    }
                }
            }
        }

        #[test]
        fn parse_date_never_panics(text in "\\PC{0,60}") {
            let _ = parse_date(&text);
        }
    }
}
