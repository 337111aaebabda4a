//! The Talos releases talforge supports, one entry per minor, and what each one pins.
//!
//! This is where a new Talos release lands: one [`Release`] entry (its Kubernetes range and
//! defaults), its goldens under `src/talos/generate/testdata/`, and, when `gen config` changes,
//! the feature gate in [`super::contract`]. Every other module asks here: the model rules
//! (Kubernetes compatibility), the script's and talhelper reader's defaults, the contract.

use crate::model::Version;

/// A `(major, minor)` pair.
pub type MajorMinor = (u32, u32);

/// What talforge knows about one Talos 1.x minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// The minor: Talos `1.<minor>`.
    pub minor: u32,
    /// The release these defaults were read from.
    pub talos: &'static str,
    /// Its `constants.DefaultKubernetesVersion` (what `talosctl gen config` installs).
    pub kubernetes: &'static str,
    /// The Kubernetes minors it supports, oldest and newest (`compatibility/talosNNN`,
    /// `SupportedWith`: any patch release of those minors).
    pub kubernetes_range: (MajorMinor, MajorMinor),
    /// Whether talforge renders machine configs for it: Talos' own stability goldens, which
    /// the renderer is checked against, start at contract 1.3.
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

/// Every supported minor, oldest first (Kubernetes ranges from Talos v1.12.0's
/// `pkg/machinery/compatibility`, defaults from each release's `pkg/machinery/constants`).
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
];

/// The newest supported minor: its release is the default Talos version, its Kubernetes
/// the default Kubernetes version, of scripts and talconfig.yaml files that name none.
pub const NEWEST: &Release = &RELEASES[RELEASES.len() - 1];

/// The default Talos version (the newest release).
pub const DEFAULT_TALOS: &str = NEWEST.talos;

/// The default Kubernetes version (the newest release's).
pub const DEFAULT_KUBERNETES: &str = NEWEST.kubernetes;

/// [`DEFAULT_TALOS`] as a version.
pub fn default_talos() -> Version {
    Version::parse(DEFAULT_TALOS).unwrap_or(Version {
        major: 1,
        minor: NEWEST.minor,
        patch: 0,
    })
}

/// The component images `gen config` writes (`<repository>:v<kubernetes>`); the same
/// repositories for every supported minor.
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

/// The entry for a Talos version's minor, if supported.
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

/// The supported range as messages quote it: `v1.2 to v1.12`.
pub fn supported() -> String {
    format!("v1.{} to v1.{}", RELEASES[0].minor, NEWEST.minor)
}

/// Talos' Kubernetes support check (`SupportedWith`), `None` when the pair is fine.
pub fn kubernetes_support_error(talos: Version, k8s: Version) -> Option<String> {
    if talos.major != 1 {
        return Some(format!(
            "talos version {talos} is not supported by talforge"
        ));
    }
    let Some(r) = lookup(talos) else {
        return Some(format!(
            "talos version {talos} is not supported by talforge (supported: {})",
            supported()
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
/// 1.35` (an unsupported Talos version is shown the newest release's range).
pub fn kubernetes_support_hint(talos: Version) -> String {
    let ((lo_major, lo_minor), (hi_major, hi_minor)) =
        lookup(talos).unwrap_or(NEWEST).kubernetes_range;
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
        assert_eq!(
            kubernetes_support_error(v("v1.13.0"), v("1.35.0")).unwrap(),
            "talos version v1.13.0 is not supported by talforge (supported: v1.2 to v1.12)"
        );
        assert_eq!(
            kubernetes_support_hint(old),
            "Talos 1.11 supports Kubernetes 1.29 to 1.34"
        );
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
        assert_eq!(DEFAULT_TALOS, "v1.12.0");
        assert_eq!(default_talos(), v(DEFAULT_TALOS));
        assert_eq!(DEFAULT_KUBERNETES, "v1.35.0");
        assert_eq!(oldest_with_configs(), 3);
    }
}
