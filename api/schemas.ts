// Wire schemas of the Direct Connect API: every request and response body of the contract
// (../shared/design/api-contract.md), in zod 4 and representable as JSON Schema for the OpenAPI
// document. Request schemas describe shapes and documented limits; `rules.ts` is the authority on
// validation (error codes, cross-field rules, CIDR arithmetic, preview unknowns).
import { z } from "zod";

/** Huawei's resource id pattern: 8-4-4-4-12 hex digits (any version). */
export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A project id: 32 hex digits. */
export const PROJECT_ID_RE = /^[0-9a-fA-F]{32}$/;
/** Hosted virtual interface names: letters, digits, CJK ideographs, `-`, `_`, `.`. */
export const NAME_RE = /^[A-Za-z0-9\u3400-\u4DBF\u4E00-\u9FFF._-]+$/;
/** Descriptions may hold anything but `<` and `>`. */
export const DESCRIPTION_RE = /^[^<>]*$/;
/** BGP MD5 keys: 1 to 80 printable ASCII characters, no whitespace. */
export const BGP_MD5_RE = /^[\x21-\x7E]{1,80}$/;
/** An enterprise project id: `0` (the default project) or a UUID. */
export const ENTERPRISE_PROJECT_ID_RE = new RegExp(`^(0|${UUID_RE.source.slice(1, -1)})$`);

/** Numeric and length limits of the contract, shared by schemas, rules and the provider's docs. */
export const LIMITS = {
  nameMax: 64,
  descriptionMax: 128,
  vlanMin: 1,
  vlanMax: 3999,
  hostedAsnMin: 65001,
  hostedAsnMax: 65499,
  peerAsnMin: 1,
  peerAsnMax: 4294967295,
  bgpMd5Max: 80,
  remoteEpGroupMax: 50,
  bandwidthMin: 2,
  bandwidthMax: 2147483647,
  tagsMax: 10,
  tagKeyMax: 128,
  tagValueMax: 255,
  ipv6PrefixMin: 64,
  ipv6PrefixMax: 127,
  listLimitMax: 2000,
} as const;

/** The cloud side's BGP ASN (the virtual gateway's, 64512 in the JD model). */
export const CLOUD_BGP_ASN = 64512;

/** Route modes of interfaces and peers. */
export const ROUTE_MODES = ["static", "bgp"] as const;
/** Address families of peers. */
export const ADDRESS_FAMILIES = ["ipv4", "ipv6"] as const;
/** Documented statuses of a virtual interface. */
export const VIF_STATUSES = [
  "ACTIVE",
  "DOWN",
  "BUILD",
  "ERROR",
  "PENDING_CREATE",
  "PENDING_UPDATE",
  "PENDING_DELETE",
  "DELETED",
  "AUTHORIZATION",
  "REJECTED",
] as const;
/** Statuses a virtual interface peer takes (Huawei shows ACTIVE and PENDING_CREATE; the rest mirror the interface). */
export const VIF_PEER_STATUSES = [
  "ACTIVE",
  "DOWN",
  "ERROR",
  "PENDING_CREATE",
  "PENDING_UPDATE",
  "PENDING_DELETE",
] as const;
/** Documented statuses of a connection. */
export const DIRECT_CONNECT_STATUSES = [
  "ACTIVE",
  "DOWN",
  "BUILD",
  "ERROR",
  "PENDING_DELETE",
  "DELETED",
  "APPLY",
  "DENY",
  "PENDING_PAY",
  "PAID",
  "PENDING_SURVEY",
  "LEASED_LINE_DELIVERY",
] as const;
/** Documented statuses of a virtual gateway. */
export const VIRTUAL_GATEWAY_STATUSES = [
  "ACTIVE",
  "DOWN",
  "BUILD",
  "ERROR",
  "PENDING_CREATE",
  "PENDING_UPDATE",
  "PENDING_DELETE",
] as const;

const uuid = () => z.string().regex(UUID_RE).meta({ format: "uuid" });
const cidrText = (description: string) => z.string().min(1).max(64).meta({ description });
const timestamp = () =>
  z
    .string()
    .meta({ description: "UTC time, yyyy-MM-ddTHH:mm:ss.SSSZ", examples: ["2022-08-19T11:28:06.000Z"] });

/** A resource tag: key 1-128 characters (not starting with `_sys_`, no edge spaces), value 0-255. */
export const TagSchema = z
  .strictObject({
    key: z.string().min(1).max(LIMITS.tagKeyMax),
    value: z.string().max(LIMITS.tagValueMax),
  })
  .meta({ id: "Tag", description: "A resource tag." });

/** The body of a tags action (Huawei's BatchCreateResourceTags): add or remove tags of a resource. */
export const ResourceTagsActionRequestSchema = z
  .strictObject({
    action: z.enum(["create", "delete"]),
    tags: z
      .array(
        z.strictObject({
          key: z.string().min(1).max(LIMITS.tagKeyMax),
          value: z.string().max(LIMITS.tagValueMax).optional(),
        }),
      )
      .min(1)
      .max(LIMITS.tagsMax),
  })
  .meta({
    id: "ResourceTagsActionRequest",
    description: "Add (create: a key already set takes the new value) or remove (delete) tags of a resource.",
  });

/** The `page_info` object of every list response. */
export const PageInfoSchema = z
  .object({
    previous_marker: z.string().meta({ description: "Id of the first item of this page." }),
    current_count: z.int().min(0).max(LIMITS.listLimitMax),
    next_marker: z.string().optional().meta({ description: "Id of the last item; absent on the last page." }),
  })
  .meta({ id: "PageInfo" });

/** The JSON error body of the cloud API. */
export const ErrorBodySchema = z
  .object({
    error_code: z.string().meta({ examples: ["DC.0001", "APIGW.0301"] }),
    error_msg: z.string(),
    request_id: z.string(),
  })
  .meta({ id: "ErrorBody", description: "Error response of the DCaaS API and its gateway." });

// ---------------------------------------------------------------------------------------------
// Hosted virtual interfaces

/** The `virtual_interface` object of a hosted virtual interface create request. */
export const HostedVifCreateSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(LIMITS.nameMax)
      .regex(NAME_RE)
      .meta({ description: "1-64 letters, digits, CJK, -, _, ." }),
    description: z.string().max(LIMITS.descriptionMax).regex(DESCRIPTION_RE).optional(),
    direct_connect_id: uuid().meta({ description: "A hosted connection of the project, status ACTIVE." }),
    vgw_id: uuid().meta({ description: "A virtual gateway of the project." }),
    type: z.enum(["private"]).optional().meta({ description: "Only private (the default)." }),
    vlan: z
      .int()
      .min(LIMITS.vlanMin)
      .max(LIMITS.vlanMax)
      .meta({ description: "Unique per hosted connection." }),
    route_mode: z.enum(ROUTE_MODES),
    bgp_asn: z
      .int()
      .min(LIMITS.hostedAsnMin)
      .max(LIMITS.hostedAsnMax)
      .optional()
      .meta({ description: "The customer's ASN: required with bgp, forbidden with static." }),
    bgp_md5: z.string().regex(BGP_MD5_RE).optional().meta({ description: "BGP MD5 key, bgp only; secret." }),
    remote_gateway_v4_ip: cidrText("Customer interconnect address, a host address of a private /30."),
    local_gateway_v4_ip: cidrText("Cloud interconnect address, the other host address of the same /30."),
    standby_remote_gateway_v4_ip: cidrText("Standby customer address (extension).").optional(),
    standby_local_gateway_v4_ip: cidrText("Standby cloud address (extension).").optional(),
    remote_ep_group: z
      .array(cidrText("An on-premises IPv4 network."))
      .max(LIMITS.remoteEpGroupMax)
      .optional()
      .meta({ description: "On-premises networks: 1-50 required with static, optional with bgp." }),
    bandwidth: z
      .int()
      .min(LIMITS.bandwidthMin)
      .max(LIMITS.bandwidthMax)
      .optional()
      .meta({ description: "Mbit/s." }),
    service_type: z
      .enum(["VGW", "GDGW", "LGW"])
      .optional()
      .meta({ description: "Only VGW for hosted interfaces." }),
    address_family: z
      .enum(ADDRESS_FAMILIES)
      .optional()
      .meta({ description: "Only ipv4 for hosted interfaces." }),
    priority: z.enum(["normal", "low"]).optional().meta({ description: "BGP interfaces only." }),
    enable_bfd: z.boolean().optional(),
    enable_nqa: z.boolean().optional(),
    lag_id: uuid().optional().meta({ description: "Refused: a hosted connection is never part of a LAG." }),
    gateway_id: uuid().optional().meta({ description: "Refused: only used with service_type GDGW." }),
    service_ep_group: z
      .array(z.string())
      .optional()
      .meta({ description: "Refused: public interfaces only." }),
    local_gateway_v6_ip: z.string().optional().meta({ description: "Refused: add an IPv6 peer instead." }),
    remote_gateway_v6_ip: z.string().optional().meta({ description: "Refused: add an IPv6 peer instead." }),
    enterprise_project_id: z.string().regex(ENTERPRISE_PROJECT_ID_RE).optional(),
    resource_tenant_id: z.string().regex(PROJECT_ID_RE).optional(),
    tags: z.array(TagSchema).max(LIMITS.tagsMax).optional(),
  })
  .meta({ id: "HostedVifCreate", description: "Create a hosted private virtual interface." });

/** The create request body: `{"virtual_interface": {...}}`. */
export const HostedVifCreateRequestSchema = z
  .strictObject({ virtual_interface: HostedVifCreateSchema })
  .meta({ id: "HostedVifCreateRequest" });

/** The `virtual_interface` object of an update request: name and description only. */
export const HostedVifUpdateSchema = z
  .strictObject({
    name: z.string().min(1).max(LIMITS.nameMax).regex(NAME_RE).optional(),
    description: z.string().max(LIMITS.descriptionMax).regex(DESCRIPTION_RE).optional(),
  })
  .meta({ id: "HostedVifUpdate", description: "Rename or re-describe a virtual interface." });

/** The update request body: `{"virtual_interface": {...}}`. */
export const HostedVifUpdateRequestSchema = z
  .strictObject({ virtual_interface: HostedVifUpdateSchema })
  .meta({ id: "HostedVifUpdateRequest" });

// ---------------------------------------------------------------------------------------------
// Virtual interface peers

/** The `vif_peer` object of a peer create request (Huawei CreateVifPeer). */
export const VifPeerCreateSchema = z
  .strictObject({
    name: z.string().max(LIMITS.nameMax).optional(),
    description: z.string().max(LIMITS.descriptionMax).optional(),
    address_family: z.enum(ADDRESS_FAMILIES),
    local_gateway_ip: cidrText("Cloud side gateway address, CIDR of the peer's family."),
    remote_gateway_ip: cidrText("Customer side gateway address, same subnet."),
    route_mode: z.enum(ROUTE_MODES).optional().meta({ description: "Default static." }),
    bgp_asn: z.int().min(LIMITS.peerAsnMin).max(LIMITS.peerAsnMax).optional(),
    bgp_md5: z.string().regex(BGP_MD5_RE).optional(),
    remote_ep_group: z
      .array(cidrText("An on-premises network of the peer's family."))
      .max(LIMITS.remoteEpGroupMax)
      .optional(),
    vif_id: uuid().meta({ description: "The parent virtual interface, status ACTIVE." }),
  })
  .meta({ id: "VifPeerCreate", description: "Add a peer (typically IPv6) to a virtual interface." });

/** The peer create request body: `{"vif_peer": {...}}`. */
export const VifPeerCreateRequestSchema = z
  .strictObject({ vif_peer: VifPeerCreateSchema })
  .meta({ id: "VifPeerCreateRequest" });

/** The `vif_peer` object of a peer update request: name, description, remote_ep_group. */
export const VifPeerUpdateSchema = z
  .strictObject({
    name: z.string().max(LIMITS.nameMax).optional(),
    description: z.string().max(LIMITS.descriptionMax).optional(),
    remote_ep_group: z
      .array(cidrText("An on-premises network of the peer's family."))
      .max(LIMITS.remoteEpGroupMax)
      .optional(),
  })
  .meta({ id: "VifPeerUpdate" });

/** The peer update request body: `{"vif_peer": {...}}`. */
export const VifPeerUpdateRequestSchema = z
  .strictObject({ vif_peer: VifPeerUpdateSchema })
  .meta({ id: "VifPeerUpdateRequest" });

/** A virtual interface peer as returned by the API (the seed's VifPeer table). */
export const VifPeerObjectSchema = z
  .object({
    id: uuid(),
    tenant_id: z.string(),
    name: z.string().nullable(),
    description: z.string().nullable(),
    address_family: z.enum(ADDRESS_FAMILIES),
    local_gateway_ip: z.string(),
    remote_gateway_ip: z.string(),
    route_mode: z.enum(ROUTE_MODES),
    bgp_asn: z.int().nullable(),
    bgp_md5: z.string().nullable(),
    remote_ep_group: z.array(z.string()),
    service_ep_group: z.array(z.string()).nullable().optional(),
    device_id: z.string().nullable(),
    bgp_route_limit: z.int().nullable(),
    bgp_status: z
      .string()
      .max(10)
      .nullable()
      .meta({ description: "DOWN or UP for BGP peers, null for static." }),
    status: z.enum(VIF_PEER_STATUSES),
    vif_id: uuid(),
    receive_route_num: z.int().meta({ description: "Received BGP routes; -1 for static peers." }),
    enable_nqa: z.boolean(),
    enable_bfd: z.boolean(),
  })
  .meta({ id: "VifPeer" });

/** A hosted virtual interface as returned by create, show, list and update. */
export const HostedVifObjectSchema = z
  .object({
    id: uuid(),
    name: z.string(),
    description: z.string().nullable(),
    tenant_id: z.string(),
    direct_connect_id: uuid(),
    vgw_id: uuid(),
    lag_id: z.string().nullable().optional(),
    gateway_id: z.string().nullable().optional(),
    type: z.enum(["private", "public"]),
    service_type: z.string().nullable().optional(),
    vlan: z.int(),
    bandwidth: z.int(),
    route_mode: z
      .enum(ROUTE_MODES)
      .optional()
      .meta({ description: "Absent from Huawei's model (the huawei profile leaves it out)." }),
    bgp_asn: z.int().nullable().optional(),
    bgp_md5: z.string().nullable().optional(),
    remote_gateway_v4_ip: z.string(),
    local_gateway_v4_ip: z.string(),
    standby_remote_gateway_v4_ip: z.string().nullable().optional(),
    standby_local_gateway_v4_ip: z.string().nullable().optional(),
    remote_gateway_v6_ip: z.string().nullable().optional(),
    local_gateway_v6_ip: z.string().nullable().optional(),
    address_family: z.string().nullable().optional(),
    remote_ep_group: z.array(z.string()),
    service_ep_group: z.array(z.string()).nullable().optional(),
    status: z.enum(VIF_STATUSES),
    reason: z.string().nullable(),
    admin_state_up: z.boolean().optional(),
    device_id: z.string().nullable(),
    create_time: timestamp(),
    update_time: timestamp(),
    route_limit: z.int().optional(),
    bgp_route_limit: z.int().nullable().optional(),
    enable_bfd: z.boolean().optional(),
    enable_nqa: z.boolean().optional(),
    rate_limit: z.boolean().optional(),
    priority: z.enum(["normal", "low"]).optional(),
    enterprise_project_id: z.string(),
    ies_id: z.string().nullable().optional().meta({ description: "Edge site (IES) id; null here." }),
    lgw_id: z.string().nullable().optional().meta({ description: "Local gateway (IES) id; null here." }),
    tags: z.array(TagSchema).optional(),
    vif_peers: z
      .array(VifPeerObjectSchema)
      .nullable()
      .optional()
      .meta({ description: "null or absent while PENDING_CREATE in Huawei's documented answers." }),
  })
  .meta({ id: "HostedVif", description: "A hosted private virtual interface." });

/** The show/create/update response: `{virtual_interface, request_id}`. */
export const HostedVifResponseSchema = z
  .object({ virtual_interface: HostedVifObjectSchema, request_id: z.string() })
  .meta({ id: "HostedVifResponse" });

/** The list response: `{virtual_interfaces, page_info, request_id}`. */
export const HostedVifListResponseSchema = z
  .object({
    virtual_interfaces: z.array(HostedVifObjectSchema),
    page_info: PageInfoSchema,
    request_id: z.string(),
  })
  .meta({ id: "HostedVifListResponse" });

/** The peer create/update response: `{vif_peer, request_id}`. */
export const VifPeerResponseSchema = z
  .object({ vif_peer: VifPeerObjectSchema, request_id: z.string() })
  .meta({ id: "VifPeerResponse" });

// ---------------------------------------------------------------------------------------------
// Read-only neighbours

/** A connection (the seed's "Hosted Connection" is one with `type: "hosted"`). */
export const DirectConnectObjectSchema = z
  .object({
    id: uuid(),
    name: z.string(),
    description: z.string().nullable(),
    tenant_id: z.string(),
    type: z.enum(["standard", "hosting", "hosted", "onestop_standard", "onestop_hosted"]),
    bandwidth: z.int().meta({ description: "Mbit/s." }),
    port_type: z.string().nullable(),
    location: z.string().nullable(),
    provider: z.string().nullable(),
    status: z.enum(DIRECT_CONNECT_STATUSES),
    create_time: timestamp(),
    hosting_id: z.string().nullable().optional(),
    vlan: z.int().nullable().optional(),
    admin_state_up: z.boolean().optional(),
    enterprise_project_id: z.string().optional(),
  })
  .meta({ id: "DirectConnect" });

/** The connection show response. */
export const DirectConnectResponseSchema = z
  .object({ direct_connect: DirectConnectObjectSchema, request_id: z.string() })
  .meta({ id: "DirectConnectResponse" });

/** The connection list response. */
export const DirectConnectListResponseSchema = z
  .object({
    direct_connects: z.array(DirectConnectObjectSchema),
    page_info: PageInfoSchema,
    request_id: z.string(),
  })
  .meta({ id: "DirectConnectListResponse" });

/** A virtual gateway (the seed's "Border Gateway"). */
export const VirtualGatewayObjectSchema = z
  .object({
    id: uuid(),
    name: z.string(),
    description: z.string().nullable().optional(),
    tenant_id: z.string(),
    vpc_id: z.string(),
    local_ep_group: z.array(z.string()).meta({ description: "The VPC's CIDR blocks." }),
    local_ep_group_ipv6: z.array(z.string()).nullable().optional(),
    bgp_asn: z.int().meta({ description: "The cloud side's ASN." }),
    status: z.enum(VIRTUAL_GATEWAY_STATUSES),
    type: z.string().optional(),
    admin_state_up: z.boolean().optional(),
    enterprise_project_id: z.string().optional(),
  })
  .meta({ id: "VirtualGateway" });

/** The virtual gateway show response. */
export const VirtualGatewayResponseSchema = z
  .object({ virtual_gateway: VirtualGatewayObjectSchema, request_id: z.string() })
  .meta({ id: "VirtualGatewayResponse" });

/** The virtual gateway list response. */
export const VirtualGatewayListResponseSchema = z
  .object({
    virtual_gateways: z.array(VirtualGatewayObjectSchema),
    page_info: PageInfoSchema,
    request_id: z.string(),
  })
  .meta({ id: "VirtualGatewayListResponse" });

// ---------------------------------------------------------------------------------------------
// IAM tokens: POST /v3/auth/tokens

/** The IAM password token request, project scope (`POST /v3/auth/tokens`). */
export const TokenRequestSchema = z
  .object({
    auth: z.object({
      identity: z.object({
        methods: z.array(z.literal("password")).min(1),
        password: z.object({
          user: z.object({
            name: z.string().min(1),
            password: z.string().min(1),
            domain: z.object({ name: z.string().min(1) }),
          }),
        }),
      }),
      scope: z.object({
        // IAM needs the project's id or its name (the handler answers 400 otherwise); the meta says
        // so in /openapi.json, where a refinement would not show.
        project: z
          .object({
            id: z.string().min(1).optional(),
            name: z.string().min(1).optional(),
            domain: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
          })
          .meta({ anyOf: [{ required: ["id"] }, { required: ["name"] }] }),
      }),
    }),
  })
  .meta({ id: "TokenRequest", description: "IAM password authentication with a project scope." });

const named = z.object({ id: z.string(), name: z.string() });

/** The IAM token response body (the token itself is in the `X-Subject-Token` header). */
export const TokenResponseSchema = z
  .object({
    token: z.object({
      expires_at: timestamp(),
      issued_at: timestamp(),
      methods: z.array(z.string()),
      catalog: z.array(z.unknown()).optional(),
      project: z.object({ id: z.string(), name: z.string(), domain: named }),
      roles: z.array(named),
      user: z.object({
        id: z.string(),
        name: z.string(),
        domain: named,
        password_expires_at: z.string().optional(),
      }),
    }),
  })
  .meta({ id: "TokenResponse" });

/** The Keystone-style error body of the IAM API. */
export const IamErrorBodySchema = z
  .object({ error: z.object({ code: z.int(), message: z.string(), title: z.string() }) })
  .meta({ id: "IamErrorBody" });

/** A hosted virtual interface create body (the object inside `virtual_interface`). */
export type HostedVifCreate = z.infer<typeof HostedVifCreateSchema>;
/** A hosted virtual interface create request, wrapper included. */
export type HostedVifCreateRequest = z.infer<typeof HostedVifCreateRequestSchema>;
/** A hosted virtual interface update body (inside `virtual_interface`). */
export type HostedVifUpdate = z.infer<typeof HostedVifUpdateSchema>;
/** A hosted virtual interface as returned by the API. */
export type HostedVifObject = z.infer<typeof HostedVifObjectSchema>;
/** A peer create body (inside `vif_peer`). */
export type VifPeerCreate = z.infer<typeof VifPeerCreateSchema>;
/** A peer update body (inside `vif_peer`). */
export type VifPeerUpdate = z.infer<typeof VifPeerUpdateSchema>;
/** A peer as returned by the API. */
export type VifPeerObject = z.infer<typeof VifPeerObjectSchema>;
/** A connection as returned by the API. */
export type DirectConnectObject = z.infer<typeof DirectConnectObjectSchema>;
/** A virtual gateway as returned by the API. */
export type VirtualGatewayObject = z.infer<typeof VirtualGatewayObjectSchema>;
/** The `page_info` of a list response. */
export type PageInfo = z.infer<typeof PageInfoSchema>;
/** A resource tag. */
export type Tag = z.infer<typeof TagSchema>;
/** An IAM token request. */
export type TokenRequest = z.infer<typeof TokenRequestSchema>;
/** An IAM token response body. */
export type TokenResponse = z.infer<typeof TokenResponseSchema>;
/** A route mode. */
export type RouteMode = (typeof ROUTE_MODES)[number];
/** A virtual interface status. */
export type VifStatus = (typeof VIF_STATUSES)[number];
/** A peer status. */
export type VifPeerStatus = (typeof VIF_PEER_STATUSES)[number];
