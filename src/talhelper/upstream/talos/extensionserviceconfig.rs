//! `pkg/talos/extensionserviceconfig_test.go`: `ExtensionServiceConfig` documents.

use super::super::Tally;
use super::super::support::str_at;
use super::network_links::{node_at_1_12, yaml};

pub(super) fn run(t: &mut Tally) {
    t.test("TestGenerateNodeExtensionServiceConfig");
    // Upstream decodes the YAML without envsubst; through genconfig the literal `${…}` is
    // written `$${…}`.
    let r = node_at_1_12(
        t,
        "nodes:
  - hostname: node1
    ipAddress: 10.0.0.1
    extensionServices:
      - name: nut-client
        configFiles:
          - content: MONITOR $${upsmonHost} 1 remote pass password
            mountPath: /usr/local/etc/nut/upsmon.conf
        environment:
          - UPS_NAME=ups
      - name: nut-client2
        configFiles:
          - content: hello
            mountPath: /etc/hello
          - content: hello2
            mountPath: /etc/hello2",
    );
    let docs = r.as_ref().map(|r| r.of_kind("ExtensionServiceConfig"));
    let d = |i: usize| docs.as_ref().and_then(|v| v.get(i).copied());
    let field = |i: usize, k: &str| d(i).and_then(|d| d.get(k)).cloned();
    t.eq("result[0].Name()", str_at(d(0), "name"), Some("nut-client"));
    t.eq(
        "result[0].ServiceConfigFiles",
        field(0, "configFiles"),
        Some(yaml(
            "- content: MONITOR ${upsmonHost} 1 remote pass password\n  mountPath: /usr/local/etc/nut/upsmon.conf",
        )),
    );
    t.eq(
        "result[0].Environment()",
        field(0, "environment"),
        Some(yaml("[UPS_NAME=ups]")),
    );
    t.eq(
        "result[1].Name()",
        str_at(d(1), "name"),
        Some("nut-client2"),
    );
    t.eq(
        "result[1].ServiceConfigFiles",
        field(1, "configFiles"),
        Some(yaml(
            "- content: hello\n  mountPath: /etc/hello\n- content: hello2\n  mountPath: /etc/hello2",
        )),
    );
}
