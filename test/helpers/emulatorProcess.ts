// The emulator as a child process (dist/emulator/cli.js, built before the e2e suite), for tests
// that kill it: its JSON-line stdout is kept for the secret scan.
import { ChildProcess, spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";

const CLI = path.resolve(__dirname, "../../dist/emulator/cli.js");

/** A free loopback TCP port (closed again, so a child can take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A running emulator process. */
export interface EmulatorProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code or signal once it has exited. */
  exited: Promise<number | string | null>;
}

/** Starts `node dist/emulator/cli.js args...` and resolves when it logs "listening". */
export function spawnEmulator(args: string[], stdout: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  return new Promise((resolve, reject) => {
    let buf = "";
    let stderr = "";
    let done = false;
    child.stderr!.on("data", (d) => (stderr += d));
    child.stdout!.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        stdout.push(line);
        if (!done && line.includes('"msg":"listening"')) {
          done = true;
          resolve({ child, url: JSON.parse(line).url, exited });
        }
      }
    });
    void exited.then((code) => {
      if (!done) reject(new Error(`emulator exited (${code}) before listening: ${stderr}`));
    });
  });
}
