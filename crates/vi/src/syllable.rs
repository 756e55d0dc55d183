//! Vietnamese syllable structure: onset + vowel nucleus + coda + one tone.
//!
//! Vietnamese orthography is a closed set, so a syllable can be checked and its tone mark
//! moved to one canonical vowel without a dictionary: `hoà` and `hòa` are the same syllable
//! written in the new and old tone-placement styles.

use crate::letters::{Tone, fold_char, split_tone, with_tone};

/// Longest first, so `ngh` wins over `ng` and `n`.
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Every vowel nucleus of standard Vietnamese, without tone, with vowel marks, as written after
/// the onset (the `u` of `qu` and the `i` of `gi` belong to the onset).
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", // single vowels
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi",
    "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "ưa", "ưi", "ươ", "ưu", "uy", "ya", "yê",
    "iêu", "oai", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu", "yêu", "ôô",
    "oao",
];

/// The parts of one lowercase syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    /// Number of chars in the onset.
    pub onset: usize,
    /// Number of chars in the vowel nucleus (at least 1).
    pub nucleus: usize,
    /// Number of chars in the coda.
    pub coda: usize,
    /// The tone and the index (in chars) of the vowel that carries it, if any.
    pub tone: Option<(Tone, usize)>,
}

/// Longest syllable we try to parse (`nghiêng` is 7); longer tokens are not syllables.
pub(crate) const MAX_SYLLABLE: usize = 8;

fn starts_with_chars(chars: &[char], prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(n, p)| chars.get(n) == Some(&p))
}

fn eq_chars(chars: &[char], s: &str) -> bool {
    starts_with_chars(chars, s) && s.chars().count() == chars.len()
}

/// A nucleus as written matches a standard one if every vowel is the same letter or its plain
/// form: text without diacritics (`nguoi`) is as valid as `người`.
fn nucleus_matches(written: &[char], standard: &str) -> bool {
    let mut n = 0;
    for e in standard.chars() {
        match written.get(n) {
            Some(&c) if c == e || (c.is_ascii() && fold_char(e) == c) => n += 1,
            _ => return false,
        }
    }
    n == written.len()
}

/// Parses a lowercase syllable (chars already NFC, `đ` as U+0111). `bases` receives the
/// characters with tone removed. Returns `None` when the token is not a Vietnamese syllable.
pub(crate) fn parse(chars: &[char], bases: &mut [char; MAX_SYLLABLE]) -> Option<Parts> {
    if chars.is_empty() || chars.len() > MAX_SYLLABLE {
        return None;
    }
    let mut tone = None;
    for (i, &c) in chars.iter().enumerate() {
        match split_tone(c) {
            Some((base, t)) => {
                bases[i] = base;
                if t != Tone::Level {
                    if tone.is_some() {
                        return None; // two tone marks
                    }
                    tone = Some((t, i));
                }
            }
            None => bases[i] = c,
        }
    }
    let bases = &bases[..chars.len()];
    let mut onset = ONSETS
        .iter()
        .find(|o| starts_with_chars(bases, o))
        .map_or(0, |o| o.chars().count());
    // `gi` and `qu` are onsets only when a vowel follows: `gì` is g + i, `gia` is gi + a.
    if onset == 2 && (bases[0] == 'g' || bases[0] == 'q') {
        let next_is_vowel = bases.get(2).is_some_and(|&c| split_tone(c).is_some());
        if !next_is_vowel {
            if bases[0] == 'q' {
                return None; // `q` never stands alone
            }
            onset = 1;
        }
    }
    let rest = &bases[onset..];
    let nucleus = rest
        .iter()
        .take_while(|&&c| split_tone(c).is_some())
        .count();
    if nucleus == 0 {
        return None;
    }
    let coda_chars = &rest[nucleus..];
    if !CODAS.iter().any(|c| eq_chars(coda_chars, c)) {
        return None;
    }
    if !NUCLEI.iter().any(|n| nucleus_matches(&rest[..nucleus], n)) {
        return None;
    }
    if let Some((t, _)) = tone {
        // Syllables closed by a stop take only sắc or nặng: `việc`, `mất`, never `việc̀`.
        let stop = matches!(coda_chars, ['c'] | ['c', 'h'] | ['p'] | ['t']);
        if stop && !matches!(t, Tone::Acute | Tone::Dot) {
            return None;
        }
    }
    Some(Parts {
        onset,
        nucleus,
        coda: coda_chars.len(),
        tone,
    })
}

fn is_marked_vowel(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

/// The index (in chars) of the vowel that carries the tone in the canonical style.
///
/// The canonical style is the older, more common one in the national press: `hòa`, `thúy`,
/// `khỏe` (tone on the first vowel of an open `oa`/`oe`/`uy`). Closed syllables (`hoàn`,
/// `thuyết`) and syllables with a marked vowel (`người`, `muốn`) are written the same way
/// in both styles.
fn canonical_tone_index(bases: &[char], p: &Parts) -> usize {
    let start = p.onset;
    let nucleus = &bases[start..start + p.nucleus];
    if let Some(i) = nucleus.iter().rposition(|&c| is_marked_vowel(c)) {
        return start + i;
    }
    if p.coda > 0 {
        return start + p.nucleus - 1;
    }
    match p.nucleus {
        1 | 2 => start,
        _ => start + 1,
    }
}

/// How far [`canonicalise`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// Tone on the canonical vowel only (`hoà` → `hòa`; `quý` stays).
    Tones,
    /// Also a lone `y` after a consonant written `i` (`kỳ` → `kì`, `lý` → `lí`, `quý` → `quí`),
    /// so both spellings search alike: index terms only.
    TonesAndIy,
}

/// Rewrites a lowercase syllable in place into canonical form (see [`Spelling`]).
/// Tokens that are not syllables are left alone. Returns true if `chars` changed.
pub(crate) fn canonicalise(chars: &mut [char], spelling: Spelling) -> bool {
    let mut bases = ['\0'; MAX_SYLLABLE];
    let Some(parts) = parse(chars, &mut bases) else {
        return false;
    };
    let mut changed = false;
    let mut bases_now = bases;
    if spelling == Spelling::TonesAndIy
        && parts.onset > 0
        && parts.nucleus == 1
        && parts.coda == 0
        && bases[parts.onset] == 'y'
    {
        bases_now[parts.onset] = 'i';
        changed = true;
    }
    if let Some((tone, at)) = parts.tone {
        let want = canonical_tone_index(&bases, &parts);
        if want != at {
            changed = true;
        }
        if changed {
            for (i, c) in chars.iter_mut().enumerate() {
                let base = bases_now[i];
                *c = if i == want {
                    with_tone(base, tone).unwrap_or(base)
                } else {
                    base
                };
            }
        }
    } else if changed {
        chars.copy_from_slice(&bases_now[..chars.len()]);
    }
    changed
}

/// True if `word` (any case, NFC) is a well-formed Vietnamese syllable, with or without
/// diacritics: `nguoi`, `người`, `khuya` are; `the` is too (thể without marks), `with` is not.
pub fn is_syllable(word: &str) -> bool {
    let mut chars = ['\0'; MAX_SYLLABLE];
    let mut n = 0;
    for c in word.chars() {
        if n == MAX_SYLLABLE {
            return false;
        }
        let lower = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            match c {
                'Đ' | 'ð' | 'Ð' => 'đ',
                _ => c.to_lowercase().next().unwrap_or(c),
            }
        };
        chars[n] = lower;
        n += 1;
    }
    let mut bases = ['\0'; MAX_SYLLABLE];
    let Some(p) = parse(&chars[..n], &mut bases) else {
        return false;
    };
    onset_fits(&bases[..n], &p)
}

/// Spelling rules that tie the onset to the vowel: `k`, `gh`, `ngh` only before i/e/ê/y;
/// `c`, `g` (not `gi`), `ng` never before them; `q` only as `qu`.
fn onset_fits(bases: &[char], p: &Parts) -> bool {
    let first_vowel = bases[p.onset];
    let front = matches!(first_vowel, 'i' | 'e' | 'ê' | 'y');
    match &bases[..p.onset] {
        ['k'] | ['g', 'h'] | ['n', 'g', 'h'] => front,
        ['c'] | ['n', 'g'] => !front,
        ['g'] => !front || first_vowel == 'i',
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        let mut chars: Vec<char> = s.chars().collect();
        canonicalise(&mut chars, Spelling::TonesAndIy);
        chars.into_iter().collect()
    }

    #[test]
    fn both_tone_styles_meet() {
        for (new, old) in [
            ("hoà", "hòa"),
            ("thuý", "thúy"),
            ("khoẻ", "khỏe"),
            ("uỷ", "ủy"),
            ("tuỳ", "tùy"),
            ("oà", "òa"),
            ("hoả", "hỏa"),
        ] {
            assert_eq!(canon(new), canon(old), "{new} / {old}");
            assert_eq!(canon(new), old);
        }
    }

    #[test]
    fn unambiguous_syllables_stay() {
        for s in [
            "hoàn", "thuyết", "người", "muốn", "khuya", "hoài", "giá", "gì", "đoàn", "công",
            "nghiêng", "khuỷu", "ươn", "mía",
        ] {
            assert_eq!(canon(s), s);
        }
    }

    #[test]
    fn lone_y_after_consonant_becomes_i() {
        assert_eq!(canon("kỳ"), "kì");
        assert_eq!(canon("lý"), "lí");
        assert_eq!(canon("quý"), "quí");
        assert_eq!(canon("mỹ"), "mĩ");
        assert_eq!(canon("y"), "y");
        assert_eq!(canon("yêu"), "yêu");
        assert_eq!(canon("thúy"), "thúy");
    }

    #[test]
    fn syllable_validity() {
        for s in [
            "nguoi", "người", "Lao", "động", "khuya", "the", "an", "long", "men", "qua", "gi",
            "nghiêng", "ĐOÀN",
        ] {
            assert!(is_syllable(s), "{s}");
        }
        for s in [
            "with", "and", "of", "is", "ci", "ngi", "q", "xyz", "strike", "vièc",
        ] {
            assert!(!is_syllable(s), "{s}");
        }
    }
}
