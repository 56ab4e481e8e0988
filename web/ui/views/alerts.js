/**
 * Alerts and events: the alerts active now (from the live snapshot) and
 * the event log (GET /events) filtered by kind, device and time, newest
 * first, a page at a time.
 *
 * @module
 */
import { html, useEffect, useMemo, useState } from "../lib/html.js";
import { useLive } from "../lib/live.js";
import { ago, when } from "../lib/format.js";
import { deviceHref } from "../lib/router.js";
import { EventList, usePagedEvents } from "../components/event_list.js";

const KINDS = [["", "All"], ["policy", "Policy"], ["alert", "Alert"], ["shaper", "Shaper"], [
  "admin",
  "Admin",
]];
const HOUR = 3_600_000;
const SPANS = [["1h", "Last hour", HOUR], ["24h", "Last 24 h", 24 * HOUR], [
  "7d",
  "Last 7 d",
  7 * 24 * HOUR,
]];

/** The alerts and events view. */
export function Alerts() {
  const snap = useLive();
  const [kind, setKind] = useState("");
  const [deviceText, setDeviceText] = useState("");
  const [span, setSpan] = useState("24h");
  // The range ends when it is chosen (or on "Refresh"), not on every render, and
  // at the engine's time (the snapshot's): a demo's clock runs apart from ours.
  const [rangeEnd, setRangeEnd] = useState(null);
  const clock = () => snap?.time ?? Date.now();
  useEffect(() => {
    if (rangeEnd !== null) return;
    if (snap) return setRangeEnd(snap.time);
    const t = setTimeout(() => setRangeEnd(Date.now()), 2000); // no stream: our clock
    return () => clearTimeout(t);
  }, [rangeEnd, snap !== null]);
  const device = useDebounced(deviceText.trim(), 300);

  const devices = snap?.devices ?? [];
  const names = useMemo(() => new Map(devices.map((d) => [d.id, d.name])), [devices]);
  const deviceId = resolveDevice(device, devices);
  const ms = SPANS.find((s) => s[0] === span)[2];
  const log = usePagedEvents(deviceId === null || rangeEnd === null ? null : "/events", {
    kind,
    device: deviceId,
    from: rangeEnd === null ? "" : rangeEnd - ms,
    limit: 50,
  });

  const alerts = snap ? [...snap.alerts].sort((a, b) => b.since - a.since) : [];
  return html`
    <section class="view alerts-view" aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title">Alerts and events</h1>
      </div>
      <div class="card">
        <h2>Active alerts ${alerts.length
          ? html`<span class="count">${alerts.length}</span>`
          : null}</h2>
        ${alerts.length === 0
          ? html`<p class="muted">${snap ? "None right now." : "waiting for data…"}</p>`
          : html`
            <ul class="alerts" aria-label="Active alerts">
              ${alerts.map((a) =>
                html`
                  <li key=${a.key} class=${`alert ${a.kind}`}>
                    <span><span class="event-kind alert">${kindText(a.kind)}</span>${" "}${a
                      .message}</span>
                    <span class="muted small" title=${when(a.since)}>
                      since ${ago(a.since, snap.time)}${a.deviceId
                        ? html`${" · "}<a href=${deviceHref(a.deviceId)}>${
                          names.get(a.deviceId) ?? a.deviceId
                        }</a>`
                        : null}
                    </span>
                  </li>
                `
              )}
            </ul>
          `}
      </div>
      <div class="card events-card">
        <h2>Events</h2>
        <form class="event-filters" aria-label="Event filters" onSubmit=${(e) =>
          e.preventDefault()}>
          <label>Kind
            <select value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
              ${KINDS.map(([v, t]) => html`<option key=${v} value=${v}>${t}</option>`)}
            </select>
          </label>
          <label>Device
            <input type="search" list="event-devices" value=${deviceText}
              placeholder="name or id" onInput=${(e) => setDeviceText(e.currentTarget.value)} />
          </label>
          <datalist id="event-devices">
            ${devices.slice(0, 500).map((d) => html`<option key=${d.id} value=${d.name} />`)}
          </datalist>
          <label>Time
            <select value=${span} onChange=${(e) => {
              setSpan(e.currentTarget.value);
              setRangeEnd(clock());
            }}>
              ${SPANS.map(([v, t]) => html`<option key=${v} value=${v}>${t}</option>`)}
            </select>
          </label>
          <button type="button" onClick=${() => setRangeEnd(clock())}>Refresh</button>
        </form>
        ${deviceId === null
          ? html`
            <p class="muted"
              role="status">No known device matches “${device}”: pick a name from the list, or type an id (mac:… or ip:…), a MAC or an address.</p>
          `
          : null}
        ${device && deviceId && deviceId !== device
          ? html`<p class="muted small">Showing events of ${
            names.get(deviceId) ?? deviceId
          } (${deviceId}).</p>`
          : null}
        ${rangeEnd === null ? html`<p class="muted">Loading…</p>` : html`
          <${EventList} log=${log} label="Events" names=${names} now=${snap?.time}
            empty="No events match these filters." />
        `}
      </div>
    </section>
  `;
}

/** `value`, once it has stayed the same for `ms`. */
function useDebounced(value, ms) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * The device id the filter text means: an id as typed, a device whose name,
 * MAC or address is the text (any case), or the only device whose name
 * contains it; a bare MAC or IP address as its id (an offline device the
 * snapshot does not hold); else null (the API takes ids only).
 */
function resolveDevice(text, devices) {
  if (!text) return "";
  if (/^(mac|ip):/i.test(text)) return text;
  const q = text.toLowerCase();
  const exact = devices.find((d) =>
    d.name.toLowerCase() === q || d.mac?.toLowerCase() === q || d.addresses.includes(text)
  );
  if (exact) return exact.id;
  const some = devices.filter((d) => d.name.toLowerCase().includes(q));
  if (some.length === 1) return some[0].id;
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(text)) return `mac:${q}`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(text)) {
    return `ip:${q}`;
  }
  return null;
}

function kindText(kind) {
  return String(kind).replaceAll("_", " ").replaceAll("-", " ");
}
