/** The command line was wrong: the message names what, in one line. */
export class UsageError extends Error {
  override name = "UsageError";
}
