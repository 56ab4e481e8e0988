import type { Role } from "../web/web_env.ts";
import { SessionStore } from "../web/auth/session_store.ts";
import { TokenStore } from "../web/auth/token_store.ts";
import {
  checkPassword,
  checkRole,
  checkUserName,
  FIRST_ADMIN,
  MIN_PASSWORD_LENGTH,
  UserStore,
  UserStoreError,
} from "../web/auth/user_store.ts";
import { parseArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { DEFAULT_DATA } from "./report.ts";
import { UsageError } from "./usage_error.ts";

export const PASSWD_HELP = `sluice passwd [USER] [options]

Sets the web dashboard password of USER (default "${FIRST_ADMIN}"), or creates
the user. Only a PBKDF2-SHA256 hash is stored. The user's browser sessions
end, on a running Sluice too; their API tokens stay valid unless the user is
demoted to viewer, which revokes them.

The password is asked twice, without echo, when stdin is a terminal; with
--password-stdin it is read from stdin instead (one line), for scripts:
  printf '%s\\n' "$PASSWORD" | sluice passwd alice --password-stdin

Options:
  --role admin|viewer  the user's role: sets it for an existing user; a new
                       user is a viewer, or an admin while none exists
  --password-stdin     read the password from stdin
  --data DIR           the data directory (default ${DEFAULT_DATA}) or a KV URL
  -h, --help           this help

Passwords have at least ${MIN_PASSWORD_LENGTH} characters. User names have 1 to 32 of
a-z, 0-9, ".", "_" and "-".

Exit status: 0 on success, 2 for a wrong option, name, role or password,
passwords that differ, demoting the last admin, no terminal without
--password-stdin, or a store that cannot be opened.`;

/** What `sluice passwd` reads and writes, replaceable in tests. */
export interface PasswdIo {
  /** All of stdin, for --password-stdin (default: the process's stdin). */
  readStdin?: () => Promise<string>;
  /** Asks for a line without echo; null when there is no terminal to ask on. */
  prompt?: (message: string) => Promise<string | null>;
  /** Prints the outcome (default console.log). */
  print?: (line: string) => void;
  /** The clock, epoch ms (default Date.now). */
  now?: () => number;
  /** PBKDF2 iterations (default 600,000; tests pass fewer). */
  iterations?: number;
}

const COMMAND = "sluice passwd";

/**
 * `sluice passwd`: returns the exit code; a UsageError for bad input.
 *
 * @example
 * ```ts ignore
 * await passwdCommand(["alice", "--role", "viewer", "--password-stdin"], {
 *   readStdin: () => Promise.resolve("a long password\n"),
 * });
 * ```
 */
export async function passwdCommand(argv: string[], io: PasswdIo = {}): Promise<number> {
  const args = parseArgs(argv, {
    command: COMMAND,
    flags: ["password-stdin"],
    options: ["data", "role"],
    positionals: { min: 0, max: 1, names: "USER" },
  });
  const name = usage(() => checkUserName(args.positionals[0] ?? FIRST_ADMIN));
  const roleText = args.options.get("role");
  const role = roleText === undefined ? undefined : usage(() => checkRole(roleText));
  const print = io.print ?? console.log;
  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, COMMAND);
  try {
    const users = new UserStore(kv, { iterations: io.iterations });
    const existing = await users.get(name);
    const password = args.flags.has("password-stdin")
      ? fromStdin(await (io.readStdin ?? readAllStdin)())
      : await prompted(name, existing !== null, io.prompt ?? promptHidden);
    usage(() => checkPassword(password));
    if (!existing) {
      const admins = (await users.list()).filter((u) => u.role === "admin").length;
      const newRole: Role = role ?? (admins === 0 ? "admin" : "viewer");
      await users.create(name, newRole, password, (io.now ?? Date.now)());
      print(`${COMMAND}: created ${newRole} "${name}"`);
      return 0;
    }
    if (role !== undefined && role !== existing.role) {
      await users.setRole(name, role);
    }
    await users.setPassword(name, password);
    const ended = await new SessionStore(kv).revokeAll(name);
    const revoked = role === "viewer" && existing.role === "admin"
      ? await new TokenStore(kv).revokeAll(name)
      : 0;
    const changes = [
      `set the password of ${existing.role} "${name}"`,
      ...(role !== undefined && role !== existing.role ? [`now a ${role}`] : []),
      `${ended} session${ended === 1 ? "" : "s"} ended`,
      ...(revoked ? [`${revoked} API token${revoked === 1 ? "" : "s"} revoked`] : []),
    ];
    print(`${COMMAND}: ${changes.join("; ")}`);
    return 0;
  } catch (err) {
    // Another admin removed meanwhile, or the user created or deleted meanwhile.
    if (err instanceof UserStoreError) throw new UsageError(`${COMMAND}: ${err.message}`);
    throw err;
  } finally {
    kv.close();
  }
}

/** Runs a check, turning its TypeError or RangeError into a UsageError. */
function usage<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) {
      throw new UsageError(`${COMMAND}: ${err.message}`);
    }
    throw err;
  }
}

/** The password from stdin: one line, its line ending dropped. */
function fromStdin(text: string): string {
  const line = text.replace(/\r?\n$/, "");
  if (/[\r\n]/.test(line)) throw new UsageError(`${COMMAND}: stdin has more than one line`);
  if (line === "") throw new UsageError(`${COMMAND}: stdin is empty: no password`);
  return line;
}

async function prompted(
  name: string,
  exists: boolean,
  prompt: (message: string) => Promise<string | null>,
): Promise<string> {
  const first = await prompt(`${exists ? "New password" : "Password"} for ${name}: `);
  if (first === null) {
    throw new UsageError(`${COMMAND}: stdin is not a terminal: use --password-stdin`);
  }
  usage(() => checkPassword(first));
  const again = await prompt("Again: ");
  if (again !== first) throw new UsageError(`${COMMAND}: the passwords differ; nothing changed`);
  return first;
}

async function readAllStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

/** Reads a line from the terminal with echo off; null when stdin is not a terminal. */
async function promptHidden(message: string): Promise<string | null> {
  if (!Deno.stdin.isTerminal()) return null;
  const encoder = new TextEncoder();
  Deno.stderr.writeSync(encoder.encode(message));
  const bytes: number[] = [];
  const buffer = new Uint8Array(256);
  Deno.stdin.setRaw(true);
  try {
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (byte === 13 || byte === 10) return new TextDecoder().decode(new Uint8Array(bytes));
        if (byte === 3 || (byte === 4 && bytes.length === 0)) {
          throw new UsageError(`${COMMAND}: cancelled; nothing changed`);
        }
        if (byte === 127 || byte === 8) {
          // Backspace: drop one UTF-8 character (its continuation bytes, then its lead byte).
          while (bytes.length > 0 && (bytes[bytes.length - 1] & 0xc0) === 0x80) bytes.pop();
          bytes.pop();
        } else if (byte >= 32) {
          bytes.push(byte);
        }
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } finally {
    Deno.stdin.setRaw(false);
    Deno.stderr.writeSync(encoder.encode("\n"));
  }
}
