// The __provider round trip: serialize the provider objects as the SDK does, load the text the
// way the dynamic provider host does (require-from-string, empty filename), configure it with a
// stack config, and drive a resource through it against the emulator.
import assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { FIXTURES } from "../../emulator";
import { hostedVifProvider, vifPeerProvider } from "../../provider";
import { type Emulator, start, useEnv, vifInputs } from "./helpers";

const requireFromString: (code: string) => any = require("require-from-string");

describe("serialized __provider", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let restore: () => void;

  before(async () => {
    emu = await start();
    // Credentials in the environment of the serializing process must not leak into the text.
    restore = useEnv(emu);
  });
  after(async () => {
    require("pulumi-dcaas/impl").resetConfiguration();
    restore?.();
    await emu?.close();
  });

  for (const [name, provider] of [
    ["HostedVif", hostedVifProvider],
    ["VifPeer", vifPeerProvider],
  ] as const) {
    it(`${name}: small, no secrets, no credentials, no absolute paths`, async () => {
      const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
      const size = Buffer.byteLength(sf.text);
      assert.ok(size <= 4096, `__provider is ${size} bytes`);
      assert.equal(sf.containsSecrets, false);
      for (const secret of [
        FIXTURES.token,
        FIXTURES.password,
        FIXTURES.secretKey,
        FIXTURES.accessKey,
        emu.url,
        String(emu.port),
      ]) {
        assert.ok(!sf.text.includes(secret), `the text contains ${secret}`);
      }
      for (const p of [
        process.cwd(),
        path.resolve(__dirname, "../.."),
        "/work/",
        "/root/",
        "node_modules/",
      ]) {
        assert.ok(!sf.text.includes(p), `the text contains the path ${p}`);
      }
      assert.match(sf.text, /require\("pulumi-dcaas\/impl"\)/);
      console.log(`      ${name} __provider: ${size} bytes`);
    });
  }

  it("loads as the provider host loads it, takes its configuration from configure(), and works", async () => {
    const sf = await pulumi.runtime.serializeFunction(() => hostedVifProvider, { allowSecrets: true });
    const loaded = requireFromString(sf.text).handler();

    // Only stack configuration from here on: no environment fallback to lean on.
    const undo = useEnv(emu);
    for (const k of Object.keys(process.env))
      if (k.startsWith("DCAAS_") || k.startsWith("HW_")) delete process.env[k];
    try {
      const raw: Record<string, string> = {
        "dcaas:endpoint": emu.url,
        "dcaas:projectId": FIXTURES.projectId,
        "dcaas:accessKey": FIXTURES.accessKey,
        "dcaas:secretKey": FIXTURES.secretKey,
        "dcaas:pollInterval": "100ms",
        "other:key": "ignored",
      };
      // The host's Config: get(key) on the whole stack config, keys "namespace:key".
      await loaded.configure({ config: { get: (k: string) => raw[k], require: (k: string) => raw[k] } });

      const inputs = { ...vifInputs("serialized-1"), __provider: sf.text };
      const checked = await loaded.check({}, inputs);
      assert.deepEqual(checked.failures, []);
      const created = await loaded.create({ ...checked.inputs, __provider: sf.text });
      assert.equal(created.outs.status, "ACTIVE");
      const read = await loaded.read(created.id, created.outs);
      assert.equal(read.props.name, "serialized-1");
      const d = await loaded.diff(created.id, { ...read.props, __provider: "older text" }, checked.inputs);
      assert.equal(d.changes, false);
      const u = await loaded.update(created.id, created.outs, { ...checked.inputs, name: "serialized-2" });
      assert.equal(u.outs.name, "serialized-2");
      await loaded.delete(created.id, u.outs);
      assert.deepEqual(await loaded.read(created.id, u.outs), {});
    } finally {
      undo();
    }
  });

  it("without configuration, fails with an error naming the key and the variable", async () => {
    require("pulumi-dcaas/impl").resetConfiguration();
    const sf = await pulumi.runtime.serializeFunction(() => vifPeerProvider, { allowSecrets: true });
    const loaded = requireFromString(sf.text).handler();
    const saved = { ...process.env };
    for (const k of Object.keys(process.env))
      if (k.startsWith("DCAAS_") || k.startsWith("HW_")) delete process.env[k];
    try {
      await assert.rejects(
        loaded.read("6f1c2d3e-0001-4a5b-8c9d-00000000000a", {
          vifId: "6f1c2d3e-0001-4a5b-8c9d-00000000000b",
        }),
        /dcaas:endpoint.*DCAAS_ENDPOINT/,
      );
    } finally {
      Object.assign(process.env, saved);
    }
  });
});
