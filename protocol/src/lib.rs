//! Wire types of frr-reload-agent: everything the project prints or serves
//! as JSON comes from here, with camelCase field names, one shape for one
//! thing. Plain data, no I/O.

use serde::{Deserialize, Serialize};

pub mod body;

/// The socket API's paths (documented in `protocol/openapi.json`).
pub mod paths {
    /// `PUT`: apply a configuration.
    pub const CONFIG: &str = "/v1/config";
    /// `POST`: the delta against the live configuration, not applied.
    pub const DIFF: &str = "/v1/diff";
    /// `GET`: [`NodeStatus`](crate::NodeStatus).
    pub const STATUS: &str = "/v1/status";
    /// `GET`: the running configuration as text.
    pub const RUNNING_CONFIG: &str = "/v1/running-config";
    /// `GET`: every [`ApplyResult`](crate::ApplyResult) as it happens, NDJSON.
    pub const EVENTS: &str = "/v1/events";
    /// All of them.
    pub const ALL: &[&str] = &[CONFIG, DIFF, STATUS, RUNNING_CONFIG, EVENTS];
}

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

/// How a reload ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The running configuration equals the desired one.
    Converged,
    /// The desired configuration was refused (parser or FRR's dry run);
    /// nothing was changed.
    ConversionFailed,
    /// FRR was changed but the running configuration still differs.
    #[default]
    NotConverged,
    /// FRR did not answer vtysh; nothing was checked or changed.
    FrrUnreachable,
    /// Another configuration arrived before this one was applied; it was
    /// never applied (not an error).
    Superseded,
    /// FRR refused some lines, and the agent was told to apply the rest
    /// (`--apply-valid`): it did, and FRR runs it; `conversion` names the
    /// lines left out.
    PartlyApplied,
    /// The delta would reset or refresh BGP or BFD sessions beyond the
    /// limit asked for (`maxImpact`): nothing was changed, and `impact`
    /// names the sessions.
    ImpactRefused,
}

/// What started a reload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Trigger {
    /// `PUT /v1/config`.
    #[default]
    Api,
    /// frr-k8s compatibility: SIGHUP or a new `frr.conf`.
    Compat,
    /// The saved desired configuration, re-applied when the agent started.
    Startup,
    /// FRR daemons restarted: the desired configuration was re-applied.
    FrrRestart,
    /// The periodic check found the running configuration drifted.
    Resync,
    /// A retry after a reload that did not converge.
    Retry,
    /// The last converged configuration restored after a failure
    /// (`--on-failure rollback`).
    Rollback,
    /// The one-shot `frr-reload-agent reload`, without an agent.
    Cli,
}

/// `PUT /v1/config` and `POST /v1/diff` with a JSON body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigRequest {
    /// The whole rendered FRR configuration.
    pub config: String,
    /// The caller's name for this configuration (default: its sha256).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// The configuration that replaced a superseded one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Supersession {
    /// Its id.
    pub id: String,
    /// Its sha256.
    pub sha256: String,
    /// Its result, without its delta's commands and script (their counts
    /// stay; the winner's own reply has them).
    pub result: Box<ApplyResult>,
}

/// The answer to one desired configuration: what the agent did with it.
/// `lastReloadResult` and `runningConfig` are what a controller copies into
/// frr-k8s's `FRRNodeState`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyResult {
    /// The caller's id, or the sha256 when it gave none.
    pub id: String,
    /// sha256 of the configuration text as received, in hex.
    pub sha256: String,
    /// Counts configurations the agent accepted, from 1; carried across
    /// agent restarts by the state directory.
    pub generation: u64,
    /// What started this reload.
    pub trigger: Trigger,
    /// How it ended.
    pub outcome: Outcome,
    /// True when the agent answered from its last converged result without
    /// asking FRR (same sha256, no FRR restart, recent read).
    #[serde(default)]
    pub cached: bool,
    /// `success`, or why the text could not be turned into a delta FRR
    /// accepts (the agent's check; not frr-k8s's own field of this name).
    pub last_conversion_result: String,
    /// `success`, or the error text of whatever stopped this configuration
    /// from running (a conversion failure included), as frr-k8s reports it.
    pub last_reload_result: String,
    /// The check of the text, with per-line errors.
    pub conversion: Conversion,
    /// The apply and verify, with the failed commands.
    pub reload: ReloadSummary,
    /// The delta applied in the first pass (passwords redacted).
    pub delta: Delta,
    /// What still differs (empty when converged).
    pub residue: Vec<Command>,
    /// The BGP and BFD sessions the applied deltas reset or refresh, as
    /// predicted before each was applied (for `impactRefused`: the delta
    /// that was not applied). Empty: none.
    #[serde(default)]
    pub impact: Vec<Impact>,
    /// Time per phase.
    pub timings_ms: Timings,
    /// The running configuration afterwards (passwords redacted).
    pub running_config: String,
    /// Set when this configuration was superseded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<Supersession>,
    /// Set when `--on-failure rollback` restored the last converged
    /// configuration after this one failed: that restore's result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<Box<ApplyResult>>,
    /// When the reload finished, in milliseconds since the Unix epoch.
    pub finished_at_ms: u64,
}

/// The apply part of an [`ApplyResult`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReloadSummary {
    /// True when the running configuration equals the desired one.
    pub converged: bool,
    /// Apply passes made.
    pub passes: u32,
    /// True when the first delta was computed against the running
    /// configuration the agent read at the end of its previous reload (no
    /// FRR restart seen since, read within the resync interval) instead of
    /// a fresh read. The outcome is still decided by a fresh read.
    #[serde(default)]
    pub reused_read: bool,
    /// Commands FRR refused, with its messages.
    pub errors: Vec<CommandError>,
    /// Differences that do not count against convergence.
    pub warnings: Vec<String>,
}

/// `GET /v1/status`: what the agent and FRR are doing now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// The agent's check of the desired configuration: `success` or why not.
    pub last_conversion_result: String,
    /// `success` or the error that stopped the desired configuration.
    pub last_reload_result: String,
    /// The running configuration as last read (passwords redacted).
    pub running_config: String,
    /// sha256 of the desired configuration (empty before the first).
    pub desired_sha256: String,
    /// Generation of the desired configuration.
    pub generation: u64,
    /// True when the last reload of the desired configuration converged.
    pub converged: bool,
    /// The last result, without its delta's commands and script and
    /// without `runningConfig` (above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_result: Option<ApplyResult>,
    /// FRR daemons whose vty socket is present in the run directory.
    pub daemons: Vec<String>,
    /// FRR restarts seen since the agent started.
    pub frr_restarts: u64,
    /// Why the last save of the state directory failed; empty when it
    /// worked (a configuration accepted while saving fails is applied,
    /// but an agent restart would not find it).
    #[serde(default)]
    pub state_error: String,
}

/// `POST /v1/diff` and `diff --json`: the delta from the running
/// configuration to the desired one, and what it would do to sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffResult {
    /// The delta (its fields at the top level of the JSON object).
    #[serde(flatten)]
    pub delta: Delta,
    /// The sessions it would reset or refresh; empty: none.
    pub impact: Vec<Impact>,
}

/// The body of every error reply of the socket API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorReply {
    /// What went wrong.
    pub error: String,
}

/// What applying a delta is predicted to do to one BGP or BFD session.
/// Only sessions that are reset or refreshed are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Impact {
    /// The peer: an address, or an interface name for an unnumbered BGP
    /// peer.
    pub peer: String,
    /// The VRF of the session (`default` for the default VRF).
    pub vrf: String,
    /// Which protocol's session.
    pub kind: SessionKind,
    /// What happens to it.
    pub effect: Effect,
    /// The delta lines that cause it, as typed (passwords redacted); a
    /// note in parentheses says when a line is applied in place.
    pub because: Vec<String>,
}

/// The protocol of a session named in an [`Impact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SessionKind {
    /// A BGP session (bgpd).
    Bgp,
    /// A BFD session (bfdd).
    Bfd,
}

impl SessionKind {
    /// Its name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            SessionKind::Bgp => "bgp",
            SessionKind::Bfd => "bfd",
        }
    }
}

/// What a change does to a session, mildest first.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Effect {
    /// Nothing.
    #[default]
    None,
    /// The session stays up; its routes are re-evaluated, refreshed or
    /// re-advertised (or, for BFD, its timers change by a poll sequence).
    Soft,
    /// The session is torn down (and comes back up unless removed).
    Reset,
}

impl Effect {
    /// Its name on the wire and on command lines.
    pub fn name(self) -> &'static str {
        match self {
            Effect::None => "none",
            Effect::Soft => "soft",
            Effect::Reset => "reset",
        }
    }
}

impl std::fmt::Display for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Effect {
    type Err = String;

    /// `none`, `soft` or `reset`.
    fn from_str(text: &str) -> Result<Effect, String> {
        [Effect::None, Effect::Soft, Effect::Reset]
            .into_iter()
            .find(|e| e.name() == text)
            .ok_or_else(|| format!("{text:?} is not an impact: none, soft or reset"))
    }
}

/// The worst effect among `impacts` (`none` when empty).
pub fn worst(impacts: &[Impact]) -> Effect {
    impacts.iter().map(|i| i.effect).max().unwrap_or_default()
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

    #[test]
    fn impact_serializes_in_camel_case() {
        let impact = Impact {
            peer: "192.0.2.2".into(),
            vrf: "default".into(),
            kind: SessionKind::Bgp,
            effect: Effect::Reset,
            because: vec!["neighbor 192.0.2.2 update-source lo".into()],
        };
        assert_eq!(
            serde_json::to_string(&impact).unwrap(),
            r#"{"peer":"192.0.2.2","vrf":"default","kind":"bgp","effect":"reset","because":["neighbor 192.0.2.2 update-source lo"]}"#
        );
        assert!(Effect::None < Effect::Soft && Effect::Soft < Effect::Reset);
    }
}
