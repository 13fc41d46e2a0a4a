//! FRR configuration text → context tree, flattened the way frr-reload.py
//! keeps it: each context is identified by the path of node lines that
//! lead to it (`["router bgp 64512", "address-family ipv4 unicast"]`) and
//! holds the lines typed in it. A top-level single-line command is a
//! context of its own with no lines.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::grammar::{Cursor, Kind, Step};
use crate::config::keywords;
use crate::config::list;
use crate::config::normalize::{self, Normalizer};
use crate::config::rules;
use crate::config::slot;
use crate::config::tree::{Config, Key};
use crate::config::version::FrrVersion;
use crate::Error;

mod deleted;
mod exec;

/// Longest line FRR reads in one piece (`VTY_BUFSIZ` - 1): `vtysh -f`
/// splits longer lines into several commands, so they are refused here.
pub const MAX_LINE: usize = 4095;

/// The first release whose pimd has `ip pim join-prune-interval` in an
/// interface (measured on 10.7.1; 10.4.3 has only the global command).
const PIM_INTERFACE_JOIN_PRUNE: FrrVersion = FrrVersion::new(10, 7);

/// Characters of a refused line quoted in its error.
const QUOTED: usize = 200;

/// Why a line that abbreviates `end`, `exit` or `quit` alone is refused:
/// `vtysh -f` skips only a line that is `end` exactly, and FRR's check
/// reads `en` otherwise than the daemons do (FRR 8.4: vtysh stays in the
/// node, the daemons leave it, the lines after it fail).
const ABBREVIATED_EXIT: &str = "abbreviated `end`, `exit` or `quit`: write it in full";

/// Why a line after a top-level `exit` or `quit` is refused. There vtysh
/// leaves configuration mode: FRR 8.4 refuses the lines after it, or runs
/// them as exec commands, and after a second `exit` ends without reading
/// them (its check passes); FRR 10.4 stops reading at the first `exit`.
const AFTER_TOP_EXIT: &str =
    "configuration after a top-level `exit` or `quit` (vtysh has left configuration mode)";

/// Why a line about a BGP peer or peer-group is refused before bgpd can
/// take it (`% Specify remote-as or peer-group commands first`, `% Create
/// the peer-group or interface first`, `% Configure the peer-group
/// first`): bgpd refuses it at boot too, where the lines after it still
/// load. A reload that typed it once the peer exists would run what a
/// clean boot does not (topotest bgp_localpref_add_substract r1 types
/// `timers` before `remote-as`: a false success on 8.4 to 10.7.1).
const UNDEFINED_PEER: &str = "a line about a BGP peer before the peer is defined \
     (`neighbor ADDRESS remote-as …`, `neighbor IFNAME interface …`, `neighbor GROUP peer-group`, \
     or an address joining a group declared before): FRR refuses it, at boot too";

/// Why `no neighbor IFNAME capability extended-nexthop` is refused for an
/// interface peer: bgpd refuses it, at boot too (`Peer IFNAME cannot have
/// capability extended-nexthop turned off`, 8.4 to 10.7), where a reload
/// that typed it would be refused line by line, pass after pass.
const INTERFACE_PEER_ENHE: &str = "`no neighbor IFNAME capability extended-nexthop` for an \
     interface peer, which always has it: FRR refuses it, at boot too";

/// Why a `neighbor ADDRESS remote-as` of more than one word is refused
/// where it would define the peer: no command of bgpd's, it defines
/// nothing, and the peer's later lines are then refused too.
const REMOTE_AS_WORDS: &str = "a remote-as of more than one word (an AS number, `internal`, \
     `external` or `auto`): FRR refuses it, and it defines no peer";

/// Why a `neighbor X remote-as W` is refused where W is no AS number
/// bgpd reads (no leading digits: `rules::as_value`), nor `internal`,
/// `external` or `auto`: FRR's command line has no such command (`%
/// Unknown command`, 8.4 to 10.7), and the peer is not made by it.
const NO_AS_NUMBER: &str = "a remote-as that is no AS number (nor `internal`, `external` or \
     `auto`): FRR refuses it, at boot too, and it defines no peer";

/// Why a `router bgp ASN` is refused where an instance of the same VRF
/// (or view, or the default instance) has another AS: bgpd refuses it, at
/// boot too (`% BGP is already running; AS is N`), and reads the block's
/// lines at the top level (MetalLB's tests render two default instances).
const SECOND_BGP_INSTANCE: &str = "a second `router bgp` for a VRF (or the default instance) \
     with another AS (before FRR 10.2, an `import vrf` before it makes the first): bgpd refuses \
     it (`BGP is already running`), at boot too";

/// Why a typed `no router bgp` of an instance others depend on is
/// refused: the default instance while VRF instances or an `import vrf`
/// are there, a VRF's instance with an l3vni (`vni` in its `vrf` block).
/// bgpd refuses some of these (`Cannot delete default BGP instance`,
/// `Please unconfigure l3vni`), and deletes the instances an import made
/// or not depending on the release; read as a line kept, the reload
/// would type it on every pass, and whether it deletes anything would
/// depend on what stands around it (found by fuzzing: its printed form
/// read otherwise).
const PARTIAL_BGP_DELETE: &str = "a `no router bgp` of an instance others depend on where it \
     stands (the default instance beside VRF instances or an `import vrf`, a VRF's instance \
     with an l3vni): bgpd refuses it or deletes part of it; delete the others first, or leave \
     the line out";

/// Why an interface's IS-IS settings (`isis …`, `no isis …`) without its
/// `ip router isis` or `ipv6 router isis` are refused: each makes the
/// interface's isis container, whose area tag isisd's YANG model makes
/// mandatory, so the commit fails, and with it every command batched
/// with them (FRR 8.4, 10.3, 10.4.3 and 10.7.1 measured: a clean boot
/// also lost another interface's `ip router isis`).
const ISIS_WITHOUT_AREA: &str = "IS-IS settings (`isis …`) on an interface without its \
     `ip router isis TAG` or `ipv6 router isis TAG`: isisd's commit fails on the missing area \
     tag and drops the commands batched with them, at boot too";

/// The first release whose zebra validates an interface's EVPN
/// multihoming ESI in its YANG model (`zebra_nb_config.c`, FRR 10.0).
const TYPE3_ESI_VALIDATED: FrrVersion = FrrVersion::new(10, 0);

/// Why half of a type-3 ESI is refused from FRR 10.0: zebra's check that
/// the interface's ESI is unique compares one it never computed (only
/// the system MAC and the local discriminator together make one), so the
/// commit may fail ("ESI already exists on a different interface") and
/// drop what is batched with it: a clean boot did on 10.3, 10.4.3 and
/// 10.7.1, where a reload that deleted the other half was taken.
const TYPE3_ESI_HALF: &str = "half of an EVPN type-3 ESI (`evpn mh es-sys-mac` without a \
     numbered `evpn mh es-id`, or the reverse): zebra's check of the interface's ESI may \
     fail the commit, with what is batched with it, at boot too; give both, or neither";

/// The first release whose bgpd hides the instance an `import vrf` makes
/// (see [`Parser::check_vrf_imports`]).
const IMPORTED_VRF_INSTANCE_HIDDEN: FrrVersion = FrrVersion::new(10, 2);

/// Why a second `router eigrp` of a VRF is refused from FRR 10.4 on:
/// eigrpd's model allows one instance a VRF (FRRouting/frr 749dc0c966),
/// and fails the commit of its whole configuration, at boot too (measured
/// on 10.4.3 and 10.7.1; 8.4 and 10.3 take both).
const SECOND_EIGRP_INSTANCE: &str = "a second `router eigrp` for a VRF (or the default): \
     eigrpd 10.4 on allows one, and refuses all of its configuration, at boot too";
const ONE_EIGRP_INSTANCE: FrrVersion = FrrVersion::new(10, 4);

/// Why a bare `no ospf abr-type` is refused: from 10.2 its type is
/// optional, but ospfd still reads it and crashes (FRRouting/frr
/// d2c59d68c4; measured on 10.3, 10.4.3 and 10.7.1), and 8.4 refuses it.
const BARE_NO_ABR_TYPE: &str = "`no ospf abr-type` without its type: ospfd 10.2 on reads the \
     missing type and crashes, and 8.4 refuses it; give the type (`no ospf abr-type cisco`)";

/// Why a bare `no ipv6 ospf6 authentication key-id` is refused: ospf6d
/// reads the key words it leaves out and crashes where a key is set (8.4
/// to 10.7.1, built without OpenSSL as Debian's and frr-k8s's are;
/// `ospf6_interface.c`).
const OSPF6_BARE_KEY_ID: &str = "a bare `no ipv6 ospf6 authentication key-id`: ospf6d reads the \
     key it leaves out and crashes (8.4 to 10.7); give the whole line";

/// Why pimd's hidden `mlag IFNAME role … state … addr A` (`ip pim mlag`
/// at the top level) without its role or state is refused: pimd 10
/// compares the missing word and crashes (`pim_cmd.c`; measured on 10.3,
/// 10.4.3, 10.7.1).
const PIM_MLAG_PARTS: &str = "pimd's `mlag` without its role (`primary|secondary`) or state \
     (`up|down`): pimd 10 reads the missing word and crashes";

/// Why the hidden `ospf authentication-key KEY` (without `ip`) is refused
/// before 10.4: ospfd reads a word past it and crashes (measured on 8.4
/// and 10.3; 10.4.3 and 10.7.1 take it).
const OSPF_KEY_ALIAS: &str = "`ospf authentication-key` without `ip`: ospfd before 10.4 reads \
     past the line and crashes; write `ip ospf authentication-key`";

/// Why a line is refused that crashes a daemon of the release the text is
/// for (found by scanning FRR's commands for words they read but may
/// lack, and booting each on every release).
fn crashes(kind: Kind, line: &str, version: FrrVersion) -> Option<&'static str> {
    let mlag = |rest: &str| {
        let words: Vec<&str> = rest.split(' ').collect();
        let has = |a: &str, b: &str| words.iter().any(|w| *w == a || *w == b);
        !(has("primary", "secondary") && has("up", "down"))
    };
    match kind {
        Kind::Router if line == "no ospf abr-type" => Some(BARE_NO_ABR_TYPE),
        Kind::Router => line
            .strip_prefix("mlag ")
            .filter(|rest| mlag(rest))
            .map(|_| PIM_MLAG_PARTS),
        Kind::Top => line
            .strip_prefix("ip pim mlag ")
            .filter(|rest| mlag(rest))
            .map(|_| PIM_MLAG_PARTS),
        Kind::Interface if line == "no ipv6 ospf6 authentication key-id" => Some(OSPF6_BARE_KEY_ID),
        Kind::Interface
            if line.starts_with("ospf authentication-key ") && version < FrrVersion::new(10, 4) =>
        {
            Some(OSPF_KEY_ALIAS)
        }
        _ => None,
    }
}

/// The peers and peer-groups a `router bgp` instance has defined so far,
/// as bgpd takes the lines that define them (`peer_remote_as_vty`,
/// `neighbor_set_peer_group`, `peer_group_bind`, 8.4 to 10.7).
#[derive(Default)]
struct Peers {
    /// Peers and peer-groups defined.
    known: FxHashSet<String>,
    /// The peer-groups.
    groups: FxHashSet<String>,
    /// Each member's group.
    members: FxHashMap<String, String>,
    /// The interface peers (`neighbor IFNAME interface …`).
    interfaces: FxHashSet<String>,
}

impl Peers {
    /// Takes `neighbor WORDS…` as bgpd does, in `router bgp` or in an
    /// address family (`in_af`): whether it is taken, which defines its
    /// peer where the line does.
    fn take(&mut self, words: &[&str], in_af: bool) -> bool {
        let Some((&peer, rest)) = words.split_first() else {
            return true;
        };
        if rest == ["remote-as"] || (in_af && rest == ["peer-group"]) {
            // Incomplete (an address family has only the join, `neighbor
            // X peer-group G`): FRR's check refuses the line, and it
            // defines nothing (found by fuzzing).
            return true;
        }
        let numbered = peer.parse::<std::net::IpAddr>().is_ok();
        let known = self.known.contains(peer);
        let taken = match rest {
            // A group; declared again, the same group.
            ["peer-group"] => {
                self.groups.insert(peer.to_owned());
                true
            }
            // An address makes the peer; a name needs its interface peer
            // or group. A remote-as of more words is no command of bgpd's
            // and makes nothing (found by fuzzing: its exact `no` line
            // took it away, and the peer's later lines with it).
            ["remote-as", _] => known || numbered,
            // A group declared before: an address joins it, made if new
            // (measured on 8.4: whether the group has a remote-as or not);
            // an interface peer must be one already.
            ["peer-group", group] => self.groups.contains(*group) && (known || numbered),
            // An interface peer, possibly straight into a group.
            ["interface", tail @ ..] if !numbered => match tail {
                ["peer-group", group] | ["v6only", "peer-group", group] => {
                    self.groups.contains(*group)
                }
                _ => true,
            },
            _ => known,
        };
        if taken && !known {
            self.known.insert(peer.to_owned());
        }
        if let (true, ["peer-group", group]) = (taken, rest) {
            self.members.insert(peer.to_owned(), (*group).to_owned());
        }
        if taken && !numbered && rest.first() == Some(&"interface") {
            self.interfaces.insert(peer.to_owned());
        }
        taken
    }

    /// Forgets what a typed `no neighbor …` line deletes (see
    /// [`rules::deleted_peer`]): a peer, or a group with its members.
    fn forget(&mut self, line: &str) {
        let Some((peer, group)) = rules::deleted_peer(line) else {
            return;
        };
        self.known.remove(peer);
        self.members.remove(peer);
        self.interfaces.remove(peer);
        if group {
            self.groups.remove(peer);
            self.members.retain(|member, of| {
                let gone = of == peer;
                if gone {
                    self.known.remove(member);
                }
                !gone
            });
        }
    }
}

/// The first release whose ospf6d lacks the hidden `interface IFNAME area
/// A.B.C.D` of `router ospf6` (FRRouting/frr#14971, FRR 10.0).
const OSPF6_NO_INTERFACE_AREA: FrrVersion = FrrVersion::new(10, 0);

/// Why `interface IFNAME` after a `router ospf6` left without `exit` is
/// refused before FRR 10.0. vtysh walks up to the top level by itself,
/// but sends the line to ospf6d, still in `router ospf6`, where it is an
/// incomplete `interface IFNAME area A.B.C.D`: ospf6d fails it, the
/// daemons after ospf6d never get it, and the block's lines fail (FRR 8.4
/// measured, at boot from the same text too; topotest bfd_profiles_topo1
/// r4 was a false success).
const AFTER_OPEN_OSPF6: &str = "`interface IFNAME` after a `router ospf6` left without `exit`:      ospf6d before FRR 10.0 reads it as its own `interface IFNAME area` and fails,      at boot too; end `router ospf6` with `exit`";

impl Config {
    /// Parses configuration text (what a controller renders or what
    /// `show running-config` prints).
    /// Printing rules follow the default FRR version (see
    /// [`Config::parse_for`]).
    pub fn parse(text: &str) -> Result<Config, Error> {
        Config::parse_for(text, FrrVersion::default())
    }

    /// Parses text, normalizing it the way FRR `version` prints it.
    pub fn parse_for(text: &str, version: FrrVersion) -> Result<Config, Error> {
        Parser::new(version).run(text)
    }

    /// Parses a desired text as FRR reads it on top of `running`: one
    /// that names no `frr defaults` profile keeps the running one, whose
    /// line is read after the text ([`Parsing::running_profile`]), so the
    /// text's line numbers stay.
    pub fn parse_desired_for(
        desired: &str,
        running: &str,
        version: FrrVersion,
    ) -> Result<Config, Error> {
        let Some(line) = crate::config::running_profile_line(running, desired) else {
            return Config::parse_for(desired, version);
        };
        let bytes = desired.as_bytes();
        let mut parsing = Parsing::new(version, expected_contexts(bytes) + 2);
        parsing.bytes(bytes)?;
        parsing.running_profile(&line)?;
        parsing.finish()
    }

    /// Parses bytes, refusing invalid UTF-8 with the line where it occurs.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Config, Error> {
        Config::parse_bytes_for(bytes, FrrVersion::default())
    }

    /// [`Config::parse_bytes`] for FRR `version`.
    pub fn parse_bytes_for(bytes: &[u8], version: FrrVersion) -> Result<Config, Error> {
        let text = utf8(bytes, 0)?;
        Config::parse_for(text, version)
    }
}

/// `bytes` as text, or the error naming the line (counted from
/// `lines_before`) where they stop being UTF-8.
fn utf8(bytes: &[u8], lines_before: usize) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        let upto = &bytes[..e.valid_up_to()];
        let start = upto.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let shown = String::from_utf8_lossy(&bytes[start..]);
        Error::Parse {
            line: lines_before + crate::config::text::count_byte(upto, b'\n') + 1,
            text: shown.lines().next().unwrap_or_default().to_owned(),
            reason: "invalid UTF-8",
        }
    })
}

/// A configuration parsed a piece at a time, as its text is read: the
/// whole text is never held. For a large file this spares the process a
/// copy of it to fault in, page by page (a 20k-line file is 1.3 MB).
pub struct Parsing {
    parser: Parser,
    /// Lines read so far.
    lines: usize,
    /// The value of the first `frr defaults` line read, if any (see
    /// [`crate::config::with_running_profile`]).
    profile: Option<String>,
}

impl Parsing {
    /// A parse for FRR `version`, with room for about `expected_lines`
    /// contexts (a wrong guess costs growing the map).
    pub fn new(version: FrrVersion, expected_lines: usize) -> Parsing {
        let mut parser = Parser::new(version);
        parser.config.contexts.reserve(expected_lines);
        Parsing {
            parser,
            lines: 0,
            profile: None,
        }
    }

    /// Reads the next piece of the text: whole lines, except at the end
    /// of the text, where the last line may lack its `\n`.
    pub fn bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let text = utf8(bytes, self.lines)?;
        for raw in crate::config::text::lines(text) {
            self.lines += 1;
            if self.profile.is_none() {
                self.profile = crate::config::profile_of(raw).map(str::to_owned);
            }
            self.parser.raw_line(raw, self.lines)?;
        }
        Ok(())
    }

    /// Reads the running profile's `frr defaults P` line (see
    /// [`crate::config::running_profile_line`]) after the text, as its
    /// last line. It is FRR's, not typed: read even where the text left
    /// configuration mode with a top-level `exit` (before, a text ending
    /// so was refused for the line appended to it).
    pub fn running_profile(&mut self, line: &str) -> Result<(), Error> {
        let left = std::mem::replace(&mut self.parser.left_config, false);
        let read = self.bytes(line.as_bytes());
        self.parser.left_config = left;
        read
    }

    /// The value of the first `frr defaults` line read so far.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// The configuration read, or the error naming the line where what
    /// was read as a whole is refused.
    pub fn finish(self) -> Result<Config, Error> {
        self.parser.finish()
    }
}

struct Parser {
    config: Config,
    cursor: Cursor,
    /// Key of the current context (one entry per cursor level).
    key: Vec<String>,
    normalizer: Normalizer,
    /// Whitespace-collapsed copy of the current line (reused buffer).
    buf: String,
    /// Index of the context `key` names, once looked up.
    current: Option<usize>,
    /// Indices of the contexts that are blocks (not top-level lines), for
    /// the whole-configuration rules ([`rules::apply`]).
    blocks: Vec<usize>,
    /// When asked for: the 0-based numbers of the lines read at the top
    /// level (see [`top_level_lines`]).
    top_level: Option<Vec<usize>>,
    /// Whether a top-level `exit` or `quit` was read: vtysh is no longer
    /// in configuration mode.
    left_config: bool,
    /// Whether the text is what FRR printed (`show running-config`'s
    /// header was read), rather than what someone typed: where FRR prints
    /// a setting otherwise than it is typed, the rules need to know.
    printed: bool,
    /// Whether ospf6d is still in a `router ospf6` that the text left for
    /// the top level without an `exit` (see [`AFTER_OPEN_OSPF6`]).
    ospf6_open: bool,
    /// The peers and peer-groups each `router bgp` instance has defined so
    /// far, by its opener (see [`UNDEFINED_PEER`]).
    peers: FxHashMap<String, Peers>,
    /// The last line typed for each top-level setting of one value
    /// ([`slot::single_top_value`]): the others are dropped at the end.
    top_values: FxHashMap<&'static str, String>,
    /// The AS of each `router bgp` instance a typed text opened, by what
    /// follows the AS (`vrf NAME`, `view NAME`, or nothing).
    bgp_instances: FxHashMap<String, String>,
    /// The blocks a typed top-level `no` may delete, and those it has.
    deletions: deleted::Deletions,
    /// The first line typed in each interface that needs another there
    /// (see [`INTERFACE_NEEDS`]), by the need's index and the interface's
    /// opener, with its number.
    interface_needs: FxHashMap<(usize, String), (usize, String)>,
}

/// The 0-based numbers of the lines of `text` that the parser reads at the
/// top level, each starting a block or being a one-line command; the lines
/// after one, up to the next, belong to it. `None` if `text` does not
/// parse. Only the nodes are followed: no configuration is built.
pub fn top_level_lines(text: &str) -> Option<Vec<usize>> {
    let mut parser = Parser::new(FrrVersion::default());
    parser.top_level = Some(Vec::new());
    let mut top_level = None;
    parser.run_with(text, &mut top_level).ok()?;
    top_level
}

impl Parser {
    fn new(version: FrrVersion) -> Parser {
        Parser {
            config: Config::default(),
            cursor: Cursor::default(),
            key: Vec::new(),
            normalizer: Normalizer::new(version),
            buf: String::new(),
            current: None,
            blocks: Vec::new(),
            top_level: None,
            left_config: false,
            printed: false,
            ospf6_open: false,
            peers: FxHashMap::default(),
            top_values: FxHashMap::default(),
            bgp_instances: FxHashMap::default(),
            deletions: deleted::Deletions::default(),
            interface_needs: FxHashMap::default(),
        }
    }

    fn run(self, text: &str) -> Result<Config, Error> {
        self.run_with(text, &mut None)
    }

    /// [`Parser::run`], handing the top-level line numbers (if recorded)
    /// to `top_level`.
    fn run_with(mut self, text: &str, top_level: &mut Option<Vec<usize>>) -> Result<Config, Error> {
        self.config
            .contexts
            .reserve(expected_contexts(text.as_bytes()) + 1);
        for (i, raw) in crate::config::text::lines(text).enumerate() {
            self.raw_line(raw, i + 1)?;
        }
        *top_level = self.top_level.take();
        self.finish()
    }

    /// Reads line `line_no` as written.
    fn raw_line(&mut self, raw: &str, line_no: usize) -> Result<(), Error> {
        self.config.input_lines = line_no;
        let spacing = check_line(raw, line_no)?;
        let trimmed = raw.trim_ascii();
        if trimmed.is_empty() || trimmed.starts_with('!') || trimmed.starts_with('#') {
            return Ok(());
        }
        if spacing == Spacing::Clean {
            return self.feed(trimmed, line_no);
        }
        collapse(trimmed, &mut self.buf);
        let line = std::mem::take(&mut self.buf);
        let fed = self.feed(&line, line_no);
        self.buf = line;
        fed
    }

    fn finish(mut self) -> Result<Config, Error> {
        if !self.printed {
            self.drop_unmatched_block_deletes();
        }
        self.deletions
            .drop_deleted(&mut self.config, &mut self.blocks);
        self.check_interface_needs()?;
        let as_text = if self.printed {
            rules::Text::Printed
        } else {
            rules::Text::Typed
        };
        rules::apply(
            &mut self.config,
            self.normalizer.version(),
            std::mem::take(&mut self.blocks),
            as_text,
        );
        self.drop_replaced_top_values();
        if !self.printed {
            self.config.drop_top_defaults();
        }
        self.check_vrf_imports()?;
        self.check_eigrp_instances()?;
        Ok(self.config)
    }

    /// Refuses the first line typed in an interface that lacks, at the
    /// end, the line it needs there ([`INTERFACE_NEEDS`]). The lines are
    /// noted as typed: the normalizer drops a setting typed at its
    /// default, which FRR fails too.
    fn check_interface_needs(&self) -> Result<(), Error> {
        let version = self.normalizer.version();
        let met = |need: &InterfaceNeed, interface: &String| {
            let key = Key::from(std::slice::from_ref(interface));
            self.config
                .contexts
                .get(&key)
                .is_some_and(|ctx| ctx.lines.iter().any(|l| (need.met)(l)))
        };
        let first = self
            .interface_needs
            .iter()
            .map(|((at, interface), typed)| (&INTERFACE_NEEDS[*at], interface, typed))
            .filter(|(need, interface, _)| {
                (need.since..need.until).contains(&version) && !met(need, interface)
            })
            .min_by_key(|(_, _, typed)| *typed);
        match first {
            Some((need, _, (line_no, line))) => Err(refused(*line_no, line, need.reason)),
            None => Ok(()),
        }
    }

    /// Before 10.2, an `import vrf NAME` makes the instance of VRF NAME,
    /// and the default one where there is none yet, with the importing
    /// instance's AS (`bgp_imexport_vrf`): a `router bgp` of that VRF
    /// with another AS after it is refused, at boot too (see
    /// [`SECOND_BGP_INSTANCE`]). From 10.2 the instance an import makes
    /// is hidden, and a `router bgp` of the VRF takes it over
    /// (`BGP_FLAG_INSTANCE_HIDDEN`; measured on 8.4, 10.3, 10.4.3 and
    /// 10.7.1). Before: frr-k8s's `importVRFs` with a VRF router of
    /// another AS was a false success on 8.4, the reload deleting the
    /// instance the import made and making the VRF's on a second pass
    /// (found by rendering frr-k8s's templates with random inputs).
    ///
    /// Read in the contexts' order, which the printed form keeps (a
    /// reopened block's lines print with its first opening: a check in
    /// the order typed refused the printed form of a text it took; found
    /// by fuzzing). The order typed makes the VRF's instance first only
    /// where the contexts' order does too, so nothing bgpd refuses gets
    /// through.
    fn check_vrf_imports(&self) -> Result<(), Error> {
        if self.printed || self.normalizer.version() >= IMPORTED_VRF_INSTANCE_HIDDEN {
            return Ok(());
        }
        // The AS each instance was made with, by what follows the AS.
        let mut made: FxHashMap<String, &str> = FxHashMap::default();
        for (key, ctx) in &self.config.contexts {
            let Some((asn, name)) = bgp_instance(&key[0]) else {
                continue;
            };
            if ctx.kind == Kind::RouterBgp {
                if *made.entry(name.to_owned()).or_insert(asn) != asn {
                    let line_no = ctx.line_no as usize;
                    return Err(refused(line_no, &key[0], SECOND_BGP_INSTANCE));
                }
                continue;
            }
            if ctx.kind != Kind::BgpAf {
                continue;
            }
            let imports = ctx
                .lines
                .iter()
                .filter_map(|l| l.strip_prefix("import vrf "));
            for vrf in imports.filter(|v| !v.contains(' ') && *v != "route-map") {
                made.entry(String::new()).or_insert(asn);
                if vrf != "default" {
                    made.entry(format!("vrf {vrf}")).or_insert(asn);
                }
            }
        }
        Ok(())
    }

    /// Refuses a second `router eigrp` of one VRF where eigrpd allows one
    /// ([`SECOND_EIGRP_INSTANCE`]).
    fn check_eigrp_instances(&self) -> Result<(), Error> {
        if self.printed || self.normalizer.version() < ONE_EIGRP_INSTANCE {
            return Ok(());
        }
        let mut vrfs: FxHashSet<&str> = FxHashSet::default();
        for (key, ctx) in &self.config.contexts {
            let Some(rest) = key[0].strip_prefix("router eigrp ") else {
                continue;
            };
            if key.len() > 1 {
                continue;
            }
            let vrf = rest.split_once(' ').map_or("", |(_, vrf)| vrf);
            if !vrfs.insert(vrf) {
                let line_no = ctx.line_no as usize;
                return Err(refused(line_no, &key[0], SECOND_EIGRP_INSTANCE));
            }
        }
        Ok(())
    }

    /// A top-level setting of one value typed more than once keeps the
    /// last line typed, as FRR does (topotest bgp_l3vpn_to_bgp_vrf r3, a
    /// union of daemons' files, types `password zebra`, `password 1`, then
    /// `password zebra`: FRR printed `password zebra`, ours said "not
    /// converged"). After the rules: `blocks` indexes the contexts.
    fn drop_replaced_top_values(&mut self) {
        if self.top_values.is_empty() {
            return;
        }
        let top_values = &self.top_values;
        self.config.contexts.retain(|key, ctx| {
            let Key::Line(line) = key else {
                return true;
            };
            ctx.kind != Kind::Top
                || slot::single_top_value(line)
                    .and_then(|s| top_values.get(s))
                    .is_none_or(|last| last == line)
        });
    }

    /// Where `line` goes from the current node. A `router bgp` neighbor
    /// command no address family has, typed in one (or in a `vni` under
    /// one), is run by vtysh in `router bgp`, which it then stays in.
    fn step_here(&self, line: &str) -> Step {
        let step = self.cursor.step(line);
        if self.cursor.kind() == Kind::Interface
            && self.normalizer.version() >= PIM_INTERFACE_JOIN_PRUNE
            && line
                .strip_prefix("no ")
                .unwrap_or(line)
                .starts_with("ip pim join-prune-interval")
        {
            // pimd 10.7 has an interface's own join-prune interval, which
            // vtysh tries before the global command of old (topotest
            // msdp_mesh_topo1 r3 types the global one after an interface,
            // with only a `!` between).
            return Step::Line { pop: 0 };
        }
        if self.cursor.kind() == Kind::BgpAf
            && matches!(step, Step::Line { pop: 0 })
            && keywords::only_router_bgp_neighbor(line)
        {
            return Step::Line { pop: 1 };
        }
        step
    }

    fn feed(&mut self, line: &str, line_no: usize) -> Result<(), Error> {
        if let Some(reason) = exec::refusal(line) {
            return Err(refused(line_no, line, reason));
        }
        if self.node_line(line, line_no)? {
            return Ok(());
        }
        if self.left_config {
            return Err(refused(line_no, line, AFTER_TOP_EXIT));
        }
        // Headers of `show running-config`.
        if self.cursor.depth() == 0 && is_header(line) {
            self.printed = true;
            return Ok(());
        }
        // A line the table cannot settle in one node may belong to the
        // node it leaves for: only the node it lands in decides.
        let expand = |kind| keywords::expand(kind, line);
        let mut expanded = expand(self.cursor.kind());
        let mut step = self.step_here(as_read(line, &expanded));
        // A line that leaves its node is read in the node it lands in: its
        // abbreviations are expanded there (`ip addr` under `link-params`
        // is the interface's `ip address`).
        loop {
            let (Step::Open { pop, .. } | Step::Line { pop }) = step;
            if pop == 0 {
                break;
            }
            self.leave(pop);
            expanded = expand(self.cursor.kind());
            step = self.step_here(as_read(line, &expanded));
        }
        let line = match &expanded {
            Ok(expanded) => expanded.as_ref(),
            Err(unresolved) => return Err(refused_unresolved(line_no, line, unresolved)),
        };
        if self.cursor.depth() == 0 {
            self.follow_ospf6d(line, line_no)?;
        }
        if let Some(top_level) = self.top_level.as_mut().filter(|_| self.cursor.depth() == 0) {
            top_level.push(line_no - 1);
        }
        match step {
            Step::Open { kind, .. } => {
                let Some(norm) = self.normalizer.line(kind, line) else {
                    return Ok(());
                };
                if kind == Kind::RouterBgp && self.cursor.depth() == 0 && !self.printed {
                    self.follow_bgp_instances(&norm, line, line_no)?;
                }
                if kind == Kind::RouteMap && self.cursor.depth() == 0 {
                    self.retype_route_map_entry(&norm);
                }
                let says_more = kind == Kind::Interface && norm != line;
                self.key.push(norm.into_owned());
                self.cursor.open(line);
                if self.top_level.is_some() {
                    return Ok(()); // only the nodes are followed
                }
                if self.key.len() == 1 {
                    let opened = &self.key[0];
                    let vrf = match kind {
                        Kind::Vrf => opened.strip_prefix("vrf "),
                        _ => opened.strip_prefix("router pim vrf "),
                    };
                    if let Some(name) = vrf {
                        self.config.pim_vrfs.insert(name.into());
                    }
                }
                let key = Key::from(self.key.as_slice());
                if says_more && !self.config.openers.contains_key(&key) {
                    self.config.openers.insert(key.clone(), line.into());
                }
                self.current = Some(self.context(key, kind, line_no));
            }
            Step::Line { .. } if self.top_level.is_some() => {}
            Step::Line { .. } => {
                let kind = self.cursor.kind();
                if kind == Kind::Top && !self.printed && self.delete_blocks(line, line_no)? {
                    return Ok(());
                }
                if kind == Kind::Interface && !self.printed {
                    for (at, need) in INTERFACE_NEEDS.iter().enumerate() {
                        if (need.needs)(line) {
                            self.interface_needs
                                .entry((at, self.key[0].clone()))
                                .or_insert_with(|| (line_no, line.to_owned()));
                        }
                    }
                }
                let Some(norm) = self.normalizer.line(kind, line) else {
                    return Ok(());
                };
                let Some(norm) = self.settled(kind, line, norm, line_no)? else {
                    return Ok(());
                };
                if matches!(kind, Kind::RouterBgp | Kind::BgpAf) && !self.printed {
                    self.follow_peers(line, line_no)?;
                }
                if let Some(reason) = crashes(kind, &norm, self.normalizer.version()) {
                    return Err(refused(line_no, line, reason));
                }
                if !self.printed
                    && rules::needs_evpn_enabled(kind, &self.key, &norm)
                    && !self.evpn_enabled()
                {
                    return Ok(());
                }
                if kind == Kind::Bfd && !self.printed && self.delete_bfd_child(&norm) {
                    return Ok(());
                }
                if kind == Kind::Top {
                    if let Err(reason) = check_prefix_range(&norm) {
                        return Err(Error::Parse {
                            line: line_no,
                            text: line.to_owned(),
                            reason,
                        });
                    }
                    self.top_line(norm.into_owned(), line_no);
                } else {
                    let index = match self.current {
                        Some(index) => index,
                        None => {
                            let key = Key::from(self.key.as_slice());
                            self.context(key, kind, line_no)
                        }
                    };
                    self.current = Some(index);
                    // A join typed in an address family (bgpd's hidden
                    // `neighbor X peer-group G` there) binds the peer as in
                    // `router bgp`, where bgpd prints it; vtysh stays in
                    // the address family.
                    let index = if kind == Kind::BgpAf && rules::is_join(&norm) {
                        let instance = Key::from(&self.key[..1]);
                        self.context(instance, Kind::RouterBgp, line_no)
                    } else {
                        index
                    };
                    let isis = kind == Kind::Router
                        && self.key.len() == 1
                        && self.key[0].starts_with("router isis ");
                    let lines = &mut self.config.contexts[index].lines;
                    match isis.then(|| normalize::isis_both_levels(&norm)).flatten() {
                        Some([one, two]) => {
                            lines.insert(one);
                            lines.insert(two);
                        }
                        None => {
                            let norm = norm.into_owned();
                            // A setting's value typed again after another
                            // is the last typed: it moves to the end, where
                            // the rules look for the last value (`X 1`, `X
                            // 2`, `X 1` is `X 1`; found by fuzzing), as does
                            // a peer's line typed again after a `no` that
                            // deleted the peer, and a line whose place
                            // decides whether it counts. So does a line typed
                            // again after its opposite (`X`, `no X`, `X` is
                            // `X`; before, `no X` stood last and won: a false
                            // success where `no X` prints), and a setting's
                            // `no` form typed again after a value (`no X`,
                            // `X 1`, `no X` is `no X`; before, `X 1` won).
                            let setting = norm.strip_prefix("no ").unwrap_or(&norm);
                            if slot::value_slot(kind, setting).is_some()
                                || rules::negated_since(lines, &norm)
                                || rules::deleted_since(lines, &norm)
                                || rules::counts_where_typed_last(kind, &norm)
                            {
                                lines.shift_remove(&norm);
                            }
                            lines.insert(norm);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// A line normalization rewrote is read again as its printed form will
    /// be: its words moved (`network A mask M label …` is `network A/L
    /// label …`), the abbreviations after them are expanded where they
    /// now stand, and normalized again. Found by fuzzing: the printed form
    /// read otherwise than the text.
    fn settled<'a>(
        &mut self,
        kind: Kind,
        line: &str,
        norm: Cow<'a, str>,
        line_no: usize,
    ) -> Result<Option<Cow<'a, str>>, Error> {
        if norm == line {
            return Ok(Some(norm));
        }
        match keywords::expand(kind, &norm) {
            Ok(Cow::Borrowed(_)) => Ok(Some(norm)),
            Ok(Cow::Owned(again)) => Ok(self
                .normalizer
                .line(kind, &again)
                .map(|n| Cow::Owned(n.into_owned()))),
            Err(unresolved) => Err(refused_unresolved(line_no, &norm, &unresolved)),
        }
    }

    /// Whether the BGP instance open here advertises all VNIs: the
    /// address family open here has `advertise-all-vni` so far (see
    /// [`rules::needs_evpn_enabled`]). Its `no` line counts too: the line
    /// it negates is gone from the lines, and the printed form, read
    /// again, must read the same (found by fuzzing).
    fn evpn_enabled(&self) -> bool {
        let Some(af) = self.key.get(..2) else {
            return false;
        };
        self.config.contexts.get(af).is_some_and(|c| {
            c.lines.contains("advertise-all-vni") || c.lines.contains("no advertise-all-vni")
        })
    }

    /// Follows `end`, `exit`, `quit` and `exit-…` (alone on their line) as
    /// `vtysh -f` does; true when `line` is one of them. vtysh skips `end`
    /// lines: the lines after one stay in the node (FRR 8.4 measured; 10.4's
    /// `vtysh_config_from_file`). `exit` and `quit` leave one node, and at
    /// the top level configuration mode. Their abbreviations are refused.
    fn node_line(&mut self, line: &str, line_no: usize) -> Result<bool, Error> {
        match line {
            "end" => {}
            "exit" | "quit" if self.cursor.depth() == 0 => self.left_config = true,
            // vtysh sends an `exit` to the daemons of its node, and ospf6d
            // may be one of them: only what surely keeps ospf6d in `router
            // ospf6` may be refused.
            "exit" | "quit" => {
                self.ospf6_open = false;
                self.leave(1);
            }
            word if word.starts_with("exit-") && !word.contains(' ') => {
                self.ospf6_open = false;
                self.leave(self.cursor.exit_levels(word));
            }
            word if abbreviates_node_word(word) => {
                return Err(refused(line_no, line, ABBREVIATED_EXIT));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Follows whether ospf6d is still in `router ospf6` as top-level
    /// `line` is read, refusing `interface IFNAME` there (see
    /// [`AFTER_OPEN_OSPF6`]). Only lines vtysh surely keeps from ospf6d
    /// (vtysh's own, other daemons') leave it there: a line ospf6d gets
    /// walks it up to the top level, or may.
    fn follow_ospf6d(&mut self, line: &str, line_no: usize) -> Result<(), Error> {
        let mut words = line.split(' ');
        let (first, second) = (words.next(), words.next());
        let bare_interface =
            first == Some("interface") && second.is_some() && words.next().is_none();
        if self.ospf6_open && bare_interface && self.normalizer.version() < OSPF6_NO_INTERFACE_AREA
        {
            return Err(refused(line_no, line, AFTER_OPEN_OSPF6));
        }
        self.ospf6_open = match (first, second) {
            (Some("router"), Some("ospf6")) => true,
            // vtysh's own (FRR 8.4: ospf6d still failed after it), and
            // other daemons'.
            (Some("hostname" | "bfd" | "mpls" | "segment-routing"), _) => self.ospf6_open,
            (Some("router"), Some(_)) => self.ospf6_open,
            (Some("ip" | "ipv6"), Some("forwarding" | "route" | "nht" | "protocol")) => {
                self.ospf6_open
            }
            _ => false,
        };
        Ok(())
    }

    /// Follows the `router bgp` instances a typed text opens, refusing one
    /// whose VRF (or view, or the default) another AS has opened (see
    /// [`SECOND_BGP_INSTANCE`]).
    fn follow_bgp_instances(
        &mut self,
        opener: &str,
        line: &str,
        line_no: usize,
    ) -> Result<(), Error> {
        let Some((asn, name)) = bgp_instance(opener) else {
            return Ok(());
        };
        match self.bgp_instances.get(name) {
            Some(first) if first != asn => Err(refused(line_no, line, SECOND_BGP_INSTANCE)),
            Some(_) => Ok(()),
            None => {
                self.bgp_instances.insert(name.to_owned(), asn.to_owned());
                Ok(())
            }
        }
    }

    /// A route-map entry opened again with the other action is the same
    /// entry, its action changed: FRR keys an entry by its sequence number
    /// alone and keeps its lines (`route_map_cmd` modifies the entry's
    /// `action`; FRR 8.4 to 10.7). The entry's context takes the action
    /// typed last, where it stands. Before: MetalLB's `bgpextras` (its
    /// e2e tests add `route-map ID-in permit 20` to the template's `deny
    /// 20`) read as two entries, and the reload typed the `deny` back
    /// after the `permit`: "not converged" on 8.4 and 10.4.3, where a
    /// clean boot prints `permit 20` with the match.
    fn retype_route_map_entry(&mut self, opener: &str) {
        let words: Vec<&str> = opener.split(' ').collect();
        let ["route-map", name, action, seq] = words.as_slice() else {
            return;
        };
        let other = match *action {
            "permit" => "deny",
            "deny" => "permit",
            _ => return,
        };
        let typed_before = Key::Line(format!("route-map {name} {other} {seq}"));
        if let Some(at) = self.config.contexts.get_index_of(&typed_before) {
            // The entry's new key is not there: the text has one entry
            // per sequence number, as FRR does.
            let _ = self
                .config
                .contexts
                .replace_index(at, Key::Line(opener.to_owned()));
        }
    }

    /// Follows the peers a `router bgp` instance defines as its typed
    /// `line` is read, refusing a line bgpd refuses for want of its peer
    /// or peer-group (see [`UNDEFINED_PEER`]).
    fn follow_peers(&mut self, line: &str, line_no: usize) -> Result<(), Error> {
        let instance = self.key.first().map(String::as_str).unwrap_or_default();
        if !self.peers.contains_key(instance) {
            self.peers.insert(instance.to_owned(), Peers::default());
        }
        let peers = self.peers.get_mut(instance).expect("just inserted");
        let in_af = self.cursor.kind() == Kind::BgpAf;
        let Some(rest) = line.strip_prefix("neighbor ") else {
            // An address family's `no` line about a peer or group not
            // defined is refused as its setting is (`no neighbor X
            // activate`; the mutation probe, topotest bgp_evpn_gr PE1
            // without the peer's remote-as, 10.7.1); a deletion is not a
            // setting. So is one typed in the instance that is IPv4
            // unicast's, where it is printed (found by fuzzing: the
            // printed form refused it).
            let undefined = |rest: &str| {
                rest.split_once(' ').is_some_and(|(peer, _)| {
                    !peers.known.contains(peer) && !peers.groups.contains(peer)
                })
            };
            let family = in_af || rules::is_bgp_ipv4_command(line);
            if family
                && line.strip_prefix("no neighbor ").is_some_and(undefined)
                && rules::deleted_peer(line).is_none()
            {
                return Err(refused(line_no, line, UNDEFINED_PEER));
            }
            let enhe_off = line
                .strip_prefix("no neighbor ")
                .and_then(|rest| rest.strip_suffix(" capability extended-nexthop"));
            if enhe_off.is_some_and(|peer| peers.interfaces.contains(peer)) {
                return Err(refused(line_no, line, INTERFACE_PEER_ENHE));
            }
            // In an address family a bare `no neighbor X` is incomplete
            // (its `no neighbor X activate`, …): FRR refuses it there, and
            // it deletes nothing (measured on 8.4, 10.3, 10.4.3 and 10.7.1;
            // found by fuzzing).
            let bare = line
                .strip_prefix("no neighbor ")
                .is_some_and(|p| !p.contains(' '));
            if !(in_af && bare) {
                peers.forget(line);
            }
            return Ok(());
        };
        let words: Vec<&str> = rest.split(' ').collect();
        let remote_as = match words.as_slice() {
            [_, "remote-as", asn]
            | [_, "interface", "remote-as", asn]
            | [_, "interface", "v6only", "remote-as", asn] => Some(*asn),
            _ => None,
        };
        if remote_as.is_some_and(|asn| {
            !matches!(asn, "internal" | "external" | "auto") && rules::as_value(asn).is_none()
        }) {
            return Err(refused(line_no, line, NO_AS_NUMBER));
        }
        if peers.take(&words, in_af) {
            Ok(())
        } else if words.get(1) == Some(&"remote-as") && words.len() > 3 {
            Err(refused(line_no, line, REMOTE_AS_WORDS))
        } else {
            Err(refused(line_no, line, UNDEFINED_PEER))
        }
    }

    /// A top-level single-line command; `ip route … vrf NAME` is printed
    /// inside `vrf NAME`, so it is stored there.
    fn top_line(&mut self, line: String, line_no: usize) {
        if line.starts_with("ip route ") || line.starts_with("ipv6 route ") {
            let words: Vec<&str> = line.split_ascii_whitespace().collect();
            if let Some(v) = words.iter().position(|w| *w == "vrf") {
                if let Some(name) = words.get(v + 1) {
                    let mut rest = words.clone();
                    rest.drain(v..v + 2);
                    let key = Key::Line(format!("vrf {name}"));
                    let index = self.context(key, Kind::Vrf, line_no);
                    // Read as typed in the VRF (`ip` for an IPv6 prefix
                    // read as `ipv6`, the prefix masked; found by fuzzing).
                    let rest = rest.join(" ");
                    let rest = match keywords::expand(Kind::Vrf, &rest) {
                        Ok(expanded) => expanded.into_owned(),
                        Err(_) => rest,
                    };
                    if let Some(norm) = self.normalizer.line(Kind::Vrf, &rest) {
                        self.config.contexts[index].lines.insert(norm.into_owned());
                    }
                    return;
                }
            }
        }
        if let Some(setting) = slot::single_top_value(&line) {
            self.top_values.insert(setting, line.clone());
        }
        if !self.printed {
            self.bury_opposite(&line);
        }
        // bgpd prints `debug bgp updates` as its two directions (8.4 to
        // 10.7; MetalLB and frr-k8s render it at their debug log level).
        if line == "debug bgp updates" {
            for direction in ["in", "out"] {
                self.context(Key::Line(format!("{line} {direction}")), Kind::Top, line_no);
            }
            return;
        }
        self.context(Key::Line(line), Kind::Top, line_no);
    }

    /// A top-level `no` of another daemon's block that deleted nothing
    /// where typed (`Parser::delete_blocks`), with no block of its kind
    /// (its first two words) left in the text, deletes nothing and prints
    /// nothing (`no router rip` alone: ripd refuses it, at boot too): it
    /// goes. Decided on the text's end, as its printed form, which has the
    /// same blocks, reads it (found by fuzzing, parse seed 359: decided
    /// where typed, a block deleted after it kept it).
    fn drop_unmatched_block_deletes(&mut self) {
        let kin = |config: &Config, head: &[&str]| {
            config.contexts.keys().any(|key| {
                key.len() == 1
                    && !key[0].starts_with("no ")
                    && key[0].split(' ').take(head.len()).eq(head.iter().copied())
            })
        };
        let unmatched: Vec<usize> = self
            .config
            .contexts
            .iter()
            .enumerate()
            .filter_map(|(at, (key, ctx))| {
                let Key::Line(line) = key else { return None };
                if ctx.kind != Kind::Top {
                    return None;
                }
                let deleted::Target::Block { opener } = deleted::target(line)? else {
                    return None;
                };
                let head: Vec<&str> = opener.split(' ').take(2).collect();
                (!kin(&self.config, &head)).then_some(at)
            })
            .collect();
        for at in unmatched {
            self.deletions.bury(&mut self.config, at);
        }
    }

    /// bfdd's `no peer …` and `no profile NAME` delete the peer or
    /// profile typed before them with those very words, and print
    /// nothing; one of none deletes nothing (a peer is keyed by all its
    /// words). Returns whether `line` was one: it goes. Before: the `no`
    /// line read as printed and the block as kept (found by probing
    /// bfdd's negations).
    fn delete_bfd_child(&mut self, line: &str) -> bool {
        let Some(child) = line
            .strip_prefix("no ")
            .filter(|c| c.starts_with("peer ") || c.starts_with("profile "))
        else {
            return false;
        };
        let Some(opener) = self.normalizer.line(Kind::BfdChild, child) else {
            return true;
        };
        let mut key = self.key.clone();
        key.push(opener.into_owned());
        if let Some(index) = self.config.contexts.get_index_of(key.as_slice()) {
            self.deletions.bury(&mut self.config, index);
        }
        true
    }

    /// A typed top-level line replaces its opposite typed before it (`no
    /// X` for `X`, `X` for `no X`): `X`, `no X`, `X` is `X`. Before, each
    /// line stood where first typed, and the rules read `X` before `no X`
    /// as turned off: a false success where `X` prints. Not for lists and
    /// the blocks a `no` deletes, which [`deleted`] follows.
    fn bury_opposite(&mut self, line: &str) {
        if deleted::target(line).is_some() || deleted::list_family(line).is_some() {
            return;
        }
        let opposite = match line.strip_prefix("no ") {
            Some(set) => set.to_owned(),
            None => format!("no {line}"),
        };
        let Some(index) = self.config.contexts.get_index_of(&Key::Line(opposite)) else {
            return;
        };
        let ctx = &self.config.contexts[index];
        if ctx.kind == Kind::Top && ctx.lines.is_empty() {
            self.deletions.bury(&mut self.config, index);
        }
    }

    /// Index of the context `key`, created empty if new.
    fn context(&mut self, key: Key, kind: Kind, line_no: usize) -> usize {
        let count = self.config.contexts.len();
        let index = self.config.context_index(key, kind, line_no);
        if index == count && !self.printed {
            let (key, _) = self.config.contexts.get_index(index).expect("just made");
            if kind == Kind::Top {
                self.deletions.record_line(index, &key[0]);
            } else {
                self.deletions.record_block(index, &key[0]);
            }
        }
        if index == count && kind != Kind::Top {
            self.blocks.push(index);
        }
        index
    }

    /// Reads typed top-level `line` as the deletion of what the text typed
    /// before it, if it is one (see [`deleted`]): true when it is read so.
    /// A delete bgpd may refuse, or carry out in part, where it stands is
    /// refused (see [`PARTIAL_BGP_DELETE`]).
    fn delete_blocks(&mut self, line: &str, line_no: usize) -> Result<bool, Error> {
        let Some(target) = deleted::target(line) else {
            return Ok(false);
        };
        if matches!(target, deleted::Target::List { .. }) {
            self.deletions.follow_lists(&self.config);
        }
        let family = target.family();
        let live = self.deletions.live(&family);
        if live.is_empty() && matches!(target, deleted::Target::Block { .. }) {
            // Read as any other line: another daemon's opener may name its
            // block otherwise than the `no` does (see
            // `drop_unmatched_block_deletes`).
            return Ok(false);
        }
        let contexts = &self.config.contexts;
        let opener = |i: usize| contexts.get_index(i).map(|(k, _)| k[0].as_str());
        let partial = match &target {
            // bgpd refuses to delete the default instance while some VRF
            // instances depend on it, and deletes or keeps the instances an
            // `import vrf` made, depending on the release.
            deleted::Target::Bgp { name, .. } if name.is_empty() => {
                self.deletions.any_live(deleted::is_named_bgp_instance)
                    || live.iter().any(|&i| {
                        contexts[i]
                            .lines
                            .iter()
                            .any(|l| l.starts_with("import vrf "))
                    })
            }
            // `% Please unconfigure l3vni`.
            deleted::Target::Bgp { name, .. } => name.strip_prefix("vrf ").is_some_and(|vrf| {
                contexts
                    .get(&[format!("vrf {vrf}")][..])
                    .is_some_and(|c| c.lines.iter().any(|l| l.starts_with("vni ")))
            }),
            deleted::Target::RouteMap { .. }
            | deleted::Target::List { .. }
            | deleted::Target::Block { .. } => false,
        };
        if partial {
            return Err(refused(line_no, line, PARTIAL_BGP_DELETE));
        }
        let doomed: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&i| opener(i).is_some_and(|o| target.takes(o)))
            .collect();
        for &index in &doomed {
            let opener = &self.config.contexts.get_index(index).expect("recorded").0[0];
            if let Some((_, name)) = bgp_instance(opener) {
                self.bgp_instances.remove(name);
                self.peers.remove(opener.as_str());
            }
        }
        self.deletions.delete(&mut self.config, &family, &doomed);
        if let deleted::Target::List { list, .. } = target {
            // FRR numbers an entry typed without a sequence number above
            // those the list has left.
            let max = self.deletions.highest_seq(&self.config, &family);
            self.normalizer.restart_seq(list, max);
        }
        self.current = None;
        Ok(true)
    }

    fn leave(&mut self, levels: usize) {
        if levels > 0 {
            self.current = None;
        }
        self.cursor.pop(levels);
        self.key.truncate(self.cursor.depth());
    }
}

/// The AS of the `router bgp` instance `opener` opens, and what follows
/// it (`vrf NAME`, `view NAME`, or nothing); `None` for another opener or
/// one without an AS.
fn bgp_instance(opener: &str) -> Option<(&str, &str)> {
    let rest = opener.strip_prefix("router bgp ")?;
    Some(rest.split_once(' ').unwrap_or((rest, "")))
}

/// A line of an interface that needs another line in the same interface,
/// or the configuration fails its commit, with every command batched
/// with it, at boot too.
struct InterfaceNeed {
    /// Whether a typed line needs the other.
    needs: fn(&str) -> bool,
    /// Whether a line of the interface is what it needs.
    met: fn(&str) -> bool,
    /// The releases that fail it, from `since` up to (not with) `until`.
    since: FrrVersion,
    until: FrrVersion,
    reason: &'static str,
}

/// Interface lines that need another ([`Parser::check_interface_needs`]).
const INTERFACE_NEEDS: [InterfaceNeed; 4] = [
    InterfaceNeed {
        needs: |l| {
            (l.starts_with("isis ") || l.starts_with("no isis "))
                && !rules::ignored_without_isis_area(l)
        },
        met: rules::is_isis_area,
        since: FrrVersion::new(0, 0),
        until: FrrVersion::new(99, 0),
        reason: ISIS_WITHOUT_AREA,
    },
    InterfaceNeed {
        needs: is_type3_system_mac,
        met: is_type3_discriminator,
        since: TYPE3_ESI_VALIDATED,
        until: FrrVersion::new(99, 0),
        reason: TYPE3_ESI_HALF,
    },
    InterfaceNeed {
        needs: is_type3_discriminator,
        met: is_type3_system_mac,
        since: TYPE3_ESI_VALIDATED,
        until: FrrVersion::new(99, 0),
        reason: TYPE3_ESI_HALF,
    },
    InterfaceNeed {
        needs: |l| l == "ip igmp immediate-leave" || l == "ip igmp require-router-alert",
        met: |l| l == "ip igmp" || l == "ip pim" || l.starts_with("ip pim "),
        since: FrrVersion::new(10, 4),
        until: FrrVersion::new(10, 7),
        reason: IGMP_FLAG_WITHOUT_IGMP,
    },
];

/// Why pimd 10.4's `ip igmp immediate-leave` or `require-router-alert` on
/// an interface without `ip igmp` or `ip pim` is refused: pimd reads the
/// interface's multicast state it has not made and crashes (measured on
/// 10.4.3; 10.3 and 10.7.1 take it).
const IGMP_FLAG_WITHOUT_IGMP: &str = "`ip igmp immediate-leave` or `require-router-alert` on an \
     interface without `ip igmp` or `ip pim`: pimd 10.4 crashes on it";

/// zebra's `evpn mh es-sys-mac MAC`: half of a type-3 ESI.
fn is_type3_system_mac(line: &str) -> bool {
    line.starts_with("evpn mh es-sys-mac ")
}

/// zebra's `evpn mh es-id N` with a number (a type-3 ESI's local
/// discriminator, not a type-0 ESI): the other half.
fn is_type3_discriminator(line: &str) -> bool {
    line.strip_prefix("evpn mh es-id ")
        .is_some_and(|id| id.parse::<u32>().is_ok())
}

/// FRR refuses a prefix-list entry unless mask length <= ge <= le, and
/// drops the commands batched with it: such a line is bad input.
fn check_prefix_range(line: &str) -> Result<(), &'static str> {
    // Only an entry with `ge` or `le` has a range to check.
    if !list::is_prefix_list(line) || !has_range_word(line) {
        return Ok(());
    }
    let words: Vec<&str> = line.split_ascii_whitespace().collect();
    let Some(action) = words.iter().position(|w| *w == "permit" || *w == "deny") else {
        return Ok(());
    };
    let Some(len) = words
        .get(action + 1)
        .and_then(|p| p.split_once('/'))
        .and_then(|(_, len)| len.parse::<u8>().ok())
    else {
        return Ok(());
    };
    let value = |key: &str| {
        let at = words.iter().position(|w| *w == key)?;
        words.get(at + 1)?.parse::<u8>().ok()
    };
    let (ge, le) = (value("ge"), value("le"));
    let ok = ge.is_none_or(|ge| ge >= len)
        && le.is_none_or(|le| le >= len)
        && !matches!((ge, le), (Some(ge), Some(le)) if ge > le);
    if ok {
        Ok(())
    } else {
        Err("invalid prefix range (FRR needs mask length <= ge <= le)")
    }
}

/// Room for the contexts of `text`: most lines of a large configuration
/// are top-level commands, one context each, so room for one per line
/// saves growing the map, rehashing it each time. Counting the lines costs
/// less than room for twice as many, which the hash table would touch all
/// of. Comments make no context: a text of comments gets no room.
fn expected_contexts(text: &[u8]) -> usize {
    crate::config::text::count_byte(text, b'\n')
        .saturating_sub(crate::config::text::count_comment_lines(text))
}

/// Whether `line` contains ` ge ` or ` le `: one branch-free pass over
/// the bytes (the compiler vectorizes it) instead of two substring
/// searches, each with its own setup.
fn has_range_word(line: &str) -> bool {
    line.as_bytes().windows(4).fold(false, |acc, w| {
        let ge_or_le = (w[1] == b'g') | (w[1] == b'l');
        acc | ((w[0] == b' ') & ge_or_le & (w[2] == b'e') & (w[3] == b' '))
    })
}

fn is_header(line: &str) -> bool {
    line == "Building configuration..." || line == "Current configuration:"
}

/// Whether `line` is a proper prefix of `end`, `exit` or `quit`.
fn abbreviates_node_word(line: &str) -> bool {
    ["end", "exit", "quit"]
        .iter()
        .any(|word| word.len() > line.len() && word.starts_with(line))
}

/// The parse error of a refused line, quoting at most [`QUOTED`]
/// characters of it.
/// The line as the parser follows it: expanded, or as typed where the
/// table could not settle it.
fn as_read<'a>(line: &'a str, expanded: &'a Result<Cow<'a, str>, keywords::Unresolved>) -> &'a str {
    expanded.as_ref().map_or(line, |e| e.as_ref())
}

/// The refusal of a line with an abbreviation the table cannot settle,
/// quoted up to that word: the rest may be a secret.
fn refused_unresolved(line_no: usize, line: &str, unresolved: &keywords::Unresolved) -> Error {
    let quoted = format!("{} …", &line[..unresolved.end]);
    refused(line_no, &quoted, keywords::Unresolved::REASON)
}

fn refused(line_no: usize, line: &str, reason: &'static str) -> Error {
    Error::Parse {
        line: line_no,
        text: line.chars().take(QUOTED).collect(),
        reason,
    }
}

/// Refuses, line by line, what the parser refuses in a line whatever the
/// lines around it: what FRR would misread ([`MAX_LINE`], control
/// characters) and vtysh commands that are not configuration (`output
/// file`, `do …`: see `exec`). Much cheaper than a parse: for what must
/// run before any of `text` reaches vtysh, FRR's check included, while the
/// parse runs beside it.
pub fn screen(text: &str) -> Result<(), Error> {
    let mut line = String::new();
    for (i, raw) in crate::config::text::lines(text).enumerate() {
        check_line(raw, i + 1)?;
        let trimmed = raw.trim_ascii();
        if trimmed.starts_with('!') || trimmed.starts_with('#') {
            continue;
        }
        if let Some(reason) = exec::refusal(trimmed) {
            collapse(trimmed, &mut line);
            return Err(refused(i + 1, &line, reason));
        }
    }
    Ok(())
}

/// Refuses what FRR would misread: control characters (NUL included) and
/// lines longer than [`MAX_LINE`].
fn check_line(raw: &str, line_no: usize) -> Result<Spacing, Error> {
    let shown = || raw.chars().take(80).collect::<String>();
    if raw.len() > MAX_LINE {
        return Err(Error::Parse {
            line: line_no,
            text: shown(),
            reason: "line longer than 4095 bytes",
        });
    }
    // Branch-free passes (vectorized by the compiler) for the common case;
    // a closer look only when a byte below 0x20 or DEL shows up.
    let bytes = raw.trim_ascii().as_bytes();
    let unusual = bytes
        .iter()
        .fold(false, |acc, &b| acc | (b < 0x20) | (b == 0x7f));
    if unusual {
        let forbidden = |b: &u8| (*b < 0x20 && !b.is_ascii_whitespace()) || *b == 0x7f;
        if bytes.iter().any(forbidden) {
            return Err(Error::Parse {
                line: line_no,
                text: shown().escape_default().to_string(),
                reason: "control character",
            });
        }
        return Ok(Spacing::Collapse);
    }
    let double_space = bytes
        .windows(2)
        .fold(false, |acc, w| acc | ((w[0] == b' ') & (w[1] == b' ')));
    Ok(if double_space {
        Spacing::Collapse
    } else {
        Spacing::Clean
    })
}

/// Whether a line's whitespace needs collapsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spacing {
    Clean,
    Collapse,
}

/// Trims and collapses runs of whitespace into one space.
fn collapse(raw: &str, out: &mut String) {
    out.clear();
    for word in raw.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(config: &Config) -> Vec<String> {
        config.contexts.keys().map(|k| k.join(" / ")).collect()
    }

    #[test]
    fn pim_s_join_prune_interval_after_an_interface_stays_in_it_on_10_7() {
        let text = "interface eth0\n ip pim\n!\nip pim join-prune-interval 5\n";
        let v10_7 = Config::parse_for(text, FrrVersion::new(10, 7)).unwrap();
        let eth0 = &v10_7.contexts[["interface eth0".to_owned()].as_slice()];
        assert!(
            eth0.lines.contains("ip pim join-prune-interval 5"),
            "{eth0:?}"
        );
        let v10_4 = Config::parse_for(text, FrrVersion::new(10, 4)).unwrap();
        let pim = &v10_4.contexts[["router pim".to_owned()].as_slice()];
        assert!(pim.lines.contains("join-prune-interval 5"), "{pim:?}");
    }

    #[test]
    fn parsing_in_pieces_is_parsing_the_text() {
        let text = "frr version 8.4.4\nfrr defaults datacenter\nrouter bgp 64512\n neighbor 192.0.2.1 remote-as 64600\n address-family ipv4 unicast\n  network 198.51.100.0/24\n exit-address-family\nexit\nip prefix-list PL seq 1 deny any\nroute-map RM permit 1\n match ip address prefix-list PL";
        let whole = Config::parse(text).unwrap();
        let ends = text.match_indices('\n').map(|(i, _)| i + 1);
        for end in std::iter::once(0).chain(ends) {
            let mut parsing = Parsing::new(FrrVersion::default(), 0);
            parsing.bytes(&text.as_bytes()[..end]).unwrap();
            parsing.bytes(&text.as_bytes()[end..]).unwrap();
            assert_eq!(parsing.profile(), Some("datacenter"));
            assert_eq!(parsing.finish().unwrap(), whole, "split at byte {end}");
        }
        let mut parsing = Parsing::new(FrrVersion::default(), 0);
        parsing.bytes(b"router bgp 1\n").unwrap();
        let err = parsing.bytes(b" neighbor 192.0.2.1 remote-as 1\n bad \xff\n");
        assert!(matches!(err, Err(Error::Parse { line: 3, .. })), "{err:?}");
    }

    #[test]
    fn controller_and_running_forms_parse_alike() {
        let rendered = "router bgp 64512\n  neighbor 192.0.2.1 remote-as 64600\n\n  address-family ipv4 unicast\n    network 198.51.100.0/24\n  exit-address-family\n\nroute-map RM permit 1\n  match ip address prefix-list PL\n\nip prefix-list PL seq 1 deny any\n";
        let running = "Building configuration...\n\nCurrent configuration:\n!\nrouter bgp 64512\n neighbor 192.0.2.1 remote-as 64600\n !\n address-family ipv4 unicast\n  network 198.51.100.0/24\n exit-address-family\nexit\n!\nip prefix-list PL seq 1 deny any\n!\nroute-map RM permit 1\n match ip address prefix-list PL\nexit\n!\nend\n";
        let a = Config::parse(rendered).unwrap();
        let b = Config::parse(running).unwrap();
        let mut ka = keys(&a);
        let mut kb = keys(&b);
        ka.sort();
        kb.sort();
        assert_eq!(ka, kb);
        for (key, ctx) in &a.contexts {
            assert_eq!(ctx.lines, b.contexts[key].lines, "{key:?}");
        }
    }

    #[test]
    fn a_router_bgp_neighbor_command_typed_in_a_vni_lands_in_router_bgp() {
        // vtysh walks up from the vni past the address family, which has
        // no such command either, and stays in `router bgp`.
        let c = Config::parse(
            "router bgp 1\n neighbor 192.0.2.2 remote-as 2\n address-family l2vpn evpn\n  vni 101\n   rd 192.0.2.1:101\n  neighbor 192.0.2.2 timers 3 10\n  bgp router-id 192.0.2.9\n",
        )
        .unwrap();
        let bgp = &c.contexts[&["router bgp 1".to_owned()][..]];
        let lines: Vec<_> = bgp.lines.iter().collect();
        assert_eq!(
            lines,
            [
                "neighbor 192.0.2.2 remote-as 2",
                "neighbor 192.0.2.2 timers 3 10",
                "bgp router-id 192.0.2.9"
            ]
        );
        let printed = c.to_string();
        assert_eq!(Config::parse(&printed).unwrap().to_string(), printed);
    }

    #[test]
    fn a_join_typed_in_an_address_family_is_router_bgps() {
        let text = "router bgp 1\n neighbor G peer-group\n address-family ipv4 unicast\n  \
                    neighbor 192.0.2.1 peer-group G\n  neighbor G route-map RM in\n \
                    exit-address-family\n neighbor 192.0.2.1 timers 3 10\n";
        let c = Config::parse(text).unwrap();
        let lines = |key: &[&str]| -> Vec<String> {
            let key: Vec<String> = key.iter().map(|k| (*k).to_owned()).collect();
            c.contexts[&key[..]].lines.iter().cloned().collect()
        };
        assert_eq!(
            lines(&["router bgp 1"]),
            [
                "neighbor G peer-group",
                "neighbor 192.0.2.1 peer-group G",
                "neighbor 192.0.2.1 timers 3 10"
            ]
        );
        assert_eq!(
            lines(&["router bgp 1", "address-family ipv4 unicast"]),
            ["neighbor G route-map RM in"]
        );
    }

    #[test]
    fn a_setting_typed_back_to_a_value_keeps_it() {
        let text =
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n neighbor 192.0.2.1 timers 3 10\n \
                    neighbor 192.0.2.1 timers 5 15\n neighbor 192.0.2.1 timers 3 10\n";
        let c = Config::parse(text).unwrap();
        let lines: Vec<&String> = c.contexts[&["router bgp 1".to_owned()][..]]
            .lines
            .iter()
            .collect();
        assert_eq!(
            lines,
            [
                "neighbor 192.0.2.1 remote-as 2",
                "neighbor 192.0.2.1 timers 3 10"
            ]
        );
    }

    #[test]
    fn a_remote_as_that_is_no_as_number_is_refused() {
        for (asn, ok) in [
            ("65002", true),
            ("6500A2", true),
            ("external", true),
            ("auto", true),
            ("[30004", false),
            (":50&5", false),
            ("0", false),
        ] {
            let text = format!("router bgp 1\n neighbor 192.0.2.1 remote-as {asn}\n");
            match Config::parse(&text) {
                Err(Error::Parse { line, reason, .. }) => {
                    assert!(!ok, "{asn}");
                    assert_eq!((line, reason), (2, NO_AS_NUMBER));
                }
                Ok(_) => assert!(ok, "{asn}"),
                Err(e) => panic!("{e}"),
            }
        }
        let interface = "router bgp 1\n neighbor eth0 interface remote-as externql\n";
        assert!(Config::parse(interface).is_err());
    }

    #[test]
    fn an_interface_peers_extended_nexthop_cannot_be_turned_off() {
        let text = "router bgp 1\n neighbor eth0 interface remote-as external\n \
                    no neighbor eth0 capability extended-nexthop\n";
        match Config::parse(text) {
            Err(Error::Parse { line, reason, .. }) => {
                assert_eq!((line, reason), (3, INTERFACE_PEER_ENHE));
            }
            other => panic!("{other:?}"),
        }
        // A numbered peer's is off already: taken.
        let numbered = "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n \
                        no neighbor 192.0.2.1 capability extended-nexthop\n";
        assert!(Config::parse(numbered).is_ok());
    }

    #[test]
    fn a_line_about_a_peer_before_it_is_defined_is_refused() {
        let refused = |text: &str| match Config::parse(text) {
            Err(Error::Parse { line, reason, .. }) => Some((line, reason)),
            Ok(_) => None,
            Err(e) => panic!("{e}"),
        };
        // Topotest bgp_localpref_add_substract r1: FRR refuses the timers.
        let early = "router bgp 65001\n neighbor 10.255.0.2 timers 1 3\n \
                     neighbor 10.255.0.2 remote-as external\n";
        assert_eq!(refused(early), Some((2, UNDEFINED_PEER)));
        // In an address family, and per instance: a peer of the default
        // instance is not one of a VRF's.
        let af = "router bgp 1\n address-family ipv4 unicast\n  neighbor 192.0.2.1 activate\n";
        assert_eq!(refused(af), Some((3, UNDEFINED_PEER)));
        // Its `no` line too; not once the peer, or a group, is defined.
        let no = af.replace("  neighbor", "  no neighbor");
        assert_eq!(refused(&no), Some((3, UNDEFINED_PEER)));
        let defined = no.replace(
            "router bgp 1\n",
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n",
        );
        assert_eq!(refused(&defined), None);
        let group = no
            .replace("192.0.2.1", "G")
            .replace("router bgp 1\n", "router bgp 1\n neighbor G peer-group\n");
        assert_eq!(refused(&group), None);
        let vrf = "router bgp 1\n neighbor 192.0.2.1 remote-as 2\nexit\nrouter bgp 1 vrf red\n \
                   neighbor 192.0.2.1 timers 1 3\n";
        assert_eq!(refused(vrf), Some((5, UNDEFINED_PEER)));
        // A second default instance of another AS; another VRF's is no
        // second one, nor the same AS again.
        let second = "router bgp 1\nexit\nrouter bgp 2\n";
        assert_eq!(refused(second), Some((3, SECOND_BGP_INSTANCE)));
        let vrf = "router bgp 1\nexit\nrouter bgp 2 vrf red\nexit\nrouter bgp 1\nexit\n";
        assert_eq!(refused(vrf), None);
        let debug = Config::parse("debug bgp updates\n").unwrap().to_string();
        assert_eq!(debug, "debug bgp updates in\ndebug bgp updates out\n");
        // A bare `no neighbor X` in an address family is incomplete there:
        // the peer stays (found by fuzzing).
        let bare =
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n address-family ipv4 unicast\n  \
                    no neighbor 192.0.2.1\n  neighbor 192.0.2.1 route-map RM in\n";
        assert_eq!(refused(bare), None);
        // Defined by remote-as, a group, a member's bind, an interface
        // peer; a numbered peer's `interface` needs it; `no` lines pass.
        for text in [
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n neighbor 192.0.2.1 timers 1 3\n",
            "router bgp 1\n neighbor G peer-group\n neighbor G timers 1 3\n \
             neighbor G remote-as 2\n neighbor 192.0.2.1 peer-group G\n neighbor 192.0.2.1 bfd\n",
            "router bgp 1\n neighbor G peer-group\n neighbor eth0 interface peer-group G\n \
             neighbor eth0 bfd\n",
            "router bgp 1\n neighbor G peer-group\n neighbor 192.0.2.1 peer-group G\n \
             neighbor G remote-as 2\n",
            "router bgp 1\n neighbor eth0 interface\n neighbor eth0 remote-as external\n \
             neighbor eth0 bfd\n",
            "router bgp 1\n no neighbor 192.0.2.1 timers\n",
            // Incomplete: for FRR's check to refuse.
            "router bgp 1\n neighbor 192.0.2.1 remote-as\n",
            // Deleted, then made again.
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n no neighbor 192.0.2.1\n \
             neighbor 192.0.2.1 remote-as 3\n neighbor 192.0.2.1 bfd\n",
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\nexit\nrouter bgp 1\n \
             address-family ipv4 unicast\n  neighbor 192.0.2.1 activate\n",
        ] {
            assert_eq!(refused(text), None, "{text}");
        }
        // What bgpd refuses too: a numbered peer's `interface`, a name's
        // remote-as before its interface peer or group, a join to a group
        // not declared (to one without a remote-as is taken).
        for (text, line) in [
            ("router bgp 1\n neighbor 2001:db8::2 interface eth1\n", 2),
            (
                "router bgp 1\n neighbor eth0 remote-as external\n neighbor eth0 interface\n",
                2,
            ),
            (
                "router bgp 1\n neighbor 192.0.2.1 peer-group G\n neighbor G peer-group\n",
                2,
            ),
            ("router bgp 1\n neighbor eth0 interface peer-group G\n", 2),
            // An address family has no group declaration (FRR: `% Command
            // incomplete`), and a join there needs one from `router bgp`;
            // an incomplete remote-as defines nothing.
            // A peer deleted; a group deleted, with its members.
            (
                "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n \
                 no neighbor 192.0.2.1 remote-as 2\n neighbor 192.0.2.1 bfd\n",
                4,
            ),
            (
                "router bgp 1\n neighbor G peer-group\n neighbor 192.0.2.1 peer-group G\n \
                 no neighbor G peer-group\n neighbor 192.0.2.1 bfd\n",
                5,
            ),
            (
                "router bgp 1\n neighbor 192.0.2.1 remote-as\n neighbor 192.0.2.1 bfd\n",
                3,
            ),
            (
                "router bgp 1\n address-family ipv4 unicast\n  neighbor G peer-group\n  \
                 neighbor G remote-as external\n",
                4,
            ),
        ] {
            assert_eq!(refused(text), Some((line, UNDEFINED_PEER)), "{text}");
        }
        // What FRR printed is not checked.
        let printed = "Building configuration...\n\nCurrent configuration:\n!\n\
                       router bgp 1\n neighbor 192.0.2.1 timers 1 3\nexit\n";
        assert_eq!(refused(printed), None);
    }

    #[test]
    fn a_top_level_setting_typed_again_keeps_its_last_line() {
        let top = |text: &str| -> Vec<String> {
            let c = Config::parse(text).unwrap();
            c.contexts
                .keys()
                .map(|k| k.as_slice().join(" > "))
                .collect()
        };
        let typed = "hostname r3\npassword zebra\nlog syslog informational\npassword 1\n\
                     ip prefix-list L seq 5 permit any\nip prefix-list L seq 10 deny any\n\
                     log syslog debugging\npassword zebra\nhostname r3\n";
        assert_eq!(
            top(typed),
            [
                "hostname r3",
                "password zebra",
                "ip prefix-list L seq 5 permit any",
                "ip prefix-list L seq 10 deny any",
                // Debugging is the default level, which FRR prints bare.
                "log syslog",
            ]
        );
        let once = "password 1\nlog syslog errors\n";
        assert_eq!(top(once), ["password 1", "log syslog errors"]);
    }

    #[test]
    fn vrf_static_routes_move_into_the_vrf() {
        let c = Config::parse("ip route 198.18.0.0/16 null0 vrf red\n").unwrap();
        let ctx = &c.contexts[&["vrf red".to_owned()][..]];
        assert_eq!(
            ctx.lines.iter().collect::<Vec<_>>(),
            ["ip route 198.18.0.0/16 Null0"]
        );
    }

    #[test]
    fn range_words_are_found_like_substrings() {
        for line in [
            "",
            " ge ",
            "ge 5",
            "x ge 24",
            "x le 24",
            "x le",
            "x gle 3",
            "x  ge  3",
            "ip prefix-list L seq 5 permit 192.0.2.0/24 ge 25 le 32",
        ] {
            let want = line.contains(" ge ") || line.contains(" le ");
            assert_eq!(has_range_word(line), want, "{line:?}");
        }
    }

    #[test]
    fn impossible_prefix_ranges_are_refused() {
        let err = Config::parse("ipv6 prefix-list X seq 3 permit 2001:db8::/64 le 32 ge 24\n")
            .unwrap_err();
        assert!(
            err.to_string().starts_with("line 1: invalid prefix range"),
            "{err}"
        );
        assert!(Config::parse("ip prefix-list Y seq 7 permit 192.0.2.0/24 ge 26 le 25\n").is_err());
        assert!(Config::parse("ip prefix-list Y seq 5 permit 192.0.2.0/24 ge 24\n").is_ok());
        assert!(Config::parse("ip prefix-list Y seq 5 permit 192.0.2.0/24 le 24\n").is_ok());
        assert!(Config::parse("ip prefix-list Y seq 5 permit any\n").is_ok());
    }

    #[test]
    fn bad_bytes_name_the_line() {
        let err = Config::parse_bytes(b"hostname a\nhostname \xff\n").unwrap_err();
        assert_eq!(err.to_string(), "line 2: invalid UTF-8: hostname \u{fffd}");
        let err = Config::parse("log stdout\nhost\0name\n").unwrap_err();
        assert!(
            err.to_string().starts_with("line 2: control character"),
            "{err}"
        );
        let long = format!("hostname {}\n", "a".repeat(5000));
        let err = Config::parse(&long).unwrap_err();
        assert!(err.to_string().starts_with("line 1: line longer"), "{err}");
    }

    #[test]
    fn vtysh_commands_are_refused_anywhere() {
        for (text, line) in [
            ("output file /tmp/x\n", 1),
            ("hostname a\n  outp   file /tmp/x\n", 2),
            (
                "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n ou file /tmp/x\n",
                3,
            ),
            ("route-map RM permit 1\n set metric 5\n do list\n", 3),
            ("interface lo\n no terminal paginate\n", 2),
            ("ip prefix-list A seq 5 permit any\nexit\nshow version\n", 3),
        ] {
            let err = Config::parse(text).unwrap_err();
            let Error::Parse {
                line: at, reason, ..
            } = &err
            else {
                panic!("{err:?}");
            };
            assert_eq!(*at, line, "{text}");
            assert!(reason.starts_with("not a configuration command"), "{err}");
            assert_eq!(screen(text), Err(err), "{text}");
        }
        // Comments are comments, for vtysh too.
        assert!(Config::parse("! output file /tmp/x\n# do list\nhostname a\n").is_ok());
        assert_eq!(screen("! output file /tmp/x\n"), Ok(()));
    }

    #[test]
    fn a_remote_as_of_more_words_defines_no_peer() {
        // Its exact `no` line would take it away (found by fuzzing).
        let text = "router bgp 1\n neighbor 192.0.2.1 remote-as a b\n \
                    no neighbor 192.0.2.1 remote-as a b\n neighbor 192.0.2.1 timers 3 9\n";
        let err = Config::parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("line 2: a remote-as of more than one word"),
            "{err}"
        );
        // On a peer defined before, it is left to FRR's check, and the
        // printed form defines the peer first (found by fuzzing).
        let known = "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n \
                     neighbor 192.0.2.1 remote-as a b\n neighbor 192.0.2.1 remote-as 2\n";
        let printed = Config::parse(known).unwrap().to_string();
        assert_eq!(Config::parse(&printed).unwrap().to_string(), printed);
        // In an EVPN address family of another name, a VNI's settings
        // need that family's `advertise-all-vni` (found by fuzzing).
        let evpn = "router bgp 1\n address-family l2vpn evpn\n  advertise-all-vni\n \
                    exit-address-family\n address-family l2vpn~ evpn\n  vni 1\n   rd 1:1\n";
        assert!(!Config::parse(evpn).unwrap().to_string().contains("rd 1:1"));
    }

    #[test]
    fn before_10_2_an_import_makes_the_vrf_s_instance() {
        let text = "router bgp 64512\n address-family ipv4 unicast\n  import vrf red\n \
                    exit-address-family\nexit\nrouter bgp 64515 vrf red\n";
        let err = Config::parse_for(text, FrrVersion::V8_4)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 6: a second `router bgp`"), "{err}");
        assert!(Config::parse_for(text, FrrVersion::V10_3).is_ok());
        // The same AS, or the VRF's instance first: taken.
        assert!(Config::parse_for(&text.replace("64515", "64512"), FrrVersion::V8_4).is_ok());
        let first = "router bgp 64515 vrf red\nexit\nrouter bgp 64512\n \
                     address-family ipv4 unicast\n  import vrf red\n";
        assert!(Config::parse_for(first, FrrVersion::V8_4).is_ok());
        // A VRF's instance importing makes the default one.
        let default = "router bgp 64512 vrf blue\n address-family ipv4 unicast\n  \
                       import vrf default\n exit-address-family\nexit\nrouter bgp 64515\n";
        let err = Config::parse_for(default, FrrVersion::V8_4).unwrap_err();
        assert!(err.to_string().starts_with("line 6: a second"), "{err}");
    }

    #[test]
    fn the_import_check_reads_the_contexts_in_the_order_printed() {
        // The address family is opened before red's router, and the
        // import typed in it after: its printed form types the import
        // first, so the text is refused as its printed form is (found by
        // fuzzing a check that read the lines in the order typed).
        let text = "router bgp 64512\n address-family ipv4 unicast\n  \
                    network 192.0.2.0/24\n exit-address-family\nexit\n\
                    router bgp 64515 vrf red\nexit\nrouter bgp 64512\n \
                    address-family ipv4 unicast\n  import vrf red\n";
        let err = Config::parse_for(text, FrrVersion::V8_4).unwrap_err();
        assert!(err.to_string().starts_with("line 6: a second"), "{err}");
        let printed = Config::parse_for(text, FrrVersion::V10_3)
            .unwrap()
            .to_string();
        let err = Config::parse_for(&printed, FrrVersion::V8_4).unwrap_err();
        assert!(err.to_string().contains("a second"), "{err}");
    }

    #[test]
    fn a_route_map_entry_typed_again_with_the_other_action_changes_its_action() {
        let text = "route-map A deny 20\n set local-preference 100\nroute-map B permit 1\n\
                    route-map A permit 20\n match ip address prefix-list allowed\n";
        let config = Config::parse(text).unwrap();
        assert_eq!(
            config.to_string(),
            "route-map A permit 20\n set local-preference 100\n \
             match ip address prefix-list allowed\nexit\nroute-map B permit 1\nexit\n"
        );
        // Back to deny: the last typed.
        let back = format!("{text}route-map A deny 20\n");
        let printed = Config::parse(&back).unwrap().to_string();
        assert!(printed.starts_with("route-map A deny 20\n"), "{printed}");
        assert!(!printed.contains("permit 20"), "{printed}");
    }

    #[test]
    fn a_line_normalization_rewrote_reads_as_its_printed_form() {
        // The mask made a length, the second `mask` then stands after
        // the prefix, where `label` is `label-index` (found by fuzzing).
        let text = "router bgp 1\n network 192.0.2.0 mask 255.255.255.0 mask 1 label 5\n";
        let printed = Config::parse(text).unwrap().to_string();
        assert!(
            printed.contains(" network 192.0.2.0/24 mask 1 label-index 5\n"),
            "{printed}"
        );
        assert_eq!(Config::parse(&printed).unwrap().to_string(), printed);
    }

    #[test]
    fn an_abbreviation_the_table_cannot_settle_is_refused_unquoted_past_it() {
        // `p` starts `password`, `peer-group`, `port`, …: left as typed it
        // would never equal what FRR prints, and be sent on every pass.
        let text =
            "router bgp 64512\n neighbor 192.0.2.2 remote-as 64513\n neighbor 192.0.2.2 p S3cret\n";
        let err = Config::parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("line 3: an abbreviated keyword that is ambiguous here"),
            "{err}"
        );
        // Quoted up to the word; shown, the quote is redacted too (`p`
        // may be `password`).
        assert!(
            err.ends_with("write it in full: neighbor 192.0.2.2 p <redacted>"),
            "{err}"
        );
        assert!(!err.contains("S3cret"), "{err}");
        // Settled by the word after it (`passive` takes none), as FRR does.
        let text = text.replace(" p S3cret", " pas S3cret");
        let config = Config::parse(&text).unwrap();
        assert!(format!("{config:?}").contains("neighbor 192.0.2.2 password S3cret"));
    }

    #[test]
    fn a_bfd_peer_or_profile_goes_with_its_no_line() {
        let text = "bfd\n peer 192.0.2.7\n  detect-multiplier 5\n exit\n no peer 192.0.2.7\n \
                    profile Q\n  detect-multiplier 5\n exit\n no profile Q\n profile Q\n exit\n \
                    peer 192.0.2.8\n exit\n no peer 192.0.2.8 multihop local-address 192.0.2.9\n\
                    no peer 192.0.2.1\nexit\n";
        let c = Config::parse(text).unwrap();
        assert_eq!(keys(&c), ["bfd", "bfd / profile Q", "bfd / peer 192.0.2.8"]);
        assert!(c.contexts.values().all(|ctx| ctx.lines.is_empty()));
    }

    #[test]
    fn lines_that_crash_a_daemon_are_refused() {
        let refused_at = |text: &str, version: FrrVersion| {
            Config::parse_for(text, version)
                .err()
                .map(|e| e.to_string())
        };
        let v10 = FrrVersion::new(10, 4);
        for text in [
            "router pim\n mlag eth0 role state addr 192.0.2.1\nexit\n",
            "router pim\n mlag eth0 role primary state addr 192.0.2.1\nexit\n",
            "ip pim mlag eth0 role state addr 192.0.2.1\n",
            "interface eth0\n no ipv6 ospf6 authentication key-id\nexit\n",
        ] {
            assert!(refused_at(text, v10).is_some(), "{text}");
        }
        let whole = "router pim\n mlag eth0 role primary state up addr 192.0.2.1\nexit\n";
        assert_eq!(refused_at(whole, v10), None);
        let alias = "interface eth0\n ospf authentication-key x1\nexit\n";
        assert!(refused_at(alias, FrrVersion::new(10, 3)).is_some());
        assert_eq!(refused_at(alias, v10), None);
    }

    #[test]
    fn a_bare_no_ospf_abr_type_is_refused() {
        let err = Config::parse("router ospf\n no ospf abr-t\nexit\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 2: `no ospf abr-type` without"),
            "{err}"
        );
        assert!(Config::parse("router ospf\n no ospf abr-type cisco\nexit\n").is_ok());
    }

    #[test]
    fn a_second_eigrp_instance_of_a_vrf_is_refused_from_10_4() {
        let text = "router eigrp 10\nexit\nrouter eigrp 11 vrf red\nexit\nrouter eigrp 12\nexit\n";
        let err = Config::parse_for(text, FrrVersion::new(10, 4)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 5: a second `router eigrp`"),
            "{err}"
        );
        assert!(Config::parse_for(text, FrrVersion::new(10, 3)).is_ok());
        let deleted = format!("{text}no router eigrp 10\n");
        assert!(Config::parse_for(&deleted, FrrVersion::new(10, 4)).is_ok());
    }

    #[test]
    fn refused_lines_are_quoted_shortened() {
        let line = format!("output file /tmp/{}", "x".repeat(300));
        let err = Config::parse(&line).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "line 1: not a configuration command (vtysh `output`): refused: {}",
                &line[..200]
            )
        );
    }

    #[test]
    fn screening_refuses_what_vtysh_would_split() {
        let long = format!("hostname {}output file /tmp/x\n", "a".repeat(4090));
        assert!(screen(&long)
            .unwrap_err()
            .to_string()
            .starts_with("line 1: line longer"));
        assert_eq!(
            screen("router bgp 1\n neighbor 192.0.2.1 remote-as 2\nend\n"),
            Ok(())
        );
    }

    #[test]
    fn end_keeps_the_node_as_vtysh_f_does() {
        let c = Config::parse(
            "router bgp 64512\n bgp router-id 192.0.2.1\nend\n neighbor 192.0.2.1 remote-as 64513\n",
        )
        .unwrap();
        assert_eq!(keys(&c), ["router bgp 64512"]);
        let lines: Vec<&String> = c.contexts[0].lines.iter().collect();
        assert_eq!(
            lines,
            [
                "bgp router-id 192.0.2.1",
                "neighbor 192.0.2.1 remote-as 64513"
            ]
        );
        let c = Config::parse(
            "route-map RM permit 1\n match ip address prefix-list A\n end\n set metric 5\n",
        )
        .unwrap();
        assert_eq!(keys(&c), ["route-map RM permit 1"]);
        assert_eq!(c.contexts[0].lines.len(), 2);
    }

    #[test]
    fn exit_and_quit_leave_one_node() {
        let c = Config::parse(
            "router bgp 1\n address-family ipv4 unicast\n  network 192.0.2.0/24\n  quit\n neighbor 192.0.2.1 remote-as 2\n exit\nip prefix-list A seq 5 permit any\n",
        )
        .unwrap();
        assert_eq!(
            keys(&c),
            [
                "router bgp 1",
                "router bgp 1 / address-family ipv4 unicast",
                "ip prefix-list A seq 5 permit any"
            ]
        );
        assert!(c.contexts[0]
            .lines
            .contains("neighbor 192.0.2.1 remote-as 2"));
    }

    #[test]
    fn half_a_type3_esi_is_refused_from_10() {
        let v10 = FrrVersion::new(10, 3);
        let mac = " evpn mh es-sys-mac 44:38:39:ff:ff:01\n";
        for half in [mac, " evpn mh es-id 1\n"] {
            let text = format!("interface a\n evpn mh uplink\n{half}");
            let err = Config::parse_for(&text, v10).unwrap_err().to_string();
            assert!(
                err.starts_with("line 3: half of an EVPN type-3 ESI"),
                "{err}"
            );
            assert!(Config::parse_for(&text, FrrVersion::V8_4).is_ok());
        }
        // Both halves, in either order or in the block opened again; a
        // type-0 ESI alone.
        for fine in [
            format!("interface a\n evpn mh es-id 1\n{mac}"),
            format!("interface a\n{mac}!\ninterface a\n evpn mh es-id 1\n"),
            "interface a\n evpn mh es-id 00:44:38:39:ff:ff:01:00:00:01\n".to_owned(),
        ] {
            assert!(Config::parse_for(&fine, v10).is_ok(), "{fine}");
        }
    }

    #[test]
    fn the_running_profile_is_read_after_a_text_that_left_configuration_mode() {
        let running = "frr defaults datacenter\nhostname r1\n";
        let desired = "router bgp 64512\nexit\nexit\n";
        let config = Config::parse_desired_for(desired, running, FrrVersion::default()).unwrap();
        let profile = ["frr defaults datacenter".to_owned()];
        assert!(config.contexts.contains_key(profile.as_slice()));
        // Typed there, a line is still refused, named by its number.
        let typed = format!("{desired}hostname r2\n");
        let err = Config::parse_desired_for(&typed, running, FrrVersion::default()).unwrap_err();
        assert!(err.to_string().starts_with("line 4: "), "{err}");
    }

    #[test]
    fn isis_settings_need_the_interfaces_router_isis() {
        let text = "interface a\n ip router isis 1\n!\ninterface b\n isis metric 7\n!\n";
        let err = Config::parse(text).unwrap_err().to_string();
        assert!(err.contains("line 5") && err.contains("area tag"), "{err}");
        // A `no` form, and a setting typed at its default, make the
        // container too.
        for line in [" no isis passive", " isis hello-multiplier 10"] {
            let text = format!("interface b\n{line}\n");
            assert!(Config::parse(&text).is_err(), "{text}");
        }
        // Enabled for either family, before or after, or in the block
        // opened again: fine; so is what FRR printed.
        for fine in [
            "interface b\n isis metric 7\n ipv6 router isis 1\n",
            "interface b\n isis metric 7\n!\ninterface b\n ip router isis 1\n",
            "interface b\n ip router isis 1 vrf red\n isis metric 7\n",
            "Building configuration...\n!\ninterface b\n isis metric 7\nexit\n",
        ] {
            assert!(Config::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn an_interface_after_an_open_router_ospf6_is_refused_before_10() {
        let open = "router ospf6\n ospf6 router-id 192.0.2.4\n!\nhostname r4\n!\ninterface r4-eth0\n ipv6 router isis lan\n";
        let v8 = FrrVersion::new(8, 4);
        let err = Config::parse_for(open, v8).unwrap_err();
        assert!(err.to_string().contains("line 6"), "{err}");
        assert!(err.to_string().contains("without `exit`"), "{err}");
        // FRR 10 has no `interface IFNAME area`: ospf6d walks up.
        assert!(Config::parse_for(open, FrrVersion::new(10, 3)).is_ok());
        // Closed with `exit`, or left through a line ospf6d gets, or an
        // interface named with its VRF: fine.
        for fine in [
            open.replace("\n!\nhostname", "\nexit\nhostname"),
            open.replace("hostname r4", "route-map RM permit 10"),
            open.replace("hostname r4", "ipv6 prefix-list P seq 5 permit any"),
            open.replace("interface r4-eth0", "interface r4-eth0 vrf red"),
        ] {
            assert!(Config::parse_for(&fine, v8).is_ok(), "{fine}");
        }
    }

    #[test]
    fn nothing_is_read_after_leaving_configuration_mode() {
        for text in [
            "hostname a\nexit\nhostname b\n",
            "router bgp 1\nexit\nquit\n neighbor 192.0.2.1 remote-as 2\n",
        ] {
            let err = Config::parse(text).unwrap_err();
            assert!(
                err.to_string().contains("top-level `exit` or `quit`"),
                "{err}"
            );
        }
        // Nothing but comments, `end` and more exits after it is fine.
        let c = Config::parse("hostname a\nexit\n!\nend\nexit\n").unwrap();
        assert_eq!(keys(&c), ["hostname a"]);
    }

    #[test]
    fn abbreviated_exits_are_refused() {
        let err =
            Config::parse("router bgp 1\n en\n neighbor 192.0.2.1 remote-as 2\n").unwrap_err();
        assert!(err.to_string().starts_with("line 2: abbreviated"), "{err}");
        for line in ["e", "ex", "exi", "q", "qu", "qui"] {
            assert!(Config::parse(line).is_err(), "{line}");
        }
        assert!(Config::parse("router bgp 1\n en password x\n").is_ok());
    }

    #[test]
    fn duplicate_contexts_merge() {
        let c = Config::parse(
            "router bgp 1\n address-family ipv4 unicast\n  network 192.0.2.0/24\n exit-address-family\n address-family ipv4 unicast\n  network 198.51.100.0/24\n exit-address-family\n",
        )
        .unwrap();
        assert_eq!(c.contexts.len(), 2);
        let commands: usize = c.contexts.values().map(|c| 1 + c.lines.len()).sum();
        assert_eq!(commands, 4, "context keys plus their lines");
    }
}
