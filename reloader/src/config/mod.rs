//! From configuration text to a normalized configuration: FRR text parsed
//! into contexts and normalized the way FRR prints it, so that equal
//! configurations compare equal. Read in this order: `text` and
//! [`grammar`] (lines and nesting), [`tree`] (the model), [`parse`] (text into the model),
//! [`keywords`] (abbreviations), [`normalize`] (line by line), `rules` (the whole configuration),
//! [`slot`] (what changes in place), `list` (what a list entry is).

pub mod grammar;
pub mod keywords;
pub(crate) mod list;
pub mod normalize;
pub mod parse;
mod profile;
pub mod redact;
mod rules;
pub mod slot;
pub(crate) mod text;
pub mod tree;
pub mod version;

pub use profile::with_running_profile;
pub(crate) use profile::{profile_of, running_profile_line};
pub(crate) use rules::babel_undo;
pub use rules::PIM_AUTORP_DISCOVERY_OFF;
pub use tree::Config;
pub use version::FrrVersion;

/// How a configuration text is read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The FRR version the text is for (from `show version`); rules that
    /// differ between versions are keyed on it.
    pub version: FrrVersion,
}
