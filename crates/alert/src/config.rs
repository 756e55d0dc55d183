//! `config/alerts.toml`: the channels alerts go out on and the routes that say which topics,
//! severities and provinces go where, how often and in which digests.

use serde::Deserialize;
use time::{Time, Weekday};

use langnghe_model::{ConfigProblem, Severity};
use langnghe_store::DeliveryKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    archive_link: Option<String>,
    max_age_hours: Option<u64>,
    #[serde(default, rename = "channel")]
    channels: Vec<ChannelFile>,
    #[serde(default, rename = "route")]
    routes: Vec<RouteFile>,
    spikes: Option<SpikesFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpikesFile {
    enabled: Option<bool>,
    sensitivity: Option<String>,
    min_items_day: Option<u64>,
    min_items_hour: Option<u64>,
    severity: Option<Severity>,
    #[serde(default)]
    topics: Vec<String>,
}

/// Spike alerts: a topic's last hour or day unusually busy against its own history.
#[derive(Debug, Clone, PartialEq)]
pub struct Spikes {
    /// Whether spikes are looked for.
    pub enabled: bool,
    /// `low`, `medium` or `high` (see langnghe-trends).
    pub sensitivity: String,
    /// No spike with fewer documents in the day.
    pub min_items_day: u64,
    /// No spike with fewer documents in the hour.
    pub min_items_hour: u64,
    /// The severity spike alerts carry, for routing.
    pub severity: Severity,
    /// Topic ids watched; empty: every topic.
    pub topics: Vec<String>,
}

impl Default for Spikes {
    fn default() -> Self {
        Spikes {
            enabled: true,
            sensitivity: "medium".into(),
            min_items_day: 5,
            min_items_hour: 3,
            severity: Severity::Alert,
            topics: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelFile {
    id: String,
    kind: String,
    // smtp
    server: Option<String>,
    port: Option<u16>,
    security: Option<String>,
    username: Option<String>,
    password_env: Option<String>,
    from: Option<String>,
    #[serde(default)]
    to: Vec<String>,
    // webhook
    url: Option<String>,
    secret_env: Option<String>,
    // telegram
    token_env: Option<String>,
    chat_id: Option<String>,
    api_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteFile {
    id: String,
    #[serde(default)]
    topics: Vec<String>,
    min_severity: Option<Severity>,
    #[serde(default)]
    provinces: Vec<String>,
    channels: Vec<String>,
    deliver: Option<Vec<String>>,
    cooldown_seconds: Option<u64>,
    digest_time: Option<String>,
    digest_weekday: Option<String>,
}

/// How a mail server is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP (a relay on the same machine or network).
    None,
    /// STARTTLS after connecting (port 587).
    StartTls,
    /// TLS from the start (port 465).
    Tls,
}

/// Where alert messages go.
#[derive(Debug, Clone, PartialEq)]
pub enum ChannelKind {
    /// Mail through an SMTP server.
    Smtp {
        /// Host name or address.
        server: String,
        /// Port (25, 587 or 465 by `security` unless given).
        port: u16,
        /// Transport security.
        security: Security,
        /// User name, if the server wants one.
        username: Option<String>,
        /// The environment variable holding the password.
        password_env: Option<String>,
        /// Sender.
        from: String,
        /// Recipients.
        to: Vec<String>,
    },
    /// A JSON POST to a URL, signed with HMAC-SHA256 when a secret is set.
    Webhook {
        /// Where to POST.
        url: String,
        /// The environment variable holding the signing key.
        secret_env: Option<String>,
    },
    /// A message to a Telegram chat through the Bot API.
    Telegram {
        /// The environment variable holding the bot token.
        token_env: String,
        /// The chat (a group's or channel's id, or `@channelname`).
        chat_id: String,
        /// The Bot API's base URL.
        api_url: String,
    },
}

/// A channel with its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// Id used by routes.
    pub id: String,
    /// What it is.
    pub kind: ChannelKind,
}

/// Which alerts go where.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Id (recorded with each alert it raises).
    pub id: String,
    /// Topic ids; empty: every topic.
    pub topics: Vec<String>,
    /// The least severity that goes.
    pub min_severity: Severity,
    /// Province ids; empty: anywhere (and documents without a province).
    pub provinces: Vec<String>,
    /// Channel ids.
    pub channels: Vec<String>,
    /// How the alerts go out: immediately (grouped within the cooldown), in digests, or both.
    pub deliver: Vec<DeliveryKind>,
    /// Per topic and channel, immediate messages go at most this often; alerts raised in
    /// between wait and go together in one message.
    pub cooldown_seconds: u64,
    /// When digests go out, Vietnam time.
    pub digest_time: Time,
    /// The day weekly digests go out.
    pub digest_weekday: Weekday,
}

impl Route {
    /// Whether an alert on `topic` of `severity` in `provinces` takes this route.
    pub fn takes(&self, topic: &str, severity: Severity, provinces: &[String]) -> bool {
        severity >= self.min_severity
            && (self.topics.is_empty() || self.topics.iter().any(|t| t == topic))
            && (self.provinces.is_empty() || provinces.iter().any(|p| self.provinces.contains(p)))
    }
}

/// The alerts configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertsConfig {
    /// Link to a document's archived copy; `{url}` is replaced by its URL, escaped.
    pub archive_link: Option<String>,
    /// A document published (or, undated, fetched) longer ago raises no alert: importing an
    /// archive of old news must not flood the officers (72 hours unless given).
    pub max_age_hours: u64,
    /// Channels.
    pub channels: Vec<Channel>,
    /// Routes.
    pub routes: Vec<Route>,
    /// Spike alerts.
    pub spikes: Spikes,
}

/// The alerts configuration used when `config/alerts.toml` is absent: alerts of severity
/// `alert` and above are kept in the inbox, sent nowhere.
pub const DEFAULT_ALERTS: &str = r#"version = 1
[[route]]
id = "inbox"
min_severity = "alert"
channels = []
"#;

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s.to_ascii_lowercase().as_str() {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

fn clock(s: &str) -> Option<Time> {
    let (h, m) = s.split_once(':')?;
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

impl AlertsConfig {
    /// Parses `text` (named `file` in problems); every problem has its key.
    pub fn parse(text: &str, file: &str) -> Result<AlertsConfig, Vec<ConfigProblem>> {
        let raw: File = langnghe_model::parse_toml(text, file)?;
        let mut problems = Vec::new();
        let mut p = |key: String, message: String| {
            problems.push(ConfigProblem::at(file, key, message));
        };
        if raw.version != 1 {
            p(
                "version".into(),
                format!("this build reads version 1, the file says {}", raw.version),
            );
        }
        if let Some(link) = &raw.archive_link
            && !link.contains("{url}")
        {
            p(
                "archive_link".into(),
                "must hold {url}, where the document's URL goes".into(),
            );
        }
        let mut channels: Vec<Channel> = Vec::new();
        for (i, c) in raw.channels.into_iter().enumerate() {
            let at = |key: &str| format!("channel[{i}] ({}).{key}", c.id);
            if let Some(problem) = langnghe_model::id_problem(&c.id) {
                p(at("id"), problem);
            }
            if channels.iter().any(|o| o.id == c.id) {
                p(at("id"), "is used by another channel".into());
            }
            let unused = |p: &mut dyn FnMut(String, String), names: &[(&str, bool)]| {
                for (name, set) in names {
                    if *set {
                        p(at(name), format!("is not a setting of {} channels", c.kind));
                    }
                }
            };
            let kind = match c.kind.as_str() {
                "smtp" => {
                    unused(
                        &mut p,
                        &[
                            ("url", c.url.is_some()),
                            ("secret_env", c.secret_env.is_some()),
                            ("token_env", c.token_env.is_some()),
                            ("chat_id", c.chat_id.is_some()),
                            ("api_url", c.api_url.is_some()),
                        ],
                    );
                    let security = match c.security.as_deref().unwrap_or("starttls") {
                        "none" => Security::None,
                        "starttls" => Security::StartTls,
                        "tls" => Security::Tls,
                        other => {
                            p(
                                at("security"),
                                format!("{other:?} is not none, starttls or tls"),
                            );
                            Security::StartTls
                        }
                    };
                    let server = c.server.clone().unwrap_or_default();
                    if server.trim().is_empty() {
                        p(
                            at("server"),
                            "is required: the mail server's host name".into(),
                        );
                    }
                    let from = c.from.clone().unwrap_or_default();
                    if from.parse::<lettre::message::Mailbox>().is_err() {
                        p(
                            at("from"),
                            format!(
                                "{from:?} is not a mail address (\"Name <a@b.vn>\" or \"a@b.vn\")"
                            ),
                        );
                    }
                    if c.to.is_empty() {
                        p(at("to"), "needs at least one recipient".into());
                    }
                    for (k, to) in c.to.iter().enumerate() {
                        if to.parse::<lettre::message::Mailbox>().is_err() {
                            p(
                                at(&format!("to[{k}]")),
                                format!("{to:?} is not a mail address"),
                            );
                        }
                    }
                    if c.password_env.is_some() && c.username.is_none() {
                        p(at("username"), "is required with password_env".into());
                    }
                    ChannelKind::Smtp {
                        server,
                        port: c.port.unwrap_or(match security {
                            Security::None => 25,
                            Security::StartTls => 587,
                            Security::Tls => 465,
                        }),
                        security,
                        username: c.username.clone(),
                        password_env: c.password_env.clone(),
                        from,
                        to: c.to.clone(),
                    }
                }
                "webhook" => {
                    unused(
                        &mut p,
                        &[
                            ("server", c.server.is_some()),
                            ("from", c.from.is_some()),
                            ("to", !c.to.is_empty()),
                            ("token_env", c.token_env.is_some()),
                            ("chat_id", c.chat_id.is_some()),
                        ],
                    );
                    let url = c.url.clone().unwrap_or_default();
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        p(at("url"), format!("{url:?} is not an http(s) URL"));
                    }
                    ChannelKind::Webhook {
                        url,
                        secret_env: c.secret_env.clone(),
                    }
                }
                "telegram" => {
                    unused(
                        &mut p,
                        &[
                            ("server", c.server.is_some()),
                            ("from", c.from.is_some()),
                            ("to", !c.to.is_empty()),
                            ("url", c.url.is_some()),
                        ],
                    );
                    let token_env = c.token_env.clone().unwrap_or_default();
                    if token_env.is_empty() {
                        p(
                            at("token_env"),
                            "is required: the environment variable holding the bot token".into(),
                        );
                    }
                    let chat_id = c.chat_id.clone().unwrap_or_default();
                    if chat_id.is_empty() {
                        p(at("chat_id"), "is required".into());
                    }
                    let api_url = c
                        .api_url
                        .clone()
                        .unwrap_or_else(|| "https://api.telegram.org".into());
                    if !(api_url.starts_with("http://") || api_url.starts_with("https://")) {
                        p(at("api_url"), format!("{api_url:?} is not an http(s) URL"));
                    }
                    ChannelKind::Telegram {
                        token_env,
                        chat_id,
                        api_url: api_url.trim_end_matches('/').to_string(),
                    }
                }
                other => {
                    p(
                        at("kind"),
                        format!("{other:?} is not smtp, webhook or telegram"),
                    );
                    continue;
                }
            };
            channels.push(Channel { id: c.id, kind });
        }
        let mut routes: Vec<Route> = Vec::new();
        for (i, r) in raw.routes.into_iter().enumerate() {
            let at = |key: &str| format!("route[{i}] ({}).{key}", r.id);
            if let Some(problem) = langnghe_model::id_problem(&r.id) {
                p(at("id"), problem);
            }
            if routes.iter().any(|o| o.id == r.id) {
                p(at("id"), "is used by another route".into());
            }
            for (k, c) in r.channels.iter().enumerate() {
                if !channels.iter().any(|ch| &ch.id == c) {
                    p(at(&format!("channels[{k}]")), format!("no channel {c:?}"));
                }
            }
            let mut deliver = Vec::new();
            for (k, d) in r
                .deliver
                .clone()
                .unwrap_or_else(|| vec!["immediate".into()])
                .iter()
                .enumerate()
            {
                match d.as_str() {
                    "immediate" => deliver.push(DeliveryKind::Immediate),
                    "daily" => deliver.push(DeliveryKind::Daily),
                    "weekly" => deliver.push(DeliveryKind::Weekly),
                    other => p(
                        at(&format!("deliver[{k}]")),
                        format!("{other:?} is not immediate, daily or weekly"),
                    ),
                }
            }
            let digest_time = match r.digest_time.as_deref() {
                None => Time::from_hms(7, 30, 0).unwrap_or(Time::MIDNIGHT),
                Some(s) => clock(s).unwrap_or_else(|| {
                    p(at("digest_time"), format!("{s:?} is not HH:MM"));
                    Time::MIDNIGHT
                }),
            };
            let digest_weekday = match r.digest_weekday.as_deref() {
                None => Weekday::Monday,
                Some(s) => weekday(s).unwrap_or_else(|| {
                    p(
                        at("digest_weekday"),
                        format!("{s:?} is not a day of the week"),
                    );
                    Weekday::Monday
                }),
            };
            routes.push(Route {
                id: r.id,
                topics: r.topics,
                min_severity: r.min_severity.unwrap_or(Severity::Alert),
                provinces: r.provinces,
                channels: r.channels,
                deliver,
                cooldown_seconds: r.cooldown_seconds.unwrap_or(1800),
                digest_time,
                digest_weekday,
            });
        }
        let mut spikes = Spikes::default();
        if let Some(sp) = raw.spikes {
            spikes.enabled = sp.enabled.unwrap_or(true);
            if let Some(sens) = sp.sensitivity {
                if !["low", "medium", "high"].contains(&sens.as_str()) {
                    p(
                        "spikes.sensitivity".into(),
                        format!("{sens:?} is not low, medium or high"),
                    );
                }
                spikes.sensitivity = sens;
            }
            spikes.min_items_day = sp.min_items_day.unwrap_or(spikes.min_items_day);
            spikes.min_items_hour = sp.min_items_hour.unwrap_or(spikes.min_items_hour);
            spikes.severity = sp.severity.unwrap_or(spikes.severity);
            spikes.topics = sp.topics;
        }
        if problems.is_empty() {
            Ok(AlertsConfig {
                spikes,
                archive_link: raw.archive_link,
                max_age_hours: raw.max_age_hours.unwrap_or(72),
                channels,
                routes,
            })
        } else {
            Err(problems)
        }
    }

    /// The configuration used when there is no alerts file.
    pub fn builtin() -> AlertsConfig {
        #[allow(clippy::expect_used)] // A constant, checked by a test.
        AlertsConfig::parse(DEFAULT_ALERTS, "alerts.toml (built in)")
            .expect("the built-in alerts configuration parses")
    }

    /// Problems of routes naming topics or provinces that do not exist.
    pub fn check_names(
        &self,
        file: &str,
        topics: &[&str],
        provinces: &[&str],
    ) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        for (k, t) in self.spikes.topics.iter().enumerate() {
            if !topics.contains(&t.as_str()) {
                problems.push(ConfigProblem::at(
                    file,
                    format!("spikes.topics[{k}]"),
                    format!("no topic {t:?} in the topic packs"),
                ));
            }
        }
        for (i, r) in self.routes.iter().enumerate() {
            for (k, t) in r.topics.iter().enumerate() {
                if !topics.contains(&t.as_str()) {
                    problems.push(ConfigProblem::at(
                        file,
                        format!("route[{i}] ({}).topics[{k}]", r.id),
                        format!("no topic {t:?} in the topic packs"),
                    ));
                }
            }
            for (k, pr) in r.provinces.iter().enumerate() {
                if !provinces.contains(&pr.as_str()) {
                    problems.push(ConfigProblem::at(
                        file,
                        format!("route[{i}] ({}).provinces[{k}]", r.id),
                        format!("no province {pr:?} in the gazetteer"),
                    ));
                }
            }
        }
        problems
    }

    /// The channel with this id.
    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    /// The route with this id.
    pub fn route(&self, id: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_full_configuration_parses_and_the_builtin_too() {
        let c = AlertsConfig::parse(
            r#"version = 1
archive_link = "http://localhost:8080/archive?url={url}"
[[channel]]
id = "mail"
kind = "smtp"
server = "127.0.0.1"
security = "none"
from = "langnghe <alerts@localhost>"
to = ["duty@localhost"]
[[channel]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/hook"
secret_env = "HOOK_SECRET"
[[channel]]
id = "tg"
kind = "telegram"
token_env = "TG_TOKEN"
chat_id = "-100123"
[[route]]
id = "strikes"
topics = ["dinh-cong"]
provinces = ["dong-nai"]
channels = ["mail", "hook", "tg"]
deliver = ["immediate", "daily"]
cooldown_seconds = 600
digest_time = "18:00"
"#,
            "alerts.toml",
        )
        .unwrap();
        assert_eq!(c.channels.len(), 3);
        assert!(matches!(
            c.channel("mail").unwrap().kind,
            ChannelKind::Smtp {
                port: 25,
                security: Security::None,
                ..
            }
        ));
        let r = c.route("strikes").unwrap();
        assert_eq!(r.deliver, [DeliveryKind::Immediate, DeliveryKind::Daily]);
        assert_eq!(r.min_severity, Severity::Alert);
        assert!(r.takes("dinh-cong", Severity::Critical, &["dong-nai".into()]));
        assert!(!r.takes("dinh-cong", Severity::Critical, &["ha-noi".into()]));
        assert!(!r.takes("dinh-cong", Severity::Watch, &["dong-nai".into()]));
        assert!(!r.takes("bhxh", Severity::Critical, &["dong-nai".into()]));
        assert_eq!(AlertsConfig::builtin().routes[0].channels.len(), 0);
        let problems = c.check_names("alerts.toml", &["bhxh"], &["ha-noi"]);
        assert_eq!(problems.len(), 2);
        assert_eq!(
            problems[0].to_string(),
            "alerts.toml: route[0] (strikes).topics[0]: no topic \"dinh-cong\" in the topic packs"
        );
    }

    #[test]
    fn every_problem_is_named_with_its_key() {
        let problems: Vec<String> = AlertsConfig::parse(
            r#"version = 1
archive_link = "http://x/"
[[channel]]
id = "mail"
kind = "smtp"
from = "not an address"
url = "http://x"
[[channel]]
id = "pigeon"
kind = "pigeon"
[[route]]
id = "r"
channels = ["mail", "fax"]
deliver = ["hourly"]
digest_time = "25:00"
"#,
            "alerts.toml",
        )
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            problems,
            [
                "alerts.toml: archive_link: must hold {url}, where the document's URL goes",
                "alerts.toml: channel[0] (mail).url: is not a setting of smtp channels",
                "alerts.toml: channel[0] (mail).server: is required: the mail server's host name",
                "alerts.toml: channel[0] (mail).from: \"not an address\" is not a mail address (\"Name <a@b.vn>\" or \"a@b.vn\")",
                "alerts.toml: channel[0] (mail).to: needs at least one recipient",
                "alerts.toml: channel[1] (pigeon).kind: \"pigeon\" is not smtp, webhook or telegram",
                "alerts.toml: route[0] (r).channels[1]: no channel \"fax\"",
                "alerts.toml: route[0] (r).deliver[0]: \"hourly\" is not immediate, daily or weekly",
                "alerts.toml: route[0] (r).digest_time: \"25:00\" is not HH:MM",
            ]
        );
        // Syntax errors name the line.
        let p = AlertsConfig::parse("version = 1\n[[route]\n", "alerts.toml").unwrap_err();
        assert_eq!(p[0].line.map(|l| l.0), Some(2));
    }
}
