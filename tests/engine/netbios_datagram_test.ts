import { assertEquals } from "@std/assert";
import { netbiosDatagramName } from "../../engine/netbios_datagram.ts";
import { concat, ipBytes, prng, u16 } from "./_packets.ts";

const DIRECT_UNIQUE = 0x10, DIRECT_GROUP = 0x11, BROADCAST = 0x12;

/** RFC 1001 first-level encoding of a 15-character name and its type byte, in capitals as sent. */
function encode(name: string, type = 0): string {
  const bytes = [...name.toUpperCase().padEnd(15, " ")].map((c) => c.charCodeAt(0));
  return [...bytes, type].map((b) => String.fromCharCode(0x41 + (b >> 4), 0x41 + (b & 15))).join(
    "",
  );
}

/** A name as length-prefixed labels ending with a zero: the encoded name, then the scope. */
function labels(encoded: string, scope = ""): number[] {
  const parts = scope ? [encoded, ...scope.split(".")] : [encoded];
  return [...parts.flatMap((p) => [p.length, ...[...p].map((c) => c.charCodeAt(0))]), 0];
}

interface Datagram {
  type?: number;
  flags?: number;
  /** SOURCE_NAME as it goes on the wire; by default NVR9's, type 0x00. */
  source?: readonly number[];
}

/** The 14-byte datagram header, the source and destination names, then SMB-ish user data. */
function datagram(d: Datagram = {}): Uint8Array {
  const destination = labels(encode("WORKGROUP", 0x1e));
  const data = [0xff, 0x53, 0x4d, 0x42, 0x25, 0, 0, 0];
  return concat(
    [d.type ?? DIRECT_GROUP, d.flags ?? 0x0a],
    u16(0x1234),
    ipBytes("10.0.5.9"),
    u16(138),
    u16(68 + data.length),
    u16(0),
    d.source ?? labels(encode("NVR9")),
    destination,
    data,
  );
}

Deno.test("netbiosDatagramName() reads the source name of direct and broadcast datagrams", () => {
  assertEquals(netbiosDatagramName(datagram()), "nvr9");
  assertEquals(netbiosDatagramName(datagram({ type: DIRECT_UNIQUE })), "nvr9");
  assertEquals(netbiosDatagramName(datagram({ type: BROADCAST })), "nvr9");
  const source = labels(encode("SANJI-LIFEBOOK-", 0x20));
  assertEquals(netbiosDatagramName(datagram({ source })), "sanji-lifebook-");
});

Deno.test("netbiosDatagramName() keeps the scope after the name", () => {
  const source = labels(encode("SC"), "ARRANCAR.org");
  assertEquals(netbiosDatagramName(datagram({ source })), "sc.arrancar.org");
});

Deno.test("netbiosDatagramName() accepts lowercase letters in the encoded name", () => {
  const source = labels(encode("BOWIE").toLowerCase());
  assertEquals(netbiosDatagramName(datagram({ source })), "bowie");
});

Deno.test("netbiosDatagramName() gives null for other datagram types", () => {
  for (const type of [0x00, 0x0f, 0x13, 0x14, 0x15, 0x16, 0x20, 0xff]) {
    assertEquals(netbiosDatagramName(datagram({ type })), null, `type ${type}`);
  }
  assertEquals(netbiosDatagramName(datagram({ flags: 0x4a })), null); // reserved flag bit
});

Deno.test("netbiosDatagramName() gives null for names that are not encoded NetBIOS names", () => {
  const name = (source: readonly number[]) => netbiosDatagramName(datagram({ source }));
  assertEquals(name(labels("EOFGFCDJ")), null); // too short
  assertEquals(name(labels(encode("NVR9") + "CA")), null); // too long
  assertEquals(name(labels(encode("NVR9").replace("E", "Z"))), null); // letter out of A..P
  assertEquals(name(labels(encode("\x01\x02"))), null); // control characters
  assertEquals(name([0]), null); // empty name
  assertEquals(name([0xc0, 0x0c]), null); // compression pointer
  const encoded = labels(encode("NVR9"));
  assertEquals(name([...encoded.slice(0, 10), 0x85, ...encoded.slice(11)]), null); // fuzzed byte
  assertEquals(name([...encoded.slice(0, -1), 3, 0x61, 0x2e, 0x62, 0]), null); // dot in scope label
  assertEquals(name([...encoded.slice(0, -1), 3, 0x61, 0x20, 0x62, 0]), null); // space in scope label
});

Deno.test("netbiosDatagramName() gives null for truncated datagrams", () => {
  const full = datagram();
  for (const length of [0, 1, 13, 14, 15, 46, 47]) {
    assertEquals(netbiosDatagramName(full.subarray(0, length)), null, `${length} bytes`);
  }
  assertEquals(netbiosDatagramName(full.subarray(0, 48)), "nvr9"); // up to the name's final zero
  const scoped = datagram({ source: labels(encode("SC"), "arrancar.org") });
  assertEquals(netbiosDatagramName(scoped.subarray(0, 14 + 33 + 5)), null); // inside the scope
});

Deno.test("netbiosDatagramName() does not throw on random bytes", () => {
  const random = prng(138);
  for (let i = 0; i < 2000; i++) {
    const bytes = Uint8Array.from({ length: random.int(120) }, () => random.int(256));
    bytes[0] = 0x10 + random.int(3);
    bytes[1] = 0;
    if (bytes.length > 14 && random.int(2)) bytes[14] = 32;
    for (let at = 15; at < Math.min(47, bytes.length) && random.int(8); at++) {
      bytes[at] = 0x41 + random.int(17); // mostly letters "A".."P"
    }
    netbiosDatagramName(bytes);
  }
});
