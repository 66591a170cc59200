// The repository's user-facing markdown pages and what the docs tests read in them: fenced code
// blocks, links outside code, and the anchors GitHub gives headings.
import * as fs from "node:fs";
import * as path from "node:path";

export const repo = path.resolve(__dirname, "../../..");

/** README.md, CONTRIBUTING.md, ARCHITECTURE.md, every page under docs/ and the examples' READMEs (repo-relative). */
export function pages(): string[] {
  const out = ["README.md", "CONTRIBUTING.md", "ARCHITECTURE.md"];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".md")) out.push(rel);
    }
  };
  walk("docs");
  for (const ex of fs.readdirSync(path.join(repo, "examples"))) {
    if (fs.existsSync(path.join(repo, "examples", ex, "README.md"))) out.push(`examples/${ex}/README.md`);
  }
  return out;
}

export const read = (rel: string) => fs.readFileSync(path.join(repo, rel), "utf8");

/** A fenced code block: its info string (`ts`, `sh`, ...), its text and the line it starts on (1-based). */
export interface Block {
  lang: string;
  text: string;
  line: number;
}

export function codeBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
    blocks.push({ lang: open[3], text: body.join("\n"), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The text outside fenced blocks and inline code spans (blanked, so line numbers stay). */
export function prose(md: string): string {
  return md
    .replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\s*\2\s*$/gm, (m) => m.replace(/[^\n]/g, " "))
    .replace(/`[^`\n]*`/g, (m) => " ".repeat(m.length));
}

/** Every link and image target in the prose, with its line. */
export function links(md: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  prose(md)
    .split("\n")
    .forEach((l, i) => {
      for (const m of l.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g))
        out.push({ target: m[1], line: i + 1 });
    });
  return out;
}

/** GitHub's anchor for a heading's text: inline markup dropped, lower case, punctuation removed, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*_]/g, (c) => (c === "_" ? "_" : ""))
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a page's headings give, duplicates numbered as GitHub does (`-1`, `-2`). */
export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = md.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\s*\2\s*$/gm, "");
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}
