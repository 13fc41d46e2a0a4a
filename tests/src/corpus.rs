//! The configuration corpus (`../shared/corpus` next to the workspace, or
//! `CORPUS_DIR`): frr-k8s's rendered configs and FRR's topotest configs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::frr::dry_run_accepts;
use crate::rng::Rng;

/// The corpus directory: `CORPUS_DIR`, else `../shared/corpus` from the
/// workspace root.
pub fn dir() -> PathBuf {
    std::env::var_os("CORPUS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    )
}

/// A named configuration text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Short name used in case ids (a file stem, `empty`, `gen3`).
    pub name: String,
    /// The configuration.
    pub text: String,
}

impl Input {
    /// The empty configuration.
    pub fn empty() -> Input {
        Input {
            name: "empty".into(),
            text: String::new(),
        }
    }

    fn read(path: &Path) -> Result<Input, String> {
        let bytes = fs::read(path).map_err(|e| format!("read {}: {e}", path.display()))?;
        Ok(Input {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

fn sorted_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| {
            format!(
                "corpus not found at {} (set CORPUS_DIR): {e}",
                dir.display()
            )
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    files.sort();
    Ok(files)
}

/// Every frr-k8s config, sorted by name.
pub fn k8s() -> Result<Vec<Input>, String> {
    sorted_files(&dir().join("frr-k8s"))?
        .iter()
        .map(|p| Input::read(p))
        .collect()
}

/// Daemons of the test instances (the daemon part of a topotest file name
/// `<test>__<router>_<daemon>.conf`, or `frr` for an integrated config).
const IN_SCOPE: &[&str] = &["zebra", "bgpd", "staticd", "bfdd", "frr"];

/// Words that open configuration of daemons the test instances do not run
/// (an integrated `frr.conf` that has them is out of scope of the sample).
const OTHER_DAEMONS: &[&str] = &[
    "router ospf",
    "router ospf6",
    "router isis",
    "router rip",
    "router ripng",
    "router eigrp",
    "router babel",
    "router openfabric",
    "mpls ldp",
    "ip ospf",
    "ipv6 ospf6",
    "ip router isis",
    "ipv6 router isis",
    "isis ",
    "ip pim",
    "ipv6 pim",
    "ip igmp",
    "ipv6 mld",
    "ip rip",
    "ipv6 rip",
    "pbr-map",
    "vrrp ",
    "segment-routing",
    "router pim",
    "ip msdp",
    "nhrp",
    "openfabric",
    "sharp ",
    "pce",
];

/// Whether a topotest file configures only the daemons the test instances
/// run (by its name, and for an integrated `frr.conf`, by its content).
pub fn in_scope(path: &Path, text: &str) -> bool {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let daemon = stem.rsplit('_').next().unwrap_or_default();
    if !IN_SCOPE.contains(&daemon) {
        return false;
    }
    daemon != "frr"
        || !text.lines().any(|l| {
            let l = l.trim();
            OTHER_DAEMONS.iter().any(|w| l.starts_with(w))
        })
}

/// Every topotest config file, sorted by name.
pub fn topotest_files() -> Result<Vec<PathBuf>, String> {
    sorted_files(&dir().join("topotests"))
}

/// One router of a topotest: the union of its `<test>__<router>_*.conf`
/// files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Router {
    /// The topotest (`bfd_profiles_topo1`).
    pub test: String,
    /// Named `<test>__<router>` (`bfd_profiles_topo1__r1`).
    pub input: Input,
}

/// Where a daemon's file goes in a router's union: an integrated `frr`
/// first, then in the order FRR starts the daemons, then the rest by name.
fn daemon_rank(daemon: &str) -> usize {
    if daemon == "frr" {
        return 0;
    }
    crate::frr::ALL_DAEMONS
        .iter()
        .position(|d| *d == daemon)
        .map_or(usize::MAX, |i| i + 1)
}

/// Every topotest router, sorted by name: each the union of its files
/// (`<test>__<router>_<daemon>.conf`), in [`daemon_rank`] order.
pub fn routers() -> Result<Vec<Router>, String> {
    let mut files: BTreeMap<(String, String), Vec<(usize, PathBuf)>> = BTreeMap::new();
    for path in topotest_files()? {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let split = stem
            .split_once("__")
            .and_then(|(t, r)| r.rsplit_once('_').map(|(r, d)| (t, r, d)));
        let Some((test, router, daemon)) = split else {
            return Err(format!(
                "{}: not <test>__<router>_<daemon>.conf",
                path.display()
            ));
        };
        files
            .entry((test.to_owned(), router.to_owned()))
            .or_default()
            .push((daemon_rank(daemon), path));
    }
    let mut routers = Vec::new();
    for ((test, router), mut parts) in files {
        parts.sort();
        let mut text = String::new();
        let several = parts.len() > 1;
        for (_, path) in &parts {
            let part = Input::read(path)?;
            // `end` leaves configuration mode: in a union it would end
            // the file early, so only a lone file keeps it.
            for line in part.text.lines() {
                if !(several && line.trim() == "end") {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
        routers.push(Router {
            input: Input {
                name: format!("{test}__{router}"),
                text,
            },
            test,
        });
    }
    Ok(routers)
}

/// Reads topotest files FRR 8.4's `vtysh --dryrun` accepts.
pub fn accepted(files: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut inputs = Vec::new();
    for path in files {
        if dry_run_accepts(path) {
            inputs.push(Input::read(path)?);
        }
    }
    Ok(inputs)
}

/// A seeded sample of `count` topotest configs that FRR 8.4's dryrun
/// accepts, drawn from those that configure only the instances' daemons
/// (always the same on the same corpus).
pub fn topotest_sample(seed: u64, count: usize) -> Result<Vec<Input>, String> {
    let mut files = topotest_files()?;
    Rng::new(seed).shuffle(&mut files);
    let mut sample = Vec::new();
    for path in files {
        if sample.len() == count {
            break;
        }
        let input = Input::read(&path)?;
        if in_scope(&path, &input.text) && dry_run_accepts(&path) {
            sample.push(input);
        }
    }
    sample.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sample)
}
