/**
 * Images in a registry (`docker://HOST/REPO:TAG` or a bare reference), read through the OCI distribution API:
 * the manifest is fetched once (by digest when the reference has one), an index is resolved to one platform
 * (`--platform`, else the host's, as `docker pull` does), and the config and layers are streamed on demand. This file
 * only implements the core (raw manifest, raw config, blob by digest); sources/core.ts verifies and decodes.
 */
import { InputError } from '../../errors.js';
import { readAll } from '../bytes.js';
import { algorithmOf, digestOf } from '../digest.js';
import { type Descriptor, defaultReadLimits, type Image, type ImageIndex, isIndexMediaType, type Platform } from '../image.js';
import { type DockerReference, familiarReference, manifestReference, parseImageRef } from '../ref.js';
import { selectImage } from '../select.js';
import { type CoreOptions, type ImageCore, type IndexCore, imageFromCore, indexFromCore } from './core.js';
import { type FetchedManifest, RegistryClient, type RegistryClientOptions } from './registry/client.js';
import { hostPlatform } from './registry/platform.js';

export interface RegistryImageOptions extends RegistryClientOptions, CoreOptions {
  /** The platform to pick from a multi-platform index (`--platform os/arch[/variant]`); default: the host's. */
  platform?: Platform;
  /** Override the host platform used when no platform is asked for (tests). */
  defaultPlatform?: Platform;
  /** A client to reuse (its token cache); default: a new one for the reference's registry. */
  client?: RegistryClient;
}

interface Location {
  client: RegistryClient;
  repository: string;
  maxJsonBytes: number;
}

function sourceName(reference: DockerReference): string {
  return `docker://${familiarReference(reference)}`;
}

function imageCore(location: Location, fetched: FetchedManifest, source: string): ImageCore {
  return {
    source,
    rawManifest: async () => fetched.bytes,
    mediaType: async () => fetched.mediaType,
    rawConfigFile: async () => {
      const manifest = JSON.parse(Buffer.from(fetched.bytes).toString('utf8')) as { config?: Descriptor };
      const digest = manifest.config?.digest;
      if (typeof digest !== 'string') throw new InputError(`${source}: manifest has no config digest`);
      return readAll(await location.client.blob(location.repository, digest), location.maxJsonBytes, `${source}: config`);
    },
    blob: (digest) => location.client.blob(location.repository, digest),
  };
}

function indexCore(location: Location, fetched: FetchedManifest, source: string): IndexCore {
  return {
    source,
    rawManifest: async () => fetched.bytes,
    child: async (descriptor) => {
      const child = await location.client.manifest(location.repository, descriptor.digest);
      const childSource = `${source.replace(/@sha\d+:[0-9a-f]+$/, '')}@${descriptor.digest}`;
      return isIndexMediaType(child.mediaType)
        ? indexCore(location, child, childSource)
        : imageCore(location, child, childSource);
    },
  };
}

/** Fetches the manifest a reference names, checking its digest when the reference pins one. */
async function fetchTop(reference: DockerReference, options: RegistryImageOptions) {
  const client = options.client ?? new RegistryClient(reference.domain, options);
  const location: Location = {
    client,
    repository: reference.path,
    maxJsonBytes: options.limits?.maxJsonBytes ?? defaultReadLimits.maxJsonBytes,
  };
  const fetched = await client.manifest(reference.path, manifestReference(reference));
  if (reference.digest) {
    const actual = digestOf(fetched.bytes, algorithmOf(reference.digest));
    if (actual !== reference.digest)
      throw new InputError(
        `${sourceName(reference)}: manifest digest mismatch: content is ${actual}, expected ${reference.digest}`,
      );
  }
  return { location, fetched };
}

/** `docker://REF` or a bare reference (what the CLI passes on for registry images). */
function registryReference(text: string): DockerReference {
  const parsed = parseImageRef(text);
  if (parsed.transport !== 'docker') throw new InputError(`${text}: not a registry reference (use docker://HOST/REPO:TAG)`);
  return parsed.reference;
}

/**
 * Opens a registry image or index as it is stored: an ImageIndex for indexes and manifest lists, an Image otherwise.
 */
export async function openRegistry(
  reference: DockerReference | string,
  options: RegistryImageOptions = {},
): Promise<Image | ImageIndex> {
  const ref = typeof reference === 'string' ? registryReference(reference) : reference;
  const { location, fetched } = await fetchTop(ref, options);
  const source = sourceName(ref);
  if (isIndexMediaType(fetched.mediaType)) return indexFromCore(indexCore(location, fetched, source), options);
  return imageFromCore(imageCore(location, fetched, source), options);
}

/** Opens one image from a registry, choosing the platform from an index (`options.platform`, else the host's). */
export async function openRegistryImage(reference: DockerReference | string, options: RegistryImageOptions = {}): Promise<Image> {
  const opened = await openRegistry(reference, options);
  if (!('indexManifest' in opened)) return opened;
  return selectImage(opened, options.platform, options.defaultPlatform ?? hostPlatform());
}
