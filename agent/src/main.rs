//! `frr-reload-agent`: keeps a live FRR equal to the configuration a
//! controller asks for. This binary is thin: argument parsing and output;
//! the work is in the `reloader` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use reloader::reload::{reload, Settings};
use reloader::vtysh::{Vtysh, VtyshCommand};
use reloader::{Config, FrrVersion, Options};

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
    /// Exit status 0 only when it did.
    Reload(ReloadArgs),
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
struct FrrArgs {
    /// FRR pathspace (vtysh -N).
    #[arg(short = 'N', long = "pathspace", value_name = "NAME")]
    pathspace: Option<String>,
    /// Directory of the daemons' vty sockets (vtysh --vty_socket).
    #[arg(long = "vty-socket", alias = "vty_socket", value_name = "DIR")]
    vty_socket: Option<PathBuf>,
    /// Directory holding vtysh (default: vtysh from PATH).
    #[arg(long, value_name = "DIR")]
    bindir: Option<PathBuf>,
    /// The vtysh program itself (overrides --bindir).
    #[arg(long, value_name = "PATH")]
    vtysh: Option<PathBuf>,
    /// FRR version whose printing rules apply (default: from the running
    /// configuration's `frr version` line, else 8.4).
    #[arg(long, value_name = "X.Y")]
    frr_version: Option<FrrVersion>,
    /// Print the full result as JSON.
    #[arg(long)]
    json: bool,
}

impl FrrArgs {
    fn vtysh(&self) -> VtyshCommand {
        let mut vtysh = VtyshCommand::with_bindir(self.bindir.as_deref());
        if let Some(program) = &self.vtysh {
            vtysh.program = program.clone();
        }
        vtysh.pathspace = self.pathspace.clone();
        vtysh.vty_socket = self.vty_socket.clone();
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Cmd::Diff(args)) => run_diff(&args),
        Some(Cmd::Reload(args)) => run_reload(&args.target, &args.apply),
        None if cli.compat.test => run_diff(&cli.compat.diff),
        None if cli.compat.reload => run_reload(&cli.compat.diff, &cli.compat.apply),
        None => Err(
            "nothing to do: give a command (diff, reload) or --test/--reload FILE; see --help"
                .into(),
        ),
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("frr-reload-agent: {message}");
            ExitCode::FAILURE
        }
    }
}

fn desired_path(args: &DiffArgs) -> Result<&Path, String> {
    args.desired
        .as_deref()
        .ok_or_else(|| "no DESIRED configuration file given".into())
}

fn run_diff(args: &DiffArgs) -> Result<ExitCode, String> {
    let desired_path = desired_path(args)?;
    let (running_text, origin) = match &args.input {
        Some(path) => (read(path)?, path.display().to_string()),
        None => (
            args.frr
                .vtysh()
                .running_config()
                .map_err(|e| e.to_string())?,
            "running configuration".to_owned(),
        ),
    };
    let version = args
        .frr
        .frr_version
        .or_else(|| FrrVersion::detect(&running_text))
        .unwrap_or_default();
    let running =
        Config::parse_for(&running_text, version).map_err(|e| format!("{origin}: {e}"))?;
    let desired_text = read(desired_path)?;
    let desired = Config::parse_for(&desired_text, version)
        .map_err(|e| format!("{}: {e}", desired_path.display()))?;
    let delta = reloader::diff(&running, &desired, &Options { version });
    if args.frr.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&delta).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", delta.script);
    }
    Ok(ExitCode::SUCCESS)
}

fn run_reload(args: &DiffArgs, apply: &ApplyArgs) -> Result<ExitCode, String> {
    if args.input.is_some() {
        return Err("--input only goes with diff/--test".into());
    }
    let desired_path = desired_path(args)?;
    let desired = read(desired_path)?;
    let settings = Settings {
        overwrite: apply.overwrite,
        version: args.frr.frr_version,
    };
    let result = reload(&args.frr.vtysh(), &desired, &settings);
    if args.frr.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?
        );
    } else {
        let d = &result.delta;
        println!(
            "{}: {} deletes, {} adds ({} changed in place), {} passes, {} ms",
            if result.converged {
                "converged"
            } else {
                "NOT converged"
            },
            d.deletes,
            d.adds,
            d.replaced_in_place,
            result.passes,
            result.timings.total_ms
        );
        for warning in &result.warnings {
            println!("warning: {warning}");
        }
    }
    if result.converged {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "frr-reload-agent: {}: {}",
            desired_path.display(),
            result.last_reload_result
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Reads a configuration file, refusing invalid UTF-8 with its line.
fn read(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let line = bytes[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        format!("{}: line {line}: invalid UTF-8", path.display())
    })
}
