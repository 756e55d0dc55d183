//! `langnghe alerts`: the alert inbox (list, acknowledge) and sending what is due; the glue that
//! raises alerts for committed documents in `import` and `crawl`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use langnghe_alert::{AlertsConfig, DispatchReport, Network};
use langnghe_model::Document;
use langnghe_store::{AlertContent, AlertFilter, NewAlert, SqliteState};

use crate::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    data: DataArgs,
    /// Print one JSON array.
    #[arg(long)]
    json: bool,
    /// Acknowledged alerts too.
    #[arg(long)]
    all: bool,
    /// At most this many, newest first.
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: usize,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Acknowledge alerts: they leave the list of alerts to read.
    Ack {
        /// Alert ids, as `langnghe alerts` shows them.
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Who acknowledges (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Look for spikes: topics whose last complete hour or day was unusually busy against
    /// their own history (the same hour of the last 14 days, the same weekday of the last 8
    /// weeks, allowing for Tết and the months wages change). Spikes raise alerts on the routes
    /// that take their topic; `crawl` looks after every run.
    Spikes {
        /// Print the spikes found as a JSON array.
        #[arg(long)]
        json: bool,
        /// Look as if it were this time (RFC 3339), to replay the past.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Per channel: messages sent, deliveries waiting, the last error.
    Channels {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Send what is due: messages whose cooldown has passed, digests whose hour has come, and
    /// failed messages whose back-off is over. Run it from cron, or let `crawl` do it.
    Dispatch {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

impl DataArgs {
    /// The alerts configuration of `--config` (the built-in one if absent).
    pub(crate) fn alerts_config(&self) -> anyhow::Result<AlertsConfig> {
        let path = self.config.join("alerts.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => AlertsConfig::parse(&text, &path.display().to_string())
                .map_err(|p| crate::config_error(&p)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(AlertsConfig::builtin()),
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        }
    }

    pub(crate) fn state_path(&self) -> PathBuf {
        self.data.join("state.sqlite")
    }
}

/// Topic names by id, for messages.
pub(crate) fn topic_names(classifier: &langnghe_rules::Classifier) -> HashMap<String, String> {
    classifier
        .packs()
        .topics
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect()
}

/// The alerts a tagged document raises now.
pub(crate) fn raised(doc: &Document, config: &AlertsConfig) -> Vec<NewAlert> {
    if doc.topic_hits.is_empty() {
        return Vec::new();
    }
    langnghe_alert::alerts_for(doc, config, OffsetDateTime::now_utc(), |tag| {
        langnghe_rules::snippet(doc, tag)
    })
}

/// Sends what is due now, reporting failures on stderr.
pub(crate) fn dispatch_now(
    state: &mut SqliteState,
    config: &AlertsConfig,
    names: &HashMap<String, String>,
) -> anyhow::Result<DispatchReport> {
    let network = Network::new(Duration::from_secs(20)).map_err(anyhow::Error::msg)?;
    let report =
        langnghe_alert::dispatch(state, config, names, OffsetDateTime::now_utc(), &network)?;
    for m in &report.messages {
        if let Some(e) = &m.error {
            eprintln!(
                "alert route {} channel {}: not sent, retried later: {e}",
                m.route, m.channel
            );
        }
    }
    Ok(report)
}

/// Records alerts and sends what is due, on a thread of its own so that the crawl loop never
/// waits for a mail server. Alerts are recorded by the caller (with the commit that made their
/// documents durable); the worker is told to look.
pub(crate) struct Worker {
    tx: Option<mpsc::Sender<()>>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts the worker on the state database at `path`.
    pub(crate) fn start(
        path: &Path,
        config: AlertsConfig,
        names: HashMap<String, String>,
    ) -> anyhow::Result<Worker> {
        let mut state = SqliteState::open(path)?;
        let (tx, rx) = mpsc::channel::<()>();
        let handle = std::thread::Builder::new()
            .name("alerts".into())
            .spawn(move || {
                let mut wait = Duration::from_secs(60);
                loop {
                    let stop = match rx.recv_timeout(wait) {
                        Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => false,
                        Err(mpsc::RecvTimeoutError::Disconnected) => true,
                    };
                    match dispatch_now(&mut state, &config, &names) {
                        Ok(report) => {
                            // Wake for the next cooldown end or digest hour, or in a minute.
                            wait = report
                                .next_due
                                .map(|t| (t - OffsetDateTime::now_utc()).whole_milliseconds())
                                .and_then(|ms| u64::try_from(ms).ok())
                                .map_or(Duration::from_secs(60), |ms| {
                                    Duration::from_millis(ms + 50).min(Duration::from_secs(60))
                                });
                        }
                        Err(e) => eprintln!("alerts: {e:#}"),
                    }
                    if stop {
                        break;
                    }
                }
            })?;
        Ok(Worker {
            tx: Some(tx),
            handle: Some(handle),
        })
    }

    /// Something was recorded: look now.
    pub(crate) fn nudge(&self) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(());
        }
    }

    /// Sends what is due one last time and stops.
    pub(crate) fn finish(mut self) {
        self.tx.take();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Looks for spikes in the last complete hour and day at `now` and records their alerts.
pub(crate) fn check_spikes(
    archive: &langnghe_index::Archive,
    classifier: &langnghe_rules::Classifier,
    config: &AlertsConfig,
    state: &mut SqliteState,
    now: OffsetDateTime,
) -> anyhow::Result<Vec<langnghe_trends::Spike>> {
    use langnghe_trends::{Bucket, Sensitivity, SpikeSettings};
    let sp = &config.spikes;
    if !sp.enabled {
        return Ok(Vec::new());
    }
    let settings = SpikeSettings {
        sensitivity: Sensitivity::parse(&sp.sensitivity).unwrap_or(Sensitivity::Medium),
        min_items_day: sp.min_items_day,
        min_items_hour: sp.min_items_hour,
    };
    let seasons = langnghe_trends::builtin_seasons();
    let local = now.to_offset(langnghe_model::VIETNAM);
    let hour = local
        .replace_minute(0)
        .and_then(|t| t.replace_second(0))
        .and_then(|t| t.replace_nanosecond(0))
        .map_err(|e| anyhow::anyhow!("{e}"))?
        - time::Duration::hours(1);
    let day = local.replace_time(time::Time::MIDNIGHT) - time::Duration::days(1);
    let mut spikes = Vec::new();
    let mut alerts = Vec::new();
    for topic in &classifier.packs().topics {
        if !sp.topics.is_empty() && !sp.topics.contains(&topic.id) {
            continue;
        }
        let query = langnghe_query::Query::Keyword {
            field: langnghe_query::KeywordField::Topic,
            value: topic.id.clone(),
        };
        for (bucket, start) in [(Bucket::Hour, hour), (Bucket::Day, day)] {
            let n = bucket.history();
            let from = start - bucket.width() * n as i32;
            let counts = archive.histogram(&query, from, bucket.width(), n + 1)?;
            let Some(spike) =
                langnghe_trends::detect(&topic.id, bucket, &counts, start, &settings, &seasons)
            else {
                continue;
            };
            let when = spike.start.format(&Rfc3339).unwrap_or_default();
            for route in config
                .routes
                .iter()
                .filter(|r| r.takes(&topic.id, sp.severity, &[]))
            {
                let per = if bucket == Bucket::Hour {
                    "giờ"
                } else {
                    "ngày"
                };
                alerts.push(NewAlert {
                    content: AlertContent {
                        route: route.id.clone(),
                        doc_id: format!("spike:{}:{when}", bucket.name()),
                        topic: topic.id.clone(),
                        severity: sp.severity.name().to_string(),
                        version: format!("spike-{}", sp.sensitivity),
                        title: format!(
                            "Tăng đột biến: {} tin về {} trong {per} từ {} (thường khoảng {:.0})",
                            spike.count,
                            topic.name,
                            &when[..16.min(when.len())].replace('T', " "),
                            spike.expected
                        ),
                        source: "langnghe".into(),
                        url: String::new(),
                        snippet: format!(
                            "{} tin, kỳ vọng {:.1}, điểm {:.1}{}",
                            spike.count,
                            spike.expected,
                            spike.score,
                            spike
                                .season
                                .as_ref()
                                .map_or(String::new(), |s| format!(" (đã tính mùa {s})"))
                        ),
                        provinces: Vec::new(),
                        published: Some(spike.start),
                    },
                    deliveries: route
                        .channels
                        .iter()
                        .flat_map(|c| route.deliver.iter().map(move |k| (c.clone(), *k)))
                        .collect(),
                });
            }
            spikes.push(spike);
        }
    }
    if !alerts.is_empty() {
        state.record_alerts(&alerts, now)?;
    }
    Ok(spikes)
}

#[derive(Serialize)]
struct Row {
    id: i64,
    created: String,
    route: String,
    topic: String,
    severity: String,
    rule_version: String,
    document: String,
    title: String,
    source: String,
    url: String,
    snippet: String,
    provinces: Vec<String>,
    acked: Option<String>,
    acked_by: Option<String>,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let path = args.data.state_path();
    if !args.data.data.is_dir() {
        anyhow::bail!(
            "no data folder {} (nothing imported or crawled yet; --data names another)",
            args.data.data.display()
        );
    }
    let mut state = SqliteState::open(&path)?;
    match &args.command {
        Some(Command::Ack { ids, by }) => {
            let by = by
                .clone()
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "unknown".into());
            let mut missing = Vec::new();
            for id in ids {
                if !state.ack_alert(*id, &by, OffsetDateTime::now_utc())? {
                    missing.push(id.to_string());
                }
            }
            if !missing.is_empty() {
                anyhow::bail!("no alert {}", missing.join(", "));
            }
            eprintln!("acknowledged {} alert(s)", ids.len());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Spikes { json, at }) => {
            let now = match at {
                Some(t) => OffsetDateTime::parse(t, &Rfc3339)
                    .map_err(|e| anyhow::anyhow!("--at {t:?}: not an RFC 3339 time: {e}"))?,
                None => OffsetDateTime::now_utc(),
            };
            let config = args.data.alerts_config()?;
            let classifier = args.data.classifier()?;
            let archive = args.data.open_archive()?;
            let spikes = check_spikes(&archive, &classifier, &config, &mut state, now)?;
            dispatch_now(&mut state, &config, &topic_names(&classifier))?;
            if *json {
                println!("{}", serde_json::to_string(&spikes)?);
            } else {
                for s in &spikes {
                    println!(
                        "{} {} from {}: {} documents, {:.1} expected (score {:.1}, {:?}){}",
                        s.topic,
                        s.bucket.name(),
                        s.start.format(&Rfc3339).unwrap_or_default(),
                        s.count,
                        s.expected,
                        s.score,
                        s.level,
                        s.season
                            .as_ref()
                            .map_or(String::new(), |n| format!(", season {n}"))
                    );
                }
                if spikes.is_empty() {
                    println!("no spikes");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Channels { json }) => {
            let status = state.delivery_status()?;
            if *json {
                let rows: Vec<serde_json::Value> = status
                    .iter()
                    .map(|c| {
                        serde_json::json!({"channel": c.channel, "messages": c.messages,
                            "pending": c.pending, "last_error": c.last_error})
                    })
                    .collect();
                println!("{}", serde_json::to_string(&rows)?);
            } else {
                for c in &status {
                    println!(
                        "{:<16} {:>5} sent {:>5} waiting{}",
                        c.channel,
                        c.messages,
                        c.pending,
                        c.last_error
                            .as_ref()
                            .map_or(String::new(), |e| format!("  last error: {e}"))
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Dispatch { json }) => {
            let config = args.data.alerts_config()?;
            let names = topic_names(&args.data.classifier()?);
            let report = dispatch_now(&mut state, &config, &names)?;
            if *json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                let sent = report.messages.iter().filter(|m| m.error.is_none()).count();
                eprintln!(
                    "sent {sent} message(s), {} failed; {} delivery(ies) waiting{}",
                    report.messages.len() - sent,
                    report.waiting,
                    report
                        .next_due
                        .and_then(|t| t.format(&Rfc3339).ok())
                        .map_or(String::new(), |t| format!(" (next at {t})"))
                );
            }
            Ok(if report.messages.iter().all(|m| m.error.is_none()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        None => {
            let alerts = state.alerts(&AlertFilter {
                unacked: !args.all,
                since: None,
                limit: Some(args.limit),
            })?;
            let time = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
            let rows: Vec<Row> = alerts
                .into_iter()
                .map(|a| Row {
                    id: a.id,
                    created: time(a.created),
                    route: a.content.route,
                    topic: a.content.topic,
                    severity: a.content.severity,
                    rule_version: a.content.version,
                    document: a.content.doc_id,
                    title: a.content.title,
                    source: a.content.source,
                    url: a.content.url,
                    snippet: a.content.snippet,
                    provinces: a.content.provinces,
                    acked: a.acked.as_ref().map(|(t, _)| time(*t)),
                    acked_by: a.acked.map(|(_, by)| by),
                })
                .collect();
            if args.json {
                println!("{}", serde_json::to_string(&rows)?);
            } else {
                for r in &rows {
                    let acked = r
                        .acked_by
                        .as_ref()
                        .map_or(String::new(), |by| format!(" (acknowledged by {by})"));
                    println!(
                        "#{} {} {} [{}] {}{acked}\n    {}\n    {}",
                        r.id,
                        &r.created[..16.min(r.created.len())],
                        r.topic,
                        r.severity,
                        r.title,
                        r.url,
                        r.snippet.replace("[[", "«").replace("]]", "»")
                    );
                }
                if rows.is_empty() {
                    println!("no {}alerts", if args.all { "" } else { "unacknowledged " });
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
