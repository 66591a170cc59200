/**
 * The HTTP layer: node:http, a route table, request ids, body limits, fault injection,
 * authentication and the request log. Handlers receive a plain context and return a plain reply;
 * they never touch the socket. What a request created and which statuses it saw, the log takes
 * from the reply's `created` and `seen`, as the handler declares them; bodies are never read.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorBody } from "../api/errors";
import { PROFILE_HEADER } from "../api/profile";
import type { Auth } from "./auth";
import type { Backend } from "./backend";
import {
  ApiError,
  ApiNotFound,
  IncorrectIamAuthenticationInformation,
  RequestEntityTooLarge,
} from "./errors";
import type { Faults } from "./faults";
import type { Created, Ctx, Reply, RouteDef } from "./route";
import type { Router } from "./router";

/** The route table entry (declared in ./route), also named here for the HTTP layer's users. */
export type { RouteDef } from "./route";

/** One entry of the request log. */
export interface RequestLogEntry {
  time: string;
  request_id: string;
  method: string;
  path: string;
  route: string | null;
  status: number;
  duration_ms: number;
  faults?: number[];
  /** The object a successful POST created (its id, and its parent interface for a peer). */
  created_id?: string;
  created_in?: string;
  /**
   * The statuses a successful GET of one object returned, by id: the object's and, for an
   * interface, its peers' (so a wait's poll can be told apart from the one that saw it settle).
   */
  seen?: Record<string, string>;
}

/** The request log: recent entries and counts per route template and method. */
export class RequestLog {
  private recent: RequestLogEntry[] = [];
  private counts = new Map<
    string,
    { method: string; route: string; count: number; statuses: Record<string, number> }
  >();
  total = 0;
  constructor(private readonly keep = 1000) {}

  add(e: RequestLogEntry): void {
    this.total++;
    this.recent.push(e);
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    const route = e.route ?? "(no route)";
    const key = `${e.method} ${route}`;
    let c = this.counts.get(key);
    if (!c) {
      c = { method: e.method, route, count: 0, statuses: {} };
      this.counts.set(key, c);
    }
    c.count++;
    c.statuses[e.status] = (c.statuses[e.status] ?? 0) + 1;
  }

  clear(): void {
    this.recent = [];
    this.counts.clear();
    this.total = 0;
  }

  snapshot(): { total: number; counts: unknown[]; requests: RequestLogEntry[] } {
    return { total: this.total, counts: [...this.counts.values()], requests: [...this.recent] };
  }
}

/** Options of the HTTP layer. */
export interface ServerDeps {
  router: Router<RouteDef>;
  backend: Backend;
  auth: Auth;
  faults: Faults;
  requestLog: RequestLog;
  adminToken?: string;
  log: (line: object) => void;
  /** Request body limit in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * Admits an admin request without the admin token header (the console's session cookie): true
   * to admit, false when it carries no session; throws when a session's request is refused.
   */
  consoleGuard?: (method: string, headers: IncomingMessage["headers"]) => boolean;
  /** Rewrites the JSON body of an admin answer to a console session (masks secrets). */
  consoleMask?: (body: unknown) => unknown;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Builds the node:http request listener. */
export function createListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  return (req, res) => {
    const start = process.hrtime.bigint();
    const requestId = randomUUID().replace(/-/g, "");
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q === -1 ? "" : rawUrl.slice(q + 1);
    const match = deps.router.match(method, path);
    let fired: number[] | undefined;
    // What the handler said it created and saw (its reply's `created` and `seen`).
    let created: Created | undefined;
    let seen: Record<string, string> | undefined;

    const finish = (status: number): void => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const entry: RequestLogEntry = {
        time: new Date().toISOString(),
        request_id: requestId,
        method,
        path,
        route: match?.template ?? null,
        status,
        duration_ms: Math.round(ms * 100) / 100,
      };
      if (fired && fired.length) entry.faults = fired;
      if (created) {
        entry.created_id = created.id;
        if (created.in !== undefined) entry.created_in = created.in;
      }
      if (seen) entry.seen = seen;
      if (
        match?.handler.kind !== "admin" &&
        !(match?.handler.kind === "open" && path.startsWith("/_emulator/"))
      ) {
        deps.requestLog.add(entry);
      }
      deps.log({ level: status >= 500 ? "error" : "info", msg: "request", ...entry });
    };

    const send = (reply: Reply): void => {
      const headers: Record<string, string | number> = {
        "X-Request-Id": requestId,
        // An emulator extension: which rule profile this server enforces, so a client checking with
        // another one can say so before its first refused request (provider live checks).
        [PROFILE_HEADER]: deps.backend.profile,
        ...reply.headers,
      };
      created = reply.created;
      seen = reply.seen;
      let payload: Buffer | undefined;
      if (reply.raw !== undefined) {
        payload = Buffer.isBuffer(reply.raw) ? reply.raw : Buffer.from(reply.raw);
        headers["Content-Length"] = payload.length;
      } else if (reply.body !== undefined && reply.status !== 204) {
        payload = Buffer.from(JSON.stringify(reply.body));
        headers["Content-Type"] = "application/json;charset=UTF-8";
        headers["Content-Length"] = payload.length;
      } else {
        headers["Content-Length"] = 0;
      }
      res.writeHead(reply.status, headers);
      res.end(payload);
      finish(reply.status);
    };

    const sendError = (err: unknown): void => {
      if (err instanceof ApiError) {
        send({ status: err.status, body: errorBody(err.code, err.message, requestId), headers: err.headers });
        return;
      }
      deps.log({
        level: "error",
        msg: "unhandled error",
        request_id: requestId,
        error: String((err as Error)?.stack ?? err),
      });
      send({ status: 500, body: errorBody("DC.0003", "System error.", requestId) });
    };

    const drop = (status: number): void => {
      req.socket.destroy();
      finish(status);
    };

    // Read the body with a limit; past it, answer 413 and stop reading.
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        res.setHeader("Connection", "close");
        sendError(new RequestEntityTooLarge(limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => req.socket.destroy());
    req.on("end", () => {
      if (tooLarge) return;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      dispatch(body).catch(sendError);
    });

    const dispatch = async (body: Buffer): Promise<void> => {
      if (!match) throw new ApiNotFound(method, path);
      const def = match.handler;
      const ctx: Ctx = {
        requestId,
        method,
        path,
        query: new URLSearchParams(rawQuery),
        headers: req.headers,
        body,
        params: match.params,
        outcome: "normal",
      };
      if (def.kind === "admin") {
        if (!deps.adminToken) throw new ApiNotFound(method, path);
        const given = req.headers["x-emulator-admin-token"];
        // The header, when sent, decides; without it, a console session may admit the request.
        const viaConsole = given === undefined && Boolean(deps.consoleGuard?.(method, req.headers));
        const admitted = viaConsole || (typeof given === "string" && safeEqual(given, deps.adminToken));
        if (!admitted) {
          throw new IncorrectIamAuthenticationInformation("missing or wrong X-Emulator-Admin-Token");
        }
        const reply = await def.fn(ctx);
        send(viaConsole && deps.consoleMask ? { ...reply, body: deps.consoleMask(reply.body) } : reply);
        return;
      }
      if (def.kind === "open") {
        send(await def.fn(ctx));
        return;
      }
      // Cloud and IAM routes: lifecycle, faults, then auth.
      deps.backend.settle();
      const d = deps.faults.decide(method, match.template);
      fired = d.fired;
      if (d.latencyMs > 0) await new Promise((r) => setTimeout(r, d.latencyMs));
      if (d.drop) {
        drop(0);
        return;
      }
      if (d.error) {
        const e = d.error;
        throw new ApiError(
          e.code,
          e.kind === "throttle"
            ? "The throttling threshold has been reached: policy user over ratelimit (injected)"
            : `Injected fault ${e.code}.`,
          e.retryAfter !== undefined ? { "Retry-After": String(e.retryAfter) } : {},
          e.status,
        );
      }
      ctx.outcome = d.outcome;
      if (def.kind === "cloud" && match.params.project_id !== undefined) {
        ctx.project = deps.auth.authenticate(
          { method, path, query: rawQuery, headers: req.headers, body },
          match.params.project_id,
        );
      }
      let reply: Reply;
      try {
        reply = await def.fn(ctx);
      } catch (err) {
        if (d.ambiguous) {
          drop(err instanceof ApiError ? err.status : 500);
          return;
        }
        throw err;
      }
      if (d.ambiguous) {
        drop(reply.status);
        return;
      }
      send(reply);
    };
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
