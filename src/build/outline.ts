/**
 * The build driver's view of a Dockerfile: stages, and in each the steps BuildKit numbers `[stage i/N]` — the base
 * image (FROM an image, not `scratch` and not another stage) and every RUN, COPY, ADD and WORKDIR — with the line
 * each starts on. Verified against real builds (Docker 28.5): `FROM scratch` and `FROM <stage>` are not numbered;
 * unnamed stages of a multi-stage file are labelled `stage-K`; a single unnamed stage has no label unless a step uses
 * `RUN --mount` (then `stage-0`). Only what mapping progress to lines needs is read here: logical lines (escape
 * continuations, comment and blank lines inside them), heredoc bodies skipped, the `# escape=` directive.
 */

export interface OutlineStep {
  /** Upper-case instruction keyword. */
  keyword: string;
  /** 1-based first and last line of the instruction (heredoc bodies included). */
  line: number;
  endLine: number;
  /** The logical instruction text, continuations joined as BuildKit joins them (`RUN a &&     b`). */
  text: string;
  /** 1-based `i` of BuildKit's `[stage i/N]`, for the steps it numbers. */
  number?: number;
}

export interface OutlineStage {
  index: number;
  /** `AS name`, lower-cased as BuildKit does. */
  name?: string;
  /** The FROM operand: an image reference, `scratch`, or another stage's name. */
  base: string;
  /** The stage this one builds on, when `base` names an earlier stage. */
  baseStage?: number;
  steps: OutlineStep[];
  /** How many steps BuildKit numbers in this stage (N of `i/N`). */
  total: number;
}

const numbered = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

export function outlineDockerfile(source: string): OutlineStage[] {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const token = escapeToken(lines);
  const continuation = new RegExp(`${token === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const stages: OutlineStage[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    const trimmed = first.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    let text = first.trimStart();
    while (continuation.test(text) && i + 1 < lines.length) {
      text = text.replace(continuation, '');
      i++;
      while (i < lines.length && (lines[i].trim() === '' || lines[i].trimStart().startsWith('#'))) i++;
      if (i < lines.length) text += lines[i];
    }
    text = text.replace(continuation, '').trim();
    const keyword = text.split(/\s+/, 1)[0].toUpperCase();
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') i = skipHeredocs(lines, i, text);
    const step: OutlineStep = { keyword, line: start + 1, endLine: i + 1, text };
    if (keyword === 'FROM') stages.push(newStage(stages, step));
    else if (stages.length > 0) stages[stages.length - 1].steps.push(step);
    i++;
  }
  for (const stage of stages) {
    let number = 0;
    for (const step of stage.steps) {
      if (step.keyword === 'FROM' ? stage.baseStage === undefined && stage.base !== 'scratch' : numbered.has(step.keyword)) {
        step.number = ++number;
      }
    }
    stage.total = number;
  }
  return stages;
}

function newStage(stages: OutlineStage[], from: OutlineStep): OutlineStage {
  const words = from.text.split(/\s+/).slice(1);
  const operands = words.filter((word) => !word.startsWith('--'));
  const base = operands[0] ?? '';
  const name = operands.length >= 3 && operands[1].toLowerCase() === 'as' ? operands[2].toLowerCase() : undefined;
  const baseStage = stages.findIndex((stage) => stage.name !== undefined && stage.name === base.toLowerCase());
  return {
    index: stages.length,
    ...(name ? { name } : {}),
    base,
    ...(baseStage >= 0 ? { baseStage } : {}),
    steps: [from],
    total: 0,
  };
}

/** `# escape=` among the leading directive lines. */
function escapeToken(lines: string[]): '\\' | '`' {
  for (const line of lines) {
    const directive = /^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape' && directive[2] === '`') return '`';
  }
  return '\\';
}

/** Skips the bodies of the heredocs an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`); returns the last line. */
function skipHeredocs(lines: string[], last: number, text: string): number {
  let i = last;
  for (const match of text.matchAll(/<<(-?)\s*(["']?)([A-Za-z0-9_.-]+)\2/g)) {
    const chomp = match[1] === '-';
    const name = match[3];
    i++;
    while (i < lines.length && (chomp ? lines[i].replace(/^\t+/, '') : lines[i]) !== name) i++;
  }
  return Math.min(i, lines.length - 1);
}

/** Which stages a build of `target` (default: the last stage) runs through, base first. */
export function stageChain(stages: OutlineStage[], target?: string): OutlineStage[] {
  let stage = target ? stages.find((s) => s.name === target.toLowerCase()) : stages[stages.length - 1];
  const chain: OutlineStage[] = [];
  while (stage) {
    chain.unshift(stage);
    stage = stage.baseStage !== undefined ? stages[stage.baseStage] : undefined;
  }
  return chain;
}

/** The label BuildKit gives a stage's steps: its name, else `stage-K` (multi-stage, or forced by `RUN --mount`). */
export function stageLabel(stages: OutlineStage[], stage: OutlineStage): string | undefined {
  if (stage.name) return stage.name;
  const forced = stages.length === 1 && stage.steps.some((step) => step.keyword === 'RUN' && /\s--mount[=\s]/.test(step.text));
  return stages.length > 1 || forced ? `stage-${stage.index}` : undefined;
}
