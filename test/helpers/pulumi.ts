// Helpers for end-to-end tests through the real Pulumi CLI and the Automation API: a temporary
// file:// backend, unique stack names, and stacks that are always destroyed and removed.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/** The `pulumi` the bootstrap put on PATH, as an Automation API command. */
export async function pulumiCommand(): Promise<PulumiCommand> {
  const bin = execFileSync("bash", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim();
  if (!bin)
    throw new Error("pulumi is not on PATH: run the tests through `npm test` (it bootstraps the CLI)");
  return PulumiCommand.get({ root: path.dirname(path.dirname(bin)), skipVersionCheck: true });
}

/** A temporary file:// backend with its own PULUMI_HOME; `cleanup()` removes it. */
export interface TempBackend {
  dir: string;
  envVars: Record<string, string>;
  cleanup(): void;
}

/** Creates a temporary file:// backend with an empty passphrase. */
export function tempBackend(): TempBackend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-e2e-"));
  fs.mkdirSync(path.join(dir, "state"));
  fs.mkdirSync(path.join(dir, "home"));
  return {
    dir,
    envVars: {
      PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "",
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A unique stack name for this run. */
export function uniqueStackName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** A new stack named `<prefix>-<unique>` on `workDir`, on the temporary backend (env added to its own). */
export async function newStack(
  workDir: string,
  backend: TempBackend,
  prefix = "t",
  extraEnv: Record<string, string> = {},
): Promise<Stack> {
  return LocalWorkspace.createStack(
    { stackName: uniqueStackName(prefix), workDir },
    { pulumiCommand: await pulumiCommand(), envVars: { ...backend.envVars, ...extraEnv } },
  );
}

/** How a stack is torn down: by withStack, and by the suites that keep one stack across tests. */
export interface StackTeardown {
  /** Runs first: clear faults, cancel the lock of a killed update, refresh --clear-pending-creates, ... */
  before?: (stack: Stack) => Promise<unknown>;
  /** The destroy (default `stack.destroy({ refresh: false })`). */
  destroy?: (stack: Stack) => Promise<unknown>;
  /** A failure of `before` or `destroy` is not thrown: the suite's tests report what it left. */
  tolerateFailure?: boolean;
  /** Runs after the destroy, whatever it did, before the stack is removed (deposit its state, ...). */
  beforeRemove?: (stack: Stack) => unknown;
}

/** `before`, destroy, `beforeRemove`, then always removes the stack (force). */
export async function tearDownStack(stack: Stack, teardown: StackTeardown = {}): Promise<void> {
  try {
    try {
      await teardown.before?.(stack);
      await (teardown.destroy ? teardown.destroy(stack) : stack.destroy({ refresh: false }));
    } catch (err) {
      if (!teardown.tolerateFailure) throw err;
    }
  } finally {
    try {
      await teardown.beforeRemove?.(stack);
    } finally {
      await stack.workspace.removeStack(stack.name, { force: true });
    }
  }
}

/** Creates a stack on `workDir`, runs `fn`, then always tears the stack down (tearDownStack). */
export async function withStack<T>(
  workDir: string,
  backend: TempBackend,
  fn: (stack: Stack) => Promise<T>,
  opts: { env?: Record<string, string>; stackPrefix?: string; teardown?: StackTeardown } = {},
): Promise<T> {
  const stack = await newStack(workDir, backend, opts.stackPrefix, opts.env);
  try {
    return await fn(stack);
  } finally {
    await tearDownStack(stack, opts.teardown);
  }
}
