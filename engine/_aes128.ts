// Pure-TypeScript AES-128 block encryption for QUIC Initial header protection (ECB on one
// block) and payload decryption (GCM's CTR mode): node:crypto's ciphers cost a lazy load and a
// stream object per call, for a few hundred blocks per packet. Encryption direction only, since
// neither use ever runs the inverse cipher. Initial keys are public, so table lookups indexed by
// key-dependent bytes (not constant-time) are fine here.

/** The S-box (FIPS-197 §5.1.1), computed rather than typed in: GF(2^8) inverse, then affine. */
const SBOX = new Uint8Array(256);
/**
 * T-tables: SubBytes and MixColumns for one byte, one table per row position. Int32Array, as
 * V8 handles int32 faster than Uint32Array's values of 2^31 and above.
 */
const TE0 = new Int32Array(256);
const TE1 = new Int32Array(256);
const TE2 = new Int32Array(256);
const TE3 = new Int32Array(256);

/** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
function xtime(b: number): number {
  return ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
}

{
  // Powers of the generator 3 give log/antilog tables, and from them inverses.
  const exp = new Uint8Array(256), log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= xtime(x);
  }
  for (let b = 0; b < 256; b++) {
    const inv = b === 0 ? 0 : exp[(255 - log[b]) % 255];
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff;
    SBOX[b] = s ^ 0x63;
  }
  for (let b = 0; b < 256; b++) {
    const s = SBOX[b], s2 = xtime(s), s3 = s2 ^ s;
    const t = ((s2 << 24) | (s << 16) | (s << 8) | s3) >>> 0;
    TE0[b] = t;
    TE1[b] = (t >>> 8) | (t << 24);
    TE2[b] = (t >>> 16) | (t << 16);
    TE3[b] = (t >>> 24) | (t << 8);
  }
}

/** An AES-128 key, expanded once, that encrypts single 16-byte blocks. */
export class Aes128 {
  /** The 44 round-key words (FIPS-197 §5.2). */
  readonly #rk = new Int32Array(44);

  /** Expands `key`, which must be 16 bytes (RangeError otherwise). */
  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new RangeError(`AES-128 key must be 16 bytes, got ${key.length}`);
    const rk = this.#rk;
    for (let i = 0; i < 4; i++) {
      rk[i] = (key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3];
    }
    for (let i = 4, rcon = 1; i < 44; i++) {
      let t = rk[i - 1];
      if (i % 4 === 0) {
        t = (SBOX[(t >>> 16) & 0xff] << 24) | (SBOX[(t >>> 8) & 0xff] << 16) |
          (SBOX[t & 0xff] << 8) | SBOX[t >>> 24];
        t ^= rcon << 24;
        rcon = xtime(rcon);
      }
      rk[i] = rk[i - 4] ^ t;
    }
  }

  /** Encrypts the 16 bytes of `input` at `inOffset` into `output` at `outOffset` (may overlap). */
  encryptBlock(input: Uint8Array, inOffset: number, output: Uint8Array, outOffset: number): void {
    const rk = this.#rk;
    const p = input, o = inOffset;
    let s0 = ((p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3]) ^ rk[0];
    let s1 = ((p[o + 4] << 24) | (p[o + 5] << 16) | (p[o + 6] << 8) | p[o + 7]) ^ rk[1];
    let s2 = ((p[o + 8] << 24) | (p[o + 9] << 16) | (p[o + 10] << 8) | p[o + 11]) ^ rk[2];
    let s3 = ((p[o + 12] << 24) | (p[o + 13] << 16) | (p[o + 14] << 8) | p[o + 15]) ^ rk[3];
    for (let r = 4; r < 40; r += 4) {
      const t0 = TE0[s0 >>> 24] ^ TE1[(s1 >>> 16) & 0xff] ^ TE2[(s2 >>> 8) & 0xff] ^
        TE3[s3 & 0xff] ^ rk[r];
      const t1 = TE0[s1 >>> 24] ^ TE1[(s2 >>> 16) & 0xff] ^ TE2[(s3 >>> 8) & 0xff] ^
        TE3[s0 & 0xff] ^ rk[r + 1];
      const t2 = TE0[s2 >>> 24] ^ TE1[(s3 >>> 16) & 0xff] ^ TE2[(s0 >>> 8) & 0xff] ^
        TE3[s1 & 0xff] ^ rk[r + 2];
      const t3 = TE0[s3 >>> 24] ^ TE1[(s0 >>> 16) & 0xff] ^ TE2[(s1 >>> 8) & 0xff] ^
        TE3[s2 & 0xff] ^ rk[r + 3];
      s0 = t0;
      s1 = t1;
      s2 = t2;
      s3 = t3;
    }
    // The last round has no MixColumns: S-box bytes in ShiftRows order.
    const out = output, q = outOffset;
    let k = rk[40];
    out[q] = SBOX[s0 >>> 24] ^ (k >>> 24);
    out[q + 1] = SBOX[(s1 >>> 16) & 0xff] ^ (k >>> 16);
    out[q + 2] = SBOX[(s2 >>> 8) & 0xff] ^ (k >>> 8);
    out[q + 3] = SBOX[s3 & 0xff] ^ k;
    k = rk[41];
    out[q + 4] = SBOX[s1 >>> 24] ^ (k >>> 24);
    out[q + 5] = SBOX[(s2 >>> 16) & 0xff] ^ (k >>> 16);
    out[q + 6] = SBOX[(s3 >>> 8) & 0xff] ^ (k >>> 8);
    out[q + 7] = SBOX[s0 & 0xff] ^ k;
    k = rk[42];
    out[q + 8] = SBOX[s2 >>> 24] ^ (k >>> 24);
    out[q + 9] = SBOX[(s3 >>> 16) & 0xff] ^ (k >>> 16);
    out[q + 10] = SBOX[(s0 >>> 8) & 0xff] ^ (k >>> 8);
    out[q + 11] = SBOX[s1 & 0xff] ^ k;
    k = rk[43];
    out[q + 12] = SBOX[s3 >>> 24] ^ (k >>> 24);
    out[q + 13] = SBOX[(s0 >>> 16) & 0xff] ^ (k >>> 16);
    out[q + 14] = SBOX[(s1 >>> 8) & 0xff] ^ (k >>> 8);
    out[q + 15] = SBOX[s2 & 0xff] ^ k;
  }
}
