//! `frr-reload-agent`: keeps a live FRR equal to the configuration a
//! controller asks for. This binary is thin: argument parsing and output;
//! the work is in the `reloader` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use reloader::{Config, FrrVersion, Options};

#[derive(Parser)]
#[command(name = "frr-reload-agent", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Print the vtysh script that turns the running configuration into
    /// DESIRED (what `frr-reload.py --test` shows).
    Diff {
        /// The running configuration, read from a file (as
        /// `frr-reload.py --input`).
        #[arg(long, value_name = "RUNNING")]
        input: PathBuf,
        /// The desired configuration.
        desired: PathBuf,
        /// Print the delta as JSON: `{"delete", "add", "script", "stats"}`.
        #[arg(long)]
        json: bool,
        /// FRR version the script is for (rules that differ between
        /// versions follow it); default: the `frr version` line of the
        /// running configuration, else 8.4.
        #[arg(long, value_name = "X.Y")]
        frr_version: Option<FrrVersion>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("frr-reload-agent: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Cmd) -> Result<(), String> {
    match command {
        Cmd::Diff {
            input,
            desired,
            json,
            frr_version,
        } => {
            let running_bytes = read(&input)?;
            let version = frr_version
                .or_else(|| FrrVersion::detect(&String::from_utf8_lossy(&running_bytes)))
                .unwrap_or_default();
            let running = parse(&input, &running_bytes, version)?;
            let desired = parse(&desired, &read(&desired)?, version)?;
            let delta = reloader::diff(&running, &desired, &Options { version });
            if json {
                let text = serde_json::to_string_pretty(&delta).map_err(|e| e.to_string())?;
                println!("{text}");
            } else {
                print!("{}", delta.script);
            }
            Ok(())
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse(path: &Path, bytes: &[u8], version: FrrVersion) -> Result<Config, String> {
    Config::parse_bytes_for(bytes, version).map_err(|e| format!("{}: {e}", path.display()))
}
