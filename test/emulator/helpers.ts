// Helpers of the emulator tests: a started emulator that is always closed, a small HTTP client
// and valid request bodies built from the default fixtures.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorOptions, FIXTURES, type RunningEmulator, startEmulator } from "../../emulator";
import { type AdminAnswer, EmulatorAdmin } from "../helpers/emulatorAdmin";

export { FIXTURES };
export const ADMIN = "test-admin-token";
export const A = FIXTURES;
export const B = FIXTURES.otherProject;

/** The answer of one request. */
export type Res = AdminAnswer;

/** A client bound to one emulator and one project's token. */
export class Client {
  constructor(
    readonly url: string,
    readonly projectId: string = A.projectId,
    readonly token: string | null = A.token,
  ) {}

  base(): string {
    return `${this.url}/v3/${this.projectId}/dcaas`;
  }

  async req(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h["X-Auth-Token"] = this.token;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["Content-Type"] = "application/json";
    }
    const url = path.startsWith("http")
      ? path
      : path.startsWith("/v3/") || path.startsWith("/_") || path.startsWith("/openapi")
        ? `${this.url}${path}`
        : `${this.base()}${path}`;
    const r = await fetch(url, { method, headers: h, body: payload });
    const text = await r.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: r.status, headers: r.headers, body: parsed, text };
  }

  /** One request to the admin API (`/_emulator${path}`) with the suite's admin token. */
  admin(method: string, path: string, body?: unknown): Promise<Res> {
    return new EmulatorAdmin(this.url, ADMIN).request(method, path, body);
  }
}

/** Runs fn with a fresh emulator (admin enabled, zero delays unless given) and always closes it. */
export async function withEmulator<T>(
  opts: EmulatorOptions,
  fn: (e: RunningEmulator, c: Client) => Promise<T>,
): Promise<T> {
  const delays = { vifCreate: 0, vifDelete: 0, peerCreate: 0, peerDelete: 0, ...opts.delays };
  const e = await startEmulator({ adminToken: ADMIN, ...opts, delays });
  try {
    return await fn(e, new Client(e.url));
  } finally {
    await e.close();
  }
}

/** A temporary directory removed by the returned cleanup function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "dcaas-emu-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let vlanSeq = 100;
let netSeq = 0;

/** A valid static hosted VIF create body; every call uses a fresh VLAN and a fresh /30. */
export function vifBody(over: Record<string, unknown> = {}): { virtual_interface: Record<string, unknown> } {
  const n = netSeq++;
  const third = Math.floor(n / 64) % 256;
  const fourth = (n % 64) * 4;
  return {
    virtual_interface: {
      name: `vif-${n}`,
      direct_connect_id: A.hostedConnections.active1,
      vgw_id: A.gatewayId,
      vlan: vlanSeq++,
      route_mode: "static",
      remote_gateway_v4_ip: `10.${1 + Math.floor(n / 16384)}.${third}.${fourth + 2}/30`,
      local_gateway_v4_ip: `10.${1 + Math.floor(n / 16384)}.${third}.${fourth + 1}/30`,
      remote_ep_group: ["192.168.10.0/24"],
      ...over,
    },
  };
}

/** Creates an interface and reads it until ACTIVE (delays must be 0 or reads-based). */
export async function createActiveVif(c: Client, over: Record<string, unknown> = {}): Promise<any> {
  const r = await c.req("POST", "/virtual-interfaces", vifBody(over));
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
  const id = r.body.virtual_interface.id;
  for (let i = 0; i < 20; i++) {
    const s = await c.req("GET", `/virtual-interfaces/${id}`);
    if (s.body?.virtual_interface?.status === "ACTIVE") return s.body.virtual_interface;
  }
  throw new Error(`interface ${id} never became ACTIVE`);
}

/** Polls until pred holds or the deadline passes (for timed transitions; never asserts timing). */
export async function eventually<T>(fn: () => Promise<T>, pred: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}
