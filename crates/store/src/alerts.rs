//! The alert inbox: every alert a route raised, its acknowledgement, and its deliveries to the
//! channels (sent, pending, failed), so that a restart neither loses nor repeats one.

use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

use crate::{SqliteState, StoreError, from_ts, ts};

/// How a delivery goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryKind {
    /// As soon as the route's cooldown allows; alerts that wait are grouped in one message.
    Immediate,
    /// In the daily digest.
    Daily,
    /// In the weekly digest.
    Weekly,
}

impl DeliveryKind {
    /// The name stored and shown (`immediate`).
    pub fn name(self) -> &'static str {
        match self {
            DeliveryKind::Immediate => "immediate",
            DeliveryKind::Daily => "daily",
            DeliveryKind::Weekly => "weekly",
        }
    }

    fn parse(s: &str) -> DeliveryKind {
        match s {
            "daily" => DeliveryKind::Daily,
            "weekly" => DeliveryKind::Weekly,
            _ => DeliveryKind::Immediate,
        }
    }
}

/// What an alert says: one document, one topic, one route.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertContent {
    /// The route that raised it.
    pub route: String,
    /// Document id.
    pub doc_id: String,
    /// Topic id.
    pub topic: String,
    /// Severity name.
    pub severity: String,
    /// Rule version that decided.
    pub version: String,
    /// Headline.
    pub title: String,
    /// Source id.
    pub source: String,
    /// URL of the document.
    pub url: String,
    /// Snippet with the matched terms marked (`[[…]]`).
    pub snippet: String,
    /// Province ids.
    pub provinces: Vec<String>,
    /// Publication time.
    pub published: Option<OffsetDateTime>,
}

/// An alert to record, with where it must go.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    /// What it says.
    pub content: AlertContent,
    /// Where it must go: (channel id, how).
    pub deliveries: Vec<(String, DeliveryKind)>,
}

/// An alert of the inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Inbox id (`langnghe alerts ack ID`).
    pub id: i64,
    /// When it was raised.
    pub created: OffsetDateTime,
    /// What it says.
    pub content: AlertContent,
    /// When it was acknowledged, and by whom.
    pub acked: Option<(OffsetDateTime, String)>,
}

/// A delivery not sent yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingDelivery {
    /// Delivery id.
    pub id: i64,
    /// Channel id.
    pub channel: String,
    /// How it goes out.
    pub kind: DeliveryKind,
    /// Failed attempts so far, and the last one.
    pub attempts: u32,
    /// When the last attempt failed.
    pub last_attempt: Option<OffsetDateTime>,
    /// The alert.
    pub alert: Alert,
}

/// The deliveries of one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelStatus {
    /// Channel id.
    pub channel: String,
    /// Messages sent.
    pub messages: u64,
    /// Deliveries not sent yet.
    pub pending: u64,
    /// The last error of a delivery still pending.
    pub last_error: Option<String>,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    /// Only those not acknowledged.
    pub unacked: bool,
    /// Only those raised at or after this time.
    pub since: Option<OffsetDateTime>,
    /// At most this many, newest first (`None`: all).
    pub limit: Option<usize>,
}

const ALERT_COLUMNS: &str = "a.id, a.created, a.route, a.doc_id, a.topic, a.severity, a.version, \
     a.title, a.source, a.url, a.snippet, a.provinces, a.published, a.acked, a.acked_by";

fn alert_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Alert> {
    let provinces: String = r.get(at + 11)?;
    let acked: Option<i64> = r.get(at + 13)?;
    let acked_by: Option<String> = r.get(at + 14)?;
    Ok(Alert {
        id: r.get(at)?,
        created: from_ts(Some(r.get(at + 1)?)).unwrap_or(OffsetDateTime::UNIX_EPOCH),
        content: AlertContent {
            route: r.get(at + 2)?,
            doc_id: r.get(at + 3)?,
            topic: r.get(at + 4)?,
            severity: r.get(at + 5)?,
            version: r.get(at + 6)?,
            title: r.get(at + 7)?,
            source: r.get(at + 8)?,
            url: r.get(at + 9)?,
            snippet: r.get(at + 10)?,
            provinces: provinces
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            published: from_ts(r.get(at + 12)?),
        },
        acked: from_ts(acked).map(|t| (t, acked_by.unwrap_or_default())),
    })
}

impl SqliteState {
    /// Records alerts with their deliveries, in one transaction. An alert already recorded for
    /// the same route, document and topic (a re-import, a re-tag) is not raised again. Returns
    /// the ids of the new ones.
    pub fn record_alerts(
        &mut self,
        alerts: &[NewAlert],
        now: OffsetDateTime,
    ) -> Result<Vec<i64>, StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError {
            path: path.clone(),
            source,
        };
        let tx = self.db.transaction().map_err(err)?;
        let mut ids = Vec::new();
        for a in alerts {
            let inserted = tx
                .execute(
                    "INSERT OR IGNORE INTO alerts (created, route, doc_id, topic, severity, version,
                         title, source, url, snippet, provinces, published)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        ts(now),
                        a.content.route,
                        a.content.doc_id,
                        a.content.topic,
                        a.content.severity,
                        a.content.version,
                        a.content.title,
                        a.content.source,
                        a.content.url,
                        a.content.snippet,
                        a.content.provinces.join(","),
                        a.content.published.map(ts),
                    ],
                )
                .map_err(err)?;
            if inserted == 0 {
                continue;
            }
            let id = tx.last_insert_rowid();
            for (channel, kind) in &a.deliveries {
                tx.execute(
                    "INSERT OR IGNORE INTO deliveries (alert_id, channel, kind) VALUES (?1, ?2, ?3)",
                    params![id, channel, kind.name()],
                )
                .map_err(err)?;
            }
            ids.push(id);
        }
        tx.commit().map_err(err)?;
        Ok(ids)
    }

    /// Alerts of the inbox, newest first.
    pub fn alerts(&self, filter: &AlertFilter) -> Result<Vec<Alert>, StoreError> {
        let sql = format!(
            "SELECT {ALERT_COLUMNS} FROM alerts a
             WHERE (?1 = 0 OR a.acked IS NULL) AND a.created >= ?2
             ORDER BY a.created DESC, a.id DESC LIMIT ?3"
        );
        let mut stmt = self.db.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(
                params![
                    i64::from(filter.unacked),
                    filter.since.map_or(i64::MIN, ts),
                    filter
                        .limit
                        .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX)),
                ],
                |r| alert_row(r, 0),
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Acknowledges an alert; `false` if there is no such alert. Acknowledging twice keeps the
    /// first acknowledgement.
    pub fn ack_alert(&mut self, id: i64, by: &str, at: OffsetDateTime) -> Result<bool, StoreError> {
        let exists: Option<i64> = self
            .db
            .query_row("SELECT id FROM alerts WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        if exists.is_none() {
            return Ok(false);
        }
        self.db
            .execute(
                "UPDATE alerts SET acked = ?2, acked_by = ?3 WHERE id = ?1 AND acked IS NULL",
                params![id, ts(at), by],
            )
            .map_err(|e| self.err(e))?;
        Ok(true)
    }

    /// Deliveries not sent yet, oldest alert first.
    pub fn pending_deliveries(&self) -> Result<Vec<PendingDelivery>, StoreError> {
        let sql = format!(
            "SELECT d.id, d.channel, d.kind, d.attempts, d.last_attempt, {ALERT_COLUMNS}
             FROM deliveries d JOIN alerts a ON a.id = d.alert_id
             WHERE d.sent IS NULL ORDER BY a.created, a.id"
        );
        let mut stmt = self.db.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                let kind: String = r.get(2)?;
                Ok(PendingDelivery {
                    id: r.get(0)?,
                    channel: r.get(1)?,
                    kind: DeliveryKind::parse(&kind),
                    attempts: r.get(3)?,
                    last_attempt: from_ts(r.get(4)?),
                    alert: alert_row(r, 5)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// When the last message of this kind went to `channel` for `route` (and `topic`, for
    /// immediate messages, which are grouped per topic).
    pub fn last_message(
        &self,
        route: &str,
        channel: &str,
        topic: Option<&str>,
        kind: DeliveryKind,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let t: Option<i64> = self
            .db
            .query_row(
                "SELECT MAX(sent) FROM messages
                 WHERE route = ?1 AND channel = ?2 AND topic = ?3 AND kind = ?4",
                params![route, channel, topic.unwrap_or(""), kind.name()],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(from_ts(t))
    }

    /// Records a message sent with these deliveries, marking them sent; returns its id.
    pub fn record_message(
        &mut self,
        route: &str,
        channel: &str,
        topic: Option<&str>,
        kind: DeliveryKind,
        at: OffsetDateTime,
        deliveries: &[i64],
    ) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError {
            path: path.clone(),
            source,
        };
        let tx = self.db.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO messages (route, channel, topic, kind, sent, alerts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                route,
                channel,
                topic.unwrap_or(""),
                kind.name(),
                ts(at),
                deliveries.len() as i64
            ],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        for d in deliveries {
            tx.execute(
                "UPDATE deliveries SET sent = ?2, message = ?3, last_error = NULL WHERE id = ?1",
                params![d, ts(at), id],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// Records a failed attempt to send these deliveries.
    pub fn record_delivery_failure(
        &mut self,
        deliveries: &[i64],
        at: OffsetDateTime,
        error: &str,
    ) -> Result<(), StoreError> {
        for d in deliveries {
            self.db
                .execute(
                    "UPDATE deliveries SET attempts = attempts + 1, last_attempt = ?2,
                         last_error = ?3 WHERE id = ?1",
                    params![d, ts(at), error],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Per channel: messages sent, deliveries pending, and the last error.
    pub fn delivery_status(&self) -> Result<Vec<ChannelStatus>, StoreError> {
        let mut stmt = self
            .db
            .prepare(
                "SELECT channel,
                        (SELECT COUNT(*) FROM messages m WHERE m.channel = d.channel),
                        SUM(sent IS NULL),
                        (SELECT last_error FROM deliveries e WHERE e.channel = d.channel
                           AND e.last_error IS NOT NULL ORDER BY e.last_attempt DESC LIMIT 1)
                 FROM deliveries d GROUP BY channel ORDER BY channel",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                let sent: i64 = r.get(1)?;
                let pending: i64 = r.get(2)?;
                Ok(ChannelStatus {
                    channel: r.get(0)?,
                    messages: u64::try_from(sent).unwrap_or(0),
                    pending: u64::try_from(pending).unwrap_or(0),
                    last_error: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn alert(doc: &str) -> NewAlert {
        NewAlert {
            content: AlertContent {
                route: "duty".into(),
                doc_id: doc.into(),
                topic: "dinh-cong".into(),
                severity: "critical".into(),
                version: "0123456789abcdef".into(),
                title: "Công nhân ngừng việc".into(),
                source: "nld".into(),
                url: format!("https://nld.com.vn/{doc}.htm"),
                snippet: "[[ngừng việc]] tập thể".into(),
                provinces: vec!["dong-nai".into(), "ha-noi".into()],
                published: None,
            },
            deliveries: vec![
                ("mail".into(), DeliveryKind::Immediate),
                ("mail".into(), DeliveryKind::Daily),
            ],
        }
    }

    #[test]
    fn alerts_are_raised_once_delivered_once_and_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        let mut state = SqliteState::open(&path).unwrap();
        let t0 = OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap();
        let ids = state.record_alerts(&[alert("a"), alert("b")], t0).unwrap();
        assert_eq!(ids.len(), 2);
        // The same document again (a re-import) raises nothing.
        assert!(state.record_alerts(&[alert("a")], t0).unwrap().is_empty());
        let pending = state.pending_deliveries().unwrap();
        assert_eq!(pending.len(), 4);
        assert_eq!(pending[0].alert.content.provinces, ["dong-nai", "ha-noi"]);
        let immediate: Vec<i64> = pending
            .iter()
            .filter(|p| p.kind == DeliveryKind::Immediate)
            .map(|p| p.id)
            .collect();
        let daily: Vec<i64> = pending
            .iter()
            .filter(|p| p.kind == DeliveryKind::Daily)
            .map(|p| p.id)
            .collect();
        state
            .record_delivery_failure(&daily[..1], t0, "connection refused")
            .unwrap();
        let failed = state.pending_deliveries().unwrap();
        assert_eq!(
            failed.iter().find(|p| p.id == daily[0]).unwrap().attempts,
            1
        );
        state
            .record_message(
                "duty",
                "mail",
                Some("dinh-cong"),
                DeliveryKind::Immediate,
                t0,
                &immediate,
            )
            .unwrap();
        // Survives reopening: what was sent stays sent.
        drop(state);
        let mut state = SqliteState::open(&path).unwrap();
        let pending = state.pending_deliveries().unwrap();
        assert_eq!(pending.len(), 2);
        assert!(pending.iter().all(|p| p.kind == DeliveryKind::Daily));
        assert_eq!(
            state
                .last_message("duty", "mail", Some("dinh-cong"), DeliveryKind::Immediate)
                .unwrap(),
            Some(t0)
        );
        assert!(state.ack_alert(ids[0], "officer", t0).unwrap());
        assert!(!state.ack_alert(999, "officer", t0).unwrap());
        let unacked = state
            .alerts(&AlertFilter {
                unacked: true,
                ..AlertFilter::default()
            })
            .unwrap();
        assert_eq!(unacked.len(), 1);
        assert_eq!(unacked[0].content.doc_id, "b");
        let all = state.alerts(&AlertFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all.iter().find(|a| a.id == ids[0]).unwrap().acked,
            Some((t0, "officer".into()))
        );
        let status = state.delivery_status().unwrap();
        assert_eq!(
            status,
            [ChannelStatus {
                channel: "mail".into(),
                messages: 1,
                pending: 2,
                last_error: Some("connection refused".into())
            }]
        );
    }
}
