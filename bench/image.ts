/**
 * `image analyze` throughput and memory on a large gzip-layered image made from system files (≥ 1 GB of tar; built
 * once under /tmp and reused), against `gzip -dc | tar -t` over the same blobs in the same run (target ≥ 0.8x), and
 * peak RSS of the analysing process (target < 150 MB whatever the image size), each as min / median / max over runs.
 *
 *   npm run bench image            LAYERWISE_BENCH_IMAGE_DIR=/other/dir npm run bench image
 *   node --import tsx bench/image.ts --build-only      (make or update the image, measure nothing)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { bin, ensureBuilt } from './support/built.js';

const dir = process.env.LAYERWISE_BENCH_IMAGE_DIR ?? join(tmpdir(), 'layerwise-bench-image');
const MIN_BYTES = 1_000_000_000;

/**
 * The layers, lowest first: system folders (skipped when absent), then three that make waste as real images do —
 * the same files written again, a layer of whiteouts, an opaque directory and overwritten files, and a whiteout of a
 * path that does not exist (dive's walk of that layer stops there; dive-exact figures must reproduce that).
 */
interface LayerSpec {
  name: string;
  /** `tar -C <root> -cf - <paths>` */
  root: string;
  paths: string[];
}

function specs(): LayerSpec[] {
  const system = ['usr/share', 'usr/bin', 'usr/local', 'usr/lib/x86_64-linux-gnu', 'usr/lib/python3', 'usr/lib/gcc']
    .filter((path) => existsSync(join('/', path)))
    .map((path) => ({ name: path, root: '/', paths: [path] }));
  const rewrite = ['usr/share/doc'].filter((path) => existsSync(join('/', path)));
  return [
    ...system,
    ...(rewrite.length ? [{ name: 'rewrite usr/share/doc', root: '/', paths: rewrite }] : []),
    { name: 'waste', root: join(dir, 'work', 'waste'), paths: ['.'] },
    { name: 'missing whiteout', root: join(dir, 'work', 'missing'), paths: ['.'] },
  ];
}

/** The synthetic layers' folders: whiteouts are plain files named `.wh.NAME`, as in a layer tar. */
function makeSyntheticFolders(): void {
  const waste = join(dir, 'work', 'waste');
  rmSync(join(dir, 'work'), { recursive: true, force: true });
  const bin = existsSync('/usr/bin') ? readdirSync('/usr/bin').sort() : [];
  mkdirSync(join(waste, 'usr', 'bin'), { recursive: true });
  // Overwrite 300 programs with a few bytes, delete the next 300.
  for (const name of bin.slice(0, 300)) writeFileSync(join(waste, 'usr', 'bin', name), `replaced ${name}\n`);
  for (const name of bin.slice(300, 600)) writeFileSync(join(waste, 'usr', 'bin', `.wh.${name}`), '');
  mkdirSync(join(waste, 'usr', 'share', 'doc'), { recursive: true });
  writeFileSync(join(waste, 'usr', 'share', 'doc', '.wh..wh..opq'), '');
  writeFileSync(join(waste, 'usr', 'share', 'doc', 'README'), 'only this is left\n');
  writeFileSync(join(waste, 'usr', 'share', '.wh.man'), '');
  symlinkSync('doc/README', join(waste, 'usr', 'share', 'README'));
  linkSync(join(waste, 'usr', 'share', 'doc', 'README'), join(waste, 'usr', 'share', 'README.hardlink'));
  const missing = join(dir, 'work', 'missing');
  mkdirSync(join(missing, 'usr'), { recursive: true });
  mkdirSync(join(missing, 'etc'), { recursive: true });
  writeFileSync(join(missing, 'etc', 'scored'), 'scored by dive\n');
  writeFileSync(join(missing, 'usr', '.wh.layerwise-no-such-path'), '');
  writeFileSync(join(missing, 'usr', 'zz-not-scored'), 'dive stopped before this\n');
}

interface BuiltLayer {
  name: string;
  digest: string;
  diffId: string;
  size: number;
  tarBytes: number;
}

async function layerBlob(spec: LayerSpec): Promise<BuiltLayer> {
  const tar = spawn('tar', ['--numeric-owner', '--sort=name', '-C', spec.root, '-cf', '-', ...spec.paths], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
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
  return { name: spec.name, digest: `sha256:${digest}`, diffId: `sha256:${diff.digest('hex')}`, size, tarBytes };
}

function writeJsonBlob(value: unknown): { digest: string; size: number } {
  const bytes = Buffer.from(JSON.stringify(value));
  const hex = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(dir, 'blobs', 'sha256', hex), bytes);
  return { digest: `sha256:${hex}`, size: bytes.length };
}

/** Builds the layers not built yet (layers.json remembers them by name) and writes config, manifest and index. */
async function buildImage(): Promise<BuiltLayer[]> {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const known = new Map<string, BuiltLayer>();
  const recorded = join(dir, 'layers.json');
  if (existsSync(recorded))
    for (const layer of (JSON.parse(readFileSync(recorded, 'utf8')).layers ?? []) as BuiltLayer[])
      if (existsSync(join(dir, 'blobs', 'sha256', layer.digest.slice(7)))) known.set(layer.name, layer);
  const layers: BuiltLayer[] = [];
  let madeFolders = false;
  for (const spec of specs()) {
    let layer = known.get(spec.name);
    if (!layer) {
      if (spec.root !== '/' && !madeFolders) {
        makeSyntheticFolders();
        madeFolders = true;
      }
      console.log(`building layer ${spec.name} …`);
      layer = await layerBlob(spec);
    }
    layers.push(layer);
  }
  const total = layers.reduce((sum, layer) => sum + layer.tarBytes, 0);
  if (total < MIN_BYTES) throw new Error(`only ${total} bytes of system files found; need ${MIN_BYTES}`);
  const config = writeJsonBlob({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l) => ({ created_by: `layer ${l.name}` })),
  });
  const manifest = writeJsonBlob({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
  });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }] }),
  );
  writeFileSync(recorded, JSON.stringify({ layers }));
  return layers;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const layers = await buildImage();
if (process.argv.includes('--build-only')) process.exit(0);
const blobs = layers.map((layer) => layer.digest);
const tarBytes = layers.reduce((sum, layer) => sum + layer.tarBytes, 0);
const blobPaths = blobs.map((digest) => join(dir, 'blobs', 'sha256', digest.slice(7)));
const stored = blobPaths.reduce((sum, path) => sum + statSync(path).size, 0);
// Warm the page cache so both sides read from memory.
spawnSync('sh', ['-c', `cat ${blobPaths.join(' ')} > /dev/null`]);

// The CLI as users run it: compiled (dist/), plain node, its peak RSS read by /usr/bin/time.
ensureBuilt();
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs of each side, interleaved so that load changes hit both (LAYERWISE_BENCH_RUNS, default 3). */
const runs = Math.max(1, Number(process.env.LAYERWISE_BENCH_RUNS ?? 3));
/** Peak RSS (MB) of a command, read by /usr/bin/time; NaN without it. */
function peakRss(command: string[]): { rss: number; status: number | null; stderr: string } {
  const r = timeBinary
    ? spawnSync(timeBinary, ['-f', 'maxrss %M', ...command], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { rss: Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) / 1024, status: r.status, stderr: r.stderr };
}

// The memory reference: a bare Node process that only gunzips the same blobs, in the same chunk size as layerwise
// (the floor for any Node reader of this image: runtime, zlib, and the garbage buffers V8 collects lazily).
const gunzipOnly = `
const { createReadStream } = require('node:fs');
const { createGunzip } = require('node:zlib');
(async () => {
  for (const path of process.argv.slice(1)) {
    const stream = createReadStream(path, { highWaterMark: 65536 }).pipe(createGunzip({ chunkSize: 65536 }));
    for await (const chunk of stream) void chunk;
  }
})();`;

interface Run {
  reference: number;
  ours: number;
  ratio: number;
  rss: number;
  floorRss: number;
}
const measured: Run[] = [];
for (let i = 0; i < runs; i++) {
  let start = process.hrtime.bigint();
  for (const path of blobPaths) {
    const r = spawnSync('sh', ['-c', `gzip -dc '${path}' | tar -t > /dev/null`]);
    if (r.status !== 0) throw new Error(`gzip | tar failed on ${path}`);
  }
  const reference = seconds(start);
  start = process.hrtime.bigint();
  const r = peakRss([process.execPath, bin, 'image', 'analyze', '--quiet', '--format', 'json', `oci:${dir}`]);
  const ours = seconds(start);
  if (r.status !== 0) throw new Error(`layerwise image analyze failed: ${r.stderr}`);
  const floor = peakRss([process.execPath, '-e', gunzipOnly, ...blobPaths]);
  if (floor.status !== 0) throw new Error(`node gunzip reference failed: ${floor.stderr}`);
  measured.push({ reference, ours, ratio: reference / ours, rss: r.rss, floorRss: floor.rss });
  console.log(
    `run ${i + 1}/${runs}: gzip -dc | tar -t ${reference.toFixed(2)} s, layerwise ${ours.toFixed(2)} s (${(reference / ours).toFixed(2)}x), peak RSS ${r.rss.toFixed(0)} MB (bare Node gunzip ${floor.rss.toFixed(0)} MB)`,
  );
}

/** `min / median / max` of one figure over the runs. */
function spread(pick: (run: Run) => number, digits: number): { min: number; median: number; max: number; text: string } {
  const values = measured.map(pick).sort((a, b) => a - b);
  const middle = values.length >> 1;
  const median = values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  const [min, max] = [values[0], values[values.length - 1]];
  return { min, median, max, text: `${min.toFixed(digits)} / ${median.toFixed(digits)} / ${max.toFixed(digits)}` };
}

const mb = tarBytes / 1e6;
const ratio = spread((run) => run.ratio, 2);
const rss = spread((run) => run.rss, 0);
const reference = spread((run) => run.reference, 2);
const ours = spread((run) => run.ours, 2);
console.log(
  `image: ${blobs.length} gzip layers, ${(stored / 1e6).toFixed(0)} MB stored, ${mb.toFixed(0)} MB of tar (${readdirSync(join(dir, 'blobs', 'sha256')).length} blobs); ${runs} runs, min / median / max`,
);
console.log(`gzip -dc | tar -t (reference): ${reference.text} s (median ${(mb / reference.median).toFixed(0)} MB/s)`);
console.log(
  `layerwise image analyze:       ${ours.text} s (median ${(mb / ours.median).toFixed(0)} MB/s; process start, digest checks of blobs and tars included)`,
);
console.log(
  `ratio (per run): ${ratio.text}x of the reference (target ≥ 0.8x on the median) ${ratio.median >= 0.8 ? 'OK' : 'BELOW TARGET'}`,
);
console.log(`peak RSS: ${rss.text} MB (target < 150 MB in every run) ${rss.max < 150 ? 'OK' : 'ABOVE TARGET'}`);
console.log(
  `peak RSS ratio: ${(rss.median / spread((run) => run.floorRss, 0).median).toFixed(2)}x of a bare Node gunzip of the same blobs (${spread((run) => run.floorRss, 0).text} MB)`,
);
process.exitCode = ratio.median >= 0.8 && rss.max < 150 ? 0 : 1;
