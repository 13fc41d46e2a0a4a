//! Prometheus metrics (text format 0.0.4), prefix `frr_reload_agent_`:
//! reloads by result, duration per phase, delta size, last success time,
//! drift, FRR restarts. Plain counters behind one mutex: updated once per
//! reload, read once per scrape.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use protocol::{ApplyResult, Outcome, Trigger};

/// Upper bounds of the duration histograms, in seconds.
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS.len()];
        }
        for (bound, count) in BUCKETS.iter().zip(&mut self.counts) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        self.sum += seconds;
        self.count += 1;
    }
}

#[derive(Debug, Default)]
struct Values {
    reloads: BTreeMap<(&'static str, &'static str), u64>,
    phases: BTreeMap<&'static str, Histogram>,
    delta_deletes: u64,
    delta_adds: u64,
    delta_lines: Histogram,
    last_success: Option<f64>,
    drift: u64,
    converged: bool,
    frr_restarts: u64,
    requests: u64,
    rejected_peers: u64,
}

/// The agent's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    values: Mutex<Values>,
}

fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Converged => "converged",
        Outcome::ConversionFailed => "conversion_failed",
        Outcome::NotConverged => "not_converged",
        Outcome::FrrUnreachable => "frr_unreachable",
        Outcome::Superseded => "superseded",
    }
}

fn trigger_label(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Api => "api",
        Trigger::Compat => "compat",
        Trigger::Startup => "startup",
        Trigger::FrrRestart => "frr_restart",
        Trigger::Resync => "resync",
        Trigger::Retry => "retry",
        Trigger::Rollback => "rollback",
    }
}

impl Metrics {
    fn values(&self) -> std::sync::MutexGuard<'_, Values> {
        self.values.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records one finished reload (or a cached answer, or a superseded one).
    pub fn record(&self, result: &ApplyResult) {
        let mut v = self.values();
        let label = if result.cached {
            "cached"
        } else {
            outcome_label(result.outcome)
        };
        *v.reloads
            .entry((label, trigger_label(result.trigger)))
            .or_default() += 1;
        if result.cached || result.outcome == Outcome::Superseded {
            return;
        }
        let t = &result.timings_ms;
        for (phase, ms) in [
            ("validate", t.validate_ms),
            ("read", t.read_ms),
            ("diff", t.diff_ms),
            ("apply", t.apply_ms),
            ("total", t.total_ms),
        ] {
            v.phases.entry(phase).or_default().observe(ms as f64 / 1e3);
        }
        let stats = &result.delta.stats;
        v.delta_deletes = stats.deletes as u64;
        v.delta_adds = stats.adds as u64;
        v.delta_lines.observe((stats.deletes + stats.adds) as f64);
        v.drift = result.residue.len() as u64;
        v.converged = result.outcome == Outcome::Converged;
        if v.converged {
            v.last_success = Some(result.finished_at_ms as f64 / 1e3);
        }
    }

    /// Counts an FRR restart seen in the run directory.
    pub fn frr_restart(&self) {
        self.values().frr_restarts += 1;
    }

    /// Counts a socket API request.
    pub fn request(&self) {
        self.values().requests += 1;
    }

    /// Counts a socket peer refused by `--allow-uid`.
    pub fn rejected_peer(&self) {
        self.values().rejected_peers += 1;
    }

    /// The metrics in Prometheus text format.
    pub fn render(&self) -> String {
        let v = self.values();
        let mut out = String::new();
        let p = "frr_reload_agent";
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {p}_{name} {help}\n# TYPE {p}_{name} {kind}");
        };
        head(
            &mut out,
            "reloads_total",
            "counter",
            "Reloads by result and trigger.",
        );
        for ((result, trigger), n) in &v.reloads {
            let _ = writeln!(
                out,
                "{p}_reloads_total{{result=\"{result}\",trigger=\"{trigger}\"}} {n}"
            );
        }
        head(
            &mut out,
            "reload_duration_seconds",
            "histogram",
            "Time per reload phase.",
        );
        for (phase, h) in &v.phases {
            histogram(
                &mut out,
                "reload_duration_seconds",
                &format!("phase=\"{phase}\","),
                h,
            );
        }
        head(
            &mut out,
            "delta_lines",
            "histogram",
            "Commands (deletes + adds) in the first pass of each reload.",
        );
        histogram(&mut out, "delta_lines", "", &v.delta_lines);
        head(
            &mut out,
            "last_delta_deletes",
            "gauge",
            "Deletes in the last reload's delta.",
        );
        let _ = writeln!(out, "{p}_last_delta_deletes {}", v.delta_deletes);
        head(
            &mut out,
            "last_delta_adds",
            "gauge",
            "Adds in the last reload's delta.",
        );
        let _ = writeln!(out, "{p}_last_delta_adds {}", v.delta_adds);
        head(
            &mut out,
            "last_success_timestamp_seconds",
            "gauge",
            "When a reload last converged (Unix time; 0: never).",
        );
        let _ = writeln!(
            out,
            "{p}_last_success_timestamp_seconds {}",
            v.last_success.unwrap_or(0.0)
        );
        head(
            &mut out,
            "drift_commands",
            "gauge",
            "Commands by which the running configuration still differs from the desired one.",
        );
        let _ = writeln!(out, "{p}_drift_commands {}", v.drift);
        head(
            &mut out,
            "converged",
            "gauge",
            "1 when the last reload converged.",
        );
        let _ = writeln!(out, "{p}_converged {}", u8::from(v.converged));
        head(
            &mut out,
            "frr_restarts_total",
            "counter",
            "FRR daemon restarts seen.",
        );
        let _ = writeln!(out, "{p}_frr_restarts_total {}", v.frr_restarts);
        head(
            &mut out,
            "api_requests_total",
            "counter",
            "Socket API requests.",
        );
        let _ = writeln!(out, "{p}_api_requests_total {}", v.requests);
        head(
            &mut out,
            "rejected_peers_total",
            "counter",
            "Socket clients refused by --allow-uid.",
        );
        let _ = writeln!(out, "{p}_rejected_peers_total {}", v.rejected_peers);
        out
    }
}

fn histogram(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    let p = "frr_reload_agent";
    let counts = if h.counts.is_empty() {
        vec![0; BUCKETS.len()]
    } else {
        h.counts.clone()
    };
    for (bound, count) in BUCKETS.iter().zip(counts) {
        let _ = writeln!(out, "{p}_{name}_bucket{{{labels}le=\"{bound}\"}} {count}");
    }
    let _ = writeln!(out, "{p}_{name}_bucket{{{labels}le=\"+Inf\"}} {}", h.count);
    let labels = labels.trim_end_matches(',');
    let braces = if labels.is_empty() {
        String::new()
    } else {
        format!("{{{labels}}}")
    };
    let _ = writeln!(out, "{p}_{name}_sum{braces} {}", h.sum);
    let _ = writeln!(out, "{p}_{name}_count{braces} {}", h.count);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_histograms() {
        let metrics = Metrics::default();
        let mut result = ApplyResult {
            outcome: Outcome::Converged,
            finished_at_ms: 1_700_000_000_000,
            ..ApplyResult::default()
        };
        result.timings_ms.total_ms = 30;
        result.delta.stats.adds = 3;
        metrics.record(&result);
        metrics.frr_restart();
        let text = metrics.render();
        for want in [
            "frr_reload_agent_reloads_total{result=\"converged\",trigger=\"api\"} 1",
            "frr_reload_agent_reload_duration_seconds_bucket{phase=\"total\",le=\"0.025\"} 0",
            "frr_reload_agent_reload_duration_seconds_bucket{phase=\"total\",le=\"0.05\"} 1",
            "frr_reload_agent_reload_duration_seconds_count{phase=\"total\"} 1",
            "frr_reload_agent_delta_lines_sum 3",
            "frr_reload_agent_last_success_timestamp_seconds 1700000000",
            "frr_reload_agent_frr_restarts_total 1",
            "frr_reload_agent_converged 1",
        ] {
            assert!(text.contains(want), "missing {want} in\n{text}");
        }
    }
}
