//! Is this text Vietnamese?
//!
//! whatlang is reliable on Vietnamese written with diacritics, but social text often has none
//! ("tang luong toi thieu" comes out Javanese). The fallback uses the language's own
//! orthography: Vietnamese is written in syllables from a closed set (onset + rhyme + tone), so
//! nearly every word of a Vietnamese text is a valid syllable, while English, Indonesian or
//! French text has many words that cannot be ("and", "with", "strike").

use std::collections::HashSet;
use std::sync::OnceLock;

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

/// Common English words. Those that are also well-formed Vietnamese syllables without
/// diacritics ("the", "long", "men") prove nothing either way; a text whose syllables are all
/// among them ("go to the bank") is not counted as Vietnamese.
const ENGLISH_COMMON: &[&str] = &[
    "a", "i", "an", "the", "to", "in", "on", "at", "it", "be", "by", "he", "me", "my", "so", "no",
    "do", "go", "up", "we", "us", "if", "or", "as", "can", "man", "men", "long", "than", "then",
    "them", "thin", "him", "hot", "hat", "lot", "let", "get", "got", "set", "sit", "ten", "tell",
    "bank", "new", "bad", "big", "bit", "but", "cat", "hit", "map", "top", "tip", "tim", "tom",
    "ban", "sun", "run", "fun", "gun", "cut", "nut", "put", "sang", "sing", "song", "king", "ring",
    "thing", "bring", "along", "among", "hang", "bang", "gang", "met", "net", "pet", "yet", "vet",
    "bet", "lip", "tap", "cap", "nap", "mop", "pop", "cop", "hop", "dim", "rim", "tan", "van",
    "pan", "ran", "dam", "ham", "jam", "ram", "am", "em", "hem", "den", "hen", "pen", "when",
    "chin", "shin", "much", "such", "each", "rich", "which", "teach", "reach", "beach", "tech",
    "ok", "who", "how", "now", "may", "say", "day", "way", "pay", "buy", "guy", "boy", "toy",
    "she", "tea", "sea", "see", "bee", "tree", "free", "three", "key", "hey", "they", "boat",
    "coat", "goat", "moon", "soon", "noon", "room", "boom", "zoom", "good", "food", "mood", "book",
    "look", "cook", "took", "hook", "nook", "chat", "that",
];

/// Abbreviations and teencode that Vietnamese social text is full of but that are not
/// syllables: `ko` (không), `dc`/`đc` (được), `vl`, `ntn` (như thế nào), `cty` (công ty),
/// `BHXH`, `KCN`, `NLĐ`.
const SOCIAL_WORDS: &[&str] = &[
    "ko", "k", "kh", "hok", "hem", "j", "r", "dc", "đc", "cty", "bít", "vs", "ng", "nc", "mn",
    "mk", "mik", "bn", "ck", "vk", "ak", "ah", "uh", "ukm", "um", "nhe", "nhé", "z", "v", "bh",
    "bjo", "h", "ntn", "vl", "vcl", "vkl", "cc", "dm", "đm", "dmm", "clgt", "cmt", "ae", "ad",
    "kk", "kkk", "hihi", "hehe", "hic", "huhu", "ahihi", "haizz", "oy", "thui", "sr", "e", "c",
    "t", "m", "b", "p", "dk", "đk", "vd", "cx", "cg", "ms", "ns", "nt", "trc", "sdt", "tp", "hcm",
    "tphcm", "vn", "bhxh", "bhyt", "bhtn", "kcn", "nlđ", "nld", "cnlđ", "cnld", "cnvclđ", "lđlđ",
    "ldld", "đvcđ", "ubnd", "hđnd", "đbqh", "sp", "oke", "okela", "thik", "dag", "iu", "ms", "bik",
    "bit",
];

/// Loanwords that appear in Vietnamese and English text alike: they are left out of the count.
const LOANWORDS: &[&str] = &[
    "fan",
    "idol",
    "link",
    "game",
    "video",
    "clip",
    "page",
    "share",
    "like",
    "post",
    "camera",
    "pro",
    "real",
    "iphone",
    "samsung",
    "facebook",
    "fb",
    "youtube",
    "tiktok",
    "live",
    "stream",
    "online",
    "wow",
    "lol",
    "haha",
    "comment",
    "selfie",
    "style",
    "show",
    "team",
    "check",
    "tag",
    "inbox",
    "admin",
    "sale",
    "vip",
    "cute",
    "ok",
    "okay",
    "hot",
    "top",
    "shop",
    "ship",
    "mv",
    "kpop",
    "app",
    "web",
    "email",
    "covid",
    "taxi",
    "internet",
    "smartphone",
    "zalo",
    "wifi",
];

/// The three word lists as hash sets, built once.
fn lists() -> &'static [HashSet<&'static str>; 3] {
    static LISTS: OnceLock<[HashSet<&'static str>; 3]> = OnceLock::new();
    LISTS.get_or_init(|| {
        [
            ENGLISH_COMMON.iter().copied().collect(),
            SOCIAL_WORDS.iter().copied().collect(),
            LOANWORDS.iter().copied().collect(),
        ]
    })
}

/// The word with a run of one repeated letter at its end shortened to one: social text
/// stretches words (`yeuuu`, `toii`, `saooo`).
fn unstretched(word: &str) -> Option<String> {
    let last = word.chars().next_back()?;
    let stretched = word.chars().rev().take_while(|&c| c == last).count();
    (stretched >= 2).then(|| {
        let keep = word.chars().count() - stretched + 1;
        word.chars().take(keep).collect()
    })
}

/// Runs the check and returns what it saw. See [`is_vietnamese`].
pub fn check_language(text: &str) -> LangCheck {
    let text = clean(text);
    let [english_common, social_words, loanwords] = lists();
    let mut words = 0usize;
    let mut syllables = 0usize;
    let mut marked = 0usize;
    let mut not_english = 0usize;
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        // Numbers and codes (`2026`, `95k`, `4tr8`) say nothing about the language.
        if word.is_empty() || word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let lower = word.to_lowercase();
        if loanwords.contains(lower.as_str()) {
            continue;
        }
        words += 1;
        let is_marked = word.chars().any(is_vietnamese_marked);
        if is_marked {
            marked += 1;
        }
        let vietnamese = social_words.contains(lower.as_str())
            || is_syllable(&lower)
            || unstretched(&lower)
                .is_some_and(|w| is_syllable(&w) || social_words.contains(w.as_str()));
        if vietnamese {
            syllables += 1;
            if is_marked || !english_common.contains(lower.as_str()) {
                not_english += 1;
            }
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
    let distinct_share = not_english as f64 / n;
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
        // Text without diacritics: judge by orthography. Nearly every word must be a syllable,
        // and some must be syllables English does not have.
        _ => syllable_share >= 0.7 && distinct_share >= 0.3,
    };
    LangCheck {
        words,
        syllable_share,
        marked_share,
        whatlang,
        vietnamese,
    }
}

/// Characters of text the language check reads: enough to decide, cheap on long bodies.
const LANGUAGE_SAMPLE_CHARS: usize = 600;

/// The language of a document whose text comes in parts (title, body…), read from their first
/// few hundred characters: `vi` for Vietnamese (with or without diacritics), `en` for English,
/// whatlang's ISO 639-3 code for other languages, `und` when there is nothing to tell.
///
/// ```
/// assert_eq!(langnghe_vi::language_code(&["Đình công", "Công nhân ngừng việc đòi tăng lương."]), "vi");
/// assert_eq!(langnghe_vi::language_code(&["Strike", "Workers walked out over unpaid wages at the factory."]), "en");
/// ```
pub fn language_code(parts: &[&str]) -> String {
    let mut sample = String::with_capacity(LANGUAGE_SAMPLE_CHARS * 2);
    for part in parts {
        let room = LANGUAGE_SAMPLE_CHARS.saturating_sub(sample.chars().count());
        if room == 0 {
            break;
        }
        sample.extend(part.chars().take(room));
        sample.push(' ');
    }
    if written_vietnamese(&sample) {
        return "vi".into();
    }
    let check = check_language(&sample);
    if check.vietnamese {
        return "vi".into();
    }
    match check.whatlang {
        Some((Lang::Eng, _)) => "en".into(),
        Some((lang, _)) => lang.code().to_string(),
        None => "und".into(),
    }
}

/// Letters no other language written in Latin script uses: `ă đ ơ ư` and the precomposed
/// vowels of the Vietnamese block (U+1EA0–U+1EF9: `ạ ả ấ … ỹ`). `â ê ô à é ã õ` are shared with
/// French or Portuguese and do not count.
fn vietnamese_only(c: char) -> bool {
    matches!(
        c,
        'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | '\u{1EA0}'..='\u{1EF9}'
    )
}

/// Words a text needs before its letters alone may decide.
const LETTERS_DECIDE_WORDS: usize = 8;

/// A quick decision for text written with diacritics (news, most documents): at least
/// [`LETTERS_DECIDE_WORDS`] words, a third of them with a letter only Vietnamese uses. English
/// text naming Vietnamese people or places stays far below that; text that is not decided here
/// goes through the full [`check_language`].
fn written_vietnamese(text: &str) -> bool {
    let (mut words, mut vietnamese) = (0usize, 0usize);
    let mut in_word = false;
    let mut counted = false;
    for c in text.chars() {
        // Vietnamese letters by table before the general Unicode lookup.
        if c.is_ascii_alphabetic()
            || is_vietnamese_marked(c)
            || (!c.is_ascii() && c.is_alphabetic())
        {
            if !in_word {
                words += 1;
                in_word = true;
                counted = false;
            }
            if !counted && vietnamese_only(c) {
                vietnamese += 1;
                counted = true;
            }
        } else {
            in_word = false;
        }
    }
    words >= LETTERS_DECIDE_WORDS && vietnamese * 3 >= words
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
    fn letters_decide_only_on_enough_vietnamese_words() {
        assert!(written_vietnamese(
            "Người lao động được tăng lương tối thiểu vùng từ năm sau"
        ));
        // Shared letters (French) and a Vietnamese name in English do not decide.
        assert!(!written_vietnamese(
            "À côté de la fenêtre, le château était très élégant et âgé"
        ));
        assert!(!written_vietnamese(
            "Workers at the Nguyễn Văn Linh factory in Đồng Nai went on strike over pay"
        ));
        assert!(!written_vietnamese("Được rồi"));
        assert_eq!(
            language_code(&["Hội nghị", "Người lao động được tăng lương tối thiểu vùng"]),
            "vi"
        );
    }

    #[test]
    fn with_and_without_diacritics() {
        assert!(is_vietnamese(
            "Người lao động được tăng lương tối thiểu vùng"
        ));
        assert!(is_vietnamese(
            "nguoi lao dong duoc tang luong toi thieu vung"
        ));
        assert!(is_vietnamese("cty no luong cong nhan ko tra"));
        assert!(is_vietnamese("Co yeuuu cua tao gat qua :))"));
        assert!(is_vietnamese("Xin link video di ban"));
        assert!(is_vietnamese("Song cham lai la an toan a"));
    }

    #[test]
    fn not_vietnamese() {
        assert!(!is_vietnamese(
            "The union said the company owes workers three months of pay"
        ));
        assert!(!is_vietnamese("the long men"));
        assert!(!is_vietnamese("Go to the bank then"));
        assert!(!is_vietnamese(
            "Serikat pekerja menuntut kenaikan upah minimum"
        ));
        assert!(!is_vietnamese(""));
        assert!(!is_vietnamese("2026 12345"));
    }
}
