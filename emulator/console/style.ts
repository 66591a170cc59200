/**
 * The console's style sheet: system fonts only (it works offline), two columns from 1100 px wide,
 * one column below, tables that scroll sideways inside their section on a narrow window (with a
 * shadow at an edge that hides columns), and bounded heights: the object tables scroll within
 * most of a screen, the request log within a few dozen rows, so the page stays short whatever the
 * log holds and the objects come first.
 */

/** The CSS served at /_emulator/console/console.css. */
export const CONSOLE_CSS = `
:root {
  --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --accent: #0a58ca; --ok: #116329; --ok-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff1c2;
  --bad: #a40e26; --bad-bg: #ffe2e0; --focus: #0a58ca;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; color: var(--fg); background: var(--bg);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; line-height: 1.4;
}
code, pre, textarea, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86rem; }
h1 { font-size: 1.3rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 1rem 0 0.4rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: 0.4rem; z-index: 2; }
.skip:focus { left: 0.5rem; }
.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1.2rem;
  padding: 0.6rem 1rem; border-bottom: 1px solid var(--line); background: var(--panel);
}
.top .meta { margin: 0; color: var(--muted); }
.project-pick { display: flex; align-items: center; gap: 0.4rem; min-width: 0; max-width: 100%; }
.project-pick label { margin: 0; }
#project { min-width: 0; max-width: 100%; }
.signout { margin-left: auto; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 1.2rem; padding: 0 1rem 1rem; }
@media (min-width: 1100px) {
  .layout { grid-template-columns: minmax(0, 1fr) 370px; }
  #actions { border-left: 1px solid var(--line); padding-left: 1rem; }
}
.pair { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 1.2rem; }
@media (min-width: 1500px) { .pair { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.scroll {
  overflow: auto; max-height: max(20rem, 75vh); border: 1px solid var(--line); border-radius: 4px;
  /* Scroll shadows: a shade at the left or right edge while columns are hidden there. */
  background:
    linear-gradient(to right, var(--bg) 30%, rgba(255, 255, 255, 0)) left / 1.5rem 100% no-repeat local,
    linear-gradient(to left, var(--bg) 30%, rgba(255, 255, 255, 0)) right / 1.5rem 100% no-repeat local,
    linear-gradient(to right, rgba(0, 0, 0, 0.22), rgba(0, 0, 0, 0)) left / 0.8rem 100% no-repeat scroll,
    linear-gradient(to left, rgba(0, 0, 0, 0.22), rgba(0, 0, 0, 0)) right / 0.8rem 100% no-repeat scroll;
  background-color: var(--bg);
}
.log-scroll { max-height: min(28rem, 60vh); }
.pager { display: flex; flex-wrap: wrap; gap: 0 0.6rem; }
h2 .disclosure {
  font: inherit; font-weight: inherit; color: inherit; background: none; border: none; padding: 0.1rem 0.2rem 0.1rem 0;
  margin: 0; cursor: pointer; display: inline-flex; align-items: center; gap: 0.4rem;
}
h2 .disclosure:hover { background: none; text-decoration: underline; }
h2 .disclosure::before {
  content: ""; display: inline-block; width: 0; height: 0; border-style: solid;
  border-width: 0.4rem 0.3rem 0 0.3rem; border-color: currentColor transparent transparent transparent;
}
h2 .disclosure[aria-expanded="false"]::before { border-width: 0.3rem 0 0.3rem 0.4rem; border-color: transparent transparent transparent currentColor; }
#log-body[hidden] { display: none; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; }
th, td { text-align: left; padding: 0.25rem 0.45rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--panel); position: sticky; top: 0; white-space: nowrap; }
tbody tr:last-child td { border-bottom: none; }
tr.peer td { background: #fbfcfd; }
tr.peer td:first-child { padding-left: 1.4rem; }
.id { display: block; color: var(--muted); font-size: 0.76rem; }
.nowrap { white-space: nowrap; }
td.path { word-break: break-all; min-width: 14rem; }
.badge { display: inline-block; padding: 0 0.35rem; border-radius: 3px; font-weight: 600; font-size: 0.8rem; white-space: nowrap; }
.s-ok { color: var(--ok); background: var(--ok-bg); }
.s-wait { color: var(--warn); background: var(--warn-bg); }
.s-bad { color: var(--bad); background: var(--bad-bg); }
.s-none { color: var(--muted); background: var(--panel); }
.age, .detail { display: block; color: var(--muted); font-size: 0.76rem; }
.masked { letter-spacing: 0.1em; color: var(--muted); }
.empty, .hint, .summary { color: var(--muted); margin: 0.3rem 0; }
.hint { font-size: 0.85rem; }
.error { color: var(--bad); background: var(--bad-bg); padding: 0.4rem 0.6rem; border-radius: 4px; }
label { display: block; font-weight: 600; font-size: 0.85rem; margin: 0.3rem 0 0.1rem; }
input, select, button, textarea { font: inherit; font-size: 0.9rem; }
input, select, textarea { padding: 0.25rem 0.35rem; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--fg); max-width: 100%; }
textarea { width: 100%; resize: vertical; }
button {
  padding: 0.3rem 0.7rem; border: 1px solid #8c959f; border-radius: 4px; background: var(--panel);
  color: var(--fg); cursor: pointer; margin-top: 0.3rem;
}
button:hover { background: #eaeef2; }
button.danger { color: var(--bad); border-color: var(--bad); }
td button { margin: 0; padding: 0.1rem 0.5rem; font-size: 0.8rem; }
.row { display: flex; flex-wrap: wrap; align-items: end; gap: 0.2rem 0.5rem; margin: 0.4rem 0; }
.row label { margin: 0; flex-basis: 100%; }
.row input { flex: 1 1 8rem; }
#target { width: 100%; }
.filters { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; align-items: end; margin-bottom: 0.3rem; }
.filters label { margin-top: 0; }
.filters .check { display: flex; align-items: center; gap: 0.3rem; }
.filters .check label { display: inline; margin: 0; font-weight: normal; }
#f-route, #f-method, #f-object { max-width: min(22rem, 100%); }
.filters > div { min-width: 0; max-width: 100%; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0.6rem 0 0; padding: 0.3rem 0.6rem 0.6rem; }
legend { font-weight: 600; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 0.6rem; }
.grid2 input, .grid2 select, #fault-route { width: 100%; }
.rules { list-style: none; padding: 0; margin: 0.3rem 0; }
.rules li { display: flex; gap: 0.5rem; align-items: baseline; justify-content: space-between; border-bottom: 1px solid var(--line); padding: 0.2rem 0; font-size: 0.85rem; }
.rules li button { margin: 0; }
.result { font-weight: 600; margin: 0.3rem 0; }
.result.ok { color: var(--ok); }
.result.bad { color: var(--bad); }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 0.4rem; overflow: auto; max-height: 12rem; white-space: pre-wrap; word-break: break-all; }
#history { padding-left: 1.4rem; font-size: 0.78rem; }
#history li { margin: 0.2rem 0; word-break: break-all; }
tr.fault td { background: var(--bad-bg); }
body.signin main { max-width: 28rem; margin: 4rem auto; padding: 0 1rem; }
body.signin input { width: 100%; }
.banner { margin: 0.6rem 1rem 0; }
`;
