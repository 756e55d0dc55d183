//! Why a query was refused.

/// A query the parser or compiler refused, with the column (1-based, in characters) where the
/// problem starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The text does not follow the grammar.
    #[error("column {column}: expected {expected}, found {found}")]
    Syntax {
        /// 1-based character column.
        column: usize,
        /// What the parser expected there.
        expected: String,
        /// What it found instead.
        found: String,
    },
    /// Nothing to search for.
    #[error("empty query: type a word, a \"phrase\" or a field such as source:dantri.com.vn")]
    Empty,
}
