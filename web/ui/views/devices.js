/**
 * Devices: every device in the live snapshot in a sortable, searchable
 * table with its rates, today's usage, priority and state, and inline
 * actions for admins. Rows are windowed (lib/windowing.js) so 1,000
 * devices update at 1 Hz without touching 1,000 rows.
 *
 * @module
 */
import { html, useMemo, useRef, useState } from "../lib/html.js";
import { useLive } from "../lib/live.js";
import { useWindow } from "../lib/windowing.js";
import { deviceAction } from "../lib/api.js";
import { bytes, count, rate } from "../lib/format.js";
import { deviceHref } from "../lib/router.js";
import { ActionDialog } from "../components/action_dialog.js";
import { COLUMNS, filterRows, keepOrder, sortRows } from "../lib/device_rows.js";

const ROW = 44;

/** The devices view; `user` decides whether the action buttons show. */
export function Devices({ user }) {
  const snap = useLive();
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState({ key: "name", dir: 1 });
  const [dialog, setDialog] = useState(null); // { device, mode }
  const [pending, setPending] = useState({});
  const [message, setMessage] = useState(null); // { kind: "error" | "ok", text }
  const scroller = useRef(null);
  const admin = user?.role === "admin";

  const all = snap?.devices ?? [];
  const sorted = useMemo(() => sortRows(filterRows(all, query), sort), [all, query, sort]);
  // While the pointer or focus is in the table, rows keep their places (lib/device_rows.js).
  const hold = useRef({ pointer: false, focus: false, view: "", ids: [] });
  const view = `${query}\n${sort.key}\n${sort.dir}`;
  const held = hold.current.pointer || hold.current.focus;
  const rows = held && hold.current.view === view ? keepOrder(hold.current.ids, sorted) : sorted;
  hold.current.view = view;
  hold.current.ids = rows.map((d) => d.id);
  const holding = (key, on) => () => hold.current[key] = on;
  const win = useWindow(scroller, rows.length, ROW);
  // Rows are keyed by position, not device: when rates re-sort them each second,
  // each row's text changes in place instead of DOM nodes moving.

  const act = async (device, action, options = {}) => {
    setPending((p) => ({ ...p, [device.id]: true }));
    try {
      await deviceAction(device.id, action, options);
      setMessage({ kind: "ok", text: `${labelOf(action)}: ${device.name}` });
    } catch (err) {
      setMessage({ kind: "error", text: `${labelOf(action)} ${device.name}: ${err.message}` });
      if (dialog) throw err; // the dialog shows it too and stays open
    } finally {
      setPending((p) => ({ ...p, [device.id]: false }));
    }
  };

  const onSort = (key, num) =>
    setSort((s) => s.key === key ? { key, dir: -s.dir } : { key, dir: num ? -1 : 1 });

  return html`
    <section class="view devices" aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title">Devices</h1>
        <input type="search" class="search" placeholder="Search name, vendor, address…"
          aria-label="Search devices" value=${query}
          onInput=${(e) => setQuery(e.currentTarget.value)} />
        <span class="muted" aria-live="polite">
          ${snap ? `${count(rows.length)} of ${count(all.length)}` : "waiting for data…"}
        </span>
      </div>
      ${message
        ? html`
          <p class=${`banner ${message.kind}`} role=${message.kind === "error"
            ? "alert"
            : "status"}>
            <span>${message.text}</span>
            <button type="button" class="link" aria-label="Dismiss" onClick=${() =>
              setMessage(null)}>×</button>
          </p>
        `
        : null}
      <div class=${`vt ${admin ? "" : "no-actions"}`} ref=${scroller} role="table"
        onPointerEnter=${holding("pointer", true)} onPointerLeave=${holding("pointer", false)}
        onFocusIn=${holding("focus", true)} onFocusOut=${holding("focus", false)}
        aria-label="Devices" aria-rowcount=${rows.length + 1}>
        <div class="vt-head" role="row" aria-rowindex="1">
          ${COLUMNS.map((c) =>
            html`
              <div key=${c.key} role="columnheader" class=${`${c.cls ?? ""} ${c.num ? "num" : ""}`}
                aria-sort=${sort.key === c.key
                  ? (sort.dir > 0 ? "ascending" : "descending")
                  : "none"}>
                <button type="button" class="sort" onClick=${() => onSort(c.key, c.num)}>
                  ${c.label}${sort.key === c.key ? (sort.dir > 0 ? " ▲" : " ▼") : ""}
                </button>
              </div>
            `
          )}
          ${admin ? html`<div role="columnheader" class="c-actions">Actions</div>` : null}
        </div>
        <div class="vt-body" style=${{ height: `${win.total}px` }}>
          <div class="vt-rows" style=${{ transform: `translateY(${win.start * ROW}px)` }}>
            ${rows.slice(win.start, win.end).map((d, i) =>
              html`
                <${Row} key=${win.start + i} device=${d} index=${win.start + i} admin=${admin}
                  busy=${!!pending[d.id]} act=${act} openDialog=${setDialog} />
              `
            )}
          </div>
        </div>
        ${snap && rows.length === 0
          ? html`<p class="empty muted">${
            all.length ? "No device matches." : "No devices yet."
          }</p>`
          : null}
      </div>
      ${dialog
        ? html`
          <${ActionDialog} device=${dialog.device} mode=${dialog.mode}
            onClose=${() => setDialog(null)}
            onSubmit=${(body) => act(dialog.device, dialog.mode, body)} />
        `
        : null}
    </section>
  `;
}

function Row({ device: d, index, admin, busy, act, openDialog }) {
  const c = d.control;
  const state = c?.state ?? "free";
  return html`
    <div class=${`vt-row ${d.online ? "" : "offline"}`} role="row" aria-rowindex=${index + 2}>
      <div role="cell" class="c-name">
        <a href=${deviceHref(d.id)}>${d.name}</a>
        <span class="sub">${d.online ? d.topApp ?? "" : "offline"}</span>
      </div>
      <div role="cell" class="c-vendor">${d.vendor ?? ""}</div>
      <div role="cell" class="c-addr" title=${d.addresses.join("\n")}>
        ${d.addresses[0] ?? d.mac ?? ""}${d.addresses.length > 1
          ? html`
            <span class="sub-inline">+${d.addresses.length - 1}</span>
          `
          : null}
      </div>
      <div role="cell" class="num">${rate(d.down)}</div>
      <div role="cell" class="num c-up">${rate(d.up)}</div>
      <div role="cell" class="num c-today">${bytes(d.today)}</div>
      <div role="cell" class="c-state" title=${c?.reason ?? ""}>
        <span class=${`badge ${state}`}>${stateText(c)}</span>
        <span class="sub">${c ? `${c.priority} · ${c.reason}` : ""}</span>
      </div>
      ${admin
        ? html`<div role="cell" class="c-actions">
          ${
          state === "limited"
            ? html`
              <button type="button" disabled=${busy} aria-label=${`Unthrottle ${d.name}`}
                onClick=${() => act(d, "unlimit")}>Unthrottle</button>
            `
            : html`
              <button type="button" disabled=${busy || state === "blocked"}
                aria-label=${`Throttle ${d.name}`}
                onClick=${() => openDialog({ device: d, mode: "limit" })}>Throttle…</button>
            `
        }
          ${
          state === "blocked"
            ? html`
              <button type="button" disabled=${busy} aria-label=${`Unblock ${d.name}`}
                onClick=${() => act(d, "unblock")}>Unblock</button>
            `
            : html`
              <button type="button" class="danger" disabled=${busy}
                aria-label=${`Block ${d.name}`} onClick=${() => act(d, "block")}>Block</button>
              <button type="button" disabled=${busy} aria-label=${`Pause ${d.name}`}
                onClick=${() => openDialog({ device: d, mode: "pause" })}>Pause…</button>
            `
        }
        </div>`
        : null}
    </div>
  `;
}

function stateText(c) {
  if (!c) return "no policy";
  if (c.state !== "limited") return c.state;
  const parts = [];
  if (c.limitDown != null) parts.push(`↓${rate(c.limitDown)}`);
  if (c.limitUp != null) parts.push(`↑${rate(c.limitUp)}`);
  return `limited ${parts.join(" ")}`.trim();
}

function labelOf(action) {
  return {
    limit: "Throttled",
    unlimit: "Unthrottled",
    block: "Blocked",
    unblock: "Unblocked",
    pause: "Paused",
  }[action] ?? action;
}
