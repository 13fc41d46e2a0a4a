//! What `/proc` says about a process (the agent under test): memory,
//! threads, open file descriptors and child processes, for tests that
//! check that nothing grows under load or piles up after faults.

use std::fs;

/// A field of `/proc/PID/status` (`VmRSS`, `VmHWM` in kB; `Threads`);
/// panics when the process or the field is not there.
pub fn status_field(pid: u32, field: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// How many file descriptors `pid` has open.
pub fn fd_count(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}

/// The command lines (arguments joined by spaces) of `pid`'s children.
pub fn children(pid: u32) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.split(' ').nth(1)?.parse::<u32>().ok());
        if ppid == Some(pid) {
            let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
            found.push(String::from_utf8_lossy(&cmdline).replace('\0', " "));
        }
    }
    found
}

/// Whether a child's command line is a vtysh the agent keeps started
/// between reloads (`VtyshCommand::warm`): the interactive session (neither
/// `-c` nor `-f`) or the `vtysh --dryrun` waiting for the next check.
pub fn is_warm_vtysh(cmdline: &str) -> bool {
    let words: Vec<&str> = cmdline.split_whitespace().collect();
    let vtysh = words.first().is_some_and(|w| w.ends_with("vtysh"));
    let has = |flag: &str| words.contains(&flag);
    vtysh && ((!has("-c") && !has("-f")) || (has("--dryrun") && has("/proc/self/fd/0")))
}
