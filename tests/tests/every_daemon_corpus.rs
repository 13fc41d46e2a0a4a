//! False successes on real topotest configs with every daemon running
//! (`FRA_DAEMONS=every`): empty → each config FRR 8.4's dry run accepts
//! among those that configure daemons beyond frr-k8s's four, judged
//! against a clean boot. A false success is a case our reload reports
//! converged while the oracle fails it: FRR prints something else than
//! the clean boot, or reloading the same configuration again still sends
//! commands.
//!
//! Long, so ignored as `opt-in` (never run by scripts/test.sh; needs root,
//! FRR and the corpus): `FRA_DAEMONS=every cargo test -p tests --test
//! every_daemon_corpus -- --ignored --nocapture`; `EVERY_DAEMON_CASES`
//! caps the number of configs (default 40), `EVERY_DAEMON_SKIP` skips the
//! first ones (in file order), `EVERY_DAEMON_MATCH=a,b` keeps the configs
//! that contain one of the comma-separated strings, `CLEAN_BOOT_FRR=10.3`
//! runs it on FRR 10.3.

use tests::cleanboot::{self, from_empty, Runner, Verdict};
use tests::corpus;
use tests::frr::require;

#[test]
#[ignore = "opt-in: long, a slice of the topotest corpus with every daemon"]
fn every_daemon_false_successes() {
    let release = cleanboot::release_from_env();
    require(release, "every_daemon_false_successes");
    let number = |name: &str, default: usize| -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (skip, cap) = (
        number("EVERY_DAEMON_SKIP", 0),
        number("EVERY_DAEMON_CASES", 40),
    );
    let wanted: Vec<String> = std::env::var("EVERY_DAEMON_MATCH")
        .unwrap_or_default()
        .split(',')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let files = corpus::topotest_files().unwrap_or_else(|e| panic!("{e}"));
    let other: Vec<_> = files
        .into_iter()
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|text| !corpus::in_scope(f, &text)))
        .collect();
    let inputs: Vec<_> = corpus::accepted(&other)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|input| wanted.is_empty() || wanted.iter().any(|w| input.text.contains(w)))
        .skip(skip)
        .take(cap)
        .collect();
    let runner = Runner::new(release, false);
    let reports = runner.run(&from_empty("topo-other", &inputs));
    let false_successes: Vec<_> = reports
        .iter()
        .filter(|r| r.converged && matches!(r.ours, Verdict::Fail(_)))
        .collect();
    for report in &false_successes {
        eprintln!("FALSE SUCCESS {}", cleanboot::line(report));
    }
    eprintln!(
        "== {} cases, {} false successes\n{}",
        reports.len(),
        false_successes.len(),
        cleanboot::summary(&reports)
    );
}
