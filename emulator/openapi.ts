/**
 * The OpenAPI 3.1 document of the cloud API served at /openapi.json. Component schemas are
 * generated from api/schemas.ts with zod 4's z.toJSONSchema (never written by hand); the paths
 * come from the emulator's route table, each operation from its route's declaration (operation
 * id, summary, request and response schemas, success status, list filters: see ./route); the
 * admin API (tag emulator-admin) from the declarations of emulator/admin.ts.
 */
import { z } from "zod";
import * as schemas from "../api/schemas";
import { COMMA_FILTERS, type RouteDef, type Schema } from "./route";

const LIST_PARAMS = ["limit", "marker"];

/** A declared schema as OpenAPI shows it: a `$ref` to a zod schema's component, or inline. */
function schemaOf(s: Schema): unknown {
  if (!(s instanceof z.ZodType)) return s;
  const id = z.globalRegistry.get(s)?.id;
  if (typeof id !== "string") throw new Error("a route's zod schema carries no meta id");
  return { $ref: `#/components/schemas/${id}` };
}

/** The OpenAPI operation of one admin (or open /_emulator/) route. */
function adminOperation(template: string, def: RouteDef, errorResponse: (d: string) => unknown) {
  const op = def.doc!;
  const open = def.kind === "open";
  return {
    tags: ["emulator-admin"],
    summary: op.summary,
    parameters: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
    ...(op.request
      ? {
          requestBody: {
            required: false,
            content: { "application/json": { schema: schemaOf(op.request) } },
          },
        }
      : {}),
    responses: {
      [op.status!]: op.response
        ? { description: "Success", content: { "application/json": { schema: schemaOf(op.response) } } }
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

/** Builds the OpenAPI document from the declared routes (the router's table, in its order). */
export function buildOpenApi(
  routes: { method: string; template: string; handler: RouteDef }[],
  serverUrl?: string,
): object {
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
  for (const { method, template, handler: def } of routes) {
    if (def.kind === "admin" || def.kind === "open") {
      // The console's routes and /openapi.json itself are declared without OpenAPI facts.
      if (def.doc)
        (paths[template] ??= {})[method.toLowerCase()] = adminOperation(template, def, errorResponse);
      continue;
    }
    const op = def.doc?.operationId ? def.doc : undefined;
    const iam = def.kind === "iam";
    const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const filters = op?.filters;
    const query =
      method === "GET" && filters
        ? [
            ...LIST_PARAMS.map((name) => ({
              name,
              in: "query",
              required: false,
              schema: { type: name === "limit" ? "integer" : "string" },
            })),
            ...filters.map((name) =>
              name in COMMA_FILTERS
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
                      maxItems: COMMA_FILTERS[name],
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
            [op.status!]: op.response
              ? {
                  description: "Success",
                  content: { "application/json": { schema: schemaOf(op.response) } },
                }
              : { description: "Success, no body" },
            ...(iam
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
        content: { "application/json": { schema: schemaOf(op.request) } },
      };
    }
    if (!iam) entry.security = [{ token: [] }, { aksk: [] }];
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
