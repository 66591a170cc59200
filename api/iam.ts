/**
 * Huawei IAM password tokens, as data: the body of `POST /v3/auth/tokens` (project scope) and which
 * host serves it. The provider's client (provider/client.ts) and `dcaas pool` (cli/pool.ts) send it.
 */

/** The IAM path that issues a token (`X-Subject-Token` in the answer). */
export const IAM_TOKENS_PATH = "/v3/auth/tokens";

/** The body of a project-scoped password token request. */
export function passwordTokenRequest(a: {
  username: string;
  password: string;
  domainName: string;
  projectId: string;
}): unknown {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: { user: { name: a.username, password: a.password, domain: { name: a.domainName } } },
      },
      scope: { project: { id: a.projectId } },
    },
  };
}

/**
 * Which host serves IAM: `iamEndpoint` when set; Huawei's regional IAM when only a region is set;
 * otherwise the configured endpoint (an emulator or a private gateway serves `/v3/auth/tokens`
 * itself).
 */
export function iamEndpointFor(s: {
  iamEndpoint?: string;
  endpoint?: string;
  region?: string;
  /** The endpoint to fall back on (the resolved API endpoint). */
  fallback: string;
}): string {
  const chosen =
    s.iamEndpoint ??
    (s.endpoint === undefined && s.region !== undefined
      ? `https://iam.${s.region}.myhuaweicloud.com`
      : s.fallback);
  return chosen.replace(/\/+$/, "");
}
