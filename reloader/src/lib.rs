//! The heart of frr-reload-agent: FRR configuration text → context tree →
//! normalized → diff against the running configuration → ordered vtysh
//! script, with the semantics of FRR's `tools/frr-reload.py` in linear time.
//!
//! ```
//! use reloader::{diff_text, Options};
//! let running = "router bgp 64512\n neighbor 192.0.2.1 remote-as 64600\nexit\n";
//! let desired = "router bgp 64512\n neighbor 192.0.2.1 remote-as 64601\n";
//! let delta = diff_text(running, desired, &Options::default()).unwrap();
//! assert_eq!(delta.script, "router bgp 64512\n neighbor 192.0.2.1 remote-as 64601\nexit\n");
//! ```

pub mod checked;
mod diff;
mod error;
pub mod grammar;
mod neighbor;
pub mod normalize;
pub mod parse;
mod rebuild;
pub mod redact;
pub mod reload;
mod rules;
pub mod script;
pub mod session;
pub mod slot;
mod text;
pub mod version;
pub mod vty;
pub mod vtysh;

pub use diff::diff;
pub use error::Error;
pub use parse::Config;
pub use protocol::{Command, Delta, DeltaStats};
pub use version::FrrVersion;

/// Settings of a diff.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The FRR version the script is for (from `show version`); rules that
    /// differ between versions are keyed on it.
    pub version: FrrVersion,
}

/// `desired` as FRR reads it on top of `running`: a configuration without
/// its own `frr defaults` line keeps the running profile, whose defaults
/// decide what FRR prints. The line is appended, so line numbers stay.
pub fn with_running_profile<'a>(running: &str, desired: &'a str) -> std::borrow::Cow<'a, str> {
    let profile = |text: &str| {
        // Most configurations have no such line: one substring search over
        // the whole text rules it out faster than a walk line by line.
        if !text.contains("frr defaults ") {
            return None;
        }
        text.lines().find_map(profile_of).map(str::to_owned)
    };
    match profile(running) {
        Some(running) if profile(desired).is_none() => {
            let separator = if desired.ends_with('\n') || desired.is_empty() {
                ""
            } else {
                "\n"
            };
            format!("{desired}{separator}frr defaults {running}\n").into()
        }
        _ => desired.into(),
    }
}

/// The value of an `frr defaults` line.
pub(crate) fn profile_of(line: &str) -> Option<&str> {
    line.trim_start()
        .strip_prefix("frr defaults ")
        .map(str::trim)
}

/// Parses both texts and returns the delta that turns `running` into
/// `desired`.
pub fn diff_text(running: &str, desired: &str, options: &Options) -> Result<Delta, Error> {
    let desired = Config::parse_for(&with_running_profile(running, desired), options.version)?;
    let running = Config::parse_for(running, options.version)?;
    Ok(diff(&running, &desired, options))
}
