//! The reload pipeline against a live FRR, one function per phase:
//! `validate` (our parse, and FRR's own check in `check_with_frr`) →
//! `read` the running configuration → `diff_to` → `apply` → `verify` →
//! `persist`. Nothing is changed unless the desired configuration passed
//! the check; success is reported only when the running configuration
//! equals the desired one.

use std::collections::HashSet;
use std::time::Instant;

use protocol::{
    ApplyResult, Command, CommandError, Conversion, Delta, Effect, Impact, LineError, Outcome,
    Timings,
};

use crate::config::{Config, FrrVersion};
use crate::diff::script::{render, render_delta, Script};
use crate::frr::owner::Missing;
use crate::frr::{line_errors, Vtysh};
use crate::Error;

/// Settings of a reload.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `write memory` after a converged reload (frr-reload.py's
    /// `--overwrite`).
    pub overwrite: bool,
    /// FRR version whose rules apply; default: what the running
    /// configuration's `frr version` line says.
    pub version: Option<FrrVersion>,
    /// The most the first delta may do to BGP and BFD sessions; if its
    /// predicted impact is worse, nothing is applied and the outcome is
    /// `impactRefused`. `None`: no guard.
    pub max_impact: Option<Effect>,
    /// When FRR's check refuses lines, apply the rest (the lines refused
    /// and what they open left out) instead of nothing; the outcome is
    /// then `partlyApplied`, naming them. Off: all or nothing.
    pub apply_valid: bool,
}

/// Passes of apply + verify before what remains is reported.
const MAX_PASSES: u32 = 2;

/// Milliseconds since `start`.
fn ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Reloads FRR to `desired`. The result's caller-side fields (`id`,
/// `sha256`, `generation`, `trigger`, `finishedAtMs`) are left for the
/// caller, and nothing in it is redacted yet.
pub fn reload<V: Vtysh + Sync>(vtysh: &V, desired: &str, settings: &Settings) -> ApplyResult {
    reload_from(vtysh, desired, settings, None)
}

/// Reloads FRR to `desired`, computing the first delta against
/// `last_read`, the running configuration as the caller last read it, when
/// given: the first read is skipped. The caller vouches that nothing else
/// changed FRR since (the agent: no FRR restart seen, read within the
/// resync interval); if something did, the verifying read shows it and
/// another pass applies what is left. An empty first delta is confirmed by a
/// fresh read before success is reported.
pub fn reload_from<V: Vtysh + Sync>(
    vtysh: &V,
    desired: &str,
    settings: &Settings,
    last_read: Option<&str>,
) -> ApplyResult {
    let started = Instant::now();
    let mut result = ApplyResult::default();
    let mut timings = Timings::default();
    let outcome = run(
        vtysh,
        desired,
        settings,
        last_read,
        &mut result,
        &mut timings,
    );
    if let Err(error) = outcome {
        result.last_reload_result = error.to_string();
    }
    timings.total_ms = ms(started);
    result.timings_ms = timings;
    result.last_conversion_result = match result.outcome {
        Outcome::ConversionFailed | Outcome::PartlyApplied => result.last_reload_result.clone(),
        Outcome::FrrUnreachable => format!("not checked: {}", result.last_reload_result),
        _ => "success".to_owned(),
    };
    result
}

/// Everything before the first apply, then [`converge`].
fn run<V: Vtysh + Sync>(
    vtysh: &V,
    desired_text: &str,
    settings: &Settings,
    last_read: Option<&str>,
    result: &mut ApplyResult,
    timings: &mut Timings,
) -> Result<(), Error> {
    // FRR's own check of the text (`vtysh --dryrun`) runs beside all that
    // comes before the first apply: the read (unless reused), our parse
    // and diff, and the start of the vtysh that will apply the delta. That
    // vtysh gets the delta only once the check passed. The check is made
    // also when nothing is to change: a text FRR refuses is refused even
    // if it parses to what runs.
    //
    // A verdict kept from an earlier run (the one-shot commands, see
    // [`Vtysh::kept_check`]) stands for FRR's check while the running
    // configuration names the same `frr version` as it did; our screen of
    // vtysh commands still runs.
    result.outcome = Outcome::FrrUnreachable;
    result.reload.reused_read = last_read.is_some();
    let kept = match vtysh.kept_check(desired_text) {
        Some(version) => Some(Kept::Whole(version)),
        None => vtysh.take_up_kept_blocks().map(Kept::Blocks),
    };
    std::thread::scope(|scope| {
        let check = scope.spawn(|| {
            let t = Instant::now();
            let whole = matches!(kept, Some(Kept::Whole(_)));
            (check_with_frr(vtysh, desired_text, whole), ms(t))
        });
        let running_text = match last_read {
            Some(text) => text.to_owned(),
            None => read(vtysh, timings)?,
        };
        result.outcome = Outcome::NotConverged;
        let version = settings
            .version
            .or_else(|| FrrVersion::detect(&running_text))
            .unwrap_or_default();
        let desired = match validate(desired_text, &running_text, version, timings) {
            Ok(desired) => desired,
            Err(errors) => {
                let refusal = Refusal {
                    desired: desired_text,
                    errors,
                    running: running_text,
                };
                return refuse_or_apply_valid(vtysh, refusal, settings, result, timings);
            }
        };
        let mut desired = desired;
        crate::diff::ospf_network::settle(&mut desired, version, || vtysh.show_interfaces());
        // pimd 10.7 prints AutoRP discovery on, with nothing else, as no
        // `router pim` at all: told apart from no pimd by its socket.
        let autorp_unprinted = crate::diff::autorp::unprinted_on(version, || vtysh.daemons());
        let quiet = quiet_interfaces(version, || vtysh.daemons());
        let first = diff_to(&running_text, &desired, version, autorp_unprinted, timings)?;
        let prepared =
            pending(&first.delta, false, quiet).then(|| vtysh.prepare_apply(&first.script.text));
        let (checked, check_ms) = check.join().unwrap_or_else(|_| {
            (
                Err(vec![message_only("the check with FRR panicked".into())]),
                0,
            )
        });
        let (checked, check_ms) = confirm_kept(
            vtysh,
            desired_text,
            &running_text,
            kept.as_ref(),
            (checked, check_ms),
        );
        timings.validate_ms += check_ms;
        if let Err(errors) = checked {
            drop(prepared);
            let refusal = Refusal {
                desired: desired_text,
                errors,
                running: running_text,
            };
            return refuse_or_apply_valid(vtysh, refusal, settings, result, timings);
        }
        result.conversion.ok = true;
        if let Some(limit) = settings.max_impact {
            guard(limit, &first, result, &running_text)?;
        }
        let converging = Converging {
            desired: &desired,
            version,
            autorp_unprinted,
            quiet,
            first,
            prepared,
            // A reused read may be out of date: it is confirmed by a fresh
            // read before anything is reported, and buys one more pass.
            unconfirmed: last_read.is_some(),
        };
        converge(vtysh, converging, running_text, settings, result, timings)
    })
}

/// Validate, our half: parses `desired` as FRR reads it on top of
/// `running` (with the running `frr defaults` profile when it names
/// none), refusing what FRR would misread or an empty text.
fn validate(
    desired: &str,
    running: &str,
    version: FrrVersion,
    timings: &mut Timings,
) -> Result<Config, Vec<LineError>> {
    let t = Instant::now();
    // The running profile line is read after the text, not appended to a
    // copy of it: a large configuration is held once.
    let parsed = Config::parse_desired_for(desired, running, version).map_err(parse_errors);
    // An empty text is refused, also with the profile line read after it.
    let parsed = parsed.and_then(|config| {
        let profile_only = config.contexts.len() <= 1;
        if profile_only && !has_commands(desired) {
            Err(vec![empty_file()])
        } else {
            Ok(config)
        }
    });
    timings.validate_ms = ms(t);
    parsed
}

/// Whether `text` has a command: a line other than a blank one, a comment
/// or `end`/`exit`/`quit`. A text without one is refused as empty (it
/// would delete everything FRR runs); a text whose every command is one of
/// FRR's defaults, which the parse drops (`router pim` / ` autorp
/// discovery` on FRR 10.3), asks for exactly what FRR runs with nothing
/// typed, and is taken.
fn has_commands(text: &str) -> bool {
    crate::config::text::lines(text).map(str::trim).any(|line| {
        !line.is_empty() && !line.starts_with('!') && !matches!(line, "end" | "exit" | "quit")
    })
}

fn empty_file() -> LineError {
    message_only("no configuration commands (empty file)".into())
}

/// A parse error as the errors of a refused configuration.
fn parse_errors(error: Error) -> Vec<LineError> {
    match error {
        Error::Parse { line, text, reason } => vec![LineError {
            line,
            text,
            message: reason.to_owned(),
        }],
        e => vec![message_only(e.to_string())],
    }
}

/// Validate, FRR's half: checks `desired` with FRR's own parser (`vtysh
/// --dryrun`), changing nothing; the errors name the lines. vtysh runs its
/// own commands even in a dry run (`output file` creates the file): a text
/// with a line the parser refuses in any node (see
/// [`crate::config::parse::screen`]) never reaches it, though the parse may
/// not have ended yet.
fn check_with_frr<V: Vtysh>(vtysh: &V, desired: &str, kept: bool) -> Result<(), Vec<LineError>> {
    crate::config::parse::screen(desired).map_err(parse_errors)?;
    if kept {
        return Ok(());
    }
    let output = vtysh
        .dry_run(desired)
        .map_err(|e| vec![message_only(format!("cannot check with FRR: {e}"))])?;
    let lines: Vec<&str> = desired.lines().collect();
    // FRR 10 warns of a top-level `exit`, where it stops reading: the
    // parse refuses any command after one, so nothing is lost.
    let errors: Vec<LineError> = line_errors(&output.text())
        .into_iter()
        .filter(|e| !e.message.ends_with(EARLY_EXIT))
        .map(|e| LineError {
            text: lines
                .get(e.line.wrapping_sub(1))
                .map_or_else(String::new, |l| l.trim().to_owned()),
            line: e.line,
            message: e.message,
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    if output.status != Some(0) {
        return Err(vec![message_only(format!(
            "vtysh --dryrun exited with {:?}: {}",
            output.status,
            output.text().trim()
        ))]);
    }
    Ok(())
}

/// vtysh's warning for a top-level `exit` (FRR 10; 8.4 says nothing).
const EARLY_EXIT: &str = "early exit from config file";

/// What an earlier run's check left for this one, with the `frr version`
/// line it was given under.
enum Kept {
    /// FRR accepted exactly this text ([`Vtysh::kept_check`]): it is not
    /// asked.
    Whole(String),
    /// FRR accepted another text: its blocks were taken up
    /// ([`Vtysh::take_up_kept_blocks`]) and FRR is asked about the others.
    Blocks(String),
}

/// The check's verdict, `checked` as the check thread gave it. What was
/// kept (`kept`) holds only if the running configuration names the same
/// version: else FRR checks the whole text now. A verdict FRR gave in
/// this run is kept when it accepts, with the version the running
/// configuration names (none named: not kept). Adds the time of a check
/// made here to `check_ms`.
fn confirm_kept<V: Vtysh>(
    vtysh: &V,
    desired: &str,
    running: &str,
    kept: Option<&Kept>,
    (checked, check_ms): (Result<(), Vec<LineError>>, u64),
) -> (Result<(), Vec<LineError>>, u64) {
    let version = crate::frr::vty::version_line(running);
    let (checked, check_ms) = match kept {
        Some(Kept::Whole(line) | Kept::Blocks(line))
            if checked.is_ok() && version != Some(line.as_str()) =>
        {
            vtysh.forget_checks();
            let t = Instant::now();
            (check_with_frr(vtysh, desired, false), check_ms + ms(t))
        }
        Some(Kept::Whole(_)) => return (checked, check_ms),
        Some(Kept::Blocks(_)) | None => (checked, check_ms),
    };
    if let (Ok(()), Some(version)) = (&checked, version) {
        vtysh.keep_check(desired, version);
    }
    (checked, check_ms)
}

/// Records a refused configuration (nothing was changed) and returns the
/// error for `lastApplyResult`.
fn refused(result: &mut ApplyResult, errors: Vec<LineError>, running: String) -> Error {
    result.conversion = Conversion {
        ok: false,
        errors: errors.clone(),
    };
    result.outcome = Outcome::ConversionFailed;
    result.running_config = running;
    Error::Rejected(errors)
}

fn message_only(message: String) -> LineError {
    LineError {
        line: 0,
        text: String::new(),
        message,
    }
}

/// The valid part of a text FRR refused lines of: the text without them
/// (and, for a line that opens a block, without the block), with the
/// original number of each line kept.
struct Valid {
    text: String,
    lines: Vec<usize>,
}

impl Valid {
    /// `None` when an error names no line (nothing to leave out) or when
    /// nothing would be left.
    fn of(desired: &str, errors: &[LineError]) -> Option<Valid> {
        if errors.iter().any(|e| e.line == 0) {
            return None;
        }
        let refused: HashSet<usize> = errors.iter().map(|e| e.line).collect();
        let mut valid = Valid {
            text: String::with_capacity(desired.len()),
            lines: vec![],
        };
        // The indentation of a refused block opener while its block is
        // skipped.
        let mut skipping: Option<usize> = None;
        for (at, line) in desired.lines().enumerate() {
            let indent = line.len() - line.trim_start().len();
            let word = line.trim();
            if let Some(depth) = skipping {
                let inside = indent > depth || word.is_empty() || word.starts_with('!');
                let closes = indent == depth && word.starts_with("exit");
                if inside || closes {
                    continue;
                }
                skipping = None;
            }
            if refused.contains(&(at + 1)) {
                skipping = Some(indent);
                continue;
            }
            valid.text.push_str(line);
            valid.text.push('\n');
            valid.lines.push(at + 1);
        }
        let commands = valid.text.lines().filter(|l| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('!')
        });
        (commands.count() > 0).then_some(valid)
    }

    /// `errors` about this text, numbered as in the original one.
    fn renumber(&self, errors: Vec<LineError>) -> Vec<LineError> {
        errors
            .into_iter()
            .map(|mut e| {
                e.line = self.lines.get(e.line.wrapping_sub(1)).copied().unwrap_or(0);
                e
            })
            .collect()
    }
}

/// A desired text refused by our parser or FRR's check.
struct Refusal<'a> {
    desired: &'a str,
    /// What was refused, by line.
    errors: Vec<LineError>,
    /// The running configuration already read.
    running: String,
}

/// Rounds of leaving refused lines out before the whole text is refused:
/// our parser names one line at a time, FRR's check all of its own.
const VALID_ROUNDS: usize = 8;

/// Refuses the text (nothing is changed), or with `--apply-valid` reloads
/// to its valid part: the refused lines (and the blocks they open) left
/// out, the rest checked again by us and by FRR, guarded, applied and
/// verified. If the rest has refused lines too, they are left out as well,
/// up to [`VALID_ROUNDS`] times. `partlyApplied` when FRR converged to the
/// rest; all refused lines are named, numbered as in the text sent.
fn refuse_or_apply_valid<V: Vtysh + Sync>(
    vtysh: &V,
    refusal: Refusal<'_>,
    settings: &Settings,
    result: &mut ApplyResult,
    timings: &mut Timings,
) -> Result<(), Error> {
    let Refusal {
        desired,
        mut errors,
        running,
    } = refusal;
    let rest = Settings {
        apply_valid: false,
        ..settings.clone()
    };
    for _ in 0..VALID_ROUNDS {
        let Some(valid) = Valid::of(desired, &errors).filter(|_| settings.apply_valid) else {
            break;
        };
        let outcome = run(vtysh, &valid.text, &rest, Some(&running), result, timings);
        match result.outcome {
            Outcome::ConversionFailed => {
                let more = valid.renumber(std::mem::take(&mut result.conversion.errors));
                errors.extend(more);
                errors.sort_by_key(|e| e.line);
                errors.dedup_by_key(|e| e.line);
            }
            Outcome::Converged => {
                result.conversion = Conversion {
                    ok: false,
                    errors: errors.clone(),
                };
                result.outcome = Outcome::PartlyApplied;
                // FRR runs the rest, not the desired configuration.
                result.reload.converged = false;
                return Err(Error::PartlyApplied(errors));
            }
            _ => {
                result.conversion = Conversion { ok: false, errors };
                return outcome;
            }
        }
    }
    Err(refused(result, errors, running))
}

/// The impact guard: refuses the first delta if it would do more to a
/// session than `limit`, before anything is applied.
fn guard(
    limit: Effect,
    first: &Step,
    result: &mut ApplyResult,
    running: &str,
) -> Result<(), Error> {
    if protocol::worst(&first.impact) <= limit {
        return Ok(());
    }
    result.outcome = Outcome::ImpactRefused;
    result.impact.clone_from(&first.impact);
    result.delta = first.delta.clone();
    result.running_config = running.to_owned();
    Err(Error::ImpactRefused {
        limit,
        impacts: first.impact.clone(),
    })
}

/// Where a reload stands once the desired configuration passed the check.
struct Converging<'a, P> {
    desired: &'a Config,
    version: FrrVersion,
    /// See [`diff_to`].
    autorp_unprinted: bool,
    /// See [`quiet_interfaces`].
    quiet: bool,
    /// The first pass's delta and script.
    first: Step,
    /// What is ready to apply it, if it is not empty.
    prepared: Option<P>,
    /// Whether the running configuration is a reused read.
    unconfirmed: bool,
}

/// Applies and verifies, pass after pass, until FRR runs the desired
/// configuration or the passes are spent; then persists it if asked.
fn converge<V: Vtysh>(
    vtysh: &V,
    converging: Converging<'_, V::Prepared>,
    mut running_text: String,
    settings: &Settings,
    result: &mut ApplyResult,
    timings: &mut Timings,
) -> Result<(), Error> {
    let Converging {
        desired,
        version,
        autorp_unprinted,
        quiet,
        first,
        mut prepared,
        mut unconfirmed,
    } = converging;
    let max_passes = MAX_PASSES + u32::from(unconfirmed);
    let mut next = Some(first);
    // Empty stanzas of active interfaces, which FRR 8.4 prints and will
    // not delete: warned about, not sent again.
    let mut kept: Vec<Command> = Vec::new();
    // `maximum-paths` lines sent and taken: one still outstanding after
    // is bgpd's multipath number, which it does not print.
    let mut taken_paths: Vec<Command> = Vec::new();
    let (last, unremovable, missing) = loop {
        let mut step = match next.take() {
            Some(first) => first,
            None => diff_to(&running_text, desired, version, autorp_unprinted, timings)?,
        };
        let unprinted: Vec<Command> = step
            .delta
            .add
            .iter()
            .filter(|c| taken_paths.contains(c))
            .cloned()
            .collect();
        if !kept.is_empty() || !unprinted.is_empty() {
            step.delta.delete.retain(|c| !kept.contains(c));
            if !unprinted.is_empty() {
                step.delta.add.retain(|c| !unprinted.contains(c));
                without_empty_address_families(&mut step.delta.add);
            }
            step.delta.stats.deletes = step.delta.delete.len();
            step.delta.stats.adds = step.delta.add.len();
            step.script = render_delta(&step.delta);
            step.delta.script.clone_from(&step.script.text);
        }
        result.reload.warnings = std::mem::take(&mut step.warnings);
        result
            .reload
            .warnings
            .extend(kept.iter().map(active_interface_warning));
        result
            .reload
            .warnings
            .extend(unprinted.iter().map(multipath_number_warning));
        let sent = result.reload.passes > 0;
        if !pending(&step.delta, sent, quiet) && unconfirmed {
            unconfirmed = false;
            running_text = read(vtysh, timings)?;
            continue;
        }
        if !pending(&step.delta, sent, quiet) || result.reload.passes == max_passes {
            break (step.delta, step.unremovable, None);
        }
        if sent {
            if let Some(missing) = only_missing(&step.delta, &step.unremovable, quiet, vtysh) {
                break (step.delta, step.unremovable, Some(missing));
            }
        }
        result.reload.passes += 1;
        let t = Instant::now();
        // Taken out after the residue check above: a held block is still
        // outstanding until a read shows it taken.
        let applied = match hold_refused_blocks(&step.delta, &result.reload.errors) {
            None => apply(vtysh, prepared.take(), &step, desired, result, &mut kept),
            Some((main, held)) => {
                let script = render_delta(&main);
                let main = Step {
                    delta: main,
                    script,
                    warnings: Vec::new(),
                    impact: Vec::new(),
                    unremovable: Vec::new(),
                };
                apply(vtysh, None, &main, desired, result, &mut kept)
                    .and_then(|()| apply_held(vtysh, held, desired, result, &mut kept))
            }
        };
        if let Err(error) = applied {
            // A timeout or a vtysh that died: what did get applied is read
            // back below and the residue reported.
            result.reload.errors.push(CommandError {
                command: Command {
                    context: vec![],
                    command: format!(
                        "(pass {} script, {} commands)",
                        result.reload.passes,
                        step.delta.delete.len() + step.delta.add.len()
                    ),
                },
                message: error.to_string(),
            });
        }
        timings.apply_ms += ms(t);
        taken_paths.extend(
            step.delta
                .add
                .iter()
                .filter(|c| {
                    is_maximum_paths(c) && !result.reload.errors.iter().any(|e| e.command == **c)
                })
                .cloned(),
        );
        crate::diff::impact::merge(&mut result.impact, step.impact);
        if result.reload.passes == 1 {
            result.delta = step.delta;
        }
        running_text = read(vtysh, timings)?;
        unconfirmed = false;
    };
    result.running_config = running_text;
    verify(last, &unremovable, missing, quiet, result, vtysh)?;
    if settings.overwrite && result.reload.passes > 0 {
        persist(vtysh)?;
    }
    result.last_reload_result = "success".to_owned();
    result.outcome = Outcome::Converged;
    Ok(())
}

/// Verify: what still differs after the last read (`last`, the delta from
/// it, and the deletes FRR cannot do, `unremovable`) is the residue; the
/// reload converged when there is none. Otherwise the daemons that would
/// take some of it and do not run, and the modules it needs that no
/// daemon loads, are named, as far as `vtysh` knows them (`missing`, when
/// the loop has asked already).
fn verify<V: Vtysh>(
    last: Delta,
    unremovable: &[Command],
    missing: Option<Missing>,
    quiet: bool,
    result: &mut ApplyResult,
    vtysh: &V,
) -> Result<(), Error> {
    result.residue = outstanding(&last, result.reload.passes > 0, quiet)
        .chain(unremovable)
        .cloned()
        .collect();
    result.reload.converged = result.residue.is_empty();
    if result.reload.passes == 0 {
        result.delta = last;
    }
    if result.reload.converged {
        return Ok(());
    }
    Err(Error::NotConverged {
        passes: result.reload.passes,
        differ: result.residue.len(),
        first: result.residue.iter().take(5).cloned().collect(),
        refused: result.reload.errors.len(),
        first_refused: result.reload.errors.first().cloned().map(Box::new),
        missing: Box::new(missing.unwrap_or_else(|| {
            crate::frr::owner::missing(&result.residue, || vtysh.daemons(), || vtysh.modules())
        })),
        unremovable: unremovable.len(),
    })
}

/// Persist: `write memory`.
fn persist<V: Vtysh>(vtysh: &V) -> Result<(), Error> {
    let output = vtysh
        .write_memory()
        .map_err(|e| Error::WriteMemory(e.to_string()))?;
    if output.status != Some(0) {
        return Err(Error::WriteMemory(output.text().trim().to_owned()));
    }
    Ok(())
}

/// One pass's delta with its script, rendered once, the warnings of the
/// boot-only lines set apart, and what it would do to sessions.
struct Step {
    delta: Delta,
    script: Script,
    warnings: Vec<String>,
    impact: Vec<Impact>,
    /// Deletes FRR cannot do, taken out of `delta` ([`unremovable`]).
    unremovable: Vec<Command>,
}

/// Diff: the delta from `running_text` to `desired` (boot-only lines set
/// apart as warnings), its script and its impact on sessions, counted in
/// the diff time. `autorp_unprinted`: pimd runs and prints AutoRP
/// discovery on as nothing (see [`crate::diff::autorp`]).
fn diff_to(
    running_text: &str,
    desired: &Config,
    version: FrrVersion,
    autorp_unprinted: bool,
    timings: &mut Timings,
) -> Result<Step, Error> {
    let t = Instant::now();
    let mut running =
        Config::parse_for(running_text, version).map_err(|e| Error::Running(Box::new(e)))?;
    if autorp_unprinted {
        crate::diff::autorp::with_pimd_running(&mut running);
    }
    let (delta, mut warnings) = without_boot_only(crate::diff::unrendered(&running, desired));
    let (mut delta, unremovable) = without_unremovable(delta);
    if version.major < 9 {
        warnings.extend(without_lo(&mut delta));
    }
    let script = render_delta(&delta);
    delta.script.clone_from(&script.text);
    let impact = crate::diff::impact::impact(&running, &delta, version);
    timings.diff_ms += ms(t);
    Ok(Step {
        delta,
        script,
        warnings,
        impact,
        unremovable,
    })
}

/// Whether `delta` has a command to send; see [`outstanding`].
fn pending(delta: &Delta, sent: bool, quiet: bool) -> bool {
    outstanding(delta, sent, quiet).next().is_some()
}

/// After a pass, when all that is outstanding in `delta` is for daemons
/// that do not run or modules no daemon loads (as far as `vtysh` knows),
/// so that another pass would send it nowhere again, or be refused again:
/// what is missing for the residue (the outstanding and `unremovable`),
/// as [`verify`] names it.
fn only_missing<V: Vtysh>(
    delta: &Delta,
    unremovable: &[Command],
    quiet: bool,
    vtysh: &V,
) -> Option<Missing> {
    let outstanding: Vec<Command> = outstanding(delta, true, quiet).cloned().collect();
    let residue: Vec<Command> = outstanding.iter().chain(unremovable).cloned().collect();
    let missing = crate::frr::owner::missing(&residue, || vtysh.daemons(), || vtysh.modules());
    crate::frr::owner::all_missing(&outstanding, &missing).then_some(missing)
}

/// The commands of `delta` that keep FRR from running the desired
/// configuration. Boot-only lines do not count. Once a pass has been
/// `sent`, neither does the opener of an empty `interface X` stanza that
/// the desired configuration has and FRR does not print: FRR prints one
/// only while a daemon other than zebra holds the interface, so a clean
/// boot with the same daemons does not print it either (nor that of an
/// empty `router pim|pim6`, see [`is_pim_router`]). The converse is
/// never hidden: an empty stanza FRR prints and the desired configuration
/// lacks is deleted, pass after pass, unless FRR refused to delete it
/// because the interface is up (FRR 8.4; see [`apply`]): it is then
/// named in a warning. Where FRR is `quiet` (see [`quiet_interfaces`])
/// an empty interface's opener never counts, so it alone does not make
/// a pass.
fn outstanding(delta: &Delta, sent: bool, quiet: bool) -> impl Iterator<Item = &Command> {
    let filled: HashSet<&str> = delta
        .add
        .iter()
        .filter_map(|c| c.context.first().map(String::as_str))
        .collect();
    let unprinted = move |c: &Command| {
        c.context.is_empty()
            && ((c.command.starts_with("interface ") && (sent || quiet))
                || (sent && is_pim_router(&c.command)))
            && !filled.contains(c.command.as_str())
    };
    let deletes = delta.delete.iter();
    let adds = delta.add.iter().filter(move |c| !unprinted(c));
    deletes.chain(adds).filter(|c| boot_only(c).is_none())
}

/// Whether FRR `version` boots an empty `interface X` stanza to nothing
/// with the `daemons` that run, so that typing one again changes nothing
/// FRR prints. FRR 10 does, whichever daemons run (measured on 10.3,
/// 10.4.3 and 10.7.1 with every daemon and frr-k8s's). FRR 8.4 does with
/// frr-k8s's and MetalLB's daemons, whose only interface node is zebra's
/// (measured: `lo` and a missing interface, typed empty, or emptied),
/// but prints it where another daemon holds the interface (every
/// daemon): there it is typed until a pass has been sent. Before: on 8.4
/// with frr-k8s's daemons, every reload of a text with an empty stanza
/// typed it again, one pass each time (topotest bgp_listen_l3vrf r1).
fn quiet_interfaces(
    version: FrrVersion,
    daemons: impl FnOnce() -> Option<Vec<&'static str>>,
) -> bool {
    version >= FrrVersion::new(10, 0)
        || daemons().is_some_and(|running| {
            running
                .iter()
                .all(|d| INTERFACE_NODE_OF_ZEBRA_ONLY.contains(d))
        })
}

/// Daemons that print no `interface X` stanza of their own on FRR 8.4
/// (see [`quiet_interfaces`]): frr-k8s's and MetalLB's set.
const INTERFACE_NODE_OF_ZEBRA_ONLY: [&str; 5] = ["zebra", "bgpd", "bfdd", "staticd", "watchfrr"];

/// Whether `line` opens `router pim|pim6 [vrf NAME]`: pimd prints the
/// stanza only with a line in it (`vty_frame`), and for an inactive VRF's
/// instance `no autorp discovery` (FRR 10.2 to 10.6), so an empty one
/// typed to make the instance is printed or not as the VRF's kernel state
/// says, on a clean boot too.
fn is_pim_router(line: &str) -> bool {
    line == "router pim"
        || line == "router pim6"
        || line.starts_with("router pim vrf ")
        || line.starts_with("router pim6 vrf ")
}

/// Read: `show running-config`, counted in the read time.
fn read<V: Vtysh>(vtysh: &V, timings: &mut Timings) -> Result<String, Error> {
    let t = Instant::now();
    let text = vtysh.running_config();
    timings.read_ms += ms(t);
    text
}

/// A top-level line FRR takes at boot only, and whether sending it at run
/// time still matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BootOnly {
    /// `hostname`, `frr version`: sending changes nothing.
    Inert,
    /// `frr defaults`: FRR keeps printing its boot profile, but the profile
    /// sent applies to the instances created after it: sent, not counted.
    Uncounted,
    /// `domainname`: FRR takes it but never prints it (8.4 to 10.7.1,
    /// measured: vtysh leaves the daemons' line out), so no read could
    /// tell it was taken, and sending it would make every reload a pass:
    /// not sent, said in a warning.
    Unprinted,
}

fn boot_only(command: &Command) -> Option<BootOnly> {
    let text = command
        .command
        .strip_prefix("no ")
        .unwrap_or(&command.command);
    if !command.context.is_empty() {
        None
    } else if text.starts_with("hostname") || text.starts_with("frr version") {
        Some(BootOnly::Inert)
    } else if text.starts_with("frr defaults") {
        Some(BootOnly::Uncounted)
    } else if text.starts_with("domainname ") {
        Some(BootOnly::Unprinted)
    } else {
        None
    }
}

/// Whether FRR cannot do the delete `command`: pimd's `no bsr
/// candidate-rp group P` (`pim_process_bsr_crp_grp_cmd`: a destroy of the
/// group-list leaf-list without the entry's value) removes nothing on FRR
/// 10.3, 10.4.3 and 10.7.1, nor does `no bsr candidate-rp` (its destroy
/// callback keeps the groups) or `no router pim` (measured): the group
/// stays printed until pimd restarts. (zebra's link bandwidths, which
/// have no `no` form either, go with their block: `diff::compare`.)
fn unremovable(command: &Command) -> bool {
    matches!(command.context.as_slice(), [router] if is_pim_router(router))
        && command.command.starts_with("no bsr candidate-rp group ")
}

/// Takes out of a delta the deletes FRR cannot do ([`unremovable`]):
/// not sent, they stay a residue.
fn without_unremovable(mut delta: Delta) -> (Delta, Vec<Command>) {
    if !delta.delete.iter().any(unremovable) {
        return (delta, Vec::new());
    }
    let (gone, kept) = std::mem::take(&mut delta.delete)
        .into_iter()
        .partition(unremovable);
    delta.delete = kept;
    delta.stats.deletes = delta.delete.len();
    (delta, gone)
}

/// Takes out of a delta what FRR does not apply at run time (`hostname`,
/// `frr version`), with a warning for each; a differing `frr defaults` is
/// kept (it shapes the instances created after it) and warned about too.
/// The delta's script is left to the caller.
fn without_boot_only(mut delta: Delta) -> (Delta, Vec<String>) {
    let warnings: Vec<String> = delta
        .add
        .iter()
        .filter_map(|c| match boot_only(c)? {
            BootOnly::Unprinted => Some(format!(
                "`{}` is not sent: FRR never prints it, so no read could show it taken; \
                 FRR takes it from frr.conf at its next start",
                c.command
            )),
            _ => Some(format!(
                "`{}` is not what FRR runs: FRR takes it at boot only",
                c.command
            )),
        })
        .collect();
    let inert = |c: &Command| matches!(boot_only(c), Some(BootOnly::Inert | BootOnly::Unprinted));
    let before = delta.delete.len() + delta.add.len();
    delta.delete.retain(|c| !inert(c));
    delta.add.retain(|c| !inert(c));
    if delta.delete.len() + delta.add.len() != before {
        delta.stats.deletes = delta.delete.len();
        delta.stats.adds = delta.add.len();
    }
    (delta, warnings)
}

/// Takes `no interface lo` out of `delta`, with a warning: FRR 8.4
/// prints lo's stanza, empty, once its lines are gone, and refuses to
/// delete it while lo is up, which it always is.
fn without_lo(delta: &mut Delta) -> Option<String> {
    let at = delta
        .delete
        .iter()
        .position(|c| c.context.is_empty() && c.command == "no interface lo")?;
    let command = delta.delete.remove(at);
    delta.stats.deletes = delta.delete.len();
    Some(active_interface_warning(&command))
}

/// Whether `command` sets an address family's `maximum-paths [ibgp] N`.
/// bgpd does not print one equal to its multipath number (the build's
/// `MULTIPATH_NUM`, or `bgpd -e`; `bgp_config_write_maxpaths`, 8.4 to
/// 10.7), which it shows nowhere: taken, and still outstanding after,
/// such a line is its default, and a clean boot would not print it
/// either. Our 10.4.3 build has 64, Debian's builds 256; topotest
/// bgp_confederation_linkbw_as_test r1 types `maximum-paths 64`.
fn is_maximum_paths(command: &Command) -> bool {
    command.context.len() == 2 && command.command.starts_with("maximum-paths ")
}

/// Takes out of `add` the openers of address families with nothing left
/// in them: bgpd prints no empty one.
fn without_empty_address_families(add: &mut Vec<Command>) {
    let holds = |opener: &Command, c: &Command| {
        c.context.len() == opener.context.len() + 1
            && c.context.starts_with(&opener.context)
            && c.context.last() == Some(&opener.command)
    };
    let empty: Vec<Command> = add
        .iter()
        .filter(|o| o.context.len() == 1 && o.command.starts_with("address-family "))
        .filter(|o| !add.iter().any(|c| holds(o, c)))
        .cloned()
        .collect();
    add.retain(|c| !empty.contains(c));
}

fn multipath_number_warning(command: &Command) -> String {
    format!(
        "`{}` is taken and not printed: it is bgpd's multipath number, its default, \
         which a clean boot does not print either",
        command.command
    )
}

/// Refused `no …` commands of one pass tried again alone, as they are,
/// when a commit failed: FRR 8.4 rejects every command grouped into a
/// failed transaction, the good with the bad.
const MAX_ALONE: usize = 16;

/// What FRR 8.4 says to `no interface X` while X is up.
const ACTIVE_INTERFACE: &str = "only inactive interfaces can be deleted";

fn active_interface_warning(command: &Command) -> String {
    let name = command.command.trim_start_matches("no interface ");
    format!(
        "`interface {name}` stays printed, with no lines: FRR deletes only inactive interfaces, \
         and {name} is up (a clean boot would not print it)"
    )
}

/// Apply: runs a pass's script. A refused `no …` command is retried
/// alone as it is when a commit failed (at most [`MAX_ALONE`] a pass),
/// then with its last word dropped, as frr-reload.py does (some `no`
/// forms take fewer arguments than the positive form), where that cannot
/// name another object ([`retry_shorter`]). A `no interface
/// X` FRR refuses because X is up goes to `kept` instead of the errors.
///
/// The first pass runs it through what was `prepared` beside FRR's check.
fn apply<V: Vtysh>(
    vtysh: &V,
    prepared: Option<V::Prepared>,
    step: &Step,
    desired: &Config,
    result: &mut ApplyResult,
    kept: &mut Vec<Command>,
) -> Result<(), Error> {
    let script = &step.script;
    let output = match prepared {
        Some(prepared) => vtysh.apply_prepared(prepared, &script.text),
        None => vtysh.apply(&script.text),
    }?;
    let commands: Vec<&Command> = step.delta.delete.iter().chain(&step.delta.add).collect();
    let script_lines: Vec<&str> = script.text.lines().collect();
    let text = output.text();
    let mut alone = if text.contains("% Configuration failed") {
        MAX_ALONE
    } else {
        0
    };
    for error in line_errors(&text) {
        let command = match script.command_at(error.line) {
            Some(i) => commands[i].clone(),
            None => Command {
                context: vec![],
                command: script_lines
                    .get(error.line.wrapping_sub(1))
                    .map_or_else(String::new, |l| l.trim().to_owned()),
            },
        };
        let mut message = error.message;
        if command.command.starts_with("no ") && alone > 0 {
            alone -= 1;
            match retry_alone(vtysh, &command) {
                None => continue,
                Some(alone) => message = alone,
            }
        }
        if command.context.is_empty()
            && command.command.starts_with("no interface ")
            && message.contains(ACTIVE_INTERFACE)
        {
            kept.push(command);
            continue;
        }
        if command.command.starts_with("no ") && retry_shorter(vtysh, &command, desired) {
            continue;
        }
        result.reload.errors.push(CommandError { command, message });
    }
    Ok(())
}

/// Splits out of `delta`'s adds each block whose opening line FRR refused
/// in an earlier pass, with all it holds: `None` when there is none, else
/// the delta without them and the blocks, a script of its own each, typed
/// after the rest ([`apply_held`]). A refused opener leaves vtysh a level
/// above the script: the block's `exit`s then leave the blocks after it
/// too, and at the top level leave configuration mode, after which vtysh
/// reads no further line (`early exit from config file`: a `bmp targets`
/// block where bgpd runs without its BMP module cost the address families
/// and VRF instances after it, pass after pass).
fn hold_refused_blocks(
    delta: &Delta,
    errors: &[CommandError],
) -> Option<(Delta, Vec<Vec<Command>>)> {
    let path = |c: &Command| {
        c.context
            .iter()
            .chain([&c.command])
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut refused: Vec<Vec<String>> = errors
        .iter()
        .map(|e| path(&e.command))
        .filter(|p| delta.add.iter().any(|c| c.context.starts_with(p)))
        .collect();
    // The outermost opener holds a block; one inside it goes with it.
    refused.sort_by_key(Vec::len);
    let mut outermost: Vec<Vec<String>> = Vec::new();
    for p in refused {
        if !outermost.iter().any(|o| p.starts_with(o)) {
            outermost.push(p);
        }
    }
    if outermost.is_empty() {
        return None;
    }
    let mut held: Vec<Vec<Command>> = vec![Vec::new(); outermost.len()];
    let mut main = Delta {
        delete: delta.delete.clone(),
        ..Delta::default()
    };
    for c in &delta.add {
        let p = path(c);
        match outermost.iter().position(|o| p.starts_with(o)) {
            Some(i) => held[i].push(c.clone()),
            None => main.add.push(c.clone()),
        }
    }
    Some((main, held))
}

/// Applies each held block ([`hold_refused_blocks`]) in a script of its
/// own, its errors reported as [`apply`] reports them.
fn apply_held<V: Vtysh>(
    vtysh: &V,
    held: Vec<Vec<Command>>,
    desired: &Config,
    result: &mut ApplyResult,
    kept: &mut Vec<Command>,
) -> Result<(), Error> {
    for add in held {
        let delta = Delta {
            add,
            ..Delta::default()
        };
        let script = render_delta(&delta);
        let step = Step {
            delta,
            script,
            warnings: Vec::new(),
            impact: Vec::new(),
            unremovable: Vec::new(),
        };
        apply(vtysh, None, &step, desired, result, kept)?;
    }
    Ok(())
}

/// Runs `command` alone: `None` when FRR took it, else FRR's message.
fn retry_alone<V: Vtysh>(vtysh: &V, command: &Command) -> Option<String> {
    let script = render(std::slice::from_ref(command));
    match vtysh.apply(&script.text) {
        Ok(output) => match line_errors(&output.text()).into_iter().next() {
            None if output.status == Some(0) => None,
            None => Some(output.text().trim().to_owned()),
            Some(error) => Some(error.message),
        },
        Err(e) => Some(e.to_string()),
    }
}

/// Top-level `no` commands whose shorter forms name the object that holds
/// what was meant: never retried shorter (see [`retry_shorter`]).
const HOLDERS: &[&str] = &[
    "no router ",
    "no interface ",
    "no vrf ",
    "no ip prefix-list ",
    "no ipv6 prefix-list ",
    "no route-map ",
    "no access-list ",
    "no ip access-list ",
    "no ipv6 access-list ",
    "no bgp as-path access-list ",
    "no bgp community-list ",
    "no bgp large-community-list ",
    "no bgp extcommunity-list ",
    "no ip msdp mesh-group ",
    "no key chain ",
    "no pbr-map ",
    "no nexthop-group ",
    "no l2vpn ",
    "no segment-routing",
    "no mpls ",
    "no bfd",
];

/// Tries `no A B C` as `no A B`, then `no A`, each alone (FRR 8.4 has no
/// `no ip msdp peer X source Y`, only `no ip msdp peer X`). Never where a
/// shorter form names the object that holds what was meant ([`HOLDERS`]:
/// `no router bgp 64500 view one`, refused by FRR 10.3, became `no router
/// bgp 64500`, which deleted the default instance the same pass had
/// made; `no ip prefix-list L seq 5 …` would become `no ip prefix-list
/// L`), and never down to `no neighbor X`, which deletes the peer a `no
/// neighbor X ATTRIBUTE` was about. Nor down to a form that `desired`
/// keeps a line or block of in the same context: in `router ospf`, `no
/// segment-routing prefix 192.0.2.4/32 index 40` is never tried as `no
/// segment-routing`, which turns segment routing off (and crashed ospfd
/// 8.4 where the text keeps `segment-routing on`), nor `no mpls-te
/// router-address 192.0.2.4` as `no mpls-te`.
fn retry_shorter<V: Vtysh>(vtysh: &V, command: &Command, desired: &Config) -> bool {
    if command.context.is_empty() && HOLDERS.iter().any(|h| command.command.starts_with(h)) {
        return false;
    }
    let mut words: Vec<&str> = command.command.split(' ').collect();
    while words.len() > 2 {
        words.pop();
        if words.len() == 3 && words[1] == "neighbor" {
            return false;
        }
        if keeps_under(desired, &command.context, &words[1..].join(" ")) {
            return false;
        }
        let shorter = Command {
            context: command.context.clone(),
            command: words.join(" "),
        };
        let script = render(std::slice::from_ref(&shorter));
        match vtysh.apply(&script.text) {
            Ok(output) if line_errors(&output.text()).is_empty() && output.status == Some(0) => {
                return true
            }
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

/// Whether `config` has, in the context `context`, a line or a block
/// whose opening line is `stem` or starts with `stem` and a space: what `no
/// STEM` would delete too.
fn keeps_under(config: &Config, context: &[String], stem: &str) -> bool {
    let named = |line: &str| {
        line.strip_prefix(stem)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let lines = config
        .contexts
        .get(context)
        .is_some_and(|ctx| ctx.lines.iter().any(|line| named(line)));
    lines
        || config.contexts.keys().any(|key| {
            key.len() == context.len() + 1 && key.starts_with(context) && named(&key[context.len()])
        })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    use super::*;
    use crate::config::with_running_profile;
    use crate::frr::Output;
    use crate::Error;

    /// A fake FRR: records the scripts it is sent; each turns the running
    /// configuration into the next of `after_apply` (while there is one).
    struct Fake {
        running: Mutex<String>,
        after_apply: Mutex<Vec<String>>,
        scripts: Mutex<Vec<String>>,
        reads: AtomicUsize,
        dry_runs: AtomicUsize,
        dry_run_output: Output,
        /// The scripts prepared for, and how many went through
        /// [`Vtysh::apply_prepared`].
        prepared: Mutex<Vec<String>>,
        through_prepared: AtomicUsize,
        /// What [`Vtysh::daemons`] answers.
        daemons: Option<Vec<&'static str>>,
        /// What [`Vtysh::modules`] answers, and how often it was asked.
        modules: Option<Vec<String>>,
        modules_asked: Mutex<usize>,
        /// Verdicts kept "from earlier runs": (text, `frr version` line).
        kept: Mutex<Vec<(String, String)>>,
        /// Blocks kept "from an earlier run": their `frr version` line.
        kept_blocks: Option<String>,
        /// A script line containing this is refused.
        refuse: Option<&'static str>,
        /// Whether those blocks are taken up now, and whether they were
        /// at each dry run.
        seeded: Mutex<bool>,
        dry_runs_seeded: Mutex<Vec<bool>>,
    }

    /// What the fake gets ready: the script it was prepared for.
    #[derive(Default)]
    struct Ready(Option<String>);

    impl Fake {
        fn new(running: &str) -> Fake {
            Fake {
                running: Mutex::new(running.into()),
                after_apply: Mutex::new(vec![]),
                scripts: Mutex::new(vec![]),
                reads: AtomicUsize::new(0),
                dry_runs: AtomicUsize::new(0),
                dry_run_output: Output {
                    status: Some(0),
                    ..Output::default()
                },
                prepared: Mutex::new(vec![]),
                through_prepared: AtomicUsize::new(0),
                daemons: None,
                modules: None,
                modules_asked: Mutex::new(0),
                kept: Mutex::new(vec![]),
                kept_blocks: None,
                refuse: None,
                seeded: Mutex::new(false),
                dry_runs_seeded: Mutex::new(vec![]),
            }
        }
    }

    impl Vtysh for Fake {
        type Prepared = Ready;

        fn prepare_apply(&self, script: &str) -> Ready {
            self.prepared.lock().unwrap().push(script.into());
            Ready(Some(script.into()))
        }
        fn apply_prepared(&self, ready: Ready, script: &str) -> Result<Output, Error> {
            assert_eq!(ready.0.as_deref(), Some(script), "prepared for another");
            self.through_prepared.fetch_add(1, Ordering::Relaxed);
            self.apply(script)
        }
        fn running_config(&self) -> Result<String, Error> {
            self.reads.fetch_add(1, Ordering::Relaxed);
            Ok(self.running.lock().unwrap().clone())
        }
        fn show_version(&self) -> Result<String, Error> {
            Ok("FRRouting 8.4.4".into())
        }
        fn dry_run(&self, _config: &str) -> Result<Output, Error> {
            self.dry_runs.fetch_add(1, Ordering::Relaxed);
            let seeded = *self.seeded.lock().unwrap();
            self.dry_runs_seeded.lock().unwrap().push(seeded);
            Ok(self.dry_run_output.clone())
        }
        fn apply(&self, script: &str) -> Result<Output, Error> {
            self.scripts.lock().unwrap().push(script.into());
            let mut after_apply = self.after_apply.lock().unwrap();
            if !after_apply.is_empty() {
                *self.running.lock().unwrap() = after_apply.remove(0);
            }
            let refused = self
                .refuse
                .and_then(|r| script.lines().position(|l| l.contains(r)));
            Ok(Output {
                status: Some(u8::from(refused.is_some()).into()),
                stderr: refused
                    .map(|at| format!("line {}: % Maxpaths Specified\n", at + 1))
                    .unwrap_or_default(),
                ..Output::default()
            })
        }
        fn write_memory(&self) -> Result<Output, Error> {
            self.scripts.lock().unwrap().push("write memory".into());
            Ok(Output {
                status: Some(0),
                ..Output::default()
            })
        }
        fn kept_check(&self, config: &str) -> Option<String> {
            let kept = self.kept.lock().unwrap();
            kept.iter()
                .find(|(t, _)| t == config)
                .map(|(_, v)| v.clone())
        }
        fn keep_check(&self, config: &str, version: &str) {
            let mut kept = self.kept.lock().unwrap();
            kept.retain(|(t, _)| t != config);
            kept.push((config.into(), version.into()));
        }
        fn take_up_kept_blocks(&self) -> Option<String> {
            let version = self.kept_blocks.clone()?;
            *self.seeded.lock().unwrap() = true;
            Some(version)
        }
        fn forget_checks(&self) {
            *self.seeded.lock().unwrap() = false;
        }
        fn daemons(&self) -> Option<Vec<&'static str>> {
            self.daemons.clone()
        }
        fn modules(&self) -> Option<Vec<String>> {
            *self.modules_asked.lock().unwrap() += 1;
            self.modules.clone()
        }
    }

    /// A vtysh that refuses every script, and keeps them.
    #[derive(Default)]
    struct Refusing(Mutex<Vec<String>>);

    impl Vtysh for Refusing {
        type Prepared = ();

        fn running_config(&self) -> Result<String, Error> {
            Ok(String::new())
        }
        fn show_version(&self) -> Result<String, Error> {
            Ok(String::new())
        }
        fn dry_run(&self, _config: &str) -> Result<Output, Error> {
            Ok(Output::default())
        }
        fn apply(&self, script: &str) -> Result<Output, Error> {
            self.0.lock().unwrap().push(script.into());
            Ok(Output {
                status: Some(1),
                stderr: "line 1: % Unknown command: x\n".into(),
                ..Output::default()
            })
        }
        fn write_memory(&self) -> Result<Output, Error> {
            Ok(Output::default())
        }
    }

    #[test]
    fn a_shorter_no_form_never_names_another_object() {
        let refusing = Refusing::default();
        let top = |command: &str| Command {
            context: vec![],
            command: command.into(),
        };
        for command in [
            "no router bgp 64500 view one",
            "no ip prefix-list L seq 5 permit any",
        ] {
            assert!(!retry_shorter(&refusing, &top(command), &Config::default()));
        }
        assert!(refusing.0.lock().unwrap().is_empty(), "nothing tried");
        assert!(!retry_shorter(
            &refusing,
            &top("no ip msdp peer 192.0.2.4 source 192.0.2.5"),
            &Config::default()
        ));
        let tried = std::mem::take(&mut *refusing.0.lock().unwrap()).join("");
        assert!(tried.contains("no ip msdp peer 192.0.2.4\n"), "{tried}");
        let attribute = Command {
            context: vec!["router bgp 64500".into()],
            command: "no neighbor 192.0.2.1 timers connect 5".into(),
        };
        assert!(!retry_shorter(&refusing, &attribute, &Config::default()));
        let tried = refusing.0.lock().unwrap().join("");
        assert!(
            tried.contains(" no neighbor 192.0.2.1 timers connect\n"),
            "{tried}"
        );
        assert!(tried.contains(" no neighbor 192.0.2.1 timers\n"), "{tried}");
        assert!(!tried.contains(" no neighbor 192.0.2.1\n"), "{tried}");
    }

    #[test]
    fn blocks_whose_opener_was_refused_are_held_each_apart() {
        let command = |context: &[&str], command: &str| Command {
            context: context.iter().map(|c| (*c).to_owned()).collect(),
            command: command.into(),
        };
        let bgp = "router bgp 1";
        let add = vec![
            command(&[bgp], "bmp targets T"),
            command(
                &[bgp, "bmp targets T"],
                "bmp monitor ipv4 unicast pre-policy",
            ),
            command(&[bgp], "address-family ipv4 vpn"),
            command(
                &[bgp, "address-family ipv4 vpn"],
                "neighbor 192.0.2.2 activate",
            ),
            command(&[], "router bgp 1 vrf v"),
            command(&["router bgp 1 vrf v"], "bgp router-id 192.0.2.1"),
        ];
        let delta = Delta {
            add: add.clone(),
            ..Delta::default()
        };
        let refused = |c: &Command| CommandError {
            command: c.clone(),
            message: "% Unknown command".into(),
        };
        assert!(hold_refused_blocks(&delta, &[]).is_none());
        // A refused line that opens nothing holds nothing.
        assert!(hold_refused_blocks(&delta, &[refused(&add[5])]).is_none());
        let errors = [refused(&add[0]), refused(&add[1]), refused(&add[2])];
        let (main, held) = hold_refused_blocks(&delta, &errors).unwrap();
        assert_eq!(main.add, add[4..]);
        assert_eq!(held, [add[..2].to_vec(), add[2..4].to_vec()]);
    }

    #[test]
    fn a_shorter_no_form_never_deletes_what_the_text_keeps() {
        let desired = Config::parse(
            "router ospf\n segment-routing on\n segment-routing prefix 192.0.2.5/32 index 50\n mpls-te on\n mpls-te router-address 192.0.2.5\nexit\n",
        )
        .unwrap();
        let in_ospf = |command: &str| Command {
            context: vec!["router ospf".into()],
            command: command.into(),
        };
        let refusing = Refusing::default();
        let sr = "no segment-routing prefix 192.0.2.4/32 index 40 no-php-flag";
        assert!(!retry_shorter(&refusing, &in_ospf(sr), &desired));
        let tried = std::mem::take(&mut *refusing.0.lock().unwrap()).join("");
        assert!(
            tried.contains(" no segment-routing prefix 192.0.2.4/32\n"),
            "{tried}"
        );
        assert!(!tried.contains(" no segment-routing prefix\n"), "{tried}");
        assert!(!tried.contains(" no segment-routing\n"), "{tried}");
        let te = "no mpls-te router-address 192.0.2.4";
        assert!(!retry_shorter(&refusing, &in_ospf(te), &desired));
        assert!(
            refusing.0.lock().unwrap().is_empty(),
            "`no mpls-te router-address` names the kept line"
        );
        // Where the text keeps nothing under the shorter form, it is tried.
        let alone = Config::parse("router ospf\n ospf router-id 192.0.2.5\nexit\n").unwrap();
        assert!(!retry_shorter(&refusing, &in_ospf(te), &alone));
        let tried = refusing.0.lock().unwrap().join("");
        assert!(tried.contains(" no mpls-te\n"), "{tried}");
    }

    #[test]
    fn a_shorter_no_form_never_deletes_a_kept_block() {
        let desired = Config::parse(
            "router bgp 1\n address-family l2vpn evpn\n  vni 10\n   rd 192.0.2.1:10\n  exit-vni\n exit-address-family\nexit\n",
        )
        .unwrap();
        let command = Command {
            context: vec!["router bgp 1".into(), "address-family l2vpn evpn".into()],
            command: "no vni 10 extra words".into(),
        };
        let refusing = Refusing::default();
        assert!(!retry_shorter(&refusing, &command, &desired));
        let tried = refusing.0.lock().unwrap().join("");
        assert!(tried.contains("  no vni 10 extra\n"), "{tried}");
        assert!(!tried.contains("  no vni 10\n"), "{tried}");
    }

    const DESIRED: &str = "hostname node1\nip prefix-list L seq 5 permit any\n";

    #[test]
    fn identical_config_sends_no_command() {
        let fake = Fake::new("hostname node1\nip prefix-list L seq 5 permit any\n");
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(result.reload.converged);
        assert_eq!(result.last_reload_result, "success");
        assert_eq!(result.reload.passes, 0);
        assert!(fake.scripts.lock().unwrap().is_empty());
        assert_eq!(
            fake.dry_runs.load(Ordering::Relaxed),
            1,
            "checked by FRR even so"
        );
    }

    #[test]
    fn converges_after_one_pass_and_writes_memory() {
        let fake = Fake::new("hostname vm\nip prefix-list L seq 5 deny any\n");
        *fake.after_apply.lock().unwrap() =
            vec!["hostname vm\nip prefix-list L seq 5 permit any\n".into()];
        let settings = Settings {
            overwrite: true,
            ..Settings::default()
        };
        let result = reload(&fake, DESIRED, &settings);
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(
            result.reload.passes,
            1,
            "{:?}",
            fake.scripts.lock().unwrap()
        );
        assert_eq!(result.delta.stats.replaced_in_place, 1);
        // `hostname` changes nothing at run time: not sent, a warning.
        assert_eq!(
            fake.scripts.lock().unwrap()[0],
            "ip prefix-list L seq 5 permit any\n"
        );
        assert_eq!(fake.scripts.lock().unwrap().last().unwrap(), "write memory");
        assert_eq!(
            fake.dry_runs.load(Ordering::Relaxed),
            1,
            "checked by FRR once, before the change"
        );
        assert_eq!(
            result.reload.warnings.len(),
            1,
            "hostname is a warning: {:?}",
            result.reload.warnings
        );
    }

    #[test]
    fn a_vtysh_command_never_reaches_vtysh() {
        let fake = Fake::new("ip prefix-list L seq 5 deny any\n");
        let desired = "ip prefix-list L seq 5 permit any\n outp file /tmp/x\ndo list\n";
        let result = reload(&fake, desired, &Settings::default());
        assert_eq!(result.outcome, Outcome::ConversionFailed);
        let errors = &result.conversion.errors;
        assert_eq!(
            (errors[0].line, errors[0].text.as_str()),
            (2, "outp file /tmp/x")
        );
        // The check, which runs beside the parse, refuses it on its own.
        let checked = check_with_frr(&fake, desired, false).unwrap_err();
        assert_eq!(checked, *errors);
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 0, "not even checked");
        assert!(fake.scripts.lock().unwrap().is_empty());
    }

    #[test]
    fn a_reused_read_replaces_the_first_read_only() {
        let fake = Fake::new("ip prefix-list L seq 5 deny any\n");
        *fake.after_apply.lock().unwrap() = vec![DESIRED.into()];
        let last_read = "ip prefix-list L seq 5 deny any\n";
        let result = reload_from(&fake, DESIRED, &Settings::default(), Some(last_read));
        assert!(result.reload.converged, "{result:?}");
        assert!(result.reload.reused_read);
        assert_eq!(result.reload.passes, 1);
        assert_eq!(fake.reads.load(Ordering::Relaxed), 1, "the verifying read");
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 1);
        assert_eq!(result.running_config, DESIRED);
    }

    #[test]
    fn an_out_of_date_reused_read_costs_a_pass_not_the_outcome() {
        // Someone added list M since the last read: the first pass does not
        // know of it, the verifying read shows it, the next pass removes it.
        let fake = Fake::new("ip prefix-list L seq 5 deny any\nip prefix-list M seq 5 deny any\n");
        *fake.after_apply.lock().unwrap() = vec![
            "ip prefix-list L seq 5 permit any\nip prefix-list M seq 5 deny any\n".into(),
            "ip prefix-list L seq 5 permit any\n".into(),
        ];
        let last_read = "ip prefix-list L seq 5 deny any\n";
        let desired = "ip prefix-list L seq 5 permit any\n";
        let result = reload_from(&fake, desired, &Settings::default(), Some(last_read));
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 2);
        let scripts = fake.scripts.lock().unwrap();
        assert!(!scripts[0].contains("prefix-list M"), "{scripts:?}");
        assert!(scripts[1].contains("no ip prefix-list M"), "{scripts:?}");
    }

    #[test]
    fn a_reused_read_is_confirmed_before_a_no_op_is_reported() {
        // The last read says FRR runs the desired text; it no longer does.
        let fake = Fake::new("ip prefix-list L seq 5 deny any\n");
        *fake.after_apply.lock().unwrap() = vec![DESIRED.into()];
        let result = reload_from(&fake, DESIRED, &Settings::default(), Some(DESIRED));
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 1, "the fresh read showed the change");
        assert_eq!(fake.reads.load(Ordering::Relaxed), 2);

        // And when it does, one read and no command.
        let fake = Fake::new(DESIRED);
        let result = reload_from(&fake, DESIRED, &Settings::default(), Some(DESIRED));
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 0);
        assert_eq!(fake.reads.load(Ordering::Relaxed), 1);
        assert!(fake.scripts.lock().unwrap().is_empty());
    }

    #[test]
    fn an_empty_text_is_refused_whatever_the_running_profile() {
        let fake = Fake::new("frr defaults traditional\nip prefix-list L seq 5 deny any\n");
        for text in ["", "\n\n", "!\n"] {
            let result = reload(&fake, text, &Settings::default());
            assert_eq!(result.outcome, Outcome::ConversionFailed, "{text:?}");
            assert!(
                result.last_reload_result.contains("empty file"),
                "{result:?}"
            );
        }
        assert!(fake.scripts.lock().unwrap().is_empty());
    }

    #[test]
    fn domainname_is_never_sent_and_said_so() {
        // FRR takes it but never prints it (8.4 to 10.7.1).
        let running = "frr version 10.4.3\nip prefix-list L seq 5 deny any\n";
        let fake = Fake::new(running);
        let desired = "domainname localdomain\nip prefix-list L seq 5 deny any\n";
        let result = reload(&fake, desired, &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 0, "{result:?}");
        assert!(fake.scripts.lock().unwrap().is_empty());
        assert!(
            result
                .reload
                .warnings
                .iter()
                .any(|w| w.contains("`domainname localdomain` is not sent")),
            "{:?}",
            result.reload.warnings
        );
    }

    #[test]
    fn a_text_of_defaults_only_is_a_configuration_not_an_empty_file() {
        // pimd 10.2-10.6 runs AutoRP discovery with nothing typed, so the
        // parse drops the typed line and no context is left; the text
        // still asks for a FRR without the prefix-list.
        let running =
            "frr version 10.4.3\nfrr defaults traditional\nip prefix-list L seq 5 deny any\n";
        let fake = Fake::new(running);
        *fake.after_apply.lock().unwrap() =
            vec!["frr version 10.4.3\nfrr defaults traditional\n".into()];
        let result = reload(
            &fake,
            "router pim\n autorp discovery\n",
            &Settings::default(),
        );
        assert!(result.reload.converged, "{result:?}");
        let scripts = fake.scripts.lock().unwrap();
        assert!(
            scripts.iter().any(|s| s.contains("no ip prefix-list L")),
            "{scripts:?}"
        );
    }

    #[test]
    fn running_profile_decides_the_defaults() {
        // FRR booted with the datacenter profile; the desired configuration
        // states no profile and restates one of its defaults.
        let fake = Fake::new("frr defaults datacenter\nrouter bgp 1\nexit\n");
        let desired = "router bgp 1\n no bgp ebgp-requires-policy\n";
        let result = reload(&fake, desired, &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert!(fake.scripts.lock().unwrap().is_empty());
        assert_eq!(
            with_running_profile("frr defaults datacenter\n", "router bgp 1"),
            "router bgp 1\nfrr defaults datacenter\n"
        );
        assert_eq!(
            with_running_profile("frr defaults datacenter\n", "frr defaults traditional\n"),
            "frr defaults traditional\n"
        );
    }

    #[test]
    fn the_profile_line_read_after_the_text_is_the_text_with_it_appended() {
        let running = "frr defaults datacenter\nrouter bgp 1\nexit\n";
        let version = FrrVersion::default();
        for desired in [
            "router bgp 1\n no bgp ebgp-requires-policy\n",
            "router bgp 1\n no bgp ebgp-requires-policy",
            "! only a comment\nip prefix-list L seq 5 permit any",
        ] {
            let mut timings = Timings::default();
            let read = validate(desired, running, version, &mut timings).unwrap();
            let appended = with_running_profile(running, desired);
            assert!(
                appended.ends_with("frr defaults datacenter\n"),
                "{appended}"
            );
            let whole = Config::parse_for(&appended, version).unwrap();
            assert_eq!(read.contexts, whole.contexts, "{desired:?}");
        }
        // Errors name the line of the text, and the profile alone is empty.
        let mut timings = Timings::default();
        let refused = validate(
            "ip prefix-list L seq 5 permit any\noutput file /tmp/x\n",
            running,
            version,
            &mut timings,
        )
        .unwrap_err();
        assert_eq!(refused[0].line, 2, "{refused:?}");
        let bad = validate("! nothing\n", running, version, &mut timings).unwrap_err();
        assert!(bad[0].message.contains("empty"), "{bad:?}");
    }

    #[test]
    fn never_reports_success_without_convergence() {
        // FRR silently ignores everything: the residue is reported.
        let fake = Fake::new("ip prefix-list L seq 5 deny any\n");
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(!result.reload.converged);
        assert_eq!(result.reload.passes, MAX_PASSES);
        assert_eq!(result.residue.len(), 1);
        assert!(
            result
                .last_reload_result
                .starts_with("not converged after 2 passes"),
            "{}",
            result.last_reload_result
        );
    }

    #[test]
    fn a_residue_names_the_daemons_that_would_take_it_and_do_not_run() {
        // frr-k8s's daemons, and a text with OSPF: vtysh sends it nowhere.
        let desired = "interface eth0\n ip address 192.0.2.1/24\n ip ospf area 0\nexit\n\
                       router ospf\n ospf router-id 192.0.2.1\nexit\n";
        let running = "interface eth0\n ip address 192.0.2.1/24\nexit\n";
        let mut fake = Fake::new(running);
        fake.daemons = Some(vec!["zebra", "bgpd", "staticd", "bfdd"]);
        let result = reload(&fake, desired, &Settings::default());
        assert!(!result.reload.converged);
        assert!(
            result
                .last_reload_result
                .ends_with("; 3 of them are for daemons that do not run: ospfd (3)"),
            "{}",
            result.last_reload_result
        );
        // All of it is for ospfd: a second pass would send it nowhere again.
        assert_eq!(result.reload.passes, 1);
        // Where every daemon that takes it runs, or vtysh cannot tell, no
        // daemon is named, and the passes go on.
        for daemons in [Some(vec!["zebra", "ospfd"]), None] {
            fake.daemons = daemons;
            let result = reload(&fake, desired, &Settings::default());
            assert!(
                !result.last_reload_result.contains("do not run"),
                "{}",
                result.last_reload_result
            );
            assert_eq!(result.reload.passes, MAX_PASSES);
        }
    }

    #[test]
    fn a_residue_names_the_modules_it_needs_that_no_daemon_loads() {
        // FRR 10 without an SNMP module drops `agentx` without a word.
        let desired = "agentx\nip prefix-list L seq 5 permit any\n";
        let mut fake = Fake::new("");
        fake.modules = Some(vec!["libfrr".into(), "zebra".into(), "bgpd".into()]);
        let result = reload(&fake, desired, &Settings::default());
        assert!(!result.reload.converged);
        assert!(
            result
                .last_reload_result
                .ends_with("; 1 of them need a module no daemon loads (-M): snmp (1)"),
            "{}",
            result.last_reload_result
        );
        // A daemon loads it (so FRR has another reason), or vtysh cannot
        // tell: no module is named.
        for modules in [Some(vec!["zebra".into(), "zebra_snmp".into()]), None] {
            fake.modules = modules;
            let result = reload(&fake, desired, &Settings::default());
            assert!(
                !result.last_reload_result.contains("module"),
                "{}",
                result.last_reload_result
            );
        }
        // A residue without a module's line does not ask.
        let asked = *fake.modules_asked.lock().unwrap();
        let result = reload(
            &fake,
            "ip prefix-list L seq 5 permit any\n",
            &Settings::default(),
        );
        assert!(!result.reload.converged);
        assert_eq!(*fake.modules_asked.lock().unwrap(), asked);
        // All of it needs the module: one pass, and what is missing is
        // asked once, for the early stop and the report.
        fake.modules = Some(vec!["zebra".into()]);
        let result = reload(&fake, "agentx\n", &Settings::default());
        assert_eq!(result.reload.passes, 1);
        assert!(
            result.last_reload_result.ends_with("snmp (1)"),
            "{}",
            result.last_reload_result
        );
        assert_eq!(*fake.modules_asked.lock().unwrap(), asked + 1);
    }

    #[test]
    fn a_maximum_paths_taken_and_not_printed_is_bgpds_multipath_number() {
        // bgpd prints nothing for it: the running configuration stays.
        let running = "router bgp 64512\nexit\n";
        let desired = "router bgp 64512\n address-family ipv4 unicast\n  maximum-paths 64\n \
                       exit-address-family\nexit\n";
        let mut fake = Fake::new(running);
        let result = reload(&fake, desired, &Settings::default());
        assert!(result.reload.converged, "{}", result.last_reload_result);
        assert_eq!(result.reload.passes, 1);
        assert_eq!(
            result.reload.warnings,
            [
                "`maximum-paths 64` is taken and not printed: it is bgpd's multipath number, \
              its default, which a clean boot does not print either"
            ]
        );
        // Refused (over the multipath number): not converged, no warning.
        fake.refuse = Some("maximum-paths");
        let result = reload(&fake, desired, &Settings::default());
        assert!(!result.reload.converged);
        assert_eq!(result.reload.passes, MAX_PASSES);
        assert!(
            result.reload.warnings.is_empty(),
            "{:?}",
            result.reload.warnings
        );
    }

    #[test]
    fn an_empty_interface_frr_still_prints_is_deleted_again() {
        // ripngd keeps `interface r1-eth0` after the first `no interface`;
        // the second pass sends it again and only then is it gone.
        let fake = Fake::new(
            "interface r1-eth0\n ipv6 address 2001:db8:1::1/64\nexit\nrouter ripng\nexit\n",
        );
        *fake.after_apply.lock().unwrap() = vec![
            "interface r1-eth0\nexit\nrouter ripng\nexit\n".into(),
            "router ripng\nexit\n".into(),
        ];
        let result = reload(&fake, "router ripng\n", &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 2);
        assert_eq!(
            fake.scripts.lock().unwrap()[1],
            "no interface r1-eth0\n",
            "the residue sees the empty stanza"
        );
    }

    /// FRR 8.4 with eth0 up: a script deleting eth0's stanza fails as a
    /// whole transaction (every `no interface` of it refused); alone,
    /// another interface's deletion goes through, eth0's does not.
    struct Up(Fake);

    impl Vtysh for Up {
        type Prepared = ();

        fn prepare_apply(&self, _script: &str) {}
        fn apply_prepared(&self, _ready: (), script: &str) -> Result<Output, Error> {
            self.apply(script)
        }
        fn running_config(&self) -> Result<String, Error> {
            self.0.running_config()
        }
        fn show_version(&self) -> Result<String, Error> {
            self.0.show_version()
        }
        fn dry_run(&self, config: &str) -> Result<Output, Error> {
            self.0.dry_run(config)
        }
        fn apply(&self, script: &str) -> Result<Output, Error> {
            self.0.scripts.lock().unwrap().push(script.into());
            if !script.contains("no interface eth0") {
                let mut running = self.0.running.lock().unwrap();
                *running = running.replace("interface r1-eth7\nexit\n", "");
                return Ok(Output {
                    status: Some(0),
                    ..Output::default()
                });
            }
            let errors: String = (1..=script.lines().count())
                .map(|n| format!("line {n}: {ACTIVE_INTERFACE}\n"))
                .collect();
            Ok(Output {
                status: Some(0),
                stdout: format!("% Configuration failed.\n{errors}"),
                ..Output::default()
            })
        }
        fn write_memory(&self) -> Result<Output, Error> {
            self.0.write_memory()
        }
    }

    #[test]
    fn an_up_interface_frr_will_not_delete_is_a_warning_not_a_residue() {
        let running = "interface eth0\nexit\ninterface r1-eth7\nexit\nrouter ripng\nexit\n";
        let fake = Up(Fake::new(running));
        let result = reload(&fake, "router ripng\n", &Settings::default());
        assert!(result.reload.converged, "{result:#?}");
        assert!(result.reload.errors.is_empty(), "{result:#?}");
        assert_eq!(result.reload.warnings.len(), 1, "{result:#?}");
        assert!(result.reload.warnings[0].starts_with("`interface eth0` stays printed"));
        // The pass, then each refused command alone: r1-eth7 goes.
        let scripts = fake.0.scripts.lock().unwrap().clone();
        assert_eq!(
            scripts,
            [
                "no interface r1-eth7\nno interface eth0\n",
                "no interface r1-eth7\n",
                "no interface eth0\n",
            ]
        );
        assert!(!result.running_config.contains("r1-eth7"));
    }

    #[test]
    fn lo_s_empty_stanza_is_not_deleted_on_frr_8() {
        let fake = Fake::new("interface lo\nexit\nrouter ripng\nexit\n");
        let result = reload(&fake, "router ripng\n", &Settings::default());
        assert!(result.reload.converged, "{result:#?}");
        assert_eq!(result.reload.passes, 0);
        assert!(fake.scripts.lock().unwrap().is_empty());
        assert!(result.reload.warnings[0].starts_with("`interface lo` stays printed"));
        // FRR 10 prints none for lo, up: one it prints is deleted.
        let fake = Fake::new("frr version 10.4.3\ninterface lo\nexit\nrouter ripng\nexit\n");
        let result = reload(&fake, "router ripng\n", &Settings::default());
        assert_eq!(
            fake.scripts.lock().unwrap()[0],
            "no interface lo\n",
            "{result:#?}"
        );
    }

    #[test]
    fn an_empty_interface_frr_keeps_printing_is_a_residue() {
        let fake = Fake::new("interface r1-eth0\nexit\nrouter ripng\nexit\n");
        let result = reload(&fake, "router ripng\n", &Settings::default());
        assert!(!result.reload.converged);
        assert_eq!(result.residue.len(), 1, "{:?}", result.residue);
        assert_eq!(result.residue[0].command, "no interface r1-eth0");
    }

    #[test]
    fn a_desired_empty_interface_is_sent_once_frr_need_not_print_it() {
        // zebra alone prints no empty stanza: sent, then not a residue.
        let fake = Fake::new("router ripng\nexit\n");
        let result = reload(
            &fake,
            "interface eth9\nrouter ripng\n",
            &Settings::default(),
        );
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 1);
        assert_eq!(fake.scripts.lock().unwrap()[0], "interface eth9\n");
        // With a line in it, it is a residue like any other.
        let fake = Fake::new("router ripng\nexit\n");
        let result = reload(
            &fake,
            "interface eth9\n description x\n",
            &Settings::default(),
        );
        assert!(!result.reload.converged);
    }

    #[test]
    fn an_empty_interface_alone_is_not_typed_where_frr_10_never_prints_it() {
        let fake = Fake::new("frr version 10.4.3\nrouter ripng\nexit\n");
        let result = reload(
            &fake,
            "interface eth9\nrouter ripng\n",
            &Settings::default(),
        );
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 0);
        assert!(fake.scripts.lock().unwrap().is_empty());
    }

    #[test]
    fn a_candidate_rp_group_frr_cannot_remove_is_a_residue_never_sent() {
        let fake = Fake::new(
            "frr version 10.4.3\nrouter pim\n bsr candidate-rp group 239.0.0.0/8\n \
             rp 10.0.0.1 224.0.0.0/4\nexit\n",
        );
        let result = reload(
            &fake,
            "router pim\n rp 10.0.0.1 224.0.0.0/4\n",
            &Settings::default(),
        );
        assert!(!result.reload.converged);
        assert_eq!(result.reload.passes, 0, "{result:?}");
        assert!(fake.scripts.lock().unwrap().is_empty());
        assert_eq!(result.residue.len(), 1, "{:?}", result.residue);
        assert_eq!(
            result.residue[0].command,
            "no bsr candidate-rp group 239.0.0.0/8"
        );
        assert!(
            result
                .last_reload_result
                .contains("1 of them are deletes FRR cannot do while it runs"),
            "{}",
            result.last_reload_result
        );
    }

    fn refused(lines: &[usize]) -> Vec<LineError> {
        lines
            .iter()
            .map(|&line| LineError {
                line,
                text: String::new(),
                message: "% Unknown command".into(),
            })
            .collect()
    }

    #[test]
    fn the_valid_part_leaves_out_refused_lines_and_the_blocks_they_open() {
        let text = "ip prefix-list A seq 5 permit any
router bgp 64512 vrf bogus
 neighbor 192.0.2.2 remote-as 64513
 address-family ipv4 unicast
  network 192.0.2.0/24
 exit-address-family
exit
bogus line
router bgp 64512
 neighbor 192.0.2.3 remote-as 64513
 neighbor 192.0.2.3 bogus
exit
";
        let valid = Valid::of(text, &refused(&[2, 8, 11])).unwrap();
        assert_eq!(
            valid.text,
            "ip prefix-list A seq 5 permit any
router bgp 64512
 neighbor 192.0.2.3 remote-as 64513
exit
"
        );
        assert_eq!(valid.lines, vec![1, 9, 10, 12]);
        let renumbered = valid.renumber(refused(&[2, 3]));
        assert_eq!(renumbered[0].line, 9);
        assert_eq!(renumbered[1].line, 10);
        // Nothing left, or an error without a line: no valid part.
        assert!(Valid::of("bogus\n!\n", &refused(&[1])).is_none());
        let mut unnamed = refused(&[1]);
        unnamed[0].line = 0;
        assert!(Valid::of(text, &unnamed).is_none());
    }

    #[test]
    fn rejected_config_changes_nothing() {
        let mut fake = Fake::new("ip prefix-list L seq 5 deny any\n");
        fake.dry_run_output = Output {
            status: Some(2),
            stdout: String::new(),
            stderr: "line 2: % Unknown command[4]: bogus\n".into(),
        };
        let result = reload(&fake, "hostname a\nbogus\n", &Settings::default());
        assert!(!result.conversion.ok);
        assert_eq!(result.conversion.errors[0].line, 2);
        assert_eq!(result.conversion.errors[0].text, "bogus");
        assert_eq!(
            result.last_reload_result,
            "configuration rejected: line 2: % Unknown command[4]: bogus: bogus"
        );
        assert!(fake.scripts.lock().unwrap().is_empty());
    }

    #[test]
    fn a_failed_apply_still_reads_back_and_reports_the_residue() {
        struct Hanging(Fake);
        impl Vtysh for Hanging {
            type Prepared = ();

            fn running_config(&self) -> Result<String, Error> {
                self.0.running_config()
            }
            fn show_version(&self) -> Result<String, Error> {
                self.0.show_version()
            }
            fn dry_run(&self, config: &str) -> Result<Output, Error> {
                self.0.dry_run(config)
            }
            fn apply(&self, _script: &str) -> Result<Output, Error> {
                Err(Error::Timeout {
                    command: "vtysh -f".into(),
                    after: std::time::Duration::from_secs(1),
                })
            }
            fn write_memory(&self) -> Result<Output, Error> {
                self.0.write_memory()
            }
        }
        let fake = Hanging(Fake::new("ip prefix-list L seq 5 deny any\n"));
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(!result.reload.converged);
        assert_eq!(result.residue.len(), 1);
        assert_eq!(
            result.reload.errors.len(),
            2,
            "one per pass: {:?}",
            result.reload.errors
        );
        assert!(
            result.reload.errors[0].message.contains("no answer after"),
            "{:?}",
            result.reload.errors
        );
        assert!(result.running_config.contains("deny any"));
    }

    #[test]
    fn the_first_pass_runs_through_what_was_prepared() {
        let fake = Fake::new("ip prefix-list L seq 5 deny any\nip prefix-list M seq 5 deny any\n");
        // The first pass leaves M: the second pass is a plain apply.
        *fake.after_apply.lock().unwrap() = vec![
            "ip prefix-list L seq 5 permit any\nip prefix-list M seq 5 deny any\n".into(),
            "ip prefix-list L seq 5 permit any\n".into(),
        ];
        let last_read = "ip prefix-list L seq 5 deny any\n";
        let desired = "ip prefix-list L seq 5 permit any\n";
        let result = reload_from(&fake, desired, &Settings::default(), Some(last_read));
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.reload.passes, 2);
        let prepared = fake.prepared.lock().unwrap();
        assert_eq!(*prepared, ["ip prefix-list L seq 5 permit any\n"]);
        assert_eq!(fake.through_prepared.load(Ordering::Relaxed), 1);
        assert_eq!(fake.scripts.lock().unwrap()[0], prepared[0]);
        assert_eq!(
            result.delta.script, prepared[0],
            "the script reported is the one sent"
        );
    }

    #[test]
    fn a_refused_configuration_never_uses_what_was_prepared() {
        let mut fake = Fake::new("ip prefix-list L seq 5 deny any\n");
        fake.dry_run_output = Output {
            status: Some(2),
            stdout: String::new(),
            stderr: "line 1: % Unknown command[4]: bogus\n".into(),
        };
        let result = reload(&fake, "bogus\n", &Settings::default());
        assert_eq!(result.outcome, Outcome::ConversionFailed);
        assert_eq!(
            fake.prepared.lock().unwrap().len(),
            1,
            "prepared beside the check"
        );
        assert_eq!(fake.through_prepared.load(Ordering::Relaxed), 0);
        assert!(fake.scripts.lock().unwrap().is_empty());
    }

    #[test]
    fn empty_config_is_rejected() {
        let fake = Fake::new("ip prefix-list L seq 5 deny any\n");
        let result = reload(&fake, "!\n\n", &Settings::default());
        assert!(!result.conversion.ok);
        assert!(fake.scripts.lock().unwrap().is_empty());
    }

    /// A running configuration as vtysh prints it, naming `version`.
    fn printed(version: &str, body: &str) -> String {
        format!("Building configuration...\n\nCurrent configuration:\n!\nfrr version {version}\nfrr defaults traditional\n!\n{body}end\n")
    }

    #[test]
    fn an_accepted_text_is_kept_and_not_checked_again() {
        let body = "ip prefix-list L seq 5 permit any\n";
        let fake = Fake::new(&printed("10.4.3", body));
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 1);
        assert_eq!(
            *fake.kept.lock().unwrap(),
            [(DESIRED.to_owned(), "frr version 10.4.3".to_owned())]
        );
        // The next run of the same text: FRR is not asked.
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(result.last_conversion_result, "success");
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 1, "kept");
        // Another text is checked.
        let other = "hostname node1\nip prefix-list L seq 5 permit any\n!\n";
        reload(&fake, other, &Settings::default());
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 2, "another text");
    }

    #[test]
    fn a_refusal_is_never_kept() {
        let mut fake = Fake::new(&printed("10.4.3", ""));
        fake.dry_run_output = Output {
            status: Some(2),
            stdout: String::new(),
            stderr: "line 2: % Unknown command: ip prefix-list L seq 5 permit any\n".into(),
        };
        for _ in 0..2 {
            let result = reload(&fake, DESIRED, &Settings::default());
            assert_eq!(result.outcome, Outcome::ConversionFailed);
        }
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 2);
        assert!(fake.kept.lock().unwrap().is_empty());
    }

    #[test]
    fn a_kept_verdict_of_another_frr_version_is_checked_again() {
        let fake = Fake::new(&printed("10.7.1", "ip prefix-list L seq 5 permit any\n"));
        fake.keep_check(DESIRED, "frr version 10.4.3");
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 1, "checked now");
        assert_eq!(
            fake.kept_check(DESIRED).as_deref(),
            Some("frr version 10.7.1")
        );
        // Refused now: the run refuses it, whatever was kept.
        let mut fake = Fake::new(&printed("10.7.1", ""));
        fake.keep_check(DESIRED, "frr version 10.4.3");
        fake.dry_run_output = Output {
            status: Some(1),
            stdout: String::new(),
            stderr: "line 2: % Unknown command: ip prefix-list L seq 5 permit any\n".into(),
        };
        let result = reload(&fake, DESIRED, &Settings::default());
        assert_eq!(result.outcome, Outcome::ConversionFailed);
        assert!(fake.scripts.lock().unwrap().is_empty(), "nothing applied");
        // A running configuration naming no version: checked, not kept.
        let fake = Fake::new("ip prefix-list L seq 5 permit any\n");
        fake.keep_check(DESIRED, "frr version 10.4.3");
        reload(&fake, DESIRED, &Settings::default());
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 1);
        assert_eq!(
            fake.kept_check(DESIRED).as_deref(),
            Some("frr version 10.4.3")
        );
    }

    #[test]
    fn kept_blocks_are_taken_up_under_the_same_frr_version_only() {
        let running = printed("10.4.3", "ip prefix-list L seq 5 permit any\n");
        let mut fake = Fake::new(&running);
        fake.kept_blocks = Some("frr version 10.4.3".into());
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(
            *fake.dry_runs_seeded.lock().unwrap(),
            [true],
            "checked once"
        );
        assert_eq!(
            fake.kept_check(DESIRED).as_deref(),
            Some("frr version 10.4.3"),
            "the text is kept"
        );
        // Taken up under another version: FRR checks the whole text again.
        let mut fake = Fake::new(&running);
        fake.kept_blocks = Some("frr version 10.3".into());
        let result = reload(&fake, DESIRED, &Settings::default());
        assert!(result.reload.converged, "{result:?}");
        assert_eq!(*fake.dry_runs_seeded.lock().unwrap(), [true, false]);
        // A text kept whole is not checked; blocks are not taken up.
        let mut fake = Fake::new(&running);
        fake.kept_blocks = Some("frr version 10.4.3".into());
        fake.keep_check(DESIRED, "frr version 10.4.3");
        reload(&fake, DESIRED, &Settings::default());
        assert!(fake.dry_runs_seeded.lock().unwrap().is_empty());
        assert!(!*fake.seeded.lock().unwrap());
    }

    #[test]
    fn a_kept_verdict_still_goes_through_the_screen() {
        let desired = "hostname node1\noutput file /tmp/x\n";
        let fake = Fake::new(&printed("10.4.3", ""));
        fake.keep_check(desired, "frr version 10.4.3");
        let result = reload(&fake, desired, &Settings::default());
        assert_eq!(result.outcome, Outcome::ConversionFailed, "{result:?}");
        assert_eq!(fake.dry_runs.load(Ordering::Relaxed), 0);
        assert!(fake.scripts.lock().unwrap().is_empty());
    }
}
