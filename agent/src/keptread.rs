//! The last read, kept between runs of the one-shot `reload`.
//!
//! The serving agent computes a reload's first delta against the running
//! configuration its previous reload read last (`reloader::pipeline::
//! reload_from`): nothing else configures FRR in between, and the reload
//! confirms its outcome with a fresh read in any case (an out-of-date read
//! costs a pass, never the outcome). The one-shot starts afresh each run,
//! so its first read, on FRR 10 a third of a reload of a large text, is
//! kept in a file, and the next run takes it up instead of reading FRR,
//! under the same conditions as the serving agent's:
//!
//! - the read is younger than [`LIFETIME`], the serving agent's default
//!   resync interval;
//! - nothing it depends on outside FRR's configuration changed: the key of
//!   the direct-read check ([`crate::readcheck`]: each daemon's vty
//!   socket by inode and times, so a restarted, added or removed daemon;
//!   the vtysh program and its `vtysh.conf`; the host's name; the boot)
//!   is what it was when the read was made;
//! - the run has no impact guard (`--max-impact`), which must judge the
//!   first delta against what FRR runs.
//!
//! Only the read of a run that converged is kept (then it is the fresh
//! read that proved it), and only if the key held during the whole run;
//! any other run removes the file. A change made by hand between two runs
//! is found by the verifying read, and the run converges in one more pass.
//!
//! The file holds the text, secrets included, as the state directory does
//! the desired configuration (`crate::state`): it is 0600, in the
//! `--cache-dir` with its safety ([`SafeDir::open_strict`]: this user's,
//! not writable by group or others), written through a temporary file
//! with an unpredictable name ([`SafeDir::write`]), read only if a regular
//! file under [`MAX_BYTES`]. One file per socket directory (FRR instance).
//! Anything unexpected in it (another format or key, an expired or future
//! time, garbage) is no read: the run reads FRR. `--no-cache` keeps
//! nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use protocol::{ApplyResult, Outcome};
use reloader::frr::VtyshCommand;
use serde::{Deserialize, Serialize};

use crate::readcheck::{Key, Keyed, SYSCONFDIR};

/// The format this agent writes and reads.
const FORMAT_VERSION: u32 = 1;

/// How long a kept read stands: the serving agent's default resync
/// interval, for which it trusts its own last read.
pub const LIFETIME: Duration = Duration::from_secs(60);

/// The largest file read back (and written): a running configuration of
/// some 500,000 lines.
const MAX_BYTES: u64 = 32 << 20;

/// The file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Saved {
    format_version: u32,
    key: Key,
    /// When FRR was read (ms since the Unix epoch).
    read_at_ms: u64,
    /// What `show running-config` printed.
    text: String,
}

/// The kept read of one FRR, and the key of this run.
#[derive(Debug)]
pub struct Read(Keyed);

impl Read {
    /// The file in `dir` for the FRR `vtysh` reaches, with the key as it
    /// is now (before any read); `None` when no daemon's socket is to be
    /// seen or the directory cannot be used: then nothing is kept.
    pub fn open(dir: &Path, vtysh: &VtyshCommand) -> Option<Read> {
        Read::open_with(dir, vtysh, Path::new(SYSCONFDIR))
    }

    fn open_with(dir: &Path, vtysh: &VtyshCommand, sysconfdir: &Path) -> Option<Read> {
        Keyed::open(dir, vtysh, sysconfdir, "last-read-", "the last read").map(Read)
    }

    /// The read kept by an earlier run, if the file is there, sound, of
    /// this key, and younger than [`LIFETIME`].
    pub fn load(&self) -> Option<String> {
        let Read(file) = self;
        let bytes = match file.dir.read(&file.name, MAX_BYTES) {
            Ok(bytes) => bytes?,
            Err(e) => {
                tracing::debug!(error = %e, "the last read is not taken up");
                return None;
            }
        };
        let saved: Saved = serde_json::from_slice(&bytes)
            .map_err(|e| tracing::debug!(error = %e, "the last read is not taken up"))
            .ok()?;
        let age = crate::actor::now_ms().checked_sub(saved.read_at_ms)?;
        let sound = saved.format_version == FORMAT_VERSION
            && saved.key == file.key
            && !saved.text.is_empty()
            && Duration::from_millis(age) < LIFETIME;
        if !sound {
            tracing::debug!("the last read no longer holds");
            return None;
        }
        Some(saved.text)
    }

    /// Keeps the read of `result` for the next run if it converged and
    /// nothing the key depends on changed since [`Read::open`]; else
    /// removes the file. `read_at_ms` is when the run began: its last
    /// read came after, so the kept one expires no later than it should.
    pub fn save(&self, result: &ApplyResult, read_at_ms: u64) {
        let Read(file) = self;
        let keep = result.outcome == Outcome::Converged
            && !result.running_config.is_empty()
            // Room for JSON's escapes (a `\n` per line): read back whole.
            && result.running_config.len() as u64 <= MAX_BYTES / 2
            && file.holds();
        let done = if keep {
            let saved = Saved {
                format_version: FORMAT_VERSION,
                key: file.key.clone(),
                read_at_ms,
                text: result.running_config.clone(),
            };
            file.dir
                .write_with(&file.name, 0o600, |out| {
                    serde_json::to_writer(out, &saved).map_err(std::io::Error::other)
                })
                .map_err(|e| e.to_string())
        } else {
            file.dir.remove(&file.name).map_err(|e| e.to_string())
        };
        if let Err(error) = done {
            tracing::debug!(%error, "the last read is not kept");
        }
        file.dir.prune("last-read-", ".json", &file.name, LIFETIME);
    }

    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.0.path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readcheck::tests::Fake;
    use std::fs;
    use std::os::unix::fs::{symlink, PermissionsExt};

    /// The fake FRR of the direct-read check's tests, and its file.
    fn kept(fake: &Fake) -> Option<Read> {
        Read::open_with(
            &fake.base.join("cache"),
            &fake.vtysh,
            &fake.base.join("etc"),
        )
    }

    const TEXT: &str =
        "frr version 10.4.3\n!\nrouter bgp 64512\n neighbor 192.0.2.1 password s3cret\nexit\n";

    fn converged() -> ApplyResult {
        ApplyResult {
            outcome: Outcome::Converged,
            running_config: TEXT.to_owned(),
            ..ApplyResult::default()
        }
    }

    fn now() -> u64 {
        crate::actor::now_ms()
    }

    #[test]
    fn a_converged_read_is_kept_whole_and_taken_up_by_the_next_run() {
        let fake = Fake::new("kept-read-roundtrip");
        let read = kept(&fake).expect("usable");
        assert_eq!(read.load(), None, "nothing kept yet");
        read.save(&converged(), now());
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&read.path()), 0o600);
        assert_eq!(mode(&fake.base.join("cache")), 0o750);
        assert_eq!(kept(&fake).unwrap().load().as_deref(), Some(TEXT));
    }

    #[test]
    fn a_run_that_did_not_converge_removes_it() {
        let fake = Fake::new("kept-read-failed");
        let read = kept(&fake).unwrap();
        for outcome in [
            Outcome::NotConverged,
            Outcome::ConversionFailed,
            Outcome::PartlyApplied,
            Outcome::ImpactRefused,
            Outcome::FrrUnreachable,
        ] {
            read.save(&converged(), now());
            assert!(read.path().exists());
            let result = ApplyResult {
                outcome,
                ..converged()
            };
            read.save(&result, now());
            assert!(!read.path().exists(), "{outcome:?}");
        }
        read.save(&converged(), now());
        let empty = ApplyResult {
            running_config: String::new(),
            ..converged()
        };
        read.save(&empty, now());
        assert!(!read.path().exists(), "no text");
    }

    #[test]
    fn a_daemon_restarted_during_or_after_the_run_invalidates_it() {
        let fake = Fake::new("kept-read-daemons");
        let read = kept(&fake).unwrap();
        fake.replace("run/bgpd.vty");
        read.save(&converged(), now());
        assert!(!read.path().exists(), "bgpd restarted during the run");

        kept(&fake).unwrap().save(&converged(), now());
        assert!(kept(&fake).unwrap().load().is_some());
        fake.replace("run/zebra.vty");
        assert_eq!(kept(&fake).unwrap().load(), None, "zebra restarted");

        kept(&fake).unwrap().save(&converged(), now());
        fs::write(fake.base.join("run/bfdd.vty"), "").unwrap();
        assert_eq!(kept(&fake).unwrap().load(), None, "bfdd started");
    }

    #[test]
    fn an_old_a_future_or_a_garbled_read_is_no_read() {
        let fake = Fake::new("kept-read-sound");
        let read = kept(&fake).unwrap();
        let lifetime = u64::try_from(LIFETIME.as_millis()).unwrap();
        read.save(&converged(), now() - lifetime - 1);
        assert_eq!(read.load(), None, "expired");
        read.save(&converged(), now() + 60_000);
        assert_eq!(read.load(), None, "read in the future");
        read.save(&converged(), now());
        let mut value: serde_json::Value =
            serde_json::from_slice(&fs::read(read.path()).unwrap()).unwrap();
        value["formatVersion"] = 2.into();
        fs::write(read.path(), serde_json::to_vec(&value).unwrap()).unwrap();
        assert_eq!(read.load(), None, "another format");
        fs::write(read.path(), b"{\"formatVersion\": 1, ").unwrap();
        assert_eq!(read.load(), None, "garbage");
    }

    #[test]
    fn a_symlink_or_an_open_directory_is_refused() {
        let fake = Fake::new("kept-read-links");
        let read = kept(&fake).unwrap();
        read.save(&converged(), now());
        let elsewhere = fake.base.join("elsewhere.json");
        fs::rename(read.path(), &elsewhere).unwrap();
        symlink(&elsewhere, read.path()).unwrap();
        assert_eq!(read.load(), None, "a symlink is not followed");

        let open = fake.base.join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
        assert!(Read::open_with(&open, &fake.vtysh, &fake.base.join("etc")).is_none());
    }

    #[test]
    fn no_socket_to_be_seen_keeps_nothing() {
        let fake = Fake::new("kept-read-nosockets");
        for daemon in ["zebra", "bgpd"] {
            fs::remove_file(fake.base.join(format!("run/{daemon}.vty"))).unwrap();
        }
        assert!(kept(&fake).is_none());
    }
}
