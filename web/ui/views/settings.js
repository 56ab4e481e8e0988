/**
 * Settings: a placeholder until the settings forms are built.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { Coming } from "../components/coming.js";

/** The settings view. */
export function Settings() {
  return html`<${Coming} title="Settings" items=${[
    "Interfaces and LAN subnets",
    "Link capacity",
    "Alert thresholds and data retention",
    "Webhooks",
    "Users, sessions and API tokens",
  ]} />`;
}
