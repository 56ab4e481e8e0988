/**
 * Browser sessions in Deno KV. The cookie holds a random 32-byte token; the
 * store keeps only its SHA-256, so a copy of the store logs nobody in. A
 * session ends after 12 hours without use or 7 days after login, whichever
 * comes first; it carries its own CSRF token and a short public id for
 * listing and revoking.
 *
 * @module
 */
import type { Role } from "../web_env.ts";
import { randomToken, sha256Hex } from "./_bytes.ts";

/** A session as listed: never the token itself. */
export interface Session {
  /** Short public id, for listing and revoking. */
  id: string;
  user: string;
  role: Role;
  /** The token state-changing requests must echo in X-CSRF-Token. */
  csrf: string;
  /** Epoch ms. */
  created: number;
  lastSeen: number;
  /** When it ends unless used again (idle expiry, capped by the absolute one). */
  expires: number;
  userAgent?: string;
  address?: string;
}

/** A session just created, with the token for the cookie (shown once). */
export interface NewSession {
  token: string;
  session: Session;
}

/** Options of {@linkcode SessionStore}. */
export interface SessionStoreOptions {
  /** Ends a session this long after its last use (default 12 h). */
  idleMs?: number;
  /** Ends a session this long after login, used or not (default 7 days). */
  absoluteMs?: number;
  /** `touch` writes at most this often per session (default 1 minute). */
  touchEveryMs?: number;
  /** Sessions kept per user; a new login ends the least recently used beyond it (default 50). */
  maxPerUser?: number;
}

interface StoredSession extends Session {
  hash: string;
}

const BY_HASH = ["web-sessions", "by-hash"] as const;
const BY_ID = ["web-sessions", "by-id"] as const;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const HOUR = 3_600_000;

/**
 * Sessions in KV; every method takes the time (`now`, epoch ms).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const sessions = new SessionStore(kv);
 * const now = 1_700_000_000_000;
 * const { token, session } = await sessions.create({ name: "alice", role: "viewer" }, now);
 * assertEquals((await sessions.touch(token, now + 60_000))?.id, session.id);
 * assertEquals(await sessions.touch(token, now + 13 * 3_600_000), null); // idle too long
 * kv.close();
 * ```
 */
export class SessionStore {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly #touchEveryMs: number;
  readonly #maxPerUser: number;
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv, options: SessionStoreOptions = {}) {
    this.#kv = kv;
    this.idleMs = positive(options.idleMs ?? 12 * HOUR, "idleMs");
    this.absoluteMs = positive(options.absoluteMs ?? 7 * 24 * HOUR, "absoluteMs");
    this.#touchEveryMs = positive(options.touchEveryMs ?? 60_000, "touchEveryMs");
    this.#maxPerUser = positive(options.maxPerUser ?? 50, "maxPerUser");
  }

  /** Starts a session for a user; returns its token (for the cookie) and the session. */
  async create(
    user: { name: string; role: Role },
    now: number,
    meta: { userAgent?: string; address?: string } = {},
  ): Promise<NewSession> {
    if (typeof user?.name !== "string" || user.name === "") {
      throw new TypeError("session user name must be a non-empty string");
    }
    if (user.role !== "admin" && user.role !== "viewer") {
      throw new RangeError(`session role must be "admin" or "viewer", got "${user.role}"`);
    }
    const token = randomToken(32);
    const session: StoredSession = {
      id: randomToken(9),
      user: user.name,
      role: user.role,
      csrf: randomToken(32),
      created: now,
      lastSeen: now,
      expires: Math.min(now + this.idleMs, now + this.absoluteMs),
      ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 256) } : {}),
      ...(meta.address ? { address: meta.address.slice(0, 64) } : {}),
      hash: await sha256Hex(token),
    };
    const mine = await this.#stored(now, user.name);
    mine.sort((a, b) => a.lastSeen - b.lastSeen);
    for (const old of mine.slice(0, Math.max(0, mine.length - this.#maxPerUser + 1))) {
      await this.#remove(old);
    }
    await this.#write(session, now);
    return { token, session: publicSession(session) };
  }

  /** The live session a token opens, or null (unknown, malformed or expired). */
  async get(token: string, now: number): Promise<Session | null> {
    const entry = await this.#entry(token, now);
    return entry ? publicSession(entry.value) : null;
  }

  /**
   * {@linkcode get}, and marks the session used: its idle expiry moves on,
   * written at most once a minute so that requests do not each cost a write.
   */
  async touch(token: string, now: number): Promise<Session | null> {
    const entry = await this.#entry(token, now);
    if (!entry) return null;
    if (now - entry.value.lastSeen < this.#touchEveryMs) return publicSession(entry.value);
    const session = {
      ...entry.value,
      lastSeen: now,
      expires: Math.min(now + this.idleMs, entry.value.created + this.absoluteMs),
    };
    const ttl = session.expires - now;
    const done = await this.#kv.atomic().check(entry)
      .set(entry.key, session, { expireIn: ttl })
      .set([...BY_ID, session.id], session.hash, { expireIn: ttl })
      .commit();
    return done.ok ? publicSession(session) : await this.get(token, now);
  }

  /** A live session by its public id, or null. */
  async getById(id: string, now: number): Promise<Session | null> {
    const session = await this.#byId(id);
    return session && now < session.expires ? publicSession(session) : null;
  }

  /** Live sessions, a user's or everyone's, most recently used first; removes expired ones. */
  async list(now: number, user?: string): Promise<Session[]> {
    const live = await this.#stored(now, user);
    return live.sort((a, b) => b.lastSeen - a.lastSeen).map(publicSession);
  }

  /** Ends a session by id; whether it existed. */
  async revoke(id: string): Promise<boolean> {
    const session = await this.#byId(id);
    if (session) await this.#remove(session);
    return session !== null;
  }

  /** Ends every session of a user, but `exceptId`; how many ended. */
  async revokeAll(user: string, exceptId?: string): Promise<number> {
    let ended = 0;
    for await (const entry of this.#kv.list<StoredSession>({ prefix: BY_HASH })) {
      if (entry.value.user !== user || entry.value.id === exceptId) continue;
      await this.#remove(entry.value);
      ended++;
    }
    return ended;
  }

  async #entry(token: string, now: number): Promise<Deno.KvEntry<StoredSession> | null> {
    if (typeof token !== "string" || !TOKEN.test(token)) return null;
    const entry = await this.#kv.get<StoredSession>([...BY_HASH, await sha256Hex(token)]);
    if (!entry.value) return null;
    if (now >= entry.value.expires) {
      await this.#remove(entry.value);
      return null;
    }
    return entry as Deno.KvEntry<StoredSession>;
  }

  async #byId(id: string): Promise<StoredSession | null> {
    if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) return null;
    const hash = (await this.#kv.get<string>([...BY_ID, id])).value;
    if (hash === null) return null;
    return (await this.#kv.get<StoredSession>([...BY_HASH, hash])).value;
  }

  /** Live sessions as stored; expired ones found on the way are removed. */
  async #stored(now: number, user?: string): Promise<StoredSession[]> {
    const live: StoredSession[] = [];
    for await (const entry of this.#kv.list<StoredSession>({ prefix: BY_HASH })) {
      if (now >= entry.value.expires) await this.#remove(entry.value);
      else if (user === undefined || entry.value.user === user) live.push(entry.value);
    }
    return live;
  }

  async #write(session: StoredSession, now: number): Promise<void> {
    // KV's own expiry is a backstop for sessions nobody looks at again.
    const expireIn = Math.max(1, session.expires - now);
    await this.#kv.atomic()
      .set([...BY_HASH, session.hash], session, { expireIn })
      .set([...BY_ID, session.id], session.hash, { expireIn })
      .commit();
  }

  async #remove(session: StoredSession): Promise<void> {
    await this.#kv.atomic().delete([...BY_HASH, session.hash]).delete([...BY_ID, session.id])
      .commit();
  }
}

function publicSession({ hash: _, ...session }: StoredSession): Session {
  return session;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}
