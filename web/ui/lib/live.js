/**
 * The one EventSource on /api/v1/live, shared by every view: it keeps the
 * latest snapshot and five minutes of link rates for the chart, so
 * switching views neither reconnects nor loses the chart's history.
 * EventSource resumes by itself (Last-Event-ID); when the server refuses
 * the stream outright it asks /api/v1/session whether the session is gone.
 *
 * @module
 */
import { api, ApiError } from "./api.js";
import { useEffect, useLayoutEffect, useState } from "./html.js";

/** Seconds of link history the chart shows. */
export const WINDOW_SECONDS = 300;

let source = null;
let retryTimer = 0;
let latest = null;
let status = "off"; // "off" | "connecting" | "live" | "reconnecting"
const history = { t: [], down: [], up: [] };
const snapshotListeners = new Set();
const statusListeners = new Set();

function setStatus(s) {
  if (s === status) return;
  status = s;
  for (const fn of statusListeners) fn(s);
}

function record(snap) {
  const t = snap.time / 1000;
  const last = history.t.length ? history.t[history.t.length - 1] : -Infinity;
  if (t > last) {
    history.t.push(t);
    history.down.push(snap.link.down);
    history.up.push(snap.link.up);
  }
  let drop = 0;
  while (drop < history.t.length && history.t[drop] <= t - WINDOW_SECONDS) drop++;
  if (drop > 0) { for (const k of ["t", "down", "up"]) history[k].splice(0, drop); }
}

/** A user-timing mark for benchmarks, keeping only the latest (a dashboard stays open for days). */
function mark(name) {
  performance.clearMarks(name);
  performance.mark(name);
}

function onSnapshot(event) {
  mark("sluice:snapshot"); // to "sluice:rendered" is one update, parse included
  let snap;
  try {
    snap = JSON.parse(event.data);
  } catch {
    return; // a malformed event: wait for the next second
  }
  latest = snap;
  record(snap);
  setStatus("live");
  for (const fn of snapshotListeners) fn(snap);
}

async function onError() {
  if (!source) return;
  if (source.readyState !== EventSource.CLOSED) {
    setStatus("reconnecting"); // the browser retries by itself
    return;
  }
  // Refused (not a 200 event stream): find out whether we are still signed in.
  source = null;
  setStatus("reconnecting");
  try {
    await api("GET", "/session"); // a 401 here signs the app out (api.js)
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
  }
  if (status !== "off") retryTimer = setTimeout(connect, 5000);
}

function connect() {
  retryTimer = 0;
  if (source) return;
  source = new EventSource("/api/v1/live");
  source.addEventListener("snapshot", onSnapshot);
  source.addEventListener("error", onError);
}

/** Opens the stream (after sign-in). */
export function startLive() {
  if (status === "off") setStatus("connecting");
  connect();
}

/** Closes the stream and forgets what it held (after sign-out). */
export function stopLive() {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
  latest = null;
  for (const k of ["t", "down", "up"]) history[k].length = 0;
  setStatus("off");
}

/** The link rates over the last five minutes: { t (epoch s), down, up } (bytes/s). */
export function linkHistory() {
  return history;
}

/** Subscribes to snapshots without re-rendering (the chart uses it). Returns unsubscribe. */
export function subscribe(fn) {
  snapshotListeners.add(fn);
  return () => snapshotListeners.delete(fn);
}

/**
 * The latest snapshot (null until the first), re-rendering each second.
 * Marks "sluice:rendered" once the view's DOM holds it (before layout and
 * paint), so a benchmark can measure an update without hooks of its own.
 */
export function useLive() {
  const [snap, setSnap] = useState(latest);
  useEffect(() => {
    setSnap(latest);
    return subscribe(setSnap);
  }, []);
  useLayoutEffect(() => {
    if (snap) mark("sluice:rendered");
  }, [snap]);
  return snap;
}

/** The stream's state for the header: "off", "connecting", "live", "reconnecting". */
export function useLiveStatus() {
  const [s, setS] = useState(status);
  useEffect(() => {
    setS(status);
    statusListeners.add(setS);
    return () => statusListeners.delete(setS);
  }, []);
  return s;
}
