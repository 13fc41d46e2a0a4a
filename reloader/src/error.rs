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
    /// vtysh could not be run or reported a failure.
    #[error("{command}: {reason}")]
    Vtysh {
        /// The command line.
        command: String,
        /// What went wrong.
        reason: String,
    },
    /// vtysh did not finish in time and was killed.
    #[error("{command}: no answer after {after:?}, killed")]
    Timeout {
        /// The command line.
        command: String,
        /// The timeout that expired.
        after: std::time::Duration,
    },
    /// A version string that is not `MAJOR.MINOR[.PATCH…]`.
    #[error("unrecognized FRR version {0:?}")]
    Version(String),
}
