/**
 * The systemd unit `sluice install` writes, and the paths it may name: pure
 * text, no filesystem, so that tests can compare it line by line.
 *
 * The unit's second line records what the install did
 * (`# sluice-install: bin=… copied=yes data=… user=…`): `sluice uninstall`
 * reads it back, so it removes what was installed and nothing else.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";

/** Where the unit is written, on the target system. */
export const UNIT_PATH = "/etc/systemd/system/sluice.service";
/** The unit's name for systemctl. */
export const UNIT_NAME = "sluice.service";
/** Where the binary is copied unless `--bin` says otherwise. */
export const DEFAULT_BIN = "/usr/local/bin/sluice";
/** The installed data directory: systemd's StateDirectory=sluice. */
export const SERVICE_DATA = "/var/lib/sluice";
/** The dedicated system user the service runs as unless `--user` or `--root`. */
export const DEFAULT_USER = "sluice";

/** What the unit runs, where, and as whom (the record `sluice uninstall` reads). */
export interface InstallRecord {
  /** The binary ExecStart runs: absolute, checked with {@linkcode servicePath}. */
  bin: string;
  /** Whether `sluice install` copied the binary there (so uninstall removes it). */
  copied: boolean;
  /** The data directory, absolute. */
  data: string;
  /** The unprivileged user it runs as; null runs it as root (`--root`). */
  user: string | null;
}

/** A unit's settings: the record, and whether the web UI needs a port under 1024. */
export interface UnitSettings extends InstallRecord {
  /** Adds CAP_NET_BIND_SERVICE (a `listen` port under 1024). */
  lowPort?: boolean;
  /** Sluice's version, for the header. */
  version: string;
}

const MARKER = "# sluice-install:";

/**
 * The unit file's text: Sluice at boot, once the network is up, as a
 * dedicated user holding only CAP_NET_RAW and CAP_NET_ADMIN (capture and
 * shaping), in a read-only system with its data directory writable.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * const unit = systemdUnit({
 *   bin: "/usr/local/bin/sluice", copied: true, data: "/var/lib/sluice", user: "sluice",
 *   version: "0.1.0",
 * });
 * assertStringIncludes(unit, "ExecStart=/usr/local/bin/sluice run --data /var/lib/sluice\n");
 * assertStringIncludes(unit, "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN\n");
 * ```
 */
export function systemdUnit(s: UnitSettings): string {
  const caps = ["CAP_NET_RAW", "CAP_NET_ADMIN", ...(s.lowPort ? ["CAP_NET_BIND_SERVICE"] : [])];
  const state = stateDirectory(s.data);
  const lines = [
    `# Written by "sluice install" (Sluice ${s.version}); "sluice uninstall" removes it.`,
    `${MARKER} bin=${s.bin} copied=${s.copied ? "yes" : "no"} data=${s.data} user=${
      s.user ?? "root"
    }`,
    "[Unit]",
    "Description=Sluice network bandwidth monitor",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${s.bin} run --data ${s.data}`,
    ...(s.user === null
      ? ["# --root: full root, for kernels or tools where capabilities do not suffice."]
      : [
        `User=${s.user}`,
        `AmbientCapabilities=${caps.join(" ")}`,
        `CapabilityBoundingSet=${caps.join(" ")}`,
      ]),
    ...(state === null ? [] : [`StateDirectory=${state}`, "StateDirectoryMode=0750"]),
    `ReadWritePaths=${s.data}`,
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "Restart=on-failure",
    "RestartSec=10s",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  ];
  return lines.join("\n") + "\n";
}

/**
 * The record on a unit's `# sluice-install:` line, or null when the unit was
 * not written by `sluice install` (or the line is damaged).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const unit = "# x\n# sluice-install: bin=/usr/local/bin/sluice copied=yes data=/var/lib/sluice user=root\n";
 * assertEquals(readInstallRecord(unit), {
 *   bin: "/usr/local/bin/sluice", copied: true, data: "/var/lib/sluice", user: null,
 * });
 * ```
 */
export function readInstallRecord(unit: string): InstallRecord | null {
  const line = unit.split("\n").find((l) => l.startsWith(MARKER));
  if (line === undefined) return null;
  const fields = new Map<string, string>();
  for (const pair of line.slice(MARKER.length).trim().split(/\s+/)) {
    const eq = pair.indexOf("=");
    if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const bin = fields.get("bin"), data = fields.get("data"), user = fields.get("user");
  const copied = fields.get("copied");
  if (!bin || !data || !user || (copied !== "yes" && copied !== "no")) return null;
  if (!isSafePath(bin) || !isSafePath(data) || isSystemDirectory(data)) return null;
  if (user !== "root" && !USER_NAME.test(user)) return null;
  return { bin, copied: copied === "yes", data, user: user === "root" ? null : user };
}

/** A system user name as useradd accepts it. */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** Hidden from the service by ProtectHome=yes and PrivateTmp=yes. */
const HIDDEN = ["/home", "/root", "/run/user", "/tmp", "/var/tmp"];

/** Directories a data directory must never be (uninstall --purge removes it). */
const SYSTEM_DIRECTORIES = new Set([
  "/",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib64",
  "/opt",
  "/proc",
  "/run",
  "/sbin",
  "/srv",
  "/sys",
  "/usr",
  "/usr/local",
  "/usr/local/bin",
  "/var",
  "/var/lib",
]);

/** Whether `path` is one of the system's own directories (never a data directory). */
export function isSystemDirectory(path: string): boolean {
  return SYSTEM_DIRECTORIES.has(path);
}

/**
 * `text` as an absolute, normalised path the service can use: resolved
 * against `cwd`, in characters a unit line takes without quoting (no spaces,
 * `%` or `$`), and not under a directory the sandbox hides from it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(servicePath("../etc/p.json", "/srv/x", "--policy", "sluice install"), "/srv/etc/p.json");
 * ```
 */
export function servicePath(text: string, cwd: string, option: string, command: string): string {
  const parts: string[] = [];
  for (const part of `${text.startsWith("/") ? "" : cwd}/${text}`.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "" && part !== ".") parts.push(part);
  }
  const path = `/${parts.join("/")}`;
  if (!isSafePath(path)) {
    throw new UsageError(
      `${command}: ${option} must be a path of letters, digits and ._+@/- only, got "${text}"`,
    );
  }
  const hidden = HIDDEN.find((h) => path === h || path.startsWith(`${h}/`));
  if (hidden !== undefined) {
    throw new UsageError(
      `${command}: ${option} ${path} is under ${hidden}, which the service cannot see ` +
        `(ProtectHome, PrivateTmp); use a path such as /etc/sluice or /var/lib/sluice`,
    );
  }
  return path;
}

function isSafePath(path: string): boolean {
  return /^\/[A-Za-z0-9._+@/-]*$/.test(path) && !path.split("/").some((p) => p === "..");
}

/** StateDirectory= for a data directory under /var/lib, else null (made by install). */
function stateDirectory(data: string): string | null {
  return data.startsWith("/var/lib/") && data.length > "/var/lib/".length
    ? data.slice("/var/lib/".length)
    : null;
}
