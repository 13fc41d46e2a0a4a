//! A fake FRR for in-process tests: it runs what its check last accepted,
//! refuses lines holding `bogus`, can be stuck (applies change nothing),
//! unreachable, or hold its applies at a gate.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use reloader::frr::{Output, Vtysh};

use crate::frr::{Driver, Read, Reader};

/// The fake's state, shared by the driver, its readers and the test.
#[derive(Debug, Default)]
pub struct Frr {
    /// What `show running-config` prints.
    pub running: Mutex<String>,
    /// The text the last check accepted: what the next apply makes run.
    checked: Mutex<String>,
    /// Applies change nothing.
    pub stuck: AtomicBool,
    /// Every call fails as if vtysh found no daemon.
    pub unreachable: AtomicBool,
    /// Scripts applied so far.
    pub applies: AtomicUsize,
    /// Applies that have started (they may wait at the gate).
    pub entered: AtomicUsize,
    gate: Gate,
}

/// Holds applies while closed.
#[derive(Debug, Default)]
struct Gate {
    closed: Mutex<bool>,
    opened: Condvar,
}

impl Frr {
    /// A fake running nothing.
    pub fn new() -> Arc<Frr> {
        Arc::new(Frr::default())
    }

    /// Applies wait until [`Frr::open`].
    pub fn close(&self) {
        *self.gate.closed.lock().unwrap() = true;
    }

    /// Lets applies through.
    pub fn open(&self) {
        *self.gate.closed.lock().unwrap() = false;
        self.gate.opened.notify_all();
    }

    /// Waits (polling) until `n` applies have started.
    pub async fn entered(&self, n: usize) {
        while self.entered.load(Ordering::SeqCst) < n {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn reachable(&self) -> Result<(), reloader::Error> {
        if self.unreachable.load(Ordering::SeqCst) {
            return Err(reloader::Error::Vtysh {
                command: "vtysh -c show running-config".into(),
                reason: "no daemon answers".into(),
            });
        }
        Ok(())
    }

    fn ok() -> Output {
        Output {
            status: Some(0),
            ..Output::default()
        }
    }
}

/// The driver the actor gets.
pub struct FakeDriver(pub Arc<Frr>);

impl Vtysh for FakeDriver {
    type Prepared = ();

    fn running_config(&self) -> Result<String, reloader::Error> {
        Read::running_config(&*self.0)
    }

    fn show_version(&self) -> Result<String, reloader::Error> {
        Read::show_version(&*self.0)
    }

    /// As `vtysh --dryrun`, it talks to no daemon: it answers even when
    /// FRR does not.
    fn dry_run(&self, config: &str) -> Result<Output, reloader::Error> {
        let refused = config
            .lines()
            .position(|l| l.contains("bogus"))
            .map(|at| format!("line {}: % Unknown command: bogus\n", at + 1));
        match refused {
            Some(stdout) => Ok(Output {
                status: Some(2),
                stdout,
                stderr: String::new(),
            }),
            None => {
                config.clone_into(&mut self.0.checked.lock().unwrap());
                Ok(Frr::ok())
            }
        }
    }

    fn apply(&self, _script: &str) -> Result<Output, reloader::Error> {
        self.0.entered.fetch_add(1, Ordering::SeqCst);
        let gate = &self.0.gate;
        let mut closed = gate.closed.lock().unwrap();
        while *closed {
            closed = gate.opened.wait(closed).unwrap();
        }
        drop(closed);
        self.0.reachable()?;
        self.0.applies.fetch_add(1, Ordering::SeqCst);
        if !self.0.stuck.load(Ordering::SeqCst) {
            let checked = self.0.checked.lock().unwrap().clone();
            *self.0.running.lock().unwrap() = checked;
        }
        Ok(Frr::ok())
    }

    fn write_memory(&self) -> Result<Output, reloader::Error> {
        self.0.reachable()?;
        Ok(Frr::ok())
    }
}

impl Read for Frr {
    fn running_config(&self) -> Result<String, reloader::Error> {
        self.reachable()?;
        Ok(self.running.lock().unwrap().clone())
    }

    fn show_version(&self) -> Result<String, reloader::Error> {
        self.reachable()?;
        Ok("FRRouting 8.4.4 (fake).\n".into())
    }
}

/// Reads through the fake's state (a second handle on it).
struct FakeRead(Arc<Frr>);

impl Read for FakeRead {
    fn running_config(&self) -> Result<String, reloader::Error> {
        self.0.running_config()
    }

    fn show_version(&self) -> Result<String, reloader::Error> {
        self.0.show_version()
    }
}

impl Driver for FakeDriver {
    fn reader(&self, _timeout: Duration) -> Reader {
        Reader::new(FakeRead(self.0.clone()))
    }
}
