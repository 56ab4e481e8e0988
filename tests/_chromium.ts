// Chromium flags for these machines' closed network: without them Chromium
// tries Google's services at start (background fetches, component updates,
// sync) and waits on refused connections. Shared by the browser tests and
// the web benchmark.

/** No background fetches, updates, sync or QUIC; no first-run work. */
export const QUIET_CHROMIUM: readonly string[] = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
