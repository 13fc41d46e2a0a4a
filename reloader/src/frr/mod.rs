//! FRR's side of a reload: the [`Vtysh`] trait the pipeline drives, and
//! its real implementation ([`VtyshCommand`]) with what it is built from
//! (the long-lived session, the dry-run cache, direct reads of the
//! daemons' vty sockets, and the errors vtysh reports).

pub mod checked;
mod command;
mod errors;
pub mod owner;
pub mod session;
mod started;
pub mod vty;

pub use command::{DirectReads, PassedCheck, Prepared, VtyshCommand, Warm, CALIBRATION_LIFETIME};
pub use errors::{commit_failures, line_errors, lost_daemons, LineError};

use crate::Error;

/// What one `vtysh` invocation printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Exit status (`None` when killed by a signal or the timeout).
    pub status: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Both streams, for error messages that vtysh spreads over both.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// The operations the reload pipeline needs from FRR.
pub trait Vtysh {
    /// What [`Vtysh::prepare_apply`] gets ready for [`Vtysh::apply_prepared`]:
    /// with the real vtysh, a started vtysh or the session (see
    /// [`Prepared`]). A fake names its own, so that the pipeline's
    /// prepared path runs against it too; `()` when it has none.
    type Prepared: Default;
    /// `show running-config`.
    fn running_config(&self) -> Result<String, Error>;
    /// `show version`.
    fn show_version(&self) -> Result<String, Error>;
    /// Checks a whole configuration with FRR's own parser (`vtysh
    /// --dryrun -f`), changing nothing.
    fn dry_run(&self, config: &str) -> Result<Output, Error>;
    /// Runs a script of configuration commands (`vtysh -f`).
    fn apply(&self, script: &str) -> Result<Output, Error>;
    /// Gets ready to run `script`: the real vtysh starts and connects to
    /// the daemons while the caller still decides (FRR's check runs
    /// meanwhile). Nothing is applied until [`Vtysh::apply_prepared`];
    /// dropped unused, it applies nothing.
    fn prepare_apply(&self, _script: &str) -> Self::Prepared {
        Self::Prepared::default()
    }
    /// [`Vtysh::apply`] through what [`Vtysh::prepare_apply`] prepared.
    fn apply_prepared(&self, prepared: Self::Prepared, script: &str) -> Result<Output, Error> {
        drop(prepared);
        self.apply(script)
    }
    /// `write memory` (persist the running configuration).
    fn write_memory(&self) -> Result<Output, Error>;
    /// The daemons vtysh talks to, where known (their vty sockets).
    fn daemons(&self) -> Option<Vec<&'static str>> {
        None
    }
    /// zebra's `show interface vrf all`, where it answers.
    fn show_interfaces(&self) -> Option<String> {
        None
    }
    /// The modules the daemons have loaded, where known (`show modules`:
    /// `libfrr`, `bgpd`, `bgpd_bmp`, …).
    fn modules(&self) -> Option<Vec<String>> {
        None
    }
    /// The `frr version` line under which FRR's check accepted exactly
    /// `config` before, if that verdict is kept (see [`KeptChecks`]):
    /// the pipeline then does not ask FRR again, unless the running
    /// configuration it reads names another version.
    fn kept_check(&self, _config: &str) -> Option<String> {
        None
    }
    /// Keeps that FRR's check accepted exactly `config`, vtysh printing
    /// `version` (its `frr version` line) in the same run.
    fn keep_check(&self, _config: &str, _version: &str) {}
    /// Takes up the blocks of the text FRR's check accepted last in an
    /// earlier run, if kept: this run's check is sent only the others
    /// (see [`checked`]). Returns the `frr version` line they were
    /// accepted under: they hold only while the running configuration
    /// names it.
    fn take_up_kept_blocks(&self) -> Option<String> {
        None
    }
    /// Drops what FRR's check accepted before: the next check is sent the
    /// whole text.
    fn forget_checks(&self) {}
}

/// FRR's verdicts on whole texts, kept between processes by the caller
/// (the one-shot commands, which start afresh each run): acceptances
/// only, never a refusal. What else decides the verdict (the vtysh
/// program, its `vtysh.conf`) is the keeper's to key on; the `frr
/// version` line is given with each.
pub trait KeptChecks: std::fmt::Debug + Send + Sync {
    /// The `frr version` line under which exactly `config` was accepted.
    fn accepted(&self, config: &str) -> Option<String>;
    /// The blocks of the text accepted last, with the `frr version` line
    /// it was accepted under.
    fn blocks(&self) -> Option<(String, Vec<checked::BlockKey>)>;
    /// Keeps that exactly `config`, whose blocks are `blocks`, was
    /// accepted, under `version`.
    fn accept(&self, config: &str, version: &str, blocks: &[checked::BlockKey]);
}
