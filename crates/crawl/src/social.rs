//! JSON APIs (social media, a site's own API) to items, by JSON pointers (RFC 6901).
//!
//! A source names a preset (`mastodon`, `reddit`, `youtube-comments`, `facebook-page`), a mapping,
//! or both (the mapping's fields override the preset's). Items come from the array at `items`;
//! the next page is the cursor at `next_cursor` in the response or, when the API pages by item id
//! (Mastodon's `max_id`), the id of the last item.

use serde_json::Value;
use time::OffsetDateTime;

use langnghe_extract::parse_date;

use crate::config::JsonMapping;

/// One item of a JSON API.
#[derive(Debug, Clone, PartialEq)]
pub struct SocialItem {
    /// The item's id in the API.
    pub id: String,
    /// Plain text (HTML removed).
    pub text: String,
    /// Title, when the API has one (Reddit).
    pub title: Option<String>,
    /// Link to the item.
    pub url: Option<String>,
    /// Publication time.
    pub published: Option<OffsetDateTime>,
    /// Author handle as the API gives it; pseudonymise before storing.
    pub author: Option<String>,
}

fn text_at(v: &Value, pointer: Option<&str>) -> Option<String> {
    match v.pointer(pointer?)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Maps one response to items and the cursor of the next page. The error names the pointer
/// that did not lead to an array.
pub fn map_items(
    response: &Value,
    mapping: &JsonMapping,
    now: OffsetDateTime,
) -> Result<(Vec<SocialItem>, Option<String>), String> {
    let pointer = mapping.items.as_deref().unwrap_or("");
    let Some(Value::Array(raw)) = response.pointer(pointer) else {
        return Err(format!("no array of items at JSON pointer {pointer:?}"));
    };
    let mut items = Vec::new();
    for item in raw {
        let (Some(id), Some(text)) = (
            text_at(item, mapping.id.as_deref()),
            text_at(item, mapping.text.as_deref()),
        ) else {
            continue;
        };
        let published = match mapping.published.as_deref().and_then(|p| item.pointer(p)) {
            Some(Value::String(s)) => parse_date(s, now),
            // Unix seconds (Reddit's created_utc).
            Some(Value::Number(n)) => n
                .as_f64()
                .and_then(|s| OffsetDateTime::from_unix_timestamp(s as i64).ok()),
            _ => None,
        };
        items.push(SocialItem {
            id,
            text: crate::feed::plain(&text),
            title: text_at(item, mapping.title.as_deref()).map(|t| crate::feed::plain(&t)),
            url: text_at(item, mapping.url.as_deref()),
            published,
            author: text_at(item, mapping.author.as_deref()),
        });
    }
    let next = match mapping.next_cursor.as_deref() {
        Some(p) => text_at(response, Some(p)),
        // Paging by item id: the last item's id.
        None if mapping.cursor_param.is_some() => items.last().map(|i| i.id.clone()),
        None => None,
    };
    Ok((items, next))
}

/// `url` with `param=value` set (replacing an earlier value).
pub fn with_cursor(url: &str, param: &str, value: &str) -> Option<String> {
    let mut u = url::Url::parse(url).ok()?;
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| k != param)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    u.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair(param, value);
    Some(u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-26 10:00 +7);

    /// The mapping of a source that names `preset` (its fields over the preset's).
    fn source(preset: &str) -> JsonMapping {
        let text = format!(
            "version = 1\n[[source]]\nid = \"s\"\nkind = \"json\"\npreset = \"{preset}\"\nurls = [\"https://x.vn/api\"]\n"
        );
        crate::SourcesConfig::parse(&text, "t.toml")
            .unwrap()
            .sources
            .remove(0)
            .mapping
    }

    #[test]
    fn mastodon_tag_timeline() {
        // Shaped after GET /api/v1/timelines/tag/:hashtag (an array of Status).
        let response: Value = serde_json::from_str(r##"[
            {"id": "1133", "created_at": "2026-11-25T01:30:00.000Z", "url": "https://mastodon.social/@a/1133",
             "content": "<p>Công nhân <a href=\"#\">#dinhcong</a> đòi trả lương &amp; thưởng</p>", "account": {"acct": "a@x"}},
            {"id": "1120", "created_at": "2026-11-24T01:30:00.000Z", "url": "https://mastodon.social/@b/1120",
             "content": "<p>Không có gì</p>", "account": {"acct": "b"}}]"##).unwrap();
        let (items, next) = map_items(&response, &(source("mastodon")), NOW).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].text, "Công nhân #dinhcong đòi trả lương & thưởng");
        assert_eq!(items[0].published, Some(datetime!(2026-11-25 08:30 +7)));
        assert_eq!(items[0].author.as_deref(), Some("a@x"));
        assert_eq!(next.as_deref(), Some("1120"));
    }

    #[test]
    fn reddit_listing_with_unix_times_and_a_cursor() {
        let response: Value = serde_json::from_str(r#"{"kind": "Listing", "data": {"after": "t3_b", "children": [
            {"kind": "t3", "data": {"id": "a", "title": "Tăng lương", "selftext": "Công ty tăng lương 5%", "permalink": "/r/vietnam/a", "created_utc": 1795000000.0, "author": "u1"}}]}}"#).unwrap();
        let (items, next) = map_items(&response, &(source("reddit")), NOW).unwrap();
        assert_eq!(items[0].title.as_deref(), Some("Tăng lương"));
        assert!(items[0].published.is_some());
        assert_eq!(next.as_deref(), Some("t3_b"));
        assert_eq!(
            with_cursor("https://x.vn/r.json?limit=5&after=old", "after", "t3_b").as_deref(),
            Some("https://x.vn/r.json?limit=5&after=t3_b")
        );
    }

    #[test]
    fn a_response_without_items_names_the_pointer() {
        let err = map_items(
            &serde_json::json!({"error": "rate limited"}),
            &(source("youtube-comments")),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err, "no array of items at JSON pointer \"/items\"");
    }

    proptest::proptest! {
        #[test]
        fn random_json_never_panics(s in "\\PC{0,120}") {
            if let Ok(v) = serde_json::from_str::<Value>(&s) {
                let _ = map_items(&v, &(source("mastodon")), NOW);
            }
        }
    }
}
