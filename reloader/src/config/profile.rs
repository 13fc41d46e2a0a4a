//! The `frr defaults` profile line: which profile a text names, and a
//! desired text read with the running profile when it names none.

use std::borrow::Cow;

/// `desired` as FRR reads it on top of `running`: a configuration without
/// its own `frr defaults` line keeps the running profile, whose defaults
/// decide what FRR prints. The line is appended, so line numbers stay.
pub fn with_running_profile<'a>(running: &str, desired: &'a str) -> Cow<'a, str> {
    let profile = |text: &str| {
        // Most configurations have no such line: one substring search over
        // the whole text rules it out faster than a walk line by line.
        if !text.contains("frr defaults ") {
            return None;
        }
        text.lines().find_map(profile_of).map(str::to_owned)
    };
    match profile(running) {
        Some(running) if profile(desired).is_none() => {
            let separator = if desired.ends_with('\n') || desired.is_empty() {
                ""
            } else {
                "\n"
            };
            format!("{desired}{separator}frr defaults {running}\n").into()
        }
        _ => desired.into(),
    }
}

/// The value of an `frr defaults` line.
pub(crate) fn profile_of(line: &str) -> Option<&str> {
    line.trim_start()
        .strip_prefix("frr defaults ")
        .map(str::trim)
}
