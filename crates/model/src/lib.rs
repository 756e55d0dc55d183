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
    /// Why it is about each of `topics`: the rule version and the phrases that fired.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topic_hits: Vec<TopicTag>,
}

/// The evidence for one topic of a document, as recorded when it was classified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicTag {
    /// Topic id.
    pub topic: String,
    /// The topic's severity then.
    pub severity: Severity,
    /// The version (hash) of the rule that decided.
    pub version: String,
    /// The matched patterns' weights (1 for a topic without patterns).
    pub score: f64,
    /// The phrases that fired.
    pub terms: Vec<Evidence>,
}

/// A phrase of a rule found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The phrase as the rule looks for it.
    pub phrase: String,
    /// `title` or `body`.
    pub field: String,
    /// Syllable positions where it starts in that field (0 is the first syllable).
    pub positions: Vec<u32>,
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
            topic_hits: Vec::new(),
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

/// FNV-1a, 64 bits: stable across Rust versions and platforms (the standard library's hasher is
/// not), so hashes can be stored and used as ids.
///
/// ```
/// assert_eq!(langnghe_model::stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
/// ```
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One problem in a configuration file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The file, as the caller named it.
    pub file: String,
    /// `line:column` for syntax errors, when known.
    pub line: Option<(usize, usize)>,
    /// The key (`source[2].link_selector`), when the problem has one.
    pub key: Option<String>,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

impl ConfigProblem {
    /// A problem of `file` at `key`.
    pub fn at(file: &str, key: impl Into<String>, message: impl Into<String>) -> ConfigProblem {
        ConfigProblem {
            file: file.to_string(),
            line: None,
            key: Some(key.into()),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.line {
            write!(f, ":{line}:{col}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What is wrong with an id of a configuration file (a source, topic, province, channel or
/// route), if anything: ids are used in URLs, the index and alerts, so they are lowercase ASCII
/// letters, digits and `-`.
///
/// ```
/// assert_eq!(langnghe_model::id_problem("dinh-cong"), None);
/// assert_eq!(
///     langnghe_model::id_problem("Đình công").unwrap(),
///     "\"Đình công\" must be lowercase letters, digits and '-'"
/// );
/// ```
pub fn id_problem(id: &str) -> Option<String> {
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!valid).then(|| format!("{id:?} must be lowercase letters, digits and '-'"))
}

/// Parses a TOML configuration file into `T`; a syntax or shape error (unknown key, wrong type)
/// names its line and column.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
) -> Result<T, Vec<ConfigProblem>> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, col)
        });
        vec![ConfigProblem {
            file: file.to_string(),
            line,
            key: None,
            message: e.message().trim().to_string(),
        }]
    })
}

/// How urgently officers must see a topic's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth counting in the weekly report.
    Info,
    /// Worth watching: read in the daily digest.
    Watch,
    /// An officer should read it today.
    Alert,
    /// An officer should read it now.
    Critical,
}

impl Severity {
    /// Every severity, least urgent first.
    pub const ALL: [Severity; 4] = [
        Severity::Info,
        Severity::Watch,
        Severity::Alert,
        Severity::Critical,
    ];

    /// The name used in configuration files and output (`alert`).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Watch => "watch",
            Severity::Alert => "alert",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
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
