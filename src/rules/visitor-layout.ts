/**
 * How the lint engine lays out the visitors of one file: one flat list, grouped by visitor key (`RUN`, `Instruction`,
 * `Dockerfile`…), rule order inside a key. Rules return a fresh visitors object per file, but with the same keys each
 * time: the layout is worked out once per rule plan and each file only checks that its visitors still fit it (they
 * always do unless a rule varies its keys, and then a layout of that file's own is made). So a file costs one array
 * of visitors, not a map and two growing lists per key.
 */
import type { AnyRule, Visitors } from './define.js';

export type Visitor = (node: unknown) => void;

/** The visitors of one key: `slots[start..end)`, made by `rules[0..]`. */
export interface VisitorGroup {
  start: number;
  end: number;
  rules: AnyRule[];
}

export interface VisitorLayout {
  /** Per rule (plan order): its visitor keys, in the order its visitors object holds them. */
  keys: string[][];
  /** Per rule: the slot of each of its keys. */
  slots: number[][];
  groups: Map<string, VisitorGroup>;
  size: number;
}

/** The layout of these rules' visitors (keys in order of first appearance, as the engine always dispatched them). */
export function layoutOf(rules: readonly AnyRule[], created: readonly Visitors[]): VisitorLayout {
  const keys: string[][] = [];
  const byKey = new Map<string, number[]>();
  for (let r = 0; r < created.length; r++) {
    const own: string[] = [];
    const visitors = created[r];
    for (const key in visitors) {
      if (typeof visitors[key as keyof Visitors] !== 'function') continue;
      own.push(key);
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(r);
    }
    keys.push(own);
  }
  const slots: number[][] = keys.map(() => []);
  const groups = new Map<string, VisitorGroup>();
  let size = 0;
  for (const [key, ruleIndexes] of byKey) {
    groups.set(key, { start: size, end: size + ruleIndexes.length, rules: ruleIndexes.map((r) => rules[r]) });
    for (const r of ruleIndexes) slots[r][keys[r].indexOf(key)] = size++;
  }
  return { keys, slots, groups, size };
}

/**
 * Puts each rule's visitors in its slot of `layout`; false (and `into` partly filled) when some rule's visitors have
 * other keys than the layout's.
 */
export function fill(layout: VisitorLayout, created: readonly Visitors[], into: Visitor[]): boolean {
  for (let r = 0; r < created.length; r++) {
    const keys = layout.keys[r];
    const slots = layout.slots[r];
    const visitors = created[r];
    let j = 0;
    for (const key in visitors) {
      const visitor = visitors[key as keyof Visitors];
      if (typeof visitor !== 'function') continue;
      if (j >= keys.length || keys[j] !== key) return false;
      into[slots[j++]] = visitor as Visitor;
    }
    if (j !== keys.length) return false;
  }
  return true;
}
