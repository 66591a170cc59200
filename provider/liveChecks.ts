/**
 * Live checks: how `check` runs the API's stateful rules (api/stateful) before any change, in one
 * of three modes (`dcaas:liveChecks`: enforce, warn, off), over the live view read from the API
 * and the other resources of the same program checked earlier in this provider process.
 */
import type { InterfaceFacts } from "../api/stateful";
import { AuthError, DcaasClient, printRetry, serverProfileOf } from "./client";
import { ConfigError, MissingConfigError, resolveConfig, resolveLiveChecksMode } from "./config";
import { warnOnEngine } from "./engineLog";
import { type LiveView, liveViewFor } from "./liveView";
import { OWNER_INPUT, parseOwner } from "./ownership";

import type { CheckFailure as Failure } from "./fieldTable";

/**
 * The Pulumi resource name of a resource, from its ownership mark (`__owner`,
 * `<project>/<stack>/<name>`, set by the resource classes: dynamic providers' `check` gets no URN).
 */
export function resourceNameOf(inputs: Record<string, any>): string | undefined {
  return parseOwner(inputs[OWNER_INPUT])?.resource;
}

/** What a resource of this program will hold once created: its interface, or its peer. */
export type ProgramClaim =
  { kind: "interface"; facts: InterfaceFacts } | { kind: "peer"; vifId: string; addressFamily: string };

/** A resource checked in this provider process, by its Pulumi resource name. */
interface ProgramEntry {
  type: string;
  name: string;
  claim: ProgramClaim;
}

const program = new Map<string, ProgramEntry>();

/** Remembers what a resource of this program claims (replacing its earlier claim, if any). */
export function rememberClaim(type: string, name: string | undefined, claim: ProgramClaim | undefined): void {
  if (name === undefined) return;
  const key = `${type}::${name}`;
  if (claim === undefined) program.delete(key);
  else program.set(key, { type, name, claim });
}

/** The interfaces other resources of this program will create (not the named resource's own). */
export function programInterfaces(type: string, name: string | undefined): InterfaceFacts[] {
  const out: InterfaceFacts[] = [];
  for (const e of program.values()) {
    if (e.claim.kind !== "interface" || (e.type === type && e.name === name)) continue;
    out.push(e.claim.facts);
  }
  return out;
}

/** The peers other resources of this program will add to the interface. */
export function programPeers(
  type: string,
  name: string | undefined,
  vifId: string,
): { address_family: string; label: string }[] {
  const out: { address_family: string; label: string }[] = [];
  for (const e of program.values()) {
    if (e.claim.kind !== "peer" || (e.type === type && e.name === name)) continue;
    if (e.claim.vifId.toLowerCase() !== vifId.toLowerCase()) continue;
    out.push({ address_family: e.claim.addressFamily, label: programLabel(e.type, e.name) });
  }
  return out;
}

/** How a message names a resource of this program. */
export function programLabel(type: string, name: string): string {
  return `${type} resource "${name}" of this program`;
}

/** Forgets every remembered resource (tests; a new engine run starts a new process anyway). */
export function resetProgramClaims(): void {
  program.clear();
}

/** A message as a clause of a longer sentence: without its closing period ("project.; check"). */
function clause(message: string): string {
  return message.replace(/\.\s*$/, "");
}

/** The failure of checking with one profile against a server that enforces another. */
export function profileMismatch(endpoint: string, server: string, mine: string): string {
  return (
    `the API at ${endpoint} enforces the ${server} rules (dcaas-emulator --profile ${server}), but the ` +
    `provider checks with ${mine} (dcaas:profile, or the default for this endpoint), so preview would ` +
    `pass what up is refused: set dcaas:profile to ${server} (\`pulumi config set dcaas:profile ${server}\`, ` +
    `or DCAAS_PROFILE=${server})`
  );
}

/**
 * Uses the live view in the configured mode: `off` reads nothing (`mode` off, no value); a failure
 * to read (missing configuration, credentials, an unreachable API, a server enforcing another
 * profile) becomes one failure whose reason says what to do.
 */
export async function withLiveView<T>(
  use: (view: LiveView) => Promise<T>,
): Promise<{ mode: "enforce" | "warn" | "off"; value?: T; failures: Failure[] }> {
  let mode;
  try {
    mode = resolveLiveChecksMode();
  } catch (e) {
    return { mode: "enforce", failures: [{ property: "", reason: (e as Error).message }] };
  }
  if (mode === "off") return { mode, failures: [] };
  try {
    const config = resolveConfig();
    const value = await use(liveViewFor(new DcaasClient(config, { onRetry: printRetry })));
    const server = serverProfileOf(config.endpoint);
    if (server !== undefined && server !== config.profile) {
      // The rules just run are not the server's: their verdict means nothing, this does.
      return {
        mode,
        failures: [{ property: "", reason: profileMismatch(config.endpoint, server, config.profile) }],
      };
    }
    return { mode, value, failures: [] };
  } catch (e) {
    // Only what reading the API needs (endpoint, project, credentials) can wait until `up`; an
    // invalid value of any key fails there too, so it gets no hint to skip the checks.
    const reason =
      e instanceof MissingConfigError
        ? `${e.message} (live checks read the API at preview, and up needs it too; only a preview without API access should skip them, with dcaas:liveChecks=off)`
        : e instanceof ConfigError
          ? e.message
          : e instanceof AuthError
            ? `live checks could not read the API: ${clause(e.message)}; check the credentials (dcaas:accessKey and dcaas:secretKey, dcaas:token, or dcaas:username and dcaas:password, or their DCAAS_* / HW_* variables) and dcaas:projectId (up needs them too; only a preview without API access should skip these checks, with dcaas:liveChecks=off)`
            : `live checks could not read the API: ${clause((e as Error).message)} (only a preview without API access should skip these checks, with dcaas:liveChecks=off)`;
    return { mode, failures: [{ property: "", reason }] };
  }
}

/**
 * Runs a resource's stateful rules in the configured mode and returns its CheckFailures: `off`
 * reads nothing and returns none; `enforce` turns every broken rule, missing configuration or
 * unreadable API into a failure; `warn` logs them as warnings and returns none.
 */
export async function runLiveChecks(
  what: string,
  rules: (view: LiveView) => Promise<Failure[]>,
): Promise<Failure[]> {
  const r = await withLiveView(rules);
  const failures = r.failures.length > 0 ? r.failures : (r.value ?? []);
  if (r.mode !== "warn") return failures;
  for (const f of failures) {
    await warnOnEngine(`${what}: ${f.property ? `${f.property}: ` : ""}${f.reason} (dcaas:liveChecks=warn)`);
  }
  return [];
}
