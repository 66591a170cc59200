/**
 * Thin handlers of the cloud API: they translate the wire format (paths, query strings, wrapped
 * bodies) into backend calls and wrap the results. Rules live in api/rules.ts (stateless) and in
 * the backend (stateful), never here.
 */
import { ENTERPRISE_PROJECT_ID_RE, TokenRequestSchema } from "../api/schemas";
import type { Auth } from "./auth";
import type { Backend } from "./backend";
import { NotImplementedByEmulator, RequestParameterError } from "./errors";
import type { ListQuery } from "./store";
import { type Ctx, type Reply, type RouteDef, jsonBody } from "./server";
import type { Router } from "./router";
import { hostedVifCreate, hostedVifUpdate, tagsAction, vifPeerCreate, vifPeerUpdate } from "./validation";

const P = "/v3/{project_id}/dcaas";

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
const COMMA_FILTERS: Record<string, number> = { enterprise_project_id: 10 };

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

function noQuery(ctx: Ctx): void {
  for (const key of ctx.query.keys()) {
    if (key === "fields") throw new NotImplementedByEmulator("The query parameter fields");
    throw new RequestParameterError(`${key} is not a query parameter of this API.`);
  }
}

function noBody(ctx: Ctx): void {
  if (ctx.body.length > 0 && ctx.body.toString("utf8").trim() !== "") {
    throw new RequestParameterError("This request takes no body.");
  }
}

/** The list wrapper: items, page_info (previous_marker, current_count, next_marker) and request_id. */
export function page<T extends { id: string }>(ctx: Ctx, key: string, items: T[], q: ListQuery): Reply {
  const pageInfo: Record<string, unknown> = {
    previous_marker: items.length > 0 ? items[0].id : (q.marker ?? ""),
    current_count: items.length,
  };
  if (items.length === q.limit && items.length > 0) pageInfo.next_marker = items[items.length - 1].id;
  return { status: 200, body: { [key]: items, page_info: pageInfo, request_id: ctx.requestId } };
}

function pid(ctx: Ctx): string {
  return ctx.project!.project_id;
}

/** Registers every route of the cloud API (and IAM's token route) on the router. */
export function registerCloudRoutes(router: Router<RouteDef>, backend: Backend, auth: Auth): void {
  const cloud = (fn: RouteDef["fn"]): RouteDef => ({ kind: "cloud", fn });

  router.add("POST", "/v3/auth/tokens", { kind: "iam", fn: (ctx) => issueToken(ctx, auth) });

  // Connections (read-only neighbours).
  router.add(
    "GET",
    `${P}/direct-connects`,
    cloud((ctx) => {
      const q = parseListQuery(ctx, ["id", "name"]);
      return page(ctx, "direct_connects", backend.listConnections(pid(ctx), q), q);
    }),
  );
  router.add(
    "GET",
    `${P}/direct-connects/{direct_connect_id}`,
    cloud((ctx) => {
      noQuery(ctx);
      const doc = backend.showConnection(pid(ctx), ctx.params.direct_connect_id);
      return { status: 200, body: { direct_connect: doc, request_id: ctx.requestId } };
    }),
  );

  // Virtual gateways (read-only neighbours).
  router.add(
    "GET",
    `${P}/virtual-gateways`,
    cloud((ctx) => {
      const q = parseListQuery(ctx, ["id", "vpc_id"]);
      return page(ctx, "virtual_gateways", backend.listGateways(pid(ctx), q), q);
    }),
  );
  router.add(
    "GET",
    `${P}/virtual-gateways/{virtual_gateway_id}`,
    cloud((ctx) => {
      noQuery(ctx);
      const doc = backend.showGateway(pid(ctx), ctx.params.virtual_gateway_id);
      return { status: 200, body: { virtual_gateway: doc, request_id: ctx.requestId } };
    }),
  );

  // Hosted virtual interfaces.
  router.add(
    "GET",
    `${P}/virtual-interfaces`,
    cloud((ctx) => {
      const q = parseListQuery(ctx, ["id", "status", "direct_connect_id", "vgw_id", "enterprise_project_id"]);
      return page(ctx, "virtual_interfaces", backend.listVifs(pid(ctx), q), q);
    }),
  );
  router.add(
    "POST",
    `${P}/virtual-interfaces`,
    cloud((ctx) => {
      noQuery(ctx);
      const input = hostedVifCreate(jsonBody(ctx), backend.profile);
      const doc = backend.createVif(pid(ctx), input, ctx.outcome);
      return { status: 201, body: { virtual_interface: doc, request_id: ctx.requestId } };
    }),
  );
  router.add(
    "GET",
    `${P}/virtual-interfaces/{virtual_interface_id}`,
    cloud((ctx) => {
      noQuery(ctx);
      const doc = backend.showVif(pid(ctx), ctx.params.virtual_interface_id);
      return { status: 200, body: { virtual_interface: doc, request_id: ctx.requestId } };
    }),
  );
  router.add(
    "PUT",
    `${P}/virtual-interfaces/{virtual_interface_id}`,
    cloud((ctx) => {
      noQuery(ctx);
      // An unknown id is a 404 before the body is judged, as for GET and DELETE.
      backend.assertVifExists(pid(ctx), ctx.params.virtual_interface_id);
      const patch = hostedVifUpdate(jsonBody(ctx), backend.profile);
      const doc = backend.updateVif(pid(ctx), ctx.params.virtual_interface_id, patch);
      return { status: 200, body: { virtual_interface: doc, request_id: ctx.requestId } };
    }),
  );
  router.add(
    "DELETE",
    `${P}/virtual-interfaces/{virtual_interface_id}`,
    cloud((ctx) => {
      noQuery(ctx);
      noBody(ctx);
      backend.deleteVif(pid(ctx), ctx.params.virtual_interface_id, ctx.outcome);
      return { status: 204 };
    }),
  );
  router.add(
    "PUT",
    `${P}/virtual-interfaces/{virtual_interface_id}/extend-attributes`,
    cloud(() => {
      throw new NotImplementedByEmulator("UpdateExtendAttribute (BFD/NQA settings)");
    }),
  );

  // Virtual interface peers.
  router.add(
    "POST",
    `${P}/vif-peers`,
    cloud((ctx) => {
      noQuery(ctx);
      const input = vifPeerCreate(jsonBody(ctx));
      const doc = backend.createPeer(pid(ctx), input, ctx.outcome);
      return { status: 201, body: { vif_peer: doc, request_id: ctx.requestId } };
    }),
  );
  router.add(
    "PUT",
    `${P}/vif-peers/{vif_peer_id}`,
    cloud((ctx) => {
      noQuery(ctx);
      const family = backend.peerFamily(pid(ctx), ctx.params.vif_peer_id);
      const patch = vifPeerUpdate(jsonBody(ctx), family);
      const doc = backend.updatePeer(pid(ctx), ctx.params.vif_peer_id, patch);
      return { status: 200, body: { vif_peer: doc, request_id: ctx.requestId } };
    }),
  );
  router.add(
    "DELETE",
    `${P}/vif-peers/{vif_peer_id}`,
    cloud((ctx) => {
      noQuery(ctx);
      noBody(ctx);
      backend.deletePeer(pid(ctx), ctx.params.vif_peer_id, ctx.outcome);
      return { status: 204 };
    }),
  );

  // Documented Huawei operations outside the contract: honest 501s.
  const unimplemented: [string, string, string][] = [
    ["GET", `${P}/hosted-connects`, "ListHostedDirectConnects (partner API)"],
    ["GET", `${P}/hosted-connects/{hosted_connect_id}`, "ShowHostedDirectConnect (partner API)"],
    ["GET", `${P}/quotas`, "ShowQuotas"],
    ["POST", `${P}/direct-connects`, "CreateDirectConnect"],
    ["POST", `${P}/virtual-gateways`, "CreateVirtualGateway"],
  ];

  // Tags (Huawei's tag management API, resource type dc-vif): the batch action is served.
  router.add(
    "POST",
    "/v3/{project_id}/{resource_type}/{resource_id}/tags/action",
    cloud((ctx) => {
      noQuery(ctx);
      const type = tagResourceType(ctx.params.resource_type);
      const body = jsonBody(ctx);
      if (type !== "dc-vif") {
        throw new NotImplementedByEmulator(`Tags of ${type} (connections and gateways are fixtures)`);
      }
      backend.assertVifExists(pid(ctx), ctx.params.resource_id);
      if (body && typeof body === "object" && "sys_tags" in body) {
        throw new NotImplementedByEmulator("sys_tags (system tags of the tag management service)");
      }
      backend.tagVif(pid(ctx), ctx.params.resource_id, tagsAction(body));
      return { status: 204 };
    }),
  );
  const tagRoutes: [string, string, string][] = [
    ["GET", "/v3/{project_id}/{resource_type}/{resource_id}/tags", "ShowResourceTag"],
    ["POST", "/v3/{project_id}/{resource_type}/{resource_id}/tags", "CreateResourceTag"],
    ["DELETE", "/v3/{project_id}/{resource_type}/{resource_id}/tags/{key}", "DeleteResourceTag"],
    ["GET", "/v3/{project_id}/{resource_type}/tags", "ListProjectTags"],
    ["POST", "/v3/{project_id}/{resource_type}/resource-instances/filter", "ListTagResourceInstances"],
  ];
  for (const [method, template, what] of tagRoutes) {
    router.add(
      method,
      template,
      cloud((ctx) => {
        tagResourceType(ctx.params.resource_type);
        throw new NotImplementedByEmulator(`${what} (tags are read in the interface's answers)`);
      }),
    );
  }
  for (const [method, template, what] of unimplemented) {
    router.add(
      method,
      template,
      cloud(() => {
        throw new NotImplementedByEmulator(what);
      }),
    );
  }
}

const TAG_RESOURCE_TYPES = ["dc-directconnect", "dc-vgw", "dc-vif"];

/** The resource_type of a tags route, or a 400 naming the allowed ones. */
function tagResourceType(type: string): string {
  if (!TAG_RESOURCE_TYPES.includes(type)) {
    throw new RequestParameterError(
      `resource_type must be one of ${TAG_RESOURCE_TYPES.join(", ")} (got ${JSON.stringify(type.slice(0, 40))}).`,
    );
  }
  return type;
}

/** POST /v3/auth/tokens: IAM password authentication with a project scope; Keystone-style errors. */
function issueToken(ctx: Ctx, auth: Auth): Reply {
  const iamError = (code: number, title: string, message: string): Reply => ({
    status: code,
    body: { error: { code, message, title } },
  });
  let raw: unknown;
  try {
    raw = JSON.parse(ctx.body.toString("utf8"));
  } catch {
    return iamError(400, "Bad Request", "The request body is not valid JSON.");
  }
  const parsed = TokenRequestSchema.safeParse(raw);
  if (!parsed.success) {
    return iamError(
      400,
      "Bad Request",
      `Invalid token request: ${parsed.error.issues[0]?.message ?? "bad body"}.`,
    );
  }
  const { identity, scope } = parsed.data.auth;
  const user = identity.password.user;
  if (!scope.project.id && !scope.project.name) {
    return iamError(400, "Bad Request", "The project scope needs an id or a name.");
  }
  const issued = auth.issueToken(user.domain.name, user.name, user.password, scope.project);
  if (!issued)
    return iamError(401, "Unauthorized", "The username or password is wrong, or the project is not yours.");
  const domain = { id: issued.project.domain_name, name: issued.project.domain_name };
  return {
    status: 201,
    headers: { "X-Subject-Token": issued.token },
    body: {
      token: {
        expires_at: new Date(issued.expiresAt).toISOString(),
        issued_at: new Date(issued.issuedAt).toISOString(),
        methods: ["password"],
        catalog: [],
        project: { id: issued.project.project_id, name: issued.project.project_name, domain },
        roles: [{ id: "0", name: "te_admin" }],
        user: { id: `user-${issued.project.username}`, name: issued.project.username, domain },
      },
    },
  };
}
