/**
 * The rule set as data: every rule exported by ./index.ts (one line per rule there), sorted by id, and how a name
 * written by a user (our id, a renamed id, a hadolint code, a BuildKit check name) maps to rules.
 */
import type { AnyRule } from './define.js';
import * as listed from './index.js';
import { redirects } from './redirects.js';

export const rules: readonly AnyRule[] = Object.freeze(
  Object.values(listed as Record<string, AnyRule>).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
);

/** The rule named by `name` (an id or a renamed id), or undefined. */
export function ruleById(name: string, ruleSet: readonly AnyRule[] = rules): AnyRule | undefined {
  const id = redirects[name] ?? name;
  return ruleSet.find((rule) => rule.id === id);
}

/**
 * The rules a user-written name stands for: our id (or a renamed one), or a hadolint code (`DL3006`, any case) that
 * rules declare as their equivalent. Empty when nothing matches.
 */
export function rulesNamed(name: string, ruleSet: readonly AnyRule[] = rules): AnyRule[] {
  const rule = ruleById(name, ruleSet);
  if (rule) return [rule];
  const code = name.toUpperCase();
  return ruleSet.filter((candidate) => candidate.hadolint?.includes(code));
}

/** The rules that declare the BuildKit check `name` (`# check=skip=<name>`). */
export function rulesForBuildkitCheck(name: string, ruleSet: readonly AnyRule[] = rules): AnyRule[] {
  return ruleSet.filter((rule) => rule.buildkit === name);
}
