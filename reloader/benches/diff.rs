//! Parse and diff speed on frr-k8s-shaped configurations of 1k to 1M
//! lines (`cargo bench -p reloader --bench diff`), and the session-impact
//! prediction of each delta. Throughput is in configuration lines; time
//! should grow linearly with them.

// Each user of the generator needs a different part of it.
#[allow(dead_code)]
mod k8s_gen;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use k8s_gen::{Spec, Transition, DEFAULT_NEIGHBORS};
use reloader::{diff, diff_text, Config, Options};

/// Sizes every group runs, as (label, target line count).
const SIZES: [(&str, usize); 3] = [("1k", 1_000), ("10k", 10_000), ("100k", 100_000)];
/// The largest size: parse and no-op diff only.
const HUGE: (&str, usize) = ("1M", 1_000_000);
/// Transitions of the `diff` and `script` groups.
const TRANSITIONS: [Transition; 3] = [
    Transition::Noop,
    Transition::DenyPermit,
    Transition::RemoveMiddle,
];

/// A running and desired configuration pair of one size.
struct Case {
    size: &'static str,
    transition: Transition,
    running: String,
    desired: String,
    lines: u64,
}

impl Case {
    fn new((size, lines): (&'static str, usize), transition: Transition) -> Case {
        let spec = Spec::for_lines(lines, DEFAULT_NEIGHBORS);
        let running = spec.render();
        Case {
            size,
            transition,
            lines: running.lines().count() as u64,
            desired: transition.apply(&spec).render(),
            running,
        }
    }

    fn id(&self) -> BenchmarkId {
        BenchmarkId::new(self.transition.name(), self.size)
    }
}

/// Every (size, transition) case of the `diff` and `script` groups.
fn cases() -> impl Iterator<Item = Case> {
    let small = SIZES
        .into_iter()
        .flat_map(|size| TRANSITIONS.map(|t| Case::new(size, t)));
    small.chain(std::iter::once_with(|| Case::new(HUGE, Transition::Noop)))
}

/// Fewer samples for the large sizes, so the whole run takes minutes.
fn sized(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, lines: u64) {
    group.throughput(Throughput::Elements(lines));
    group.sample_size(if lines >= 100_000 { 10 } else { 20 });
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.sampling_mode(SamplingMode::Flat);
    for size in SIZES.into_iter().chain([HUGE]) {
        let case = Case::new(size, Transition::Noop);
        sized(&mut group, case.lines);
        group.bench_function(case.size, |b| {
            b.iter(|| Config::parse(black_box(&case.desired)).unwrap())
        });
    }
    group.finish();
}

fn parse_and_diff(c: &mut Criterion) {
    let options = Options::default();
    let mut group = c.benchmark_group("diff");
    group.sampling_mode(SamplingMode::Flat);
    for case in cases() {
        sized(&mut group, case.lines);
        group.bench_function(case.id(), |b| {
            b.iter(|| {
                diff_text(black_box(&case.running), black_box(&case.desired), &options).unwrap()
            })
        });
    }
    group.finish();
}

fn script(c: &mut Criterion) {
    let mut group = c.benchmark_group("script");
    group.sampling_mode(SamplingMode::Flat);
    for case in cases() {
        let running = Config::parse(&case.running).unwrap();
        let desired = Config::parse(&case.desired).unwrap();
        sized(&mut group, case.lines);
        group.bench_function(case.id(), |b| {
            b.iter(|| diff(black_box(&running), black_box(&desired)))
        });
    }
    group.finish();
}

/// The session-impact prediction of each case's delta, to set beside the
/// `script` group's diff of the same parsed configurations (issue 20's
/// target: the prediction adds at most 10% to the diff).
fn impact(c: &mut Criterion) {
    let mut group = c.benchmark_group("impact");
    group.sampling_mode(SamplingMode::Flat);
    for case in cases() {
        let running = Config::parse(&case.running).unwrap();
        let desired = Config::parse(&case.desired).unwrap();
        let delta = diff(&running, &desired);
        let version = reloader::FrrVersion::default();
        sized(&mut group, case.lines);
        group.bench_function(case.id(), |b| {
            b.iter(|| reloader::diff::impact::impact(black_box(&running), &delta, version))
        });
    }
    group.finish();
}

// What `criterion_group!` + `criterion_main!` expand to, written out:
// the macro's undocumented `pub fn` would trip `missing_docs`.
fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    parse(&mut c);
    parse_and_diff(&mut c);
    script(&mut c);
    impact(&mut c);
    c.final_summary();
}
