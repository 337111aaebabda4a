//! The key tables' invariants: unique names, matching sections, snake-case script options.

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
    assert!(!unsupported("kubeNetworkPoliciesEnabled"));
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

/// Where a section lives in talconfig.yaml, as README's key table names it.
fn place(s: Section) -> &'static str {
    match s {
        Section::Cluster => "(top level)",
        Section::CniConfig => "cniConfig",
        Section::NodeConfig => "nodes[], controlPlane, worker",
        Section::Node => "nodes[]",
        Section::DiskSelector => "installDiskSelector",
        Section::KernelModule => "kernelModules[]",
        Section::Interface => "networkInterfaces[]",
        Section::Route => "networkInterfaces[].routes[]",
        Section::Vip => "networkInterfaces[].vip",
        Section::Bond => "networkInterfaces[].bond",
        Section::DeviceSelector => "deviceSelector, bond.deviceSelectors[]",
        Section::VipProvider => "vip.hcloud, vip.equinixMetal",
        Section::Bridge => "bridge",
        Section::BridgeStp => "bridge.stp",
        Section::BridgeVlan => "bridge.vlan",
        Section::BridgePort => "bridgePort",
        Section::Vlan => "vlans[]",
        Section::DhcpOptions => "dhcpOptions",
        Section::Wireguard => "wireguard",
        Section::WireguardPeer => "wireguard.peers[]",
        Section::IngressFirewall => "ingressFirewall",
        Section::NetworkRule => "ingressFirewall.rules[]",
        Section::PortSelector => "rules[].portSelector",
        Section::IngressRule => "rules[].ingress[]",
        Section::MachineSpec => "machineSpec",
        Section::ImageFactory => "imageFactory",
        Section::Flannel => "cniConfig.flannel",
        Section::InlineManifest => "inlineManifests[]",
        Section::MachineDisk => "machineDisks[]",
        Section::DiskPartition => "machineDisks[].partitions[]",
        Section::MachineFile => "machineFiles[]",
        Section::ExtensionService => "extensionServices[]",
        Section::ConfigFile => "extensionServices[].configFiles[]",
        Section::Volume => "volumes[]",
        Section::UserVolume => "userVolumes[]",
        Section::Provisioning => "volumes[].provisioning, userVolumes[].provisioning",
        Section::VolumeDiskSelector => "provisioning.diskSelector",
        Section::Filesystem => "userVolumes[].filesystem",
    }
}

/// README's table of every talconfig.yaml key, made from the key rows.
fn key_table() -> String {
    let mut out = String::from(
        "| where | key | talforge | script option (`import` writes it) | notes |\n|---|---|---|---|---|\n",
    );
    for k in SECTIONS.iter().flat_map(|s| s.iter()) {
        let support = match k.support {
            Support::Read => "read and written",
            Support::Unsupported => "not modelled yet: an error",
            Support::Ignored => "ignored by talhelper: a warning",
        };
        let script = k.script.map_or("—".to_string(), |s| format!("`{s}`"));
        let notes = k.notes.replace('|', "\\|");
        out.push_str(&format!(
            "| {} | `{}` | {support} | {script} | {notes} |\n",
            place(k.section),
            k.name
        ));
    }
    out
}

/// README's talhelper migration section holds the key table exactly as the rows say it, so
/// an operator finds every key with its script form (the test prints the table to paste).
#[test]
fn the_readme_lists_every_key_with_its_script_form() {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("### From talhelper")
        .expect("README has `### From talhelper`");
    let table = key_table();
    assert!(
        readme[start..].contains(&table),
        "README's `### From talhelper` section must hold this table:\n{table}"
    );
}
