//! `frr-reload-agent`: keeps a live FRR equal to the configuration a
//! controller asks for. `main` parses arguments and dispatches: the daemon
//! (`serve`), its client (`apply`, `status`, `running-config`, `watch`) and
//! the one-shot commands (`diff`, `reload`, `--test`, `--reload`).

/// `print!` for what the commands print: a reader that went away (`| head`)
/// ends the program quietly, as it ends a C tool, instead of a panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            $crate::output_failed(&e);
        }
    }};
}

/// `println!`, the same way as [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::output_failed(&e);
        }
    }};
}

mod actor;
mod api;
mod client;
mod compat;
mod dirwatch;
mod error;
mod frr;
mod frrwatch;
mod health;
mod http;
mod keptcheck;
mod keptread;
mod logfmt;
mod metrics;
mod oneshot;
mod outbound;
mod readcheck;
mod safedir;
mod serve;
mod shutdown;
mod state;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use reloader::config::redact::redact;
use reloader::frr::VtyshCommand;
use reloader::FrrVersion;

use crate::actor::OnFailure;
use crate::error::Error;

/// Keeps a live FRR equal to the configuration a controller asks for.
///
/// `frr-reload-agent --test FILE` and `--reload FILE` stand in for
/// `frr-reload.py --test FILE` and `--reload FILE`.
#[derive(Parser)]
#[command(
    name = "frr-reload-agent",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    compat: Compat,
}

/// frr-reload.py's spelling: `--test|--reload [options] FILE`.
#[derive(Args)]
struct Compat {
    /// Show the delta (as `diff`).
    #[arg(long, conflicts_with = "reload")]
    test: bool,
    /// Apply the delta (as `reload`).
    #[arg(long)]
    reload: bool,
    #[command(flatten)]
    diff: DiffArgs,
    #[command(flatten)]
    apply: ApplyArgs,
}

#[derive(Subcommand)]
enum Cmd {
    /// Print the vtysh script that turns the running configuration (live,
    /// or `--input`) into DESIRED (what `frr-reload.py --test` shows).
    Diff(DiffArgs),
    /// Check DESIRED with FRR, apply the delta, verify that FRR converged.
    /// Exit status 0 only when it did; 4 when --max-impact refused it.
    Reload(ReloadArgs),
    /// Run the agent: socket API, health and metrics, the reload actor,
    /// frr-k8s compatibility files.
    Serve(Box<ServeArgs>),
    /// Send a configuration to a serving agent and print the result. Exit
    /// status: 0 converged, 1 failed, 2 usage or connection error, 3
    /// superseded by a newer configuration, 4 refused by --max-impact.
    Apply(ApplyClientArgs),
    /// Print a serving agent's status.
    Status(ClientArgs),
    /// Print FRR's running configuration through a serving agent (secrets
    /// redacted).
    RunningConfig(ClientArgs),
    /// Print every result of a serving agent as it happens.
    Watch(ClientArgs),
}

/// Where the agent's socket is.
#[derive(Args, Clone)]
struct ClientArgs {
    /// The agent's socket.
    #[arg(long, env = "FRR_RELOAD_AGENT_SOCKET", default_value = DEFAULT_SOCKET)]
    socket: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Clone)]
struct ApplyClientArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// A name for this configuration (default: its sha256).
    #[arg(long)]
    id: Option<String>,
    /// The most the change may do to BGP and BFD sessions: none, soft or
    /// reset (default: the agent's --max-impact). Worse: nothing is
    /// applied, exit status 4.
    #[arg(long, value_name = "EFFECT")]
    max_impact: Option<protocol::Effect>,
    /// The configuration file (`-`: standard input).
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

const DEFAULT_SOCKET: &str = "/var/run/frr-reload-agent/agent.sock";

/// `serve`'s settings; each also from an environment variable.
#[derive(Args, Clone)]
struct ServeArgs {
    /// The socket API's path. Its directory is meant to be a volume shared
    /// with the controller's container; it is created 0750.
    #[arg(long, env = "FRR_RELOAD_AGENT_SOCKET", default_value = DEFAULT_SOCKET)]
    socket: PathBuf,
    /// Mode of the socket file, octal (never world-writable).
    #[arg(long, env = "FRR_RELOAD_AGENT_SOCKET_MODE", default_value = "660", value_parser = parse_mode)]
    socket_mode: u32,
    /// Only these uids may use the socket (checked by SO_PEERCRED);
    /// comma-separated; default: whoever can open the socket.
    #[arg(long, env = "FRR_RELOAD_AGENT_ALLOW_UID", value_delimiter = ',')]
    allow_uid: Vec<u32>,
    /// Address of /healthz, /livez, /readyz and /metrics, for kubelet.
    #[arg(
        long,
        env = "FRR_RELOAD_AGENT_HEALTH_ADDR",
        default_value = "127.0.0.1:9150"
    )]
    health_addr: String,
    /// A second address serving the same endpoints, for Prometheus
    /// (e.g. 0.0.0.0:9151); default: none.
    #[arg(long, env = "FRR_RELOAD_AGENT_METRICS_ADDR")]
    metrics_addr: Option<String>,
    /// Directory of the agent's state (last desired configuration and
    /// result; files 0600).
    #[arg(
        long,
        env = "FRR_RELOAD_AGENT_STATE_DIR",
        default_value = "/var/lib/frr-reload-agent"
    )]
    state_dir: PathBuf,
    /// frr-k8s/MetalLB compatibility directory (e.g. /etc/frr_reloader):
    /// reloader.pid, SIGHUP, frr.conf, .status, last-error, running-config.
    /// Turns --overwrite on.
    #[arg(long, env = "FRR_RELOAD_AGENT_COMPAT_DIR")]
    compat_dir: Option<PathBuf>,
    /// With --compat-dir: also reload frr.conf when it is closed after
    /// writing or renamed into place, not only on SIGHUP. Off by default:
    /// frr-k8s writes the file in place, so a controller that dies while
    /// writing would get half a file applied.
    #[arg(long, env = "FRR_RELOAD_AGENT_WATCH_FILE", requires = "compat_dir")]
    watch_file: bool,
    /// FRR's run directory, watched for daemon restarts (default: where
    /// vtysh finds the sockets: --vty-socket or /var/run/frr, then
    /// /PATHSPACE with -N).
    #[arg(long, env = "FRR_RELOAD_AGENT_RUN_DIR")]
    run_dir: Option<PathBuf>,
    #[command(flatten)]
    frr: FrrTarget,
    /// `write memory` after each converged reload.
    #[arg(long, env = "FRR_RELOAD_AGENT_OVERWRITE")]
    overwrite: bool,
    /// Re-read the running configuration (and converge it) at least this
    /// often, in seconds; 0: only on events.
    #[arg(long, env = "FRR_RELOAD_AGENT_RESYNC_INTERVAL", default_value_t = 60)]
    resync_interval: u64,
    /// What follows a reload that does not converge.
    #[arg(
        long,
        env = "FRR_RELOAD_AGENT_ON_FAILURE",
        value_enum,
        default_value = "retry"
    )]
    on_failure: OnFailure,
    /// When FRR refuses lines of a configuration, apply the rest instead
    /// of nothing (frr-reload.py's way), and still report failure naming
    /// the lines left out (outcome `partlyApplied`: HTTP 422, `.status`
    /// failure, one `ERROR: line N: …` per line in `last-error`). A line
    /// that opens a block is left out with its block. Off: all or nothing.
    #[arg(long, env = "FRR_RELOAD_AGENT_APPLY_VALID")]
    apply_valid: bool,
    /// The most a configuration that comes without its own limit
    /// (frr.conf + SIGHUP; `PUT /v1/config` without `?maxImpact=`) may do
    /// to BGP and BFD sessions: none, soft or reset. If its predicted
    /// impact is worse, nothing is applied and it is refused
    /// (`impactRefused`; in compat mode `.status` says failure and
    /// `last-error` names the sessions). Default: reset, no guard.
    #[arg(long, value_name = "EFFECT", env = "FRR_RELOAD_AGENT_MAX_IMPACT")]
    max_impact: Option<protocol::Effect>,
    /// Retries after a reload that did not converge (backoff 1 s, 2 s, 4 s …
    /// at most 60 s).
    #[arg(long, env = "FRR_RELOAD_AGENT_RETRY_MAX", default_value_t = 6)]
    retry_max: u32,
    /// Largest configuration accepted, from the API or a file, in bytes.
    /// All API requests together hold at most twice this in bodies still
    /// arriving or waiting for the reload actor: a body of declared length
    /// waits for room (unread), one without a length gets 503 past it.
    #[arg(long, env = "FRR_RELOAD_AGENT_MAX_CONFIG_BYTES", default_value_t = 32 << 20)]
    max_config_bytes: usize,
    /// Seconds the reload in flight gets to finish at SIGTERM.
    #[arg(long, env = "FRR_RELOAD_AGENT_SHUTDOWN_GRACE", default_value_t = 60)]
    shutdown_grace: u64,
    /// Start a vtysh for every script and check. By default short scripts
    /// (up to 100 lines, plain ASCII without `?`) are typed into one
    /// long-lived interactive vtysh, and FRR's check goes to a `vtysh
    /// --dryrun` started ahead: each saves vtysh's 30–40 ms start.
    #[arg(long, env = "FRR_RELOAD_AGENT_NO_VTYSH_SESSION")]
    no_vtysh_session: bool,
    /// Log format.
    #[arg(
        long,
        env = "FRR_RELOAD_AGENT_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line: `ts`, `level`, `msg`, `caller` (as
    /// frr-k8s's logs), then the event's fields.
    Json,
}

fn parse_mode(text: &str) -> Result<u32, Error> {
    Ok(u32::from_str_radix(text, 8)?)
}

#[derive(Args)]
struct ReloadArgs {
    #[command(flatten)]
    target: DiffArgs,
    #[command(flatten)]
    apply: ApplyArgs,
}

/// How to reach FRR.
#[derive(Args, Clone)]
struct FrrTarget {
    /// FRR pathspace (vtysh -N).
    #[arg(
        short = 'N',
        long = "pathspace",
        value_name = "NAME",
        env = "FRR_RELOAD_AGENT_PATHSPACE"
    )]
    pathspace: Option<String>,
    /// Directory of the daemons' vty sockets (vtysh --vty_socket).
    #[arg(
        long = "vty-socket",
        alias = "vty_socket",
        value_name = "DIR",
        env = "FRR_RELOAD_AGENT_VTY_SOCKET"
    )]
    vty_socket: Option<PathBuf>,
    /// Directory holding vtysh (default: vtysh from PATH).
    #[arg(long, value_name = "DIR", env = "FRR_RELOAD_AGENT_BINDIR")]
    bindir: Option<PathBuf>,
    /// The vtysh program itself (overrides --bindir).
    #[arg(long, value_name = "PATH", env = "FRR_RELOAD_AGENT_VTYSH")]
    vtysh: Option<PathBuf>,
    /// FRR version whose printing rules apply (default: from the running
    /// configuration's `frr version` line, else 8.4).
    #[arg(long, value_name = "X.Y", env = "FRR_RELOAD_AGENT_FRR_VERSION")]
    frr_version: Option<FrrVersion>,
    /// Seconds a vtysh call may take before it is killed; scripts get 50 ms
    /// more per line (FRR takes long on long prefix-lists).
    #[arg(
        long,
        value_name = "SECS",
        env = "FRR_RELOAD_AGENT_VTYSH_TIMEOUT",
        default_value_t = 30
    )]
    vtysh_timeout: u64,
    /// Always read the running configuration through vtysh. By default it
    /// is read from the daemons' vty sockets and merged as vtysh merges it,
    /// once a read through vtysh showed that this gives vtysh's text byte
    /// for byte (checked again every 5 minutes): several times faster on
    /// large configurations.
    #[arg(long, env = "FRR_RELOAD_AGENT_READ_THROUGH_VTYSH")]
    read_through_vtysh: bool,
}

/// How to reach FRR, and how to print.
#[derive(Args, Clone)]
struct FrrArgs {
    #[command(flatten)]
    target: FrrTarget,
    /// Print the full result as JSON.
    #[arg(long)]
    json: bool,
    /// Where `diff` and `reload` keep, between runs, the check that
    /// reading the daemons' vty sockets directly gives vtysh's text (a
    /// 0600 file per FRR, taken up by a later run only while no daemon,
    /// vtysh or vtysh.conf changed, for at most 5 minutes): the next run
    /// then reads without starting vtysh. `reload` also keeps there which
    /// texts FRR's check accepted (a 0600 file per vtysh holding SHA-256
    /// digests, never the text; used only while vtysh, vtysh.conf and the
    /// `frr version` FRR prints are the same): the same text given again
    /// is not checked again. And `reload` keeps there the running
    /// configuration it read last when it converged (a 0600 file per FRR,
    /// secrets included, as the state directory holds the desired one;
    /// taken up for at most 60 seconds, while no daemon, vtysh or
    /// vtysh.conf changed, and not with `--max-impact`): the next run
    /// computes its first delta from it instead of reading FRR first, and
    /// still verifies with a fresh read. The directory must be this user's
    /// and not writable by group or others (created 0750 when missing).
    #[arg(
        long,
        value_name = "DIR",
        env = "FRR_RELOAD_AGENT_CACHE_DIR",
        default_value = "/var/run/frr-reload-agent"
    )]
    cache_dir: PathBuf,
    /// Keep nothing between runs: every run checks direct reads again,
    /// FRR checks every text, and `reload` reads FRR before its first
    /// delta.
    #[arg(long, env = "FRR_RELOAD_AGENT_NO_CACHE")]
    no_cache: bool,
}

impl FrrArgs {
    /// The vtysh of a one-shot command, with the direct-read check an
    /// earlier run kept taken up (see [`readcheck`]), and, with `checks`
    /// (`reload`), FRR's verdicts kept by earlier runs (see
    /// [`keptcheck`]) and the read kept by the last that converged (see
    /// [`keptread`]); and where to keep this run's.
    fn vtysh(&self, checks: bool) -> (VtyshCommand, Kept) {
        let mut vtysh = self.target.vtysh();
        let reloads = checks && !self.no_cache;
        let reads = (!self.no_cache)
            .then(|| readcheck::Cache::open(&self.cache_dir, &vtysh))
            .flatten();
        let restored = reads.as_ref().is_some_and(|c| c.restore(&vtysh.direct));
        let checks = reloads
            .then(|| keptcheck::Verdicts::open(&self.cache_dir, &vtysh))
            .flatten()
            .map(Arc::new);
        if let Some(checks) = &checks {
            vtysh.kept = Some(Arc::clone(checks) as Arc<dyn reloader::frr::KeptChecks>);
        }
        let read = reloads
            .then(|| keptread::Read::open(&self.cache_dir, &vtysh))
            .flatten();
        tracing::debug!(
            restored,
            file = ?reads.as_ref().map(readcheck::Cache::path),
            checks_file = ?checks.as_ref().map(|c| c.path()),
            checks_kept = checks.as_ref().map(|c| c.len()),
            last_read_file = ?read.as_ref().map(keptread::Read::path),
            "direct-read check and FRR's kept checks"
        );
        (
            vtysh,
            Kept {
                reads,
                checks,
                read,
            },
        )
    }
}

/// What a one-shot command keeps between runs (see [`FrrArgs::vtysh`]).
struct Kept {
    reads: Option<readcheck::Cache>,
    checks: Option<Arc<keptcheck::Verdicts>>,
    /// `reload`'s last read.
    read: Option<keptread::Read>,
}

/// What a one-shot command's reads were, at debug level
/// (`FRR_RELOAD_AGENT_LOG=debug`), and the direct-read check and FRR's
/// verdicts kept for the next run.
fn after_reads(vtysh: &VtyshCommand, kept: &Kept) {
    tracing::debug!(
        direct = vtysh.direct.count(),
        checks = vtysh.direct.checks(),
        "reads of the running configuration"
    );
    if let Some(cache) = &kept.reads {
        cache.save(&vtysh.direct);
    }
    if let Some(checks) = &kept.checks {
        checks.save();
    }
}

impl FrrTarget {
    fn vtysh(&self) -> VtyshCommand {
        let mut vtysh = VtyshCommand::with_bindir(self.bindir.as_deref());
        if let Some(program) = &self.vtysh {
            vtysh.program = program.clone();
        }
        vtysh.pathspace = self.pathspace.clone();
        vtysh.base_timeout = Duration::from_secs(self.vtysh_timeout);
        vtysh.vty_socket = self.vty_socket.clone();
        vtysh.direct_reads = !self.read_through_vtysh;
        vtysh
    }
}

#[derive(Args, Clone)]
struct DiffArgs {
    /// Read the running configuration from this file instead of FRR.
    #[arg(long, value_name = "RUNNING")]
    input: Option<PathBuf>,
    #[command(flatten)]
    frr: FrrArgs,
    /// The desired configuration.
    #[arg(value_name = "DESIRED")]
    desired: Option<PathBuf>,
}

#[derive(Args, Clone)]
struct ApplyArgs {
    /// `write memory` after a converged reload.
    #[arg(long)]
    overwrite: bool,
    /// Accepted for frr-reload.py compatibility: output always goes to
    /// standard output and errors to standard error.
    #[arg(long)]
    stdout: bool,
    /// The most the change may do to BGP and BFD sessions: none, soft or
    /// reset (the default: no guard). Worse: nothing is applied, exit
    /// status 4.
    #[arg(long, value_name = "EFFECT")]
    max_impact: Option<protocol::Effect>,
    /// When FRR refuses lines, apply the rest (a refused block opener
    /// with its block left out) and exit 1 naming the refused lines.
    #[arg(long)]
    apply_valid: bool,
}

/// Ends the program after its output failed: quietly when the reader went
/// away (the status a shell shows for SIGPIPE), else with the error.
fn output_failed(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(141);
    }
    eprintln!("frr-reload-agent: cannot write the output: {e}");
    std::process::exit(1);
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Some(Cmd::Serve(_))) {
        oneshot_logs();
    }
    let outcome = match cli.command {
        Some(Cmd::Diff(args)) => oneshot::run_diff(&args),
        Some(Cmd::Reload(args)) => oneshot::run_reload(&args.target, &args.apply),
        Some(Cmd::Serve(args)) => run_serve(*args),
        Some(Cmd::Apply(args)) => {
            let ClientArgs { socket, json } = args.client;
            return client_main(client::apply(
                &socket,
                &args.file,
                args.id,
                args.max_impact,
                json,
            ));
        }
        Some(Cmd::Status(args)) => return client_main(client::status(&args.socket, args.json)),
        Some(Cmd::RunningConfig(args)) => return client_main(client::running_config(&args.socket)),
        Some(Cmd::Watch(args)) => return client_main(client::watch(&args.socket, args.json)),
        None if cli.compat.test => oneshot::run_diff(&cli.compat.diff),
        None if cli.compat.reload => oneshot::run_reload(&cli.compat.diff, &cli.compat.apply),
        None => Err(Error::Usage(
            "nothing to do: give a command (diff, reload) or --test/--reload FILE; see --help",
        )),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            // stderr ends up in the pod's logs: a parse error redacts the
            // line it quotes itself (a redaction of the whole message
            // would hide its reason); any other is redacted whole.
            let message = match &error {
                Error::Parse {
                    source: reloader::Error::Parse { .. },
                    ..
                }
                | Error::RunningUnparsable(reloader::Error::Parse { .. }) => error.to_string(),
                _ => redact(&error.to_string()),
            };
            eprintln!("frr-reload-agent: {message}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn client_main(future: impl std::future::Future<Output = Result<ExitCode, Error>>) -> ExitCode {
    match runtime().block_on(future) {
        Ok(code) => code,
        Err(failed) => client::usage_error(&failed),
    }
}

/// Logs of the commands other than `serve`, on standard error, only when
/// `FRR_RELOAD_AGENT_LOG` asks for them (e.g. `debug`).
fn oneshot_logs() {
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("FRR_RELOAD_AGENT_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .init();
    }
}

/// Makes glibc give blocks of 1 MiB and more back to the system when they
/// are freed. By default its threshold for that rises to the size of the
/// largest block freed (up to 32 MiB), after which a large configuration's
/// copies come from the per-thread heaps and stay there: 11 configurations
/// of 24 MiB left the daemon at 400 MB. With a fixed threshold each is
/// mapped and unmapped on its own, and the daemon's memory falls back.
fn return_large_blocks() {
    // SAFETY: mallopt only sets a number glibc's allocator reads; it is
    // called before any other thread exists. (One of the workspace's two
    // `unsafe`s, with oneshot's madvise.)
    #[allow(unsafe_code)]
    let set = unsafe { nix::libc::mallopt(nix::libc::M_MMAP_THRESHOLD, 1 << 20) };
    if set != 1 {
        tracing::warn!("mallopt(M_MMAP_THRESHOLD) refused: large blocks may stay in the heap");
    }
}

fn run_serve(args: ServeArgs) -> Result<ExitCode, Error> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FRR_RELOAD_AGENT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match args.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.event_format(logfmt::JsonLines).init(),
    }
    return_large_blocks();
    let run_dir = args.run_dir.clone().unwrap_or_else(|| {
        reloader::frr::vty::socket_dir(
            args.frr.vty_socket.as_deref(),
            args.frr.pathspace.as_deref(),
        )
    });
    let config = serve::ServeConfig {
        socket: args.socket,
        socket_mode: args.socket_mode,
        allow_uids: args.allow_uid,
        health_addr: args.health_addr,
        metrics_addr: args.metrics_addr,
        state_dir: args.state_dir,
        compat_dir: args.compat_dir.clone(),
        watch_file: args.watch_file,
        run_dir: run_dir.clone(),
        max_config_bytes: args.max_config_bytes,
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        read_timeout: Duration::from_secs(args.frr.vtysh_timeout),
        actor: actor::Settings {
            reload: reloader::pipeline::Settings {
                // The frr-k8s script always saved the configuration.
                overwrite: args.overwrite || args.compat_dir.is_some(),
                version: args.frr.frr_version,
                max_impact: args.max_impact,
                apply_valid: args.apply_valid,
            },
            resync_interval: (args.resync_interval > 0)
                .then(|| Duration::from_secs(args.resync_interval)),
            on_failure: args.on_failure,
            retry_max: args.retry_max,
            restart_settle: Duration::from_secs(2),
            run_dir: run_dir.clone(),
        },
    };
    // The one vtysh driver: the actor owns it.
    let vtysh = VtyshCommand {
        warm: (!args.no_vtysh_session).then(std::sync::Arc::default),
        ..args.frr.vtysh()
    };
    let runtime = runtime();
    let served = runtime.block_on(serve::serve(config, vtysh));
    // A vtysh probe still running must not hold the exit up.
    runtime.shutdown_timeout(Duration::from_millis(500));
    served?;
    Ok(ExitCode::SUCCESS)
}
