// @ts-check
/**
 * Escape-by-default HTML: every interpolation goes through `render`, which escapes it unless
 * it is already markup, so a stored `<script>` in adv1 is shown as text.
 */

export class Markup {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

/** @param {unknown} value @returns {string} */
function render(value) {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tagged template: interpolations are escaped, nested `html` results are kept. */
export function html(/** @type {TemplateStringsArray} */ strings, /** @type {unknown[]} */ ...values) {
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}
