//! `pkg/talos/input_test.go`: what `NewClusterInput` takes from the talconfig.

use super::super::Tally;
use super::super::support::read;

pub(super) fn run(t: &mut Tally) {
    t.test("TestNewClusterInput");
    // Our reader wants a node, as talhelper's validation does (upstream's test skips it).
    let c = t.setup(read(
        "clusterName: test
talosVersion: 1.0
kubernetesVersion: v1.24.1
endpoint: https://1.1.1.1:6443
nodes:
  - hostname: n1
    ipAddress: 10.0.0.1",
    ));
    let c = c.as_ref();
    t.eq(
        "result.ClusterName",
        c.map(|c| c.name.as_str()),
        Some("test"),
    );
    t.eq(
        "VersionContract.Major",
        c.map(|c| c.talos_version.major),
        Some(1),
    );
    t.eq(
        "VersionContract.Minor",
        c.map(|c| c.talos_version.minor),
        Some(0),
    );
    // talhelper's `GetK8sVersion` drops the `v`.
    let k8s = c.map(|c| {
        let v = c.kubernetes_version;
        format!("{}.{}.{}", v.major, v.minor, v.patch)
    });
    t.eq("result.KubernetesVersion", k8s.as_deref(), Some("1.24.1"));
    let endpoint = c.map(|c| c.endpoint.as_str());
    t.eq(
        "result.ControlPlaneEndpoint",
        endpoint,
        Some("https://1.1.1.1:6443"),
    );
}
