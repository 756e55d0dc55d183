//! Sitemaps (sitemaps.org): URL sets, sitemap indexes, and Google News sitemaps whose entries carry
//! a title and publication date.

use quick_xml::Reader;
use quick_xml::events::Event;
use time::OffsetDateTime;

use langnghe_extract::parse_date;

use crate::feed::{XmlError, escape_bare_ampersands, push_entity};

/// What a sitemap lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapKind {
    /// `<urlset>`: pages.
    UrlSet,
    /// `<sitemapindex>`: other sitemaps.
    Index,
}

/// One `<url>` or `<sitemap>` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SitemapEntry {
    /// `<loc>`.
    pub loc: String,
    /// `<lastmod>`.
    pub lastmod: Option<OffsetDateTime>,
    /// `<news:title>` of a news sitemap.
    pub news_title: Option<String>,
    /// `<news:publication_date>` of a news sitemap.
    pub news_published: Option<OffsetDateTime>,
}

const SITEMAP: &str = "a sitemap (<urlset> or <sitemapindex>)";

/// Parses a sitemap. `now` bounds dates.
///
/// ```
/// let xml = r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>
///   <loc>https://laodong.vn/a.html</loc><lastmod>2026-11-25</lastmod></url></urlset>"#;
/// let (kind, entries) = langnghe_crawl::parse_sitemap(xml, time::OffsetDateTime::now_utc()).unwrap();
/// assert_eq!(kind, langnghe_crawl::SitemapKind::UrlSet);
/// assert_eq!(entries[0].loc, "https://laodong.vn/a.html");
/// ```
pub fn parse_sitemap(
    xml: &str,
    now: OffsetDateTime,
) -> Result<(SitemapKind, Vec<SitemapEntry>), XmlError> {
    let xml = escape_bare_ampersands(xml.trim_start_matches('\u{FEFF}'));
    let mut reader = Reader::from_str(&xml);
    let mut kind = None;
    let mut entries = Vec::new();
    let mut current: Option<SitemapEntry> = None;
    let mut field: Option<String> = None;
    let mut text = String::new();
    loop {
        let event = reader.read_event().map_err(|e| XmlError::Xml {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(ref e) => {
                let local = e.local_name().as_ref().to_ascii_lowercase();
                if kind.is_none() {
                    kind = Some(match local.as_str() {
                        "urlset" => SitemapKind::UrlSet,
                        "sitemapindex" => SitemapKind::Index,
                        _ => {
                            return Err(XmlError::WrongRoot {
                                root: local,
                                expected: SITEMAP,
                            });
                        }
                    });
                    continue;
                }
                match local.as_str() {
                    "url" | "sitemap" => current = Some(SitemapEntry::default()),
                    "loc" | "lastmod" | "title" | "publication_date" if current.is_some() => {
                        field = Some(local);
                        text.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(ref t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(ref r) if field.is_some() => {
                push_entity(&mut text, &r.xml10_content())
            }
            Event::End(ref e) => {
                let local = e.local_name().as_ref().to_ascii_lowercase();
                if field.as_deref() == Some(local.as_str()) {
                    field = None;
                    if let Some(entry) = current.as_mut() {
                        let value = text.trim();
                        match local.as_str() {
                            "loc" => entry.loc = value.to_string(),
                            "lastmod" => entry.lastmod = parse_date(value, now),
                            "title" => entry.news_title = Some(value.to_string()),
                            _ => entry.news_published = parse_date(value, now),
                        }
                    }
                } else if matches!(local.as_str(), "url" | "sitemap")
                    && let Some(entry) = current.take()
                    && !entry.loc.is_empty()
                {
                    entries.push(entry);
                }
            }
            Event::Empty(ref e) if kind.is_none() => {
                let local = e.local_name().as_ref().to_ascii_lowercase();
                return match local.as_str() {
                    "urlset" => Ok((SitemapKind::UrlSet, entries)),
                    "sitemapindex" => Ok((SitemapKind::Index, entries)),
                    _ => Err(XmlError::WrongRoot {
                        root: local,
                        expected: SITEMAP,
                    }),
                };
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let kind = kind.ok_or(XmlError::WrongRoot {
        root: String::new(),
        expected: SITEMAP,
    })?;
    Ok((kind, entries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-26 10:00 +7);

    #[test]
    fn index_url_set_and_news() {
        let index = r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://x.vn/sitemap-1.xml</loc><lastmod>2026-11-25T08:00:00+07:00</lastmod></sitemap>
            <sitemap><loc>https://x.vn/sitemap-2.xml?a=1&b=2</loc></sitemap></sitemapindex>"#;
        let (kind, entries) = parse_sitemap(index, NOW).unwrap();
        assert_eq!(kind, SitemapKind::Index);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].lastmod, Some(datetime!(2026-11-25 08:00 +7)));
        assert_eq!(entries[1].loc, "https://x.vn/sitemap-2.xml?a=1&b=2");
        let news = r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
            <url><loc>https://x.vn/dinh-cong.html</loc><news:news><news:publication><news:name>X</news:name></news:publication>
            <news:publication_date>2026-11-25T08:30:00+07:00</news:publication_date><news:title>Đình công &amp; đối thoại</news:title></news:news></url></urlset>"#;
        let (kind, entries) = parse_sitemap(news, NOW).unwrap();
        assert_eq!(kind, SitemapKind::UrlSet);
        assert_eq!(
            entries[0].news_title.as_deref(),
            Some("Đình công & đối thoại")
        );
        assert_eq!(
            entries[0].news_published,
            Some(datetime!(2026-11-25 08:30 +7))
        );
    }

    #[test]
    fn not_a_sitemap() {
        let err = parse_sitemap("<rss></rss>", NOW).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a sitemap (<urlset> or <sitemapindex>): the document starts with <rss>"
        );
        assert!(parse_sitemap("", NOW).is_err());
        assert_eq!(
            parse_sitemap("<urlset/>", NOW).unwrap(),
            (SitemapKind::UrlSet, vec![])
        );
    }

    proptest! {
        #[test]
        fn random_text_never_panics(s in "\\PC{0,200}") {
            let _ = parse_sitemap(&s, NOW);
        }

        #[test]
        fn sitemap_shaped_noise_never_panics(s in "(<(urlset|sitemapindex|url|sitemap|loc|lastmod)>|</(urlset|url|loc|lastmod)>|&(amp|x);?|[a-z:/.0-9-]{0,10}){0,30}") {
            let _ = parse_sitemap(&s, NOW);
        }
    }
}
