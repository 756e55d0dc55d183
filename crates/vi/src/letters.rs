//! The Vietnamese alphabet as data: every toned vowel split into its base letter and its tone.
//!
//! Vietnamese vowels carry up to two marks: a vowel mark that makes a different letter
//! (`a`/`ă`/`â`, `o`/`ô`/`ơ`, `u`/`ư`, `e`/`ê`) and one of five tone marks. Everything in this
//! crate that moves or drops tone marks goes through [`split_tone`] and [`with_tone`].

/// The five tone marks plus "no mark" (thanh ngang), in the order of [`TONED`]'s columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Tone {
    /// thanh ngang: `a`
    Level = 0,
    /// thanh huyền: `à`
    Grave = 1,
    /// thanh sắc: `á`
    Acute = 2,
    /// thanh hỏi: `ả`
    Hook = 3,
    /// thanh ngã: `ã`
    Tilde = 4,
    /// thanh nặng: `ạ`
    Dot = 5,
}

impl Tone {
    fn from_index(i: usize) -> Tone {
        match i {
            1 => Tone::Grave,
            2 => Tone::Acute,
            3 => Tone::Hook,
            4 => Tone::Tilde,
            5 => Tone::Dot,
            _ => Tone::Level,
        }
    }
}

/// Each row: a base vowel followed by its five toned forms (huyền, sắc, hỏi, ngã, nặng).
const TONED: [[char; 6]; 24] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
    ['A', 'À', 'Á', 'Ả', 'Ã', 'Ạ'],
    ['Ă', 'Ằ', 'Ắ', 'Ẳ', 'Ẵ', 'Ặ'],
    ['Â', 'Ầ', 'Ấ', 'Ẩ', 'Ẫ', 'Ậ'],
    ['E', 'È', 'É', 'Ẻ', 'Ẽ', 'Ẹ'],
    ['Ê', 'Ề', 'Ế', 'Ể', 'Ễ', 'Ệ'],
    ['I', 'Ì', 'Í', 'Ỉ', 'Ĩ', 'Ị'],
    ['O', 'Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'],
    ['Ô', 'Ồ', 'Ố', 'Ổ', 'Ỗ', 'Ộ'],
    ['Ơ', 'Ờ', 'Ớ', 'Ở', 'Ỡ', 'Ợ'],
    ['U', 'Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'],
    ['Ư', 'Ừ', 'Ứ', 'Ử', 'Ữ', 'Ự'],
    ['Y', 'Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ'],
];

/// The plain ASCII letter each row of [`TONED`] folds to.
const FOLDED: [char; 24] = [
    'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y', 'A', 'A', 'A', 'E', 'E', 'I', 'O',
    'O', 'O', 'U', 'U', 'Y',
];

/// Vietnamese vowels live in two Unicode blocks: Latin-1/Latin Extended-A/B (U+00C0..U+01B0)
/// and Latin Extended Additional (U+1EA0..U+1EF9). Each table maps a code point to
/// `row * 6 + column + 1` of [`TONED`], 0 for "not a Vietnamese vowel".
const LOW_START: u32 = 0xC0;
const LOW_END: u32 = 0x1B1;
const HIGH_START: u32 = 0x1EA0;
const HIGH_END: u32 = 0x1EFA;

const fn build_table<const N: usize>(start: u32) -> [u8; N] {
    let mut table = [0u8; N];
    let mut row = 0;
    while row < TONED.len() {
        let mut col = 0;
        while col < 6 {
            let c = TONED[row][col] as u32;
            if c >= start && c < start + N as u32 {
                table[(c - start) as usize] = (row * 6 + col + 1) as u8;
            }
            col += 1;
        }
        row += 1;
    }
    table
}

const LOW: [u8; (LOW_END - LOW_START) as usize] = build_table(LOW_START);
const HIGH: [u8; (HIGH_END - HIGH_START) as usize] = build_table(HIGH_START);

fn locate(c: char) -> Option<(usize, usize)> {
    let u = c as u32;
    let code = if (LOW_START..LOW_END).contains(&u) {
        LOW[(u - LOW_START) as usize]
    } else if (HIGH_START..HIGH_END).contains(&u) {
        HIGH[(u - HIGH_START) as usize]
    } else {
        0
    };
    (code > 0).then(|| (((code - 1) / 6) as usize, ((code - 1) % 6) as usize))
}

/// Splits a Vietnamese vowel into its base letter (vowel marks kept) and tone:
/// `ồ` → (`ô`, Grave). Returns `None` for anything that is not a Vietnamese vowel.
pub fn split_tone(c: char) -> Option<(char, Tone)> {
    if c.is_ascii() {
        return match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y' => {
                Some((c, Tone::Level))
            }
            _ => None,
        };
    }
    locate(c).map(|(row, col)| (TONED[row][0], Tone::from_index(col)))
}

/// Puts `tone` on the base vowel `base` (`ô` + Grave → `ồ`); `None` if `base` is not a vowel.
pub fn with_tone(base: char, tone: Tone) -> Option<char> {
    match split_tone(base) {
        Some((b, Tone::Level)) if b == base => {
            let (row, _) = if base.is_ascii() {
                TONED.iter().position(|r| r[0] == base).map(|r| (r, 0))?
            } else {
                locate(base)?
            };
            Some(TONED[row][tone as usize])
        }
        _ => None,
    }
}

/// Folds one character to ASCII where it is a Vietnamese letter: `ờ` → `o`, `Đ` → `D`.
/// Other characters come back unchanged.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    match c {
        'đ' | 'ð' => 'd',
        'Đ' | 'Ð' => 'D',
        _ => locate(c).map_or(c, |(row, _)| FOLDED[row]),
    }
}

/// True for the letters that only Vietnamese uses in this combination: any vowel with a
/// vowel mark or tone mark, and `đ`.
pub fn is_vietnamese_marked(c: char) -> bool {
    !c.is_ascii() && (matches!(c, 'đ' | 'Đ') || locate(c).is_some())
}

/// True for characters that carry no visible content and must not split or join words:
/// zero-width space, joiners, word joiner, byte-order mark.
pub fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_and_rebuild_every_toned_vowel() {
        for row in TONED {
            for (col, c) in row.iter().enumerate() {
                let (base, tone) = split_tone(*c).unwrap();
                assert_eq!(base, row[0]);
                assert_eq!(tone as usize, col);
                assert_eq!(with_tone(base, tone), Some(*c));
            }
        }
    }

    #[test]
    fn lookup_tables_cover_exactly_the_vowels() {
        let mut n = 0;
        for u in (0xC0..0x1B1).chain(0x1EA0..0x1EFA) {
            if let Some(c) = char::from_u32(u)
                && locate(c).is_some()
            {
                n += 1;
            }
        }
        // 24 rows x 6 forms, minus the 12 plain ASCII vowels.
        assert_eq!(n, 24 * 6 - 12);
        assert_eq!(with_tone('a', Tone::Dot), Some('ạ'));
        assert_eq!(with_tone('ạ', Tone::Dot), None);
        assert_eq!(with_tone('x', Tone::Dot), None);
    }

    #[test]
    fn folds_vietnamese_letters() {
        let folded: String = "Người Lao Động ĐOÀN ưởng".chars().map(fold_char).collect();
        assert_eq!(folded, "Nguoi Lao Dong DOAN uong");
    }
}
