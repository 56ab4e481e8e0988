// The checks behind `sluice doctor`, each a function of the settings and a
// DoctorSystem: the machine as the checks see it, which tests fake (no
// root, no libpcap, any platform).
import type { CaptureInterface } from "../capture/mod.ts";
import { type CommandRunner, NOT_FOUND } from "../shaper/mod.ts";
import { CONFIG_FILE, type RunConfig } from "./config.ts";
import { DEFAULT_DATA } from "./report.ts";
import { cidrOf } from "./run.ts";
import { DEFAULT_LISTEN, listenOption } from "./web_server.ts";
import { CAP_NET_ADMIN, CAP_NET_RAW, hasCapability } from "./capabilities.ts";

/** A check's verdict: "skip" when it does not apply on this platform or setup. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One line of the report. */
export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warn or fail. */
  fix?: string;
}

/** Everything the checks learn about the machine. */
export interface DoctorSystem {
  /** Deno.build.os. */
  os: string;
  /** The SLUICE_* variables that are set. */
  env: Readonly<Record<string, string>>;
  /** @throws {LibpcapUnavailableError} */
  libpcapVersion(): string;
  /** @throws {CaptureError | LibpcapUnavailableError} */
  listInterfaces(): CaptureInterface[];
  /** null on Windows. */
  uid(): number | null;
  /** A file's text; null when there is no such file. */
  readTextFile(path: string): Promise<string | null>;
  /** Runs tc, nft and PowerShell (never a shell). */
  runner: CommandRunner;
  /** Opens the data's KV store, writes and deletes a key; resolves to where, throws why not. */
  probeStore(data: string): Promise<string>;
  /** Binds the address and lets go; throws Deno.errors.AddrInUse and the like. */
  tryListen(hostname: string, port: number): Promise<void>;
  /** A one-line summary of a valid policy file; throws a UsageError naming the problem. */
  readPolicy(path: string): Promise<string>;
}

/** What every check sees. */
export interface Context {
  system: DoctorSystem;
  config: RunConfig;
  /** The config's problem, when the file or a variable was refused. */
  configProblem?: string;
}

/** One check. */
export type Check = (ctx: Context) => Promise<CheckResult> | CheckResult;

const setWith = (key: string, env: string) => `--${key}, ${env} or "${key}" in ${CONFIG_FILE}`;

const configCheck: Check = ({ config, configProblem }) => {
  if (configProblem) {
    return { check: "config", status: "fail", detail: configProblem, fix: "correct it" };
  }
  const vars = [...config.settings.values()].flatMap((s) => s.source === "env" ? [s.origin] : []);
  const also = vars.length ? `; set by variables: ${vars.join(", ")}` : "";
  if (!config.file) return { check: "config", status: "ok", detail: `no config file${also}` };
  const count = [...config.settings.values()].filter((s) => s.source === "file").length;
  const detail = config.file.found
    ? `${config.file.path}: valid, ${count} setting${count === 1 ? "" : "s"}${also}`
    : `${config.file.path}: none (optional)${also}`;
  return { check: "config", status: "ok", detail };
};

const libpcapCheck: Check = ({ system }) => {
  try {
    return { check: "libpcap", status: "ok", detail: system.libpcapVersion() };
  } catch (err) {
    const fix = system.os === "windows"
      ? "install Npcap from https://npcap.com"
      : system.os === "darwin"
      ? "libpcap ships with macOS; set SLUICE_LIBPCAP to its path"
      : "install it: apt-get install libpcap0.8 (Debian, Ubuntu) or dnf install libpcap";
    return { check: "libpcap", status: "fail", detail: firstLine(err), fix };
  }
};

const captureCheck: Check = async ({ system }) => {
  const check = "capture";
  if (system.os === "windows") {
    return {
      check,
      status: "skip",
      detail: "Npcap decides (admin-only installs need an administrator)",
    };
  }
  if (system.uid() === 0) return { check, status: "ok", detail: "running as root" };
  if (system.os !== "linux") {
    return {
      check,
      status: "warn",
      detail: "not root: capture needs read access to /dev/bpf*",
      fix: "run as root",
    };
  }
  const status = await system.readTextFile("/proc/self/status") ?? "";
  const missing = ([[CAP_NET_RAW, "CAP_NET_RAW"], [CAP_NET_ADMIN, "CAP_NET_ADMIN"]] as const)
    .filter(([bit]) => !hasCapability(status, bit)).map(([, name]) => name);
  if (missing.length === 0) {
    return { check, status: "ok", detail: "not root, but CAP_NET_RAW and CAP_NET_ADMIN effective" };
  }
  return {
    check,
    status: "fail",
    detail: `not root, and without ${missing.join(" and ")}`,
    fix: "run as root, or give the program the capabilities " +
      "(setcap cap_net_raw,cap_net_admin=ep /usr/local/bin/sluice), or run it as a service (sluice install)",
  };
};

const ifaceCheck: Check = ({ system, config }) => {
  const check = "iface";
  let list: CaptureInterface[];
  try {
    list = system.listInterfaces();
  } catch (err) {
    return { check, status: "warn", detail: `cannot list interfaces: ${firstLine(err)}` };
  }
  // "any" is libpcap's all-interfaces pseudo-device: not a LAN side to suggest.
  const up = list.filter((i) => i.up && !i.loopback && i.name !== "any").map((i) => i.name);
  const choices = up.length ? `up: ${up.join(", ")}` : "none up besides loopback";
  const iface = config.args.options.get("iface");
  if (iface === undefined) {
    return {
      check,
      status: "warn",
      detail: `none set (${choices})`,
      fix: `set one with ${setWith("iface", "SLUICE_IFACE")}`,
    };
  }
  const found = list.find((i) => i.name === iface);
  if (!found) {
    return {
      check,
      status: "fail",
      detail: `no interface "${iface}" (${choices})`,
      fix: "pick one of those",
    };
  }
  if (!found.up) {
    return {
      check,
      status: "fail",
      detail: `${iface} is down`,
      fix: `bring it up: ip link set ${iface} up`,
    };
  }
  const lan = config.args.options.get("lan");
  const cidrs = found.addresses.flatMap((a) => cidrOf(a) ?? []);
  if (lan === undefined && cidrs.length === 0) {
    return {
      check,
      status: "fail",
      detail: `${iface} is up but has no IP address to tell its LAN by`,
      fix: `set the LAN with ${setWith("lan", "SLUICE_LAN")}`,
    };
  }
  return { check, status: "ok", detail: `${iface} is up; LAN ${lan ?? cidrs.join(", ")}` };
};

/** tc or nft: needed only to shape; a fail when the settings would shape with them. */
function linuxTool(check: string, argv: string[], pkg: string): Check {
  return async ({ system, config }) => {
    if (system.os !== "linux") return { check, status: "skip", detail: "Linux only" };
    const result = await system.runner.run(argv, { timeoutMs: 5000 });
    if (result.code === 0) {
      return { check, status: "ok", detail: firstLine(result.stdout || result.stderr) };
    }
    const mode = config.args.options.get("shaper") ?? "auto";
    const shaping = config.args.options.has("policy") &&
      (mode === "linux" || (mode === "auto" && system.uid() === 0));
    const why = result.code === NOT_FOUND ? "not found" : firstLine(result.stderr);
    return {
      check,
      status: shaping ? "fail" : "warn",
      detail: `${argv[0]}: ${why}${shaping ? "" : " (needed only to shape, with a policy)"}`,
      fix: `apt-get install ${pkg} (or your system's package)`,
    };
  };
}

const QOS_SCRIPT =
  "if (Get-Command New-NetQosPolicy -ErrorAction SilentlyContinue) { 'netqos' }; " +
  "([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())" +
  ".IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)";

const netQosCheck: Check = async ({ system }) => {
  const check = "netqos";
  if (system.os !== "windows") {
    return { check, status: "skip", detail: "Windows only (Npcap is the libpcap line there)" };
  }
  const argv = ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", QOS_SCRIPT];
  const result = await system.runner.run(argv, { timeoutMs: 15_000 });
  if (result.code !== 0 || !result.stdout.includes("netqos")) {
    return {
      check,
      status: "warn",
      detail: `New-NetQosPolicy unavailable${result.code ? `: ${firstLine(result.stderr)}` : ""}`,
      fix:
        "shaping needs Windows PowerShell with the NetQos module (Windows 8 / Server 2012 or later)",
    };
  }
  if (!/\bTrue\b/.test(result.stdout)) {
    return {
      check,
      status: "warn",
      detail: "NetQos present, but not running as administrator",
      fix: "run as administrator to shape",
    };
  }
  return { check, status: "ok", detail: "New-NetQosPolicy available, running as administrator" };
};

const kvCheck: Check = async ({ system, config }) => {
  const data = config.args.options.get("data") ?? DEFAULT_DATA;
  try {
    return { check: "kv", status: "ok", detail: await system.probeStore(data) };
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) throw err; // Deno's permission, not the directory's
    return {
      check: "kv",
      status: "fail",
      detail: `${data}: ${firstLine(err)}`,
      fix: "make it writable by this user, or pick another with --data or SLUICE_DATA",
    };
  }
};

const webCheck: Check = async ({ system, config }) => {
  const check = "web";
  if (config.args.flags.has("no-web")) return { check, status: "skip", detail: "off (no-web)" };
  const listen = config.args.options.get("listen") ?? DEFAULT_LISTEN;
  const { hostname, port } = listenOption(listen, "sluice doctor"); // already checked by the config
  try {
    await system.tryListen(hostname, port);
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) throw err;
    const inUse = err instanceof Deno.errors.AddrInUse;
    const why = inUse ? "in use (another Sluice, or another program)" : firstLine(err);
    const other = `pick another with ${setWith("listen", "SLUICE_LISTEN")}`;
    const fix = inUse ? `stop what holds it, or ${other}` : other;
    return { check, status: "fail", detail: `cannot listen on ${listen}: ${why}`, fix };
  }
  const tls = await tlsProblem(system, config);
  if (tls) return { check, status: "fail", detail: tls, fix: "give a PEM certificate and its key" };
  const scheme = config.args.options.has("tls-cert") ? "https" : "http";
  const free = port === 0 ? "a free port is picked at start" : "free";
  return { check, status: "ok", detail: `${scheme} on ${listen}: ${free}` };
};

async function tlsProblem(system: DoctorSystem, config: RunConfig): Promise<string | undefined> {
  const cert = config.args.options.get("tls-cert"), key = config.args.options.get("tls-key");
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) return "tls-cert and tls-key go together";
  for (const [path, kind] of [[cert, "CERTIFICATE"], [key, "PRIVATE KEY"]]) {
    const text = await system.readTextFile(path);
    if (text === null) return `${path}: no such file`;
    if (!text.includes("-----BEGIN ") || !text.includes(kind)) {
      return `${path}: not a PEM ${kind.toLowerCase()}`;
    }
  }
  return undefined;
}

const policyCheck: Check = async ({ system, config }) => {
  const path = config.args.options.get("policy");
  if (path === undefined) return { check: "policy", status: "ok", detail: "none set (watch only)" };
  try {
    return { check: "policy", status: "ok", detail: await system.readPolicy(path) };
  } catch (err) {
    const detail = firstLine(err).replace(`sluice doctor: `, "");
    return { check: "policy", status: "fail", detail, fix: "correct it (see Policy in README.md)" };
  }
};

/** The checks in the order they are reported, by the name their line shows. */
export const CHECKS: readonly { name: string; run: Check }[] = [
  { name: "config", run: configCheck },
  { name: "libpcap", run: libpcapCheck },
  { name: "capture", run: captureCheck },
  { name: "iface", run: ifaceCheck },
  { name: "tc", run: linuxTool("tc", ["tc", "-V"], "iproute2") },
  { name: "nft", run: linuxTool("nft", ["nft", "--version"], "nftables") },
  { name: "netqos", run: netQosCheck },
  { name: "kv", run: kvCheck },
  { name: "web", run: webCheck },
  { name: "policy", run: policyCheck },
];

/** An error's first line. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().split("\n")[0];
}
