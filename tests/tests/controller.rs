//! The agent in place of frr-k8s's `reloader` container, driven by a
//! stand-in of frr-k8s's own controller code (`internal/frr/config.go`,
//! `internal/frr/frr.go`, `internal/controller/frrstate_controller.go`):
//! - the configuration is written with `os.WriteFile(name, data, 0600)`
//!   (in place, `O_TRUNC`);
//! - the pid file is read and parsed with `strconv.Atoi`, no trimming, and
//!   signalled with `syscall.Kill(pid, SIGHUP)`; a failed write or signal
//!   is retried after 5 s (here: a shorter interval);
//! - the status is polled (every 30 s there; configurable here): `.status`
//!   must be two fields, only a new timestamp counts, `last-error` is the
//!   result unless the word is not `failure`, then `success`; a new
//!   failure makes it re-send its current configuration;
//! - `cleanPasswords` replaces `password.*` with `password <retracted>`.
//!
//! MetalLB's speaker (`internal/bgp/frr/frr.go`, `config.go`) drives the
//! same files the same way but reads only `.status`: `strings.Fields` must
//! give two fields, only a new timestamp counts, and only the exact word
//! `failure` makes it re-send its configuration (`reloadEvent{useOld:
//! true}`); it reads neither `last-error` nor `running-config`.
//!
//! The story runs, for each controller, against a real FRR 8.4 and 10.4.3
//! (frr-k8s's): first config; deny → permit; an invalid config (it must not
//! become a reload loop); an agent restart; bgpd killed and restarted;
//! zebra killed and restarted. And the swap: the agent started on a node
//! the old script (the release's own frr-reload.py) configured changes nothing.
//!
//! They need root (network namespaces, FRR daemons) and FRR.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use tests::agent::{send_signal, Agent, AgentDirs, AgentOptions};
use tests::fixtures::{frr, running, ALL_LINE, RECEIVE_ALL, RECEIVE_DENY};
use tests::frr::{require, FrrInstance, Release};

/// Whose controller code the stand-in follows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Flavor {
    /// frr-k8s: `.status`, `last-error`, `running-config`.
    FrrK8s,
    /// MetalLB: `.status` only, the exact word `failure`.
    MetalLb,
}

/// What frr-k8s's `Status` holds.
#[derive(Debug, Clone, Default, PartialEq)]
struct Status {
    update_time: String,
    current: String,
    last_reload_result: String,
}

/// The stand-in controller.
struct Controller {
    flavor: Flavor,
    dir: PathBuf,
    /// The configuration it wants (re-sent after a failure).
    config: String,
    status: Status,
    /// How often it polls.
    poll: Duration,
    /// Configurations written (first sends and re-sends).
    sends: usize,
}

impl Controller {
    fn new(flavor: Flavor, dir: &Path, poll: Duration) -> Controller {
        Controller {
            flavor,
            dir: dir.to_owned(),
            config: String::new(),
            status: Status::default(),
            poll,
            sends: 0,
        }
    }

    /// `generateAndReloadConfigFile`, retried until the write and the
    /// signal work (frr-k8s: every 5 s).
    fn apply(&mut self, config: &str) {
        self.config = config.to_owned();
        self.send();
    }

    fn send(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Err(e) = self.write_and_signal() {
            assert!(Instant::now() < deadline, "cannot reload: {e}");
            thread::sleep(Duration::from_millis(200));
        }
        self.sends += 1;
    }

    fn write_and_signal(&self) -> Result<(), String> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(self.dir.join("frr.conf"))
            .map_err(|e| e.to_string())?;
        file.write_all(self.config.as_bytes())
            .map_err(|e| e.to_string())?;
        let pid = fs::read_to_string(self.dir.join("reloader.pid")).map_err(|e| e.to_string())?;
        // strconv.Atoi: the whole text, no trimming.
        let pid: u32 = pid.parse().map_err(|e| format!("Atoi({pid:?}): {e}"))?;
        send_signal(pid, "-HUP");
        Ok(())
    }

    /// One tick of `pollStatus`: `Some` when the status changed.
    fn poll_once(&mut self) -> Option<Status> {
        let text = fs::read_to_string(self.dir.join(".status")).ok()?;
        let fields: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(fields.len(), 2, "invalid status file format: {text:?}");
        if fields[0] == self.status.update_time {
            return None;
        }
        if self.flavor == Flavor::MetalLb {
            // validateReload: only `failure` is one, and it re-sends.
            let failed = fields[1] == "failure";
            let status = Status {
                update_time: fields[0].to_owned(),
                current: String::new(),
                last_reload_result: if failed { "failure" } else { "success" }.into(),
            };
            if failed {
                self.send();
            }
            self.status = status.clone();
            return Some(status);
        }
        let mut status = Status {
            update_time: fields[0].to_owned(),
            last_reload_result: fs::read_to_string(self.dir.join("last-error")).unwrap_or_default(),
            current: fs::read_to_string(self.dir.join("running-config")).unwrap_or_default(),
        };
        if !fields[1].contains("failure") {
            status.last_reload_result = "success".into();
        }
        status.current = clean_passwords(&status.current);
        status.last_reload_result = clean_passwords(&status.last_reload_result);
        if status.last_reload_result != "success" {
            self.send();
        }
        self.status = status.clone();
        Some(status)
    }

    /// Polls until a new status passes `accept`, at most 60 s.
    fn wait(&mut self, what: &str, accept: impl Fn(&Status) -> bool) -> Status {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.poll_once() {
                if accept(&status) {
                    return status;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{what}: last status {:?}",
                self.status
            );
            thread::sleep(self.poll);
        }
    }
}

/// frr-k8s's `cleanPasswords`.
fn clean_passwords(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("password") {
            Some(at) => format!("{}password <retracted>", &l[..at]),
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn options() -> AgentOptions {
    AgentOptions::compat()
}

#[test]
#[ignore = "needs root and FRR"]
fn the_frr_k8s_controller_story() {
    require(Release::Frr84, "the_frr_k8s_controller_story");
    controller_story(Flavor::FrrK8s, Release::Frr84);
}

#[test]
#[ignore = "needs root and FRR"]
fn the_frr_k8s_controller_story_frr_10() {
    require(Release::Frr1043, "the_frr_k8s_controller_story_frr_10");
    controller_story(Flavor::FrrK8s, Release::Frr1043);
}

#[test]
#[ignore = "needs root and FRR"]
fn the_metallb_speaker_story() {
    require(Release::Frr84, "the_metallb_speaker_story");
    controller_story(Flavor::MetalLb, Release::Frr84);
}

#[test]
#[ignore = "needs root and FRR"]
fn the_metallb_speaker_story_frr_10() {
    // MetalLB pins 10.5.3, which cannot be built here: 10.4.3 stands in.
    require(Release::Frr1043, "the_metallb_speaker_story_frr_10");
    controller_story(Flavor::MetalLb, Release::Frr1043);
}

/// What FRR runs, for the checks: what frr-k8s reads, or (MetalLB reads
/// nothing) FRR's own.
fn current(status: &Status, frr: &FrrInstance) -> String {
    match status.current.is_empty() {
        true => running(frr),
        false => status.current.clone(),
    }
}

fn controller_story(flavor: Flavor, release: Release) {
    let frr = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(&frr, &dirs, &options());
    let mut controller = Controller::new(flavor, &dirs.compat(), Duration::from_millis(300));
    let success = |s: &Status| s.last_reload_result == "success";

    // First config, then deny → permit.
    controller.apply(RECEIVE_DENY);
    let status = controller.wait("first config", success);
    let now = current(&status, &frr);
    assert!(now.contains("seq 1 deny any"), "{now}");
    controller.apply(RECEIVE_ALL);
    let status = controller.wait("deny → permit", success);
    let now = current(&status, &frr);
    assert!(now.contains(ALL_LINE), "{now}");
    assert!(running(&frr).contains(ALL_LINE));

    // An invalid config: ERROR in the result, FRR untouched, and the
    // controller's re-send of the same config is no news: no loop.
    let invalid = format!("{RECEIVE_ALL}\nthis is a non valid configuration\n");
    controller.apply(&invalid);
    let status = controller.wait("invalid config", |s| !success(s));
    if flavor == Flavor::FrrK8s {
        assert!(status.last_reload_result.contains("ERROR"), "{status:?}");
    }
    let now = current(&status, &frr);
    assert!(now.contains(ALL_LINE), "{now}");
    let sends = controller.sends;
    for _ in 0..10 {
        thread::sleep(controller.poll);
        assert_eq!(controller.poll_once(), None, "a reload loop");
    }
    assert_eq!(controller.sends, sends);
    assert!(running(&frr).contains(ALL_LINE));
    controller.apply(RECEIVE_ALL);
    controller.wait("valid again", success);

    // The agent restarts: the controller signals the new pid.
    agent.terminate(Duration::from_secs(30)).unwrap();
    let agent = Agent::start(&frr, &dirs, &options());
    controller.apply(RECEIVE_DENY);
    let status = controller.wait("after an agent restart", |s| {
        success(s) && current(s, &frr).contains("seq 1 deny any")
    });
    assert!(!current(&status, &frr).contains(ALL_LINE));

    // bgpd, then zebra, killed and restarted: the agent re-applies on its
    // own, and what the controller reads ends as success with the config.
    for daemon in ["bgpd", "zebra"] {
        frr.kill_daemon(daemon).unwrap();
        frr.start_daemon(daemon).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            controller.poll_once();
            let live = running(&frr);
            if success(&controller.status)
                && live.contains("seq 1 deny any")
                && live.contains("neighbor 192.0.2.2 remote-as 64600")
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{daemon} restarted: {:?}\n{live}",
                controller.status
            );
            thread::sleep(controller.poll);
        }
    }
    drop(agent);
}

#[test]
#[ignore = "needs root and FRR"]
fn swapped_in_on_a_node_the_script_configured_it_changes_nothing() {
    require(
        Release::Frr84,
        "swapped_in_on_a_node_the_script_configured_it_changes_nothing",
    );
    swapped_in(frr());
}

#[test]
#[ignore = "needs root and FRR"]
fn swapped_in_on_a_node_the_script_configured_it_changes_nothing_frr_10() {
    require(
        Release::Frr1043,
        "swapped_in_on_a_node_the_script_configured_it_changes_nothing_frr_10",
    );
    swapped_in(FrrInstance::start_default(Release::Frr1043).unwrap_or_else(|e| panic!("{e}")));
}

/// The agent started on `frr` after the old chain configured it (the
/// release's own frr-reload.py --reload): nothing to send, nothing changed.
fn swapped_in(frr: FrrInstance) {
    // The old chain configured the node: frr-reload.py --reload.
    let run = frr.frr_reload_py(RECEIVE_ALL).unwrap();
    assert!(run.ok(), "frr-reload.py: {}", run.text());
    let before = running(&frr);
    assert!(before.contains(ALL_LINE));
    let dirs = AgentDirs::new();
    fs::create_dir_all(dirs.compat()).unwrap();
    fs::write(dirs.compat().join("frr.conf"), RECEIVE_ALL).unwrap();
    let agent = Agent::start(&frr, &dirs, &options());
    let result = tests::agent::wait_for(Duration::from_secs(60), "the start's reload", || {
        agent.status().last_result
    });
    assert_eq!(result.outcome, protocol::Outcome::Converged, "{result:#?}");
    assert_eq!(
        (result.delta.stats.deletes, result.delta.stats.adds),
        (0, 0),
        "the agent changed a node the script had configured: {result:#?}"
    );
    assert_eq!(running(&frr), before);
}

#[test]
#[ignore = "needs root and FRR"]
fn apply_valid_applies_the_rest_and_names_the_refused_line() {
    require(
        Release::Frr84,
        "apply_valid_applies_the_rest_and_names_the_refused_line",
    );
    apply_valid_story(Release::Frr84);
}

#[test]
#[ignore = "needs root and FRR"]
fn apply_valid_applies_the_rest_and_names_the_refused_line_frr_10() {
    require(
        Release::Frr1043,
        "apply_valid_applies_the_rest_and_names_the_refused_line_frr_10",
    );
    apply_valid_story(Release::Frr1043);
}

/// `--apply-valid`: deny → permit with one line FRR refuses (a `ge`
/// shorter than the prefix) applies the permit, reports failure naming
/// that line, and the controller's re-sends of it are no news.
fn apply_valid_story(release: Release) {
    let frr = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
    let dirs = AgentDirs::new();
    let options = AgentOptions {
        extra: vec!["--apply-valid".into()],
        ..options()
    };
    let _agent = Agent::start(&frr, &dirs, &options);
    let mut controller =
        Controller::new(Flavor::FrrK8s, &dirs.compat(), Duration::from_millis(300));
    controller.apply(RECEIVE_DENY);
    controller.wait("first config", |s| s.last_reload_result == "success");
    // One line our parser refuses (as FRR would), one only FRR's check
    // refuses.
    let bad = "ip prefix-list bad seq 5 permit 192.0.2.0/24 ge 16";
    let unknown = "this is a non valid configuration";
    let text = format!("{unknown}\n{RECEIVE_ALL}{bad}\n");
    let line = text.lines().position(|l| l == bad).unwrap() + 1;
    controller.apply(&text);
    let status = controller.wait("partly applied", |s| s.last_reload_result != "success");
    let errors: Vec<&str> = status.last_reload_result.lines().collect();
    assert_eq!(errors.len(), 2, "{status:?}");
    assert!(
        errors[0].starts_with(&format!("ERROR: line 1: {unknown}: ")),
        "{status:?}"
    );
    assert!(
        errors[1].starts_with(&format!("ERROR: line {line}: {bad}: ")),
        "{status:?}"
    );
    let live = running(&frr);
    assert!(live.contains(ALL_LINE), "{status:?}\n{live}");
    assert!(!live.contains("prefix-list bad"), "{live}");
    let sends = controller.sends;
    for _ in 0..10 {
        thread::sleep(controller.poll);
        assert_eq!(controller.poll_once(), None, "a reload loop");
    }
    assert!(
        controller.sends <= sends + 1,
        "{} re-sends",
        controller.sends - sends
    );
}
