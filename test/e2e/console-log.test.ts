// The console's request log in a real headless browser (Debian's chromium, driven by playwright-core,
// as in console.test.ts), after hundreds of requests: the page stays short with the objects on the
// first screen (the log shows the newest page of requests in its own scrolling region), the log
// filters by method, route, status and object id, "Show older" pages back, the log collapses (and
// stays collapsed after a reload), a request made after the page loaded shows up without a reload
// (through an active filter), and at phone width no table makes the page scroll sideways.
// Screenshots go to $DCAAS_TEST_OUTPUT (default .dcaas/test-output) under console-log/.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { ADMIN, Client, createActiveVif } from "../emulator/helpers";

const repo = path.resolve(__dirname, "../..");
const BGP_KEY = "console-log-bgp-key-5e1f0a";
const VIF_ROUTE = "/v3/{project_id}/dcaas/virtual-interfaces/{virtual_interface_id}";
const VIFS_ROUTE = "/v3/{project_id}/dcaas/virtual-interfaces";
const outDir = path.join(
  process.env.DCAAS_TEST_OUTPUT ?? path.join(repo, ".dcaas/test-output"),
  "console-log",
);

/** Polls `check` until it holds; fails with `what` after 60 s (a bound, not a timing assertion). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`never true: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Debian's chromium, installed by scripts/ensure-chromium.sh when missing; throws with the reason. */
function chromiumPath(): string {
  try {
    return execFileSync("bash", [path.join(repo, "scripts/ensure-chromium.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 900_000,
    }).trim();
  } catch (err: any) {
    const why = String(err.stderr ?? err.message)
      .trim()
      .split("\n")
      .pop();
    throw new Error(`the console test needs Debian's chromium and could not get it: ${why}`);
  }
}

/** One row of the request log table as the page shows it. */
interface Row {
  method: string;
  path: string;
  status: string;
  route: string;
  requestId: string;
  text: string;
}

describe("e2e console: the request log stays bounded, filterable and live after hundreds of requests", function () {
  this.timeout(600_000);
  let emu: RunningEmulator;
  let c: Client;
  let browser: Browser | undefined;
  let ctx: BrowserContext;
  let page: Page;
  let tmp: string;
  /** Every body the page received from the emulator, for the secret check. */
  const received: string[] = [];
  let vifA: string;
  let vifB: string;
  let deleted: string;
  const counts = { get: 0, notFound: 0, post: 0, put: 0, del: 0 };

  /** The log entries the emulator kept, newest first (the admin route is not itself logged). */
  const logged = async (): Promise<any[]> => {
    const r = await c.admin("GET", "/requests");
    return [...r.body.requests].reverse();
  };
  const rows = (): Promise<Row[]> =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll("#requests tbody tr")).map((tr) => {
        const cells = Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "");
        return {
          method: cells[1],
          path: cells[2],
          status: cells[3],
          route: tr.getAttribute("data-route") ?? "",
          requestId: cells[6],
          text: tr.textContent ?? "",
        };
      }),
    );
  /** Waits until the table shows what `ok` wants (the page follows a filter within a poll or two). */
  const rowsUntil = async (ok: (r: Row[]) => boolean, what: string): Promise<Row[]> => {
    let last: Row[] = [];
    await until(async () => ok((last = await rows())), what).catch((err) => {
      throw new Error(`${err.message}; rows shown: ${JSON.stringify(last.slice(0, 5))} (${last.length})`);
    });
    return last;
  };
  const shot = (name: string) => page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: false });
  const clearFilters = async () => {
    await page.getByLabel("Filter by method").selectOption("");
    await page.getByLabel("Filter by route").selectOption("");
    await page.getByLabel("Filter by status").fill("");
    await page.getByLabel("Filter by object id").fill("");
  };

  before(async () => {
    const executablePath = chromiumPath();
    fs.mkdirSync(outDir, { recursive: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-console-log-"));
    emu = await startEmulator({
      port: 0,
      adminToken: ADMIN,
      dbPath: path.join(tmp, "emulator.db"),
      delays: { vifCreate: 0, vifDelete: 0, peerCreate: 0, peerDelete: 0 },
    });
    c = new Client(emu.url);
    // Three interfaces (one BGP with a key), one of them deleted again; then hundreds of reads.
    vifA = (await createActiveVif(c, { name: "log-a" })).id;
    vifB = (await createActiveVif(c, { name: "log-b", route_mode: "bgp", bgp_asn: 65010, bgp_md5: BGP_KEY }))
      .id;
    deleted = (await createActiveVif(c, { name: "log-gone" })).id;
    const put = await c.req("PUT", `/virtual-interfaces/${vifA}`, { virtual_interface: { name: "log-a2" } });
    assert.equal(put.status, 200, put.text);
    assert.equal((await c.req("DELETE", `/virtual-interfaces/${deleted}`)).status, 204);
    for (let i = 0; i < 400; i++) {
      const which = i % 4;
      const r =
        which === 0
          ? await c.req("GET", "/virtual-interfaces")
          : which === 1
            ? await c.req("GET", `/virtual-interfaces/${vifA}`)
            : which === 2
              ? await c.req("GET", `/virtual-interfaces/${vifB}`)
              : await c.req("GET", "/direct-connects");
      assert.equal(r.status, 200, r.text);
    }
    for (let i = 0; i < 12; i++) {
      assert.equal((await c.req("GET", `/virtual-interfaces/${deleted}`)).status, 404);
    }
    const log = await logged();
    for (const e of log) {
      if (e.status === 404) counts.notFound++;
      else if (e.method === "GET") counts.get++;
      else if (e.method === "POST") counts.post++;
      else if (e.method === "PUT") counts.put++;
      else if (e.method === "DELETE") counts.del++;
    }
    assert.ok(log.length > 400, `only ${log.length} requests logged`);
    assert.deepEqual([counts.notFound, counts.put, counts.del], [12, 1, 1]);

    browser = await chromium.launch({ executablePath, headless: true });
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    ctx.setDefaultTimeout(30_000);
    page = await ctx.newPage();
    page.on("response", async (r) => {
      if (r.url().startsWith(emu.url)) received.push(await r.text().catch(() => ""));
    });
    await page.goto(`${emu.url}/_emulator/console`);
    await page.getByLabel("Admin token").fill(ADMIN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#live", { hasText: "live" }).waitFor();
    await page.locator('#interfaces tr.vif[data-name="log-a2"]').waitFor();
    await page.locator("#requests tbody tr").first().waitFor();
  });

  after(async () => {
    await browser?.close();
    await emu?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("stays short at 1280x800: objects on the first screen, the newest page of the log in its own region", async () => {
    await shot("bounded");
    const m = await page.evaluate(() => {
      const iface = document.querySelector("#interfaces")!.getBoundingClientRect();
      const firstVif = document.querySelector("#interfaces tr.vif")!.getBoundingClientRect();
      return {
        height: document.documentElement.scrollHeight,
        inner: window.innerHeight,
        ifaceTop: iface.top + window.scrollY,
        firstVifBottom: firstVif.bottom + window.scrollY,
        logRows: document.querySelectorAll("#requests tbody tr").length,
      };
    });
    assert.ok(m.height < 3000, `the page is ${m.height} px tall (bound 3000) with ${m.logRows} log rows`);
    assert.ok(
      m.ifaceTop < m.inner && m.firstVifBottom < m.inner,
      `objects off the first screen: ${JSON.stringify(m)}`,
    );
    assert.ok(m.logRows > 0 && m.logRows <= 50, `${m.logRows} log rows shown by default`);
    // The newest requests, newest first.
    const log = await logged();
    const shown = await rows();
    assert.deepEqual(
      shown.map((r) => r.requestId),
      log.slice(0, shown.length).map((e) => e.request_id),
    );
    assert.match(
      (await page.locator("#log-summary").textContent()) ?? "",
      new RegExp(`${shown.length} newest of ${log.length}`),
    );
  });

  it("filters by method, route, status and object id", async () => {
    await page.getByLabel("Filter by method").selectOption("DELETE");
    let r = await rowsUntil(
      (x) => x.length === counts.del && x.every((y) => y.method === "DELETE"),
      "DELETE rows",
    );
    assert.ok(r[0].path.endsWith(`/virtual-interfaces/${deleted}`), r[0].path);
    await page.getByLabel("Filter by method").selectOption("PUT");
    r = await rowsUntil((x) => x.length === counts.put && x.every((y) => y.method === "PUT"), "PUT rows");
    assert.ok(r[0].path.endsWith(`/virtual-interfaces/${vifA}`));
    await page.getByLabel("Filter by method").selectOption("POST");
    r = await rowsUntil((x) => x.length === counts.post && x.every((y) => y.method === "POST"), "POST rows");
    await page.getByLabel("Filter by method").selectOption("");

    await page.getByLabel("Filter by status").fill("404");
    r = await rowsUntil(
      (x) => x.length === counts.notFound && x.every((y) => y.status === "404"),
      "404 rows",
    );
    assert.ok(r.every((y) => y.path.includes(deleted) && y.route === VIF_ROUTE));
    await page.getByLabel("Filter by status").fill("4xx");
    await rowsUntil((x) => x.length === counts.notFound && x.every((y) => y.status === "404"), "4xx rows");
    await page.getByLabel("Filter by status").fill("");

    await page.getByLabel("Filter by route").selectOption(VIFS_ROUTE);
    r = await rowsUntil((x) => x.length > 0 && x.every((y) => y.route === VIFS_ROUTE), "list route rows");
    assert.ok(r.every((y) => y.method === "GET" || y.method === "POST"));
    await page.getByLabel("Filter by route").selectOption("");

    // Object id: every request about the deleted interface (its create, its GETs, its delete, the 404s).
    await page.getByLabel("Filter by object id").fill(deleted);
    const expected = (await logged()).filter(
      (e) =>
        e.path.includes(deleted) || e.created_id === deleted || Object.keys(e.seen ?? {}).includes(deleted),
    );
    assert.ok(expected.length >= 15 && expected.length <= 25, `${expected.length} entries of ${deleted}`);
    r = await rowsUntil(
      (x) => x.length === expected.length && x.every((y) => y.text.includes(deleted)),
      "rows of the deleted interface",
    );
    assert.deepEqual(
      r.map((y) => y.requestId),
      expected.map((e) => e.request_id),
    );
    const create = r.find((y) => y.method === "POST");
    assert.ok(
      create && create.route === VIFS_ROUTE,
      "the create of the interface (by its created id) is not shown",
    );
    // Filters combine: the object's 404s only.
    await page.getByLabel("Filter by status").fill("404");
    await rowsUntil(
      (x) => x.length === counts.notFound && x.every((y) => y.status === "404"),
      "404s of the object",
    );
    await page.getByLabel("Filter by method").selectOption("DELETE");
    await rowsUntil((x) => x.length === 0, "no DELETE answered 404");
    assert.match((await page.locator("#log-summary").textContent()) ?? "", /no request matches/i);
    await shot("filtered");
    await clearFilters();
    await rowsUntil((x) => x.length >= 25, "the unfiltered log again");
  });

  it('"Show older" reveals older requests, in order', async () => {
    const log = await logged();
    const first = await rowsUntil((x) => x.length > 0 && x.length < log.length, "a first page");
    const n = first.length;
    await page.getByRole("button", { name: /show .*older/i }).click();
    const more = await rowsUntil((x) => x.length > n, "older rows");
    assert.deepEqual(
      more.map((y) => y.requestId),
      log.slice(0, more.length).map((e) => e.request_id),
    );
    // The page itself is no taller than the bound: the rows scroll inside the log's region.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 3000, `the page is ${height} px tall after showing ${more.length} rows`);
    // Again until everything is shown; then the button is gone or disabled.
    for (let i = 0; i < 100; i++) {
      const b = page.getByRole("button", { name: /show .*older/i });
      if (!(await b.isVisible()) || (await b.isDisabled())) break;
      await b.click();
      await new Promise((res) => setTimeout(res, 100));
    }
    await rowsUntil((x) => x.length === log.length, "every logged request");
    await shot("older");
  });

  it("collapses the log, and remembers it after a reload", async () => {
    const toggle = page.getByRole("button", { name: "Request log" });
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    await page.locator("#requests").waitFor({ state: "hidden" });
    await page.getByLabel("Filter by method").waitFor({ state: "hidden" });
    await page.reload();
    await page.locator("#live", { hasText: "live" }).waitFor();
    assert.equal(
      await page.getByRole("button", { name: "Request log" }).getAttribute("aria-expanded"),
      "false",
    );
    assert.equal(await page.locator("#requests").isVisible(), false);
    await shot("collapsed");
    await page.getByRole("button", { name: "Request log" }).click();
    await page.locator("#requests tbody tr").first().waitFor();
    assert.equal(
      await page.getByRole("button", { name: "Request log" }).getAttribute("aria-expanded"),
      "true",
    );
  });

  it("shows a request made after the page loaded, without a reload, through an active filter", async () => {
    await page.evaluate(() => ((window as any).__noReload = true));
    const missing = "0f0f0f0f-live-update-0000-000000000000";
    await page.getByLabel("Filter by status").fill("404");
    await rowsUntil((x) => x.length > 0 && x.every((y) => y.status === "404"), "404 rows");
    assert.equal((await c.req("GET", `/virtual-interfaces/${missing}`)).status, 404);
    assert.equal((await c.req("GET", `/virtual-interfaces/${vifA}`)).status, 200);
    const r = await rowsUntil((x) => x[0]?.path.includes(missing), "the new 404 on top");
    assert.ok(
      r.every((y) => y.status === "404"),
      "a 200 passed the status filter",
    );
    await page.getByLabel("Filter by status").fill("");
    await rowsUntil((x) => x[0]?.path.endsWith(`/virtual-interfaces/${vifA}`), "the new 200 on top");
    assert.equal(await page.evaluate(() => (window as any).__noReload), true, "the page was reloaded");
  });

  it("at phone width (390 px) no table makes the page scroll sideways; wide tables scroll in their region", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator("#requests tbody tr").first().waitFor();
    await shot("phone");
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      body: document.body.scrollWidth,
      regions: Array.from(document.querySelectorAll<HTMLElement>("table")).map((t) => {
        const region = t.closest<HTMLElement>(".scroll");
        const rect = (region ?? t).getBoundingClientRect();
        return {
          id: t.id,
          inRegion: !!region && getComputedStyle(region).overflowX === "auto",
          left: Math.floor(rect.left),
          right: Math.ceil(rect.right),
          tableWidth: t.scrollWidth,
          regionWidth: region?.clientWidth ?? 0,
        };
      }),
    }));
    assert.ok(m.scroll <= m.inner && m.body <= m.inner, `the page scrolls sideways: ${JSON.stringify(m)}`);
    for (const r of m.regions) {
      assert.ok(r.inRegion, `table #${r.id} is not in a sideways-scrolling region`);
      assert.ok(
        r.left >= 0 && r.right <= m.inner,
        `table #${r.id}'s region is clipped: ${JSON.stringify(r)}`,
      );
    }
    // The log's table is wider than the phone and scrolls inside its region, which can be reached.
    const log = m.regions.find((r) => r.id === "requests")!;
    assert.ok(log.tableWidth > log.regionWidth, JSON.stringify(log));
    const scrolled = await page.evaluate(() => {
      const region = document.querySelector("#requests")!.closest<HTMLElement>(".scroll")!;
      region.scrollLeft = 10_000;
      return region.scrollLeft;
    });
    assert.ok(scrolled > 0, "the log's region does not scroll sideways");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("is accessible and never shows the BGP key", async () => {
    const a11y = await page.evaluate(() => ({
      unlabelled: Array.from(
        document.querySelectorAll<HTMLInputElement>("input:not([type=hidden]), select, textarea"),
      )
        .filter((x) => (x.labels?.length ?? 0) === 0 && !x.getAttribute("aria-label"))
        .map((x) => x.id || x.outerHTML),
      unnamed: Array.from(document.querySelectorAll("button"))
        .filter((b) => !(b.getAttribute("aria-label") || b.textContent?.trim()))
        .map((b) => b.outerHTML),
    }));
    assert.deepEqual(a11y, { unlabelled: [], unnamed: [] });
    assert.ok(received.length > 10, `only ${received.length} responses recorded`);
    assert.deepEqual(
      received.filter((t) => t.includes(BGP_KEY)).length,
      0,
      "the BGP key in a response to the page",
    );
    assert.ok(!(await page.content()).includes(BGP_KEY));
  });
});
