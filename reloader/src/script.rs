//! Renders a plan into the delta: the commands in order, and one script
//! for `vtysh -f` that enters each context, runs its commands and exits.

use crate::diff::{Op, Plan};
use crate::parse::Config;
use crate::{Command, Delta, DeltaStats};

/// The command an op types: a delete negates its line (`no X`, or `X` for
/// a line that is itself a `no X`).
fn command(op: &Op) -> String {
    match (op.delete, op.line.strip_prefix("no ")) {
        (false, _) => op.line.clone().into_owned(),
        (true, Some(positive)) => positive.to_owned(),
        (true, None) => format!("no {}", op.line),
    }
}

pub(crate) fn render(plan: Plan, running: &Config, desired: &Config) -> Delta {
    let mut script = String::new();
    let mut at: &[String] = &[];
    let mut commands = Vec::with_capacity(plan.deletes.len() + plan.adds.len());
    for op in plan.deletes.iter().chain(&plan.adds) {
        let common = at
            .iter()
            .zip(op.context)
            .take_while(|(a, b)| a == b)
            .count();
        for depth in (common..at.len()).rev() {
            push_line(&mut script, depth, "exit");
        }
        for (depth, line) in op.context.iter().enumerate().skip(common) {
            push_line(&mut script, depth, line);
        }
        let command = command(op);
        push_line(&mut script, op.context.len(), &command);
        at = op.opens.unwrap_or(op.context);
        commands.push(Command {
            context: op.context.to_vec(),
            command,
        });
    }
    for depth in (0..at.len()).rev() {
        push_line(&mut script, depth, "exit");
    }
    let add = commands.split_off(plan.deletes.len());
    let delete = commands;
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
        script,
        stats,
    }
}

fn push_line(script: &mut String, depth: usize, line: &str) {
    for _ in 0..depth {
        script.push(' ');
    }
    script.push_str(line);
    script.push('\n');
}
