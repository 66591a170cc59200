/**
 * Keeps secret values out of the Node SDK's own debug lines.
 *
 * The SDK logs every resource RPC at debug level, answer included: `RegisterResource RPC finished:
 * ...; err: null, resp: <the protobuf message as text>`, and the answer holds the resource's
 * outputs with secret values in clear inside their secret wrappers (upstream behaviour of
 * `@pulumi/pulumi/runtime/resource.js`). `pulumi up --json` carries these as debug events, `-d`
 * and `-v=9 --logtostderr` print them, and the engine masks only the secrets of the stack's config
 * there, not a key the program got from a vault or the environment.
 *
 * This program-side filter cuts the message text at the answer (or the serialized object) when it
 * holds a secret wrapper, and says so. It wraps `log.debug` of the SDK the program runs, which the
 * SDK's runtime looks up at each call; it changes nothing else, and never the messages without
 * secrets.
 */

/** The signature of a secret wrapper in the SDK's serialized properties (`specialSecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Where an RPC debug message starts to print a payload, earliest first. */
const PAYLOAD = /(resp: |obj=|outputs=|args=|props=)/;

/** The message with every payload that holds a secret wrapper left out; others unchanged. */
export function redactSecrets(msg: string): string {
  if (typeof msg !== "string" || !msg.includes(SECRET_SIG)) return msg;
  const m = PAYLOAD.exec(msg);
  const head = m && m.index < msg.indexOf(SECRET_SIG) ? msg.slice(0, m.index + m[0].length) : "";
  return `${head}[not shown: holds secret values (pulumi-dcaas)]`;
}

const INSTALLED = Symbol.for("pulumi-dcaas.sdkDebugRedaction");

/** Wraps the SDK's `log.debug` once per SDK copy; returns whether it is wrapped now. */
export function redactSdkDebugLog(): boolean {
  let log: any;
  try {
    log = require("@pulumi/pulumi/log");
  } catch {
    return false;
  }
  if (log.debug?.[INSTALLED]) return true;
  const original = log.debug;
  if (typeof original !== "function") return false;
  const wrapped = function (this: unknown, msg: string, ...rest: unknown[]) {
    return original.call(this, redactSecrets(msg), ...rest);
  };
  Object.defineProperty(wrapped, INSTALLED, { value: true });
  try {
    log.debug = wrapped;
  } catch {
    return false;
  }
  return log.debug === wrapped;
}
