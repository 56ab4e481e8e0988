import { assert, assertEquals, assertThrows } from "@std/assert";
import { clientHelloMessage, tlsClientHello } from "../../../sim/packets/tls_hello.ts";
import { parseClientHello, parseTlsRecords } from "../../../engine/tls_client_hello.ts";

const RANDOM = Uint8Array.from({ length: 32 }, (_, i) => i * 7);

/** The extensions of a ClientHello handshake message, by type, as the RFC lays them out. */
function extensions(hello: Uint8Array): Map<number, Uint8Array> {
  let p = 4 + 2 + 32;
  p += 1 + hello[p]; // session id
  p += 2 + ((hello[p] << 8) | hello[p + 1]); // cipher suites
  p += 1 + hello[p]; // compression
  const end = p + 2 + ((hello[p] << 8) | hello[p + 1]);
  assertEquals(end, hello.length);
  const out = new Map<number, Uint8Array>();
  for (p += 2; p < end;) {
    const type = (hello[p] << 8) | hello[p + 1], length = (hello[p + 2] << 8) | hello[p + 3];
    assert(!out.has(type), `extension ${type} twice`);
    out.set(type, hello.subarray(p + 4, p + 4 + length));
    p += 4 + length;
  }
  assertEquals(p, end);
  return out;
}

/** ALPN protocol names from the extension body. */
function alpnOf(body: Uint8Array): string[] {
  const names: string[] = [];
  for (let p = 2; p < body.length; p += 1 + body[p]) {
    names.push(new TextDecoder().decode(body.subarray(p + 1, p + 1 + body[p])));
  }
  return names;
}

Deno.test("tlsClientHello() is a handshake record the engine reads the SNI from", () => {
  const record = tlsClientHello("www.netflix.com", RANDOM);
  assertEquals([record[0], record[1], record[2]], [22, 3, 1]);
  assertEquals((record[3] << 8) | record[4], record.length - 5);
  assertEquals(parseTlsRecords(record), { sni: "www.netflix.com", ech: false });
  const hello = record.subarray(5);
  assertEquals([hello[0], (hello[1] << 16) | (hello[2] << 8) | hello[3]], [1, hello.length - 4]);
  assertEquals([...hello.subarray(6, 38)], [...RANDOM]);
  assertEquals(hello[38], 32); // a session id, as TLS 1.3 middlebox compatibility sends
});

Deno.test("tlsClientHello() offers TLS 1.3 with ALPN, supported_versions and an X25519 key share", () => {
  const ext = extensions(tlsClientHello("example.com", RANDOM).subarray(5));
  assertEquals(alpnOf(ext.get(0x10)!), ["h2", "http/1.1"]);
  assertEquals([...ext.get(0x2b)!], [4, 3, 4, 3, 3]); // TLS 1.3, then 1.2
  const share = ext.get(0x33)!;
  assertEquals([share.length, share[2], share[3], share[4], share[5]], [38, 0x00, 0x1d, 0, 32]);
  assert(!ext.has(0x39)); // no QUIC transport parameters over TCP
  const custom = extensions(tlsClientHello("example.com", RANDOM, ["http/1.1"]).subarray(5));
  assertEquals(alpnOf(custom.get(0x10)!), ["http/1.1"]);
  assert(!extensions(tlsClientHello("example.com", RANDOM, []).subarray(5)).has(0x10));
});

Deno.test("tlsClientHello() gives the same bytes for the same inputs and differs with random", () => {
  assertEquals(tlsClientHello("a.example", RANDOM), tlsClientHello("a.example", RANDOM));
  const other = RANDOM.slice();
  other[0] ^= 1;
  assert(
    tlsClientHello("a.example", other).some((b, i) => b !== tlsClientHello("a.example", RANDOM)[i]),
  );
});

Deno.test("clientHelloMessage() for QUIC has no session id, TLS 1.3 only, and the transport parameters", () => {
  const params = Uint8Array.of(0x0f, 2, 0xaa, 0xbb);
  const hello = clientHelloMessage("www.youtube.com", RANDOM, {
    alpn: ["h3"],
    quicTransportParameters: params,
  });
  assertEquals(parseClientHello(hello), { sni: "www.youtube.com", ech: false });
  assertEquals(hello[38], 0);
  const ext = extensions(hello);
  assertEquals([...ext.get(0x39)!], [...params]);
  assertEquals([...ext.get(0x2b)!], [2, 3, 4]);
  assertEquals(alpnOf(ext.get(0x10)!), ["h3"]);
});

Deno.test("tlsClientHello() names the long names it accepts", () => {
  const name = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
  assertEquals(name.length, 253);
  assertEquals(parseTlsRecords(tlsClientHello(name, RANDOM))?.sni, name);
  assertEquals(
    parseTlsRecords(tlsClientHello("Mixed_Case.Example", RANDOM))?.sni,
    "mixed_case.example",
  );
});

Deno.test("tlsClientHello() throws on bad names, random and ALPN, naming the argument", () => {
  const bad: [() => unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
    [() => tlsClientHello("", RANDOM), TypeError, "serverName"],
    [() => tlsClientHello("a..b", RANDOM), TypeError, "serverName"],
    [() => tlsClientHello("a.-b", RANDOM), TypeError, "serverName"],
    [() => tlsClientHello("has space.com", RANDOM), TypeError, "serverName"],
    [() => tlsClientHello(`${"a".repeat(64)}.com`, RANDOM), RangeError, "serverName"],
    [() => tlsClientHello("a.".repeat(127) + "a", RANDOM), RangeError, "serverName"],
    [() => tlsClientHello("example.com", new Uint8Array(31)), RangeError, "random"],
    [() => tlsClientHello("example.com", RANDOM, [""]), TypeError, "alpn[0]"],
    [() => tlsClientHello("example.com", RANDOM, ["h2", "x".repeat(256)]), TypeError, "alpn[1]"],
  ];
  for (const [fn, type, name] of bad) {
    const error = assertThrows(fn, type) as Error;
    assert(error.message.startsWith(name), error.message);
  }
});
