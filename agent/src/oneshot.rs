//! One-shot use without the daemon: `diff` and `reload`, the fast
//! replacements for `frr-reload.py --test` and `--reload`.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use reloader::parse::Parsing;
use reloader::reload::{reload, Settings};
use reloader::vtysh::Vtysh;
use reloader::{FrrVersion, Options};

use crate::{ApplyArgs, DiffArgs};

fn desired_path(args: &DiffArgs) -> Result<&Path, String> {
    args.desired
        .as_deref()
        .ok_or_else(|| "no DESIRED configuration file given".into())
}

pub fn run_diff(args: &DiffArgs) -> Result<ExitCode, String> {
    let desired_path = desired_path(args)?;
    // The running configuration: its first piece (the whole text when read
    // from FRR), and the file with the rest.
    let (head, mut rest, origin) = match &args.input {
        Some(path) => {
            let (head, file) = open(path)?;
            (head, Some(file), path.display().to_string())
        }
        None => {
            let text = args.frr.target.vtysh().running_config();
            let text = text.map_err(|e| e.to_string())?;
            (text.into_bytes(), None, "running configuration".to_owned())
        }
    };
    let version = args
        .frr
        .target
        .frr_version
        .or_else(|| FrrVersion::detect(valid_utf8(&head)))
        .unwrap_or_default();
    // Each text is read and parsed on its own core.
    let (running, desired) = std::thread::scope(|scope| {
        let desired = scope.spawn(|| {
            let (head, file) = open(desired_path)?;
            parse_file(desired_path, head, Some(file), version)
        });
        let running = parse_file(Path::new(&origin), head, rest.take(), version);
        (running, desired.join().expect("the parser does not panic"))
    });
    let running = running?;
    let mut desired = desired?;
    // As `reloader::with_running_profile` would have it: a desired text
    // without its own `frr defaults` line keeps the running one.
    if let (None, Some(profile)) = (desired.profile(), running.profile()) {
        let line = format!("frr defaults {profile}\n");
        desired
            .bytes(line.as_bytes())
            .map_err(|e| format!("{}: {e}", desired_path.display()))?;
    }
    let (running, desired) = (running.finish(), desired.finish());
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

/// Grows the calling thread's heap at once by about what parsing a text of
/// `size` bytes takes (three times its size, for the lines, the map and
/// its index), instead of page by page.
///
/// glibc grows the heap of a thread other than the main one by what each
/// allocation needs: one `mprotect` for each page, 330 of them for a
/// 20k-line text, each changing the memory map the other thread faults
/// pages into. A block taken and freed again grows it once; it stays as
/// room if it is below the trim threshold. The thresholds are dynamic
/// (mallopt(3)): freeing a block larger than the mmap threshold raises it
/// to that size, and the trim threshold to twice that, so the first call
/// takes the largest block glibc adjusts them to. Another allocator
/// loses nothing but the time to take and free two blocks.
fn grow_heap(size: usize) {
    // DEFAULT_MMAP_THRESHOLD_MAX on 64 bits: 32 MiB.
    const RAISED: usize = 32 << 20;
    static THRESHOLDS: std::sync::Once = std::sync::Once::new();
    if size < PIECE {
        return;
    }
    THRESHOLDS.call_once(|| drop(std::hint::black_box(Vec::<u8>::with_capacity(RAISED))));
    let room = (3 * size).min(RAISED / 2);
    drop(std::hint::black_box(Vec::<u8>::with_capacity(room)));
}

/// Size of the pieces a configuration file is read and parsed in: a
/// buffer this size is all of the file held at a time.
const PIECE: usize = 128 * 1024;

/// Opens a configuration file and reads its first piece (which holds the
/// first 20 lines, where FRR says its version: a line has at most 4,095
/// bytes).
fn open(path: &Path) -> Result<(Vec<u8>, File), String> {
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut file = File::open(path).map_err(fail)?;
    let mut head = Vec::with_capacity(PIECE);
    file.by_ref()
        .take(PIECE as u64)
        .read_to_end(&mut head)
        .map_err(fail)?;
    Ok((head, file))
}

/// Parses `head` and the rest of `file` (if any) a piece at a time; errors
/// name `origin`.
fn parse_file(
    origin: &Path,
    head: Vec<u8>,
    file: Option<File>,
    version: FrrVersion,
) -> Result<Parsing, String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", origin.display());
    let size = match &file {
        Some(file) => file.metadata().map_err(|e| fail(&e))?.len() as usize,
        None => head.len(),
    };
    grow_heap(size);
    // Room for one context per line of a frr-k8s configuration (64 bytes
    // a line, 56 to spare a rehash); the map grows if there are more.
    let mut parsing = Parsing::new(version, size / 56);
    let Some(mut file) = file else {
        parsing.bytes(&head).map_err(|e| fail(&e))?;
        return Ok(parsing);
    };
    let mut buf = head;
    loop {
        // Whole lines are parsed; the start of the next one waits for the
        // next piece.
        if let Some(end) = buf.iter().rposition(|b| *b == b'\n') {
            parsing.bytes(&buf[..=end]).map_err(|e| fail(&e))?;
            buf.drain(..=end);
        }
        let read = file.by_ref().take(PIECE as u64).read_to_end(&mut buf);
        if read.map_err(|e| fail(&e))? == 0 {
            // The last line, if the text does not end with a newline.
            parsing.bytes(&buf).map_err(|e| fail(&e))?;
            return Ok(parsing);
        }
    }
}

/// The longest prefix of `bytes` that is UTF-8.
fn valid_utf8(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
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
