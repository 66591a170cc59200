// The waiters with a fake clock: first poll soon, growing and capped delays, target, failure
// states and the deadline.
import assert from "node:assert/strict";
import {
  GONE,
  pollDelay,
  UnexpectedStateError,
  waitForState,
  WaitTimeoutError,
} from "../../../provider/waiters";

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

describe("waiters", () => {
  it("poll delays start small, double, and stay under the cap with ±25% jitter", () => {
    const mid = [0, 1, 2, 3, 4, 5, 6].map((a) => pollDelay(a, 250, 5000, () => 0.5));
    assert.deepEqual(mid, [250, 500, 1000, 2000, 4000, 5000, 5000]);
    for (let a = 0; a < 8; a++) {
      const lo = pollDelay(a, 250, 5000, () => 0);
      const hi = pollDelay(a, 250, 5000, () => 0.9999);
      assert.ok(lo >= Math.min(5000, 250 * 2 ** a) * 0.75 - 1 && hi <= 5000);
    }
  });

  it("returns the value once the target state is reached", async () => {
    const clock = fakeClock();
    const states = ["PENDING_CREATE", "PENDING_CREATE", "ACTIVE"];
    const r = await waitForState({
      timeoutMs: 60_000,
      pollIntervalMs: 5000,
      ...clock,
      random: () => 0.5,
      description: "ACTIVE",
      status: async () => ({ state: states.shift()!, value: 42 }),
      target: ["ACTIVE"],
      pending: ["PENDING_CREATE"],
    });
    assert.equal(r!.value, 42);
    assert.deepEqual(clock.sleeps, [250, 500, 1000]);
  });

  it("fails on a state that is neither pending nor target, with its reason", async () => {
    const clock = fakeClock();
    const e = await waitForState({
      timeoutMs: 60_000,
      pollIntervalMs: 100,
      ...clock,
      description: "status ACTIVE",
      status: async () => ({ state: "ERROR", value: 1, reason: "no capacity" }),
      target: ["ACTIVE"],
      pending: ["PENDING_CREATE"],
    }).catch((x) => x);
    assert.ok(e instanceof UnexpectedStateError);
    assert.equal(e.message, "status ERROR while waiting for status ACTIVE: no capacity");
  });

  it("treats a gone object as GONE (target of deletion waits)", async () => {
    const clock = fakeClock();
    const r = await waitForState({
      timeoutMs: 1000,
      pollIntervalMs: 100,
      ...clock,
      description: "deletion",
      status: async () => undefined,
      target: [GONE],
      pending: ["PENDING_DELETE"],
    });
    assert.equal(r, undefined);
  });

  it("times out at the deadline with the last state, having polled at the deadline", async () => {
    const clock = fakeClock();
    let polls = 0;
    const e = await waitForState({
      timeoutMs: 10_000,
      pollIntervalMs: 3000,
      ...clock,
      random: () => 0.5,
      description: "status ACTIVE",
      status: async () => {
        polls++;
        return { state: "PENDING_CREATE", value: "last" };
      },
      target: ["ACTIVE"],
      pending: ["PENDING_CREATE"],
    }).catch((x) => x);
    assert.ok(e instanceof WaitTimeoutError);
    assert.equal(e.lastState, "PENDING_CREATE");
    assert.equal(e.lastValue, "last");
    assert.equal(clock.now(), 10_000);
    assert.match(e.message, /timeout after 10s waiting for status ACTIVE \(last status PENDING_CREATE\)/);
    assert.ok(polls >= 4);
  });
});
