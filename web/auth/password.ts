/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto, in a self-describing
 * text form (`pbkdf2-sha256$ITERATIONS$SALT$HASH`, base64) so that a later
 * Sluice can raise the iteration count and still verify older hashes; and
 * readable generated passwords for the first admin.
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from "./_bytes.ts";

/** The iteration count new hashes get (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const PBKDF2_ITERATIONS = 600_000;
/** The scheme name at the start of a stored hash. */
export const HASH_SCHEME = "pbkdf2-sha256";
/** Above this a stored hash is refused: it would tie up the CPU for minutes. */
export const MAX_ITERATIONS = 10_000_000;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const encoder = new TextEncoder();

/** Options of {@linkcode hashPassword}. */
export interface HashOptions {
  /** PBKDF2 iterations, 1 to {@linkcode MAX_ITERATIONS} (default {@linkcode PBKDF2_ITERATIONS}). */
  iterations?: number;
  /** The salt, at least 8 bytes (default 16 random bytes). */
  salt?: Uint8Array;
}

/** A stored hash taken apart. */
export interface ParsedHash {
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

/**
 * Hashes a password for storage: `pbkdf2-sha256$600000$<salt>$<hash>` with a
 * 16-byte random salt and a 32-byte key, both in standard base64. The
 * password is NFC-normalised first, so that the same characters typed on a
 * phone and a laptop match.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * const stored = await hashPassword("correct horse", { iterations: 1000 });
 * assert(stored.startsWith("pbkdf2-sha256$1000$"));
 * assert(await verifyPassword("correct horse", stored));
 * ```
 */
export async function hashPassword(password: string, options: HashOptions = {}): Promise<string> {
  if (typeof password !== "string") throw new TypeError("password must be a string");
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  checkIterations(iterations);
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  if (!(salt instanceof Uint8Array)) throw new TypeError("salt must be a Uint8Array");
  if (salt.length < 8) throw new RangeError(`salt must be at least 8 bytes, got ${salt.length}`);
  const hash = await derive(password, salt, iterations, KEY_BYTES);
  return [HASH_SCHEME, iterations, salt.toBase64(), hash.toBase64()].join("$");
}

/**
 * Whether a password matches a hash from {@linkcode hashPassword}, compared
 * in constant time. Throws a TypeError for a stored text that is not such a
 * hash (a corrupt store should be loud, not a failed login).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const stored = await hashPassword("correct horse", { iterations: 1000 });
 * assertEquals(await verifyPassword("wrong horse", stored), false);
 * ```
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (typeof password !== "string") throw new TypeError("password must be a string");
  const { iterations, salt, hash } = parseHash(stored);
  return timingSafeEqual(await derive(password, salt, iterations, hash.length), hash);
}

/**
 * Takes a stored hash apart; a TypeError naming what is wrong when it is not
 * `pbkdf2-sha256$ITERATIONS$SALT$HASH`, a RangeError for an iteration count
 * out of range.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseHash("pbkdf2-sha256$1000$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==").iterations, 1000);
 * ```
 */
export function parseHash(stored: string): ParsedHash {
  const expected = `expected ${HASH_SCHEME}$ITERATIONS$SALT$HASH`;
  if (typeof stored !== "string") throw new TypeError(`stored password hash: ${expected}`);
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== HASH_SCHEME) {
    throw new TypeError(`stored password hash is malformed: ${expected}`);
  }
  if (!/^[1-9][0-9]{0,8}$/.test(parts[1])) {
    throw new TypeError(`stored password hash has a malformed iteration count "${parts[1]}"`);
  }
  const iterations = Number(parts[1]);
  checkIterations(iterations);
  const salt = decode(parts[2], "salt");
  const hash = decode(parts[3], "hash");
  if (salt.length < 8) throw new TypeError("stored password hash has a salt under 8 bytes");
  if (hash.length < 16 || hash.length > 64) {
    throw new TypeError(`stored password hash has a ${hash.length}-byte hash, not 16 to 64`);
  }
  return { iterations, salt, hash };
}

/** Readable letters and digits: Crockford's base32 (no i, l, o, u), 5 bits a character. */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A random password of 20 base32 characters (100 bits) in groups of five,
 * easy to read off a terminal and type on a phone: `k7m2q-x9c4e-...`.
 *
 * @example
 * ```ts
 * import { assertMatch } from "@std/assert";
 * assertMatch(generatePassword(), /^[0-9a-hjkmnp-tv-z]{5}(-[0-9a-hjkmnp-tv-z]{5}){3}$/);
 * ```
 */
export function generatePassword(): string {
  // 32 characters: a byte's low five bits pick one without bias.
  const chars = Array.from(randomBytes(20), (b) => ALPHABET[b & 31]).join("");
  return chars.match(/.{5}/g)!.join("-");
}

function checkIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new RangeError(
      `iterations must be a whole number from 1 to ${MAX_ITERATIONS}, got ${iterations}`,
    );
  }
}

function decode(text: string, what: string): Uint8Array {
  try {
    if (text === "") throw new SyntaxError("empty");
    return Uint8Array.fromBase64(text);
  } catch {
    throw new TypeError(`stored password hash has a malformed ${what} (not base64)`);
  }
}

async function derive(
  password: string,
  salt: Uint8Array,
  iterations: number,
  bytes: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(password.normalize("NFC")),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(salt), iterations },
    key,
    bytes * 8,
  );
  return new Uint8Array(bits);
}
