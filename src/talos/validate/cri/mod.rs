//! `Validate` of the CRI documents (`types/cri`): registry mirrors, auth and TLS.

use super::found::Found;
use super::gonet::url_parse;
use super::yamlx::{at, q, seq_at, str_at};
use crate::talos::GoError;
use crate::yaml::Yaml;

/// The findings of a CRI document's `Validate`, `None` for other kinds.
pub(super) fn validate(kind: &str, v: &Yaml) -> Option<Found> {
    let mut f = Found::default();
    match kind {
        "RegistryMirrorConfig" | "RegistryAuthConfig" | "RegistryTLSConfig" => {}
        _ => return None,
    }
    if str_at(v, "name").is_empty() {
        f.err("name must be specified");
    }
    match kind {
        "RegistryMirrorConfig" => mirror(v, &mut f),
        "RegistryAuthConfig" => auth(v, &mut f),
        _ => tls(v, &mut f),
    }
    Some(f)
}

/// `RegistryMirrorConfigV1Alpha1.Validate`: endpoint URLs are http or https.
fn mirror(v: &Yaml, f: &mut Found) {
    for (i, ep) in seq_at(v, "endpoints").iter().enumerate() {
        let url = str_at(ep, "url");
        if url.is_empty() {
            f.err(format!("endpoints[{i}].url must be specified"));
        } else if let Ok(u) = url_parse(&url, false)
            && u.scheme != "http"
            && u.scheme != "https"
        {
            f.err(format!(
                "endpoints[{i}].url has unsupported scheme: {}",
                q(&u.scheme)
            ));
        }
    }
}

/// `RegistryAuthConfigV1Alpha1.Validate`: one authentication method.
fn auth(v: &Yaml, f: &mut Found) {
    let has = |k: &str| !str_at(v, k).is_empty();
    let (user, token, auth) = (has("username"), has("identityToken"), has("auth"));
    if user && token {
        f.err("only one of username/password or identityToken authentication can be specified");
    }
    if auth && (user || token) {
        f.err(
            "only one of auth, username/password or identityToken authentication can be specified",
        );
    }
}

/// `RegistryTLSConfigV1Alpha1.Validate`: the CA bundle and client identity parse.
fn tls(v: &Yaml, f: &mut Found) {
    let ca = str_at(v, "ca");
    if !ca.is_empty() && !any_certificate(&ca) {
        f.err("ca must be a valid PEM-encoded certificate");
    }
    if at(v, "clientIdentity").is_some() {
        if let Err(e) = certificate(&str_at(v, "clientIdentity.cert")) {
            f.err(format!("client identity certificate is invalid: {e}"));
        }
        if let Err(e) = private_key(&str_at(v, "clientIdentity.key")) {
            f.err(format!("client identity key is invalid: {e}"));
        }
    }
}

/// `CertPool.AppendCertsFromPEM`: at least one `CERTIFICATE` block parses.
fn any_certificate(text: &str) -> bool {
    pem::parse_many(text).is_ok_and(|blocks| {
        blocks.iter().any(|b| {
            b.tag() == "CERTIFICATE" && x509_parser::parse_x509_certificate(b.contents()).is_ok()
        })
    })
}

/// `PEMEncodedCertificateAndKey.GetCert`: the first PEM block is a certificate.
fn certificate(text: &str) -> Result<(), GoError> {
    let block = pem::parse(text).map_err(|_| "failed to parse PEM block".to_string())?;
    x509_parser::parse_x509_certificate(block.contents())
        .map(|_| ())
        .map_err(|e| format!("x509: {e}").into())
}

/// `PEMEncodedCertificateAndKey.GetPrivateKey`: the first PEM block is a key.
fn private_key(text: &str) -> Result<(), GoError> {
    let block = pem::parse(text).map_err(|_| "failed to parse PEM block".to_string())?;
    if block.tag().ends_with("PRIVATE KEY") {
        Ok(())
    } else {
        Err(format!("unsupported key type: {}", block.tag()).into())
    }
}
