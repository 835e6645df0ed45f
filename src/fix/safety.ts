/**
 * The mechanical safety check of one pass: the executed sequence (sequence.ts) of the fixed text against the
 * original's. A command or instruction no edit touched must still be there, word for word, in the same stage and
 * order. What an edit touched may change as its rule meant — but a fix that declares a `structure` (split, merge,
 * move) may only carry commands from one RUN to another, never change them. Which RUN each command runs in, and with
 * which flags, may change only through a split, merge or move. Problems name the fixes to blame (undefined: the
 * combination of the pass).
 */
import type { Dockerfile } from '../dockerfile/index.js';
import type { Fix } from '../rules/define.js';
import { type Executed, executedSequence, type SequenceMemo, sequenceMemo } from './sequence.js';

export interface SafetyProblem {
  /** Indices into the pass's fixes; undefined: the combination. */
  fixes: number[] | undefined;
  reason: string;
}

export interface Located {
  fix: number;
  start: number;
  end: number;
  /** The replacement text, and where it lies in the new text. */
  text: string;
  newStart: number;
  newEnd: number;
}

/** One command or instruction before and after: untouched (found at its mapped offset) or carried by a fix. */
interface Pair {
  old: Executed;
  now: Executed;
  /** The fixes whose edits touched it (empty when untouched). */
  fixes: number[];
  /** The structural fixes with edits inside its original RUN. */
  runFixes?: number[];
  /** Whether any fix has an edit inside its original RUN. */
  runEdited?: boolean;
}

export function checkPass(
  before: Dockerfile,
  after: Dockerfile,
  fixes: readonly Fix[],
  memo: SequenceMemo = sequenceMemo(),
): SafetyProblem[] {
  return compareSequences(before, executedSequence(before, memo), executedSequence(after, memo), fixes);
}

/**
 * checkPass's comparison of the entries before (`old`, of `before`) and after (`now`): all of both texts', or
 * (local.ts) those of the instructions the fixes touch, when the others provably compare equal and alone.
 */
export function compareSequences(
  before: Dockerfile,
  old: readonly Executed[],
  now: readonly Executed[],
  fixes: readonly Fix[],
): SafetyProblem[] {
  const located = locate(fixes);
  const index = editIndex(located);
  const problems: SafetyProblem[] = [];
  const byStart = new Map<number, Executed>();
  for (const entry of now) if (!byStart.has(entry.start)) byStart.set(entry.start, entry);

  const pairs: Pair[] = [];
  const matched = new Set<Executed>();
  const touchedOld: { entry: Executed; fixes: number[] }[] = [];
  for (const entry of old) {
    const touching = index.touching(entry, 'old');
    if (touching.length > 0) {
      touchedOld.push({ entry, fixes: touching });
      continue;
    }
    const found = byStart.get(index.mapped(entry.start));
    if (!found || found.text !== entry.text || found.kind !== entry.kind || matched.has(found)) {
      problems.push({ fixes: undefined, reason: `\`${clip(entry.text)}\` no longer runs as before` });
      continue;
    }
    matched.add(found);
    pairs.push({ old: entry, now: found, fixes: [] });
    if (found.stage !== entry.stage)
      problems.push({ fixes: undefined, reason: `\`${clip(entry.text)}\` moved to another stage` });
  }

  const added: { entry: Executed; fixes: number[] }[] = [];
  for (const entry of now) {
    if (matched.has(entry)) continue;
    const from = index.touching(entry, 'new');
    if (from.length === 0) problems.push({ fixes: undefined, reason: `\`${clip(entry.text)}\` would run where it did not` });
    else added.push({ entry, fixes: from });
  }

  // A structural fix only carries commands: what it touched before is what it touches after.
  // A split may also start a new RUN with state-only commands (cd, set, export, umask, assignments) that give it the
  // shell state the cut would lose: they run nothing, so the surplus of them is not counted as added.
  fixes.forEach((fix, i) => {
    if (!fix.structure) return;
    const was = touchedOld.filter((t) => t.fixes.includes(i)).map((t) => t.entry.text);
    const all = added.filter((t) => t.fixes.includes(i)).map((t) => t.entry.text);
    const is = fix.structure === 'split' ? withoutCarriedState(was, all) : all;
    const lost = was.find((text) => count(was, text) !== count(is, text));
    const gained = is.find((text) => count(was, text) !== count(is, text));
    if (lost !== undefined)
      problems.push({
        fixes: [i],
        reason: `a ${fix.structure} must only move commands, but it drops or changes \`${clip(lost)}\``,
      });
    else if (gained !== undefined)
      problems.push({ fixes: [i], reason: `a ${fix.structure} must only move commands, but it adds \`${clip(gained)}\`` });
  });

  // Touched commands that are still there word for word (in order) count as carried, to check where they now run.
  const unclaimed = [...added];
  for (const t of touchedOld) {
    const at = unclaimed.findIndex((a) => a.entry.text === t.entry.text && a.entry.kind === t.entry.kind);
    if (at < 0) continue;
    const [carried] = unclaimed.splice(at, 1);
    const by = [...new Set([...t.fixes, ...carried.fixes])];
    pairs.push({ old: t.entry, now: carried.entry, fixes: by });
    // A fix may carry a command or instruction within its stage (a move, a split), never into another one.
    if (carried.entry.stage !== t.entry.stage)
      problems.push({ fixes: by, reason: `\`${clip(t.entry.text)}\` would move to another stage` });
  }
  // A structural fix anywhere in a RUN may change the flags of every command of it (a split drops the other's mount).
  // (Worked out once per instruction: a RUN has many commands.)
  const insideRun = new Map<number, { runFixes: number[]; runEdited: boolean }>();
  for (const pair of pairs) {
    if (pair.old.instruction < 0) continue;
    let run = insideRun.get(pair.old.instruction);
    if (!run) {
      const range = before.instructions[pair.old.instruction].range;
      const inside = located.filter((e) => e.start >= range.start.offset && e.end <= range.end.offset);
      run = {
        runFixes: [...new Set(inside.filter((e) => fixes[e.fix].structure).map((e) => e.fix))],
        runEdited: inside.length > 0,
      };
      insideRun.set(pair.old.instruction, run);
    }
    pair.runFixes = run.runFixes;
    pair.runEdited = run.runEdited;
  }
  problems.push(...layoutProblems(pairs, fixes));
  return problems;
}

/**
 * Which RUN each command runs in: commands of one RUN stay together and commands of two RUNs stay apart, unless a
 * structural fix touched them; flags change only with such a fix (a split may drop flags, a merge or move add them).
 */
function layoutProblems(pairs: Pair[], fixes: readonly Fix[]): SafetyProblem[] {
  const problems: SafetyProblem[] = [];
  const commands = pairs.filter((p) => p.old.kind === 'command' && p.now.kind === 'command');
  const group = (key: (p: Pair) => number, other: (p: Pair) => number) => {
    const map = new Map<number, Pair[]>();
    for (const p of commands) {
      const list = map.get(key(p));
      if (list) list.push(p);
      else map.set(key(p), [p]);
    }
    return [...map.values()].filter((list) => list.some((p) => other(p) !== other(list[0])));
  };
  const judge = (list: Pair[], change: string) => {
    const involved = [...new Set(list.flatMap((p) => p.fixes))];
    if (involved.some((i) => fixes[i].structure !== undefined)) return;
    const texts = list.map((p) => `\`${clip(p.old.text)}\``);
    problems.push({
      fixes: involved.length ? involved : undefined,
      reason: `${change} (${texts.slice(0, 2).join(', ')}) without meaning to`,
    });
  };
  for (const list of group(
    (p) => p.old.instruction,
    (p) => p.now.instruction,
  ))
    judge(list, 'splits a RUN');
  for (const list of group(
    (p) => p.now.instruction,
    (p) => p.old.instruction,
  ))
    judge(list, 'joins RUNs');
  for (const p of commands) {
    const was = p.old.flags;
    const is = p.now.flags;
    if (was.length === is.length && was.every((flag, i) => flag === is[i])) continue;
    const kinds = new Set([...p.fixes, ...(p.runFixes ?? [])].map((i) => fixes[i].structure));
    const dropped = is.every((f) => was.includes(f)) && kinds.has('split');
    const gained = was.every((f) => is.includes(f)) && (kinds.has('merge') || kinds.has('move'));
    // A cache mount changes what the layer keeps, not what runs: a fix of the RUN may add one, or rewrite one (its
    // owner: prefer-cache-mount's uid=).
    const cacheMounts =
      p.runEdited === true &&
      was.every((f) => is.includes(f) || isCacheMount(f)) &&
      is.every((f) => was.includes(f) || isCacheMount(f));
    if (!dropped && !gained && !cacheMounts) {
      problems.push({ fixes: p.fixes.length ? p.fixes : undefined, reason: `the RUN flags of \`${clip(p.old.text)}\` change` });
    }
  }
  return problems;
}

/** The pass's edits, sorted by start, with the fix each belongs to and where its replacement lies in the new text. */
export function locate(fixes: readonly Fix[]): Located[] {
  const edits: { start: number; end: number; text: string; fix: number }[] = [];
  fixes.forEach((fix, i) => {
    for (const e of fix.edits) edits.push({ start: e.start, end: e.end, text: e.text, fix: i });
  });
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let shift = 0;
  return edits.map((e) => {
    const newStart = e.start + shift;
    shift += e.text.length - (e.end - e.start);
    return { fix: e.fix, start: e.start, end: e.end, text: e.text, newStart, newEnd: newStart + e.text.length };
  });
}

/**
 * The pass's edits as checkPass asks about them: which fixes touch an entry, where an offset of the original text
 * lands. Edits of one pass never touch each other (verdicts are only asked of fixes that apply.ts `choose` kept apart
 * and whose own edits `malformed` accepted), so their ends are sorted as their starts are: both are binary searches.
 */
export function editIndex(located: readonly Located[]) {
  if (!located.every((e, i) => i === 0 || located[i - 1].end <= e.start))
    throw new Error('bug: the edits of a pass overlap (checkPass needs fixes that choose() kept apart)');
  /** After the first i edits, how far offsets of the original text have moved. */
  const shifts = [0];
  for (const e of located) shifts.push(shifts[shifts.length - 1] + e.newEnd - e.newStart - (e.end - e.start));
  /** The first edit whose end (on `side`) is at or after `offset` (strictly after, with `strict`). */
  const firstEndingAt = (offset: number, side: 'old' | 'new', strict: boolean) => {
    let low = 0;
    let high = located.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const end = side === 'old' ? located[middle].end : located[middle].newEnd;
      if (end < offset || (strict && end === offset)) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return {
    /**
     * The fixes whose edits touch an entry: overlap it or sit right at its edge (an insertion there may extend a
     * word), in the order of their edits. `side` says whether the entry is from the original text or the fixed one.
     */
    touching(entry: Pick<Executed, 'start' | 'end'>, side: 'old' | 'new'): number[] {
      const hits: number[] = [];
      for (let i = firstEndingAt(entry.start, side, false); i < located.length; i++) {
        const e = located[i];
        if ((side === 'old' ? e.start : e.newStart) > entry.end) break;
        if (!hits.includes(e.fix)) hits.push(e.fix);
      }
      return hits;
    },
    /** apply.ts `mapOffset` over these edits. */
    mapped(offset: number): number {
      const i = firstEndingAt(offset, 'old', true);
      const e = located[i];
      return e !== undefined && e.start < offset ? e.newStart : offset + shifts[i];
    },
  };
}

/** `is` without the state-only commands it has more of than `was` (a split's carried state). */
function withoutCarriedState(was: string[], is: string[]): string[] {
  const surplus = new Map<string, number>();
  for (const text of new Set(is)) if (isStateOnly(text)) surplus.set(text, count(is, text) - count(was, text));
  return is.filter((text) => {
    const left = surplus.get(text) ?? 0;
    if (left <= 0) return true;
    surplus.set(text, left - 1);
    return false;
  });
}

/** A command that only sets shell state and runs nothing: `cd`, `set`, `export`, `umask`, a bare assignment. */
function isStateOnly(text: string): boolean {
  if (/\$\(|`/.test(text)) return false;
  return (
    /^(cd|set|export|umask) /.test(text) ||
    /^[A-Za-z_][A-Za-z0-9_]*=\S*$/.test(text) ||
    /^[A-Za-z_][A-Za-z0-9_]*='[^']*'$/.test(text)
  );
}

function isCacheMount(flag: string): boolean {
  return /^--mount=(?:[^,]*,)*type=cache(?:,|$)/.test(flag);
}

function count(list: string[], text: string): number {
  return list.filter((t) => t === text).length;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
