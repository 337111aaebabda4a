//! The talosctl command lines `talforge gencommand` prints, as talhelper's `gencommand`
//! (v3.1.16) prints them: one line per node, flags joined by spaces, each line ending in `;`.
//!
//! Two ways to name the machine config of `apply`: talhelper's plaintext file
//! (`--file=<out>/<cluster>-<host>.yaml`, for `-c talconfig.yaml`), or talforge's encrypted one
//! streamed through `talforge decrypt … | talosctl apply-config … --file=/dev/stdin`, so
//! nothing plaintext is written.

use crate::diag::{Diagnostic, closest};
use crate::model::{Cluster, Node};
use crate::talos::generate::{installer_image, output_file_name};

/// Which command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sub {
    /// `talosctl apply-config` for every node.
    Apply,
    /// `talosctl bootstrap` on the first control plane.
    Bootstrap,
    /// `talosctl kubeconfig` from the first control plane.
    Kubeconfig,
    /// `talosctl upgrade --image=<installer>` for every node.
    Upgrade,
    /// `talosctl upgrade-k8s --to=<kubernetes>` through the first control plane.
    UpgradeK8s,
    /// `talosctl reset` for every node.
    Reset,
    /// `talosctl health` through the first control plane.
    Health,
}

impl Sub {
    /// The talosctl subcommand.
    fn talosctl(self) -> &'static str {
        match self {
            Sub::Apply => "apply-config",
            Sub::Bootstrap => "bootstrap",
            Sub::Kubeconfig => "kubeconfig",
            Sub::Upgrade => "upgrade",
            Sub::UpgradeK8s => "upgrade-k8s",
            Sub::Reset => "reset",
            Sub::Health => "health",
        }
    }

    /// Commands that talk to one control plane (the first, or the one named).
    fn one_control_plane(self) -> bool {
        matches!(self, Sub::Bootstrap | Sub::Kubeconfig | Sub::UpgradeK8s)
    }
}

/// How the config of `apply` reaches talosctl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// talhelper's plaintext file in this directory (as given: `./clusterconfig`).
    Plaintext(String),
    /// talforge's encrypted file in this directory, decrypted into a pipe.
    Encrypted(String),
}

/// Everything but the cluster.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The command.
    pub sub: Sub,
    /// `-n`: hostnames or IPs; empty = every node (or the first control plane).
    pub nodes: &'a [String],
    /// `--extra-flags`, verbatim.
    pub extra: &'a [String],
    /// The talosconfig path as printed.
    pub talosconfig: &'a str,
    /// For `apply`.
    pub configs: &'a ConfigSource,
}

/// The command lines, or why a selection names no (suitable) node.
pub fn commands(cluster: &Cluster, req: &Request<'_>) -> Result<Vec<String>, Diagnostic> {
    let tc = format!("--talosconfig={}", req.talosconfig);
    let extra = req.extra.join(" ");
    let mut out = Vec::new();
    if req.sub.one_control_plane() || req.sub == Sub::Health {
        let picks: Vec<String> = if req.nodes.is_empty() {
            let first = cluster.control_planes().next().ok_or_else(|| {
                Diagnostic::error(format!("cluster `{}` has no control plane", cluster.name))
            })?;
            vec![first.ip.to_string()]
        } else {
            req.nodes
                .iter()
                .map(|n| one_node(cluster, n, req.sub))
                .collect::<Result<_, _>>()?
        };
        for ip in picks {
            let line = match req.sub {
                Sub::Health => join(&["talosctl health", &tc, &format!("--nodes={ip}"), &extra]),
                Sub::UpgradeK8s => join(&[
                    "talosctl upgrade-k8s",
                    &tc,
                    &format!("--to={}", cluster.kubernetes_version),
                    &extra,
                    &format!("--nodes={ip}"),
                ]),
                sub => join(&[
                    &format!("talosctl {}", sub.talosctl()),
                    &tc,
                    &extra,
                    &format!("--nodes={ip}"),
                ]),
            };
            out.push(line);
        }
        return Ok(out);
    }
    for (node, ip) in every_node(cluster, req.nodes)? {
        let nodes = format!("--nodes={ip}");
        let line = match req.sub {
            Sub::Apply => match req.configs {
                ConfigSource::Plaintext(dir) => join(&[
                    "talosctl apply-config",
                    &tc,
                    &nodes,
                    &format!("--file={dir}/{}", output_file_name(cluster, node)),
                    &extra,
                ]),
                ConfigSource::Encrypted(dir) => {
                    let plain = output_file_name(cluster, node);
                    let stem = plain.strip_suffix(".yaml").unwrap_or(&plain);
                    join(&[
                        &format!("talforge decrypt {dir}/{stem}.sops.yaml | talosctl apply-config"),
                        &tc,
                        &nodes,
                        "--file=/dev/stdin",
                        &extra,
                    ])
                }
            },
            Sub::Upgrade => join(&[
                "talosctl upgrade",
                &tc,
                &nodes,
                &format!("--image={}", installer_image(cluster, node)),
                &extra,
            ]),
            _ => join(&["talosctl reset", &tc, &nodes, &extra]),
        };
        out.push(line);
    }
    Ok(out)
}

/// `parts` joined by spaces (empty ones skipped), ending in `;`.
fn join(parts: &[&str]) -> String {
    let mut s = parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    s.push(';');
    s
}

/// The nodes named by `-n` (every node when none is), with the address talosctl gets: the
/// one given, or the node's.
fn every_node<'a>(
    cluster: &'a Cluster,
    names: &[String],
) -> Result<Vec<(&'a Node, String)>, Diagnostic> {
    if names.is_empty() {
        return Ok(cluster
            .nodes
            .iter()
            .map(|n| (n, n.ip.to_string()))
            .collect());
    }
    names
        .iter()
        .map(|want| {
            let n = find(cluster, want)?;
            Ok((n, n.ip.to_string()))
        })
        .collect()
}

fn find<'a>(cluster: &'a Cluster, want: &str) -> Result<&'a Node, Diagnostic> {
    cluster
        .nodes
        .iter()
        .find(|n| n.hostname == want || n.ip.to_string() == want)
        .ok_or_else(|| {
            let mut d = Diagnostic::error(format!(
                "cluster `{}` has no node with hostname or IP `{want}`",
                cluster.name
            ));
            if let Some(c) = closest(want, cluster.nodes.iter().map(|n| n.hostname.as_str())) {
                d = d.with_hint(format!("did you mean `{c}`?"));
            }
            d
        })
}

/// A node for a command that talks to one control plane, as talhelper passes it:
/// its address (`health`: the name as given).
fn one_node(cluster: &Cluster, want: &str, sub: Sub) -> Result<String, Diagnostic> {
    let n = find(cluster, want)?;
    if sub == Sub::Health {
        return Ok(want.to_string());
    }
    if !n.is_control_plane() {
        return Err(Diagnostic::error(format!(
            "`{}` is a worker: `talosctl {}` talks to a control plane",
            n.hostname,
            sub.talosctl()
        ))
        .with_hint("name a control plane with `-n`, or leave `-n` out for the first one"));
    }
    Ok(n.ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, Version};

    /// talhelper's worked example A (commands.md), without its multi-address node.
    fn demo() -> Cluster {
        let v = |s| Version::parse(s).unwrap();
        let mut c = Cluster::new("demo", "https://10.0.0.10:6443", v("v1.12.0"), v("v1.35.0"));
        for (h, ip, role) in [
            ("cp-1", "10.0.0.11", Role::ControlPlane),
            ("w-1", "10.0.0.21", Role::Worker),
        ] {
            c.nodes
                .push(Node::new(h, ip.parse::<std::net::IpAddr>().unwrap(), role));
        }
        let mut w2 = Node::new(
            "w-2",
            "10.0.0.22".parse::<std::net::IpAddr>().unwrap(),
            Role::Worker,
        );
        w2.image = Some("ghcr.io/example/installer".into());
        c.nodes.push(w2);
        c
    }

    fn run(sub: Sub, nodes: &[&str], extra: &[&str]) -> Result<Vec<String>, String> {
        let nodes: Vec<String> = nodes.iter().map(|s| s.to_string()).collect();
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let configs = ConfigSource::Plaintext("./clusterconfig".into());
        let req = Request {
            sub,
            nodes: &nodes,
            extra: &extra,
            talosconfig: "./clusterconfig/talosconfig",
            configs: &configs,
        };
        commands(&demo(), &req).map_err(|d| d.message)
    }

    #[test]
    fn lines_match_talhelper() {
        let tc = "--talosconfig=./clusterconfig/talosconfig";
        assert_eq!(
            run(Sub::Apply, &[], &[]).unwrap(),
            [
                format!(
                    "talosctl apply-config {tc} --nodes=10.0.0.11 --file=./clusterconfig/demo-cp-1.yaml;"
                ),
                format!(
                    "talosctl apply-config {tc} --nodes=10.0.0.21 --file=./clusterconfig/demo-w-1.yaml;"
                ),
                format!(
                    "talosctl apply-config {tc} --nodes=10.0.0.22 --file=./clusterconfig/demo-w-2.yaml;"
                ),
            ]
        );
        assert_eq!(
            run(Sub::Apply, &["w-1"], &["--insecure", "--mode=reboot"]).unwrap(),
            [format!(
                "talosctl apply-config {tc} --nodes=10.0.0.21 --file=./clusterconfig/demo-w-1.yaml --insecure --mode=reboot;"
            )]
        );
        let vanilla = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
        assert_eq!(
            run(Sub::Upgrade, &[], &[]).unwrap(),
            [
                format!(
                    "talosctl upgrade {tc} --nodes=10.0.0.11 --image=factory.talos.dev/metal-installer/{vanilla}:v1.12.0;"
                ),
                format!(
                    "talosctl upgrade {tc} --nodes=10.0.0.21 --image=factory.talos.dev/metal-installer/{vanilla}:v1.12.0;"
                ),
                format!(
                    "talosctl upgrade {tc} --nodes=10.0.0.22 --image=ghcr.io/example/installer:v1.12.0;"
                ),
            ]
        );
        assert_eq!(
            run(Sub::Bootstrap, &[], &[]).unwrap(),
            [format!("talosctl bootstrap {tc} --nodes=10.0.0.11;")]
        );
        assert_eq!(
            run(Sub::Kubeconfig, &[], &[]).unwrap(),
            [format!("talosctl kubeconfig {tc} --nodes=10.0.0.11;")]
        );
        assert_eq!(
            run(Sub::UpgradeK8s, &[], &[]).unwrap(),
            [format!(
                "talosctl upgrade-k8s {tc} --to=v1.35.0 --nodes=10.0.0.11;"
            )]
        );
        assert_eq!(
            run(Sub::Health, &[], &[]).unwrap(),
            [format!("talosctl health {tc} --nodes=10.0.0.11;")]
        );
        assert_eq!(
            run(Sub::Health, &["w-1"], &[]).unwrap(),
            [format!("talosctl health {tc} --nodes=w-1;")]
        );
        assert_eq!(
            run(Sub::Bootstrap, &["cp-1"], &["--insecure"]).unwrap(),
            [format!(
                "talosctl bootstrap {tc} --insecure --nodes=10.0.0.11;"
            )]
        );
        assert_eq!(
            run(Sub::Reset, &["10.0.0.22"], &[]).unwrap(),
            [format!("talosctl reset {tc} --nodes=10.0.0.22;")]
        );
        assert!(
            run(Sub::UpgradeK8s, &["w-1"], &[])
                .unwrap_err()
                .contains("`w-1` is a worker")
        );
        assert!(
            run(Sub::Reset, &["nope"], &[])
                .unwrap_err()
                .contains("no node with hostname or IP `nope`")
        );
    }

    #[test]
    fn encrypted_configs_are_streamed() {
        let configs = ConfigSource::Encrypted("clusters/demo/talos/clusterconfig".into());
        let req = Request {
            sub: Sub::Apply,
            nodes: &["cp-1".to_string()],
            extra: &[],
            talosconfig: "clusters/demo/talos/clusterconfig/talosconfig",
            configs: &configs,
        };
        assert_eq!(
            commands(&demo(), &req).unwrap(),
            [
                "talforge decrypt clusters/demo/talos/clusterconfig/demo-cp-1.sops.yaml | talosctl apply-config --talosconfig=clusters/demo/talos/clusterconfig/talosconfig --nodes=10.0.0.11 --file=/dev/stdin;"
            ]
        );
    }
}
