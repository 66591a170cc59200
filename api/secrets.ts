/**
 * What is secret, declared once for every layer. A secret's value never appears in a state's plain
 * text, a log line, an error, a CheckFailure, a diff, a `--json` output or an emulator page.
 */

/** The API's fields whose values are secret (the BGP MD5 key of an interface or a peer). */
export const SECRET_WIRE_FIELDS: readonly string[] = ["bgp_md5"];

/**
 * Names of fields that hold secrets in the documents of any layer: the API's secret fields above,
 * the provider's name for them (`bgpKey`), and credentials (`secretKey`, `secret_key`, passwords,
 * tokens). The emulator's console, its admin answers to a console session and `dcaas drift` mask
 * every value under such a name; the provider's field tables mark their secret fields by it.
 */
export const SECRET_NAME_RE = /md5|bgp_?key|secret|password|token/i;

/** Whether a field of this name holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME_RE.test(name);
}
