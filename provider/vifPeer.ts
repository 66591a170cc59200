/**
 * The VifPeer resource: a virtual interface peer on `/vif-peers`, read through its interface's
 * `vif_peers` (the API has no GET for a peer). What is its own: its field table (vifPeerFields.ts),
 * the live checks and adoption at preview, finders, status and what a refused create explains. The
 * lifecycle is lifecycle.ts, over the `vifPeer` descriptor below.
 */
import { vifPeerCreateStatefulIssues, worldOf } from "../api/stateful";
import { assertUuid, type DcaasClient, NotFoundError } from "./client";
import { deepEqual, issuesToFailures } from "./fieldTable";
import { fromBody, normalise, outputsOf, type StateOf, toWire } from "./fields";
import { allocatePeerInputs } from "./allocation";
import * as lifecycle from "./lifecycle";
import { immutableDifferences, type Resource, specsOf } from "./lifecycle";
import { programInterfaces, programPeers } from "./liveChecks";
import { gatewayFacts, interfaceFacts, type LiveView } from "./liveView";
import { adoptionAtPreview, describeMark, markOf, OWNER_INPUT, stackOf } from "./ownership";
import { engineOutput } from "./progress";
import { stripProvider } from "./providerInputs";
import { isUnknown } from "./unknowns";
import { VIF_PEER } from "./vifPeerFields";
import * as wire from "./wire";

export { VIF_PEER };

/** The outputs of a VifPeer: the inputs as the API reports them, plus computed fields. */
export type VifPeerOutputs = StateOf<typeof VIF_PEER>;

const TYPE = "VifPeer";
const known = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);
const maybeEqual = (a: unknown, b: unknown) => isUnknown(a) || isUnknown(b) || deepEqual(a, b);

/** The VifPeer descriptor the lifecycle runs. */
export const vifPeer: Resource<wire.VifPeer> = {
  type: TYPE,
  kind: "VIF peer",
  noun: "VIF peer",
  waitNoun: "peer",
  shortNoun: "peer",
  wrapper: "vif_peer",
  fields: VIF_PEER,
  pending: ["PENDING_CREATE", "PENDING_UPDATE"],
  settle: { create: "peerCreate", delete: "peerDelete" },
  ident: (v, id) => {
    if (v?.name) return String(v.name);
    if (v?.vifId && v?.addressFamily) return `${v.vifId}/${v.addressFamily}`;
    return id ?? "unnamed";
  },

  // Name and description are sent even when empty, so the API keeps exactly what the program says.
  body: (n) => toWire(VIF_PEER, n),
  validate: (body) => {
    const r = wire.validateVifPeerBody(body);
    return r.ok ? [] : r.issues;
  },
  collide: vifPeersCollide,

  liveFailures: (view, olds, n, name) => vifPeerLiveFailures(view, olds, n, name),
  allocate: (view, olds, news, name, profile) => allocatePeerInputs(view, olds, news, name, profile),
  // Only a resource that passes claims its family on the interface.
  claim: (n) =>
    known(n.vifId) && known(n.addressFamily)
      ? { kind: "peer", vifId: n.vifId, addressFamily: n.addressFamily }
      : undefined,

  find: (client, id, hint) => findVifPeerByID(client, id, known(hint?.vifId) ? hint!.vifId : undefined),
  hintOf: (p) => ({ vifId: p.vif_id }),
  reasonOf: () => undefined,
  post: (client, body) => client.createVifPeer(body as wire.PeerCreateBody),
  findOwn: (client, body, ins) =>
    findVifPeerByVifFamily(client, body as wire.PeerCreateBody, stackOf(ins[OWNER_INPUT])),
  explainRefusal: (client, body) => explainVifPeerRefusal(client, body as wire.PeerCreateBody),
  put: (client, id, patch) => client.updateVifPeer(id, patch),
  remove: async (client, id) => {
    await client.deleteVifPeer(id);
  },
  // Peers have no tags: a peer belongs to the stack that marked its interface.
  adoption: async (client, p) => ({
    what: `VIF peer ${p.id} (of virtual interface ${p.vif_id})`,
    mark: markOf((await client.getVirtualInterface(p.vif_id)).tags),
  }),
};

// ---- the public surface (the provider's methods come from lifecycle.methodsOf) -------------

/** Every input property with an API field (the view the rules and the failures use). */
export const VIF_PEER_FIELDS = specsOf(vifPeer);

/** Canonical form of VifPeer inputs or outputs (see fields.ts `normalise`). */
export const normaliseVifPeer = (v: Record<string, any>) => normalise(VIF_PEER, v);

/** The create body (`vif_peer` contents) for normalised inputs; unknowns pass through. */
export const vifPeerToWire = (n: Record<string, any>) => vifPeer.body(n);

/** The outputs of a VifPeer for a live peer. */
export const vifPeerOutputs = (p: wire.VifPeer, carry: Record<string, any>) =>
  outputsOf(VIF_PEER, p, carry) as VifPeerOutputs;

export const {
  check: checkVifPeer,
  checkLive: checkVifPeerLive,
  diff: diffVifPeer,
  create: createVifPeer,
  update: updateVifPeer,
} = lifecycle.bound(vifPeer);

// ---- live checks ---------------------------------------------------------------------------

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
  const o = normalise(VIF_PEER, stripProvider(olds));
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
  const failures = issuesToFailures(issues, VIF_PEER_FIELDS, vifPeer.wrapper);
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
    differences: immutableDifferences(vifPeer, n, vifPeerOutputs(p, {})),
    adopts: `${TYPE} "${name ?? n.name}" adopts VIF peer ${p.id} ("${p.name}", ${p.status}) of virtual interface ${vif.id}`,
    noun: "peer",
    renamedTo: known(n.name) && n.name !== p.name ? n.name : undefined,
  });
  if (verdict.notice) engineOutput(verdict.notice);
  return verdict.failures;
}

// ---- diff ----------------------------------------------------------------------------------

/** An interface holds one peer per address family: same interface and family cannot coexist. */
export function vifPeersCollide(olds: Record<string, any>, news: Record<string, any>): boolean {
  const o = normalise(VIF_PEER, stripProvider(olds));
  const n = normalise(VIF_PEER, stripProvider(news));
  return maybeEqual(o.vifId, n.vifId) && maybeEqual(o.addressFamily, n.addressFamily);
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
  const want = fromBody(VIF_PEER, body as Record<string, unknown>);
  return (v.vif_peers ?? []).find(
    (p) =>
      p.address_family === want.addressFamily &&
      p.status !== "PENDING_DELETE" &&
      immutableDifferences(vifPeer, want, vifPeerOutputs(p, {})).length === 0,
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
