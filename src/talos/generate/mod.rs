//! Per-node Talos machine configs as `talosctl gen config` + talhelper would produce them.
//!
//! [`GenInput`] holds what `generate.NewInput` and talhelper's node overrides decide;
//! [`generate`] turns it into the documents (v1alpha1 first, then network documents) with keys
//! in Talos' Go struct order and empty `omitempty` fields left out. [`render_node`] builds the
//! input from the model exactly as `talhelper genconfig` does, before any patch is applied.

mod base;
mod firewall;
#[cfg(test)]
mod goldens;
mod image;
mod kube;
mod legacy;
mod netkinds;
#[cfg(test)]
mod nettests;
mod network;
mod order;
mod storage;
#[cfg(test)]
mod storagetests;
mod templates;
#[cfg(test)]
mod tests;

pub use templates::{LabelTemplateError, apply_patches, fill as fill_templates};

pub use image::installer_image;
#[cfg(test)]
pub(crate) use netkinds::link_alias_named as link_alias_document;

/// talhelper's `templateConfigField` on one value: `tmpl` rendered against a v1alpha1
/// document through its Go field view.
#[cfg(test)]
pub(crate) fn render_config_template(tmpl: &str, v1alpha1: &Yaml) -> Result<String, String> {
    crate::gotemplate::render(tmpl, &crate::talos::goview::v1alpha1(v1alpha1))
        .map_err(|e| e.to_string())
}
pub use storage::{kernel_module, machine_disk, machine_file};

use crate::model::{
    Cluster, Cni, DiskSelector, ExtensionService, Firewall, FlannelOptions, InlineManifest,
    InstallDisk, Interface, KernelModule, MachineDisk, MachineFile, Node, Role, UserVolume,
    Version, Volume,
};
use crate::secrets::bundle::Bundle;
use crate::talos::contract::{Contract, UnsupportedVersion};
use crate::talos::edition::{self, Edition};
use crate::talos::{marshal, schema};
use crate::yaml::Yaml;
use indexmap::IndexMap;

/// Everything that decides one generated machine config.
///
/// The first group are `talosctl gen config` inputs; the second are what talhelper sets on
/// the generated config per node (its `GenerateNodeConfig` and multi-doc patch).
#[derive(Debug, Clone)]
pub struct GenInput {
    /// `clusterName`.
    pub cluster_name: String,
    /// Control-plane endpoint URL, written as given.
    pub endpoint: String,
    /// Kubernetes version for the component images; `None` leaves the images out.
    pub kubernetes: Option<Version>,
    /// Talos version: the version contract.
    pub talos: Version,
    /// Control plane or worker.
    pub role: Role,
    /// `machine.install.disk`.
    pub install_disk: Option<String>,
    /// `machine.install.image`.
    pub install_image: Option<String>,
    /// `cluster.network.dnsDomain`; `None` = `cluster.local`.
    pub dns_domain: Option<String>,
    /// `cluster.network.podSubnets`.
    pub pod_subnets: Vec<String>,
    /// `cluster.network.serviceSubnets`.
    pub service_subnets: Vec<String>,
    /// `machine.certSANs` (talhelper: cluster `additionalMachineCertSans` then node `certSANs`).
    pub machine_cert_sans: Vec<String>,
    /// `cluster.apiServer.certSANs` (Talos ≤ 1.11 prepends the endpoint host).
    pub api_server_cert_sans: Vec<String>,
    /// `cluster.allowSchedulingOnControlPlanes` (control planes only).
    pub allow_scheduling_on_control_planes: bool,
    /// `cluster.network.cni` (talhelper's `cniConfig`; from 1.14 on the flannel document or
    /// `cluster.extraManifests`, as talhelper sets them).
    pub cni: Cni,
    /// `generate.WithSysctls`: `machine.sysctls`, a `SysctlConfig` document from 1.14 on.
    pub sysctls: IndexMap<String, String>,
    /// `generate.WithLocalAPIServerPort` (control planes): `cluster.controlPlane.localAPIServerPort`,
    /// `KubeAPIServerConfig.apiPort` from 1.14 on.
    pub local_api_server_port: Option<u16>,
    /// `generate.WithRegistryMirror`, host and endpoints: `machine.registries.mirrors` before
    /// 1.12, `RegistryMirrorConfig` documents since.
    pub registry_mirrors: Vec<(String, Vec<String>)>,
    /// `generate.WithCustomCNIUrl`: a custom CNI in `cluster.network.cni` before 1.14, a
    /// `KubeExternalManifestConfig` (and no flannel) since.
    pub cni_custom_url: Option<String>,

    /// Static hostname: `HostnameConfig` (`auto: off`) on ≥ 1.12, `machine.network.hostname`
    /// before; `None` keeps gen config's `auto: stable`.
    pub hostname: Option<String>,
    /// `machine.install.diskSelector`.
    pub install_disk_selector: Option<DiskSelector>,
    /// `machine.install.extraKernelArgs` (talhelper copies the schematic's before 1.12).
    pub install_extra_kernel_args: Vec<String>,
    /// `machine.kernel.modules`.
    pub kernel_modules: Vec<KernelModule>,
    /// `machine.nodeLabels`; `Some` replaces gen config's labels (talhelper assigns the map).
    pub node_labels: Option<IndexMap<String, String>>,
    /// `machine.nodeAnnotations`.
    pub node_annotations: Option<IndexMap<String, String>>,
    /// `machine.nodeTaints` (`key` → `value:effect`).
    pub node_taints: Option<IndexMap<String, String>>,
    /// DNS servers: `ResolverConfig` on ≥ 1.12, `machine.network.nameservers` before.
    pub nameservers: Vec<String>,
    /// Network devices: multi-doc network config on ≥ 1.12, `machine.network.interfaces` before.
    pub interfaces: Vec<Interface>,
    /// `disableSearchDomain`: `ResolverConfig.searchDomains.disableDefault` on ≥ 1.12,
    /// `machine.network.disableSearchDomain` before.
    pub disable_search_domain: bool,
    /// `ingressFirewall`: `NetworkDefaultActionConfig` + `NetworkRuleConfig`s on every version.
    pub firewall: Option<Firewall>,
    /// `machine.disks` (talhelper's `machineDisks`).
    pub machine_disks: Vec<MachineDisk>,
    /// `machine.files` (talhelper's `machineFiles`).
    pub machine_files: Vec<MachineFile>,
    /// `cluster.inlineManifests` (talhelper sets them on every node).
    pub inline_manifests: Vec<InlineManifest>,
    /// `cluster.network.cni.flannel` (with the flannel CNI).
    pub flannel: Option<FlannelOptions>,
    /// `ExtensionServiceConfig` documents.
    pub extension_services: Vec<ExtensionService>,
    /// `VolumeConfig` documents.
    pub volumes: Vec<Volume>,
    /// `UserVolumeConfig` documents.
    pub user_volumes: Vec<UserVolume>,
}

impl GenInput {
    /// The plain `gen config` input (no talhelper additions), with Talos' defaults.
    pub fn new(
        cluster_name: impl Into<String>,
        endpoint: impl Into<String>,
        kubernetes: Option<Version>,
        talos: Version,
        role: Role,
    ) -> Self {
        GenInput {
            cluster_name: cluster_name.into(),
            endpoint: endpoint.into(),
            kubernetes,
            talos,
            role,
            install_disk: None,
            install_image: None,
            dns_domain: None,
            pod_subnets: vec!["10.244.0.0/16".into()],
            service_subnets: vec!["10.96.0.0/12".into()],
            machine_cert_sans: Vec::new(),
            api_server_cert_sans: Vec::new(),
            allow_scheduling_on_control_planes: false,
            cni: Cni::Default,
            sysctls: IndexMap::new(),
            local_api_server_port: None,
            registry_mirrors: Vec::new(),
            cni_custom_url: None,
            hostname: None,
            install_disk_selector: None,
            install_extra_kernel_args: Vec::new(),
            kernel_modules: Vec::new(),
            node_labels: None,
            node_annotations: None,
            node_taints: None,
            nameservers: Vec::new(),
            interfaces: Vec::new(),
            disable_search_domain: false,
            firewall: None,
            machine_disks: Vec::new(),
            machine_files: Vec::new(),
            inline_manifests: Vec::new(),
            flannel: None,
            extension_services: Vec::new(),
            volumes: Vec::new(),
            user_volumes: Vec::new(),
        }
    }

    /// The input `talhelper genconfig` builds for `node` from the talconfig.yaml talforge
    /// writes for `cluster`.
    pub fn for_node(cluster: &Cluster, node: &Node) -> Self {
        let mut input = GenInput::new(
            &cluster.name,
            &cluster.endpoint,
            Some(cluster.kubernetes_version),
            cluster.talos_version,
            node.role,
        );
        input.install_image = Some(installer_image(cluster, node));
        match &node.install {
            Some(InstallDisk::Path(p)) => input.install_disk = Some(p.clone()),
            Some(InstallDisk::Selector(s)) => input.install_disk_selector = Some(s.clone()),
            None => {}
        }
        input.dns_domain.clone_from(&cluster.dns_domain);
        input.pod_subnets = cluster.pod_nets.iter().map(ToString::to_string).collect();
        input.service_subnets = cluster
            .service_nets
            .iter()
            .map(ToString::to_string)
            .collect();
        input
            .machine_cert_sans
            .clone_from(&cluster.machine_cert_sans);
        input
            .machine_cert_sans
            .extend(node.cert_sans.iter().cloned());
        input
            .api_server_cert_sans
            .clone_from(&cluster.api_server_cert_sans);
        input.allow_scheduling_on_control_planes = cluster.allow_scheduling_on_control_planes;
        input.cni = cluster.cni.clone();
        // `ignoreHostname`: talhelper leaves the hostname to gen config (`auto: stable`).
        input.hostname = (!node.ignore_hostname).then(|| node.hostname.clone());
        // Talos ≥ 1.12 defaults to `grubUseUKICmdline`, which forbids install kernel args.
        let grub_uki =
            Contract::new(cluster.talos_version).is_ok_and(Contract::grub_use_uki_cmdline);
        if !grub_uki {
            input.install_extra_kernel_args = schematic_kernel_args(node);
        }
        input.kernel_modules.clone_from(&node.kernel_modules);
        // talhelper only touches these when the talconfig node has them, and the talconfig
        // renderer writes them only when non-empty.
        input.node_labels = (!node.labels.is_empty()).then(|| node.labels.clone());
        input.node_annotations = (!node.annotations.is_empty()).then(|| node.annotations.clone());
        input.node_taints = (!node.taints.is_empty()).then(|| {
            node.taints
                .iter()
                .map(|t| (t.key.clone(), format!("{}:{}", t.value, t.effect)))
                .collect()
        });
        input.nameservers = node.nameservers.iter().map(ToString::to_string).collect();
        input.interfaces.clone_from(&node.interfaces);
        input.disable_search_domain = node.disable_search_domain;
        input.firewall.clone_from(&node.firewall);
        input.machine_disks.clone_from(&node.machine_disks);
        input.machine_files.clone_from(&node.files);
        input.inline_manifests.clone_from(&cluster.inline_manifests);
        if cluster.cni == Cni::Flannel {
            input.flannel.clone_from(&cluster.flannel);
        }
        input
            .extension_services
            .clone_from(&node.extension_services);
        input.volumes.clone_from(&node.volumes);
        input.user_volumes.clone_from(&node.user_volumes);
        input
    }
}

/// The schematic's `customization.extraKernelArgs`, which talhelper copies into
/// `machine.install.extraKernelArgs`.
fn schematic_kernel_args(node: &Node) -> Vec<String> {
    node.schematic
        .as_ref()
        .map(|s| s.customization.extra_kernel_args.clone())
        .unwrap_or_default()
}

/// The documents of one machine config, in the order Talos and talhelper write them, each
/// with its keys in Go struct order (the struct table's, as Talos marshals them).
pub fn generate(input: &GenInput, secrets: &Bundle) -> Result<Vec<Yaml>, UnsupportedVersion> {
    let contract = Contract::new(input.talos)?;
    let e = Edition::for_minor(contract.minor());
    Ok(edition::scoped(e, || documents(input, secrets, contract)))
}

fn documents(input: &GenInput, secrets: &Bundle, contract: Contract) -> Vec<Yaml> {
    let mut v1alpha1 = base::v1alpha1(input, secrets, contract);
    storage::apply(input, &mut v1alpha1);
    marshal::order_document(&mut v1alpha1, schema::LEGACY_DEF);
    let mut docs = vec![v1alpha1];
    docs.extend(kube::leading_documents(input, secrets, contract));
    if contract.multidoc_kubernetes() {
        docs.push(network::hostname_config(None));
        docs.extend(kube::kubernetes_documents(input, secrets, contract));
    } else {
        docs.extend(extra_documents(input, contract));
    }
    for doc in &mut docs[1..] {
        let kind = doc.get("kind").and_then(Yaml::as_str).unwrap_or_default();
        if let Some(def) = schema::def_for_kind(kind) {
            marshal::order_document(doc, def);
        }
    }
    if !contract.multidoc_kubernetes() {
        return docs;
    }
    // talhelper applies its documents as a strategic merge patch: the hostname and
    // resolver merge into gen config's, new ones go last. They are talforge's own
    // well-formed documents; were one refused, it is appended so validation reports it.
    let extra = kube::talhelper_documents(input);
    if extra.is_empty() {
        return docs;
    }
    crate::talos::patch::apply_docs(docs.clone(), &extra).unwrap_or_else(|_| {
        docs.extend(extra);
        docs
    })
}

/// The documents after v1alpha1 up to contract 1.13, in talhelper's `genMultiDocs` order
/// (its patch merges `HostnameConfig` into gen config's, which comes first).
fn extra_documents(input: &GenInput, contract: Contract) -> Vec<Yaml> {
    let mut docs = Vec::new();
    let multidoc = contract.multidoc_network();
    if multidoc {
        docs.push(network::hostname_config(input.hostname.as_deref()));
        docs.extend(network::resolver_config(input));
    }
    if let Some(fw) = &input.firewall {
        docs.extend(firewall::documents(fw));
    }
    docs.extend(storage::documents(input));
    if multidoc {
        docs.extend(network::link_documents(&input.interfaces));
    }
    docs
}

/// Renders one node's machine config as `talhelper genconfig` does before patches: the
/// v1alpha1 document first, then the network documents.
pub fn render_node(
    cluster: &Cluster,
    node: &Node,
    secrets: &Bundle,
) -> Result<Vec<Yaml>, UnsupportedVersion> {
    generate(&GenInput::for_node(cluster, node), secrets)
}

/// talhelper's output file name: `<cluster>-<hostname>.yaml`.
pub fn output_file_name(cluster: &Cluster, node: &Node) -> String {
    let Some(template) = &node.filename_template else {
        return format!("{}-{}.yaml", cluster.name, node.hostname);
    };
    // A template that does not fill is refused when the node is read or declared; fall
    // back to the default name rather than write somewhere surprising.
    crate::model::fill_filename_template(
        template,
        &cluster.name,
        &node.hostname,
        &node.ip.to_string(),
        node.role.machine_type(),
    )
    .unwrap_or_else(|_| format!("{}-{}.yaml", cluster.name, node.hostname))
}
