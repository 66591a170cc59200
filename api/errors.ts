// Error codes of the Direct Connect API (Huawei DCaaS v3 dialect) and the wire error body.
// Huawei documents every DC code as HTTP 400; the statuses here are the ones this project
// answers with (404 for unknown ids, as Terraform observes), listed once so both sides agree.

/** Every error code the emulator can answer with and the provider can branch on. */
export type ErrorCode =
  | "DC.0000"
  | "DC.0001"
  | "DC.0002"
  | "DC.0003"
  | "DC.0004"
  | "DC.0008"
  | "DC.1000"
  | "DC.1005"
  | "DC.1012"
  | "DC.1111"
  | "DC.1203"
  | "DC.1204"
  | "DC.1205"
  | "DC.1207"
  | "DC.1209"
  | "DC.1210"
  | "DC.1211"
  | "DC.1223"
  | "APIGW.0101"
  | "APIGW.0201"
  | "APIGW.0301"
  | "APIGW.0302"
  | "APIGW.0307"
  | "APIGW.0308"
  | "EMULATOR.0501";

/** Default HTTP status and message of each error code. */
export const ERROR_CODES: Record<ErrorCode, { status: number; message: string }> = {
  "DC.0000": { status: 400, message: "The request body is abnormal." },
  "DC.0001": { status: 400, message: "Request parameter error." },
  "DC.0002": { status: 404, message: "The resource does not exist." },
  "DC.0003": { status: 500, message: "System error." },
  "DC.0004": { status: 400, message: "Invalid IP address." },
  "DC.0008": { status: 400, message: "The BGP ASN is out of range." },
  "DC.1000": { status: 400, message: "The bandwidth of the connection is insufficient." },
  "DC.1005": { status: 400, message: "The connection is abnormal." },
  "DC.1012": { status: 400, message: "The connection does not exist." },
  "DC.1111": { status: 400, message: "The virtual gateway does not exist." },
  "DC.1203": { status: 400, message: "A BGP virtual interface needs a BGP ASN." },
  "DC.1204": {
    status: 400,
    message: "Virtual interfaces cannot be created on this type of connection.",
  },
  "DC.1205": { status: 400, message: "The associated resource is in an abnormal status." },
  "DC.1207": {
    status: 400,
    message: "The VLAN of a virtual interface on a hosted connection must equal the connection's.",
  },
  "DC.1209": { status: 400, message: "The VLAN of the virtual interface conflicts." },
  "DC.1210": { status: 400, message: "The status of the virtual interface cannot be changed." },
  "DC.1211": { status: 404, message: "The virtual interface does not exist." },
  "DC.1223": { status: 400, message: "The local BGP ASN is the same as the remote BGP ASN." },
  "APIGW.0101": { status: 404, message: "The API does not exist or has not been published." },
  "APIGW.0201": { status: 413, message: "Request entity too large." },
  "APIGW.0301": { status: 401, message: "Incorrect IAM authentication information." },
  "APIGW.0302": { status: 403, message: "The IAM user is not authorized to access the API." },
  "APIGW.0307": { status: 401, message: "The token must be updated." },
  "APIGW.0308": { status: 429, message: "The throttling threshold has been reached." },
  "EMULATOR.0501": { status: 501, message: "Not implemented by the emulator." },
};

/**
 * Which code each stateful rule (checked by the emulator's backend, not by `rules.ts`) answers
 * with: the most specific documented DC code, else DC.0001.
 */
export const STATEFUL_RULE_CODES = {
  /** The VLAN is already used by a live interface of the same hosted connection. */
  vlanConflict: "DC.1209",
  /** `huawei` profile: the VLAN differs from the hosted connection's VLAN. */
  vlanNotConnection: "DC.1207",
  /** `direct_connect_id` names no connection of the project. */
  connectionMissing: "DC.1012",
  /** The connection is not `ACTIVE`. */
  connectionNotActive: "DC.1005",
  /** The connection is not of type `hosted`. */
  connectionNotHosted: "DC.1204",
  /** `bandwidth` exceeds the connection's bandwidth. */
  bandwidthExceeded: "DC.1000",
  /** `vgw_id` names no virtual gateway of the project. */
  gatewayMissing: "DC.1111",
  /** A parent (interface or connection) is in a status that forbids the call. */
  parentState: "DC.1205",
  /** `vif_id` of a peer names no interface of the project. */
  interfaceMissing: "DC.1211",
  /** An interconnect /30 or remote subnet overlaps the gateway's VPC blocks or another interface. */
  subnetOverlap: "DC.0004",
  /** The interface already has a peer of this address family (no code is documented). */
  peerFamilyTaken: "DC.0001",
  /** The last peer of an interface cannot be deleted (no code is documented). */
  lastPeer: "DC.0001",
  /** The peer's ASN equals the gateway's own ASN. */
  asnEqualsGateway: "DC.1223",
} as const satisfies Record<string, ErrorCode>;

/** The JSON body of every error response of the cloud API. */
export interface ErrorBody {
  /** A DC.xxxx or APIGW.xxxx code. */
  error_code: ErrorCode;
  /** A human-readable explanation. */
  error_msg: string;
  /** The request id, also sent as the `X-Request-Id` header. */
  request_id: string;
}

/** Whether a string is one of the known error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** Builds an error body, with the code's default message when none is given. */
export function errorBody(code: ErrorCode, msg?: string, requestId = ""): ErrorBody {
  return { error_code: code, error_msg: msg ?? ERROR_CODES[code].message, request_id: requestId };
}

/** The default HTTP status of an error code. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}
