import { assertEquals, assertThrows } from "@std/assert";
import { WindowsRenderer } from "../../shaper/windows_renderer.ts";
import { appliedOf, reconcile } from "../../shaper/reconcile.ts";
import type { ShapeDevice, ShapePlan, ShaperObject } from "../../shaper/shaper_types.ts";

const renderer = new WindowsRenderer();

const device = (over: Partial<ShapeDevice> & { id: string }): ShapeDevice => ({
  mac: null,
  addresses: [],
  blocked: false,
  down: null,
  up: null,
  priority: "normal",
  ...over,
});

const TV = device({
  id: "mac:02:00:00:00:00:07",
  mac: "02:00:00:00:00:07",
  addresses: ["192.168.1.7", "fd00::7"],
  down: 625_000,
  up: 125_000,
});
const LAPTOP = device({ id: "ip:192.168.1.20", addresses: ["192.168.1.20"], priority: "high" });
const KID = device({
  id: "ip:192.168.1.30",
  addresses: ["192.168.1.30", "fd00::30"],
  blocked: true,
});
const PRINTER = device({ id: "mac:02:00:00:00:00:09", mac: "02:00:00:00:00:09", down: 1000 });

const plan = (devices: ShapeDevice[]): ShapePlan => ({
  link: { down: 12_500_000, up: 2_500_000 },
  shares: { high: 0.5, normal: 0.35, low: 0.15 },
  devices,
});

/** Each command as its script, "?" marking those that may fail. */
const scripts = (o: ShaperObject, which: "create" | "update" | "remove") =>
  (o[which] ?? []).map((c) => {
    assertEquals(c.argv.slice(0, 4), [
      "powershell.exe",
      "-NoProfile",
      "-NonInteractive",
      "-Command",
    ]);
    assertEquals(c.argv.length, 5);
    return (c.mayFail ? "? " : "") + c.argv[4];
  });

const Q = "-PolicyStore ActiveStore -Confirm:$false";

Deno.test("render() makes one QoS object per direction, a block object, and skips MAC-only devices", () => {
  const slots = new Map<string, number>();
  const objects = renderer.render(plan([TV, LAPTOP, KID, PRINTER]), slots);
  assertEquals(objects.map((o) => o.key), [
    "down/qos/mac:02:00:00:00:00:07",
    "up/qos/mac:02:00:00:00:00:07",
    "down/qos/ip:192.168.1.20",
    "up/qos/ip:192.168.1.20",
    "block/ip:192.168.1.30",
  ]);
  assertEquals([...slots], [[TV.id, 1], [LAPTOP.id, 2], [KID.id, 3]]);
  const [tvDown, tvUp, laptopDown, laptopUp, kid] = objects;

  assertEquals(scripts(tvDown, "create"), [
    `? Remove-NetQosPolicy -Name 'Sluice-1-down-1','Sluice-1-down-2' ${Q}`,
    "New-NetQosPolicy -Name 'Sluice-1-down-1' -IPDstPrefixMatchCondition '192.168.1.7/32' " +
    `-ThrottleRateActionBitsPerSecond 5000000 ${Q}`,
    "New-NetQosPolicy -Name 'Sluice-1-down-2' -IPDstPrefixMatchCondition 'fd00::7/128' " +
    `-ThrottleRateActionBitsPerSecond 5000000 ${Q}`,
  ]);
  assertEquals(scripts(tvDown, "update"), [
    "Set-NetQosPolicy -Name 'Sluice-1-down-1','Sluice-1-down-2' " +
    `-ThrottleRateActionBitsPerSecond 5000000 ${Q}`,
  ]);
  assertEquals(scripts(tvDown, "remove"), [
    `? Remove-NetQosPolicy -Name 'Sluice-1-down-1','Sluice-1-down-2' ${Q}`,
  ]);
  assertEquals(tvDown.summary, "download limit 5000000 bit/s for mac:02:00:00:00:00:07");
  assertEquals(scripts(tvUp, "create").slice(1), [
    "New-NetQosPolicy -Name 'Sluice-1-up-1' -IPSrcPrefixMatchCondition '192.168.1.7/32' " +
    `-ThrottleRateActionBitsPerSecond 1000000 ${Q}`,
    "New-NetQosPolicy -Name 'Sluice-1-up-2' -IPSrcPrefixMatchCondition 'fd00::7/128' " +
    `-ThrottleRateActionBitsPerSecond 1000000 ${Q}`,
  ]);

  assertEquals(scripts(laptopDown, "create"), [
    `? Remove-NetQosPolicy -Name 'Sluice-2-down-1' ${Q}`,
    "New-NetQosPolicy -Name 'Sluice-2-down-1' -IPDstPrefixMatchCondition '192.168.1.20/32' " +
    `-DSCPAction 46 ${Q}`,
  ]);
  assertEquals(laptopDown.update, undefined);
  assertEquals(laptopDown.spec, "");
  assertEquals(
    scripts(laptopUp, "create")[1],
    "New-NetQosPolicy -Name 'Sluice-2-up-1' -IPSrcPrefixMatchCondition '192.168.1.20/32' " +
      `-DSCPAction 46 ${Q}`,
  );
  assertEquals(laptopUp.summary, "upload high priority (DSCP 46) for ip:192.168.1.20");

  assertEquals(scripts(kid, "create"), [
    "? Remove-NetFirewallRule -Name 'Sluice-3-block-out','Sluice-3-block-in'",
    "New-NetFirewallRule -Name 'Sluice-3-block-out' " +
    "-DisplayName 'Sluice: block ip:192.168.1.30 (outbound)' -Group 'Sluice' " +
    "-Direction Outbound -Action Block -RemoteAddress '192.168.1.30','fd00::30'",
    "New-NetFirewallRule -Name 'Sluice-3-block-in' " +
    "-DisplayName 'Sluice: block ip:192.168.1.30 (inbound)' -Group 'Sluice' " +
    "-Direction Inbound -Action Block -RemoteAddress '192.168.1.30','fd00::30'",
  ]);
  assertEquals(scripts(kid, "remove"), [
    "? Remove-NetFirewallRule -Name 'Sluice-3-block-out','Sluice-3-block-in'",
  ]);
});

Deno.test("render() combines a limit and a Low priority in one policy per prefix", () => {
  const [down] = renderer.render(
    plan([device({ id: "ip:10.0.0.2", addresses: ["10.0.0.2"], down: 1000, priority: "low" })]),
    new Map(),
  );
  assertEquals(
    scripts(down, "create")[1],
    "New-NetQosPolicy -Name 'Sluice-1-down-1' -IPDstPrefixMatchCondition '10.0.0.2/32' " +
      `-ThrottleRateActionBitsPerSecond 8000 -DSCPAction 8 ${Q}`,
  );
});

Deno.test("render() of a changed limit gives one update, with stable keys, identities and slots", () => {
  const slots = new Map<string, number>();
  const before = renderer.render(plan([TV, LAPTOP, KID, PRINTER]), slots);
  // A new device first in the plan: it takes a free slot, the others keep theirs.
  const NEW = device({ id: "ip:192.168.1.40", addresses: ["192.168.1.40"], up: 50_000 });
  const after = renderer.render(plan([NEW, { ...TV, down: 1_250_000 }, LAPTOP, KID]), slots);
  assertEquals([...slots], [[TV.id, 1], [LAPTOP.id, 2], [KID.id, 3], [NEW.id, 4]]);
  const same = after.filter((o) => o.key !== `up/qos/${NEW.id}`);
  assertEquals(same.map((o) => [o.key, o.identity]), before.map((o) => [o.key, o.identity]));
  assertEquals(same.map((o) => o.spec === before.find((b) => b.key === o.key)!.spec), [
    false,
    true,
    true,
    true,
    true,
  ]);

  const ops = reconcile(before.map(appliedOf), same);
  assertEquals(ops.map((o) => [o.action, o.object.key]), [["update", `down/qos/${TV.id}`]]);
  assertEquals(ops[0].commands.map((c) => c.argv[4]), [
    "Set-NetQosPolicy -Name 'Sluice-1-down-1','Sluice-1-down-2' " +
    `-ThrottleRateActionBitsPerSecond 10000000 ${Q}`,
  ]);
});

Deno.test("render() recreates a device's policies when its addresses or priority change", () => {
  const slots = new Map<string, number>();
  const before = renderer.render(plan([TV]), slots);
  const after = renderer.render(plan([{ ...TV, addresses: ["192.168.1.7"] }]), slots);
  const ops = reconcile(before.map(appliedOf), after);
  assertEquals(ops.map((o) => [o.action, o.object.key]), [
    ["remove", `up/qos/${TV.id}`],
    ["remove", `down/qos/${TV.id}`],
    ["create", `down/qos/${TV.id}`],
    ["create", `up/qos/${TV.id}`],
  ]);
  const high = renderer.render(plan([{ ...TV, priority: "high" }]), slots);
  assertEquals(reconcile(before.map(appliedOf), high).map((o) => o.action), [
    "remove",
    "remove",
    "create",
    "create",
  ]);
});

Deno.test("render() quotes values for PowerShell, doubling single quotes", () => {
  const [block] = renderer.render(
    plan([device({ id: "ip:it's\u2019", addresses: ["10.0.0.9"], blocked: true })]),
    new Map(),
  );
  assertEquals(
    scripts(block, "create")[1],
    "New-NetFirewallRule -Name 'Sluice-1-block-out' " +
      "-DisplayName 'Sluice: block ip:it''s\u2019\u2019 (outbound)' -Group 'Sluice' " +
      "-Direction Outbound -Action Block -RemoteAddress '10.0.0.9'",
  );
});

Deno.test("sweep() removes Sluice's QoS policies and firewall rules, each allowed to fail", () => {
  assertEquals(renderer.sweep().map((c) => [c.argv, c.mayFail]), [
    [[
      "powershell.exe",
      "-NoProfile",
      "-NonInteractive",
      "-Command",
      "Get-NetQosPolicy -PolicyStore ActiveStore | Where-Object Name -like 'Sluice-*' | " +
      "Remove-NetQosPolicy -Confirm:$false",
    ], true],
    [[
      "powershell.exe",
      "-NoProfile",
      "-NonInteractive",
      "-Command",
      "Remove-NetFirewallRule -Group 'Sluice'",
    ], true],
  ]);
});

Deno.test("render() refuses a bad rate, address or priority, handing out no slot", () => {
  const slots = new Map<string, number>();
  const bad = (over: Partial<ShapeDevice>) => () =>
    renderer.render(
      plan([TV, device({ id: "ip:10.0.0.3", addresses: ["10.0.0.3"], ...over })]),
      slots,
    );
  assertThrows(bad({ down: -1 }), RangeError, "devices[1].down must be a positive finite number");
  assertThrows(bad({ up: NaN }), RangeError, "devices[1].up");
  assertThrows(bad({ down: Infinity }), RangeError, "devices[1].down");
  assertThrows(bad({ down: 0 }), RangeError, "devices[1].down");
  assertThrows(bad({ addresses: ["10.0.0.3'; Stop-Computer"] }), TypeError, "addresses");
  assertThrows(bad({ priority: "urgent" as "high" }), TypeError, "devices[1].priority");
  assertEquals(slots.size, 0);
});
