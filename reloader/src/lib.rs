//! The heart of frr-reload-agent: FRR configuration text → context tree →
//! normalized → diff against the running configuration → ordered vtysh
//! script, with the semantics of FRR's `tools/frr-reload.py` in linear time.
//!
//! Read the modules in the pipeline's order: [`config`] (text to a
//! normalized configuration), [`diff`](mod@diff) (two configurations to a delta and
//! its script), [`frr`] (vtysh and the daemons), [`pipeline`] (a reload
//! against a live FRR: validate, read, diff, apply, verify, persist).
//!
//! ```
//! use reloader::{diff_text, Options};
//! let running = "router bgp 64512\n neighbor 192.0.2.1 remote-as 64600\nexit\n";
//! let desired = "router bgp 64512\n neighbor 192.0.2.1 remote-as 64601\n";
//! let delta = diff_text(running, desired, &Options::default()).unwrap();
//! assert_eq!(delta.script, "router bgp 64512\n neighbor 192.0.2.1 remote-as 64601\nexit\n");
//! ```

pub mod config;
pub mod diff;
mod error;
pub mod frr;
pub mod pipeline;

pub use config::{with_running_profile, Config, FrrVersion, Options};
pub use diff::diff;
pub use error::Error;
pub use protocol::{Command, Delta, DeltaStats};

/// Parses both texts and returns the delta that turns `running` into
/// `desired`.
pub fn diff_text(running: &str, desired: &str, options: &Options) -> Result<Delta, Error> {
    let desired = Config::parse_desired_for(desired, running, options.version)?;
    let running = Config::parse_for(running, options.version)?;
    Ok(diff(&running, &desired))
}
