// The stateless validation rules of the contract, shared by the emulator (answering 400) and the
// provider (Pulumi `check`, also during preview). Every rule runs and every broken one yields an
// issue; a field that fails its own checks, or whose value is still unknown during preview, takes
// no part in cross-field rules, so one mistake produces exactly one issue.
import type { ErrorCode } from "./errors";
import { type FieldNamer, type Issue, issueOf, type IssueText } from "./issues";
import type { Profile } from "./profile";
import {
  type Cidr,
  type IpFamily,
  canonicalCidr,
  formatCidr,
  isPrivateV4,
  networkOf,
  parseCidrDetailed,
  rangeOf,
  sameSubnet,
  cidrsOverlap,
} from "./net";
import {
  BGP_MD5_RE,
  CLOUD_BGP_ASN,
  DESCRIPTION_RE,
  ENTERPRISE_PROJECT_ID_RE,
  LIMITS,
  NAME_RE,
  PROJECT_ID_RE,
  UUID_RE,
  type HostedVifCreate,
  HostedVifCreateSchema,
  HostedVifUpdateSchema,
  VifPeerCreateSchema,
  VifPeerUpdateSchema,
  type HostedVifUpdate,
  type VifPeerCreate,
  type VifPeerUpdate,
} from "./schemas";

/** The string Pulumi passes for a value not yet known during preview. */
export const PULUMI_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is Pulumi's preview-time unknown sentinel. */
export function isPulumiUnknown(v: unknown): boolean {
  return v === PULUMI_UNKNOWN;
}

/** Options of every validator. */
export interface RuleOptions {
  /** Tells whether a value is still unknown (preview); such a value passes and cross-field rules on it are skipped. */
  isUnknown?: (v: unknown) => boolean;
  /** The rule profile (default `jd-hosted`); rules only one profile has say so in their message. */
  profile?: Profile;
}

/** Extra context for peer updates: the peer's address family, when the caller knows it. */
export interface VifPeerUpdateOptions extends RuleOptions {
  /** The address family of the peer being updated; `remote_ep_group` entries must be of it. */
  addressFamily?: IpFamily;
}

/** The outcome of a validator: the (normalised) body, or every issue found. */
export type RuleResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

/** Fields of a hosted virtual interface create body (the contract's plus Huawei's): the schema's. */
export const HOSTED_VIF_CREATE_FIELDS = Object.keys(HostedVifCreateSchema.shape) as readonly string[];

/** Fields a hosted virtual interface update may change (jd-hosted: the seed's model renames only). */
export const HOSTED_VIF_UPDATABLE_FIELDS = Object.keys(HostedVifUpdateSchema.shape) as readonly string[];

/**
 * Fields of Huawei's `UpdateVirtualInterface` (huawei profile): the one-PUT set Terraform sends
 * (name, description, bandwidth, remote_ep_group, service_ep_group), priority (alone), the BFD/NQA
 * toggles and the accepter's status.
 */
export const HUAWEI_VIF_UPDATABLE_FIELDS = [
  "name",
  "description",
  "bandwidth",
  "remote_ep_group",
  "service_ep_group",
  "priority",
  "enable_bfd",
  "enable_nqa",
  "status",
] as const;

/** Fields of a peer create body (Huawei CreateVifPeer): the schema's. */
export const VIF_PEER_CREATE_FIELDS = Object.keys(VifPeerCreateSchema.shape) as readonly string[];

/** Fields a peer update may change. */
export const VIF_PEER_UPDATABLE_FIELDS = Object.keys(VifPeerUpdateSchema.shape) as readonly string[];

// ---------------------------------------------------------------------------------------------
// Field states and the checker

type Field<T> = { state: "absent" } | { state: "unknown" } | { state: "invalid" } | { state: "ok"; value: T };

const ABSENT = { state: "absent" } as const;
const UNKNOWN = { state: "unknown" } as const;
const INVALID = { state: "invalid" } as const;

function ok<T>(value: T): Field<T> {
  return { state: "ok", value };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Short, safe rendering of a received value for messages. */
function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function charCount(s: string): number {
  return [...s].length;
}

interface StringRule {
  required?: boolean;
  min?: number;
  max: number;
  pattern?: RegExp;
  patternRule?: string;
  secret?: boolean;
}

interface IntRule {
  required?: boolean;
  min: number;
  max: number;
  rangeCode?: ErrorCode;
  /** Appended to the range message, e.g. " (jd-hosted profile)". */
  suffix?: string;
}

class Checker {
  readonly issues: Issue[] = [];

  constructor(
    readonly wrapper: string,
    readonly obj: Record<string, unknown>,
    private readonly unknownFn: (v: unknown) => boolean,
  ) {}

  isUnknown(v: unknown): boolean {
    return this.unknownFn(v);
  }

  add(code: ErrorCode, field: string, text: IssueText, index?: number): void {
    const path = [this.wrapper, field];
    if (index !== undefined) path.push(String(index));
    this.issues.push(issueOf(code, path, text));
  }

  raw(field: string): unknown {
    return this.obj[field];
  }

  present(field: string): boolean {
    return this.obj[field] !== undefined;
  }

  /** Common prelude: absent (with the required check), unknown, or the raw value to check. */
  private start(field: string, required: boolean | undefined, requiredMsg?: IssueText): Field<unknown> {
    const v = this.obj[field];
    if (v === undefined) {
      if (required) {
        this.add("DC.0001", field, requiredMsg ?? ((nm) => `${nm(field)} is required`));
        return INVALID;
      }
      return ABSENT;
    }
    if (this.isUnknown(v)) return UNKNOWN;
    return ok(v);
  }

  string(field: string, rule: StringRule): Field<string> {
    const s = this.start(field, rule.required);
    if (s.state !== "ok") return s;
    const v = s.value;
    const min = rule.min ?? 0;
    const lengthRule = min === 0 ? `at most ${rule.max} characters` : `${min} to ${rule.max} characters`;
    if (typeof v !== "string") {
      this.add(
        "DC.0001",
        field,
        (nm) => `${nm(field)} must be a string of ${lengthRule} (got ${rule.secret ? typeof v : show(v)})`,
      );
      return INVALID;
    }
    const n = charCount(v);
    if (n < min || n > rule.max) {
      this.add("DC.0001", field, (nm) => `${nm(field)} must be ${lengthRule} (got ${n})`);
      return INVALID;
    }
    if (rule.pattern && !rule.pattern.test(v)) {
      this.add(
        "DC.0001",
        field,
        (nm) => `${nm(field)} ${rule.patternRule}${rule.secret ? "" : ` (got ${show(v)})`}`,
      );
      return INVALID;
    }
    return ok(v);
  }

  int(
    field: string,
    rule: IntRule,
    requiredCode: ErrorCode = "DC.0001",
    requiredMsg?: IssueText,
  ): Field<number> {
    const v = this.obj[field];
    if (v === undefined) {
      if (rule.required) {
        this.add(requiredCode, field, requiredMsg ?? ((nm) => `${nm(field)} is required`));
        return INVALID;
      }
      return ABSENT;
    }
    if (this.isUnknown(v)) return UNKNOWN;
    const msg: IssueText = (nm) =>
      `${nm(field)} must be an integer from ${rule.min} to ${rule.max}${rule.suffix ?? ""} (got ${show(v)})`;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      this.add("DC.0001", field, msg);
      return INVALID;
    }
    if (v < rule.min || v > rule.max) {
      this.add(rule.rangeCode ?? "DC.0001", field, msg);
      return INVALID;
    }
    return ok(v);
  }

  enumOf<T extends string>(
    field: string,
    values: readonly T[],
    opts: { required?: boolean; caseInsensitive?: boolean; hint?: string } = {},
  ): Field<T> {
    const s = this.start(field, opts.required);
    if (s.state !== "ok") return s as Field<T>;
    const v = s.value;
    const candidate = typeof v === "string" && opts.caseInsensitive ? v.toLowerCase() : v;
    if (typeof candidate === "string" && (values as readonly string[]).includes(candidate)) {
      return ok(candidate as T);
    }
    const hint = opts.hint ? `; ${opts.hint}` : "";
    this.add(
      "DC.0001",
      field,
      (nm) =>
        `${nm(field)} must be ${values.length === 1 ? "" : "one of "}${values.join(", ")} (got ${show(v)})${hint}`,
    );
    return INVALID;
  }

  bool(field: string): Field<boolean> {
    const s = this.start(field, false);
    if (s.state !== "ok") return s as Field<boolean>;
    if (typeof s.value !== "boolean") {
      this.add("DC.0001", field, (nm) => `${nm(field)} must be true or false (got ${show(s.value)})`);
      return INVALID;
    }
    return ok(s.value);
  }

  uuid(field: string, required: boolean): Field<string> {
    const s = this.start(field, required);
    if (s.state !== "ok") return s as Field<string>;
    if (typeof s.value !== "string" || !UUID_RE.test(s.value)) {
      this.add("DC.0001", field, (nm) => `${nm(field)} must be a UUID (got ${show(s.value)})`);
      return INVALID;
    }
    return ok(s.value);
  }

  /** A Huawei-defined field this API refuses, with the reason. */
  forbidden(field: string, reason: string): void {
    const v = this.obj[field];
    if (v === undefined || this.isUnknown(v)) return;
    this.add("DC.0001", field, (nm) => `${nm(field)} is not accepted: ${reason}`);
  }

  /** Rejects fields outside `allowed`; fields in `immutable` get a "cannot be updated" message. */
  onlyFields(allowed: readonly string[], what: string, immutable: readonly string[] = []): void {
    for (const key of Object.keys(this.obj)) {
      if (allowed.includes(key)) continue;
      if (immutable.includes(key)) {
        this.add(
          "DC.0001",
          key,
          (nm) => `${nm(key)} cannot be updated: only ${allowed.join(", ")} can be changed`,
        );
      } else {
        this.add("DC.0001", key, (nm) => `${nm(key)} is not a field of ${what}`);
      }
    }
  }

  /** A gateway address: CIDR text; IPv4 a host address of a /30 (optionally private); IPv6 prefix /64-/127. */
  gatewayIp(
    field: string,
    opts: {
      required?: boolean;
      family?: IpFamily;
      requireFamily?: IpFamily;
      privateV4?: boolean;
      requiredMsg?: IssueText;
    },
  ): Field<Cidr> {
    const s = this.start(field, opts.required, opts.requiredMsg);
    if (s.state !== "ok") return s as Field<Cidr>;
    const v = s.value;
    const wanted = opts.requireFamily ?? opts.family;
    const example = wanted === "ipv6" ? "fd00::1/64" : "10.0.0.1/30";
    const parsed = parseCidrDetailed(v);
    if (!parsed.ok) {
      this.add(
        "DC.0004",
        field,
        (nm) =>
          `${nm(field)} must be ${wanted === "ipv6" ? "IPv6" : wanted === "ipv4" ? "IPv4" : "IP"} CIDR text such as ${example} (got ${show(v)}: ${parsed.reason})`,
      );
      return INVALID;
    }
    const c = parsed.cidr;
    if (wanted && c.family !== wanted) {
      const why = opts.requireFamily ? "" : " because address_family is " + wanted;
      this.add(
        "DC.0004",
        field,
        (nm) =>
          `${nm(field)} must be an ${wanted === "ipv6" ? "IPv6" : "IPv4"} address${why} (got ${show(v)})`,
      );
      return INVALID;
    }
    if (c.family === "ipv4") {
      if (c.prefix !== 30) {
        this.add("DC.0004", field, (nm) => `${nm(field)} must have prefix /30 (got ${show(v)})`);
        return INVALID;
      }
      const low = c.value & 3n;
      if (low !== 1n && low !== 2n) {
        this.add(
          "DC.0004",
          field,
          (nm) =>
            `${nm(field)} must be one of the two host addresses of its /30 (.1 or .2 of the block), not the network or broadcast address (got ${show(v)})`,
        );
        return INVALID;
      }
      if (opts.privateV4 && !isPrivateV4(c)) {
        this.add(
          "DC.0004",
          field,
          (nm) => `${nm(field)} must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (got ${show(v)})`,
        );
        return INVALID;
      }
      const range = rangeOf(c);
      if (["unspecified", "loopback", "multicast", "reserved", "broadcast", "linkLocal"].includes(range)) {
        this.add(
          "DC.0004",
          field,
          (nm) => `${nm(field)} must be a unicast address (got ${show(v)}, a ${range} address)`,
        );
        return INVALID;
      }
    } else {
      if (c.prefix < LIMITS.ipv6PrefixMin || c.prefix > LIMITS.ipv6PrefixMax) {
        this.add(
          "DC.0004",
          field,
          (nm) =>
            `${nm(field)} must have a prefix from /${LIMITS.ipv6PrefixMin} to /${LIMITS.ipv6PrefixMax} (got ${show(v)})`,
        );
        return INVALID;
      }
      if (c.prefix < 127 && networkOf(c).value === c.value) {
        this.add(
          "DC.0004",
          field,
          (nm) =>
            `${nm(field)} must be a host address, not the subnet-router anycast address of its network (got ${show(v)})`,
        );
        return INVALID;
      }
      const range = rangeOf(c);
      if (["unspecified", "loopback", "multicast", "linkLocal"].includes(range)) {
        this.add(
          "DC.0004",
          field,
          (nm) => `${nm(field)} must be a unicast address (got ${show(v)}, a ${range} address)`,
        );
        return INVALID;
      }
    }
    return ok(c);
  }

  /** Two gateway addresses of one link: same family and subnet, different addresses. */
  gatewayPair(localField: string, local: Field<Cidr>, remoteField: string, remote: Field<Cidr>): boolean {
    if (local.state !== "ok" || remote.state !== "ok") return false;
    const l = local.value;
    const r = remote.value;
    if (l.family !== r.family) {
      this.add(
        "DC.0004",
        localField,
        (nm) =>
          `${nm(localField)} and ${nm(remoteField)} must be of the same address family (got ${formatCidr(l)} and ${formatCidr(r)})`,
      );
      return false;
    }
    if (!sameSubnet(l, r)) {
      this.add(
        "DC.0004",
        localField,
        (nm) =>
          `${nm(localField)} and ${nm(remoteField)} must be host addresses of the same subnet with the same prefix (got ${formatCidr(l)} and ${formatCidr(r)})`,
      );
      return false;
    }
    if (l.value === r.value) {
      this.add(
        "DC.0004",
        localField,
        (nm) => `${nm(localField)} must differ from ${nm(remoteField)} (both are ${formatCidr(l)})`,
      );
      return false;
    }
    return true;
  }

  /** A list of networks (no host bits), of one family when known, at most `max`, no duplicates. */
  networkList(field: string, opts: { family?: IpFamily; max: number }): Field<unknown[]> {
    const s = this.start(field, false);
    if (s.state !== "ok") return s as Field<unknown[]>;
    const v = s.value;
    const fam = opts.family === "ipv6" ? "IPv6" : opts.family === "ipv4" ? "IPv4" : "IP";
    if (!Array.isArray(v)) {
      this.add(
        "DC.0001",
        field,
        (nm) => `${nm(field)} must be an array of ${fam} networks in CIDR notation (got ${show(v)})`,
      );
      return INVALID;
    }
    if (v.length > opts.max) {
      this.add(
        "DC.0001",
        field,
        (nm) => `${nm(field)} must hold at most ${opts.max} networks (got ${v.length})`,
      );
      return INVALID;
    }
    let bad = false;
    const seen = new Map<string, number>();
    v.forEach((item, i) => {
      if (this.isUnknown(item)) return;
      const label = (nm: FieldNamer) => `${nm(field)}[${i}]`;
      const parsed = parseCidrDetailed(item);
      if (!parsed.ok) {
        this.add(
          "DC.0004",
          field,
          (nm) =>
            `${label(nm)} must be an ${fam} network in CIDR notation such as ${opts.family === "ipv6" ? "fd00:1::/64" : "192.168.50.0/24"} (got ${show(item)}: ${parsed.reason})`,
          i,
        );
        bad = true;
        return;
      }
      const c = parsed.cidr;
      if (opts.family && c.family !== opts.family) {
        this.add("DC.0004", field, (nm) => `${label(nm)} must be an ${fam} network (got ${show(item)})`, i);
        bad = true;
        return;
      }
      const net = networkOf(c);
      if (net.value !== c.value) {
        this.add(
          "DC.0004",
          field,
          (nm) =>
            `${label(nm)} must be a network address with no host bits set (got ${show(item)}; the network is ${formatCidr(net)})`,
          i,
        );
        bad = true;
        return;
      }
      const key = formatCidr(c);
      const first = seen.get(key);
      if (first !== undefined) {
        this.add("DC.0001", field, (nm) => `${label(nm)} duplicates ${nm(field)}[${first}] (${nm(key)})`, i);
        bad = true;
        return;
      }
      seen.set(key, i);
    });
    return bad ? INVALID : ok(v);
  }

  tags(field: string, opts: { required?: boolean; valueOptional?: boolean } = {}): void {
    const s = this.start(field, opts.required);
    if (s.state !== "ok") return;
    const v = s.value;
    if (!Array.isArray(v)) {
      this.add(
        "DC.0001",
        field,
        (nm) => `${nm(field)} must be an array of {key, value} objects (got ${show(v)})`,
      );
      return;
    }
    if (v.length > LIMITS.tagsMax) {
      this.add(
        "DC.0001",
        field,
        (nm) => `${nm(field)} must hold at most ${LIMITS.tagsMax} tags (got ${v.length})`,
      );
      return;
    }
    const keys = new Map<string, number>();
    v.forEach((tag, i) => {
      if (this.isUnknown(tag)) return;
      const label = (nm: FieldNamer) => `${nm(field)}[${i}]`;
      if (!isPlainObject(tag)) {
        this.add(
          "DC.0001",
          field,
          (nm) => `${label(nm)} must be an object {key, value} (got ${show(tag)})`,
          i,
        );
        return;
      }
      const extra = Object.keys(tag).filter((k) => k !== "key" && k !== "value");
      if (extra.length > 0) {
        this.add(
          "DC.0001",
          field,
          (nm) => `${label(nm)} has unknown fields: ${extra.join(", ")} (a tag holds key and value)`,
          i,
        );
        return;
      }
      const { key, value } = tag;
      if (!this.isUnknown(key)) {
        if (typeof key !== "string" || charCount(key) < 1 || charCount(key) > LIMITS.tagKeyMax) {
          this.add(
            "DC.0001",
            field,
            (nm) =>
              `${label(nm)}.key must be a string of 1 to ${LIMITS.tagKeyMax} characters (got ${show(key)})`,
            i,
          );
          return;
        }
        if (key.startsWith("_sys_") || key !== key.trim()) {
          this.add(
            "DC.0001",
            field,
            (nm) =>
              `${label(nm)}.key must not start with _sys_ nor begin or end with a space (got ${show(key)})`,
            i,
          );
          return;
        }
        const first = keys.get(key);
        if (first !== undefined) {
          this.add(
            "DC.0001",
            field,
            (nm) => `${label(nm)}.key duplicates ${nm(field)}[${first}].key (${show(key)})`,
            i,
          );
          return;
        }
        keys.set(key, i);
      }
      if (opts.valueOptional && value === undefined) return;
      if (!this.isUnknown(value) && (typeof value !== "string" || charCount(value) > LIMITS.tagValueMax)) {
        this.add(
          "DC.0001",
          field,
          (nm) =>
            `${label(nm)}.value must be a string of at most ${LIMITS.tagValueMax} characters (got ${show(value)})`,
          i,
        );
      }
    });
  }

  result<T>(): RuleResult<T> {
    if (this.issues.length > 0) return { ok: false, issues: this.issues };
    const value: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.obj)) {
      if (v !== undefined) value[k] = v;
    }
    if (typeof value.address_family === "string" && !this.isUnknown(value.address_family)) {
      value.address_family = value.address_family.toLowerCase();
    }
    return { ok: true, value: value as T };
  }
}

/** Checks the `{wrapper: {...}}` envelope; DC.0000 when it is absent or not an object. */
function unwrap(body: unknown, wrapper: string, isUnknown: (v: unknown) => boolean): Checker | Issue[] {
  if (!isPlainObject(body)) {
    return [
      {
        code: "DC.0000",
        path: [wrapper],
        message: `the request body must be a JSON object holding a ${wrapper} object (got ${show(body)})`,
      },
    ];
  }
  const inner = body[wrapper];
  if (!isPlainObject(inner)) {
    const got = inner === undefined ? "it is missing" : `got ${show(inner)}`;
    return [
      {
        code: "DC.0000",
        path: [wrapper],
        message: `the request body must hold a ${wrapper} object (${got})`,
      },
    ];
  }
  const checker = new Checker(wrapper, inner, isUnknown);
  for (const key of Object.keys(body)) {
    if (key !== wrapper) {
      checker.issues.push({
        code: "DC.0001",
        path: [key],
        message: `${key} is not a field of the request body (it holds only ${wrapper})`,
      });
    }
  }
  return checker;
}

function unknownFn(opts?: RuleOptions): (v: unknown) => boolean {
  return opts?.isUnknown ?? (() => false);
}

const NAME_RULE = "may contain only letters, digits, CJK characters, '-', '_' and '.'";
const DESCRIPTION_RULE = "must not contain '<' or '>'";
const MD5_RULE = `must be 1 to ${LIMITS.bgpMd5Max} printable ASCII characters without whitespace`;

function bgpMd5(c: Checker): Field<string> {
  const s = c.raw("bgp_md5");
  if (s !== undefined && !c.isUnknown(s) && (typeof s !== "string" || !BGP_MD5_RE.test(s))) {
    // Never echo the key: it is a secret.
    c.add("DC.0001", "bgp_md5", (nm) => `${nm("bgp_md5")} ${MD5_RULE}`);
    return INVALID;
  }
  if (s === undefined) return ABSENT;
  if (c.isUnknown(s)) return UNKNOWN;
  return ok(s as string);
}

/** The ASN and MD5 rules that depend on the route mode (`static` when absent and `defaultStatic`). */
function routeModeRules(
  c: Checker,
  routeMode: Field<string>,
  asn: Field<number>,
  md5: Field<string>,
  defaultStatic: boolean,
): void {
  let mode: string | undefined;
  if (routeMode.state === "ok") mode = routeMode.value;
  else if (routeMode.state === "absent" && defaultStatic) mode = "static";
  if (mode === undefined) return;
  const implied = routeMode.state === "absent" ? " (route_mode defaults to static)" : "";
  if (mode === "bgp" && asn.state === "absent") {
    c.add("DC.1203", "bgp_asn", (nm) => `${nm("bgp_asn")} is required when ${nm("route_mode")} is bgp`);
  }
  if (mode === "static" && asn.state === "ok") {
    c.add(
      "DC.0001",
      "bgp_asn",
      (nm) => `${nm("bgp_asn")} must not be set when ${nm("route_mode")} is static${implied}`,
    );
  }
  if (mode === "static" && md5.state === "ok") {
    c.add(
      "DC.0001",
      "bgp_md5",
      (nm) => `${nm("bgp_md5")} is only allowed when ${nm("route_mode")} is bgp${implied}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Hosted virtual interfaces

/** Validates a hosted virtual interface create body (`{"virtual_interface": {...}}`); the value is the inner object. */
export function validateHostedVifCreate(body: unknown, opts?: RuleOptions): RuleResult<HostedVifCreate> {
  const c = unwrap(body, "virtual_interface", unknownFn(opts));
  if (Array.isArray(c)) return { ok: false, issues: c };
  c.onlyFields(HOSTED_VIF_CREATE_FIELDS, "virtual_interface (unknown fields are rejected)");

  c.string("name", { required: true, min: 1, max: LIMITS.nameMax, pattern: NAME_RE, patternRule: NAME_RULE });
  c.string("description", {
    max: LIMITS.descriptionMax,
    pattern: DESCRIPTION_RE,
    patternRule: DESCRIPTION_RULE,
  });
  c.uuid("direct_connect_id", true);
  c.uuid("vgw_id", true);
  c.enumOf("type", ["private"], { hint: "public virtual interfaces are not supported" });
  const profile = opts?.profile ?? "jd-hosted";
  const huawei = profile === "huawei";
  c.int("vlan", { required: true, min: LIMITS.vlanMin, max: LIMITS.vlanMax });
  const routeMode = c.enumOf("route_mode", ["static", "bgp"] as const, { required: true });
  const asn = huawei
    ? c.int("bgp_asn", { min: LIMITS.peerAsnMin, max: LIMITS.peerAsnMax, rangeCode: "DC.0008" })
    : c.int("bgp_asn", {
        min: LIMITS.hostedAsnMin,
        max: LIMITS.hostedAsnMax,
        rangeCode: "DC.0008",
        suffix: " (jd-hosted profile)",
      });
  if (huawei && asn.state === "ok" && asn.value === CLOUD_BGP_ASN) {
    c.add(
      "DC.1223",
      "bgp_asn",
      (nm) =>
        `${nm("bgp_asn")} must not be ${CLOUD_BGP_ASN}, the cloud side's own ASN (huawei profile; choose another private ASN such as 65001)`,
    );
  }
  const md5 = bgpMd5(c);
  routeModeRules(c, routeMode, asn, md5, false);

  const v4 = { family: "ipv4" as const, requireFamily: "ipv4" as const, privateV4: true };
  const remote = c.gatewayIp("remote_gateway_v4_ip", { ...v4, required: true });
  const local = c.gatewayIp("local_gateway_v4_ip", { ...v4, required: true });
  const primaryOk = c.gatewayPair("local_gateway_v4_ip", local, "remote_gateway_v4_ip", remote);

  const sbRemoteField = "standby_remote_gateway_v4_ip";
  const sbLocalField = "standby_local_gateway_v4_ip";
  if (huawei) {
    for (const f of [sbRemoteField, sbLocalField]) {
      c.forbidden(
        f,
        "Huawei Cloud has no standby pair on a virtual interface (huawei profile); for redundancy create a second virtual interface on a second hosted connection",
      );
    }
  } else {
    const sbRemote = c.gatewayIp(sbRemoteField, {
      ...v4,
      required: c.present(sbLocalField),
      requiredMsg: (nm) => `${nm(sbRemoteField)} is required when ${nm(sbLocalField)} is set`,
    });
    const sbLocal = c.gatewayIp(sbLocalField, {
      ...v4,
      required: c.present(sbRemoteField),
      requiredMsg: (nm) => `${nm(sbLocalField)} is required when ${nm(sbRemoteField)} is set`,
    });
    const standbyOk = c.gatewayPair(sbLocalField, sbLocal, sbRemoteField, sbRemote);
    if (primaryOk && standbyOk && remote.state === "ok" && sbRemote.state === "ok") {
      if (cidrsOverlap(remote.value, sbRemote.value)) {
        const net = formatCidr(networkOf(remote.value));
        c.add(
          "DC.0004",
          sbRemoteField,
          (nm) =>
            `the standby /30 of ${nm(sbRemoteField)} and ${nm(sbLocalField)} must be disjoint from the primary /30 (both are ${net})`,
        );
      }
    }
  }

  const eps = c.networkList("remote_ep_group", { family: "ipv4", max: LIMITS.remoteEpGroupMax });
  if (routeMode.state === "ok" && routeMode.value === "static") {
    if (eps.state === "absent") {
      c.add(
        "DC.0001",
        "remote_ep_group",
        (nm) =>
          `${nm("remote_ep_group")} is required when ${nm("route_mode")} is static (1 to ${LIMITS.remoteEpGroupMax} networks)`,
      );
    } else if (eps.state === "ok" && eps.value.length === 0) {
      c.add(
        "DC.0001",
        "remote_ep_group",
        (nm) =>
          `${nm("remote_ep_group")} must hold 1 to ${LIMITS.remoteEpGroupMax} networks when ${nm("route_mode")} is static (got 0)`,
      );
    }
  }

  c.int(
    "bandwidth",
    { required: huawei, min: LIMITS.bandwidthMin, max: LIMITS.bandwidthMax },
    "DC.0001",
    () => "bandwidth is required (huawei profile; Mbit/s, at most the hosted connection's)",
  );
  c.enumOf("service_type", ["VGW"], { hint: "GDGW and LGW are not supported for hosted virtual interfaces" });
  c.enumOf("address_family", ["ipv4"], {
    caseInsensitive: true,
    hint: "a hosted virtual interface is IPv4; add IPv6 with a vif peer",
  });
  const priority = c.enumOf("priority", ["normal", "low"]);
  if (priority.state === "ok" && routeMode.state === "ok" && routeMode.value !== "bgp") {
    c.add(
      "DC.0001",
      "priority",
      (nm) => `priority applies to BGP virtual interfaces only (${nm("route_mode")} is static)`,
    );
  }
  const bfd = c.bool("enable_bfd");
  const nqa = c.bool("enable_nqa");
  if (bfd.state === "ok" && nqa.state === "ok" && bfd.value && nqa.value) {
    c.add("DC.0001", "enable_nqa", (nm) => `${nm("enable_bfd")} and ${nm("enable_nqa")} cannot both be true`);
  }
  c.forbidden(
    "lag_id",
    "a hosted virtual interface sits on a hosted connection (direct_connect_id), never on a LAG",
  );
  c.forbidden(
    "gateway_id",
    "it is used only with service_type GDGW, which hosted virtual interfaces do not support",
  );
  c.forbidden("service_ep_group", "it applies to public virtual interfaces only");
  c.forbidden(
    "local_gateway_v6_ip",
    "a hosted virtual interface is IPv4 (local_gateway_v4_ip); add IPv6 with a vif peer",
  );
  c.forbidden(
    "remote_gateway_v6_ip",
    "a hosted virtual interface is IPv4 (remote_gateway_v4_ip); add IPv6 with a vif peer",
  );
  c.string("enterprise_project_id", {
    max: 36,
    pattern: ENTERPRISE_PROJECT_ID_RE,
    patternRule: "must be 0 or a UUID",
  });
  c.string("resource_tenant_id", {
    max: 32,
    pattern: PROJECT_ID_RE,
    patternRule: "must be a project id (32 hexadecimal characters)",
  });
  c.tags("tags");
  return c.result<HostedVifCreate>();
}

/**
 * Validates a hosted virtual interface update body. jd-hosted: name and description only, at least
 * one. huawei: Huawei's `UpdateVirtualInterface` fields (HUAWEI_VIF_UPDATABLE_FIELDS), at least
 * one; `priority` and `status` each alone; never both BFD and NQA on. The rules that need the
 * interface (bandwidth within the connection, BGP-only priority, ...) are stateful (api/stateful).
 */
export function validateHostedVifUpdate(body: unknown, opts?: RuleOptions): RuleResult<HostedVifUpdate> {
  const c = unwrap(body, "virtual_interface", unknownFn(opts));
  if (Array.isArray(c)) return { ok: false, issues: c };
  const huawei = (opts?.profile ?? "jd-hosted") === "huawei";
  const allowed: readonly string[] = huawei ? HUAWEI_VIF_UPDATABLE_FIELDS : HOSTED_VIF_UPDATABLE_FIELDS;
  c.onlyFields(allowed, "virtual_interface updates", HOSTED_VIF_CREATE_FIELDS);
  c.string("name", { min: 1, max: LIMITS.nameMax, pattern: NAME_RE, patternRule: NAME_RULE });
  c.string("description", {
    max: LIMITS.descriptionMax,
    pattern: DESCRIPTION_RE,
    patternRule: DESCRIPTION_RULE,
  });
  if (huawei) {
    c.int("bandwidth", { min: LIMITS.bandwidthMin, max: LIMITS.bandwidthMax });
    c.networkList("remote_ep_group", { family: "ipv4", max: LIMITS.remoteEpGroupMax });
    const sep = c.raw("service_ep_group");
    if (sep !== undefined && !c.isUnknown(sep) && !(Array.isArray(sep) && sep.length === 0)) {
      c.add(
        "DC.0001",
        "service_ep_group",
        (nm) =>
          `${nm("service_ep_group")} must be empty ([]): it applies to public virtual interfaces only (got ${show(sep)})`,
      );
    }
    c.enumOf("priority", ["normal", "low"]);
    const bfd = c.bool("enable_bfd");
    const nqa = c.bool("enable_nqa");
    if (bfd.state === "ok" && nqa.state === "ok" && bfd.value && nqa.value) {
      c.add(
        "DC.0001",
        "enable_nqa",
        (nm) => `${nm("enable_bfd")} and ${nm("enable_nqa")} cannot both be true`,
      );
    }
    c.enumOf("status", ["ACCEPTED", "REJECTED"]);
    for (const alone of ["priority", "status"]) {
      const others = Object.keys(c.obj).filter((k) => k !== alone);
      if (c.present(alone) && others.length > 0) {
        c.add(
          "DC.0001",
          alone,
          () => `${alone} must be changed in a request of its own (this one also sets ${others.join(", ")})`,
        );
      }
    }
  }
  if (Object.keys(c.obj).length === 0) {
    c.issues.push({
      code: "DC.0001",
      path: ["virtual_interface"],
      message: `virtual_interface must set at least one of ${allowed.join(", ")}`,
    });
  }
  return c.result<HostedVifUpdate>();
}

/** A tags action (`POST /v3/{project_id}/{resource_type}/{resource_id}/tags/action`). */
export interface TagsAction {
  action: "create" | "delete";
  tags: { key: string; value?: string }[];
}

/**
 * Validates a tags action body (Huawei's BatchCreateResourceTags, no wrapper): `action` create or
 * delete; `tags` 1 to 10 `{key, value}` with Huawei's key and value rules (unique keys; `value`
 * optional when deleting).
 */
export function validateTagsAction(body: unknown): RuleResult<TagsAction> {
  if (!isPlainObject(body)) {
    return {
      ok: false,
      issues: [
        {
          code: "DC.0000",
          path: [],
          message: `the request body must be a JSON object {action, tags} (got ${show(body)})`,
        },
      ],
    };
  }
  const c = new Checker("tags_action", body, () => false);
  c.onlyFields(["action", "tags", "sys_tags"], "a tags action (it holds action and tags)");
  const action = c.enumOf("action", ["create", "delete"] as const, { required: true });
  c.tags("tags", { required: true, valueOptional: action.state === "ok" && action.value === "delete" });
  const tags = c.raw("tags");
  if (Array.isArray(tags) && tags.length === 0) {
    c.add("DC.0001", "tags", () => `tags must hold 1 to ${LIMITS.tagsMax} tags (got 0)`);
  }
  return c.result<TagsAction>();
}

// ---------------------------------------------------------------------------------------------
// Virtual interface peers

/** Validates a peer create body (`{"vif_peer": {...}}`); the value is the inner object, address_family lower-cased. */
export function validateVifPeerCreate(body: unknown, opts?: RuleOptions): RuleResult<VifPeerCreate> {
  const c = unwrap(body, "vif_peer", unknownFn(opts));
  if (Array.isArray(c)) return { ok: false, issues: c };
  c.onlyFields(VIF_PEER_CREATE_FIELDS, "vif_peer (unknown fields are rejected)");

  c.string("name", { max: LIMITS.nameMax });
  c.string("description", { max: LIMITS.descriptionMax });
  const family = c.enumOf("address_family", ["ipv4", "ipv6"] as const, {
    required: true,
    caseInsensitive: true,
  });
  const fam = family.state === "ok" ? family.value : undefined;
  const local = c.gatewayIp("local_gateway_ip", { required: true, family: fam });
  const remote = c.gatewayIp("remote_gateway_ip", { required: true, family: fam });
  c.gatewayPair("local_gateway_ip", local, "remote_gateway_ip", remote);
  const routeMode = c.enumOf("route_mode", ["static", "bgp"] as const);
  const asn = c.int("bgp_asn", { min: LIMITS.peerAsnMin, max: LIMITS.peerAsnMax, rangeCode: "DC.0008" });
  const md5 = bgpMd5(c);
  routeModeRules(c, routeMode, asn, md5, true);
  c.networkList("remote_ep_group", { family: fam, max: LIMITS.remoteEpGroupMax });
  c.uuid("vif_id", true);
  return c.result<VifPeerCreate>();
}

/** Validates a peer update body: name, description, remote_ep_group, at least one. */
export function validateVifPeerUpdate(body: unknown, opts?: VifPeerUpdateOptions): RuleResult<VifPeerUpdate> {
  const c = unwrap(body, "vif_peer", unknownFn(opts));
  if (Array.isArray(c)) return { ok: false, issues: c };
  c.onlyFields(VIF_PEER_UPDATABLE_FIELDS, "vif_peer updates", VIF_PEER_CREATE_FIELDS);
  c.string("name", { max: LIMITS.nameMax });
  c.string("description", { max: LIMITS.descriptionMax });
  c.networkList("remote_ep_group", { family: opts?.addressFamily, max: LIMITS.remoteEpGroupMax });
  if (Object.keys(c.obj).length === 0) {
    c.issues.push({
      code: "DC.0001",
      path: ["vif_peer"],
      message: "vif_peer must set at least one of name, description, remote_ep_group",
    });
  }
  return c.result<VifPeerUpdate>();
}

// ---------------------------------------------------------------------------------------------
// Normalisers: equal intents must never diff

/** Canonical CIDR text (IPv6 lower-case and compressed); anything unparseable is returned unchanged. */
export function normalizeCidr(text: string): string {
  return canonicalCidr(text);
}

/** Canonical CIDR text of every entry, order kept. */
export function normalizeCidrList(list: readonly string[]): string[] {
  return list.map(canonicalCidr);
}

/** Whether two CIDR lists hold the same networks, ignoring order, case and IPv6 spelling. */
export function sameCidrSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(normalizeCidrList(a))].sort();
  const y = [...new Set(normalizeCidrList(b))].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Lower-cases and trims an enum value ("IPv6" -> "ipv6", "BGP" -> "bgp"); non-strings pass through. */
export function normalizeEnum<T>(v: T): T {
  return (typeof v === "string" ? v.trim().toLowerCase() : v) as T;
}
