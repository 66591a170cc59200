// /openapi.json: generated from api/ zod schemas, covering every contract route.
import assert from "node:assert/strict";
import { LIMITS } from "../../api/schemas";
import { Router } from "../../emulator/router";
import { registerAdminRoutes } from "../../emulator/admin";
import type { RouteDef } from "../../emulator/server";
import { withEmulator } from "./helpers";

/** The admin routes the emulator serves (its route table, not a copy). */
async function adminRoutes(): Promise<{ method: string; template: string }[]> {
  const router = new Router<RouteDef>();
  registerAdminRoutes(router, {} as any);
  return router.routes();
}

describe("emulator /openapi.json", function () {
  it("documents every contract route with schemas derived from api/schemas.ts", () =>
    withEmulator({}, async (_e, c) => {
      const e = { routes: await adminRoutes() };
      const r = await c.req("GET", "/openapi.json");
      assert.equal(r.status, 200);
      const doc = r.body;
      assert.equal(doc.openapi, "3.1.0");
      const P = "/v3/{project_id}/dcaas";
      const expected: [string, string, string][] = [
        ["/v3/auth/tokens", "post", "KeystoneCreateUserTokenByPassword"],
        [`${P}/virtual-interfaces`, "get", "ListVirtualInterfaces"],
        [`${P}/virtual-interfaces`, "post", "CreateVirtualInterface"],
        [`${P}/virtual-interfaces/{virtual_interface_id}`, "get", "ShowVirtualInterface"],
        [`${P}/virtual-interfaces/{virtual_interface_id}`, "put", "UpdateVirtualInterface"],
        [`${P}/virtual-interfaces/{virtual_interface_id}`, "delete", "DeleteVirtualInterface"],
        [`${P}/vif-peers`, "post", "CreateVifPeer"],
        [`${P}/vif-peers/{vif_peer_id}`, "put", "UpdateVifPeer"],
        [`${P}/vif-peers/{vif_peer_id}`, "delete", "DeleteVifPeer"],
        [`${P}/direct-connects`, "get", "ListDirectConnects"],
        [`${P}/direct-connects/{direct_connect_id}`, "get", "ShowDirectConnect"],
        [`${P}/virtual-gateways`, "get", "ListVirtualGateways"],
        [`${P}/virtual-gateways/{virtual_gateway_id}`, "get", "ShowVirtualGateway"],
      ];
      for (const [path, method, op] of expected)
        assert.equal(doc.paths[path]?.[method]?.operationId, op, `${method} ${path}`);
      // The admin API is documented too, apart from the cloud API: tagged, behind its own token.
      for (const [p, ops] of Object.entries<any>(doc.paths)) {
        for (const [m, op] of Object.entries<any>(ops)) {
          const admin = p.startsWith("/_emulator/");
          assert.equal(op.tags?.includes("emulator-admin") ?? false, admin, `${m} ${p} tag`);
          if (admin && p !== "/_emulator/health")
            assert.deepEqual(op.security, [{ adminToken: [] }], `${m} ${p}`);
        }
      }
      const served = e.routes.filter((r) => r.template.startsWith("/_emulator/"));
      assert.ok(served.length >= 17, `${served.length} admin routes`);
      for (const r of served) {
        assert.ok(
          doc.paths[r.template]?.[r.method.toLowerCase()],
          `admin route ${r.method} ${r.template} documented`,
        );
      }
      assert.deepEqual(
        doc.paths["/_emulator/virtual-interfaces/{id}/status"].post.requestBody.content["application/json"]
          .schema.required,
        ["status"],
      );
      assert.equal(doc.components.securitySchemes.adminToken.name, "X-Emulator-Admin-Token");
      const create = doc.components.schemas.HostedVifCreate;
      assert.equal(create.properties.vlan.maximum, LIMITS.vlanMax);
      assert.equal(create.properties.name.maxLength, LIMITS.nameMax);
      assert.equal(create.additionalProperties, false);
      const ref =
        doc.paths[`${P}/virtual-interfaces`].post.requestBody.content["application/json"].schema.$ref;
      assert.equal(ref, "#/components/schemas/HostedVifCreateRequest");
      // Every $ref resolves inside the document.
      const text = JSON.stringify(doc);
      for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
        assert.ok(doc.components.schemas[m[1]], `dangling $ref ${m[1]}`);
      }
    }));
});
