/**
 * The emulator's error classes, one per API error code it answers with, named after the code's
 * meaning. Codes, default statuses and wording come from api/errors.ts; the backend throws these
 * classes and the server renders them as the API's error body.
 */
import { ERROR_CODES, type ErrorCode } from "../api/errors";
import type { Issue } from "../api/issues";

/** Base class of every error the emulator answers with: HTTP status, API code and message. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly headers: Record<string, string> = {},
    status?: number,
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.status = status ?? ERROR_CODES[code].status;
    this.name = new.target.name;
  }
}

/** DC.0000: the request body is not JSON, or the wrapper object is missing. */
export class RequestBodyAbnormal extends ApiError {
  constructor(message?: string) {
    super("DC.0000", message);
  }
}

/** DC.0001: a request parameter is invalid (range, enum, length, unknown field, query). */
export class RequestParameterError extends ApiError {
  constructor(message?: string) {
    super("DC.0001", message);
  }
}

/** A 400 built from validation issues of api/rules.ts: the first issue's code, every message. */
export class ValidationFailed extends ApiError {
  constructor(readonly issues: readonly Issue[]) {
    super(
      issues[0].code,
      issues.length === 1 ? issues[0].message : issues.map((i) => `${i.message} (${i.code})`).join("; "),
      {},
      400,
    );
  }
}

/** DC.0002: the resource in the path does not exist (404). */
export class ResourceNotFound extends ApiError {
  constructor(what: string, id: string) {
    super("DC.0002", `The ${what} ${id} does not exist.`);
  }
}

/** DC.0004: an address or subnet is invalid or overlaps one in use. */
export class InvalidIpAddress extends ApiError {
  constructor(message?: string) {
    super("DC.0004", message);
  }
}

/** DC.1000: the requested bandwidth exceeds what the connection has. */
export class InsufficientConnectionBandwidth extends ApiError {
  constructor(message?: string) {
    super("DC.1000", message);
  }
}

/** DC.1005: the connection is not ACTIVE. */
export class ConnectionAbnormal extends ApiError {
  constructor(message?: string) {
    super("DC.1005", message);
  }
}

/** DC.1012: the connection named in the body does not exist in the project. */
export class ConnectionNotFound extends ApiError {
  constructor(id: string) {
    super("DC.1012", `The connection ${id} does not exist.`);
  }
}

/** DC.1111: the virtual gateway named in the body does not exist in the project. */
export class VirtualGatewayNotFound extends ApiError {
  constructor(id: string) {
    super("DC.1111", `The virtual gateway ${id} does not exist.`);
  }
}

/** DC.1204: virtual interfaces cannot be created on this type of connection. */
export class ConnectionTypeNotAllowed extends ApiError {
  constructor(message?: string) {
    super("DC.1204", message);
  }
}

/** DC.1205: an associated resource is in a status that forbids the call. */
export class AssociatedResourceAbnormal extends ApiError {
  constructor(message: string) {
    super("DC.1205", message);
  }
}

/** DC.1209: the VLAN is already used by another virtual interface on the connection. */
export class VifVlanConflict extends ApiError {
  constructor(vlan: number, connectionId: string) {
    super("DC.1209", `VLAN ${vlan} is already used on connection ${connectionId}.`);
  }
}

/**
 * DC.1211: the virtual interface does not exist: 404 for an id in the path, 400 for a `vif_id`
 * named in a request body.
 */
export class VirtualInterfaceNotFound extends ApiError {
  constructor(id: string, status = 404) {
    super("DC.1211", `The virtual interface ${id} does not exist.`, {}, status);
  }
}

/** DC.1223: the peer's BGP ASN equals the cloud side's own ASN. */
export class LocalAsnEqualsRemote extends ApiError {
  constructor(asn: number) {
    super("DC.1223", `The BGP ASN ${asn} is the same as the local (gateway) ASN.`);
  }
}

/** APIGW.0101: no API matches the method and path. */
export class ApiNotFound extends ApiError {
  constructor(method: string, path: string) {
    super("APIGW.0101", `The API does not exist or has not been published: ${method} ${path}`);
  }
}

/** APIGW.0201 with 413: the request body exceeds the limit. */
export class RequestEntityTooLarge extends ApiError {
  constructor(limit: number) {
    super("APIGW.0201", `Request entity too large (limit ${limit} bytes).`);
  }
}

/** APIGW.0301: missing or invalid credentials. */
export class IncorrectIamAuthenticationInformation extends ApiError {
  constructor(detail: string) {
    super("APIGW.0301", `Incorrect IAM authentication information: ${detail}`);
  }
}

/** APIGW.0302: valid credentials, but bound to another project. */
export class IamUserNotAllowed extends ApiError {
  constructor(message = "The IAM user is not authorized to access this project.") {
    super("APIGW.0302", message);
  }
}

/** APIGW.0308: throttled; carries Retry-After (seconds) when the emulator knows it. */
export class ThrottlingThresholdReached extends ApiError {
  constructor(retryAfterSeconds?: number, message?: string) {
    super(
      "APIGW.0308",
      message ?? "The throttling threshold has been reached: policy user over ratelimit",
      retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) },
    );
  }
}

/** 501: an operation of the real API that the emulator does not implement. */
export class NotImplementedByEmulator extends ApiError {
  constructor(what: string) {
    super("EMULATOR.0501", `${what} is not implemented by the emulator.`);
  }
}
