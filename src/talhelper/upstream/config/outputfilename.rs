//! `pkg/config/outputfilename_test.go`: `GetOutputFileName` from `filenameTmpl`.

use super::super::Tally;
use crate::model::fill_filename_template;

pub(super) fn run(t: &mut Tally) {
    t.test("TestGetOutputFileName");
    // (cluster, hostname, template, expected; `None` = an error and an empty name), every
    // node a control plane at 1.1.1.1.
    let rows = [
        (
            "myCluster",
            "node1",
            "{{.ClusterName}}-{{.Hostname}}.yaml",
            Some("myCluster-node1.yaml"),
        ),
        (
            "myCluster",
            "node1",
            "{{.Hostname}}-{{.Role}}.yaml",
            Some("node1-controlplane.yaml"),
        ),
        (
            "",
            "",
            "{{.ClusterName}}-{{.Hostname}}.yaml",
            Some("-.yaml"),
        ),
        ("myCluster", "node1", "{{.Invalid}}.yaml", None),
    ];
    for (k, (cluster, host, tmpl, want)) in rows.into_iter().enumerate() {
        let got = fill_filename_template(tmpl, cluster, host, "1.1.1.1", "controlplane");
        if want.is_none() {
            t.that(&format!("tests[{k}] error"), got.is_err(), &got);
        }
        let name = got.unwrap_or_default();
        t.eq(
            &format!("tests[{k}] result"),
            name.as_str(),
            want.unwrap_or(""),
        );
    }
}
