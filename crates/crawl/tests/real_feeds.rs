//! Feeds built at test time from real RSS items of ../shared/data/vi-rss (titles and summaries of
//! VnExpress, Thanh Niên, Tuổi Trẻ), written as RSS 2.0 and Atom, parsed back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;

use langnghe_crawl::{canonical_url, parse_feed};
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

#[path = "../../../tests/common/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

struct Item {
    url: String,
    title: String,
    summary: String,
    published: OffsetDateTime,
}

fn items(n: usize) -> Vec<Item> {
    let file = std::fs::File::open(shared_data().join("vi-rss/rss_items_2026-01_2026-08.jsonl.gz"))
        .unwrap();
    std::io::BufReader::new(flate2::read::GzDecoder::new(file))
        .lines()
        .take(n)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l.unwrap()).unwrap();
            let published =
                OffsetDateTime::parse(v["published"].as_str().unwrap(), &Rfc3339).unwrap();
            Item {
                url: v["url"].as_str().unwrap().to_string(),
                title: v["title"].as_str().unwrap().to_string(),
                summary: v["summary"].as_str().unwrap_or_default().to_string(),
                published: published.replace_nanosecond(0).unwrap(),
            }
        })
        .collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn rss_of_real_items_parses_back() {
    let items = items(500);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>t</title>",
    );
    for i in &items {
        // Real feeds wrap descriptions in CDATA with HTML inside, and link with tracking parameters.
        xml.push_str(&format!(
            "<item><title>{}</title><link>{}?utm_source=rss</link><description><![CDATA[<a href=\"{}\"><img src=\"x.jpg\"></a>{}]]></description><pubDate>{}</pubDate></item>",
            xml_escape(&i.title),
            xml_escape(&i.url),
            xml_escape(&i.url),
            i.summary,
            i.published.format(&Rfc2822).unwrap()
        ));
    }
    xml.push_str("</channel></rss>");
    let parsed = parse_feed(&xml, OffsetDateTime::now_utc()).unwrap();
    assert_eq!(parsed.len(), items.len());
    for (p, i) in parsed.iter().zip(&items) {
        assert_eq!(p.title, squash(&i.title));
        assert_eq!(canonical_url(&p.link), canonical_url(&i.url));
        assert_eq!(p.summary, squash(&i.summary));
        assert_eq!(p.published, Some(i.published));
    }
}

#[test]
fn atom_of_real_items_parses_back() {
    let items = items(200);
    let mut xml = String::from("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>");
    for i in &items {
        xml.push_str(&format!(
            "<entry><title>{}</title><link rel=\"alternate\" href=\"{}\"/><id>{}</id><published>{}</published><summary type=\"html\">{}</summary></entry>",
            xml_escape(&i.title),
            xml_escape(&i.url),
            xml_escape(&i.url),
            i.published.format(&Rfc3339).unwrap(),
            xml_escape(&i.summary)
        ));
    }
    xml.push_str("</feed>");
    let parsed = parse_feed(&xml, OffsetDateTime::now_utc()).unwrap();
    assert_eq!(parsed.len(), items.len());
    for (p, i) in parsed.iter().zip(&items) {
        assert_eq!(p.link, i.url);
        assert_eq!(p.title, squash(&i.title));
        assert_eq!(p.published, Some(i.published));
    }
}
