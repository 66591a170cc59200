/**
 * The HostedVif resource: a hosted private virtual interface on `/virtual-interfaces`.
 * Layout as in terraform-provider-aws: schema, check, diff, create, read, update, delete,
 * finders, status, waiters.
 */
import { canonicalCidr, cidrsOverlap, parseCidr } from "../api/net";
import { assertUuid, ConflictError, type DcaasClient, NotFoundError } from "./client";

export type { Deps } from "./common";
import {
  checkImportId,
  checkTimeouts,
  compact,
  createIdempotent,
  deepEqual,
  type Deps,
  diffFields,
  type FieldSpec,
  immutableDifferencesOf,
  isUnknown,
  issuesToFailures,
  OperationError,
  type ResourceTimeouts,
  settlePlan,
  stripProvider,
  timeoutFor,
  timingOf,
  waitCreated,
} from "./common";
import type { PollPlanner } from "./settleTimes";
import { GONE, type StatusResult, waitForState } from "./waiters";
import * as wire from "./wire";

// ---- schema ------------------------------------------------------------------------------

/** The inputs of a HostedVif, as the provider receives them (resolved). */
export interface HostedVifInputs {
  name: string;
  description?: string;
  hostedConnectionId: string;
  borderGatewayId: string;
  vlan: number;
  routeMode: "static" | "bgp";
  bgpAsn?: number;
  bgpKey?: string;
  customerAddress: string;
  cloudAddress: string;
  standbyCustomerAddress?: string;
  standbyCloudAddress?: string;
  remoteSubnets?: string[];
  importId?: string;
  timeouts?: ResourceTimeouts;
}

/** The outputs of a HostedVif: the inputs as the API reports them, plus computed fields. */
export interface HostedVifOutputs extends HostedVifInputs {
  status: string;
  deviceId: string;
  tenantId: string;
  ipv4PeerId: string;
  createdAt: string;
  updatedAt: string;
}

/** Every input property with its wire field; only name and description change in place. */
export const HOSTED_VIF_FIELDS: readonly FieldSpec[] = [
  { prop: "name", wire: "name", updatable: true },
  { prop: "description", wire: "description", updatable: true },
  { prop: "hostedConnectionId", wire: "direct_connect_id", updatable: false },
  { prop: "borderGatewayId", wire: "vgw_id", updatable: false },
  { prop: "vlan", wire: "vlan", updatable: false },
  { prop: "routeMode", wire: "route_mode", updatable: false },
  { prop: "bgpAsn", wire: "bgp_asn", updatable: false },
  { prop: "bgpKey", wire: "bgp_md5", updatable: false },
  { prop: "customerAddress", wire: "remote_gateway_v4_ip", updatable: false },
  { prop: "cloudAddress", wire: "local_gateway_v4_ip", updatable: false },
  { prop: "standbyCustomerAddress", wire: "standby_remote_gateway_v4_ip", updatable: false },
  { prop: "standbyCloudAddress", wire: "standby_local_gateway_v4_ip", updatable: false },
  { prop: "remoteSubnets", wire: "remote_ep_group", updatable: false },
];

const KIND = "hosted VIF";
const WRAPPER = "virtual_interface";
const PROVIDER_ONLY = ["importId", "timeouts"];
const INPUT_KEYS = new Set([...HOSTED_VIF_FIELDS.map((f) => f.prop), ...PROVIDER_ONLY]);

const known = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);
const lower = (v: unknown) => (known(v) ? v.trim().toLowerCase() : v);
const cidr = (v: unknown) => (known(v) ? canonicalCidr(v.trim()) : v);
const subnets = (v: unknown) => (Array.isArray(v) ? v.map(cidr) : v);
const sortSubnets = (v: unknown) =>
  Array.isArray(v) && v.every(known) ? [...(v as string[])].sort(compareCidrText) : v;

/** Orders CIDR text numerically where it parses (then by text), so equal sets compare equal. */
export function compareCidrText(a: string, b: string): number {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (x && y) {
    if (x.width !== y.width) return x.width - y.width;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
    return x.prefix - y.prefix;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical form of HostedVif inputs or outputs: lower-case enums and ids, canonical CIDR text,
 * defaults (description "", remoteSubnets []). Unknowns and invalid values pass through untouched
 * so the rules can report them. Subnets keep their order (issue paths index into it).
 */
export function normaliseHostedVif(v: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...v };
  if (out.description === undefined || out.description === null) out.description = "";
  if (out.remoteSubnets === undefined || out.remoteSubnets === null) out.remoteSubnets = [];
  out.routeMode = lower(out.routeMode);
  out.hostedConnectionId = lower(out.hostedConnectionId);
  out.borderGatewayId = lower(out.borderGatewayId);
  for (const k of ["customerAddress", "cloudAddress", "standbyCustomerAddress", "standbyCloudAddress"]) {
    out[k] = cidr(out[k]);
  }
  out.remoteSubnets = subnets(out.remoteSubnets);
  for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === null) delete out[k];
  return out;
}

function normaliseForDiff(v: Record<string, any>): Record<string, any> {
  const out = normaliseHostedVif(v);
  out.remoteSubnets = sortSubnets(out.remoteSubnets);
  return out;
}

/** The create body (`virtual_interface` contents) for normalised inputs; unknowns pass through. */
export function hostedVifToWire(n: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "private" };
  for (const f of HOSTED_VIF_FIELDS) {
    const v = n[f.prop];
    if (v === undefined) continue;
    if (f.prop === "remoteSubnets" && Array.isArray(v) && v.length === 0) continue;
    body[f.wire] = v;
  }
  return body;
}

/** The outputs of a HostedVif for a live interface (read's mapping, used by every method). */
export function hostedVifOutputs(v: wire.VirtualInterface, carry: Record<string, any>): HostedVifOutputs {
  const ipv4Peer = (v.vif_peers ?? []).find((p) => p.address_family === "ipv4");
  return compact({
    name: v.name,
    description: v.description ?? "",
    hostedConnectionId: v.direct_connect_id.toLowerCase(),
    borderGatewayId: v.vgw_id.toLowerCase(),
    vlan: v.vlan,
    routeMode: v.route_mode,
    bgpAsn: v.bgp_asn ?? undefined,
    // The API echoes bgp_md5; it appears under bgpKey only, the key the engine keeps secret.
    bgpKey: v.bgp_md5 ? v.bgp_md5 : undefined,
    customerAddress: canonicalCidr(v.remote_gateway_v4_ip),
    cloudAddress: canonicalCidr(v.local_gateway_v4_ip),
    standbyCustomerAddress: v.standby_remote_gateway_v4_ip
      ? canonicalCidr(v.standby_remote_gateway_v4_ip)
      : undefined,
    standbyCloudAddress: v.standby_local_gateway_v4_ip
      ? canonicalCidr(v.standby_local_gateway_v4_ip)
      : undefined,
    remoteSubnets: [...(v.remote_ep_group ?? [])].map(canonicalCidr).sort(compareCidrText),
    importId: carry.importId,
    timeouts: carry.timeouts,
    status: v.status,
    deviceId: v.device_id ?? "",
    tenantId: v.tenant_id,
    ipv4PeerId: ipv4Peer?.id ?? "",
    createdAt: v.create_time,
    updatedAt: v.update_time,
  }) as HostedVifOutputs;
}

/** The input view of outputs (what `read` reports as the live object's inputs). */
export function hostedVifInputsFromOutputs(o: Record<string, any>): HostedVifInputs {
  const out: Record<string, any> = {};
  for (const k of INPUT_KEYS) if (o[k] !== undefined) out[k] = o[k];
  return out as HostedVifInputs;
}

// ---- check -------------------------------------------------------------------------------

/**
 * Validates with the api/ rules (the ones the server runs) and normalises, without any API call.
 * Unknowns pass and rules that depend on them are skipped. Every failure is reported at once.
 */
export function checkHostedVif(_olds: Record<string, any>, news: Record<string, any>) {
  const raw = stripProvider(news);
  const failures: { property: string; reason: string }[] = [];
  for (const k of Object.keys(raw)) {
    if (!INPUT_KEYS.has(k)) failures.push({ property: k, reason: `unknown property ${k} of HostedVif` });
  }
  failures.push(...checkImportId(raw.importId), ...checkTimeouts(raw.timeouts));
  const picked: Record<string, any> = {};
  for (const k of INPUT_KEYS) if (raw[k] !== undefined) picked[k] = raw[k];
  const n = normaliseHostedVif(picked);
  const result = wire.validateHostedVifBody(hostedVifToWire(n));
  if (!result.ok) failures.push(...issuesToFailures(result.issues, HOSTED_VIF_FIELDS, WRAPPER));
  n.remoteSubnets = sortSubnets(n.remoteSubnets);
  return { inputs: n, failures };
}

// ---- diff --------------------------------------------------------------------------------

function overlapsMaybe(a: unknown[], b: unknown[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x === undefined || y === undefined) continue;
      if (isUnknown(x) || isUnknown(y)) return true;
      const px = parseCidr(x);
      const py = parseCidr(y);
      if (px && py && cidrsOverlap(px, py)) return true;
    }
  }
  return false;
}

const maybeEqual = (a: unknown, b: unknown) => isUnknown(a) || isUnknown(b) || deepEqual(a, b);

/**
 * Whether the old and the new interface could not exist at the same time: the same hosted
 * connection and VLAN, or overlapping interconnect /30s on the same gateway. Unknown values
 * count as possibly colliding.
 */
export function hostedVifsCollide(olds: Record<string, any>, news: Record<string, any>): boolean {
  const o = normaliseHostedVif(stripProvider(olds));
  const n = normaliseHostedVif(stripProvider(news));
  if (maybeEqual(o.hostedConnectionId, n.hostedConnectionId) && maybeEqual(o.vlan, n.vlan)) return true;
  if (maybeEqual(o.borderGatewayId, n.borderGatewayId)) {
    const addrs = (x: Record<string, any>) => [
      x.customerAddress,
      x.cloudAddress,
      x.standbyCustomerAddress,
      x.standbyCloudAddress,
    ];
    if (overlapsMaybe(addrs(o), addrs(n))) return true;
  }
  return false;
}

/** name and description update in place; anything else replaces; importId, timeouts and __provider never matter. */
export function diffHostedVif(_id: string, olds: Record<string, any>, news: Record<string, any>) {
  const d = diffFields(HOSTED_VIF_FIELDS, normaliseForDiff, olds, news);
  return {
    changes: d.changes,
    replaces: d.replaces,
    deleteBeforeReplace: d.replaces.length > 0 && hostedVifsCollide(olds, news),
  };
}

// ---- create ------------------------------------------------------------------------------

/** POST, then wait for ACTIVE; adopts on importId; partial failure when the wait fails. */
export async function createHostedVif(deps: Deps, inputs: Record<string, any>) {
  const ins = normaliseHostedVif(stripProvider(inputs));
  const ident = String(ins.name);
  if (ins.importId) return importHostedVif(deps, inputs);
  let created: wire.VirtualInterface;
  try {
    created = await createHostedVifIdempotent(deps, hostedVifToWire(ins) as wire.VifCreateBody);
  } catch (e) {
    throw new OperationError("creating", KIND, ident, e);
  }
  const timeout = timeoutFor(ins.timeouts, "create", deps.config.timeouts.create);
  const live = await waitCreated(
    KIND,
    ident,
    created,
    inputs,
    () => waitHostedVifAvailable(deps, created.id, timeout, settlePlan(deps, "vifCreate", created.status)),
    (v) => hostedVifOutputs(v, ins),
  );
  return { id: live.id, outs: hostedVifOutputs(live, ins) };
}

/** POST with idempotency (see createIdempotent): adopts an identical object an earlier attempt made. */
function createHostedVifIdempotent(deps: Deps, body: wire.VifCreateBody): Promise<wire.VirtualInterface> {
  return createIdempotent(
    deps,
    () => deps.client.createVirtualInterface(body),
    () => findHostedVifByConnectionVlanName(deps.client, body),
  );
}

/** Adopts an existing interface: immutable fields must match the program; name/description are updated. */
async function importHostedVif(deps: Deps, inputs: Record<string, any>) {
  const ins = normaliseHostedVif(stripProvider(inputs));
  const ident = String(ins.name);
  try {
    const id = assertUuid(ins.importId, "importId");
    let v = await findHostedVifByID(deps.client, id);
    const differences = immutableDifferences(ins, hostedVifOutputs(v, {}));
    if (differences.length > 0) {
      throw new Error(
        `cannot adopt virtual interface ${id}: fields that cannot change in place differ from the program: ${differences.join(
          "; ",
        )}`,
      );
    }
    if (PENDING.includes(v.status)) {
      v = await waitHostedVifAvailable(
        deps,
        id,
        timeoutFor(ins.timeouts, "create", deps.config.timeouts.create),
      );
    }
    v = await putNameDescription(deps, v, ins);
    return { id: v.id, outs: hostedVifOutputs(v, ins) };
  } catch (e) {
    throw new OperationError("importing", KIND, ident, e);
  }
}

/** Every replace-only field that differs between the program and the live object; secrets are not shown. */
export function immutableDifferences(program: Record<string, any>, live: Record<string, any>): string[] {
  return immutableDifferencesOf(HOSTED_VIF_FIELDS, normaliseForDiff, program, live);
}

// ---- read --------------------------------------------------------------------------------

/** Full outputs plus inputs reflecting the live object; `{}` when it no longer exists. */
export async function readHostedVif(deps: Deps, id: string, props: Record<string, any> | undefined) {
  let v: wire.VirtualInterface;
  try {
    v = await findHostedVifByID(deps.client, id);
  } catch (e) {
    if (e instanceof NotFoundError) return {};
    throw new OperationError("reading", KIND, String(props?.name ?? id), e);
  }
  const outs = hostedVifOutputs(v, props ?? {});
  return { id: v.id, props: outs, inputs: hostedVifInputsFromOutputs(outs) };
}

// ---- update ------------------------------------------------------------------------------

const PENDING = ["PENDING_CREATE", "PENDING_UPDATE", "BUILD"];

async function putNameDescription(
  deps: Deps,
  v: wire.VirtualInterface,
  want: Record<string, any>,
): Promise<wire.VirtualInterface> {
  const patch: { name?: string; description?: string } = {};
  if (v.name !== want.name) patch.name = want.name;
  if ((v.description ?? "") !== (want.description ?? "")) patch.description = want.description ?? "";
  if (Object.keys(patch).length === 0) return v;
  return deps.client.updateVirtualInterface(v.id, patch);
}

/**
 * PUT name and description; first waits out a pending status (after a partial failure the next
 * `up` comes here to re-converge). Returns full outputs.
 */
export async function updateHostedVif(
  deps: Deps,
  id: string,
  _olds: Record<string, any>,
  news: Record<string, any>,
) {
  const ins = normaliseHostedVif(stripProvider(news));
  const ident = String(ins.name);
  try {
    let v = await findHostedVifByID(deps.client, id);
    if (PENDING.includes(v.status)) {
      v = await waitHostedVifAvailable(
        deps,
        id,
        timeoutFor(ins.timeouts, "update", deps.config.timeouts.update),
      );
    }
    if (v.status === "ERROR") {
      throw new Error(
        `the interface is in status ERROR${v.reason ? ` (${v.reason})` : ""} and cannot be repaired in place; replace it with \`pulumi up --replace\``,
      );
    }
    v = await putNameDescription(deps, v, ins);
    return { outs: hostedVifOutputs(v, ins) };
  } catch (e) {
    throw new OperationError("updating", KIND, ident, e);
  }
}

// ---- delete ------------------------------------------------------------------------------

/** DELETE, then wait until gone; a 404 counts as success. */
export async function deleteHostedVif(deps: Deps, id: string, props: Record<string, any> | undefined) {
  const ident = String(props?.name ?? id);
  const timeout = timeoutFor(props?.timeouts, "delete", deps.config.timeouts.delete);
  try {
    try {
      await deps.client.deleteVirtualInterface(id);
    } catch (e) {
      // Refused while PENDING_*: let the current operation settle, then delete.
      if (!(e instanceof ConflictError) || e.code !== "DC.1205") throw e;
      await waitForState({
        ...timingOf(deps, timeout),
        description: "a status that allows deletion",
        status: () => statusHostedVif(deps.client, id),
        target: ["ACTIVE", "DOWN", "ERROR", GONE],
        pending: PENDING,
      });
      await deps.client.deleteVirtualInterface(id);
    }
    await waitHostedVifDeleted(deps, id, timeout, settlePlan(deps, "vifDelete"));
  } catch (e) {
    if (e instanceof NotFoundError) return;
    throw new OperationError("deleting", KIND, ident, e);
  }
}

// ---- finders -----------------------------------------------------------------------------

/** The live interface; NotFoundError when it does not exist or is DELETED. */
export async function findHostedVifByID(client: DcaasClient, id: string): Promise<wire.VirtualInterface> {
  const v = await client.getVirtualInterface(id);
  if (v.status === "DELETED") {
    throw new NotFoundError(404, "DC.1211", `virtual interface ${id} is DELETED`, undefined, "GET", id);
  }
  return v;
}

/**
 * The live interface a create with this body would have made: same connection, VLAN and name,
 * and every other field of the intent equal; undefined when there is none.
 */
export async function findHostedVifByConnectionVlanName(
  client: DcaasClient,
  body: wire.VifCreateBody,
): Promise<wire.VirtualInterface | undefined> {
  const all = await client.listVirtualInterfaces({ direct_connect_id: [body.direct_connect_id] });
  const want = normaliseForDiff(
    Object.fromEntries(
      HOSTED_VIF_FIELDS.filter((f) => (body as any)[f.wire] !== undefined).map((f) => [
        f.prop,
        (body as any)[f.wire],
      ]),
    ),
  );
  return all.find((v) => {
    if (v.vlan !== body.vlan || v.name !== body.name) return false;
    if (v.status === "PENDING_DELETE" || v.status === "DELETED") return false;
    return immutableDifferences(want, hostedVifOutputs(v, {})).length === 0;
  });
}

// ---- status ------------------------------------------------------------------------------

/** The interface's status for the waiters; undefined when it is gone. */
export async function statusHostedVif(
  client: DcaasClient,
  id: string,
): Promise<StatusResult<wire.VirtualInterface>> {
  try {
    const v = await findHostedVifByID(client, id);
    return { state: v.status, value: v, reason: v.reason ?? undefined };
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

// ---- waiters -----------------------------------------------------------------------------

/** Waits until the interface is ACTIVE (or DOWN: provisioned, link down); ERROR fails. */
export async function waitHostedVifAvailable(
  deps: Deps,
  id: string,
  timeoutMs: number,
  settle?: PollPlanner,
): Promise<wire.VirtualInterface> {
  const r = await waitForState({
    settle,
    ...timingOf(deps, timeoutMs),
    description: "status ACTIVE",
    status: () => statusHostedVif(deps.client, id),
    target: ["ACTIVE", "DOWN"],
    pending: PENDING,
  });
  return r!.value;
}

/** Waits until the interface is gone (404). */
export async function waitHostedVifDeleted(
  deps: Deps,
  id: string,
  timeoutMs: number,
  settle?: PollPlanner,
): Promise<void> {
  await waitForState({
    settle,
    ...timingOf(deps, timeoutMs),
    description: "deletion",
    status: () => statusHostedVif(deps.client, id),
    target: [GONE],
    pending: ["PENDING_DELETE", "ACTIVE", "DOWN"],
  });
}
