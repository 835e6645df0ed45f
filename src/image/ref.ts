/**
 * Image references, as skopeo spells them (`docker-archive:`, `oci:`, `docker://`, `docker-daemon:`), plus bare Docker
 * references (`ubuntu`, `host:5000/a/b@sha256:…`) normalised exactly as Docker does — the rules of
 * distribution/reference's `ParseNormalizedNamed` + `TagNameOnly`: Docker Hub is `docker.io` (API host
 * `registry-1.docker.io`), single names live under `library/`, a first component is a registry host only when it
 * contains `.` or `:`, is `localhost`, or has upper case; no tag and no digest means `latest`. Pure.
 */
import { InputError } from '../errors.js';

/** A normalised Docker reference: `docker.io/library/ubuntu:latest`. */
export interface DockerReference {
  /** Registry host as written in references (`docker.io`, `localhost:5000`, `[::1]:5000`). */
  domain: string;
  /** Repository path inside the registry (`library/ubuntu`). */
  path: string;
  /** The tag; `latest` when neither tag nor digest was given. May be present together with `digest`. */
  tag?: string;
  /** `algorithm:hex`. When present the image is fetched by digest and the tag is only informative (as Docker does). */
  digest?: string;
}

export type ImageRef =
  | { transport: 'docker'; reference: DockerReference }
  | { transport: 'docker-archive'; path: string; reference?: DockerReference; sourceIndex?: number }
  | { transport: 'oci'; path: string; tag?: string; sourceIndex?: number }
  | { transport: 'docker-daemon'; reference?: DockerReference; id?: string };

export const DOCKER_HUB_DOMAIN = 'docker.io';
const LEGACY_HUB_DOMAIN = 'index.docker.io';
/** The host that actually serves Docker Hub's registry API. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const OFFICIAL_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';
const MAX_PATH_LENGTH = 255;

// The grammar of distribution/reference (regexp.go), rebuilt from its productions.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const NAME = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;

/** The digest algorithms go-digest registers, with their hex lengths; anything else is refused as Docker does. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

function fail(text: string, why: string): never {
  throw new InputError(`invalid image reference "${text}": ${why}`);
}

/** Checks a digest as go-digest's `Parse` does: a known algorithm and lower-case hex of the right length. */
function checkReferenceDigest(digest: string, text: string): void {
  const [algorithm, hex] = digest.split(':', 2);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) fail(text, `unsupported digest algorithm ${algorithm}`);
  if (hex.length !== length) fail(text, `invalid checksum digest length (${algorithm} needs ${length} hex digits)`);
  if (!/^[a-f0-9]+$/.test(hex)) fail(text, 'invalid checksum digest format (lower-case hex expected)');
}

/** Splits the registry host from the rest as Docker's `splitDockerDomain` does. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { domain: DOCKER_HUB_DOMAIN, remainder: OFFICIAL_PREFIX + name };
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remainder: string;
  if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    domain = first === LEGACY_HUB_DOMAIN ? DOCKER_HUB_DOMAIN : first;
    remainder = rest;
  } else {
    domain = DOCKER_HUB_DOMAIN;
    remainder = name;
  }
  if (domain === DOCKER_HUB_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  return { domain, remainder };
}

/**
 * Parses a Docker reference the way `docker pull` does (ParseNormalizedNamed, then `latest` when there is neither a
 * tag nor a digest). Throws InputError with Docker's wording on malformed input.
 */
export function parseDockerReference(text: string): DockerReference {
  if (text === '') fail(text, 'repository name must have at least one component');
  if (IDENTIFIER.test(text)) fail(text, 'cannot specify 64-byte hexadecimal strings (that is an image ID, not a name)');
  const { domain, remainder } = splitDomain(text);
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) fail(text, `repository name (${remote}) must be lowercase`);
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (!match) fail(text, 'invalid reference format');
  const name = NAME.exec(match[1]);
  if (!name) fail(text, 'invalid reference format');
  const path = name[2];
  if (path.length > MAX_PATH_LENGTH) fail(text, `repository name must not be more than ${MAX_PATH_LENGTH} characters`);
  const reference: DockerReference = { domain: name[1], path };
  if (match[2]) reference.tag = match[2];
  if (match[3]) {
    checkReferenceDigest(match[3], text);
    reference.digest = match[3];
  }
  if (!reference.tag && !reference.digest) reference.tag = DEFAULT_TAG;
  return reference;
}

/** `docker.io/library/ubuntu:22.04@sha256:…`: the fully qualified form. */
export function formatReference(reference: DockerReference): string {
  let text = `${reference.domain}/${reference.path}`;
  if (reference.tag) text += `:${reference.tag}`;
  if (reference.digest) text += `@${reference.digest}`;
  return text;
}

/** `ubuntu:22.04`: the short form Docker prints (no `docker.io/`, no `library/` for official images). */
export function familiarReference(reference: DockerReference): string {
  let name = `${reference.domain}/${reference.path}`;
  if (reference.domain === DOCKER_HUB_DOMAIN) {
    name = reference.path;
    const official = name.startsWith(OFFICIAL_PREFIX) ? name.slice(OFFICIAL_PREFIX.length) : undefined;
    if (official !== undefined && !official.includes('/')) name = official;
  }
  if (reference.tag) name += `:${reference.tag}`;
  if (reference.digest) name += `@${reference.digest}`;
  return name;
}

/** The tag or digest to ask the registry for: the digest wins when both are given, as in `docker pull`. */
export function manifestReference(reference: DockerReference): string {
  return reference.digest ?? reference.tag ?? DEFAULT_TAG;
}

/** The host:port serving the registry API for a reference's domain (`docker.io` → `registry-1.docker.io`). */
export function registryApiHost(domain: string): string {
  return domain === DOCKER_HUB_DOMAIN ? DOCKER_HUB_API_HOST : domain;
}

/** The hostname of a `host[:port]` domain, brackets kept for IPv6 (`[::1]:5000` → `[::1]`). */
export function hostnameOf(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(0, domain.indexOf(']') + 1);
  const colon = domain.lastIndexOf(':');
  return colon === -1 ? domain : domain.slice(0, colon);
}

/**
 * Whether a registry domain is on the loopback interface (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`): those
 * are spoken to over plain HTTP by default, the way Docker's daemon treats 127.0.0.0/8 as an insecure registry.
 */
export function isLoopbackDomain(domain: string): boolean {
  const host = hostnameOf(domain).toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.(?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d)$/.test(host)
  );
}

/** `path[:suffix]` split at the first colon, as containers/image does for docker-archive: and oci:. */
function splitPath(rest: string): { path: string; suffix?: string } {
  const colon = rest.indexOf(':');
  return colon === -1 ? { path: rest } : { path: rest.slice(0, colon), suffix: rest.slice(colon + 1) };
}

/** `@N`: the Nth image (from 0) of an archive or layout, skopeo's source index. */
function parseSourceIndex(suffix: string, text: string): number {
  const digits = suffix.slice(1);
  if (!/^\d+$/.test(digits)) fail(text, `invalid source index "${suffix}" (expected @ followed by a number)`);
  return Number(digits);
}

/** OCI layout tags (`org.opencontainers.image.ref.name`) as containers/image accepts them. */
const OCI_TAG = /^[a-zA-Z0-9_](?:[a-zA-Z0-9._/:@+-]*[a-zA-Z0-9_])?$/;

/**
 * Parses an image reference given on the command line. Transport prefixes (`docker-archive:`, `oci:`, `docker://`,
 * `docker-daemon:`) are recognised first; anything else is a bare Docker reference to a registry (so the Hub image
 * `oci:1` must be written `docker://oci:1`).
 */
export function parseImageRef(text: string): ImageRef {
  if (text.startsWith('docker://'))
    return { transport: 'docker', reference: parseDockerReference(text.slice('docker://'.length)) };
  if (text.startsWith('docker-archive:')) {
    const { path, suffix } = splitPath(text.slice('docker-archive:'.length));
    if (path === '') fail(text, 'docker-archive: needs a path (docker-archive:PATH[:REFERENCE|:@INDEX])');
    if (suffix === undefined) return { transport: 'docker-archive', path };
    if (suffix.startsWith('@')) return { transport: 'docker-archive', path, sourceIndex: parseSourceIndex(suffix, text) };
    const reference = parseDockerReference(suffix);
    if (reference.digest) fail(text, 'docker-archive: does not support digest references');
    return { transport: 'docker-archive', path, reference };
  }
  if (text.startsWith('oci:')) {
    const { path, suffix } = splitPath(text.slice('oci:'.length));
    if (path === '') fail(text, 'oci: needs a directory (oci:DIR[:TAG|:@INDEX])');
    if (suffix === undefined || suffix === '') return { transport: 'oci', path };
    if (suffix.startsWith('@')) return { transport: 'oci', path, sourceIndex: parseSourceIndex(suffix, text) };
    if (!OCI_TAG.test(suffix)) fail(text, `invalid OCI layout tag "${suffix}"`);
    return { transport: 'oci', path, tag: suffix };
  }
  if (text.startsWith('docker-daemon:')) {
    const rest = text.slice('docker-daemon:'.length);
    if (/^[a-z0-9]+:/.test(rest) && !rest.includes('/') && DIGEST_HEX_LENGTH[rest.split(':')[0]] !== undefined) {
      // `sha256:…` is an image ID here, not the repository `sha256` with a tag (containers/image's rule).
      checkReferenceDigest(rest, text);
      if (!rest.startsWith('sha256:')) fail(text, 'docker-daemon: image IDs must be sha256 digests');
      return { transport: 'docker-daemon', id: rest };
    }
    const reference = parseDockerReference(rest);
    if (reference.domain === DOCKER_HUB_DOMAIN && reference.path === 'library/sha256')
      fail(text, 'the repository name sha256 is reserved for image IDs (sha256:<64 hex digits>)');
    return { transport: 'docker-daemon', reference };
  }
  return { transport: 'docker', reference: parseDockerReference(text) };
}

/** The reference back in its CLI form (`docker://docker.io/library/ubuntu:latest`, `oci:dir:tag`, …), for messages. */
export function formatImageRef(ref: ImageRef): string {
  switch (ref.transport) {
    case 'docker':
      return `docker://${formatReference(ref.reference)}`;
    case 'docker-archive':
      return `docker-archive:${ref.path}${ref.reference ? `:${formatReference(ref.reference)}` : ref.sourceIndex !== undefined ? `:@${ref.sourceIndex}` : ''}`;
    case 'oci':
      return `oci:${ref.path}${ref.tag ? `:${ref.tag}` : ref.sourceIndex !== undefined ? `:@${ref.sourceIndex}` : ''}`;
    case 'docker-daemon':
      return `docker-daemon:${ref.id ?? formatReference(ref.reference!)}`;
  }
}
