#!/usr/bin/env node
/**
 * dcaas-emulator: runs the Direct Connect API emulator as a process. Flags (each with an
 * environment equivalent): --port, --host, --db, --fixtures, --admin-token, --vif-delay,
 * --peer-delay, --fault-seed, --profile. Logs JSON lines to stdout, never secrets.
 */
import "./quiet";
import { readFileSync } from "node:fs";
import { parseProfile } from "../api/profile";
import { parseFixtureSet, type FixtureSet } from "./fixtures";
import { type Delay, parseDelay } from "./lifecycle";
import { type EmulatorOptions, startEmulator } from "./index";

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
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions | "help" {
  const values: Record<string, string> = {};
  for (const [flag, name] of Object.entries(FLAGS))
    if (env[name] !== undefined && env[name] !== "") values[flag] = env[name]!;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return "help";
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
  if (values.db) opts.dbPath = values.db;
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

async function main(): Promise<void> {
  let opts: EmulatorOptions | "help";
  try {
    opts = parseArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`dcaas-emulator: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = (line: object): void => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
  };
  // startEmulator logs the one line scripts wait for: {"msg":"listening","url":...}.
  const emulator = await startEmulator({ ...opts, log });
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
