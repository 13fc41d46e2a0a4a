//! The reloader's error type: short lowercase messages that name the line.

/// Errors of the reloader library.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// Configuration text that cannot be parsed.
    #[error("line {line}: {reason}: {text}")]
    Parse {
        /// 1-based line number.
        line: usize,
        /// The offending line (shortened, escaped).
        text: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A version string that is not `MAJOR.MINOR[.PATCH…]`.
    #[error("unrecognized FRR version {0:?}")]
    Version(String),
}
