//! talconfig.yaml's cluster, node and node-config sections (with disk selectors and kernel modules).

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
        CONFIG_PATCHES = "configPatches", List, Ignored, None, "talhelper v1's JSON6902 patches; v2 replaced them with `patches` and v3 ignores the key (its patches are not applied)";
        INLINE_PATCH = "inlinePatch", Map, Ignored, None, "talhelper v1's strategic merge patch; v2 replaced it with `patches` and v3 ignores the key (its patch is not applied)";
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
