//! talconfig.yaml's key vocabulary: one row per key talforge knows, per section, for the reader, the writer and `import`.
//!
//! Each section is a module holding one `const` per key and `ALL`, the section's rows in
//! talhelper's reference order. The reader accepts a section's [`Support::Read`] keys and
//! reads each through its constant; the writer writes through the same constants; `import`
//! (`script::unparse`) takes a key's script option name from [`Key::script`]. A row marked
//! [`Support::Unsupported`] makes its name an error that says talforge does not model it yet
//! (wherever it appears, so a misplaced known key is not called a typo); any other name is
//! an unknown key with the nearest [`Support::Read`] name of its section as a hint.

/// Where in talconfig.yaml a key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The top level (`TalhelperConfig`).
    Cluster,
    /// `cniConfig`.
    CniConfig,
    /// Keys of a node that `controlPlane:` and `worker:` may also set (`NodeConfigs`).
    NodeConfig,
    /// Keys only a `nodes[]` entry has.
    Node,
    /// `installDiskSelector`.
    DiskSelector,
    /// `kernelModules[]`.
    KernelModule,
    /// `networkInterfaces[]`.
    Interface,
    /// `networkInterfaces[].routes[]`.
    Route,
    /// `networkInterfaces[].vip`.
    Vip,
    /// `networkInterfaces[].bond`.
    Bond,
    /// `deviceSelector`, `bond.deviceSelectors[]`.
    DeviceSelector,
    /// `vip.hcloud`, `vip.equinixMetal`.
    VipProvider,
    /// `bridge`.
    Bridge,
    /// `bridge.stp`.
    BridgeStp,
    /// `bridge.vlan`.
    BridgeVlan,
    /// `bridgePort`.
    BridgePort,
    /// `vlans[]`.
    Vlan,
    /// `dhcpOptions`.
    DhcpOptions,
    /// `wireguard`.
    Wireguard,
    /// `wireguard.peers[]`.
    WireguardPeer,
    /// `ingressFirewall`.
    IngressFirewall,
    /// `ingressFirewall.rules[]`.
    NetworkRule,
    /// `rules[].portSelector`.
    PortSelector,
    /// `rules[].ingress[]`.
    IngressRule,
    /// `machineSpec`.
    MachineSpec,
    /// `imageFactory`.
    ImageFactory,
    /// `cniConfig.flannel`.
    Flannel,
    /// `inlineManifests[]`.
    InlineManifest,
    /// `machineDisks[]`.
    MachineDisk,
    /// `machineDisks[].partitions[]`.
    DiskPartition,
    /// `machineFiles[]`.
    MachineFile,
    /// `extensionServices[]`.
    ExtensionService,
    /// `extensionServices[].configFiles[]`.
    ConfigFile,
    /// `volumes[]`.
    Volume,
    /// `userVolumes[]`.
    UserVolume,
    /// `volumes[].provisioning` and `userVolumes[].provisioning`.
    Provisioning,
    /// `provisioning.diskSelector`.
    VolumeDiskSelector,
    /// `userVolumes[].filesystem`.
    Filesystem,
}

/// The YAML shape of a key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (any scalar, `${VAR}`s substituted).
    Str,
    /// `true` / `false`.
    Bool,
    /// A non-negative integer.
    U32,
    /// A list of strings.
    Strings,
    /// A mapping of strings to strings.
    StrMap,
    /// A nested section (a mapping).
    Map,
    /// A list of nested sections.
    List,
    /// Any YAML, kept as it is.
    Yaml,
}

/// Whether talforge models a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Read into the model and written back.
    Read,
    /// A talhelper key talforge does not model yet: an error that says so.
    Unsupported,
    /// A key talhelper v3.1.16 no longer reads (its Go struct has no field, and yaml.v3 skips
    /// unknown keys) that real configs still carry: a warning, then ignored as talhelper does.
    Ignored,
}

/// One talconfig.yaml key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key as talhelper spells it.
    pub name: &'static str,
    /// Its section.
    pub section: Section,
    /// The shape of its value.
    pub kind: Kind,
    /// Whether talforge reads it.
    pub support: Support,
    /// The script option that says the same (`import` writes it), if there is one.
    pub script: Option<&'static str>,
    /// What talforge does with it, where that is not obvious.
    pub notes: &'static str,
}

/// One module per section: `NAME = "key", Kind, Support, script option, "notes";` per row.
macro_rules! section {
    ($(#[$doc:meta])* $module:ident: $section:ident {
        $($const:ident = $name:literal, $kind:ident, $support:ident, $script:expr, $notes:literal;)*
    }) => {
        $(#[$doc])*
        pub mod $module {
            use $crate::talhelper::keys::{Key, Kind, Section, Support};
            $(
                #[doc = concat!("`", $name, "`: ", $notes)]
                pub const $const: Key = Key {
                    name: $name,
                    section: Section::$section,
                    kind: Kind::$kind,
                    support: Support::$support,
                    script: $script,
                    notes: $notes,
                };
            )*
            /// Every row of the section, in talhelper's reference order.
            pub const ALL: &[Key] = &[$($const),*];
        }
    };
}

mod machine;
mod network;
mod nodes;
#[cfg(test)]
mod tests;

pub use machine::*;
pub use network::*;
pub use nodes::*;

/// Every section's rows.
pub const SECTIONS: &[&[Key]] = &[
    cluster::ALL,
    cni_config::ALL,
    node_config::ALL,
    node::ALL,
    disk_selector::ALL,
    kernel_module::ALL,
    interface::ALL,
    device_selector::ALL,
    route::ALL,
    vip::ALL,
    vip_provider::ALL,
    bond::ALL,
    bridge::ALL,
    bridge_stp::ALL,
    bridge_vlan::ALL,
    bridge_port::ALL,
    vlan::ALL,
    dhcp_options::ALL,
    wireguard::ALL,
    wireguard_peer::ALL,
    ingress_firewall::ALL,
    network_rule::ALL,
    port_selector::ALL,
    ingress_rule::ALL,
    machine_spec::ALL,
    image_factory::ALL,
    flannel::ALL,
    inline_manifest::ALL,
    machine_disk::ALL,
    disk_partition::ALL,
    machine_file::ALL,
    extension_service::ALL,
    config_file::ALL,
    volume::ALL,
    user_volume::ALL,
    provisioning::ALL,
    volume_disk_selector::ALL,
    filesystem::ALL,
];

/// The names the reader accepts in a mapping made of `sections` (a node is `node` and
/// `node_config`), in row order.
pub fn accepted(sections: &[&[Key]]) -> Vec<&'static str> {
    sections
        .iter()
        .flat_map(|s| s.iter())
        .filter(|k| k.support == Support::Read)
        .map(|k| k.name)
        .collect()
}

/// The row of a key talhelper ignores, if `name` is one (in any section).
pub fn ignored(name: &str) -> Option<Key> {
    SECTIONS
        .iter()
        .flat_map(|s| s.iter())
        .find(|k| k.support == Support::Ignored && k.name == name)
        .copied()
}

/// Whether `name` is a talhelper key talforge does not model yet (in any section).
pub fn unsupported(name: &str) -> bool {
    SECTIONS
        .iter()
        .flat_map(|s| s.iter())
        .any(|k| k.support == Support::Unsupported && k.name == name)
}

/// The disk selector values of `s` with their rows, in talhelper's order (for the writers
/// that list them: talconfig.yaml, `import`, the REPL's node table).
pub fn disk_selector_fields(s: &crate::model::DiskSelector) -> [(Key, Option<&str>); 9] {
    use disk_selector::{BUS_PATH, MODALIAS, MODEL, NAME, SERIAL, SIZE, TYPE, UUID, WWID};
    [
        (SIZE, s.size.as_deref()),
        (MODEL, s.model.as_deref()),
        (TYPE, s.disk_type.as_deref()),
        (SERIAL, s.serial.as_deref()),
        (WWID, s.wwid.as_deref()),
        (BUS_PATH, s.bus_path.as_deref()),
        (NAME, s.name.as_deref()),
        (MODALIAS, s.modalias.as_deref()),
        (UUID, s.uuid.as_deref()),
    ]
}
