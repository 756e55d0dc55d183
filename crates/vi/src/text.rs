//! Normalisation of whole texts and single words.
//!
//! Two stages, kept apart as charabia does:
//! - [`clean`] is lossless for a reader: NFC, `ð`→`đ`, invisible characters removed. Use it on
//!   every stored title and body after legacy-encoding repair ([`crate::repair`]).
//! - [`normalize`] also moves tone marks to the canonical vowel (`hoà` → `hòa`) and writes a lone
//!   `y` after a consonant as `i` (`kỳ` → `kì`), keeping case. Use it where two spellings
//!   must compare equal.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

use crate::letters::{fold_char, is_vietnamese_marked, is_zero_width};
use crate::syllable::{MAX_SYLLABLE, Spelling, canonicalise};

/// Characters that vanish: zero-width characters and the soft hyphen (U+00AD). The soft hyphen
/// is the TCVN3 code of `ư`, so legacy repair must run before this.
pub(crate) fn is_ignorable(c: char) -> bool {
    is_zero_width(c) || c == '\u{AD}'
}

/// NFC, `ð`/`Ð` → `đ`/`Đ`, zero-width characters and soft hyphens removed.
///
/// ```
/// assert_eq!(langnghe_vi::clean("Co\u{302}ng \u{F0}oa\u{300}n\u{200B}"), "Công đoàn");
/// ```
pub fn clean(text: &str) -> Cow<'_, str> {
    // Fast path: ASCII, precomposed Vietnamese letters and ordinary punctuation are NFC and
    // have nothing to remove; that is nearly every news text.
    let plain = text.chars().all(|c| {
        c.is_ascii()
            || is_vietnamese_marked(c)
            || matches!(c, '\u{A0}'..='\u{BF}' | '\u{2010}'..='\u{201F}' | '\u{2026}' | '\u{00D7}' | '\u{00F7}')
                && c != '\u{AD}'
    });
    if plain {
        return Cow::Borrowed(text);
    }
    let needs_work = text
        .chars()
        .any(|c| is_ignorable(c) || c == 'ð' || c == 'Ð' || is_combining_mark(c));
    if !needs_work && is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        return Cow::Borrowed(text);
    }
    let mapped = text.chars().filter(|&c| !is_ignorable(c)).map(|c| match c {
        'ð' => 'đ',
        'Ð' => 'Đ',
        c => c,
    });
    Cow::Owned(mapped.nfc().collect())
}

/// What every stored title and body goes through: legacy-encoding repair ([`crate::repair`]),
/// then [`clean`], then trimming. Returns the text and the legacy encoding repaired, if any.
///
/// ```
/// let (text, legacy) = langnghe_vi::prepare("  C«ng ®oµn\u{200B} ");
/// assert_eq!(text, "Công đoàn");
/// assert_eq!(legacy, Some(langnghe_vi::Legacy::Tcvn3));
/// ```
pub fn prepare(text: &str) -> (String, Option<crate::Legacy>) {
    let (fixed, legacy) = crate::repair(text);
    (clean(&fixed).trim().to_string(), legacy)
}

/// [`clean`] plus one canonical tone placement, word by word, keeping case. (The i/y spelling
/// variants, `kỳ`/`kì`, are made equal only in index terms, by the analyzers.)
///
/// ```
/// use langnghe_vi::normalize;
/// assert_eq!(normalize("Hoà bình, thuý, KHOẺ"), normalize("Hòa bình, thúy, KHỎE"));
/// assert_eq!(normalize("hoàn thuyết quý"), "hoàn thuyết quý");
/// ```
pub fn normalize(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len());
    let mut word: Vec<char> = Vec::with_capacity(MAX_SYLLABLE);
    let mut upper: Vec<bool> = Vec::with_capacity(MAX_SYLLABLE);
    let flush = |word: &mut Vec<char>, upper: &mut Vec<bool>, out: &mut String| {
        if word.len() <= MAX_SYLLABLE {
            canonicalise(word, Spelling::Tones);
        }
        for (c, up) in word.iter().zip(upper.iter()) {
            if *up {
                out.extend(c.to_uppercase());
            } else {
                out.push(*c);
            }
        }
        word.clear();
        upper.clear();
    };
    for c in cleaned.chars() {
        // The tokenizer's notion of a word: a stray combining mark stays with its word, so
        // a second pass sees the same words as the first.
        if crate::tokenizer::is_word_char(c) {
            let lower = c.to_lowercase().next().unwrap_or(c);
            // Keep a character whose lowercase is not a single char as it was.
            let single = c.to_lowercase().nth(1).is_none();
            if single {
                upper.push(lower != c);
                word.push(lower);
            } else {
                upper.push(false);
                word.push(c);
            }
        } else {
            flush(&mut word, &mut upper, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut upper, &mut out);
    out
}

/// Removes every diacritic: `Người lao động` → `Nguoi lao dong`. Case is kept.
pub fn fold(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len());
    for c in cleaned.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// True if the word carries any Vietnamese vowel mark, tone mark or `đ`: such a query word
/// must match exactly, while a word without marks matches every accented form.
pub fn has_marks(word: &str) -> bool {
    clean(word).chars().any(is_vietnamese_marked)
}

/// True if `text` is Vietnamese typed without diacritics ("cong nhan ngung viec"), as many
/// social posts are: of its first 400 words (at least 5), fewer than one in ten carries a mark.
/// Accented Vietnamese has marks on most words; English has none, but then nothing Vietnamese
/// matches it either way.
pub fn written_without_marks(text: &str) -> bool {
    written_without_marks_in(&[text])
}

/// [`written_without_marks`] of several texts read one after the other (a title and its
/// body), without joining them.
pub fn written_without_marks_in(texts: &[&str]) -> bool {
    const WORDS: usize = 400;
    let (mut words, mut marked) = (0usize, 0usize);
    // Words as the analyzers split them; marked ones decided by their letters. Accented text
    // is decided after a few dozen words: 40 marked words settle it.
    for word in texts.iter().flat_map(|t| crate::tokenizer::words(t)) {
        if words >= WORDS || marked * 10 >= WORDS {
            break;
        }
        if word.is_ascii() {
            if word.bytes().any(|b| b.is_ascii_alphabetic()) {
                words += 1;
            }
            continue;
        }
        if !word.chars().any(char::is_alphabetic) {
            continue;
        }
        words += 1;
        if word
            .chars()
            .any(|c| is_vietnamese_marked(c) || ('\u{300}'..='\u{36f}').contains(&c))
        {
            marked += 1;
        }
    }
    words >= 5 && marked * 10 < words
}

/// Folds one non-ASCII character: Vietnamese letters by table, other letters by dropping the
/// marks of their canonical decomposition (`é` in a French name → `e`); combining marks vanish.
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    let f = fold_char(c);
    if f != c {
        out.push(f);
    } else if !is_combining_mark(c) {
        let mut base = None;
        unicode_normalization::char::decompose_canonical(c, |d| {
            if base.is_none() {
                base = Some(d);
            }
        });
        out.push(base.unwrap_or(c));
    }
}

/// FxHash (rustc's hasher): a multiply-rotate per 8 bytes, plenty for short words.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

/// Builds [`FxHasher`]s, for maps keyed by words or [`short_key`]s.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut v = [0u8; 8];
            v.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(v)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u128(&mut self, v: u128) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.0 = (self.0.rotate_left(5) ^ (v as u64)).wrapping_mul(K);
        self.0 = (self.0.rotate_left(5) ^ ((v >> 64) as u64)).wrapping_mul(K);
    }

    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Where a word's two forms sit in [`WordCache::arena`]: `exact` bytes from `start`, then
/// `folded` bytes. Map entries stay small and the forms of frequent words share cache lines.
#[derive(Clone, Copy)]
struct Forms {
    start: u32,
    exact: u16,
    folded: u16,
}

type WordMap = HashMap<Box<str>, Forms, BuildHasherDefault<FxHasher>>;
/// Words of at most 16 bytes (every Vietnamese syllable) keyed by their bytes as one integer:
/// hashing and comparing a `u128` beats hashing and `memcmp`-ing a string.
type ShortWordMap = HashMap<u128, Forms, BuildHasherDefault<FxHasher>>;

/// The bytes of a word of at most 16 bytes as one little-endian integer, zero-padded (words
/// never contain NUL). Built from two overlapping 8-byte reads, not a copy into a buffer: a
/// variable-length copy followed by a 16-byte load stalls on store forwarding.
pub fn short_key(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    let n = b.len();
    if n > 16 {
        return None;
    }
    if n < 8 {
        let low = b
            .iter()
            .rev()
            .fold(0u64, |acc, &byte| (acc << 8) | u64::from(byte));
        return Some(u128::from(low));
    }
    let low = u64::from_le_bytes(b[..8].try_into().ok()?);
    // Bytes n-8..n, shifted so that only bytes 8..n remain.
    let tail = u64::from_le_bytes(b[n - 8..].try_into().ok()?);
    let high = tail.checked_shr(8 * (16 - n) as u32).unwrap_or(0);
    Some(u128::from(low) | (u128::from(high) << 64))
}

/// Words seen before, with their exact and folded forms. Vietnamese has a few thousand distinct
/// syllables, so almost every word of a text is a hit after the first documents. Each tantivy
/// tokenizer instance owns one (tantivy clones tokenizers per field and indexing thread).
#[derive(Default)]
pub(crate) struct WordCache {
    short: ShortWordMap,
    long: WordMap,
    /// The forms of every cached word, back to back.
    arena: String,
    scratch: Vec<char>,
}

/// Entries kept before the cache starts over (bounds memory on text full of unique tokens).
const WORD_CACHE_LIMIT: usize = 200_000;
/// Arena bytes kept before the cache starts over.
const WORD_ARENA_LIMIT: usize = 16 << 20;

impl WordCache {
    /// Both index forms of one word (cleared first): exact (lowercase, canonical tones, i/y)
    /// and folded.
    pub(crate) fn forms(&mut self, word: &str, exact: &mut String, folded: &mut String) {
        if word.is_ascii() {
            normalise_word(word, exact, &mut self.scratch);
            folded.clear();
            folded.push_str(exact);
            return;
        }
        exact.clear();
        folded.clear();
        let key = short_key(word);
        let hit = match key {
            Some(k) => self.short.get(&k),
            None => self.long.get(word),
        };
        if let Some(&f) = hit {
            let start = f.start as usize;
            let middle = start + usize::from(f.exact);
            exact.push_str(&self.arena[start..middle]);
            folded.push_str(&self.arena[middle..middle + usize::from(f.folded)]);
            return;
        }
        normalise_word(word, exact, &mut self.scratch);
        exact.chars().for_each(|c| push_folded(c, folded));
        let (Ok(exact_len), Ok(folded_len)) =
            (u16::try_from(exact.len()), u16::try_from(folded.len()))
        else {
            return;
        };
        if self.short.len() + self.long.len() >= WORD_CACHE_LIMIT
            || self.arena.len() >= WORD_ARENA_LIMIT
        {
            self.short.clear();
            self.long.clear();
            self.arena.clear();
        }
        let Ok(start) = u32::try_from(self.arena.len()) else {
            return;
        };
        self.arena.push_str(exact);
        self.arena.push_str(folded);
        let forms = Forms {
            start,
            exact: exact_len,
            folded: folded_len,
        };
        match key {
            Some(k) => {
                self.short.insert(k, forms);
            }
            None => {
                self.long.insert(word.into(), forms);
            }
        }
    }
}

/// Writes the exact index form of one word into `out` (cleared first): lowercase, NFC, canonical
/// tones, i/y. `word` may be NFD, mixed case, or contain invisible characters. `scratch` is reused
/// between calls to avoid an allocation per word. (The folded form is this, folded: see
/// [`WordCache::forms`].)
fn normalise_word(word: &str, out: &mut String, scratch: &mut Vec<char>) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        // Only the lone-y spelling (`ky` → `ki`) can change a plain ASCII syllable.
        if out.len() >= 2 && out.len() <= MAX_SYLLABLE && out.ends_with('y') {
            scratch.clear();
            scratch.extend(out.chars());
            if canonicalise(scratch, Spelling::TonesAndIy) {
                out.clear();
                out.extend(scratch.iter());
            }
        }
        return;
    }
    scratch.clear();
    let mut combining = false;
    for c in word.chars() {
        if is_ignorable(c) {
            continue;
        }
        combining |= is_combining_mark(c);
        match c {
            'ð' | 'Ð' | 'Đ' => scratch.push('đ'),
            c if c.is_ascii() => scratch.push(c.to_ascii_lowercase()),
            c => scratch.extend(c.to_lowercase()),
        }
    }
    if combining {
        let composed: Vec<char> = scratch.iter().copied().nfc().collect();
        *scratch = composed;
    }
    if scratch.len() <= MAX_SYLLABLE {
        canonicalise(scratch, Spelling::TonesAndIy);
    }
    out.extend(scratch.iter());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_diacritics_is_told_from_accented_text() {
        assert!(written_without_marks(
            "cong nhan cong ty may o Binh Duong ngung viec vi bi no luong"
        ));
        assert!(!written_without_marks(
            "Công nhân công ty may ở Bình Dương ngừng việc vì bị nợ lương"
        ));
        // Decomposed marks count as marks.
        assert!(!written_without_marks(
            "Co\u{302}ng nha\u{302}n ngu\u{31b}\u{300}ng vie\u{323}\u{302}c vi\u{300} no\u{31b}\u{323}"
        ));
        assert!(!written_without_marks("cong doan"), "too short to tell");
        // One accented word among many plain ones is still plain.
        assert!(written_without_marks(
            "hom nay cong ty thong bao tang ca den 9h toi, Đồng Nai nong qua troi"
        ));
        // A title and its body are read as one text: neither alone has enough words.
        assert!(written_without_marks_in(&[
            "cong nhan",
            "ngung viec het roi"
        ]));
        assert!(!written_without_marks_in(&[
            "cong nhan",
            "ngừng việc hết rồi"
        ]));
    }

    #[test]
    fn short_keys_are_the_zero_padded_bytes() {
        for word in [
            "đ",
            "công",
            "người",
            "nghiêng",
            "khuyếch",
            "abcdefgh",
            "ngường1234567",
            "x".repeat(16).as_str(),
        ] {
            let mut padded = [0u8; 16];
            padded[..word.len()].copy_from_slice(word.as_bytes());
            assert_eq!(short_key(word), Some(u128::from_le_bytes(padded)), "{word}");
        }
        assert_eq!(short_key(&"x".repeat(17)), None);
    }

    #[test]
    fn clean_nfc_eth_zero_width() {
        let nfd: String = "Người lao động".nfd().collect();
        assert_eq!(clean(&nfd), "Người lao động");
        assert_eq!(clean("\u{F0}oàn \u{D0}ồng"), "đoàn Đồng");
        assert_eq!(clean("công\u{200B}\u{FEFF} đoàn"), "công đoàn");
        assert!(matches!(clean("Công đoàn"), Cow::Borrowed(_)));
    }

    #[test]
    fn tone_placement_both_ways_and_unchanged_syllables() {
        for (new, old) in [
            ("hoà", "hòa"),
            ("thuý", "thúy"),
            ("khoẻ", "khỏe"),
            ("uỷ", "ủy"),
            ("tuỳ", "tùy"),
        ] {
            assert_eq!(normalize(new), old, "{new} becomes the canonical {old}");
            assert_eq!(normalize(old), old, "{old} stays");
        }
        for s in ["hoàn", "thuyết", "quý", "kỳ", "lý"] {
            assert_eq!(normalize(s), s);
        }
    }

    #[test]
    fn normalize_keeps_case_and_moves_tones() {
        assert_eq!(normalize("Hoà Bình"), "Hòa Bình");
        assert_eq!(normalize("UỶ BAN"), "ỦY BAN");
        assert_eq!(normalize("tuỳ thuộc khoẻ mạnh"), "tùy thuộc khỏe mạnh");
        assert_eq!(
            normalize("hoàn thành, thuyết phục"),
            "hoàn thành, thuyết phục"
        );
    }

    #[test]
    fn normalize_is_idempotent_with_stray_combining_marks() {
        // Found by proptest: "ưù" + a second grave accent.
        let once = normalize("ưù\u{300}");
        assert_eq!(normalize(&once), once);
    }

    #[test]
    fn fold_strips_everything() {
        assert_eq!(fold("Công đoàn Việt Nam"), "Cong doan Viet Nam");
        assert_eq!(fold("Đặng Thị Ánh"), "Dang Thi Anh");
        assert_eq!(fold("café Hélène"), "cafe Helene");
    }

    #[test]
    fn marks() {
        assert!(has_marks("đoàn"));
        assert!(has_marks("đi"));
        assert!(!has_marks("doan"));
        assert!(!has_marks("2026"));
    }

    #[test]
    fn word_forms() {
        let mut cache = WordCache::default();
        let (mut exact, mut folded) = (String::new(), String::new());
        let mut forms = |word: &str| {
            cache.forms(word, &mut exact, &mut folded);
            (exact.clone(), folded.clone())
        };
        assert_eq!(forms("Hoà"), ("hòa".into(), "hoa".into()));
        let nfd: String = "ĐOÀN".nfd().collect();
        assert_eq!(forms(&nfd), ("đoàn".into(), "doan".into()));
        assert_eq!(forms("KỲ"), ("kì".into(), "ki".into()));
        assert_eq!(forms("Ky"), ("ki".into(), "ki".into()));
        // A second lookup comes from the cache and agrees.
        assert_eq!(forms("Hoà"), ("hòa".into(), "hoa".into()));
    }
}
