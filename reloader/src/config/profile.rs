//! The `frr defaults` profile line: which profile a text names, and a
//! desired text read with the running profile when it names none.

use std::borrow::Cow;

/// `desired` as FRR reads it on top of `running`: a configuration without
/// its own `frr defaults` line keeps the running profile, whose defaults
/// decide what FRR prints. The line is appended, so line numbers stay.
/// (To parse, [`crate::Config::parse_desired_for`] reads that line even
/// after a text that left configuration mode, which this text refuses.)
pub fn with_running_profile<'a>(running: &str, desired: &'a str) -> Cow<'a, str> {
    match running_profile_line(running, desired) {
        Some(line) => {
            let separator = if desired.ends_with('\n') || desired.is_empty() {
                ""
            } else {
                "\n"
            };
            let mut text = String::with_capacity(desired.len() + separator.len() + line.len());
            text.push_str(desired);
            text.push_str(separator);
            text.push_str(&line);
            text.into()
        }
        None => desired.into(),
    }
}

/// The line [`with_running_profile`] appends to `desired` (`frr defaults
/// P\n`), if any: for a caller that reads the text a piece at a time and
/// need not copy it.
pub fn running_profile_line(running: &str, desired: &str) -> Option<String> {
    let profile = |text: &str| {
        // Most configurations have no such line: one substring search over
        // the whole text rules it out faster than a walk line by line.
        if !text.contains("frr defaults ") {
            return None;
        }
        text.lines().find_map(profile_of).map(str::to_owned)
    };
    let running = profile(running)?;
    profile(desired)
        .is_none()
        .then(|| format!("frr defaults {running}\n"))
}

/// The value of an `frr defaults` line.
pub(crate) fn profile_of(line: &str) -> Option<&str> {
    line.trim_start()
        .strip_prefix("frr defaults ")
        .map(str::trim)
}
