/**
 * What a route of the emulator is, declared once: method, path, kind, operation id, summary, the
 * request schema (and the validator a handler reads its body through), the response schema, the
 * success status, the list filters and the handler, in one object. The router serves it, the
 * handler's body and query come through what it declares, and /openapi.json (emulator/openapi.ts)
 * documents it from the same object; nothing about a route is written twice.
 */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { ENTERPRISE_PROJECT_ID_RE } from "../api/schemas";
import type { Outcome } from "./backend";
import { NotImplementedByEmulator, RequestBodyAbnormal, RequestParameterError } from "./errors";
import type { Router } from "./router";
import type { ListQuery, ProjectRow } from "./store";

/** Everything a handler may know about a request. */
export interface Ctx {
  requestId: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
  params: Record<string, string>;
  /** The authenticated project (cloud routes with a project id only). */
  project?: ProjectRow;
  /** How an asynchronous operation started by this request ends (fault injection). */
  outcome: Outcome;
}

/** A handler's answer. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body sent as is instead of JSON (a page, a script); its Content-Type goes in `headers`. */
  raw?: string | Buffer;
  /**
   * The object this request created, as the handler says (the request log's `created_id` and,
   * for a peer, `created_in`: its interface). The HTTP layer records it; it never reads bodies.
   */
  created?: Created;
  /**
   * The statuses this answer showed, by id, as the handler says (the request log's `seen`): a
   * read of one object's, with its peers' for an interface.
   */
  seen?: Record<string, string>;
}

/** What a create made: the object's id and, for a peer, the interface it belongs to. */
export interface Created {
  id: string;
  in?: string;
}

/** A route's class: cloud API (faults, auth), IAM (faults, no auth), admin (admin token), open. */
export type RouteKind = "cloud" | "iam" | "admin" | "open";

/** The methods the emulator serves. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * A schema in /openapi.json: a zod schema of api/schemas.ts that carries a meta id (documented
 * as a `$ref` to its component), or a JSON Schema written inline (the admin API's bodies).
 */
export type Schema = z.ZodType | Record<string, unknown>;

/** The OpenAPI facts of a route, as its declaration gives them. */
export interface RouteDoc {
  operationId?: string;
  summary?: string;
  request?: Schema;
  response?: Schema;
  status?: number;
  /** The filters a list accepts besides limit and marker. */
  filters?: readonly string[];
}

/**
 * A route table entry's value. `doc` absent: the route is not in /openapi.json (the console,
 * /openapi.json itself); a cloud route without an operation id is documented as a 501.
 */
export interface RouteDef {
  kind: RouteKind;
  fn: (ctx: Ctx) => Reply | Promise<Reply>;
  doc?: RouteDoc;
}

/** A declared route: its table entry with its method and path. */
export interface Route extends RouteDef {
  method: HttpMethod;
  path: string;
}

/** A request body: the schema /openapi.json shows and, when the route judges the body, how. */
export interface RequestSpec<T, A extends unknown[]> {
  schema: Schema;
  /** Validates the parsed JSON body (throwing the API's error) and returns the typed value. */
  validate?: (raw: unknown, ...args: A) => T;
}

/** What a handler reads a request through besides its context. */
export interface Input<T, A extends unknown[]> {
  /** The JSON body, parsed once (DC.0000 when empty or not JSON). */
  json: () => unknown;
  /** The JSON body judged by the declared validator. */
  body: (...args: A) => T;
  /** limit, marker and the declared filters of a list; anything else is a 400. */
  query: () => ListQuery;
}

/** A handler's answer; without a status, the declared success status. */
export type Answer = Omit<Reply, "status"> & { status?: number };

/** A route as written once, by the module that serves it. */
export interface RouteDeclaration<T, A extends unknown[]> {
  method: HttpMethod;
  path: string;
  kind: RouteKind;
  operationId?: string;
  summary?: string;
  request?: RequestSpec<T, A>;
  response?: Schema;
  /** The success status (a handler's answer without a status gets it). */
  status?: number;
  filters?: readonly string[];
  handler: (ctx: Ctx, input: Input<T, A>) => Answer | Promise<Answer>;
}

/** Turns a declaration into the router's entry: the handler wired to its body, query and status. */
export function route<T = unknown, A extends unknown[] = []>(d: RouteDeclaration<T, A>): Route {
  const { method, path, kind, operationId, summary, request, response, status, filters, handler } = d;
  const withStatus = (a: Answer): Reply => {
    const s = a.status ?? status;
    if (s === undefined) throw new Error(`${method} ${path} answered without a status`);
    return { ...a, status: s };
  };
  const fn = (ctx: Ctx): Reply | Promise<Reply> => {
    let parsed: { value: unknown } | undefined;
    const json = (): unknown => (parsed ??= { value: jsonBody(ctx) }).value;
    const input: Input<T, A> = {
      json,
      body: (...args) => {
        if (!request?.validate) throw new Error(`${method} ${path} declares no body validator`);
        return request.validate(json(), ...args);
      },
      query: () => parseListQuery(ctx, filters ?? []),
    };
    const a = handler(ctx, input);
    return a instanceof Promise ? a.then(withStatus) : withStatus(a);
  };
  const doc: RouteDoc = { operationId, summary, request: request?.schema, response, status, filters };
  return { method, path, kind, fn, doc };
}

/** Adds declared routes to the router, in order (the order /openapi.json lists them in). */
export function addRoutes(router: Router<RouteDef>, routes: readonly Route[]): void {
  for (const r of routes) router.add(r.method, r.path, r);
}

/** Parses a JSON request body: DC.0000 when it is empty or not JSON. */
export function jsonBody(ctx: Ctx): unknown {
  if (ctx.body.length === 0)
    throw new RequestBodyAbnormal("The request body is empty; a JSON object is expected.");
  try {
    return JSON.parse(ctx.body.toString("utf8"));
  } catch (err) {
    throw new RequestBodyAbnormal(`The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** The query parameters every list accepts besides its filters. */
const PAGING = new Set(["limit", "marker"]);
/** Documented list parameters the emulator does not implement (answered 501, never ignored). */
const UNIMPLEMENTED_QUERY = new Set([
  "fields",
  "sort_key",
  "sort_dir",
  "enterprise_project_id",
  "hosting_id",
  "page_reverse",
]);

/** Filters given as one comma-separated value (Huawei: form, no explode), with their item limit. */
export const COMMA_FILTERS: Readonly<Record<string, number>> = { enterprise_project_id: 10 };

/** Parses limit, marker and the filters of a list; anything else is a 400. */
export function parseListQuery(ctx: Ctx, filters: readonly string[]): ListQuery {
  const out: ListQuery = { limit: 2000, filters: {} };
  for (const key of new Set(ctx.query.keys())) {
    const values = ctx.query.getAll(key);
    if (filters.includes(key) && key in COMMA_FILTERS) {
      const items = values.flatMap((v) => v.split(","));
      if (items.length > COMMA_FILTERS[key]) {
        throw new RequestParameterError(`${key} may hold at most ${COMMA_FILTERS[key]} values.`);
      }
      const bad = items.find((v) => !ENTERPRISE_PROJECT_ID_RE.test(v));
      if (bad !== undefined) {
        throw new RequestParameterError(
          `${key} values must be 0 or a UUID, comma-separated (got ${JSON.stringify(bad.slice(0, 40))}).`,
        );
      }
      out.filters![key] = items;
    } else if (PAGING.has(key)) {
      if (values.length > 1) throw new RequestParameterError(`${key} may be given once.`);
      const v = values[0];
      if (key === "limit") {
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 2000) {
          throw new RequestParameterError(
            `limit must be an integer from 1 to 2000 (got ${JSON.stringify(v)}).`,
          );
        }
        out.limit = Number(v);
      } else {
        if (v.length > 36) throw new RequestParameterError("marker must be at most 36 characters.");
        if (v !== "") out.marker = v;
      }
    } else if (filters.includes(key)) {
      if (values.length > 5) throw new RequestParameterError(`${key} may be given at most 5 times.`);
      if (values.some((v) => v.length === 0 || v.length > 64)) {
        throw new RequestParameterError(`${key} values must be 1 to 64 characters.`);
      }
      out.filters![key] = values;
    } else if (UNIMPLEMENTED_QUERY.has(key)) {
      throw new NotImplementedByEmulator(`The query parameter ${key}`);
    } else {
      throw new RequestParameterError(`${key} is not a query parameter of this API.`);
    }
  }
  return out;
}
