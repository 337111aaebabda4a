//! `v1alpha1.Config.Validate` (`v1alpha1_validation.go`): the legacy machine document's
//! checks in Talos' order, returning `(warnings, errors)` with nested multierrors flattened.

use super::Mode;
use super::cluster;
use super::gonet::{
    address_contains_port, is_subnet_or_address, parse_cidr, parse_ip, validate_ip_or_cidr,
};
use super::output::multierror;
use super::yamlx::{at, bool_at, int_at, non_empty, q, seq_at, str_at, strs_at};
use crate::yaml::Yaml;

/// Machine types as `machine.ParseType` reads them; `None` is `TypeUnknown`.
fn machine_type(t: &str) -> Option<&'static str> {
    match t {
        "init" => Some("init"),
        "controlplane" => Some("controlplane"),
        "worker" | "join" | "" => Some("worker"),
        _ => None,
    }
}

/// Runs the v1alpha1 checks; in strict mode warnings come back as `warning: …` errors.
pub(super) fn validate(c: &Yaml, mode: Mode, strict: bool) -> (Vec<String>, Vec<String>) {
    let mut w: Vec<String> = Vec::new();
    let mut e: Vec<String> = Vec::new();
    let Some(m) = at(c, "machine") else {
        return (w, vec!["machine instructions are required".into()]);
    };
    let raw_type = str_at(m, "type");
    let mtype = machine_type(&raw_type);
    let is_cp = matches!(mtype, Some("init" | "controlplane"));

    e.extend(cluster::validate(at(c, "cluster"), is_cp));

    if mode.requires_install() {
        match at(m, "install") {
            None => e.push(format!(
                "install instructions are required in {} mode",
                q(mode.as_str())
            )),
            Some(inst) => {
                let selector = at(inst, "diskSelector");
                if let Some(sel) = selector
                    && let Err(err) = disk_selector(sel)
                {
                    e.push(format!("install disk selector is invalid: {err}"));
                }
                let matcher =
                    selector.is_some() && selector.map(disk_selector).is_some_and(|r| r.is_ok());
                if str_at(inst, "disk").is_empty() && !matcher {
                    e.push("either install disk or diskSelector should be defined".into());
                }
                if non_empty(inst, "extraKernelArgs")
                    && bool_at(inst, "grubUseUKICmdline") == Some(true)
                {
                    e.push("install.extraKernelArgs and install.grubUseUKICmdline can't be used together".into());
                }
            }
        }
    }

    if mode == Mode::Container {
        if bool_at(m, "features.hostDNS.enabled") != Some(true) {
            e.push("feature HostDNS should be enabled in container mode (.machine.features.hostDNS.enabled)".into());
        }
        if bool_at(m, "features.hostDNS.forwardKubeDNSToHost") != Some(true) {
            e.push("feature HostDNS should forward kube-dns to host in container mode (.machine.features.hostDNS.forwardKubeDNSToHost)".into());
        }
    }

    if let Some(t) = mtype
        && t != raw_type
    {
        w.push(format!(
            "use {} instead of {} for machine type",
            q(t),
            q(&raw_type)
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
            let cni = at(c, "cluster.network.cni");
            let (cw, ce) = validate_cni(cni);
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
        Some(_) => {
            for d in seq_at(m, "network.interfaces") {
                if at(d, "vip").is_some() {
                    e.push("virtual (shared) IP is not allowed on non-controlplane nodes".into());
                }
                for v in seq_at(d, "vlans") {
                    if at(v, "vip").is_some() {
                        e.push(
                            "virtual (shared) IP is not allowed on non-controlplane nodes".into(),
                        );
                    }
                }
            }
            if let Some(ca) = ca {
                if !str_at(ca, "key").is_empty() {
                    e.push("issuing Talos API CA key is not allowed on non-controlplane nodes (.machine.ca)".into());
                }
                if str_at(ca, "crt").is_empty() && !accepted {
                    e.push("trusted CA certificates are required on non-controlplane nodes (.machine.ca.crt, .machine.acceptedCAs)".into());
                }
            }
            if !str_at(c, "cluster.ca.key").is_empty() {
                e.push("issuing Kubernetes API CA key is not allowed on non-controlplane nodes (.cluster.ca)".into());
            }
        }
        None => e.push(format!("unknown machine type {}", q(&raw_type))),
    }

    if at(m, "network").is_some() {
        legacy_network(m, &mut w, &mut e);
        if bool_at(m, "network.kubespan.enabled") == Some(true) {
            let mtu = match int_at(m, "network.kubespan.mtu") {
                0 => 1420,
                n => n,
            };
            if mtu < 1280 {
                e.push("kubespan link MTU must be at least 1280".into());
            }
        }
    }

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

    if let Some(k) = at(m, "kubelet") {
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

    for label in ["EPHEMERAL", "STATE"] {
        let key = format!("systemDiskEncryption.{}", label.to_lowercase());
        if let Some(enc) = at(m, &key) {
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

    if bool_at(m, "network.kubespan.enabled") == Some(true) {
        if bool_at(c, "cluster.discovery.enabled") != Some(true) {
            e.push(
                ".cluster.discovery should be enabled when .machine.network.kubespan is enabled"
                    .into(),
            );
        }
        if str_at(c, "cluster.id").is_empty() {
            e.push(".cluster.id should be set when .machine.network.kubespan is enabled".into());
        }
        if str_at(c, "cluster.secret").is_empty() {
            e.push(
                ".cluster.secret should be set when .machine.network.kubespan is enabled".into(),
            );
        }
        for cidr in strs_at(m, "network.kubespan.filters.endpoints") {
            let cidr = cidr.strip_prefix('!').unwrap_or(&cidr);
            if !is_subnet_or_address(cidr) {
                e.push(format!("KubeSpan endpoint filer is not valid: {}", q(cidr)));
            }
        }
    }

    if at(m, "logging").is_some() {
        for dest in seq_at(m, "logging.destinations") {
            let ep = str_at(dest, "endpoint");
            if ep.is_empty() {
                e.push("empty logging endpoint".into());
            } else if let Ok(u) = super::gonet::url_parse(&ep, false) {
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

    if let Some(inst) = at(m, "install") {
        let mut seen: Vec<String> = Vec::new();
        for ext in seq_at(inst, "extensions") {
            let img = str_at(ext, "image");
            if seen.contains(&img) {
                e.push(format!("duplicate system extension {}", q(&img)));
            }
            seen.push(img);
        }
        if !seen.is_empty() {
            w.push(".machine.install.extensions is deprecated, please see https://www.talos.dev/latest/talos-guides/install/boot-assets/".into());
        }
    }

    let labels_err = |what: &str, errs: Vec<String>, e: &mut Vec<String>| {
        if !errs.is_empty() {
            e.push(format!(
                "invalid machine node {what}: {}",
                multierror(&errs)
            ));
        }
    };
    labels_err("labels", labels::validate(at(m, "nodeLabels")), &mut e);
    labels_err(
        "annotations",
        labels::validate_annotations(at(m, "nodeAnnotations")),
        &mut e,
    );
    labels_err(
        "taints",
        labels::validate_taints(at(m, "nodeTaints")),
        &mut e,
    );

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

    if bool_at(c, "persist") == Some(false) {
        e.push(".persist should be enabled".into());
    }

    for (section, name) in [("config", "config"), ("mirrors", "mirrors")] {
        if let Some(Yaml::Map(regs)) = at(m, &format!("registries.{section}")) {
            for (host, v) in regs {
                if matches!(v, Yaml::Null) {
                    e.push(format!("registries.{name}[{}] is null", q(host)));
                }
            }
        }
    }

    if strict {
        e.extend(w.drain(..).map(|x| format!("warning: {x}")));
    }
    (w, e)
}

/// `DiskSize == 0`: absent, or a size that parses to zero.
fn disk_size_is_zero(v: Option<&Yaml>) -> bool {
    match v {
        None => true,
        Some(v) => super::gonet::humanize_parse_bytes(&super::yamlx::scalar_text(v)) == Ok(0),
    }
}

/// `InstallConfig.DiskMatchExpression`'s failures (the expression itself is not built).
fn disk_selector(sel: &Yaml) -> Result<(), String> {
    if !str_at(sel, "name").is_empty() {
        return Err("selector on name is not supported".into());
    }
    let t = str_at(sel, "type");
    if !t.is_empty() && !["nvme", "sd", "hdd", "ssd"].contains(&t.as_str()) {
        return Err(format!("unsupported disk type {}", q(&t)));
    }
    Ok(())
}

/// `ValidateCNI` (cluster.network.cni; absent means flannel).
pub(super) fn validate_cni(cni: Option<&Yaml>) -> (Vec<String>, Vec<String>) {
    let (mut w, mut e) = (Vec::new(), Vec::new());
    let name = cni.map_or_else(|| "flannel".to_string(), |c| str_at(c, "name"));
    let urls = cni.map(|c| strs_at(c, "urls")).unwrap_or_default();
    let flannel_args = cni.is_some_and(|c| non_empty(c, "flannel.extraArgs"));
    match name.as_str() {
        "flannel" => {
            if !urls.is_empty() {
                e.push(format!(
                    "\"urls\" field should be empty for {} CNI",
                    q(&name)
                ));
            }
        }
        "none" => {
            if !urls.is_empty() {
                e.push(format!(
                    "\"urls\" field should be empty for {} CNI",
                    q(&name)
                ));
            }
            if flannel_args {
                e.push(format!(
                    "\"flanneldExtraArgs\" field should be empty for {} CNI",
                    q(&name)
                ));
            }
        }
        "custom" => {
            if urls.is_empty() {
                w.push(format!(
                    "\"urls\" field should not be empty for {} CNI",
                    q(&name)
                ));
            }
            if flannel_args {
                e.push(format!(
                    "\"flanneldExtraArgs\" field should be empty for {} CNI",
                    q(&name)
                ));
            }
            for u in &urls {
                if let Err(err) = super::gonet::validate_endpoint_uri(u) {
                    e.push(err);
                }
            }
        }
        _ => e.push("cni name should be one of [\"flannel\", \"custom\", \"none\"]".into()),
    }
    (w, e)
}

/// The legacy `machine.network.interfaces` checks (both passes).
fn legacy_network(m: &Yaml, w: &mut Vec<String>, e: &mut Vec<String>) {
    let devices = seq_at(m, "network.interfaces");
    let mut secondary: Vec<(String, String)> = Vec::new();
    for d in devices {
        let iface = str_at(d, "interface");
        let bond = at(d, "bond");
        let bridge = at(d, "bridge");
        if bond.is_some() && bridge.is_some() {
            e.push(format!(
                "interface has both bridge and bond sections set {}: config sections are mutually exclusive",
                q(&iface)
            ));
        }
        let mut members = Vec::new();
        if let Some(b) = bond {
            members = strs_at(b, "interfaces");
            if !members.is_empty() && !seq_at(b, "deviceSelectors").is_empty() {
                e.push(format!(
                    "interface {} has both interfaces and selectors set: config sections are mutually exclusive",
                    q(&iface)
                ));
            }
        }
        if let Some(b) = bridge {
            members = strs_at(b, "interfaces");
        }
        for member in members {
            match secondary.iter_mut().find(|(k, _)| *k == member) {
                Some((_, other)) => {
                    if *other != iface {
                        e.push(format!(
                            "interface {} is declared as part of two separate links: {} and {}",
                            q(&member),
                            q(other),
                            q(&iface)
                        ));
                    }
                    *other = iface.clone();
                }
                None => secondary.push((member, iface.clone())),
            }
        }
    }
    for d in devices {
        if bool_at(d, "ignore") == Some(true) {
            continue;
        }
        check_device_interface(d, e);
        check_device_addressing(d, &secondary, w, e);
        check_device_routes(d, e);
    }
}

fn check_device_interface(d: &Yaml, e: &mut Vec<String>) {
    let iface = str_at(d, "interface");
    let selector = at(d, "deviceSelector");
    const BOTH: &str = "[networking.os.device.interface], [networking.os.device.deviceSelector]";
    if iface.is_empty() && selector.is_none() {
        e.push(format!("{BOTH}: required either config section to be set"));
    } else if !iface.is_empty() && selector.is_some() {
        e.push(format!("{BOTH}: config sections are mutually exclusive"));
    }
    if let Some(sel) = selector {
        let empty = [
            "busPath",
            "hardwareAddr",
            "permanentAddr",
            "pciID",
            "driver",
        ]
        .iter()
        .all(|f| str_at(sel, f).is_empty())
            && at(sel, "physical").is_none();
        if empty {
            e.push("[networking.os.device.deviceSelector]: config section should contain at least one field".into());
        }
    }
    if let Some(b) = at(d, "bond") {
        check_bond(b, e);
    }
    if let Some(wg) = at(d, "wireguard") {
        check_wireguard(wg, e);
    }
    if at(d, "vlans").is_some() {
        for v in seq_at(d, "vlans") {
            let id = int_at(v, "vlanId");
            let cidr = str_at(v, "cidr");
            let addrs = strs_at(v, "addresses");
            if !addrs.is_empty() && !cidr.is_empty() {
                e.push(format!(
                    "[networking.os.device.vlan] {iface}.{id}: vlan can't have both .cidr and .addresses set"
                ));
            }
            if !cidr.is_empty()
                && let Err(err) = validate_ip_or_cidr(&cidr)
            {
                e.push(format!(
                    "[networking.os.device.vlan.CIDR] {iface}.{id}: {err}"
                ));
            }
            for a in &addrs {
                if let Err(err) = validate_ip_or_cidr(a) {
                    e.push(format!(
                        "[networking.os.device.vlan.addresses] {iface}.{id}: {err}"
                    ));
                }
            }
        }
    }
}

/// One of the `nethelpers.*ByName` lookups: `""` is the default value.
fn by_name(v: &str, allowed: &[&str], err: &str, e: &mut Vec<String>) {
    if !v.is_empty() && !allowed.contains(&v) {
        e.push(format!("{err} {v}"));
    }
}

fn check_bond(b: &Yaml, e: &mut Vec<String>) {
    let raw_mode = str_at(b, "mode");
    by_name(&raw_mode, crate::model::BOND_MODES, "invalid bond type", e);
    // an unknown mode leaves the zero value, balance-rr
    let mode = if crate::model::BOND_MODES.contains(&raw_mode.as_str()) && !raw_mode.is_empty() {
        raw_mode.clone()
    } else {
        "balance-rr".to_string()
    };
    by_name(
        &str_at(b, "xmitHashPolicy"),
        crate::model::BOND_XMIT_HASH_POLICIES,
        "invalid xmit hash policy",
        e,
    );
    by_name(
        &str_at(b, "lacpRate"),
        &["slow", "fast"],
        "invalid lacp rate",
        e,
    );
    by_name(
        &str_at(b, "arpValidate"),
        &[
            "none",
            "active",
            "backup",
            "all",
            "filter",
            "filter-active",
            "filter-backup",
        ],
        "invalid arp_validate mode",
        e,
    );
    by_name(
        &str_at(b, "arpAllTargets"),
        &["any", "all"],
        "invalid arp_all_targets mode",
        e,
    );
    by_name(
        &str_at(b, "primaryReselect"),
        &["always", "better", "failure"],
        "invalid primary_reselect mode",
        e,
    );
    by_name(
        &str_at(b, "failOverMac"),
        &["none", "active", "follow"],
        "invalid fail_over_mac value",
        e,
    );
    by_name(
        &str_at(b, "adSelect"),
        &["stable", "bandwidth", "count"],
        "invalid ad_select mode",
        e,
    );

    let (mii, up, down) = (
        int_at(b, "miimon"),
        int_at(b, "updelay"),
        int_at(b, "downdelay"),
    );
    if mii == 0 {
        if up != 0 {
            e.push("bond.upDelay can't be set if miiMon is zero".into());
        }
        if down != 0 {
            e.push("bond.downDelay can't be set if miiMon is zero".into());
        }
    } else {
        if up % mii != 0 {
            e.push("bond.upDelay should be a multiple of miiMon".into());
        }
        if down % mii != 0 {
            e.push("bond.downDelay should be a multiple of miiMon".into());
        }
    }
    if !seq_at(b, "arpIPTarget").is_empty() {
        e.push("bond.arpIPTarget is not supported".into());
    }
    let ad = mode == "802.3ad";
    let alb_tlb = mode == "balance-alb" || mode == "balance-tlb";
    if !str_at(b, "lacpRate").is_empty() && !ad {
        e.push("bond.lacpRate is only available in 802.3ad mode".into());
    }
    if !str_at(b, "adActorSystem").is_empty() {
        e.push("bond.adActorSystem is not supported".into());
    }
    if (ad || alb_tlb) && !str_at(b, "arpValidate").is_empty() {
        e.push(format!("bond.arpValidate is not available in {mode} mode"));
    }
    if !(mode == "active-backup" || alb_tlb || str_at(b, "primary").is_empty()) {
        e.push(format!("bond.primary is not available in {mode} mode"));
    }
    if (ad || alb_tlb) && int_at(b, "arpInterval") > 0 {
        e.push(format!("bond.arpInterval is not available in {mode} mode"));
    }
    if mode != "balance-rr" && int_at(b, "packetsPerSlave") > 1 {
        e.push(format!(
            "bond.packetsPerSlave is not available in {mode} mode"
        ));
    }
    if !alb_tlb && int_at(b, "tlbDynamicLb") > 0 {
        e.push(format!(
            "bond.tlbDynamicTLB is not available in {mode} mode"
        ));
    }
    if !ad && int_at(b, "adActorSysPrio") > 0 {
        e.push("bond.adActorSysPrio is only available in 802.3ad mode".into());
    }
    if !ad && int_at(b, "adUserPortKey") > 0 {
        e.push("bond.adUserPortKey is only available in 802.3ad mode".into());
    }
}

/// Talos' wireguard key check: base64 of exactly 32 bytes.
fn wg_key(key: &str) -> Result<(), String> {
    let raw = super::gonet::go_base64(key)?;
    if raw.len() != 32 {
        return Err(format!("wrong key {} length: {}", q(key), raw.len()));
    }
    Ok(())
}

fn check_wireguard(wg: &Yaml, e: &mut Vec<String>) {
    if let Err(err) = wg_key(&str_at(wg, "privateKey")) {
        e.push(format!("private key is invalid: {err}"));
    }
    for peer in seq_at(wg, "peers") {
        if let Err(err) = wg_key(&str_at(peer, "publicKey")) {
            e.push(format!("public key invalid: {err}"));
        }
        let ep = str_at(peer, "endpoint");
        if !ep.is_empty() && !address_contains_port(&ep) {
            e.push(format!("peer endpoint {} is invalid", q(&ep)));
        }
        for ip in strs_at(peer, "allowedIPs") {
            if let Err(err) = parse_cidr(&ip) {
                e.push(format!("peer allowed IP {} is invalid: {err}", q(&ip)));
            }
        }
    }
}

fn check_device_addressing(
    d: &Yaml,
    secondary: &[(String, String)],
    w: &mut Vec<String>,
    e: &mut Vec<String>,
) {
    let iface = str_at(d, "interface");
    let cidr = str_at(d, "cidr");
    let addrs = strs_at(d, "addresses");
    let vip = at(d, "vip");
    if secondary.iter().any(|(k, _)| *k == iface)
        && (bool_at(d, "dhcp") == Some(true)
            || !cidr.is_empty()
            || !addrs.is_empty()
            || vip.is_some())
    {
        e.push(format!(
            "[networking.os.device] {}: bonded/bridged interface shouldn't have any addressing methods configured",
            q(&iface)
        ));
    }
    if !addrs.is_empty() && !cidr.is_empty() {
        e.push(format!(
            "[networking.os.device] {}: interface can't have both .cidr and .addresses set",
            q(&iface)
        ));
    }
    if !cidr.is_empty() {
        if let Err(err) = validate_ip_or_cidr(&cidr) {
            e.push(format!("[networking.os.device.CIDR] {}: {err}", q(&iface)));
        }
        w.push(format!(
            "{}: machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses",
            q(&iface)
        ));
    }
    for a in &addrs {
        if let Err(err) = validate_ip_or_cidr(a) {
            e.push(format!(
                "[networking.os.device.addresses] {}: {err}",
                q(&iface)
            ));
        }
    }
    if let Some(v) = vip {
        let ip = str_at(v, "ip");
        if parse_ip(&ip).is_none() {
            e.push(format!(
                "[networking.os.device.vip] failed to parse {} as IP address",
                q(&ip)
            ));
        }
    }
}

fn check_device_routes(d: &Yaml, e: &mut Vec<String>) {
    for (i, r) in seq_at(d, "routes").iter().enumerate() {
        let (net, gw, src) = (
            str_at(r, "network"),
            str_at(r, "gateway"),
            str_at(r, "source"),
        );
        if !net.is_empty() && parse_cidr(&net).is_err() {
            e.push(format!(
                "[networking.os.device.route[{i}].network] {}: invalid network address",
                q(&net)
            ));
        }
        if !gw.is_empty() && parse_ip(&gw).is_none() {
            e.push(format!(
                "[networking.os.device.route[{i}].gateway] {}: invalid network address",
                q(&gw)
            ));
        }
        if gw.is_empty() && net.is_empty() {
            e.push(format!(
                "[networking.os.device.route[{i}]]: either network or gateway should be set"
            ));
        }
        if !src.is_empty() && parse_ip(&src).is_none() {
            e.push(format!(
                "[networking.os.device.route[{i}].source] {}: invalid network address",
                q(&src)
            ));
        }
    }
}

/// `pkg/machinery/labels` checks over a string map (keys visited sorted, as Talos does).
mod labels {
    use super::super::yamlx::{q, scalar_text};
    use crate::yaml::Yaml;
    use regex::Regex;
    use std::sync::OnceLock;

    const QNAME: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

    fn re(pat: &'static str, cell: &'static OnceLock<Regex>) -> &'static Regex {
        cell.get_or_init(|| Regex::new(pat).expect("static regex"))
    }

    fn qname_re() -> &'static Regex {
        static R: OnceLock<Regex> = OnceLock::new();
        re("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", &R)
    }

    fn value_re() -> &'static Regex {
        static R: OnceLock<Regex> = OnceLock::new();
        re("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", &R)
    }

    fn dns_re() -> &'static Regex {
        static R: OnceLock<Regex> = OnceLock::new();
        re(
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            &R,
        )
    }

    fn sorted(m: Option<&Yaml>) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = m
            .and_then(Yaml::as_map)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), scalar_text(v))).collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    fn qualified_name(value: &str) -> Result<(), String> {
        let _ = QNAME;
        let parts: Vec<&str> = value.split('/').collect();
        let name = match parts.as_slice() {
            [n] => *n,
            [prefix, n] => {
                if prefix.is_empty() {
                    return Err(format!("prefix cannot be empty: {}", q(value)));
                }
                let err = if prefix.len() > 253 {
                    Some(format!(
                        "domain name length exceeds limit of 253: {}",
                        q(prefix)
                    ))
                } else if !dns_re().is_match(prefix) {
                    Some(format!(
                        "domain doesn't match required format: {}",
                        q(prefix)
                    ))
                } else {
                    None
                };
                if let Some(err) = err {
                    return Err(format!("prefix {} is invalid: {err}", q(prefix)));
                }
                *n
            }
            _ => return Err(format!("invalid format: too many slashes: {}", q(value))),
        };
        if name.is_empty() {
            Err(format!("name cannot be empty: {}", q(value)))
        } else if name.len() > 63 {
            Err(format!("name is too long: {} (limit is 63)", q(value)))
        } else if !qname_re().is_match(name) {
            Err(format!("name {} is invalid", q(name)))
        } else {
            Ok(())
        }
    }

    fn label_value(v: &str) -> Result<(), String> {
        if v.len() > 63 {
            Err(format!("label value length exceeds limit of 63: {}", q(v)))
        } else if !value_re().is_match(v) {
            Err(format!("label value {} is invalid", q(v)))
        } else {
            Ok(())
        }
    }

    /// `labels.Validate`.
    pub(super) fn validate(m: Option<&Yaml>) -> Vec<String> {
        let mut e = Vec::new();
        for (k, v) in sorted(m) {
            e.extend(qualified_name(&k).err());
            e.extend(label_value(&v).err());
        }
        e
    }

    /// `labels.ValidateAnnotations`.
    pub(super) fn validate_annotations(m: Option<&Yaml>) -> Vec<String> {
        let mut e = Vec::new();
        let mut size = 0usize;
        for (k, v) in sorted(m) {
            e.extend(qualified_name(&k).err());
            if [
                "talos.dev/owned-annotations",
                "talos.dev/owned-labels",
                "talos.dev/owned-taints",
            ]
            .contains(&k.as_str())
            {
                e.push(format!("annotation {} is reserved", q(&k)));
            }
            size += k.len() + v.len();
        }
        if size > 256 * 1024 {
            e.push("total annotation size exceeds limit of 262144 bytes".into());
        }
        e
    }

    /// `labels.ValidateTaints`.
    pub(super) fn validate_taints(m: Option<&Yaml>) -> Vec<String> {
        let mut e = Vec::new();
        for (k, v) in sorted(m) {
            if let Err(err) = qualified_name(&k) {
                e.push(err);
                continue;
            }
            let (val, effect, found) = match v.split_once(':') {
                Some((a, b)) => (a.to_string(), b.to_string(), true),
                None => (v.clone(), v.clone(), false),
            };
            if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect.as_str()) {
                e.push(format!("invalid taint effect: {}", q(&effect)));
                continue;
            }
            if found && let Err(err) = label_value(&val) {
                e.push(err);
            }
        }
        e
    }
}
