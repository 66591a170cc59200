// A small client of the emulator's admin API (/_emulator/) for tests and benchmarks.

/** Talks to the admin API of a running emulator. */
export class EmulatorAdmin {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  private async call(method: string, pathname: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.url}${pathname}`, {
      method,
      headers: { "x-emulator-admin-token": this.token, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${pathname}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Every interface (with peers) of every project. */
  inventory(): Promise<{ projects: { project_id: string; virtual_interfaces: any[] }[] }> {
    return this.call("GET", "/_emulator/inventory");
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
    return this.call("GET", "/_emulator/requests");
  }

  /** Clears the request log. */
  clearRequests(): Promise<void> {
    return this.call("DELETE", "/_emulator/requests");
  }

  /** Requests that would change cloud state (POST, PUT, DELETE outside /_emulator/ and auth). */
  async mutatingRequests(): Promise<number> {
    const { counts } = await this.requests();
    return counts
      .filter((c) => c.method !== "GET" && !c.route.startsWith("/_emulator") && !c.route.includes("/auth/"))
      .reduce((n, c) => n + c.count, 0);
  }

  /** Renames an interface or peer out of band. */
  rename(kind: "virtual-interfaces" | "vif-peers", id: string, name: string): Promise<void> {
    return this.call("POST", `/_emulator/${kind}/${id}/rename`, { name });
  }

  /** Sets the status of an interface or peer out of band (ends a pending transition). */
  status(
    kind: "virtual-interfaces" | "vif-peers",
    id: string,
    status: string,
    reason?: string,
  ): Promise<void> {
    return this.call("POST", `/_emulator/${kind}/${id}/status`, { status, reason });
  }

  /** Deletes an interface or peer out of band, at once. */
  remove(kind: "virtual-interfaces" | "vif-peers", id: string): Promise<void> {
    return this.call("POST", `/_emulator/${kind}/${id}/delete`);
  }

  /** Changes provisioning and deletion delays (ms) for operations started afterwards. */
  setDelays(delays: Record<string, number>): Promise<void> {
    return this.call("PUT", "/_emulator/delays", delays);
  }

  /** Sets fault rules. */
  faults(body: unknown): Promise<void> {
    return this.call("POST", "/_emulator/faults", body);
  }

  /** The fault rules now active (with their ids) and the seed. */
  faultsList(): Promise<{ seed: number; rules: any[] }> {
    return this.call("GET", "/_emulator/faults");
  }

  /** Clears fault rules. */
  clearFaults(): Promise<void> {
    return this.call("DELETE", "/_emulator/faults");
  }
}
