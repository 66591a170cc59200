// The resource classes under pulumi.runtime.setMocks: type tokens and the serialized __provider
// in the registered inputs. (Mocks never call the provider methods, and the engine, not the
// mocks, applies additionalSecretOutputs; those are covered by test/provider and e2e.)
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

const registered: pulumi.runtime.MockResourceArgs[] = [];

describe("resource classes", () => {
  let mod: typeof import("../../../provider");

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: `${args.name}-id`, state: { ...args.inputs, status: "ACTIVE" } };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    mod = await import("../../../provider");
  });

  it("registers HostedVif and VifPeer with their dynamic type tokens and __provider", async () => {
    const vif = new mod.HostedVif("branch-1", {
      name: "branch-1",
      hostedConnectionId: "6f1c2d3e-0001-4a5b-8c9d-000000000001",
      borderGatewayId: "7a2b3c4d-0001-4b5c-9d0e-000000000001",
      vlan: 301,
      routeMode: "bgp",
      bgpAsn: 65010,
      bgpKey: pulumi.secret("s3cr3t-key"),
      customerAddress: "10.0.0.1/30",
      cloudAddress: "10.0.0.2/30",
    });
    const peer = new mod.VifPeer("branch-1-v6", {
      vifId: vif.id,
      addressFamily: "ipv6",
      customerAddress: "fd00:10::2/64",
      cloudAddress: "fd00:10::1/64",
      routeMode: "static",
    });
    const status = await new Promise((resolve) => vif.status.apply(resolve));
    await new Promise((resolve) => peer.id.apply(resolve));
    assert.equal(status, "ACTIVE");
    const byType = Object.fromEntries(registered.map((r) => [r.type, r]));
    const v = byType["pulumi-nodejs:dynamic/dcaas:HostedVif"];
    const p = byType["pulumi-nodejs:dynamic/dcaas:VifPeer"];
    assert.ok(v && p, `registered types: ${registered.map((r) => r.type)}`);
    assert.equal(typeof v.inputs.__provider, "string");
    assert.match(v.inputs.__provider, /pulumi-dcaas\/impl/);
    assert.equal(p.inputs.vifId, "branch-1-id");
    // The ownership mark: project/stack/resource name, for both resources.
    assert.equal(v.inputs.__owner, "project/stack/branch-1");
    assert.equal(p.inputs.__owner, "project/stack/branch-1-v6");
  });

  it("registers without eager promise stacks and restores Error.stackTraceLimit, even when the constructor throws", () => {
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 17;
    try {
      // The SDK captures a stack for each of its promises while a resource registers; the classes
      // switch that off for the registration only (provider/index.ts withoutPromiseStacks).
      // The SDK's own capture of the resource's source position (Resource.callsites) keeps its
      // frames: it sets its own limit.
      const formatted: { frames: number; top: string }[] = [];
      const orig = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
      Error.prepareStackTrace = (err, frames) => {
        formatted.push({ frames: frames.length, top: String(frames[0] ?? "") });
        return `${err}`;
      };
      try {
        new mod.PoolLedger("ledger-stacks", { pool: { name: "p" } as never, holdFor: "1h" });
      } finally {
        if (orig) Object.defineProperty(Error, "prepareStackTrace", orig);
        else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
      }
      const withFrames = formatted.filter((f) => f.frames > 0);
      assert.ok(
        withFrames.every((f) => f.top.startsWith("Resource.callsites")),
        `${withFrames.length} stacks with frames, the first: ${withFrames.find((f) => !f.top.startsWith("Resource.callsites"))?.top}`,
      );
      assert.ok(withFrames.length >= 1, "the resource's source position is still captured");
      // PoolLedger registers 7 properties, each with 4 debug promises.
      assert.ok(formatted.length - withFrames.length >= 4 * 7, `frameless stacks: ${formatted.length}`);
      assert.equal(Error.stackTraceLimit, 17);
      assert.throws(
        () => new mod.VifPeer("", { vifId: "x", addressFamily: "ipv6", routeMode: "static" } as never),
        /Missing resource name/,
      );
      assert.equal(Error.stackTraceLimit, 17);
    } finally {
      Error.stackTraceLimit = saved;
    }
  });
});
