/**
 * The VifPeer provider object, as this module's whole `module.exports`. Pulumi serializes a dynamic
 * provider into every resource's state; an object that is the exports of a module inside
 * node_modules is serialized as `require("pulumi-dcaas/providers/vif-peer")` (the package's exports
 * map names the path), so the state holds one line instead of the code, and refresh and destroy of
 * old resources run the installed code. Outside node_modules (a program inside this repository) the
 * serializer copies these few functions by value, and each loads the real logic by package name.
 */
import type * as pulumi from "@pulumi/pulumi";
import { loadImpl } from "./load";

const provider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadImpl().configure(req),
  check: (olds, news) => loadImpl().vifPeer.check(olds, news),
  diff: (id, olds, news) => loadImpl().vifPeer.diff(id, olds, news),
  create: (inputs) => loadImpl().vifPeer.create(inputs),
  read: (id, props) => loadImpl().vifPeer.read(id, props),
  update: (id, olds, news) => loadImpl().vifPeer.update(id, olds, news),
  delete: (id, props) => loadImpl().vifPeer.delete(id, props),
};

export = provider;
