/**
 * The emulator's persistence: SQLite through node:sqlite, WAL with synchronous=FULL so that a
 * committed write survives kill -9. The store knows tables and rows, never HTTP or API rules.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** A pending lifecycle transition stored with its object (data, not a timer). */
export interface Transition {
  /** Epoch ms at which the transition becomes due, or null when it is counted in reads. */
  dueAt: number | null;
  /** Reads left before the transition applies, or null when it is timed. */
  readsLeft: number | null;
  /** The status reached, or "GONE" for a deletion; null for an object stuck in PENDING_*. */
  next: string | null;
  /** The reason recorded with an ERROR outcome. */
  reason: string | null;
}

/** A stored row: the object's document plus its lifecycle columns. */
export interface StoredRow<T> {
  doc: T;
  transition: Transition;
}

/** A project with its credentials. */
export interface ProjectRow {
  project_id: string;
  project_name: string;
  domain_name: string;
  username: string;
  password: string;
  access_key: string | null;
  secret_key: string | null;
}

/** Paging and filters for a list query; filters are column -> allowed values. */
export interface ListQuery {
  marker?: string;
  limit: number;
  filters?: Record<string, string[]>;
}

type Kind = "vifs" | "peers";
const FILTER_COLUMNS: Record<string, ReadonlySet<string>> = {
  vifs: new Set(["id", "status", "direct_connect_id", "vgw_id", "enterprise_project_id"]),
  peers: new Set(["id", "vif_id", "status"]),
  connections: new Set(["id", "name"]),
  gateways: new Set(["id", "vpc_id"]),
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
  project_id TEXT PRIMARY KEY, project_name TEXT NOT NULL, domain_name TEXT NOT NULL,
  username TEXT NOT NULL, password TEXT NOT NULL, access_key TEXT UNIQUE, secret_key TEXT);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, project_id TEXT NOT NULL, expires_at INTEGER);
CREATE TABLE IF NOT EXISTS connections (
  id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gateways (
  id TEXT PRIMARY KEY, project_id TEXT NOT NULL, vpc_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vifs (
  id TEXT PRIMARY KEY, project_id TEXT NOT NULL, direct_connect_id TEXT NOT NULL,
  vgw_id TEXT NOT NULL, vlan INTEGER NOT NULL, status TEXT NOT NULL,
  due_at INTEGER, reads_left INTEGER, next_status TEXT, next_reason TEXT, doc TEXT NOT NULL,
  UNIQUE (direct_connect_id, vlan));
CREATE INDEX IF NOT EXISTS vifs_project ON vifs (project_id, id);
CREATE INDEX IF NOT EXISTS vifs_gateway ON vifs (vgw_id);
CREATE INDEX IF NOT EXISTS vifs_due ON vifs (due_at) WHERE due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS vif_subnets (
  vgw_id TEXT NOT NULL, network TEXT NOT NULL, vif_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS vif_subnets_net ON vif_subnets (vgw_id, network);
CREATE INDEX IF NOT EXISTS vif_subnets_vif ON vif_subnets (vif_id);
CREATE TABLE IF NOT EXISTS peers (
  id TEXT PRIMARY KEY, project_id TEXT NOT NULL, vif_id TEXT NOT NULL, address_family TEXT NOT NULL,
  status TEXT NOT NULL, seq INTEGER NOT NULL,
  due_at INTEGER, reads_left INTEGER, next_status TEXT, next_reason TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS peers_vif ON peers (vif_id, seq);
CREATE INDEX IF NOT EXISTS peers_due ON peers (due_at) WHERE due_at IS NOT NULL;
`;

/** SQLite-backed storage of projects, credentials, fixtures' neighbours, interfaces and peers. */
export class Store {
  private readonly db: DatabaseSync;
  private readonly stmts = new Map<string, StatementSync>();
  private depth = 0;
  private peerSeq = 0;

  constructor(readonly path: string) {
    this.db = new DatabaseSync(path, { timeout: 5000 });
    if (path !== ":memory:") this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;");
    this.db.exec(SCHEMA);
    const row = this.q("SELECT COALESCE(MAX(seq), 0) AS m FROM peers").get() as { m: number };
    this.peerSeq = Number(row.m);
  }

  /** Closes the database; committed data is already durable. */
  close(): void {
    this.db.close();
  }

  /** Runs fn in one IMMEDIATE transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec("BEGIN IMMEDIATE");
    this.depth++;
    try {
      const out = fn();
      this.depth--;
      this.db.exec("COMMIT");
      return out;
    } catch (err) {
      this.depth--;
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  private q(sql: string): StatementSync {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** True when the database holds no project yet (fixtures load only then). */
  isEmpty(): boolean {
    return (this.q("SELECT COUNT(*) AS n FROM projects").get() as { n: number }).n === 0;
  }

  /** Deletes every row of every table. */
  wipe(): void {
    this.tx(() => {
      for (const t of [
        "meta",
        "projects",
        "tokens",
        "connections",
        "gateways",
        "vifs",
        "peers",
        "vif_subnets",
      ]) {
        this.db.exec(`DELETE FROM ${t}`);
      }
    });
  }

  getMeta(key: string): string | undefined {
    const row = this.q("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.q(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(key, value);
  }

  // ---- projects and credentials ----

  putProject(p: ProjectRow): void {
    this.q(
      `INSERT OR REPLACE INTO projects (project_id, project_name, domain_name, username, password, access_key, secret_key)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.project_id, p.project_name, p.domain_name, p.username, p.password, p.access_key, p.secret_key);
  }

  getProject(projectId: string): ProjectRow | undefined {
    return this.q("SELECT * FROM projects WHERE project_id = ?").get(projectId) as ProjectRow | undefined;
  }

  listProjects(): ProjectRow[] {
    return this.q("SELECT * FROM projects ORDER BY project_id").all() as unknown as ProjectRow[];
  }

  findProjectByAccessKey(ak: string): ProjectRow | undefined {
    return this.q("SELECT * FROM projects WHERE access_key = ?").get(ak) as ProjectRow | undefined;
  }

  findProjectsByUser(domainName: string, username: string): ProjectRow[] {
    return this.q("SELECT * FROM projects WHERE domain_name = ? AND username = ?").all(
      domainName,
      username,
    ) as unknown as ProjectRow[];
  }

  putToken(token: string, projectId: string, expiresAt: number | null): void {
    this.q("INSERT OR REPLACE INTO tokens (token, project_id, expires_at) VALUES (?, ?, ?)").run(
      token,
      projectId,
      expiresAt,
    );
  }

  getToken(token: string): { project_id: string; expires_at: number | null } | undefined {
    return this.q("SELECT project_id, expires_at FROM tokens WHERE token = ?").get(token) as
      { project_id: string; expires_at: number | null } | undefined;
  }

  // ---- read-only neighbours ----

  putConnection(projectId: string, doc: { id: string; name: string; [k: string]: unknown }): void {
    this.q("INSERT OR REPLACE INTO connections (id, project_id, name, doc) VALUES (?, ?, ?, ?)").run(
      doc.id,
      projectId,
      doc.name,
      JSON.stringify(doc),
    );
  }

  putGateway(projectId: string, doc: { id: string; vpc_id: string; [k: string]: unknown }): void {
    this.q("INSERT OR REPLACE INTO gateways (id, project_id, vpc_id, doc) VALUES (?, ?, ?, ?)").run(
      doc.id,
      projectId,
      doc.vpc_id,
      JSON.stringify(doc),
    );
  }

  getDoc<T>(table: "connections" | "gateways", projectId: string, id: string): T | undefined {
    const row = this.q(`SELECT doc FROM ${table} WHERE project_id = ? AND id = ?`).get(projectId, id) as
      { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  listDocs<T>(table: "connections" | "gateways", projectId: string, query: ListQuery): T[] {
    const { sql, params } = this.listSql(table, "doc", projectId, query);
    return (this.q(sql).all(...params) as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);
  }

  // ---- virtual interfaces and peers ----

  insertVif(projectId: string, doc: VifDocCore, t: Transition): void {
    this.q(
      `INSERT INTO vifs (id, project_id, direct_connect_id, vgw_id, vlan, status, due_at, reads_left, next_status, next_reason, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      doc.id,
      projectId,
      doc.direct_connect_id,
      doc.vgw_id,
      doc.vlan,
      doc.status,
      t.dueAt,
      t.readsLeft,
      t.next,
      t.reason,
      JSON.stringify(doc),
    );
  }

  insertPeer(projectId: string, doc: PeerDocCore, t: Transition): void {
    this.q(
      `INSERT INTO peers (id, project_id, vif_id, address_family, status, seq, due_at, reads_left, next_status, next_reason, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      doc.id,
      projectId,
      doc.vif_id,
      doc.address_family,
      doc.status,
      ++this.peerSeq,
      t.dueAt,
      t.readsLeft,
      t.next,
      t.reason,
      JSON.stringify(doc),
    );
  }

  /** Rewrites an object's document, status and transition. */
  save(kind: Kind, doc: { id: string; status: string; [k: string]: unknown }, t: Transition): void {
    this.q(
      `UPDATE ${kind} SET status = ?, due_at = ?, reads_left = ?, next_status = ?, next_reason = ?, doc = ? WHERE id = ?`,
    ).run(doc.status, t.dueAt, t.readsLeft, t.next, t.reason, JSON.stringify(doc), doc.id);
  }

  /** Counts one read against a reads-based transition. */
  setReadsLeft(kind: Kind, id: string, readsLeft: number): void {
    this.q(`UPDATE ${kind} SET reads_left = ? WHERE id = ?`).run(readsLeft, id);
  }

  remove(kind: Kind, id: string): void {
    this.q(`DELETE FROM ${kind} WHERE id = ?`).run(id);
    if (kind === "vifs") {
      this.q("DELETE FROM peers WHERE vif_id = ?").run(id);
      this.q("DELETE FROM vif_subnets WHERE vif_id = ?").run(id);
    }
  }

  /** One object of a project (or of any project when projectId is null). */
  get<T>(
    kind: Kind,
    projectId: string | null,
    id: string,
  ): (StoredRow<T> & { projectId: string }) | undefined {
    const row = (
      projectId === null
        ? this.q(`SELECT * FROM ${kind} WHERE id = ?`).get(id)
        : this.q(`SELECT * FROM ${kind} WHERE project_id = ? AND id = ?`).get(projectId, id)
    ) as RawRow | undefined;
    return row ? { ...toStored<T>(row), projectId: row.project_id } : undefined;
  }

  list<T>(kind: Kind, projectId: string, query: ListQuery): StoredRow<T>[] {
    const { sql, params } = this.listSql(kind, "*", projectId, query);
    return (this.q(sql).all(...params) as unknown as RawRow[]).map((r) => toStored<T>(r));
  }

  /** Every object of a kind, for the admin inventory. */
  all<T>(kind: Kind): (StoredRow<T> & { projectId: string })[] {
    return (this.q(`SELECT * FROM ${kind} ORDER BY project_id, id`).all() as unknown as RawRow[]).map(
      (r) => ({
        ...toStored<T>(r),
        projectId: r.project_id,
      }),
    );
  }

  peersOf<T>(vifId: string): StoredRow<T>[] {
    return (
      this.q("SELECT * FROM peers WHERE vif_id = ? ORDER BY seq").all(vifId) as unknown as RawRow[]
    ).map((r) => toStored<T>(r));
  }

  /** The peers of several interfaces at once, in creation order. */
  peersOfMany<T>(vifIds: string[]): Map<string, StoredRow<T>[]> {
    const out = new Map<string, StoredRow<T>[]>();
    for (let i = 0; i < vifIds.length; i += 500) {
      const chunk = vifIds.slice(i, i + 500);
      const sql = `SELECT * FROM peers WHERE vif_id IN (${chunk.map(() => "?").join(",")}) ORDER BY seq`;
      for (const r of this.q(sql).all(...chunk) as unknown as RawRow[]) {
        const list = out.get(r.vif_id as string) ?? [];
        list.push(toStored<T>(r));
        out.set(r.vif_id as string, list);
      }
    }
    return out;
  }

  findVifByVlan(directConnectId: string, vlan: number): string | undefined {
    const row = this.q("SELECT id FROM vifs WHERE direct_connect_id = ? AND vlan = ?").get(
      directConnectId,
      vlan,
    ) as { id: string } | undefined;
    return row?.id;
  }

  /** Records the interconnect networks (canonical CIDR text) an interface holds on a gateway. */
  addSubnets(vgwId: string, vifId: string, networks: string[]): void {
    for (const n of networks)
      this.q("INSERT INTO vif_subnets (vgw_id, network, vif_id) VALUES (?, ?, ?)").run(vgwId, n, vifId);
  }

  /** The interface holding exactly this interconnect network on the gateway, if any. */
  subnetHolder(vgwId: string, network: string): string | undefined {
    const row = this.q("SELECT vif_id FROM vif_subnets WHERE vgw_id = ? AND network = ? LIMIT 1").get(
      vgwId,
      network,
    ) as { vif_id: string } | undefined;
    return row?.vif_id;
  }

  /** Every interface holding exactly this interconnect network on the gateway. */
  subnetHolders(vgwId: string, network: string): string[] {
    return (
      this.q("SELECT vif_id FROM vif_subnets WHERE vgw_id = ? AND network = ?").all(vgwId, network) as {
        vif_id: string;
      }[]
    ).map((r) => r.vif_id);
  }

  /** Every interconnect network on a gateway (used for networks that are not /30s). */
  subnetsOnGateway(vgwId: string): { network: string; vif_id: string }[] {
    return this.q("SELECT network, vif_id FROM vif_subnets WHERE vgw_id = ?").all(vgwId) as unknown as {
      network: string;
      vif_id: string;
    }[];
  }

  /** Ids of objects whose timed transition is due at `now`. */
  dueIds(kind: Kind, now: number): string[] {
    return (
      this.q(`SELECT id FROM ${kind} WHERE due_at IS NOT NULL AND due_at <= ?`).all(now) as { id: string }[]
    ).map((r) => r.id);
  }

  count(kind: Kind): number {
    return (this.q(`SELECT COUNT(*) AS n FROM ${kind}`).get() as { n: number }).n;
  }

  private listSql(
    table: string,
    cols: string,
    projectId: string,
    query: ListQuery,
  ): { sql: string; params: (string | number)[] } {
    const where = ["project_id = ?"];
    const params: (string | number)[] = [projectId];
    if (query.marker) {
      where.push("id > ?");
      params.push(query.marker);
    }
    const allowed = FILTER_COLUMNS[table];
    for (const [col, values] of Object.entries(query.filters ?? {})) {
      if (!allowed.has(col)) throw new Error(`no filter column ${col} on ${table}`);
      if (values.length === 0) continue;
      // Filters that are no column of their own are read from the stored document.
      const expr = col === "enterprise_project_id" ? "json_extract(doc, '$.enterprise_project_id')" : col;
      where.push(`${expr} IN (${values.map(() => "?").join(",")})`);
      params.push(...values);
    }
    params.push(query.limit);
    return { sql: `SELECT ${cols} FROM ${table} WHERE ${where.join(" AND ")} ORDER BY id LIMIT ?`, params };
  }
}

/** The columns the store indexes from an interface document. */
export interface VifDocCore {
  id: string;
  direct_connect_id: string;
  vgw_id: string;
  vlan: number;
  status: string;
}

/** The columns the store indexes from a peer document. */
export interface PeerDocCore {
  id: string;
  vif_id: string;
  address_family: string;
  status: string;
}

type RawRow = Record<string, unknown> & {
  project_id: string;
  doc: string;
  due_at: number | null;
  reads_left: number | null;
  next_status: string | null;
  next_reason: string | null;
};

function toStored<T>(r: RawRow): StoredRow<T> {
  return {
    doc: JSON.parse(r.doc) as T,
    transition: {
      dueAt: r.due_at === null ? null : Number(r.due_at),
      readsLeft: r.reads_left === null ? null : Number(r.reads_left),
      next: r.next_status,
      reason: r.next_reason,
    },
  };
}
