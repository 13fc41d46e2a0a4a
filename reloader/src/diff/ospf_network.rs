//! ospfd before 10.1 prints `ip ospf network T` only where T is not the
//! interface's own type (`ospf_default_iftype`: point-to-point for a
//! POINTOPOINT interface, broadcast for any other, one the kernel does
//! not have too), and typing T where it is the interface's type changes
//! nothing (`ip_ospf_network` returns before it sets a thing). Such a
//! line is dropped from the desired configuration, which else would
//! type it on every reload and never read it back; FRR's commit
//! 1ce626aea6 (10.1) prints the line whenever it was typed.

use std::collections::HashSet;

use crate::config::{Config, FrrVersion};

/// The first release that prints `ip ospf network T` whatever the
/// interface's type.
pub const PRINTED_AS_TYPED: FrrVersion = FrrVersion::new(10, 1);

const BROADCAST: &str = "ip ospf network broadcast";
const POINT_TO_POINT: &str = "ip ospf network point-to-point";

/// `desired` for FRR `version` without the lines ospfd never prints, its
/// interfaces' flags from zebra's `show interface vrf all` (`interfaces`,
/// asked only where a line may be its interface's own type; nothing is
/// dropped where it does not answer). As the reload, `POST /v1/diff` and
/// the one-shot `diff` of a live FRR read it.
pub fn settle(
    desired: &mut Config,
    version: FrrVersion,
    interfaces: impl FnOnce() -> Option<String>,
) {
    if needs_kinds(version, desired) {
        if let Some(text) = interfaces() {
            without_own_types(desired, &Kinds::parse(&text));
        }
    }
}

/// Whether `desired`, for FRR `version`, has a line that may be its
/// interface's own type: then the interfaces' kinds are asked for.
fn needs_kinds(version: FrrVersion, desired: &Config) -> bool {
    version < PRINTED_AS_TYPED
        && desired.contexts.iter().any(|(key, ctx)| {
            interface(key.as_slice()).is_some()
                && (ctx.lines.contains(BROADCAST) || ctx.lines.contains(POINT_TO_POINT))
        })
}

/// The interface a context path is, if it is one: `interface X [vrf Y]`.
fn interface(path: &[String]) -> Option<&str> {
    match path {
        [opener] => opener.strip_prefix("interface ")?.split(' ').next(),
        _ => None,
    }
}

/// The interfaces zebra's `show interface vrf all` gives flags for, split
/// into those with POINTOPOINT and the others (with flags: the kernel has
/// them). An interface without flags is not in the kernel.
#[derive(Debug, Default, PartialEq, Eq)]
struct Kinds {
    point_to_point: HashSet<String>,
    others: HashSet<String>,
}

impl Kinds {
    /// From the text of `show interface vrf all`: `Interface X is …`
    /// lines, each followed by its `  flags: <UP,POINTOPOINT,…>`.
    fn parse(text: &str) -> Kinds {
        let mut kinds = Kinds::default();
        let mut current: Option<&str> = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("Interface ") {
                current = rest.split(' ').next();
            } else if let (Some(name), Some(flags)) = (current, line.trim().strip_prefix("flags: "))
            {
                let set = if flags.contains("POINTOPOINT") {
                    &mut kinds.point_to_point
                } else {
                    &mut kinds.others
                };
                set.insert(name.to_owned());
                current = None;
            }
        }
        kinds
    }

    /// The line that is `name`'s own type, if FRR types it at all
    /// (a LOOPBACK interface's type cannot be set: ospfd refuses both).
    fn own_type(&self, name: &str) -> &'static str {
        if self.point_to_point.contains(name) {
            POINT_TO_POINT
        } else {
            BROADCAST
        }
    }
}

/// `desired` without the `ip ospf network T` lines whose T is their
/// interface's own type, as `kinds` gives it.
fn without_own_types(desired: &mut Config, kinds: &Kinds) {
    for (key, ctx) in &mut desired.contexts {
        if let Some(name) = interface(key.as_slice()) {
            ctx.lines.shift_remove(kinds.own_type(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V8_4: FrrVersion = FrrVersion::new(8, 4);

    fn parse(text: &str) -> Config {
        Config::parse_for(text, V8_4).unwrap()
    }

    const SHOWN: &str = "\
Interface eth-sw1 is down
  Link ups:       0    last: (never)
  vrf: default
  pseudo interface
Interface lo is up, line protocol is up
  index 1 metric 0 mtu 65536 speed 0 
  flags: <UP,LOOPBACK,RUNNING>
  Type: Loopback
Interface tun0 is up, line protocol is up
  index 3 metric 0 mtu 1500 speed 0 
  flags: <UP,POINTOPOINT,RUNNING,NOARP,MULTICAST>
Interface eth0 is up, line protocol is up
  flags: <UP,BROADCAST,RUNNING,MULTICAST>
";

    #[test]
    fn flags_tell_point_to_point_interfaces_from_others() {
        let kinds = Kinds::parse(SHOWN);
        assert_eq!(kinds.point_to_point, HashSet::from(["tun0".to_owned()]));
        assert_eq!(
            kinds.others,
            HashSet::from(["lo".to_owned(), "eth0".to_owned()])
        );
        assert_eq!(kinds.own_type("tun0"), POINT_TO_POINT);
        // Not in the kernel: broadcast, as ospfd takes it.
        assert_eq!(kinds.own_type("eth-sw1"), BROADCAST);
        assert_eq!(kinds.own_type("eth0"), BROADCAST);
    }

    #[test]
    fn only_an_interface_s_own_type_is_dropped() {
        let text = "\
interface eth0
 ip ospf network broadcast
 ip ospf cost 10
exit
interface eth1
 ip ospf network point-to-point
exit
interface tun0
 ip ospf network point-to-point
exit
interface tun1 vrf red
 ip ospf network broadcast
exit
interface gre0
 ip ospf network non-broadcast
exit
";
        let mut desired = parse(text);
        assert!(needs_kinds(V8_4, &desired));
        assert!(!needs_kinds(PRINTED_AS_TYPED, &desired));
        let mut kinds = Kinds::parse(SHOWN);
        kinds.point_to_point.insert("tun1".to_owned());
        without_own_types(&mut desired, &kinds);
        let lines = |name: &str| -> Vec<String> {
            let key = [format!("interface {name}")];
            desired.contexts[key.as_slice()]
                .lines
                .iter()
                .cloned()
                .collect()
        };
        assert_eq!(lines("eth0"), ["ip ospf cost 10"]);
        assert_eq!(lines("eth1"), [POINT_TO_POINT]);
        assert!(lines("tun0").is_empty());
        assert_eq!(lines("gre0"), ["ip ospf network non-broadcast"]);
        // A point-to-point interface in a VRF keeps broadcast.
        assert_eq!(lines("tun1"), [BROADCAST]);
        assert!(!needs_kinds(
            V8_4,
            &parse("interface eth0\n ip ospf cost 1\nexit\n")
        ));
    }
}
