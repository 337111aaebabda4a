//! `talforge import`: a talhelper cluster model written back as an idiomatic cluster script.
//!
//! The script must reproduce the talconfig it came from, so every setting the model holds
//! is written out. What makes it idiomatic: runs of nodes whose hostnames and addresses
//! count up together become one `for` loop, interfaces every node shares become cluster
//! defaults, and a VIP every control plane announces becomes `c.vip(...)`.

use crate::factory::schematic;
use crate::model::{
    Cidr, Cluster, Cni, EnvPiece, EnvVar, InstallDisk, Interface, Node, Patch, PatchSource,
    PatchTarget, Route, env_pieces,
};
use crate::talhelper::keys::{
    self, Key, cluster as kc, image_factory as kf, machine_spec as ks, node as kn,
    node_config as knc, route as kr,
};
use crate::yaml::Yaml;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};

/// Writes `cluster` (read from the talconfig at `from`) as a script that will live in
/// `script_dir`; patch files are referenced relative to that directory.
pub fn script_for(cluster: &Cluster, from: &Path, script_dir: &Path) -> String {
    let _scope = EnvScope::enter(&cluster.env_vars, script_dir);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Imported from {} by `talforge import`.",
        from.display()
    );
    let _ = writeln!(
        out,
        "// `talforge run` on this script writes the same talconfig.yaml and patches."
    );
    if !cluster.env_vars.is_empty() {
        let names: Vec<String> = cluster
            .env_vars
            .iter()
            .map(|v| format!("`{}`", v.name))
            .collect();
        let _ = writeln!(
            out,
            "// It reads {} with `env()` (and in patch files as `${{NAME}}`): from the\n// environment or talenv.yaml / talenv.sops.yaml beside this script.",
            names.join(", ")
        );
    }
    out.push('\n');
    let vip = shared_vip(cluster);
    let mut nodes: Vec<Node> = cluster.nodes.clone();
    if let Some(v) = vip {
        for n in nodes.iter_mut().filter(|n| n.is_control_plane()) {
            if let Some(i) = n.interfaces.first_mut()
                && i.vip == Some(v)
            {
                i.vip = None;
            }
        }
    }
    let defaults = shared_interfaces(&nodes);
    if !defaults.is_empty() {
        for n in &mut nodes {
            n.interfaces.clear();
        }
    }

    out.push_str(&format!(
        "let c = cluster({}, {});\n",
        rhai_str(&cluster.name),
        cluster_options(cluster)
    ));
    if !defaults.is_empty() {
        out.push('\n');
        for i in &defaults {
            let _ = writeln!(out, "c.{};", interface_call(i));
        }
    }
    if let Some(v) = vip {
        let _ = writeln!(out, "c.vip({});", rhai_str(&v.to_string()));
    }
    for call in super::unparse_machine::cluster_calls(cluster) {
        let _ = writeln!(out, "c.{call};");
    }
    if !cluster.patches.is_empty() {
        out.push('\n');
    }
    for (p, name) in cluster.patches.iter().zip(patch_names(&cluster.patches)) {
        let _ = writeln!(out, "{}", patch_call(p, &name, script_dir));
    }
    out.push('\n');
    let mut i = 0;
    while i < nodes.len() {
        let run = run_length(&nodes[i..]);
        if run >= 2 {
            out.push_str(&node_loop(&nodes[i..i + run]));
        } else {
            out.push_str(&node_stmt(&nodes[i], "", None));
        }
        i += run.max(1);
    }
    out
}

fn cluster_options(c: &Cluster) -> String {
    let mut o: Vec<(String, String)> = vec![
        (opt(kc::ENDPOINT), rhai_str(&c.endpoint)),
        (
            opt(kc::TALOS_VERSION),
            rhai_str(&c.talos_version.to_string()),
        ),
        (
            opt(kc::KUBERNETES_VERSION),
            rhai_str(&c.kubernetes_version.to_string()),
        ),
    ];
    let defaults = Cluster::new("", "", c.talos_version, c.kubernetes_version);
    if c.pod_nets != defaults.pod_nets {
        o.push((opt(kc::CLUSTER_POD_NETS), cidr_list(&c.pod_nets)));
    }
    if c.service_nets != defaults.service_nets {
        o.push((opt(kc::CLUSTER_SVC_NETS), cidr_list(&c.service_nets)));
    }
    if let Some(d) = &c.dns_domain {
        o.push((opt(kc::DOMAIN), rhai_str(d)));
    }
    if c.allow_scheduling_on_control_planes {
        o.push((opt(kc::ALLOW_SCHEDULING_ON_CONTROL_PLANES), "true".into()));
    }
    push_strs(
        &mut o,
        kc::ADDITIONAL_API_SERVER_CERT_SANS,
        &c.api_server_cert_sans,
    );
    push_strs(
        &mut o,
        kc::ADDITIONAL_MACHINE_CERT_SANS,
        &c.machine_cert_sans,
    );
    // Cluster-wide nameservers, NTP servers and age recipients have no talhelper key.
    push_ips(&mut o, "nameservers", &c.nameservers);
    if !c.ntp.is_empty() {
        o.push(("ntp".into(), str_list(c.ntp.iter().map(String::as_str))));
    }
    let cni = opt(keys::cni_config::NAME);
    match &c.cni {
        Cni::Default => {}
        Cni::Flannel => o.push((cni, rhai_str("flannel"))),
        Cni::None => o.push((cni, rhai_str("none"))),
        Cni::Custom(urls) => {
            o.push((cni, rhai_str("custom")));
            push_strs(&mut o, keys::cni_config::URLS, urls);
        }
    }
    if !c.sops.age.is_empty() {
        o.push(("age".into(), rhai_str(&c.sops.age.join(","))));
    }
    if c.talos_mode != defaults.talos_mode {
        o.push(("talos_mode".into(), rhai_str(c.talos_mode.as_str())));
    }
    let f = &c.image_factory;
    let factory: Vec<(String, String)> = [
        (kf::REGISTRY_URL, &f.registry_url),
        (kf::SCHEMATIC_ENDPOINT, &f.schematic_endpoint),
        (kf::PROTOCOL, &f.protocol),
        (kf::INSTALLER_URL_TMPL, &f.installer_url_tmpl),
        (kf::ISO_URL_TMPL, &f.image_url_tmpl),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (opt(k), rhai_str(v))))
    .collect();
    if !factory.is_empty() {
        o.push((opt(kc::IMAGE_FACTORY), inline_map(&factory)));
    }
    block_map(&o, "")
}

/// The script option that says what talhelper's `k` says (its name when it has none; the
/// table's tests make sure every key written here has one).
pub(super) fn opt(k: Key) -> String {
    k.script.unwrap_or(k.name).to_string()
}

fn push_strs(o: &mut Vec<(String, String)>, key: Key, v: &[String]) {
    if !v.is_empty() {
        o.push((opt(key), str_list(v.iter().map(String::as_str))));
    }
}

fn push_ips(o: &mut Vec<(String, String)>, key: &str, v: &[IpAddr]) {
    if !v.is_empty() {
        let s: Vec<String> = v.iter().map(ToString::to_string).collect();
        o.push((key.into(), str_list(s.iter().map(String::as_str))));
    }
}

/// A VIP that every control plane announces on its first interface, and no worker does.
fn shared_vip(c: &Cluster) -> Option<IpAddr> {
    let mut vip = None;
    for n in &c.nodes {
        // A cloud VIP provider stays on its interface: `c.vip()` has none.
        let first = n
            .interfaces
            .first()
            .filter(|i| i.vip_provider.is_none())
            .and_then(|i| i.vip);
        let any = n.interfaces.iter().filter_map(|i| i.vip).count();
        if n.is_control_plane() {
            match (vip, first) {
                (_, None) => return None,
                (None, Some(v)) => vip = Some(v),
                (Some(a), Some(b)) if a != b => return None,
                _ => {}
            }
            if any != 1 {
                return None;
            }
        } else if any > 0 {
            return None;
        }
    }
    vip
}

/// Interfaces identical on every node (and at least two nodes), as cluster defaults.
fn shared_interfaces(nodes: &[Node]) -> Vec<Interface> {
    let Some(first) = nodes.first() else {
        return Vec::new();
    };
    // Cluster defaults are named links and bonds (`c.interface`, `c.bond`).
    let liftable = |i: &Interface| {
        !i.name.is_empty() && i.bridge.is_none() && i.wireguard.is_none() && !i.dummy
    };
    if nodes.len() < 2 || first.interfaces.is_empty() || !first.interfaces.iter().all(liftable) {
        return Vec::new();
    }
    let same = |a: &[Interface], b: &[Interface]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                let (mut x, mut y) = (x.clone(), y.clone());
                x.span = None;
                y.span = None;
                x == y
            })
    };
    if nodes.iter().all(|n| same(&n.interfaces, &first.interfaces)) {
        first.interfaces.clone()
    } else {
        Vec::new()
    }
}

/// How many nodes from the start form a counting run: hostnames `<prefix><n>` with n going
/// up by one, addresses going up by one, everything else equal.
fn run_length(nodes: &[Node]) -> usize {
    let Some((prefix, start)) = split_number(&nodes[0].hostname) else {
        return 1;
    };
    let mut len = 1;
    for (k, n) in nodes.iter().enumerate().skip(1) {
        let Some((p, num)) = split_number(&n.hostname) else {
            break;
        };
        let expected_ip = nodes[0]
            .ip
            .ip()
            .and_then(|ip| crate::model::ip_add(ip, k as i128));
        if p != prefix
            || num != start + k as u64
            || expected_ip.is_none()
            || n.ip.ip() != expected_ip
            || !same_besides_name(&nodes[0], n)
        {
            break;
        }
        len += 1;
    }
    len
}

fn split_number(h: &str) -> Option<(&str, u64)> {
    let digits = h.len() - h.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 6 {
        return None;
    }
    let (p, d) = h.split_at(h.len() - digits);
    // `node01` would lose its zero padding in a loop.
    if d.len() > 1 && d.starts_with('0') {
        return None;
    }
    Some((p, d.parse().ok()?))
}

fn same_besides_name(a: &Node, b: &Node) -> bool {
    let mut x = b.clone();
    x.hostname.clone_from(&a.hostname);
    x.ip.clone_from(&a.ip);
    x.span.clone_from(&a.span);
    for (i, j) in x.interfaces.iter_mut().zip(&a.interfaces) {
        i.span.clone_from(&j.span);
    }
    // Where a schematic was written differs per node; what it says is what matters.
    for (mine, theirs) in [
        (&mut x.schematic, &a.schematic),
        (&mut x.image_schematic, &a.image_schematic),
    ] {
        if let (Some(m), Some(t)) = (mine.as_mut(), theirs) {
            m.span.clone_from(&t.span);
            m.extension_spans.clone_from(&t.extension_spans);
        }
    }
    super::unparse_machine::align_spans(&mut x, a);
    // Static addresses differ per node; a loop cannot express them.
    x == *a && a.interfaces.iter().all(|i| i.addresses.is_empty())
}

fn node_loop(run: &[Node]) -> String {
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

fn node_stmt(n: &Node, indent: &str, looped: Option<(String, String)>) -> String {
    let (name, ip) = looped.unwrap_or_else(|| (rhai_str(&n.hostname), rhai_str(&n.ip.to_string())));
    let opts = node_options(n);
    let call = if opts.is_empty() {
        format!("c.node({name}, {ip})")
    } else {
        format!("c.node({name}, {ip}, {})", inline_map(&opts))
    };
    let mut calls: Vec<String> = n.interfaces.iter().map(interface_call).collect();
    calls.extend(super::unparse_machine::node_calls(n));
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
        o.push((
            opt(knc::INGRESS_FIREWALL),
            super::unparse_net::firewall_map(f),
        ));
    }
    o.extend(super::unparse_machine::node_options(n));
    o
}

fn interface_call(i: &Interface) -> String {
    let opts = inline_map(&super::unparse_net::interface_options(i));
    let name = rhai_str(&i.name);
    let members = |links: &[String], selectors: &[crate::model::DeviceSelector]| {
        let mut items: Vec<String> = links.iter().map(|l| rhai_str(l)).collect();
        items.extend(selectors.iter().map(super::unparse_net::selector_map));
        format!("[{}]", items.join(", "))
    };
    if let Some(b) = &i.bond {
        return format!("bond({name}, {}, {opts})", members(&b.links, &b.selectors));
    }
    if let Some(br) = &i.bridge {
        return format!("bridge({name}, {}, {opts})", members(&br.links, &[]));
    }
    if i.wireguard.is_some() {
        return format!("wireguard({name}, {opts})");
    }
    if i.dummy {
        return format!("dummy({name}, {opts})");
    }
    match (&i.selector, i.name.is_empty()) {
        (Some(sel), true) => format!("link({}, {opts})", super::unparse_net::selector_map(sel)),
        _ => format!("interface({name}, {opts})"),
    }
}

pub(super) fn route(r: &Route) -> String {
    let mut o = Vec::new();
    if let Some(n) = &r.network {
        o.push((opt(kr::NETWORK), rhai_str(&n.to_string())));
    }
    if let Some(g) = r.gateway {
        o.push((opt(kr::GATEWAY), rhai_str(&g.to_string())));
    }
    if let Some(s) = r.source {
        o.push((opt(kr::SOURCE), rhai_str(&s.to_string())));
    }
    if let Some(m) = r.metric {
        o.push((opt(kr::METRIC), m.to_string()));
    }
    if let Some(m) = r.mtu {
        o.push((opt(kr::MTU), m.to_string()));
    }
    inline_map(&o)
}

/// Distinct names for the patches (each becomes `patches/<name>.yaml`): files of the same
/// stem, or one file used for several targets, get the target after their stem.
fn patch_names(patches: &[Patch]) -> Vec<String> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    let mut taken: Vec<String> = Vec::new();
    for p in patches {
        let base = clean(&p.name);
        let base = if base.is_empty() {
            "patch".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        if taken.contains(&name) {
            let suffix = match &p.target {
                PatchTarget::All => "all".to_string(),
                PatchTarget::ControlPlanes => "controlplane".to_string(),
                PatchTarget::Workers => "worker".to_string(),
                PatchTarget::Node(h) => clean(h),
            };
            name = format!("{base}-{suffix}");
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}-{suffix}-{n}");
                n += 1;
            }
        }
        taken.push(name);
    }
    taken
}

fn patch_call(p: &Patch, name: &str, script_dir: &Path) -> String {
    let target = match &p.target {
        PatchTarget::All => "all".to_string(),
        PatchTarget::ControlPlanes => "control_planes".to_string(),
        PatchTarget::Workers => "workers".to_string(),
        PatchTarget::Node(h) => rhai_str(h),
    };
    let content = match &p.source {
        PatchSource::File(f) => rhai_lit(&relative(f, script_dir).to_string_lossy()),
        // One map, a list of JSON6902 operations, or a list of documents.
        PatchSource::Inline => match p.documents.as_slice() {
            [one] => rhai_value(one),
            docs => format!(
                "[{}]",
                docs.iter().map(rhai_value).collect::<Vec<_>>().join(", ")
            ),
        },
    };
    format!("c.patch({target}, {}, {content});", rhai_lit(name))
}

/// `to` relative to `base` (both made absolute against the working directory).
fn relative(to: &Path, base: &Path) -> PathBuf {
    let to = crate::fs::absolute(to);
    let base = crate::fs::absolute(base);
    let t: Vec<Component> = to.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

pub(super) fn cidr_list(v: &[Cidr]) -> String {
    let s: Vec<String> = v.iter().map(ToString::to_string).collect();
    str_list(s.iter().map(String::as_str))
}

pub(super) fn str_list<'a>(v: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = v.map(rhai_str).collect();
    format!("[{}]", items.join(", "))
}

fn block_map(o: &[(String, String)], indent: &str) -> String {
    if o.is_empty() {
        return "#{}".into();
    }
    let mut s = String::from("#{\n");
    for (k, v) in o {
        let _ = writeln!(s, "{indent}    {}: {v},", rhai_key(k));
    }
    s.push_str(indent);
    s.push('}');
    s
}

pub(super) fn inline_map(o: &[(String, String)]) -> String {
    if o.is_empty() {
        return "#{}".into();
    }
    let items: Vec<String> = o
        .iter()
        .map(|(k, v)| format!("{}: {v}", rhai_key(k)))
        .collect();
    format!("#{{ {} }}", items.join(", "))
}

fn rhai_key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ident && !is_rhai_keyword(k) {
        k.to_string()
    } else {
        rhai_lit(k)
    }
}

fn is_rhai_keyword(k: &str) -> bool {
    matches!(
        k,
        "true"
            | "false"
            | "let"
            | "const"
            | "if"
            | "else"
            | "switch"
            | "do"
            | "while"
            | "until"
            | "loop"
            | "for"
            | "in"
            | "continue"
            | "break"
            | "return"
            | "throw"
            | "try"
            | "catch"
            | "fn"
            | "private"
            | "import"
            | "export"
            | "as"
            | "global"
            | "this"
            | "is_def_var"
            | "is_def_fn"
            | "is_shared"
            | "Fn"
            | "call"
            | "curry"
            | "type_of"
            | "print"
            | "debug"
            | "eval"
            // Rhai's reserved words (a syntax error as bare map keys).
            | "var"
            | "static"
            | "shared"
            | "goto"
            | "exit"
            | "match"
            | "case"
            | "public"
            | "protected"
            | "new"
            | "use"
            | "with"
            | "module"
            | "package"
            | "super"
            | "thread"
            | "spawn"
            | "go"
            | "sync"
            | "async"
            | "await"
            | "yield"
            | "default"
            | "void"
            | "null"
            | "nil"
    )
}

thread_local! {
    /// The variables of the cluster being written (see [`EnvScope`]).
    static ENV_VARS: std::cell::RefCell<Vec<EnvVar>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The directory the script will live in.
    static SCRIPT_DIR: std::cell::RefCell<PathBuf> = std::cell::RefCell::new(PathBuf::new());
}

/// While alive, [`rhai_str`] writes the values of these variables as `env("NAME")` and
/// [`file_ref`] paths relative to the script. A scope instead of parameters because every
/// writer of a literal, in three files, needs it.
struct EnvScope;

impl EnvScope {
    fn enter(vars: &[EnvVar], script_dir: &Path) -> EnvScope {
        ENV_VARS.with(|v| v.borrow_mut().clone_from(&vars.to_vec()));
        SCRIPT_DIR.with(|d| *d.borrow_mut() = script_dir.to_path_buf());
        EnvScope
    }
}

impl Drop for EnvScope {
    fn drop(&mut self) {
        ENV_VARS.with(|v| v.borrow_mut().clear());
        SCRIPT_DIR.with(|d| d.borrow_mut().clear());
    }
}

/// A file's path as the script names it (relative to the script's directory).
pub(super) fn file_ref(path: &Path) -> String {
    SCRIPT_DIR.with(|d| rhai_lit(&relative(path, &d.borrow()).to_string_lossy()))
}

fn pieces(s: &str) -> Vec<EnvPiece> {
    ENV_VARS.with(|v| env_pieces(s, &v.borrow()))
}

/// A Rhai string expression: a literal, where a part came from the environment
/// `env("NAME")` (joined with `+`), so the script keeps the reference, never the value.
pub(super) fn rhai_str(s: &str) -> String {
    let parts: Vec<String> = pieces(s)
        .into_iter()
        .map(|p| match p {
            EnvPiece::Text(t) => rhai_lit(&t),
            EnvPiece::Var(n) => format!("env({})", rhai_lit(&n)),
        })
        .collect();
    match parts.len() {
        0 => rhai_lit(""),
        _ => parts.join(" + "),
    }
}

/// The text of a backtick template with `env("NAME")` interpolated where it came from the
/// environment.
fn template_text(s: &str) -> String {
    pieces(s)
        .into_iter()
        .map(|p| match p {
            EnvPiece::Text(t) => t.replace('`', "\\`").replace('$', "\\$"),
            EnvPiece::Var(n) => format!("${{env({})}}", rhai_lit(&n)),
        })
        .collect()
}

/// A Rhai string literal.
pub(super) fn rhai_lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML value as a Rhai literal (maps keep their order through the conversion back).
pub(super) fn rhai_value(v: &Yaml) -> String {
    match v {
        Yaml::Null => "()".into(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(f) => {
            let s = format!("{f:?}");
            if s.contains(['.', 'e', 'N', 'i']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Yaml::Str(s) => rhai_str(s),
        Yaml::Seq(items) => {
            let items: Vec<String> = items.iter().map(rhai_value).collect();
            format!("[{}]", items.join(", "))
        }
        Yaml::Map(m) => inline_map(
            &m.iter()
                .map(|(k, v)| (k.clone(), rhai_value(v)))
                .collect::<Vec<_>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, Version};

    fn cluster() -> Cluster {
        let v = |s| Version::parse(s).unwrap();
        let mut c = Cluster::new("lab", "https://10.0.0.10:6443", v("v1.12.0"), v("v1.35.0"));
        for i in 1..=3u8 {
            let mut n = Node::new(
                format!("lab-cp-{i}"),
                IpAddr::from([10, 0, 0, 10 + i]),
                Role::ControlPlane,
            );
            n.install = Some(InstallDisk::Path("/dev/sda".into()));
            let mut eth = Interface::new("eth0");
            eth.dhcp = true;
            eth.vip = Some(IpAddr::from([10, 0, 0, 10]));
            n.interfaces.push(eth);
            c.nodes.push(n);
        }
        let mut w = Node::new("gpu", IpAddr::from([10, 0, 0, 20]), Role::Worker);
        w.labels.insert("gpu".into(), "true".into());
        let mut eth = Interface::new("eth0");
        eth.dhcp = true;
        w.interfaces.push(eth);
        c.nodes.push(w);
        c
    }

    #[test]
    fn loops_defaults_and_vip() {
        let s = script_for(&cluster(), Path::new("talconfig.yaml"), Path::new("."));
        assert!(s.contains("for i in 1..=3 {\n    c.node(`lab-cp-${i}`, ip(\"10.0.0.11\") + (i - 1), #{ control_plane: true, install_disk: \"/dev/sda\" });\n}\n"), "{s}");
        assert!(s.contains("c.interface(\"eth0\", #{ dhcp: true });"), "{s}");
        assert!(s.contains("c.vip(\"10.0.0.10\");"), "{s}");
        assert!(
            s.contains("c.node(\"gpu\", \"10.0.0.20\", #{ labels: #{ gpu: \"true\" } });"),
            "{s}"
        );
    }

    #[test]
    fn the_script_evaluates_to_the_same_nodes() {
        let c = cluster();
        let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
        let ev = crate::script::evaluate_source(
            Path::new("imported.rhai"),
            &s,
            &crate::script::Limits::default(),
        )
        .unwrap_or_else(|f| panic!("{:?}\n{s}", f.diagnostics));
        let got = &ev.fleet.clusters[0];
        assert_eq!(got.nodes.len(), c.nodes.len());
        for (a, b) in got.nodes.iter().zip(&c.nodes) {
            assert_eq!(a.hostname, b.hostname);
            assert_eq!(a.ip, b.ip);
            assert_eq!(a.role, b.role);
            assert_eq!(a.install, b.install);
            assert_eq!(a.labels, b.labels);
            let strip = |i: &[Interface]| {
                i.iter()
                    .map(|i| {
                        let mut i = i.clone();
                        i.span = None;
                        i
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&a.interfaces), strip(&b.interfaces), "{}", a.hostname);
        }
    }

    #[test]
    fn talos_mode_round_trips_and_metal_is_left_out() {
        let mut c = cluster();
        let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
        assert!(!s.contains("talos_mode"), "{s}");
        c.talos_mode = crate::model::TalosMode::Container;
        let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
        let ev = crate::script::evaluate_source(
            Path::new("imported.rhai"),
            &s,
            &crate::script::Limits::default(),
        )
        .unwrap_or_else(|f| panic!("{:?}\n{s}", f.diagnostics));
        assert_eq!(
            ev.fleet.clusters[0].talos_mode,
            crate::model::TalosMode::Container
        );
    }

    /// Every option `import` takes from the key table must be one the script accepts with
    /// the same meaning: a node and cluster setting every such key evaluate back unchanged.
    #[test]
    fn table_options_import_writes_are_script_options() {
        use crate::model::{Bond, DiskSelector, Taint};
        let v = |s| Version::parse(s).unwrap();
        let mut c = Cluster::new("lab", "https://10.0.0.10:6443", v("v1.12.0"), v("v1.35.0"));
        c.pod_nets = vec![Cidr::parse("10.42.0.0/16").unwrap()];
        c.service_nets = vec![Cidr::parse("10.43.0.0/16").unwrap()];
        c.dns_domain = Some("lab.local".into());
        c.allow_scheduling_on_control_planes = true;
        c.api_server_cert_sans = vec!["api.lab".into()];
        c.machine_cert_sans = vec!["m.lab".into()];
        c.cni = Cni::Custom(vec!["https://example.com/cni.yaml".into()]);
        let mut n = Node::new("cp", IpAddr::from([10, 0, 0, 11]), Role::ControlPlane);
        n.install = Some(InstallDisk::Selector(DiskSelector {
            size: Some(">= 100GB".into()),
            model: Some("Samsung*".into()),
            disk_type: Some("nvme".into()),
            serial: Some("S1".into()),
            wwid: Some("eui.1".into()),
            bus_path: Some("/pci0000:00/0000:00:1d.0".into()),
            name: Some("/dev/nvme*".into()),
            modalias: Some("pci:v00008086*".into()),
            uuid: Some("0000-1111".into()),
        }));
        n.image = Some("ghcr.io/lab/installer".into());
        let mut sch = crate::model::Schematic::default();
        sch.customization.official_extensions = vec!["siderolabs/iscsi-tools".into()];
        sch.customization.extra_kernel_args = vec!["net.ifnames=0".into()];
        n.schematic = Some(sch.clone());
        sch.overlay.image = "siderolabs/sbc-raspberrypi".into();
        sch.overlay.name = "rpi_generic".into();
        n.image_schematic = Some(sch);
        n.machine_spec = crate::model::MachineSpec {
            mode: Some("metal".into()),
            arch: Some("arm64".into()),
            secureboot: true,
            use_uki: true,
            boot_method: Some("disk-image".into()),
            image_suffix: Some("raw.zst".into()),
        };
        n.no_schematic_validate = true;
        c.image_factory.registry_url = Some("factory.lab".into());
        c.image_factory.installer_url_tmpl =
            Some("{{.RegistryURL}}/installer/{{.ID}}:{{.Version}}".into());
        n.labels.insert("zone".into(), "a".into());
        n.annotations.insert("note".into(), "x".into());
        n.taints.push(Taint {
            key: "dedicated".into(),
            value: "db".into(),
            effect: "NoSchedule".into(),
        });
        n.cert_sans = vec!["cp.lab".into()];
        n.kernel_modules = vec![crate::model::KernelModule::new("rbd")];
        n.nameservers = vec![IpAddr::from([1, 1, 1, 1])];
        let mut bond = Interface::new("bond0");
        bond.bond = Some(Bond {
            links: vec!["eth0".into(), "eth1".into()],
            mode: Some("802.3ad".into()),
            lacp_rate: Some("fast".into()),
            xmit_hash_policy: Some("layer3+4".into()),
            miimon: Some(100),
            updelay: Some(200),
            downdelay: Some(300),
            min_links: Some(1),
            ad_select: Some("stable".into()),
            ..Bond::default()
        });
        bond.mtu = Some(9000);
        bond.addresses = vec![Cidr::parse("10.0.0.11/24").unwrap()];
        bond.routes.push(Route {
            network: Some(Cidr::parse("10.1.0.0/16").unwrap()),
            gateway: Some(IpAddr::from([10, 0, 0, 1])),
            source: Some(IpAddr::from([10, 0, 0, 11])),
            metric: Some(5),
            mtu: Some(1500),
        });
        let mut eth = Interface::new("eth2");
        eth.dhcp = true;
        eth.vip = Some(IpAddr::from([10, 0, 0, 10]));
        n.interfaces = vec![bond, eth];
        c.nodes.push(n);
        let s = script_for(&c, Path::new("talconfig.yaml"), Path::new("."));
        let ev = crate::script::evaluate_source(
            Path::new("imported.rhai"),
            &s,
            &crate::script::Limits::default(),
        )
        .unwrap_or_else(|f| panic!("{:?}\n{s}", f.diagnostics));
        let mut got = ev.fleet.clusters[0].clone();
        for n in &mut got.nodes {
            n.span = None;
            for i in &mut n.interfaces {
                i.span = None;
            }
            for s in [&mut n.schematic, &mut n.image_schematic]
                .into_iter()
                .flatten()
            {
                s.extension_spans.clear();
            }
        }
        assert_eq!(got.nodes, c.nodes, "{s}");
        assert_eq!(got.image_factory, c.image_factory, "{s}");
        let same = (
            &got.pod_nets,
            &got.service_nets,
            &got.dns_domain,
            got.allow_scheduling_on_control_planes,
            &got.api_server_cert_sans,
            &got.machine_cert_sans,
            &got.cni,
        );
        let want = (
            &c.pod_nets,
            &c.service_nets,
            &c.dns_domain,
            c.allow_scheduling_on_control_planes,
            &c.api_server_cert_sans,
            &c.machine_cert_sans,
            &c.cni,
        );
        assert_eq!(same, want, "{s}");
    }

    #[test]
    fn zero_padded_names_are_not_looped() {
        assert_eq!(split_number("node01"), None);
        assert_eq!(split_number("node10"), Some(("node", 10)));
        assert_eq!(split_number("node"), None);
    }

    #[test]
    fn literals_escape() {
        assert_eq!(rhai_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(
            rhai_key("node.kubernetes.io/role"),
            "\"node.kubernetes.io/role\""
        );
        assert_eq!(rhai_key("fn"), "\"fn\"");
        assert_eq!(
            rhai_value(&Yaml::from_pairs([(
                "a",
                Yaml::Seq(vec![Yaml::Int(1), Yaml::Null])
            )])),
            "#{ a: [1, ()] }"
        );
    }
}
