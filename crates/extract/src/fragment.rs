//! Text that arrived as HTML in a field of a document: a scraper's `content`, a feed's
//! description, `C&ocirc;ng nh&acirc;n` in a title. Read with the page parser and the character
//! references of HTML5 ([`crate::parse_html`]), so that a fragment reads as a browser shows it.

use std::borrow::Cow;

use scraper::{ElementRef, Node};

use crate::article::{is_block, is_skip_tag};
use crate::tokenize::char_reference;

/// `text` with its character references decoded as HTML decodes them (`&amp;`, `&ocirc;`,
/// `&#7879;`: the whole HTML5 table), those closed by `;` only; one that is not a reference
/// (`&PTNT;` in "NN&PTNT;") is kept as written.
///
/// ```
/// use langnghe_extract::decode_entities;
/// assert_eq!(decode_entities("C&ocirc;ng &dstrok;o&agrave;n &#7879; &amp; NN&PTNT;"), "Công đoàn ệ & NN&PTNT;");
/// ```
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (at, _) in text.match_indices('&') {
        if at < from {
            continue;
        }
        if let Some((chars, end)) = char_reference(text, at + 1, false)
            && text.as_bytes()[end - 1] == b';'
        {
            out.push_str(&text[from..at]);
            out.extend(chars.into_iter().flatten());
            from = end;
        }
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// Whether `text` holds a tag of an element HTML knows (`<p>`, `</b>`, `<br/>`, `<img src=…>`),
/// as opposed to text that uses angle brackets (`<số tiền>`, `5 < 6`).
fn holds_markup(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        let after = &text[at + 1..];
        let name = after.strip_prefix('/').unwrap_or(after);
        let end = name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        end > 0
            && matches!(
                name[end..].chars().next(),
                Some('>' | '/' | ' ' | '\t' | '\n')
            )
            && is_element(&name[..end].to_ascii_lowercase())
    }) || text.contains("<!--")
}

/// An element of HTML that text fields carry: the blocks and the skipped subtrees the article
/// reader knows, and the elements that mark up words.
fn is_element(name: &str) -> bool {
    is_block(name)
        || is_skip_tag(name)
        || matches!(
            name,
            "a" | "b"
                | "i"
                | "u"
                | "s"
                | "em"
                | "strong"
                | "span"
                | "font"
                | "small"
                | "sub"
                | "sup"
                | "mark"
                | "code"
                | "q"
                | "cite"
                | "abbr"
                | "br"
                | "hr"
                | "html"
                | "body"
                | "head"
        )
}

/// The text of `text` if it is HTML: what the page parser reads, a block element (and `<br>`)
/// ending its line, scripts, styles and comments left out, spaces within a line collapsed, empty
/// lines dropped. Text without markup comes back with its character references decoded
/// ([`decode_entities`]).
///
/// ```
/// use langnghe_extract::html_text;
/// assert_eq!(html_text("<p>C&ocirc;ng nh&acirc;n <b>ng&#7915;ng vi&#7879;c</b>.</p><p>Sáng nay.</p>"), "Công nhân ngừng việc.\nSáng nay.");
/// assert_eq!(html_text("Bộ NN&amp;PTNT"), "Bộ NN&PTNT");
/// assert_eq!(html_text("Điền <số tiền> vào ô"), "Điền <số tiền> vào ô");
/// ```
pub fn html_text(text: &str) -> Cow<'_, str> {
    if !holds_markup(text) {
        return decode_entities(text);
    }
    let doc = crate::parse_html(text);
    let mut out = String::with_capacity(text.len());
    collect(doc.root_element(), &mut out);
    let lines: Vec<String> = out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// The text under `el`, with a line break around each block and a space for each embedded object.
fn collect(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                let block = name == "br" || is_block(name);
                if block {
                    out.push('\n');
                } else if matches!(name, "img" | "embed" | "object") {
                    out.push(' ');
                }
                if !is_skip_tag(name)
                    && let Some(e) = ElementRef::wrap(child)
                {
                    collect(e, out);
                }
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_fragment_keeps_its_lines_and_words() {
        let html = "<div class=\"sapo\">Hàng trăm <strong>công nhân</strong> ngừng việc.</div>\
            <script>var x = '<p>không</p>';</script><style>p{}</style>\
            <p>Sáng nay,<br/>công ty <a href=\"/x\">trả lương</a>.<img src=\"a.jpg\">Ảnh</p>\
            <!-- quảng cáo <p>x</p> --><P>&Dstrok;&ocirc;ng &#273;&#7911; &#x1EBF;t &amp; a &lt; b &PTNT;</P>";
        assert_eq!(
            html_text(html),
            "Hàng trăm công nhân ngừng việc.\nSáng nay,\ncông ty trả lương. Ảnh\nĐông đủ ết & a < b &PTNT;"
        );
        // Not HTML: left as it is.
        for text in [
            "Lương 5 < 6 triệu",
            "R&D",
            "Điền <tên công ty> vào đơn",
            "x < y > z",
        ] {
            assert_eq!(html_text(text), text);
        }
    }

    proptest! {
        #[test]
        fn random_text_never_panics(s in "\\PC{0,200}") {
            let _ = html_text(&s);
            let _ = decode_entities(&s);
        }

        /// Whatever the markup, the text that comes out holds no tag of it, and text without
        /// markup or references comes out unchanged.
        #[test]
        fn no_tag_is_left(
            s in "(<(p|/p|b|/b|br/|div class=\"x\"|/div|script|/script|img src=1)>|&(amp|nbsp|ocirc|#7879|bad);?|[a-zđ ôệ<>0-9.,]{0,8}){0,30}",
            plain in "[a-zA-Zđăâêôơư 0-9.,:;!?()]{0,60}",
        ) {
            let out = html_text(&s);
            for tag in ["<p>", "</p>", "<b>", "<br/>", "<script>", "<img"] {
                prop_assert!(!out.contains(tag), "{:?} -> {:?}", s, out);
            }
            prop_assert_eq!(html_text(&plain), plain.as_str());
        }
    }
}
