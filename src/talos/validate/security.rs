//! `ImageVerificationConfig` (`types/security/image_verification.go`, new in v1.13): each
//! rule's pattern, verdict and verifier.

use super::found::Found;
use super::yamlx::{at, bool_at, seq_at, str_at};
use crate::yaml::Yaml;

/// The findings of a security document's `Validate`, `None` for other kinds.
pub(super) fn validate(kind: &str, v: &Yaml) -> Option<Found> {
    (kind == "ImageVerificationConfig").then(|| image_verification(v))
}

fn image_verification(v: &Yaml) -> Found {
    let mut f = Found::default();
    const TAIL: &str =
        "but matching only applies to the image registry and repository, not the tag or digest";
    for (i, rule) in seq_at(v, "rules").iter().enumerate() {
        let pattern = str_at(rule, "image");
        if pattern.is_empty() {
            f.err(format!("rule {i}: imagePattern must be specified"));
        }
        if pattern.contains('@') {
            f.warnings
                .push(format!("rule {i}: imagePattern contains '@' {TAIL}"));
        }
        // a ':' before the first '/' is a registry port, after it a tag
        if pattern
            .split_once('/')
            .is_some_and(|(_, rest)| rest.contains(':'))
        {
            f.warnings
                .push(format!("rule {i}: imagePattern contains ':' {TAIL}"));
        }
        if !pattern.contains('/') && pattern != "*" && !pattern.is_empty() {
            f.warnings.push(format!("rule {i}: imagePattern does not contain a '/', image references like 'nginx' are matched as 'docker.io/nginx' (normalized)"));
        }
        let skip = bool_at(rule, "skip") == Some(true);
        let deny = bool_at(rule, "deny") == Some(true);
        let (keyless, public_key) = (at(rule, "keyless"), at(rule, "publicKey"));
        let has_rules = keyless.is_some() || public_key.is_some();
        if skip && deny {
            f.err(format!("rule {i}: skip and deny cannot both be true"));
        }
        if (skip || deny) && has_rules {
            f.err(format!(
                "rule {i}: verifiers cannot be configured if skip or deny is true"
            ));
        }
        if !skip && !deny && !has_rules {
            f.err(format!(
                "rule {i}: at least one verifier must be configured"
            ));
        }
        if keyless.is_some() && public_key.is_some() {
            f.err(format!(
                "rule {i}: only one of keyless or publicKey verifier can be configured"
            ));
        }
        if let Some(k) = keyless {
            if str_at(k, "issuer").is_empty() {
                f.err(format!("rule {i}: verifier OIDC issuer must be specified"));
            }
            if str_at(k, "subject").is_empty() && str_at(k, "subjectRegex").is_empty() {
                f.err(format!(
                    "rule {i}: verifier subject or subjectRegex must be specified"
                ));
            }
        }
        if public_key.is_some_and(|p| str_at(p, "certificate").is_empty()) {
            f.err(format!("rule {i}: verifier certificates must be specified"));
        }
    }
    f
}
