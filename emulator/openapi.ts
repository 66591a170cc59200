/**
 * The OpenAPI 3.1 document of the cloud API served at /openapi.json. Component schemas are
 * generated from api/schemas.ts with zod 4's z.toJSONSchema (never written by hand); the paths
 * come from the emulator's route table plus a small table naming each operation's bodies; the
 * admin API (tag emulator-admin) is described by the ADMIN_OPERATIONS table.
 */
import { z } from "zod";
import * as schemas from "../api/schemas";

interface Op {
  operationId: string;
  summary: string;
  request?: string;
  response?: string;
  status: number;
}

const P = "/v3/{project_id}/dcaas";
const LIST_PARAMS = ["limit", "marker"];

/** Operation facts by "METHOD template"; routes absent here are documented as 501. */
const OPERATIONS: Record<string, Op> = {
  "POST /v3/auth/tokens": {
    operationId: "KeystoneCreateUserTokenByPassword",
    summary: "Issue an IAM token (X-Subject-Token header, 24 h).",
    request: "TokenRequest",
    response: "TokenResponse",
    status: 201,
  },
  [`GET ${P}/direct-connects`]: {
    operationId: "ListDirectConnects",
    summary: "List connections.",
    response: "DirectConnectListResponse",
    status: 200,
  },
  [`GET ${P}/direct-connects/{direct_connect_id}`]: {
    operationId: "ShowDirectConnect",
    summary: "Show a connection.",
    response: "DirectConnectResponse",
    status: 200,
  },
  [`GET ${P}/virtual-gateways`]: {
    operationId: "ListVirtualGateways",
    summary: "List virtual gateways.",
    response: "VirtualGatewayListResponse",
    status: 200,
  },
  [`GET ${P}/virtual-gateways/{virtual_gateway_id}`]: {
    operationId: "ShowVirtualGateway",
    summary: "Show a virtual gateway.",
    response: "VirtualGatewayResponse",
    status: 200,
  },
  [`GET ${P}/virtual-interfaces`]: {
    operationId: "ListVirtualInterfaces",
    summary: "List hosted virtual interfaces.",
    response: "HostedVifListResponse",
    status: 200,
  },
  [`POST ${P}/virtual-interfaces`]: {
    operationId: "CreateVirtualInterface",
    summary: "Create a hosted virtual interface (and its IPv4 peer).",
    request: "HostedVifCreateRequest",
    response: "HostedVifResponse",
    status: 201,
  },
  [`GET ${P}/virtual-interfaces/{virtual_interface_id}`]: {
    operationId: "ShowVirtualInterface",
    summary: "Show a hosted virtual interface.",
    response: "HostedVifResponse",
    status: 200,
  },
  [`PUT ${P}/virtual-interfaces/{virtual_interface_id}`]: {
    operationId: "UpdateVirtualInterface",
    summary:
      "Rename or re-describe a hosted virtual interface (huawei profile: also Huawei's other UpdateVirtualInterface fields).",
    request: "HostedVifUpdateRequest",
    response: "HostedVifResponse",
    status: 200,
  },
  [`DELETE ${P}/virtual-interfaces/{virtual_interface_id}`]: {
    operationId: "DeleteVirtualInterface",
    summary: "Delete a hosted virtual interface (PENDING_DELETE, then gone).",
    status: 204,
  },
  [`POST ${P}/vif-peers`]: {
    operationId: "CreateVifPeer",
    summary: "Add a peer to a virtual interface.",
    request: "VifPeerCreateRequest",
    response: "VifPeerResponse",
    status: 201,
  },
  [`PUT ${P}/vif-peers/{vif_peer_id}`]: {
    operationId: "UpdateVifPeer",
    summary: "Change a peer's name, description or remote subnets.",
    request: "VifPeerUpdateRequest",
    response: "VifPeerResponse",
    status: 200,
  },
  ["POST /v3/{project_id}/{resource_type}/{resource_id}/tags/action"]: {
    operationId: "BatchCreateResourceTags",
    summary: "Add or remove tags of a virtual interface (resource_type dc-vif; the others answer 501).",
    request: "ResourceTagsActionRequest",
    status: 204,
  },
  [`DELETE ${P}/vif-peers/{vif_peer_id}`]: {
    operationId: "DeleteVifPeer",
    summary: "Delete a peer (never the last one of an interface).",
    status: 204,
  },
};

const LIST_FILTERS: Record<string, string[]> = {
  [`${P}/direct-connects`]: ["id", "name"],
  [`${P}/virtual-gateways`]: ["id", "vpc_id"],
  [`${P}/virtual-interfaces`]: ["id", "status", "direct_connect_id", "vgw_id", "enterprise_project_id"],
};

const obj = (properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> => ({
  type: "object",
  properties,
  ...(required.length ? { required } : {}),
});
const DELAY = {
  oneOf: [
    { type: "integer", minimum: 0, description: "milliseconds" },
    { type: "string", pattern: "^[0-9]+(ms|s)?$", description: 'e.g. "2s"' },
    obj({ reads: { type: "integer", minimum: 0 } }, ["reads"]),
  ],
};
const DELAYS = obj({ vifCreate: DELAY, vifDelete: DELAY, peerCreate: DELAY, peerDelete: DELAY });
const FIXTURE_SET = obj({ projects: { type: "array", items: { type: "object" } } }, ["projects"]);
const FIXTURES_ARG = {
  oneOf: [{ type: "string", enum: ["default", "none"] }, FIXTURE_SET],
};
const FAULT_RULE = obj(
  {
    kind: { type: "string", enum: ["error", "throttle", "latency", "drop", "ambiguous", "stuck", "fail"] },
    method: { type: "string", description: 'HTTP method or "*" (default)' },
    route: { type: "string", description: 'route template or "*" (default)' },
    rate: { type: "number", minimum: 0, maximum: 1, description: "default 1" },
    times: { type: ["integer", "null"], minimum: 1, description: "default unlimited" },
    code: { type: "string", description: "error: the error code (default DC.0003)" },
    status: { type: "integer", description: "error: the HTTP status" },
    retryAfter: { type: "integer", minimum: 0, description: "throttle: Retry-After seconds (default 1)" },
    minMs: { type: "integer", minimum: 0, description: "latency: lower bound" },
    maxMs: { type: "integer", minimum: 0, description: "latency: upper bound" },
  },
  ["kind"],
);
const FAULTS = obj({ seed: { type: "integer" }, rules: { type: "array", items: FAULT_RULE } }, [
  "seed",
  "rules",
]);
const STORED = obj({ object: { type: "object", description: "the stored interface or peer" } }, ["object"]);

interface AdminOp {
  summary: string;
  body?: Record<string, unknown>;
  status: number;
  answer?: Record<string, unknown>;
}

/** The emulator's own admin API (tag emulator-admin), documented as it is served today. */
const ADMIN_OPERATIONS: Record<string, AdminOp> = {
  "GET /_emulator/health": {
    summary: "Liveness and counts (open: no admin token needed).",
    status: 200,
    answer: obj(
      {
        status: { type: "string", const: "ok" },
        version: { type: "string", description: "the pulumi-dcaas package version" },
        pid: { type: "integer" },
        uptime_s: { type: "integer" },
        virtual_interfaces: { type: "integer" },
        vif_peers: { type: "integer" },
      },
      ["status", "version", "pid", "uptime_s", "virtual_interfaces", "vif_peers"],
    ),
  },
  "POST /_emulator/reset": {
    summary:
      "Empty the store and load fixtures (absent: the start-up ones); clear faults and the request log; restore the start-up delays.",
    body: obj({ fixtures: FIXTURES_ARG }),
    status: 200,
    answer: obj({
      reset: { type: "boolean", const: true },
      fixtures: { type: "array", items: { type: "string" } },
    }),
  },
  "POST /_emulator/fixtures": {
    summary: "Load fixtures on top of the current data.",
    body: FIXTURES_ARG,
    status: 200,
    answer: obj({ loaded: { type: "array", items: { type: "string" }, description: "project ids" } }),
  },
  "GET /_emulator/delays": {
    summary: "The provisioning and deletion delays.",
    status: 200,
    answer: obj({ delays: DELAYS }),
  },
  "PUT /_emulator/delays": {
    summary: "Change some of the delays.",
    body: DELAYS,
    status: 200,
    answer: obj({ delays: DELAYS }),
  },
  "GET /_emulator/faults": { summary: "The fault rules in force and the seed.", status: 200, answer: FAULTS },
  "POST /_emulator/faults": {
    summary: "Add fault rules (and optionally reseed).",
    body: obj({ seed: { type: "integer" }, rules: { type: "array", items: FAULT_RULE } }),
    status: 201,
    answer: obj({
      added: { type: "array", items: { type: "integer" } },
      seed: { type: "integer" },
      rules: { type: "array" },
    }),
  },
  "DELETE /_emulator/faults": { summary: "Remove every fault rule.", status: 204 },
  "DELETE /_emulator/faults/{id}": { summary: "Remove one fault rule (404 when unknown).", status: 204 },
  "POST /_emulator/virtual-interfaces/{id}/rename": {
    summary: "Rename an interface out of band (drift tests).",
    body: obj({ name: { type: "string" } }, ["name"]),
    status: 200,
    answer: STORED,
  },
  "POST /_emulator/virtual-interfaces/{id}/status": {
    summary: "Set an interface's status out of band; its BGP peers follow (UP when ACTIVE, else DOWN).",
    body: obj({ status: { type: "string" }, reason: { type: ["string", "null"] } }, ["status"]),
    status: 200,
    answer: STORED,
  },
  "POST /_emulator/virtual-interfaces/{id}/delete": {
    summary: "Delete an interface and its peers at once, out of band.",
    status: 204,
  },
  "POST /_emulator/vif-peers/{id}/rename": {
    summary: "Rename a peer out of band.",
    body: obj({ name: { type: "string" } }, ["name"]),
    status: 200,
    answer: STORED,
  },
  "POST /_emulator/vif-peers/{id}/status": {
    summary: "Set a peer's status out of band (a BGP peer's bgp_status follows).",
    body: obj({ status: { type: "string" }, reason: { type: ["string", "null"] } }, ["status"]),
    status: 200,
    answer: STORED,
  },
  "POST /_emulator/vif-peers/{id}/delete": { summary: "Delete a peer at once, out of band.", status: 204 },
  "GET /_emulator/requests": {
    summary: "The request log: counts per method and route, and the recent requests.",
    status: 200,
    answer: obj({ total: { type: "integer" }, counts: { type: "array" }, requests: { type: "array" } }),
  },
  "DELETE /_emulator/requests": { summary: "Clear the request log.", status: 204 },
  "GET /_emulator/inventory": {
    summary: "Every interface (with its peers) of every project.",
    status: 200,
    answer: obj({ projects: { type: "array" } }),
  },
};

/** The OpenAPI operation of one admin route. */
function adminOperation(method: string, template: string, errorResponse: (d: string) => unknown) {
  const op = ADMIN_OPERATIONS[`${method} ${template}`];
  if (!op) return undefined;
  const open = template === "/_emulator/health";
  return {
    tags: ["emulator-admin"],
    summary: op.summary,
    parameters: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
    ...(op.body
      ? { requestBody: { required: false, content: { "application/json": { schema: op.body } } } }
      : {}),
    responses: {
      [op.status]: op.answer
        ? { description: "Success", content: { "application/json": { schema: op.answer } } }
        : { description: "Success, no body" },
      ...(open
        ? {}
        : {
            "400": errorResponse("Bad body (DC.0001)"),
            "401": errorResponse("Missing or wrong X-Emulator-Admin-Token"),
            "404": errorResponse("Unknown id, or the admin API is off (no --admin-token)"),
          }),
    },
    ...(open ? {} : { security: [{ adminToken: [] }] }),
  };
}

/** Every api/schemas export that carries a meta id, as JSON Schemas keyed by that id. */
export function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const value of Object.values(schemas)) {
    if (!(value instanceof z.ZodType)) continue;
    const id = z.globalRegistry.get(value)?.id;
    if (typeof id === "string") registry.add(value, { id });
  }
  const out = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
  }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  for (const s of Object.values(out.schemas)) {
    delete s.$id;
    delete s.$schema;
  }
  return out.schemas;
}

/** Builds the OpenAPI document for the given routes (method, template). */
export function buildOpenApi(routes: { method: string; template: string }[], serverUrl?: string): object {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = (d: string) => ({
    description: d,
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
  });
  // IAM (Keystone) answers its errors as {"error": {"code", "message", "title"}}, not ErrorBody.
  const iamErrorResponse = (d: string) => ({
    description: d,
    content: {
      "application/json": {
        schema: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "integer" },
                message: { type: "string" },
                title: { type: "string" },
              },
            },
          },
        },
      },
    },
  });
  for (const { method, template } of routes) {
    if (template === "/openapi.json") continue;
    if (template.startsWith("/_emulator/")) {
      const admin = adminOperation(method, template, errorResponse);
      if (admin) (paths[template] ??= {})[method.toLowerCase()] = admin;
      continue;
    }
    const op = OPERATIONS[`${method} ${template}`];
    const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const query =
      method === "GET" && LIST_FILTERS[template]
        ? [
            ...LIST_PARAMS.map((name) => ({
              name,
              in: "query",
              required: false,
              schema: { type: name === "limit" ? "integer" : "string" },
            })),
            ...LIST_FILTERS[template].map((name) =>
              name === "enterprise_project_id"
                ? {
                    name,
                    in: "query",
                    required: false,
                    style: "form",
                    explode: false,
                    schema: {
                      type: "array",
                      items: {
                        type: "string",
                        pattern: schemas.ENTERPRISE_PROJECT_ID_RE.source,
                      },
                      maxItems: 10,
                    },
                  }
                : {
                    name,
                    in: "query",
                    required: false,
                    explode: true,
                    schema: { type: "array", items: { type: "string" }, maxItems: 5 },
                  },
            ),
          ]
        : [];
    const entry: Record<string, unknown> = op
      ? {
          operationId: op.operationId,
          summary: op.summary,
          parameters: [...params, ...query],
          responses: {
            [op.status]: op.response
              ? {
                  description: "Success",
                  content: {
                    "application/json": { schema: { $ref: `#/components/schemas/${op.response}` } },
                  },
                }
              : { description: "Success, no body" },
            ...(template === "/v3/auth/tokens"
              ? {
                  "400": iamErrorResponse("Malformed request (IAM error body)"),
                  "401": iamErrorResponse("Bad user name, password or domain (IAM error body)"),
                  "403": iamErrorResponse("Scope not allowed (IAM error body)"),
                }
              : {
                  "400": errorResponse("Validation error (DC.xxxx)"),
                  "401": errorResponse("Missing or bad credentials (APIGW.0301)"),
                  "403": errorResponse("Credentials of another project (APIGW.0302)"),
                  "404": errorResponse("Unknown id (DC.1211 for interfaces, DC.0002 otherwise)"),
                }),
            "429": errorResponse("Throttled (APIGW.0308), Retry-After header"),
          },
        }
      : {
          summary: "Documented by Huawei; not implemented by the emulator.",
          parameters: params,
          responses: { "501": errorResponse("Not implemented by the emulator (EMULATOR.0501)") },
        };
    if (op?.request) {
      entry.requestBody = {
        required: true,
        content: { "application/json": { schema: { $ref: `#/components/schemas/${op.request}` } } },
      };
    }
    if (template !== "/v3/auth/tokens") entry.security = [{ token: [] }, { aksk: [] }];
    (paths[template] ??= {})[method.toLowerCase()] = entry;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Direct Connect API (Huawei DCaaS v3 dialect) as served by dcaas-emulator",
      version: "v3",
      description:
        "Generated from the zod schemas of pulumi-dcaas api/. Departures from Huawei: emulator/PARITY.md. " +
        "Operations tagged emulator-admin are the emulator's own admin API (not part of the cloud API), " +
        "served only when it runs with --admin-token.",
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        token: { type: "apiKey", in: "header", name: "X-Auth-Token" },
        aksk: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "SDK-HMAC-SHA256 signature",
        },
        adminToken: {
          type: "apiKey",
          in: "header",
          name: "X-Emulator-Admin-Token",
          description: "The emulator's --admin-token (admin API only)",
        },
      },
    },
  };
}
