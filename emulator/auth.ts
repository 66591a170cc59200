/**
 * Authentication of cloud API requests: IAM tokens (`X-Auth-Token`, issued by
 * `POST /v3/auth/tokens`) and AK/SK `SDK-HMAC-SHA256` signatures (verified by api/signing.ts),
 * then project binding: credentials of another project get 403 APIGW.0302.
 */
import { randomBytes } from "node:crypto";
import { verifyRequest } from "../api/signing";
import { IamUserNotAllowed, IncorrectIamAuthenticationInformation } from "./errors";
import type { ProjectRow, Store } from "./store";

/** Token validity: 24 hours. */
export const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** The request facts authentication needs (no Node HTTP types). */
export interface AuthRequest {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  /** The raw query string without `?` (may be empty). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function header(req: AuthRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Issues and checks credentials against the store. */
export class Auth {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Authenticates a request for `projectId`: returns the project or throws 401/403. */
  authenticate(req: AuthRequest, projectId: string): ProjectRow {
    const project = this.identify(req);
    if (project.project_id !== projectId) {
      throw new IamUserNotAllowed(`The credentials are bound to another project, not ${projectId}.`);
    }
    return project;
  }

  private identify(req: AuthRequest): ProjectRow {
    const token = header(req, "x-auth-token");
    if (token !== undefined) {
      const row = this.store.getToken(token);
      if (!row) throw new IncorrectIamAuthenticationInformation("decrypt token fail");
      if (row.expires_at !== null && row.expires_at <= this.now()) {
        throw new IncorrectIamAuthenticationInformation("the token has expired");
      }
      const project = this.store.getProject(row.project_id);
      if (!project) throw new IncorrectIamAuthenticationInformation("decrypt token fail");
      return project;
    }
    const authz = header(req, "authorization");
    if (authz !== undefined) {
      let project: ProjectRow | undefined;
      const result = verifyRequest({
        method: req.method,
        url: req.query ? `${req.path}?${req.query}` : req.path,
        headers: req.headers,
        body: req.body,
        now: new Date(this.now()),
        lookupSecret: (ak) => {
          project = this.store.findProjectByAccessKey(ak);
          return project?.secret_key ?? undefined;
        },
      });
      if (!result.ok || !project) {
        throw new IncorrectIamAuthenticationInformation(result.ok ? "ak not exist" : result.reason);
      }
      return project;
    }
    throw new IncorrectIamAuthenticationInformation("no X-Auth-Token or Authorization header");
  }

  /**
   * Issues a project-scoped token for a user's password (IAM KeystoneCreateUserTokenByPassword).
   * Returns undefined when the user, password or project does not match.
   */
  issueToken(
    domainName: string,
    username: string,
    password: string,
    scope: { id?: string; name?: string },
  ): { token: string; project: ProjectRow; issuedAt: number; expiresAt: number } | undefined {
    const candidates = this.store
      .findProjectsByUser(domainName, username)
      .filter((p) => p.password === password)
      .filter((p) => (scope.id ? p.project_id === scope.id : p.project_name === scope.name));
    const project = candidates[0];
    if (!project) return undefined;
    const issuedAt = this.now();
    const expiresAt = issuedAt + TOKEN_TTL_MS;
    const token = `MIIE${randomBytes(48).toString("base64url")}`;
    this.store.putToken(token, project.project_id, expiresAt);
    return { token, project, issuedAt, expiresAt };
  }
}
