/**
 * Synthetic images for tests (go-containerregistry's `random`): layers described as file lists (or random), written
 * as a docker-archive in either `docker save` layout or as an OCI layout directory, gzip/zstd/uncompressed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestOf } from '../../src/image/digest.js';
import { MediaTypes } from '../../src/image/image.js';
import { compress, type TestCompression } from './compress.js';
import { type PackEntry, pack } from './tar-oracle.js';

export interface FileSpec {
  path: string;
  type?: 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'fifo';
  /** Content of a file (a number: that many random bytes). */
  content?: string | Buffer | number;
  linkname?: string;
  mode?: number;
}

export interface HistorySpec {
  createdBy: string;
  emptyLayer?: boolean;
  comment?: string;
}

export interface ImageSpec {
  layers: FileSpec[][];
  /** Config history, oldest first; default one entry per layer (`layer N`). Non-empty entries must match the layers. */
  history?: HistorySpec[];
  compression?: TestCompression;
  repoTags?: string[];
  architecture?: string;
}

export interface BuiltImage {
  rawConfig: Buffer;
  configDigest: string;
  rawManifest: Buffer;
  manifestDigest: string;
  /** Layer tars (uncompressed) and the blobs as stored, lowest first. */
  tars: Buffer[];
  blobs: { digest: string; bytes: Buffer; mediaType: string }[];
}

function toPackEntry(file: FileSpec): PackEntry {
  const type = file.type ?? 'file';
  if (type === 'file') {
    const content = typeof file.content === 'number' ? randomBytes(file.content) : Buffer.from(file.content ?? '');
    return { name: file.path, body: content, mode: file.mode };
  }
  if (type === 'hardlink') return { name: file.path, type: 'link', linkname: file.linkname ?? '' };
  if (type === 'char') return { name: file.path, type: 'character-device', devmajor: 1, devminor: 3 };
  return { name: file.path, type, linkname: file.linkname, mode: file.mode };
}

export async function layerTar(files: FileSpec[]): Promise<Buffer> {
  return pack(files.map(toPackEntry));
}

/** Random layers: `count` layers of up to `files` random files each, some paths repeated across layers. */
export function randomLayers(count: number, files = 8, maxSize = 4096): FileSpec[][] {
  const shared = ['etc/shared.conf', 'usr/lib/libshared.so'];
  return Array.from({ length: count }, (_, layer) => [
    { path: 'etc/', type: 'directory' as const },
    { path: 'usr/', type: 'directory' as const },
    { path: 'usr/lib/', type: 'directory' as const },
    ...Array.from({ length: 1 + Math.floor(Math.random() * files) }, (_, i) => ({
      path: `usr/lib/l${layer}-f${i}.bin`,
      content: Math.floor(Math.random() * maxSize),
    })),
    { path: shared[layer % shared.length], content: Math.floor(Math.random() * maxSize) },
  ]);
}

export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const compression = spec.compression ?? 'gzip';
  const tars = await Promise.all(spec.layers.map(layerTar));
  const layerMediaType =
    compression === 'gzip' ? MediaTypes.ociLayerGzip : compression === 'zstd' ? MediaTypes.ociLayerZstd : MediaTypes.ociLayer;
  const blobs = tars.map((tar) => {
    const bytes = compress(tar, compression);
    return { digest: digestOf(bytes), bytes, mediaType: layerMediaType };
  });
  const defaultHistory: HistorySpec[] = spec.layers.map((_, i) => ({ createdBy: `layer ${i}` }));
  const history = (spec.history ?? defaultHistory).map((entry) => ({
    created: '2024-01-01T00:00:00Z',
    created_by: entry.createdBy,
    ...(entry.comment ? { comment: entry.comment } : {}),
    ...(entry.emptyLayer ? { empty_layer: true } : {}),
  }));
  const rawConfig = Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: tars.map((tar) => digestOf(tar)) },
      history,
    }),
  );
  const rawManifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: digestOf(rawConfig), size: rawConfig.length },
      layers: blobs.map(({ digest, bytes, mediaType }) => ({ mediaType, digest, size: bytes.length })),
    }),
  );
  return { rawConfig, configDigest: digestOf(rawConfig), rawManifest, manifestDigest: digestOf(rawManifest), tars, blobs };
}

const hex = (digest: string) => digest.slice('sha256:'.length);

/** Writes an OCI image layout directory holding `images` (each tagged when a tag is given). */
export async function writeOciLayout(
  dir: string,
  images: { image: BuiltImage; tag?: string; platform?: object }[],
): Promise<void> {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  for (const { image } of images) {
    writeFileSync(join(dir, 'blobs', 'sha256', hex(image.configDigest)), image.rawConfig);
    writeFileSync(join(dir, 'blobs', 'sha256', hex(image.manifestDigest)), image.rawManifest);
    for (const blob of image.blobs) writeFileSync(join(dir, 'blobs', 'sha256', hex(blob.digest)), blob.bytes);
  }
  const manifests = images.map(({ image, tag, platform }) => ({
    mediaType: MediaTypes.ociManifest,
    digest: image.manifestDigest,
    size: image.rawManifest.length,
    ...(tag ? { annotations: { 'org.opencontainers.image.ref.name': tag } } : {}),
    ...(platform ? { platform } : {}),
  }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests }));
}

/**
 * Writes `docker save` output: `legacy` is Docker ≤ 24 (`<id>/layer.tar`, `<hex>.json`, `repositories`); `oci` is
 * Docker 25+ (an OCI layout plus a manifest.json pointing into blobs/).
 */
export async function writeDockerArchive(
  path: string,
  images: { image: BuiltImage; repoTags?: string[] }[],
  layout: 'legacy' | 'oci',
): Promise<void> {
  const entries: PackEntry[] = [];
  const manifestJson = [];
  const seen = new Set<string>();
  const add = (name: string, body: Buffer) => {
    if (seen.has(name)) return;
    seen.add(name);
    entries.push({ name, body });
  };
  for (const { image, repoTags } of images) {
    if (layout === 'legacy') {
      const layerPaths = image.blobs.map((blob, i) => {
        const id = hex(digestOf(Buffer.concat([Buffer.from(image.configDigest), Buffer.from(String(i))])));
        add(`${id}/VERSION`, Buffer.from('1.0'));
        add(`${id}/json`, Buffer.from('{}'));
        add(`${id}/layer.tar`, blob.bytes);
        return `${id}/layer.tar`;
      });
      add(`${hex(image.configDigest)}.json`, image.rawConfig);
      manifestJson.push({ Config: `${hex(image.configDigest)}.json`, RepoTags: repoTags ?? null, Layers: layerPaths });
    } else {
      add(`blobs/sha256/${hex(image.configDigest)}`, image.rawConfig);
      add(`blobs/sha256/${hex(image.manifestDigest)}`, image.rawManifest);
      for (const blob of image.blobs) add(`blobs/sha256/${hex(blob.digest)}`, blob.bytes);
      manifestJson.push({
        Config: `blobs/sha256/${hex(image.configDigest)}`,
        RepoTags: repoTags ?? null,
        Layers: image.blobs.map((blob) => `blobs/sha256/${hex(blob.digest)}`),
      });
    }
  }
  if (layout === 'oci') {
    add('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
    const manifests = images.map(({ image, repoTags }) => ({
      mediaType: MediaTypes.ociManifest,
      digest: image.manifestDigest,
      size: image.rawManifest.length,
      annotations: repoTags?.[0]
        ? {
            'io.containerd.image.name': `docker.io/library/${repoTags[0]}`,
            'org.opencontainers.image.ref.name': repoTags[0].split(':')[1],
          }
        : {},
    }));
    add('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests })));
  }
  add('manifest.json', Buffer.from(JSON.stringify(manifestJson)));
  writeFileSync(path, await pack(entries));
}
