//! Talos' own CEL environment tests, plus cel-go's checker messages on bad expressions.

use super::{Env, check_bool, check_double};

/// pkg/machinery/cel/celenv/celenv_test.go@v1.13.9 and cel_test.go@v1.13.9: expressions
/// each environment accepts.
const ACCEPTED: &[(Env, &str)] = &[
    (Env::DiskLocator, "system_disk"),
    (Env::DiskLocator, "disk.size > 1000u * GiB && !disk.rotational"),
    (Env::DiskLocator, "glob('sd[a-z]', disk.dev_path)"),
    (Env::DiskLocator, "disk.size > 1000u && !disk.rotational"),
    (Env::DiskLocator, "1u * GiB < 2u * GiB"),
    (Env::DiskLocator, "!system_disk"),
    (Env::VolumeLocator, "volume.label == 'EPHEMERAL'"),
    (Env::VolumeLocator, "volume.name == 'ext4' && volume.size > 1000u * TB"),
    (Env::VolumeLocator, "volume.name == 'ext4' && disk.transport == 'nvme'"),
    (Env::LinkLocator, r#"link.driver == "i1000e""#),
    (Env::LinkLocator, r#"mac(link.hardware_addr) == "00:1a:2b:3c:4d:5e""#),
    (Env::LinkLocator, r#"glob(mac(link.hardware_addr), "00:1a:2b:*")"#),
    (Env::LinkLocator, r#""enx728c41bfd443" in link.alt_names"#),
    (
        Env::OomTrigger,
        "(multiply_qos_vectors(d_qos_memory_full_total, {System: 8.0, Podruntime: 4.0}) > 3000.0 &&
	     multiply_qos_vectors(qos_memory_full_avg10, {System: 1.0, Podruntime: 1.0}) > 5.0 && time_since_trigger > duration(\"5s\")) ||
		(memory_full_avg10 > 75.0 && time_since_trigger > duration(\"10s\"))",
    ),
    // expressions operators write (talhelper examples, Talos docs)
    (Env::DiskLocator, "disk.transport == 'nvme' && !disk.readonly"),
    (Env::DiskLocator, "disk.symlinks.exists(s, s.startsWith('/dev/disk/by-id/'))"),
    (Env::DiskLocator, "disk.model.matches('^Samsung') || disk.serial in ['a', 'b']"),
    (Env::DiskLocator, "size(disk.secondary_disks) == 0 && disk.size >= 10u * GB"),
];

#[test]
fn talos_environments_accept_their_examples() {
    for (env, expr) in ACCEPTED {
        assert_eq!(check_bool(expr, *env), Ok(()), "{expr}");
    }
    // constants.DefaultOOMCgroupRankingExpression@v1.13.9
    let ranking = "memory_max.hasValue() ? 0.0 :
		{Besteffort: 1.0, Burstable: 0.5, Guaranteed: 0.0, Podruntime: 0.0, System: 0.0}[class] *
		   double(memory_current.orValue(0u))";
    assert_eq!(check_double(ranking, Env::OomCgroupScoring), Ok(()));
}

#[test]
fn checker_errors_read_as_cel_go_prints_them() {
    let cases: &[(Env, &str, &str)] = &[
        (
            Env::DiskLocator,
            "disk.size > 120",
            "ERROR: <input>:1:11: found no matching overload for '_>_' applied to '(uint, int)'\n | disk.size > 120\n | ..........^",
        ),
        (
            Env::VolumeLocator,
            "volume.partition_label == 3",
            "ERROR: <input>:1:24: found no matching overload for '_==_' applied to '(string, int)'\n | volume.partition_label == 3\n | .......................^",
        ),
        (
            Env::LinkLocator,
            "disk.size > 120",
            "ERROR: <input>:1:1: undeclared reference to 'disk' (in container '')\n | disk.size > 120\n | ^",
        ),
        (
            Env::DiskLocator,
            "disk.sizes > 1u",
            "ERROR: <input>:1:5: undefined field 'sizes'\n | disk.sizes > 1u\n | ....^",
        ),
        (
            Env::DiskLocator,
            "disk.model.startsWith(1)",
            "ERROR: <input>:1:22: found no matching overload for 'startsWith' applied to 'string.(int)'\n | disk.model.startsWith(1)\n | .....................^",
        ),
        (
            Env::DiskLocator,
            "disk.size",
            "expression output type is uint, expected bool",
        ),
    ];
    for (env, expr, want) in cases {
        assert_eq!(
            check_bool(expr, *env).unwrap_err().to_string(),
            *want,
            "{expr}"
        );
    }
}

#[test]
fn syntax_errors_read_as_cel_go_prints_them() {
    let err = check_bool("disk.size >", Env::DiskLocator)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("ERROR: <input>:1:12: Syntax error: mismatched input '<EOF>' expecting"),
        "{err}"
    );
    assert!(err.ends_with("\n | disk.size >\n | ...........^"), "{err}");
}
