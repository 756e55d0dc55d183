//! Highlighted snippets: the passage of a body where the query's words are densest, with each
//! match wrapped in `<b>`…`</b>` (HTML-escaped text), matched the way the query matched:
//! exact syllables by diacritics, unaccented ones by their folded form.

use langnghe_query::{Query, Text};
use langnghe_vi::{Analyzer, tokens};

/// Longest snippet, in bytes of the original text (about 200 Vietnamese characters).
const SNIPPET_BYTES: usize = 280;
/// Context kept before the first match.
const LEAD_BYTES: usize = 60;

/// A query's text leaves as highlight patterns: per syllable, the term and whether it is
/// compared with the exact (typed with diacritics) or the folded form of a document token.
/// A prefix ends in `*`, which analyzer output never contains. Negated parts are not highlighted.
pub(crate) fn patterns(q: &Query) -> Vec<Vec<(String, bool)>> {
    fn pattern(t: &Text) -> Vec<(String, bool)> {
        let mut words: Vec<(String, bool)> = t
            .syllables
            .iter()
            .map(|s| (s.term().to_owned(), s.marked))
            .collect();
        if t.prefix
            && let Some(last) = words.last_mut()
        {
            last.0.push('*');
        }
        words
    }
    fn collect(q: &Query, out: &mut Vec<Vec<(String, bool)>>) {
        match q {
            Query::Text(t) => out.push(pattern(t)),
            Query::Outside { phrase, .. } => out.push(pattern(phrase)),
            Query::Near { left, right, .. } => {
                out.push(pattern(left));
                out.push(pattern(right));
            }
            Query::And(qs) | Query::Or(qs) => qs.iter().for_each(|q| collect(q, out)),
            Query::Not(_) | Query::Keyword { .. } | Query::Published { .. } => {}
        }
    }
    let mut out = Vec::new();
    collect(q, &mut out);
    out
}

fn word_matches(pattern: &(String, bool), exact: &str, folded: &str) -> bool {
    let (term, is_exact) = pattern;
    let token = if *is_exact { exact } else { folded };
    match term.strip_suffix('*') {
        Some(prefix) => token.starts_with(prefix),
        None => token == term,
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The best passage of `body` for `patterns`, HTML-escaped with `<b>` around matches.
pub(crate) fn snippet(body: &str, patterns: &[Vec<(String, bool)>]) -> String {
    let exact = tokens(body, Analyzer::Exact);
    let folded = tokens(body, Analyzer::Folded);
    // Matches: (from, to, pattern index).
    let mut matches: Vec<(usize, usize, usize)> = Vec::new();
    for i in 0..exact.len().min(folded.len()) {
        for (p, words) in patterns.iter().enumerate() {
            if i + words.len() > exact.len() || words.is_empty() {
                continue;
            }
            // Phrases match consecutive positions only (not across a sentence gap).
            let all = words.iter().enumerate().all(|(k, w)| {
                exact[i + k].position == exact[i].position + k
                    && word_matches(w, &exact[i + k].text, &folded[i + k].text)
            });
            if all {
                matches.push((
                    exact[i].offset_from,
                    exact[i + words.len() - 1].offset_to,
                    p,
                ));
            }
        }
    }
    // The window with the most distinct patterns, then the most matches.
    let mut best = (0usize, 0usize, 0usize); // (score, first match index, start byte)
    for (i, &(from, _, _)) in matches.iter().enumerate() {
        let end = from + SNIPPET_BYTES - LEAD_BYTES;
        let inside: Vec<usize> = matches[i..]
            .iter()
            .take_while(|m| m.1 <= end)
            .map(|m| m.2)
            .collect();
        let mut distinct = inside.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let score = distinct.len() * 1000 + inside.len();
        if score > best.0 {
            best = (score, i, from);
        }
    }
    let start = if matches.is_empty() {
        0
    } else {
        // Start at a word boundary some way before the first match.
        // (and further back if the window would otherwise run past the end of the body).
        let want = best
            .2
            .saturating_sub(LEAD_BYTES)
            .min(body.len().saturating_sub(SNIPPET_BYTES));
        exact
            .iter()
            .map(|t| t.offset_from)
            .find(|&o| o >= want)
            .unwrap_or(best.2)
            .min(best.2)
    };
    let mut end = floor_boundary(body, (start + SNIPPET_BYTES).min(body.len()));
    if end < body.len() {
        // End at a word boundary.
        if let Some(t) = exact
            .iter()
            .rev()
            .find(|t| t.offset_to <= end && t.offset_from >= start)
        {
            end = t.offset_to;
        }
    }
    let mut out = String::with_capacity(end - start + 32);
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    let mut spans: Vec<(usize, usize)> = matches
        .iter()
        .filter(|m| m.0 >= start && m.1 <= end)
        .map(|m| (m.0, m.1))
        .collect();
    spans.sort_unstable();
    for (from, to) in spans {
        if from < at {
            continue; // overlaps the previous highlight
        }
        escape_into(&mut out, &body[at..from]);
        out.push_str("<b>");
        escape_into(&mut out, &body[from..to]);
        out.push_str("</b>");
        at = to;
    }
    escape_into(&mut out, &body[at..end]);
    if end < body.len() {
        out.push('…');
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snip(body: &str, q: &str) -> String {
        snippet(body, &patterns(&langnghe_query::parse(q).unwrap()))
    }

    #[test]
    fn highlights_exact_and_folded() {
        let body = "Các công đoạn sản xuất. Công đoàn cơ sở bảo vệ công nhân & người lao động.";
        assert_eq!(
            snip(body, "công đoàn"),
            "Các công đoạn sản xuất. <b>Công đoàn</b> cơ sở bảo vệ công nhân &amp; người lao động."
        );
        assert_eq!(
            snip(body, "cong doan"),
            "Các <b>công đoạn</b> sản xuất. <b>Công đoàn</b> cơ sở bảo vệ công nhân &amp; người lao động."
        );
        assert_eq!(
            snip(body, "nguoi lao d* -xyz"),
            "Các công đoạn sản xuất. Công đoàn cơ sở bảo vệ công nhân &amp; <b>người lao động</b>."
        );
    }

    #[test]
    fn phrases_do_not_span_sentences() {
        assert_eq!(
            snip("Thành công. Đoạn đường mới.", "cong doan"),
            "Thành công. Đoạn đường mới."
        );
    }

    #[test]
    fn long_bodies_are_cut_around_the_densest_passage() {
        let filler = "Thời tiết hôm nay đẹp. ".repeat(40);
        let body = format!("{filler}Công nhân đình công đòi tăng lương. {filler}");
        let s = snip(&body, "đình công");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<b>đình công</b>"));
        assert!(s.len() < SNIPPET_BYTES + 40);
    }
}
