//! talhelper v3.1.16's 142 `t.Errorf(` call sites (`pkg/talos`, `pkg/config`, `pkg/patcher`, `pkg/substitute`), each with the ported assertions that cover it.
//!
//! A call site holds when the [`super::Tally`] rows listed for it (`Test: what`, a trailing
//! `*` matching any `what` with that start) exist and all hold: those rows assert talhelper's
//! expected values for that `t.Errorf`. A site inside a loop or a helper (`compare`,
//! `compareMaps`) lists the rows of every case or caller that reaches it. A site no ported
//! row covers is in [`NOT_COVERED`] with why.
//! `cargo test --lib talhelper::upstream::sites -- --nocapture` prints every site and the count.

/// Call sites that must hold (of [`SITES`]' 142).
const SITE_FLOOR: usize = 135;

/// Every `t.Errorf(` of the four packages at v3.1.16, one a line: `file:line function | rows`,
/// the rows `;`-separated, each a `what` of that function's test (`@Test: what` for another
/// test's, as a helper's callers are).
const SITES: &str = "\
pkg/talos/input_test.go:35 TestNewClusterInput | result.ClusterName
pkg/talos/input_test.go:39 TestNewClusterInput | VersionContract.Major
pkg/talos/input_test.go:43 TestNewClusterInput | VersionContract.Minor
pkg/talos/input_test.go:47 TestNewClusterInput | result.KubernetesVersion
pkg/talos/input_test.go:51 TestNewClusterInput | result.ControlPlaneEndpoint
pkg/talos/networkconfig_test.go:156 TestGenerateBondConfig | result.Name()
pkg/talos/networkconfig_test.go:160 TestGenerateBondConfig | len(result.BondLinks)
pkg/talos/networkconfig_test.go:163 TestGenerateBondConfig | result.BondLinks[0]
pkg/talos/networkconfig_test.go:166 TestGenerateBondConfig | result.BondLinks[1]
pkg/talos/networkconfig_test.go:172 TestGenerateBondConfig | result.BondMode
pkg/talos/networkconfig_test.go:178 TestGenerateBondConfig | result.BondLACPRate
pkg/talos/networkconfig_test.go:184 TestGenerateBondConfig | result.BondXmitHashPolicy
pkg/talos/networkconfig_test.go:188 TestGenerateBondConfig | result.BondMIIMon
pkg/talos/networkconfig_test.go:191 TestGenerateBondConfig | result.BondUpDelay
pkg/talos/networkconfig_test.go:194 TestGenerateBondConfig | result.BondDownDelay
pkg/talos/networkconfig_test.go:198 TestGenerateBondConfig | len(result.BondARPIPTargets)
pkg/talos/networkconfig_test.go:200 TestGenerateBondConfig | result.BondARPIPTargets[0]
pkg/talos/networkconfig_test.go:261 TestGenerateDHCPConfigs | results[0] kind ; results[2] kind
pkg/talos/networkconfig_test.go:264 TestGenerateDHCPConfigs | results[0] name ; results[2] name
pkg/talos/networkconfig_test.go:267 TestGenerateDHCPConfigs | results[0] route metric ; results[2] route metric
pkg/talos/networkconfig_test.go:271 TestGenerateDHCPConfigs | results[1] kind
pkg/talos/networkconfig_test.go:274 TestGenerateDHCPConfigs | results[1] name
pkg/talos/networkconfig_test.go:277 TestGenerateDHCPConfigs | results[1] route metric
pkg/talos/networkconfig_test.go:280 TestGenerateDHCPConfigs | results[0] kind ; results[1] kind ; results[2] kind
pkg/talos/networkconfig_test.go:346 TestGenerateVIPConfig | result.Name()
pkg/talos/networkconfig_test.go:350 TestGenerateVIPConfig | result.LinkName
pkg/talos/networkconfig_test.go:415 TestGenerateAddressConfig | result.MetaName
pkg/talos/networkconfig_test.go:424 TestGenerateAddressConfig | LinkAddresses[0]
pkg/talos/networkconfig_test.go:429 TestGenerateAddressConfig | LinkAddresses[1]
pkg/talos/networkconfig_test.go:434 TestGenerateAddressConfig | LinkAddresses[2]
pkg/talos/networkconfig_test.go:501 TestGenerateRouteConfig | result.MetaName
pkg/talos/networkconfig_test.go:510 TestGenerateRouteConfig | LinkRoutes[0].RouteDestination
pkg/talos/networkconfig_test.go:514 TestGenerateRouteConfig | LinkRoutes[0].RouteGateway
pkg/talos/networkconfig_test.go:517 TestGenerateRouteConfig | LinkRoutes[0].RouteMetric
pkg/talos/networkconfig_test.go:523 TestGenerateRouteConfig | LinkRoutes[1] has no destination (default route)
pkg/talos/networkconfig_test.go:527 TestGenerateRouteConfig | LinkRoutes[1].RouteGateway
pkg/talos/networkconfig_test.go:594 TestGenerateLinkConfig | result.MetaName
pkg/talos/networkconfig_test.go:598 TestGenerateLinkConfig | result.LinkMTU
pkg/talos/networkconfig_test.go:682 TestGenerateVLANConfig | result[0] is VLANConfig
pkg/talos/networkconfig_test.go:686 TestGenerateVLANConfig | result0.MetaName
pkg/talos/networkconfig_test.go:690 TestGenerateVLANConfig | result0.VLANIDConfig
pkg/talos/networkconfig_test.go:694 TestGenerateVLANConfig | result0.ParentLinkConfig
pkg/talos/networkconfig_test.go:703 TestGenerateVLANConfig | result0.LinkAddresses[0]
pkg/talos/networkconfig_test.go:711 TestGenerateVLANConfig | result0.LinkMTU
pkg/talos/networkconfig_test.go:715 TestGenerateVLANConfig | result[0/1].Name()
pkg/talos/networkconfig_test.go:720 TestGenerateVLANConfig | result[1] is DHCPv4Config
pkg/talos/networkconfig_test.go:724 TestGenerateVLANConfig | result1.MetaName
pkg/talos/networkconfig_test.go:855 TestGenerateVLANConfigBytesMultipleVLANs | result[0] kind ; result[3] kind ; result[6] kind
pkg/talos/networkconfig_test.go:858 TestGenerateVLANConfigBytesMultipleVLANs | result[0] name ; result[3] name ; result[6] name
pkg/talos/networkconfig_test.go:861 TestGenerateVLANConfigBytesMultipleVLANs | result[0] vlanId ; result[3] vlanId ; result[6] vlanId
pkg/talos/networkconfig_test.go:864 TestGenerateVLANConfigBytesMultipleVLANs | result[0] parent ; result[3] parent ; result[6] parent
pkg/talos/networkconfig_test.go:868 TestGenerateVLANConfigBytesMultipleVLANs | result[2] kind
pkg/talos/networkconfig_test.go:871 TestGenerateVLANConfigBytesMultipleVLANs | result[2] name
pkg/talos/networkconfig_test.go:874 TestGenerateVLANConfigBytesMultipleVLANs | result[2] vipLink
pkg/talos/networkconfig_test.go:878 TestGenerateVLANConfigBytesMultipleVLANs | result[1] kind ; result[4] kind
pkg/talos/networkconfig_test.go:881 TestGenerateVLANConfigBytesMultipleVLANs | result[1] name ; result[4] name
pkg/talos/networkconfig_test.go:885 TestGenerateVLANConfigBytesMultipleVLANs | result[5] kind
pkg/talos/networkconfig_test.go:888 TestGenerateVLANConfigBytesMultipleVLANs | result[5] name
pkg/talos/networkconfig_test.go:891 TestGenerateVLANConfigBytesMultipleVLANs | result[0] kind ; result[1] kind ; result[2] kind ; result[3] kind ; result[4] kind ; result[5] kind ; result[6] kind
pkg/talos/networkconfig_test.go:927 TestGenerateWireguardConfig | result.MetaName
pkg/talos/networkconfig_test.go:931 TestGenerateWireguardConfig | WireguardPrivateKey
pkg/talos/networkconfig_test.go:935 TestGenerateWireguardConfig | WireguardListenPort
pkg/talos/networkconfig_test.go:939 TestGenerateWireguardConfig | WireguardFirewallMark
pkg/talos/networkconfig_test.go:948 TestGenerateWireguardConfig | peer.WireguardPublicKey
pkg/talos/networkconfig_test.go:953 TestGenerateWireguardConfig | peer.WireguardEndpoint
pkg/talos/networkconfig_test.go:962 TestGenerateWireguardConfig | peer.WireguardAllowedIPs[0]
pkg/talos/networkconfig_test.go:1032 TestGenerateBridgeConfig | result.MetaName
pkg/talos/networkconfig_test.go:1040 TestGenerateBridgeConfig | BridgeLinks[0]
pkg/talos/networkconfig_test.go:1044 TestGenerateBridgeConfig | BridgeLinks[1]
pkg/talos/networkconfig_test.go:1128 TestBondConfigWithAddressesAndRoutes | bondConfig.LinkAddresses[0]
pkg/talos/networkconfig_test.go:1136 TestBondConfigWithAddressesAndRoutes | bondConfig.LinkRoutes[0].RouteDestination
pkg/talos/networkconfig_test.go:1140 TestBondConfigWithAddressesAndRoutes | bondConfig.LinkMTU
pkg/talos/networkconfig_test.go:1183 TestWireguardConfigWithAddresses | wgConfig.LinkAddresses[0]
pkg/talos/networkconfig_test.go:1187 TestWireguardConfigWithAddresses | wgConfig.LinkMTU
pkg/talos/networkconfig_test.go:1227 TestBridgeConfigWithMTU | bridgeConfig.LinkMTU
pkg/talos/networkconfig_test.go:1320 TestGenerateLinkAliasConfig | result1.MetaName
pkg/talos/networkconfig_test.go:1325 TestGenerateLinkAliasConfig | expr1 has glob with the MAC pattern
pkg/talos/networkconfig_test.go:1336 TestGenerateLinkAliasConfig | result2.MetaName
pkg/talos/networkconfig_test.go:1341 TestGenerateLinkAliasConfig | expr2 contains link.bus_path
pkg/talos/networkconfig_test.go:1344 TestGenerateLinkAliasConfig | expr2 contains link.driver
pkg/talos/networkconfig_test.go:1347 TestGenerateLinkAliasConfig | expr2 contains 0000:01:*
pkg/talos/networkconfig_test.go:1350 TestGenerateLinkAliasConfig | expr2 contains virtio_net
pkg/talos/networkconfig_test.go:1361 TestGenerateLinkAliasConfig | result3.MetaName
pkg/talos/networkconfig_test.go:1366 TestGenerateLinkAliasConfig | expr3 contains permanent_addr
pkg/talos/networkconfig_test.go:1369 TestGenerateLinkAliasConfig | expr3 contains aa:bb:cc:dd:ee:ff
pkg/talos/networkconfig_test.go:1372 TestGenerateLinkAliasConfig | expr3 contains link.pciid
pkg/talos/networkconfig_test.go:1375 TestGenerateLinkAliasConfig | expr3 contains 8086:1533
pkg/talos/networkconfig_test.go:1409 TestGenerateLinkAliasConfigWithoutInterfaceName | result1.MetaName
pkg/talos/networkconfig_test.go:1421 TestGenerateLinkAliasConfigWithoutInterfaceName | result2.MetaName
pkg/talos/networkconfig_test.go:1433 TestGenerateLinkAliasConfigWithoutInterfaceName | result3.MetaName
pkg/talos/networkconfig_test.go:1468 TestGenerateLinkAliasConfigAvoidsDuplicateNames | 2 LinkAliasConfig documents
pkg/talos/networkconfig_test.go:1518 TestDeviceSelectorUpdatesDeviceInterface | DeviceInterface is ethSel0
pkg/talos/networkconfig_test.go:1535 TestDeviceSelectorUpdatesDeviceInterface | no LinkConfig with an empty name
pkg/talos/networkconfig_test.go:1629 TestCELExpressionEvaluation | *
pkg/talos/networkconfig_test.go:1753 TestGenerateBondMemberAliasConfig | BondLinks[0]
pkg/talos/networkconfig_test.go:1757 TestGenerateBondMemberAliasConfig | BondLinks[1]
pkg/talos/nodeconfig_test.go:190 compare | @TestGenerateNodeExtensionServiceConfig: * ; @TestGenerateNetworkHostname: * ; @TestGenerateNodeDefaultActionConfig: * ; @TestGenerateNodeRuleConfig: * ; @TestGenerateNodeConfig: * ; @TestGenerateNodeUserVolumeConfig: * ; @TestGenerateNodeVolumeConfig: *
pkg/talos/nodeconfig_test.go:196 compare | @TestGenerateNodeExtensionServiceConfig: * ; @TestGenerateNetworkHostname: * ; @TestGenerateNodeDefaultActionConfig: * ; @TestGenerateNodeRuleConfig: * ; @TestGenerateNodeConfig: * ; @TestGenerateNodeUserVolumeConfig: * ; @TestGenerateNodeVolumeConfig: *
pkg/talos/nodeconfig_test.go:200 compare | @TestGenerateNodeExtensionServiceConfig: * ; @TestGenerateNetworkHostname: * ; @TestGenerateNodeDefaultActionConfig: * ; @TestGenerateNodeRuleConfig: * ; @TestGenerateNodeConfig: * ; @TestGenerateNodeUserVolumeConfig: * ; @TestGenerateNodeVolumeConfig: *
pkg/talos/nodeconfig_test.go:205 compare | @TestGenerateNodeExtensionServiceConfig: * ; @TestGenerateNetworkHostname: * ; @TestGenerateNodeDefaultActionConfig: * ; @TestGenerateNodeRuleConfig: * ; @TestGenerateNodeConfig: * ; @TestGenerateNodeUserVolumeConfig: * ; @TestGenerateNodeVolumeConfig: *
pkg/talos/nodeconfig_test.go:209 compare | @TestGenerateNodeExtensionServiceConfig: * ; @TestGenerateNetworkHostname: * ; @TestGenerateNodeDefaultActionConfig: * ; @TestGenerateNodeRuleConfig: * ; @TestGenerateNodeConfig: * ; @TestGenerateNodeUserVolumeConfig: * ; @TestGenerateNodeVolumeConfig: *
pkg/talos/nodeconfig_test.go:212 compare | @TestGenerateNodeExtensionServiceConfig: * ; @TestGenerateNetworkHostname: * ; @TestGenerateNodeDefaultActionConfig: * ; @TestGenerateNodeRuleConfig: * ; @TestGenerateNodeConfig: * ; @TestGenerateNodeUserVolumeConfig: * ; @TestGenerateNodeVolumeConfig: *
pkg/talos/nodeconfig_test.go:258 compareMaps | @TestTemplateConfigField: *
pkg/talos/nodeconfig_test.go:261 compareMaps | @TestTemplateConfigField: *
pkg/talos/schematic_test.go:40 TestOnlineMode | online ID == offline ID
pkg/talos/schematic_test.go:142 TestGetInstallerURL | *
pkg/talos/validate_test.go:33 TestValidateConfigFromBytes | metal config without install is an error
pkg/talos/validate_test.go:38 TestValidateConfigFromBytes | container config is valid
pkg/config/loader_test.go:49 TestLoadAndValidateFromFile | cfg.ClusterName
pkg/config/loader_test.go:53 TestLoadAndValidateFromFile | cfg.Nodes[0]
pkg/config/loader_test.go:57 TestLoadAndValidateFromFile | cfg.Nodes[1]
pkg/config/nodeconfigs_test.go:83 TestOverrideNodeConfigs | node after OverrideGlobalCfg
pkg/config/outputfilename_test.go:69 TestGetOutputFileName | tests[3] error
pkg/config/outputfilename_test.go:77 TestGetOutputFileName | tests[0] result ; tests[1] result ; tests[2] result ; tests[3] result
pkg/config/validate_test.go:103 TestValidateFromByte | HasField(*
pkg/config/validator_test.go:26 TestIsRFC6902List | isRFC6902List
pkg/config/validator_test.go:41 TestIsSemVer | *
pkg/config/validator_test.go:51 TestIsCIDRList | data1
pkg/config/validator_test.go:55 TestIsCIDRList | data2
pkg/config/validator_test.go:69 TestIsDomain | *
pkg/config/validator_test.go:136 TestCheckNodeLabels |
pkg/config/validator_test.go:140 TestCheckNodeLabels | *
pkg/config/validator_test.go:142 TestCheckNodeLabels | *
pkg/config/validator_test.go:202 TestCheckNodeAnnotations |
pkg/config/validator_test.go:206 TestCheckNodeAnnotations | *
pkg/config/validator_test.go:208 TestCheckNodeAnnotations | *
pkg/patcher/patcher_test.go:35 TestApplyPatchFromYaml | result
pkg/patcher/patcher_test.go:68 TestYAMLInlinePatcher |
pkg/patcher/patcher_test.go:126 TestPatchesPatcher | PatchesPatcher(patchList, file)
pkg/patcher/patcher_test.go:150 TestPatchesPatherTemplating | templating0 ; templating1 ; templating2
pkg/substitute/contentsubst_test.go:18 TestSubstituteFileContent_SopsEncryptedFile | contains password: supersecret
pkg/substitute/contentsubst_test.go:21 TestSubstituteFileContent_SopsEncryptedFile | contains name: my-secret
pkg/substitute/contentsubst_test.go:44 TestSubstituteFileContent_SopsEncryptedWithEnvsubst | contains password: supersecret
pkg/substitute/contentsubst_test.go:55 TestSubstituteFileContent_NonSopsFile | contains hubble-ui-nginx
pkg/substitute/contentsubst_test.go:66 TestSubstituteFileContent_NoAtPrefix | result
pkg/substitute/contentsubst_test.go:119 TestSubstituteFileContent | contents[0] without envsubst ; contents[1] without envsubst
pkg/substitute/contentsubst_test.go:127 TestSubstituteFileContent | contents[0] with envsubst (as YAML documents) ; contents[1] with envsubst
pkg/substitute/envsubst_test.go:24 TestLoadEnvFromFiles | env1 ; env2 ; env3 ; enc_hello_env
pkg/substitute/envsubst_test.go:57 TestSubstituteEnvFromYaml | SubstituteEnvFromByte
pkg/substitute/envsubst_test.go:82 TestLoadEnv | env1 ; env2 ; env3 ; default
pkg/substitute/envsubst_test.go:106 TestComplexCommentStrip | SubstituteEnvFromByte
pkg/substitute/pathsubst_test.go:204 TestSubstituteRelativePaths |
";

/// [`SITES`] as `(file, line, function, row ids)`.
fn sites() -> Vec<(&'static str, u32, &'static str, Vec<String>)> {
    SITES
        .lines()
        .map(|l| {
            let (head, rows) = l
                .split_once(" | ")
                .unwrap_or((l.trim_end_matches(" |"), ""));
            let (at, func) = head.split_once(' ').expect("`file:line function`");
            let (file, line) = at.rsplit_once(':').expect("`file:line`");
            let rows = rows
                .split(" ; ")
                .filter(|r| !r.is_empty())
                .map(|r| match r.strip_prefix('@') {
                    Some(other) => other.to_string(),
                    None => format!("{func}: {r}"),
                })
                .collect();
            (file, line.parse().expect("a line number"), func, rows)
        })
        .collect()
}

/// Call sites no ported row covers, and why.
const NOT_COVERED: &[(&str, u32, &str)] = &[
    (
        "pkg/config/validator_test.go",
        136,
        "Go pointer identity: `checkNodeLabels` must return the `*Errors` it was given; talforge's checks return diagnostics, there is no pointer to compare (each case's error/no error is asserted at lines 140 and 142)",
    ),
    (
        "pkg/config/validator_test.go",
        202,
        "Go pointer identity: `checkNodeAnnotations` must return the `*Errors` it was given; talforge's checks return diagnostics, there is no pointer to compare (each case's error/no error is asserted at lines 206 and 208)",
    ),
    (
        "pkg/patcher/patcher_test.go",
        68,
        "`YAMLInlinePatcher` (RFC 7396 merge of any YAML) has no caller in talhelper v3.1.16 and no counterpart in talforge: its patches are Talos' strategic merge and JSON6902",
    ),
    (
        "pkg/substitute/pathsubst_test.go",
        204,
        "asserts the YAML that talhelper's path-rewriting pass (`SubstituteRelativePaths`) outputs; talforge has no such pass: it reads each `@` path next to talconfig.yaml as it reads the key (the row `TestSubstituteRelativePaths: every @ path read next to the config file` checks 8 of the 11 cases that way; the `@`, `@ ` and `ipAddress` cases have no counterpart)",
    ),
];

#[test]
fn talhelper_upstream_call_sites() {
    let t = super::tally();
    let matches = |pat: &str, id: &str| match pat.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => id == pat,
    };
    let mut held = 0;
    let mut stale = Vec::new();
    let sites = sites();
    for (file, line, func, rows) in &sites {
        let covered: Vec<&super::Check> = t
            .checks
            .iter()
            .filter(|c| rows.iter().any(|p| matches(p, &c.id)))
            .collect();
        for p in rows {
            if !t.checks.iter().any(|c| matches(p, &c.id)) {
                stale.push(format!("{file}:{line} {p}"));
            }
        }
        let reason = NOT_COVERED
            .iter()
            .find(|(f, l, _)| f == file && l == line)
            .map(|(_, _, why)| *why);
        assert_eq!(
            rows.is_empty(),
            reason.is_some(),
            "{file}:{line}: a site has rows or a NOT_COVERED reason, not both"
        );
        let ok = !covered.is_empty() && covered.iter().all(|c| c.held);
        held += usize::from(ok);
        let mark = if ok { "ok  " } else { "FAIL" };
        let why = reason.map_or_else(
            || format!("{} rows", covered.len()),
            |w| format!("not covered: {w}"),
        );
        println!("{mark} {file}:{line} {func} ({why})");
    }
    assert!(stale.is_empty(), "rows that match no assertion: {stale:#?}");
    let per = |pkg: &str| sites.iter().filter(|s| s.0.starts_with(pkg)).count();
    assert_eq!(
        [
            per("pkg/talos/"),
            per("pkg/config/"),
            per("pkg/patcher/"),
            per("pkg/substitute/"),
        ],
        [108, 18, 4, 12],
        "the t.Errorf call sites of each package"
    );
    println!(
        "talhelper v3.1.16 t.Errorf call sites: {held} of {} hold",
        sites.len()
    );
    assert!(
        held >= SITE_FLOOR,
        "{held} call sites hold, floor {SITE_FLOOR}"
    );
}
