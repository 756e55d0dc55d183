//! RSS 2.0, Atom and RDF (RSS 1.0) feeds to items, forgiving the breakage real feeds have
//! (bare `&`, HTML entities such as `&nbsp;`, HTML inside descriptions, CDATA).

use quick_xml::Reader;
use quick_xml::events::Event;
use time::OffsetDateTime;

use langnghe_extract::parse_date;

/// One entry of a feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedItem {
    /// Headline (plain text).
    pub title: String,
    /// Article URL.
    pub link: String,
    /// `pubDate`, `published`, `dc:date`, else `updated`; `None` when absent or unreadable.
    pub published: Option<OffsetDateTime>,
    /// Description or summary as plain text (HTML tags removed).
    pub summary: String,
    /// `guid` / `id`.
    pub id: Option<String>,
    /// `author` / `dc:creator` / Atom `author/name`.
    pub author: Option<String>,
}

/// Why a feed or sitemap could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// The document is not the kind expected (an HTML error page instead of a feed, say).
    #[error("not {expected}: the document starts with <{root}>")]
    WrongRoot {
        /// The root element found (empty if there is none).
        root: String,
        /// What was expected, e.g. "a feed (<rss>, <feed> or <rdf:RDF>)".
        expected: &'static str,
    },
    /// The XML is broken beyond repair at this byte offset.
    #[error("malformed XML at byte {position}: {message}")]
    Xml {
        /// Byte offset in the (repaired) document.
        position: u64,
        /// The parser's message.
        message: String,
    },
}

const FEED: &str = "a feed (<rss>, <feed> or <rdf:RDF>)";

/// Replaces `&` that does not start an entity or character reference with `&amp;`.
pub(crate) fn escape_bare_ampersands(xml: &str) -> std::borrow::Cow<'_, str> {
    let is_ref = |rest: &str| {
        let body = rest.split(';').next().unwrap_or("");
        rest.len() > body.len()
            && !body.is_empty()
            && body.len() <= 12
            && (body.chars().all(|c| c.is_ascii_alphanumeric())
                || body.strip_prefix('#').is_some_and(|n| {
                    n.strip_prefix(['x', 'X']).map_or_else(
                        || !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
                        |h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()),
                    )
                }))
    };
    if !xml.match_indices('&').any(|(i, _)| !is_ref(&xml[i + 1..])) {
        return std::borrow::Cow::Borrowed(xml);
    }
    let mut out = String::with_capacity(xml.len() + 64);
    let mut last = 0;
    for (i, _) in xml.match_indices('&') {
        out.push_str(&xml[last..i]);
        out.push_str(if is_ref(&xml[i + 1..]) { "&" } else { "&amp;" });
        last = i + 1;
    }
    out.push_str(&xml[last..]);
    std::borrow::Cow::Owned(out)
}

/// Appends the text of an entity reference (`&name;`) to `text`, as HTML5 reads it (XML's five,
/// character references, the HTML entities feeds use anyway); an unknown one is kept as written.
pub(crate) fn push_entity(text: &mut String, name: &str) {
    text.push_str(&langnghe_extract::decode_entities(&format!("&{name};")));
}

/// HTML to plain text: tags removed, entities decoded, whitespace collapsed. (Normalisation is
/// the analyse stage's: `langnghe_vi::prepare` where documents are built.)
pub(crate) fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    // Entities left inside escaped HTML (`&amp;nbsp;` → `&nbsp;`).
    langnghe_extract::decode_entities(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Title,
    Link,
    Summary,
    Content,
    Published,
    Updated,
    Id,
    Author,
}

fn field_of(local: &str) -> Option<Field> {
    Some(match local {
        "title" => Field::Title,
        "link" => Field::Link,
        "description" | "summary" => Field::Summary,
        "encoded" | "content" => Field::Content,
        "pubdate" | "published" | "date" | "issued" => Field::Published,
        "updated" | "modified" => Field::Updated,
        "guid" | "id" => Field::Id,
        "author" | "creator" | "name" => Field::Author,
        _ => return None,
    })
}

#[derive(Default)]
struct Partial {
    item: FeedItem,
    content: String,
    published: Option<String>,
    updated: Option<String>,
}

/// Parses a feed. `now` bounds dates (see [`parse_date`]).
///
/// ```
/// let xml = r#"<rss version="2.0"><channel><item><title>Đình công ở KCN</title>
///   <link>https://laodong.vn/a.html</link><pubDate>Wed, 25 Nov 2026 08:30:00 +0700</pubDate>
///   <description><![CDATA[<p>Công nhân &amp; doanh nghiệp</p>]]></description></item></channel></rss>"#;
/// let items = langnghe_crawl::parse_feed(xml, time::OffsetDateTime::now_utc()).unwrap();
/// assert_eq!(items[0].title, "Đình công ở KCN");
/// assert_eq!(items[0].summary, "Công nhân & doanh nghiệp");
/// ```
pub fn parse_feed(xml: &str, now: OffsetDateTime) -> Result<Vec<FeedItem>, XmlError> {
    let xml = escape_bare_ampersands(xml.trim_start_matches('\u{FEFF}'));
    let mut reader = Reader::from_str(&xml);
    let mut items = Vec::new();
    let mut root: Option<String> = None;
    let mut current: Option<Partial> = None;
    let mut field: Option<(Field, usize)> = None;
    let mut depth = 0usize;
    let mut text = String::new();
    loop {
        let event = reader.read_event().map_err(|e| XmlError::Xml {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let local = e.local_name().as_ref().to_ascii_lowercase();
                if root.is_none() {
                    if !matches!(local.as_str(), "rss" | "feed" | "rdf") {
                        return Err(XmlError::WrongRoot {
                            root: local,
                            expected: FEED,
                        });
                    }
                    root = Some(local.clone());
                }
                if !is_empty {
                    depth += 1;
                }
                if matches!(local.as_str(), "item" | "entry") && !is_empty {
                    current = Some(Partial::default());
                    continue;
                }
                let Some(partial) = current.as_mut() else {
                    continue;
                };
                // Atom links carry the URL in `href`: take the alternate (or unlabelled) one.
                if local == "link"
                    && let Ok(Some(href)) = e.try_get_attribute("href")
                {
                    let rel = e
                        .try_get_attribute("rel")
                        .ok()
                        .flatten()
                        .map(|r| r.value.into_owned());
                    if partial.item.link.is_empty()
                        && rel.as_deref().is_none_or(|r| r == "alternate")
                    {
                        partial.item.link = href.value.trim().to_string();
                    }
                    continue;
                }
                if field.is_none()
                    && !is_empty
                    && let Some(f) = field_of(&local)
                {
                    field = Some((f, depth));
                    text.clear();
                }
            }
            Event::Text(ref t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(ref t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(ref r) if field.is_some() => {
                push_entity(&mut text, &r.xml10_content())
            }
            Event::End(ref e) => {
                let local = e.local_name().as_ref().to_ascii_lowercase();
                if let Some((f, at)) = field
                    && at == depth
                {
                    field = None;
                    if let Some(p) = current.as_mut() {
                        let value = text.trim().to_string();
                        match f {
                            Field::Title => p.item.title = plain(&value),
                            Field::Link if p.item.link.is_empty() => p.item.link = value,
                            Field::Summary => p.item.summary = plain(&value),
                            Field::Content => p.content = value,
                            Field::Published => p.published = p.published.take().or(Some(value)),
                            Field::Updated => p.updated = Some(value),
                            Field::Id => p.item.id = Some(value),
                            Field::Author if p.item.author.is_none() => {
                                p.item.author = Some(plain(&value))
                            }
                            _ => {}
                        }
                    }
                }
                depth = depth.saturating_sub(1);
                if matches!(local.as_str(), "item" | "entry")
                    && let Some(mut p) = current.take()
                {
                    if p.item.summary.is_empty() && !p.content.is_empty() {
                        p.item.summary = plain(&p.content);
                    }
                    p.item.published = p
                        .published
                        .as_deref()
                        .and_then(|d| parse_date(d, now))
                        .or_else(|| p.updated.as_deref().and_then(|d| parse_date(d, now)));
                    if !p.item.link.is_empty() || !p.item.title.is_empty() {
                        items.push(p.item);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if root.is_none() {
        return Err(XmlError::WrongRoot {
            root: String::new(),
            expected: FEED,
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-26 10:00 +7);

    #[test]
    fn rss_2_with_the_usual_breakage() {
        let xml = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Lao Động</title>\
            <item><title>Công nhân & doanh nghiệp đối thoại</title><link> https://laodong.vn/a.html </link>\
            <description>&lt;img src=\"x.jpg\"&gt;Sáng nay&nbsp;hơn 2.000 người&hellip;</description>\
            <pubDate>Wed, 25 Nov 2026 08:30:00 +0700</pubDate><guid isPermaLink=\"false\">a-1</guid><dc:creator>Minh Anh</dc:creator></item>\
            <item><title><![CDATA[Nợ lương <b>ba tháng</b>]]></title><link>https://laodong.vn/b.html</link><pubDate>không rõ</pubDate></item>\
            </channel></rss>";
        let items = parse_feed(xml, NOW).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "Công nhân & doanh nghiệp đối thoại");
        assert_eq!(items[0].link, "https://laodong.vn/a.html");
        assert_eq!(
            items[0].summary,
            "Sáng nay\u{A0}hơn 2.000 người…".replace('\u{A0}', " ")
        );
        assert_eq!(items[0].published, Some(datetime!(2026-11-25 08:30 +7)));
        assert_eq!(items[0].id.as_deref(), Some("a-1"));
        assert_eq!(items[0].author.as_deref(), Some("Minh Anh"));
        assert_eq!(items[1].title, "Nợ lương ba tháng");
        assert_eq!(items[1].published, None);
    }

    #[test]
    fn atom_and_rdf() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">Tăng lương</title>
            <link rel="enclosure" href="https://x.vn/a.jpg"/><link href="https://x.vn/a.html"/>
            <id>tag:x.vn,2026:1</id><updated>2026-11-25T01:30:00Z</updated>
            <summary>Lương tối thiểu vùng</summary><author><name>PV</name></author></entry></feed>"#;
        let items = parse_feed(atom, NOW).unwrap();
        assert_eq!(items[0].link, "https://x.vn/a.html");
        assert_eq!(items[0].published, Some(datetime!(2026-11-25 08:30 +7)));
        assert_eq!(items[0].author.as_deref(), Some("PV"));
        let rdf = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>C</title></channel><item><title>Đình công</title><link>https://y.vn/1</link><dc:date>2026-11-24</dc:date></item></rdf:RDF>"#;
        let items = parse_feed(rdf, NOW).unwrap();
        assert_eq!(
            (items[0].title.as_str(), items[0].link.as_str()),
            ("Đình công", "https://y.vn/1")
        );
        assert_eq!(items[0].published, Some(datetime!(2026-11-24 00:00 +7)));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            parse_feed("<html><body>404</body></html>", NOW),
            Err(XmlError::WrongRoot {
                root: "html".into(),
                expected: FEED
            })
        );
        let err = parse_feed(
            "<rss><channel><item><title>x</titl></item></channel></rss>",
            NOW,
        )
        .unwrap_err();
        assert!(matches!(err, XmlError::Xml { .. }), "{err}");
        assert!(err.to_string().starts_with("malformed XML at byte"));
        assert!(matches!(
            parse_feed("", NOW),
            Err(XmlError::WrongRoot { .. })
        ));
    }

    proptest! {
        #[test]
        fn random_text_never_panics(s in "\\PC{0,200}") {
            let _ = parse_feed(&s, NOW);
        }

        #[test]
        fn feed_shaped_noise_never_panics(s in "(<(rss|channel|item|title|link|pubDate|feed|entry)>|</(rss|channel|item|title|link|pubDate|feed|entry)>|<!\\[CDATA\\[|\\]\\]>|&(amp|nbsp|#x41|bad);?|[a-zđ 0-9:,+]{0,8}){0,30}") {
            if let Ok(items) = parse_feed(&s, NOW) {
                for i in items {
                    prop_assert!(!i.title.contains('<'));
                }
            }
        }
    }
}
