// The field tables are the one list of each resource's fields: secret-ness, registration and the
// API view all come from them, and agree with api/secrets.ts.
import * as assert from "node:assert/strict";
import { isSecretName, SECRET_WIRE_FIELDS } from "../../../api/secrets";
import { HostedVifObjectSchema, VifPeerObjectSchema } from "../../../api/schemas";
import { inputKeys, outputsOf, registration, secretProps, wireFields } from "../../../provider/fields";
import { checkHostedVif, hostedVifToWire, normaliseHostedVif } from "../../../provider/hostedVif";
import { HOSTED_VIF } from "../../../provider/hostedVifFields";
import { validateHostedVifCreate } from "../../../api/rules";
import { VIF_PEER } from "../../../provider/vifPeerFields";

const TABLES = { HostedVif: HOSTED_VIF, VifPeer: VIF_PEER };

describe("field tables", () => {
  for (const [type, table] of Object.entries(TABLES)) {
    describe(type, () => {
      it("marks secret exactly the fields whose API field is secret, under names every layer masks", () => {
        const secretWire = wireFields(table)
          .filter((f) => f.secret)
          .map((f) => f.wire);
        assert.deepEqual(secretWire, ["bgp_md5"]);
        assert.ok(secretWire.every((w) => SECRET_WIRE_FIELDS.includes(w)));
        assert.deepEqual(secretProps(table), ["bgpKey"]);
        for (const p of secretProps(table)) assert.ok(isSecretName(p), `${p} is not masked by name`);
        // No other output would be masked by name (a name regex that masks too much hides drift).
        const masked = Object.keys(table).filter((k) => isSecretName(k));
        assert.deepEqual(masked, ["bgpKey"]);
      });

      it("registers every output but the internal owner mark", () => {
        const reg = Object.keys(registration(table));
        assert.ok(!reg.includes("__owner"));
        assert.deepEqual(
          reg,
          Object.keys(table).filter((k) => k !== "__owner"),
        );
        assert.ok(inputKeys(table).has("__owner"));
        assert.ok(!inputKeys(table).has("status"));
      });

      it("maps every field to a field the API's answers have", () => {
        const schema = type === "HostedVif" ? HostedVifObjectSchema : VifPeerObjectSchema;
        const answerFields = Object.keys(schema.shape);
        for (const [prop, f] of Object.entries(table)) {
          if (f.wire === undefined) continue;
          assert.ok(answerFields.includes(f.wire), `${type}.${prop}: ${f.wire} is not in the answer schema`);
        }
      });
    });
  }
});

describe("field tables: a read-only output is one entry", () => {
  it("HostedVif reports the interface's enterprise project", () => {
    const live = {
      id: "7c2bd1a4-9f53-4a2e-8a1b-1d2e3f405060",
      name: "a",
      description: null,
      direct_connect_id: "A3C1D2E4-0000-4000-8000-000000000001",
      vgw_id: "b3c1d2e4-0000-4000-8000-000000000002",
      vlan: 100,
      bandwidth: 50,
      remote_gateway_v4_ip: "10.0.0.1/30",
      local_gateway_v4_ip: "10.0.0.2/30",
      remote_ep_group: [],
      status: "ACTIVE",
      reason: null,
      device_id: null,
      tenant_id: "t",
      create_time: "2026-01-01T00:00:00Z",
      update_time: "2026-01-01T00:00:00Z",
      enterprise_project_id: "0",
    };
    const outs = outputsOf(HOSTED_VIF, live, { routeMode: "static" });
    assert.equal(outs.enterpriseProjectId, "0");
    assert.equal(outs.hostedConnectionId, "a3c1d2e4-0000-4000-8000-000000000001");
    assert.ok("enterpriseProjectId" in registration(HOSTED_VIF));
  });
});

const VIF_ARGS = {
  name: "branch-1",
  hostedConnectionId: "a3c1d2e4-0000-4000-8000-000000000001",
  borderGatewayId: "b3c1d2e4-0000-4000-8000-000000000002",
  vlan: 301,
  bgpAsn: 65010,
  customerAddress: "10.0.0.1/30",
  cloudAddress: "10.0.0.2/30",
  remoteSubnets: ["192.168.50.0/24"],
};

describe("issues as data: each side names the fields", () => {
  it("the provider names Pulumi properties, the API its own fields, and a value is shown as typed", () => {
    // A description holding a wire field name: a rewrite of the message text would change it.
    const args = {
      ...VIF_ARGS,
      routeMode: "static",
      bgpKey: undefined,
      description: "<remote_gateway_v4_ip>",
    };
    const r = checkHostedVif({}, args);
    const reasons = r.failures.map((f) => `${f.property}: ${f.reason}`);
    assert.ok(
      reasons.some((x) => /^bgpAsn: bgpAsn must not be set when routeMode is static/.test(x)),
      reasons.join("\n"),
    );
    assert.ok(
      reasons.some((x) => x.startsWith("description: ") && x.includes('"<remote_gateway_v4_ip>"')),
      reasons.join("\n"),
    );
    const api = validateHostedVifCreate({ virtual_interface: hostedVifToWire(normaliseHostedVif(args)) });
    assert.ok(!api.ok);
    const messages = api.issues.map((i) => i.message);
    assert.ok(
      messages.some((m) => m.startsWith("bgp_asn must not be set when route_mode is static")),
      messages.join("\n"),
    );
  });
});
