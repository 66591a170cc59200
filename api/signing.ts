// Huawei Cloud AK/SK request signing, `SDK-HMAC-SHA256` (API Request Signing Guide; the signer of
// @huaweicloud/huaweicloud-sdk-core). The client signs with `signRequest`; the server rebuilds
// the canonical request from the headers named in SignedHeaders and checks it with `verifyRequest`.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** The algorithm name that opens the Authorization header. */
export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";
/** SHA-256 of an empty body, hex. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** The clock skew the server tolerates between X-Sdk-Date and its own clock: 15 minutes. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

/** A request body as signed: text, bytes, or nothing. */
export type SignableBody = string | Uint8Array | undefined | null;

/** Headers as a plain map; array values (repeated headers) are joined with ",". */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** Hex SHA-256 of text or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~), as Huawei's signer does. */
export function signingEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The canonical URI: each path segment decoded then re-encoded, always ending with "/". */
export function canonicalUri(pathname: string): string {
  const path = pathname
    .split("/")
    .map((seg) => signingEncode(safeDecode(seg)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/** The canonical query string: keys sorted, values of a repeated key sorted, each pair `enc(k)=enc(v)`. */
export function canonicalQueryString(search: string | URLSearchParams): string {
  const params =
    typeof search === "string"
      ? new URLSearchParams(search.startsWith("?") ? search.slice(1) : search)
      : search;
  const grouped = new Map<string, string[]>();
  for (const [k, v] of params) {
    const list = grouped.get(k) ?? [];
    list.push(v);
    grouped.set(k, list);
  }
  const keys = [...grouped.keys()].sort();
  const pairs: string[] = [];
  for (const k of keys) {
    for (const v of grouped.get(k)!.sort()) pairs.push(`${signingEncode(k)}=${signingEncode(v)}`);
  }
  return pairs.join("&");
}

function headerValue(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(",") : v).trim();
}

/** Looks a header up case-insensitively. */
export function getHeader(headers: HeaderMap, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower) return headerValue(v);
  }
  return undefined;
}

/** The inputs of a canonical request. */
export interface CanonicalRequestInput {
  /** HTTP method, any case. */
  method: string;
  /** Full URL or path with query, e.g. "/v3/{project}/dcaas/virtual-interfaces?limit=2". */
  url: string;
  /** The request headers (any case); only those named in `signedHeaders` are used. */
  headers: HeaderMap;
  /** Lower-case names of the signed headers. */
  signedHeaders: readonly string[];
  /** The body bytes as sent; ignored when `payloadHash` is given. */
  body?: SignableBody;
  /** A precomputed payload hash (e.g. "UNSIGNED-PAYLOAD" from X-Sdk-Content-Sha256). */
  payloadHash?: string;
}

function payloadHashOf(body: SignableBody): string {
  if (body === undefined || body === null || body.length === 0) return EMPTY_BODY_SHA256;
  return sha256Hex(body);
}

/** Builds the canonical request text; throws when a signed header is absent from `headers`. */
export function canonicalRequest(input: CanonicalRequestInput): string {
  const u = new URL(input.url, "http://signing.invalid");
  const names = [...input.signedHeaders].map((n) => n.toLowerCase()).sort();
  let canonicalHeaders = "";
  for (const name of names) {
    const value = getHeader(input.headers, name);
    if (value === undefined) throw new Error(`signed header ${name} is missing from the request`);
    canonicalHeaders += `${name}:${value}\n`;
  }
  return [
    input.method.toUpperCase(),
    canonicalUri(u.pathname),
    canonicalQueryString(u.searchParams),
    canonicalHeaders,
    names.join(";"),
    input.payloadHash ?? payloadHashOf(input.body),
  ].join("\n");
}

/** The string to sign: algorithm, X-Sdk-Date, hex SHA-256 of the canonical request. */
export function stringToSign(sdkDate: string, canonical: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** The signature: hex HMAC-SHA256 of the string to sign, keyed with the secret key as is. */
export function signature(secretKey: string, toSign: string): string {
  return createHmac("sha256", secretKey).update(toSign).digest("hex");
}

/** Formats a date as X-Sdk-Date: YYYYMMDDTHHMMSSZ (UTC). */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Parses X-Sdk-Date text (YYYYMMDDTHHMMSSZ), or returns undefined. */
export function parseSdkDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject rolled-over fields such as month 13 or second 61.
  if (
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return date;
}

/** The parts of an `Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...` header. */
export interface ParsedAuthorization {
  /** The access key. */
  accessKey: string;
  /** Lower-case signed header names, as listed. */
  signedHeaders: string[];
  /** The hex signature. */
  signature: string;
}

/** Parses an SDK-HMAC-SHA256 Authorization header, or returns undefined when it is not one. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header) return undefined;
  const m = /^SDK-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const parts = new Map<string, string>();
  for (const piece of m[1].split(",")) {
    const eq = piece.indexOf("=");
    if (eq < 0) return undefined;
    parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const accessKey = parts.get("Access");
  const signed = parts.get("SignedHeaders");
  const sig = parts.get("Signature");
  if (!accessKey || !signed || !sig || !/^[0-9a-f]{64}$/i.test(sig)) return undefined;
  const signedHeaders = signed.split(";").map((s) => s.trim().toLowerCase());
  if (signedHeaders.some((s) => s === "")) return undefined;
  return { accessKey, signedHeaders, signature: sig.toLowerCase() };
}

/** What `signRequest` needs. */
export interface SignRequestInput {
  /** HTTP method. */
  method: string;
  /** The full URL, e.g. "https://dcaas.example.com/v3/<project>/dcaas/virtual-interfaces?limit=10". */
  url: string;
  /** Headers to send and sign (e.g. content-type, x-project-id); all of them are signed. */
  headers?: HeaderMap;
  /** The exact body bytes that will be sent. */
  body?: SignableBody;
  /** Access key id. */
  accessKey: string;
  /** Secret access key. */
  secretKey: string;
  /** Signing time; default now. Ignored when `headers` already carry X-Sdk-Date. */
  date?: Date;
}

/** Signs a request; returns the headers to add: Authorization, X-Sdk-Date (unless given) and host (unless given). */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const headers: HeaderMap = { ...(input.headers ?? {}) };
  const added: Record<string, string> = {};
  let sdkDate = getHeader(headers, "x-sdk-date");
  if (sdkDate === undefined) {
    sdkDate = formatSdkDate(input.date ?? new Date());
    added["X-Sdk-Date"] = sdkDate;
    headers["X-Sdk-Date"] = sdkDate;
  }
  if (getHeader(headers, "host") === undefined) {
    const host = new URL(input.url).host;
    added.host = host;
    headers.host = host;
  }
  const names = [
    ...new Set(
      Object.keys(headers)
        .filter((k) => headers[k] !== undefined)
        .map((k) => k.toLowerCase()),
    ),
  ].sort();
  const contentSha = getHeader(headers, "x-sdk-content-sha256");
  const canonical = canonicalRequest({
    method: input.method,
    url: input.url,
    headers,
    signedHeaders: names,
    body: input.body,
    payloadHash: contentSha,
  });
  const sig = signature(input.secretKey, stringToSign(sdkDate, canonical));
  added.Authorization = `${SIGNING_ALGORITHM} Access=${input.accessKey}, SignedHeaders=${names.join(";")}, Signature=${sig}`;
  return added;
}

/** What `verifyRequest` needs: the request as received and a way to find a secret key. */
export interface VerifyRequestInput {
  /** HTTP method. */
  method: string;
  /** The request target as received (path and query, or a full URL). */
  url: string;
  /** The received headers (Node's lower-cased `req.headers` works as is). */
  headers: HeaderMap;
  /** The raw body bytes as received. */
  body?: SignableBody;
  /** Returns the secret key of an access key, or undefined when the key is unknown. */
  lookupSecret: (accessKey: string) => string | undefined;
  /** The server's clock; default now. */
  now?: Date;
  /** Tolerated clock skew in milliseconds; default 15 minutes. */
  maxSkewMs?: number;
}

/** The outcome of verification: the authenticated access key, or why the signature was refused. */
export type VerifyResult = { ok: true; accessKey: string } | { ok: false; reason: string };

/** Verifies an SDK-HMAC-SHA256 signature, rebuilding the canonical request from the SignedHeaders it names. */
export function verifyRequest(input: VerifyRequestInput): VerifyResult {
  const auth = parseAuthorization(getHeader(input.headers, "authorization"));
  if (!auth) return { ok: false, reason: "missing or malformed SDK-HMAC-SHA256 Authorization header" };
  if (!auth.signedHeaders.includes("x-sdk-date")) {
    return { ok: false, reason: "X-Sdk-Date must be one of the signed headers" };
  }
  const sdkDate = getHeader(input.headers, "x-sdk-date");
  const date = sdkDate === undefined ? undefined : parseSdkDate(sdkDate);
  if (!sdkDate || !date)
    return { ok: false, reason: "missing or malformed X-Sdk-Date header (YYYYMMDDTHHMMSSZ)" };
  const now = input.now ?? new Date();
  const skew = Math.abs(now.getTime() - date.getTime());
  if (skew > (input.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    return {
      ok: false,
      reason: `X-Sdk-Date ${sdkDate} is more than 15 minutes away from the server's clock`,
    };
  }
  const secret = input.lookupSecret(auth.accessKey);
  if (secret === undefined)
    return { ok: false, reason: `Get secretKey failed: ak ${auth.accessKey} not exist` };
  let canonical: string;
  try {
    canonical = canonicalRequest({
      method: input.method,
      url: input.url,
      headers: input.headers,
      signedHeaders: auth.signedHeaders,
      body: input.body,
      payloadHash: getHeader(input.headers, "x-sdk-content-sha256"),
    });
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const expected = Buffer.from(signature(secret, stringToSign(sdkDate, canonical)), "hex");
  const given = Buffer.from(auth.signature, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "verify aksk signature fail" };
  }
  return { ok: true, accessKey: auth.accessKey };
}
