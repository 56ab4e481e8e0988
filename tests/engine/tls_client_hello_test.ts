import { assertEquals } from "@std/assert";
import { parseClientHello, parseTlsRecords } from "../../engine/tls_client_hello.ts";
import { prng, u16 } from "./_packets.ts";

const u24 = (n: number) => [n >> 16, (n >> 8) & 255, n & 255];

/** A ClientHello handshake message with the given extensions. */
function clientHello(extensions: number[][], sessionId = 32): Uint8Array {
  const body = [
    3,
    3,
    ...new Array(32).fill(7), // legacy_version, random
    sessionId,
    ...new Array(sessionId).fill(9),
    ...u16(4),
    0x13,
    0x01,
    0x13,
    0x02, // cipher suites
    1,
    0, // compression: null
  ];
  const ext = extensions.flat();
  const all = [...body, ...u16(ext.length), ...ext];
  return Uint8Array.from([1, ...u24(all.length), ...all]);
}

function sniExtension(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  const entry = [0, ...u16(bytes.length), ...bytes];
  return [0, 0, ...u16(entry.length + 2), ...u16(entry.length), ...entry];
}

/** An opaque extension of `size` bytes, e.g. a large post-quantum key share. */
function opaqueExtension(type: number, size: number): number[] {
  return [...u16(type), ...u16(size), ...new Array(size).fill(0xab)];
}

/** TLS records of at most `fragment` bytes each carrying the handshake message. */
function records(hs: Uint8Array, fragment = 16384): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < hs.length; i += fragment) {
    const part = hs.subarray(i, i + fragment);
    out.push(22, 3, 1, ...u16(part.length), ...part);
  }
  return Uint8Array.from(out);
}

Deno.test("parseClientHello() reads the server name, lowercased", () => {
  const hs = clientHello([opaqueExtension(10, 4), sniExtension("WWW.Example.org")]);
  assertEquals(parseClientHello(hs), { sni: "www.example.org", ech: false });
});

Deno.test("parseClientHello() reports ECH with the outer name", () => {
  const hs = clientHello([sniExtension("public.example.net"), opaqueExtension(0xfe0d, 200)]);
  assertEquals(parseClientHello(hs), { sni: "public.example.net", ech: true });
});

Deno.test("parseClientHello() waits for a message that is not complete yet", () => {
  const hs = clientHello([sniExtension("a.example")]);
  for (const cut of [0, 1, 3, 4, 40, hs.length - 1]) {
    assertEquals(parseClientHello(hs.subarray(0, cut)), undefined, `cut at ${cut}`);
  }
});

Deno.test("parseClientHello() gives null for other messages and no SNI", () => {
  assertEquals(parseClientHello(Uint8Array.of(2, 0, 0, 40)), null);
  assertEquals(parseClientHello(clientHello([opaqueExtension(43, 3)])), { sni: null, ech: false });
  const badName = clientHello([sniExtension("bad name\n")]);
  assertEquals(parseClientHello(badName)?.sni, null);
});

Deno.test("parseTlsRecords() reassembles a ClientHello split across records", () => {
  // A post-quantum key share (X25519MLKEM768 is 1216 bytes) makes the hello span segments.
  const hs = clientHello([opaqueExtension(51, 1216 + 36), sniExtension("split.example.com")]);
  for (const fragment of [100, 512, 1400, 16384]) {
    assertEquals(parseTlsRecords(records(hs, fragment))?.sni, "split.example.com", `${fragment}`);
  }
});

Deno.test("parseTlsRecords() waits for more bytes, then answers", () => {
  const stream = records(
    clientHello([opaqueExtension(51, 1300), sniExtension("late.example")]),
    700,
  );
  for (const cut of [0, 3, 5, 8, 500, 705, 1000, stream.length - 1]) {
    assertEquals(parseTlsRecords(stream.subarray(0, cut)), undefined, `cut at ${cut}`);
  }
  assertEquals(parseTlsRecords(stream)?.sni, "late.example");
});

Deno.test("parseTlsRecords() gives null for streams that are not a TLS ClientHello", () => {
  const http = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  assertEquals(parseTlsRecords(http), null);
  assertEquals(parseTlsRecords(Uint8Array.of(23, 3, 3, 0, 5, 1, 2, 3, 4, 5)), null); // app data
  assertEquals(parseTlsRecords(Uint8Array.of(22, 3, 1, 0, 4, 2, 0, 0, 0)), null); // ServerHello
  assertEquals(parseTlsRecords(Uint8Array.of(22, 3, 1, 0, 0)), null); // empty record
});

Deno.test("parseTlsRecords() never throws on mutated ClientHellos", () => {
  const random = prng(2026).next;
  const base = records(clientHello([opaqueExtension(51, 300), sniExtension("fuzz.example")]), 128);
  for (let i = 0; i < 3000; i++) {
    const bytes = base.slice(0, 1 + Math.floor(random() * base.length));
    for (let k = 0; k < 4; k++) bytes[Math.floor(random() * bytes.length)] = random() * 256;
    const result = parseTlsRecords(bytes);
    if (result) assertEquals(typeof result.ech, "boolean");
  }
});
