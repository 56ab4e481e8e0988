import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "@std/assert";
import {
  generatePassword,
  hashPassword,
  parseHash,
  PBKDF2_ITERATIONS,
  verifyPassword,
} from "../../../web/auth/password.ts";

Deno.test("hashPassword() uses 600,000 iterations, a 16-byte salt and a 32-byte key by default", async () => {
  const stored = await hashPassword("correct horse battery");
  const [scheme, iterations, salt, hash] = stored.split("$");
  assertEquals([scheme, iterations], ["pbkdf2-sha256", "600000"]);
  assertEquals(PBKDF2_ITERATIONS, 600_000);
  assertEquals(Uint8Array.fromBase64(salt).length, 16);
  assertEquals(Uint8Array.fromBase64(hash).length, 32);
  assert(await verifyPassword("correct horse battery", stored));
});

Deno.test("hashPassword() matches a PBKDF2-SHA256 computed independently", async () => {
  const salt = new TextEncoder().encode("saltsaltsalt");
  const stored = await hashPassword("password", { iterations: 2, salt });
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode("password"),
    "PBKDF2",
    false,
    [
      "deriveBits",
    ],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: 2 },
    key,
    256,
  );
  assertEquals(stored, `pbkdf2-sha256$2$${salt.toBase64()}$${new Uint8Array(bits).toBase64()}`);
});

Deno.test("hashPassword() salts each hash differently", async () => {
  const a = await hashPassword("same password", { iterations: 1000 });
  const b = await hashPassword("same password", { iterations: 1000 });
  assertNotEquals(a, b);
});

Deno.test("hashPassword() refuses bad iterations, salts and passwords", async () => {
  await assertRejects(() => hashPassword("x", { iterations: 0 }), RangeError, "iterations");
  await assertRejects(() => hashPassword("x", { iterations: 1.5 }), RangeError, "iterations");
  await assertRejects(
    () => hashPassword("x", { iterations: 20_000_000 }),
    RangeError,
    "iterations",
  );
  await assertRejects(() => hashPassword("x", { salt: new Uint8Array(4) }), RangeError, "salt");
  await assertRejects(() => hashPassword(42 as unknown as string), TypeError, "password");
});

Deno.test("verifyPassword() tells a right password from wrong ones", async () => {
  const stored = await hashPassword("correct horse", { iterations: 1000 });
  assertEquals(await verifyPassword("correct horse", stored), true);
  assertEquals(await verifyPassword("correct horsE", stored), false);
  assertEquals(await verifyPassword("", stored), false);
  assertEquals(await verifyPassword("correct horse ", stored), false);
});

Deno.test("verifyPassword() treats the composed and decomposed forms of a character alike", async () => {
  const stored = await hashPassword("caf\u00e9 au lait", { iterations: 1000 });
  assert(await verifyPassword("cafe\u0301 au lait", stored));
});

Deno.test("verifyPassword() refuses malformed stored hashes with a clear error", async () => {
  const good = await hashPassword("x", { iterations: 1000 });
  const [, , salt, hash] = good.split("$");
  const bad: [string, string][] = [
    ["", "malformed"],
    ["plaintext", "malformed"],
    [`bcrypt$1000$${salt}$${hash}`, "malformed"],
    [`pbkdf2-sha256$1000$${salt}`, "malformed"],
    [`pbkdf2-sha256$1000$${salt}$${hash}$extra`, "malformed"],
    [`pbkdf2-sha256$abc$${salt}$${hash}`, "iteration count"],
    [`pbkdf2-sha256$0100$${salt}$${hash}`, "iteration count"],
    [`pbkdf2-sha256$1000$***$${hash}`, "salt"],
    [`pbkdf2-sha256$1000$${salt}$`, "hash"],
    [`pbkdf2-sha256$1000$AAAA$${hash}`, "salt under 8 bytes"],
    [`pbkdf2-sha256$1000$${salt}$AAAA`, "3-byte hash"],
  ];
  for (const [stored, message] of bad) {
    const err = await assertRejects(() => verifyPassword("x", stored), TypeError);
    assert(err.message.includes(message), `${stored}: ${err.message}`);
  }
  await assertRejects(
    () => verifyPassword("x", `pbkdf2-sha256$99999999$${salt}$${hash}`),
    RangeError,
  );
});

Deno.test("parseHash() takes a stored hash apart", () => {
  const parsed = parseHash("pbkdf2-sha256$1000$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==");
  assertEquals(parsed, { iterations: 1000, salt: new Uint8Array(8), hash: new Uint8Array(16) });
  assertThrows(() => parseHash(undefined as unknown as string), TypeError);
});

Deno.test("generatePassword() gives 20 readable base32 characters in groups of five, each time new", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const password = generatePassword();
    assertMatch(password, /^[0-9a-hjkmnp-tv-z]{5}(-[0-9a-hjkmnp-tv-z]{5}){3}$/);
    seen.add(password);
  }
  assertEquals(seen.size, 200);
});
