//! FRR's check sent only the blocks it has not accepted before
//! (`reloader::frr::checked`), against FRR 8.4's `vtysh --dryrun` of the whole
//! text: on the frr-k8s corpus, a seeded sample of topotest configs and a
//! generated 4 × 100 frr-k8s-shaped one, each accepted first, then changed
//! one line at a time (a line made unknown, a line deleted, a number
//! changed), both checks give the same errors, on the same lines, with the
//! same node; and the partial one sends a fraction of the lines.
//!
//! Needs root and FRR 8.4 (and the corpus for the first test).
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use reloader::frr::{line_errors, LineError, Vtysh, VtyshCommand};
use tests::corpus::{self, Input};
use tests::frr::{require, Release};
use tests::gen;
use tests::rng::Rng;

/// Seed of the topotest sample and of the changes.
const SEED: u64 = 0x0c4e_c4ed;
/// Topotest configs in the sample.
const TOPOTEST_SAMPLE: usize = 30;
/// Changed lines per configuration and kind of change.
const CHANGES: usize = 2;

fn errors(vtysh: &VtyshCommand, text: &str) -> (bool, Vec<LineError>) {
    let output = vtysh.dry_run(text).unwrap_or_else(|e| panic!("{e}"));
    let errors = line_errors(&output.text());
    (output.status == Some(0) && errors.is_empty(), errors)
}

/// `text` with line `at` (0-based) changed by `how`.
fn changed(text: &str, at: usize, how: usize) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let line = &lines[at];
    let indent = &line[..line.len() - line.trim_start().len()];
    match how {
        0 => lines[at] = format!("{indent}bogus-command {}", line.trim_start()),
        1 => {
            lines.remove(at);
        }
        _ => {
            // A number one larger: often still valid, sometimes not.
            let bumped: Vec<String> = line
                .split(' ')
                .map(|w| match w.parse::<u32>() {
                    Ok(n) => (n + 1).to_string(),
                    Err(_) => w.to_owned(),
                })
                .collect();
            lines[at] = bumped.join(" ");
        }
    }
    lines.join("\n") + "\n"
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn checking_new_blocks_finds_what_checking_everything_finds() {
    require(
        Release::Frr84,
        "checking_new_blocks_finds_what_checking_everything_finds",
    );
    let mut inputs = corpus::k8s().unwrap_or_else(|e| panic!("{e}"));
    inputs.extend(corpus::topotest_sample(SEED, TOPOTEST_SAMPLE).unwrap_or_else(|e| panic!("{e}")));
    inputs.push(Input {
        name: "gen-4x100".into(),
        text: gen::Spec::new(4, 100).render(),
    });
    let mut rng = Rng::new(SEED);
    let mut compared = 0;
    let mut refused = 0;
    for input in &inputs {
        if input.text.trim().is_empty() {
            continue;
        }
        let partial = VtyshCommand::default();
        if !errors(&partial, &input.text).0 {
            // A corpus text written to be refused: nothing was accepted.
            continue;
        }
        let lines = input.text.lines().count();
        for how in 0..3 {
            for _ in 0..CHANGES {
                let at = rng.below(lines);
                let text = changed(&input.text, at, how);
                let whole = errors(&VtyshCommand::default(), &text);
                let part = errors(&partial, &text);
                assert_eq!(
                    part,
                    whole,
                    "{}: line {} changed ({how}): the partial check differs",
                    input.name,
                    at + 1
                );
                compared += 1;
                refused += usize::from(!whole.0);
            }
        }
    }
    eprintln!("{compared} changed texts compared, {refused} refused");
    assert!(compared >= 150, "only {compared} changed texts");
    // The changes must include refused ones, or the comparison shows little.
    assert!(
        refused * 4 >= compared,
        "only {refused} of {compared} refused"
    );
}

#[test]
#[ignore = "needs root and FRR"]
fn a_changed_line_of_a_large_text_sends_a_few_lines() {
    require(
        Release::Frr84,
        "a_changed_line_of_a_large_text_sends_a_few_lines",
    );
    let text = gen::Spec::new(4, 100).render();
    let vtysh = VtyshCommand::default();
    assert!(errors(&vtysh, &text).0);
    assert_eq!(
        vtysh.checked.plan(&text).unwrap().script,
        "",
        "accepted text"
    );
    let at = text
        .lines()
        .position(|l| l.starts_with("ip prefix-list"))
        .unwrap();
    let one = changed(&text, at, 2);
    let sent = vtysh.checked.plan(&one).unwrap().script.lines().count();
    assert!(
        (1..=8).contains(&sent),
        "{sent} of {} lines sent for one changed line",
        text.lines().count()
    );
    // A refusal names the configuration's line.
    let bad = changed(&text, at, 0);
    let (ok, errors) = errors(&vtysh, &bad);
    assert!(!ok);
    assert_eq!(
        errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        [at + 1],
        "{errors:?}"
    );
}
