//! A Talos cluster and a fleet of them, with every cluster-wide setting a script can make.

use super::firewall::Firewall;
use super::image::{ImageFactory, MachineSpec, Schematic};
use super::machine::{FlannelOptions, InlineManifest};
use super::net::{Cidr, Interface};
use super::node::Node;
use super::patch::Patch;
use super::storage::{UserVolume, Volume};
use super::version::Version;
use crate::diag::Span;
use std::net::IpAddr;

/// The CNI Talos deploys.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cni {
    /// Talos' default (flannel); talconfig has no `cniConfig`.
    #[default]
    Default,
    /// Explicit flannel.
    Flannel,
    /// No CNI (Cilium is installed separately).
    None,
    /// Custom manifests from URLs.
    Custom(Vec<String>),
}

/// How the nodes run Talos, which decides the rules the configs are validated with
/// (`talosctl validate --mode`, talhelper's `genconfig --talos-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TalosMode {
    /// Bare metal: an install disk is required, install kernel args follow the bootloader.
    #[default]
    Metal,
    /// Cloud images: no install section needed.
    Cloud,
    /// Talos in containers (docker).
    Container,
}

impl TalosMode {
    /// The names, as the flag and the script option spell them.
    pub const NAMES: [&'static str; 3] = ["metal", "cloud", "container"];

    /// The mode's name.
    pub fn as_str(self) -> &'static str {
        match self {
            TalosMode::Metal => "metal",
            TalosMode::Cloud => "cloud",
            TalosMode::Container => "container",
        }
    }

    /// The mode named `s`, if any.
    pub fn parse(s: &str) -> Option<TalosMode> {
        match s {
            "metal" => Some(TalosMode::Metal),
            "cloud" => Some(TalosMode::Cloud),
            "container" => Some(TalosMode::Container),
            _ => None,
        }
    }
}

/// Cilium identity recorded by `cilium_ready()` (Cluster Mesh needs unique ids).
#[derive(Debug, Clone, PartialEq)]
pub struct Cilium {
    /// Cilium `cluster.name`.
    pub name: String,
    /// Cilium `cluster.id` (1–255).
    pub id: i64,
    /// The `cilium_ready()` call.
    pub span: Option<Span>,
}

/// age recipients for the cluster's SOPS rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SopsRecipients {
    /// `age1...` public keys.
    pub age: Vec<String>,
}

/// One Talos cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// `clusterName`.
    pub name: String,
    /// Control-plane endpoint URL (`https://10.25.11.10:6443`).
    pub endpoint: String,
    /// Talos version; decides the machine-config contract.
    pub talos_version: Version,
    /// Kubernetes version.
    pub kubernetes_version: Version,
    /// Pod networks (`clusterPodNets`).
    pub pod_nets: Vec<Cidr>,
    /// Service networks (`clusterSvcNets`).
    pub service_nets: Vec<Cidr>,
    /// Cluster DNS domain; `None` = Talos default `cluster.local`.
    pub dns_domain: Option<String>,
    /// `allowSchedulingOnControlPlanes`.
    pub allow_scheduling_on_control_planes: bool,
    /// Extra API server cert SANs (`additionalApiServerCertSans`).
    pub api_server_cert_sans: Vec<String>,
    /// Extra machine cert SANs for every node (`additionalMachineCertSans`).
    pub machine_cert_sans: Vec<String>,
    /// DNS nameservers for every node (a node's own list wins).
    pub nameservers: Vec<IpAddr>,
    /// NTP servers (written as a generated `time` patch).
    pub ntp: Vec<String>,
    /// CNI.
    pub cni: Cni,
    /// kube-proxy disabled (`cluster.proxy.disabled`).
    pub proxy_disabled: bool,
    /// Cilium identity, set by `cilium_ready()`.
    pub cilium: Option<Cilium>,
    /// SOPS age recipients for this cluster's encrypted files.
    pub sops: SopsRecipients,
    /// Nodes, in script order.
    pub nodes: Vec<Node>,
    /// Patches, in declaration order.
    pub patches: Vec<Patch>,
    /// Cluster-wide default interfaces (copied into each node by `model::defaults`).
    pub default_interfaces: Vec<Interface>,
    /// Shared control-plane VIP (set with `vip()`), announced on each control plane's first
    /// interface.
    pub vip: Option<IpAddr>,
    /// Ingress firewall for every node that sets none of its own.
    pub firewall: Option<Firewall>,
    /// Clusters naming the same mesh can reach each other's pods (a routed or VPN network
    /// besides Cilium Cluster Mesh), so their pod networks must not overlap.
    pub mesh: Option<String>,
    /// Where schematics and images come from (`imageFactory`).
    pub image_factory: ImageFactory,
    /// Script defaults copied into each node that sets none by the script layer: machine
    /// spec, schematic and `no_schematic_validate`.
    pub node_image_defaults: NodeImageDefaults,
    /// `cniConfig.flannel` options (with the flannel CNI).
    pub flannel: Option<FlannelOptions>,
    /// Kubernetes manifests the control plane applies (`inlineManifests`).
    pub inline_manifests: Vec<InlineManifest>,
    /// Volume configs for every node that does not declare one of the same name.
    pub default_volumes: Vec<Volume>,
    /// User volumes for every node that does not declare one of the same name.
    pub default_user_volumes: Vec<UserVolume>,
    /// The mode the configs are validated for (`talos_mode:`; talhelper's `--talos-mode`).
    pub talos_mode: TalosMode,
    /// The environment variables its description read (`env()`, `${VAR}`), in order of
    /// first use: tracked files get `${NAME}` back, never a secret value.
    pub env_vars: Vec<super::EnvVar>,
    /// The `cluster()` call.
    pub span: Option<Span>,
}

/// Image settings a script gives every node of a cluster (a node's own win).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeImageDefaults {
    /// `machine_spec`.
    pub machine_spec: MachineSpec,
    /// `schematic`.
    pub schematic: Option<Schematic>,
    /// `no_schematic_validate`.
    pub no_schematic_validate: bool,
}

impl Cluster {
    /// A cluster with Talos' defaults for everything optional.
    pub fn new(
        name: impl Into<String>,
        endpoint: impl Into<String>,
        talos_version: Version,
        kubernetes_version: Version,
    ) -> Self {
        Cluster {
            name: name.into(),
            endpoint: endpoint.into(),
            talos_version,
            kubernetes_version,
            pod_nets: vec![Cidr::parse("10.244.0.0/16").expect("valid default")],
            service_nets: vec![Cidr::parse("10.96.0.0/12").expect("valid default")],
            dns_domain: None,
            allow_scheduling_on_control_planes: false,
            api_server_cert_sans: Vec::new(),
            machine_cert_sans: Vec::new(),
            nameservers: Vec::new(),
            ntp: Vec::new(),
            cni: Cni::Default,
            proxy_disabled: false,
            cilium: None,
            sops: SopsRecipients::default(),
            nodes: Vec::new(),
            patches: Vec::new(),
            default_interfaces: Vec::new(),
            vip: None,
            firewall: None,
            mesh: None,
            image_factory: ImageFactory::default(),
            node_image_defaults: NodeImageDefaults::default(),
            flannel: None,
            inline_manifests: Vec::new(),
            default_volumes: Vec::new(),
            default_user_volumes: Vec::new(),
            talos_mode: TalosMode::Metal,
            env_vars: Vec::new(),
            span: None,
        }
    }

    /// Host part of the endpoint URL (`10.25.11.10`).
    pub fn endpoint_host(&self) -> Option<&str> {
        let rest = self
            .endpoint
            .split_once("://")
            .map_or(&*self.endpoint, |(_, r)| r);
        let hostport = rest.split('/').next()?;
        if let Some(v6) = hostport.strip_prefix('[') {
            return v6.split(']').next();
        }
        Some(hostport.rsplit_once(':').map_or(hostport, |(h, _)| h))
    }

    /// Control-plane nodes in order.
    pub fn control_planes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.is_control_plane())
    }
}

/// Every cluster one evaluation produced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fleet {
    /// Clusters in declaration order.
    pub clusters: Vec<Cluster>,
}
