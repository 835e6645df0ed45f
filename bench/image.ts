/**
 * `image analyze` throughput and memory on a large gzip-layered image made from system files (≥ 1 GB of tar; built
 * once under /tmp and reused), against `gzip -dc | tar -t` over the same blobs in the same run (target ≥ 0.8x), and
 * peak RSS of the analysing process (target < 150 MB whatever the image size).
 *
 *   npm run bench image            LAYERWISE_BENCH_IMAGE_DIR=/other/dir npm run bench image
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const dir = process.env.LAYERWISE_BENCH_IMAGE_DIR ?? join(tmpdir(), 'layerwise-bench-image');
/** System folders, one layer each (skipped when absent); plus a layer that deletes and overwrites files below. */
const sources = ['usr/share', 'usr/bin', 'usr/local', 'usr/lib/x86_64-linux-gnu', 'usr/lib/python3', 'usr/lib/gcc'];
const MIN_BYTES = 1_000_000_000;

async function layerBlob(args: string[]): Promise<{ digest: string; diffId: string; size: number; tarBytes: number }> {
  const tar = spawn('tar', ['--numeric-owner', '-C', '/', '-cf', '-', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const diff = createHash('sha256');
  const blobHash = createHash('sha256');
  let tarBytes = 0;
  let size = 0;
  const temp = join(dir, 'blobs', 'sha256', 'incoming');
  const gzip = createGzip({ level: 1 });
  tar.stdout.on('data', (chunk: Buffer) => {
    diff.update(chunk);
    tarBytes += chunk.length;
  });
  gzip.on('data', (chunk: Buffer) => {
    blobHash.update(chunk);
    size += chunk.length;
  });
  await pipeline(tar.stdout, gzip, createWriteStream(temp));
  const digest = blobHash.digest('hex');
  renameSync(temp, join(dir, 'blobs', 'sha256', digest));
  return { digest: `sha256:${digest}`, diffId: `sha256:${diff.digest('hex')}`, size, tarBytes };
}

async function buildImage(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const layers = [];
  let total = 0;
  for (const source of sources) {
    if (!existsSync(join('/', source))) continue;
    console.log(`building layer from /${source} …`);
    const layer = await layerBlob([source]);
    layers.push(layer);
    total += layer.tarBytes;
  }
  if (total < MIN_BYTES) throw new Error(`only ${total} bytes of system files found; need ${MIN_BYTES}`);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
    }),
  );
  const configDigest = createHash('sha256').update(config).digest('hex');
  writeFileSync(join(dir, 'blobs', 'sha256', configDigest), config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configDigest}`, size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
    }),
  );
  const manifestDigest = createHash('sha256').update(manifest).digest('hex');
  writeFileSync(join(dir, 'blobs', 'sha256', manifestDigest), manifest);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'layers.json'), JSON.stringify({ blobs: layers.map((l) => l.digest), tarBytes: total }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${manifestDigest}`, size: manifest.length },
      ],
    }),
  );
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

if (!existsSync(join(dir, 'index.json')) || !existsSync(join(dir, 'layers.json'))) await buildImage();
const { blobs, tarBytes } = JSON.parse(spawnSync('cat', [join(dir, 'layers.json')], { encoding: 'utf8' }).stdout) as {
  blobs: string[];
  tarBytes: number;
};
const blobPaths = blobs.map((digest) => join(dir, 'blobs', 'sha256', digest.slice(7)));
const stored = blobPaths.reduce((sum, path) => sum + statSync(path).size, 0);
// Warm the page cache so both sides read from memory.
spawnSync('sh', ['-c', `cat ${blobPaths.join(' ')} > /dev/null`]);

// The CLI as users run it: compiled (dist/), plain node, its peak RSS read by /usr/bin/time.
const root = join(import.meta.dirname, '..');
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error('tsc build failed');
const bin = join(root, 'bin', 'layerwise.js');
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const runs = 2;
let best = { ours: Infinity, reference: Infinity, rss: 0 };
for (let i = 0; i < runs; i++) {
  let start = process.hrtime.bigint();
  for (const path of blobPaths) {
    const r = spawnSync('sh', ['-c', `gzip -dc '${path}' | tar -t > /dev/null`]);
    if (r.status !== 0) throw new Error(`gzip | tar failed on ${path}`);
  }
  const reference = seconds(start);
  start = process.hrtime.bigint();
  const command = [process.execPath, bin, 'image', 'analyze', '--quiet', '--format', 'json', `oci:${dir}`];
  const r = timeBinary
    ? spawnSync(timeBinary, ['-f', 'maxrss %M', ...command], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ours = seconds(start);
  if (r.status !== 0) throw new Error(`layerwise image analyze failed: ${r.stderr}`);
  const rss = Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) / 1024;
  best = { ours: Math.min(best.ours, ours), reference: Math.min(best.reference, reference), rss: Math.max(best.rss, rss) };
}
const mb = tarBytes / 1e6;
const ratio = best.reference / best.ours;
console.log(
  `image: ${blobs.length} gzip layers, ${(stored / 1e6).toFixed(0)} MB stored, ${mb.toFixed(0)} MB of tar (${readdirSync(join(dir, 'blobs', 'sha256')).length} blobs)`,
);
console.log(`gzip -dc | tar -t (reference): ${best.reference.toFixed(2)} s, ${(mb / best.reference).toFixed(0)} MB/s`);
console.log(
  `layerwise image analyze:       ${best.ours.toFixed(2)} s, ${(mb / best.ours).toFixed(0)} MB/s (process start, digest checks of blobs and tars included)`,
);
console.log(`ratio: ${ratio.toFixed(2)}x of the reference (target ≥ 0.8x) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
console.log(`peak RSS: ${best.rss.toFixed(0)} MB (target < 150 MB) ${best.rss < 150 ? 'OK' : 'ABOVE TARGET'}`);
process.exitCode = ratio >= 0.8 && best.rss < 150 ? 0 : 1;
