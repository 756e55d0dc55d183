//! What does this page say, and when? HTML in, article text and metadata out; no network.
//!
//! ```
//! use langnghe_extract::parse_date;
//! use time::macros::datetime;
//! assert_eq!(parse_date("25-11-2026 - 08:30", datetime!(2026-11-26 0:00 +7)), Some(datetime!(2026-11-25 8:30 +7)));
//! ```
#![deny(missing_docs)]

mod date;

pub use date::parse_date;
