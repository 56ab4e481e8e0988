// Serves the web app for `sluice run` and `sluice demo`: parses --listen
// and the TLS options, makes the first admin (printing its password once),
// and runs Deno.serve until the run ends.
import { API_ROUTES } from "../web/api/mod.ts";
import { createApp } from "../web/app.ts";
import { createAuth } from "../web/auth/mod.ts";
import type { WebContext } from "../web/web_context.ts";
import type { ParsedArgs } from "./args.ts";
import { UsageError } from "./usage_error.ts";

/** Where the web UI listens unless told otherwise: this machine only. */
export const DEFAULT_LISTEN = "127.0.0.1:8080";

/** The web options' help lines, shared by `run` and `demo`. */
export const WEB_OPTIONS_HELP =
  `  --listen HOST:PORT  serve the web UI and API there (default ${DEFAULT_LISTEN};
                      0.0.0.0:8080 or the LAN address for other devices;
                      port 0 picks a free one)
  --tls-cert FILE     serve HTTPS with this PEM certificate (and --tls-key)
  --tls-key FILE      the certificate's PEM private key
  --no-web            no web UI or API`;

/** The option and flag names to give parseArgs. */
export const WEB_OPTIONS = ["listen", "tls-cert", "tls-key"];
export const WEB_FLAGS = ["no-web"];

/** The web options as read: null with --no-web. */
export interface WebSettings {
  hostname: string;
  port: number;
  cert?: string;
  key?: string;
}

/** A running server. */
export interface WebServer {
  /** "http://127.0.0.1:8080/" (the port actually bound). */
  url: string;
  close(): Promise<void>;
}

/** Reads --listen, --tls-cert, --tls-key and --no-web; one-line UsageErrors. */
export async function webSettings(args: ParsedArgs, command: string): Promise<WebSettings | null> {
  if (args.flags.has("no-web")) {
    for (const o of WEB_OPTIONS) {
      if (args.options.has(o)) {
        throw new UsageError(`${command}: --${o} goes with the web; drop --no-web`);
      }
    }
    return null;
  }
  const { hostname, port } = listenOption(args.options.get("listen") ?? DEFAULT_LISTEN, command);
  const certFile = args.options.get("tls-cert"), keyFile = args.options.get("tls-key");
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError(`${command}: --tls-cert and --tls-key go together`);
  }
  if (certFile === undefined) return { hostname, port };
  return {
    hostname,
    port,
    cert: await pem(certFile, "--tls-cert", "CERTIFICATE", command),
    key: await pem(keyFile!, "--tls-key", "PRIVATE KEY", command),
  };
}

/** "HOST:PORT" ("[::1]:8080" for IPv6) → its parts; a UsageError naming the problem. */
export function listenOption(text: string, command: string): { hostname: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new UsageError(
      `${command}: --listen must be HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), got "${text}"`,
    );
  }
  return { hostname: m[1] ?? m[2], port };
}

async function pem(path: string, option: string, kind: string, command: string): Promise<string> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(`${command}: ${option} ${path}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!text.includes(`-----BEGIN `) || !text.includes(kind)) {
    throw new UsageError(`${command}: ${option} ${path}: not a PEM ${kind.toLowerCase()}`);
  }
  return text;
}

/**
 * Starts serving `ctx`. Makes the first admin if there is none and prints
 * its password (once: only its hash is kept). Sessions expire by the wall
 * clock, whatever time the engine keeps.
 */
export async function startWeb(
  settings: WebSettings,
  ctx: WebContext,
  print: (line: string) => void,
  command: string,
): Promise<WebServer> {
  const tls = settings.cert !== undefined;
  const auth = createAuth({ kv: ctx.kv, now: Date.now, tls });
  const password = await auth.users.ensureAdmin(Date.now());
  const app = createApp({
    ctx,
    auth,
    registrars: API_ROUTES,
    log: (line) => print(`${command}: ${line}`),
  });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: settings.hostname,
      port: settings.port,
      ...(tls ? { cert: settings.cert, key: settings.key } : {}),
      onListen: () => {},
      onError: (err) => {
        print(`${command}: web: ${(err as Error).message.split("\n")[0]}`);
        return new Response("internal error", { status: 500 });
      },
    }, app.fetch);
  } catch (err) {
    const why = err instanceof Deno.errors.AddrInUse
      ? "the address is in use (another Sluice?); pick another with --listen"
      : (err as Error).message.split("\n")[0];
    throw new UsageError(
      `${command}: cannot listen on ${settings.hostname}:${settings.port}: ${why}`,
    );
  }
  const { hostname, port } = server.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `${tls ? "https" : "http"}://${host}:${port}/`;
  if (password) {
    print(`${command}: web user "admin" created; its password, shown this once: ${password}`);
    print(`${command}: change it with "sluice passwd admin"`);
  }
  return { url, close: () => server.shutdown() };
}
