/**
 * Creating an object safely: the idempotent POST (adopting only this resource's own object after a
 * refused or ambiguous attempt) and the wait after it, which ends in a partial failure rather than
 * an orphan when the object exists but does not become available.
 */
import {
  addSentence,
  backoffDelay,
  ConflictError,
  isAmbiguous,
  MAX_BACKOFF_MS,
  noteRetries,
  ValidationError,
} from "./client";
import type { Deps } from "./deps";
import { OperationError, partialFailure } from "./operationErrors";
import { GONE, UnexpectedStateError } from "./waiters";

/** How a create request is made, and how its refusals and ambiguous failures are resolved. */
export interface IdempotentCreate<T> {
  post: () => Promise<T>;
  /**
   * The live object an earlier attempt of this same resource made: identical to the intent and
   * carrying this resource's own mark; undefined when there is none.
   */
  findOwn: () => Promise<T | undefined>;
  /** One sentence naming the existing object that holds what the refused create asked for. */
  explainRefusal?: (e: unknown) => Promise<string | undefined>;
  /** Told when the create adopts what `findOwn` found instead of making a new object. */
  adopted?: (v: T) => void;
}

/**
 * POST with idempotency. After an ambiguous failure (network error, 5xx) the attempt may have been
 * applied, so look for the object it would have created and adopt it before trying again (when the
 * look-up fails too, the POST's error is thrown). A refusal may be this resource's own earlier attempt too (this
 * call's ambiguous POST, or a run interrupted after its POST); `findOwn` adopts only an object
 * carrying this resource's own mark, never another stack's. Other refusals are thrown with a sentence
 * naming the object in the way. The final error names the POST and how many retries were made.
 */
export async function createIdempotent<T>(deps: Deps, c: IdempotentCreate<T>): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let ambiguous: unknown;
  for (let attempt = 0; ; attempt++) {
    if (ambiguous !== undefined) {
      const found = await lookUp(c, ambiguous, attempt - 1);
      if (found) return (c.adopted?.(found), found);
    }
    try {
      return await c.post();
    } catch (e) {
      if (isAmbiguous(e) && attempt < deps.config.maxRetries) {
        ambiguous = e;
        await sleep(backoffDelay(attempt, deps.config.retryBaseDelayMs, MAX_BACKOFF_MS, undefined));
        continue;
      }
      const refused = e instanceof ConflictError || e instanceof ValidationError;
      if (ambiguous !== undefined || refused) {
        const found = await lookUp(c, e, attempt);
        if (found) return (c.adopted?.(found), found);
      }
      if (refused && c.explainRefusal) {
        const sentence = await c.explainRefusal(e).catch(() => undefined);
        if (sentence) addSentence(e, sentence);
      }
      throw noteRetries(e, attempt);
    }
  }
}

/** `findOwn`; when it fails, the POST's error is thrown (it is what failed), naming the look-up too. */
async function lookUp<T>(
  c: IdempotentCreate<T>,
  postError: unknown,
  retries: number,
): Promise<T | undefined> {
  try {
    return await c.findOwn();
  } catch (lookup) {
    const what = (lookup as Error)?.message ?? String(lookup);
    throw noteRetries(postError, retries, `; looking for an object it may have created failed too: ${what}`);
  }
}

/**
 * Waits for a just-created object to become available. When the wait fails while the object still
 * exists (timeout, ERROR), throws a partial failure carrying its id and full outputs (with
 * `__provider`), so Pulumi records the object instead of orphaning it; the next `up` re-converges.
 */
export async function waitCreated<T extends { id: string }>(
  kind: string,
  ident: string,
  created: T,
  inputs: Record<string, any>,
  wait: () => Promise<T>,
  outputs: (obj: T) => Record<string, any>,
): Promise<T> {
  try {
    return await wait();
  } catch (e) {
    if (e instanceof UnexpectedStateError && e.state === GONE)
      throw new OperationError("creating", kind, ident, e);
    const last = ((e as any)?.value ?? (e as any)?.lastValue ?? created) as T;
    const properties = { ...outputs(last), __provider: inputs.__provider };
    const msg = `creating ${kind} (${ident}): ${(e as Error).message}`;
    throw partialFailure(msg, created.id, properties, [msg]);
  }
}
