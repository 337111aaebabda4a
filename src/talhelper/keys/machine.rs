//! talconfig.yaml's machine sections: machine spec, image factory, manifests, disks, files, services, volumes.

section! {
    /// `machineSpec`: what boots the node's image (talhelper's defaults: metal, amd64, iso).
    machine_spec: MachineSpec {
        MODE = "mode", Str, Read, Some("mode"), "`metal` or a platform";
        ARCH = "arch", Str, Read, Some("arch"), "`amd64`, `arm64`";
        SECUREBOOT = "secureboot", Bool, Read, Some("secureboot"), "the `-secureboot` installer and image";
        USE_UKI = "useUKI", Bool, Read, Some("use_uki"), "the `.efi` image with secure boot";
        BOOT_METHOD = "bootMethod", Str, Read, Some("boot_method"), "`iso`, `disk-image`, `pxe`";
        IMAGE_SUFFIX = "imageSuffix", Str, Read, Some("image_suffix"), "`raw.zst`, `qcow2`, ...";
    }
}

section! {
    /// `cniConfig.flannel` (Talos' `FlannelCNIConfig`).
    flannel: Flannel {
        EXTRA_ARGS = "extraArgs", Strings, Read, Some("extra_args"), "";
        KUBE_NETWORK_POLICIES_ENABLED = "kubeNetworkPoliciesEnabled", Bool, Read, Some("kube_network_policies"), "deploys kube-network-policies with flannel";
    }
}

section! {
    /// `imageFactory`: where schematics and images come from.
    image_factory: ImageFactory {
        REGISTRY_URL = "registryURL", Str, Read, Some("registry_url"), "default `factory.talos.dev`";
        SCHEMATIC_ENDPOINT = "schematicEndpoint", Str, Read, Some("schematic_endpoint"), "default `/schematics`";
        PROTOCOL = "protocol", Str, Read, Some("protocol"), "default `https`";
        INSTALLER_URL_TMPL = "installerURLTmpl", Str, Read, Some("installer_url_tmpl"), "Go template";
        ISO_URL_TMPL = "ISOURLTmpl", Str, Read, Some("image_url_tmpl"), "Go template";
    }
}

section! {
    /// `inlineManifests[]` entries.
    inline_manifest: InlineManifest {
        NAME = "name", Str, Read, None, "";
        CONTENTS = "contents", Str, Read, None, "YAML text, or `@./file`";
        SKIP_ENVSUBST = "skipEnvsubst", Bool, Read, None, "an `@./file`'s `${VAR}`s stay as written";
    }
}

section! {
    /// `machineDisks[]` entries (Talos' legacy `MachineDisk`).
    machine_disk: MachineDisk {
        DEVICE = "device", Str, Read, None, "";
        PARTITIONS = "partitions", List, Read, None, "";
    }
}

section! {
    /// `machineDisks[].partitions[]` entries.
    disk_partition: DiskPartition {
        SIZE = "size", Yaml, Read, Some("size"), "bytes or `100 GB`";
        MOUNTPOINT = "mountpoint", Str, Read, Some("mountpoint"), "";
    }
}

section! {
    /// `machineFiles[]` entries (Talos' `MachineFile`).
    machine_file: MachineFile {
        CONTENT = "content", Str, Read, Some("content"), "text, or `@./file`";
        PERMISSIONS = "permissions", U32, Read, Some("permissions"), "`0o644`";
        PATH = "path", Str, Read, None, "";
        OP = "op", Str, Read, Some("op"), "`create`, `append` or `overwrite`";
        SKIP_ENVSUBST = "skipEnvsubst", Bool, Read, None, "an `@./file`'s `${VAR}`s stay as written";
    }
}

section! {
    /// `extensionServices[]` entries (Talos' `ExtensionServiceConfig`).
    extension_service: ExtensionService {
        NAME = "name", Str, Read, None, "";
        CONFIG_FILES = "configFiles", List, Read, Some("config_files"), "";
        ENVIRONMENT = "environment", Strings, Read, Some("environment"), "`KEY=value` each";
    }
}

section! {
    /// `extensionServices[].configFiles[]` entries.
    config_file: ConfigFile {
        CONTENT = "content", Str, Read, Some("content"), "";
        MOUNT_PATH = "mountPath", Str, Read, Some("mount_path"), "";
    }
}

section! {
    /// `volumes[]` entries (Talos' `VolumeConfig`).
    volume: Volume {
        NAME = "name", Str, Read, None, "`STATE`, `EPHEMERAL` or `IMAGECACHE`";
        PROVISIONING = "provisioning", Map, Read, None, "see `provisioning`";
        ENCRYPTION = "encryption", Yaml, Read, Some("encryption"), "Talos' `EncryptionSpec`, kept as written";
    }
}

section! {
    /// `userVolumes[]` entries (Talos' `UserVolumeConfig`).
    user_volume: UserVolume {
        NAME = "name", Str, Read, None, "";
        VOLUME_TYPE = "volumeType", Str, Read, Some("type"), "`partition`, `directory` or `disk`";
        PROVISIONING = "provisioning", Map, Read, None, "see `provisioning`";
        FILESYSTEM = "filesystem", Map, Read, None, "see `filesystem`";
        ENCRYPTION = "encryption", Yaml, Read, Some("encryption"), "Talos' `EncryptionSpec`, kept as written";
    }
}

section! {
    /// `provisioning` of a volume or user volume (Talos' `ProvisioningSpec`).
    provisioning: Provisioning {
        DISK_SELECTOR = "diskSelector", Map, Read, None, "see `volume_disk_selector`";
        GROW = "grow", Bool, Read, Some("grow"), "";
        MIN_SIZE = "minSize", Str, Read, Some("min_size"), "";
        MAX_SIZE = "maxSize", Str, Read, Some("max_size"), "bytes or a percentage";
    }
}

section! {
    /// `provisioning.diskSelector`.
    volume_disk_selector: VolumeDiskSelector {
        MATCH = "match", Str, Read, Some("disk"), "a CEL expression over `disk`";
    }
}

section! {
    /// `userVolumes[].filesystem`.
    filesystem: Filesystem {
        TYPE = "type", Str, Read, Some("filesystem"), "`xfs` or `ext4`";
        PROJECT_QUOTA_SUPPORT = "projectQuotaSupport", Bool, Read, Some("project_quota"), "";
    }
}
