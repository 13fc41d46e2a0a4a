//! Reading the running configuration from the daemons' vty sockets, as
//! vtysh does, without starting vtysh.
//!
//! `vtysh -c 'show running-config'` connects to every daemon, asks each for
//! `do write terminal`, and merges the answers into one text. On FRR 8.4
//! the merge, not the daemons, is most of its cost: 75 ms of a 2 × 500
//! frr-k8s configuration and about 250 ms of a 4 × 1,000 one, where the
//! daemons answer in 10–40 ms. [`read`] asks the daemons in parallel and
//! [`merge`] redoes vtysh 8.4's merge (`vtysh/vtysh_config.c`: which top
//! line opens which section, which lines are kept once and where, the
//! order sections are printed in). vtysh adds lines of its own (its
//! `hostname`, `service integrated-vtysh-config`, users); they are
//! learned by comparing one real vtysh read with the merge
//! ([`calibrate`]), and the merge is used only while it gives vtysh's
//! text byte for byte (see `VtyshCommand`).
//!
//! FRR 10's vtysh merges the same way with other section numbers (prefix-
//! lists before `router bgp`), a few other rules, and mgmtd first among
//! the daemons (it prints the static routes): [`Dialect::V10`], ported from
//! 10.4.3's `vtysh/vtysh_config.c`. The merge picks its dialect from the
//! `frr version` line the daemons print.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use crate::config::version::FrrVersion;
use crate::Error;

/// The daemons vtysh talks to, in its order (`vtysh_client[]`): 8.4's,
/// with mgmtd first as in FRR 10's (8.4 has no mgmtd).
const DAEMONS: [&str; 22] = [
    "mgmtd", "zebra", "ripd", "ripngd", "ospfd", "ospf6d", "ldpd", "bgpd", "isisd", "pimd",
    "nhrpd", "eigrpd", "babeld", "sharpd", "fabricd", "watchfrr", "pbrd", "staticd", "bfdd",
    "vrrpd", "pathd", "pim6d",
];

/// The daemons with a vty socket in `dir`, in vtysh's order: those vtysh
/// talks to.
pub fn daemons(dir: &Path) -> Vec<&'static str> {
    DAEMONS
        .into_iter()
        .filter(|d| dir.join(format!("{d}.vty")).exists())
        .collect()
}

/// The daemons `text` names (vtysh's `show daemons`: ` mgmtd zebra …`).
pub fn named_daemons(text: &str) -> Vec<&'static str> {
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    DAEMONS.into_iter().filter(|d| words.contains(d)).collect()
}

/// The daemons whose configuration vtysh's `show running-config` asks
/// for: all but watchfrr, which every vtysh skips (`vtysh_client_config`:
/// it loads no configuration, and its hard-coded settings would mangle
/// the text).
pub fn config_daemons(dir: &Path) -> Vec<&'static str> {
    let mut daemons = daemons(dir);
    daemons.retain(|d| *d != "watchfrr");
    daemons
}

/// Asks every daemon with a vty socket in `dir` for its configuration (in
/// parallel; not watchfrr, see [`config_daemons`]) and returns the answers
/// in vtysh's order. Fails if a socket does not answer or a daemon
/// refuses: vtysh's own read decides then.
pub fn read(dir: &Path, timeout: Duration) -> Result<Vec<String>, Error> {
    if has_ospf_instances(dir) {
        let reason = "ospfd instances run (`ospfd-N.vty`), which vtysh reads too".into();
        return Err(vty_error(dir, reason));
    }
    let sockets: Vec<_> = config_daemons(dir)
        .into_iter()
        .map(|d| dir.join(format!("{d}.vty")))
        .collect();
    if sockets.is_empty() {
        return Err(vty_error(dir, "no vty socket".into()));
    }
    std::thread::scope(|scope| {
        let reads: Vec<_> = sockets
            .iter()
            .map(|path| scope.spawn(move || ask(path, timeout)))
            .collect();
        reads
            .into_iter()
            .zip(&sockets)
            .map(|(read, path)| {
                read.join()
                    .unwrap_or_else(|_| Err(vty_error(path, "the reader panicked".into())))
            })
            .collect()
    })
}

/// Whether `dir` has an ospfd instance's socket (`ospfd-N.vty`, from
/// `ospfd -n N`): vtysh asks those too (`vtysh_connect_all_instances`),
/// after the plain ospfd; this read does not, and leaves the text to
/// vtysh.
fn has_ospf_instances(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("ospfd-") && n.ends_with(".vty"))
        })
}

fn vty_error(path: &Path, reason: String) -> Error {
    Error::Vtysh {
        command: format!("vty {}", path.display()),
        reason,
    }
}

/// One daemon's `do write terminal`, after `enable` (as vtysh connects).
fn ask(path: &Path, timeout: Duration) -> Result<String, Error> {
    let fail = |e: std::io::Error| vty_error(path, e.to_string());
    let mut stream = UnixStream::connect(path).map_err(fail)?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(fail)?;
    let mut chunk = vec![0u8; 256 * 1024];
    exchange(&mut stream, path, "enable", &mut chunk)?;
    exchange(&mut stream, path, "do write terminal", &mut chunk)
}

/// Sends one command (NUL-terminated) and reads the answer up to the
/// terminator: three NULs and the command's status. `chunk` is the read
/// buffer; errors name the socket at `path`.
fn exchange(
    stream: &mut UnixStream,
    path: &Path,
    command: &str,
    chunk: &mut [u8],
) -> Result<String, Error> {
    let fail = |reason: String| vty_error(path, reason);
    let mut request = Vec::with_capacity(command.len() + 1);
    request.extend_from_slice(command.as_bytes());
    request.push(0);
    stream
        .write_all(&request)
        .map_err(|e| fail(e.to_string()))?;
    let mut answer = Vec::new();
    loop {
        let n = stream.read(chunk).map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            return Err(fail(format!("`{command}`: connection closed")));
        }
        answer.extend_from_slice(&chunk[..n]);
        let len = answer.len();
        if len >= 4 && answer[len - 4..len - 1] == [0, 0, 0] {
            let status = answer[len - 1];
            answer.truncate(len - 4);
            if status != 0 {
                return Err(fail(format!("`{command}` failed with status {status}")));
            }
            return String::from_utf8(answer).map_err(|e| fail(e.to_string()));
        }
    }
}

/// The directory of the daemons' vty sockets, as vtysh finds it
/// (`vtysh_main.c`): `--vty_socket DIR` or `/var/run/frr`, then the
/// pathspace's name below it (`-N NAME`), with both as without.
pub fn socket_dir(vty_socket: Option<&Path>, pathspace: Option<&str>) -> std::path::PathBuf {
    let dir = vty_socket.unwrap_or(Path::new("/var/run/frr"));
    match pathspace {
        Some(name) => dir.join(name),
        None => dir.to_owned(),
    }
}

/// The daemons' vty sockets in `dir` (`NAME.vty`), sorted by name, each
/// with its metadata: the one scan of a run directory, for the session
/// (which daemons restarted) and the agent (which daemons run).
pub fn sockets(dir: &Path) -> Vec<(String, std::fs::Metadata)> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let daemon = name.strip_suffix(".vty")?.to_owned();
            Some((daemon, entry.metadata().ok()?))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Which vtysh's merge: 8.4's, or FRR 10's (10.4.3's `vtysh_config.c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// FRR before 10 (8.4's rules).
    V8,
    /// FRR 10 (10.4.3's rules).
    V10,
}

impl Dialect {
    /// The dialect of `version`'s vtysh.
    pub fn of(version: FrrVersion) -> Dialect {
        if version.major >= 10 {
            Dialect::V10
        } else {
            Dialect::V8
        }
    }

    /// The dialect of the daemons that gave `answers` (their `frr
    /// version` line; 8.4's when none says).
    pub fn detect(answers: &[String]) -> Dialect {
        answers
            .iter()
            .find_map(|a| FrrVersion::detect(a))
            .map_or(Dialect::V8, Dialect::of)
    }

    /// Where the sections of `node` come in the dump: 8.4's node number,
    /// or the position of the node in FRR 10's `enum node_type`.
    fn rank(self, node: u8) -> u8 {
        match self {
            Dialect::V8 => node,
            Dialect::V10 => V10_ORDER
                .iter()
                .position(|n| *n == node)
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(u8::MAX),
        }
    }

    fn openers(self) -> &'static [(&'static str, u8)] {
        match self {
            Dialect::V8 => &OPENERS_8,
            Dialect::V10 => &OPENERS_10,
        }
    }

    fn top_once(self) -> &'static [&'static str] {
        match self {
            Dialect::V8 => &TOP_ONCE,
            Dialect::V10 => &TOP_ONCE_10,
        }
    }

    /// Sections printed without a `!` after each of their blocks.
    fn no_delimiter(self, node: u8) -> bool {
        match self {
            Dialect::V8 => no_delimiter(node),
            Dialect::V10 => {
                node == node::AFFMAP || (node != node::FORWARDING && no_delimiter(node))
            }
        }
    }
}

/// FRR 10.4.3's `enum node_type` (`lib/command.h`), the nodes a section
/// can be, in its order: the order of the sections.
const V10_ORDER: [u8; 44] = [
    node::PREFIX,
    node::PREFIX_IPV6,
    node::RMAP,
    node::DEBUG,
    node::VRF_DEBUG,
    node::RMAP_DEBUG,
    node::RESOLVER_DEBUG,
    node::AAA,
    node::KEYCHAIN,
    node::KEYCHAIN_KEY,
    node::AFFMAP,
    node::IP,
    node::VRF,
    node::INTERFACE,
    node::NH_GROUP,
    node::ZEBRA,
    node::RIP,
    node::RIPNG,
    node::BABEL,
    node::EIGRP,
    node::BGP,
    node::OSPF,
    node::OSPF6,
    node::LDP,
    node::LDP_L2VPN,
    node::ISIS,
    node::ACCESS,
    node::ACCESS_IPV6,
    node::ACCESS_MAC,
    node::AS_LIST,
    node::COMMUNITY_LIST,
    node::COMMUNITY_ALIAS,
    node::PBRMAP,
    node::PROTOCOL,
    node::MPLS,
    node::PW,
    node::SEGMENT_ROUTING,
    node::VTY,
    node::LINK_PARAMS,
    node::RPKI,
    node::BFD,
    node::OPENFABRIC,
    node::PIM,
    node::PIM6,
];

/// vtysh 8.4's node numbers (`lib/command.h`), which order the sections
/// on 8.4; and FRR 10's nodes 8.4 does not have (numbered past 8.4's,
/// ordered by [`V10_ORDER`]).
mod node {
    pub const DEBUG: u8 = 6;
    pub const VRF_DEBUG: u8 = 7;
    pub const NORTHBOUND_DEBUG: u8 = 8;
    pub const RMAP_DEBUG: u8 = 10;
    pub const RESOLVER_DEBUG: u8 = 11;
    pub const AAA: u8 = 12;
    pub const KEYCHAIN: u8 = 14;
    pub const KEYCHAIN_KEY: u8 = 15;
    pub const IP: u8 = 16;
    pub const VRF: u8 = 17;
    pub const INTERFACE: u8 = 18;
    pub const NH_GROUP: u8 = 19;
    pub const ZEBRA: u8 = 20;
    pub const RIP: u8 = 22;
    pub const RIPNG: u8 = 23;
    pub const BABEL: u8 = 24;
    pub const EIGRP: u8 = 25;
    pub const BGP: u8 = 26;
    pub const OSPF: u8 = 42;
    pub const OSPF6: u8 = 43;
    pub const LDP: u8 = 44;
    pub const LDP_L2VPN: u8 = 49;
    pub const ISIS: u8 = 51;
    pub const ACCESS: u8 = 52;
    pub const PREFIX: u8 = 53;
    pub const ACCESS_IPV6: u8 = 54;
    pub const ACCESS_MAC: u8 = 55;
    pub const PREFIX_IPV6: u8 = 56;
    pub const AS_LIST: u8 = 57;
    pub const COMMUNITY_LIST: u8 = 58;
    pub const COMMUNITY_ALIAS: u8 = 59;
    pub const RMAP: u8 = 60;
    pub const PBRMAP: u8 = 61;
    pub const FORWARDING: u8 = 64;
    pub const PROTOCOL: u8 = 65;
    pub const MPLS: u8 = 66;
    pub const PW: u8 = 67;
    pub const SEGMENT_ROUTING: u8 = 68;
    pub const VTY: u8 = 80;
    pub const LINK_PARAMS: u8 = 82;
    pub const RPKI: u8 = 84;
    pub const BFD: u8 = 87;
    pub const OPENFABRIC: u8 = 90;
    pub const AFFMAP: u8 = 200;
    pub const RPKI_VRF: u8 = 201;
    pub const PIM: u8 = 202;
    pub const PIM6: u8 = 203;
}

/// Which section a top-level line opens, tried in vtysh 8.4's order (the
/// first prefix that matches wins: `router ospf6` is an OSPF section).
const OPENERS_8: [(&str, u8); 50] = [
    ("interface", node::INTERFACE),
    ("pseudowire", node::PW),
    ("vrf", node::VRF),
    ("nexthop-group", node::NH_GROUP),
    ("router-id", node::ZEBRA),
    ("router rip", node::RIP),
    ("router ripng", node::RIPNG),
    ("router eigrp", node::EIGRP),
    ("router babel", node::BABEL),
    ("router ospf", node::OSPF),
    ("router ospf6", node::OSPF6),
    ("mpls ldp", node::LDP),
    ("l2vpn", node::LDP_L2VPN),
    ("router bgp", node::BGP),
    ("router isis", node::ISIS),
    ("router openfabric", node::OPENFABRIC),
    ("route-map", node::RMAP),
    ("no route-map", node::RMAP),
    ("pbr-map", node::PBRMAP),
    ("access-list", node::ACCESS),
    ("ipv6 access-list", node::ACCESS_IPV6),
    ("mac access-list", node::ACCESS_MAC),
    ("ip prefix-list", node::PREFIX),
    ("ipv6 prefix-list", node::PREFIX_IPV6),
    ("bgp as-path access-list", node::AS_LIST),
    ("bgp community-list", node::COMMUNITY_LIST),
    ("bgp extcommunity-list", node::COMMUNITY_LIST),
    ("bgp large-community-list", node::COMMUNITY_LIST),
    ("bgp community alias", node::COMMUNITY_ALIAS),
    ("ip route", node::IP),
    ("ipv6 route", node::IP),
    ("key", node::KEYCHAIN),
    ("line", node::VTY),
    ("ipv6 forwarding", node::FORWARDING),
    ("ip forwarding", node::FORWARDING),
    ("debug vrf", node::VRF_DEBUG),
    ("debug northbound", node::NORTHBOUND_DEBUG),
    ("debug route-map", node::RMAP_DEBUG),
    ("debug resolver", node::RESOLVER_DEBUG),
    ("debug", node::DEBUG),
    ("password", node::AAA),
    ("enable password", node::AAA),
    ("ip protocol", node::PROTOCOL),
    ("ipv6 protocol", node::PROTOCOL),
    ("ip nht", node::PROTOCOL),
    ("ipv6 nht", node::PROTOCOL),
    ("mpls", node::MPLS),
    ("segment-routing", node::SEGMENT_ROUTING),
    ("bfd", node::BFD),
    ("rpki", node::RPKI),
];

/// The same in FRR 10.4.3's order: `affinity-map`, `router pim` and
/// `router pim6` (a PIM section: `router pim` is tried first) open
/// sections; `ip forwarding` and `debug northbound` no longer do.
const OPENERS_10: [(&str, u8); 50] = [
    ("interface", node::INTERFACE),
    ("pseudowire", node::PW),
    ("vrf", node::VRF),
    ("nexthop-group", node::NH_GROUP),
    ("router-id", node::ZEBRA),
    ("router rip", node::RIP),
    ("router ripng", node::RIPNG),
    ("router eigrp", node::EIGRP),
    ("router babel", node::BABEL),
    ("router ospf", node::OSPF),
    ("router ospf6", node::OSPF6),
    ("mpls ldp", node::LDP),
    ("l2vpn", node::LDP_L2VPN),
    ("router bgp", node::BGP),
    ("router isis", node::ISIS),
    ("router openfabric", node::OPENFABRIC),
    ("affinity-map", node::AFFMAP),
    ("route-map", node::RMAP),
    ("no route-map", node::RMAP),
    ("pbr-map", node::PBRMAP),
    ("access-list", node::ACCESS),
    ("ipv6 access-list", node::ACCESS_IPV6),
    ("mac access-list", node::ACCESS_MAC),
    ("ip prefix-list", node::PREFIX),
    ("ipv6 prefix-list", node::PREFIX_IPV6),
    ("bgp as-path access-list", node::AS_LIST),
    ("bgp community-list", node::COMMUNITY_LIST),
    ("bgp extcommunity-list", node::COMMUNITY_LIST),
    ("bgp large-community-list", node::COMMUNITY_LIST),
    ("bgp community alias", node::COMMUNITY_ALIAS),
    ("ip route", node::IP),
    ("ipv6 route", node::IP),
    ("key", node::KEYCHAIN),
    ("line", node::VTY),
    ("debug vrf", node::VRF_DEBUG),
    ("debug route-map", node::RMAP_DEBUG),
    ("debug resolver", node::RESOLVER_DEBUG),
    ("debug", node::DEBUG),
    ("password", node::AAA),
    ("enable password", node::AAA),
    ("ip protocol", node::PROTOCOL),
    ("ipv6 protocol", node::PROTOCOL),
    ("ip nht", node::PROTOCOL),
    ("ipv6 nht", node::PROTOCOL),
    ("mpls", node::MPLS),
    ("segment-routing", node::SEGMENT_ROUTING),
    ("bfd", node::BFD),
    ("rpki", node::RPKI),
    ("router pim", node::PIM),
    ("router pim6", node::PIM6),
];

/// Other top-level lines kept once (the rest are kept as often as they
/// come).
const TOP_ONCE: [&str; 12] = [
    "log",
    "hostname",
    "domainname",
    "allow-reserved-ranges",
    "frr",
    "agentx",
    "no log",
    "no ip prefix-list",
    "no ipv6 prefix-list",
    "service cputime-stats",
    "no service cputime-stats",
    "service cputime-warning",
];

/// FRR 10's: every `service` and `no service` line.
const TOP_ONCE_10: [&str; 11] = [
    "log",
    "hostname",
    "domainname",
    "allow-reserved-ranges",
    "frr",
    "agentx",
    "no log",
    "no ip prefix-list",
    "no ipv6 prefix-list",
    "service ",
    "no service ",
];

/// Sections printed without a `!` after each of their blocks (one after
/// the whole section instead).
fn no_delimiter(node: u8) -> bool {
    use node::*;
    matches!(
        node,
        ACCESS
            | PREFIX
            | IP
            | AS_LIST
            | COMMUNITY_LIST
            | COMMUNITY_ALIAS
            | ACCESS_IPV6
            | ACCESS_MAC
            | PREFIX_IPV6
            | FORWARDING
            | DEBUG
            | AAA
            | VRF_DEBUG
            | NORTHBOUND_DEBUG
            | RMAP_DEBUG
            | RESOLVER_DEBUG
            | MPLS
            | KEYCHAIN_KEY
    )
}

/// One block: its opening line, its lines, what closes it.
#[derive(Debug, Default)]
struct Block {
    name: String,
    /// The node whose rules apply to the next line (changes inside
    /// `link-params`).
    node: u8,
    lines: Vec<String>,
    exit: Option<String>,
    nested: Sections,
}

/// Blocks by section (by the rank of its node: see [`Dialect::rank`]),
/// each section in order of arrival.
#[derive(Debug, Default)]
struct Sections {
    by_node: BTreeMap<u8, Section>,
}

#[derive(Debug, Default)]
struct Section {
    /// The section's node (its blocks' may change, `link-params`).
    node: u8,
    blocks: Vec<Block>,
    index: HashMap<String, usize>,
}

impl Sections {
    /// The block `name` of the section of `node`, ranked `rank`.
    fn get(&mut self, rank: u8, node: u8, name: &str) -> usize {
        let section = self.by_node.entry(rank).or_insert_with(|| Section {
            node,
            ..Section::default()
        });
        if let Some(&i) = section.index.get(name) {
            return i;
        }
        section.blocks.push(Block {
            name: name.to_owned(),
            node,
            ..Block::default()
        });
        let i = section.blocks.len() - 1;
        section.index.insert(name.to_owned(), i);
        i
    }
}

/// Where the next indented line goes (sections by rank).
#[derive(Debug, Clone, Copy)]
enum Current {
    None,
    Block(u8, usize),
    /// A `key` inside a key chain: (chain's rank, chain, key).
    Key(u8, usize, usize),
}

/// vtysh's merge of the daemons' answers.
#[derive(Debug)]
struct Merge {
    dialect: Dialect,
    top: Vec<String>,
    sections: Sections,
    current: Current,
}

/// Adds `line` unless present, before the first line that sorts after it
/// (vtysh's `config_add_line_uniq`).
fn add_sorted_once(lines: &mut Vec<String>, line: &str) {
    if lines.iter().any(|l| l == line) {
        return;
    }
    let at = lines
        .iter()
        .position(|l| line < l.as_str())
        .unwrap_or(lines.len());
    lines.insert(at, line.to_owned());
}

/// Adds `line` at the end, moving it there if present
/// (`config_add_line_uniq_end`).
fn add_last_once(lines: &mut Vec<String>, line: &str) {
    if let Some(i) = lines.iter().position(|l| l == line) {
        let moved = lines.remove(i);
        lines.push(moved);
    } else {
        lines.push(line.to_owned());
    }
}

impl Merge {
    fn new(dialect: Dialect) -> Merge {
        Merge {
            dialect,
            top: Vec::new(),
            sections: Sections::default(),
            current: Current::None,
        }
    }

    fn block(&mut self, node: u8, i: usize) -> &mut Block {
        &mut self
            .sections
            .by_node
            .get_mut(&node)
            .expect("current block exists")
            .blocks[i]
    }

    fn innermost(&mut self) -> Option<&mut Block> {
        let key = self.dialect.rank(node::KEYCHAIN_KEY);
        match self.current {
            Current::None => None,
            Current::Block(node, i) => Some(self.block(node, i)),
            Current::Key(node, i, k) => {
                Some(&mut self.block(node, i).nested.by_node.get_mut(&key)?.blocks[k])
            }
        }
    }

    /// `vtysh_config_parse_line`.
    fn line(&mut self, line: &str) {
        match line.as_bytes().first() {
            None | Some(b'!' | b'#') => {}
            Some(b' ') => self.indented(line),
            Some(_) => self.top_level(line),
        }
    }

    fn indented(&mut self, line: &str) {
        let current = self.current;
        let dialect = self.dialect;
        let Some(block) = self.innermost() else {
            self.top.push(line.to_owned());
            return;
        };
        if block.node == node::KEYCHAIN && line.starts_with(" key") {
            if let Current::Block(node, i) = current {
                let key = dialect.rank(node::KEYCHAIN_KEY);
                let k = block.nested.get(key, node::KEYCHAIN_KEY, line);
                self.current = Current::Key(node, i, k);
            }
        } else if block.node == node::KEYCHAIN_KEY {
            if line.starts_with(" exit") {
                add_last_once(&mut block.lines, line);
                if let Current::Key(node, i, _) = current {
                    self.current = Current::Block(node, i);
                }
            } else {
                add_sorted_once(&mut block.lines, line);
            }
        } else if line.starts_with(" link-params") {
            block.lines.push(line.to_owned());
            block.node = node::LINK_PARAMS;
        } else if line.starts_with(" ip multicast boundary")
            || line.starts_with(" ip igmp query-interval")
        {
            add_last_once(&mut block.lines, line);
        } else if block.node == node::LINK_PARAMS && line.starts_with(" exit") {
            block.lines.push(line.to_owned());
            block.node = node::INTERFACE;
        } else if line.starts_with(" vrrp") || line.starts_with(" no vrrp") {
            block.lines.push(line.to_owned());
        } else if line.starts_with(" ip mroute") {
            add_last_once(&mut block.lines, line);
        } else if dialect == Dialect::V10 {
            block.indented_10(line);
        } else if matches!(
            block.node,
            node::RMAP | node::INTERFACE | node::VTY | node::NH_GROUP
        ) {
            add_sorted_once(&mut block.lines, line);
        } else {
            block.lines.push(line.to_owned());
        }
    }

    fn top_level(&mut self, line: &str) {
        if line.starts_with("exit") {
            if let Some(block) = self.innermost() {
                block.exit = Some(line.to_owned());
            }
            return;
        }
        let opener = self
            .dialect
            .openers()
            .iter()
            .find(|(prefix, _)| line.starts_with(prefix));
        if let Some(&(_, node)) = opener {
            let rank = self.dialect.rank(node);
            let i = self.sections.get(rank, node, line);
            self.current = Current::Block(rank, i);
            return;
        }
        let once = self.dialect.top_once().iter().any(|p| line.starts_with(p));
        if !(once && self.top.iter().any(|l| l == line)) {
            self.top.push(line.to_owned());
        }
        self.current = Current::None;
    }

    fn dump(self) -> String {
        let mut out = String::from("Building configuration...\n\nCurrent configuration:\n!\n");
        for line in &self.top {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("!\n");
        dump_sections(self.dialect, &self.sections, false, &mut out);
        out.push_str("end\n");
        out
    }
}

impl Block {
    /// FRR 10's rules for an indented line, after those it shares with
    /// 8.4 (`vtysh_config_parse_line`): `rpki` inside a `vrf` opens a node
    /// its `  exit` closes; a nexthop-group's lines are kept once, at the
    /// end (`resilient` first).
    fn indented_10(&mut self, line: &str) {
        if line.starts_with(" rpki") && self.node == node::VRF {
            self.lines.push(line.to_owned());
            self.node = node::RPKI_VRF;
        } else if matches!(self.node, node::RMAP | node::INTERFACE | node::VTY) {
            add_sorted_once(&mut self.lines, line);
        } else if self.node == node::RPKI_VRF && line.starts_with("  exit") {
            self.lines.push(line.to_owned());
            self.node = node::VRF;
        } else if self.node == node::NH_GROUP {
            if line.starts_with(" resilient") {
                self.lines.insert(0, line.to_owned());
            } else {
                add_last_once(&mut self.lines, line);
            }
        } else {
            self.lines.push(line.to_owned());
        }
    }
}

/// `configvec_dump`.
fn dump_sections(dialect: Dialect, sections: &Sections, nested: bool, out: &mut String) {
    for section in sections.by_node.values() {
        let node = section.node;
        for block in &section.blocks {
            let empty = match dialect {
                Dialect::V8 => block.lines.len() == 1 && block.lines[0] == "exit",
                Dialect::V10 => block.lines.is_empty(),
            };
            if block.node == node::INTERFACE && empty {
                continue;
            }
            out.push_str(&block.name);
            out.push('\n');
            for line in &block.lines {
                out.push_str(line);
                out.push('\n');
            }
            dump_sections(dialect, &block.nested, true, out);
            if let Some(exit) = &block.exit {
                out.push_str(exit);
                out.push('\n');
            }
            if !dialect.no_delimiter(node) {
                out.push_str("!\n");
            }
        }
        if !nested && dialect.no_delimiter(node) {
            out.push_str("!\n");
        }
    }
}

/// vtysh's `show running-config` from the daemons' answers (in vtysh's
/// daemon order) and vtysh's own lines, as the vtysh of the FRR the
/// daemons say they are merges it ([`Dialect::detect`]).
pub fn merge(answers: &[String], own: &[String]) -> String {
    merge_as(Dialect::detect(answers), answers, own)
}

/// [`merge`] with the rules of `dialect`.
pub fn merge_as(dialect: Dialect, answers: &[String], own: &[String]) -> String {
    let mut merge = Merge::new(dialect);
    for answer in answers {
        for line in answer.split('\n') {
            merge.line(line);
        }
    }
    for line in own {
        merge.line(line);
    }
    merge.dump()
}

/// The top-level lines of a vtysh text (between the header and the first
/// `!` after it).
fn top_lines(text: &str) -> Option<Vec<&str>> {
    let body = text.strip_prefix("Building configuration...\n\nCurrent configuration:\n!\n")?;
    Some(body.lines().take_while(|l| *l != "!").collect())
}

/// The `frr version …` line of a vtysh text (among its top-level lines),
/// if it has one.
pub fn version_line(text: &str) -> Option<&str> {
    let body = text.strip_prefix("Building configuration...\n\nCurrent configuration:\n!\n")?;
    body.lines()
        .take_while(|l| *l != "!")
        .find(|l| l.starts_with("frr version "))
}

/// vtysh's own lines, learned from one of its texts and the daemons'
/// answers read at the same time, when the merge then gives that text
/// exactly; `None` otherwise (the merge is not to be used).
pub fn calibrate(vtysh_text: &str, answers: &[String]) -> Option<Vec<String>> {
    let mut own = host_lines();
    let ours = merge(answers, &own);
    if ours == vtysh_text {
        return Some(own);
    }
    // Lines vtysh adds after the daemons' (`service integrated-vtysh-config`,
    // users) end its top-level part.
    let (theirs_top, ours_top) = (top_lines(vtysh_text)?, top_lines(&ours)?);
    let extra = theirs_top.strip_prefix(ours_top.as_slice())?;
    own.extend(extra.iter().map(|l| (*l).to_owned()));
    (merge(answers, &own) == vtysh_text).then_some(own)
}

/// The `hostname` and `domainname` vtysh prints of the host it runs on.
fn host_lines() -> Vec<String> {
    let read = |name: &str| {
        std::fs::read_to_string(format!("/proc/sys/kernel/{name}"))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    let host = read("hostname");
    if !host.is_empty() {
        lines.push(format!("hostname {host}"));
    }
    let domain = read("domainname");
    if !domain.is_empty() && domain != "(none)" {
        lines.push(format!("domainname {domain}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_daemons_names_the_daemons() {
        let text = " mgmtd zebra bgpd pimd staticd bfdd\n";
        assert_eq!(
            named_daemons(text),
            ["mgmtd", "zebra", "bgpd", "pimd", "staticd", "bfdd"]
        );
        assert!(named_daemons("% Unknown command\n").is_empty());
        assert!(!named_daemons(" pim6d\n").contains(&"pimd"));
    }

    #[test]
    fn the_socket_directory_is_where_vtysh_looks() {
        let at = |dir: Option<&str>, name| socket_dir(dir.map(Path::new), name);
        assert_eq!(at(None, None), Path::new("/var/run/frr"));
        assert_eq!(at(None, Some("n1")), Path::new("/var/run/frr/n1"));
        assert_eq!(at(Some("/x"), None), Path::new("/x"));
        // Both: the pathspace below the given directory, as vtysh_main.c.
        assert_eq!(at(Some("/x"), Some("n1")), Path::new("/x/n1"));
    }

    /// A daemon's vty socket at `path` answering one connection: `enable`,
    /// then `text` to `do write terminal`.
    fn fake_daemon(path: &Path, text: &'static str) -> std::thread::JoinHandle<()> {
        let listener = std::os::unix::net::UnixListener::bind(path).unwrap();
        std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut answer = |reply: &str| {
                let mut byte = [0u8; 1];
                while stream.read(&mut byte).is_ok_and(|n| n == 1) && byte[0] != 0 {}
                let mut out = reply.as_bytes().to_vec();
                out.extend_from_slice(&[0, 0, 0, 0]);
                let _ = stream.write_all(&out);
            };
            answer("");
            answer(text);
        })
    }

    #[test]
    fn watchfrr_is_not_asked_as_vtysh_does_not() {
        let dir = std::env::temp_dir().join(format!("fra-vty-watchfrr-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let zebra = fake_daemon(&dir.join("zebra.vty"), "hostname r1\n!\n");
        // Answering, it would add a line vtysh never shows.
        let _watchfrr = fake_daemon(&dir.join("watchfrr.vty"), "watchfrr ignore bgpd\n!\n");
        assert_eq!(daemons(&dir), ["zebra", "watchfrr"]);
        assert_eq!(config_daemons(&dir), ["zebra"]);
        let answers = read(&dir, Duration::from_secs(5)).unwrap();
        assert_eq!(answers, ["hostname r1\n!\n"]);
        zebra.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ospfd_instances_leave_the_read_to_vtysh() {
        let dir = std::env::temp_dir().join(format!("fra-vty-instances-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("zebra.vty"), "").unwrap();
        std::fs::write(dir.join("ospfd-1.vty"), "").unwrap();
        let err = read(&dir, Duration::from_secs(1)).unwrap_err();
        assert!(err.to_string().contains("ospfd instances"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn answers(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn merges_as_vtysh_does() {
        let zebra =
            "frr version 8.4.4\nfrr defaults traditional\nhostname r1\nno ipv6 forwarding\n!\n\
                     interface eth0\n description up\nexit\n!\n\
                     ip prefix-list L seq 5 permit 192.0.2.0/24\n!\n\
                     route-map RM permit 10\n match ip address prefix-list L\nexit\n!\n";
        let bgpd = "frr version 8.4.4\nfrr defaults traditional\nhostname r1\n!\n\
                    router bgp 64512\n neighbor 192.0.2.1 remote-as 64600\nexit\n!\n\
                    ip prefix-list L seq 5 permit 192.0.2.0/24\nip prefix-list M seq 5 deny any\n!\n\
                    route-map RM permit 10\n set local-preference 200\n match ip address prefix-list L\nexit\n!\n";
        let text = merge(&answers(&[zebra, bgpd]), &["hostname host".to_owned()]);
        assert_eq!(
            text,
            "Building configuration...\n\nCurrent configuration:\n!\n\
             frr version 8.4.4\nfrr defaults traditional\nhostname r1\nno ipv6 forwarding\nhostname host\n!\n\
             interface eth0\n description up\nexit\n!\n\
             router bgp 64512\n neighbor 192.0.2.1 remote-as 64600\nexit\n!\n\
             ip prefix-list L seq 5 permit 192.0.2.0/24\nip prefix-list M seq 5 deny any\n!\n\
             route-map RM permit 10\n match ip address prefix-list L\n set local-preference 200\nexit\n!\n\
             end\n"
        );
    }

    #[test]
    fn empty_interfaces_and_key_chains() {
        let zebra = "interface lo\nexit\n!\nkey chain K\n key 1\n  key-string x\n exit\nexit\n!\n";
        let text = merge(&answers(&[zebra]), &[]);
        assert_eq!(
            text,
            "Building configuration...\n\nCurrent configuration:\n!\n!\n\
             key chain K\n key 1\n  key-string x\n exit\nexit\n!\n\
             interface lo\nexit\n!\n\
             end\n"
        );
    }

    #[test]
    fn merges_as_vtysh_10_does() {
        // mgmtd first (static routes), then zebra and bgpd: FRR 10.4.3's
        // section order puts prefix-lists and route-maps before `router
        // bgp`, and a static route before interfaces.
        let mgmtd = "frr version 10.4.3\nfrr defaults traditional\nhostname r1\n\
                     service integrated-vtysh-config\n!\nip route 192.0.2.0/24 blackhole\n!\n";
        let zebra = "frr version 10.4.3\nfrr defaults traditional\nhostname r1\n!\n\
                     interface eth0\n description up\nexit\n!\n\
                     nexthop-group G\n nexthop 192.0.2.1\n resilient buckets 8\nexit\n!\n\
                     ip prefix-list L seq 5 permit 192.0.2.0/24\n!\n";
        let bgpd = "frr version 10.4.3\nfrr defaults traditional\nhostname r1\n!\n\
                    router bgp 64512\n neighbor 192.0.2.1 remote-as 64600\nexit\n!\n\
                    ip prefix-list L seq 5 permit 192.0.2.0/24\n!\n\
                    route-map RM permit 10\n set local-preference 200\nexit\n!\n";
        let all = answers(&[mgmtd, zebra, bgpd]);
        assert_eq!(Dialect::detect(&all), Dialect::V10);
        let text = merge(&all, &["hostname host".to_owned()]);
        assert_eq!(
            text,
            "Building configuration...\n\nCurrent configuration:\n!\n\
             frr version 10.4.3\nfrr defaults traditional\nhostname r1\n\
             service integrated-vtysh-config\nhostname host\n!\n\
             ip prefix-list L seq 5 permit 192.0.2.0/24\n!\n\
             route-map RM permit 10\n set local-preference 200\nexit\n!\n\
             ip route 192.0.2.0/24 blackhole\n!\n\
             interface eth0\n description up\nexit\n!\n\
             nexthop-group G\n resilient buckets 8\n nexthop 192.0.2.1\nexit\n!\n\
             router bgp 64512\n neighbor 192.0.2.1 remote-as 64600\nexit\n!\n\
             end\n"
        );
        // The same answers as 8.4's vtysh merges them: another order.
        assert_ne!(
            merge_as(Dialect::V8, &all, &[]),
            merge_as(Dialect::V10, &all, &[])
        );
    }

    #[test]
    fn calibration_learns_vtysh_lines_or_refuses() {
        let zebra = "hostname r1\n!\nip route 192.0.2.0/24 Null0\n!\n".to_owned();
        let mut own = host_lines();
        own.push("service integrated-vtysh-config".into());
        let vtysh = merge(std::slice::from_ref(&zebra), &own);
        assert_eq!(calibrate(&vtysh, std::slice::from_ref(&zebra)), Some(own));
        let other = vtysh.replace("ip route", "ipv6 route");
        assert_eq!(calibrate(&other, &[zebra]), None);
    }
}
