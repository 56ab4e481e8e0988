// Reading a file the user named (rules, policy): a missing file, a
// directory or an unreadable one is one line that `fail` turns into the
// command's UsageError. Permission refusals are not the user's file's fault
// and pass through.

/** The file's text; `fail(problem)` makes the error for a problem with it. */
export async function readUserFile(
  path: string,
  fail: (problem: string) => Error,
): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) throw err;
    if (err instanceof Deno.errors.NotFound) throw fail("no such file");
    if (err instanceof Deno.errors.IsADirectory) throw fail("not a file");
    throw fail((err as Error).message.replace(/\s*\n\s*/g, " "));
  }
}
