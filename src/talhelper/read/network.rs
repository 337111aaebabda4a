//! `networkInterfaces[]`: links and bonds with their addresses, routes and VIP.

use super::Reader;
use crate::model::{Bond, Cidr, Interface, Route, parse_ip};
use crate::talhelper::keys::{bond as b, interface as k, node_config, route as rt, vip};
use crate::yaml::strict::Node;

/// The `networkInterfaces` of `parent` (a node or its role section); anything but a list
/// reads as none.
pub(super) fn interfaces(r: &mut Reader, parent: &Node) -> Vec<Interface> {
    let Some(list) = parent
        .get(node_config::NETWORK_INTERFACES.name)
        .filter(|l| l.value().as_seq().is_some())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in list.items().unwrap_or_default() {
        r.check_keys(&item, &[k::ALL]);
        let Some(name) = r.opt_string(&item, k::INTERFACE) else {
            let d = r
                .error(&item, "network interface needs `interface`")
                .with_hint("talforge does not support `deviceSelector` yet; name the link");
            r.push(d);
            continue;
        };
        let mut iface = Interface::new(name);
        iface.span = r.span(item.span());
        iface.mtu = r.u32(&item, k::MTU);
        iface.dhcp = r.bool(&item, k::DHCP).unwrap_or(false);
        iface.addresses = r
            .strings(&item, k::ADDRESSES)
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
        if let Some(v) = item.get(k::VIP.name) {
            r.check_keys(&v, &[vip::ALL]);
            if let Some(s) = r.opt_string(&v, vip::IP) {
                iface.vip = parse_ip(&s);
            }
        }
        if let Some(routes) = item.get(k::ROUTES.name) {
            for route in routes.items().unwrap_or_default() {
                iface.routes.push(read_route(r, &route));
            }
        }
        if let Some(bond) = item.get(k::BOND.name) {
            iface.bond = Some(read_bond(r, &bond));
        }
        out.push(iface);
    }
    out
}

/// One `routes[]` entry; a network that does not parse, or `/0`, is the default route.
fn read_route(r: &mut Reader, route: &Node) -> Route {
    r.check_keys(route, &[rt::ALL]);
    let network = r
        .opt_string(route, rt::NETWORK)
        .and_then(|n| Cidr::parse(&n))
        .filter(|c| c.prefix != 0);
    Route {
        network,
        gateway: r.opt_string(route, rt::GATEWAY).and_then(|g| parse_ip(&g)),
        source: r.opt_string(route, rt::SOURCE).and_then(|g| parse_ip(&g)),
        metric: r.u32(route, rt::METRIC),
        mtu: r.u32(route, rt::MTU),
    }
}

fn read_bond(r: &mut Reader, bond: &Node) -> Bond {
    r.check_keys(bond, &[b::ALL]);
    Bond {
        links: r.strings(bond, b::INTERFACES),
        mode: r.opt_string(bond, b::MODE),
        lacp_rate: r.opt_string(bond, b::LACP_RATE),
        xmit_hash_policy: r.opt_string(bond, b::XMIT_HASH_POLICY),
        miimon: r.u32(bond, b::MIIMON),
        updelay: r.u32(bond, b::UPDELAY),
        downdelay: r.u32(bond, b::DOWNDELAY),
        min_links: r.u32(bond, b::MIN_LINKS),
        ad_select: r.opt_string(bond, b::AD_SELECT),
        ..Bond::default()
    }
}
