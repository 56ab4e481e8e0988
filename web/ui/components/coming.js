/**
 * The placeholder for views not built yet: it says plainly what will be
 * there, so the navigation is complete and testable from day one.
 *
 * @module
 */
import { html } from "../lib/html.js";

/** A view's title and the list of what is coming to it; without a title, just the list. */
export function Coming({ title, items }) {
  const card = html`
    <div class="card coming">
      <h2>Coming</h2>
      <ul>${items.map((item) => html`<li key=${item}>${item}</li>`)}</ul>
    </div>
  `;
  if (!title) return card;
  return html`
    <section class="view" aria-labelledby="view-title">
      <h1 id="view-title">${title}</h1>
      ${card}
    </section>
  `;
}
