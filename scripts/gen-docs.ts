/**
 * Writes the generated parts of docs/ from their sources, so no reference table is kept by hand:
 *
 * - argument and output tables of docs/resources/*.md: the field tables (provider/hostedVifFields.ts,
 *   provider/vifPeerFields.ts: names, types, wire names, in place or replace, secret, doc comments);
 * - the configuration keys of docs/installation-configuration.md: CONFIG_KEYS and DEFAULTS of
 *   provider/config.ts, with a meaning per key kept here (a new key without one fails the run);
 * - the usage of `dcaas-emulator` and `dcaas drift`: their USAGE texts in emulator/cli.ts, cli/dcaas.ts;
 * - docs/emulator/admin-api.md and docs/emulator/api-reference.md: the emulator's own /openapi.json.
 *
 * A generated region sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; the
 * rest of each page is written by hand. `--check` writes nothing and exits 1 naming stale pages
 * (test/unit/docs/generated.test.ts does the same inside `npm test`).
 *
 *   node -r ts-node/register/transpile-only scripts/gen-docs.ts [--check]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { startEmulator } from "../emulator";
import { CONFIG_KEYS, type ConfigKey, DEFAULTS } from "../provider/config";
import type { FieldTable } from "../provider/fields";
import { HOSTED_VIF } from "../provider/hostedVifFields";
import { VIF_PEER } from "../provider/vifPeerFields";

const repo = path.resolve(__dirname, "..");
const read = (rel: string) => fs.readFileSync(path.join(repo, rel), "utf8");

/** A markdown table cell: pipes escaped, line breaks folded. */
const cell = (s: string) => s.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
const code = (s: string) => `\`${s}\``;

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// provider/*Fields.ts: the field tables (their entries' doc comments document the arguments and,
// after `@output`, the outputs)

/** The doc comments of a table's entries: the argument's text and the output's. */
function tableDocs(rel: string, tableName: string): Map<string, { doc: string; output: string }> {
  const file = ts.createSourceFile(rel, read(rel), ts.ScriptTarget.Latest, true);
  const out = new Map<string, { doc: string; output: string }>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === tableName && node.initializer) {
      let init: ts.Expression = node.initializer;
      if (ts.isAsExpression(init)) init = init.expression;
      if (!ts.isObjectLiteralExpression(init))
        throw new Error(`${rel}: ${tableName} is not an object literal`);
      for (const p of init.properties) {
        if (ts.isSpreadAssignment(p)) {
          // Entries shared by every table (PROVIDER_INPUTS of provider/fields.ts).
          const name = p.expression.getText(file);
          for (const [k, v] of tableDocs("provider/fields.ts", name)) out.set(k, v);
          continue;
        }
        const jsdoc = ts.getJSDocCommentsAndTags(p).filter(ts.isJSDoc);
        const doc = jsdoc
          .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
          .join(" ")
          .trim();
        const tag = jsdoc.flatMap((d) => d.tags ?? []).find((t) => t.tagName.text === "output");
        const output = (tag ? ts.getTextOfJSDocComment(tag.comment) : undefined)?.trim() ?? doc;
        out.set(p.name!.getText(file), { doc, output });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (out.size === 0) throw new Error(`${rel} declares no ${tableName}`);
  return out;
}

function argumentsTable(rel: string, tableName: string, t: FieldTable): string {
  const docs = tableDocs(rel, tableName);
  const rows = Object.entries(t)
    .filter(([, f]) => f.role === "arg" || f.role === "carried")
    .map(([prop, f]) => {
      const doc = docs.get(prop)?.doc;
      if (!doc) throw new Error(`${tableName}.${prop} has no doc comment in ${rel}`);
      const change = f.role === "arg" ? (f.updatable ? "in place" : "replaces") : "never";
      const wire = f.role === "arg" && f.wire ? code(f.wire) : "— (provider only)";
      const type = (f.secret ? "secret " : "") + code(f.kind.docType);
      const need = (f.required ? "required" : "optional") + (f.allocated ? ", or from `allocation`" : "");
      return [code(prop), type, need, change, wire, doc];
    });
  return table(["argument", "type", "", "a change", "API field", "description"], rows);
}

function outputsTable(rel: string, tableName: string, t: FieldTable): string {
  const docs = tableDocs(rel, tableName);
  const rows = Object.entries(t)
    .filter(([, f]) => f.role !== "internal")
    .map(([prop, f]) => {
      const doc = docs.get(prop)?.output;
      if (!doc) throw new Error(`${tableName}.${prop} has no doc comment in ${rel}`);
      const type = (f.secret ? "secret " : "") + code(f.kind.docType);
      return [code(prop), type, f.role === "computed" ? "API" : "argument", doc];
    });
  return table(["output", "type", "from", "description"], rows);
}

// ---------------------------------------------------------------------------------------------
// provider/config.ts: configuration keys

const ms = (n: number) => (n % 60_000 === 0 ? `${n / 60_000}m` : n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`);

/** What each key means, its default and an example value; CONFIG_KEYS says the rest. */
const CONFIG_DOCS: Record<ConfigKey, { meaning: string; default: string; example: string }> = {
  endpoint: {
    meaning: "API base URL",
    default: "`https://dcaas.{region}.myhuaweicloud.com`",
    example: "`http://127.0.0.1:8787`",
  },
  region: { meaning: "region, used when there is no endpoint", default: "—", example: "`cn-north-4`" },
  profile: {
    meaning:
      "rule profile, `jd-hosted` or `huawei` (see [Rule profiles](#rule-profiles-jd-hosted-and-huawei))",
    default: "`huawei` for a Huawei Cloud endpoint, else `jd-hosted`",
    example: "`huawei`",
  },
  projectId: {
    meaning: "the 32-hex project id (required)",
    default: "—",
    example: "`0a1b2c3d4e5f60718293a4b5c6d7e8f9`",
  },
  accessKey: {
    meaning: "AK/SK request signing (SDK-HMAC-SHA256): access key",
    default: "—",
    example: "`EMUAKPROJECTA0000001`",
  },
  secretKey: {
    meaning: "AK/SK request signing: secret key",
    default: "—",
    example: "`emulator-sk-project-a-0000000000000001`",
  },
  securityToken: { meaning: "temporary AK/SK token", default: "—", example: "(from IAM)" },
  token: { meaning: "an IAM token (`X-Auth-Token`)", default: "—", example: "`emulator-token-project-a`" },
  username: {
    meaning: "IAM password auth: user; the token is fetched and refreshed",
    default: "—",
    example: "`netops`",
  },
  password: { meaning: "IAM password auth: password", default: "—", example: "`emulator-password-a`" },
  domainName: { meaning: "IAM password auth: account (domain) name", default: "—", example: "`dcaas-demo`" },
  iamEndpoint: {
    meaning: "IAM URL for password auth",
    default: "`https://iam.{region}.myhuaweicloud.com` with only a region, else the endpoint",
    example: "`http://127.0.0.1:8787`",
  },
  pollInterval: {
    meaning:
      "cap of the waiters' poll delay; a learned wait's first poll comes at the expected time (see [Waits](guides/waits.md))",
    default: code(ms(DEFAULTS.pollIntervalMs)),
    example: "`1s`",
  },
  maxRetries: {
    meaning:
      "retries of a request on 429, 5xx and network errors (a refused loopback connection gets 1, a request with no answer within requestTimeout 2, an unresolvable name none)",
    default: code(String(DEFAULTS.maxRetries)),
    example: "`3`",
  },
  requestTimeout: {
    meaning: "per-request timeout",
    default: code(ms(DEFAULTS.requestTimeoutMs)),
    example: "`10s`",
  },
  retryBaseDelay: {
    meaning: "base delay of the client's retry backoff",
    default: code(ms(DEFAULTS.retryBaseDelayMs)),
    example: "`200ms`",
  },
  createTimeout: {
    meaning: "default create deadline",
    default: code(ms(DEFAULTS.createTimeoutMs)),
    example: "`20m`",
  },
  updateTimeout: {
    meaning: "default update deadline",
    default: code(ms(DEFAULTS.updateTimeoutMs)),
    example: "`20m`",
  },
  deleteTimeout: {
    meaning: "default delete deadline",
    default: code(ms(DEFAULTS.deleteTimeoutMs)),
    example: "`20m`",
  },
  liveChecks: {
    meaning:
      "`enforce`, `warn` or `off`: the stateful rules at preview (see [Live checks](guides/live-checks.md))",
    default: "`enforce`",
    example: "`off`",
  },
  learnWaits: {
    meaning:
      "`on` or `off`: whether waits learn settle times (see [Waits](guides/waits.md)); another value fails with the accepted ones",
    default: "`on`",
    example: "`off`",
  },
};

function configTable(): string {
  const rows = (Object.keys(CONFIG_KEYS) as ConfigKey[]).map((name) => {
    const spec: { key: string; env: string[]; secret?: boolean } = CONFIG_KEYS[name];
    const doc = CONFIG_DOCS[name];
    if (!doc) throw new Error(`scripts/gen-docs.ts: CONFIG_DOCS has no entry for dcaas:${spec.key}`);
    return [
      code(`dcaas:${spec.key}`),
      spec.env.map(code).join(", "),
      spec.secret ? "yes (`--secret`)" : "",
      doc.default,
      doc.example,
      doc.meaning,
    ];
  });
  return table(["key", "environment (in order)", "secret", "default", "example", "meaning"], rows);
}

// ---------------------------------------------------------------------------------------------
// CLI usage texts

function usageOf(rel: string): string {
  const file = ts.createSourceFile(rel, read(rel), ts.ScriptTarget.Latest, true);
  for (const stmt of file.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (
        d.name.getText(file) === "USAGE" &&
        d.initializer &&
        ts.isNoSubstitutionTemplateLiteral(d.initializer)
      ) {
        return "```text\n" + d.initializer.text + "\n```";
      }
    }
  }
  throw new Error(`${rel} has no USAGE text`);
}

// ---------------------------------------------------------------------------------------------
// the emulator's /openapi.json

type Schema = Record<string, any>;

/** A compact type expression of a JSON schema: `{"status": string, "reason"?: string}`. */
function typeOf(s: Schema | undefined, depth = 0): string {
  if (!s) return "—";
  if (s.$ref) return String(s.$ref).split("/").pop()!;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  for (const k of ["oneOf", "anyOf"]) if (s[k]) return s[k].map((x: Schema) => typeOf(x, depth)).join(" | ");
  const type = Array.isArray(s.type) ? s.type.filter((t: string) => t !== "null")[0] : s.type;
  const nullable = Array.isArray(s.type) && s.type.includes("null") ? " | null" : "";
  if (type === "array") return `${s.items ? wrap(typeOf(s.items, depth)) : "any"}[]${nullable}`;
  if (type === "object" || s.properties) {
    const props = Object.entries<Schema>(s.properties ?? {});
    if (props.length === 0) return "object";
    if (depth >= 2) return "{…}";
    const req = new Set<string>(s.required ?? []);
    return `{${props.map(([k, v]) => `"${k}"${req.has(k) ? "" : "?"}: ${typeOf(v, depth + 1)}`).join(", ")}}`;
  }
  return `${type === "integer" ? "int" : (type ?? "any")}${nullable}`;
}
const wrap = (t: string) => (t.includes(" | ") ? `(${t})` : t);

function bodyOf(content: Schema | undefined): Schema | undefined {
  return content?.content?.["application/json"]?.schema;
}

/** Field descriptions of a request body, one line each, for the fields that have one. */
function fieldNotes(s: Schema | undefined, prefix = ""): string[] {
  if (!s) return [];
  if (s.type === "array" || s.items) return fieldNotes(s.items, `${prefix}[]`);
  const out: string[] = [];
  for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v.description) out.push(`${code(name)}: ${v.description}`);
    out.push(...fieldNotes(v.type === "array" ? v.items : v.properties ? v : undefined, name));
  }
  return out;
}

async function openApi(): Promise<Schema> {
  const emulator = await startEmulator({ port: 0, adminToken: "gen-docs" });
  try {
    const res = await fetch(`${emulator.url}/openapi.json`);
    if (!res.ok) throw new Error(`GET /openapi.json: ${res.status}`);
    return (await res.json()) as Schema;
  } finally {
    await emulator.close();
  }
}

function operations(doc: Schema, admin: boolean) {
  const ops: { method: string; path: string; op: Schema }[] = [];
  for (const [p, methods] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(methods)) {
      if ((op.tags ?? []).includes("emulator-admin") === admin)
        ops.push({ method: method.toUpperCase(), path: p, op });
    }
  }
  return ops;
}

function successOf(op: Schema): [string, Schema] {
  const [status, res] = Object.entries<Schema>(op.responses).find(([s]) => /^2/.test(s)) ?? ["", {}];
  return [status, res];
}

function adminRoutes(doc: Schema): string {
  const rows = operations(doc, true).map(({ method, path: p, op }) => {
    const [status, res] = successOf(op);
    const body = bodyOf(op.requestBody);
    const errors = Object.keys(op.responses).filter((s) => !/^2/.test(s));
    const notes = fieldNotes(body);
    const open = (op.security ?? []).length === 0 ? " (open)" : "";
    return [
      code(`${method} ${p}`) + open,
      op.summary ?? "",
      body ? code(typeOf(body)) + (op.requestBody.required ? "" : " (optional)") : "—",
      `${status} ${bodyOf(res) ? code(typeOf(bodyOf(res))) : "no body"}`,
      errors.join(", "),
      notes.join("; "),
    ];
  });
  return table(["route", "what it does", "body", "answer", "errors", "body fields"], rows);
}

function apiRoutes(doc: Schema): string {
  const schemas = new Set(Object.keys(doc.components.schemas));
  const link = (t: string) =>
    t.replace(/\b[A-Z]\w+\b/g, (n) => (schemas.has(n) ? `[${n}](#${n.toLowerCase()})` : n));
  const rows = operations(doc, false).map(({ method, path: p, op }) => {
    const [status, res] = successOf(op);
    const req = bodyOf(op.requestBody);
    const query = (op.parameters ?? []).filter((x: Schema) => x.in === "query").map((x: Schema) => x.name);
    return [
      code(`${method} ${p}`),
      op.operationId ? code(op.operationId) : "—",
      op.summary ?? "",
      req ? link(typeOf(req)) : "—",
      status ? `${status} ${bodyOf(res) ? link(typeOf(bodyOf(res))) : ""}`.trim() : "",
      query.map(code).join(", "),
    ];
  });
  return table(["route", "operation", "what it does", "request", "answer", "query"], rows);
}

function constraints(s: Schema): string {
  const c: string[] = [];
  if (s.format) c.push(s.format);
  if (s.minimum !== undefined || s.maximum !== undefined) c.push(`${s.minimum ?? ""}..${s.maximum ?? ""}`);
  if (s.minLength !== undefined || s.maxLength !== undefined)
    c.push(`length ${s.minLength ?? 0}..${s.maxLength ?? ""}`);
  if (s.maxItems !== undefined) c.push(`at most ${s.maxItems} items`);
  if (s.pattern && !s.format) c.push(code(s.pattern));
  return c.join(", ");
}

function apiSchemas(doc: Schema): string {
  const out: string[] = [];
  for (const [name, s] of Object.entries<Schema>(doc.components.schemas)) {
    out.push(`### ${name}`, "");
    if (s.description) out.push(s.description, "");
    const req = new Set<string>(s.required ?? []);
    const rows = Object.entries<Schema>(s.properties ?? {}).map(([k, v]) => [
      code(k),
      code(typeOf(v, 1)),
      req.has(k) ? "required" : "",
      constraints(v),
      v.description ?? "",
    ]);
    out.push(
      rows.length ? table(["field", "type", "", "constraints", "description"], rows) : code(typeOf(s)),
      "",
    );
  }
  return out.join("\n").trimEnd();
}

function securitySchemes(doc: Schema): string {
  const rows = Object.entries<Schema>(doc.components.securitySchemes).map(([name, s]) => [
    code(name),
    `${s.in} ${code(s.name)}`,
    s.description ?? "",
  ]);
  return table(["scheme", "where", "description"], rows);
}

// ---------------------------------------------------------------------------------------------

/** The generated regions, by page and region name. */
async function regions(): Promise<Record<string, Record<string, string>>> {
  const doc = await openApi();
  return {
    "docs/resources/hosted-vif.md": {
      arguments: argumentsTable("provider/hostedVifFields.ts", "HOSTED_VIF", HOSTED_VIF),
      outputs: outputsTable("provider/hostedVifFields.ts", "HOSTED_VIF", HOSTED_VIF),
    },
    "docs/resources/vif-peer.md": {
      arguments: argumentsTable("provider/vifPeerFields.ts", "VIF_PEER", VIF_PEER),
      outputs: outputsTable("provider/vifPeerFields.ts", "VIF_PEER", VIF_PEER),
    },
    "docs/installation-configuration.md": { "config-keys": configTable() },
    "docs/emulator/index.md": { usage: usageOf("emulator/cli.ts") },
    "docs/guides/ci-and-drift.md": { usage: usageOf("cli/dcaas.ts") },
    "docs/emulator/admin-api.md": { routes: adminRoutes(doc) },
    "docs/emulator/api-reference.md": {
      title: `${doc.info.title} (OpenAPI ${doc.openapi}, ${doc.info.version}). ${doc.info.description}`,
      security: securitySchemes(doc),
      routes: apiRoutes(doc),
      schemas: apiSchemas(doc),
    },
  };
}

/** A page with each generated region replaced; throws when a region's markers are missing. */
export function fill(page: string, text: string, parts: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(parts)) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out))
      throw new Error(`${page}: no <!-- generated:${name} --> ... <!-- /generated:${name} --> region`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}${body}\n${close}`);
  }
  return out;
}

/** Every generated page: its path, its text on disk and the text the sources give. */
export async function generatedPages(): Promise<{ page: string; current: string; expected: string }[]> {
  const out = [];
  for (const [page, parts] of Object.entries(await regions())) {
    const current = read(page);
    out.push({ page, current, expected: fill(page, current, parts) });
  }
  return out;
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const { page, current, expected } of await generatedPages()) {
    if (current === expected) continue;
    stale.push(page);
    if (!check) fs.writeFileSync(path.join(repo, page), expected);
  }
  if (check && stale.length) {
    process.stderr.write(`stale generated docs: ${stale.join(", ")}; run: npx ts-node scripts/gen-docs.ts\n`);
    return 1;
  }
  process.stdout.write(stale.length ? `updated ${stale.join(", ")}\n` : "docs are up to date\n");
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`gen-docs: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
