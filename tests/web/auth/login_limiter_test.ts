import { assertEquals, assertThrows } from "@std/assert";
import { LoginLimiter } from "../../../web/auth/login_limiter.ts";

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const HOME = "192.168.1.9";

Deno.test("LoginLimiter refuses a sixth try after 5 failures in 15 minutes, saying for how long", () => {
  const limiter = new LoginLimiter();
  for (let i = 0; i < 5; i++) {
    assertEquals(limiter.check(HOME, "admin", T0 + i * MINUTE), { allowed: true });
    limiter.fail(HOME, "admin", T0 + i * MINUTE);
  }
  assertEquals(limiter.check(HOME, "admin", T0 + 5 * MINUTE), { allowed: false, retryAfter: 600 });
  assertEquals(limiter.check(HOME, "admin", T0 + 15 * MINUTE - 500), {
    allowed: false,
    retryAfter: 1,
  });
  // The oldest failure has left the window: one more try.
  assertEquals(limiter.check(HOME, "admin", T0 + 15 * MINUTE), { allowed: true });
  limiter.fail(HOME, "admin", T0 + 15 * MINUTE);
  assertEquals(limiter.check(HOME, "admin", T0 + 15 * MINUTE), { allowed: false, retryAfter: 60 });
});

Deno.test("LoginLimiter counts failures per name across addresses", () => {
  const limiter = new LoginLimiter();
  for (let i = 0; i < 5; i++) limiter.fail(`10.0.0.${i}`, "Admin", T0);
  assertEquals(limiter.check("10.0.0.99", "admin", T0).allowed, false);
  assertEquals(limiter.check("10.0.0.99", "alice", T0).allowed, true);
});

Deno.test("LoginLimiter counts failures per address across names", () => {
  const limiter = new LoginLimiter();
  for (let i = 0; i < 5; i++) limiter.fail(HOME, `user${i}`, T0);
  assertEquals(limiter.check(HOME, "someone", T0).allowed, false);
  assertEquals(limiter.check("192.168.1.10", "someone", T0).allowed, true);
});

Deno.test("LoginLimiter.succeed() clears the name's failures but not the address's", () => {
  const limiter = new LoginLimiter();
  for (let i = 0; i < 4; i++) limiter.fail(HOME, "alice", T0);
  limiter.succeed(HOME, "alice", T0);
  limiter.fail("10.0.0.1", "alice", T0);
  assertEquals(limiter.check("10.0.0.1", "alice", T0).allowed, true);
  limiter.fail(HOME, "bob", T0);
  assertEquals(limiter.check(HOME, "carol", T0).allowed, false);
});

Deno.test("LoginLimiter.begin() counts logins under way, so parallel guesses cannot all pass", () => {
  const limiter = new LoginLimiter();
  for (let i = 0; i < 5; i++) assertEquals(limiter.begin(HOME, "admin", T0), { allowed: true });
  assertEquals(limiter.begin(HOME, "admin", T0), { allowed: false, retryAfter: 1 });
  limiter.succeed(HOME, "admin", T0);
  assertEquals(limiter.begin(HOME, "admin", T0).allowed, true);
  for (let i = 0; i < 5; i++) limiter.fail(HOME, "admin", T0);
  assertEquals(limiter.check(HOME, "admin", T0), { allowed: false, retryAfter: 900 });
});

Deno.test("LoginLimiter keeps at most maxEntries addresses and names, dropping stale ones first", () => {
  const limiter = new LoginLimiter({ maxEntries: 100 });
  for (let i = 0; i < 1000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`, `user${i}`, T0 + i);
  assertEquals(limiter.size, 200);
  // The most recent are kept and still count.
  for (let i = 0; i < 4; i++) limiter.fail("10.0.3.231", "x", T0 + 1000);
  assertEquals(limiter.check("10.0.3.231", "y", T0 + 1000).allowed, false);
  // Once the window has passed, the next failure over the limit prunes every stale entry.
  limiter.fail("172.16.0.1", "z", T0 + 20 * MINUTE);
  assertEquals(limiter.size, 2);
  for (let i = 0; i < 99; i++) limiter.fail("172.16.0.1", `n${i}`, T0 + 20 * MINUTE);
  assertEquals(limiter.size, 101);
});

Deno.test("LoginLimiter takes its limits from options and refuses bad ones", () => {
  const limiter = new LoginLimiter({ maxFailures: 2, windowMs: MINUTE });
  limiter.fail(HOME, "a", T0);
  limiter.fail(HOME, "a", T0);
  assertEquals(limiter.check(HOME, "a", T0), { allowed: false, retryAfter: 60 });
  assertThrows(() => new LoginLimiter({ maxFailures: 0 }), RangeError, "maxFailures");
  assertThrows(() => new LoginLimiter({ windowMs: 1.5 }), RangeError, "windowMs");
});
