//! Topotest routers against copies of themselves with lines taken out
//! and values changed (`tests::mutate`), both ways, on one release and
//! daemon set per run, each reloaded by ours and judged strictly against
//! a clean boot (`tests::cleanboot`): deletes and changes of single
//! settings inside blocks, which the pairs of `coverage.rs` rarely ask
//! for. Its first runs found an `exec-timeout` left running (a false
//! success), ospfd's TE router address and isisd's interface settings
//! without an area read wrong, and a text ending with a top-level `exit`
//! refused.
//!
//! Environment: `MUT_SEED` (the routers drawn and their copies; default
//! 1), `MUT_COUNT` (routers, default 20), `MUT_CORPUS=k8s` (frr-k8s's
//! configurations instead of the topotest routers), `CLEAN_BOOT_FRR` (default 8.4),
//! `FRA_DAEMONS` (`frr-k8s` or `every`), `MUT_FRR_RELOAD=1` (frr-reload.py
//! too), `CLEAN_BOOT_JOBS`, `CLEAN_BOOT_VERBOSE`. The copies are written to
//! `MUT_DIR` when set, to rerun a case by hand.
//!
//! Long, so ignored as `opt-in` (never run by scripts/test.sh); reports
//! only, failing on nothing but harness errors.

use tests::cleanboot::{self, env_number, Case, Runner};
use tests::corpus::{self, Input};
use tests::frr::{require, DaemonSet};
use tests::mutate::mutate;
use tests::rng::Rng;

#[test]
#[ignore = "opt-in: long, topotest routers against copies of themselves (MUT_SEED, MUT_COUNT)"]
fn mutations() {
    let release = cleanboot::release_from_env();
    require(release, "mutations");
    let set = DaemonSet::from_env();
    let seed = env_number("MUT_SEED").unwrap_or(1);
    let count = usize::try_from(env_number("MUT_COUNT").unwrap_or(20)).unwrap_or(usize::MAX);
    let dir = std::env::var_os("MUT_DIR").map(std::path::PathBuf::from);
    let mut inputs: Vec<Input> = match std::env::var("MUT_CORPUS").as_deref() {
        Ok("k8s") => corpus::k8s(),
        _ => corpus::routers().map(|r| r.into_iter().map(|r| r.input).collect()),
    }
    .unwrap_or_else(|e| panic!("{e}"));
    let mut rng = Rng::new(seed);
    rng.shuffle(&mut inputs);
    let mut cases = Vec::new();
    for full in inputs.iter().take(count) {
        let copy = Input {
            name: format!("{}~m{seed}", full.name),
            text: mutate(&full.text, &mut rng),
        };
        if let Some(dir) = &dir {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            for input in [full, &copy] {
                let path = dir.join(format!("{}.conf", input.name));
                std::fs::write(&path, &input.text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
        cases.push(Case::new("mut", full, &copy));
        cases.push(Case::new("mut", &copy, full));
    }
    let with_frr_reload = std::env::var_os("MUT_FRR_RELOAD").is_some();
    let runner = Runner::new(release, with_frr_reload).with_daemons(set);
    let reports = runner.run(&cases);
    for report in reports.iter().filter(|r| !r.ours.strict()) {
        println!("{}", cleanboot::line(report));
    }
    println!(
        "== mutations, FRR {release} with {}'s daemons, seed {seed}:\n{}",
        set.label(),
        cleanboot::summary(&reports)
    );
    cleanboot::assert_no_harness_errors(&reports);
}
