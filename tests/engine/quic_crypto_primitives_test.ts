// The pure-TypeScript SHA-256/HMAC, AES-128 and AES-128-GCM behind QUIC Initial decryption:
// published known answers, then randomized agreement with node:crypto.
import { createCipheriv, createHmac } from "node:crypto";
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { HmacSha256, hmacSha256, sha256 } from "../../engine/_sha256.ts";
import { Aes128 } from "../../engine/_aes128.ts";
import { aes128GcmOpen } from "../../engine/_aes_gcm.ts";
import { prng } from "./_packets.ts";

const text = (s: string) => new TextEncoder().encode(s);
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** `n` deterministic pseudo-random bytes. */
function random(rng: ReturnType<typeof prng>, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rng.int(256));
}

/** Lengths around every block boundary up to 300, plus a full-size QUIC Initial payload. */
const LENGTHS = [...Array.from({ length: 301 }, (_, i) => i), 1300, 1350];

/** node:crypto's AES-128-GCM seal: ciphertext followed by the tag. */
function seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Uint8Array {
  const c = createCipheriv("aes-128-gcm", key, nonce);
  c.setAAD(aad);
  const body = c.update(plain);
  c.final();
  const sealed = new Uint8Array(body.length + 16);
  sealed.set(body);
  sealed.set(c.getAuthTag(), body.length);
  return sealed;
}

Deno.test("sha256() matches FIPS 180-4 for the empty string, 'abc' and two blocks", () => {
  assertEquals(
    hex(sha256(new Uint8Array(0))),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assertEquals(
    hex(sha256(text("abc"))),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assertEquals(
    hex(sha256(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("hmacSha256() matches RFC 4231 test case 1", () => {
  assertEquals(
    hex(hmacSha256(new Uint8Array(20).fill(0x0b), text("Hi There"))),
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  );
});

Deno.test("hmacSha256() matches RFC 4231 test case 2", () => {
  assertEquals(
    hex(hmacSha256(text("Jefe"), text("what do ya want for nothing?"))),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});

Deno.test("hmacSha256() matches RFC 4231 test case 6 (a 131-byte key, hashed first)", () => {
  const data = text("Test Using Larger Than Block-Size Key - Hash Key First");
  assertEquals(
    hex(hmacSha256(new Uint8Array(131).fill(0xaa), data)),
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  );
});

Deno.test("hmacSha256() agrees with node:crypto over data of 0 to 300 and ~1300 bytes", () => {
  const rng = prng(0x5eed0001);
  for (const length of LENGTHS) {
    const key = random(rng, [0, 1, 20, 32, 63, 64, 65, 131][length % 8]);
    const data = random(rng, length);
    const expected = createHmac("sha256", key).update(data).digest("hex");
    assertEquals(hex(hmacSha256(key, data)), expected, `data length ${length}`);
  }
});

Deno.test("HmacSha256 digest() gives each message its own MAC under one key", () => {
  const rng = prng(7);
  for (const keyLength of [0, 20, 32, 64, 65, 131]) {
    const key = random(rng, keyLength);
    const mac = new HmacSha256(key);
    for (const length of [0, 1, 55, 56, 64, 200]) {
      const data = random(rng, length);
      const expected = createHmac("sha256", key).update(data).digest("hex");
      assertEquals(hex(mac.digest(data)), expected, `key ${keyLength}, data ${length}`);
    }
  }
});

Deno.test("Aes128 encryptBlock() matches FIPS-197 Appendix C.1", () => {
  const aes = new Aes128(bytes("000102030405060708090a0b0c0d0e0f"));
  const out = new Uint8Array(16);
  aes.encryptBlock(bytes("00112233445566778899aabbccddeeff"), 0, out, 0);
  assertEquals(hex(out), "69c4e0d86a7b0430d8cdb78070b4c55a");
});

Deno.test("Aes128 encryptBlock() agrees with node:crypto aes-128-ecb, at offsets and in place", () => {
  const rng = prng(0x5eed0002);
  for (let n = 0; n < 200; n++) {
    const key = random(rng, 16), block = random(rng, 16);
    const ecb = createCipheriv("aes-128-ecb", key, null).setAutoPadding(false);
    const expected = hex(ecb.update(block));
    const aes = new Aes128(key);
    const buffer = new Uint8Array(40);
    buffer.set(block, 3);
    aes.encryptBlock(buffer, 3, buffer, 21);
    assertEquals(hex(buffer.subarray(21, 37)), expected);
    aes.encryptBlock(block, 0, block, 0);
    assertEquals(hex(block), expected);
  }
});

Deno.test("Aes128 constructor throws RangeError for a key that is not 16 bytes", () => {
  for (const length of [0, 15, 17, 24, 32]) {
    assertThrows(() => new Aes128(new Uint8Array(length)), RangeError);
  }
});

Deno.test("aes128GcmOpen() matches NIST GCM spec test case 2", () => {
  const aes = new Aes128(new Uint8Array(16));
  const sealed = bytes("0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf");
  const plain = aes128GcmOpen(aes, new Uint8Array(12), new Uint8Array(0), sealed);
  assertEquals(plain && hex(plain), "00000000000000000000000000000000");
});

const K3 = bytes("feffe9928665731c6d6a8f9467308308");
const IV3 = bytes("cafebabefacedbaddecaf888");
const P3 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" +
  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const C3 = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" +
  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";

Deno.test("aes128GcmOpen() matches NIST GCM spec test case 3", () => {
  const sealed = bytes(C3 + "4d5c2af327cd64a62cf35abd2ba6fab4");
  const plain = aes128GcmOpen(new Aes128(K3), IV3, new Uint8Array(0), sealed);
  assertEquals(plain && hex(plain), P3);
});

Deno.test("aes128GcmOpen() matches NIST GCM spec test case 4 (60 bytes, with AAD)", () => {
  const aad = bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const sealed = bytes(C3.slice(0, 120) + "5bc94fbc3221a5db94fae95ae7121a47");
  const plain = aes128GcmOpen(new Aes128(K3), IV3, aad, sealed);
  assertEquals(plain && hex(plain), P3.slice(0, 120));
});

Deno.test("aes128GcmOpen() agrees with node:crypto aes-128-gcm over 0 to 300 and ~1300 bytes", () => {
  const rng = prng(0x5eed0003);
  // Two keys used alternately, so each packet finds its own cached GHASH table.
  const keys = [random(rng, 16), random(rng, 16)];
  const ciphers = keys.map((key) => new Aes128(key));
  for (const length of LENGTHS) {
    const k = length % 2, nonce = random(rng, 12);
    const aad = random(rng, [0, 1, 15, 16, 17, 20, 47][length % 7]);
    const plain = random(rng, length);
    const opened = aes128GcmOpen(ciphers[k], nonce, aad, seal(keys[k], nonce, aad, plain));
    assertEquals(opened && hex(opened), hex(plain), `length ${length}`);
  }
});

Deno.test("aes128GcmOpen() returns null when any bit of the tag, ciphertext or AAD flips", () => {
  const rng = prng(0x5eed0004);
  const key = random(rng, 16), nonce = random(rng, 12), aad = random(rng, 21);
  const sealed = seal(key, nonce, aad, random(rng, 50));
  const aes = new Aes128(key);
  assertEquals(aes128GcmOpen(aes, nonce, aad, sealed)?.length, 50);
  for (let bit = 0; bit < sealed.length * 8; bit += 7) {
    const bad = sealed.slice();
    bad[bit >> 3] ^= 1 << (bit & 7);
    assertStrictEquals(aes128GcmOpen(aes, nonce, aad, bad), null, `bit ${bit}`);
  }
  const badAad = aad.slice();
  badAad[20] ^= 0x80;
  assertStrictEquals(aes128GcmOpen(aes, nonce, badAad, sealed), null);
  const badNonce = nonce.slice();
  badNonce[11] ^= 1;
  assertStrictEquals(aes128GcmOpen(aes, badNonce, aad, sealed), null);
});

Deno.test("aes128GcmOpen() returns null when sealed is shorter than a tag", () => {
  const aes = new Aes128(new Uint8Array(16));
  for (let length = 0; length < 16; length++) {
    assertStrictEquals(
      aes128GcmOpen(aes, new Uint8Array(12), new Uint8Array(0), new Uint8Array(length)),
      null,
    );
  }
});

Deno.test("aes128GcmOpen() opens an empty ciphertext (NIST GCM spec test case 1)", () => {
  const aes = new Aes128(new Uint8Array(16));
  const plain = aes128GcmOpen(
    aes,
    new Uint8Array(12),
    new Uint8Array(0),
    bytes("58e2fccefa7e3061367f1d57a4e7455a"),
  );
  assertEquals(plain, new Uint8Array(0));
});

Deno.test("aes128GcmOpen() throws RangeError for a nonce that is not 12 bytes", () => {
  const aes = new Aes128(new Uint8Array(16));
  for (const length of [0, 8, 11, 13, 16]) {
    assertThrows(
      () => aes128GcmOpen(aes, new Uint8Array(length), new Uint8Array(0), new Uint8Array(16)),
      RangeError,
    );
  }
});
