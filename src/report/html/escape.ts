/**
 * HTML built only through the `html` template tag: every interpolated string is escaped, so Dockerfile text, file
 * names, commit messages and image paths (all hostile input) can never become markup. Only values that are already
 * `Html` (built by this tag, or `trusted()` constants of our own) pass through unchanged.
 */

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: strings and numbers are escaped; `false`, `null` and `undefined` render nothing. */
export type Content = Html | string | number | boolean | null | undefined | readonly Content[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element body or a quoted attribute value (both quote kinds). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

function render(value: Content): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

/** The template tag: `html\`<td title="${reason}">${text}</td>\``. Attribute values must be quoted. */
export function html(strings: TemplateStringsArray, ...values: Content[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Our own constant markup, CSS or script — never data. */
export function trusted(text: string): Html {
  return new Html(text);
}

/** Joins pieces of markup (escaping any strings among them). */
export function join(parts: readonly Content[], separator: Content = ''): Html {
  return new Html(parts.map(render).join(render(separator)));
}
