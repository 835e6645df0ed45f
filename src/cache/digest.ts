/** The digest of a JSON value: how cache-key ingredients are compared. Pure. */
import { createHash } from 'node:crypto';

export function digest(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;
}
