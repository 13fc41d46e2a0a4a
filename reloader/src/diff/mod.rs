//! The delta between two configurations: `compare` builds a `plan` of
//! deletes and adds context by context, `neighbor` and `rebuild` rewrite
//! it as a whole, and `script` renders the sorted plan into the commands
//! and the script for vtysh.

pub mod autorp;
mod compare;
pub mod impact;
mod neighbor;
mod pim_vrf;
mod plan;
mod rebuild;
pub(crate) mod script;

use crate::config::Config;
use protocol::Delta;

/// Computes the delta that turns `running` into `desired`.
pub fn diff(running: &Config, desired: &Config) -> Delta {
    let mut delta = unrendered(running, desired);
    delta.script = script::render_delta(&delta).text;
    delta
}

/// [`diff`] without the script, for a caller that changes the commands
/// before it renders them ([`script::render_delta`]).
pub(crate) fn unrendered(running: &Config, desired: &Config) -> Delta {
    let running = autorp::settled(running, desired);
    let running = pim_vrf::settled(&running, desired);
    let mut delta = script::unrendered(compare::plan(&running, desired), &running, desired);
    pim_vrf::flatten_static_routes(&mut delta, desired);
    delta
}

#[cfg(test)]
mod tests {
    use crate::{diff_text, Options};

    #[test]
    fn forwarding_is_sent_only_where_it_is_off() {
        let desired = "ip forwarding\nipv6 forwarding\n";
        let on = "frr version 10.4.3\nip prefix-list L seq 5 permit 192.0.2.0/24\n";
        let delta = diff_text(on, desired, &Options::default()).unwrap();
        assert!(!delta.script.contains("forwarding"), "{}", delta.script);
        let off = "frr version 10.4.3\nno ip forwarding\nno ipv6 forwarding\n";
        let delta = diff_text(off, desired, &Options::default()).unwrap();
        assert!(
            delta.script.contains("\nip forwarding\n")
                || delta.script.starts_with("ip forwarding\n"),
            "{}",
            delta.script
        );
        assert!(
            delta.script.contains("ipv6 forwarding\n"),
            "{}",
            delta.script
        );
    }

    #[test]
    fn a_pim_router_loses_its_lines_but_never_turns_autorp_on() {
        let running = "frr version 10.4.3\nrouter pim vrf red\n rp 10.0.0.1 224.0.0.0/4\n \
                       no autorp discovery\nexit\n";
        let delta = diff_text(
            running,
            "ip prefix-list L seq 5 permit 192.0.2.0/24\n",
            &Options::default(),
        )
        .unwrap();
        assert!(
            delta.script.contains(" no rp 10.0.0.1 224.0.0.0/4\n"),
            "{}",
            delta.script
        );
        assert!(!delta.script.contains("autorp"), "{}", delta.script);
        assert!(!delta.script.contains("no router pim"), "{}", delta.script);
    }
}
