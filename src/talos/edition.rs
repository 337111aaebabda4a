//! Which Talos release's JSON schema and Go struct table a config is read with.
//!
//! Upstream's schema and types change per minor; talforge ships one copy per minor whose
//! data differs ([`Edition`]) and every lookup in [`super::schema`] and [`super::types`]
//! goes to the edition in force on the current thread. Entry points (`generate`, the
//! patcher, the validator) pick it from the version they know, else from the documents
//! ([`Edition::of_documents`]), and run under [`scoped`]; everything below them reads
//! [`current`], so the per-key code paths need no version argument.

use crate::model::Version;
use crate::yaml::Yaml;
use std::cell::Cell;

/// One minor's upstream data: the schema and struct table of one Talos release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Edition {
    /// Talos v1.13.9's: configs of v1.3 to v1.13 (the 1.13 types are a superset of the older ones').
    V1_13,
    /// Talos v1.14.0-rc.1's: the `Kube*Config` documents and the other 1.14 kinds.
    V1_14,
}

impl Edition {
    /// Every edition, oldest first.
    pub(crate) const ALL: [Edition; 2] = [Edition::V1_13, Edition::V1_14];

    /// The edition that reads configs of Talos v1.`minor`.
    pub(crate) fn for_minor(minor: u32) -> Edition {
        if minor >= 14 {
            Edition::V1_14
        } else {
            Edition::V1_13
        }
    }

    /// The edition of a Talos version (`None`: the newest stable release's).
    pub(crate) fn for_version(talos: Option<Version>) -> Edition {
        match talos {
            Some(v) if v.major > 1 => Edition::V1_14,
            Some(v) => Edition::for_minor(v.minor),
            None => Edition::for_minor(super::versions::NEWEST.minor),
        }
    }

    /// Index into per-edition tables.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The edition a config's documents were made for: the tag of its installer image
    /// (`machine.install.image`, or `UnattendedInstallConfig`'s `installer.image` from 1.14
    /// on), else 1.14 when a document kind only 1.14 knows is present, else the newest
    /// stable release's.
    pub(crate) fn of_documents<'a>(docs: impl IntoIterator<Item = &'a Yaml> + Clone) -> Edition {
        if let Some(v) = installer_version(docs.clone()) {
            return Edition::for_version(Some(v));
        }
        let newest = Edition::for_version(None);
        let later = Edition::ALL.iter().copied().filter(|e| *e > newest);
        for e in later {
            let own = |kind: &str| {
                super::schema::def_for_kind_in(e, kind).is_some()
                    && super::schema::def_for_kind_in(newest, kind).is_none()
            };
            let found = docs
                .clone()
                .into_iter()
                .any(|d| d.get("kind").and_then(Yaml::as_str).is_some_and(&own));
            if found {
                return e;
            }
        }
        newest
    }
}

/// The Talos version in a config's installer image tag, if it names one.
pub(crate) fn installer_version<'a>(docs: impl IntoIterator<Item = &'a Yaml>) -> Option<Version> {
    docs.into_iter().find_map(|d| {
        let image = match d.get("kind").and_then(Yaml::as_str) {
            None => d.get("machine")?.get("install")?.get("image")?,
            Some("UnattendedInstallConfig") => d.get("installer")?.get("image")?,
            Some(_) => return None,
        };
        let (_, tag) = image.as_str()?.rsplit_once(':')?;
        Version::parse(tag)
    })
}

thread_local! {
    static CURRENT: Cell<Option<Edition>> = const { Cell::new(None) };
}

/// The edition in force on this thread (outside any [`scoped`] call: the newest stable
/// release's).
pub(crate) fn current() -> Edition {
    CURRENT
        .with(Cell::get)
        .unwrap_or_else(|| Edition::for_version(None))
}

/// Runs `f` with `edition` in force, restoring the previous one afterwards (also when `f`
/// panics, so a test harness thread is left as it was).
pub(crate) fn scoped<R>(edition: Edition, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Edition>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(Some(edition))));
    f()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;

    fn docs(text: &str) -> Vec<Yaml> {
        parse_documents(text)
            .unwrap()
            .into_iter()
            .map(|d| d.value)
            .collect()
    }

    #[test]
    fn editions_follow_the_minor() {
        assert_eq!(Edition::for_minor(12), Edition::V1_13);
        assert_eq!(Edition::for_minor(13), Edition::V1_13);
        assert_eq!(Edition::for_minor(14), Edition::V1_14);
        assert_eq!(Edition::for_minor(15), Edition::V1_14);
        assert_eq!(Edition::for_version(None), Edition::V1_13);
    }

    #[test]
    fn documents_name_their_edition() {
        let v13 = docs("machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.9\n");
        assert_eq!(Edition::of_documents(&v13), Edition::V1_13);
        let v14 = docs(
            "machine:\n  type: worker\n---\napiVersion: v1alpha1\nkind: UnattendedInstallConfig\ninstaller:\n  image: factory.talos.dev/installer/abc:v1.14.0-rc.1\n",
        );
        assert_eq!(Edition::of_documents(&v14), Edition::V1_14);
        // No image: a 1.14-only kind decides; a kind both know does not.
        let kube = docs(
            "machine:\n  type: worker\n---\napiVersion: v1alpha1\nkind: KubeletConfig\nimage: x\n",
        );
        assert_eq!(Edition::of_documents(&kube), Edition::V1_14);
        let hostname = docs("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n");
        assert_eq!(Edition::of_documents(&hostname), Edition::V1_13);
        // The image wins over the kinds: a 1.13 config with a 1.14 kind is read as 1.13.
        let mixed = docs(
            "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.0\n---\napiVersion: v1alpha1\nkind: KubeletConfig\n",
        );
        assert_eq!(Edition::of_documents(&mixed), Edition::V1_13);
    }

    #[test]
    fn scopes_nest_and_restore() {
        assert_eq!(current(), Edition::V1_13);
        scoped(Edition::V1_14, || {
            assert_eq!(current(), Edition::V1_14);
            scoped(Edition::V1_13, || assert_eq!(current(), Edition::V1_13));
            assert_eq!(current(), Edition::V1_14);
        });
        assert_eq!(current(), Edition::V1_13);
        let caught = std::panic::catch_unwind(|| scoped(Edition::V1_14, || panic!("inside")));
        assert!(caught.is_err());
        assert_eq!(current(), Edition::V1_13);
    }
}
