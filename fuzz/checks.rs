//! What the fuzz targets check, shared with the regression test
//! (`tests/tests/fuzz_regressions.rs`) that replays every input under
//! `fuzz/regressions/TARGET/`: no panic anywhere, and
//! - parse: the printed form of a parsed configuration parses back to the
//!   same configuration, and diffs to nothing against it;
//! - diff: two configurations separated by a NUL byte diff without panic,
//!   a configuration diffs to nothing against itself, and no command of
//!   the delta is empty;
//! - api_body: the first byte picks a content type, the rest is the body;
//!   a text body is refused exactly when it is empty, not UTF-8 or over
//!   the limit, and else decodes to itself; a decoded JSON body is within
//!   the limit.

use protocol::body::{body_kind, decode_config, BodyKind};
use reloader::{diff, Config};

/// Checks the parser on `data`.
pub fn parse(data: &[u8]) {
    let Ok(config) = Config::parse_bytes(data) else {
        return;
    };
    let printed = config.to_string();
    let again = Config::parse(&printed)
        .unwrap_or_else(|e| panic!("the printed form does not parse: {e}\n{printed}"));
    assert_eq!(
        again.to_string(),
        printed,
        "print + parse changed the configuration"
    );
    let delta = diff(&config, &again);
    assert!(
        delta.is_empty(),
        "a configuration differs from its printed form:\n{}",
        delta.script
    );
}

/// Checks the diff on `data`: two texts separated by a NUL byte.
pub fn diff_pair(data: &[u8]) {
    let mut parts = data.splitn(2, |b| *b == 0);
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return;
    };
    let (Ok(a), Ok(b)) = (Config::parse_bytes(a), Config::parse_bytes(b)) else {
        return;
    };
    for config in [&a, &b] {
        let same = diff(config, config);
        assert!(same.is_empty(), "differs from itself:\n{}", same.script);
    }
    let delta = diff(&a, &b);
    assert!(
        delta
            .delete
            .iter()
            .chain(&delta.add)
            .all(|c| !c.command.is_empty()),
        "an empty command:\n{}",
        delta.script
    );
}

/// Content types the first byte of an `api_body` input picks from.
const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("text/plain"),
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("image/png"),
    Some("TEXT/PLAIN;charset=latin1"),
];

/// Checks the API body decoding on `data`.
pub fn api_body(data: &[u8]) {
    let Some((first, body)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[usize::from(*first) % CONTENT_TYPES.len()];
    let Ok(kind) = body_kind(content_type) else {
        return;
    };
    let limit = 1 << 16;
    let decoded = decode_config(kind, body.to_vec(), limit);
    if let Ok(request) = &decoded {
        assert!(request.config.len() <= limit);
    }
    if kind == BodyKind::Text {
        let acceptable =
            !body.is_empty() && body.len() <= limit && std::str::from_utf8(body).is_ok();
        match decoded {
            Ok(request) => assert_eq!(request.config.as_bytes(), body),
            Err(e) => assert!(!acceptable, "a valid text body refused: {e}"),
        }
    }
}
