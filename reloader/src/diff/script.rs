//! Renders commands into one script for `vtysh -f`: enter each command's
//! context, type it, exit when the next command lives elsewhere. The line
//! of each command in the script is kept, so that errors vtysh reports by
//! line map back to the command.

use crate::config::babel_undo;
use crate::config::tree::Config;
use crate::diff::plan::{Op, Sorted};
use protocol::{Command, Delta, DeltaStats};

/// A rendered script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// The text for `vtysh -f`.
    pub text: String,
    /// 1-based script line of each command.
    pub lines: Vec<usize>,
}

impl Script {
    /// Index of the command typed on script line `line`, if any.
    pub fn command_at(&self, line: usize) -> Option<usize> {
        self.lines.binary_search(&line).ok()
    }
}

/// Renders `commands` in order. A command that opens the node the next
/// command lives in (`route-map X permit 1`, then its `match` lines) is
/// typed once, not once more to enter it.
pub fn render(commands: &[Command]) -> Script {
    render_refs(&commands.iter().collect::<Vec<_>>())
}

/// [`render`] of commands held elsewhere (no copies of them).
pub(crate) fn render_refs(commands: &[&Command]) -> Script {
    let mut script = Script::default();
    let mut line_no = 0;
    let mut at: Vec<String> = Vec::new();
    let mut push = |text: &mut String, depth: usize, line: &str| {
        for _ in 0..depth {
            text.push(' ');
        }
        text.push_str(line);
        text.push('\n');
        line_no += 1;
        line_no
    };
    for (i, command) in commands.iter().enumerate() {
        let target = &command.context;
        let common = at.iter().zip(target).take_while(|(a, b)| a == b).count();
        for depth in (common..at.len()).rev() {
            push(&mut script.text, depth, "exit");
        }
        at.truncate(common);
        for line in &target[common..] {
            push(&mut script.text, at.len(), line);
            at.push(line.clone());
        }
        script
            .lines
            .push(push(&mut script.text, at.len(), &command.command));
        let opens_next = commands.get(i + 1).is_some_and(|next| {
            next.context.len() == at.len() + 1
                && next.context[..at.len()] == at[..]
                && next.context[at.len()] == command.command
        });
        if opens_next {
            at.push(command.command.clone());
        }
    }
    for depth in (0..at.len()).rev() {
        push(&mut script.text, depth, "exit");
    }
    script
}

/// The command an op types: a delete negates its line (`no X`, or `X` for
/// a line that is itself a `no X`). babeld's values and `babel wired`,
/// which have no `no` form on 8.4, are undone by typing their default
/// ([`babel_undo`], with the link type `desired` gives the interface).
fn command(op: &Op, desired: &Config) -> String {
    let babel_undo = || {
        let wired = desired
            .contexts
            .get(op.context)
            .is_some_and(|c| c.lines.contains("babel wired"));
        babel_undo(&op.line, wired)
    };
    match (op.delete, op.line.strip_prefix("no ")) {
        (false, _) => op.line.clone().into_owned(),
        (true, None) if op.line.starts_with("babel ") => {
            babel_undo().unwrap_or_else(|| format!("no {}", op.line))
        }
        (true, Some(positive)) => positive.to_owned(),
        (true, None) => format!("no {}", op.line),
    }
}

/// Turns a sorted plan into the delta's commands and counts; its script
/// is left to [`render_delta`], once the caller has the final commands.
pub(crate) fn unrendered(Sorted(plan): Sorted, running: &Config, desired: &Config) -> Delta {
    let to_command = |op: &Op| Command {
        context: op.context.to_vec(),
        command: command(op, desired),
    };
    let delete: Vec<Command> = plan.deletes.iter().map(to_command).collect();
    let add: Vec<Command> = plan.adds.iter().map(to_command).collect();
    let stats = DeltaStats {
        running_lines: running.input_lines,
        desired_lines: desired.input_lines,
        deletes: delete.len(),
        adds: add.len(),
        replaced_in_place: plan.replaced,
    };
    Delta {
        delete,
        add,
        script: String::new(),
        stats,
    }
}

/// The script of a delta's commands: its deletes, then its adds.
pub(crate) fn render_delta(delta: &Delta) -> Script {
    let commands: Vec<&Command> = delta.delete.iter().chain(&delta.add).collect();
    render_refs(&commands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(context: &[&str], command: &str) -> Command {
        Command {
            context: context.iter().map(|s| s.to_string()).collect(),
            command: command.into(),
        }
    }

    #[test]
    fn opens_nodes_once_and_maps_lines() {
        let commands = [
            cmd(&["router bgp 1"], "no neighbor 192.0.2.1"),
            cmd(&[], "route-map RM permit 1"),
            cmd(&["route-map RM permit 1"], "set metric 5"),
            cmd(&[], "ip prefix-list L seq 5 deny any"),
        ];
        let script = render(&commands);
        assert_eq!(
            script.text,
            "router bgp 1\n no neighbor 192.0.2.1\nexit\nroute-map RM permit 1\n set metric 5\nexit\nip prefix-list L seq 5 deny any\n"
        );
        assert_eq!(script.lines, vec![2, 4, 5, 7]);
        assert_eq!(script.command_at(5), Some(2));
        assert_eq!(script.command_at(3), None);
    }
}
