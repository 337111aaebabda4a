//! A machine of a cluster: hostname, address, role, install target, labels and network devices.

use super::firewall::Firewall;
use super::image::{MachineSpec, Schematic};
use super::net::Interface;
use crate::diag::Span;
use indexmap::IndexMap;
use std::net::IpAddr;

/// Where talosctl reaches a node: an IP address or, as talhelper allows, a DNS name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeAddr {
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A DNS name (`k8s-1.example.internal`).
    Name(String),
}

impl NodeAddr {
    /// The address, when it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            NodeAddr::Ip(ip) => Some(*ip),
            NodeAddr::Name(_) => None,
        }
    }
}

impl From<IpAddr> for NodeAddr {
    fn from(ip: IpAddr) -> Self {
        NodeAddr::Ip(ip)
    }
}

impl PartialEq<IpAddr> for NodeAddr {
    fn eq(&self, other: &IpAddr) -> bool {
        self.ip() == Some(*other)
    }
}

impl std::fmt::Display for NodeAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NodeAddr::Ip(ip) => ip.fmt(f),
            NodeAddr::Name(n) => f.write_str(n),
        }
    }
}

/// Control plane or worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Runs etcd and the Kubernetes control plane.
    ControlPlane,
    /// Runs workloads only.
    Worker,
}

impl Role {
    /// Talos' `machine.type` value.
    pub fn machine_type(self) -> &'static str {
        match self {
            Role::ControlPlane => "controlplane",
            Role::Worker => "worker",
        }
    }
}

/// Talos `machine.install.diskSelector` fields talforge supports.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiskSelector {
    /// Size expression (`>= 256GB`, `4GB`).
    pub size: Option<String>,
    /// Disk model glob.
    pub model: Option<String>,
    /// `nvme`, `ssd`, `hdd`, `sd`.
    pub disk_type: Option<String>,
    /// Disk serial.
    pub serial: Option<String>,
    /// Disk WWID.
    pub wwid: Option<String>,
    /// Bus path.
    pub bus_path: Option<String>,
}

/// Where Talos installs itself.
#[derive(Debug, Clone, PartialEq)]
pub enum InstallDisk {
    /// A device path (`/dev/nvme0n1`).
    Path(String),
    /// A disk selector.
    Selector(DiskSelector),
}

/// A Kubernetes node taint.
#[derive(Debug, Clone, PartialEq)]
pub struct Taint {
    /// Taint key.
    pub key: String,
    /// Taint value (may be empty).
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
}

/// One machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Static hostname (also the talhelper output file name part).
    pub hostname: String,
    /// Address talosctl uses to reach the node.
    pub ip: NodeAddr,
    /// Control plane or worker.
    pub role: Role,
    /// Install disk or selector.
    pub install: Option<InstallDisk>,
    /// Explicit installer image without tag (`talosImageURL`); default is the Image Factory.
    pub image: Option<String>,
    /// Image Factory schematic of the installer (`schematic`); `None` = the empty schematic.
    pub schematic: Option<Schematic>,
    /// Schematic of the ISO or disk image, when it differs (`imageSchematic`).
    pub image_schematic: Option<Schematic>,
    /// Machine mode, architecture, secure boot and boot media (`machineSpec`).
    pub machine_spec: MachineSpec,
    /// Skip checking the schematic against the official extensions (`noSchematicValidate`).
    pub no_schematic_validate: bool,
    /// Kubernetes node labels, in script order.
    pub labels: IndexMap<String, String>,
    /// Kubernetes node annotations, in script order.
    pub annotations: IndexMap<String, String>,
    /// Kubernetes node taints.
    pub taints: Vec<Taint>,
    /// Extra machine cert SANs for this node.
    pub cert_sans: Vec<String>,
    /// Network devices (cluster defaults applied by `model::defaults`).
    pub interfaces: Vec<Interface>,
    /// Kernel modules to load.
    pub kernel_modules: Vec<String>,
    /// DNS nameservers for this node (cluster default applied by `model::defaults`).
    pub nameservers: Vec<IpAddr>,
    /// Leave the domain of the hostname out of the DNS search list (`disableSearchDomain`).
    pub disable_search_domain: bool,
    /// Host ingress firewall (`ingressFirewall`).
    pub firewall: Option<Firewall>,
    /// The `node()` call.
    pub span: Option<Span>,
}

impl Node {
    /// A node with only the required fields set.
    pub fn new(hostname: impl Into<String>, ip: impl Into<NodeAddr>, role: Role) -> Self {
        Node {
            hostname: hostname.into(),
            ip: ip.into(),
            role,
            install: None,
            image: None,
            schematic: None,
            image_schematic: None,
            machine_spec: MachineSpec::default(),
            no_schematic_validate: false,
            labels: IndexMap::new(),
            annotations: IndexMap::new(),
            taints: Vec::new(),
            cert_sans: Vec::new(),
            interfaces: Vec::new(),
            kernel_modules: Vec::new(),
            nameservers: Vec::new(),
            disable_search_domain: false,
            firewall: None,
            span: None,
        }
    }

    /// Whether this is a control plane.
    pub fn is_control_plane(&self) -> bool {
        self.role == Role::ControlPlane
    }
}
