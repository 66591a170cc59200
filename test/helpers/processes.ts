// The processes of a Pulumi run, for tests that kill one (interrupt, fleet allocation): the
// `pulumi up` of a stack, and its descendants (the plugins left running when it is killed).
import * as fs from "node:fs";

/** pid -> parent pid, and the command line, of every process now. */
export function processTable(): Map<number, { ppid: number; cmd: string }> {
  const out = new Map<number, { ppid: number; cmd: string }>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      out.set(Number(d), { ppid, cmd });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The `pulumi up` process of this stack (the Automation API runs `pulumi up ... --stack NAME`). */
export function pulumiUpPid(stackName: string): number | undefined {
  for (const [pid, p] of processTable()) {
    const argv = p.cmd.split(" ");
    if (/(^|\/)pulumi$/.test(argv[0]) && argv[1] === "up" && argv.includes(stackName)) return pid;
  }
  return undefined;
}

export function descendants(pid: number): number[] {
  const table = processTable();
  const out: number[] = [];
  const visit = (p: number) => {
    for (const [c, x] of table) {
      if (x.ppid === p) {
        out.push(c);
        visit(c);
      }
    }
  };
  visit(pid);
  return out;
}

export const alive = (pid: number) => fs.existsSync(`/proc/${pid}`);
