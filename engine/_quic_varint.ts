// QUIC's variable-length integers, read by both the IETF and the gQUIC frame readers.

/** A QUIC variable-length integer (RFC 9000 §16) at `at`: [value, next offset], or null past `end`. */
export function varint(p: Uint8Array, at: number, end: number): [number, number] | null {
  if (at >= end) return null;
  const size = 1 << (p[at] >> 6);
  if (at + size > end) return null;
  let value = p[at] & 0x3f;
  for (let i = 1; i < size; i++) value = value * 256 + p[at + i];
  return [value, at + size];
}
