//! Talos and Kubernetes versions (`v1.12.0`, `v1.14.0-alpha.2`), compared as semver does.

use std::cmp::Ordering;
use std::fmt;

/// A semantic version as Talos writes it (`v1.12.0`); the `v` is optional on input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Patch.
    pub patch: u32,
    /// The pre-release part (`-alpha.2`), `None` for a release.
    pub pre: Option<Pre>,
}

/// A pre-release as Talos and Kubernetes tag them: `alpha.N`, `beta.N`, `rc.N`.
///
/// Kept to these three so [`Version`] stays `Copy`; any other suffix is not a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pre {
    /// Which stage; ordered as semver orders the identifiers (`alpha` < `beta` < `rc`).
    pub stage: Stage,
    /// The number after the dot (`0` when the tag has none, as in `-rc`).
    pub number: Option<u32>,
}

/// A pre-release stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// `alpha`.
    Alpha,
    /// `beta`.
    Beta,
    /// `rc`.
    Rc,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Alpha => "alpha",
            Stage::Beta => "beta",
            Stage::Rc => "rc",
        }
    }
}

impl Pre {
    fn parse(s: &str) -> Option<Pre> {
        let (stage, number) = match s.split_once('.') {
            Some((stage, n)) => (stage, Some(number(n)?)),
            None => (s, None),
        };
        let stage = match stage {
            "alpha" => Stage::Alpha,
            "beta" => Stage::Beta,
            "rc" => Stage::Rc,
            _ => return None,
        };
        Some(Pre { stage, number })
    }
}

impl fmt::Display for Pre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.stage.name())?;
        match self.number {
            Some(n) => write!(f, ".{n}"),
            None => Ok(()),
        }
    }
}

/// A decimal number without sign or leading `+` (what `str::parse` would also take).
fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Version {
    /// Parses `v1.12.0`, `1.12.0`, `v1.12` or `v1.14.0-alpha.2`.
    pub fn parse(s: &str) -> Option<Version> {
        let t = s.trim().strip_prefix('v').unwrap_or(s.trim());
        let (core, pre) = match t.split_once('-') {
            Some((core, pre)) => (core, Some(Pre::parse(pre)?)),
            None => (t, None),
        };
        let mut it = core.split('.');
        let major = number(it.next()?)?;
        let minor = number(it.next()?)?;
        let patch = match it.next() {
            Some(p) => number(p)?,
            None => 0,
        };
        if it.next().is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
            pre,
        })
    }

    /// A release version `major.minor.patch`.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Version {
        Version {
            major,
            minor,
            patch,
            pre: None,
        }
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

    /// `1.12.0` without the `v` (`1.14.0-rc.1` for a pre-release), as Go's semver prints it.
    pub fn bare(&self) -> String {
        match self.pre {
            Some(pre) => format!("{}.{}.{}-{pre}", self.major, self.minor, self.patch),
            None => format!("{}.{}.{}", self.major, self.minor, self.patch),
        }
    }
}

impl Ord for Version {
    /// Semver precedence: a pre-release sorts before its release.
    fn cmp(&self, other: &Self) -> Ordering {
        let core = |v: &Version| (v.major, v.minor, v.patch);
        core(self)
            .cmp(&core(other))
            .then(match (self.pre, other.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.bare())
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
        assert!(Version::parse("v1.+2.0").is_none());
        assert_eq!(Version::parse("v1.13.9"), Some(Version::new(1, 13, 9)));
    }

    #[test]
    fn pre_releases_parse_and_sort_before_their_release() {
        for text in [
            "v1.14.0-alpha.2",
            "v1.14.0-beta.1",
            "v1.14.0-rc.1",
            "v1.14.0-rc",
        ] {
            let v = Version::parse(text).unwrap();
            assert_eq!(v.to_string(), text);
            assert_eq!(v.minor_pair(), (1, 14));
            assert!(v.pre.is_some());
        }
        assert_eq!(Version::parse("1.37.0-rc.0").unwrap().bare(), "1.37.0-rc.0");
        let order = [
            "v1.13.9",
            "v1.14.0-alpha.2",
            "v1.14.0-alpha.10",
            "v1.14.0-beta.1",
            "v1.14.0-rc.1",
            "v1.14.0",
            "v1.14.1",
        ]
        .map(|s| Version::parse(s).unwrap());
        for pair in order.windows(2) {
            assert!(pair[0] < pair[1], "{} < {}", pair[0], pair[1]);
        }
        for bad in [
            "v1.14.0-",
            "v1.14.0-gamma.1",
            "v1.14.0-rc.x",
            "v1.14.0-rc.1.2",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }
}
