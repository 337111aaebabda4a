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

/// A semver pre-release (`alpha.2`, `rc.1`, and any other tag, e.g. the `pre` of
/// `v1.11.1-pre` a community installer carries): dot-separated identifiers of ASCII letters,
/// digits and `-`, numeric ones without leading zeros.
///
/// Stored inline (at most [`Pre::MAX`] bytes) so [`Version`] stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pre {
    bytes: [u8; Pre::MAX],
    len: u8,
}

impl Pre {
    /// The longest pre-release tag kept.
    pub const MAX: usize = 30;

    fn parse(s: &str) -> Option<Pre> {
        if s.is_empty() || s.len() > Pre::MAX {
            return None;
        }
        for id in s.split('.') {
            let valid = !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !(id.len() > 1 && id.starts_with('0') && is_numeric(id));
            if !valid {
                return None;
            }
        }
        let mut bytes = [0; Pre::MAX];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Some(Pre {
            bytes,
            len: u8::try_from(s.len()).ok()?,
        })
    }

    /// The tag as written (`rc.1`).
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

fn is_numeric(id: &str) -> bool {
    id.bytes().all(|b| b.is_ascii_digit())
}

impl Ord for Pre {
    /// Semver precedence: identifier by identifier, numeric ones by value and before
    /// alphanumeric ones, which compare as ASCII; a prefix sorts first (`rc` < `rc.1`).
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut a, mut b) = (self.as_str().split('.'), other.as_str().split('.'));
        loop {
            match (a.next(), b.next()) {
                (None, None) => return Ordering::Equal,
                (None, Some(_)) => return Ordering::Less,
                (Some(_), None) => return Ordering::Greater,
                (Some(x), Some(y)) => {
                    let o = match (is_numeric(x), is_numeric(y)) {
                        (true, true) => x.len().cmp(&y.len()).then(x.cmp(y)),
                        (true, false) => Ordering::Less,
                        (false, true) => Ordering::Greater,
                        (false, false) => x.cmp(y),
                    };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
            }
        }
    }
}

impl PartialOrd for Pre {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Pre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pre({:?})", self.as_str())
    }
}

impl fmt::Display for Pre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
            "v1.14.0-rc..1",
            "v1.14.0-rc.01",
            "v1.14.0-rc.1.",
            "v1.14.0-r c",
            "v1.14.0-rc_1",
            "v1.14.0-é",
            &format!("v1.14.0-{}", "a".repeat(Pre::MAX + 1)),
        ] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

    // Any semver pre-release parses (a community installer tags `v1.11.1-pre`; Talos'
    // ParseContractFromVersion reads only major.minor and talhelper's validator only warns),
    // ordered as semver orders them.
    #[test]
    fn other_pre_releases_parse_and_sort_as_semver() {
        for text in [
            "v1.11.1-pre",
            "v1.14.0-gamma.1",
            "v1.14.0-rc.x",
            "v1.14.0-rc.1.2",
            "v1.2.0-0.3.7",
            "v1.2.0-x-y.7z",
        ] {
            let v = Version::parse(text).unwrap();
            assert_eq!(v.to_string(), text);
            assert!(v.pre.is_some(), "{text}");
        }
        assert_eq!(Version::parse("v1.11.1-pre").unwrap().minor_pair(), (1, 11));
        // semver.org's precedence example.
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ]
        .map(|s| Version::parse(s).unwrap());
        for pair in order.windows(2) {
            assert!(pair[0] < pair[1], "{} < {}", pair[0], pair[1]);
        }
        assert!(Version::parse("v1.11.1-pre").unwrap() < Version::parse("v1.11.1").unwrap());
    }
}
