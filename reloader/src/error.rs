//! The reloader's error type: short lowercase messages that name the line.

use protocol::{Command, CommandError, Effect, Impact, LineError};

use crate::frr::owner::Missing;

/// Errors of the reloader library.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// Configuration text that cannot be parsed. The line is quoted with
    /// its secrets redacted: the message reaches logs and results.
    #[error("line {line}: {reason}: {}", crate::config::redact::redact_line(.text))]
    Parse {
        /// 1-based line number.
        line: usize,
        /// The offending line (shortened, escaped; unredacted).
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
    /// The running configuration FRR printed does not parse.
    #[error("running configuration: {0}")]
    Running(Box<Error>),
    /// A desired configuration refused by our parser or FRR's check;
    /// nothing was changed.
    #[error("configuration rejected: {}", rejected(.0))]
    Rejected(Vec<LineError>),
    /// FRR refused these lines; the rest was applied (`--apply-valid`) and
    /// FRR runs it.
    #[error("partly applied: FRR refused {} line(s), left out: {}", .0.len(), rejected(.0))]
    PartlyApplied(Vec<LineError>),
    /// Passes spent and FRR still runs something else.
    #[error("{}", not_converged(*.passes, *.differ, .first, *.refused, .first_refused, .missing, *.unremovable))]
    NotConverged {
        /// The passes made.
        passes: u32,
        /// How many commands still differ.
        differ: usize,
        /// The first few of them.
        first: Vec<Command>,
        /// How many commands FRR refused.
        refused: usize,
        /// The first of them, with FRR's message.
        first_refused: Option<Box<CommandError>>,
        /// The daemons and modules some of the commands that differ need
        /// and FRR does not run.
        missing: Box<Missing>,
        /// How many of the commands that differ are deletes FRR cannot do
        /// while it runs (pimd's `bsr candidate-rp group` on FRR 10): a
        /// restart with the desired configuration clears them.
        unremovable: usize,
    },
    /// The delta would do more to BGP or BFD sessions than the limit
    /// allows; nothing was changed.
    #[error("{}", impact_refused(*.limit, .impacts))]
    ImpactRefused {
        /// The limit asked for.
        limit: Effect,
        /// What the delta would do.
        impacts: Vec<Impact>,
    },
    /// `write memory` failed after a converged reload.
    #[error("write memory: {0}")]
    WriteMemory(String),
}

/// The refused lines, one `line N: message: text` each.
fn rejected(errors: &[LineError]) -> String {
    let details: Vec<String> = errors
        .iter()
        .map(|e| match (e.line, e.text.is_empty()) {
            (0, _) => e.message.clone(),
            (line, true) => format!("line {line}: {}", e.message),
            (line, false) => format!("line {line}: {}: {}", e.message, e.text),
        })
        .collect();
    details.join("; ")
}

/// The first commands that still differ, the first refused one, the
/// daemons that would take some of them but do not run, the modules some
/// need that no daemon loads, and how many FRR cannot delete while it
/// runs.
fn not_converged(
    passes: u32,
    differ: usize,
    first: &[Command],
    refused: usize,
    first_refused: &Option<Box<CommandError>>,
    missing: &Missing,
    unremovable: usize,
) -> String {
    let shown: Vec<String> = first.iter().map(describe).collect();
    let mut message = format!(
        "not converged after {passes} passes: {differ} commands still differ: {}",
        shown.join("; ")
    );
    if let Some(error) = first_refused {
        message.push_str(&format!(
            "; FRR refused {refused} commands, first `{}`: {}",
            describe(&error.command),
            error.message
        ));
    }
    for (names, what) in [
        (&missing.daemons, "are for daemons that do not run"),
        (&missing.modules, "need a module no daemon loads (-M)"),
    ] {
        if !names.is_empty() {
            let named: Vec<String> = names.iter().map(|(m, n)| format!("{m} ({n})")).collect();
            let taken: usize = names.iter().map(|(_, n)| n).sum();
            message.push_str(&format!("; {taken} of them {what}: {}", named.join(", ")));
        }
    }
    if unremovable > 0 {
        message.push_str(&format!(
            "; {unremovable} of them are deletes FRR cannot do while it runs \
             (only a restart with the desired configuration clears them)"
        ));
    }
    message
}

/// The refusal, then one line per session over the limit: `reset bgp
/// 192.0.2.2 vrf default: <the lines that cause it>`.
fn impact_refused(limit: Effect, impacts: &[Impact]) -> String {
    let over: Vec<&Impact> = impacts.iter().filter(|i| i.effect > limit).collect();
    let mut message = format!(
        "refused: the change would {} {} session(s), over maxImpact {limit}; nothing was changed",
        match protocol::worst(impacts) {
            Effect::Reset => "reset",
            _ => "refresh",
        },
        over.len()
    );
    for i in over {
        message.push('\n');
        message.push_str(&crate::diff::impact::describe(i));
    }
    message
}

/// A command with its context: `router bgp 1 / neighbor X remote-as 2`.
fn describe(command: &Command) -> String {
    let mut parts = command.context.clone();
    parts.push(command.command.clone());
    parts.join(" / ")
}
