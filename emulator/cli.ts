#!/usr/bin/env node
/**
 * dcaas-emulator: runs the Direct Connect API emulator as a process. Flags (each with an
 * environment equivalent): --port, --host, --db, --fixtures, --admin-token, --vif-delay,
 * --peer-delay, --fault-seed, --profile. Logs JSON lines to stdout, never secrets.
 */
import "./quiet";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseProfile } from "../api/profile";
import { parseFixtureSet, type FixtureSet } from "./fixtures";
import type { EmulatorOptions } from "./index";
import { type Delay, parseDelay } from "./lifecycle";
import { PACKAGE_VERSION } from "../api/version";

/** The oldest Node.js major the emulator runs on: node:sqlite ships without a flag from 22 on. */
export const MIN_NODE_MAJOR = 22;

/** Why this Node.js cannot run the emulator (no node:sqlite), or undefined when it can. */
export function nodeProblem(version = process.versions.node): string | undefined {
  const major = Number(version.split(".")[0]);
  let sqlite = major >= MIN_NODE_MAJOR;
  if (sqlite && version === process.versions.node) {
    try {
      require("node:sqlite");
    } catch {
      sqlite = false;
    }
  }
  if (sqlite) return undefined;
  return (
    `needs Node.js ${MIN_NODE_MAJOR} or newer (it stores its data with the built-in node:sqlite); ` +
    `this is Node.js v${version}. Install Node.js ${MIN_NODE_MAJOR}+, or run \`npm run demo\`, which fetches one.`
  );
}

const USAGE = `Usage: dcaas-emulator [options]
  --port N            TCP port (0 = ephemeral)            [DCAAS_EMULATOR_PORT, default 8787]
  --host H            interface to listen on              [DCAAS_EMULATOR_HOST, default 127.0.0.1]
  --db PATH           SQLite file (":memory:" = none)     [DCAAS_EMULATOR_DB, default :memory:]
  --fixtures F        default | none | path/to/file.json  [DCAAS_EMULATOR_FIXTURES, default default]
  --admin-token T     enable /_emulator/ with this token  [DCAAS_EMULATOR_ADMIN_TOKEN]
  --vif-delay D       interface create/delete delay       [DCAAS_EMULATOR_VIF_DELAY, default 2000]
  --peer-delay D      peer create/delete delay            [DCAAS_EMULATOR_PEER_DELAY, default 1000]
  --fault-seed N      seed of fault injection             [DCAAS_EMULATOR_FAULT_SEED]
  --profile P         rules: jd-hosted | huawei           [DCAAS_EMULATOR_PROFILE, default jd-hosted]
  -h, --help
  --version           print the version and exit
Delays: milliseconds ("1500"), seconds ("2s") or reads ("reads:3").`;

const FLAGS: Record<string, string> = {
  port: "DCAAS_EMULATOR_PORT",
  host: "DCAAS_EMULATOR_HOST",
  db: "DCAAS_EMULATOR_DB",
  fixtures: "DCAAS_EMULATOR_FIXTURES",
  "admin-token": "DCAAS_EMULATOR_ADMIN_TOKEN",
  "vif-delay": "DCAAS_EMULATOR_VIF_DELAY",
  "peer-delay": "DCAAS_EMULATOR_PEER_DELAY",
  "fault-seed": "DCAAS_EMULATOR_FAULT_SEED",
  profile: "DCAAS_EMULATOR_PROFILE",
};

/** Parses argv and the environment into emulator options; throws with a message on bad input. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions | "help" | "version" {
  const values: Record<string, string> = {};
  for (const [flag, name] of Object.entries(FLAGS))
    if (env[name] !== undefined && env[name] !== "") values[flag] = env[name]!;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--version" || arg === "-V") return "version";
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in FLAGS)) throw new Error(`unknown argument ${arg}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    values[m[1]] = value;
  }
  const opts: EmulatorOptions = { port: 8787 };
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) throw new Error("--port must be 0..65535");
    opts.port = Number(values.port);
  }
  if (values.host) opts.host = values.host;
  if (values.db) {
    opts.dbPath = values.db;
    if (values.db !== ":memory:") {
      const dir = path.dirname(path.resolve(values.db));
      if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw new Error(`--db ${values.db}: the directory ${dir} does not exist (create it first)`);
    }
  }
  if (values["admin-token"]) opts.adminToken = values["admin-token"];
  const fixtures = values.fixtures ?? "default";
  if (fixtures === "none") opts.fixtures = false;
  else if (fixtures === "default") opts.fixtures = true;
  else opts.fixtures = loadFixtureFile(fixtures);
  const delays: NonNullable<EmulatorOptions["delays"]> = {};
  if (values["vif-delay"] !== undefined) {
    const d: Delay = parseDelay(values["vif-delay"], "--vif-delay");
    delays.vifCreate = d;
    delays.vifDelete = d;
  }
  if (values["peer-delay"] !== undefined) {
    const d: Delay = parseDelay(values["peer-delay"], "--peer-delay");
    delays.peerCreate = d;
    delays.peerDelete = d;
  }
  if (Object.keys(delays).length) opts.delays = delays;
  if (values["fault-seed"] !== undefined) {
    if (!/^\d+$/.test(values["fault-seed"])) throw new Error("--fault-seed must be an integer");
    opts.faultSeed = Number(values["fault-seed"]);
  }
  if (values.profile !== undefined) opts.profile = parseProfile(values.profile, "--profile");
  return opts;
}

function loadFixtureFile(path: string): FixtureSet {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`--fixtures ${path}: ${(err as Error).message}`);
  }
  try {
    return parseFixtureSet(raw);
  } catch (err) {
    throw new Error(`--fixtures ${path}: ${(err as Error).message}`);
  }
}

/** One line for a start-up failure the user can fix (port taken, database not openable). */
export function explainStartError(err: unknown, opts: EmulatorOptions): string | undefined {
  const e = err as NodeJS.ErrnoException;
  const where = `${opts.host ?? "127.0.0.1"}:${opts.port ?? 0}`;
  if (e?.code === "EADDRINUSE")
    return `port ${opts.port} is already in use on ${opts.host ?? "127.0.0.1"}: stop what listens there, or pick another port with --port (0 = any free port)`;
  if (e?.code === "EACCES") return `not allowed to listen on ${where}: pick a port above 1023 with --port`;
  if (e?.code === "EADDRNOTAVAIL")
    return `cannot listen on ${where}: ${opts.host} is not an address of this machine (--host)`;
  if (opts.dbPath && opts.dbPath !== ":memory:" && /database|sqlite|SQLITE/i.test(`${e?.message} ${e?.code}`))
    return `--db ${opts.dbPath}: cannot open the database (${e.message})`;
  return undefined;
}

async function main(): Promise<void> {
  const problem = nodeProblem();
  if (problem) {
    process.stderr.write(`dcaas-emulator: ${problem}\n`);
    process.exit(2);
  }
  let opts: EmulatorOptions | "help" | "version";
  try {
    opts = parseArgs(process.argv.slice(2), process.env);
  } catch (err) {
    const msg = (err as Error).message;
    const usage = /^unknown argument|needs a value$/.test(msg) ? `${USAGE}\n` : "";
    process.stderr.write(`dcaas-emulator: ${msg}\n${usage}`);
    process.exit(2);
  }
  if (opts === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (opts === "version") {
    process.stdout.write(`dcaas-emulator ${PACKAGE_VERSION}\n`);
    return;
  }
  const log = (line: object): void => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
  };
  // startEmulator logs the one line scripts wait for: {"msg":"listening","url":...}.
  // Loaded only now: it pulls in node:sqlite, which the version check above guards.
  const { startEmulator } = require("./index") as typeof import("./index");
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({ ...opts, log });
  } catch (err) {
    const line = explainStartError(err, opts);
    if (!line) throw err;
    process.stderr.write(`dcaas-emulator: ${line}\n`);
    process.exit(2);
  }
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    log({ level: "info", msg: "shutting down", signal });
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`dcaas-emulator: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
