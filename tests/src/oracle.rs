//! The clean-boot oracle: two running configurations are equivalent when,
//! parsed with the reloader's parser for the FRR version that printed them,
//! they hold the same contexts with the same lines (order aside), leaving
//! out what FRR prints on its own: `hostname`, `frr version`,
//! `frr defaults`, and the `service password-encryption` / `password 8 …`
//! lines that FRR repeats per daemon.

use std::collections::{BTreeMap, BTreeSet};

use reloader::{Config, FrrVersion};

/// One command placed in its context: `context > … > command` (a context's
/// own key line has no command).
pub type Item = (Vec<String>, Option<String>);

/// Whether a line is noise FRR prints on its own.
fn ignored(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("hostname ")
        || line.starts_with("frr version")
        || line.starts_with("frr defaults")
        || line == "service password-encryption"
        || line.starts_with("password 8 ")
        || line.starts_with("enable password 8 ")
}

/// The items of a configuration, noise left out.
pub fn items(text: &str, version: FrrVersion) -> Result<BTreeSet<Item>, String> {
    let config = Config::parse_for(text, version).map_err(|e| e.to_string())?;
    let mut set = BTreeSet::new();
    for (key, context) in &config.contexts {
        if key.iter().any(|k| ignored(k)) {
            continue;
        }
        set.insert((key.to_vec(), None));
        for line in context.lines.iter().filter(|l| !ignored(l)) {
            set.insert((key.to_vec(), Some(line.clone())));
        }
    }
    Ok(set)
}

/// The printed lines of a running configuration as a multiset (trimmed,
/// whitespace collapsed), noise and `!` left out: a check of the parsed
/// comparison that does not depend on the parser putting every line in
/// the right context.
pub fn raw_lines(text: &str) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let skip = line.is_empty()
            || line == "!"
            || line == "end"
            || line == "Building configuration..."
            || line == "Current configuration:"
            || ignored(&line);
        if !skip {
            *lines.entry(line).or_insert(0) += 1;
        }
    }
    lines
}

/// How two running configurations differ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mismatch {
    /// Items only in the first (the reloaded instance).
    pub only_reloaded: Vec<String>,
    /// Items only in the second (the clean boot).
    pub only_clean: Vec<String>,
}

impl Mismatch {
    /// A short description: at most `max` items of each side.
    pub fn summary(&self, max: usize) -> String {
        let side = |items: &[String]| {
            let mut shown: Vec<String> = items.iter().take(max).cloned().collect();
            if items.len() > max {
                shown.push(format!("… {} more", items.len() - max));
            }
            shown.join(" | ")
        };
        let mut parts = Vec::new();
        if !self.only_reloaded.is_empty() {
            parts.push(format!(
                "extra after reload: [{}]",
                side(&self.only_reloaded)
            ));
        }
        if !self.only_clean.is_empty() {
            parts.push(format!(
                "missing after reload: [{}]",
                side(&self.only_clean)
            ));
        }
        parts.join("; ")
    }
}

fn describe(item: &Item) -> String {
    let mut parts = item.0.clone();
    if let Some(line) = &item.1 {
        parts.push(line.clone());
    }
    parts.join(" > ")
}

/// Compares the running configuration of a reloaded instance with that of
/// a clean boot.
pub fn compare(reloaded: &str, clean: &str, version: FrrVersion) -> Result<(), Mismatch> {
    let parse = |text: &str, side: &str| {
        items(text, version).map_err(|e| Mismatch {
            only_reloaded: vec![format!("{side} running config does not parse: {e}")],
            only_clean: vec![],
        })
    };
    let a = parse(reloaded, "reloaded")?;
    let b = parse(clean, "clean-boot")?;
    if a != b {
        return Err(Mismatch {
            only_reloaded: a.difference(&b).map(describe).collect(),
            only_clean: b.difference(&a).map(describe).collect(),
        });
    }
    let (a, b) = (raw_lines(reloaded), raw_lines(clean));
    if a == b {
        return Ok(());
    }
    let minus = |x: &BTreeMap<String, usize>, y: &BTreeMap<String, usize>| -> Vec<String> {
        x.iter()
            .filter(|(line, n)| y.get(*line).unwrap_or(&0) < n)
            .map(|(line, n)| {
                format!(
                    "{line} (printed {n}×, {}× in the other)",
                    y.get(line).unwrap_or(&0)
                )
            })
            .collect()
    };
    Err(Mismatch {
        only_reloaded: minus(&a, &b),
        only_clean: minus(&b, &a),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_and_order_do_not_count() {
        let a = "frr version 8.4.4\nfrr defaults traditional\nhostname vm\nservice password-encryption\npassword 8 abc\n!\nip prefix-list A seq 5 permit any\nip prefix-list B seq 5 deny any\n";
        let b = "frr version 8.4.4\nhostname other\npassword 8 xyz\nip prefix-list B seq 5 deny any\nip prefix-list A seq 5 permit any\n";
        assert_eq!(compare(a, b, FrrVersion::V8_4), Ok(()));
    }

    #[test]
    fn lines_the_parser_places_alike_still_count() {
        let a = "interface eth0\n evpn mh uplink\nexit\n";
        let b = "interface eth0\nexit\nevpn mh uplink\n";
        let raw_a = raw_lines(a);
        assert_eq!(raw_a.get("evpn mh uplink"), Some(&1));
        assert_eq!(raw_lines(b).get("exit"), Some(&1));
        let twice = "ip prefix-list A seq 5 permit any\nip prefix-list A seq 5 permit any\n";
        let once = "ip prefix-list A seq 5 permit any\n";
        assert!(compare(twice, once, FrrVersion::V8_4).is_err());
    }

    #[test]
    fn differences_are_named() {
        let a = "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\nexit\n";
        let b = "router bgp 64512\nexit\n";
        let m = compare(a, b, FrrVersion::V8_4).unwrap_err();
        assert_eq!(
            m.only_reloaded,
            vec!["router bgp 64512 > neighbor 192.0.2.1 remote-as 64513"]
        );
        assert!(m.only_clean.is_empty());
    }
}
