/**
 * Reads extended attributes of context files, which BuildKit's content checksum includes (all but `security.*` —
 * except `security.capability` — and `system.*`). Node has no xattr API, so this asks `getfattr` (package attr),
 * in batches, without following symlinks; without it, attributes are not read and `available` says so.
 */
import { spawnSync } from 'node:child_process';

const BATCH = 256;
let installed: boolean | undefined;

/** Whether `getfattr` can be run here (asked once per process). */
export function xattrsAvailable(): boolean {
  installed ??= spawnSync('getfattr', ['--version'], { stdio: 'ignore' }).status === 0;
  return installed;
}

/** Undoes getfattr's quoting of file names (`\ooo` octal escapes for unprintable bytes, `\\` for a backslash). */
function unquote(text: string): string {
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x5c && i + 3 < raw.length && /^[0-7]{3}$/.test(raw.subarray(i + 1, i + 4).toString('latin1'))) {
      bytes.push(Number.parseInt(raw.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else if (raw[i] === 0x5c && raw[i + 1] === 0x5c) {
      bytes.push(0x5c);
      i += 1;
    } else bytes.push(raw[i]);
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeValue(text: string): Uint8Array {
  if (text.startsWith('0s')) return Buffer.from(text.slice(2), 'base64');
  if (text.startsWith('0x')) return Buffer.from(text.slice(2), 'hex');
  if (text.startsWith('"') && text.endsWith('"')) return Buffer.from(unquote(text.slice(1, -1)), 'utf8');
  return Buffer.from(text, 'utf8');
}

/** Attributes by absolute path, for the paths that have any (empty when getfattr is not installed). */
export function readXattrs(paths: readonly string[]): Map<string, Record<string, Uint8Array>> {
  const found = new Map<string, Record<string, Uint8Array>>();
  if (!xattrsAvailable() || paths.length === 0) return found;
  for (let start = 0; start < paths.length; start += BATCH) {
    const batch = paths.slice(start, start + BATCH);
    const result = spawnSync('getfattr', ['--absolute-names', '-h', '-d', '-m', '-', '-e', 'base64', '--', ...batch], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    let current: Record<string, Uint8Array> | undefined;
    for (const line of (result.stdout ?? '').split('\n')) {
      if (line.startsWith('# file: ')) {
        current = {};
        found.set(unquote(line.slice(8)), current);
      } else if (current && line !== '') {
        const eq = line.indexOf('=');
        current[unquote(eq < 0 ? line : line.slice(0, eq))] = eq < 0 ? new Uint8Array() : decodeValue(line.slice(eq + 1));
      }
    }
  }
  return found;
}
