// Pure-TypeScript AES-128-GCM decryption (NIST SP 800-38D) for QUIC Initial packets:
// node:crypto's createDecipheriv costs a lazy load and a stream object per packet. GHASH uses
// Shoup's 4-bit tables, built once per key and cached, since one key opens several packets.
import type { Aes128 } from "./_aes128.ts";

/**
 * GHASH values are 128-bit field elements held as four big-endian 32-bit words, word 0 first;
 * GCM's bit order puts the coefficient of x^0 in the top bit of word 0 and x^127 in the
 * bottom bit of word 3, so multiplying by x is a right shift. Int32Array keeps V8 in int32.
 */
type Words = Int32Array;

/** Multiplies `v` (4 words at `at`) by x in place, reducing by x^128 + x^7 + x^2 + x + 1. */
function timesX(v: Words, at: number): void {
  const carry = v[at + 3] & 1;
  v[at + 3] = (v[at + 3] >>> 1) | (v[at + 2] << 31);
  v[at + 2] = (v[at + 2] >>> 1) | (v[at + 1] << 31);
  v[at + 1] = (v[at + 1] >>> 1) | (v[at] << 31);
  v[at] = (v[at] >>> 1) ^ (carry ? 0xe1000000 : 0);
}

/**
 * What the 4 bits shifted out of word 3 by a 4-bit right shift fold back into word 0: computed
 * by shifting each 4-bit remainder through timesX four times (the rest of the value stays zero).
 */
const REDUCE = new Int32Array(16);
{
  const v = new Int32Array(4);
  for (let rem = 0; rem < 16; rem++) {
    v.fill(0);
    v[3] = rem;
    for (let i = 0; i < 4; i++) timesX(v, 0);
    REDUCE[rem] = v[0];
  }
}

/**
 * Shoup's table for H: entry n (4 words at 4n) is n·H, where the nibble's top bit is the x^0
 * coefficient, so entries 8, 4, 2, 1 are H, H·x, H·x^2, H·x^3 and the rest are their sums.
 */
function shoupTable(cipher: Aes128): Words {
  const h = new Uint8Array(16);
  cipher.encryptBlock(h, 0, h, 0);
  const t = new Int32Array(64);
  for (let i = 0; i < 4; i++) {
    t[32 + i] = (h[4 * i] << 24) | (h[4 * i + 1] << 16) | (h[4 * i + 2] << 8) | h[4 * i + 3];
  }
  for (let n = 4; n >= 1; n >>= 1) {
    t.copyWithin(4 * n, 8 * n, 8 * n + 4);
    timesX(t, 4 * n);
  }
  for (let n = 2; n < 16; n <<= 1) {
    for (let m = 1; m < n; m++) {
      for (let i = 0; i < 4; i++) t[4 * (n + m) + i] = t[4 * n + i] ^ t[4 * m + i];
    }
  }
  return t;
}

/** GHASH tables by key: a QUIC connection opens all its Initial packets with one key. */
const tables = new WeakMap<Aes128, Words>();

/** The running GHASH value Y, and scratch blocks; all reused, as decryption is synchronous. */
const Y = new Int32Array(4);
const PARTIAL = new Uint8Array(16);
const COUNTER = new Uint8Array(16);
const STREAM = new Uint8Array(16);

/** Y = (Y xor block) · H for each 16-byte block of p[start, end), the last one zero-padded. */
function absorb(t: Words, p: Uint8Array, start: number, end: number): void {
  for (let at = start; at < end; at += 16) {
    let b = p, o = at;
    if (end - at < 16) {
      PARTIAL.fill(0);
      PARTIAL.set(p.subarray(at, end));
      b = PARTIAL;
      o = 0;
    }
    for (let i = 0; i < 4; i++, o += 4) {
      Y[i] ^= (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
    }
    multiply(t);
  }
}

/** Y = Y · H by Horner's rule over Y's 32 nibbles, highest-degree (last) nibble first. */
function multiply(t: Words): void {
  let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
  for (let i = 3; i >= 0; i--) {
    const w = Y[i];
    // Within a word the last byte's low nibble holds the highest degrees.
    for (let s = 0; s < 32; s += 4) {
      const rem = z3 & 15;
      z3 = (z3 >>> 4) | (z2 << 28);
      z2 = (z2 >>> 4) | (z1 << 28);
      z1 = (z1 >>> 4) | (z0 << 28);
      z0 = (z0 >>> 4) ^ REDUCE[rem];
      const n = ((w >>> s) & 15) << 2;
      z0 ^= t[n];
      z1 ^= t[n + 1];
      z2 ^= t[n + 2];
      z3 ^= t[n + 3];
    }
  }
  Y[0] = z0;
  Y[1] = z1;
  Y[2] = z2;
  Y[3] = z3;
}

/** Sets COUNTER to nonce || counter (32-bit big-endian) and encrypts it into STREAM. */
function keystream(cipher: Aes128, counter: number): void {
  COUNTER[12] = counter >>> 24;
  COUNTER[13] = counter >>> 16;
  COUNTER[14] = counter >>> 8;
  COUNTER[15] = counter;
  cipher.encryptBlock(COUNTER, 0, STREAM, 0);
}

/**
 * Opens AES-128-GCM `sealed` (ciphertext then 16-byte tag) under `cipher`, a 12-byte `nonce`
 * and `aad`: the plaintext, or null when the tag does not verify or `sealed` is shorter than a
 * tag. Throws RangeError for a nonce of another length (GCM would hash it; QUIC never needs it).
 */
export function aes128GcmOpen(
  cipher: Aes128,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | null {
  if (nonce.length !== 12) throw new RangeError(`GCM nonce must be 12 bytes, got ${nonce.length}`);
  if (sealed.length < 16) return null;
  const length = sealed.length - 16;
  let t = tables.get(cipher);
  if (t === undefined) tables.set(cipher, t = shoupTable(cipher));

  Y.fill(0);
  absorb(t, aad, 0, aad.length);
  absorb(t, sealed, 0, length);
  // The lengths block: bit lengths of AAD and ciphertext, 64-bit big-endian each.
  const aadBits = aad.length * 8, textBits = length * 8;
  Y[0] ^= Math.floor(aadBits / 0x100000000);
  Y[1] ^= aadBits >>> 0;
  Y[2] ^= Math.floor(textBits / 0x100000000);
  Y[3] ^= textBits >>> 0;
  multiply(t);

  // Tag = E(K, J0) xor GHASH, where J0 = nonce || 1; checked before decrypting anything.
  COUNTER.set(nonce);
  keystream(cipher, 1);
  for (let i = 0; i < 16; i++) {
    const tag = (STREAM[i] ^ (Y[i >> 2] >>> (24 - 8 * (i & 3)))) & 0xff;
    if (tag !== sealed[length + i]) return null;
  }

  const plain = new Uint8Array(length);
  for (let at = 0, counter = 2; at < length; at += 16, counter++) {
    keystream(cipher, counter);
    const n = Math.min(16, length - at);
    for (let i = 0; i < n; i++) plain[at + i] = sealed[at + i] ^ STREAM[i];
  }
  return plain;
}
