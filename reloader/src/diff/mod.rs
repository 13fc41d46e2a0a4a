//! The delta between two configurations: `compare` builds a `plan` of
//! deletes and adds context by context, `neighbor` and `rebuild` rewrite
//! it as a whole, and `script` renders the sorted plan into the commands
//! and the script for vtysh.

pub mod autorp;
mod compare;
pub mod impact;
mod neighbor;
pub mod ospf_network;
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
    fn a_default_bgp_instance_that_goes_takes_the_leaking_vrf_instances_with_it() {
        let vrf = "router bgp 65500 vrf red\n neighbor 192.0.2.6 remote-as 64601\n \
                   address-family ipv4 unicast\n  export vpn\n exit-address-family\nexit\n";
        let running = format!("router bgp 65500\n bgp router-id 192.0.2.1\nexit\n{vrf}");
        let desired = format!("router bgp 65501\n bgp router-id 192.0.2.1\nexit\n{vrf}");
        let delta = diff_text(&running, &desired, &Options::default()).unwrap();
        assert_eq!(
            delta.script,
            "no router bgp 65500 vrf red\nno router bgp 65500\nrouter bgp 65501\n \
             bgp router-id 192.0.2.1\nexit\nrouter bgp 65500 vrf red\n \
             neighbor 192.0.2.6 remote-as 64601\n address-family ipv4 unicast\n  \
             export vpn\n exit\nexit\n"
        );
        // A VRF that does not leak stays: bgpd deletes the default alone.
        let plain = |text: &str| text.replace("  export vpn\n", "");
        let delta = diff_text(&plain(&running), &plain(&desired), &Options::default()).unwrap();
        assert!(!delta.script.contains(" vrf red"), "{}", delta.script);
        // The default instance kept: the VRF's is changed in place.
        let changed = desired.replace("64601", "64602").replace("65501", "65500");
        let delta = diff_text(&running, &changed, &Options::default()).unwrap();
        assert!(!delta.script.contains("no router bgp"), "{}", delta.script);
    }

    #[test]
    fn the_vty_timeout_goes_back_to_its_default() {
        let running = "line vty\n exec-timeout 0 0\n no login\nexit\n";
        let put_back = "line vty\n login\n exec-timeout 10 0\nexit\n";
        // `line vty` left out, or typed with its timeout left out.
        for desired in ["", "line vty\nexit\n"] {
            let delta = diff_text(running, desired, &Options::default()).unwrap();
            assert_eq!(delta.script, put_back, "{desired}");
        }
        // Another value replaces it in place.
        let desired = "line vty\n exec-timeout 1 0\n no login\nexit\n";
        let delta = diff_text(running, desired, &Options::default()).unwrap();
        assert_eq!(delta.script, "line vty\n exec-timeout 1 0\nexit\n");
    }

    #[test]
    fn an_interface_peer_given_the_ttl_of_an_ibgp_peer_is_made_again() {
        let v10 = Options {
            version: crate::FrrVersion::V10_3,
        };
        let running = "router bgp 64512\n neighbor eth2 interface remote-as external\n \
                       neighbor eth2 local-as 64601 no-prepend replace-as\n \
                       neighbor eth2 timers 1 3\nexit\n";
        let desired = running.replace("external", "64512");
        let delta = diff_text(running, &desired, &v10).unwrap();
        assert_eq!(
            delta.script,
            "router bgp 64512\n no neighbor eth2\n neighbor eth2 interface remote-as 64512\n \
             neighbor eth2 local-as 64601 no-prepend replace-as\n neighbor eth2 ebgp-multihop\n \
             neighbor eth2 timers 1 3\nexit\n"
        );
        // A numbered peer takes the `ebgp-multihop`: changed in place.
        let numbered = |text: &str| {
            text.replace("eth2 interface", "192.0.2.1")
                .replace("eth2", "192.0.2.1")
        };
        let delta = diff_text(&numbered(running), &numbered(&desired), &v10).unwrap();
        assert!(!delta.script.contains("no neighbor"), "{}", delta.script);
        assert!(
            delta.script.contains(" neighbor 192.0.2.1 ebgp-multihop\n"),
            "{}",
            delta.script
        );
    }

    #[test]
    fn a_view_is_deleted_by_its_name_as_a_vrf_instance_is() {
        let view = "router bgp 64500 view one\n bgp router-id 192.0.2.3\nexit\n";
        let default = "router bgp 64500\n bgp router-id 192.0.2.1\nexit\n";
        let delta = diff_text(view, default, &Options::default()).unwrap();
        assert_eq!(
            delta.script,
            "no router bgp 64500 vrf one\nrouter bgp 64500\n bgp router-id 192.0.2.1\nexit\n"
        );
        // Its notation stays with it; the default instance goes last.
        let view = view.replace("view one", "view one as-notation dot");
        let delta = diff_text(&format!("{default}{view}"), "", &Options::default()).unwrap();
        assert_eq!(
            delta.script,
            "no router bgp 64500 vrf one as-notation dot\nno router bgp 64500\n"
        );
    }

    #[test]
    fn link_params_change_in_place_and_go_as_zebra_takes_it() {
        use crate::FrrVersion;
        let v8 = Options {
            version: FrrVersion::V8_4,
        };
        let v10 = Options {
            version: FrrVersion::V10_3,
        };
        // As FRR 8.4 prints a block: enable first.
        let running = "frr version 8.4.4\ninterface eth9\n link-params\n  enable\n  metric 20\n  \
                       max-bw 1e+11\n  delay 10000\n  packet-loss 0.1\n exit-link-params\nexit\n";
        // A value typed otherwise, one changed, one gone: in place, bare no.
        let desired =
            "interface eth9\n link-params\n  metric 30\n  max-bw 10e+10\n  delay 10000\n \
                       exit-link-params\nexit\n";
        let commands = |delta: &crate::Delta| -> Vec<String> {
            let all = delta.delete.iter().chain(&delta.add);
            all.map(|c| c.command.clone()).collect()
        };
        let delta = diff_text(running, desired, &v8).unwrap();
        assert_eq!(
            commands(&delta),
            ["no packet-loss", "metric 30"],
            "{}",
            delta.script
        );
        // A bandwidth limit gone: FRR 8.4 clears the block with no enable,
        // and what it keeps is typed again.
        let kept = "interface eth9\n link-params\n  metric 20\n  delay 10000\n  \
                    packet-loss 0.1\n exit-link-params\nexit\n";
        let delta = diff_text(running, kept, &v8).unwrap();
        assert_eq!(
            commands(&delta),
            [
                "no enable",
                "enable",
                "metric 20",
                "delay 10000",
                "packet-loss 0.1"
            ],
            "{}",
            delta.script
        );
        // The whole block: FRR 8.4 clears it with no enable.
        let delta = diff_text(running, "interface eth9\nexit\n", &v8).unwrap();
        assert_eq!(commands(&delta), ["no enable"], "{}", delta.script);
        // FRR 10: `no link-params` takes the block whole, bandwidths too.
        let running = "frr version 10.4.3\ninterface eth9\n link-params\n  metric 20\n  \
                       max-bw 1e+11\n  packet-loss 0.100000\n exit-link-params\nexit\n";
        let delta = diff_text(running, "interface eth9\nexit\n", &v10).unwrap();
        assert_eq!(commands(&delta), ["no link-params"], "{}", delta.script);
        // A bandwidth limit gone: the block goes alone in this pass (mgmtd
        // refuses it typed again in the same commit), the next types it.
        let kept = "interface eth9\n link-params\n  metric 30\n  packet-loss 0.1\n \
                    exit-link-params\nexit\n";
        let delta = diff_text(running, kept, &v10).unwrap();
        assert_eq!(commands(&delta), ["no link-params"], "{}", delta.script);
        let next = "frr version 10.4.3\ninterface eth9\nexit\n";
        let delta = diff_text(next, kept, &v10).unwrap();
        assert_eq!(
            commands(&delta),
            ["link-params", "metric 30", "packet-loss 0.100000"],
            "{}",
            delta.script
        );
        // A new value of it: in place.
        let delta = diff_text(
            running,
            &kept.replace("  metric 30", "  max-bw 1e+10"),
            &v10,
        );
        let delta = delta.unwrap();
        assert!(!delta.script.contains("no link-params"), "{}", delta.script);
    }

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
    fn a_pim_router_that_goes_loses_its_lines_and_turns_autorp_back_on() {
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
        assert!(
            delta.script.contains(" autorp discovery\n"),
            "{}",
            delta.script
        );
        assert!(!delta.script.contains("no router pim"), "{}", delta.script);
    }
}
