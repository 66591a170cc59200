/**
 * The backend: state and stateful rules of the Direct Connect API. It never sees HTTP: handlers
 * give it validated request objects and it returns plain response objects or throws the error
 * classes of ./errors. Every mutation runs in one store transaction, committed before returning.
 */
import { randomUUID } from "node:crypto";
import { cidrsOverlap, networkOf, formatCidr } from "../api/net";
import {
  type InterfaceFacts,
  type WorldView,
  hostedVifCreateStatefulIssues,
  hostedVifUpdateStatefulIssues,
  interconnectNetworks,
  vifPeerCreateStatefulIssues,
  vifPeerUpdateStatefulIssues,
} from "../api/stateful";
import type { Profile } from "../api/profile";
import type { TagsAction } from "../api/rules";
import {
  type HostedVifCreate,
  type HostedVifUpdate,
  LIMITS,
  VIF_PEER_STATUSES,
  VIF_STATUSES,
  type VifPeerCreate,
  type VifPeerUpdate,
} from "../api/schemas";
import {
  ApiError,
  AssociatedResourceAbnormal,
  RequestParameterError,
  ResourceNotFound,
  ValidationFailed,
  VifVlanConflict,
  VirtualInterfaceNotFound,
} from "./errors";
import { CLOUD_BGP_ASN, type FixtureSet } from "./fixtures";
import { DEFAULT_DELAYS, type Delays, SETTLED, mergeDelays, schedule } from "./lifecycle";
import type { ListQuery, StoredRow, Transition } from "./store";
import { Store } from "./store";

/** How an asynchronous operation ends: normally, stuck in PENDING_*, or in ERROR. */
export type Outcome = "normal" | "stuck" | "error";

/** A virtual interface as the API returns it (vif_peers filled in on reads). */
export interface VifDoc {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  direct_connect_id: string;
  vgw_id: string;
  type: string;
  vlan: number;
  bandwidth: number;
  route_mode: string;
  bgp_asn: number | null;
  bgp_md5: string | null;
  remote_gateway_v4_ip: string;
  local_gateway_v4_ip: string;
  standby_remote_gateway_v4_ip?: string | null;
  standby_local_gateway_v4_ip?: string | null;
  remote_ep_group: string[];
  status: string;
  reason: string | null;
  /** The interface's peers (in answers, not stored; Huawei's create answer has null). */
  vif_peers?: PeerDoc[] | null;
  [extra: string]: unknown;
}

/** A virtual interface peer as the API returns it. */
export interface PeerDoc {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  address_family: string;
  local_gateway_ip: string;
  remote_gateway_ip: string;
  route_mode: string;
  bgp_asn: number | null;
  bgp_md5: string | null;
  remote_ep_group: string[];
  bgp_status: string | null;
  status: string;
  vif_id: string;
  receive_route_num: number;
  [extra: string]: unknown;
}

/** A connection as the API returns it. */
export interface ConnectionDoc {
  id: string;
  name: string;
  type: string;
  bandwidth: number;
  status: string;
  vlan?: number | null;
  [extra: string]: unknown;
}

/** A virtual gateway as the API returns it. */
export interface GatewayDoc {
  id: string;
  vpc_id: string;
  local_ep_group: string[];
  bgp_asn: number;
  [extra: string]: unknown;
}

/** Response fields of Huawei's VirtualInterface that the contract leaves at Huawei's defaults. */
const HUAWEI_VIF_DEFAULTS: Record<string, unknown> = {
  service_type: "VGW",
  address_family: "ipv4",
  priority: "normal",
  enable_bfd: false,
  enable_nqa: false,
  lag_id: null,
  gateway_id: null,
  local_gateway_v6_ip: null,
  remote_gateway_v6_ip: null,
  service_ep_group: [],
  route_limit: 50,
  bgp_route_limit: 100,
  rate_limit: false,
  admin_state_up: true,
  ies_id: null,
  lgw_id: null,
  tags: [],
};

const IMMUTABLE_ON_CREATE_ONLY = new Set(["id", "tenant_id", "status", "reason", "vif_peers"]);

function isoNow(now: number): string {
  return new Date(now).toISOString();
}

function isPending(status: string): boolean {
  return status.startsWith("PENDING_");
}

/** Options of the backend. */
export interface BackendOptions {
  /** Delays to use (and persist); without them, the persisted or default delays apply. */
  delays?: Partial<Delays>;
  /** Clock, for tests. */
  now?: () => number;
  /** The rule profile (default `jd-hosted`). */
  profile?: Profile;
}

/**
 * Fields of an interface Huawei's API never has (the JD model's standby pair): not in answers
 * under `huawei`. `route_mode`, `bgp_asn` and `bgp_md5` stay: Huawei's SDK models lack them, but
 * the live API returns them (Terraform reads them back into ForceNew attributes and its acceptance
 * tests assert them; see PARITY.md).
 */
const NOT_IN_HUAWEI_VIF = ["standby_remote_gateway_v4_ip", "standby_local_gateway_v4_ip"];

/** State and stateful rules of the emulated cloud. */
export class Backend {
  private delaysCache: Delays;
  readonly now: () => number;
  /** The rule profile this emulated cloud enforces. */
  readonly profile: Profile;

  constructor(
    readonly store: Store,
    opts: BackendOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.profile = opts.profile ?? "jd-hosted";
    const persisted = store.getMeta("delays");
    const base = persisted ? mergeDelays(DEFAULT_DELAYS, JSON.parse(persisted)) : DEFAULT_DELAYS;
    this.delaysCache = mergeDelays(base, opts.delays);
    if (opts.delays) store.setMeta("delays", JSON.stringify(this.delaysCache));
  }

  /** The current provisioning and deletion delays. */
  get delays(): Delays {
    return this.delaysCache;
  }

  /** Changes some delays (persisted); applies to operations started afterwards. */
  setDelays(patch: Partial<Record<keyof Delays, unknown>>): Delays {
    let next: Delays;
    try {
      next = mergeDelays(this.delaysCache, patch);
    } catch (err) {
      throw new RequestParameterError((err as Error).message);
    }
    this.store.setMeta("delays", JSON.stringify(next));
    this.delaysCache = next;
    return next;
  }

  // ---- fixtures ----

  /** Loads a fixture set (projects, credentials, connections, gateways) in one transaction. */
  loadFixtures(set: FixtureSet): void {
    this.store.tx(() => {
      const now = isoNow(this.now());
      for (const p of set.projects) {
        this.store.putProject({
          project_id: p.projectId,
          project_name: p.projectName ?? p.projectId,
          domain_name: p.domainName,
          username: p.username,
          password: p.password,
          access_key: p.accessKey ?? null,
          secret_key: p.secretKey ?? null,
        });
        if (p.token) this.store.putToken(p.token, p.projectId, null);
        for (const c of p.connections) {
          this.store.putConnection(p.projectId, {
            description: "",
            type: "hosted",
            port_type: "10G",
            location: "emulator-dc-1",
            provider: "emulator-partner",
            vlan: null,
            ...c,
            tenant_id: p.projectId,
            create_time: now,
          });
        }
        for (const g of p.gateways) {
          this.store.putGateway(p.projectId, {
            description: "",
            type: "default",
            status: "ACTIVE",
            admin_state_up: true,
            bgp_asn: CLOUD_BGP_ASN,
            enterprise_project_id: "0",
            ...g,
            tenant_id: p.projectId,
          });
        }
      }
    });
  }

  /** Deletes everything, then loads the given fixtures (if any); delays return to the defaults. */
  reset(set?: FixtureSet): void {
    this.store.tx(() => {
      this.store.wipe();
      this.delaysCache = DEFAULT_DELAYS;
      if (set) this.loadFixtures(set);
    });
  }

  // ---- lifecycle ----

  /** Applies every timed transition that is due now. Called before serving each request. */
  settle(): void {
    const now = this.now();
    const vifs = this.store.dueIds("vifs", now);
    const peers = this.store.dueIds("peers", now);
    if (vifs.length === 0 && peers.length === 0) return;
    this.store.tx(() => {
      for (const id of vifs) {
        const row = this.store.get<VifDoc>("vifs", null, id);
        if (row) this.applyVif(row.doc, row.transition, now);
      }
      for (const id of peers) {
        const row = this.store.get<PeerDoc>("peers", null, id);
        if (row) this.applyPeer(row.doc, row.transition, now);
      }
    });
  }

  /** Applies an interface's transition; returns the new document or undefined when gone. */
  private applyVif(doc: VifDoc, t: Transition, now: number): VifDoc | undefined {
    if (t.next === null) return doc;
    if (t.next === "GONE") {
      this.store.remove("vifs", doc.id);
      return undefined;
    }
    const next: VifDoc = { ...doc, status: t.next, reason: t.next === "ERROR" ? t.reason : null };
    next.update_time = isoNow(now);
    this.store.save("vifs", next, SETTLED);
    return next;
  }

  private applyPeer(doc: PeerDoc, t: Transition, _now: number): PeerDoc | undefined {
    if (t.next === null) return doc;
    if (t.next === "GONE") {
      this.store.remove("peers", doc.id);
      return undefined;
    }
    const next: PeerDoc = { ...doc, status: t.next };
    if (doc.route_mode === "bgp") next.bgp_status = t.next === "ACTIVE" ? "UP" : "DOWN";
    this.store.save("peers", next, SETTLED);
    return next;
  }

  /**
   * The current state of an object: applies an overdue timed transition and, when the access is a
   * read (`count`), counts it against a read-counted transition, applying it once none are left.
   * Writes pass count=false: only reads move "after N reads" objects along.
   */
  private observeVif(row: StoredRow<VifDoc>, count = true): VifDoc | undefined {
    return this.observe(row, count, "vifs", (doc, t, now) => this.applyVif(doc, t, now));
  }

  private observePeer(row: StoredRow<PeerDoc>, count = true): PeerDoc | undefined {
    return this.observe(row, count, "peers", (doc, t, now) => this.applyPeer(doc, t, now));
  }

  private observe<T extends { id: string }>(
    row: StoredRow<T>,
    count: boolean,
    kind: "vifs" | "peers",
    apply: (doc: T, t: Transition, now: number) => T | undefined,
  ): T | undefined {
    const t = row.transition;
    if (t.next === null) return row.doc;
    const now = this.now();
    if (t.dueAt !== null) return t.dueAt <= now ? this.store.tx(() => apply(row.doc, t, now)) : row.doc;
    if (!count || t.readsLeft === null) return row.doc;
    if (t.readsLeft > 0) {
      this.store.setReadsLeft(kind, row.doc.id, t.readsLeft - 1);
      return row.doc;
    }
    return this.store.tx(() => apply(row.doc, t, now));
  }

  private render(doc: VifDoc, peers: StoredRow<PeerDoc>[]): VifDoc {
    const out: PeerDoc[] = [];
    for (const p of peers) {
      const seen = this.observePeer(p);
      if (seen) out.push(seen);
    }
    return this.answer({ ...doc, vif_peers: out });
  }

  /** An interface as the API answers it: under `huawei` without the JD model's standby fields. */
  private answer(doc: VifDoc): VifDoc {
    if (this.profile !== "huawei") return doc;
    const out: Record<string, unknown> = { ...doc };
    for (const k of NOT_IN_HUAWEI_VIF) delete out[k];
    return out as VifDoc;
  }

  // ---- read-only neighbours ----

  listConnections(projectId: string, query: ListQuery): ConnectionDoc[] {
    return this.store.listDocs<ConnectionDoc>("connections", projectId, query);
  }

  showConnection(projectId: string, id: string): ConnectionDoc {
    const doc = this.store.getDoc<ConnectionDoc>("connections", projectId, id);
    if (!doc) throw new ResourceNotFound("connection", id);
    return doc;
  }

  listGateways(projectId: string, query: ListQuery): GatewayDoc[] {
    return this.store.listDocs<GatewayDoc>("gateways", projectId, query);
  }

  showGateway(projectId: string, id: string): GatewayDoc {
    const doc = this.store.getDoc<GatewayDoc>("gateways", projectId, id);
    if (!doc) throw new ResourceNotFound("virtual gateway", id);
    return doc;
  }

  // ---- virtual interfaces ----

  /** Lists a project's interfaces (each listed interface counts as one read). */
  listVifs(projectId: string, query: ListQuery): VifDoc[] {
    const rows = this.store.list<VifDoc>("vifs", projectId, query);
    const peers = this.store.peersOfMany<PeerDoc>(rows.map((r) => r.doc.id));
    const out: VifDoc[] = [];
    for (const row of rows) {
      const doc = this.observeVif(row);
      if (doc) out.push(this.render(doc, peers.get(doc.id) ?? []));
    }
    return out;
  }

  /** One interface of the project; 404 DC.1211 when unknown, gone or another project's. */
  showVif(projectId: string, id: string): VifDoc {
    const row = this.store.get<VifDoc>("vifs", projectId, id);
    const doc = row && this.observeVif(row);
    if (!doc) throw new VirtualInterfaceNotFound(id);
    return this.render(doc, this.store.peersOf<PeerDoc>(id));
  }

  /** Creates an interface and its IPv4 peer, in PENDING_CREATE. `input` is already validated. */
  createVif(projectId: string, input: HostedVifCreate, outcome: Outcome = "normal"): VifDoc {
    return this.store.tx(() => {
      const now = this.now();
      const world = this.world(projectId);
      const issues = hostedVifCreateStatefulIssues(input, world, { profile: this.profile });
      if (issues.length > 0) throw new ValidationFailed([issues[0]]);
      const conn = this.store.getDoc<ConnectionDoc>("connections", projectId, input.direct_connect_id)!;
      const gw = this.store.getDoc<GatewayDoc>("gateways", projectId, input.vgw_id)!;
      const bandwidth = input.bandwidth ?? conn.bandwidth;

      const id = randomUUID();
      const stamp = isoNow(now);
      const vifNext = outcome === "stuck" ? null : outcome === "error" ? "ERROR" : "ACTIVE";
      const reason =
        outcome === "error" ? "Provisioning failed on the device (injected by the emulator)." : null;
      const t = schedule(this.delays.vifCreate, vifNext, now, reason);
      const doc: VifDoc = {
        id,
        name: input.name,
        description: input.description ?? "",
        tenant_id: projectId,
        direct_connect_id: conn.id,
        vgw_id: gw.id,
        type: input.type ?? "private",
        vlan: input.vlan,
        bandwidth,
        route_mode: input.route_mode,
        bgp_asn: input.bgp_asn ?? null,
        bgp_md5: input.bgp_md5 ?? null,
        remote_gateway_v4_ip: input.remote_gateway_v4_ip,
        local_gateway_v4_ip: input.local_gateway_v4_ip,
        standby_remote_gateway_v4_ip: input.standby_remote_gateway_v4_ip ?? null,
        standby_local_gateway_v4_ip: input.standby_local_gateway_v4_ip ?? null,
        remote_ep_group: input.remote_ep_group ?? [],
        status: "PENDING_CREATE",
        reason: null,
        device_id: deviceIdFor(conn.id),
        create_time: stamp,
        update_time: stamp,
        enterprise_project_id: input.enterprise_project_id ?? "0",
      };
      // Huawei's fields this contract does not use: as given, else with Huawei's defaults.
      for (const [k, v] of Object.entries({ ...HUAWEI_VIF_DEFAULTS, ...stripUndefined(input) })) {
        if (!(k in doc)) doc[k] = v;
      }
      try {
        this.store.insertVif(projectId, doc, t);
      } catch (err) {
        // The UNIQUE (direct_connect_id, vlan) constraint is the last line against a race.
        if (/UNIQUE/i.test((err as Error).message)) throw new VifVlanConflict(input.vlan, conn.id);
        throw err;
      }
      this.store.addSubnets(
        gw.id,
        id,
        [doc.remote_gateway_v4_ip, doc.standby_remote_gateway_v4_ip]
          .filter((x): x is string => typeof x === "string")
          .map((x) => formatCidr(networkOf(x))),
      );
      const peer: PeerDoc = {
        id: randomUUID(),
        tenant_id: projectId,
        name: doc.name,
        description: "",
        address_family: "ipv4",
        local_gateway_ip: doc.local_gateway_v4_ip,
        remote_gateway_ip: doc.remote_gateway_v4_ip,
        route_mode: doc.route_mode,
        bgp_asn: doc.bgp_asn,
        bgp_md5: doc.bgp_md5,
        remote_ep_group: doc.remote_ep_group,
        service_ep_group: [],
        device_id: doc.device_id as string,
        bgp_route_limit: 100,
        bgp_status: doc.route_mode === "bgp" ? "DOWN" : null,
        status: "PENDING_CREATE",
        vif_id: id,
        receive_route_num: doc.route_mode === "bgp" ? 0 : -1,
        enable_nqa: false,
        enable_bfd: false,
      };
      this.store.insertPeer(projectId, peer, t);
      // Huawei's documented create answer has `vif_peers: null` while PENDING_CREATE.
      return this.answer({ ...doc, vif_peers: this.profile === "huawei" ? null : [peer] });
    });
  }

  /** Throws 404 DC.1211 unless the project has the interface (without counting a read). */
  assertVifExists(projectId: string, id: string): void {
    if (!this.store.get<VifDoc>("vifs", projectId, id)) throw new VirtualInterfaceNotFound(id);
  }

  /** The address family of a project's peer; 404 DC.0002 when unknown. */
  peerFamily(projectId: string, id: string): "ipv4" | "ipv6" {
    const row = this.store.get<PeerDoc>("peers", projectId, id);
    if (!row) throw new ResourceNotFound("virtual interface peer", id);
    return row.doc.address_family === "ipv6" ? "ipv6" : "ipv4";
  }

  /**
   * Updates an interface; refused while it is PENDING_*. `patch` is validated for the profile:
   * jd-hosted renames or re-describes; huawei also changes bandwidth (within the connection's),
   * remote subnets, priority, the BFD/NQA toggles and, while awaiting acceptance, the status.
   */
  updateVif(projectId: string, id: string, patch: HostedVifUpdate & Record<string, unknown>): VifDoc {
    this.store.tx(() => {
      const row = this.store.get<VifDoc>("vifs", projectId, id);
      const doc = row && this.observeVif(row, false);
      if (!row || !doc) throw new VirtualInterfaceNotFound(id);
      if (isPending(doc.status)) {
        throw new AssociatedResourceAbnormal(
          `The virtual interface ${id} is ${doc.status}; try again when it settles.`,
        );
      }
      const { status, ...fields } = patch;
      if (this.profile === "huawei") {
        const issues = hostedVifUpdateStatefulIssues(patch, doc, this.world(projectId));
        if (issues.length > 0) throw new ValidationFailed([issues[0]]);
      }
      const next: VifDoc = { ...doc, ...stripUndefined(fields), update_time: isoNow(this.now()) };
      // The accepter's answer: ACCEPTED makes the interface ACTIVE, REJECTED leaves it REJECTED.
      if (status !== undefined) next.status = status === "ACCEPTED" ? "ACTIVE" : "REJECTED";
      this.store.save("vifs", next, SETTLED);
      if (Array.isArray(fields.remote_ep_group)) {
        // The interface's first IPv4 peer carries the same remote subnets (Huawei moved them there).
        for (const p of this.store.peersOf<PeerDoc>(id)) {
          if (p.doc.address_family !== "ipv4" || p.doc.remote_gateway_ip !== doc.remote_gateway_v4_ip)
            continue;
          this.store.save(
            "peers",
            { ...p.doc, remote_ep_group: fields.remote_ep_group as string[] },
            p.transition,
          );
        }
      }
    });
    return this.showVifUncounted(projectId, id);
  }

  /**
   * Applies a tags action to an interface (Huawei's BatchCreateResourceTags on `dc-vif`): create
   * adds tags and replaces the value of a key already set; delete removes the keys given (when a
   * value is given, only if it matches; an absent key is no error). At most 10 tags remain.
   */
  tagVif(projectId: string, id: string, action: TagsAction): void {
    this.store.tx(() => {
      const row = this.store.get<VifDoc>("vifs", projectId, id);
      if (!row) throw new VirtualInterfaceNotFound(id);
      const current = (Array.isArray(row.doc.tags) ? row.doc.tags : []) as { key: string; value: string }[];
      let next: { key: string; value: string }[];
      if (action.action === "create") {
        next = current.map((t) => ({ ...t }));
        for (const t of action.tags) {
          const have = next.find((x) => x.key === t.key);
          if (have) have.value = t.value ?? "";
          else next.push({ key: t.key, value: t.value ?? "" });
        }
        if (next.length > LIMITS.tagsMax) {
          throw new RequestParameterError(
            `tags: the virtual interface ${id} would hold ${next.length} tags; at most ${LIMITS.tagsMax} are allowed (it has ${current.length})`,
          );
        }
      } else {
        next = current.filter(
          (t) => !action.tags.some((d) => d.key === t.key && (d.value === undefined || d.value === t.value)),
        );
      }
      this.store.save("vifs", { ...row.doc, tags: next, update_time: isoNow(this.now()) }, row.transition);
    });
  }

  private showVifUncounted(projectId: string, id: string): VifDoc {
    const row = this.store.get<VifDoc>("vifs", projectId, id);
    if (!row) throw new VirtualInterfaceNotFound(id);
    return this.answer({ ...row.doc, vif_peers: this.store.peersOf<PeerDoc>(id).map((p) => p.doc) });
  }

  /** Starts deleting an interface (PENDING_DELETE, then gone). Repeating it while deleting is a no-op. */
  deleteVif(projectId: string, id: string, outcome: Outcome = "normal"): void {
    this.store.tx(() => {
      const row = this.store.get<VifDoc>("vifs", projectId, id);
      const doc = row && this.observeVif(row, false);
      if (!row || !doc) throw new VirtualInterfaceNotFound(id);
      if (doc.status === "PENDING_DELETE") return;
      const now = this.now();
      const next = outcome === "stuck" ? null : outcome === "error" ? "ERROR" : "GONE";
      const reason = outcome === "error" ? "Deletion failed on the device (injected by the emulator)." : null;
      this.store.save(
        "vifs",
        { ...doc, status: "PENDING_DELETE", update_time: isoNow(now) },
        schedule(this.delays.vifDelete, next, now, reason),
      );
      for (const p of this.store.peersOf<PeerDoc>(id)) {
        this.store.save("peers", { ...p.doc, status: "PENDING_DELETE" }, SETTLED);
      }
    });
  }

  // ---- peers ----

  /** Adds a peer to an ACTIVE interface (one per address family). `input` is already validated. */
  createPeer(projectId: string, input: VifPeerCreate, outcome: Outcome = "normal"): PeerDoc {
    return this.store.tx(() => {
      const now = this.now();
      const issues = vifPeerCreateStatefulIssues(input, this.world(projectId));
      if (issues.length > 0) throw new ValidationFailed([issues[0]]);
      const vif = this.store.get<VifDoc>("vifs", projectId, input.vif_id)!.doc;
      const family = input.address_family;
      const routeMode: string = input.route_mode ?? "static";
      const next = outcome === "stuck" ? null : outcome === "error" ? "ERROR" : "ACTIVE";
      const reason = outcome === "error" ? "Peer provisioning failed (injected by the emulator)." : null;
      const peer: PeerDoc = {
        ...stripUndefined(input),
        id: randomUUID(),
        tenant_id: projectId,
        name: input.name ?? "",
        description: input.description ?? "",
        address_family: family,
        local_gateway_ip: input.local_gateway_ip,
        remote_gateway_ip: input.remote_gateway_ip,
        route_mode: routeMode,
        bgp_asn: input.bgp_asn ?? null,
        bgp_md5: input.bgp_md5 ?? null,
        remote_ep_group: input.remote_ep_group ?? [],
        service_ep_group: [],
        device_id: vif.device_id as string,
        bgp_route_limit: 100,
        bgp_status: routeMode === "bgp" ? "DOWN" : null,
        status: "PENDING_CREATE",
        vif_id: vif.id,
        receive_route_num: routeMode === "bgp" ? 0 : -1,
        enable_nqa: false,
        enable_bfd: false,
      };
      this.store.insertPeer(projectId, peer, schedule(this.delays.peerCreate, next, now, reason));
      return peer;
    });
  }

  /** Changes a peer's name, description or remote subnets; refused while it or its interface is PENDING_*. */
  updatePeer(projectId: string, id: string, patch: VifPeerUpdate): PeerDoc {
    return this.store.tx(() => {
      const row = this.store.get<PeerDoc>("peers", projectId, id);
      const peer = row && this.observePeer(row, false);
      if (!peer) throw new ResourceNotFound("virtual interface peer", id);
      const vif = this.store.get<VifDoc>("vifs", projectId, peer.vif_id)?.doc;
      if (isPending(peer.status)) {
        throw new AssociatedResourceAbnormal(`The virtual interface peer ${id} is ${peer.status}.`);
      }
      if (vif && isPending(vif.status)) {
        throw new AssociatedResourceAbnormal(`The virtual interface ${vif.id} is ${vif.status}.`);
      }
      const world = this.world(projectId);
      const issues = vifPeerUpdateStatefulIssues(
        patch,
        vif && world.interface(vif.id),
        peer.address_family,
        world,
      );
      if (issues.length > 0) throw new ValidationFailed([issues[0]]);
      const next = { ...peer, ...stripUndefined(patch) };
      this.store.save("peers", next, SETTLED);
      return next;
    });
  }

  /** Starts deleting a peer; the last peer of an interface cannot be deleted. */
  deletePeer(projectId: string, id: string, outcome: Outcome = "normal"): void {
    this.store.tx(() => {
      const row = this.store.get<PeerDoc>("peers", projectId, id);
      const peer = row && this.observePeer(row, false);
      if (!peer) throw new ResourceNotFound("virtual interface peer", id);
      if (peer.status === "PENDING_DELETE") return;
      const vif = this.store.get<VifDoc>("vifs", projectId, peer.vif_id)?.doc;
      if (vif && vif.status !== "ACTIVE") {
        throw new AssociatedResourceAbnormal(`The virtual interface ${vif.id} is ${vif.status}, not ACTIVE.`);
      }
      const remaining = this.store
        .peersOf<PeerDoc>(peer.vif_id)
        .filter((p) => p.doc.id !== id && p.doc.status !== "PENDING_DELETE");
      if (remaining.length === 0) {
        throw new RequestParameterError(
          `The peer ${id} is the last peer of virtual interface ${peer.vif_id}.`,
        );
      }
      const now = this.now();
      const next = outcome === "stuck" ? null : outcome === "error" ? "ERROR" : "GONE";
      const reason = outcome === "error" ? "Peer deletion failed (injected by the emulator)." : null;
      this.store.save(
        "peers",
        { ...peer, status: "PENDING_DELETE" },
        schedule(this.delays.peerDelete, next, now, reason),
      );
    });
  }

  // ---- the world the stateful rules of api/stateful see ----

  /** The project's connections, gateways and interfaces as api/stateful sees them, from the indexes. */
  private world(projectId: string): WorldView {
    const facts = (doc: VifDoc): InterfaceFacts => ({
      id: doc.id,
      label: `virtual interface ${doc.id} ("${doc.name}")`,
      direct_connect_id: doc.direct_connect_id,
      vgw_id: doc.vgw_id,
      vlan: doc.vlan,
      status: doc.status,
      networks: interconnectNetworks(doc),
      peers: this.store.peersOf<PeerDoc>(doc.id).map((p) => ({
        address_family: p.doc.address_family,
        label: `peer ${p.doc.id}`,
      })),
    });
    const vif = (id: string | undefined): InterfaceFacts | undefined => {
      const row = id === undefined ? undefined : this.store.get<VifDoc>("vifs", projectId, id);
      const doc = row && this.observeVif(row, false);
      return doc ? facts(doc) : undefined;
    };
    return {
      connection: (id) => this.store.getDoc<ConnectionDoc>("connections", projectId, id),
      gateway: (id) => this.store.getDoc<GatewayDoc>("gateways", projectId, id),
      interface: (id) => vif(id),
      // The UNIQUE (direct_connect_id, vlan) index answers; interfaces of every project count.
      interfacesWithVlan: (connectionId, vlan) => {
        const id = this.store.findVifByVlan(connectionId, vlan);
        const row = id === undefined ? undefined : this.store.get<VifDoc>("vifs", null, id);
        return row ? [facts(row.doc)] : [];
      },
      // Interconnect networks are /30s (api/rules), and two /30s overlap only when equal, so an
      // indexed equality lookup replaces a scan of every interface on the gateway.
      interfacesOverlapping: (gatewayId, network) => {
        const ids = network.endsWith("/30")
          ? this.store.subnetHolders(gatewayId, network)
          : this.store
              .subnetsOnGateway(gatewayId)
              .filter((s) => cidrsOverlap(network, s.network))
              .map((s) => s.vif_id);
        return [...new Set(ids)].flatMap((id) => {
          const row = this.store.get<VifDoc>("vifs", null, id);
          return row ? [facts(row.doc)] : [];
        });
      },
    };
  }

  // ---- out-of-band changes (admin API, for drift tests) ----

  /** Renames an interface or peer behind the API's back. */
  oobRename(kind: "vifs" | "peers", id: string, name: string): unknown {
    return this.store.tx(() => {
      const row = this.store.get<VifDoc | PeerDoc>(kind, null, id);
      if (!row) throw notFoundOf(kind, id);
      const next: Record<string, unknown> = { ...row.doc, name };
      if (kind === "vifs") next.update_time = isoNow(this.now());
      this.store.save(kind, next as { id: string; status: string }, row.transition);
      return next;
    });
  }

  /** Sets an interface's or peer's status (and reason), cancelling any pending transition. */
  oobStatus(kind: "vifs" | "peers", id: string, status: string, reason?: string | null): unknown {
    const allowed: readonly string[] = kind === "vifs" ? VIF_STATUSES : VIF_PEER_STATUSES;
    if (!allowed.includes(status)) {
      throw new RequestParameterError(`status must be one of ${allowed.join(", ")} (got ${String(status)}).`);
    }
    return this.store.tx(() => {
      const row = this.store.get<VifDoc | PeerDoc>(kind, null, id);
      if (!row) throw notFoundOf(kind, id);
      const now = isoNow(this.now());
      const next: Record<string, unknown> = { ...row.doc, status };
      if (kind === "vifs") {
        next.update_time = now;
        next.reason = status === "ERROR" ? (reason ?? "Set to ERROR out of band.") : (reason ?? null);
        for (const p of this.store.peersOf<PeerDoc>(id)) {
          if (p.doc.route_mode !== "bgp" || isPending(p.doc.status)) continue;
          const bgp = status === "ACTIVE" ? "UP" : "DOWN";
          if (p.doc.bgp_status !== bgp) this.store.save("peers", { ...p.doc, bgp_status: bgp }, p.transition);
        }
      } else if ((row.doc as PeerDoc).route_mode === "bgp") {
        next.bgp_status = status === "ACTIVE" ? "UP" : "DOWN";
      }
      this.store.save(kind, next as { id: string; status: string }, SETTLED);
      return next;
    });
  }

  /** Deletes an interface (with its peers) or a peer at once, as if someone used the console. */
  oobDelete(kind: "vifs" | "peers", id: string): void {
    this.store.tx(() => {
      if (!this.store.get(kind, null, id)) throw notFoundOf(kind, id);
      this.store.remove(kind, id);
    });
  }

  /** Every interface (with its peers) of every project, without counting reads. */
  inventory(): { projects: { project_id: string; virtual_interfaces: VifDoc[] }[] } {
    const peers = new Map<string, PeerDoc[]>();
    for (const p of this.store.all<PeerDoc>("peers")) {
      const list = peers.get(p.doc.vif_id) ?? [];
      list.push(p.doc);
      peers.set(p.doc.vif_id, list);
    }
    const byProject = new Map<string, VifDoc[]>();
    for (const p of this.store.listProjects()) byProject.set(p.project_id, []);
    for (const v of this.store.all<VifDoc>("vifs")) {
      const list = byProject.get(v.projectId) ?? [];
      list.push({ ...v.doc, vif_peers: peers.get(v.doc.id) ?? [] });
      byProject.set(v.projectId, list);
    }
    return {
      projects: [...byProject].map(([project_id, virtual_interfaces]) => ({
        project_id,
        virtual_interfaces,
      })),
    };
  }
}

function notFoundOf(kind: "vifs" | "peers", id: string): ApiError {
  return kind === "vifs"
    ? new VirtualInterfaceNotFound(id)
    : new ResourceNotFound("virtual interface peer", id);
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && !IMMUTABLE_ON_CREATE_ONLY.has(k)) out[k] = v;
  return out as T;
}

/** A stable, made-up device address per connection (Huawei returns the access device's IP). */
function deviceIdFor(connectionId: string): string {
  let h = 0;
  for (const ch of connectionId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${h & 255}`;
}
