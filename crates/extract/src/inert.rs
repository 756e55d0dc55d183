//! Dropping what no extraction step reads before the page is parsed.
//!
//! Real news pages are mostly not text: VnExpress ships 250 KB of which 71% is inline `<style>`
//! and 18% `<script>`; Dân trí 470 KB, 66% `<style>`. html5ever tokenizes every byte of them.
//! [`strip_inert`] removes the content of elements the extractor never reads (scripts other than
//! JSON-LD, styles, `<svg>`, `<noscript>`, `<iframe>`) and comments, keeping the tags themselves,
//! so the parsed tree has the same elements in the same places; it also drops the attributes the
//! extractor never reads ([`KEPT_ATTRIBUTES`] lists those it does: `href`, `src`, `data-*` are a
//! third of what remains) and collapses runs of whitespace between words and tags.
//!
//! The scan follows the HTML tokenizer where it matters: attribute values in quotes may contain
//! `<` and `>`, comments end at `-->` (or at once for `<!-->`), raw-text elements end at their
//! closing tag, and text inside `<title>` and `<textarea>` is kept as is even if it looks like
//! markup.

use std::borrow::Cow;

const EMPTY_COMMENT: &str = "<!---->";

/// Raw-text elements whose content is dropped (their tags stay).
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "iframe", "noembed", "noframes", "xmp",
];
/// Elements whose content is text however it looks, kept as is.
const KEPT_RAW: &[&str] = &["title", "textarea"];

/// Where the text of raw-text element `name` whose start tag ends at `tag_end` ends (at its
/// closing tag, or the end of the page); `None` if `name` is no raw-text element.
fn raw_text_end(bytes: &[u8], tag_end: usize, name: &str) -> Option<usize> {
    let raw = DROPPED
        .iter()
        .chain(KEPT_RAW)
        .find(|n| name.eq_ignore_ascii_case(n))?;
    let end = if *raw == "script" {
        script_end(bytes, tag_end)
    } else {
        closing_tag(bytes, tag_end, raw)
    };
    Some(end.unwrap_or(bytes.len()))
}

/// The page without the content of inert elements and comments (see the module docs).
///
/// ```
/// # use langnghe_extract::strip_inert;
/// let page = r#"<style>p{color:red}</style><p class="a<b" title="x">Công   đoàn</p><!-- ad --><script>x()</script>"#;
/// assert_eq!(strip_inert(page), r#"<style></style><p class="a<b">Công đoàn</p><!----><script></script>"#);
/// ```
pub fn strip_inert(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out = String::new();
    // Bytes of `html` before `copied` are already in `out` or dropped.
    let mut copied = 0;
    let mut i = 0;
    // Replaces `html[from..to]` with `with`.
    let cut = |out: &mut String, copied: &mut usize, from: usize, to: usize, with: &str| {
        if out.capacity() == 0 {
            out.reserve(html.len() / 2);
        }
        out.push_str(&html[*copied..from]);
        out.push_str(with);
        *copied = to;
    };
    // Runs of ASCII whitespace in text between `from` and `to` keep their first character: the
    // parser and the extractor treat a run like one, and indentation is a third of some pages.
    let collapse = |out: &mut String, copied: &mut usize, from: usize, to: usize| {
        let mut k = from;
        while k < to {
            if is_space(bytes[k]) && k + 1 < to && is_space(bytes[k + 1]) {
                let end = k
                    + 1
                    + bytes[k + 1..to]
                        .iter()
                        .take_while(|&&b| is_space(b))
                        .count();
                cut(out, copied, k + 1, end, "");
                k = end;
            } else {
                k += 1;
            }
        }
    };
    let mut finished = true;
    let mut depth = Depth::default();
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + found;
        collapse(&mut out, &mut copied, i, lt);
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            // An empty comment takes its place: text on either side must not join into
            // markup (`<` + `a` would become a tag).
            let end = comment_end(html, lt);
            if end - lt > EMPTY_COMMENT.len() {
                cut(&mut out, &mut copied, lt, end, EMPTY_COMMENT);
            }
            i = end;
            continue;
        }
        match rest.get(1) {
            Some(b) if b.is_ascii_alphabetic() => {
                let StartTag {
                    name,
                    name_end,
                    end: tag_end,
                    self_closing,
                } = start_tag(html, lt);
                i = tag_end;
                if !depth.start(name, self_closing) {
                    // Nested past the limit: the tag goes and its text stays, in the element
                    // at the limit (Blink, too, stops nesting there); a raw-text element
                    // (a script, a textarea) goes with its content.
                    let end = raw_text_end(bytes, tag_end, name).unwrap_or(tag_end);
                    cut(&mut out, &mut copied, lt, end, "");
                    i = end;
                    continue;
                }
                let foreign = ["svg", "math"]
                    .into_iter()
                    .find(|n| name.eq_ignore_ascii_case(n));
                if foreign.is_none()
                    && let Some(tag) = kept_attributes(html, name, name_end, tag_end)
                {
                    cut(&mut out, &mut copied, lt, tag_end, &tag);
                }
                if let Some(close) = raw_text_end(bytes, tag_end, name) {
                    // Raw text: kept as is in a title or textarea, dropped elsewhere unless a
                    // JSON-LD script's.
                    let kept = KEPT_RAW.iter().any(|n| name.eq_ignore_ascii_case(n));
                    let json_ld = name.eq_ignore_ascii_case("script")
                        && html[lt..tag_end].to_ascii_lowercase().contains("ld+json");
                    if !kept && !json_ld {
                        cut(&mut out, &mut copied, tag_end, close, "");
                    }
                    i = close;
                } else if let Some(foreign) = foreign
                    && !self_closing
                {
                    // Foreign content: `<style>` and `<script>` inside are ordinary elements, and
                    // an HTML element such as `<p>` ends it early. A closed one without unusual
                    // content is dropped (svg) or passed over (math); otherwise the rest of the
                    // page is left to the parser as it is.
                    match foreign_end(html, tag_end, foreign) {
                        Some(close) => {
                            if foreign == "svg" {
                                cut(&mut out, &mut copied, tag_end, close, "");
                            }
                            i = close;
                        }
                        None => {
                            finished = false;
                            break;
                        }
                    }
                }
            }
            Some(b'/' | b'!' | b'?') => {
                let (end, deep) = other_markup(html, lt, &mut depth);
                if deep {
                    // The end of an element whose start tag was dropped goes too.
                    cut(&mut out, &mut copied, lt, end, "");
                }
                i = end;
            }
            _ => i = lt + 1,
        }
    }
    if finished {
        collapse(&mut out, &mut copied, i, bytes.len());
    }
    if out.capacity() == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Where a tag name starting at `start` ends: at whitespace, `/` or `>`, as the tokenizer reads
/// it (`<a.b>` is an element named `a.b`, not `a`).
fn tag_name_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| is_space(b) || matches!(b, b'/' | b'>'))
        .map_or(bytes.len(), |p| start + p)
}

/// Nesting a page may reach; tags nested deeper are dropped and their text kept in the element
/// at the limit. The parser checks scopes by walking its stack of open elements, so a hostile
/// page of nested `<div>`s parses in quadratic time (200,000 took three minutes); Blink stops
/// nesting at the same depth.
pub(crate) const MAX_DEPTH: usize = 512;

/// An estimate of the parser's nesting depth from the tags alone: start tags of elements that
/// are neither void (`<br>`, `<img>`) nor closed implicitly by their next sibling (`<p>`, `<li>`,
/// `<td>`) count one deeper, end tags one shallower.
#[derive(Default)]
pub(crate) struct Depth(usize);

impl Depth {
    /// A start tag; false if it nests past [`MAX_DEPTH`] (a tag that does not nest, a `<p>`
    /// or a `<br>`, never does: it stays, and its text stays in a paragraph).
    pub(crate) fn start(&mut self, tag: &str, self_closing: bool) -> bool {
        if self_closing || flat(tag) {
            return true;
        }
        self.0 += 1;
        self.0 <= MAX_DEPTH
    }

    /// An end tag; true if it ends an element nested past [`MAX_DEPTH`] (its start tag was
    /// dropped, so it goes too).
    pub(crate) fn end(&mut self, tag: &str) -> bool {
        if flat(tag) {
            return false;
        }
        let deep = self.0 > MAX_DEPTH;
        self.0 = self.0.saturating_sub(1);
        deep
    }
}

/// Elements that do not nest: void ones, ones closed by their next sibling (`<p>`, `<li>`,
/// `<td>`), and the document's own. (Read for every tag: a `match`, lowercase names first.)
fn flat(tag: &str) -> bool {
    fn lowercase_flat(tag: &str) -> bool {
        matches!(
            tag,
            "area"
                | "base"
                | "basefont"
                | "bgsound"
                | "br"
                | "col"
                | "embed"
                | "frame"
                | "hr"
                | "img"
                | "input"
                | "keygen"
                | "link"
                | "meta"
                | "param"
                | "source"
                | "track"
                | "wbr"
                | "p"
                | "li"
                | "dd"
                | "dt"
                | "option"
                | "optgroup"
                | "tr"
                | "td"
                | "th"
                | "rb"
                | "rt"
                | "rtc"
                | "rp"
                | "tbody"
                | "thead"
                | "tfoot"
                | "colgroup"
                | "caption"
                | "html"
                | "head"
                | "body"
        )
    }
    if tag.bytes().any(|b| b.is_ascii_uppercase()) {
        lowercase_flat(&tag.to_ascii_lowercase())
    } else {
        lowercase_flat(tag)
    }
}

/// The page with the tags nested past [`MAX_DEPTH`] dropped and their text kept (see
/// [`MAX_DEPTH`]), unchanged if it nests no deeper. Script, style and other raw text is passed
/// over (a `<div>` in a script is not a tag).
pub(crate) fn within_depth(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = Depth::default();
    let mut out = String::new();
    let mut copied = 0;
    let mut cut = |out: &mut String, from: usize, to: usize| {
        out.push_str(&html[copied..from]);
        copied = to;
    };
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + found;
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            i = comment_end(html, lt);
            continue;
        }
        match rest.get(1) {
            Some(b) if b.is_ascii_alphabetic() => {
                let StartTag {
                    name,
                    end: tag_end,
                    self_closing,
                    ..
                } = start_tag(html, lt);
                let deep = !depth.start(name, self_closing);
                i = raw_text_end(bytes, tag_end, name).unwrap_or(tag_end);
                if deep {
                    // The tag goes (with a raw-text element's content), its text stays.
                    cut(&mut out, lt, i);
                }
            }
            Some(b'/' | b'!' | b'?') => {
                let (end, deep) = other_markup(html, lt, &mut depth);
                if deep {
                    cut(&mut out, lt, end);
                }
                i = end;
            }
            _ => i = lt + 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// A start tag as the scan reads it.
struct StartTag<'a> {
    name: &'a str,
    /// Where the name ends (the attributes start).
    name_end: usize,
    /// Just after the `>` (or the end of the page).
    end: usize,
    /// Written `<x/>`.
    self_closing: bool,
}

/// The start tag whose `<` is at `lt`.
fn start_tag(html: &str, lt: usize) -> StartTag<'_> {
    let bytes = html.as_bytes();
    let name_end = tag_name_end(bytes, lt + 1);
    let end = open_tag_end(bytes, name_end);
    StartTag {
        name: &html[lt + 1..name_end],
        name_end,
        end,
        self_closing: end >= 2 && bytes[end - 2] == b'/',
    }
}

/// `</x>`, `<!doctype>`, `<?x>` at `lt`: markup up to the next `>` (an end tag one level less
/// deep); returns where reading goes on, and whether it is the end tag of an element nested
/// past [`MAX_DEPTH`].
fn other_markup(html: &str, lt: usize, depth: &mut Depth) -> (usize, bool) {
    let bytes = html.as_bytes();
    let end = memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |p| lt + p + 1);
    let deep = bytes.get(lt + 1) == Some(&b'/') && {
        let name_end = tag_name_end(bytes, lt + 2);
        depth.end(html.get(lt + 2..name_end).unwrap_or(""))
    };
    (end, deep)
}

/// ASCII whitespace as the HTML tokenizer counts it.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Attributes the extractor reads (`article.rs`), by element; `*` for every element. Any other
/// attribute is dropped before parsing. `type` on `<input>` stays because the parser reads it
/// (a hidden input is not moved out of a table).
pub(crate) const KEPT_ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "*",
        &[
            "class",
            "id",
            "data-slot",
            "data-role",
            "itemprop",
            "role",
            "style",
            "align",
        ],
    ),
    ("meta", &["content", "datetime", "href", "property", "name"]),
    ("link", &["content", "datetime", "href", "rel"]),
    ("time", &["content", "datetime", "href"]),
    ("script", &["type"]),
    ("input", &["type"]),
    ("html", &["lang"]),
];

pub(crate) fn kept(tag: &str, attribute: &str) -> bool {
    KEPT_ATTRIBUTES.iter().any(|(t, names)| {
        (*t == "*" || tag.eq_ignore_ascii_case(t))
            && names.iter().any(|n| attribute.eq_ignore_ascii_case(n))
    })
}

/// The start tag `html[..to]` (its name ends at `from`) with only the attributes in
/// [`KEPT_ATTRIBUTES`], each written as it was; `None` if it keeps them all, is not closed, or
/// its attributes are written in a way this reading does not model (the tag then stays as is).
fn kept_attributes(html: &str, tag: &str, from: usize, to: usize) -> Option<String> {
    let bytes = html.as_bytes();
    if to > bytes.len() || to <= from || bytes[to - 1] != b'>' {
        return None;
    }
    let end = to - 1;
    let mut attributes: Vec<(usize, usize, bool)> = Vec::new();
    let mut self_closing = false;
    let mut i = from;
    while i < end {
        let b = bytes[i];
        if is_space(b) {
            i += 1;
            continue;
        }
        if b == b'/' {
            // `/` right before `>` closes the tag; anywhere else the tokenizer ignores it.
            self_closing = i + 1 == end;
            i += 1;
            continue;
        }
        // Attribute name.
        let start = i;
        while i < end && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'=') {
            if matches!(bytes[i], b'"' | b'\'' | b'<') {
                return None;
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        let name = &html[start..i];
        let mut j = i;
        while j < end && is_space(bytes[j]) {
            j += 1;
        }
        if j < end && bytes[j] == b'=' {
            j += 1;
            while j < end && is_space(bytes[j]) {
                j += 1;
            }
            match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = bytes[j + 1..end].iter().position(|&b| b == q)?;
                    j = j + 1 + close + 1;
                    // A quoted value must be followed by a space, `/` or the end.
                    if j < end && !is_space(bytes[j]) && bytes[j] != b'/' {
                        return None;
                    }
                }
                _ => {
                    let value = j;
                    while j < end && !is_space(bytes[j]) {
                        if matches!(bytes[j], b'"' | b'\'' | b'<' | b'=' | b'`') {
                            return None;
                        }
                        j += 1;
                    }
                    if j == value {
                        return None;
                    }
                }
            }
            i = j;
        }
        attributes.push((start, i, kept(tag, name)));
    }
    if attributes.iter().all(|a| a.2) {
        return None;
    }
    let mut out = String::with_capacity(to - from + tag.len() + 2);
    out.push('<');
    out.push_str(tag);
    for &(start, stop, keep) in &attributes {
        if keep {
            out.push(' ');
            out.push_str(&html[start..stop]);
        }
    }
    if self_closing {
        out.push('/');
    }
    out.push('>');
    Some(out)
}

/// HTML elements that end foreign content (`<svg>`, `<math>`) when they start inside it
/// (`font` only with some attributes; counted always, to be safe).
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
    "font",
];

/// Where the foreign element (`svg`, `math`) whose content starts at `from` is closed: the
/// index of the end tag that closes it, following the parser's rule for end tags in foreign
/// content (an end tag closes the innermost open element of its name). `None` makes the caller
/// stop rather than guess: no such end tag, a start tag of an HTML element that ends foreign
/// content early, an end tag that matches no open foreign element (the parser then applies HTML
/// rules to it), or any element inside an HTML integration point (SVG's `<title>`, `<desc>`,
/// `<foreignObject>` let HTML in). An icon's `<title>Facebook</title>` holds text only, and is
/// dropped with its `<svg>`.
pub(crate) fn foreign_end(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let is = |n: &str, list: &[&str]| list.iter().any(|x| n.eq_ignore_ascii_case(x));
    const INTEGRATION: &[&str] = &["title", "desc", "foreignobject"];
    // Open elements, the foreign root first.
    let mut open: Vec<&str> = vec![name];
    let mut i = from;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + found;
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            i = comment_end(html, lt);
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            i = html[lt..].find("]]>").map_or(bytes.len(), |p| lt + p + 3);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let start = lt + 1 + usize::from(closing);
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            // `<!x`, `<?x`, `</3`: bogus comments up to the next `>`; `<` alone is text.
            i = if closing || matches!(rest.get(1), Some(b'!' | b'?')) {
                rest.iter()
                    .position(|&b| b == b'>')
                    .map_or(bytes.len(), |p| lt + p + 1)
            } else {
                lt + 1
            };
            continue;
        }
        let end = tag_name_end(bytes, start);
        let tag = &html[start..end];
        let tag_end = open_tag_end(bytes, end);
        if closing {
            // `</p>` and `</br>` end foreign content whatever is open.
            let at = open.iter().rposition(|o| o.eq_ignore_ascii_case(tag));
            match at {
                Some(0) if !is(tag, &["p", "br"]) => return Some(lt),
                Some(k) if !is(tag, &["p", "br"]) => open.truncate(k),
                _ => return None,
            }
        } else {
            if is(tag, BREAKOUT) || open.iter().any(|o| is(o, INTEGRATION)) {
                return None;
            }
            let self_closing = tag_end >= 2 && bytes[tag_end - 2] == b'/';
            if !self_closing {
                open.push(tag);
            }
        }
        i = tag_end;
    }
    None
}

/// Where a comment starting at `lt` (`<!--`) ends: after `-->` or `--!>`, at once for the
/// abrupt `<!-->` and `<!--->`, or at the end of the page.
fn comment_end(html: &str, lt: usize) -> usize {
    let body = &html[lt + 4..];
    if body.starts_with('>') {
        return lt + 5;
    }
    if body.starts_with("->") {
        return lt + 6;
    }
    // The first `-->` or `--!>`, in one pass (searching for each separately would scan to the
    // end of the page for the one that is absent, for every comment).
    let b = body.as_bytes();
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'-') {
        let at = i + p;
        if b[at..].starts_with(b"-->") {
            return lt + 4 + at + 3;
        }
        if b[at..].starts_with(b"--!>") {
            return lt + 4 + at + 4;
        }
        i = at + 1;
    }
    html.len()
}

/// The index just after the `>` ending an open tag whose name ends at `from`; quoted attribute
/// values may contain `>`.
fn open_tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            b'=' => after_equals = true,
            q @ (b'"' | b'\'') if after_equals => {
                i = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == q)
                    .map_or(bytes.len(), |p| i + 1 + p);
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    bytes.len()
}

/// True if `bytes[at..]` starts with `<name` or `</name` (`closing`), any case, followed by a
/// character that ends a tag name.
fn tag_at(bytes: &[u8], at: usize, name: &str, closing: bool) -> bool {
    let open = if closing { 2 } else { 1 };
    let after = at + open + name.len();
    bytes.len() >= after
        && bytes[at] == b'<'
        && (!closing || bytes[at + 1] == b'/')
        && bytes[at + open..after].eq_ignore_ascii_case(name.as_bytes())
        && bytes
            .get(after)
            .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
}

/// Where a script's content starting at `from` ends (the `<` of its `</script`), following the
/// tokenizer's script-data states: inside `<!--` a `<script>` starts a "double-escaped" part in
/// which `</script>` does not end the script, until `-->`.
pub(crate) fn script_end(bytes: &[u8], from: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut i = from;
    while i < bytes.len() {
        // Jump to the next byte that can change anything.
        let next = if state == State::Data {
            memchr::memchr(b'<', &bytes[i..])
        } else {
            memchr::memchr2(b'<', b'-', &bytes[i..])
        };
        let Some(p) = next else {
            break;
        };
        i += p;
        match bytes[i] {
            b'<' if state != State::DoubleEscaped && tag_at(bytes, i, "script", true) => {
                return Some(i);
            }
            b'<' if state == State::DoubleEscaped && tag_at(bytes, i, "script", true) => {
                state = State::Escaped;
                i += 8;
                continue;
            }
            b'<' if state == State::Data && bytes[i..].starts_with(b"<!--") => {
                state = State::Escaped;
                // From the dashes, so that `<!-->` also closes at once.
                i += 2;
                continue;
            }
            b'<' if state == State::Escaped && tag_at(bytes, i, "script", false) => {
                state = State::DoubleEscaped;
                i += 7;
                continue;
            }
            b'-' if state != State::Data && bytes[i..].starts_with(b"-->") => {
                state = State::Data;
                i += 3;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of `</name` (any case) followed by a tag-ending character, from `from` on.
fn closing_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.len();
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&bytes[i..], b"</") {
        let at = i + p;
        let after = at + 2 + n;
        if bytes.len() >= after
            && bytes[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(after)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_inert_content_and_keeps_tags() {
        let page = "<head><title>a <!-- b --> c</title><style>x{}</style>\
            <script type=\"application/ld+json\">{\"headline\":\"</p>\"}</script>\
            <SCRIPT src=x>if (a<b) {}</SCRIPT ></head>\
            <body><!-->text<!---><p>one</p><svg><path d=\"M0\"/></svg><svg/><p>two</p>\
            <noscript><img src=a></noscript><textarea><!-- kept --></textarea>";
        assert_eq!(
            strip_inert(page),
            "<head><title>a <!-- b --> c</title><style></style>\
            <script type=\"application/ld+json\">{\"headline\":\"</p>\"}</script>\
            <SCRIPT></SCRIPT ></head>\
            <body><!-->text<!---><p>one</p><svg></svg><svg/><p>two</p>\
            <noscript></noscript><textarea><!-- kept --></textarea>"
        );
    }

    #[test]
    fn quoted_attributes_may_hold_markup() {
        let page = r#"<div class='<!--' id="<script>">kept</div><!-- -->"#;
        assert_eq!(
            strip_inert(page),
            r#"<div class='<!--' id="<script>">kept</div><!---->"#
        );
    }

    #[test]
    fn only_attributes_the_extractor_reads_stay() {
        let page = "<a href=\"/x\" class=\"tin\" data-utm=\"y\" title='t'>Tin</a>\
            <link rel=canonical href=/a.html><img src=a.jpg alt=\"\"/><br/>\
            <p  CLASS = 'sapo'  onclick=go() >Sapo</p><a.b title=x>";
        assert_eq!(
            strip_inert(page),
            "<a class=\"tin\">Tin</a>\
            <link rel=canonical href=/a.html><img/><br/>\
            <p CLASS = 'sapo'>Sapo</p><a.b>"
        );
        // Unusual attribute syntax leaves the tag as written.
        let odd = "<a title=\"x\"class=y>z</a>";
        assert_eq!(strip_inert(odd), odd);
    }

    #[test]
    fn whitespace_runs_in_text_keep_their_first_character() {
        assert_eq!(
            strip_inert("<div>\n    <p>Công   nhân\u{A0}\u{A0}x</p>\n\n</div>"),
            "<div>\n<p>Công nhân\u{A0}\u{A0}x</p>\n</div>"
        );
        // Not inside a title or a JSON-LD script.
        let kept = "<title>a   b</title><script type=\"application/ld+json\">{  }</script>";
        assert_eq!(strip_inert(kept), kept);
    }

    #[test]
    fn a_page_nested_too_deep_keeps_its_text_without_the_deeper_tags() {
        let deep = format!(
            "<p>a</p>{}<b>x</b><script>if (a<b) f();</script>y{}<p>after",
            "<div>".repeat(MAX_DEPTH + 5),
            "</div>".repeat(MAX_DEPTH + 5)
        );
        for kept in [within_depth(&deep), strip_inert(&deep)] {
            assert_eq!(kept.matches("<div>").count(), MAX_DEPTH, "{}", &kept[..40]);
            assert_eq!(kept.matches("</div>").count(), MAX_DEPTH);
            // The text nested past the limit stays, and so does what follows it.
            assert!(
                kept.contains(">xy</div>") || kept.contains(">x y</div>"),
                "{}",
                &kept[kept.len() - 200..]
            );
            assert!(kept.ends_with("<p>after"));
            assert!(!kept.contains("<b>") && !kept.contains("f()"));
        }
        // Tags in script text, void elements and implied ends do not nest.
        let flat = format!(
            "<script>{}</script>{}{}<p>end",
            "<div>".repeat(2 * MAX_DEPTH),
            "<br><img>".repeat(MAX_DEPTH),
            "<li>x<p>y".repeat(MAX_DEPTH)
        );
        assert_eq!(within_depth(&flat), flat);
    }

    #[test]
    fn unclosed_things_run_to_the_end() {
        assert_eq!(strip_inert("<p>a</p><!-- open"), "<p>a</p><!---->");
        assert_eq!(strip_inert("<p>a</p><script>open"), "<p>a</p><script>");
        assert_eq!(strip_inert("<p>a<svg><p>b"), "<p>a<svg><p>b");
        // Inside foreign content `<style>` is an element; an HTML element breaks out of it.
        assert_eq!(
            strip_inert("<svg><style>.a{}</style><p>b</p></svg><style>x</style>"),
            "<svg><style>.a{}</style><p>b</p></svg><style>x</style>"
        );
        assert_eq!(
            strip_inert("<svg><title>Facebook</title><style>.a{}</style></svg><style>x</style>"),
            "<svg></svg><style></style>"
        );
        // In an HTML integration point a `<noscript>` is raw text that runs past `</svg>`.
        let odd = "<svg><title><noscript></svg><style>x</style>";
        assert_eq!(strip_inert(odd), odd);
        // A comment or a nested svg does not end it.
        assert_eq!(
            strip_inert("<svg><!--</svg>--><svg></svg><g/></svg><p>a</p>"),
            "<svg></svg><p>a</p>"
        );
        // `</script>` inside `<!-- <script>` does not end a script.
        assert_eq!(
            strip_inert("<script><!--<script></script>x--></script><p>a</p>"),
            "<script></script><p>a</p>"
        );
        assert_eq!(
            strip_inert("<script><!--<script></script><p>a</p>"),
            "<script>"
        );
        // A dropped comment leaves an empty one: `<` and `a` must not join into a tag.
        assert_eq!(strip_inert("<<!-- x -->a"), "<<!---->a");
        assert!(matches!(strip_inert("<p>plain</p>"), Cow::Borrowed(_)));
    }
}
