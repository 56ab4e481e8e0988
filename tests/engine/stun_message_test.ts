import { assertEquals } from "@std/assert";
import { parseStunMessage, stunHostname } from "../../engine/stun_message.ts";
import { concat, prng, u16, u32 } from "./_packets.ts";

const text = (s: string) => new TextEncoder().encode(s);
const TRANSACTION = Array.from({ length: 12 }, (_, i) => 0xa0 + i);

/** One attribute: type, unpadded length, value, zero padding to 4 bytes. */
function attribute(type: number, value: Uint8Array | readonly number[]): Uint8Array {
  return concat(u16(type), u16(value.length), value, new Array((4 - value.length % 4) % 4).fill(0));
}

/** A STUN message with the magic cookie (or `cookie`) and a body of attributes. */
function stun(type: number, attributes: Uint8Array[], cookie = 0x2112a442): Uint8Array {
  const body = concat(...attributes);
  return concat(u16(type), u16(body.length), u32(cookie), TRANSACTION, body);
}

/** The TURN server's 401 to an unauthenticated Allocate, as Signal's servers send it. */
function unauthorized(realm: string): Uint8Array {
  return stun(0x0113, [
    attribute(0x0009, [0, 0, 4, 1, ...text("Unauthorized")]),
    attribute(0x0015, text("953e216e602db07e")),
    attribute(0x0014, text(realm)),
    attribute(0x8022, text("None")),
    attribute(0x8028, u32(0x1168f89f)),
  ]);
}

Deno.test("parseStunMessage() reads an Allocate error response with its realm", () => {
  assertEquals(parseStunMessage(unauthorized("signal.org")), {
    type: 0x0113,
    method: 3,
    cls: "error",
    classic: false,
    transactionId: "a0a1a2a3a4a5a6a7a8a9aaab",
    length: 92,
    attributes: [0x0009, 0x0015, 0x0014, 0x8022, 0x8028],
    errorCode: 401,
    realm: "signal.org",
    software: "None",
  });
});

Deno.test("parseStunMessage() reads the client's authenticated Allocate request", () => {
  const request = stun(0x0003, [
    attribute(0x0019, [17, 0, 0, 0]),
    attribute(0x0006, text("1636988335:1875434045")),
    attribute(0x0014, text("turner.facebook")),
    attribute(0x0008, new Uint8Array(20)),
  ]);
  const message = parseStunMessage(request);
  assertEquals([message?.method, message?.cls], [3, "request"]);
  assertEquals([message?.username, message?.realm], ["1636988335:1875434045", "turner.facebook"]);
});

Deno.test("parseStunMessage() reads Binding messages, with and without attributes", () => {
  assertEquals(parseStunMessage(stun(0x0001, []))?.cls, "request");
  const response = parseStunMessage(stun(0x0101, [attribute(0x0020, [0, 1, 1, 2, 3, 4, 5, 6])]));
  assertEquals([response?.method, response?.cls, response?.attributes], [1, "success", [0x0020]]);
  assertEquals(parseStunMessage(stun(0x0011, []))?.cls, "indication");
});

Deno.test("parseStunMessage() reads classic STUN only when its attributes tile the body", () => {
  const classic = stun(0x0101, [attribute(0x0001, [0, 1, 0x12, 0x34, 192, 0, 2, 1])], 0x01020304);
  const message = parseStunMessage(classic);
  assertEquals([message?.classic, message?.transactionId], [
    true,
    "01020304" + "a0a1a2a3a4a5a6a7a8a9aaab",
  ]);
  // A classic type whose attribute overruns the body is not STUN.
  const lying = classic.slice();
  lying[23] = 12;
  assertEquals(parseStunMessage(lying), null);
  // Without the cookie, only the types RFC 3489 defines are taken.
  assertEquals(parseStunMessage(stun(0x0008, [], 0x01020304)), null);
});

Deno.test("parseStunMessage() reads STUN over TCP, raw or RFC 4571 framed", () => {
  const first = unauthorized("apps-host.com");
  const second = stun(0x0003, [attribute(0x0019, [17, 0, 0, 0])]);
  // Raw: two messages in one segment; the first is read and says where the next starts.
  const raw = parseStunMessage(concat(first, second), { tcp: true });
  assertEquals([raw?.realm, raw?.length], ["apps-host.com", first.length]);
  assertEquals(
    parseStunMessage(concat(first, second).subarray(raw!.length), { tcp: true })?.method,
    3,
  );
  // Framed: a 2-byte length before each message.
  const stream = concat(u16(first.length), first, u16(second.length), second);
  const framed = parseStunMessage(stream, { tcp: true });
  assertEquals([framed?.realm, framed?.length], ["apps-host.com", first.length + 2]);
  const next = parseStunMessage(stream.subarray(framed!.length), { tcp: true });
  assertEquals([next?.method, next?.cls, next?.length], [3, "request", second.length + 2]);
  // Over UDP the datagram must hold exactly one message.
  assertEquals(parseStunMessage(concat(first, second)), null);
  // Over TCP classic STUN is not taken.
  assertEquals(parseStunMessage(stun(0x0001, [], 0x01020304), { tcp: true }), null);
});

Deno.test("parseStunMessage() skips Microsoft's multiplexed TURN header", () => {
  const inner = unauthorized("relay.teams.microsoft.com");
  const wrapped = concat([0xff, 0x10], u16(inner.length + 8), new Array(8).fill(0x33), inner);
  assertEquals(parseStunMessage(wrapped)?.realm, "relay.teams.microsoft.com");
});

Deno.test("parseStunMessage() keeps the relayed datagram of a Data indication", () => {
  const peer = unauthorized("inner.example");
  const indication = parseStunMessage(stun(0x0017, [attribute(0x0013, peer)]));
  assertEquals(indication?.data, peer);
  assertEquals(stunHostname(indication!), "inner.example");
});

Deno.test("parseStunMessage() gives null for truncated, lying and foreign bytes", () => {
  const message = unauthorized("signal.org");
  for (let n = 0; n < message.length; n++) {
    assertEquals(parseStunMessage(message.subarray(0, n)), null, `first ${n} bytes`);
  }
  const longer = concat(message, [0, 0, 0, 0]);
  assertEquals(parseStunMessage(longer), null); // length field says less than the datagram
  assertEquals(parseStunMessage(stun(0x0000, [])), null); // type 0
  assertEquals(parseStunMessage(stun(0x0f01, [])), null); // method 0x381: not STUN
  assertEquals(parseStunMessage(stun(0x4001, [])), null); // top bits set
  const dtls = Uint8Array.of(0x16, 0xfe, 0xfd, ...new Array(30).fill(0));
  assertEquals(parseStunMessage(dtls), null);
  const rtp = Uint8Array.of(0x80, 0x00, ...new Array(30).fill(0));
  assertEquals(parseStunMessage(rtp), null);
  assertEquals(parseStunMessage(text("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")), null);
});

Deno.test("parseStunMessage() stops at an attribute that overruns a cookie message", () => {
  const message = stun(0x0113, [
    attribute(0x0014, text("signal.org")),
    attribute(0x8022, text("x")),
  ]);
  message[20 + 16 + 3] = 200; // SOFTWARE claims 200 bytes
  const parsed = parseStunMessage(message);
  assertEquals([parsed?.realm, parsed?.software, parsed?.attributes], ["signal.org", undefined, [
    0x0014,
  ]]);
});

Deno.test("parseStunMessage() reads WhatsApp's own message types", () => {
  assertEquals(parseStunMessage(stun(0x0800, [attribute(0x4000, [1, 2, 3, 4])]))?.type, 0x0800);
});

Deno.test("stunHostname() lowercases the realm and refuses unprintable ones", () => {
  const name = (realm: string | Uint8Array) =>
    stunHostname(
      parseStunMessage(
        stun(0x0113, [attribute(0x0014, typeof realm === "string" ? text(realm) : realm)]),
      )!,
    );
  assertEquals(name("Turn.L.Google.com"), "turn.l.google.com");
  assertEquals(name("telegram.org  "), "telegram.org");
  assertEquals(name(Uint8Array.of(0x61, 0x00, 0x62)), null);
  assertEquals(name("what?"), null);
  assertEquals(name(""), null);
  assertEquals(name("x".repeat(70) + ".example.org"), ("x".repeat(70) + ".example.org").slice(-79));
  assertEquals(stunHostname(parseStunMessage(stun(0x0001, []))!), null);
});

Deno.test("parseStunMessage() never throws on mutated messages", () => {
  const random = prng(3478);
  const bases = [
    unauthorized("signal.org"),
    stun(0x0017, [attribute(0x0013, unauthorized("a.b"))]),
  ];
  for (let i = 0; i < 5000; i++) {
    const base = bases[i % 2];
    const bytes = base.slice(0, 1 + random.int(base.length));
    for (let k = 0; k < 3; k++) bytes[random.int(bytes.length)] = random.int(256);
    const message = parseStunMessage(bytes, { tcp: i % 3 === 0 });
    if (message) stunHostname(message);
  }
});
