// Progress lines of long waits: what waits, the status, the time so far and the deadline; the
// first after 5 s, then at most one every 15 s; fed by waitForState's onProgress.
import assert from "node:assert/strict";
import { noteRetries, NetworkError, ServerError } from "../../../provider/client";
import { progressReporter } from "../../../provider/progress";
import { waitForState } from "../../../provider/waiters";

describe("progress lines", () => {
  it("report a long wait at most every 15 s, naming resource, status and deadline", async () => {
    let t = 0;
    const lines: string[] = [];
    let polls = 0;
    await waitForState({
      timeoutMs: 120_000,
      pollIntervalMs: 2_000,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      random: () => 0.5,
      description: "status ACTIVE",
      status: async () => ({ state: ++polls < 40 ? "PENDING_CREATE" : "ACTIVE", value: 1 }),
      target: ["ACTIVE"],
      pending: ["PENDING_CREATE"],
      onProgress: progressReporter(
        { operation: "creating", kind: "hosted VIF", ident: "branch-1", deadline: "create" },
        (l) => lines.push(`${t} ${l}`),
      ),
    });
    assert.ok(t > 60_000, `waited ${t} ms`);
    const at = lines.map((l) => Number(l.split(" ")[0]));
    assert.ok(at[0] >= 5_000 && at[0] < 8_000, `first line at ${at[0]}`);
    for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= 15_000, `lines at ${at}`);
    assert.ok(at.length >= 4 && at.length <= Math.ceil(t / 15_000) + 1, `lines at ${at}`);
    assert.match(
      lines[0],
      /^\d+ creating hosted VIF \(branch-1\): still waiting for status ACTIVE, status PENDING_CREATE after \d+s of the 2m create timeout$/,
    );
  });

  it("say nothing for a wait shorter than 5 s", async () => {
    let t = 0;
    const lines: string[] = [];
    const states = ["PENDING_CREATE", "PENDING_CREATE", "ACTIVE"];
    await waitForState({
      timeoutMs: 60_000,
      pollIntervalMs: 1_000,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      description: "status ACTIVE",
      status: async () => ({ state: states.shift()!, value: 1 }),
      target: ["ACTIVE"],
      pending: ["PENDING_CREATE"],
      onProgress: progressReporter(
        { operation: "creating", kind: "hosted VIF", ident: "x", deadline: "create" },
        (l) => lines.push(l),
      ),
    });
    assert.deepEqual(lines, []);
  });
});

describe("errors after retries", () => {
  it("name the request and count the retries, adding up across layers", () => {
    const net = new NetworkError("POST /virtual-interfaces: ECONNREFUSED: connect", "POST", "/x", false);
    noteRetries(net, 3);
    assert.equal(net.message, "POST /virtual-interfaces: ECONNREFUSED: connect (after 3 retries)");
    noteRetries(net, 2, "; looking for it failed too: GET /virtual-interfaces: ECONNREFUSED");
    assert.equal(
      net.message,
      "POST /virtual-interfaces: ECONNREFUSED: connect (after 5 retries); looking for it failed too: GET /virtual-interfaces: ECONNREFUSED",
    );
    const api = new ServerError(503, "DC.0003", "busy", "r1", "GET", "/virtual-interfaces/abc");
    noteRetries(api, 1);
    assert.equal(api.message, "DC.0003: busy (GET /virtual-interfaces/abc, after 1 retry)");
    const plain = new ServerError(409, "DC.1209", "VLAN in use", "r2", "POST", "/virtual-interfaces");
    noteRetries(plain, 0);
    assert.equal(plain.message, "DC.1209: VLAN in use", "no retries: unchanged");
  });
});
