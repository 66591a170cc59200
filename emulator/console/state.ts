/**
 * What the console shows, as one JSON document: per project its hosted connections, gateways and
 * interfaces with their peers, plus the request log, the faults and the delays. Fields are copied
 * one by one from the stored documents, so a BGP key never leaves the server (only whether one
 * is set), nor any credential.
 */
import type { Backend, ConnectionDoc, GatewayDoc, PeerDoc, VifDoc } from "../backend";
import type { FaultRule, Faults } from "../faults";
import type { Delays } from "../lifecycle";
import type { RequestLog, RequestLogEntry } from "../server";
import type { Transition } from "../store";

/** A pending transition as the console shows it (an object in PENDING_* without one is held there). */
export interface ConsolePending {
  /** The status it reaches ("GONE" for a deletion). */
  next: string;
  /** Milliseconds until it applies (timed), or null. */
  due_in_ms: number | null;
  /** Reads left before it applies (read-counted), or null. */
  reads_left: number | null;
}

/** A peer as the console shows it (no BGP key). */
export interface ConsolePeer {
  id: string;
  name: string;
  address_family: string;
  status: string;
  /** Epoch ms since which the status has held, when known. */
  since: number | null;
  pending: ConsolePending | null;
  local_gateway_ip: string;
  remote_gateway_ip: string;
  route_mode: string;
  bgp_asn: number | null;
  /** Whether a BGP key is set; the key itself is never sent. */
  bgp_key_set: boolean;
  bgp_status: string | null;
  receive_route_num: number;
  remote_ep_group: string[];
}

/** An interface as the console shows it (no BGP key). */
export interface ConsoleInterface {
  id: string;
  name: string;
  description: string;
  status: string;
  reason: string | null;
  since: number | null;
  pending: ConsolePending | null;
  vlan: number;
  bandwidth: number;
  direct_connect_id: string;
  vgw_id: string;
  route_mode: string;
  bgp_asn: number | null;
  bgp_key_set: boolean;
  local_gateway_v4_ip: string;
  remote_gateway_v4_ip: string;
  remote_ep_group: string[];
  peers: ConsolePeer[];
}

/** One project's objects. */
export interface ConsoleProject {
  project_id: string;
  project_name: string;
  connections: {
    id: string;
    name: string;
    type: string;
    status: string;
    bandwidth: number;
    location: unknown;
  }[];
  gateways: {
    id: string;
    name: string;
    status: string;
    vpc_id: string;
    local_ep_group: string[];
    bgp_asn: number;
  }[];
  interfaces: ConsoleInterface[];
}

/** A request log entry with the fault rules that fired on it, described. */
export interface ConsoleRequest extends RequestLogEntry {
  fault_rules?: (FaultRule | { id: number })[];
}

/** The whole document of GET /_emulator/console/state. */
export interface ConsoleState {
  now: number;
  version: string;
  projects: ConsoleProject[];
  requests: {
    /** Requests since the last reset or clear (the log keeps only the newest `kept`). */
    total: number;
    /** Entries kept in the log. */
    kept: number;
    /** Entries kept in the log that match the filter. */
    matched: number;
    /** The page size asked for (the filter's limit, or the default). */
    limit: number;
    /** The newest matching entries, newest first (at most `limit`). */
    entries: ConsoleRequest[];
    /** Route templates present in the log, for the filter. */
    routes: string[];
    /** Methods present in the log, for the filter. */
    methods: string[];
  };
  faults: { seed: number; rules: FaultRule[] };
  delays: Delays;
  /** Cloud and IAM routes (method and template), for the fault form. */
  routes: { method: string; template: string }[];
}

/**
 * Filter of the request log: method, exact route template, status (e.g. "503", "5xx", "0"),
 * faulted only, object id (a part of an id, in the path or recorded with the entry), and how many
 * of the newest matching entries to send (the page grows by "Show older").
 */
export interface RequestFilter {
  method?: string;
  route?: string;
  status?: string;
  faulted?: boolean;
  object?: string;
  limit?: number;
}

/** Entries sent when the filter names no limit: one page of the console's log. */
export const DEFAULT_LOG_PAGE = 25;
/** The most entries one state document carries (the log keeps 1000). */
export const MAX_LOG_PAGE = 1000;

const ROW_LIMIT = 1000;

function pendingOf(t: Transition, now: number): ConsolePending | null {
  if (t.next === null) return null;
  return {
    next: t.next,
    due_in_ms: t.dueAt === null ? null : Math.max(0, t.dueAt - now),
    reads_left: t.readsLeft,
  };
}

/**
 * Whether a log entry is about an object: its path, the id a create returned, the interface a
 * peer was created in, or an id whose status a read returned contains `id` (any case).
 */
function mentions(e: RequestLogEntry, id: string): boolean {
  const want = id.trim().toLowerCase();
  if (!want) return true;
  const ids = [e.path, e.created_id, e.created_in, ...Object.keys(e.seen ?? {})];
  return ids.some((x) => typeof x === "string" && x.toLowerCase().includes(want));
}

/** The page size a filter asks for, within 1 and MAX_LOG_PAGE. */
export function pageSize(f: RequestFilter): number {
  const n = f.limit === undefined || !Number.isFinite(f.limit) ? DEFAULT_LOG_PAGE : Math.floor(f.limit);
  return Math.min(Math.max(n, 1), MAX_LOG_PAGE);
}

/** Whether a log entry passes a filter. */
export function matchesFilter(e: RequestLogEntry, f: RequestFilter): boolean {
  if (f.method && e.method !== f.method.toUpperCase()) return false;
  if (f.object && !mentions(e, f.object)) return false;
  if (f.route && (e.route ?? "(no route)") !== f.route) return false;
  if (f.faulted && !(e.faults && e.faults.length)) return false;
  if (f.status) {
    const m = /^([0-9])xx$/i.exec(f.status);
    if (m) {
      if (Math.floor(e.status / 100) !== Number(m[1])) return false;
    } else if (String(e.status) !== f.status) return false;
  }
  return true;
}

/**
 * Remembers since when each object has had its status (the documents carry no such time for
 * peers, and an interface's update_time also moves on a rename).
 */
export class StatusClock {
  private readonly seen = new Map<string, { status: string; since: number | null }>();

  /** Since when `id` has been `status`: `initial` when first seen, the observation time on a change. */
  since(id: string, status: string, now: number, initial: number | null): number | null {
    const s = this.seen.get(id);
    if (s && s.status === status) return s.since;
    const since = s ? now : initial;
    this.seen.set(id, { status, since });
    return since;
  }

  /** Forgets objects that no longer exist. */
  keepOnly(ids: Set<string>): void {
    for (const id of this.seen.keys()) if (!ids.has(id)) this.seen.delete(id);
  }
}

/** What the state is built from. */
export interface ConsoleStateDeps {
  backend: Backend;
  faults: Faults;
  requestLog: RequestLog;
  version: string;
  routes: () => { method: string; template: string }[];
  clock: StatusClock;
}

function isoMs(v: unknown): number | null {
  if (typeof v !== "string") return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/** Builds the console's document: applies due transitions first, so it shows what the API would answer. */
export function consoleState(deps: ConsoleStateDeps, filter: RequestFilter): ConsoleState {
  const { backend, faults, requestLog, clock } = deps;
  backend.settle();
  const store = backend.store;
  const now = backend.now();
  const ids = new Set<string>();

  const peersByVif = new Map<string, ConsolePeer[]>();
  for (const row of store.all<PeerDoc>("peers")) {
    const p = row.doc;
    ids.add(p.id);
    const list = peersByVif.get(p.vif_id) ?? [];
    list.push({
      id: p.id,
      name: p.name,
      address_family: p.address_family,
      status: p.status,
      since: clock.since(p.id, p.status, now, null),
      pending: pendingOf(row.transition, now),
      local_gateway_ip: p.local_gateway_ip,
      remote_gateway_ip: p.remote_gateway_ip,
      route_mode: p.route_mode,
      bgp_asn: p.bgp_asn,
      bgp_key_set: typeof p.bgp_md5 === "string" && p.bgp_md5.length > 0,
      bgp_status: p.bgp_status,
      receive_route_num: p.receive_route_num,
      remote_ep_group: [...(p.remote_ep_group ?? [])],
    });
    peersByVif.set(p.vif_id, list);
  }

  const vifsByProject = new Map<string, ConsoleInterface[]>();
  for (const row of store.all<VifDoc>("vifs")) {
    const v = row.doc;
    ids.add(v.id);
    const list = vifsByProject.get(row.projectId) ?? [];
    list.push({
      id: v.id,
      name: v.name,
      description: v.description,
      status: v.status,
      reason: v.reason,
      since: clock.since(v.id, v.status, now, isoMs(v.update_time) ?? isoMs(v.create_time)),
      pending: pendingOf(row.transition, now),
      vlan: v.vlan,
      bandwidth: v.bandwidth,
      direct_connect_id: v.direct_connect_id,
      vgw_id: v.vgw_id,
      route_mode: v.route_mode,
      bgp_asn: v.bgp_asn,
      bgp_key_set: typeof v.bgp_md5 === "string" && v.bgp_md5.length > 0,
      local_gateway_v4_ip: v.local_gateway_v4_ip,
      remote_gateway_v4_ip: v.remote_gateway_v4_ip,
      remote_ep_group: [...(v.remote_ep_group ?? [])],
      peers: peersByVif.get(v.id) ?? [],
    });
    vifsByProject.set(row.projectId, list);
  }
  clock.keepOnly(ids);

  const projects: ConsoleProject[] = store.listProjects().map((p) => ({
    project_id: p.project_id,
    project_name: p.project_name,
    connections: store
      .listDocs<ConnectionDoc>("connections", p.project_id, { limit: ROW_LIMIT })
      .map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        status: c.status,
        bandwidth: c.bandwidth,
        location: c.location ?? null,
      })),
    gateways: store.listDocs<GatewayDoc>("gateways", p.project_id, { limit: ROW_LIMIT }).map((g) => ({
      id: g.id,
      name: String(g.name ?? ""),
      status: String(g.status ?? ""),
      vpc_id: g.vpc_id,
      local_ep_group: [...g.local_ep_group],
      bgp_asn: g.bgp_asn,
    })),
    interfaces: (vifsByProject.get(p.project_id) ?? []).sort(
      (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    ),
  }));

  const log = requestLog.snapshot();
  const limit = pageSize(filter);
  const matching = log.requests.filter((e) => matchesFilter(e, filter));
  const entries: ConsoleRequest[] = matching
    .slice(-limit)
    .reverse()
    .map((e) =>
      e.faults && e.faults.length
        ? { ...e, fault_rules: e.faults.map((id) => faults.described(id) ?? { id }) }
        : { ...e },
    );
  const routes = [...new Set(log.requests.map((e) => e.route ?? "(no route)"))].sort();
  const methods = [...new Set(log.requests.map((e) => e.method))].sort();

  return {
    now,
    version: deps.version,
    projects,
    requests: {
      total: log.total,
      kept: log.requests.length,
      matched: matching.length,
      limit,
      entries,
      routes,
      methods,
    },
    faults: faults.list(),
    delays: backend.delays,
    routes: deps.routes(),
  };
}
