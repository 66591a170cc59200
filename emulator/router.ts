/**
 * A small route table: method + path template with named parameters (`{name}`). Templates are
 * matched segment by segment (literal segments exactly, parameters as one non-empty segment),
 * so no two routes can overlap the way regexes do.
 */

/** One matched route: its template, the handler and the path parameters. */
export interface RouteMatch<H> {
  template: string;
  handler: H;
  params: Record<string, string>;
}

interface Entry<H> {
  method: string;
  template: string;
  segments: string[];
  handler: H;
}

/** A route table of handlers of type H. */
export class Router<H> {
  private readonly entries: Entry<H>[] = [];

  /** Adds a route; throws if an equivalent template is already registered for the method. */
  add(method: string, template: string, handler: H): this {
    const segments = template.split("/").filter(Boolean);
    const shape = (s: string[]) => s.map((x) => (x.startsWith("{") ? "{}" : x)).join("/");
    if (this.entries.some((e) => e.method === method && shape(e.segments) === shape(segments))) {
      throw new Error(`duplicate route ${method} ${template}`);
    }
    this.entries.push({ method, template, segments, handler });
    return this;
  }

  /** Finds the route for a method and path (without query), or undefined. */
  match(method: string, path: string): RouteMatch<H> | undefined {
    const parts = path.split("/").filter(Boolean);
    let fallback: RouteMatch<H> | undefined;
    for (const e of this.entries) {
      if (e.method !== method || e.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literalHits = 0;
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = e.segments[i];
        if (seg.startsWith("{")) {
          let value: string;
          try {
            value = decodeURIComponent(parts[i]);
          } catch {
            ok = false;
            break;
          }
          params[seg.slice(1, -1)] = value;
        } else if (seg === parts[i]) {
          literalHits++;
        } else {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const m = { template: e.template, handler: e.handler, params };
      // A literal segment beats a parameter in the same position (e.g. /x/health vs /x/{id}).
      if (literalHits === e.segments.filter((s) => !s.startsWith("{")).length) {
        if (!fallback || literalHits > countLiterals(fallback.template)) fallback = m;
      }
    }
    return fallback;
  }

  /** Every registered route, for the OpenAPI document and the docs. */
  routes(): { method: string; template: string; handler: H }[] {
    return this.entries.map(({ method, template, handler }) => ({ method, template, handler }));
  }
}

function countLiterals(template: string): number {
  return template.split("/").filter((s) => s && !s.startsWith("{")).length;
}
