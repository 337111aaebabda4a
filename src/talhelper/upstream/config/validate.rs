//! `pkg/config/validate_test.go`: which fields `ValidateFromByte` finds wrong.

use super::super::Tally;
use super::super::support::check_errors;
use crate::diag::{Diagnostic, SourceId};
use crate::yaml::{ParsedDoc, PathSeg, parse_documents};

const DATA: &str = r#"clusterName: "test-cluster"
talosVersion: vv1.0.6
kubernetesVersion: 1.23.6.5
allowSchedulingOnMasters: true
cniConfig:
  name: customo
clusterPodNets:
  - 10.244.0.0/16
clusterSvcNets:
  - 10.244.0.0/16
  - 10.10.0.0/166
controlPlane:
  ingressFirewall:
    defaultAction: block
    rules:
      - portSelector:
          ports:
            - 10250
        ingress:
          - subnet: 172.20.0.0/24
worker:
  extraManifests:
    - test.yaml
nodes:
  - hostname: master1
    ipAddress: 1.2.3.4.5
    installDisk: /dev/sda
    disableSearchDomain: true
    nameservers:
      - 8.8.8.8
    networkInterfaces:
      - addresses:
          - 1.2.3.4
        mtu: 1500
        routes:
          - network: 0.0.0.0/0
            gateway: 1.2.3.4.5.6
    ingressFirewall:
      defaultAction: block
      rules:
        - name: kubelet-ingress
          portSelector:
            ports:
              - 10250
            protocol: tcp
          ingress:
            - subnet: 172.20.0.0/24
  - nodeLabels:
      ra*ck: rack1a
      z***: hahaha
    nodeTaints:
      test: test:Noschedule
    machineFiles:
      - op: ccreate
    schematic:
      customization:
        systemExtensions:
          officialExtensions:
            - siderolabs/aaa
    extraManifests:
     - test.yaml
"#;

/// `nodes[1].ipAddress` as a path.
fn path(field: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    for part in field.split('.') {
        match part.split_once('[') {
            Some((key, idx)) => {
                out.push(PathSeg::Key(key.into()));
                let i = idx.trim_end_matches(']').parse().expect("index");
                out.push(PathSeg::Index(i));
            }
            None => out.push(PathSeg::Key(part.into())),
        }
    }
    out
}

/// `errs.HasField(field)`: an error at the field (its key or value), or, for a field that is
/// not written, one inside its parent that names it.
fn has_field(doc: &ParsedDoc, errors: &[Diagnostic], field: &str) -> bool {
    let p = path(field);
    // An empty span (`0..0`) is the reader's "no place in the file".
    fn placed(d: &Diagnostic) -> Option<&crate::diag::Span> {
        d.span.as_ref().filter(|s| !s.range.is_empty())
    }
    let at = |range: std::ops::Range<usize>, d: &Diagnostic| {
        placed(d).is_some_and(|s| {
            s.source == SourceId(0) && s.range.start < range.end && range.start <= s.range.start
        })
    };
    if let (Some(k), Some(v)) = (doc.key_span(&p), doc.value_span(&p)) {
        let whole = k.start.min(v.start)..v.end.max(k.end);
        return errors.iter().any(|d| at(whole.clone(), d));
    }
    let Some(PathSeg::Key(name)) = p.last() else {
        return false;
    };
    let parent = doc
        .value_span(&p[..p.len() - 1])
        .unwrap_or(doc.span.clone());
    let (ticked, quoted) = (format!("`{name}`"), format!("\"{name}\""));
    errors.iter().any(|d| {
        (d.message.contains(&ticked) || d.message.contains(&quoted))
            && (placed(d).is_none() || at(parent.clone(), d))
    })
}

pub(super) fn run(t: &mut Tally) {
    t.test("TestValidateFromByte");
    let doc = &parse_documents(DATA).expect("upstream YAML parses")[0];
    let (_, errors) = check_errors(DATA);
    let expected = [
        ("clusterName", false),
        ("talosVersion", true),
        ("kubernetesVersion", true),
        ("endpoint", true),
        ("cniConfig", true),
        ("clusterPodNets", false),
        ("clusterSvcNets", true),
        ("nodes[0].hostname", false),
        ("nodes[0].ipAddress", false),
        ("nodes[0].controlPlane", false),
        ("nodes[0].installDisk", false),
        ("nodes[0].nameservers", false),
        ("nodes[0].ingressFirewall", false),
        ("nodes[0].networkInterfaces", true),
        ("nodes[1].hostname", true),
        ("nodes[1].ipAddress", true),
        ("nodes[1].installDisk", true),
        ("nodes[1].nodeLabels", true),
        ("nodes[1].nodeTaints", true),
        ("nodes[1].machineFiles", true),
        ("nodes[1].schematic", true),
        ("nodes[1].extraManifests", true),
    ];
    for (field, want) in expected {
        let got = has_field(doc, &errors, field);
        let near: Vec<&str> = errors
            .iter()
            .filter(|_| got != want)
            .map(|d| d.message.as_str())
            .collect();
        t.that(&format!("HasField({field}) == {want}"), got == want, near);
    }
}
