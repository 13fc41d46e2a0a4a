//! One-shot use without the daemon: `diff` and `reload`, the fast
//! replacements for `frr-reload.py --test` and `--reload`.

use std::path::Path;
use std::process::ExitCode;

use reloader::reload::{reload, Settings};
use reloader::vtysh::Vtysh;
use reloader::{Config, FrrVersion, Options};

use crate::{ApplyArgs, DiffArgs};

fn desired_path(args: &DiffArgs) -> Result<&Path, String> {
    args.desired
        .as_deref()
        .ok_or_else(|| "no DESIRED configuration file given".into())
}

pub fn run_diff(args: &DiffArgs) -> Result<ExitCode, String> {
    let desired_path = desired_path(args)?;
    let (running_text, origin) = match &args.input {
        Some(path) => (read(path)?, path.display().to_string()),
        None => (
            args.frr
                .target
                .vtysh()
                .running_config()
                .map_err(|e| e.to_string())?,
            "running configuration".to_owned(),
        ),
    };
    let version = args
        .frr
        .target
        .frr_version
        .or_else(|| FrrVersion::detect(&running_text))
        .unwrap_or_default();
    let desired_text = read(desired_path)?;
    let desired_text = reloader::with_running_profile(&running_text, &desired_text);
    // The two texts parse on two cores.
    let (running, desired) = std::thread::scope(|scope| {
        let desired = scope.spawn(|| Config::parse_for(&desired_text, version));
        let running = Config::parse_for(&running_text, version);
        (running, desired.join().expect("the parser does not panic"))
    });
    let running = running.map_err(|e| format!("{origin}: {e}"))?;
    let desired = desired.map_err(|e| format!("{}: {e}", desired_path.display()))?;
    let delta = reloader::diff(&running, &desired, &Options { version });
    // The process ends here: freeing the trees would only cost time.
    std::mem::forget((running, desired));
    if args.frr.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&delta).map_err(|e| e.to_string())?
        );
    } else {
        out!("{}", delta.script);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_reload(args: &DiffArgs, apply: &ApplyArgs) -> Result<ExitCode, String> {
    if args.input.is_some() {
        return Err("--input only goes with diff/--test".into());
    }
    let desired_path = desired_path(args)?;
    let desired = read(desired_path)?;
    let settings = Settings {
        overwrite: apply.overwrite,
        version: args.frr.target.frr_version,
    };
    let result = reload(&args.frr.target.vtysh(), &desired, &settings);
    if args.frr.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?
        );
    } else {
        let d = &result.delta.stats;
        outln!(
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
            outln!("warning: {warning}");
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
pub fn read(path: &Path) -> Result<String, String> {
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
