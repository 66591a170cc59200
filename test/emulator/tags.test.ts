// Tags of a virtual interface, as Huawei documents them: in the create body, through the batch
// tags action (POST /v3/{project_id}/dc-vif/{id}/tags/action, create and delete, 204), and in
// every answer. The provider's ownership mark (tag key pulumi-dcaas:owner, set in the create
// body) survives every action on other keys. Real HTTP on loopback, the emulator's SQLite store.
import assert from "node:assert/strict";
import { A, B, Client, createActiveVif, withEmulator } from "./helpers";

const OWNER = { key: "pulumi-dcaas:owner", value: "org/project/stack/urn-hash" };

function action(c: Client, id: string, body: unknown, type = "dc-vif") {
  return c.req("POST", `/v3/${c.projectId}/${type}/${id}/tags/action`, body);
}

function tagsOf(v: any): Record<string, string> {
  return Object.fromEntries(v.tags.map((t: any) => [t.key, t.value]));
}

describe("tags of a virtual interface (create body, dc-vif tags action, answers)", function () {
  for (const profile of ["jd-hosted", "huawei"] as const) {
    it(`${profile}: create adds and replaces, delete removes; the owner mark stays; show and list answer them`, () =>
      withEmulator({ profile }, async (_e, c) => {
        const over: Record<string, unknown> = { tags: [OWNER, { key: "env", value: "test" }] };
        if (profile === "huawei") Object.assign(over, { vlan: A.huaweiVlans.active1, bandwidth: 100 });
        const v = await createActiveVif(c, over);
        assert.deepEqual(tagsOf(v), { [OWNER.key]: OWNER.value, env: "test" });
        const add = await action(c, v.id, {
          action: "create",
          tags: [
            { key: "env", value: "prod" },
            { key: "team", value: "net" },
          ],
        });
        assert.equal(add.status, 204, add.text);
        assert.equal(add.text, "");
        let shown = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
        assert.deepEqual(tagsOf(shown), { [OWNER.key]: OWNER.value, env: "prod", team: "net" });
        // delete: by key, or by key and value (a value that does not match leaves the tag).
        const del = await action(c, v.id, {
          action: "delete",
          tags: [{ key: "team" }, { key: "env", value: "not-this" }, { key: "absent" }],
        });
        assert.equal(del.status, 204, del.text);
        shown = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
        assert.deepEqual(tagsOf(shown), { [OWNER.key]: OWNER.value, env: "prod" });
        const listed = (await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces;
        assert.deepEqual(tagsOf(listed.find((x: any) => x.id === v.id)), tagsOf(shown));
      }));
  }

  it("refuses bad bodies with one line naming the field and the rule; nothing is applied", () =>
    withEmulator({}, async (_e, c) => {
      const v = await createActiveVif(c, { tags: [OWNER] });
      const cases: [unknown, string, RegExp][] = [
        [{ action: "update", tags: [{ key: "a", value: "b" }] }, "action", /must be one of create, delete/],
        [{ tags: [{ key: "a", value: "b" }] }, "action", /required/],
        [{ action: "create" }, "tags", /required/],
        [{ action: "create", tags: [] }, "tags", /1 to 10/],
        [{ action: "create", tags: [{ key: "_sys_x", value: "b" }] }, "tags[0].key", /_sys_/],
        [{ action: "create", tags: [{ key: "a" }] }, "tags[0].value", /must be a string/],
        [
          { action: "create", tags: [{ key: "a", value: "b", colour: 1 }] },
          "tags[0]",
          /unknown fields: colour/,
        ],
        [
          {
            action: "create",
            tags: [
              { key: "a", value: "1" },
              { key: "a", value: "2" },
            ],
          },
          "tags[1].key",
          /duplicates/,
        ],
        [{ action: "create", tags: [{ key: "a", value: "b" }], extra: 1 }, "extra", /not a field/],
        [
          { action: "create", tags: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: "v" })) },
          "tags",
          /would hold 11 tags; at most 10/,
        ],
      ];
      for (const [body, field, rule] of cases) {
        const r = await action(c, v.id, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        assert.equal(r.body.error_code, "DC.0001", r.text);
        assert.ok(!r.body.error_msg.includes("\n"));
        assert.ok(r.body.error_msg.includes(field), `${field} not named: ${r.body.error_msg}`);
        assert.match(r.body.error_msg, rule);
      }
      const notJson = await action(c, v.id, "not json");
      assert.equal(notJson.body.error_code, "DC.0000");
      const shown = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
      assert.deepEqual(shown.tags, [OWNER]);
    }));

  it("unknown or foreign interface: 404; other resource types: 501 (fixtures) or 400; sys_tags: 501", () =>
    withEmulator({}, async (_e, c) => {
      const v = await createActiveVif(c);
      const body = { action: "create", tags: [{ key: "a", value: "b" }] };
      const unknown = await action(c, "00000000-0000-4000-8000-000000000000", body);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error_code, "DC.1211");
      const other = new Client(c.url, B.projectId, B.token);
      assert.equal((await action(other, v.id, body)).status, 404, "another tenant's interface");
      const vgw = await action(c, A.gatewayId, body, "dc-vgw");
      assert.equal(vgw.status, 501);
      assert.match(vgw.body.error_msg, /dc-vgw/);
      const bad = await action(c, v.id, body, "dc-bogus");
      assert.equal(bad.status, 400);
      assert.match(bad.body.error_msg, /resource_type must be one of dc-directconnect, dc-vgw, dc-vif/);
      const sys = await action(c, v.id, {
        ...body,
        sys_tags: [{ key: "_sys_enterprise_project_id", value: "0" }],
      });
      assert.equal(sys.status, 501);
      assert.match(sys.body.error_msg, /sys_tags/);
      const show = await c.req("GET", `/v3/${A.projectId}/dc-vif/${v.id}/tags`);
      assert.equal(show.status, 501);
      assert.match(show.body.error_msg, /ShowResourceTag/);
    }));
});
