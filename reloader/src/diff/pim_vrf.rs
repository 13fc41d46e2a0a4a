//! pimd's instances for VRFs (FRR 10.2 to 10.7.1): pimd makes one for each
//! VRF it hears of (`pim_vrf_new`) with AutoRP discovery off
//! (`pim_autorp_init`), and turns discovery on only when the VRF becomes
//! active (`pim_vrf_enable` → `pim_autorp_enable`). Until then it prints
//! `router pim vrf NAME` / ` no autorp discovery` (`pim_autorp_config_write`),
//! on a clean boot too. `no router pim vrf NAME` leaves the instance (it
//! lives as long as pimd's VRF) with discovery off; where the desired
//! configuration does not name the VRF, the reload types `autorp
//! discovery` into it (`compare`), and the instance prints nothing, as a
//! clean boot does. pimd would turn discovery on itself once the VRF became
//! active. Where it names the VRF, both sides print the line or neither
//! ([`settled`]).

use std::borrow::Cow;

use crate::config::Config;
use protocol::Delta;

/// pimd's line for AutoRP discovery turned off.
const AUTORP_OFF: &str = "no autorp discovery";

/// `running` without the `no autorp discovery` pimd prints on its own for
/// a VRF that a clean boot of `desired` makes pimd hear of too (a `vrf
/// NAME` block, a `router pim vrf NAME`), where `desired` says nothing of
/// AutoRP discovery there: both print it or neither (the VRF's kernel
/// state decides), so it is no difference. A stanza left empty goes with
/// it, unless `desired` has it (empty: a `router pim vrf NAME` typed for
/// the instance, or for lines pimd prints elsewhere). Elsewhere the line
/// stays a difference, which the reload deletes by typing `autorp
/// discovery` (`compare`): a VRF pimd heard of only through the reload
/// is no success while pimd prints it.
pub(crate) fn settled<'a>(running: &'a Config, desired: &Config) -> Cow<'a, Config> {
    let own = |key: &[String], lines: &crate::config::tree::Lines| {
        let [line] = key else { return false };
        let Some(name) = line.strip_prefix("router pim vrf ") else {
            return false;
        };
        lines.contains(AUTORP_OFF)
            && desired.pim_vrfs.contains(name)
            && desired.contexts.get(key).is_none_or(|want| {
                !want
                    .lines
                    .iter()
                    .any(|l| l.strip_prefix("no ").unwrap_or(l) == "autorp discovery")
            })
    };
    let keys: Vec<_> = running
        .contexts
        .iter()
        .filter(|(key, ctx)| own(key, &ctx.lines))
        .map(|(key, _)| key.clone())
        .collect();
    if keys.is_empty() {
        return Cow::Borrowed(running);
    }
    let mut settled = running.clone();
    for key in keys {
        let Some(ctx) = settled.contexts.get_mut(&key) else {
            continue;
        };
        ctx.lines.shift_remove(AUTORP_OFF);
        if ctx.lines.is_empty() && !desired.contexts.contains_key(&key) {
            settled.contexts.shift_remove(&key);
        }
    }
    Cow::Owned(settled)
}

/// Sends the static routes of a VRF that `desired` names only in flat
/// `ip route … vrf NAME` lines as such lines, never inside `vrf NAME`:
/// vtysh sends a `vrf NAME` opener to pimd too, which makes it an instance
/// for the VRF (printed while the VRF is inactive) that a clean boot of
/// `desired` does not have (topotests' ospf6_topo1_vrf), and no command
/// removes. Such a VRF's opener goes when nothing is left inside it.
pub(crate) fn flatten_static_routes(delta: &mut Delta, desired: &Config) {
    let flat_vrf = |context: &[String]| -> Option<String> {
        let [vrf] = context else { return None };
        let name = vrf.strip_prefix("vrf ")?;
        (!desired.pim_vrfs.contains(name)).then(|| name.to_owned())
    };
    let is_route = |c: &str| {
        let c = c.strip_prefix("no ").unwrap_or(c);
        c.starts_with("ip route ") || c.starts_with("ipv6 route ")
    };
    let mut touched = false;
    for command in delta.delete.iter_mut().chain(delta.add.iter_mut()) {
        let Some(name) = flat_vrf(&command.context).filter(|_| is_route(&command.command)) else {
            continue;
        };
        command.context.clear();
        command.command = format!("{} vrf {name}", command.command);
        touched = true;
    }
    if !touched {
        return;
    }
    let inside: Vec<String> = delta
        .add
        .iter()
        .filter_map(|c| c.context.first().cloned())
        .collect();
    delta.add.retain(|c| {
        !(c.context.is_empty()
            && flat_vrf(std::slice::from_ref(&c.command)).is_some()
            && !inside.contains(&c.command))
    });
    delta.stats.adds = delta.add.len();
}

#[cfg(test)]
mod tests {
    use crate::{diff_text, Options};

    const RUNNING: &str = "frr version 10.4.3\nvrf red\nexit-vrf\n!\nrouter pim vrf red\n \
                           no autorp discovery\nexit\n";

    fn script(running: &str, desired: &str) -> String {
        diff_text(running, desired, &Options::default())
            .unwrap()
            .script
    }

    #[test]
    fn pimds_own_vrf_stanza_is_no_difference_where_a_clean_boot_prints_it() {
        assert_eq!(script(RUNNING, "vrf red\nexit-vrf\n"), "");
        let with_lines = "frr version 10.4.3\nrouter pim vrf red\n join-prune-interval 5\n \
                          no autorp discovery\nexit\n";
        assert_eq!(
            script(
                with_lines,
                "router pim vrf red\n join-prune-interval 5\nexit\n"
            ),
            ""
        );
    }

    #[test]
    fn a_flat_static_route_stays_flat() {
        let running = "frr version 10.4.3\nip prefix-list L seq 5 permit 192.0.2.0/24\n";
        let flat = "ipv6 route fc00::/64 fc00:1::1234 vrf r1-cust1\n";
        assert_eq!(
            script(running, flat),
            "no ip prefix-list L\nipv6 route fc00::/64 fc00:1::1234 vrf r1-cust1\n"
        );
        let block = "vrf r1-cust1\n ipv6 route fc00::/64 fc00:1::1234\nexit-vrf\n";
        assert!(script(running, block).contains("vrf r1-cust1\n ipv6 route"));
        let printed = "frr version 10.4.3\nvrf r1-cust1\n ipv6 route fc00::/64 fc00:1::1234\n\
                       exit-vrf\n";
        assert_eq!(
            script(printed, ""),
            "no ipv6 route fc00::/64 fc00:1::1234 vrf r1-cust1\nno vrf r1-cust1\n"
        );
    }

    #[test]
    fn a_vrf_pimd_heard_of_only_through_the_reload_stays_a_difference() {
        // A flat static route reaches staticd alone: a clean boot of it
        // makes pimd no instance for the VRF, and an instance with
        // discovery on and nothing else prints nothing.
        let flat = "ip route 192.0.2.0/24 blackhole vrf red\n";
        assert!(
            script(RUNNING, flat).contains("router pim vrf red\n autorp discovery\nexit\n"),
            "{}",
            script(RUNNING, flat)
        );
        // Discovery the desired configuration turns off is its own line.
        let typed = "vrf red\nexit-vrf\nrouter pim vrf red\n autorp discovery\nexit\n";
        assert!(script(RUNNING, typed).contains("autorp discovery"));
    }
}
