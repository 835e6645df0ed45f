/**
 * Which base images ship a system Python marked EXTERNALLY-MANAGED (PEP 668), judged from the image reference alone.
 * Debian marks it from 12 (bookworm), Ubuntu from 23.04 (lunar), Alpine from 3.19. Official `python` images build their
 * own Python under /usr/local and are not marked. Anything else is unknown: rules stay silent rather than guess.
 */

/** Debian code names from bookworm on (testing and unstable included). */
const debianManaged = new Set(['bookworm', 'trixie', 'forky', 'duke', 'sid', 'testing', 'unstable']);
const debianUnmanaged = new Set(['buster', 'bullseye', 'stretch', 'jessie', 'oldoldstable']);
/** Ubuntu code names from 23.04 on. */
const ubuntuManaged = new Set(['lunar', 'mantic', 'noble', 'oracular', 'plucky', 'questing', 'resolute', 'devel', 'rolling']);
const ubuntuUnmanaged = new Set(['xenial', 'bionic', 'focal', 'jammy', 'kinetic', 'trusty']);

/** Images named after the Debian release they are built on (`buildpack-deps:bookworm-curl`). */
const debianDerived = new Set(['debian', 'buildpack-deps']);

export interface ImageName {
  /** Repository without registry and without the `library/` prefix: `debian`, `ubuntu`, `myorg/tool`. */
  repository: string;
  /** The tag, or `latest` when none is given (a digest-only reference has tag ``). */
  tag: string;
}

/** Split `docker.io/library/debian:12-slim@sha256:…` into repository and tag. */
export function imageName(reference: string): ImageName {
  const withoutDigest = reference.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  let repository = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : reference.includes('@') ? '' : 'latest';
  const parts = repository.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  repository = parts.join('/').toLowerCase();
  return { repository, tag: tag.toLowerCase() };
}

function versionAtLeast(version: string, major: number, minor = 0): boolean | undefined {
  const match = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!match) return undefined;
  const [maj, min] = [Number(match[1]), Number(match[2] ?? 0)];
  return maj > major || (maj === major && min >= minor);
}

/** True when the image's system Python refuses `pip install` (PEP 668), false when it does not, undefined when unknown. */
export function externallyManagedPython(reference: string): boolean | undefined {
  const { repository, tag } = imageName(reference);
  const release = tag.split(/[-_]/)[0];
  if (debianDerived.has(repository)) {
    if (tag === 'latest' || tag === 'stable') return true;
    if (debianManaged.has(release)) return true;
    if (debianUnmanaged.has(release)) return false;
    return versionAtLeast(release, 12);
  }
  if (repository === 'ubuntu') {
    if (tag === 'latest') return true;
    if (ubuntuManaged.has(release)) return true;
    if (ubuntuUnmanaged.has(release)) return false;
    return versionAtLeast(release, 23, 4);
  }
  if (repository === 'alpine') {
    if (tag === 'latest' || tag === 'edge') return true;
    return versionAtLeast(release, 3, 19);
  }
  if (repository === 'python' || repository.endsWith('/python')) return false;
  return undefined;
}
