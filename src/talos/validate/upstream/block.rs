//! Block documents' upstream cases.

use super::{Case, case, run};

/// pkg/machinery/config/types/block/volume_config_test.go@v1.13.9 `TestVolumeConfigValidate`
pub(super) const VOLUME: &[Case] = &[
    case(
        "wrong name",
        "name: wrong",
        r#"only ["STATE" "EPHEMERAL" "IMAGECACHE"] volumes are supported"#,
    ),
    case(
        "invalid disk selector",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120'}}}",
        "disk selector is invalid: ERROR: <input>:1:11: found no matching overload for '_>_' applied to '(uint, int)'\n | disk.size > 120\n | ..........^",
    ),
    case(
        "min size greater than max size",
        "{name: EPHEMERAL, provisioning: {minSize: 2.5TiB, maxSize: 10GiB}}",
        "min size is greater than max size",
    ),
    case(
        "min size negative",
        "{name: EPHEMERAL, provisioning: {minSize: -10GiB, maxSize: 10GiB}}",
        "min size cannot be negative",
    ),
    case(
        "state provisioning config",
        "{name: STATE, provisioning: {minSize: 2.5GiB, maxSize: 10GiB}}",
        r#"provisioning config is not allowed for the "STATE" volume"#,
    ),
    case(
        "state encryption lock to state",
        "{name: STATE, encryption: {provider: luks2, keys: [{slot: 0, static: {passphrase: topsecret}}, {slot: 1, static: {passphrase: topsecret2}, lockToState: true}]}}",
        r#"state-locked key is not allowed for the "STATE" volume"#,
    ),
    case(
        "invalid pcrs",
        "{name: STATE, encryption: {provider: luks2, keys: [{slot: 0, tpm: {options: {pcrs: [24, 25]}}}]}}",
        "TPM PCR 24 is out of range (0-23)\nTPM PCR 25 is out of range (0-23)",
    ),
    case(
        "valid",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: 2.5TiB, minSize: 10GiB}}",
        "",
    ),
    case(
        "valid negative",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: -2GiB, minSize: 10GiB}}",
        "",
    ),
    case(
        "valid percentage",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: 90%, minSize: 10GiB}}",
        "",
    ),
];

const SELECTOR_120: &str = "disk selector is invalid: ERROR: <input>:1:11: found no matching overload for '_>_' applied to '(uint, int)'\n | disk.size > 120\n | ..........^\nmin size or max size is required";
const NAME_CHARS: &str =
    "name can only contain lowercase and uppercase ASCII letters, digits, and hyphens";

/// pkg/machinery/config/types/block/user_volume_config_test.go@v1.13.9 `TestUserVolumeConfigValidate`
pub(super) const USER_VOLUME: &[Case] = &[
    case(
        "no name",
        "{provisioning: {diskSelector: {match: 'disk.size > 1u'}, minSize: 2.5TiB}}",
        "name is required\nname must be between 1 and 34 characters long",
    ),
    case(
        "too long name",
        "{name: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX, provisioning: {diskSelector: {match: 'disk.size > 1u'}, minSize: 2.5TiB}}",
        "name must be between 1 and 34 characters long",
    ),
    case(
        "invalid characters in name",
        "{name: some/name, provisioning: {diskSelector: {match: 'disk.size > 1u'}, minSize: 2.5TiB}}",
        NAME_CHARS,
    ),
    case(
        "invalid disk selector",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120'}}}",
        SELECTOR_120,
    ),
    case(
        "min size greater than max size",
        "{name: EPHEMERAL, provisioning: {minSize: 2.5TiB, maxSize: 10GiB}}",
        "disk selector is required\nmin size is greater than max size",
    ),
    case(
        "unsupported filesystem type",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: 2.5TiB, minSize: 10GiB}, filesystem: {type: iso9660}}",
        "unsupported filesystem type: iso9660",
    ),
    case(
        "no encryption provider",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {keys: [{slot: 0, tpm: {}}]}}",
        "unsupported encryption provider: none",
    ),
    case(
        "no encryption keys",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {provider: luks2}}",
        "encryption keys are required",
    ),
    case(
        "invalid encryption key slots",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {provider: luks2, keys: [{slot: 1, tpm: {}}, {slot: 0}, {slot: 1, tpm: {}}]}}",
        "at least one encryption key type must be specified for slot 0\nduplicate key slot 1",
    ),
    case(
        "prjquota not supported",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, filesystem: {type: ext4, projectQuotaSupport: true}}",
        "project quota support is only available for xfs filesystem",
    ),
    case(
        "provisioning spec for directory",
        "{name: EPHEMERAL, volumeType: directory, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}}",
        "provisioning spec is invalid for volumeType directory",
    ),
    case(
        "encryption spec for directory",
        "{name: EPHEMERAL, volumeType: directory, encryption: {provider: luks2, cipher: aes-xts-plain64, keys: [{slot: 0, tpm: {}}]}}",
        "encryption spec is invalid for volumeType directory",
    ),
    case(
        "size for disk",
        "{name: EPHEMERAL, volumeType: disk, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: 2.5TiB, minSize: 10GiB}, filesystem: {type: ext4}}",
        "min size, max size and grow are not supported",
    ),
    case(
        "filesystem spec for directory",
        "{name: EPHEMERAL, volumeType: directory, filesystem: {type: vfat}}",
        "filesystem spec is invalid for volumeType directory",
    ),
    case(
        "invalid volumeType",
        "{name: EPHEMERAL, volumeType: tmpfs, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {provider: luks2, cipher: aes-xts-plain64, keys: [{slot: 0, tpm: {}}]}}",
        r#"unsupported volume type "tmpfs""#,
    ),
    case(
        "valid",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: 2.5TiB, minSize: 10GiB}, filesystem: {type: ext4}}",
        "",
    ),
    case(
        "valid partition",
        "{name: EPHEMERAL, volumeType: partition, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: 2.5TiB, minSize: 10GiB}, filesystem: {type: ext4}}",
        "",
    ),
    case(
        "valid directory",
        "{name: EPHEMERAL, volumeType: directory}",
        "",
    ),
    case(
        "valid disk",
        "{name: EPHEMERAL, volumeType: disk, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}}, filesystem: {type: ext4}}",
        "",
    ),
    case(
        "valid encrypted",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {provider: luks2, cipher: aes-xts-plain64, keys: [{slot: 0, tpm: {}}]}}",
        "",
    ),
];

/// pkg/machinery/config/types/block/raw_volume_config_test.go@v1.13.9 `TestRawVolumeConfigValidate`
/// and swap_volume_config_test.go@v1.13.9 `TestSwapVolumeConfigValidate` (the same table).
pub(super) const RAW_AND_SWAP: &[Case] = &[
    case(
        "no name",
        "{provisioning: {diskSelector: {match: 'disk.size > 1u'}, minSize: 2.5TiB}}",
        "name is required\nname must be between 1 and 34 characters long",
    ),
    case(
        "too long name",
        "{name: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX, provisioning: {diskSelector: {match: 'disk.size > 1u'}, minSize: 2.5TiB}}",
        "name must be between 1 and 34 characters long",
    ),
    case(
        "invalid characters in name",
        "{name: some/name, provisioning: {diskSelector: {match: 'disk.size > 1u'}, minSize: 2.5TiB}}",
        NAME_CHARS,
    ),
    case(
        "invalid disk selector",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120'}}}",
        SELECTOR_120,
    ),
    case(
        "min size greater than max size",
        "{name: EPHEMERAL, provisioning: {minSize: 2.5TiB, maxSize: 10GiB}}",
        "disk selector is required\nmin size is greater than max size",
    ),
    case(
        "no encryption provider",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {keys: [{slot: 0, tpm: {}}]}}",
        "unsupported encryption provider: none",
    ),
    case(
        "no encryption keys",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {provider: luks2}}",
        "encryption keys are required",
    ),
    case(
        "invalid encryption key slots",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {provider: luks2, keys: [{slot: 1, tpm: {}}, {slot: 0}, {slot: 1, tpm: {}}]}}",
        "at least one encryption key type must be specified for slot 0\nduplicate key slot 1",
    ),
    case(
        "valid",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: 'disk.size > 120u * GiB'}, maxSize: 2.5TiB, minSize: 10GiB}}",
        "",
    ),
    case(
        "valid encrypted",
        "{name: EPHEMERAL, provisioning: {diskSelector: {match: system_disk}, minSize: 10GiB}, encryption: {provider: luks2, cipher: aes-xts-plain64, keys: [{slot: 0, tpm: {}}]}}",
        "",
    ),
];

/// pkg/machinery/config/types/block/existing_volume_config_test.go@v1.13.9 `TestExistingVolumeConfigValidate`
pub(super) const EXISTING_VOLUME: &[Case] = &[
    case(
        "no name",
        r#"{discovery: {volumeSelector: {match: 'volume.partition_label == "MY-DATA"'}}}"#,
        "name is required",
    ),
    case(
        "invalid characters in name",
        r#"{name: some/name, discovery: {volumeSelector: {match: 'volume.partition_label == "MY-DATA"'}}}"#,
        NAME_CHARS,
    ),
    case(
        "invalid volume selector",
        "{name: EPHEMERAL, discovery: {volumeSelector: {match: 'volume.partition_label == 3'}}}",
        "volume selector is invalid: ERROR: <input>:1:24: found no matching overload for '_==_' applied to '(string, int)'\n | volume.partition_label == 3\n | .......................^",
    ),
    case(
        "valid",
        r#"{name: EPHEMERAL, discovery: {volumeSelector: {match: 'volume.partition_label == "MY-DATA"'}}}"#,
        "",
    ),
];

/// pkg/machinery/config/types/block/external_volume_config_test.go@v1.13.9 `TestExternalVolumeConfigValidate`
pub(super) const EXTERNAL_VOLUME: &[Case] = &[
    case(
        "no name",
        "{filesystemType: virtiofs, mount: {virtiofs: {tag: Data}}}",
        "name is required\nname must be between 1 and 34 characters long",
    ),
    case(
        "invalid characters in name",
        "{name: some/name, filesystemType: virtiofs, mount: {virtiofs: {tag: Data}}}",
        NAME_CHARS,
    ),
    case(
        "no mount spec",
        "{name: EPHEMERAL, filesystemType: virtiofs}",
        "virtiofs mount spec is required",
    ),
    case(
        "invalid type",
        "{name: EPHEMERAL, filesystemType: ext4, mount: {virtiofs: {tag: Data}}}",
        "invalid filesystem type: ext4",
    ),
    case(
        "empty type",
        "{name: EPHEMERAL, mount: {virtiofs: {tag: Data}}}",
        "invalid filesystem type: none",
    ),
    case(
        "valid virtiofs",
        "{name: EPHEMERAL, filesystemType: virtiofs, mount: {virtiofs: {tag: Data}}}",
        "",
    ),
];

/// pkg/machinery/config/types/block/zswap_config_test.go@v1.13.9 `TestZswapVolumeConfigValidate`
pub(super) const ZSWAP: &[Case] = &[
    case("minimal", "{}", ""),
    case("full", "{maxPoolPercent: 50, shrinkerEnabled: true}", ""),
    case(
        "invalid percent",
        "{maxPoolPercent: 150}",
        "maxPoolPercent must be between 0 and 100",
    ),
];

#[test]
fn volume_config() {
    run("VolumeConfig", VOLUME);
}

#[test]
fn user_volume_config() {
    run("UserVolumeConfig", USER_VOLUME);
}

#[test]
fn raw_volume_config() {
    run("RawVolumeConfig", RAW_AND_SWAP);
}

#[test]
fn swap_volume_config() {
    run("SwapVolumeConfig", RAW_AND_SWAP);
}

#[test]
fn existing_volume_config() {
    run("ExistingVolumeConfig", EXISTING_VOLUME);
}

#[test]
fn external_volume_config() {
    run("ExternalVolumeConfig", EXTERNAL_VOLUME);
}

#[test]
fn zswap_config() {
    run("ZswapConfig", ZSWAP);
}
