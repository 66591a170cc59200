/**
 * The console's routes under /_emulator/console: the page (sign-in form or console), its script
 * and style, sign-in and sign-out, and the state document the page polls (an admin route: the
 * admin token header or a console session). Registered only when the admin API is enabled.
 */
import type { Backend } from "../backend";
import type { Faults } from "../faults";
import type { Router } from "../router";
import type { Ctx, Reply, RouteDef } from "../route";
import type { RequestLog } from "../server";
import { SECRET_NAME_RE } from "../../api/secrets";
import { consoleClient } from "./client";
import { CONSOLE_PATH, consolePage, signInPage } from "./page";
import { type ConsoleSessions, sameOrigin } from "./session";
import { type RequestFilter, StatusClock, consoleState } from "./state";
import { CONSOLE_CSS } from "./style";

/** What the console routes need. */
export interface ConsoleDeps {
  backend: Backend;
  faults: Faults;
  requestLog: RequestLog;
  sessions: ConsoleSessions;
  version: string;
}

/** Headers of every console page: no caching, no framing, nothing loaded from elsewhere. */
const PAGE_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the sign-in post.
  "Referrer-Policy": "same-origin",
};

let clientScript: string | undefined;

/** The page script: the compiled source of consoleClient, called once. */
export function consoleScript(): string {
  return (clientScript ??= `"use strict";\n(${consoleClient.toString()})(${JSON.stringify(SECRET_NAME_RE.source)});\n`);
}

function page(status: number, html: string, extra: Record<string, string> = {}): Reply {
  return { status, raw: html, headers: { ...PAGE_HEADERS, ...extra } };
}

function asset(contentType: string, text: string): Reply {
  return {
    status: 200,
    raw: text,
    headers: {
      "Content-Type": contentType,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  };
}

function formField(ctx: Ctx, name: string): string | undefined {
  const type = String(ctx.headers["content-type"] ?? "");
  if (!type.startsWith("application/x-www-form-urlencoded")) return undefined;
  return new URLSearchParams(ctx.body.toString("utf8")).get(name) ?? undefined;
}

/** Registers the console's routes. */
export function registerConsoleRoutes(router: Router<RouteDef>, deps: ConsoleDeps): void {
  const { sessions } = deps;
  const clock = new StatusClock();
  const open = (fn: RouteDef["fn"]): RouteDef => ({ kind: "open", fn });
  const cloudRoutes = () =>
    router
      .routes()
      .filter((r) => r.handler.kind === "cloud" || r.handler.kind === "iam")
      .map((r) => ({ method: r.method, template: r.template }));

  router.add(
    "GET",
    CONSOLE_PATH,
    open((ctx) => {
      const s = sessions.find(ctx.headers);
      if (!s) return page(200, signInPage({ version: deps.version }));
      return page(200, consolePage({ version: deps.version, csrf: s.csrf }));
    }),
  );

  router.add(
    "POST",
    `${CONSOLE_PATH}/session`,
    open((ctx) => {
      if (!sameOrigin(ctx.headers)) {
        return page(403, signInPage({ version: deps.version, error: "Cross-site sign-in refused." }));
      }
      const token = formField(ctx, "token");
      const s = token === undefined ? undefined : sessions.signIn(token);
      if (!s) {
        return page(
          401,
          signInPage({
            version: deps.version,
            error:
              token === undefined
                ? "Send the token as the form field token (application/x-www-form-urlencoded)."
                : "Wrong admin token.",
          }),
        );
      }
      // 303: the browser follows with a GET, so a reload does not post the token again.
      return page(303, "", { Location: CONSOLE_PATH, "Set-Cookie": sessions.cookieFor(s) });
    }),
  );

  router.add(
    "POST",
    `${CONSOLE_PATH}/signout`,
    open((ctx) => {
      const s = sessions.find(ctx.headers);
      if (s) {
        const csrf = formField(ctx, "csrf");
        sessions.assertWrite(s, csrf === undefined ? ctx.headers : { ...ctx.headers, "x-csrf-token": csrf });
        sessions.signOut(ctx.headers);
      }
      return page(303, "", { Location: CONSOLE_PATH, "Set-Cookie": sessions.clearCookie() });
    }),
  );

  router.add(
    "GET",
    `${CONSOLE_PATH}/console.js`,
    open(() => asset("text/javascript; charset=utf-8", consoleScript())),
  );
  router.add(
    "GET",
    `${CONSOLE_PATH}/console.css`,
    open(() => asset("text/css; charset=utf-8", CONSOLE_CSS)),
  );

  router.add("GET", `${CONSOLE_PATH}/state`, {
    kind: "admin",
    fn: (ctx) => {
      const filter: RequestFilter = {
        method: ctx.query.get("method")?.trim() || undefined,
        route: ctx.query.get("route") || undefined,
        status: ctx.query.get("status")?.trim() || undefined,
        faulted: ctx.query.get("faulted") === "1",
        object: ctx.query.get("object")?.trim() || undefined,
        limit: ctx.query.has("limit") ? Number(ctx.query.get("limit")) || undefined : undefined,
      };
      const body = consoleState(
        {
          backend: deps.backend,
          faults: deps.faults,
          requestLog: deps.requestLog,
          version: deps.version,
          routes: cloudRoutes,
          clock,
        },
        filter,
      );
      return { status: 200, body, headers: { "Cache-Control": "no-store" } };
    },
  });
}
