/**
 * The emulator's own API under /_emulator/ (never part of the cloud API): health, reset,
 * fixtures, delays, faults, out-of-band changes for drift tests, the request log and the
 * inventory. Served only when an admin token is configured; health is always open.
 */
import type { Backend } from "./backend";
import { RequestParameterError, ResourceNotFound } from "./errors";
import type { Faults } from "./faults";
import { type FixtureSet, defaultFixtureSet, parseFixtureSet } from "./fixtures";
import type { Delays } from "./lifecycle";
import { type Ctx, type Reply, type RequestLog, type RouteDef, jsonBody } from "./server";
import type { Router } from "./router";

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

function ok(body: unknown, status = 200): Reply {
  return { status, body };
}

/** Registers the /_emulator/ routes. */
export function registerAdminRoutes(router: Router<RouteDef>, deps: AdminDeps): void {
  const { backend, faults, requestLog } = deps;
  const admin = (fn: RouteDef["fn"]): RouteDef => ({ kind: "admin", fn });

  router.add("GET", "/_emulator/health", {
    kind: "open",
    fn: () =>
      ok({
        status: "ok",
        version: deps.version,
        pid: process.pid,
        uptime_s: Math.round((Date.now() - deps.startedAt) / 1000),
        virtual_interfaces: backend.store.count("vifs"),
        vif_peers: backend.store.count("peers"),
      }),
  });

  router.add(
    "POST",
    "/_emulator/reset",
    admin((ctx) => {
      const body = optionalJson(ctx);
      const set = fixturesFrom(body.fixtures, deps.defaultFixtures);
      backend.reset(set);
      backend.setDelays({ ...deps.startupDelays });
      faults.clear();
      requestLog.clear();
      return ok({ reset: true, fixtures: set ? set.projects.map((p) => p.projectId) : [] });
    }),
  );

  router.add(
    "POST",
    "/_emulator/fixtures",
    admin((ctx) => {
      const set = fixturesFrom(jsonBody(ctx), deps.defaultFixtures);
      if (set) backend.loadFixtures(set);
      return ok({ loaded: set ? set.projects.map((p) => p.projectId) : [] });
    }),
  );

  router.add(
    "GET",
    "/_emulator/delays",
    admin(() => ok({ delays: backend.delays })),
  );
  router.add(
    "PUT",
    "/_emulator/delays",
    admin((ctx) =>
      ok({ delays: backend.setDelays(optionalJson(ctx) as Partial<Record<keyof Delays, unknown>>) }),
    ),
  );

  router.add(
    "GET",
    "/_emulator/faults",
    admin(() => ok(faults.list())),
  );
  router.add(
    "POST",
    "/_emulator/faults",
    admin((ctx) => {
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
        return ok({ added: faults.add(rules), ...faults.list() }, 201);
      } catch (err) {
        throw new RequestParameterError((err as Error).message);
      }
    }),
  );
  router.add(
    "DELETE",
    "/_emulator/faults",
    admin(() => {
      faults.clear();
      return { status: 204 };
    }),
  );
  router.add(
    "DELETE",
    "/_emulator/faults/{id}",
    admin((ctx) => {
      const id = Number(ctx.params.id);
      if (!Number.isInteger(id) || !faults.remove(id)) {
        throw new ResourceNotFound("fault rule", ctx.params.id);
      }
      return { status: 204 };
    }),
  );

  for (const [segment, kind] of [
    ["virtual-interfaces", "vifs"],
    ["vif-peers", "peers"],
  ] as const) {
    const base = `/_emulator/${segment}/{id}`;
    router.add(
      "POST",
      `${base}/rename`,
      admin((ctx) => {
        const body = optionalJson(ctx);
        if (typeof body.name !== "string") throw new RequestParameterError("name (a string) is required.");
        return ok({ object: backend.oobRename(kind, ctx.params.id, body.name) });
      }),
    );
    router.add(
      "POST",
      `${base}/status`,
      admin((ctx) => {
        const body = optionalJson(ctx);
        if (typeof body.status !== "string")
          throw new RequestParameterError("status (a string) is required.");
        if (body.reason !== undefined && body.reason !== null && typeof body.reason !== "string") {
          throw new RequestParameterError("reason must be a string.");
        }
        return ok({
          object: backend.oobStatus(kind, ctx.params.id, body.status, body.reason as string | undefined),
        });
      }),
    );
    router.add(
      "POST",
      `${base}/delete`,
      admin((ctx) => {
        backend.oobDelete(kind, ctx.params.id);
        return { status: 204 };
      }),
    );
  }

  router.add(
    "GET",
    "/_emulator/requests",
    admin(() => ok(requestLog.snapshot())),
  );
  router.add(
    "DELETE",
    "/_emulator/requests",
    admin(() => {
      requestLog.clear();
      return { status: 204 };
    }),
  );
  router.add(
    "GET",
    "/_emulator/inventory",
    admin(() => ok(backend.inventory())),
  );
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
