/**
 * The VifPeer resource: a virtual interface peer on `/vif-peers`, read through its interface's
 * `vif_peers` (the API has no GET for a peer). Layout: schema, check, diff, create, read, update,
 * delete, finders, status, waiters.
 */
import { canonicalCidr } from "../api/net";
import { vifPeerCreateStatefulIssues, worldOf } from "../api/stateful";
import { assertUuid, ConflictError, type DcaasClient, NotFoundError } from "./client";
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
import { isUnknown } from "./unknowns";
import { compareCidrText } from "./hostedVif";
import { programInterfaces, programPeers, rememberClaim, resourceNameOf, runLiveChecks } from "./liveChecks";
import { gatewayFacts, interfaceFacts, type LiveView } from "./liveView";
import { adoptionAtPreview, assertImportable, describeMark, markOf, OWNER_INPUT, stackOf } from "./ownership";
import { type Activity, engineOutput } from "./progress";
import { formatMs, GONE, type StatusResult, waitForState } from "./waiters";
import type { PollPlanner } from "./settleTimes";
import * as wire from "./wire";

// ---- schema ------------------------------------------------------------------------------

/** The inputs of a VifPeer, as the provider receives them (resolved). */
export interface VifPeerInputs {
  vifId: string;
  name?: string;
  description?: string;
  addressFamily: "ipv4" | "ipv6";
  customerAddress: string;
  cloudAddress: string;
  routeMode: "static" | "bgp";
  bgpAsn?: number;
  bgpKey?: string;
  remoteSubnets?: string[];
  importId?: string;
  /** Allow `importId` of a peer on an interface another stack's resource created (its owner mark). */
  importFromOtherStack?: boolean;
  timeouts?: ResourceTimeouts;
  /** The ownership mark, `<project>/<stack>/<resource name>`, set by the resource class. */
  __owner?: string;
}

/** The outputs of a VifPeer: the inputs as the API reports them, plus computed fields. */
export interface VifPeerOutputs extends VifPeerInputs {
  status: string;
  bgpStatus?: string;
  deviceId: string;
  tenantId: string;
  receiveRouteNum: number;
  bgpRouteLimit?: number;
  enableBfd: boolean;
  enableNqa: boolean;
}

/** Every input property with its wire field; only name and description change in place. */
export const VIF_PEER_FIELDS: readonly FieldSpec[] = [
  { prop: "vifId", wire: "vif_id", updatable: false },
  { prop: "name", wire: "name", updatable: true },
  { prop: "description", wire: "description", updatable: true },
  { prop: "addressFamily", wire: "address_family", updatable: false },
  { prop: "customerAddress", wire: "remote_gateway_ip", updatable: false },
  { prop: "cloudAddress", wire: "local_gateway_ip", updatable: false },
  { prop: "routeMode", wire: "route_mode", updatable: false },
  { prop: "bgpAsn", wire: "bgp_asn", updatable: false },
  { prop: "bgpKey", wire: "bgp_md5", updatable: false, secret: true },
  { prop: "remoteSubnets", wire: "remote_ep_group", updatable: false },
];

const KIND = "VIF peer";
const WRAPPER = "vif_peer";
const INPUT_KEYS = new Set([
  ...VIF_PEER_FIELDS.map((f) => f.prop),
  "importId",
  "importFromOtherStack",
  "timeouts",
  OWNER_INPUT,
]);

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
const lowerFamily = lowerIf((s) => s === "ipv4" || s === "ipv6");
const cidr = (v: unknown) => (known(v) ? canonicalCidr(v.trim()) : v);
const sortSubnets = (v: unknown) =>
  Array.isArray(v) && v.every(known) ? [...(v as string[])].sort(compareCidrText) : v;

/**
 * Canonical form of VifPeer inputs or outputs: lower-case enums and ids, canonical CIDR text,
 * defaults (name "", description "", remoteSubnets [], routeMode "static" as the API defaults).
 */
export function normaliseVifPeer(v: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...v };
  if (out.name === undefined || out.name === null) out.name = "";
  if (out.description === undefined || out.description === null) out.description = "";
  if (out.remoteSubnets === undefined || out.remoteSubnets === null) out.remoteSubnets = [];
  if (out.routeMode === undefined || out.routeMode === null) out.routeMode = "static";
  out.vifId = lowerId(out.vifId);
  out.addressFamily = lowerFamily(out.addressFamily);
  out.routeMode = lowerRouteMode(out.routeMode);
  out.customerAddress = cidr(out.customerAddress);
  out.cloudAddress = cidr(out.cloudAddress);
  if (Array.isArray(out.remoteSubnets)) out.remoteSubnets = out.remoteSubnets.map(cidr);
  for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === null) delete out[k];
  return out;
}

function normaliseForDiff(v: Record<string, any>): Record<string, any> {
  const out = normaliseVifPeer(v);
  out.remoteSubnets = sortSubnets(out.remoteSubnets);
  return out;
}

/** The create body (`vif_peer` contents) for normalised inputs; unknowns pass through. */
export function vifPeerToWire(n: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of VIF_PEER_FIELDS) {
    const v = n[f.prop];
    if (v === undefined) continue;
    if (f.prop === "remoteSubnets" && Array.isArray(v) && v.length === 0) continue;
    body[f.wire] = v;
  }
  return body;
}

/** The outputs of a VifPeer for a live peer (read's mapping, used by every method). */
export function vifPeerOutputs(p: wire.VifPeer, carry: Record<string, any>): VifPeerOutputs {
  return compact({
    vifId: p.vif_id.toLowerCase(),
    name: p.name ?? "",
    description: p.description ?? "",
    addressFamily: p.address_family,
    customerAddress: canonicalCidr(p.remote_gateway_ip),
    cloudAddress: canonicalCidr(p.local_gateway_ip),
    routeMode: p.route_mode,
    bgpAsn: p.bgp_asn ?? undefined,
    // The API echoes bgp_md5; it appears under bgpKey only, the key the engine keeps secret.
    bgpKey: p.bgp_md5 ? p.bgp_md5 : undefined,
    remoteSubnets: [...(p.remote_ep_group ?? [])].map(canonicalCidr).sort(compareCidrText),
    importId: carry.importId,
    importFromOtherStack: carry.importFromOtherStack,
    timeouts: carry.timeouts,
    [OWNER_INPUT]: carry[OWNER_INPUT],
    status: p.status,
    bgpStatus: p.bgp_status ?? undefined,
    deviceId: p.device_id ?? "",
    tenantId: p.tenant_id,
    receiveRouteNum: p.receive_route_num,
    bgpRouteLimit: p.bgp_route_limit ?? undefined,
    enableBfd: p.enable_bfd,
    enableNqa: p.enable_nqa,
  }) as VifPeerOutputs;
}

/** The input view of outputs (what `read` reports as the live object's inputs). */
export function vifPeerInputsFromOutputs(o: Record<string, any>): VifPeerInputs {
  const out: Record<string, any> = {};
  for (const k of INPUT_KEYS) if (o[k] !== undefined) out[k] = o[k];
  return out as VifPeerInputs;
}

function identOf(v: Record<string, any> | undefined, id?: string): string {
  if (v?.name) return String(v.name);
  if (v?.vifId && v?.addressFamily) return `${v.vifId}/${v.addressFamily}`;
  return id ?? "unnamed";
}

// ---- check -------------------------------------------------------------------------------

/**
 * Validates with the api/ rules (the ones the server runs) and normalises, without any API call.
 * An unknown vifId (an interface not created yet) passes.
 */
export function checkVifPeer(_olds: Record<string, any>, news: Record<string, any>) {
  const raw = stripProvider(news);
  const failures = unknownPropertyFailures(raw, INPUT_KEYS, "VifPeer", VIF_PEER_FIELDS);
  failures.push(
    ...checkImportId(raw.importId),
    ...checkImportFromOtherStack(raw.importFromOtherStack),
    ...checkTimeouts(raw.timeouts),
  );
  const picked: Record<string, any> = {};
  for (const k of INPUT_KEYS) if (raw[k] !== undefined) picked[k] = raw[k];
  const n = normaliseVifPeer(picked);
  const result = wire.validateVifPeerBody(vifPeerToWire(n));
  if (!result.ok) failures.push(...issuesToFailures(result.issues, VIF_PEER_FIELDS, WRAPPER));
  n.remoteSubnets = sortSubnets(n.remoteSubnets);
  return { inputs: n, failures };
}

const TYPE = "VifPeer";

/**
 * `check` as the provider runs it: the stateless rules, then (when they pass) the API's stateful
 * rules over the live interface and the program's other peers, in the `dcaas:liveChecks` mode.
 * The resource's own live peer (its old inputs', its importId's, or one identical to the intent)
 * never conflicts with it.
 */
export async function checkVifPeerLive(olds: Record<string, any>, news: Record<string, any>) {
  const name = resourceNameOf(news);
  const result = checkVifPeer(olds, news);
  const n = result.inputs;
  const failures =
    result.failures.length > 0
      ? result.failures
      : await runLiveChecks(`${TYPE} "${name ?? n.name}"`, (view) =>
          vifPeerLiveFailures(view, olds, n, name),
        );
  // Only a resource that passes claims its family on the interface: a failing one stops the run anyway.
  const claimable = failures.length === 0 && known(n.vifId) && known(n.addressFamily);
  rememberClaim(
    TYPE,
    name,
    claimable ? { kind: "peer", vifId: n.vifId, addressFamily: n.addressFamily } : undefined,
  );
  return { inputs: n, failures };
}

async function vifPeerLiveFailures(
  view: LiveView,
  olds: Record<string, any>,
  n: Record<string, any>,
  name: string | undefined,
) {
  if (!known(n.vifId)) return [];
  const vif = await view.interface(n.vifId);
  const gw = vif ? await view.gateway(vif.vgw_id) : undefined;
  const onGw = vif && n.addressFamily === "ipv4" ? await view.interfacesOnGateway(vif.vgw_id) : [];
  const o = normaliseVifPeer(stripProvider(olds));
  const importId = known(n.importId) ? n.importId.toLowerCase() : undefined;
  // The peer an interrupted create of this resource left: create adopts it (same intent, on an
  // interface marked by this stack).
  const stack = stackOf(n[OWNER_INPUT]);
  const ourInterface = vif !== undefined && stack !== undefined && stackOf(markOf(vif.tags)) === stack;
  const own = (p: wire.VifPeer) =>
    p.id.toLowerCase() === importId ||
    (o.vifId === p.vif_id.toLowerCase() && o.addressFamily === p.address_family) ||
    (ourInterface && p.name === n.name);
  const interfaces = new Map(onGw.map((v) => [v.id, interfaceFacts(v)]));
  if (vif) {
    // This stack's interface still settling (an earlier run's create or update timed out): the
    // engine runs that interface's update, which waits for ACTIVE under its deadline, before it
    // creates this peer (the peer depends on it), so "interface not ACTIVE" is not this peer's fault.
    const settling = ourInterface && ["PENDING_CREATE", "PENDING_UPDATE"].includes(vif.status);
    const mine = interfaceFacts({
      ...vif,
      status: settling ? "ACTIVE" : vif.status,
      vif_peers: (vif.vif_peers ?? []).filter((p) => !own(p)),
    });
    // The program's peers first, so a conflict names the resource rather than a live peer.
    interfaces.set(vif.id, { ...mine, peers: [...programPeers(TYPE, name, vif.id), ...mine.peers] });
  }
  const world = worldOf({
    connections: [],
    gateways: gw ? [gatewayFacts(gw)] : [],
    interfaces: [...interfaces.values(), ...programInterfaces(TYPE, name)],
  });
  const issues = vifPeerCreateStatefulIssues(vifPeerToWire(n), world, { isUnknown });
  const failures = issuesToFailures(issues, VIF_PEER_FIELDS, WRAPPER);
  // A new resource that adopts: what up would refuse fails preview; what it will adopt, it says.
  if (importId !== undefined && vif && Object.keys(stripProvider(olds)).length === 0) {
    failures.push(...vifPeerImportFailures(vif, importId, n, name));
  }
  return failures;
}

/** What `up` would refuse when adopting peer `importId` of `vif`; says, at preview, what it will adopt. */
function vifPeerImportFailures(
  vif: wire.VirtualInterface,
  importId: string,
  n: Record<string, any>,
  name: string | undefined,
): { property: string; reason: string }[] {
  // An interface read without its peers (a list that omits them) cannot tell: up decides.
  if (!Array.isArray(vif.vif_peers)) return [];
  const p = vif.vif_peers.find((x) => x.id.toLowerCase() === importId);
  if (!p) {
    return [
      {
        property: "importId",
        reason: `there is no VIF peer ${importId} on virtual interface ${vif.id} to adopt`,
      },
    ];
  }
  const verdict = adoptionAtPreview({
    refusalWhat: `VIF peer ${p.id} (of virtual interface ${vif.id})`,
    what: `VIF peer ${p.id}`,
    mark: markOf(vif.tags),
    ins: n,
    differences: immutableDifferences(n, vifPeerOutputs(p, {})),
    adopts: `${TYPE} "${name ?? n.name}" adopts VIF peer ${p.id} ("${p.name}", ${p.status}) of virtual interface ${vif.id}`,
    noun: "peer",
    renamedTo: known(n.name) && n.name !== p.name ? n.name : undefined,
  });
  if (verdict.notice) engineOutput(verdict.notice);
  return verdict.failures;
}

// ---- diff --------------------------------------------------------------------------------

const maybeEqual = (a: unknown, b: unknown) => isUnknown(a) || isUnknown(b) || deepEqual(a, b);

/** An interface holds one peer per address family: same interface and family cannot coexist. */
export function vifPeersCollide(olds: Record<string, any>, news: Record<string, any>): boolean {
  const o = normaliseVifPeer(stripProvider(olds));
  const n = normaliseVifPeer(stripProvider(news));
  return maybeEqual(o.vifId, n.vifId) && maybeEqual(o.addressFamily, n.addressFamily);
}

/**
 * name and description update in place; anything else replaces; importId, importFromOtherStack,
 * timeouts, the owner mark and __provider never matter. A changed secret answers "unknown" changes
 * (see changesToReport) so the engine shows it as the reason.
 */
export function diffVifPeer(_id: string, olds: Record<string, any>, news: Record<string, any>) {
  const d = diffFields(VIF_PEER_FIELDS, normaliseForDiff, olds, news);
  return {
    changes: changesToReport(d),
    replaces: d.replaces,
    deleteBeforeReplace: d.replaces.length > 0 && vifPeersCollide(olds, news),
  };
}

/**
 * What the next update of a peer a previous operation left unfinished (PENDING_*, ERROR) will do,
 * for preview; undefined when the recorded status is settled.
 */
export function unfinishedVifPeerNotice(
  deps: Pick<Deps, "config">,
  olds: Record<string, any>,
  news: Record<string, any>,
): string | undefined {
  const status = olds?.status;
  if (typeof status !== "string" || ["ACTIVE", "DOWN"].includes(status)) return undefined;
  const ident = identOf(normaliseVifPeer(stripProvider(news)));
  if (status === "ERROR") {
    return `${KIND} (${ident}) was left in status ERROR: the update will fail; replace it with \`pulumi up --replace\``;
  }
  const d = diffFields(VIF_PEER_FIELDS, normaliseForDiff, olds, news);
  const then = d.updates.length ? `then sets ${d.updates.join(" and ")}` : "and changes nothing else";
  const deadline = status === "PENDING_CREATE" ? "create" : "update";
  const timeout = timeoutFor(stripProvider(news).timeouts, deadline, deps.config.timeouts[deadline]);
  return (
    `${KIND} (${ident}) was left in status ${status} by an earlier run: the update waits for status ` +
    `ACTIVE under the ${formatMs(timeout)} ${deadline} timeout, ${then}`
  );
}

// ---- create ------------------------------------------------------------------------------

/** POST, then wait for ACTIVE; adopts on importId; partial failure when the wait fails. */
export async function createVifPeer(deps: Deps, inputs: Record<string, any>) {
  const ins = normaliseVifPeer(stripProvider(inputs));
  const ident = identOf(ins);
  if (ins.importId) return importVifPeer(deps, inputs);
  let span: RequestSpan | undefined;
  let created: wire.VifPeer;
  try {
    const body = vifPeerToWire(ins) as wire.PeerCreateBody;
    // Send name and description even when empty so the API keeps exactly what the program says.
    body.name = ins.name;
    body.description = ins.description;
    span = requestSpan(deps);
    created = await createVifPeerIdempotent(deps, body, stackOf(ins[OWNER_INPUT]));
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
      waitVifPeerAvailable(
        deps,
        created.vif_id,
        created.id,
        timeout,
        activity,
        settlePlan(deps, "peerCreate", created.status, span),
      ),
    (v) => vifPeerOutputs(v, ins),
  );
  return { id: live.id, outs: vifPeerOutputs(live, ins) };
}

/**
 * POST with idempotency (see createIdempotent): adopts an identical peer an earlier attempt made, only
 * on an interface marked by this stack; a refusal names the peer in the way and the interface's owner.
 */
function createVifPeerIdempotent(
  deps: Deps,
  body: wire.PeerCreateBody,
  stack: string | undefined,
): Promise<wire.VifPeer> {
  return createIdempotent(deps, {
    post: () => deps.client.createVifPeer(body),
    findOwn: () => findVifPeerByVifFamily(deps.client, body, stack),
    explainRefusal: () => explainVifPeerRefusal(deps.client, body),
  });
}

/** Adopts an existing peer: immutable fields must match the program; name/description are updated. */
async function importVifPeer(deps: Deps, inputs: Record<string, any>) {
  const ins = normaliseVifPeer(stripProvider(inputs));
  const ident = identOf(ins);
  try {
    const id = assertUuid(ins.importId, "importId");
    let p = await findVifPeerByID(deps.client, id, known(ins.vifId) ? ins.vifId : undefined);
    const parent = await deps.client.getVirtualInterface(p.vif_id);
    assertImportable(`VIF peer ${id} (of virtual interface ${p.vif_id})`, markOf(parent.tags), ins);
    const differences = immutableDifferences(ins, vifPeerOutputs(p, {}));
    if (differences.length > 0) {
      throw new Error(
        `cannot adopt VIF peer ${id}: fields that cannot change in place differ from the program: ${differences.join(
          "; ",
        )}`,
      );
    }
    if (PENDING.includes(p.status)) {
      p = await waitVifPeerAvailable(
        deps,
        p.vif_id,
        id,
        timeoutFor(ins.timeouts, "create", deps.config.timeouts.create),
        { operation: "importing", kind: KIND, ident, deadline: "create" },
      );
    }
    p = await putNameDescription(deps, p, ins);
    return { id: p.id, outs: vifPeerOutputs(p, ins) };
  } catch (e) {
    throw new OperationError("importing", KIND, ident, e);
  }
}

/** Every replace-only field that differs between the program and the live object; secrets are not shown. */
export function immutableDifferences(program: Record<string, any>, live: Record<string, any>): string[] {
  return immutableDifferencesOf(VIF_PEER_FIELDS, normaliseForDiff, program, live);
}

// ---- read --------------------------------------------------------------------------------

/** Full outputs plus inputs reflecting the live peer; `{}` when it (or its interface) is gone. */
export async function readVifPeer(deps: Deps, id: string, props: Record<string, any> | undefined) {
  let p: wire.VifPeer;
  try {
    p = await findVifPeerByID(deps.client, id, known(props?.vifId) ? props!.vifId : undefined);
  } catch (e) {
    if (e instanceof NotFoundError) return {};
    throw new OperationError("reading", KIND, identOf(props, id), e);
  }
  const outs = vifPeerOutputs(p, props ?? {});
  return { id: p.id, props: outs, inputs: vifPeerInputsFromOutputs(outs) };
}

// ---- update ------------------------------------------------------------------------------

const PENDING = ["PENDING_CREATE", "PENDING_UPDATE"];

async function putNameDescription(
  deps: Deps,
  p: wire.VifPeer,
  want: Record<string, any>,
): Promise<wire.VifPeer> {
  const patch: { name?: string; description?: string } = {};
  if ((p.name ?? "") !== (want.name ?? "")) patch.name = want.name ?? "";
  if ((p.description ?? "") !== (want.description ?? "")) patch.description = want.description ?? "";
  if (Object.keys(patch).length === 0) return p;
  return deps.client.updateVifPeer(p.id, patch);
}

/** PUT name and description; first waits out a pending status. Returns full outputs. */
export async function updateVifPeer(
  deps: Deps,
  id: string,
  olds: Record<string, any>,
  news: Record<string, any>,
) {
  const ins = normaliseVifPeer(stripProvider(news));
  const ident = identOf(ins, id);
  try {
    let p = await findVifPeerByID(deps.client, id, known(olds?.vifId) ? olds.vifId : undefined);
    if (PENDING.includes(p.status)) {
      // After a partial failure: wait under the deadline of the operation that started the peer.
      const deadline = p.status === "PENDING_CREATE" ? "create" : "update";
      p = await waitVifPeerAvailable(
        deps,
        p.vif_id,
        id,
        timeoutFor(ins.timeouts, deadline, deps.config.timeouts[deadline]),
        { operation: "updating", kind: KIND, ident, deadline },
      );
    }
    if (p.status === "ERROR") {
      throw new Error(
        "the peer is in status ERROR and cannot be repaired in place; replace it with `pulumi up --replace`",
      );
    }
    p = await putNameDescription(deps, p, ins);
    return { outs: vifPeerOutputs(p, ins) };
  } catch (e) {
    throw new OperationError("updating", KIND, ident, e);
  }
}

// ---- delete ------------------------------------------------------------------------------

/** DELETE, then wait until the peer is gone from its interface; a 404 counts as success. */
export async function deleteVifPeer(deps: Deps, id: string, props: Record<string, any> | undefined) {
  const ident = identOf(props, id);
  const timeout = timeoutFor(props?.timeouts, "delete", deps.config.timeouts.delete);
  const vifId = known(props?.vifId) ? props!.vifId : undefined;
  const activity: Activity = { operation: "deleting", kind: KIND, ident, deadline: "delete" };
  try {
    let span = requestSpan(deps);
    try {
      await deps.client.deleteVifPeer(id);
      span.answered();
    } catch (e) {
      if (!(e instanceof ConflictError) || e.code !== "DC.1205") throw e;
      await waitForState({
        ...timingOf(deps, timeout, activity),
        description: `peer ${id} to reach a status that allows deletion`,
        status: () => statusVifPeer(deps.client, vifId, id),
        target: ["ACTIVE", "DOWN", "ERROR", GONE],
        pending: PENDING,
      });
      span = requestSpan(deps);
      await deps.client.deleteVifPeer(id);
      span.answered();
    }
    await waitVifPeerDeleted(
      deps,
      vifId,
      id,
      timeout,
      activity,
      settlePlan(deps, "peerDelete", undefined, span),
    );
  } catch (e) {
    if (e instanceof NotFoundError) return;
    throw new OperationError("deleting", KIND, ident, e);
  }
}

// ---- finders -----------------------------------------------------------------------------

/**
 * The live peer, found in its interface's `vif_peers` (or, without a known interface, in every
 * interface's); NotFoundError when the interface or the peer is gone.
 */
export async function findVifPeerByID(
  client: DcaasClient,
  id: string,
  vifId?: string,
): Promise<wire.VifPeer> {
  const pid = assertUuid(id, "VIF peer id");
  let candidates: wire.VirtualInterface[];
  if (vifId !== undefined) {
    const v = await client.getVirtualInterface(vifId);
    candidates = v.status === "DELETED" ? [] : [v];
  } else {
    candidates = await client.listVirtualInterfaces();
  }
  for (const v of candidates) {
    const p = (v.vif_peers ?? []).find((x) => x.id.toLowerCase() === pid);
    if (p) return p;
  }
  throw new NotFoundError(
    404,
    "DC.0002",
    `VIF peer ${pid} is not among the peers of ${vifId ? `virtual interface ${vifId}` : "any virtual interface"}`,
    undefined,
    "GET",
    vifId ?? "virtual-interfaces",
  );
}

/**
 * The live peer a create with this body would have made (same interface and family, same intent),
 * on an interface marked by `stack` (never another stack's or an unmarked one); undefined otherwise.
 */
export async function findVifPeerByVifFamily(
  client: DcaasClient,
  body: wire.PeerCreateBody,
  stack: string | undefined,
): Promise<wire.VifPeer | undefined> {
  if (stack === undefined) return undefined;
  let v: wire.VirtualInterface;
  try {
    v = await client.getVirtualInterface(body.vif_id);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
  if (stackOf(markOf(v.tags)) !== stack) return undefined;
  const want = normaliseForDiff(
    Object.fromEntries(
      VIF_PEER_FIELDS.filter((f) => (body as any)[f.wire] !== undefined).map((f) => [
        f.prop,
        (body as any)[f.wire],
      ]),
    ),
  );
  return (v.vif_peers ?? []).find(
    (p) =>
      p.address_family === want.addressFamily &&
      p.status !== "PENDING_DELETE" &&
      immutableDifferences(want, vifPeerOutputs(p, {})).length === 0,
  );
}

/**
 * One sentence naming the live peer that holds the address family a refused create asked for on the
 * interface, and which stack's mark the interface carries.
 */
export async function explainVifPeerRefusal(
  client: DcaasClient,
  body: wire.PeerCreateBody,
): Promise<string | undefined> {
  const v = await client.getVirtualInterface(body.vif_id);
  const p = (v.vif_peers ?? []).find((x) => x.address_family === body.address_family);
  if (!p) return undefined;
  return (
    `Peer ${p.id} ("${p.name ?? ""}") holds the ${p.address_family} family of virtual interface ` +
    `${v.id}; the interface: ${describeMark(markOf(v.tags))}`
  );
}

// ---- status ------------------------------------------------------------------------------

/** The peer's status for the waiters; undefined when it is gone. */
export async function statusVifPeer(
  client: DcaasClient,
  vifId: string | undefined,
  id: string,
): Promise<StatusResult<wire.VifPeer>> {
  try {
    const p = await findVifPeerByID(client, id, vifId);
    return { state: p.status, value: p };
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

// ---- waiters -----------------------------------------------------------------------------

/** Waits until the peer is ACTIVE (or DOWN); ERROR fails. */
export async function waitVifPeerAvailable(
  deps: Deps,
  vifId: string,
  id: string,
  timeoutMs: number,
  activity?: Activity,
  settle?: PollPlanner,
): Promise<wire.VifPeer> {
  const r = await waitForState({
    settle,
    ...timingOf(deps, timeoutMs, activity),
    description: `peer ${id} to reach status ACTIVE`,
    status: () => statusVifPeer(deps.client, vifId, id),
    target: ["ACTIVE", "DOWN"],
    pending: PENDING,
  });
  return r!.value;
}

/** Waits until the peer is gone from its interface's `vif_peers`. */
export async function waitVifPeerDeleted(
  deps: Deps,
  vifId: string | undefined,
  id: string,
  timeoutMs: number,
  activity?: Activity,
  settle?: PollPlanner,
): Promise<void> {
  await waitForState({
    settle,
    ...timingOf(deps, timeoutMs, activity),
    description: `the deletion of peer ${id}`,
    status: () => statusVifPeer(deps.client, vifId, id),
    target: [GONE],
    pending: ["PENDING_DELETE", "ACTIVE", "DOWN"],
  });
}
