// The peer of `talforge check` in benches/targets.rs: the talconfig.yaml of the bench's
// generated cluster (benches/common big_script), written by a Jsonnet engine.
// `jrsonnet -S --ext-code nodes=6000 benches/peer/talconfig.jsonnet`
local n = std.extVar('nodes');
local host(i) = '10.20.%d.%d' % [std.floor(i / 256), i % 256];
local bond(cp) = {
  interface: 'bond0',
  bond: { interfaces: ['enp0s1', 'enp0s2'], mode: '802.3ad', lacpRate: 'fast' },
  mtu: 9000,
  dhcp: true,
} + (if cp then { vip: { ip: host(10) } } else {});
local node(i) = {
  local cp = i <= 3,
  hostname: if cp then 'big-cp-%d' % i else 'big-wk-%d' % (i - 3),
  ipAddress: host(100 + i),
  controlPlane: cp,
  installDisk: '/dev/nvme0n1',
  nodeLabels: { 'topology.kubernetes.io/zone': 'rack-%d' % std.floor(i / 60) },
  networkInterfaces: [bond(cp)],
};
'# generated from benches/peer/talconfig.jsonnet\n' + std.manifestYamlDoc({
  clusterName: 'big',
  talosVersion: 'v1.13.9',
  kubernetesVersion: 'v1.36.3',
  endpoint: 'https://%s:6443' % host(10),
  clusterPodNets: ['10.42.0.0/16'],
  clusterSvcNets: ['10.43.0.0/16'],
  cniConfig: { name: 'none' },
  controlPlane: { patches: ['@./patches/controlplane.yaml'] },
  nodes: [node(i) for i in std.range(1, n)],
}, indent_array_in_object=true, quote_keys=false) + '\n'
