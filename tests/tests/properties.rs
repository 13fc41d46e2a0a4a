//! Properties of the diff, on generated frr-k8s-shaped chains and the
//! frr-k8s corpus: applying `diff(A, B)` to a model of A's context tree
//! gives B, and `diff(A, A)` is empty. The model is [`tests::model`]; the
//! corpus tests are ignored unless asked for (see scripts/test.sh).

use reloader::Config;
use tests::corpus;
use tests::gen;
use tests::model::check;

/// Panics with the first failures, if any, of `cases` pairs.
fn assert_none_failed(failures: &[String], cases: usize) {
    eprintln!("{cases} pairs, {} failures", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {cases} pairs:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn applying_the_diff_to_a_model_gives_the_desired_config() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for seed in 1..=8u64 {
        let chain = gen::random::chain(seed, 30);
        for pair in chain.windows(2) {
            cases += 1;
            let name = format!("gen seed {seed}: {}", pair[1].0);
            failures.extend(check(&name, &pair[0].1, &pair[1].1));
        }
    }
    assert_none_failed(&failures, cases);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn the_model_property_holds_on_frr_k8s_pairs() {
    // The corpus file FRR itself half-rejects does not parse (corpus.rs).
    let k8s: Vec<_> = corpus::k8s()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|i| Config::parse(&i.text).is_ok())
        .collect();
    let mut failures = Vec::new();
    for a in &k8s {
        for b in &k8s {
            failures.extend(check(&format!("{} > {}", a.name, b.name), &a.text, &b.text));
        }
    }
    assert_none_failed(&failures, k8s.len() * k8s.len());
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn the_model_property_holds_on_topotest_pairs() {
    // Consecutive files of a seeded sample of FRR's topotest configs (the
    // ones the parser accepts): varied daemons and nodes.
    let sample = corpus::topotest_sample(7, 300).unwrap_or_else(|e| panic!("{e}"));
    let parsed: Vec<_> = sample
        .into_iter()
        .filter(|i| Config::parse(&i.text).is_ok())
        .collect();
    let mut failures = Vec::new();
    for pair in parsed.windows(2) {
        let name = format!("{} > {}", pair[0].name, pair[1].name);
        failures.extend(check(&name, &pair[0].text, &pair[1].text));
    }
    assert_none_failed(&failures, parsed.len() - 1);
}
