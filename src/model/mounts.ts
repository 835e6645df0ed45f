/** `RUN --mount=…` as BuildKit's instructions.parseMount reads it (CSV, lower-cased keys, type bind by default). */
import { cleanPath } from './paths.js';
import type { Mount } from './types.js';

export class MountError extends Error {
  override name = 'MountError';
}

/** Go encoding/csv for one line: fields split on commas, double quotes group and `""` escapes a quote. */
function csvFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new MountError(`invalid mount: unterminated quote in ${text}`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      while (i < text.length && text[i] !== ',') field += text[i++];
    } else {
      while (i < text.length && text[i] !== ',') field += text[i++];
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++;
  }
}

const TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);

/** Parses one --mount value; `expand` expands a field value (BuildKit expands every value but `from`). */
export function parseMount(value: string, expand: (word: string) => string): Mount {
  const options: Record<string, string> = {};
  let type: Mount['type'] = 'bind';
  let target = '';
  let from: string | undefined;
  let source: string | undefined;
  let readonly: boolean | undefined;
  let id: string | undefined;
  let sharing: string | undefined;
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const raw = eq < 0 ? undefined : field.slice(eq + 1);
    const v = raw === undefined ? undefined : key === 'from' ? raw : expand(raw);
    switch (key) {
      case 'type':
        if (!v || !TYPES.has(v.toLowerCase())) throw new MountError(`unsupported mount type ${JSON.stringify(v)}`);
        type = v.toLowerCase() as Mount['type'];
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = v ?? '';
        break;
      case 'from':
        if (v?.includes('$')) throw new MountError(`'from' doesn't support variable expansion, define alias stage instead`);
        from = v;
        break;
      case 'source':
      case 'src':
        source = v;
        break;
      case 'readonly':
      case 'ro':
        readonly = v === undefined ? true : v.toLowerCase() === 'true';
        break;
      case 'readwrite':
      case 'rw':
        readonly = !(v === undefined ? true : v.toLowerCase() === 'true');
        break;
      case 'id':
        id = v;
        break;
      case 'sharing':
        sharing = v;
        break;
      default:
        options[key] = v ?? 'true';
    }
  }
  const defaultReadonly = type !== 'cache' && type !== 'tmpfs';
  const mount: Mount = { type, target, from, source, readonly: readonly ?? defaultReadonly, options };
  if (type === 'cache') {
    mount.id = id ?? cleanPath(target);
    mount.sharing = sharing ?? 'shared';
  } else if (id !== undefined) mount.id = id;
  return mount;
}
