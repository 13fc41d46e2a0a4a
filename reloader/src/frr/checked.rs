//! FRR's check of a configuration (`vtysh --dryrun`), sent only the blocks
//! it has not accepted before.
//!
//! vtysh's dry run parses each line in the node the lines before it left
//! it in, and nothing else: it talks to no daemon. A configuration is cut
//! into blocks, each a top-level line with the lines after it up to the
//! next one. A block that vtysh accepted before, after the same block as
//! now, is accepted again; the check is sent the others, each after the
//! block that precedes it in the text, in their order. Its answer is given
//! back with the configuration's line numbers. Most reloads change a few
//! blocks of a large configuration: their check parses a few lines instead
//! of thousands. When nothing is new, no vtysh is started at all.
//!
//! A block is known by a [`BlockKey`], the same in every process: the
//! one-shot `reload` keeps the keys of the text FRR accepted last between
//! runs (`KeptChecks::blocks`), and a later run seeds its check with them
//! ([`Checked::accept_blocks`]), so that a text changed in a few blocks is
//! checked on those only, as the serving agent checks it.

use std::collections::HashSet;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::frr::errors::line_error;
use crate::frr::Output;

/// Blocks remembered at most; past that the memory starts over.
const MAX_REMEMBERED: usize = 1 << 20;

/// A block with the block before it: the first 128 bits of a SHA-256 of
/// their lines, each line's length before it. Found for another block with
/// odds of about 2^-88 over a million blocks by chance, and no easier on
/// purpose than a collision of SHA-256 cut to 128 bits (2^64 tries).
pub type BlockKey = u128;

/// The blocks vtysh accepted, each with the block before it.
#[derive(Debug, Default)]
pub struct Checked {
    accepted: Mutex<HashSet<BlockKey>>,
}

/// What to send to vtysh for one configuration.
#[derive(Debug, Default)]
pub struct Plan {
    /// The lines to check (empty: nothing new).
    pub script: String,
    /// For each line of `script`, its line number in the configuration.
    lines: Vec<usize>,
    /// The configuration's blocks, remembered once it is accepted.
    blocks: Vec<BlockKey>,
}

impl Checked {
    /// What to check of `config`; `None` when it cannot be cut into blocks
    /// (it does not parse): then all of it is checked.
    pub fn plan(&self, config: &str) -> Option<Plan> {
        let starts = crate::config::parse::top_level_lines(config)?;
        let lines: Vec<&str> = config.split_inclusive('\n').collect();
        // Block i covers lines bounds[i]..bounds[i + 1]; lines before the
        // first top-level line (comments) go with the first block.
        let mut bounds: Vec<usize> = starts;
        if bounds.first() != Some(&0) {
            bounds.insert(0, 0);
        }
        bounds.push(lines.len());
        let text = |i: usize| &lines[bounds[i]..bounds[i + 1]];
        let accepted = self.accepted.lock().unwrap_or_else(|e| e.into_inner());
        let mut plan = Plan::default();
        // Sized once (pages never written cost nothing): a large text is
        // not copied over and over as the script grows.
        plan.script.reserve(config.len() + 1);
        let mut sent = usize::MAX;
        for i in 0..bounds.len() - 1 {
            let block = key(if i == 0 { &[] } else { text(i - 1) }, text(i));
            plan.blocks.push(block);
            if accepted.contains(&block) {
                continue;
            }
            let from = if i > 0 && sent != i - 1 { i - 1 } else { i };
            let first = bounds[from];
            for (k, line) in lines[first..bounds[i + 1]].iter().enumerate() {
                // vtysh skips comments: they are not sent (a text padded
                // with them costs nothing to check).
                let trimmed = line.trim_start();
                if trimmed.starts_with('!') || trimmed.starts_with('#') {
                    continue;
                }
                plan.script.push_str(line);
                if !line.ends_with('\n') {
                    plan.script.push('\n');
                }
                plan.lines.push(first + k + 1);
            }
            sent = i;
        }
        Some(plan)
    }

    /// Remembers the blocks of a configuration vtysh accepted.
    pub fn accept(&self, plan: Plan) {
        let mut accepted = self.accepted.lock().unwrap_or_else(|e| e.into_inner());
        if accepted.len() + plan.blocks.len() > MAX_REMEMBERED {
            accepted.clear();
        }
        accepted.extend(plan.blocks);
    }

    /// Remembers blocks accepted in an earlier run (see the module's
    /// documentation).
    pub fn accept_blocks(&self, blocks: &[BlockKey]) {
        let mut accepted = self.accepted.lock().unwrap_or_else(|e| e.into_inner());
        if accepted.len() + blocks.len() > MAX_REMEMBERED {
            accepted.clear();
        }
        accepted.extend(blocks);
    }

    /// Forgets every block: for when FRR (and so maybe vtysh) changed.
    pub fn forget(&self) {
        self.accepted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// The [`BlockKey`] of `block` after `before`.
fn key(before: &[&str], block: &[&str]) -> BlockKey {
    let mut hash = Sha256::new();
    for lines in [before, block] {
        for line in lines {
            hash.update((line.len() as u64).to_le_bytes());
            hash.update(line.as_bytes());
        }
        // Where each ends: a length no line has.
        hash.update(u64::MAX.to_le_bytes());
    }
    let digest = hash.finalize();
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&digest[..16]);
    BlockKey::from_le_bytes(bytes)
}

impl Plan {
    /// The configuration's blocks, to keep once FRR accepted it.
    pub fn blocks(&self) -> &[BlockKey] {
        &self.blocks
    }

    /// vtysh's answer on the plan's script, with the configuration's line
    /// numbers.
    pub fn renumber(&self, output: Output) -> Output {
        let renumber = |text: String| {
            if !text.lines().any(|l| line_error(l).is_some()) {
                return text;
            }
            let mut out = String::with_capacity(text.len());
            for line in text.split_inclusive('\n') {
                match line_error(line).and_then(|(n, message)| {
                    let original = self.lines.get(n.wrapping_sub(1))?;
                    let indent = &line[..line.len() - line.trim_start().len()];
                    Some(format!("{indent}line {original}: {message}"))
                }) {
                    Some(renumbered) => out.push_str(&renumbered),
                    None => out.push_str(line),
                }
            }
            out
        };
        Output {
            status: output.status,
            stdout: renumber(output.stdout),
            stderr: renumber(output.stderr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "frr defaults traditional\n!\nrouter bgp 64512\n neighbor 192.0.2.1 remote-as 64600\n address-family ipv4 unicast\n  network 198.51.100.0/24\n exit-address-family\nexit\n!\nip prefix-list A seq 5 permit 192.0.2.0/24\nip prefix-list A seq 10 deny any\nroute-map RM permit 10\n match ip address prefix-list A\nexit\n";

    fn accepted(config: &str) -> Checked {
        let checked = Checked::default();
        checked.accept(checked.plan(config).unwrap());
        checked
    }

    #[test]
    fn a_new_configuration_is_checked_whole() {
        let plan = Checked::default().plan(CONFIG).unwrap();
        // Comments are not sent; the lines keep their numbers.
        assert_eq!(plan.script, CONFIG.replace("!\n", ""));
        let numbers: Vec<usize> = (1..=14).filter(|n| ![2, 9].contains(n)).collect();
        assert_eq!(plan.lines, numbers);
    }

    #[test]
    fn an_accepted_configuration_is_not_checked_again() {
        assert_eq!(accepted(CONFIG).plan(CONFIG).unwrap().script, "");
    }

    #[test]
    fn a_changed_line_is_checked_after_the_block_before_it() {
        let checked = accepted(CONFIG);
        let changed = CONFIG.replace("seq 10 deny any", "seq 10 permit any");
        let plan = checked.plan(&changed).unwrap();
        // The changed block, the one after it (whose predecessor changed),
        // and the block before the changed one, once.
        assert_eq!(
            plan.script,
            "ip prefix-list A seq 5 permit 192.0.2.0/24\nip prefix-list A seq 10 permit any\nroute-map RM permit 10\n match ip address prefix-list A\nexit\n"
        );
        assert_eq!(plan.lines, [10, 11, 12, 13, 14]);
    }

    #[test]
    fn a_changed_line_inside_a_block_sends_the_block() {
        let checked = accepted(CONFIG);
        let changed = CONFIG.replace("remote-as 64600", "remote-as 64601");
        let plan = checked.plan(&changed).unwrap();
        assert!(
            plan.script.starts_with(
                "frr defaults traditional\nrouter bgp 64512\n neighbor 192.0.2.1 remote-as 64601\n"
            ),
            "{}",
            plan.script
        );
        assert!(
            plan.script.contains("ip prefix-list A seq 5"),
            "{}",
            plan.script
        );
        assert!(!plan.script.contains("seq 10"), "{}", plan.script);
    }

    #[test]
    fn answers_get_the_configuration_line_numbers() {
        let checked = accepted(CONFIG);
        let changed = CONFIG.replace("seq 10 deny any", "seq 10 bogus");
        let plan = checked.plan(&changed).unwrap();
        let output = Output {
            status: Some(2),
            stdout: String::new(),
            stderr: "line 2: % Unknown command[4]: ip prefix-list A seq 10 bogus\nother\n".into(),
        };
        let renumbered = plan.renumber(output);
        assert_eq!(
            renumbered.stderr,
            "line 11: % Unknown command[4]: ip prefix-list A seq 10 bogus\nother\n"
        );
        assert_eq!(renumbered.status, Some(2));
    }

    #[test]
    fn forgetting_checks_everything_again() {
        let checked = accepted(CONFIG);
        checked.forget();
        assert_eq!(
            checked.plan(CONFIG).unwrap().script,
            CONFIG.replace("!\n", "")
        );
    }

    #[test]
    fn a_text_that_does_not_parse_has_no_plan() {
        assert!(Checked::default().plan("hostname a\0b\n").is_none());
    }
}
