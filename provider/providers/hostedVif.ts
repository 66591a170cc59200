/**
 * The HostedVif provider object, as this module's whole `module.exports`. Pulumi serializes a dynamic
 * provider into every resource's state; an object that is the exports of a module inside
 * node_modules is serialized as `require("pulumi-dcaas/providers/hosted-vif")` (the package's exports
 * map names the path), so the state holds one line instead of the code, and refresh and destroy of
 * old resources run the installed code. Outside node_modules (a program inside this repository) the
 * serializer copies these few functions by value, and each loads the real logic by package name.
 */
import type * as pulumi from "@pulumi/pulumi";
import { loadImpl } from "./load";

const provider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadImpl().configure(req),
  check: (olds, news) => loadImpl().hostedVif.check(olds, news),
  diff: (id, olds, news) => loadImpl().hostedVif.diff(id, olds, news),
  create: (inputs) => loadImpl().hostedVif.create(inputs),
  read: (id, props) => loadImpl().hostedVif.read(id, props),
  update: (id, olds, news) => loadImpl().hostedVif.update(id, olds, news),
  delete: (id, props) => loadImpl().hostedVif.delete(id, props),
};

export = provider;
