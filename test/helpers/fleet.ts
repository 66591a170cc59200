// A "fleet" of N HostedVif + VifPeer pairs for the hardening e2e tests (chaos, crash, interrupt):
// the stack config, the spec, bounded `up` retries, and the inventory-equals-state check.
import * as assert from "node:assert/strict";
import { Stack } from "@pulumi/pulumi/automation";
import { FIXTURES } from "../../emulator";
import { EmulatorAdmin } from "./emulatorAdmin";
import { newStack, TempBackend } from "./pulumi";

type Spec = { vifs: Record<string, any>; peers: Record<string, any> };

/** N interface + IPv6 peer pairs on hosted connection active1, VLANs from `vlanBase + 1`, BGP with the secret key. */
export function fleetSpec(n: number, vlanBase = 400): Spec {
  const spec: Spec = { vifs: {}, peers: {} };
  for (let i = 1; i <= n; i++) {
    const name = `pair-${i}`;
    spec.vifs[name] = {
      name,
      description: `fleet pair ${i}`,
      hostedConnectionId: FIXTURES.hostedConnections.active1,
      borderGatewayId: FIXTURES.gatewayId,
      vlan: vlanBase + i,
      routeMode: "bgp",
      bgpAsn: 65010,
      bgpKey: true,
      customerAddress: `10.1.${i}.1/30`,
      cloudAddress: `10.1.${i}.2/30`,
      remoteSubnets: [`192.168.${i}.0/24`],
    };
    spec.peers[`${name}-v6`] = {
      vif: name,
      name: `${name}-v6`,
      addressFamily: "ipv6",
      customerAddress: `fd00:${i}::2/64`,
      cloudAddress: `fd00:${i}::1/64`,
      routeMode: "bgp",
      bgpAsn: 65010,
      bgpKey: true,
      remoteSubnets: [`fd01:${i}::/64`],
    };
  }
  return spec;
}

/** A stack on `project` configured for the emulator at `url` with `n` pairs; config values as strings. */
export async function fleetStack(opts: {
  project: string;
  backend: TempBackend;
  url: string;
  prefix: string;
  pairs: number;
  bgpKey: string;
  config?: Record<string, string>;
  /** Extra environment of the CLI (e.g. PULUMI_SKIP_CHECKPOINTS). */
  env?: Record<string, string>;
}): Promise<Stack> {
  const stack = await newStack(opts.project, opts.backend, opts.prefix, {
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    ...opts.env,
  });
  const extra = Object.fromEntries(Object.entries(opts.config ?? {}).map(([k, v]) => [k, { value: v }]));
  await stack.setAllConfig({
    "dcaas:endpoint": { value: opts.url },
    "dcaas:projectId": { value: FIXTURES.projectId },
    "dcaas:accessKey": { value: FIXTURES.accessKey, secret: true },
    "dcaas:secretKey": { value: FIXTURES.secretKey, secret: true },
    "dcaas:pollInterval": { value: "100ms" },
    bgpKey: { value: opts.bgpKey, secret: true },
    spec: { value: JSON.stringify(fleetSpec(opts.pairs)) },
    ...extra,
  });
  return stack;
}

/**
 * `up` until it succeeds, at most `maxUps` times in all; returns how many it took. Each failure's
 * message is kept in `failures` for the report.
 */
export async function upUntilConverged(
  stack: Stack,
  maxUps: number,
  onOutput: (s: string) => void,
  failures: string[],
  first: { refresh?: boolean } = {},
): Promise<number> {
  for (let i = 1; ; i++) {
    try {
      const up = await stack.up({ onOutput, refresh: i === 1 ? first.refresh : true });
      assert.equal(up.summary.result, "succeeded");
      return i;
    } catch (err) {
      failures.push(String((err as Error).message).slice(-2000));
      if (i >= maxUps) throw err;
    }
  }
}

/** The dynamic resources (HostedVif, VifPeer) of an exported deployment. */
export function dynamicResources(deployment: any): any[] {
  return (deployment.resources ?? []).filter((r: any) => String(r.type).startsWith("pulumi-nodejs:dynamic"));
}

/** The ids in the stack's state and in the emulator's inventory (project A), for the invariant. */
export async function stateAndInventory(
  stack: Stack,
  admin: EmulatorAdmin,
): Promise<{
  stateVifs: string[];
  statePeers: string[];
  stateIpv4Peers: string[];
  liveVifs: any[];
  livePeers: any[];
  pending: unknown[];
}> {
  const dep = (await stack.exportStack()).deployment;
  const dyn = dynamicResources(dep);
  const vifs = dyn.filter((r: any) => r.type.endsWith(":HostedVif"));
  const peers = dyn.filter((r: any) => r.type.endsWith(":VifPeer"));
  assert.equal(vifs.length + peers.length, dyn.length, "a dynamic resource that is neither kind");
  const liveVifs = await admin.interfaces(FIXTURES.projectId);
  return {
    stateVifs: vifs.map((r: any) => r.id).sort(),
    statePeers: peers.map((r: any) => r.id).sort(),
    stateIpv4Peers: vifs.map((r: any) => r.outputs.ipv4PeerId).sort(),
    liveVifs,
    livePeers: liveVifs.flatMap((v) => v.vif_peers),
    pending: dep.pending_operations ?? [],
  };
}

/**
 * The invariant: the emulator holds exactly the objects the state records (same ids, no
 * duplicates, no orphans), all ACTIVE, `pairs` of each, and no pending operation is left.
 */
export async function assertInventoryEqualsState(stack: Stack, admin: EmulatorAdmin, pairs: number) {
  const s = await stateAndInventory(stack, admin);
  assert.deepEqual(s.pending, [], "pending operations left in the state");
  assert.equal(s.stateVifs.length, pairs, "interfaces in the state");
  assert.equal(s.statePeers.length, pairs, "peers in the state");
  assert.equal(new Set([...s.stateVifs, ...s.statePeers]).size, 2 * pairs, "duplicate ids in the state");
  const liveVifIds = s.liveVifs.map((v) => v.id).sort();
  assert.deepEqual(liveVifIds, s.stateVifs, "live interfaces != interfaces in the state");
  const ipv4 = s.livePeers.filter((p) => p.address_family === "ipv4");
  const ipv6 = s.livePeers.filter((p) => p.address_family === "ipv6");
  assert.deepEqual(ipv6.map((p) => p.id).sort(), s.statePeers, "live IPv6 peers != peers in the state");
  assert.deepEqual(
    ipv4.map((p) => p.id).sort(),
    s.stateIpv4Peers,
    "live IPv4 peers != ipv4PeerId outputs in the state",
  );
  assert.ok(
    [...s.liveVifs, ...s.livePeers].every((x) => x.status === "ACTIVE"),
    `not all ACTIVE: ${JSON.stringify([...s.liveVifs, ...s.livePeers].map((x) => [x.name, x.status]))}`,
  );
  // Names are unique per pair: a duplicate created under the same name would show here too.
  const names = s.liveVifs.map((v) => v.name);
  assert.equal(new Set(names).size, names.length, `duplicate interface names: ${names}`);
}
