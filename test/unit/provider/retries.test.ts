// Retries the user sees, and how many a failure gets: each retry is announced before its wait
// (the provider prints it, so an unreachable endpoint is not 20-45 s of silence), and failures that
// waiting does not mend (a refused connection on loopback, a name that does not resolve) get
// fewer. Real sockets on loopback; the waits themselves are recorded, not slept.
import * as assert from "node:assert/strict";
import * as net from "node:net";
import { DcaasClient, NetworkError, type RetryNotice, retriesFor, retryLine } from "../../../provider/client";
import type { ProviderConfig } from "../../../provider/config";

const PID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const VID = "6f1c2d3e-0001-4a5b-8c9d-00000000000a";

function config(endpoint: string, maxRetries = 6): ProviderConfig {
  return {
    endpoint,
    projectId: PID,
    profile: "jd-hosted",
    auth: { kind: "token", token: "tok" },
    pollIntervalMs: 10,
    maxRetries,
    requestTimeoutMs: 2000,
    retryBaseDelayMs: 500,
    timeouts: { create: 1000, update: 1000, delete: 1000 },
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

function recording(endpoint: string, maxRetries = 6) {
  const notices: RetryNotice[] = [];
  const sleeps: number[] = [];
  const client = new DcaasClient(config(endpoint, maxRetries), {
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    onRetry: (n) => notices.push(n),
  });
  return { client, notices, sleeps };
}

describe("client: retries the user sees", () => {
  it("a refused connection on loopback: one retry, announced with the endpoint, then the error", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const r = recording(endpoint);
    const e = await r.client.getVirtualInterface(VID).catch((x) => x);
    assert.ok(e instanceof NetworkError, String(e));
    assert.match(e.message, /ECONNREFUSED.* \(after 1 retry\)$/);
    assert.equal(r.notices.length, 1);
    assert.deepEqual(r.sleeps, [375]);
    assert.equal(
      retryLine(r.notices[0]),
      `GET /virtual-interfaces/${VID} (${endpoint}) failed (ECONNREFUSED: connect ECONNREFUSED ${endpoint.slice(7)}); retry 1 of 1 in 0.4s`,
    );
  });

  it("a name that does not resolve: no retry", async () => {
    const r = recording("http://no-such-host.invalid:8787");
    const e = await r.client.getVirtualInterface(VID).catch((x) => x);
    assert.ok(e instanceof NetworkError, String(e));
    assert.match(e.message, /ENOTFOUND/);
    assert.doesNotMatch(e.message, /retr/);
    assert.equal(r.notices.length, 0);
  });

  it("a flaky network keeps the configured retries, each announced in turn", () => {
    const refused = (code: string, timedOut = false) =>
      new NetworkError(
        `GET /x: ${code}: boom`,
        "GET",
        "/x",
        timedOut,
        Object.assign(new TypeError("fetch failed"), { cause: { code } }),
      );
    assert.equal(retriesFor(refused("ECONNREFUSED"), 6, "https://dcaas.example.com"), 6);
    assert.equal(retriesFor(refused("ECONNRESET"), 6, "http://127.0.0.1:8787"), 6);
    assert.equal(retriesFor(refused("EAI_AGAIN"), 6, "https://dcaas.example.com"), 6);
    assert.equal(retriesFor(refused("ETIMEDOUT", true), 6, "http://127.0.0.1:8787"), 2);
    assert.equal(retriesFor(refused("ETIMEDOUT", true), 1, "https://dcaas.example.com"), 1);
    assert.equal(retriesFor(refused("ECONNREFUSED"), 6, "http://localhost:8787"), 1);
    assert.equal(retriesFor(refused("ECONNREFUSED"), 6, "http://[::1]:8787"), 1);
    assert.equal(retriesFor(refused("ECONNREFUSED"), 0, "http://127.0.0.1:8787"), 0);
    assert.equal(retriesFor(refused("ENOTFOUND"), 6, "https://dcaas.example.com"), 0);
  });

  it("an endpoint that accepts and never answers: two retries, each announced, not seven timeouts", async () => {
    const sockets: net.Socket[] = [];
    const hole = await new Promise<net.Server>((resolve) => {
      const s = net.createServer((c) => void sockets.push(c)).listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const endpoint = `http://127.0.0.1:${(hole.address() as net.AddressInfo).port}`;
      const notices: RetryNotice[] = [];
      const client = new DcaasClient(
        { ...config(endpoint), requestTimeoutMs: 150 },
        { sleep: async () => undefined, onRetry: (n) => notices.push(n) },
      );
      const e = await client.getVirtualInterface(VID).catch((x) => x);
      assert.ok(e instanceof NetworkError && e.timedOut, String(e));
      assert.match(e.message, /no answer within 150 ms \(after 2 retries\)$/);
      assert.deepEqual(
        notices.map((n) => `${n.retry}/${n.of}`),
        ["1/2", "2/2"],
      );
    } finally {
      for (const c of sockets) c.destroy();
      hole.close();
    }
  });

  it("a server that answers 503 keeps every retry, each one announced before its wait", async () => {
    let hits = 0;
    const srv = await new Promise<import("node:http").Server>((resolve) => {
      const s = require("node:http")
        .createServer((_req: unknown, res: any) => {
          hits++;
          res.writeHead(503, { "content-type": "application/json" });
          res.end(JSON.stringify({ error_code: "DC.0003", error_msg: "busy", request_id: "r" }));
        })
        .listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const endpoint = `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
      const r = recording(endpoint, 3);
      await r.client.getVirtualInterface(VID).catch((x) => x);
      assert.equal(hits, 4);
      assert.deepEqual(
        r.notices.map((n) => `${n.retry}/${n.of}`),
        ["1/3", "2/3", "3/3"],
      );
      assert.deepEqual(r.sleeps, [375, 750, 1500]);
      assert.match(retryLine(r.notices[2]), /failed \(.*DC\.0003.*\); retry 3 of 3 in 1\.5s$/);
    } finally {
      srv.close();
    }
  });
});
