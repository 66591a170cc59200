// Runs Huawei Cloud's own Python SDK (huaweicloudsdkcore/huaweicloudsdkdc 3.1.219, installed by
// scripts/python-venv.sh into the cached virtualenv) through test/helpers/huawei_sdk.py. The
// Python side prints one JSON line; pip's and Python's own output stay out of the test log and
// are returned only for failure messages.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

const execFileP = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const VENV_SCRIPT = path.join(ROOT, "scripts/python-venv.sh");
const TOOL = path.join(ROOT, "test/helpers/huawei_sdk.py");

let venv: Promise<string> | undefined;

/** The cached virtualenv's directory (installs the pinned packages on first use). */
export function pythonVenv(): Promise<string> {
  venv ??= execFileP("bash", [VENV_SCRIPT], { maxBuffer: 16 << 20 }).then(
    (r) => r.stdout.trim().split("\n").pop()!,
    (e) => {
      venv = undefined;
      throw new Error(`scripts/python-venv.sh failed:\n${String(e.stderr ?? e.message).slice(-4000)}`);
    },
  );
  return venv;
}

/** Runs huawei_sdk.py with the given arguments and returns its JSON result. */
export async function huaweiSdk(args: string[]): Promise<any> {
  const dir = await pythonVenv();
  let stdout: string;
  try {
    ({ stdout } = await execFileP(path.join(dir, "bin/python"), ["-W", "default", TOOL, ...args], {
      maxBuffer: 16 << 20,
      timeout: 300_000,
    }));
  } catch (e: any) {
    throw new Error(`huawei_sdk.py ${args[0]} failed:\n${String(e.stderr ?? e.message).slice(-4000)}`);
  }
  const last = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last);
}
