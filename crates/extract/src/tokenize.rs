//! A fast HTML tokenizer feeding html5ever's own tree builder.
//!
//! html5ever reads a page one character at a time through a buffer queue; on news pages that is
//! two thirds of parsing. This tokenizer follows the same WHATWG tokenization rules on a `&str`
//! with `memchr` jumps over text, and hands its tokens to html5ever's [`TreeBuilder`] with
//! scraper's sink, so the tree is html5ever's tree (insertion modes, implied end tags, the
//! adoption agency, foster parenting are all html5ever's). What it does not model it does not
//! guess: a NUL character, a CDATA section, an unusual `DOCTYPE` or an escaped script (`<!--`
//! inside `<script>`) makes [`parse`] answer `None`, and the caller parses with html5ever.
//! Differential tests compare both trees on real pages and random markup.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    Doctype, EndTag, StartTag, Tag, TagKind, Token, TokenSink, TokenSinkResult,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, LocalName, QualName, ns};
use scraper::{Html, HtmlTreeSink};

/// What the tokenizer is reading.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Data,
    Raw(RawKind),
    Plaintext,
}

struct Tokenizer<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    state: State,
    /// Characters waiting to go out as one token.
    text: String,
    last_start_tag: Option<LocalName>,
    /// The last start tag was a JSON-LD script (its text is kept when lean).
    last_json_ld: bool,
    /// Leave out what the extractor never reads (see [`parse`]).
    lean: bool,
    depth: crate::inert::Depth,
    builder: TreeBuilder<ego_tree::NodeId, HtmlTreeSink>,
}

/// Why the fast path gave up (the caller then parses with html5ever).
struct Unsupported;

type Step<T = ()> = Result<T, Unsupported>;

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b' ')
}

/// The page parsed as html5ever would parse it, or `None` where this tokenizer does not model
/// the input (see the module docs). Carriage returns are normalised first, as the input stream
/// of the HTML standard does.
///
/// `lean` leaves out what no extraction step reads, as [`crate::strip_inert`] does before
/// html5ever but knowing where the parser is: the text of scripts (but JSON-LD), styles,
/// `<noscript>`, `<iframe>`, `<noembed>`, `<noframes>`, `<xmp>`; the content of a closed
/// `<svg>`; comments; attributes outside [`crate::inert::KEPT_ATTRIBUTES`]; and runs of
/// whitespace in text (each kept as its first character). Elements stay where they are.
///
/// Either way, a page nested deeper than [`crate::inert::MAX_DEPTH`] ends there.
pub(crate) fn parse(html: &str, lean: bool) -> Option<Html> {
    if memchr::memchr(0, html.as_bytes()).is_some() {
        return None;
    }
    let normalised;
    let html = if memchr::memchr(b'\r', html.as_bytes()).is_some() {
        normalised = normalise_newlines(html);
        normalised.as_str()
    } else {
        html
    };
    let html = html.strip_prefix('\u{FEFF}').unwrap_or(html);
    let mut t = Tokenizer {
        s: html,
        b: html.as_bytes(),
        pos: 0,
        state: State::Data,
        text: String::new(),
        last_start_tag: None,
        last_json_ld: false,
        lean,
        depth: crate::inert::Depth::default(),
        builder: TreeBuilder::new(
            HtmlTreeSink::new(Html::new_document()),
            TreeBuilderOpts::default(),
        ),
    };
    t.run().ok()?;
    t.flush();
    let _ = t.builder.process_token(Token::EOFToken, 1);
    t.builder.end();
    Some(scraper_finish(t.builder.sink))
}

/// A page parsed for its whole markup (every attribute, comments, script text), as html5ever
/// parses it, but fast where the tokenizer of this module can, and never nested deeper than
/// [`crate::inert::MAX_DEPTH`] (deeper tags are dropped, their text kept): for listing pages, forum
/// threads and any other page read with CSS selectors.
///
/// ```
/// let doc = langnghe_extract::parse_html(r#"<ul><li><a href="/tin/1.html">Tin 1</a></ul>"#);
/// let a = scraper::Selector::parse("li a").unwrap();
/// assert_eq!(doc.select(&a).next().unwrap().value().attr("href"), Some("/tin/1.html"));
/// ```
pub fn parse_html(html: &str) -> Html {
    parse(html, false).unwrap_or_else(|| Html::parse_document(&crate::inert::within_depth(html)))
}

/// `\r\n` and a lone `\r` as `\n`.
fn normalise_newlines(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for at in memchr::memchr_iter(b'\r', b) {
        if at < from {
            continue;
        }
        out.push_str(&html[from..at]);
        out.push('\n');
        from = if b.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
    }
    out.push_str(&html[from..]);
    out
}

fn scraper_finish(sink: HtmlTreeSink) -> Html {
    use html5ever::interface::TreeSink;
    sink.finish()
}

impl Tokenizer<'_> {
    fn peek(&self, at: usize) -> Option<u8> {
        self.b.get(at).copied()
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            let text = StrTendril::from_slice(&self.text);
            self.text.clear();
            self.sink(Token::CharacterTokens(text));
        }
    }

    /// Sends a token (after any pending text) and follows the tree builder's answer.
    fn sink(&mut self, token: Token) {
        match self.builder.process_token(token, 1) {
            TokenSinkResult::RawData(kind) => self.state = State::Raw(kind),
            TokenSinkResult::Plaintext => self.state = State::Plaintext,
            TokenSinkResult::Script(_) => self.state = State::Data,
            TokenSinkResult::Continue | TokenSinkResult::EncodingIndicator(_) => {}
        }
    }

    fn emit(&mut self, token: Token) {
        self.flush();
        self.sink(token);
    }

    fn run(&mut self) -> Step {
        while self.pos < self.b.len() {
            match self.state {
                State::Data => self.data()?,
                State::Raw(RawKind::Rcdata) => self.raw(true)?,
                State::Raw(RawKind::Rawtext) if self.lean => self.skip_raw()?,
                State::Raw(RawKind::Rawtext) => self.raw(false)?,
                State::Raw(RawKind::ScriptData) if self.lean && !self.last_json_ld => {
                    self.skip_script()?
                }
                State::Raw(RawKind::ScriptData) => self.script()?,
                State::Raw(RawKind::ScriptDataEscaped(_)) => return Err(Unsupported),
                State::Plaintext => {
                    self.text.push_str(&self.s[self.pos..]);
                    self.pos = self.b.len();
                }
            }
        }
        Ok(())
    }

    /// Text as written, or with runs of whitespace shortened to their first character when lean.
    fn push_text(&mut self, from: usize, to: usize) {
        if !self.lean {
            self.text.push_str(&self.s[from..to]);
            return;
        }
        let b = self.b;
        let mut start = from;
        let mut i = from;
        while i + 1 < to {
            if is_space(b[i]) && is_space(b[i + 1]) {
                self.text.push_str(&self.s[start..=i]);
                i += 1;
                while i < to && is_space(b[i]) {
                    i += 1;
                }
                start = i;
            } else {
                i += 1;
            }
        }
        self.text.push_str(&self.s[start..to]);
    }

    /// Text up to the next `<` or `&`.
    fn data(&mut self) -> Step {
        let rest = &self.b[self.pos..];
        match memchr::memchr2(b'<', b'&', rest) {
            None => {
                self.push_text(self.pos, self.b.len());
                self.pos = self.b.len();
            }
            Some(p) => {
                self.push_text(self.pos, self.pos + p);
                self.pos += p;
                if self.b[self.pos] == b'&' {
                    self.char_ref(false, None);
                } else {
                    self.tag_open()?;
                }
            }
        }
        Ok(())
    }

    /// RCDATA (`<title>`, `<textarea>`: character references decoded) or RAWTEXT (`<style>`…)
    /// up to the end tag matching the last start tag.
    fn raw(&mut self, references: bool) -> Step {
        let rest = &self.b[self.pos..];
        let next = if references {
            memchr::memchr2(b'<', b'&', rest)
        } else {
            memchr::memchr(b'<', rest)
        };
        let Some(p) = next else {
            self.text.push_str(&self.s[self.pos..]);
            self.pos = self.b.len();
            return Ok(());
        };
        self.text.push_str(&self.s[self.pos..self.pos + p]);
        self.pos += p;
        if self.b[self.pos] == b'&' {
            self.char_ref(false, None);
            return Ok(());
        }
        self.raw_end_tag()
    }

    /// Script data: like RAWTEXT, except that `<!--` starts escaped states this tokenizer
    /// leaves to html5ever.
    fn script(&mut self) -> Step {
        let rest = &self.b[self.pos..];
        let Some(p) = memchr::memchr(b'<', rest) else {
            self.text.push_str(&self.s[self.pos..]);
            self.pos = self.b.len();
            return Ok(());
        };
        self.text.push_str(&self.s[self.pos..self.pos + p]);
        self.pos += p;
        if self.b[self.pos..].starts_with(b"<!--") {
            return Err(Unsupported);
        }
        self.raw_end_tag()
    }

    /// Lean: past the text of a RAWTEXT element (`<style>`…) to its end tag.
    fn skip_raw(&mut self) -> Step {
        loop {
            let Some(p) = memchr::memchr(b'<', &self.b[self.pos..]) else {
                self.pos = self.b.len();
                return Ok(());
            };
            self.pos += p;
            let before = self.text.len();
            self.raw_end_tag()?;
            // Not an end tag: what `raw_end_tag` took as text is dropped too.
            self.text.truncate(before);
            if self.state != State::Raw(RawKind::Rawtext) {
                return Ok(());
            }
        }
    }

    /// Lean: past the text of a script (escaped parts included) to its end tag.
    fn skip_script(&mut self) -> Step {
        match crate::inert::script_end(self.b, self.pos) {
            Some(close) => {
                self.pos = close + 2;
                let name_end = self.pos + "script".len();
                self.pos = name_end;
                self.tag_rest(EndTag, LocalName::from("script"))
            }
            None => {
                self.pos = self.b.len();
                Ok(())
            }
        }
    }

    /// At `<` in raw text: an appropriate end tag (`</title>` after `<title>`) ends it; anything
    /// else is text.
    fn raw_end_tag(&mut self) -> Step {
        let start = self.pos;
        if self.peek(start + 1) != Some(b'/') {
            self.text.push('<');
            self.pos += 1;
            return Ok(());
        }
        let name_start = start + 2;
        let name_end = name_start
            + self.b[name_start..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
        let name = self.s[name_start..name_end].to_ascii_lowercase();
        let appropriate = name_end > name_start
            && self.last_start_tag.as_deref() == Some(name.as_str())
            && matches!(self.peek(name_end), Some(c) if is_space(c) || c == b'/' || c == b'>');
        if !appropriate {
            // `</` and the letters read are text; reading goes on after them.
            self.text.push_str(&self.s[start..name_end]);
            self.pos = name_end;
            return Ok(());
        }
        self.pos = name_end;
        self.tag_rest(EndTag, LocalName::from(name.as_str()))
    }

    /// At `<` in the data state.
    fn tag_open(&mut self) -> Step {
        let at = self.pos;
        match self.peek(at + 1) {
            Some(b'!') => {
                self.pos = at + 2;
                self.markup_declaration()
            }
            Some(b'/') => match self.peek(at + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    self.pos = at + 2;
                    self.tag(EndTag)
                }
                Some(b'>') => {
                    self.pos = at + 3;
                    Ok(())
                }
                None => {
                    self.text.push_str("</");
                    self.pos = at + 2;
                    Ok(())
                }
                Some(_) => {
                    self.pos = at + 2;
                    self.bogus_comment();
                    Ok(())
                }
            },
            Some(c) if c.is_ascii_alphabetic() => {
                self.pos = at + 1;
                self.tag(StartTag)
            }
            Some(b'?') => {
                // The `?` is the comment's first character.
                self.pos = at + 1;
                self.bogus_comment();
                Ok(())
            }
            _ => {
                self.text.push('<');
                self.pos = at + 1;
                Ok(())
            }
        }
    }

    /// A tag whose name starts at `pos`.
    fn tag(&mut self, kind: TagKind) -> Step {
        let start = self.pos;
        let end = start
            + self.b[start..]
                .iter()
                .take_while(|&&c| !(is_space(c) || c == b'/' || c == b'>'))
                .count();
        self.pos = end;
        let raw = &self.s[start..end];
        let name = if raw.bytes().any(|c| c.is_ascii_uppercase()) {
            LocalName::from(raw.to_ascii_lowercase().as_str())
        } else {
            LocalName::from(raw)
        };
        self.tag_rest(kind, name)
    }

    /// The rest of a tag after its name: attributes, `/`, `>`. A tag cut off by the end of the
    /// page is dropped.
    fn tag_rest(&mut self, kind: TagKind, name: LocalName) -> Step {
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut duplicate = false;
        let mut self_closing = false;
        loop {
            // Before attribute name.
            while self.peek(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            match self.peek(self.pos) {
                None => return self.cut_off(),
                Some(b'>') => {
                    self.pos += 1;
                    break;
                }
                Some(b'/') => {
                    self.pos += 1;
                    match self.peek(self.pos) {
                        Some(b'>') => {
                            self.pos += 1;
                            self_closing = true;
                            break;
                        }
                        None => return self.cut_off(),
                        // Ignored: reconsumed as the start of an attribute name.
                        Some(_) => continue,
                    }
                }
                Some(_) => {}
            }
            // Attribute name: an `=` here is its first character.
            let start = self.pos;
            self.pos += 1;
            while let Some(c) = self.peek(self.pos) {
                if is_space(c) || matches!(c, b'/' | b'>' | b'=') {
                    break;
                }
                self.pos += 1;
            }
            let raw = &self.s[start..self.pos];
            // Lean: an attribute the extractor never reads is read past, never built (an
            // unknown name would be interned in html5ever's global atom table, then freed).
            let keep = !self.lean || crate::inert::kept(&name, raw);
            let attr_name = if !keep {
                None
            } else if raw.bytes().any(|c| c.is_ascii_uppercase()) {
                Some(LocalName::from(raw.to_ascii_lowercase().as_str()))
            } else {
                Some(LocalName::from(raw))
            };
            // After attribute name.
            while self.peek(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            let mut value = StrTendril::new();
            if self.peek(self.pos) == Some(b'=') {
                self.pos += 1;
                while self.peek(self.pos).is_some_and(is_space) {
                    self.pos += 1;
                }
                match self.peek(self.pos) {
                    None => return self.cut_off(),
                    Some(q @ (b'"' | b'\'')) if !keep => {
                        match memchr::memchr(q, &self.b[self.pos + 1..]) {
                            Some(p) => self.pos += p + 2,
                            None => return self.cut_off(),
                        }
                    }
                    Some(q @ (b'"' | b'\'')) => {
                        self.pos += 1;
                        let mut buf = String::new();
                        loop {
                            let rest = &self.b[self.pos..];
                            let Some(p) = memchr::memchr2(q, b'&', rest) else {
                                return self.cut_off();
                            };
                            buf.push_str(&self.s[self.pos..self.pos + p]);
                            self.pos += p;
                            if self.b[self.pos] == q {
                                self.pos += 1;
                                break;
                            }
                            self.char_ref(true, Some(&mut buf));
                        }
                        value = StrTendril::from_slice(&buf);
                        // After a quoted value: a space, `/` or `>` should follow; anything
                        // else starts the next attribute name.
                    }
                    // `>` right after `=`: an empty value, and the tag ends.
                    Some(b'>') => {}
                    Some(_) if !keep => {
                        while let Some(c) = self.peek(self.pos) {
                            if is_space(c) || c == b'>' {
                                break;
                            }
                            self.pos += 1;
                        }
                        if self.pos >= self.b.len() {
                            return self.cut_off();
                        }
                    }
                    Some(_) => {
                        let mut buf = String::new();
                        loop {
                            let start = self.pos;
                            while let Some(c) = self.peek(self.pos) {
                                if is_space(c) || c == b'>' || c == b'&' {
                                    break;
                                }
                                self.pos += 1;
                            }
                            buf.push_str(&self.s[start..self.pos]);
                            match self.peek(self.pos) {
                                None => return self.cut_off(),
                                Some(b'&') => self.char_ref(true, Some(&mut buf)),
                                Some(_) => break,
                            }
                        }
                        value = StrTendril::from_slice(&buf);
                    }
                }
            }
            let Some(attr_name) = attr_name else {
                continue;
            };
            if attrs.iter().any(|a| a.name.local == attr_name) {
                duplicate = true;
            } else {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), attr_name),
                    value,
                });
            }
        }
        match kind {
            StartTag if !self.depth.start(&name, self_closing) => {
                // Nested past the limit (see `inert::MAX_DEPTH`): left to the parser, on the
                // page with the deeper tags dropped and their text kept.
                return Err(Unsupported);
            }
            StartTag => {}
            EndTag => {
                self.depth.end(&name);
            }
        }
        if kind == StartTag {
            self.last_start_tag = Some(name.clone());
            self.last_json_ld = &*name == "script"
                && attrs.iter().any(|a| {
                    &*a.name.local == "type" && a.value.eq_ignore_ascii_case("application/ld+json")
                });
        }
        let svg = kind == StartTag && !self_closing && &*name == "svg";
        // After a tag the tokenizer reads data, unless the tree builder says otherwise.
        self.state = State::Data;
        self.emit(Token::TagToken(Tag {
            kind,
            name,
            self_closing,
            attrs,
            had_duplicate_attributes: duplicate,
        }));
        // Lean: a closed `<svg>` (an icon) keeps no content; an unusual one is parsed as it is.
        if svg
            && self.lean
            && let Some(close) = crate::inert::foreign_end(self.s, self.pos, "svg")
        {
            self.pos = close;
        }
        Ok(())
    }

    /// The end of the page inside a tag: the tag is dropped, nothing is left to read.
    fn cut_off(&mut self) -> Step {
        self.pos = self.b.len();
        Ok(())
    }

    /// After `<!`.
    fn markup_declaration(&mut self) -> Step {
        let rest = &self.b[self.pos..];
        if rest.starts_with(b"--") {
            self.pos += 2;
            self.comment();
            Ok(())
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            self.pos += 7;
            self.doctype()
        } else if rest.starts_with(b"[CDATA[") {
            Err(Unsupported)
        } else {
            self.bogus_comment();
            Ok(())
        }
    }

    /// A bogus comment from `pos` to the next `>` (or the end).
    fn bogus_comment(&mut self) {
        let rest = &self.b[self.pos..];
        let end = memchr::memchr(b'>', rest).map_or(self.b.len(), |p| self.pos + p);
        let data = StrTendril::from_slice(&self.s[self.pos..end]);
        self.pos = (end + 1).min(self.b.len());
        if !self.lean {
            self.emit(Token::CommentToken(data));
        }
    }

    /// A comment after `<!--`, by the comment states of the standard.
    fn comment(&mut self) {
        #[derive(Clone, Copy)]
        enum C {
            Start,
            StartDash,
            Body,
            LessThan,
            LessThanBang,
            LessThanBangDash,
            LessThanBangDashDash,
            EndDash,
            End,
            EndBang,
        }
        let mut data = String::new();
        let mut state = C::Start;
        // At the end of the page the comment is what was read.
        while let Some(c) = self.s[self.pos..].chars().next() {
            let mut consume = true;
            state = match state {
                C::Start => match c {
                    '-' => C::StartDash,
                    '>' => {
                        self.pos += 1;
                        break;
                    }
                    c => {
                        data.push(c);
                        C::Body
                    }
                },
                C::StartDash => match c {
                    '-' => C::End,
                    '>' => {
                        self.pos += 1;
                        break;
                    }
                    c => {
                        data.push('-');
                        data.push(c);
                        C::Body
                    }
                },
                C::Body => match c {
                    '<' => {
                        data.push('<');
                        C::LessThan
                    }
                    '-' => C::EndDash,
                    _ => {
                        // Run to the next character that matters.
                        let rest = &self.b[self.pos..];
                        let p = memchr::memchr2(b'<', b'-', rest).unwrap_or(rest.len());
                        data.push_str(&self.s[self.pos..self.pos + p]);
                        self.pos += p;
                        consume = false;
                        C::Body
                    }
                },
                C::LessThan => match c {
                    '!' => {
                        data.push('!');
                        C::LessThanBang
                    }
                    '<' => {
                        data.push('<');
                        C::LessThan
                    }
                    _ => {
                        consume = false;
                        C::Body
                    }
                },
                C::LessThanBang => match c {
                    '-' => C::LessThanBangDash,
                    _ => {
                        consume = false;
                        C::Body
                    }
                },
                C::LessThanBangDash => match c {
                    '-' => C::LessThanBangDashDash,
                    _ => {
                        consume = false;
                        C::EndDash
                    }
                },
                C::LessThanBangDashDash => {
                    consume = false;
                    C::End
                }
                C::EndDash => match c {
                    '-' => C::End,
                    c => {
                        data.push('-');
                        data.push(c);
                        C::Body
                    }
                },
                C::End => match c {
                    '>' => {
                        self.pos += 1;
                        break;
                    }
                    '!' => C::EndBang,
                    '-' => {
                        data.push('-');
                        C::End
                    }
                    _ => {
                        data.push_str("--");
                        consume = false;
                        C::Body
                    }
                },
                C::EndBang => match c {
                    '-' => {
                        data.push_str("--!");
                        C::EndDash
                    }
                    '>' => {
                        self.pos += 1;
                        break;
                    }
                    c => {
                        data.push_str("--!");
                        data.push(c);
                        C::Body
                    }
                },
            };
            if consume {
                self.pos += c.len_utf8();
            }
        }
        if !self.lean {
            self.emit(Token::CommentToken(StrTendril::from_slice(&data)));
        }
    }

    /// After `<!DOCTYPE`: the common forms (`<!DOCTYPE html>`, with a `PUBLIC` and/or `SYSTEM`
    /// identifier in quotes); anything else is left to html5ever.
    fn doctype(&mut self) -> Step {
        let b = self.b;
        let mut i = self.pos;
        let skip = |i: &mut usize| {
            while b.get(*i).copied().is_some_and(is_space) {
                *i += 1;
            }
        };
        if !b.get(i).copied().is_some_and(is_space) {
            return Err(Unsupported);
        }
        skip(&mut i);
        let start = i;
        while b.get(i).is_some_and(|&c| !is_space(c) && c != b'>') {
            i += 1;
        }
        if i == start || i >= b.len() {
            return Err(Unsupported);
        }
        let name = self.s[start..i].to_ascii_lowercase();
        skip(&mut i);
        let quoted = |i: &mut usize| -> Option<String> {
            let q = *b.get(*i)?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            let close = memchr::memchr(q, &b[*i + 1..])?;
            let value = &self.s[*i + 1..*i + 1 + close];
            if value.contains('>') {
                return None;
            }
            *i += close + 2;
            Some(value.to_owned())
        };
        let (mut public_id, mut system_id) = (None, None);
        let keyword = |i: usize, word: &[u8]| {
            b.len() >= i + word.len() && b[i..i + word.len()].eq_ignore_ascii_case(word)
        };
        if keyword(i, b"public") {
            i += 6;
            if !b.get(i).copied().is_some_and(is_space) {
                return Err(Unsupported);
            }
            skip(&mut i);
            public_id = Some(quoted(&mut i).ok_or(Unsupported)?);
            if b.get(i).copied().is_some_and(is_space) {
                skip(&mut i);
                if b.get(i) != Some(&b'>') {
                    system_id = Some(quoted(&mut i).ok_or(Unsupported)?);
                    skip(&mut i);
                }
            }
        } else if keyword(i, b"system") {
            i += 6;
            if !b.get(i).copied().is_some_and(is_space) {
                return Err(Unsupported);
            }
            skip(&mut i);
            system_id = Some(quoted(&mut i).ok_or(Unsupported)?);
            skip(&mut i);
        }
        if b.get(i) != Some(&b'>') {
            return Err(Unsupported);
        }
        self.pos = i + 1;
        self.emit(Token::DoctypeToken(Doctype {
            name: Some(StrTendril::from_slice(&name)),
            public_id: public_id.map(|p| StrTendril::from_slice(&p)),
            system_id: system_id.map(|p| StrTendril::from_slice(&p)),
            force_quirks: false,
        }));
        Ok(())
    }

    /// At `&`: a character reference, decoded into `into` (an attribute value) or the pending
    /// text, by the standard's rules (html5ever's `CharRefTokenizer`); a `&` that starts none
    /// stays as it is.
    fn char_ref(&mut self, in_attribute: bool, into: Option<&mut String>) {
        let at = self.pos + 1;
        let (chars, end) = match char_reference(self.s, at, in_attribute) {
            Some((chars, end)) => (chars, end),
            None => ([Some('&'), None], at),
        };
        let out = match into {
            Some(buf) => buf,
            None => &mut self.text,
        };
        out.extend(chars.into_iter().flatten());
        self.pos = end;
    }
}

/// The character reference after a `&` at `at - 1`: its characters and where reading goes on,
/// or `None` if there is none (the `&` is then text).
pub(crate) fn char_reference(
    s: &str,
    at: usize,
    in_attribute: bool,
) -> Option<([Option<char>; 2], usize)> {
    let b = s.as_bytes();
    match b.get(at)? {
        b'#' => {
            let mut i = at + 1;
            let hex = matches!(b.get(i), Some(b'x' | b'X'));
            if hex {
                i += 1;
            }
            let base = if hex { 16 } else { 10 };
            let digits_start = i;
            let mut num: u32 = 0;
            let mut too_big = false;
            while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(base)) {
                num = num.wrapping_mul(base);
                if num > 0x10FFFF {
                    too_big = true;
                }
                num = num.wrapping_add(d);
                i += 1;
            }
            if i == digits_start {
                return None;
            }
            if b.get(i) == Some(&b';') {
                i += 1;
            }
            let c = match num {
                n if n > 0x10FFFF || too_big => '\u{FFFD}',
                0x00 | 0xD800..=0xDFFF => '\u{FFFD}',
                0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(num - 0x80) as usize]
                    .or_else(|| char::from_u32(num))
                    .unwrap_or('\u{FFFD}'),
                n => char::from_u32(n).unwrap_or('\u{FFFD}'),
            };
            Some(([Some(c), None], i))
        }
        c if c.is_ascii_alphanumeric() => {
            // The longest name that is an entity, reading while the name read so far is a
            // prefix of one (the table holds every prefix, with (0, 0) for non-entities).
            let mut best: Option<((u32, u32), usize)> = None;
            let mut end = at;
            for (offset, ch) in s[at..].char_indices() {
                let candidate = &s[at..at + offset + ch.len_utf8()];
                match html5ever::data::NAMED_ENTITIES.get(candidate) {
                    Some(&m) => {
                        end = at + offset + ch.len_utf8();
                        if m.0 != 0 {
                            best = Some((m, end));
                        }
                    }
                    None => break,
                }
            }
            let _ = end;
            let ((c1, c2), matched_end) = best?;
            let last_matched = b[matched_end - 1];
            let next = b.get(matched_end).copied();
            if last_matched != b';'
                && in_attribute
                && next.is_some_and(|n| n == b'=' || n.is_ascii_alphanumeric())
            {
                return None;
            }
            let first = char::from_u32(c1)?;
            let second = if c2 == 0 { None } else { char::from_u32(c2) };
            Some(([Some(first), second], matched_end))
        }
        _ => None,
    }
}

#[cfg(test)]
#[path = "../../../tests/common/shared_data.rs"]
mod shared_data;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::shared_data;
    use super::*;
    use proptest::prelude::*;

    /// Both parsers' trees, serialised, with the quirks mode; `None` where the fast one declines.
    fn both(html: &str) -> Option<(String, String)> {
        let fast = parse(html, false)?;
        let slow = Html::parse_document(html);
        Some((
            format!("{:?}\n{}", fast.quirks_mode, fast.html()),
            format!("{:?}\n{}", slow.quirks_mode, slow.html()),
        ))
    }

    fn assert_same(html: &str) {
        if let Some((fast, slow)) = both(html) {
            assert_eq!(fast, slow, "input: {html:?}");
        }
    }

    #[test]
    fn trees_match_html5ever_on_tricky_markup() {
        for html in [
            "<!DOCTYPE html><p>a &amp; b &notit; &noti &#x41;&#65 &#0; &#x110000; &#128; &bogus; &",
            "<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><table><p>x</table>",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\"><p>q",
            "<p>no doctype: quirks<table><p>x",
            "<a href='x?a=1&b=2&amp;c=3&copy=4' title=\"&lt;&gt\" data-x=a&amp;b>link</a>",
            "<P CLASS=A class=b Id = c /><br/><img src=x/>",
            "<title>a &amp; <b> </title><textarea>\nx</textarea><style>a < b </style ><script>if (a</b) {}</script>",
            "<!-- a -- b --!> <!--> <!---> <!----> <!--x--!-y--> <? pi > </ x> </> <!x> <!-",
            "<b><i>misnested</b></i><p>one<p>two<li>three<table><tr><td>cell<td>more</table>",
            "<svg><title>t</title><path d=1 /></svg><math><mi>x</mi></math>",
            "<noscript><img></noscript><plaintext><b>all text",
            "<p>x</p\n><div\tclass\n=\n'c'>y</div ><a b c=d e=\"f\"g>",
            "&#x1F600;&#55296;&#9;&amp;&AMP;&AMP &lt &gt;&quot;&apos;&nbsp;&nbspx&notin;&notinx",
            "<a title=&amp>x</a><a title=&ampx>y</a><a title=&amp=>z</a><a title=&notit>w</a>",
            "<script>a</scr</script>b</script><style></sty</style><title></titl</title>",
        ] {
            assert!(both(html).is_some(), "fast path declined: {html:?}");
            assert_same(html);
        }
    }

    #[test]
    fn whole_pages_keep_every_attribute_and_stop_nesting_at_the_depth_limit() {
        let doc = parse_html("<a href=/x data-id=7 onclick=go()>x</a><!-- c -->");
        let a = doc
            .select(&scraper::Selector::parse("a").unwrap())
            .next()
            .unwrap();
        assert_eq!(a.value().attrs().count(), 3);
        // Fast path and html5ever path (CDATA makes the fast one decline) both stop nesting.
        for tail in ["", "<svg><![CDATA[x]]></svg>"] {
            let page = format!(
                "<p>kept</p>{}<p>deep <a href=/d>link</a></p>{tail}",
                "<div>".repeat(200_000)
            );
            let doc = parse_html(&page);
            let divs = doc
                .select(&scraper::Selector::parse("div").unwrap())
                .count();
            assert_eq!(divs, crate::inert::MAX_DEPTH, "{tail}");
            // The text nested deeper stays, in the element at the limit.
            let text: String = doc.root_element().text().collect();
            assert!(
                text.contains("kept") && text.contains("deep link"),
                "{tail}"
            );
            // Once the deep part is closed, the page goes on as written.
            let closed = format!(
                "{}<p>deep</p>{}<p><a href=/after>after</a></p>{tail}",
                "<div>".repeat(600),
                "</div>".repeat(600)
            );
            let doc = parse_html(&closed);
            let link = scraper::Selector::parse("p a").unwrap();
            assert_eq!(
                doc.select(&link)
                    .next()
                    .and_then(|a| a.value().attr("href")),
                Some("/after"),
                "{tail}"
            );
        }
    }

    #[test]
    fn declines_what_it_does_not_model() {
        for html in [
            "<p>a\0b",
            "<svg><![CDATA[x]]></svg>",
            "<!DOCTYPE>",
            "<!DOCTYPE html SYSTEM>",
            "<script><!-- <script></script> --></script>",
        ] {
            assert!(parse(html, false).is_none(), "{html:?}");
        }
        // Carriage returns are normalised, not declined.
        assert_same("<p>a\r\nb\rc\r\r\n\nd</p>\r");
        assert_eq!(normalise_newlines("a\r\nb\rc\r\r\nd\r"), "a\nb\nc\n\nd\n");
        assert_same("\u{FEFF}<p>bom</p>");
    }

    #[test]
    fn trees_match_html5ever_on_real_pages() {
        let pages = shared_data::html_pages();
        for (path, html) in &pages {
            // Pages as fetched (the fast path may decline an escaped script), and as the
            // html5ever fallback parses them (it must not).
            if let Some((fast, slow)) = both(html) {
                assert!(fast == slow, "{}: trees differ", path.display());
            }
            let stripped = crate::strip_inert(html);
            let (fast, slow) =
                both(&stripped).unwrap_or_else(|| panic!("fast path declined {}", path.display()));
            assert!(
                fast == slow,
                "{}: trees differ after stripping",
                path.display()
            );
        }
        let pages = pages.len();
        assert!(pages >= 13);
    }

    proptest! {
        #[test]
        fn trees_match_html5ever_on_random_characters(s in r#"([<>/!=\-"'&#;:ax \n?\[\]DOCTYPEhtmlscriptitle]|<p|<b|</b|<table|<td|<svg|<title|<!--|&amp;|&#x){0,60}"#) {
            if let Some((fast, slow)) = both(&s) {
                prop_assert_eq!(fast, slow);
            }
        }

        #[test]
        fn trees_match_html5ever_on_random_markup(s in r#"(<(div|p|a|b|i|em|table|tr|td|li|ul|span|title|textarea|style|script|svg|math|h1|br|img|pre|select|option|form|button|template|noscript|plaintext|xmp|iframe|frameset|body|head|html|meta|link)( [a-zA-Z=&;"'<>/-]{0,8}){0,2}/?>|</(div|p|a|b|i|table|tr|td|li|span|title|textarea|style|script|svg|body|html|br)\s?>|<!--|-->|--!>|<!-->|<!|<!DOCTYPE html>|<\?|</|<|>|&(amp|lt|gt|nbsp|notin|not|copy|#x4[0-9];?|#[0-9]{1,3};?|bogus;|)|[a-zA-Z .\n\t'"=/-]{0,6}|ưđ){0,40}"#) {
            if let Some((fast, slow)) = both(&s) {
                prop_assert_eq!(fast, slow);
            }
        }
    }
}
