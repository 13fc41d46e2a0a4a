//! Clean-boot equivalence against real FRR (8.4 on the host, each FRR 10
//! in its chroot): booting with A and reloading to B must give what
//! booting with B gives, line for line but for the reviewed differences
//! of `tests/clean-boot-allowed.txt` (counted as warnings), for the
//! frr-k8s corpus (empty → each, and a chain through all of them),
//! generated frr-k8s-shaped transitions and a seeded sample of topotest
//! routers (each the union of its files), empty → each. Every release
//! runs a sample with every daemon it ships; 10.4.3 (frr-k8s's) also
//! with frr-k8s's daemons. On 8.4, `frr-reload.py` runs the same cases
//! and its pass rate is printed next to ours. A failure of ours fails the
//! test unless `tests/clean-boot-known.txt` lists it.
//!
//! Also: reloading the configuration that runs sends nothing, and bad
//! input is refused with the running configuration left byte for byte.
//!
//! Needs root (namespaces, daemons), FRR and the corpus: ignored unless
//! asked for (see scripts/test.sh), and failing when run without them.
//! The long run over the whole corpus is ignored as `opt-in`: never run
//! by `--include-ignored` in scripts/test.sh. `CLEAN_BOOT_VERBOSE=1`
//! prints every case as it ends; `CLEAN_BOOT_JOBS` sets the parallelism;
//! `CLEAN_BOOT_REPORT=FILE` appends every case's result to FILE. The long
//! run over the whole corpus, on every release, daemon set and tool, is
//! `scripts/coverage.sh` (tests/tests/coverage.rs).

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use reloader::frr::{Output, Vtysh, VtyshCommand};
use reloader::pipeline::{reload, Settings};
use reloader::{Config, Error};
use tests::cleanboot::{self, chain, from_empty, Case, Report, Runner};
use tests::corpus::{self, Input};
use tests::frr::{releases, require, DaemonSet, FrrInstance, Release};
use tests::gen;
use tests::rng::Rng;

/// Seed of the topotest sample and of the generated transitions.
const SEED: u64 = 0x000c_1ea0_b007;
/// Topotest routers in the sample (8.4; each FRR 10 takes the first
/// third).
const TOPOTEST_SAMPLE: usize = 30;
/// Generated transitions (8.4; each FRR 10 takes half).
const GENERATED: usize = 24;

fn known() -> std::collections::BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("clean-boot-known.txt");
    cleanboot::known(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn generated(count: usize) -> Vec<Case> {
    let inputs: Vec<Input> = gen::random::chain(SEED, count)
        .into_iter()
        .enumerate()
        .map(|(i, (_, text))| Input {
            name: format!("gen{i:02}"),
            text,
        })
        .collect();
    let mut cases = from_empty("gen", &inputs[..1]);
    cases.extend(chain("gen", &inputs));
    cases
}

fn k8s_cases() -> Vec<Case> {
    let k8s = corpus::k8s().unwrap_or_else(|e| panic!("{e}"));
    let mut cases = from_empty("k8s", &k8s);
    cases.extend(chain("k8s-chain", &k8s));
    cases
}

/// Empty → each of a seeded sample of `count` topotest routers.
fn topo_cases(count: usize) -> Vec<Case> {
    let mut routers: Vec<Input> = corpus::routers()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|r| r.input)
        .collect();
    Rng::new(SEED).shuffle(&mut routers);
    routers.truncate(count);
    assert_eq!(routers.len(), count, "topotest sample too small");
    from_empty("topo", &routers)
}

/// Runs `cases`, prints the results and fails on failures of ours that
/// are not known.
fn check(title: &str, runner: &Runner, cases: &[Case]) -> Vec<Report> {
    let started = Instant::now();
    let reports = runner.run(cases);
    // Failures of ours, and of frr-reload.py beyond the forwarding it
    // turns on.
    for report in reports
        .iter()
        .filter(|r| !r.ours.passed() || r.frr_reload_lenient == Some(false))
    {
        eprintln!("{}", cleanboot::line(report));
    }
    eprintln!(
        "== {title}: {} cases in {:.0?}\n{}",
        reports.len(),
        started.elapsed(),
        cleanboot::summary(&reports)
    );
    cleanboot::write_report(title, &reports);
    let bad = cleanboot::unexpected(&reports, &known());
    assert!(
        bad.is_empty(),
        "{title}: {} failures of ours not in tests/clean-boot-known.txt:\n{}",
        bad.len(),
        bad.join("\n")
    );
    reports
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn clean_boot_equivalence_frr84() {
    require(Release::Frr84, "clean_boot_equivalence_frr84");
    // Half the generated chain and half the topotest sample (their heads:
    // the same cases as before, fewer): every daemon costs about twice a
    // case, and CI's time is bounded (issue 16).
    let mut cases = k8s_cases();
    cases.extend(generated(GENERATED / 2));
    let mut topo = topo_cases(TOPOTEST_SAMPLE);
    topo.truncate(TOPOTEST_SAMPLE / 2);
    cases.extend(topo);
    check(
        "clean boot, FRR 8.4, every daemon",
        &Runner::new(Release::Frr84, true).with_daemons(DaemonSet::Every),
        &cases,
    );
}

/// The FRR 10 releases the tests run on (`FRA_RELEASES`, else all).
fn frr10_releases() -> Vec<Release> {
    releases().into_iter().filter(|r| r.chrooted()).collect()
}

/// The FRR 10 releases, with every daemon: frr-k8s's configurations
/// empty → each, a quarter of the generated chain and a third of the
/// topotest sample; 10.4.3, what frr-k8s ships, also with frr-k8s's
/// daemons on the sample the FRR 10 releases always ran (frr-k8s's
/// transitions, half the generated chain, the same topotest third).
/// Sized for CI's time (issue 16: every daemon costs about twice as
/// much a case).
fn clean_boot_equivalence_frr10_on(release: Release) {
    require(release, "clean_boot_equivalence");
    let topo = topo_cases(TOPOTEST_SAMPLE / 3);
    let k8s = corpus::k8s().unwrap_or_else(|e| panic!("{e}"));
    let mut every = from_empty("k8s", &k8s);
    every.extend(generated(GENERATED / 4));
    every.extend(topo.iter().cloned());
    check(
        &format!("clean boot, FRR {release}, every daemon"),
        &Runner::new(release, false).with_daemons(DaemonSet::Every),
        &every,
    );
    if release == Release::Frr1043 {
        let mut cases = k8s_cases();
        cases.extend(generated(GENERATED / 2));
        cases.extend(topo);
        check(
            &format!("clean boot, FRR {release}, frr-k8s's daemons"),
            &Runner::new(release, false).with_daemons(DaemonSet::FrrK8s),
            &cases,
        );
    }
}

/// On every FRR 10 release selected (see `tests::frr::releases`).
#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn clean_boot_equivalence_frr10() {
    for release in frr10_releases() {
        clean_boot_equivalence_frr10_on(release);
    }
}

// ---------------------------------------------------------------------------
// Identical config, bad input
// ---------------------------------------------------------------------------

/// A vtysh that records the configuration scripts it is asked to run.
struct Recording {
    inner: VtyshCommand,
    sent: Mutex<Vec<String>>,
}

impl Recording {
    fn new(instance: &FrrInstance) -> Recording {
        Recording {
            inner: instance.vtysh(),
            sent: Mutex::new(vec![]),
        }
    }
}

impl Vtysh for Recording {
    type Prepared = ();

    fn running_config(&self) -> Result<String, Error> {
        self.inner.running_config()
    }
    fn show_version(&self) -> Result<String, Error> {
        self.inner.show_version()
    }
    fn dry_run(&self, config: &str) -> Result<Output, Error> {
        self.inner.dry_run(config)
    }
    fn apply(&self, script: &str) -> Result<Output, Error> {
        self.sent.lock().unwrap().push(script.to_owned());
        self.inner.apply(script)
    }
    fn write_memory(&self) -> Result<Output, Error> {
        self.sent.lock().unwrap().push("write memory".to_owned());
        self.inner.write_memory()
    }
}

fn corpus_file(name: &str) -> String {
    corpus::k8s()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("frr-k8s/{name}.conf is not in the corpus"))
        .text
}

fn identical_config_sends_nothing(release: Release) {
    let mut configs: Vec<(String, String)> = [
        "TestSingleSessionBFD",
        "TestEVPNFull",
        "TestTwoSessionsAcceptSomeV4",
    ]
    .iter()
    .map(|n| (n.to_string(), corpus_file(n)))
    .collect();
    let (_, last) = gen::random::chain(SEED, 12).pop().expect("a chain");
    configs.push(("gen12".into(), last));
    let mut failures = Vec::new();
    let mut ran = Vec::new();
    for (name, config) in configs {
        let id = format!("{}:identical/{name}", cleanboot::tag(release));
        ran.push(id.clone());
        let instance = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
        instance.load(&config).unwrap_or_else(|e| panic!("{e}"));
        let before = instance.running_config().unwrap_or_else(|e| panic!("{e}"));
        let bgp_before = sessions(&instance);
        let vtysh = Recording::new(&instance);
        let result = reload(&vtysh, &config, &Settings::default());
        let after = instance.running_config().unwrap_or_else(|e| panic!("{e}"));
        let bgp_after = sessions(&instance);
        let mut problems = Vec::new();
        if !result.reload.converged || result.reload.passes != 0 {
            problems.push(format!(
                "{} passes: {}",
                result.reload.passes, result.last_reload_result
            ));
        }
        if !vtysh.sent.lock().unwrap().is_empty() {
            problems.push(format!("sent {:?}", vtysh.sent.lock().unwrap()));
        }
        if before != after {
            problems.push("running config changed".into());
        }
        if bgp_before != bgp_after {
            problems.push(format!(
                "BGP sessions were reset: {bgp_before:?} then {bgp_after:?}"
            ));
        }
        if !problems.is_empty() {
            failures.push((id, problems.join("; ")));
        }
    }
    fail_unless_known(&ran, &failures);
}

/// Every `connectionsEstablished` and `connectionsDropped` counter of
/// `show bgp summary json`, by its path: what a reset changes. (The rest
/// of the summary moves on its own: a peer that never comes up goes from
/// Active to Connect and back, its timers run.)
fn sessions(instance: &FrrInstance) -> Vec<(String, u64)> {
    fn walk(value: &serde_json::Value, path: &str, out: &mut Vec<(String, u64)>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let here = format!("{path}/{key}");
                    match (key.as_str(), value.as_u64()) {
                        ("connectionsEstablished" | "connectionsDropped", Some(n)) => {
                            out.push((here, n));
                        }
                        _ => walk(value, &here, out),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    walk(value, &format!("{path}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let run = instance
        .vtysh_run(&["-c", "show bgp summary json"])
        .unwrap_or_else(|e| panic!("{e}"));
    // Not JSON (no BGP at all, an error): compared as it is.
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&run.stdout) else {
        return vec![(run.stdout, 0)];
    };
    let mut out = Vec::new();
    walk(&json, "", &mut out);
    out
}

/// Prints `failures` (id, why) and fails on those not known; prints the
/// known entries among `ran` that passed.
fn fail_unless_known(ran: &[String], failures: &[(String, String)]) {
    let known = known();
    for (id, why) in failures {
        let note = if known.contains_key(id) {
            " (known)"
        } else {
            ""
        };
        eprintln!("FAIL{note} {id}: {why}");
    }
    for id in ran {
        if let (Some(reason), false) = (known.get(id), failures.iter().any(|(f, _)| f == id)) {
            eprintln!("known failure now passes (remove it from the list): {id} -- {reason}");
        }
    }
    let unknown: Vec<&str> = failures
        .iter()
        .filter(|(id, _)| !known.contains_key(id))
        .map(|(id, _)| id.as_str())
        .collect();
    assert!(
        unknown.is_empty(),
        "failures not in tests/clean-boot-known.txt: {unknown:?}"
    );
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn identical_config_sends_nothing_frr84() {
    require(Release::Frr84, "identical_config_sends_nothing_frr84");
    identical_config_sends_nothing(Release::Frr84);
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn identical_config_sends_nothing_frr10() {
    for release in frr10_releases() {
        require(release, "identical_config_sends_nothing_frr10");
        identical_config_sends_nothing(release);
    }
}

/// 50 MB of prefix-list entries and, last, a command FRR does not know.
fn fifty_megabytes() -> String {
    let mut text = String::with_capacity(51 << 20);
    let mut i: u32 = 0;
    while text.len() < 50 << 20 {
        i += 1;
        text.push_str(&format!(
            "ip prefix-list big seq {i} permit 198.{}.{}.{}/32\n",
            18 + (i >> 16) % 2,
            (i >> 8) & 0xff,
            i & 0xff
        ));
    }
    text.push_str("this is not a command\n");
    text
}

fn bad_inputs(huge: bool) -> Vec<(&'static str, String)> {
    let base = corpus_file("TestSingleSessionBFD");
    let cut = base.find("remote-as").expect("a remote-as line") + "remote-as".len();
    let mut inputs = vec![
        (
            "unknown command at the end",
            format!("{base}\nthis is not a command\n"),
        ),
        (
            "unknown command in a block",
            format!("{base}\nrouter bgp 64512\n  neighbor 192.0.2.9 remote-ass 64513\n"),
        ),
        (
            "wrong nesting: neighbor outside router bgp",
            "ip prefix-list x seq 5 permit 192.0.2.0/24\nneighbor 192.0.2.1 remote-as 64513\n"
                .to_owned(),
        ),
        (
            "wrong nesting: address-family at top level",
            "address-family ipv4 unicast\n network 198.51.100.0/24\nexit-address-family\n"
                .to_owned(),
        ),
        (
            "wrong nesting: bfd profile line under router bgp",
            "router bgp 64512\n profile p1\n  receive-interval 100\n".to_owned(),
        ),
        ("truncated file (mid-command)", base[..cut].to_owned()),
        ("empty file", String::new()),
        ("blank file", "\n\n   \n!\n".to_owned()),
        (
            "binary file",
            String::from_utf8_lossy(
                b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xfe\x00router bgp\x00\x01\x02\n",
            )
            .into_owned(),
        ),
        ("50 MB single line", "a".repeat(50 << 20)),
    ];
    if huge {
        inputs.push(("50 MB file ending in an unknown command", fifty_megabytes()));
    }
    inputs
}

fn bad_input_changes_nothing(release: Release, huge: bool) {
    let instance = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
    instance
        .load(&corpus_file("TestSingleSessionBFD"))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = instance.running_config().unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut ran = Vec::new();
    for (what, text) in bad_inputs(huge) {
        ran.push(format!("{}:bad/{what}", cleanboot::tag(release)));
        let started = Instant::now();
        let vtysh = Recording::new(&instance);
        let result = reload(&vtysh, &text, &Settings::default());
        let after = instance.running_config().unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "{release} {what}: {:.1?}: {}",
            started.elapsed(),
            result
                .last_reload_result
                .chars()
                .take(160)
                .collect::<String>()
        );
        let mut problems = Vec::new();
        if result.conversion.ok || result.reload.converged || result.last_reload_result == "success"
        {
            problems.push(format!("accepted: {}", result.last_reload_result));
        }
        if !vtysh.sent.lock().unwrap().is_empty() {
            problems.push("sent a script".to_owned());
        }
        if before != after {
            problems.push("running config changed".to_owned());
        }
        if !problems.is_empty() {
            failures.push((
                format!("{}:bad/{what}", cleanboot::tag(release)),
                problems.join("; "),
            ));
        }
    }
    fail_unless_known(&ran, &failures);
    // Bytes that are not UTF-8 never reach FRR: the parser names the line.
    let err =
        Config::parse_bytes(b"router bgp 64512\n neighbor \xff\xfe remote-as 1\n").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn bad_input_changes_nothing_frr84() {
    require(Release::Frr84, "bad_input_changes_nothing_frr84");
    bad_input_changes_nothing(Release::Frr84, true);
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn bad_input_changes_nothing_frr10() {
    for release in frr10_releases() {
        require(release, "bad_input_changes_nothing_frr10");
        bad_input_changes_nothing(release, false);
    }
}
