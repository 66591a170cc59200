/**
 * The emulator's own API under /_emulator/ (never part of the cloud API): health, reset,
 * fixtures, delays, faults, out-of-band changes for drift tests, the request log and the
 * inventory. Served only when an admin token is configured; health is always open. Each route is
 * declared once (see ./route), with the summary and JSON Schemas /openapi.json shows for it.
 */
import type { Backend } from "./backend";
import { RequestParameterError, ResourceNotFound } from "./errors";
import type { Faults } from "./faults";
import { type FixtureSet, defaultFixtureSet, parseFixtureSet } from "./fixtures";
import type { Delays } from "./lifecycle";
import { type Ctx, type Route, type RouteDef, addRoutes, jsonBody, route } from "./route";
import type { Router } from "./router";
import type { RequestLog } from "./server";

/** What the admin routes act on. */
export interface AdminDeps {
  backend: Backend;
  faults: Faults;
  requestLog: RequestLog;
  /** The fixtures a reset loads by default (undefined = none). */
  defaultFixtures: () => FixtureSet | undefined;
  /** The delays a reset returns to. */
  startupDelays: Delays;
  startedAt: number;
  version: string;
}

function optionalJson(ctx: Ctx): Record<string, unknown> {
  if (ctx.body.length === 0 || ctx.body.toString("utf8").trim() === "") return {};
  const v = jsonBody(ctx);
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new RequestParameterError("The body must be a JSON object.");
  return v as Record<string, unknown>;
}

// The JSON Schemas of the admin API's bodies and answers, for /openapi.json (written here, next
// to the routes that read them; the handlers judge the bodies themselves).
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
const RENAME = obj({ name: { type: "string" } }, ["name"]);
const SET_STATUS = obj({ status: { type: "string" }, reason: { type: ["string", "null"] } }, ["status"]);

/** Every /_emulator/ route, in the order /openapi.json lists them. */
export function adminRoutes(deps: AdminDeps): Route[] {
  const { backend, faults, requestLog } = deps;
  const A = "/_emulator";
  return [
    route({
      method: "GET",
      path: `${A}/health`,
      kind: "open",
      summary: "Liveness and counts (open: no admin token needed).",
      response: obj(
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
      status: 200,
      handler: () => ({
        body: {
          status: "ok",
          version: deps.version,
          pid: process.pid,
          uptime_s: Math.round((Date.now() - deps.startedAt) / 1000),
          virtual_interfaces: backend.store.count("vifs"),
          vif_peers: backend.store.count("peers"),
        },
      }),
    }),
    route({
      method: "POST",
      path: `${A}/reset`,
      kind: "admin",
      summary:
        "Empty the store and load fixtures (absent: the start-up ones); clear faults and the request log; restore the start-up delays.",
      request: { schema: obj({ fixtures: FIXTURES_ARG }) },
      response: obj({
        reset: { type: "boolean", const: true },
        fixtures: { type: "array", items: { type: "string" } },
      }),
      status: 200,
      handler: (ctx) => {
        const body = optionalJson(ctx);
        const set = fixturesFrom(body.fixtures, deps.defaultFixtures);
        backend.reset(set);
        backend.setDelays({ ...deps.startupDelays });
        faults.clear();
        requestLog.clear();
        return { body: { reset: true, fixtures: set ? set.projects.map((p) => p.projectId) : [] } };
      },
    }),
    route({
      method: "POST",
      path: `${A}/fixtures`,
      kind: "admin",
      summary: "Load fixtures on top of the current data.",
      request: { schema: FIXTURES_ARG },
      response: obj({ loaded: { type: "array", items: { type: "string" }, description: "project ids" } }),
      status: 200,
      handler: (ctx, { json }) => {
        const set = fixturesFrom(json(), deps.defaultFixtures);
        if (set) backend.loadFixtures(set);
        return { body: { loaded: set ? set.projects.map((p) => p.projectId) : [] } };
      },
    }),
    route({
      method: "GET",
      path: `${A}/delays`,
      kind: "admin",
      summary: "The provisioning and deletion delays.",
      response: obj({ delays: DELAYS }),
      status: 200,
      handler: () => ({ body: { delays: backend.delays } }),
    }),
    route({
      method: "PUT",
      path: `${A}/delays`,
      kind: "admin",
      summary: "Change some of the delays.",
      request: { schema: DELAYS },
      response: obj({ delays: DELAYS }),
      status: 200,
      handler: (ctx) => ({
        body: { delays: backend.setDelays(optionalJson(ctx) as Partial<Record<keyof Delays, unknown>>) },
      }),
    }),
    route({
      method: "GET",
      path: `${A}/faults`,
      kind: "admin",
      summary: "The fault rules in force and the seed.",
      response: FAULTS,
      status: 200,
      handler: () => ({ body: faults.list() }),
    }),
    route({
      method: "POST",
      path: `${A}/faults`,
      kind: "admin",
      summary: "Add fault rules (and optionally reseed).",
      request: { schema: obj({ seed: { type: "integer" }, rules: { type: "array", items: FAULT_RULE } }) },
      response: obj({
        added: { type: "array", items: { type: "integer" } },
        seed: { type: "integer" },
        rules: { type: "array" },
      }),
      status: 201,
      handler: (ctx) => {
        const body = optionalJson(ctx);
        for (const k of Object.keys(body)) {
          if (k !== "seed" && k !== "rules")
            throw new RequestParameterError(`${k} is not a field (seed, rules).`);
        }
        if (body.seed !== undefined) {
          if (!Number.isInteger(body.seed)) throw new RequestParameterError("seed must be an integer.");
          faults.reseed(body.seed as number);
        }
        const rules = body.rules ?? [];
        if (!Array.isArray(rules)) throw new RequestParameterError("rules must be an array.");
        try {
          return { body: { added: faults.add(rules), ...faults.list() } };
        } catch (err) {
          throw new RequestParameterError((err as Error).message);
        }
      },
    }),
    route({
      method: "DELETE",
      path: `${A}/faults`,
      kind: "admin",
      summary: "Remove every fault rule.",
      status: 204,
      handler: () => {
        faults.clear();
        return {};
      },
    }),
    route({
      method: "DELETE",
      path: `${A}/faults/{id}`,
      kind: "admin",
      summary: "Remove one fault rule (404 when unknown).",
      status: 204,
      handler: (ctx) => {
        const id = Number(ctx.params.id);
        if (!Number.isInteger(id) || !faults.remove(id)) {
          throw new ResourceNotFound("fault rule", ctx.params.id);
        }
        return {};
      },
    }),

    // Out-of-band changes (drift tests), for interfaces and peers alike.
    ...(
      [
        {
          segment: "virtual-interfaces",
          kind: "vifs",
          rename: "Rename an interface out of band (drift tests).",
          status: "Set an interface's status out of band; its BGP peers follow (UP when ACTIVE, else DOWN).",
          remove: "Delete an interface and its peers at once, out of band.",
        },
        {
          segment: "vif-peers",
          kind: "peers",
          rename: "Rename a peer out of band.",
          status: "Set a peer's status out of band (a BGP peer's bgp_status follows).",
          remove: "Delete a peer at once, out of band.",
        },
      ] as const
    ).flatMap(({ segment, kind, ...summaries }) => {
      const base = `${A}/${segment}/{id}`;
      return [
        route({
          method: "POST",
          path: `${base}/rename`,
          kind: "admin",
          summary: summaries.rename,
          request: { schema: RENAME },
          response: STORED,
          status: 200,
          handler: (ctx) => {
            const body = optionalJson(ctx);
            if (typeof body.name !== "string")
              throw new RequestParameterError("name (a string) is required.");
            return { body: { object: backend.oobRename(kind, ctx.params.id, body.name) } };
          },
        }),
        route({
          method: "POST",
          path: `${base}/status`,
          kind: "admin",
          summary: summaries.status,
          request: { schema: SET_STATUS },
          response: STORED,
          status: 200,
          handler: (ctx) => {
            const body = optionalJson(ctx);
            if (typeof body.status !== "string")
              throw new RequestParameterError("status (a string) is required.");
            if (body.reason !== undefined && body.reason !== null && typeof body.reason !== "string") {
              throw new RequestParameterError("reason must be a string.");
            }
            return {
              body: {
                object: backend.oobStatus(
                  kind,
                  ctx.params.id,
                  body.status,
                  body.reason as string | undefined,
                ),
              },
            };
          },
        }),
        route({
          method: "POST",
          path: `${base}/delete`,
          kind: "admin",
          summary: summaries.remove,
          status: 204,
          handler: (ctx) => {
            backend.oobDelete(kind, ctx.params.id);
            return {};
          },
        }),
      ];
    }),

    route({
      method: "GET",
      path: `${A}/requests`,
      kind: "admin",
      summary: "The request log: counts per method and route, and the recent requests.",
      response: obj({ total: { type: "integer" }, counts: { type: "array" }, requests: { type: "array" } }),
      status: 200,
      handler: () => ({ body: requestLog.snapshot() }),
    }),
    route({
      method: "DELETE",
      path: `${A}/requests`,
      kind: "admin",
      summary: "Clear the request log.",
      status: 204,
      handler: () => {
        requestLog.clear();
        return {};
      },
    }),
    route({
      method: "GET",
      path: `${A}/inventory`,
      kind: "admin",
      summary: "Every interface (with its peers) of every project.",
      response: obj({ projects: { type: "array" } }),
      status: 200,
      handler: () => ({ body: backend.inventory() }),
    }),
  ];
}

/** Registers the /_emulator/ routes. */
export function registerAdminRoutes(router: Router<RouteDef>, deps: AdminDeps): void {
  addRoutes(router, adminRoutes(deps));
}

/** `"default"`, `"none"`, a fixture set, or absent (= the default fixtures). */
function fixturesFrom(value: unknown, defaults: () => FixtureSet | undefined): FixtureSet | undefined {
  if (value === undefined) return defaults();
  if (value === "default") return defaultFixtureSet();
  if (value === "none") return undefined;
  try {
    return parseFixtureSet(value);
  } catch (err) {
    throw new RequestParameterError(`Invalid fixtures: ${(err as Error).message}`);
  }
}
