//! End to end: documents committed by `langnghe import` raise alerts that reach a real SMTP
//! server (aiosmtpd, Debian's python3-aiosmtpd) on loopback, a webhook receiver (checking the
//! HMAC signature) and a server answering like the Telegram Bot API, within 5 s; documents
//! arriving within the cooldown go together in the next message; the inbox lists and
//! acknowledges.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "common/cli.rs"]
mod cli;
use cli::ok;

fn langnghe(args: &[&str], data: &Path, config: &Path) -> Output {
    cli::run(
        args,
        data,
        Some(config),
        &[
            ("LANGNGHE_TEST_HOOK_SECRET", "bí mật 42"),
            ("LANGNGHE_TEST_TG_TOKEN", "123456:ABC-test"),
        ],
    )
}

/// Debian's Python, where python3-aiosmtpd installs (a pyenv `python3` earlier on PATH lacks it).
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// A real SMTP server writing each message it receives to a maildir.
struct Smtp {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl Smtp {
    fn start(dir: &Path) -> Smtp {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = dir.join("maildir");
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect(
                "python3 with aiosmtpd (apt-get install python3-aiosmtpd; .ci/run installs it)",
            );
        let mut smtp = Smtp {
            child,
            port,
            maildir,
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = smtp.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = smtp.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("aiosmtpd exited ({status}): {err} — install python3-aiosmtpd");
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        smtp
    }

    /// The messages received so far, decoded by Python's email package: (subject, plain text).
    fn messages(&self) -> Vec<(String, String)> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap());
        paths
            .iter()
            .map(|p| {
                let out = Command::new(python())
                    .arg("-c")
                    .arg(
                        "import email, email.policy, json, sys\n\
                         m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
                         print(json.dumps([str(m['subject']), m.get_body(('plain',)).get_content()]))",
                    )
                    .arg(p)
                    .output()
                    .unwrap();
                let v: (String, String) = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
                v
            })
            .collect()
    }

    fn wait_for(&self, n: usize, limit: Duration) -> Vec<(String, String)> {
        let start = Instant::now();
        loop {
            let m = self.messages();
            if m.len() >= n || start.elapsed() > limit {
                return m;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request an HTTP receiver got: path, headers (lowercase names), body.
type Received = Arc<Mutex<Vec<(String, Vec<(String, String)>, Vec<u8>)>>>;

/// An HTTP server on loopback recording every request and answering `answer`.
fn receiver(answer: &'static str) -> (u16, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Received = Arc::default();
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split(' ').nth(1).unwrap_or("").to_string();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.push((k.trim().to_lowercase(), v.trim().to_string()));
                }
            }
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            seen.lock().unwrap().push((path, headers, body));
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (port, got)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn hmac_hex(key: &[u8], body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    ring::hmac::sign(&key, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn config(dir: &Path, smtp: u16, hook: u16, telegram: u16) -> PathBuf {
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let config = dir.join("config");
    std::fs::create_dir_all(config.join("topics")).unwrap();
    for file in ["provinces.toml", "lexicon.txt", "topics/labour.toml"] {
        std::fs::copy(shipped.join(file), config.join(file)).unwrap();
    }
    std::fs::write(
        config.join("alerts.toml"),
        format!(
            r#"version = 1
archive_link = "http://langnghe.local/archive?url={{url}}"
[[channel]]
id = "mail"
kind = "smtp"
server = "127.0.0.1"
port = {smtp}
security = "none"
from = "langnghe <canhbao@langnghe.local>"
to = ["truc-ban@langnghe.local"]
[[channel]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:{hook}/langnghe"
secret_env = "LANGNGHE_TEST_HOOK_SECRET"
[[channel]]
id = "telegram"
kind = "telegram"
token_env = "LANGNGHE_TEST_TG_TOKEN"
chat_id = "-1001234567890"
api_url = "http://127.0.0.1:{telegram}"
[[route]]
id = "strikes"
topics = ["dinh-cong"]
min_severity = "alert"
channels = ["mail", "hook", "telegram"]
cooldown_seconds = 4
"#
        ),
    )
    .unwrap();
    config
}

fn strike(id: &str, title: &str, place: &str) -> String {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    serde_json::json!({
        "id": id,
        "url": format!("https://nld.com.vn/{id}.htm"),
        "source": "nld",
        "title": title,
        "body": format!("Sáng nay, hàng trăm công nhân một công ty ở {place} ngừng việc tập thể, đòi trả lương đúng hạn."),
        "published": now,
    })
    .to_string()
}

#[test]
fn a_committed_strike_reaches_mail_webhook_and_telegram_and_later_ones_are_grouped() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let (hook_port, hook) = receiver("{}");
    let (tg_port, tg) = receiver(
        r#"{"ok":true,"result":{"message_id":7,"chat":{"id":-1001234567890,"type":"channel"},"date":1790000000,"text":"…"}}"#,
    );
    let config = config(dir.path(), smtp.port, hook_port, tg_port);
    let data = dir.path().join("data");
    let first = dir.path().join("first.jsonl");
    std::fs::write(
        &first,
        strike("a1", "Hơn 500 công nhân ngừng việc tập thể", "Bình Dương") + "\n",
    )
    .unwrap();

    let start = Instant::now();
    ok(&langnghe(
        &["import", first.to_str().unwrap()],
        &data,
        &config,
    ));
    let mails = smtp.wait_for(1, Duration::from_secs(5));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(mails.len(), 1);
    let (subject, text) = &mails[0];
    assert_eq!(
        subject,
        "[langnghe] CRITICAL Đình công, ngừng việc tập thể (dinh-cong): Hơn 500 công nhân ngừng việc tập thể"
    );
    // Title, source, URL, snippet with the matched terms marked, topic, severity, rule
    // version, link to the archived copy, and how to acknowledge.
    assert!(
        text.contains("Hơn 500 công nhân ngừng việc tập thể\nnld · "),
        "{text}"
    );
    assert!(text.contains("https://nld.com.vn/a1.htm"), "{text}");
    assert!(
        text.contains("công nhân một công ty ở Bình Dương «ngừng việc» tập thể"),
        "{text}"
    );
    let rules = ok(&langnghe(&["rules", "list", "--json"], &data, &config));
    let rules: serde_json::Value = serde_json::from_str(rules.trim()).unwrap();
    let version = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "dinh-cong")
        .unwrap()["version"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains(&format!(
            "CRITICAL · Đình công, ngừng việc tập thể (dinh-cong) · quy tắc {version}"
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "Bản lưu: http://langnghe.local/archive?url=https%3A%2F%2Fnld.com.vn%2Fa1.htm"
        ),
        "{text}"
    );
    assert!(text.contains("langnghe alerts ack 1"), "{text}");

    // The webhook call is signed over its exact body.
    let calls = hook.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    let (path, headers, body) = &calls[0];
    assert_eq!(path, "/langnghe");
    assert_eq!(
        header(headers, "x-langnghe-signature").unwrap(),
        format!("sha256={}", hmac_hex("bí mật 42".as_bytes(), body))
    );
    let payload: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(payload["alerts"][0]["topic"], "dinh-cong");
    assert_eq!(payload["alerts"][0]["severity"], "critical");
    assert_eq!(payload["alerts"][0]["rule_version"], version);
    assert_eq!(payload["alerts"][0]["provinces"][0], "ho-chi-minh");
    // The Bot API call: sendMessage with the bot token in the path, the chat and HTML text.
    let calls = tg.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].0, "/bot123456:ABC-test/sendMessage");
    let m: serde_json::Value = serde_json::from_slice(&calls[0].2).unwrap();
    assert_eq!(m["chat_id"], "-1001234567890");
    assert_eq!(m["parse_mode"], "HTML");
    assert!(
        m["text"].as_str().unwrap().contains("<b>ngừng việc</b>"),
        "{m}"
    );

    // Two more strikes inside the cooldown: recorded, not sent yet.
    let more = dir.path().join("more.jsonl");
    std::fs::write(
        &more,
        strike("b2", "Công nhân công ty giày ngừng việc", "Đồng Nai")
            + "\n"
            + &strike("c3", "Thêm một nhà máy ngừng việc", "Long An")
            + "\n",
    )
    .unwrap();
    ok(&langnghe(
        &["import", more.to_str().unwrap()],
        &data,
        &config,
    ));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(hook.lock().unwrap().len(), 1);
    let inbox = ok(&langnghe(&["alerts", "--json"], &data, &config));
    let inbox: serde_json::Value = serde_json::from_str(inbox.trim()).unwrap();
    let ids: Vec<&str> = inbox
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["document"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c3", "b2", "a1"]);

    // After the cooldown, one message on each channel holds both.
    std::thread::sleep(Duration::from_secs(4));
    let report = ok(&langnghe(&["alerts", "dispatch", "--json"], &data, &config));
    let report: serde_json::Value = serde_json::from_str(report.trim()).unwrap();
    assert_eq!(report["messages"].as_array().unwrap().len(), 3, "{report}");
    let mails = smtp.wait_for(2, Duration::from_secs(5));
    assert_eq!(mails.len(), 2);
    assert_eq!(
        mails[1].0,
        "[langnghe] CRITICAL Đình công, ngừng việc tập thể (dinh-cong): 2 tin mới"
    );
    assert!(mails[1].1.contains("Công nhân công ty giày ngừng việc"));
    assert!(mails[1].1.contains("Thêm một nhà máy ngừng việc"));
    let calls = hook.lock().unwrap().clone();
    assert_eq!(calls.len(), 2);
    let payload: serde_json::Value = serde_json::from_slice(&calls[1].2).unwrap();
    assert_eq!(payload["alerts"].as_array().unwrap().len(), 2);
    assert_eq!(tg.lock().unwrap().len(), 2);
    // Nothing more is due; re-importing the same documents raises nothing new.
    ok(&langnghe(
        &["import", more.to_str().unwrap()],
        &data,
        &config,
    ));
    let report = ok(&langnghe(&["alerts", "dispatch", "--json"], &data, &config));
    let report: serde_json::Value = serde_json::from_str(report.trim()).unwrap();
    assert_eq!(report["messages"], serde_json::json!([]), "{report}");

    // Acknowledging takes an alert off the list.
    let first_id = inbox[2]["id"].as_i64().unwrap().to_string();
    ok(&langnghe(
        &["alerts", "ack", &first_id, "--by", "truc.ban"],
        &data,
        &config,
    ));
    let unacked = ok(&langnghe(&["alerts", "--json"], &data, &config));
    let unacked: serde_json::Value = serde_json::from_str(unacked.trim()).unwrap();
    assert_eq!(unacked.as_array().unwrap().len(), 2);
    let all = ok(&langnghe(&["alerts", "--all", "--json"], &data, &config));
    let all: serde_json::Value = serde_json::from_str(all.trim()).unwrap();
    assert_eq!(all[2]["acked_by"], "truc.ban");
    let out = langnghe(&["alerts", "ack", "999"], &data, &config);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no alert 999"));
}

#[test]
fn an_unreachable_channel_is_reported_and_retried_without_losing_the_alert() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on these ports.
    let dead = || {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let config = config(dir.path(), dead(), dead(), dead());
    let data = dir.path().join("data");
    let input = dir.path().join("a.jsonl");
    std::fs::write(&input, strike("a1", "Công nhân ngừng việc", "Huế") + "\n").unwrap();
    let out = langnghe(&["import", input.to_str().unwrap()], &data, &config);
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("channel mail: not sent, retried later: smtp://127.0.0.1:"),
        "{stderr}"
    );
    let inbox = ok(&langnghe(&["alerts", "--json"], &data, &config));
    let inbox: serde_json::Value = serde_json::from_str(inbox.trim()).unwrap();
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    // The failure names the server; the deliveries wait for their back-off.
    let out = langnghe(&["alerts", "dispatch", "--json"], &data, &config);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["messages"],
        serde_json::json!([]),
        "backing off: {report}"
    );
    assert_eq!(report["waiting"], 3);
    let channels = ok(&langnghe(&["alerts", "channels", "--json"], &data, &config));
    let channels: serde_json::Value = serde_json::from_str(channels.trim()).unwrap();
    let mail = &channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "mail")
        .unwrap();
    assert_eq!(
        (&mail["messages"], &mail["pending"]),
        (&serde_json::json!(0), &serde_json::json!(1))
    );
    assert!(
        mail["last_error"]
            .as_str()
            .unwrap()
            .starts_with("smtp://127.0.0.1:")
    );
}

#[test]
fn an_unusual_day_of_strikes_raises_a_spike_alert() {
    let dir = tempfile::tempdir().unwrap();
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (hook_port, hook) = receiver("{}");
    let (tg_port, _tg) = receiver(
        r#"{"ok":true,"result":{"message_id":1,"chat":{"id":1,"type":"channel"},"date":0}}"#,
    );
    let config = config(dir.path(), dead, hook_port, tg_port);
    let data = dir.path().join("data");
    // Eight weeks of one or two strike reports a day, then a Monday with twelve.
    let monday = time::macros::datetime!(2026-11-23 10:00 +7);
    let mut lines = String::new();
    let mut n = 0;
    for day in 0..=56 {
        let at = monday - time::Duration::days(56 - day);
        let count = if day == 56 { 12 } else { 1 + (day % 2) };
        for k in 0..count {
            n += 1;
            let at = at + time::Duration::minutes(k * 7);
            lines.push_str(
                &serde_json::json!({
                    "id": format!("s{n}"),
                    "url": format!("https://nld.com.vn/s{n}.htm"),
                    "source": "nld",
                    "title": format!("Công nhân nhà máy số {n} ngừng việc tập thể"),
                    "body": "Hàng trăm công nhân ở Đồng Nai ngừng việc tập thể.",
                    "published": at.format(&time::format_description::well_known::Rfc3339).unwrap(),
                })
                .to_string(),
            );
            lines.push('\n');
        }
    }
    let input = dir.path().join("history.jsonl");
    std::fs::write(&input, lines).unwrap();
    ok(&langnghe(
        &["import", input.to_str().unwrap()],
        &data,
        &config,
    ));
    // Old news raised no alerts of its own.
    let inbox = ok(&langnghe(&["alerts", "--json"], &data, &config));
    assert_eq!(inbox.trim(), "[]");

    // An ordinary day (the Sunday before) is no spike.
    let out = ok(&langnghe(
        &[
            "alerts",
            "spikes",
            "--json",
            "--at",
            "2026-11-23T00:30:00+07:00",
        ],
        &data,
        &config,
    ));
    assert_eq!(out.trim(), "[]");
    // Early on Tuesday, Monday is.
    let out = ok(&langnghe(
        &[
            "alerts",
            "spikes",
            "--json",
            "--at",
            "2026-11-24T00:30:00+07:00",
        ],
        &data,
        &config,
    ));
    let spikes: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let spikes = spikes.as_array().unwrap();
    assert_eq!(spikes.len(), 1, "{spikes:?}");
    assert_eq!(spikes[0]["topic"], "dinh-cong");
    assert_eq!(spikes[0]["bucket"], "day");
    assert_eq!(spikes[0]["count"], 12);
    assert_eq!(spikes[0]["start"], "2026-11-23T00:00:00+07:00");
    let inbox = ok(&langnghe(&["alerts", "--json"], &data, &config));
    let inbox: serde_json::Value = serde_json::from_str(inbox.trim()).unwrap();
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    assert!(
        inbox[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Tăng đột biến: 12 tin về Đình công"),
        "{inbox}"
    );
    // It went out on the route's webhook; looking again raises it no second time.
    let calls = hook.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    let payload: serde_json::Value = serde_json::from_slice(&calls[0].2).unwrap();
    assert_eq!(payload["alerts"][0]["topic"], "dinh-cong");
    ok(&langnghe(
        &[
            "alerts",
            "spikes",
            "--json",
            "--at",
            "2026-11-24T00:40:00+07:00",
        ],
        &data,
        &config,
    ));
    let inbox = ok(&langnghe(&["alerts", "--json"], &data, &config));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(inbox.trim())
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
