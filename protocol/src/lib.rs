//! Wire types of frr-reload-agent: everything the project prints or serves
//! as JSON comes from here, with camelCase field names, one shape for one
//! thing. Plain data, no I/O.

use serde::{Deserialize, Serialize};

/// One vtysh configuration command placed in its context.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Command {
    /// The node path that has to be entered first, outermost first
    /// (e.g. `["router bgp 64512", "address-family ipv4 unicast"]`);
    /// empty for a top-level command.
    pub context: Vec<String>,
    /// The command itself, as typed at that node (e.g. `no network 192.0.2.0/24`).
    pub command: String,
}

/// Counters describing a delta.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeltaStats {
    /// Lines of the running configuration that were parsed.
    pub running_lines: usize,
    /// Lines of the desired configuration that were parsed.
    pub desired_lines: usize,
    /// Number of delete commands.
    pub deletes: usize,
    /// Number of add commands.
    pub adds: usize,
    /// Lines that changed in place (an add that replaces a value without a
    /// delete, e.g. a neighbor's route-map or a prefix-list entry).
    pub replaced_in_place: usize,
}

/// The difference between a running and a desired FRR configuration: the
/// ordered commands that turn the first into the second.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delta {
    /// Commands that remove configuration, in the order they must run.
    pub delete: Vec<Command>,
    /// Commands that add or change configuration, in the order they must
    /// run (after all deletes).
    pub add: Vec<Command>,
    /// The whole delta as one script for `vtysh -f`.
    pub script: String,
    /// Counters.
    pub stats: DeltaStats,
}

impl Delta {
    /// True when the two configurations were equal.
    pub fn is_empty(&self) -> bool {
        self.delete.is_empty() && self.add.is_empty()
    }
}

/// One problem FRR or the parser found in a configuration line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineError {
    /// 1-based line of the configuration (or script) it refers to; 0 when
    /// FRR named no line.
    pub line: usize,
    /// The text of that line, when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// What is wrong.
    pub message: String,
}

/// The check of the desired configuration, by the parser and by FRR itself
/// (`vtysh --dryrun`), before anything is changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversion {
    /// True when the configuration is acceptable.
    pub ok: bool,
    /// The problems, by line.
    pub errors: Vec<LineError>,
}

/// A command that failed while applying, with FRR's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    /// The command.
    pub command: Command,
    /// What FRR answered.
    pub message: String,
}

/// Time spent per phase, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timings {
    /// Parser and `vtysh --dryrun` check.
    pub validate_ms: u64,
    /// Reading `show running-config` (all reads).
    pub read_ms: u64,
    /// Computing deltas (all passes).
    pub diff_ms: u64,
    /// Running scripts through vtysh (all passes, retries included).
    pub apply_ms: u64,
    /// The whole reload.
    pub total_ms: u64,
}

/// Everything a reload did and found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReloadResult {
    /// The check of the desired configuration.
    pub conversion: Conversion,
    /// `success`, or the error that stopped this configuration from
    /// running (frr-k8s's spelling and meaning).
    pub last_reload_result: String,
    /// True when the running configuration equals the desired one.
    pub converged: bool,
    /// The first delta applied (empty for an identical configuration).
    pub delta: DeltaStats,
    /// Apply passes made (0 when nothing had to change).
    pub passes: u32,
    /// Commands FRR refused, with its messages.
    pub errors: Vec<CommandError>,
    /// What still differs after the last pass: the commands that would be
    /// needed. Empty when converged.
    pub residue: Vec<Command>,
    /// Differences that do not count against convergence (e.g. a
    /// `hostname`, which FRR takes at boot only).
    pub warnings: Vec<String>,
    /// The running configuration after the reload.
    pub running_config: String,
    /// Time per phase.
    pub timings: Timings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_serializes_in_camel_case() {
        let delta = Delta {
            delete: vec![],
            add: vec![Command {
                context: vec!["router bgp 64512".into()],
                command: "bgp router-id 192.0.2.1".into(),
            }],
            script: "router bgp 64512\n bgp router-id 192.0.2.1\nexit\n".into(),
            stats: DeltaStats {
                adds: 1,
                ..DeltaStats::default()
            },
        };
        let json = serde_json::to_value(&delta).unwrap();
        assert_eq!(json["stats"]["replacedInPlace"], 0);
        assert_eq!(json["stats"]["runningLines"], 0);
        assert_eq!(json["add"][0]["context"][0], "router bgp 64512");
        let back: Delta = serde_json::from_value(json).unwrap();
        assert_eq!(back, delta);
    }
}
