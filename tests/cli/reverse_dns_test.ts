import { assertEquals, assertThrows } from "@std/assert";
import { ReverseDnsNames, reverseName } from "../../cli/reverse_dns.ts";
import { startDnsServer } from "./_dns_server.ts";

Deno.test("reverseName() gives in-addr.arpa and ip6.arpa names", () => {
  assertEquals(reverseName("192.168.1.7"), "7.1.168.192.in-addr.arpa");
  assertEquals(
    reverseName("2001:db8::567:89ab"),
    "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
  );
  assertThrows(() => reverseName("lucas-imac"), TypeError, "not an IP address");
});

Deno.test("ReverseDnsNames asks a real resolver, caches names and misses, and skips link-local", async () => {
  const server = await startDnsServer({
    "7.1.168.192.in-addr.arpa": "lucas-imac.lan",
    "9.1.168.192.in-addr.arpa": "printer.lan",
  });
  try {
    const resolve = (name: string, signal: AbortSignal) =>
      Deno.resolveDns(name, "PTR", {
        signal,
        nameServer: { ipAddr: "127.0.0.1", port: server.port },
      });
    const names = new ReverseDnsNames(resolve, { ttl: 3600, negativeTtl: 600, perRefresh: 2 });
    const addresses = ["192.168.1.7", "fe80::1", "192.168.1.8", "192.168.1.9"];
    await names.refresh(addresses, 1000);
    // At most two new lookups a refresh; fe80::1 is never asked about.
    assertEquals(server.asked, ["7.1.168.192.in-addr.arpa", "8.1.168.192.in-addr.arpa"]);
    assertEquals([...names.names], [["192.168.1.7", "lucas-imac.lan"]]);
    await names.refresh(addresses, 1010);
    assertEquals(server.asked.length, 3); // only .9 was due
    assertEquals(names.names.get("192.168.1.9"), "printer.lan");
    await names.refresh(addresses, 1000 + 601); // the miss is asked about again, the names not
    assertEquals(server.asked.slice(3), ["8.1.168.192.in-addr.arpa"]);
    await names.refresh(addresses, 1000 + 3601); // .7's name expired, .8's miss again; .9 not yet
    assertEquals(server.asked.slice(4).sort(), [
      "7.1.168.192.in-addr.arpa",
      "8.1.168.192.in-addr.arpa",
    ]);
    assertEquals(names.names.get("192.168.1.7"), "lucas-imac.lan");
  } finally {
    await server.close();
  }
});

Deno.test("ReverseDnsNames gives up for good without permission, and treats other errors as misses", async () => {
  let calls = 0;
  const denied = new ReverseDnsNames(() => {
    calls++;
    return Promise.reject(new Deno.errors.NotCapable("Requires net access"));
  });
  await denied.refresh(["192.168.1.7", "192.168.1.8"], 0);
  const first = calls; // the lookups already in flight together
  await denied.refresh(["192.168.1.7", "192.168.1.9"], 10_000);
  assertEquals(denied.disabled, "Requires net access");
  assertEquals(calls, first);

  const failing = new ReverseDnsNames(() => Promise.reject(new Error("timed out")));
  await failing.refresh(["192.168.1.7"], 0);
  assertEquals([failing.disabled, failing.names.size], [undefined, 0]);
  assertThrows(() => new ReverseDnsNames(undefined, { perRefresh: 0 }), RangeError, "perRefresh");
});
