// `sluice passwd` in-process, with stdin and the prompt injected: creating
// users, changing passwords (which ends sessions), roles, the default
// 600,000 iterations, and bad input refused in one line with nothing stored.
import { assertEquals, assertMatch, assertRejects, assertStringIncludes } from "@std/assert";
import { PASSWD_HELP, passwdCommand, type PasswdIo } from "../../cli/passwd.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { SessionStore } from "../../web/auth/session_store.ts";
import { TokenStore } from "../../web/auth/token_store.ts";
import { UserStore, type WebUser } from "../../web/auth/user_store.ts";

const T0 = 1_700_000_000_000;

interface Run {
  code: number;
  printed: string[];
}

async function withData(fn: (data: string) => Promise<void>): Promise<void> {
  const data = await Deno.makeTempDir({ prefix: "sluice-passwd-" });
  try {
    await fn(data);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
}

async function passwd(argv: string[], io: PasswdIo = {}): Promise<Run> {
  const printed: string[] = [];
  const code = await passwdCommand(argv, {
    iterations: 1000,
    now: () => T0,
    print: (line) => printed.push(line),
    ...io,
  });
  return { code, printed };
}

const stdin = (text: string): PasswdIo => ({ readStdin: () => Promise.resolve(text) });

async function withStore<T>(data: string, fn: (kv: Deno.Kv) => Promise<T>): Promise<T> {
  const kv = await Deno.openKv(`${data}/sluice.kv`);
  try {
    return await fn(kv);
  } finally {
    kv.close();
  }
}

function verify(data: string, name: string, password: string): Promise<WebUser | null> {
  return withStore(data, (kv) => new UserStore(kv, { iterations: 1000 }).verify(name, password));
}

Deno.test("passwdCommand() creates the first user as admin from --password-stdin", async () => {
  await withData(async (data) => {
    const run = await passwd(["--data", data, "--password-stdin"], stdin("first-password\n"));
    assertEquals(run, { code: 0, printed: [`sluice passwd: created admin "admin"`] });
    assertEquals(await verify(data, "admin", "first-password"), {
      name: "admin",
      role: "admin",
      created: T0,
    });
  });
});

Deno.test("passwdCommand() stores a 600,000-iteration PBKDF2 hash by default", async () => {
  await withData(async (data) => {
    await passwdCommand(["alice", "--data", data, "--password-stdin"], {
      ...stdin("alice-password"),
      print: () => {},
    });
    const stored = await withStore(data, (kv) => kv.get<{ hash: string }>(["web-users", "alice"]));
    assertMatch(stored.value!.hash, /^pbkdf2-sha256\$600000\$/);
  });
});

Deno.test("passwdCommand() creates later users as viewers unless --role says otherwise", async () => {
  await withData(async (data) => {
    await passwd(["--data", data, "--password-stdin"], stdin("first-password\n"));
    const bob = await passwd(
      ["bob", "--data", data, "--password-stdin"],
      stdin("bob-password\r\n"),
    );
    assertEquals(bob.printed, [`sluice passwd: created viewer "bob"`]);
    await passwd(
      ["carol", "--role", "admin", "--data", data, "--password-stdin"],
      stdin("carol-password"),
    );
    assertEquals((await verify(data, "bob", "bob-password"))?.role, "viewer");
    assertEquals((await verify(data, "carol", "carol-password"))?.role, "admin");
  });
});

Deno.test("passwdCommand() changes a password and ends the user's sessions", async () => {
  await withData(async (data) => {
    await passwd(["--data", data, "--password-stdin"], stdin("first-password\n"));
    const session = await withStore(data, async (kv) => {
      const sessions = new SessionStore(kv);
      await sessions.create({ name: "admin", role: "admin" }, Date.now());
      return await sessions.create({ name: "admin", role: "admin" }, Date.now());
    });
    const run = await passwd(
      ["admin", "--data", data, "--password-stdin"],
      stdin("second-password\n"),
    );
    assertEquals(run.printed, [
      `sluice passwd: set the password of admin "admin"; 2 sessions ended`,
    ]);
    assertEquals(await verify(data, "admin", "first-password"), null);
    assertEquals((await verify(data, "admin", "second-password"))?.name, "admin");
    assertEquals(
      await withStore(data, (kv) => new SessionStore(kv).get(session.token, Date.now())),
      null,
    );
  });
});

Deno.test("passwdCommand() demotes with --role viewer, revoking the user's tokens, but never the last admin", async () => {
  await withData(async (data) => {
    await passwd(["--data", data, "--password-stdin"], stdin("first-password\n"));
    const err = await assertRejects(
      () =>
        passwd(
          ["admin", "--role", "viewer", "--data", data, "--password-stdin"],
          stdin("other-password"),
        ),
      UsageError,
    );
    assertEquals(err.message, `sluice passwd: user "admin" is the last admin`);
    assertEquals((await verify(data, "admin", "first-password"))?.role, "admin");
    await passwd(
      ["root", "--role", "admin", "--data", data, "--password-stdin"],
      stdin("root-password"),
    );
    await withStore(
      data,
      (kv) => new TokenStore(kv).create({ name: "ci", user: "admin", role: "admin" }, T0),
    );
    const run = await passwd(
      ["admin", "--role", "viewer", "--data", data, "--password-stdin"],
      stdin("other-password"),
    );
    assertEquals(run.printed, [
      `sluice passwd: set the password of admin "admin"; now a viewer; 0 sessions ended; 1 API token revoked`,
    ]);
    assertEquals((await verify(data, "admin", "other-password"))?.role, "viewer");
    assertEquals(await withStore(data, (kv) => new TokenStore(kv).list()), []);
  });
});

Deno.test("passwdCommand() asks twice on a terminal and refuses passwords that differ", async () => {
  await withData(async (data) => {
    const asked: string[] = [];
    const answers = ["typed-password", "typed-password"];
    const prompt = (message: string) => {
      asked.push(message);
      return Promise.resolve(answers.shift() ?? null);
    };
    assertEquals((await passwd(["dave", "--data", data], { prompt })).code, 0);
    assertEquals(asked, ["Password for dave: ", "Again: "]);
    assertEquals((await verify(data, "dave", "typed-password"))?.name, "dave");
    answers.push("third-password", "third-passwort");
    await assertRejects(
      () => passwd(["dave", "--data", data], { prompt }),
      UsageError,
      "the passwords differ",
    );
    assertEquals(asked.slice(2), ["New password for dave: ", "Again: "]);
    assertEquals((await verify(data, "dave", "typed-password"))?.name, "dave");
  });
});

Deno.test("passwdCommand() refuses in one line without a terminal or --password-stdin", async () => {
  await withData(async (data) => {
    const prompt = () => Promise.resolve(null);
    const err = await assertRejects(() => passwd(["--data", data], { prompt }), UsageError);
    assertEquals(err.message, "sluice passwd: stdin is not a terminal: use --password-stdin");
  });
});

Deno.test("passwdCommand() refuses bad names, roles, passwords and stdin, storing nothing", async () => {
  await withData(async (data) => {
    const cases: [string[], string, string][] = [
      [["Bad Name"], "good-password", "user name must be 1 to 32 characters"],
      [["--role", "owner"], "good-password", `role must be "admin" or "viewer", got "owner"`],
      [[], "short\n", "password must be 10 to 1024 characters, got 5"],
      [[], "", "stdin is empty"],
      [[], "two-lines-here\nsecond-line\n", "stdin has more than one line"],
      [["a", "b"], "good-password", `unexpected argument "b"`],
      [["--bogus"], "good-password", "unknown option --bogus"],
    ];
    for (const [args, input, message] of cases) {
      const err = await assertRejects(
        () => passwd([...args, "--data", data, "--password-stdin"], stdin(input)),
        UsageError,
      );
      assertStringIncludes(err.message, message);
      assertMatch(err.message, /^sluice passwd: [^\n]+$/);
    }
    assertEquals(await withStore(data, (kv) => new UserStore(kv).list()), []);
  });
});

Deno.test("PASSWD_HELP documents the options", () => {
  for (const option of ["--role admin|viewer", "--password-stdin", "--data DIR", "Exit status"]) {
    assertStringIncludes(PASSWD_HELP, option);
  }
});
