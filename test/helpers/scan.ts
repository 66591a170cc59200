// Deposits for the suite-wide secret scan (test/e2e/final/secret-scan.ts): tests write the text
// they produced (state files, engine output, emulator logs) and the secrets they used into one
// directory, env DCAAS_SCAN_DIR; when it is unset, one temporary directory per mocha process
// (the e2e suite runs its files in one process, and scripts/test-suite.sh names the scan last).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The scan directory, created on first use. */
export function scanDir(): string {
  if (!process.env.DCAAS_SCAN_DIR) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-scan-"));
    process.env.DCAAS_SCAN_DIR = dir;
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  fs.mkdirSync(process.env.DCAAS_SCAN_DIR, { recursive: true });
  return process.env.DCAAS_SCAN_DIR;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
let seq = 0;

/** Deposits one text, named `<source>--<what>`, for the scan. */
export function depositText(source: string, what: string, text: string): void {
  const file = path.join(scanDir(), `${safe(source)}--${safe(what)}--${process.pid}-${seq++}.txt`);
  fs.writeFileSync(file, text);
}

/** Deposits every file under `dir` (a backend's state directory, ...), recursively. */
export function depositTree(source: string, what: string, dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        depositText(source, `${what}/${path.relative(dir, p)}`, fs.readFileSync(p, "latin1"));
        n++;
      }
    }
  };
  walk(dir);
  return n;
}

/** Registers secrets the test used (BGP keys, tokens, ...), which the scan must not find anywhere. */
export function depositSecrets(source: string, secrets: string[]): void {
  fs.appendFileSync(
    path.join(scanDir(), "secrets.json-lines"),
    secrets
      .filter((s) => s.length > 0)
      .map((s) => `${JSON.stringify({ source, secret: s })}\n`)
      .join(""),
  );
}

/** The deposited texts: [file name, text]. */
export function deposits(): [string, string][] {
  const dir = scanDir();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f): [string, string] => [f, fs.readFileSync(path.join(dir, f), "latin1")]);
}

/** The registered secrets, each with the source that registered it. */
export function registeredSecrets(): { source: string; secret: string }[] {
  const file = path.join(scanDir(), "secrets.json-lines");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
