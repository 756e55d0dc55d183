//! Snippets for alerts: the passage of a document where a topic's phrases fired, with those
//! phrases marked `[[…]]`.

use langnghe_model::{Document, TopicTag};
use langnghe_vi::{Analyzer, each_token};

/// Syllables shown before the first marked phrase.
const BEFORE: usize = 12;
/// Syllables shown in all.
const WIDTH: usize = 45;

/// The passage of `doc` around the first place `tag`'s phrases fired in the body (else the
/// title), with every fired phrase in it marked `[[…]]`; `…` where text is cut.
pub fn snippet(doc: &Document, tag: &TopicTag) -> String {
    let field = if tag.terms.iter().any(|t| t.field == "body") {
        "body"
    } else {
        "title"
    };
    let text = if field == "body" {
        &doc.body
    } else {
        &doc.title
    };
    // Byte span of every syllable, by position.
    let mut spans: Vec<(u32, usize, usize)> = Vec::new();
    each_token(text, Analyzer::Exact, |t| {
        spans.push((t.position as u32, t.offset_from, t.offset_to));
    });
    if spans.is_empty() {
        return String::new();
    }
    // Marked syllable positions: each phrase covers as many syllables as it has words.
    let mut marked: Vec<(u32, u32)> = Vec::new();
    for t in tag.terms.iter().filter(|t| t.field == field) {
        let len = t.phrase.split_whitespace().count().max(1) as u32;
        for &p in &t.positions {
            marked.push((p, p + len - 1));
        }
    }
    marked.sort_unstable();
    let first = marked.first().map_or(0, |m| m.0);
    let start = spans
        .iter()
        .position(|s| s.0 >= first)
        .unwrap_or(0)
        .saturating_sub(BEFORE);
    let end = (start + WIDTH).min(spans.len());
    let window = &spans[start..end];
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = window[0].1;
    let mut open: Option<u32> = None;
    for &(pos, from, to) in window {
        out.push_str(&text[at..from]);
        if open.is_none()
            && let Some(&(_, last)) = marked.iter().find(|m| m.0 == pos)
        {
            out.push_str("[[");
            open = Some(last);
        }
        out.push_str(&text[from..to]);
        if open.is_some_and(|last| pos >= last) {
            out.push_str("]]");
            open = None;
        }
        at = to;
    }
    if open.is_some() {
        out.push_str("]]");
    }
    if end < spans.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::builtin;

    #[test]
    fn the_fired_phrases_are_marked_in_a_window_of_the_body() {
        let classifier = builtin();
        // The snippet of the strike topic's hit, once the document is tagged.
        let strike_snippet = |mut doc: Document| {
            classifier.tag(&mut doc, &mut classifier.scratch());
            let tag = doc
                .topic_hits
                .iter()
                .find(|t| t.topic == "dinh-cong")
                .unwrap();
            snippet(&doc, tag)
        };
        // The phrase in the lead (after 36 syllables), the text long.
        let filler = "Thị trường chứng khoán hôm nay tăng điểm nhờ nhóm ngân hàng. ".repeat(3);
        let s = strike_snippet(Document::new(
            "1",
            "https://nld.com.vn/a.htm",
            "nld",
            "Tin trong ngày",
            format!(
                "{filler}Sáng 5/11, hơn 300 công nhân ngừng việc tập thể. Họ đòi tăng lương. {}",
                filler.repeat(4)
            ),
        ));
        assert!(
            s.contains("hơn 300 công nhân [[ngừng việc]] tập thể"),
            "{s}"
        );
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        // Only the topic's own phrases are marked.
        assert!(!s.contains("[[tăng lương]]"), "{s}");
        // A hit in the title only.
        assert_eq!(
            strike_snippet(Document::new("2", "", "nld", "Công nhân ngừng việc", "")),
            "Công nhân [[ngừng việc]]"
        );
    }
}
