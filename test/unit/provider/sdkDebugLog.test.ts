// The program-side filter of the Node SDK's debug lines (provider/sdkDebugLog.ts), on messages
// built as the SDK builds them: a real RegisterResourceResponse whose outputs hold a secret,
// printed with the protobuf message's own toString, as runtime/resource.js does.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { redactSdkDebugLog, redactSecrets, SECRET_SIG } from "../../../provider/sdkDebugLog";

const gstruct = require("google-protobuf/google/protobuf/struct_pb.js");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const settings = require("@pulumi/pulumi/runtime/settings");

const KEY = "unit-debug-key-7d41e0";

/** The SDK's debug line for a RegisterResource answer whose outputs hold `outputs`. */
function registerFinished(outputs: Record<string, unknown>): string {
  const resp = new resproto.RegisterResourceResponse();
  resp.setUrn("urn:pulumi:dev::p::pulumi-nodejs:dynamic/dcaas:HostedVif::a");
  resp.setId("vif-1");
  resp.setObject(gstruct.Struct.fromJavaScript(outputs));
  const label = "resource:a[pulumi-nodejs:dynamic/dcaas:HostedVif]";
  return `RegisterResource RPC finished: ${label}; err: null, resp: ${resp}`;
}

describe("SDK debug lines without secrets (sdkDebugLog)", () => {
  const secret = { "4dabf18193072939515e22adb298388d": SECRET_SIG, value: KEY };

  it("the SDK's own text of an answer holds the secret in clear (the leak this guards against)", () => {
    assert.ok(registerFinished({ name: "a", bgpKey: secret }).includes(KEY));
  });

  it("cuts the answer of a message that holds a secret wrapper, keeping the RPC and the resource", () => {
    const out = redactSecrets(registerFinished({ name: "a", bgpKey: secret }));
    assert.ok(!out.includes(KEY), out);
    assert.equal(
      out,
      "RegisterResource RPC finished: resource:a[pulumi-nodejs:dynamic/dcaas:HostedVif]; err: null, resp: [not shown: holds secret values (pulumi-dcaas)]",
    );
  });

  it("a secret nested in a list or an object is cut too", () => {
    for (const outputs of [{ peers: [{ key: secret }] }, { cfg: { deep: { k: secret } } }]) {
      assert.ok(!redactSecrets(registerFinished(outputs)).includes(KEY));
    }
  });

  it("leaves a message without secrets as it is", () => {
    const msg = registerFinished({ name: "a", vlan: 100 });
    assert.equal(redactSecrets(msg), msg);
    assert.equal(redactSecrets("Registering resource: t=x, name=y"), "Registering resource: t=x, name=y");
  });

  it("wraps the SDK's log.debug, which then prints no secret (once, however often installed)", async () => {
    assert.equal(redactSdkDebugLog(), true);
    const wrapped = require("@pulumi/pulumi/log").debug;
    assert.equal(redactSdkDebugLog(), true);
    assert.equal(require("@pulumi/pulumi/log").debug, wrapped, "installed once");
    assert.equal(pulumi.log.debug, wrapped, "the SDK's public pulumi.log is the same module");
    // Without an engine, the SDK prints debug lines to stdout when excessiveDebugOutput is set.
    const printed: string[] = [];
    const log = console.log;
    const excessive = settings.excessiveDebugOutput;
    settings.excessiveDebugOutput = true;
    console.log = (...a: unknown[]) => void printed.push(a.join(" "));
    try {
      await pulumi.log.debug(registerFinished({ bgpKey: secret }));
      await pulumi.log.debug("plain line");
    } finally {
      console.log = log;
      settings.excessiveDebugOutput = excessive;
    }
    assert.equal(printed.length, 2, printed.join("\n"));
    assert.ok(!printed[0].includes(KEY), printed[0]);
    assert.match(printed[0], /resp: \[not shown: holds secret values/);
    assert.equal(printed[1], "debug: [runtime] plain line");
  });
});
