/** Package syntax the JavaScript managers share: `name@1.2.3`, `@scope/name@1.2.3`, `name@^1`, `name@latest`. */

/** Only an exact version pins; ranges (`^1`, `~1.2`, `>=1`), tags (`latest`) and `*` do not. */
export function parseNodePackage(text: string): { name: string; version?: string; pinned: boolean } {
  const at = text.indexOf('@', text.startsWith('@') ? 1 : 0);
  if (at <= 0) return { name: text, pinned: false };
  const version = text.slice(at + 1);
  return { name: text.slice(0, at), version, pinned: /^v?\d+\.\d+\.\d+([-+][\w.-]+)?$/.test(version) };
}
