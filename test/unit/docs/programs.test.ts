// Every ```ts block of README.md, CONTRIBUTING.md, ARCHITECTURE.md, docs/ and the examples'
// READMEs is a complete program: it type-checks against the package's own sources ("pulumi-dcaas"
// is provider/index.ts, "pulumi-dcaas/emulator" emulator/index.ts), as a user's editor would.
import assert from "node:assert/strict";
import * as path from "node:path";
import * as ts from "typescript";
import { codeBlocks, pages, read, repo } from "./markdown";

interface Program {
  page: string;
  line: number;
  text: string;
}

/** The ```ts and ```typescript blocks of the pages. */
export function programs(): Program[] {
  return pages().flatMap((page) =>
    codeBlocks(read(page))
      .filter((b) => b.lang === "ts" || b.lang === "typescript")
      .map((b) => ({ page, line: b.line, text: b.text })),
  );
}

/** Type errors of each program, as "page:line: message" (the line in the page). */
export function compileErrors(list: Program[]): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(repo, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  assert.ok(parsed, "tsconfig.json parses");
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    noUnusedLocals: false,
    paths: {
      ...parsed.options.paths,
      "pulumi-dcaas": ["./provider/index.ts"],
      "pulumi-dcaas/emulator": ["./emulator/index.ts"],
    },
  };
  // Each block a module of its own beside the repository's sources (never written to disk).
  const files = new Map(list.map((p, i) => [path.join(repo, `.docs-program-${i}.ts`), p]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) => {
    const p = files.get(path.resolve(name));
    return p ? ts.createSourceFile(name, p.text, lang) : getSourceFile(name, lang, onError);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(path.resolve(name)) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors: string[] = [];
  for (const [name, p] of files) {
    const sf = program.getSourceFile(name)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
      errors.push(`${p.page}:${p.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  }
  return errors;
}

describe("docs: programs", function () {
  this.timeout(180_000);

  it("the README has a complete program", () => {
    const readme = programs().filter((p) => p.page === "README.md");
    assert.ok(readme.length >= 1, "a ```ts block in README.md");
    assert.match(readme[0].text, /from "pulumi-dcaas"/);
    assert.match(readme[0].text, /new HostedVif\(/);
  });

  it("every ```ts block compiles against the package's types, and a broken one is caught", () => {
    const list = programs();
    assert.ok(list.length >= 5, `${list.length} programs`);
    const broken: Program = {
      page: "broken.md",
      line: 10,
      text: 'import { HostedVif } from "pulumi-dcaas";\nnew HostedVif("x", { name: "x", vlan: "301" });\n',
    };
    // One compilation for all of them (type-checking @pulumi/pulumi once takes seconds).
    const errors = compileErrors([...list, broken]);
    const mine = errors.filter((e) => e.startsWith("broken.md:"));
    assert.ok(
      mine.some((e) => /^broken\.md:12: /.test(e)),
      errors.join("\n"),
    );
    assert.deepEqual(
      errors.filter((e) => !e.startsWith("broken.md:")),
      [],
    );
  });

  it("no program uses syntax newer than the TypeScript the Pulumi SDK bundles (3.8): no inline `type` in an import", () => {
    // A user's project compiles with the SDK's TypeScript, not this repository's: `import { X, type Y }`
    // (TypeScript 4.5) fails there with "',' expected" (a newcomer found it in examples/fleet).
    const inline = /import\s*\{[^}]*\btype\s+[A-Za-z_]/;
    const examples = ["examples/basic/index.ts", "examples/static/index.ts", "examples/fleet/index.ts"].map(
      (f) => ({ page: f, line: 0, text: read(f) }),
    );
    const bad = [...programs(), ...examples]
      .filter((p) => inline.test(p.text))
      .map((p) => `${p.page}:${p.line + 1}`);
    assert.deepEqual(bad, []);
  });
});
