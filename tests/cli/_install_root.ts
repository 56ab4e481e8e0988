// A fake machine for `sluice install` and `sluice uninstall`: a temporary
// directory as the filesystem root (booted with systemd, a compiled binary
// to copy) and a runner that records every program instead of running it.
import type { CommandResult } from "../../shaper/mod.ts";
import type { InstallSystem } from "../../cli/install_system.ts";

export interface FakeMachine {
  root: string;
  system: InstallSystem;
  /** Every program run, as argv. */
  ran: string[][];
  printed: string[];
  errors: string[];
  /** Every file and directory under the root, with its mode for files: what a test compares. */
  tree(): Promise<string[]>;
}

export interface FakeOptions {
  /** Answers a program; default: success, except "getent passwd" (no such user). */
  answer?: (argv: readonly string[]) => CommandResult | undefined;
  system?: Partial<InstallSystem>;
}

/** Runs `fn` on a fresh fake machine, removed afterwards. */
export async function withMachine(
  fn: (m: FakeMachine) => Promise<void>,
  options: FakeOptions = {},
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "sluice-install-" });
  try {
    await Deno.mkdir(`${root}/run/systemd/system`, { recursive: true });
    await Deno.mkdir(`${root}/build`);
    await Deno.writeTextFile(`${root}/build/sluice`, "#!/bin/sh\necho compiled sluice\n");
    const ran: string[][] = [];
    const printed: string[] = [];
    const errors: string[] = [];
    const system: InstallSystem = {
      root,
      os: "linux",
      uid: 0,
      compiled: true,
      execPath: `${root}/build/sluice`,
      cwd: "/etc/sluice",
      print: (line) => printed.push(line),
      error: (line) => errors.push(line),
      runner: {
        run: (argv) => {
          ran.push([...argv]);
          const given = options.answer?.(argv);
          if (given) return Promise.resolve(given);
          const missing = argv[0] === "getent";
          return Promise.resolve({ code: missing ? 2 : 0, stdout: "", stderr: "" });
        },
      },
      ...options.system,
    };
    await fn({ root, system, ran, printed, errors, tree: () => tree(root) });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function tree(root: string, dir = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${root}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(`${path}/`, ...await tree(root, path));
    else out.push(`${path} ${((await Deno.stat(`${root}${path}`)).mode! & 0o777).toString(8)}`);
  }
  return out.sort();
}

/** The fake machine as it is after a default install with `--iface eth1`. */
export const INSTALLED_TREE = [
  "/build/",
  "/build/sluice 644",
  "/etc/",
  "/etc/systemd/",
  "/etc/systemd/system/",
  "/etc/systemd/system/sluice.service 644",
  "/run/",
  "/run/systemd/",
  "/run/systemd/system/",
  "/usr/",
  "/usr/local/",
  "/usr/local/bin/",
  "/usr/local/bin/sluice 755",
  "/var/",
  "/var/lib/",
  "/var/lib/sluice/",
  "/var/lib/sluice/sluice.json 644",
];
