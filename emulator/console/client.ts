/// <reference lib="dom" />
/**
 * The console's browser script. `consoleClient` runs in the page, never in Node: the server sends
 * its compiled source (Function.prototype.toString) as /_emulator/console/console.js, so it must
 * not use anything from outside its own body. It polls the state every 700 ms, renders it with
 * DOM calls only (text, never HTML, so names cannot inject markup), and sends each action to the
 * admin API with the session's CSRF token, showing the request as a copyable curl command.
 */

/** The page's script; the server serves `(${consoleClient})(SECRET_NAME_RE.source)` (api/secrets.ts). */
export function consoleClient(secretNames: string): void {
  const SECRET_NAMES = new RegExp(secretNames, "i");
  const POLL_MS = 700;
  /** Requests per page of the log: shown at first, and added by each "Show older". */
  const LOG_PAGE = 25;
  const LOG_MAX = 1000;
  const COLLAPSED_KEY = "dcaas-console:log-collapsed";
  const csrf = (document.querySelector('meta[name="csrf-token"]') as HTMLMetaElement).content;
  const $ = <T extends HTMLElement>(id: string): T => {
    const e = document.getElementById(id);
    if (!e) throw new Error(`console: #${id} is missing`);
    return e as T;
  };

  type Pending = { next: string; due_in_ms: number | null; reads_left: number | null } | null;
  type Peer = {
    id: string;
    name: string;
    address_family: string;
    status: string;
    since: number | null;
    pending: Pending;
    local_gateway_ip: string;
    remote_gateway_ip: string;
    route_mode: string;
    bgp_asn: number | null;
    bgp_key_set: boolean;
    bgp_status: string | null;
    receive_route_num: number;
    remote_ep_group: string[];
  };
  type Vif = Omit<Peer, "address_family" | "local_gateway_ip" | "remote_gateway_ip" | "bgp_status"> & {
    description: string;
    reason: string | null;
    vlan: number;
    bandwidth: number;
    local_gateway_v4_ip: string;
    remote_gateway_v4_ip: string;
    peers: Peer[];
  };
  type Rule = {
    id: number;
    method: string;
    route: string;
    kind: string;
    rate?: number;
    times?: number | null;
    code?: string;
    status?: number;
    retryAfter?: number;
    minMs?: number;
    maxMs?: number;
  };
  type Entry = {
    time: string;
    request_id: string;
    method: string;
    path: string;
    route: string | null;
    status: number;
    duration_ms: number;
    created_id?: string;
    fault_rules?: Rule[];
  };
  type Project = {
    project_id: string;
    project_name: string;
    connections: { id: string; name: string; status: string; bandwidth: number }[];
    gateways: { id: string; name: string; status: string; local_ep_group: string[]; bgp_asn: number }[];
    interfaces: Vif[];
  };
  type State = {
    now: number;
    projects: Project[];
    requests: {
      total: number;
      kept: number;
      matched: number;
      limit: number;
      entries: Entry[];
      routes: string[];
      methods: string[];
    };
    faults: { seed: number; rules: Rule[] };
    delays: Record<string, unknown>;
    routes: { method: string; template: string }[];
  };

  let state: State | undefined;
  let project = "";
  let target = "";
  /** How many of the newest matching requests the log shows; "Show older" adds a page. */
  let logLimit = LOG_PAGE;
  const rendered: Record<string, string> = {};

  // ---- small DOM helpers ----

  function el(
    tag: string,
    attrs: Record<string, string> = {},
    ...kids: (Node | string | null)[]
  ): HTMLElement {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") e.className = v;
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null) e.append(k);
    return e;
  }

  /** An id shortened for the tables; the full id is in the title and in each admin request. */
  function shortId(id: string): HTMLElement {
    return el("span", { class: "id mono", title: id }, id.length > 13 ? `${id.slice(0, 8)}…` : id);
  }

  function routing(mode: string, asn: number | null): string {
    return asn === null ? mode : `${mode} · AS ${asn}`;
  }

  function badge(status: string | null): HTMLElement {
    const s = status ?? "—";
    const cls =
      s === "ACTIVE" || s === "UP"
        ? "s-ok"
        : s.startsWith("PENDING_") || s === "BUILD"
          ? "s-wait"
          : s === "DOWN" || s === "ERROR"
            ? "s-bad"
            : "s-none";
    return el("span", { class: `badge ${cls}`, "data-status": s }, s);
  }

  function age(since: number | null, now: number): string {
    if (since === null) return "";
    const s = Math.max(0, Math.round((now - since) / 1000));
    if (s < 90) return `for ${s} s`;
    if (s < 5400) return `for ${Math.round(s / 60)} min`;
    return `for ${Math.round(s / 3600)} h`;
  }

  function pendingText(status: string, p: Pending): string {
    if (!p) return status.startsWith("PENDING_") ? "held (no transition)" : "";
    const to = p.next === "GONE" ? "gone" : p.next;
    if (p.due_in_ms !== null) return `→ ${to} in ${(p.due_in_ms / 1000).toFixed(1)} s`;
    return `→ ${to} after ${p.reads_left} read(s)`;
  }

  function statusCell(
    o: { status: string; since: number | null; pending: Pending },
    now: number,
    reason?: string | null,
  ) {
    return el(
      "td",
      {},
      badge(o.status),
      el("span", { class: "age" }, age(o.since, now)),
      pendingText(o.status, o.pending)
        ? el("span", { class: "detail" }, pendingText(o.status, o.pending))
        : null,
      reason ? el("span", { class: "detail" }, reason) : null,
    );
  }

  /** The routing cell: mode and ASN, whether a BGP key is set (never the key itself). */
  function routingCell(mode: string, asn: number | null, keySet: boolean): HTMLElement {
    return el(
      "td",
      { class: "nowrap" },
      routing(mode, asn),
      mode === "bgp"
        ? el(
            "span",
            { class: "detail" },
            "key ",
            keySet ? el("span", { class: "masked", "aria-label": "set (hidden)" }, "••••••") : "none",
          )
        : null,
    );
  }

  function addressCell(remote: string, local: string, subnets: string[]): HTMLElement {
    return el(
      "td",
      { class: "mono" },
      el("span", { class: "nowrap" }, `${remote} / ${local}`),
      subnets.length ? el("span", { class: "detail" }, `remote subnets ${subnets.join(", ")}`) : null,
    );
  }

  /** Replaces a tbody's rows, keeping keyboard focus on the element with the same data-key. */
  function replaceRows(tbody: HTMLElement, rows: HTMLElement[]): void {
    const active = document.activeElement as HTMLElement | null;
    const key = active && tbody.contains(active) ? active.getAttribute("data-key") : null;
    tbody.replaceChildren(...rows);
    if (key) (tbody.querySelector(`[data-key="${CSS.escape(key)}"]`) as HTMLElement | null)?.focus();
  }

  function changed(section: string, value: unknown): boolean {
    const json = JSON.stringify(value);
    if (rendered[section] === json) return false;
    rendered[section] = json;
    return true;
  }

  // ---- rendering ----

  function currentProject(s: State): Project | undefined {
    return s.projects.find((p) => p.project_id === project) ?? s.projects[0];
  }

  function renderProjects(s: State): void {
    const sel = $<HTMLSelectElement>("project");
    if (!s.projects.some((p) => p.project_id === project)) {
      // Default: the first project with interfaces, else the first.
      project = (s.projects.find((p) => p.interfaces.length) ?? s.projects[0])?.project_id ?? "";
    }
    if (
      changed(
        "projects",
        s.projects.map((p) => [p.project_id, p.project_name, p.interfaces.length]),
      )
    ) {
      sel.replaceChildren(
        ...s.projects.map((p) =>
          el(
            "option",
            { value: p.project_id },
            `${p.project_name === p.project_id ? p.project_id : `${p.project_name} (${p.project_id.slice(0, 8)}…)`} · ${p.interfaces.length} interface(s)`,
          ),
        ),
      );
    }
    sel.value = project;
  }

  function selectButton(id: string, label: string): HTMLElement {
    const b = el(
      "button",
      { type: "button", "data-key": `select-${id}`, "aria-label": `Select ${label} for actions` },
      "Select",
    );
    b.addEventListener("click", () => {
      target = id;
      $<HTMLSelectElement>("target").value = id;
      $("target").focus();
    });
    return el("td", {}, b);
  }

  function renderInterfaces(s: State, p: Project | undefined): void {
    const vifs = p?.interfaces ?? [];
    if (!changed("interfaces", [project, Math.floor(s.now / 1000), vifs])) return;
    const rows: HTMLElement[] = [];
    for (const v of vifs) {
      const tr = el(
        "tr",
        { class: "vif", "data-id": v.id, "data-name": v.name },
        el("th", { scope: "row" }, v.name, shortId(v.id)),
        statusCell(v, s.now, v.reason),
        el("td", {}, String(v.vlan)),
        addressCell(v.remote_gateway_v4_ip, v.local_gateway_v4_ip, v.remote_ep_group),
        routingCell(v.route_mode, v.bgp_asn, v.bgp_key_set),
        el("td", {}, "—"),
        selectButton(v.id, `interface ${v.name}`),
      );
      rows.push(tr);
      for (const peer of v.peers) {
        rows.push(
          el(
            "tr",
            { class: "peer", "data-id": peer.id, "data-name": peer.name, "data-vif": v.id },
            el(
              "th",
              { scope: "row" },
              `↳ ${peer.name || "(unnamed)"} `,
              el("span", { class: "detail" }, `${peer.address_family} peer`),
              shortId(peer.id),
            ),
            statusCell(peer, s.now),
            el("td", {}, ""),
            addressCell(peer.remote_gateway_ip, peer.local_gateway_ip, peer.remote_ep_group),
            routingCell(peer.route_mode, peer.bgp_asn, peer.bgp_key_set),
            el(
              "td",
              {},
              peer.bgp_status === null ? "—" : badge(peer.bgp_status),
              peer.receive_route_num < 0
                ? null
                : el("span", { class: "detail" }, `${peer.receive_route_num} route(s) received`),
            ),
            selectButton(peer.id, `peer ${peer.name || peer.id}`),
          ),
        );
      }
    }
    replaceRows($("interfaces").querySelector("tbody") as HTMLElement, rows);
    $("interfaces-empty").hidden = vifs.length > 0;

    // The action target list: every interface and peer of the project.
    const sel = $<HTMLSelectElement>("target");
    const opts = vifs.flatMap((v) => [
      [v.id, `interface ${v.name} · ${v.status}`],
      ...v.peers.map((q) => [q.id, `  peer ${q.name || "(unnamed)"} (${q.address_family}) · ${q.status}`]),
    ]);
    if (changed("targets", opts)) {
      sel.replaceChildren(
        ...(opts.length ? opts : [["", "(none in this project)"]]).map(([value, label]) =>
          el("option", { value }, label),
        ),
      );
    }
    if (!opts.some(([id]) => id === target)) target = opts[0]?.[0] ?? "";
    sel.value = target;
  }

  function renderNeighbours(p: Project | undefined): void {
    if (changed("connections", [project, p?.connections])) {
      replaceRows(
        $("connections").querySelector("tbody") as HTMLElement,
        (p?.connections ?? []).map((c) =>
          el(
            "tr",
            {},
            el("th", { scope: "row" }, c.name),
            el("td", {}, badge(c.status)),
            el("td", { class: "nowrap" }, `${c.bandwidth} Mbit/s`),
            el("td", { class: "mono" }, c.id),
          ),
        ),
      );
    }
    if (changed("gateways", [project, p?.gateways])) {
      replaceRows(
        $("gateways").querySelector("tbody") as HTMLElement,
        (p?.gateways ?? []).map((g) =>
          el(
            "tr",
            {},
            el("th", { scope: "row" }, g.name || "—"),
            el("td", {}, badge(g.status || null)),
            el("td", { class: "mono" }, g.local_ep_group.join(", ")),
            el("td", {}, String(g.bgp_asn)),
            el("td", { class: "mono" }, g.id),
          ),
        ),
      );
    }
  }

  function describeRule(r: Rule): string {
    const parts = [`#${r.id} ${r.kind}`];
    if (r.kind === "error") parts.push(`${r.status ?? "default status"} ${r.code ?? "DC.0003"}`);
    if (r.kind === "throttle") parts.push(`429 Retry-After ${r.retryAfter ?? 1}s`);
    if (r.kind === "latency") parts.push(`${r.minMs}-${r.maxMs ?? r.minMs} ms`);
    return parts.join(" ");
  }

  /** Refills a filter's select with the values in the log, keeping the chosen one. */
  function fillSelect(sel: HTMLSelectElement, all: string, values: string[]): void {
    const keep = sel.value;
    sel.replaceChildren(
      el("option", { value: "" }, all),
      ...values.map((x) => el("option", { value: x }, x)),
    );
    if (keep && !values.includes(keep)) sel.append(el("option", { value: keep }, keep));
    sel.value = keep;
  }

  function filtered(): boolean {
    return (
      ["f-method", "f-route", "f-status", "f-object"].some(
        (id) => $<HTMLInputElement>(id).value.trim() !== "",
      ) || $<HTMLInputElement>("f-faulted").checked
    );
  }

  function renderRequests(s: State): void {
    const r = s.requests;
    const since = `${r.total} request(s) since the last reset or clear${r.total > r.kept ? `, the newest ${r.kept} kept` : ""}.`;
    $("log-summary").textContent =
      r.matched === 0
        ? filtered()
          ? `No request matches the filters; ${since}`
          : "No requests yet."
        : r.entries.length < r.matched
          ? `Showing the ${r.entries.length} newest of ${r.matched} matching; ${since}`
          : `Showing all ${r.matched} matching; ${since}`;
    if (changed("log-routes", r.routes)) fillSelect($<HTMLSelectElement>("f-route"), "All routes", r.routes);
    if (changed("log-methods", r.methods))
      fillSelect($<HTMLSelectElement>("f-method"), "All methods", r.methods);
    const older = $<HTMLButtonElement>("log-older");
    const newest = $<HTMLButtonElement>("log-newest");
    const hadFocus = document.activeElement === older || document.activeElement === newest;
    older.hidden = r.entries.length >= r.matched || logLimit >= LOG_MAX;
    newest.hidden = logLimit <= LOG_PAGE;
    // A pager button that just went away hands the focus to the log's region.
    if (hadFocus && (document.activeElement === document.body || !document.activeElement))
      $("log-region").focus();
    if (!changed("requests", r.entries)) return;
    replaceRows(
      $("requests").querySelector("tbody") as HTMLElement,
      r.entries.map((e) =>
        el(
          "tr",
          {
            class: e.fault_rules ? "fault" : "",
            "data-request-id": e.request_id,
            "data-method": e.method,
            "data-status": String(e.status),
            "data-route": e.route ?? "",
          },
          el("td", { class: "mono nowrap" }, e.time.slice(11, 23)),
          el("td", {}, e.method),
          el(
            "td",
            { class: "mono path" },
            e.path,
            e.created_id ? el("span", { class: "detail" }, `created ${e.created_id}`) : null,
          ),
          el("td", {}, e.status === 0 ? "dropped" : String(e.status)),
          el("td", { class: "nowrap" }, `${e.duration_ms} ms`),
          el("td", {}, (e.fault_rules ?? []).map(describeRule).join("; ")),
          el("td", { class: "mono" }, e.request_id),
        ),
      ),
    );
  }

  function renderFaults(s: State): void {
    if (!changed("faults", s.faults.rules)) return;
    const list = $("faults");
    list.replaceChildren(
      ...s.faults.rules.map((r) => {
        const b = el(
          "button",
          { type: "button", "data-key": `fault-${r.id}`, "aria-label": `Clear fault ${r.id}` },
          "Clear",
        );
        b.addEventListener("click", () => void adminCall("DELETE", `/_emulator/faults/${r.id}`));
        const times = r.times === null || r.times === undefined ? "" : `, ${r.times} left`;
        const rate = r.rate !== undefined && r.rate < 1 ? `, rate ${r.rate}` : "";
        return el("li", {}, el("span", {}, `${describeRule(r)} on ${r.method} ${r.route}${rate}${times}`), b);
      }),
    );
    $("faults-empty").hidden = s.faults.rules.length > 0;
    $<HTMLButtonElement>("clear-faults").disabled = s.faults.rules.length === 0;
  }

  function renderRoutes(s: State): void {
    if (!changed("routes", s.routes)) return;
    const sel = $<HTMLSelectElement>("fault-route");
    const keep = sel.value;
    const templates = [...new Set(s.routes.map((r) => r.template))].sort();
    sel.replaceChildren(
      el("option", { value: "*" }, "* (every route)"),
      ...templates.map((t) => el("option", { value: t }, t)),
    );
    sel.value = templates.includes(keep) ? keep : "*";
  }

  function renderDelays(s: State): void {
    if (!changed("delays", s.delays)) return;
    for (const [k, v] of Object.entries(s.delays)) {
      const input = document.getElementById(`delay-${k}`) as HTMLInputElement | null;
      if (!input || document.activeElement === input) continue;
      input.value = typeof v === "number" ? String(v) : `reads:${(v as { reads: number }).reads}`;
    }
  }

  function render(s: State): void {
    renderProjects(s);
    const p = currentProject(s);
    renderInterfaces(s, p);
    renderNeighbours(p);
    renderRequests(s);
    renderFaults(s);
    renderRoutes(s);
    renderDelays(s);
  }

  // ---- polling ----

  let timer: number | undefined;
  let signedOut = false;

  function filterQuery(): string {
    const q = new URLSearchParams();
    const method = $<HTMLSelectElement>("f-method").value;
    const route = $<HTMLSelectElement>("f-route").value;
    const status = $<HTMLInputElement>("f-status").value.trim();
    const object = $<HTMLInputElement>("f-object").value.trim();
    if (method) q.set("method", method);
    if (route) q.set("route", route);
    if (status) q.set("status", status);
    if (object) q.set("object", object);
    if ($<HTMLInputElement>("f-faulted").checked) q.set("faulted", "1");
    q.set("limit", String(logLimit));
    return `?${q.toString()}`;
  }

  let latest = 0;

  /** Fetches and renders the state; an answer overtaken by a newer poll (new filter) is dropped. */
  async function poll(): Promise<void> {
    window.clearTimeout(timer);
    const mine = ++latest;
    try {
      const res = await fetch(`/_emulator/console/state${filterQuery()}`, { cache: "no-store" });
      if (mine !== latest) return;
      if (res.status === 401) {
        signedOut = true;
        $("live").textContent = "signed out";
        showBanner();
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const next = (await res.json()) as State;
      if (mine !== latest) return;
      state = next;
      render(state);
      $("live").textContent = "live";
      $("live").setAttribute("data-updated", String(state.now));
    } catch (err) {
      if (mine !== latest) return;
      $("live").textContent = `connection lost (${(err as Error).message}); retrying`;
    }
    if (!signedOut) timer = window.setTimeout(() => void poll(), POLL_MS);
  }

  function showBanner(): void {
    if (document.getElementById("signed-out")) return;
    const p = el(
      "p",
      { id: "signed-out", class: "error banner", role: "alert" },
      "Your session has ended (the emulator restarted or you signed out). ",
      el("a", { href: "/_emulator/console" }, "Sign in again"),
    );
    document.querySelector(".top")?.after(p);
  }

  // ---- actions ----

  function shellQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
  }

  function curlFor(method: string, path: string, body: unknown): string {
    const lines = [
      `curl -sS -X ${method} ${shellQuote(location.origin + path)}`,
      `  -H "X-Emulator-Admin-Token: $DCAAS_EMULATOR_ADMIN_TOKEN"`,
    ];
    if (body !== undefined) {
      lines.push(`  -H 'Content-Type: application/json'`, `  -d ${shellQuote(JSON.stringify(body))}`);
    }
    return lines.join(" \\\n");
  }

  /** Masks secret-looking fields in an admin response before it is shown. */
  function mask(v: unknown, key = ""): unknown {
    if (SECRET_NAMES.test(key) && v !== null && v !== undefined && typeof v !== "boolean") return "[secret]";
    if (Array.isArray(v)) return v.map((x) => mask(x));
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x, k)]));
    return v;
  }

  async function adminCall(method: string, path: string, body?: unknown): Promise<boolean> {
    const headers: Record<string, string> = { "X-CSRF-Token": csrf };
    const init: RequestInit = { method, headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const curl = curlFor(method, path, body);
    let status = 0;
    let text = "";
    try {
      const res = await fetch(path, init);
      status = res.status;
      text = await res.text();
    } catch (err) {
      text = (err as Error).message;
    }
    let shown = text;
    try {
      shown = text ? JSON.stringify(mask(JSON.parse(text)), null, 2) : "(no body)";
    } catch {
      // not JSON: shown as is
    }
    if (shown.length > 3000) shown = `${shown.slice(0, 3000)}\n…`;
    const ok = status >= 200 && status < 300;
    const result = $("last-result");
    result.textContent = `${method} ${path} → ${status || "no answer"}${ok ? "" : " (refused)"}`;
    result.className = `result ${ok ? "ok" : "bad"}`;
    result.hidden = false;
    $("last-none").hidden = true;
    const ta = $<HTMLTextAreaElement>("last-request");
    ta.value = curl;
    ta.hidden = false;
    $("copy-request").hidden = false;
    const pre = $("last-response");
    pre.textContent = shown;
    pre.hidden = false;
    const hist = $("history");
    hist.prepend(el("li", {}, el("code", {}, `${method} ${path} → ${status}`)));
    while (hist.children.length > 20) hist.lastElementChild?.remove();
    void poll();
    return ok;
  }

  function targetPath(action: string): string | undefined {
    const id = $<HTMLSelectElement>("target").value;
    if (!id || !state) return undefined;
    const p = currentProject(state);
    const isVif = p?.interfaces.some((v) => v.id === id);
    return `/_emulator/${isVif ? "virtual-interfaces" : "vif-peers"}/${encodeURIComponent(id)}/${action}`;
  }

  function onSubmit(id: string, fn: () => void | Promise<unknown>): void {
    $(id).addEventListener("submit", (ev) => {
      ev.preventDefault();
      void fn();
    });
  }

  function numberOrUndefined(id: string): number | undefined {
    const v = $<HTMLInputElement>(id).value.trim();
    return v === "" ? undefined : Number(v);
  }

  $<HTMLSelectElement>("project").addEventListener("change", (ev) => {
    project = (ev.target as HTMLSelectElement).value;
    render(state!);
  });
  $<HTMLSelectElement>("target").addEventListener("change", (ev) => {
    target = (ev.target as HTMLSelectElement).value;
  });
  onSubmit("rename-form", () => {
    const path = targetPath("rename");
    if (path) return adminCall("POST", path, { name: $<HTMLInputElement>("rename-name").value });
  });
  onSubmit("status-form", () => {
    const path = targetPath("status");
    const reason = $<HTMLInputElement>("status-reason").value.trim();
    const body: Record<string, string> = { status: $<HTMLSelectElement>("status-value").value };
    if (reason) body.reason = reason;
    if (path) return adminCall("POST", path, body);
  });
  onSubmit("hold-form", () => {
    const path = targetPath("status");
    if (path) return adminCall("POST", path, { status: $<HTMLSelectElement>("hold-value").value });
  });
  $("delete-object").addEventListener("click", () => {
    const path = targetPath("delete");
    const label = $<HTMLSelectElement>("target").selectedOptions[0]?.textContent?.trim();
    if (path && window.confirm(`Delete ${label} now, behind the API's back?`)) void adminCall("POST", path);
  });
  onSubmit("fault-form", () => {
    const kind = $<HTMLSelectElement>("fault-kind").value;
    const rule: Record<string, unknown> = {
      method: $<HTMLSelectElement>("fault-method").value,
      route: $<HTMLSelectElement>("fault-route").value,
      kind,
    };
    const rate = numberOrUndefined("fault-rate");
    if (rate !== undefined && rate !== 1) rule.rate = rate;
    const times = numberOrUndefined("fault-times");
    if (times !== undefined) rule.times = times;
    if (kind === "error") {
      rule.status = numberOrUndefined("fault-status");
      const code = $<HTMLInputElement>("fault-code").value.trim();
      if (code) rule.code = code;
    }
    if (kind === "throttle") rule.retryAfter = numberOrUndefined("fault-retry");
    if (kind === "latency") {
      rule.minMs = numberOrUndefined("fault-min");
      rule.maxMs = numberOrUndefined("fault-max");
    }
    return adminCall("POST", "/_emulator/faults", { rules: [rule] });
  });
  $("clear-faults").addEventListener("click", () => void adminCall("DELETE", "/_emulator/faults"));
  onSubmit("delays-form", () => {
    const body: Record<string, string> = {};
    for (const k of ["vifCreate", "vifDelete", "peerCreate", "peerDelete"]) {
      const v = $<HTMLInputElement>(`delay-${k}`).value.trim();
      if (v !== "") body[k] = v;
    }
    return adminCall("PUT", "/_emulator/delays", body);
  });
  $("reset").addEventListener("click", () => {
    if (window.confirm("Reset the emulator? Every interface and peer is deleted."))
      void adminCall("POST", "/_emulator/reset");
  });
  $("clear-log").addEventListener("click", () => void adminCall("DELETE", "/_emulator/requests"));
  $("copy-request").addEventListener("click", () => {
    const ta = $<HTMLTextAreaElement>("last-request");
    ta.select();
    void navigator.clipboard?.writeText(ta.value).catch(() => document.execCommand("copy"));
  });
  // A new filter starts again from the newest page.
  const refilter = (): void => {
    logLimit = LOG_PAGE;
    rendered.requests = "";
    void poll();
  };
  $("f-method").addEventListener("change", refilter);
  $("f-route").addEventListener("change", refilter);
  $("f-status").addEventListener("input", refilter);
  $("f-object").addEventListener("input", refilter);
  $("f-faulted").addEventListener("change", refilter);
  $("log-filter").addEventListener("submit", (ev) => ev.preventDefault());
  $("log-older").textContent = `Show ${LOG_PAGE} older`;
  $("log-newest").textContent = `Show only the newest ${LOG_PAGE}`;
  $("log-older").addEventListener("click", () => {
    logLimit = Math.min(logLimit + LOG_PAGE, LOG_MAX);
    void poll();
  });
  $("log-newest").addEventListener("click", () => {
    logLimit = LOG_PAGE;
    void poll();
  });

  // The log collapses under its heading's button; the choice is kept in this browser.
  function setCollapsed(collapsed: boolean): void {
    $("log-toggle").setAttribute("aria-expanded", String(!collapsed));
    $("log-body").hidden = collapsed;
  }
  let collapsedStored: string | null = null;
  try {
    collapsedStored = window.localStorage.getItem(COLLAPSED_KEY);
  } catch {
    // storage refused (a private window): the log starts expanded
  }
  setCollapsed(collapsedStored === "1");
  $("log-toggle").addEventListener("click", () => {
    const collapsed = $("log-toggle").getAttribute("aria-expanded") === "true";
    setCollapsed(collapsed);
    try {
      window.localStorage.setItem(COLLAPSED_KEY, collapsed ? "1" : "0");
    } catch {
      // not kept: it still applies to this page
    }
  });

  void poll();
}
