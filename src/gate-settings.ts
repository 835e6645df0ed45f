/**
 * The settings of the image CI gates (dive's `.dive-ci` rules) as written on the command line and in
 * `.layerwise.yaml`: names, values, and how a value is checked. Shared by the config reader (src/rules/config.ts)
 * and the gates themselves (src/image/gates.ts), which stay apart in the stage order. Pure.
 */

export const GATE_NAMES = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** A rule's setting as written: a threshold, or `disabled`. */
export type GateSetting = number | 'disabled';

/** The `image:` section of `.layerwise.yaml` (see src/rules/config.ts, which reads and checks it). */
export interface ImageGateConfig {
  ci?: boolean;
  gates: Partial<Record<GateName, GateSetting>>;
}

/** Checks a setting as dive's validators do (ratios within 0–1, bytes as go-humanize reads them). */
export function checkGateSetting(rule: GateName, value: unknown): { setting: GateSetting } | { problem: string } {
  if (value === 'disabled') return { setting: 'disabled' };
  if (rule === 'highestWastedBytes') {
    const bytes = typeof value === 'number' ? value : typeof value === 'string' ? parseBytes(value) : undefined;
    if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0)
      return { problem: `${rule} must be a byte count such as 20MB, 1.5GiB or 1048576, or "disabled"` };
    return { setting: Math.floor(bytes) };
  }
  const ratio = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    return { problem: `${rule} must be a ratio between 0 and 1 (0.9 means 90 %), or "disabled"` };
  return { setting: ratio };
}

const DECIMAL: Record<string, number> = {
  '': 0,
  b: 0,
  k: 1,
  kb: 1,
  m: 2,
  mb: 2,
  g: 3,
  gb: 3,
  t: 4,
  tb: 4,
  p: 5,
  pb: 5,
  e: 6,
  eb: 6,
};
const BINARY: Record<string, number> = {
  ki: 1,
  kib: 1,
  mi: 2,
  mib: 2,
  gi: 3,
  gib: 3,
  ti: 4,
  tib: 4,
  pi: 5,
  pib: 5,
  ei: 6,
  eib: 6,
};

/** Byte counts as dive's config accepts them (go-humanize ParseBytes): `20MB` = 20·1000², `20MiB` = 20·1024², `123`. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgtpe]?i?b?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  if (unit in DECIMAL) return Math.floor(Number(match[1]) * 1000 ** DECIMAL[unit]);
  if (unit in BINARY) return Math.floor(Number(match[1]) * 1024 ** BINARY[unit]);
  return undefined;
}
