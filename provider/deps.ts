/**
 * What the API-calling methods of both resources run with: the client, the resolved configuration,
 * and test hooks; and the waiter timing of one operation.
 */
import type { DcaasClient } from "./client";
import type { ProviderConfig } from "./config";
import { type Activity, engineOutput, type ProgressSink, progressReporter } from "./progress";
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
