//! The direct-read check, kept between runs of the one-shot commands.
//!
//! A read from the daemons' vty sockets is used only after one read made
//! both ways showed that their merge gives vtysh's text byte for byte
//! (`reloader::frr::DirectReads`). The serving agent keeps that check in
//! memory; `diff` and `reload` start afresh each run, so their first read
//! would always pay a vtysh start. A check that passed is therefore kept
//! in a file, and the next run takes it up, for what is left of its 5
//! minutes, only while nothing it depends on changed: the [`Key`] (each
//! daemon's vty socket, by inode and times: a restarted daemon binds a new
//! one; the vtysh program and its `vtysh.conf`, which give vtysh's own
//! lines; the host's name; the boot) must be what it was when the check
//! was made. Each direct read's `frr version` line is still compared with
//! the check's. Anything unexpected in the file (another format, another
//! key, an expired or future time, a line that cannot be vtysh's, a
//! symlink, garbage) is no check: the run reads through vtysh and checks
//! again.
//!
//! Where: the agent's run directory (`/var/run/frr-reload-agent`, where
//! `serve` puts its socket by default; `--cache-dir`), a tmpfs emptied at
//! boot. It must be this user's and not writable by group or others
//! ([`SafeDir::open_strict`]: refused, never narrowed; created 0750, as
//! `serve` creates it, when missing); the file is 0600, written through a
//! temporary file with an unpredictable name ([`SafeDir::write`]). Not
//! FRR's run directory: it is FRR's user's, and the serving agent watches
//! it for daemon restarts. One file per socket directory (FRR instance).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reloader::frr::{vty, DirectReads, PassedCheck, VtyshCommand, CALIBRATION_LIFETIME};
use serde::{Deserialize, Serialize};

use crate::safedir::SafeDir;

/// The format this agent writes and reads.
const FORMAT_VERSION: u32 = 1;

/// The largest file read back.
const MAX_BYTES: u64 = 64 * 1024;

/// The most vtysh's own lines a file may hold (vtysh prints its hostname,
/// domain, `service integrated-vtysh-config`, `exec-timeout` and users).
const MAX_OWN_LINES: usize = 64;

/// Where vtysh reads `vtysh.conf` (FRR's sysconfdir; `-N NAME`: below
/// `NAME/`).
pub(crate) const SYSCONFDIR: &str = "/etc/frr";

/// A file as the key sees it: replaced or changed, it differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FileId {
    pub(crate) name: String,
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl FileId {
    pub(crate) fn of(name: String, meta: &std::fs::Metadata) -> FileId {
        FileId {
            name,
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// What a check depends on outside FRR's answers (and a kept read too:
/// [`crate::keptread`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Key {
    /// The daemons' socket directory.
    socket_dir: String,
    /// Each daemon's vty socket (`NAME.vty`), by name.
    sockets: Vec<FileId>,
    /// The vtysh program (followed to the file it runs).
    vtysh: FileId,
    /// vtysh's configuration (`None`: absent).
    vtysh_conf: Option<FileId>,
    /// The host's name and domain (vtysh prints them).
    hostname: String,
    domainname: String,
    /// This boot.
    boot_id: String,
}

impl Key {
    /// The key now; `None` when the vtysh program cannot be found or no
    /// daemon has a socket.
    pub(crate) fn of(vtysh: &VtyshCommand, sysconfdir: &Path) -> Option<Key> {
        let dir = vty::socket_dir(vtysh.vty_socket.as_deref(), vtysh.pathspace.as_deref());
        let sockets: Vec<_> = vty::sockets(&dir)
            .into_iter()
            .map(|(daemon, meta)| FileId::of(daemon, &meta))
            .collect();
        if sockets.is_empty() {
            return None;
        }
        let program = find_program(&vtysh.program)?;
        let vtysh_id = FileId::of(
            program.to_string_lossy().into_owned(),
            &std::fs::metadata(&program).ok()?,
        );
        let vtysh_conf = vtysh_conf(vtysh, sysconfdir);
        let kernel = |name: &str| {
            std::fs::read_to_string(Path::new("/proc/sys/kernel").join(name))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        Some(Key {
            socket_dir: dir.to_string_lossy().into_owned(),
            sockets,
            vtysh: vtysh_id,
            vtysh_conf,
            hostname: kernel("hostname"),
            domainname: kernel("domainname"),
            boot_id: kernel("random/boot_id"),
        })
    }
}

/// vtysh's configuration (`SYSCONFDIR[/NAME]/vtysh.conf`), `None` when
/// absent.
pub(crate) fn vtysh_conf(vtysh: &VtyshCommand, sysconfdir: &Path) -> Option<FileId> {
    let mut conf = sysconfdir.to_owned();
    if let Some(name) = &vtysh.pathspace {
        conf.push(name);
    }
    conf.push("vtysh.conf");
    std::fs::metadata(&conf)
        .ok()
        .map(|meta| FileId::of(conf.to_string_lossy().into_owned(), &meta))
}

/// `program` as `Command` finds it: a path as it is, a bare name in
/// `PATH`.
pub(crate) fn find_program(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 || program.is_absolute() {
        return Some(program.to_owned());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|meta| meta.is_file() && meta.mode() & 0o111 != 0)
        })
}

/// The file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Saved {
    format_version: u32,
    key: Key,
    /// When the check was made (ms since the Unix epoch).
    checked_at_ms: u64,
    /// vtysh's own lines.
    own: Vec<String>,
    /// The `frr version` line of vtysh's text then.
    frr_version: Option<String>,
}

/// A file of the cache directory kept under the [`Key`] of one FRR (the
/// direct-read check; [`crate::keptread`]'s last read): where it is, the
/// key as it was when the run began, and how it is taken again.
#[derive(Debug)]
pub(crate) struct Keyed {
    pub(crate) dir: SafeDir,
    pub(crate) name: String,
    pub(crate) key: Key,
    vtysh: VtyshCommand,
    sysconfdir: PathBuf,
}

impl Keyed {
    /// `PREFIX-HASH.json` (HASH of the socket directory: one per FRR) in
    /// `dir`, for the FRR `vtysh` reaches, with the key as it is now;
    /// `None` when there is no key (see [`Key::of`]) or the directory
    /// cannot be used (not this user's, open to others' writes, not
    /// creatable): then `what` is not kept.
    pub(crate) fn open(
        dir: &Path,
        vtysh: &VtyshCommand,
        sysconfdir: &Path,
        prefix: &str,
        what: &str,
    ) -> Option<Keyed> {
        let key = Key::of(vtysh, sysconfdir)?;
        let dir = SafeDir::open_strict(dir, 0o750)
            .map_err(|e| tracing::debug!(error = %e, "{what} is not kept"))
            .ok()?;
        let hash = crate::actor::sha256_hex(&key.socket_dir);
        Some(Keyed {
            dir,
            name: format!("{prefix}{}.json", &hash[..16]),
            key,
            vtysh: VtyshCommand {
                program: vtysh.program.clone(),
                pathspace: vtysh.pathspace.clone(),
                vty_socket: vtysh.vty_socket.clone(),
                ..VtyshCommand::default()
            },
            sysconfdir: sysconfdir.to_owned(),
        })
    }

    /// Whether the key is still what it was at [`Keyed::open`].
    pub(crate) fn holds(&self) -> bool {
        Key::of(&self.vtysh, &self.sysconfdir).as_ref() == Some(&self.key)
    }

    /// The file's path.
    pub(crate) fn path(&self) -> PathBuf {
        self.dir.file(&self.name)
    }
}

/// The check's file for one FRR, and the key of this run.
#[derive(Debug)]
pub struct Cache(Keyed);

impl Cache {
    /// The file in `dir` for the FRR `vtysh` reaches, with the key as it
    /// is now (before any read); `None` when direct reads are off or the
    /// directory cannot be used (not this user's, open to others' writes,
    /// not creatable): then nothing is kept.
    pub fn open(dir: &Path, vtysh: &VtyshCommand) -> Option<Cache> {
        Cache::open_with(dir, vtysh, Path::new(SYSCONFDIR))
    }

    fn open_with(dir: &Path, vtysh: &VtyshCommand, sysconfdir: &Path) -> Option<Cache> {
        if !vtysh.direct_reads {
            return None;
        }
        let what = "the direct-read check";
        Keyed::open(dir, vtysh, sysconfdir, "direct-reads-", what).map(Cache)
    }

    /// Takes up the check kept by an earlier run, if it still holds;
    /// whether one was taken.
    pub fn restore(&self, direct: &DirectReads) -> bool {
        match self.load() {
            Some(check) => {
                direct.restore(check);
                true
            }
            None => false,
        }
    }

    /// The kept check, if the file is there, sound, of this key, and not
    /// expired.
    fn load(&self) -> Option<PassedCheck> {
        let Cache(file) = self;
        let bytes = match file.dir.read(&file.name, MAX_BYTES) {
            Ok(bytes) => bytes?,
            Err(e) => {
                tracing::debug!(error = %e, "the kept direct-read check is not read");
                return None;
            }
        };
        let saved: Saved = serde_json::from_slice(&bytes)
            .map_err(|e| tracing::debug!(error = %e, "the kept direct-read check is not read"))
            .ok()?;
        let sound_line = |l: &str| !l.is_empty() && !l.contains(['\n', '\r', '\0']);
        let sound = saved.format_version == FORMAT_VERSION
            && saved.key == file.key
            && saved.own.len() <= MAX_OWN_LINES
            && saved
                .own
                .iter()
                .all(|l| sound_line(l) && !l.starts_with([' ', '!']))
            && saved
                .frr_version
                .as_deref()
                .is_none_or(|v| sound_line(v) && v.starts_with("frr version "));
        let age = crate::actor::now_ms().checked_sub(saved.checked_at_ms)?;
        let age = Duration::from_millis(age);
        if !sound || age >= CALIBRATION_LIFETIME {
            tracing::debug!("the kept direct-read check no longer holds");
            return None;
        }
        Some(PassedCheck {
            own: saved.own,
            version: saved.frr_version,
            age,
        })
    }

    /// Keeps the check this run made, if it made one: written if it
    /// passed and nothing it depends on changed during the run, else the
    /// file is removed (the next run checks again). A run that made no
    /// check (it read directly, or not at all) leaves the file as it is.
    pub fn save(&self, direct: &DirectReads) {
        if direct.checks() == 0 {
            return;
        }
        self.store(direct.passed());
    }

    fn store(&self, passed: Option<PassedCheck>) {
        let Cache(file) = self;
        let saved = passed.filter(|_| file.holds()).map(|check| Saved {
            format_version: FORMAT_VERSION,
            key: file.key.clone(),
            checked_at_ms: crate::actor::now_ms()
                .saturating_sub(u64::try_from(check.age.as_millis()).unwrap_or(u64::MAX)),
            own: check.own,
            frr_version: check.version,
        });
        let done = match saved {
            Some(saved) => serde_json::to_vec_pretty(&saved)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    file.dir
                        .write(&file.name, &bytes, 0o600)
                        .map_err(|e| e.to_string())
                }),
            None => file.dir.remove(&file.name).map_err(|e| e.to_string()),
        };
        if let Err(error) = done {
            tracing::debug!(%error, "the direct-read check is not kept");
        }
        self.prune();
    }

    /// Removes the other FRRs' files older than a check's lifetime (of no
    /// use to any run).
    fn prune(&self) {
        let Cache(file) = self;
        file.dir
            .prune("direct-reads-", ".json", &file.name, CALIBRATION_LIFETIME);
    }

    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.0.path()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::{symlink, PermissionsExt};

    /// A fake FRR: a socket directory with `zebra.vty` and `bgpd.vty`
    /// (plain files do: only their identity counts), a vtysh program, a
    /// sysconfdir, and the cache directory.
    pub(crate) struct Fake {
        pub(crate) base: PathBuf,
        pub(crate) vtysh: VtyshCommand,
    }

    impl Fake {
        pub(crate) fn new(name: &str) -> Fake {
            let base =
                std::env::temp_dir().join(format!("fra-readcheck-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&base);
            for dir in ["run", "etc", "bin"] {
                fs::create_dir_all(base.join(dir)).unwrap();
            }
            for daemon in ["zebra", "bgpd"] {
                fs::write(base.join(format!("run/{daemon}.vty")), "").unwrap();
            }
            let program = base.join("bin/vtysh");
            fs::write(&program, "#!/bin/sh\n").unwrap();
            fs::set_permissions(&program, fs::Permissions::from_mode(0o755)).unwrap();
            let vtysh = VtyshCommand {
                program,
                vty_socket: Some(base.join("run")),
                ..VtyshCommand::default()
            };
            Fake { base, vtysh }
        }

        fn cache(&self) -> Option<Cache> {
            Cache::open_with(
                &self.base.join("cache"),
                &self.vtysh,
                &self.base.join("etc"),
            )
        }

        /// Replaces `path` by a new file (a new inode, as a restarted
        /// daemon's socket or an upgraded vtysh).
        pub(crate) fn replace(&self, path: &str) {
            let path = self.base.join(path);
            let new = path.with_extension("new");
            fs::write(&new, "#!/bin/sh\n").unwrap();
            fs::set_permissions(&new, fs::Permissions::from_mode(0o755)).unwrap();
            fs::rename(&new, &path).unwrap();
        }
    }

    impl Drop for Fake {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.base);
        }
    }

    fn check() -> PassedCheck {
        PassedCheck {
            own: vec![
                "hostname h".into(),
                "service integrated-vtysh-config".into(),
            ],
            version: Some("frr version 10.4.3".into()),
            age: Duration::from_secs(3),
        }
    }

    /// A file of the same key and these contents (as JSON values).
    fn write_saved(cache: &Cache, edit: impl FnOnce(&mut serde_json::Value)) {
        cache.store(Some(check()));
        let mut value: serde_json::Value =
            serde_json::from_slice(&fs::read(cache.path()).unwrap()).unwrap();
        edit(&mut value);
        fs::write(cache.path(), serde_json::to_vec(&value).unwrap()).unwrap();
    }

    #[test]
    fn a_check_is_kept_and_taken_up_by_the_next_run() {
        let fake = Fake::new("roundtrip");
        let cache = fake.cache().expect("usable");
        assert_eq!(cache.load(), None, "nothing kept yet");
        cache.store(Some(check()));
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache.path()), 0o600);
        assert_eq!(mode(&fake.base.join("cache")), 0o750);
        // The next run.
        let loaded = fake.cache().unwrap().load().expect("taken up");
        assert_eq!(
            (&loaded.own, &loaded.version),
            (&check().own, &check().version)
        );
        assert!(loaded.age >= Duration::from_secs(3) && loaded.age < Duration::from_secs(60));
        let direct = DirectReads::default();
        assert!(fake.cache().unwrap().restore(&direct));
        assert_eq!(direct.passed().map(|c| c.own), Some(check().own));

        // A run whose check failed removes it.
        cache.store(None);
        assert!(!cache.path().exists());
        // So does one that made a check and kept none.
        cache.store(Some(check()));
        let direct = DirectReads::default();
        cache.save(&direct);
        assert!(cache.path().exists(), "no check made: left as it is");
    }

    #[test]
    fn a_restarted_added_or_removed_daemon_invalidates_it() {
        let fake = Fake::new("daemons");
        fake.cache().unwrap().store(Some(check()));
        assert!(fake.cache().unwrap().load().is_some());
        fake.replace("run/bgpd.vty");
        assert_eq!(fake.cache().unwrap().load(), None, "bgpd restarted");

        fake.cache().unwrap().store(Some(check()));
        fs::write(fake.base.join("run/bfdd.vty"), "").unwrap();
        assert_eq!(fake.cache().unwrap().load(), None, "bfdd started");

        fake.cache().unwrap().store(Some(check()));
        fs::remove_file(fake.base.join("run/bfdd.vty")).unwrap();
        assert_eq!(fake.cache().unwrap().load(), None, "bfdd gone");
    }

    #[test]
    fn another_vtysh_or_vtysh_conf_invalidates_it() {
        let fake = Fake::new("vtysh");
        fake.cache().unwrap().store(Some(check()));
        fake.replace("bin/vtysh");
        assert_eq!(fake.cache().unwrap().load(), None, "vtysh upgraded");

        fake.cache().unwrap().store(Some(check()));
        fs::write(fake.base.join("etc/vtysh.conf"), "").unwrap();
        assert_eq!(fake.cache().unwrap().load(), None, "vtysh.conf created");
        fake.cache().unwrap().store(Some(check()));
        assert!(fake.cache().unwrap().load().is_some());
        fs::write(
            fake.base.join("etc/vtysh.conf"),
            "service integrated-vtysh-config\n",
        )
        .unwrap();
        assert_eq!(fake.cache().unwrap().load(), None, "vtysh.conf changed");

        // With a pathspace, its own vtysh.conf counts.
        let mut named = fake.vtysh.clone();
        named.pathspace = Some("n1".into());
        fs::create_dir_all(fake.base.join("run/n1")).unwrap();
        fs::write(fake.base.join("run/n1/zebra.vty"), "").unwrap();
        let open = || Cache::open_with(&fake.base.join("cache"), &named, &fake.base.join("etc"));
        open().unwrap().store(Some(check()));
        assert!(open().unwrap().load().is_some());
        fs::create_dir_all(fake.base.join("etc/n1")).unwrap();
        fs::write(fake.base.join("etc/n1/vtysh.conf"), "").unwrap();
        assert_eq!(open().unwrap().load(), None, "n1's vtysh.conf created");
    }

    #[test]
    fn other_frrs_expired_files_are_pruned() {
        let fake = Fake::new("prune");
        let cache = fake.cache().unwrap();
        let dir = fake.base.join("cache");
        let old = dir.join("direct-reads-0000000000000000.json");
        let fresh = dir.join("direct-reads-1111111111111111.json");
        let other = dir.join("agent.sock.json");
        for path in [&old, &fresh, &other] {
            fs::write(path, "{}").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - Duration::from_secs(600);
        for path in [&old, &other] {
            fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        cache.store(Some(check()));
        assert!(!old.exists(), "expired: removed");
        assert!(fresh.exists(), "another FRR's live check: kept");
        assert!(other.exists(), "not ours: kept");
        assert!(cache.load().is_some());
    }

    #[test]
    fn a_check_changed_during_the_run_is_not_kept() {
        let fake = Fake::new("during");
        let cache = fake.cache().unwrap();
        fake.replace("run/zebra.vty");
        cache.store(Some(check()));
        assert!(!cache.path().exists());
    }

    #[test]
    fn an_expired_or_future_check_is_none() {
        let fake = Fake::new("expired");
        let cache = fake.cache().unwrap();
        let now = crate::actor::now_ms();
        write_saved(&cache, |v| v["checkedAtMs"] = (now - 301_000).into());
        assert_eq!(cache.load(), None, "older than 300 s");
        write_saved(&cache, |v| v["checkedAtMs"] = (now - 290_000).into());
        assert!(cache.load().unwrap().age >= Duration::from_secs(290));
        write_saved(&cache, |v| v["checkedAtMs"] = (now + 60_000).into());
        assert_eq!(cache.load(), None, "made in the future");
        // Stored at its age: a check already 299 s old is not kept for
        // another 300.
        cache.store(Some(PassedCheck {
            age: Duration::from_secs(299),
            ..check()
        }));
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(cache.load(), None);
    }

    #[test]
    fn a_tampered_or_garbage_file_is_no_check() {
        let fake = Fake::new("garbage");
        let cache = fake.cache().unwrap();
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let edits: Vec<(&str, Edit)> = vec![
            (
                "another format",
                Box::new(|v| v["formatVersion"] = 2.into()),
            ),
            ("an unknown field", Box::new(|v| v["extra"] = 1.into())),
            (
                "another socket directory",
                Box::new(|v| v["key"]["socketDir"] = "/elsewhere".into()),
            ),
            (
                "another inode",
                Box::new(|v| v["key"]["sockets"][0]["ino"] = 1.into()),
            ),
            (
                "a line with a newline",
                Box::new(|v| v["own"][0] = "hostname h\nip route 0.0.0.0/0 Null0".into()),
            ),
            (
                "an indented line",
                Box::new(|v| v["own"][0] = " neighbor x".into()),
            ),
            (
                "not a version line",
                Box::new(|v| v["frrVersion"] = "hostname x".into()),
            ),
            (
                "too many lines",
                Box::new(|v| v["own"] = vec!["hostname h"; 65].into()),
            ),
            (
                "a wrong type",
                Box::new(|v| v["checkedAtMs"] = "yesterday".into()),
            ),
        ];
        for (what, edit) in edits {
            write_saved(&cache, edit);
            assert_eq!(cache.load(), None, "{what}");
        }
        for garbage in [&b""[..], b"{", b"null", b"\xff\xfe\x00", &[b'x'; 70_000]] {
            fs::write(cache.path(), garbage).unwrap();
            assert_eq!(cache.load(), None, "{garbage:?}");
        }
        // And the run after it checks and keeps its own.
        cache.store(Some(check()));
        assert!(cache.load().is_some());
    }

    #[test]
    fn a_symlink_is_refused_and_never_written_through() {
        let fake = Fake::new("symlink");
        let cache = fake.cache().unwrap();
        cache.store(Some(check()));
        let elsewhere = fake.base.join("elsewhere.json");
        fs::rename(cache.path(), &elsewhere).unwrap();
        symlink(&elsewhere, cache.path()).unwrap();
        assert_eq!(cache.load(), None, "a valid check behind a symlink");
        cache.store(Some(check()));
        assert!(fs::symlink_metadata(cache.path()).unwrap().is_file());
        let victim = fake.base.join("victim");
        fs::write(&victim, "untouched").unwrap();
        fs::remove_file(cache.path()).unwrap();
        symlink(&victim, cache.path()).unwrap();
        cache.store(Some(check()));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "untouched");
        cache.store(None);
        assert!(victim.exists(), "removing the link, not its target");
    }

    #[test]
    fn an_unsafe_directory_or_no_direct_reads_keeps_nothing() {
        let fake = Fake::new("unsafe");
        let dir = fake.base.join("cache");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
        assert!(fake.cache().is_none(), "writable by others");
        assert_eq!(
            fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o777,
            "not narrowed"
        );
        fs::remove_dir(&dir).unwrap();
        symlink(fake.base.join("etc"), &dir).unwrap();
        assert!(fake.cache().is_none(), "a symlink");
        fs::remove_file(&dir).unwrap();
        let mut off = Fake::new("unsafe-off");
        off.vtysh.direct_reads = false;
        assert!(off.cache().is_none());
        // No daemon: nothing to key on.
        for daemon in ["zebra", "bgpd"] {
            fs::remove_file(fake.base.join(format!("run/{daemon}.vty"))).unwrap();
        }
        assert!(fake.cache().is_none());
    }
}
