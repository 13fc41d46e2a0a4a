//! FRR versions, as `show version` or `frr version X` report them; rules
//! that differ between releases ask this type.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

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
    /// Release `major`.`minor`.
    pub const fn new(major: u16, minor: u16) -> FrrVersion {
        FrrVersion { major, minor }
    }

    /// Debian 12's FRR.
    pub const V8_4: FrrVersion = FrrVersion::new(8, 4);
    /// Debian 13's FRR.
    pub const V10_3: FrrVersion = FrrVersion::new(10, 3);

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

impl FrrVersion {
    /// Whether a plain `vtysh -f FILE` forks one child per daemon, each
    /// opening and reading FILE itself (FRR 9.0 on): such a vtysh must be
    /// given a file, never a pipe, which its children would share.
    /// `vtysh -d DAEMON -f` and `vtysh --dryrun -f` do not fork.
    pub fn vtysh_f_forks(self) -> bool {
        self.major >= 9
    }

    /// Whether scripts may be typed into a long-lived interactive vtysh.
    /// Not where mgmtd takes configuration (FRR 10): mgmtd 10.4.3 dies
    /// once a commit typed into an interactive vtysh has failed, and 10.3's
    /// sometimes does (`tests/tests/long_scripts.rs` reproduces both); the
    /// same script through `vtysh -f` is refused and mgmtd lives.
    pub fn session_is_safe(self) -> bool {
        self.major < 10
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

/// The FRR version last seen in what FRR printed (`show version`, a
/// running configuration), shared by those who talk to the same FRR;
/// unknown until seen, and again once forgotten (FRR restarted, maybe
/// upgraded).
#[derive(Debug, Default)]
pub struct SeenVersion(AtomicU32);

impl SeenVersion {
    /// The version last seen, if any.
    pub fn get(&self) -> Option<FrrVersion> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            n => Some(FrrVersion {
                major: u16::try_from(n >> 16).unwrap_or(u16::MAX),
                minor: u16::try_from(n & 0xffff).unwrap_or(u16::MAX),
            }),
        }
    }

    /// Remembers the version `text` reports, if it reports one (see
    /// [`FrrVersion::detect`]).
    pub fn learn(&self, text: &str) {
        if let Some(version) = FrrVersion::detect(text) {
            let n = (u32::from(version.major) << 16) | u32::from(version.minor);
            // 0 stands for unknown: no FRR release is 0.0.
            self.0.store(n, Ordering::Relaxed);
        }
    }

    /// Forgets the version: it is unknown until seen again.
    pub fn forget(&self) {
        self.0.store(0, Ordering::Relaxed);
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

    #[test]
    fn only_frr_9_and_later_fork_vtysh_f() {
        assert!(!FrrVersion::V8_4.vtysh_f_forks());
        assert!("9.0".parse::<FrrVersion>().unwrap().vtysh_f_forks());
        assert!(FrrVersion::V10_3.vtysh_f_forks());
    }

    #[test]
    fn a_seen_version_is_learned_and_forgotten() {
        let seen = SeenVersion::default();
        assert_eq!(seen.get(), None);
        seen.learn("Building configuration...\n\nCurrent configuration:\n!\nfrr version 10.3\n");
        assert_eq!(seen.get(), Some(FrrVersion::V10_3));
        seen.learn("hostname a\n");
        assert_eq!(seen.get(), Some(FrrVersion::V10_3));
        seen.learn("FRRouting 8.4.4 (node) on Linux(6.1.0).\n");
        assert_eq!(seen.get(), Some(FrrVersion::V8_4));
        seen.forget();
        assert_eq!(seen.get(), None);
    }
}
