/**
 * Generic state waiters: poll a status function with exponential backoff and jitter (first poll
 * soon, growing, capped at the configured poll interval) until a target state, a failure state or
 * the deadline.
 */
import { formatMs } from "./durations";

export { formatMs };

/** The clock and schedule knobs of one wait, as waitForState resolved them. */
export interface PlanClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Cap of the delay between polls of the usual backoff. */
  pollIntervalMs: number;
  /** First delay of the usual backoff. */
  firstDelayMs: number;
}

/** The poll plan of one wait: when to poll, and what each poll saw. */
export interface PollPlan {
  /** Resolves when the next poll is due, never later than `remainingMs` from now. */
  untilNextPoll(remainingMs: number): Promise<void>;
  /** Makes one status poll; a poll that throws ends the plan. */
  poll<R>(status: () => Promise<R>): Promise<R>;
  /** Reports the poll's outcome (target reached; still pending); anything but pending ends the plan. */
  saw(settled: boolean, pending: boolean): void;
  /** The wait is over (timed out). */
  end(): void;
}

/**
 * Starts poll plans for waits of one transition kind: the polling interface the waiter consumes
 * (the learned-wait planner of settleTimes.ts is one; without one, the usual backoff).
 */
export interface PollPlanner {
  /** The plan of a wait starting now. */
  begin(clock: PlanClock): PollPlan;
}

/** The result of one status poll: `undefined` means the object no longer exists. */
export type StatusResult<T> = { state: string; value: T; reason?: string } | undefined;

/** The state reported by a status function when the object does not exist. */
export const GONE = "GONE";

/** Timing knobs shared by every waiter. */
export interface WaitTiming {
  /** Overall deadline in ms from the start of the wait. */
  timeoutMs: number;
  /** Upper bound of the delay between polls. */
  pollIntervalMs: number;
  /** Delay before the first poll (default min(250 ms, pollIntervalMs)). */
  firstDelayMs?: number;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** Options of one wait. */
export interface WaitOptions<T> extends WaitTiming {
  /** What is being waited for, for messages ("ACTIVE", "deletion"). */
  description: string;
  status: () => Promise<StatusResult<T>>;
  /** States that end the wait successfully (use GONE to wait for deletion). */
  target: string[];
  /** States that keep the wait going; any state in neither list is unexpected. */
  pending: string[];
  /** Called after every poll that leaves the wait going (for progress lines). */
  onProgress?: (p: WaitProgress) => void;
  /** Plans the polls from learned settle times (settleTimes.ts) instead of the usual backoff. */
  settle?: PollPlanner;
}

/** Where a wait stands after a poll that did not end it. */
export interface WaitProgress {
  description: string;
  state: string;
  elapsedMs: number;
  timeoutMs: number;
}

/** The deadline passed while the object was still in a pending state. */
export class WaitTimeoutError<T = unknown> extends Error {
  override name = "WaitTimeoutError";
  constructor(
    readonly lastState: string,
    readonly lastValue: T | undefined,
    readonly timeoutMs: number,
    description: string,
  ) {
    super(`timeout after ${formatMs(timeoutMs)} waiting for ${description} (last status ${lastState})`);
  }
}

/** The object reached a state that is neither pending nor the target (ERROR, deleted, ...). */
export class UnexpectedStateError<T = unknown> extends Error {
  override name = "UnexpectedStateError";
  constructor(
    readonly state: string,
    readonly value: T | undefined,
    readonly reason: string | undefined,
    description: string,
  ) {
    super(
      state === GONE
        ? `the object disappeared while waiting for ${description}`
        : `status ${state} while waiting for ${description}${reason ? `: ${reason}` : ""}`,
    );
  }
}

/**
 * The delay before poll number `attempt` (0-based): first ~firstDelay, doubling, capped at
 * pollInterval, with ±25% jitter so parallel waiters do not poll in lockstep.
 */
export function pollDelay(
  attempt: number,
  firstDelayMs: number,
  pollIntervalMs: number,
  random = Math.random,
): number {
  const base = Math.min(pollIntervalMs, firstDelayMs * 2 ** Math.min(attempt, 30));
  const jitter = 0.75 + random() * 0.5;
  return Math.max(1, Math.round(Math.min(pollIntervalMs, base * jitter)));
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until a target state; throws WaitTimeoutError or UnexpectedStateError. */
export async function waitForState<T>(opts: WaitOptions<T>): Promise<StatusResult<T>> {
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const firstDelay = opts.firstDelayMs ?? Math.min(250, opts.pollIntervalMs);
  const start = now();
  const deadline = start + opts.timeoutMs;
  const plan = opts.settle?.begin({
    now,
    sleep,
    random,
    pollIntervalMs: opts.pollIntervalMs,
    firstDelayMs: firstDelay,
  });
  let last: StatusResult<T>;
  let lastState = "UNKNOWN";
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - now();
    if (remaining <= 0) break;
    if (plan) await plan.untilNextPoll(remaining);
    else await sleep(Math.min(pollDelay(attempt, firstDelay, opts.pollIntervalMs, random), remaining));
    last = await (plan ? plan.poll(opts.status) : opts.status());
    lastState = last === undefined ? GONE : last.state;
    plan?.saw(opts.target.includes(lastState), opts.pending.includes(lastState));
    if (opts.target.includes(lastState)) return last;
    if (!opts.pending.includes(lastState)) {
      throw new UnexpectedStateError(lastState, last?.value, last?.reason, opts.description);
    }
    opts.onProgress?.({
      description: opts.description,
      state: lastState,
      elapsedMs: now() - start,
      timeoutMs: opts.timeoutMs,
    });
  }
  plan?.end();
  throw new WaitTimeoutError(lastState, last?.value, opts.timeoutMs, opts.description);
}
