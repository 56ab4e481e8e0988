/**
 * The one shape of every error the API returns:
 * `{ "error": { "status": 400, "message": "one line", "fields"?: { "path": "message" } } }`.
 *
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The body of an error response. */
export interface ErrorBody {
  error: { status: number; message: string; fields?: Record<string, string> };
}

/**
 * An error body; `fields` maps a field's path ("name", "limits.down") to
 * what is wrong with it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(errorBody(404, "no such user"), { error: { status: 404, message: "no such user" } });
 * ```
 */
export function errorBody(
  status: number,
  message: string,
  fields?: Record<string, string>,
): ErrorBody {
  return { error: { status, message, ...(fields ? { fields } : {}) } };
}

/**
 * Responds with an error body and its status.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * const app = new Hono().get("/", (c) => jsonError(c, 418, "short and stout"));
 * assertEquals((await app.request("/")).status, 418);
 * ```
 */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  fields?: Record<string, string>,
): Response {
  return c.json(errorBody(status, message, fields), status);
}
