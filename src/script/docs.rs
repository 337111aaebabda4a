//! Documentation of every host and stdlib function, with runnable examples (`talforge doc`).

use super::stdlib::STDLIB;

/// One documented function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnDoc {
    /// `None` for host functions, the module name for stdlib functions.
    pub module: Option<&'static str>,
    /// Call signature as users write it.
    pub signature: String,
    /// What it does (markdown, no example).
    pub summary: String,
    /// A runnable Rhai example.
    pub example: Option<String>,
}

/// Host functions registered by `script::api`, with examples that the tests run.
const HOST: &[(&str, &str, &str)] = &[
    (
        "cluster(name, #{ endpoint, talos, kubernetes, pod_nets, service_nets, dns_domain, allow_scheduling_on_control_planes, cert_sans, machine_cert_sans, nameservers, ntp, cni, cni_urls, age, mesh, talos_mode, machine_spec, schematic, no_schematic_validate, image_factory })",
        "Declares a cluster and returns its handle. `endpoint` is required; pin `talos` (it defaults to v1.13.9, the newest stable Talos talforge knows, and `run` warns without it); `kubernetes` defaults to that Talos release's default (v1.36.3 for v1.13). `talos_mode` (`metal`, `cloud`, `container`) is the `talosctl validate --mode` the configs pass; only metal needs an install disk. `machine_spec`, `schematic` and `no_schematic_validate` are defaults for nodes that set none; `image_factory` (`registry_url`, `schematic_endpoint`, `protocol`, `installer_url_tmpl`, `image_url_tmpl`) is talhelper's `imageFactory`.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443", kubernetes: "v1.34.1" });
assert_eq(c.name, "lab");"#,
    ),
    (
        "cluster.node(hostname, ip, #{ control_plane, install_disk, disk, image, schematic, image_schematic, machine_spec, no_schematic_validate, labels, annotations, taints, cert_sans, kernel_modules, nameservers, disable_search_domain, firewall, ignore_hostname, override_patches, filename })",
        "Adds a node and returns its handle. `disk` is a selector map (`size`, `model`, `type`, `serial`, `wwid`, `bus_path`, `name`, `modalias`, `uuid`) used instead of `install_disk`. `disable_search_domain: true` keeps the hostname's domain out of the DNS search list; `firewall` takes the map `node.firewall(...)` does. `schematic` is the Image Factory document (`customization`: `extraKernelArgs`, `meta`, `systemExtensions.officialExtensions`, `bootloader`, `secureboot`; `overlay`: `image`, `name`, `options`); its extensions must be official for the cluster's Talos unless `no_schematic_validate`. `image_schematic` is the ISO's when it differs. `machine_spec` is `#{ mode, arch, secureboot, use_uki, boot_method, image_suffix }`; the installer image follows from both unless `image` names one. `ignore_hostname: true` leaves the hostname to Talos, `override_patches: true` drops the role's patches when the node has its own, `filename` names the output file (talhelper's `filenameTmpl`: `{{.ClusterName}}`, `{{.Hostname}}`, `{{.IPAddress}}`, `{{.Role}}`).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
let n = c.node("lab-1", ip("10.0.0.11"), #{ control_plane: true, install_disk: "/dev/sda", labels: #{ zone: "a" },
    machine_spec: #{ secureboot: true },
    schematic: #{ customization: #{ systemExtensions: #{ officialExtensions: ["siderolabs/intel-ucode"] } } } });
assert_eq(n.hostname, "lab-1");
assert(n.control_plane);"#,
    ),
    (
        "node.bond(name, links, #{ mode, lacp_rate, xmit_hash_policy, miimon, updelay, downdelay, min_links, ad_select, arp_ip_target, arp_interval, arp_validate, arp_all_targets, primary, primary_reselect, fail_over_mac, ad_actor_system, ad_actor_sys_prio, ad_user_port_key, resend_igmp, lp_interval, packets_per_slave, num_peer_notif, tlb_dynamic_lb, all_slaves_active, use_carrier, peer_notify_delay, ...interface options })",
        "Adds a bond to a node and returns the node, so calls chain. A member is a link name or a selector map (`#{ mac: \"58:47:ca:*\", driver: \"i40e\" }`, becoming `<bond>-m<n>` aliases on Talos 1.12+). Every Talos bond option is accepted; values BondConfig cannot express are dropped as talhelper drops them. On a cluster, `cluster.bond(...)` sets the default for every node that does not declare an interface of that name.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .bond("bond0", ["eth0", #{ mac: "58:47:ca:76:9d:*" }], #{ mode: "802.3ad", lacp_rate: "fast", mtu: 9000, dhcp: true });"#,
    ),
    (
        "node.interface(name, #{ mtu, dhcp, dhcp_options, addresses, routes, vip, select, vlans, ignore, bridge_port, cidr })",
        "Adds a plain link to a node (or, on a cluster, to every node). Routes are maps `#{ network, gateway, source, metric, mtu }`; a route without `network` is the default route. `dhcp_options` is `#{ route_metric, ipv4, ipv6, duid_v6 }` (DHCPv4 stays on unless `ipv4: false`). `vip` is an address or `#{ ip, hcloud: token }` / `#{ ip, equinix_metal: token }`. `select` picks the link by hardware as `node.link` does, keeping the name as its alias. `vlans` is a list of `#{ id, ... }` maps as `node.vlan` takes. `mtu: 0` means unset.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .interface("eth0", #{ addresses: ["10.0.0.11/24"], routes: [#{ gateway: "10.0.0.1" }] })
 .interface("net1", #{ select: #{ driver: "i40e" }, dhcp: true, dhcp_options: #{ ipv6: true, route_metric: 1024 } });"#,
    ),
    (
        "node.link(#{ mac, permanent_mac, bus_path, driver, pci_id, physical } [, #{ ...interface options }])",
        "Adds a link picked by its hardware instead of its name (Talos `deviceSelector`); each field is a glob and all set fields must match one link. On Talos 1.12+ it becomes a `LinkAliasConfig` named as talhelper names it (`ethSel0`, `ethSel1`, ...).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .link(#{ mac: "00:50:56:*" }, #{ addresses: ["10.0.0.11/24"], routes: [#{ gateway: "10.0.0.1" }] });"#,
    ),
    (
        "node.vlan(parent, id, #{ addresses, routes, dhcp, dhcp_options, mtu, vip })",
        "Adds VLAN `id` (1-4094) on the node's device `parent` (declared as a plain link if the node has none by that name); on Talos 1.12+ it is the `VLANConfig` `<parent>.<id>`.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .interface("eth0", #{ dhcp: true })
 .vlan("eth0", 20, #{ addresses: ["10.0.20.11/24"] })
 .vlan("eth0", 30, #{ dhcp: true });"#,
    ),
    (
        "node.bridge(name, links, #{ stp, vlan_filtering, ...interface options })",
        "Adds a bridge over `links` (Talos `BridgeConfig` on 1.12+).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .bridge("br0", ["eth0", "eth1"], #{ stp: true, addresses: ["10.0.0.11/24"] });"#,
    ),
    (
        "node.wireguard(name, #{ private_key, listen_port, firewall_mark, peers, ...interface options })",
        "Adds a WireGuard tunnel. `peers` are maps `#{ public_key, endpoint, keepalive, allowed_ips }` (`keepalive` is a duration like `25s`). The private key is a secret: it reaches the encrypted machine configs, so keep the script that holds it out of public repositories.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .wireguard("wg0", #{ private_key: "cHJpdmF0ZWtleXByaXZhdGVrZXlwcml2YXRla2V5MTI=", listen_port: 51820,
   addresses: ["10.8.0.1/24"],
   peers: [#{ public_key: "cHVibGlja2V5cHVibGlja2V5cHVibGlja2V5cHViMTI=", endpoint: "192.0.2.1:51820", keepalive: "25s", allowed_ips: ["10.8.0.0/24"] }] });"#,
    ),
    (
        "node.dummy(name [, #{ addresses, mtu, routes }])",
        "Adds a dummy link (Talos' legacy `dummy: true` device, before 1.12).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .dummy("dummy0", #{ addresses: ["192.0.2.1/32"] });"#,
    ),
    (
        "node.firewall(#{ default_action, rules }), cluster.firewall(#{ ... })",
        "Sets the host ingress firewall (`NetworkDefaultActionConfig` + one `NetworkRuleConfig` per rule). `default_action` is `accept` (Talos' default) or `block`; a rule is `#{ name, ports, protocol, ingress }` with ports like `10250` or `\"2379-2380\"`, protocol `tcp`/`udp`/`icmp`/`icmpv6` and ingress subnets (or `#{ subnet, except }`). On a cluster it applies to every node without its own.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.firewall(#{ default_action: "block", rules: [
  #{ name: "kubelet", ports: [10250], protocol: "tcp", ingress: ["10.0.0.0/24"] },
  #{ name: "etcd", ports: ["2379-2380"], protocol: "tcp", ingress: [#{ subnet: "10.0.0.0/24", except: "10.0.0.99/32" }] },
] });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" });"#,
    ),
    (
        "cluster.vip(ip)",
        "Sets the shared control-plane VIP, announced on each control plane's first link (a Layer2VIPConfig).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.vip("10.0.0.10");"#,
    ),
    (
        "cluster.patch(target, name, content)",
        "Adds a patch written to `patches/<name>.yaml`. `target` is `all`, `control_planes`, `workers`, a node or a hostname; `content` is a strategic-merge map, a list of documents, a list of JSON6902 operations (maps with `op` and `path`), or a YAML file path relative to the script. A file is read as talhelper reads it: SOPS-encrypted ones are decrypted in memory (and written back encrypted), comments are dropped and `${VAR}`s substituted from the environment and the talenv files beside the script, so a literal `$` is `$$` (`$$patch: delete`).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.patch(all, "time", #{ machine: #{ time: #{ servers: ["pool.ntp.org"] } } });
c.patch(workers, "no-admission", [#{ op: "remove", path: "/cluster/apiServer/admissionControl" }]);"#,
    ),
    (
        "env(name [, default])",
        "The value of an environment variable, from the process environment overlaid by `talenv.yaml` and the SOPS-encrypted `talenv.sops.yaml` beside the script (decrypted in memory with your age key, at the first `env()`), as talhelper reads them. Unset or empty is an error at the call, unless `default` is given. Tracked files keep the reference: where a string written to talconfig.yaml or a patch holds the value, `run` writes `${NAME}`; a value from talenv.sops.yaml is a secret that reaches only the encrypted machine configs, and `run` refuses to write it anywhere else (e.g. turned into a number), naming the variable, never the value.",
        r#"let vip = env("TALFORGE_DOC_EXAMPLE_VIP", "10.0.0.10");
let c = cluster("lab", #{ endpoint: `https://${vip}:6443` });
c.vip(vip);
assert_eq(c.endpoint, "https://10.0.0.10:6443");"#,
    ),
    (
        "cluster.cilium_ready(#{ id, name })",
        "Prepares the cluster for Cilium: CNI `none`, kube-proxy disabled, KubePrism on port 7445, discovery on; records the Cilium cluster name (default: the cluster's) and id (1-255, unique per Cluster Mesh).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.cilium_ready(#{ id: 3 });"#,
    ),
    (
        "ip(text)",
        "An IP address. `ip + n` and `ip - n` step through addresses; IPs compare with `==`, `<`, `>`.",
        r#"let a = ip("10.0.0.10");
assert_eq((a + 5).to_string(), "10.0.0.15");"#,
    ),
    (
        "cidr(text)",
        "A network with a prefix. `.host(n)` is its n-th address, `ip in net` tests membership, `.network` and `.prefix` read it, `.overlaps(other)` compares networks.",
        r#"let net = cidr("10.25.11.0/24");
assert_eq(net.host(11).to_string(), "10.25.11.11");
assert(ip("10.25.11.200") in net);
assert(!(ip("10.25.12.1") in net));"#,
    ),
    (
        "cidr.host(n)",
        "The n-th address of a network (`0` is the network address itself); an error when the network has no such address.",
        r#"assert_eq(cidr("10.0.0.0/24").host(10).to_string(), "10.0.0.10");"#,
    ),
    (
        "cidr.contains(ip)",
        "Whether an address (an `ip(...)` or its text) lies in the network; `ip in net` says the same.",
        r#"let net = cidr("10.0.0.0/24");
assert(net.contains("10.0.0.7"));
assert(!net.contains(ip("10.0.1.7")));"#,
    ),
    (
        "cidr.overlaps(other)",
        "Whether two networks share any address (pod and service networks must not).",
        r#"assert(cidr("10.0.0.0/16").overlaps(cidr("10.0.4.0/24")));
assert(!cidr("10.42.0.0/16").overlaps(cidr("10.43.0.0/16")));"#,
    ),
    (
        "node.volume(name, #{ disk, min_size, max_size, grow, encryption })",
        "Configures a system volume (`EPHEMERAL`, `IMAGECACHE`, `STATE`) as a Talos VolumeConfig: `disk` is a CEL disk selector (`system_disk`, `disk.transport == \"nvme\"`), sizes like `50GiB` (`max_size` may be a percentage), `encryption` a Talos EncryptionSpec map. `cluster.volume(...)` sets it for every node that does not declare its own.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.volume("EPHEMERAL", #{ disk: "system_disk", max_size: "100GiB" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .volume("IMAGECACHE", #{ disk: "disk.transport == 'nvme'", max_size: "20GiB" });"#,
    ),
    (
        "node.user_volume(name, #{ type, disk, min_size, max_size, grow, filesystem, project_quota, encryption })",
        "Adds a user volume mounted at `/var/mnt/<name>` (a Talos UserVolumeConfig). `type` is `partition` (default), `disk` or `directory`; a partition needs `disk` and `min_size` or `max_size`; `filesystem` is `xfs` (default) or `ext4`. `cluster.user_volume(...)` adds it to every node.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .user_volume("longhorn", #{ disk: "system_disk", min_size: "100GiB", grow: true, filesystem: "ext4" });"#,
    ),
    (
        "node.machine_disk(device, [#{ mountpoint, size }])",
        "Partitions and mounts an extra disk the legacy way (`machine.disks`; prefer `user_volume`).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .machine_disk("/dev/sdb", [#{ mountpoint: "/var/mnt/sata" }]);"#,
    ),
    (
        "node.file(path, #{ content, permissions, op })",
        "Writes a file on the node (`machine.files`). `permissions` defaults to `0o644`, `op` to `create` (or `append`, `overwrite`).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .file("/var/etc/nut/upsmon.conf", #{ content: "MONITOR ups@nas 1 monuser secret secondary", permissions: 0o600 });"#,
    ),
    (
        "node.extension_service(name, #{ config_files, environment })",
        "Configures a system extension's service (an ExtensionServiceConfig): `config_files` is a list of `#{ content, mount_path }`, `environment` a list of `KEY=value` or a map.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .extension_service("tailscale", #{ environment: #{ TS_ROUTES: "10.0.0.0/24" } });"#,
    ),
    (
        "node.kernel_module(name [, parameters])",
        "Loads a kernel module with optional parameters (`[\"enable_guc=3\"]`). The node option `kernel_modules` takes names or `#{ name, parameters }` too.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda", kernel_modules: ["rbd"] })
 .kernel_module("i915", ["enable_guc=3"]);"#,
    ),
    (
        "node.extra_manifest(name, content)",
        "Appends documents to the node's config after every patch (talhelper's `extraManifests`, written to `manifests/<name>.yaml`); `content` is a map, a list of documents or a YAML file relative to the script.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .extra_manifest("watchdog", #{ apiVersion: "v1alpha1", kind: "WatchdogTimerConfig", device: "/dev/watchdog0" });"#,
    ),
    (
        "cluster.inline_manifest(name, contents)",
        "A Kubernetes manifest the control plane applies (`cluster.inlineManifests`); `contents` is YAML text, or a map or list of documents.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.inline_manifest("ns", #{ apiVersion: "v1", kind: "Namespace", metadata: #{ name: "apps" } });"#,
    ),
    (
        "cluster.flannel(#{ extra_args, kube_network_policies })",
        "Uses Talos' flannel CNI with extra `flanneld` arguments and, with `kube_network_policies: true`, kube-network-policies deployed along (`cniConfig.flannel`).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.flannel(#{ extra_args: ["--iface-can-reach=10.0.0.1"], kube_network_policies: true });"#,
    ),
    (
        "assert(condition [, message]), assert_eq(left, right)",
        "Fail the script with a message when a condition does not hold; handy in site modules.",
        r"assert_eq(1 + 1, 2);",
    ),
];

/// Documentation of every host function.
pub fn host_docs() -> Vec<FnDoc> {
    HOST.iter()
        .map(|(sig, summary, example)| FnDoc {
            module: None,
            signature: (*sig).to_string(),
            summary: (*summary).to_string(),
            example: Some((*example).to_string()),
        })
        .collect()
}

/// Documentation of every stdlib function, read from the `///` comments of `stdlib/*.rhai`.
pub fn stdlib_docs() -> Vec<FnDoc> {
    let mut out = Vec::new();
    for m in STDLIB {
        let mut doc: Vec<&str> = Vec::new();
        for line in m.source.lines() {
            let t = line.trim_start();
            if let Some(d) = t.strip_prefix("///") {
                doc.push(d.strip_prefix(' ').unwrap_or(d));
                continue;
            }
            if let Some(rest) = t.strip_prefix("fn ")
                && !doc.is_empty()
            {
                let sig = rest.split('{').next().unwrap_or(rest).trim();
                let (summary, example) = split_example(&doc);
                out.push(FnDoc {
                    module: Some(m.name),
                    signature: format!("{}::{sig}", m.name),
                    summary,
                    example,
                });
            }
            doc.clear();
        }
    }
    out
}

fn split_example(doc: &[&str]) -> (String, Option<String>) {
    let mut summary = Vec::new();
    let mut example = Vec::new();
    let mut in_code = false;
    for l in doc {
        if l.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            example.push(*l);
        } else {
            summary.push(*l);
        }
    }
    let summary = summary.join("\n").trim().to_string();
    let example = (!example.is_empty()).then(|| example.join("\n"));
    (summary, example)
}

/// Every documented function as markdown (host functions first).
pub fn markdown() -> String {
    let mut out = String::from("# talforge functions\n\n## Host functions\n\n");
    let section = |out: &mut String, d: &FnDoc| {
        out.push_str(&format!("### `{}`\n\n{}\n\n", d.signature, d.summary));
        if let Some(e) = &d.example {
            out.push_str(&format!("```rhai\n{e}\n```\n\n"));
        }
    };
    for d in host_docs() {
        section(&mut out, &d);
    }
    for m in STDLIB {
        out.push_str(&format!(
            "## Module `{}` (`import \"{}\" as {};`)\n\n",
            m.name, m.name, m.name
        ));
        for d in stdlib_docs().iter().filter(|d| d.module == Some(m.name)) {
            section(&mut out, d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Limits, evaluate_source};

    fn run_example(name: &str, code: &str) {
        let path = std::path::Path::new("example.rhai");
        if let Err(f) = evaluate_source(path, code, &Limits::default()) {
            panic!("example of `{name}` failed: {:?}\n{code}", f.diagnostics);
        }
    }

    #[test]
    fn every_stdlib_function_is_documented_with_an_example_that_runs() {
        let docs = stdlib_docs();
        for m in STDLIB {
            let fns = m.source.lines().filter(|l| l.starts_with("fn ")).count();
            let documented = docs.iter().filter(|d| d.module == Some(m.name)).count();
            assert_eq!(
                fns, documented,
                "undocumented function in stdlib/{}.rhai",
                m.name
            );
        }
        for d in &docs {
            let ex = d
                .example
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no example", d.signature));
            run_example(&d.signature, ex);
        }
    }

    #[test]
    fn every_host_example_runs() {
        for d in host_docs() {
            run_example(&d.signature, d.example.as_deref().unwrap());
        }
    }

    #[test]
    fn a_failing_example_fails() {
        let r = evaluate_source(
            std::path::Path::new("x.rhai"),
            "assert_eq(1, 2);",
            &Limits::default(),
        );
        assert!(r.is_err());
    }

    /// Every function talforge registers on the engine (methods included) is in `talforge doc`.
    #[test]
    fn every_host_function_is_documented() {
        let shared = crate::script::builder::Shared::default();
        let engine = crate::script::engine::build_engine(&shared, &Limits::default());
        let documented: Vec<String> = host_docs().iter().map(|d| d.signature.clone()).collect();
        let name_of = |sig: &str| -> String {
            let head = sig.split('(').next().unwrap_or(sig);
            head.rsplit(['.', ':'])
                .next()
                .unwrap_or(head)
                .trim()
                .to_string()
        };
        // One entry may document several functions (`assert(..), assert_eq(..)`).
        let documented_names: Vec<String> = documented
            .iter()
            .flat_map(|s| s.split("), ").map(name_of).collect::<Vec<_>>())
            .collect();
        let mut missing: Vec<String> = engine
            .gen_fn_signatures(false)
            .iter()
            .map(|s| name_of(s))
            // Rhai's own operator and property-access forms are not talforge functions.
            .filter(|n| {
                !n.starts_with("get$") && !n.starts_with("set$") && !n.starts_with("index$")
            })
            // Rhai's conversion protocol for talforge's value types (`print`, string interpolation).
            .filter(|n| n != "to_string" && n != "to_debug")
            .filter(|n| {
                n.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            })
            .filter(|n| !documented_names.contains(n))
            .collect();
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "not in `talforge doc`: {missing:?}");
    }

    #[test]
    fn markdown_lists_everything() {
        let md = markdown();
        assert!(md.contains("### `talos::lacp_bond(node, name, links, mtu)`"));
        assert!(md.contains("### `cidr(text)`"));
    }
}
