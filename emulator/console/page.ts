/**
 * The console's two HTML pages: the sign-in form and the console itself. Both are static markup
 * (the script fills the tables); the only per-session value is the CSRF token, and nothing of the
 * emulator's state is rendered on the server.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The URL path of the console page. */
export const CONSOLE_PATH = "/_emulator/console";

function head(title: string, extra = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${CONSOLE_PATH}/console.css">
${extra}</head>`;
}

/** The sign-in page; `error` is shown above the form (after a wrong token). */
export function signInPage(opts: { version: string; error?: string }): string {
  const error = opts.error
    ? `<p class="error" role="alert" id="signin-error">${escapeHtml(opts.error)}</p>`
    : "";
  return `${head("Sign in · dcaas-emulator console")}
<body class="signin">
<main>
<h1>dcaas-emulator console</h1>
<p>Version ${escapeHtml(opts.version)}. Sign in with the emulator's admin token
(<code>--admin-token</code> or <code>DCAAS_EMULATOR_ADMIN_TOKEN</code>).</p>
${error}
<form method="post" action="${CONSOLE_PATH}/session" autocomplete="off">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" required autofocus spellcheck="false"${opts.error ? ' aria-describedby="signin-error" aria-invalid="true"' : ""}>
<button type="submit">Sign in</button>
</form>
<p class="hint">The token is sent once, in this form's body; the browser then keeps only a session cookie.</p>
</main>
</body>
</html>
`;
}

const STATUS_OPTIONS = ["ACTIVE", "DOWN", "ERROR"];
const HOLD_OPTIONS = ["PENDING_CREATE", "PENDING_UPDATE", "PENDING_DELETE"];
const FAULT_KINDS = ["error", "throttle", "latency", "drop", "ambiguous", "stuck", "fail"];
const METHODS = ["*", "GET", "POST", "PUT", "DELETE"];

const options = (values: string[], selected?: string): string =>
  values
    .map((v) => `<option value="${v}"${v === selected ? " selected" : ""}>${escapeHtml(v)}</option>`)
    .join("");

/** The console page of a signed-in session. */
export function consolePage(opts: { version: string; csrf: string }): string {
  return `${head(
    "dcaas-emulator console",
    `<meta name="csrf-token" content="${escapeHtml(opts.csrf)}">
<script src="${CONSOLE_PATH}/console.js" defer></script>
`,
  )}
<body>
<a class="skip" href="#actions">Skip to actions</a>
<header class="top">
<h1>dcaas-emulator console</h1>
<p class="meta">Version ${escapeHtml(opts.version)} · <span id="live" role="status">connecting…</span></p>
<div class="project-pick">
<label for="project">Project</label>
<select id="project"></select>
</div>
<form method="post" action="${CONSOLE_PATH}/signout" class="signout">
<input type="hidden" name="csrf" value="${escapeHtml(opts.csrf)}">
<button type="submit">Sign out</button>
</form>
</header>
<main class="layout">
<div class="data">
<section aria-labelledby="h-interfaces">
<h2 id="h-interfaces">Interfaces and peers</h2>
<div class="scroll" role="region" aria-labelledby="h-interfaces" tabindex="0">
<table id="interfaces">
<thead><tr>
<th scope="col">Name</th><th scope="col">Status</th><th scope="col">VLAN</th>
<th scope="col">Addresses (remote / local)</th><th scope="col">Routing</th><th scope="col">BGP session</th>
<th scope="col"><span class="sr-only">Actions</span></th>
</tr></thead>
<tbody></tbody>
</table>
</div>
<p id="interfaces-empty" class="empty" hidden>No interfaces in this project.</p>
</section>
<div class="pair">
<section aria-labelledby="h-connections">
<h2 id="h-connections">Hosted connections</h2>
<div class="scroll" role="region" aria-labelledby="h-connections" tabindex="0">
<table id="connections">
<thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Bandwidth</th><th scope="col">ID</th></tr></thead>
<tbody></tbody>
</table>
</div>
</section>
<section aria-labelledby="h-gateways">
<h2 id="h-gateways">Gateways</h2>
<div class="scroll" role="region" aria-labelledby="h-gateways" tabindex="0">
<table id="gateways">
<thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">VPC blocks</th><th scope="col">ASN</th><th scope="col">ID</th></tr></thead>
<tbody></tbody>
</table>
</div>
</section>
</div>
<section aria-labelledby="h-requests" class="log">
<h2 id="h-requests"><button type="button" id="log-toggle" class="disclosure" aria-expanded="true" aria-controls="log-body">Request log</button></h2>
<div id="log-body">
<form id="log-filter" class="filters">
<div><label for="f-method">Filter by method</label><select id="f-method"><option value="">All methods</option></select></div>
<div><label for="f-route">Filter by route</label><select id="f-route"><option value="">All routes</option></select></div>
<div><label for="f-status">Filter by status</label><input id="f-status" placeholder="503, 5xx or 0" size="12" inputmode="text"></div>
<div><label for="f-object">Filter by object id</label><input id="f-object" placeholder="interface or peer id" size="20" spellcheck="false" autocomplete="off"></div>
<div class="check"><input type="checkbox" id="f-faulted"><label for="f-faulted">Only with a fault</label></div>
<button type="button" id="clear-log">Clear the log</button>
</form>
<p id="log-summary" class="summary"></p>
<div class="scroll log-scroll" id="log-region" role="region" aria-labelledby="h-requests" tabindex="0">
<table id="requests">
<thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th>
<th scope="col">Latency</th><th scope="col">Fault</th><th scope="col">Request id</th></tr></thead>
<tbody></tbody>
</table>
</div>
<div class="pager">
<button type="button" id="log-older" hidden>Show 25 older</button>
<button type="button" id="log-newest" hidden>Show only the newest 25</button>
</div>
</div>
</section>
</div>
<aside id="actions" aria-labelledby="h-actions" tabindex="-1">
<h2 id="h-actions">Actions</h2>
<p class="hint">Each action calls the admin API; the request is shown below, ready to copy into a test.</p>
<section aria-labelledby="h-object">
<h3 id="h-object">Interface or peer</h3>
<label for="target">Object</label>
<select id="target"><option value="">(none in this project)</option></select>
<form id="rename-form" class="row">
<label for="rename-name">New name</label>
<input id="rename-name" required maxlength="64" spellcheck="false">
<button type="submit">Rename</button>
</form>
<form id="status-form" class="row">
<label for="status-value">Status</label>
<select id="status-value">${options(STATUS_OPTIONS)}</select>
<label for="status-reason">Reason</label>
<input id="status-reason" placeholder="optional">
<button type="submit">Set status</button>
</form>
<form id="hold-form" class="row">
<label for="hold-value">Hold in</label>
<select id="hold-value">${options(HOLD_OPTIONS)}</select>
<button type="submit">Hold</button>
</form>
<button type="button" id="delete-object" class="danger">Delete out of band</button>
</section>
<section aria-labelledby="h-faults">
<h3 id="h-faults">Faults in force</h3>
<p id="faults-empty" class="empty">None.</p>
<ul id="faults" class="rules"></ul>
<button type="button" id="clear-faults">Clear all faults</button>
<form id="fault-form">
<fieldset>
<legend>Add a fault</legend>
<div class="grid2">
<div><label for="fault-method">Method</label><select id="fault-method">${options(METHODS)}</select></div>
<div><label for="fault-kind">Kind</label><select id="fault-kind">${options(FAULT_KINDS)}</select></div>
</div>
<label for="fault-route">Route</label>
<select id="fault-route"><option value="*">* (every route)</option></select>
<div class="grid2">
<div><label for="fault-status">HTTP status</label><input id="fault-status" type="number" min="400" max="599" value="503"></div>
<div><label for="fault-code">Error code</label><input id="fault-code" value="DC.0003" spellcheck="false"></div>
<div><label for="fault-rate">Rate (0 to 1)</label><input id="fault-rate" type="number" min="0" max="1" step="0.05" value="1"></div>
<div><label for="fault-times">Times</label><input id="fault-times" type="number" min="1" placeholder="unlimited"></div>
<div><label for="fault-min">Latency min ms</label><input id="fault-min" type="number" min="0" value="500"></div>
<div><label for="fault-max">Latency max ms</label><input id="fault-max" type="number" min="0" value="1500"></div>
<div><label for="fault-retry">Retry-After s</label><input id="fault-retry" type="number" min="0" value="1"></div>
</div>
<button type="submit">Add fault</button>
</fieldset>
</form>
</section>
<section aria-labelledby="h-delays">
<h3 id="h-delays">Delays</h3>
<form id="delays-form">
<p class="hint">Milliseconds, "2s", or "reads:3"; they apply to operations started afterwards.</p>
<div class="grid2">
<div><label for="delay-vifCreate">Interface create</label><input id="delay-vifCreate" name="vifCreate" spellcheck="false"></div>
<div><label for="delay-vifDelete">Interface delete</label><input id="delay-vifDelete" name="vifDelete" spellcheck="false"></div>
<div><label for="delay-peerCreate">Peer create</label><input id="delay-peerCreate" name="peerCreate" spellcheck="false"></div>
<div><label for="delay-peerDelete">Peer delete</label><input id="delay-peerDelete" name="peerDelete" spellcheck="false"></div>
</div>
<button type="submit">Save delays</button>
</form>
</section>
<section aria-labelledby="h-reset">
<h3 id="h-reset">Reset</h3>
<p class="hint">Deletes every interface and peer, reloads the fixtures, clears faults, delays and the log.</p>
<button type="button" id="reset" class="danger">Reset the emulator</button>
</section>
<section aria-labelledby="h-last" class="last">
<h3 id="h-last">Admin request</h3>
<div id="last" aria-live="polite">
<p id="last-none" class="empty">No action yet.</p>
<p id="last-result" class="result" hidden></p>
<label for="last-request" class="sr-only">The admin request, as a curl command</label>
<textarea id="last-request" readonly rows="6" hidden spellcheck="false"></textarea>
<button type="button" id="copy-request" hidden>Copy</button>
<pre id="last-response" hidden></pre>
</div>
<details>
<summary>Earlier requests</summary>
<ol id="history" reversed></ol>
</details>
</section>
</aside>
</main>
</body>
</html>
`;
}
