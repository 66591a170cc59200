// The emulator's console in a real headless browser (Debian's chromium, driven by playwright-core;
// scripts/ensure-chromium.sh installs it when missing, and the test fails, never skips, when it
// cannot): sign-in (a wrong token refused), a fleet `up` of two pairs through the real engine seen
// live on the page (PENDING_CREATE, then ACTIVE, without a reload), a rename from the page that
// `dcaas drift` reports, a 503 injected from the page and seen in the request log, and no BGP key
// in anything the page received. Screenshots go to $DCAAS_TEST_OUTPUT (default .dcaas/test-output)
// under console/, never into the repository.
import * as assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { type Browser, type Page, chromium } from "playwright-core";
import { FIXTURES, type RunningEmulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { fleetStack } from "../helpers/fleet";
import { packedProject } from "../helpers/project";
import { tearDownStack, type TempBackend, tempBackend } from "../helpers/pulumi";
import { depositSecrets, depositText, depositTree } from "../helpers/scan";

const execFileP = promisify(execFile);
const repo = path.resolve(__dirname, "../..");
const ADMIN = "console-admin-token-4be1";
const BGP_KEY = "console-bgp-key-c07e52";
const VIF_ROUTE = "/v3/{project_id}/dcaas/virtual-interfaces/{virtual_interface_id}";
const outDir = path.join(process.env.DCAAS_TEST_OUTPUT ?? path.join(repo, ".dcaas/test-output"), "console");

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

describe("e2e console: the emulator's page in a real browser during a fleet up", function () {
  this.timeout(900_000);
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;
  let backend: TempBackend;
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let project: string;
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);
  const emuLog: string[] = [];
  /** Every body the signed-in page received from the emulator, for the secret check. */
  const received: string[] = [];
  const ids: Record<string, string> = {};

  /** A browser context at 1280x800 with generous waits (the machine may be busy; nothing is timed). */
  const newContext = async () => {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    ctx.setDefaultTimeout(120_000);
    return ctx;
  };
  const pageWidth = () =>
    page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  const shot = async (name: string, p: Page = page) => {
    await p.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: false });
  };

  before(async () => {
    const executablePath = chromiumPath();
    fs.mkdirSync(outDir, { recursive: true });
    project = packedProject();
    emu = await startEmulator({
      port: 0,
      adminToken: ADMIN,
      // Long enough to see PENDING_CREATE on the page (it polls every 700 ms); no timing asserted.
      delays: { vifCreate: 4000, vifDelete: 200, peerCreate: 2000, peerDelete: 200 },
      log: (l) => emuLog.push(JSON.stringify(l)),
    });
    admin = new EmulatorAdmin(emu.url, ADMIN);
    depositSecrets("console", [BGP_KEY, ADMIN]);
    backend = tempBackend();
    stack = await fleetStack({
      project,
      backend,
      url: emu.url,
      prefix: "console",
      pairs: 2,
      bgpKey: BGP_KEY,
    });
    browser = await chromium.launch({ executablePath, headless: true });
  });

  after(async () => {
    try {
      if (page) {
        depositText("console", "page-html", await page.content().catch(() => ""));
        depositText("console", "page-responses", received.join("\n"));
      }
      await browser?.close();
      if (stack)
        await tearDownStack(stack, {
          before: () => admin.clearFaults(),
          destroy: (s) => s.destroy({ onOutput }),
          beforeRemove: () => depositTree("console", "state", `${backend.dir}/state`),
        });
    } finally {
      depositText("console", "engine-output", output.join(""));
      await emu?.close();
      depositText("console", "emulator-log", emuLog.join("\n"));
      backend?.cleanup();
    }
  });

  it("refuses a wrong token: 401, the form again, no cookie, no state", async () => {
    const ctx = await newContext();
    try {
      const p = await ctx.newPage();
      await p.goto(`${emu.url}/_emulator/console`);
      await p.getByLabel("Admin token").fill("not-the-admin-token");
      const [res] = await Promise.all([
        p.waitForResponse((r) => r.url().endsWith("/_emulator/console/session")),
        p.getByRole("button", { name: "Sign in" }).click(),
      ]);
      assert.equal(res.status(), 401);
      await p.getByRole("alert").filter({ hasText: "Wrong admin token" }).waitFor();
      assert.deepEqual(await ctx.cookies(), []);
      assert.ok(!p.url().includes("token"), `the token went into the URL: ${p.url()}`);
      const state = await p.evaluate(async () => (await fetch("/_emulator/console/state")).status);
      assert.equal(state, 401);
      await shot("wrong-token", p);
    } finally {
      await ctx.close();
    }
  });

  it("signs in; an up of two pairs turns PENDING_CREATE then ACTIVE on the page without a reload", async () => {
    const ctx = await newContext();
    page = await ctx.newPage();
    page.on("response", async (r) => {
      if (!r.url().startsWith(emu.url)) return;
      received.push(await r.text().catch(() => ""));
    });
    let navigations = 0;
    await page.goto(`${emu.url}/_emulator/console`);
    await page.getByLabel("Admin token").fill(ADMIN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Interfaces and peers" }).waitFor();
    const cookies = await ctx.cookies();
    assert.equal(cookies.length, 1);
    assert.equal(cookies[0].httpOnly, true);
    assert.equal(cookies[0].sameSite, "Strict");
    assert.notEqual(cookies[0].value, ADMIN);
    assert.ok(!page.url().includes(ADMIN), "the token went into the URL");
    await page.locator("#live", { hasText: "live" }).waitFor();

    // Record every status each interface row shows, from inside the page, and mark the document:
    // a reload would lose both.
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    await page.evaluate(() => {
      const w = window as any;
      w.__consoleTest = { seen: {} as Record<string, string[]> };
      const record = () => {
        for (const tr of Array.from(document.querySelectorAll("#interfaces tr.vif"))) {
          const name = tr.getAttribute("data-name")!;
          const status = tr.querySelector("[data-status]")?.getAttribute("data-status") ?? "";
          const list = (w.__consoleTest.seen[name] ??= []);
          if (list[list.length - 1] !== status) list.push(status);
        }
      };
      new MutationObserver(record).observe(document.querySelector("#interfaces tbody")!, {
        childList: true,
        subtree: true,
      });
      record();
    });

    const up = stack!.up({ onOutput });
    // The screenshot of the README: the page while the up runs, interfaces still PENDING_CREATE.
    const pendingShown = page
      .locator('#interfaces tr.vif [data-status="PENDING_CREATE"]')
      .first()
      .waitFor({ timeout: 600_000 });
    pendingShown.catch(() => {});
    if (
      await Promise.race([
        pendingShown.then(
          () => true,
          () => false,
        ),
        up.then(() => false),
      ])
    )
      await shot("during-up");
    const result = await up;
    assert.equal(result.summary.result, "succeeded");
    for (const name of ["pair-1", "pair-2"]) {
      await page.locator(`#interfaces tr.vif[data-name="${name}"] [data-status="ACTIVE"]`).waitFor();
    }
    await shot("after-up");

    const seen = await page.evaluate(() => (window as any).__consoleTest?.seen);
    assert.ok(seen, "the page was reloaded (the test's marker is gone)");
    assert.equal(navigations, 0, "the page navigated");
    for (const name of ["pair-1", "pair-2"]) {
      const statuses: string[] = seen[name] ?? [];
      const pending = statuses.indexOf("PENDING_CREATE");
      assert.ok(
        pending >= 0 && statuses.indexOf("ACTIVE", pending) > pending,
        `${name}: statuses shown ${JSON.stringify(statuses)}, expected PENDING_CREATE then ACTIVE`,
      );
    }
    // Each interface shows its IPv4 peer and the program's IPv6 peer, and the masked key.
    for (const v of await admin.interfaces(FIXTURES.projectId)) {
      ids[v.name] = v.id;
      for (const p of v.vif_peers) {
        await page.locator(`#interfaces tr.peer[data-id="${p.id}"]`).waitFor();
      }
    }
    assert.equal(await page.locator("#interfaces tr.peer").count(), 4);
    assert.equal(await page.locator('#interfaces tr.vif .masked[aria-label="set (hidden)"]').count(), 2);
    assert.ok(!(await page.content()).includes(BGP_KEY), "the BGP key is in the page's HTML");
  });

  it("renames an interface from the page, shows a copyable admin request, and dcaas drift reports it", async () => {
    // With the keyboard: Enter on the row's Select button moves focus to the action target, and
    // Enter in the name field submits the rename.
    await page.getByRole("button", { name: "Select interface pair-1 for actions" }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "target");
    assert.equal(await page.getByLabel("Object", { exact: true }).inputValue(), ids["pair-1"]);
    await page.getByLabel("New name").fill("renamed-in-console");
    await page.getByLabel("New name").press("Enter");
    await page.locator("#last-result", { hasText: "→ 200" }).waitFor();
    const curl = await page.getByLabel("The admin request, as a curl command").inputValue();
    assert.match(curl, new RegExp(`/_emulator/virtual-interfaces/${ids["pair-1"]}/rename`));
    assert.match(curl, /X-Emulator-Admin-Token: \$DCAAS_EMULATOR_ADMIN_TOKEN/);
    assert.match(curl, /"name":"renamed-in-console"/);
    assert.ok(!curl.includes(ADMIN), "the admin token is in the shown request");
    await page.locator('#interfaces tr.vif[data-name="renamed-in-console"]').waitFor();
    assert.ok(!(await page.content()).includes(BGP_KEY), "the BGP key is in the page's HTML");
    await shot("renamed");

    // The shown request works as copied (run as is by a shell, with the token in the environment).
    const copied = await execFileP("bash", ["-c", `${curl} -o /dev/null -w '%{http_code}'`], {
      env: { ...process.env, DCAAS_EMULATOR_ADMIN_TOKEN: ADMIN },
    });
    assert.equal(copied.stdout, "200");

    const bin = path.join(project, "node_modules/.bin/dcaas");
    const envVars = { ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    let code = 0;
    let stdout = "";
    try {
      stdout = (
        await execFileP(bin, ["drift", project, "--stack", stack!.name, "--json"], {
          env: { ...process.env, ...envVars },
        })
      ).stdout;
    } catch (err: any) {
      code = err.code;
      stdout = err.stdout ?? "";
      output.push(stdout, err.stderr ?? "");
    }
    assert.equal(code, 1, `dcaas drift exit code (output: ${stdout})`);
    const report = JSON.parse(stdout);
    assert.equal(report.resources.length, 1);
    assert.match(report.resources[0].urn, /::pair-1$/);
    assert.deepEqual(report.resources[0].fields, [
      { field: "name", expected: "pair-1", live: "renamed-in-console" },
    ]);
  });

  it("injects a 503 from the page and sees it, with its fault, in the request log", async () => {
    await page.getByLabel("Method", { exact: true }).selectOption("GET");
    await page.getByLabel("Route", { exact: true }).selectOption(VIF_ROUTE);
    await page.getByLabel("Kind").selectOption("error");
    await page.getByLabel("HTTP status").fill("503");
    await page.getByLabel("Times").fill("1");
    await page.getByRole("button", { name: "Add fault" }).click();
    await page.locator("#last-result", { hasText: "→ 201" }).waitFor();
    assert.match(
      await page.getByLabel("The admin request, as a curl command").inputValue(),
      /"kind":"error".*"status":503/,
    );
    await page.locator("#faults li", { hasText: `GET ${VIF_ROUTE}` }).waitFor();
    const rules = (await admin.faultsList()).rules;
    assert.equal(rules.length, 1);
    assert.deepEqual([rules[0].method, rules[0].route, rules[0].status], ["GET", VIF_ROUTE, 503]);

    // The provider's next read of an interface gets the 503 (and retries).
    const refresh = await stack!.refresh({ onOutput });
    assert.equal(refresh.summary.result, "succeeded");

    await page.getByLabel("Filter by status").fill("503");
    const row = page.locator('#requests tbody tr[data-status="503"]').first();
    await row.waitFor();
    assert.equal(await row.getAttribute("data-route"), VIF_ROUTE);
    assert.match((await row.textContent()) ?? "", new RegExp(`#${rules[0].id} error 503 DC.0003`));
    // Only that row passes the filter (polled: the table follows the filter within a poll or two).
    await until(
      async () => (await page.locator("#requests tbody tr").count()) === 1,
      "the 503 row alone in the filtered log",
    );
    await page.locator("#faults-empty", { hasText: "None." }).waitFor();
    await shot("fault-in-log");

    await page.getByLabel("Filter by status").fill("");
    await page.setViewportSize({ width: 420, height: 900 });
    await page.locator("#requests tbody tr:not([data-status='503'])").first().waitFor();
    await shot("narrow");
    // Narrow, the page itself does not scroll sideways (wide tables scroll inside their region).
    assert.deepEqual(await pageWidth(), { scroll: 420, inner: 420 });
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.deepEqual(await pageWidth(), { scroll: 1280, inner: 1280 });
  });

  it("is accessible: one h1, section headings, every control labelled, every button named", async () => {
    const a11y = await page.evaluate(() => {
      const controls = Array.from(
        document.querySelectorAll<HTMLInputElement>("input:not([type=hidden]), select, textarea"),
      );
      return {
        h1: document.querySelectorAll("h1").length,
        h2: Array.from(document.querySelectorAll("h2")).map((h) => h.textContent),
        unlabelled: controls
          .filter((c) => (c.labels?.length ?? 0) === 0 && !c.getAttribute("aria-label"))
          .map((c) => c.id || c.outerHTML),
        unnamed: Array.from(document.querySelectorAll("button"))
          .filter((b) => !(b.getAttribute("aria-label") || b.textContent?.trim()))
          .map((b) => b.outerHTML),
        tables: Array.from(document.querySelectorAll("table")).filter(
          (t) => !t.querySelector("thead th[scope=col]"),
        ).length,
      };
    });
    assert.equal(a11y.h1, 1);
    assert.deepEqual(a11y.h2, [
      "Interfaces and peers",
      "Hosted connections",
      "Gateways",
      "Request log",
      "Actions",
    ]);
    assert.deepEqual(a11y.unlabelled, []);
    assert.deepEqual(a11y.unnamed, []);
    assert.equal(a11y.tables, 0, "a table without column headers");
    // In a fresh tab of the same session, the skip link is the keyboard's first stop and leads to
    // the actions.
    const tab = await page.context().newPage();
    try {
      await tab.goto(`${emu.url}/_emulator/console`);
      await tab.locator("#live", { hasText: "live" }).waitFor();
      await tab.keyboard.press("Tab");
      assert.equal(await tab.evaluate(() => document.activeElement?.textContent), "Skip to actions");
      await tab.keyboard.press("Enter");
      assert.equal(await tab.evaluate(() => location.hash), "#actions");
    } finally {
      await tab.close();
    }
  });

  it("never sent a BGP key to the page", async () => {
    assert.ok(received.length > 10, `only ${received.length} responses recorded`);
    const leaks = received.filter((t) => t.includes(BGP_KEY));
    assert.deepEqual(leaks.length, 0, `a BGP key in ${leaks.length} response(s) to the page`);
    assert.ok(!(await page.content()).includes(BGP_KEY));
    // The engine itself did send the key to the emulator: the check above can fail.
    const live = await admin.request("GET", "/inventory");
    assert.ok(live.text.includes(BGP_KEY), "the fleet's interfaces carry no BGP key at all");
  });
});
