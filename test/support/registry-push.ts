/**
 * Seeds a real registry with synthetic images through the distribution API (tests only): blobs by monolithic upload
 * (POST, then PUT ?digest=), manifests by PUT with their media type — Docker v2 schema 2 or OCI, single images and
 * indexes. Uses the product's RegistryClient for auth, so pushing to the basic- and token-auth registries works.
 */
import { gzipSync } from 'node:zlib';
import { digestOf } from '../../src/image/digest.js';
import { MediaTypes } from '../../src/image/image.js';
import { RegistryClient, type RegistryClientOptions } from '../../src/image/sources/registry/client.js';
import type { BuiltImage } from './random-image.js';
import { pack } from './tar-oracle.js';

export type Format = 'docker' | 'oci';

export const mediaTypes = {
  docker: {
    manifest: MediaTypes.dockerManifest,
    index: MediaTypes.dockerManifestList,
    config: MediaTypes.dockerConfig,
    layer: MediaTypes.dockerLayerGzip,
  },
  oci: {
    manifest: MediaTypes.ociManifest,
    index: MediaTypes.ociIndex,
    config: MediaTypes.ociConfig,
    layer: MediaTypes.ociLayerGzip,
  },
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
}

export const sha256 = (bytes: Uint8Array | string): string => digestOf(Buffer.from(bytes));

/** A tar of the given files (path → content), deterministic (fixed mtimes). */
export function tarOf(files: Record<string, string | Uint8Array>): Promise<Buffer> {
  return pack(Object.entries(files).map(([name, content]) => ({ name, body: Buffer.from(content) })));
}

/** A synthetic image: gzip layers from file maps, a config whose diff IDs and history match, and its manifest. */
export interface SyntheticImage {
  format: Format;
  manifest: Buffer;
  manifestDigest: string;
  config: Buffer;
  /** Compressed layer blobs, lowest first. */
  layers: { blob: Buffer; digest: string; diffId: string; tar: Buffer }[];
  platform: { os: string; architecture: string; variant?: string };
}

export async function syntheticImage(
  format: Format,
  layerFiles: Record<string, string | Uint8Array>[],
  platform: SyntheticImage['platform'] = { os: 'linux', architecture: 'amd64' },
): Promise<SyntheticImage> {
  const layers = [];
  for (const files of layerFiles) {
    const tarBytes = await tarOf(files);
    const blob = gzipSync(tarBytes, { level: 1 });
    layers.push({ blob, digest: sha256(blob), diffId: sha256(tarBytes), tar: tarBytes });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      created: '2026-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
      history: layers.map((_, index) => ({ created: '2026-01-01T00:00:00Z', created_by: `layer ${index + 1}` })),
    }),
  );
  const types = mediaTypes[format];
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: { mediaType: types.config, digest: sha256(config), size: config.length },
      layers: layers.map((layer) => ({ mediaType: types.layer, digest: layer.digest, size: layer.blob.length })),
    }),
  );
  return { format, manifest, manifestDigest: sha256(manifest), config, layers, platform };
}

/** An index (OCI) or manifest list (Docker) over pushed images. */
export function indexOf(format: Format, images: SyntheticImage[]): { bytes: Buffer; digest: string } {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes[format].index,
      manifests: images.map((image) => ({
        mediaType: mediaTypes[image.format].manifest,
        digest: image.manifestDigest,
        size: image.manifest.length,
        platform: image.platform,
      })),
    }),
  );
  return { bytes, digest: sha256(bytes) };
}

export class RegistryPusher {
  readonly client: RegistryClient;

  constructor(domain: string, options: RegistryClientOptions = {}) {
    this.client = new RegistryClient(domain, { credentials: null, ...options });
  }

  /** Uploads one blob (monolithic: POST opens the upload session, PUT ?digest= closes it with the bytes). */
  async blob(repository: string, bytes: Uint8Array): Promise<string> {
    const digest = sha256(bytes);
    const start = await this.client.request(this.client.url(repository, 'blobs/uploads/'), {
      method: 'POST',
      repository,
      actions: ['pull', 'push'],
    });
    await this.client.check(start, repository, 'blob upload');
    await start.cancel();
    const location = start.headers.get('location');
    if (!location) throw new Error(`${repository}: the registry opened an upload without a Location`);
    const url = new URL(location, this.client.origin);
    url.searchParams.set('digest', digest);
    const done = await this.client.request(url, {
      method: 'PUT',
      repository,
      actions: ['pull', 'push'],
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    await this.client.check(done, repository, `blob ${digest}`);
    await done.cancel();
    return digest;
  }

  /** PUTs a manifest (or index) under a tag or its digest; returns the digest the registry computed. */
  async manifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const response = await this.client.request(this.client.url(repository, `manifests/${reference}`), {
      method: 'PUT',
      repository,
      actions: ['pull', 'push'],
      headers: { 'content-type': mediaType },
      body: bytes,
    });
    await this.client.check(response, repository, `manifest ${reference}`);
    await response.cancel();
    return response.headers.get('docker-content-digest') ?? sha256(bytes);
  }

  /** Pushes an image's blobs and manifest; tagged when `tag` is given, else by digest only. */
  async image(repository: string, image: SyntheticImage, tag?: string): Promise<string> {
    for (const layer of image.layers) await this.blob(repository, layer.blob);
    await this.blob(repository, image.config);
    return this.manifest(repository, tag ?? image.manifestDigest, image.manifest, mediaTypes[image.format].manifest);
  }

  /** Pushes an image made by random-image.ts's buildImage (OCI media types, any layer compression). */
  async built(repository: string, image: BuiltImage, tag?: string): Promise<string> {
    for (const blob of image.blobs) await this.blob(repository, blob.bytes);
    await this.blob(repository, image.rawConfig);
    return this.manifest(repository, tag ?? image.manifestDigest, image.rawManifest, MediaTypes.ociManifest);
  }

  /** Pushes every image by digest, then the index over them under `tag`. */
  async index(repository: string, format: Format, images: SyntheticImage[], tag: string): Promise<string> {
    for (const image of images) await this.image(repository, image);
    const index = indexOf(format, images);
    return this.manifest(repository, tag, index.bytes, mediaTypes[format].index);
  }
}
