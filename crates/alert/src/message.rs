//! One message: the alerts of one route, channel and topic (or digest), rendered as a mail (text
//! and HTML), a webhook payload (JSON) and a Telegram message (HTML).

use std::collections::HashMap;

use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use langnghe_model::VIETNAM;
use langnghe_store::{Alert, DeliveryKind};

/// A message about to go out.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    /// Route id.
    pub route: &'a str,
    /// Immediate or digest.
    pub kind: DeliveryKind,
    /// The topic of an immediate message (digests mix topics).
    pub topic: Option<&'a str>,
    /// The alerts, oldest first.
    pub alerts: Vec<&'a Alert>,
    /// Link pattern to archived copies (`{url}`).
    pub archive_link: Option<&'a str>,
    /// Topic names by id (Vietnamese, as the packs give them).
    pub topic_names: &'a HashMap<String, String>,
    /// When it is sent.
    pub now: OffsetDateTime,
}

/// `[[…]]` markers replaced by `open`/`close`, the rest passed through `escape`.
fn marked(snippet: &str, open: &str, close: &str, escape: fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = snippet;
    while let Some(i) = rest.find("[[") {
        out.push_str(&escape(&rest[..i]));
        let after = &rest[i + 2..];
        match after.find("]]") {
            Some(j) => {
                out.push_str(open);
                out.push_str(&escape(&after[..j]));
                out.push_str(close);
                rest = &after[j + 2..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(&escape(rest));
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn plain(s: &str) -> String {
    s.to_string()
}

/// Percent-encodes a URL for a query parameter.
fn escape_url(url: &str) -> String {
    let mut out = String::new();
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn local(t: OffsetDateTime) -> String {
    let t = t.to_offset(VIETNAM);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

impl Outgoing<'_> {
    fn topic_name(&self, id: &str) -> String {
        self.topic_names
            .get(id)
            .map_or_else(|| id.to_string(), |n| format!("{n} ({id})"))
    }

    /// The archived copy of `a`, or how to read it with the CLI.
    pub fn archive(&self, a: &Alert) -> String {
        match self.archive_link {
            Some(link) => link.replace("{url}", &escape_url(&a.content.url)),
            None => format!("langnghe archive show {}", a.content.url),
        }
    }

    /// The highest severity among the alerts.
    fn severity(&self) -> String {
        const ORDER: [&str; 4] = ["info", "watch", "alert", "critical"];
        self.alerts
            .iter()
            .map(|a| a.content.severity.as_str())
            .max_by_key(|s| ORDER.iter().position(|o| o == s))
            .unwrap_or("alert")
            .to_uppercase()
    }

    /// Mail subject / first line.
    pub fn subject(&self) -> String {
        let n = self.alerts.len();
        match (self.kind, self.topic, self.alerts.first()) {
            (DeliveryKind::Immediate, Some(topic), Some(a)) if n == 1 => format!(
                "[langnghe] {} {}: {}",
                self.severity(),
                self.topic_name(topic),
                a.content.title
            ),
            (DeliveryKind::Immediate, Some(topic), _) => format!(
                "[langnghe] {} {}: {n} tin mới",
                self.severity(),
                self.topic_name(topic)
            ),
            (DeliveryKind::Weekly, ..) => format!("[langnghe] Bản tin tuần: {n} cảnh báo"),
            _ => format!("[langnghe] Bản tin ngày: {n} cảnh báo"),
        }
    }

    /// The plain-text body: one block per alert, matched terms between «».
    pub fn text(&self) -> String {
        let mut out = String::new();
        for a in &self.alerts {
            out.push_str(&format!(
                "{} · {} · quy tắc {}\n{}\n{} · {}\n{}\n{}\nBản lưu: {}\nĐã xem: langnghe alerts ack {}\n\n",
                a.content.severity.to_uppercase(),
                self.topic_name(&a.content.topic),
                a.content.version,
                a.content.title,
                a.content.source,
                a.content.published.map_or_else(|| local(a.created), local),
                a.content.url,
                marked(&a.content.snippet, "«", "»", plain),
                self.archive(a),
                a.id,
            ));
        }
        out
    }

    /// The HTML body: matched terms in `<mark>`.
    pub fn html(&self) -> String {
        let mut out = String::from("<html><body>");
        for a in &self.alerts {
            out.push_str(&format!(
                "<div><p><b>{}</b> · {} · quy tắc <code>{}</code></p>\
                 <h3><a href=\"{}\">{}</a></h3><p>{} · {}</p><p>{}</p>\
                 <p><a href=\"{}\">Bản lưu</a> · mã {}</p></div><hr>",
                html_escape(&a.content.severity.to_uppercase()),
                html_escape(&self.topic_name(&a.content.topic)),
                html_escape(&a.content.version),
                html_escape(&a.content.url),
                html_escape(&a.content.title),
                html_escape(&a.content.source),
                html_escape(&a.content.published.map_or_else(|| local(a.created), local)),
                marked(&a.content.snippet, "<mark>", "</mark>", html_escape),
                html_escape(&self.archive(a)),
                a.id,
            ));
        }
        out.push_str("</body></html>");
        out
    }

    /// The webhook payload.
    pub fn json(&self) -> serde_json::Value {
        let time = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
        json!({
            "route": self.route,
            "kind": self.kind.name(),
            "topic": self.topic,
            "sent": time(self.now),
            "alerts": self.alerts.iter().map(|a| json!({
                "id": a.id,
                "created": time(a.created),
                "document": a.content.doc_id,
                "topic": a.content.topic,
                "topic_name": self.topic_names.get(&a.content.topic),
                "severity": a.content.severity,
                "rule_version": a.content.version,
                "title": a.content.title,
                "source": a.content.source,
                "url": a.content.url,
                "published": a.content.published.map(time),
                "provinces": a.content.provinces,
                "snippet": marked(&a.content.snippet, "", "", plain),
                "snippet_html": marked(&a.content.snippet, "<mark>", "</mark>", html_escape),
                "archive": self.archive(a),
            })).collect::<Vec<_>>(),
        })
    }

    /// A Telegram message (parse mode HTML), within the Bot API's 4,096 characters.
    pub fn telegram(&self) -> String {
        let mut out = format!("<b>{}</b>\n", html_escape(&self.subject()));
        for a in &self.alerts {
            let block = format!(
                "\n<b>{}</b> · {}\n<a href=\"{}\">{}</a> ({})\n{}\nmã {} · quy tắc {}\n",
                html_escape(&a.content.severity.to_uppercase()),
                html_escape(&self.topic_name(&a.content.topic)),
                html_escape(&a.content.url),
                html_escape(&a.content.title),
                html_escape(&a.content.source),
                marked(&a.content.snippet, "<b>", "</b>", html_escape),
                a.id,
                html_escape(&a.content.version),
            );
            if out.chars().count() + block.chars().count() > 4000 {
                out.push_str("\n…");
                break;
            }
            out.push_str(&block);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use langnghe_store::AlertContent;

    fn alert(id: i64, title: &str) -> Alert {
        Alert {
            id,
            created: OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
            content: AlertContent {
                route: "duty".into(),
                doc_id: format!("d{id}"),
                topic: "dinh-cong".into(),
                severity: "critical".into(),
                version: "0123456789abcdef".into(),
                title: title.into(),
                source: "nld".into(),
                url: "https://nld.com.vn/a b.htm".into(),
                snippet: "…300 công nhân [[ngừng việc]] <tập thể>…".into(),
                provinces: vec!["dong-nai".into()],
                published: None,
            },
            acked: None,
        }
    }

    #[test]
    fn every_form_carries_the_evidence() {
        let names = HashMap::from([("dinh-cong".to_string(), "Đình công".to_string())]);
        let (a, b) = (
            alert(7, "Công nhân ngừng việc"),
            alert(8, "Thêm một nhà máy"),
        );
        let mut m = Outgoing {
            route: "duty",
            kind: DeliveryKind::Immediate,
            topic: Some("dinh-cong"),
            alerts: vec![&a],
            archive_link: Some("http://localhost:8080/archive?url={url}"),
            topic_names: &names,
            now: a.created,
        };
        assert_eq!(
            m.subject(),
            "[langnghe] CRITICAL Đình công (dinh-cong): Công nhân ngừng việc"
        );
        let text = m.text();
        assert!(text.contains("công nhân «ngừng việc» <tập thể>"), "{text}");
        assert!(text.contains("quy tắc 0123456789abcdef"));
        assert!(text.contains(
            "Bản lưu: http://localhost:8080/archive?url=https%3A%2F%2Fnld.com.vn%2Fa%20b.htm"
        ));
        assert!(text.contains("langnghe alerts ack 7"));
        let html = m.html();
        assert!(
            html.contains("<mark>ngừng việc</mark> &lt;tập thể&gt;"),
            "{html}"
        );
        let j = m.json();
        assert_eq!(j["alerts"][0]["rule_version"], "0123456789abcdef");
        assert_eq!(
            j["alerts"][0]["snippet"],
            "…300 công nhân ngừng việc <tập thể>…"
        );
        assert_eq!(j["alerts"][0]["provinces"][0], "dong-nai");
        m.alerts.push(&b);
        assert_eq!(
            m.subject(),
            "[langnghe] CRITICAL Đình công (dinh-cong): 2 tin mới"
        );
        assert!(m.telegram().contains("<b>ngừng việc</b> &lt;tập thể&gt;"));
        assert!(m.telegram().contains("Thêm một nhà máy"));
    }
}
