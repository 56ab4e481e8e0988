/**
 * A capture could not be opened or read: a missing or malformed file, an
 * interface that does not exist, a bad filter. The message is one line that
 * names what was wrong, fit to show the user as it is.
 */
export class CaptureError extends Error {
  override name = "CaptureError";
}
