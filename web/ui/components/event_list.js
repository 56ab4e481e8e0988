/**
 * The event log's pieces, shared by the alerts, device and shaper views: a
 * hook that pages through any EventPage route by cursor ("Load more"), and
 * the list that shows the events with their kind, reason and, for shaper
 * events, the command lines.
 *
 * @module
 */
import { html, useCallback, useEffect, useRef, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { ago, when } from "../lib/format.js";
import { deviceHref } from "../lib/router.js";

/**
 * Pages of `path` (a route answering `{ events, cursor }`) with `query`
 * (an object of search parameters; empty values left out). A new path or
 * query starts again from the newest page; answers to a superseded request
 * are dropped. A null `path` loads nothing (a filter that matches nothing).
 *
 * @example
 * ```js
 * const log = usePagedEvents("/events", { kind: "alert", limit: 50 });
 * // log.events, log.more() while log.cursor, log.loading, log.error, log.reload()
 * ```
 */
export function usePagedEvents(path, query) {
  const key = `${path}?${search(query)}`;
  const [state, setState] = useState({ key, events: [], cursor: null, loading: true, error: null });
  const current = useRef(key);
  current.current = key;

  const load = useCallback(async (cursor, append) => {
    setState((s) => ({ ...s, key, loading: true, error: null }));
    const q = search({ ...query, cursor: cursor ?? "" });
    try {
      const page = await api("GET", `${path}${q ? `?${q}` : ""}`);
      if (current.current !== key) return;
      setState((s) => ({
        key,
        events: append ? [...s.events, ...page.events] : page.events,
        cursor: page.cursor ?? null,
        loading: false,
        error: null,
      }));
    } catch (err) {
      if (current.current !== key) return;
      setState((s) => ({ ...s, loading: false, error: err.message }));
    }
  }, [key]);

  useEffect(() => {
    setState({ key, events: [], cursor: null, loading: path !== null, error: null });
    if (path !== null) load(null, false);
  }, [key]);

  const fresh = state.key === key;
  return {
    events: fresh ? state.events : [],
    cursor: fresh ? state.cursor : null,
    loading: path !== null && (state.loading || !fresh),
    error: fresh ? state.error : null,
    more: () => state.cursor && load(state.cursor, true),
    reload: () => path !== null && load(null, false),
  };
}

/** URL search text of the non-empty values of `query`. */
function search(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  }
  return p.toString();
}

/**
 * The events of `log` (from usePagedEvents) as a list, with "Load more"
 * while there is a cursor. `label` names the list for screen readers;
 * `names` maps device ids to names (ids show otherwise); `commands` shows
 * `data.commands` of each event in a <pre>; `empty` is the text for none;
 * `showDevice` false leaves out the device link (on that device's own page);
 * `now` (epoch ms) is what "5 min ago" counts from: pass the live snapshot's
 * time, since a demo's clock runs apart from the browser's.
 */
export function EventList(
  { log, label, names, commands = false, empty = "No events.", showDevice = true, now },
) {
  now ??= Date.now();
  return html`
    <div class="event-list">
      ${log.error
        ? html`<p class="error" role="alert">Could not load: ${log.error}${" "}
          <button type="button" onClick=${log.reload}>Retry</button></p>`
        : null}
      ${log.events.length === 0 && !log.loading && !log.error
        ? html`<p class="muted">${empty}</p>`
        : null}
      ${log.events.length
        ? html`
          <ol class="event-items" aria-label=${label}>
            ${log.events.map((e) =>
              html`
                <${EventItem} key=${e.id} event=${e} now=${now} names=${names}
                  commands=${commands} showDevice=${showDevice} />
              `
            )}
          </ol>
        `
        : null}
      <div class="more-row">
        ${log.loading ? html`<span class="muted" role="status">Loading…</span>` : null}
        ${log.cursor && !log.loading
          ? html`<button type="button" onClick=${log.more}>Load more</button>`
          : null}
      </div>
    </div>
  `;
}

function EventItem({ event: e, now, names, commands, showDevice }) {
  const lines = commands ? commandLines(e.data) : [];
  const by = e.data && typeof e.data === "object" && typeof e.data.by === "string"
    ? e.data.by
    : null;
  const failed = e.kind === "shaper" && e.data?.ok === false;
  return html`
    <li class=${`event-item ${e.kind}${failed ? " failed" : ""}`}>
      <div class="event-head">
        <span class=${`event-kind ${e.kind}`}>${e.kind}</span>
        <time datetime=${new Date(e.time).toISOString()} title=${when(e.time)}>
          ${ago(e.time, now)}
        </time>
        ${e.device && showDevice
          ? html`<a href=${deviceHref(e.device)} class="event-device">${
            names?.get(e.device) ?? e.device
          }</a>`
          : null}
        ${by ? html`<span class="muted small">by ${by}</span>` : null}
        ${failed ? html`<span class="badge blocked">failed</span>` : null}
      </div>
      <p class="event-message">${e.message}</p>
      ${e.reason ? html`<p class="event-reason small">Why: ${e.reason}</p>` : null}
      ${lines.length ? html`<pre class="event-commands">${lines.join("\n")}</pre>` : null}
    </li>
  `;
}

/** `data.commands` as text lines: strings as they are, argv arrays joined. */
function commandLines(data) {
  const list = data && typeof data === "object" ? data.commands : null;
  if (!Array.isArray(list)) return [];
  return list.map((c) =>
    typeof c === "string" ? c : Array.isArray(c?.argv) ? c.argv.join(" ") : JSON.stringify(c)
  );
}
