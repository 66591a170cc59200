// Learned settle times with a simulated clock: the usual schedule until something is learned, then
// polls around the expected time; a fleet started at once lets one wait scout; robust to an outlier;
// late objects are polled until the deadline; nothing learned slows an object reported ready.
import assert from "node:assert/strict";
import { type Deps, settlePlan } from "../../../provider/deps";
import { pollDelay, waitForState, WaitTimeoutError } from "../../../provider/waiters";
import { quantileOf, SettleTimes, type TransitionKind } from "../../../provider/settleTimes";
import { meanOf, SimClock, simulateFleet } from "../../helpers/fleetSim";

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

  it("a fleet started at once: the scout and two others take turns, the rest poll about once after", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    let r = 0;
    const random = () => (r = (r * 9301 + 49297) % 233280) / 233280;
    const waits = Array.from({ length: 20 }, (_, i) => startWait(clock, times, 3000 + i * 5, { random }));
    await clock.run(waits.map((w) => w.p));
    const polls = waits.map((w) => w.obj.polls);
    const overshoot = waits.map((w) => w.obj.seenAt! - w.obj.settlesAt);
    if (process.env.SETTLE_DEBUG) console.log(polls, overshoot);
    // The scout polls on the usual schedule (250, 750 ms, then about every second); once it polls
    // every pollInterval, two more waits poll between its polls, a third of an interval apart.
    assert.ok(polls[0]! <= 5, `scout ${polls}`);
    assert.ok(polls[1]! >= 2 && polls[2]! >= 2, `helpers ${polls}`);
    assert.ok(avg(polls.slice(3)) <= 1.6, `the rest: ${polls}`);
    // The group polled about every 333 ms near the settle time: everyone sees it within ~400 ms.
    assert.ok(Math.max(...overshoot) <= 450 && avg(overshoot) <= 300, `overshoot ${overshoot}`);
  });

  it("a fleet of 100 started at once takes proportionally more turns: all see their objects within ~100 ms", async () => {
    // Settle times across a whole poll interval, so no phase of the group's turns is left out.
    let worst = 0;
    let helpers = Infinity;
    let meanPolls = 0;
    for (let base = 2500; base < 3500; base += 50) {
      const clock = new SimClock();
      const times = new SettleTimes();
      const waits = Array.from({ length: 100 }, () => startWait(clock, times, base));
      await clock.run(waits.map((w) => w.p));
      const polls = waits.map((w) => w.obj.polls);
      worst = Math.max(worst, ...waits.map((w) => w.obj.seenAt! - w.obj.settlesAt));
      helpers = Math.min(helpers, polls.filter((p) => p >= 2).length);
      meanPolls = Math.max(meanPolls, avg(polls));
    }
    // 100 in flight: up to 5 × the turns of a group of 20 (15), 100 ms apart near 3 s, not 333 ms.
    assert.ok(helpers >= 6, `waits that took turns: ${helpers}`);
    assert.ok(worst <= 150, `worst overshoot ${worst}`);
    assert.ok(meanPolls <= 1.4, `mean polls ${meanPolls}`);
  });

  it("before the scout's backoff is capped, a group shares its gaps of 2 s or more (pollInterval 5 s)", async () => {
    // Six waits start together; their objects take 4 s. The scout polls at 0.25, 0.75, 1.75, 3.75
    // and would next poll at 7.75 s: a helper takes the middle of that 4 s gap.
    const clock = new SimClock();
    const times = new SettleTimes();
    const waits = Array.from({ length: 6 }, () => startWait(clock, times, 4000, { pollIntervalMs: 5000 }));
    await clock.run(waits.map((w) => w.p));
    const seen = waits.map((w) => w.obj.seenAt!);
    assert.ok(Math.max(...seen) <= 5800, `seen at ${seen}`);
    // With one wait in flight, the usual schedule: seen at 7.75 s.
    const c2 = new SimClock();
    const lone = startWait(c2, new SettleTimes(), 4000, { pollIntervalMs: 5000 });
    await c2.run([lone.p]);
    assert.equal(lone.obj.seenAt, 7750);
  });

  it("while the scouts' objects are outliers, the others still poll at sparse check points", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    const scout = startWait(clock, times, 500_000);
    const helper = startWait(clock, times, 500_000);
    const helper2 = startWait(clock, times, 500_000);
    const other = startWait(clock, times, 100);
    await clock.run([scout.p, helper.p, helper2.p, other.p]);
    // The fourth wait is no helper (at most three take turns): its check points are at 16 s, 32 s, ...
    assert.equal(other.obj.seenAt, 16_000);
    assert.equal(other.obj.polls, 1);
    // Once it settled the others polled at the expected time (their objects were not there) and then
    // kept polling until theirs settled: nothing is given up on.
    assert.ok(scout.obj.seenAt! >= 500_000 && helper.obj.seenAt! >= 500_000);
  });

  it("a slow fleet started at once: three take turns while 10% of the elapsed time allows, two after", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    const waits = Array.from({ length: 20 }, (_, i) =>
      startWait(clock, times, 60_000 + i * 10, { pollIntervalMs: 5000 }),
    );
    await clock.run(waits.map((w) => w.p));
    const polls = waits.map((w) => w.obj.polls);
    const overshoot = waits.map((w) => w.obj.seenAt! - w.obj.settlesAt);
    if (process.env.SETTLE_DEBUG) console.log(polls, overshoot);
    // Scout: the usual schedule (0.25, 0.75, 1.75, 3.75, 7.75 s, then every 5 s) to the settle.
    assert.ok(polls[0]! >= 14 && polls[0]! <= 16, `scout ${polls}`);
    // Two helpers took turns from 7.75 s while 5 s / 3 was at least 10% of the elapsed time; one
    // of them keeps taking turns (minTurns: two per pollInterval) until the first object is seen.
    assert.ok(polls[1]! >= 9 && polls[1]! <= 13 && polls[2]! >= 2 && polls[2]! <= 8, `helpers ${polls}`);
    assert.ok(avg(polls) <= 2.5, `polls ${polls}`);
    // The group polled every 2.5 s near the settle time, not every 5 s.
    assert.ok(Math.max(...overshoot) <= 2600, `overshoot ${overshoot}`);
  });

  it("waits that poll at one estimate move it once, not once each", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    times.record("peerCreate", 2000);
    const before = times.estimate("peerCreate", 1000)!.firstPollMs;
    // Eight waits start together at the estimate; every object is already settled there.
    const waits = Array.from({ length: 8 }, () => startWait(clock, times, 1000, { kind: "peerCreate" }));
    await clock.run(waits.map((w) => w.p));
    assert.deepEqual(
      waits.map((w) => w.obj.polls),
      Array(8).fill(1),
    );
    const after = times.estimate("peerCreate", 1000)!.firstPollMs;
    // One vote down: (1 - settledShare) × 2 × the first step (at least half the tight interval).
    assert.ok(after < before && before - after <= 100, `${before} → ${after}`);
  });

  it("a batch whose estimate is early: its oldest wait polls tightly, the others poll once after it", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    times.record("peerCreate", 2000);
    // Eight waits start together; their objects take 2 300 ms, later than the 2 000 ms learned.
    const waits = Array.from({ length: 8 }, () => startWait(clock, times, 2300, { kind: "peerCreate" }));
    await clock.run(waits.map((w) => w.p));
    const polls = waits.map((w) => w.obj.polls);
    const overshoot = waits.map((w) => w.obj.seenAt! - w.obj.settlesAt);
    if (process.env.SETTLE_DEBUG) console.log(polls, overshoot);
    // The leader: the first poll at 2 000 ms, then tight polls 100 ms apart until 2 300 ms.
    assert.equal(polls[0], 4);
    // The others held their first poll until it saw its object, then polled at the same elapsed time.
    assert.deepEqual(polls.slice(1), Array(7).fill(1));
    assert.ok(Math.max(...overshoot) <= 100, `overshoot ${overshoot}`);
    // Without a leader to follow (a lone wait), the same object costs the same tight polls.
    const lone = startWait(clock, times, 10_000, { kind: "peerCreate" });
    await clock.run([lone.p]);
    assert.ok(lone.obj.polls >= 2, `lone ${lone.obj.polls}`);
  });

  it("a batch's leader that stays pending past its tight polls does not hold the others", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    times.record("peerCreate", 2000);
    const leader = startWait(clock, times, 600_000, { kind: "peerCreate" });
    const other = startWait(clock, times, 1900, { kind: "peerCreate" });
    await clock.run([leader.p, other.p]);
    // Held until 2 000 + (3 tight polls + 1) × 100 ms, then polled on its own.
    assert.equal(other.obj.polls, 1);
    assert.equal(other.obj.seenAt, other.obj.startedAt + 2400);
    assert.ok(leader.obj.seenAt! >= 600_000);
  });

  it("elapsed time counts from the request that began the transition, not from a late answer", async () => {
    const clock = new SimClock();
    const times = new SettleTimes();
    for (let i = 0; i < 5; i++) times.record("vifCreate", 3000);
    clock.t = 10_000;
    // The POST was sent at 9 400 and answered at 10 000 (its middle: 9 700): the first poll is due
    // 3 000 ms after 9 700, not after 10 000.
    let firstPollAt = NaN;
    const w = waitForState({
      timeoutMs: 60_000,
      pollIntervalMs: 1000,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      description: "ACTIVE",
      settle: times.planner("vifCreate", 9_700),
      status: async () => {
        if (Number.isNaN(firstPollAt)) firstPollAt = clock.now();
        return { state: "ACTIVE", value: null };
      },
      target: ["ACTIVE"],
      pending: ["PENDING_CREATE"],
    });
    await clock.run([w]);
    assert.equal(firstPollAt, 12_700);
  });

  describe("a simulated engine run (real waiters, 8 or 256 steps at once, seeded latency)", () => {
    const CURRENT = { vifCreate: 3000, vifDelete: 3000, peerCreate: 2000, peerDelete: 2000 };
    const SLOW = { vifCreate: 60_000, vifDelete: 60_000, peerCreate: 30_000, peerDelete: 30_000 };
    const figures = async (o: Parameters<typeof simulateFleet>[0]) => {
      const r = await simulateFleet(o);
      return Object.fromEntries(
        Object.entries(r.kinds).map(([k, f]) => [
          k,
          { requests: meanOf(f.requests), overshootMs: meanOf(f.overshootMs) },
        ]),
      );
    };

    it("one pair: the usual schedule exactly (6 requests per interface, 5 per peer)", async () => {
      for (const learning of [false, true]) {
        const f = await figures({
          pairs: 1,
          slots: 8,
          delays: CURRENT,
          pollIntervalMs: 1000,
          learning,
          seed: 3,
        });
        assert.equal(f.vifCreate!.requests, 6);
        assert.equal(f.peerCreate!.requests, 5);
      }
    });

    for (const slots of [8, 256]) {
      it(`20 pairs, ${slots} at once, current delays: at most 3 requests per object and 300 ms overshoot (usual: 5–6, ~600 ms)`, async () => {
        const usual = await figures({
          pairs: 20,
          slots,
          delays: CURRENT,
          pollIntervalMs: 1000,
          learning: false,
          seed: 7,
        });
        const learned = await figures({
          pairs: 20,
          slots,
          delays: CURRENT,
          pollIntervalMs: 1000,
          learning: true,
          seed: 7,
        });
        for (const [kind, f] of Object.entries(learned)) {
          assert.ok(f.requests <= 3, `${kind}: ${JSON.stringify(f)}`);
          assert.ok(f.overshootMs <= 300, `${kind}: ${JSON.stringify(f)}`);
          assert.ok(usual[kind]!.requests >= 5, `${kind} usual: ${JSON.stringify(usual[kind])}`);
        }
      });
    }

    it("20 pairs, 8 at once, slow delays (60 s, 30 s; pollInterval 5 s): at most 4 requests and 2 s overshoot per object", async () => {
      // Several seeds, with the engine's steps up to 300 ms apart: the first eight of a kind see
      // their objects on the group's polls 2.5 s apart (minTurns), the later batches around the
      // learned time.
      for (const seed of [1, 2, 3, 7]) {
        const f = await figures({
          pairs: 20,
          slots: 8,
          delays: SLOW,
          pollIntervalMs: 5000,
          learning: true,
          seed,
          overheadMs: [5, 300],
        });
        for (const [kind, k] of Object.entries(f)) {
          assert.ok(k.requests <= 4, `seed ${seed} ${kind}: ${JSON.stringify(k)}`);
          assert.ok(k.overshootMs <= 2000, `seed ${seed} ${kind}: ${JSON.stringify(k)}`);
        }
      }
    });

    it("learnWaits off keeps the usual schedule (the benchmark's baseline)", () => {
      const off = { config: { learnWaits: false } } as unknown as Deps;
      assert.equal(settlePlan(off, "vifCreate", "PENDING_CREATE"), undefined);
      assert.ok(
        settlePlan({ config: { learnWaits: true } } as unknown as Deps, "vifCreate", "PENDING_CREATE"),
      );
    });
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
