/**
 * How an operation fails: an error naming the operation, kind and resource around its cause, and
 * Pulumi's partial failure (the object exists: its id and outputs go with the error).
 */

/**
 * An operation failed: "creating hosted VIF (branch-1): DC.1209: ...". The cause is kept, never
 * replaced, so callers can still branch on its class.
 */
export class OperationError extends Error {
  override name = "OperationError";
  constructor(
    readonly operation: string,
    readonly kind: string,
    readonly ident: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} ${kind} (${ident}): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * A Pulumi partial failure: the object exists, so the error carries its id and full outputs
 * (including `__provider`, which the engine does not add back) and Pulumi records it instead of
 * orphaning it; the next `up` re-converges through `update`.
 */
export function partialFailure(
  message: string,
  id: string,
  properties: Record<string, unknown>,
  reasons: string[],
) {
  const e = new Error(message) as Error & {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
  };
  e.id = id;
  e.properties = properties;
  e.reasons = reasons;
  return e;
}
