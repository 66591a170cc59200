/**
 * A simulated fleet of creates and deletes through the real waiters and learned settle times, on a
 * discrete-event clock: the engine's bounded parallelism (a FIFO queue of steps over `slots`
 * workers), N interfaces each with one peer created after it (queued behind the interfaces not yet started),
 * deleted as the engine does, in antichains (every peer, then every interface); request latency
 * and engine overhead per step drawn from a seeded generator. Used by the unit tests of
 * settleTimes.ts to compare schedules quickly; the engine benchmark (`npm run bench`) measures the
 * same figures through the real engine and emulator.
 */
import {
  DEFAULT_TUNING,
  SettleTimes,
  type SettleTuning,
  type TransitionKind,
} from "../../provider/settleTimes";
import { waitForState } from "../../provider/waiters";
import { mulberry32 } from "./random";

/** A discrete-event clock: sleeps resolve in time order as `run` advances time. */
export class SimClock {
  t = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  private steps = 0;
  now = () => this.t;
  sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
    });

  /** Runs until every promise has settled. */
  async run<T>(ps: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    let done = false;
    const all = Promise.allSettled(ps).then((r) => {
      done = true;
      return r;
    });
    for (;;) {
      // Let every ready continuation run before time moves.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (process.env.SIM_DEBUG && ++this.steps % 20000 === 0)
        console.log("t", this.t, "timers", this.timers.length, next?.at);
      if (!next) throw new Error("simulation stalled: no timer pending");
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    return all;
  }
}

export interface FleetOptions {
  pairs: number;
  /** Steps the engine runs at once. */
  slots: number;
  /** How long each transition takes in the API, ms (or a function of the object's index). */
  delays: Record<TransitionKind, number | ((i: number) => number)>;
  pollIntervalMs: number;
  /** Learned settle times, or none (the usual schedule). */
  learning: boolean;
  /** Each wait's deadline, ms (default 1 h). */
  timeoutMs?: number;
  /** Tuning of the learning (default: the provider's). */
  tuning?: Partial<SettleTuning>;
  seed?: number;
  /** A request's round trip, ms: [min, max) uniform (default 2–20). */
  latencyMs?: [number, number];
  /** The engine's and provider's work before a step's request, ms: [min, max) (default 5–60). */
  overheadMs?: [number, number];
}

/** Requests and overshoot of one kind of transition. */
export interface KindFigures {
  /** Requests per object: the POST or DELETE and the GETs of its wait. */
  requests: number[];
  /** End of the GET that saw the object settled minus when it settled, ms. */
  overshootMs: number[];
  /** Per object: when the wait began and when each GET reached the API, ms relative to the due time. */
  trace: number[][];
}

export interface FleetResult {
  kinds: Record<TransitionKind, KindFigures>;
  /** Simulated duration of the creates and of the deletes, ms. */
  upMs: number;
  destroyMs: number;
}

/** Runs N creates and deletes of interface + peer pairs; see the file comment. */
export async function simulateFleet(o: FleetOptions): Promise<FleetResult> {
  const clock = new SimClock();
  const random = mulberry32(o.seed ?? 1);
  const between = ([lo, hi]: [number, number]) => lo + random() * (hi - lo);
  const latency = () => between(o.latencyMs ?? [2, 20]);
  const overhead = () => between(o.overheadMs ?? [5, 60]);
  const times = o.learning ? new SettleTimes({ ...DEFAULT_TUNING, ...o.tuning }) : undefined;
  const kinds = Object.fromEntries(
    (["vifCreate", "vifDelete", "peerCreate", "peerDelete"] as TransitionKind[]).map((k) => [
      k,
      { requests: [], overshootMs: [], trace: [] } as KindFigures,
    ]),
  ) as Record<TransitionKind, KindFigures>;
  const delayOf = (k: TransitionKind, i: number) => {
    const d = o.delays[k];
    return typeof d === "function" ? d(i) : d;
  };

  /** One step: overhead, the request that starts the transition, then the wait until it settled. */
  const step = async (kind: TransitionKind, i: number) => {
    await clock.sleep(overhead());
    const sentAt = clock.now();
    const rtt = latency();
    await clock.sleep(rtt / 2);
    const due = clock.now() + delayOf(kind, i);
    await clock.sleep(rtt / 2);
    const origin = (sentAt + clock.now()) / 2;
    let requests = 1;
    let seenAt = NaN;
    const trace = [Math.round(clock.now() - due)];
    await waitForState({
      timeoutMs: o.timeoutMs ?? 3_600_000,
      pollIntervalMs: o.pollIntervalMs,
      now: clock.now,
      sleep: clock.sleep,
      random,
      description: kind,
      settle: times?.planner(kind, origin),
      status: async () => {
        requests++;
        const r = latency();
        await clock.sleep(r / 2);
        trace.push(Math.round(clock.now() - due));
        const done = clock.now() >= due;
        await clock.sleep(r / 2);
        if (done) seenAt = clock.now();
        return { state: done ? "SETTLED" : "PENDING", value: null };
      },
      target: ["SETTLED"],
      pending: ["PENDING"],
    });
    kinds[kind].requests.push(requests);
    kinds[kind].overshootMs.push(seenAt - due);
    kinds[kind].trace.push(trace);
  };

  const indexes = [...Array(o.pairs).keys()];
  const t0 = clock.now();
  const up = new Engine(o.slots);
  for (const i of indexes)
    up.enqueue(() => step("vifCreate", i).then(() => up.enqueue(() => step("peerCreate", i))));
  await clock.run([up.idle()]);
  const upMs = clock.now() - t0;
  const t1 = clock.now();
  // The engine deletes in antichains: every peer (nothing depends on them), then every interface.
  const peers = new Engine(o.slots);
  for (const i of indexes) peers.enqueue(() => step("peerDelete", i));
  await clock.run([peers.idle()]);
  const vifs = new Engine(o.slots);
  for (const i of indexes) vifs.enqueue(() => step("vifDelete", i));
  await clock.run([vifs.idle()]);
  return { kinds, upMs, destroyMs: clock.now() - t1 };
}

/** The engine's step executor: a FIFO queue of steps over `slots` workers; a step may queue another. */
class Engine {
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  private done!: () => void;
  private readonly whenIdle = new Promise<void>((r) => (this.done = r));
  constructor(private readonly slots: number) {}

  enqueue(job: () => Promise<void>): void {
    this.queue.push(job);
    this.pump();
  }

  idle(): Promise<void> {
    return this.whenIdle;
  }

  private pump(): void {
    while (this.running < this.slots && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      void job().then(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) this.done();
      });
    }
  }
}

/** Mean of numbers. */
export const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
