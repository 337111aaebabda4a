//! `ClusterConfig.Validate` and the cluster-side helpers it calls (API server, controller
//! manager, scheduler, etcd, discovery, inline manifests, external cloud provider).

use super::gonet::{is_subnet_or_address, url_parse, validate_endpoint_uri};
use super::yamlx::{at, bool_at, non_empty, q, seq_at, str_at, strs_at};
use crate::yaml::Yaml;
use regex::Regex;
use std::sync::OnceLock;

fn is_valid_dns_name(name: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"^([a-zA-Z0-9_]{1}[a-zA-Z0-9_-]{0,62}){1}(\.[a-zA-Z0-9_]{1}[a-zA-Z0-9_-]{0,62})*[\._]?$")
            .expect("static regex")
    });
    !name.is_empty() && name.len() - name.matches('.').count() <= 255 && re.is_match(name)
}

/// The cluster checks; `cluster` is `None` when the section is absent or `null`.
pub(super) fn validate(cluster: Option<&Yaml>, is_cp: bool, minor: u32) -> Vec<String> {
    let Some(c) = cluster else {
        return vec!["cluster instructions are required".into()];
    };
    let mut e = Vec::new();
    // v1.14: the endpoint is `KubeClusterConfig`'s; a `controlPlane` section still needs one.
    if minor < 14 || at(c, "controlPlane").is_some() {
        let endpoint = str_at(c, "controlPlane.endpoint");
        if at(c, "controlPlane.endpoint").is_none() {
            return vec!["cluster controlplane endpoint is required".into()];
        }
        if let Err(err) = validate_endpoint_uri(&endpoint) {
            e.push(format!("invalid controlplane endpoint: {err}"));
        }
    }
    let dns = str_at(c, "network.dnsDomain");
    if !dns.is_empty() && !is_valid_dns_name(&dns) {
        e.push(format!("{} is not a valid DNS name", q(&dns)));
    }
    if let Some(ecp) = at(c, "externalCloudProvider") {
        let manifests = strs_at(ecp, "manifests");
        if bool_at(ecp, "enabled") != Some(true) && !manifests.is_empty() {
            e.push("external cloud provider is disabled, but manifests are provided".into());
        } else {
            for u in &manifests {
                if let Err(err) = validate_endpoint_uri(u) {
                    e.push(format!(
                        "invalid external cloud provider manifest url {}: {err}",
                        q(u)
                    ));
                }
            }
        }
    }
    if let Some(etcd) = at(c, "etcd") {
        if is_cp {
            e.extend(etcd_errors(etcd));
        } else {
            e.push("etcd config is only allowed on control plane machines".into());
        }
    }
    if !is_cp && !str_at(c, "ca.key").is_empty() {
        e.push("cluster CA key is not allowed on non-controlplane nodes (.cluster.ca)".into());
    }
    let mut names: Vec<String> = Vec::new();
    for m in seq_at(c, "inlineManifests") {
        let name = str_at(m, "name");
        if name.trim().is_empty() {
            e.push("inline manifest name can't be empty".into());
        }
        if names.contains(&name) {
            e.push(format!("inline manifest name {} is duplicate", q(&name)));
        }
        names.push(name);
    }
    e.extend(discovery_errors(c));
    if let Some(api) = at(c, "apiServer") {
        e.extend(api_server_error(api));
    }
    if let Some(err) = at(c, "controllerManager").and_then(|x| resources_error(at(x, "resources")))
    {
        e.push(format!(
            "controller-manager resource validation failed: {err}"
        ));
    }
    if let Some(err) = at(c, "scheduler").and_then(|x| resources_error(at(x, "resources"))) {
        e.push(format!("scheduler resource validation failed: {err}"));
    }
    e
}

fn etcd_errors(etcd: &Yaml) -> Vec<String> {
    let mut e = Vec::new();
    if at(etcd, "ca").is_none() {
        e.push("key/cert combination should not be empty".into());
    }
    let subnet = str_at(etcd, "subnet");
    let advertised = strs_at(etcd, "advertisedSubnets");
    let listen = strs_at(etcd, "listenSubnets");
    if !subnet.is_empty() && !advertised.is_empty() {
        e.push("etcd subnet can't be set when advertised subnets are set".into());
    }
    let eff_adv = if !advertised.is_empty() {
        advertised.clone()
    } else if !subnet.is_empty() {
        vec![subnet]
    } else {
        Vec::new()
    };
    let eff_listen = if listen.is_empty() {
        advertised
    } else {
        listen
    };
    for (what, list) in [("advertised", eff_adv), ("listen", eff_listen)] {
        for cidr in list {
            let cidr = cidr.strip_prefix('!').unwrap_or(&cidr);
            if !is_subnet_or_address(cidr) {
                e.push(format!("etcd {what} subnet is not valid: {}", q(cidr)));
            }
        }
    }
    e
}

fn discovery_errors(c: &Yaml) -> Vec<String> {
    let mut e = Vec::new();
    let Some(d) = at(c, "discovery") else {
        return e;
    };
    if bool_at(d, "enabled") != Some(true)
        || bool_at(d, "registries.service.disabled") == Some(true)
    {
        return e;
    }
    let ep = match str_at(d, "registries.service.endpoint") {
        s if s.is_empty() => "https://discovery.talos.dev/".to_string(),
        s => s,
    };
    match url_parse(&ep, true) {
        Err(err) => e.push(format!(
            "cluster discovery service registry endpoint is invalid: {err}"
        )),
        Ok(u) if !u.path.is_empty() && u.path != "/" => {
            e.push("cluster discovery service path should be empty".into());
        }
        Ok(_) => {}
    }
    if str_at(c, "id").is_empty() {
        e.push("cluster discovery service requires .cluster.id".into());
    }
    if str_at(c, "secret").is_empty() {
        e.push("cluster discovery service requires .cluster.secret".into());
    }
    e
}

/// `APIServerConfig.Validate` returns at most one error.
fn api_server_error(api: &Yaml) -> Option<String> {
    let authz = seq_at(api, "authorizationConfig");
    if at(api, "authorizationConfig").is_some() {
        for k in at(api, "extraArgs")
            .and_then(Yaml::as_map)
            .into_iter()
            .flat_map(|m| m.keys())
        {
            if k == "authorization-mode" {
                return Some("authorization-mode cannot be used in conjunction with AuthorizationConfig, use eitherr AuthorizationConfig or authorization-mode".into());
            }
            if k.starts_with("authorization-webhook-") {
                return Some("authorization-webhook-* flags cannot be used in conjunction with AuthorizationConfig, use either AuthorizationConfig or authorization-webhook-* flags".into());
            }
        }
    }
    for a in authz {
        let (t, n) = (str_at(a, "type"), str_at(a, "name"));
        let err = if t.is_empty() {
            Some("authorizer type must be set".to_string())
        } else if n.is_empty() {
            Some("authorizer name must be set".to_string())
        } else if !["Node", "RBAC", "Webhook"].contains(&t.as_str()) {
            Some(format!(
                "authorizer type {t} is not allowed, allowed types are [Node RBAC Webhook]"
            ))
        } else {
            None
        };
        if let Some(err) = err {
            return Some(format!(
                "apiserver authorization config validation failed: {err}"
            ));
        }
    }
    resources_error(at(api, "resources"))
        .map(|err| format!("apiserver resource validation failed: {err}"))
}

fn resources_error(r: Option<&Yaml>) -> Option<String> {
    let r = r?;
    for section in ["requests", "limits"] {
        if let Some(m) = at(r, section).and_then(Yaml::as_map) {
            for k in m.keys() {
                if k != "cpu" && k != "memory" {
                    return Some(format!("unsupported pod resource {}", q(k)));
                }
            }
        }
    }
    None
}

/// `ValidateCNI` (cluster.network.cni; absent means flannel).
pub(super) fn validate_cni(cni: Option<&Yaml>) -> (Vec<String>, Vec<String>) {
    let (mut w, mut e) = (Vec::new(), Vec::new());
    let name = cni.map_or_else(|| "flannel".to_string(), |c| str_at(c, "name"));
    let urls = cni.map(|c| strs_at(c, "urls")).unwrap_or_default();
    let flannel_args = cni.is_some_and(|c| non_empty(c, "flannel.extraArgs"));
    // v1.13's flannel network policies (the field does not decode before v1.13)
    let policies = cni.is_some_and(|c| {
        super::yamlx::bool_at(c, "flannel.kubeNetworkPoliciesEnabled") == Some(true)
    });
    let policies_error = |e: &mut Vec<String>| {
        if policies {
            e.push(format!(
                "\"flannelKubeNetworkPoliciesEnabled\" should not be enabled for {} CNI",
                q(&name)
            ));
        }
    };
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
            policies_error(&mut e);
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
            policies_error(&mut e);
            for u in &urls {
                if let Err(err) = validate_endpoint_uri(u) {
                    e.push(err.0);
                }
            }
        }
        _ => e.push("cni name should be one of [\"flannel\", \"custom\", \"none\"]".into()),
    }
    (w, e)
}
