//! Hides secrets (BGP and MSDP passwords, key-chain `key-string`s, OSPF,
//! IS-IS and RIP keys, vty passwords) in configuration text before it
//! leaves the agent in a result, a log line, an event, a status file or a
//! metric.

use std::borrow::Cow;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// Words after which the next word is a secret.
const SECRET_KEYWORDS: &[&str] = &[
    "password",
    "key-string",
    "authentication-key",
    "area-password",
    "domain-password",
    "md5",
    "hmac-sha-1",
    "hmac-sha-256",
    "hmac-sha-384",
    "hmac-sha-512",
];

/// Words that name how a secret is encoded rather than being it, when more
/// words follow (`password 8 HASH`, `area-password md5 KEY`).
const ENCODINGS: &[&str] = &["0", "7", "8", "clear", "md5", "encrypted"];

/// One line with its secrets replaced by [`REDACTED`].
pub fn redact_line(line: &str) -> Cow<'_, str> {
    if !SECRET_KEYWORDS.iter().any(|k| line.contains(k)) && !line.contains("authentication string")
    {
        return Cow::Borrowed(line);
    }
    let indent = &line[..line.len() - line.trim_start().len()];
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        out.push(word);
        i += 1;
        let opens_secret = SECRET_KEYWORDS.contains(&word)
            || (word == "string" && out.len() >= 2 && out[out.len() - 2] == "authentication");
        if !opens_secret {
            continue;
        }
        while i + 1 < words.len() && ENCODINGS.contains(&words[i]) {
            out.push(words[i]);
            i += 1;
        }
        if i < words.len() {
            out.push(REDACTED);
            i += 1;
        }
    }
    Cow::Owned(format!("{indent}{}", out.join(" ")))
}

/// Replaces the secrets of `text` in place; a text without any (the usual
/// case) is not copied.
pub fn redact_in_place(text: &mut String) {
    let suspect =
        SECRET_KEYWORDS.iter().any(|k| text.contains(k)) || text.contains("authentication string");
    if suspect {
        *text = redact(text);
    }
}

/// A whole text with the secrets of every line replaced.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.push_str(&redact_line(body));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_and_the_rest_kept() {
        let cases = [
            (
                " neighbor 192.0.2.1 password s3cret",
                " neighbor 192.0.2.1 password <redacted>",
            ),
            ("password zebra", "password <redacted>"),
            ("password 1", "password <redacted>"),
            ("enable password 8 HASH", "enable password 8 <redacted>"),
            ("  key-string k3y", "  key-string <redacted>"),
            (
                " ip ospf message-digest-key 1 md5 KEY",
                " ip ospf message-digest-key 1 md5 <redacted>",
            ),
            (
                " area-password md5 KEY authenticate snp validate",
                " area-password md5 <redacted> authenticate snp validate",
            ),
            (
                " ip rip authentication string KEY",
                " ip rip authentication string <redacted>",
            ),
            (
                " ipv6 ospf6 authentication keyid 1 hmac-sha-256 KEY",
                " ipv6 ospf6 authentication keyid 1 hmac-sha-256 <redacted>",
            ),
            (
                " msdp peer 192.0.2.2 password 1234",
                " msdp peer 192.0.2.2 password <redacted>",
            ),
            (
                " neighbor 192.0.2.1 remote-as 64600",
                " neighbor 192.0.2.1 remote-as 64600",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(redact_line(line), want, "{line}");
        }
    }

    #[test]
    fn whole_text_keeps_its_line_ends() {
        let text = "router bgp 1\n neighbor 192.0.2.1 password pw\nexit\n";
        assert_eq!(
            redact(text),
            "router bgp 1\n neighbor 192.0.2.1 password <redacted>\nexit\n"
        );
        assert_eq!(redact("no end"), "no end");
        let mut text = text.to_owned();
        redact_in_place(&mut text);
        assert_eq!(
            text,
            redact("router bgp 1\n neighbor 192.0.2.1 password pw\nexit\n")
        );
    }
}
