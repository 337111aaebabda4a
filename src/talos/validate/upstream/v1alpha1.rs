//! The v1alpha1 cases Talos v1.13 and v1.14 added or changed (the rest of `v1alpha1_validation_test.go`
//! is replayed on the v1.12 goldens in `validate::tests`), and `TestValidateCNI`.

use super::super::cluster::validate_cni;
use super::super::{Mode, multierror, v1alpha1};
use crate::yaml::parse_documents;

/// The cluster section most upstream cases share (`endpointURL` and KubeSpan's needs).
const CLUSTER: &str = "cluster: {controlPlane: {endpoint: 'https://localhost:6443/'}, id: test, secret: test, discovery: {enabled: true}}";

/// (name, machine section, metal mode, expected multierror or "", expected warnings).
type V1Case = (
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static [&'static str],
);

/// pkg/machinery/config/types/v1alpha1/v1alpha1_validation_test.go@v1.13.9 `TestValidate`:
/// the cases new or reworded since v1.12.0.
pub(super) const VALIDATE: &[V1Case] = &[
    (
        "MachineInstallExtensionsDuplicate",
        "{type: worker, ca: {crt: Zm9v}, install: {disk: /dev/vda, extensions: [{image: 'ghcr.io/siderolabs/gvisor:v0.1.0'}]}}",
        true,
        "",
        &[
            ".machine.install.extensions is deprecated, please see https://docs.siderolabs.com/talos/latest/platform-specific-installations/boot-assets",
        ],
    ),
    (
        "BadKubeSpanEndpointFilters",
        "{type: worker, ca: {crt: Zm9v}, network: {kubespan: {enabled: true, filters: {endpoints: ['!10', '123::/456']}}}}",
        false,
        "2 errors occurred:\n\t* KubeSpan endpoint filter is not valid: \"10\"\n\t* KubeSpan endpoint filter is not valid: \"123::/456\"\n\n",
        &[],
    ),
    (
        "GoodKubeSpanAdvertisedNetworkFilters",
        "{type: worker, ca: {crt: Zm9v}, network: {kubespan: {enabled: true, filters: {excludeAdvertisedNetworks: [0.0.0.0/0, 10.0.0.0/8, 172.16.0.0/12, '::/0']}}}}",
        false,
        "",
        &[],
    ),
    (
        "BadKubeSpanAdvertisedNetworkFilters",
        "{type: worker, ca: {crt: Zm9v}, network: {kubespan: {enabled: true, filters: {excludeAdvertisedNetworks: [invalid, '123::/456']}}}}",
        false,
        "2 errors occurred:\n\t* KubeSpan exclude advertised networks filter is not valid: \"invalid\"\n\t* KubeSpan exclude advertised networks filter is not valid: \"123::/456\"\n\n",
        &[],
    ),
    (
        "ForwardKubeDNSToHostWithoutHostDNS",
        "{type: controlplane, ca: {crt: Zm9v, key: YmFy}, features: {hostDNS: {enabled: false, forwardKubeDNSToHost: true}}}",
        false,
        "1 error occurred:\n\t* feature hostDNS.forwardKubeDNSToHost requires hostDNS.enabled to be true (.machine.features.hostDNS)\n\n",
        &[],
    ),
];

/// pkg/machinery/config/types/v1alpha1/v1alpha1_validation_test.go@v1.14.0-rc.1 `TestValidate`:
/// the cases new or changed since v1.13.9 (`KubeSpanNoDiscovery` is gone: the check moved to
/// the whole config, `container::validate`).
pub(super) const VALIDATE_V1_14: &[V1Case] = &[
    (
        "MachineFilesDeprecated",
        "{type: worker, ca: {crt: Zm9v}, files: [{path: /var/example, op: create}]}",
        false,
        "",
        &[".machine.files is deprecated; use dedicated configuration documents instead"],
    ),
    (
        "NoMachineInstallNotRequired",
        "{type: worker, ca: {crt: Zm9v}}",
        true,
        "",
        &[],
    ),
    (
        "MachineBaseRuntimeSpecOverrides",
        "{type: controlplane, ca: {crt: Zm9v, key: YmFy}, baseRuntimeSpecOverrides: {process: {rlimits: [{type: RLIMIT_NOFILE, hard: 1024, soft: 1024}]}}}",
        false,
        "",
        &[
            ".machine.baseRuntimeSpecOverrides is deprecated; use a CRIBaseRuntimeSpecConfig document instead",
        ],
    ),
];

/// (name, `cluster.network.cni` or "" for none, expected multierror or "", warnings).
type CniCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const CNI_NAME: &str =
    "1 error occurred:\n\t* cni name should be one of [\"flannel\", \"custom\", \"none\"]\n\n";
const URL: &str = "'https://host.test/quick-install.yaml'";

/// pkg/machinery/config/types/v1alpha1/v1alpha1_validation_test.go@v1.13.9 `TestValidateCNI`
pub(super) const CNI: &[CniCase] = &[
    ("Nil", "", "", &[]),
    ("Empty", "{}", CNI_NAME, &[]),
    ("FlannelNoManifests", "{name: flannel}", "", &[]),
    (
        "FlannelManifests",
        "{name: flannel, urls: [URL]}",
        "1 error occurred:\n\t* \"urls\" field should be empty for \"flannel\" CNI\n\n",
        &[],
    ),
    (
        "FlannelExtraArgs",
        "{name: flannel, flannel: {extraArgs: [--foo]}}",
        "",
        &[],
    ),
    (
        "FlannelKubeNetworkPoliciesDisabled",
        "{name: flannel, flannel: {kubeNetworkPoliciesEnabled: false}}",
        "",
        &[],
    ),
    (
        "FlannelKubeNetworkPoliciesEnabled",
        "{name: flannel, flannel: {kubeNetworkPoliciesEnabled: true}}",
        "",
        &[],
    ),
    (
        "CustomNoManifests",
        "{name: custom}",
        "",
        &["\"urls\" field should not be empty for \"custom\" CNI"],
    ),
    (
        "CustomFlannelExtraArgs",
        "{name: custom, urls: [URL], flannel: {extraArgs: [--foo]}}",
        "1 error occurred:\n\t* \"flanneldExtraArgs\" field should be empty for \"custom\" CNI\n\n",
        &[],
    ),
    (
        "CustomFlannelKubeNetworkPoliciesDisabled",
        "{name: custom, urls: [URL], flannel: {kubeNetworkPoliciesEnabled: false}}",
        "",
        &[],
    ),
    (
        "CustomFlannelKubeNetworkPoliciesEnabled",
        "{name: custom, urls: [URL], flannel: {kubeNetworkPoliciesEnabled: true}}",
        "1 error occurred:\n\t* \"flannelKubeNetworkPoliciesEnabled\" should not be enabled for \"custom\" CNI\n\n",
        &[],
    ),
    ("CustomManifests", "{name: custom, urls: [URL]}", "", &[]),
    ("NoneNoManifests", "{name: none}", "", &[]),
    (
        "NoneManifests",
        "{name: none, urls: [URL]}",
        "1 error occurred:\n\t* \"urls\" field should be empty for \"none\" CNI\n\n",
        &[],
    ),
    (
        "NoneFlannelKubeNetworkPoliciesDisabled",
        "{name: none, flannel: {kubeNetworkPoliciesEnabled: false}}",
        "",
        &[],
    ),
    (
        "NoneFlannelKubeNetworkPoliciesEnabled",
        "{name: none, flannel: {kubeNetworkPoliciesEnabled: true}}",
        "1 error occurred:\n\t* \"flannelKubeNetworkPoliciesEnabled\" should not be enabled for \"none\" CNI\n\n",
        &[],
    ),
];

fn joined(errors: &[String]) -> String {
    if errors.is_empty() {
        String::new()
    } else {
        multierror(errors)
    }
}

#[test]
fn v1_13_validate_cases() {
    run_validate(VALIDATE, 13);
}

#[test]
fn v1_14_validate_cases() {
    run_validate(VALIDATE_V1_14, 14);
    // The v1.13 cases hold on v1.14 too, and v1.13 still requires the install section.
    run_validate(VALIDATE, 14);
    let text =
        format!("version: v1alpha1\nmachine: {{type: worker, ca: {{crt: Zm9v}}}}\n{CLUSTER}\n");
    let cfg = parse_documents(&text).expect("case YAML").remove(0).value;
    let (_, e) = v1alpha1::validate(&cfg, Mode::Metal, false, 13);
    assert_eq!(e, ["install instructions are required in \"metal\" mode"]);
}

fn run_validate(cases: &[V1Case], minor: u32) {
    let mut failed = Vec::new();
    for (name, machine, metal, want, warnings) in cases {
        let text = format!("version: v1alpha1\nmachine: {machine}\n{CLUSTER}\n");
        let cfg = parse_documents(&text).expect("case YAML").remove(0).value;
        let mode = if *metal { Mode::Metal } else { Mode::Cloud };
        let (w, e) = v1alpha1::validate(&cfg, mode, false, minor);
        if joined(&e) != *want || w != *warnings {
            failed.push(format!("{name}: got {e:?} {w:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn validate_cni_cases() {
    let (_, failed) = check_cni();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Runs `TestValidateCNI`: (cases run, failures).
pub(super) fn check_cni() -> (usize, Vec<String>) {
    let mut failed = Vec::new();
    for (name, cni, want, warnings) in CNI {
        let cni = cni.replace("URL", URL);
        let value =
            (!cni.is_empty()).then(|| parse_documents(&cni).expect("case YAML").remove(0).value);
        let (w, e) = validate_cni(value.as_ref());
        if joined(&e) != *want || w != *warnings {
            failed.push(format!("TestValidateCNI/{name}: got {e:?} {w:?}"));
        }
    }
    (CNI.len(), failed)
}
