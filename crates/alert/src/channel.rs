//! Sending a message on a channel: SMTP (lettre), webhook (JSON POST signed with HMAC-SHA256),
//! Telegram (Bot API `sendMessage`).

use std::time::Duration;

use lettre::message::MultiPart;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

use crate::config::{Channel, ChannelKind, Security};
use crate::message::Outgoing;

/// Sends messages; the dispatcher's only way out, so that tests can record instead.
pub trait Deliver {
    /// Sends `message` on `channel`; the error says what went wrong, naming the server.
    fn send(&self, channel: &Channel, message: &Outgoing<'_>) -> Result<(), String>;
}

/// The header carrying a webhook payload's signature: `sha256=` and the hex HMAC-SHA256 of the
/// body under the channel's secret (the convention of GitHub's `X-Hub-Signature-256`).
pub const SIGNATURE_HEADER: &str = "X-Langnghe-Signature";

/// The hex HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    ring::hmac::sign(&key, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends over the network.
pub struct Network {
    http: reqwest::blocking::Client,
    timeout: Duration,
}

impl Network {
    /// A sender with a `timeout` per message.
    pub fn new(timeout: Duration) -> Result<Network, String> {
        // rustls without a bundled provider: ring, as the crawler uses. Installing twice is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("langnghe/", env!("CARGO_PKG_VERSION"), " (alerts)"))
            .build()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
        Ok(Network { http, timeout })
    }
}

fn env(name: &str, what: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{what}: environment variable {name} is not set"))
}

impl Deliver for Network {
    fn send(&self, channel: &Channel, message: &Outgoing<'_>) -> Result<(), String> {
        match &channel.kind {
            ChannelKind::Smtp {
                server,
                port,
                security,
                username,
                password_env,
                from,
                to,
            } => {
                let at = format!("smtp://{server}:{port}");
                let mut builder = Message::builder()
                    .from(from.parse().map_err(|e| format!("from {from:?}: {e}"))?)
                    .subject(message.subject());
                for t in to {
                    builder = builder.to(t.parse().map_err(|e| format!("to {t:?}: {e}"))?);
                }
                let mail = builder
                    .multipart(MultiPart::alternative_plain_html(
                        message.text(),
                        message.html(),
                    ))
                    .map_err(|e| format!("cannot build the mail: {e}"))?;
                let mut transport = match security {
                    Security::None => SmtpTransport::builder_dangerous(server),
                    Security::StartTls => {
                        SmtpTransport::starttls_relay(server).map_err(|e| format!("{at}: {e}"))?
                    }
                    Security::Tls => {
                        SmtpTransport::relay(server).map_err(|e| format!("{at}: {e}"))?
                    }
                }
                .port(*port)
                .timeout(Some(self.timeout));
                if let Some(user) = username {
                    let password = match password_env {
                        Some(var) => env(var, &at)?,
                        None => String::new(),
                    };
                    transport = transport.credentials(Credentials::new(user.clone(), password));
                }
                transport
                    .build()
                    .send(&mail)
                    .map(|_| ())
                    .map_err(|e| format!("{at}: {e}"))
            }
            ChannelKind::Webhook { url, secret_env } => {
                let body = serde_json::to_vec(&message.json())
                    .map_err(|e| format!("cannot encode the payload: {e}"))?;
                let mut request = self
                    .http
                    .post(url)
                    .header("Content-Type", "application/json");
                if let Some(var) = secret_env {
                    let secret = env(var, url)?;
                    request = request.header(
                        SIGNATURE_HEADER,
                        format!("sha256={}", signature(secret.as_bytes(), &body)),
                    );
                }
                let response = request
                    .body(body)
                    .send()
                    .map_err(|e| format!("{url}: {e}"))?;
                let status = response.status();
                if status.is_success() {
                    Ok(())
                } else {
                    Err(format!("{url}: HTTP {status}"))
                }
            }
            ChannelKind::Telegram {
                token_env,
                chat_id,
                api_url,
            } => {
                let token = env(token_env, "telegram")?;
                let url = format!("{api_url}/bot{token}/sendMessage");
                // The token is part of the URL: errors name the API, never the token.
                let shown = format!("{api_url}/bot…/sendMessage");
                let body = serde_json::json!({
                    "chat_id": chat_id,
                    "text": message.telegram(),
                    "parse_mode": "HTML",
                    "disable_web_page_preview": true,
                });
                let response = self
                    .http
                    .post(&url)
                    .header("Content-Type", "application/json")
                    .body(body.to_string())
                    .send()
                    .map_err(|e| format!("{shown}: {}", e.without_url()))?;
                let status = response.status();
                let text = response
                    .text()
                    .map_err(|e| format!("{shown}: HTTP {status}: {}", e.without_url()))?;
                let answer: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|_| format!("{shown}: HTTP {status}, not a Bot API answer"))?;
                if answer["ok"] == true {
                    Ok(())
                } else {
                    Err(format!(
                        "{shown}: HTTP {status}: {}",
                        answer["description"].as_str().unwrap_or("no description")
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
