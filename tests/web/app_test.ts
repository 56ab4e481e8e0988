import { assert, assertEquals, assertMatch } from "@std/assert";
import { z } from "zod/v4";
import type { Registrar } from "../../web/app.ts";
import { errorOf, PC, withHarness } from "./_harness.ts";
import { SseReader } from "./live/_sse_reader.ts";

/** A read and a mutation, standing in for the REST groups. */
const probe: Registrar = (api) => {
  api.add({
    method: "get",
    path: "/probe",
    summary: "Reads",
    tag: "test",
    access: "viewer",
    handle: (c) => c.json({ user: c.get("user")?.name }),
  });
  api.add({
    method: "post",
    path: "/probe",
    summary: "Acts",
    tag: "test",
    access: "admin",
    body: z.object({ n: z.number().int() }),
    handle: (c, { body }) => c.json({ n: body.n }, 201),
  });
};

Deno.test("createApp() puts auth in front of every API route and /metrics", async () => {
  await withHarness({ registrars: [probe], seconds: 5 }, async (h) => {
    assertEquals((await h.send("GET", "/api/v1/probe")).status, 401);
    assertEquals((await h.send("GET", "/metrics")).status, 401);
    assertEquals((await h.send("GET", "/api/v1/live")).status, 401);
    assertEquals(await (await h.send("GET", "/api/v1/probe", h.viewer)).json(), { user: "viv" });
    assertEquals((await h.send("POST", "/api/v1/probe", h.viewer, { n: 1 })).status, 403);
    assertEquals((await h.send("POST", "/api/v1/probe", h.admin, { n: 1 })).status, 201);
    const forged = { ...h.admin as { cookie: string; csrf: string }, csrf: "nope" };
    assertEquals((await h.send("POST", "/api/v1/probe", forged, { n: 1 })).status, 403);
    const bad = await h.send("POST", "/api/v1/probe", h.admin, { n: "x" });
    assertEquals(bad.status, 400);
    assertEquals(Object.keys((await errorOf(bad)).fields ?? {}), ["n"]);
  });
});

Deno.test("createApp() refuses a body over the limit with 413 before reading it", async () => {
  await withHarness({ registrars: [probe], seconds: 5 }, async (h) => {
    const res = await h.send("POST", "/api/v1/probe", h.admin, { n: 1, pad: "x".repeat(70_000) });
    assertEquals(res.status, 413);
    assertMatch((await errorOf(res)).message, /over 65536 bytes/);
  });
});

Deno.test("createApp() answers an unknown API path with a JSON 404, not the UI", async () => {
  await withHarness({ registrars: [], seconds: 5 }, async (h) => {
    const res = await h.send("GET", "/api/v1/nothing-here", h.viewer);
    assertEquals(res.status, 404);
    assertEquals(await errorOf(res), { status: 404, message: "no such API route" });
  });
});

Deno.test("createApp() serves the UI publicly, with the strict headers", async () => {
  await withHarness({ registrars: [], seconds: 5 }, async (h) => {
    for (const path of ["/", "/devices", "/app.js"]) {
      const res = await h.send("GET", path);
      assertEquals(res.status, 200, path);
      assertMatch(res.headers.get("content-security-policy") ?? "", /script-src 'self'/);
      await res.body?.cancel();
    }
  });
});

Deno.test("createApp() serves the OpenAPI document of the declared routes", async () => {
  await withHarness({ registrars: [probe], seconds: 5 }, async (h) => {
    const doc = await (await h.send("GET", "/api/v1/openapi.json", h.viewer)).json();
    assertEquals(doc.openapi, "3.1.0");
    assertEquals(Object.keys(doc.paths["/api/v1/probe"]).sort(), ["get", "post"]);
    // The auth routes are described too, with their bodies.
    assertEquals(Object.keys(doc.paths["/api/v1/session"]).sort(), ["delete", "get", "post"]);
    assertEquals(Object.keys(doc.paths["/api/v1/users/{name}/password"]), ["post"]);
    const login = doc.paths["/api/v1/session"].post.requestBody.content["application/json"].schema;
    assertEquals(Object.keys(login.properties).sort(), ["name", "password"]);
  });
});

Deno.test("createApp() streams the simulated home live and exposes it to Prometheus", async () => {
  await withHarness({ registrars: [], seconds: 70 }, async (h) => {
    const metrics = await h.send("GET", "/metrics", h.viewer);
    assertEquals(metrics.status, 200);
    const text = await metrics.text();
    assertMatch(text, new RegExp(`sluice_device_bytes_total\\{[^}]*device="${PC}"`));
    const res = await h.send("GET", "/api/v1/live?top=5", h.viewer);
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    const reader = new SseReader(res.body);
    let block = await reader.next();
    while (block && block.event !== "snapshot") block = await reader.next();
    await reader.cancel();
    const snapshot = JSON.parse(block!.data!);
    const pc = snapshot.devices.find((d: { id: string }) => d.id === PC);
    assert(pc.down > 500_000, `the PC downloads: ${pc.down}`);
    assert(pc.today >= pc.totalDown, `today counts the closed minute: ${pc.today}`);
    assertEquals(pc.control.state, "limited");
  });
});
