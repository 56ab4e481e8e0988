// The web server as `sluice run` and `sluice demo` start it: --listen read
// strictly, HTTPS with a certificate (Secure cookie, HSTS), the first
// admin's password printed once, and a busy port refused in one line.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { parseArgs } from "../../cli/args.ts";
import { runSimulation } from "../../cli/sim_run.ts";
import { simulatedWeb } from "../../cli/sim_web.ts";
import { UsageError } from "../../cli/usage_error.ts";
import {
  listenOption,
  startWeb,
  WEB_FLAGS,
  WEB_OPTIONS,
  webSettings,
} from "../../cli/web_server.ts";
import { parseScenario } from "../../sim/scenario.ts";
import { FLAT } from "../sim/_flat.ts";

const TLS = new URL("../web/tls/", import.meta.url).pathname;

function settings(argv: string[]) {
  return webSettings(
    parseArgs(argv, { command: "t", options: WEB_OPTIONS, flags: WEB_FLAGS }),
    "sluice demo",
  );
}

Deno.test("listenOption() reads HOST:PORT and [IPv6]:PORT, and names anything else", () => {
  assertEquals(listenOption("127.0.0.1:8080", "c"), { hostname: "127.0.0.1", port: 8080 });
  assertEquals(listenOption("[::1]:0", "c"), { hostname: "::1", port: 0 });
  assertEquals(listenOption("gw.lan:443", "c"), { hostname: "gw.lan", port: 443 });
  for (const bad of ["8080", "127.0.0.1", "127.0.0.1:65536", ":80", "::1:80", "a b:1"]) {
    const e = (() => {
      try {
        listenOption(bad, "sluice run");
      } catch (err) {
        return err as Error;
      }
    })();
    assert(e instanceof UsageError, bad);
    assertStringIncludes(e.message, `sluice run: --listen must be HOST:PORT`);
  }
});

Deno.test("webSettings() reads the defaults, --no-web and a certificate pair", async () => {
  assertEquals(await settings([]), { hostname: "127.0.0.1", port: 8080 });
  assertEquals(await settings(["--no-web"]), null);
  const tls = await settings([
    "--tls-cert",
    `${TLS}test_cert.pem`,
    "--tls-key",
    `${TLS}test_key.pem`,
  ]);
  assertStringIncludes(tls!.cert!, "BEGIN CERTIFICATE");
  const e = await assertRejects(
    () => settings(["--tls-cert", `${TLS}test_key.pem`, "--tls-key", `${TLS}test_key.pem`]),
    UsageError,
  );
  assertStringIncludes((e as Error).message, "test_key.pem: not a PEM certificate");
});

Deno.test("startWeb() serves HTTPS with a Secure session cookie and HSTS, prints the first admin's password once, and refuses a busy port", async () => {
  const scenario = parseScenario(FLAT);
  const kv = await Deno.openKv(":memory:");
  const client = Deno.createHttpClient({
    caCerts: [await Deno.readTextFile(`${TLS}test_ca.pem`)],
  });
  try {
    const web = simulatedWeb(kv, scenario, { now: () => scenario.start * 1000 });
    await runSimulation({ scenario, until: 5, kv, web });
    const printed: string[] = [];
    const tls = await settings([
      "--listen",
      "127.0.0.1:0",
      "--tls-cert",
      `${TLS}test_cert.pem`,
      "--tls-key",
      `${TLS}test_key.pem`,
    ]);
    const server = await startWeb(tls!, web.context, (l) => printed.push(l), "sluice demo");
    try {
      assert(server.url.startsWith("https://127.0.0.1:"), server.url);
      const password = /shown this once: (\S+)/.exec(printed.join("\n"))?.[1];
      assert(password, printed.join("\n"));
      const res = await fetch(`${server.url}api/v1/session`, {
        client,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "admin", password }),
      });
      assertEquals(res.status, 200);
      await res.body?.cancel();
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sluice_session="))!;
      assertStringIncludes(cookie, "Secure");
      assertStringIncludes(cookie, "HttpOnly");
      assertStringIncludes(res.headers.get("strict-transport-security") ?? "", "max-age=");
      // The same port again: one line, naming what to do.
      const port = Number(new URL(server.url).port);
      const busy = await settings(["--listen", `127.0.0.1:${port}`]);
      const e = await assertRejects(() => startWeb(busy!, web.context, () => {}, "sluice demo"));
      assertStringIncludes((e as Error).message, `cannot listen on 127.0.0.1:${port}`);
    } finally {
      await server.close();
    }
    // A second start over the same store: the admin exists, nothing is printed.
    const again: string[] = [];
    const plain = await settings(["--listen", "127.0.0.1:0"]);
    const second = await startWeb(plain!, web.context, (l) => again.push(l), "sluice demo");
    await second.close();
    assertEquals(again, []);
  } finally {
    client.close();
    kv.close();
  }
});
