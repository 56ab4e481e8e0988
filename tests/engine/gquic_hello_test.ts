// Google QUIC's client hello: the CHLO tag/value parser, and plaintext gQUIC
// packets (Q024 to Q046) built here byte by byte, read directly and through
// parseQuicInitial(). The encrypted Q050 and T05x are in quic_initial_test.ts.
import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { parseChlo, readGquicFrames, readPlainGquic } from "../../engine/gquic_hello.ts";
import { type CryptoChunk, parseQuicInitial } from "../../engine/quic_initial.ts";
import { concat, prng, u16, u32 } from "./_packets.ts";

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const le32 = (n: number) => u32(n).reverse();

/** A CHLO message: `entries` in the order given (tags of 3 letters get their NUL). */
function chlo(entries: [string, string | Uint8Array][], padTo = 0): Uint8Array {
  const values: Uint8Array[] = [], index: number[] = [];
  let end = 0;
  for (const [tag, value] of entries) {
    const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
    values.push(bytes);
    end += bytes.length;
    index.push(...ascii(tag.padEnd(4, "\0")), ...le32(end));
  }
  const message = concat(ascii("CHLO"), u16(entries.length).reverse(), [0, 0], index, ...values);
  return concat(message, new Uint8Array(Math.max(0, padTo - message.length)));
}

const HELLO = chlo([["PAD", new Uint8Array(900)], ["SNI", "www.Example.com"], ["VER", "Q043"]]);

/** A gQUIC STREAM frame: fin off, data length present unless `toEnd`, sizes as small as fit. */
function stream(n: number, data: Uint8Array, { id = 1, offset = 0, toEnd = false } = {}) {
  const order = (bytes: number[]) => (n >= 39 ? bytes : bytes.reverse());
  const type = 0x80 | (toEnd ? 0 : 0x20) | (offset ? 1 << 2 : 0); // offset: 2 bytes, id: 1 byte
  return concat(
    [type, id],
    offset ? order(u16(offset)) : [],
    toEnd ? [] : order(u16(data.length)),
    data,
  );
}

/** A client packet with a public header (Q024 to Q043): flags, CID, version, PN, hash, frames. */
function publicPacket(version: string, frames: Uint8Array, { pn = 1, pnCode = 0 } = {}) {
  const n = Number(version.slice(2)), pnLen = [1, 2, 4, 6][pnCode];
  const pnBytes = Array.from({ length: pnLen }, (_, i) => (pn / 256 ** i) & 255); // little-endian
  return concat(
    [0x0d | (pnCode << 4)], // version flag, 8-byte connection ID
    [1, 2, 3, 4, 5, 6, 7, 8],
    ascii(version),
    n >= 39 ? pnBytes.reverse() : pnBytes,
    new Uint8Array(12).fill(0xaa), // the null encryption's message hash
    n < 34 ? [0] : [], // private flags
    frames,
  );
}

/** A Q046 client Initial: long header, 8-byte DCID, no SCID, 4-byte PN, hash, frames. */
function q046Packet(frames: Uint8Array, pn = 1): Uint8Array {
  return concat(
    [0xc3],
    ascii("Q046"),
    [0x50],
    [8, 7, 6, 5, 4, 3, 2, 1],
    u32(pn),
    new Uint8Array(12),
    frames,
  );
}

Deno.test("parseChlo() reads the SNI tag's value, in lower case", () => {
  assertStrictEquals(parseChlo(HELLO), "www.example.com");
  assertStrictEquals(parseChlo(chlo([["SNI", "a.b"]])), "a.b");
  assertStrictEquals(parseChlo(concat(HELLO, [1, 2, 3])), "www.example.com"); // trailing bytes
  assertStrictEquals(
    parseChlo(chlo([["AEAD", "AESG"], ["SNI", "x_y-1.example"], ["UAID", "ua"]])),
    "x_y-1.example",
  );
});

Deno.test("parseChlo(): null for a CHLO without a usable name", () => {
  assertStrictEquals(parseChlo(chlo([])), null);
  assertStrictEquals(parseChlo(chlo([["PAD", "...."], ["VER", "Q039"]])), null);
  assertStrictEquals(parseChlo(chlo([["SNI", ""]])), null);
  assertStrictEquals(parseChlo(chlo([["SNI", "bad name"]])), null);
  assertStrictEquals(parseChlo(chlo([["SNI", "x".repeat(254)]])), null);
  assertStrictEquals(parseChlo(chlo([["SNI", Uint8Array.of(0x61, 0, 0x62)]])), null);
});

Deno.test("parseChlo(): undefined for other messages and a broken index", () => {
  assertStrictEquals(parseChlo(new Uint8Array()), undefined);
  assertStrictEquals(parseChlo(Uint8Array.from(ascii("CHLO"))), undefined);
  assertStrictEquals(parseChlo(Uint8Array.from([...ascii("REJ\0"), 0, 0, 0, 0])), undefined);
  assertStrictEquals(parseChlo(Uint8Array.from([...ascii("chlo"), 0, 0, 0, 0])), undefined);
  for (let cut = 0; cut < 40; cut++) { // the index (8 + 3 × 8 bytes) is cut, or a value is
    assertStrictEquals(parseChlo(HELLO.subarray(0, cut)), undefined, `cut at ${cut}`);
  }
  assertStrictEquals(parseChlo(HELLO.subarray(0, HELLO.length - 1)), undefined);
  const backwards = HELLO.slice();
  backwards.set(le32(100), 8 + 8 + 4); // the SNI entry ends before the PAD entry does
  assertStrictEquals(parseChlo(backwards), undefined);
  const many = concat(ascii("CHLO"), [129, 0, 0, 0], new Uint8Array(129 * 8));
  assertStrictEquals(parseChlo(many), undefined); // more entries than a peer accepts
});

Deno.test("readPlainGquic() reads Q024 to Q043 public headers in both byte orders", () => {
  for (const version of ["Q024", "Q025", "Q030", "Q033", "Q034", "Q035", "Q037", "Q039", "Q043"]) {
    const n = Number(version.slice(2));
    const packet = publicPacket(version, stream(n, HELLO), { pn: 0x0102, pnCode: 1 });
    const plain = readPlainGquic(packet);
    assertEquals(plain, {
      version: (0x5130 * 65536 + (version.charCodeAt(2) << 8) + version.charCodeAt(3)) >>> 0,
      cid: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      packetNumber: 0x0102,
      sni: "www.example.com",
    }, version);
    const initial = parseQuicInitial(packet);
    assertEquals(initial?.chloSni, "www.example.com", version);
    assertEquals(initial?.chunks, []);
  }
});

Deno.test("readPlainGquic() reads Q046 Initials, and CHLOs found past other frames", () => {
  assertEquals(readPlainGquic(q046Packet(stream(46, HELLO), 7))?.packetNumber, 7);
  assertStrictEquals(parseQuicInitial(q046Packet(stream(46, HELLO)))?.chloSni, "www.example.com");
  // A second CHLO (after a REJ) sits at a stream offset, after an ACK and STOP_WAITING.
  const ack = [0x40, 3, 0, 0, 3, 0]; // largest 3, delay, first block 3, no timestamps
  // 2-byte largest and blocks, 2 more blocks (gap, length), 2 timestamps.
  const ackBlocks = [0x65, 0, 9, 0, 0, 2, 0, 4, 1, 0, 2, 1, 7, 0, 2, 1, 0, 0, 0, 5, 1, 0, 3];
  for (const version of ["Q035", "Q039", "Q043"]) {
    const hello = stream(Number(version.slice(2)), HELLO, { offset: 1024 });
    const frames = concat([0x07], ack, ackBlocks, [0x06, 1], hello);
    assertStrictEquals(
      readPlainGquic(publicPacket(version, frames))?.sni,
      "www.example.com",
      version,
    );
  }
  // Data running to the end of the packet, and other streams passed over.
  const other = stream(43, Uint8Array.from(ascii("CHLO...")), { id: 3 });
  assertStrictEquals(
    readPlainGquic(publicPacket("Q043", concat(other, stream(43, HELLO, { toEnd: true }))))?.sni,
    "www.example.com",
  );
  const noName = publicPacket("Q043", stream(43, chlo([["PAD", "xx"]])));
  assertEquals(readPlainGquic(noName)?.sni, null);
  assertStrictEquals(parseQuicInitial(noName)?.chloSni, null);
});

Deno.test("readPlainGquic(): null for packets that carry no CHLO or are not gQUIC clients'", () => {
  const good = publicPacket("Q043", stream(43, HELLO));
  const flags = (f: number) => concat([f], good.subarray(1));
  assertEquals(readPlainGquic(flags(0x0c)), null); // no version flag
  assertEquals(readPlainGquic(flags(0x0f)), null); // reset flag
  assertEquals(readPlainGquic(flags(0x4d)), null); // reserved bits
  for (const version of ["Q023", "Q044", "Q046", "T043", "QUIC", "Q0a9"]) {
    assertEquals(readPlainGquic(publicPacket(version, stream(43, HELLO))), null, version);
  }
  assertEquals(readPlainGquic(publicPacket("Q043", stream(43, HELLO, { id: 5 }))), null);
  assertEquals(readPlainGquic(publicPacket("Q043", concat([0x02], stream(43, HELLO)))), null); // CONNECTION_CLOSE
  assertEquals(
    readPlainGquic(publicPacket("Q033", concat([0x40, 1, 0, 0, 1, 0], stream(33, HELLO)))),
    null,
  ); // old ACK
  const handshake = q046Packet(stream(46, HELLO));
  handshake[0] = 0xe3; // Q046 Handshake type
  assertEquals(readPlainGquic(handshake), null);
  assertEquals(readPlainGquic(q046Packet(stream(46, chlo([["SNI", "a"]]).subarray(0, 10)))), null);
  // Truncated anywhere, a packet gives null or its CHLO (once the message is whole); never throws.
  for (let cut = 0; cut < good.length; cut++) {
    const sni = readPlainGquic(good.subarray(0, cut))?.sni;
    assert(
      sni === undefined || (sni === "www.example.com" && cut === good.length),
      `cut at ${cut}`,
    );
  }
  const random = prng(46);
  for (let i = 0; i < 2000; i++) {
    const junk = Uint8Array.from({ length: random.int(1400) }, () => random.int(256));
    junk[0] = [0x09, 0x0d, 0x1d, 0xc3][i & 3];
    if (junk.length > 13) junk.set(ascii(["Q039", "Q043", "Q025", "Q046"][i & 3]), i & 2 ? 1 : 9);
    if (junk.length > 40 && i % 8 < 4) junk.set(ascii("CHLO"), 30 + random.int(10));
    assertEquals(readPlainGquic(junk), null);
  }
});

Deno.test("readGquicFrames() takes CRYPTO frames from version 50 and stops at what does not fit", () => {
  const read = (bytes: number[], n = 50) => {
    const out: CryptoChunk[] = [];
    readGquicFrames(Uint8Array.from(bytes), 0, n, 4, out);
    return out.map((c) => [c.offset, ...c.data]);
  };
  assertEquals(read([0, 0, 0x07, 0x40, 1, 0, 0, 1, 0, 0x08, 0x44, 0x00, 2, 9, 9, 0x08, 0, 1, 7]), [[
    1024,
    9,
    9,
  ], [0, 7]]);
  assertEquals(read([0x08, 0, 3, 1, 2]), []); // longer than the packet
  assertEquals(read([0x08, 0x40]), []); // a cut varint
  assertEquals(read([0x40, 1, 0]), []); // a cut ACK
  assertEquals(read([0x06, 1, 2, 3, 4, 0x08, 0, 1, 5]), []); // STOP_WAITING is gone by Q050
  assertEquals(read([0xa0, 1, 0, 1, 5]), []); // STREAM carries no crypto in Q050
  assertEquals(read([0xa0, 1, 0, 1, 5], 43), [[0, 5]]);
  assertEquals(read([0xa0, 1, 1, 0, 5], 35), [[0, 5]]); // little-endian length
  assertEquals(read([0x08, 0, 1, 5], 43), []); // CRYPTO is not a plaintext frame
});
