/** Durations as the configuration and `timeouts` write them ("90s", "20m", "1h30m") and as messages print them. */

/** A parsed duration in milliseconds, from text such as "90s", "20m", "1h30m", "500ms" or "45" (seconds). */
export function parseDuration(text: string | number, what = "duration"): number {
  const prefix = what === "" ? "" : `${what}: `;
  if (typeof text === "number") {
    if (!Number.isFinite(text) || text < 0) throw new Error(`${prefix}${text} is not a valid duration`);
    return Math.round(text * 1000);
  }
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const n = Number(m[1]);
    total += m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n * 3_600_000;
    matched = re.lastIndex;
  }
  if (s === "" || matched !== s.length) {
    throw new Error(`${prefix}"${s}" is not a valid duration (use forms like "90s", "20m", "1h30m")`);
  }
  return Math.round(total);
}

/** "90s", "20m", "1h2m3s" rendering of a millisecond count. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s || (!h && !m) ? `${s}s` : ""}`;
}
