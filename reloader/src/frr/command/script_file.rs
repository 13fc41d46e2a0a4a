//! The private file a script is given to `vtysh -f` in.
//!
//! Where: a directory of its own for each script, mode 0700, with an
//! unpredictable name, in `$XDG_RUNTIME_DIR` when that is set (a per-user
//! tmpfs only its user can enter) and else in the system's temporary
//! directory (`TMPDIR`, else `/tmp`). The file in it is created with
//! `O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0600. Creating the directory
//! fails rather than reuse one that exists (another user's, or a link),
//! and nobody else can enter it: nobody else reads the script (it carries
//! passwords) or swaps the file. Both are removed once vtysh is done.

use std::collections::hash_map::RandomState;
use std::fs::{DirBuilder, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A script in a file readable by its owner only, removed on drop.
#[derive(Debug)]
pub(super) struct ScriptFile {
    dir: PathBuf,
    path: PathBuf,
}

impl ScriptFile {
    /// Writes `content` to a new private file.
    pub(super) fn write(content: &str) -> std::io::Result<ScriptFile> {
        let dir = base_dir().join(format!("frr-reload-agent.{:016x}", nonce()));
        DirBuilder::new().mode(0o700).create(&dir)?;
        // Removed on drop from here on, also when what follows fails.
        let file = ScriptFile {
            path: dir.join("script.conf"),
            dir,
        };
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
            .open(&file.path)?;
        out.write_all(content.as_bytes())?;
        Ok(file)
    }

    /// Where the file is.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScriptFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// `$XDG_RUNTIME_DIR` when set to an absolute path, else the system's
/// temporary directory.
fn base_dir() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .unwrap_or_else(std::env::temp_dir)
}

/// 64 unpredictable bits (the standard library's random hash keys).
fn nonce() -> u64 {
    RandomState::new().build_hasher().finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_script_file_is_private_and_removed() {
        let file = ScriptFile::write("hostname x\n").unwrap();
        let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(&file.dir).unwrap().permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        assert_eq!(
            std::fs::read_to_string(file.path()).unwrap(),
            "hostname x\n"
        );
        let other = ScriptFile::write("hostname y\n").unwrap();
        assert_ne!(other.dir, file.dir);
        let (path, dir) = (file.path.clone(), file.dir.clone());
        drop(file);
        assert!(!path.exists() && !dir.exists());
    }
}
