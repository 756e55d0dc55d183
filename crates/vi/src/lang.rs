//! Is this text Vietnamese?
//!
//! whatlang is reliable on Vietnamese written with diacritics, but social text often has none
//! ("tang luong toi thieu" comes out Javanese). The fallback uses the language's own
//! orthography: Vietnamese is written in syllables from a closed set (onset + rhyme + tone), so
//! nearly every word of a Vietnamese text is a valid syllable, while English, Indonesian or
//! French text has many words that cannot be ("and", "with", "strike").

use whatlang::Lang;

use crate::letters::is_vietnamese_marked;
use crate::syllable::is_syllable;
use crate::text::clean;

/// What the language check saw, for callers that want to explain or tune a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct LangCheck {
    /// Words (runs of letters) in the text; numbers are not counted.
    pub words: usize,
    /// Share of words that are well-formed Vietnamese syllables.
    pub syllable_share: f64,
    /// Share of words carrying a Vietnamese vowel or tone mark, or `đ`.
    pub marked_share: f64,
    /// whatlang's answer on the normalised text, with its confidence; `None` when the
    /// orthography alone decided (text with diacritics) or whatlang had no answer.
    pub whatlang: Option<(Lang, f64)>,
    /// The decision.
    pub vietnamese: bool,
}

/// Words that are common in English and are also well-formed Vietnamese syllables without
/// diacritics. On their own they prove nothing, but a short text made mostly of them is
/// far more likely English.
const ENGLISH_LOOKALIKES: &[&str] = &[
    "the", "to", "in", "on", "at", "it", "be", "by", "he", "me", "my", "so", "no", "do", "go",
    "an", "a", "i", "can", "man", "men", "long", "than", "then", "them", "thin", "hot", "hat",
    "lot", "let", "get", "got", "set", "sit", "ten", "tell", "bank", "rich", "nam", "hi", "la",
    "up", "us", "new", "news", "bad", "big", "bit", "but", "cat", "dog", "hit", "map", "pet",
    "hop", "top", "tip", "tim", "tom", "ban", "phone", "home", "time", "come", "some", "more",
    "one", "once", "sure", "gone", "done", "none", "nine", "line", "mine", "fine", "name", "same",
    "game", "came", "made", "make", "take", "like", "mike", "bike", "hope", "note", "vote", "hate",
    "late", "date", "gate", "rate", "tech", "each", "much", "such",
];

/// Abbreviations and teencode that Vietnamese social text is full of but that are not
/// syllables: `ko` (không), `dc`/`đc` (được), `cty` (công ty), `BHXH`, `KCN`, `NLĐ`.
const SOCIAL_WORDS: &[&str] = &[
    "ko", "k", "kh", "hok", "j", "r", "dc", "đc", "cty", "bít", "vs", "ng", "nc", "mn", "mk", "bn",
    "ck", "vk", "ak", "ah", "uh", "nhe", "nhé", "z", "v", "bhxh", "bhyt", "bhtn", "kcn", "nlđ",
    "nld", "cnlđ", "cnld", "cnvclđ", "lđlđ", "ldld", "đvcđ", "tp", "hcm", "tphcm", "vn", "ubnd",
    "hđnd", "đbqh", "sp", "ship", "shop", "ok", "oke", "fb", "trc", "sdt",
];

/// Runs the check and returns what it saw. See [`is_vietnamese`].
pub fn check_language(text: &str) -> LangCheck {
    let text = clean(text);
    let mut words = 0usize;
    let mut syllables = 0usize;
    let mut marked = 0usize;
    let mut lookalikes = 0usize;
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        words += 1;
        let is_marked = word.chars().any(is_vietnamese_marked);
        let lower = word.to_lowercase();
        if SOCIAL_WORDS.contains(&lower.as_str()) {
            syllables += 1;
        } else if is_syllable(word) {
            syllables += 1;
            if !is_marked && word.len() <= 5 && ENGLISH_LOOKALIKES.contains(&lower.as_str()) {
                lookalikes += 1;
            }
        }
        if is_marked {
            marked += 1;
        }
    }
    if words == 0 {
        return LangCheck {
            words,
            syllable_share: 0.0,
            marked_share: 0.0,
            whatlang: None,
            vietnamese: false,
        };
    }
    let n = words as f64;
    let syllable_share = syllables as f64 / n;
    let marked_share = marked as f64 / n;
    let lookalike_share = lookalikes as f64 / n;
    // Text that is mostly well-formed syllables with Vietnamese marks needs no statistical model
    // (and skipping it keeps import fast).
    if marked_share >= 0.3 && syllable_share >= 0.8 {
        return LangCheck {
            words,
            syllable_share,
            marked_share,
            whatlang: None,
            vietnamese: true,
        };
    }
    let whatlang = whatlang::detect(&text).map(|info| (info.lang(), info.confidence()));
    let vietnamese = match whatlang {
        // whatlang is trustworthy on Vietnamese it recognises, as long as the words agree.
        Some((Lang::Vie, _)) => syllable_share >= 0.5,
        _ if marked_share >= 0.25 => syllable_share >= 0.6,
        // Text without diacritics: judge by orthography, stricter for short texts where a few
        // English lookalikes ("the long men") could pass.
        _ => {
            let needed = if words < 4 { 1.0 } else { 0.85 };
            syllable_share >= needed && lookalike_share < 0.35
        }
    };
    LangCheck {
        words,
        syllable_share,
        marked_share,
        whatlang,
        vietnamese,
    }
}

/// True if `text` is Vietnamese, with or without diacritics.
///
/// ```
/// use langnghe_vi::is_vietnamese;
/// assert!(is_vietnamese("Công nhân đình công đòi tăng lương"));
/// assert!(is_vietnamese("tang luong toi thieu vung tu nam sau"));
/// assert!(!is_vietnamese("Workers went on strike over unpaid wages"));
/// ```
pub fn is_vietnamese(text: &str) -> bool {
    check_language(text).vietnamese
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_and_without_diacritics() {
        assert!(is_vietnamese(
            "Người lao động được tăng lương tối thiểu vùng"
        ));
        assert!(is_vietnamese(
            "nguoi lao dong duoc tang luong toi thieu vung"
        ));
        assert!(is_vietnamese("cty no luong cong nhan ko tra"));
    }

    #[test]
    fn not_vietnamese() {
        assert!(!is_vietnamese(
            "The union said the company owes workers three months of pay"
        ));
        assert!(!is_vietnamese("the long men"));
        assert!(!is_vietnamese(
            "Serikat pekerja menuntut kenaikan upah minimum"
        ));
        assert!(!is_vietnamese(""));
        assert!(!is_vietnamese("2026 12345"));
    }
}
