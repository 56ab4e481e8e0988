import { assertEquals } from "@std/assert";
import {
  AGORA_CLIENT_HELLO,
  AGORA_SERVER_HELLO,
  parseAgoraHandshake,
} from "../../engine/agora_message.ts";
import { concat, prng } from "./_packets.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** A property: 4-byte tag (NUL padded), 16-bit little-endian length, value. */
function property(tag: string, value: Uint8Array | readonly number[]): Uint8Array {
  const name = text(tag.padEnd(4, "\0"));
  return concat(name, [value.length & 255, value.length >> 8], value);
}

/** A handshake datagram: 12-byte header with the message type at byte 6, a count, properties. */
function handshake(type: number, properties: Uint8Array[], answered = [0, 0, 0, 0]): Uint8Array {
  return concat(
    [0x00, 0x5a, 0x38, 0x4c, 0, 0, type, 0],
    answered,
    [properties.length],
    ...properties,
  );
}

/** The client hello as the Agora SDK sends it: SNI, PDMD, CPTO (nested NONC) and CCRT. */
function clientHello(sni: string): Uint8Array {
  return handshake(AGORA_CLIENT_HELLO, [
    property("SNI", text(sni)),
    property("PDMD", []),
    property("CPTO", property("NONC", new Uint8Array(32).fill(0x97))),
    property("CCRT", new Uint8Array(40).fill(0xff)),
  ]);
}

Deno.test("parseAgoraHandshake() reads the edge server's name from a client hello", () => {
  assertEquals(parseAgoraHandshake(clientHello("23-248-186-179.edge.agora.io")), {
    type: AGORA_CLIENT_HELLO,
    tags: ["SNI", "PDMD", "CPTO", "CCRT"],
    sni: "23-248-186-179.edge.agora.io",
  });
});

Deno.test("parseAgoraHandshake() reads a server hello, which names nothing", () => {
  const hello = handshake(AGORA_SERVER_HELLO, [
    property("PEID", [1, 0, 0x1c, 0]),
    property("PROF", new Uint8Array(256)),
  ], [0x5a, 0x38, 0x4c, 0x00]);
  assertEquals(parseAgoraHandshake(hello), {
    type: AGORA_SERVER_HELLO,
    tags: ["PEID", "PROF"],
    sni: null,
  });
});

Deno.test("parseAgoraHandshake() lowercases the name and refuses one that is not a host name", () => {
  assertEquals(
    parseAgoraHandshake(clientHello("104-166-161-75.Edge.Agora.IO"))?.sni,
    "104-166-161-75.edge.agora.io",
  );
  assertEquals(parseAgoraHandshake(clientHello("edge agora io"))?.sni, null);
  assertEquals(parseAgoraHandshake(clientHello(""))?.sni, null);
});

Deno.test("parseAgoraHandshake() keeps the properties read before a truncation", () => {
  const hello = clientHello("128-1-77-66.edge.agora.io");
  // Cut inside CPTO: SNI and PDMD were read.
  assertEquals(parseAgoraHandshake(hello.subarray(0, 60))?.tags, ["SNI", "PDMD"]);
  // Cut inside the SNI itself: nothing to name.
  for (let n = 0; n < 13 + 6 + 25; n++) {
    assertEquals(parseAgoraHandshake(hello.subarray(0, n)), null, `first ${n} bytes`);
  }
});

Deno.test("parseAgoraHandshake() gives null for data packets, acks and foreign bytes", () => {
  const data = Uint8Array.from({ length: 120 }, (_, i) => (i * 37 + 1) & 255);
  data.set([0x01, 0x5b, 0x38, 0x4c]);
  assertEquals(parseAgoraHandshake(data), null);
  assertEquals(
    parseAgoraHandshake(Uint8Array.of(0, 0x5a, 0x38, 0x4c, 0, 0, 2, 0, 0, 0x6a, 0x2e, 7)),
    null,
  );
  const wrongType = clientHello("a.edge.agora.io");
  wrongType[6] = 0x22;
  assertEquals(parseAgoraHandshake(wrongType), null);
  const noCount = clientHello("a.edge.agora.io");
  noCount[12] = 0;
  assertEquals(parseAgoraHandshake(noCount), null);
  const badTag = clientHello("a.edge.agora.io");
  badTag[13] = 0x73; // "sNI": tags are upper case
  assertEquals(parseAgoraHandshake(badTag), null);
  assertEquals(parseAgoraHandshake(text("GET / HTTP/1.1\r\nHost: agora.io\r\n\r\n")), null);
});

Deno.test("parseAgoraHandshake() never throws on mutated messages", () => {
  const random = prng(8130);
  const base = clientHello("23-248-186-179.edge.agora.io");
  for (let i = 0; i < 5000; i++) {
    const bytes = base.slice(0, 1 + random.int(base.length));
    for (let k = 0; k < 3; k++) bytes[random.int(bytes.length)] = random.int(256);
    parseAgoraHandshake(bytes);
  }
});
