// The rule profile: which cloud's rules for a hosted virtual interface apply. `jd-hosted` is the
// JD Cloud hosted model of the seed; `huawei` is Huawei Cloud's documented rules for an interface
// on a hosted connection. Both the provider's check and the emulator take one.

/** The rule profiles. */
export const PROFILES = ["jd-hosted", "huawei"] as const;

/** A rule profile. */
export type Profile = (typeof PROFILES)[number];

/** Whether a value names a rule profile. */
export function isProfile(v: unknown): v is Profile {
  return typeof v === "string" && (PROFILES as readonly string[]).includes(v);
}

/** The profile a program gets by default: `huawei` for a Huawei Cloud host, else `jd-hosted`. */
export function defaultProfileFor(endpoint: string | undefined): Profile {
  if (endpoint === undefined) return "jd-hosted";
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return "jd-hosted";
  }
  return host === "myhuaweicloud.com" || host.endsWith(".myhuaweicloud.com") ? "huawei" : "jd-hosted";
}

/** Parses a profile name, with a one-line error naming `what` and the allowed values. */
export function parseProfile(v: unknown, what = "profile"): Profile {
  if (isProfile(v)) return v;
  throw new Error(`${what} must be one of ${PROFILES.join(", ")} (got ${JSON.stringify(v)})`);
}

/**
 * The response header in which dcaas-emulator names the rule profile it enforces (an emulator
 * extension; the real APIs send none). The provider's live checks compare it with their own.
 */
export const PROFILE_HEADER = "X-Dcaas-Emulator-Profile";
