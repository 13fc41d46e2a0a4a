//! No vtysh the agent starts keeps a history of what it was given: vtysh
//! appends its commands to `$HOME/.history_frr` unless told otherwise, and
//! the agent's scripts carry `neighbor … password …` lines.
//!
//! The reload paths (the library's one-shot reload, the long-lived
//! session, `vtysh -f` of a short and of a long script, FRR's check, `write
//! memory`) run in a child process of this test whose `HOME` and working
//! directory are a fresh directory; a password is planted in what they
//! send; afterwards no file under that directory may hold it. On 10.3 the
//! chroot's vtysh sees the same `HOME` inside the chroot: that directory
//! is searched too.
//!
//! Needs root, FRR 8.4 and FRR 10.3.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.
//! The child is ignored as `opt-in`: only its parent runs it.

use std::collections::hash_map::RandomState;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use reloader::frr::{Vtysh, VtyshCommand};
use reloader::pipeline::{reload, Settings};
use tests::fixtures::RECEIVE_DENY;
use tests::frr::{releases, require, FrrInstance, Release};

/// The child's FRR release (`8.4` or `10.3`); unset: not the child.
const CHILD_RELEASE: &str = "FRA_HISTORY_RELEASE";
/// The password the child plants.
const CHILD_SECRET: &str = "FRA_HISTORY_SECRET";
/// The test the child runs.
const CHILD_TEST: &str = "reload_paths_in_this_home";

#[test]
#[ignore = "needs root and FRR"]
fn no_vtysh_the_agent_starts_keeps_a_history() {
    let leaks: Vec<String> = releases()
        .into_iter()
        .inspect(|&release| require(release, "no_vtysh_the_agent_starts_keeps_a_history"))
        .filter_map(leak_on)
        .collect();
    assert!(leaks.is_empty(), "{leaks:#?}");
}

/// Where the password landed on `release`, if anywhere.
fn leak_on(release: Release) -> Option<String> {
    let secret = format!("fra{:016x}", RandomState::new().build_hasher().finish());
    let name = format!("fra-home-{}-{release}", std::process::id());
    let home = std::env::temp_dir().join(&name);
    // The same path inside the chroot, where 10.3's vtysh resolves HOME.
    let inside = release.root().join(home.strip_prefix("/").unwrap_or(&home));
    for dir in [&home, &inside] {
        let _ = fs::remove_dir_all(dir);
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    }
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", CHILD_TEST, "--ignored", "--nocapture"])
        .env("HOME", &home)
        .env(CHILD_RELEASE, release.to_string())
        .env(CHILD_SECRET, &secret)
        .current_dir(&home)
        .status()
        .unwrap();
    let mut dirs = vec![home];
    if inside != dirs[0] {
        dirs.push(inside);
    }
    let found: Vec<(PathBuf, String)> = dirs
        .iter()
        .flat_map(|dir| files_holding(dir, &secret))
        .map(|file| {
            let lines = fs::read_to_string(&file).unwrap_or_default();
            let lines = lines.lines().filter(|l| l.contains(&secret));
            (file, lines.collect::<Vec<_>>().join("\n"))
        })
        .collect();
    for dir in &dirs {
        let _ = fs::remove_dir_all(dir);
    }
    assert!(status.success(), "FRR {release}: the reload paths failed");
    (!found.is_empty()).then(|| format!("FRR {release}: the password landed in {found:?}"))
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() && !path.is_symlink() {
            found.extend(files_holding(&path, needle));
        } else if fs::read(&path)
            .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        {
            found.push(path);
        }
    }
    found
}

/// The child: the agent's reload paths, each sending the password.
#[test]
#[ignore = "opt-in: run by no_vtysh_the_agent_starts_keeps_a_history, in a fresh HOME"]
fn reload_paths_in_this_home() {
    let (Ok(release), Ok(secret)) = (std::env::var(CHILD_RELEASE), std::env::var(CHILD_SECRET))
    else {
        panic!("{CHILD_TEST} is run by no_vtysh_the_agent_starts_keeps_a_history, which sets {CHILD_RELEASE} and {CHILD_SECRET}");
    };
    let release = Release::named(&release)
        .unwrap_or_else(|| panic!("{CHILD_RELEASE}: unknown FRR {release}"));
    let frr = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
    let loaded = frr.load(RECEIVE_DENY).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.ok(), "{}", loaded.text());
    let password = |n: u32| format!("  neighbor 192.0.2.2 password {secret}{n}\n");
    let with_password = |n: u32| {
        RECEIVE_DENY.replace(
            "  neighbor 192.0.2.2 remote-as 64600\n",
            &format!("  neighbor 192.0.2.2 remote-as 64600\n{}", password(n)),
        )
    };

    // The library's one-shot reload: FRR's check, reads, `vtysh -f`, and
    // `write memory`.
    let settings = Settings {
        overwrite: true,
        ..Settings::default()
    };
    let result = reload(&frr.vtysh(), &with_password(1), &settings);
    assert!(result.reload.converged, "{}", result.last_reload_result);

    // The long-lived session and the check started ahead.
    let warm = VtyshCommand {
        warm: Some(Arc::default()),
        ..frr.vtysh()
    };
    warm.warm_up();
    let result = reload(&warm, &with_password(2), &Settings::default());
    assert!(result.reload.converged, "{}", result.last_reload_result);
    let script = format!("router bgp 64512\n{}exit\n", password(3));
    let output = warm
        .apply_prepared(warm.prepare_apply(&script), &script)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status, Some(0), "{}", output.text());

    // `vtysh -f` of a script too long for the session (split over the
    // daemons where that is done), and of one given as a file.
    let entries: String = (1..=120)
        .map(|i| format!("ip prefix-list history-test seq {i} permit 198.51.100.{i}/32\n"))
        .collect();
    let script = format!("{entries}router bgp 64512\n{}exit\n", password(4));
    let _ = warm.running_config();
    let output = warm
        .apply_prepared(warm.prepare_apply(&script), &script)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status, Some(0), "{}", output.text());
    let script = format!("router bgp 64512\n{}exit\n", password(5));
    let output = frr.vtysh().apply(&script).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status, Some(0), "{}", output.text());
    let running = frr.running_config().unwrap_or_else(|e| panic!("{e}"));
    assert!(running.contains(&format!("{secret}5")), "{running}");
    // A history file of /dev/null leaves it a device.
    let null = fs::metadata(release.root().join("dev/null")).unwrap();
    assert!(null.file_type().is_char_device());
}
