/**
 * The request bodies of the auth routes as zod schemas: the routes validate
 * with them, and the OpenAPI document can describe them
 * (`z.toJSONSchema(loginBody)`).
 *
 * @module
 */
import { z } from "zod/v4";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./user_store.ts";

const role = z.enum(["admin", "viewer"], { error: `must be "admin" or "viewer"` });

const lengthError = `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`;
// min/max count UTF-16 units (and show in the JSON Schema); the refinement counts characters.
const newPassword = z.string({ error: "must be a string" })
  .min(MIN_PASSWORD_LENGTH, { error: lengthError })
  .max(MAX_PASSWORD_LENGTH, { error: lengthError })
  .refine((p) => [...p].length >= MIN_PASSWORD_LENGTH, { error: lengthError });

/**
 * POST /api/v1/session: `{ name, password }`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(loginBody.safeParse({ name: "admin", password: "x" }).success, true);
 * ```
 */
export const loginBody = z.strictObject({
  name: z.string({ error: "must be a string" }).min(1, { error: "is required" })
    .max(64, { error: "is too long" }),
  password: z.string({ error: "must be a string" }).min(1, { error: "is required" })
    .max(MAX_PASSWORD_LENGTH, { error: "is too long" }),
});

/**
 * POST /api/v1/users: `{ name, role, password }`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(newUserBody.safeParse({ name: "Bob!", role: "viewer", password: "long enough" }).success, false);
 * ```
 */
export const newUserBody = z.strictObject({
  name: z.string({ error: "must be a string" }).regex(/^[a-z0-9._-]{1,32}$/, {
    error: `must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-"`,
  }),
  role,
  password: newPassword,
});

/**
 * POST /api/v1/users/{name}/password: `{ password, oldPassword? }` (the old
 * one is needed to change one's own).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(passwordBody.safeParse({ password: "short" }).success, false);
 * ```
 */
export const passwordBody = z.strictObject({
  password: newPassword,
  oldPassword: z.string({ error: "must be a string" }).max(MAX_PASSWORD_LENGTH).optional(),
});

/**
 * POST /api/v1/tokens: `{ name, role? }`; the role defaults to viewer (read-only scrapers).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(newTokenBody.parse({ name: "prometheus" }).role, "viewer");
 * ```
 */
export const newTokenBody = z.strictObject({
  name: z.string({ error: "must be a string" }).regex(/^[\p{L}\p{N} ._:@/-]{1,64}$/u, {
    error: `must be 1 to 64 letters, digits, spaces or "._:@/-"`,
  }),
  role: role.default("viewer"),
});
