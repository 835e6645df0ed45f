/**
 * History rows ↔ Dockerfile lines: the last stage's instructions produce the last history entries, one each (FROM and
 * ONBUILD produce none), so both lists are walked backwards and paired while their instruction names agree; the
 * first disagreement is where the base image's history begins. Understands BuildKit's `created_by` (`RUN …`,
 * `COPY …`, `ENV …`) and the classic builder's (`/bin/sh -c #(nop)  ENV …`, `|1 A=1 /bin/sh -c make`). Pure.
 */
import type { Dockerfile } from '../dockerfile/ast.js';
import type { HistoryRow } from './history.js';

/** The instruction a history entry came from (upper case), or undefined when it cannot tell. */
export function historyInstruction(createdBy: string): string | undefined {
  const text = createdBy.trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s+([A-Za-z]+)/.exec(text);
  if (nop) return nop[1].toUpperCase();
  if (/^(\|\d+ .*?)?\/bin\/sh -c /.test(text)) return 'RUN';
  const word = /^([A-Z]+)\b/.exec(text);
  return word?.[1];
}

/** For each row, the 1-based Dockerfile line of the instruction that produced it (undefined for base-image rows). */
export function mapHistoryToDockerfile(rows: HistoryRow[], dockerfile: Dockerfile): (number | undefined)[] {
  const instructions = dockerfile.instructions;
  let from = -1;
  for (const [i, instruction] of instructions.entries()) if (instruction.name === 'FROM') from = i;
  const stage = instructions.slice(from + 1).filter((instruction) => instruction.name !== 'ONBUILD');
  const lines: (number | undefined)[] = rows.map(() => undefined);
  let next = stage.length - 1;
  for (let row = rows.length - 1; row >= 0 && next >= 0; row -= 1) {
    if (historyInstruction(rows[row].createdBy) !== stage[next].name) break;
    lines[row] = stage[next].range.start.line;
    next -= 1;
  }
  return lines;
}
