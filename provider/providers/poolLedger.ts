/**
 * The PoolLedger provider object, as this module's whole `module.exports` (serialized as
 * `require("pulumi-dcaas/providers/pool-ledger")`; see providers/hostedVif.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { loadImpl } from "./load";

const provider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadImpl().configure(req),
  check: (olds, news) => loadImpl().poolLedger.check(olds, news),
  diff: (id, olds, news) => loadImpl().poolLedger.diff(id, olds, news),
  create: (inputs) => loadImpl().poolLedger.create(inputs),
  read: (id, props) => loadImpl().poolLedger.read(id, props),
  update: (id, olds, news) => loadImpl().poolLedger.update(id, olds, news),
  delete: (id, props) => loadImpl().poolLedger.delete(id, props),
};

export = provider;
