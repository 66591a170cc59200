// Helpers of the provider suite: an in-process emulator, its admin API, and the environment the
// provider reads its configuration from at call time.
import { FIXTURES, startEmulator } from "../../emulator";
import { CONFIG_KEYS } from "../../provider/config";
import { configure, resetConfiguration } from "../../provider/impl";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";

export const ADMIN_TOKEN = "provider-suite-admin";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Starts an emulator whose objects settle after a couple of reads, so waiters really poll. */
export function start(opts: { profile?: "jd-hosted" | "huawei" } = {}): Promise<Emulator> {
  return startEmulator({
    ...opts,
    port: 0,
    dbPath: ":memory:",
    adminToken: ADMIN_TOKEN,
    delays: {
      vifCreate: { reads: 2 },
      vifDelete: { reads: 2 },
      peerCreate: { reads: 2 },
      peerDelete: { reads: 2 },
    },
  });
}

/** The emulator's admin API (test/helpers/emulatorAdmin.ts) with the suite's token. */
export function admin(emu: Emulator): EmulatorAdmin {
  return new EmulatorAdmin(emu.url, ADMIN_TOKEN);
}

/** Adds fault rules (route templates as the emulator names them). */
export function fault(emu: Emulator, rule: Record<string, unknown>) {
  return admin(emu).fault(rule);
}

export const VIFS_ROUTE = "/v3/{project_id}/dcaas/virtual-interfaces";
export const VIF_ROUTE = "/v3/{project_id}/dcaas/virtual-interfaces/{virtual_interface_id}";
export const PEERS_ROUTE = "/v3/{project_id}/dcaas/vif-peers";

// Every variable the provider reads (its CONFIG_KEYS), so no test's setting leaks into the next
// file (DCAAS_PROFILE from the Huawei SDK test did, and live checks ran with huawei rules).
const KEYS = [...new Set(Object.values(CONFIG_KEYS).flatMap((k) => [...k.env]))];

/** Points the provider at the emulator through the environment; returns a restore function. */
export function useEnv(emu: Emulator, extra: Record<string, string> = {}): () => void {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, {
    DCAAS_ENDPOINT: emu.url,
    DCAAS_PROJECT_ID: FIXTURES.projectId,
    DCAAS_TOKEN: FIXTURES.token,
    DCAAS_POLL_INTERVAL: "100ms",
    DCAAS_RETRY_BASE_DELAY: "20ms",
    ...extra,
  });
  return () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}

let vlan = 100;
/** A fresh VLAN per test, so tests never collide on the shared hosted connection. */
export function nextVlan(): number {
  return vlan++;
}

let subnet = 0;
/** A fresh private /30 pair (and standby pair) per test, disjoint from earlier ones. */
export function nextAddresses() {
  const n = subnet++;
  const third = Math.floor(n / 32);
  const base = (n % 32) * 8;
  return {
    customerAddress: `10.${50 + third}.0.${base + 1}/30`,
    cloudAddress: `10.${50 + third}.0.${base + 2}/30`,
    standbyCustomerAddress: `10.${50 + third}.0.${base + 5}/30`,
    standbyCloudAddress: `10.${50 + third}.0.${base + 6}/30`,
  };
}

/** The stack the provider suite's resources belong to (their owner marks). */
export const SUITE_STACK = "provider-suite/test";

/** HostedVif inputs for the fixture connection and gateway, as check would return them. */
export function vifInputs(name: string, over: Record<string, unknown> = {}) {
  return {
    __owner: `${SUITE_STACK}/${name}`,
    name,
    description: "",
    hostedConnectionId: FIXTURES.hostedConnections.active1,
    borderGatewayId: FIXTURES.gatewayId,
    vlan: nextVlan(),
    routeMode: "bgp",
    bgpAsn: 65010,
    bgpKey: "s3cr3t-key",
    ...nextAddresses(),
    remoteSubnets: ["192.168.50.0/24"],
    ...over,
  };
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Requests the emulator logged for a method and route template (since the last clear). */
export async function logged(emu: Emulator, method: string, route: string): Promise<any[]> {
  const snap = await admin(emu).requests();
  return snap.requests.filter((r: any) => r.method === method && r.route === route);
}

/** Forgets the request log. */
export function clearLog(emu: Emulator) {
  return admin(emu).clearRequests();
}

/**
 * A new provider run against the emulator: forgets what the last "run" read and remembered, and
 * configures the stack config the provider host would pass (token auth, plus `extra`).
 */
export async function newRun(emu: Emulator, extra: Record<string, string> = {}): Promise<void> {
  resetConfiguration();
  const cfg: Record<string, string> = {
    "dcaas:endpoint": emu.url,
    "dcaas:projectId": FIXTURES.projectId,
    "dcaas:token": FIXTURES.token,
    ...extra,
  };
  await configure({ config: { get: (k: string) => cfg[k] } });
}
