//! The agent's one inotify watch: a directory's events, the watch set up
//! again (every [`RETRY`]) whenever it cannot be set up or fails, as when
//! the directory does not exist yet or is removed and made again.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt;
use inotify::{EventMask, EventStream, Inotify, WatchMask};

/// Time between attempts to set a watch up.
pub const RETRY: Duration = Duration::from_secs(2);

/// What [`DirWatch::next`] gives.
#[derive(Debug)]
pub enum DirEvent {
    /// The watch is in place; `again` when an earlier one failed or could
    /// not be set up (what happened meanwhile was not seen).
    Watching {
        /// Not the first watch.
        again: bool,
    },
    /// An event naming a file in the directory.
    File(OsString),
    /// The watch failed or could not be set up; another is tried after
    /// [`RETRY`].
    Failed(std::io::Error),
}

/// A watch on a directory, set up again whenever it fails.
pub struct DirWatch {
    dir: PathBuf,
    mask: WatchMask,
    events: Option<EventStream<[u8; 4096]>>,
    /// Whether a watch was tried before.
    tried: bool,
    /// When the next attempt may be made, after a failed one.
    retry_at: Option<tokio::time::Instant>,
}

impl DirWatch {
    /// A watch of `mask` on `dir`, set up at the first [`DirWatch::next`].
    /// The directory going away always ends a watch.
    pub fn new(dir: &Path, mask: WatchMask) -> DirWatch {
        DirWatch {
            dir: dir.to_owned(),
            mask: mask | WatchMask::DELETE_SELF | WatchMask::MOVE_SELF,
            events: None,
            tried: false,
            retry_at: None,
        }
    }

    /// The directory watched.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The next event. Cancel safe.
    pub async fn next(&mut self) -> DirEvent {
        loop {
            let Some(events) = self.events.as_mut() else {
                if let Some(at) = self.retry_at {
                    tokio::time::sleep_until(at).await;
                }
                let again = std::mem::replace(&mut self.tried, true);
                return match self.start() {
                    Ok(events) => {
                        self.events = Some(events);
                        self.retry_at = None;
                        DirEvent::Watching { again }
                    }
                    Err(e) => self.fail(e),
                };
            };
            let event = match events.next().await {
                Some(Ok(event)) => event,
                Some(Err(e)) => return self.fail(e),
                None => return self.fail(std::io::Error::other("inotify stream ended")),
            };
            let gone = EventMask::DELETE_SELF | EventMask::MOVE_SELF | EventMask::IGNORED;
            if event.mask.intersects(gone) {
                return self.fail(std::io::Error::other("the directory went away"));
            }
            // Events on the directory itself name no file.
            if let Some(name) = event.name {
                return DirEvent::File(name);
            }
        }
    }

    fn start(&self) -> std::io::Result<EventStream<[u8; 4096]>> {
        let inotify = Inotify::init()?;
        inotify.watches().add(&self.dir, self.mask)?;
        inotify.into_event_stream([0u8; 4096])
    }

    fn fail(&mut self, e: std::io::Error) -> DirEvent {
        self.events = None;
        self.retry_at = Some(tokio::time::Instant::now() + RETRY);
        DirEvent::Failed(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_directory_is_watched_once_it_exists() {
        let base = std::env::temp_dir().join(format!("dirwatch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let mut watch = DirWatch::new(&base, WatchMask::CREATE);
        assert!(matches!(watch.next().await, DirEvent::Failed(_)));
        std::fs::create_dir(&base).unwrap();
        assert!(matches!(
            watch.next().await,
            DirEvent::Watching { again: true }
        ));
        std::fs::write(base.join("zebra.vty"), "").unwrap();
        match watch.next().await {
            DirEvent::File(name) => assert_eq!(name, "zebra.vty"),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&base).unwrap();
        // The removal of the file may show first; the directory's end follows.
        loop {
            match watch.next().await {
                DirEvent::Failed(_) => break,
                DirEvent::File(_) => {}
                other => panic!("{other:?}"),
            }
        }
    }
}
