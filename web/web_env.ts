/**
 * The types every part of the web layer shares: who is asking (set by the
 * auth middleware) and the Hono environment that carries it.
 *
 * @module
 */

/** A role: an admin acts, a viewer only reads. */
export type Role = "admin" | "viewer";

/** The authenticated caller of a request. */
export interface AuthUser {
  name: string;
  role: Role;
  /** How they proved it: a browser session (cookie) or an API token (Authorization: Bearer). */
  via: "session" | "token";
  /** The session's CSRF token (sessions only): state-changing requests must echo it. */
  csrf?: string;
  /** The session's or token's id, for listing and revoking. */
  id: string;
}

/** The Hono environment of Sluice's app: `c.get("user")` after the auth middleware. */
export interface WebEnv {
  Variables: {
    /** null for an anonymous request (only public routes let it through). */
    user: AuthUser | null;
  };
}
