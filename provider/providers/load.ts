/**
 * Loads the provider logic by package name. The provider host loads the serialized text with an
 * empty filename, where Node's package self-reference does not apply, so when the package is not
 * in a node_modules directory the name is resolved from the program directory instead. (Comments
 * live out here: text inside the function body would be serialized into every resource's state.)
 */
import type * as Impl from "../impl";

/** The compiled provider logic of the installed package. */
export function loadImpl(): typeof Impl {
  try {
    return require("pulumi-dcaas/impl");
  } catch (e) {
    if ((e as { code?: string })?.code !== "MODULE_NOT_FOUND") throw e;
    return require("module").createRequire(process.cwd() + "/")("pulumi-dcaas/impl");
  }
}
