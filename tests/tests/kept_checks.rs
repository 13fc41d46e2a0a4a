//! FRR's check kept between runs of the one-shot `reload`
//! (`agent/src/keptcheck.rs`), on real FRR: a second run of the same
//! text does not start `vtysh --dryrun`; another text is checked on the
//! blocks that differ from the text accepted last only; another vtysh (a
//! new file at the vtysh path) or `--no-cache` checks the whole text
//! again; a text FRR refuses is refused on every run, on the right line,
//! and never kept. vtysh is a wrapper that logs each call, and what each
//! dry run was given. And the last read kept between runs
//! (`agent/src/keptread.rs`): taken up by the next run; a change made by
//! hand in between costs one pass, never the outcome; a restarted daemon,
//! `--max-impact` or a refused text make the next run read FRR.
//!
//! Needs root (namespaces, daemons) and FRR. Ignored unless asked for
//! (`#[ignore = "needs root and FRR"]`, see scripts/test.sh), and
//! failing, not skipping, when run without them.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use protocol::{ApplyResult, Outcome};
use tests::frr::{require, FrrInstance, Release};
use tests::gen;

/// FRR `release` running a generated frr-k8s-shaped configuration
/// (returned), its vty sockets where the agent looks for them.
fn instance(release: Release) -> (FrrInstance, String) {
    let mut frr = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
    frr.expose_sockets().unwrap_or_else(|e| panic!("{e}"));
    let config = gen::Spec::new(2, 20).render();
    let run = frr.load(&config).unwrap_or_else(|e| panic!("{e}"));
    assert!(run.ok(), "{release}: {}", run.text());
    (frr, config)
}

/// A vtysh that logs each call's arguments to a file, and each dry run's
/// input to another, then runs the harness's vtysh.
struct LoggingVtysh {
    path: PathBuf,
    log: PathBuf,
    checked: PathBuf,
    target: PathBuf,
}

impl LoggingVtysh {
    fn new(frr: &FrrInstance) -> LoggingVtysh {
        let dir = frr.private_dir();
        let vtysh = LoggingVtysh {
            path: dir.join("logging-vtysh"),
            log: dir.join("vtysh.log"),
            checked: dir.join("checked.log"),
            target: frr.vtysh().program,
        };
        vtysh.install();
        vtysh
    }

    /// Writes the wrapper as a new file (a new inode, as an upgraded
    /// vtysh would be).
    fn install(&self) {
        let new = self.path.with_extension("new");
        std::fs::write(
            &new,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\n\
                 f=; prev=; for a in \"$@\"; do [ \"$prev\" = -f ] && f=$a; prev=$a; done\n\
                 case \"$*\" in *--dryrun*)\n\
                 if [ \"$f\" = /proc/self/fd/0 ]; then tee -a '{checked}' | '{target}' \"$@\"; exit $?; fi\n\
                 cat \"$f\" >> '{checked}' ;;\n\
                 esac\n\
                 exec '{target}' \"$@\"\n",
                log = self.log.display(),
                checked = self.checked.display(),
                target = self.target.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::rename(&new, &self.path).unwrap();
    }

    /// The `vtysh --dryrun` calls since the last time asked, and the
    /// lines they were given (the logs are emptied).
    fn dry_runs(&self) -> (usize, usize) {
        let take = |path: &Path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let _ = std::fs::remove_file(path);
            text
        };
        let calls = take(&self.log);
        let lines = take(&self.checked).lines().count();
        let calls = calls.lines().filter(|l| l.contains("--dryrun")).count();
        (calls, lines)
    }
}

/// The lines FRR's check is sent of a whole `text` (vtysh skips comments,
/// and they are not sent).
fn checked_lines(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('!'))
        .count()
}

/// One `frr-reload-agent reload --json` of `text`, keeping what it keeps
/// in `cache`: its result.
fn reload(
    frr: &FrrInstance,
    vtysh: &LoggingVtysh,
    cache: &Path,
    text: &str,
    extra: &[&str],
) -> ApplyResult {
    tests::agent::one_shot_reload(frr, &vtysh.path, cache, text, extra)
}

#[test]
#[ignore = "needs root and FRR"]
fn one_shot_runs_keep_frrs_check() {
    for release in tests::frr::releases() {
        keeps_the_check_on(release);
    }
}

fn keeps_the_check_on(release: Release) {
    require(release, "one_shot_runs_keep_frrs_check");
    let (frr, config) = instance(release);
    let vtysh = LoggingVtysh::new(&frr);
    let cache = frr.private_dir().join("cache");
    let run = |text: &str, extra: &[&str]| {
        let result = reload(&frr, &vtysh, &cache, text, extra);
        (result, vtysh.dry_runs())
    };
    let converged = |result: &ApplyResult, what: &str| {
        assert_eq!(
            result.outcome,
            Outcome::Converged,
            "{release}: {what}: {}",
            result.last_reload_result
        );
        assert_eq!(
            result.last_conversion_result, "success",
            "{release}: {what}"
        );
    };

    let whole = checked_lines(&config);
    let (result, dry_runs) = run(&config, &[]);
    converged(&result, "the first run");
    assert_eq!(dry_runs, (1, whole), "{release}: the first run asks FRR");
    let files: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("checks-"))
        .collect();
    assert_eq!(files.len(), 1, "{release}: {files:?}");
    let kept = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        !kept.contains("prefix-list"),
        "{release}: no text kept: {kept}"
    );

    for what in ["the second run", "the third run"] {
        let (result, dry_runs) = run(&config, &[]);
        converged(&result, what);
        assert_eq!(dry_runs, (0, 0), "{release}: {what} does not ask FRR");
    }

    // Another text (deny → permit of one service): its changed blocks
    // only are checked; then it is kept whole.
    let spec = gen::Spec::new(2, 20);
    let changed = gen::Transition::DenyPermit.apply(&spec).render();
    assert_ne!(changed, config);
    let (result, (calls, lines)) = run(&changed, &[]);
    converged(&result, "another text");
    assert_eq!(calls, 1, "{release}: another text is checked");
    assert!(
        (1..=10).contains(&lines),
        "{release}: its changed blocks only: {lines} of {whole} lines"
    );
    let (result, dry_runs) = run(&changed, &[]);
    converged(&result, "another text again");
    assert_eq!(dry_runs, (0, 0), "{release}: then kept");
    // Both are kept: back to the first.
    let (result, dry_runs) = run(&config, &[]);
    converged(&result, "back");
    assert_eq!(dry_runs, (0, 0), "{release}: the first text is still kept");

    // Another vtysh (a new file at its path): the whole text is checked.
    vtysh.install();
    let (result, dry_runs) = run(&changed, &[]);
    converged(&result, "another vtysh");
    assert_eq!(
        dry_runs,
        (1, checked_lines(&changed)),
        "{release}: another vtysh checks the whole text"
    );
    let (_, dry_runs) = run(&changed, &[]);
    assert_eq!(dry_runs, (0, 0), "{release}: then kept");

    // --no-cache: the whole text, every time.
    for _ in 0..2 {
        let (result, dry_runs) = run(&config, &["--no-cache"]);
        converged(&result, "--no-cache");
        assert_eq!(dry_runs, (1, whole), "{release}: --no-cache asks FRR");
    }

    // A text FRR refuses (a command no daemon knows, which our parse lets
    // through): refused each time, never kept, nothing applied.
    // It goes after the first prefix-list line: checked with that line
    // and the line after it only.
    let mut lines: Vec<&str> = config.lines().collect();
    let at = 1 + lines
        .iter()
        .position(|l| l.starts_with("ip prefix-list"))
        .expect("a prefix-list");
    lines.insert(at, "ip prefix-list BOGUS seq 5 permit 10.0.0.0/33");
    let refused = lines.join("\n") + "\n";
    for what in ["refused", "refused again"] {
        let (result, dry_runs) = run(&refused, &[]);
        assert_eq!(
            result.outcome,
            Outcome::ConversionFailed,
            "{release}: {what}: {}",
            result.last_reload_result
        );
        assert_eq!(dry_runs.0, 1, "{release}: {what}: FRR is asked");
        // What differs from the text accepted last (`changed`: its
        // service back to deny, and the bogus line), not the whole.
        assert!(dry_runs.1 <= 20, "{release}: {what}: {dry_runs:?}");
        let bogus = at + 1;
        assert!(
            result.last_reload_result.contains(&format!("line {bogus}")),
            "{release}: {what}: the refusal names line {bogus}: {}",
            result.last_reload_result
        );
    }
    assert!(
        !frr.running_config().unwrap().contains("BOGUS"),
        "{release}"
    );
}

#[test]
#[ignore = "needs root and FRR"]
fn one_shot_runs_keep_the_last_read() {
    for release in tests::frr::releases() {
        keeps_the_read_on(release);
    }
}

/// The read a converged one-shot run kept stands for FRR's running
/// configuration in the next run's first delta (`agent/src/keptread.rs`),
/// and a stale one costs a pass, never the outcome.
fn keeps_the_read_on(release: Release) {
    require(release, "one_shot_runs_keep_the_last_read");
    let (frr, config) = instance(release);
    let vtysh = LoggingVtysh::new(&frr);
    let cache = frr.private_dir().join("cache");
    let run = |text: &str, extra: &[&str]| {
        let result = reload(&frr, &vtysh, &cache, text, extra);
        assert_eq!(
            result.outcome,
            Outcome::Converged,
            "{release}: {}",
            result.last_reload_result
        );
        let running = frr.running_config().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(result.running_config, running, "{release}: a fresh read");
        result
    };
    let hand = |commands: &[&str]| {
        let mut args = vec!["-c", "configure terminal"];
        for command in commands {
            args.extend(["-c", command]);
        }
        let run = frr.vtysh_run(&args).unwrap_or_else(|e| panic!("{e}"));
        assert!(run.ok(), "{release}: {}", run.text());
    };

    let result = run(&config, &[]);
    assert!(!result.reload.reused_read, "{release}: nothing kept yet");
    let files: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("last-read-"))
        .collect();
    assert_eq!(files.len(), 1, "{release}: {files:?}");
    let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{release}");

    // The next text: its first delta from the kept read, one pass.
    let spec = gen::Spec::new(2, 20);
    let gone = "ip prefix-list GONE seq 5 permit 192.0.2.0/24";
    let changed = format!(
        "{}{gone}\n",
        gen::Transition::DenyPermit.apply(&spec).render()
    );
    let result = run(&changed, &[]);
    assert!(result.reload.reused_read, "{release}: the kept read");
    assert_eq!(result.reload.passes, 1, "{release}");
    assert!(result.running_config.contains(gone), "{release}");

    // Changed by hand since: GONE deleted, HAND added. The first pass
    // (from the kept read) deletes GONE again, which FRR no longer has;
    // the verifying read shows HAND, which the next pass deletes.
    hand(&[
        &format!("no {gone}"),
        "ip prefix-list HAND seq 5 permit 198.51.100.0/24",
    ]);
    let result = run(&config, &[]);
    assert!(result.reload.reused_read, "{release}: the kept read");
    assert_eq!(result.reload.passes, 2, "{release}: one pass more");
    for list in ["GONE", "HAND"] {
        assert!(!result.running_config.contains(list), "{release}: {list}");
    }
    let result = run(&config, &["--no-cache"]);
    assert_eq!(result.reload.passes, 0, "{release}: nothing left");

    // A daemon restarted since (a new vty socket): FRR is read.
    run(&changed, &[]);
    frr.kill_daemon("staticd").unwrap_or_else(|e| panic!("{e}"));
    frr.start_daemon("staticd")
        .unwrap_or_else(|e| panic!("{e}"));
    let result = run(&config, &[]);
    assert!(!result.reload.reused_read, "{release}: staticd restarted");

    // With an impact guard: FRR is read.
    run(&changed, &[]);
    let result = run(&config, &["--max-impact", "reset"]);
    assert!(!result.reload.reused_read, "{release}: --max-impact");

    // A run that does not converge removes it.
    run(&changed, &[]);
    let refused = format!("{config}ip prefix-list BOGUS seq 5 permit 10.0.0.0/33\n");
    let result = reload(&frr, &vtysh, &cache, &refused, &[]);
    assert_eq!(result.outcome, Outcome::ConversionFailed, "{release}");
    let result = run(&config, &[]);
    assert!(
        !result.reload.reused_read,
        "{release}: removed by the refusal"
    );
}
