//! The delta between two configurations: `compare` builds a `plan` of
//! deletes and adds context by context, `neighbor` and `rebuild` rewrite
//! it as a whole, and `script` renders the sorted plan into the commands
//! and the script for vtysh.

mod compare;
pub mod impact;
mod neighbor;
mod plan;
mod rebuild;
pub(crate) mod script;

use crate::config::Config;
use protocol::Delta;

/// Computes the delta that turns `running` into `desired`.
pub fn diff(running: &Config, desired: &Config) -> Delta {
    let mut delta = unrendered(running, desired);
    delta.script = script::render_delta(&delta).text;
    delta
}

/// [`diff`] without the script, for a caller that changes the commands
/// before it renders them ([`script::render_delta`]).
pub(crate) fn unrendered(running: &Config, desired: &Config) -> Delta {
    script::unrendered(compare::plan(running, desired), running, desired)
}
