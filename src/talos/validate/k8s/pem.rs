//! PEM checks of v1.14's `meta.CertificateAndKey` and keys: Go's `encoding/pem` block
//! scan (`meta.AssertValidPEM`) and the block types siderolabs/crypto's `GetKey` loads.
//! The DER inside a block is not parsed (Go's x509 parser messages are not reproduced).

use super::super::yamlx::{at, q, str_at};
use crate::talos::GoError;
use crate::yaml::Yaml;
use base64::Engine;

/// The block types `pem.Decode` finds in `data`, in order (blocks whose body is not base64
/// are skipped, as Go skips them).
fn block_types(data: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let Some(type_end) = after.find("-----") else {
            break;
        };
        let ty = &after[..type_end];
        let body_start = &after[type_end + 5..];
        let end_marker = format!("-----END {ty}-----");
        let Some(end) = body_start.find(&end_marker) else {
            rest = body_start;
            continue;
        };
        let body: String = body_start[..end]
            .lines()
            .filter(|l| !l.contains(':'))
            .collect::<String>()
            .split_whitespace()
            .collect();
        if !ty.contains('\n')
            && base64::engine::general_purpose::STANDARD
                .decode(&body)
                .is_ok()
        {
            out.push(ty.to_string());
        }
        rest = &body_start[end + end_marker.len()..];
    }
    out
}

/// A certificate or key of `Bundle::placeholder` (`redacted <name> certificate`), which
/// stands in for the real PEM while configs are rendered and checked before sealing; the
/// sealed config carries the real one.
fn is_placeholder(data: &str) -> bool {
    data.starts_with("redacted ") && !data.contains('\n')
}

/// `meta.AssertValidPEM`: at least one block, each of an expected type when any are given.
pub(super) fn assert_valid_pem(data: &str, expected: &[&str]) -> Result<(), GoError> {
    if is_placeholder(data) {
        return Ok(());
    }
    let types = block_types(data);
    for ty in &types {
        if !expected.is_empty() && !expected.contains(&ty.as_str()) {
            let list: Vec<String> = expected.iter().map(|e| q(e)).collect();
            return Err(format!(
                "unexpected PEM block type {}, expected one of [{}]",
                q(ty),
                list.join(" ")
            )
            .into());
        }
    }
    if types.is_empty() {
        return Err("no PEM blocks found".into());
    }
    Ok(())
}

/// siderolabs/crypto `PEMEncodedKey.GetKey`: the first block must be a private key type it loads.
pub(super) fn load_key(data: &str) -> Result<(), GoError> {
    if is_placeholder(data) {
        return Ok(());
    }
    let Some(ty) = block_types(data).into_iter().next() else {
        return Err("failed to parse PEM block".into());
    };
    match ty.as_str() {
        "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "ED25519 PRIVATE KEY" | "PRIVATE KEY" => Ok(()),
        other => Err(format!("unsupported key type {}", q(other)).into()),
    }
}

/// `meta.CertificateAndKey.Validate(true)` of the pair at `path`, when present.
pub(super) fn certificate_and_key(v: &Yaml, path: &str) -> Option<Result<(), GoError>> {
    let pair = at(v, path)?;
    let (cert, key) = (str_at(pair, "cert"), str_at(pair, "key"));
    Some(if cert.is_empty() {
        Err("certificate is required".into())
    } else if key.is_empty() {
        Err("key is required".into())
    } else if let Err(e) = assert_valid_pem(&cert, &["CERTIFICATE"]) {
        Err(format!("certificate: {e}").into())
    } else if let Err(e) = assert_valid_pem(&key, &[]) {
        Err(format!("key: {e}").into())
    } else {
        load_key(&key).map_err(|e| format!("key is invalid: {e}").into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str =
        "-----BEGIN CERTIFICATE-----\nMIIBPjCB8aADAgECAhB9\n-----END CERTIFICATE-----\n";

    #[test]
    fn blocks_are_found_like_go_finds_them() {
        assert_eq!(assert_valid_pem(CERT, &["CERTIFICATE"]), Ok(()));
        assert_eq!(
            assert_valid_pem("not pem", &["CERTIFICATE"]),
            Err("no PEM blocks found".into())
        );
        assert_eq!(
            assert_valid_pem(
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n",
                &["CERTIFICATE"]
            ),
            Err(
                "unexpected PEM block type \"EC PRIVATE KEY\", expected one of [\"CERTIFICATE\"]"
                    .into()
            )
        );
        // A body that is not base64 is no block.
        assert_eq!(
            assert_valid_pem(
                "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
                &[]
            ),
            Err("no PEM blocks found".into())
        );
        assert_eq!(load_key("garbage"), Err("failed to parse PEM block".into()));
        // The placeholder bundle's stand-ins pass; the sealed config has the real PEM.
        assert_eq!(
            assert_valid_pem("redacted k8s certificate", &["CERTIFICATE"]),
            Ok(())
        );
        assert_eq!(load_key("redacted k8s key"), Ok(()));
        assert_eq!(
            load_key(CERT),
            Err("unsupported key type \"CERTIFICATE\"".into())
        );
    }
}
