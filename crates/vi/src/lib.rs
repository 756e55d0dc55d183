//! Vietnamese text for search: what does this text say, written one canonical way?
//!
//! Every stage that reads Vietnamese goes through this crate, in this order:
//! 1. [`repair`] / [`decode_bytes`]: legacy encodings (TCVN3, VNI, windows-1258) to Unicode;
//! 2. [`clean`]: NFC, `ð`→`đ`, invisible characters removed (lossless for a reader);
//! 3. [`normalize`]: canonical tone placement (`hoà`→`hòa`) and i/y spelling (`kỳ`→`kì`);
//! 4. the [`SyllableTokenizer`] with its analyzers, [`EXACT`] and [`FOLDED`] (queries, snippets)
//!    and [`BOTH`] (both forms at one position, for index fields), registered in tantivy by name;
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

pub use lang::{LangCheck, check_language, is_vietnamese, language_code};
pub use legacy::{Legacy, decode_bytes, repair};
pub use letters::{Tone, fold_char, is_vietnamese_marked};
pub use syllable::is_syllable;
/// tantivy's token type, as given to [`each_token`].
pub use tantivy_tokenizer_api::Token;
pub use text::{
    FxBuildHasher, FxHasher, clean, fold, has_marks, normalize, prepare, short_key,
    written_without_marks, written_without_marks_in,
};
pub use tokenizer::{
    Analyzer, BOTH, EXACT, FOLDED, SyllableStream, SyllableTokenizer, analyzers, each_token,
    each_word, tokens, word_forms,
};
/// whatlang's language type, as reported in [`LangCheck::whatlang`].
pub use whatlang::Lang;
