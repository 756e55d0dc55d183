//! The fetcher against real hostile servers on loopback: every case bounded in time and memory,
//! reported with a clear reason; politeness checked from the server's own request log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use langnghe_crawl::{FetchError, FetchSettings, Fetcher, Outcome, decode_page};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the test server does for one request.
enum Reply {
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Declares `total` bytes, then sends one byte per `every`.
    Drip { total: usize, every: Duration },
    /// Sends data until the client hangs up, without a length.
    Endless,
}

fn ok(body: &str, content_type: &str) -> Reply {
    Reply::Full {
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.as_bytes().to_vec(),
    }
}

fn status(code: u16, headers: &[(&str, &str)]) -> Reply {
    Reply::Full {
        status: code,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: Vec::new(),
    }
}

#[derive(Clone, Debug)]
struct Logged {
    path: String,
    headers: HashMap<String, String>,
    start: Instant,
    end: Instant,
}

type Handler = Arc<dyn Fn(&str, &HashMap<String, String>, usize) -> Reply + Send + Sync>;

struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Logged>>>,
}

impl Server {
    async fn start(handler: Handler) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let counts = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
        let server_log = log.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (handler, log, counts) = (handler.clone(), server_log.clone(), counts.clone());
                tokio::spawn(async move {
                    let start = Instant::now();
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).into_owned();
                    let mut lines = head.lines();
                    let path = lines
                        .next()
                        .unwrap_or("")
                        .split(' ')
                        .nth(1)
                        .unwrap_or("/")
                        .to_string();
                    let headers: HashMap<String, String> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                        .collect();
                    let n = {
                        let mut c = counts.lock().unwrap();
                        let e = c.entry(path.clone()).or_insert(0);
                        *e += 1;
                        *e
                    };
                    let reply = handler(&path, &headers, n);
                    let record = move |end: Instant| {
                        log.lock().unwrap().push(Logged {
                            path,
                            headers,
                            start,
                            end,
                        })
                    };
                    match reply {
                        Reply::Full {
                            status,
                            headers: extra,
                            body,
                        } => {
                            let mut out = format!(
                                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                                body.len()
                            );
                            for (k, v) in extra {
                                out.push_str(&format!("{k}: {v}\r\n"));
                            }
                            out.push_str("\r\n");
                            let mut response = out.into_bytes();
                            response.extend_from_slice(&body);
                            // Logged before the last byte goes out: a client holding the whole
                            // response always finds its request in the log.
                            let _ = socket.set_nodelay(true);
                            let (most, last) = response.split_at(response.len() - 1);
                            let _ = socket.write_all(most).await;
                            record(Instant::now());
                            let _ = socket.write_all(last).await;
                            let _ = socket.shutdown().await;
                            return;
                        }
                        Reply::Drip { total, every } => {
                            let _ = socket
                                .write_all(format!("HTTP/1.1 200 OK\r\nContent-Length: {total}\r\nContent-Type: text/html\r\n\r\n").as_bytes())
                                .await;
                            for _ in 0..total {
                                if socket.write_all(b"x").await.is_err() {
                                    break;
                                }
                                tokio::time::sleep(every).await;
                            }
                        }
                        Reply::Endless => {
                            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n").await;
                            let block = vec![b'a'; 64 * 1024];
                            while socket.write_all(&block).await.is_ok() {}
                        }
                    }
                    let _ = socket.shutdown().await;
                    record(Instant::now());
                });
            }
        });
        Server { addr, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self, path_prefix: &str) -> Vec<Logged> {
        let mut v: Vec<Logged> = self
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path.starts_with(path_prefix))
            .cloned()
            .collect();
        v.sort_by_key(|r| r.start);
        v
    }
}

fn settings() -> FetchSettings {
    FetchSettings {
        connect_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(3),
        max_body_bytes: 1 << 20,
        retry_base: Duration::from_millis(100),
        max_retry_wait: Duration::from_secs(3),
        ..FetchSettings::default()
    }
}

const ROBOTS_OK: &str = "User-agent: *\nDisallow: /private\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_two_requests_at_once_never_faster_than_the_delay_and_no_refetch_of_unchanged_pages()
{
    let server = Server::start(Arc::new(|path, headers, _| match path {
        "/robots.txt" => ok(ROBOTS_OK, "text/plain"),
        "/etag" if headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") => {
            status(304, &[])
        }
        "/etag" => Reply::Full {
            status: 200,
            headers: vec![
                ("ETag".into(), "\"v1\"".into()),
                ("Content-Type".into(), "text/html".into()),
            ],
            body: b"<p>Chao</p>".to_vec(),
        },
        _ => ok("<p>trang</p>", "text/html; charset=utf-8"),
    }))
    .await;
    let fetcher = Arc::new(Fetcher::new(settings()).unwrap());
    let delay = Duration::from_millis(250);
    let mut tasks = Vec::new();
    for i in 0..5 {
        let (f, url) = (fetcher.clone(), server.url(&format!("/page/{i}")));
        tasks.push(tokio::spawn(
            async move { f.fetch(&url, delay, None).await },
        ));
    }
    for t in tasks {
        assert!(matches!(t.await.unwrap(), Ok(Outcome::Fetched(_))));
    }
    let all = server.requests("/");
    assert_eq!(all.len(), 6, "robots.txt once, then five pages");
    assert_eq!(all[0].path, "/robots.txt");
    for pair in all.windows(2) {
        assert!(
            pair[1].start >= pair[0].end,
            "two requests at once: {pair:?}"
        );
        let gap = pair[1].start - pair[0].end;
        assert!(
            gap >= delay - Duration::from_millis(5),
            "only {gap:?} between requests"
        );
    }
    let ua = &all[1].headers["user-agent"];
    assert!(
        ua.starts_with("langnghe/") && ua.contains("https://"),
        "{ua}"
    );
    // Conditional GET: the second fetch of an unchanged page transfers nothing.
    let first = fetcher
        .fetch(&server.url("/etag"), delay, None)
        .await
        .unwrap();
    let Outcome::Fetched(page) = first else {
        panic!("expected a page")
    };
    assert_eq!(page.validators.etag.as_deref(), Some("\"v1\""));
    let again = fetcher
        .fetch(&server.url("/etag"), delay, Some(&page.validators))
        .await
        .unwrap();
    assert!(matches!(again, Outcome::NotModified));
    let etag_requests = server.requests("/etag");
    assert_eq!(
        etag_requests[1]
            .headers
            .get("if-none-match")
            .map(String::as_str),
        Some("\"v1\"")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_disallow_crawl_delay_and_unreachable_robots() {
    let server = Server::start(Arc::new(|path, _, _| match path {
        "/robots.txt" => ok(
            "User-agent: *\nDisallow: /private\nCrawl-delay: 1\n",
            "text/plain",
        ),
        _ => ok("<p>x</p>", "text/html"),
    }))
    .await;
    let fetcher = Fetcher::new(settings()).unwrap();
    let err = fetcher
        .fetch(&server.url("/private/a"), Duration::from_millis(100), None)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Robots {
            url: server.url("/private/a"),
            reason: "disallowed by robots.txt".into()
        }
    );
    fetcher
        .fetch(&server.url("/a"), Duration::from_millis(100), None)
        .await
        .unwrap();
    fetcher
        .fetch(&server.url("/b"), Duration::from_millis(100), None)
        .await
        .unwrap();
    let pages = server.requests("/");
    assert!(
        pages.iter().all(|r| !r.path.starts_with("/private")),
        "a disallowed URL was requested"
    );
    let (a, b) = (&pages[pages.len() - 2], &pages[pages.len() - 1]);
    assert!(
        b.start - a.end >= Duration::from_millis(990),
        "Crawl-delay: 1 not honoured"
    );
    // robots.txt answering 500: nothing on that host is fetched.
    let broken = Server::start(Arc::new(|path, _, _| {
        if path == "/robots.txt" {
            status(500, &[])
        } else {
            ok("x", "text/html")
        }
    }))
    .await;
    let fetcher = Fetcher::new(FetchSettings {
        max_retries: 0,
        ..settings()
    })
    .unwrap();
    let err = fetcher
        .fetch(&broken.url("/a"), Duration::from_millis(10), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Robots { reason, .. } if reason.starts_with("robots.txt unavailable")),
        "{err}"
    );
    assert!(broken.requests("/a").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_drip_endless_body_gzip_bomb_and_huge_page_are_cut_off() {
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        bomb.write_all(&zeros).unwrap();
    }
    let bomb = bomb.finish().unwrap();
    assert!(bomb.len() < 200_000);
    let server = Server::start(Arc::new(move |path, _, _| match path {
        "/robots.txt" => ok(ROBOTS_OK, "text/plain"),
        "/drip" => Reply::Drip {
            total: 1000,
            every: Duration::from_millis(100),
        },
        "/endless" => Reply::Endless,
        "/bomb" => Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Encoding".into(), "gzip".into()),
                ("Content-Type".into(), "text/html".into()),
            ],
            body: bomb.clone(),
        },
        "/huge" => Reply::Full {
            status: 200,
            headers: vec![],
            body: vec![b'a'; 10 << 20],
        },
        _ => ok("x", "text/html"),
    }))
    .await;
    let fetcher = Fetcher::new(settings()).unwrap();
    let d = Duration::from_millis(10);
    let started = Instant::now();
    let err = fetcher
        .fetch(&server.url("/drip"), d, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Timeout { what: "total", .. }),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(6));
    for path in ["/endless", "/bomb", "/huge"] {
        let started = Instant::now();
        let err = fetcher.fetch(&server.url(path), d, None).await.unwrap_err();
        assert_eq!(
            err,
            FetchError::TooLarge {
                url: server.url(path),
                limit: 1 << 20
            },
            "{path}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{path} took {:?}",
            started.elapsed()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_loops_rate_limits_and_error_storms() {
    let server = Server::start(Arc::new(|path, _, n| match path {
        "/robots.txt" => ok(ROBOTS_OK, "text/plain"),
        "/loop-a" => status(302, &[("Location", "/loop-b")]),
        "/loop-b" => status(302, &[("Location", "/loop-a")]),
        p if p.starts_with("/chain/") => {
            let i: usize = p[7..].parse().unwrap_or(0);
            status(302, &[("Location", &format!("/chain/{}", i + 1))])
        }
        "/busy" if n <= 2 => status(429, &[("Retry-After", "1")]),
        "/busy" => ok("<p>ok</p>", "text/html"),
        "/storm" => status(500, &[]),
        _ => ok("x", "text/html"),
    }))
    .await;
    let fetcher = Fetcher::new(settings()).unwrap();
    let d = Duration::from_millis(10);
    let err = fetcher
        .fetch(&server.url("/loop-a"), d, None)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Redirects {
            url: server.url("/loop-a"),
            what: "redirect loop".into()
        }
    );
    let err = fetcher
        .fetch(&server.url("/chain/0"), d, None)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Redirects {
            url: server.url("/chain/0"),
            what: "more than 5 redirects".into()
        }
    );
    let started = Instant::now();
    let busy = fetcher.fetch(&server.url("/busy"), d, None).await.unwrap();
    assert!(matches!(busy, Outcome::Fetched(_)));
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After: 1 not honoured twice"
    );
    let err = fetcher
        .fetch(&server.url("/storm"), d, None)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Status {
            url: server.url("/storm"),
            status: 500,
            attempts: 4
        }
    );
    assert_eq!(server.requests("/storm").len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_charsets_invalid_utf8_and_tcvn3_pages_are_read() {
    let tcvn3 = langnghe_vi::Legacy::Tcvn3
        .encode("<html><body><p>Công đoàn cơ sở đối thoại với người lao động</p></body></html>");
    let server = Server::start(Arc::new(move |path, _, _| match path {
        "/robots.txt" => ok(ROBOTS_OK, "text/plain"),
        "/tcvn3" => Reply::Full {
            status: 200,
            headers: vec![(
                "Content-Type".into(),
                "text/html; charset=windows-1252".into(),
            )],
            body: tcvn3.clone(),
        },
        "/bad-utf8" => Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: b"<p>C\xc3\xb4ng \xff\xfe \xe1\xba</p>".to_vec(),
        },
        _ => ok("x", "text/html"),
    }))
    .await;
    let fetcher = Fetcher::new(settings()).unwrap();
    let Outcome::Fetched(page) = fetcher
        .fetch(&server.url("/tcvn3"), Duration::from_millis(10), None)
        .await
        .unwrap()
    else {
        panic!()
    };
    let decoded = decode_page(&page.body, page.content_type.as_deref());
    assert!(
        decoded
            .text
            .contains("Công đoàn cơ sở đối thoại với người lao động"),
        "{}",
        decoded.text
    );
    assert!(decoded.repaired);
    let Outcome::Fetched(page) = fetcher
        .fetch(&server.url("/bad-utf8"), Duration::from_millis(10), None)
        .await
        .unwrap()
    else {
        panic!()
    };
    let decoded = decode_page(&page.body, page.content_type.as_deref());
    assert!(decoded.text.starts_with("<p>Công "), "{}", decoded.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_host_does_not_hold_up_another() {
    let slow = Server::start(Arc::new(|path, _, _| match path {
        "/robots.txt" => ok(ROBOTS_OK, "text/plain"),
        _ => Reply::Drip {
            total: 1000,
            every: Duration::from_millis(100),
        },
    }))
    .await;
    let fast = Server::start(Arc::new(|path, _, _| match path {
        "/robots.txt" => ok(ROBOTS_OK, "text/plain"),
        _ => ok("<p>ok</p>", "text/html"),
    }))
    .await;
    let fetcher = Arc::new(Fetcher::new(settings()).unwrap());
    let (f, url) = (fetcher.clone(), slow.url("/drip"));
    let hostile = tokio::spawn(async move { f.fetch(&url, Duration::from_millis(10), None).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let good = fetcher
        .fetch(&fast.url("/a"), Duration::from_millis(10), None)
        .await
        .unwrap();
    assert!(matches!(good, Outcome::Fetched(_)));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the fast host waited {:?}",
        started.elapsed()
    );
    assert!(hostile.await.unwrap().is_err());
}

#[tokio::test]
async fn bad_urls_are_refused_with_the_url() {
    let fetcher = Fetcher::new(settings()).unwrap();
    for url in ["ftp://x.vn/a", "not a url", "mailto:a@b.vn"] {
        assert_eq!(
            fetcher.fetch(url, Duration::ZERO, None).await.unwrap_err(),
            FetchError::InvalidUrl { url: url.into() }
        );
    }
}
