// What the auth route modules share: their dependencies, JSON body
// validation with field errors, and the session cookie.
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { z } from "zod/v4";
import type { WebEnv } from "../web_env.ts";
import { SESSION_COOKIE } from "./authenticate.ts";
import { jsonError } from "./json_error.ts";
import type { LoginLimiter } from "./login_limiter.ts";
import type { SessionStore } from "./session_store.ts";
import type { TokenStore } from "./token_store.ts";
import type { UserStore } from "./user_store.ts";

/** The stores and settings the route modules work with. */
export interface RouteDeps {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  limiter: LoginLimiter;
  now: () => number;
  tls: boolean;
  clientAddress: (c: Context<WebEnv>) => string;
}

/** A validated body, or the 400 response to send. */
export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Reads a JSON body and validates it: 400 with a message and `fields` when it fails. */
export async function readBody<S extends z.ZodType>(
  c: Context<WebEnv>,
  schema: S,
): Promise<BodyResult<z.output<S>>> {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    return { ok: false, response: jsonError(c, 400, "the request body must be JSON") };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, data: result.data };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        fields[[...issue.path, key].join(".")] ??= "is not a known field";
      }
    } else {
      fields[issue.path.map(String).join(".") || "(body)"] ??= issue.message;
    }
  }
  const [first] = Object.entries(fields);
  return {
    ok: false,
    response: jsonError(c, 400, `invalid request: ${first[0]} ${first[1]}`, fields),
  };
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure under TLS. */
export function setSessionCookie(c: Context, deps: RouteDeps, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: deps.tls,
    // The browser may keep it as long as the server could accept it.
    maxAge: Math.min(Math.floor(deps.sessions.absoluteMs / 1000), 400 * 86_400),
  });
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(c: Context, deps: RouteDeps): void {
  deleteCookie(c, SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: deps.tls,
  });
}
