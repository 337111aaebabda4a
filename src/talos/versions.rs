//! The Talos releases talforge supports, one entry per minor, and what each one pins.
//!
//! This is where a new Talos release lands (README "Adding a Talos release"): one [`Release`]
//! entry (its Kubernetes range and defaults), its goldens under `src/talos/generate/testdata/`,
//! and, when `gen config` changes, the feature gate in [`super::contract`]. Every other module
//! asks here: the model rules (Kubernetes compatibility, version warnings), the script's and
//! talhelper reader's defaults, the contract.

use crate::model::Version;

/// A `(major, minor)` pair.
pub type MajorMinor = (u32, u32);

/// What talforge knows about one Talos 1.x minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// The minor: Talos `1.<minor>`.
    pub minor: u32,
    /// The release these defaults were read from (a pre-release for a minor not out yet).
    pub talos: &'static str,
    /// Its `constants.DefaultKubernetesVersion` (what `talosctl gen config` installs).
    pub kubernetes: &'static str,
    /// The Kubernetes minors it supports, oldest and newest (`compatibility/talosNNN`
    /// `Minimum`/`MaximumKubernetesVersion`, `SupportedWith`: any patch release of those minors).
    pub kubernetes_range: (MajorMinor, MajorMinor),
    /// Whether talforge has this minor's own version contract: Talos' stability goldens,
    /// which the renderer is checked against, start at contract 1.3; a minor without one is
    /// rendered with the nearest older contract.
    pub configs: bool,
}

const fn release(
    minor: u32,
    talos: &'static str,
    kubernetes: &'static str,
    oldest: MajorMinor,
    newest: MajorMinor,
) -> Release {
    Release {
        minor,
        talos,
        kubernetes,
        kubernetes_range: (oldest, newest),
        configs: minor >= 3,
    }
}

/// Every supported minor, oldest first. Kubernetes ranges from Talos v1.14.0-rc.1's
/// `pkg/machinery/compatibility/talos1*/` (the same as v1.13.9's for 1.2–1.13), defaults from
/// each listed release's `pkg/machinery/constants/constants.go`.
pub const RELEASES: &[Release] = &[
    release(2, "v1.2.0", "v1.25.0", (1, 23), (1, 25)),
    release(3, "v1.3.0", "v1.26.0", (1, 24), (1, 26)),
    release(4, "v1.4.0", "v1.27.1", (1, 25), (1, 27)),
    release(5, "v1.5.0", "v1.28.0", (1, 26), (1, 28)),
    release(6, "v1.6.0", "v1.29.0", (1, 24), (1, 29)),
    release(7, "v1.7.0", "v1.30.0", (1, 25), (1, 30)),
    release(8, "v1.8.0", "v1.31.1", (1, 26), (1, 31)),
    release(9, "v1.9.0", "v1.32.0", (1, 27), (1, 32)),
    release(10, "v1.10.0", "v1.33.0", (1, 28), (1, 33)),
    release(11, "v1.11.0", "v1.34.0", (1, 29), (1, 34)),
    release(12, "v1.12.0", "v1.35.0", (1, 30), (1, 35)),
    release(13, "v1.13.9", "v1.36.3", (1, 31), (1, 36)),
    // Not released yet: its contract is read from v1.14.0-rc.1 (every 1.14 version warns).
    release(14, "v1.14.0-rc.1", "v1.37.0-rc.0", (1, 32), (1, 37)),
];

/// Whether a release tag is a pre-release (`v1.14.0-rc.1`).
fn is_pre_release(tag: &str) -> bool {
    tag.contains('-')
}

/// The newest minor with a stable release: its release is the default Talos version, its
/// Kubernetes the default Kubernetes version, of scripts and talconfig.yaml files that name
/// none (talhelper likewise defaults to the newest Talos it knows).
pub const NEWEST: &Release = newest_stable();

const fn newest_stable() -> &'static Release {
    let mut i = RELEASES.len();
    while i > 0 {
        i -= 1;
        // A pre-release tag has a `-` (`v1.14.0-rc.1`).
        let tag = RELEASES[i].talos.as_bytes();
        let mut j = 0;
        let mut pre = false;
        while j < tag.len() {
            pre |= tag[j] == b'-';
            j += 1;
        }
        if !pre {
            return &RELEASES[i];
        }
    }
    &RELEASES[0]
}

/// The default Talos version (the newest stable release).
pub const DEFAULT_TALOS: &str = NEWEST.talos;

/// The default Kubernetes version (the newest stable release's).
pub const DEFAULT_KUBERNETES: &str = NEWEST.kubernetes;

/// [`DEFAULT_TALOS`] as a version.
pub fn default_talos() -> Version {
    Version::parse(DEFAULT_TALOS).unwrap_or(Version::new(1, NEWEST.minor, 0))
}

/// The Kubernetes version a cluster on `talos` gets when it names none: that release's
/// `constants.DefaultKubernetesVersion` (what its `talosctl gen config` installs), the
/// newest stable release's for a minor talforge does not know.
pub fn default_kubernetes_for(talos: Version) -> &'static str {
    lookup(talos).map_or(DEFAULT_KUBERNETES, |r| r.kubernetes)
}

/// The component images `gen config` writes (`<repository>:v<kubernetes>`); the same
/// repositories for every supported minor (`constants.go` v1.2.0 to v1.14.0-rc.1).
pub mod images {
    /// `constants.KubeletImage`.
    pub const KUBELET: &str = "ghcr.io/siderolabs/kubelet";
    /// `constants.KubernetesAPIServerImage`.
    pub const API_SERVER: &str = "registry.k8s.io/kube-apiserver";
    /// `constants.KubernetesControllerManagerImage`.
    pub const CONTROLLER_MANAGER: &str = "registry.k8s.io/kube-controller-manager";
    /// `constants.KubeProxyImage`.
    pub const PROXY: &str = "registry.k8s.io/kube-proxy";
    /// `constants.KubernetesSchedulerImage`.
    pub const SCHEDULER: &str = "registry.k8s.io/kube-scheduler";
}

/// The entry for a Talos version's minor, if talforge knows it.
pub fn lookup(talos: Version) -> Option<&'static Release> {
    if talos.major != 1 {
        return None;
    }
    RELEASES.iter().find(|r| r.minor == talos.minor)
}

/// The oldest minor talforge renders machine configs for.
pub fn oldest_with_configs() -> u32 {
    RELEASES
        .iter()
        .find(|r| r.configs)
        .map_or(NEWEST.minor, |r| r.minor)
}

/// The newest minor with its own version contract.
pub fn newest_with_configs() -> u32 {
    RELEASES
        .iter()
        .rev()
        .find(|r| r.configs)
        .map_or(NEWEST.minor, |r| r.minor)
}

/// The minor whose contract renders `talos`: its own, or the nearest older one talforge has
/// (Talos' gates are "greater than", so a newer version gets every gate the nearest has).
/// `None` below the oldest contract.
pub fn contract_minor(talos: Version) -> Option<u32> {
    if talos.major != 1 || talos.minor < oldest_with_configs() {
        return (talos.major > 1).then(newest_with_configs);
    }
    RELEASES
        .iter()
        .rev()
        .find(|r| r.configs && r.minor <= talos.minor)
        .map(|r| r.minor)
}

/// The supported range as messages quote it: `v1.2 to v1.14`.
pub fn supported() -> String {
    let last = RELEASES[RELEASES.len() - 1].minor;
    format!("v1.{} to v1.{last}", RELEASES[0].minor)
}

/// The minors with their own contract as messages quote them: `v1.3 to v1.13`.
pub fn verified() -> String {
    format!(
        "v1.{} to v1.{}",
        oldest_with_configs(),
        newest_with_configs()
    )
}

/// Why a Talos version is rendered with another contract than its own, `None` for a
/// release talforge has the contract of. A warning, never an error: the nearest contract is
/// what talhelper and `talosctl gen config` of that era give for a version they do not know.
pub fn talos_version_warning(talos: Version) -> Option<String> {
    let contract = contract_minor(talos)?;
    let known = lookup(talos);
    // A minor known only from a pre-release: its contract may still change before the release.
    let from_pre = known.filter(|r| r.configs && is_pre_release(r.talos));
    if let Some(r) = from_pre {
        return Some(if talos.to_string() == r.talos {
            format!(
                "Talos {talos} is a pre-release; machine configs follow the v1.{contract} contract"
            )
        } else if talos.pre.is_some() {
            format!(
                "Talos {talos} is a pre-release; machine configs follow the v1.{contract} contract as of {}",
                r.talos
            )
        } else {
            format!(
                "Talos {talos} is newer than talforge's data for v1.{contract}; machine configs follow the v1.{contract} contract as of {}",
                r.talos
            )
        });
    }
    if talos.pre.is_none() && known.is_some_and(|r| r.configs) {
        return None;
    }
    let what = if talos.pre.is_some() {
        "is a pre-release"
    } else if known.is_some() {
        "has no version contract in talforge yet"
    } else {
        "is newer than talforge knows"
    };
    let own = contract == talos.minor && known.is_some_and(|r| r.configs);
    Some(if own {
        format!("Talos {talos} {what}; machine configs follow the v1.{contract} contract")
    } else {
        format!(
            "Talos {talos} {what}; machine configs follow the v1.{contract} contract, the nearest talforge has"
        )
    })
}

/// Talos' Kubernetes support check (`SupportedWith`), `None` when the pair is fine: talosctl
/// prints it as a warning, and so does talforge.
pub fn kubernetes_support_error(talos: Version, k8s: Version) -> Option<String> {
    let Some(r) = lookup(talos) else {
        // Talos' own message for a minor its compatibility table lacks.
        return Some(format!(
            "compatibility with version {} is not supported",
            talos.bare()
        ));
    };
    let (min, max) = r.kubernetes_range;
    let k = (k8s.major, k8s.minor);
    let verdict = if k < min {
        "too old"
    } else if k > max {
        "too new"
    } else {
        return None;
    };
    Some(format!(
        "version of Kubernetes {} is {verdict} to be used with Talos {}",
        k8s.bare(),
        talos.bare()
    ))
}

/// The hint under a [`kubernetes_support_error`]: `Talos 1.12 supports Kubernetes 1.30 to
/// 1.35`, or the versions talforge knows for a Talos minor it does not.
pub fn kubernetes_support_hint(talos: Version) -> String {
    let Some(r) = lookup(talos) else {
        return format!("talforge knows Talos {}", supported());
    };
    let ((lo_major, lo_minor), (hi_major, hi_minor)) = r.kubernetes_range;
    format!(
        "Talos {}.{} supports Kubernetes {lo_major}.{lo_minor} to {hi_major}.{hi_minor}",
        talos.major, talos.minor
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    // Cases: pkg/machinery/compatibility/kubernetes_version_test.go@v1.14.0-rc.1
    // (TestKubernetesCompatibility112, 113, 114, Unsupported).
    #[test]
    fn k8s_support_matrix() {
        let t = v("v1.12.0");
        assert!(kubernetes_support_error(t, v("1.35.0")).is_none());
        assert!(kubernetes_support_error(t, v("1.30.0")).is_none());
        assert_eq!(
            kubernetes_support_error(t, v("1.29.9")).unwrap(),
            "version of Kubernetes 1.29.9 is too old to be used with Talos 1.12.0"
        );
        assert!(kubernetes_support_error(t, v("1.36.0")).is_some());
        let old = v("v1.11.3");
        assert!(kubernetes_support_error(old, v("1.34.1")).is_none());
        assert!(kubernetes_support_error(old, v("1.35.0")).is_some());
        let too = |k: &str, verdict: &str, t: &str| {
            Some(format!(
                "version of Kubernetes {k} is too {verdict} to be used with Talos {t}"
            ))
        };
        for (k8s, talos, want) in [
            ("1.31.1", "1.12.0", None),
            ("1.30.1", "1.12.0", None),
            ("1.34.3", "1.12.0-beta.0", None),
            ("1.35.0-rc.0", "1.12.7", None),
            (
                "1.36.0-alpha.0",
                "1.12.0",
                too("1.36.0-alpha.0", "new", "1.12.0"),
            ),
            ("1.29.1", "1.12.0", too("1.29.1", "old", "1.12.0")),
            ("1.31.1", "1.13.0", None),
            ("1.32.1", "1.13.0", None),
            ("1.35.3", "1.13.0-beta.0", None),
            ("1.36.0-rc.0", "1.13.7", None),
            (
                "1.37.0-alpha.0",
                "1.13.0",
                too("1.37.0-alpha.0", "new", "1.13.0"),
            ),
            ("1.30.1", "1.13.0", too("1.30.1", "old", "1.13.0")),
            ("1.32.1", "1.14.0", None),
            ("1.33.1", "1.14.0", None),
            ("1.36.3", "1.14.0-beta.0", None),
            ("1.37.0-rc.0", "1.14.7", None),
            (
                "1.38.0-alpha.0",
                "1.14.0",
                too("1.38.0-alpha.0", "new", "1.14.0"),
            ),
            ("1.31.1", "1.14.0", too("1.31.1", "old", "1.14.0")),
            (
                "1.25.0",
                "1.15.0-alpha.0",
                Some("compatibility with version 1.15.0-alpha.0 is not supported".into()),
            ),
            (
                "1.25.0",
                "1.1.0",
                Some("compatibility with version 1.1.0 is not supported".into()),
            ),
        ] {
            assert_eq!(
                kubernetes_support_error(v(talos), v(k8s)),
                want,
                "{talos} {k8s}"
            );
        }
        assert_eq!(
            kubernetes_support_hint(old),
            "Talos 1.11 supports Kubernetes 1.29 to 1.34"
        );
        assert_eq!(
            kubernetes_support_hint(v("v1.13.9")),
            "Talos 1.13 supports Kubernetes 1.31 to 1.36"
        );
        assert_eq!(
            kubernetes_support_hint(v("v1.15.0")),
            "talforge knows Talos v1.2 to v1.14"
        );
    }

    #[test]
    fn versions_without_their_own_contract_get_the_nearest_with_a_warning() {
        assert_eq!(talos_version_warning(v("v1.13.9")), None);
        assert_eq!(talos_version_warning(v("v1.12.0")), None);
        assert_eq!(contract_minor(v("v1.13.9")), Some(13));
        assert_eq!(contract_minor(v("v1.2.0")), None);
        for (talos, minor, want) in [
            (
                "v1.14.0-alpha.2",
                14,
                "Talos v1.14.0-alpha.2 is a pre-release; machine configs follow the v1.14 contract as of v1.14.0-rc.1",
            ),
            (
                "v1.14.0-rc.1",
                14,
                "Talos v1.14.0-rc.1 is a pre-release; machine configs follow the v1.14 contract",
            ),
            (
                "v1.13.0-beta.1",
                13,
                "Talos v1.13.0-beta.1 is a pre-release; machine configs follow the v1.13 contract",
            ),
            (
                "v1.14.0",
                14,
                "Talos v1.14.0 is newer than talforge's data for v1.14; machine configs follow the v1.14 contract as of v1.14.0-rc.1",
            ),
            (
                "v1.14.3",
                14,
                "Talos v1.14.3 is newer than talforge's data for v1.14; machine configs follow the v1.14 contract as of v1.14.0-rc.1",
            ),
            (
                "v1.15.2",
                14,
                "Talos v1.15.2 is newer than talforge knows; machine configs follow the v1.14 contract, the nearest talforge has",
            ),
        ] {
            assert_eq!(contract_minor(v(talos)), Some(minor), "{talos}");
            assert_eq!(talos_version_warning(v(talos)).as_deref(), Some(want));
        }
    }

    #[test]
    fn table_is_ordered_and_consistent() {
        for pair in RELEASES.windows(2) {
            assert_eq!(pair[1].minor, pair[0].minor + 1, "one entry per minor");
        }
        for r in RELEASES {
            let talos = v(r.talos);
            assert_eq!(talos.minor_pair(), (1, r.minor), "{}", r.talos);
            let k8s = v(r.kubernetes);
            assert!(
                kubernetes_support_error(talos, k8s).is_none(),
                "{} supports its own default Kubernetes {}",
                r.talos,
                r.kubernetes
            );
        }
        assert_eq!(DEFAULT_TALOS, "v1.13.9");
        assert_eq!(default_talos(), v(DEFAULT_TALOS));
        assert_eq!(DEFAULT_KUBERNETES, "v1.36.3");
        assert_eq!(oldest_with_configs(), 3);
        assert_eq!(newest_with_configs(), 14);
        assert_eq!(supported(), "v1.2 to v1.14");
        assert_eq!(verified(), "v1.3 to v1.14");
        assert_eq!(default_kubernetes_for(v("v1.12.0")), "v1.35.0");
        assert_eq!(default_kubernetes_for(v("v1.13.0")), "v1.36.3");
        assert_eq!(default_kubernetes_for(v("v1.16.0")), "v1.36.3");
    }
}
