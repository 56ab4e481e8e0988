import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  protectClientInitial,
  quicClientKeys,
  quicInitial,
} from "../../../sim/packets/quic_initial.ts";
import { parseQuicInitial, QuicCryptoAssembler } from "../../../engine/quic_initial.ts";
import { fromHex, RFC_DCID, RFC_PACKET, RFC_PLAIN, toHex } from "../../_rfc9001.ts";

const DCID = fromHex("0011223344556677"), SCID = fromHex("a1a2a3a4a5a6a7a8");
const RANDOM = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

Deno.test("quicClientKeys() derives the RFC 9001 A.1 client keys", () => {
  const keys = quicClientKeys(RFC_DCID);
  assertEquals(toHex(keys.key), "1f369613dd76d5467730efcbe3b1a22d");
  assertEquals(toHex(keys.iv), "fa044b2f42a3fd3b46fb255c");
  assertEquals(toHex(keys.hp), "9f50449e04a0e810283a1e9933adedd2");
});

Deno.test("protectClientInitial() protects the RFC 9001 A.2 packet byte for byte", () => {
  const packet = protectClientInitial(RFC_PLAIN, RFC_DCID, new Uint8Array(0), 2, 4);
  assertEquals(toHex(packet), toHex(RFC_PACKET));
});

/** The server name the engine reads from a client's first datagram, as its flow namer does. */
function engineSni(datagram: Uint8Array): string | null | undefined {
  const initial = parseQuicInitial(datagram);
  assert(initial, "the engine opens the Initial");
  return new QuicCryptoAssembler().addInitial(initial);
}

Deno.test("quicInitial() is a 1200-byte v1 Initial the engine decrypts to its SNI", () => {
  const datagram = quicInitial("www.youtube.com", DCID, SCID, RANDOM);
  assertEquals(datagram.length, 1200);
  const initial = parseQuicInitial(datagram)!;
  assertEquals(initial.version, 1);
  assertEquals(toHex(initial.dcid), toHex(DCID));
  assertEquals(toHex(initial.scid), toHex(SCID));
  assertEquals(initial.packetNumber, 0);
  assertEquals(initial.chunks.length, 1);
  assertEquals(initial.chunks[0].offset, 0);
  assertEquals(engineSni(datagram), "www.youtube.com");
});

Deno.test("quicInitial() works for any connection ID lengths and long names", () => {
  const name = `${"x".repeat(63)}.${"y".repeat(63)}.${"z".repeat(63)}.${"w".repeat(61)}`;
  for (const [dcid, scid] of [[20, 0], [8, 20], [12, 4]]) {
    const datagram = quicInitial(name, new Uint8Array(dcid).fill(3), new Uint8Array(scid), RANDOM);
    assertEquals(datagram.length, 1200);
    assertEquals(engineSni(datagram), name);
  }
});

Deno.test("quicInitial() gives the same bytes for the same inputs; a flipped byte fails to authenticate", () => {
  const datagram = quicInitial("example.com", DCID, SCID, RANDOM);
  assertEquals(toHex(datagram), toHex(quicInitial("example.com", DCID, SCID, RANDOM)));
  const tampered = datagram.slice();
  tampered[600] ^= 1;
  assertEquals(parseQuicInitial(tampered), null); // the GCM tag no longer authenticates
});

Deno.test("quicInitial() throws on bad connection IDs, random and names, naming the argument", () => {
  const bad: [() => unknown, string][] = [
    [() => quicInitial("a.com", new Uint8Array(7), SCID, RANDOM), "dcid"],
    [() => quicInitial("a.com", new Uint8Array(21), SCID, RANDOM), "dcid"],
    [() => quicInitial("a.com", DCID, new Uint8Array(21), RANDOM), "scid"],
    [() => quicInitial("a.com", DCID, SCID, new Uint8Array(16)), "random"],
    [() => protectClientInitial(new Uint8Array(100), DCID, SCID, 256, 1), "packetNumber"],
    [() => protectClientInitial(new Uint8Array(100), DCID, SCID, 0, 5), "pnLength"],
  ];
  for (const [fn, name] of bad) {
    const error = assertThrows(fn, RangeError) as RangeError;
    assert(error.message.startsWith(name), error.message);
  }
  assertThrows(() => quicInitial("", DCID, SCID, RANDOM), TypeError, "serverName");
});
