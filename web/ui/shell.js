/**
 * The frame around every view: header (live status, user, theme toggle,
 * sign-out) and navigation, a sidebar on wide screens and a scrolling tab
 * strip on phones. Routing picks the view; links are plain <a href>.
 *
 * @module
 */
import { html } from "./lib/html.js";
import { match, onLinkClick, usePath } from "./lib/router.js";
import { useLiveStatus } from "./lib/live.js";
import { Overview } from "./views/overview.js";
import { Devices } from "./views/devices.js";
import { Device } from "./views/device.js";
import { Alerts } from "./views/alerts.js";
import { Processes } from "./views/processes.js";
import { Rules } from "./views/rules.js";
import { Reports } from "./views/reports.js";
import { Shaper } from "./views/shaper.js";
import { Settings } from "./views/settings.js";

const NAV = [
  ["/", "Overview", "overview"],
  ["/devices", "Devices", "devices"],
  ["/processes", "Processes", "processes"],
  ["/alerts", "Alerts & events", "alerts"],
  ["/rules", "Rules", "rules"],
  ["/reports", "Reports", "reports"],
  ["/shaper", "Shaper", "shaper"],
  ["/settings", "Settings", "settings"],
];
const STATUS_TEXT = {
  off: "offline",
  connecting: "connecting",
  live: "live",
  reconnecting: "reconnecting",
};

/** The signed-in app: `user`, the theme and its toggle, and sign-out. */
export function Shell({ user, theme, onToggleTheme, onLogout }) {
  const path = usePath();
  const { view, params } = match(path);
  const status = useLiveStatus();
  const section = view === "device" ? "devices" : view;
  return html`
    <div class="shell" onClick=${onLinkClick}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="/"><span class="logo" aria-hidden="true"></span>Sluice</a>
        <span class=${`live ${status}`} role="status" title="Live updates">${STATUS_TEXT[
          status
        ]}</span>
        <span class="spacer"></span>
        <span class="user" title=${user.role}>${user.name}${user.role === "viewer"
          ? " (viewer)"
          : ""}</span>
        <button type="button" class="icon" onClick=${onToggleTheme}
          aria-label=${theme === "dark" ? "Switch to light theme" : "Switch to dark theme"}
          title="Theme">${theme === "dark" ? "☀" : "☾"}</button>
        <button type="button" onClick=${onLogout}>Sign out</button>
      </header>
      <nav class="side" aria-label="Sections">
        ${NAV.map(([href, label, key]) =>
          html`
            <a key=${key} href=${href} aria-current=${section === key ? "page" : null}>${label}</a>
          `
        )}
      </nav>
      <main id="main" tabindex="-1">${pick(view, params, user, theme)}</main>
    </div>
  `;
}

function pick(view, params, user, theme) {
  switch (view) {
    case "overview":
      return html`<${Overview} theme=${theme} />`;
    case "devices":
      return html`<${Devices} user=${user} />`;
    case "device":
      return html`<${Device} id=${params.id} user=${user} />`;
    case "processes":
      return html`<${Processes} />`;
    case "alerts":
      return html`<${Alerts} />`;
    case "rules":
      return html`<${Rules} />`;
    case "reports":
      return html`<${Reports} />`;
    case "shaper":
      return html`<${Shaper} />`;
    case "settings":
      return html`<${Settings} />`;
    default:
      return html`
        <section class="view">
          <h1>Not found</h1>
          <p><a href="/">Back to the overview</a></p>
        </section>
      `;
  }
}
