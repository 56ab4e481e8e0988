// A test app wired the way the web app wires auth (security headers on
// everything, authenticate and CSRF on /api/*, the routes at /api/v1), over
// an in-memory KV with a hand-moved clock, an admin and a viewer, and
// helpers to log in and send requests as someone.
import { Hono } from "hono";
import type { WebEnv } from "../../../web/web_env.ts";
import { type Auth, type AuthOptions, createAuth } from "../../../web/auth/create_auth.ts";
import { requireRole, requireUser } from "../../../web/auth/require_role.ts";

export const T0 = 1_700_000_000_000;
export const ADMIN = { name: "admin", password: "admin-password-1" };
export const VIEWER = { name: "viv", password: "viewer-password-1" };
/** Fast hashes: the 600,000 default is tested once, in password_test.ts. */
export const ITERATIONS = 1000;

export interface TestApp {
  app: Hono<WebEnv>;
  auth: Auth;
  kv: Deno.Kv;
  clock: { now: number };
}

/** Who sends a request: a cookie session (with its CSRF token) or a bearer token. */
export type As = { cookie: string; csrf?: string } | { bearer: string } | null;

/** Runs `fn` with a fresh app; closes the KV after. */
export async function withApp(
  fn: (t: TestApp) => Promise<void>,
  options: Partial<AuthOptions> = {},
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = { now: T0 };
    const auth = createAuth({
      kv,
      now: () => clock.now,
      tls: false,
      // Tests pick the client's address with a header; a real app uses the connection's.
      clientAddress: (c) => c.req.header("X-Test-Address") ?? "192.0.2.1",
      iterations: ITERATIONS,
      ...options,
    });
    await auth.users.create(ADMIN.name, "admin", ADMIN.password, T0);
    await auth.users.create(VIEWER.name, "viewer", VIEWER.password, T0);
    const app = new Hono<WebEnv>()
      .use("*", auth.securityHeaders)
      .use("/api/*", auth.authenticate, auth.csrf)
      .route("/api/v1", auth.routes)
      // Stand-ins for the lead's API routes: a read and a mutation.
      .get("/api/v1/things", requireUser(), (c) => c.json({ user: c.get("user") }))
      .post("/api/v1/things", requireRole("admin"), (c) => c.json({ done: true }));
    await fn({ app, auth, kv, clock });
  } finally {
    kv.close();
  }
}

/** Sends a request as someone, with a JSON body when given (dropped for GET and HEAD). */
export function send(
  t: TestApp,
  method: string,
  path: string,
  as: As = null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  if (method === "GET" || method === "HEAD") body = undefined;
  const h = new Headers(headers);
  if (as && "cookie" in as) {
    h.set("Cookie", `sluice_session=${as.cookie}`);
    if (as.csrf !== undefined && !h.has("X-CSRF-Token")) h.set("X-CSRF-Token", as.csrf);
  }
  if (as && "bearer" in as) h.set("Authorization", `Bearer ${as.bearer}`);
  if (body !== undefined) h.set("Content-Type", "application/json");
  return Promise.resolve(t.app.request(path, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  }));
}

/** Logs in through the API; the session cookie's value and the CSRF token. */
export async function login(
  t: TestApp,
  user: { name: string; password: string },
  headers: Record<string, string> = {},
): Promise<{ cookie: string; csrf: string }> {
  const res = await send(t, "POST", "/api/v1/session", null, user, headers);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const { csrf } = await res.json();
  return { cookie: sessionCookie(res)!, csrf };
}

/** The sluice_session value a response sets, or undefined. */
export function sessionCookie(res: Response): string | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith("sluice_session="));
  return header?.slice("sluice_session=".length).split(";")[0];
}

/** An API token for a user, made in the store. */
export async function apiToken(
  t: TestApp,
  user: string,
  role: "admin" | "viewer",
): Promise<{ bearer: string; id: string }> {
  const { token, info } = await t.auth.tokens.create({ name: "test", user, role }, t.clock.now);
  return { bearer: token, id: info.id };
}

/** A response's JSON error body. */
export async function errorOf(
  res: Response,
): Promise<{ status: number; message: string; fields?: Record<string, string> }> {
  return (await res.json()).error;
}
