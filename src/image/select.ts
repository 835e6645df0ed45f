/** Choosing one image out of an index (multi-platform images, `--platform`), as `docker pull --platform` does. */
import { InputError } from '../errors.js';
import { type Descriptor, formatPlatform, type Image, type ImageIndex, isIndexMediaType, type Platform } from './image.js';

/** Attestation manifests (BuildKit provenance/SBOM) sit in indexes with an `unknown/unknown` platform: never images to run. */
export function isAttestation(descriptor: Descriptor): boolean {
  return (
    descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (descriptor.platform?.os === 'unknown' && descriptor.platform?.architecture === 'unknown')
  );
}

/** Whether `candidate` satisfies `wanted` (a missing variant in `wanted` matches any variant). */
export function platformMatches(candidate: Platform | undefined, wanted: Platform): boolean {
  if (!candidate) return false;
  if (candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  return !wanted.variant || candidate.variant === wanted.variant;
}

/**
 * The descriptor to use from an index: the one matching `wanted`, or — with no `wanted` — the only runnable image,
 * else the one matching `fallback` (the host's platform, passed in by the caller so that this stays pure).
 */
export function chooseManifest(
  manifests: Descriptor[],
  wanted: Platform | undefined,
  fallback: Platform,
  source: string,
): Descriptor {
  const runnable = manifests.filter((descriptor) => !isAttestation(descriptor));
  if (runnable.length === 0) throw new InputError(`${source}: the index lists no runnable image`);
  const available = runnable.map((descriptor) => (descriptor.platform ? formatPlatform(descriptor.platform) : '?')).join(', ');
  if (wanted) {
    const match = runnable.find((descriptor) => platformMatches(descriptor.platform, wanted));
    if (!match) throw new InputError(`${source}: no image for platform ${formatPlatform(wanted)} (available: ${available})`);
    return match;
  }
  if (runnable.length === 1) return runnable[0];
  const match = runnable.find((descriptor) => platformMatches(descriptor.platform, fallback));
  if (!match)
    throw new InputError(`${source}: several platforms (${available}) and none is ${formatPlatform(fallback)}: use --platform`);
  return match;
}

/** Resolves an index (recursively, for nested indexes) to one image. */
export async function selectImage(index: ImageIndex, wanted: Platform | undefined, fallback: Platform): Promise<Image> {
  const manifest = await index.indexManifest();
  const descriptor = chooseManifest(manifest.manifests, wanted, fallback, index.source);
  if (isIndexMediaType(descriptor.mediaType)) return selectImage(await index.imageIndex(descriptor.digest), wanted, fallback);
  return index.image(descriptor.digest);
}
