import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import type { CommandResult, CommandRunner, RunOptions } from "../../shaper/command_runner.ts";
import { LinuxRenderer } from "../../shaper/linux_renderer.ts";
import { appliedOf } from "../../shaper/reconcile.ts";
import {
  commandLine,
  Shaper,
  type ShaperEvent,
  type ShaperOptions,
  type ShaperState,
  type ShaperStore,
} from "../../shaper/shaper.ts";
import type { AppliedObject, ShapeDevice, ShapePlan } from "../../shaper/shaper_types.ts";

/** Records each command as a shell line; fails those it is told to. */
class FakeRunner implements CommandRunner {
  calls: string[] = [];
  timeouts: (number | undefined)[] = [];
  fail = new Map<string, CommandResult | Error>();
  run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const line = commandLine({ argv: [...argv], stdin: options.stdin });
    this.calls.push(line);
    this.timeouts.push(options.timeoutMs);
    const failure = this.fail.get(line);
    if (failure instanceof Error) return Promise.reject(failure);
    return Promise.resolve(failure ?? { code: 0, stdout: "", stderr: "" });
  }
  /** The calls since the last take. */
  take(): string[] {
    return this.calls.splice(0);
  }
}

class MemoryStore implements ShaperStore {
  constructor(public state: ShaperState | null = null) {}
  load(): Promise<ShaperState | null> {
    return Promise.resolve(structuredClone(this.state));
  }
  save(state: ShaperState): Promise<void> {
    this.state = structuredClone(state);
    return Promise.resolve();
  }
}

const TV = "mac:02:00:00:00:00:07", CONSOLE = "mac:02:00:00:00:00:08";
const KID = "mac:02:00:00:00:00:09", NAS = "mac:02:00:00:00:00:0a";
const device = (id: string, fields: Partial<ShapeDevice> = {}): ShapeDevice => ({
  id,
  mac: id.slice(4),
  addresses: [],
  blocked: false,
  down: null,
  up: null,
  priority: "normal",
  ...fields,
});
const plan = (...devices: ShapeDevice[]): ShapePlan => ({
  link: { down: 12_500_000, up: 2_500_000 },
  shares: { high: 0.5, normal: 0.35, low: 0.15 },
  devices,
});
const tv = (down: number, up: number) => device(TV, { addresses: ["192.168.1.7"], down, up });
const PLAN = plan(
  tv(625_000, 125_000),
  device(CONSOLE, { priority: "high" }),
  device(KID, { blocked: true }),
);

const renderer = new LinuxRenderer({ lan: "eth1" });
/** What rendering `p` with these slots gives, as create lines. */
const creates = (p: ShapePlan, slots: [string, number][] = []) =>
  renderer.render(p, new Map(slots)).flatMap((o) => o.create.map(commandLine));
const removes = (objects: readonly AppliedObject[]) =>
  objects.toReversed().flatMap((o) => o.remove.map(commandLine));

async function setup(options: Partial<ShaperOptions> = {}, store = new MemoryStore()) {
  const runner = new FakeRunner(), events: ShaperEvent[] = [];
  const shaper = new Shaper({
    renderer,
    runner,
    store,
    onEvent: (e) => events.push(e),
    ...options,
  });
  await shaper.start();
  return { shaper, runner, store, events };
}

Deno.test("Shaper.apply() first runs every creation in order, then nothing for the same plan", async () => {
  const { shaper, runner, store, events } = await setup();
  const objects = renderer.render(PLAN, new Map());
  assertEquals(await shaper.apply(PLAN, 1000), { done: objects.length, failed: 0, retryAt: null });
  assertEquals(runner.take(), creates(PLAN));
  assert(runner.timeouts.every((t) => t === 10_000));
  assertEquals(events[0], {
    time: 1000,
    action: "create",
    key: "down/root",
    summary: "download shaping on eth1",
    ok: true,
    commands: ["tc qdisc replace dev eth1 root handle 51ce: htb default 21"],
    dryRun: false,
  });
  assertEquals(events.map((e) => [e.action, e.key]), objects.map((o) => ["create", o.key]));
  assertEquals(store.state, {
    objects: objects.map(appliedOf),
    slots: { [TV]: 1, [CONSOLE]: 2 },
  });
  assertEquals(shaper.applied, store.state!.objects);

  events.length = 0;
  assertEquals(await shaper.apply(PLAN, 2000), { done: 0, failed: 0, retryAt: null });
  assertEquals([runner.take(), events], [[], []]);
});

Deno.test("Shaper.apply() runs one command per direction when a limit changes", async () => {
  const { shaper, runner, events } = await setup();
  await shaper.apply(PLAN, 1000);
  runner.take();
  events.length = 0;
  const changed = plan(tv(1_250_000, 250_000), ...PLAN.devices.slice(1));
  assertEquals(await shaper.apply(changed, 2000), { done: 2, failed: 0, retryAt: null });
  assertEquals(runner.take(), [
    "tc class replace dev eth1 parent 51ce:20 classid 51ce:101 htb rate 10000000bit ceil 10000000bit prio 1 quantum 12500 burst 3028b cburst 3028b",
    "tc class replace dev sl-eth1 parent 51ce:20 classid 51ce:101 htb rate 2000000bit ceil 2000000bit prio 1 quantum 2500 burst 3028b cburst 3028b",
  ]);
  assertEquals(events.map((e) => [e.action, e.key, e.ok]), [
    ["update", `down/class/${TV}`, true],
    ["update", `up/class/${TV}`, true],
  ]);
});

Deno.test("Shaper.apply() stops at a failing command, reports it, and retries with doubling backoff", async () => {
  const { shaper, runner, store, events } = await setup({ maxRetryMs: 5000 });
  const all = creates(PLAN);
  const bad = all.find((l) => l.startsWith("tc class replace dev sl-eth1 parent 51ce: "))!;
  runner.fail.set(bad, { code: 2, stdout: "", stderr: "RTNETLINK answers: No such device\n" });

  assertEquals(await shaper.apply(PLAN, 10_000), { done: 13, failed: 1, retryAt: 11_000 });
  assertEquals(runner.take(), all.slice(0, all.indexOf(bad) + 1), "nothing after the failure");
  const failure = events.at(-1)!;
  assertEquals([failure.key, failure.ok, failure.time], ["up/class/link", false, 10_000]);
  assertEquals(failure.error, `${bad}: exit 2: RTNETLINK answers: No such device`);
  assert(events.slice(0, -1).every((e) => e.ok && e.error === undefined));
  assertEquals(store.state!.objects.map((o) => o.key), events.slice(0, -1).map((e) => e.key));

  assertEquals(await shaper.tick(10_999), null, "not due yet");
  assertEquals(runner.take(), []);
  for (const [now, next] of [[11_000, 13_000], [13_000, 17_000], [17_000, 22_000]]) {
    assertEquals((await shaper.tick(now))?.retryAt, next);
    assertStringIncludes(events.at(-1)!.error!, "exit 2");
  }
  runner.fail.clear();
  runner.take();
  assertEquals(await shaper.tick(22_000), {
    done: renderer.render(PLAN, new Map()).length,
    failed: 0,
    retryAt: null,
  });
  assertEquals(runner.take(), all, "still a restart's first apply: everything again");
  assertEquals(await shaper.tick(99_000), null);
  assertEquals(await shaper.apply(PLAN, 99_000), { done: 0, failed: 0, retryAt: null });
});

Deno.test("Shaper.apply() after a failure retries only what is left, and the backoff starts over", async () => {
  const { shaper, runner, events } = await setup();
  await shaper.apply(PLAN, 1000);
  const changed = plan(tv(1_250_000, 250_000), ...PLAN.devices.slice(1));
  const [down, up] = creates(changed).filter((l) => l.includes("classid 51ce:101 htb"));
  runner.fail.set(up, new Error("spawn failed"));
  runner.take();
  assertEquals(await shaper.apply(changed, 5000), { done: 1, failed: 1, retryAt: 6000 });
  assertEquals(events.at(-1)!.error, `${up}: exit -1: spawn failed`);
  runner.fail.clear();
  assertEquals(await shaper.tick(6000), { done: 1, failed: 0, retryAt: null });
  assertEquals(runner.take(), [down, up, up]);
  const again = plan(tv(2_500_000, 250_000), ...PLAN.devices.slice(1));
  const down2 = creates(again).find((l) => l.includes("classid 51ce:101 htb"))!;
  runner.fail.set(down2, { code: 1, stdout: "", stderr: "" });
  assertEquals((await shaper.apply(again, 7000)).retryAt, 8000, "the backoff starts over");
  assertEquals(events.at(-1)!.error, `${down2}: exit 1`, "no stderr, no trailing colon");
});

Deno.test("Shaper.apply() does not count failures of commands that may fail", async () => {
  const { shaper, runner, events } = await setup();
  const exists = { code: 2, stdout: "", stderr: "RTNETLINK answers: File exists" };
  runner.fail.set("ip link add sl-eth1 type ifb", exists);
  runner.fail.set("tc filter del dev eth1 parent 51ce: prio 103", exists);
  assertEquals((await shaper.apply(PLAN, 1000)).failed, 0);
  // Removing the TV: its removals fail (already gone), which is fine.
  runner.fail.set("tc class del dev eth1 classid 51ce:101", exists);
  const result = await shaper.apply(plan(...PLAN.devices.slice(1)), 2000);
  assertEquals([result.failed, result.retryAt], [0, null]);
  assert(events.every((e) => e.ok), "no failed events");
  assertEquals(shaper.applied.filter((o) => o.key.includes(TV)), []);
});

Deno.test("Shaper in dry-run runs nothing but records the same events and state", async () => {
  const real = await setup();
  const dry = await setup({ dryRun: true });
  assertEquals(dry.shaper.dryRun, true);
  const changed = plan(tv(1_250_000, 125_000), device(NAS, { down: 100_000 }));
  for (const [p, now] of [[PLAN, 1000], [changed, 2000]] as const) {
    assertEquals(await dry.shaper.apply(p, now), await real.shaper.apply(p, now));
  }
  assertEquals(dry.runner.calls, []);
  assert(real.runner.calls.length > 0);
  assert(dry.events.every((e) => e.dryRun) && real.events.every((e) => !e.dryRun));
  assertEquals(
    dry.events.map((e) => ({ ...e, dryRun: false })),
    real.events,
  );
  assertEquals(dry.store.state, real.store.state);
  dry.events.length = 0;
  assertEquals((await dry.shaper.apply(changed, 3000)).done, 0);
  assertEquals(dry.events, []);
});

Deno.test("Shaper.start() removes what a previous run left that is no longer wanted, then recreates", async () => {
  const previous = await setup();
  await previous.shaper.apply(PLAN, 1000);
  const stored = structuredClone(previous.store.state!);
  // Marks one stored removal: what runs must be what the store says, not a re-rendering.
  const tvClass = stored.objects.find((o) => o.key === `down/class/${TV}`)!;
  tvClass.remove = [{
    argv: ["tc", "class", "del", "dev", "eth1", "classid", "51ce:101", "stored"],
  }];

  const { shaper, runner, store } = await setup({}, new MemoryStore(stored));
  const next = plan(device(CONSOLE, { priority: "high" }), device(NAS, { down: 100_000 }));
  const result = await shaper.apply(next, 5000);
  assertEquals(result.failed, 0);
  const gone = stored.objects.filter((o) => o.key.includes(TV) || o.key.includes(KID));
  assertEquals(runner.take(), [
    ...removes(gone),
    ...creates(next, [[TV, 1], [CONSOLE, 2]]),
  ]);
  assert(removes(gone).includes("tc class del dev eth1 classid 51ce:101 stored"));
  assertEquals(store.state!.slots, { [CONSOLE]: 2, [NAS]: 3 }, "the TV's slot is free again");
  assertEquals(await shaper.apply(next, 6000), { done: 0, failed: 0, retryAt: null });
  assertEquals(runner.take(), []);
});

Deno.test("Shaper.reset() removes what is applied in reverse order, sweeps, and empties the store", async () => {
  const { shaper, runner, store, events } = await setup();
  await shaper.apply(PLAN, 1000);
  // A pending retry: reset() cancels it.
  const changed = plan(tv(1_250_000, 125_000), ...PLAN.devices.slice(1));
  runner.fail.set(creates(changed).find((l) => l.includes("classid 51ce:101 htb"))!, {
    code: 1,
    stdout: "",
    stderr: "",
  });
  assertEquals((await shaper.apply(changed, 1500)).retryAt, 2500);
  runner.fail.clear();
  const applied = [...shaper.applied];
  runner.take();
  events.length = 0;
  assertEquals(await shaper.reset(2000), 0);
  assertEquals(runner.take(), [...removes(applied), ...renderer.sweep().map(commandLine)]);
  assertEquals(
    events.map((e) => [e.action, e.key]),
    [...applied.toReversed().map((o) => ["remove", o.key]), ["sweep", "sweep"]],
  );
  assertEquals(store.state, { objects: [], slots: {} });
  assertEquals(shaper.applied, []);
  assertEquals([shaper.retryAt, await shaper.tick(2500)], [null, null]);
  await shaper.apply(PLAN, 3000);
  assertEquals(runner.take(), creates(PLAN), "after a reset, everything is created again");
});

Deno.test("Shaper.apply() frees the slots of devices gone from the plan after a clean apply only", async () => {
  const { shaper, runner, store } = await setup();
  await shaper.apply(PLAN, 1000);
  assertEquals(store.state!.slots, { [TV]: 1, [CONSOLE]: 2 });
  // The console goes while the TV's change fails: the console's slot stays until a clean apply.
  const withoutConsole = plan(tv(1_250_000, 125_000), PLAN.devices[2]);
  const update = creates(withoutConsole).find((l) => l.includes("classid 51ce:101 htb"))!;
  runner.fail.set(update, { code: 1, stdout: "", stderr: "RTNETLINK answers: busy" });
  assertEquals((await shaper.apply(withoutConsole, 2000)).failed, 1);
  assertEquals(store.state!.slots, { [TV]: 1, [CONSOLE]: 2 });
  runner.fail.clear();
  assertEquals((await shaper.tick(3000))?.failed, 0);
  assertEquals(store.state!.slots, { [TV]: 1 });
  await shaper.apply(plan(PLAN.devices[0], device(NAS, { down: 100_000 })), 4000);
  assertEquals(store.state!.slots, { [TV]: 1, [NAS]: 2 }, "the lowest free slot");
});
