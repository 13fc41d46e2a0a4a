//! Prometheus metrics, prefix `frr_reload_agent_`: reloads by result,
//! duration per phase, delta size, last success time, drift, FRR restarts,
//! build information; and the `process_*` metrics read from `/proc/self`.
//! Kept with the `prometheus-client` crate and served in its Prometheus
//! text format (version 0.0.4), which `promtool check metrics` accepts.

use std::sync::atomic::AtomicU64;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;
use protocol::{ApplyResult, Outcome, Trigger};

/// The `Content-Type` of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Upper bounds of the duration histograms, in seconds.
const SECONDS_BUCKETS: [f64; 13] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// Upper bounds of the delta size histogram, in commands: 0 (nothing to
/// do, as most resyncs) up to the 100k lines of the largest configurations.
const LINES_BUCKETS: [f64; 16] = [
    0.0, 1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1e3, 2.5e3, 5e3, 1e4, 2.5e4, 5e4, 1e5,
];

/// vty sockets that appear less than this after the first one of a
/// restart belong to that restart: a restart of FRR recreates one socket
/// per daemon within a second or two, and the watcher reports each. (Not
/// a sliding window: a daemon that keeps crashing still counts.)
const RESTART_BURST: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    result: &'static str,
    trigger: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PhaseLabels {
    phase: &'static str,
}

type Seconds = Family<PhaseLabels, Histogram, fn() -> Histogram>;

/// The agent's metrics: handles on what the registry encodes.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    reloads: Family<ReloadLabels, Counter>,
    phases: Seconds,
    delta_lines: Histogram,
    last_delta_deletes: Gauge,
    last_delta_adds: Gauge,
    last_success: Gauge<f64, AtomicU64>,
    drift: Gauge,
    converged: Gauge,
    frr_restarts: Counter,
    /// When the restart counted last began.
    restart_began: Mutex<Option<Instant>>,
    requests: Counter,
    rejected_peers: Counter,
}

fn seconds_histogram() -> Histogram {
    Histogram::new(SECONDS_BUCKETS)
}

impl Default for Metrics {
    fn default() -> Self {
        let metrics = Metrics {
            registry: Registry::default(),
            reloads: Family::default(),
            phases: Family::new_with_constructor(seconds_histogram),
            delta_lines: Histogram::new(LINES_BUCKETS),
            last_delta_deletes: Gauge::default(),
            last_delta_adds: Gauge::default(),
            last_success: Gauge::default(),
            drift: Gauge::default(),
            converged: Gauge::default(),
            frr_restarts: Counter::default(),
            restart_began: Mutex::new(None),
            requests: Counter::default(),
            rejected_peers: Counter::default(),
        };
        metrics.registered()
    }
}

impl Metrics {
    /// Registers every metric (the registry adds the full stop to each
    /// help text, and `_total` to each counter's name).
    fn registered(mut self) -> Self {
        let r = self.registry.sub_registry_with_prefix("frr_reload_agent");
        r.register(
            "reloads",
            "Reloads by result and trigger",
            self.reloads.clone(),
        );
        r.register(
            "reload_duration_seconds",
            "Time per reload phase",
            self.phases.clone(),
        );
        r.register(
            "delta_lines",
            "Commands (deletes + adds) in the first pass of each reload",
            self.delta_lines.clone(),
        );
        r.register(
            "last_delta_deletes",
            "Deletes in the last reload's delta",
            self.last_delta_deletes.clone(),
        );
        r.register(
            "last_delta_adds",
            "Adds in the last reload's delta",
            self.last_delta_adds.clone(),
        );
        r.register(
            "last_success_timestamp_seconds",
            "When a reload last converged (Unix time; 0: never)",
            self.last_success.clone(),
        );
        r.register(
            "drift_commands",
            "Commands by which the running configuration still differs from the desired one",
            self.drift.clone(),
        );
        r.register(
            "converged",
            "1 when the last reload converged",
            self.converged.clone(),
        );
        r.register(
            "frr_restarts",
            "FRR restarts seen (the vty sockets appearing within 5 s of a restart's first one count once)",
            self.frr_restarts.clone(),
        );
        r.register("api_requests", "Socket API requests", self.requests.clone());
        r.register(
            "rejected_peers",
            "Socket clients refused by --allow-uid",
            self.rejected_peers.clone(),
        );
        r.register(
            "build",
            "The agent's version",
            Info::new([("version", env!("CARGO_PKG_VERSION"))]),
        );
        self.registry.register_collector(Box::new(Process));
        self
    }

    /// Records one finished reload (or a cached answer, or a superseded one).
    pub fn record(&self, result: &ApplyResult) {
        let label = if result.cached {
            "cached"
        } else {
            outcome_label(result.outcome)
        };
        self.reloads
            .get_or_create(&ReloadLabels {
                result: label,
                trigger: trigger_label(result.trigger),
            })
            .inc();
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
            self.phases
                .get_or_create(&PhaseLabels { phase })
                .observe(ms as f64 / 1e3);
        }
        let stats = &result.delta.stats;
        self.last_delta_deletes.set(count(stats.deletes));
        self.last_delta_adds.set(count(stats.adds));
        self.delta_lines
            .observe((stats.deletes + stats.adds) as f64);
        self.drift.set(count(result.residue.len()));
        let converged = result.outcome == Outcome::Converged;
        self.converged.set(i64::from(converged));
        if converged {
            self.last_success.set(result.finished_at_ms as f64 / 1e3);
        }
    }

    /// Counts an FRR restart seen in the run directory: one per burst of
    /// daemons starting (see [`RESTART_BURST`]). True when this socket
    /// began a new restart.
    pub fn frr_restart(&self) -> bool {
        self.frr_restart_at(Instant::now())
    }

    fn frr_restart_at(&self, now: Instant) -> bool {
        let mut began = self.restart_began.lock().unwrap_or_else(|e| e.into_inner());
        let same = began.is_some_and(|at| now.saturating_duration_since(at) < RESTART_BURST);
        if !same {
            *began = Some(now);
            self.frr_restarts.inc();
        }
        !same
    }

    /// Counts a socket API request.
    pub fn request(&self) {
        self.requests.inc();
    }

    /// Counts a socket peer refused by `--allow-uid`.
    pub fn rejected_peer(&self) {
        self.rejected_peers.inc();
    }

    /// The metrics in Prometheus text format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(e) =
            prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
        {
            tracing::warn!(error = %e, "cannot encode the metrics");
        }
        out
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The label (and log field) of an outcome.
pub(crate) fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Converged => "converged",
        Outcome::ConversionFailed => "conversion_failed",
        Outcome::NotConverged => "not_converged",
        Outcome::FrrUnreachable => "frr_unreachable",
        Outcome::Superseded => "superseded",
        Outcome::ImpactRefused => "impact_refused",
        Outcome::PartlyApplied => "partly_applied",
    }
}

/// The label (and log field) of a trigger.
pub(crate) fn trigger_label(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Api => "api",
        Trigger::Compat => "compat",
        Trigger::Startup => "startup",
        Trigger::FrrRestart => "frr_restart",
        Trigger::Resync => "resync",
        Trigger::Retry => "retry",
        Trigger::Rollback => "rollback",
        Trigger::Cli => "cli",
    }
}

/// The `process_*` metrics of Prometheus's client libraries, read from
/// `/proc/self` at each scrape (nothing when it cannot be read).
#[derive(Debug)]
struct Process;

/// Clock ticks per second in `/proc/*/stat`: the kernel's USER_HZ, 100
/// on every Linux architecture (Prometheus's own procfs reader assumes it
/// too).
const USER_HZ: f64 = 100.0;

/// What `/proc/self` tells about the process.
#[derive(Debug, Default, PartialEq)]
struct ProcStat {
    cpu_seconds: f64,
    start_time_seconds: f64,
    virtual_bytes: f64,
    resident_bytes: f64,
    open_fds: f64,
    max_fds: Option<f64>,
}

impl ProcStat {
    fn read() -> Option<ProcStat> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let boot = std::fs::read_to_string("/proc/stat").ok()?;
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let open_fds = std::fs::read_dir("/proc/self/fd").ok()?.count();
        let mut proc_stat = ProcStat::parse(&stat, &status, &boot)?;
        proc_stat.open_fds = open_fds as f64;
        proc_stat.max_fds = max_open_files(&limits);
        Some(proc_stat)
    }

    /// Parses `/proc/self/stat`, `/proc/self/status` and `/proc/stat`.
    fn parse(stat: &str, status: &str, boot: &str) -> Option<ProcStat> {
        // The command name, in parentheses, may hold spaces: the fields
        // counted are those after it, from the state (field 3).
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let field = |n: usize| fields.get(n - 3)?.parse::<f64>().ok();
        let boot_time = boot
            .lines()
            .find_map(|line| line.strip_prefix("btime "))?
            .trim()
            .parse::<f64>()
            .ok()?;
        let rss_kb = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
            .unwrap_or(0.0);
        Some(ProcStat {
            cpu_seconds: (field(14)? + field(15)?) / USER_HZ,
            start_time_seconds: boot_time + field(22)? / USER_HZ,
            virtual_bytes: field(23)?,
            resident_bytes: rss_kb * 1024.0,
            ..ProcStat::default()
        })
    }
}

/// The soft limit of open files in `/proc/self/limits`.
fn max_open_files(limits: &str) -> Option<f64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?;
    soft.parse().ok()
}

fn gauge(encoder: &mut DescriptorEncoder, name: &str, help: &str, value: f64) -> std::fmt::Result {
    let gauge = ConstGauge::new(value);
    gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)
}

impl Collector for Process {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::fmt::Result {
        let Some(p) = ProcStat::read() else {
            return Ok(());
        };
        let cpu = ConstCounter::new(p.cpu_seconds);
        cpu.encode(encoder.encode_descriptor(
            "process_cpu_seconds",
            "Total user and system CPU time spent in seconds.",
            None,
            cpu.metric_type(),
        )?)?;
        let e = &mut encoder;
        gauge(
            e,
            "process_open_fds",
            "Number of open file descriptors.",
            p.open_fds,
        )?;
        if let Some(max) = p.max_fds {
            gauge(
                e,
                "process_max_fds",
                "Maximum number of open file descriptors.",
                max,
            )?;
        }
        gauge(
            e,
            "process_virtual_memory_bytes",
            "Virtual memory size in bytes.",
            p.virtual_bytes,
        )?;
        gauge(
            e,
            "process_resident_memory_bytes",
            "Resident memory size in bytes.",
            p.resident_bytes,
        )?;
        gauge(
            e,
            "process_start_time_seconds",
            "Start time of the process since unix epoch in seconds.",
            p.start_time_seconds,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converged(adds: usize) -> ApplyResult {
        let mut result = ApplyResult {
            outcome: Outcome::Converged,
            finished_at_ms: 1_700_000_000_000,
            ..ApplyResult::default()
        };
        result.timings_ms.total_ms = 30;
        result.delta.stats.adds = adds;
        result
    }

    #[test]
    fn renders_counts_and_histograms() {
        let metrics = Metrics::default();
        metrics.record(&converged(3));
        metrics.frr_restart();
        let text = metrics.render();
        for want in [
            "# TYPE frr_reload_agent_reloads_total counter\n",
            "frr_reload_agent_reloads_total{result=\"converged\",trigger=\"api\"} 1\n",
            "frr_reload_agent_reload_duration_seconds_bucket{phase=\"total\",le=\"0.025\"} 0\n",
            "frr_reload_agent_reload_duration_seconds_bucket{phase=\"total\",le=\"0.05\"} 1\n",
            "frr_reload_agent_reload_duration_seconds_count{phase=\"total\"} 1\n",
            "frr_reload_agent_delta_lines_bucket{le=\"1\"} 0\n",
            "frr_reload_agent_delta_lines_bucket{le=\"5\"} 1\n",
            "frr_reload_agent_delta_lines_sum 3.0\n",
            "frr_reload_agent_last_success_timestamp_seconds 1700000000.0\n",
            "frr_reload_agent_frr_restarts_total 1\n",
            "frr_reload_agent_converged 1\n",
            "frr_reload_agent_api_requests_total 0\n",
            "frr_reload_agent_build_info{version=\"",
            "# TYPE process_cpu_seconds_total counter\n",
            "process_resident_memory_bytes ",
            "process_open_fds ",
        ] {
            assert!(text.contains(want), "missing {want:?} in\n{text}");
        }
        assert!(!text.contains("# EOF"), "{text}");
    }

    #[test]
    fn large_deltas_fall_in_line_buckets() {
        let metrics = Metrics::default();
        metrics.record(&converged(700));
        let text = metrics.render();
        assert!(
            text.contains("frr_reload_agent_delta_lines_bucket{le=\"500\"} 0\n"),
            "{text}"
        );
        assert!(
            text.contains("frr_reload_agent_delta_lines_bucket{le=\"1000\"} 1\n"),
            "{text}"
        );
    }

    #[test]
    fn a_burst_of_sockets_is_one_restart() {
        let metrics = Metrics::default();
        let start = Instant::now();
        let began: Vec<bool> = [0, 300, 900, 1500]
            .iter()
            .map(|ms| metrics.frr_restart_at(start + Duration::from_millis(*ms)))
            .collect();
        assert_eq!(began, [true, false, false, false]);
        assert_eq!(metrics.frr_restarts.get(), 1);
        assert!(metrics.frr_restart_at(start + Duration::from_secs(30)));
        assert_eq!(metrics.frr_restarts.get(), 2);
    }

    #[test]
    fn a_daemon_that_keeps_restarting_keeps_counting() {
        let metrics = Metrics::default();
        let start = Instant::now();
        for s in [0, 3, 6, 9, 12] {
            metrics.frr_restart_at(start + Duration::from_secs(s));
        }
        assert_eq!(
            metrics.frr_restarts.get(),
            3,
            "bursts begin at 0, 6 and 12 s"
        );
    }

    #[test]
    fn parses_proc() {
        let stat = "4242 (frr reload) agent) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 3 0 1000 123456789 900";
        let status = "Name:\tx\nVmRSS:\t    2048 kB\n";
        let boot = "cpu 1 2 3\nbtime 1700000000\n";
        let p = ProcStat::parse(stat, status, boot).expect("parsed");
        assert_eq!(p.cpu_seconds, 3.0);
        assert_eq!(p.start_time_seconds, 1_700_000_010.0);
        assert_eq!(p.virtual_bytes, 123_456_789.0);
        assert_eq!(p.resident_bytes, 2_097_152.0);
        let limits = "Limit  Soft Limit  Hard Limit  Units\nMax open files            1024                 524288               files\n";
        assert_eq!(max_open_files(limits), Some(1024.0));
    }
}
