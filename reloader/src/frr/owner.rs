//! Which daemon takes a command, from its words: a reload that did not
//! converge names the daemons its residue needs that do not run. FRR's
//! check takes `router ospf` on a node without ospfd (vtysh knows every
//! daemon's commands), and vtysh then sends it nowhere, without a word.
//! The same goes for the lines of a module no daemon loads (`-M snmp`):
//! FRR 10 drops `agentx` without a word, 8.4 refuses it.

use protocol::Command;

/// Top-level lines (and the blocks they open) one daemon alone takes, by
/// their first words (vtysh's command tables: each is defined in that
/// daemon's sources). zebra's, shared (`route-map`, `key chain`, lists)
/// and mgmtd-held (static routes) lines are not named.
const TOP: &[(&str, &str)] = &[
    ("router bgp", "bgpd"),
    ("bgp", "bgpd"),
    ("router ospf", "ospfd"),
    ("router ospf6", "ospf6d"),
    ("router isis", "isisd"),
    ("router openfabric", "fabricd"),
    ("router rip", "ripd"),
    ("router ripng", "ripngd"),
    ("router eigrp", "eigrpd"),
    ("router babel", "babeld"),
    ("router pim", "pimd"),
    ("ip pim", "pimd"),
    ("ip msdp", "pimd"),
    ("ip igmp", "pimd"),
    ("router pim6", "pim6d"),
    ("ipv6 pim", "pim6d"),
    ("ipv6 mld", "pim6d"),
    ("mpls ldp", "ldpd"),
    ("l2vpn", "ldpd"),
    ("pbr-map", "pbrd"),
    ("bfd", "bfdd"),
    ("nhrp", "nhrpd"),
    ("vrrp", "vrrpd"),
    ("sharp", "sharpd"),
];

/// An interface's lines one daemon alone takes, by their first words.
const INTERFACE: &[(&str, &str)] = &[
    ("ip ospf", "ospfd"),
    ("ipv6 ospf6", "ospf6d"),
    ("ip router isis", "isisd"),
    ("ipv6 router isis", "isisd"),
    ("isis", "isisd"),
    ("ip router openfabric", "fabricd"),
    ("openfabric", "fabricd"),
    ("ip rip", "ripd"),
    ("ipv6 ripng", "ripngd"),
    ("ip pim", "pimd"),
    ("ip igmp", "pimd"),
    ("ip mroute", "pimd"),
    ("ipv6 pim", "pim6d"),
    ("ipv6 mld", "pim6d"),
    ("babel", "babeld"),
    ("ip nhrp", "nhrpd"),
    ("ipv6 nhrp", "nhrpd"),
    ("tunnel", "nhrpd"),
    ("vrrp", "vrrpd"),
    ("pbr-policy", "pbrd"),
];

/// The daemon that alone takes `command`, where its words say which: the
/// top-level line it is typed under, or an interface's own line. `None`
/// for zebra's, shared and unknown lines.
pub fn owner(command: &Command) -> Option<&'static str> {
    let (line, table) = match command.context.as_slice() {
        [] => (command.command.as_str(), TOP),
        [interface] if interface.starts_with("interface ") => (command.command.as_str(), INTERFACE),
        [top, ..] => (top.as_str(), TOP),
    };
    let line = line.strip_prefix("no ").unwrap_or(line);
    table
        .iter()
        .find(|(words, _)| {
            line.strip_prefix(words)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
        .map(|(_, daemon)| *daemon)
}

/// Lines only a loadable module takes, by the first words of the
/// top-level line they are typed under (or their own, at the top), for
/// the module's name as `show modules` ends it: `agentx` is
/// `lib/libagentx.c`'s, which each daemon's `<daemon>_snmp` module
/// installs; `bmp` under `router bgp` is `bgpd_bmp`'s, `rpki` is
/// `bgpd_rpki`'s.
const MODULE: &[(&str, &str, &str)] = &[
    ("", "agentx", "snmp"),
    ("router bgp", "bmp", "bmp"),
    ("", "rpki", "rpki"),
];

/// The module `command` needs loaded (`snmp`, `bmp`, `rpki`: the end of
/// its name in `show modules`), where it is one of [`MODULE`]'s.
pub fn module(command: &Command) -> Option<&'static str> {
    let mut words = command
        .context
        .iter()
        .chain(std::iter::once(&command.command))
        .map(|w| w.strip_prefix("no ").unwrap_or(w));
    let first = words.next()?;
    let second = words.next();
    let starts = |line: &str, words: &str| {
        line.strip_prefix(words)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    MODULE
        .iter()
        .find(|(top, words, _)| match (top.is_empty(), second) {
            (true, _) => starts(first, words),
            (false, Some(second)) => starts(first, top) && starts(second, words),
            (false, None) => false,
        })
        .map(|(_, _, module)| *module)
}

/// The modules some of `residue` needs that no daemon has `loaded` (the
/// names `show modules` lists, as `bgpd_bmp`), each with how many
/// commands need it, in the order first needed.
pub fn not_loaded(residue: &[Command], loaded: &[String]) -> Vec<(&'static str, usize)> {
    let mut absent: Vec<(&'static str, usize)> = Vec::new();
    for module in residue.iter().filter_map(module) {
        let suffix = format!("_{module}");
        if loaded.iter().any(|name| name.ends_with(&suffix)) {
            continue;
        }
        match absent.iter_mut().find(|(m, _)| *m == module) {
            Some((_, count)) => *count += 1,
            None => absent.push((module, 1)),
        }
    }
    absent
}

/// What FRR lacks to take some of a residue, each with how many of its
/// commands need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Missing {
    /// Daemons that do not run ([`not_running`]).
    pub daemons: Vec<(&'static str, usize)>,
    /// Modules no daemon loads ([`not_loaded`]).
    pub modules: Vec<(&'static str, usize)>,
}

/// What FRR lacks to take some of `residue`: the daemons that do not run,
/// and the modules none of them loads (asked only when a command needs
/// one), where FRR says (`running`, `loaded`).
pub fn missing(
    residue: &[Command],
    running: impl FnOnce() -> Option<Vec<&'static str>>,
    loaded: impl FnOnce() -> Option<Vec<String>>,
) -> Missing {
    let daemons = running()
        .map(|running| not_running(residue, &running))
        .unwrap_or_default();
    let modules = if residue.iter().any(|c| module(c).is_some()) {
        loaded()
            .map(|loaded| not_loaded(residue, &loaded))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Missing { daemons, modules }
}

/// Whether every command of `residue` is for a daemon or a module that
/// is `missing` (false for an empty residue).
pub fn all_missing(residue: &[Command], missing: &Missing) -> bool {
    let lacks = |command: &Command| {
        owner(command).is_some_and(|d| missing.daemons.iter().any(|(m, _)| *m == d))
            || module(command).is_some_and(|m| missing.modules.iter().any(|(n, _)| *n == m))
    };
    !residue.is_empty() && residue.iter().all(lacks)
}

/// The daemons that take some of `residue` and are not `running`, each
/// with how many of its commands it takes, in the order first needed.
pub fn not_running(residue: &[Command], running: &[&str]) -> Vec<(&'static str, usize)> {
    let mut absent: Vec<(&'static str, usize)> = Vec::new();
    for daemon in residue.iter().filter_map(owner) {
        if running.contains(&daemon) {
            continue;
        }
        match absent.iter_mut().find(|(d, _)| *d == daemon) {
            Some((_, count)) => *count += 1,
            None => absent.push((daemon, 1)),
        }
    }
    absent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(context: &[&str], command: &str) -> Command {
        Command {
            context: context.iter().map(|c| (*c).to_owned()).collect(),
            command: command.to_owned(),
        }
    }

    #[test]
    fn a_block_is_its_opener_s_and_an_interface_line_its_own() {
        let cases = [
            (command(&[], "router ospf"), Some("ospfd")),
            (
                command(&["router ospf6"], "ospf6 router-id 192.0.2.1"),
                Some("ospf6d"),
            ),
            (command(&["router ripng"], "network ::/0"), Some("ripngd")),
            (
                command(&["router rip"], "network 192.0.2.0/24"),
                Some("ripd"),
            ),
            (
                command(
                    &["router bgp 64512", "address-family ipv4 unicast"],
                    "network 192.0.2.0/24",
                ),
                Some("bgpd"),
            ),
            (
                command(&["interface eth0"], "ip ospf area 0"),
                Some("ospfd"),
            ),
            (
                command(&["interface eth0"], "no ipv6 ospf6 area 0"),
                Some("ospf6d"),
            ),
            (
                command(&["interface eth0"], "isis circuit-type level-2-only"),
                Some("isisd"),
            ),
            (command(&["interface eth0"], "ip pim"), Some("pimd")),
            (command(&[], "bfd"), Some("bfdd")),
            // zebra's, shared, or a word that only starts another.
            (
                command(&["interface eth0"], "ip address 192.0.2.1/24"),
                None,
            ),
            (command(&["interface eth0", "link-params"], "enable"), None),
            (command(&[], "route-map RM permit 10"), None),
            (command(&[], "ip route 192.0.2.0/24 Null0"), None),
            (command(&[], "bfdx"), None),
            (command(&["interface eth0"], "isisx"), None),
        ];
        for (command, daemon) in cases {
            assert_eq!(owner(&command), daemon, "{command:?}");
        }
    }

    #[test]
    fn only_the_daemons_that_do_not_run_are_named_with_their_count() {
        let residue = [
            command(&["interface eth0"], "ip ospf area 0"),
            command(&["interface eth0"], "ip address 192.0.2.1/24"),
            command(&["interface eth1"], "ipv6 ospf6 area 0"),
            command(&[], "router ospf"),
            command(&["router bgp 64512"], "neighbor 192.0.2.2 remote-as 64513"),
        ];
        let running = ["zebra", "bgpd", "staticd", "bfdd"];
        assert_eq!(
            not_running(&residue, &running),
            [("ospfd", 2), ("ospf6d", 1)]
        );
        assert!(not_running(&residue, &["zebra", "bgpd", "ospfd", "ospf6d"]).is_empty());
    }

    #[test]
    fn a_module_s_lines_are_named_by_the_module_unless_a_daemon_loads_it() {
        let cases = [
            (command(&[], "agentx"), Some("snmp")),
            (command(&[], "no agentx"), Some("snmp")),
            (
                command(&["router bgp 64512"], "bmp mirror buffer-limit 4096"),
                Some("bmp"),
            ),
            (
                command(
                    &["router bgp 64512", "bmp targets T"],
                    "bmp connect 192.0.2.9 port 1790 min-retry 100 max-retry 1000",
                ),
                Some("bmp"),
            ),
            (command(&[], "rpki"), Some("rpki")),
            (command(&["rpki"], "rpki polling_period 100"), Some("rpki")),
            // Not a module's: another word, or `bmp` elsewhere.
            (command(&[], "agentxx"), None),
            (
                command(&["router bgp 64512"], "bgp router-id 192.0.2.1"),
                None,
            ),
            (command(&["router ospf"], "bmp x"), None),
            (command(&[], "router bgp 64512"), None),
        ];
        for (command, module) in cases {
            assert_eq!(super::module(&command), module, "{command:?}");
        }
        let residue = [
            command(&[], "agentx"),
            command(&["router bgp 64512"], "bmp mirror buffer-limit 4096"),
            command(
                &["router bgp 64512", "bmp targets T"],
                "bmp stats interval 1000",
            ),
            command(&[], "ip route 192.0.2.0/24 Null0"),
        ];
        let loaded = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            not_loaded(&residue, &loaded(&["libfrr", "zebra", "bgpd"])),
            [("snmp", 1), ("bmp", 2)]
        );
        assert_eq!(
            not_loaded(&residue, &loaded(&["bgpd", "bgpd_bmp", "zebra"])),
            [("snmp", 1)]
        );
        assert!(not_loaded(&residue, &loaded(&["ospfd_snmp", "bgpd_bmp"])).is_empty());
    }

    #[test]
    fn a_residue_is_all_missing_when_each_command_lacks_a_daemon_or_a_module() {
        let residue = [
            command(&[], "agentx"),
            command(&["router bgp 64512"], "bmp mirror buffer-limit 4096"),
            command(&["interface eth0"], "ip ospf area 0"),
        ];
        let missing = |daemons: &[&'static str], modules: &[&'static str]| Missing {
            daemons: daemons.iter().map(|d| (*d, 1)).collect(),
            modules: modules.iter().map(|m| (*m, 1)).collect(),
        };
        assert!(all_missing(
            &residue,
            &missing(&["ospfd"], &["snmp", "bmp"])
        ));
        // bgpd not running covers its BMP line too.
        assert!(all_missing(
            &residue,
            &missing(&["ospfd", "bgpd"], &["snmp"])
        ));
        assert!(!all_missing(&residue, &missing(&["ospfd"], &["snmp"])));
        assert!(!all_missing(&residue, &missing(&[], &["snmp", "bmp"])));
        let zebra = [command(&["interface eth0"], "ip address 192.0.2.1/24")];
        assert!(!all_missing(&zebra, &missing(&["ospfd"], &["snmp"])));
        assert!(!all_missing(&[], &missing(&["ospfd"], &[])));
    }
}
