// The one client of the emulator's admin API (/_emulator/) for every test suite and benchmark:
// typed methods that throw on an error answer, and `request` for the tests of the admin API
// itself (its answers, whatever the status: guards, 404s, 201s).

/** One answer of the admin API. */
export interface AdminAnswer {
  status: number;
  headers: Headers;
  /** The JSON body, or undefined when there is none or it is not JSON. */
  body: any;
  text: string;
}

/** The object kinds the admin API acts on out of band. */
export type AdminKind = "virtual-interfaces" | "vif-peers";

/** Talks to the admin API of a running emulator (`token` null: sends no admin token). */
export class EmulatorAdmin {
  constructor(
    readonly url: string,
    readonly token: string | null,
  ) {}

  /**
   * One request to `/_emulator${path}` (path starts with "/"), answered whatever its status.
   * A body that is a string is sent as it is; `headers` add to (or override) the admin token.
   */
  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AdminAnswer> {
    const h: Record<string, string> = {};
    if (this.token !== null) h["X-Emulator-Admin-Token"] = this.token;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["Content-Type"] = "application/json";
    }
    const res = await fetch(`${this.url}/_emulator${path}`, {
      method,
      headers: { ...h, ...headers },
      body: payload,
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  /** A request that must succeed (2xx); its JSON body. */
  private async call(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.request(method, path, body);
    if (r.status < 200 || r.status >= 300)
      throw new Error(`${method} /_emulator${path}: HTTP ${r.status} ${r.text}`);
    return r.text ? JSON.parse(r.text) : undefined;
  }

  /** The open health route: the package's version, and more. */
  health(): Promise<{ version: string; [k: string]: unknown }> {
    return this.call("GET", "/health");
  }

  /** Back to the startup fixtures (or those given) and delays; clears faults and the request log. */
  reset(body: unknown = {}): Promise<{ reset: boolean; fixtures: string[] }> {
    return this.call("POST", "/reset", body);
  }

  /** Loads more fixtures (projects, connections, gateways). */
  loadFixtures(body: unknown): Promise<{ loaded: string[] }> {
    return this.call("POST", "/fixtures", body);
  }

  /** Every interface (with peers) of every project. */
  inventory(): Promise<{ projects: { project_id: string; virtual_interfaces: any[] }[] }> {
    return this.call("GET", "/inventory");
  }

  /** The interfaces of one project. */
  async interfaces(projectId: string): Promise<any[]> {
    const inv = await this.inventory();
    return inv.projects.find((p) => p.project_id === projectId)?.virtual_interfaces ?? [];
  }

  /** Request counts per route and method, and the recent requests. */
  requests(): Promise<{
    total: number;
    counts: { method: string; route: string; count: number }[];
    requests: any[];
  }> {
    return this.call("GET", "/requests");
  }

  /** Clears the request log. */
  clearRequests(): Promise<void> {
    return this.call("DELETE", "/requests");
  }

  /** Requests that would change cloud state (POST, PUT, DELETE outside /_emulator/ and auth). */
  async mutatingRequests(): Promise<number> {
    const { counts } = await this.requests();
    return counts
      .filter((c) => c.method !== "GET" && !c.route.startsWith("/_emulator") && !c.route.includes("/auth/"))
      .reduce((n, c) => n + c.count, 0);
  }

  /** Renames an interface or peer out of band. */
  rename(kind: AdminKind, id: string, name: string): Promise<void> {
    return this.call("POST", `/${kind}/${id}/rename`, { name });
  }

  /** Sets the status of an interface or peer out of band (ends a pending transition). */
  status(kind: AdminKind, id: string, status: string, reason?: string): Promise<void> {
    return this.call("POST", `/${kind}/${id}/status`, { status, reason });
  }

  /** Deletes an interface or peer out of band, at once. */
  remove(kind: AdminKind, id: string): Promise<void> {
    return this.call("POST", `/${kind}/${id}/delete`);
  }

  /** The provisioning and deletion delays now in force. */
  async delays(): Promise<Record<string, unknown>> {
    return (await this.call("GET", "/delays")).delays;
  }

  /** Changes provisioning and deletion delays (ms) for operations started afterwards. */
  setDelays(delays: Record<string, unknown>): Promise<void> {
    return this.call("PUT", "/delays", delays);
  }

  /** Adds fault rules (and reseeds, with `seed`); body `{ seed?, rules }`. */
  faults(body: unknown): Promise<{ added: number[]; seed: number; rules: any[] }> {
    return this.call("POST", "/faults", body);
  }

  /** Adds one fault rule (route templates as the emulator names them). */
  fault(rule: Record<string, unknown>): Promise<{ added: number[]; seed: number; rules: any[] }> {
    return this.faults({ rules: [rule] });
  }

  /** The fault rules now active (with their ids) and the seed. */
  faultsList(): Promise<{ seed: number; rules: any[] }> {
    return this.call("GET", "/faults");
  }

  /** Clears fault rules. */
  clearFaults(): Promise<void> {
    return this.call("DELETE", "/faults");
  }

  /** The console's state document (query: "?status=503", ...). */
  consoleState(query = ""): Promise<any> {
    return this.call("GET", `/console/state${query}`);
  }
}
