/**
 * The typed API client: the only place where HTTP answers become error classes. Responses are
 * parsed with the api/ schemas, never trusted; safe calls are retried with jittered exponential
 * backoff; ids are validated before they enter a URL.
 */
import { IAM_TOKENS_PATH, passwordTokenRequest } from "../api/iam";
import { PROFILE_HEADER } from "../api/profile";
import { UUID_RE } from "../api/schemas";
import type { AuthConfig, ProviderConfig } from "./config";
import * as wire from "./wire";

/** Base class of every error of an API call: HTTP status, API code, request id. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly requestId: string | undefined,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${code}: ${apiMessage}`);
  }
}
/** 404: the object does not exist (raised by the lowest finder; read turns it into "gone"). */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}
/** The request conflicts with the current state (VLAN in use, object busy in PENDING_*, 409). */
export class ConflictError extends ApiError {
  override name = "ConflictError";
}
/** 400: the API rejected the request's content. */
export class ValidationError extends ApiError {
  override name = "ValidationError";
}
/** 429: throttled; `retryAfterMs` from the Retry-After header when present. */
export class ThrottledError extends ApiError {
  override name = "ThrottledError";
  retryAfterMs?: number;
}
/** 401/403: missing, wrong, expired or foreign credentials. */
export class AuthError extends ApiError {
  override name = "AuthError";
}
/** 5xx: the server failed. */
export class ServerError extends ApiError {
  override name = "ServerError";
}
/** No HTTP answer: connection refused or reset, DNS, per-request timeout. */
export class NetworkError extends Error {
  override name = "NetworkError";
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    readonly timedOut: boolean,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
/** The answer did not match the API schema. */
export { ResponseFormatError } from "./wire";
/** An id that is not a UUID never reaches a URL. */
export class InvalidIdError extends Error {
  override name = "InvalidIdError";
}

/** Codes that mean "the request collides with existing state" rather than "the request is malformed". */
const CONFLICT_CODES = new Set(["DC.1209", "DC.1205", "DC.1007", "DC.1008", "DC.1118", "DC.1206"]);

/**
 * Whether a failed request may have been applied by the server (the answer was lost): a network
 * error or a 5xx. A 4xx, including 429, means the request was refused.
 */
export function isAmbiguous(e: unknown): boolean {
  return e instanceof NetworkError || e instanceof ServerError;
}

/** Whether a failure of a safe (idempotent) request is worth retrying. */
export function isRetryable(e: unknown): boolean {
  return e instanceof ThrottledError || e instanceof ServerError || e instanceof NetworkError;
}

/**
 * Records on the final error of a request how many retries were made, and says so in its message
 * together with the request that failed: "DC.0003: ... (GET /virtual-interfaces/1f.., after 6
 * retries)"; a network error's message already begins with its request. `extra` is appended (a
 * follow-up failure). Counts add up when a caller retries a request the client retried. Returns `e`.
 */
export function noteRetries(e: unknown, retries: number, extra = ""): unknown {
  if (!(e instanceof Error)) return e;
  const err = e as Error & { retries?: number; baseMessage?: string };
  err.baseMessage ??= err.message;
  err.retries = (err.retries ?? 0) + retries;
  const n = err.retries;
  const parts: string[] = [];
  if (e instanceof ApiError && (n > 0 || extra)) parts.push(`${e.method} ${e.path}`);
  if (n > 0) parts.push(`after ${n} ${n === 1 ? "retry" : "retries"}`);
  err.message = `${err.baseMessage}${parts.length ? ` (${parts.join(", ")})` : ""}${extra}`;
  return err;
}

/** Adds a sentence to an error's message, kept when noteRetries rewrites it. Returns `e`. */
export function addSentence(e: unknown, sentence: string): unknown {
  if (!(e instanceof Error)) return e;
  const err = e as Error & { baseMessage?: string };
  err.baseMessage = `${(err.baseMessage ?? err.message).replace(/\.?$/, ".")} ${sentence}`;
  return noteRetries(err, 0);
}

/** Builds the typed error for a non-2xx answer. */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null },
  method: string,
  path: string,
): ApiError {
  let code = `HTTP.${status}`;
  let msg = "";
  if (body && typeof body === "object") {
    const b = body as Record<string, any>;
    if (typeof b.error_code === "string") code = b.error_code;
    else if (b.error && typeof b.error === "object" && b.error.code !== undefined)
      code = `IAM.${b.error.code}`;
    if (typeof b.error_msg === "string") msg = b.error_msg;
    else if (b.error && typeof b.error.message === "string") msg = b.error.message;
  } else if (typeof body === "string") {
    msg = body.slice(0, 200);
  }
  if (!msg) msg = `HTTP ${status}`;
  const requestId =
    headers.get("x-request-id") ??
    (body && typeof body === "object" && typeof (body as any).request_id === "string"
      ? (body as any).request_id
      : undefined) ??
    undefined;
  const args = [status, code, msg, requestId, method, path] as const;
  if (status === 404) return new NotFoundError(...args);
  if (status === 429) {
    const e = new ThrottledError(...args);
    e.retryAfterMs = parseRetryAfter(headers.get("retry-after"));
    return e;
  }
  if (status === 401 || status === 403) return new AuthError(...args);
  if (status === 409 || CONFLICT_CODES.has(code)) return new ConflictError(...args);
  if (status >= 500) return new ServerError(...args);
  if (status >= 400) return new ValidationError(...args);
  return new ApiError(...args);
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/**
 * Delay before retry number `attempt` (0-based): "full jitter" exponential backoff,
 * random in [base*2^attempt / 2, base*2^attempt], capped; never shorter than Retry-After.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  const jittered = exp / 2 + random() * (exp / 2);
  if (retryAfterMs !== undefined) {
    // Honour the server's hint, plus a little jitter so throttled clients do not return together.
    return Math.round(retryAfterMs + random() * Math.min(1000, baseMs));
  }
  return Math.round(jittered);
}

/** Throws InvalidIdError unless `id` is a UUID; returns it lower-cased. */
export function assertUuid(id: unknown, what: string): string {
  if (typeof id !== "string" || !UUID_RE.test(id)) {
    throw new InvalidIdError(`${what} ${JSON.stringify(id)} is not a UUID`);
  }
  return id.toLowerCase();
}

/** Password tokens, cached per process by identity (they live 24 h). */
const tokenCache = new Map<string, { token: string; expiresAt: number }>();

/** Forgets cached IAM tokens (tests). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

/** One retry the client is about to make, for the user's output. */
export interface RetryNotice {
  method: string;
  /** The server (the configured endpoint, or the IAM endpoint for a token). */
  endpoint: string;
  path: string;
  /** 1-based number of this retry, and how many this failure allows. */
  retry: number;
  of: number;
  delayMs: number;
  error: unknown;
}

/** Hooks: `onRetry` hears of each retry before its wait (the provider prints it); others for tests. */
export interface ClientHooks {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
  onRetry?: (n: RetryNotice) => void;
}

/** The rule profile each endpoint said it enforces (dcaas-emulator's PROFILE_HEADER), by endpoint. */
const serverProfiles = new Map<string, string>();

/** The rule profile the server at `endpoint` said it enforces, if it said (the emulator does). */
export function serverProfileOf(endpoint: string): string | undefined {
  return serverProfiles.get(endpoint);
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/**
 * How many retries a failure allows: `maxRetries`, except for failures that waiting does not mend.
 * A refused connection on loopback is a local server that is not running (1 retry, for one that is
 * restarting); a name that does not resolve (ENOTFOUND, not the transient EAI_AGAIN) is a wrong
 * endpoint (no retry). A refused connection elsewhere, a reset or a timeout may be a flaky network.
 */
export function retriesFor(e: unknown, maxRetries: number, endpoint: string): number {
  if (!(e instanceof NetworkError)) return maxRetries;
  // No answer within the request timeout: a black-holed endpoint (a firewall drop, a wrong port)
  // costs requestTimeout per try, 7 tries were about 4 minutes; two retries still ride out a blip.
  if (e.timedOut) return Math.min(maxRetries, 2);
  const code = (e.cause as any)?.cause?.code ?? (e.cause as any)?.code;
  if (code === "ENOTFOUND") return 0;
  if (code === "ECONNREFUSED") {
    let host = "";
    try {
      host = new URL(endpoint).hostname;
    } catch {
      /* not a URL: keep the default */
    }
    if (LOOPBACK.test(host)) return Math.min(maxRetries, 1);
  }
  return maxRetries;
}

/**
 * Prints a retry line on the provider process's standard output, which the engine shows as an info
 * line of the resource (as the progress lines of waits), so a slow failure is not a silent one.
 */
export function printRetry(n: RetryNotice): void {
  process.stdout.write(`${retryLine(n)}\n`);
}

/** The line a retry prints: what failed, which retry this is and when. */
export function retryLine(n: RetryNotice): string {
  const e = n.error as Error;
  const what = e instanceof NetworkError ? e.message.replace(/^\S+ \S+: /, "") : (e?.message ?? String(e));
  return `${n.method} ${n.path} (${n.endpoint}) failed (${what}); retry ${n.retry} of ${n.of} in ${(n.delayMs / 1000).toFixed(1)}s`;
}

/** Options of one request. */
interface RequestOptions {
  query?: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** Safe to repeat after an ambiguous failure (GET, PUT, DELETE). POST is not. */
  idempotent: boolean;
}

/** Filters of the virtual interface list. */
export interface VifListFilter {
  id?: string[];
  status?: string[];
  direct_connect_id?: string[];
  vgw_id?: string[];
}

/** The longest wait between two attempts of a request, whatever the backoff says. */
export const MAX_BACKOFF_MS = 20_000;

/** The typed DCaaS v3 client. */
export class DcaasClient {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => Date;
  private readonly onRetry: (n: RetryNotice) => void;

  constructor(
    readonly config: ProviderConfig,
    hooks: ClientHooks = {},
  ) {
    this.fetchImpl = hooks.fetch ?? ((...a) => fetch(...a));
    this.sleep = hooks.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = hooks.random ?? Math.random;
    this.now = hooks.now ?? (() => new Date());
    this.onRetry = hooks.onRetry ?? (() => undefined);
  }

  private base(): string {
    return `${this.config.endpoint}/v3/${this.config.projectId}/dcaas`;
  }

  // ---- read-only neighbours --------------------------------------------------------------

  /** GET one connection; NotFoundError when the project has no such connection. */
  async getDirectConnect(id: string): Promise<wire.DirectConnect> {
    const cid = assertUuid(id, "connection id");
    const body = await this.request("GET", `/direct-connects/${cid}`, { idempotent: true });
    return wire.parseDirectConnectResponse(body);
  }

  /** GET one virtual gateway; NotFoundError when the project has no such gateway. */
  async getVirtualGateway(id: string): Promise<wire.VirtualGateway> {
    const gid = assertUuid(id, "virtual gateway id");
    const body = await this.request("GET", `/virtual-gateways/${gid}`, { idempotent: true });
    return wire.parseVirtualGatewayResponse(body);
  }

  // ---- virtual interfaces ----------------------------------------------------------------

  /** GET one virtual interface; NotFoundError when it does not exist. */
  async getVirtualInterface(id: string): Promise<wire.VirtualInterface> {
    const vid = assertUuid(id, "virtual interface id");
    const body = await this.request("GET", `/virtual-interfaces/${vid}`, { idempotent: true });
    return wire.parseVirtualInterfaceResponse(body);
  }

  /** Every virtual interface matching the filter, following the marker through all pages. */
  async listVirtualInterfaces(filter: VifListFilter = {}): Promise<wire.VirtualInterface[]> {
    const out: wire.VirtualInterface[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const body = await this.request("GET", "/virtual-interfaces", {
        idempotent: true,
        query: { ...filter, limit: "2000", marker },
      });
      const { items, nextMarker } = wire.parseVirtualInterfacePage(body);
      out.push(...items);
      // The last page has no next_marker (api-contract.md), so a short list costs one request.
      if (items.length === 0 || nextMarker === undefined) break;
      const last = items[items.length - 1].id;
      if (last === marker) break;
      marker = last;
    }
    return out;
  }

  /** POST a virtual interface. Not retried on ambiguous failures: the caller looks for the object. */
  async createVirtualInterface(body: wire.VifCreateBody): Promise<wire.VirtualInterface> {
    const res = await this.request("POST", "/virtual-interfaces", {
      idempotent: false,
      body: { virtual_interface: body },
    });
    return wire.parseVirtualInterfaceResponse(res);
  }

  /** PUT name and description. */
  async updateVirtualInterface(
    id: string,
    body: { name?: string; description?: string },
  ): Promise<wire.VirtualInterface> {
    const vid = assertUuid(id, "virtual interface id");
    const res = await this.request("PUT", `/virtual-interfaces/${vid}`, {
      idempotent: true,
      body: { virtual_interface: body },
    });
    return wire.parseVirtualInterfaceResponse(res);
  }

  /** DELETE a virtual interface (204). */
  async deleteVirtualInterface(id: string): Promise<void> {
    const vid = assertUuid(id, "virtual interface id");
    await this.request("DELETE", `/virtual-interfaces/${vid}`, { idempotent: true });
  }

  // ---- peers -----------------------------------------------------------------------------

  /** POST a peer. Not retried on ambiguous failures: the caller looks for the object. */
  async createVifPeer(body: wire.PeerCreateBody): Promise<wire.VifPeer> {
    const res = await this.request("POST", "/vif-peers", { idempotent: false, body: { vif_peer: body } });
    return wire.parseVifPeerResponse(res);
  }

  /** PUT name and description of a peer. */
  async updateVifPeer(id: string, body: { name?: string; description?: string }): Promise<wire.VifPeer> {
    const pid = assertUuid(id, "VIF peer id");
    const res = await this.request("PUT", `/vif-peers/${pid}`, {
      idempotent: true,
      body: { vif_peer: body },
    });
    return wire.parseVifPeerResponse(res);
  }

  /** DELETE a peer (204). */
  async deleteVifPeer(id: string): Promise<void> {
    const pid = assertUuid(id, "VIF peer id");
    await this.request("DELETE", `/vif-peers/${pid}`, { idempotent: true });
  }

  // ---- transport -------------------------------------------------------------------------

  /**
   * One API call with retries: 429 always (the request was refused, so repeating is safe),
   * 5xx and network errors only when the call is idempotent; a token refresh on APIGW.0307.
   */
  async request(method: string, path: string, opts: RequestOptions): Promise<unknown> {
    let attempt = 0;
    let refreshed = false;
    for (;;) {
      try {
        return await this.once(method, path, opts, refreshed);
      } catch (e) {
        if (
          e instanceof AuthError &&
          e.code === "APIGW.0307" &&
          this.config.auth.kind === "password" &&
          !refreshed
        ) {
          refreshed = true;
          tokenCache.delete(this.tokenKey(this.config.auth));
          continue;
        }
        const retryable = e instanceof ThrottledError || (opts.idempotent && isRetryable(e));
        const allowed = retriesFor(e, this.config.maxRetries, this.config.endpoint);
        if (!retryable || attempt >= allowed) throw noteRetries(e, attempt);
        await this.waitToRetry(this.config.endpoint, method, path, e, attempt, allowed);
        attempt++;
      }
    }
  }

  /** Says that retry `attempt + 1` of `allowed` is coming, then waits its backoff. */
  private async waitToRetry(
    endpoint: string,
    method: string,
    path: string,
    e: unknown,
    attempt: number,
    allowed: number,
  ) {
    const retryAfter = e instanceof ThrottledError ? e.retryAfterMs : undefined;
    const delayMs = backoffDelay(
      attempt,
      this.config.retryBaseDelayMs,
      MAX_BACKOFF_MS,
      retryAfter,
      this.random,
    );
    this.onRetry({ method, endpoint, path, retry: attempt + 1, of: allowed, delayMs, error: e });
    await this.sleep(delayMs);
  }

  private async once(
    method: string,
    path: string,
    opts: RequestOptions,
    _refreshed: boolean,
  ): Promise<unknown> {
    const url = new URL(this.base() + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
    }
    const bodyText = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "application/json",
    };
    await this.authenticate(method, url, headers, bodyText ?? "");
    return this.send(method, url, headers, bodyText, path);
  }

  private async send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    bodyText: string | undefined,
    path: string,
  ): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers,
        body: bodyText,
        signal: AbortSignal.timeout(this.config.requestTimeoutMs),
      });
      text = await res.text();
      const profile = res.headers?.get?.(PROFILE_HEADER);
      if (profile) serverProfiles.set(this.config.endpoint, profile);
    } catch (e) {
      const timedOut = (e as Error)?.name === "TimeoutError" || (e as Error)?.name === "AbortError";
      const detail = timedOut ? `no answer within ${this.config.requestTimeoutMs} ms` : describeFetchError(e);
      throw new NetworkError(`${method} ${path}: ${detail}`, method, path, timedOut, e);
    }
    let body: unknown = undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(res.status, body, res.headers, method, path);
    }
    if (typeof body === "string") {
      throw new wire.ResponseFormatError(`${method} ${path}: the answer is not JSON: ${body.slice(0, 100)}`);
    }
    return body;
  }

  private tokenKey(auth: Extract<AuthConfig, { kind: "password" }>): string {
    return JSON.stringify([auth.iamEndpoint, auth.domainName, auth.username, this.config.projectId]);
  }

  private async authenticate(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<void> {
    const auth = this.config.auth;
    if (auth.kind === "token") {
      headers["X-Auth-Token"] = auth.token;
    } else if (auth.kind === "password") {
      headers["X-Auth-Token"] = await this.passwordToken(auth);
    } else {
      // Temporary credentials carry a security token, which is signed like every other header.
      if (auth.securityToken) headers["X-Security-Token"] = auth.securityToken;
      const signed = wire.sign(
        { method, url: url.toString(), headers, body },
        { accessKey: auth.accessKey, secretKey: auth.secretKey },
        this.now(),
      );
      Object.assign(headers, signed);
    }
  }

  /** An IAM token for password auth: POST /v3/auth/tokens, project scope; cached until near expiry. */
  private async passwordToken(auth: Extract<AuthConfig, { kind: "password" }>): Promise<string> {
    const key = this.tokenKey(auth);
    const cached = tokenCache.get(key);
    const nowMs = this.now().getTime();
    if (cached && cached.expiresAt - 5 * 60_000 > nowMs) return cached.token;
    const path = IAM_TOKENS_PATH;
    const body = JSON.stringify(passwordTokenRequest({ ...auth, projectId: this.config.projectId }));
    // Token requests are repeatable: a second token is harmless. Retries use the same policy.
    let attempt = 0;
    for (;;) {
      try {
        let res: Response;
        try {
          res = await this.fetchImpl(`${auth.iamEndpoint}${path}?nocatalog=true`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body,
            signal: AbortSignal.timeout(this.config.requestTimeoutMs),
          });
        } catch (e) {
          const timedOut = (e as Error)?.name === "TimeoutError";
          throw new NetworkError(`POST ${path}: ${describeFetchError(e)}`, "POST", path, timedOut, e);
        }
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          /* keep text */
        }
        if (res.status < 200 || res.status >= 300) {
          throw errorFromResponse(res.status, parsed, res.headers, "POST", path);
        }
        const token = res.headers.get("x-subject-token");
        if (!token)
          throw new wire.ResponseFormatError(`POST ${path}: no X-Subject-Token header in the answer`);
        const expires = Date.parse((parsed as any)?.token?.expires_at ?? "");
        tokenCache.set(key, { token, expiresAt: Number.isNaN(expires) ? nowMs + 23 * 3600_000 : expires });
        return token;
      } catch (e) {
        const allowed = retriesFor(e, this.config.maxRetries, auth.iamEndpoint);
        if (!isRetryable(e) || attempt >= allowed) throw noteRetries(e, attempt);
        await this.waitToRetry(auth.iamEndpoint, "POST", path, e, attempt, allowed);
        attempt++;
      }
    }
  }
}

function describeFetchError(e: unknown): string {
  const err = e as any;
  const cause = err?.cause;
  const code = cause?.code ?? err?.code;
  const msg = cause?.message ?? err?.message ?? String(e);
  return code ? `${code}: ${msg}` : msg;
}
