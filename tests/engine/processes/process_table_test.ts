import { assertEquals, assertThrows } from "@std/assert";
import { EXITED_PROCESS, ProcessTable, UNKNOWN_PROCESS } from "../../../engine/processes/mod.ts";

Deno.test("ProcessTable.add() meters up, down, packets and protocols per id", () => {
  const table = new ProcessTable();
  table.add(0, 6, 1000, 200, 3, 2);
  table.add(0, 17, 50, 0, 1, 0);
  table.add(5, 1, 84, 84, 1, 1);
  table.closeSecond();
  assertEquals(table.usage(0), {
    id: 0,
    up: 1050,
    down: 200,
    totalUp: 1050,
    totalDown: 200,
    packetsUp: 4,
    packetsDown: 2,
    protocols: ["tcp", "udp"],
  });
  assertEquals(table.usage(5)?.protocols, ["icmp"]);
  assertEquals(table.usage(3)?.totalUp, 0); // a row below the highest is there, empty
  assertEquals(table.usage(99), undefined);
  assertEquals(table.list().map((u) => u.id), [0, 5]);
});

Deno.test("ProcessTable.closeSecond() makes the second's bytes the rate, totals stay", () => {
  const table = new ProcessTable();
  table.add(1, 6, 10, 20, 1, 1);
  table.closeSecond();
  table.add(1, 6, 5, 0, 1, 0);
  table.closeSecond();
  const u = table.usage(1)!;
  assertEquals([u.up, u.down, u.totalUp, u.totalDown], [5, 0, 15, 20]);
  table.closeSecond();
  assertEquals([table.usage(1)!.up, table.usage(1)!.down], [0, 0]);
});

Deno.test("ProcessTable.add() counts ids it does not take as unknown, so totals still add up", () => {
  const table = new ProcessTable({ maxProcesses: 4 });
  table.add(4, 6, 100, 0, 1, 0);
  table.add(-7, 6, 1, 0, 1, 0);
  table.add(1.5, 6, 1, 0, 1, 0);
  table.add(UNKNOWN_PROCESS, 255, 0, 60, 0, 1);
  assertEquals(table.rejected, 3);
  assertEquals(table.usage(UNKNOWN_PROCESS)!.totalUp, 102);
  assertEquals(table.usage(UNKNOWN_PROCESS)!.protocols, ["tcp", "other"]);
  assertEquals(table.totals(), { up: 102, down: 60, bytes: 162, packets: 4 });
});

Deno.test("ProcessTable.release() moves a process's figures to exited and bumps its generation", () => {
  const table = new ProcessTable({ maxProcesses: 2 });
  table.add(1, 17, 300, 100, 3, 1);
  const before = table.generation[1];
  table.release(1);
  assertEquals(table.generation[1], before + 1);
  assertEquals(table.usage(1)!.totalUp, 0);
  assertEquals(table.usage(1)!.protocols, []);
  const exited = table.usage(EXITED_PROCESS)!;
  assertEquals([exited.totalUp, exited.totalDown, exited.protocols], [300, 100, ["udp"]]);
  assertEquals(table.totals().bytes, 400);
});

Deno.test("ProcessTable grows its rows no further than maxProcesses", () => {
  const table = new ProcessTable({ maxProcesses: 100 });
  for (let id = 0; id < 100; id++) table.add(id, 6, 1, 1, 1, 1);
  assertEquals(table.generation.length, 100);
  assertEquals(table.list().length, 100);
  assertEquals(table.totals().bytes, 200);
});

Deno.test("ProcessTable() rejects a bad maxProcesses", () => {
  const error = assertThrows(() => new ProcessTable({ maxProcesses: 0 })) as Error;
  assertEquals(error instanceof RangeError, true);
});

Deno.test("ProcessTable.takeMinute() gives bytes per name since the last call, released ones as exited", () => {
  const table = new ProcessTable();
  const names = ["curl", "curl", "sshd"];
  const nameOf = (id: number) => names[id];
  table.add(0, 6, 100, 1000, 1, 2);
  table.add(1, 6, 10, 20, 1, 1); // another curl: added to the same name
  table.add(2, 6, 5, 5, 1, 1);
  table.add(7, 17, 3, 4, 1, 1); // an id nobody names: unknown
  table.add(UNKNOWN_PROCESS, 1, 64, 0, 1, 0);
  table.closeSecond(); // seconds do not reset the minute
  assertEquals(table.takeMinute(nameOf), {
    unknown: [67, 4],
    curl: [110, 1020],
    sshd: [5, 5],
  });
  assertEquals(table.takeMinute(nameOf), {}, "nothing since");
  table.add(2, 6, 8, 9, 1, 1);
  table.release(2); // its minute so far moves to exited
  table.add(2, 6, 1, 1, 1, 1);
  table.add(EXITED_PROCESS, 6, 2, 0, 1, 0);
  assertEquals(table.takeMinute(nameOf), { exited: [10, 9], sshd: [1, 1] });
  assertEquals(table.totals().bytes, 67 + 4 + 110 + 1020 + 10 + 8 + 9 + 2 + 2);
});
