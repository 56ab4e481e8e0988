/**
 * The web users in Deno KV, under `["web-users", name]`: a name, a role and
 * a PBKDF2 hash of the password (never the password). There is always at
 * least one admin once {@linkcode UserStore.ensureAdmin} has run: the last
 * one can be neither deleted nor demoted.
 *
 * @module
 */
import type { Role } from "../web_env.ts";
import { randomToken } from "./_bytes.ts";
import {
  generatePassword,
  hashPassword,
  parseHash,
  PBKDF2_ITERATIONS,
  verifyPassword,
} from "./password.ts";

/** A user as the API shows it: no hash. */
export interface WebUser {
  name: string;
  role: Role;
  /** When the user was created (epoch ms). */
  created: number;
}

/** A user as stored. */
interface StoredUser extends WebUser {
  hash: string;
}

/** The user `ensureAdmin` creates. */
export const FIRST_ADMIN = "admin";
/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;
/** The longest password accepted (characters). */
export const MAX_PASSWORD_LENGTH = 1024;
/** The roles, most powerful first. */
export const ROLES: readonly Role[] = ["admin", "viewer"];

const PREFIX = "web-users";
const NAME = /^[a-z0-9._-]{1,32}$/;

/** Why a {@linkcode UserStore} change was refused. */
export type UserStoreErrorCode = "exists" | "not-found" | "last-admin";

/** A change the store's state does not allow: the user exists, is unknown, or is the last admin. */
export class UserStoreError extends Error {
  override name = "UserStoreError";
  constructor(message: string, readonly code: UserStoreErrorCode) {
    super(message);
  }
}

/**
 * Checks a user name: 1 to 32 characters of a-z, 0-9, ".", "_" and "-".
 * Returns it; a TypeError or RangeError naming the problem otherwise.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * checkUserName("alice");
 * assertThrows(() => checkUserName("Alice"), RangeError);
 * ```
 */
export function checkUserName(name: string): string {
  if (typeof name !== "string") throw new TypeError("user name must be a string");
  if (!NAME.test(name)) {
    throw new RangeError(`user name must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-"`);
  }
  return name;
}

/**
 * Checks a new password: {@linkcode MIN_PASSWORD_LENGTH} to
 * {@linkcode MAX_PASSWORD_LENGTH} characters. Returns it.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * checkPassword("long enough");
 * assertThrows(() => checkPassword("short"), RangeError);
 * ```
 */
export function checkPassword(password: string): string {
  if (typeof password !== "string") throw new TypeError("password must be a string");
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new RangeError(
      `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, got ${length}`,
    );
  }
  return password;
}

/**
 * Checks a role: "admin" or "viewer".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(checkRole("viewer"), "viewer");
 * ```
 */
export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new RangeError(`role must be "admin" or "viewer", got "${role}"`);
  }
  return role as Role;
}

/** Options of {@linkcode UserStore}. */
export interface UserStoreOptions {
  /** PBKDF2 iterations for new hashes (default 600,000; tests pass fewer). */
  iterations?: number;
}

/**
 * Web users in KV.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const users = new UserStore(kv, { iterations: 1000 });
 * const first = await users.ensureAdmin(1_700_000_000_000); // print it once
 * assertEquals((await users.verify("admin", first!))?.role, "admin");
 * assertEquals(await users.ensureAdmin(1_700_000_000_000), null);
 * kv.close();
 * ```
 */
export class UserStore {
  readonly #kv: Deno.Kv;
  readonly #iterations: number;
  #dummy?: Promise<string>;

  constructor(kv: Deno.Kv, options: UserStoreOptions = {}) {
    this.#kv = kv;
    this.#iterations = options.iterations ?? PBKDF2_ITERATIONS;
  }

  /**
   * Makes sure an admin exists: when none does, creates (or resets)
   * {@linkcode FIRST_ADMIN} with a generated password and returns that
   * password, the only time it is seen; otherwise returns null.
   */
  async ensureAdmin(now: number): Promise<string | null> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const entries = await this.#entries();
      if (entries.some((e) => e.value.role === "admin")) return null;
      const password = generatePassword();
      const key = [PREFIX, FIRST_ADMIN];
      const current = entries.find((e) => e.value.name === FIRST_ADMIN);
      const user: StoredUser = {
        name: FIRST_ADMIN,
        role: "admin",
        hash: await this.#hash(password),
        created: current?.value.created ?? now,
      };
      const done = await this.#kv.atomic().check({
        key,
        versionstamp: current?.versionstamp ?? null,
      })
        .set(key, user).commit();
      if (done.ok) return password;
    }
    throw new Error("web users: another writer kept changing the store; try again");
  }

  /** Creates a user; a UserStoreError ("exists") when the name is taken. */
  async create(name: string, role: Role, password: string, now: number): Promise<WebUser> {
    checkUserName(name);
    checkRole(role);
    checkPassword(password);
    const user: StoredUser = { name, role, hash: await this.#hash(password), created: now };
    const done = await this.#kv.atomic().check({ key: [PREFIX, name], versionstamp: null })
      .set([PREFIX, name], user).commit();
    if (!done.ok) throw new UserStoreError(`user "${name}" already exists`, "exists");
    return publicUser(user);
  }

  /** Sets a user's password; a UserStoreError ("not-found") for an unknown user. */
  async setPassword(name: string, password: string): Promise<void> {
    checkUserName(name);
    checkPassword(password);
    const hash = await this.#hash(password);
    await this.#update(name, (user) => ({ ...user, hash }));
  }

  /** Changes a user's role; refuses to demote the last admin ("last-admin"). */
  async setRole(name: string, role: Role): Promise<WebUser> {
    checkUserName(name);
    checkRole(role);
    return publicUser(await this.#update(name, (user) => ({ ...user, role }), role !== "admin"));
  }

  /** Deletes a user; refuses the last admin ("last-admin") and unknown names ("not-found"). */
  async delete(name: string): Promise<void> {
    checkUserName(name);
    await this.#update(name, () => null, true);
  }

  /** A user by name, or null. */
  async get(name: string): Promise<WebUser | null> {
    if (typeof name !== "string" || !NAME.test(name)) return null;
    const entry = await this.#kv.get<StoredUser>([PREFIX, name]);
    return entry.value ? publicUser(entry.value) : null;
  }

  /** Every user, by name, without hashes. */
  async list(): Promise<WebUser[]> {
    return (await this.#entries()).map((e) => publicUser(e.value));
  }

  /**
   * The user when the password is theirs, else null. An unknown name costs
   * the same hashing as a known one, so timing does not tell which names
   * exist. A hash with another iteration count is upgraded on success.
   */
  async verify(name: string, password: string): Promise<WebUser | null> {
    const valid = typeof name === "string" && NAME.test(name) && typeof password === "string" &&
      password.length <= MAX_PASSWORD_LENGTH * 2;
    const entry = valid ? await this.#kv.get<StoredUser>([PREFIX, name]) : null;
    if (!entry?.value) {
      await verifyPassword(typeof password === "string" ? password : "", await this.#dummyHash());
      return null;
    }
    if (!(await verifyPassword(password, entry.value.hash))) return null;
    if (parseHash(entry.value.hash).iterations !== this.#iterations) {
      const upgraded = { ...entry.value, hash: await this.#hash(password) };
      await this.#kv.atomic().check(entry).set(entry.key, upgraded).commit();
    }
    return publicUser(entry.value);
  }

  #hash(password: string): Promise<string> {
    return hashPassword(password, { iterations: this.#iterations });
  }

  #dummyHash(): Promise<string> {
    return this.#dummy ??= this.#hash(randomToken(16));
  }

  async #entries(): Promise<Deno.KvEntry<StoredUser>[]> {
    return await Array.fromAsync(this.#kv.list<StoredUser>({ prefix: [PREFIX] }));
  }

  /**
   * Rewrites (or with null deletes) a user atomically. With `guardAdmins`,
   * refuses when it would leave no admin, and checks every admin's entry so
   * that two concurrent changes cannot remove the last two.
   */
  async #update(
    name: string,
    change: (user: StoredUser) => StoredUser | null,
    guardAdmins = false,
  ): Promise<StoredUser> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const entries = guardAdmins
        ? await this.#entries()
        : [await this.#kv.get<StoredUser>([PREFIX, name])];
      const entry = entries.find((e) => e.value?.name === name) as
        | Deno.KvEntry<StoredUser>
        | undefined;
      if (!entry) throw new UserStoreError(`user "${name}" does not exist`, "not-found");
      const next = change(entry.value);
      const op = this.#kv.atomic().check(entry);
      if (guardAdmins) {
        const admins = entries.filter((e) => e.value?.role === "admin");
        if (entry.value.role === "admin" && next?.role !== "admin" && admins.length === 1) {
          throw new UserStoreError(`user "${name}" is the last admin`, "last-admin");
        }
        for (const admin of admins) op.check(admin);
      }
      if (next) op.set(entry.key, next);
      else op.delete(entry.key);
      if ((await op.commit()).ok) return next ?? entry.value;
    }
    throw new Error("web users: another writer kept changing the store; try again");
  }
}

function publicUser(user: StoredUser): WebUser {
  return { name: user.name, role: user.role, created: user.created };
}
