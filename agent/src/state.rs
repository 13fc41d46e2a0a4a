//! The state directory: the last desired configuration, the last converged
//! one and the last result, written atomically (0600 files in a 0700
//! directory) with a format version, so an agent restart re-applies and
//! reports without loss, and a newer agent's file is refused, not misread.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use protocol::ApplyResult;
use serde::{Deserialize, Serialize};

use crate::safedir::{SafeDir, SafeDirError};

/// The format this agent writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A configuration the agent was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    /// The text, as received (secrets included: this file is 0600);
    /// shared, not copied, by the jobs and the state that hold it.
    pub config: Arc<String>,
    /// The caller's id.
    pub id: String,
    /// sha256 of `config`.
    pub sha256: String,
    /// Its generation.
    pub generation: u64,
    /// The most its reload may do to BGP and BFD sessions (`maxImpact`),
    /// kept so that its re-apply at the next start is guarded alike.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_impact: Option<protocol::Effect>,
}

/// What the state file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// [`FORMAT_VERSION`] of the agent that wrote it.
    pub format_version: u32,
    /// The newest desired configuration accepted.
    pub desired: Option<Saved>,
    /// The last configuration FRR converged to (for `--on-failure rollback`).
    pub last_converged: Option<Saved>,
    /// The last result (secrets redacted).
    pub last_result: Option<ApplyResult>,
    /// The newest generation counted: `desired` may be older, after a
    /// configuration the impact guard refused.
    #[serde(default)]
    pub generation: u64,
}

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The directory or a file in it could not be used.
    #[error(transparent)]
    Dir(#[from] SafeDirError),
    /// The file is not valid state JSON.
    #[error("{path}: not a state file: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The directory could not be made or used at start (not a directory,
    /// a read-only file system): nothing can be saved.
    #[error("{path}: unusable: {reason}")]
    Unusable {
        /// The directory.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file was written by an agent with a format this one does not know.
    #[error("{path}: state format {found} is newer than this agent's {FORMAT_VERSION}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Its format version.
        found: u32,
    },
}

/// The name of the state file in its directory.
const STATE_FILE: &str = "state.json";

/// The largest state file read back (a desired and a converged
/// configuration, each at most `--max-config-bytes`, and a result).
const MAX_STATE_BYTES: u64 = 1 << 30;

/// The state directory.
#[derive(Debug, Clone)]
pub struct StateDir {
    dir: Result<SafeDir, (PathBuf, String)>,
}

impl StateDir {
    /// The state directory at `dir`: created 0700 when missing; an
    /// existing one must be the agent's own and is narrowed to 0700 (see
    /// [`SafeDir::open`]). One that belongs to another user is refused:
    /// that user could swap its files. One that cannot be made or used
    /// (a file in its place, a read-only file system) is kept as
    /// unusable: the agent serves, and every save says why it failed.
    pub fn open(dir: &Path) -> Result<StateDir, StateError> {
        match SafeDir::open(dir, 0o700) {
            Ok(safe) => Ok(StateDir { dir: Ok(safe) }),
            Err(e @ SafeDirError::NotOwned { .. }) => Err(e.into()),
            Err(e) => {
                tracing::error!(error = %e, "the state directory cannot be used: nothing will be saved");
                Ok(StateDir {
                    dir: Err((dir.to_owned(), e.to_string())),
                })
            }
        }
    }

    fn usable(&self) -> Result<&SafeDir, StateError> {
        self.dir
            .as_ref()
            .map_err(|(path, reason)| StateError::Unusable {
                path: path.clone(),
                reason: reason.clone(),
            })
    }

    /// Reads the saved state; `Ok(None)` when there is none yet (or the
    /// directory is unusable).
    pub fn load(&self) -> Result<Option<State>, StateError> {
        let Ok(dir) = &self.dir else {
            return Ok(None);
        };
        let path = dir.file(STATE_FILE);
        let Some(bytes) = dir.read(STATE_FILE, MAX_STATE_BYTES)? else {
            return Ok(None);
        };
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Version {
            format_version: u32,
        }
        let corrupt = |e: serde_json::Error| StateError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        };
        let version: Version = serde_json::from_slice(&bytes).map_err(corrupt)?;
        if version.format_version > FORMAT_VERSION {
            return Err(StateError::Unsupported {
                path,
                found: version.format_version,
            });
        }
        serde_json::from_slice(&bytes).map(Some).map_err(corrupt)
    }

    /// Removes the saved state, so that a restart finds none.
    pub fn discard(&self) -> Result<(), StateError> {
        Ok(self.usable()?.remove(STATE_FILE)?)
    }

    /// Writes `state` atomically, 0600 (see [`SafeDir::write`]).
    pub fn save(&self, state: &State) -> Result<(), StateError> {
        /// `state` with this agent's format version, serialized without
        /// copying it.
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Versioned<'a> {
            format_version: u32,
            desired: &'a Option<Saved>,
            last_converged: &'a Option<Saved>,
            last_result: &'a Option<ApplyResult>,
            generation: u64,
        }
        let versioned = Versioned {
            format_version: FORMAT_VERSION,
            desired: &state.desired,
            last_converged: &state.last_converged,
            last_result: &state.last_result,
            generation: state.generation,
        };
        Ok(self.usable()?.write_with(STATE_FILE, 0o600, |out| {
            serde_json::to_writer_pretty(out, &versioned).map_err(std::io::Error::from)
        })?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fra-state-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn saves_and_loads_with_private_modes() {
        let dir = temp_dir("roundtrip");
        let store = StateDir::open(&dir.join("state")).unwrap();
        assert_eq!(store.load().unwrap(), None);
        let state = State {
            desired: Some(Saved {
                config: Arc::new("router bgp 64512\n".to_owned()),
                id: "a".into(),
                sha256: "00".into(),
                generation: 3,
                max_impact: Some(protocol::Effect::Soft),
            }),
            generation: 4,
            ..State::default()
        };
        store.save(&state).unwrap();
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded.desired, state.desired);
        assert_eq!(loaded.generation, state.generation);
        assert_eq!(loaded.format_version, FORMAT_VERSION);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.join("state/state.json")), 0o600);
        assert_eq!(mode(&dir.join("state")), 0o700);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn newer_format_is_refused_and_garbage_is_named() {
        let dir = temp_dir("refuse");
        let store = StateDir::open(&dir).unwrap();
        fs::write(dir.join("state.json"), r#"{"formatVersion": 99}"#).unwrap();
        let err = store.load().unwrap_err().to_string();
        assert!(err.contains("state format 99 is newer"), "{err}");
        fs::write(dir.join("state.json"), "{").unwrap();
        let err = store.load().unwrap_err().to_string();
        assert!(err.contains("not a state file"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
