/**
 * Settings as the settings form edits them: GET /settings's policy parts
 * flattened to text fields, and back to the partial document PUT /settings
 * takes. Parts the form does not show (auto.window, alerts.cooldown's
 * siblings…) are carried over from what the server sent.
 *
 * @module
 */
import { figureText, figureValue, rateText } from "./field.js";

/** Alert kinds a webhook may be limited to. */
export const ALERT_KINDS = [
  "sustained_rate",
  "spike",
  "quota_warning",
  "quota_reached",
  "time_budget_used",
  "new_device",
  "device_offline",
  "device_back",
  "shaper_failed",
];

/** The form's draft of GET /settings. */
export function settingsToDraft(s) {
  const auto = s.auto ?? {};
  const alerts = s.alerts ?? {};
  const shares = s.shares ?? { high: 0.5, normal: 0.35, low: 0.15 };
  return {
    timeZone: s.timeZone ?? "UTC",
    down: rateText(s.link?.down),
    up: rateText(s.link?.up),
    high: figureText(shares.high),
    normal: figureText(shares.normal),
    low: figureText(shares.low),
    autoEnabled: auto.enabled !== false,
    lowAbove: rateText(auto.lowAbove),
    highBelow: rateText(auto.highBelow),
    sustainedOn: alerts.sustained !== null,
    sustainedRate: rateText(alerts.sustained?.rate),
    sustainedFor: figureText(alerts.sustained?.for ?? alerts.sustained?.seconds),
    spikeOn: alerts.spike !== null,
    spikeSigma: figureText(alerts.spike?.sigma),
    spikeMinRate: rateText(alerts.spike?.minRate),
    quotaWarnAt: figureText(alerts.quotaWarnAt),
    offlineAfter: figureText(alerts.offlineAfter),
    webhooks: (s.webhooks ?? []).map((w) => ({
      url: w.url ?? "",
      kinds: [...(w.kinds ?? [])],
      secret: w.secret ?? "",
    })),
  };
}

function number(text) {
  const t = String(text).trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t; // text: the server names the field
}

function put(obj, key, value) {
  if (value === undefined) delete obj[key];
  else obj[key] = value;
}

/**
 * The PUT /settings body for a draft; `original` is GET /settings's answer.
 *
 * @example
 * ```js
 * draftToSettings(settingsToDraft(s), s).link; // { down: "100Mbit", up: "20Mbit" }
 * ```
 */
export function draftToSettings(d, original) {
  const auto = { ...(original.auto ?? {}), enabled: d.autoEnabled };
  put(auto, "lowAbove", figureValue(d.lowAbove));
  put(auto, "highBelow", figureValue(d.highBelow));

  const alerts = { ...(original.alerts ?? {}) };
  if (!d.sustainedOn) alerts.sustained = null;
  else {
    const rate = figureValue(d.sustainedRate), time = figureValue(d.sustainedFor);
    put(
      alerts,
      "sustained",
      rate === undefined && time === undefined ? undefined : { rate, for: time },
    );
  }
  if (!d.spikeOn) alerts.spike = null;
  else {
    const spike = {};
    put(spike, "sigma", number(d.spikeSigma));
    put(spike, "minRate", figureValue(d.spikeMinRate));
    put(alerts, "spike", Object.keys(spike).length ? spike : undefined);
  }
  put(alerts, "quotaWarnAt", number(d.quotaWarnAt));
  put(alerts, "offlineAfter", figureValue(d.offlineAfter));

  return {
    timeZone: d.timeZone.trim(),
    link: { down: figureValue(d.down), up: figureValue(d.up) },
    shares: { high: number(d.high), normal: number(d.normal), low: number(d.low) },
    auto,
    alerts,
    webhooks: d.webhooks.map((w) => {
      const hook = { url: w.url.trim() };
      if (w.kinds.length) hook.kinds = ALERT_KINDS.filter((k) => w.kinds.includes(k));
      if (w.secret) hook.secret = w.secret;
      return hook;
    }),
  };
}

/** A retention in ms as words: 172800000 → "48 hours", 7776000000 → "90 days". */
export function durationText(ms) {
  if (ms == null || !Number.isFinite(ms)) return "–";
  const h = ms / 3_600_000;
  if (h < 72 || h % 24 !== 0) return `${+h.toFixed(1)} hours`;
  const days = h / 24;
  return days % 365 === 0 ? `${days / 365} year${days === 365 ? "" : "s"}` : `${days} days`;
}
