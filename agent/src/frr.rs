//! The agent's two ways to FRR: the [`Driver`] that the reload actor alone
//! owns (it applies), and the [`Reader`] handle that the API and the
//! readiness probe get (it only reads, so it cannot change FRR behind the
//! actor's back, and it never queues behind a reload).

use std::sync::Arc;
use std::time::Duration;

use reloader::frr::{Vtysh, VtyshCommand};

use crate::error::Error;

/// What the actor needs of FRR: the pipeline's [`Vtysh`] plus the
/// lifecycle of what a real vtysh keeps between reloads.
pub trait Driver: Vtysh + Send + Sync + 'static {
    /// Forgets what was learned about FRR: it restarted, and may be
    /// another one.
    fn forget(&self) {}
    /// Starts what the next reload will need (vtysh for its check and
    /// script).
    fn warm_up(&self) {}
    /// A read-only handle whose calls give up after `timeout`.
    fn reader(&self, timeout: Duration) -> Reader;
}

impl Driver for VtyshCommand {
    fn forget(&self) {
        VtyshCommand::forget(self);
    }

    fn warm_up(&self) {
        VtyshCommand::warm_up(self);
    }

    fn reader(&self, timeout: Duration) -> Reader {
        // Shares what was learned about direct reads; never the session
        // or the checker kept started for the actor.
        let mut vtysh = VtyshCommand {
            warm: None,
            ..self.clone()
        };
        vtysh.base_timeout = timeout;
        Reader::new(ReadThrough(vtysh))
    }
}

/// Reads FRR, changing nothing.
pub trait Read: Send + Sync + 'static {
    /// `show running-config`.
    fn running_config(&self) -> Result<String, reloader::Error>;
    /// `show version`.
    fn show_version(&self) -> Result<String, reloader::Error>;
    /// The daemons running, where known (see [`Vtysh::daemons`]).
    fn daemons(&self) -> Option<Vec<&'static str>> {
        None
    }
    /// zebra's `show interface vrf all`, where it answers (see
    /// [`Vtysh::show_interfaces`]).
    fn show_interfaces(&self) -> Option<String> {
        None
    }
}

/// Reads through a vtysh: only its read calls are reachable.
struct ReadThrough(VtyshCommand);

impl Read for ReadThrough {
    fn running_config(&self) -> Result<String, reloader::Error> {
        self.0.running_config()
    }

    fn show_version(&self) -> Result<String, reloader::Error> {
        self.0.show_version()
    }

    fn daemons(&self) -> Option<Vec<&'static str>> {
        self.0.daemons()
    }

    fn show_interfaces(&self) -> Option<String> {
        self.0.show_interfaces()
    }
}

/// A handle that reads FRR, off the runtime's threads. Cloned freely.
#[derive(Clone)]
pub struct Reader(Arc<dyn Read>);

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reader")
    }
}

impl Reader {
    /// A handle over `read`.
    pub fn new(read: impl Read) -> Reader {
        Reader(Arc::new(read))
    }

    /// `show running-config` (unredacted).
    pub async fn running_config(&self) -> Result<String, Error> {
        let read = self.0.clone();
        Ok(tokio::task::spawn_blocking(move || read.running_config()).await??)
    }

    /// `show version`.
    pub async fn show_version(&self) -> Result<String, Error> {
        let read = self.0.clone();
        Ok(tokio::task::spawn_blocking(move || read.show_version()).await??)
    }

    /// The daemons running, where known. Blocks: for a caller already off
    /// the runtime's threads.
    pub fn daemons_blocking(&self) -> Option<Vec<&'static str>> {
        self.0.daemons()
    }

    /// zebra's `show interface vrf all`, where it answers. Blocks, as
    /// [`Reader::daemons_blocking`].
    pub fn interfaces_blocking(&self) -> Option<String> {
        self.0.show_interfaces()
    }
}
