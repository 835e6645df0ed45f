/**
 * The platform Docker would pick from a multi-platform index when none is asked for: the host's, as Go names it
 * (GOOS/GOARCH, plus the ARM variant). Images run on Linux even where the client is a Mac (Docker Desktop's daemon is
 * a Linux VM), so every OS but Windows maps to `linux`.
 */
import type { Platform } from '../../image.js';

const GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips64el: 'mips64le',
  mipsel: 'mipsle',
};

/** Pure: the Go platform for a Node `process.platform` / `process.arch` (and ARM version for 32-bit ARM). */
export function goPlatform(nodePlatform: string, nodeArch: string, armVersion?: string | number): Platform {
  const os = nodePlatform === 'win32' ? 'windows' : 'linux';
  const architecture = GOARCH[nodeArch] ?? nodeArch;
  if (architecture === 'arm') return { os, architecture, variant: `v${armVersion ?? 7}` };
  return { os, architecture };
}

/** This machine's platform. */
export function hostPlatform(): Platform {
  const variables = process.config.variables as { arm_version?: string | number };
  return goPlatform(process.platform, process.arch, variables.arm_version);
}
