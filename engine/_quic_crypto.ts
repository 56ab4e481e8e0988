// QUIC Initial packet protection (RFC 9001 §5, RFC 9369 §3.3): the versions it
// applies to and their salts (a table), HKDF-Expand-Label key derivation,
// AES-128-ECB header protection masks and AES-128-GCM payload decryption.
// Internal to engine/quic_initial.ts. The primitives are Sluice's own, not
// node:crypto's: its first use costs a ~30 ms lazy load and each call builds a
// stream object, for a few hundred packets whose keys are public anyway.
import { Aes128 } from "./_aes128.ts";
import { aes128GcmOpen } from "./_aes_gcm.ts";
import { HmacSha256 } from "./_sha256.ts";

/** The keys protecting one direction of Initial packets. */
export interface InitialKeys {
  /** AES-128-GCM key. */
  key: Uint8Array;
  /** 12-byte nonce base, XORed with the packet number. */
  iv: Uint8Array;
  /** AES-128 header protection key. */
  hp: Uint8Array;
}

/** How a QUIC version protects Initial packets, and what they carry. */
export interface InitialScheme {
  /** Names the salt: the key memo tells schemes apart by it. */
  name: string;
  salt: Uint8Array;
  /** "quic" for v1 and drafts, "quicv2" for v2: label prefix of key/iv/hp. */
  labelPrefix: string;
  /** Long header packet type bits (0x30 of the first byte) that mean Initial. */
  initialType: number;
  /**
   * The frames inside: "ietf" (CRYPTO is 0x06), or "gquic" for Google's Q050
   * and T05x (CRYPTO is 0x08, ACK is 0x40 to 0x7f).
   */
  frames: "ietf" | "gquic";
  /** The CRYPTO stream's first message: a TLS ClientHello, or (Q050) a Google QUIC CHLO. */
  hello: "tls" | "chlo";
}

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function scheme(name: string, salt: string, more: Partial<InitialScheme> = {}): InitialScheme {
  return {
    name,
    salt: hex(salt),
    labelPrefix: "quic",
    initialType: 0,
    frames: "ietf",
    hello: "tls",
    ...more,
  };
}

// Initial salts: RFC 9001 §5.2, RFC 9369 §3.3.1, the drafts, and Google's own
// (as Chromium and Wireshark know them).
const V1 = scheme("v1", "38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
const V2 = scheme("v2", "0dede3def700a6db819381be6e269dcbf9bd2ed9", {
  labelPrefix: "quicv2",
  initialType: 1,
});
const DRAFT_29 = scheme("draft-29", "afbfec289993d24c9e9786f19c6111e04390a899");
const DRAFT_23 = scheme("draft-23", "c3eef712c72ebb5a11a7d2432bb46365bef9f502");
const DRAFT_22 = scheme("draft-22", "7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a");
const Q050 = scheme("Q050", "504574efd066fe2f9d945cfcdbd3a7f0d3b56b45", {
  frames: "gquic",
  hello: "chlo",
});
const T050 = scheme("T050", "7ff579e5acd072915580304c43a2367c60488310", { frames: "gquic" });
const T051 = scheme("T051", "7a4edef4e7ccee5fa4506c19124fc8ccda6e033d", { frames: "gquic" });

/** Versions with Initial protection, as inclusive ranges: [first, last, scheme]. */
const VERSIONS: readonly [number, number, InitialScheme][] = [
  [0x00000001, 0x00000001, V1],
  [0x6b3343cf, 0x6b3343cf, V2],
  [0xff000016, 0xff000016, DRAFT_22],
  [0xff000017, 0xff00001c, DRAFT_23],
  [0xff00001d, 0xff000020, DRAFT_29],
  [0xff000021, 0xff000022, V1], // drafts 33 and 34 already use the final salt
  [0x51303530, 0x51303530, Q050], // "Q050"
  [0x54303530, 0x54303530, T050], // "T050"
  [0x54303531, 0x54303531, T051], // "T051"
  // Facebook's mvfst: faceb001 follows draft 22, faceb002 draft 27; faceb003
  // and faceb004 alias v1; its other numbers (experimental 0e, 11, 13, aliases
  // 10, 12...) take its default, draft 23's salt.
  [0xfaceb001, 0xfaceb001, DRAFT_22],
  [0xfaceb002, 0xfaceb002, DRAFT_23],
  [0xfaceb003, 0xfaceb004, V1],
  [0xfaceb005, 0xfaceb0ff, DRAFT_23],
];

/** The Initial protection of `version`, or null for a version this module does not know. */
export function initialScheme(version: number): InitialScheme | null {
  for (const [first, last, known] of VERSIONS) {
    if (version >= first && version <= last) return known;
  }
  return null;
}

/** HKDF-Expand-Label (RFC 8446 §7.1) under `secret`, with an empty context, for lengths up to 32. */
function expandLabel(secret: HmacSha256, label: string, length: number): Uint8Array {
  return secret.digest(labelInfo(label, length)).slice(0, length);
}

/** HkdfLabel structures by label and length: a handful of labels serve every key derived. */
const labelInfos = new Map<string, Uint8Array>();

function labelInfo(label: string, length: number): Uint8Array {
  const key = `${length}/${label}`;
  let info = labelInfos.get(key);
  if (info) return info;
  const full = new TextEncoder().encode(`tls13 ${label}`);
  info = new Uint8Array(4 + full.length + 1);
  info[0] = length >> 8;
  info[1] = length & 255;
  info[2] = full.length;
  info.set(full, 3);
  info[info.length - 1] = 1; // the HKDF-Expand block counter; the context is empty
  labelInfos.set(key, info);
  return info;
}

// A client repeats its DCID across its Initials: remember the last keys derived.
const KEY_MEMO_SIZE = 256;
const keyMemo = new Map<string, InitialKeys>();

/** The client's Initial keys for a Destination Connection ID under `scheme`. */
export function clientInitialKeys(scheme: InitialScheme, dcid: Uint8Array): InitialKeys {
  const memoKey = `${scheme.name}/${dcid.join(",")}`;
  const known = keyMemo.get(memoKey);
  if (known) return known;
  const keys = deriveClientKeys(scheme, dcid);
  keyMemo.set(memoKey, keys);
  if (keyMemo.size > KEY_MEMO_SIZE) keyMemo.delete(keyMemo.keys().next().value!);
  return keys;
}

function deriveClientKeys(scheme: InitialScheme, dcid: Uint8Array): InitialKeys {
  let extract = extractors.get(scheme);
  if (!extract) extractors.set(scheme, extract = new HmacSha256(scheme.salt));
  const initialSecret = new HmacSha256(extract.digest(dcid)); // HKDF-Extract
  const client = new HmacSha256(expandLabel(initialSecret, "client in", 32));
  const p = scheme.labelPrefix;
  return {
    key: expandLabel(client, `${p} key`, 16),
    iv: expandLabel(client, `${p} iv`, 12),
    hp: expandLabel(client, `${p} hp`, 16),
  };
}

/** HKDF-Extract under each version's salt, its key blocks hashed once. */
const extractors = new Map<InitialScheme, HmacSha256>();

/** The 16-byte header protection mask: AES-128-ECB of the sample. */
export function headerMask(hp: Uint8Array, sample: Uint8Array): Uint8Array {
  const mask = new Uint8Array(16);
  cipherOf(hp).encryptBlock(sample, 0, mask, 0);
  return mask;
}

/** Expanded AES keys by key bytes, living as long as the memoized keys do. */
const ciphers = new WeakMap<Uint8Array, Aes128>();

function cipherOf(key: Uint8Array): Aes128 {
  let cipher = ciphers.get(key);
  if (!cipher) ciphers.set(key, cipher = new Aes128(key));
  return cipher;
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
  return aes128GcmOpen(cipherOf(key), nonce, aad, sealed);
}
