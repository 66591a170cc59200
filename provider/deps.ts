/**
 * What the API-calling methods of both resources run with: the client, the resolved configuration,
 * and test hooks; and the waiter timing of one operation.
 */
import type { DcaasClient } from "./client";
import type { ProviderConfig } from "./config";
import { type Activity, engineOutput, type ProgressSink, progressReporter } from "./progress";
import { type PollPlanner, processSettleTimes, type SettleTimes, type TransitionKind } from "./settleTimes";
import type { WaitOptions, WaitTiming } from "./waiters";

/** Dependencies of the API-calling methods. */
export interface Deps {
  client: DcaasClient;
  config: ProviderConfig;
  /** Test hooks for the waiters (first poll delay, clock). */
  timing?: Partial<WaitTiming>;
  sleep?: (ms: number) => Promise<void>;
  /** Where progress lines of long waits go (default: the engine's output). */
  progress?: ProgressSink;
  /** Learned settle times (default: this process's). */
  settleTimes?: SettleTimes;
}

/**
 * Waiter timing for one operation: the configured poll interval, test hooks, the deadline, and, when
 * `activity` says what waits, throttled progress lines.
 */
export function timingOf(
  deps: Deps,
  timeoutMs: number,
  activity?: Activity,
): WaitTiming & Pick<WaitOptions<unknown>, "onProgress"> {
  return {
    pollIntervalMs: deps.config.pollIntervalMs,
    ...deps.timing,
    timeoutMs,
    onProgress: activity ? progressReporter(activity, deps.progress ?? engineOutput) : undefined,
  };
}

/**
 * The learned poll plan of a wait that starts right after this process's own create or delete
 * request; undefined (the usual backoff) when the API already reported a settled status, so an
 * object that is ready at once is not made to wait for the expected time.
 */
export function settlePlan(
  deps: Deps,
  kind: TransitionKind,
  reported?: string,
  request?: RequestSpan,
): PollPlanner | undefined {
  if (reported !== undefined && !reported.startsWith("PENDING")) return undefined;
  // The way out (and the benchmark's baseline): dcaas:learnWaits off keeps the usual schedule.
  if (!deps.settleTimes && deps.config?.learnWaits === false) return undefined;
  return (deps.settleTimes ?? processSettleTimes).planner(kind, request?.origin());
}

/**
 * When the request that started a transition was sent and answered, on the waiters' clock. Its
 * middle is the best guess of when the API began the transition; a request that took longer than
 * `maxMs` (retries, adoption) gives no guess.
 */
export class RequestSpan {
  private readonly sentAt: number;
  private answeredAt: number | undefined;
  constructor(
    private readonly now: () => number,
    private readonly maxMs = 2000,
  ) {
    this.sentAt = now();
  }
  /** The answer arrived. */
  answered(): this {
    this.answeredAt = this.now();
    return this;
  }
  /** The middle of the request, or undefined. */
  origin(): number | undefined {
    const end = this.answeredAt ?? this.now();
    return end - this.sentAt <= this.maxMs ? (this.sentAt + end) / 2 : undefined;
  }
}

/** A span starting now on the waiters' clock of `deps`. */
export function requestSpan(deps: Deps): RequestSpan {
  return new RequestSpan(deps.timing?.now ?? Date.now);
}
