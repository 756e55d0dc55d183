//! Main article text and metadata from one HTML page.
//!
//! The body is found the way readability does it, with no per-site rules: every paragraph-like
//! block credits its text to its parent and grandparent, class and id names weigh a candidate up
//! (`content`, `detail`, `article`) or down (`related`, `comment`, `share`), link-heavy blocks count
//! little, and the best candidate's blocks are emitted in page order, skipping captions, related
//! boxes, share bars and bylines. A lead (sapo) that sits outside the body container is put first.

use std::collections::{HashMap, HashSet};

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};
use serde::Serialize;
use time::OffsetDateTime;

use crate::date::parse_date;
use crate::inert::strip_inert;

/// What a page says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// Headline.
    pub title: String,
    /// Main text, one paragraph per line; lead first; no captions, bylines or related links.
    pub text: String,
    /// Publication time; `None` when the page gives none (never the crawl time).
    #[serde(with = "time::serde::rfc3339::option")]
    pub published: Option<OffsetDateTime>,
    /// Last update, when the page gives one.
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated: Option<OffsetDateTime>,
    /// Byline as the page states it.
    pub author: Option<String>,
    /// `<link rel=canonical>` or `og:url`, resolved against the page URL.
    pub canonical_url: Option<String>,
    /// ISO 639-1 language of the text (`vi` when the text is Vietnamese).
    pub lang: Option<String>,
}

/// Elements whose whole subtree is never article text.
const SKIP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "iframe",
    "video",
    "audio",
    "figure",
    "figcaption",
    "picture",
    "img",
    "svg",
    "button",
    "form",
    "input",
    "select",
    "textarea",
    "nav",
    "aside",
    "footer",
    "template",
    "object",
    "embed",
    "canvas",
    "map",
];

/// Class or id names of boxes that never hold the article, wherever they are: related links,
/// captions, comments, share bars, ads.
const STRONG_NOISE: &[&str] = &[
    "related",
    "relate",
    "rela_",
    "lienquan",
    "lien-quan",
    "tinlienquan",
    "tin-lien",
    "xemthem",
    "xem-them",
    "readmore",
    "read-more",
    "comment",
    "binh-luan",
    "binhluan",
    "share",
    "social",
    "tag",
    "tags",
    "keyword",
    "caption",
    "breadcrumb",
    "banner",
    "advert",
    "adsbygoogle",
    "ads",
    "quangcao",
    "popup",
    "modal",
    "vote",
    "rating",
    "newsletter",
    "subscribe",
    "photo-credit",
    "photocms_caption",
    "media-caption",
    "box-tin",
    "more-news",
    "expnote",
];

/// Names that mark page furniture (sidebar, menus, header, bylines): skipped inside the body,
/// but a page may wrap its whole main column in one (`sidebar-1` on VnExpress).
const WEAK_NOISE: &[&str] = &[
    "sidebar", "menu", "nav", "footer", "header", "hidden", "print", "audio", "player", "author",
    "byline", "toolbar",
];

/// Class or id fragments of the article body.
const BODY_NAMES: &[&str] = &[
    "article",
    "content",
    "detail",
    "body",
    "entry",
    "post",
    "story",
    "fck",
    "singular",
    "main",
    "text",
    "news-content",
    "chitiet",
    "noidung",
    "noi-dung",
];

/// Class or id fragments of a lead paragraph.
const LEAD_NAMES: &[&str] = &[
    "sapo",
    "description",
    "lead",
    "summary",
    "chapeau",
    "excerpt",
    "intro",
];

/// The names an element goes by: class, id, and the semantic attributes pages use instead
/// when their classes are utility classes (`data-slot="sapo"`, `itemprop="articleBody"`).
fn names(el: &ElementRef<'_>) -> String {
    let v = el.value();
    let mut s = String::new();
    for attr in ["class", "id", "data-slot", "data-role", "itemprop", "role"] {
        if let Some(value) = v.attr(attr) {
            s.push_str(&value.to_ascii_lowercase());
            s.push(' ');
        }
    }
    s
}

/// True if a class/id token is `fragment`, or (for fragments of 5+ characters) contains it:
/// `tag` matches `tags` and `box-tag` but not `stage`; `related` matches `relatedNews`.
fn has_any(names: &str, fragments: &[&str]) -> bool {
    names
        .split(|c: char| c.is_whitespace())
        .filter(|t| !t.is_empty())
        .any(|token| {
            fragments.iter().any(|f| {
                if f.len() >= 5 {
                    token.contains(f)
                } else {
                    token == *f || token.split(['-', '_']).any(|part| part == *f)
                }
            })
        })
}

const STRONG: u8 = 1;
const WEAK: u8 = 2;
const BODY: u8 = 4;
const LEAD: u8 = 8;

/// What every element's names say, worked out once per page (name matching is the costly part
/// of scoring: every paragraph asks about all its ancestors).
struct Names {
    flags: HashMap<NodeId, u8>,
}

impl Names {
    fn of(doc: &Html) -> Names {
        let mut flags = HashMap::new();
        // Pages repeat the same class lists thousands of times: match each distinct one once.
        let mut seen: HashMap<String, u8> = HashMap::new();
        for node in doc.root_element().descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let mut f = 0;
            if SKIP_TAGS.contains(&el.value().name()) {
                f |= STRONG;
            }
            let n = names(&el);
            if !n.is_empty() {
                f |= *seen.entry(n).or_insert_with_key(|n| {
                    let mut bits = 0;
                    for (bit, list) in [
                        (STRONG, STRONG_NOISE),
                        (WEAK, WEAK_NOISE),
                        (BODY, BODY_NAMES),
                        (LEAD, LEAD_NAMES),
                    ] {
                        if has_any(n, list) {
                            bits |= bit;
                        }
                    }
                    bits
                });
            }
            if f != 0 {
                flags.insert(el.id(), f);
            }
        }
        Names { flags }
    }

    fn has(&self, el: &ElementRef<'_>, bits: u8) -> bool {
        self.flags.get(&el.id()).is_some_and(|f| f & bits != 0)
    }

    /// Never article text: skipped tags and strongly-named boxes.
    fn strong(&self, el: &ElementRef<'_>) -> bool {
        self.has(el, STRONG)
    }

    /// Not article text inside the body: strong noise plus page furniture.
    fn noise(&self, el: &ElementRef<'_>) -> bool {
        self.has(el, STRONG | WEAK)
    }

    /// Noise for text collection: blocks by tag or name; inline elements only by tag (a name
    /// link inside a sentence, `<a class="cms-relate">`, is part of the sentence).
    fn skip_in_text(&self, el: &ElementRef<'_>) -> bool {
        if is_block(el.value().name()) {
            self.noise(el)
        } else {
            SKIP_TAGS.contains(&el.value().name())
        }
    }
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "dl"
            | "dt"
            | "dd"
            | "header"
            | "main"
            | "center"
            | "address"
    )
}

/// Whitespace runs (incl. NBSP) collapsed, invisible characters removed, ends trimmed.
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(
            c,
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{AD}'
        ) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Text of an element, skipping noise subtrees.
fn clean_text(el: ElementRef<'_>, names: &Names) -> String {
    let mut out = String::new();
    collect_text(el, names, &mut out);
    squash(&out)
}

fn collect_text(el: ElementRef<'_>, names: &Names, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                if let Some(e) = ElementRef::wrap(child) {
                    if e.value().name() == "br" {
                        out.push(' ');
                    } else if !names.skip_in_text(&e) {
                        if is_block(e.value().name()) {
                            out.push(' ');
                        }
                        collect_text(e, names, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Characters of link text in `el`, measured like its text (noise skipped: a `<style>` inside a
/// link is not link text).
fn link_text_len(el: ElementRef<'_>, names: &Names) -> usize {
    let a = Selector::parse("a").ok();
    a.map_or(0, |a| {
        el.select(&a)
            .map(|l| clean_text(l, names).chars().count())
            .sum()
    })
}

/// Scores candidates and returns the best body container.
/// The best body container, and every element that holds a scored paragraph (such an element is
/// never skipped as page furniture, whatever its name: VnExpress wraps its main column in
/// `sidebar-1`).
fn best_container<'a>(
    doc: &'a Html,
    names_of: &Names,
) -> Option<(ElementRef<'a>, HashSet<NodeId>)> {
    let para = Selector::parse("p, h2, h3, li, blockquote, td, pre").ok()?;
    // Candidates in the order they were first credited (document order), so that a tie goes
    // to the earlier one on every run (a hash map's order differs from run to run).
    let mut index: HashMap<NodeId, usize> = HashMap::new();
    let mut scores: Vec<(f64, ElementRef<'a>)> = Vec::new();
    let mut content: HashSet<NodeId> = HashSet::new();
    for p in doc.select(&para) {
        if p.ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| names_of.strong(&a))
            || names_of.noise(&p)
        {
            continue;
        }
        let text = clean_text(p, names_of);
        let len = text.chars().count();
        if len < 25 {
            continue;
        }
        content.extend(p.ancestors().map(|a| a.id()));
        content.insert(p.id());
        let commas = text.matches([',', '，']).count() as f64;
        let score = 1.0 + commas + (len as f64 / 100.0).min(3.0);
        let mut weight = 1.0;
        for ancestor in p.ancestors().filter_map(ElementRef::wrap).take(3) {
            let i = *index.entry(ancestor.id()).or_insert_with(|| {
                scores.push((0.0, ancestor));
                scores.len() - 1
            });
            scores[i].0 += score * weight;
            weight /= 2.0;
        }
    }
    let mut best: Option<(f64, ElementRef<'a>)> = None;
    for (score, el) in scores {
        let mut s = score;
        if names_of.has(&el, BODY) {
            s += 25.0;
        }
        if names_of.noise(&el) {
            s -= 25.0;
        }
        let text_len = clean_text(el, names_of).chars().count().max(1);
        let density = link_text_len(el, names_of) as f64 / text_len as f64;
        s *= 1.0 - density.min(1.0);
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, el));
        }
    }
    best.map(|(_, el)| (el, content))
}

/// Builds lines from a container: one per block, `<br>` breaks a line, and a short line that
/// starts right after an image (old pages put captions as text under the `<img>`) is dropped.
struct Lines<'n> {
    names: &'n Names,
    content: &'n HashSet<NodeId>,
    lines: Vec<String>,
    current: String,
    /// The last thing seen was an image (only whitespace and `<br>` since).
    after_image: bool,
    /// The current line began right after an image.
    line_after_image: bool,
    /// Depth of italic inline elements around the text being read.
    italic: usize,
    /// Every piece of text of the current line was in italics.
    line_italic: bool,
}

/// Longest caption, in words, recognised by position alone (text right under an image).
const CAPTION_WORDS: usize = 40;
/// Longest caption, in words, for a block styled as one (centred or italic) under an image.
const STYLED_CAPTION_WORDS: usize = 80;

impl Lines<'_> {
    fn text(&mut self, t: &str) {
        if t.trim().is_empty() {
            self.current.push_str(t);
            return;
        }
        if self.current.trim().is_empty() {
            self.line_after_image = self.after_image;
            self.line_italic = true;
        }
        self.line_italic &= self.italic > 0;
        self.after_image = false;
        self.current.push_str(t);
    }

    fn flush(&mut self) {
        let line = squash(&self.current);
        let words = line.split_whitespace().count();
        let limit = if self.line_italic {
            STYLED_CAPTION_WORDS
        } else {
            CAPTION_WORDS
        };
        let caption = self.line_after_image && words <= limit;
        if !line.is_empty() && !caption {
            self.lines.push(line);
        }
        self.current.clear();
        self.line_after_image = false;
    }

    fn emit(&mut self, el: ElementRef<'_>) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(_) => {
                    let Some(e) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let tag = e.value().name();
                    if tag == "br" {
                        self.flush();
                        continue;
                    }
                    if matches!(tag, "img" | "picture" | "video") {
                        self.flush();
                        self.after_image = true;
                        continue;
                    }
                    // Furniture-named blocks that hold scored paragraphs stay (see best_container).
                    let holds_content = self.content.contains(&e.id()) && !self.names.strong(&e);
                    if self.names.skip_in_text(&e) && !holds_content {
                        continue;
                    }
                    if is_block(tag) {
                        self.flush();
                        // A short centred or italic block right under an image is its caption;
                        // any other block is a new paragraph.
                        if self.after_image && styled_as_caption(e, self.names) {
                            self.after_image = false;
                            continue;
                        }
                        self.after_image = false;
                        self.emit(e);
                        // A block that ends with an image leaves `after_image` set.
                        self.flush();
                    } else {
                        let italic = is_italic(&e);
                        self.italic += usize::from(italic);
                        self.emit(e);
                        self.italic -= usize::from(italic);
                    }
                }
                _ => {}
            }
        }
    }
}

/// `<em>`, `<i>` or `style="font-style: italic"`.
fn is_italic(el: &ElementRef<'_>) -> bool {
    matches!(el.value().name(), "em" | "i")
        || el.value().attr("style").is_some_and(|s| {
            s.to_ascii_lowercase()
                .replace(' ', "")
                .contains("font-style:italic")
        })
}

/// Centred (`text-align: center`, `align=center`), or all its text in italics: how captions
/// look when the markup does not say so. Only short blocks qualify.
fn styled_as_caption(el: ElementRef<'_>, names: &Names) -> bool {
    let text = clean_text(el, names);
    if text.is_empty() || text.split_whitespace().count() > STYLED_CAPTION_WORDS {
        return false;
    }
    let style = |e: &ElementRef<'_>| {
        e.value()
            .attr("style")
            .unwrap_or("")
            .to_ascii_lowercase()
            .replace(' ', "")
    };
    let centred = style(&el).contains("text-align:center")
        || el
            .value()
            .attr("align")
            .is_some_and(|a| a.eq_ignore_ascii_case("center"));
    if centred {
        return true;
    }
    // Every piece of text sits under an italic element inside this block.
    el.descendants().all(|node| match node.value() {
        Node::Text(t) if !t.trim().is_empty() => node
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|a| a.id() != el.id())
            .any(|a| {
                matches!(a.value().name(), "em" | "i") || style(&a).contains("font-style:italic")
            }),
        _ => true,
    })
}

/// The container's text as lines.
fn lines_of(el: ElementRef<'_>, names: &Names, content: &HashSet<NodeId>) -> Vec<String> {
    let mut lines = Lines {
        names,
        content,
        lines: Vec::new(),
        current: String::new(),
        after_image: false,
        line_after_image: false,
        italic: 0,
        line_italic: false,
    };
    lines.emit(el);
    lines.flush();
    lines.lines
}

/// Lines that are not article text even inside the body: related-link labels, bylines, sources.
fn is_boilerplate_line(line: &str, title: &str) -> bool {
    let lower = line.to_lowercase();
    if line == title {
        return true;
    }
    const LABELS: &[&str] = &[
        "tin liên quan",
        "xem thêm",
        "đọc thêm",
        "tin cùng chuyên mục",
        "bài liên quan",
    ];
    if LABELS.iter().any(|l| lower.starts_with(l)) || line.starts_with(">>") {
        return true;
    }
    let words = line.split_whitespace().count();
    // A date line ("Chủ nhật, 22/11/2026, 13:30 (GMT+7)") is metadata, not text.
    if words <= 8 && parse_date(line, OffsetDateTime::now_utc()).is_some() {
        return true;
    }
    if words <= 6 {
        // "Theo VnExpress", "Hà Thu (tổng hợp)", "PV", "SONG MAI", "Nguồn: ..."
        if lower.starts_with("theo ") || lower.starts_with("nguồn") || lower.contains("(tổng hợp)")
        {
            return true;
        }
        let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
        if !letters.is_empty()
            && letters.iter().all(|c| c.is_uppercase())
            && !line.ends_with(['.', ':', '?', '!'])
        {
            return true;
        }
        // A short line of capitalised words without sentence punctuation: a name.
        let capitalised = line.split_whitespace().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        });
        if capitalised && !line.contains([',', '.', ':', '?', '!', '"', '“']) {
            return true;
        }
    }
    false
}

fn meta_content(doc: &Html, selectors: &[&str]) -> Option<String> {
    for s in selectors {
        let Ok(sel) = Selector::parse(s) else {
            continue;
        };
        for el in doc.select(&sel) {
            let v = el
                .value()
                .attr("content")
                .or_else(|| el.value().attr("datetime"))
                .or_else(|| el.value().attr("href"));
            if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// Fields of a schema.org `NewsArticle`/`Article` in JSON-LD, if any.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    author: Option<String>,
}

/// True inside inline SVG or MathML, whose `<title>` and `<script>` are not the page's.
fn in_foreign(el: &ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| matches!(a.value().name(), "svg" | "math"))
}

fn json_ld(doc: &Html) -> JsonLd {
    let mut out = JsonLd::default();
    let Ok(sel) = Selector::parse(r#"script[type="application/ld+json"]"#) else {
        return out;
    };
    for el in doc.select(&sel).filter(|el| !in_foreign(el)) {
        let raw: String = el.text().collect();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim()) else {
            continue;
        };
        let mut stack = vec![&v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(items) => stack.extend(items),
                serde_json::Value::Object(map) => {
                    if let Some(g) = map.get("@graph") {
                        stack.push(g);
                    }
                    let kind = map.get("@type").map(|t| t.to_string()).unwrap_or_default();
                    if !kind.contains("Article")
                        && !kind.contains("Posting")
                        && !kind.contains("WebPage")
                    {
                        continue;
                    }
                    let text = |k: &str| map.get(k).and_then(|x| x.as_str()).map(str::to_owned);
                    out.headline = out.headline.or_else(|| text("headline"));
                    out.published = out.published.or_else(|| text("datePublished"));
                    out.modified = out.modified.or_else(|| text("dateModified"));
                    if out.author.is_none() {
                        out.author = match map.get("author") {
                            Some(serde_json::Value::String(s)) => Some(s.clone()),
                            Some(serde_json::Value::Object(a)) => {
                                a.get("name").and_then(|n| n.as_str()).map(str::to_owned)
                            }
                            Some(serde_json::Value::Array(a)) => a
                                .iter()
                                .filter_map(|x| {
                                    x.get("name")
                                        .and_then(|n| n.as_str())
                                        .or_else(|| x.as_str())
                                })
                                .next()
                                .map(str::to_owned),
                            _ => None,
                        };
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Resolves `href` against `base` for the common cases (absolute, scheme-relative, root-relative).
fn resolve(href: &str, base: Option<&str>) -> String {
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_string();
    }
    let Some(base) = base else {
        return href.to_string();
    };
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let host = rest.split('/').next().unwrap_or(rest);
    if let Some(r) = href.strip_prefix("//") {
        format!("{scheme}://{r}")
    } else if href.starts_with('/') {
        format!("{scheme}://{host}{href}")
    } else {
        href.to_string()
    }
}

fn title_of(doc: &Html, ld: &JsonLd) -> String {
    if let Some(t) = meta_content(
        doc,
        &[
            r#"meta[property="og:title"]"#,
            r#"meta[name="twitter:title"]"#,
        ],
    ) {
        return squash(&t);
    }
    if let Some(t) = &ld.headline {
        return squash(t);
    }
    for s in ["h1", "title"] {
        // An inline SVG's `<title>` (an icon's label) is not the page's.
        if let Ok(sel) = Selector::parse(s)
            && let Some(el) = doc.select(&sel).find(|el| !in_foreign(el))
        {
            let t = squash(&el.text().collect::<String>());
            if !t.is_empty() {
                // "Headline - Site name": drop the site part of <title>.
                return t
                    .rsplit_once(" - ")
                    .filter(|_| s == "title")
                    .map_or(t.clone(), |(h, _)| h.to_string());
            }
        }
    }
    String::new()
}

/// The date from metadata, `<time>`, or a date line near the headline.
fn published_of(doc: &Html, ld: &JsonLd, now: OffsetDateTime) -> Option<OffsetDateTime> {
    let candidates = [
        ld.published.clone(),
        meta_content(
            doc,
            &[
                r#"meta[property="article:published_time"]"#,
                r#"meta[itemprop="datePublished"]"#,
                r#"meta[name="pubdate"]"#,
                r#"meta[name="publishdate"]"#,
                r#"meta[name="article:published_time"]"#,
                r#"meta[name="date"]"#,
                r#"meta[name="DC.date.issued"]"#,
                r#"time[datetime]"#,
            ],
        ),
    ];
    if let Some(t) = candidates.iter().flatten().find_map(|c| parse_date(c, now)) {
        return Some(t);
    }
    // A visible date line: elements whose class or id says date/time.
    let sel = Selector::parse(r#"[class*="date"], [class*="time"], [id*="date"], [class*="publish"], [class*="meta"], time"#).ok()?;
    doc.select(&sel)
        .map(|el| squash(&el.text().collect::<String>()))
        .filter(|t| t.chars().count() <= 80)
        .find_map(|t| parse_date(&t, now))
}

/// The text of the last block named as a lead (`sapo`, `description`, …) that comes before the
/// body container in page order and is not part of it.
fn lead_before(doc: &Html, body: ElementRef<'_>, names_of: &Names) -> Option<String> {
    let mut lead = None;
    for node in doc.root_element().descendants() {
        if node.id() == body.id() {
            break;
        }
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if !is_block(el.value().name()) || !names_of.has(&el, LEAD) {
            continue;
        }
        if body.ancestors().any(|a| a.id() == el.id())
            || el
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| names_of.strong(&a))
        {
            continue;
        }
        let text = clean_text(el, names_of);
        if text.chars().count() >= 30 {
            lead = Some(text);
        }
    }
    lead
}

/// Extracts the article of a page. `url` resolves a relative canonical link; `now` anchors
/// relative dates ("2 giờ trước").
pub fn extract(html: &str, url: Option<&str>, now: OffsetDateTime) -> Article {
    extract_document(&Html::parse_document(&strip_inert(html)), url, now)
}

/// [`extract`] on a page already parsed (with or without [`strip_inert`]: the answer is the same).
pub fn extract_document(doc: &Html, url: Option<&str>, now: OffsetDateTime) -> Article {
    let ld = json_ld(doc);
    let title = title_of(doc, &ld);
    let names = Names::of(doc);
    let mut lines = Vec::new();
    if let Some((body, content)) = best_container(doc, &names) {
        // A lead outside the body container comes first: the last lead-named block before it.
        if let Some(lead) = lead_before(doc, body, &names) {
            lines.push(lead);
        }
        lines.extend(lines_of(body, &names, &content));
    }
    lines.retain(|l| !is_boilerplate_line(l, &title));
    lines.dedup();
    // The text as the page writes it (NFD stays NFD): normalisation is the analyse stage's job
    // (`langnghe_vi::prepare`, applied where documents are built), and extraction is scored
    // against text as published.
    let text = lines.join("\n");
    let lang = Selector::parse("html")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .and_then(|h| h.value().attr("lang"))
        .map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase())
        .filter(|l| !l.is_empty())
        .or_else(|| Some(langnghe_vi::language_code(&[&title, &text])));
    let canonical_url = meta_content(
        doc,
        &[r#"link[rel="canonical"]"#, r#"meta[property="og:url"]"#],
    )
    .map(|href| resolve(&href, url));
    let author = ld
        .author
        .clone()
        .or_else(|| {
            meta_content(
                doc,
                &[
                    r#"meta[name="author"]"#,
                    r#"meta[property="article:author"]"#,
                ],
            )
        })
        .map(|a| squash(&a))
        .filter(|a| !a.is_empty() && !a.starts_with("http"));
    Article {
        published: published_of(doc, &ld, now),
        updated: ld
            .modified
            .as_deref()
            .or(meta_content(doc, &[r#"meta[property="article:modified_time"]"#]).as_deref())
            .and_then(|d| parse_date(d, now)),
        title,
        text,
        author,
        canonical_url,
        lang,
    }
}
