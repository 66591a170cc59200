/**
 * Settle times learned while the provider process runs: how long each kind of transition
 * (interface create and delete, peer create and delete) took for the objects this process watched,
 * and the poll plan of new waits built from it. A wait of a learned kind sleeps until the expected
 * settle time, polls, then polls tightly, then falls back to the usual capped backoff if the object
 * is late, until its deadline.
 *
 * Until anything is learned, the oldest wait of a kind in flight (the scout) polls on the usual
 * schedule and younger ones take turns between its polls: one in its gaps of 2 s or more, then,
 * once its backoff reaches pollInterval, up to two (no closer than a tenth of the elapsed time, but
 * at least two turns per pollInterval; a group of more than 20 takes proportionally more, closer
 * turns). The rest poll on their own only at sparse check points, so a fleet created at once does
 * not poll in parallel for what one object will tell. A scout alone in flight polls on the usual
 * schedule, poll for poll.
 *
 * Once something is learned, the waits planned on one estimate (a batch) follow their oldest: it
 * makes the first poll at the expected time, and the others poll once it has seen its object, at
 * the same elapsed time.
 *
 * Everything is in memory, per process; nothing is stored. `test/helpers/fleetSim.ts` runs fleets
 * through it.
 */
import { type PlanClock, type PollPlan, type PollPlanner, pollDelay } from "./waiters";

export type { PlanClock, PollPlan, PollPlanner };

/** The transitions whose duration is learned. */
export type TransitionKind = "vifCreate" | "vifDelete" | "peerCreate" | "peerDelete";

/** Tuning of the learning and of the learned schedule. */
export interface SettleTuning {
  /** How many recent settle times per kind are kept. */
  window: number;
  /** The first poll is never later than this quantile of the kept settle times (a low one)... */
  capQuantile: number;
  /** ...once there are this many of them (before that, never later than the fastest). */
  minSamplesForQuantile: number;
  /** The tight poll interval is this fraction of the expected time... */
  tightFraction: number;
  /** ...but at least this many ms... */
  tightMinMs: number;
  /** ...and at most this many ms (and never more than pollInterval). */
  tightMaxMs: number;
  /** Tight polls after the first one before the capped backoff resumes. */
  tightPolls: number;
  /**
   * The share of first polls (made at the expected time) meant to find the object settled: the
   * expected time tracks this quantile of the settle times, so most waits cost one GET and the
   * rest a tight poll or two more.
   */
  settledShare: number;
  /** The first step of the estimate, as a fraction of the first settle's interval. */
  firstStepFraction: number;
  /**
   * While nothing is learned and the scout polls every pollInterval, up to this many waits of the
   * kind take turns (the scout included), so the group polls more often than one wait would...
   */
  maxScouts: number;
  /** ...but no more often than this fraction of the scout's elapsed time (relative precision)... */
  scoutFraction: number;
  /**
   * ...except that at least this many take turns while that many are in flight: waits that started
   * together see their objects through the group's polls, so the group polls at least this many
   * times per pollInterval, however long the transition takes.
   */
  minTurns: number;
  /** Before the scout's backoff reaches pollInterval, minTurns take turns in its gaps this long or longer. */
  minTurnGapMs: number;
  /**
   * With more waits than this in flight, the turns (and their number) scale with the group: each
   * turn's GET tells the settle time to more waits.
   */
  groupSize: number;
  /** While nothing is learned, the first follower polls on its own at this multiple of pollInterval, doubling. */
  followerCheckFactor: number;
  /** How often a wait that depends on what others learn re-evaluates (no request is made). */
  recheckMs: number;
}

/** The tuning the provider uses. */
export const DEFAULT_TUNING: SettleTuning = {
  window: 16,
  capQuantile: 0.1,
  minSamplesForQuantile: 3,
  tightFraction: 0.05,
  tightMinMs: 100,
  tightMaxMs: 500,
  tightPolls: 3,
  settledShare: 0.75,
  firstStepFraction: 0.5,
  maxScouts: 3,
  scoutFraction: 0.1,
  minTurns: 2,
  minTurnGapMs: 2000,
  groupSize: 20,
  followerCheckFactor: 16,
  recheckMs: 50,
};

interface KindState {
  /** Elapsed ms (from the start of the wait) of the poll that first saw the target, most recent last. */
  seen: number[];
  /** The estimate of the median settle time (stochastic approximation); undefined until learned. */
  median?: number;
  /** The first step of the estimate, and how many first polls have voted since. */
  firstStep: number;
  votes: number;
  /** Bumped whenever the estimate moves: only a first poll made at the current estimate votes. */
  generation: number;
  /** Elapsed ms of recent polls that found an object still pending (any wait of the kind). */
  pending: number[];
  /** Waits in flight, oldest first. */
  inflight: Set<Watch>;
  /** Per batch (the generation its waits were planned on): when its first wait saw its object settled. */
  batchSeen: Map<number, number>;
}

/** The expected settle time and tight poll interval of a kind. */
export interface SettleEstimate {
  /** When the first poll of a new wait is made, in ms from its start. */
  firstPollMs: number;
  /** The interval of the tight polls that follow. */
  tightMs: number;
  /** How many settle times the estimate rests on. */
  samples: number;
  /** @internal Changes whenever the estimate moves. */
  generation?: number;
}

/**
 * Per-process learned settle times of the four transition kinds. The first wait that settles sets
 * the expected time inside the interval between the latest pending poll of any wait of the kind and
 * the poll that saw the target. Then the first poll of each later batch of waits (those planned on
 * the same estimate) votes: still pending moves it up, found settled moves it down by a third as
 * much, so it rests where about three first polls in four find the object ready; the steps shrink
 * as votes accumulate (Robbins-Monro), so one outlier moves it by one small step at most. The first
 * poll is also never later than a low quantile of the recently observed settle times, so objects
 * faster than the estimate are not held back by it.
 */
export class SettleTimes {
  private readonly kinds = new Map<TransitionKind, KindState>();

  constructor(readonly tuning: SettleTuning = DEFAULT_TUNING) {}

  /**
   * The planner of waits for one kind of transition. `origin`: when the transition began on the
   * clock the wait will use (the middle of the create or delete request that started it); elapsed
   * times count from there, so a response that reached the provider late does not make the object
   * look faster than it is. Default: when the wait begins.
   */
  planner(kind: TransitionKind, origin?: number): PollPlanner {
    return { begin: (clock) => new Watch(this, this.state(kind), clock, origin) };
  }

  /** What has been learned for a kind with this pollInterval; undefined until a wait has settled. */
  estimate(kind: TransitionKind, pollIntervalMs: number): SettleEstimate | undefined {
    return this.estimateOf(this.state(kind), pollIntervalMs);
  }

  /** Forgets everything learned (tests); waits in flight keep their role. */
  forget(): void {
    for (const s of this.kinds.values()) {
      s.seen.length = 0;
      s.median = undefined;
      s.votes = 0;
      s.pending.length = 0;
      s.generation++;
    }
  }

  /** Records one settle time observed exactly (tests, and callers that measured one themselves). */
  record(kind: TransitionKind, settledAfterMs: number): void {
    this.settled(this.state(kind), settledAfterMs, settledAfterMs);
  }

  /** @internal A wait saw the target at `hi` ms, its last pending poll being at `lo` (0: none). */
  settled(state: KindState, lo: number, hi: number): void {
    state.seen.push(Math.max(0, hi));
    if (state.seen.length > this.tuning.window) state.seen.shift();
    if (state.median === undefined) {
      // The first settle: the object settled after the latest pending poll of any wait of this kind
      // (the waits took turns) and by `hi`. Start within that interval: at its settledShare point
      // when it spans a few tight polls at most (a wait that is early costs a tight poll), else in
      // its middle (a wait that is late costs time); a quarter of it is the first step.
      const t = this.tuning;
      const below = Math.max(lo, ...state.pending.filter((p) => p < hi));
      const tight = Math.min(t.tightMaxMs, Math.max(t.tightMinMs, hi * t.tightFraction));
      const share = hi - below <= 3 * tight ? t.settledShare : 0.5;
      state.median = below > 0 ? below + (hi - below) * share : hi;
      state.firstStep = Math.max(t.tightMinMs / 2, (hi - below) * t.firstStepFraction);
      state.votes = 0;
      state.generation++;
    }
  }

  /** @internal A poll found an object of this kind still pending `elapsed` ms into its wait. */
  stillPending(state: KindState, elapsed: number): void {
    if (state.median !== undefined) return;
    state.pending.push(elapsed);
    if (state.pending.length > 4 * this.tuning.window) state.pending.shift();
  }

  /** @internal The first poll of a wait, made at the expected time, found the object settled or not. */
  vote(state: KindState, settled: boolean, tightMs: number): void {
    if (state.median === undefined) return;
    const step = Math.max(tightMs / 2, (state.firstStep * 2) / (state.votes + 2));
    const q = this.tuning.settledShare;
    state.votes++;
    // Up by q × step when still pending, down by (1 - q) × step when settled: it rests where a
    // share q of first polls find the object settled (q = 0.5: the median).
    state.median = Math.max(0, state.median + (settled ? -(1 - q) * step : q * step) * 2);
    state.generation++;
  }

  /** @internal */
  estimateOf(state: KindState, pollIntervalMs: number): SettleEstimate | undefined {
    if (state.median === undefined || state.seen.length === 0) return undefined;
    const t = this.tuning;
    const sorted = [...state.seen].sort((a, b) => a - b);
    const cap = sorted.length < t.minSamplesForQuantile ? sorted[0]! : quantileOf(sorted, t.capQuantile);
    const expected = Math.min(state.median, cap);
    const tightMs = Math.round(
      Math.min(pollIntervalMs, t.tightMaxMs, Math.max(t.tightMinMs, expected * t.tightFraction)),
    );
    return {
      firstPollMs: Math.round(expected),
      tightMs,
      samples: state.seen.length,
      generation: state.generation,
    };
  }

  private state(kind: TransitionKind): KindState {
    let s = this.kinds.get(kind);
    if (!s) {
      s = {
        seen: [],
        firstStep: 0,
        votes: 0,
        generation: 0,
        pending: [],
        inflight: new Set(),
        batchSeen: new Map(),
      };
      this.kinds.set(kind, s);
    }
    return s;
  }
}

/** What this provider process has learned (one dynamic-provider host serves every resource of a run). */
export const processSettleTimes = new SettleTimes();

/** The q-quantile of sorted numbers (linear interpolation). */
export function quantileOf(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile of no samples");
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The plan of one wait. */
class Watch implements PollPlan {
  private readonly start: number;
  /** Polls made so far, and the elapsed time of the last one and of the last pending one. */
  private polls = 0;
  private lastPollAt = 0;
  private lastPendingAt = 0;
  /** Polls made on the learned plan (the first is the one at the expected time). */
  private learnedPolls = 0;
  /** The next poll of the usual backoff and of the learned plan, fixed once drawn (both are jittered). */
  private usualNextAt: number | undefined;
  private learnedNextAt: number | undefined;
  /** The poll about to be made: when, and on which plan. */
  private pollStartedAt = 0;
  private pollPlan: SettleEstimate | undefined;
  /** The estimate this wait's first learned poll was planned on. */
  private firstPlan: SettleEstimate | undefined;

  constructor(
    private readonly owner: SettleTimes,
    private readonly kind: KindState,
    private readonly clock: PlanClock,
    origin?: number,
  ) {
    const now = clock.now();
    this.start = origin !== undefined && origin <= now ? origin : now;
    kind.inflight.add(this);
  }

  async untilNextPoll(remainingMs: number): Promise<void> {
    const until = this.clock.now() + remainingMs;
    for (;;) {
      const now = this.clock.now();
      const left = until - now;
      if (left < 1) break;
      const { waitMs, recheck } = this.decide(now - this.start);
      // Timers have a resolution of 1 ms: less than that is now (and a float remainder never spins).
      if (waitMs < 1) break;
      if (!recheck) {
        await this.clock.sleep(Math.min(waitMs, left));
        break;
      }
      await this.clock.sleep(Math.min(waitMs, left, this.owner.tuning.recheckMs));
    }
    this.pollStartedAt = this.clock.now() - this.start;
    this.pollPlan = this.owner.estimateOf(this.kind, this.clock.pollIntervalMs);
  }

  async poll<R>(status: () => Promise<R>): Promise<R> {
    try {
      return await status();
    } catch (e) {
      this.end();
      throw e;
    }
  }

  saw(settled: boolean, pending: boolean): void {
    const plan = this.pollPlan;
    if (plan) {
      // Only a first poll made at the expected time says whether that time was early or late, and
      // only if the estimate it was planned on has not moved since: waits planned on one estimate
      // (a batch started together) move it once, not once each.
      // The first poll of a batch also closes it: waits that begin afterwards form the next batch.
      const first = this.firstPlan;
      if (this.learnedPolls === 0 && first !== undefined && first.generation === this.kind.generation) {
        if (this.pollStartedAt - first.firstPollMs <= first.tightMs) {
          this.owner.vote(this.kind, settled, first.tightMs);
        } else this.kind.generation++;
      }
      this.learnedPolls++;
    }
    this.polls++;
    this.lastPollAt = this.pollStartedAt;
    this.usualNextAt = undefined;
    this.learnedNextAt = undefined;
    if (settled) {
      this.owner.settled(this.kind, this.lastPendingAt, this.pollStartedAt);
      if (this.firstPlan?.generation !== undefined) this.batchSaw(this.firstPlan.generation);
    } else if (pending) {
      this.lastPendingAt = this.pollStartedAt;
      this.owner.stillPending(this.kind, this.pollStartedAt);
    }
    if (!pending) this.end();
  }

  end(): void {
    this.kind.inflight.delete(this);
  }

  /** How long to wait from `elapsed`, and whether to re-evaluate meanwhile (the plan may change). */
  private decide(elapsed: number): { waitMs: number; recheck: boolean } {
    const est = this.owner.estimateOf(this.kind, this.clock.pollIntervalMs);
    if (est) {
      const next = this.learnedPlan(est);
      const held = this.heldUntil(elapsed);
      if (held) return { waitMs: held.at - elapsed, recheck: held.recheck };
      return { waitMs: next - elapsed, recheck: false };
    }
    const rank = this.rank();
    if (rank === 0) return { waitMs: this.usualNext() - elapsed, recheck: true };
    // Nothing learned yet and older waits of this kind are in flight. Once the oldest (the scout)
    // polls every pollInterval, up to maxScouts - 1 others take turns between its polls, each at its
    // own slot of the interval, so the group sees the first object settle sooner than one wait
    // would; the turns are never closer than scoutFraction of the elapsed time.
    const scout = this.scout();
    const turns = scout ? scout.turns(this.kind.inflight.size) : 1;
    if (scout && rank < turns) {
      const slot = scout.slotAt(rank, turns);
      // A slot within 1 ms of this wait's last poll is that poll (clock values are floats).
      if (slot !== undefined && slot > this.start + this.lastPollAt + 1) {
        return { waitMs: slot - this.start - elapsed, recheck: true };
      }
      return { waitMs: this.owner.tuning.recheckMs, recheck: true };
    }
    // The rest let them find the settle time, but poll on their own at sparse, doubling check points
    // in case the scouts' objects are outliers. The first one's check points start at
    // followerCheckFactor × pollInterval, each younger one's twice as late, so a few waits cover
    // for slow scouts and the rest make no request until something is learned.
    const base =
      this.owner.tuning.followerCheckFactor *
      this.clock.pollIntervalMs *
      2 ** Math.min(Math.max(0, rank - this.owner.tuning.maxScouts), 30);
    let check = base;
    while (check <= this.lastPollAt + 1) check *= 2;
    return { waitMs: check - elapsed, recheck: true };
  }

  /** The elapsed time of this wait's next poll on the usual schedule. */
  private usualNext(): number {
    this.usualNextAt ??=
      this.lastPollAt +
      pollDelay(this.polls, this.clock.firstDelayMs, this.clock.pollIntervalMs, this.clock.random);
    return this.usualNextAt;
  }

  /**
   * As the scout: how many waits take turns in its current interval (itself included). Until its
   * usual backoff has reached pollInterval, 1 (minTurns once its gaps are minTurnGapMs or more);
   * then at most maxScouts and the waits in flight, with turns no closer than scoutFraction of the
   * elapsed time (and tightMinMs), but at least minTurns.
   */
  turns(inflight: number): number {
    const t = this.owner.tuning;
    if (this.polls === 0) return 1;
    const capped = this.clock.firstDelayMs * 2 ** Math.min(this.polls, 30) >= this.clock.pollIntervalMs;
    const gap = this.usualNext() - this.lastPollAt;
    // Before the backoff is capped, its gaps of minTurnGapMs or more are shared by minTurns.
    if (!capped) return gap >= t.minTurnGapMs ? Math.min(t.minTurns, inflight) : 1;
    // A larger group shares each turn's GET among more waits: proportionally more turns, closer.
    const scale = Math.max(1, inflight / t.groupSize);
    const spacing = Math.max(t.tightMinMs, (t.scoutFraction * this.lastPollAt) / scale);
    const relative = Math.min(Math.round(t.maxScouts * scale), inflight, Math.round(gap / spacing));
    return Math.max(1, Math.min(t.minTurns, inflight), relative);
  }

  /** As the scout: the absolute time of turn `k` of `turns` in its current interval. */
  slotAt(k: number, turns: number): number | undefined {
    if (this.usualNextAt === undefined) return undefined;
    return this.start + this.lastPollAt + ((this.usualNextAt - this.lastPollAt) * k) / turns;
  }

  /** This wait, of batch `g`, saw its object settled: the batch's other waits may poll. */
  private batchSaw(g: number): void {
    const seen = this.kind.batchSeen;
    if (!seen.has(g)) seen.set(g, this.pollStartedAt);
    for (const old of seen.keys()) {
      if (seen.size <= 16) break;
      seen.delete(old);
    }
  }

  /**
   * The first learned poll of a wait that is not its batch's leader: held until the leader (the
   * oldest wait in flight planned on the same estimate) has seen its object settled, then made at
   * the same elapsed time (never before the expected time), since the batch's objects started
   * together; if the leader is still pending after its tight polls, this wait goes its own way.
   * Undefined for the leader, and for a wait whose first learned poll is made.
   */
  private heldUntil(elapsed: number): { at: number; recheck: boolean } | undefined {
    const first = this.firstPlan;
    if (this.learnedPolls > 0 || first?.generation === undefined) return undefined;
    const g = first.generation;
    const seen = this.kind.batchSeen.get(g);
    if (seen !== undefined) return { at: Math.max(first.firstPollMs, seen), recheck: false };
    let leader: Watch | undefined;
    for (const w of this.kind.inflight) {
      if (w.firstPlan?.generation === g) {
        leader = w;
        break;
      }
    }
    const ownWay = first.firstPollMs + (this.owner.tuning.tightPolls + 1) * first.tightMs;
    if (leader === undefined || leader === this || elapsed >= ownWay) return undefined;
    return { at: ownWay, recheck: true };
  }

  /** The elapsed time of the next poll on the learned plan. */
  private learnedPlan(est: SettleEstimate): number {
    // First poll at the expected time (at once if that has passed), then tight polls, then the
    // usual capped backoff growing from the tight interval.
    if (this.learnedPolls === 0) {
      this.firstPlan ??= est;
      return this.firstPlan.firstPollMs;
    }
    this.learnedNextAt ??=
      this.lastPollAt +
      pollDelay(
        Math.max(0, this.learnedPolls - this.owner.tuning.tightPolls),
        est.tightMs,
        this.clock.pollIntervalMs,
        this.clock.random,
      );
    return this.learnedNextAt;
  }

  /** The oldest wait in flight of this kind. */
  private scout(): Watch | undefined {
    for (const w of this.kind.inflight) return w;
    return undefined;
  }

  /** 0 for the oldest wait in flight of this kind (the scout), 1 for the next, ... */
  private rank(): number {
    let r = 0;
    for (const w of this.kind.inflight) {
      if (w === this) return r;
      r++;
    }
    return 0;
  }
}
