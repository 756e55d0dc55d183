//! The one query language of langnghe: what does the analyst (or the topic rule) ask for?
//!
//! The same text is typed into the search box, `langnghe search`, saved searches and topic
//! rules: terms, "phrases", `AND`/`OR`/`NOT`, `-term`, parentheses, `NEAR/n(a, b)`, prefix
//! `công*`, fields `title:` `source:` `site:` `lang:` `province:` `topic:` `sentiment:` and
//! `published:[2026-11-01 TO 2026-11-30]`. Adjacent words form a phrase, because a Vietnamese
//! word is several syllables (`công đoàn`); write `AND` between words that may stand apart.
//!
//! A syllable typed with diacritics matches exactly those diacritics (after tone and i/y
//! canonicalisation); one typed without matches every accented form.
//!
//! ```
//! use langnghe_query::{parse, Query};
//! let q = parse("cong doan AND published:[2026-11-01 TO 2026-11-30]").unwrap();
//! let Query::And(parts) = &q else { panic!() };
//! let Query::Text(t) = &parts[0] else { panic!() };
//! assert_eq!(t.syllables.len(), 2);
//! assert!(t.none_marked());
//! let err = parse("NEAR/x(a, b)").unwrap_err();
//! assert_eq!(err.to_string(), "column 6: expected a distance in syllables after `NEAR/` (NEAR/5(a, b)), found `x`");
//! ```
#![deny(missing_docs)]

mod ast;
mod compile;
mod error;
mod matcher;
mod near;
mod parse;

pub use ast::{KeywordField, Query, Scope, Syllable, Text};
pub use compile::{Fields, NoVocabulary, Vocabulary, to_tantivy, to_tantivy_exact};
pub use error::QueryError;
pub use matcher::{Candidate, Fired, Matcher, RuleMatch, Scratch, TextField, Window};
pub use parse::parse;
