//! Polite HTTP fetching.
//!
//! - One request at a time per host, and at least the host's delay between two of them (the
//!   source's `delay_seconds`, or robots.txt's Crawl-delay when longer); a global limit on requests
//!   in flight.
//! - robots.txt fetched once per host and obeyed (unreachable or 5xx: nothing is fetched there;
//!   4xx: everything is allowed, as RFC 9309 says).
//! - An identifying User-Agent; conditional GET with the previous ETag / Last-Modified.
//! - gzip and brotli; connect, idle and total timeouts; a cap on the decompressed body, so neither an
//!   endless body nor a gzip bomb can exhaust memory; a redirect cap with loop detection.
//! - Retries on 429 and 5xx with exponential backoff and jitter, honouring Retry-After.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::robots::Robots;

/// Limits and identity of the fetcher.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Sent with every request; names the crawler and a contact URL.
    pub user_agent: String,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Time without a byte arriving.
    pub idle_timeout: Duration,
    /// Time for a whole request, body included.
    pub total_timeout: Duration,
    /// Largest body kept, after decompression.
    pub max_body_bytes: usize,
    /// Redirects followed per request.
    pub max_redirects: usize,
    /// Retries after a 429 or 5xx.
    pub max_retries: u32,
    /// First backoff; doubled at each retry, with jitter.
    pub retry_base: Duration,
    /// Longest wait for a Retry-After or a backoff.
    pub max_retry_wait: Duration,
    /// Requests in flight at once, all hosts together.
    pub concurrency: usize,
}

/// `langnghe/VERSION (+project URL)`: names the crawler and where to reach its operators.
pub(crate) fn default_user_agent() -> String {
    format!(
        "langnghe/{} (+https://github.com/langnghe/langnghe)",
        env!("CARGO_PKG_VERSION")
    )
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            user_agent: default_user_agent(),
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(20),
            total_timeout: Duration::from_secs(60),
            max_body_bytes: 8 << 20,
            max_redirects: 5,
            max_retries: 3,
            retry_base: Duration::from_secs(1),
            max_retry_wait: Duration::from_secs(120),
            concurrency: 8,
        }
    }
}

/// Validators of an earlier response, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A response body and what came with it.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL asked for.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// All response headers, in order (for the archive).
    pub headers: Vec<(String, String)>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// Validators for the next conditional GET.
    pub validators: Validators,
    /// When the response was complete.
    pub fetched_at: OffsetDateTime,
}

/// What a fetch brought.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A new or changed page.
    Fetched(Page),
    /// `304 Not Modified`: nothing changed since the validators were taken.
    NotModified,
}

/// Why a URL was not fetched. Every variant names the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not an http(s) URL.
    #[error("{url}: not an http(s) URL")]
    InvalidUrl {
        /// The URL.
        url: String,
    },
    /// robots.txt forbids it (or robots.txt could not be read, which forbids the whole host).
    #[error("{url}: not fetched: {reason}")]
    Robots {
        /// The URL.
        url: String,
        /// Which rule.
        reason: String,
    },
    /// A timeout.
    #[error("{url}: timed out ({what})")]
    Timeout {
        /// The URL.
        url: String,
        /// Which timeout.
        what: &'static str,
    },
    /// The body passed the size cap.
    #[error("{url}: body larger than {limit} bytes (stopped reading)")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// Redirects went round in a circle or went on too long.
    #[error("{url}: {what}")]
    Redirects {
        /// The URL.
        url: String,
        /// `redirect loop` or `more than N redirects`.
        what: String,
    },
    /// An error status, after retries where they apply.
    #[error("{url}: HTTP {status} after {attempts} attempt(s)")]
    Status {
        /// The URL.
        url: String,
        /// The last status.
        status: u16,
        /// Requests made.
        attempts: u32,
    },
    /// Connection, TLS or protocol failure.
    #[error("{url}: {message}")]
    Connection {
        /// The URL.
        url: String,
        /// What failed.
        message: String,
    },
}

/// The politeness state of one host.
struct Host {
    gate: tokio::sync::Mutex<Gate>,
}

struct Gate {
    /// When the last request to this host finished.
    last: Option<Instant>,
    robots: Option<Result<Arc<Robots>, String>>,
}

/// Fetches URLs politely. Cheap to share (`Arc<Fetcher>`).
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    /// The product token of the User-Agent, matched against robots.txt groups.
    agent_token: String,
}

fn jitter(max: Duration) -> Duration {
    // Enough randomness to keep retries of many crawlers apart; no RNG dependency.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    max.mul_f64(f64::from(nanos % 1000) / 1000.0)
}

/// Seconds or an HTTP date.
fn retry_after(value: &str, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let wait = at - now;
    Some(Duration::from_secs_f64(wait.as_seconds_f64().max(0.0)))
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(settings: FetchSettings) -> Result<Fetcher, FetchError> {
        // rustls without a bundled provider: use ring (lighter than aws-lc). Installing twice is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let max_redirects = settings.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().iter().any(|u| u == attempt.url()) {
                attempt.error("redirect loop")
            } else if attempt.previous().len() > max_redirects {
                attempt.error(format!("more than {max_redirects} redirects"))
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .read_timeout(settings.idle_timeout)
            .timeout(settings.total_timeout)
            .redirect(policy)
            .build()
            .map_err(|e| FetchError::Connection {
                url: String::new(),
                message: e.to_string(),
            })?;
        let agent_token = settings
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("langnghe")
            .to_ascii_lowercase();
        Ok(Fetcher {
            client,
            global: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            settings,
            hosts: Mutex::new(HashMap::new()),
            agent_token,
        })
    }

    fn host(&self, key: &str) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Host {
                    gate: tokio::sync::Mutex::new(Gate {
                        last: None,
                        robots: None,
                    }),
                })
            })
            .clone()
    }

    /// Fetches `url` politely, waiting at least `delay` after the previous request to its host.
    /// With `validators`, a conditional GET; an unchanged page is [`Outcome::NotModified`].
    pub async fn fetch(
        &self,
        url: &str,
        delay: Duration,
        validators: Option<&Validators>,
    ) -> Result<Outcome, FetchError> {
        self.fetch_with_headers(url, delay, validators, &[]).await
    }

    /// [`Fetcher::fetch`] with extra request headers (an API's `Authorization`, say).
    pub async fn fetch_with_headers(
        &self,
        url: &str,
        delay: Duration,
        validators: Option<&Validators>,
        headers: &[(String, String)],
    ) -> Result<Outcome, FetchError> {
        let parsed =
            url::Url::parse(url).map_err(|_| FetchError::InvalidUrl { url: url.into() })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(FetchError::InvalidUrl { url: url.into() });
        }
        let key = format!("{}://{}", parsed.scheme(), parsed.authority());
        let host = self.host(&key);
        let mut gate = host.gate.lock().await;
        if gate.robots.is_none() {
            let robots_url = format!("{key}/robots.txt");
            let robots = match self
                .request(&mut gate, &robots_url, delay, None, &[], 1)
                .await
            {
                Ok(Outcome::Fetched(page)) => Ok(Arc::new(Robots::parse(
                    &String::from_utf8_lossy(&page.body),
                ))),
                Ok(Outcome::NotModified) => Ok(Arc::new(Robots::default())),
                // 4xx: no rules. 5xx, timeouts, connection errors: the host is off limits for now.
                Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                    Ok(Arc::new(Robots::default()))
                }
                Err(e) => Err(format!("robots.txt unavailable ({e})")),
            };
            gate.robots = Some(robots);
        }
        let robots = match gate.robots.as_ref() {
            Some(Ok(r)) => r.clone(),
            Some(Err(reason)) => {
                return Err(FetchError::Robots {
                    url: url.into(),
                    reason: reason.clone(),
                });
            }
            None => Arc::new(Robots::default()),
        };
        let rules = robots.for_agent(&self.agent_token);
        let path = match parsed.query() {
            Some(q) => format!("{}?{q}", parsed.path()),
            None => parsed.path().to_string(),
        };
        if !rules.allows(&path) {
            return Err(FetchError::Robots {
                url: url.into(),
                reason: "disallowed by robots.txt".into(),
            });
        }
        let delay = rules
            .crawl_delay
            .map_or(delay, |d| delay.max(Duration::from_secs_f64(d.min(3600.0))));
        self.request(
            &mut gate,
            url,
            delay,
            validators,
            headers,
            self.settings.max_retries + 1,
        )
        .await
    }

    /// One request (with retries) under the host's gate.
    async fn request(
        &self,
        gate: &mut Gate,
        url: &str,
        delay: Duration,
        validators: Option<&Validators>,
        headers: &[(String, String)],
        attempts: u32,
    ) -> Result<Outcome, FetchError> {
        let mut attempt = 0;
        let mut wait_extra = Duration::ZERO;
        loop {
            attempt += 1;
            if let Some(last) = gate.last {
                tokio::time::sleep_until(last + delay.max(wait_extra)).await;
            }
            let result = {
                let _permit = self
                    .global
                    .acquire()
                    .await
                    .map_err(|e| FetchError::Connection {
                        url: url.into(),
                        message: e.to_string(),
                    })?;
                self.once(url, validators, headers).await
            };
            gate.last = Some(Instant::now());
            match result {
                Err(RetryOr::Fail(e)) => return Err(e),
                Ok(outcome) => return Ok(outcome),
                Err(RetryOr::Retry { status, after }) => {
                    if attempt >= attempts {
                        return Err(FetchError::Status {
                            url: url.into(),
                            status,
                            attempts: attempt,
                        });
                    }
                    let backoff = self.settings.retry_base * 2u32.pow(attempt - 1);
                    wait_extra = after
                        .unwrap_or(backoff + jitter(self.settings.retry_base))
                        .min(self.settings.max_retry_wait);
                }
            }
        }
    }

    async fn once(
        &self,
        url: &str,
        validators: Option<&Validators>,
        headers: &[(String, String)],
    ) -> Result<Outcome, RetryOr> {
        let fail = |e: FetchError| RetryOr::Fail(e);
        let mut request = self.client.get(url);
        for (k, v) in headers {
            request = request.header(k.as_str(), v.as_str());
        }
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(reqwest::header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header(reqwest::header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| fail(self.error(url, &e)))?;
        let status = response.status().as_u16();
        if status == 304 {
            return Ok(Outcome::NotModified);
        }
        if status == 429 || status >= 500 {
            let after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry_after(v, OffsetDateTime::now_utc()));
            return Err(RetryOr::Retry { status, after });
        }
        if !(200..300).contains(&status) {
            return Err(fail(FetchError::Status {
                url: url.into(),
                status,
                attempts: 1,
            }));
        }
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let validators = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let final_url = response.url().to_string();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = self.settings.max_body_bytes;
        if response
            .content_length()
            .is_some_and(|n| n as usize > limit)
        {
            return Err(fail(FetchError::TooLarge {
                url: url.into(),
                limit,
            }));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| fail(self.error(url, &e)))?
        {
            if body.len() + chunk.len() > limit {
                return Err(fail(FetchError::TooLarge {
                    url: url.into(),
                    limit,
                }));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Outcome::Fetched(Page {
            url: url.into(),
            final_url,
            status,
            content_type,
            headers,
            body,
            validators,
            fetched_at: OffsetDateTime::now_utc(),
        }))
    }

    fn error(&self, url: &str, e: &reqwest::Error) -> FetchError {
        let text = {
            let mut s = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(inner) = source {
                s.push_str(": ");
                s.push_str(&inner.to_string());
                source = inner.source();
            }
            s
        };
        if e.is_redirect() {
            let what = if text.contains("redirect loop") {
                "redirect loop".to_string()
            } else {
                format!("more than {} redirects", self.settings.max_redirects)
            };
            return FetchError::Redirects {
                url: url.into(),
                what,
            };
        }
        if e.is_timeout() {
            let what = if e.is_connect() {
                "connect"
            } else if text.contains("read") {
                "idle"
            } else {
                "total"
            };
            return FetchError::Timeout {
                url: url.into(),
                what,
            };
        }
        FetchError::Connection {
            url: url.into(),
            message: text,
        }
    }
}

enum RetryOr {
    Retry {
        status: u16,
        after: Option<Duration>,
    },
    Fail(FetchError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = datetime!(2026-11-26 10:00 UTC);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Thu, 26 Nov 2026 10:00:30 +0000", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Thu, 26 Nov 2026 09:00:00 +0000", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
