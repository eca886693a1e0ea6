//! HTML pages: the article's main text and the page's metadata.
//!
//! [`extract`] parses a page with html5ever (the WHATWG parsing algorithm browsers use, so
//! broken markup is read the way a browser shows it), finds the story's body among the page's
//! navigation, menus, link lists, comments, share bars, cookie banners, captions and ads, and
//! reads the title, dates, authors, outlet, canonical URL and declared language.
//!
//! The body is found by general rules (see `body.rs`): the element whose blocks are most
//! prose and least links and furniture holds the story; inside it, blocks are kept by their own
//! features and those of their neighbours. Names of page parts in class and id attributes
//! ("share-bar", "comments", "related") are data (`data/html/boilerplate.txt`), not rules
//! about any one site. Metadata comes from JSON-LD, meta tags, `<time>`, the URL and the text
//! near the headline, in that order of trust (see `meta.rs`). Scripts and style sheets, often
//! more than half of a page's bytes, are emptied before parsing (see `strip.rs`).
//!
//! Not here: decoding bytes to text (the readers do that), and cleaning and normalizing the
//! extracted text (`prepare` runs the same path as for plain text).

mod body;
mod date;
mod dom;
mod meta;
mod strip;

use chrono::NaiveDate;

/// What [`extract`] finds on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The article's main text: paragraphs separated by `\n`, headings and list items as
    /// paragraphs of their own. Empty when the page has no article text.
    pub text: String,
    /// The headline.
    pub title: Option<String>,
    /// When the article was published.
    pub published: Option<NaiveDate>,
    /// When the article was last modified, as the page says (kept apart from `published`).
    pub modified: Option<NaiveDate>,
    /// The authors, people only.
    pub authors: Vec<String>,
    /// The outlet (site name).
    pub outlet: Option<String>,
    /// The canonical URL the page declares, made absolute against the page's URL.
    pub canonical_url: Option<String>,
    /// The language the page declares (`<html lang>`), as a primary subtag such as `"ru"`: a
    /// hint only, since templates often declare the site's default language.
    pub lang: Option<String>,
}

/// Bodies shorter than this (in characters) are checked against the JSON-LD `articleBody`:
/// a page whose visible story could not be found may still carry it there.
const SHORT_BODY: usize = 200;

/// Extracts the main text and metadata of an HTML page. `url` is where the page came from,
/// when known: it resolves a relative canonical URL and may carry the date.
///
/// Never fails: a page without an article gives an empty `text`.
pub fn extract(html: &str, url: Option<&str>) -> Extracted {
    let page = dom::read(html);
    let mut body = body::select(&page, true);
    if body.text.chars().count() < SHORT_BODY {
        // Nearly nothing: perhaps the page's names hid the story. Look again without them,
        // and take what that finds if it is much more.
        let second = body::select(&page, false);
        let (first, more) = (body.text.chars().count(), second.text.chars().count());
        if more > 2 * first && more >= SHORT_BODY / 2 {
            body = second;
        }
    }
    let meta = meta::read(&page, &body, url);
    let mut text = body.text;
    if text.chars().count() < SHORT_BODY
        && let Some(article_body) = &meta.article_body
        && article_body.chars().count() > text.chars().count() * 2
    {
        text = article_body.clone();
    }
    Extracted {
        text,
        title: meta.title,
        published: meta.published,
        modified: meta.modified,
        authors: meta.authors,
        outlet: meta.outlet,
        canonical_url: meta.canonical_url,
        lang: meta.lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// A news page with everything around the story that a page has.
    const CLUTTERED: &str = r#"<!DOCTYPE html>
<html lang="en-GB"><head><title>Storm closes the harbour | The Coast Times</title>
<script>var tracking = "Storm closes harbour script text";</script>
<style>.x { color: red }</style></head>
<body class="single-post sidebar-right">
<div id="cookie-banner">We use cookies to improve your experience. By using this site you agree to our cookie policy, which explains everything.</div>
<header class="site-header"><nav class="main-menu"><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<main>
<article>
<h1>Storm closes the harbour</h1>
<div class="share-bar"><a href="/s">Share on Facebook</a> <a href="/s">Tweet this story to your followers</a></div>
<div class="article-body">
<p>A winter storm closed the harbour of Port Ellen on Monday, stranding dozens of fishing boats and forcing the ferry to turn back, officials said.</p>
<figure><img src="a.jpg"><figcaption>Waves break over the harbour wall on Monday morning.</figcaption></figure>
<p>The coastguard said winds reached 120 kilometres an hour overnight, and that no injuries had been reported by the early afternoon.</p>
<h2>Ferries cancelled</h2>
<p>All ferry crossings were cancelled until Wednesday, the operator said, and passengers were offered refunds or later sailings.</p>
<ul><li>Crossings to the mainland</li><li>Crossings to the outer islands</li></ul>
<p>The harbour master said the port would reopen as soon as the wind dropped below gale force.</p>
<div class="advertisement">Advertisement</div>
</div>
<section id="comments"><h3>3 comments</h3>
<div class="comment"><p>This happens every winter and nobody ever does anything about the sea wall, which is a disgrace.</p></div>
</section>
</article>
<aside class="related-stories"><h3>More news</h3><ul>
<li><a href="/a">Council approves new budget for the coming year after a long debate</a></li>
<li><a href="/b">School reopens after repairs to the roof that was damaged in the summer</a></li>
</ul></aside>
</main>
<footer><p>© 2025 The Coast Times. All rights reserved.</p></footer>
</body></html>"#;

    #[test]
    fn html_body_without_page_furniture() {
        let page = extract(CLUTTERED, Some("https://coast.example/news/storm"));
        let text = page.text;
        assert!(
            text.starts_with("A winter storm closed the harbour"),
            "{text}"
        );
        assert!(text.contains("the operator said"));
        assert!(text.ends_with("below gale force."), "{text}");
        for clutter in [
            "cookies",
            "Home",
            "Share on Facebook",
            "Waves break",
            "Advertisement",
            "nobody ever does",
            "Council approves",
            "All rights reserved",
            "tracking",
            "color",
        ] {
            assert!(!text.contains(clutter), "{clutter} leaked into: {text}");
        }
    }

    #[test]
    fn html_headings_and_list_items_are_paragraphs() {
        let text = extract(CLUTTERED, None).text;
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"Ferries cancelled"), "{text}");
        assert!(lines.contains(&"Crossings to the mainland"), "{text}");
        assert!(lines.contains(&"Crossings to the outer islands"), "{text}");
        // The headline is the title, not a line of the body.
        assert!(!lines.contains(&"Storm closes the harbour"), "{text}");
    }

    #[test]
    fn html_title_outlet_and_lang_from_the_page() {
        let page = extract(CLUTTERED, None);
        assert_eq!(page.title.as_deref(), Some("Storm closes the harbour"));
        assert_eq!(page.lang.as_deref(), Some("en"));
        assert_eq!(page.published, None, "no date anywhere on the page");
        assert_eq!(page.modified, None);
        assert!(page.authors.is_empty());
    }

    fn story(head: &str, byline: &str) -> String {
        format!(
            "<html lang=\"en\"><head>{head}</head><body><article><h1>Budget passes</h1>{byline}\
             <p>The parliament passed the budget on Tuesday after a debate that lasted through \
             the night, with a majority of eleven votes.</p>\
             <p>The opposition said it would challenge two of the tax measures in court before \
             the end of the year.</p></article></body></html>"
        )
    }

    #[test]
    fn html_metadata_from_json_ld() {
        let head = r#"<script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[
          {"@type":"NewsMediaOrganization","@id":"/org-id","name":"Daily Example"},
          {"@type":"NewsArticle","headline":"Parliament passes the budget",
           "datePublished":"2025-03-14T09:41:00+05:00","dateModified":"2025-03-15T10:00:00Z",
           "author":[{"@type":"Person","name":"Aigerim Nurlanovna"},
                     {"@type":"Organization","name":"Daily Example Newsroom"}],
           "publisher":{"@id":"/org-id"}}]}
        </script>
        <meta property="article:published_time" content="2020-01-01">"#;
        let page = extract(&story(head, ""), None);
        assert_eq!(page.title.as_deref(), Some("Parliament passes the budget"));
        assert_eq!(
            page.published,
            date(2025, 3, 14),
            "JSON-LD is trusted first"
        );
        assert_eq!(page.modified, date(2025, 3, 15));
        assert_eq!(page.authors, vec!["Aigerim Nurlanovna".to_string()]);
        assert_eq!(page.outlet.as_deref(), Some("Daily Example"));
    }

    #[test]
    fn html_metadata_from_open_graph_and_meta() {
        let head = r#"<meta property="og:title" content="Budget passes at night">
        <meta property="og:site_name" content="Example Herald">
        <meta property="article:published_time" content="2025-03-14T23:10:00+03:00">
        <meta property="article:modified_time" content="2025-03-16">
        <meta name="author" content="Jane Doe, John Roe">
        <meta property="og:url" content="/politics/budget-passes">"#;
        let page = extract(&story(head, ""), Some("https://herald.example/amp/budget"));
        assert_eq!(page.title.as_deref(), Some("Budget passes at night"));
        assert_eq!(page.outlet.as_deref(), Some("Example Herald"));
        assert_eq!(page.published, date(2025, 3, 14), "the publisher's own day");
        assert_eq!(page.modified, date(2025, 3, 16));
        assert_eq!(
            page.authors,
            vec!["Jane Doe".to_string(), "John Roe".to_string()]
        );
        assert_eq!(
            page.canonical_url.as_deref(),
            Some("https://herald.example/politics/budget-passes")
        );
    }

    #[test]
    fn html_dates_from_time_elements_url_and_text() {
        let time = r#"<p class="meta"><time datetime="2024-11-18T08:00:00Z">18 Nov</time></p>"#;
        assert_eq!(
            extract(&story("", time), None).published,
            date(2024, 11, 18)
        );

        let url = "https://news.example/2019/11/18/budget-passes/";
        assert_eq!(
            extract(&story("", ""), Some(url)).published,
            date(2019, 11, 18)
        );

        let visible = "<p>14 марта 2025 г., 09:41</p><p>Обновлено 15.03.2025</p>";
        let page = extract(&story("", visible), None);
        assert_eq!(page.published, date(2025, 3, 14));
        assert_eq!(page.modified, date(2025, 3, 15));
        assert!(!page.text.contains("марта"), "{}", page.text);
    }

    #[test]
    fn html_pages_one_row_per_language() {
        // (language, menu word, date line, first paragraph, second paragraph, date)
        let rows = [
            (
                "ru",
                "Главная",
                "14 марта 2025 г., 09:41",
                "В Астане в пятницу открылся новый мост через Ишим, сообщили в акимате города.",
                "Движение по мосту будет открыто для всех видов транспорта с понедельника.",
                date(2025, 3, 14),
            ),
            (
                "kk",
                "Басты бет",
                "14 наурыз 2025 ж.",
                "Астанада жұма күні Есіл өзені арқылы жаңа көпір ашылды, деп хабарлады әкімдік.",
                "Көпір арқылы қозғалыс дүйсенбіден бастап барлық көлік түріне ашылады.",
                date(2025, 3, 14),
            ),
            (
                "uz",
                "Bosh sahifa",
                "2025-yil 14-mart",
                "Toshkentda juma kuni Chirchiq daryosi ustidan yangi koʻprik ochildi, deb xabar berdi hokimlik.",
                "Koʻprik orqali harakat dushanbadan boshlab barcha transport turlari uchun ochiladi.",
                date(2025, 3, 14),
            ),
            (
                "de",
                "Startseite",
                "14. März 2025",
                "In Berlin ist am Freitag eine neue Brücke über die Spree eröffnet worden, teilte der Senat mit.",
                "Der Verkehr über die Brücke wird ab Montag für alle Fahrzeuge freigegeben.",
                date(2025, 3, 14),
            ),
            (
                "tr",
                "Ana sayfa",
                "14 Mart 2025",
                "Ankara'da cuma günü yeni bir köprü açıldı, belediye yaptığı açıklamada bunu duyurdu.",
                "Köprüden geçiş pazartesiden itibaren tüm araçlara açık olacak, dedi yetkililer.",
                date(2025, 3, 14),
            ),
        ];
        for (lang, menu, dateline, first, second, published) in rows {
            let html = format!(
                "<html lang=\"{lang}\"><body><nav><ul><li><a href=/>{menu}</a></li>\
                 <li><a href=/a>{menu} 2</a></li></ul></nav><article><h1>{menu}</h1>\
                 <div class=\"date\">{dateline}</div><p>{first}</p><p>{second}</p></article>\
                 <aside><ul><li><a href=/x>{first}</a></li></ul></aside></body></html>"
            );
            let page = extract(&html, None);
            assert_eq!(page.text, format!("{first}\n{second}"), "{lang}");
            assert_eq!(page.published, published, "{lang}");
            assert_eq!(page.lang.as_deref(), Some(lang));
        }
    }

    #[test]
    fn html_organisation_authors_are_rejected() {
        for author in [
            "Staff",
            "Редакция",
            "Online-Redaktion",
            "AFP",
            "News Desk",
            "@handle",
        ] {
            let head = format!(r#"<meta name="author" content="{author}">"#);
            let page = extract(&story(&head, ""), None);
            assert!(page.authors.is_empty(), "{author} taken for a person");
        }
        let head = r#"<script type="application/ld+json">{"@type":"NewsArticle",
            "author":{"@type":"Organization","name":"Maria Schmidt Media"}}</script>"#;
        assert!(extract(&story(head, ""), None).authors.is_empty());

        let byline = r#"<p class="byline">By <a rel="author" href="/p/1">Ivan Petrov</a></p>"#;
        assert_eq!(
            extract(&story("", byline), None).authors,
            vec!["Ivan Petrov".to_string()]
        );
    }

    #[test]
    fn html_teasers_stay_out_and_split_stories_stay_whole() {
        let paragraph = |n: usize| {
            format!(
                "<p>Paragraph {n} of the story goes on about the flood and what the town \
                 council decided to do about the river banks, at some length.</p>"
            )
        };
        let mut html = String::from("<html><body><div class=wrap><div class=story>");
        html.push_str("<div class=part>");
        for n in 0..4 {
            html.push_str(&paragraph(n));
        }
        html.push_str("</div><div class=share-tools><a href=#>Share</a></div><div class=part>");
        for n in 4..8 {
            html.push_str(&paragraph(n));
        }
        html.push_str("</div></div><div class=more>");
        for n in 0..4 {
            html.push_str(&format!(
                "<div class=item><h3><a href=/t{n}>Another story {n}</a></h3>\
                 <p>A summary of another story number {n}, which a reader could click on to \
                 read in full on another page.</p></div>"
            ));
        }
        html.push_str("</div></div></body></html>");
        let text = extract(&html, None).text;
        for n in 0..8 {
            assert!(
                text.contains(&format!("Paragraph {n} ")),
                "{n} missing: {text}"
            );
        }
        assert!(!text.contains("summary of another story"), "{text}");
    }

    #[test]
    fn html_story_hidden_by_its_names_is_found_again() {
        let html = "<html><body><nav><a href=/>Home</a></nav>\
            <div class=\"post-share-wrapper\">\
            <p>The story sits in a box whose name says share, which a careless template does, \
            and it goes on for a while.</p>\
            <p>A second paragraph makes sure there is more than a line of it to find, at \
            some length again.</p></div></body></html>";
        let text = extract(html, None).text;
        assert!(text.starts_with("The story sits in a box"), "{text}");
        assert!(text.contains("A second paragraph"), "{text}");
    }

    #[test]
    fn html_json_ld_body_when_nothing_is_visible() {
        let html = r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle",
            "articleBody":"The whole story is only here, because the page draws it with script later on. It has two sentences and enough words."}
            </script></head><body><div id="app"></div></body></html>"#;
        let text = extract(html, None).text;
        assert!(text.starts_with("The whole story is only here"), "{text}");
    }

    #[test]
    fn html_empty_and_broken_pages() {
        assert_eq!(extract("", None), Extracted::default());
        assert_eq!(
            extract(
                "<html><body><nav><a href=/>Home</a></nav></body></html>",
                None
            )
            .text,
            ""
        );
        let broken = "<p>An unclosed paragraph that still reads as a sentence of the story, \
                      with <b>bold <i>and</b> misnested</i> markup and an &amp; entity.<p>Next.";
        let text = extract(broken, None).text;
        assert!(
            text.contains("bold and misnested markup and an & entity."),
            "{text}"
        );
    }

    #[test]
    fn html_deep_nesting_does_not_overflow() {
        let depth = 20_000;
        let mut html = "<div>".repeat(depth);
        html.push_str(
            "<p>A sentence deep inside many boxes, long enough to be a paragraph of a story.</p>",
        );
        html.push_str(&"</div>".repeat(depth));
        let _ = extract(&html, None);
    }

    /// Language identification is tested where it is built; here the script is enough.
    struct ScriptOnly;

    impl xabar_core::LanguageIdentifier for ScriptOnly {
        fn identify(&self, text: &str) -> xabar_core::Identification {
            xabar_core::Identification {
                language: xabar_core::Language::Und,
                script: xabar_text::script::ScriptCounts::of(text).dominant(),
                confidence: 0.0,
            }
        }
    }

    #[test]
    fn html_article_prepared_with_page_metadata() {
        let head = r#"<meta property="article:published_time" content="2025-03-14T09:00:00Z">
            <meta property="article:modified_time" content="2025-03-15T09:00:00Z">
            <meta name="author" content="Jane Doe">
            <link rel="canonical" href="https://herald.example/budget">"#;
        let mut raw = xabar_core::RawArticle::text("page.html", story(head, ""));
        raw.format = xabar_core::Format::Html;
        raw.url = Some("https://herald.example/amp/budget?src=feed".into());
        let article = crate::prepare(raw, &ScriptOnly).expect("prepares");
        assert!(
            article.text.starts_with("The parliament passed the budget"),
            "{}",
            article.text
        );
        assert_eq!(article.paragraphs.len(), 2);
        assert_eq!(article.title.as_deref(), Some("Budget passes"));
        assert_eq!(article.published, date(2025, 3, 14));
        assert_eq!(article.modified, date(2025, 3, 15));
        assert_eq!(article.authors, vec!["Jane Doe".to_string()]);
        assert_eq!(
            article.canonical_url.as_deref(),
            Some("https://herald.example/budget")
        );
        assert_eq!(
            article.language,
            xabar_core::Language::En,
            "from <html lang> as a hint"
        );
        // Offsets point into the extracted text, which is what `original` holds.
        assert_eq!(article.original, article.text);
    }

    #[test]
    fn html_page_without_story_is_no_text() {
        let mut raw = xabar_core::RawArticle::text("menu.html", "<nav><a href=/>Home</a></nav>");
        raw.format = xabar_core::Format::Html;
        assert!(matches!(
            crate::prepare(raw, &ScriptOnly),
            Err(crate::PrepareError::NoText { .. })
        ));
    }

    mod never_panics {
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn html_any_string(s in ".{0,400}") {
                let _ = super::super::extract(&s, None);
            }

            #[test]
            fn html_any_markup(
                parts in prop::collection::vec(
                    prop_oneof![
                        Just("<p>".to_string()),
                        Just("</p>".to_string()),
                        Just("<div class=\"share comments\">".to_string()),
                        Just("</div>".to_string()),
                        Just("<a href=x>".to_string()),
                        Just("</a>".to_string()),
                        Just("<h1>".to_string()),
                        Just("<li>".to_string()),
                        Just("<br>".to_string()),
                        Just("<time datetime=\"2025-02-30\">".to_string()),
                        Just("<script type=application/ld+json>{\"@type\":\"NewsArticle\",\"author\":".to_string()),
                        Just("</script>".to_string()),
                        Just("<meta property=article:published_time content=99999999>".to_string()),
                        "[a-zA-Zа-я .,!?]{0,80}",
                        ".{0,20}",
                    ],
                    0..60,
                ),
                url in proptest::option::of("[a-z:/0-9.-]{0,40}"),
            ) {
                let html = parts.concat();
                let _ = super::super::extract(&html, url.as_deref());
            }
        }
    }
}
