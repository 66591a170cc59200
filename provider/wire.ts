/**
 * The provider's view of the api/ contract: wire types, response parsing with the api/ zod
 * schemas (answers are never trusted), and request signing. One place to adapt if api/ moves.
 */
import {
  DirectConnectResponseSchema,
  VirtualGatewayResponseSchema,
  type DirectConnectObject,
  type VirtualGatewayObject,
  HostedVifListResponseSchema,
  HostedVifResponseSchema,
  VifPeerResponseSchema,
  type HostedVifCreate,
  type HostedVifObject,
  type VifPeerCreate,
  type VifPeerObject,
} from "../api/schemas";
import { signRequest } from "../api/signing";
import type { Profile } from "../api/profile";
import { validateHostedVifCreate, validateVifPeerCreate } from "../api/rules";
import type { Issue } from "../api/issues";
import { UNKNOWN } from "./unknowns";

/** A hosted virtual interface as the API returns it. */
export type VirtualInterface = HostedVifObject;
/** A virtual interface peer as the API returns it. */
export type VifPeer = VifPeerObject;
/** A connection as the API returns it. */
export type DirectConnect = DirectConnectObject;
/** A virtual gateway as the API returns it. */
export type VirtualGateway = VirtualGatewayObject;
/** The object inside `virtual_interface` of a create request. */
export type VifCreateBody = HostedVifCreate;
/** The object inside `vif_peer` of a create request. */
export type PeerCreateBody = VifPeerCreate;

/** The answer did not match the API schema. */
export class ResponseFormatError extends Error {
  override name = "ResponseFormatError";
}

function parse<T>(schema: { safeParse(v: unknown): any }, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues
      .slice(0, 3)
      .map((i: any) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new ResponseFormatError(`the API answered with an unexpected ${what} body: ${first}`);
  }
  return r.data as T;
}

/** Parses `{virtual_interface, request_id}`. */
export function parseVirtualInterfaceResponse(body: unknown): VirtualInterface {
  return parse<{ virtual_interface: VirtualInterface }>(HostedVifResponseSchema, body, "virtual interface")
    .virtual_interface;
}

/** Parses `{virtual_interfaces, page_info, request_id}`. */
export function parseVirtualInterfaceList(body: unknown): VirtualInterface[] {
  return parseVirtualInterfacePage(body).items;
}

/** Parses one page of the interface list: its items and the marker of the next page (absent on the last). */
export function parseVirtualInterfacePage(body: unknown): { items: VirtualInterface[]; nextMarker?: string } {
  const page = parse<{ virtual_interfaces: VirtualInterface[]; page_info: { next_marker?: string } }>(
    HostedVifListResponseSchema,
    body,
    "virtual interface list",
  );
  return { items: page.virtual_interfaces, nextMarker: page.page_info.next_marker };
}

/** Parses `{direct_connect, request_id}`. */
export function parseDirectConnectResponse(body: unknown): DirectConnect {
  return parse<{ direct_connect: DirectConnect }>(DirectConnectResponseSchema, body, "connection")
    .direct_connect;
}

/** Parses `{virtual_gateway, request_id}`. */
export function parseVirtualGatewayResponse(body: unknown): VirtualGateway {
  return parse<{ virtual_gateway: VirtualGateway }>(VirtualGatewayResponseSchema, body, "virtual gateway")
    .virtual_gateway;
}

/** Parses `{vif_peer, request_id}`. */
export function parseVifPeerResponse(body: unknown): VifPeer {
  return parse<{ vif_peer: VifPeer }>(VifPeerResponseSchema, body, "VIF peer").vif_peer;
}

/** A request to sign with AK/SK. */
export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The headers to add for AK/SK (`SDK-HMAC-SHA256`) authentication: Authorization and X-Sdk-Date. */
export function sign(
  req: SignableRequest,
  creds: { accessKey: string; secretKey: string },
  now: Date,
): Record<string, string> {
  return signRequest({ ...req, accessKey: creds.accessKey, secretKey: creds.secretKey, date: now });
}

/** The outcome of the api/ rules on a create body. */
export type Validation = { ok: true } | { ok: false; issues: Issue[] };

const isUnknown = (v: unknown) => v === UNKNOWN;

/** Runs the server's stateless rules of `profile` on a hosted VIF create body (the `virtual_interface` contents). */
export function validateHostedVifBody(inner: Record<string, unknown>, profile: Profile): Validation {
  const r = validateHostedVifCreate({ virtual_interface: inner }, { isUnknown, profile });
  return r.ok ? { ok: true } : { ok: false, issues: r.issues };
}

/** Runs the server's stateless rules on a peer create body (the `vif_peer` contents). */
export function validateVifPeerBody(inner: Record<string, unknown>): Validation {
  const r = validateVifPeerCreate({ vif_peer: inner }, { isUnknown });
  return r.ok ? { ok: true } : { ok: false, issues: r.issues };
}
