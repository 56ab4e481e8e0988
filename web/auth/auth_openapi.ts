/**
 * The auth routes as the OpenAPI document describes them. They are plain
 * Hono routes (web/auth/*_routes.ts), served before the REST registry, so
 * they are declared here for the document only, with the same body schemas
 * the routes validate with.
 *
 * @module
 */
import { z } from "zod/v4";
import type { ApiRoute } from "../api/api_registry.ts";
import { loginBody, newTokenBody, newUserBody, passwordBody } from "./auth_schemas.ts";

const id = z.object({ id: z.string() });
const name = z.object({ name: z.string() });
/** Never called: the real handlers are the auth routes'. */
const documentOnly = (): Response => {
  throw new Error("documentation only");
};

/** Every auth route, for `openApiDocument()`. */
export const AUTH_OPENAPI_ROUTES: readonly ApiRoute[] = [
  ["post", "/session", "Sign in: sets the session cookie, returns the CSRF token", "public"],
  ["get", "/session", "Who is signed in, and the session's CSRF token", "viewer"],
  ["delete", "/session", "Sign out", "viewer"],
  ["get", "/sessions", "Your sessions (an admin sees everyone's)", "viewer"],
  ["delete", "/sessions/:id", "End a session", "viewer"],
  ["get", "/tokens", "API tokens", "admin"],
  ["post", "/tokens", "Make an API token (shown once)", "admin"],
  ["delete", "/tokens/:id", "Revoke an API token", "admin"],
  ["get", "/users", "Web users", "admin"],
  ["post", "/users", "Add a web user", "admin"],
  ["delete", "/users/:name", "Remove a web user (never the last admin)", "admin"],
  ["post", "/users/:name/password", "Set a password (your own, or anyone's as an admin)", "viewer"],
].map(([method, path, summary, access]): ApiRoute => ({
  method: method as ApiRoute["method"],
  path,
  summary,
  tag: path.split("/")[1].replace(/s$/, "") + "s",
  access: access as ApiRoute["access"],
  params: path.includes(":id") ? id : path.includes(":name") ? name : undefined,
  body: method !== "post"
    ? undefined
    : path === "/session"
    ? loginBody
    : path === "/tokens"
    ? newTokenBody
    : path === "/users"
    ? newUserBody
    : passwordBody,
  handle: documentOnly,
}));
