/**
 * The OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`) over any store of named files: a directory
 * (`oci:DIR`) or the members of a tar (the layout Docker 25+ writes inside `docker save` archives). Blob paths come
 * from validated digests only, so a manifest cannot name a file outside `blobs/`.
 */
import { InputError } from '../../errors.js';
import { parseJsonObject } from '../bytes.js';
import { checkDigest, digestOf, hexOf } from '../digest.js';
import {
  type ByteStream,
  type Descriptor,
  type Digest,
  defaultReadLimits,
  type Image,
  isIndexMediaType,
  type Platform,
  type ReadLimits,
} from '../image.js';
import { chooseManifest, selectImage } from '../select.js';
import { type CoreOptions, type ImageCore, type IndexCore, imageFromCore, indexFromCore, validateIndex } from './core.js';

/** Named files, read-only. Paths use `/` and are relative to the layout root. */
export interface LayoutStore {
  readonly source: string;
  /** A small file's bytes (failing past `maxBytes`), or undefined when it does not exist. */
  readSmall(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /** A file as a stream; an InputError when it does not exist. */
  stream(path: string): Promise<ByteStream>;
  has(path: string): Promise<boolean>;
  close(): Promise<void>;
}

export function blobPath(digest: Digest): string {
  return `blobs/${digest.slice(0, digest.indexOf(':'))}/${hexOf(digest)}`;
}

/** Reads a small blob (manifest, config) by digest, bounded; a missing blob is an InputError. */
export async function readBlob(store: LayoutStore, digest: Digest, maxBytes: number, what: string): Promise<Uint8Array> {
  const bytes = await store.readSmall(blobPath(checkDigest(digest, what)), maxBytes);
  if (!bytes) throw new InputError(`${store.source}: ${what} ${digest} is missing from the layout`);
  return bytes;
}

function imageCore(store: LayoutStore, manifestDigest: Digest, limits: ReadLimits): ImageCore {
  let manifest: Promise<Uint8Array> | undefined;
  const rawManifest = () => {
    manifest ??= readBlob(store, manifestDigest, limits.maxJsonBytes, 'manifest');
    return manifest;
  };
  return {
    source: store.source,
    rawManifest,
    rawConfigFile: async () => {
      const parsed = parseJsonObject(await rawManifest(), `${store.source}: manifest`) as { config?: { digest?: unknown } };
      return readBlob(
        store,
        checkDigest(parsed.config?.digest, `${store.source}: manifest config`),
        limits.maxJsonBytes,
        'config',
      );
    },
    blob: async (digest) => store.stream(blobPath(checkDigest(digest, `${store.source}: layer`))),
    close: () => store.close(),
  };
}

function indexCore(store: LayoutStore, raw: () => Promise<Uint8Array>, limits: ReadLimits): IndexCore {
  return {
    source: store.source,
    rawManifest: raw,
    child: async (descriptor: Descriptor) =>
      isIndexMediaType(descriptor.mediaType)
        ? indexCore(store, () => readBlob(store, descriptor.digest, limits.maxJsonBytes, 'index'), limits)
        : imageCore(store, descriptor.digest, limits),
    close: () => store.close(),
  };
}

export interface LayoutSelector {
  /** `org.opencontainers.image.ref.name` (the TAG of `oci:DIR:TAG`), or a full image name Docker recorded. */
  tag?: string;
  /** Position in index.json (`oci:DIR:@N`). */
  sourceIndex?: number;
  platform?: Platform;
  /** Used when an index offers several platforms and none was asked for. */
  hostPlatform: Platform;
  limits?: Partial<ReadLimits>;
  zstd?: CoreOptions['zstd'];
}

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

function describe(descriptor: Descriptor): string {
  return descriptor.annotations?.[REF_NAME] ?? descriptor.annotations?.[CONTAINERD_NAME] ?? descriptor.digest;
}

/** Opens one image of an OCI layout held by `store`. */
export async function openLayout(store: LayoutStore, selector: LayoutSelector): Promise<Image> {
  const limits = { ...defaultReadLimits, ...selector.limits };
  const options: CoreOptions = { limits: selector.limits, zstd: selector.zstd };
  const marker = await store.readSmall('oci-layout', 4096);
  if (!marker) throw new InputError(`${store.source}: not an OCI image layout (no oci-layout file)`);
  const version = parseJsonObject(marker, `${store.source}: oci-layout`).imageLayoutVersion;
  if (typeof version !== 'string' || !version.startsWith('1.'))
    throw new InputError(`${store.source}: unsupported imageLayoutVersion ${JSON.stringify(version)}`);
  const rawIndex = await store.readSmall('index.json', limits.maxJsonBytes);
  if (!rawIndex) throw new InputError(`${store.source}: OCI layout without index.json`);
  const index = validateIndex(parseJsonObject(rawIndex, `${store.source}: index.json`), `${store.source}: index.json`);
  const descriptor = chooseTopLevel(index.manifests, selector, store.source);
  if (isIndexMediaType(descriptor.mediaType)) {
    const nested = indexFromCore(
      indexCore(store, () => readBlob(store, descriptor.digest, limits.maxJsonBytes, 'index'), limits),
      options,
    );
    return selectImage(await verifiedIndex(nested, descriptor), selector.platform, selector.hostPlatform);
  }
  const top = indexFromCore(
    indexCore(store, async () => rawIndex, limits),
    options,
  );
  return top.image(descriptor.digest);
}

/**
 * Opens the image whose manifest blob has `manifestDigest`, without going through index.json (docker-archive uses
 * this once manifest.json has chosen the image). The manifest's content is checked against the digest.
 */
export function openLayoutManifest(store: LayoutStore, manifestDigest: Digest, options: CoreOptions = {}): Image {
  const limits = { ...defaultReadLimits, ...options.limits };
  const core = imageCore(store, manifestDigest, limits);
  const rawManifest = async () => {
    const raw = await core.rawManifest();
    const actual = digestOf(raw, manifestDigest.startsWith('sha512:') ? 'sha512' : 'sha256');
    if (actual !== manifestDigest)
      throw new InputError(`${store.source}: manifest digest mismatch: content is ${actual}, expected ${manifestDigest}`);
    return raw;
  };
  return imageFromCore({ ...core, rawManifest }, options);
}

/** A nested index read by digest: the top-level index vouches for its digest; check it before trusting it. */
async function verifiedIndex<T extends { digest(): Promise<Digest>; source: string }>(
  index: T,
  descriptor: Descriptor,
): Promise<T> {
  const actual = await index.digest();
  if (actual !== descriptor.digest)
    throw new InputError(`${index.source}: index digest mismatch: content is ${actual}, expected ${descriptor.digest}`);
  return index;
}

function chooseTopLevel(manifests: Descriptor[], selector: LayoutSelector, source: string): Descriptor {
  if (selector.sourceIndex !== undefined) {
    const chosen = manifests[selector.sourceIndex];
    if (!chosen) throw new InputError(`${source}: no manifest @${selector.sourceIndex} (index.json lists ${manifests.length})`);
    return chosen;
  }
  if (selector.tag !== undefined) {
    const tag = selector.tag;
    const chosen = manifests.find(
      (d) =>
        d.annotations?.[REF_NAME] === tag ||
        d.annotations?.[CONTAINERD_NAME] === tag ||
        d.annotations?.[CONTAINERD_NAME]?.endsWith(`/${tag}`),
    );
    if (!chosen)
      throw new InputError(`${source}: no image tagged ${tag} (found: ${manifests.map(describe).join(', ') || 'none'})`);
    return chosen;
  }
  if (manifests.length === 1) return manifests[0];
  // Several entries: an image layout written per platform (each entry has a platform) is an implicit index.
  if (manifests.length > 1 && manifests.every((d) => d.platform && !isIndexMediaType(d.mediaType)))
    return chooseManifest(manifests, selector.platform, selector.hostPlatform, source);
  throw new InputError(
    `${source}: the layout holds ${manifests.length} images (${manifests.map(describe).join(', ')}); choose one with :TAG or :@INDEX`,
  );
}
