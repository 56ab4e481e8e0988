/**
 * Sluice's web app: one Hono app serving the API under `/api/v1`, the live
 * stream, `/metrics` and the UI, in this order of middleware:
 *
 * 1. strict security headers on everything;
 * 2. on `/api/*` and `/metrics`: a body-size limit, authentication (a
 *    session cookie or an API token) and CSRF checks on state-changing
 *    requests;
 * 3. the auth routes, the REST routes (declared in an {@linkcode ApiRegistry},
 *    which also makes `/api/v1/openapi.json`), `/api/v1/live`, `/metrics`;
 * 4. the UI's static files and client-side routes, public (it asks the API
 *    who is signed in).
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Auth } from "./auth/create_auth.ts";
import { requireUser } from "./auth/require_role.ts";
import { AUTH_OPENAPI_ROUTES } from "./auth/auth_openapi.ts";
import { ApiRegistry } from "./api/api_registry.ts";
import { errorResponse, HttpError } from "./api/http_error.ts";
import { openApiDocument } from "./api/openapi.ts";
import { liveRoute, type LiveRouteOptions } from "./live/sse_route.ts";
import { metricsRoute } from "./live/metrics.ts";
import { type AssetReader, staticRoutes } from "./static_assets.ts";
import type { WebContext } from "./web_context.ts";
import type { WebEnv } from "./web_env.ts";

/** Declares a group of REST routes on the registry. */
export type Registrar = (api: ApiRegistry, ctx: WebContext) => void;

/** Options of {@linkcode createApp}. */
export interface AppOptions {
  ctx: WebContext;
  auth: Auth;
  /** The REST route groups (default: all of Sluice's, from `api/mod.ts`). */
  registrars: readonly Registrar[];
  /** Where the UI's files come from (default: beside this module). */
  assets?: AssetReader;
  live?: LiveRouteOptions;
  /** Largest request body accepted, bytes (default 64 KiB: rules and settings are small). */
  maxBodyBytes?: number;
  /** Where internal errors are logged (one line each, no stack to the client). */
  log?: (line: string) => void;
}

/** The base of every API route. */
export const API_BASE = "/api/v1";

/**
 * Builds the app.
 *
 * @example
 * ```ts ignore
 * const app = createApp({ ctx, auth: createAuth({ kv, now, tls: false }), registrars });
 * Deno.serve({ hostname: "127.0.0.1", port: 8080 }, app.fetch);
 * ```
 */
export function createApp(options: AppOptions): Hono<WebEnv> {
  const { ctx, auth, log } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const api = new ApiRegistry();
  for (const register of options.registrars) register(api, ctx);

  const app = new Hono<WebEnv>();
  app.use("*", auth.securityHeaders);
  const guard = [
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new HttpError(413, `the body is over ${maxBodyBytes} bytes`);
      },
    }),
    auth.authenticate,
    auth.csrf,
  ] as const;
  app.use("/api/*", ...guard);
  app.use("/metrics", ...guard);
  app.route(API_BASE, auth.routes);

  const rest = new Hono<WebEnv>();
  api.mount(rest);
  const document = openApiDocument([...AUTH_OPENAPI_ROUTES, ...api.routes], {
    title: "Sluice",
    version: ctx.info.version,
    base: API_BASE,
  });
  rest.get("/openapi.json", (c) => c.json(document));
  rest.get("/live", requireUser(), liveRoute(ctx.hub, options.live));
  app.route(API_BASE, rest);
  app.get("/metrics", requireUser(), metricsRoute(ctx.hub));

  app.all("/api/*", () => {
    throw new HttpError(404, "no such API route");
  });
  app.route("/", staticRoutes(options.assets));
  app.onError((err, c) => errorResponse(c, err, log));
  return app;
}
