//! The syllable tokenizer and the two analyzers every text field is indexed with.
//!
//! Vietnamese writes one syllable per space-separated unit, so words are phrases of syllables.
//! The tokenizer splits on anything that is neither a letter, a digit nor a combining mark, and
//! emits one normalised token per syllable. [`EXACT`] keeps diacritics (lowercase, canonical tone
//! placement, `y`→`i`); [`FOLDED`] drops them (`đ`→`d`); [`BOTH`], the analyzer of the index's
//! text fields, gives the folded token and, where it differs, the exact one at the same position.
//! Offsets point into the original text, NFD or not, so highlights land on what the reader sees.
//!
//! ```
//! use langnghe_vi::{Analyzer, tokens};
//! let t = tokens("Công đoàn hoà giải", Analyzer::Folded);
//! let words: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
//! assert_eq!(words, ["cong", "doan", "hoa", "giai"]);
//! assert_eq!((t[1].offset_from, t[1].offset_to, t[1].position), (6, 12, 1));
//! ```

use std::cell::RefCell;

use tantivy_tokenizer_api::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use crate::text::{WordCache, is_ignorable};

/// Name under which the diacritic-keeping analyzer is registered in tantivy.
pub const EXACT: &str = "vi_exact";
/// Name under which the diacritic-free analyzer is registered in tantivy.
pub const FOLDED: &str = "vi_folded";
/// Name under which the analyzer giving both forms is registered in tantivy.
pub const BOTH: &str = "vi_both";

/// Longer tokens (URLs, base64) carry no search value and are skipped; they still take a
/// position so phrases do not jump over them.
const MAX_TOKEN_BYTES: usize = 64;

/// Which of the two analyzers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Analyzer {
    /// Lowercase, canonical tones, i/y equal: `Hoà` → `hòa`.
    Exact,
    /// Also without diacritics: `Hoà` → `hoa`.
    Folded,
    /// Both forms at the same position, for one index field that answers both kinds of
    /// query: `Hoà` → `hoa` and `hòa`; a word without marks (`ta`) gives one token.
    Both,
}

impl Analyzer {
    /// The name the analyzer is registered under.
    pub fn name(self) -> &'static str {
        match self {
            Analyzer::Exact => EXACT,
            Analyzer::Folded => FOLDED,
            Analyzer::Both => BOTH,
        }
    }
}

/// A tantivy tokenizer for one [`Analyzer`]. Register both with [`analyzers`].
pub struct SyllableTokenizer {
    analyzer: Analyzer,
    words: WordCache,
}

impl SyllableTokenizer {
    /// A tokenizer for `analyzer`.
    pub fn new(analyzer: Analyzer) -> Self {
        SyllableTokenizer {
            analyzer,
            words: WordCache::default(),
        }
    }
}

/// A clone starts with an empty word cache: tantivy clones a tokenizer per field and thread.
impl Clone for SyllableTokenizer {
    fn clone(&self) -> Self {
        SyllableTokenizer::new(self.analyzer)
    }
}

impl std::fmt::Debug for SyllableTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyllableTokenizer")
            .field("analyzer", &self.analyzer)
            .finish()
    }
}

/// Both analyzers with the names to register them under:
/// `for (name, t) in analyzers() { index.tokenizers().register(name, t) }`.
pub fn analyzers() -> [(&'static str, SyllableTokenizer); 3] {
    [
        (EXACT, SyllableTokenizer::new(Analyzer::Exact)),
        (FOLDED, SyllableTokenizer::new(Analyzer::Folded)),
        (BOTH, SyllableTokenizer::new(Analyzer::Both)),
    ]
}

/// True for characters that belong inside a word.
pub(crate) fn is_word_char(c: char) -> bool {
    // The letters of Vietnamese text first, by range: Latin-1 letters and Latin Extended-A/B
    // (but × and ÷), Latin Extended Additional (the letters with two marks); then the
    // punctuation of news text (quotes, dashes, ellipsis, no-break space), then the Unicode
    // tables.
    match u32::from(c) {
        0xC0..=0x24F => return c != '\u{D7}' && c != '\u{F7}',
        0x1E00..=0x1EFF => return true,
        _ => {}
    }
    if matches!(
        c,
        '\u{2010}'..='\u{201F}' | '\u{2026}' | '\u{A0}' | '\u{AB}' | '\u{BB}'
    ) {
        return false;
    }
    c.is_alphanumeric() || is_combining_mark(c) || is_ignorable(c)
}

/// The character that starts at byte `i` of `text` (not ASCII) and its length in bytes, decoded
/// by hand: `text[i..].chars().next()` checks the char boundary and builds an iterator for every
/// accented letter of a Vietnamese text.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes();
    let cont = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0x80) & 0x3F);
    let lead = u32::from(b[i]);
    let (code, len) = if lead < 0xE0 {
        (((lead & 0x1F) << 6) | cont(1), 2)
    } else if lead < 0xF0 {
        (((lead & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        (
            ((lead & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        )
    };
    (char::from_u32(code).unwrap_or('\u{FFFD}'), len)
}

/// The folded tokens of the last text the exact analyzer tokenized on this thread. Callers that
/// need both token lists of one text (snippets: exact, then folded) get the folded pass as a
/// replay instead of splitting and normalising the text again.
/// One recorded token: (offset_from, offset_to, position, end of its folded text in the arena).
type Recorded = (usize, usize, usize, usize);

#[derive(Default)]
struct Replay {
    text: String,
    tokens: Vec<Recorded>,
    arena: String,
    complete: bool,
}

thread_local! {
    static REPLAY: RefCell<Replay> = RefCell::new(Replay::default());
}

/// Texts shorter than this are tokenized twice rather than copied for replay.
const REPLAY_MIN_BYTES: usize = 256;

/// The token stream of [`SyllableTokenizer`].
pub struct SyllableStream<'a> {
    text: &'a str,
    cursor: usize,
    folded: bool,
    token: Token,
    words: &'a mut WordCache,
    /// Exact pass: the folded forms recorded for the folded pass (tokens, arena).
    recording: Option<(Vec<Recorded>, String)>,
    /// Folded pass replaying a recording: (tokens, arena, next index).
    replaying: Option<(Vec<Recorded>, String, usize)>,
    other_form: String,
    /// Both analyzer: `other_form` holds the exact form still to emit at this position.
    pending_exact: bool,
    both: bool,
}

impl Tokenizer for SyllableTokenizer {
    type TokenStream<'a> = SyllableStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SyllableStream<'a> {
        let folded = self.analyzer == Analyzer::Folded;
        let mut replaying = None;
        let mut recording = None;
        if text.len() >= REPLAY_MIN_BYTES && self.analyzer != Analyzer::Both {
            REPLAY.with(|r| {
                let Ok(mut r) = r.try_borrow_mut() else {
                    return;
                };
                if folded {
                    if r.complete && r.text == text {
                        r.complete = false;
                        replaying = Some((
                            std::mem::take(&mut r.tokens),
                            std::mem::take(&mut r.arena),
                            0,
                        ));
                    }
                } else {
                    // Take the buffers (keeping their capacity); they come back when the pass ends.
                    r.complete = false;
                    let (mut tokens, mut arena) =
                        (std::mem::take(&mut r.tokens), std::mem::take(&mut r.arena));
                    tokens.clear();
                    arena.clear();
                    recording = Some((tokens, arena));
                }
            });
        }
        SyllableStream {
            text,
            cursor: 0,
            folded,
            token: Token::default(),
            words: &mut self.words,
            recording,
            replaying,
            other_form: String::new(),
            pending_exact: false,
            both: self.analyzer == Analyzer::Both,
        }
    }
}

impl SyllableStream<'_> {
    /// See [`Splitter::next_word`].
    fn next_word(&mut self) -> Option<(usize, usize, bool)> {
        let mut splitter = Splitter {
            text: self.text,
            cursor: self.cursor,
        };
        let next = splitter.next_word();
        self.cursor = splitter.cursor;
        next
    }
}

/// Splits a text into the words the analyzers see.
struct Splitter<'a> {
    text: &'a str,
    cursor: usize,
}

impl Splitter<'_> {
    /// Next word span (start, end) in bytes, skipping words made only of invisible characters,
    /// and whether a sentence ends between the previous word and this one.
    fn next_word(&mut self) -> Option<(usize, usize, bool)> {
        let bytes = self.text.as_bytes();
        let mut sentence_break = false;
        loop {
            // Fast skip over ASCII separators; decode the rest by hand.
            let mut start = None;
            let mut i = self.cursor;
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    if b.is_ascii_alphanumeric() {
                        start = Some(i);
                        break;
                    }
                    i += 1;
                } else {
                    let (c, len) = char_at(self.text, i);
                    if is_word_char(c) {
                        start = Some(i);
                        break;
                    }
                    i += len;
                }
            }
            let start = start?;
            sentence_break |= self.cursor > 0
                && ends_sentence(
                    &self.text[..self.cursor],
                    &self.text[self.cursor..start],
                    &self.text[start..],
                );
            let mut end = self.text.len();
            let mut i = start;
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        end = i;
                        break;
                    }
                    i += 1;
                } else {
                    let (c, len) = char_at(self.text, i);
                    if !is_word_char(c) {
                        end = i;
                        break;
                    }
                    i += len;
                }
            }
            self.cursor = end;
            // Invisible characters are not ASCII: a word starting with ASCII is visible.
            if !bytes[start].is_ascii() && self.text[start..end].chars().all(is_ignorable) {
                continue;
            }
            return Some((start, end, sentence_break));
        }
    }
}

/// Positions added between two sentences or clauses, so that a phrase never spans a boundary
/// ("…thành công. Đoạn đường…" must not match "công đoạn"); NEAR distances count it too.
pub const SENTENCE_GAP: usize = 1;

/// True if `separator` (between the words ending `before` and starting `after`) ends a sentence
/// or clause: `.`, `!`, `?`, `…`, `;`, `:`, `,` or a line break, except inside a number or time
/// (`2.000`, `2,5`, `8:30`). "Ông Công, đoàn kiểm tra…" must not match the phrase "công đoàn".
fn ends_sentence(before: &str, separator: &str, after: &str) -> bool {
    let breaks = separator
        .chars()
        .any(|c| matches!(c, '.' | '!' | '?' | '…' | ';' | ':' | ',' | '\n' | '\r'));
    if !breaks {
        return false;
    }
    let digit_around = before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit())
        && after.chars().next().is_some_and(|c| c.is_ascii_digit());
    !(digit_around && matches!(separator, "." | "," | ":"))
}

impl Drop for SyllableStream<'_> {
    fn drop(&mut self) {
        // Hand the buffers back so the next recording reuses their capacity.
        if let Some((mut tokens, mut arena, _)) = self.replaying.take() {
            REPLAY.with(|r| {
                if let Ok(mut r) = r.try_borrow_mut() {
                    tokens.clear();
                    arena.clear();
                    if !r.complete && r.tokens.is_empty() {
                        r.tokens = tokens;
                        r.arena = arena;
                    }
                }
            });
        }
    }
}

impl SyllableStream<'_> {
    fn replay_next(&mut self) -> Option<bool> {
        let (tokens, arena, next) = self.replaying.as_mut()?;
        let Some(&(from, to, position, end)) = tokens.get(*next) else {
            return Some(false);
        };
        let start = if *next == 0 { 0 } else { tokens[*next - 1].3 };
        *next += 1;
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = position;
        self.token.text.clear();
        self.token.text.push_str(&arena[start..end]);
        Some(true)
    }
}

impl TokenStream for SyllableStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(more) = self.replay_next() {
            return more;
        }
        if self.pending_exact {
            self.pending_exact = false;
            std::mem::swap(&mut self.token.text, &mut self.other_form);
            return true;
        }
        loop {
            let Some((start, end, sentence_break)) = self.next_word() else {
                // The exact pass is complete: publish the recording for the folded pass.
                if let Some((tokens, arena)) = self.recording.take() {
                    let text = self.text;
                    REPLAY.with(|r| {
                        if let Ok(mut r) = r.try_borrow_mut() {
                            r.text.clear();
                            r.text.push_str(text);
                            r.tokens = tokens;
                            r.arena = arena;
                            r.complete = true;
                        }
                    });
                }
                return false;
            };
            self.token.position = self.token.position.wrapping_add(1);
            if sentence_break {
                self.token.position += SENTENCE_GAP;
            }
            if end - start > MAX_TOKEN_BYTES {
                continue;
            }
            let word = &self.text[start..end];
            if self.both {
                self.words
                    .forms(word, &mut self.other_form, &mut self.token.text);
                // A word of combining marks alone has an exact form but no folded one.
                if self.token.text.is_empty() {
                    if self.other_form.is_empty() {
                        continue;
                    }
                    std::mem::swap(&mut self.token.text, &mut self.other_form);
                    self.other_form.clear();
                }
                self.pending_exact =
                    !self.other_form.is_empty() && self.other_form != self.token.text;
                self.token.offset_from = start;
                self.token.offset_to = end;
                return true;
            }
            if self.folded {
                self.words
                    .forms(word, &mut self.other_form, &mut self.token.text);
            } else {
                self.words
                    .forms(word, &mut self.token.text, &mut self.other_form);
            }
            if self.token.text.is_empty() {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            // A fresh folded pass skips words whose folded form is empty; so does the replay.
            if let Some((tokens, arena)) = self.recording.as_mut()
                && !self.other_form.is_empty()
            {
                arena.push_str(&self.other_form);
                tokens.push((start, end, self.token.position, arena.len()));
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

thread_local! {
    /// Warm tokenizers for [`tokens`], so repeated calls (snippets, queries) hit the word cache.
    static TOKENIZERS: RefCell<[SyllableTokenizer; 3]> = RefCell::new([
        SyllableTokenizer::new(Analyzer::Exact),
        SyllableTokenizer::new(Analyzer::Folded),
        SyllableTokenizer::new(Analyzer::Both),
    ]);
}

/// All tokens of `text` under `analyzer`, for callers outside tantivy (queries, snippets).
pub fn tokens(text: &str, analyzer: Analyzer) -> Vec<Token> {
    fn collect(tokenizer: &mut SyllableTokenizer, text: &str) -> Vec<Token> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }
    let slot = match analyzer {
        Analyzer::Exact => 0,
        Analyzer::Folded => 1,
        Analyzer::Both => 2,
    };
    TOKENIZERS.with(|t| match t.try_borrow_mut() {
        Ok(mut t) => collect(&mut t[slot], text),
        Err(_) => collect(&mut SyllableTokenizer::new(analyzer), text),
    })
}

/// Calls `f(position, word)` with every word of `text` as written, at the position its tokens
/// get under every analyzer (sentence gaps included; words longer than the analyzers take are
/// left out), without normalising it: for callers that cache what they derive from a word (the
/// streaming matcher of topic rules), with [`word_forms`] on a cache miss.
///
/// ```
/// let mut seen = Vec::new();
/// langnghe_vi::each_word("Công ty. Hoà", |p, w| seen.push((p, w.to_string())));
/// assert_eq!(seen, [(0, "Công".into()), (1, "ty".into()), (3, "Hoà".into())]);
/// ```
pub fn each_word(text: &str, mut f: impl FnMut(usize, &str)) {
    let mut splitter = Splitter { text, cursor: 0 };
    let mut position = 0usize.wrapping_sub(1);
    while let Some((start, end, sentence_break)) = splitter.next_word() {
        position = position.wrapping_add(1);
        if sentence_break {
            position += SENTENCE_GAP;
        }
        if end - start <= MAX_TOKEN_BYTES {
            f(position, &text[start..end]);
        }
    }
}

/// The words of `text` as the analyzers split them (see [`each_word`]), lazily.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut splitter = Splitter { text, cursor: 0 };
    std::iter::from_fn(move || splitter.next_word().map(|(s, e, _)| &text[s..e]))
}

/// The exact and folded forms of one word as the analyzers index it (`Hoà` → `hòa`, `hoa`);
/// both empty for a word the analyzers skip.
pub fn word_forms(word: &str, exact: &mut String, folded: &mut String) {
    TOKENIZERS.with(|t| match t.try_borrow_mut() {
        Ok(mut t) => t[0].words.forms(word, exact, folded),
        Err(_) => SyllableTokenizer::new(Analyzer::Exact)
            .words
            .forms(word, exact, folded),
    });
}

/// Calls `f` with every token of `text` under `analyzer`, in order, without collecting them: for
/// callers that look at each token once (the streaming matcher of topic rules).
///
/// ```
/// let mut seen = Vec::new();
/// langnghe_vi::each_token("Công ty", langnghe_vi::Analyzer::Both, |t| seen.push((t.text.clone(), t.position)));
/// assert_eq!(seen, [("cong".into(), 0), ("công".into(), 0), ("ti".into(), 1)]);
/// ```
pub fn each_token(text: &str, analyzer: Analyzer, mut f: impl FnMut(&Token)) {
    fn walk(tokenizer: &mut SyllableTokenizer, text: &str, f: &mut dyn FnMut(&Token)) {
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            f(stream.token());
        }
    }
    let slot = match analyzer {
        Analyzer::Exact => 0,
        Analyzer::Folded => 1,
        Analyzer::Both => 2,
    };
    TOKENIZERS.with(|t| match t.try_borrow_mut() {
        Ok(mut t) => walk(&mut t[slot], text, &mut f),
        Err(_) => walk(&mut SyllableTokenizer::new(analyzer), text, &mut f),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_ranges_agree_with_the_unicode_tables_on_every_character() {
        // What the ranges stand for: letters and digits, combining marks, invisible characters,
        // but not the punctuation of news text.
        let by_tables = |c: char| {
            !matches!(
                c,
                '\u{2010}'..='\u{201F}' | '\u{2026}' | '\u{A0}' | '\u{AB}' | '\u{BB}'
            ) && (c.is_alphanumeric() || is_combining_mark(c) || is_ignorable(c))
        };
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), by_tables(c), "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn hand_decoding_agrees_with_the_standard_library(text in "\\PC{0,40}") {
            for (i, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
                proptest::prop_assert_eq!(char_at(&text, i), (c, c.len_utf8()));
            }
        }
    }
    use unicode_normalization::UnicodeNormalization;

    fn triples(text: &str, a: Analyzer) -> Vec<(String, usize, usize, usize)> {
        tokens(text, a)
            .into_iter()
            .map(|t| (t.text, t.position, t.offset_from, t.offset_to))
            .collect()
    }

    #[test]
    fn exact_tokens_with_offsets() {
        let text = "Người lao động: Hoà giải!";
        let got = triples(text, Analyzer::Exact);
        assert_eq!(
            got,
            vec![
                ("người".to_string(), 0, 0, 8),
                ("lao".to_string(), 1, 9, 12),
                ("động".to_string(), 2, 13, 20),
                // The colon ends a clause: one position is skipped.
                ("hòa".to_string(), 4, 22, 26),
                ("giải".to_string(), 5, 27, 33),
            ]
        );
        for (_, _, from, to) in got {
            assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
        }
        assert_eq!(&text[22..26], "Hoà");
    }

    #[test]
    fn both_gives_folded_then_exact_at_one_position() {
        let got = triples("Công ty hoà", Analyzer::Both);
        let expected = [
            ("cong", 0, 0, 5),
            ("công", 0, 0, 5),
            // The i/y spelling is made equal in index terms: one term, no marks.
            ("ti", 1, 6, 8),
            ("hoa", 2, 9, 13),
            ("hòa", 2, 9, 13),
        ];
        let expected: Vec<(String, usize, usize, usize)> = expected
            .iter()
            .map(|&(t, p, a, b)| (t.to_string(), p, a, b))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn folded_tokens() {
        let got: Vec<String> = tokens("ĐÌNH CÔNG tại KCN Tân Tạo, 2026", Analyzer::Folded)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(got, ["dinh", "cong", "tai", "kcn", "tan", "tao", "2026"]);
    }

    #[test]
    fn nfd_text_gives_same_tokens_with_its_own_offsets() {
        let nfc = "Đồng Nai công nhân";
        let nfd: String = nfc.nfd().collect();
        let a = tokens(nfc, Analyzer::Exact);
        let b = tokens(&nfd, Analyzer::Exact);
        let ta: Vec<&str> = a.iter().map(|t| t.text.as_str()).collect();
        let tb: Vec<&str> = b.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(ta, tb);
        assert_eq!(
            &nfd[b[0].offset_from..b[0].offset_to],
            "Đồng".nfd().collect::<String>()
        );
    }

    #[test]
    fn sentences_leave_a_position_gap_numbers_do_not() {
        let positions: Vec<(String, usize)> = tokens(
            "Thành công. Đoạn đường 2.000 m lúc 8:30; xong",
            Analyzer::Folded,
        )
        .into_iter()
        .map(|t| (t.text, t.position))
        .collect();
        let expected = [
            ("thanh", 0),
            ("cong", 1),
            ("doan", 3),
            ("duong", 4),
            ("2", 5),
            ("000", 6),
            ("m", 7),
            ("luc", 8),
            ("8", 9),
            ("30", 10),
            ("xong", 12),
        ];
        let expected: Vec<(String, usize)> =
            expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(positions, expected);
    }

    #[test]
    fn folded_replay_gives_the_same_tokens_as_a_fresh_pass() {
        let text = "Công đoàn, công nhân: ĐÌNH CÔNG. Hoà giải! ".repeat(20);
        let other = "Người lao động ở Đồng Nai. ".repeat(20);
        let fresh = tokens(&text, Analyzer::Folded);
        // Exact pass records, folded pass replays.
        let _ = tokens(&text, Analyzer::Exact);
        assert_eq!(tokens(&text, Analyzer::Folded), fresh);
        // A recording of another text is not replayed.
        let _ = tokens(&other, Analyzer::Exact);
        assert_eq!(tokens(&text, Analyzer::Folded), fresh);
        // A replay is used once.
        let _ = tokens(&text, Analyzer::Exact);
        let _ = tokens(&text, Analyzer::Folded);
        assert_eq!(tokens(&text, Analyzer::Folded), fresh);
    }

    #[test]
    fn invisible_characters_do_not_split_words() {
        let got: Vec<String> = tokens("công\u{200B}\u{AD}nhân \u{200B} x", Analyzer::Exact)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(got, ["côngnhân", "x"]);
    }
}
