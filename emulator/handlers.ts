/**
 * The routes of the cloud API, each declared once (method, path, OpenAPI facts, body validator
 * and handler; see ./route), with thin handlers: they translate the wire format (paths, query
 * strings, wrapped bodies) into backend calls and wrap the results. Rules live in api/rules.ts
 * (stateless) and in the backend (stateful), never here.
 */
import {
  DirectConnectListResponseSchema,
  DirectConnectResponseSchema,
  HostedVifCreateRequestSchema,
  HostedVifListResponseSchema,
  HostedVifResponseSchema,
  HostedVifUpdateRequestSchema,
  ResourceTagsActionRequestSchema,
  TokenRequestSchema,
  TokenResponseSchema,
  VifPeerCreateRequestSchema,
  VifPeerResponseSchema,
  VifPeerUpdateRequestSchema,
  VirtualGatewayListResponseSchema,
  VirtualGatewayResponseSchema,
} from "../api/schemas";
import type { Auth } from "./auth";
import type { Backend, PeerDoc } from "./backend";
import { NotImplementedByEmulator, RequestBodyAbnormal, RequestParameterError } from "./errors";
import type { ListQuery } from "./store";
import { type Answer, type Ctx, type HttpMethod, type Route, type RouteDef, addRoutes, route } from "./route";
import type { Router } from "./router";
import { hostedVifCreate, hostedVifUpdate, tagsAction, vifPeerCreate, vifPeerUpdate } from "./validation";

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
export function page<T extends { id: string }>(ctx: Ctx, key: string, items: T[], q: ListQuery): Answer {
  const pageInfo: Record<string, unknown> = {
    previous_marker: items.length > 0 ? items[0].id : (q.marker ?? ""),
    current_count: items.length,
  };
  if (items.length === q.limit && items.length > 0) pageInfo.next_marker = items[items.length - 1].id;
  return { body: { [key]: items, page_info: pageInfo, request_id: ctx.requestId } };
}

/**
 * The statuses an answer about one object shows, by id (its reply's `seen`): the object's and, for
 * an interface, its peers', in the order the answer lists them.
 */
function statusOf(doc: {
  id: string;
  status?: unknown;
  vif_peers?: readonly PeerDoc[] | null;
}): Record<string, string> | undefined {
  // A fixture gateway may carry no status: then the answer showed none.
  if (typeof doc.status !== "string") return undefined;
  const out: Record<string, string> = { [doc.id]: doc.status };
  for (const p of doc.vif_peers ?? []) out[p.id] = p.status;
  return out;
}

function pid(ctx: Ctx): string {
  return ctx.project!.project_id;
}

/** Every route of the cloud API (and IAM's token route), in the order /openapi.json lists them. */
export function cloudRoutes(backend: Backend, auth: Auth): Route[] {
  const P = "/v3/{project_id}/dcaas";
  const TAGS = "/v3/{project_id}/{resource_type}";
  return [
    route({
      method: "POST",
      path: "/v3/auth/tokens",
      kind: "iam",
      operationId: "KeystoneCreateUserTokenByPassword",
      summary: "Issue an IAM token (X-Subject-Token header, 24 h).",
      request: { schema: TokenRequestSchema, validate: (raw) => TokenRequestSchema.safeParse(raw) },
      response: TokenResponseSchema,
      status: 201,
      handler: (_ctx, { body }) => issueToken(body, auth),
    }),

    // Connections (read-only neighbours).
    route({
      method: "GET",
      path: `${P}/direct-connects`,
      kind: "cloud",
      operationId: "ListDirectConnects",
      summary: "List connections.",
      response: DirectConnectListResponseSchema,
      status: 200,
      filters: ["id", "name"],
      handler: (ctx, { query }) => {
        const q = query();
        return page(ctx, "direct_connects", backend.listConnections(pid(ctx), q), q);
      },
    }),
    route({
      method: "GET",
      path: `${P}/direct-connects/{direct_connect_id}`,
      kind: "cloud",
      operationId: "ShowDirectConnect",
      summary: "Show a connection.",
      response: DirectConnectResponseSchema,
      status: 200,
      handler: (ctx) => {
        noQuery(ctx);
        const doc = backend.showConnection(pid(ctx), ctx.params.direct_connect_id);
        return { body: { direct_connect: doc, request_id: ctx.requestId }, seen: statusOf(doc) };
      },
    }),

    // Virtual gateways (read-only neighbours).
    route({
      method: "GET",
      path: `${P}/virtual-gateways`,
      kind: "cloud",
      operationId: "ListVirtualGateways",
      summary: "List virtual gateways.",
      response: VirtualGatewayListResponseSchema,
      status: 200,
      filters: ["id", "vpc_id"],
      handler: (ctx, { query }) => {
        const q = query();
        return page(ctx, "virtual_gateways", backend.listGateways(pid(ctx), q), q);
      },
    }),
    route({
      method: "GET",
      path: `${P}/virtual-gateways/{virtual_gateway_id}`,
      kind: "cloud",
      operationId: "ShowVirtualGateway",
      summary: "Show a virtual gateway.",
      response: VirtualGatewayResponseSchema,
      status: 200,
      handler: (ctx) => {
        noQuery(ctx);
        const doc = backend.showGateway(pid(ctx), ctx.params.virtual_gateway_id);
        return { body: { virtual_gateway: doc, request_id: ctx.requestId }, seen: statusOf(doc) };
      },
    }),

    // Hosted virtual interfaces.
    route({
      method: "GET",
      path: `${P}/virtual-interfaces`,
      kind: "cloud",
      operationId: "ListVirtualInterfaces",
      summary: "List hosted virtual interfaces.",
      response: HostedVifListResponseSchema,
      status: 200,
      filters: ["id", "status", "direct_connect_id", "vgw_id", "enterprise_project_id"],
      handler: (ctx, { query }) => {
        const q = query();
        return page(ctx, "virtual_interfaces", backend.listVifs(pid(ctx), q), q);
      },
    }),
    route({
      method: "POST",
      path: `${P}/virtual-interfaces`,
      kind: "cloud",
      operationId: "CreateVirtualInterface",
      summary: "Create a hosted virtual interface (and its IPv4 peer).",
      request: {
        schema: HostedVifCreateRequestSchema,
        validate: (raw) => hostedVifCreate(raw, backend.profile),
      },
      response: HostedVifResponseSchema,
      status: 201,
      handler: (ctx, { body }) => {
        noQuery(ctx);
        const doc = backend.createVif(pid(ctx), body(), ctx.outcome);
        return { body: { virtual_interface: doc, request_id: ctx.requestId }, created: { id: doc.id } };
      },
    }),
    route({
      method: "GET",
      path: `${P}/virtual-interfaces/{virtual_interface_id}`,
      kind: "cloud",
      operationId: "ShowVirtualInterface",
      summary: "Show a hosted virtual interface.",
      response: HostedVifResponseSchema,
      status: 200,
      handler: (ctx) => {
        noQuery(ctx);
        const doc = backend.showVif(pid(ctx), ctx.params.virtual_interface_id);
        return { body: { virtual_interface: doc, request_id: ctx.requestId }, seen: statusOf(doc) };
      },
    }),
    route({
      method: "PUT",
      path: `${P}/virtual-interfaces/{virtual_interface_id}`,
      kind: "cloud",
      operationId: "UpdateVirtualInterface",
      summary:
        "Rename or re-describe a hosted virtual interface (huawei profile: also Huawei's other UpdateVirtualInterface fields).",
      request: {
        schema: HostedVifUpdateRequestSchema,
        validate: (raw) => hostedVifUpdate(raw, backend.profile),
      },
      response: HostedVifResponseSchema,
      status: 200,
      handler: (ctx, { body }) => {
        noQuery(ctx);
        // An unknown id is a 404 before the body is judged, as for GET and DELETE.
        backend.assertVifExists(pid(ctx), ctx.params.virtual_interface_id);
        const doc = backend.updateVif(pid(ctx), ctx.params.virtual_interface_id, body());
        return { body: { virtual_interface: doc, request_id: ctx.requestId } };
      },
    }),
    route({
      method: "DELETE",
      path: `${P}/virtual-interfaces/{virtual_interface_id}`,
      kind: "cloud",
      operationId: "DeleteVirtualInterface",
      summary: "Delete a hosted virtual interface (PENDING_DELETE, then gone).",
      status: 204,
      handler: (ctx) => {
        noQuery(ctx);
        noBody(ctx);
        backend.deleteVif(pid(ctx), ctx.params.virtual_interface_id, ctx.outcome);
        return {};
      },
    }),
    notImplemented(
      "PUT",
      `${P}/virtual-interfaces/{virtual_interface_id}/extend-attributes`,
      "UpdateExtendAttribute (BFD/NQA settings)",
    ),

    // Virtual interface peers.
    route({
      method: "POST",
      path: `${P}/vif-peers`,
      kind: "cloud",
      operationId: "CreateVifPeer",
      summary: "Add a peer to a virtual interface.",
      request: { schema: VifPeerCreateRequestSchema, validate: (raw) => vifPeerCreate(raw) },
      response: VifPeerResponseSchema,
      status: 201,
      handler: (ctx, { body }) => {
        noQuery(ctx);
        const doc = backend.createPeer(pid(ctx), body(), ctx.outcome);
        return {
          body: { vif_peer: doc, request_id: ctx.requestId },
          created: { id: doc.id, in: doc.vif_id },
        };
      },
    }),
    route({
      method: "PUT",
      path: `${P}/vif-peers/{vif_peer_id}`,
      kind: "cloud",
      operationId: "UpdateVifPeer",
      summary: "Change a peer's name, description or remote subnets.",
      request: {
        schema: VifPeerUpdateRequestSchema,
        validate: (raw, family: "ipv4" | "ipv6") => vifPeerUpdate(raw, family),
      },
      response: VifPeerResponseSchema,
      status: 200,
      handler: (ctx, { body }) => {
        noQuery(ctx);
        const family = backend.peerFamily(pid(ctx), ctx.params.vif_peer_id);
        const doc = backend.updatePeer(pid(ctx), ctx.params.vif_peer_id, body(family));
        return { body: { vif_peer: doc, request_id: ctx.requestId } };
      },
    }),
    route({
      method: "DELETE",
      path: `${P}/vif-peers/{vif_peer_id}`,
      kind: "cloud",
      operationId: "DeleteVifPeer",
      summary: "Delete a peer (never the last one of an interface).",
      status: 204,
      handler: (ctx) => {
        noQuery(ctx);
        noBody(ctx);
        backend.deletePeer(pid(ctx), ctx.params.vif_peer_id, ctx.outcome);
        return {};
      },
    }),

    // Tags (Huawei's tag management API, resource type dc-vif): the batch action is served.
    route({
      method: "POST",
      path: `${TAGS}/{resource_id}/tags/action`,
      kind: "cloud",
      operationId: "BatchCreateResourceTags",
      summary: "Add or remove tags of a virtual interface (resource_type dc-vif; the others answer 501).",
      request: { schema: ResourceTagsActionRequestSchema, validate: (raw) => tagsAction(raw) },
      status: 204,
      handler: (ctx, { json, body }) => {
        noQuery(ctx);
        const type = tagResourceType(ctx.params.resource_type);
        const raw = json();
        if (type !== "dc-vif") {
          throw new NotImplementedByEmulator(`Tags of ${type} (connections and gateways are fixtures)`);
        }
        backend.assertVifExists(pid(ctx), ctx.params.resource_id);
        if (raw && typeof raw === "object" && "sys_tags" in raw) {
          throw new NotImplementedByEmulator("sys_tags (system tags of the tag management service)");
        }
        backend.tagVif(pid(ctx), ctx.params.resource_id, body());
        return {};
      },
    }),
    ...(
      [
        ["GET", `${TAGS}/{resource_id}/tags`, "ShowResourceTag"],
        ["POST", `${TAGS}/{resource_id}/tags`, "CreateResourceTag"],
        ["DELETE", `${TAGS}/{resource_id}/tags/{key}`, "DeleteResourceTag"],
        ["GET", `${TAGS}/tags`, "ListProjectTags"],
        ["POST", `${TAGS}/resource-instances/filter`, "ListTagResourceInstances"],
      ] as const
    ).map(([method, path, what]) =>
      route({
        method,
        path,
        kind: "cloud",
        handler: (ctx) => {
          tagResourceType(ctx.params.resource_type);
          throw new NotImplementedByEmulator(`${what} (tags are read in the interface's answers)`);
        },
      }),
    ),

    // Documented Huawei operations outside the contract: honest 501s.
    notImplemented("GET", `${P}/hosted-connects`, "ListHostedDirectConnects (partner API)"),
    notImplemented(
      "GET",
      `${P}/hosted-connects/{hosted_connect_id}`,
      "ShowHostedDirectConnect (partner API)",
    ),
    notImplemented("GET", `${P}/quotas`, "ShowQuotas"),
    notImplemented("POST", `${P}/direct-connects`, "CreateDirectConnect"),
    notImplemented("POST", `${P}/virtual-gateways`, "CreateVirtualGateway"),
  ];
}

/** Registers every route of the cloud API (and IAM's token route) on the router. */
export function registerCloudRoutes(router: Router<RouteDef>, backend: Backend, auth: Auth): void {
  addRoutes(router, cloudRoutes(backend, auth));
}

/** A documented Huawei operation the emulator answers 501 (documented as such in /openapi.json). */
function notImplemented(method: HttpMethod, path: string, what: string): Route {
  return route({
    method,
    path,
    kind: "cloud",
    handler: () => {
      throw new NotImplementedByEmulator(what);
    },
  });
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
function issueToken(body: () => ReturnType<typeof TokenRequestSchema.safeParse>, auth: Auth): Answer {
  const iamError = (code: number, title: string, message: string): Answer => ({
    status: code,
    body: { error: { code, message, title } },
  });
  let parsed: ReturnType<typeof TokenRequestSchema.safeParse>;
  try {
    parsed = body();
  } catch (err) {
    if (!(err instanceof RequestBodyAbnormal)) throw err;
    return iamError(400, "Bad Request", "The request body is not valid JSON.");
  }
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
