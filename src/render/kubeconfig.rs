//! The admin kubeconfig Talos issues (`talosctl kubeconfig`), made offline from the bundle.
//!
//! As `pkg/kubeconfig/generate.go` (`GenerateAdmin`, Talos v1.12 and v1.13 alike): a client
//! certificate `CN=admin, O=system:masters` signed by the Kubernetes CA (`certs.k8s`), key type
//! following the CA's, valid from 10 s before now for a year, `digitalSignature` +
//! `keyEncipherment`, client auth only; one cluster named after the cluster with the
//! endpoint as server and the CA as `certificate-authority-data`, user and context
//! `admin@<cluster>`, namespace `default`. The layout is client-go's: keys sorted, 2 spaces,
//! sequences not indented.

use super::credential::CredentialError;
use crate::secrets::bundle::{Bundle, CertKey};
use crate::secrets::pki::{self, ClientSubject};
use time::{Duration, OffsetDateTime};

/// `constants.KubernetesAdminCertCommonName`.
pub const ADMIN_COMMON_NAME: &str = "admin";

/// `constants.KubernetesAdminCertOrganization`.
pub const ADMIN_ORGANIZATION: &str = "system:masters";

/// `constants.KubernetesAdminCertDefaultLifetime` (a machine config may set
/// `cluster.adminKubeconfig.certLifetime`; talforge issues the default).
pub const ADMIN_LIFETIME: Duration = Duration::hours(365 * 24);

/// The kubeconfig text for `cluster_name` at `endpoint`, with a new admin certificate.
pub fn admin_kubeconfig(
    cluster_name: &str,
    endpoint: &str,
    bundle: &Bundle,
    now: OffsetDateTime,
) -> Result<String, CredentialError> {
    let ca = bundle.k8s.to_pem().map_err(CredentialError::new(
        "cannot read `certs.k8s` of the secrets bundle",
    ))?;
    let subject = ClientSubject {
        common_name: Some(ADMIN_COMMON_NAME),
        organizations: &[ADMIN_ORGANIZATION],
        key_encipherment: true,
        backdate: Duration::seconds(10),
    };
    let admin = pki::issue_client_cert_for(&ca, &subject, now, ADMIN_LIFETIME).map_err(
        CredentialError::new("cannot issue the admin kubeconfig certificate"),
    )?;
    let client = CertKey::from_pem(&admin);
    let user = format!("admin@{cluster_name}");
    Ok(format!(
        "apiVersion: v1\n\
         clusters:\n\
         - cluster:\n    certificate-authority-data: {ca}\n    server: {endpoint}\n  name: {cluster_name}\n\
         contexts:\n\
         - context:\n    cluster: {cluster_name}\n    namespace: default\n    user: {user}\n  name: {user}\n\
         current-context: {user}\n\
         kind: Config\n\
         users:\n\
         - name: {user}\n  user:\n    client-certificate-data: {crt}\n    client-key-data: {key}\n",
        ca = bundle.k8s.crt,
        crt = client.crt,
        key = client.key,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Version;
    use crate::yaml::{Yaml, parse_documents};
    use base64::Engine as _;
    use x509_parser::prelude::{FromDer, X509Certificate};

    fn b64(s: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD.decode(s).unwrap()
    }

    #[test]
    fn the_certificate_is_talos_admin_and_chains_to_the_kubernetes_ca() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let bundle = Bundle::generate_at(&Version::parse("v1.12.0").unwrap(), now).unwrap();
        let text = admin_kubeconfig("infra", "https://10.25.11.10:6443", &bundle, now).unwrap();
        let doc = &parse_documents(&text).unwrap()[0].value;
        let s = |p: &str| doc.get_path(p).and_then(Yaml::as_str).unwrap().to_string();
        assert_eq!(s("current-context"), "admin@infra");
        let seq = |k: &str| doc.get(k).and_then(Yaml::as_seq).unwrap()[0].clone();
        let cluster = seq("clusters");
        assert_eq!(
            cluster.get_path("cluster.server").and_then(Yaml::as_str),
            Some("https://10.25.11.10:6443")
        );
        assert_eq!(
            cluster
                .get_path("cluster.certificate-authority-data")
                .and_then(Yaml::as_str),
            Some(bundle.k8s.crt.as_str())
        );
        let ctx = seq("contexts");
        assert_eq!(
            ctx.get_path("context.namespace").and_then(Yaml::as_str),
            Some("default")
        );
        assert_eq!(
            ctx.get_path("context.user").and_then(Yaml::as_str),
            Some("admin@infra")
        );
        let user = seq("users");
        let crt_pem = b64(user
            .get_path("user.client-certificate-data")
            .and_then(Yaml::as_str)
            .unwrap());
        let der = pem::parse(&crt_pem).unwrap().into_contents();
        let (_, cert) = X509Certificate::from_der(&der).unwrap();
        let ca_pem = b64(&bundle.k8s.crt);
        let ca_der = pem::parse(&ca_pem).unwrap().into_contents();
        let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
        cert.verify_signature(Some(ca.public_key()))
            .expect("signed by the Kubernetes CA");
        assert_eq!(cert.issuer(), ca.subject());
        let subject = cert.subject().to_string();
        assert_eq!(subject, "O=system:masters, CN=admin");
        assert_eq!(
            cert.validity().not_before.timestamp(),
            now.unix_timestamp() - 10
        );
        assert_eq!(
            cert.validity().not_after.timestamp() - now.unix_timestamp(),
            365 * 24 * 3600
        );
        let ku = cert.key_usage().unwrap().unwrap().value;
        assert!(ku.digital_signature() && ku.key_encipherment() && !ku.key_cert_sign());
        let eku = cert.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.client_auth && !eku.server_auth);
        let key_pem = String::from_utf8(b64(user
            .get_path("user.client-key-data")
            .and_then(Yaml::as_str)
            .unwrap()))
        .unwrap();
        assert!(
            key_pem.starts_with("-----BEGIN EC PRIVATE KEY-----"),
            "{key_pem}"
        );
        let key = pki::parse_private_key(&key_pem).unwrap();
        assert!(pki::key_matches_cert(&key, &der).unwrap());
        // client-go's layout: sorted keys, sequences at the parent's column.
        assert!(
            text.starts_with(
                "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: "
            ),
            "{text}"
        );
        assert!(
            text.contains("\nkind: Config\nusers:\n- name: admin@infra\n  user:\n"),
            "{text}"
        );
    }
}
