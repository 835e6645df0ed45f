/**
 * The one read-only view of a container image that every source returns and every analysis reads, in the style of
 * go-containerregistry's `pkg/v1`: getters that may do I/O (so they are async), plain data types for the JSON
 * documents, and layers exposed as byte streams so that nothing is ever buffered whole. Analysis never asks where an
 * image came from; a source implements only the small core in `sources/core.ts` and gets the rest from there.
 */

/** A byte stream: a Node Readable, an async generator, anything `for await` can drain. Breaking out cancels it. */
export type ByteStream = AsyncIterable<Uint8Array>;

/** `algorithm:hex`, e.g. `sha256:e3b0…`. Only sha256 and sha512 are accepted by the sources. */
export type Digest = string;

/** OCI / Docker media types that the sources understand. */
export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** How a layer blob is compressed, as sniffed from its first bytes (the media type is only a hint). */
export type Compression = 'none' | 'gzip' | 'zstd';

/** os/architecture[/variant] of an image or a manifest in an index. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

/** A content descriptor: what a manifest or index says about a blob it points to. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

/** An image manifest (OCI v1 or Docker schema 2; the two have the same shape). */
export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An image index (OCI) or manifest list (Docker): one manifest per platform, sometimes attestations too. */
export interface IndexManifest {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** One entry of the config's history: what built a layer (or a metadata-only step when `empty_layer`). */
export interface History {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** The runtime part of an image config (Docker's `container_config`/`config`). */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Shell?: string[];
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
  OnBuild?: string[] | null;
  [key: string]: unknown;
}

/** The image config blob (OCI image config / Docker image JSON). */
export interface ConfigFile {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  created?: string;
  author?: string;
  config?: ContainerConfig;
  rootfs: { type: string; diff_ids: Digest[] };
  history?: History[];
  [key: string]: unknown;
}

/** One layer of an image: its blob as stored (compressed) and as a tar (uncompressed), both as verified streams. */
export interface Layer {
  /** Digest of the blob as stored (compressed). Equals `diffId()` for uncompressed layers. */
  digest(): Promise<Digest>;
  /** Digest of the uncompressed tar, as listed in the config's `rootfs.diff_ids`. */
  diffId(): Promise<Digest>;
  /** Size of the blob as stored, in bytes. */
  size(): Promise<number>;
  mediaType(): Promise<string>;
  /** How the stored blob is compressed (sniffed from its first bytes). */
  compression(): Promise<Compression>;
  /** The blob as stored; its size and digest are checked as it streams (a mismatch fails the stream's end). */
  compressed(): Promise<ByteStream>;
  /**
   * The layer tar; the diff ID is checked as it streams, and decompression is bounded (see ReadLimits).
   * `onStoredBytes` reports progress in bytes of the stored blob (whose total is `size()`), for progress bars.
   */
  uncompressed(options?: { onStoredBytes?: (bytes: number) => void }): Promise<ByteStream>;
}

/** A single-platform image. */
export interface Image {
  /** Where the image came from, for messages: `docker-archive:/tmp/a.tar`, `oci:dir:tag`, … */
  readonly source: string;
  mediaType(): Promise<string>;
  /** Digest of the raw manifest (for docker-archive legacy layouts, of the manifest synthesised from it). */
  digest(): Promise<Digest>;
  rawManifest(): Promise<Uint8Array>;
  manifest(): Promise<Manifest>;
  /** Digest of the config blob: the image ID that `docker images` shows. */
  configName(): Promise<Digest>;
  rawConfigFile(): Promise<Uint8Array>;
  configFile(): Promise<ConfigFile>;
  /** The layers, lowest first, one per manifest layer (= one per config diff ID). */
  layers(): Promise<Layer[]>;
  layerByDigest(digest: Digest): Promise<Layer>;
  layerByDiffId(diffId: Digest): Promise<Layer>;
  /** Size of the manifest in bytes. */
  size(): Promise<number>;
  /** Releases files, sockets or temporary files the source holds. Safe to call twice. */
  close(): Promise<void>;
}

/** A multi-platform image index (or Docker manifest list). */
export interface ImageIndex {
  readonly source: string;
  mediaType(): Promise<string>;
  digest(): Promise<Digest>;
  rawManifest(): Promise<Uint8Array>;
  indexManifest(): Promise<IndexManifest>;
  image(digest: Digest): Promise<Image>;
  imageIndex(digest: Digest): Promise<ImageIndex>;
  close(): Promise<void>;
}

/** Limits that keep a hostile image from exhausting memory or time. All sources accept them. */
export interface ReadLimits {
  /** Largest manifest, index or config JSON accepted, in bytes (default 8 MiB). */
  maxJsonBytes: number;
  /** Largest uncompressed size of one layer, in bytes (default 64 GiB). */
  maxLayerBytes: number;
  /** Largest expansion ratio uncompressed/compressed once past `ratioGraceBytes` (default 1100: gzip's best is 1032). */
  maxRatio: number;
  /** Output allowed before the ratio is enforced (default 64 MiB), so that tiny layers of zeros pass. */
  ratioGraceBytes: number;
}

export const defaultReadLimits: ReadLimits = {
  maxJsonBytes: 8 * 1024 * 1024,
  maxLayerBytes: 64 * 1024 ** 3,
  maxRatio: 1100,
  ratioGraceBytes: 64 * 1024 * 1024,
};

/** Whether a media type names an image index / manifest list rather than a single image manifest. */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerManifestList;
}

/** Whether a media type names a single image manifest. */
export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociManifest || mediaType === MediaTypes.dockerManifest;
}

/** `os/arch[/variant]`, as `--platform` takes it and `docker` prints it. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Parses `os/arch[/variant]`; undefined when malformed. */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === '')) return undefined;
  const [os, architecture, variant] = parts;
  return variant ? { os, architecture, variant } : { os, architecture };
}
