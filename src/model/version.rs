//! Talos and Kubernetes versions (`v1.12.0`), compared by major.minor.patch.

use std::fmt;

/// A semantic version as Talos writes it (`v1.12.0`); the `v` is optional on input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Patch.
    pub patch: u32,
}

impl Version {
    /// Parses `v1.12.0`, `1.12.0` or `v1.12`.
    pub fn parse(s: &str) -> Option<Version> {
        let t = s.trim().strip_prefix('v').unwrap_or(s.trim());
        let mut it = t.split('.');
        let major = it.next()?.parse().ok()?;
        let minor = it.next()?.parse().ok()?;
        let patch = match it.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        if it.next().is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
        })
    }

    /// `(major, minor)`, what Talos' version contract compares.
    pub fn minor_pair(&self) -> (u32, u32) {
        (self.major, self.minor)
    }

    /// Whether this version's major.minor is strictly greater than `major.minor`
    /// (Talos' `contract.Greater`).
    pub fn greater(&self, major: u32, minor: u32) -> bool {
        self.minor_pair() > (major, minor)
    }

    /// `1.12.0` without the `v`.
    pub fn bare(&self) -> String {
        format!("{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares() {
        let v = Version::parse("v1.12.0").unwrap();
        assert_eq!(v.to_string(), "v1.12.0");
        assert_eq!(Version::parse("1.35").unwrap().bare(), "1.35.0");
        assert!(v.greater(1, 11));
        assert!(!v.greater(1, 12));
        assert!(Version::parse("v1.x").is_none());
        assert!(Version::parse("1.2.3.4").is_none());
    }
}
