/**
 * Provider configuration: the `dcaas` stack-config namespace, read once in `configure()`, with an
 * environment fallback for every key, resolved again at each call so rotated credentials apply.
 *
 * The values live in a module-level holder of the compiled `impl` module, never in a variable that
 * the serialized `__provider` closure captures, so no credential reaches the state file.
 */

import { CONFIG_KEYS, CONFIG_NAMESPACE, type ConfigKey, type KeySpec } from "../api/configKeys";
import { iamEndpointFor } from "../api/iam";
import { defaultProfileFor, isProfile, type Profile, PROFILES } from "../api/profile";
import { parseDuration } from "./durations";

export { parseDuration };

/** How the client authenticates. */
export type AuthConfig =
  | { kind: "token"; token: string }
  | { kind: "aksk"; accessKey: string; secretKey: string; securityToken?: string }
  | { kind: "password"; username: string; password: string; domainName: string; iamEndpoint: string };

/** Fully resolved settings for one provider call. */
export interface ProviderConfig {
  endpoint: string;
  projectId: string;
  region?: string;
  /** The rule profile: `dcaas:profile`, else `huawei` for a Huawei Cloud endpoint, else `jd-hosted`. */
  profile: Profile;
  auth: AuthConfig;
  /** Upper bound of the waiters' poll delay. */
  pollIntervalMs: number;
  /** Retries of one request after the first attempt (429, 5xx and network errors on safe calls). */
  maxRetries: number;
  /** Per-request timeout. */
  requestTimeoutMs: number;
  /** Base delay of the client's retry backoff. */
  retryBaseDelayMs: number;
  timeouts: { create: number; update: number; delete: number };
  /** Whether waits learn settle times (`dcaas:learnWaits`; absent or true: on, false: the usual schedule). */
  learnWaits?: boolean;
}

export { CONFIG_KEYS, CONFIG_NAMESPACE, type ConfigKey } from "../api/configKeys";

/** Defaults for the tunables. */
export const DEFAULTS = {
  pollIntervalMs: 5_000,
  maxRetries: 6,
  requestTimeoutMs: 30_000,
  retryBaseDelayMs: 500,
  createTimeoutMs: 30 * 60_000,
  updateTimeoutMs: 30 * 60_000,
  deleteTimeoutMs: 30 * 60_000,
};

/** Stack configuration values captured by `configure()`, keyed by short name ("endpoint"). */
const holder: { values: Partial<Record<ConfigKey, string>> } = { values: {} };

/** A source of stack configuration, as the dynamic provider host passes it to `configure()`. */
export interface ConfigLike {
  get(key: string): string | undefined;
}

/** Stores the `dcaas:*` keys of the stack configuration for later calls in this process. */
export function setStackConfig(config: ConfigLike | Record<string, string | undefined>): void {
  const values: Partial<Record<ConfigKey, string>> = {};
  for (const name of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    const full = `${CONFIG_NAMESPACE}:${CONFIG_KEYS[name].key}`;
    const v =
      typeof (config as ConfigLike).get === "function"
        ? (config as ConfigLike).get(full)
        : (config as Record<string, string | undefined>)[full];
    if (v !== undefined && v !== null && String(v) !== "") values[name] = String(v);
  }
  // Merge rather than replace: each resource type's provider object calls configure() once, with
  // the same stack configuration.
  holder.values = { ...holder.values, ...values };
}

/** Forgets the stored stack configuration (tests). */
export function resetStackConfig(): void {
  holder.values = {};
}

/** Raised when configuration is missing or invalid; names the key and its environment variables. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Raised when a key that reading the API needs (endpoint, project, credentials) is not set. */
export class MissingConfigError extends ConfigError {}

type Env = Record<string, string | undefined>;

/** A key's value and where it came from: the stack's configuration, else the first variable set. */
function locate(
  name: ConfigKey,
  stack: Partial<Record<ConfigKey, string>>,
  env: Env,
): { value: string; variable?: string } | undefined {
  const fromStack = stack[name];
  if (fromStack !== undefined && fromStack !== "") return { value: fromStack };
  for (const variable of CONFIG_KEYS[name].env) {
    const e = env[variable];
    if (e !== undefined && e !== "") return { value: e, variable };
  }
  return undefined;
}

function lookup(name: ConfigKey, stack: Partial<Record<ConfigKey, string>>, env: Env): string | undefined {
  return locate(name, stack, env)?.value;
}

function describe(name: ConfigKey): string {
  const spec: KeySpec = CONFIG_KEYS[name];
  const set = spec.secret ? "pulumi config set --secret" : "pulumi config set";
  return `"${CONFIG_NAMESPACE}:${spec.key}" (${set} ${CONFIG_NAMESPACE}:${spec.key} ...) or the environment variable ${spec.env.join(" or ")}`;
}

/**
 * The start of an invalid-value message: the key, and where the value came from (the stack's
 * configuration wins over the environment, so a user knows which one to fix).
 */
function invalid(name: ConfigKey, stack: Partial<Record<ConfigKey, string>>, env: Env): string {
  const full = `invalid configuration "${CONFIG_NAMESPACE}:${CONFIG_KEYS[name].key}"`;
  const found = locate(name, stack, env);
  if (found === undefined) return full;
  return found.variable === undefined
    ? `${full} (in the stack's configuration)`
    : `${full} (from the environment variable ${found.variable})`;
}

function requireKey(
  name: ConfigKey,
  stack: Partial<Record<ConfigKey, string>>,
  env: Env,
  why: string,
): string {
  const v = lookup(name, stack, env);
  if (v === undefined) throw new MissingConfigError(`missing configuration: ${why}; set ${describe(name)}`);
  return v;
}

function durationKey(
  name: ConfigKey,
  stack: Partial<Record<ConfigKey, string>>,
  env: Env,
  dflt: number,
): number {
  const v = lookup(name, stack, env);
  if (v === undefined) return dflt;
  try {
    return parseDuration(v, "");
  } catch (e) {
    throw new ConfigError(`${invalid(name, stack, env)}: ${(e as Error).message}`);
  }
}

/** How `check` runs the API's stateful rules: fail on a broken rule, warn about it, or skip them. */
export type LiveChecksMode = "enforce" | "warn" | "off";

/** The live-checks mode (`dcaas:liveChecks`, else DCAAS_LIVE_CHECKS; default `enforce`). */
export function resolveLiveChecksMode(
  env: Env = process.env,
  stack: Partial<Record<ConfigKey, string>> = holder.values,
): LiveChecksMode {
  const v = lookup("liveChecks", stack, env);
  if (v === undefined) return "enforce";
  const mode = v.trim().toLowerCase();
  if (mode === "enforce" || mode === "warn" || mode === "off") return mode;
  throw new ConfigError(
    `${invalid("liveChecks", stack, env)}: must be one of enforce, warn, off (got "${v}")`,
  );
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * The rule profile from the stored stack configuration and the environment, without needing
 * credentials (check runs it during preview): `dcaas:profile` / DCAAS_PROFILE when set, else
 * `huawei` when the endpoint (or the region's default endpoint) is a Huawei Cloud host, else
 * `jd-hosted`. Throws a ConfigError for an unknown profile name.
 */
export function resolveProfile(
  env: Env = process.env,
  stack: Partial<Record<ConfigKey, string>> = holder.values,
): Profile {
  const explicit = lookup("profile", stack, env);
  if (explicit !== undefined) {
    if (!isProfile(explicit)) {
      throw new ConfigError(
        `${invalid("profile", stack, env)}: must be one of ${PROFILES.join(", ")} (got "${explicit}")`,
      );
    }
    return explicit;
  }
  const endpoint = lookup("endpoint", stack, env);
  const region = lookup("region", stack, env);
  return defaultProfileFor(
    endpoint ?? (region === undefined ? undefined : `https://dcaas.${region}.myhuaweicloud.com`),
  );
}

/**
 * Resolves the configuration for one call from the stored stack configuration and the environment
 * (stack configuration wins). Throws a ConfigError naming the key and the variable when something
 * required is missing.
 */
export function resolveConfig(
  env: Env = process.env,
  stack: Partial<Record<ConfigKey, string>> = holder.values,
): ProviderConfig {
  const region = lookup("region", stack, env);
  let endpoint = lookup("endpoint", stack, env);
  if (endpoint === undefined) {
    if (region === undefined) {
      throw new MissingConfigError(
        `missing configuration: the API endpoint; set ${describe("endpoint")}, or a region with ${describe("region")}`,
      );
    }
    endpoint = `https://dcaas.${region}.myhuaweicloud.com`;
  }
  endpoint = stripSlash(endpoint);
  if (!/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new ConfigError(`${invalid("endpoint", stack, env)}: "${endpoint}" is not an http(s) URL`);
  }
  const projectId = requireKey("projectId", stack, env, "the project id");
  if (!/^[0-9a-fA-F]{32}$/.test(projectId)) {
    throw new ConfigError(`${invalid("projectId", stack, env)}: a project id is 32 hexadecimal characters`);
  }

  let auth: AuthConfig;
  const token = lookup("token", stack, env);
  const accessKey = lookup("accessKey", stack, env);
  const secretKey = lookup("secretKey", stack, env);
  const username = lookup("username", stack, env);
  if (token !== undefined) {
    auth = { kind: "token", token };
  } else if (accessKey !== undefined || secretKey !== undefined) {
    auth = {
      kind: "aksk",
      accessKey: requireKey("accessKey", stack, env, "the access key (a secret key is set)"),
      secretKey: requireKey("secretKey", stack, env, "the secret key (an access key is set)"),
      securityToken: lookup("securityToken", stack, env),
    };
  } else if (username !== undefined) {
    // Huawei's IAM lives on its own host; an explicitly configured endpoint (an emulator, a
    // private gateway) is assumed to serve /v3/auth/tokens itself unless iamEndpoint says otherwise.
    const iamEndpoint = iamEndpointFor({
      iamEndpoint: lookup("iamEndpoint", stack, env),
      endpoint: lookup("endpoint", stack, env),
      region,
      fallback: endpoint,
    });
    auth = {
      kind: "password",
      username,
      password: requireKey("password", stack, env, "the IAM password (a username is set)"),
      domainName: requireKey("domainName", stack, env, "the IAM domain (account) name (a username is set)"),
      iamEndpoint,
    };
  } else {
    throw new MissingConfigError(
      `missing configuration: credentials; set ${describe("token")}, or ${describe("accessKey")} with ${describe(
        "secretKey",
      )}, or ${describe("username")} with password and domainName`,
    );
  }

  const maxRetriesText = lookup("maxRetries", stack, env);
  let maxRetries = DEFAULTS.maxRetries;
  if (maxRetriesText !== undefined) {
    maxRetries = Number(maxRetriesText);
    if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 100) {
      throw new ConfigError(
        `${invalid("maxRetries", stack, env)}: an integer from 0 to 100 (got "${maxRetriesText}")`,
      );
    }
  }

  return {
    endpoint,
    projectId: projectId.toLowerCase(),
    region,
    profile: resolveProfile(env, stack),
    auth,
    pollIntervalMs: Math.max(1, durationKey("pollInterval", stack, env, DEFAULTS.pollIntervalMs)),
    maxRetries,
    requestTimeoutMs: Math.max(1, durationKey("requestTimeout", stack, env, DEFAULTS.requestTimeoutMs)),
    retryBaseDelayMs: durationKey("retryBaseDelay", stack, env, DEFAULTS.retryBaseDelayMs),
    timeouts: {
      create: durationKey("createTimeout", stack, env, DEFAULTS.createTimeoutMs),
      update: durationKey("updateTimeout", stack, env, DEFAULTS.updateTimeoutMs),
      delete: durationKey("deleteTimeout", stack, env, DEFAULTS.deleteTimeoutMs),
    },
    learnWaits: resolveLearnWaits(env, stack),
  };
}

/** Whether waits learn (`dcaas:learnWaits`, else DCAAS_LEARN_WAITS: `on` (default) or `off`). */
export function resolveLearnWaits(
  env: Env = process.env,
  stack: Partial<Record<ConfigKey, string>> = holder.values,
): boolean {
  const v = lookup("learnWaits", stack, env);
  if (v === undefined) return true;
  const mode = v.trim().toLowerCase();
  if (mode === "on" || mode === "off") return mode === "on";
  throw new ConfigError(`${invalid("learnWaits", stack, env)}: must be one of on, off (got "${v}")`);
}
