//! Forum threads (XenForo-style pages): each post a document.
//!
//! A post is an element matching the source's `post_selector` (`article.message` on XenForo).
//! Its id comes from `data-content`, `id` or its position; its text from the message body
//! (`.bbWrapper`, `.message-body`, else the post) without quoted replies, signatures and user
//! blocks; its time from `time[datetime]` or `data-time` (Unix seconds). The author's name is
//! not read: forum authors are private persons.

use scraper::{ElementRef, Node, Selector};
use time::OffsetDateTime;

use langnghe_extract::parse_date;

use crate::social::SocialItem;

/// Parts of a post that are not its own words.
const NOT_THE_POST: &[&str] = &[
    "blockquote",
    ".bbCodeBlock--quote",
    ".message-signature",
    ".message-user",
    ".message-attribution",
    ".message-footer",
    "script",
    "style",
];

fn text_without(el: ElementRef<'_>, skip: &[Selector]) -> String {
    fn walk(el: ElementRef<'_>, skip: &[Selector], out: &mut String) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    if let Some(c) = ElementRef::wrap(child)
                        && !skip.iter().any(|s| s.matches(&c))
                    {
                        if matches!(e.name(), "br" | "p" | "div" | "li") {
                            out.push(' ');
                        }
                        walk(c, skip, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(el, skip, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The posts of one thread page and the URL of its next page. `post_selector` and
/// `next_selector` come from the source; `base` resolves relative links.
pub fn forum_posts(
    html: &str,
    post_selector: &str,
    next_selector: Option<&str>,
    base: &str,
    now: OffsetDateTime,
) -> Result<(Vec<SocialItem>, Option<String>), String> {
    let doc = langnghe_extract::parse_html(html);
    let posts = Selector::parse(post_selector)
        .map_err(|_| format!("{post_selector:?} is not a valid CSS selector"))?;
    let skip: Vec<Selector> = NOT_THE_POST
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .collect();
    let body = Selector::parse(".bbWrapper, .message-body, .post-content, .content").ok();
    let time = Selector::parse("time[datetime], [data-time]").ok();
    let base_url = url::Url::parse(base).ok();
    let mut items = Vec::new();
    for (i, post) in doc.select(&posts).enumerate() {
        let v = post.value();
        let id = v
            .attr("data-content")
            .or_else(|| v.attr("id"))
            .map(|s| {
                s.trim_start_matches("js-")
                    .trim_start_matches("post-")
                    .to_string()
            })
            .unwrap_or_else(|| format!("{}-{i}", base_url.as_ref().map_or("", |u| u.path())));
        let source = body
            .as_ref()
            .and_then(|b| post.select(b).next())
            .unwrap_or(post);
        let text = text_without(source, &skip);
        if text.is_empty() {
            continue;
        }
        let published = time
            .as_ref()
            .and_then(|t| post.select(t).next())
            .and_then(|t| {
                let e = t.value();
                e.attr("datetime")
                    .and_then(|d| parse_date(d, now))
                    .or_else(|| {
                        e.attr("data-time")
                            .and_then(|s| s.parse::<i64>().ok())
                            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
                    })
            });
        let url = base_url.as_ref().map(|u| {
            let mut u = u.clone();
            u.set_fragment(Some(&format!("post-{id}")));
            u.to_string()
        });
        items.push(SocialItem {
            id,
            text,
            title: None,
            url,
            published,
            author: None,
        });
    }
    let next = next_selector
        .and_then(|s| Selector::parse(s).ok())
        .and_then(|s| {
            doc.select(&s)
                .next()
                .and_then(|a| a.value().attr("href"))
                .map(str::to_owned)
        })
        .and_then(|href| {
            base_url
                .as_ref()
                .and_then(|b| b.join(&href).ok())
                .map(|u| u.to_string())
        });
    Ok((items, next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const PAGE: &str = r#"<html><body><div class="block-body">
      <article class="message" data-author="tran_van_a" data-content="post-101" id="js-post-101">
        <div class="message-user">tran_van_a · Thành viên</div>
        <div class="message-attribution"><time datetime="2026-11-24T21:03:00+0700">24/11/2026</time></div>
        <div class="message-body"><div class="bbWrapper">Cty em nợ lương 2 tháng rồi,<br>công đoàn ở đâu?</div></div>
        <div class="message-signature">Sống là phải chiến</div>
      </article>
      <article class="message" data-content="post-102">
        <div class="message-attribution"><time data-time="1795000000">hôm qua</time></div>
        <div class="message-body"><div class="bbWrapper"><blockquote class="bbCodeBlock--quote">Cty em nợ lương 2 tháng rồi</blockquote>
        Bên mình cũng vậy, đã gửi đơn lên Liên đoàn Lao động quận.</div></div>
      </article>
      <article class="message" data-content="post-103"><div class="bbWrapper">   </div></article>
    </div><div class="pageNav"><a class="pageNav-jump--next" href="page-2">Tiếp</a></div></body></html>"#;

    #[test]
    fn posts_without_quotes_signatures_or_names() {
        let (posts, next) = forum_posts(
            PAGE,
            "article.message",
            Some("a.pageNav-jump--next"),
            "https://dien-dan.vn/threads/no-luong.55/",
            datetime!(2026-11-26 10:00 +7),
        )
        .unwrap();
        assert_eq!(posts.len(), 2);
        assert_eq!(posts[0].id, "101");
        assert_eq!(
            posts[0].text,
            "Cty em nợ lương 2 tháng rồi, công đoàn ở đâu?"
        );
        assert_eq!(posts[0].published, Some(datetime!(2026-11-24 21:03 +7)));
        assert_eq!(
            posts[0].url.as_deref(),
            Some("https://dien-dan.vn/threads/no-luong.55/#post-101")
        );
        assert_eq!(
            posts[1].text,
            "Bên mình cũng vậy, đã gửi đơn lên Liên đoàn Lao động quận."
        );
        assert!(posts[1].published.is_some());
        assert!(
            posts
                .iter()
                .all(|p| p.author.is_none() && !p.text.contains("tran_van_a"))
        );
        assert_eq!(
            next.as_deref(),
            Some("https://dien-dan.vn/threads/no-luong.55/page-2")
        );
    }

    proptest::proptest! {
        #[test]
        fn random_markup_never_panics(s in "(<(article|div|time|blockquote|a)( class=\"(message|bbWrapper|pageNav-jump--next)\")?( datetime=\"[0-9T:-]{0,20}\")?>|</(article|div|time|a)>|[a-zđ ,.0-9]{0,10}){0,30}") {
            let _ = forum_posts(&s, "article.message", Some("a.pageNav-jump--next"), "https://x.vn/t/", datetime!(2026-11-26 10:00 +7));
        }
    }
}
