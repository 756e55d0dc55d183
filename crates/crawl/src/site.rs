//! A local Vietnamese news site on loopback, for tests and the demo: robots.txt (with a
//! `Sitemap:` line and a disallowed area), an RSS feed, a sitemap, listing pages with pagination,
//! and article pages in the markup of real Vietnamese news sites (JSON-LD, OpenGraph, a date line,
//! a related-articles box inside the body, a comment section). ETags make refetches conditional.
//! Every request is logged, so tests can check politeness from the server's side.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One article of the site.
#[derive(Debug, Clone)]
pub struct SiteArticle {
    /// Slug used in the URL (`/tin-tuc/{slug}.html`).
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Lead paragraph.
    pub lead: String,
    /// Body paragraphs.
    pub paragraphs: Vec<String>,
    /// Publication time.
    pub published: OffsetDateTime,
}

/// A request the site answered.
#[derive(Debug, Clone)]
pub struct SiteRequest {
    /// Path and query.
    pub path: String,
    /// `User-Agent`.
    pub user_agent: String,
    /// `Authorization`, if sent.
    pub authorization: Option<String>,
    /// When the request arrived and when the answer was sent.
    pub start: Instant,
    /// See `start`.
    pub end: Instant,
}

/// The running site; it stops when dropped... or with the process (tests and demo).
pub struct LocalSite {
    /// Where it listens.
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<SiteRequest>>>,
}

/// Articles per listing page.
const PER_PAGE: usize = 4;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn weekday_vi(t: OffsetDateTime) -> &'static str {
    match t.weekday() {
        time::Weekday::Monday => "Thứ hai",
        time::Weekday::Tuesday => "Thứ ba",
        time::Weekday::Wednesday => "Thứ tư",
        time::Weekday::Thursday => "Thứ năm",
        time::Weekday::Friday => "Thứ sáu",
        time::Weekday::Saturday => "Thứ bảy",
        time::Weekday::Sunday => "Chủ nhật",
    }
}

impl LocalSite {
    /// Starts the site on 127.0.0.1 (a free port) with these articles, newest first in listings.
    pub async fn start(mut articles: Vec<SiteArticle>) -> std::io::Result<LocalSite> {
        articles.sort_by_key(|a| std::cmp::Reverse(a.published));
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let site = Arc::new(articles);
        let server_log = log.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (site, log) = (site.clone(), server_log.clone());
                tokio::spawn(async move {
                    let start = Instant::now();
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 2048];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).into_owned();
                    let path = head
                        .lines()
                        .next()
                        .and_then(|l| l.split(' ').nth(1))
                        .unwrap_or("/")
                        .to_string();
                    let header = |name: &str| {
                        head.lines()
                            .filter_map(|l| l.split_once(':'))
                            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                            .map(|(_, v)| v.trim().to_string())
                    };
                    let (status, content_type, body) =
                        route(&path, &site, addr, header("authorization").as_deref());
                    let etag = format!("\"{:x}\"", langnghe_extract::stable_hash(body.as_bytes()));
                    let response = if status == 200
                        && header("if-none-match").as_deref() == Some(etag.as_str())
                    {
                        "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"
                            .to_string()
                            .into_bytes()
                    } else {
                        let mut r = format!(
                            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nETag: {etag}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        r.extend_from_slice(body.as_bytes());
                        r
                    };
                    // The request is logged before the response's last byte goes out, so a
                    // client holding a whole response always finds its request in the log
                    // (logging after the write raced with the client's next look).
                    let _ = socket.set_nodelay(true);
                    let (most, last) = response.split_at(response.len() - 1);
                    let _ = socket.write_all(most).await;
                    if let Ok(mut l) = log.lock() {
                        l.push(SiteRequest {
                            path,
                            user_agent: header("user-agent").unwrap_or_default(),
                            authorization: header("authorization"),
                            start,
                            end: Instant::now(),
                        });
                    }
                    let _ = socket.write_all(last).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Ok(LocalSite { addr, log })
    }

    /// The site's base URL, `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests answered so far, in order of arrival.
    pub fn requests(&self) -> Vec<SiteRequest> {
        let mut v = self.log.lock().map(|l| l.clone()).unwrap_or_default();
        v.sort_by_key(|r| r.start);
        v
    }
}

/// The token the local site's API accepts.
pub const SITE_API_TOKEN: &str = "local-demo-token";

/// A Mastodon-shaped tag timeline (`GET /api/v1/timelines/tag/:hashtag`): an array of Status
/// objects, newest first, `limit` per page, older pages by `max_id`; 401 without the token.
fn mastodon(
    site: &[SiteArticle],
    base: &str,
    query: &str,
    authorization: Option<&str>,
) -> (u16, &'static str, String) {
    if authorization != Some(&format!("Bearer {SITE_API_TOKEN}")) {
        return (
            401,
            "application/json",
            r#"{"error":"The access token is invalid"}"#.into(),
        );
    }
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
    };
    let limit: usize = param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20)
        .clamp(1, 40);
    let max_id: u64 = param("max_id")
        .and_then(|m| m.parse().ok())
        .unwrap_or(u64::MAX);
    // Status ids: larger is newer, as Mastodon's snowflake ids are.
    let statuses: Vec<String> = site
        .iter()
        .enumerate()
        .map(|(i, a)| (1000 + (site.len() - i) as u64, a))
        .filter(|(id, _)| *id < max_id)
        .take(limit)
        .map(|(id, a)| {
            format!(
                r#"{{"id":"{id}","created_at":"{}","url":"{base}/@congnhan/{id}","content":"<p>{}</p>","account":{{"id":"7","acct":"congnhan{}@mastodon.local"}},"tags":[{{"name":"congnhan"}}]}}"#,
                a.published.format(&Rfc3339).unwrap_or_default(),
                // HTML-escaped (no '"' left), and backslashes doubled for JSON.
                escape(&a.lead).replace('\\', "\\\\"),
                id % 3
            )
        })
        .collect();
    (
        200,
        "application/json; charset=utf-8",
        format!("[{}]", statuses.join(",")),
    )
}

fn route(
    path: &str,
    site: &[SiteArticle],
    addr: SocketAddr,
    authorization: Option<&str>,
) -> (u16, &'static str, String) {
    let base = format!("http://{addr}");
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    if path.starts_with("/api/v1/timelines/tag/") {
        return mastodon(site, &base, query, authorization);
    }
    if let Some(rest) = path.strip_prefix("/dien-dan/threads/no-luong/") {
        let page: usize = rest
            .strip_prefix("page-")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        return (200, "text/html; charset=utf-8", forum_thread(site, page));
    }
    match path {
        "/robots.txt" => (
            200,
            "text/plain; charset=utf-8",
            format!("User-agent: *\nDisallow: /quan-tri/\n\nSitemap: {base}/sitemap.xml\n"),
        ),
        "/rss/tin-moi.rss" => (200, "application/rss+xml; charset=utf-8", rss(site, &base)),
        "/sitemap.xml" => (200, "application/xml; charset=utf-8", sitemap(site, &base)),
        "/" | "/tin-tuc" => {
            let page: usize = query
                .strip_prefix("trang=")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            (200, "text/html; charset=utf-8", listing(site, page))
        }
        p if p.starts_with("/tin-tuc/") && p.ends_with(".html") => {
            let slug = &p["/tin-tuc/".len()..p.len() - ".html".len()];
            match site.iter().position(|a| a.slug == slug) {
                Some(i) => (200, "text/html; charset=utf-8", article(site, i, &base)),
                None => (
                    404,
                    "text/html; charset=utf-8",
                    "<h1>Không tìm thấy trang</h1>".into(),
                ),
            }
        }
        _ => (
            404,
            "text/html; charset=utf-8",
            "<h1>Không tìm thấy trang</h1>".into(),
        ),
    }
}

/// Posts per forum page.
const POSTS_PER_PAGE: usize = 2;

/// A XenForo-style thread whose posts are the articles' leads, readers' words.
fn forum_thread(site: &[SiteArticle], page: usize) -> String {
    let pages = site.len().div_ceil(POSTS_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Công ty nợ lương thì làm sao? | Diễn đàn mẫu</title></head><body><div class=\"block-body\">",
    );
    for (i, a) in site
        .iter()
        .enumerate()
        .skip((page - 1) * POSTS_PER_PAGE)
        .take(POSTS_PER_PAGE)
    {
        let id = 500 + i;
        out.push_str(&format!(
            "<article class=\"message\" data-author=\"thanh_vien_{i}\" data-content=\"post-{id}\"><div class=\"message-user\">thanh_vien_{i}</div><div class=\"message-attribution\"><time datetime=\"{}\">{}</time></div><div class=\"message-body\"><div class=\"bbWrapper\">{}</div></div><div class=\"message-signature\">Chữ ký thành viên</div></article>",
            a.published.format(&Rfc3339).unwrap_or_default(),
            a.published.date(),
            escape(&a.lead)
        ));
    }
    out.push_str("</div><nav class=\"pageNav\">");
    if page < pages {
        out.push_str(&format!(
            "<a class=\"pageNav-jump--next\" href=\"page-{}\">Tiếp</a>",
            page + 1
        ));
    }
    out.push_str("</nav></body></html>");
    out
}

fn rss(site: &[SiteArticle], base: &str) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Tin mẫu</title><link>{base}/</link>"
    );
    for a in site {
        out.push_str(&format!(
            "<item><title>{}</title><link>{base}/tin-tuc/{}.html?utm_source=rss</link><description><![CDATA[<p>{}</p>]]></description><pubDate>{}</pubDate><guid>{base}/tin-tuc/{}.html</guid></item>",
            escape(&a.title),
            a.slug,
            a.lead,
            a.published.format(&Rfc2822).unwrap_or_default(),
            a.slug
        ));
    }
    out.push_str("</channel></rss>");
    out
}

fn sitemap(site: &[SiteArticle], base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    for a in site {
        out.push_str(&format!(
            "<url><loc>{base}/tin-tuc/{}.html</loc><lastmod>{}</lastmod></url>",
            a.slug,
            a.published.format(&Rfc3339).unwrap_or_default()
        ));
    }
    out.push_str("</urlset>");
    out
}

fn listing(site: &[SiteArticle], page: usize) -> String {
    let pages = site.len().div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tin tức - Tin mẫu</title></head><body><nav class=\"menu\"><a href=\"/\">Trang chủ</a> <a href=\"/quan-tri/\">Quản trị</a></nav><main class=\"list-news\">",
    );
    for a in site.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE) {
        out.push_str(&format!(
            "<article class=\"item-news\"><h3 class=\"title-news\"><a href=\"/tin-tuc/{}.html\">{}</a></h3><p class=\"description\">{}</p></article>",
            a.slug,
            escape(&a.title),
            escape(&a.lead)
        ));
    }
    out.push_str("</main><div class=\"pagination\">");
    if page < pages {
        out.push_str(&format!(
            "<a class=\"next\" href=\"/tin-tuc?trang={}\">Trang sau</a>",
            page + 1
        ));
    }
    out.push_str("</div></body></html>");
    out
}

fn article(site: &[SiteArticle], i: usize, base: &str) -> String {
    let a = &site[i];
    let t = a.published;
    let date_line = format!(
        "{}, {}/{}/{}, {:02}:{:02} (GMT+7)",
        weekday_vi(t),
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    );
    let related: String = site
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .take(2)
        .map(|(_, r)| {
            format!(
                "<li><a href=\"/tin-tuc/{}.html\">{}</a></li>",
                r.slug,
                escape(&r.title)
            )
        })
        .collect();
    let mut body = String::new();
    for (k, p) in a.paragraphs.iter().enumerate() {
        body.push_str(&format!("<p class=\"Normal\">{}</p>", escape(p)));
        if k == 0 {
            body.push_str(&format!(
                "<div class=\"box-tinlienquan\"><h4>Tin liên quan</h4><ul>{related}</ul></div>"
            ));
            body.push_str("<figure class=\"image\"><img src=\"/anh.jpg\" alt=\"\"><figcaption>Ảnh minh họa</figcaption></figure>");
        }
    }
    format!(
        r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title} - Tin mẫu</title>
<meta property="og:title" content="{title}"><meta property="og:url" content="{base}/tin-tuc/{slug}.html">
<link rel="canonical" href="{base}/tin-tuc/{slug}.html">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}","datePublished":"{published}","author":{{"@type":"Person","name":"Phóng viên Tin mẫu"}}}}</script>
</head><body><header class="header"><nav class="menu"><a href="/">Trang chủ</a></nav></header>
<div class="container"><div class="sidebar-1"><h1 class="title-detail">{title}</h1><span class="date">{date_line}</span>
<p class="description">{lead}</p><article class="fck_detail">{body}<p class="author_mail"><strong>PHÓNG VIÊN</strong></p></article>
<div class="box_comment"><h4>Ý kiến bạn đọc</h4><p>Bài viết rất hay, mong cơ quan chức năng sớm vào cuộc giải quyết quyền lợi cho công nhân.</p></div>
</div></div><footer class="footer">© Tin mẫu — dữ liệu thử nghiệm của langnghe</footer></body></html>"#,
        title = escape(&a.title),
        slug = a.slug,
        published = t.format(&Rfc3339).unwrap_or_default(),
        lead = escape(&a.lead),
    )
}
