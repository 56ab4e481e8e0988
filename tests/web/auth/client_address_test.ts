import { Hono } from "hono";
import { assertEquals } from "@std/assert";
import { remoteAddress } from "../../../web/auth/client_address.ts";

const app = new Hono().get("/", (c) => c.text(remoteAddress(c)));

Deno.test("remoteAddress() gives the connection's address from Deno.serve's info", async () => {
  const info = { remoteAddr: { transport: "tcp", hostname: "fe80::1", port: 4000 } };
  assertEquals(await (await app.request("/", {}, info)).text(), "fe80::1");
});

Deno.test("remoteAddress() ignores X-Forwarded-For and says unknown without connection info", async () => {
  const res = await app.request("/", { headers: { "X-Forwarded-For": "10.9.9.9" } });
  assertEquals(await res.text(), "unknown");
});
