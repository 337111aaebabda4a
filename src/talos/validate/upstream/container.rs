//! Talos v1.14.0-rc.1's `container/validate_test.go` `TestValidateContainer`: the
//! whole-config checks (`container::validate`), each case's documents and Talos' error.

use super::super::decode::Doc;
use super::super::{Mode, container, multierror};
use crate::yaml::parse_documents;

const V1ALPHA1: &str = "version: v1alpha1\nmachine: {type: worker, ca: {crt: Y2VydA==}}\ncluster: {controlPlane: {endpoint: 'https://localhost:6443'}}";
const V1ALPHA1_HOST_DNS: &str = "version: v1alpha1\nmachine: {type: worker, ca: {crt: Y2VydA==}, features: {hostDNS: {enabled: true, forwardKubeDNSToHost: true}}}\ncluster: {controlPlane: {endpoint: 'https://localhost:6443'}}";
const V1ALPHA1_CONTROLPLANE: &str = "version: v1alpha1\nmachine: {type: controlplane, ca: {crt: Y2VydA==, key: Y29udHJvbHBsYW5lLWtleQ==}}\ncluster: {controlPlane: {endpoint: 'https://localhost:6443'}}";
const RESOLVER: &str =
    "apiVersion: v1alpha1\nkind: ResolverConfig\nnameservers: [{address: 1.1.1.1}]";
const RESOLVER_HOST_DNS: &str = "apiVersion: v1alpha1\nkind: ResolverConfig\nhostDNS: {enabled: true, forwardKubeDNSToHost: true}";
const RESOLVER_DOT: &str = "apiVersion: v1alpha1\nkind: ResolverConfig\nnameservers: [{address: 1.1.1.1, protocol: dot, tlsServerName: cloudflare-dns.com}]";
const ETCD_ENCRYPTION: &str =
    "apiVersion: v1alpha1\nkind: KubeEtcdEncryptionConfig\nconfig: {some: thing}";
const KUBESPAN: &str = "apiVersion: v1alpha1\nkind: KubeSpanConfig\nenabled: true";
const IDENTITY: &str = "apiVersion: v1alpha1\nkind: DiscoveryIdentityConfig\nclusterID: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=\nclusterSecret: vlf2HU1NEZL3Ezi9Tk+RZBLJUbjnsHnTzs3wK9JNk6Q=";
const DISCOVERY: &str = "apiVersion: v1alpha1\nkind: DiscoveryServiceConfig\nname: default\nendpoint: 'https://discovery.api/'";
const API_SERVER_CA: &str = "apiVersion: v1alpha1\nkind: KubeAPIServerCAConfig";

/// (name, documents, container mode, Talos' error or "").
type ContainerCase = (&'static str, &'static [&'static str], bool, &'static str);

const CASES: &[ContainerCase] = &[
    ("empty !container", &[], false, ""),
    (
        "empty container",
        &[],
        true,
        "1 error occurred:\n\t* hostDNS config is required in container mode\n\n",
    ),
    (
        "empty v1alpha1 container",
        &[V1ALPHA1],
        true,
        "1 error occurred:\n\t* hostDNS config is required in container mode\n\n",
    ),
    (
        "just resolver in container",
        &[RESOLVER],
        true,
        "1 error occurred:\n\t* hostDNS config is required in container mode\n\n",
    ),
    ("hostDNS v1alpha1 container", &[V1ALPHA1_HOST_DNS], true, ""),
    (
        "hostDNS v1alpha1 container plus multi-doc",
        &[V1ALPHA1_HOST_DNS, RESOLVER],
        true,
        "",
    ),
    (
        "just multi-doc with hostDNS",
        &[RESOLVER_HOST_DNS],
        true,
        "",
    ),
    (
        "multi-doc with hostDNS and v1alpha1",
        &[RESOLVER_HOST_DNS, V1ALPHA1],
        true,
        "",
    ),
    (
        "DoT without hostDNS",
        &[RESOLVER_DOT],
        false,
        "1 error occurred:\n\t* hostDNS must be enabled when using non-default DNS protocols\n\n",
    ),
    (
        "DoT with hostDNS",
        &[RESOLVER_DOT, V1ALPHA1_HOST_DNS],
        false,
        "",
    ),
    (
        "controlplane doc only",
        &[ETCD_ENCRYPTION],
        false,
        "1 error occurred:\n\t* the following document kinds are only allowed on control plane machines: [KubeEtcdEncryptionConfig]\n\n",
    ),
    (
        "controlplane doc with v1alpha1 worker",
        &[V1ALPHA1, ETCD_ENCRYPTION],
        false,
        "1 error occurred:\n\t* the following document kinds are only allowed on control plane machines: [KubeEtcdEncryptionConfig]\n\n",
    ),
    (
        "kubespan without discovery",
        &[V1ALPHA1, KUBESPAN],
        false,
        "1 error occurred:\n\t* KubeSpan requires cluster discovery to be enabled\n\n",
    ),
    (
        "discovery without identity",
        &[DISCOVERY, KUBESPAN],
        false,
        "2 errors occurred:\n\t* cluster ID (.cluster.id or DiscoveryIdentityConfig) should be set when cluster discovery (DiscoveryServiceConfig) is enabled\n\t* cluster secret (.cluster.secret or DiscoveryIdentityConfig) should be set when cluster discovery (DiscoveryServiceConfig) is enabled\n\n",
    ),
    (
        "discovery with kubespan and identity",
        &[DISCOVERY, IDENTITY, KUBESPAN],
        false,
        "",
    ),
    (
        "api-server CA without etcd encryption",
        &[V1ALPHA1_CONTROLPLANE, API_SERVER_CA],
        false,
        "1 error occurred:\n\t* etcd encryption config is required for control plane machines running kube-apiserver\n\n",
    ),
];

#[test]
fn whole_config_checks() {
    let mut failed = Vec::new();
    for (name, texts, in_container, want) in CASES {
        let values: Vec<crate::yaml::Yaml> = texts
            .iter()
            .map(|t| parse_documents(t).expect("case YAML").remove(0).value)
            .collect();
        let docs: Vec<Doc> = values
            .iter()
            .map(|value| {
                let kind = value
                    .get("kind")
                    .and_then(crate::yaml::Yaml::as_str)
                    .unwrap_or_default()
                    .to_string();
                Doc {
                    kind,
                    name: None,
                    value,
                }
            })
            .collect();
        let mode = if *in_container {
            Mode::Container
        } else {
            Mode::Metal
        };
        let errors = container::validate(&docs, mode);
        let got = if errors.is_empty() {
            String::new()
        } else {
            multierror(&errors)
        };
        if got != *want {
            failed.push(format!("{name}: got {got:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
