//! Copies of a configuration with lines taken out: a topotest router
//! against such a copy of itself, both ways, asks the reload to delete
//! (and type again) single settings inside blocks, which the pairs of
//! routers of one topotest, mostly whole blocks apart, rarely do.
//!
//! A copy keeps every block opener, `exit`, `!` and `end` (the nesting
//! stays as typed, read by indentation), and `hostname` and `frr …`
//! lines. Of the other lines it drops a share (5, 15, 30 or 50%, drawn
//! per copy), drops a whole top-level block now and then (4%), and
//! changes a kept setting now and then:
//! - adds 1 to its last number (3%);
//! - gives it the last word of another line of the text that is the same
//!   command at the same depth (3%): another cost, address, map name;
//! - turns `no X` into `X` (10% of the `no` lines): a default set off is
//!   set on again.

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
            out.push(changed(&lines, at, rng));
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

/// The line at `at`, kept, with now and then a value changed.
fn changed(lines: &[&str], at: usize, rng: &mut Rng) -> String {
    let line = lines[at];
    if rng.chance(3) {
        return nudged(line);
    }
    if rng.chance(3) {
        let values = others(lines, at);
        if !values.is_empty() {
            let (head, _) = line.rsplit_once(' ').expect("others share a head");
            return format!("{head} {}", rng.pick(&values));
        }
    }
    match line.trim_start().strip_prefix("no ") {
        Some(set) if rng.chance(10) => format!("{}{set}", &line[..indent(line)]),
        _ => line.to_owned(),
    }
}

/// The last words of the other lines of `lines` that are the line at
/// `at` with another last word (the same command, at the same depth).
fn others<'t>(lines: &[&'t str], at: usize) -> Vec<&'t str> {
    let Some((head, value)) = lines[at].rsplit_once(' ') else {
        return Vec::new();
    };
    let mut values: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.rsplit_once(' '))
        .filter(|(h, v)| *h == head && *v != value && !v.is_empty())
        .map(|(_, v)| v)
        .collect();
    values.sort_unstable();
    values.dedup();
    values
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
            // Each kept line is one of the text's, or one changed.
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
    fn a_change_borrows_a_value_of_the_same_command_or_drops_a_no() {
        let text = [
            "interface a",
            " ip ospf cost 10",
            "interface b",
            " ip ospf cost 20",
            " no ip ospf passive",
        ];
        let mut rng = Rng::new(3);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            seen.insert(changed(&text, 1, &mut rng));
            seen.insert(changed(&text, 4, &mut rng));
        }
        let want = [
            " ip ospf cost 10",
            " ip ospf cost 11",
            " ip ospf cost 20",
            " ip ospf passive",
            " no ip ospf passive",
        ];
        assert_eq!(seen, want.map(str::to_owned).into());
        // A value of the same command at another depth is not one.
        assert!(others(&["ip ospf cost 20", " ip ospf cost 10"], 1).is_empty());
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
