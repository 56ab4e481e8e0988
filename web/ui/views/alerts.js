/**
 * Alerts and events: a placeholder until the filtered, paged list is built
 * on GET /api/v1/alerts and /api/v1/events.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { Coming } from "../components/coming.js";

/** The alerts and events view. */
export function Alerts() {
  return html`<${Coming} title="Alerts & events" items=${[
    "Active and past alerts, filtered by kind, device and time",
    "The event log (decisions, actions, new devices), paged",
    "Acknowledging alerts",
  ]} />`;
}
