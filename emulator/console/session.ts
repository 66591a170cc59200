/**
 * Console sessions: signing in with the admin token sets an HttpOnly, SameSite=Strict cookie that
 * holds a random session id (never the token); a session's state-changing requests must carry its
 * CSRF token in the X-CSRF-Token header and must not come from another origin.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isSecretName } from "../../api/secrets";
import type { IncomingHttpHeaders } from "node:http";
import { IamUserNotAllowed } from "../errors";

/** The session cookie's name. */
export const SESSION_COOKIE = "dcaas_console";

/** The header that carries a session's CSRF token on state-changing requests. */
export const CSRF_HEADER = "x-csrf-token";

/** How long a session lasts without being used again: 12 hours. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const MAX_SESSIONS = 64;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** One signed-in browser. */
export interface ConsoleSession {
  id: string;
  csrf: string;
  expiresAt: number;
}

/** Compares two strings in constant time (for equal lengths). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Masks secrets in an admin answer sent to the console (an out-of-band change answers with the
 * whole object, BGP key included): every string under a secret-looking field becomes "[secret]".
 */
export function maskSecrets(value: unknown, field = ""): unknown {
  if (typeof value === "string") return isSecretName(field) ? "[secret]" : value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, field));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}

/** Reads one cookie from a Cookie header, or undefined. */
export function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * True when the request comes from this emulator's own pages: its Origin (or, without one, its
 * Sec-Fetch-Site) names no other site. Requests from tools (no Origin, no Sec-Fetch-Site) pass.
 */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/** The signed-in console sessions of one emulator (in memory: a restart signs everyone out). */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    private readonly adminToken: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session when `token` is the admin token; undefined otherwise. */
  signIn(token: string): ConsoleSession | undefined {
    if (!sameSecret(token, this.adminToken)) return undefined;
    this.prune();
    while (this.sessions.size >= MAX_SESSIONS) {
      this.sessions.delete(this.sessions.keys().next().value as string);
    }
    const session: ConsoleSession = {
      id: randomBytes(32).toString("base64url"),
      csrf: randomBytes(32).toString("base64url"),
      expiresAt: this.now() + SESSION_TTL_MS,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session named by the request's cookie (its lifetime renewed), or undefined. */
  find(headers: IncomingHttpHeaders): ConsoleSession | undefined {
    const id = cookieValue(headers, SESSION_COOKIE);
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    s.expiresAt = this.now() + SESSION_TTL_MS;
    return s;
  }

  /** Ends the request's session, if any. */
  signOut(headers: IncomingHttpHeaders): void {
    const id = cookieValue(headers, SESSION_COOKIE);
    if (id) this.sessions.delete(id);
  }

  /**
   * The server's admin guard: false without a session; true for a session's safe request, or its
   * state-changing request with the right CSRF token from the same origin; 403 otherwise.
   */
  readonly guard = (method: string, headers: IncomingHttpHeaders): boolean => {
    const s = this.find(headers);
    if (!s) return false;
    if (SAFE_METHODS.has(method)) return true;
    this.assertWrite(s, headers);
    return true;
  };

  /** Throws 403 unless a state-changing request of session `s` is same-origin with its CSRF token. */
  assertWrite(s: ConsoleSession, headers: IncomingHttpHeaders): void {
    if (!sameOrigin(headers)) throw new IamUserNotAllowed("Cross-site request refused by the console.");
    const given = headers[CSRF_HEADER];
    if (typeof given !== "string" || !sameSecret(given, s.csrf)) {
      throw new IamUserNotAllowed(`Missing or wrong ${CSRF_HEADER} header: reload the console page.`);
    }
  }

  /** The Set-Cookie value that stores a session in the browser. */
  cookieFor(s: ConsoleSession): string {
    return `${SESSION_COOKIE}=${s.id}; Path=/_emulator/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`;
  }

  /** The Set-Cookie value that removes the session cookie. */
  clearCookie(): string {
    return `${SESSION_COOKIE}=; Path=/_emulator/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
