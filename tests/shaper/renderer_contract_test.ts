// What every ShaperRenderer must do, whatever its platform. Each renderer is
// one contract(...) line at the end of this file.
import { assert, assertEquals } from "@std/assert";
import { LinuxRenderer } from "../../shaper/linux_renderer.ts";
import { WindowsRenderer } from "../../shaper/windows_renderer.ts";
import { appliedOf, reconcile } from "../../shaper/reconcile.ts";
import type {
  AppliedObject,
  ShapeDevice,
  ShapePlan,
  ShaperCommand,
  ShaperObject,
  ShaperRenderer,
} from "../../shaper/shaper_types.ts";

const device = (id: string, fields: Partial<ShapeDevice> = {}): ShapeDevice => ({
  id,
  mac: id.startsWith("mac:") ? id.slice(4) : null,
  addresses: id.startsWith("ip:") ? [id.slice(3)] : [],
  blocked: false,
  down: null,
  up: null,
  priority: "normal",
  ...fields,
});

const plan = (link: number, ...devices: ShapeDevice[]): ShapePlan => ({
  link: { down: link, up: link / 5 },
  shares: { high: 0.5, normal: 0.35, low: 0.15 },
  devices,
});

const TV = "mac:02:00:00:00:00:07", CONSOLE = "mac:02:00:00:00:00:08";
const KID = "mac:02:00:00:00:00:09", PHONE = "ip:192.168.1.30", NAS = "ip:fd00::40";

const EMPTY = plan(12_500_000);
const A = plan(
  12_500_000,
  device(TV, { addresses: ["192.168.1.7", "fd00::7"], down: 625_000, up: 125_000 }),
  device(CONSOLE, { addresses: ["192.168.1.8"], priority: "high" }),
  device(KID, { addresses: ["192.168.1.9"], blocked: true }),
  device(PHONE, { priority: "low", down: 250_000 }),
);
// Every kind of change from A: a new link, a limit changed, a device gone,
// one added, a priority and a block changed.
const B = plan(
  25_000_000,
  device(TV, { addresses: ["192.168.1.7"], down: 1_250_000, up: null, priority: "high" }),
  device(KID, { addresses: ["192.168.1.9", "fd00::9"], blocked: false, priority: "low" }),
  device(PHONE, { blocked: true }),
  device(NAS, { up: 500_000 }),
);
const IDS = [TV, CONSOLE, KID, PHONE, NAS];

/** Applies operations as the shaper does, all succeeding: what is applied after, in order. */
function applyOps(applied: readonly AppliedObject[], desired: readonly ShaperObject[]) {
  const have = new Map(applied.map((a) => [a.key, a]));
  for (const op of reconcile(applied, desired)) {
    if (op.action === "remove") have.delete(op.object.key);
    else have.set(op.object.key, appliedOf(op.object));
  }
  return desired.filter((d) => have.has(d.key)).map((d) => have.get(d.key)!);
}

const commandsOf = (objects: ShaperObject[]): ShaperCommand[] =>
  objects.flatMap((o) => [...o.create, ...(o.update ?? []), ...o.remove]);

function checkOrder(objects: ShaperObject[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    assert(!seen.has(o.key), `duplicate key ${o.key}`);
    for (const need of o.needs) assert(seen.has(need), `${o.key} needs ${need}, not before it`);
    seen.add(o.key);
  }
}

function contract(name: string, makeRenderer: () => ShaperRenderer): void {
  const render = (p: ShapePlan, slots = new Map<string, number>()) =>
    makeRenderer().render(p, slots);

  Deno.test(`${name}: render() gives unique keys, each object's needs before it`, () => {
    for (const p of [EMPTY, A, B]) checkOrder(render(p));
  });

  Deno.test(`${name}: render() twice with the same slots gives the same objects`, () => {
    const slots = new Map<string, number>();
    const first = render(A, slots), saved = new Map(slots);
    assertEquals(render(A, slots), first);
    assertEquals(slots, saved);
    assertEquals(makeRenderer().render(A, new Map(saved)), first);
  });

  Deno.test(`${name}: reconcile() from A to B and back to A applies A exactly`, () => {
    const slots = new Map<string, number>();
    let applied = applyOps([], render(A, slots));
    assertEquals(applied, render(A, slots).map(appliedOf));
    applied = applyOps(applied, render(B, slots));
    assertEquals(applied, render(B, slots).map(appliedOf));
    applied = applyOps(applied, render(A, slots));
    assertEquals(applied, render(A, slots).map(appliedOf));
    assertEquals(reconcile(applied, render(A, slots)), [], "nothing left to do");
  });

  Deno.test(`${name}: reconcile() to an empty plan leaves only the base objects`, () => {
    const slots = new Map<string, number>();
    const base = render(EMPTY, slots);
    for (const p of [A, B]) {
      const applied = applyOps(applyOps([], render(p, slots)), base);
      assertEquals(applied, base.map(appliedOf));
      assert(applied.every((o) => !IDS.some((id) => o.key.includes(id))), "no device left");
    }
  });

  Deno.test(`${name}: every remove and sweep command may fail harmlessly`, () => {
    const renderer = makeRenderer();
    for (const p of [EMPTY, A, B]) {
      for (const o of renderer.render(p, new Map())) {
        assert(o.remove.every((c) => c.mayFail === true), `${o.key}: a remove must be mayFail`);
      }
    }
    assert(renderer.sweep().length > 0);
    assert(renderer.sweep().every((c) => c.mayFail === true), "sweep commands must be mayFail");
  });

  Deno.test(`${name}: every argv is non-empty strings without NUL`, () => {
    const renderer = makeRenderer();
    const all = [A, B].flatMap((p) => commandsOf(renderer.render(p, new Map())));
    for (const c of [...all, ...renderer.sweep()]) {
      assert(c.argv.length > 0, "an empty argv");
      for (const arg of c.argv) {
        assert(typeof arg === "string" && arg.length > 0, `empty argument in ${c.argv}`);
        assert(!arg.includes("\0"), `NUL in ${JSON.stringify(c.argv)}`);
      }
      assert(c.stdin === undefined || !c.stdin.includes("\0"));
    }
  });

  Deno.test(`${name}: device ids never reach an argv where they could read as options`, () => {
    // Ids from the engine start with mac: or ip:, but a renderer must not rely on it.
    const odd = ["--help", "-rf"].map((id, i) =>
      device(id, { mac: `02:00:00:00:01:0${i}`, addresses: [`10.9.0.${i}`], down: 1000 })
    );
    const hostile = {
      ...A,
      devices: [...A.devices, ...odd, { ...odd[0], id: "-x", blocked: true }],
    };
    const ids = [...IDS, ...hostile.devices.map((d) => d.id)];
    const renderer = makeRenderer();
    for (const p of [A, B, hostile]) {
      for (const c of commandsOf(renderer.render(p, new Map()))) {
        for (const arg of c.argv) {
          const id = arg.startsWith("-") && ids.find((i) => arg.includes(i));
          assert(!id, `device id ${id} in option-like argument ${JSON.stringify(arg)}`);
        }
      }
    }
  });
}

contract("LinuxRenderer (fq_codel)", () => new LinuxRenderer({ lan: "eth1" }));
contract("LinuxRenderer (pfifo)", () => new LinuxRenderer({ lan: "eth1", leaf: "pfifo" }));
contract("WindowsRenderer", () => new WindowsRenderer());
