/**
 * dcaas-emulator for in-process use: `startEmulator()` starts a faithful, persistent,
 * authenticated emulator of the Direct Connect API on 127.0.0.1 and returns its URL.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { registerAdminRoutes } from "./admin";
import { Auth } from "./auth";
import { Backend } from "./backend";
import { registerConsoleRoutes } from "./console/routes";
import { ConsoleSessions, maskSecrets } from "./console/session";
import { Faults } from "./faults";
import type { Profile } from "../api/profile";
import { FIXTURES, type FixtureSet, defaultFixtureSet } from "./fixtures";
import { registerCloudRoutes } from "./handlers";
import type { Delay, Delays } from "./lifecycle";
import { buildOpenApi } from "./openapi";
import { Router } from "./router";
import { type RouteDef, RequestLog, createListener } from "./server";
import { Store } from "./store";
import { PACKAGE_VERSION } from "../api/version";

export { FIXTURES } from "./fixtures";
export type { FixtureSet } from "./fixtures";
export type { Profile } from "../api/profile";
export type { Delay, Delays } from "./lifecycle";

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks an ephemeral one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** SQLite database file (default ":memory:"). */
  dbPath?: string;
  /** Enables the /_emulator/ admin API (X-Emulator-Admin-Token header) and its console page. */
  adminToken?: string;
  /** Loads fixtures into an empty database: true (default) for the defaults, false for none, or a set. */
  fixtures?: boolean | FixtureSet;
  /** Provisioning and deletion delays in ms, or {reads: N}; defaults 2000 (interfaces), 1000 (peers). */
  delays?: { vifCreate?: Delay; vifDelete?: Delay; peerCreate?: Delay; peerDelete?: Delay };
  /** Structured log sink (one object per line); default silent. */
  log?: (line: object) => void;
  /** Seed of the fault injection random source (default: the clock). */
  faultSeed?: number;
  /** Request body limit in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * The rule profile to enforce: `jd-hosted` (the default; the customer picks a VLAN on a shared
   * hosted connection) or `huawei` (Huawei Cloud's rules; default fixtures give each hosted
   * connection its own VLAN).
   */
  profile?: Profile;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:34567. */
  url: string;
  port: number;
  /** The default fixture values (ids and credentials). */
  fixtures: typeof FIXTURES;
  /** The rule profile it enforces. */
  profile: Profile;
  /** Stops listening, closes connections and the database. */
  close(): Promise<void>;
}

/** The package version reported by /_emulator/health. */
export const EMULATOR_VERSION: string = PACKAGE_VERSION;

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = opts.log ?? (() => {});
  const store = new Store(opts.dbPath ?? ":memory:");
  let server: Server | undefined;
  try {
    const profile = opts.profile ?? "jd-hosted";
    const backend = new Backend(store, { delays: opts.delays as Partial<Delays> | undefined, profile });
    const startupFixtures =
      opts.fixtures === false
        ? undefined
        : opts.fixtures === undefined || opts.fixtures === true
          ? defaultFixtureSet(profile)
          : opts.fixtures;
    if (startupFixtures && store.isEmpty()) backend.loadFixtures(startupFixtures);
    const startupDelays = backend.delays;

    const auth = new Auth(store);
    const faults = new Faults(opts.faultSeed);
    const requestLog = new RequestLog();
    const router = new Router<RouteDef>();
    registerCloudRoutes(router, backend, auth);
    registerAdminRoutes(router, {
      backend,
      faults,
      requestLog,
      defaultFixtures: () => startupFixtures,
      startupDelays,
      startedAt: Date.now(),
      version: EMULATOR_VERSION,
    });
    // The console (/_emulator/console) comes with the admin API and is guarded by the same token.
    const sessions = opts.adminToken ? new ConsoleSessions(opts.adminToken) : undefined;
    if (sessions) {
      registerConsoleRoutes(router, { backend, faults, requestLog, sessions, version: EMULATOR_VERSION });
    }
    let openapi: object | undefined;
    router.add("GET", "/openapi.json", {
      kind: "open",
      fn: () => ({ status: 200, body: (openapi ??= buildOpenApi(router.routes())) }),
    });

    server = createServer(
      { keepAliveTimeout: 65_000 },
      createListener({
        router,
        backend,
        auth,
        faults,
        requestLog,
        adminToken: opts.adminToken,
        consoleGuard: sessions?.guard,
        consoleMask: maskSecrets,
        log,
        bodyLimit: opts.bodyLimit,
      }),
    );
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
        srv.off("error", reject);
        resolve();
      });
    });
    const port = (srv.address() as AddressInfo).port;
    const host = opts.host ?? "127.0.0.1";
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    log({
      level: "info",
      msg: "listening",
      url,
      db: opts.dbPath ?? ":memory:",
      admin: Boolean(opts.adminToken),
      profile,
    });
    let closed: Promise<void> | undefined;
    return {
      url,
      port,
      fixtures: FIXTURES,
      profile,
      close: () =>
        (closed ??= new Promise<void>((resolve) => {
          srv.close(() => {
            store.close();
            log({ level: "info", msg: "closed" });
            resolve();
          });
          srv.closeAllConnections();
        })),
    };
  } catch (err) {
    server?.close();
    store.close();
    throw err;
  }
}
