//! A result as it leaves the agent (a reply, an event, the status, the
//! state file, the one-shot's output): secrets redacted, quoted lines cut.

use protocol::ApplyResult;
use reloader::config::redact::{redact, redact_in_place};

/// Longest line of an error quoted in a result: FRR's messages repeat
/// the refused line, which may be anything a caller sent.
const MAX_QUOTED: usize = 200;

/// Redacts every text of `result` that may hold a configuration line, and
/// cuts the quoted ones at [`MAX_QUOTED`] characters a line.
pub fn prepare(result: &mut ApplyResult) {
    let delta = &mut result.delta;
    for command in delta.delete.iter_mut().chain(delta.add.iter_mut()) {
        redact_in_place(&mut command.command);
    }
    redact_in_place(&mut delta.script);
    for error in &mut result.conversion.errors {
        quote(&mut error.text);
        quote(&mut error.message);
    }
    for error in &mut result.reload.errors {
        quote(&mut error.command.command);
        quote(&mut error.message);
    }
    quote(&mut result.last_conversion_result);
    quote(&mut result.last_reload_result);
    for warning in &mut result.reload.warnings {
        *warning = redact(warning);
    }
    for command in &mut result.residue {
        redact_in_place(&mut command.command);
    }
    for line in result.impact.iter_mut().flat_map(|i| i.because.iter_mut()) {
        quote(line);
    }
    redact_in_place(&mut result.running_config);
}

/// Redacts a quoted text and cuts its long lines.
fn quote(text: &mut String) {
    redact_in_place(text);
    cut_lines(text);
}

/// Cuts every line of `text` longer than [`MAX_QUOTED`] characters (a
/// text without one is not copied).
fn cut_lines(text: &mut String) {
    if !text.lines().any(|l| l.len() > MAX_QUOTED) {
        return;
    }
    let mut out = String::with_capacity(text.len().min(1 << 16));
    for line in text.split_inclusive('\n') {
        let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        match body.char_indices().nth(MAX_QUOTED) {
            Some((cut, _)) => {
                out.push_str(&body[..cut]);
                out.push('…');
            }
            None => out.push_str(body),
        }
        out.push_str(end);
    }
    *text = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_lines_are_cut_at_200_characters() {
        let long = "é".repeat(300);
        let mut text = format!("line 1: % Unknown command: {long}\nshort\n");
        cut_lines(&mut text);
        let first = text.lines().next().unwrap();
        assert_eq!(first.chars().count(), 201, "{first}");
        assert!(first.ends_with('…'));
        assert!(text.ends_with("\nshort\n"));
        let mut short = "a\nb".to_owned();
        cut_lines(&mut short);
        assert_eq!(short, "a\nb");
    }

    #[test]
    fn every_quoted_text_is_redacted() {
        let secret = "neighbor 192.0.2.1 password S3cret";
        let mut result = ApplyResult {
            last_reload_result: format!("line 2: {secret}: refused"),
            running_config: format!("router bgp 64512\n {secret}\n"),
            ..ApplyResult::default()
        };
        result.reload.warnings.push(secret.to_owned());
        result.residue.push(protocol::Command {
            context: vec!["router bgp 64512".to_owned()],
            command: secret.to_owned(),
        });
        prepare(&mut result);
        let json = serde_json::to_string(&result).unwrap();
        assert!(!json.contains("S3cret"), "{json}");
    }
}
