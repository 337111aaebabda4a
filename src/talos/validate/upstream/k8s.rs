//! Talos v1.14.0-rc.1's `types/k8s/*_test.go` tables: `Validate` of every `Kube*Config` kind
//! as `talosctl validate` runs it (local: the cases that check image tags against the
//! running Talos, `onMachineMode`, do not apply) and each kind's `V1Alpha1ConflictValidate`.

use super::{Case, Conflict, case, run_conflicts, run_for};

pub(super) const APISERVER: &[Case] = &[
    case("empty", "{}", "kube-apiserver image cannot be empty"),
    case("invalid image, !local", "{image: invalid-image}", ""),
    case(
        "invalid resources",
        "{image: 'registry.k8s.io/kube-apiserver:v1.35.3', resources: {requests: {invalid: '1'}}}",
        "unsupported pod resource \"invalid\"",
    ),
    case(
        "invalid args",
        "{image: 'registry.k8s.io/kube-apiserver:v1.35.3', extraArgs: {authorization-mode: RBAC, anonymous-auth: 'false'}}",
        "kube-apiserver extra argument \"anonymous-auth\" is not allowed: use KubeAuthenticationConfig\nkube-apiserver extra argument \"authorization-mode\" is not allowed: use KubeAuthorizationConfig",
    ),
    case(
        "valid",
        "{image: 'registry.k8s.io/kube-apiserver:v1.37.0-rc.0', extraArgs: {feature-gates: ServerSideApply=true}, env: {HTTP_PROXY: 'http://proxy:8080'}, resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 2, memory: 2500Mi}}}",
        "",
    ),
];

pub(super) const CONTROLLER_MANAGER: &[Case] = &[
    case(
        "empty",
        "{}",
        "kube-controller-manager image cannot be empty",
    ),
    case("disabled", "{enabled: false}", ""),
    case("invalid image, !local", "{image: invalid-image}", ""),
    case(
        "invalid resources",
        "{image: 'registry.k8s.io/kube-controller-manager:v1.35.3', resources: {requests: {invalid: '1'}}}",
        "unsupported pod resource \"invalid\"",
    ),
    case(
        "valid",
        "{image: 'registry.k8s.io/kube-controller-manager:v1.37.0-rc.0', extraArgs: {feature-gates: AllBeta=true}, env: {HTTP_PROXY: 'http://proxy:8080'}, resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 2, memory: 2500Mi}}}",
        "",
    ),
];

pub(super) const SCHEDULER: &[Case] = &[
    case("empty", "{}", "scheduler image cannot be empty"),
    case("disabled", "{enabled: false}", ""),
    case("invalid image, !local", "{image: invalid-image}", ""),
    case(
        "invalid resources",
        "{image: 'registry.k8s.io/kube-scheduler:v1.35.3', resources: {requests: {invalid: '1'}}}",
        "unsupported pod resource \"invalid\"",
    ),
    case(
        "valid",
        "{image: 'registry.k8s.io/kube-scheduler:v1.37.0-rc.0', extraArgs: {feature-gates: AllBeta=true}, env: {HTTP_PROXY: 'http://proxy:8080'}, resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 2, memory: 2500Mi}}}",
        "",
    ),
];

pub(super) const PROXY: &[Case] = &[
    case("empty", "{}", "proxy image cannot be empty"),
    case("disabled", "{enabled: false}", ""),
    case("invalid image, !local", "{image: invalid-image}", ""),
    case(
        "invalid mode",
        "{image: 'registry.k8s.io/kube-proxy:v1.37.0-rc.0', mode: bogus}",
        "invalid proxy mode \"bogus\": supported modes are iptables, ipvs and nftables",
    ),
    Case {
        name: "not recommended mode",
        doc: "{image: 'registry.k8s.io/kube-proxy:v1.37.0-rc.0', mode: ipvs}",
        errors: "",
        warnings: &[
            "proxy mode \"ipvs\" is not recommended, please switch to nftables if possible",
        ],
    },
    Case {
        name: "extra args warning",
        doc: "{image: 'registry.k8s.io/kube-proxy:v1.37.0-rc.0', extraArgs: {proxy-mode: nftables}}",
        errors: "",
        warnings: &[
            "extra arguments for kube-proxy may not work as expected, please use configuration instead",
        ],
    },
    case(
        "invalid resources",
        "{image: 'registry.k8s.io/kube-proxy:v1.35.3', resources: {requests: {invalid: '1'}}}",
        "unsupported pod resource \"invalid\"",
    ),
    case(
        "valid",
        "{image: 'registry.k8s.io/kube-proxy:v1.37.0-rc.0', mode: nftables, config: {bindAddressHardFail: true}, resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 2, memory: 2500Mi}}}",
        "",
    ),
];

pub(super) const KUBELET: &[Case] = &[
    case(
        "valid",
        "{image: 'ghcr.io/siderolabs/kubelet:v1.36.0', config: {serverTLSBootstrap: true}, extraArgs: {feature-gates: AllBeta=true}, clusterDNS: [10.96.0.10], defaultRuntimeSeccompProfileEnabled: true}",
        "",
    ),
    case("valid, local", "{image: not-a-valid-tag}", ""),
    case("empty image", "{}", "kubelet image cannot be empty"),
];

pub(super) const ADMISSION: &[Case] = &[
    case("empty", "{}", "admission control plugin name is required"),
    case("valid", "{name: PodSecurity}", ""),
];

pub(super) const AUTHORIZER: &[Case] = &[
    case(
        "empty",
        "{}",
        "authorizer name is required\nauthorizer type is required\nauthorizer type  is not allowed, allowed types are [Node RBAC Webhook]",
    ),
    case(
        "invalid type",
        "{name: custom, type: Custom}",
        "authorizer type Custom is not allowed, allowed types are [Node RBAC Webhook]",
    ),
    case(
        "webhook without configuration",
        "{name: webhook, type: Webhook}",
        "authorizer webhook configuration is required for Webhook authorizer type",
    ),
    Case {
        name: "webhook configuration on non-webhook type",
        doc: "{name: rbac, type: RBAC, webhook: {timeout: 3s}}",
        errors: "",
        warnings: &["authorizer webhook configuration is not allowed non-Webhook authorizer types"],
    },
    case("valid node", "{name: node, type: Node}", ""),
    case(
        "valid webhook",
        "{name: webhook, type: Webhook, webhook: {timeout: 3s}}",
        "",
    ),
];

pub(super) const CLUSTER: &[Case] = &[
    case(
        "valid",
        "{clusterName: example-cluster, endpoint: 'https://example.com:6443/'}",
        "",
    ),
    case(
        "missing cluster name",
        "{endpoint: 'https://example.com:6443/'}",
        "clusterName must be specified",
    ),
    case(
        "missing endpoint",
        "{clusterName: example-cluster}",
        "endpoint must be specified",
    ),
    case(
        "invalid endpoint",
        "{clusterName: example-cluster, endpoint: 'https://:6443/'}",
        "cluster endpoint is invalid: hostname must not be blank",
    ),
    case(
        "both missing",
        "{}",
        "clusterName must be specified\nendpoint must be specified",
    ),
];

pub(super) const ETCD_ENCRYPTION: &[Case] = &[
    case("empty", "{}", "etcd encryption config is required"),
    case(
        "valid",
        "{config: {resources: [{resources: [secrets]}]}}",
        "",
    ),
];

pub(super) const EXTERNAL_MANIFEST: &[Case] = &[
    case(
        "empty",
        "{}",
        "manifest name is required\nmanifest URL is required",
    ),
    case(
        "invalid name",
        "{name: Invalid_Name, url: 'https://www.example.com/manifest1.yaml'}",
        "manifest name is invalid: domain doesn't match required format: \"Invalid_Name\"",
    ),
    case(
        "missing URL",
        "{name: example-cni}",
        "manifest URL is required",
    ),
    case(
        "valid",
        "{name: example-cni, url: 'https://www.example.com/manifest1.yaml'}",
        "",
    ),
];

pub(super) const INLINE_MANIFEST: &[Case] = &[
    case("empty", "{}", "manifest name is required"),
    case(
        "invalid name",
        "{name: Invalid_Name}",
        "manifest name is invalid: domain doesn't match required format: \"Invalid_Name\"",
    ),
    case(
        "valid",
        "{name: namespace-ci, manifest: \"apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: ci\\n\"}",
        "",
    ),
];

pub(super) const STATIC_POD: &[Case] = &[
    case(
        "empty",
        "{}",
        "static pod name is required\nstatic pod spec is required",
    ),
    case(
        "invalid name",
        "{name: Invalid_Name, pod: {apiVersion: v1, kind: Pod}}",
        "static pod name is invalid: domain doesn't match required format: \"Invalid_Name\"",
    ),
    case(
        "valid",
        "{name: nginx, pod: {apiVersion: v1, kind: Pod, metadata: {name: nginx}}}",
        "",
    ),
];

pub(super) const FLANNEL: &[Case] = &[
    case("empty", "{}", "flannel backend type must be specified"),
    case(
        "invalid resources",
        "{backendType: vxlan, resources: {requests: {invalid: '1'}}}",
        "unsupported pod resource \"invalid\"",
    ),
    case(
        "valid config",
        "{backendType: vxlan, backendPort: 4789}",
        "",
    ),
];

pub(super) const PRISM: &[Case] = &[
    case(
        "valid",
        "{port: 7445, tlsServerName: api.cluster.local}",
        "",
    ),
    case("minimal port", "{port: 1}", ""),
    case("maximal port", "{port: 65535}", ""),
    case("no port", "{}", "invalid port 0: must be in range 1-65535"),
    case(
        "negative port",
        "{port: -1}",
        "invalid port -1: must be in range 1-65535",
    ),
    case(
        "port out of range",
        "{port: 65536}",
        "invalid port 65536: must be in range 1-65535",
    ),
];

pub(super) const NODE: &[Case] = &[
    case(
        "valid",
        "{registerWithFQDN: true, nodeIP: {validSubnets: [10.0.0.0/8, '!10.0.0.3/32', 'fdc7::/16']}, labels: {examplelabel: examplevalue}, annotations: {customer.io/rack: r13a25}, taints: {exampletaint: 'examplevalue:NoSchedule'}}",
        "",
    ),
    case("empty", "{}", ""),
    case(
        "invalid nodeIP subnet",
        "{nodeIP: {validSubnets: [not-a-subnet]}}",
        "nodeIP subnet is not valid: \"not-a-subnet\"",
    ),
    case(
        "invalid label",
        "{labels: {'': value}}",
        "invalid node labels: 1 error occurred:\n\t* name cannot be empty: \"\"\n\n",
    ),
];

pub(super) const API_ACCESS: &[Case] = &[
    case(
        "valid",
        "{allowedRoles: ['os:reader'], allowedKubernetesNamespaces: [kube-system]}",
        "",
    ),
    case("no roles", "{}", ""),
    case(
        "all roles",
        "{allowedRoles: ['os:admin', 'os:operator', 'os:reader', 'os:etcd:backup', 'os:impersonator']}",
        "",
    ),
    case(
        "invalid role",
        "{allowedRoles: ['os:superuser']}",
        "invalid role \"os:superuser\" in .allowedRoles",
    ),
    case(
        "multiple invalid roles",
        "{allowedRoles: [reader, 'os:reader', '']}",
        "invalid role \"reader\" in .allowedRoles\ninvalid role \"\" in .allowedRoles",
    ),
];

/// `network_test.go`: `constants.DefaultIPv4PodCIDR` etc. spelled out.
pub(super) const NETWORK: &[Case] = &[
    case(
        "empty",
        "{}",
        "pod subnets: at least one subnet must be specified\nservice subnets: at least one subnet must be specified",
    ),
    case(
        "double v4",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16, 10.244.0.0/16], serviceSubnets: [10.96.0.0/12, 10.96.0.0/12]}",
        "pod subnets: at most one IPv4 and one IPv6 subnet can be specified for dual-stack clusters\nservice subnets: at most one IPv4 and one IPv6 subnet can be specified for dual-stack clusters",
    ),
    case(
        "length mismatch",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16, 'fc00:db8:10::/56'], serviceSubnets: [10.96.0.0/12]}",
        "the number of pod subnets must match the number of service subnets",
    ),
    case(
        "invalid subnet",
        "{dnsDomain: cluster.local, podSubnets: [192.168.1.1/24], serviceSubnets: [10.96.0.0/12]}",
        "pod subnets: invalid subnet: 192.168.1.1/24 is not a valid CIDR",
    ),
    case(
        "v4 only",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16], serviceSubnets: [10.96.0.0/12]}",
        "",
    ),
    case(
        "v6 only",
        "{dnsDomain: cluster.local, podSubnets: ['fc00:db8:10::/56'], serviceSubnets: ['fc00:db8:20::/112']}",
        "",
    ),
    case(
        "dual stack",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16, 'fc00:db8:10::/56'], serviceSubnets: [10.96.0.0/12, 'fc00:db8:20::/112']}",
        "",
    ),
    case(
        "service subnet too large",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16], serviceSubnets: [10.0.0.0/10]}",
        "service subnets: invalid subnet: 10.0.0.0/10 is too large, it must be at least /12 (at most 20 host identifier bits)",
    ),
    case(
        "pod subnet too large for node mask v4",
        "{dnsDomain: cluster.local, podSubnets: [2.0.0.0/7], serviceSubnets: [10.96.0.0/12]}",
        "pod subnets: invalid subnet: 2.0.0.0/7 is too large for the per-node pod CIDR mask size /24, the difference must be at most 16 bits",
    ),
    case(
        "pod subnet too large for node mask v6",
        "{dnsDomain: cluster.local, podSubnets: ['fc00:db8::/40'], serviceSubnets: ['fc00:db8:20::/112']}",
        "pod subnets: invalid subnet: fc00:db8::/40 is too large for the per-node pod CIDR mask size /64, the difference must be at most 16 bits",
    ),
    case(
        "pod subnet smaller than node mask",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/28], serviceSubnets: [10.96.0.0/12]}",
        "pod subnets: invalid subnet: 10.244.0.0/28 is smaller than the per-node pod CIDR mask size /24",
    ),
    case(
        "custom node mask makes pod subnet valid",
        "{dnsDomain: cluster.local, podSubnets: [2.0.0.0/7], serviceSubnets: [10.96.0.0/12], nodeCIDRMaskSizeIPv4: 20}",
        "",
    ),
    case(
        "custom node mask makes pod subnet invalid v6",
        "{dnsDomain: cluster.local, podSubnets: ['fc00:db8:10::/56'], serviceSubnets: ['fc00:db8:20::/112'], nodeCIDRMaskSizeIPv6: 80}",
        "pod subnets: invalid subnet: fc00:db8:10::/56 is too large for the per-node pod CIDR mask size /80, the difference must be at most 16 bits",
    ),
    case(
        "node mask ipv4 negative",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16], serviceSubnets: [10.96.0.0/12], nodeCIDRMaskSizeIPv4: -1}",
        "nodeCIDRMaskSizeIPv4 must be between 1 and 32",
    ),
    case(
        "node mask ipv4 too large",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16], serviceSubnets: [10.96.0.0/12], nodeCIDRMaskSizeIPv4: 33}",
        "nodeCIDRMaskSizeIPv4 must be between 1 and 32",
    ),
    case(
        "node mask ipv6 negative",
        "{dnsDomain: cluster.local, podSubnets: ['fc00:db8:10::/56'], serviceSubnets: ['fc00:db8:20::/112'], nodeCIDRMaskSizeIPv6: -5}",
        "nodeCIDRMaskSizeIPv6 must be between 1 and 128",
    ),
    case(
        "node mask ipv6 too large",
        "{dnsDomain: cluster.local, podSubnets: ['fc00:db8:10::/56'], serviceSubnets: ['fc00:db8:20::/112'], nodeCIDRMaskSizeIPv6: 129}",
        "nodeCIDRMaskSizeIPv6 must be between 1 and 128",
    ),
    case(
        "node mask ipv4 and ipv6 both out of range",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16, 'fc00:db8:10::/56'], serviceSubnets: [10.96.0.0/12, 'fc00:db8:20::/112'], nodeCIDRMaskSizeIPv4: -1, nodeCIDRMaskSizeIPv6: 200}",
        "nodeCIDRMaskSizeIPv4 must be between 1 and 32\nnodeCIDRMaskSizeIPv6 must be between 1 and 128",
    ),
    case(
        "node mask ipv4 boundary valid at 1",
        "{dnsDomain: cluster.local, podSubnets: [0.0.0.0/1], serviceSubnets: [10.96.0.0/12], nodeCIDRMaskSizeIPv4: 1}",
        "",
    ),
    case(
        "node mask ipv4 boundary valid at 32",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16], serviceSubnets: [10.96.0.0/12], nodeCIDRMaskSizeIPv4: 32}",
        "",
    ),
    case(
        "node mask ipv6 boundary valid at 1",
        "{dnsDomain: cluster.local, podSubnets: ['::/1'], serviceSubnets: ['fc00:db8:20::/112'], nodeCIDRMaskSizeIPv6: 1}",
        "",
    ),
    case(
        "node mask ipv6 boundary valid at 128",
        "{dnsDomain: cluster.local, podSubnets: ['fc00:db8:10::/120'], serviceSubnets: ['fc00:db8:20::/112'], nodeCIDRMaskSizeIPv6: 128}",
        "",
    ),
    case(
        "node mask ipv4 and ipv6 explicitly unset",
        "{dnsDomain: cluster.local, podSubnets: [10.244.0.0/16, 'fc00:db8:10::/56'], serviceSubnets: [10.96.0.0/12, 'fc00:db8:20::/112'], nodeCIDRMaskSizeIPv4: 0, nodeCIDRMaskSizeIPv6: 0}",
        "",
    ),
];

#[test]
fn kubernetes_documents() {
    for (kind, cases) in [
        ("KubeAPIServerConfig", APISERVER),
        ("KubeControllerManagerConfig", CONTROLLER_MANAGER),
        ("KubeSchedulerConfig", SCHEDULER),
        ("KubeProxyConfig", PROXY),
        ("KubeletConfig", KUBELET),
        ("KubeAdmissionControlConfig", ADMISSION),
        ("KubeAuthorizerConfig", AUTHORIZER),
        ("KubeClusterConfig", CLUSTER),
        ("KubeEtcdEncryptionConfig", ETCD_ENCRYPTION),
        ("KubeExternalManifestConfig", EXTERNAL_MANIFEST),
        ("KubeInlineManifestConfig", INLINE_MANIFEST),
        ("KubeStaticPodConfig", STATIC_POD),
        ("KubeFlannelCNIConfig", FLANNEL),
        ("KubePrismConfig", PRISM),
        ("KubeNodeConfig", NODE),
        ("KubeTalosAPIAccessConfig", API_ACCESS),
        ("KubeNetworkConfig", NETWORK),
    ] {
        run_for(kind, 14, cases);
    }
}

/// A self-signed CA for the `valid` cases (`x509.NewSelfSignedCertificateAuthority`).
fn ca() -> (String, String) {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("ca");
    (cert.pem(), key.serialize_pem())
}

/// YAML of a block scalar holding `text`, for a flow mapping value.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("json string")
}

#[test]
fn certificate_documents() {
    for kind in [
        "KubeAggregatorCAConfig",
        "KubeAPIServerCAConfig",
        "KubeServiceAccountConfig",
    ] {
        let (_, failed) = check_certificates(kind);
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }
}

/// The `Validate` cases of the CA and service-account documents (upstream makes a fresh CA
/// for the valid ones; here rcgen does): (cases run, failures).
pub(super) fn check_certificates(kind: &str) -> (usize, Vec<String>) {
    let (crt, key) = ca();
    let (crt, key) = (quoted(&crt), quoted(&key));
    let cases: Vec<(String, &str)> = if kind == "KubeServiceAccountConfig" {
        vec![
            (
                "{}".into(),
                "service issuer private key is required\nservice issuer URL is required",
            ),
            (
                format!(
                    "{{issuer: {{privateKey: {key}, issuerURL: 'https://my-control-plane:6443'}}}}"
                ),
                "",
            ),
            (
                format!("{{issuer: {{privateKey: {key}}}}}"),
                "service issuer URL is required",
            ),
            (
                "{issuer: {privateKey: not a PEM, issuerURL: 'https://my-control-plane:6443'}}"
                    .into(),
                "service issuer private key is invalid: failed to parse PEM block",
            ),
        ]
    } else {
        let empty = if kind == "KubeAggregatorCAConfig" {
            "issuing CA is not set"
        } else {
            ""
        };
        vec![
            ("{}".into(), empty),
            (
                format!("{{issuingCA: {{cert: {crt}, key: {key}}}, acceptedCAs: [{crt}]}}"),
                "",
            ),
            (
                "{issuingCA: {cert: not a PEM, key: not a PEM}}".into(),
                "issuing CA: certificate: no PEM blocks found",
            ),
            (
                format!("{{issuingCA: {{cert: {crt}, key: {key}}}, acceptedCAs: [not a PEM]}}"),
                "accepted CA #0: no PEM blocks found",
            ),
        ]
    };
    let mut failed = Vec::new();
    for (doc, want) in &cases {
        let value = crate::yaml::parse_documents(doc)
            .expect("yaml")
            .remove(0)
            .value;
        let got = super::super::document(kind, &value, 14).errors.join("\n");
        if got != *want {
            failed.push(format!("{kind} {doc:?}: want {want:?} got {got:?}"));
        }
    }
    (cases.len(), failed)
}

/// Each kind's `V1Alpha1ConflictValidate` table; `{}` is the empty v1alpha1 config.
pub(super) const CONFLICTS: &[(&str, &[Conflict])] = &[
    (
        "KubeAdmissionControlConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with admission control config set",
                "{}",
                "{cluster: {apiServer: {admissionControl: [{name: PodSecurity}]}}}",
                "admission control plugin config is already set in v1alpha1 config",
            ),
        ],
    ),
    (
        "KubeAuthorizerConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with admission control config set",
                "{}",
                "{cluster: {apiServer: {admissionControl: [{name: PodSecurity}]}}}",
                "admission control plugin config is already set in v1alpha1 config",
            ),
        ],
    ),
    (
        "KubeAggregatorCAConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with aggregator CA set",
                "{}",
                "{cluster: {aggregatorCA: {crt: Zm9v, key: YmFy}}}",
                "kube-apiserver aggregator CA is already set in v1alpha1 config (.cluster.aggregatorCA), please remove it and use the new KubeAggregatorCAConfig document instead",
            ),
        ],
    ),
    (
        "KubeAPIServerCAConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster CA set",
                "{}",
                "{cluster: {ca: {crt: Zm9v, key: YmFy}}}",
                "kube-apiserver CA is already set in v1alpha1 config (.cluster.ca)",
            ),
        ],
    ),
    (
        "KubeAuditPolicyConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with audit policy config set",
                "{}",
                "{cluster: {apiServer: {auditPolicy: {apiVersion: audit.k8s.io/v1, kind: Policy}}}}",
                "audit policy config is already set in v1alpha1 config",
            ),
        ],
    ),
    (
        "KubeAPIServerConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster APIServer config set",
                "{}",
                "{cluster: {apiServer: {}}}",
                "kube-apiserver config is already set in v1alpha1 config (.cluster.apiServer)",
            ),
        ],
    ),
    (
        "KubeControllerManagerConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster ControllerManager config set",
                "{}",
                "{cluster: {controllerManager: {}}}",
                "kube-controller-manager config is already set in v1alpha1 config (.cluster.controllerManager)",
            ),
            (
                "v1alpha1 with machine control plane ControllerManager config set",
                "{}",
                "{machine: {controlPlane: {controllerManager: {}}}}",
                "kube-controller-manager config is already set in v1alpha1 config (.machine.controlplane.controllerManager)",
            ),
        ],
    ),
    (
        "KubeSchedulerConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster scheduler config set",
                "{}",
                "{cluster: {scheduler: {}}}",
                "kube-scheduler config is already set in v1alpha1 config (.cluster.scheduler)",
            ),
            (
                "v1alpha1 with machine control plane scheduler config set",
                "{}",
                "{machine: {controlPlane: {scheduler: {}}}}",
                "kube-scheduler config is already set in v1alpha1 config (.machine.controlplane.scheduler)",
            ),
        ],
    ),
    (
        "KubeCoreDNSConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster coredns config set",
                "{}",
                "{cluster: {coreDNS: {}}}",
                "CoreDNS config is already set in v1alpha1 config (.cluster.coreDNS)",
            ),
        ],
    ),
    (
        "KubeCredentialProviderConfig",
        &[
            ("empty", "{}", "{}", ""),
            ("empty machine config", "{}", "{machine: {}}", ""),
            (
                "legacy kubelet present",
                "{}",
                "{machine: {kubelet: {}}}",
                "cannot use KubeCredentialProviderConfig with legacy kubelet configuration (.machine.kubelet)",
            ),
        ],
    ),
    (
        "KubeEtcdEncryptionConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with etcd secretbox encryption secret set",
                "{}",
                "{cluster: {secretboxEncryptionSecret: foo}}",
                "etcd encryption config is already set in v1alpha1 config",
            ),
            (
                "v1alpha1 with etcd aescbc encryption secret set",
                "{}",
                "{cluster: {aescbcEncryptionSecret: foo}}",
                "etcd encryption config is already set in v1alpha1 config",
            ),
        ],
    ),
    (
        "KubeFlannelCNIConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster network config set",
                "{}",
                "{cluster: {network: {}}}",
                "cluster network config in v1alpha1 config (.machine.cluster.network) can't be used with KubeFlannelCNIConfig document, please remove it to avoid conflicts",
            ),
        ],
    ),
    (
        "KubeletConfig",
        &[
            ("empty", "{}", "{}", ""),
            ("empty machine config", "{}", "{machine: {}}", ""),
            (
                "legacy kubelet present",
                "{}",
                "{machine: {kubelet: {}}}",
                "kubelet config is already set in v1alpha1 config (.machine.kubelet)",
            ),
        ],
    ),
    (
        "KubePrismConfig",
        &[
            ("empty", "{}", "{}", ""),
            ("empty machine config", "{}", "{machine: {}}", ""),
            (
                "empty machine features",
                "{}",
                "{machine: {features: {}}}",
                "",
            ),
            (
                "legacy KubePrism present",
                "{}",
                "{machine: {features: {kubePrism: {}}}}",
                "KubePrism config in v1alpha1 config (.machine.features.kubePrism) can't be used with KubePrismConfig document, please remove it to avoid conflicts",
            ),
        ],
    ),
    (
        "KubeNetworkConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster network config set",
                "{}",
                "{cluster: {network: {}}}",
                "cluster network config is already set in the v1alpha1 config (.machine.cluster.network). Please remove it and use only the new KubeNetworkConfig document to avoid conflicts",
            ),
        ],
    ),
    (
        "KubeNodeConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "empty machine and cluster config",
                "{}",
                "{machine: {}, cluster: {}}",
                "",
            ),
            (
                "legacy allowSchedulingOnControlPlanes present",
                "{}",
                "{cluster: {allowSchedulingOnControlPlanes: true}}",
                ".cluster.allowSchedulingOnControlPlanes is already set in v1alpha1 config",
            ),
            (
                "legacy skipNodeRegistration present",
                "{}",
                "{machine: {kubelet: {skipNodeRegistration: true}}}",
                ".machine.kubelet.skipNodeRegistration is already set in v1alpha1 config",
            ),
            (
                "legacy registerWithFQDN present",
                "{}",
                "{machine: {kubelet: {registerWithFQDN: true}}}",
                ".machine.kubelet.registerWithFQDN is already set in v1alpha1 config",
            ),
            (
                "legacy nodeIP present",
                "{}",
                "{machine: {kubelet: {nodeIP: {}}}}",
                ".machine.kubelet.nodeIP is already set in v1alpha1 config",
            ),
            (
                "legacy node labels present",
                "{}",
                "{machine: {nodeLabels: {foo: bar}}}",
                ".machine.nodeLabels is already set in v1alpha1 config",
            ),
            (
                "legacy node annotations present",
                "{}",
                "{machine: {nodeAnnotations: {foo: bar}}}",
                ".machine.nodeAnnotations is already set in v1alpha1 config",
            ),
            (
                "legacy node taints present",
                "{}",
                "{machine: {nodeTaints: {foo: 'bar:NoSchedule'}}}",
                ".machine.nodeTaints is already set in v1alpha1 config",
            ),
        ],
    ),
    (
        "KubeProxyConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster proxy config set",
                "{}",
                "{cluster: {proxy: {}}}",
                "cluster proxy config in v1alpha1 config (.machine.cluster.proxy) can't be used with KubeProxyConfig document, please remove it to avoid conflicts",
            ),
        ],
    ),
    (
        "KubeServiceAccountConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "v1alpha1 with cluster service account set",
                "{}",
                "{cluster: {serviceAccount: {key: Zm9v}}}",
                "service account is already set in v1alpha1 config (.cluster.serviceAccount)",
            ),
        ],
    ),
    (
        "KubeTalosAPIAccessConfig",
        &[
            ("empty", "{}", "{}", ""),
            ("empty machine config", "{}", "{machine: {}}", ""),
            (
                "empty machine features",
                "{}",
                "{machine: {features: {}}}",
                "",
            ),
            (
                "legacy Talos API access present",
                "{}",
                "{machine: {features: {kubernetesTalosAPIAccess: {}}}}",
                ".machine.features.kubernetesTalosAPIAccess is already set in v1alpha1 config",
            ),
        ],
    ),
    (
        "KubeClusterConfig",
        &[
            ("empty", "{}", "{}", ""),
            (
                "cluster config without name or endpoint",
                "{}",
                "{cluster: {}}",
                "",
            ),
            (
                "legacy cluster name present",
                "{}",
                "{cluster: {clusterName: legacy-cluster}}",
                "cluster name is already set in the v1alpha1 config (.cluster.clusterName). Please remove it and use only the new KubeClusterConfig document to avoid conflicts",
            ),
            (
                "legacy cluster endpoint present",
                "{}",
                "{cluster: {controlPlane: {endpoint: 'https://legacy.example.com:6443/'}}}",
                "cluster endpoint is already set in the v1alpha1 config (.cluster.controlPlane.endpoint). Please remove it and use only the new KubeClusterConfig document to avoid conflicts",
            ),
        ],
    ),
];

#[test]
fn kubernetes_document_conflicts() {
    for (kind, cases) in CONFLICTS {
        run_conflicts(kind, cases);
    }
}
