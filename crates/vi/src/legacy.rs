//! Legacy Vietnamese encodings: TCVN3 (ABC), VNI-Windows and windows-1258.
//!
//! Older sites, Word documents and forwarded text still use them. They reach us in two shapes:
//! raw bytes with a wrong or missing charset ([`decode_bytes`]), or text already decoded as
//! Latin-1/cp1252 into mojibake such as `C«ng ®oµn` ([`repair`]). Both pick the reading whose
//! words are most often valid Vietnamese syllables, and keep the input when no reading is clearly
//! better, so French or English text is never "repaired".

use std::borrow::Cow;

use encoding_rs::{WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

use crate::letters::{Tone, fold_char, is_vietnamese_marked, split_tone};
use crate::syllable::is_syllable;

/// A legacy encoding this module can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN 5712:1993 VN3, the "ABC" fonts (`.VnTime`).
    Tcvn3,
    /// VNI-Windows: base letters followed by mark bytes (`VNI-Times`).
    Vni,
    /// Microsoft's windows-1258: base letters plus combining tone marks.
    Windows1258,
}

impl Legacy {
    /// Every legacy encoding, in the order detection tries them.
    pub const ALL: [Legacy; 3] = [Legacy::Tcvn3, Legacy::Vni, Legacy::Windows1258];

    /// A short lowercase name: `tcvn3`, `vni`, `windows-1258`.
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::Vni => "vni",
            Legacy::Windows1258 => "windows-1258",
        }
    }

    /// Decodes bytes in this encoding to NFC text. Never fails: unmapped bytes keep their
    /// cp1252 reading.
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Legacy::Tcvn3 => bytes.iter().map(|&b| tcvn3_char(b)).collect(),
            Legacy::Vni => decode_vni(bytes),
            Legacy::Windows1258 => {
                let (text, _, _) = WINDOWS_1258.decode(bytes);
                text.nfc().collect()
            }
        }
    }
}

impl Legacy {
    /// Encodes NFC text into this encoding (for tests and exports). Characters the encoding
    /// cannot represent become `?`. TCVN3 has no uppercase toned vowels: they are written
    /// with the lowercase code, as the `.VnTimeH` fonts did.
    pub fn encode(self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
                continue;
            }
            match self {
                Legacy::Tcvn3 => {
                    let lower = c.to_lowercase().next().unwrap_or(c);
                    let byte = (0xA1u8..=0xFF)
                        .find(|&b| TCVN3_HIGH[(b - 0xA1) as usize] == c)
                        .or_else(|| {
                            (0xA1u8..=0xFF).find(|&b| TCVN3_HIGH[(b - 0xA1) as usize] == lower)
                        });
                    out.push(byte.unwrap_or(b'?'));
                }
                Legacy::Vni => encode_vni_char(c, &mut out),
                Legacy::Windows1258 => {
                    // windows-1258 has the marked base letters (ơ, ư, ă, â, ê, ô, đ) but writes
                    // tones as combining marks after them.
                    let (base, tone) = split_tone(c).unwrap_or((c, Tone::Level));
                    let mut buf = [0u8; 4];
                    let mut push = |ch: char| {
                        let (bytes, _, bad) = WINDOWS_1258.encode(ch.encode_utf8(&mut buf));
                        if bad || bytes.len() != 1 {
                            out.push(b'?');
                        } else {
                            out.push(bytes[0]);
                        }
                    };
                    push(base);
                    let mark = match tone {
                        Tone::Level => None,
                        Tone::Grave => Some('\u{300}'),
                        Tone::Acute => Some('\u{301}'),
                        Tone::Hook => Some('\u{309}'),
                        Tone::Tilde => Some('\u{303}'),
                        Tone::Dot => Some('\u{323}'),
                    };
                    if let Some(m) = mark {
                        push(m);
                    }
                }
            }
        }
        out
    }
}

fn encode_vni_char(c: char, out: &mut Vec<u8>) {
    let (base, tone) = match c {
        'đ' => return out.push(0xF1),
        'Đ' => return out.push(0xD1),
        _ => match split_tone(c) {
            Some(parts) => parts,
            None => return out.push(b'?'),
        },
    };
    let upper = base.is_uppercase();
    let t = tone as usize; // 0 level, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng
    let lower_base = base.to_lowercase().next().unwrap_or(base);
    let case = |lo: u8, up: u8| if upper { up } else { lo };
    const TONE_LO: [u8; 6] = [0, 0xF8, 0xF9, 0xFB, 0xF5, 0xEF];
    const TONE_UP: [u8; 6] = [0, 0xD8, 0xD9, 0xDB, 0xD5, 0xCF];
    const CIRC_LO: [u8; 6] = [0xE2, 0xE0, 0xE1, 0xE5, 0xE3, 0xE4];
    const CIRC_UP: [u8; 6] = [0xC2, 0xC0, 0xC1, 0xC5, 0xC3, 0xC4];
    const BREVE_LO: [u8; 6] = [0xEA, 0xE8, 0xE9, 0xFA, 0xFC, 0xEB];
    const BREVE_UP: [u8; 6] = [0xCA, 0xC8, 0xC9, 0xDA, 0xDC, 0xCB];
    const I_LO: [u8; 6] = [b'i', 0xEC, 0xED, 0xE6, 0xF3, 0xF2];
    const I_UP: [u8; 6] = [b'I', 0xCC, 0xCD, 0xC6, 0xD3, 0xD2];
    let plain = |l: char| {
        if upper {
            l.to_ascii_uppercase() as u8
        } else {
            l as u8
        }
    };
    match lower_base {
        'i' => out.push(case(I_LO[t], I_UP[t])),
        'â' | 'ê' | 'ô' => {
            out.push(plain(fold_char(lower_base)));
            out.push(case(CIRC_LO[t], CIRC_UP[t]));
        }
        'ă' => {
            out.push(plain('a'));
            out.push(case(BREVE_LO[t], BREVE_UP[t]));
        }
        'ơ' | 'ư' => {
            out.push(if lower_base == 'ơ' {
                case(0xF4, 0xD4)
            } else {
                case(0xF6, 0xD6)
            });
            if t > 0 {
                out.push(case(TONE_LO[t], TONE_UP[t]));
            }
        }
        l => {
            out.push(plain(l));
            if t > 0 {
                out.push(case(TONE_LO[t], TONE_UP[t]));
            }
        }
    }
}

/// TCVN3 bytes 0xA1..=0xFF; `\0` marks a byte TCVN3 leaves to cp1252.
const TCVN3_HIGH: [char; 95] = [
    'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', '\0', // A1..AF
    '\0', '\0', '\0', '\0', '\0', 'à', 'ả', 'ã', 'á', 'ạ', '\0', 'ằ', 'ẳ', 'ẵ', 'ắ',
    '\0', // B0..BF
    '\0', '\0', '\0', '\0', '\0', '\0', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', '\0', 'ẻ',
    'ẽ', // C0..CF
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', '\0', '\0', '\0', 'ĩ', 'í', 'ị',
    'ò', // D0..DF
    '\0', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù', // E0..EF
    '\0', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ',
    '\0', // F0..FF
];

fn cp1252_char(b: u8) -> char {
    let bytes = [b];
    let (text, _, _) = WINDOWS_1252.decode(&bytes);
    text.chars().next().unwrap_or('\u{FFFD}')
}

fn tcvn3_char(b: u8) -> char {
    if b >= 0xA1 {
        let c = TCVN3_HIGH[(b - 0xA1) as usize];
        if c != '\0' {
            return c;
        }
    }
    if b < 0x80 { b as char } else { cp1252_char(b) }
}

/// VNI mark bytes → the combining marks they stand for (vowel mark first, then tone).
fn vni_marks(b: u8) -> Option<&'static str> {
    Some(match b {
        0xE2 | 0xC2 => "\u{302}",        // â: circumflex
        0xEA | 0xCA => "\u{306}",        // ê: breve
        0xF9 | 0xD9 => "\u{301}",        // ù: sắc
        0xF8 | 0xD8 => "\u{300}",        // ø: huyền
        0xFB | 0xDB => "\u{309}",        // û: hỏi
        0xF5 | 0xD5 => "\u{303}",        // õ: ngã
        0xEF | 0xCF => "\u{323}",        // ï: nặng
        0xE1 | 0xC1 => "\u{302}\u{301}", // á: ấ
        0xE0 | 0xC0 => "\u{302}\u{300}", // à: ầ
        0xE5 | 0xC5 => "\u{302}\u{309}", // å: ẩ
        0xE3 | 0xC3 => "\u{302}\u{303}", // ã: ẫ
        0xE4 | 0xC4 => "\u{302}\u{323}", // ä: ậ
        0xE9 | 0xC9 => "\u{306}\u{301}", // é: ắ
        0xE8 | 0xC8 => "\u{306}\u{300}", // è: ằ
        0xFA | 0xDA => "\u{306}\u{309}", // ú: ẳ
        0xFC | 0xDC => "\u{306}\u{303}", // ü: ẵ
        0xEB | 0xCB => "\u{306}\u{323}", // ë: ặ
        _ => return None,
    })
}

/// VNI bytes that are whole letters on their own.
fn vni_letter(b: u8) -> Option<char> {
    Some(match b {
        0xF1 => 'đ',
        0xD1 => 'Đ',
        0xF4 => 'ơ',
        0xD4 => 'Ơ',
        0xF6 => 'ư',
        0xD6 => 'Ư',
        0xED => 'í',
        0xCD => 'Í',
        0xEC => 'ì',
        0xCC => 'Ì',
        0xE6 => 'ỉ',
        0xC6 => 'Ỉ',
        0xF3 => 'ĩ',
        0xD3 => 'Ĩ',
        0xF2 => 'ị',
        0xD2 => 'Ị',
        _ => return None,
    })
}

fn decode_vni(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 4);
    let mut prev_vowel = false;
    for &b in bytes {
        // A mark byte only modifies a vowel just before it; elsewhere it is itself.
        if prev_vowel && let Some(marks) = vni_marks(b) {
            out.push_str(marks);
            continue;
        }
        let c = vni_letter(b).unwrap_or_else(|| if b < 0x80 { b as char } else { cp1252_char(b) });
        prev_vowel = matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
            || matches!(c, 'ơ' | 'Ơ' | 'ư' | 'Ư');
        out.push(c);
    }
    out.nfc().collect()
}

/// How Vietnamese a text looks: the share of its words that are valid syllables, weighted up
/// for words that carry Vietnamese marks. Used to compare readings of the same bytes.
fn vietnamese_score(text: &str) -> f64 {
    let mut words = 0usize;
    let mut score = 0.0;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        words += 1;
        if is_syllable(word) {
            score += if word.chars().any(is_vietnamese_marked) {
                1.0
            } else {
                0.6
            };
        }
    }
    if words == 0 {
        0.0
    } else {
        score / words as f64
    }
}

/// Bytes whose charset is unknown or wrong: valid UTF-8 is taken as such (and repaired if it is
/// mojibake); otherwise the legacy reading that looks most Vietnamese wins, with windows-1258
/// as the fallback. Returns the text and the encoding used (`None` for UTF-8).
pub fn decode_bytes(bytes: &[u8]) -> (String, Option<Legacy>) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return match repair(text) {
            (Cow::Borrowed(_), _) => (text.to_owned(), None),
            (Cow::Owned(fixed), enc) => (fixed, enc),
        };
    }
    let mut best = (Legacy::Windows1258.decode(bytes), Legacy::Windows1258);
    let mut best_score = vietnamese_score(&best.0);
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let text = enc.decode(bytes);
        let score = vietnamese_score(&text);
        if score > best_score + 0.05 {
            best_score = score;
            best = (text, enc);
        }
    }
    (best.0, Some(best.1))
}

/// Characters that betray TCVN3 or VNI bytes read as cp1252 / Latin-1.
fn looks_like_mojibake(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            c,
            '«' | '®'
                | 'µ'
                | '¸'
                | '¬'
                | '¨'
                | '©'
                | 'ª'
                | '§'
                | '¶'
                | '¹'
                | '¾'
                | 'Æ'
                | '\u{AD}'
                | 'ø'
                | 'ù'
                | 'û'
                | 'ï'
                | 'ñ'
                | 'ö'
                | 'õ'
                | 'â'
                | 'ê'
                | 'ô'
        )
    })
}

/// Re-encodes text as the single bytes cp1252 (or Latin-1 for C1 controls) would have read it
/// from; `None` if a character has no such byte. Zero-width characters (added by editors and
/// web pages, never part of the legacy bytes) are skipped; the soft hyphen is TCVN3's `ư`, kept.
fn to_single_bytes(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars().filter(|&c| !crate::letters::is_zero_width(c)) {
        let u = c as u32;
        if u < 0x80 || (0xA0..=0xFF).contains(&u) || (0x80..0xA0).contains(&u) {
            out.push(u as u8);
        } else {
            let mut buf = [0u8; 4];
            let (bytes, _, unmappable) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            if unmappable || bytes.len() != 1 {
                return None;
            }
            out.push(bytes[0]);
        }
    }
    Some(out)
}

/// Repairs text that is TCVN3 or VNI read as cp1252/Latin-1 (`C«ng ®oµn` → `Công đoàn`,
/// `Coâng ñoaøn` → `Công đoàn`). Text that is fine comes back borrowed with `None`.
///
/// ```
/// let (fixed, enc) = langnghe_vi::repair("C«ng ®oµn c¬ së");
/// assert_eq!(fixed, "Công đoàn cơ sở");
/// assert_eq!(enc, Some(langnghe_vi::Legacy::Tcvn3));
/// ```
pub fn repair(text: &str) -> (Cow<'_, str>, Option<Legacy>) {
    if text.is_ascii() || !looks_like_mojibake(text) {
        return (Cow::Borrowed(text), None);
    }
    let Some(bytes) = to_single_bytes(text) else {
        return (Cow::Borrowed(text), None);
    };
    let original = vietnamese_score(text);
    let mut best: Option<(String, Legacy, f64)> = None;
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let candidate = enc.decode(&bytes);
        let score = vietnamese_score(&candidate);
        // Demand a clear gain so that French "café", Spanish "año" or a stray "©" stay as they are.
        if score >= 0.5
            && score > original + 0.2
            && best.as_ref().is_none_or(|(_, _, s)| score > *s)
        {
            best = Some((candidate, enc, score));
        }
    }
    match best {
        Some((fixed, enc, _)) => (Cow::Owned(fixed), Some(enc)),
        None => (Cow::Borrowed(text), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_table_is_a_bijection_on_lowercase_letters() {
        let letters = "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵăâêôơưđ";
        for c in letters.chars() {
            let bytes = Legacy::Tcvn3.encode(&c.to_string());
            assert_eq!(Legacy::Tcvn3.decode(&bytes), c.to_string());
        }
    }

    #[test]
    fn documented_tcvn3_example() {
        let (fixed, enc) = repair("C«ng ®oµn ViÖt Nam vµ ng\u{AD}êi lao ®éng");
        assert_eq!(fixed, "Công đoàn Việt Nam và người lao động");
        assert_eq!(enc, Some(Legacy::Tcvn3));
    }

    #[test]
    fn zero_width_characters_do_not_block_repair() {
        let (fixed, enc) = repair("C«ng\u{200B} ®oµn\u{FEFF}");
        assert_eq!(fixed, "Công đoàn");
        assert_eq!(enc, Some(Legacy::Tcvn3));
    }

    #[test]
    fn documented_vni_example() {
        let (fixed, enc) = repair("Coâng ñoaøn Vieät Nam vaø ngöôøi lao ñoäng");
        assert_eq!(fixed, "Công đoàn Việt Nam và người lao động");
        assert_eq!(enc, Some(Legacy::Vni));
    }

    #[test]
    fn every_encoding_round_trips() {
        let text =
            "Ông Đặng Quốc Khánh: Công đoàn cơ sở phải bảo vệ quyền lợi người lao động, ủy ban";
        for enc in Legacy::ALL {
            assert_eq!(
                enc.decode(&enc.encode(text)).to_lowercase(),
                text.to_lowercase(),
                "{enc:?}"
            );
        }
    }

    #[test]
    fn windows_1258_bytes() {
        // "Công đoàn" in windows-1258: ô is 0xF4, đ 0xF0, à is a + combining grave 0xCC.
        let bytes = b"C\xF4ng \xF0oa\xCCn";
        let (text, enc) = decode_bytes(bytes);
        assert_eq!(text, "Công đoàn");
        assert_eq!(enc, Some(Legacy::Windows1258));
    }

    #[test]
    fn leaves_other_languages_alone() {
        for s in [
            "Le café de Hélène est très bon",
            "El año pasado © 2024",
            "Công đoàn Việt Nam",
            "Straße und Größe",
        ] {
            let (out, enc) = repair(s);
            assert_eq!(out, s);
            assert_eq!(enc, None);
        }
    }
}
