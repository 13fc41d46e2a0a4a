//! Replays every input under `fuzz/regressions/TARGET/` (crashes the
//! fuzzers found, and hand-written edge cases) through the same checks as
//! the fuzz targets (`fuzz/checks.rs`), so that a fixed crash stays fixed.
//! The fuzzing itself is `scripts/fuzz.sh`.

use std::path::Path;

#[allow(dead_code)] // the fuzz targets' checks, shared
#[path = "../../fuzz/checks.rs"]
mod checks;

/// Replays `fuzz/regressions/TARGET/` through `check`; a missing or empty
/// folder fails, so that a lost folder never passes as a replayed one.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails again", path.display());
        count += 1;
    }
    assert!(count > 0, "{} holds no input", dir.display());
}

#[test]
fn parse_regressions() {
    replay("parse", checks::parse);
}

#[test]
fn diff_regressions() {
    replay("diff", checks::diff_pair);
}

#[test]
fn api_body_regressions() {
    replay("api_body", checks::api_body);
}
