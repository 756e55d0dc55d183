//! Where do documents come from, and how do we fetch them politely?
//!
//! This crate grows with issue 3. Today: robots.txt rules ([`Robots`]), feeds ([`parse_feed`]:
//! RSS 2.0, Atom, RDF), sitemaps ([`parse_sitemap`]: url sets, sitemap indexes, news sitemaps) and
//! URL canonicalisation ([`canonical_url`]), all pure functions over text.
//!
//! ```
//! use langnghe_crawl::canonical_url;
//! assert_eq!(
//!     canonical_url("https://m.vnexpress.net/a-123.html?utm_source=fb#top").as_deref(),
//!     Some("https://vnexpress.net/a-123.html")
//! );
//! ```
#![deny(missing_docs)]

mod charset;
mod config;
mod feed;
mod fetch;
mod forum;
mod robots;
mod site;
mod sitemap;
mod social;
mod urls;
mod warc;

pub use charset::{Decoded, decode_page};
pub use config::{
    ApiPresets, ConfigProblem, Defaults, JsonMapping, SourceConfig, SourceKind, SourcesConfig,
};
pub use feed::{FeedItem, XmlError, parse_feed};
pub use fetch::{FetchError, FetchSettings, Fetcher, Outcome, Page, Validators};
pub use forum::forum_posts;
pub use robots::{Robots, RobotsRules};
pub use site::{LocalSite, SITE_API_TOKEN, SiteArticle, SiteRequest};
pub use sitemap::{SitemapEntry, SitemapKind, parse_sitemap};
pub use social::{SocialItem, map_items, with_cursor};
pub use urls::canonical_url;
pub use warc::{
    ArchiveError, ArchiveRef, ArchivedResponse, WarcWriter, find_response, read_responses,
};
