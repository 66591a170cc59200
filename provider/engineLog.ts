/**
 * Warnings from the provider process to the engine's output. The dynamic provider host does not
 * connect `pulumi.log` to the engine (it prints to the plugin's stderr, which the engine keeps at
 * debug level), so this module talks to the engine's Log service itself, at the address the engine
 * passed to the host as its first argument.
 */
let client: { log(req: unknown, cb: (err: Error | null) => void): void } | null | undefined;

/** The engine's Log client of this process, or null when there is no engine (tests, plain Node). */
function engineClient(): typeof client {
  if (client !== undefined) return client;
  client = null;
  const addr = process.argv[2];
  if (!addr || !/^[\w.-]+:\d+$/.test(addr)) return client;
  try {
    const pulumiDir = require.resolve("@pulumi/pulumi/package.json").replace(/package\.json$/, "");
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
    const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb");
    client = new EngineClient(addr, grpc.credentials.createInsecure());
  } catch {
    client = null;
  }
  return client;
}

/** Shows a warning in the engine's output (falls back to stderr without an engine). */
export async function warnOnEngine(message: string): Promise<void> {
  const c = engineClient();
  if (c) {
    const proto = require("@pulumi/pulumi/proto/engine_pb");
    const req = new proto.LogRequest();
    req.setSeverity(proto.LogSeverity.WARNING);
    req.setMessage(message);
    const sent = await new Promise<boolean>((resolve) => c.log(req, (err) => resolve(!err)));
    if (sent) return;
  }
  console.warn(`warning: ${message}`);
}
