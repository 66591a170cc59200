// Error codes, error bodies, issue rendering, and the schemas' JSON Schema export.
import assert from "node:assert/strict";
import { z } from "zod";
import * as api from "../../../api";
import {
  ERROR_CODES,
  errorBody,
  formatIssue,
  HostedVifObjectSchema,
  isErrorCode,
  issueField,
  issuesToErrorBody,
  STATEFUL_RULE_CODES,
  statusOf,
  VifPeerObjectSchema,
} from "../../../api";

describe("api/errors and api/issues", () => {
  it("map codes to the contract's statuses", () => {
    assert.equal(statusOf("DC.0001"), 400);
    assert.equal(statusOf("DC.0002"), 404);
    assert.equal(statusOf("DC.1211"), 404);
    assert.equal(statusOf("APIGW.0301"), 401);
    assert.equal(statusOf("APIGW.0302"), 403);
    assert.equal(statusOf("APIGW.0307"), 401);
    assert.equal(statusOf("APIGW.0308"), 429);
    assert.equal(statusOf("DC.0003"), 500);
    assert.equal(statusOf("EMULATOR.0501"), 501);
    for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^(DC\.\d{4}|APIGW\.\d{4}|EMULATOR\.\d{4})$/);
      assert.ok(status >= 400 && status < 600 && message.length > 0, code);
    }
    for (const code of Object.values(STATEFUL_RULE_CODES)) assert.ok(isErrorCode(code), code);
    assert.equal(isErrorCode("DC.9999"), false);
  });

  it("build error bodies with default messages", () => {
    assert.deepEqual(errorBody("DC.1209", undefined, "r-1"), {
      error_code: "DC.1209",
      error_msg: "The VLAN of the virtual interface conflicts.",
      request_id: "r-1",
    });
    assert.equal(errorBody("DC.0001", "vlan is required").error_msg, "vlan is required");
  });

  it("render issues: the first code, every message", () => {
    const a = {
      code: "DC.1203" as const,
      path: ["virtual_interface", "bgp_asn"],
      message: "bgp_asn is required when route_mode is bgp",
    };
    const b = {
      code: "DC.0001" as const,
      path: ["virtual_interface", "vlan"],
      message: "vlan must be an integer from 1 to 3999 (got 0)",
    };
    assert.deepEqual(issuesToErrorBody([a], "r"), {
      error_code: "DC.1203",
      error_msg: a.message,
      request_id: "r",
    });
    const body = issuesToErrorBody([a, b], "r");
    assert.equal(body.error_code, "DC.1203");
    assert.equal(body.error_msg, `${a.message} (DC.1203); ${b.message} (DC.0001)`);
    assert.equal(formatIssue(b), `DC.0001: ${b.message}`);
    assert.equal(issueField(b), "vlan");
    assert.equal(issueField({ ...b, path: ["virtual_interface"] }), "virtual_interface");
    assert.throws(() => issuesToErrorBody([], "r"));
  });
});

describe("api/schemas", () => {
  it("export every schema as JSON Schema", () => {
    const schemas = Object.entries(api).filter(
      ([name, v]) => name.endsWith("Schema") && v instanceof z.ZodType,
    );
    assert.ok(schemas.length >= 20, `found ${schemas.length}`);
    for (const [name, schema] of schemas) {
      const js = z.toJSONSchema(schema as z.ZodType, { io: "input" });
      assert.equal(typeof js, "object", name);
    }
    const create = z.toJSONSchema(api.HostedVifCreateRequestSchema) as any;
    assert.equal(create.$defs.HostedVifCreate.additionalProperties, false);
    assert.deepEqual(create.$defs.HostedVifCreate.properties.route_mode.enum, ["static", "bgp"]);
  });

  it("accept Huawei's documented peer example and a hosted VIF response", () => {
    const huaweiPeer = {
      name: "vif-0819",
      description: "mytest",
      id: "4c95de3e-9f75-4357-9c79-b22498dd71c7",
      tenant_id: "ed28c294165741faaeccab26913122a1",
      address_family: "ipv4",
      local_gateway_ip: "12.3.4.1/30",
      remote_gateway_ip: "12.3.4.2/30",
      route_mode: "static",
      bgp_asn: null,
      bgp_md5: null,
      bgp_route_limit: 100,
      bgp_status: null,
      status: "ACTIVE",
      vif_id: "5d6c17bc-0ebe-420b-8734-21f519e9d7ad",
      receive_route_num: -1,
      remote_ep_group: ["12.3.4.0/30 172.56.0.0/16"],
      device_id: null,
      enable_bfd: false,
      enable_nqa: false,
    };
    assert.ok(VifPeerObjectSchema.safeParse(huaweiPeer).success);
    const vif = {
      id: "0b7d3d1e-0001-4a5b-8c9d-000000000001",
      name: "branch-1",
      description: null,
      tenant_id: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      direct_connect_id: "6f1c2d3e-0001-4a5b-8c9d-000000000001",
      vgw_id: "7a2b3c4d-0001-4b5c-9d0e-000000000001",
      type: "private",
      vlan: 301,
      bandwidth: 1000,
      route_mode: "bgp",
      bgp_asn: 65010,
      bgp_md5: null,
      remote_gateway_v4_ip: "10.0.0.1/30",
      local_gateway_v4_ip: "10.0.0.2/30",
      remote_ep_group: [],
      status: "PENDING_CREATE",
      reason: null,
      device_id: "10.1.2.3",
      create_time: "2025-06-01T12:00:00.000Z",
      update_time: "2025-06-01T12:00:00.000Z",
      enterprise_project_id: "0",
      vif_peers: null,
    };
    const parsed = HostedVifObjectSchema.safeParse(vif);
    assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
    assert.equal(HostedVifObjectSchema.safeParse({ ...vif, status: "AVAILABLE" }).success, false);
  });
});
