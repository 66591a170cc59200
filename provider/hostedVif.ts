/**
 * The HostedVif resource: a hosted private virtual interface on `/virtual-interfaces`.
 * Layout as in terraform-provider-aws: schema, check, diff, create, read, update, delete,
 * finders, status, waiters.
 */
import { canonicalCidr, cidrsOverlap, parseCidr } from "../api/net";
import type { Profile } from "../api/profile";
import { hostedVifCreateStatefulIssues, interconnectNetworks, worldOf } from "../api/stateful";
import { assertUuid, ConflictError, type DcaasClient, NotFoundError } from "./client";

export type { Deps } from "./deps";
import { createIdempotent, waitCreated } from "./creation";
import { type Deps, type RequestSpan, requestSpan, settlePlan, timingOf } from "./deps";
import {
  changesToReport,
  compact,
  deepEqual,
  diffFields,
  type FieldSpec,
  immutableDifferencesOf,
  issuesToFailures,
  unknownPropertyFailures,
} from "./fieldTable";
import { OperationError } from "./operationErrors";
import {
  checkImportFromOtherStack,
  checkImportId,
  checkTimeouts,
  type ResourceTimeouts,
  stripProvider,
  timeoutFor,
} from "./providerInputs";
import { isUnknown, UNKNOWN } from "./unknowns";
import { programInterfaces, programLabel, rememberClaim, resourceNameOf, runLiveChecks } from "./liveChecks";
import { connectionFacts, gatewayFacts, interfaceFacts, type LiveView, liveViewFor } from "./liveView";
import {
  adoptionAtPreview,
  assertImportable,
  describeMark,
  markOf,
  OWNER_INPUT,
  ownerTagValue,
  ownerTags,
} from "./ownership";
import { type Activity, engineOutput } from "./progress";
import { formatMs, GONE, type StatusResult, waitForState } from "./waiters";
import type { PollPlanner } from "./settleTimes";
import * as wire from "./wire";

// ---- schema ------------------------------------------------------------------------------

/** The inputs of a HostedVif, as the provider receives them (resolved). */
export interface HostedVifInputs {
  name: string;
  description?: string;
  hostedConnectionId: string;
  borderGatewayId: string;
  vlan: number;
  /** Mbit/s; when omitted, the hosted connection's bandwidth (read at create). */
  bandwidth?: number;
  routeMode: "static" | "bgp";
  bgpAsn?: number;
  bgpKey?: string;
  customerAddress: string;
  cloudAddress: string;
  standbyCustomerAddress?: string;
  standbyCloudAddress?: string;
  remoteSubnets?: string[];
  importId?: string;
  /** Allow `importId` of an interface another stack's resource created (its owner mark). */
  importFromOtherStack?: boolean;
  timeouts?: ResourceTimeouts;
  /** The ownership mark, `<project>/<stack>/<resource name>`, set by the resource class. */
  __owner?: string;
}

/** The outputs of a HostedVif: the inputs as the API reports them, plus computed fields. */
export interface HostedVifOutputs extends HostedVifInputs {
  /** True when the program left bandwidth out (the hosted connection's was sent), so read's inputs leave it out too. */
  bandwidthFromConnection?: boolean;
  status: string;
  /** The API's reason for the status, when it gives one (an ERROR, a DOWN link). */
  statusReason?: string;
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
  { prop: "bandwidth", wire: "bandwidth", updatable: false },
  { prop: "routeMode", wire: "route_mode", updatable: false },
  { prop: "bgpAsn", wire: "bgp_asn", updatable: false },
  { prop: "bgpKey", wire: "bgp_md5", updatable: false, secret: true },
  { prop: "customerAddress", wire: "remote_gateway_v4_ip", updatable: false },
  { prop: "cloudAddress", wire: "local_gateway_v4_ip", updatable: false },
  { prop: "standbyCustomerAddress", wire: "standby_remote_gateway_v4_ip", updatable: false },
  { prop: "standbyCloudAddress", wire: "standby_local_gateway_v4_ip", updatable: false },
  { prop: "remoteSubnets", wire: "remote_ep_group", updatable: false },
];

const KIND = "hosted VIF";
const WRAPPER = "virtual_interface";
const PROVIDER_ONLY = ["importId", "importFromOtherStack", "timeouts", OWNER_INPUT];
const INPUT_KEYS = new Set([...HOSTED_VIF_FIELDS.map((f) => f.prop), ...PROVIDER_ONLY]);

const known = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Lower-cased (and trimmed) when that makes it valid; else as the user wrote it, for the rule's "(got ...)". */
const lowerIf = (ok: (s: string) => boolean) => (v: unknown) => {
  if (!known(v)) return v;
  const l = v.trim().toLowerCase();
  return ok(l) ? l : v;
};
const lowerId = lowerIf((s) => UUID_TEXT.test(s));
const lowerRouteMode = lowerIf((s) => s === "static" || s === "bgp");
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
  out.routeMode = lowerRouteMode(out.routeMode);
  out.hostedConnectionId = lowerId(out.hostedConnectionId);
  out.borderGatewayId = lowerId(out.borderGatewayId);
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

/**
 * The create body (`virtual_interface` contents) for normalised inputs, with the ownership mark as
 * its tag; unknowns pass through.
 */
export function hostedVifToWire(n: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "private" };
  for (const f of HOSTED_VIF_FIELDS) {
    const v = n[f.prop];
    if (v === undefined) continue;
    if (f.prop === "remoteSubnets" && Array.isArray(v) && v.length === 0) continue;
    body[f.wire] = v;
  }
  const tags = ownerTags(n[OWNER_INPUT]);
  if (tags) body.tags = tags;
  return body;
}

/**
 * The outputs of a HostedVif for a live interface (read's mapping, used by every method). Fields
 * an answer leaves out (Huawei's model has no route_mode, bgp_asn, bgp_md5 nor standby pair) keep
 * the values in `carry` (the program's, or the state's).
 */
export function hostedVifOutputs(v: wire.VirtualInterface, carry: Record<string, any>): HostedVifOutputs {
  const ipv4Peer = (v.vif_peers ?? []).find((p) => p.address_family === "ipv4");
  const has = (k: string) => Object.prototype.hasOwnProperty.call(v, k);
  return compact({
    name: v.name,
    description: v.description ?? "",
    hostedConnectionId: v.direct_connect_id.toLowerCase(),
    borderGatewayId: v.vgw_id.toLowerCase(),
    vlan: v.vlan,
    bandwidth: v.bandwidth,
    bandwidthFromConnection:
      carry.bandwidthFromConnection === true || carry.bandwidth === undefined || carry.bandwidth === null
        ? true
        : undefined,
    routeMode: has("route_mode") ? v.route_mode : carry.routeMode,
    bgpAsn: has("bgp_asn") ? (v.bgp_asn ?? undefined) : carry.bgpAsn,
    // The API echoes bgp_md5; it appears under bgpKey only, the key the engine keeps secret.
    bgpKey: has("bgp_md5") ? (v.bgp_md5 ? v.bgp_md5 : undefined) : carry.bgpKey,
    customerAddress: canonicalCidr(v.remote_gateway_v4_ip),
    cloudAddress: canonicalCidr(v.local_gateway_v4_ip),
    standbyCustomerAddress: !has("standby_remote_gateway_v4_ip")
      ? carry.standbyCustomerAddress
      : v.standby_remote_gateway_v4_ip
        ? canonicalCidr(v.standby_remote_gateway_v4_ip)
        : undefined,
    standbyCloudAddress: !has("standby_local_gateway_v4_ip")
      ? carry.standbyCloudAddress
      : v.standby_local_gateway_v4_ip
        ? canonicalCidr(v.standby_local_gateway_v4_ip)
        : undefined,
    remoteSubnets: [...(v.remote_ep_group ?? [])].map(canonicalCidr).sort(compareCidrText),
    importId: carry.importId,
    importFromOtherStack: carry.importFromOtherStack,
    timeouts: carry.timeouts,
    [OWNER_INPUT]: carry[OWNER_INPUT],
    status: v.status,
    statusReason: v.reason ? v.reason : undefined,
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
  // An omitted bandwidth stays omitted: it means "the hosted connection's", not a value to drift from.
  if (o.bandwidthFromConnection === true) delete out.bandwidth;
  return out as HostedVifInputs;
}

// ---- check -------------------------------------------------------------------------------

/**
 * Validates with the api/ rules of `profile` (the ones the server runs) and normalises, without
 * any API call. Unknowns pass and rules that depend on them are skipped; an omitted bandwidth is
 * unknown until create reads the hosted connection. Every failure is reported at once.
 */
export function checkHostedVif(
  _olds: Record<string, any>,
  news: Record<string, any>,
  profile: Profile = "jd-hosted",
) {
  const raw = stripProvider(news);
  const failures = unknownPropertyFailures(raw, INPUT_KEYS, "HostedVif", HOSTED_VIF_FIELDS);
  failures.push(
    ...checkImportId(raw.importId),
    ...checkImportFromOtherStack(raw.importFromOtherStack),
    ...checkTimeouts(raw.timeouts),
  );
  const picked: Record<string, any> = {};
  for (const k of INPUT_KEYS) if (raw[k] !== undefined) picked[k] = raw[k];
  const n = normaliseHostedVif(picked);
  const body = hostedVifToWire(n);
  if (body.bandwidth === undefined) body.bandwidth = UNKNOWN;
  const result = wire.validateHostedVifBody(body, profile);
  if (!result.ok) failures.push(...issuesToFailures(result.issues, HOSTED_VIF_FIELDS, WRAPPER));
  n.remoteSubnets = sortSubnets(n.remoteSubnets);
  return { inputs: n, failures };
}

const TYPE = "HostedVif";

/**
 * `check` as the provider runs it: the stateless rules, then (when they pass) the API's stateful
 * rules over the live view and the program's other resources, in the `dcaas:liveChecks` mode.
 * The resource's own live object (its old inputs', its importId's, or one identical to the intent,
 * which create would adopt) never conflicts with it.
 */
export async function checkHostedVifLive(
  olds: Record<string, any>,
  news: Record<string, any>,
  profile: Profile = "jd-hosted",
) {
  const name = resourceNameOf(news);
  const result = checkHostedVif(olds, news, profile);
  const n = result.inputs;
  const failures =
    result.failures.length > 0
      ? result.failures
      : await runLiveChecks(`${TYPE} "${name ?? n.name}"`, (view) =>
          hostedVifLiveFailures(view, olds, n, name, profile),
        );
  // Only a resource that passes claims its VLAN and /30s: a failing one stops the run anyway.
  rememberClaim(TYPE, name, failures.length > 0 ? undefined : programClaimOf(n, name));
  return { inputs: n, failures };
}

/** The interface this resource will hold, as the program's other resources see it. */
function programClaimOf(n: Record<string, any>, name: string | undefined) {
  if (name === undefined) return undefined;
  const body = hostedVifToWire(n);
  return {
    kind: "interface" as const,
    facts: {
      id: `program:${TYPE}:${name}`,
      label: programLabel(TYPE, name),
      direct_connect_id: known(n.hostedConnectionId) ? n.hostedConnectionId : "",
      vgw_id: known(n.borderGatewayId) ? n.borderGatewayId : "",
      vlan: typeof n.vlan === "number" ? n.vlan : Number.NaN,
      status: "PENDING_CREATE",
      networks: interconnectNetworks(body),
      peers: [],
    },
  };
}

async function hostedVifLiveFailures(
  view: LiveView,
  olds: Record<string, any>,
  n: Record<string, any>,
  name: string | undefined,
  profile: Profile,
) {
  const connId = known(n.hostedConnectionId) ? n.hostedConnectionId : undefined;
  const gwId = known(n.borderGatewayId) ? n.borderGatewayId : undefined;
  const [conn, gw, onConn, onGw] = await Promise.all([
    connId === undefined ? undefined : view.connection(connId),
    gwId === undefined ? undefined : view.gateway(gwId),
    connId === undefined ? [] : view.interfacesOnConnection(connId),
    gwId === undefined ? [] : view.interfacesOnGateway(gwId),
  ]);
  const live = new Map([...onConn, ...onGw].map((v) => [v.id, v]));
  const o = normaliseHostedVif(stripProvider(olds));
  const body = hostedVifToWire(n);
  const importId = known(n.importId) ? n.importId.toLowerCase() : undefined;
  // Any object carrying this resource's own mark is its own: the one a replacement deletes first, or
  // the one an interrupted create left (which create adopts).
  const mark = ownerTagValue(n[OWNER_INPUT]);
  const own = (v: wire.VirtualInterface) =>
    v.id.toLowerCase() === importId ||
    (o.hostedConnectionId === v.direct_connect_id.toLowerCase() && o.vlan === v.vlan) ||
    (mark !== undefined && markOf(v.tags) === mark);
  const world = worldOf({
    connections: conn ? [connectionFacts(conn)] : [],
    gateways: gw ? [gatewayFacts(gw)] : [],
    // The program's resources first, so a conflict names the resource rather than its live object.
    interfaces: [...programInterfaces(TYPE, name), ...[...live.values()].map(interfaceFacts)],
  });
  const issues = hostedVifCreateStatefulIssues(body, world, {
    isUnknown,
    profile,
    isOwn: (i) => {
      const v = live.get(i.id);
      return v !== undefined && own(v);
    },
  });
  const failures = issuesToFailures(issues, HOSTED_VIF_FIELDS, WRAPPER);
  // A new resource that adopts: what up would refuse fails preview; what it will adopt, it says.
  if (importId !== undefined && Object.keys(stripProvider(olds)).length === 0) {
    failures.push(...(await hostedVifImportFailures(view, importId, n, name)));
  }
  return failures;
}

/** What `up` would refuse when adopting `importId`; says, at preview, what it will adopt. */
async function hostedVifImportFailures(
  view: LiveView,
  importId: string,
  n: Record<string, any>,
  name: string | undefined,
): Promise<{ property: string; reason: string }[]> {
  const v = await view.interface(importId);
  if (!v || v.status === "DELETED") {
    return [
      { property: "importId", reason: `there is no virtual interface ${importId} in this project to adopt` },
    ];
  }
  const verdict = adoptionAtPreview({
    refusalWhat: `virtual interface ${v.id}`,
    what: `virtual interface ${v.id}`,
    mark: markOf(v.tags),
    ins: n,
    differences: immutableDifferences(n, hostedVifOutputs(v, n)),
    adopts: `${TYPE} "${name ?? n.name}" adopts virtual interface ${v.id} ("${v.name}", ${v.status})`,
    noun: "interface",
    renamedTo: known(n.name) && n.name !== v.name ? n.name : undefined,
  });
  if (verdict.notice) engineOutput(verdict.notice);
  return verdict.failures;
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

/**
 * name and description update in place; anything else replaces; importId, importFromOtherStack,
 * timeouts, the owner mark and __provider never matter. A changed secret answers "unknown" changes
 * (see changesToReport) so the engine shows it as the reason.
 */
export function diffHostedVif(_id: string, olds: Record<string, any>, news: Record<string, any>) {
  const d = diffFields(HOSTED_VIF_FIELDS, normaliseForDiff, olds, withBandwidthOf(news, olds));
  return {
    changes: changesToReport(d),
    replaces: d.replaces,
    deleteBeforeReplace: d.replaces.length > 0 && hostedVifsCollide(olds, news),
  };
}

/** The program's values, an omitted bandwidth taken from `other` (omitted means "the connection's"). */
function withBandwidthOf(program: Record<string, any>, other: Record<string, any>): Record<string, any> {
  if (program.bandwidth !== undefined && program.bandwidth !== null) return program;
  return { ...program, bandwidth: other.bandwidth };
}

/**
 * What the next update of an interface a previous operation left unfinished (status PENDING_*,
 * ERROR: a partial failure, which the engine answers with an update) will do, for preview; undefined
 * when the recorded status is settled.
 */
export function unfinishedHostedVifNotice(
  deps: Pick<Deps, "config">,
  olds: Record<string, any>,
  news: Record<string, any>,
): string | undefined {
  const status = olds?.status;
  if (typeof status !== "string" || ["ACTIVE", "DOWN"].includes(status)) return undefined;
  const ident = String(news?.name ?? olds?.name ?? "unnamed");
  const d = diffFields(HOSTED_VIF_FIELDS, normaliseForDiff, olds, news);
  const then = d.updates.length ? `then sets ${d.updates.join(" and ")}` : "and changes nothing else";
  if (status === "ERROR") {
    return `${KIND} (${ident}) was left in status ERROR: the update will fail; replace it with \`pulumi up --replace\``;
  }
  const deadline = deadlineOf(status);
  const timeout = timeoutFor(stripProvider(news).timeouts, deadline, deps.config.timeouts[deadline]);
  return (
    `${KIND} (${ident}) was left in status ${status} by an earlier run: the update waits for status ` +
    `ACTIVE under the ${formatMs(timeout)} ${deadline} timeout, ${then}`
  );
}

/** Which operation's deadline applies to an interface in a pending status. */
function deadlineOf(status: string): "create" | "update" | "delete" {
  if (status === "PENDING_DELETE") return "delete";
  return status === "PENDING_UPDATE" ? "update" : "create";
}

// ---- create ------------------------------------------------------------------------------

/** POST, then wait for ACTIVE; adopts on importId; partial failure when the wait fails. */
export async function createHostedVif(deps: Deps, inputs: Record<string, any>) {
  const ins = normaliseHostedVif(stripProvider(inputs));
  const ident = String(ins.name);
  if (ins.importId) return importHostedVif(deps, inputs);
  let span: RequestSpan | undefined;
  let created: wire.VirtualInterface;
  try {
    const body = hostedVifToWire(ins) as wire.VifCreateBody;
    // Huawei requires a bandwidth: when the program leaves it out, send the hosted connection's, as
    // this run's live view read it (once for every interface on the connection; check used the
    // same read); a failed or missing read is made again directly, so its error is the API's.
    if (body.bandwidth === undefined) {
      const connection = await liveViewFor(deps.client)
        .connection(body.direct_connect_id)
        .catch(() => undefined);
      body.bandwidth = (connection ?? (await deps.client.getDirectConnect(body.direct_connect_id))).bandwidth;
    }
    span = requestSpan(deps);
    created = await createHostedVifIdempotent(deps, body);
    span.answered();
  } catch (e) {
    throw new OperationError("creating", KIND, ident, e);
  }
  const timeout = timeoutFor(ins.timeouts, "create", deps.config.timeouts.create);
  const activity: Activity = { operation: "creating", kind: KIND, ident, deadline: "create" };
  const live = await waitCreated(
    KIND,
    ident,
    created,
    inputs,
    () =>
      waitHostedVifAvailable(
        deps,
        created.id,
        timeout,
        activity,
        settlePlan(deps, "vifCreate", created.status, span),
      ),
    (v) => hostedVifOutputs(v, ins),
  );
  liveViewFor(deps.client).observed(live);
  return { id: live.id, outs: hostedVifOutputs(live, ins) };
}

/**
 * POST with idempotency (see createIdempotent): adopts an identical object with this resource's own
 * mark that an earlier attempt made; a refusal names the interface in the way and its owner.
 */
function createHostedVifIdempotent(deps: Deps, body: wire.VifCreateBody): Promise<wire.VirtualInterface> {
  return createIdempotent(deps, {
    post: () => deps.client.createVirtualInterface(body),
    findOwn: () => findHostedVifByConnectionVlanName(deps.client, body),
    explainRefusal: (e) => explainHostedVifRefusal(deps.client, body, e),
  });
}

/** Adopts an existing interface: immutable fields must match the program; name/description are updated. */
async function importHostedVif(deps: Deps, inputs: Record<string, any>) {
  const ins = normaliseHostedVif(stripProvider(inputs));
  const ident = String(ins.name);
  try {
    const id = assertUuid(ins.importId, "importId");
    let v = await findHostedVifByID(deps.client, id);
    assertImportable(`virtual interface ${id}`, markOf(v.tags), ins);
    const differences = immutableDifferences(ins, hostedVifOutputs(v, ins));
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
        { operation: "importing", kind: KIND, ident, deadline: "create" },
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
  return immutableDifferencesOf(HOSTED_VIF_FIELDS, normaliseForDiff, withBandwidthOf(program, live), live);
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
      // After a partial failure: wait under the deadline of the operation that started the object.
      const deadline = deadlineOf(v.status);
      v = await waitHostedVifAvailable(
        deps,
        id,
        timeoutFor(ins.timeouts, deadline, deps.config.timeouts[deadline]),
        { operation: "updating", kind: KIND, ident, deadline },
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
  const activity: Activity = { operation: "deleting", kind: KIND, ident, deadline: "delete" };
  try {
    let span = requestSpan(deps);
    try {
      await deps.client.deleteVirtualInterface(id);
      span.answered();
    } catch (e) {
      // Refused while PENDING_*: let the current operation settle, then delete.
      if (!(e instanceof ConflictError) || e.code !== "DC.1205") throw e;
      await waitForState({
        ...timingOf(deps, timeout, activity),
        description: `virtual interface ${id} to reach a status that allows deletion`,
        status: () => statusHostedVif(deps.client, id),
        target: ["ACTIVE", "DOWN", "ERROR", GONE],
        pending: PENDING,
      });
      span = requestSpan(deps);
      await deps.client.deleteVirtualInterface(id);
      span.answered();
    }
    await waitHostedVifDeleted(deps, id, timeout, activity, settlePlan(deps, "vifDelete", undefined, span));
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
 * every other field of the intent equal, and the body's own ownership mark (never another stack's
 * or an unmarked object); undefined when there is none.
 */
export async function findHostedVifByConnectionVlanName(
  client: DcaasClient,
  body: wire.VifCreateBody,
): Promise<wire.VirtualInterface | undefined> {
  const mine = markOf(body.tags);
  if (mine === undefined) return undefined;
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
    if (v.vlan !== body.vlan || v.name !== body.name || markOf(v.tags) !== mine) return false;
    if (v.status === "PENDING_DELETE" || v.status === "DELETED") return false;
    return immutableDifferences(want, hostedVifOutputs(v, want)).length === 0;
  });
}

/**
 * One sentence naming the live interface that holds what a refused create asked for (its VLAN on
 * the connection, or an interconnect /30 on the gateway) and which stack's mark it carries.
 */
export async function explainHostedVifRefusal(
  client: DcaasClient,
  body: wire.VifCreateBody,
  e: unknown,
): Promise<string | undefined> {
  const live = (v: wire.VirtualInterface) => v.status !== "DELETED";
  // The emulator's refusal names the holder already (Huawei's does not): then add only its mark.
  const said = String((e as Error)?.message ?? "");
  const sentence = (v: wire.VirtualInterface, holds: string) => {
    const mark = describeMark(markOf(v.tags));
    if (said.includes(v.id)) return `${mark.charAt(0).toUpperCase()}${mark.slice(1)}`;
    return `Virtual interface ${v.id} ("${v.name}") holds ${holds}; ${mark}`;
  };
  const onConnection = await client.listVirtualInterfaces({ direct_connect_id: [body.direct_connect_id] });
  const byVlan = onConnection.find((v) => live(v) && v.vlan === body.vlan);
  if (byVlan) {
    return sentence(byVlan, `VLAN ${body.vlan} on hosted connection ${body.direct_connect_id}`);
  }
  const mine = [
    body.remote_gateway_v4_ip,
    body.local_gateway_v4_ip,
    body.standby_remote_gateway_v4_ip,
    body.standby_local_gateway_v4_ip,
  ].filter((x): x is string => typeof x === "string");
  const onGateway = await client.listVirtualInterfaces({ vgw_id: [body.vgw_id] });
  for (const v of onGateway.filter(live)) {
    const theirs = [
      v.remote_gateway_v4_ip,
      v.local_gateway_v4_ip,
      v.standby_remote_gateway_v4_ip,
      v.standby_local_gateway_v4_ip,
    ].filter((x): x is string => typeof x === "string");
    const hit = mine.find((a) => overlapsMaybe([a], theirs));
    if (hit) {
      return sentence(v, `addresses overlapping ${hit} on gateway ${body.vgw_id}`);
    }
  }
  return undefined;
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
  activity?: Activity,
  settle?: PollPlanner,
): Promise<wire.VirtualInterface> {
  const r = await waitForState({
    settle,
    ...timingOf(deps, timeoutMs, activity),
    description: `virtual interface ${id} to reach status ACTIVE`,
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
  activity?: Activity,
  settle?: PollPlanner,
): Promise<void> {
  await waitForState({
    settle,
    ...timingOf(deps, timeoutMs, activity),
    description: `the deletion of virtual interface ${id}`,
    status: () => statusHostedVif(deps.client, id),
    target: [GONE],
    pending: ["PENDING_DELETE", "ACTIVE", "DOWN"],
  });
}
