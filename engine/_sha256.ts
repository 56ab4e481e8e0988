// Pure-TypeScript SHA-256 and HMAC for QUIC Initial key derivation: node:crypto's createHmac
// builds a stream object per call and costs a lazy load of ~40 ms, for a handful of short inputs.
// QUIC Initial keys are public, so nothing here needs to be constant-time.

// Words live in Int32Arrays: V8 keeps int32 values unboxed, while Uint32Array reads of 2^31 and
// above become doubles; the bits are the same.

// deno-fmt-ignore
/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// deno-fmt-ignore
/** FIPS 180-4 §5.3.3: the initial hash value. */
const H0 = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message schedule, reused by every block: hashing is synchronous, so one is enough. */
const W = new Int32Array(64);
/** The final one or two padded blocks, reused likewise. */
const TAIL = new Uint8Array(128);

/** Compresses the 64-byte block of `p` at `at` into the state `h`. */
function compress(h: Int32Array, p: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    W[i] = (p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15], y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + k) | 0;
}

/** The running hash state, HMAC's padded key and its inner digest; reused likewise. */
const STATE = new Int32Array(8);
const PAD = new Uint8Array(64);
const INNER = new Uint8Array(32);

/**
 * Writes into `out` the hash of a message whose first `done` bytes (whole
 * blocks) left the state `start`, followed by `data`: HMAC resumes from its
 * padded key's block without hashing it again.
 */
function finish(start: Int32Array, done: number, data: Uint8Array, out: Uint8Array): Uint8Array {
  const h = STATE;
  h.set(start);
  const whole = data.length & ~63;
  for (let at = 0; at < whole; at += 64) compress(h, data, at);
  const rest = data.length - whole;
  const tailLength = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) TAIL[i] = data[whole + i];
  TAIL[rest] = 0x80;
  TAIL.fill(0, rest + 1, tailLength);
  // The length in bits, big-endian in the last 8 bytes; inputs stay far below 2^53 bits.
  const bits = (done + data.length) * 8;
  const high = Math.floor(bits / 0x100000000), low = bits >>> 0;
  for (let i = 0; i < 4; i++) {
    TAIL[tailLength - 8 + i] = high >>> (24 - 8 * i);
    TAIL[tailLength - 4 + i] = low >>> (24 - 8 * i);
  }
  for (let at = 0; at < tailLength; at += 64) compress(h, TAIL, at);
  for (let i = 0; i < 8; i++) {
    out[4 * i] = h[i] >>> 24;
    out[4 * i + 1] = h[i] >>> 16;
    out[4 * i + 2] = h[i] >>> 8;
    out[4 * i + 3] = h[i];
  }
  return out;
}

/** The SHA-256 digest (FIPS 180-4) of `data`: 32 bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  return finish(H0, 0, data, new Uint8Array(32));
}

/**
 * HMAC-SHA256 (RFC 2104) under one key of any length. The padded key's two
 * blocks are compressed once, so each message costs half as much again as
 * {@linkcode hmacSha256}: HKDF expands several labels under one secret.
 */
export class HmacSha256 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);

  constructor(key: Uint8Array) {
    PAD.fill(0);
    if (key.length > 64) sha256Into(key, PAD);
    else PAD.set(key);
    for (let i = 0; i < 64; i++) PAD[i] ^= 0x36;
    this.#inner.set(H0);
    compress(this.#inner, PAD, 0);
    for (let i = 0; i < 64; i++) PAD[i] ^= 0x36 ^ 0x5c;
    this.#outer.set(H0);
    compress(this.#outer, PAD, 0);
  }

  /** The 32-byte MAC of `data`. */
  digest(data: Uint8Array): Uint8Array {
    finish(this.#inner, 64, data, INNER);
    return finish(this.#outer, 64, INNER, new Uint8Array(32));
  }
}

function sha256Into(data: Uint8Array, out: Uint8Array): void {
  finish(H0, 0, data, out);
}

/** HMAC-SHA256 (RFC 2104) of `data` under `key` of any length: 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new HmacSha256(key).digest(data);
}
