//! The ingress firewall documents talhelper writes for `ingressFirewall`, whatever the Talos
//! version: one `NetworkDefaultActionConfig`, then a `NetworkRuleConfig` per rule.

use super::network::doc;
use crate::model::Firewall;
use crate::yaml::Yaml;

/// The documents, in talhelper's order.
pub(super) fn documents(fw: &Firewall) -> Vec<Yaml> {
    // An unset default action is the Go zero value of `nethelpers.DefaultAction`: accept.
    let action = fw.default_action.as_deref().unwrap_or("accept");
    let mut docs = vec![doc(
        "NetworkDefaultActionConfig",
        [("ingress", Some(Yaml::str(action)))],
    )];
    for r in &fw.rules {
        let ports = r
            .ports
            .iter()
            .map(|&(lo, hi)| {
                if lo == hi {
                    Yaml::Int(lo.into())
                } else {
                    Yaml::str(format!("{lo}-{hi}"))
                }
            })
            .collect();
        let ingress = r
            .ingress
            .iter()
            .map(|(subnet, except)| {
                let mut m = crate::yaml::Map::new();
                m.insert("subnet".into(), Yaml::str(subnet.to_string()));
                if let Some(e) = except {
                    m.insert("except".into(), Yaml::str(e.to_string()));
                }
                Yaml::Map(m)
            })
            .collect();
        docs.push(doc(
            "NetworkRuleConfig",
            [
                ("name", Some(Yaml::str(&r.name))),
                (
                    "portSelector",
                    Some(Yaml::from_pairs([
                        ("ports", Yaml::Seq(ports)),
                        ("protocol", Yaml::str(&r.protocol)),
                    ])),
                ),
                ("ingress", Some(Yaml::Seq(ingress))),
            ],
        ));
    }
    docs
}
