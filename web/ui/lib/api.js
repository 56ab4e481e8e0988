/**
 * Talks to /api/v1: JSON in and out, the session's CSRF token on every
 * mutation (kept in memory only, never in storage a script could read
 * later), and one place that notices a 401 so any view can fall back to
 * the login page.
 *
 * @module
 */

let csrf = null;
let unauthorized = () => {};

/** An API refusal: the server's one-line message, its status and field errors. */
export class ApiError extends Error {
  constructor(status, message, fields) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields ?? null;
  }
}

/** Remembers the session's CSRF token (null after logout). */
export function setCsrf(token) {
  csrf = token ?? null;
}

/** What to do when the server says 401 (show the login page). */
export function onUnauthorized(fn) {
  unauthorized = fn;
}

/** Tells the app the session is gone; live.js uses it when the stream is refused. */
export function signalUnauthorized() {
  csrf = null;
  unauthorized();
}

/**
 * One API call. Resolves to the parsed JSON (or text, or null for 204);
 * rejects with an ApiError carrying the server's message.
 */
export async function api(method, path, body) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrf) headers["x-csrf-token"] = csrf;
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "Sluice is not reachable");
  }
  const isLogin = method === "POST" && path === "/session";
  if (res.status === 401 && !isLogin) signalUnauthorized();
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`.trim();
    let fields;
    try {
      const err = (await res.json()).error;
      if (err?.message) message = err.message;
      fields = err?.fields;
    } catch { /* not JSON: keep the status line */ }
    throw new ApiError(res.status, message, fields);
  }
  if (res.status === 204) return null;
  const type = res.headers.get("content-type") ?? "";
  return type.includes("json") ? await res.json() : await res.text();
}

/** The session: who is signed in, sign in, sign out. */
export const session = {
  /** Resolves to { user: { name, role }, csrf }; rejects with status 401 when signed out. */
  get: () => api("GET", "/session"),
  login: (name, password) => api("POST", "/session", { name, password }),
  logout: () => api("DELETE", "/session"),
};

/** How long a timed action lasts travels as milliseconds, like every time in the API. */
export function deviceAction(id, action, options = {}) {
  const body = { action };
  if (options.down != null) body.down = options.down;
  if (options.up != null) body.up = options.up;
  if (options.for != null) body.for = options.for;
  return api("POST", `/devices/${encodeURIComponent(id)}/actions`, body);
}
