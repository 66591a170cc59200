/**
 * The provider logic the serialized `__provider` objects load lazily by package name
 * (`require("pulumi-dcaas/impl")`), so refresh and destroy of old resources run the installed
 * code. Runs compiled in the dynamic provider host.
 */
import { DcaasClient, printRetry } from "./client";
import type { Deps } from "./deps";
import {
  ConfigError,
  type ConfigLike,
  resetStackConfig,
  resolveConfig,
  resolveProfile,
  setStackConfig,
} from "./config";
import { resetProgramClaims } from "./liveChecks";
import { resetAllocations } from "./allocation";
import { resetLiveViews } from "./liveView";
import { hostedVif as hostedVifResource } from "./hostedVif";
import { methodsOf } from "./lifecycle";
import { checkPoolLedger, diffPoolLedger, poolLedgerOutputs } from "./poolLedger";
import { engineOutput } from "./progress";
import { processSettleTimes } from "./settleTimes";
import { vifPeer as vifPeerResource } from "./vifPeer";

/** Stores the `dcaas:*` stack configuration the provider host passes to `configure()`. */
export async function configure(req: { config: ConfigLike }): Promise<void> {
  setStackConfig(req.config);
}

/** Forgets what `configure()` stored, every live read and every remembered resource (tests). */
export function resetConfiguration(): void {
  resetStackConfig();
  resetLiveViews();
  resetProgramClaims();
  resetAllocations();
}

/** Builds the client for one call from the stored configuration and the environment now. */
function deps(): Deps {
  const config = resolveConfig();
  return { config, client: new DcaasClient(config, { onRetry: printRetry }) };
}

type Props = Record<string, any>;

/**
 * Says, in the engine's output, what the coming update of an object an earlier run left unfinished
 * will do (the engine shows such an update with no changed field). Configuration problems only
 * drop the notice: diff itself needs no configuration.
 */
function notice(make: (d: Pick<Deps, "config">) => string | undefined): void {
  let line: string | undefined;
  try {
    line = make({ config: resolveConfig() });
  } catch {
    return;
  }
  if (line) engineOutput(line);
}

/**
 * The rule profile for check, or the resource-level CheckFailure of an invalid one: the dynamic
 * provider host prints an error thrown by check with its stack, the message twice.
 */
function profileForCheck(news: Props) {
  try {
    return { profile: resolveProfile() };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { refused: { inputs: news, failures: [{ property: "", reason: e.message }] } };
  }
}

const env = { deps, profile: profileForCheck, notice };

/** HostedVif provider methods. */
export const hostedVif = methodsOf(hostedVifResource, env);

/** VifPeer provider methods. */
export const vifPeer = methodsOf(vifPeerResource, env);

/** PoolLedger provider methods: no cloud object; check reads what the stack holds on the pool. */
export const poolLedger = {
  check: async (olds: Props, news: Props) => {
    const p = profileForCheck(news);
    return p.refused ?? checkPoolLedger(olds, news, p.profile);
  },
  diff: async (_id: string, olds: Props, news: Props) => diffPoolLedger(olds, news),
  create: async (inputs: Props) => ({
    id: `pool-ledger-${String(inputs.pool?.name ?? "pool")}`,
    outs: poolLedgerOutputs(inputs),
  }),
  read: async (id: string, props?: Props) => ({ id, props: props ?? {}, inputs: props ?? {} }),
  update: async (_id: string, _olds: Props, news: Props) => ({ outs: poolLedgerOutputs(news) }),
  delete: async (_id: string, _props: Props) => undefined,
};

/** Forgets the settle times this process learned, so the next waits use the usual schedule (tests). */
export function forgetSettleTimes(): void {
  processSettleTimes.forget();
}
