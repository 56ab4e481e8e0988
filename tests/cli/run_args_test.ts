// `sluice run`'s options refused before anything is opened: one line, exit 2.
import { assertUserError, sluiceCommand } from "./_replay.ts";

const run = (...args: string[]) =>
  sluiceCommand("run", "--iface", "lo", "--lan", "10.9.0.0/24", ...args);

Deno.test("sluice run refuses a shaper it cannot have, in one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice-run-args-" });
  try {
    const policy = `${dir}/policy.json`;
    await Deno.writeTextFile(policy, JSON.stringify({ link: { down: "100Mbit", up: "20Mbit" } }));
    assertUserError(await sluiceCommand("run"), "--iface IFACE is required");
    assertUserError(await run("--shaper", "tc"), "--shaper");
    assertUserError(await run("--shaper", "linux"), "--shaper needs --policy");
    const other = Deno.build.os === "windows" ? "linux" : "windows";
    assertUserError(
      await run("--policy", policy, "--shaper", other),
      `--shaper ${other} works on ${other === "linux" ? "Linux" : "Windows"} only`,
    );
    assertUserError(await run("--policy", policy, "--protect", "not a device"), "--protect");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
