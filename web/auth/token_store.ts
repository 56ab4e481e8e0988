/**
 * API tokens for scripts and scrapers (`Authorization: Bearer sluice_...`),
 * in Deno KV by their SHA-256: the token is shown once, at creation, and
 * never stored. Each has a name, an owner, a role (at most the owner's) and
 * the time it was last used.
 *
 * @module
 */
import type { Role } from "../web_env.ts";
import { randomToken, sha256Hex } from "./_bytes.ts";

/** An API token as listed: never the token itself. */
export interface ApiToken {
  /** Short public id, for listing and revoking. */
  id: string;
  /** What it is for ("prometheus"). */
  name: string;
  /** Who created it. */
  user: string;
  role: Role;
  /** Epoch ms. */
  created: number;
  /** When it last authenticated a request (to the minute), or null. */
  lastUsed: number | null;
}

/** A token just created: the secret (shown once) and its record. */
export interface NewApiToken {
  token: string;
  info: ApiToken;
}

/** The text every token starts with, so that a leaked one is recognisable. */
export const TOKEN_PREFIX = "sluice_";
/** Tokens kept at most. */
export const MAX_TOKENS = 200;

interface StoredToken extends ApiToken {
  hash: string;
}

const BY_HASH = ["web-tokens", "by-hash"] as const;
const BY_ID = ["web-tokens", "by-id"] as const;
const TOKEN = /^sluice_[A-Za-z0-9_-]{43}$/;
const NAME = /^[\p{L}\p{N} ._:@/-]{1,64}$/u;
const LAST_USED_EVERY_MS = 60_000;

/**
 * API tokens in KV.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const tokens = new TokenStore(kv);
 * const { token, info } = await tokens.create(
 *   { name: "prometheus", user: "admin", role: "viewer" }, 1_700_000_000_000,
 * );
 * assertEquals((await tokens.verify(token, 1_700_000_060_000))?.id, info.id);
 * assertEquals(await tokens.revoke(info.id), true);
 * assertEquals(await tokens.verify(token, 1_700_000_120_000), null);
 * kv.close();
 * ```
 */
export class TokenStore {
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /**
   * Creates a token: `sluice_` and 32 random bytes in base64url. A RangeError
   * for a name that is not 1 to 64 letters, digits, spaces or `._:@/-`, or
   * when {@linkcode MAX_TOKENS} exist.
   */
  async create(
    spec: { name: string; user: string; role: Role },
    now: number,
  ): Promise<NewApiToken> {
    if (typeof spec?.name !== "string" || !NAME.test(spec.name)) {
      throw new RangeError(`token name must be 1 to 64 letters, digits, spaces or "._:@/-"`);
    }
    if (typeof spec.user !== "string" || spec.user === "") {
      throw new TypeError("token user must be a non-empty string");
    }
    if (spec.role !== "admin" && spec.role !== "viewer") {
      throw new RangeError(`token role must be "admin" or "viewer", got "${spec.role}"`);
    }
    if ((await this.list()).length >= MAX_TOKENS) {
      throw new RangeError(`${MAX_TOKENS} API tokens exist: revoke some first`);
    }
    const token = TOKEN_PREFIX + randomToken(32);
    const stored: StoredToken = {
      id: randomToken(9),
      name: spec.name,
      user: spec.user,
      role: spec.role,
      created: now,
      lastUsed: null,
      hash: await sha256Hex(token),
    };
    await this.#kv.atomic()
      .set([...BY_HASH, stored.hash], stored)
      .set([...BY_ID, stored.id], stored.hash)
      .commit();
    return { token, info: publicToken(stored) };
  }

  /**
   * The token's record when it is valid, else null; notes when it was used
   * (written at most once a minute).
   */
  async verify(token: string, now: number): Promise<ApiToken | null> {
    if (typeof token !== "string" || !TOKEN.test(token)) return null;
    const entry = await this.#kv.get<StoredToken>([...BY_HASH, await sha256Hex(token)]);
    if (!entry.value) return null;
    const { lastUsed } = entry.value;
    if (lastUsed === null || now - lastUsed >= LAST_USED_EVERY_MS) {
      const used = { ...entry.value, lastUsed: now };
      // A failed check means a concurrent use or a revocation: either way no write.
      await this.#kv.atomic().check(entry).set(entry.key, used).commit();
      return publicToken(used);
    }
    return publicToken(entry.value);
  }

  /** Every token, a user's or everyone's, oldest first. */
  async list(user?: string): Promise<ApiToken[]> {
    const all: ApiToken[] = [];
    for await (const entry of this.#kv.list<StoredToken>({ prefix: BY_HASH })) {
      if (user === undefined || entry.value.user === user) all.push(publicToken(entry.value));
    }
    return all.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  /** A token's record by id, or null. */
  async get(id: string): Promise<ApiToken | null> {
    const stored = await this.#byId(id);
    return stored ? publicToken(stored) : null;
  }

  /** Revokes a token by id; whether it existed. */
  async revoke(id: string): Promise<boolean> {
    const stored = await this.#byId(id);
    if (!stored) return false;
    await this.#kv.atomic().delete([...BY_HASH, stored.hash]).delete([...BY_ID, stored.id])
      .commit();
    return true;
  }

  /** Revokes every token of a user; how many. */
  async revokeAll(user: string): Promise<number> {
    const ids = (await this.list(user)).map((t) => t.id);
    for (const id of ids) await this.revoke(id);
    return ids.length;
  }

  async #byId(id: string): Promise<StoredToken | null> {
    if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) return null;
    const hash = (await this.#kv.get<string>([...BY_ID, id])).value;
    if (hash === null) return null;
    return (await this.#kv.get<StoredToken>([...BY_HASH, hash])).value;
  }
}

function publicToken({ hash: _, ...token }: StoredToken): ApiToken {
  return token;
}
