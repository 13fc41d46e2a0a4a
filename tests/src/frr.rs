//! Private FRR instances for tests: each one runs a set of daemons
//! ([`DaemonSet`]: frr-k8s's four, or every daemon the FRR build ships,
//! bgpd with its BMP module; mgmtd first on 10.3) in its own network namespace, which has
//! nothing but a loopback, and in its own FRR pathspace (`-N NAME`). FRR
//! 8.4 is Debian 12's, on the host; FRR 10.3 is Debian 13's, in a
//! debootstrap chroot (`scripts/setup-frr10.sh`, found through
//! `FRR10_ROOT`). Dropping an instance stops its daemons (only the pids in
//! its own pid files), removes its directories and deletes its namespace,
//! also when a test panics.

use std::fmt;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output as ProcessOutput, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use reloader::frr::{Vtysh, VtyshCommand};
use reloader::FrrVersion;

/// Prefix of every namespace and pathspace this harness creates, followed
/// by the pid of the test process and a counter.
pub const PREFIX: &str = "fra-";
/// frr-k8s's daemons: what its FRR pod runs (mgmtd is added first on
/// 10.3, as everywhere).
pub const FRR_K8S_DAEMONS: &[&str] = &["zebra", "bgpd", "staticd", "bfdd"];
/// The daemons of a default instance when `FRA_DAEMONS` does not say
/// otherwise (see [`DaemonSet::from_env`]).
pub const DAEMONS: &[&str] = FRR_K8S_DAEMONS;
/// Every daemon an FRR build may ship, in the order `frrinit.sh` starts
/// them. An instance of [`DaemonSet::Every`] runs those whose program
/// the release has: all of them start here, on FRR 8.4 (18: no mgmtd,
/// pim6d or sharpd) and 10.3 (20: no sharpd; Debian builds FRR without
/// sharpd, a test daemon). None is left out. This kernel has no VRF (the
/// `vrf` link type is unknown), no multicast routing (no
/// `/proc/net/ip_mr_vif`) and no MPLS (no `/proc/sys/net/mpls`): pimd,
/// pim6d and ldpd start and take their configuration, but cannot program
/// the kernel, and a `vrf X` stays inactive. That limits what a
/// configuration does, not which daemons run or what they print.
pub const ALL_DAEMONS: &[&str] = &[
    "mgmtd", "zebra", "bgpd", "ripd", "ripngd", "ospfd", "ospf6d", "isisd", "babeld", "pimd",
    "pim6d", "ldpd", "nhrpd", "eigrpd", "sharpd", "pbrd", "staticd", "bfdd", "fabricd", "vrrpd",
    "pathd",
];
/// bgpd's BMP module, in a release's root.
const BMP_MODULE: &str = "usr/lib/x86_64-linux-gnu/frr/modules/bgpd_bmp.so";
/// FRR 10.3's daemons that take their configuration through mgmtd and
/// refuse `-f`.
const NO_CONFIG_FILE_10: &[&str] = &["mgmtd", "staticd", "ripd", "ripngd"];
/// Bound on the wait for one daemon, and for vtysh to answer.
const START_TIMEOUT: Duration = Duration::from_secs(15);
/// Bound on the wait for a daemon to exit after SIGTERM, before SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// vtysh on the host (FRR 8.4).
const HOST_VTYSH: &str = "/usr/bin/vtysh";
/// FRR's run directory on the host, where the reloader looks for a
/// pathspace's vty sockets by default.
const HOST_RUN_DIR: &str = "/var/run/frr";

/// Which FRR an instance runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Release {
    /// Debian 12's FRR 8.4, on the host.
    Frr84,
    /// Debian 13's FRR 10.3, in a chroot (`FRR10_ROOT`).
    Frr103,
    /// FRR 10.4.3 built from source, what frr-k8s ships, in a chroot
    /// (`FRR1043_ROOT`).
    Frr1043,
    /// Debian sid's FRR 10.7.1, in a chroot (`FRR1071_ROOT`).
    Frr1071,
}

impl Release {
    /// The version the reloader's rules are keyed on.
    pub fn version(self) -> FrrVersion {
        match self {
            Release::Frr84 => FrrVersion::V8_4,
            Release::Frr103 => FrrVersion::V10_3,
            Release::Frr1043 => FrrVersion::new(10, 4),
            Release::Frr1071 => FrrVersion::new(10, 7),
        }
    }

    /// The root directory FRR's files live under (`/` for the host).
    pub fn root(self) -> PathBuf {
        match self {
            Release::Frr84 => PathBuf::from("/"),
            _ => {
                let (variable, default) = self.chroot().expect("a chroot release");
                std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from)
            }
        }
    }

    /// For a release in a chroot: the variable naming its root and the
    /// root `scripts/setup-frr.sh` makes by default.
    fn chroot(self) -> Option<(&'static str, &'static str)> {
        match self {
            Release::Frr84 => None,
            Release::Frr103 => Some(("FRR10_ROOT", "/opt/frr10-root")),
            Release::Frr1043 => Some(("FRR1043_ROOT", "/opt/frr-10.4.3")),
            Release::Frr1071 => Some(("FRR1071_ROOT", "/opt/frr-10.7.1")),
        }
    }

    /// The release named `name` (`8.4`, `10.3`, `10.4.3`, `10.7.1`).
    pub fn named(name: &str) -> Option<Release> {
        RELEASES.into_iter().find(|r| r.to_string() == name)
    }

    /// Whether its daemons run in a chroot (every FRR 10 here).
    pub fn chrooted(self) -> bool {
        self.chroot().is_some()
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Release::Frr84 => "8.4",
            Release::Frr103 => "10.3",
            Release::Frr1043 => "10.4.3",
            Release::Frr1071 => "10.7.1",
        })
    }
}

/// Every release the tests know, oldest first.
pub const RELEASES: [Release; 4] = [
    Release::Frr84,
    Release::Frr103,
    Release::Frr1043,
    Release::Frr1071,
];

/// The releases the version-keyed tests run on: `FRA_RELEASES` (a comma
/// list such as `8.4,10.4.3`), else all of [`RELEASES`]. Panics on a name
/// it does not know, so that a typo never shrinks a run silently.
pub fn releases() -> Vec<Release> {
    match std::env::var("FRA_RELEASES") {
        Err(_) => RELEASES.to_vec(),
        Ok(list) => list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                Release::named(name)
                    .unwrap_or_else(|| panic!("FRA_RELEASES: unknown FRR release {name}"))
            })
            .collect(),
    }
}

/// Whether this process runs as root (effective uid 0).
pub fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

/// Whether the tests run in CI (`CI=true`), where a missing requirement
/// is a failure rather than a reason to skip: a missing tool (hadolint,
/// kubectl, promtool) fails there. Root and FRR are asked for by
/// [`require`] alone.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Why instances of `release` cannot run here, if they cannot.
pub fn missing(release: Release) -> Option<String> {
    if !is_root() {
        return Some("not root: network namespaces and FRR daemons need root".into());
    }
    if !Path::new("/usr/bin/ip").exists() && !Path::new("/sbin/ip").exists() {
        return Some("`ip` (iproute2) is not installed".into());
    }
    match release {
        Release::Frr84 => {
            for file in [
                "/usr/lib/frr/zebra",
                HOST_VTYSH,
                "/usr/lib/frr/frr-reload.py",
            ] {
                if !Path::new(file).exists() {
                    return Some(format!(
                        "{file} is missing: apt-get install -y frr frr-pythontools"
                    ));
                }
            }
        }
        _ => {
            let root = release.root();
            let (variable, _) = release.chroot()?;
            for file in ["usr/lib/frr/mgmtd", "usr/bin/vtysh"] {
                if !root.join(file).exists() {
                    return Some(format!(
                        "FRR {release} is not installed in {} ({file} is missing): run \
                         scripts/setup-frr.sh {release} {} or set {variable}",
                        root.display(),
                        root.display()
                    ));
                }
            }
        }
    }
    None
}

/// Checks the requirements of a test on `release`, and panics with the
/// reason when they are missing: a test that needs root and FRR is marked
/// `#[ignore = "needs root and FRR"]`, so it runs only when asked for
/// (`scripts/test.sh` does as root), and then never passes without them.
pub fn require(release: Release, test: &str) {
    if let Some(why) = missing(release) {
        panic!("{test}: FRR {release} is required: {why}");
    }
}

/// Which daemons an instance runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DaemonSet {
    /// frr-k8s's: [`FRR_K8S_DAEMONS`].
    FrrK8s,
    /// Every daemon the release ships: see [`ALL_DAEMONS`]. What one
    /// daemon keeps shows in `show running-config`: this set shows what
    /// frr-k8s's hides.
    Every,
}

impl DaemonSet {
    /// `FRA_DAEMONS`: `every` or `frr-k8s` (the default when unset).
    /// Panics on any other value, so that a typo is never a silent
    /// frr-k8s run.
    pub fn from_env() -> DaemonSet {
        match std::env::var("FRA_DAEMONS").as_deref() {
            Err(_) | Ok("" | "frr-k8s") => DaemonSet::FrrK8s,
            Ok("every") => DaemonSet::Every,
            Ok(other) => panic!("FRA_DAEMONS={other}: expected `every` or `frr-k8s`"),
        }
    }

    /// The daemons of this set on `release`, in start order (mgmtd,
    /// where it runs, is added by [`FrrInstance::start`]).
    pub fn daemons(self, release: Release) -> Vec<&'static str> {
        match self {
            DaemonSet::FrrK8s => FRR_K8S_DAEMONS.to_vec(),
            DaemonSet::Every => every_daemon(release),
        }
    }

    /// How case ids and messages name it: `frr-k8s` or `every`.
    pub fn label(self) -> &'static str {
        match self {
            DaemonSet::FrrK8s => "frr-k8s",
            DaemonSet::Every => "every",
        }
    }
}

/// The daemons of [`ALL_DAEMONS`] that `release` ships, in start order.
pub fn every_daemon(release: Release) -> Vec<&'static str> {
    let dir = release.root().join("usr/lib/frr");
    ALL_DAEMONS
        .iter()
        .copied()
        .filter(|d| dir.join(d).exists())
        .collect()
}

/// Whether `daemon` of `release` reads a boot configuration (`-f`).
fn takes_config_file(release: Release, daemon: &str) -> bool {
    release == Release::Frr84 || !NO_CONFIG_FILE_10.contains(&daemon)
}

/// What one vtysh (or other) invocation printed.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// Exit status (`None` when killed by a signal).
    pub status: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from(output: ProcessOutput) -> Run {
        Run {
            status: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Both streams.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Exit status 0.
    pub fn ok(&self) -> bool {
        self.status == Some(0)
    }
}

/// A namespace's forwarding switches ([`FrrInstance::forwarding`]): kernel
/// state, which a fresh namespace has off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Forwarding {
    /// `net.ipv4.ip_forward`.
    pub ipv4: bool,
    /// `net.ipv6.conf.all.forwarding`.
    pub ipv6: bool,
}

const IPV4_FORWARDING: &str = "/proc/sys/net/ipv4/ip_forward";
const IPV6_FORWARDING: &str = "/proc/sys/net/ipv6/conf/all/forwarding";

/// A running FRR instance; see the module documentation.
#[derive(Debug)]
pub struct FrrInstance {
    release: Release,
    name: String,
    root: PathBuf,
    /// Private directory (0700) for the vtysh wrapper and input files.
    private: PathBuf,
    vtysh_program: PathBuf,
    netns: bool,
    daemons: Vec<String>,
    /// Whether bgpd loads the BMP module (`-M bmp`), as with every daemon.
    bmp: bool,
    /// The link [`FrrInstance::expose_sockets`] made, if any.
    exposed: Option<PathBuf>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl FrrInstance {
    /// Starts an instance of `release` running `daemons` (see [`DAEMONS`];
    /// mgmtd is added first on 10.3). Fails with a clear message when a
    /// daemon does not come up in time; whatever was started is stopped.
    pub fn start(release: Release, daemons: &[&str]) -> Result<FrrInstance, String> {
        FrrInstance::start_with(release, daemons, false)
    }

    /// [`FrrInstance::start`], with bgpd loading the BMP module if `bmp`.
    fn start_with(release: Release, daemons: &[&str], bmp: bool) -> Result<FrrInstance, String> {
        if let Some(why) = missing(release) {
            return Err(why);
        }
        reap_stale();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("{PREFIX}{}-{n}", std::process::id());
        let root = release.root();
        let private = std::env::temp_dir().join(format!("{name}.d"));
        let _ = fs::remove_dir_all(&private);
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&private)
            .map_err(|e| format!("create {}: {e}", private.display()))?;
        let mut instance = FrrInstance {
            release,
            vtysh_program: PathBuf::from(HOST_VTYSH),
            name,
            root,
            private,
            netns: false,
            daemons: Vec::new(),
            bmp,
            exposed: None,
        };
        instance.boot(daemons)?;
        Ok(instance)
    }

    /// Starts the daemons `FRA_DAEMONS` names ([`DaemonSet::from_env`]:
    /// frr-k8s's by default).
    pub fn start_default(release: Release) -> Result<FrrInstance, String> {
        FrrInstance::start_set(release, DaemonSet::from_env())
    }

    /// Starts the daemons of `set`. With every daemon, bgpd loads the BMP
    /// module FRR ships (`-M bmp`, as a user of `bmp targets` runs it);
    /// frr-k8s's bgpd loads none.
    pub fn start_set(release: Release, set: DaemonSet) -> Result<FrrInstance, String> {
        let bmp = set == DaemonSet::Every && release.root().join(BMP_MODULE).exists();
        FrrInstance::start_with(release, &set.daemons(release), bmp)
    }

    /// The daemons this instance runs, in start order.
    pub fn daemons(&self) -> &[String] {
        &self.daemons
    }

    fn boot(&mut self, daemons: &[&str]) -> Result<(), String> {
        if self.release.chrooted() {
            ensure_proc(&self.root)?;
            self.vtysh_program = write_wrapper(&self.private, &self.root)?;
        }
        run_checked(Command::new("ip").args(["netns", "add", &self.name]))?;
        self.netns = true;
        run_checked(Command::new("ip").args(["-n", &self.name, "link", "set", "lo", "up"]))?;
        let (run_dir, etc_dir) = (self.run_dir(), self.etc_dir());
        // Names repeat when pids do: nothing of an earlier instance of the
        // same name may remain (mgmtd would read its commit history).
        for dir in [&run_dir, &etc_dir, &self.state_dir()] {
            let _ = fs::remove_dir_all(dir);
        }
        for dir in [&run_dir, &etc_dir] {
            fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        }
        fs::write(etc_dir.join("vtysh.conf"), "")
            .map_err(|e| format!("write {}/vtysh.conf: {e}", etc_dir.display()))?;
        let inside = |dir: &str| format!("/{dir}/frr/{}", self.name);
        let mut chown = self.in_root("chown");
        chown.args(["-R", "frr:frr", &inside("run"), &inside("etc")]);
        run_checked(&mut chown)?;

        let mut order: Vec<&str> = Vec::new();
        if self.release.chrooted() {
            order.push("mgmtd");
        }
        order.extend(daemons.iter().copied().filter(|d| *d != "mgmtd"));
        for daemon in order {
            self.start_daemon(daemon)?;
            self.daemons.push(daemon.to_owned());
        }
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let run = self.vtysh_run(&["-c", "show version"]);
            match run {
                Ok(run) if run.ok() && run.stdout.contains("FRRouting") => return Ok(()),
                _ if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                Ok(run) => {
                    return Err(format!(
                        "{}: vtysh did not answer `show version` within {:?}: {}",
                        self.name,
                        START_TIMEOUT,
                        run.text().trim()
                    ))
                }
                Err(e) => return Err(format!("{}: {e}", self.name)),
            }
        }
    }

    /// Starts `daemon` of this instance (as watchfrr would restart one
    /// after [`FrrInstance::kill_daemon`]) and waits until its vty socket
    /// accepts connections (a dead daemon's socket stays behind, refusing
    /// them).
    pub fn start_daemon(&self, daemon: &str) -> Result<(), String> {
        self.start_daemon_with(daemon, "/dev/null")
    }

    /// Starts ospfd's instance `instance` (`ospfd -n N`, as `frrinit.sh`
    /// does for `ospfd_instances`, which then starts no plain ospfd) and
    /// waits for its socket (`ospfd-N.vty`). It stops with the instance.
    pub fn start_ospf_instance(&self, instance: u16) -> Result<(), String> {
        self.start_program("ospfd", Some(instance), "/dev/null")
    }

    /// Starts `daemon` reading its boot configuration from `config` (a
    /// path inside the instance's root).
    fn start_daemon_with(&self, daemon: &str, config: &str) -> Result<(), String> {
        self.start_program(daemon, None, config)
    }

    /// Starts `daemon` (its instance `instance`, if given) reading its
    /// boot configuration from `config`.
    fn start_program(
        &self,
        daemon: &str,
        instance: Option<u16>,
        config: &str,
    ) -> Result<(), String> {
        let name = match instance {
            Some(n) => format!("{daemon}-{n}"),
            None => daemon.to_owned(),
        };
        let socket = self.run_dir().join(format!("{name}.vty"));
        let program = format!("/usr/lib/frr/{daemon}");
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name]);
        if self.release.chrooted() {
            command.arg("chroot").arg(&self.root);
        }
        command.args([program.as_str(), "-N", &self.name, "-d", "-A", "127.0.0.1"]);
        let number = instance.map(|n| n.to_string());
        if let Some(number) = &number {
            command.args(["-n", number]);
        }
        if self.bmp && daemon == "bgpd" {
            command.args(["-M", "bmp"]);
        }
        if takes_config_file(self.release, daemon) {
            command.args(["-f", config]);
        }
        // A daemon that inherits a pipe keeps it open: nothing but /dev/null.
        let status = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("{}: cannot run {program}: {e}", self.name))?;
        if !status.success() {
            return Err(format!("{}: {program} exited with {status}", self.name));
        }
        let deadline = Instant::now() + START_TIMEOUT;
        while UnixStream::connect(&socket).is_err() {
            if Instant::now() > deadline {
                return Err(format!(
                    "{}: {name} did not come up within {START_TIMEOUT:?} (nothing answers on {})",
                    self.name,
                    socket.display()
                ));
            }
            thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }

    /// Restarts every daemon with `config` as its boot configuration (each
    /// daemon reads it itself, as at boot without integrated config). An
    /// empty `config` boots with none. FRR 8.4 only. Returns once every vty
    /// socket answers: the daemons may still be reading the configuration
    /// (a large one takes FRR 8.4 as long as through vtysh), and a vtysh
    /// read waits for them.
    pub fn restart_with(&self, config: &str) -> Result<(), String> {
        if self.release != Release::Frr84 {
            return Err(format!("{}: restart_with supports FRR 8.4 only", self.name));
        }
        let path = if config.is_empty() {
            PathBuf::from("/dev/null")
        } else {
            let path = self.etc_dir().join("boot.conf");
            fs::write(&path, config).map_err(|e| format!("write {}: {e}", path.display()))?;
            run_checked(Command::new("chown").arg("frr:frr").arg(&path))?;
            path
        };
        for daemon in &self.daemons {
            self.kill_daemon(daemon)?;
        }
        for daemon in &self.daemons {
            self.start_daemon_with(daemon, &path.to_string_lossy())?;
        }
        Ok(())
    }

    /// A command run inside the instance's root (chroot for 10.3).
    fn in_root(&self, program: &str) -> Command {
        match self.release {
            Release::Frr84 => Command::new(program),
            _ => {
                let mut command = Command::new("chroot");
                command.arg(&self.root).arg(program);
                command
            }
        }
    }

    /// The daemons of this instance that no longer run (crashed), each
    /// with what was found (`bgpd (pid 42 gone)`).
    pub fn dead_daemons(&self) -> Vec<String> {
        let mut dead = Vec::new();
        for daemon in &self.daemons {
            let file = self.run_dir().join(format!("{daemon}.pid"));
            let pid = fs::read_to_string(&file)
                .ok()
                .and_then(|p| p.trim().parse::<u32>().ok());
            match pid {
                None => dead.push(format!("{daemon} (no pid file)")),
                Some(pid) if !alive(pid) => dead.push(format!(
                    "{daemon} (pid {pid} gone){}",
                    self.crash_log(daemon, pid)
                )),
                Some(pid) if !is_daemon_of(pid, &self.name) => {
                    dead.push(format!("{daemon} (pid {pid} is another process)"))
                }
                Some(_) => {}
            }
        }
        dead
    }

    /// What FRR wrote when `daemon` (`pid`) crashed: the signal and the
    /// functions of its backtrace, from the `crashlog` under
    /// `/var/tmp/frr`, or nothing when it left none. The directory is
    /// named by a pid of the daemon's while it forked, a little below
    /// `pid`: FRR 10's holds `logbuf.PID`; 8.4's, one below or so, logs
    /// of other threads.
    fn crash_log(&self, daemon: &str, pid: u32) -> String {
        let tmp = self.root.join("var/tmp/frr");
        let at = |n: u32| tmp.join(format!("{daemon}.{n}"));
        let logs = |d: &Path| d.join("crashlog").exists();
        let dir = (pid.saturating_sub(50)..=pid + 5)
            .map(at)
            .find(|d| logs(d) && d.join(format!("logbuf.{pid}")).exists())
            .or_else(|| {
                (0..=5)
                    .flat_map(|d| [pid.saturating_sub(d), pid + d])
                    .map(at)
                    .find(|d| logs(d))
            });
        let Some(bytes) = dir.and_then(|d| fs::read(d.join("crashlog")).ok()) else {
            return String::new();
        };
        let text = String::from_utf8_lossy(&bytes);
        // 8.4 names a frame `lib(function+0x1f) [addr]`, FRR 10 `function+0x1f
        // addr addr lib`; a frame without a name, and FRR 10's `---- signal
        // ----` marker, are left out.
        let frame = |l: &str| -> Option<String> {
            let (_, rest) = l.split_once(": ")?;
            if rest.starts_with("Received signal") || rest.contains("assert") {
                return Some(rest.to_owned());
            }
            let named = match rest.strip_prefix('/') {
                Some(path) => path.split_once('(')?.1.split(')').next()?,
                None => rest.split_whitespace().next()?,
            };
            (!named.starts_with(['+', '?', '-'])).then(|| format!("  {named}"))
        };
        let lines: Vec<String> = text.lines().filter_map(frame).take(12).collect();
        format!(": crashlog:\n{}", lines.join("\n"))
    }

    /// The pid of `daemon`, from its pid file, when it runs.
    pub fn daemon_pid(&self, daemon: &str) -> Option<u32> {
        let file = self.run_dir().join(format!("{daemon}.pid"));
        fs::read_to_string(file)
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok())
            .filter(|pid| alive(*pid) && is_daemon_of(*pid, &self.name))
    }

    /// Kills `daemon` with SIGKILL (a crash: its pid file and vty socket
    /// stay behind) and waits until it is gone.
    pub fn kill_daemon(&self, daemon: &str) -> Result<(), String> {
        let pid = self
            .daemon_pid(daemon)
            .ok_or_else(|| format!("{}: {daemon} does not run", self.name))?;
        signal(pid, "-KILL");
        let deadline = Instant::now() + STOP_TIMEOUT;
        // The leader of a threaded daemon (bgpd, zebra) shows as a zombie
        // while its other threads still exit, holding its files: its vty
        // socket accepts until the last one is gone. A daemon is killed
        // once that socket refuses.
        let socket = self.run_dir().join(format!("{daemon}.vty"));
        let listening = || std::os::unix::net::UnixStream::connect(&socket).is_ok();
        while alive(pid) || listening() {
            if Instant::now() > deadline {
                return Err(format!(
                    "{}: {daemon} (pid {pid}) survived SIGKILL",
                    self.name
                ));
            }
            thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }

    /// The pathspace (and namespace) name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Which FRR this is.
    pub fn release(&self) -> Release {
        self.release
    }

    /// The directory of pid files and sockets, as seen from the host.
    pub fn run_dir(&self) -> PathBuf {
        self.root.join("run/frr").join(&self.name)
    }

    /// The pathspace's state directory (FRR 10's mgmtd keeps its commit
    /// history there), as seen from the host.
    pub fn state_dir(&self) -> PathBuf {
        self.root.join("var/lib/frr").join(&self.name)
    }

    /// The pathspace's configuration directory, as seen from the host.
    pub fn etc_dir(&self) -> PathBuf {
        self.root.join("etc/frr").join(&self.name)
    }

    /// A private directory (0700) removed with the instance.
    pub fn private_dir(&self) -> &Path {
        &self.private
    }

    /// How the reloader reaches this instance.
    pub fn vtysh(&self) -> VtyshCommand {
        VtyshCommand {
            program: self.vtysh_program.clone(),
            pathspace: Some(self.name.clone()),
            ..VtyshCommand::default()
        }
    }

    /// Makes a chrooted instance's vty sockets visible where the reloader
    /// looks for them by default, `/var/run/frr/NAME` on the host (a
    /// symbolic link to [`FrrInstance::run_dir`], removed with the
    /// instance), as in a pod where the agent and FRR share
    /// `/var/run/frr`: the reloader can then read the running
    /// configuration from the daemons directly (`reloader::frr::vty`).
    /// Without it, it reads through vtysh on FRR 10 here. Nothing to do
    /// for FRR 8.4 (on the host).
    pub fn expose_sockets(&mut self) -> Result<(), String> {
        if !self.release.chrooted() || self.exposed.is_some() {
            return Ok(());
        }
        let link = Path::new(HOST_RUN_DIR).join(&self.name);
        fs::create_dir_all(HOST_RUN_DIR).map_err(|e| format!("create {HOST_RUN_DIR}: {e}"))?;
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(self.run_dir(), &link)
            .map_err(|e| format!("link {}: {e}", link.display()))?;
        self.exposed = Some(link);
        Ok(())
    }

    /// Runs vtysh on this instance with `args`.
    pub fn vtysh_run(&self, args: &[&str]) -> Result<Run, String> {
        Command::new(&self.vtysh_program)
            .args(["-N", &self.name])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map(Run::from)
            .map_err(|e| format!("cannot run {}: {e}", self.vtysh_program.display()))
    }

    /// The kernel's forwarding switches in this instance's namespace,
    /// which zebra prints (`no ip forwarding` when off) but a
    /// configuration that does not name them leaves as they are.
    pub fn forwarding(&self) -> Result<Forwarding, String> {
        let read = |path: &str| -> Result<bool, String> {
            let output = Command::new("ip")
                .args(["netns", "exec", &self.name, "cat", path])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot read {path} in {}: {e}", self.name))?;
            match String::from_utf8_lossy(&output.stdout).trim() {
                "0" => Ok(false),
                "1" => Ok(true),
                other => Err(format!("{path} in {}: {other:?}", self.name)),
            }
        };
        Ok(Forwarding {
            ipv4: read(IPV4_FORWARDING)?,
            ipv6: read(IPV6_FORWARDING)?,
        })
    }

    /// Sets the forwarding switches of this instance's namespace, as a
    /// node's kernel has them before FRR starts.
    pub fn set_forwarding(&self, forwarding: Forwarding) -> Result<(), String> {
        for (path, on) in [
            (IPV4_FORWARDING, forwarding.ipv4),
            (IPV6_FORWARDING, forwarding.ipv6),
        ] {
            let key = path.trim_start_matches("/proc/sys/").replace('/', ".");
            let value = format!("{key}={}", u8::from(on));
            run_checked(
                Command::new("ip").args(["netns", "exec", &self.name, "sysctl", "-qw", &value]),
            )?;
        }
        Ok(())
    }

    /// Writes `text` to a private file and returns its path.
    pub fn write_file(&self, file: &str, text: &[u8]) -> Result<PathBuf, String> {
        let path = self.private.join(file);
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| format!("create {}: {e}", path.display()))?;
        f.write_all(text)
            .map_err(|e| format!("write {}: {e}", path.display()))?;
        Ok(path)
    }

    /// Loads a boot configuration the way FRR does (`vtysh -f`); what FRR
    /// refuses is simply not loaded, as at boot.
    pub fn load(&self, text: &str) -> Result<Run, String> {
        let path = self.write_file("boot.conf", text.as_bytes())?;
        self.vtysh_run(&["-f", &path.to_string_lossy()])
    }

    /// `show running-config`.
    pub fn running_config(&self) -> Result<String, String> {
        self.vtysh().running_config().map_err(|e| e.to_string())
    }

    /// Runs `frr-reload.py --reload` of this instance's release (8.4's on
    /// the host, a chroot's own inside it) on this instance with `desired`
    /// as the new configuration.
    pub fn frr_reload_py(&self, desired: &str) -> Result<Run, String> {
        self.frr_reload_py_within(desired, None)?
            .ok_or_else(|| "frr-reload.py: no time limit, yet timed out".into())
    }

    /// [`FrrInstance::frr_reload_py`], killed (with whatever it started:
    /// it runs in a process group of its own) when it runs longer than
    /// `limit`: `Ok(None)` then. FRR is left wherever it got to.
    pub fn frr_reload_py_within(
        &self,
        desired: &str,
        limit: Option<Duration>,
    ) -> Result<Option<Run>, String> {
        // Inside the chroot, its own files: the desired configuration and
        // the run directory go under the chroot's /tmp.
        let (host_dir, inside_dir) = if self.release.chrooted() {
            let dir = format!("tmp/{}.reload", self.name);
            (self.root.join(&dir), PathBuf::from("/").join(dir))
        } else {
            let dir = self.private.join("reload-py");
            (dir.clone(), dir)
        };
        fs::create_dir_all(host_dir.join("rundir"))
            .map_err(|e| format!("create {}: {e}", host_dir.display()))?;
        fs::write(host_dir.join("desired.conf"), desired)
            .map_err(|e| format!("write {}/desired.conf: {e}", host_dir.display()))?;
        let (out, err) = (host_dir.join("stdout"), host_dir.join("stderr"));
        let file = |path: &Path| {
            fs::File::create(path).map_err(|e| format!("create {}: {e}", path.display()))
        };
        let mut command = self.in_root("python3");
        command
            .arg("/usr/lib/frr/frr-reload.py")
            .args([
                "--reload",
                "--stdout",
                "--pathspace",
                &self.name,
                "--bindir",
                "/usr/bin",
            ])
            .args(["--confdir", "/etc/frr", "--rundir"])
            .arg(inside_dir.join("rundir"))
            .arg(inside_dir.join("desired.conf"))
            .stdin(Stdio::null())
            .stdout(file(&out)?)
            .stderr(file(&err)?);
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run frr-reload.py: {e}"))?;
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) => {}
                Err(e) => return Err(format!("wait for frr-reload.py: {e}")),
            }
            if limit.is_some_and(|l| started.elapsed() > l) {
                let group = format!("-{}", child.id());
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &group])
                    .stderr(Stdio::null())
                    .status();
                let _ = child.wait();
                break None;
            }
            thread::sleep(Duration::from_millis(5));
        };
        let run = status.map(|status| Run {
            status: status.code(),
            stdout: fs::read_to_string(&out).unwrap_or_default(),
            stderr: fs::read_to_string(&err).unwrap_or_default(),
        });
        let _ = fs::remove_dir_all(&host_dir);
        Ok(run)
    }

    /// The directory of `frr_reload_py`'s files in a chroot, from the host.
    fn chroot_tmp(&self) -> PathBuf {
        self.root.join("tmp").join(format!("{}.reload", self.name))
    }
}

impl Drop for FrrInstance {
    fn drop(&mut self) {
        if let Some(link) = self.exposed.take() {
            let _ = fs::remove_file(link);
        }
        stop_daemons(&self.run_dir(), &self.name);
        let _ = fs::remove_dir_all(self.run_dir());
        let _ = fs::remove_dir_all(self.etc_dir());
        let _ = fs::remove_dir_all(self.state_dir());
        if self.netns {
            let _ = Command::new("ip")
                .args(["netns", "del", &self.name])
                .stderr(Stdio::null())
                .status();
        }
        let _ = fs::remove_dir_all(&self.private);
        if self.release.chrooted() {
            let _ = fs::remove_dir_all(self.chroot_tmp());
        }
    }
}

fn run_checked(command: &mut Command) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Mounts `/proc` in the chroot when it is not (daemons need it).
fn ensure_proc(root: &Path) -> Result<(), String> {
    if root.join("proc/self").exists() {
        return Ok(());
    }
    run_checked(
        Command::new("mount")
            .args(["-t", "proc", "proc"])
            .arg(root.join("proc")),
    )
}

/// The vtysh of the chroot, as a program the reloader can run: a shell
/// script that copies the file of a `-f FILE` argument into the chroot's
/// `/tmp` (the chroot cannot see the host's files) and runs
/// `chroot ROOT vtysh` with the rewritten arguments. A `-f /proc/self/fd/N`
/// is passed as it is: the chroot's vtysh reads the same pipe, as vtysh
/// does where it is not in a chroot (a copy would hide how FRR 10's
/// forking `vtysh -f` reads a pipe).
fn write_wrapper(dir: &Path, root: &Path) -> Result<PathBuf, String> {
    let root = root.to_string_lossy();
    if root.contains('\'') {
        return Err(format!("unsupported FRR10_ROOT (a quote in it): {root}"));
    }
    let script = format!(
        r#"#!/bin/sh
# Generated by the test harness (tests/src/frr.rs): vtysh of FRR 10 in
# the chroot below, with `-f FILE` copied into the chroot's /tmp (but
# /proc/self/fd/N, the caller's pipe, passed as it is).
root='{root}'
copy=
prev=
for arg do
    shift
    if [ "$prev" = -f ] && [ -n "${{arg##/proc/self/fd/*}}" ]; then
        copy=$(mktemp "$root/tmp/fra-vtysh.XXXXXX") || exit 125
        cat -- "$arg" > "$copy" || {{ rm -f "$copy"; exit 125; }}
        set -- "$@" "/tmp/${{copy##*/}}"
    else
        set -- "$@" "$arg"
    fi
    prev=$arg
done
chroot "$root" /usr/bin/vtysh "$@"
rc=$?
[ -z "$copy" ] || rm -f "$copy"
exit $rc
"#
    );
    let path = dir.join("vtysh");
    fs::write(&path, script).map_err(|e| format!("write {}: {e}", path.display()))?;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("chmod {}: {e}", path.display()))?;
    Ok(path)
}

/// Whether `pid` runs and is not a zombie.
fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .and_then(|(_, rest)| rest.split(' ').next())
            .is_some_and(|state| state != "Z")
    })
}

/// Whether `pid` is an FRR daemon of pathspace `name` (its command line
/// has `-N name`).
fn is_daemon_of(pid: u32, name: &str) -> bool {
    fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        args.windows(2)
            .any(|w| w[0] == b"-N" && w[1] == name.as_bytes())
    })
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([sig, &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

/// Stops the daemons listed in `run_dir`'s pid files that belong to
/// pathspace `name`: SIGTERM, then SIGKILL after [`STOP_TIMEOUT`].
fn stop_daemons(run_dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(run_dir) else {
        return;
    };
    let pids: Vec<u32> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "pid"))
        .filter_map(|e| fs::read_to_string(e.path()).ok()?.trim().parse().ok())
        .filter(|pid| is_daemon_of(*pid, name))
        .collect();
    for pid in &pids {
        signal(*pid, "-TERM");
    }
    let deadline = Instant::now() + STOP_TIMEOUT;
    while pids.iter().any(|p| alive(*p)) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    for pid in pids.iter().filter(|p| alive(**p)) {
        if is_daemon_of(*pid, name) {
            signal(*pid, "-KILL");
        }
    }
}

/// Removes what instances of test processes that no longer run left
/// behind (a test killed by SIGKILL runs no destructor): namespaces named
/// `fra-PID-N` whose PID is gone, with their daemons and directories.
/// Runs once per process.
pub fn reap_stale() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(output) = Command::new("ip").args(["netns", "list"]).output() else {
            return;
        };
        let listing = String::from_utf8_lossy(&output.stdout).into_owned();
        for name in listing.lines().filter_map(|l| l.split_whitespace().next()) {
            let Some(pid) = name
                .strip_prefix(PREFIX)
                .and_then(|rest| rest.split_once('-'))
                .and_then(|(pid, _)| pid.parse::<u32>().ok())
            else {
                continue;
            };
            if Path::new(&format!("/proc/{pid}")).exists() {
                continue;
            }
            for root in RELEASES.map(Release::root) {
                let run_dir = root.join("run/frr").join(name);
                stop_daemons(&run_dir, name);
                let _ = fs::remove_dir_all(&run_dir);
                let _ = fs::remove_dir_all(root.join("etc/frr").join(name));
                let _ = fs::remove_dir_all(root.join("var/lib/frr").join(name));
                let _ = fs::remove_dir_all(root.join("tmp").join(format!("{name}.reload")));
            }
            let _ = fs::remove_dir_all(std::env::temp_dir().join(format!("{name}.d")));
            let _ = Command::new("ip")
                .args(["netns", "del", name])
                .stderr(Stdio::null())
                .status();
        }
    });
}

/// Runs FRR's own check of a configuration, `vtysh --dryrun -f FILE`, with
/// the host's vtysh (8.4; needs no running daemon). `true` when FRR accepts
/// it: exit status 0 and no `line N:` error.
pub fn dry_run_accepts(path: &Path) -> bool {
    Command::new(HOST_VTYSH)
        .args(["--dryrun", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| {
            let run = Run::from(o);
            run.ok() && reloader::frr::line_errors(&run.text()).is_empty()
        })
}
