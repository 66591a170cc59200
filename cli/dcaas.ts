#!/usr/bin/env node
// `dcaas`: command-line tools for pulumi-dcaas stacks. `dcaas drift` is the nightly drift gate:
// it runs a refresh preview (`pulumi refresh --preview-only`) through the Automation API, prints what
// drifted (resource, field, expected value, live value; secrets masked) and exits 1 on drift,
// 0 on none, 2 on error.
import * as path from "node:path";
import { EngineEvent, LocalWorkspace, OpType, StepEventMetadata } from "@pulumi/pulumi/automation";

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

/** The drift report of one stack. */
export interface DriftReport {
  stack: string;
  workDir: string;
  drifted: boolean;
  resources: DriftedResource[];
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_KEYS = /key|password|secret|token|md5/i;
const MASK = "[secret]";

/** Masks secret values (engine secret envelopes, and any field whose name looks like a secret). */
export function maskValue(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_KEYS.test(field)) return MASK;
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

/** Runs a refresh preview of a stack and returns what drifted. */
export async function detectDrift(opts: {
  workDir: string;
  stackName?: string;
  envVars?: Record<string, string>;
}): Promise<DriftReport> {
  const workDir = path.resolve(opts.workDir);
  const ws = await LocalWorkspace.create({ workDir, envVars: opts.envVars });
  const stackName = opts.stackName ?? (await ws.stack())?.name;
  if (!stackName) throw new Error(`no stack selected in ${workDir}: pass --stack NAME`);
  const stack = await LocalWorkspace.selectStack({ stackName, workDir }, { envVars: opts.envVars });
  const events: EngineEvent[] = [];
  await stack.previewRefresh({ onEvent: (e) => events.push(e) });
  // The refresh step's outcome is in its resOutputsEvent (op "update" or "delete" with the stored
  // state as `old` and the live state as `new`); the resourcePreEvent only announces the read.
  const last = new Map<string, StepEventMetadata>();
  for (const e of events) {
    const meta = e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata;
    if (!meta || meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("pulumi:providers:")) continue;
    if (e.resOutputsEvent || !last.has(meta.urn)) last.set(meta.urn, meta);
  }
  const resources: DriftedResource[] = [];
  for (const meta of last.values()) {
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
  return { stack: stackName, workDir, drifted: resources.length > 0, resources };
}

function show(v: unknown): string {
  return v === undefined ? "(none)" : JSON.stringify(v);
}

/** Renders a drift report for a terminal. */
export function renderReport(r: DriftReport): string {
  if (!r.drifted) return `No drift: every resource of stack ${r.stack} matches its live object.\n`;
  const lines = [
    `Drift in stack ${r.stack}: ${r.resources.length} resource(s) differ from the live objects.`,
  ];
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
  lines.push("", "Run `pulumi refresh` to accept the live values, or `pulumi up` to restore the program's.");
  return lines.join("\n") + "\n";
}

const USAGE = `usage: dcaas drift [DIR] [--stack NAME] [--json]
  Runs a refresh preview of the stack in DIR (default: the current directory) and reports drift.
  Exit status: 0 no drift, 1 drift, 2 error.`;

/** Entry point: returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "drift") {
    process.stderr.write(`${USAGE}\n`);
    return command === "--help" || command === "-h" ? 0 : 2;
  }
  let dir = ".";
  let stackName: string | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--json") json = true;
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
    const report = await detectDrift({ workDir: dir, stackName });
    process.stdout.write(json ? JSON.stringify(report, null, 2) + "\n" : renderReport(report));
    return report.drifted ? 1 : 0;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (json) process.stdout.write(JSON.stringify({ error: msg }) + "\n");
    process.stderr.write(`dcaas drift: ${msg}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
