// End to end: frames built by sim/packets go through Sluice's real engine (a
// Monitor with the shipped catalogue, fed the way capture feeds it) and come
// out named, classified and counted.
import { assert, assertEquals } from "@std/assert";
import { defaultCatalogue } from "../../../engine/catalogue/default.ts";
import { LanSubnets } from "../../../engine/devices/mod.ts";
import type { FlowRecord } from "../../../engine/flow_record.ts";
import { LinkType } from "../../../engine/link_type.ts";
import { Monitor } from "../../../engine/monitor.ts";
import {
  dhcpEndpoints,
  dhcpRequest,
  dnsAnswer,
  dnsQuery,
  type Endpoint,
  frameLength,
  httpGet,
  ipBytes,
  macBytes,
  MAX_SEGMENT_V4,
  quicInitial,
  TCP_ACK,
  TCP_PSH,
  TCP_SYN,
  tlsClientHello,
  writeTcp,
  writeUdp,
} from "../../../sim/packets/mod.ts";

const ROUTER = macBytes("02:00:00:00:00:01");
const PHONE_MAC = macBytes("02:00:00:00:00:07"), LAPTOP_MAC = macBytes("02:00:00:00:00:23");
const at = (mac: Uint8Array, ip: string, port: number): Endpoint => ({
  mac,
  ip: ipBytes(ip),
  port,
});
const RANDOM = Uint8Array.from({ length: 32 }, (_, i) => i * 13);

/**
 * A capture in progress: frames are written into one shared buffer, as the
 * simulator does, and handed to a Monitor with their captured and wire lengths.
 */
class Wire {
  readonly monitor = new Monitor({
    linkType: LinkType.EN10MB,
    lan: new LanSubnets(["192.168.1.0/24", "fd00::/64"]),
    catalogue: defaultCatalogue(),
    onFlowEnd: (record) => this.ended.push(record),
  });
  readonly ended: FlowRecord[] = [];
  readonly #buf = new Uint8Array(4096);
  readonly #view = new DataView(this.#buf.buffer);
  #at = 0;
  time = 1_700_000_000;
  wireBytes = 0;
  shortFrames = 0;

  /** Writes at a moving offset: the engine must read each frame where it lies. */
  #feed(write: (buf: Uint8Array, at: number) => number, wireLength: number): void {
    if (this.#at + 2048 > this.#buf.length) this.#at = 0;
    const captured = write(this.#buf, this.#at);
    const sec = Math.floor(this.time);
    this.monitor.packet(
      this.#view,
      this.#at,
      captured,
      wireLength,
      sec,
      Math.round((this.time - sec) * 1e9),
    );
    if (captured < wireLength) this.shortFrames++;
    this.wireBytes += wireLength;
    this.#at += captured + 3; // odd offsets too
    this.time += 0.01;
  }

  tcp(
    src: Endpoint,
    dst: Endpoint,
    seq: number,
    ack: number,
    flags: number,
    payload: Uint8Array | null,
    length = payload?.length ?? 0,
  ): void {
    this.#feed(
      (b, o) => writeTcp(b, o, src, dst, seq, ack, flags, payload, length),
      frameLength(src, "tcp", length),
    );
  }

  udp(
    src: Endpoint,
    dst: Endpoint,
    payload: Uint8Array | null,
    length = payload?.length ?? 0,
  ): void {
    this.#feed(
      (b, o) => writeUdp(b, o, src, dst, payload, length),
      frameLength(src, "udp", length),
    );
  }

  /** A TCP connection: handshake, the client's first bytes, then `down` bytes in large segments not captured. */
  connection(client: Endpoint, server: Endpoint, first: Uint8Array | null, down: number[]): void {
    let c = 1000, s = 5000;
    this.tcp(client, server, c++, 0, TCP_SYN, null);
    this.tcp(server, client, s++, c, TCP_SYN | TCP_ACK, null);
    this.tcp(client, server, c, s, TCP_ACK, null);
    if (first) {
      this.tcp(client, server, c, s, TCP_ACK | TCP_PSH, first);
      c += first.length;
    }
    for (const length of down) {
      this.tcp(server, client, s, c, TCP_ACK, null, length);
      s += length;
      this.tcp(client, server, c, s, TCP_ACK, null);
    }
  }

  /** Ends the capture; the flows as records, by server endpoint. */
  finish(): Map<string, FlowRecord> {
    this.monitor.finish();
    return new Map(this.ended.map((r) => [r.server, r]));
  }
}

Deno.test("a TLS flow from writeTcp() and tlsClientHello() is named by its SNI and counted at wire length", () => {
  const wire = new Wire();
  const phone = at(PHONE_MAC, "192.168.1.7", 51000), server = at(ROUTER, "198.51.100.10", 443);
  const hello = tlsClientHello("www.netflix.com", RANDOM);
  wire.connection(phone, server, hello, [60_000, MAX_SEGMENT_V4, 1448]);
  const flow = wire.finish().get("198.51.100.10:443")!;
  assertEquals(flow.protocol, "TCP");
  assertEquals(flow.client, "192.168.1.7:51000");
  assertEquals([flow.hostname, flow.hostnameSource], ["www.netflix.com", "sni"]);
  assertEquals([flow.app, flow.category], ["netflix", "Streaming"]);
  assertEquals(flow.s2c, { packets: 4, bytes: 54 + 60_054 + 65_549 + 1502 });
  assertEquals(flow.c2s, { packets: 6, bytes: 54 * 5 + 54 + hello.length });
  assertEquals(wire.shortFrames, 3); // capLen < wireLen, counted whole
  const counters = wire.monitor.tracker.counters;
  assertEquals([counters.bytes, counters.truncated, counters.malformed], [wire.wireBytes, 0, 0]);
  const device = wire.monitor.devices.indexOf("mac:02:00:00:00:00:07");
  const totals = wire.monitor.meter.device(device).totals;
  assertEquals([totals.up, totals.down], [flow.c2s.bytes, flow.s2c.bytes]);
});

Deno.test("IPv6 frames decode: a TLS flow over IPv6 is named and its large segments counted", () => {
  const wire = new Wire();
  const phone = at(PHONE_MAC, "fd00::7", 52000), server = at(ROUTER, "2001:db8::10", 443);
  wire.connection(phone, server, tlsClientHello("www.facebook.com", RANDOM), [65_000, 1440]);
  const flow = wire.finish().get("[2001:db8::10]:443")!;
  assertEquals([flow.hostname, flow.app, flow.category], [
    "www.facebook.com",
    "facebook",
    "Social",
  ]);
  assertEquals(flow.s2c.bytes, 74 + (74 + 65_000) + (74 + 1440));
  const counters = wire.monitor.tracker.counters;
  assertEquals([counters.bytes, counters.flowPackets, counters.malformed], [
    wire.wireBytes,
    counters.packets,
    0,
  ]);
});

Deno.test("a QUIC Initial from quicInitial() in writeUdp() is named by the SNI it decrypts to", () => {
  const wire = new Wire();
  for (
    const [client, server] of [
      [at(PHONE_MAC, "192.168.1.7", 53000), at(ROUTER, "198.51.100.30", 443)],
      [at(PHONE_MAC, "fd00::7", 53001), at(ROUTER, "2001:db8::30", 443)],
    ]
  ) {
    const dcid = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, client.port & 255);
    wire.udp(
      client,
      server,
      quicInitial("www.youtube.com", dcid, Uint8Array.of(9, 9, 9, 9), RANDOM),
    );
    wire.udp(server, client, null, 1200); // the server's Initial and Handshake, not captured
    wire.udp(server, client, null, 1350);
  }
  const flows = wire.finish();
  for (const server of ["198.51.100.30:443", "[2001:db8::30]:443"]) {
    const flow = flows.get(server)!;
    assertEquals(flow.protocol, "UDP");
    assertEquals([flow.hostname, flow.hostnameSource], ["www.youtube.com", "quic"]);
    assertEquals([flow.app, flow.category], ["youtube", "Streaming"]);
    const headers = server.includes("[") ? 14 + 40 + 8 : 14 + 20 + 8;
    assertEquals([flow.c2s.bytes, flow.s2c.bytes], [headers + 1200, 2 * headers + 1200 + 1350]);
  }
});

Deno.test("a flow to an address from dnsAnswer() is named by DNS, the lookup flow by its question", () => {
  const wire = new Wire();
  const phone = at(PHONE_MAC, "192.168.1.7", 40000), resolver = at(ROUTER, "192.168.1.1", 53);
  const spotify = Uint8Array.of(198, 51, 100, 20);
  wire.udp(phone, resolver, dnsQuery(0x4242, "api.spotify.com", "A"));
  wire.udp(
    resolver,
    phone,
    dnsAnswer(0x4242, "api.spotify.com", [spotify], 300, "edge.spotify.com"),
  );
  // No SNI: the TCP flow's client bytes are not captured (TLS session resumption, say).
  const server = at(ROUTER, "198.51.100.20", 443), client = at(PHONE_MAC, "192.168.1.7", 51001);
  wire.connection(client, server, null, [20_000]);
  wire.tcp(client, server, 1001, 25_001, TCP_ACK | TCP_PSH, null, 517);
  const flows = wire.finish();
  const lookup = flows.get("192.168.1.1:53")!;
  assertEquals([lookup.hostname, lookup.hostnameSource], ["api.spotify.com", "dns"]);
  assertEquals(lookup.category, "Network"); // a DNS lookup is DNS, whatever it asks for
  const flow = flows.get("198.51.100.20:443")!;
  assertEquals([flow.hostname, flow.hostnameSource], ["api.spotify.com", "dns"]);
  assertEquals([flow.app, flow.category], ["spotify", "Streaming"]);
});

Deno.test("a DHCP request from dhcpRequest() names its flow and the device that sends it", () => {
  const wire = new Wire();
  const { src, dst } = dhcpEndpoints(LAPTOP_MAC);
  const request = dhcpRequest(
    0x1a2b3c4d,
    LAPTOP_MAC,
    ipBytes("192.168.1.23"),
    "Lucas-iMac",
    "MSFT 5.0",
  );
  wire.udp(src, dst, request);
  // Then the laptop, at the address it asked for, fetches packages over plain HTTP.
  const laptop = at(LAPTOP_MAC, "192.168.1.23", 41000), mirror = at(ROUTER, "203.0.113.80", 80);
  const get = httpGet(
    "deb.debian.org",
    "/debian/dists/stable/InRelease",
    "Debian APT-HTTP/1.3 (2.6.1)",
  );
  wire.connection(laptop, mirror, get, [30_000, 1448]);
  const flows = wire.finish();
  const dhcp = flows.get("255.255.255.255:67")!;
  assertEquals([dhcp.client, dhcp.hostname, dhcp.hostnameSource], [
    "0.0.0.0:68",
    "lucas-imac",
    "dhcp",
  ]);
  const http = flows.get("203.0.113.80:80")!;
  assertEquals([http.hostname, http.hostnameSource], ["deb.debian.org", "http"]);
  assertEquals([http.app, http.category], ["debian", "Downloads"]);
  const monitor = wire.monitor, hints = monitor.tracker.namer!.deviceHints;
  const index = monitor.devices.indexOf("mac:02:00:00:00:00:23");
  assert(index >= 0);
  const device = monitor.devices.device(index, wire.time, hints);
  assertEquals([device.name, device.nameSource], ["lucas-imac", "dhcp"]);
  assertEquals(device.addresses, ["192.168.1.23"]);
  const hint = hints.get("mac:02:00:00:00:00:23")!;
  assertEquals([hint.ip, hint.dhcpVendorClass], ["192.168.1.23", "MSFT 5.0"]);
  assertEquals(hint.userAgent, "Debian APT-HTTP/1.3 (2.6.1)");
});
