//! Normalisation of whole texts and single words.
//!
//! Two stages, kept apart as charabia does:
//! - [`clean`] is lossless for a reader: NFC, `ð`→`đ`, invisible characters removed. Use it on
//!   every stored title and body after legacy-encoding repair ([`crate::repair`]).
//! - [`normalize`] also moves tone marks to the canonical vowel (`hoà` → `hòa`) and writes a lone
//!   `y` after a consonant as `i` (`kỳ` → `kì`), keeping case. Use it where two spellings
//!   must compare equal.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

use crate::letters::{fold_char, is_vietnamese_marked, is_zero_width};
use crate::syllable::{MAX_SYLLABLE, canonicalise};

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

/// [`clean`] plus canonical tone placement and i/y spelling, word by word, keeping case.
///
/// ```
/// use langnghe_vi::normalize;
/// assert_eq!(normalize("Hoà bình, thuý, KHOẺ"), normalize("Hòa bình, thúy, KHỎE"));
/// assert_eq!(normalize("hoàn thuyết quý"), "hoàn thuyết quí");
/// ```
pub fn normalize(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len());
    let mut word: Vec<char> = Vec::with_capacity(MAX_SYLLABLE);
    let mut upper: Vec<bool> = Vec::with_capacity(MAX_SYLLABLE);
    let flush = |word: &mut Vec<char>, upper: &mut Vec<bool>, out: &mut String| {
        if word.len() <= MAX_SYLLABLE {
            canonicalise(word);
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
        if c.is_alphanumeric() {
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
    clean(text)
        .chars()
        .map(fold_char)
        .flat_map(|c| {
            // Letters of other languages (é in a French name) lose their marks too.
            let mut buf = [c; 1];
            if !c.is_ascii() && fold_char(c) == c {
                let mut base = None;
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if base.is_none() {
                        base = Some(d);
                    }
                });
                buf[0] = base.unwrap_or(c);
            }
            buf
        })
        .filter(|c| !is_combining_mark(*c))
        .collect()
}

/// True if the word carries any Vietnamese vowel mark, tone mark or `đ`: such a query word
/// must match exactly, while a word without marks matches every accented form.
pub fn has_marks(word: &str) -> bool {
    clean(word).chars().any(is_vietnamese_marked)
}

/// Writes the canonical lowercase form of one word into `out` (cleared first); with `folded`,
/// without diacritics. `word` may be NFD, mixed case, or contain invisible characters.
pub(crate) fn normalise_word(word: &str, folded: bool, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        // Only the lone-y spelling (`ky` → `ki`) can change a plain ASCII syllable.
        if out.len() >= 2 && out.len() <= MAX_SYLLABLE && out.ends_with('y') {
            let mut chars: Vec<char> = out.chars().collect();
            if canonicalise(&mut chars) {
                out.clear();
                out.extend(chars);
            }
        }
        return;
    }
    let mut chars: Vec<char> = Vec::with_capacity(word.len());
    let mut combining = false;
    for c in word.chars() {
        if is_ignorable(c) {
            continue;
        }
        combining |= is_combining_mark(c);
        match c {
            'ð' | 'Ð' | 'Đ' => chars.push('đ'),
            c if c.is_ascii() => chars.push(c.to_ascii_lowercase()),
            c => chars.extend(c.to_lowercase()),
        }
    }
    if combining {
        chars = chars.into_iter().nfc().collect();
    }
    if chars.len() <= MAX_SYLLABLE {
        canonicalise(&mut chars);
    }
    if folded {
        let s: String = chars.into_iter().collect();
        out.push_str(&fold(&s));
    } else {
        out.extend(chars);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_nfc_eth_zero_width() {
        let nfd: String = "Người lao động".nfd().collect();
        assert_eq!(clean(&nfd), "Người lao động");
        assert_eq!(clean("\u{F0}oàn \u{D0}ồng"), "đoàn Đồng");
        assert_eq!(clean("công\u{200B}\u{FEFF} đoàn"), "công đoàn");
        assert!(matches!(clean("Công đoàn"), Cow::Borrowed(_)));
    }

    #[test]
    fn normalize_keeps_case_and_moves_tones() {
        assert_eq!(normalize("Hoà Bình"), "Hòa Bình");
        assert_eq!(normalize("UỶ BAN"), "ỦY BAN");
        assert_eq!(normalize("tuỳ thuộc khoẻ mạnh"), "tùy thuộc khỏe mạnh");
        assert_eq!(normalize("hoàn thành, thuyết phục"), "hoàn thành, thuyết phục");
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
        let mut out = String::new();
        normalise_word("Hoà", false, &mut out);
        assert_eq!(out, "hòa");
        normalise_word("Hoà", true, &mut out);
        assert_eq!(out, "hoa");
        let nfd: String = "ĐOÀN".nfd().collect();
        normalise_word(&nfd, false, &mut out);
        assert_eq!(out, "đoàn");
        normalise_word("KỲ", true, &mut out);
        assert_eq!(out, "ki");
        normalise_word("Ky", false, &mut out);
        assert_eq!(out, "ki");
    }
}
