/**
 * Every configuration key of the `dcaas` stack-config namespace, with its environment fallbacks in
 * order. Data only, in api/ so that the provider (provider/config.ts) and the CLI (cli/pool.ts) read
 * the same list.
 */

export interface KeySpec {
  key: string;
  env: string[];
  /** A credential: the hint says `pulumi config set --secret`, and no message shows its value. */
  secret?: boolean;
}

/** Every configuration key, in the `dcaas` namespace, with its environment fallbacks in order. */
export const CONFIG_KEYS = {
  endpoint: { key: "endpoint", env: ["DCAAS_ENDPOINT"] },
  profile: { key: "profile", env: ["DCAAS_PROFILE"] },
  projectId: { key: "projectId", env: ["DCAAS_PROJECT_ID", "HW_PROJECT_ID"] },
  region: { key: "region", env: ["DCAAS_REGION", "HW_REGION_NAME"] },
  accessKey: { key: "accessKey", env: ["DCAAS_ACCESS_KEY", "HW_ACCESS_KEY"] },
  secretKey: { key: "secretKey", env: ["DCAAS_SECRET_KEY", "HW_SECRET_KEY"], secret: true },
  securityToken: { key: "securityToken", env: ["DCAAS_SECURITY_TOKEN", "HW_SECURITY_TOKEN"], secret: true },
  token: { key: "token", env: ["DCAAS_TOKEN"], secret: true },
  username: { key: "username", env: ["DCAAS_USERNAME", "HW_USER_NAME"] },
  password: { key: "password", env: ["DCAAS_PASSWORD", "HW_USER_PASSWORD"], secret: true },
  domainName: { key: "domainName", env: ["DCAAS_DOMAIN_NAME", "HW_DOMAIN_NAME"] },
  iamEndpoint: { key: "iamEndpoint", env: ["DCAAS_IAM_ENDPOINT"] },
  pollInterval: { key: "pollInterval", env: ["DCAAS_POLL_INTERVAL"] },
  maxRetries: { key: "maxRetries", env: ["DCAAS_MAX_RETRIES", "HW_MAX_RETRIES"] },
  requestTimeout: { key: "requestTimeout", env: ["DCAAS_REQUEST_TIMEOUT"] },
  retryBaseDelay: { key: "retryBaseDelay", env: ["DCAAS_RETRY_BASE_DELAY"] },
  createTimeout: { key: "createTimeout", env: ["DCAAS_CREATE_TIMEOUT"] },
  updateTimeout: { key: "updateTimeout", env: ["DCAAS_UPDATE_TIMEOUT"] },
  deleteTimeout: { key: "deleteTimeout", env: ["DCAAS_DELETE_TIMEOUT"] },
  liveChecks: { key: "liveChecks", env: ["DCAAS_LIVE_CHECKS"] },
  learnWaits: { key: "learnWaits", env: ["DCAAS_LEARN_WAITS"] },
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The namespace of every key in the stack configuration. */
export const CONFIG_NAMESPACE = "dcaas";
