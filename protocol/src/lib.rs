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
