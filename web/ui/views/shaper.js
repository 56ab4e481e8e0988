/**
 * Shaper: a placeholder until desired vs applied state is shown.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { Coming } from "../components/coming.js";

/** The shaper view. */
export function Shaper() {
  return html`<${Coming} title="Shaper" items=${[
    "The plan: what the policy wants per device",
    "What is applied, and where the two differ",
    "The dry-run command log",
  ]} />`;
}
