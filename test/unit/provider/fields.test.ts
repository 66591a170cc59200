// The field tables are the one list of each resource's fields: secret-ness, registration and the
// API view all come from them, and agree with api/secrets.ts.
import * as assert from "node:assert/strict";
import { isSecretName, SECRET_WIRE_FIELDS } from "../../../api/secrets";
import { HostedVifObjectSchema, VifPeerObjectSchema } from "../../../api/schemas";
import { inputKeys, registration, secretProps, wireFields } from "../../../provider/fields";
import { HOSTED_VIF } from "../../../provider/hostedVifFields";
import { VIF_PEER } from "../../../provider/vifPeerFields";

const TABLES = { HostedVif: HOSTED_VIF, VifPeer: VIF_PEER };

describe("field tables", () => {
  for (const [type, table] of Object.entries(TABLES)) {
    describe(type, () => {
      it("marks secret exactly the fields whose API field is secret, under names every layer masks", () => {
        const secretWire = wireFields(table)
          .filter((f) => f.secret)
          .map((f) => f.wire);
        assert.deepEqual(secretWire, ["bgp_md5"]);
        assert.ok(secretWire.every((w) => SECRET_WIRE_FIELDS.includes(w)));
        assert.deepEqual(secretProps(table), ["bgpKey"]);
        for (const p of secretProps(table)) assert.ok(isSecretName(p), `${p} is not masked by name`);
        // No other output would be masked by name (a name regex that masks too much hides drift).
        const masked = Object.keys(table).filter((k) => isSecretName(k));
        assert.deepEqual(masked, ["bgpKey"]);
      });

      it("registers every output but the internal owner mark", () => {
        const reg = Object.keys(registration(table));
        assert.ok(!reg.includes("__owner"));
        assert.deepEqual(
          reg,
          Object.keys(table).filter((k) => k !== "__owner"),
        );
        assert.ok(inputKeys(table).has("__owner"));
        assert.ok(!inputKeys(table).has("status"));
      });

      it("maps every field to a field the API's answers have", () => {
        const schema = type === "HostedVif" ? HostedVifObjectSchema : VifPeerObjectSchema;
        const answerFields = Object.keys(schema.shape);
        for (const [prop, f] of Object.entries(table)) {
          if (f.wire === undefined) continue;
          assert.ok(answerFields.includes(f.wire), `${type}.${prop}: ${f.wire} is not in the answer schema`);
        }
      });
    });
  }
});
