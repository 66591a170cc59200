/**
 * Progress lines of long waits: which resource waits for what, in which status, for how long, under
 * which deadline. At most one line per wait every `everyMs` (15 s), the first once the wait has lasted
 * `firstAfterMs` (5 s). The provider process's standard output reaches the engine, which shows each
 * line as an info diagnostic (`pulumi up`, the Automation API's output and events).
 */
import type { WaitProgress } from "./waiters";
import { formatMs } from "./durations";

/** What a provider method is doing, for its progress lines. */
export interface Activity {
  /** "creating", "updating", "deleting", "importing". */
  operation: string;
  /** "hosted VIF", "VIF peer". */
  kind: string;
  /** The resource's name (or id). */
  ident: string;
  /** Which deadline applies: "create", "update" or "delete". */
  deadline: "create" | "update" | "delete";
}

/** Where progress lines go: one line, no newline. */
export type ProgressSink = (line: string) => void;

/** Writes a progress line to the provider process's standard output (the engine shows it). */
export const engineOutput: ProgressSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** The progress line of one poll of a wait. */
export function progressLine(a: Activity, p: WaitProgress): string {
  return (
    `${a.operation} ${a.kind} (${a.ident}): still waiting for ${p.description}, ` +
    `status ${p.state} after ${formatMs(p.elapsedMs)} of the ${formatMs(p.timeoutMs)} ${a.deadline} timeout`
  );
}

/** An `onProgress` callback for a wait that emits a throttled line to `sink`. */
export function progressReporter(
  a: Activity,
  sink: ProgressSink,
  opts: { firstAfterMs?: number; everyMs?: number } = {},
): (p: WaitProgress) => void {
  const first = opts.firstAfterMs ?? 5_000;
  const every = opts.everyMs ?? 15_000;
  let lastAt: number | undefined;
  return (p) => {
    if (p.elapsedMs < first) return;
    if (lastAt !== undefined && p.elapsedMs - lastAt < every) return;
    lastAt = p.elapsedMs;
    sink(progressLine(a, p));
  };
}
