// Which settings raise the Pulumi engine's parallelism without a `--parallel` flag: runs `up` and
// `destroy` of N HostedVifs through the real engine (Automation API, packed package, emulator with a
// 2 s provisioning delay) once per way, and reports how many creates the API saw at once (the peak
// overlap of [POST, the GET that saw ACTIVE] per interface). Asserts nothing; prints a table.
//
//   bash scripts/with-toolchain.sh node -r ts-node/register/transpile-only bench/parallelism.bench.ts [--pairs 20]
//   (build dist/ first: tsc -p tsconfig.build.json)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { EmulatorAdmin } from "../test/helpers/emulatorAdmin";
import { packedProject } from "../test/helpers/project";
import { pulumiCommand, tempBackend, uniqueStackName } from "../test/helpers/pulumi";

const ADMIN = "parallelism-admin-token";
const DELAY_MS = 2000;
const i = process.argv.indexOf("--pairs");
const N = i >= 0 ? Number(process.argv[i + 1]) : 20;

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { HostedVif } from "pulumi-dcaas";
const cfg = new pulumi.Config("bench");
for (let i = 0; i < cfg.requireNumber("pairs"); i++) {
  new HostedVif("vif-" + i, {
    name: "par-" + i, hostedConnectionId: cfg.require("connectionId"), borderGatewayId: cfg.require("gatewayId"),
    vlan: 200 + i, routeMode: "bgp", bgpAsn: 65010,
    customerAddress: "10.30." + i + ".1/30", cloudAddress: "10.30." + i + ".2/30",
  });
}
`;

/** A way of setting parallelism: extra environment of the CLI, Automation API option, Pulumi.yaml text. */
interface Way {
  name: string;
  env?: Record<string, string>;
  parallel?: number;
  projectOptions?: string;
}

const WAYS: Way[] = [
  { name: "engine default (no setting)" },
  { name: "Automation API option parallel: 256", parallel: 256 },
  { name: "PULUMI_PARALLEL=256 (environment)", env: { PULUMI_PARALLEL: "256" } },
  { name: "GOMAXPROCS=64 (environment; default is 4 × GOMAXPROCS)", env: { GOMAXPROCS: "64" } },
  { name: "Pulumi.yaml options: parallel: 256", projectOptions: "options:\n  parallel: 256\n" },
];

function peakOverlap(intervals: [number, number][]): number {
  const ev = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  ev.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let cur = 0;
  let peak = 0;
  for (const [, d] of ev) peak = Math.max(peak, (cur += d!));
  return peak;
}

async function main(): Promise<void> {
  const project = packedProject();
  fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
  const pulumiYaml = fs.readFileSync(path.join(project, "Pulumi.yaml"), "utf8");
  const emu = await startEmulator({
    port: 0,
    adminToken: ADMIN,
    delays: { vifCreate: DELAY_MS, vifDelete: 200, peerCreate: 200, peerDelete: 200 },
  });
  const admin = new EmulatorAdmin(emu.url, ADMIN);
  const backend = tempBackend();
  const cmd = await pulumiCommand();
  const fx = emu.fixtures;
  const rows: string[] = [];
  console.log(
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}; nproc ${os.availableParallelism()}`,
  );
  try {
    for (const way of WAYS) {
      fs.writeFileSync(path.join(project, "Pulumi.yaml"), pulumiYaml + (way.projectOptions ?? ""));
      const stack = await LocalWorkspace.createStack(
        { stackName: uniqueStackName("par"), workDir: project },
        {
          pulumiCommand: cmd,
          envVars: { ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...way.env },
        },
      ).catch((e: Error) => e);
      if (stack instanceof Error) {
        const msg = stack.message.split("\n").find((l) => /error|invalid|unknown|additional/i.test(l));
        rows.push(`| ${way.name} | refused: ${(msg ?? stack.message).trim().slice(0, 160)} | - |`);
        continue;
      }
      try {
        await stack.setAllConfig({
          "dcaas:endpoint": { value: emu.url },
          "dcaas:projectId": { value: fx.projectId },
          "dcaas:accessKey": { value: fx.accessKey, secret: true },
          "dcaas:secretKey": { value: fx.secretKey, secret: true },
          "dcaas:pollInterval": { value: "500ms" },
          "bench:pairs": { value: String(N) },
          "bench:connectionId": { value: fx.hostedConnections.active1 },
          "bench:gatewayId": { value: fx.gatewayId },
        });
        await admin.clearRequests();
        const t0 = Date.now();
        const up = await stack
          .up({ parallel: way.parallel })
          .then(() => undefined)
          .catch((e: Error) => e);
        const seconds = ((Date.now() - t0) / 1000).toFixed(1);
        if (up) {
          const msg = up.message.split("\n").find((l) => /error/i.test(l)) ?? up.message;
          rows.push(`| ${way.name} | up failed: ${msg.trim().slice(0, 160)} | - |`);
          continue;
        }
        const { requests } = await admin.requests();
        const vifs = await admin.interfaces(fx.projectId);
        const intervals: [number, number][] = [];
        for (const v of vifs) {
          const created = Date.parse(v.create_time);
          const seen = requests
            .filter((r: any) => r.method === "GET" && r.path.endsWith(v.id))
            .map((r: any) => Date.parse(r.time))
            .filter((t: number) => t >= created + DELAY_MS)
            .sort((a: number, b: number) => a - b)[0];
          if (seen !== undefined) intervals.push([created, seen]);
        }
        rows.push(`| ${way.name} | ${peakOverlap(intervals)} of ${N} | ${seconds} s |`);
      } finally {
        await stack.destroy({ parallel: 256 }).catch(() => undefined);
        await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
      }
      console.log(rows[rows.length - 1]);
    }
  } finally {
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), pulumiYaml);
    await emu.close();
    backend.cleanup();
  }
  console.log(
    `\n| way (pulumi v3.259.0, ${os.availableParallelism()} cores) | interfaces created at once | up |\n|---|---|---|\n${rows.join("\n")}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
