// Learned settle times with a simulated clock: the usual schedule until something is learned, then
// polls around the expected time; a fleet started at once lets one wait scout; robust to an outlier;
// late objects are polled until the deadline; nothing learned slows an object reported ready.
import assert from "node:assert/strict";
import { type Deps, settlePlan } from "../../../provider/deps";
import { pollDelay, waitForState, WaitTimeoutError } from "../../../provider/waiters";
import { quantileOf, SettleTimes, type TransitionKind } from "../../../provider/settleTimes";

/** A discrete-event clock: sleeps resolve in time order as `run` advances time. */
class SimClock {
  t = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
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
      await new Promise((r) => setImmediate(r));
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error("simulation stalled: no timer pending");
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    return all;
  }
}

interface Obj {
  /** Simulated time the wait started. */
  startedAt: number;
  /** Time after which the object reports the target state. */
  settlesAt: number;
  polls: number;
  seenAt?: number;
}

/** Starts one create wait on `clock` for an object that settles `settleMs` after now. */
function startWait(
  clock: SimClock,
  times: SettleTimes | undefined,
  settleMs: number,
  opts: { kind?: TransitionKind; pollIntervalMs?: number; timeoutMs?: number; random?: () => number } = {},
) {
  const obj: Obj = { startedAt: clock.now(), settlesAt: clock.now() + settleMs, polls: 0 };
  const p = waitForState({
    timeoutMs: opts.timeoutMs ?? 600_000,
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    now: clock.now,
    sleep: clock.sleep,
    random: opts.random ?? (() => 0.5),
    description: "status ACTIVE",
    settle: times?.planner(opts.kind ?? "vifCreate"),
    status: async () => {
      obj.polls++;
      if (clock.now() >= obj.settlesAt) {
        obj.seenAt ??= clock.now();
        return { state: "ACTIVE", value: obj };
      }
      return { state: "PENDING_CREATE", value: obj };
    },
    target: ["ACTIVE"],
    pending: ["PENDING_CREATE"],
  });
  return { obj, p };
}

/** Runs waits one after the other (each starting when the previous ended). */
async function sequential(clock: SimClock, times: SettleTimes, settles: number[], pollIntervalMs = 1000) {
  const out: Obj[] = [];
  for (const s of settles) {
    const w = startWait(clock, times, s, { pollIntervalMs });
    await clock.run([w.p]);
    out.push(w.obj);
  }
  return out;
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("learned settle times", () => {
  it("uses the usual schedule, poll for poll, until something is learned", async () => {
    const clock = new SimClock();
    const usual = startWait(clock, undefined, 3000);
    await clock.run([usual.p]);
    const clock2 = new SimClock();
    const learned = startWait(clock2, new SettleTimes(), 3000);
    await clock2.run([learned.p]);
    assert.equal(learned.obj.polls, usual.obj.polls);
    assert.equal(learned.obj.seenAt, usual.obj.seenAt);
    // The usual schedule with pollInterval 1 s: 250, 750, 1750, 2750, 3750.
    assert.equal(usual.obj.seenAt, 3750);
    assert.equal(usual.obj.polls, 5);
  });

  it("after one settle, later waits poll once or twice, just after the expected time", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    const objs = await sequential(clock, times, Array(20).fill(3000));
    const later = objs.slice(1);
    const polls = later.map((o) => o.polls);
    const overshoot = later.map((o) => o.seenAt! - o.settlesAt);
    if (process.env.SETTLE_DEBUG) console.log(polls, overshoot);
    assert.equal(objs[0]!.polls, 5);
    assert.ok(avg(polls) <= 2, `mean polls ${avg(polls)} (${polls})`);
    assert.ok(Math.max(...polls) <= 3, `polls ${polls}`);
    // The tight interval is 5% of 3 s = 150 ms: the object is seen within it.
    assert.ok(Math.max(...overshoot.slice(3)) <= 150, `overshoot ${overshoot}`);
    assert.ok(avg(overshoot.slice(3)) <= 100, `overshoot ${overshoot}`);
    const est = times.estimate("vifCreate", 1000)!;
    assert.ok(est.firstPollMs >= 2900 && est.firstPollMs <= 3100, JSON.stringify(est));
    // Kinds are learned separately.
    assert.equal(times.estimate("peerCreate", 1000), undefined);
  });

  it("with slow objects (60 s, pollInterval 5 s) later waits cost about two polls", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    const objs = await sequential(clock, times, Array(20).fill(60_000), 5000);
    assert.ok(objs[0]!.polls >= 13, `first wait polls ${objs[0]!.polls}`);
    const later = objs.slice(1);
    const polls = later.map((o) => o.polls);
    const overshoot = later.map((o) => o.seenAt! - o.settlesAt);
    assert.ok(avg(polls) <= 2.5 && Math.max(...polls) <= 4, `polls ${polls}`);
    assert.ok(avg(overshoot) <= 1000 && Math.max(...overshoot) <= 2500, `overshoot ${overshoot}`);
  });

  it("a fleet started at once lets one wait scout; the others poll about once after it settles", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    let r = 0;
    const random = () => (r = (r * 9301 + 49297) % 233280) / 233280;
    const waits = Array.from({ length: 20 }, (_, i) => startWait(clock, times, 3000 + i * 5, { random }));
    await clock.run(waits.map((w) => w.p));
    const polls = waits.map((w) => w.obj.polls);
    assert.equal(polls[0], 5); // the scout, on the usual schedule
    assert.ok(avg(polls.slice(1)) <= 1.5, `followers' polls ${polls}`);
    const overshoot = waits.map((w) => w.obj.seenAt! - w.obj.settlesAt);
    // Followers see their object as soon as the scout has (within the 50 ms recheck).
    assert.ok(Math.max(...overshoot.slice(1)) <= 800, `overshoot ${overshoot}`);
  });

  it("while the scout's object is an outlier, the others still poll at sparse check points", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    const scout = startWait(clock, times, 500_000);
    const other = startWait(clock, times, 100);
    await clock.run([scout.p, other.p]);
    // Check points at 4 × pollInterval: the fast object is seen at 4 s, not after the scout.
    assert.equal(other.obj.seenAt, 4000);
    assert.equal(other.obj.polls, 1);
  });

  it("a slow fleet started at once: one scout, two check points in all, then one or two polls each", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    const waits = Array.from({ length: 20 }, (_, i) =>
      startWait(clock, times, 60_000 + i * 10, { pollIntervalMs: 5000 }),
    );
    await clock.run(waits.map((w) => w.p));
    const polls = waits.map((w) => w.obj.polls);
    // Scout: the usual schedule (0.25, 0.75, 1.75, 3.75, 7.75 s, then every 5 s) to 62.75 s; follower 1 checks at 20 s and 40 s, follower 2 at 40 s.
    assert.equal(polls[0], 16);
    assert.deepEqual(polls.slice(1, 3), [3, 2]);
    assert.ok(avg(polls) <= 2.5, `polls ${polls}`);
  });

  it("one slow outlier does not move the estimate", () => {
    const times = new SettleTimes();
    for (const s of [3000, 3100, 2900, 3050, 2950]) times.record("vifDelete", s);
    times.record("vifDelete", 600_000);
    const est = times.estimate("vifDelete", 1000)!;
    assert.ok(est.firstPollMs < 3100, JSON.stringify(est));
    // With fewer than three samples the estimate is the smallest, so an early outlier cannot delay waits.
    const two = new SettleTimes();
    two.record("peerDelete", 600_000);
    two.record("peerDelete", 2000);
    assert.ok(two.estimate("peerDelete", 1000)!.firstPollMs <= 2000);
  });

  it("a late object is polled tightly, then with the capped backoff, until it settles", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    for (let i = 0; i < 5; i++) times.record("vifCreate", 3000);
    const w = startWait(clock, times, 30_000, { pollIntervalMs: 5000 });
    await clock.run([w.p]);
    assert.ok(w.obj.seenAt! - w.obj.settlesAt <= 5000);
    // 4 polls around 3 s, then 300 ms doubling to the 5 s cap: 13, against 10 on the usual schedule.
    assert.ok(w.obj.polls <= 13, `polls ${w.obj.polls}`);
  });

  it("a late object is never given up on before the deadline", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    for (let i = 0; i < 5; i++) times.record("vifCreate", 3000);
    const w = startWait(clock, times, 1e9, { pollIntervalMs: 5000, timeoutMs: 120_000 });
    const [res] = await clock.run([w.p]);
    assert.equal(res!.status, "rejected");
    assert.ok((res as PromiseRejectedResult).reason instanceof WaitTimeoutError);
    assert.equal(clock.now(), 120_000); // the last poll is at the deadline
    // Polls kept coming at most pollInterval apart after the expected time.
    assert.ok(w.obj.polls >= (120_000 - 3000) / 5000, `polls ${w.obj.polls}`);
  });

  it("an object the API reports settled at once gets the usual schedule, not the learned one", () => {
    const times = new SettleTimes();
    const deps = { settleTimes: times } as unknown as Deps;
    assert.equal(settlePlan(deps, "vifCreate", "ACTIVE"), undefined);
    assert.equal(settlePlan(deps, "vifCreate", "DOWN"), undefined);
    assert.ok(settlePlan(deps, "vifCreate", "PENDING_CREATE"));
    assert.ok(settlePlan(deps, "vifDelete"));
  });

  it("a faster kind moves the estimate down; forget() returns to the usual schedule", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    await sequential(clock, times, Array(5).fill(3000));
    const before = times.estimate("vifCreate", 1000)!.firstPollMs;
    await sequential(clock, times, Array(40).fill(2000));
    const after = times.estimate("vifCreate", 1000)!.firstPollMs;
    assert.ok(after < before, `${before} → ${after}`);
    times.forget();
    assert.equal(times.estimate("vifCreate", 1000), undefined);
  });

  it("quantiles interpolate; the usual backoff is unchanged", () => {
    assert.equal(quantileOf([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantileOf([7], 0.25), 7);
    assert.equal(
      pollDelay(0, 250, 1000, () => 0.5),
      250,
    );
  });
});
