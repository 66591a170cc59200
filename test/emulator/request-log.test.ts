// The request log takes what a request created and saw from the handler's reply, never its body.
import assert from "node:assert/strict";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Auth } from "../../emulator/auth";
import type { Backend } from "../../emulator/backend";
import type { Faults } from "../../emulator/faults";
import type { Reply, RouteDef } from "../../emulator/route";
import { Router } from "../../emulator/router";
import { RequestLog, createListener } from "../../emulator/server";

/** Serves `routes` (open routes: no backend, faults or auth) and runs fn with its URL. */
async function withListener(
  routes: [method: string, path: string, reply: Reply][],
  fn: (url: string, log: RequestLog) => Promise<void>,
): Promise<void> {
  const router = new Router<RouteDef>();
  for (const [method, path, reply] of routes) router.add(method, path, { kind: "open", fn: () => reply });
  const requestLog = new RequestLog();
  const server: Server = createServer(
    createListener({
      router,
      backend: { profile: "jd-hosted" } as Backend,
      auth: {} as Auth,
      faults: {} as Faults,
      requestLog,
      log: () => {},
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, requestLog);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("emulator request log", function () {
  it("records the created object and the statuses a reply declares", () =>
    withListener(
      [
        ["POST", "/made", { status: 201, body: {}, created: { id: "peer-1", in: "vif-1" } }],
        ["GET", "/read", { status: 200, raw: "", seen: { "vif-1": "ACTIVE", "peer-1": "PENDING_CREATE" } }],
      ],
      async (url, log) => {
        assert.equal((await fetch(`${url}/made`, { method: "POST" })).status, 201);
        assert.equal((await fetch(`${url}/read`)).status, 200);
        const [made, read] = log.snapshot().requests;
        assert.equal(made.created_id, "peer-1");
        assert.equal(made.created_in, "vif-1");
        assert.equal(made.seen, undefined);
        assert.deepEqual(read.seen, { "vif-1": "ACTIVE", "peer-1": "PENDING_CREATE" });
        assert.ok(!("created_id" in read));
      },
    ));

  it("does not read answer bodies: an undeclared object in a 201 or a 200 is not recorded", () =>
    withListener(
      [
        ["POST", "/made", { status: 201, body: { vif_peer: { id: "peer-1", vif_id: "vif-1" } } }],
        ["GET", "/read", { status: 200, body: { virtual_interface: { id: "vif-1", status: "ACTIVE" } } }],
      ],
      async (url, log) => {
        await (await fetch(`${url}/made`, { method: "POST" })).text();
        await (await fetch(`${url}/read`)).text();
        for (const e of log.snapshot().requests) {
          assert.ok(!("created_id" in e) && !("created_in" in e) && !("seen" in e), JSON.stringify(e));
        }
      },
    ));
});
