import { z } from "zod/v4";
import { assertEquals } from "@std/assert";
import {
  loginBody,
  newTokenBody,
  newUserBody,
  passwordBody,
} from "../../../web/auth/auth_schemas.ts";

Deno.test("newTokenBody defaults the role to viewer", () => {
  assertEquals(newTokenBody.parse({ name: "grafana agent" }), {
    name: "grafana agent",
    role: "viewer",
  });
});

Deno.test("newUserBody and passwordBody count password characters, not UTF-16 units", () => {
  const emoji = "😀".repeat(9);
  assertEquals(
    newUserBody.safeParse({ name: "kid", role: "viewer", password: emoji }).success,
    false,
  );
  assertEquals(passwordBody.safeParse({ password: "😀".repeat(10) }).success, true);
});

Deno.test("The auth schemas convert to JSON Schema for the OpenAPI document", () => {
  const login = z.toJSONSchema(loginBody) as { required: string[]; additionalProperties: boolean };
  assertEquals([login.required, login.additionalProperties], [["name", "password"], false]);
  const user = z.toJSONSchema(newUserBody) as { properties: { password: object } };
  assertEquals(user.properties.password, { type: "string", minLength: 10, maxLength: 1024 });
  const token = z.toJSONSchema(newTokenBody, { io: "input" }) as { required: string[] };
  assertEquals(token.required, ["name"]);
  z.toJSONSchema(passwordBody);
});
