//! Copies of a configuration with lines taken out: a topotest router
//! against such a copy of itself, both ways, asks the reload to delete
//! (and type again) single settings inside blocks, which the pairs of
//! routers of one topotest, mostly whole blocks apart, rarely do.
//!
//! A copy keeps every block opener, `exit`, `!` and `end` (the nesting
//! stays as typed, read by indentation), and `hostname` and `frr …`
//! lines. Of the other lines it drops a share (5, 15, 30 or 50%, drawn
//! per copy), drops a whole top-level block now and then (4%), and adds 1
//! to a line's last number now and then (3%).

use crate::rng::Rng;

/// A copy of `text` with lines taken out, drawn from `rng`.
pub fn mutate(text: &str, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let rate = [5, 15, 30, 50][rng.below(4)];
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    // While a top-level block is being dropped.
    let mut dropping = false;
    for (at, line) in lines.iter().enumerate() {
        let word = line.trim();
        let depth = indent(line);
        if dropping {
            if closes(word) || depth > 0 {
                continue;
            }
            dropping = false;
        }
        if opens(&lines, at) {
            if depth == 0 && rng.chance(4) {
                dropping = true;
            } else {
                out.push((*line).to_owned());
            }
            continue;
        }
        let kept = closes(word) || word.starts_with("frr ") || word.starts_with("hostname");
        if kept {
            out.push((*line).to_owned());
        } else if !rng.chance(rate) {
            out.push(if rng.chance(3) {
                nudged(line)
            } else {
                (*line).to_owned()
            });
        }
    }
    out.join("\n") + "\n"
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// A line that only leaves a node, or none (a comment, a blank line).
fn closes(word: &str) -> bool {
    matches!(word, "" | "!" | "end" | "exit" | "quit") || word.starts_with("exit-")
}

/// Whether the line at `at` opens a block: the next line that is not a
/// closer is indented deeper.
fn opens(lines: &[&str], at: usize) -> bool {
    !closes(lines[at].trim())
        && lines[at + 1..]
            .iter()
            .find(|l| !closes(l.trim()))
            .is_some_and(|next| indent(next) > indent(lines[at]))
}

/// `line` with its last word, a number, one higher; else as it is.
fn nudged(line: &str) -> String {
    let last = line.rsplit(' ').next().unwrap_or_default();
    match last.parse::<u32>() {
        Ok(n) => format!(
            "{}{}",
            &line[..line.len() - last.len()],
            n.saturating_add(1)
        ),
        Err(_) => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "hostname r1
!
interface eth0
 ip address 192.0.2.1/24
 ip ospf cost 10
exit
!
router bgp 64512
 neighbor 192.0.2.2 remote-as 64513
 address-family ipv4 unicast
  network 198.51.100.0/24
 exit-address-family
exit
ip prefix-list P seq 5 permit 192.0.2.0/24
";

    #[test]
    fn copies_keep_their_nesting_and_drop_only_settings() {
        let mut rng = Rng::new(7);
        let mut dropped = 0;
        for _ in 0..200 {
            let copy = mutate(TEXT, &mut rng);
            // Each kept line is one of the text's, or one nudged.
            for line in copy.lines() {
                assert!(
                    TEXT.lines().any(|l| l == line || nudged(l) == line),
                    "{line:?} in\n{copy}"
                );
            }
            // A kept block keeps its openers and closers.
            if copy.contains(" neighbor ") || copy.contains("  network ") {
                for line in [
                    "router bgp 64512",
                    " address-family ipv4 unicast",
                    " exit-address-family",
                ] {
                    assert!(copy.contains(&format!("{line}\n")), "{copy}");
                }
            }
            assert!(copy.starts_with("hostname r1\n"), "{copy}");
            dropped += TEXT.lines().count() - copy.lines().count();
        }
        assert!(dropped > 0);
    }

    #[test]
    fn a_nudge_adds_one_to_a_last_number() {
        assert_eq!(nudged(" ip ospf cost 10"), " ip ospf cost 11");
        assert_eq!(
            nudged(" ip address 192.0.2.1/24"),
            " ip address 192.0.2.1/24"
        );
    }
}
