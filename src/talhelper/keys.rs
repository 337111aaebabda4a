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
            use super::{Key, Kind, Section, Support};
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

section! {
    /// The top level.
    cluster: Cluster {
        CLUSTER_NAME = "clusterName", Str, Read, None, "required; `cluster(name, ...)`";
        TALOS_VERSION = "talosVersion", Str, Read, Some("talos"), "default: talforge's default Talos";
        KUBERNETES_VERSION = "kubernetesVersion", Str, Read, Some("kubernetes"), "required";
        ENDPOINT = "endpoint", Str, Read, Some("endpoint"), "required";
        DOMAIN = "domain", Str, Read, Some("dns_domain"), "cluster DNS domain";
        ALLOW_SCHEDULING_ON_MASTERS = "allowSchedulingOnMasters", Bool, Read, None, "old spelling, read as the next";
        ALLOW_SCHEDULING_ON_CONTROL_PLANES = "allowSchedulingOnControlPlanes", Bool, Read, Some("allow_scheduling_on_control_planes"), "";
        ADDITIONAL_MACHINE_CERT_SANS = "additionalMachineCertSans", Strings, Read, Some("machine_cert_sans"), "";
        ADDITIONAL_API_SERVER_CERT_SANS = "additionalApiServerCertSans", Strings, Read, Some("cert_sans"), "";
        CLUSTER_POD_NETS = "clusterPodNets", Strings, Read, Some("pod_nets"), "CIDRs; empty keeps Talos' default";
        CLUSTER_SVC_NETS = "clusterSvcNets", Strings, Read, Some("service_nets"), "CIDRs; empty keeps Talos' default";
        CNI_CONFIG = "cniConfig", Map, Read, Some("cni"), "see `cni_config`";
        PATCHES = "patches", Strings, Read, None, "applied to every node, last; `c.patch(all, ...)`";
        CONTROL_PLANE = "controlPlane", Map, Read, None, "`node_config` keys for every control plane";
        WORKER = "worker", Map, Read, None, "`node_config` keys for every worker";
        NODES = "nodes", List, Read, None, "required, not empty; `c.node(...)`";
        IMAGE_FACTORY = "imageFactory", Map, Read, Some("image_factory"), "see `image_factory`";
        INLINE_MANIFESTS = "inlineManifests", List, Read, None, "`c.inline_manifest(name, contents)`";
    }
}

section! {
    /// `cniConfig`.
    cni_config: CniConfig {
        NAME = "name", Str, Read, Some("cni"), "`flannel`, `custom` or `none`";
        URLS = "urls", Strings, Read, Some("cni_urls"), "manifests of a `custom` CNI";
        FLANNEL = "flannel", Map, Read, None, "see `flannel`; `c.flannel(#{ extra_args })`";
    }
}

section! {
    /// Keys of a node that its role section may set too: a node's own non-empty value wins
    /// whole, except `certSANs` and `patches`, which add up.
    node_config: NodeConfig {
        NODE_LABELS = "nodeLabels", StrMap, Read, Some("labels"), "";
        NODE_ANNOTATIONS = "nodeAnnotations", StrMap, Read, Some("annotations"), "";
        NODE_TAINTS = "nodeTaints", StrMap, Read, Some("taints"), "`key: value:Effect`";
        KERNEL_MODULES = "kernelModules", List, Read, Some("kernel_modules"), "names, or `#{ name, parameters }`";
        NAMESERVERS = "nameservers", Strings, Read, Some("nameservers"), "IP addresses";
        NETWORK_INTERFACES = "networkInterfaces", List, Read, None, "`n.interface(...)` / `n.bond(...)`";
        CERT_SANS = "certSANs", Strings, Read, Some("cert_sans"), "node's, then its role's";
        PATCHES = "patches", Strings, Read, None, "role patches, then node patches";
        TALOS_IMAGE_URL = "talosImageURL", Str, Read, Some("image"), "installer image without tag";
        SCHEMATIC = "schematic", Yaml, Read, Some("schematic"), "Image Factory schematic of the installer, read as the factory does";
        DISABLE_SEARCH_DOMAIN = "disableSearchDomain", Bool, Read, Some("disable_search_domain"), "";
        INGRESS_FIREWALL = "ingressFirewall", Map, Read, Some("firewall"), "see `ingress_firewall`";
        MACHINE_SPEC = "machineSpec", Map, Read, Some("machine_spec"), "see `machine_spec`";
        IMAGE_SCHEMATIC = "imageSchematic", Yaml, Read, Some("image_schematic"), "schematic of the ISO / disk image";
        NO_SCHEMATIC_VALIDATE = "noSchematicValidate", Bool, Read, Some("no_schematic_validate"), "skips the official extension check";
        MACHINE_DISKS = "machineDisks", List, Read, None, "`n.machine_disk(device, partitions)`";
        MACHINE_FILES = "machineFiles", List, Read, None, "`n.file(path, #{ content, permissions, op })`";
        EXTRA_MANIFESTS = "extraManifests", Strings, Read, None, "`@./file` documents appended after the patches; `n.extra_manifest(name, content)`";
        EXTENSION_SERVICES = "extensionServices", List, Read, None, "`n.extension_service(name, ...)`";
        VOLUMES = "volumes", List, Read, None, "`n.volume(name, ...)` / `c.volume(name, ...)`";
        USER_VOLUMES = "userVolumes", List, Read, None, "`n.user_volume(name, ...)` / `c.user_volume(name, ...)`";
        FILENAME_TMPL = "filenameTmpl", Str, Read, Some("filename"), "`.ClusterName`, `.Hostname`, `.IPAddress`, `.Role`";
        EXTENSIONS = "extensions", List, Ignored, None, "talhelper v1's install extensions (`- image: …`); v2 replaced them with `schematic.customization.systemExtensions` and v3 ignores the key";
    }
}

section! {
    /// Keys only a `nodes[]` entry has.
    node: Node {
        HOSTNAME = "hostname", Str, Read, None, "required; `c.node(hostname, ...)`";
        IP_ADDRESS = "ipAddress", Str, Read, None, "required; the first of a comma-separated list";
        CONTROL_PLANE = "controlPlane", Bool, Read, Some("control_plane"), "";
        INSTALL_DISK = "installDisk", Str, Read, Some("install_disk"), "wins over `installDiskSelector`";
        INSTALL_DISK_SELECTOR = "installDiskSelector", Map, Read, Some("disk"), "see `disk_selector`";
        OVERRIDE_PATCHES = "overridePatches", Bool, Read, Some("override_patches"), "the node's patches replace its role's";
        IGNORE_HOSTNAME = "ignoreHostname", Bool, Read, Some("ignore_hostname"), "no static hostname";
        OVERRIDE_EXTRA_MANIFESTS = "overrideExtraManifests", Bool, Read, None, "the node's extra manifests replace its role's (resolved on read)";
        OVERRIDE_MACHINE_CERT_SANS = "overrideMachineCertSANs", Bool, Read, None, "the node's certSANs replace its role's (resolved on read)";
    }
}

section! {
    /// `installDiskSelector`: the disk selector fields talforge models, in talhelper's order.
    disk_selector: DiskSelector {
        SIZE = "size", Str, Read, Some("size"), "`>= 256GB`, `4GB`";
        MODEL = "model", Str, Read, Some("model"), "glob";
        TYPE = "type", Str, Read, Some("type"), "`nvme`, `ssd`, `hdd`, `sd`";
        SERIAL = "serial", Str, Read, Some("serial"), "";
        WWID = "wwid", Str, Read, Some("wwid"), "";
        BUS_PATH = "busPath", Str, Read, Some("bus_path"), "";
        NAME = "name", Str, Read, Some("name"), "device name glob";
        MODALIAS = "modalias", Str, Read, Some("modalias"), "";
        UUID = "uuid", Str, Read, Some("uuid"), "";
    }
}

section! {
    /// `kernelModules[]` entries.
    kernel_module: KernelModule {
        NAME = "name", Str, Read, None, "the module";
        PARAMETERS = "parameters", Strings, Read, Some("parameters"), "`key=value` each";
    }
}

section! {
    /// `networkInterfaces[]` entries (Talos' legacy `Device`).
    interface: Interface {
        INTERFACE = "interface", Str, Read, None, "the device name; may be left out with `deviceSelector`";
        DEVICE_SELECTOR = "deviceSelector", Map, Read, Some("select"), "see `device_selector`; `n.link(#{...})` when unnamed";
        ADDRESSES = "addresses", Strings, Read, Some("addresses"), "CIDRs or bare addresses";
        CIDR = "cidr", Str, Read, Some("cidr"), "legacy single address, before Talos 1.12";
        ROUTES = "routes", List, Read, Some("routes"), "see `route`";
        BOND = "bond", Map, Read, None, "see `bond`; `n.bond(name, links, ...)`";
        BRIDGE = "bridge", Map, Read, None, "see `bridge`; `n.bridge(name, links, ...)`";
        BRIDGE_PORT = "bridgePort", Map, Read, Some("bridge_port"), "`master`, before Talos 1.12";
        VLANS = "vlans", List, Read, Some("vlans"), "see `vlan`; `n.vlan(parent, id, ...)`";
        MTU = "mtu", U32, Read, Some("mtu"), "`0` is unset";
        DHCP = "dhcp", Bool, Read, Some("dhcp"), "";
        IGNORE = "ignore", Bool, Read, Some("ignore"), "before Talos 1.12";
        DUMMY = "dummy", Bool, Read, None, "`n.dummy(name, ...)`, before Talos 1.12";
        DHCP_OPTIONS = "dhcpOptions", Map, Read, Some("dhcp_options"), "see `dhcp_options`";
        WIREGUARD = "wireguard", Map, Read, None, "see `wireguard`; `n.wireguard(name, ...)`";
        VIP = "vip", Map, Read, Some("vip"), "see `vip`";
    }
}

section! {
    /// `deviceSelector` and `bond.deviceSelectors[]`: globs matched against the link.
    device_selector: DeviceSelector {
        BUS_PATH = "busPath", Str, Read, Some("bus_path"), "";
        HARDWARE_ADDR = "hardwareAddr", Str, Read, Some("mac"), "";
        PERMANENT_ADDR = "permanentAddr", Str, Read, Some("permanent_mac"), "";
        PCI_ID = "pciID", Str, Read, Some("pci_id"), "";
        DRIVER = "driver", Str, Read, Some("driver"), "";
        PHYSICAL = "physical", Bool, Read, Some("physical"), "";
    }
}

section! {
    /// `networkInterfaces[].routes[]` entries.
    route: Route {
        NETWORK = "network", Str, Read, Some("network"), "`0.0.0.0/0` is the default route";
        GATEWAY = "gateway", Str, Read, Some("gateway"), "";
        SOURCE = "source", Str, Read, Some("source"), "";
        METRIC = "metric", U32, Read, Some("metric"), "";
        MTU = "mtu", U32, Read, Some("mtu"), "";
    }
}

section! {
    /// `networkInterfaces[].vip` (and a VLAN's).
    vip: Vip {
        IP = "ip", Str, Read, Some("ip"), "`c.vip(...)` when every control plane shares it";
        EQUINIX_METAL = "equinixMetal", Map, Read, Some("equinix_metal"), "`apiToken`, before Talos 1.12";
        HCLOUD = "hcloud", Map, Read, Some("hcloud"), "`apiToken`, before Talos 1.12";
    }
}

section! {
    /// `vip.hcloud` / `vip.equinixMetal`.
    vip_provider: VipProvider {
        API_TOKEN = "apiToken", Str, Read, None, "a secret: written as a `${VAR}` reference";
    }
}

section! {
    /// `networkInterfaces[].bond`.
    bond: Bond {
        INTERFACES = "interfaces", Strings, Read, None, "the links; `n.bond(name, links, ...)`";
        DEVICE_SELECTORS = "deviceSelectors", List, Read, None, "members by hardware: selector maps among the links";
        ARP_IP_TARGET = "arpIPTarget", Strings, Read, Some("arp_ip_target"), "";
        MODE = "mode", Str, Read, Some("mode"), "";
        XMIT_HASH_POLICY = "xmitHashPolicy", Str, Read, Some("xmit_hash_policy"), "";
        LACP_RATE = "lacpRate", Str, Read, Some("lacp_rate"), "";
        AD_ACTOR_SYSTEM = "adActorSystem", Str, Read, Some("ad_actor_system"), "before Talos 1.12";
        ARP_VALIDATE = "arpValidate", Str, Read, Some("arp_validate"), "";
        ARP_ALL_TARGETS = "arpAllTargets", Str, Read, Some("arp_all_targets"), "";
        PRIMARY = "primary", Str, Read, Some("primary"), "before Talos 1.12";
        PRIMARY_RESELECT = "primaryReselect", Str, Read, Some("primary_reselect"), "";
        FAIL_OVER_MAC = "failOverMac", Str, Read, Some("fail_over_mac"), "";
        AD_SELECT = "adSelect", Str, Read, Some("ad_select"), "";
        MIIMON = "miimon", U32, Read, Some("miimon"), "";
        UPDELAY = "updelay", U32, Read, Some("updelay"), "";
        DOWNDELAY = "downdelay", U32, Read, Some("downdelay"), "";
        ARP_INTERVAL = "arpInterval", U32, Read, Some("arp_interval"), "";
        RESEND_IGMP = "resendIgmp", U32, Read, Some("resend_igmp"), "";
        MIN_LINKS = "minLinks", U32, Read, Some("min_links"), "";
        LP_INTERVAL = "lpInterval", U32, Read, Some("lp_interval"), "";
        PACKETS_PER_SLAVE = "packetsPerSlave", U32, Read, Some("packets_per_slave"), "";
        NUM_PEER_NOTIF = "numPeerNotif", U32, Read, Some("num_peer_notif"), "0-255";
        TLB_DYNAMIC_LB = "tlbDynamicLb", U32, Read, Some("tlb_dynamic_lb"), "0-255";
        ALL_SLAVES_ACTIVE = "allSlavesActive", U32, Read, Some("all_slaves_active"), "0-255";
        USE_CARRIER = "useCarrier", Bool, Read, Some("use_carrier"), "";
        AD_ACTOR_SYS_PRIO = "adActorSysPrio", U32, Read, Some("ad_actor_sys_prio"), "0-65535";
        AD_USER_PORT_KEY = "adUserPortKey", U32, Read, Some("ad_user_port_key"), "0-65535";
        PEER_NOTIFY_DELAY = "peerNotifyDelay", U32, Read, Some("peer_notify_delay"), "";
    }
}

section! {
    /// `networkInterfaces[].bridge`.
    bridge: Bridge {
        INTERFACES = "interfaces", Strings, Read, None, "the links; `n.bridge(name, links, ...)`";
        STP = "stp", Map, Read, Some("stp"), "`enabled`";
        VLAN = "vlan", Map, Read, Some("vlan_filtering"), "`vlanFiltering`";
    }
}

section! {
    /// `bridge.stp`.
    bridge_stp: BridgeStp {
        ENABLED = "enabled", Bool, Read, Some("stp"), "";
    }
}

section! {
    /// `bridge.vlan`.
    bridge_vlan: BridgeVlan {
        VLAN_FILTERING = "vlanFiltering", Bool, Read, Some("vlan_filtering"), "";
    }
}

section! {
    /// `bridgePort`.
    bridge_port: BridgePort {
        MASTER = "master", Str, Read, Some("bridge_port"), "";
    }
}

section! {
    /// `networkInterfaces[].vlans[]`.
    vlan: Vlan {
        ADDRESSES = "addresses", Strings, Read, Some("addresses"), "";
        CIDR = "cidr", Str, Read, None, "legacy single address";
        ROUTES = "routes", List, Read, Some("routes"), "";
        DHCP = "dhcp", Bool, Read, Some("dhcp"), "";
        VLAN_ID = "vlanId", U32, Read, Some("id"), "1-4094";
        MTU = "mtu", U32, Read, Some("mtu"), "";
        VIP = "vip", Map, Read, Some("vip"), "";
        DHCP_OPTIONS = "dhcpOptions", Map, Read, Some("dhcp_options"), "";
    }
}

section! {
    /// `dhcpOptions` of a device or VLAN.
    dhcp_options: DhcpOptions {
        ROUTE_METRIC = "routeMetric", U32, Read, Some("route_metric"), "";
        IPV4 = "ipv4", Bool, Read, Some("ipv4"), "default on";
        IPV6 = "ipv6", Bool, Read, Some("ipv6"), "default off";
        DUIDV6 = "duidv6", Str, Read, Some("duid_v6"), "";
    }
}

section! {
    /// `networkInterfaces[].wireguard`.
    wireguard: Wireguard {
        PRIVATE_KEY = "privateKey", Str, Read, Some("private_key"), "a secret: written as a `${VAR}` reference";
        LISTEN_PORT = "listenPort", U32, Read, Some("listen_port"), "";
        FIREWALL_MARK = "firewallMark", U32, Read, Some("firewall_mark"), "";
        PEERS = "peers", List, Read, Some("peers"), "see `wireguard_peer`";
    }
}

section! {
    /// `wireguard.peers[]`.
    wireguard_peer: WireguardPeer {
        PUBLIC_KEY = "publicKey", Str, Read, Some("public_key"), "";
        ENDPOINT = "endpoint", Str, Read, Some("endpoint"), "`ip:port` (others are dropped on Talos 1.12+)";
        PERSISTENT_KEEPALIVE_INTERVAL = "persistentKeepaliveInterval", Str, Read, Some("keepalive"), "a Go duration";
        ALLOWED_IPS = "allowedIPs", Strings, Read, Some("allowed_ips"), "";
    }
}

section! {
    /// `ingressFirewall`.
    ingress_firewall: IngressFirewall {
        DEFAULT_ACTION = "defaultAction", Str, Read, Some("default_action"), "`accept` (default) or `block`";
        RULES = "rules", List, Read, Some("rules"), "see `network_rule`";
    }
}

section! {
    /// `ingressFirewall.rules[]`.
    network_rule: NetworkRule {
        NAME = "name", Str, Read, Some("name"), "required";
        PORT_SELECTOR = "portSelector", Map, Read, None, "`ports` and `protocol`";
        INGRESS = "ingress", List, Read, Some("ingress"), "source subnets";
    }
}

section! {
    /// `ingressFirewall.rules[].portSelector`.
    port_selector: PortSelector {
        PORTS = "ports", Strings, Read, Some("ports"), "ports and `lo-hi` ranges";
        PROTOCOL = "protocol", Str, Read, Some("protocol"), "`tcp`, `udp`, `icmp`, `icmpv6`";
    }
}

section! {
    /// `ingressFirewall.rules[].ingress[]`.
    ingress_rule: IngressRule {
        SUBNET = "subnet", Str, Read, Some("subnet"), "";
        EXCEPT = "except", Str, Read, Some("except"), "";
    }
}

section! {
    /// `machineSpec`: what boots the node's image (talhelper's defaults: metal, amd64, iso).
    machine_spec: MachineSpec {
        MODE = "mode", Str, Read, Some("mode"), "`metal` or a platform";
        ARCH = "arch", Str, Read, Some("arch"), "`amd64`, `arm64`";
        SECUREBOOT = "secureboot", Bool, Read, Some("secureboot"), "the `-secureboot` installer and image";
        USE_UKI = "useUKI", Bool, Read, Some("use_uki"), "the `.efi` image with secure boot";
        BOOT_METHOD = "bootMethod", Str, Read, Some("boot_method"), "`iso`, `disk-image`, `pxe`";
        IMAGE_SUFFIX = "imageSuffix", Str, Read, Some("image_suffix"), "`raw.zst`, `qcow2`, ...";
    }
}

section! {
    /// `cniConfig.flannel` (Talos' `FlannelCNIConfig`).
    flannel: Flannel {
        EXTRA_ARGS = "extraArgs", Strings, Read, Some("extra_args"), "";
        KUBE_NETWORK_POLICIES_ENABLED = "kubeNetworkPoliciesEnabled", Bool, Unsupported, None, "";
    }
}

section! {
    /// `imageFactory`: where schematics and images come from.
    image_factory: ImageFactory {
        REGISTRY_URL = "registryURL", Str, Read, Some("registry_url"), "default `factory.talos.dev`";
        SCHEMATIC_ENDPOINT = "schematicEndpoint", Str, Read, Some("schematic_endpoint"), "default `/schematics`";
        PROTOCOL = "protocol", Str, Read, Some("protocol"), "default `https`";
        INSTALLER_URL_TMPL = "installerURLTmpl", Str, Read, Some("installer_url_tmpl"), "Go template";
        ISO_URL_TMPL = "ISOURLTmpl", Str, Read, Some("image_url_tmpl"), "Go template";
    }
}

section! {
    /// `inlineManifests[]` entries.
    inline_manifest: InlineManifest {
        NAME = "name", Str, Read, None, "";
        CONTENTS = "contents", Str, Read, None, "YAML text, or `@./file`";
        SKIP_ENVSUBST = "skipEnvsubst", Bool, Read, None, "an `@./file`'s `${VAR}`s stay as written";
    }
}

section! {
    /// `machineDisks[]` entries (Talos' legacy `MachineDisk`).
    machine_disk: MachineDisk {
        DEVICE = "device", Str, Read, None, "";
        PARTITIONS = "partitions", List, Read, None, "";
    }
}

section! {
    /// `machineDisks[].partitions[]` entries.
    disk_partition: DiskPartition {
        SIZE = "size", Yaml, Read, Some("size"), "bytes or `100 GB`";
        MOUNTPOINT = "mountpoint", Str, Read, Some("mountpoint"), "";
    }
}

section! {
    /// `machineFiles[]` entries (Talos' `MachineFile`).
    machine_file: MachineFile {
        CONTENT = "content", Str, Read, Some("content"), "text, or `@./file`";
        PERMISSIONS = "permissions", U32, Read, Some("permissions"), "`0o644`";
        PATH = "path", Str, Read, None, "";
        OP = "op", Str, Read, Some("op"), "`create`, `append` or `overwrite`";
        SKIP_ENVSUBST = "skipEnvsubst", Bool, Read, None, "an `@./file`'s `${VAR}`s stay as written";
    }
}

section! {
    /// `extensionServices[]` entries (Talos' `ExtensionServiceConfig`).
    extension_service: ExtensionService {
        NAME = "name", Str, Read, None, "";
        CONFIG_FILES = "configFiles", List, Read, Some("config_files"), "";
        ENVIRONMENT = "environment", Strings, Read, Some("environment"), "`KEY=value` each";
    }
}

section! {
    /// `extensionServices[].configFiles[]` entries.
    config_file: ConfigFile {
        CONTENT = "content", Str, Read, Some("content"), "";
        MOUNT_PATH = "mountPath", Str, Read, Some("mount_path"), "";
    }
}

section! {
    /// `volumes[]` entries (Talos' `VolumeConfig`).
    volume: Volume {
        NAME = "name", Str, Read, None, "`STATE`, `EPHEMERAL` or `IMAGECACHE`";
        PROVISIONING = "provisioning", Map, Read, None, "see `provisioning`";
        ENCRYPTION = "encryption", Yaml, Read, Some("encryption"), "Talos' `EncryptionSpec`, kept as written";
    }
}

section! {
    /// `userVolumes[]` entries (Talos' `UserVolumeConfig`).
    user_volume: UserVolume {
        NAME = "name", Str, Read, None, "";
        VOLUME_TYPE = "volumeType", Str, Read, Some("type"), "`partition`, `directory` or `disk`";
        PROVISIONING = "provisioning", Map, Read, None, "see `provisioning`";
        FILESYSTEM = "filesystem", Map, Read, None, "see `filesystem`";
        ENCRYPTION = "encryption", Yaml, Read, Some("encryption"), "Talos' `EncryptionSpec`, kept as written";
    }
}

section! {
    /// `provisioning` of a volume or user volume (Talos' `ProvisioningSpec`).
    provisioning: Provisioning {
        DISK_SELECTOR = "diskSelector", Map, Read, None, "see `volume_disk_selector`";
        GROW = "grow", Bool, Read, Some("grow"), "";
        MIN_SIZE = "minSize", Str, Read, Some("min_size"), "";
        MAX_SIZE = "maxSize", Str, Read, Some("max_size"), "bytes or a percentage";
    }
}

section! {
    /// `provisioning.diskSelector`.
    volume_disk_selector: VolumeDiskSelector {
        MATCH = "match", Str, Read, Some("disk"), "a CEL expression over `disk`";
    }
}

section! {
    /// `userVolumes[].filesystem`.
    filesystem: Filesystem {
        TYPE = "type", Str, Read, Some("filesystem"), "`xfs` or `ext4`";
        PROJECT_QUOTA_SUPPORT = "projectQuotaSupport", Bool, Read, Some("project_quota"), "";
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_section_and_sections_match() {
        for rows in SECTIONS {
            for (i, k) in rows.iter().enumerate() {
                assert_eq!(k.section, rows[0].section, "{}", k.name);
                assert!(
                    !rows[..i].iter().any(|o| o.name == k.name),
                    "`{}` twice in {:?}",
                    k.name,
                    k.section
                );
            }
        }
        // A node reads `node` and `node_config` together: no name in both.
        for k in node::ALL {
            assert!(
                !node_config::ALL.iter().any(|o| o.name == k.name),
                "{}",
                k.name
            );
        }
    }

    #[test]
    fn unsupported_keys_are_not_also_read_elsewhere() {
        let read: Vec<&str> = SECTIONS.iter().flat_map(|s| accepted(&[s])).collect();
        for k in SECTIONS.iter().flat_map(|s| s.iter()) {
            if k.support == Support::Unsupported {
                assert!(!read.contains(&k.name), "{}", k.name);
                assert!(k.script.is_none(), "{}", k.name);
            }
        }
        assert!(unsupported("kubeNetworkPoliciesEnabled"));
        assert!(!unsupported("mtu") && !unsupported("vlans") && !unsupported("deviceSelector"));
        assert!(!unsupported("machineSpec") && !unsupported("imageFactory"));
        assert!(!unsupported("filenameTmpl") && !unsupported("volumes"));
    }

    #[test]
    fn script_options_are_snake_case() {
        for k in SECTIONS.iter().flat_map(|s| s.iter()) {
            if let Some(s) = k.script {
                assert!(
                    s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{}: {s}",
                    k.name
                );
            }
        }
    }
}
