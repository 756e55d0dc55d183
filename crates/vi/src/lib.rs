//! Vietnamese text for search: what does this text say, written one canonical way?
//!
//! Every stage that reads Vietnamese goes through this crate, in this order:
//! 1. [`repair`] / [`decode_bytes`]: legacy encodings (TCVN3, VNI, windows-1258) to Unicode;
//! 2. [`clean`]: NFC, `ð`→`đ`, invisible characters removed (lossless for a reader);
//! 3. [`normalize`]: canonical tone placement (`hoà`→`hòa`) and i/y spelling (`kỳ`→`kì`);
//! 4. the [`SyllableTokenizer`] with its two analyzers, [`EXACT`] and [`FOLDED`], registered in
//!    tantivy by name and used identically for documents and queries;
//! 5. [`is_vietnamese`]: whatlang plus an orthographic fallback for text without diacritics.
//!
//! ```
//! use langnghe_vi::{Analyzer, repair, tokens};
//! let (text, _) = repair("C«ng ®oµn");
//! let folded: Vec<String> = tokens(&text, Analyzer::Folded).into_iter().map(|t| t.text).collect();
//! assert_eq!(folded, ["cong", "doan"]);
//! ```
#![deny(missing_docs)]

mod lang;
mod legacy;
mod letters;
mod syllable;
mod text;
mod tokenizer;

pub use lang::{LangCheck, check_language, is_vietnamese};
pub use legacy::{Legacy, decode_bytes, repair};
pub use letters::{Tone, fold_char, is_vietnamese_marked};
pub use syllable::is_syllable;
pub use text::{clean, fold, has_marks, normalize};
pub use tokenizer::{
    Analyzer, EXACT, FOLDED, SyllableStream, SyllableTokenizer, analyzers, tokens,
};
/// whatlang's language type, as reported in [`LangCheck::whatlang`].
pub use whatlang::Lang;

/// Every analyzer name with its normalisation of a single word, for callers that must turn a
/// query word into the exact term stored in the index.
///
/// ```
/// use langnghe_vi::{Analyzer, term};
/// assert_eq!(term("Hoà", Analyzer::Exact), "hòa");
/// assert_eq!(term("ĐOÀN", Analyzer::Folded), "doan");
/// ```
pub fn term(word: &str, analyzer: Analyzer) -> String {
    let mut out = String::new();
    text::normalise_word(
        word,
        analyzer == Analyzer::Folded,
        &mut out,
        &mut Vec::new(),
    );
    out
}
