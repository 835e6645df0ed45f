/**
 * IMAGE arguments to Images: `docker-archive:PATH[:REF|:@N]`, `oci:DIR[:TAG|:@N]`, `docker-daemon:REF`, and
 * `docker://REF` or a bare reference for registries (see ref.ts for the grammar). Sources load lazily, so a command
 * reading a local archive never loads the registry client.
 */
import type { ZstdBackend } from './decompress.js';
import type { Image, Platform, ReadLimits } from './image.js';
import { parseImageRef } from './ref.js';

export interface OpenOptions {
  platform?: Platform;
  limits?: Partial<ReadLimits>;
  zstd?: ZstdBackend;
  /** Plain HTTP for a registry that is not on loopback. */
  insecure?: boolean;
  /** DOCKER_HOST for docker-daemon: references. */
  dockerHost?: string;
  /** Progress of reads done while opening (a daemon export), in bytes. */
  onOpenProgress?: (bytes: number) => void;
}

export async function openImage(text: string, options: OpenOptions = {}): Promise<Image> {
  const ref = parseImageRef(text);
  const common = { platform: options.platform, limits: options.limits, zstd: options.zstd };
  switch (ref.transport) {
    case 'docker-archive': {
      const { openDockerArchive } = await import('./sources/archive.js');
      return openDockerArchive(ref.path, { ...common, reference: ref.reference, sourceIndex: ref.sourceIndex });
    }
    case 'oci': {
      const { openOciLayout } = await import('./sources/oci-layout.js');
      return openOciLayout(ref.path, { ...common, tag: ref.tag, sourceIndex: ref.sourceIndex });
    }
    case 'docker-daemon': {
      const { openDaemonImage } = await import('./sources/daemon.js');
      const target = ref.id ? { id: ref.id } : ref.reference;
      if (!target) throw new Error('docker-daemon reference without a name (bug in ref.ts)');
      return openDaemonImage(target, { ...common, dockerHost: options.dockerHost, onProgress: options.onOpenProgress });
    }
    case 'docker': {
      const { openRegistryImage } = await import('./sources/registry.js');
      return openRegistryImage(ref.reference, { ...common, ...(options.insecure ? { insecure: true } : {}) });
    }
  }
}
