//! `pkg/talos/schematic_test.go`: schematic IDs and installer URLs.

use super::super::Tally;
use super::network_links::yaml;
use crate::factory::{schematic, url};
use crate::model::{ImageFactory, MachineSpec};

/// (name, schematic, registryURL, installerURLTmpl, mode, secureboot, version, expected).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static str,
);

pub(super) fn run(t: &mut Tally) {
    t.test("TestOnlineMode");
    // Upstream POSTs the schematic to factory.talos.dev and compares the ID it answers with
    // the offline one; talforge never goes online.
    t.that("online ID == offline ID", false, "talforge is offline");

    t.test("TestGetInstallerURL");
    let rows: [Row; 5] = [
        (
            "default",
            "{}",
            "factory.talos.dev",
            "",
            "metal",
            false,
            "v1.5.4",
            "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.5.4",
        ),
        (
            "withExts",
            "customization: {systemExtensions: {officialExtensions: [siderolabs/drbd, siderolabs/zfs]}}",
            "",
            "",
            "metal",
            false,
            "v1.5.4",
            "factory.talos.dev/metal-installer/98442b5bb4e8d050f30978ce3e6ec22e7bf534d57cafcd51313235128057e612:v1.5.4",
        ),
        (
            "withKernelArgs",
            "customization: {extraKernelArgs: [hihi, hehe]}",
            "",
            "",
            "gcp",
            false,
            "",
            "factory.talos.dev/gcp-installer/ff5083b14ccb03821ea738d712ac08a82b44d2693013622059edaae286665239:",
        ),
        (
            "withBoth",
            "customization: {systemExtensions: {officialExtensions: [siderolabs/tailscale]}, extraKernelArgs: [net.ifnames=0]}",
            "test.registry/",
            "",
            "metal",
            true,
            "1.5.4",
            "test.registry//metal-installer-secureboot/104c23dfe7c5bfeff6a4cc7e166d8b3bba0f371760592c7677c90c822bb1d109:1.5.4",
        ),
        (
            "sprig function in template",
            "{}",
            "     myregistry.com",
            r#"{{ trim .RegistryURL }}/{{ or (hasPrefix "v" .Version) (print "v" .Version) }}"#,
            "",
            false,
            "1.5.4",
            "myregistry.com/v1.5.4",
        ),
    ];
    for (name, sch, registry, tmpl, mode, secureboot, version, want) in rows {
        let id = schematic::decode(&yaml(sch)).map(|s| schematic::id(&s));
        let factory = ImageFactory {
            registry_url: Some(registry.into()),
            installer_url_tmpl: Some(tmpl.into()),
            ..ImageFactory::default()
        };
        let spec = MachineSpec {
            mode: Some(mode.into()),
            secureboot,
            ..MachineSpec::default()
        };
        let got = id.map_err(|e| format!("{e:?}")).and_then(|id| {
            url::installer_url(&factory, &spec.resolved(), &id, version).map_err(|e| e.to_string())
        });
        t.eq(name, got, Ok(want.to_string()));
    }
}
