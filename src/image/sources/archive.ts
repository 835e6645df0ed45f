/**
 * `docker-archive:PATH[:REF|:@INDEX]`: the tar `docker save` writes, in both layouts — the legacy one
 * (`manifest.json` + `<id>/layer.tar` + `<id>.json`, Docker ≤ 24) and the OCI layout inside the tar that Docker 25+
 * writes (`index.json`, `blobs/sha256/…`, plus a `manifest.json` pointing into `blobs/`). The archive is indexed by
 * seeking from header to header and blobs are streamed straight from their offsets: nothing is unpacked to disk and
 * nothing is read twice.
 */
import { InputError } from '../../errors.js';
import { parseJson, parseJsonObject, readAll } from '../bytes.js';
import type { ZstdBackend } from '../decompress.js';
import { sniffCompression } from '../decompress.js';
import { digestOf, digestStream, isDigest } from '../digest.js';
import { type Digest, defaultReadLimits, type Image, MediaTypes, type Platform, type ReadLimits } from '../image.js';
import { type DockerReference, familiarReference, parseDockerReference } from '../ref.js';
import type { TarHeader } from '../tar/header.js';
import { indexTar } from '../tar/index.js';
import { type CoreOptions, imageFromCore, validateIndex } from './core.js';
import { fileRange, hostPlatform, openRandomAccess } from './files.js';
import { type LayoutStore, openLayout, openLayoutManifest, readBlob } from './layout.js';

export interface ArchiveOptions {
  /** Which image of a multi-image archive (matched against RepoTags). */
  reference?: DockerReference;
  /** Position in manifest.json (`:@N`). */
  sourceIndex?: number;
  platform?: Platform;
  limits?: Partial<ReadLimits>;
  zstd?: ZstdBackend;
  /** How to name the archive in messages (default `docker-archive:PATH`). */
  source?: string;
  /** Called when the image is closed (the daemon source removes its temporary file here). */
  onClose?: () => Promise<void>;
}

interface LegacyEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Normalises a member name (`./a//b` → `a/b`), refusing names that leave the archive root. */
export function memberPath(name: string, what: string): string {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (name.startsWith('/') || parts.includes('..')) throw new InputError(`${what}: ${name} points outside the archive`);
  return parts.join('/');
}

/** A tar file's members as a layout store: lookups by name, reads at the recorded offsets. */
function tarStore(path: string, members: Map<string, TarHeader>, source: string, close: () => Promise<void>): LayoutStore {
  const file = (name: string) => {
    const member = members.get(name);
    return member && member.type === 'file' ? member : undefined;
  };
  return {
    source,
    async readSmall(name, maxBytes) {
      const member = file(name);
      if (!member) return undefined;
      if (member.size > maxBytes) throw new InputError(`${source}: ${name} is larger than the ${maxBytes}-byte limit`);
      return readAll(fileRange(path, member.dataOffset, member.size), maxBytes, `${source}: ${name}`);
    },
    async stream(name) {
      const member = file(name);
      if (!member) throw new InputError(`${source}: ${name} is missing from the archive`);
      return fileRange(path, member.dataOffset, member.size);
    },
    async has(name) {
      return file(name) !== undefined;
    },
    close,
  };
}

export async function openDockerArchive(path: string, options: ArchiveOptions = {}): Promise<Image> {
  const source = options.source ?? `docker-archive:${path}`;
  const limits = { ...defaultReadLimits, ...options.limits };
  const file = await openRandomAccess(path, source);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await file.handle.close();
    await options.onClose?.();
  };
  try {
    const members = new Map<string, TarHeader>();
    for (const header of await indexTar(file, source, 1_000_000)) {
      const name = memberPath(header.name, source);
      if (members.has(name) && header.type !== 'directory') throw new InputError(`${source}: duplicate member ${name}`);
      members.set(name, header);
    }
    const store = tarStore(path, members, source, close);
    const coreOptions: CoreOptions = { limits: options.limits, zstd: options.zstd };
    const manifestJson = await store.readSmall('manifest.json', limits.maxJsonBytes);
    if (!manifestJson) {
      if (await store.has('index.json'))
        return await openLayout(store, {
          tag: options.reference ? familiarReference(options.reference) : undefined,
          sourceIndex: options.sourceIndex,
          platform: options.platform,
          hostPlatform: hostPlatform(),
          ...coreOptions,
        });
      throw new InputError(`${source}: not a docker save archive (no manifest.json or index.json)`);
    }
    const entry = chooseEntry(parseLegacyManifest(manifestJson, source), options, source);
    const configPath = memberPath(entry.Config, `${source}: manifest.json`);
    const rawConfig = await store.readSmall(configPath, limits.maxJsonBytes);
    if (!rawConfig) throw new InputError(`${source}: manifest.json names config ${configPath}, which the archive lacks`);
    const configDigest = digestFromPath(configPath) ?? digestOf(rawConfig);
    // Docker 25+: the same image as a real OCI manifest in blobs/ — prefer it (true digests and media types).
    const ociManifest = await findOciManifest(store, configDigest, limits.maxJsonBytes);
    if (ociManifest) return openLayoutManifest(store, ociManifest, coreOptions);
    return await legacyImage(store, members, path, entry, configPath, configDigest, coreOptions);
  } catch (error) {
    await close();
    throw error;
  }
}

function parseLegacyManifest(bytes: Uint8Array, source: string): LegacyEntry[] {
  const value = parseJson(bytes, `${source}: manifest.json`);
  const valid =
    Array.isArray(value) &&
    value.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.Config === 'string' &&
        Array.isArray(entry.Layers) &&
        entry.Layers.every((layer: unknown) => typeof layer === 'string') &&
        (entry.RepoTags == null ||
          (Array.isArray(entry.RepoTags) && entry.RepoTags.every((tag: unknown) => typeof tag === 'string'))),
    );
  if (!valid) throw new InputError(`${source}: manifest.json is not a list of {Config, RepoTags, Layers}`);
  if (value.length === 0) throw new InputError(`${source}: manifest.json lists no images`);
  return value as LegacyEntry[];
}

function sameReference(tag: string, wanted: DockerReference): boolean {
  try {
    const parsed = parseDockerReference(tag);
    return parsed.domain === wanted.domain && parsed.path === wanted.path && parsed.tag === wanted.tag;
  } catch {
    return false;
  }
}

function chooseEntry(entries: LegacyEntry[], options: ArchiveOptions, source: string): LegacyEntry {
  const names = entries.map((entry, i) => entry.RepoTags?.join(' ') || `@${i}`).join(', ');
  if (options.sourceIndex !== undefined) {
    const entry = entries[options.sourceIndex];
    if (!entry) throw new InputError(`${source}: no image @${options.sourceIndex} (the archive holds ${entries.length})`);
    return entry;
  }
  const wanted = options.reference;
  if (wanted) {
    const entry = entries.find((candidate) => candidate.RepoTags?.some((tag) => sameReference(tag, wanted)));
    if (!entry) throw new InputError(`${source}: no image tagged ${familiarReference(wanted)} (found: ${names})`);
    return entry;
  }
  if (entries.length === 1) return entries[0];
  throw new InputError(`${source}: the archive holds ${entries.length} images (${names}); choose one with :REF or :@INDEX`);
}

/** `blobs/sha256/<hex>` or `<hex>.json` name their content's digest; anything else must be hashed. */
function digestFromPath(path: string): Digest | undefined {
  const blob = /^blobs\/(sha256|sha512)\/([a-f0-9]+)$/.exec(path);
  if (blob && isDigest(`${blob[1]}:${blob[2]}`)) return `${blob[1]}:${blob[2]}`;
  const legacy = /^([a-f0-9]{64})\.json$/.exec(path);
  return legacy ? `sha256:${legacy[1]}` : undefined;
}

/** The digest of the OCI manifest in the archive whose config is `configDigest`, if the archive has an OCI layout. */
async function findOciManifest(store: LayoutStore, configDigest: Digest, maxJson: number): Promise<Digest | undefined> {
  const rawIndex = await store.readSmall('index.json', maxJson);
  if (!rawIndex) return undefined;
  const index = validateIndex(parseJsonObject(rawIndex, `${store.source}: index.json`), `${store.source}: index.json`);
  const pending = [...index.manifests];
  for (let visited = 0; pending.length > 0 && visited < 1000; visited += 1) {
    const descriptor = pending.shift();
    if (!descriptor || !(await store.has(`blobs/sha256/${descriptor.digest.slice(7)}`))) continue;
    const raw = await readBlob(store, descriptor.digest, maxJson, 'manifest');
    const value = parseJsonObject(raw, `${store.source}: ${descriptor.digest}`) as {
      manifests?: typeof index.manifests;
      config?: { digest?: string };
    };
    if (Array.isArray(value.manifests)) pending.push(...value.manifests);
    else if (value.config?.digest === configDigest) return descriptor.digest;
  }
  return undefined;
}

/** The legacy layout: synthesise the manifest Docker would have pushed, from manifest.json and the layer files. */
async function legacyImage(
  store: LayoutStore,
  members: Map<string, TarHeader>,
  path: string,
  entry: LegacyEntry,
  configPath: string,
  configDigest: Digest,
  options: CoreOptions,
): Promise<Image> {
  const source = store.source;
  const rawConfig = (await store.readSmall(configPath, Number.MAX_SAFE_INTEGER)) as Uint8Array;
  const config = parseJsonObject(rawConfig, `${source}: config`) as { rootfs?: { diff_ids?: unknown } };
  const diffIds = Array.isArray(config.rootfs?.diff_ids) ? (config.rootfs.diff_ids as unknown[]) : [];
  const blobs = new Map<Digest, TarHeader>();
  const layers = [];
  for (const [i, layerName] of entry.Layers.entries()) {
    const layerPath = memberPath(layerName, `${source}: manifest.json`);
    const member = members.get(layerPath);
    if (member?.type !== 'file')
      throw new InputError(`${source}: manifest.json names layer ${layerPath}, which the archive lacks`);
    const head = await readAll(fileRange(path, member.dataOffset, Math.min(4, member.size)), 4, source);
    const compression = sniffCompression(head);
    const diffId = diffIds[i];
    // An uncompressed layer's digest is its diff ID (checked while streaming); a compressed one must be hashed.
    const digest =
      digestFromPath(layerPath) ??
      (compression === 'none' && isDigest(diffId)
        ? diffId
        : (await digestStream(fileRange(path, member.dataOffset, member.size))).digest);
    blobs.set(digest, member);
    const mediaType =
      compression === 'gzip'
        ? MediaTypes.dockerLayerGzip
        : compression === 'zstd'
          ? MediaTypes.ociLayerZstd
          : MediaTypes.dockerLayer;
    layers.push({ mediaType, digest, size: member.size });
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.dockerManifest,
      config: { mediaType: MediaTypes.dockerConfig, digest: configDigest, size: rawConfig.length },
      layers,
    }),
  );
  return imageFromCore(
    {
      source,
      rawManifest: async () => manifest,
      rawConfigFile: async () => rawConfig,
      blob: async (digest) => {
        const member = blobs.get(digest);
        if (!member) throw new InputError(`${source}: no layer ${digest} in the archive`);
        return fileRange(path, member.dataOffset, member.size);
      },
      close: () => store.close(),
    },
    options,
  );
}
