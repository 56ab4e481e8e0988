/**
 * The API's routes declared once, as data: method, path, who may call it,
 * and zod schemas for its parameters, query and body. The registry mounts
 * them on Hono with validation and access checks, and the same
 * declarations make the OpenAPI document ({@linkcode openApiDocument}).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { z } from "zod/v4";
import type { WebEnv } from "../web_env.ts";
import { type FieldErrors, HttpError } from "./http_error.ts";

/** Who may call a route: anyone, any signed-in user, or admins only. */
export type Access = "public" | "viewer" | "admin";

/** HTTP methods the API uses. */
export type Method = "get" | "post" | "put" | "patch" | "delete";

/** The validated input a handler gets. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/** One route's declaration. */
export interface ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Hono's form, under the API's base: "/devices/:id". */
  path: string;
  summary: string;
  /** The group in the OpenAPI document ("devices", "rules", ...). */
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** The success response's schema, for the document. */
  response?: z.ZodType;
  /** Its media type when not JSON ("text/csv", "text/event-stream"). */
  produces?: string;
  /** Success status (default 200). */
  status?: number;
  handle(
    c: Context<WebEnv>,
    input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>,
  ): Response | Promise<Response>;
}

/**
 * Collects routes; {@linkcode mount} puts them on an app.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Hono } from "hono";
 * import { z } from "zod/v4";
 * import type { WebEnv } from "../web_env.ts";
 * import { errorResponse } from "./http_error.ts";
 * const api = new ApiRegistry();
 * api.add({
 *   method: "get", path: "/hello/:name", summary: "Greets", tag: "demo", access: "public",
 *   params: z.object({ name: z.string().max(8) }),
 *   handle: (c, { params }) => c.json({ hello: params.name }),
 * });
 * const app = new Hono<WebEnv>();
 * app.use((c, next) => { c.set("user", null); return next(); });
 * api.mount(app);
 * app.onError((err, c) => errorResponse(c, err));
 * assertEquals(await (await app.request("/hello/ann")).json(), { hello: "ann" });
 * assertEquals((await app.request("/hello/annabelle-marie")).status, 400);
 * ```
 */
export class ApiRegistry {
  readonly routes: ApiRoute[] = [];

  /** Declares a route. */
  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    route: ApiRoute<P, Q, B>,
  ): void {
    this.routes.push(route as unknown as ApiRoute);
  }

  /** Mounts every route on `app`, each checking access, then validating, then handling. */
  mount(app: Hono<WebEnv>): void {
    for (const r of this.routes) {
      app.on(r.method.toUpperCase(), r.path, async (c) => {
        checkAccess(c, r.access);
        const params = parse(r.params, c.req.param(), "path parameters");
        const query = parse(r.query, c.req.query(), "query");
        const body = r.body === undefined ? undefined : parse(r.body, await jsonBody(c), "body");
        return await r.handle(c, { params, query, body });
      });
    }
  }
}

function checkAccess(c: Context<WebEnv>, access: Access): void {
  if (access === "public") return;
  const user = c.get("user");
  if (!user) throw new HttpError(401, "sign in first");
  if (access === "admin" && user.role !== "admin") {
    throw new HttpError(403, "this needs an admin; you are signed in as a viewer");
  }
}

function parse(schema: z.ZodType | undefined, value: unknown, what: string): unknown {
  if (schema === undefined) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join(".") || "(whole)";
    fields[path] ??= issue.message;
  }
  const [first] = Object.entries(fields);
  throw new HttpError(400, `invalid ${what}: ${first[0]}: ${first[1]}`, fields);
}

async function jsonBody(c: Context<WebEnv>): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, "send the body as JSON (Content-Type: application/json)");
  }
  try {
    return await c.req.json();
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
}
