/**
 * From a small core to a full Image (go-containerregistry's `partial`): a source only says how to get the raw
 * manifest, the raw config and a blob by digest; everything else — parsing and validating the documents, config
 * digest check, diff IDs, sniffing gzip/zstd, decompression with bounds, digest and size verification while
 * streaming — is done here, once, for every source.
 */
import { InputError } from '../../errors.js';
import { parseJsonObject } from '../bytes.js';
import { decompress, peek, sniffCompression, type ZstdBackend } from '../decompress.js';
import { checkDigest, digestOf, verified } from '../digest.js';
import {
  type ByteStream,
  type Compression,
  type ConfigFile,
  type Descriptor,
  type Digest,
  defaultReadLimits,
  type Image,
  type ImageIndex,
  type IndexManifest,
  isIndexMediaType,
  type Layer,
  type Manifest,
  MediaTypes,
  type ReadLimits,
} from '../image.js';

/** What a source of single images must provide. Optional members are extras that callers probe with `in`. */
export interface ImageCore {
  /** Where the image came from, for messages (`docker-archive:/tmp/a.tar`). */
  readonly source: string;
  /** The manifest bytes exactly as stored (their digest is the image digest). Reads must be bounded. */
  rawManifest(): Promise<Uint8Array>;
  /** The config blob bytes exactly as stored. Reads must be bounded. Core checks them against the manifest. */
  rawConfigFile(): Promise<Uint8Array>;
  /** A blob as stored, by digest. Core verifies digest and size as it streams; the source need not. */
  blob(digest: Digest): Promise<ByteStream>;
  /** Extra: the manifest media type when the manifest itself does not say (Docker v2 manifests always do). */
  mediaType?(): Promise<string>;
  /** Extra: releases what the source holds. */
  close?(): Promise<void>;
}

/** What a source of image indexes must provide. */
export interface IndexCore {
  readonly source: string;
  rawManifest(): Promise<Uint8Array>;
  /** The core of a child image or index, from the descriptor the index lists. */
  child(descriptor: Descriptor): Promise<ImageCore | IndexCore>;
  close?(): Promise<void>;
}

export interface CoreOptions {
  limits?: Partial<ReadLimits>;
  /** Force a zstd backend (tests). */
  zstd?: ZstdBackend;
}

/** Builds the full Image over a source's core. Documents are parsed lazily and once. */
export function imageFromCore(core: ImageCore, options: CoreOptions = {}): Image {
  return new CoreImage(core, options);
}

/** Builds the full ImageIndex over a source's index core. */
export function indexFromCore(core: IndexCore, options: CoreOptions = {}): ImageIndex {
  return new CoreIndex(core, options);
}

/** Whether a child core is an index core (it has `child`) rather than an image core. */
export function isIndexCore(core: ImageCore | IndexCore): core is IndexCore {
  return 'child' in core;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

/** Refuses a manifest or index over the JSON size bound before anything parses it. */
function boundedJson<T extends { length: number }>(raw: T, limits: ReadLimits, what: string): T {
  if (raw.length > limits.maxJsonBytes) throw new InputError(`${what} larger than the ${limits.maxJsonBytes}-byte limit`);
  return raw;
}

class CoreImage implements Image {
  readonly source: string;
  private readonly limits: ReadLimits;

  constructor(
    private readonly core: ImageCore,
    private readonly options: CoreOptions,
  ) {
    this.source = core.source;
    this.limits = { ...defaultReadLimits, ...options.limits };
  }

  rawManifest = once(async () => boundedJson(await this.core.rawManifest(), this.limits, `${this.source}: manifest`));

  manifest = once(async () =>
    validateManifest(parseJsonObject(await this.rawManifest(), `${this.source}: manifest`), this.source),
  );

  async mediaType(): Promise<string> {
    const manifest = await this.manifest();
    if (manifest.mediaType) return manifest.mediaType;
    if (this.core.mediaType) return this.core.mediaType();
    return MediaTypes.ociManifest;
  }

  async digest(): Promise<Digest> {
    return digestOf(await this.rawManifest());
  }

  async size(): Promise<number> {
    return (await this.rawManifest()).length;
  }

  async configName(): Promise<Digest> {
    return (await this.manifest()).config.digest;
  }

  rawConfigFile = once(async () => {
    const { config } = await this.manifest();
    const raw = await this.core.rawConfigFile();
    if (raw.length > this.limits.maxJsonBytes)
      throw new InputError(`${this.source}: config larger than the ${this.limits.maxJsonBytes}-byte limit`);
    const actual = digestOf(raw, config.digest.startsWith('sha512:') ? 'sha512' : 'sha256');
    if (actual !== config.digest)
      throw new InputError(`${this.source}: config digest mismatch: content is ${actual}, the manifest says ${config.digest}`);
    return raw;
  });

  configFile = once(async () =>
    validateConfig(parseJsonObject(await this.rawConfigFile(), `${this.source}: config`), this.source),
  );

  layers = once(async (): Promise<Layer[]> => {
    const manifest = await this.manifest();
    const config = await this.configFile();
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length)
      throw new InputError(
        `${this.source}: the manifest lists ${manifest.layers.length} layers but the config has ${diffIds.length} diff IDs`,
      );
    return manifest.layers.map(
      (descriptor, index) => new CoreLayer(this.core, descriptor, diffIds[index], index, this.limits, this.options.zstd),
    );
  });

  async layerByDigest(digest: Digest): Promise<Layer> {
    for (const layer of await this.layers()) if ((await layer.digest()) === digest) return layer;
    throw new InputError(`${this.source}: no layer with digest ${digest}`);
  }

  async layerByDiffId(diffId: Digest): Promise<Layer> {
    for (const layer of await this.layers()) if ((await layer.diffId()) === diffId) return layer;
    throw new InputError(`${this.source}: no layer with diff ID ${diffId}`);
  }

  async close(): Promise<void> {
    await this.core.close?.();
  }
}

class CoreLayer implements Layer {
  private readonly what: string;

  constructor(
    private readonly core: ImageCore,
    private readonly descriptor: Descriptor,
    private readonly diff: Digest,
    index: number,
    private readonly limits: ReadLimits,
    private readonly zstd: ZstdBackend | undefined,
  ) {
    this.what = `${core.source}: layer ${index + 1} (${descriptor.digest})`;
  }

  async digest(): Promise<Digest> {
    return this.descriptor.digest;
  }

  async diffId(): Promise<Digest> {
    return this.diff;
  }

  async size(): Promise<number> {
    return this.descriptor.size;
  }

  async mediaType(): Promise<string> {
    return this.descriptor.mediaType;
  }

  async compressed(): Promise<ByteStream> {
    return verified(await this.core.blob(this.descriptor.digest), {
      digest: this.descriptor.digest,
      size: this.descriptor.size,
      what: this.what,
    });
  }

  async compression(): Promise<Compression> {
    const { head, rest } = await peek(await this.core.blob(this.descriptor.digest), 4);
    await (rest as AsyncGenerator<Uint8Array>).return(undefined);
    return sniffCompression(head);
  }

  async uncompressed(options: { onStoredBytes?: (bytes: number) => void } = {}): Promise<ByteStream> {
    const stored = await this.compressed();
    const { onStoredBytes } = options;
    const counted = onStoredBytes
      ? (async function* () {
          for await (const chunk of stored) {
            onStoredBytes(chunk.length);
            yield chunk;
          }
        })()
      : stored;
    const { head, rest } = await peek(counted, 4);
    const compression = sniffCompression(head);
    const tar = decompress(rest, compression, { what: this.what, limits: this.limits, zstd: this.zstd });
    // An uncompressed blob's digest is its diff ID, already checked by compressed(): hash once, not twice.
    if (compression === 'none' && this.diff === this.descriptor.digest) return tar;
    return verified(tar, { digest: this.diff, what: `${this.what}: uncompressed` });
  }
}

class CoreIndex implements ImageIndex {
  readonly source: string;
  private readonly limits: ReadLimits;

  constructor(
    private readonly core: IndexCore,
    private readonly options: CoreOptions,
  ) {
    this.source = core.source;
    this.limits = { ...defaultReadLimits, ...options.limits };
  }

  rawManifest = once(async () => boundedJson(await this.core.rawManifest(), this.limits, `${this.source}: index`));

  indexManifest = once(async () =>
    validateIndex(parseJsonObject(await this.rawManifest(), `${this.source}: index`), this.source),
  );

  async mediaType(): Promise<string> {
    return (await this.indexManifest()).mediaType ?? MediaTypes.ociIndex;
  }

  async digest(): Promise<Digest> {
    return digestOf(await this.rawManifest());
  }

  private async childCore(digest: Digest): Promise<ImageCore | IndexCore> {
    const descriptor = (await this.indexManifest()).manifests.find((entry) => entry.digest === digest);
    if (!descriptor) throw new InputError(`${this.source}: the index lists no manifest ${digest}`);
    return verifiedChild(await this.core.child(descriptor), descriptor);
  }

  async image(digest: Digest): Promise<Image> {
    const child = await this.childCore(digest);
    if (isIndexCore(child)) throw new InputError(`${this.source}: ${digest} is an index, not an image`);
    return imageFromCore(child, this.options);
  }

  async imageIndex(digest: Digest): Promise<ImageIndex> {
    const child = await this.childCore(digest);
    if (!isIndexCore(child)) throw new InputError(`${this.source}: ${digest} is an image, not an index`);
    return indexFromCore(child, this.options);
  }

  async close(): Promise<void> {
    await this.core.close?.();
  }
}

/** Wraps a child core so that its raw manifest is checked against the descriptor that named it. */
function verifiedChild(child: ImageCore | IndexCore, descriptor: Descriptor): ImageCore | IndexCore {
  const rawManifest = async () => {
    const raw = await child.rawManifest();
    const actual = digestOf(raw, descriptor.digest.startsWith('sha512:') ? 'sha512' : 'sha256');
    if (actual !== descriptor.digest)
      throw new InputError(`${child.source}: manifest digest mismatch: content is ${actual}, expected ${descriptor.digest}`);
    return raw;
  };
  // Keep the prototype's methods bound to the original object; only the manifest read is intercepted.
  return new Proxy(child, {
    get(target, key, receiver) {
      if (key === 'rawManifest') return rawManifest;
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// ── Validation of the documents: clear errors instead of undefined-property crashes deep in analysis. ──

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateDescriptor(value: unknown, what: string): Descriptor {
  if (!isObject(value)) throw new InputError(`${what}: expected a descriptor object`);
  checkDigest(value.digest, what);
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0)
    throw new InputError(`${what}: descriptor size must be a non-negative integer`);
  if (typeof value.mediaType !== 'string') throw new InputError(`${what}: descriptor has no mediaType`);
  return value as unknown as Descriptor;
}

export function validateManifest(value: Record<string, unknown>, source: string): Manifest {
  if (isIndexMediaType(value.mediaType as string | undefined) || Array.isArray(value.manifests))
    throw new InputError(`${source}: expected an image manifest but found an index (choose a platform)`);
  if (value.schemaVersion !== 2) throw new InputError(`${source}: manifest schemaVersion must be 2`);
  validateDescriptor(value.config, `${source}: manifest config`);
  if (!Array.isArray(value.layers)) throw new InputError(`${source}: manifest has no layers array`);
  for (const [index, layer] of value.layers.entries()) validateDescriptor(layer, `${source}: manifest layer ${index + 1}`);
  return value as unknown as Manifest;
}

export function validateIndex(value: Record<string, unknown>, source: string): IndexManifest {
  if (value.schemaVersion !== 2) throw new InputError(`${source}: index schemaVersion must be 2`);
  if (!Array.isArray(value.manifests)) throw new InputError(`${source}: index has no manifests array`);
  for (const [index, entry] of value.manifests.entries()) validateDescriptor(entry, `${source}: index entry ${index + 1}`);
  return value as unknown as IndexManifest;
}

export function validateConfig(value: Record<string, unknown>, source: string): ConfigFile {
  const rootfs = value.rootfs;
  if (!isObject(rootfs) || !Array.isArray(rootfs.diff_ids)) throw new InputError(`${source}: config has no rootfs.diff_ids`);
  for (const [index, diffId] of rootfs.diff_ids.entries()) checkDigest(diffId, `${source}: config diff ID ${index + 1}`);
  if (value.history !== undefined && !Array.isArray(value.history))
    throw new InputError(`${source}: config history must be an array`);
  if (Array.isArray(value.history) && value.history.some((entry) => !isObject(entry)))
    throw new InputError(`${source}: config history entries must be objects`);
  return value as unknown as ConfigFile;
}
