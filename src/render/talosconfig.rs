//! The talosctl client config (`talosconfig`) with an admin certificate signed by the OS CA.
//!
//! Laid out as talhelper's `genconfig` writes it: one context named after the cluster,
//! `endpoints` = the control-plane node addresses (not the VIP), `nodes` = every node's
//! address, `ca` = the bundle's OS CA, `crt`/`key` = a fresh `os:admin` client certificate.
//! Talos and talhelper marshal it with 4-space indentation.

use super::credential::CredentialError;
use crate::model::Cluster;
use crate::secrets::bundle::{Bundle, CertKey};
use crate::secrets::pki::{self, ADMIN_CERT_VALIDITY, PemPair};
use crate::yaml::{Yaml, parse_documents};
use time::{Duration, OffsetDateTime};
use x509_parser::prelude::{FromDer, X509Certificate};

/// The Talos role the admin certificate carries as its organization.
pub const ADMIN_ROLE: &str = "os:admin";

/// An existing admin certificate is replaced when it expires within this window.
pub const RENEW_BEFORE: Duration = Duration::days(30);

/// Renders a talosconfig with a new admin certificate valid from `now` for one year.
/// The certificate and key are random, so callers keep a file that
/// [`talosconfig_is_current`] accepts instead of re-rendering it on every run.
pub fn render_talosconfig(
    cluster: &Cluster,
    bundle: &Bundle,
    now: OffsetDateTime,
) -> Result<Yaml, CredentialError> {
    let ca = bundle.os.to_pem().map_err(CredentialError::new(
        "cannot read `certs.os` of the secrets bundle",
    ))?;
    let admin = pki::issue_client_cert(&ca, &[ADMIN_ROLE], now, ADMIN_CERT_VALIDITY).map_err(
        CredentialError::new("cannot issue the talosconfig admin certificate"),
    )?;
    let client = CertKey::from_pem(&admin);
    let mut ctx = vec![("endpoints", Yaml::str_seq(endpoints(cluster)))];
    let nodes = nodes(cluster);
    if !nodes.is_empty() {
        ctx.push(("nodes", Yaml::str_seq(nodes)));
    }
    ctx.extend([
        ("ca", Yaml::str(&bundle.os.crt)),
        ("crt", Yaml::str(client.crt)),
        ("key", Yaml::str(client.key)),
    ]);
    Ok(Yaml::from_pairs([
        ("context", Yaml::str(&cluster.name)),
        (
            "contexts",
            Yaml::from_pairs([(cluster.name.clone(), Yaml::from_pairs(ctx))]),
        ),
    ]))
}

/// Whether an existing talosconfig text already says what [`render_talosconfig`] would:
/// same current context, endpoints, nodes and CA, and an `os:admin` certificate signed by
/// the bundle's OS CA that matches its key and is valid for more than [`RENEW_BEFORE`].
pub fn talosconfig_is_current(
    existing: &str,
    cluster: &Cluster,
    bundle: &Bundle,
    now: OffsetDateTime,
) -> bool {
    let Ok(docs) = parse_documents(existing) else {
        return false;
    };
    let [doc] = docs.as_slice() else {
        return false;
    };
    doc_is_current(&doc.value, cluster, bundle, now).is_some()
}

/// Whether an existing talosconfig's context lists the cluster's endpoints and nodes as they
/// are now (readable without the secrets: a run without the key can still tell that it is
/// out of date).
pub fn lists_current_nodes(existing: &str, cluster: &Cluster) -> bool {
    let Ok(docs) = parse_documents(existing) else {
        return false;
    };
    let Some(ctx) = docs
        .first()
        .and_then(|d| d.value.get("contexts"))
        .and_then(|c| c.get(&cluster.name))
    else {
        return false;
    };
    strings(ctx.get("endpoints")).is_some_and(|e| e == endpoints(cluster))
        && strings(ctx.get("nodes")).is_some_and(|n| n == nodes(cluster))
}

fn doc_is_current(
    doc: &Yaml,
    cluster: &Cluster,
    bundle: &Bundle,
    now: OffsetDateTime,
) -> Option<()> {
    if doc.get("context")?.as_str()? != cluster.name {
        return None;
    }
    let ctx = doc.get("contexts")?.get(&cluster.name)?;
    if strings(ctx.get("endpoints"))? != endpoints(cluster)
        || strings(ctx.get("nodes"))? != nodes(cluster)
        || ctx.get("ca")?.as_str()? != bundle.os.crt
    {
        return None;
    }
    let client = CertKey {
        crt: ctx.get("crt")?.as_str()?.to_string(),
        key: ctx.get("key")?.as_str()?.to_string(),
    };
    admin_cert_ok(&client.to_pem().ok()?, &bundle.os.to_pem().ok()?, now)
}

fn admin_cert_ok(client: &PemPair, ca: &PemPair, now: OffsetDateTime) -> Option<()> {
    let ca_der = pki::cert_der(&ca.crt).ok()?;
    let (_, ca_cert) = X509Certificate::from_der(&ca_der).ok()?;
    let der = pki::cert_der(&client.crt).ok()?;
    let (_, cert) = X509Certificate::from_der(&der).ok()?;
    cert.verify_signature(Some(ca_cert.public_key())).ok()?;
    let orgs: Vec<&str> = cert
        .subject()
        .iter_organization()
        .filter_map(|o| o.as_str().ok())
        .collect();
    let validity = cert.validity();
    let key = pki::parse_private_key(&client.key).ok()?;
    let ok = orgs == [ADMIN_ROLE]
        && validity.not_before.timestamp() <= now.unix_timestamp()
        && validity.not_after.timestamp() > (now + RENEW_BEFORE).unix_timestamp()
        && pki::key_matches_cert(&key, &der).ok()?;
    ok.then_some(())
}

/// A sequence of strings; an absent key reads as empty (`nodes` is omitted when empty).
fn strings(v: Option<&Yaml>) -> Option<Vec<String>> {
    match v {
        None | Some(Yaml::Null) => Some(Vec::new()),
        Some(v) => v
            .as_seq()?
            .iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect(),
    }
}

fn endpoints(cluster: &Cluster) -> Vec<String> {
    cluster.control_planes().map(|n| n.ip.to_string()).collect()
}

fn nodes(cluster: &Cluster) -> Vec<String> {
    cluster.nodes.iter().map(|n| n.ip.to_string()).collect()
}

#[cfg(test)]
mod tests;
