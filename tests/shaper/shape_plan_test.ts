import { assertEquals } from "@std/assert";
import type { DesiredState, DeviceState } from "../../engine/policy/mod.ts";
import { type DeviceAddresses, shapePlan } from "../../shaper/shape_plan.ts";

const TV = "mac:02:00:00:00:00:07";

function state(id: string, fields: Partial<DeviceState> = {}): DeviceState {
  return {
    id,
    blocked: false,
    down: null,
    up: null,
    priority: "normal",
    level: "default",
    ruleId: null,
    reason: "default",
    scoped: [],
    ...fields,
  };
}

const desired = (...devices: DeviceState[]): DesiredState => ({
  link: { down: 12_500_000, up: 2_500_000 },
  shares: { high: 0.5, normal: 0.35, low: 0.15 },
  latencySensitive: [],
  devices,
});

const none = () => null;

Deno.test("shapePlan() leaves out Normal unlimited devices and keeps the link and shares", () => {
  const { plan, skipped } = shapePlan(
    desired(state(TV), state("ip:192.168.1.20", { down: 100_000 })),
    none,
  );
  assertEquals(plan.link, { down: 12_500_000, up: 2_500_000 });
  assertEquals(plan.shares, { high: 0.5, normal: 0.35, low: 0.15 });
  assertEquals(plan.devices.map((d) => d.id), ["ip:192.168.1.20"]);
  assertEquals(skipped, []);
});

Deno.test("shapePlan() keeps each blocked, limited or non-Normal device with its enforcement", () => {
  const { plan } = shapePlan(
    desired(
      state(TV, { down: 625_000, up: 125_000 }),
      state("mac:02:00:00:00:00:08", { priority: "low" }),
      state("mac:02:00:00:00:00:09", { blocked: true, priority: "high" }),
    ),
    none,
  );
  assertEquals(plan.devices, [
    {
      id: TV,
      mac: "02:00:00:00:00:07",
      addresses: [],
      blocked: false,
      down: 625_000,
      up: 125_000,
      priority: "normal",
    },
    {
      id: "mac:02:00:00:00:00:08",
      mac: "02:00:00:00:00:08",
      addresses: [],
      blocked: false,
      down: null,
      up: null,
      priority: "low",
    },
    {
      id: "mac:02:00:00:00:00:09",
      mac: "02:00:00:00:00:09",
      addresses: [],
      blocked: true,
      down: null,
      up: null,
      priority: "high",
    },
  ]);
});

Deno.test("shapePlan() gives an ip: device its address, a mac: device its MAC, plus what lookup knows", () => {
  const known: Record<string, DeviceAddresses> = {
    [TV]: { mac: null, addresses: ["fd00::7", "192.168.1.7", "10.0.0.7"] },
    "ip:192.168.1.20": { mac: "02:00:00:00:00:AA", addresses: ["192.168.1.20", "fd00::20"] },
  };
  const { plan } = shapePlan(
    desired(
      state(TV, { blocked: true }),
      state("ip:192.168.1.20", { blocked: true }),
      state("ip:fd00::30", { blocked: true }),
    ),
    (id) => known[id] ?? null,
  );
  assertEquals(plan.devices.map((d) => [d.id, d.mac, d.addresses]), [
    // A lookup without a MAC keeps the id's; addresses sorted.
    [TV, "02:00:00:00:00:07", ["10.0.0.7", "192.168.1.7", "fd00::7"]],
    // The id's address is not repeated; a looked-up MAC is lower-cased.
    ["ip:192.168.1.20", "02:00:00:00:00:aa", ["192.168.1.20", "fd00::20"]],
    ["ip:fd00::30", null, ["fd00::30"]],
  ]);
});

Deno.test("shapePlan() skips protected devices by id, MAC (any case) or address, with why", () => {
  const { plan, skipped } = shapePlan(
    desired(
      state("ip:192.168.1.1", { blocked: true }),
      state(TV, { down: 1000 }),
      state("mac:02:00:00:00:00:0b", { priority: "low" }),
      state("ip:192.168.1.50", { blocked: true }),
      state("mac:02:00:00:00:00:0c", { blocked: true }),
    ),
    (id) =>
      id === "ip:192.168.1.50"
        ? { mac: "02:00:00:00:00:CC", addresses: [] }
        : id === "mac:02:00:00:00:00:0b"
        ? { mac: null, addresses: ["192.168.1.11"] }
        : null,
    [
      { id: "ip:192.168.1.1", why: "the gateway itself" },
      { mac: "02:00:00:00:00:07".toUpperCase(), why: "the admin's laptop" },
      { address: "192.168.1.11", why: "allowlist" },
      { mac: "02:00:00:00:00:cc", why: "the admin's phone" },
    ],
  );
  assertEquals(skipped, [
    { id: "ip:192.168.1.1", why: "the gateway itself" },
    { id: TV, why: "the admin's laptop" },
    { id: "mac:02:00:00:00:00:0b", why: "allowlist" },
    { id: "ip:192.168.1.50", why: "the admin's phone" },
  ]);
  assertEquals(plan.devices.map((d) => d.id), ["mac:02:00:00:00:00:0c"]);
});

Deno.test("shapePlan() skips a device with no MAC and no address known", () => {
  const { plan, skipped } = shapePlan(
    desired(state("host:printer", { blocked: true }), state("host:tv", { down: 1000 })),
    (id) => id === "host:tv" ? { mac: null, addresses: ["192.168.1.40"] } : null,
  );
  assertEquals(skipped, [{ id: "host:printer", why: "no MAC or address known" }]);
  assertEquals(plan.devices.map((d) => [d.id, d.mac, d.addresses]), [
    ["host:tv", null, ["192.168.1.40"]],
  ]);
});

Deno.test("shapePlan() copies the link and shares rather than sharing them", () => {
  const input = desired(state(TV, { blocked: true }));
  const { plan } = shapePlan(input, none);
  plan.link.down = 1;
  plan.shares.high = 0;
  assertEquals([input.link.down, input.shares.high], [12_500_000, 0.5]);
});
