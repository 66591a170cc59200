#!/usr/bin/env node
// `dcaas`: command-line tools for pulumi-dcaas stacks. `dcaas drift` is the nightly drift gate:
// it runs a refresh preview (`pulumi refresh --preview-only`) through the Automation API, prints what
// drifted (resource, field, expected value, live value; secrets masked) and, in a section of its own,
// the interfaces and peers that are not ACTIVE or whose BGP session is not UP. Exit status: 0 no
// drift and all healthy, 1 drift, 2 error (one line; --verbose for the details), 3 no drift but an
// operational-health problem.
import * as fs from "node:fs";
import * as path from "node:path";
import { EngineEvent, LocalWorkspace, OpType, StepEventMetadata } from "@pulumi/pulumi/automation";
import { isSecretName } from "../api/secrets";
import { PACKAGE_VERSION } from "../api/version";
import {
  apiAccessOf,
  PoolCommandError,
  type LiveFacts,
  type PoolReport,
  poolNames,
  poolReportOf,
  poolSpecOf,
  profileOf,
  readLiveFacts,
  renderPoolReport,
  type StateResource,
} from "./pool";

/** One field that differs between the stack's state and the live object. */
export interface DriftedField {
  field: string;
  expected: unknown;
  live: unknown;
}

/** One resource whose live object no longer matches the stack's state. */
export interface DriftedResource {
  urn: string;
  name: string;
  type: string;
  op: OpType;
  /** "changed" when fields differ, "deleted" when the live object is gone. */
  kind: "changed" | "deleted";
  fields: DriftedField[];
}

/** One interface or peer whose live status is not ACTIVE, or whose BGP session is not UP. */
export interface UnhealthyResource {
  urn: string;
  name: string;
  type: string;
  status: string;
  /** The BGP session's status (peers with BGP only). */
  bgpStatus?: string;
  /** The API's reason for the status, when it gives one. */
  reason?: string;
}

/** The drift report of one stack. */
export interface DriftReport {
  stack: string;
  workDir: string;
  drifted: boolean;
  resources: DriftedResource[];
  /** Whether some interface or peer is not ACTIVE or has its BGP session not UP. */
  unhealthy: boolean;
  /** Operational health problems (not drift: the program cannot change them). */
  health: UnhealthyResource[];
  /** Which endpoint the refresh read, and the one the configuration names now. */
  endpoint?: EndpointInUse;
}

/**
 * The endpoint a refresh reads: refresh does not run the program, so the provider is configured
 * from the state (the stack configuration stored by the last `pulumi up`), then the environment.
 */
export interface EndpointInUse {
  /** The endpoint read, or undefined when neither the state nor DCAAS_ENDPOINT names one. */
  used?: string;
  /** Where `used` comes from. */
  from: "state" | "environment" | "none";
  /** The stack's dcaas:endpoint now, when it differs from `used`. */
  configured?: string;
}

/** Exit status of `dcaas drift`. */
export const EXIT = { ok: 0, drift: 1, error: 2, unhealthy: 3 } as const;

/** The exit status a report calls for: drift first, then health. */
export function exitCodeOf(r: DriftReport): number {
  return r.drifted ? EXIT.drift : r.unhealthy ? EXIT.unhealthy : EXIT.ok;
}

const DCAAS_TYPES = /^pulumi-nodejs:dynamic:Resource$|HostedVif|VifPeer/;

/** The health problem of one resource from its live outputs, if any. */
export function healthOf(meta: { urn: string; type: string }, outputs: Record<string, any> | undefined) {
  if (!outputs || typeof outputs.status !== "string") return undefined;
  const bgp = typeof outputs.bgpStatus === "string" ? outputs.bgpStatus : undefined;
  if (outputs.status === "ACTIVE" && (bgp === undefined || bgp === "UP")) return undefined;
  const h: UnhealthyResource = {
    urn: meta.urn,
    name: meta.urn.split("::").pop() ?? meta.urn,
    type: meta.type,
    status: outputs.status,
  };
  if (bgp !== undefined) h.bgpStatus = bgp;
  // HostedVif's statusReason (the API's reason); `reason` as older states might hold it.
  const reason = typeof outputs.statusReason === "string" ? outputs.statusReason : outputs.reason;
  if (typeof reason === "string" && reason) h.reason = reason;
  return h;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const MASK = "[secret]";

/** Masks secret values (engine secret envelopes, and any field whose name looks like a secret). */
export function maskValue(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (isSecretName(field)) return MASK;
  if (typeof value === "object") {
    if ((value as Record<string, unknown>)[SECRET_SIG] !== undefined) return MASK;
    if (Array.isArray(value)) return value.map((v) => maskValue("", v));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(k, v)]));
  }
  return value;
}

const IGNORED = new Set(["__provider", "__owner", "timeouts", "importId", "importFromOtherStack"]);

function fieldsOf(meta: StepEventMetadata): DriftedField[] {
  const oldIn = meta.old?.inputs ?? {};
  const newIn = meta.new?.inputs ?? {};
  const oldOut = meta.old?.outputs ?? {};
  const newOut = meta.new?.outputs ?? {};
  const keys = new Set<string>([
    ...(meta.diffs ?? []),
    ...Object.keys(meta.detailedDiff ?? {}).map((k) => k.split(/[.[]/)[0]),
  ]);
  if (keys.size === 0) {
    for (const k of new Set([...Object.keys(oldIn), ...Object.keys(newIn)])) {
      if (JSON.stringify(oldIn[k]) !== JSON.stringify(newIn[k])) keys.add(k);
    }
  }
  const fields: DriftedField[] = [];
  for (const k of [...keys].sort()) {
    if (IGNORED.has(k)) continue;
    const expected = k in oldIn ? oldIn[k] : oldOut[k];
    const live = k in newIn ? newIn[k] : newOut[k];
    fields.push({ field: k, expected: maskValue(k, expected), live: maskValue(k, live) });
  }
  return fields;
}

const SECRET_TEXT = "(secret)";

/** A stored configuration value as text: secrets (ciphertext in the state) are not shown. */
function storedText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && SECRET_SIG in v) return SECRET_TEXT;
  return undefined;
}

/**
 * The endpoint a refresh of `stack` reads (from the default dynamic provider's inputs in the
 * state, else DCAAS_ENDPOINT) and the stack's dcaas:endpoint now. Never throws: what cannot be read
 * is left out.
 */
export async function endpointInUse(
  stack: {
    exportStack(): Promise<{ deployment?: any }>;
    getAllConfig(): Promise<Record<string, { value: string }>>;
  },
  env: NodeJS.ProcessEnv,
): Promise<EndpointInUse> {
  let stored: string | undefined;
  try {
    const resources: any[] = (await stack.exportStack()).deployment?.resources ?? [];
    for (const r of resources) {
      if (typeof r?.type === "string" && r.type.startsWith("pulumi:providers:pulumi-nodejs")) {
        stored = storedText(r.inputs?.["dcaas:endpoint"]) ?? stored;
      }
    }
  } catch {
    /* no state: leave it out */
  }
  let configured: string | undefined;
  try {
    configured = (await stack.getAllConfig())["dcaas:endpoint"]?.value;
  } catch {
    /* unreadable config: leave it out */
  }
  const fromEnv = env.DCAAS_ENDPOINT || undefined;
  const used = stored ?? fromEnv;
  const out: EndpointInUse = { used, from: stored ? "state" : fromEnv ? "environment" : "none" };
  if (configured !== undefined && configured !== used) out.configured = configured;
  return out;
}

/** The sentence that says which endpoint a refresh read, and why it may not be dcaas:endpoint. */
export function endpointNote(e: EndpointInUse): string {
  if (!e.used) return "";
  const where =
    e.from === "state"
      ? "the endpoint stored in the stack's state by the last `pulumi up`; refresh does not run the program"
      : "DCAAS_ENDPOINT, as the state stores none";
  const differs =
    e.configured !== undefined
      ? `; dcaas:endpoint is now ${e.configured}, which refresh and drift use once \`pulumi up\` stores it`
      : "";
  return `Read ${e.used} (${where})${differs}.`;
}

/** The stack in `workDir`: `stackName`, else the one selected there. */
async function openStack(opts: { workDir: string; stackName?: string; envVars?: Record<string, string> }) {
  const workDir = path.resolve(opts.workDir);
  const ws = await LocalWorkspace.create({ workDir, envVars: opts.envVars });
  const stackName = opts.stackName ?? (await ws.stack())?.name;
  if (!stackName) throw new Error(`no stack selected in ${workDir}: pass --stack NAME`);
  const stack = await LocalWorkspace.selectStack({ stackName, workDir }, { envVars: opts.envVars });
  return { workDir, stackName, stack };
}

/** Runs a refresh preview of a stack and returns what drifted. */
export async function detectDrift(opts: {
  workDir: string;
  stackName?: string;
  envVars?: Record<string, string>;
  /** Hears each retry line of the provider as it happens. */
  onRetry?: (line: string) => void;
}): Promise<DriftReport> {
  const { workDir, stackName, stack } = await openStack(opts);
  const endpoint = await endpointInUse(stack, { ...process.env, ...opts.envVars });
  const events: EngineEvent[] = [];
  try {
    await stack.previewRefresh({
      onEvent: (e) => {
        events.push(e);
        const msg = e.diagnosticEvent?.message?.trim();
        if (msg && RETRY_LINE.test(msg)) opts.onRetry?.(msg);
      },
    });
  } catch (err) {
    throw Object.assign(err as object, { endpoint });
  }
  // The refresh step's outcome is in its resOutputsEvent (op "update" or "delete" with the stored
  // state as `old` and the live state as `new`); the resourcePreEvent only announces the read.
  const last = new Map<string, StepEventMetadata>();
  for (const e of events) {
    const meta = e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata;
    if (!meta || meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("pulumi:providers:")) continue;
    if (e.resOutputsEvent || !last.has(meta.urn)) last.set(meta.urn, meta);
  }
  const resources: DriftedResource[] = [];
  const health: UnhealthyResource[] = [];
  for (const meta of last.values()) {
    if (DCAAS_TYPES.test(meta.type)) {
      const h = healthOf(meta, meta.new?.outputs ?? (meta.op === "delete" ? undefined : meta.old?.outputs));
      if (h) health.push(h);
    }
    const deleted = meta.op === "delete" || (meta.op === "refresh" && meta.new === undefined && !!meta.old);
    const fields = deleted ? [] : fieldsOf(meta);
    if (!deleted && (meta.op === "same" || fields.length === 0)) continue;
    resources.push({
      urn: meta.urn,
      name: meta.urn.split("::").pop() ?? meta.urn,
      type: meta.type,
      op: meta.op,
      kind: deleted ? "deleted" : "changed",
      fields,
    });
  }
  return {
    stack: stackName,
    workDir,
    drifted: resources.length > 0,
    resources,
    unhealthy: health.length > 0,
    health,
    endpoint,
  };
}

/** The state's resources as the pool report reads them: HostedVif, VifPeer and PoolLedger, secrets masked. */
export function stateResourcesOf(deployment: any): StateResource[] {
  const resources: any[] = Array.isArray(deployment?.resources) ? deployment.resources : [];
  return resources
    .filter((r) => typeof r?.type === "string" && /HostedVif$|VifPeer$|PoolLedger$/.test(r.type) && !r.delete)
    .map((r) => {
      const strip = (o: any) => {
        if (!o || typeof o !== "object") return {};
        const { __provider: _p, ...rest } = o;
        return maskValue("", rest) as Record<string, any>;
      };
      return {
        urn: String(r.urn),
        type: r.type,
        id: r.id,
        inputs: strip(r.inputs),
        outputs: strip(r.outputs),
      };
    });
}

/**
 * The pool report of a stack: its state (exported, secrets masked), its configuration (for the
 * profile and the API access) and, unless `stateOnly` or no credentials, the live API.
 */
export async function gatherPoolReport(opts: {
  workDir: string;
  stackName?: string;
  /** One pool only. */
  pool?: string;
  stateOnly?: boolean;
  envVars?: Record<string, string>;
  fetchImpl?: Parameters<typeof readLiveFacts>[2];
}): Promise<PoolReport> {
  const { workDir, stackName, stack } = await openStack(opts);
  const resources = stateResourcesOf((await stack.exportStack()).deployment);
  const config = Object.fromEntries(
    Object.entries(await stack.getAllConfig()).map(([k, v]) => [k, v.value] as const),
  );
  const env = { ...process.env, ...opts.envVars };
  const names = poolNames(resources);
  if (opts.pool !== undefined && !names.includes(opts.pool)) {
    throw new PoolCommandError(
      `stack ${stackName} has no pool named "${opts.pool}" (${names.length ? `its pools: ${names.map((n) => `"${n}"`).join(", ")}` : "no resource of its state has an allocation"})`,
    );
  }
  const specs = resources.flatMap((r) => {
    const s = poolSpecOf(r);
    return s && (opts.pool === undefined || s.name === opts.pool) ? [s] : [];
  });
  let live: LiveFacts | undefined;
  let noLive: string | undefined;
  if (opts.stateOnly) noLive = "--state-only";
  else if (specs.length > 0) {
    const a = apiAccessOf(config, env);
    if ("why" in a) noLive = a.why;
    else live = await readLiveFacts(a.access, specs, opts.fetchImpl);
  }
  return poolReportOf({
    stack: stackName,
    workDir,
    profile: profileOf(config, env),
    resources,
    live,
    noLive,
    only: opts.pool,
  });
}

/** The provider's line for a retry it is about to make (provider/client.ts retryLine). */
const RETRY_LINE = /^\S+ \S+ \(\S+\) failed \(.*\); retry \d+ of \d+ in [\d.]+s$/;

function show(v: unknown): string {
  return v === undefined ? "(none)" : JSON.stringify(v);
}

/** Renders a drift report for a terminal: the drift, then the operational health. */
export function renderReport(r: DriftReport): string {
  const lines: string[] = [];
  const note = r.endpoint ? endpointNote(r.endpoint) : "";
  if (!r.drifted) {
    lines.push(`No drift: every resource of stack ${r.stack} matches its live object.`);
    if (note) lines.push(note);
  } else {
    lines.push(`Drift in stack ${r.stack}: ${r.resources.length} resource(s) differ from the live objects.`);
    if (note) lines.push(note);
    for (const res of r.resources) {
      lines.push("", `  ${res.name} (${res.type})`);
      if (res.kind === "deleted") {
        lines.push("    deleted outside Pulumi: the live object is gone");
        continue;
      }
      const width = Math.max(...res.fields.map((f) => f.field.length), 5);
      for (const f of res.fields) {
        lines.push(`    ${f.field.padEnd(width)}  expected ${show(f.expected)}, live ${show(f.live)}`);
      }
    }
    lines.push(
      "",
      "Run `pulumi refresh` to accept the live values, or `pulumi up --refresh` to restore the program's.",
    );
  }
  lines.push("");
  if (!r.unhealthy) {
    lines.push("Operational health: every interface and peer is ACTIVE, every BGP session UP.");
  } else {
    lines.push(
      `Operational health: ${r.health.length} interface(s)/peer(s) not ACTIVE or with BGP not UP ` +
        "(not drift: the program cannot change it; check the link and the customer router).",
    );
    for (const h of r.health) {
      const bgp = h.bgpStatus !== undefined ? `, BGP ${h.bgpStatus}` : "";
      lines.push(`  ${h.name} (${h.type}): status ${h.status}${bgp}${h.reason ? ` (${h.reason})` : ""}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** One line for an error of the Automation API or the engine: the cause and what to do. */
export function explainError(
  err: unknown,
  workDir: string,
  stackName: string | undefined,
  endpoint: EndpointInUse | undefined = (err as { endpoint?: EndpointInUse })?.endpoint,
  command = "drift",
): string {
  if (err instanceof PoolCommandError) return err.message;
  const text = err instanceof Error ? `${err.message}\n${(err as any).stderr ?? ""}` : String(err);
  const stack = stackName ?? "(selected)";
  if (/no Pulumi\.yaml|no Pulumi project found|could not find Pulumi\.yaml|no project file found/i.test(text))
    return `no Pulumi project in ${workDir}: run dcaas ${command} in the directory holding Pulumi.yaml, or pass it: dcaas ${command} DIR`;
  if (/no stack selected/i.test(text))
    return `no stack selected in ${workDir}: pass --stack NAME, or run pulumi stack select NAME there`;
  if (/no stack named|stack .* not found|could not find stack/i.test(text))
    return `stack ${stack} does not exist in ${workDir}'s backend: check --stack and \`pulumi stack ls\` (and PULUMI_BACKEND_URL / pulumi login)`;
  if (/passphrase/i.test(text))
    return `the stack's secrets need a passphrase: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE`;
  const refused =
    /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)\b|fetch failed/.exec(
      text,
    );
  if (refused) {
    const where = /\b(?:connect|getaddrinfo) E[A-Z]+ ([\w.:[\]-]+)/.exec(text)?.[1];
    const cause = `${refused[1] ?? "fetch failed"}${where ? ` ${where}` : ""}`;
    if (endpoint?.from === "state") {
      const now =
        endpoint.configured !== undefined
          ? `, not dcaas:endpoint (now ${endpoint.configured}): run \`pulumi up\` to store that one, or start the API or emulator at ${endpoint.used}`
          : `: start the API or emulator there, or set dcaas:endpoint and run \`pulumi up\` to store another`;
      return `the Direct Connect API at ${endpoint.used} is unreachable (${cause}): refresh and drift read the endpoint stored in the stack's state by the last \`pulumi up\`${now}`;
    }
    if (endpoint?.from === "environment")
      return `the Direct Connect API at ${endpoint.used} is unreachable (${cause}): check DCAAS_ENDPOINT (the state stores no endpoint) and that the API or emulator is running`;
    return `the Direct Connect API is unreachable (${cause}): check dcaas:endpoint (or DCAAS_ENDPOINT) and that the API or emulator is running`;
  }
  if (/not logged in|pulumi login/i.test(text))
    return "not logged in to a Pulumi backend: run pulumi login (or set PULUMI_BACKEND_URL)";
  if (/ENOENT.*pulumi|pulumi.*not found|Could not find the pulumi CLI/i.test(text))
    return "the pulumi CLI was not found on PATH: install it (https://www.pulumi.com/docs/install/)";
  const first = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l && !/^code:|^stdout:|^stderr:|^err\?:/.test(l));
  return `${first ?? "unknown error"} (run with --verbose for the details)`;
}

const USAGE = `usage: dcaas drift [DIR] [--stack NAME] [--json] [--verbose]
       dcaas pool [DIR] [--stack NAME] [--pool NAME] [--state-only] [--json] [--verbose]
       dcaas --version
  drift: runs a refresh preview of the stack in DIR (default: the current directory) and reports
    drift, then the operational health (interfaces and peers not ACTIVE, BGP sessions not UP).
    Exit status: 0 no drift and all healthy, 1 drift, 2 error, 3 no drift but a health problem.
  pool: reports the pools the stack's links are allocated from: each pool's definition, the slots
    of this stack's resources, what other owners hold on its hosted connections and gateway (read
    from the API with the stack's credentials; --state-only: the state alone), the free VLANs,
    /30s and /64s, and what a new link would get. Reads only. Exit status: 0 report, 2 error.`;

/** Entry point: returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === "--version" || command === "-V") {
    process.stdout.write(`dcaas ${PACKAGE_VERSION}\n`);
    return 0;
  }
  if (command === "pool") return poolCommand(rest);
  if (command !== "drift") {
    const what = command === undefined ? "no command given" : `unknown command ${command}`;
    process.stderr.write(
      `dcaas: ${what}${command?.startsWith("d") ? " (did you mean drift?)" : command?.startsWith("p") ? " (did you mean pool?)" : ""}\n${USAGE}\n`,
    );
    return EXIT.error;
  }
  let dir = ".";
  let stackName: string | undefined;
  let json = false;
  let verbose = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--json") json = true;
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--stack" || a === "-s") stackName = rest[++i];
    else if (a.startsWith("--stack=")) stackName = a.slice("--stack=".length);
    else if (a === "--help" || a === "-h") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (!a.startsWith("-")) dir = a;
    else {
      process.stderr.write(`dcaas drift: unknown option ${a}\n${USAGE}\n`);
      return 2;
    }
  }
  try {
    const report = await detectDrift({
      workDir: dir,
      stackName,
      onRetry: (line) => process.stderr.write(`dcaas drift: ${line}\n`),
    });
    process.stdout.write(json ? JSON.stringify(report, null, 2) + "\n" : renderReport(report));
    return exitCodeOf(report);
  } catch (err) {
    const msg = explainError(err, path.resolve(dir), stackName);
    if (json) process.stdout.write(JSON.stringify({ error: msg }) + "\n");
    process.stderr.write(`dcaas drift: ${msg}\n`);
    if (verbose) process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.error;
  }
}

/** `dcaas pool`: the arguments as drift takes them, plus --pool and --state-only. */
async function poolCommand(rest: string[]): Promise<number> {
  let dir = ".";
  let stackName: string | undefined;
  let pool: string | undefined;
  let json = false;
  let verbose = false;
  let stateOnly = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--json") json = true;
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--state-only") stateOnly = true;
    else if (a === "--stack" || a === "-s") stackName = rest[++i];
    else if (a.startsWith("--stack=")) stackName = a.slice("--stack=".length);
    else if (a === "--pool" || a === "-p") pool = rest[++i];
    else if (a.startsWith("--pool=")) pool = a.slice("--pool=".length);
    else if (a === "--help" || a === "-h") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (!a.startsWith("-")) dir = a;
    else {
      process.stderr.write(`dcaas pool: unknown option ${a}\n${USAGE}\n`);
      return EXIT.error;
    }
  }
  const fail = (msg: string, err?: unknown) => {
    if (json) process.stdout.write(JSON.stringify({ error: msg }) + "\n");
    process.stderr.write(`dcaas pool: ${msg}\n`);
    if (verbose && err !== undefined)
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.error;
  };
  const workDir = path.resolve(dir);
  if (!fs.existsSync(workDir) || !fs.statSync(workDir).isDirectory()) {
    return fail(`no directory ${workDir} (to report one pool, pass --pool ${dir})`);
  }
  try {
    const report = await gatherPoolReport({ workDir, stackName, pool, stateOnly });
    // Masked again as a whole: nothing the report holds is printed unmasked.
    const masked = maskValue("", report) as PoolReport;
    process.stdout.write(json ? JSON.stringify(masked, null, 2) + "\n" : renderPoolReport(masked));
    return EXIT.ok;
  } catch (err) {
    return fail(explainError(err, workDir, stackName, undefined, "pool"), err);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
