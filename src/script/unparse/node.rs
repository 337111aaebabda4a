//! A node as a script statement: `c.node(name, ip, #{...})` with its options and method
//! calls, or a `for` loop over a counting run of nodes.

use super::cluster::{opt, push_ips, push_strs};
use super::idiom::split_number;
use super::lit::{inline_map, rhai_str, rhai_value, template_text};
use super::{machine, net};
use crate::factory::schematic;
use crate::model::{InstallDisk, Node};
use crate::talhelper::keys::{self, machine_spec as ks, node as kn, node_config as knc};
use std::fmt::Write as _;

pub(super) fn node_loop(run: &[Node]) -> String {
    let first = &run[0];
    let (prefix, start) = split_number(&first.hostname).expect("checked by run_length");
    let end = start + run.len() as u64 - 1;
    let offset = if start == 0 {
        "i".to_string()
    } else {
        format!("(i - {start})")
    };
    let name = format!("`{}${{i}}`", template_text(prefix));
    let ip = format!("ip({}) + {offset}", rhai_str(&first.ip.to_string()));
    let mut out = format!("for i in {start}..={end} {{\n");
    out.push_str(&node_stmt(first, "    ", Some((name, ip))));
    out.push_str("}\n");
    out
}

pub(super) fn node_stmt(n: &Node, indent: &str, looped: Option<(String, String)>) -> String {
    let (name, ip) = looped.unwrap_or_else(|| (rhai_str(&n.hostname), rhai_str(&n.ip.to_string())));
    let opts = node_options(n);
    let call = if opts.is_empty() {
        format!("c.node({name}, {ip})")
    } else {
        format!("c.node({name}, {ip}, {})", inline_map(&opts))
    };
    let mut calls: Vec<String> = n.interfaces.iter().map(net::interface_call).collect();
    calls.extend(machine::node_calls(n));
    if calls.is_empty() {
        return format!("{indent}{call};\n");
    }
    let mut out = format!("{indent}let n = {call};\n");
    for c in &calls {
        let _ = writeln!(out, "{indent}n.{c};");
    }
    out
}

fn node_options(n: &Node) -> Vec<(String, String)> {
    let mut o = Vec::new();
    if n.is_control_plane() {
        o.push((opt(kn::CONTROL_PLANE), "true".into()));
    }
    match &n.install {
        Some(InstallDisk::Path(p)) => o.push((opt(kn::INSTALL_DISK), rhai_str(p))),
        Some(InstallDisk::Selector(s)) => {
            let d: Vec<(String, String)> = keys::disk_selector_fields(s)
                .into_iter()
                .filter_map(|(k, v)| Some((opt(k), rhai_str(v?))))
                .collect();
            o.push((opt(kn::INSTALL_DISK_SELECTOR), inline_map(&d)));
        }
        None => {}
    }
    if let Some(i) = &n.image {
        o.push((opt(knc::TALOS_IMAGE_URL), rhai_str(i)));
    }
    if let Some(s) = &n.schematic {
        o.push((opt(knc::SCHEMATIC), rhai_value(&schematic::canonical(s))));
    }
    if let Some(s) = &n.image_schematic {
        o.push((
            opt(knc::IMAGE_SCHEMATIC),
            rhai_value(&schematic::canonical(s)),
        ));
    }
    let m = &n.machine_spec;
    if !m.is_empty() {
        let mut spec: Vec<(String, String)> = Vec::new();
        for (k, v) in [
            (ks::MODE, &m.mode),
            (ks::ARCH, &m.arch),
            (ks::BOOT_METHOD, &m.boot_method),
            (ks::IMAGE_SUFFIX, &m.image_suffix),
        ] {
            if let Some(v) = v {
                spec.push((opt(k), rhai_str(v)));
            }
        }
        if m.secureboot {
            spec.push((opt(ks::SECUREBOOT), "true".into()));
        }
        if m.use_uki {
            spec.push((opt(ks::USE_UKI), "true".into()));
        }
        o.push((opt(knc::MACHINE_SPEC), inline_map(&spec)));
    }
    if n.no_schematic_validate {
        o.push((opt(knc::NO_SCHEMATIC_VALIDATE), "true".into()));
    }
    let string_map = |m: &indexmap::IndexMap<String, String>| {
        inline_map(
            &m.iter()
                .map(|(k, v)| (k.clone(), rhai_str(v)))
                .collect::<Vec<_>>(),
        )
    };
    if !n.labels.is_empty() {
        o.push((opt(knc::NODE_LABELS), string_map(&n.labels)));
    }
    if !n.annotations.is_empty() {
        o.push((opt(knc::NODE_ANNOTATIONS), string_map(&n.annotations)));
    }
    if !n.taints.is_empty() {
        let t: Vec<(String, String)> = n
            .taints
            .iter()
            .map(|t| {
                let v = if t.value.is_empty() {
                    t.effect.clone()
                } else {
                    format!("{}:{}", t.value, t.effect)
                };
                (t.key.clone(), rhai_str(&v))
            })
            .collect();
        o.push((opt(knc::NODE_TAINTS), inline_map(&t)));
    }
    push_strs(&mut o, knc::CERT_SANS, &n.cert_sans);
    push_ips(&mut o, &opt(knc::NAMESERVERS), &n.nameservers);
    if n.disable_search_domain {
        o.push((opt(knc::DISABLE_SEARCH_DOMAIN), "true".into()));
    }
    if let Some(f) = &n.firewall {
        o.push((opt(knc::INGRESS_FIREWALL), net::firewall_map(f)));
    }
    o.extend(machine::node_options(n));
    o
}
