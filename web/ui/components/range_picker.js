/**
 * The reports' range: a calendar day, week or month around a date, or a
 * custom span of whole days, with steps back and forward. Dates are the
 * browser's local days; the server places day, week and month edges in
 * its own time zone around the `at` it is given.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { useFieldId } from "./field.js";

const PERIODS = [["day", "Day"], ["week", "Week"], ["month", "Month"], ["range", "Custom"]];

/** "YYYY-MM-DD" of a Date, in local time. */
export function dateText(date) {
  const p = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

/** A local date's midnight (plus `days`), epoch ms; NaN for bad text. */
export function dayStart(text, days = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? "");
  if (!m) return NaN;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime();
}

/** Today's range: the day view of today. */
export function initialRange(now = new Date()) {
  const today = dateText(now);
  const weekAgo = new Date(now);
  weekAgo.setDate(weekAgo.getDate() - 6);
  return { period: "day", date: today, from: dateText(weekAgo), to: today };
}

/**
 * The query string for a range, or null when its dates are not valid:
 * "period=week&at=…" (noon of the date, safe from DST edges) or
 * "period=range&from=…&to=…" (to is the end of the last day).
 *
 * @example
 * ```js
 * rangeQuery({ period: "day", date: "2025-03-01" }); // "period=day&at=1740826800000" (UTC+1)
 * ```
 */
export function rangeQuery(r) {
  if (r.period === "range") {
    const from = dayStart(r.from), to = dayStart(r.to, 1);
    if (!(to > from)) return null;
    return `period=range&from=${from}&to=${to}`;
  }
  const at = dayStart(r.date);
  if (Number.isNaN(at)) return null;
  return `period=${r.period}&at=${at + 12 * 3_600_000}`;
}

function step(r, dir) {
  const shift = (text, n, unit) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return text;
    const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (unit === "month") d.setMonth(d.getMonth() + n);
    else d.setDate(d.getDate() + n);
    return dateText(d);
  };
  if (r.period === "range") {
    const span = Math.round((dayStart(r.to) - dayStart(r.from)) / 86_400_000) + 1;
    if (!(span > 0)) return r;
    return { ...r, from: shift(r.from, dir * span, "day"), to: shift(r.to, dir * span, "day") };
  }
  const n = r.period === "week" ? 7 : 1;
  return { ...r, date: shift(r.date, dir * n, r.period === "month" ? "month" : "day") };
}

/** The picker: `value` as initialRange() makes it; `onChange(next)`. */
export function RangePicker({ value, onChange }) {
  const date = useFieldId("date");
  const from = useFieldId("from");
  const to = useFieldId("to");
  const set = (patch) => onChange({ ...value, ...patch });
  const unit = PERIODS.find(([p]) => p === value.period)?.[1].toLowerCase();
  return html`
    <div class="range-picker">
      <div class="segmented" role="group" aria-label="Period">
        ${PERIODS.map(([p, label]) =>
          html`
            <button key=${p} type="button" aria-pressed=${value.period === p ? "true" : "false"}
              onClick=${() => set({ period: p })}>${label}</button>
          `
        )}
      </div>
      <div class="range-dates">
        <button type="button" class="icon" aria-label=${`Previous ${
          unit === "custom" ? "span" : unit
        }`}
          onClick=${() => onChange(step(value, -1))}>‹</button>
        ${value.period === "range"
          ? html`
            <label class="inline" for=${from}>From</label>
            <input id=${from} type="date" value=${value.from} max=${value.to}
              onChange=${(e) => set({ from: e.currentTarget.value })} />
            <label class="inline" for=${to}>To</label>
            <input id=${to} type="date" value=${value.to} min=${value.from}
              onChange=${(e) => set({ to: e.currentTarget.value })} />
          `
          : html`
            <label class="inline" for=${date}>Date</label>
            <input id=${date} type="date" value=${value.date}
              onChange=${(e) => set({ date: e.currentTarget.value })} />
          `}
        <button type="button" class="icon" aria-label=${`Next ${unit === "custom" ? "span" : unit}`}
          onClick=${() => onChange(step(value, 1))}>›</button>
      </div>
    </div>
  `;
}
