// The architecture ARCHITECTURE.md describes, held by the source: the import graph of api/,
// provider/, emulator/ and cli/ has no circle; provider, emulator and cli import api (or nothing of
// ours), never each other; no resource file imports another; one UUID pattern, one unknown
// sentinel.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const repo = path.resolve(__dirname, "../../..");
const LAYERS = ["api", "provider", "emulator", "cli"];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith(".ts") ? [rel] : [];
  });
}

/** Each source file and the source files of ours it imports (type-only imports included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of LAYERS.flatMap(sources)) {
    const text = fs.readFileSync(path.join(repo, file), "utf8");
    const targets: string[] = [];
    for (const m of text.matchAll(/(?:from|require\(|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const base = path.join(path.dirname(file), m[1]);
      const target = [`${base}.ts`, path.join(base, "index.ts")].find((t) =>
        fs.existsSync(path.join(repo, t)),
      );
      if (target) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

describe("architecture: the import graph", () => {
  const graph = importGraph();

  it("reads a graph of real size (the import pattern matches)", () => {
    assert.ok(graph.size > 60, `only ${graph.size} files`);
    const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
    assert.ok(edges > 150, `only ${edges} imports found`);
  });

  it("has no import circle", () => {
    const state = new Map<string, "open" | "done">();
    const circles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        circles.push([...trail.slice(trail.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, "done");
    };
    for (const f of graph.keys()) visit(f, []);
    assert.deepEqual(circles, []);
  });

  it("points one way: provider, emulator and cli import api, never each other; api imports none of them", () => {
    const wrong: string[] = [];
    for (const [f, targets] of graph) {
      const from = f.split(path.sep)[0];
      for (const t of targets) {
        const to = t.split(path.sep)[0];
        if (from !== to && to !== "api") wrong.push(`${f} imports ${t}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("no resource file imports another; the lifecycle imports no resource", () => {
    const resources = ["provider/hostedVif.ts", "provider/vifPeer.ts"];
    const tables = ["provider/hostedVifFields.ts", "provider/vifPeerFields.ts"];
    for (const r of resources) {
      const others = [...resources, ...tables].filter((x) => x !== r && x !== r.replace(".ts", "Fields.ts"));
      assert.deepEqual(
        graph.get(r)!.filter((t) => others.includes(t)),
        [],
        `${r} imports another resource`,
      );
    }
    assert.deepEqual(
      graph.get("provider/lifecycle.ts")!.filter((t) => [...resources, ...tables].includes(t)),
      [],
    );
  });

  it("writes the UUID pattern and Pulumi's unknown sentinel once", () => {
    const uuid = /\[0-9a-f(?:A-F)?\]\{8\}-/;
    const sentinel = /04da6b54-80e4-46f7-96ec-b56ff0331ba9/;
    const where = (re: RegExp) =>
      [...graph.keys()].filter((f) => re.test(fs.readFileSync(path.join(repo, f), "utf8")));
    assert.deepEqual(where(uuid), ["api/schemas.ts"]);
    assert.deepEqual(where(sentinel), ["api/rules.ts"]);
  });
});
