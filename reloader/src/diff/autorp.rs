//! pimd 10.7's AutoRP discovery in the default VRF, as the rules read it
//! (`no autorp discovery` dropped on both sides, `autorp discovery` added
//! to a printed `router pim` that lacks it): pimd prints a `router pim`
//! for discovery off even with nothing else in it, and none at all for
//! discovery on with nothing else, which a text alone cannot tell apart
//! from no pimd running.

use std::borrow::Cow;

use crate::config::grammar::Kind;
use crate::config::tree::Key;
use crate::config::Config;

const ROUTER_PIM: &str = "router pim";

/// The line the rules give a printed `router pim` with discovery on.
const AUTORP_ON: &str = "autorp discovery";

fn router_pim(config: &Config) -> Option<&crate::config::tree::Context> {
    config.contexts.get([ROUTER_PIM.to_owned()].as_slice())
}

/// `running` without the empty `router pim` the rules leave of pimd's
/// own stanza for discovery off, where `desired` has no `router pim`: off
/// is pimd's default there, and a `no router pim` would be undone at once.
pub(crate) fn settled<'a>(running: &'a Config, desired: &Config) -> Cow<'a, Config> {
    let own = router_pim(running).is_some_and(|ctx| ctx.lines.is_empty());
    if !own || router_pim(desired).is_some() {
        return Cow::Borrowed(running);
    }
    let mut settled = running.clone();
    settled
        .contexts
        .shift_remove([ROUTER_PIM.to_owned()].as_slice());
    Cow::Owned(settled)
}

/// Whether a running configuration of FRR `version` needs
/// [`with_pimd_running`]: FRR 10.7 or later, and pimd among the `daemons`
/// running (as [`crate::frr::Vtysh::daemons`] gives them; asked only for
/// such a version).
pub fn unprinted_on(
    version: crate::config::FrrVersion,
    daemons: impl FnOnce() -> Option<Vec<&'static str>>,
) -> bool {
    version >= crate::config::PIM_AUTORP_DISCOVERY_OFF
        && daemons().is_some_and(|d| d.contains(&"pimd"))
}

/// With pimd known to run (FRR 10.7 and later), a running configuration
/// without `router pim` has discovery on: says so in `running`. The diff
/// then turns discovery off, where `desired` has it off, with `no autorp
/// discovery` (pimd's `router pim` goes line by line), where else a
/// reload from discovery on to a configuration without it would send
/// nothing and read as converged.
pub fn with_pimd_running(running: &mut Config) {
    if router_pim(running).is_some() {
        return;
    }
    let line_no = running.input_lines;
    running
        .context_mut(Key::Line(ROUTER_PIM.to_owned()), Kind::Router, line_no)
        .lines
        .insert(AUTORP_ON.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FrrVersion;
    use crate::diff;

    const V10_7: FrrVersion = FrrVersion::new(10, 7);
    const HEADER: &str =
        "Building configuration...\n\nCurrent configuration:\n!\nfrr version 10.7.1\n";

    fn parse(text: &str) -> Config {
        Config::parse_for(text, V10_7).unwrap()
    }

    fn running(body: &str) -> Config {
        parse(&format!("{HEADER}{body}end\n"))
    }

    #[test]
    fn discovery_off_alone_is_no_difference() {
        let running = running("router pim\n no autorp discovery\nexit\n");
        for desired in ["", "router pim\n no autorp discovery\nexit\n"] {
            let desired = parse(desired);
            let mut running = running.clone();
            with_pimd_running(&mut running);
            assert_eq!(diff(&running, &desired).script, "", "{desired:?}");
        }
    }

    #[test]
    fn discovery_on_is_turned_off_and_on() {
        // pimd prints discovery on, with nothing else, as nothing at all.
        let mut on = running("");
        let off = parse("router pim\n no autorp discovery\nexit\n");
        with_pimd_running(&mut on);
        assert_eq!(
            diff(&on, &off).script,
            "router pim\n no autorp discovery\nexit\n"
        );
        let mut on = running("");
        let desired = parse("router pim\n autorp discovery\nexit\n");
        with_pimd_running(&mut on);
        assert_eq!(diff(&on, &desired).script, "");
        // With other lines, the stanza shows which.
        let on = running("router pim\n rp 192.0.2.1 224.0.0.0/4\nexit\n");
        let off = parse("router pim\n rp 192.0.2.1 224.0.0.0/4\nexit\n");
        assert!(diff(&on, &off).script.contains(" no autorp discovery\n"));
        let off_running =
            running("router pim\n rp 192.0.2.1 224.0.0.0/4\n no autorp discovery\nexit\n");
        let on_desired = parse("router pim\n autorp discovery\n rp 192.0.2.1 224.0.0.0/4\nexit\n");
        assert!(diff(&off_running, &on_desired)
            .script
            .contains(" autorp discovery\n"));
        assert_eq!(diff(&off_running, &off).script, "");
    }

    #[test]
    fn without_pimd_nothing_is_added() {
        // What the pipeline does when it does not know that pimd runs.
        let running = running("");
        assert_eq!(diff(&running, &parse("")).script, "");
    }
}
