import { assertEquals } from "@std/assert";
import { Hono } from "hono";
import { z } from "zod/v4";
import { ApiRegistry } from "../../../web/api/api_registry.ts";
import { errorResponse } from "../../../web/api/http_error.ts";
import { openApiDocument } from "../../../web/api/openapi.ts";
import type { AuthUser, WebEnv } from "../../../web/web_env.ts";

/** An app with the registry's routes, the caller set from the X-Test-Role header. */
function appWith(api: ApiRegistry): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use((c, next) => {
    const role = c.req.header("x-test-role");
    const user: AuthUser | null = role === "admin" || role === "viewer"
      ? { name: role, role, via: "token", id: "t1" }
      : null;
    c.set("user", user);
    return next();
  });
  api.mount(app);
  app.onError((err, c) => errorResponse(c, err));
  return app;
}

function registry(): ApiRegistry {
  const api = new ApiRegistry();
  api.add({
    method: "get",
    path: "/devices/:id",
    summary: "One device",
    tag: "devices",
    access: "viewer",
    params: z.object({ id: z.string().regex(/^(mac|ip):/, "a device id is mac:… or ip:…") }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
    handle: (c, { params, query }) => c.json({ id: params.id, limit: query.limit }),
  });
  api.add({
    method: "post",
    path: "/devices/:id/label",
    summary: "Labels a device",
    tag: "devices",
    access: "admin",
    body: z.object({ label: z.string().min(1).max(64) }),
    handle: (c, { body }) => c.json({ label: body.label }, 201),
    status: 201,
  });
  api.add({
    method: "get",
    path: "/boom",
    summary: "Fails",
    tag: "test",
    access: "public",
    handle: () => {
      throw new Error("secret detail at /etc/x");
    },
  });
  return api;
}

const json = (body: unknown, role = "admin") => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-test-role": role },
  body: JSON.stringify(body),
});

Deno.test("ApiRegistry.mount() refuses anonymous callers with 401 and viewers on admin routes with 403", async () => {
  const app = appWith(registry());
  assertEquals((await app.request("/devices/mac:1")).status, 401);
  assertEquals(
    (await app.request("/devices/mac:1", { headers: { "x-test-role": "viewer" } })).status,
    200,
  );
  const res = await app.request("/devices/mac:1/label", json({ label: "TV" }, "viewer"));
  assertEquals(res.status, 403);
  assertEquals((await res.json()).error.status, 403);
  assertEquals((await app.request("/devices/mac:1/label", json({ label: "TV" }))).status, 201);
});

Deno.test("ApiRegistry.mount() validates parameters, query and body with field-level errors", async () => {
  const app = appWith(registry());
  const viewer = { headers: { "x-test-role": "viewer" } };
  assertEquals(await (await app.request("/devices/mac:1?limit=5", viewer)).json(), {
    id: "mac:1",
    limit: 5,
  });
  const badId = await app.request("/devices/tv", viewer);
  assertEquals(badId.status, 400);
  assertEquals((await badId.json()).error.fields, { id: "a device id is mac:… or ip:…" });
  const badQuery = await (await app.request("/devices/mac:1?limit=500", viewer)).json();
  assertEquals(Object.keys(badQuery.error.fields), ["limit"]);
  const badBody = await (await app.request("/devices/mac:1/label", json({ label: "" }))).json();
  assertEquals(badBody.error.status, 400);
  assertEquals(Object.keys(badBody.error.fields), ["label"]);
  const notJson = await app.request("/devices/mac:1/label", {
    method: "POST",
    headers: { "content-type": "text/plain", "x-test-role": "admin" },
    body: "label=TV",
  });
  assertEquals(notJson.status, 415);
  const broken = await app.request("/devices/mac:1/label", { ...json({}), body: "{" });
  assertEquals((await broken.json()).error, { status: 400, message: "the body is not valid JSON" });
});

Deno.test("errorResponse() hides an internal error's detail behind a generic 500", async () => {
  const lines: string[] = [];
  const app = appWith(registry());
  app.onError((err, c) => errorResponse(c, err, (line) => lines.push(line)));
  const res = await app.request("/boom");
  assertEquals(res.status, 500);
  assertEquals(await res.json(), { error: { status: 500, message: "internal error" } });
  assertEquals(lines, ["web: internal error on GET /boom: secret detail at /etc/x"]);
});

Deno.test("openApiDocument() describes each route from its declaration", () => {
  const doc = openApiDocument(registry().routes, {
    title: "Sluice",
    version: "0.1.0",
    base: "/api/v1",
  });
  assertEquals(Object.keys(doc.paths), [
    "/api/v1/devices/{id}",
    "/api/v1/devices/{id}/label",
    "/api/v1/boom",
  ]);
  const get = doc.paths["/api/v1/devices/{id}"].get as Record<string, unknown>;
  assertEquals(get["x-sluice-access"], "viewer");
  assertEquals((get.parameters as { name: string; in: string }[]).map((p) => [p.name, p.in]), [
    ["id", "path"],
    ["limit", "query"],
  ]);
  assertEquals(Object.keys(get.responses as object), ["200", "400", "401"]);
  const post = doc.paths["/api/v1/devices/{id}/label"].post as Record<string, unknown>;
  assertEquals(Object.keys(post.responses as object), ["201", "400", "401", "403"]);
  assertEquals(
    (post.requestBody as { content: Record<string, { schema: unknown }> }).content[
      "application/json"
    ].schema,
    {
      type: "object",
      properties: { label: { type: "string", minLength: 1, maxLength: 64 } },
      required: ["label"],
    },
  );
});
