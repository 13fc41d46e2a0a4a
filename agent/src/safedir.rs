//! Directories the agent writes into (the state directory, the frr-k8s
//! compatibility directory), made safe against whoever else can write
//! there: each is checked, or made, at start as owned by the agent's user
//! and not writable by group or others (a looser one it owns is
//! tightened, with a warning; one it does not own is refused), and every
//! file is written through a temporary file with an unpredictable name,
//! created with `O_EXCL|O_NOFOLLOW`, then renamed over the target. A
//! symlink planted in the directory is never followed, for writing or for
//! reading.

use std::collections::hash_map::RandomState;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use nix::libc;

/// Why a directory or a file in it could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SafeDirError {
    /// A file operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The directory belongs to another user.
    #[error(
        "{path}: owned by uid {owner}, not by this agent's uid {uid}: refusing to write \
         there (another user could swap its files)"
    )]
    NotOwned {
        /// The directory.
        path: PathBuf,
        /// Its owner.
        owner: u32,
        /// The agent's effective uid.
        uid: u32,
    },
    /// The directory may be written to by group or others.
    #[error("{path}: mode {mode:o} lets group or others write: not used")]
    OpenToOthers {
        /// The directory.
        path: PathBuf,
        /// Its mode.
        mode: u32,
    },
    /// The path is not a directory.
    #[error("{path}: not a directory")]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// The file to read is not a regular file (a symlink, a FIFO, a device).
    #[error("{path}: not a regular file (symlinks, FIFOs and devices are refused)")]
    NotRegular {
        /// The file.
        path: PathBuf,
    },
    /// The file to read is larger than allowed.
    #[error("{path}: over the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        limit: u64,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SafeDirError + '_ {
    move |source| SafeDirError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A directory checked as the agent's own.
#[derive(Debug, Clone)]
pub struct SafeDir {
    dir: PathBuf,
}

impl SafeDir {
    /// Opens `dir`, creating it (and its missing parents) with `mode` when
    /// it does not exist. An existing directory must be owned by the
    /// agent's effective uid; where group or others may write to it, or
    /// may read it while `mode` does not let them, it is narrowed to
    /// `mode` (logged as a warning).
    pub fn open(dir: &Path, mode: u32) -> Result<SafeDir, SafeDirError> {
        SafeDir::open_as(dir, mode, true)
    }

    /// [`SafeDir::open`], but an existing directory that group or others
    /// may write to is refused ([`SafeDirError::OpenToOthers`]) instead of
    /// narrowed: for a directory the caller only borrows (the one-shot
    /// commands' cache in the agent's run directory), whose modes are not
    /// its to change.
    pub fn open_strict(dir: &Path, mode: u32) -> Result<SafeDir, SafeDirError> {
        SafeDir::open_as(dir, mode, false)
    }

    fn open_as(dir: &Path, mode: u32, narrow: bool) -> Result<SafeDir, SafeDirError> {
        let meta = match fs::symlink_metadata(dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::DirBuilder::new()
                    .recursive(true)
                    .mode(mode)
                    .create(dir)
                    .map_err(io_error(dir))?;
                fs::symlink_metadata(dir)
            }
            found => found,
        }
        .map_err(io_error(dir))?;
        if !meta.is_dir() {
            return Err(SafeDirError::NotADirectory {
                path: dir.to_owned(),
            });
        }
        let uid = nix::unistd::geteuid().as_raw();
        if meta.uid() != uid {
            return Err(SafeDirError::NotOwned {
                path: dir.to_owned(),
                owner: meta.uid(),
                uid,
            });
        }
        let current = meta.mode() & 0o7777;
        let allowed = mode & 0o777;
        if !narrow && current & 0o022 != 0 {
            return Err(SafeDirError::OpenToOthers {
                path: dir.to_owned(),
                mode: current,
            });
        }
        if narrow && current & !allowed & 0o077 != 0 {
            let narrowed = current & !(0o077 & !allowed);
            fs::set_permissions(dir, fs::Permissions::from_mode(narrowed))
                .map_err(io_error(dir))?;
            tracing::warn!(
                dir = %dir.display(),
                was = %format!("{current:o}"),
                now = %format!("{narrowed:o}"),
                "directory was open to other users: narrowed"
            );
        }
        Ok(SafeDir {
            dir: dir.to_owned(),
        })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The path of `name` in the directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Replaces `name` atomically with `bytes` (file mode `mode`): a
    /// temporary file with an unpredictable name, created exclusively and
    /// never through a symlink, fsynced, renamed over `name`, and the
    /// directory fsynced. On any failure the temporary file is removed.
    pub fn write(&self, name: &str, bytes: &[u8], mode: u32) -> Result<(), SafeDirError> {
        self.write_with(name, mode, |out| out.write_all(bytes))
    }

    /// [`SafeDir::write`] of what `fill` writes, through a buffer: a large
    /// file is never held whole in memory.
    pub fn write_with(
        &self,
        name: &str,
        mode: u32,
        fill: impl FnOnce(&mut io::BufWriter<&File>) -> io::Result<()>,
    ) -> Result<(), SafeDirError> {
        let (tmp, file) = self.create_temp(name, mode)?;
        let mut out = io::BufWriter::with_capacity(1 << 16, &file);
        let written = fill(&mut out)
            .and_then(|()| out.flush())
            .and_then(|()| file.set_permissions(fs::Permissions::from_mode(mode)))
            .and_then(|()| file.sync_all())
            .map_err(io_error(&tmp))
            .and_then(|()| fs::rename(&tmp, self.file(name)).map_err(io_error(&self.file(name))));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written?;
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error(&self.dir))
    }

    fn create_temp(&self, name: &str, mode: u32) -> Result<(PathBuf, File), SafeDirError> {
        let mut last = None;
        for _ in 0..8 {
            let tmp = self
                .dir
                .join(format!(".{name}.{:016x}.tmp", unpredictable()));
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(mode)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .open(&tmp)
            {
                Ok(file) => return Ok((tmp, file)),
                // Someone holds the name: draw another.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some((tmp, e)),
                Err(e) => return Err(io_error(&tmp)(e)),
            }
        }
        let (tmp, e) = last.expect("eight attempts");
        Err(io_error(&tmp)(e))
    }

    /// Reads `name` if it is a regular file of at most `limit` bytes;
    /// `Ok(None)` when it does not exist. A symlink is not followed and a
    /// FIFO is not waited on: both are refused, as is a device, and nothing
    /// of their content is read.
    pub fn read(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, SafeDirError> {
        let path = self.file(name);
        let file = match OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(&path)
        {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            // O_NOFOLLOW on a symlink.
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(SafeDirError::NotRegular { path })
            }
            Err(e) => return Err(io_error(&path)(e)),
        };
        let meta = file.metadata().map_err(io_error(&path))?;
        if !meta.is_file() {
            return Err(SafeDirError::NotRegular { path });
        }
        if meta.len() > limit {
            return Err(SafeDirError::TooLarge { path, limit });
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error(&path))?;
        if bytes.len() as u64 > limit {
            return Err(SafeDirError::TooLarge { path, limit });
        }
        Ok(Some(bytes))
    }

    /// Removes `name`; a missing file is not an error.
    pub fn remove(&self, name: &str) -> Result<(), SafeDirError> {
        let path = self.file(name);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_error(&path)(e)),
            _ => Ok(()),
        }
    }

    /// Removes the files named `PREFIX…SUFFIX` but `keep` that were last
    /// written `max_age` ago or more, so that the directory does not grow
    /// with every FRR a host ever ran. Never follows a name (a symlink is
    /// removed itself); errors are ignored.
    pub fn prune(&self, prefix: &str, suffix: &str, keep: &str, max_age: Duration) {
        let Ok(entries) = fs::read_dir(self.path()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !name.starts_with(prefix) || !name.ends_with(suffix) || name == keep {
                continue;
            }
            let old = entry
                .metadata()
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|at| at.elapsed().ok())
                .is_some_and(|age| age >= max_age);
            if old {
                let _ = self.remove(name);
            }
        }
    }
}

/// 64 bits no other user can predict: the standard library seeds each
/// `RandomState` from the operating system's random source.
fn unpredictable() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fra-safedir-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_directory_gets_the_mode_and_an_open_one_is_narrowed() {
        let base = temp_dir("modes");
        let dir = base.join("state");
        SafeDir::open(&dir, 0o700).unwrap();
        assert_eq!(mode(&dir), 0o700);
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).unwrap();
        SafeDir::open(&dir, 0o700).unwrap();
        assert_eq!(mode(&dir), 0o1700, "group and others lose every right");
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
        SafeDir::open(&dir, 0o755).unwrap();
        assert_eq!(
            mode(&dir),
            0o755,
            "only write is taken where reading is allowed"
        );
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_strict_open_refuses_a_directory_others_may_write() {
        let base = temp_dir("strict");
        let dir = base.join("run");
        SafeDir::open_strict(&dir, 0o750).unwrap();
        assert_eq!(mode(&dir), 0o750);
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o775)).unwrap();
        let err = SafeDir::open_strict(&dir, 0o750).unwrap_err().to_string();
        assert!(err.contains("lets group or others write"), "{err}");
        assert_eq!(mode(&dir), 0o775, "left as it was");
        // Readable by others: its modes are not the caller's to change.
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        SafeDir::open_strict(&dir, 0o750).unwrap();
        assert_eq!(mode(&dir), 0o755);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_symlink_or_a_file_is_not_a_directory() {
        let base = temp_dir("notdir");
        fs::create_dir_all(&base).unwrap();
        fs::write(base.join("file"), "x").unwrap();
        symlink(&base, base.join("link")).unwrap();
        for name in ["file", "link"] {
            let err = SafeDir::open(&base.join(name), 0o700).unwrap_err();
            assert!(err.to_string().contains("not a directory"), "{err}");
        }
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn writing_never_follows_a_planted_symlink() {
        let base = temp_dir("plant");
        let dir = SafeDir::open(&base.join("d"), 0o700).unwrap();
        let victim = base.join("victim");
        fs::write(&victim, "untouched").unwrap();
        // The names the agent used to write through, and the final name.
        for name in [".state.json.tmp", "state.json"] {
            symlink(&victim, dir.file(name)).unwrap();
        }
        dir.write("state.json", b"new", 0o600).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "untouched");
        assert_eq!(fs::read_to_string(dir.file("state.json")).unwrap(), "new");
        assert!(fs::symlink_metadata(dir.file("state.json"))
            .unwrap()
            .is_file());
        assert_eq!(mode(&dir.file("state.json")), 0o600);
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp") && n != ".state.json.tmp")
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn reading_refuses_symlinks_fifos_and_large_files() {
        let base = temp_dir("read");
        let dir = SafeDir::open(&base.join("d"), 0o755).unwrap();
        assert_eq!(dir.read("frr.conf", 10).unwrap(), None);
        fs::write(base.join("secret"), "root only").unwrap();
        symlink(base.join("secret"), dir.file("frr.conf")).unwrap();
        let err = dir.read("frr.conf", 100).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        assert!(!err.contains("root only"), "{err}");
        fs::remove_file(dir.file("frr.conf")).unwrap();
        nix::unistd::mkfifo(&dir.file("frr.conf"), nix::sys::stat::Mode::S_IRWXU).unwrap();
        let err = dir.read("frr.conf", 100).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        fs::remove_file(dir.file("frr.conf")).unwrap();
        fs::write(dir.file("frr.conf"), "0123456789ab").unwrap();
        let err = dir.read("frr.conf", 10).unwrap_err().to_string();
        assert!(err.contains("over the limit of 10 bytes"), "{err}");
        assert_eq!(dir.read("frr.conf", 12).unwrap().unwrap(), b"0123456789ab");
        fs::remove_dir_all(&base).unwrap();
    }
}
