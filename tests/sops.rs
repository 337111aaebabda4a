//! SOPS interop: the real `sops` decrypts what `talforge encrypt` writes, and `talforge decrypt`
//! reads what `sops -e` writes. Needs `sops` 3.11 and `age` on PATH
//! (`bash ../shared/oracle/sops/install.sh`); skipped without them unless
//! `TALFORGE_REQUIRE_ORACLE=1`.

use crate::support::{Run, Test, oracle, run_in};
use age::secrecy::ExposeSecret;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A plaintext in sops' canonical 4-space form (so `sops -d` reproduces it byte for byte),
/// with every value type, comments in maps and lists, and an `_unencrypted` key.
const PLAIN: &str = "\
# generated for the interop test
cluster:
    name: demo
    port: 6443
    ratio: 1.5
    debug: false
machine:
    certSANs:
        # first SAN
        - 10.0.0.1
        - cp.example.test
    nodes:
        - name: cp-1
          controlplane: true
    # a block scalar
    ca:
        crt: |
            -----BEGIN CERTIFICATE-----
            MIIBfakefakefake
            -----END CERTIFICATE-----
    empty: \"\"
    nothing: null
    note_unencrypted: stays in clear
";

/// Path of a tool, or `None` to skip (panics under `TALFORGE_REQUIRE_ORACLE=1`).
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("TALFORGE_REQUIRE_ORACLE").as_deref() != Ok("1"),
            "`{name}` is not on PATH and TALFORGE_REQUIRE_ORACLE=1 (run ../shared/oracle/sops/install.sh)"
        );
        eprintln!("skipping: `{name}` is not on PATH (run ../shared/oracle/sops/install.sh)");
    }
    found
}

/// A fresh age identity written to `keys.txt` in the test dir; returns its recipient.
fn with_key(t: Test) -> (Test, String) {
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let t = t.file(
        "keys.txt",
        &format!(
            "# public key: {recipient}\n{}\n",
            id.to_string().expose_secret()
        ),
    );
    (t, recipient)
}

/// Runs talforge in the test dir with the test's key and nothing from the user's environment.
fn tf(t: &Test, args: &[&str]) -> Run {
    let dir = t.dir.path();
    let env = [
        (
            "SOPS_AGE_KEY_FILE",
            dir.join("keys.txt").display().to_string(),
        ),
        ("SOPS_AGE_KEY", String::new()),
        ("HOME", dir.join("home").display().to_string()),
        (
            "XDG_CONFIG_HOME",
            dir.join("home/.config").display().to_string(),
        ),
    ];
    let args: Vec<String> = args.iter().map(std::string::ToString::to_string).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    run_in(dir, &args, &env)
}

/// Runs the real sops in `dir` with the test's key; returns (exit code, stdout, stderr).
fn sops(sops: &Path, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(sops)
        .current_dir(dir)
        .args(args)
        .env("SOPS_AGE_KEY_FILE", dir.join("keys.txt"))
        .env("SOPS_AGE_KEY", "")
        .env("SOPS_DISABLE_VERSION_CHECK", "1")
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("home/.config"))
        .output()
        .expect("sops runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn real_sops_decrypts_what_talforge_encrypts() {
    let Some(sops_bin) = tool("sops") else { return };
    let (t, r) = with_key(Test::new().file("plain.yaml", PLAIN));
    let out = tf(&t, &["encrypt", "plain.yaml", "--age", &r]).ok();
    assert!(
        out.stdout.contains("    version: 3.11.0\n"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("cp.example.test") && !out.stdout.contains("first SAN"));
    assert!(out.stdout.contains("note_unencrypted: stays in clear"));
    let t = Test::new()
        .file("keys.txt", &t.read("keys.txt"))
        .file("x.sops.yaml", &out.stdout);
    let (code, stdout, stderr) = sops(&sops_bin, t.dir.path(), &["-d", "x.sops.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, PLAIN);
    // Round trip through talforge too.
    let back = tf(&t, &["decrypt", "x.sops.yaml"]).ok();
    assert_eq!(back.stdout, PLAIN);
}

#[test]
fn talforge_decrypts_what_real_sops_encrypts() {
    let Some(sops_bin) = tool("sops") else { return };
    let (t, r) = with_key(Test::new().file("plain.yaml", PLAIN));
    let (code, enc, stderr) = sops(
        &sops_bin,
        t.dir.path(),
        &[
            "-e",
            "--age",
            &r,
            "--input-type",
            "yaml",
            "--output-type",
            "yaml",
            "plain.yaml",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let t = t.file("x.sops.yaml", &enc);
    let out = tf(&t, &["decrypt", "x.sops.yaml"]).ok();
    assert_eq!(out.stdout, PLAIN);
}

#[test]
fn talforge_decrypts_the_oracle_sample() {
    let (Some(dir), Some(_)) = (oracle("sops/sample"), tool("sops")) else {
        return;
    };
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let t = Test::new()
        .file("keys.txt", &read("TEST-KEY.agekey.txt"))
        .file("secrets.sops.yaml", &read("secrets.sops.yaml"));
    let out = tf(&t, &["decrypt", "secrets.sops.yaml"]).ok();
    assert_eq!(out.stdout, read("secrets.plain.yaml"));
}

#[test]
fn wrong_key_names_the_recipients_and_prints_no_plaintext() {
    let (t, r) = with_key(Test::new().file("plain.yaml", PLAIN));
    let enc = tf(&t, &["encrypt", "plain.yaml", "--age", &r]).ok().stdout;
    let (t, _) = with_key(Test::new().file("x.sops.yaml", &enc));
    let out = tf(&t, &["decrypt", "x.sops.yaml"]).code(1);
    assert!(
        out.stderr
            .contains("none of the available age identities can decrypt the file"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&r), "{}", out.stderr);
    assert!(out.stderr.contains("SOPS_AGE_KEY_FILE"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(!out.stderr.contains("cp.example.test"));
}

#[test]
fn tampered_files_are_rejected_by_both() {
    let (t, r) = with_key(Test::new().file("plain.yaml", PLAIN));
    let enc = tf(&t, &["encrypt", "plain.yaml", "--age", &r]).ok().stdout;
    let keys = t.read("keys.txt");
    let tampered = enc.replace("stays in clear", "changed");
    let t = Test::new()
        .file("keys.txt", &keys)
        .file("x.sops.yaml", &tampered);
    let out = tf(&t, &["decrypt", "x.sops.yaml"]).code(1);
    assert!(out.stderr.contains("MAC mismatch"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    if let Some(sops_bin) = tool("sops") {
        let (code, _, _) = sops(&sops_bin, t.dir.path(), &["-d", "x.sops.yaml"]);
        assert_eq!(code, 51, "sops agrees the MAC does not match");
    }
}

#[test]
fn encrypt_in_place_follows_sops_yaml_rules_that_sops_also_accepts() {
    let (t, r) = with_key(Test::new());
    let rules = talforge::secrets::rules::ensure_rules(
        None,
        &[(
            r"clusters/.*/talos/talsecret\.sops\.yaml$".into(),
            r.clone(),
        )],
    )
    .unwrap();
    let t = t
        .file(".sops.yaml", &rules)
        .file("clusters/infra/talos/talsecret.sops.yaml", PLAIN)
        .file("clusters/infra/talos/other.yaml", PLAIN);
    tf(
        &t,
        &["encrypt", "-i", "clusters/infra/talos/talsecret.sops.yaml"],
    )
    .ok();
    let enc = t.read("clusters/infra/talos/talsecret.sops.yaml");
    assert!(enc.contains(&format!("- recipient: {r}\n")), "{enc}");
    // No rule for other.yaml: an error naming the path and the rule tried.
    let out = tf(&t, &["encrypt", "clusters/infra/talos/other.yaml"]).code(1);
    assert!(
        out.stderr
            .contains("no creation rule in .sops.yaml matches `clusters/infra/talos/other.yaml`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("talsecret"), "{}", out.stderr);
    if let Some(sops_bin) = tool("sops") {
        let (code, stdout, stderr) = sops(
            &sops_bin,
            t.dir.path(),
            &["-d", "clusters/infra/talos/talsecret.sops.yaml"],
        );
        assert_eq!((code, stdout.as_str()), (0, PLAIN), "{stderr}");
        // sops itself picks the same rule from our .sops.yaml.
        let (code, _, stderr) = sops(
            &sops_bin,
            t.dir.path(),
            &["-e", "-i", "clusters/infra/talos/other.yaml"],
        );
        assert_ne!(
            code, 0,
            "no rule matches other.yaml for sops either: {stderr}"
        );
    }
    // Decrypt in place restores the plaintext.
    tf(
        &t,
        &["decrypt", "-i", "clusters/infra/talos/talsecret.sops.yaml"],
    )
    .ok();
    assert_eq!(t.read("clusters/infra/talos/talsecret.sops.yaml"), PLAIN);
}

#[test]
fn missing_identity_says_where_it_looked() {
    let (t, r) = with_key(Test::new().file("plain.yaml", PLAIN));
    let enc = tf(&t, &["encrypt", "plain.yaml", "--age", &r]).ok().stdout;
    let t = Test::new().file("x.sops.yaml", &enc);
    let home = t.path("home").display().to_string();
    let env: Vec<(String, String)> = [
        ("SOPS_AGE_KEY", ""),
        ("SOPS_AGE_KEY_FILE", ""),
        ("HOME", home.as_str()),
        ("XDG_CONFIG_HOME", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let args = ["decrypt".to_string(), "x.sops.yaml".to_string()];
    let out = run_in(t.dir.path(), &args, &env).code(1);
    assert!(
        out.stderr
            .contains("no age identity found to decrypt the file"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("{home}/.config/sops/age/keys.txt (not found)")),
        "{}",
        out.stderr
    );
}

/// Inputs in non-canonical form (2-space indent, line comments, foot comments, nested lists,
/// flow collections, several documents): whatever sops makes of them, talforge must agree.
const ODD_INPUTS: &[&str] = &[
    "# head\ntop:\n  # c1\n  a: 1 # trailing a\n  b:\n    - x # trailing x\n    # between\n    - - nested1\n      - nested2\n    - k: v\n      # inside item\n      j: \"quoted: yes\"\n  # foot of top\nlist:\n  - 1\n  - 2.5\n  - true\n  - null\n  - \"\"\n  # foot of list\nstr: \"multi\\nline\\n\"\nfolded: >\n  folded text\n  here\nunicode: \"h\u{e9}llo \u{2713}\"\noctal: 0o17\nhexa: 0x1F\ntilde: ~\nempty_map: {}\nempty_list: []\n# final\n",
    "top:\n  b:\n    - k: v\n      j: w\n    # col4 after item\n  c: 1\n# col0 before nested key\n  d: 2\n  e:\n    f: 1\n      # col6 after f deeper\n    g: 2\n  # col2 between\n    h: 3\nlast: 1\n",
    "a: 1\n---\n# doc2 head\nb:\n  c: [1, 2]\n---\nd: x\n",
    "k1_unencrypted:\n  inner: visible\n  list: [a, b]\nk2: secret\n",
    "a:\n    b:\n        - c\n  # end2\n",
    "when_unencrypted: 2024-01-01\nat: 2001-12-14t21:59:43.10-05:00\nlist:\n  - 2024-1-2\n  - \"2024-01-01\"\nspace: 2001-12-14 21:59:43.10\n",
];

#[test]
fn talforge_and_sops_agree_on_odd_inputs() {
    let Some(sops_bin) = tool("sops") else { return };
    for (i, input) in ODD_INPUTS.iter().enumerate() {
        let (t, r) = with_key(Test::new().file("in.yaml", input));
        let (code, theirs, stderr) = sops(&sops_bin, t.dir.path(), &["-e", "--age", &r, "in.yaml"]);
        assert_eq!(code, 0, "input {i}: {stderr}");
        let t = t.file("theirs.sops.yaml", &theirs);
        let (_, expected, _) = sops(&sops_bin, t.dir.path(), &["-d", "theirs.sops.yaml"]);
        // We decrypt their file exactly as they do.
        let ours_of_theirs = tf(&t, &["decrypt", "theirs.sops.yaml"]).ok().stdout;
        assert_eq!(ours_of_theirs, expected, "input {i}");
        // They decrypt our file exactly as their own, without comment warnings.
        let ours = tf(&t, &["encrypt", "in.yaml", "--age", &r]).ok().stdout;
        let t = t.file("ours.sops.yaml", &ours);
        let (code, theirs_of_ours, stderr) =
            sops(&sops_bin, t.dir.path(), &["-d", "ours.sops.yaml"]);
        assert_eq!(code, 0, "input {i}: {stderr}");
        assert_eq!(theirs_of_ours, expected, "input {i}");
        assert!(
            !stderr.contains("unencrypted comment"),
            "input {i}: {stderr}"
        );
    }
}

#[test]
fn rule_options_encrypted_regex_and_mac_only_encrypted_interoperate() {
    let Some(sops_bin) = tool("sops") else { return };
    let (t, r) = with_key(Test::new());
    let secret =
        "kind: Secret\nmetadata:\n    name: x\nstringData:\n    token: abc\n    \"n\": 5\n";
    let t = t
        .file(
            ".sops.yaml",
            &format!(
                "creation_rules:\n  - path_regex: .*\\.yaml$\n    age: {r}\n    encrypted_regex: ^(data|stringData)$\n    mac_only_encrypted: true\n"
            ),
        )
        .file("s.yaml", secret);
    let ours = tf(&t, &["encrypt", "s.yaml"]).ok().stdout;
    assert!(
        ours.starts_with("kind: Secret\nmetadata:\n    name: x\nstringData:\n    token: ENC["),
        "{ours}"
    );
    assert!(ours.contains("    encrypted_regex: ^(data|stringData)$\n    mac_only_encrypted: true\n    version: 3.11.0\n"), "{ours}");
    let t = t.file("ours.yaml", &ours);
    let (code, plain, stderr) = sops(&sops_bin, t.dir.path(), &["-d", "ours.yaml"]);
    assert_eq!((code, plain.as_str()), (0, secret), "{stderr}");
    let (code, theirs, stderr) = sops(&sops_bin, t.dir.path(), &["-e", "s.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    let t = t.file("theirs.yaml", &theirs);
    assert_eq!(tf(&t, &["decrypt", "theirs.yaml"]).ok().stdout, secret);
    // With mac_only_encrypted, clear values may change without breaking the MAC (sops agrees).
    let edited = theirs.replace("name: x", "name: z");
    let t = t.file("edited.yaml", &edited);
    let ours_of_edited = tf(&t, &["decrypt", "edited.yaml"]).ok().stdout;
    assert!(ours_of_edited.contains("    name: z\n"), "{ours_of_edited}");
    let (code, _, stderr) = sops(&sops_bin, t.dir.path(), &["-d", "edited.yaml"]);
    assert_eq!(code, 0, "{stderr}");
}
