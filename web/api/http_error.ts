/**
 * Errors as the API sends them: `{ "error": { "status", "message", "fields"? } }`,
 * one line, never a stack trace.
 *
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Field paths ("rules.0.action.down") to what is wrong with each. */
export type FieldErrors = Record<string, string>;

/**
 * A refusal with an HTTP status, thrown by handlers and turned into the
 * JSON error body by {@linkcode errorResponse}; callers catch it by class.
 */
export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly fields?: FieldErrors;

  constructor(status: ContentfulStatusCode, message: string, fields?: FieldErrors) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.fields = fields;
  }
}

/** The JSON body of an error. */
export interface ErrorBody {
  error: { status: number; message: string; fields?: FieldErrors };
}

/**
 * The response for any thrown value: an {@linkcode HttpError} as it says,
 * anything else a 500 with a generic message (the detail goes to `log`,
 * never to the client).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.get("/", () => { throw new HttpError(404, "no such device"); });
 * app.onError((err, c) => errorResponse(c, err));
 * const res = await app.request("/");
 * assertEquals(await res.json(), { error: { status: 404, message: "no such device" } });
 * ```
 */
export function errorResponse(
  c: Context,
  err: unknown,
  log: (line: string) => void = () => {},
): Response {
  if (err instanceof HttpError) {
    const body: ErrorBody = { error: { status: err.status, message: err.message } };
    if (err.fields) body.error.fields = err.fields;
    return c.json(body, err.status);
  }
  log(`web: internal error on ${c.req.method} ${c.req.path}: ${(err as Error)?.message ?? err}`);
  return c.json({ error: { status: 500, message: "internal error" } } satisfies ErrorBody, 500);
}
