//! Decoding the body of `PUT /v1/config` and `POST /v1/diff`: the
//! configuration as `text/plain`, or JSON [`ConfigRequest`]. Pure, so that
//! it can be fuzzed; the HTTP side (length limit while reading, timeouts)
//! stays in the agent.

use std::fmt;

use crate::ConfigRequest;

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// The configuration text itself.
    Text,
    /// A JSON [`ConfigRequest`].
    Json,
}

/// Why a body is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// A content type other than text or JSON (HTTP 415).
    UnsupportedType(String),
    /// No body (HTTP 400).
    Empty,
    /// JSON that is not a [`ConfigRequest`] (HTTP 400).
    MalformedJson(String),
    /// Text that is not UTF-8, from this 1-based line on (HTTP 400).
    InvalidUtf8 {
        /// The line.
        line: usize,
    },
    /// A configuration over the limit, in bytes (HTTP 413).
    TooLarge {
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::UnsupportedType(t) => write!(
                f,
                "content type {t} not accepted: send text/plain or application/json"
            ),
            BodyError::Empty => f.write_str("missing body: send the configuration"),
            BodyError::MalformedJson(e) => write!(f, "malformed JSON body: {e}"),
            BodyError::InvalidUtf8 { line } => write!(f, "line {line}: invalid UTF-8"),
            BodyError::TooLarge { limit } => write!(
                f,
                "configuration over the limit of {limit} bytes (--max-config-bytes)"
            ),
        }
    }
}

impl std::error::Error for BodyError {}

/// The encoding a `Content-Type` header names (absent: text). curl's
/// default for `--data-binary`, form-urlencoded, is taken as text: the
/// bytes are used as they are.
pub fn body_kind(content_type: Option<&str>) -> Result<BodyKind, BodyError> {
    let essence = content_type
        .unwrap_or("text/plain")
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(BodyKind::Json),
        "text/plain" | "application/octet-stream" | "application/x-www-form-urlencoded" => {
            Ok(BodyKind::Text)
        }
        _ => Err(BodyError::UnsupportedType(essence)),
    }
}

/// The most bytes a body of `kind` may take on the wire for a
/// configuration of `limit` bytes (JSON escapes take up to 6 bytes per
/// byte of text).
pub fn wire_limit(kind: BodyKind, limit: usize) -> usize {
    match kind {
        BodyKind::Text => limit,
        BodyKind::Json => limit.saturating_mul(6),
    }
}

/// Decodes a whole body.
pub fn decode_config(
    kind: BodyKind,
    bytes: Vec<u8>,
    limit: usize,
) -> Result<ConfigRequest, BodyError> {
    if bytes.is_empty() {
        return Err(BodyError::Empty);
    }
    let request = match kind {
        BodyKind::Json => serde_json::from_slice::<ConfigRequest>(&bytes)
            .map_err(|e| BodyError::MalformedJson(e.to_string()))?,
        // The body becomes the text without a copy.
        BodyKind::Text => ConfigRequest {
            config: String::from_utf8(bytes).map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                BodyError::InvalidUtf8 {
                    line: e.as_bytes()[..valid]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        + 1,
                }
            })?,
            id: None,
        },
    };
    if request.config.len() > limit {
        return Err(BodyError::TooLarge { limit });
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_content_types() {
        assert_eq!(body_kind(None), Ok(BodyKind::Text));
        assert_eq!(
            body_kind(Some("text/plain; charset=utf-8")),
            Ok(BodyKind::Text)
        );
        assert_eq!(body_kind(Some("Application/JSON")), Ok(BodyKind::Json));
        assert_eq!(
            body_kind(Some("image/png")),
            Err(BodyError::UnsupportedType("image/png".into()))
        );
    }

    #[test]
    fn bodies_decode_or_say_why_not() {
        let text = decode_config(BodyKind::Text, b"router bgp 1\n".to_vec(), 100).unwrap();
        assert_eq!(text.config, "router bgp 1\n");
        let json =
            decode_config(BodyKind::Json, br#"{"config":"x","id":"a"}"#.to_vec(), 100).unwrap();
        assert_eq!(json.id.as_deref(), Some("a"));
        assert_eq!(
            decode_config(BodyKind::Text, b"".to_vec(), 100),
            Err(BodyError::Empty)
        );
        assert_eq!(
            decode_config(BodyKind::Text, b"a\nb\n\xff\n".to_vec(), 100),
            Err(BodyError::InvalidUtf8 { line: 3 })
        );
        assert_eq!(
            decode_config(BodyKind::Text, b"0123456789".to_vec(), 5),
            Err(BodyError::TooLarge { limit: 5 })
        );
        let err = decode_config(BodyKind::Json, b"{".to_vec(), 100).unwrap_err();
        assert!(err.to_string().starts_with("malformed JSON body"), "{err}");
    }
}
