//! Writes a frr-k8s-shaped configuration pair, `DIR/running.conf` and
//! `DIR/desired.conf`, for benchmarks against frr-reload.py:
//!
//! ```text
//! cargo run --release -p reloader --example gen_k8s -- \
//!     --lines 20000 --transition remove-middle --out DIR [--neighbors 8]
//! ```

// The seeded chains of the generator are the tests'.
#[allow(dead_code)]
#[path = "../benches/k8s_gen/mod.rs"]
mod k8s_gen;

use std::path::PathBuf;
use std::process::ExitCode;

use k8s_gen::{Spec, Transition, DEFAULT_NEIGHBORS};

const USAGE: &str = "usage: gen_k8s --lines N --transition T --out DIR [--neighbors N]\n\
                     transitions: noop deny-permit add-one remove-middle remove-half";

/// Why the example stops: bad arguments (the usage is printed too) or a
/// file it could not write.
#[derive(Debug)]
enum Failure {
    Usage(String),
    Write(PathBuf, std::io::Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) => write!(f, "{message}\n{USAGE}"),
            Failure::Write(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

struct Args {
    lines: usize,
    neighbors: usize,
    transition: Transition,
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(failure) => {
            eprintln!("gen_k8s: {failure}");
            return ExitCode::from(2);
        }
    };
    let running = Spec::for_lines(args.lines, args.neighbors);
    let desired = args.transition.apply(&running);
    let write = |name: &str, spec: &Spec| -> Result<usize, Failure> {
        let path = args.out.join(name);
        let text = spec.render();
        std::fs::write(&path, &text).map_err(|e| Failure::Write(path, e))?;
        Ok(text.lines().count())
    };
    let result = std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::Write(args.out.clone(), e))
        .and_then(|()| {
            Ok((
                write("running.conf", &running)?,
                write("desired.conf", &desired)?,
            ))
        });
    match result {
        Ok((running_lines, desired_lines)) => {
            eprintln!(
                "{}: {} neighbors x {} services, {running_lines} lines -> {desired_lines} lines ({})",
                args.out.display(),
                running.neighbors,
                running.services.len(),
                args.transition.name()
            );
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("gen_k8s: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn usage(message: String) -> Failure {
    Failure::Usage(message)
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, Failure> {
    let (mut lines, mut transition, mut out) = (None, None, None);
    let mut neighbors = DEFAULT_NEIGHBORS;
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| usage(format!("{flag} needs a value")))
        };
        let number = |v: String| {
            v.parse::<usize>()
                .map_err(|e| usage(format!("{flag} {v}: {e}")))
        };
        match flag.as_str() {
            "--lines" => lines = Some(number(value()?)?),
            "--neighbors" => neighbors = number(value()?)?,
            "--transition" => {
                let name = value()?;
                let found = Transition::from_name(&name);
                transition =
                    Some(found.ok_or_else(|| usage(format!("unknown transition {name}")))?);
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            _ => return Err(usage(format!("unknown argument {flag}"))),
        }
    }
    if !(1..=k8s_gen::MAX_NEIGHBORS).contains(&neighbors) {
        return Err(usage("--neighbors must be 1..=254".into()));
    }
    Ok(Args {
        lines: lines.ok_or_else(|| usage("--lines is required".into()))?,
        neighbors,
        transition: transition.ok_or_else(|| usage("--transition is required".into()))?,
        out: out.ok_or_else(|| usage("--out is required".into()))?,
    })
}
