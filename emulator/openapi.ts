/**
 * The OpenAPI 3.1 document of the cloud API served at /openapi.json. Component schemas are
 * generated from api/schemas.ts with zod 4's z.toJSONSchema (never written by hand); the paths
 * come from the emulator's route table plus a small table naming each operation's bodies.
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
    summary: "Rename or re-describe a hosted virtual interface.",
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
  [`DELETE ${P}/vif-peers/{vif_peer_id}`]: {
    operationId: "DeleteVifPeer",
    summary: "Delete a peer (never the last one of an interface).",
    status: 204,
  },
};

const LIST_FILTERS: Record<string, string[]> = {
  [`${P}/direct-connects`]: ["id", "name"],
  [`${P}/virtual-gateways`]: ["id", "vpc_id"],
  [`${P}/virtual-interfaces`]: ["id", "status", "direct_connect_id", "vgw_id"],
};

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
    if (template.startsWith("/_emulator/") || template === "/openapi.json") continue;
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
            ...LIST_FILTERS[template].map((name) => ({
              name,
              in: "query",
              required: false,
              explode: true,
              schema: { type: "array", items: { type: "string" }, maxItems: 5 },
            })),
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
        "Generated from the zod schemas of pulumi-dcaas api/. Departures from Huawei: emulator/PARITY.md.",
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
      },
    },
  };
}
