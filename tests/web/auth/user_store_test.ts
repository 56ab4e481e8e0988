import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "@std/assert";
import { hashPassword } from "../../../web/auth/password.ts";
import {
  checkPassword,
  checkRole,
  checkUserName,
  UserStore,
  UserStoreError,
} from "../../../web/auth/user_store.ts";

const T0 = 1_700_000_000_000;

async function withUsers(fn: (users: UserStore, kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(new UserStore(kv, { iterations: 1000 }), kv);
  } finally {
    kv.close();
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await assertRejects(() => promise, UserStoreError) as UserStoreError;
  return err.code;
}

Deno.test("UserStore.ensureAdmin() creates admin with a generated password once", async () => {
  await withUsers(async (users, kv) => {
    const password = await users.ensureAdmin(T0);
    assertMatch(password!, /^[0-9a-z]{5}(-[0-9a-z]{5}){3}$/);
    assertEquals(await users.list(), [{ name: "admin", role: "admin", created: T0 }]);
    assertEquals((await users.verify("admin", password!))?.name, "admin");
    assertEquals(await users.ensureAdmin(T0 + 1), null);
    // Only the hash is stored, never the password.
    const stored = await kv.get<{ hash: string }>(["web-users", "admin"]);
    assertMatch(stored.value!.hash, /^pbkdf2-sha256\$1000\$/);
    assert(!JSON.stringify(stored.value).includes(password!));
  });
});

Deno.test("UserStore.ensureAdmin() leaves a store that has another admin alone", async () => {
  await withUsers(async (users) => {
    await users.create("root", "admin", "root-password", T0);
    assertEquals(await users.ensureAdmin(T0), null);
    assertEquals((await users.list()).map((u) => u.name), ["root"]);
  });
});

Deno.test("UserStore.create() stores a user and refuses a taken name", async () => {
  await withUsers(async (users) => {
    assertEquals(await users.create("alice", "viewer", "alice-password", T0), {
      name: "alice",
      role: "viewer",
      created: T0,
    });
    assertEquals(await codeOf(users.create("alice", "admin", "other-password", T0)), "exists");
    assertEquals(await users.get("alice"), { name: "alice", role: "viewer", created: T0 });
  });
});

Deno.test("UserStore.create() refuses bad names, roles and passwords", async () => {
  await withUsers(async (users) => {
    for (const name of ["", "Alice", "a b", "x".repeat(33), "ali/ce", "é"]) {
      await assertRejects(
        () => users.create(name, "viewer", "long enough", T0),
        RangeError,
        "user name",
      );
    }
    await assertRejects(
      () => users.create("bob", "root" as "admin", "long enough", T0),
      RangeError,
      "role",
    );
    await assertRejects(
      () => users.create("bob", "viewer", "too short", T0),
      RangeError,
      "password",
    );
    assertEquals(await users.list(), []);
  });
});

Deno.test("checkUserName(), checkPassword() and checkRole() accept the valid and name the field otherwise", () => {
  assertEquals(checkUserName("a.b_c-9"), "a.b_c-9");
  assertEquals(checkUserName("x".repeat(32)), "x".repeat(32));
  assertThrows(() => checkUserName(7 as unknown as string), TypeError, "user name");
  assertEquals(checkPassword("ten chars!"), "ten chars!");
  // Characters, not UTF-16 units: five emoji are five characters.
  assertThrows(() => checkPassword("😀😀😀😀😀"), RangeError, "got 5");
  assertThrows(() => checkPassword("x".repeat(1025)), RangeError, "password");
  assertEquals(checkRole("admin"), "admin");
  assertThrows(() => checkRole("owner"), RangeError, "role");
});

Deno.test("UserStore.setPassword() replaces the password", async () => {
  await withUsers(async (users) => {
    await users.create("alice", "viewer", "alice-password", T0);
    await users.setPassword("alice", "a-new-password");
    assertEquals(await users.verify("alice", "alice-password"), null);
    assertEquals((await users.verify("alice", "a-new-password"))?.name, "alice");
    assertEquals(await codeOf(users.setPassword("nobody", "a-new-password")), "not-found");
    await assertRejects(() => users.setPassword("alice", "short"), RangeError);
  });
});

Deno.test("UserStore.delete() removes a user but never the last admin", async () => {
  await withUsers(async (users) => {
    await users.create("root", "admin", "root-password", T0);
    await users.create("alice", "viewer", "alice-password", T0);
    assertEquals(await codeOf(users.delete("root")), "last-admin");
    await users.delete("alice");
    assertEquals(await codeOf(users.delete("alice")), "not-found");
    await users.create("second", "admin", "second-password", T0);
    await users.delete("root");
    assertEquals((await users.list()).map((u) => u.name), ["second"]);
  });
});

Deno.test("UserStore.setRole() promotes and demotes but never demotes the last admin", async () => {
  await withUsers(async (users) => {
    await users.create("root", "admin", "root-password", T0);
    await users.create("alice", "viewer", "alice-password", T0);
    assertEquals(await codeOf(users.setRole("root", "viewer")), "last-admin");
    assertEquals((await users.setRole("alice", "admin")).role, "admin");
    assertEquals((await users.setRole("root", "viewer")).role, "viewer");
    assertEquals(await codeOf(users.setRole("alice", "viewer")), "last-admin");
  });
});

Deno.test("UserStore.list() gives names, roles and times, never hashes", async () => {
  await withUsers(async (users) => {
    await users.create("bob", "viewer", "bob-password", T0 + 1);
    await users.create("alice", "admin", "alice-password", T0);
    const list = await users.list();
    assertEquals(list, [
      { name: "alice", role: "admin", created: T0 },
      { name: "bob", role: "viewer", created: T0 + 1 },
    ]);
    assert(!JSON.stringify(list).includes("pbkdf2"));
  });
});

Deno.test("UserStore.verify() returns null for unknown, malformed and wrong credentials without throwing", async () => {
  await withUsers(async (users) => {
    await users.create("alice", "viewer", "alice-password", T0);
    assertEquals(await users.verify("alice", "wrong-password"), null);
    assertEquals(await users.verify("nobody", "alice-password"), null);
    assertEquals(await users.verify("Not A Name!", "alice-password"), null);
    assertEquals(await users.verify("alice", "x".repeat(5000)), null);
    assertEquals(await users.verify(undefined as unknown as string, "x"), null);
  });
});

Deno.test("UserStore.verify() spends a full hash on an unknown name", async () => {
  await withUsers(async (users) => {
    await users.create("alice", "viewer", "alice-password", T0);
    const original = crypto.subtle.deriveBits;
    let derived = 0;
    crypto.subtle.deriveBits = function (...args: Parameters<typeof original>) {
      derived++;
      return original.apply(this, args);
    };
    try {
      await users.verify("nobody", "whatever-password"); // the first also makes the dummy hash
      derived = 0;
      await users.verify("nobody", "whatever-password");
      assertEquals(derived, 1);
      await users.verify("alice", "wrong-password");
      assertEquals(derived, 2);
    } finally {
      crypto.subtle.deriveBits = original;
    }
  });
});

Deno.test("UserStore.verify() rehashes a password stored with another iteration count", async () => {
  await withUsers(async (users, kv) => {
    const old = await hashPassword("alice-password", { iterations: 500 });
    await kv.set(["web-users", "alice"], { name: "alice", role: "viewer", hash: old, created: T0 });
    assertEquals((await users.verify("alice", "alice-password"))?.name, "alice");
    const stored = await kv.get<{ hash: string }>(["web-users", "alice"]);
    assertMatch(stored.value!.hash, /^pbkdf2-sha256\$1000\$/);
    assertEquals((await users.verify("alice", "alice-password"))?.name, "alice");
  });
});
