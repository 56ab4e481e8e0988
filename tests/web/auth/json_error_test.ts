import { Hono } from "hono";
import { assertEquals } from "@std/assert";
import { errorBody, jsonError } from "../../../web/auth/json_error.ts";

Deno.test("errorBody() builds the one error shape, with fields only when given", () => {
  assertEquals(errorBody(404, "no such user"), { error: { status: 404, message: "no such user" } });
  assertEquals(errorBody(400, "invalid", { name: "is required" }), {
    error: { status: 400, message: "invalid", fields: { name: "is required" } },
  });
});

Deno.test("jsonError() responds with the status and the body as JSON", async () => {
  const app = new Hono().get("/", (c) => jsonError(c, 409, "taken", { name: "exists" }));
  const res = await app.request("/");
  assertEquals(res.status, 409);
  assertEquals(res.headers.get("Content-Type"), "application/json");
  assertEquals(await res.json(), {
    error: { status: 409, message: "taken", fields: { name: "exists" } },
  });
});
