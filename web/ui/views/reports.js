/**
 * Reports: a placeholder until the range picker and CSV export are built.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { Coming } from "../components/coming.js";

/** The reports view. */
export function Reports() {
  return html`<${Coming} title="Reports" items=${[
    "A range picker (today, last 7 days, last 30 days, custom)",
    "Usage per device and per app over the range",
    "CSV export",
  ]} />`;
}
