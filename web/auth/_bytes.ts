// Byte helpers the auth modules share: random bytes, base64, SHA-256 and a
// comparison whose time does not depend on where two secrets differ.

const encoder = new TextEncoder();

/** `n` bytes from the system's cryptographic random source. */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** URL-safe base64 without padding: for tokens and ids in cookies, headers and URLs. */
export function base64url(bytes: Uint8Array): string {
  return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
}

/** A random URL-safe string of `n` bytes' entropy. */
export function randomToken(n: number): string {
  return base64url(randomBytes(n));
}

/**
 * The SHA-256 of a text as hex: how tokens are stored, so that a copy of the
 * store does not hold a usable credential.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether two byte strings are equal, in a time that depends only on their lengths. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** {@linkcode timingSafeEqual} over texts (UTF-8). */
export function timingSafeEqualText(a: string, b: string): boolean {
  return timingSafeEqual(encoder.encode(a), encoder.encode(b));
}
