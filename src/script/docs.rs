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
        "cluster(name, #{ endpoint, talos, kubernetes, pod_nets, service_nets, dns_domain, allow_scheduling_on_control_planes, cert_sans, machine_cert_sans, nameservers, ntp, cni, cni_urls, age, mesh, machine_spec, schematic, no_schematic_validate, image_factory })",
        "Declares a cluster and returns its handle. `endpoint` is required; Talos defaults to v1.12.0 and Kubernetes to v1.35.0. `machine_spec`, `schematic` and `no_schematic_validate` are defaults for nodes that set none; `image_factory` (`registry_url`, `schematic_endpoint`, `protocol`, `installer_url_tmpl`, `image_url_tmpl`) is talhelper's `imageFactory`.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443", kubernetes: "v1.34.1" });
assert_eq(c.name, "lab");"#,
    ),
    (
        "cluster.node(hostname, ip, #{ control_plane, install_disk, disk, image, schematic, image_schematic, machine_spec, no_schematic_validate, labels, annotations, taints, cert_sans, kernel_modules, nameservers })",
        "Adds a node and returns its handle. `disk` is a selector map (`size`, `model`, `type`, `serial`, `wwid`, `bus_path`) used instead of `install_disk`. `schematic` is the Image Factory document (`customization`: `extraKernelArgs`, `meta`, `systemExtensions.officialExtensions`, `bootloader`, `secureboot`; `overlay`: `image`, `name`, `options`); its extensions must be official for the cluster's Talos unless `no_schematic_validate`. `image_schematic` is the ISO's when it differs. `machine_spec` is `#{ mode, arch, secureboot, use_uki, boot_method, image_suffix }`; the installer image follows from both unless `image` names one.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
let n = c.node("lab-1", ip("10.0.0.11"), #{ control_plane: true, install_disk: "/dev/sda", labels: #{ zone: "a" },
    machine_spec: #{ secureboot: true },
    schematic: #{ customization: #{ systemExtensions: #{ officialExtensions: ["siderolabs/intel-ucode"] } } } });
assert_eq(n.hostname, "lab-1");
assert(n.control_plane);"#,
    ),
    (
        "node.bond(name, links, #{ mode, lacp_rate, xmit_hash_policy, miimon, updelay, downdelay, min_links, ad_select, mtu, dhcp, addresses, routes, vip })",
        "Adds a bond to a node and returns the node, so calls chain. On a cluster, `cluster.bond(...)` sets the default for every node that does not declare an interface of that name.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .bond("bond0", ["eth0", "eth1"], #{ mode: "802.3ad", lacp_rate: "fast", mtu: 9000, dhcp: true });"#,
    ),
    (
        "node.interface(name, #{ mtu, dhcp, addresses, routes, vip })",
        "Adds a plain link to a node (or, on a cluster, to every node). Routes are maps `#{ network, gateway, source, metric, mtu }`; a route without `network` is the default route.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.node("lab-1", "10.0.0.11", #{ control_plane: true, install_disk: "/dev/sda" })
 .interface("eth0", #{ addresses: ["10.0.0.11/24"], routes: [#{ gateway: "10.0.0.1" }] });"#,
    ),
    (
        "cluster.vip(ip)",
        "Sets the shared control-plane VIP, announced on each control plane's first link (a Layer2VIPConfig).",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.vip("10.0.0.10");"#,
    ),
    (
        "cluster.patch(target, name, content)",
        "Adds a strategic-merge patch written to `patches/<name>.yaml`. `target` is `all`, `control_planes`, `workers`, a node or a hostname; `content` is a map, a list of documents or a YAML file path relative to the script.",
        r#"let c = cluster("lab", #{ endpoint: "https://10.0.0.10:6443" });
c.patch(all, "time", #{ machine: #{ time: #{ servers: ["pool.ntp.org"] } } });"#,
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
        "assert(condition [, message]), assert_eq(left, right)",
        "Fail the script with a message when a condition does not hold; handy in site modules.",
        r#"assert_eq(1 + 1, 2);"#,
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

    #[test]
    fn markdown_lists_everything() {
        let md = markdown();
        assert!(md.contains("### `talos::lacp_bond(node, name, links, mtu)`"));
        assert!(md.contains("### `cidr(text)`"));
    }
}
