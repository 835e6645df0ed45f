/**
 * Context hashing throughput: layerwise's BuildKit content checksum of a generated context against `sha256sum` over
 * the same files, in the same run (target: ≥ 0.8x of sha256sum's throughput). Also peak RSS, which must stay flat
 * with file size (contents are streamed through one buffer).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readContextDir } from '../src/cache/context.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-bench-ctx-'));
const files: string[] = [];
let bytes = 0;
// A mix like a real project: many small sources, some medium assets, a few large blobs (~300 MB in all).
const plan: [count: number, size: number][] = [
  [4000, 4 * 1024],
  [400, 256 * 1024],
  [6, 32 * 1024 * 1024],
];
const chunk = randomBytes(1 << 20);
for (const [count, size] of plan) {
  for (let i = 0; i < count; i++) {
    const dir = join(root, `d${size}`, `s${i % 40}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `f${i}.bin`);
    const parts: Buffer[] = [];
    for (let left = size; left > 0; left -= chunk.length) parts.push(chunk.subarray(0, Math.min(left, chunk.length)));
    parts[0] = Buffer.concat([Buffer.from(String(i)), parts[0].subarray(String(i).length)]);
    writeFileSync(path, Buffer.concat(parts));
    files.push(path);
    bytes += size;
  }
}
const list = join(tmpdir(), `layerwise-bench-list-${process.pid}`);
writeFileSync(list, `${files.join('\0')}\0`);

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// Warm the page cache once so both sides read from memory.
spawnSync('sh', ['-c', `xargs -0 cat < ${list} > /dev/null`]);
const runs = 3;
let best = { ours: Infinity, reference: Infinity };
for (let i = 0; i < runs; i++) {
  const reference = time(() => {
    const r = spawnSync('sh', ['-c', `xargs -0 sha256sum < ${list} > /dev/null`]);
    if (r.status !== 0) throw new Error('sha256sum failed');
  });
  const ours = time(() => readContextDir(root).checksum({ path: '/' }));
  best = { ours: Math.min(best.ours, ours), reference: Math.min(best.reference, reference) };
}
const mb = bytes / 1e6;
const ratio = best.reference / best.ours;
console.log(`context: ${files.length} files, ${mb.toFixed(0)} MB`);
console.log(`sha256sum (reference): ${(mb / best.reference).toFixed(0)} MB/s`);
console.log(`layerwise context hash: ${(mb / best.ours).toFixed(0)} MB/s`);
console.log(`ratio vs sha256sum: ${ratio.toFixed(2)}x (target ≥ 0.80x) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
rmSync(root, { recursive: true, force: true });
rmSync(list, { force: true });
