// Every relative link in README.md, CONTRIBUTING.md, ARCHITECTURE.md, docs/ and the examples'
// READMEs points at a file of the repository, and every #anchor at a heading of its page.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { anchors, links, pages, read, repo } from "./markdown";

/** The broken links of one page, as "page:line: target (why)". */
export function brokenLinks(page: string, md = read(page)): string[] {
  const broken: string[] = [];
  for (const { target, line } of links(md)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
    const [file, anchor] = target.split("#", 2) as [string, string | undefined];
    const resolved = file === "" ? page : path.normalize(path.join(path.dirname(page), decodeURI(file)));
    const where = `${page}:${line}: ${target}`;
    if (resolved.startsWith("..")) {
      broken.push(`${where} (outside the repository)`);
    } else if (!fs.existsSync(path.join(repo, resolved))) {
      broken.push(`${where} (no file ${resolved})`);
    } else if (anchor !== undefined && resolved.endsWith(".md")) {
      const text = resolved === page ? md : read(resolved);
      if (!anchors(text).has(anchor)) broken.push(`${where} (no heading #${anchor} in ${resolved})`);
    }
  }
  return broken;
}

describe("docs: links", () => {
  it("every relative link and #anchor resolves", () => {
    const broken = pages().flatMap((p) => brokenLinks(p));
    assert.deepEqual(broken, []);
  });

  it("finds a link to a missing file and to a missing heading", () => {
    const md = "# Title\n\n[gone](docs/nowhere.md), [bad anchor](#no-such-heading), [ok](#title)\n";
    assert.deepEqual(
      brokenLinks("README.md", md).map((b) => b.replace(/ \(.*$/, "")),
      ["README.md:3: docs/nowhere.md", "README.md:3: #no-such-heading"],
    );
  });

  it("reads links in prose only, not in code", () => {
    const md = "```sh\n[x](missing.md)\n```\n`[y](missing.md)` and [z](README.md)\n";
    assert.deepEqual(
      links(md).map((l) => l.target),
      ["README.md"],
    );
  });
});
