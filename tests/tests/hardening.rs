//! The agent against someone who can write where it writes or reads: the
//! compatibility directory and the state directory (what a Kubernetes
//! emptyDir is: 0777), attacked by an unprivileged user (`setpriv` to
//! `nobody`), and signals sent the moment `reloader.pid` appears. Each
//! test runs the real agent against a real FRR 8.4.
//!
//! They need root (network namespaces, FRR daemons, `setpriv`) and skip
//! without it, except in CI (`CI=true`), where a missing requirement fails.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use tests::agent::{send_signal, wait_for, Agent, AgentDirs, AgentOptions};
use tests::fixtures::{frr, RECEIVE_DENY};
use tests::frr::{require, Release};

/// What the victim file holds; it must never change.
const VICTIM_TEXT: &str = "root's own file\n";
/// A secret in a root-only file that a symlink points the agent at.
const ROOT_SECRET: &str = "R00tOnlyS3cret";
/// A BGP password sent in a configuration.
const PASSWORD: &str = "Pl4ntedPassw0rd";

/// Runs `args` as `nobody`; panics if it fails.
fn as_nobody(args: &[&str]) {
    let status = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .args(args)
        .status()
        .expect("setpriv");
    assert!(status.success(), "as nobody: {args:?}: {status}");
}

/// Runs `command`; panics if it fails.
fn run(command: &mut Command) {
    let status = command.status().expect("run");
    assert!(status.success(), "{command:?}: {status}");
}

/// Whether `nobody` can create a file in `dir`.
fn nobody_can_write(dir: &Path) -> bool {
    let probe = dir.join("nobody-was-here");
    let done = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg("touch")
        .arg(&probe)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("setpriv")
        .success();
    let _ = fs::remove_file(probe);
    done
}

/// A root-owned 0600 file outside the agent's directories.
fn victim(dirs: &AgentDirs) -> std::path::PathBuf {
    let path = dirs.base.join("victim");
    fs::write(&path, VICTIM_TEXT).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    path
}

/// A 0777 directory, as an emptyDir is.
fn open_dir(path: &Path) {
    fs::create_dir_all(path).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o777)).unwrap();
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Polls `DIR/.status` until its epoch is above `after`; returns it with
/// its word.
fn next_status(dir: &Path, after: u64) -> (u64, String) {
    wait_for(Duration::from_secs(30), ".status", || {
        let text = fs::read_to_string(dir.join(".status")).ok()?;
        let (epoch, word) = text.split_once(' ')?;
        let epoch: u64 = epoch.parse().ok()?;
        (epoch > after).then(|| (epoch, word.to_owned()))
    })
}

#[test]
fn compat_writes_never_follow_a_planted_symlink() {
    if !require(
        Release::Frr84,
        "compat_writes_never_follow_a_planted_symlink",
    ) {
        return;
    }
    let frr = frr();
    let dirs = AgentDirs::new();
    let victim = victim(&dirs);
    let compat = dirs.compat();
    open_dir(&compat);
    // The names the agent wrote through before, planted by nobody.
    for name in [
        ".last-error.tmp",
        ".status.tmp",
        ".running-config.tmp",
        "last-error",
    ] {
        let link = compat.join(name);
        as_nobody(&["ln", "-s", victim.to_str().unwrap(), link.to_str().unwrap()]);
    }
    let agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            compat: true,
            ..AgentOptions::default()
        },
    );
    fs::write(
        compat.join("frr.conf"),
        "this is a non valid configuration\n",
    )
    .unwrap();
    send_signal(agent.pid(), "-HUP");
    let (_, word) = next_status(&compat, 0);
    assert_eq!(word, "failure");
    assert_eq!(fs::read_to_string(&victim).unwrap(), VICTIM_TEXT);
    let last_error = fs::symlink_metadata(compat.join("last-error")).unwrap();
    assert!(last_error.is_file(), "last-error is a file of its own now");
    assert_eq!(mode(&compat), 0o755, "the compat directory is narrowed");
    assert!(!nobody_can_write(&compat));
}

#[test]
fn state_writes_never_follow_a_planted_symlink() {
    if !require(
        Release::Frr84,
        "state_writes_never_follow_a_planted_symlink",
    ) {
        return;
    }
    let frr = frr();
    let dirs = AgentDirs::new();
    let victim = victim(&dirs);
    let state = dirs.state();
    open_dir(&state);
    let link = state.join(".state.json.tmp");
    as_nobody(&["ln", "-s", victim.to_str().unwrap(), link.to_str().unwrap()]);
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let config = format!(
        "{}\n  neighbor 192.0.2.9 remote-as 64513\n  neighbor 192.0.2.9 password {PASSWORD}\n",
        RECEIVE_DENY.trim_end()
    );
    let response = agent.put_config(&config);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(fs::read_to_string(&victim).unwrap(), VICTIM_TEXT);
    let saved = state.join("state.json");
    assert!(fs::symlink_metadata(&saved).unwrap().is_file());
    assert_eq!(mode(&saved), 0o600);
    assert!(fs::read_to_string(&saved).unwrap().contains(PASSWORD));
    assert_eq!(mode(&state), 0o700, "the state directory is narrowed");
}

#[test]
fn a_state_directory_of_another_user_is_refused() {
    if !require(
        Release::Frr84,
        "a_state_directory_of_another_user_is_refused",
    ) {
        return;
    }
    let frr = frr();
    let dirs = AgentDirs::new();
    open_dir(&dirs.state());
    run(Command::new("chown").arg("65534:65534").arg(dirs.state()));
    let mut agent = Agent::spawn(&frr, &dirs, &AgentOptions::default());
    let status = wait_for(Duration::from_secs(10), "the agent to exit", || {
        agent.try_wait()
    });
    assert!(!status.success());
    let log = agent.log_text();
    assert!(log.contains("owned by uid 65534"), "{log}");
}

#[test]
fn a_compat_frr_conf_that_is_not_a_regular_file_is_not_read() {
    if !require(
        Release::Frr84,
        "a_compat_frr_conf_that_is_not_a_regular_file_is_not_read",
    ) {
        return;
    }
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            compat: true,
            ..AgentOptions::default()
        },
    );
    let compat = dirs.compat();
    let secret = dirs.base.join("root-only");
    fs::write(&secret, format!("{ROOT_SECRET}\n")).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o600)).unwrap();
    symlink(&secret, compat.join("frr.conf")).unwrap();
    send_signal(agent.pid(), "-HUP");
    let (epoch, word) = next_status(&compat, 0);
    assert_eq!(word, "failure");
    let error = fs::read_to_string(compat.join("last-error")).unwrap();
    assert!(error.contains("not a regular file"), "{error}");
    let status = agent.get("/v1/status").text();
    for (what, text) in [
        ("last-error", &error),
        ("/v1/status", &status),
        ("the log", &agent.log_text()),
    ] {
        assert!(!text.contains(ROOT_SECRET), "{what} shows the file: {text}");
    }

    // A FIFO is refused at once, and the next SIGHUP is still heard.
    fs::remove_file(compat.join("frr.conf")).unwrap();
    run(Command::new("mkfifo").arg(compat.join("frr.conf")));
    send_signal(agent.pid(), "-HUP");
    let (epoch, word) = next_status(&compat, epoch);
    assert_eq!(word, "failure");
    fs::remove_file(compat.join("frr.conf")).unwrap();
    fs::write(compat.join("frr.conf"), RECEIVE_DENY).unwrap();
    send_signal(agent.pid(), "-HUP");
    let (_, word) = next_status(&compat, epoch);
    assert_eq!(word, "success");
    assert_eq!(agent.health_get("/readyz").status, 200);
}

#[test]
fn a_sighup_the_moment_reloader_pid_appears_is_survived() {
    if !require(
        Release::Frr84,
        "a_sighup_the_moment_reloader_pid_appears_is_survived",
    ) {
        return;
    }
    let frr = frr();
    let options = AgentOptions {
        compat: true,
        ..AgentOptions::default()
    };
    for round in 0..10 {
        let dirs = AgentDirs::new();
        let pid_file = dirs.compat().join("reloader.pid");
        let mut agent = Agent::spawn(&frr, &dirs, &options);
        // What the controller does: read the pid (no trimming), signal it.
        let deadline = Instant::now() + Duration::from_secs(10);
        let pid = loop {
            if let Some(pid) = fs::read_to_string(&pid_file)
                .ok()
                .and_then(|t| t.parse::<u32>().ok())
            {
                break pid;
            }
            assert!(Instant::now() < deadline, "no reloader.pid");
            thread::sleep(Duration::from_micros(200));
        };
        assert_eq!(pid, agent.pid());
        send_signal(pid, "-HUP");
        thread::sleep(Duration::from_millis(300));
        assert!(
            agent.try_wait().is_none(),
            "round {round}: the agent died of the SIGHUP:\n{}",
            agent.log_text()
        );
    }
}

#[test]
fn a_stale_reloader_pid_is_replaced_and_only_ours_is_removed() {
    if !require(
        Release::Frr84,
        "a_stale_reloader_pid_is_replaced_and_only_ours_is_removed",
    ) {
        return;
    }
    let frr = frr();
    let dirs = AgentDirs::new();
    let compat = dirs.compat();
    fs::create_dir_all(&compat).unwrap();
    // An agent killed with SIGKILL left its number, now another process's.
    let mut other = Command::new("sleep").arg("60").spawn().unwrap();
    fs::write(compat.join("reloader.pid"), other.id().to_string()).unwrap();
    let mut agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            compat: true,
            ..AgentOptions::default()
        },
    );
    let written = fs::read_to_string(compat.join("reloader.pid")).unwrap();
    assert_eq!(written, agent.pid().to_string());
    // Another agent took the file over: this one must not remove it.
    fs::write(compat.join("reloader.pid"), other.id().to_string()).unwrap();
    let (status, _) = agent.terminate(Duration::from_secs(30)).unwrap();
    assert!(status.success());
    assert_eq!(
        fs::read_to_string(compat.join("reloader.pid")).unwrap(),
        other.id().to_string()
    );
    other.kill().unwrap();
    other.wait().unwrap();
}
