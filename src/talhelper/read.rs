//! talconfig.yaml → [`Cluster`]: talhelper's keys, role defaults, patches and `${VAR}`s.

use super::envsubst::Env;
use crate::diag::{Diagnostic, SourceId, Sources, Span, closest};
use crate::model::{
    Bond, Cidr, Cluster, Cni, DiskSelector, InstallDisk, Interface, Node, Patch, PatchSource,
    PatchTarget, Role, Route, Taint, Version, parse_ip,
};
use crate::talos::versions;
use crate::yaml::{ParsedDoc, PathSeg, Yaml, parse_documents};
use std::path::{Path, PathBuf};

/// A talconfig.yaml read into the model.
#[derive(Debug, Clone)]
pub struct Talconfig {
    /// The cluster it describes.
    pub cluster: Cluster,
    /// talconfig.yaml and every patch file, for diagnostics.
    pub sources: Sources,
}

const TOP_KEYS: &[&str] = &[
    "clusterName",
    "talosVersion",
    "kubernetesVersion",
    "endpoint",
    "domain",
    "allowSchedulingOnMasters",
    "allowSchedulingOnControlPlanes",
    "additionalMachineCertSans",
    "additionalApiServerCertSans",
    "clusterPodNets",
    "clusterSvcNets",
    "cniConfig",
    "patches",
    "controlPlane",
    "worker",
    "nodes",
];

/// Keys a node and a role section (`controlPlane`/`worker`) share.
const NODE_CONFIG_KEYS: &[&str] = &[
    "nodeLabels",
    "nodeAnnotations",
    "nodeTaints",
    "kernelModules",
    "nameservers",
    "networkInterfaces",
    "certSANs",
    "patches",
    "talosImageURL",
    "schematic",
];

const NODE_ONLY_KEYS: &[&str] = &[
    "hostname",
    "ipAddress",
    "controlPlane",
    "installDisk",
    "installDiskSelector",
    "overridePatches",
];

/// talhelper keys talforge does not model yet: reported as such instead of "unknown".
const UNSUPPORTED: &[&str] = &[
    "inlineManifests",
    "imageFactory",
    "machineDisks",
    "machineFiles",
    "extraManifests",
    "disableSearchDomain",
    "ingressFirewall",
    "extensionServices",
    "volumes",
    "userVolumes",
    "machineSpec",
    "imageSchematic",
    "noSchematicValidate",
    "filenameTmpl",
    "ignoreHostname",
    "overrideExtraManifests",
    "overrideMachineCertSANs",
    // Network interface keys talforge does not model.
    "vlans",
    "wireguard",
    "deviceSelector",
    "dhcpOptions",
    "bridge",
    "ignore",
];

struct Reader<'a> {
    doc: &'a ParsedDoc,
    src: SourceId,
    dir: PathBuf,
    env: &'a Env,
    sources: Sources,
    diags: Vec<Diagnostic>,
}

type P = Vec<PathSeg>;

fn k(path: &[PathSeg], key: &str) -> P {
    let mut p = path.to_vec();
    p.push(PathSeg::Key(key.to_string()));
    p
}

fn ix(path: &[PathSeg], i: usize) -> P {
    let mut p = path.to_vec();
    p.push(PathSeg::Index(i));
    p
}

fn dotted(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSeg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

impl Reader<'_> {
    fn key_span(&self, path: &[PathSeg]) -> Option<Span> {
        self.doc.key_span(path).map(|r| Span::new(self.src, r))
    }

    fn value_span(&self, path: &[PathSeg]) -> Option<Span> {
        self.doc.value_span(path).map(|r| Span::new(self.src, r))
    }

    fn error(&mut self, path: &[PathSeg], msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(msg).at_opt(self.value_span(path))
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn check_keys(&mut self, path: &[PathSeg], v: &Yaml, allowed: &[&str]) {
        let Some(m) = v.as_map() else {
            let d = self.error(path, format!("`{}` must be a mapping", dotted(path)));
            self.push(d);
            return;
        };
        for key in m.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let p = k(path, key);
            let mut d = Diagnostic::error(if UNSUPPORTED.contains(&key.as_str()) {
                format!("talforge does not support talhelper's `{key}` yet")
            } else {
                format!("unknown key `{key}`")
            })
            .at_opt(self.key_span(&p));
            if !UNSUPPORTED.contains(&key.as_str())
                && let Some(c) = closest(key, allowed.iter().copied())
            {
                d = d.with_hint(format!("did you mean `{c}`?"));
            }
            self.push(d);
        }
    }

    fn string(&mut self, path: &[PathSeg], v: &Yaml) -> Option<String> {
        let raw = match v {
            Yaml::Str(s) => s.clone(),
            Yaml::Int(i) => i.to_string(),
            Yaml::Float(f) => f.to_string(),
            Yaml::Bool(b) => b.to_string(),
            other => {
                let d = self.error(
                    path,
                    format!(
                        "`{}` must be a string, got {}",
                        dotted(path),
                        other.type_name()
                    ),
                );
                self.push(d);
                return None;
            }
        };
        match self.env.substitute(&raw) {
            Ok(s) => Some(s),
            Err((msg, _)) => {
                let d = self
                    .error(path, format!("failed to substitute env: {msg}"))
                    .with_hint(
                        "set it in the environment or in talenv.yaml next to talconfig.yaml",
                    );
                self.push(d);
                None
            }
        }
    }

    fn opt_string(&mut self, path: &[PathSeg], parent: &Yaml, key: &str) -> Option<String> {
        let v = parent.get(key)?;
        self.string(&k(path, key), v)
    }

    fn strings(&mut self, path: &[PathSeg], parent: &Yaml, key: &str) -> Vec<String> {
        let p = k(path, key);
        match parent.get(key) {
            None | Some(Yaml::Null) => Vec::new(),
            Some(Yaml::Seq(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| self.string(&ix(&p, i), v))
                .collect(),
            Some(other) => {
                let d = self.error(
                    &p,
                    format!("`{}` must be a list, got {}", dotted(&p), other.type_name()),
                );
                self.push(d);
                Vec::new()
            }
        }
    }

    fn bool(&mut self, path: &[PathSeg], parent: &Yaml, key: &str) -> Option<bool> {
        let p = k(path, key);
        match parent.get(key)? {
            Yaml::Bool(b) => Some(*b),
            Yaml::Null => None,
            other => {
                let d = self.error(
                    &p,
                    format!(
                        "`{}` must be true or false, got {}",
                        dotted(&p),
                        other.type_name()
                    ),
                );
                self.push(d);
                None
            }
        }
    }

    fn u32(&mut self, path: &[PathSeg], parent: &Yaml, key: &str) -> Option<u32> {
        let p = k(path, key);
        match parent.get(key)? {
            Yaml::Int(i) if (0..=i64::from(u32::MAX)).contains(i) => Some(*i as u32),
            Yaml::Null => None,
            other => {
                let d = self.error(
                    &p,
                    format!(
                        "`{}` must be a non-negative integer, got {}",
                        dotted(&p),
                        other.type_name()
                    ),
                );
                self.push(d);
                None
            }
        }
    }

    fn cidrs(&mut self, path: &[PathSeg], parent: &Yaml, key: &str) -> Vec<Cidr> {
        let p = k(path, key);
        let items = self.strings(path, parent, key);
        let mut out = Vec::new();
        for (i, s) in items.iter().enumerate() {
            match Cidr::parse(s) {
                Some(c) => out.push(c),
                None => {
                    let d = self.error(&ix(&p, i), format!("`{s}` is not a CIDR"));
                    self.push(d);
                }
            }
        }
        out
    }

    fn string_map(
        &mut self,
        path: &[PathSeg],
        parent: &Yaml,
        key: &str,
    ) -> indexmap::IndexMap<String, String> {
        let p = k(path, key);
        let mut out = indexmap::IndexMap::new();
        match parent.get(key) {
            None | Some(Yaml::Null) => {}
            Some(Yaml::Map(m)) => {
                for (mk, mv) in m {
                    if let Some(s) = self.string(&k(&p, mk), mv) {
                        out.insert(mk.clone(), s);
                    }
                }
            }
            Some(other) => {
                let d = self.error(
                    &p,
                    format!(
                        "`{}` must be a mapping, got {}",
                        dotted(&p),
                        other.type_name()
                    ),
                );
                self.push(d);
            }
        }
        out
    }

    /// Reads `patches:` entries: `@./file` references (relative to talconfig.yaml) or inline
    /// YAML strings.
    fn patches(
        &mut self,
        path: &[PathSeg],
        parent: &Yaml,
        target: &PatchTarget,
        out: &mut Vec<Patch>,
    ) {
        let p = k(path, "patches");
        let entries = self.strings(path, parent, "patches");
        for (i, entry) in entries.iter().enumerate() {
            let span = self.value_span(&ix(&p, i));
            if let Some(rel) = entry.strip_prefix('@') {
                let file = self.dir.join(rel);
                let text = match std::fs::read_to_string(&file) {
                    Ok(t) => t,
                    Err(e) => {
                        self.push(
                            Diagnostic::error(format!(
                                "cannot read patch `{}`: {}",
                                file.display(),
                                crate::diag::io_cause(&e)
                            ))
                            .at_opt(span),
                        );
                        continue;
                    }
                };
                // talhelper skips whitespace-only patch files.
                if text.trim().is_empty() {
                    continue;
                }
                let name = Path::new(rel).file_stem().map_or_else(
                    || format!("patch-{i}"),
                    |s| s.to_string_lossy().into_owned(),
                );
                let id = self.sources.add(file.display().to_string(), text.clone());
                match parse_documents(&text) {
                    Ok(docs) => out.push(Patch {
                        name,
                        target: target.clone(),
                        documents: docs.into_iter().map(|d| d.value).collect(),
                        text: Some(text),
                        source: PatchSource::File(file),
                        span: Some(Span::new(id, 0..0)),
                    }),
                    Err(e) => self.push(
                        Diagnostic::error(format!("patch is not valid YAML: {}", e.message))
                            .at(Span::new(id, e.span))
                            .with_label(
                                span.unwrap_or(Span::new(self.src, 0..0)),
                                "referenced here",
                            ),
                    ),
                }
            } else {
                match parse_documents(entry) {
                    Ok(docs) => out.push(Patch {
                        name: format!("inline-{}", out.len() + 1),
                        target: target.clone(),
                        documents: docs.into_iter().map(|d| d.value).collect(),
                        text: None,
                        source: PatchSource::Inline,
                        span,
                    }),
                    Err(e) => {
                        let d = Diagnostic::error(format!(
                            "inline patch is not valid YAML: {}",
                            e.message
                        ))
                        .at_opt(span);
                        self.push(d);
                    }
                }
            }
        }
    }

    fn interfaces(&mut self, path: &[PathSeg], parent: &Yaml) -> Vec<Interface> {
        let p = k(path, "networkInterfaces");
        let Some(items) = parent.get("networkInterfaces").and_then(Yaml::as_seq) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ip = ix(&p, i);
            self.check_keys(
                &ip,
                item,
                &[
                    "interface",
                    "addresses",
                    "routes",
                    "bond",
                    "mtu",
                    "dhcp",
                    "vip",
                ],
            );
            let Some(name) = self.opt_string(&ip, item, "interface") else {
                let d = self
                    .error(&ip, "network interface needs `interface`")
                    .with_hint("talforge does not support `deviceSelector` yet; name the link");
                self.push(d);
                continue;
            };
            let mut iface = Interface::new(name);
            iface.span = self.value_span(&ip);
            iface.mtu = self.u32(&ip, item, "mtu");
            iface.dhcp = self.bool(&ip, item, "dhcp").unwrap_or(false);
            iface.addresses = self
                .strings(&ip, item, "addresses")
                .iter()
                .filter_map(|a| {
                    Cidr::parse(a).or_else(|| {
                        parse_ip(a).map(|addr| Cidr {
                            addr,
                            prefix: if addr.is_ipv4() { 32 } else { 128 },
                        })
                    })
                })
                .collect();
            if let Some(vip) = item.get("vip") {
                let vp = k(&ip, "vip");
                self.check_keys(&vp, vip, &["ip"]);
                if let Some(s) = self.opt_string(&vp, vip, "ip") {
                    iface.vip = parse_ip(&s);
                }
            }
            if let Some(routes) = item.get("routes").and_then(Yaml::as_seq) {
                let rp = k(&ip, "routes");
                for (ri, r) in routes.iter().enumerate() {
                    let rpi = ix(&rp, ri);
                    self.check_keys(&rpi, r, &["network", "gateway", "source", "metric", "mtu"]);
                    let network = self
                        .opt_string(&rpi, r, "network")
                        .and_then(|n| Cidr::parse(&n))
                        .filter(|c| c.prefix != 0);
                    iface.routes.push(Route {
                        network,
                        gateway: self
                            .opt_string(&rpi, r, "gateway")
                            .and_then(|g| parse_ip(&g)),
                        source: self
                            .opt_string(&rpi, r, "source")
                            .and_then(|g| parse_ip(&g)),
                        metric: self.u32(&rpi, r, "metric"),
                        mtu: self.u32(&rpi, r, "mtu"),
                    });
                }
            }
            if let Some(b) = item.get("bond") {
                let bp = k(&ip, "bond");
                self.check_keys(
                    &bp,
                    b,
                    &[
                        "interfaces",
                        "mode",
                        "lacpRate",
                        "xmitHashPolicy",
                        "miimon",
                        "updelay",
                        "downdelay",
                        "minLinks",
                        "adSelect",
                    ],
                );
                iface.bond = Some(Bond {
                    links: self.strings(&bp, b, "interfaces"),
                    mode: self.opt_string(&bp, b, "mode"),
                    lacp_rate: self.opt_string(&bp, b, "lacpRate"),
                    xmit_hash_policy: self.opt_string(&bp, b, "xmitHashPolicy"),
                    miimon: self.u32(&bp, b, "miimon"),
                    updelay: self.u32(&bp, b, "updelay"),
                    downdelay: self.u32(&bp, b, "downdelay"),
                    min_links: self.u32(&bp, b, "minLinks"),
                    ad_select: self.opt_string(&bp, b, "adSelect"),
                    ..Bond::default()
                });
            }
            out.push(iface);
        }
        out
    }
}

/// Reads a talconfig.yaml file (already loaded as `text`) with `env` for substitution; the
/// directory of `path` anchors `@./patches/...` references.
pub fn read_talconfig(
    path: &Path,
    text: &str,
    env: &Env,
) -> Result<Talconfig, (Sources, Vec<Diagnostic>)> {
    let mut sources = Sources::default();
    let src = sources.add(path.display().to_string(), text.to_string());
    let docs = match parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            return Err((
                sources,
                vec![
                    Diagnostic::error(format!("talconfig is not valid YAML: {}", e.message))
                        .at(Span::new(src, e.span)),
                ],
            ));
        }
    };
    let Some(doc) = docs.first() else {
        return Err((
            sources,
            vec![Diagnostic::error(format!("`{}` is empty", path.display()))],
        ));
    };
    let mut r = Reader {
        doc,
        src,
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        env,
        sources,
        diags: Vec::new(),
    };
    let cluster = read_cluster(&mut r, &doc.value);
    let Reader { sources, diags, .. } = r;
    match cluster {
        Some(c) if diags.is_empty() => Ok(Talconfig {
            cluster: c,
            sources,
        }),
        _ => Err((sources, diags)),
    }
}

fn required(r: &mut Reader, v: &Yaml, key: &str) -> Option<String> {
    let s = r.opt_string(&[], v, key);
    if s.is_none() && v.get(key).is_none() {
        r.push(
            Diagnostic::error(format!("\"{key}\" is required to be not empty"))
                .at_opt(Some(Span::new(r.src, 0..0))),
        );
    }
    s
}

fn version(r: &mut Reader, v: &Yaml, key: &str, default: &str) -> Version {
    let s = r
        .opt_string(&[], v, key)
        .unwrap_or_else(|| default.to_string());
    Version::parse(&s).unwrap_or_else(|| {
        let d = r.error(&k(&[], key), format!("\"{s}\" is not a valid version"));
        r.push(d);
        Version::parse(default).unwrap_or_else(versions::default_talos)
    })
}

fn read_cluster(r: &mut Reader, v: &Yaml) -> Option<Cluster> {
    let root: P = Vec::new();
    r.check_keys(&root, v, TOP_KEYS);
    let mut name = required(r, v, "clusterName");
    if let Some(msg) = name
        .as_deref()
        .and_then(crate::validate::model::cluster_name_error)
    {
        // The name becomes file names (`<clusterName>-<hostname>.yaml`) and, in an imported
        // script, directories: a path in it must not reach outside the output directory.
        let d = r
            .error(&k(&root, "clusterName"), msg)
            .with_hint(crate::validate::model::DNS_LABEL_HINT);
        r.push(d);
        name = None;
    }
    let endpoint = required(r, v, "endpoint");
    let talos = version(r, v, "talosVersion", versions::DEFAULT_TALOS);
    let k8s_raw = required(r, v, "kubernetesVersion");
    let k8s = k8s_raw.as_deref().and_then(Version::parse);
    if k8s_raw.is_some() && k8s.is_none() {
        let d = r.error(
            &k(&root, "kubernetesVersion"),
            "`kubernetesVersion` is not a version",
        );
        r.push(d);
    }
    let (name, endpoint, k8s) = (name?, endpoint?, k8s?);
    let mut c = Cluster::new(name, endpoint, talos, k8s);
    c.span = Some(Span::new(r.src, 0..0));
    c.dns_domain = r.opt_string(&root, v, "domain");
    c.allow_scheduling_on_control_planes = r
        .bool(&root, v, "allowSchedulingOnControlPlanes")
        .unwrap_or(false)
        || r.bool(&root, v, "allowSchedulingOnMasters")
            .unwrap_or(false);
    c.machine_cert_sans = r.strings(&root, v, "additionalMachineCertSans");
    c.api_server_cert_sans = r.strings(&root, v, "additionalApiServerCertSans");
    let pods = r.cidrs(&root, v, "clusterPodNets");
    if !pods.is_empty() {
        c.pod_nets = pods;
    }
    let svcs = r.cidrs(&root, v, "clusterSvcNets");
    if !svcs.is_empty() {
        c.service_nets = svcs;
    }
    if let Some(cni) = v.get("cniConfig") {
        let p = k(&root, "cniConfig");
        r.check_keys(&p, cni, &["name", "urls"]);
        c.cni = match r.opt_string(&p, cni, "name").as_deref() {
            Some("none") => Cni::None,
            Some("flannel") => Cni::Flannel,
            Some("custom") => Cni::Custom(r.strings(&p, cni, "urls")),
            Some(other) => {
                let d = r.error(&k(&p, "name"), format!("cni name should be one of [\"flannel\", \"custom\", \"none\"], got `{other}`"));
                r.push(d);
                Cni::Default
            }
            None => Cni::Default,
        };
    }
    let mut patches = Vec::new();
    // talhelper applies role patches, then node patches, then the global ones; the model
    // keeps targets and the renderer orders them.
    let roles = [
        (
            "controlPlane",
            PatchTarget::ControlPlanes,
            Role::ControlPlane,
        ),
        ("worker", PatchTarget::Workers, Role::Worker),
    ];
    let mut role_sections = Vec::new();
    for (key, target, role) in &roles {
        if let Some(sec) = v.get(key) {
            let p = k(&root, key);
            r.check_keys(&p, sec, NODE_CONFIG_KEYS);
            r.patches(&p, sec, target, &mut patches);
            role_sections.push((*role, p, sec));
        }
    }
    r.patches(&root, v, &PatchTarget::All, &mut patches);
    let np = k(&root, "nodes");
    match v.get("nodes") {
        Some(Yaml::Seq(items)) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let p = ix(&np, i);
                let allowed: Vec<&str> = NODE_ONLY_KEYS
                    .iter()
                    .chain(NODE_CONFIG_KEYS)
                    .copied()
                    .collect();
                r.check_keys(&p, item, &allowed);
                if let Some(n) = read_node(r, &p, item, &role_sections, &mut patches) {
                    c.nodes.push(n);
                }
            }
        }
        _ => r.push(
            Diagnostic::error("\"nodes\" is required to be not empty").at_opt(r.key_span(&np)),
        ),
    }
    c.patches = patches;
    Some(c)
}

fn read_node(
    r: &mut Reader,
    p: &[PathSeg],
    item: &Yaml,
    roles: &[(Role, P, &Yaml)],
    patches: &mut Vec<Patch>,
) -> Option<Node> {
    let hostname = r.opt_string(p, item, "hostname");
    let ip_raw = r.opt_string(p, item, "ipAddress");
    let (Some(hostname), Some(ip_raw)) = (hostname, ip_raw) else {
        let d = r.error(p, "a node needs `hostname` and `ipAddress`");
        r.push(d);
        return None;
    };
    // talhelper allows a comma-separated list; the first address is the node's own.
    let first = ip_raw.split(',').next().unwrap_or("").trim().to_string();
    let Some(ip) = parse_ip(&first) else {
        let d = r.error(
            &k(p, "ipAddress"),
            format!("\"{ip_raw}\" is not a valid IP address"),
        );
        r.push(d);
        return None;
    };
    let role = if r.bool(p, item, "controlPlane").unwrap_or(false) {
        Role::ControlPlane
    } else {
        Role::Worker
    };
    let mut n = Node::new(&hostname, ip, role);
    n.span = r.value_span(p);
    n.install = match (
        r.opt_string(p, item, "installDisk"),
        item.get("installDiskSelector"),
    ) {
        (Some(d), _) => Some(InstallDisk::Path(d)),
        (None, Some(sel)) => {
            let sp = k(p, "installDiskSelector");
            r.check_keys(
                &sp,
                sel,
                &[
                    "size", "model", "type", "serial", "wwid", "busPath", "name", "modalias",
                    "uuid",
                ],
            );
            Some(InstallDisk::Selector(DiskSelector {
                size: r.opt_string(&sp, sel, "size"),
                model: r.opt_string(&sp, sel, "model"),
                disk_type: r.opt_string(&sp, sel, "type"),
                serial: r.opt_string(&sp, sel, "serial"),
                wwid: r.opt_string(&sp, sel, "wwid"),
                bus_path: r.opt_string(&sp, sel, "busPath"),
                name: r.opt_string(&sp, sel, "name"),
                modalias: r.opt_string(&sp, sel, "modalias"),
                uuid: r.opt_string(&sp, sel, "uuid"),
            }))
        }
        (None, None) => None,
    };
    let role_sec = roles.iter().find(|(ro, _, _)| *ro == role);
    // A node's own non-empty value wins whole; otherwise its role's (talhelper's merge).
    let pick = |r: &mut Reader, key: &str| -> (P, Option<Yaml>) {
        if item.get(key).is_some_and(|v| !matches!(v, Yaml::Null)) {
            (p.to_vec(), Some(item.clone()))
        } else if let Some((_, rp, sec)) = role_sec
            && sec.get(key).is_some()
        {
            let _ = r;
            (rp.clone(), Some((*sec).clone()))
        } else {
            (p.to_vec(), None)
        }
    };
    let (lp, lv) = pick(r, "nodeLabels");
    if let Some(v) = lv {
        n.labels = r.string_map(&lp, &v, "nodeLabels");
    }
    let (ap, av) = pick(r, "nodeAnnotations");
    if let Some(v) = av {
        n.annotations = r.string_map(&ap, &v, "nodeAnnotations");
    }
    let (tp, tv) = pick(r, "nodeTaints");
    if let Some(v) = tv {
        n.taints = r
            .string_map(&tp, &v, "nodeTaints")
            .into_iter()
            .map(|(key, val)| {
                let (value, effect) = val.rsplit_once(':').unwrap_or(("", val.as_str()));
                Taint {
                    key,
                    value: value.to_string(),
                    effect: effect.to_string(),
                }
            })
            .collect();
    }
    let (kp, kv) = pick(r, "kernelModules");
    if let Some(v) = kv
        && let Some(items) = v.get("kernelModules").and_then(Yaml::as_seq)
    {
        for (i, m) in items.iter().enumerate() {
            let mp = ix(&k(&kp, "kernelModules"), i);
            if let Some(name) = r.opt_string(&mp, m, "name") {
                n.kernel_modules.push(crate::model::KernelModule::new(name));
            }
        }
    }
    let (nsp, nsv) = pick(r, "nameservers");
    if let Some(v) = nsv {
        n.nameservers = r
            .strings(&nsp, &v, "nameservers")
            .iter()
            .filter_map(|s| parse_ip(s))
            .collect();
    }
    let (ip_, iv) = pick(r, "networkInterfaces");
    if let Some(v) = iv {
        n.interfaces = r.interfaces(&ip_, &v);
    }
    let (ip2, imgv) = pick(r, "talosImageURL");
    if let Some(v) = imgv {
        n.image = r.opt_string(&ip2, &v, "talosImageURL");
    }
    let (_, sv) = pick(r, "schematic");
    if let Some(v) = sv {
        n.schematic = v.get("schematic").cloned();
    }
    n.cert_sans = r.strings(p, item, "certSANs");
    if let Some((_, rp, sec)) = role_sec {
        n.cert_sans.extend(r.strings(rp, sec, "certSANs"));
    }
    if r.bool(p, item, "overridePatches").unwrap_or(false) {
        let d = r.error(
            &k(p, "overridePatches"),
            "talforge does not support talhelper's `overridePatches` yet",
        );
        r.push(d);
    }
    r.patches(p, item, &PatchTarget::Node(hostname.clone()), patches);
    Some(n)
}
