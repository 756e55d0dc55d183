//! Sending what is due: immediate messages per route, channel and topic at most once per
//! cooldown (alerts raised in between wait and go together), daily and weekly digests at their
//! hour, failed sends retried with back-off. The inbox is the queue: a delivery is marked sent
//! only after its message went out, so a crash repeats at most one message and loses none.

use std::collections::{BTreeMap, HashMap};

use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

use langnghe_model::VIETNAM;
use langnghe_store::{DeliveryKind, PendingDelivery, SqliteState, StoreError};

use crate::channel::Deliver;
use crate::config::{AlertsConfig, Route};
use crate::message::Outgoing;

/// One message sent or attempted.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sent {
    /// Route id.
    pub route: String,
    /// Channel id.
    pub channel: String,
    /// `immediate`, `daily` or `weekly`.
    pub kind: &'static str,
    /// The topic of an immediate message.
    pub topic: Option<String>,
    /// Alert ids in it.
    pub alerts: Vec<i64>,
    /// Why it failed (it is retried later).
    pub error: Option<String>,
}

/// What a dispatch did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DispatchReport {
    /// Messages sent or attempted.
    pub messages: Vec<Sent>,
    /// Deliveries that wait: for a cooldown, a digest hour or a retry.
    pub waiting: usize,
    /// Deliveries whose route or channel is no longer configured (left in the inbox).
    pub unrouted: usize,
    /// When the next waiting delivery becomes due, if any.
    pub next_due: Option<OffsetDateTime>,
}

/// The latest digest hour at or before `now` (Vietnam time): today's or yesterday's `at` for
/// daily digests, the last `weekday` at `at` for weekly ones.
pub fn digest_slot(
    now: OffsetDateTime,
    kind: DeliveryKind,
    at: Time,
    weekday: Weekday,
) -> OffsetDateTime {
    let local = now.to_offset(VIETNAM);
    let mut day = local.date();
    loop {
        let slot = PrimitiveDateTime::new(day, at).assume_offset(VIETNAM);
        let right_day = kind != DeliveryKind::Weekly || day.weekday() == weekday;
        if right_day && slot <= local {
            return slot;
        }
        day = day.previous_day().unwrap_or(day);
    }
}

/// The next digest hour after `slot`.
fn next_slot(slot: OffsetDateTime, kind: DeliveryKind) -> OffsetDateTime {
    slot + if kind == DeliveryKind::Weekly {
        Duration::weeks(1)
    } else {
        Duration::days(1)
    }
}

/// How long to wait after `attempts` failed attempts: 1, 2, 4 … minutes, at most an hour.
fn backoff(attempts: u32) -> Duration {
    Duration::minutes(1_i64 << attempts.saturating_sub(1).min(6)).min(Duration::hours(1))
}

fn earliest(a: Option<OffsetDateTime>, b: OffsetDateTime) -> Option<OffsetDateTime> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// Sends every message that is due at `now`.
pub fn dispatch(
    state: &mut SqliteState,
    config: &AlertsConfig,
    topic_names: &HashMap<String, String>,
    now: OffsetDateTime,
    sender: &dyn Deliver,
) -> Result<DispatchReport, StoreError> {
    let pending = state.pending_deliveries()?;
    let mut report = DispatchReport::default();
    // (route, channel, kind, topic for immediate) → deliveries, oldest first.
    let mut groups: BTreeMap<(String, String, &'static str, String), Vec<&PendingDelivery>> =
        BTreeMap::new();
    for p in &pending {
        let topic = if p.kind == DeliveryKind::Immediate {
            p.alert.content.topic.clone()
        } else {
            String::new()
        };
        groups
            .entry((
                p.alert.content.route.clone(),
                p.channel.clone(),
                p.kind.name(),
                topic,
            ))
            .or_default()
            .push(p);
    }
    for ((route_id, channel_id, _, topic), deliveries) in groups {
        let kind = deliveries[0].kind;
        let (Some(route), Some(channel)) = (config.route(&route_id), config.channel(&channel_id))
        else {
            report.unrouted += deliveries.len();
            continue;
        };
        if !route.channels.contains(&channel_id) {
            report.unrouted += deliveries.len();
            continue;
        }
        // A failed group waits for its back-off.
        let retry_at = deliveries
            .iter()
            .filter_map(|d| d.last_attempt.map(|t| t + backoff(d.attempts)))
            .max();
        if let Some(at) = retry_at
            && now < at
        {
            report.waiting += deliveries.len();
            report.next_due = earliest(report.next_due, at);
            continue;
        }
        let topic_key = (kind == DeliveryKind::Immediate).then_some(topic.as_str());
        let due: Vec<&PendingDelivery> =
            match due_deliveries(state, route, &channel_id, kind, topic_key, &deliveries, now)? {
                Due::Now(d) => d,
                Due::At(at) => {
                    report.waiting += deliveries.len();
                    report.next_due = earliest(report.next_due, at);
                    continue;
                }
            };
        report.waiting += deliveries.len() - due.len();
        let message = Outgoing {
            route: &route_id,
            kind,
            topic: topic_key,
            alerts: due.iter().map(|d| &d.alert).collect(),
            archive_link: config.archive_link.as_deref(),
            topic_names,
            now,
        };
        let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
        let result = sender.send(channel, &message);
        match &result {
            Ok(()) => {
                state.record_message(&route_id, &channel_id, topic_key, kind, now, &ids)?;
            }
            Err(e) => state.record_delivery_failure(&ids, now, e)?,
        }
        report.messages.push(Sent {
            route: route_id.clone(),
            channel: channel_id.clone(),
            kind: kind.name(),
            topic: topic_key.map(str::to_owned),
            alerts: due.iter().map(|d| d.alert.id).collect(),
            error: result.err(),
        });
    }
    Ok(report)
}

enum Due<'a> {
    /// These go now.
    Now(Vec<&'a PendingDelivery>),
    /// Nothing before this time.
    At(OffsetDateTime),
}

fn due_deliveries<'a>(
    state: &SqliteState,
    route: &Route,
    channel: &str,
    kind: DeliveryKind,
    topic: Option<&str>,
    deliveries: &[&'a PendingDelivery],
    now: OffsetDateTime,
) -> Result<Due<'a>, StoreError> {
    let last = state.last_message(&route.id, channel, topic, kind)?;
    Ok(match kind {
        DeliveryKind::Immediate => {
            let cooldown =
                Duration::seconds(i64::try_from(route.cooldown_seconds).unwrap_or(i64::MAX));
            match last {
                Some(l) if now < l + cooldown => Due::At(l + cooldown),
                _ => Due::Now(deliveries.to_vec()),
            }
        }
        DeliveryKind::Daily | DeliveryKind::Weekly => {
            let slot = digest_slot(now, kind, route.digest_time, route.digest_weekday);
            // The digest of a slot holds the alerts raised before it; one digest per slot.
            let before: Vec<&PendingDelivery> = deliveries
                .iter()
                .copied()
                .filter(|d| d.alert.created <= slot)
                .collect();
            if before.is_empty() || last.is_some_and(|l| l >= slot) {
                Due::At(next_slot(slot, kind))
            } else {
                Due::Now(before)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::cell::RefCell;

    use super::*;
    use crate::config::Channel;
    use langnghe_store::{AlertContent, NewAlert};

    #[derive(Default)]
    struct Recorder {
        sent: RefCell<Vec<(String, Vec<String>)>>,
        fail: RefCell<bool>,
    }

    impl Deliver for Recorder {
        fn send(&self, channel: &Channel, m: &Outgoing<'_>) -> Result<(), String> {
            if *self.fail.borrow() {
                return Err("smtp://127.0.0.1:1: connection refused".into());
            }
            self.sent.borrow_mut().push((
                format!("{} {}", channel.id, m.kind.name()),
                m.alerts.iter().map(|a| a.content.doc_id.clone()).collect(),
            ));
            Ok(())
        }
    }

    fn config() -> AlertsConfig {
        AlertsConfig::parse(
            r#"version = 1
[[channel]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/"
[[route]]
id = "duty"
channels = ["hook"]
deliver = ["immediate", "daily"]
cooldown_seconds = 600
digest_time = "07:30"
"#,
            "alerts.toml",
        )
        .unwrap()
    }

    fn alert(doc: &str, topic: &str) -> NewAlert {
        NewAlert {
            content: AlertContent {
                route: "duty".into(),
                doc_id: doc.into(),
                topic: topic.into(),
                severity: "critical".into(),
                version: "v".into(),
                title: doc.into(),
                source: "nld".into(),
                url: format!("https://nld.com.vn/{doc}"),
                snippet: String::new(),
                provinces: vec![],
                published: None,
            },
            deliveries: vec![
                ("hook".into(), DeliveryKind::Immediate),
                ("hook".into(), DeliveryKind::Daily),
            ],
        }
    }

    /// 2026-11-29 09:00 in Vietnam.
    fn t0() -> OffsetDateTime {
        PrimitiveDateTime::new(
            time::Date::from_calendar_date(2026, time::Month::November, 29).unwrap(),
            Time::from_hms(9, 0, 0).unwrap(),
        )
        .assume_offset(VIETNAM)
    }

    #[test]
    fn cooldown_groups_digests_wait_for_their_hour_and_failures_are_retried() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = SqliteState::open(&dir.path().join("s.sqlite")).unwrap();
        let (c, names, rec) = (config(), HashMap::new(), Recorder::default());
        let t = t0();
        state.record_alerts(&[alert("a", "dinh-cong")], t).unwrap();
        let r = dispatch(&mut state, &c, &names, t, &rec).unwrap();
        assert_eq!(
            rec.sent.borrow().clone(),
            [("hook immediate".into(), vec!["a".into()])]
        );
        // The daily digest of today's 07:30 holds alerts raised before it: none yet.
        assert_eq!(r.waiting, 1);
        // Two more within the cooldown, one on another topic.
        let t1 = t + Duration::minutes(2);
        state
            .record_alerts(
                &[
                    alert("b", "dinh-cong"),
                    alert("c", "dinh-cong"),
                    alert("x", "bhxh"),
                ],
                t1,
            )
            .unwrap();
        let r = dispatch(&mut state, &c, &names, t1, &rec).unwrap();
        // The other topic has its own cooldown; b and c wait for the end of a's.
        assert_eq!(rec.sent.borrow().len(), 2);
        assert_eq!(rec.sent.borrow()[1].1, ["x"]);
        assert_eq!(r.next_due, Some(t + Duration::minutes(10)));
        // After the cooldown, one message holds both.
        let t2 = t + Duration::minutes(10);
        dispatch(&mut state, &c, &names, t2, &rec).unwrap();
        assert_eq!(
            rec.sent.borrow()[2],
            ("hook immediate".into(), vec!["b".into(), "c".into()])
        );
        // Tomorrow 07:30 the daily digest holds all four; a failure is retried after back-off.
        let t3 = t + Duration::hours(23);
        *rec.fail.borrow_mut() = true;
        let r = dispatch(&mut state, &c, &names, t3, &rec).unwrap();
        assert!(
            r.messages[0]
                .error
                .as_deref()
                .unwrap()
                .contains("connection refused")
        );
        *rec.fail.borrow_mut() = false;
        dispatch(&mut state, &c, &names, t3 + Duration::seconds(10), &rec).unwrap();
        assert_eq!(rec.sent.borrow().len(), 3, "waits for the back-off");
        dispatch(&mut state, &c, &names, t3 + Duration::minutes(2), &rec).unwrap();
        let sent = rec.sent.borrow();
        assert_eq!(sent[3].0, "hook daily");
        assert_eq!(sent[3].1, ["a", "b", "c", "x"]);
        drop(sent);
        // Nothing is sent twice.
        let r = dispatch(&mut state, &c, &names, t3 + Duration::hours(5), &rec).unwrap();
        assert!(r.messages.is_empty());
        assert_eq!(r.waiting, 0);
    }

    #[test]
    fn digest_slots_are_in_vietnam_time() {
        let at = Time::from_hms(7, 30, 0).unwrap();
        let slot = digest_slot(t0(), DeliveryKind::Daily, at, Weekday::Monday);
        assert_eq!((slot.day(), slot.hour(), slot.minute()), (29, 7, 30));
        let early = t0() - Duration::hours(2);
        assert_eq!(
            digest_slot(early, DeliveryKind::Daily, at, Weekday::Monday).day(),
            28
        );
        // 29 November 2026 is a Sunday: the weekly digest of Monday 23 November.
        let weekly = digest_slot(t0(), DeliveryKind::Weekly, at, Weekday::Monday);
        assert_eq!((weekly.day(), weekly.weekday()), (23, Weekday::Monday));
    }
}
