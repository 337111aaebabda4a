//! `talforge secrets gen`: stdout, `-o FILE` (0600, never overwritten), bad versions.

use crate::support::Test;
use talforge::secrets::bundle::Bundle;
use talforge::yaml::parse_documents;

fn load(text: &str) -> Bundle {
    let docs = parse_documents(text).expect("bundle parses");
    Bundle::from_yaml(&docs[0].value).expect("bundle loads")
}

#[test]
fn gen_prints_a_valid_bundle_to_stdout() {
    let out = Test::new().args(["secrets", "gen"]).run().ok();
    assert!(out.stdout.starts_with("cluster:\n  id: "), "{}", out.stdout);
    let b = load(&out.stdout);
    assert_eq!(b.validate(), Vec::<String>::new());
    assert!(b.secretbox_encryption_secret.is_some());
}

#[test]
fn gen_writes_a_new_file_and_never_overwrites_it() {
    let t = Test::new().args(["secrets", "gen", "-o", "talsecret.yaml"]);
    let out = t.run().ok();
    assert_eq!(out.stdout, "");
    let first = t.read("talsecret.yaml");
    assert_eq!(load(&first).validate(), Vec::<String>::new());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.path("talsecret.yaml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = t.run().code(1);
    assert!(
        out.stderr
            .contains("error: `talsecret.yaml` already exists"),
        "{}",
        out.stderr
    );
    assert_eq!(t.read("talsecret.yaml"), first);
    let leftovers: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn gen_for_an_old_talos_version_uses_aescbc() {
    let out = Test::new()
        .args(["secrets", "gen", "--talos-version", "v1.2.5"])
        .run()
        .ok();
    let b = load(&out.stdout);
    assert!(b.aescbc_encryption_secret.is_some() && b.secretbox_encryption_secret.is_none());
}

#[test]
fn gen_rejects_a_bad_version_and_a_missing_directory() {
    let out = Test::new()
        .args(["secrets", "gen", "--talos-version", "one"])
        .run()
        .code(1);
    assert!(
        out.stderr.contains("invalid Talos version `one`"),
        "{}",
        out.stderr
    );
    let out = Test::new()
        .args(["secrets", "gen", "-o", "no/such/dir/s.yaml"])
        .run()
        .code(1);
    assert!(
        out.stderr.contains("cannot write `no/such/dir/s.yaml`"),
        "{}",
        out.stderr
    );
}
