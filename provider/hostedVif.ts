/**
 * The HostedVif resource: a hosted private virtual interface on `/virtual-interfaces`. What is its
 * own: its field table (hostedVifFields.ts), its create body, the live checks and adoption at
 * preview, finders, status and what a refused create explains. The lifecycle (check, diff, create,
 * read, update, delete, import) is lifecycle.ts, over the `hostedVif` descriptor below.
 */
import { cidrsOverlap, parseCidr } from "../api/net";
import type { Profile } from "../api/profile";
import { hostedVifCreateStatefulIssues, interconnectNetworks, worldOf } from "../api/stateful";
import { type DcaasClient, NotFoundError } from "./client";
import type { Deps } from "./deps";
import { deepEqual, issuesToFailures } from "./fieldTable";
import { fromBody, inputsOf, normalise, outputsOf, type StateOf, toWire } from "./fields";
import { HOSTED_VIF } from "./hostedVifFields";
import * as lifecycle from "./lifecycle";
import { immutableDifferences, type Resource, specsOf } from "./lifecycle";
import { allocateInterfaceInputs, reallocateInterface } from "./allocation";
import { programInterfaces, programLabel, resourceNameOf } from "./liveChecks";
import { connectionFacts, gatewayFacts, interfaceFacts, LiveView, liveViewFor } from "./liveView";
import { adoptionAtPreview, describeMark, markOf, OWNER_INPUT, ownerTagValue, ownerTags } from "./ownership";
import { engineOutput } from "./progress";
import { stripProvider } from "./providerInputs";
import { isUnknown, UNKNOWN } from "./unknowns";
import * as wire from "./wire";

export type { Deps } from "./deps";
export { HOSTED_VIF };

/** The outputs of a HostedVif: the inputs as the API reports them, plus computed fields. */
export type HostedVifOutputs = StateOf<typeof HOSTED_VIF>;

const TYPE = "HostedVif";
const known = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);
const maybeEqual = (a: unknown, b: unknown) => isUnknown(a) || isUnknown(b) || deepEqual(a, b);

/** The program's values, an omitted bandwidth taken from `other` (omitted means "the connection's"). */
function withBandwidthOf(program: Record<string, any>, other: Record<string, any>): Record<string, any> {
  if (program.bandwidth !== undefined && program.bandwidth !== null) return program;
  return { ...program, bandwidth: other.bandwidth };
}

/** The HostedVif descriptor the lifecycle runs. */
export const hostedVif: Resource<wire.VirtualInterface> = {
  type: TYPE,
  kind: "hosted VIF",
  noun: "virtual interface",
  waitNoun: "virtual interface",
  shortNoun: "interface",
  wrapper: "virtual_interface",
  fields: HOSTED_VIF,
  pending: ["PENDING_CREATE", "PENDING_UPDATE", "BUILD"],
  settle: { create: "vifCreate", delete: "vifDelete" },
  ident: (v, id) => String(v?.name ?? id ?? "unnamed"),

  body: hostedVifToWire,
  // An omitted bandwidth is unknown until create reads the hosted connection.
  validate: (body, profile) => {
    const r = wire.validateHostedVifBody({ ...body, bandwidth: body.bandwidth ?? UNKNOWN }, profile);
    return r.ok ? [] : r.issues;
  },
  diffNews: withBandwidthOf,
  collide: hostedVifsCollide,
  // An omitted bandwidth stays omitted: it means "the hosted connection's", not a value to drift from.
  readInputs: (inputs, outs) => {
    if (outs.bandwidthFromConnection === true) delete inputs.bandwidth;
    return inputs;
  },

  liveFailures: hostedVifLiveFailures,
  claim: programClaimOf,
  allocate: (view, olds, news, name, profile) => allocateInterfaceInputs(view, olds, news, name, profile),
  // A fresh view: nothing this run memoized may hide what another stack just created.
  reallocate: (deps, ins) =>
    reallocateInterface(new LiveView(deps.client), ins, resourceNameOf(ins), deps.config.profile),

  find: (client, id) => findHostedVifByID(client, id),
  hintOf: () => undefined,
  reasonOf: (v) => v.reason ?? undefined,
  // Huawei requires a bandwidth: when the program leaves it out, send the hosted connection's, as
  // this run's live view read it (once for every interface on the connection; check used the
  // same read); a failed or missing read is made again directly, so its error is the API's.
  prepare: async (deps: Deps, body) => {
    if (body.bandwidth !== undefined) return;
    const connection = await liveViewFor(deps.client)
      .connection(body.direct_connect_id)
      .catch(() => undefined);
    body.bandwidth = (connection ?? (await deps.client.getDirectConnect(body.direct_connect_id))).bandwidth;
  },
  post: (client, body) => client.createVirtualInterface(body as wire.VifCreateBody),
  findOwn: (client, body) => findHostedVifByConnectionVlanName(client, body as wire.VifCreateBody),
  explainRefusal: (client, body, e) => explainHostedVifRefusal(client, body as wire.VifCreateBody, e),
  created: (deps, v) => liveViewFor(deps.client).observed(v),
  put: (client, id, patch) => client.updateVirtualInterface(id, patch),
  remove: async (client, id) => {
    await client.deleteVirtualInterface(id);
  },
  adoption: async (_client, v) => ({ what: `virtual interface ${v.id}`, mark: markOf(v.tags) }),
};

// ---- the public surface (the provider's methods come from lifecycle.methodsOf) -------------

/** Every input property with an API field (the view the rules and the failures use). */
export const HOSTED_VIF_FIELDS = specsOf(hostedVif);

/** Canonical form of HostedVif inputs or outputs (see fields.ts `normalise`). */
export const normaliseHostedVif = (v: Record<string, any>) => normalise(HOSTED_VIF, v);

/** The create body (`virtual_interface` contents) for normalised inputs, with the ownership mark as its tag. */
export function hostedVifToWire(n: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "private", ...toWire(HOSTED_VIF, n) };
  const tags = ownerTags(n[OWNER_INPUT]);
  if (tags) body.tags = tags;
  return body;
}

/**
 * The outputs of a HostedVif for a live interface. Fields an answer leaves out (Huawei's model
 * has no standby pair) keep the values in `carry` (the program's, or the state's).
 */
export const hostedVifOutputs = (v: wire.VirtualInterface, carry: Record<string, any>) =>
  outputsOf(HOSTED_VIF, v, carry) as HostedVifOutputs;

/** The input view of outputs (what `read` reports as the live object's inputs). */
export const hostedVifInputsFromOutputs = (o: Record<string, any>) =>
  hostedVif.readInputs!(inputsOf(HOSTED_VIF, o), o);

export const {
  check: checkHostedVif,
  checkLive: checkHostedVifLive,
  diff: diffHostedVif,
  create: createHostedVif,
  update: updateHostedVif,
} = lifecycle.bound(hostedVif);

// ---- live checks ---------------------------------------------------------------------------

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
  const o = normalise(HOSTED_VIF, stripProvider(olds));
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
  const failures = issuesToFailures(issues, HOSTED_VIF_FIELDS, hostedVif.wrapper);
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
    differences: immutableDifferences(hostedVif, n, hostedVifOutputs(v, n)),
    adopts: `${TYPE} "${name ?? n.name}" adopts virtual interface ${v.id} ("${v.name}", ${v.status})`,
    noun: "interface",
    renamedTo: known(n.name) && n.name !== v.name ? n.name : undefined,
  });
  if (verdict.notice) engineOutput(verdict.notice);
  return verdict.failures;
}

// ---- diff ----------------------------------------------------------------------------------

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

/**
 * Whether the old and the new interface could not exist at the same time: the same hosted
 * connection and VLAN, or overlapping interconnect /30s on the same gateway. Unknown values
 * count as possibly colliding.
 */
export function hostedVifsCollide(olds: Record<string, any>, news: Record<string, any>): boolean {
  const o = normalise(HOSTED_VIF, stripProvider(olds));
  const n = normalise(HOSTED_VIF, stripProvider(news));
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

// ---- finders -------------------------------------------------------------------------------

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
  const want = fromBody(HOSTED_VIF, body as Record<string, unknown>);
  return all.find((v) => {
    if (v.vlan !== body.vlan || v.name !== body.name || markOf(v.tags) !== mine) return false;
    if (v.status === "PENDING_DELETE" || v.status === "DELETED") return false;
    return immutableDifferences(hostedVif, want, hostedVifOutputs(v, want)).length === 0;
  });
}

/**
 * One sentence naming the live interface that holds what a refused create asked for (its VLAN on
 * the connection, or an interconnect /30 on the gateway) and which stack's mark it carries. The
 * holder is found with the API's own lookups (api/stateful.ts worldOf), over what the lists show.
 */
export async function explainHostedVifRefusal(
  client: DcaasClient,
  body: wire.VifCreateBody,
  e: unknown,
): Promise<string | undefined> {
  // The emulator's refusal names the holder already (Huawei's does not): then add only its mark.
  const said = String((e as Error)?.message ?? "");
  const sentence = (v: wire.VirtualInterface, holds: string) => {
    const mark = describeMark(markOf(v.tags));
    if (said.includes(v.id)) return `${mark.charAt(0).toUpperCase()}${mark.slice(1)}`;
    return `Virtual interface ${v.id} ("${v.name}") holds ${holds}; ${mark}`;
  };
  const holder = async (filter: { direct_connect_id: string[] } | { vgw_id: string[] }) => {
    const live = (await client.listVirtualInterfaces(filter)).filter((v) => v.status !== "DELETED");
    const world = worldOf({ connections: [], gateways: [], interfaces: live.map(interfaceFacts) });
    return { world, byId: (id: string) => live.find((v) => v.id === id)! };
  };
  const conn = await holder({ direct_connect_id: [body.direct_connect_id] });
  const byVlan = conn.world.interfacesWithVlan(body.direct_connect_id, body.vlan)[0];
  if (byVlan) {
    return sentence(conn.byId(byVlan.id), `VLAN ${body.vlan} on hosted connection ${body.direct_connect_id}`);
  }
  const gw = await holder({ vgw_id: [body.vgw_id] });
  for (const network of interconnectNetworks(body)) {
    const v = gw.world.interfacesOverlapping(body.vgw_id, network)[0];
    if (v) return sentence(gw.byId(v.id), `addresses overlapping ${network} on gateway ${body.vgw_id}`);
  }
  return undefined;
}
