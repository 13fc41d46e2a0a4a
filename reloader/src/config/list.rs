//! What a list entry is: the lines of prefix-lists, access-lists, BGP
//! community lists and AS-path access lists, which FRR keeps entry by
//! entry, each at a sequence number. Every pass that treats list lines apart asks this module.

use crate::config::text::{find_byte, Words};

/// A kind of list FRR keeps entry by entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// `ip|ipv6 prefix-list NAME …`
    Prefix,
    /// `[ip|ipv6] access-list NAME …`
    Access,
    /// `bgp community-list`, `bgp large-community-list`, `bgp
    /// extcommunity-list`.
    Community,
    /// `bgp as-path access-list NAME …`: bgpd prints each entry with its
    /// sequence number, numbered as the others when typed without one
    /// (`bgp_alist_new_seq_get`, 8.4 to 10.7.1).
    AsPath,
}

/// The words that start each kind's lines, with the space after them.
const LISTS: [(&str, List); 9] = [
    ("ip prefix-list ", List::Prefix),
    ("ipv6 prefix-list ", List::Prefix),
    ("access-list ", List::Access),
    ("ip access-list ", List::Access),
    ("ipv6 access-list ", List::Access),
    ("bgp community-list ", List::Community),
    ("bgp large-community-list ", List::Community),
    ("bgp extcommunity-list ", List::Community),
    ("bgp as-path access-list ", List::AsPath),
];

/// The kind of list whose command `line` is (its first words, followed by
/// more words or by nothing).
pub fn kind(line: &str) -> Option<List> {
    LISTS
        .iter()
        .find(|(words, _)| line.starts_with(words) || line == words.trim_end())
        .map(|&(_, kind)| kind)
}

/// The kind of list `line` is a line of, and its first words with the
/// space after them (`ip prefix-list `): `line` goes on after them.
pub fn command(line: &str) -> Option<(List, &'static str)> {
    LISTS
        .iter()
        .find(|(words, _)| line.starts_with(words))
        .map(|&(words, kind)| (kind, words))
}

/// Whether `line` is a line of a prefix-list.
pub fn is_prefix_list(line: &str) -> bool {
    matches!(command(line), Some((List::Prefix, _)))
}

/// `ip|ipv6 prefix-list NAME` of an entry or description line of a
/// prefix-list.
pub fn prefix_list_of(line: &str) -> Option<&str> {
    let (List::Prefix, words) = command(line)? else {
        return None;
    };
    let name_len = line[words.len()..].find(' ')?;
    Some(&line[..words.len() + name_len])
}

/// Splits an entry of a prefix-list or an access-list (`… NAME seq N
/// ACTION …`) into `… NAME seq N`, its slot (an entry is identified by its
/// list and sequence number), and the entry's content (`permit P …`).
pub fn split_entry(line: &str) -> Option<(&str, &str)> {
    let (List::Prefix | List::Access, words) = command(line)? else {
        return None;
    };
    // `… NAME seq N ACTION …`: the fourth or fifth word is `seq`, the
    // first one after the list's (which are neither `seq` nor an action).
    // The line is whitespace-collapsed (a key or line of a parsed
    // configuration).
    let mut offset = words.len();
    for word in Words(&line[offset..]) {
        let after = offset + word.len() + 1;
        if word == "seq" {
            let rest = line.get(after..)?;
            let num_end = find_byte(rest.as_bytes(), b' ')?;
            rest[..num_end].parse::<u64>().ok()?;
            return Some((&line[..after + num_end], &rest[num_end + 1..]));
        }
        if word == "permit" || word == "deny" {
            return None;
        }
        offset = after;
    }
    None
}

/// `ip prefix-list NAME` of an entry's slot `ip prefix-list NAME seq N`
/// (see [`split_entry`]).
pub fn list_of_slot(slot: &str) -> &str {
    // The slot ends with `seq N`: that `seq` is the last one, found without
    // a substring searcher (nor `memrchr`'s setup, for a number of a few
    // digits).
    let space = slot.bytes().rposition(|b| b == b' ');
    let fast = space.and_then(|i| slot[..i].strip_suffix(" seq"));
    fast.unwrap_or_else(|| slot.rfind(" seq ").map_or(slot, |i| &slot[..i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_split_into_slot_and_content() {
        assert_eq!(
            split_entry("ip prefix-list L seq 5 permit 192.0.2.0/24 le 32"),
            Some(("ip prefix-list L seq 5", "permit 192.0.2.0/24 le 32"))
        );
        assert_eq!(
            split_entry("access-list A seq 10 deny any"),
            Some(("access-list A seq 10", "deny any"))
        );
        assert_eq!(split_entry("ip prefix-list L permit any"), None);
        assert_eq!(
            split_entry("bgp community-list standard C seq 5 permit 1:1"),
            None
        );
        assert_eq!(list_of_slot("ip prefix-list L seq 5"), "ip prefix-list L");
    }

    #[test]
    fn kinds_by_their_first_words() {
        assert_eq!(
            kind("ipv6 prefix-list L seq 5 permit any"),
            Some(List::Prefix)
        );
        assert_eq!(kind("bgp large-community-list x"), Some(List::Community));
        assert_eq!(
            kind("bgp as-path access-list x permit _1_"),
            Some(List::AsPath)
        );
        assert_eq!(kind("access-list"), Some(List::Access));
        assert_eq!(kind("access-lists"), None);
        assert_eq!(command("access-list"), None, "no words after it");
        assert_eq!(
            prefix_list_of("ip prefix-list L description x"),
            Some("ip prefix-list L")
        );
        assert_eq!(prefix_list_of("access-list A seq 5 permit any"), None);
    }
}
