/**
 * Rules: a placeholder until the editor is built on the rules API.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { Coming } from "../components/coming.js";

/** The rules view. */
export function Rules() {
  return html`<${Coming} title="Rules" items=${[
    "The rules in order, with what each matches and does",
    "Create, edit and delete, with field-level validation messages",
    "Which devices a rule applies to right now",
  ]} />`;
}
