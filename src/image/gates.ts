/**
 * CI gates over dive's figures, with dive's three rules (`.dive-ci`, wagoodman/dive runtime/ci): the same names,
 * meanings, comparisons and defaults, so a dive CI configuration carries over.
 * - lowestEfficiency: a ratio 0–1; fails when efficiency < threshold.
 * - highestWastedBytes: bytes (go-humanize: `20MB`, `1.5GiB`, `123`); fails when wasted bytes > threshold.
 * - highestUserWastedPercent: despite the name a ratio 0–1 (wasted / all layers but the first); fails when the ratio
 *   > threshold (an image without user layers: NaN never fails, +Inf always does, as in Go).
 * `disabled` turns a rule off. CI mode (`--ci`, or `ci: true` in the config) starts from dive's defaults
 * (0.9, disabled, 0.1); the config file's values replace those, and command-line values replace the file's; a value
 * given on the command line turns its gate on even without CI mode. Pure.
 */
import { GATE_NAMES, type GateName, type GateSetting, type ImageGateConfig } from '../gate-settings.js';
import type { DiveResult } from './dive.js';

export type { GateName, GateSetting, ImageGateConfig };

/** dive's defaults in CI mode. */
export const diveCiDefaults: Record<GateName, GateSetting> = {
  lowestEfficiency: 0.9,
  highestWastedBytes: 'disabled',
  highestUserWastedPercent: 0.1,
};

export type GateSource = 'default' | 'config' | 'flag';

export interface ResolvedGate {
  rule: GateName;
  setting: GateSetting;
  source: GateSource;
}

/** The gates in force: dive's defaults in CI mode, then the config file, then the command line. */
export function resolveGates(options: {
  ci?: boolean;
  config?: ImageGateConfig;
  flags?: Partial<Record<GateName, GateSetting>>;
}): ResolvedGate[] {
  const ciMode = Boolean(options.ci || options.config?.ci);
  const resolved: ResolvedGate[] = [];
  for (const rule of GATE_NAMES) {
    let gate: ResolvedGate | undefined = ciMode ? { rule, setting: diveCiDefaults[rule], source: 'default' } : undefined;
    const fromConfig = options.config?.gates[rule];
    if (ciMode && fromConfig !== undefined) gate = { rule, setting: fromConfig, source: 'config' };
    const fromFlag = options.flags?.[rule];
    if (fromFlag !== undefined) gate = { rule, setting: fromFlag, source: 'flag' };
    if (gate) resolved.push(gate);
  }
  return resolved;
}

export interface GateResult {
  rule: GateName;
  /** The threshold, or null when the rule is disabled (skipped). */
  threshold: number | null;
  actual: number;
  passed: boolean;
  skipped: boolean;
  source: GateSource;
  /** dive's wording: why it failed, or that it passed or was skipped. */
  message: string;
}

const actualOf = (dive: DiveResult, rule: GateName): number =>
  rule === 'lowestEfficiency' ? dive.efficiency : rule === 'highestWastedBytes' ? dive.wastedBytes : dive.wastedUserPercent;

export function evaluateGates(dive: DiveResult, gates: ResolvedGate[]): GateResult[] {
  return gates.map(({ rule, setting, source }) => {
    const actual = actualOf(dive, rule);
    if (setting === 'disabled')
      return { rule, threshold: null, actual, passed: true, skipped: true, source, message: 'rule disabled' };
    let passed: boolean;
    let message: string;
    if (rule === 'lowestEfficiency') {
      passed = !(actual < setting);
      message = `image efficiency is too low (efficiency=${actual} < threshold=${setting})`;
    } else if (rule === 'highestWastedBytes') {
      passed = !(actual > setting);
      message = `too many bytes wasted (wasted-bytes=${actual} > threshold=${setting})`;
    } else {
      passed = !(actual > setting);
      message = `too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=${actual} > threshold=${setting})`;
    }
    return { rule, threshold: setting, actual, passed, skipped: false, source, message: passed ? 'passed' : message };
  });
}
