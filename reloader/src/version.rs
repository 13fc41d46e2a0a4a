//! FRR versions, as `show version` or `frr version X` report them; rules
//! that differ between releases ask this type.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// An FRR release (major.minor; the patch level changes no printing rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FrrVersion {
    /// Major release (8, 9, 10, …).
    pub major: u16,
    /// Minor release.
    pub minor: u16,
}

impl FrrVersion {
    /// Debian 12's FRR.
    pub const V8_4: FrrVersion = FrrVersion { major: 8, minor: 4 };
    /// Debian 13's FRR.
    pub const V10_3: FrrVersion = FrrVersion {
        major: 10,
        minor: 3,
    };

    /// Finds the version in `show version` output or in a configuration's
    /// `frr version X` line.
    pub fn detect(text: &str) -> Option<FrrVersion> {
        // `show version` and `show running-config` say it in their first
        // lines.
        text.lines().take(20).find_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("FRRouting ")
                .or_else(|| line.strip_prefix("frr version "))?;
            rest.split_whitespace().next()?.parse().ok()
        })
    }
}

impl Default for FrrVersion {
    /// The version this project is first tested against (Debian 12).
    fn default() -> Self {
        FrrVersion::V8_4
    }
}

impl FromStr for FrrVersion {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || Error::Version(s.to_owned());
        let mut parts = s.split(['.', '-', '~', '_']);
        let major = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let minor = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        Ok(FrrVersion { major, minor })
    }
}

impl fmt::Display for FrrVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_detects() {
        assert_eq!("8.4.4".parse::<FrrVersion>().unwrap(), FrrVersion::V8_4);
        assert_eq!("10.3".parse::<FrrVersion>().unwrap(), FrrVersion::V10_3);
        assert!("ten".parse::<FrrVersion>().is_err());
        let show = "FRRouting 10.3.1 (node) on Linux(6.1.0).\nCopyright 1996-2005";
        assert_eq!(FrrVersion::detect(show), Some(FrrVersion::V10_3));
        assert_eq!(
            FrrVersion::detect("!\nfrr version 8.4.4\n"),
            Some(FrrVersion::V8_4)
        );
        assert!(FrrVersion::V8_4 < FrrVersion::V10_3);
    }
}
