//! The typed cluster domain: fleets, clusters, nodes, network devices, patches; no Rhai, no I/O.

mod cluster;
pub mod defaults;
mod env;
mod firewall;
mod image;
mod link;
mod machine;
mod net;
mod node;
mod patch;
mod storage;
mod version;

pub use cluster::{Cilium, Cluster, Cni, Fleet, NodeImageDefaults, SopsRecipients, TalosMode};
pub use env::{EnvPiece, EnvVar, env_pieces, record_env_var};
pub use firewall::{
    FIREWALL_PROTOCOLS, Firewall, FirewallRule, parse_port_range, port_ranges_error,
};
pub use image::{
    BOOT_METHODS, Customization, DEFAULT_REGISTRY, ImageFactory, MachineSpec, MetaValue, Overlay,
    ResolvedFactory, ResolvedSpec, Schematic, SpecError,
};
pub use link::{
    Bridge, DeviceSelector, DhcpOptions, VipProvider, Vlan, Wireguard, WireguardPeer, go_duration,
};
pub use machine::{
    ExtensionService, ExtraManifest, FILE_OPS, FileNameError, FlannelOptions, InlineManifest,
    KernelModule, MachineFile, fill_filename_template,
};
pub use net::{
    BOND_MODES, BOND_XMIT_HASH_POLICIES, Bond, Cidr, Interface, Route, ip_add, parse_ip,
};
pub use node::{DiskSelector, InstallDisk, Node, NodeAddr, Role, Taint};
pub use patch::{Patch, PatchSource, PatchTarget, PatchTemplate, PatchTemplateError, RenderPatch};
pub use storage::{
    DiskPartition, FILESYSTEM_TYPES, MachineDisk, Provisioning, SYSTEM_VOLUMES, USER_VOLUME_TYPES,
    UserVolume, Volume, size_error, user_volume_name_error,
};
pub use version::Version;
