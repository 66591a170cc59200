/**
 * The edge between handlers and api/rules.ts: runs the shared stateless rules on a request body
 * and turns their issues into the 400 the API answers with. No rule lives here.
 */
import type { Profile } from "../api/profile";
import type { RuleResult } from "../api/rules";
import {
  validateHostedVifCreate,
  validateHostedVifUpdate,
  validateVifPeerCreate,
  validateVifPeerUpdate,
  validateTagsAction,
  type TagsAction,
} from "../api/rules";
import type { HostedVifCreate, HostedVifUpdate, VifPeerCreate, VifPeerUpdate } from "../api/schemas";
import { ValidationFailed } from "./errors";

function unwrapOrThrow<T>(r: RuleResult<T>): T {
  if (!r.ok) throw new ValidationFailed(r.issues);
  return r.value;
}

/** The `virtual_interface` object of a valid create body under `profile`, or a 400. */
export function hostedVifCreate(body: unknown, profile: Profile = "jd-hosted"): HostedVifCreate {
  return unwrapOrThrow(validateHostedVifCreate(body, { profile }));
}

/**
 * The `virtual_interface` object of a valid update body under `profile`, or a 400: name and
 * description under jd-hosted, Huawei's `UpdateVirtualInterface` fields under huawei.
 */
export function hostedVifUpdate(
  body: unknown,
  profile: Profile = "jd-hosted",
): HostedVifUpdate & Record<string, unknown> {
  return unwrapOrThrow(validateHostedVifUpdate(body, { profile }));
}

/** The `vif_peer` object of a valid peer create body, or a 400. */
export function vifPeerCreate(body: unknown): VifPeerCreate {
  return unwrapOrThrow(validateVifPeerCreate(body));
}

/** The `vif_peer` object of a valid peer update body for a peer of `addressFamily`, or a 400. */
export function vifPeerUpdate(body: unknown, addressFamily: "ipv4" | "ipv6"): VifPeerUpdate {
  return unwrapOrThrow(validateVifPeerUpdate(body, { addressFamily }));
}

/** A valid tags action body (`{action, tags}`), or a 400. */
export function tagsAction(body: unknown): TagsAction {
  return unwrapOrThrow(validateTagsAction(body));
}
