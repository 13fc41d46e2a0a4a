//! Golden-file cases for the parser and the diff, under `tests/golden/`:
//! `parse/NAME.conf` → `parse/NAME.parsed` (the configuration as parsed,
//! printed back) and `diff/NAME/{running,desired}.conf` →
//! `diff/NAME/expected.script` (the delta's counters, then its script);
//! each diff case's delta, applied to a model of the running configuration
//! ([`tests::model`]), must also give the desired one.
//! `UPDATE_GOLDEN=1 cargo test -p tests --test golden` rewrites the
//! expected files; review them as diffs.

use std::fs;
use std::path::{Path, PathBuf};

use reloader::{diff_text, Config, Options};
use tests::{corpus, model};

fn golden_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(sub)
}

/// Compares `actual` with the file at `path`, or rewrites it when
/// `UPDATE_GOLDEN` is set. Returns a failure description.
fn check(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(path, actual).unwrap();
        return None;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "{} differs (UPDATE_GOLDEN=1 to accept):\n--- expected\n{expected}--- actual\n{actual}",
            path.display()
        )
    })
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn parse_goldens() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for input in sorted_entries(&golden_dir("parse")) {
        if input.extension().is_none_or(|e| e != "conf") {
            continue;
        }
        cases += 1;
        let config = Config::parse(&fs::read_to_string(&input).unwrap()).unwrap();
        failures.extend(check(&input.with_extension("parsed"), &config.to_string()));
    }
    assert!(cases >= 2, "no parse cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn diff_goldens() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for case in sorted_entries(&golden_dir("diff")) {
        cases += 1;
        let running = fs::read_to_string(case.join("running.conf")).unwrap();
        let desired = fs::read_to_string(case.join("desired.conf")).unwrap();
        let delta = diff_text(&running, &desired, &Options::default()).unwrap();
        let s = &delta.stats;
        let actual = format!(
            "! deletes {} adds {} replaced-in-place {}\n{}",
            s.deletes, s.adds, s.replaced_in_place, delta.script
        );
        failures.extend(check(&case.join("expected.script"), &actual));
        // Applying the delta to a model of the running configuration gives
        // the desired one (and each diffs to nothing against itself).
        let name = case.display().to_string();
        failures.extend(model::check(&name, &running, &desired));
        failures.extend(model::check(&name, &desired, &desired));
    }
    assert!(cases >= 10, "no diff cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Diffs between consecutive frr-k8s configurations of the corpus (sorted by
/// name, so each golden is a transition between two controller outputs):
/// `golden/k8s-pairs/A__B.script`.
#[test]
#[ignore = "needs ../shared/corpus"]
fn frr_k8s_pair_goldens() {
    let corpus = corpus::dir().join("frr-k8s");
    // Files the parser refuses (see tests/corpus.rs) have no transitions.
    let files: Vec<PathBuf> = sorted_entries(&corpus)
        .into_iter()
        .filter(|f| Config::parse(&fs::read_to_string(f).unwrap()).is_ok())
        .collect();
    assert!(
        files.len() >= 30,
        "frr-k8s corpus missing at {}",
        corpus.display()
    );
    let mut failures = Vec::new();
    for pair in files.windows(2) {
        let name = |p: &Path| p.file_stem().unwrap().to_string_lossy().into_owned();
        let (a, b) = (&pair[0], &pair[1]);
        let delta = diff_text(
            &fs::read_to_string(a).unwrap(),
            &fs::read_to_string(b).unwrap(),
            &Options::default(),
        )
        .unwrap();
        let s = &delta.stats;
        let actual = format!(
            "! deletes {} adds {} replaced-in-place {}\n{}",
            s.deletes, s.adds, s.replaced_in_place, delta.script
        );
        let golden = golden_dir("k8s-pairs").join(format!("{}__{}.script", name(a), name(b)));
        failures.extend(check(&golden, &actual));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
