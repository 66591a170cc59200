// Preview runs the API's stateful rules (issue 12), through the real engine with the packed
// package, against the emulator: one invalid program per stateful rule and per in-program
// conflict fails `preview` naming the property, the rule's code and the other object or
// resource, with zero mutating requests; the same program previews clean under
// `dcaas:liveChecks=off`; a stack without configuration fails preview under `enforce` (naming the
// key and the variable) and passes under `off`.
import * as assert from "node:assert/strict";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { packedProject } from "../helpers/project";
import { newStack, tempBackend, TempBackend } from "../helpers/pulumi";
import { depositSecrets, depositText, depositTree } from "../helpers/scan";

const ADMIN = "e2e-live-admin-token";
const MISSING = "9c9c9c9c-0000-4000-8000-000000000009";

type Spec = { vifs: Record<string, any>; peers: Record<string, any> };

describe("e2e: preview runs the stateful rules (live checks)", function () {
  this.timeout(1_200_000);
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;
  let backend: TempBackend;
  let stack: Stack;
  let project: string;
  let holderId = "";
  const emuLog: string[] = [];
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);

  const holder = () => ({
    name: "holder",
    hostedConnectionId: emu.fixtures.hostedConnections.active1,
    borderGatewayId: emu.fixtures.gatewayId,
    vlan: 301,
    routeMode: "static",
    customerAddress: "10.0.0.1/30",
    cloudAddress: "10.0.0.2/30",
    remoteSubnets: ["192.168.50.0/24"],
  });
  const fresh = (name: string, patch: Record<string, unknown> = {}) => ({
    ...holder(),
    name,
    vlan: 700,
    customerAddress: "10.7.0.1/30",
    cloudAddress: "10.7.0.2/30",
    ...patch,
  });
  const v6peer = (name: string, patch: Record<string, unknown> = {}) => ({
    vif: holderId,
    name,
    addressFamily: "ipv6",
    customerAddress: "fd00:10::2/64",
    cloudAddress: "fd00:10::1/64",
    routeMode: "bgp",
    bgpAsn: 65010,
    ...patch,
  });
  const setSpec = (s: Spec) => stack.setConfig("spec", { value: JSON.stringify(s) });

  /** Previews, expecting failure; returns the error diagnostics. */
  async function failingPreview(target: Stack = stack): Promise<string[]> {
    const diags: string[] = [];
    await assert.rejects(
      target.preview({
        onOutput,
        onEvent: (e: EngineEvent) => {
          if (e.diagnosticEvent?.severity === "error") diags.push(e.diagnosticEvent.message);
        },
      }),
    );
    return diags;
  }

  before(async () => {
    project = packedProject();
    depositSecrets("live-checks", [ADMIN]);
    emu = await startEmulator({
      port: 0,
      adminToken: ADMIN,
      log: (l) => emuLog.push(JSON.stringify(l)),
      delays: { vifCreate: 200, vifDelete: 100, peerCreate: 100, peerDelete: 100 },
    });
    admin = new EmulatorAdmin(emu.url, ADMIN);
    backend = tempBackend();
    stack = await newStack(project, backend, "live", { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    const a = emu.fixtures;
    await stack.setAllConfig({
      "dcaas:endpoint": { value: emu.url },
      "dcaas:projectId": { value: a.projectId },
      "dcaas:accessKey": { value: a.accessKey, secret: true },
      "dcaas:secretKey": { value: a.secretKey, secret: true },
      "dcaas:pollInterval": { value: "100ms" },
    });
    await setSpec({ vifs: { holder: holder() }, peers: {} });
    const up = await stack.up({ onOutput });
    assert.equal(up.summary.result, "succeeded");
    holderId = up.outputs.vifIds.value.holder;
    assert.ok(holderId);
  });

  after(async () => {
    try {
      if (stack) {
        await setSpec({ vifs: {}, peers: {} }).catch(() => undefined);
        await stack.destroy({ onOutput }).catch(() => undefined);
        await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
      }
    } finally {
      if (backend) depositTree("live-checks", "state", `${backend.dir}/state`);
      depositText("live-checks", "engine-output", output.join("\n"));
      await emu?.close();
      depositText("live-checks", "emulator-log", emuLog.join("\n"));
      backend?.cleanup();
    }
  });

  it("an unchanged stack previews clean: a resource never conflicts with its own live object", async () => {
    await admin.clearRequests();
    await stack.preview({ expectNoChanges: true, onOutput });
    assert.equal(await admin.mutatingRequests(), 0);
  });

  // [case, extra resources, expected diagnostic]: each program keeps the holder and adds one mistake.
  const cases: [string, () => Spec, RegExp][] = [
    [
      "vlan-taken",
      () => ({ vifs: { "vlan-taken": fresh("vlan-taken", { vlan: 301 }) }, peers: {} }),
      /property vlan .*(virtual interface [0-9a-f-]{36} \("holder"[^)]*\)|HostedVif resource "holder" of this program).*DC\.1209/s,
    ],
    [
      "in-vpc",
      () => ({
        vifs: {
          "in-vpc": fresh("in-vpc", { customerAddress: "172.16.9.1/30", cloudAddress: "172.16.9.2/30" }),
        },
        peers: {},
      }),
      /property customerAddress .*VPC block 172\.16\.0\.0\/16.*DC\.0004/s,
    ],
    [
      "addr-taken",
      () => ({
        vifs: {
          "addr-taken": fresh("addr-taken", { customerAddress: "10.0.0.2/30", cloudAddress: "10.0.0.1/30" }),
        },
        peers: {},
      }),
      /property customerAddress .*overlaps a subnet already used by (virtual interface [0-9a-f-]{36} \("holder"[^)]*\)|HostedVif resource "holder" of this program).*DC\.0004/s,
    ],
    [
      "remote-in-vpc",
      () => ({
        vifs: { "remote-in-vpc": fresh("remote-in-vpc", { remoteSubnets: ["172.16.4.0/24"] }) },
        peers: {},
      }),
      /property remoteSubnets .*remote subnet 172\.16\.4\.0\/24 overlaps the VPC block.*DC\.0004/s,
    ],
    [
      "conn-down",
      () => ({
        vifs: {
          "conn-down": fresh("conn-down", { hostedConnectionId: emu.fixtures.hostedConnections.down }),
        },
        peers: {},
      }),
      /property hostedConnectionId .*DOWN, not ACTIVE.*DC\.1005/s,
    ],
    [
      "conn-missing",
      () => ({ vifs: { "conn-missing": fresh("conn-missing", { hostedConnectionId: MISSING }) }, peers: {} }),
      /property hostedConnectionId .*does not exist.*DC\.1012/s,
    ],
    [
      "gw-missing",
      () => ({ vifs: { "gw-missing": fresh("gw-missing", { borderGatewayId: MISSING }) }, peers: {} }),
      /property borderGatewayId .*does not exist.*DC\.1111/s,
    ],
    [
      "second-v4-peer",
      () => ({
        vifs: {},
        peers: {
          "second-v4-peer": v6peer("second-v4-peer", {
            addressFamily: "ipv4",
            customerAddress: "10.9.0.1/30",
            cloudAddress: "10.9.0.2/30",
          }),
        },
      }),
      /property addressFamily .*already has an ipv4 peer.*DC\.0001/s,
    ],
    [
      "peer-asn",
      () => ({ vifs: {}, peers: { "peer-asn": v6peer("peer-asn", { bgpAsn: 64512 }) } }),
      /property bgpAsn .*64512 is the ASN of gateway.*DC\.1223/s,
    ],
    [
      "peer-vif-missing",
      () => ({ vifs: {}, peers: { "peer-vif-missing": v6peer("peer-vif-missing", { vif: MISSING }) } }),
      /property vifId .*does not exist.*DC\.1211/s,
    ],
    [
      "program-vlan",
      () => ({
        vifs: {
          "p-first": fresh("p-first", { vlan: 800 }),
          "p-second": fresh("p-second", {
            vlan: 800,
            customerAddress: "10.8.0.1/30",
            cloudAddress: "10.8.0.2/30",
          }),
        },
        peers: {},
      }),
      /resource 'p-second'.*property vlan .*HostedVif resource "p-first" of this program.*DC\.1209|resource 'p-first'.*property vlan .*HostedVif resource "p-second" of this program.*DC\.1209/s,
    ],
    [
      "program-subnet",
      () => ({
        vifs: {
          "s-first": fresh("s-first", { vlan: 810 }),
          "s-second": fresh("s-second", {
            vlan: 811,
            customerAddress: "10.7.0.2/30",
            cloudAddress: "10.7.0.1/30",
          }),
        },
        peers: {},
      }),
      /resource 's-second'.*property customerAddress .*HostedVif resource "s-first" of this program.*DC\.0004|resource 's-first'.*property customerAddress .*HostedVif resource "s-second" of this program.*DC\.0004/s,
    ],
    [
      "program-peers",
      () => ({ vifs: {}, peers: { "q-first": v6peer("q-first"), "q-second": v6peer("q-second") } }),
      /resource 'q-second'.*property addressFamily .*VifPeer resource "q-first" of this program.*DC\.0001|resource 'q-first'.*property addressFamily .*VifPeer resource "q-second" of this program.*DC\.0001/s,
    ],
  ];

  it("fails preview on every stateful rule and in-program conflict, naming property, rule and the other, with no mutating request", async () => {
    await admin.clearRequests();
    const misses: string[] = [];
    for (const [name, build, re] of cases) {
      const extra = build();
      await setSpec({ vifs: { holder: holder(), ...extra.vifs }, peers: extra.peers });
      const diags = await failingPreview();
      if (!diags.some((d) => re.test(d)))
        misses.push(`${name}: no diagnostic matching ${re}:\n${diags.join("\n")}`);
    }
    assert.deepEqual(misses, []);
    assert.equal(await admin.mutatingRequests(), 0);
  });

  it("fails preview for a peer on an interface that is not ACTIVE (DC.1205)", async () => {
    await admin.status("virtual-interfaces", holderId, "DOWN");
    try {
      await setSpec({ vifs: { holder: holder() }, peers: { "on-down": v6peer("on-down") } });
      const diags = await failingPreview();
      assert.ok(
        diags.some((d) => /property vifId .*DOWN, not ACTIVE.*DC\.1205/s.test(d)),
        diags.join("\n"),
      );
    } finally {
      await admin.status("virtual-interfaces", holderId, "ACTIVE");
    }
  });

  it("under dcaas:liveChecks=off the same programs preview clean", async () => {
    await stack.setConfig("dcaas:liveChecks", { value: "off" });
    try {
      for (const [name, build] of cases.filter(([n]) =>
        ["vlan-taken", "program-vlan", "peer-asn"].includes(n),
      )) {
        const extra = build();
        await setSpec({ vifs: { holder: holder(), ...extra.vifs }, peers: extra.peers });
        const preview = await stack.preview({ onOutput });
        assert.ok(
          (preview.changeSummary.create ?? 0) >= 1,
          `${name}: ${JSON.stringify(preview.changeSummary)}`,
        );
      }
    } finally {
      await stack.removeConfig("dcaas:liveChecks");
      await setSpec({ vifs: { holder: holder() }, peers: {} });
    }
  });

  it("under dcaas:liveChecks=warn a broken rule is a warning in the engine's output and preview passes", async () => {
    await stack.setConfig("dcaas:liveChecks", { value: "warn" });
    try {
      await setSpec({
        vifs: { holder: holder(), "warn-vlan": fresh("warn-vlan", { vlan: 301 }) },
        peers: {},
      });
      const warnings: string[] = [];
      const preview = await stack.preview({
        onOutput,
        onEvent: (e: EngineEvent) => {
          if (e.diagnosticEvent?.severity === "warning") warnings.push(e.diagnosticEvent.message);
        },
      });
      assert.equal(preview.changeSummary.create, 1, JSON.stringify(preview.changeSummary));
      assert.ok(
        warnings.some((w) => /HostedVif "warn-vlan": vlan: .*DC\.1209.*dcaas:liveChecks=warn/s.test(w)),
        `no warning naming the rule:\n${warnings.join("\n")}`,
      );
    } finally {
      await stack.removeConfig("dcaas:liveChecks");
      await setSpec({ vifs: { holder: holder() }, peers: {} });
    }
  });

  it("a stack with no configuration fails preview under enforce, naming the key and variable, and passes under off", async () => {
    const bare = await newStack(project, backend, "live-bare", { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    try {
      await bare.setConfig("spec", { value: JSON.stringify({ vifs: { lone: fresh("lone") }, peers: {} }) });
      const diags = await failingPreview(bare);
      assert.ok(
        diags.some((d) => d.includes("dcaas:endpoint") && d.includes("DCAAS_ENDPOINT")),
        diags.join("\n"),
      );
      await bare.setConfig("dcaas:liveChecks", { value: "off" });
      const preview = await bare.preview({ onOutput });
      assert.equal(preview.changeSummary.create, 2, JSON.stringify(preview.changeSummary));
    } finally {
      await bare.workspace.removeStack(bare.name, { force: true });
    }
  });
});
