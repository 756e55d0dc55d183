//! The nouns of langnghe: what is a document, a source, a topic hit, an ISO week?
//!
//! Every stage crate speaks in these types; this crate has no logic beyond their invariants and
//! depends on nothing but serde and time.
//!
//! ```
//! use langnghe_model::{Document, IsoWeek};
//! use time::macros::datetime;
//! let doc = Document::new("vnx-1", "https://vnexpress.net/a.html", "vnexpress.net", "Công đoàn", "…")
//!     .published(datetime!(2026-11-26 08:30 +7));
//! assert_eq!(doc.site(), Some("vnexpress.net"));
//! assert_eq!(IsoWeek::of(doc.published.unwrap()).to_string(), "2026-W48");
//! ```
#![deny(missing_docs)]

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One piece of public text: a news article, a forum post, a social comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier; importing or crawling the same id again replaces the document.
    pub id: String,
    /// Where it was published.
    pub url: String,
    /// The configured source it came from (a source id or, for imports, the site host).
    pub source: String,
    /// Headline.
    pub title: String,
    /// Main text, paragraphs separated by `\n`.
    pub body: String,
    /// Publication time; `None` when the page gave no date (never the crawl time).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub published: Option<OffsetDateTime>,
    /// When langnghe fetched or imported it.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub fetched: Option<OffsetDateTime>,
    /// ISO 639-1 language code (`vi`, `en`) when known.
    #[serde(default)]
    pub lang: Option<String>,
    /// Id of the story's original when this is a syndicated copy (or its own id).
    #[serde(default)]
    pub story: Option<String>,
    /// Provinces it mentions (ids of the gazetteer), set by classification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provinces: Vec<String>,
    /// Topics it is about (ids of the topic packs), set by classification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
}

impl Document {
    /// A document with the required fields; dates and language unknown.
    pub fn new(
        id: impl Into<String>,
        url: impl Into<String>,
        source: impl Into<String>,
        title: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        Document {
            id: id.into(),
            url: url.into(),
            source: source.into(),
            title: title.into(),
            body: body.into(),
            published: None,
            fetched: None,
            lang: None,
            story: None,
            provinces: Vec::new(),
            topics: Vec::new(),
        }
    }

    /// Sets the publication time.
    pub fn published(mut self, at: OffsetDateTime) -> Self {
        self.published = Some(at);
        self
    }

    /// The host of the URL without `www.`: `https://www.dantri.com.vn/x` → `dantri.com.vn`.
    pub fn site(&self) -> Option<&str> {
        site_of(&self.url)
    }
}

/// The host of a URL without a leading `www.`, lowercase ASCII only; `None` if there is none.
pub fn site_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// Every suffix of a host that is still a domain, the host first: `e.vnexpress.net` →
/// `e.vnexpress.net`, `vnexpress.net`; what `site:vnexpress.net` matches.
///
/// ```
/// let all: Vec<&str> = langnghe_model::site_suffixes("e.vnexpress.net").collect();
/// assert_eq!(all, ["e.vnexpress.net", "vnexpress.net"]);
/// ```
pub fn site_suffixes(host: &str) -> impl Iterator<Item = &str> {
    let host = host.trim_end_matches('.');
    let mut rest = Some(host);
    std::iter::from_fn(move || {
        let current = rest?;
        rest = current
            .split_once('.')
            .map(|(_, r)| r)
            .filter(|r| r.contains('.'));
        Some(current)
    })
}

/// An ISO 8601 week (`2026-W48`), the unit of the weekly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IsoWeek {
    /// ISO week-numbering year (may differ from the calendar year around New Year).
    pub year: i32,
    /// Week 1..=53.
    pub week: u8,
}

impl IsoWeek {
    /// The ISO week of an instant, seen in Vietnam's time zone (UTC+7), where the reports are read.
    pub fn of(at: OffsetDateTime) -> IsoWeek {
        let local = at.to_offset(VIETNAM);
        let (year, week, _) = local.to_iso_week_date();
        IsoWeek { year, week }
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// Vietnam's UTC offset (+07:00), the time zone of sites and readers unless a page says otherwise.
pub const VIETNAM: time::UtcOffset = match time::UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => time::UtcOffset::UTC,
};

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sites() {
        assert_eq!(
            site_of("https://www.dantri.com.vn/a/b.htm"),
            Some("dantri.com.vn")
        );
        assert_eq!(
            site_of("http://user@e.vnexpress.net:8080/x"),
            Some("e.vnexpress.net")
        );
        assert_eq!(site_of("not a url"), None);
    }

    #[test]
    fn site_suffixes_stop_at_the_registrable_domain() {
        let all: Vec<&str> = site_suffixes("e.vnexpress.net").collect();
        assert_eq!(all, ["e.vnexpress.net", "vnexpress.net"]);
        let all: Vec<&str> = site_suffixes("dantri.com.vn").collect();
        assert_eq!(all, ["dantri.com.vn", "com.vn"]);
    }

    #[test]
    fn iso_week_in_vietnam_time() {
        // Sunday 18:00 UTC is already Monday 01:00 in Hanoi.
        assert_eq!(
            IsoWeek::of(datetime!(2026-11-29 18:00 UTC)).to_string(),
            "2026-W49"
        );
        assert_eq!(
            IsoWeek::of(datetime!(2027-01-01 00:00 +7)).to_string(),
            "2026-W53"
        );
    }

    #[test]
    fn document_round_trips_through_json() {
        let doc = Document::new("a", "https://x.vn/a", "x.vn", "T", "B")
            .published(datetime!(2026-11-26 08:30 +7));
        let json = serde_json::to_string(&doc).unwrap();
        let back: Document = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc);
    }
}
