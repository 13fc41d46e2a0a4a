//! Coverage of the whole corpus against real FRR, one release and one
//! daemon set per run (`scripts/coverage.sh` runs the grid and prints the
//! table): the topotest routers (each the union of its
//! `<test>__<router>_*.conf` files), empty → each and every ordered pair
//! of routers of the same topotest, and frr-k8s's configurations, empty →
//! each and the chain through them. Each case is reloaded by ours and by
//! `frr-reload.py` of the same release and judged strictly against a
//! clean boot (`tests::cleanboot`, `tests/clean-boot-allowed.txt`).
//!
//! The cases run in a seeded shuffled order, so a run stopped early is a
//! sample; each case is appended to the report as it ends
//! (`COVERAGE_REPORT`, JSON lines, see `tests::cleanboot::Record`), and a
//! case the report already holds for both tools is skipped: a stopped run
//! is taken up again by running it again.
//!
//! Environment: `COVERAGE_REPORT` (required), `CLEAN_BOOT_FRR` (the
//! release, default 8.4), `FRA_DAEMONS` (`frr-k8s` or `every`),
//! `COVERAGE_SAMPLE` (the first N cases of the shuffled order; default
//! all), `COVERAGE_SEED`, `CLEAN_BOOT_JOBS`, `CLEAN_BOOT_VERBOSE`.
//!
//! Long, so ignored as `opt-in` (never run by scripts/test.sh); reports
//! only, failing on nothing but harness errors.

use std::path::PathBuf;
use std::time::Instant;

use tests::cleanboot::{self, chain, env_number, from_empty, Case, Runner, FRR_RELOAD, OURS};
use tests::corpus::{self, Router};
use tests::frr::{require, DaemonSet};
use tests::rng::Rng;

/// The default seed of the shuffled order.
const SEED: u64 = 0x000c_07e7_a6e5;

/// Every ordered pair of distinct routers of the same topotest.
fn pairs(routers: &[Router]) -> Vec<Case> {
    let mut cases = Vec::new();
    for a in routers {
        for b in routers.iter().filter(|b| b.test == a.test) {
            if a.input.name != b.input.name {
                cases.push(Case::new("topo-pair", &a.input, &b.input));
            }
        }
    }
    cases
}

/// Every case of the corpus, in the seeded shuffled order.
fn all_cases(seed: u64) -> Vec<Case> {
    let k8s = corpus::k8s().unwrap_or_else(|e| panic!("{e}"));
    let routers = corpus::routers().unwrap_or_else(|e| panic!("{e}"));
    let inputs: Vec<_> = routers.iter().map(|r| r.input.clone()).collect();
    let mut cases = from_empty("k8s", &k8s);
    cases.extend(chain("k8s-chain", &k8s));
    cases.extend(from_empty("topo", &inputs));
    cases.extend(pairs(&routers));
    Rng::new(seed).shuffle(&mut cases);
    cases
}

#[test]
#[ignore = "opt-in: long, the whole corpus on one release and daemon set (scripts/coverage.sh)"]
fn coverage() {
    let release = cleanboot::release_from_env();
    require(release, "coverage");
    let report = PathBuf::from(
        std::env::var_os("COVERAGE_REPORT").expect("COVERAGE_REPORT: the report file"),
    );
    let set = DaemonSet::from_env();
    let seed = env_number("COVERAGE_SEED").unwrap_or(SEED);
    let mut cases = all_cases(seed);
    let total = cases.len();
    if let Some(n) = env_number("COVERAGE_SAMPLE") {
        cases.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
    let runner = Runner::new(release, true)
        .with_daemons(set)
        .with_log(&report);
    let done = cleanboot::done(&report, &[OURS, FRR_RELOAD]);
    let sampled = cases.len();
    cases.retain(|c| !done.contains(&runner.id(c)));
    eprintln!(
        "coverage, FRR {release} with {}'s daemons: {} of {sampled} cases to run ({} done; {total} in the corpus)",
        set.label(),
        cases.len(),
        sampled - cases.len()
    );
    let started = Instant::now();
    let reports = runner.run(&cases);
    eprintln!(
        "== coverage, FRR {release} with {}'s daemons: {} cases in {:.0?}\n{}",
        set.label(),
        reports.len(),
        started.elapsed(),
        cleanboot::summary(&reports)
    );
    cleanboot::assert_no_harness_errors(&reports);
}
