// End to end through the real Pulumi CLI and engine, against the emulator over loopback: a temporary
// project installs the packed package as a user would, and one stack goes through preview, up,
// in-place update, replacements, invalid input, drift, import, the secret scan and destroy; once
// per rule profile against an emulator of that profile (jd-hosted by the endpoint's default,
// huawei through dcaas:profile, where answers lack route_mode/bgp_asn/bgp_md5 and the VLAN is the
// hosted connection's).
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { PROFILES, type Profile } from "../../api/profile";
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { packedProject } from "../helpers/project";
import { newStack, tearDownStack, tempBackend, TempBackend } from "../helpers/pulumi";
import { depositSecrets, depositText, depositTree } from "../helpers/scan";

const execFileP = promisify(execFile);
const BGP_KEY = "e2e-bgp-key-7f3a9c";
const ADMIN = "e2e-admin-token";

type Spec = { vifs: Record<string, any>; peers: Record<string, any> };

/** The suite under one rule profile, against an emulator of that profile. */
function lifecycleSuite(this: Mocha.Suite, profile: Profile): void {
  const huawei = profile === "huawei";
  const deposit = `lifecycle-${profile}`;
  this.timeout(600_000);
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;
  let backend: TempBackend;
  let stack: Stack;
  let project: string;
  let envVars: Record<string, string>;
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);
  const emuLog: string[] = [];

  const baseSpec = (): Spec => ({
    vifs: {
      "branch-1": {
        name: "branch-1",
        description: "Shanghai DC, rack 4",
        hostedConnectionId: emu.fixtures.hostedConnections.active1,
        borderGatewayId: emu.fixtures.gatewayId,
        vlan: huawei ? emu.fixtures.huaweiVlans.active1 : 301,
        routeMode: "bgp",
        bgpAsn: 65010,
        bgpKey: true,
        customerAddress: "10.0.0.1/30",
        cloudAddress: "10.0.0.2/30",
        remoteSubnets: ["192.168.50.0/24"],
      },
    },
    peers: {
      "branch-1-v6": {
        vif: "branch-1",
        name: "branch-1-v6",
        addressFamily: "ipv6",
        customerAddress: "fd00:10::2/64",
        cloudAddress: "fd00:10::1/64",
        routeMode: "bgp",
        bgpAsn: 65010,
        remoteSubnets: ["fd00:50::/64"],
      },
    },
  });
  let spec: Spec;
  const setSpec = (s: Spec) => stack.setConfig("spec", { value: JSON.stringify(s) });
  const live = () => admin.interfaces(emu.fixtures.projectId);

  before(async () => {
    project = packedProject();
    emu = await startEmulator({
      profile,
      port: 0,
      adminToken: ADMIN,
      delays: { vifCreate: 300, vifDelete: 200, peerCreate: 200, peerDelete: 200 },
      log: (l) => emuLog.push(JSON.stringify(l)),
    });
    admin = new EmulatorAdmin(emu.url, ADMIN);
    depositSecrets(deposit, [BGP_KEY, ADMIN]);
    backend = tempBackend();
    envVars = { ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    stack = await newStack(project, backend, "e2e", { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    const a = emu.fixtures;
    await stack.setAllConfig({
      "dcaas:endpoint": { value: emu.url },
      "dcaas:projectId": { value: a.projectId },
      "dcaas:accessKey": { value: a.accessKey, secret: true },
      "dcaas:secretKey": { value: a.secretKey, secret: true },
      "dcaas:pollInterval": { value: "100ms" },
      ...(huawei ? { "dcaas:profile": { value: "huawei" } } : {}),
      bgpKey: { value: BGP_KEY, secret: true },
    });
    spec = baseSpec();
    await setSpec(spec);
  });

  after(async () => {
    try {
      if (stack)
        await tearDownStack(stack, {
          destroy: (s) => s.destroy({ onOutput }),
          beforeRemove: () => {
            if (backend) depositTree(deposit, "state", `${backend.dir}/state`);
          },
        });
    } finally {
      depositText(deposit, "engine-output", output.join("\n"));
      await emu?.close();
      depositText(deposit, "emulator-log", emuLog.join("\n"));
      backend?.cleanup();
    }
  });

  it("previews a new stack, the peer on an unknown interface id, with no mutating request", async () => {
    await admin.clearRequests();
    const lines: string[] = [];
    const preview = await stack.preview({ onOutput: (s) => (onOutput(s), lines.push(s)) });
    assert.equal(preview.changeSummary.create, 3, JSON.stringify(preview.changeSummary));
    assert.equal(await admin.mutatingRequests(), 0);
    // The SDK's closure serializer requires every built-in module; the package preloads node:sqlite
    // quietly so that no ExperimentalWarning reaches the user's diagnostics.
    assert.doesNotMatch(lines.join(""), /ExperimentalWarning|SQLite is an experimental/);
  });

  it("fails preview on invalid input, naming the property, with no request", async () => {
    await admin.clearRequests();
    const base = spec.vifs["branch-1"];
    // The engine stops a preview at the first invalid resource, so each case gets its own preview.
    const cases: [string, Record<string, unknown>, RegExp][] = [
      huawei
        ? ["bad-asn", { bgpAsn: 64512 }, /property bgpAsn .*64512.*huawei profile/s]
        : ["bad-asn", { bgpAsn: 70000 }, /property bgpAsn .*65001.*jd-hosted profile/s],
      [
        "bad-prefix",
        { customerAddress: "10.0.9.1/29", cloudAddress: "10.0.9.2/29" },
        /property (customer|cloud)Address .*\/30/s,
      ],
      [
        "bad-pair",
        { customerAddress: "10.0.8.1/30", cloudAddress: "10.0.8.6/30" },
        /property (cloud|customer)Address .*same subnet/s,
      ],
      ["bad-bgp", { bgpAsn: undefined, bgpKey: undefined }, /property bgpAsn .*(required|bgp)/s],
      ...(huawei
        ? [
            [
              "standby",
              { standbyCustomerAddress: "10.0.9.5/30", standbyCloudAddress: "10.0.9.6/30" },
              /property standby(Customer|Cloud)Address .*second hosted connection/s,
            ] as [string, Record<string, unknown>, RegExp],
          ]
        : []),
    ];
    try {
      for (const [name, patch, re] of cases) {
        await setSpec({ vifs: { [name]: { ...base, name, vlan: 901, ...patch } }, peers: {} });
        const diags: string[] = [];
        await assert.rejects(
          stack.preview({
            onOutput,
            onEvent: (e: EngineEvent) => {
              if (e.diagnosticEvent?.severity === "error") diags.push(e.diagnosticEvent.message);
            },
          }),
        );
        assert.ok(
          diags.some((d) => d.includes(`'${name}'`) && re.test(d)),
          `no diagnostic for ${name} matching ${re}:\n${diags.join("\n")}`,
        );
      }
    } finally {
      await setSpec(spec);
    }
    assert.equal(await admin.mutatingRequests(), 0);
  });

  it("creates both objects with up, ACTIVE, and a second preview expects no changes", async () => {
    const up = await stack.up({ onOutput });
    assert.equal(up.summary.result, "succeeded");
    assert.equal(up.outputs.vifStatuses.value["branch-1"], "ACTIVE");
    assert.equal(up.outputs.peerStatuses.value["branch-1-v6"], "ACTIVE");
    const vifs = await live();
    assert.equal(vifs.length, 1);
    assert.equal(vifs[0].status, "ACTIVE");
    assert.equal(vifs[0].vif_peers.length, 2);
    assert.ok(vifs[0].vif_peers.every((p: any) => p.status === "ACTIVE"));
    await stack.preview({ expectNoChanges: true, onOutput });
  });

  it("updates a description in place", async () => {
    const before = (await live())[0].id;
    spec.vifs["branch-1"].description = "Shanghai DC, rack 5";
    await setSpec(spec);
    const up = await stack.up({ onOutput });
    assert.equal(up.summary.resourceChanges?.update, 1, JSON.stringify(up.summary.resourceChanges));
    assert.equal(up.summary.resourceChanges?.replace, undefined);
    const vifs = await live();
    assert.deepEqual(
      vifs.map((v) => [v.id, v.description]),
      [[before, "Shanghai DC, rack 5"]],
    );
  });

  it("replaces the interface when the VLAN changes (huawei: with the hosted connection)", async () => {
    const before = (await live())[0].id;
    spec.vifs["branch-1"].vlan = 302;
    // Under huawei the VLAN is the hosted connection's: a new VLAN means the connection carrying it.
    if (huawei) spec.vifs["branch-1"].hostedConnectionId = emu.fixtures.hostedConnections.active2;
    await setSpec(spec);
    const up = await stack.up({ onOutput });
    assert.ok((up.summary.resourceChanges?.replace ?? 0) >= 1, JSON.stringify(up.summary.resourceChanges));
    const vifs = await live();
    assert.equal(vifs.length, 1);
    assert.notEqual(vifs[0].id, before);
    assert.equal(vifs[0].vlan, 302);
    assert.equal(up.outputs.vifIds.value["branch-1"], vifs[0].id);
  });

  it("replaces the peer delete-before-replace when its addresses change", async () => {
    spec.peers["branch-1-v6"].customerAddress = "fd00:20::2/64";
    spec.peers["branch-1-v6"].cloudAddress = "fd00:20::1/64";
    await setSpec(spec);
    const ops: string[] = [];
    const up = await stack.up({
      onOutput,
      onEvent: (e) => {
        const m = e.resourcePreEvent?.metadata;
        if (m?.urn.endsWith("::branch-1-v6")) ops.push(m.op);
      },
    });
    assert.equal(up.summary.resourceChanges?.replace, 1, JSON.stringify(up.summary.resourceChanges));
    const del = ops.indexOf("delete-replaced");
    const create = ops.indexOf("create-replacement");
    assert.ok(del >= 0 && create > del, `expected delete-replaced before create-replacement: ${ops}`);
    const peers = (await live())[0].vif_peers;
    assert.equal(peers.length, 2);
    const v6 = peers.find((p: any) => p.address_family === "ipv6");
    assert.equal(v6.remote_gateway_ip, "fd00:20::2/64");
  });

  async function drift(
    args: string[] = [project, "--stack", stack.name, "--json"],
    env: NodeJS.ProcessEnv = { ...process.env, ...envVars },
  ): Promise<{ code: number; report: any; stdout: string; stderr: string }> {
    const bin = path.join(project, "node_modules/.bin/dcaas");
    try {
      const { stdout, stderr } = await execFileP(bin, ["drift", ...args], { env });
      output.push(stdout);
      return { code: 0, report: args.includes("--json") ? JSON.parse(stdout) : undefined, stdout, stderr };
    } catch (err: any) {
      output.push(err.stdout ?? "", err.stderr ?? "");
      const report = args.includes("--json") && err.stdout ? JSON.parse(err.stdout) : undefined;
      return { code: err.code, report, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
    }
  }

  it("catches an out-of-band rename with the drift command and preview --refresh; refresh repairs", async () => {
    const id = (await live())[0].id;
    assert.equal((await drift()).code, 0);
    await admin.rename("virtual-interfaces", id, "renamed-by-hand");
    const { code, report } = await drift();
    assert.equal(code, 1);
    assert.deepEqual(report.resources[0].fields, [
      { field: "name", expected: "branch-1", live: "renamed-by-hand" },
    ]);
    await assert.rejects(
      stack.preview({ refresh: true, expectNoChanges: true, onOutput }),
      /no changes were expected/,
    );
    await stack.refresh({ onOutput });
    assert.equal((await drift()).code, 0);
    const up = await stack.up({ onOutput });
    assert.equal(up.summary.resourceChanges?.update, 1);
    assert.equal((await live())[0].name, "branch-1");
  });

  it("catches an out-of-band delete; refresh drops it and up recreates it", async () => {
    const v6 = (await live())[0].vif_peers.find((p: any) => p.address_family === "ipv6");
    await admin.remove("vif-peers", v6.id);
    const { code, report } = await drift();
    assert.equal(code, 1);
    assert.equal(report.resources[0].kind, "deleted");
    assert.match(report.resources[0].urn, /branch-1-v6$/);
    await assert.rejects(
      stack.preview({ refresh: true, expectNoChanges: true, onOutput }),
      /no changes were expected/,
    );
    await stack.refresh({ onOutput });
    const up = await stack.up({ onOutput });
    assert.equal(up.summary.resourceChanges?.create, 1);
    assert.equal((await live())[0].vif_peers.length, 2);
  });

  it("reports interfaces and peers not ACTIVE / BGP not UP in a health section of their own, exit 3", async () => {
    const vif = (await live())[0];
    assert.equal((await drift()).code, 0);
    await admin.status("virtual-interfaces", vif.id, "DOWN", "fibre cut at MMR");
    try {
      const { code, report } = await drift();
      assert.equal(code, 3, JSON.stringify(report));
      assert.equal(report.drifted, false);
      assert.equal(report.unhealthy, true);
      const byName = Object.fromEntries(report.health.map((h: any) => [h.name, h]));
      assert.equal(byName["branch-1"].status, "DOWN");
      assert.equal(byName["branch-1"].reason, "fibre cut at MMR", "the API's reason for the status");
      assert.equal(byName["branch-1-v6"].bgpStatus, "DOWN", JSON.stringify(report.health));
      const text = await drift([project, "--stack", stack.name]);
      assert.equal(text.code, 3);
      assert.match(text.stdout, /^No drift: /);
      assert.match(
        text.stdout,
        /Operational health: \d+ interface\(s\)\/peer\(s\) not ACTIVE or with BGP not UP/,
      );
      assert.match(text.stdout, /branch-1 \(.*\): status DOWN \(fibre cut at MMR\)/);
    } finally {
      await admin.status("virtual-interfaces", vif.id, "ACTIVE");
    }
    const healthy = await drift([project, "--stack", stack.name]);
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.match(
      healthy.stdout,
      /Operational health: every interface and peer is ACTIVE, every BGP session UP\./,
    );
  });

  it("says which endpoint it read: the state's, even when dcaas:endpoint now names another", async () => {
    const dead = "http://127.0.0.1:9";
    await stack.setConfig("dcaas:endpoint", { value: dead });
    try {
      const { code, report, stderr } = await drift();
      assert.equal(code, 0, stderr);
      assert.equal(report.drifted, false);
      assert.deepEqual(report.endpoint, { used: emu.url, from: "state", configured: dead });
      const text = await drift([project, "--stack", stack.name]);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /^No drift: .*\n/);
      assert.ok(
        text.stdout.includes(
          `Read ${emu.url} (the endpoint stored in the stack's state by the last \`pulumi up\`; refresh does not run the program); dcaas:endpoint is now ${dead}, which refresh and drift use once \`pulumi up\` stores it.`,
        ),
        text.stdout,
      );
    } finally {
      await stack.setConfig("dcaas:endpoint", { value: emu.url });
    }
    const same = await drift();
    assert.deepEqual(same.report.endpoint, { used: emu.url, from: "state" });
  });

  it("answers a bad setup with one line naming the cause and the fix, exit 2; --verbose adds details", async () => {
    // Retries the provider makes are shown as they happen, each on a line of its own, before the
    // one line of the error.
    const RETRY = /^dcaas drift: \S+ \S+ \(\S+\) failed \(.*\); retry \d+ of \d+ in [\d.]+s$/;
    const oneLine = (r: { code: number; stderr: string }, re: RegExp, retries: number | "some" = 0) => {
      assert.equal(r.code, 2, r.stderr);
      const all = r.stderr.trimEnd().split("\n");
      const lines = all.filter((l) => !RETRY.test(l));
      assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
      assert.match(lines[0], re);
      if (retries === "some") assert.ok(all.length > lines.length, `no retry line:\n${r.stderr}`);
      else assert.equal(all.length - lines.length, retries, `retry lines:\n${r.stderr}`);
      assert.equal(all[all.length - 1], lines[0], "the error comes last");
    };
    const empty = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "dcaas-noproject-"));
    try {
      oneLine(
        await drift([empty]),
        /^dcaas drift: no Pulumi project in .*: run dcaas drift in the directory/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    oneLine(
      await drift([project, "--stack", "no-such-stack"]),
      /^dcaas drift: stack no-such-stack does not exist/,
    );
    const {
      PULUMI_CONFIG_PASSPHRASE: _p,
      PULUMI_CONFIG_PASSPHRASE_FILE: _f,
      ...noPass
    } = {
      ...process.env,
      ...envVars,
    };
    oneLine(
      await drift([project, "--stack", stack.name], noPass),
      /^dcaas drift: the stack's secrets need a passphrase: set PULUMI_CONFIG_PASSPHRASE/,
    );
    // The API down: every request's connection closed unanswered. (Refresh configures the provider
    // from the state, so pointing the stack's dcaas:endpoint elsewhere would not reach it, and the
    // message says so.) The retries show as they happen.
    await admin.faults({ rules: [{ method: "*", route: "*", kind: "drop" }] });
    const fewRetries = { ...process.env, ...envVars, DCAAS_MAX_RETRIES: "1" };
    try {
      const down = await drift([project, "--stack", stack.name, "--json"], fewRetries);
      oneLine(
        down,
        new RegExp(
          `^dcaas drift: the Direct Connect API at ${emu.url.replace(/[.]/g, "\\.")} is unreachable \\(UND_ERR_SOCKET\\): refresh and drift read the endpoint stored in the stack's state by the last \`pulumi up\`: start the API or emulator there`,
        ),
        "some",
      );
      assert.match(down.report.error, /is unreachable/);
      const verbose = await drift([project, "--stack", stack.name, "--verbose"], fewRetries);
      assert.equal(verbose.code, 2);
      assert.ok(verbose.stderr.split("\n").length > 2, "--verbose prints the details");
    } finally {
      await admin.clearFaults();
    }
  });

  it("adopts an interface created directly through the API with importId", async () => {
    const a = emu.fixtures;
    // jd-hosted: a VLAN of its own on the second connection; huawei: the first connection (free
    // since branch-1 moved to the second) and its VLAN.
    const handConnection = () => (huawei ? a.hostedConnections.active1 : a.hostedConnections.active2);
    const handVlan = () => (huawei ? a.huaweiVlans.active1 : 350);
    const body = {
      virtual_interface: {
        name: "made-by-hand",
        direct_connect_id: handConnection(),
        vgw_id: a.gatewayId,
        vlan: handVlan(),
        ...(huawei ? { bandwidth: 100 } : {}),
        route_mode: "static",
        remote_gateway_v4_ip: "10.0.1.1/30",
        local_gateway_v4_ip: "10.0.1.2/30",
        remote_ep_group: ["192.168.60.0/24"],
      },
    };
    const res = await fetch(`${emu.url}/v3/${a.projectId}/dcaas/virtual-interfaces`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": a.token },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201);
    const id = ((await res.json()) as any).virtual_interface.id as string;
    const adopted = {
      name: "adopted",
      description: "adopted by pulumi",
      hostedConnectionId: handConnection(),
      borderGatewayId: a.gatewayId,
      vlan: handVlan(),
      routeMode: "static",
      customerAddress: "10.0.1.1/30",
      cloudAddress: "10.0.1.2/30",
      remoteSubnets: ["192.168.60.0/24"],
      importId: id,
    };

    // An immutable field that differs is refused, naming it, and nothing is created.
    await setSpec({ ...spec, vifs: { ...spec.vifs, adopted: { ...adopted, vlan: handVlan() + 1 } } });
    await assert.rejects(stack.up({ onOutput }), /vlan/);
    assert.equal((await live()).length, 2);

    await setSpec({ ...spec, vifs: { ...spec.vifs, adopted } });
    const up = await stack.up({ onOutput });
    assert.equal(up.outputs.vifIds.value.adopted, id);
    const vifs = await live();
    assert.equal(vifs.length, 2);
    const v = vifs.find((x) => x.id === id);
    assert.equal(v.name, "adopted");
    assert.equal(v.description, "adopted by pulumi");
    await stack.preview({ expectNoChanges: true, onOutput });
  });

  it("keeps the BGP key and credentials out of the state and the engine output", async () => {
    // The files the backend wrote (exportStack would decrypt: the Automation API passes --show-secrets).
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(fs.readFileSync(p, "latin1"));
      }
    };
    walk(path.join(backend.dir, "state"));
    assert.ok(
      files.some((f) => f.includes("branch-1") && f.includes("bgpKey")),
      "the scan must see the real state",
    );
    // Each resource's __provider is one require of the installed package, not a copy of its code.
    assert.ok(
      files.some((f) => f.includes('require(\\"pulumi-dcaas/providers/hosted-vif\\")')),
      "short __provider",
    );
    const sources: [string, string][] = [
      ...files.map((f, i): [string, string] => [`backend file ${i}`, f]),
      ["engine output", output.join("\n")],
    ];
    for (const secret of [BGP_KEY, emu.fixtures.secretKey, emu.fixtures.token, emu.fixtures.password]) {
      for (const [where, text] of sources) {
        const at = text.indexOf(secret);
        assert.ok(
          at < 0,
          `${secret.slice(0, 4)}… in plain text in ${where}: …${text.slice(Math.max(0, at - 300), at)}`,
        );
      }
    }
  });

  it("destroy leaves the emulator empty", async () => {
    const res = await stack.destroy({ onOutput });
    assert.equal(res.summary.result, "succeeded");
    assert.deepEqual(await live(), []);
  });
}

for (const profile of PROFILES) {
  describe(`e2e: HostedVif and VifPeer through the real engine, ${profile} profile`, function () {
    lifecycleSuite.call(this, profile);
  });
}
