//! One long-lived interactive vtysh that applies short scripts.
//!
//! Starting vtysh costs FRR 8.4 30–40 ms: it builds every daemon's command
//! tree and connects to each daemon. That is most of what FRR needs for a
//! one-line change. The agent keeps one vtysh running at the enable node
//! and types short scripts into it, framed as `vtysh -f` frames a file:
//! `configure terminal` (`configure terminal file-lock` from FRR 10 on),
//! `XFRR_start_configuration`, the lines, `XFRR_end_configuration`, `end`. Daemons then commit the script's
//! changes once, at its end, as they do for `vtysh -f`; typed without the
//! frame, each command is committed alone, which costs FRR about 25 ms
//! per entry added to a 500-entry prefix-list.
//!
//! Interactive vtysh differs from `vtysh -f` in what decides where it is
//! used ([`fits`]) and how it is read:
//! - It reads through readline: `?` asks for help, a tab completes, and
//!   bytes outside ASCII may be taken as meta keys. A script with any of
//!   them, or with any other control character, goes to `vtysh -f`.
//! - It echoes every line: long scripts go to `vtysh -f` ([`MAX_LINES`]).
//! - It prints errors without line numbers. So a comment line carrying a
//!   marker follows each line, and what vtysh printed between two markers
//!   is that line's answer (`answers`).
//! - It holds connections to the daemons it started with: the session is
//!   replaced when a daemon's vty socket changed (the daemon restarted) or
//!   vtysh exited.
//!
//! Between scripts the session holds nothing in FRR, and dropping it is
//! harmless. It is killed within a script only when the script's timeout
//! passed, as a `vtysh -f` would be.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::ops::RangeInclusive;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::frr::started::kill_group;
use crate::frr::Output;
use crate::Error;

/// The longest script typed into the session. Interactive vtysh costs
/// about 0.25 ms a line more than `vtysh -f` (the echo, the comment): 100
/// `network` lines take 29 ms typed against 66 ms through `vtysh -f`, 500
/// take 140 ms against 73.
pub const MAX_LINES: usize = 100;

/// What `vtysh -f` sends before and after a file's lines: daemons commit
/// what the lines change once, at the end, and bgpd holds the peers they
/// create until then.
const START: &str = "XFRR_start_configuration";
const END: &str = "XFRR_end_configuration";

/// Whether `script` may be typed into the session: short, and with
/// nothing readline would take for an editing key.
pub fn fits(script: &str) -> bool {
    script.is_ascii()
        && !script
            .bytes()
            .any(|b| b == b'?' || (b.is_ascii_control() && b != b'\n'))
        && script.lines().count() <= MAX_LINES
}

/// When a script's time is up, and the time it was given.
type Deadline = (Instant, Duration);

/// How the comments that end each typed line's answer start (a random
/// word follows, so that no configuration line can pass for one).
const MARKER: &str = "!fra";

/// The session's slot, shared by clones of the `VtyshCommand` that owns it.
#[derive(Debug, Default)]
pub struct Slot(Mutex<Option<Session>>);

impl Slot {
    /// The session, if it is still usable; else a new one (its vtysh
    /// starts meanwhile, and is waited for at its first script).
    pub fn take(&self, command: Command, dir: &Path) -> Result<Session, Error> {
        let kept = self.lock().take();
        if let Some(mut session) = kept {
            if session.usable() {
                return Ok(session);
            }
        }
        Session::start(command, dir)
    }

    /// Starts a session now unless a usable one is kept: its vtysh starts
    /// and connects while the agent waits for the next configuration.
    pub fn warm(&self, command: Command, dir: &Path) {
        let mut kept = self.lock();
        if !kept.as_mut().is_some_and(Session::usable) {
            *kept = Session::start(command, dir).ok();
        }
    }

    /// Keeps `session` for the next script.
    pub fn put(&self, session: Session) {
        *self.lock() = Some(session);
    }

    /// Ends the session (FRR restarted).
    pub fn forget(&self) {
        self.lock().take();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Why a script was not applied through the session.
#[derive(Debug)]
pub enum Failure {
    /// Nothing was typed: the script can go to `vtysh -f` instead.
    Before(Error),
    /// Part of the script may have been applied.
    During(Error),
}

/// An interactive vtysh, at the enable node between scripts.
#[derive(Debug)]
pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Receiver<Vec<u8>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Printed and not yet used.
    printed: Vec<u8>,
    /// The daemons' vty sockets (name, inode, change time) when vtysh
    /// started.
    dir: PathBuf,
    sockets: Vec<(String, u64, i64, i64)>,
    /// Whether vtysh's greeting was read past.
    ready: bool,
    /// The host name in vtysh's prompt (`HOST# `), learned from the
    /// greeting: it tells the prompt from what an answer printed before
    /// it without ending the line.
    host: Option<String>,
    /// Whether vtysh may know `configure terminal file-lock` (it does from
    /// FRR 10 on).
    file_lock: bool,
    /// The start of this session's comments.
    marker: String,
    scripts: u64,
    /// Whether a commit of the last script failed.
    failed_commit: bool,
}

impl Session {
    /// Starts `command` (vtysh with its pathspace, stdio piped) without
    /// waiting for it.
    fn start(mut command: Command, dir: &Path) -> Result<Session, Error> {
        let sockets = sockets(dir);
        command.env("TERM", "dumb").process_group(0);
        let mut child = command.spawn().map_err(|e| Error::Vtysh {
            command: "vtysh (session)".into(),
            reason: e.to_string(),
        })?;
        let (send, stdout) = mpsc::channel();
        let mut out = child.stdout.take().expect("piped");
        thread::spawn(move || {
            let mut chunk = vec![0u8; 64 * 1024];
            while let Ok(n @ 1..) = out.read(&mut chunk) {
                if send.send(chunk[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut err = child.stderr.take().expect("piped");
        let sink = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut chunk = vec![0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut chunk) {
                sink.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend_from_slice(&chunk[..n]);
            }
        });
        let marker = format!("{MARKER}{:016x}", nonce());
        let mut stdin = child.stdin.take();
        if let Some(input) = stdin.as_mut() {
            let _ = writeln!(input, "{marker} ready");
        }
        Ok(Session {
            child,
            stdin,
            stdout,
            stderr,
            printed: Vec::new(),
            dir: dir.to_owned(),
            sockets,
            ready: false,
            host: None,
            file_lock: true,
            marker,
            scripts: 0,
            failed_commit: false,
        })
    }

    /// Whether vtysh still runs, connected to the daemons it started with.
    fn usable(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None)) && sockets(&self.dir) == self.sockets
    }

    /// Types `script` (which [`fits`]) within `timeout`. Each line vtysh
    /// answered with anything is reported as `line N: answer`, N the
    /// script's line, as `vtysh -f` reports its errors. After a failure
    /// the session must be dropped.
    pub fn apply(&mut self, script: &str, timeout: Duration) -> Result<Output, Failure> {
        let deadline = (Instant::now() + timeout, timeout);
        if !self.ready {
            let end = format!("{} ready\n", self.marker);
            let greeting = self.read_to(&end, deadline).map_err(Failure::Before)?;
            self.host = host_of(&greeting, &end);
            self.ready = true;
        }
        self.scripts += 1;
        self.failed_commit = false;
        let tag = format!("{} {}", self.marker, self.scripts);
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();

        // The configuration is entered first, alone: if that is refused,
        // nothing of the script is typed.
        self.configure(&tag, deadline)?;

        // Framed as `vtysh -f` frames a file: daemons hold their commits
        // (and bgpd its new peers) until the end of the script.
        let mut typed = String::with_capacity(script.len() * 2);
        let mut count = 0;
        let framed = std::iter::once(START)
            .chain(script.lines())
            .chain([END, "end"]);
        for line in framed {
            count += 1;
            typed.push_str(line);
            typed.push('\n');
            typed.push_str(&format!("{tag} {count}\n"));
        }
        let mut stdin = self.stdin.take();
        let writer = thread::spawn(move || {
            let written = stdin.as_mut().map(|s| s.write_all(typed.as_bytes()));
            (stdin, written)
        });
        let printed = self.read_to(&format!("{tag} {count}\n"), deadline);
        if printed.is_err() {
            self.kill();
        }
        let (stdin, written) = writer.join().unwrap_or((None, None));
        self.stdin = stdin;
        let printed = printed.map_err(Failure::During)?;
        if let Some(Err(e)) = written {
            return Err(Failure::During(self.error(e.to_string())));
        }
        let answers = answers(&printed, &tag, 1..=count, self.host.as_deref())
            .ok_or_else(|| Failure::During(self.error("its answers lost their markers".into())))?;
        let mut errors = String::new();
        let lines = count - 3;
        for (i, answer) in answers.iter().enumerate() {
            // Typed line i + 1 is the script's line i; the frame's answers
            // name no line.
            let (own, commit) = split_commit(answer);
            let own = own.replace('\n', " ");
            match i {
                _ if own.is_empty() => {}
                0 => errors.push_str(&format!("{START}: {own}\n")),
                i if i <= lines => errors.push_str(&format!("line {i}: {own}\n")),
                _ => errors.push_str(&format!("{END}: {own}\n")),
            }
            if let Some(commit) = commit {
                errors.push_str(commit);
                errors.push('\n');
                self.failed_commit = true;
            }
        }
        errors.push_str(&String::from_utf8_lossy(
            &self.stderr.lock().unwrap_or_else(|e| e.into_inner()),
        ));
        Ok(Output {
            status: Some(i32::from(!errors.is_empty())),
            stdout: String::new(),
            stderr: errors,
        })
    }

    /// Whether a commit of the last script failed. Such a session must be
    /// ended, not kept: FRR 10.3's mgmtd then keeps the datastores locked
    /// for it (every other vtysh's lines for mgmtd fail, `Failed to create
    /// a Configuration session!`) until its vtysh disconnects.
    pub fn failed_commit(&self) -> bool {
        self.failed_commit
    }

    /// Enters the configuration as `vtysh -f` does: `configure terminal
    /// file-lock` where vtysh knows it (FRR 10: it locks mgmtd's datastores
    /// for the script), else `configure terminal`.
    fn configure(&mut self, tag: &str, deadline: Deadline) -> Result<(), Failure> {
        loop {
            let command = if self.file_lock {
                "configure terminal file-lock"
            } else {
                "configure terminal"
            };
            self.write(format!("{command}\n{tag} 0\n"))
                .map_err(Failure::Before)?;
            let printed = self
                .read_to(&format!("{tag} 0\n"), deadline)
                .map_err(Failure::Before)?;
            let answer = answers(&printed, tag, 0..=0, self.host.as_deref())
                .and_then(|a| a.into_iter().next())
                .unwrap_or_default();
            if answer.is_empty() {
                return Ok(());
            }
            if !(self.file_lock && answer.contains("Unknown command")) {
                return Err(Failure::Before(self.error(format!("{command}: {answer}"))));
            }
            self.file_lock = false;
        }
    }

    fn write(&mut self, text: String) -> Result<(), Error> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(self.error("its input is closed".into()));
        };
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| self.error(e.to_string()))
    }

    /// Reads up to and including the line that ends with `end` and
    /// returns it all; an error on timeout or when vtysh exited.
    fn read_to(&mut self, end: &str, (at, timeout): Deadline) -> Result<String, Error> {
        let mut from = 0;
        loop {
            if let Some(at) = find(&self.printed[from..], end.as_bytes()) {
                let rest = self.printed.split_off(from + at + end.len());
                let printed = std::mem::replace(&mut self.printed, rest);
                return Ok(String::from_utf8_lossy(&printed).into_owned());
            }
            from = self.printed.len().saturating_sub(end.len());
            let left = at.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(chunk) => self.printed.extend_from_slice(&chunk),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(Error::Timeout {
                        command: "vtysh (session)".into(),
                        after: timeout,
                    })
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.error("it exited".into())),
            }
        }
    }

    fn error(&self, reason: String) -> Error {
        Error::Vtysh {
            command: "vtysh (session)".into(),
            reason,
        }
    }

    fn kill(&mut self) {
        kill_group(&self.child);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stdin.take();
        self.kill();
        let _ = self.child.wait();
    }
}

/// The host name in the prompt vtysh printed before the greeting's end
/// (`HOST# ` and the comment `end`).
fn host_of(greeting: &str, end: &str) -> Option<String> {
    let last = greeting.strip_suffix(end)?.rsplit('\n').next()?;
    let host = last.strip_suffix("# ")?;
    (!host.is_empty() && !host.contains(char::is_whitespace)).then(|| host.to_owned())
}

/// What a line printed before a prompt (`HOST# `, `HOST(NODE)# `) that
/// ends it: the end of an answer without a newline (FRR 8.4 lists the
/// commands of a failed commit so, typed lines carrying none). Empty when
/// the line is the prompt alone, or `host` is not known.
fn before_prompt<'a>(line: &'a str, host: Option<&str>) -> &'a str {
    let Some(host) = host else {
        return "";
    };
    let Some(prompt) = line.strip_suffix("# ") else {
        return "";
    };
    let prompt = match prompt.strip_suffix(')') {
        Some(node) => node.rsplit_once('(').map_or(prompt, |(head, _)| head),
        None => prompt,
    };
    prompt.strip_suffix(host).unwrap_or("")
}

/// What FRR prints first when a commit fails.
const COMMIT_FAILED: &str = "% Configuration failed.";

/// A typed line's answer, and apart from it the report of a failed commit
/// that came with it: a daemon commits what it holds before it runs a
/// command it does not hold (8.4: the `exit` after a static route), and
/// at the end of the script. That report is not the line's error:
/// `vtysh -f` prints it without a line number, as it is given here, on
/// lines of its own (see `crate::frr::commit_failures`).
fn split_commit(answer: &str) -> (&str, Option<&str>) {
    match answer.find(COMMIT_FAILED) {
        Some(at) => (answer[..at].trim_end(), Some(&answer[at..])),
        None => (answer, None),
    }
}

/// A random number (from the standard library's random hash keys).
fn nonce() -> u64 {
    RandomState::new().build_hasher().finish()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The daemons' vty sockets in `dir`, by name, with their inode and
/// change time: a daemon that restarted made a new socket (which may reuse
/// the inode number).
fn sockets(dir: &Path) -> Vec<(String, u64, i64, i64)> {
    crate::frr::vty::sockets(dir)
        .into_iter()
        .map(|(daemon, meta)| (daemon, meta.ino(), meta.ctime(), meta.ctime_nsec()))
        .collect()
}

/// What vtysh answered to each typed line of `lines`, from what it printed
/// since the comment before them: each typed line `i` is followed by the
/// comment `{tag} {i}`. The answer to line `i` is what vtysh printed
/// between the echo of the comment before it and the echo of its own
/// comment, less its first line (the echo of the line itself, which
/// readline may have redrawn) and the prompt before the comment: its
/// lines trimmed, empty ones dropped, joined by newlines. `None` if a
/// comment is missing. `host`: see [`before_prompt`].
fn answers(
    printed: &str,
    tag: &str,
    lines: RangeInclusive<usize>,
    host: Option<&str>,
) -> Option<Vec<String>> {
    let mut answers = Vec::new();
    let mut rest = printed;
    for i in lines {
        let marker = format!("{tag} {i}\n");
        let at = rest.find(&marker)?;
        let segment = &rest[..at];
        // Drop the echo of the comment's own line (its prompt, after what
        // the answer printed without a newline) and of the typed line.
        let (segment, tail) = segment
            .rsplit_once('\n')
            .map_or(("", ""), |(segment, last)| {
                (segment, before_prompt(last, host))
            });
        let answer = segment
            .split_once('\n')
            .map_or("", |(_echo, answer)| answer);
        let answer: Vec<&str> = answer
            .lines()
            .chain([tail])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        answers.push(answer.join("\n"));
        rest = &rest[at + marker.len()..];
    }
    Some(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_scripts_fit() {
        assert!(fits("ip prefix-list A seq 5 permit any\n"));
        assert!(!fits("bgp as-path access-list A permit ^6500?$\n"));
        assert!(!fits("interface eth0\n description a\tb\n"));
        assert!(!fits("interface eth0\n description caf\u{e9}\n"));
        let network = " network 198.51.100.0/24\n";
        assert!(fits(&network.repeat(MAX_LINES)));
        assert!(!fits(&network.repeat(MAX_LINES + 1)));
    }

    #[test]
    fn answers_are_split_by_the_comments_after_each_line() {
        let tag = "! frr-reload-agent 3";
        let printed = "vm# configure terminal\nvm(config)# ! frr-reload-agent 3 0\n";
        assert_eq!(answers(printed, tag, 0..=0, None).unwrap(), vec![""]);
        // As FRR 8.4's vtysh prints it: the prompt, the echo, the answer; a
        // long line redrawn by readline.
        let printed = "vm(config)# router bgp 64512\nvm(config-router)# ! frr-reload-agent 3 1\n\
                       vm(config-router)# bogus\n% Unknown command: bogus\n\
                       vm(config-router)# ! frr-reload-agent 3 2\n\
                       vm(config-router)# \r<xxxxxxxxxxxx yyyy\n% Command incomplete: x\n\n\
                       vm(config-router)# ! frr-reload-agent 3 3\n\
                       vm(config-router)# end\nvm# ! frr-reload-agent 3 4\n";
        assert_eq!(
            answers(printed, tag, 1..=4, None).unwrap(),
            vec![
                "",
                "% Unknown command: bogus",
                "% Command incomplete: x",
                ""
            ]
        );
        // A failed commit's report keeps its lines, apart.
        let printed = "vm(config)# exit\n% Configuration failed.\n\nError type: validation\n\
                       - ip route 198.51.100.0/24 Reject\nvm# ! frr-reload-agent 3 5\n";
        let answer = &answers(printed, tag, 5..=5, None).unwrap()[0];
        assert_eq!(
            split_commit(answer),
            (
                "",
                Some("% Configuration failed.\nError type: validation\n- ip route 198.51.100.0/24 Reject")
            )
        );
        assert_eq!(
            split_commit("% Unknown command: x"),
            ("% Unknown command: x", None)
        );
        // What an answer printed before the prompt, without a newline, is
        // kept when the prompt's host is known.
        let printed = "vm(config)# exit\n% Configuration failed.\n- ip route A- ip route B\
                       vm(config)# ! frr-reload-agent 3 6\n";
        assert_eq!(
            answers(printed, tag, 6..=6, Some("vm")).unwrap(),
            vec!["% Configuration failed.\n- ip route A- ip route B"]
        );
        assert_eq!(
            answers(printed, tag, 6..=6, None).unwrap(),
            vec!["% Configuration failed."]
        );
        assert_eq!(before_prompt("vm# ", Some("vm")), "");
        assert_eq!(before_prompt("xvm(config-router)# ", Some("vm")), "x");
        assert_eq!(
            host_of("Hello\nvm# !fra1 ready\n", "!fra1 ready\n").as_deref(),
            Some("vm")
        );
        // Marker 1 is not mistaken for marker 11.
        let printed = "a\nvm# ! frr-reload-agent 3 11\n";
        assert_eq!(answers(printed, tag, 1..=1, None), None);
    }
}
