//! One-shot use without the daemon: `diff` and `reload`, the fast
//! replacements for `frr-reload.py --test` and `--reload`.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use nix::sys::mman::{madvise, MmapAdvise};

use protocol::Trigger;
use reloader::config::parse::Parsing;
use reloader::diff::{autorp, ospf_network};
use reloader::frr::Vtysh;
use reloader::pipeline::{reload_from, Settings};
use reloader::FrrVersion;

use crate::error::Error;
use crate::outbound;
use crate::{ApplyArgs, DiffArgs};

fn desired_path(args: &DiffArgs) -> Result<&Path, Error> {
    args.desired
        .as_deref()
        .ok_or(Error::Usage("no DESIRED configuration file given"))
}

pub fn run_diff(args: &DiffArgs) -> Result<ExitCode, Error> {
    let desired_path = desired_path(args)?;
    // The running configuration: its first piece (the whole text when read
    // from FRR), the file with the rest, and the vtysh it was read through.
    let (head, mut rest, origin, live) = match &args.input {
        Some(path) => {
            let (head, file) = open(path)?;
            (head, Some(file), path.display().to_string(), None)
        }
        None => {
            let (vtysh, kept) = args.frr.vtysh(false);
            let text = vtysh.running_config();
            crate::after_reads(&vtysh, &kept);
            let origin = "running configuration".to_owned();
            (text?.into_bytes(), None, origin, Some(vtysh))
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
            .running_profile(&line)
            .map_err(|source| Error::Parse {
                origin: desired_path.display().to_string(),
                source,
            })?;
    }
    let finish = |parsing: Parsing, origin: String| {
        parsing
            .finish()
            .map_err(|source| Error::Parse { origin, source })
    };
    let mut running = finish(running, origin)?;
    let mut desired = finish(desired, desired_path.display().to_string())?;
    // As the reload reads a live FRR (see `reloader::diff::autorp` and
    // `reloader::diff::ospf_network`).
    if let Some(vtysh) = &live {
        if autorp::unprinted_on(version, || vtysh.daemons()) {
            autorp::with_pimd_running(&mut running);
        }
        ospf_network::settle(&mut desired, version, || vtysh.show_interfaces());
    }
    let delta = reloader::diff(&running, &desired);
    let impact = reloader::diff::impact::impact(&running, &delta, version);
    // The process ends here: freeing the trees would only cost time.
    std::mem::forget((running, desired));
    if args.frr.json {
        let result = protocol::DiffResult { delta, impact };
        outln!("{}", serde_json::to_string_pretty(&result)?);
    } else if !delta.is_empty() {
        // Comment lines first: `diff | vtysh -f -` still works.
        out!("{}", reloader::diff::impact::render_summary(&impact));
        out!("{}", delta.script);
    }
    Ok(ExitCode::SUCCESS)
}

/// Grows the calling thread's heap at once by about what parsing a text of
/// `size` bytes takes (three times its size, for the lines, the map and
/// its index), instead of page by page, and asks for that room in huge
/// pages.
///
/// glibc grows the heap of a thread other than the main one by what each
/// allocation needs: one `mprotect` for each page, 330 of them for a
/// 20k-line text, each changing the memory map the other thread faults
/// pages into. A block taken and freed again grows it once; it stays as
/// room if it is below the trim threshold. The thresholds are dynamic
/// (mallopt(3)): freeing a block larger than the mmap threshold raises it
/// to that size, and the trim threshold to twice that, so the first call
/// takes a block large enough for any room. (glibc compares the block
/// with its flag bits to the 32 MiB maximum: a block of exactly 32 MiB
/// would raise nothing.)
///
/// Each page of the room is then faulted in when first written: 1,750
/// faults for a 20k-line diff, most of its system time. In huge pages
/// (see [`advise_huge_pages`]), 250. Another allocator loses nothing but
/// the time to take and free a few blocks. For the one-shot commands
/// only: the head of the room is never given back.
fn grow_heap(size: usize) {
    const THRESHOLD: usize = 16 << 20;
    static THRESHOLDS: std::sync::Once = std::sync::Once::new();
    if size < PIECE {
        return;
    }
    THRESHOLDS.call_once(|| drop(std::hint::black_box(Vec::<u8>::with_capacity(THRESHOLD))));
    // A huge page more than the room, for whole huge pages to fit in it;
    // below the threshold, for the block to come from the heap.
    let room = ((3 * size).next_multiple_of(HUGE_PAGE) + HUGE_PAGE).min(THRESHOLD / 2);
    let mut block = Vec::<u8>::with_capacity(room);
    let head = advise_huge_pages(block.spare_capacity_mut());
    drop(block);
    // The parse allocates its map first: about 1 MB at 20k lines, written
    // in full. The head of the room, before its first huge page, is taken
    // for good (untouched, it costs address space only), so that the map
    // starts on a huge page. (glibc puts a chunk's 16-byte header before
    // it: hence 32 bytes less.)
    if head > 64 {
        std::mem::forget(std::hint::black_box(Vec::<u8>::with_capacity(head - 32)));
    }
}

/// Size of a transparent huge page with 4 kB pages (x86-64, arm64).
const HUGE_PAGE: usize = 2 << 20;

/// Asks the kernel to back the whole huge pages within `block` with huge
/// pages when they are first touched, and returns the offset of the first
/// (madvise(2) `MADV_HUGEPAGE`: needed where transparent huge pages are
/// enabled for `madvise` only, Debian's default; without effect where
/// they are disabled). One fault then brings in 2 MiB instead of 4 kB.
fn advise_huge_pages(block: &mut [std::mem::MaybeUninit<u8>]) -> usize {
    let addr = block.as_ptr() as usize;
    let start = addr.next_multiple_of(HUGE_PAGE) - addr;
    let end = (addr + block.len()) / HUGE_PAGE * HUGE_PAGE;
    let Some(len) = end.checked_sub(addr + start).filter(|len| *len > 0) else {
        return 0;
    };
    let Some(ptr) = std::ptr::NonNull::new(block[start..].as_mut_ptr().cast()) else {
        return 0;
    };
    // Refused (no THP in this kernel): pages of 4 kB, as without it.
    // SAFETY: the advice only changes which pages back the range, which
    // lies within `block`; the memory stays valid and keeps its contents.
    // (One of the workspace's two `unsafe`s, with main's mallopt.)
    #[allow(unsafe_code)]
    let _ = unsafe { madvise(ptr, len, MmapAdvise::MADV_HUGEPAGE) };
    start
}

/// Size of the pieces a configuration file is read and parsed in: a
/// buffer this size is all of the file held at a time.
const PIECE: usize = 128 * 1024;

/// Opens a configuration file and reads its first piece (which holds the
/// first 20 lines, where FRR says its version: a line has at most 4,095
/// bytes).
fn open(path: &Path) -> Result<(Vec<u8>, File), Error> {
    let mut file = File::open(path).map_err(Error::io(path))?;
    let mut head = Vec::with_capacity(PIECE);
    file.by_ref()
        .take(PIECE as u64)
        .read_to_end(&mut head)
        .map_err(Error::io(path))?;
    Ok((head, file))
}

/// Parses `head` and the rest of `file` (if any) a piece at a time; errors
/// name `origin`.
fn parse_file(
    origin: &Path,
    head: Vec<u8>,
    file: Option<File>,
    version: FrrVersion,
) -> Result<Parsing, Error> {
    let fail = |source| Error::Parse {
        origin: origin.display().to_string(),
        source,
    };
    let size = match &file {
        Some(file) => file.metadata().map_err(Error::io(origin))?.len() as usize,
        None => head.len(),
    };
    grow_heap(size);
    // Room for one context per line of a frr-k8s configuration (64 bytes
    // a line, 56 to spare a rehash); the map grows if there are more.
    let mut parsing = Parsing::new(version, size / 56);
    let Some(mut file) = file else {
        parsing.bytes(&head).map_err(fail)?;
        return Ok(parsing);
    };
    let mut buf = head;
    loop {
        // Whole lines are parsed; the start of the next one waits for the
        // next piece.
        if let Some(end) = buf.iter().rposition(|b| *b == b'\n') {
            parsing.bytes(&buf[..=end]).map_err(fail)?;
            buf.drain(..=end);
        }
        let read = file.by_ref().take(PIECE as u64).read_to_end(&mut buf);
        if read.map_err(Error::io(origin))? == 0 {
            // The last line, if the text does not end with a newline.
            parsing.bytes(&buf).map_err(fail)?;
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

/// Exit status of `reload` (and the client's `apply`) when the impact
/// guard refused the change.
pub const IMPACT_REFUSED: u8 = 4;

pub fn run_reload(args: &DiffArgs, apply: &ApplyArgs) -> Result<ExitCode, Error> {
    if args.input.is_some() {
        return Err(Error::Usage("--input only goes with diff/--test"));
    }
    let desired_path = desired_path(args)?;
    let desired = read(desired_path)?;
    let settings = Settings {
        overwrite: apply.overwrite,
        version: args.frr.target.frr_version,
        max_impact: apply.max_impact,
        apply_valid: apply.apply_valid,
    };
    let (vtysh, kept) = args.frr.vtysh(true);
    let started_ms = crate::actor::now_ms();
    // The impact guard judges the first delta against what FRR runs.
    let last_read = kept
        .read
        .as_ref()
        .filter(|_| settings.max_impact.is_none())
        .and_then(crate::keptread::Read::load);
    let mut result = reload_from(&vtysh, &desired, &settings, last_read.as_deref());
    crate::after_reads(&vtysh, &kept);
    if let Some(read) = &kept.read {
        read.save(&result, started_ms);
    }
    result.sha256 = crate::actor::sha256_hex(&desired);
    result.id.clone_from(&result.sha256);
    result.trigger = Trigger::Cli;
    result.finished_at_ms = crate::actor::now_ms();
    outbound::prepare(&mut result);
    if args.frr.json {
        outln!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        let d = &result.delta.stats;
        outln!(
            "{}: {} deletes, {} adds ({} changed in place), {} passes, {} ms",
            match result.outcome {
                protocol::Outcome::Converged => "converged",
                protocol::Outcome::PartlyApplied => "PARTLY applied",
                _ => "NOT converged",
            },
            d.deletes,
            d.adds,
            d.replaced_in_place,
            result.reload.passes,
            result.timings_ms.total_ms
        );
        for warning in &result.reload.warnings {
            outln!("warning: {warning}");
        }
        out!("{}", reloader::diff::impact::render_summary(&result.impact));
    }
    if result.reload.converged {
        Ok(ExitCode::SUCCESS)
    } else if result.outcome == protocol::Outcome::ImpactRefused {
        eprintln!(
            "frr-reload-agent: {}: {}",
            desired_path.display(),
            result.last_reload_result
        );
        Ok(ExitCode::from(IMPACT_REFUSED))
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
pub fn read(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let line = bytes[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Error::InvalidUtf8 {
            path: path.to_owned(),
            line,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `THPeligible` value of the mapping holding `addr`, from
    /// /proc/self/smaps.
    fn thp_eligible(addr: usize) -> Option<bool> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split_once(' ').map_or("", |(range, _)| range);
            if let Some((start, end)) = range.split_once('-') {
                if let (Ok(start), Ok(end)) = (
                    usize::from_str_radix(start, 16),
                    usize::from_str_radix(end, 16),
                ) {
                    inside = (start..end).contains(&addr);
                    continue;
                }
            }
            if let Some(value) = line.strip_prefix("THPeligible:").filter(|_| inside) {
                return Some(value.trim() == "1");
            }
        }
        None
    }

    #[test]
    fn huge_pages_are_advised_from_the_first_whole_one() {
        let mut block = Vec::<u8>::with_capacity(3 * HUGE_PAGE);
        let addr = block.as_ptr() as usize;
        let head = advise_huge_pages(block.spare_capacity_mut());
        assert!(head < HUGE_PAGE, "head {head}");
        assert_eq!(
            (addr + head) % HUGE_PAGE,
            0,
            "block at {addr:#x}, head {head}"
        );
        // Where the kernel gives huge pages on advice only, the advice
        // must have been given (elsewhere it says always or never).
        let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled");
        if mode.is_ok_and(|mode| mode.contains("[madvise]")) {
            assert_eq!(thp_eligible(addr + head), Some(true));
        }
        // A block holding no whole huge page is left alone.
        let mut small = Vec::<u8>::with_capacity(HUGE_PAGE / 2);
        assert_eq!(advise_huge_pages(small.spare_capacity_mut()), 0);
    }
}
