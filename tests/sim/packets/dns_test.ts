import { assert, assertEquals, assertThrows } from "@std/assert";
import { checkHostname, dnsAnswer, dnsQuery } from "../../../sim/packets/dns.ts";
import { parseDnsMessage } from "../../../engine/dns_message.ts";
import { DnsCache } from "../../../engine/dns_cache.ts";

const V4 = Uint8Array.of(198, 51, 100, 20), V4B = Uint8Array.of(198, 51, 100, 21);
const V6 = Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20);

Deno.test("dnsQuery() is a recursive query the engine reads the question from", () => {
  const q = dnsQuery(0xbeef, "WWW.Netflix.com", "A");
  assertEquals([q[0], q[1], q[2], q[3], q[5], q[7]], [0xbe, 0xef, 0x01, 0x00, 1, 0]);
  const m = parseDnsMessage(q)!;
  assertEquals([m.id, m.response, m.question, m.questionType], [
    0xbeef,
    false,
    "www.netflix.com",
    1,
  ]);
  assertEquals(parseDnsMessage(dnsQuery(1, "example.org", "AAAA"))?.questionType, 28);
});

Deno.test("dnsAnswer() holds A and AAAA records by address length, with their TTL", () => {
  const m = parseDnsMessage(dnsAnswer(9, "api.example.com", [V4, V4B, V6], 120), true)!;
  assertEquals([m.id, m.response, m.question, m.questionType], [9, true, "api.example.com", 1]);
  assertEquals(m.answers, [
    { type: "A", ttl: 120, data: "198.51.100.20", owner: "api.example.com" },
    { type: "A", ttl: 120, data: "198.51.100.21", owner: "api.example.com" },
    { type: "AAAA", ttl: 120, data: "2001:db8::20", owner: "api.example.com" },
  ]);
  assertEquals(parseDnsMessage(dnsAnswer(9, "v6.example", [V6], 5))?.questionType, 28);
  assertEquals(parseDnsMessage(dnsAnswer(9, "none.example", [], 5))?.answers, []);
});

Deno.test("dnsAnswer() puts a CNAME first and the addresses under its target", () => {
  const answer = dnsAnswer(3, "www.netflix.com", [V4], 60, "www.dradis.netflix.com");
  const m = parseDnsMessage(answer, true)!;
  assertEquals(m.answers, [
    { type: "CNAME", ttl: 60, data: "www.dradis.netflix.com" }, // the engine keeps no CNAME owner
    { type: "A", ttl: 60, data: "198.51.100.20", owner: "www.dradis.netflix.com" },
  ]);
  assertEquals(m.answerOwner, "www.netflix.com");
  // The cache names the address by the question, as the device asked it.
  const cache = new DnsCache();
  cache.learn(m, 1000);
  assertEquals(cache.lookup("198.51.100.20", 1010), "www.netflix.com");
});

Deno.test("dnsQuery() and dnsAnswer() throw on bad ids, names, types and addresses", () => {
  const bad: [() => unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
    [() => dnsQuery(65536, "a.com", "A"), RangeError, "id"],
    [() => dnsQuery(-1, "a.com", "A"), RangeError, "id"],
    [() => dnsQuery(1, "", "A"), TypeError, "name"],
    [() => dnsQuery(1, "a.com.", "A"), TypeError, "name"],
    [() => dnsQuery(1, "a".repeat(64), "A"), RangeError, "name"],
    [() => dnsQuery(1, "a.com", "MX" as "A"), TypeError, "type"],
    [() => dnsAnswer(1, "a.com", [new Uint8Array(5)], 1), RangeError, "addresses[0]"],
    [() => dnsAnswer(1, "a.com", [V4], -1), RangeError, "ttl"],
    [() => dnsAnswer(1, "a.com", [V4], 1, "b..com"), TypeError, "cname"],
  ];
  for (const [fn, type, name] of bad) {
    const error = assertThrows(fn, type) as Error;
    assert(error.message.startsWith(name), error.message);
  }
});

Deno.test("checkHostname() takes 253 characters and 63-character labels, not more", () => {
  checkHostname(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`, "n");
  checkHostname("_dmarc.x-1.example", "n");
  assertThrows(() => checkHostname("a".repeat(254), "n"), RangeError, "n must be at most 253");
  assertThrows(() => checkHostname(`${"a".repeat(64)}.b`, "n"), RangeError, "label of 64");
  assertThrows(() => checkHostname("-a.b", "n"), TypeError);
  assertThrows(() => checkHostname("a-.b", "n"), TypeError);
});
