// The provider's request bodies against Huawei Cloud's own SDK models (huaweicloudsdkdc 3.1.219,
// Python, from the cached virtualenv of scripts/python-venv.sh). Under each profile the provider's
// real create and update code runs against an emulator of that profile through a client that
// records every POST/PUT body; each body is then built into the SDK's request model
// (CreateVirtualInterface, UpdateVirtualInterface, CreateVifPeer, UpdateVifPeer), counting fields
// the model does not know and required fields the body lacks. Under huawei both counts are zero;
// under jd-hosted the unknown fields are exactly the ones PARITY.md lists as the provider's
// departures, and none is missing.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROFILES, type Profile } from "../../api/profile";
import { FIXTURES, startEmulator } from "../../emulator";
import { DcaasClient } from "../../provider/client";
import type { Deps } from "../../provider/deps";
import { resolveConfig } from "../../provider/config";
import * as hv from "../../provider/hostedVif";
import * as vp from "../../provider/vifPeer";
import { huaweiSdk } from "../helpers/huaweiSdk";
import { type Emulator, useEnv } from "./helpers";

type Recorded = { label: string; kind: string; body: Record<string, unknown> };

/** A client that records the body of every POST and PUT the provider sends. */
class RecordingClient extends DcaasClient {
  readonly bodies: { method: string; path: string; body: any }[] = [];
  override async request(method: string, p: string, opts: any): Promise<unknown> {
    if ((method === "POST" || method === "PUT") && opts?.body !== undefined) {
      this.bodies.push({ method, path: p, body: JSON.parse(JSON.stringify(opts.body)) });
    }
    return super.request(method, p, opts);
  }
}

/** The fields PARITY.md lists under "Provider request bodies (jd-hosted profile)": `model.field`. */
function parityDepartures(): string[] {
  const text = fs.readFileSync(path.resolve(__dirname, "../../emulator/PARITY.md"), "utf8");
  const section = text
    .split(/^## /m)
    .find((s) => s.startsWith("Provider request bodies (jd-hosted profile)"));
  assert.ok(section, "PARITY.md has no section 'Provider request bodies (jd-hosted profile)'");
  return [...section.matchAll(/^\|\s*`(\w+)`\s*\|\s*`(\w+)`\s*\|/gm)].map((m) => `${m[1]}.${m[2]}`).sort();
}

const MODEL: Record<string, string> = {
  "vif-create": "CreateVirtualInterface",
  "vif-update": "UpdateVirtualInterface",
  "peer-create": "CreateVifPeer",
  "peer-update": "UpdateVifPeer",
};

/** Runs the provider's create and update of both resources, with and without optional fields. */
async function providerBodies(emu: Emulator, profile: Profile): Promise<Recorded[]> {
  const restore = useEnv(emu, { DCAAS_PROFILE: profile });
  try {
    const config = resolveConfig();
    assert.equal(config.profile, profile);
    const client = new RecordingClient(config);
    const deps: Deps = { client, config, timing: { firstDelayMs: 10 } };
    const out: Recorded[] = [];
    const take = (label: string, kind: string) => {
      const wrapper = kind.startsWith("vif") ? "virtual_interface" : "vif_peer";
      const mine = client.bodies.filter((b) =>
        kind.endsWith("create")
          ? b.method === "POST" && b.path === (kind.startsWith("vif") ? "/virtual-interfaces" : "/vif-peers")
          : b.method === "PUT",
      );
      assert.ok(mine.length > 0, `the provider sent no ${kind} body for ${label}`);
      for (const b of mine) out.push({ label, kind, body: b.body[wrapper] });
      client.bodies.length = 0;
    };
    const huawei = profile === "huawei";
    const check = (inputs: Record<string, unknown>) => {
      const r = hv.checkHostedVif({}, inputs, profile);
      assert.deepEqual(r.failures, [], JSON.stringify(inputs));
      return r.inputs;
    };
    const checkPeer = (inputs: Record<string, unknown>) => {
      const r = vp.checkVifPeer({}, inputs);
      assert.deepEqual(r.failures, [], JSON.stringify(inputs));
      return r.inputs;
    };

    // HostedVif: required fields only (static), then every optional field (bgp).
    const minimal = check({
      name: "sdk-minimal",
      hostedConnectionId: FIXTURES.hostedConnections.active1,
      borderGatewayId: FIXTURES.gatewayId,
      vlan: huawei ? FIXTURES.huaweiVlans.active1 : 401,
      routeMode: "static",
      customerAddress: "10.70.0.1/30",
      cloudAddress: "10.70.0.2/30",
      remoteSubnets: ["192.168.70.0/24"],
    });
    const a = await hv.createHostedVif(deps, minimal);
    take("HostedVif create, required fields only", "vif-create");
    const full = check({
      name: "sdk-full",
      description: "every optional field",
      hostedConnectionId: FIXTURES.hostedConnections.active2,
      borderGatewayId: FIXTURES.gatewayId,
      vlan: huawei ? FIXTURES.huaweiVlans.active2 : 402,
      bandwidth: 200,
      routeMode: "bgp",
      bgpAsn: huawei ? 4200000001 : 65010,
      bgpKey: "sdk-md5-key",
      customerAddress: "10.70.0.5/30",
      cloudAddress: "10.70.0.6/30",
      ...(huawei ? {} : { standbyCustomerAddress: "10.70.0.9/30", standbyCloudAddress: "10.70.0.10/30" }),
      remoteSubnets: ["192.168.71.0/24", "192.168.72.0/24"],
    });
    const b = await hv.createHostedVif(deps, full);
    take("HostedVif create, every optional field", "vif-create");
    await hv.updateHostedVif(deps, a.id, a.outs, { ...minimal, name: "sdk-minimal-renamed" });
    take("HostedVif update, name", "vif-update");
    await hv.updateHostedVif(deps, b.id, b.outs, { ...full, description: "" });
    take("HostedVif update, description cleared", "vif-update");
    await hv.updateHostedVif(deps, b.id, b.outs, { ...full, name: "sdk-full-2", description: "both" });
    take("HostedVif update, name and description", "vif-update");

    // VifPeer: required fields only (static IPv6), then every optional field (bgp IPv6).
    const p1in = checkPeer({
      vifId: a.id,
      addressFamily: "ipv6",
      customerAddress: "fd00:70::2/64",
      cloudAddress: "fd00:70::1/64",
      routeMode: "static",
    });
    const p1 = await vp.createVifPeer(deps, p1in);
    take("VifPeer create, required fields only", "peer-create");
    const p2in = checkPeer({
      vifId: b.id,
      name: "sdk-peer",
      description: "every optional field",
      addressFamily: "ipv6",
      customerAddress: "fd00:71::2/64",
      cloudAddress: "fd00:71::1/64",
      routeMode: "bgp",
      bgpAsn: 65020,
      bgpKey: "sdk-md5-key",
      remoteSubnets: ["fd00:72::/64"],
    });
    const p2 = await vp.createVifPeer(deps, p2in);
    take("VifPeer create, every optional field", "peer-create");
    await vp.updateVifPeer(deps, p1.id, p1.outs, { ...p1in, name: "renamed" });
    take("VifPeer update, name", "peer-update");
    await vp.updateVifPeer(deps, p2.id, p2.outs, { ...p2in, name: "sdk-peer-2", description: "both" });
    take("VifPeer update, name and description", "peer-update");
    return out;
  } finally {
    restore();
  }
}

describe("the provider's request bodies against Huawei's SDK models (huaweicloudsdkdc 3.1.219)", function () {
  this.timeout(600_000);
  const summary: string[] = [];
  after(() => {
    for (const line of summary) console.log(`      ${line}`);
  });

  it("the SDK check itself finds an unknown field and a missing required one (negative control)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-sdk-bodies-"));
    try {
      const file = path.join(dir, "bodies.json");
      const body = { name: "x", type: "private", vlan: 1, route_mode: "static", colour: "red" };
      fs.writeFileSync(file, JSON.stringify([{ label: "control", kind: "vif-create", body }]));
      const result = await huaweiSdk(["bodies", file]);
      assert.deepEqual(result.results, [{ label: "control", unknown: ["colour"], missing: ["bandwidth"] }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const profile of PROFILES) {
    it(`${profile}: every create and update body builds the SDK's model; ${
      profile === "huawei" ? "zero unknown and zero missing fields" : "unknown fields exactly PARITY.md's"
    }`, async () => {
      const emu = await startEmulator({
        profile,
        delays: { vifCreate: { reads: 1 }, vifDelete: 0, peerCreate: { reads: 1 }, peerDelete: 0 },
      });
      let recorded: Recorded[];
      try {
        recorded = await providerBodies(emu, profile);
      } finally {
        await emu.close();
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-sdk-bodies-"));
      try {
        const file = path.join(dir, "bodies.json");
        fs.writeFileSync(file, JSON.stringify(recorded));
        const result = await huaweiSdk(["bodies", file]);
        assert.equal(result.bodies, recorded.length);
        const unknown: string[] = [];
        const missing: string[] = [];
        result.results.forEach((r: any, i: number) => {
          const model = MODEL[recorded[i].kind];
          unknown.push(...r.unknown.map((f: string) => `${model}.${f}`));
          missing.push(...r.missing.map((f: string) => `${model}.${f}`));
        });
        const kinds = Object.keys(MODEL).map((k) => `${k} ${recorded.filter((r) => r.kind === k).length}`);
        summary.push(
          `Huawei SDK models, ${profile} profile: ${recorded.length} provider bodies (${kinds.join(", ")}), ` +
            `${unknown.length} unknown fields${unknown.length ? ` [${[...new Set(unknown)].join(", ")}]` : ""}, ` +
            `${missing.length} missing required fields${missing.length ? ` [${[...new Set(missing)].join(", ")}]` : ""}`,
        );
        for (const k of Object.keys(MODEL)) {
          assert.ok(
            recorded.some((r) => r.kind === k),
            `no ${k} body was recorded`,
          );
        }
        assert.deepEqual(missing, [], "required fields missing");
        if (profile === "huawei") assert.deepEqual(unknown, [], "fields Huawei's models do not know");
        else assert.deepEqual([...new Set(unknown)].sort(), parityDepartures());
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
