//! A vtysh started with its standard input open: feeding it its input,
//! waiting for it with a timeout, and killing what it started.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin};
use std::thread;
use std::time::{Duration, Instant};

use crate::frr::Output;
use crate::Error;

/// A vtysh started with its standard input open (by
/// [`VtyshCommand::spawn`]); its output is read as it comes.
///
/// [`VtyshCommand::spawn`]: super::VtyshCommand
#[derive(Debug)]
pub(super) struct Started {
    child: Child,
    stdin: ChildStdin,
    stdout: thread::JoinHandle<String>,
    stderr: thread::JoinHandle<String>,
    /// The command line, for errors.
    what: String,
}

impl Started {
    /// Takes over `child`, spawned with its three streams piped; `what`
    /// names it in errors.
    pub(super) fn new(mut child: Child, what: String) -> Started {
        let stdin = child.stdin.take().expect("piped");
        let stdout = reader(child.stdout.take().expect("piped"));
        let stderr = reader(child.stderr.take().expect("piped"));
        Started {
            child,
            stdin,
            stdout,
            stderr,
            what,
        }
    }

    /// Whether it still runs (it has not exited).
    pub(super) fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Feeds `input`, closes standard input and waits up to `timeout`
    /// (then kills it and what it started).
    pub(super) fn finish(self, input: &str, timeout: Duration) -> Result<Output, Error> {
        let Started {
            mut child,
            mut stdin,
            stdout,
            stderr,
            what,
        } = self;
        let input = input.to_owned();
        let writer = thread::spawn(move || {
            // A vtysh that exits early closes the pipe: not an error here.
            let _ = stdin.write_all(input.as_bytes());
        });
        let status = wait(&mut child, timeout);
        kill_group(&child);
        let _ = writer.join();
        let output = Output {
            status: status.unwrap_or(None),
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
        };
        match status {
            Some(_) => Ok(output),
            None => Err(Error::Timeout {
                command: what,
                after: timeout,
            }),
        }
    }
}

/// Feeds `script` to each daemon's vtysh at once and waits for them all:
/// their outputs one after the other, and the first status that is not a
/// success (as one vtysh that sent each line to each daemon would end).
/// A vtysh that could not start, or timed out, fails the whole once all
/// the others are done.
pub(super) fn finish_all(
    started: Vec<Result<Started, Error>>,
    script: &str,
    timeout: Duration,
) -> Result<Output, Error> {
    let outputs: Vec<Result<Output, Error>> = thread::scope(|scope| {
        let runs: Vec<_> = started
            .into_iter()
            .map(|started| scope.spawn(move || started?.finish(script, timeout)))
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("finish does not panic"))
            .collect()
    });
    let mut all = Output {
        status: Some(0),
        ..Output::default()
    };
    for output in outputs {
        let output = output?;
        if all.status == Some(0) {
            all.status = output.status;
        }
        all.stdout.push_str(&output.stdout);
        all.stderr.push_str(&output.stderr);
    }
    Ok(all)
}

fn reader(mut stream: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for `child` up to `timeout`; kills it after that. `None` on
/// timeout, else its exit code (`Some(None)` when killed by a signal).
fn wait(child: &mut Child, timeout: Duration) -> Option<Option<i32>> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status.code()),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Kills what is left of the process group `child` led (nothing, when
/// vtysh ran alone and exited). Every vtysh is started in a group of its
/// own, so that this reaches what a wrapper script started too.
pub(crate) fn kill_group(child: &Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ =
            nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::SIGKILL);
    }
}
