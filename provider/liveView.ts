/**
 * The live view `check` runs the API's stateful rules over: connections, gateways and interfaces
 * read from the API with GETs only, each read once per provider process (one engine run), so the
 * reads of a preview grow with the distinct connections, gateways and interfaces the program names,
 * not with its resources.
 */
import type { ConnectionFacts, GatewayFacts, InterfaceFacts } from "../api/stateful";
import { interconnectNetworks } from "../api/stateful";
import { type DcaasClient, NotFoundError } from "./client";
import { markOf, stackOf } from "./ownership";
import type * as wire from "./wire";

/** Reads of one project, each made at most once; failures are remembered too (one run, one answer). */
export class LiveView {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly client: DcaasClient) {}

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      // The rejection is handled by whoever awaits it; keep Node from reporting it meanwhile.
      p.catch(() => undefined);
      this.memo.set(key, p);
    }
    return p;
  }

  /** The connection, or undefined when the project has none with this id. */
  connection(id: string): Promise<wire.DirectConnect | undefined> {
    return this.once(`dc:${id}`, () => orUndefined(this.client.getDirectConnect(id)));
  }

  /** The gateway, or undefined when the project has none with this id. */
  gateway(id: string): Promise<wire.VirtualGateway | undefined> {
    return this.once(`gw:${id}`, () => orUndefined(this.client.getVirtualGateway(id)));
  }

  /** Every interface on the connection (one list request). */
  interfacesOnConnection(id: string): Promise<wire.VirtualInterface[]> {
    return this.once(`vifs-dc:${id}`, () =>
      this.listed(this.client.listVirtualInterfaces({ direct_connect_id: [id] })),
    );
  }

  /** Every interface on the gateway (one list request). */
  interfacesOnGateway(id: string): Promise<wire.VirtualInterface[]> {
    return this.once(`vifs-gw:${id}`, () => this.listed(this.client.listVirtualInterfaces({ vgw_id: [id] })));
  }

  /**
   * The interfaces a list answered, by id: a list item is the same document as a GET of the
   * interface (its peers included, Huawei's "vif_peers in Show/List VIF"), so `interface()` of a
   * listed ACTIVE one reads nothing more; one in any other status is read again, as it may be moving. A peer's check on an existing interface used to GET it: 500
   * GETs in a preview of 500 unchanged peers.
   */
  private readonly fromLists = new Map<string, wire.VirtualInterface>();

  private async listed(p: Promise<wire.VirtualInterface[]>): Promise<wire.VirtualInterface[]> {
    const list = await p;
    for (const v of list)
      if (!this.fromLists.has(v.id.toLowerCase())) this.fromLists.set(v.id.toLowerCase(), v);
    return list;
  }

  /**
   * An interface this process has just read itself (the GET that saw a create settle): the check of
   * a peer on it that follows in the same run uses it instead of reading it again.
   */
  observed(v: wire.VirtualInterface): void {
    this.memo.set(`vif:${v.id}`, Promise.resolve(v));
  }

  /** The interface (with its peers), or undefined when the project has none with this id. */
  interface(id: string): Promise<wire.VirtualInterface | undefined> {
    return this.once(`vif:${id}`, () => {
      // Only a settled one: a list read earlier in the run may show a status that has moved on since.
      const listed = this.fromLists.get(id.toLowerCase());
      return listed?.status === "ACTIVE"
        ? Promise.resolve(listed)
        : orUndefined(this.client.getVirtualInterface(id));
    });
  }
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

const views = new Map<string, LiveView>();

/** The live view of this process for the client's endpoint and project (created on first use). */
export function liveViewFor(client: DcaasClient): LiveView {
  const key = `${client.config.endpoint}|${client.config.projectId}`;
  let view = views.get(key);
  if (!view) {
    view = new LiveView(client);
    views.set(key, view);
  }
  return view;
}

/** Forgets every read of this process (tests; a new engine run starts a new process anyway). */
export function resetLiveViews(): void {
  views.clear();
}

/** A connection as the stateful rules see it. */
export function connectionFacts(c: wire.DirectConnect): ConnectionFacts {
  return { id: c.id, type: c.type, status: c.status, bandwidth: c.bandwidth, vlan: c.vlan };
}

/** A gateway as the stateful rules see it. */
export function gatewayFacts(g: wire.VirtualGateway): GatewayFacts {
  return { id: g.id, local_ep_group: g.local_ep_group, bgp_asn: g.bgp_asn };
}

/** `, marked as owned by stack p/s` for a live object's mark; nothing without one. */
function ownedBy(mark: string | undefined): string {
  const stack = stackOf(mark);
  return stack === undefined ? "" : `, marked as owned by stack ${stack}`;
}

/**
 * The facts of each interface a list or GET answered, once: a check builds the stateful rules'
 * world from every live interface, so without this a run of N checks computed N × N of them.
 * Frozen, as they are shared.
 */
const factsOf = new WeakMap<wire.VirtualInterface, InterfaceFacts>();

/** A live interface as the stateful rules see it. */
export function interfaceFacts(v: wire.VirtualInterface): InterfaceFacts {
  let f = factsOf.get(v);
  if (!f) {
    f = Object.freeze(computeFacts(v));
    factsOf.set(v, f);
  }
  return f;
}

function computeFacts(v: wire.VirtualInterface): InterfaceFacts {
  return {
    id: v.id,
    label: `virtual interface ${v.id} ("${v.name}"${ownedBy(markOf(v.tags))})`,
    direct_connect_id: v.direct_connect_id,
    vgw_id: v.vgw_id,
    vlan: v.vlan,
    status: v.status,
    networks: interconnectNetworks(v),
    peers: (v.vif_peers ?? []).map((p) => ({ address_family: p.address_family, label: `peer ${p.id}` })),
  };
}
