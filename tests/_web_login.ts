// A running Sluice's web API from a test: the process started, its first
// admin's password and URL as `sluice demo` or `sluice run` print them, then
// a session cookie and CSRF token.
import { assertEquals } from "@std/assert";
import { type WatchedOutput, watchOutput } from "./_child_output.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/**
 * Starts `deno <args>` (say, `run -A main.ts demo … --listen 127.0.0.1:0`)
 * from the repository root, temporary files under `tmp`, its output watched.
 */
export function spawnDeno(
  args: string[],
  tmp: string,
): { child: Deno.ChildProcess; stdout: WatchedOutput; stderr: WatchedOutput } {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1", TMPDIR: tmp },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return { child, stdout: watchOutput(child.stdout), stderr: watchOutput(child.stderr) };
}

/** Waits for the printed admin password and web URL on `stderr`. */
export async function printedLogin(
  stderr: WatchedOutput,
): Promise<{ password: string; url: string }> {
  const password = (await stderr.line(/password, shown this once: (\S+)/)).match(/once: (\S+)/)![1];
  const url = (await stderr.line(/web UI at http:\/\/127\.0\.0\.1:\d+\//)).match(/http\S+/)![0];
  return { password, url };
}

/** Signs in as `name` (admin by default); the session cookie ("sluice_session=…") and CSRF token. */
export async function webSession(
  url: string,
  password: string,
  name = "admin",
): Promise<{ cookie: string; csrf: string }> {
  const login = await fetch(`${url}api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password }),
  });
  assertEquals(login.status, 200);
  const cookie = login.headers.getSetCookie()[0].split(";")[0];
  const { csrf } = await login.json();
  return { cookie, csrf };
}
