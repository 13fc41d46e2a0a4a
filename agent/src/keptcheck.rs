//! FRR's check, kept between runs of the one-shot `reload`.
//!
//! Every reload asks FRR whether it accepts the whole text (`vtysh
//! --dryrun -f`): on FRR 10 a vtysh start and a parse of every line, the
//! longest phase of a one-shot no-op. The serving agent remembers what
//! FRR accepted (`reloader::frr::checked`); the one-shot starts afresh
//! each run, so an acceptance is kept in a file, and a later run given
//! exactly the same text does not ask FRR again.
//!
//! What is kept: for each accepted text, a SHA-256 digest of the text
//! together with what decides FRR's verdict (the [`Key`]: the vtysh
//! program by path, device, inode, size and times, the pathspace, and
//! `vtysh.conf`, which vtysh reads before the text, the same way;
//! then the `frr version` line vtysh printed in the run that checked), and
//! that line. Never the text, never a refusal. A run takes a verdict up
//! only if the key is what it was, and the pipeline uses it only if the
//! running configuration it reads names the same `frr version`
//! (`reloader::pipeline`): else FRR checks the text again. Our own screen
//! of vtysh commands runs on every text regardless. At most [`MAX_KEPT`]
//! texts, the most recently accepted.
//!
//! For a text not kept whole, the blocks of the text accepted last are
//! kept too (`reloader::frr::checked`: 128 bits of a SHA-256 of each
//! block with the one before it, at most [`MAX_BLOCKS`]), with the same
//! `frr version` line and under the same key: a run given a text that
//! differs in a few blocks sends FRR's check those blocks only, as the
//! serving agent does.
//!
//! Where: the `--cache-dir` of the direct-read check ([`crate::readcheck`]),
//! with its safety: the directory must be this user's and not writable by
//! group or others ([`SafeDir::open_strict`]), the file is 0600, written
//! through a temporary file created `O_EXCL|O_NOFOLLOW` and renamed
//! ([`SafeDir::write`]), read only if a regular file under a size limit.
//! One file per vtysh program and pathspace. Anything unexpected in it
//! (another format or key, a malformed entry, garbage) is no verdict.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use reloader::frr::checked::BlockKey;
use reloader::frr::{KeptChecks, VtyshCommand};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::readcheck::{find_program, vtysh_conf, FileId, SYSCONFDIR};
use crate::safedir::SafeDir;

/// The format this agent writes and reads.
const FORMAT_VERSION: u32 = 2;

/// Blocks kept at most (a text of about 250,000 top-level lines).
pub const MAX_BLOCKS: usize = 1 << 18;

/// The largest file read back: [`MAX_KEPT`] entries and [`MAX_BLOCKS`]
/// blocks, in hex.
const MAX_BYTES: u64 = 16 << 20;

/// Texts kept at most.
pub const MAX_KEPT: usize = 32;

/// Other vtysh programs' files untouched this long are removed.
const STALE: Duration = Duration::from_secs(24 * 3600);

/// What decides FRR's verdict besides the text and the FRR version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Key {
    /// The vtysh program (followed to the file it runs).
    vtysh: FileId,
    /// `vtysh -N NAME`.
    pathspace: Option<String>,
    /// vtysh's configuration (`None`: absent).
    vtysh_conf: Option<FileId>,
}

impl Key {
    fn of(vtysh: &VtyshCommand, sysconfdir: &Path) -> Option<Key> {
        let program = find_program(&vtysh.program)?;
        let meta = std::fs::metadata(&program).ok()?;
        Some(Key {
            vtysh: FileId::of(program.to_string_lossy().into_owned(), &meta),
            pathspace: vtysh.pathspace.clone(),
            vtysh_conf: vtysh_conf(vtysh, sysconfdir),
        })
    }
}

/// One accepted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Entry {
    /// [`digest`] of the text, the key and `frr_version` (hex).
    digest: String,
    /// The `frr version` line vtysh printed when FRR accepted it.
    frr_version: String,
    /// When (ms since the Unix epoch; for whoever reads the file).
    accepted_at_ms: u64,
}

impl Entry {
    fn sound(&self) -> bool {
        self.digest.len() == 64 && is_hex(&self.digest) && sound_version(&self.frr_version)
    }
}

/// Whether `text` is lowercase hex digits only.
fn is_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `line` can be the `frr version` line vtysh printed.
fn sound_version(line: &str) -> bool {
    line.starts_with("frr version ") && line.len() <= 128 && !line.chars().any(char::is_control)
}

/// The blocks of the text accepted last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Blocks {
    /// The `frr version` line vtysh printed when FRR accepted the text.
    frr_version: String,
    /// Each block's key, 32 hex digits (little-endian bytes), one after
    /// the other.
    keys: String,
}

impl Blocks {
    fn of(version: &str, keys: &[BlockKey]) -> Option<Blocks> {
        use std::fmt::Write;
        if keys.len() > MAX_BLOCKS || !sound_version(version) {
            return None;
        }
        let mut hex = String::with_capacity(32 * keys.len());
        for key in keys {
            for byte in key.to_le_bytes() {
                let _ = write!(hex, "{byte:02x}");
            }
        }
        Some(Blocks {
            frr_version: version.to_owned(),
            keys: hex,
        })
    }

    /// The keys, if the entry is sound.
    fn keys(&self) -> Option<Vec<BlockKey>> {
        let hex = self.keys.as_bytes();
        if !sound_version(&self.frr_version)
            || !is_hex(&self.keys)
            || hex.len() % 32 != 0
            || hex.len() / 32 > MAX_BLOCKS
        {
            return None;
        }
        let digit = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
        let keys = hex.chunks(32).map(|chunk| {
            let mut bytes = [0; 16];
            for (byte, pair) in bytes.iter_mut().zip(chunk.chunks(2)) {
                *byte = digit(pair[0]) << 4 | digit(pair[1]);
            }
            BlockKey::from_le_bytes(bytes)
        });
        Some(keys.collect())
    }
}

/// The file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Saved {
    format_version: u32,
    key: Key,
    /// Most recently accepted first.
    accepted: Vec<Entry>,
    /// The blocks of the text accepted last.
    #[serde(default)]
    last_blocks: Option<Blocks>,
}

/// The digest kept for `text` (given by its SHA-256) accepted under
/// `key` and `version`.
fn digest(key: &Key, version: &str, text: &[u8; 32]) -> String {
    let mut hash = Sha256::new();
    hash.update(b"frr-reload-agent: FRR's check accepted\0");
    hash.update(serde_json::to_vec(key).unwrap_or_default());
    hash.update(b"\0");
    hash.update(version.as_bytes());
    hash.update(b"\0");
    hash.update(text);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn text_hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// The verdicts kept for one vtysh, as read at the start of the run, with
/// this run's acceptances.
#[derive(Debug)]
pub struct Verdicts {
    dir: SafeDir,
    name: String,
    key: Key,
    state: Mutex<State>,
    /// How the key is taken again at the end of the run.
    vtysh: VtyshCommand,
    sysconfdir: PathBuf,
}

#[derive(Debug, Default)]
struct State {
    entries: Vec<Entry>,
    last_blocks: Option<Blocks>,
    /// Whether this run accepted a text (the file is to be written).
    changed: bool,
}

impl Verdicts {
    /// The verdicts kept in `dir` for `vtysh`; `None` when the vtysh
    /// program cannot be found or the directory cannot be used (not this
    /// user's, open to others' writes, not creatable): then nothing is
    /// kept and every run asks FRR.
    pub fn open(dir: &Path, vtysh: &VtyshCommand) -> Option<Verdicts> {
        Verdicts::open_with(dir, vtysh, Path::new(SYSCONFDIR))
    }

    fn open_with(dir: &Path, vtysh: &VtyshCommand, sysconfdir: &Path) -> Option<Verdicts> {
        let key = Key::of(vtysh, sysconfdir)?;
        let dir = SafeDir::open_strict(dir, 0o750)
            .map_err(|e| tracing::debug!(error = %e, "FRR's check is not kept"))
            .ok()?;
        let id = crate::actor::sha256_hex(&format!(
            "{}\0{}",
            key.vtysh.name,
            key.pathspace.as_deref().unwrap_or("")
        ));
        let verdicts = Verdicts {
            dir,
            name: format!("checks-{}.json", &id[..16]),
            key,
            state: Mutex::default(),
            vtysh: VtyshCommand {
                program: vtysh.program.clone(),
                pathspace: vtysh.pathspace.clone(),
                ..VtyshCommand::default()
            },
            sysconfdir: sysconfdir.to_owned(),
        };
        if let Some(saved) = verdicts.load() {
            let mut state = verdicts.lock();
            state.entries = saved.accepted;
            state.last_blocks = saved.last_blocks;
        }
        Some(verdicts)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What is kept, if the file is there, sound and of this key.
    fn load(&self) -> Option<Saved> {
        let bytes = match self.dir.read(&self.name, MAX_BYTES) {
            Ok(bytes) => bytes?,
            Err(e) => {
                tracing::debug!(error = %e, "FRR's kept checks are not read");
                return None;
            }
        };
        let saved = serde_json::from_slice::<Saved>(&bytes)
            .map_err(|e| tracing::debug!(error = %e, "FRR's kept checks are not read"))
            .ok()?;
        let sound = saved.format_version == FORMAT_VERSION
            && saved.key == self.key
            && saved.accepted.len() <= MAX_KEPT
            && saved.accepted.iter().all(Entry::sound)
            && saved
                .last_blocks
                .as_ref()
                .is_none_or(|b| b.keys().is_some());
        if !sound {
            tracing::debug!("FRR's kept checks no longer hold");
            return None;
        }
        Some(saved)
    }

    /// Writes this run's acceptances, if any, with the earlier ones: only
    /// if nothing the key depends on changed during the run (else the
    /// file is removed: the next run asks FRR).
    pub fn save(&self) {
        let (entries, last_blocks, changed) = {
            let state = self.lock();
            (
                state.entries.clone(),
                state.last_blocks.clone(),
                state.changed,
            )
        };
        if !changed {
            return;
        }
        let same = Key::of(&self.vtysh, &self.sysconfdir).as_ref() == Some(&self.key);
        let done = if same {
            let saved = Saved {
                format_version: FORMAT_VERSION,
                key: self.key.clone(),
                accepted: entries,
                last_blocks,
            };
            serde_json::to_vec_pretty(&saved)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    self.dir
                        .write(&self.name, &bytes, 0o600)
                        .map_err(|e| e.to_string())
                })
        } else {
            self.dir.remove(&self.name).map_err(|e| e.to_string())
        };
        if let Err(error) = done {
            tracing::debug!(%error, "FRR's check is not kept");
        }
        self.prune();
    }

    /// Removes other vtysh programs' files untouched for a day.
    fn prune(&self) {
        self.dir.prune("checks-", ".json", &self.name, STALE);
    }

    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.file(&self.name)
    }

    /// How many texts are kept.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

impl KeptChecks for Verdicts {
    fn accepted(&self, config: &str) -> Option<String> {
        let text = text_hash(config);
        let state = self.lock();
        state
            .entries
            .iter()
            .find(|e| e.digest == digest(&self.key, &e.frr_version, &text))
            .map(|e| e.frr_version.clone())
    }

    fn blocks(&self) -> Option<(String, Vec<BlockKey>)> {
        let state = self.lock();
        let blocks = state.last_blocks.as_ref()?;
        Some((blocks.frr_version.clone(), blocks.keys()?))
    }

    fn accept(&self, config: &str, version: &str, blocks: &[BlockKey]) {
        let entry = Entry {
            digest: digest(&self.key, version, &text_hash(config)),
            frr_version: version.to_owned(),
            accepted_at_ms: crate::actor::now_ms(),
        };
        if !entry.sound() {
            return;
        }
        let mut state = self.lock();
        state.entries.retain(|e| e.digest != entry.digest);
        state.entries.insert(0, entry);
        state.entries.truncate(MAX_KEPT);
        state.last_blocks = Blocks::of(version, blocks);
        state.changed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::{symlink, PermissionsExt};

    const TEXT: &str = "router bgp 64512\n neighbor 192.0.2.1 password s3cr3t-Pa55\nexit\n";
    const V: &str = "frr version 10.4.3";

    /// A vtysh program, a sysconfdir and the cache directory.
    struct Fake {
        base: PathBuf,
        vtysh: VtyshCommand,
    }

    impl Fake {
        fn new(name: &str) -> Fake {
            let base =
                std::env::temp_dir().join(format!("fra-keptcheck-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&base);
            for dir in ["etc", "bin"] {
                fs::create_dir_all(base.join(dir)).unwrap();
            }
            let fake = Fake {
                vtysh: VtyshCommand {
                    program: base.join("bin/vtysh"),
                    ..VtyshCommand::default()
                },
                base,
            };
            fake.replace("bin/vtysh");
            fake
        }

        fn open(&self) -> Option<Verdicts> {
            self.open_as(&self.vtysh)
        }

        fn open_as(&self, vtysh: &VtyshCommand) -> Option<Verdicts> {
            Verdicts::open_with(&self.base.join("cache"), vtysh, &self.base.join("etc"))
        }

        /// `open`, then keeps `text` as accepted under `version` and saves.
        fn keep(&self, text: &str, version: &str) -> Verdicts {
            let verdicts = self.open().expect("usable");
            verdicts.accept(text, version, &blocks_of(text));
            verdicts.save();
            verdicts
        }
    }

    /// The blocks of `text`, as FRR's check cuts it.
    fn blocks_of(text: &str) -> Vec<BlockKey> {
        let checked = reloader::frr::checked::Checked::default();
        checked.plan(text).expect("parses").blocks().to_vec()
    }

    impl Fake {
        /// Replaces `path` by a new file (a new inode: an upgraded vtysh).
        fn replace(&self, path: &str) {
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

    #[test]
    fn an_acceptance_is_kept_for_the_same_text_only() {
        let fake = Fake::new("roundtrip");
        assert_eq!(fake.open().unwrap().accepted(TEXT), None, "nothing yet");
        let verdicts = fake.keep(TEXT, V);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&verdicts.path()), 0o600);
        assert_eq!(mode(&fake.base.join("cache")), 0o750);
        // The next run.
        let next = fake.open().unwrap();
        assert_eq!(next.accepted(TEXT).as_deref(), Some(V));
        assert_eq!(next.accepted(&TEXT.replace("64512", "64513")), None);
        assert_eq!(next.accepted(&format!("{TEXT}\n")), None, "exact text");
        // The text is not in the file, nor its secret.
        let file = fs::read_to_string(verdicts.path()).unwrap();
        assert!(
            !file.contains("s3cr3t") && !file.contains("neighbor"),
            "{file}"
        );
        // A run that accepted nothing writes nothing.
        fs::remove_file(verdicts.path()).unwrap();
        next.save();
        assert!(!verdicts.path().exists());
    }

    #[test]
    fn the_blocks_of_the_text_accepted_last_are_kept() {
        let fake = Fake::new("blocks");
        assert_eq!(fake.open().unwrap().blocks(), None, "nothing yet");
        fake.keep(TEXT, V);
        let other = "hostname h\nip prefix-list L seq 5 permit any\n";
        let verdicts = fake.keep(other, "frr version 10.7.1");
        let (version, blocks) = fake.open().unwrap().blocks().expect("kept");
        assert_eq!(version, "frr version 10.7.1");
        assert_eq!(blocks, blocks_of(other));
        assert_eq!(blocks.len(), 2);
        // Keys only: no line of the text.
        let file = fs::read_to_string(verdicts.path()).unwrap();
        assert!(!file.contains("prefix-list"), "{file}");
        // Too many to keep: the text is kept, its blocks are not.
        let verdicts = fake.open().unwrap();
        verdicts.accept(TEXT, V, &vec![7; MAX_BLOCKS + 1]);
        verdicts.save();
        let next = fake.open().unwrap();
        assert_eq!(next.accepted(TEXT).as_deref(), Some(V));
        assert_eq!(next.blocks(), None);
        // Another vtysh: nothing.
        fake.keep(other, V);
        fake.replace("bin/vtysh");
        assert_eq!(fake.open().unwrap().blocks(), None);
    }

    #[test]
    fn another_vtysh_or_vtysh_conf_or_pathspace_is_not_kept_for() {
        let fake = Fake::new("key");
        fake.keep(TEXT, V);
        fake.replace("bin/vtysh");
        assert_eq!(fake.open().unwrap().accepted(TEXT), None, "vtysh upgraded");

        fake.keep(TEXT, V);
        fs::write(fake.base.join("etc/vtysh.conf"), "").unwrap();
        assert_eq!(
            fake.open().unwrap().accepted(TEXT),
            None,
            "vtysh.conf created"
        );
        fake.keep(TEXT, V);
        assert!(fake.open().unwrap().accepted(TEXT).is_some());
        fs::write(fake.base.join("etc/vtysh.conf"), "hostname x\n").unwrap();
        assert_eq!(
            fake.open().unwrap().accepted(TEXT),
            None,
            "vtysh.conf changed"
        );

        fake.keep(TEXT, V);
        let named = VtyshCommand {
            pathspace: Some("n1".into()),
            ..fake.vtysh.clone()
        };
        assert_eq!(fake.open_as(&named).unwrap().accepted(TEXT), None);
        assert!(fake.open().unwrap().accepted(TEXT).is_some());
    }

    #[test]
    fn a_key_changed_during_the_run_keeps_nothing() {
        let fake = Fake::new("during");
        fake.keep("hostname a\n", V);
        let verdicts = fake.open().unwrap();
        verdicts.accept(TEXT, V, &blocks_of(TEXT));
        fake.replace("bin/vtysh");
        verdicts.save();
        assert!(!verdicts.path().exists());
    }

    #[test]
    fn the_most_recent_texts_are_kept() {
        let fake = Fake::new("many");
        let verdicts = fake.open().unwrap();
        for i in 0..MAX_KEPT + 5 {
            verdicts.accept(&format!("hostname h{i}\n"), V, &[]);
        }
        verdicts.accept("hostname h7\n", "frr version 10.7.1", &[]);
        verdicts.save();
        let next = fake.open().unwrap();
        assert_eq!(next.len(), MAX_KEPT);
        assert_eq!(next.accepted("hostname h0\n"), None, "oldest dropped");
        assert!(next
            .accepted(&format!("hostname h{}\n", MAX_KEPT + 4))
            .is_some());
        assert_eq!(
            next.accepted("hostname h7\n").as_deref(),
            Some("frr version 10.7.1"),
            "accepted again: once, with the newer version"
        );
    }

    #[test]
    fn a_tampered_or_garbage_file_is_no_verdict() {
        let fake = Fake::new("garbage");
        let verdicts = fake.keep(TEXT, V);
        let path = verdicts.path();
        let good: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let edits: Vec<(&str, Edit)> = vec![
            (
                "another format",
                Box::new(|v| v["formatVersion"] = 1.into()),
            ),
            ("an unknown field", Box::new(|v| v["extra"] = 1.into())),
            (
                "another vtysh",
                Box::new(|v| v["key"]["vtysh"]["ino"] = 1.into()),
            ),
            (
                "another version under the same digest",
                Box::new(|v| v["accepted"][0]["frrVersion"] = "frr version 9.1".into()),
            ),
            (
                "not a version line",
                Box::new(|v| v["accepted"][0]["frrVersion"] = "hostname x".into()),
            ),
            (
                "a digest not hex",
                Box::new(|v| v["accepted"][0]["digest"] = "z".repeat(64).into()),
            ),
            (
                "too many entries",
                Box::new(|v| {
                    let one = v["accepted"][0].clone();
                    v["accepted"] = vec![one; MAX_KEPT + 1].into();
                }),
            ),
            (
                "blocks not hex",
                Box::new(|v| v["lastBlocks"]["keys"] = "+f".repeat(16).into()),
            ),
            (
                "blocks cut short",
                Box::new(|v| v["lastBlocks"]["keys"] = "0".repeat(31).into()),
            ),
            (
                "blocks under no version line",
                Box::new(|v| v["lastBlocks"]["frrVersion"] = "hostname x".into()),
            ),
            (
                "too many blocks",
                Box::new(|v| v["lastBlocks"]["keys"] = "0".repeat(32 * (MAX_BLOCKS + 1)).into()),
            ),
        ];
        for (what, edit) in edits {
            let mut value = good.clone();
            edit(&mut value);
            fs::write(&path, serde_json::to_vec(&value).unwrap()).unwrap();
            let verdicts = fake.open().unwrap();
            assert_eq!(verdicts.accepted(TEXT), None, "{what}");
            // (A sound entry that matches no text leaves the blocks.)
            if what != "another version under the same digest" {
                assert_eq!(verdicts.blocks(), None, "{what}");
            }
        }
        for garbage in [&b""[..], b"{", b"null", b"\xff\xfe\x00", &[b'x'; 70_000]] {
            fs::write(&path, garbage).unwrap();
            assert_eq!(fake.open().unwrap().accepted(TEXT), None, "{garbage:?}");
        }
        // The run after it asks FRR and keeps its own.
        fake.keep(TEXT, V);
        assert!(fake.open().unwrap().accepted(TEXT).is_some());
    }

    #[test]
    fn a_symlink_is_refused_and_never_written_through() {
        let fake = Fake::new("symlink");
        let verdicts = fake.keep(TEXT, V);
        let elsewhere = fake.base.join("elsewhere.json");
        fs::rename(verdicts.path(), &elsewhere).unwrap();
        symlink(&elsewhere, verdicts.path()).unwrap();
        assert_eq!(
            fake.open().unwrap().accepted(TEXT),
            None,
            "behind a symlink"
        );
        let victim = fake.base.join("victim");
        fs::write(&victim, "untouched").unwrap();
        fs::remove_file(verdicts.path()).unwrap();
        symlink(&victim, verdicts.path()).unwrap();
        fake.keep(TEXT, V);
        assert_eq!(fs::read_to_string(&victim).unwrap(), "untouched");
        assert!(fs::symlink_metadata(verdicts.path()).unwrap().is_file());
    }

    #[test]
    fn an_unsafe_directory_or_no_vtysh_keeps_nothing() {
        let fake = Fake::new("unsafe");
        let dir = fake.base.join("cache");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o770)).unwrap();
        assert!(fake.open().is_none(), "writable by the group");
        assert_eq!(
            fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o770,
            "not narrowed"
        );
        fs::remove_dir(&dir).unwrap();
        symlink(fake.base.join("etc"), &dir).unwrap();
        assert!(fake.open().is_none(), "a symlink");
        fs::remove_file(&dir).unwrap();
        let missing = VtyshCommand {
            program: fake.base.join("bin/none"),
            ..VtyshCommand::default()
        };
        assert!(fake.open_as(&missing).is_none());
    }

    #[test]
    fn other_vtyshs_stale_files_are_pruned() {
        let fake = Fake::new("prune");
        let dir = fake.base.join("cache");
        fake.keep("hostname a\n", V);
        let old = dir.join("checks-0000000000000000.json");
        let fresh = dir.join("checks-1111111111111111.json");
        let other = dir.join("direct-reads-0000000000000000.json");
        for path in [&old, &fresh, &other] {
            fs::write(path, "{}").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - STALE - Duration::from_secs(60);
        for path in [&old, &other] {
            fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        fake.keep(TEXT, V);
        assert!(!old.exists(), "stale: removed");
        assert!(fresh.exists() && other.exists());
    }
}
