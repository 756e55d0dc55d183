//! Who must learn about a document, and how? Routes in `config/alerts.toml` send alerts on
//! topics, severities and provinces to channels (mail over SMTP, a signed webhook, a Telegram
//! chat); every alert is first recorded in the inbox of the state database, then delivered by
//! [`dispatch`]: immediately (at most once per cooldown and topic, grouping the alerts raised
//! in between), in the daily digest and in the weekly digest.
//!
//! ```
//! use langnghe_alert::{AlertsConfig, alerts_for};
//! use langnghe_model::{Document, Evidence, Severity, TopicTag};
//! let config = AlertsConfig::parse(r#"
//! version = 1
//! [[route]]
//! id = "strikes"
//! topics = ["dinh-cong"]
//! channels = []
//! "#, "alerts.toml").unwrap();
//! let mut doc = Document::new("1", "https://nld.com.vn/a.htm", "nld", "Công nhân ngừng việc", "");
//! doc.topic_hits.push(TopicTag {
//!     topic: "dinh-cong".into(), severity: Severity::Critical, version: "abc".into(), score: 1.0,
//!     terms: vec![Evidence { phrase: "ngừng việc".into(), field: "title".into(), positions: vec![2] }],
//! });
//! let now = time::OffsetDateTime::now_utc();
//! doc.published = Some(now);
//! let alerts = alerts_for(&doc, &config, now, |_| "Công nhân [[ngừng việc]]".into());
//! assert_eq!(alerts.len(), 1);
//! assert_eq!(alerts[0].content.route, "strikes");
//! // Old news raises nothing.
//! doc.published = Some(now - time::Duration::days(30));
//! assert!(alerts_for(&doc, &config, now, |_| String::new()).is_empty());
//! ```
#![deny(missing_docs)]

mod channel;
mod config;
mod dispatch;
mod message;

pub use channel::{Deliver, Network, SIGNATURE_HEADER, signature};
pub use config::{AlertsConfig, Channel, ChannelKind, DEFAULT_ALERTS, Route, Security, Spikes};
pub use dispatch::{DispatchReport, Sent, digest_slot, dispatch};
pub use message::Outgoing;

use time::{Duration, OffsetDateTime};

use langnghe_model::{Document, TopicTag};
use langnghe_store::{AlertContent, NewAlert};

/// The alerts `doc` raises at `now`: one per topic hit and route that takes it, each with a
/// delivery per channel of the route and way of delivering; none for a document older than
/// [`AlertsConfig::max_age_hours`]. `snippet` gives the passage of a hit.
pub fn alerts_for(
    doc: &Document,
    config: &AlertsConfig,
    now: OffsetDateTime,
    snippet: impl Fn(&TopicTag) -> String,
) -> Vec<NewAlert> {
    let mut out = Vec::new();
    let age_limit = Duration::hours(i64::try_from(config.max_age_hours).unwrap_or(i64::MAX));
    if doc
        .published
        .or(doc.fetched)
        .is_some_and(|t| t < now - age_limit)
    {
        return out;
    }
    for hit in &doc.topic_hits {
        for route in config
            .routes
            .iter()
            .filter(|r| r.takes(&hit.topic, hit.severity, &doc.provinces))
        {
            out.push(NewAlert {
                content: AlertContent {
                    route: route.id.clone(),
                    doc_id: doc.id.clone(),
                    topic: hit.topic.clone(),
                    severity: hit.severity.name().to_string(),
                    version: hit.version.clone(),
                    title: doc.title.clone(),
                    source: doc.source.clone(),
                    url: doc.url.clone(),
                    snippet: snippet(hit),
                    provinces: doc.provinces.clone(),
                    published: doc.published,
                },
                deliveries: route
                    .channels
                    .iter()
                    .flat_map(|c| route.deliver.iter().map(move |k| (c.clone(), *k)))
                    .collect(),
            });
        }
    }
    out
}
