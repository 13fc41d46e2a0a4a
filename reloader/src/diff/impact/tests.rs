//! One test per rule class: a running and a desired configuration, the
//! delta between them, and the sessions it is predicted to touch.

use super::*;
use crate::diff::diff;

const BASE: &str = "\
router bgp 64512
 bgp router-id 192.0.2.1
 neighbor 192.0.2.2 remote-as 64513
 neighbor 192.0.2.3 remote-as 64512
 neighbor FABRIC peer-group
 neighbor FABRIC remote-as external
 neighbor 198.51.100.2 peer-group FABRIC
 neighbor 198.51.100.3 peer-group FABRIC
 neighbor eth1 interface remote-as external
 address-family ipv4 unicast
  neighbor 192.0.2.2 route-map IN in
 exit-address-family
exit
route-map IN permit 10
 set local-preference 200
exit
";

/// The impacts of turning `running` into `desired` on `version`.
fn impacts_on(running: &str, desired: &str, version: FrrVersion) -> Vec<Impact> {
    let running = Config::parse(running).unwrap();
    let desired = Config::parse(desired).unwrap();
    impact(&running, &diff(&running, &desired), version)
}

fn impacts(running: &str, desired: &str) -> Vec<Impact> {
    impacts_on(running, desired, FrrVersion::V8_4)
}

/// `BASE` with `old` replaced by `new`.
fn changed(old: &str, new: &str) -> String {
    assert!(BASE.contains(old), "{old}");
    BASE.replacen(old, new, 1)
}

/// `(peer, effect)` of BGP sessions, in order.
fn bgp_effects(impacts: &[Impact]) -> Vec<(&str, Effect)> {
    impacts
        .iter()
        .filter(|i| i.kind == SessionKind::Bgp)
        .map(|i| (i.peer.as_str(), i.effect))
        .collect()
}

#[test]
fn remote_as_change_resets() {
    let got = impacts(
        BASE,
        &changed("192.0.2.2 remote-as 64513", "192.0.2.2 remote-as 64514"),
    );
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Reset)]);
    assert_eq!(got[0].vrf, "default");
    assert_eq!(
        got[0].because,
        ["neighbor 192.0.2.2 remote-as 64514 (changed in place)"]
    );
}

#[test]
fn update_source_resets_and_says_so() {
    let desired = changed(
        " neighbor 192.0.2.3 remote-as 64512\n",
        " neighbor 192.0.2.3 remote-as 64512\n neighbor 192.0.2.3 update-source lo\n",
    );
    let got = impacts(BASE, &desired);
    assert_eq!(bgp_effects(&got), [("192.0.2.3", Effect::Reset)]);
    assert_eq!(got[0].because, ["neighbor 192.0.2.3 update-source lo"]);
}

#[test]
fn route_maps_in_and_out_are_soft() {
    let got = impacts(
        BASE,
        &changed(
            "route-map IN in",
            "route-map OTHER in\n  neighbor 192.0.2.3 route-map OUT out",
        ),
    );
    assert_eq!(
        bgp_effects(&got),
        [("192.0.2.2", Effect::Soft), ("192.0.2.3", Effect::Soft)]
    );
    assert_eq!(
        got[0].because,
        ["neighbor 192.0.2.2 route-map OTHER in (changed in place)"]
    );
}

#[test]
fn a_changed_route_map_refreshes_its_users() {
    let got = impacts(
        BASE,
        &changed("local-preference 200", "local-preference 300"),
    );
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Soft)]);
}

#[test]
fn password_resets_and_is_redacted() {
    let desired = changed(
        " neighbor 192.0.2.2 remote-as 64513\n",
        " neighbor 192.0.2.2 remote-as 64513\n neighbor 192.0.2.2 password S3CRET\n",
    );
    let got = impacts(BASE, &desired);
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Reset)]);
    assert!(
        !got[0].because[0].contains("S3CRET"),
        "{:?}",
        got[0].because
    );
    // Removing it resets too.
    let got = impacts(&desired, BASE);
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Reset)]);
}

#[test]
fn timers_and_description_change_nothing() {
    let desired = changed(
        " neighbor 192.0.2.2 remote-as 64513\n",
        " neighbor 192.0.2.2 remote-as 64513\n neighbor 192.0.2.2 timers 1 3\n \
         neighbor 192.0.2.2 timers connect 1\n neighbor 192.0.2.2 description peer\n \
         timers bgp 10 30\n",
    );
    assert_eq!(impacts(BASE, &desired), []);
    let again = desired.replace("timers 1 3", "timers 3 9");
    assert_eq!(impacts(&desired, &again), []);
}

#[test]
fn a_peer_group_change_applies_to_its_members() {
    let desired = changed(
        " neighbor FABRIC remote-as external\n",
        " neighbor FABRIC remote-as external\n neighbor FABRIC password S3CRET\n",
    );
    let got = impacts(BASE, &desired);
    assert_eq!(
        bgp_effects(&got),
        [
            ("198.51.100.2", Effect::Reset),
            ("198.51.100.3", Effect::Reset)
        ]
    );
    // A peer that joins a group is reset; one already in it is not.
    let desired = changed(
        " neighbor 198.51.100.3 peer-group FABRIC\n",
        " neighbor 198.51.100.3 peer-group FABRIC\n neighbor 192.0.2.2 peer-group FABRIC\n",
    );
    let got = impacts(BASE, &desired);
    assert!(bgp_effects(&got).contains(&("192.0.2.2", Effect::Reset)));
    assert!(!got.iter().any(|i| i.peer.starts_with("198.51.100.")));
}

#[test]
fn router_id_resets_every_peer_of_its_router() {
    let got = impacts(BASE, &changed("router-id 192.0.2.1", "router-id 192.0.2.9"));
    let peers: Vec<&str> = got.iter().map(|i| i.peer.as_str()).collect();
    assert_eq!(
        peers,
        [
            "192.0.2.2",
            "192.0.2.3",
            "198.51.100.2",
            "198.51.100.3",
            "eth1"
        ]
    );
    assert!(got.iter().all(|i| i.effect == Effect::Reset));
    assert_eq!(
        got[0].because,
        ["bgp router-id 192.0.2.9 (changed in place)"]
    );
}

#[test]
fn a_vrf_instance_names_its_vrf() {
    let running = "router bgp 64512 vrf red\n neighbor 192.0.2.2 remote-as 64513\nexit\n";
    let desired = "router bgp 64512 vrf red\n neighbor 192.0.2.2 remote-as 64513\n \
                   neighbor 192.0.2.2 passive\nexit\n";
    let got = impacts(running, desired);
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Reset)]);
    assert_eq!(got[0].vrf, "red");
}

#[test]
fn restart_time_resets_graceful_peers_from_10_5() {
    let v10_5 = FrrVersion::new(10, 5);
    let gr = " bgp router-id 192.0.2.1\n bgp graceful-restart\n";
    let running = changed(" bgp router-id 192.0.2.1\n", gr);
    let desired = running.replace(gr, &format!("{gr} bgp graceful-restart restart-time 60\n"));
    assert_eq!(impacts_on(&running, &desired, FrrVersion::V10_3), []);
    let got = impacts_on(&running, &desired, v10_5);
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|i| i.effect == Effect::Reset));
    // Without `bgp graceful-restart`, only a peer that asks for it.
    let running = changed(
        " neighbor 192.0.2.3 remote-as 64512\n",
        " neighbor 192.0.2.3 remote-as 64512\n neighbor 192.0.2.3 graceful-restart\n",
    );
    let desired = running.replace(
        " bgp router-id 192.0.2.1\n",
        " bgp router-id 192.0.2.1\n bgp graceful-restart restart-time 60\n",
    );
    let got = impacts_on(&running, &desired, v10_5);
    assert_eq!(bgp_effects(&got), [("192.0.2.3", Effect::Reset)]);
}

#[test]
fn capability_and_role_rules_follow_the_release() {
    let desired = changed(
        " neighbor 192.0.2.3 remote-as 64512\n",
        " neighbor 192.0.2.3 remote-as 64512\n neighbor 192.0.2.3 capability dynamic\n",
    );
    let got = impacts_on(BASE, &desired, FrrVersion::V8_4);
    assert_eq!(bgp_effects(&got), [("192.0.2.3", Effect::Reset)]);
    assert_eq!(impacts_on(BASE, &desired, FrrVersion::V10_3), []);
}

#[test]
fn cluster_id_resets_ibgp_peers_only() {
    let desired = changed(
        " bgp router-id 192.0.2.1\n",
        " bgp router-id 192.0.2.1\n bgp cluster-id 192.0.2.100\n",
    );
    assert_eq!(
        bgp_effects(&impacts(BASE, &desired)),
        [("192.0.2.3", Effect::Reset)]
    );
}

#[test]
fn ebgp_multihop_leaves_ibgp_alone() {
    let desired = changed(
        " neighbor 192.0.2.3 remote-as 64512\n",
        " neighbor 192.0.2.3 remote-as 64512\n neighbor 192.0.2.3 ebgp-multihop 2\n \
         neighbor 192.0.2.2 ebgp-multihop 2\n",
    );
    assert_eq!(
        bgp_effects(&impacts(BASE, &desired)),
        [("192.0.2.2", Effect::Reset)]
    );
}

#[test]
fn removing_a_neighbor_resets_it_only() {
    let desired = BASE
        .replace(" neighbor 192.0.2.2 remote-as 64513\n", "")
        .replace("  neighbor 192.0.2.2 route-map IN in\n", "");
    let got = impacts(BASE, &desired);
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Reset)]);
}

#[test]
fn an_added_neighbor_resets_no_other() {
    let desired = changed(
        " neighbor 198.51.100.3 peer-group FABRIC\n",
        " neighbor 198.51.100.3 peer-group FABRIC\n neighbor 192.0.2.4 remote-as 64514\n \
         neighbor 192.0.2.4 password S3CRET\n neighbor 198.51.100.4 peer-group FABRIC\n",
    );
    assert_eq!(impacts(BASE, &desired), []);
}

#[test]
fn activation_resets_and_network_refreshes_the_family() {
    let desired = changed(
        "  neighbor 192.0.2.2 route-map IN in\n",
        "  network 203.0.113.0/24\n  neighbor 192.0.2.2 route-map IN in\n  \
         no neighbor 192.0.2.3 activate\n",
    );
    let got = impacts(BASE, &desired);
    assert_eq!(
        bgp_effects(&got),
        [
            ("192.0.2.2", Effect::Soft),
            ("192.0.2.3", Effect::Reset),
            ("198.51.100.2", Effect::Soft),
            ("198.51.100.3", Effect::Soft),
            ("eth1", Effect::Soft),
        ]
    );
}

#[test]
fn shutdown_resets_and_unshut_does_not() {
    let desired = changed(
        " neighbor 192.0.2.2 remote-as 64513\n",
        " neighbor 192.0.2.2 remote-as 64513\n neighbor 192.0.2.2 shutdown\n",
    );
    assert_eq!(
        bgp_effects(&impacts(BASE, &desired)),
        [("192.0.2.2", Effect::Reset)]
    );
    assert_eq!(impacts(&desired, BASE), []);
}

const WITH_BFD: &str = "\
router bgp 64512
 neighbor 192.0.2.2 remote-as 64513
 neighbor 192.0.2.2 bfd
 neighbor 192.0.2.2 bfd profile FAST
 neighbor 192.0.2.3 remote-as 64513
exit
bfd
 profile FAST
  receive-interval 200
 exit
 peer 198.51.100.7
  profile FAST
 exit
 peer 198.51.100.8
 exit
exit
";

fn bfd_effects(impacts: &[Impact]) -> Vec<(&str, Effect)> {
    impacts
        .iter()
        .filter(|i| i.kind == SessionKind::Bfd)
        .map(|i| (i.peer.as_str(), i.effect))
        .collect()
}

#[test]
fn bfd_profile_changes_are_soft_for_its_users() {
    let desired = WITH_BFD.replace("receive-interval 200", "receive-interval 100");
    let got = impacts(WITH_BFD, &desired);
    assert_eq!(bgp_effects(&got), []);
    assert_eq!(
        bfd_effects(&got),
        [("198.51.100.7", Effect::Soft), ("192.0.2.2", Effect::Soft)]
    );
    assert_eq!(got[0].because, ["receive-interval 100 (changed in place)"]);
    // Shutting the profile down takes its sessions AdminDown.
    let desired = WITH_BFD.replace("receive-interval 200", "receive-interval 200\n  shutdown");
    let got = impacts(WITH_BFD, &desired);
    assert_eq!(
        bfd_effects(&got),
        [
            ("198.51.100.7", Effect::Reset),
            ("192.0.2.2", Effect::Reset)
        ]
    );
}

#[test]
fn bfd_peers_removed_or_retimed() {
    let desired = WITH_BFD.replace(" peer 198.51.100.8\n exit\n", "");
    assert_eq!(
        bfd_effects(&impacts(WITH_BFD, &desired)),
        [("198.51.100.8", Effect::Reset)]
    );
    let desired = WITH_BFD.replace(
        " peer 198.51.100.8\n",
        " peer 198.51.100.8\n  transmit-interval 100\n",
    );
    assert_eq!(
        bfd_effects(&impacts(WITH_BFD, &desired)),
        [("198.51.100.8", Effect::Soft)]
    );
}

#[test]
fn neighbor_bfd_removal_ends_its_bfd_session_not_bgp() {
    let desired = WITH_BFD
        .replace(" neighbor 192.0.2.2 bfd\n", "")
        .replace(" neighbor 192.0.2.2 bfd profile FAST\n", "");
    let got = impacts(WITH_BFD, &desired);
    assert_eq!(bgp_effects(&got), []);
    assert_eq!(bfd_effects(&got), [("192.0.2.2", Effect::Reset)]);
    // Adding BFD to a peer creates a session and resets nothing.
    let desired = WITH_BFD.replace(
        " neighbor 192.0.2.3 remote-as 64513\n",
        " neighbor 192.0.2.3 remote-as 64513\n neighbor 192.0.2.3 bfd\n",
    );
    assert_eq!(impacts(WITH_BFD, &desired), []);
}

#[test]
fn removing_router_bgp_resets_all_its_sessions() {
    let got = impacts(WITH_BFD, "bfd\n profile FAST\n  receive-interval 200\n exit\n peer 198.51.100.7\n  profile FAST\n exit\n peer 198.51.100.8\n exit\nexit\n");
    assert_eq!(
        bgp_effects(&got),
        [("192.0.2.2", Effect::Reset), ("192.0.2.3", Effect::Reset)]
    );
    assert_eq!(bfd_effects(&got), [("192.0.2.2", Effect::Reset)]);
}

#[test]
fn the_summary_is_comments() {
    let got = impacts(BASE, &changed("router-id 192.0.2.1", "router-id 192.0.2.9"));
    let summary = render_summary(&got);
    assert!(summary.lines().all(|l| l.starts_with('!')), "{summary}");
    assert!(summary.starts_with("! impact: 5 session(s) reset, 0 refreshed\n"));
    assert_eq!(
        render_summary(&[]),
        "! impact: no session is reset or refreshed\n"
    );
}

#[test]
fn an_unnumbered_peer_changes_by_its_interface_name() {
    let got = impacts(
        BASE,
        &changed(
            "eth1 interface remote-as external",
            "eth1 interface remote-as internal",
        ),
    );
    assert_eq!(bgp_effects(&got), [("eth1", Effect::Reset)]);
    let desired = changed(" neighbor eth1 interface remote-as external\n", "");
    assert_eq!(
        bgp_effects(&impacts(BASE, &desired)),
        [("eth1", Effect::Reset)]
    );
}

#[test]
fn a_global_graceful_restart_mode_spares_peers_with_their_own() {
    let running = changed(
        " neighbor 192.0.2.3 remote-as 64512\n",
        " neighbor 192.0.2.3 remote-as 64512\n neighbor 192.0.2.3 graceful-restart-helper\n",
    );
    let desired = running.replace(
        " bgp router-id 192.0.2.1\n",
        " bgp router-id 192.0.2.1\n bgp graceful-restart\n",
    );
    let got = impacts_on(&running, &desired, FrrVersion::V10_3);
    assert_eq!(got.len(), 4);
    assert!(!got.iter().any(|i| i.peer == "192.0.2.3"));
    // FRR 8.4 changes the mode for the next session only.
    assert_eq!(impacts(&running, &desired), []);
}

#[test]
fn because_names_the_strongest_lines_and_counts_the_rest() {
    let mut running = BASE.to_owned();
    for seq in 1..=40 {
        running.push_str(&format!(
            "ip prefix-list L seq {seq} permit 192.0.2.{seq}/32\n"
        ));
    }
    let running = running.replace(
        " route-map IN in\n",
        " route-map IN in\n  neighbor 192.0.2.2 prefix-list L out\n",
    );
    let desired = running
        .replace(" permit 192.0.2.", " deny 192.0.2.")
        .replace(
            " remote-as 64513\n",
            " remote-as 64513\n neighbor 192.0.2.2 password S3CRET\n",
        );
    let got = impacts(&running, &desired);
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Reset)]);
    assert_eq!(got[0].because.len(), 1, "{:?}", got[0].because);
    // Without the password: soft, 16 entries named and the rest counted.
    let desired = desired.replace(" neighbor 192.0.2.2 password S3CRET\n", "");
    let got = impacts(&running, &desired);
    assert_eq!(bgp_effects(&got), [("192.0.2.2", Effect::Soft)]);
    assert_eq!(got[0].because.len(), MAX_BECAUSE + 1);
    assert!(
        got[0].because[MAX_BECAUSE].ends_with("more line(s)"),
        "{:?}",
        got[0].because
    );
}

/// bgp_addpath_set_peer_type() resets the peer on a new TX strategy, set
/// or removed (seen on an iBGP session on 8.4 and 10.4.3).
#[test]
fn addpath_tx_strategies_reset() {
    let af_line = "  neighbor 192.0.2.2 route-map IN in\n";
    for strategy in [
        "addpath-tx-all-paths",
        "addpath-tx-bestpath-per-AS",
        "addpath-tx-best-selected 2",
    ] {
        let with = changed(
            af_line,
            &format!("{af_line}  neighbor 192.0.2.3 {strategy}\n"),
        );
        for (running, desired) in [(BASE, with.as_str()), (with.as_str(), BASE)] {
            assert_eq!(
                bgp_effects(&impacts(running, desired)),
                [("192.0.2.3", Effect::Reset)],
                "{strategy}"
            );
        }
    }
}
