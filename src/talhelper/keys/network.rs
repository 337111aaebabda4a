//! talconfig.yaml's network sections: interfaces, bonds, bridges, VLANs, DHCP, WireGuard, firewall.

section! {
    /// `networkInterfaces[]` entries (Talos' legacy `Device`).
    interface: Interface {
        INTERFACE = "interface", Str, Read, None, "the device name; may be left out with `deviceSelector`";
        DEVICE_SELECTOR = "deviceSelector", Map, Read, Some("select"), "see `device_selector`; `n.link(#{...})` when unnamed";
        ADDRESSES = "addresses", Strings, Read, Some("addresses"), "CIDRs or bare addresses";
        CIDR = "cidr", Str, Read, Some("cidr"), "legacy single address, before Talos 1.12";
        ROUTES = "routes", List, Read, Some("routes"), "see `route`";
        BOND = "bond", Map, Read, None, "see `bond`; `n.bond(name, links, ...)`";
        BRIDGE = "bridge", Map, Read, None, "see `bridge`; `n.bridge(name, links, ...)`";
        BRIDGE_PORT = "bridgePort", Map, Read, Some("bridge_port"), "`master`, before Talos 1.12";
        VLANS = "vlans", List, Read, Some("vlans"), "see `vlan`; `n.vlan(parent, id, ...)`";
        MTU = "mtu", U32, Read, Some("mtu"), "`0` is unset";
        DHCP = "dhcp", Bool, Read, Some("dhcp"), "";
        IGNORE = "ignore", Bool, Read, Some("ignore"), "before Talos 1.12";
        DUMMY = "dummy", Bool, Read, None, "`n.dummy(name, ...)`, before Talos 1.12";
        DHCP_OPTIONS = "dhcpOptions", Map, Read, Some("dhcp_options"), "see `dhcp_options`";
        WIREGUARD = "wireguard", Map, Read, None, "see `wireguard`; `n.wireguard(name, ...)`";
        VIP = "vip", Map, Read, Some("vip"), "see `vip`";
    }
}

section! {
    /// `deviceSelector` and `bond.deviceSelectors[]`: globs matched against the link.
    device_selector: DeviceSelector {
        BUS_PATH = "busPath", Str, Read, Some("bus_path"), "";
        HARDWARE_ADDR = "hardwareAddr", Str, Read, Some("mac"), "";
        PERMANENT_ADDR = "permanentAddr", Str, Read, Some("permanent_mac"), "";
        PCI_ID = "pciID", Str, Read, Some("pci_id"), "";
        DRIVER = "driver", Str, Read, Some("driver"), "";
        PHYSICAL = "physical", Bool, Read, Some("physical"), "";
    }
}

section! {
    /// `networkInterfaces[].routes[]` entries.
    route: Route {
        NETWORK = "network", Str, Read, Some("network"), "`0.0.0.0/0` is the default route";
        GATEWAY = "gateway", Str, Read, Some("gateway"), "";
        SOURCE = "source", Str, Read, Some("source"), "";
        METRIC = "metric", U32, Read, Some("metric"), "";
        MTU = "mtu", U32, Read, Some("mtu"), "";
    }
}

section! {
    /// `networkInterfaces[].vip` (and a VLAN's).
    vip: Vip {
        IP = "ip", Str, Read, Some("ip"), "`c.vip(...)` when every control plane shares it";
        EQUINIX_METAL = "equinixMetal", Map, Read, Some("equinix_metal"), "`apiToken`, before Talos 1.12";
        HCLOUD = "hcloud", Map, Read, Some("hcloud"), "`apiToken`, before Talos 1.12";
    }
}

section! {
    /// `vip.hcloud` / `vip.equinixMetal`.
    vip_provider: VipProvider {
        API_TOKEN = "apiToken", Str, Read, None, "a secret: written as a `${VAR}` reference";
    }
}

section! {
    /// `networkInterfaces[].bond`.
    bond: Bond {
        INTERFACES = "interfaces", Strings, Read, None, "the links; `n.bond(name, links, ...)`";
        DEVICE_SELECTORS = "deviceSelectors", List, Read, None, "members by hardware: selector maps among the links";
        ARP_IP_TARGET = "arpIPTarget", Strings, Read, Some("arp_ip_target"), "";
        MODE = "mode", Str, Read, Some("mode"), "";
        XMIT_HASH_POLICY = "xmitHashPolicy", Str, Read, Some("xmit_hash_policy"), "";
        LACP_RATE = "lacpRate", Str, Read, Some("lacp_rate"), "";
        AD_ACTOR_SYSTEM = "adActorSystem", Str, Read, Some("ad_actor_system"), "before Talos 1.12";
        ARP_VALIDATE = "arpValidate", Str, Read, Some("arp_validate"), "";
        ARP_ALL_TARGETS = "arpAllTargets", Str, Read, Some("arp_all_targets"), "";
        PRIMARY = "primary", Str, Read, Some("primary"), "before Talos 1.12";
        PRIMARY_RESELECT = "primaryReselect", Str, Read, Some("primary_reselect"), "";
        FAIL_OVER_MAC = "failOverMac", Str, Read, Some("fail_over_mac"), "";
        AD_SELECT = "adSelect", Str, Read, Some("ad_select"), "";
        MIIMON = "miimon", U32, Read, Some("miimon"), "";
        UPDELAY = "updelay", U32, Read, Some("updelay"), "";
        DOWNDELAY = "downdelay", U32, Read, Some("downdelay"), "";
        ARP_INTERVAL = "arpInterval", U32, Read, Some("arp_interval"), "";
        RESEND_IGMP = "resendIgmp", U32, Read, Some("resend_igmp"), "";
        MIN_LINKS = "minLinks", U32, Read, Some("min_links"), "";
        LP_INTERVAL = "lpInterval", U32, Read, Some("lp_interval"), "";
        PACKETS_PER_SLAVE = "packetsPerSlave", U32, Read, Some("packets_per_slave"), "";
        NUM_PEER_NOTIF = "numPeerNotif", U32, Read, Some("num_peer_notif"), "0-255";
        TLB_DYNAMIC_LB = "tlbDynamicLb", U32, Read, Some("tlb_dynamic_lb"), "0-255";
        ALL_SLAVES_ACTIVE = "allSlavesActive", U32, Read, Some("all_slaves_active"), "0-255";
        USE_CARRIER = "useCarrier", Bool, Read, Some("use_carrier"), "";
        AD_ACTOR_SYS_PRIO = "adActorSysPrio", U32, Read, Some("ad_actor_sys_prio"), "0-65535";
        AD_USER_PORT_KEY = "adUserPortKey", U32, Read, Some("ad_user_port_key"), "0-65535";
        PEER_NOTIFY_DELAY = "peerNotifyDelay", U32, Read, Some("peer_notify_delay"), "";
    }
}

section! {
    /// `networkInterfaces[].bridge`.
    bridge: Bridge {
        INTERFACES = "interfaces", Strings, Read, None, "the links; `n.bridge(name, links, ...)`";
        STP = "stp", Map, Read, Some("stp"), "`enabled`";
        VLAN = "vlan", Map, Read, Some("vlan_filtering"), "`vlanFiltering`";
    }
}

section! {
    /// `bridge.stp`.
    bridge_stp: BridgeStp {
        ENABLED = "enabled", Bool, Read, Some("stp"), "";
    }
}

section! {
    /// `bridge.vlan`.
    bridge_vlan: BridgeVlan {
        VLAN_FILTERING = "vlanFiltering", Bool, Read, Some("vlan_filtering"), "";
    }
}

section! {
    /// `bridgePort`.
    bridge_port: BridgePort {
        MASTER = "master", Str, Read, Some("bridge_port"), "";
    }
}

section! {
    /// `networkInterfaces[].vlans[]`.
    vlan: Vlan {
        ADDRESSES = "addresses", Strings, Read, Some("addresses"), "";
        CIDR = "cidr", Str, Read, None, "legacy single address";
        ROUTES = "routes", List, Read, Some("routes"), "";
        DHCP = "dhcp", Bool, Read, Some("dhcp"), "";
        VLAN_ID = "vlanId", U32, Read, Some("id"), "1-4094";
        MTU = "mtu", U32, Read, Some("mtu"), "";
        VIP = "vip", Map, Read, Some("vip"), "";
        DHCP_OPTIONS = "dhcpOptions", Map, Read, Some("dhcp_options"), "";
    }
}

section! {
    /// `dhcpOptions` of a device or VLAN.
    dhcp_options: DhcpOptions {
        ROUTE_METRIC = "routeMetric", U32, Read, Some("route_metric"), "";
        IPV4 = "ipv4", Bool, Read, Some("ipv4"), "default on";
        IPV6 = "ipv6", Bool, Read, Some("ipv6"), "default off";
        DUIDV6 = "duidv6", Str, Read, Some("duid_v6"), "";
    }
}

section! {
    /// `networkInterfaces[].wireguard`.
    wireguard: Wireguard {
        PRIVATE_KEY = "privateKey", Str, Read, Some("private_key"), "a secret: written as a `${VAR}` reference";
        LISTEN_PORT = "listenPort", U32, Read, Some("listen_port"), "";
        FIREWALL_MARK = "firewallMark", U32, Read, Some("firewall_mark"), "";
        PEERS = "peers", List, Read, Some("peers"), "see `wireguard_peer`";
    }
}

section! {
    /// `wireguard.peers[]`.
    wireguard_peer: WireguardPeer {
        PUBLIC_KEY = "publicKey", Str, Read, Some("public_key"), "";
        ENDPOINT = "endpoint", Str, Read, Some("endpoint"), "`ip:port` (others are dropped on Talos 1.12+)";
        PERSISTENT_KEEPALIVE_INTERVAL = "persistentKeepaliveInterval", Str, Read, Some("keepalive"), "a Go duration";
        ALLOWED_IPS = "allowedIPs", Strings, Read, Some("allowed_ips"), "";
    }
}

section! {
    /// `ingressFirewall`.
    ingress_firewall: IngressFirewall {
        DEFAULT_ACTION = "defaultAction", Str, Read, Some("default_action"), "`accept` (default) or `block`";
        RULES = "rules", List, Read, Some("rules"), "see `network_rule`";
    }
}

section! {
    /// `ingressFirewall.rules[]`.
    network_rule: NetworkRule {
        NAME = "name", Str, Read, Some("name"), "required";
        PORT_SELECTOR = "portSelector", Map, Read, None, "`ports` and `protocol`";
        INGRESS = "ingress", List, Read, Some("ingress"), "source subnets";
    }
}

section! {
    /// `ingressFirewall.rules[].portSelector`.
    port_selector: PortSelector {
        PORTS = "ports", Strings, Read, Some("ports"), "ports and `lo-hi` ranges";
        PROTOCOL = "protocol", Str, Read, Some("protocol"), "`tcp`, `udp`, `icmp`, `icmpv6`";
    }
}

section! {
    /// `ingressFirewall.rules[].ingress[]`.
    ingress_rule: IngressRule {
        SUBNET = "subnet", Str, Read, Some("subnet"), "";
        EXCEPT = "except", Str, Read, Some("except"), "";
    }
}
