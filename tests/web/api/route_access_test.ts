// Every declared API route, whoever wrote it: anonymous callers get 401,
// viewers get 403 on anything that is not a read, a session without its
// CSRF token cannot change anything, and every route is in the OpenAPI
// document. Checked against the registry itself, so a new route cannot
// slip through.
import { assert, assertEquals } from "@std/assert";
import { API_ROUTES, ApiRegistry } from "../../../web/api/mod.ts";
import { errorOf, PC, withHarness } from "../_harness.ts";

/** A route's path with its parameters filled in: a real device, a made-up id. */
function concrete(path: string): string {
  return `/api/v1${path}`.replace(":id", encodeURIComponent(PC)).replace(/:[a-z]+/gi, "x");
}

Deno.test("every API route refuses anonymous callers, and viewers on mutations, before anything else", async () => {
  await withHarness({ registrars: API_ROUTES, seconds: 5 }, async (h) => {
    const api = new ApiRegistry();
    for (const register of API_ROUTES) register(api, h.ctx);
    assert(api.routes.length >= 20, `${api.routes.length} routes declared`);
    const document = await (await h.send("GET", "/api/v1/openapi.json", h.viewer)).json();
    for (const r of api.routes) {
      const path = concrete(r.path), method = r.method.toUpperCase(), what = `${method} ${r.path}`;
      const anonymous = await h.send(method, path, null, {});
      assertEquals(anonymous.status, 401, what);
      assertEquals((await errorOf(anonymous)).status, 401, what);
      const mutation = r.method !== "get";
      assertEquals(r.access, mutation ? "admin" : "viewer", `${what} is for ${r.access}`);
      if (mutation) {
        const viewer = await h.send(method, path, h.viewer, {});
        assertEquals(viewer.status, 403, what);
        await viewer.body?.cancel();
        const { cookie } = h.admin as { cookie: string };
        const forged = await h.send(method, path, { cookie }, {});
        assertEquals(forged.status, 403, `${what} without the CSRF token`);
        await forged.body?.cancel();
      }
      const documented = document.paths[concreteTemplate(r.path)]?.[r.method];
      assert(documented, `${what} is in the OpenAPI document`);
    }
  });
});

function concreteTemplate(path: string): string {
  return `/api/v1${path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`;
}
