//! The `machine` section's checks other than install and network: role and CAs, disks,
//! kubelet, disk encryption, logging, features, registries.

use super::super::Mode;
use super::super::cluster::validate_cni;
use super::super::gonet::{self, is_subnet_or_address};
use super::super::yamlx::{at, bool_at, int_at, q, scalar_text, seq_at, str_at, strs_at};
use crate::yaml::Yaml;

/// v1.14's warnings for sections dedicated documents replace.
pub(super) fn deprecations(m: &Yaml, w: &mut Vec<String>) {
    if !seq_at(m, "files").is_empty() {
        w.push(
            ".machine.files is deprecated; use dedicated configuration documents instead".into(),
        );
    }
    if at(m, "baseRuntimeSpecOverrides")
        .and_then(Yaml::as_map)
        .is_some_and(|o| !o.is_empty())
    {
        w.push(".machine.baseRuntimeSpecOverrides is deprecated; use a CRIBaseRuntimeSpecConfig document instead".into());
    }
}

/// Container mode needs host DNS, forwarding kube-dns to the host.
pub(super) fn container_mode(m: &Yaml, mode: Mode, e: &mut Vec<String>) {
    if mode != Mode::Container {
        return;
    }
    if bool_at(m, "features.hostDNS.enabled") != Some(true) {
        e.push("feature HostDNS should be enabled in container mode (.machine.features.hostDNS.enabled)".into());
    }
    if bool_at(m, "features.hostDNS.forwardKubeDNSToHost") != Some(true) {
        e.push("feature HostDNS should forward kube-dns to host in container mode (.machine.features.hostDNS.forwardKubeDNSToHost)".into());
    }
}

/// The machine type (`mtype`: as `machine.ParseType` reads `raw_type`) and what each role
/// needs or must not have: CAs and their keys, the CNI, VIPs.
pub(super) fn role(
    c: &Yaml,
    m: &Yaml,
    (raw_type, mtype): (&str, Option<&str>),
    w: &mut Vec<String>,
    e: &mut Vec<String>,
) {
    if let Some(t) = mtype
        && t != raw_type
    {
        w.push(format!(
            "use {} instead of {} for machine type",
            q(t),
            q(raw_type)
        ));
    }
    let ca = at(m, "ca");
    let accepted = !seq_at(m, "acceptedCAs").is_empty();
    if ca.is_none() && !accepted {
        e.push(
            "issuing CA or some accepted CAs are required (.machine.ca, machine.acceptedCAs)"
                .into(),
        );
    }
    match mtype {
        Some("init" | "controlplane") => {
            let (cw, ce) = validate_cni(at(c, "cluster.network.cni"));
            w.extend(cw);
            e.extend(ce);
            match ca {
                None => e.push("issuing CA is required (.machine.ca)".into()),
                Some(ca) if str_at(ca, "key").is_empty() => {
                    e.push(
                        "issuing CA key is required for controlplane nodes (.machine.ca.key)"
                            .into(),
                    );
                }
                Some(_) => {}
            }
        }
        Some(_) => worker(c, m, ca, accepted, e),
        None => e.push(format!("unknown machine type {}", q(raw_type))),
    }
}

/// What a non-controlplane machine must not have (VIPs, CA keys) and must have (trusted CAs).
fn worker(c: &Yaml, m: &Yaml, ca: Option<&Yaml>, accepted: bool, e: &mut Vec<String>) {
    for d in seq_at(m, "network.interfaces") {
        if at(d, "vip").is_some() {
            e.push("virtual (shared) IP is not allowed on non-controlplane nodes".into());
        }
        for v in seq_at(d, "vlans") {
            if at(v, "vip").is_some() {
                e.push("virtual (shared) IP is not allowed on non-controlplane nodes".into());
            }
        }
    }
    if let Some(ca) = ca {
        if !str_at(ca, "key").is_empty() {
            e.push(
                "issuing Talos API CA key is not allowed on non-controlplane nodes (.machine.ca)"
                    .into(),
            );
        }
        if str_at(ca, "crt").is_empty() && !accepted {
            e.push("trusted CA certificates are required on non-controlplane nodes (.machine.ca.crt, .machine.acceptedCAs)".into());
        }
    }
    if !str_at(c, "cluster.ca.key").is_empty() {
        e.push(
            "issuing Kubernetes API CA key is not allowed on non-controlplane nodes (.cluster.ca)"
                .into(),
        );
    }
}

/// `machine.disks`: only the last partition may take the rest of the disk.
pub(super) fn disks(m: &Yaml, e: &mut Vec<String>) {
    for (i, disk) in seq_at(m, "disks").iter().enumerate() {
        if matches!(disk, Yaml::Null) {
            e.push(format!("machine.disks[{i}] is null"));
            continue;
        }
        let parts = seq_at(disk, "partitions");
        for (j, p) in parts.iter().enumerate() {
            if disk_size_is_zero(at(p, "size")) && j != parts.len() - 1 {
                e.push(format!(
                    "partition for disk {} is set to occupy full disk, but it's not the last partition in the list",
                    q(&str_at(disk, "device"))
                ));
            }
        }
    }
}

/// `DiskSize == 0`: absent, or a size that parses to zero.
fn disk_size_is_zero(v: Option<&Yaml>) -> bool {
    match v {
        None => true,
        Some(v) => gonet::humanize_parse_bytes(&scalar_text(v)) == Ok(0),
    }
}

/// `machine.kubelet`: node IP subnets, and the extra config fields Talos owns.
pub(super) fn kubelet(m: &Yaml, e: &mut Vec<String>) {
    let Some(k) = at(m, "kubelet") else {
        return;
    };
    for cidr in strs_at(k, "nodeIP.validSubnets") {
        let cidr = cidr.strip_prefix('!').unwrap_or(&cidr);
        if !is_subnet_or_address(cidr) {
            e.push(format!("kubelet nodeIP subnet is not valid: {}", q(cidr)));
        }
    }
    const PROTECTED: &[&str] = &[
        "apiVersion",
        "authentication",
        "authorization",
        "cgroupRoot",
        "kind",
        "kubeletCgroups",
        "port",
        "protectKernelDefaults",
        "resolvConf",
        "rotateCertificates",
        "systemCgroups",
        "staticPodPath",
        "seccompDefault",
    ];
    for f in PROTECTED {
        if at(k, "extraConfig").and_then(|x| x.get(f)).is_some() {
            e.push(format!(
                "kubelet configuration field {} can't be overridden",
                q(f)
            ));
        }
    }
}

/// `machine.systemDiskEncryption`: keys present, slots unique, each key configured.
pub(super) fn disk_encryption(m: &Yaml, e: &mut Vec<String>) {
    for label in ["EPHEMERAL", "STATE"] {
        let key = format!("systemDiskEncryption.{}", label.to_lowercase());
        let Some(enc) = at(m, &key) else {
            continue;
        };
        let keys = seq_at(enc, "keys");
        if keys.is_empty() {
            e.push(format!(
                "partition {}: no encryption keys provided",
                q(label)
            ));
        }
        let mut slots = Vec::new();
        for k in keys {
            let slot = int_at(k, "slot");
            if slots.contains(&slot) {
                e.push(format!(
                    "partition {}: encryption key slot {slot} is already in use",
                    q(label)
                ));
            }
            slots.push(slot);
            if ["nodeID", "static", "kms", "tpm"]
                .iter()
                .all(|f| at(k, f).is_none())
            {
                e.push(format!(
                    "partition {}: encryption key at slot {slot} doesn't have the configuration parameters",
                    q(label)
                ));
            }
        }
    }
}

/// `machine.logging.destinations`: endpoints and formats.
pub(super) fn logging(m: &Yaml, e: &mut Vec<String>) {
    if at(m, "logging").is_none() {
        return;
    }
    for dest in seq_at(m, "logging.destinations") {
        let ep = str_at(dest, "endpoint");
        if ep.is_empty() {
            e.push("empty logging endpoint".into());
        } else if let Ok(u) = gonet::url_parse(&ep, false) {
            if u.host.is_empty() {
                e.push("empty logging endpoint's host".into());
            }
            if u.scheme != "tcp" && u.scheme != "udp" {
                e.push(format!(
                    "unexpected logging endpoint scheme {}",
                    q(&u.scheme)
                ));
            }
        }
        let f = str_at(dest, "format");
        if f != "json_lines" {
            e.push(format!("unknown logging format {}", q(&f)));
        }
    }
}

/// `machine.features`: Kubernetes Talos API access and the address sort algorithm.
pub(super) fn features(m: &Yaml, is_cp: bool, e: &mut Vec<String>) {
    if bool_at(m, "features.kubernetesTalosAPIAccess.enabled") == Some(true) {
        if !is_cp {
            e.push(
                "feature Kubernetes Talos API Access can only be enabled on control plane machines"
                    .into(),
            );
        }
        const ROLES: &[&str] = &[
            "os:admin",
            "os:operator",
            "os:reader",
            "os:etcd:backup",
            "os:impersonator",
        ];
        for r in strs_at(m, "features.kubernetesTalosAPIAccess.allowedRoles") {
            if !ROLES.contains(&r.as_str()) {
                e.push(format!(
                    "invalid role {} in allowed roles for Kubernetes Talos API Access",
                    q(&r)
                ));
            }
        }
    }
    let sort = str_at(m, "features.nodeAddressSortAlgorithm");
    if !sort.is_empty() && !["v1", "v2"].contains(&sort.to_lowercase().as_str()) {
        e.push(format!(
            "invalid node address sort algorithm: {sort} does not belong to AddressSortAlgorithm values"
        ));
    }
}

/// `machine.registries`: no `null` entries.
pub(super) fn registries(m: &Yaml, e: &mut Vec<String>) {
    for (section, name) in [("config", "config"), ("mirrors", "mirrors")] {
        if let Some(Yaml::Map(regs)) = at(m, &format!("registries.{section}")) {
            for (host, v) in regs {
                if matches!(v, Yaml::Null) {
                    e.push(format!("registries.{name}[{}] is null", q(host)));
                }
            }
        }
    }
}
