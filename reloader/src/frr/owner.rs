//! Which daemon takes a command, from its words: a reload that did not
//! converge names the daemons its residue needs that do not run. FRR's
//! check takes `router ospf` on a node without ospfd (vtysh knows every
//! daemon's commands), and vtysh then sends it nowhere, without a word.

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
}
