//! Main article text and metadata from one HTML page.
//!
//! The body is found the way readability does it, with no per-site rules: every paragraph-like
//! block credits its text to its parent and grandparent, class and id names weigh a candidate up
//! (`content`, `detail`, `article`) or down (`related`, `comment`, `share`), link-heavy blocks count
//! little, and the best candidate's blocks are emitted in page order, skipping captions, related
//! boxes, share bars and bylines. A lead (sapo) that sits outside the body container is put first.

use std::collections::{HashMap, HashSet};

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};
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

/// FxHash (rustc's hasher): a multiply-rotate per 8 bytes. Node ids and class lists come from
/// the page, but a page that collides its own keys only slows its own extraction; the default
/// hasher's strength cost a tenth of the extractor's time.
#[derive(Default)]
struct FastHasher(u64);

impl FastHasher {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;
type IdMap<V> = FastMap<NodeId, V>;
type IdSet = HashSet<NodeId, std::hash::BuildHasherDefault<FastHasher>>;

/// True for an element whose whole subtree is never article text.
pub(crate) fn is_skip_tag(tag: &str) -> bool {
    SKIP_TAGS.contains(&tag)
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

/// Attributes whose values name an element: class, id, and the semantic attributes pages use
/// instead when their classes are utility classes (`data-slot="sapo"`, `itemprop="articleBody"`).
const NAME_ATTRIBUTES: &[&str] = &["class", "id", "data-slot", "data-role", "itemprop", "role"];

/// Matches class/id tokens against the four name lists at once. A token matches a fragment if it
/// is the fragment, or (fragments of 5+ characters) contains it: `tag` matches `tags` and
/// `box-tag` but not `stage`; `related` matches `relatedNews`. Short fragments are looked up
/// (the token and its `-`/`_` parts); long ones found by one Aho-Corasick pass over the token.
struct NameMatcher {
    /// `None` only if the automaton could not be built (it always can for these fragments);
    /// then long fragments are searched one by one.
    long: Option<aho_corasick::AhoCorasick>,
    long_fragments: Vec<&'static str>,
    long_bits: Vec<u8>,
    short: HashMap<&'static str, u8>,
}

impl NameMatcher {
    fn get() -> &'static NameMatcher {
        static MATCHER: std::sync::OnceLock<NameMatcher> = std::sync::OnceLock::new();
        MATCHER.get_or_init(|| {
            let mut long = Vec::new();
            let mut long_bits = Vec::new();
            let mut short: HashMap<&'static str, u8> = HashMap::new();
            for (bit, list) in [
                (STRONG, STRONG_NOISE),
                (WEAK, WEAK_NOISE),
                (BODY, BODY_NAMES),
                (LEAD, LEAD_NAMES),
            ] {
                for &f in list {
                    if f.len() >= 5 {
                        long.push(f);
                        long_bits.push(bit);
                    } else {
                        *short.entry(f).or_insert(0) |= bit;
                    }
                }
            }
            NameMatcher {
                long: aho_corasick::AhoCorasick::new(&long).ok(),
                long_fragments: long,
                long_bits,
                short,
            }
        })
    }

    /// The bits of every list some token of `names` matches.
    fn classify(&self, names: &str) -> u8 {
        let mut bits = 0;
        for token in names
            .split(|c: char| c.is_whitespace())
            .filter(|t| !t.is_empty())
        {
            if token.len() >= 5 {
                match &self.long {
                    Some(ac) => {
                        for m in ac.find_overlapping_iter(token) {
                            bits |= self.long_bits[m.pattern().as_usize()];
                        }
                    }
                    None => {
                        for (f, b) in self.long_fragments.iter().zip(&self.long_bits) {
                            if token.contains(f) {
                                bits |= b;
                            }
                        }
                    }
                }
            }
            if let Some(b) = self.short.get(token) {
                bits |= b;
            }
            if token.contains(['-', '_']) {
                for part in token.split(['-', '_']) {
                    if let Some(b) = self.short.get(part) {
                        bits |= b;
                    }
                }
            }
        }
        bits
    }
}

const STRONG: u8 = 1;
const WEAK: u8 = 2;
const BODY: u8 = 4;
const LEAD: u8 = 8;

/// What every element's names say, worked out once per page (name matching is the costly part
/// of scoring: every paragraph asks about all its ancestors).
struct Names {
    flags: IdMap<u8>,
}

impl Names {
    fn of(doc: &Html) -> Names {
        let mut flags = IdMap::default();
        // Pages repeat the same class lists thousands of times: match each distinct value once
        // (a token matches the same lists whichever attribute it is in, so values classify
        // apart and their bits add up).
        let mut seen: FastMap<&str, u8> = FastMap::default();
        let mut lower = String::new();
        for node in doc.root_element().descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let mut f = 0;
            if is_skip_tag(el.value().name()) {
                f |= STRONG;
            }
            for (attr, value) in el.value().attrs() {
                if !NAME_ATTRIBUTES.contains(&attr) {
                    continue;
                }
                f |= match seen.get(value) {
                    Some(&bits) => bits,
                    None => {
                        lower.clear();
                        lower.extend(value.chars().map(|c| c.to_ascii_lowercase()));
                        let bits = NameMatcher::get().classify(&lower);
                        seen.insert(value, bits);
                        bits
                    }
                };
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
            is_skip_tag(el.value().name())
        }
    }
}

pub(crate) fn is_block(tag: &str) -> bool {
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

/// Characters a reader does not see, removed from text.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{AD}'
    )
}

/// Whitespace runs (incl. NBSP) collapsed, invisible characters removed, ends trimmed.
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_invisible(c) {
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

/// What `squash(clean_text(el))` would be, summarised without building it: its length and
/// commas, and whether it starts or ends with whitespace, so that summaries join like texts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct TextSummary {
    /// Visible characters (not whitespace, not invisible).
    chars: usize,
    /// Whitespace runs between two visible characters: one space each after squashing.
    gaps: usize,
    /// Commas among the visible characters.
    commas: usize,
    /// Whitespace before the first visible character (or anywhere, if there is none).
    lead_space: bool,
    /// Whitespace after the last visible character (or anywhere, if there is none).
    trail_space: bool,
    /// At least one visible character.
    visible: bool,
}

impl TextSummary {
    const SPACE: TextSummary = TextSummary {
        chars: 0,
        gaps: 0,
        commas: 0,
        lead_space: true,
        trail_space: true,
        visible: false,
    };

    fn of(text: &str) -> TextSummary {
        let mut s = TextSummary::default();
        let mut pending = false;
        for c in text.chars() {
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                if s.visible {
                    pending = true;
                } else {
                    s.lead_space = true;
                }
            } else {
                if pending {
                    s.gaps += 1;
                    pending = false;
                }
                s.chars += 1;
                s.commas += usize::from(matches!(c, ',' | '，'));
                s.visible = true;
            }
        }
        s.trail_space = if s.visible { pending } else { s.lead_space };
        s
    }

    /// The summary of this text followed by `next`.
    fn then(self, next: TextSummary) -> TextSummary {
        match (self.visible, next.visible) {
            (false, false) => {
                let space = self.lead_space || next.lead_space;
                TextSummary {
                    lead_space: space,
                    trail_space: space,
                    ..TextSummary::default()
                }
            }
            (false, true) => TextSummary {
                lead_space: next.lead_space || self.lead_space,
                ..next
            },
            (true, false) => TextSummary {
                trail_space: self.trail_space || next.lead_space,
                ..self
            },
            (true, true) => TextSummary {
                chars: self.chars + next.chars,
                gaps: self.gaps + next.gaps + usize::from(self.trail_space || next.lead_space),
                commas: self.commas + next.commas,
                lead_space: self.lead_space,
                trail_space: next.trail_space,
                visible: true,
            },
        }
    }

    /// Characters of the squashed text.
    fn len(&self) -> usize {
        self.chars + self.gaps
    }
}

/// Tags whose text is scored as a paragraph.
fn is_paragraph(tag: &str) -> bool {
    matches!(tag, "p" | "h2" | "h3" | "li" | "blockquote" | "td" | "pre")
}

/// Every element's clean-text summary and link-text length, and the paragraphs in page order,
/// from one walk over the tree (no recursion: nesting depth is the page's to choose).
struct TextStats<'a> {
    /// Per element: its text summary, and the characters of link text in it (every `<a>` below
    /// it, each measured like its text: a `<style>` inside a link is not link text).
    of: IdMap<(TextSummary, usize)>,
    /// Paragraph elements not inside a never-text box, in page order.
    paragraphs: Vec<ElementRef<'a>>,
}

impl<'a> TextStats<'a> {
    fn of(doc: &'a Html, names: &Names) -> TextStats<'a> {
        struct Open<'a> {
            el: ElementRef<'a>,
            text: TextSummary,
            links: usize,
            /// This element or an ancestor is never text.
            strong: bool,
        }
        let mut of = IdMap::default();
        let mut paragraphs = Vec::new();
        let mut stack: Vec<Open<'a>> = Vec::new();
        for edge in doc.root_element().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    if let Node::Text(t) = node.value() {
                        if let Some(parent) = stack.last_mut() {
                            parent.text = parent.text.then(TextSummary::of(t));
                        }
                    } else if let Some(el) = ElementRef::wrap(node) {
                        let above = stack.last().is_some_and(|o| o.strong);
                        if !above && is_paragraph(el.value().name()) {
                            paragraphs.push(el);
                        }
                        stack.push(Open {
                            el,
                            text: TextSummary::default(),
                            links: 0,
                            strong: above || names.strong(&el),
                        });
                    }
                }
                ego_tree::iter::Edge::Close(node) => {
                    if ElementRef::wrap(node).is_none() {
                        continue;
                    }
                    let Some(done) = stack.pop() else {
                        continue;
                    };
                    let name = done.el.value().name();
                    if let Some(parent) = stack.last_mut() {
                        if name == "br" {
                            parent.text = parent.text.then(TextSummary::SPACE);
                        } else if !names.skip_in_text(&done.el) {
                            let text = if is_block(name) {
                                TextSummary::SPACE.then(done.text)
                            } else {
                                done.text
                            };
                            parent.text = parent.text.then(text);
                        }
                        parent.links += done.links + if name == "a" { done.text.len() } else { 0 };
                    }
                    of.insert(done.el.id(), (done.text, done.links));
                }
            }
        }
        TextStats { of, paragraphs }
    }

    fn text(&self, el: &ElementRef<'_>) -> TextSummary {
        self.of
            .get(&el.id())
            .map_or(TextSummary::default(), |s| s.0)
    }

    fn links(&self, el: &ElementRef<'_>) -> usize {
        self.of.get(&el.id()).map_or(0, |s| s.1)
    }
}

/// Scores candidates and returns the best body container.
/// The best body container, and every element that holds a scored paragraph (such an element is
/// never skipped as page furniture, whatever its name: VnExpress wraps its main column in
/// `sidebar-1`).
fn best_container<'a>(doc: &'a Html, names_of: &Names) -> Option<(ElementRef<'a>, IdSet)> {
    let stats = TextStats::of(doc, names_of);
    // Candidates in the order they were first credited (document order), so that a tie goes
    // to the earlier one on every run (a hash map's order differs from run to run).
    let mut index: IdMap<usize> = IdMap::default();
    let mut scores: Vec<(f64, ElementRef<'a>)> = Vec::new();
    let mut content = IdSet::default();
    for &p in &stats.paragraphs {
        if names_of.noise(&p) {
            continue;
        }
        let text = stats.text(&p);
        let len = text.len();
        if len < 25 {
            continue;
        }
        // An ancestor already in the set brought all of its own.
        if content.insert(p.id()) {
            for a in p.ancestors() {
                if !content.insert(a.id()) {
                    break;
                }
            }
        }
        let commas = text.commas as f64;
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
        let text_len = stats.text(&el).len().max(1);
        let density = stats.links(&el) as f64 / text_len as f64;
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
    content: &'n IdSet,
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
        let limit = if self.line_italic {
            STYLED_CAPTION_WORDS
        } else {
            CAPTION_WORDS
        };
        let caption =
            self.line_after_image && line.split_whitespace().take(limit + 1).count() <= limit;
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
fn lines_of(el: ElementRef<'_>, names: &Names, content: &IdSet) -> Vec<String> {
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
    if line == title {
        return true;
    }
    // Only the start of a line is compared with labels: lowercase that much.
    let lower: String = line.chars().take(24).flat_map(char::to_lowercase).collect();
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
    // Words up to 9: only "at most 6" and "at most 8" are asked.
    let words = line.split_whitespace().take(9).count();
    if words <= 6 {
        // "Theo VnExpress", "Hà Thu (tổng hợp)", "PV", "SONG MAI", "Nguồn: ..."
        if lower.starts_with("theo ")
            || lower.starts_with("nguồn")
            || line.to_lowercase().contains("(tổng hợp)")
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
    // A date line ("Chủ nhật, 22/11/2026, 13:30 (GMT+7)") is metadata, not text (checked last:
    // parsing costs most).
    words <= 8 && parse_date(line, OffsetDateTime::now_utc()).is_some()
}

/// The metadata the extractor reads, as CSS selectors of the form `tag[attribute="value"]` or
/// `tag[attribute]`, matched by hand in one pass over the page (see [`matches_parts`]); each
/// group in order of preference.
const TITLE_META: &[&str] = &[
    r#"meta[property="og:title"]"#,
    r#"meta[name="twitter:title"]"#,
];
const PUBLISHED_META: &[&str] = &[
    r#"meta[property="article:published_time"]"#,
    r#"meta[itemprop="datePublished"]"#,
    r#"meta[name="pubdate"]"#,
    r#"meta[name="publishdate"]"#,
    r#"meta[name="article:published_time"]"#,
    r#"meta[name="date"]"#,
    r#"meta[name="DC.date.issued"]"#,
    r#"time[datetime]"#,
];
const CANONICAL_META: &[&str] = &[r#"link[rel="canonical"]"#, r#"meta[property="og:url"]"#];
const AUTHOR_META: &[&str] = &[
    r#"meta[name="author"]"#,
    r#"meta[property="article:author"]"#,
];
const MODIFIED_META: &[&str] = &[r#"meta[property="article:modified_time"]"#];
const META_SELECTORS: &[&[&str]] = &[
    TITLE_META,
    PUBLISHED_META,
    CANONICAL_META,
    AUTHOR_META,
    MODIFIED_META,
];

/// Every selector of [`META_SELECTORS`] taken apart, in [`all_meta`] order, once.
fn meta_table() -> &'static [(&'static str, &'static str, Option<&'static str>)] {
    static TABLE: std::sync::OnceLock<Vec<(&str, &str, Option<&str>)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| all_meta().map(meta_parts).collect())
}

/// Every selector of [`META_SELECTORS`], in one list.
fn all_meta() -> impl Iterator<Item = &'static str> {
    META_SELECTORS
        .iter()
        .flat_map(|group| group.iter().copied())
}

/// A metadata selector taken apart: (tag, attribute, value).
fn meta_parts(selector: &str) -> (&str, &str, Option<&str>) {
    let (tag, rest) = selector.split_once('[').unwrap_or((selector, ""));
    let rest = rest.trim_end_matches(']');
    match rest.split_once('=') {
        Some((attribute, value)) => (tag, attribute, Some(value.trim_matches('"'))),
        None => (tag, rest, None),
    }
}

/// True if `el` matches a metadata selector.
#[cfg(test)]
fn matches_meta(el: &ElementRef<'_>, selector: &str) -> bool {
    matches_parts(el, meta_parts(selector))
}

/// True if `el` matches a metadata selector taken apart by [`meta_parts`]. Values compare
/// exactly, except those of `rel` and `type`, which HTML compares without case (as CSS does in
/// HTML documents).
fn matches_parts(el: &ElementRef<'_>, (tag, attribute, value): (&str, &str, Option<&str>)) -> bool {
    el.value().name() == tag
        && el.value().attr(attribute).is_some_and(|v| match value {
            None => true,
            Some(want) if matches!(attribute, "rel" | "type") => v.eq_ignore_ascii_case(want),
            Some(want) => v == want,
        })
}

/// True if `el` may hold a visible date line: the CSS `[class*="date"], [class*="time"],
/// [id*="date"], [class*="publish"], [class*="meta"], time`.
fn is_date_line(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    v.name() == "time"
        || v.attr("class").is_some_and(|c| {
            ["date", "time", "publish", "meta"]
                .iter()
                .any(|f| c.contains(f))
        })
        || v.attr("id").is_some_and(|i| i.contains("date"))
}

/// True if `el` is a JSON-LD script: `script[type="application/ld+json"]`.
fn is_json_ld(el: &ElementRef<'_>) -> bool {
    el.value().name() == "script"
        && el
            .value()
            .attr("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"))
}

/// What the page says about itself, read in one pass: per metadata selector the first value
/// (`content`, else `datetime`, else `href`) that is not blank, the JSON-LD scripts, the first
/// `<h1>` and `<title>` and the document's `lang`.
struct Meta<'a> {
    values: Vec<Option<String>>,
    json_ld: Vec<ElementRef<'a>>,
    h1: Option<ElementRef<'a>>,
    title: Option<ElementRef<'a>>,
    lang: Option<&'a str>,
}

impl<'a> Meta<'a> {
    fn of(doc: &'a Html) -> Meta<'a> {
        let mut meta = Meta {
            values: vec![None; all_meta().count()],
            json_ld: Vec::new(),
            h1: None,
            title: None,
            lang: None,
        };
        let mut seen_html = false;
        for node in doc.root_element().descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            match el.value().name() {
                "meta" | "link" | "time" => {
                    for (value, &parts) in meta.values.iter_mut().zip(meta_table()) {
                        if value.is_none() && matches_parts(&el, parts) {
                            *value = el
                                .value()
                                .attr("content")
                                .or_else(|| el.value().attr("datetime"))
                                .or_else(|| el.value().attr("href"))
                                .map(str::trim)
                                .filter(|v| !v.is_empty())
                                .map(str::to_owned);
                        }
                    }
                }
                "script" if is_json_ld(&el) && !in_foreign(&el) => meta.json_ld.push(el),
                // An inline SVG's `<title>` (an icon's label) is not the page's.
                "h1" if meta.h1.is_none() && !in_foreign(&el) => meta.h1 = Some(el),
                "title" if meta.title.is_none() && !in_foreign(&el) => meta.title = Some(el),
                "html" if !seen_html => {
                    seen_html = true;
                    meta.lang = el.value().attr("lang");
                }
                _ => {}
            }
        }
        meta
    }

    /// The value of the first of `group` (one of [`META_SELECTORS`]) that the page has.
    fn content(&self, group: &[&str]) -> Option<String> {
        group.iter().find_map(|s| {
            let i = all_meta().position(|m| m == *s)?;
            self.values[i].clone()
        })
    }
}

/// Fields of a schema.org `NewsArticle`/`Article` in JSON-LD, if any.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    author: Option<String>,
}

/// Elements whose text a reader never sees as text: code, styles, embedded documents, inline
/// graphics. (Their text is also what the parser may leave out, see `tokenize::parse`.)
fn is_unseen(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "noembed"
            | "noframes"
            | "xmp"
            | "template"
            | "svg"
            | "math"
    )
}

/// The text of `el` a reader sees: its text nodes outside [`is_unseen`] elements (a headline's
/// inline icon or style is not part of it).
fn visible_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    let mut hidden = 0usize;
    for edge in el.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Text(t) if hidden == 0 => out.push_str(t),
                Node::Element(e) if is_unseen(e.name()) => hidden += 1,
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(e) = node.value()
                    && is_unseen(e.name())
                {
                    hidden -= 1;
                }
            }
        }
    }
    out
}

/// True inside inline SVG or MathML, whose `<title>` and `<script>` are not the page's.
fn in_foreign(el: &ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| matches!(a.value().name(), "svg" | "math"))
}

fn json_ld(meta: &Meta<'_>) -> JsonLd {
    let mut out = JsonLd::default();
    for el in &meta.json_ld {
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

fn title_of(meta: &Meta<'_>, ld: &JsonLd) -> String {
    if let Some(t) = meta.content(TITLE_META) {
        return squash(&t);
    }
    if let Some(t) = &ld.headline {
        return squash(t);
    }
    for (el, is_title) in [(meta.h1, false), (meta.title, true)] {
        if let Some(el) = el {
            let t = squash(&visible_text(el));
            if !t.is_empty() {
                // "Headline - Site name": drop the site part of <title>.
                return t
                    .rsplit_once(" - ")
                    .filter(|_| is_title)
                    .map_or(t.clone(), |(h, _)| h.to_string());
            }
        }
    }
    String::new()
}

/// The date from metadata, `<time>`, or a date line near the headline.
fn published_of(
    doc: &Html,
    meta: &Meta<'_>,
    ld: &JsonLd,
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let candidates = [ld.published.clone(), meta.content(PUBLISHED_META)];
    if let Some(t) = candidates.iter().flatten().find_map(|c| parse_date(c, now)) {
        return Some(t);
    }
    // A visible date line: elements whose class or id says date/time.
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(is_date_line)
        .map(|el| squash(&visible_text(el)))
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
    // The fast tokenizer builds html5ever's tree, leaving out what extraction never reads;
    // where it declines, html5ever parses the page with that content stripped beforehand.
    let doc = crate::tokenize::parse(html, true)
        .unwrap_or_else(|| Html::parse_document(&strip_inert(html)));
    extract_document(&doc, url, now)
}

/// [`extract`] on a page already parsed (with or without [`strip_inert`]: the answer is the same).
pub fn extract_document(doc: &Html, url: Option<&str>, now: OffsetDateTime) -> Article {
    let meta = Meta::of(doc);
    let ld = json_ld(&meta);
    let title = title_of(&meta, &ld);
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
    let lang = meta
        .lang
        .map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase())
        .filter(|l| !l.is_empty())
        .or_else(|| Some(langnghe_vi::language_code(&[&title, &text])));
    let canonical_url = meta.content(CANONICAL_META).map(|href| resolve(&href, url));
    let author = ld
        .author
        .clone()
        .or_else(|| meta.content(AUTHOR_META))
        .map(|a| squash(&a))
        .filter(|a| !a.is_empty() && !a.starts_with("http"));
    Article {
        published: published_of(doc, &meta, &ld, now),
        updated: ld
            .modified
            .as_deref()
            .or(meta.content(MODIFIED_META).as_deref())
            .and_then(|d| parse_date(d, now)),
        title,
        text,
        author,
        canonical_url,
        lang,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;
    use scraper::Selector;

    /// The hand-written matchers agree with the CSS selectors they stand for.
    #[test]
    fn hand_matched_selectors_agree_with_css() {
        let mut page = String::from("<html><head>");
        let values = [
            "og:title",
            "OG:Title",
            "canonical",
            "Canonical",
            "datePublished",
            "DC.date.issued",
            "dc.date.issued",
            "application/ld+json",
            "APPLICATION/LD+JSON",
            "x",
        ];
        for tag in ["meta", "link", "time", "script", "div", "span"] {
            for attribute in [
                "property", "name", "itemprop", "rel", "type", "datetime", "class", "id",
            ] {
                for value in
                    values
                        .iter()
                        .chain(&["update-date", "Date", "timeline", "meta-x", "published"])
                {
                    page.push_str(&format!(
                        "<{tag} {attribute}=\"{value}\" content=c></{tag}>"
                    ));
                }
            }
        }
        let doc = Html::parse_document(&page);
        let mut checked = 0;
        for el in doc
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            for selector in all_meta() {
                let css = Selector::parse(selector).unwrap();
                assert_eq!(
                    matches_meta(&el, selector),
                    css.matches(&el),
                    "{} on {:?}",
                    selector,
                    el.value()
                );
                checked += 1;
            }
            let css = Selector::parse(r#"[class*="date"], [class*="time"], [id*="date"], [class*="publish"], [class*="meta"], time"#).unwrap();
            assert_eq!(is_date_line(&el), css.matches(&el), "{:?}", el.value());
            let css = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
            assert_eq!(is_json_ld(&el), css.matches(&el), "{:?}", el.value());
        }
        assert!(checked > 1000);
    }

    proptest! {
        #[test]
        fn summaries_measure_the_squashed_text(a in "[a-z ,，\t\n\u{A0}\u{200B}\u{FEFF}]{0,20}", b in "[a-z ,\n\u{AD}]{0,20}") {
            let whole = format!("{a}{b}");
            let squashed = squash(&whole);
            let joined = TextSummary::of(&a).then(TextSummary::of(&b));
            prop_assert_eq!(joined, TextSummary::of(&whole));
            prop_assert_eq!(joined.len(), squashed.chars().count());
            prop_assert_eq!(joined.commas, squashed.matches([',', '，']).count());
        }
    }
}
