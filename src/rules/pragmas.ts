/**
 * Ignores written in the Dockerfile itself:
 * - `# layerwise ignore=rule-a,rule-b` — for the next instruction; `# layerwise global ignore=…` — the whole file.
 * - `# hadolint ignore=DL3006` and `# hadolint global ignore=…` — the same, for the rules that name that hadolint
 *   code as their equivalent (so files already annotated for hadolint need no second annotation).
 * - BuildKit's `# check=skip=Name1,Name2` (or `skip=all`) directive — for the rules that declare that BuildKit check.
 * Text after a second `#` is a reason and is not read. Names that match no rule are ignored here.
 */
import type { Dockerfile, Instruction } from '../dockerfile/index.js';
import type { AnyRule } from './define.js';
import { rulesForBuildkitCheck, rulesNamed } from './registry.js';

export interface Suppressions {
  /** Rule ids off for the whole file. */
  global: ReadonlySet<string>;
  /** Rule ids off inside one instruction (offsets into the source, end exclusive). */
  local: readonly { start: number; end: number; rules: ReadonlySet<string> }[];
}

const PRAGMA = /^(layerwise|hadolint)\s+(?:(global)\s+)?ignore\s*=(.*)$/;

const none: ReadonlySet<string> = new Set();
const nothing: Suppressions = { global: none, local: [] };

/** Reads every ignore pragma and `# check=skip=` directive of a parsed Dockerfile. */
export function collectSuppressions(ast: Dockerfile, ruleSet: readonly AnyRule[]): Suppressions {
  let global: Set<string> | undefined;
  let local: { start: number; end: number; rules: Set<string> }[] | undefined;
  let pending: Set<string> | undefined;
  for (const element of ast.elements) {
    if (element.type === 'Directive' && element.name === 'check') {
      for (const id of buildkitSkips(element.value, ruleSet)) (global ??= new Set()).add(id);
    } else if (element.type === 'Comment') {
      // Most comments are prose: only one starting with a pragma's tool name is matched against the pattern.
      if (!mayBePragma(element.text)) continue;
      const pragma = PRAGMA.exec(element.text);
      if (!pragma) continue;
      const target = pragma[2] ? (global ??= new Set()) : (pending ??= new Set());
      for (const name of pragma[3].split('#')[0].split(/[\s,]+/)) {
        if (name) for (const rule of rulesNamed(name, ruleSet)) target.add(rule.id);
      }
    } else if (element.type === 'Instruction' && pending !== undefined && pending.size > 0) {
      (local ??= []).push({ ...span(element), rules: pending });
      pending = undefined;
    }
  }
  if (global === undefined && local === undefined) return nothing;
  return { global: global ?? none, local: local ?? [] };
}

/** Whether a comment's text starts like `layerwise …` or `hadolint …` (PRAGMA's first word). */
function mayBePragma(text: string): boolean {
  const first = text.charCodeAt(0);
  return (first === 0x6c /* l */ && text.startsWith('layerwise')) || (first === 0x68 /* h */ && text.startsWith('hadolint'));
}

/** Whether `ruleId` is ignored for a finding starting at `offset`. */
export function isSuppressed(suppressions: Suppressions, ruleId: string, offset: number): boolean {
  if (suppressions.global.size > 0 && suppressions.global.has(ruleId)) return true;
  const local = suppressions.local;
  for (let i = 0; i < local.length; i++) {
    const entry = local[i];
    if (offset >= entry.start && offset < entry.end && entry.rules.has(ruleId)) return true;
  }
  return false;
}

/** An instruction from its first character to the end of its last line (continuations and heredocs included). */
function span(instruction: Instruction): { start: number; end: number } {
  const last = instruction.lines.at(-1);
  return { start: instruction.range.start.offset, end: Math.max(instruction.range.end.offset, last?.range.end.offset ?? 0) + 1 };
}

/** BuildKit's check directive: `skip=A,B;error=true` (keys separated by `;`); `skip=all` skips every check. */
function buildkitSkips(value: string, ruleSet: readonly AnyRule[]): string[] {
  const ids: string[] = [];
  for (const part of value.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0 || part.slice(0, equals).trim() !== 'skip') continue;
    const list = part.slice(equals + 1).trim();
    for (const name of list.split(',').map((piece) => piece.trim())) {
      const matched = name === 'all' ? ruleSet.filter((rule) => rule.buildkit) : rulesForBuildkitCheck(name, ruleSet);
      ids.push(...matched.map((rule) => rule.id));
    }
  }
  return ids;
}
