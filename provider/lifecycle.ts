/**
 * The lifecycle of a resource, written once: check (stateless rules, then the live checks), diff,
 * the unfinished-update notice, create (idempotent, then wait, with partial failures), import, read,
 * update (after a pending status, name and description only) and delete (the DC.1205 retry, then
 * wait until gone). Each resource supplies a `Resource` descriptor: its field table, its finders,
 * status and API calls, and what it explains to the user (live checks, refusals, adoption).
 */
import type { Profile } from "../api/profile";
import type { Issue } from "../api/issues";
import { type AllocationOutcome, wantsAllocation } from "./allocation";
import {
  type ApiError,
  assertUuid,
  ConflictError,
  type DcaasClient,
  NotFoundError,
  ValidationError,
} from "./client";
import { createIdempotent, waitCreated } from "./creation";
import { type Deps, type RequestSpan, requestSpan, settlePlan, timingOf } from "./deps";
import {
  changesToReport,
  type CheckFailure,
  diffFields,
  immutableDifferencesOf,
  issuesToFailures,
  unknownPropertyFailures,
} from "./fieldTable";
import {
  type FieldSpec,
  type FieldTable,
  inputKeys,
  inputsOf,
  normalise,
  normaliseForDiff,
  outputsOf,
  sortSets,
  wireFields,
} from "./fields";
import { type ProgramClaim, rememberClaim, resourceNameOf, runLiveChecks, withLiveView } from "./liveChecks";
import type { LiveView } from "./liveView";
import { OperationError } from "./operationErrors";
import { assertImportable } from "./ownership";
import { type Activity, engineOutput } from "./progress";
import type { TransitionKind } from "./settleTimes";
import {
  checkImportFromOtherStack,
  checkImportId,
  checkTimeouts,
  stripProvider,
  timeoutFor,
} from "./providerInputs";
import { formatMs } from "./durations";
import { GONE, type PollPlanner, type StatusResult, waitForState } from "./waiters";

type Props = Record<string, any>;

/** A live object of the API, as its answers give it. */
export interface LiveObject {
  id: string;
  status: string;
  name?: string | null;
  description?: string | null;
}

/** What a resource is, to the lifecycle: its table, its API calls and what it says. */
export interface Resource<T extends LiveObject> {
  /** The resource type (`HostedVif`), as CheckFailures and live checks name it. */
  readonly type: string;
  /** How errors name it: "hosted VIF". */
  readonly kind: string;
  /** How the API's objects are named: "virtual interface", "VIF peer". */
  readonly noun: string;
  /** How waits name the object: "virtual interface", "peer". */
  readonly waitNoun: string;
  /** How update errors name it: "interface", "peer". */
  readonly shortNoun: string;
  /** The create body's wrapper ("virtual_interface"), which the rules' issue paths start with. */
  readonly wrapper: string;
  readonly fields: FieldTable;
  /** Statuses an operation is still settling in. */
  readonly pending: readonly string[];
  /** The learned-wait kinds of its create and delete. */
  readonly settle: { create: TransitionKind; delete: TransitionKind };
  /** A name for messages: the resource's name, else what identifies the object. */
  ident(v: Props | undefined, id?: string): string;

  /** The create body for normalised inputs (the fields' wire values, plus what the body always has). */
  body(n: Props): Record<string, unknown>;
  /** The API's stateless rules of `profile` on a create body. */
  validate(body: Record<string, unknown>, profile: Profile): Issue[];
  /** The program's values as the diff compares them with the state (an omitted bandwidth is the state's). */
  diffNews?(news: Props, olds: Props): Props;
  /** Whether the old and the new object could not exist at the same time (delete before replace). */
  collide(olds: Props, news: Props): boolean;
  /** The input view of outputs, beyond the table's input keys. */
  readInputs?(inputs: Props, outs: Props): Props;

  /** The stateful rules at preview, over the live view and the program's other resources. */
  liveFailures(
    view: LiveView,
    olds: Props,
    n: Props,
    name: string | undefined,
    profile: Profile,
  ): Promise<CheckFailure[]>;
  /** What this resource will hold, for the program's other resources' live checks. */
  claim(n: Props, name: string | undefined): ProgramClaim | undefined;
  /**
   * The inputs with the values a pool gives (the `allocation` input), at check; `view` is undefined
   * when live checks are off. Absent: the resource has nothing to allocate.
   */
  allocate?(
    view: LiveView | undefined,
    olds: Props,
    news: Props,
    name: string | undefined,
    profile: Profile,
  ): Promise<AllocationOutcome>;
  /** After the API refused an allocated value at create: the inputs with the next free slot, if any. */
  reallocate?(deps: Deps, ins: Props): Promise<Props | undefined>;

  /** The live object; NotFoundError when it is gone. `hint` is the program's or the state's values. */
  find(client: DcaasClient, id: string, hint?: Props): Promise<T>;
  /** What `find` needs to look a created object up again (the peer's interface). */
  hintOf(v: T): Props | undefined;
  /** The API's reason for a status, if it gives one. */
  reasonOf(v: T): string | undefined;
  /** Completes a create body with what needs the API (the hosted connection's bandwidth). */
  prepare?(deps: Deps, body: Record<string, any>): Promise<void>;
  post(client: DcaasClient, body: Record<string, any>): Promise<T>;
  /** The live object an earlier attempt of this resource made (its mark, the same intent). */
  findOwn(client: DcaasClient, body: Record<string, any>, ins: Props): Promise<T | undefined>;
  /** One sentence naming what holds what a refused create asked for. */
  explainRefusal(client: DcaasClient, body: Record<string, any>, e: unknown): Promise<string | undefined>;
  /** Called with the object a create made available. */
  created?(deps: Deps, v: T): void;
  put(client: DcaasClient, id: string, patch: { name?: string; description?: string }): Promise<T>;
  remove(client: DcaasClient, id: string): Promise<void>;
  /** The ownership mark that decides whether an object may be adopted, and how to name it. */
  adoption(client: DcaasClient, v: T): Promise<{ what: string; mark: string | undefined }>;
}

/** The table's fields the API receives (the rules, the diff and the failures use this view). */
const specs = new WeakMap<FieldTable, FieldSpec[]>();
export function specsOf(r: Pick<Resource<any>, "fields">): FieldSpec[] {
  let s = specs.get(r.fields);
  if (!s) specs.set(r.fields, (s = wireFields(r.fields)));
  return s;
}

/** The outputs of a live object; `carry` gives the program's or the state's values. */
export function outputs<T extends LiveObject>(r: Resource<T>, v: T, carry: Props): Props {
  return outputsOf(r.fields, v as unknown as Props, carry);
}

/** Every replace-only field that differs between the program and the live object; secrets are not shown. */
export function immutableDifferences(r: Resource<any>, program: Props, live: Props): string[] {
  const p = r.diffNews ? r.diffNews(program, live) : program;
  return immutableDifferencesOf(specsOf(r), (v) => normaliseForDiff(r.fields, v), p, live);
}

/** Which operation's deadline applies to an object in a pending status. */
function deadlineOf(status: string): "create" | "update" | "delete" {
  if (status === "PENDING_DELETE") return "delete";
  return status === "PENDING_UPDATE" ? "update" : "create";
}

// ---- check -------------------------------------------------------------------------------

/**
 * Validates with the api/ rules of `profile` (the ones the server runs) and normalises, without any
 * API call. Unknowns pass and rules that depend on them are skipped. Every failure is reported at once.
 */
export function check(r: Resource<any>, news: Props, profile: Profile) {
  const raw = stripProvider(news);
  const keys = inputKeys(r.fields);
  const failures = unknownPropertyFailures(raw, keys, r.type, specsOf(r));
  failures.push(
    ...checkImportId(raw.importId),
    ...checkImportFromOtherStack(raw.importFromOtherStack),
    ...checkTimeouts(raw.timeouts),
  );
  const picked: Props = {};
  for (const k of keys) if (raw[k] !== undefined) picked[k] = raw[k];
  const n = normalise(r.fields, picked);
  failures.push(...issuesToFailures(r.validate(r.body(n), profile), specsOf(r), r.wrapper));
  return { inputs: sortSets(r.fields, n), failures };
}

/**
 * `check` as the provider runs it: the stateless rules, then (when they pass) the API's stateful
 * rules over the live view and the program's other resources, in the `dcaas:liveChecks` mode. Only
 * a resource that passes claims what it will hold: a failing one stops the run anyway.
 */
export async function checkLive(r: Resource<any>, olds: Props, news: Props, profile: Profile) {
  const name = resourceNameOf(news);
  if (r.allocate && wantsAllocation(news)) {
    const allocated = await allocateAtCheck(r, olds, news, name, profile);
    if (allocated.failures.length > 0) return { inputs: news, failures: allocated.failures };
    news = allocated.inputs;
  }
  const result = check(r, news, profile);
  const n = result.inputs;
  const failures =
    result.failures.length > 0
      ? result.failures
      : await runLiveChecks(`${r.type} "${name ?? n.name}"`, (view) =>
          r.liveFailures(view, olds, n, name, profile),
        );
  rememberClaim(r.type, name, failures.length > 0 ? undefined : r.claim(n, name));
  return { inputs: n, failures };
}

/**
 * The allocation step of check: over the live view (the same reads the live checks use); with live
 * checks off, over the state and the program only, which it says. Under `warn`, an unreadable API
 * is a warning and the allocation goes on without it.
 */
async function allocateAtCheck(
  r: Resource<any>,
  olds: Props,
  news: Props,
  name: string | undefined,
  profile: Profile,
): Promise<AllocationOutcome> {
  const live = await withLiveView((view) => r.allocate!(view, olds, news, name, profile));
  let outcome = live.value;
  if (outcome === undefined) {
    if (live.failures.length > 0 && live.mode === "enforce")
      return { inputs: news, failures: live.failures, notices: [] };
    outcome = await r.allocate!(undefined, olds, news, name, profile);
    outcome.notices.unshift(
      `${r.type} "${name ?? news.name}": allocated without reading the API (${live.mode === "off" ? "dcaas:liveChecks=off" : live.failures.map((f) => f.reason).join("; ")}): only the state and this program count, so up may choose another slot`,
    );
  }
  for (const n of outcome.notices) engineOutput(n);
  return outcome;
}

// ---- diff --------------------------------------------------------------------------------

/**
 * name and description update in place; anything else replaces; importId, importFromOtherStack,
 * timeouts, the owner mark and __provider never matter. A changed secret answers "unknown" changes
 * (see changesToReport) so the engine shows it as the reason.
 */
export function diff(r: Resource<any>, olds: Props, news: Props) {
  const d = diffFields(
    specsOf(r),
    (v) => normaliseForDiff(r.fields, v),
    olds,
    r.diffNews?.(news, olds) ?? news,
  );
  return {
    changes: changesToReport(d),
    replaces: d.replaces,
    deleteBeforeReplace: d.replaces.length > 0 && r.collide(olds, news),
  };
}

/**
 * What the next update of an object a previous operation left unfinished (status PENDING_*, ERROR: a
 * partial failure, which the engine answers with an update) will do, for preview; undefined when the
 * recorded status is settled.
 */
export function unfinishedNotice(
  r: Resource<any>,
  deps: Pick<Deps, "config">,
  olds: Props,
  news: Props,
): string | undefined {
  const status = olds?.status;
  if (typeof status !== "string" || ["ACTIVE", "DOWN"].includes(status)) return undefined;
  const ident = r.ident(normalise(r.fields, stripProvider(news)), undefined) || r.ident(olds);
  if (status === "ERROR") {
    return `${r.kind} (${ident}) was left in status ERROR: the update will fail; replace it with \`pulumi up --replace\``;
  }
  const d = diffFields(specsOf(r), (v) => normaliseForDiff(r.fields, v), olds, news);
  const then = d.updates.length ? `then sets ${d.updates.join(" and ")}` : "and changes nothing else";
  const deadline = deadlineOf(status);
  const timeout = timeoutFor(stripProvider(news).timeouts, deadline, deps.config.timeouts[deadline]);
  return (
    `${r.kind} (${ident}) was left in status ${status} by an earlier run: the update waits for status ` +
    `ACTIVE under the ${formatMs(timeout)} ${deadline} timeout, ${then}`
  );
}

// ---- create ------------------------------------------------------------------------------

/** POST, then wait for ACTIVE; adopts on importId; partial failure when the wait fails. */
export async function create<T extends LiveObject>(r: Resource<T>, deps: Deps, inputs: Props) {
  let ins = normalise(r.fields, stripProvider(inputs));
  if (ins.importId) return adopt(r, deps, ins);
  const ident = r.ident(ins);
  let span: RequestSpan | undefined;
  let made: T;
  try {
    for (let attempt = 0; ; attempt++) {
      const body = r.body(ins);
      await r.prepare?.(deps, body);
      span = requestSpan(deps);
      try {
        made = await createIdempotent(deps, {
          post: () => r.post(deps.client, body),
          findOwn: () => r.findOwn(deps.client, body, ins),
          explainRefusal: (e) => r.explainRefusal(deps.client, body, e),
          adopted: (v) =>
            engineOutput(
              `${r.type} "${ident}": takes back ${r.noun} ${v.id}, which an earlier attempt of this resource made (an interrupted run, or a create whose answer was lost)`,
            ),
        });
        break;
      } catch (e) {
        // Another stack (or a create out of band) took an allocated value since check: the API is
        // the arbiter; take the next free slot and say so. A value pinned by hand fails as it is.
        const next = allocationConflict(e) && attempt < 3 ? await r.reallocate?.(deps, ins) : undefined;
        if (!next) throw e;
        engineOutput(
          `${r.type} "${ident}": ${allocatedValues(ins)} was taken since preview (${(e as ApiError).code}); takes ${allocatedValues(next)} instead`,
        );
        ins = normalise(r.fields, next);
      }
    }
    span.answered();
  } catch (e) {
    throw new OperationError("creating", r.kind, ident, e);
  }
  const timeout = timeoutFor(ins.timeouts, "create", deps.config.timeouts.create);
  const activity: Activity = { operation: "creating", kind: r.kind, ident, deadline: "create" };
  const live = await waitCreated(
    r.kind,
    ident,
    made,
    inputs,
    () =>
      waitAvailable(
        r,
        deps,
        made.id,
        r.hintOf(made),
        timeout,
        activity,
        settlePlan(deps, r.settle.create, made.status, span),
      ),
    (v) => outputs(r, v, ins),
  );
  r.created?.(deps, live);
  return { id: live.id, outs: outputs(r, live, ins) };
}

/** Whether a create was refused for a value an allocation chose (a VLAN or an interconnect network in use). */
function allocationConflict(e: unknown): boolean {
  return (
    (e instanceof ConflictError || e instanceof ValidationError) && ["DC.1209", "DC.0004"].includes(e.code)
  );
}

/** "VLAN 1005 on hosted connection c and 10.20.0.4/30": what an allocation gave, for messages. */
function allocatedValues(v: Props): string {
  const vlan = v.vlan !== undefined ? `VLAN ${v.vlan} on hosted connection ${v.hostedConnectionId} and ` : "";
  return `${vlan}${v.customerAddress}`;
}

/** Adopts an existing object: immutable fields must match the program; name/description are updated. */
async function adopt<T extends LiveObject>(r: Resource<T>, deps: Deps, ins: Props) {
  const ident = r.ident(ins);
  try {
    const id = assertUuid(ins.importId, "importId");
    let v = await r.find(deps.client, id, ins);
    const { what, mark } = await r.adoption(deps.client, v);
    assertImportable(what, mark, ins);
    const differences = immutableDifferences(r, ins, outputs(r, v, ins));
    if (differences.length > 0) {
      throw new Error(
        `cannot adopt ${r.noun} ${id}: fields that cannot change in place differ from the program: ${differences.join(
          "; ",
        )}`,
      );
    }
    if (r.pending.includes(v.status)) {
      v = await waitAvailable(
        r,
        deps,
        id,
        r.hintOf(v),
        timeoutFor(ins.timeouts, "create", deps.config.timeouts.create),
        { operation: "importing", kind: r.kind, ident, deadline: "create" },
      );
    }
    v = await putNameDescription(r, deps, v, ins);
    return { id: v.id, outs: outputs(r, v, ins) };
  } catch (e) {
    throw new OperationError("importing", r.kind, ident, e);
  }
}

// ---- read --------------------------------------------------------------------------------

/** Full outputs plus inputs reflecting the live object; `{}` when it no longer exists. */
export async function read<T extends LiveObject>(
  r: Resource<T>,
  deps: Deps,
  id: string,
  props: Props | undefined,
) {
  let v: T;
  try {
    v = await r.find(deps.client, id, props);
  } catch (e) {
    if (e instanceof NotFoundError) return {};
    throw new OperationError("reading", r.kind, r.ident(props, id), e);
  }
  const outs = outputs(r, v, props ?? {});
  const inputs = inputsOf(r.fields, outs);
  return { id: v.id, props: outs, inputs: r.readInputs ? r.readInputs(inputs, outs) : inputs };
}

// ---- update ------------------------------------------------------------------------------

async function putNameDescription<T extends LiveObject>(
  r: Resource<T>,
  deps: Deps,
  v: T,
  want: Props,
): Promise<T> {
  const patch: { name?: string; description?: string } = {};
  if ((v.name ?? "") !== (want.name ?? "")) patch.name = want.name ?? "";
  if ((v.description ?? "") !== (want.description ?? "")) patch.description = want.description ?? "";
  if (Object.keys(patch).length === 0) return v;
  return r.put(deps.client, v.id, patch);
}

/**
 * PUT name and description; first waits out a pending status (after a partial failure the next
 * `up` comes here to re-converge). Returns full outputs.
 */
export async function update<T extends LiveObject>(
  r: Resource<T>,
  deps: Deps,
  id: string,
  olds: Props,
  news: Props,
) {
  const ins = normalise(r.fields, stripProvider(news));
  const ident = r.ident(ins, id);
  try {
    let v = await r.find(deps.client, id, olds);
    if (r.pending.includes(v.status)) {
      // After a partial failure: wait under the deadline of the operation that started the object.
      const deadline = deadlineOf(v.status);
      v = await waitAvailable(
        r,
        deps,
        id,
        r.hintOf(v),
        timeoutFor(ins.timeouts, deadline, deps.config.timeouts[deadline]),
        {
          operation: "updating",
          kind: r.kind,
          ident,
          deadline,
        },
      );
    }
    if (v.status === "ERROR") {
      const reason = r.reasonOf(v);
      throw new Error(
        `the ${r.shortNoun} is in status ERROR${reason ? ` (${reason})` : ""} and cannot be repaired in place; replace it with \`pulumi up --replace\``,
      );
    }
    v = await putNameDescription(r, deps, v, ins);
    return { outs: outputs(r, v, ins) };
  } catch (e) {
    throw new OperationError("updating", r.kind, ident, e);
  }
}

// ---- delete ------------------------------------------------------------------------------

/** DELETE, then wait until gone; a 404 counts as success. */
export async function remove(r: Resource<any>, deps: Deps, id: string, props: Props | undefined) {
  const ident = r.ident(props, id);
  const timeout = timeoutFor(props?.timeouts, "delete", deps.config.timeouts.delete);
  const activity: Activity = { operation: "deleting", kind: r.kind, ident, deadline: "delete" };
  try {
    let span = requestSpan(deps);
    try {
      await r.remove(deps.client, id);
      span.answered();
    } catch (e) {
      // Refused while PENDING_*: let the current operation settle, then delete.
      if (!(e instanceof ConflictError) || e.code !== "DC.1205") throw e;
      await waitForState({
        ...timingOf(deps, timeout, activity),
        description: `${r.waitNoun} ${id} to reach a status that allows deletion`,
        status: () => statusOf(r, deps.client, id, props),
        target: ["ACTIVE", "DOWN", "ERROR", GONE],
        pending: [...r.pending],
      });
      span = requestSpan(deps);
      await r.remove(deps.client, id);
      span.answered();
    }
    await waitDeleted(
      r,
      deps,
      id,
      props,
      timeout,
      activity,
      settlePlan(deps, r.settle.delete, undefined, span),
    );
  } catch (e) {
    if (e instanceof NotFoundError) return;
    throw new OperationError("deleting", r.kind, ident, e);
  }
}

// ---- status and waiters --------------------------------------------------------------------

/** The object's status for the waiters; undefined when it is gone. */
export async function statusOf<T extends LiveObject>(
  r: Resource<T>,
  client: DcaasClient,
  id: string,
  hint: Props | undefined,
): Promise<StatusResult<T>> {
  try {
    const v = await r.find(client, id, hint);
    return { state: v.status, value: v, reason: r.reasonOf(v) };
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** Waits until the object is ACTIVE (or DOWN: provisioned, link down); ERROR fails. */
export async function waitAvailable<T extends LiveObject>(
  r: Resource<T>,
  deps: Deps,
  id: string,
  hint: Props | undefined,
  timeoutMs: number,
  activity?: Activity,
  settle?: PollPlanner,
): Promise<T> {
  const result = await waitForState({
    settle,
    ...timingOf(deps, timeoutMs, activity),
    description: `${r.waitNoun} ${id} to reach status ACTIVE`,
    status: () => statusOf(r, deps.client, id, hint),
    target: ["ACTIVE", "DOWN"],
    pending: [...r.pending],
  });
  return result!.value;
}

/** Waits until the object is gone. */
export async function waitDeleted(
  r: Resource<any>,
  deps: Deps,
  id: string,
  hint: Props | undefined,
  timeoutMs: number,
  activity?: Activity,
  settle?: PollPlanner,
): Promise<void> {
  await waitForState({
    settle,
    ...timingOf(deps, timeoutMs, activity),
    description: `the deletion of ${r.waitNoun} ${id}`,
    status: () => statusOf(r, deps.client, id, hint),
    target: [GONE],
    pending: ["PENDING_DELETE", "ACTIVE", "DOWN"],
  });
}

// ---- the resources' own surface -----------------------------------------------------------

/**
 * A resource's lifecycle as functions of plain values (the tests, and the SDK-driven suites, call
 * these): check, the live check, diff, create and update.
 */
export function bound<T extends LiveObject>(r: Resource<T>) {
  return {
    /** Stateless check with the api/ rules of `profile`, without any API call. */
    check: (_olds: Props, news: Props, profile: Profile = "jd-hosted") => check(r, news, profile),
    /** `check` as the provider runs it: the stateless rules, then the live checks. */
    checkLive: (olds: Props, news: Props, profile: Profile = "jd-hosted") =>
      checkLive(r, olds, news, profile),
    diff: (_id: string, olds: Props, news: Props) => diff(r, olds, news),
    create: (deps: Deps, inputs: Props) => create(r, deps, inputs),
    update: (deps: Deps, id: string, olds: Props, news: Props) => update(r, deps, id, olds, news),
  };
}

// ---- provider methods ----------------------------------------------------------------------

/** The dynamic provider's methods for a resource, given how each call gets its dependencies. */
export function methodsOf<T extends LiveObject>(
  r: Resource<T>,
  env: {
    deps: () => Deps;
    profile: (
      news: Props,
    ) =>
      | { profile: Profile; refused?: undefined }
      | { refused: { inputs: Props; failures: CheckFailure[] }; profile?: undefined };
    notice: (make: (d: Pick<Deps, "config">) => string | undefined) => void;
  },
) {
  return {
    check: async (olds: Props, news: Props) => {
      const p = env.profile(news);
      return p.refused ?? checkLive(r, olds, news, p.profile!);
    },
    diff: async (_id: string, olds: Props, news: Props) => {
      env.notice((d) => unfinishedNotice(r, d, olds, news));
      return diff(r, olds, news);
    },
    create: async (inputs: Props) => create(r, env.deps(), inputs),
    read: async (id: string, props?: Props) => read(r, env.deps(), id, props),
    update: async (id: string, olds: Props, news: Props) => update(r, env.deps(), id, olds, news),
    delete: async (id: string, props: Props) => remove(r, env.deps(), id, props),
  };
}
