//! `pkg/talos/validate_test.go`: `ValidateConfigFromBytes` (`talosctl validate --strict`).

use super::super::Tally;
use crate::talos::validate::{Mode, validate_text};

pub(super) fn run(t: &mut Tally) {
    t.test("TestValidateConfigFromBytes");
    let data = "cluster:
  secretboxEncryptionSecret: asecret
  controlPlane:
    endpoint: https://1.1.1.1:6443
machine:
  type: controlplane
";
    let data_c = "cluster:
  secretboxEncryptionSecret: asecret
  controlPlane:
    endpoint: https://1.1.1.1:6443
machine:
  type: controlplane
  ca:
    crt: hehe
    key: hehe
  features:
    hostDNS:
      enabled: true
      forwardKubeDNSToHost: true
";
    let fails = |text: &str, mode: Mode| {
        let o = validate_text(text, mode, true);
        o.decode_error.is_some() || !o.errors.is_empty()
    };
    t.eq(
        "metal config without install is an error",
        fails(data, Mode::Metal),
        true,
    );
    t.eq(
        "container config is valid",
        fails(data_c, Mode::Container),
        false,
    );
}
