//! Reading the running configuration from the daemons' vty sockets
//! (`reloader::frr::vty`) against vtysh itself, on real FRR 8.4: booted with
//! each configuration of the frr-k8s corpus, a seeded sample of topotest
//! configs, a chain of generated frr-k8s-shaped ones and a 4 × 100 one,
//! the merge of the daemons' answers is vtysh's `show running-config`,
//! byte for byte. And
//! `VtyshCommand` reads directly only after checking that, sees every
//! change, and falls back to vtysh when a daemon does not answer.
//!
//! Needs root (namespaces, daemons) and FRR 8.4 (and the corpus for the
//! first test).
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::time::Duration;

use reloader::frr::vty;
use reloader::frr::Vtysh;
use tests::corpus::{self, Input};
use tests::frr::{require, FrrInstance, Release};
use tests::gen;

/// Seed of the topotest sample.
const SEED: u64 = 0x00d1_7ec7;
/// Topotest configs in the sample.
const TOPOTEST_SAMPLE: usize = 40;

/// vtysh's own `show running-config` (the binary, not `VtyshCommand`).
fn vtysh_text(frr: &FrrInstance) -> String {
    let run = frr
        .vtysh_run(&["-c", "show running-config"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(run.ok(), "{}", run.text());
    run.stdout
}

/// vtysh's text and the daemons' answers, once two vtysh reads around the
/// answers agree (the daemons read their boot configuration just after
/// their sockets come up).
fn both_reads(frr: &FrrInstance) -> (String, Vec<String>) {
    for _ in 0..50 {
        let before = vtysh_text(frr);
        let answers =
            vty::read(&frr.run_dir(), Duration::from_secs(10)).unwrap_or_else(|e| panic!("{e}"));
        if vtysh_text(frr) == before {
            return (before, answers);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{}: the running configuration does not settle", frr.name());
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn the_daemons_answers_merge_into_vtysh_text() {
    require(Release::Frr84, "the_daemons_answers_merge_into_vtysh_text");
    let frr = FrrInstance::start_default(Release::Frr84).unwrap_or_else(|e| panic!("{e}"));
    let mut inputs = corpus::k8s().unwrap_or_else(|e| panic!("{e}"));
    inputs.extend(corpus::topotest_sample(SEED, TOPOTEST_SAMPLE).unwrap_or_else(|e| panic!("{e}")));
    for (i, (_, text)) in gen::random::chain(SEED, 8).into_iter().enumerate() {
        inputs.push(Input {
            name: format!("chain{i}"),
            text,
        });
    }
    inputs.push(Input {
        name: "generated-4x100".into(),
        text: gen::Spec::new(4, 100).render(),
    });
    let mut mismatches = Vec::new();
    for input in &inputs {
        frr.restart_with(&input.text)
            .unwrap_or_else(|e| panic!("{}: {e}", input.name));
        let (text, answers) = both_reads(&frr);
        if vty::calibrate(&text, &answers).is_none() {
            // vtysh's own lines (its hostname, …) aside.
            let own = |l: &&str| !l.starts_with("hostname ") && !l.starts_with("domainname ");
            let theirs: Vec<&str> = text.lines().filter(own).collect();
            let ours = vty::merge(&answers, &[]);
            let ours: Vec<&str> = ours.lines().filter(own).collect();
            let first = theirs
                .iter()
                .zip(&ours)
                .position(|(a, b)| a != b)
                .unwrap_or(theirs.len().min(ours.len()));
            mismatches.push(format!(
                "{}: first difference at line {} (hostname lines aside): vtysh {:?}, merge {:?}",
                input.name,
                first + 1,
                theirs.get(first),
                ours.get(first)
            ));
        }
    }
    eprintln!(
        "{} of {} configurations merge into vtysh's text exactly",
        inputs.len() - mismatches.len(),
        inputs.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
#[ignore = "needs root and FRR"]
fn reads_directly_only_once_checked_and_sees_every_change() {
    require(Release::Frr84, "reads_directly_only_once_checked");
    let frr = FrrInstance::start_default(Release::Frr84).unwrap_or_else(|e| panic!("{e}"));
    frr.restart_with(&gen::Spec::new(2, 50).render())
        .unwrap_or_else(|e| panic!("{e}"));
    both_reads(&frr);
    let vtysh = frr.vtysh();
    let first = vtysh.running_config().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(vtysh.direct.count(), 0, "the first read goes through vtysh");
    assert_eq!(first, vtysh_text(&frr));

    let second = vtysh.running_config().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(vtysh.direct.count(), 1, "then directly");
    assert_eq!(second, first);

    // A change is seen: nothing is cached.
    let line = "ip prefix-list DIRECT seq 5 permit 198.51.100.0/24";
    let run = frr
        .vtysh_run(&["-c", "configure terminal", "-c", line])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(run.ok(), "{}", run.text());
    let third = vtysh.running_config().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(vtysh.direct.count(), 2);
    assert!(third.contains(line), "{third}");
    assert_eq!(third, vtysh_text(&frr));

    // A daemon that does not answer: vtysh decides (and reads without it).
    frr.kill_daemon("bfdd").unwrap_or_else(|e| panic!("{e}"));
    let fourth = vtysh.running_config().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(vtysh.direct.count(), 2, "not read directly");
    assert_eq!(fourth, vtysh_text(&frr));

    // Turned off: never directly.
    let mut off = frr.vtysh();
    off.direct_reads = false;
    frr.start_daemon("bfdd").unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..3 {
        off.running_config().unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(off.direct.count(), 0);
}
