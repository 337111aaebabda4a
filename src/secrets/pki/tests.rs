//! Tests for the PKI helpers: certificate fields, key encodings, signatures.

use super::der::{OID_P256, read_tlv, tlv};
use super::*;
use x509_parser::extensions::ParsedExtension;

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap()
}

fn parse(der: &[u8]) -> X509Certificate<'_> {
    X509Certificate::from_der(der).unwrap().1
}

fn orgs(c: &X509Certificate<'_>) -> Vec<String> {
    c.subject()
        .iter_organization()
        .map(|o| o.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn tokens_have_talos_format() {
    let re = regex::Regex::new(r"^[a-z0-9]{6}\.[a-z0-9]{16}$").unwrap();
    let a = token().unwrap();
    assert!(re.is_match(&a), "{a}");
    assert_ne!(a, token().unwrap());
}

#[test]
fn ecdsa_ca_is_like_upstream() {
    let ca = new_ca(KeyKind::EcdsaP256, Some("etcd"), now()).unwrap();
    assert!(ca.key.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    assert!(
        ca.crt.starts_with("-----BEGIN CERTIFICATE-----\n")
            && ca.crt.ends_with("-----END CERTIFICATE-----\n")
    );
    let der = cert_der(&ca.crt).unwrap();
    let c = parse(&der);
    assert_eq!(orgs(&c), ["etcd"]);
    assert_eq!(c.subject(), c.issuer());
    assert!(c.is_ca());
    assert_eq!(c.validity().not_before.timestamp(), now().unix_timestamp());
    assert_eq!(
        c.validity().not_after.timestamp() - c.validity().not_before.timestamp(),
        87_600 * 3600
    );
    assert_eq!(cert_key_kind(&c), Some(KeyKind::EcdsaP256));
    let ku = c.key_usage().unwrap().unwrap();
    assert!(ku.critical && ku.value.digital_signature() && ku.value.key_cert_sign());
    let eku = c.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.server_auth && eku.client_auth);
    let bc = c.basic_constraints().unwrap().unwrap();
    assert!(bc.critical && bc.value.ca && bc.value.path_len_constraint.is_none());
    let ski = c
        .extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.len()),
            _ => None,
        });
    assert_eq!(ski, Some(20));
    c.verify_signature(None).unwrap();
    let key = parse_private_key(&ca.key).unwrap();
    assert_eq!(key.kind(), KeyKind::EcdsaP256);
    assert!(key_matches_cert(&key, &der).unwrap());
}

#[test]
fn sec1_key_carries_the_curve_like_go() {
    let pem_text = new_ecdsa_key_pem().unwrap();
    let der = pem::parse(&pem_text).unwrap().into_contents();
    // Go's MarshalECPrivateKey for P-256: 121 bytes, version 1, [0] prime256v1, [1] point.
    assert_eq!(der.len(), 121);
    assert_eq!(&der[..7], &[0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20]);
    assert_eq!(&der[39..41], &[0xa0, 0x0a]);
    assert_eq!(&der[41..51], OID_P256);
    assert_eq!(&der[51..56], &[0xa1, 0x44, 0x03, 0x42, 0x00]);
}

#[test]
fn ed25519_ca_and_client_cert() {
    let ca = new_ca(KeyKind::Ed25519, Some("talos"), now()).unwrap();
    assert!(ca.key.starts_with("-----BEGIN ED25519 PRIVATE KEY-----\n"));
    // PKCS#8 v1 without the public key, 48 bytes, as Go's MarshalPKCS8PrivateKey.
    assert_eq!(pem::parse(&ca.key).unwrap().contents().len(), 48);
    let ca_der = cert_der(&ca.crt).unwrap();
    let ca_cert = parse(&ca_der);
    assert_eq!(cert_key_kind(&ca_cert), Some(KeyKind::Ed25519));
    ca_cert.verify_signature(None).unwrap();

    let admin = issue_client_cert(&ca, &["os:admin"], now(), ADMIN_CERT_VALIDITY).unwrap();
    assert!(
        admin
            .key
            .starts_with("-----BEGIN ED25519 PRIVATE KEY-----\n")
    );
    let der = cert_der(&admin.crt).unwrap();
    let c = parse(&der);
    assert_eq!(orgs(&c), ["os:admin"]);
    assert!(c.subject().iter_common_name().next().is_none());
    assert_eq!(c.issuer(), ca_cert.subject());
    assert!(!c.is_ca());
    assert!(c.basic_constraints().unwrap().is_none());
    assert_eq!(cert_key_kind(&c), Some(KeyKind::Ed25519));
    c.verify_signature(Some(ca_cert.public_key())).unwrap();
    let other = new_ca(KeyKind::Ed25519, Some("talos"), now()).unwrap();
    let other_der = cert_der(&other.crt).unwrap();
    assert!(
        c.verify_signature(Some(parse(&other_der).public_key()))
            .is_err()
    );
    assert_eq!(
        c.validity().not_after.timestamp() - c.validity().not_before.timestamp(),
        365 * 24 * 3600
    );
    let eku = c.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.client_auth && !eku.server_auth);
    let ku = c.key_usage().unwrap().unwrap().value;
    assert!(ku.digital_signature() && !ku.key_cert_sign());
    assert!(key_matches_cert(&parse_private_key(&admin.key).unwrap(), &der).unwrap());
    assert!(!key_matches_cert(&parse_private_key(&other.key).unwrap(), &der).unwrap());
}

#[test]
fn empty_subject_ca() {
    let ca = new_ca(KeyKind::EcdsaP256, None, now()).unwrap();
    let der = cert_der(&ca.crt).unwrap();
    assert_eq!(parse(&der).subject().iter().count(), 0);
}

#[test]
fn rsa_key_is_pkcs1() {
    let k = new_rsa_key_pem(2048).unwrap();
    assert!(k.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    assert_eq!(parse_private_key(&k).unwrap().kind(), KeyKind::Rsa);
}

#[test]
fn bad_keys_are_errors() {
    assert_eq!(
        parse_private_key("nope").err().unwrap(),
        "failed to parse PEM block"
    );
    let cert = new_ca(KeyKind::Ed25519, Some("talos"), now()).unwrap().crt;
    assert_eq!(
        parse_private_key(&cert).err().unwrap(),
        "unsupported key type \"CERTIFICATE\""
    );
    let garbage = pem_text(PEM_EC, vec![1, 2, 3]);
    assert!(parse_private_key(&garbage).is_err());
    assert!(cert_der(&garbage).is_err());
}

#[test]
fn der_lengths_round_trip() {
    for n in [0usize, 5, 127, 128, 300, 70_000] {
        let content = vec![7u8; n];
        let enc = tlv(0x04, &content);
        let (tag, got, rest) = read_tlv(&enc).unwrap();
        assert_eq!((tag, got.len(), rest.len()), (0x04, n, 0));
    }
    assert!(read_tlv(&[0x04, 0x05, 1]).is_none());
}
