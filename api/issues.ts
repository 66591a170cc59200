// Validation issues: data first, rendered as an API 400 body here and as a Pulumi CheckFailure
// by the provider.
import { type ErrorBody, type ErrorCode, errorBody } from "./errors";

/** How a message names a field: by its API name (the emulator) or its Pulumi property (the provider). */
export type FieldNamer = (wire: string) => string;

/** A message that names its fields through a namer. */
export type IssueText = (name: FieldNamer) => string;

/** One broken rule: its error code, the wire path of the field, and a message naming both. */
export interface Issue {
  /** The most specific error code of the broken rule. */
  code: ErrorCode;
  /** The wire path, e.g. `["virtual_interface", "vlan"]` or `["vif_peer", "remote_ep_group", "2"]`. */
  path: string[];
  /** A sentence naming the field and the rule, e.g. "vlan must be an integer from 1 to 3999 (got 4000)". */
  message: string;
  /**
   * The message with its fields named by `name` (not enumerable: issues compare and serialize as
   * code, path, message). Absent when the message names no field.
   */
  readonly render?: IssueText;
}

/** An issue whose message names fields: `message` names them as the API does, `render` as asked. */
export function issueOf(code: ErrorCode, path: string[], text: IssueText): Issue {
  const issue: Issue = { code, path, message: text((w) => w) };
  Object.defineProperty(issue, "render", { value: text, enumerable: false });
  return issue;
}

/** The issue's message with its fields named by `name` (the API's names when it names none). */
export function renderIssue(issue: Issue, name: FieldNamer): string {
  return issue.render ? issue.render(name) : issue.message;
}

/** Renders one issue as a single line: `"DC.0001: vlan must be ..."`. */
export function formatIssue(issue: Issue): string {
  return `${issue.code}: ${issue.message}`;
}

/** The 400 body for a list of issues: the code of the first, a message naming every field and rule. */
export function issuesToErrorBody(issues: readonly Issue[], requestId = ""): ErrorBody {
  if (issues.length === 0) {
    throw new Error("issuesToErrorBody needs at least one issue");
  }
  const first = issues[0];
  const msg =
    issues.length === 1
      ? first.message
      : issues.map((issue) => `${issue.message} (${issue.code})`).join("; ");
  return errorBody(first.code, msg, requestId);
}

/** The field an issue is about: the path element after the body wrapper (or the last element). */
export function issueField(issue: Issue): string {
  return issue.path.length >= 2 ? issue.path[1] : (issue.path[0] ?? "");
}
