// Runs Huawei Cloud's own Go SDK (github.com/huaweicloud/huaweicloud-sdk-go-v3, services/dc/v3,
// pinned in test/go-sdk/go.mod and go.sum) through the driver in test/go-sdk/main.go. The driver
// is built once per go.mod, go.sum, main.go and Go version into $DCAAS_CACHE_DIR (outside the
// repository), downloading its modules from the Go module proxy on first use; later runs reuse the
// binary. Go is found on PATH, as scripts/bootstrap.sh finds it; without it this throws a one-line
// error (the test fails, it does not skip). The driver prints one JSON line; the Go toolchain's
// output stays out of the test log and is returned only in failure messages.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const execFileP = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const MODULE = path.join(ROOT, "test/go-sdk");
const CACHE =
  process.env.DCAAS_CACHE_DIR ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-dcaas");

/** The pinned SDK version (from test/go-sdk/go.mod). */
export function goSdkVersion(): string {
  const mod = readFileSync(path.join(MODULE, "go.mod"), "utf8");
  return /github\.com\/huaweicloud\/huaweicloud-sdk-go-v3 (\S+)/.exec(mod)?.[1] ?? "unknown";
}

let driver: Promise<string> | undefined;

/** The cached driver binary's path (built on first use). */
export function goSdkDriver(): Promise<string> {
  driver ??= buildDriver().catch((e) => {
    driver = undefined;
    throw e;
  });
  return driver;
}

function tail(e: any): string {
  return `${e.stdout ?? ""}${e.stderr ?? e.message}`.trim().slice(-4000);
}

async function buildDriver(): Promise<string> {
  let version: string;
  try {
    version = (await execFileP("go", ["version"])).stdout.trim();
  } catch (e: any) {
    throw new Error(
      e.code === "ENOENT"
        ? "Go is not installed (the Go SDK test needs it on PATH, as scripts/bootstrap.sh does): install Go 1.25 or newer"
        : `go version failed: ${tail(e)}`,
    );
  }
  const key = createHash("sha256")
    .update(version)
    .update(["go.mod", "go.sum", "main.go"].map((f) => readFileSync(path.join(MODULE, f), "utf8")).join("\0"))
    .digest("hex")
    .slice(0, 12);
  const dir = path.join(CACHE, `go-sdk-${key}`);
  const bin = path.join(dir, "go-sdk");
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  // The modules come from the Go module proxy, checked against the committed go.sum; go.mod and
  // go.sum are never rewritten (-mod=readonly).
  const env = { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=readonly`.trim() };
  try {
    await execFileP("go", ["mod", "download"], { cwd: MODULE, env, maxBuffer: 16 << 20, timeout: 600_000 });
  } catch (e) {
    throw new Error(`go mod download (test/go-sdk) failed: is the Go module proxy reachable?\n${tail(e)}`);
  }
  const tmp = `${bin}.tmp.${process.pid}`;
  try {
    await execFileP("go", ["build", "-trimpath", "-o", tmp, "."], {
      cwd: MODULE,
      env,
      maxBuffer: 16 << 20,
      timeout: 600_000,
    });
    renameSync(tmp, bin);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`go build (test/go-sdk) failed:\n${tail(e)}`);
  }
  return bin;
}

/** Runs the driver with the given arguments and returns its JSON result. */
export async function huaweiGoSdk(
  args: string[],
): Promise<{ calls: number; errors: string[]; steps: string[] }> {
  const bin = await goSdkDriver();
  let stdout: string;
  try {
    ({ stdout } = await execFileP(bin, args, { maxBuffer: 16 << 20, timeout: 300_000 }));
  } catch (e: any) {
    throw new Error(`test/go-sdk ${args[0]} failed:\n${tail(e)}`);
  }
  const lines = stdout.trim().split("\n");
  if (lines.length !== 1)
    throw new Error(`test/go-sdk printed ${lines.length} lines, not one:\n${stdout.slice(-4000)}`);
  return JSON.parse(lines[0]);
}
