/**
 * CI gates over dive's figures, with dive's three rules (`.dive-ci`): the same names, meanings and defaults, so a
 * dive CI configuration carries over. Pure.
 */
import type { DiveResult } from './dive.js';

export interface GateRules {
  /** Fail when efficiency is below this (dive default with --ci: 0.9). */
  lowestEfficiency?: number;
  /** Fail when wasted bytes exceed this (dive default: disabled). */
  highestWastedBytes?: number;
  /** Fail when wasted bytes / user size exceed this fraction (dive default with --ci: 0.1). */
  highestUserWastedPercent?: number;
}

export const diveCiDefaults: Required<Pick<GateRules, 'lowestEfficiency' | 'highestUserWastedPercent'>> = {
  lowestEfficiency: 0.9,
  highestUserWastedPercent: 0.1,
};

export interface GateResult {
  rule: keyof GateRules;
  threshold: number;
  actual: number;
  passed: boolean;
}

export function evaluateGates(dive: DiveResult, rules: GateRules): GateResult[] {
  const results: GateResult[] = [];
  if (rules.lowestEfficiency !== undefined)
    results.push({
      rule: 'lowestEfficiency',
      threshold: rules.lowestEfficiency,
      actual: dive.efficiency,
      passed: !(dive.efficiency < rules.lowestEfficiency),
    });
  if (rules.highestWastedBytes !== undefined)
    results.push({
      rule: 'highestWastedBytes',
      threshold: rules.highestWastedBytes,
      actual: dive.wastedBytes,
      passed: !(dive.wastedBytes > rules.highestWastedBytes),
    });
  if (rules.highestUserWastedPercent !== undefined)
    results.push({
      rule: 'highestUserWastedPercent',
      threshold: rules.highestUserWastedPercent,
      actual: dive.wastedUserPercent,
      passed: !(dive.wastedUserPercent > rules.highestUserWastedPercent),
    });
  return results;
}

/** Byte counts as dive's config accepts them (go-humanize ParseBytes): `20MB` = 20·1000², `20MiB` = 20·1024², `123`. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgtpe]?i?b?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  const powers: Record<string, number> = {
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
  const binary: Record<string, number> = {
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
  if (unit in powers) return Math.floor(Number(match[1]) * 1000 ** powers[unit]);
  if (unit in binary) return Math.floor(Number(match[1]) * 1024 ** binary[unit]);
  return undefined;
}
