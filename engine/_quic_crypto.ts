// QUIC Initial packet protection (RFC 9001 §5, RFC 9369 §3.3), over node:crypto:
// HKDF-Expand-Label key derivation, AES-128-ECB header protection masks and
// AES-128-GCM payload decryption. Internal to engine/quic_initial.ts.
import { createCipheriv, createDecipheriv, createHmac } from "node:crypto";

/** The keys protecting one direction of Initial packets. */
export interface InitialKeys {
  /** AES-128-GCM key. */
  key: Uint8Array;
  /** 12-byte nonce base, XORed with the packet number. */
  iv: Uint8Array;
  /** AES-128 header protection key. */
  hp: Uint8Array;
}

/** How a QUIC version protects Initial packets. */
export interface InitialScheme {
  salt: Uint8Array;
  /** "quic" for v1 and drafts, "quicv2" for v2: label prefix of key/iv/hp. */
  labelPrefix: string;
  /** Long header packet type bits (0x30 of the first byte) that mean Initial. */
  initialType: number;
}

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const V1: InitialScheme = {
  salt: hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
  labelPrefix: "quic",
  initialType: 0,
};
const V2: InitialScheme = {
  salt: hex("0dede3def700a6db819381be6e269dcbf9bd2ed9"),
  labelPrefix: "quicv2",
  initialType: 1,
};
const DRAFT_29: InitialScheme = {
  salt: hex("afbfec289993d24c9e9786f19c6111e04390a899"),
  labelPrefix: "quic",
  initialType: 0,
};
const DRAFT_23: InitialScheme = {
  salt: hex("c3eef712c72ebb5a11a7d2432bb46365bef9f502"),
  labelPrefix: "quic",
  initialType: 0,
};

/** The Initial protection of `version`, or null for a version this module does not know. */
export function initialScheme(version: number): InitialScheme | null {
  if (version === 0x00000001) return V1;
  if (version === 0x6b3343cf) return V2;
  if (version >= 0xff00001d && version <= 0xff000020) return DRAFT_29;
  if (version >= 0xff000017 && version <= 0xff00001c) return DRAFT_23;
  return null;
}

function hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(data).digest());
}

/** HKDF-Expand-Label (RFC 8446 §7.1) with an empty context, for lengths up to 32. */
export function expandLabel(secret: Uint8Array, label: string, length: number): Uint8Array {
  const full = new TextEncoder().encode(`tls13 ${label}`);
  const info = new Uint8Array(4 + full.length + 1);
  info[0] = length >> 8;
  info[1] = length & 255;
  info[2] = full.length;
  info.set(full, 3);
  info[info.length - 1] = 1; // the HKDF-Expand block counter; the context is empty
  return hmac(secret, info).slice(0, length);
}

// A client repeats its DCID across its Initials: remember the last keys derived.
const KEY_MEMO_SIZE = 256;
const keyMemo = new Map<string, InitialKeys>();

/** The client's Initial keys for a Destination Connection ID under `scheme`. */
export function clientInitialKeys(scheme: InitialScheme, dcid: Uint8Array): InitialKeys {
  const memoKey = `${scheme.labelPrefix}/${scheme.salt[0]}/${dcid.join(",")}`;
  const known = keyMemo.get(memoKey);
  if (known) return known;
  const keys = deriveClientKeys(scheme, dcid);
  keyMemo.set(memoKey, keys);
  if (keyMemo.size > KEY_MEMO_SIZE) keyMemo.delete(keyMemo.keys().next().value!);
  return keys;
}

function deriveClientKeys(scheme: InitialScheme, dcid: Uint8Array): InitialKeys {
  const initialSecret = hmac(scheme.salt, dcid); // HKDF-Extract
  const client = expandLabel(initialSecret, "client in", 32);
  const p = scheme.labelPrefix;
  return {
    key: expandLabel(client, `${p} key`, 16),
    iv: expandLabel(client, `${p} iv`, 12),
    hp: expandLabel(client, `${p} hp`, 16),
  };
}

/** The 16-byte header protection mask: AES-128-ECB of the sample. */
export function headerMask(hp: Uint8Array, sample: Uint8Array): Uint8Array {
  const cipher = createCipheriv("aes-128-ecb", hp, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(cipher.update(sample));
}

/** The AEAD nonce: `iv` with the packet number XORed into its low bytes. */
export function packetNonce(iv: Uint8Array, packetNumber: number): Uint8Array {
  const nonce = iv.slice();
  let pn = packetNumber;
  for (let i = nonce.length - 1; i >= nonce.length - 6 && pn > 0; i--) {
    nonce[i] ^= pn % 256;
    pn = Math.floor(pn / 256);
  }
  return nonce;
}

/** AES-128-GCM open of `sealed` (ciphertext then 16-byte tag); null when it does not authenticate. */
export function aeadOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | null {
  if (sealed.length < 16) return null;
  try {
    const decipher = createDecipheriv("aes-128-gcm", key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const head = decipher.update(sealed.subarray(0, sealed.length - 16));
    const tail = decipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head);
    out.set(tail, head.length);
    return out;
  } catch {
    return null;
  }
}
